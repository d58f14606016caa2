//! The sample library of an nn-chip suite: the verified dataset's workloads with their input
//! tensors read into memory at load (untimed) and their probe positions, each workload's two
//! queries (short and long, `crate::timing`), the answer shape check, and scoring against the
//! harness's own CPU reference and observed times (`crate::pairs`).

use crate::answer;
use crate::dataset_file::{WORKLOADS_FILE, WorkloadEntry, WorkloadsFile};
use crate::error::NnChipError;
use crate::probe;
use crate::spec::WorkloadSpec;
use crate::suites::{self, Protocol};
use crate::tensor::{TensorData, assemble};
use crate::timing::{self, Leg};
use jiebang_accel::Workload;
use jiebang_core::bounded::{self, limit};
use jiebang_core::{
    CoreError, Dataset, SampleLibrary, ScoreContext, Scorer, Scores, SuiteSpec, check_relative_path,
};
use serde_json::{Map, Value, json};
use std::any::Any;
use std::path::Path;

/// One loaded workload.
#[derive(Debug)]
struct Item {
    entry: WorkloadEntry,
    workload: Workload,
    positions: Vec<usize>,
}

/// The workloads of one suite and dataset.
#[derive(Debug)]
pub struct KernelSamples {
    suite: SuiteSpec,
    protocol: Protocol,
    items: Vec<Item>,
}

impl KernelSamples {
    /// Loads `dataset` for `suite`: reads the `truth/workloads.json` index, checks that its
    /// workloads are the suite's (all of them, or the first few), reads every input tensor
    /// (each listed under `inputs/` in the manifest, of the right size) and fixes the probe
    /// positions.
    pub fn load(suite: &SuiteSpec, dataset: &Dataset) -> Result<KernelSamples, NnChipError> {
        let protocol = suites::protocol(suite)?;
        let expected = suites::workloads(suite)?;
        let path = dataset.truth().path(
            WORKLOADS_FILE,
            "the workload index described in docs/directions/nn-chip.md",
        )?;
        let text = bounded::read_text(&path, limit::DATASET_INDEX, "workload index")?;
        let file = WorkloadsFile::parse(&path, &text)?;
        if file.suite != suite.full_id() {
            return Err(NnChipError::invalid(
                &path,
                format!(
                    "field `suite` is `{}`; this dataset must be made for {}",
                    file.suite,
                    suite.full_id()
                ),
            ));
        }
        if file.workloads.is_empty() || file.workloads.len() > expected.len() {
            return Err(NnChipError::invalid(
                &path,
                format!(
                    "field `workloads` has {} entries; {} has {} workloads (a dataset holds all of them or the first few)",
                    file.workloads.len(),
                    suite.full_id(),
                    expected.len()
                ),
            ));
        }
        let mut items = Vec::with_capacity(file.workloads.len());
        for (i, (entry, want)) in file.workloads.into_iter().zip(&expected).enumerate() {
            if &entry.spec != want {
                return Err(NnChipError::invalid(
                    &path,
                    format!(
                        "workloads[{i}] is {:?}; {} expects {:?} at this position",
                        entry.spec.to_table(),
                        suite.full_id(),
                        want.to_table()
                    ),
                ));
            }
            items.push(load_item(&path, dataset, entry, &protocol)?);
        }
        Ok(KernelSamples {
            suite: suite.clone(),
            protocol,
            items,
        })
    }

    /// The suite's protocol settings.
    pub fn protocol(&self) -> Protocol {
        self.protocol
    }

    /// The suite.
    pub fn suite(&self) -> &SuiteSpec {
        &self.suite
    }

    /// Number of workloads (each is two samples: its short and its long query).
    pub fn workloads(&self) -> usize {
        self.items.len()
    }

    /// The workload and leg of sample `index`.
    pub fn leg_of(&self, index: usize) -> Option<(usize, Leg)> {
        timing::leg_of(index, self.items.len())
    }

    /// The spec of workload `w`.
    pub fn spec(&self, w: usize) -> Option<&WorkloadSpec> {
        self.items.get(w).map(|i| &i.entry.spec)
    }

    /// The workload `w` (inputs in memory).
    pub fn workload(&self, w: usize) -> Option<&Workload> {
        self.items.get(w).map(|i| &i.workload)
    }

    /// The probe positions of workload `w`.
    pub fn positions(&self, w: usize) -> Option<&[usize]> {
        self.items.get(w).map(|i| i.positions.as_slice())
    }

    /// Whether the probes of workload `w` cover its whole output.
    pub fn whole(&self, w: usize) -> bool {
        self.items
            .get(w)
            .is_some_and(|i| i.positions.len() == i.entry.spec.output().len)
    }

    /// Timed iterations the query of sample `index` asks for.
    pub fn iterations(&self, index: usize) -> Option<usize> {
        let (w, leg) = self.leg_of(index)?;
        Some(timing::iterations(
            &self.protocol,
            self.items[w].entry.spec.ops(),
            leg,
        ))
    }
}

fn load_item(
    index_path: &Path,
    dataset: &Dataset,
    entry: WorkloadEntry,
    protocol: &Protocol,
) -> Result<Item, NnChipError> {
    let mut tensors = Vec::new();
    let mut first_sha = None;
    for t in entry.spec.inputs() {
        let rel = entry.inputs.get(t.name).cloned().unwrap_or_default();
        check_relative_path(index_path, &rel)
            .map_err(|e| NnChipError::invalid(index_path, e.to_string()))?;
        let listed = dataset.inputs().entry(&rel).ok_or_else(|| {
            NnChipError::invalid(
                index_path,
                format!(
                    "workload `{}` input `{}`: {rel} is not listed under `inputs/` in the dataset manifest",
                    entry.spec.id, t.name
                ),
            )
        })?;
        first_sha.get_or_insert_with(|| listed.sha256.clone());
        let path = dataset.inputs().root().join(&rel);
        let bytes = bounded::read(&path, listed.size, "input tensor")?;
        let data = TensorData::from_le_bytes(t.dtype, t.len, &bytes).map_err(|e| {
            NnChipError::invalid(
                &path,
                format!(
                    "input `{}` of workload `{}`: {e}, {}",
                    t.name, entry.spec.id, t.layout
                ),
            )
        })?;
        tensors.push(data);
    }
    let workload = assemble(&entry.spec, tensors).map_err(|e| {
        NnChipError::invalid(index_path, format!("workload `{}`: {e}", entry.spec.id))
    })?;
    let positions = probe::positions(
        entry.spec.output().len,
        protocol.probes,
        protocol.full_output_max,
        probe::seed_from_sha256(first_sha.as_deref().unwrap_or("")),
    );
    Ok(Item {
        entry,
        workload,
        positions,
    })
}

impl SampleLibrary for KernelSamples {
    fn len(&self) -> usize {
        2 * self.items.len()
    }

    fn sample_id(&self, index: usize) -> String {
        match self.leg_of(index) {
            Some((w, Leg::Short)) => self.items[w].entry.spec.id.clone(),
            Some((w, Leg::Long)) => {
                format!("{}{}", self.items[w].entry.spec.id, timing::LONG_SUFFIX)
            }
            None => format!("#{index}"),
        }
    }

    fn query(&self, index: usize) -> Map<String, Value> {
        let mut m = Map::new();
        let (Some((w, _)), Some(iterations)) = (self.leg_of(index), self.iterations(index)) else {
            return m;
        };
        let item = &self.items[w];
        let spec = &item.entry.spec;
        let mut shape = spec.to_table();
        shape.remove("id");
        shape.remove("kernel");
        let inputs: Map<String, Value> = spec
            .inputs()
            .iter()
            .map(|t| {
                let path = item.entry.inputs.get(t.name).cloned().unwrap_or_default();
                (
                    t.name.to_string(),
                    json!({"path": path, "dtype": t.dtype.as_str(), "len": t.len, "layout": t.layout}),
                )
            })
            .collect();
        let out = spec.output();
        m.insert("workload".into(), json!(spec.id));
        m.insert("kernel".into(), json!(spec.kernel.as_str()));
        m.insert("shape".into(), Value::Object(shape));
        m.insert("inputs".into(), Value::Object(inputs));
        m.insert(
            "output".into(),
            json!({"dtype": out.dtype.as_str(), "len": out.len, "layout": out.layout}),
        );
        m.insert("ops".into(), json!(spec.ops()));
        m.insert("warmup".into(), json!(self.protocol.warmup));
        m.insert("iterations".into(), json!(iterations));
        m.insert("probe".into(), json!(item.positions));
        m
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl Scorer for KernelSamples {
    fn check_answer(&self, index: usize, answer: &Value) -> Result<(), String> {
        let (Some((w, _)), Some(iterations)) = (self.leg_of(index), self.iterations(index)) else {
            return Err(format!("sample {index} out of range"));
        };
        let item = &self.items[w];
        answer::parse(
            answer,
            iterations,
            item.positions.len(),
            item.entry.spec.output().dtype.is_integer(),
        )
        .map(|_| ())
    }

    fn score(
        &self,
        answers: &[(usize, Option<Value>)],
        ctx: &ScoreContext,
    ) -> Result<Scores, CoreError> {
        crate::pairs::score(self, answers, ctx)
    }
}

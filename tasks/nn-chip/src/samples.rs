//! The sample library of an nn-chip suite: the workloads of the dataset's index with their
//! input tensors read from its inputs part into memory at load (untimed), their probe positions,
//! and each workload's two queries (short and long, `crate::timing`). Scoring: `crate::pairs`.

use crate::dataset_file::{WORKLOADS_FILE, WorkloadEntry, WorkloadsFile};
use crate::probe;
use crate::spec::WorkloadSpec;
use crate::suites::{self, Protocol};
use crate::tensor::{TensorData, assemble};
use crate::timing::{self, Leg};
use jiebang_accel::Workload;
use jiebang_core::bounded::limit;
use jiebang_core::{Dataset, Inputs, SampleLibrary, SuiteSpec, TaskError, Truth};
use serde_json::{Map, Value, json};
use std::any::Any;
use std::path::{Path, PathBuf};

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
    /// Loads `dataset` for `suite`: the workload index from its truth part
    /// ([`read_index`]), then the library from its inputs part only ([`Self::from_index`]).
    pub fn load(suite: &SuiteSpec, dataset: &Dataset) -> Result<KernelSamples, TaskError> {
        let (path, entries) = read_index(suite, dataset.truth())?;
        KernelSamples::from_index(suite, dataset.inputs(), &path, entries)
    }

    /// The library of the workloads `entries` (read from the index at `index_path`): reads
    /// every input tensor through `inputs` (each listed under `inputs/` in the manifest, of the
    /// right size) and fixes the probe positions.
    pub fn from_index(
        suite: &SuiteSpec,
        inputs: Inputs<'_>,
        index_path: &Path,
        entries: Vec<WorkloadEntry>,
    ) -> Result<KernelSamples, TaskError> {
        let protocol = suites::protocol(suite)?;
        let items = entries
            .into_iter()
            .map(|entry| load_item(index_path, inputs, entry, &protocol))
            .collect::<Result<_, _>>()?;
        Ok(KernelSamples {
            suite: suite.clone(),
            protocol,
            items,
        })
    }
}

/// Reads the `truth/workloads.json` index of a dataset and checks that its workloads are the
/// suite's (all of them, or the first few); returns its path and entries.
pub fn read_index(
    suite: &SuiteSpec,
    truth: Truth<'_>,
) -> Result<(PathBuf, Vec<WorkloadEntry>), TaskError> {
    let expected = suites::workloads(suite)?;
    let what = "the workload index described in docs/directions/nn-chip.md";
    let path = truth.path(WORKLOADS_FILE, what)?;
    let text = truth.read_text(WORKLOADS_FILE, limit::DATASET_INDEX, "workload index")?;
    let file = WorkloadsFile::parse(&path, &text)?;
    if file.suite != suite.full_id() {
        return Err(TaskError::invalid(
            &path,
            format!(
                "field `suite` is `{}`; this dataset must be made for {}",
                file.suite,
                suite.full_id()
            ),
        ));
    }
    if file.workloads.is_empty() || file.workloads.len() > expected.len() {
        return Err(TaskError::invalid(
            &path,
            format!(
                "field `workloads` has {} entries; {} has {} workloads (a dataset holds all of them or the first few)",
                file.workloads.len(),
                suite.full_id(),
                expected.len()
            ),
        ));
    }
    for (i, (entry, want)) in file.workloads.iter().zip(&expected).enumerate() {
        if &entry.spec != want {
            return Err(TaskError::invalid(
                &path,
                format!(
                    "workloads[{i}] is {:?}; {} expects {:?} at this position",
                    entry.spec.to_table(),
                    suite.full_id(),
                    want.to_table()
                ),
            ));
        }
    }
    Ok((path, file.workloads))
}

impl KernelSamples {
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
    inputs: Inputs<'_>,
    entry: WorkloadEntry,
    protocol: &Protocol,
) -> Result<Item, TaskError> {
    let mut tensors = Vec::new();
    let mut first_sha = None;
    for t in entry.spec.inputs() {
        let rel = entry.inputs.get(t.name).cloned().unwrap_or_default();
        // What the query will carry: refused unless a listed file of the inputs part.
        inputs.query_path(&rel).map_err(|e| {
            TaskError::invalid(
                index_path,
                format!("workload `{}` input `{}`: {e}", entry.spec.id, t.name),
            )
        })?;
        if first_sha.is_none() {
            first_sha = inputs.entry(&rel).map(|e| e.sha256.clone());
        }
        let path = inputs.root().join(&rel);
        let bytes = inputs.read(&rel, "input tensor")?;
        let data = TensorData::from_le_bytes(t.dtype, t.len, &bytes).map_err(|e| {
            TaskError::invalid(
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
        TaskError::invalid(index_path, format!("workload `{}`: {e}", entry.spec.id))
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

//! The sample library of an nn-chip suite: the verified dataset's workloads with their input
//! tensors read into memory at load (untimed) and their probe positions, each workload's
//! query, the answer shape check, and scoring against the harness's own CPU reference.

use crate::answer::{self, KernelAnswer};
use crate::check;
use crate::dataset_file::{WORKLOADS_FILE, WorkloadEntry, WorkloadsFile};
use crate::error::NnChipError;
use crate::probe;
use crate::scoring::{self, Scored};
use crate::spec::WorkloadSpec;
use crate::suites::{self, Protocol};
use crate::tensor::{TensorData, assemble};
use jiebang_accel::{Workload, reference};
use jiebang_core::bounded::{self, limit};
use jiebang_core::{
    CoreError, Dataset, Part, SampleSet, ScoreContext, Scores, SuiteSpec, check_relative_path,
};
use rayon::prelude::*;
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
        let path = dataset.truth_path(WORKLOADS_FILE);
        if !dataset.has_truth(WORKLOADS_FILE) {
            return Err(NnChipError::invalid(
                &path,
                format!(
                    "the dataset has no truth/{WORKLOADS_FILE} in its manifest; expected the \
                     workload index described in docs/directions/nn-chip.md"
                ),
            ));
        }
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

    /// The spec of workload `index`.
    pub fn spec(&self, index: usize) -> Option<&WorkloadSpec> {
        self.items.get(index).map(|i| &i.entry.spec)
    }

    /// The workload (inputs in memory) of sample `index`.
    pub fn workload(&self, index: usize) -> Option<&Workload> {
        self.items.get(index).map(|i| &i.workload)
    }

    /// The probe positions of sample `index`.
    pub fn positions(&self, index: usize) -> Option<&[usize]> {
        self.items.get(index).map(|i| i.positions.as_slice())
    }

    fn whole(&self, item: &Item) -> bool {
        item.positions.len() == item.entry.spec.output().len
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
        let listed = dataset.entry(Part::Inputs, &rel).ok_or_else(|| {
            NnChipError::invalid(
                index_path,
                format!(
                    "workload `{}` input `{}`: {rel} is not listed under `inputs/` in the dataset manifest",
                    entry.spec.id, t.name
                ),
            )
        })?;
        first_sha.get_or_insert_with(|| listed.sha256.clone());
        let path = dataset.input_path(&rel);
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

impl SampleSet for KernelSamples {
    fn len(&self) -> usize {
        self.items.len()
    }

    fn sample_id(&self, index: usize) -> String {
        self.items
            .get(index)
            .map(|i| i.entry.spec.id.clone())
            .unwrap_or_else(|| format!("#{index}"))
    }

    fn query(&self, index: usize) -> Map<String, Value> {
        let mut m = Map::new();
        let Some(item) = self.items.get(index) else {
            return m;
        };
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
        m.insert("iterations".into(), json!(self.protocol.iterations));
        m.insert("probe".into(), json!(item.positions));
        m
    }

    fn check_answer(&self, index: usize, answer: &Value) -> Result<(), String> {
        let item = self
            .items
            .get(index)
            .ok_or_else(|| format!("sample {index} out of range"))?;
        answer::parse(
            answer,
            self.protocol.iterations,
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
        let decided: Vec<(usize, Option<KernelAnswer>, Option<check::Verdict>)> = answers
            .par_iter()
            .map(|(i, a)| {
                let item = self.items.get(*i).ok_or_else(|| {
                    CoreError::Other(format!(
                        "scoring: sample {i} out of range ({} workloads)",
                        self.items.len()
                    ))
                })?;
                let spec = &item.entry.spec;
                let out = spec.output();
                // A malformed answer that reaches scoring counts as a technical failure.
                let parsed = a.as_ref().and_then(|a| {
                    answer::parse(
                        a,
                        self.protocol.iterations,
                        item.positions.len(),
                        out.dtype.is_integer(),
                    )
                    .ok()
                });
                let verdict = match &parsed {
                    None => None,
                    Some(ans) => {
                        let want = reference::run(&item.workload).map_err(|e| {
                            CoreError::Other(format!(
                                "scoring `{}`: reference failed: {e}",
                                spec.id
                            ))
                        })?;
                        Some(check::decide(
                            spec.kernel,
                            out.dtype,
                            &want,
                            &item.positions,
                            self.whole(item),
                            ans,
                        ))
                    }
                };
                Ok((*i, parsed, verdict))
            })
            .collect::<Result<_, CoreError>>()?;
        let scored: Vec<Scored<'_>> = decided
            .into_iter()
            .map(|(index, answer, verdict)| Scored {
                spec: &self.items[index].entry.spec,
                index,
                answer,
                verdict,
            })
            .collect();
        scoring::score(&scored, &self.suite.metrics, ctx.seed)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

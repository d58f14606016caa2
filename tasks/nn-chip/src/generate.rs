//! The dataset generator: for each workload of the suite (or the first `samples` of them) it
//! draws seeded random inputs (never all zero), writes each input tensor as a raw
//! little-endian file `inputs/<workload>/`, and writes the index `truth/workloads.json`.

use crate::dataset_file::{WORKLOADS_FILE, WorkloadEntry, WorkloadsFile};
use crate::spec::WorkloadSpec;
use crate::tensor::{seeded, split};
use jiebang_accel::seeded::sub_seed;
use jiebang_core::DatasetDirs;
use jiebang_core::TaskError;
use std::collections::BTreeMap;

/// Generator name and version, recorded in the dataset pin.
pub const GENERATOR_VERSION: &str = "kernel-inputs:v1";

/// The path of a workload's input tensor, relative to the dataset's `inputs/` (as queries name
/// it).
pub fn input_path(workload: &str, tensor: &str, dtype: &str) -> String {
    format!("{workload}/{tensor}.{dtype}")
}

/// Writes the dataset of `workloads` into `out` (tensors into `out.inputs`, the index into
/// `out.truth`; both existing and empty) for suite `suite_id`. Workload `i` draws its inputs from `sub_seed(seed, i)`. Returns the one-line
/// generator description.
pub fn generate(
    suite_id: &str,
    workloads: &[WorkloadSpec],
    seed: u64,
    out: &DatasetDirs,
    progress: &dyn Fn(u64, u64),
) -> Result<String, TaskError> {
    let total = workloads.len() as u64;
    let mut entries = Vec::with_capacity(workloads.len());
    for (i, spec) in workloads.iter().enumerate() {
        let wseed = sub_seed(seed, i as u64);
        let work = seeded(spec, wseed);
        let dir = out.inputs.join(&spec.id);
        std::fs::create_dir_all(&dir).map_err(|e| TaskError::io(&dir, e))?;
        let mut inputs = BTreeMap::new();
        for (tensor, data) in spec.inputs().iter().zip(split(&work)) {
            let rel = input_path(&spec.id, tensor.name, tensor.dtype.as_str());
            let path = out.inputs.join(&rel);
            std::fs::write(&path, data.to_le_bytes()).map_err(|e| TaskError::io(&path, e))?;
            inputs.insert(tensor.name.to_string(), rel);
        }
        entries.push(WorkloadEntry {
            spec: spec.clone(),
            seed: Some(wseed),
            inputs,
        });
        progress(i as u64 + 1, total);
    }
    let index = WorkloadsFile {
        suite: suite_id.to_string(),
        workloads: entries,
    };
    let path = out.truth.join(WORKLOADS_FILE);
    std::fs::write(&path, index.to_json()).map_err(|e| TaskError::io(&path, e))?;
    Ok(format!("{GENERATOR_VERSION} seed={seed} samples={total}"))
}

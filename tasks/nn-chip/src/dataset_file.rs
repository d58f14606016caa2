//! `truth/workloads.json`, the dataset's index (read by the harness only): for each workload
//! its id, kernel, shape, input seed, and the file of each input tensor relative to `inputs/`.
//! Written by the generator; read (and checked against the suite) by the loader.

use crate::spec::WorkloadSpec;
use jiebang_core::TaskError;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::path::Path;

/// File name of the index inside the dataset's `truth/` folder.
pub const WORKLOADS_FILE: &str = "workloads.json";

/// Format version of [`WORKLOADS_FILE`].
pub const SCHEMA_VERSION: u64 = 1;

/// One workload entry of the index.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkloadEntry {
    /// Id, kernel and shape.
    pub spec: WorkloadSpec,
    /// The seed the inputs were drawn from (informational: the files are what counts).
    pub seed: Option<u64>,
    /// Input tensor name → path relative to the dataset's `inputs/`.
    pub inputs: BTreeMap<String, String>,
}

/// The parsed index.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkloadsFile {
    /// The suite the dataset was made for (`nn-chip/kernels@1`).
    pub suite: String,
    /// The workloads in query order.
    pub workloads: Vec<WorkloadEntry>,
}

impl WorkloadsFile {
    /// The JSON text (pretty, one trailing newline).
    pub fn to_json(&self) -> String {
        let workloads: Vec<Value> = self
            .workloads
            .iter()
            .map(|w| {
                let mut t = w.spec.to_table();
                if let Some(s) = w.seed {
                    t.insert("seed".into(), json!(s));
                }
                t.insert("inputs".into(), json!(w.inputs));
                Value::Object(t)
            })
            .collect();
        let v = json!({
            "schema_version": SCHEMA_VERSION,
            "suite": self.suite,
            "workloads": workloads,
        });
        serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
    }

    /// Parses the index read from `path`. Every error names the file, the entry and the field.
    pub fn parse(path: &Path, text: &str) -> Result<WorkloadsFile, TaskError> {
        let bad = |m: String| TaskError::invalid(path, m);
        let v: Value = serde_json::from_str(text)
            .map_err(|e| bad(format!("line {}: not JSON: {e}", e.line())))?;
        let top = v
            .as_object()
            .ok_or_else(|| bad("expected a JSON object".into()))?;
        match top.get("schema_version").and_then(Value::as_u64) {
            Some(SCHEMA_VERSION) => {}
            other => {
                return Err(bad(format!(
                    "field `schema_version`: this jiebang reads version {SCHEMA_VERSION}, found {other:?}"
                )));
            }
        }
        let suite = top
            .get("suite")
            .and_then(Value::as_str)
            .ok_or_else(|| {
                bad("field `suite`: expected a string such as \"nn-chip/kernels@1\"".into())
            })?
            .to_string();
        let list = top
            .get("workloads")
            .and_then(Value::as_array)
            .ok_or_else(|| bad("field `workloads`: expected an array".into()))?;
        let mut workloads = Vec::with_capacity(list.len());
        for (i, entry) in list.iter().enumerate() {
            let what = format!("workloads[{i}]");
            let t: &Map<String, Value> = entry
                .as_object()
                .ok_or_else(|| bad(format!("{what}: expected an object")))?;
            let spec = WorkloadSpec::from_table(t, &["seed", "inputs"])
                .map_err(|m| bad(format!("{what}: {m}")))?;
            let seed = match t.get("seed") {
                None => None,
                Some(s) => Some(s.as_u64().ok_or_else(|| {
                    bad(format!(
                        "{what} `{}` field `seed`: expected an unsigned integer",
                        spec.id
                    ))
                })?),
            };
            let inputs_obj = t.get("inputs").and_then(Value::as_object).ok_or_else(|| {
                bad(format!(
                    "{what} `{}` field `inputs`: expected an object naming the file of each input tensor",
                    spec.id
                ))
            })?;
            let mut inputs = BTreeMap::new();
            for tensor in spec.inputs() {
                let p = inputs_obj
                    .get(tensor.name)
                    .and_then(Value::as_str)
                    .ok_or_else(|| {
                        bad(format!(
                            "{what} `{}` field `inputs.{}`: expected the path (relative to `inputs/`) of the {} tensor ({} {} values, {})",
                            spec.id,
                            tensor.name,
                            tensor.name,
                            tensor.len,
                            tensor.dtype.as_str(),
                            tensor.layout
                        ))
                    })?;
                inputs.insert(tensor.name.to_string(), p.to_string());
            }
            if let Some(extra) = inputs_obj.keys().find(|k| !inputs.contains_key(*k)) {
                return Err(bad(format!(
                    "{what} `{}` field `inputs.{extra}`: a {} workload has no such input",
                    spec.id, spec.kernel
                )));
            }
            workloads.push(WorkloadEntry { spec, seed, inputs });
        }
        Ok(WorkloadsFile { suite, workloads })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_missing_inputs() {
        let spec = WorkloadSpec::from_table(
            json!({"id": "g", "kernel": "gemm_f32", "m": 2, "n": 2, "k": 2})
                .as_object()
                .unwrap(),
            &[],
        )
        .unwrap();
        let f = WorkloadsFile {
            suite: "nn-chip/kernels@1".into(),
            workloads: vec![WorkloadEntry {
                spec,
                seed: Some(5),
                inputs: [("a", "g/a.f32"), ("b", "g/b.f32")]
                    .into_iter()
                    .map(|(a, b)| (a.to_string(), b.to_string()))
                    .collect(),
            }],
        };
        let p = Path::new("data/workloads.json");
        let text = f.to_json();
        assert_eq!(WorkloadsFile::parse(p, &text).unwrap(), f);
        let broken = text.replace("\"b\": \"g/b.f32\"", "\"c\": \"g/b.f32\"");
        let e = WorkloadsFile::parse(p, &broken).unwrap_err().to_string();
        assert!(
            e.contains("workloads.json") && e.contains("inputs.b"),
            "{e}"
        );
        let e = WorkloadsFile::parse(p, "{\"schema_version\": 2}")
            .unwrap_err()
            .to_string();
        assert!(e.contains("schema_version"), "{e}");
    }
}

//! The embedded suites (`kernels@1`, `cnn-rnn-lstm@1`) and what this crate reads from a suite:
//! its list of kernel workloads (`[[dataset.workloads]]`) and its protocol settings.

use crate::spec::WorkloadSpec;
use jiebang_core::{CoreError, EmbeddedSuite, SuiteSpec, parse_embedded};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::BTreeSet;

/// Embedded suite texts with their origin names.
pub const EMBEDDED: [EmbeddedSuite; 2] = [
    (
        "tasks/nn-chip/suites/kernels.toml",
        include_str!("../suites/kernels.toml"),
    ),
    (
        "tasks/nn-chip/suites/cnn-rnn-lstm.toml",
        include_str!("../suites/cnn-rnn-lstm.toml"),
    ),
];

/// The generator name suites must give in `dataset.generator`.
pub const GENERATOR: &str = "kernel-inputs";

/// Parses the embedded suites.
pub fn embedded() -> Result<Vec<SuiteSpec>, CoreError> {
    parse_embedded(&EMBEDDED)
}

/// How each workload is run and checked (`[protocol]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct Protocol {
    /// Untimed iterations before the timed ones.
    pub warmup: usize,
    /// Timed iterations; each answer carries this many per-iteration seconds.
    pub iterations: usize,
    /// Output positions probed when the output is larger than `full_output_max`.
    pub probes: usize,
    /// Outputs with at most this many elements are returned whole.
    pub full_output_max: usize,
    /// Operations' worth of extra timed iterations in each workload's long query (at least
    /// `iterations` more), for the check of reported seconds (`crate::timing`).
    pub long_extra_ops: usize,
}

/// Reads the suite's `[protocol]` table.
pub fn protocol(suite: &SuiteSpec) -> Result<Protocol, CoreError> {
    let p: Protocol = suite.protocol()?;
    suite.in_range("protocol.warmup", p.warmup, 0..=1000)?;
    suite.in_range("protocol.iterations", p.iterations, 1..=100_000)?;
    suite.in_range("protocol.probes", p.probes, 2..=1_000_000)?;
    suite.in_range("protocol.full_output_max", p.full_output_max, 0..=1_000_000)?;
    suite.in_range(
        "protocol.long_extra_ops",
        p.long_extra_ops,
        0..=1_000_000_000_000,
    )?;
    Ok(p)
}

/// The suite's `[dataset]` table: the generator and its workloads (each a flat table read by
/// [`WorkloadSpec::from_table`]).
#[derive(Debug, Deserialize)]
struct DatasetSection {
    generator: String,
    workloads: Vec<Map<String, Value>>,
}

/// Reads the suite's workload list (`[[dataset.workloads]]`): ids unique, shapes valid, and
/// `dataset.generator` naming this crate's generator.
pub fn workloads(suite: &SuiteSpec) -> Result<Vec<WorkloadSpec>, CoreError> {
    let section: DatasetSection = suite.dataset()?;
    if section.generator != GENERATOR {
        return Err(suite.field_error(
            "dataset.generator",
            format!("expected \"{GENERATOR}\", found {:?}", section.generator),
        ));
    }
    if section.workloads.is_empty() {
        return Err(suite.field_error(
            "dataset.workloads",
            "expected a non-empty array of tables ([[dataset.workloads]])".into(),
        ));
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::with_capacity(section.workloads.len());
    for (i, table) in section.workloads.iter().enumerate() {
        let what = format!("dataset.workloads[{i}]");
        let spec = WorkloadSpec::from_table(table, &[]).map_err(|m| suite.field_error(&what, m))?;
        if !seen.insert(spec.id.clone()) {
            return Err(suite.field_error(&what, format!("id `{}` is used twice", spec.id)));
        }
        out.push(spec);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::Family;

    #[test]
    fn embedded_suites_parse_with_their_workloads_and_protocols() {
        let suites = embedded().unwrap();
        let ids: Vec<_> = suites.iter().map(|s| s.full_id()).collect();
        assert_eq!(ids, ["nn-chip/kernels@1", "nn-chip/cnn-rnn-lstm@1"]);
        for s in &suites {
            let w = workloads(s).unwrap();
            assert_eq!(s.dataset_u64("samples"), Some(w.len() as u64), "{}", s.id);
            let p = protocol(s).unwrap();
            assert!(p.iterations >= 8 && p.probes == 256, "{p:?}");
            // The suite lists every per-workload metric the scoring writes.
            for spec in &w {
                for m in crate::catalogue::PER_WORKLOAD {
                    let id = crate::catalogue::workload_metric(&spec.id, m);
                    assert!(s.metrics.contains(&id), "{}: {id}", s.id);
                }
            }
        }
        let cnn = workloads(&suites[1]).unwrap();
        for f in [Family::Cnn, Family::Rnn, Family::Lstm] {
            assert!(
                cnn[..3].iter().any(|w| w.family() == f),
                "{f:?} among the first three"
            );
        }
    }

    #[test]
    fn bad_suite_settings_name_the_field() {
        let mut s = embedded().unwrap().remove(0);
        s.protocol
            .insert("iterations".into(), toml::Value::Integer(0));
        let e = protocol(&s).unwrap_err().to_string();
        assert!(
            e.contains("protocol.iterations") && e.contains("1..="),
            "{e}"
        );
        s.dataset
            .insert("generator".into(), toml::Value::String("x".into()));
        let e = workloads(&s).unwrap_err().to_string();
        assert!(e.contains("dataset.generator"), "{e}");
        let mut s = embedded().unwrap().remove(0);
        let mut list = s.dataset["workloads"].as_array().unwrap().clone();
        list.push(list[0].clone());
        s.dataset
            .insert("workloads".into(), toml::Value::Array(list));
        let e = workloads(&s).unwrap_err().to_string();
        assert!(e.contains("used twice") && e.contains("gemm-f32-64"), "{e}");
    }
}

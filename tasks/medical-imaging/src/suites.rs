//! The embedded suites (`case-detection@1`, `lesion-froc@1`) and the suite settings this crate
//! reads: which protocol a suite speaks and the phantom generator's parameters.

use crate::phantom::PhantomParams;
use jiebang_core::{CoreError, EmbeddedSuite, SuiteSpec, parse_embedded};
use serde::Deserialize;

/// Embedded suite texts with their origin names.
pub const EMBEDDED: [EmbeddedSuite; 2] = [
    (
        "tasks/medical-imaging/suites/case-detection.toml",
        include_str!("../suites/case-detection.toml"),
    ),
    (
        "tasks/medical-imaging/suites/lesion-froc.toml",
        include_str!("../suites/lesion-froc.toml"),
    ),
];

/// Parses the embedded suites.
pub fn embedded() -> Result<Vec<SuiteSpec>, CoreError> {
    parse_embedded(&EMBEDDED)
}

/// Which protocol a suite speaks (its `protocol.answer`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum SuiteKind {
    /// Case-level detection (`"case"`): `positive` and `score` are required.
    #[serde(rename = "case")]
    CaseDetection,
    /// Lesion localisation, FROC (`"lesions"`): `lesions` is required.
    #[serde(rename = "lesions")]
    LesionFroc,
}

impl SuiteKind {
    /// Reads `protocol.answer` (`"case"` or `"lesions"`).
    pub fn of(suite: &SuiteSpec) -> Result<SuiteKind, CoreError> {
        Ok(protocol(suite)?.answer)
    }
}

/// The suite's `[protocol]` table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct Protocol {
    /// What an answer carries.
    pub answer: SuiteKind,
    /// Marks kept per study in FROC scoring (LUNA16: 100).
    #[serde(default = "default_max_marks")]
    pub max_marks_per_study: usize,
    /// Bootstrap resamples over studies (LUNA16: 1000).
    #[serde(default = "default_resamples")]
    pub bootstrap_resamples: usize,
}

fn default_max_marks() -> usize {
    100
}

fn default_resamples() -> usize {
    1000
}

/// Reads and checks the suite's `[protocol]` table.
pub fn protocol(suite: &SuiteSpec) -> Result<Protocol, CoreError> {
    let p: Protocol = suite.protocol()?;
    suite.in_range(
        "protocol.max_marks_per_study",
        p.max_marks_per_study,
        1..=10_000,
    )?;
    suite.in_range(
        "protocol.bootstrap_resamples",
        p.bootstrap_resamples,
        1..=100_000,
    )?;
    Ok(p)
}

/// The generator settings of the suite's `[dataset]` table (`samples` and `seed` are read by
/// the engine).
#[derive(Debug, Deserialize)]
struct DatasetSection {
    #[serde(default)]
    generator: Option<String>,
    #[serde(default)]
    size: Option<usize>,
    #[serde(default)]
    slices: Option<usize>,
    #[serde(default)]
    positive_fraction: Option<f64>,
}

/// The positive fraction of the generated dataset (`dataset.positive_fraction`, default 0.5).
pub fn positive_fraction(suite: &SuiteSpec) -> Result<f64, CoreError> {
    let d: DatasetSection = suite.dataset()?;
    match d.positive_fraction {
        None => Ok(0.5),
        Some(f) => suite.in_range("dataset.positive_fraction", f, 0.0..=1.0),
    }
}

/// The phantom parameters from the suite's `[dataset]` table.
pub fn phantom_params(suite: &SuiteSpec) -> Result<PhantomParams, CoreError> {
    let d: DatasetSection = suite.dataset()?;
    if let Some(g) = d.generator.as_deref().filter(|g| *g != "ct-phantom") {
        return Err(suite.field_error(
            "dataset.generator",
            format!("expected \"ct-phantom\", found {g:?}"),
        ));
    }
    let mut p = PhantomParams::default();
    p.size = suite.in_range("dataset.size", d.size.unwrap_or(p.size), 64..=1024)?;
    p.slices = suite.in_range("dataset.slices", d.slices.unwrap_or(p.slices), 1..=16)?;
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_suites_parse_and_name_their_protocols() {
        let suites = embedded().unwrap();
        let ids: Vec<_> = suites.iter().map(|s| s.full_id()).collect();
        assert_eq!(
            ids,
            [
                "medical-imaging/case-detection@1",
                "medical-imaging/lesion-froc@1"
            ]
        );
        assert_eq!(SuiteKind::of(&suites[0]).unwrap(), SuiteKind::CaseDetection);
        assert_eq!(SuiteKind::of(&suites[1]).unwrap(), SuiteKind::LesionFroc);
        let d = crate::catalogue::direction();
        for s in &suites {
            for m in &s.metrics {
                assert!(d.metric(m).is_some(), "{}: metric {m}", s.id);
            }
            for i in &s.indicators {
                assert!(d.indicator(i).is_some(), "{}: indicator {i}", s.id);
            }
            let p = phantom_params(s).unwrap();
            assert_eq!((p.size, p.slices), (128, 1));
        }
    }

    #[test]
    fn bad_settings_name_the_field() {
        let mut s = embedded().unwrap().remove(0);
        s.dataset.insert("size".into(), toml::Value::Integer(7));
        let e = phantom_params(&s).unwrap_err().to_string();
        assert!(e.contains("dataset.size") && e.contains("64..=1024"), "{e}");
        s.protocol
            .insert("answer".into(), toml::Value::String("boxes".into()));
        let e = SuiteKind::of(&s).unwrap_err().to_string();
        assert!(e.contains("protocol.answer") && e.contains("boxes"), "{e}");
    }
}

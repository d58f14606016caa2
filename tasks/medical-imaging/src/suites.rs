//! The embedded suites (`case-detection@1`, `lesion-froc@1`) and the suite settings this crate
//! reads: which protocol a suite speaks and the phantom generator's parameters.

use crate::phantom::PhantomParams;
use jiebang_core::{CoreError, SuiteSpec};
use std::path::{Path, PathBuf};

/// Embedded suite texts with their origin names.
const EMBEDDED: [(&str, &str); 2] = [
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
    EMBEDDED
        .iter()
        .map(|(origin, text)| SuiteSpec::from_toml(Path::new(origin), text))
        .collect()
}

/// Which protocol a suite speaks (its `protocol.answer`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuiteKind {
    /// Case-level detection: `positive` and `score` are required.
    CaseDetection,
    /// Lesion localisation (FROC): `lesions` is required.
    LesionFroc,
}

fn origin(suite: &SuiteSpec) -> PathBuf {
    PathBuf::from(format!("<suite {}>", suite.full_id()))
}

impl SuiteKind {
    /// Reads `protocol.answer` (`"case"` or `"lesions"`).
    pub fn of(suite: &SuiteSpec) -> Result<SuiteKind, CoreError> {
        match suite.protocol.get("answer").and_then(toml::Value::as_str) {
            Some("case") => Ok(SuiteKind::CaseDetection),
            Some("lesions") => Ok(SuiteKind::LesionFroc),
            other => Err(CoreError::invalid(
                origin(suite),
                None,
                format!(
                    "protocol.answer: expected \"case\" or \"lesions\", found {}",
                    other.map_or("nothing".to_string(), |s| format!("\"{s}\""))
                ),
            )),
        }
    }
}

/// An integer protocol setting with a default, checked to lie in `range`.
pub fn protocol_usize(
    suite: &SuiteSpec,
    key: &str,
    default: usize,
    range: std::ops::RangeInclusive<usize>,
) -> Result<usize, CoreError> {
    let v = match suite.protocol.get(key) {
        None => return Ok(default),
        Some(v) => v.as_integer().and_then(|i| usize::try_from(i).ok()),
    };
    v.filter(|v| range.contains(v)).ok_or_else(|| {
        CoreError::invalid(
            origin(suite),
            None,
            format!(
                "protocol.{key}: expected an integer in {}..={}",
                range.start(),
                range.end()
            ),
        )
    })
}

/// The positive fraction of the generated dataset (`dataset.positive_fraction`, default 0.5).
pub fn positive_fraction(suite: &SuiteSpec) -> Result<f64, CoreError> {
    match suite.dataset.get("positive_fraction") {
        None => Ok(0.5),
        Some(v) => v
            .as_float()
            .filter(|f| (0.0..=1.0).contains(f))
            .ok_or_else(|| {
                CoreError::invalid(
                    origin(suite),
                    None,
                    "dataset.positive_fraction: expected a number between 0 and 1",
                )
            }),
    }
}

/// The phantom parameters from the suite's `[dataset]` table.
pub fn phantom_params(suite: &SuiteSpec) -> Result<PhantomParams, CoreError> {
    let mut p = PhantomParams::default();
    let int = |key: &str, default: usize, lo: usize, hi: usize| -> Result<usize, CoreError> {
        match suite.dataset.get(key) {
            None => Ok(default),
            Some(v) => v
                .as_integer()
                .and_then(|i| usize::try_from(i).ok())
                .filter(|v| (lo..=hi).contains(v))
                .ok_or_else(|| {
                    CoreError::invalid(
                        origin(suite),
                        None,
                        format!("dataset.{key}: expected an integer in {lo}..={hi}"),
                    )
                }),
        }
    };
    p.size = int("size", p.size, 64, 1024)?;
    p.slices = int("slices", p.slices, 1, 16)?;
    if let Some(g) = suite.dataset.get("generator")
        && g.as_str() != Some("ct-phantom")
    {
        return Err(CoreError::invalid(
            origin(suite),
            None,
            format!("dataset.generator: expected \"ct-phantom\", found {g}"),
        ));
    }
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

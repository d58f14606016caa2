//! Input validation: declarations and dataset manifests are refused with the file, the line or
//! entry, and what was expected.

use jiebang_core::*;
use jiebang_scorecard::{Better, Comparison};
use std::path::Path;

fn direction() -> Direction {
    Direction {
        id: "medical-imaging",
        name_zh: "医疗影像辅助诊断系统",
        name_en: "medical imaging diagnosis",
        indicators: vec![
            Indicator {
                id: "imaging.detection_rate",
                name_zh: "检出率",
                name_en: "detection rate",
                metric: "case.sensitivity",
                national_target: Some(NationalTarget {
                    comparison: Comparison::Gt,
                    value: 0.95,
                    source: NATIONAL_SOURCE,
                    unconfirmed: false,
                }),
            },
            Indicator {
                id: "imaging.false_negative_rate",
                name_zh: "假阴性率",
                name_en: "false-negative rate",
                metric: "case.fnr",
                national_target: None,
            },
        ],
        metrics: vec![
            MetricSpec {
                id: "case.sensitivity",
                unit: "ratio",
                better: Better::Higher,
                kind: MetricKind::Proportion,
                description: "",
            },
            MetricSpec {
                id: "case.fnr",
                unit: "ratio",
                better: Better::Lower,
                kind: MetricKind::Proportion,
                description: "",
            },
            MetricSpec {
                id: "case.auc",
                unit: "ratio",
                better: Better::Higher,
                kind: MetricKind::Continuous,
                description: "",
            },
        ],
    }
}

const GOOD: &str = r#"schema_version = 1
unit = "Example Lab"
direction = "medical-imaging"

[[indicator]]
id = "imaging.detection_rate"
current = 0.93
target_2020 = 0.96

[[indicator]]
id = "imaging.false_negative_rate"
current = 0.03
target_2020 = 0.01

[[custom]]
id = "lab.auc"
name_zh = "曲线下面积"
name_en = "AUC"
metric = "case.auc"
current = 0.9
target_2020 = 0.95
"#;

fn parse(text: &str) -> Result<Declaration, String> {
    let d = direction();
    Declaration::parse(Path::new("unit.toml"), text, &[&d]).map_err(|e| e.to_string())
}

#[test]
fn catalogue_is_consistent() {
    direction().check().unwrap();
}

#[test]
fn good_declaration_parses() {
    let d = parse(GOOD).unwrap();
    assert_eq!(d.unit, "Example Lab");
    assert_eq!(d.levels.len(), 2);
    assert_eq!(d.custom[0].metric, "case.auc");
    assert_eq!(d.hash.len(), 64);
}

fn rejected(text: &str, needles: &[&str]) {
    let err = parse(text).unwrap_err();
    for n in needles {
        assert!(err.contains(n), "error `{err}` lacks `{n}`");
    }
}

#[test]
fn unknown_indicator_names_id_file_and_line() {
    rejected(
        &GOOD.replace("imaging.false_negative_rate", "imaging.made_up"),
        &[
            "unit.toml:11",
            "imaging.made_up",
            "unknown indicator",
            "known:",
        ],
    );
}

#[test]
fn negative_rate_is_refused() {
    rejected(
        &GOOD.replace("current = 0.03", "current = -0.03"),
        &["unit.toml:12", "between 0 and 1"],
    );
}

#[test]
fn target_on_wrong_side_of_better_is_refused() {
    rejected(
        &GOOD.replace("target_2020 = 0.96", "target_2020 = 0.90"),
        &["unit.toml:8", "below current", "higher is better"],
    );
    rejected(
        &GOOD.replace("target_2020 = 0.01", "target_2020 = 0.05"),
        &["unit.toml:13", "above current", "lower is better"],
    );
}

#[test]
fn missing_field_is_named() {
    rejected(
        &GOOD.replace("target_2020 = 0.96\n", ""),
        &["unit.toml:5", "target_2020"],
    );
    rejected(
        &GOOD.replace("unit = \"Example Lab\"\n", ""),
        &["unit.toml", "unit"],
    );
}

#[test]
fn malformed_toml_is_refused_with_line() {
    rejected(
        &GOOD.replace("current = 0.93", "current = = 0.93"),
        &["unit.toml:7"],
    );
}

#[test]
fn custom_metric_must_be_in_catalogue() {
    rejected(
        &GOOD.replace("metric = \"case.auc\"", "metric = \"case.nope\""),
        &["unit.toml:19", "case.nope", "catalogue"],
    );
}

#[test]
fn wrong_direction_and_unknown_field() {
    rejected(
        &GOOD.replace("direction = \"medical-imaging\"", "direction = \"speech\""),
        &["unit.toml:3", "unknown direction"],
    );
    rejected(
        &GOOD.replace("current = 0.93", "current = 0.93\nextra = 1"),
        &["unit.toml:8", "extra"],
    );
}

#[test]
fn manifest_refuses_escaping_paths() {
    for bad in [
        "../../etc/passwd",
        "/etc/passwd",
        "a/../../b",
        "./a",
        "a\\b",
        "",
    ] {
        let err = check_relative_path(Path::new("m.json"), bad)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("m.json") && err.contains("relative path inside"),
            "{bad}: {err}"
        );
    }
    assert!(check_relative_path(Path::new("m.json"), "cases/001/slice.dcm").is_ok());
}

#[test]
fn manifest_detects_changed_missing_and_escaping_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("a")).unwrap();
    std::fs::write(root.join("a/x.txt"), b"hello").unwrap();
    std::fs::write(root.join("labels.json"), b"{}").unwrap();
    let m = Manifest::build(root, Default::default()).unwrap();
    assert_eq!(m.files.len(), 2);
    m.write(root).unwrap();
    let ds = Dataset::open_verified(root).unwrap();
    assert_eq!(ds.hash, m.hash());

    std::fs::write(root.join("a/x.txt"), b"hellO").unwrap();
    let err = Dataset::open_verified(root).unwrap_err().to_string();
    assert!(err.contains("x.txt") && err.contains("sha256"), "{err}");
    std::fs::write(root.join("a/x.txt"), b"hello!").unwrap();
    let err = Dataset::open_verified(root).unwrap_err().to_string();
    assert!(err.contains("x.txt") && err.contains("size"), "{err}");
    std::fs::remove_file(root.join("a/x.txt")).unwrap();
    let err = Dataset::open_verified(root).unwrap_err().to_string();
    assert!(err.contains("a/x.txt"), "{err}");

    let text = std::fs::read_to_string(root.join(MANIFEST_FILE)).unwrap();
    std::fs::write(
        root.join(MANIFEST_FILE),
        text.replace("a/x.txt", "../../etc/passwd"),
    )
    .unwrap();
    let err = Dataset::open_verified(root).unwrap_err().to_string();
    assert!(
        err.contains("../../etc/passwd") && err.contains("manifest.json"),
        "{err}"
    );
}

const ROUND: &str = r#"schema_version = 1
round = "2020-r1"
title = "Test round"
trusted_keys = ["keys/agency.pub"]

[[direction]]
id = "medical-imaging"
ranking_indicator = "imaging.detection_rate"
"#;

#[test]
fn a_round_file_is_read_with_defaults_and_paths_beside_it() {
    let d = direction();
    let r = round::Round::parse(Path::new("rounds/r1/round.toml"), ROUND, &[&d]).unwrap();
    assert_eq!(r.round, "2020-r1");
    assert_eq!(r.trusted_keys, vec![Path::new("rounds/r1/keys/agency.pub")]);
    let m = r.direction("medical-imaging").unwrap();
    assert_eq!((m.selected, m.successful), (5, 3));
    assert_eq!(m.ranking_indicator, "imaging.detection_rate");
}

#[test]
fn a_bad_round_file_names_the_line_and_the_expectation() {
    let d = direction();
    for (edit, line, expect) in [
        (
            ROUND.replace("id = \"medical-imaging\"", "id = \"speech\""),
            7,
            "unknown direction",
        ),
        (
            ROUND.replace("imaging.detection_rate", "imaging.auc"),
            8,
            "not an indicator of medical-imaging",
        ),
        (
            format!("{ROUND}selected = 6\n"),
            9,
            "selected = 6: expected 1..=5",
        ),
        (
            format!("{ROUND}selected = 2\nsuccessful = 3\n"),
            10,
            "successful = 3: expected 1..=2",
        ),
        (ROUND.replace("\"2020-r1\"", "\"\""), 2, "round: expected"),
        (
            format!(
                "{ROUND}[[direction]]\nid = \"medical-imaging\"\nranking_indicator = \"imaging.detection_rate\"\n"
            ),
            10,
            "listed twice",
        ),
    ] {
        let e = round::Round::parse(Path::new("round.toml"), &edit, &[&d])
            .unwrap_err()
            .to_string();
        assert!(e.contains(&format!("round.toml:{line}")), "{e}");
        assert!(e.contains(expect), "{e}");
    }
}

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
            MetricSpec::new(
                "case.sensitivity",
                "ratio",
                Better::Higher,
                MetricKind::Proportion,
                "",
            ),
            MetricSpec::new(
                "case.fnr",
                "ratio",
                Better::Lower,
                MetricKind::Proportion,
                "",
            ),
            MetricSpec::new(
                "case.auc",
                "ratio",
                Better::Higher,
                MetricKind::Continuous,
                "",
            ),
        ],
        digests: vec![],
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
    std::fs::create_dir_all(root.join("inputs/a")).unwrap();
    std::fs::create_dir_all(root.join("truth")).unwrap();
    std::fs::write(root.join("inputs/a/x.txt"), b"hello").unwrap();
    std::fs::write(root.join("truth/labels.json"), b"{}").unwrap();
    let m = Manifest::build(root, Default::default()).unwrap();
    assert_eq!(m.files.len(), 2);
    assert_eq!(m.schema_version, MANIFEST_SCHEMA_VERSION);
    m.write(root).unwrap();
    let ds = Dataset::open_verified(root).unwrap();
    assert_eq!(ds.hash, m.hash());
    let (inputs, truth) = (ds.inputs(), ds.truth());
    assert!(inputs.contains("a/x.txt") && truth.contains("labels.json"));
    assert!(!inputs.contains("labels.json") && !truth.contains("a/x.txt"));
    assert_eq!(
        inputs.path("a/x.txt", "x").unwrap(),
        root.join("inputs/a/x.txt")
    );
    assert_eq!(inputs.read("a/x.txt", "x").unwrap(), b"hello");
    assert_eq!(
        truth.path("labels.json", "labels").unwrap(),
        root.join("truth/labels.json")
    );
    assert_eq!(truth.read_text("labels.json", 64, "labels").unwrap(), "{}");
    assert_eq!(inputs.query_path("a/x.txt").unwrap(), "a/x.txt");
    // A query can carry no truth file, no unlisted file and no path leaving the root.
    for bad in [
        "labels.json",
        "../truth/labels.json",
        "a/y.txt",
        "/etc/passwd",
        "",
    ] {
        let e = inputs.query_path(bad).unwrap_err().to_string();
        assert!(e.contains("manifest.json"), "{bad}: {e}");
    }
    let e = truth.path("a/x.txt", "the labels").unwrap_err().to_string();
    assert!(
        e.contains("not listed under `truth/`") && e.contains("expected the labels"),
        "{e}"
    );

    std::fs::write(root.join("inputs/a/x.txt"), b"hellO").unwrap();
    let err = Dataset::open_verified(root).unwrap_err().to_string();
    assert!(err.contains("x.txt") && err.contains("sha256"), "{err}");
    std::fs::write(root.join("inputs/a/x.txt"), b"hello!").unwrap();
    let err = Dataset::open_verified(root).unwrap_err().to_string();
    assert!(err.contains("x.txt") && err.contains("size"), "{err}");
    std::fs::remove_file(root.join("inputs/a/x.txt")).unwrap();
    let err = Dataset::open_verified(root).unwrap_err().to_string();
    assert!(err.contains("inputs/a/x.txt"), "{err}");

    let text = std::fs::read_to_string(root.join(MANIFEST_FILE)).unwrap();
    std::fs::write(
        root.join(MANIFEST_FILE),
        text.replace("inputs/a/x.txt", "../../etc/passwd"),
    )
    .unwrap();
    let err = Dataset::open_verified(root).unwrap_err().to_string();
    assert!(
        err.contains("../../etc/passwd") && err.contains("manifest.json"),
        "{err}"
    );
}

/// A small dataset with two input files and one truth file, its manifest written.
fn two_part_dataset(root: &Path) -> Manifest {
    std::fs::create_dir_all(root.join("inputs/s")).unwrap();
    std::fs::create_dir_all(root.join("truth")).unwrap();
    std::fs::write(root.join("inputs/s/1.bin"), b"one").unwrap();
    std::fs::write(root.join("inputs/s/2.bin"), b"two").unwrap();
    std::fs::write(root.join("truth/labels.json"), b"[1, 0]").unwrap();
    let m = Manifest::build(root, Default::default()).unwrap();
    m.write(root).unwrap();
    m
}

fn edit_manifest(root: &Path, edit: impl FnOnce(&mut serde_json::Value)) {
    let p = root.join(MANIFEST_FILE);
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
    edit(&mut v);
    std::fs::write(&p, serde_json::to_string_pretty(&v).unwrap()).unwrap();
}

#[test]
fn manifest_order_does_not_change_the_id_and_duplicates_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let m = two_part_dataset(root);
    edit_manifest(root, |v| v["files"].as_array_mut().unwrap().reverse());
    let ds = Dataset::open_verified(root).unwrap();
    assert_eq!(ds.hash, m.hash(), "the canonical form sorts the entries");
    assert_eq!(ds.manifest.files, m.files);

    edit_manifest(root, |v| {
        let first = v["files"][0].clone();
        v["files"].as_array_mut().unwrap().push(first);
    });
    let err = Dataset::open_verified(root).unwrap_err().to_string();
    assert!(
        err.contains("manifest.json:")
            && err.contains("files[3]")
            && err.contains("listed twice")
            && err.contains("truth/labels.json"),
        "{err}"
    );
}

#[test]
fn every_entry_lies_in_one_of_the_two_parts() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    two_part_dataset(root);
    std::fs::write(root.join("labels.json"), b"[1, 0]").unwrap();
    edit_manifest(root, |v| v["files"][2]["path"] = "labels.json".into());
    let err = Dataset::open_verified(root).unwrap_err().to_string();
    assert!(
        err.contains("manifest.json")
            && err.contains("`labels.json` is not under `inputs/` or `truth/`"),
        "{err}"
    );
    // Building refuses a file outside the parts, naming it.
    let err = Manifest::build(root, Default::default())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("labels.json") && err.contains("outside `inputs/` and `truth/`"),
        "{err}"
    );
    // An input that is a link into the truth is refused.
    #[cfg(unix)]
    {
        std::fs::remove_file(root.join("labels.json")).unwrap();
        let m = Manifest::build(root, Default::default()).unwrap();
        m.write(root).unwrap();
        std::fs::remove_file(root.join("inputs/s/1.bin")).unwrap();
        std::os::unix::fs::symlink("../../truth/labels.json", root.join("inputs/s/1.bin")).unwrap();
        edit_manifest(root, |v| {
            v["files"][0]["size"] = 6.into();
            v["files"][0]["sha256"] = v["files"][2]["sha256"].clone();
        });
        let err = Dataset::open_verified(root).unwrap_err().to_string();
        assert!(
            err.contains("inputs/s/1.bin") && err.contains("resolves outside"),
            "{err}"
        );
    }
}

#[test]
fn an_old_unsplit_dataset_is_refused_with_how_to_convert() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join(MANIFEST_FILE),
        r#"{"schema_version": 1, "meta": {"suite": "medical-imaging/case-detection@1",
            "generator": "ct-phantom:3 seed=7 samples=4", "samples": 4}, "files": []}"#,
    )
    .unwrap();
    let err = Dataset::open_verified(root).unwrap_err().to_string();
    assert!(
        err.contains("manifest.json: field `schema_version`: 1 is the old, unsplit dataset layout")
            && err.contains(
                "`jiebang data gen medical-imaging/case-detection@1 --samples 4 --seed 7 --out NEW_DIR`"
            )
            && err.contains("jiebang data convert"),
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

/// The manifest entry of the file `p` under `root`.
fn entry_of(root: &Path, p: &str) -> serde_json::Value {
    serde_json::json!({"path": p, "size": std::fs::metadata(root.join(p)).unwrap().len(),
                       "sha256": sha256_file(&root.join(p)).unwrap()})
}

#[test]
fn an_old_dataset_converts_in_place_keeping_every_path_below_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // nn-chip's old layout: the index beside an `inputs/` folder, whose paths it names.
    std::fs::create_dir_all(root.join("inputs/w")).unwrap();
    std::fs::write(root.join("inputs/w/a.f32"), b"tensor").unwrap();
    std::fs::write(root.join("inputs/x"), b"inner").unwrap();
    std::fs::write(root.join("x"), b"outer").unwrap();
    std::fs::write(root.join("workloads.json"), b"{\"a\": \"inputs/w/a.f32\"}").unwrap();
    let old = serde_json::json!({"schema_version": 1, "meta": {"suite": "nn-chip/kernels@1"},
        "files": [entry_of(root, "x"), entry_of(root, "inputs/x"),
                  entry_of(root, "workloads.json"), entry_of(root, "inputs/w/a.f32")]});
    std::fs::write(root.join(MANIFEST_FILE), old.to_string()).unwrap();
    assert!(Dataset::open_verified(root).is_err());
    assert_eq!(
        layout1_suite(root).unwrap().as_deref(),
        Some("nn-chip/kernels@1")
    );

    let (m, moves) = convert_layout1(root, &["workloads.json"]).unwrap();
    assert_eq!(moves.len(), 4);
    let paths: Vec<&str> = m.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "inputs/inputs/w/a.f32",
            "inputs/inputs/x",
            "inputs/x",
            "truth/workloads.json"
        ]
    );
    let ds = Dataset::open_verified(root).unwrap();
    assert_eq!(ds.inputs().read("x", "x").unwrap(), b"outer");
    assert_eq!(ds.inputs().read("inputs/x", "x").unwrap(), b"inner");
    assert!(ds.truth().contains("workloads.json"));
    assert!(
        !root.join("inputs/w").exists(),
        "emptied folders are removed"
    );

    // A changed file stops the conversion before anything moves.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("a.dcm"), b"image").unwrap();
    std::fs::write(root.join("annotations.json"), b"{}").unwrap();
    let old = serde_json::json!({"schema_version": 1, "files": [
        {"path": "a.dcm", "size": 5, "sha256": "0".repeat(64)},
        entry_of(root, "annotations.json")]});
    std::fs::write(root.join(MANIFEST_FILE), old.to_string()).unwrap();
    let err = convert_layout1(root, &["annotations.json"])
        .unwrap_err()
        .to_string();
    assert!(err.contains("a.dcm"), "{err}");
    assert!(root.join("a.dcm").is_file() && !root.join("inputs").exists());
}

//! The medical-imaging direction through the real binary: `builtin:log-blob` and the example
//! process SUT on both suites, on the generated default data (shrunk with `--samples`), each
//! giving a scorecard that `jiebang verify` accepts.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn example_sut() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/suts/example_sut.py")
}

/// `jiebang run --json` of `suite` with `sut` on `samples` studies; returns the JSON summary.
fn run(dir: &Path, suite: &str, sut: &str, samples: &str) -> Value {
    let o = Command::cargo_bin("jiebang")
        .unwrap()
        .current_dir(dir)
        .env("JIEBANG_DATA", dir.join("data"))
        .args(["run", "--suite", suite, "--sut", sut, "--samples", samples])
        .args(["--out", "out", "--json", "--quiet"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn verified_scorecard(dir: &Path, out: &Value) -> Value {
    let path = dir.join(out["scorecard"].as_str().unwrap());
    Command::cargo_bin("jiebang")
        .unwrap()
        .current_dir(dir)
        .env("JIEBANG_DATA", dir.join("data"))
        .arg("verify")
        .arg(&path)
        .assert()
        .success();
    serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap()
}

#[test]
fn builtin_log_blob_runs_both_suites() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let out = run(
        dir,
        "medical-imaging/case-detection",
        "builtin:log-blob",
        "24",
    );
    assert_eq!(out["queries"]["issued"], 24);
    let sc = verified_scorecard(dir, &out);
    let m = &sc["metrics"]["case.sensitivity"];
    assert_eq!(m["n"], 12);
    assert!(m["value"].as_f64().unwrap() >= 0.75, "{m}");
    let ids: Vec<&str> = sc["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"imaging.false_positive_rate"), "{ids:?}");
    // The ROC curve the site draws, from (0, 0) to (1, 1), and `show` names it.
    let roc = &sc["curves"]["case.roc"];
    assert_eq!(
        (&roc["kind"], &roc["metric"]),
        (&"roc".into(), &"case.auc".into())
    );
    let points = roc["points"].as_array().unwrap();
    assert!((3..=200).contains(&points.len()), "{roc}");
    assert_eq!(points[0], serde_json::json!([0.0, 0.0]));
    assert_eq!(points[points.len() - 1], serde_json::json!([1.0, 1.0]));
    let shown = Command::cargo_bin("jiebang")
        .unwrap()
        .arg("show")
        .arg(dir.join(out["scorecard"].as_str().unwrap()))
        .output()
        .unwrap();
    let shown = String::from_utf8(shown.stdout).unwrap();
    let line = format!("curves     case.roc (ROC, {} points)\n", points.len());
    assert!(shown.contains(&line), "{shown}");

    let out = run(dir, "medical-imaging/lesion-froc", "builtin:log-blob", "24");
    let sc = verified_scorecard(dir, &out);
    assert!(sc["metrics"]["lesion.froc_cpm"]["value"].as_f64().unwrap() >= 0.6);
    let froc = &sc["curves"]["lesion.froc"];
    assert_eq!(froc["metric"], "lesion.froc_cpm");
    assert_eq!(froc["x"]["unit"], "per case");
    assert!(froc["points"].as_array().unwrap().len() <= 200, "{froc}");
}

#[test]
fn the_example_process_sut_answers_both_suites() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let sut = format!("python3 {}", example_sut().display());
    for suite in [
        "medical-imaging/case-detection",
        "medical-imaging/lesion-froc",
    ] {
        let out = run(dir, suite, &sut, "8");
        assert_eq!(out["queries"]["answered"], 8, "{out}");
        verified_scorecard(dir, &out);
    }
}

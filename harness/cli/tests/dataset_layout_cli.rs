//! Datasets in two parts through the real binary: a SUT hunting for the truth under the
//! `dataset_root` it is given finds none (and scores like a guess), an old unsplit dataset is
//! refused with how to fix it and `data convert` fixes it, the manifest's canonical order makes
//! a reordered manifest the same dataset and a duplicated entry is refused, and `data hash`
//! refuses a file outside the two parts.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A hostile SUT: it walks everything under `dataset_root` for label files and answers from
/// them when it finds any (100% on the old layout); otherwise it answers "no disease" to every
/// study. It says on stderr which non-input files it saw and whether a query named a file
/// that is not under `dataset_root`.
const TRUTH_HUNTER: &str = r#"
import json, os, sys
hello = json.loads(sys.stdin.readline())
root = hello["dataset_root"]
labels, foreign = {}, []
for d, _, files in os.walk(root):
    for f in files:
        rel = os.path.relpath(os.path.join(d, f), root)
        if not rel.endswith((".dcm", ".f32", ".f16", ".i8")):
            foreign.append(rel)
        if f == "annotations.json":
            with open(os.path.join(d, f)) as fh:
                for s in json.load(fh)["studies"]:
                    labels[s["id"]] = s["positive"]
print("truth-hunt: non-input files under dataset_root: %s; labels found: %d"
      % (sorted(foreign), len(labels)), file=sys.stderr, flush=True)
print(json.dumps({"type": "ready", "name": "truth-hunter", "version": "1"}), flush=True)
for line in sys.stdin:
    q = json.loads(line)
    if q["type"] == "end":
        break
    named = q["files"] if "files" in q else [v["path"] for v in q["inputs"].values()]
    missing = [p for p in named if not os.path.isfile(os.path.join(root, p))]
    if missing:
        print("truth-hunt: query names files not under dataset_root: %s" % missing,
              file=sys.stderr, flush=True)
    if "study" in q:
        pos = labels.get(q["study"], False)
        a = {"positive": pos, "score": 1.0 if pos else 0.0, "lesions": []}
    else:
        a = {"seconds": [0.001] * q["iterations"], "output_digest": "0" * 64,
             "probes": [0] * len(q["probe"])}
    a.update({"type": "result", "id": q["id"]})
    print(json.dumps(a), flush=True)
"#;

const CASES: &str = "medical-imaging/case-detection";

fn jiebang(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("jiebang").unwrap();
    c.current_dir(dir).env("JIEBANG_DATA", dir.join("data"));
    c
}

/// `jiebang data gen SUITE --samples N --out DIR`; returns the dataset id it prints.
fn generate(dir: &Path, suite: &str, samples: &str, out: &str) -> String {
    let o = jiebang(dir)
        .args([
            "--quiet",
            "data",
            "gen",
            suite,
            "--samples",
            samples,
            "--out",
            out,
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout)
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

/// `jiebang data verify --json DIR` (which must pass).
fn verify(dir: &Path, ds: &str) -> Value {
    let o = jiebang(dir)
        .args(["data", "verify", "--json", ds])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// Runs the truth hunter on `suite` over the dataset `ds`; returns the JSON summary and the
/// text of its log.
fn hunt(dir: &Path, suite: &str, ds: &str, out: &str) -> (Value, String) {
    std::fs::write(dir.join("hunter.py"), TRUTH_HUNTER).unwrap();
    let o = jiebang(dir)
        .args(["run", "--suite", suite, "--sut", "python3 hunter.py"])
        .args(["--data", ds, "--out", out, "--json", "--quiet"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let log = v["log"][0].as_str().unwrap();
    let text = std::fs::read_to_string(dir.join(log)).unwrap();
    (v, text)
}

#[test]
fn a_sut_hunting_for_the_truth_finds_none_and_scores_like_a_guess() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    generate(d, CASES, "12", "ds");
    let (out, log) = hunt(d, CASES, "ds", "out");
    assert!(
        log.contains("truth-hunt: non-input files under dataset_root: []; labels found: 0"),
        "the SUT saw more than the inputs:\n{log}"
    );
    assert!(!log.contains("not under dataset_root"), "{log}");
    assert_eq!(out["queries"]["answered"], 12, "{out}");
    // Six diseased studies, all called healthy: what a SUT that knows nothing scores.
    let sensitivity = &out["metrics"]["case.sensitivity"];
    assert_eq!(sensitivity["n"], 6, "{out}");
    assert_eq!(sensitivity["value"].as_f64(), Some(0.0), "{out}");

    // nn-chip: the index lies in truth/ too, and every input a query names is under the root.
    generate(d, "nn-chip/kernels", "2", "kernels");
    let (out, log) = hunt(d, "nn-chip/kernels", "kernels", "out-k");
    assert!(
        log.contains("truth-hunt: non-input files under dataset_root: []; labels found: 0"),
        "{log}"
    );
    assert!(!log.contains("not under dataset_root"), "{log}");
    // Two workloads, each queried twice (`<id>` and `<id>/long`, for the timing check).
    assert_eq!(out["queries"]["issued"], 4, "{out}");
}

/// Turns a generated medical-imaging dataset back into the old unsplit layout (schema 1):
/// images and `annotations.json` side by side at the root.
fn unsplit(ds: &Path) {
    std::fs::rename(ds.join("inputs/studies"), ds.join("studies")).unwrap();
    std::fs::rename(
        ds.join("truth/annotations.json"),
        ds.join("annotations.json"),
    )
    .unwrap();
    std::fs::remove_dir(ds.join("inputs")).unwrap();
    std::fs::remove_dir(ds.join("truth")).unwrap();
    let path = ds.join("manifest.json");
    let mut m: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    m["schema_version"] = 1.into();
    for f in m["files"].as_array_mut().unwrap() {
        let p = f["path"].as_str().unwrap();
        let old = p
            .strip_prefix("inputs/")
            .or_else(|| p.strip_prefix("truth/"))
            .unwrap()
            .to_string();
        f["path"] = old.into();
    }
    std::fs::write(&path, serde_json::to_string_pretty(&m).unwrap()).unwrap();
}

#[test]
fn an_old_unsplit_dataset_is_refused_with_how_to_fix_it_and_converts() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let id = generate(d, CASES, "3", "old");
    unsplit(&d.join("old"));
    let expected = [
        "manifest.json: field `schema_version`: 1 is the old, unsplit dataset layout",
        "jiebang data gen medical-imaging/case-detection@1 --samples 3 --seed 2020 --out NEW_DIR",
        "jiebang data convert",
    ];
    jiebang(d)
        .args([
            "run",
            "--suite",
            CASES,
            "--sut",
            "builtin:log-blob",
            "--data",
            "old",
        ])
        .assert()
        .code(2)
        .stderr(predicate::function(|e: &str| {
            expected.iter().all(|x| e.contains(x))
        }));
    jiebang(d)
        .args(["data", "verify", "old"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(expected[0]));

    // Converted in place: the labels go to truth/, the images under inputs/ with their paths,
    // which is exactly the dataset `data gen` writes (the same id).
    jiebang(d)
        .args(["data", "convert", "old"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("moved annotations.json -> truth/annotations.json")
                .and(predicate::str::contains("moved 3 other files -> inputs/"))
                .and(predicate::str::contains(&id)),
        );
    assert!(
        d.join("old/inputs/studies/study-0000/slice-000.dcm")
            .is_file()
    );
    assert!(!d.join("old/studies").exists());
    let v = verify(d, "old");
    assert_eq!(v["dataset"], id.as_str(), "{v}");
    // A second conversion has nothing to do.
    jiebang(d)
        .args(["data", "convert", "old"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nothing to convert"));
}

#[test]
fn a_reordered_manifest_is_the_same_dataset_and_a_duplicate_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let id = generate(d, CASES, "3", "ds");
    let path = d.join("ds/manifest.json");
    let mut m: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    m["files"].as_array_mut().unwrap().reverse();
    std::fs::write(&path, serde_json::to_string_pretty(&m).unwrap()).unwrap();
    assert_eq!(verify(d, "ds")["dataset"], id.as_str());

    let dup = m["files"][1].clone();
    let dup_path = dup["path"].as_str().unwrap().to_string();
    m["files"].as_array_mut().unwrap().push(dup);
    std::fs::write(&path, serde_json::to_string_pretty(&m).unwrap()).unwrap();
    for args in [
        vec!["data", "verify", "ds"],
        vec![
            "run",
            "--suite",
            CASES,
            "--sut",
            "builtin:log-blob",
            "--data",
            "ds",
        ],
    ] {
        jiebang(d).args(&args).assert().code(2).stderr(
            predicate::str::contains("manifest.json:").and(predicate::str::contains(format!(
                "field `files[4]`: `{dup_path}` is listed twice (also `files[1]`)"
            ))),
        );
    }
}

#[test]
fn data_hash_takes_only_the_two_parts() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let root: PathBuf = d.join("agency");
    std::fs::create_dir_all(root.join("inputs/ct")).unwrap();
    std::fs::write(root.join("inputs/ct/1.dcm"), b"not really dicom").unwrap();
    std::fs::write(root.join("labels.json"), b"{}").unwrap();
    jiebang(d)
        .args(["data", "hash", "agency"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("labels.json")
                .and(predicate::str::contains("outside `inputs/` and `truth/`")),
        );
    std::fs::create_dir_all(root.join("truth")).unwrap();
    std::fs::rename(root.join("labels.json"), root.join("truth/labels.json")).unwrap();
    jiebang(d)
        .args(["data", "hash", "agency"])
        .assert()
        .success();
    let v = verify(d, "agency");
    assert_eq!(v["files"], 2, "{v}");
    // Without an inputs/ folder there is nothing to give a SUT.
    std::fs::create_dir_all(d.join("flat")).unwrap();
    std::fs::write(d.join("flat/1.dcm"), b"x").unwrap();
    jiebang(d)
        .args(["data", "hash", "flat"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("inputs").and(predicate::str::contains("missing")));
}

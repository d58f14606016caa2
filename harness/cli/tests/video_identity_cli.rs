//! The video-identity direction through the real binary: `builtin:face-baseline` and two
//! process SUTs (a fixed-answer one written here, and scripts/suts/example_sut.py, which answers
//! by trivial rules) on all three decision suites, on the generated default data shrunk with `--samples`; every scorecard verifies. The
//! template-style suites run with the built-in on cpu and wgpu (skipped without an adapter unless
//! `JIEBANG_REQUIRE_WGPU=1`) and give the same metrics on both.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

const SUITES: [&str; 3] = [
    "video-identity/detect",
    "video-identity/verify-1to1",
    "video-identity/identify-1toN",
];

/// A process SUT that answers every suite with a fixed, well-formed answer (one box, score
/// 0.5, the first enrolled identity), reading the enrolment list from the inputs.
const FIXED_SUT: &str = r#"
import csv, json, os, sys
hello = json.loads(sys.stdin.readline())
root = hello["dataset_root"]
gallery = []
if os.path.exists(os.path.join(root, "gallery.csv")):
    with open(os.path.join(root, "gallery.csv")) as f:
        gallery = [row["identity"] for row in csv.DictReader(f)]
print(json.dumps({"type": "ready", "name": "fixed", "version": "1"}), flush=True)
for line in sys.stdin:
    msg = json.loads(line)
    if msg["type"] == "end":
        break
    if "clip" in msg:
        answer = {"faces": [{"x": 10, "y": 10, "w": 40, "h": 50, "score": 0.5}]}
    elif "a" in msg:
        answer = {"score": 0.5}
    else:
        answer = {"candidates": [{"identity": gallery[0], "score": 0.5}]}
    answer.update({"type": "result", "id": msg["id"]})
    print(json.dumps(answer), flush=True)
"#;

fn example_sut() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/suts/example_sut.py")
}

/// `jiebang run --json` of `suite` with `sut` on `samples` samples; returns the JSON summary.
fn run(dir: &Path, suite: &str, sut: &str, samples: &str) -> Value {
    run_on(dir, suite, sut, samples, "cpu")
}

/// As [`run`], on `backend`.
fn run_on(dir: &Path, suite: &str, sut: &str, samples: &str, backend: &str) -> Value {
    let o = Command::cargo_bin("jiebang")
        .unwrap()
        .current_dir(dir)
        .env("JIEBANG_DATA", dir.join("data"))
        .args(["run", "--suite", suite, "--sut", sut, "--samples", samples])
        .args(["--backend", backend, "--out", &format!("out-{backend}")])
        .args(["--json", "--quiet"])
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

fn value(sc: &Value, id: &str) -> f64 {
    sc["metrics"][id]["value"]
        .as_f64()
        .unwrap_or_else(|| panic!("{id}: {}", sc["metrics"][id]))
}

#[test]
fn the_builtin_baseline_runs_all_three_suites() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let out = run(dir, SUITES[0], "builtin:face-baseline", "16");
    assert_eq!(out["queries"]["answered"], 16, "{out}");
    let sc = verified_scorecard(dir, &out);
    assert!(value(&sc, "detect.rate") > 0.8, "{}", sc["metrics"]);
    assert!(value(&sc, "detect.precision") > 0.8, "{}", sc["metrics"]);
    let ids: Vec<&str> = sc["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"face.detect_rate"), "{ids:?}");

    let out = run(dir, SUITES[1], "builtin:face-baseline", "100");
    let sc = verified_scorecard(dir, &out);
    assert!(value(&sc, "verify.eer") < 0.3, "{}", sc["metrics"]);
    // 80 impostor pairs cannot show FMR = 1e-3: not measured, with the reason.
    let m = &sc["metrics"]["verify.fnmr_at_fmr_1e-3"];
    assert!(
        m["value"].is_null() && m["reason"].as_str().unwrap().contains("1000"),
        "{m}"
    );
    let det = &sc["curves"]["verification.det"];
    assert_eq!(
        (&det["kind"], &det["metric"]),
        (&"det".into(), &"verify.eer".into())
    );
    assert!(det["x"]["log"] == true && det["y"]["log"] == true, "{det}");

    let out = run(dir, SUITES[2], "builtin:face-baseline", "40");
    let sc = verified_scorecard(dir, &out);
    assert_eq!(
        sc["metrics"]["identify.rank1"]["n"], 20,
        "{}",
        sc["metrics"]
    );
    assert!(value(&sc, "identify.rank10") >= value(&sc, "identify.rank1"));
    assert!(value(&sc, "identify.rank1") > 0.5, "{}", sc["metrics"]);
    // The CMC over ranks 1..=10 (the suite's k): rank k's point is the rank-k metric.
    let cmc = sc["curves"]["identification.cmc"]["points"]
        .as_array()
        .unwrap();
    assert_eq!(cmc.len(), 10);
    for (k, id) in [
        (1, "identify.rank1"),
        (5, "identify.rank5"),
        (10, "identify.rank10"),
    ] {
        assert_eq!(cmc[k - 1], serde_json::json!([k as f64, value(&sc, id)]));
    }
}

#[test]
fn process_suts_answer_all_three_suites() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join("fixed_sut.py"), FIXED_SUT).unwrap();
    for suite in SUITES {
        let out = run(dir, suite, "python3 fixed_sut.py", "6");
        assert_eq!(out["queries"]["answered"], 6, "{suite}: {out}");
        verified_scorecard(dir, &out);
    }
    // The example SUT answers each suite by a trivial rule (one centre box, a thumbnail
    // likeness, no candidates): every query answered, every scorecard sealed and verified.
    let sut = format!("python3 {}", example_sut().display());
    for suite in SUITES {
        let out = run(dir, suite, &sut, "4");
        assert_eq!(out["queries"]["answered"], 4, "{suite}: {out}");
        assert_eq!(out["queries"]["failures"]["malformed"], 0, "{suite}: {out}");
        verified_scorecard(dir, &out);
    }
}

#[test]
fn template_suites_match_on_cpu_and_wgpu_alike() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let mut backends = vec!["cpu"];
    match jiebang_accel::Device::open(jiebang_accel::BackendKind::Wgpu) {
        Ok(_) => backends.push("wgpu"),
        Err(e) if std::env::var("JIEBANG_REQUIRE_WGPU").as_deref() == Ok("1") => {
            panic!("JIEBANG_REQUIRE_WGPU=1 but the wgpu backend did not open: {e}")
        }
        Err(e) => eprintln!("wgpu part skipped: {e}"),
    }
    for (suite, samples, queries) in [
        ("video-identity/verify-1to1-template", "100", None),
        // 40 probes and the 100 gallery images: one query per image.
        ("video-identity/identify-1toN-template", "40", Some(140)),
    ] {
        let mut cards = Vec::new();
        for backend in &backends {
            let out = run_on(dir, suite, "builtin:face-baseline", samples, backend);
            if let Some(q) = queries {
                assert_eq!(out["queries"]["answered"], q, "{suite}: {out}");
            }
            assert_eq!(out["queries"]["failures"]["malformed"], 0, "{out}");
            cards.push(verified_scorecard(dir, &out));
        }
        let sc = &cards[0];
        if suite.contains("verify") {
            assert!(value(sc, "verify.eer") < 0.3, "{}", sc["metrics"]);
        } else {
            assert_eq!(
                sc["metrics"]["identify.rank1"]["n"], 20,
                "{}",
                sc["metrics"]
            );
            assert!(value(sc, "identify.rank1") > 0.5, "{}", sc["metrics"]);
            assert_eq!(value(sc, "enrol.fte_rate"), 0.0, "{}", sc["metrics"]);
        }
        // Values, intervals and sample sizes agree across backends (canonical 12-digit
        // numbers). A reason may quote a threshold, an f32 cosine whose last digits depend on
        // the backend's summation order, so reasons are not compared.
        for other in &cards[1..] {
            let metrics = sc["metrics"].as_object().unwrap();
            assert_eq!(metrics.len(), other["metrics"].as_object().unwrap().len());
            for (id, m) in metrics {
                for field in ["value", "ci95", "n"] {
                    assert_eq!(
                        other["metrics"][id][field], m[field],
                        "{suite} {id} {field}"
                    );
                }
            }
        }
    }
}

/// A process SUT answering template queries with one fixed 3-value template, except a 2-value
/// one for the gallery image `gallery/id0001.png`: well-formed, but not of the run's dimension
/// (set by the first gallery image), so that identity fails to enrol. It also asserts that a
/// query names nothing but the image.
const TEMPLATE_SUT: &str = r#"
import json, sys
hello = json.loads(sys.stdin.readline())
print(json.dumps({"type": "ready", "name": "tpl", "version": "1"}), flush=True)
for line in sys.stdin:
    msg = json.loads(line)
    if msg["type"] == "end":
        break
    assert set(msg) <= {"type", "id", "image"}, msg
    t = [1.0, 0.5] if msg["image"] == "gallery/id0001.png" else [1.0, 0.5, 0.25]
    print(json.dumps({"type": "result", "id": msg["id"], "template": t}), flush=True)
"#;

#[test]
fn template_queries_name_only_the_image_and_a_stray_dimension_fails_to_enrol() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join("tpl_sut.py"), TEMPLATE_SUT).unwrap();
    let out = run(
        dir,
        "video-identity/identify-1toN-template",
        "python3 tpl_sut.py",
        "10",
    );
    assert_eq!(out["queries"]["answered"], 110, "{out}");
    let sc = verified_scorecard(dir, &out);
    let fte = &sc["metrics"]["enrol.fte_rate"];
    assert_eq!(fte["value"], 0.01, "{fte}");
    assert_eq!(fte["n"], 100, "{fte}");
}

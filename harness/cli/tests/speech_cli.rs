//! The speech direction through the real binary: the built-in systems and the example process
//! SUT on every generated suite (shrunk with `--samples`), scorecards verified and their
//! conventions shown; bad answers counted as malformed; the supplied-dataset suite refused
//! without its data, naming the script that fetches it.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// (suite, built-in system, samples).
const SUITES: [(&str, &str, &str); 4] = [
    ("speech/asr-zh", "builtin:zh-dtw", "7"),
    ("speech/asr-en", "builtin:en-dtw", "3"),
    ("speech/far-field-5m", "builtin:zh-dtw", "2"),
    ("speech/intent", "builtin:intent-dtw", "3"),
];

/// A process SUT whose answers have the wrong shape: a number for a transcript, an intent
/// without its label.
const BAD_SUT: &str = r#"
import json, sys
hello = json.loads(sys.stdin.readline())
print(json.dumps({"type": "ready", "name": "bad", "version": "1"}), flush=True)
for line in sys.stdin:
    msg = json.loads(line)
    if msg["type"] == "end":
        break
    answer = {"slots": {}} if msg.get("task") == "intent" else {"transcript": 5}
    answer.update({"type": "result", "id": msg["id"]})
    print(json.dumps(answer), flush=True)
"#;

fn example_sut() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/suts/example_sut.py")
}

fn jiebang(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("jiebang").unwrap();
    c.current_dir(dir).env("JIEBANG_DATA", dir.join("data"));
    c
}

/// `jiebang run --json` of `suite` with `sut` on `samples` utterances; the JSON summary.
fn run(dir: &Path, suite: &str, sut: &str, samples: &str) -> Value {
    run_with(dir, suite, sut, samples, &[])
}

/// As [`run`], with more arguments.
fn run_with(dir: &Path, suite: &str, sut: &str, samples: &str, more: &[&str]) -> Value {
    let o = jiebang(dir)
        .args(["run", "--suite", suite, "--sut", sut, "--samples", samples])
        .args(more)
        .args(["--out", "out", "--json", "--quiet"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn verified_scorecard(dir: &Path, out: &Value) -> (PathBuf, Value) {
    let path = dir.join(out["scorecard"].as_str().unwrap());
    jiebang(dir).arg("verify").arg(&path).assert().success();
    let sc = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    (path, sc)
}

fn value(sc: &Value, id: &str) -> f64 {
    sc["metrics"][id]["value"]
        .as_f64()
        .unwrap_or_else(|| panic!("{id}: {}", sc["metrics"][id]))
}

#[test]
fn the_builtin_systems_run_every_generated_suite() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    for (suite, sut, n) in SUITES {
        // One query at a time, so that the harness times each alone.
        let out = run_with(dir, suite, sut, n, &["--set", "max_in_flight=1"]);
        assert_eq!(
            out["queries"]["answered"],
            n.parse::<u64>().unwrap(),
            "{suite}: {out}"
        );
        let (path, sc) = verified_scorecard(dir, &out);
        let metrics = sc["metrics"].as_object().unwrap();
        if suite == "speech/intent" {
            let a = value(&sc, "intent.accuracy");
            assert!((0.0..=1.0).contains(&a), "{a}");
            assert!(metrics["intent.slot_f1"]["convention"].is_string());
        } else {
            let family = sc["metrics"]
                .as_object()
                .unwrap()
                .keys()
                .find(|k| k.ends_with(".sentence_accuracy"))
                .unwrap()
                .trim_end_matches(".sentence_accuracy")
                .to_string();
            let acc = value(&sc, &format!("{family}.accuracy"));
            assert!(acc <= 1.0, "{acc}");
            // Every WER/CER-derived metric states the convention it was computed under.
            for (id, m) in metrics {
                if id.starts_with(&family) {
                    let c = m["convention"]
                        .as_str()
                        .unwrap_or_else(|| panic!("{id}: {m}"));
                    let tok = if family.contains("en") {
                        "tok:word"
                    } else {
                        "tok:char"
                    };
                    assert!(
                        c.contains(tok) && c.contains("jiebang-metrics:"),
                        "{id}: {c}"
                    );
                }
            }
        }
        // The harness's own timings of the queries answered alone (not a session's first).
        let rtf = &sc["metrics"]["response.real_time_factor"];
        assert!(
            rtf["value"].as_f64().is_some_and(|v| v > 0.0),
            "{suite}: {rtf}"
        );
        let (p50, p90) = (
            value(&sc, "response.first_result_latency_p50"),
            value(&sc, "response.first_result_latency_p90"),
        );
        assert!(0.0 < p50 && p50 <= p90, "{p50} {p90}");
        // `jiebang show` lists the conventions.
        if suite == "speech/asr-zh" {
            assert!(value(&sc, "asr_zh.accuracy.quiet").is_finite());
            let shown = jiebang(dir).arg("show").arg(&path).output().unwrap();
            let text = String::from_utf8(shown.stdout).unwrap();
            assert!(
                text.contains("conventions") && text.contains("tok:char|spaces:skip"),
                "{text}"
            );
            let md = jiebang(dir)
                .args(["show", "--format", "markdown"])
                .arg(&path)
                .output()
                .unwrap();
            let md = String::from_utf8(md.stdout).unwrap();
            assert!(md.contains("Conventions"), "{md}");
        }
    }
}

#[test]
fn the_example_sut_answers_and_bad_answers_are_malformed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let sut = format!("python3 {}", example_sut().display());
    for (suite, _, _) in SUITES {
        let out = run(dir, suite, &sut, "2");
        assert_eq!(out["queries"]["answered"], 2, "{suite}: {out}");
        assert_eq!(out["queries"]["failures"]["malformed"], 0, "{suite}: {out}");
        verified_scorecard(dir, &out);
    }
    std::fs::write(dir.join("bad_sut.py"), BAD_SUT).unwrap();
    for suite in ["speech/asr-en", "speech/intent"] {
        let out = run(dir, suite, "python3 bad_sut.py", "2");
        assert_eq!(out["queries"]["failures"]["malformed"], 2, "{suite}: {out}");
        let (_, sc) = verified_scorecard(dir, &out);
        let id = if suite == "speech/intent" {
            "intent.accuracy"
        } else {
            "asr_en.accuracy"
        };
        // A malformed answer counts as wrong (an empty transcript: every word deleted).
        assert_eq!(value(&sc, id), 0.0, "{}", sc["metrics"]);
    }
}

#[test]
fn the_supplied_suite_needs_its_data_and_names_the_script() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let o = jiebang(dir)
        .args([
            "run",
            "--suite",
            "speech/asr-en-recorded",
            "--sut",
            "python3 x.py",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("scripts/fetch-speech-recordings.sh") && e.contains("--data"),
        "{e}"
    );
    let o = jiebang(dir)
        .args(["data", "gen", "speech/asr-en-recorded", "--out", "d"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("scripts/fetch-speech-recordings.sh"), "{e}");
    // The suite pins the id of the deterministic import, so `--data` with another dataset is
    // refused, naming both ids and how to get the right one.
    jiebang(dir)
        .args([
            "data",
            "gen",
            "speech/asr-en",
            "--samples",
            "2",
            "--out",
            "other",
        ])
        .assert()
        .success();
    let o = jiebang(dir)
        .args([
            "run",
            "--suite",
            "speech/asr-en-recorded",
            "--data",
            "other",
        ])
        .args(["--sut", "builtin:en-dtw", "--out", "out"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("is not the one")
            && e.contains(
                "sha256:ab3b5f6c2e4ae7446f287bdfe3ac388b2358b9b5f2f5e855e216118fd362150b"
            )
            && e.contains("scripts/import-speech.sh kaldi"),
        "{e}"
    );
    // `jiebang tasks` still lists it.
    let o = jiebang(dir).arg("tasks").output().unwrap();
    assert!(String::from_utf8_lossy(&o.stdout).contains("speech/asr-en-recorded"));
}

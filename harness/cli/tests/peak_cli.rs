//! `jiebang run --find-peak` through the real binary, against a process SUT of known capacity
//! (one query at a time, 4 ms each: about 250 queries/s): the search brackets the peak, writes
//! its summary, chart and the peak trial's verifiable scorecard, and refuses flags that do not
//! apply.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fixed_service.py")
}

fn jiebang(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("jiebang").unwrap();
    c.current_dir(dir).env("JIEBANG_DATA", dir.join("data"));
    c
}

fn sut() -> String {
    format!("python3 {} 0.004", fixture().display())
}

#[test]
fn peak_search_brackets_a_known_capacity() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let o = jiebang(d)
        .args([
            "run",
            "--suite",
            "medical-imaging/case-detection",
            "--samples",
            "8",
        ])
        .args(["--sut", &sut(), "--find-peak", "--target-qps", "40"])
        .args([
            "--latency-bound",
            "0.05",
            "--min-duration",
            "1",
            "--min-queries",
            "64",
        ])
        // p90 at 90% confidence: early stopping can decide with the 64 queries of a short trial.
        .args([
            "--set",
            "server_percentile=0.9",
            "--set",
            "early_stopping_confidence=0.9",
        ])
        .args([
            "--peak-precision",
            "0.15",
            "--out",
            "out",
            "--json",
            "--quiet",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    let s: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(s["end"], "converged", "{s:#}");
    let peak = s["peak_qps"].as_f64().unwrap();
    let fail = s["lowest_failing_qps"].as_f64().unwrap();
    // The true capacity is at most 250 qps (sleeps only add time), so no higher rate can have
    // been shown to pass; how far below it the peak lands depends on the machine's load.
    assert!((5.0..=260.0).contains(&peak), "peak {peak}: {s:#}");
    assert!(fail > peak && (fail - peak) / peak <= 0.15 + 1e-9, "{s:#}");
    let trials = s["trials"].as_array().unwrap();
    assert!(trials.len() >= 3, "{s:#}");
    assert!(trials.iter().any(|t| t["passed"] == false));
    // Every trial is an ordinary, verifiable run; the peak trial is copied out.
    let best = d.join(s["best_scorecard"].as_str().unwrap());
    jiebang(d).arg("verify").arg(&best).assert().success();
    let card: Value = serde_json::from_slice(&std::fs::read(&best).unwrap()).unwrap();
    assert_eq!(card["metrics"]["perf.server.bound_met"]["value"], 1.0);
    assert_eq!(card["pins"]["settings"]["server_target_qps"], peak);
    let stem = best.file_name().unwrap().to_str().unwrap();
    let stem = stem.strip_suffix(".scorecard.json").unwrap();
    for ext in ["peak.json", "peak.svg", "peak.png"] {
        assert!(
            d.join("out").join(format!("{stem}.{ext}")).is_file(),
            "{ext}"
        );
    }
}

#[test]
fn peak_search_refuses_what_does_not_apply() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (extra, expect) in [
        (vec!["--mode", "accuracy"], "--mode accuracy does not apply"),
        (
            vec!["--scenario", "offline"],
            "--scenario offline does not apply",
        ),
        (vec!["--resume"], "--resume does not apply"),
    ] {
        let o = jiebang(d)
            .args([
                "run",
                "--suite",
                "medical-imaging/case-detection",
                "--samples",
                "4",
            ])
            .args(["--sut", &sut(), "--find-peak", "--latency-bound", "0.05"])
            .args(extra)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(expect), "{stderr}");
    }
}

/// With too few queries for early stopping to decide the p99 bound at 99% confidence, the first
/// trial decides nothing: the search stops and says to raise the query count, instead of
/// halving the rate down to nothing.
#[test]
fn an_undecidable_first_trial_stops_the_search_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let o = jiebang(d)
        .args([
            "run",
            "--suite",
            "medical-imaging/case-detection",
            "--samples",
            "4",
        ])
        .args(["--sut", &sut(), "--find-peak", "--target-qps", "100"])
        .args([
            "--latency-bound",
            "0.5",
            "--min-duration",
            "0.2",
            "--min-queries",
            "32",
        ])
        .args(["--out", "out", "--quiet"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("could not decide the latency bound") && stderr.contains("min_query_count"),
        "{stderr}"
    );
    // The one trial and the summary are kept.
    let summary = std::fs::read_dir(d.join("out"))
        .unwrap()
        .filter_map(|e| e.ok())
        .find(|e| e.file_name().to_string_lossy().ends_with(".peak.json"))
        .expect("a .peak.json summary");
    let s: Value = serde_json::from_slice(&std::fs::read(summary.path()).unwrap()).unwrap();
    assert_eq!(s["trials"].as_array().unwrap().len(), 1, "{s:#}");
    assert!(s["peak_qps"].is_null());
}

/// Each trial runs at the rate the search chose, whatever `--set server_target_qps` says; the
/// search starts from `--target-qps`.
#[test]
fn a_trial_runs_at_the_searched_rate_over_a_set_one() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let o = jiebang(d)
        .args([
            "run",
            "--suite",
            "medical-imaging/case-detection",
            "--samples",
            "4",
        ])
        .args(["--sut", &sut(), "--find-peak", "--target-qps", "40"])
        .args(["--set", "server_target_qps=7", "--peak-trials", "1"])
        .args(["--latency-bound", "0.05", "--min-duration", "0.5"])
        .args(["--min-queries", "16", "--out", "out", "--quiet"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    let summary = std::fs::read_dir(d.join("out"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with(".peak.json"))
        .unwrap_or_else(|| panic!("no summary; {stderr}"));
    let s: Value = serde_json::from_slice(&std::fs::read(summary).unwrap()).unwrap();
    let trials = s["trials"].as_array().unwrap();
    assert_eq!(trials.len(), 1, "{s:#}");
    assert_eq!(trials[0]["qps"], 40.0, "{s:#}");
    let card = d.join(trials[0]["scorecard"].as_str().unwrap());
    let card: Value = serde_json::from_slice(&std::fs::read(card).unwrap()).unwrap();
    assert_eq!(card["pins"]["settings"]["server_target_qps"], 40.0);
}

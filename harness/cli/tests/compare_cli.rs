//! `jiebang compare` on sealed scorecards built here: exit codes (0 pass, 1 regression, 2
//! error), the three report formats, `--out`, `--baseline`, tampered and mismatched inputs.

use assert_cmd::Command;
use jiebang_scorecard::{Metric, Scorecard, seal, verify_bytes};
use predicates::prelude::*;
use std::path::{Path, PathBuf};

fn jiebang() -> Command {
    Command::cargo_bin("jiebang").unwrap()
}

/// Deterministic ±3 % jitter around `mean`.
fn jitter(mean: f64, n: usize, phase: usize) -> Vec<f64> {
    (0..n)
        .map(|i| mean * (1.0 + 0.03 * (((i * 7 + phase) % 11) as f64 / 5.0 - 1.0)))
        .collect()
}

fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2.0
    }
}

fn metric(value: f64, unit: &str) -> Metric {
    Metric {
        value: Some(value),
        ci95: None,
        ci_method: None,
        n: 1,
        unit: unit.into(),
        reason: None,
    }
}

/// An nn-chip-like scorecard (from the scorecard crate's golden one) with one kernel's
/// per-iteration seconds, its correctness and its output digest.
fn card(seconds: Vec<f64>, digest: &str) -> Scorecard {
    let golden = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../scorecard/tests/golden/sample.scorecard.json");
    let bytes = std::fs::read(golden).unwrap();
    let mut sc = verify_bytes("golden", &bytes, None).unwrap().scorecard;
    sc.signature = None;
    sc.pins.suite.id = "nn-chip/kernels".into();
    sc.pins.task.direction = "nn-chip".into();
    sc.indicators.clear();
    sc.metrics.clear();
    let lat = "kernel.gemm-f32-64.latency".to_string();
    let mut m = metric(median(&seconds), "s");
    m.n = seconds.len() as u64;
    sc.metrics.insert(lat.clone(), m);
    sc.metrics
        .insert("kernel.gemm-f32-64.correct".into(), metric(1.0, "bool"));
    sc.samples.insert(lat, seconds);
    sc.digests
        .insert("output.gemm-f32-64".into(), digest.to_string());
    sc
}

fn write(dir: &Path, name: &str, mut sc: Scorecard) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, seal(&mut sc, None).unwrap()).unwrap();
    p
}

const D1: &str = "1111111111111111111111111111111111111111111111111111111111111111";
const D2: &str = "1111111111111111111111111111111111111111111111111111111111111112";

#[test]
fn unchanged_passes_slowdown_and_digest_change_fail() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let base = write(d, "base.json", card(jitter(1e-3, 20, 0), D1));
    let same = write(d, "same.json", card(jitter(1e-3, 20, 4), D1));
    let slow = write(d, "slow.json", card(jitter(1.2e-3, 20, 2), D1));
    let flip = write(d, "flip.json", card(jitter(1e-3, 20, 4), D2));

    jiebang()
        .arg("compare")
        .args([&base, &same])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("— PASS"));
    jiebang()
        .arg("compare")
        .args([&base, &slow])
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("## Regressions")
                .and(predicate::str::contains("`kernel.gemm-f32-64.latency`")),
        );
    jiebang()
        .arg("compare")
        .arg("--baseline")
        .args([&base, &flip])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("Hard failures: output digests"));
    // A noise threshold above the change lets the slowdown pass.
    jiebang()
        .arg("compare")
        .args([&base, &slow])
        .args(["--noise", "0.3"])
        .assert()
        .code(0);
}

#[test]
fn json_and_junit_reports_and_out_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let base = write(d, "base.json", card(jitter(1e-3, 20, 0), D1));
    let slow = write(d, "slow.json", card(jitter(1.2e-3, 20, 2), D2));
    let out = jiebang()
        .arg("compare")
        .args([&base, &slow])
        .args(["--format", "json"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["passed"], false);
    assert_eq!(v["regressions"], 1);
    assert_eq!(v["digest_failures"], 1);
    let lat = v["comparison"]["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "kernel.gemm-f32-64.latency")
        .unwrap();
    assert_eq!(lat["status"], "regressed");
    assert_eq!(lat["better"], "lower");
    let ci = lat["ci"].as_array().unwrap();
    assert!(
        ci[0].as_f64().unwrap() > 1.1 && ci[1].as_f64().unwrap() < 1.3,
        "{lat}"
    );

    let xml = d.join("report.xml");
    jiebang()
        .arg("compare")
        .args([&base, &slow])
        .args(["--format", "junit", "--out"])
        .arg(&xml)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("REGRESSION"));
    let text = std::fs::read_to_string(&xml).unwrap();
    assert!(text.starts_with("<?xml"), "{text}");
    assert!(text.contains("failures=\"2\""), "{text}");
    assert!(text.contains("type=\"regression\"") && text.contains("type=\"digest-mismatch\""));
}

#[test]
fn errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let base = write(d, "base.json", card(jitter(1e-3, 20, 0), D1));
    let mut other = card(jitter(1e-3, 20, 0), D1);
    other.pins.suite.id = "nn-chip/cnn-rnn-lstm".into();
    let other = write(d, "other.json", other);
    jiebang()
        .arg("compare")
        .args([&base, &other])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("different suites"));
    // One changed byte: the scorecard fails its integrity check.
    let tampered = d.join("tampered.json");
    let text = std::fs::read_to_string(&base).unwrap();
    std::fs::write(&tampered, text.replacen("1111", "1112", 1)).unwrap();
    jiebang()
        .arg("compare")
        .args([&base, &tampered])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("integrity"));
    jiebang()
        .arg("compare")
        .args([&base, &base])
        .args(["--noise", "2"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("noise"));
    jiebang()
        .arg("compare")
        .arg(&base)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("BASELINE NEW"));
}

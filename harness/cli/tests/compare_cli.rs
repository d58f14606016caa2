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
        self_reported: None,
        convention: None,
        n_smaller_class: None,
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

/// `card` with a second workload, `gemm-f32-256`, and an aggregate `throughput.f32` over both;
/// the dataset has 12 samples.
fn two_workloads() -> Scorecard {
    let mut sc = card(jitter(1e-3, 20, 0), D1);
    let big = "kernel.gemm-f32-256.latency".to_string();
    let secs = jitter(8e-3, 20, 1);
    let mut m = metric(median(&secs), "s");
    m.n = secs.len() as u64;
    sc.metrics.insert(big.clone(), m);
    sc.samples.insert(big, secs);
    sc.metrics
        .insert("kernel.gemm-f32-256.correct".into(), metric(1.0, "bool"));
    sc.digests.insert("output.gemm-f32-256".into(), D2.into());
    let mut t = metric(0.11, "TFLOPS");
    t.ci95 = Some([0.105, 0.112]);
    sc.metrics.insert("throughput.f32".into(), t);
    sc.pins.dataset.samples = 12;
    sc
}

/// `two_workloads` as a `--samples 3` run makes it: only `gemm-f32-64` (same timings and
/// digest), another dataset, and a throughput that is the best of the small GEMM only.
fn small_run(base: &Scorecard) -> Scorecard {
    let mut sc = base.clone();
    sc.metrics.retain(|k, _| !k.contains("gemm-f32-256"));
    sc.samples.retain(|k, _| !k.contains("gemm-f32-256"));
    sc.digests.retain(|k, _| !k.contains("gemm-f32-256"));
    let t = sc.metrics.get_mut("throughput.f32").unwrap();
    t.value = Some(0.0156);
    t.ci95 = Some([0.0154, 0.0157]);
    sc.pins.dataset.hash = "45".repeat(32);
    sc.pins.dataset.samples = 3;
    sc.pins.dataset.generator = Some("synthetic:v1 seed=7 samples=3".into());
    sc
}

#[test]
fn fewer_samples_compare_the_shared_workloads_and_skip_aggregates() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let base_sc = two_workloads();
    let base = write(d, "base.json", base_sc.clone());
    let small = write(d, "small.json", small_run(&base_sc));
    // The same cut-down scorecard claiming the baseline's dataset: its throughput and its
    // missing digest are judged, and fail.
    let mut same_set = small_run(&base_sc);
    same_set.pins.dataset = base_sc.pins.dataset.clone();
    let same_set = write(d, "same-set.json", same_set);
    jiebang()
        .arg("compare")
        .args([&base, &same_set])
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("`throughput.f32`")
                .and(predicate::str::contains("missing in new")),
        );

    jiebang()
        .arg("compare")
        .args([&base, &small])
        .assert()
        .code(0)
        .stdout(
            predicate::str::contains("— PASS")
                .and(predicate::str::contains(
                    "different sample sets: baseline 12 samples, new 3 samples",
                ))
                .and(predicate::str::contains(
                    "| samples | 12 samples, dataset cdcdcdcdcdcd | 3 samples, dataset 454545454545 |",
                ))
                .and(predicate::str::contains("- samples: baseline 12, new 3"))
                .and(predicate::str::contains(
                    "only in the baseline, not run in the new run (1): `gemm-f32-256`",
                ))
                .and(predicate::str::contains(
                    "aggregates not judged, computed over different sets (1): `throughput.f32`",
                ))
                .and(predicate::str::contains(
                    "1 of 1 output digest(s) identical (1 more only in the baseline",
                ))
                .and(predicate::str::contains("Hard failures").not()),
        );
    let out = jiebang()
        .arg("compare")
        .args([&base, &small])
        .args(["--format", "json"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let c = &v["comparison"];
    assert_eq!(c["coverage"]["common"], serde_json::json!(["gemm-f32-64"]));
    assert_eq!(
        (
            c["baseline"]["samples"].as_u64(),
            c["new"]["samples"].as_u64()
        ),
        (Some(12), Some(3))
    );
    let digest = |name: &str| {
        c["digests"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["name"] == name)
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(digest("output.gemm-f32-256"), "not-run");
    assert_eq!(digest("output.gemm-f32-64"), "same");
    let lat = c["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "kernel.gemm-f32-64.latency")
        .unwrap();
    assert_eq!(lat["status"], "unchanged");

    // A shared workload whose output changed still fails.
    let mut flipped = small_run(&base_sc);
    flipped
        .digests
        .insert("output.gemm-f32-64".into(), D2.into());
    let flipped = write(d, "flipped.json", flipped);
    jiebang()
        .arg("compare")
        .args([&base, &flipped])
        .args(["--format", "junit"])
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("failures=\"1\"")
                .and(predicate::str::contains("type=\"digest-mismatch\"")),
        );
}

#[test]
fn different_sets_with_nothing_in_common_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Aggregates only, as medical imaging reports.
    let mut a = two_workloads();
    a.metrics.retain(|k, _| k == "throughput.f32");
    a.samples.clear();
    a.digests.clear();
    let b = small_run(&a);
    let (a, b) = (write(d, "a.json", a), write(d, "b.json", b));
    jiebang()
        .arg("compare")
        .args([&a, &b])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("nothing in common can be compared")
                .and(predicate::str::contains(
                    "baseline: 12 samples, dataset cdcdcdcdcdcd",
                ))
                .and(predicate::str::contains(
                    "new: 3 samples, dataset 454545454545",
                )),
        );
}

#[test]
fn a_shard_is_stated_and_only_its_workloads_judged() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let base_sc = two_workloads();
    let mut shard = small_run(&base_sc);
    shard.pins.dataset = base_sc.pins.dataset.clone();
    shard.pins.shard = Some("1/2".into());
    let base = write(d, "base.json", base_sc);
    let shard = write(d, "shard.json", shard);
    jiebang()
        .arg("compare")
        .args([&base, &shard])
        .assert()
        .code(0)
        .stdout(
            predicate::str::contains("- shard: baseline none (whole dataset), new 1/2")
                .and(predicate::str::contains("new 12 samples, shard 1/2"))
                .and(predicate::str::contains("## Different sample sets")),
        );
}

#[test]
fn same_scorecard_and_shared_reasons_are_said_once() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut sc = two_workloads();
    let reason = "energy not measurable: /sys/class/powercap unreadable (no RAPL driver)";
    for id in [
        "kernel.gemm-f32-64.efficiency",
        "kernel.gemm-f32-256.efficiency",
    ] {
        let mut m = metric(0.0, "TOPS/W");
        m.value = None;
        m.reason = Some(reason.into());
        sc.metrics.insert(id.into(), m);
    }
    let a = write(d, "a.json", sc.clone());
    let copy = write(d, "copy.json", sc.clone());
    let out = jiebang()
        .arg("compare")
        .args([&a, &copy])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains("**Both sides are the same scorecard**"),
        "{text}"
    );
    assert!(text.contains("both sides are the same scorecard, so nothing can differ"));
    assert_eq!(text.matches(reason).count(), 1, "{text}");
    assert!(
        text.contains(&format!("- [r1] {reason} (2 rows)")),
        "{text}"
    );
    assert_eq!(
        text.matches("not measured on either side: see [r1]")
            .count(),
        2
    );
    // Two different scorecards are not flagged.
    let slow = write(d, "slow.json", card(jitter(1.2e-3, 20, 2), D1));
    jiebang()
        .arg("compare")
        .args([&a, &slow])
        .assert()
        .stdout(predicate::str::contains("same scorecard").not());
}

#[test]
fn help_explains_the_noise_default_and_how_to_choose_it() {
    let out = jiebang()
        .args(["compare", "--help"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    // Words only: the help is wrapped to the terminal's width.
    let text = String::from_utf8(out).unwrap();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for want in [
        "The default 0.05 is a starting point for a quiet, dedicated machine",
        "On a shared or loaded machine, unchanged runs of small kernels differ by more than 5 %",
        "tasks/nn-chip/scripts/noise.sh BACKEND RUNS",
        "docs/performance/nn-chip.md",
    ] {
        assert!(text.contains(want), "{want:?} not in {text}");
    }
}

#[test]
fn a_direction_this_build_does_not_know_is_compared_by_the_generic_rule() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let unknown = |seconds: Vec<f64>, wer: f64| {
        let mut sc = card(seconds, D1);
        sc.pins.task.direction = "speechy".into();
        sc.pins.suite.id = "speechy/asr".into();
        sc.metrics.insert("wer.clean".into(), metric(wer, "ratio"));
        sc
    };
    let base = write(d, "base.json", unknown(jitter(1e-3, 20, 0), 0.05));
    let slow = write(d, "slow.json", unknown(jitter(1.2e-3, 20, 2), 0.08));
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
    let m = |id: &str| {
        v["comparison"]["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == id)
            .unwrap()
            .clone()
    };
    // Seconds are better lower in every catalogue; `ratio` is not one way in all of them.
    assert_eq!(m("kernel.gemm-f32-64.latency")["status"], "regressed");
    let wer = m("wer.clean");
    assert_eq!(wer["status"], "not-judged");
    assert_eq!(
        wer["note"],
        "which direction is better is unknown for unit `ratio`"
    );
    let help = jiebang()
        .args(["compare", "--help"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let help = String::from_utf8(help).unwrap();
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        help.contains("A scorecard of a direction this build does not know is still compared"),
        "{help}"
    );
}

//! Stray answers through the real binary: a SUT that floods duplicates ends the run as a SUT
//! failure (exit status 2, log kept and small) in accuracy and single-stream performance runs,
//! and a few strays past the logged ones are still counted exactly in the scorecard.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Answers every query, then repeats the answer `copies` more times in one write; with
/// `before`, the copies of each answer are written just before the next query's answer
/// instead (so that none arrives after the last query, between passes).
const REPEATING_SUT: &str = r#"
import json, sys
copies = int(sys.argv[1])
before = len(sys.argv) > 2
sys.stdin.readline()
print(json.dumps({"type": "ready", "name": "repeating", "version": "1"}), flush=True)
previous = ""
for line in sys.stdin:
    q = json.loads(line)
    if q["type"] == "end":
        break
    a = json.dumps({"type": "result", "id": q["id"], "positive": True, "score": 0.5,
                    "lesions": []}) + "\n"
    try:
        if before:
            sys.stdout.write(previous * copies + a)
            previous = a
        else:
            sys.stdout.write(a * (copies + 1))
        sys.stdout.flush()
    except BrokenPipeError:
        break
"#;

const SUITE: &str = "medical-imaging/case-detection";
/// The most a flooded run's log may grow to.
const LOG_BOUND: u64 = 1 << 20;

struct Dir(tempfile::TempDir);

impl Dir {
    fn new() -> Self {
        let d = Dir(tempfile::tempdir().unwrap());
        std::fs::write(d.path("repeating.py"), REPEATING_SUT).unwrap();
        d
    }

    fn path(&self, p: &str) -> PathBuf {
        self.0.path().join(p)
    }

    fn run(&self, copies: u64, samples: u64, extra: &[&str]) -> Command {
        let mut c = Command::cargo_bin("jiebang").unwrap();
        c.current_dir(self.0.path())
            .env("JIEBANG_DATA", self.path("data"))
            .args(["run", "--suite", SUITE, "--sut"])
            .arg(format!("python3 repeating.py {copies}"))
            .args(["--samples", &samples.to_string(), "--out", "out", "--quiet"])
            .args(extra)
            .timeout(std::time::Duration::from_secs(120));
        c
    }

    /// `jiebang run` of the repeating SUT with `args` on 6 samples.
    fn sut(&self, args: &[&str]) -> Command {
        let mut c = Command::cargo_bin("jiebang").unwrap();
        c.current_dir(self.0.path())
            .env("JIEBANG_DATA", self.path("data"))
            .args(["run", "--suite", SUITE, "--sut"])
            .arg(format!("python3 repeating.py {}", args.join(" ")))
            .args(["--samples", "6", "--out", "out", "--quiet"])
            .timeout(std::time::Duration::from_secs(120));
        c
    }

    /// The only log in `out/`.
    fn log(&self) -> PathBuf {
        let logs: Vec<PathBuf> = std::fs::read_dir(self.path("out"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.to_string_lossy().ends_with(".log.jsonl"))
            .collect();
        assert_eq!(logs.len(), 1, "{logs:?}");
        logs[0].clone()
    }
}

fn records(log: &Path, kind: &str) -> Vec<Value> {
    std::fs::read_to_string(log)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|v| v["type"] == kind)
        .collect()
}

fn assert_flooded(d: &Dir, assert: assert_cmd::assert::Assert) {
    assert.code(2).stderr(
        predicate::str::contains("flooded the harness")
            .and(predicate::str::contains("max(1000, 10 × queries)"))
            .and(predicate::str::contains("log kept")),
    );
    let log = d.log();
    let size = std::fs::metadata(&log).unwrap().len();
    assert!(size < LOG_BOUND, "{} is {size} bytes", log.display());
    let strays = records(&log, "stray");
    // The first 20 of each kind in full, then one count per kind.
    assert!(strays.len() <= 2 * 21, "{} stray records", strays.len());
    let total: u64 = strays
        .iter()
        .map(|s| s["count"].as_u64().unwrap_or(1))
        .sum();
    assert!(total > 1000, "{total} strays counted");
}

#[test]
fn a_flood_of_duplicates_in_an_accuracy_run_is_a_sut_failure_with_a_bounded_log() {
    let d = Dir::new();
    let t0 = std::time::Instant::now();
    let a = d.run(20_000, 20, &[]).assert();
    assert_flooded(&d, a);
    assert!(t0.elapsed() < std::time::Duration::from_secs(60));
}

#[test]
fn a_flood_of_duplicates_in_a_single_stream_run_is_a_sut_failure_with_a_bounded_log() {
    let d = Dir::new();
    let a = d
        .run(
            5_000,
            8,
            &[
                "--mode",
                "performance",
                "--scenario",
                "single-stream",
                "--min-duration",
                "0.5",
                "--min-queries",
                "50",
            ],
        )
        .assert();
    assert_flooded(&d, a);
}

#[test]
fn strays_past_the_logged_ones_are_counted_exactly() {
    // 6 samples, one at a time; before each answer but the first, 5 copies of the previous
    // one: 25 duplicates, under the flood limit (1000).
    let d = Dir::new();
    let o = d
        .sut(&["5", "before"])
        .args(["--json", "--max-in-flight", "1"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(out["queries"]["failures"]["duplicate"], 25, "{out}");
    let strays = records(&d.log(), "stray");
    let full = strays.iter().filter(|s| s.get("count").is_none()).count();
    assert_eq!(full, 20);
    let summary: Vec<&Value> = strays.iter().filter(|s| s.get("count").is_some()).collect();
    assert_eq!(summary.len(), 1, "{summary:?}");
    assert_eq!(summary[0]["count"], 5);
    assert_eq!(summary[0]["kind"], "duplicate");
    // Scoring the log again (--resume) gives the same counts.
    let o = d
        .sut(&["5", "before"])
        .args(["--json", "--max-in-flight", "1", "--resume"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let again: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(again["queries"], out["queries"]);
}

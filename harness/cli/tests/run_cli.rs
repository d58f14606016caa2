//! `jiebang run` and `jiebang merge` through the real binary: a verifiable scorecard and log,
//! `--resume` after a torn log, shards merged into the single run's metrics, a dying SUT
//! ending with exit status 2 and its log kept, and `--help` that teaches.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A deterministic SUT for the registered directions: fixed, well-formed answers.
const FIXED_SUT: &str = r#"
import json, sys, time
pause = float(sys.argv[1]) if len(sys.argv) > 1 else 0.0
sys.stdin.readline()
print(json.dumps({"type": "ready", "name": "fixed", "version": "1"}), flush=True)
for line in sys.stdin:
    q = json.loads(line)
    if q["type"] == "end":
        break
    time.sleep(pause)
    # The answer depends on the sample (not on the query id), so shards answer alike.
    if "probe" in q:
        a = {"seconds": [0.001] * q["iterations"], "output_digest": "0" * 64,
             "probes": [0] * len(q["probe"])}
    else:
        h = sum(map(ord, q["study"]))
        a = {"positive": h % 2 == 0, "score": (h % 7) / 7.0, "lesions": []}
    a.update({"type": "result", "id": q["id"]})
    print(json.dumps(a), flush=True)
"#;

/// Exits with status 3 after the first query.
const DYING_SUT: &str = r#"
import json, sys
sys.stdin.readline()
print(json.dumps({"type": "ready", "name": "dying"}), flush=True)
sys.stdin.readline()
print("giving up", file=sys.stderr, flush=True)
sys.exit(3)
"#;

/// Answers the first query after closing its stdin, then keeps running: the next query the
/// harness writes hits a closed pipe.
const DEAF_SUT: &str = r#"
import json, os, sys, time
sys.stdin.readline()
print(json.dumps({"type": "ready", "name": "deaf"}), flush=True)
q = json.loads(sys.stdin.readline())
os.close(0)
time.sleep(0.3)
print(json.dumps({"type": "result", "id": q["id"], "positive": True, "score": 0.5}), flush=True)
time.sleep(30)
"#;

const SUITE: &str = "medical-imaging/case-detection";

struct Dir {
    tmp: tempfile::TempDir,
}

impl Dir {
    fn new() -> Self {
        let d = Self {
            tmp: tempfile::tempdir().unwrap(),
        };
        std::fs::write(d.path("fixed.py"), FIXED_SUT).unwrap();
        std::fs::write(d.path("dying.py"), DYING_SUT).unwrap();
        std::fs::write(d.path("deaf.py"), DEAF_SUT).unwrap();
        d
    }

    fn path(&self, p: &str) -> PathBuf {
        self.tmp.path().join(p)
    }

    fn jiebang(&self) -> Command {
        let mut c = Command::cargo_bin("jiebang").unwrap();
        c.current_dir(self.tmp.path())
            .env("JIEBANG_DATA", self.path("data"));
        c
    }

    /// `jiebang run --json` with the fixed SUT on 6 samples, plus `extra` arguments.
    fn run(&self, out: &str, extra: &[&str]) -> Value {
        let o = self
            .jiebang()
            .args([
                "run",
                "--suite",
                SUITE,
                "--sut",
                "python3 fixed.py",
                "--samples",
                "6",
            ])
            .args(["--out", out, "--json", "--quiet"])
            .args(extra)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        serde_json::from_slice(&o.stdout).unwrap()
    }
}

fn scorecard(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn path_of(v: &Value, key: &str) -> PathBuf {
    PathBuf::from(v[key].as_str().unwrap())
}

#[test]
fn run_and_merge_help_teach() {
    Command::cargo_bin("jiebang")
        .unwrap()
        .args(["run", "--help"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("Examples:")
                .and(predicate::str::contains("--resume"))
                .and(predicate::str::contains("docs/PROTOCOL.md"))
                .and(predicate::str::contains("predictions:"))
                .and(predicate::str::contains("server_latency_bound_s")),
        );
    Command::cargo_bin("jiebang")
        .unwrap()
        .args(["merge", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--shard 1/4"));
}

#[test]
fn run_writes_a_verifiable_scorecard_and_its_log() {
    let d = Dir::new();
    let out = d.run("out", &[]);
    let sc_path = d.path(out["scorecard"].as_str().unwrap());
    let log = d.path(out["log"][0].as_str().unwrap());
    assert!(log.exists());
    assert_eq!(out["queries"]["issued"], 6);
    let sc = scorecard(&sc_path);
    assert_eq!(sc["pins"]["sut"]["adapter"], "process");
    assert_eq!(sc["pins"]["sut"]["name"], "fixed");
    assert_eq!(sc["pins"]["sut"]["files"][0]["path"], "fixed.py");
    assert_eq!(sc["pins"]["settings"]["mode"], "accuracy");
    d.jiebang()
        .args(["verify"])
        .arg(&sc_path)
        .assert()
        .success()
        .stdout(
            predicate::str::contains("dataset    ok")
                .and(predicate::str::contains("fixed.py sha256")),
        );
    // Running again into the same log is refused without --resume...
    d.jiebang()
        .args([
            "run",
            "--suite",
            SUITE,
            "--sut",
            "python3 fixed.py",
            "--samples",
            "6",
        ])
        .args(["--out", "out", "--quiet"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--resume"));
    // ...and with it, the complete log is scored again to the same metrics.
    let again = d.run("out", &["--resume"]);
    assert_eq!(again["metrics"], out["metrics"]);
}

#[test]
fn resume_after_a_torn_log_and_merged_shards_match_the_single_run() {
    let d = Dir::new();
    let single = d.run("single", &[]);
    let single_sc = scorecard(&d.path(single["scorecard"].as_str().unwrap()));
    // A run killed mid-write: header, session, one record and half of the next.
    let log = d.path(single["log"][0].as_str().unwrap());
    let text = std::fs::read_to_string(&log).unwrap();
    let keep: usize = text
        .split_inclusive('\n')
        .take(3)
        .map(str::len)
        .sum::<usize>()
        + 40;
    std::fs::create_dir_all(d.path("torn")).unwrap();
    let torn_log = d.path("torn").join(log.file_name().unwrap());
    std::fs::write(&torn_log, &text[..keep]).unwrap();
    let resumed = d.run("torn", &["--resume"]);
    assert_eq!(resumed["metrics"], single["metrics"]);
    assert_eq!(resumed["queries"], single["queries"]);

    for i in 1..=2 {
        let s = d.run("shards", &["--shard", &format!("{i}/2")]);
        assert_eq!(s["queries"]["issued"], 3);
    }
    let logs: Vec<PathBuf> = std::fs::read_dir(d.path("shards"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".log.jsonl"))
        .collect();
    assert_eq!(logs.len(), 2);
    let o = d
        .jiebang()
        .arg("merge")
        .args(&logs)
        .args(["--out", "merged", "--json"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let merged: Value = serde_json::from_slice(&o.stdout).unwrap();
    let merged_sc = scorecard(&d.path(merged["scorecard"].as_str().unwrap()));
    assert_eq!(merged_sc["metrics"], single_sc["metrics"]);
    assert_eq!(merged_sc["digests"], single_sc["digests"]);
    assert_eq!(merged_sc["run"]["queries"], single_sc["run"]["queries"]);
    assert!(merged_sc["pins"].get("shard").is_none());
    assert!(
        path_of(&merged, "scorecard")
            .to_string_lossy()
            .ends_with(".accuracy.scorecard.json")
    );
    // One shard alone is refused, naming what is missing.
    d.jiebang()
        .arg("merge")
        .arg(&logs[0])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing"));
}

#[test]
fn kill_9_of_jiebang_run_then_resume_gives_the_same_metrics() {
    let d = Dir::new();
    let args = |out: &str| {
        [
            "run",
            "--suite",
            SUITE,
            "--sut",
            "python3 fixed.py 0.03",
            "--samples",
            "16",
            "--max-in-flight",
            "1",
            "--out",
            out,
            "--json",
            "--quiet",
        ]
        .map(String::from)
    };
    let whole = d.jiebang().args(args("whole")).output().unwrap();
    assert!(
        whole.status.success(),
        "{}",
        String::from_utf8_lossy(&whole.stderr)
    );
    let whole: Value = serde_json::from_slice(&whole.stdout).unwrap();

    let bin = assert_cmd::cargo::cargo_bin("jiebang");
    let mut child = std::process::Command::new(bin)
        .current_dir(d.path(""))
        .env("JIEBANG_DATA", d.path("data"))
        .args(args("killed"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let name = Path::new(whole["log"][0].as_str().unwrap())
        .file_name()
        .unwrap();
    let log = d.path("killed").join(name);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let n = std::fs::read_to_string(&log)
            .map(|t| t.matches("\"type\":\"query\"").count())
            .unwrap_or(0);
        if n >= 6 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no progress in {}",
            log.display()
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before it was killed"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let mut resume = args("killed").to_vec();
    resume.push("--resume".into());
    let o = d.jiebang().args(&resume).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let resumed: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(resumed["metrics"], whole["metrics"]);
    assert_eq!(resumed["queries"], whole["queries"]);
    let text = std::fs::read_to_string(&log).unwrap();
    assert_eq!(text.matches("\"type\":\"session\"").count(), 2);
}

#[test]
fn a_dying_sut_exits_2_and_keeps_its_log() {
    let d = Dir::new();
    d.jiebang()
        .args([
            "run",
            "--suite",
            SUITE,
            "--sut",
            "python3 dying.py",
            "--samples",
            "6",
        ])
        .args(["--out", "out", "--quiet", "--max-in-flight", "1"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("crashed: exit status 3")
                .and(predicate::str::contains("giving up"))
                .and(predicate::str::contains("--resume")),
        );
    let logs: Vec<PathBuf> = std::fs::read_dir(d.path("out"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(logs.len(), 1, "{logs:?}");
    let text = std::fs::read_to_string(&logs[0]).unwrap();
    assert!(text.contains("\"outcome\":\"crash\""));
    assert!(text.contains("\"type\":\"stderr\""));
}

#[test]
fn a_sut_that_closes_its_stdin_is_reported_not_fatal() {
    // The binary restores the default SIGPIPE action for its own stdout; writing a query to a
    // SUT that closed its stdin must still end in a message and exit status 2.
    let d = Dir::new();
    let t0 = std::time::Instant::now();
    d.jiebang()
        .args([
            "run",
            "--suite",
            SUITE,
            "--sut",
            "python3 deaf.py",
            "--samples",
            "6",
        ])
        .args(["--out", "out", "--quiet", "--max-in-flight", "1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("stopped reading its stdin"));
    assert!(t0.elapsed() < std::time::Duration::from_secs(20));
}

#[test]
fn bad_arguments_are_named() {
    let d = Dir::new();
    d.jiebang()
        .args([
            "run",
            "--suite",
            "no-such/suite",
            "--sut",
            "python3 fixed.py",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown suite"));
    d.jiebang()
        .args([
            "run",
            "--suite",
            SUITE,
            "--sut",
            "python3 fixed.py",
            "--set",
            "timeuot_s=3",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown setting"));
    d.jiebang()
        .args([
            "run",
            "--suite",
            SUITE,
            "--sut",
            "python3 fixed.py",
            "--shard",
            "3/2",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--shard"));
}

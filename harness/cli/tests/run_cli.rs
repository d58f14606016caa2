//! `jiebang run` and `jiebang merge` through the real binary: a verifiable scorecard and log,
//! `--resume` after a torn log, shards merged into the single run's metrics (empty shards
//! included), a dying SUT ending with exit status 2 and its log kept, inputs refused before
//! any data is generated, and `--help` that teaches.

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

/// Answers two queries, then exits with status 4 on the third (all queries are in flight).
const CRASH_SUT: &str = r#"
import json, sys
sys.stdin.readline()
print(json.dumps({"type": "ready", "name": "crash"}), flush=True)
for n, line in enumerate(sys.stdin):
    q = json.loads(line)
    if n == 2:
        sys.exit(4)
    print(json.dumps({"type": "result", "id": q["id"], "positive": True, "score": 0.5, "lesions": []}), flush=True)
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
        std::fs::write(d.path("crash.py"), CRASH_SUT).unwrap();
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

/// The log files directly under `dir`.
fn logs_in(dir: &Path) -> Vec<PathBuf> {
    let mut logs: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".log.jsonl"))
        .collect();
    logs.sort();
    logs
}

#[test]
fn shards_without_samples_write_empty_logs_that_merge() {
    // A job array wider than the dataset: 6 samples over 8 shards, so 7/8 and 8/8 are empty.
    let d = Dir::new();
    let single = d.run("single", &[]);
    let single_sc = scorecard(&d.path(single["scorecard"].as_str().unwrap()));
    for i in 1..=8 {
        let o = d
            .jiebang()
            .args(["run", "--suite", SUITE, "--sut", "python3 fixed.py"])
            .args(["--samples", "6", "--shard", &format!("{i}/8")])
            .args(["--out", "shards", "--json", "--quiet"])
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "shard {i}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let v: Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(
            v["queries"]["issued"],
            if i <= 6 { 1 } else { 0 },
            "shard {i}"
        );
        if i > 6 {
            assert!(
                String::from_utf8_lossy(&o.stderr).contains(&format!("shard {i}/8 has no samples")),
                "{}",
                String::from_utf8_lossy(&o.stderr)
            );
        }
    }
    let logs = logs_in(&d.path("shards"));
    assert_eq!(logs.len(), 8);
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
    assert_eq!(merged_sc["run"]["queries"], single_sc["run"]["queries"]);
    assert_eq!(merged_sc["pins"]["sut"]["name"], "fixed");
}

#[test]
fn bad_inputs_are_refused_before_data_or_sut() {
    let d = Dir::new();
    // A SUT that leaves a mark if it is ever started.
    std::fs::write(d.path("mark.py"), "open('started', 'w').close()\n").unwrap();
    std::fs::write(
        d.path("chip.toml"),
        "schema_version = 1\nunit = \"lab\"\ndirection = \"nn-chip\"\n",
    )
    .unwrap();
    d.jiebang()
        .args(["run", "--suite", SUITE, "--sut", "python3 mark.py"])
        .args(["--samples", "6", "--declaration", "chip.toml", "--out", "out"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "the declaration is for direction `nn-chip` but suite medical-imaging/case-detection@1 is `medical-imaging`",
        ));
    assert!(!d.path("data").exists(), "data was generated");
    assert!(!d.path("out").exists(), "a log was left behind");
    assert!(!d.path("started").exists(), "the SUT was started");

    d.jiebang()
        .args(["run", "--suite", SUITE, "--sut", "python3 mark.py"])
        .args(["--samples", "0", "--out", "out"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--samples 0: expected a positive number",
        ));
    assert!(!d.path("data").exists(), "data was generated");
    // Beyond the task's own bound: generation fails and leaves no partial folder.
    d.jiebang()
        .args(["run", "--suite", SUITE, "--sut", "python3 mark.py"])
        .args(["--samples", "2000000", "--out", "out"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("--samples 2000000")
                .and(predicate::str::contains("partial").not()),
        );
    let debris: Vec<_> = walk(&d.path("data"))
        .into_iter()
        .filter(|p| p.to_string_lossy().contains(".partial-"))
        .collect();
    assert!(debris.is_empty(), "{debris:?}");
    assert!(!d.path("started").exists(), "the SUT was started");

    d.jiebang()
        .args([
            "run",
            "--suite",
            SUITE,
            "--sut",
            "predictions:nothere.jsonl",
        ])
        .args(["--samples", "6", "--out", "out"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains(
                "--sut `predictions:nothere.jsonl`: nothere.jsonl: no such file",
            )
            .and(predicate::str::contains("--sut-file").not()),
        );
    d.jiebang()
        .args(["run", "--suite", SUITE, "--sut", "python3 fixed.py"])
        .args(["--sut-file", "model.bin", "--samples", "6", "--out", "out"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--sut-file model.bin: no such file",
        ));
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd {
            let p = e.unwrap().path();
            if p.is_dir() {
                out.extend(walk(&p));
            }
            out.push(p);
        }
    }
    out
}

#[test]
fn sut_files_are_pinned_once_however_spelled() {
    let d = Dir::new();
    let plain = d.run("plain", &[]);
    let abs = d.path("fixed.py");
    let spelled = d.run(
        "spelled",
        &[
            "--sut-file",
            "./fixed.py",
            "--sut-file",
            abs.to_str().unwrap(),
        ],
    );
    let a = scorecard(&d.path(plain["scorecard"].as_str().unwrap()));
    let b = scorecard(&d.path(spelled["scorecard"].as_str().unwrap()));
    assert_eq!(b["pins"]["sut"]["files"].as_array().unwrap().len(), 1);
    assert_eq!(b["pins"]["sut"]["files"][0]["path"], "fixed.py");
    assert_eq!(a["pins"]["sut"]["hash"], b["pins"]["sut"]["hash"]);
}

#[test]
fn a_crash_after_every_sample_is_recorded_says_to_score_the_log() {
    let d = Dir::new();
    let args = [
        "run",
        "--suite",
        SUITE,
        "--sut",
        "python3 crash.py",
        "--samples",
        "6",
        "--max-in-flight",
        "6",
        "--out",
        "out",
        "--quiet",
    ];
    d.jiebang().args(args).assert().code(2).stderr(
        predicate::str::contains("crashed: exit status 4")
            .and(predicate::str::contains(
                "all 6 samples are recorded (4 as failures)",
            ))
            .and(predicate::str::contains("--resume to score the log"))
            .and(predicate::str::contains("the other 0").not()),
    );
    d.jiebang()
        .args(args)
        .arg("--resume")
        .assert()
        .success()
        .stdout(predicate::str::contains("6 issued, 2 answered"));
}

#[test]
fn unusable_prediction_lines_are_shown_on_stderr() {
    let d = Dir::new();
    let mut text = String::from(
        "{\"sample\": \"study-0000\", \"positive\": true, \"score\": 0.9, \"lesions\": []}\n",
    );
    text.push_str("not json\n{\"positive\": true}\n");
    for i in 0..5 {
        text.push_str(&format!("{{\"sample\": \"nobody-{i}\"}}\n"));
    }
    std::fs::write(d.path("p.jsonl"), text).unwrap();
    d.jiebang()
        .args(["run", "--suite", SUITE, "--sut", "predictions:p.jsonl"])
        .args(["--samples", "6", "--out", "out", "--quiet"])
        .assert()
        .success()
        .stderr(
            predicate::str::contains("7 answer(s) could not be used")
                .and(predicate::str::contains("p.jsonl:2: not JSON"))
                .and(predicate::str::contains("p.jsonl:3: no `sample` field"))
                .and(predicate::str::contains(
                    "sample `nobody-0` is not in the dataset",
                ))
                .and(predicate::str::contains("nobody-3").not())
                .and(predicate::str::contains("... and 2 more")),
        );
}

#[test]
fn warnings_errors_and_json_errors() {
    let d = Dir::new();
    let first = d.run("out", &[]);
    // `--json` on error: a JSON object on stdout, exit status 2.
    let o = d
        .jiebang()
        .args(["run", "--suite", SUITE, "--sut", "python3 fixed.py"])
        .args(["--samples", "6", "--out", "out", "--json", "--quiet"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        v["error"]
            .as_str()
            .unwrap()
            .contains("a log is already there"),
        "{v}"
    );
    // --samples with --data is ignored, with a warning; an empty declaration is noted.
    let sc = scorecard(&d.path(first["scorecard"].as_str().unwrap()));
    let root = sc["pins"]["settings"]["dataset_root"]
        .as_str()
        .unwrap()
        .to_string();
    std::fs::write(
        d.path("empty.toml"),
        "schema_version = 1\nunit = \"lab\"\ndirection = \"medical-imaging\"\n",
    )
    .unwrap();
    d.jiebang()
        .args(["run", "--suite", SUITE, "--sut", "builtin:log-blob"])
        .args([
            "--data",
            &root,
            "--samples",
            "3",
            "--declaration",
            "empty.toml",
        ])
        .args(["--out", "data-run", "--quiet", "--json"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"issued\": 6"))
        .stderr(
            predicate::str::contains("--samples 3 is ignored with --data")
                .and(predicate::str::contains("empty.toml: declares nothing")),
        );
}

#[test]
fn resume_removes_the_temporary_file_of_a_killed_scorecard_write() {
    let d = Dir::new();
    let first = d.run("out", &[]);
    let sc = path_of(&first, "scorecard");
    let name = sc.file_name().unwrap().to_string_lossy().into_owned();
    // A write killed between the temporary file and the rename: its process is gone.
    let mut gone = std::process::Command::new("true").spawn().unwrap();
    let pid = gone.id();
    gone.wait().unwrap();
    let stale = d.path("out").join(format!(".{name}.tmp-{pid}"));
    std::fs::write(&stale, "{\"half\":").unwrap();
    // Not ours, or a live writer's (process 1 always exists): left alone.
    let others = [
        d.path("out").join(format!("{name}.tmp-{pid}")),
        d.path("out").join(format!(".{name}.tmp-{pid}x")),
        d.path("out").join(format!(".{name}.tmp-1")),
    ];
    for o in &others {
        std::fs::write(o, "x").unwrap();
    }
    let again = d.run("out", &["--resume"]);
    assert_eq!(again["metrics"], first["metrics"]);
    assert!(!stale.exists(), "{} was not removed", stale.display());
    for o in &others {
        assert!(o.exists(), "{} was removed", o.display());
    }
}

#[test]
fn sandbox_is_refused_for_builtin_and_predictions_systems_and_recorded_as_none_without() {
    let d = Dir::new();
    d.jiebang()
        .args([
            "run",
            "--suite",
            SUITE,
            "--sut",
            "builtin:log-blob",
            "--sandbox",
        ])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("--sandbox confines a process SUT")
                .and(predicate::str::contains("runs inside jiebang")),
        );
    std::fs::write(d.path("p.jsonl"), "").unwrap();
    d.jiebang()
        .args([
            "run",
            "--suite",
            SUITE,
            "--sut",
            "predictions:p.jsonl",
            "--sandbox",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("only read"));
    assert!(!d.path("data").exists(), "no data before the refusal");
    let out = d.run("out", &[]);
    let sc = scorecard(&d.path(out["scorecard"].as_str().unwrap()));
    assert_eq!(sc["pins"]["settings"]["sandbox"], "none");
    assert!(sc["pins"]["settings"].get("sandbox_memory_mb").is_none());
}

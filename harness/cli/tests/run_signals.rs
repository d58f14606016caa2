//! SIGINT and SIGTERM during `jiebang run` with a slow process SUT: the run stops issuing, says
//! how many samples the log holds and to rerun with `--resume`, exits 130 or 143, records no
//! query in flight as a failure, and `--resume` then gives the uninterrupted run's metrics.
#![cfg(unix)]

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// Answers each query after a pause (argument 1, seconds), by the sample only.
const SLOW_SUT: &str = r#"
import json, sys, time
pause = float(sys.argv[1])
sys.stdin.readline()
print(json.dumps({"type": "ready", "name": "slow", "version": "1"}), flush=True)
for line in sys.stdin:
    q = json.loads(line)
    if q["type"] == "end":
        break
    time.sleep(pause)
    h = sum(map(ord, q["study"]))
    print(json.dumps({"type": "result", "id": q["id"], "positive": h % 2 == 0,
                      "score": (h % 7) / 7.0, "lesions": []}), flush=True)
"#;

const SAMPLES: u64 = 20;

fn args(out: &str) -> Vec<String> {
    [
        "run",
        "--suite",
        "medical-imaging/case-detection",
        "--sut",
        "python3 slow.py 0.05",
        "--samples",
        "20",
        "--max-in-flight",
        "1",
        "--out",
        out,
        "--json",
        "--quiet",
    ]
    .map(String::from)
    .to_vec()
}

fn spawn(dir: &Path, args: &[String]) -> Child {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("jiebang"))
        .current_dir(dir)
        .env("JIEBANG_DATA", dir.join("data"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn queries_in(log: &Path) -> usize {
    std::fs::read_to_string(log)
        .map(|t| t.matches("\"type\":\"query\"").count())
        .unwrap_or(0)
}

/// Waits until the log holds at least `n` query records, then sends `signal` to the run.
fn signal_after(child: &mut Child, log: &Path, n: usize, signal: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while queries_in(log) < n {
        assert!(
            Instant::now() < deadline,
            "no progress in {}",
            log.display()
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before the signal"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let ok = std::process::Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok, "kill -{signal} failed");
}

/// Checks an interrupted run's exit status and message; returns the samples it says it kept.
fn interrupted(child: Child, code: i32, log: &Path) -> u64 {
    let o = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(code), "{stderr}");
    let json: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["interrupted"], true);
    let line = stderr
        .lines()
        .find(|l| l.starts_with("interrupted; "))
        .unwrap_or_else(|| panic!("no `interrupted;` line in: {stderr}"));
    assert!(
        line.ends_with(&format!(
            "of {SAMPLES} samples recorded in {}; rerun the same command with --resume",
            log.strip_prefix(log.parent().unwrap().parent().unwrap())
                .unwrap()
                .display()
        )),
        "{line}"
    );
    let n: u64 = line["interrupted; ".len()..]
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(n as usize, queries_in(log), "{line}");
    n
}

#[test]
fn sigint_and_sigterm_stop_the_run_and_resume_completes_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join("slow.py"), SLOW_SUT).unwrap();
    let run = |a: &[String]| {
        let o = Command::cargo_bin("jiebang")
            .unwrap()
            .current_dir(dir)
            .env("JIEBANG_DATA", dir.join("data"))
            .args(a)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        serde_json::from_slice::<Value>(&o.stdout).unwrap()
    };
    let whole = run(&args("whole"));
    let name: PathBuf = Path::new(whole["log"][0].as_str().unwrap())
        .file_name()
        .unwrap()
        .into();
    let log = dir.join("stopped").join(&name);

    let mut child = spawn(dir, &args("stopped"));
    signal_after(&mut child, &log, 3, "INT");
    let first = interrupted(child, 130, &log);
    assert!((3..SAMPLES).contains(&first), "{first}");

    let mut resume = args("stopped");
    resume.push("--resume".into());
    let mut child = spawn(dir, &resume);
    signal_after(&mut child, &log, first as usize + 2, "TERM");
    let second = interrupted(child, 143, &log);
    assert!(second > first && second < SAMPLES, "{first} then {second}");

    let text = std::fs::read_to_string(&log).unwrap();
    for failure in ["crash", "missing", "timeout"] {
        assert!(
            !text.contains(&format!("\"outcome\":\"{failure}\"")),
            "a query in flight was recorded as {failure}"
        );
    }
    let resumed = run(&resume);
    assert_eq!(resumed["metrics"], whole["metrics"]);
    assert_eq!(resumed["queries"], whole["queries"]);
}

//! `jiebang run --sandbox` through the real binary: inside bubblewrap a SUT cannot read a file
//! beside the dataset (standing in for its truth) or in the working directory, cannot reach a
//! listener on 127.0.0.1, cannot write into the dataset's inputs, and is held to its memory and
//! process limits — while the same probes succeed outside; a well-behaved SUT scores
//! byte-identically inside and outside; a SUT path that would show the truth is refused; and
//! without bubblewrap `--sandbox` fails before starting. Without bubblewrap these tests print
//! that they skipped, unless JIEBANG_REQUIRE_BWRAP=1 makes that a failure.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Fixed, well-formed answers that depend only on the sample.
const FIXED_SUT: &str = r#"
import json, sys
sys.stdin.readline()
print(json.dumps({"type": "ready", "name": "fixed", "version": "1"}), flush=True)
for line in sys.stdin:
    q = json.loads(line)
    if q["type"] == "end":
        break
    h = sum(map(ord, q["study"]))
    a = {"type": "result", "id": q["id"], "positive": h % 2 == 0, "score": (h % 7) / 7.0,
         "lesions": []}
    print(json.dumps(a), flush=True)
"#;

/// Tries what a hostile SUT would, reports each attempt on stderr (`PROBE what: ALLOWED ...`
/// or `PROBE what: REFUSED ...`), then answers like the fixed SUT.
const PROBE_SUT: &str = r#"
import json, os, socket, sys, threading, time
port = int(sys.argv[1])
flags = sys.argv[2:]
hello = json.loads(sys.stdin.readline())
root = hello["dataset_root"]

def probe(what, f):
    try:
        print(f"PROBE {what}: ALLOWED {f()!r}", file=sys.stderr, flush=True)
    except BaseException as e:
        print(f"PROBE {what}: REFUSED {type(e).__name__}: {e}", file=sys.stderr, flush=True)

def truth():
    # The stand-in lies in a folder above the dataset's inputs.
    d = root
    while d != os.path.dirname(d):
        d = os.path.dirname(d)
        p = os.path.join(d, "truth-standin.txt")
        if os.path.exists(p):
            return open(p).read()
    raise FileNotFoundError("no truth-standin.txt above " + root)

probe("truth", truth)
if os.path.isdir(os.path.join(os.path.dirname(root), "truth")):
    probe("truth-dir", lambda: os.listdir(os.path.join(os.path.dirname(root), "truth")))
probe("cwd", lambda: open("cwd-secret.txt").read())
probe("socket", lambda: socket.create_connection(("127.0.0.1", port), timeout=5).close())
if "write" in flags:
    probe("write", lambda: open(os.path.join(root, "pwned.txt"), "w").write("x"))
if "limits" in flags:
    probe("memory", lambda: len(bytearray(2 << 30)))
    def threads():
        ts = [threading.Thread(target=time.sleep, args=(1,)) for _ in range(200)]
        for t in ts:
            t.start()
        return len(ts)
    probe("threads", threads)
print(json.dumps({"type": "ready", "name": "probe", "version": "1"}), flush=True)
for line in sys.stdin:
    q = json.loads(line)
    if q["type"] == "end":
        break
    h = sum(map(ord, q["study"]))
    a = {"type": "result", "id": q["id"], "positive": h % 2 == 0, "score": (h % 7) / 7.0,
         "lesions": []}
    print(json.dumps(a), flush=True)
"#;

const SUITE: &str = "medical-imaging/case-detection";
const TRUTH_TOKEN: &str = "TRUTH-TOKEN-7f3a";
const CWD_TOKEN: &str = "CWD-TOKEN-91c2";

/// Whether bubblewrap is here; without it, a loud skip or (JIEBANG_REQUIRE_BWRAP=1) a failure.
fn bwrap_here() -> bool {
    let found = std::process::Command::new("bwrap")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if found {
        return true;
    }
    assert!(
        std::env::var("JIEBANG_REQUIRE_BWRAP").as_deref() != Ok("1"),
        "JIEBANG_REQUIRE_BWRAP=1 but bubblewrap (bwrap) is not installed: apt-get install bubblewrap"
    );
    eprintln!(
        "SKIPPED: bubblewrap (bwrap) is not installed, so the sandbox tests did not run \
         (apt-get install bubblewrap; JIEBANG_REQUIRE_BWRAP=1 makes this a failure)"
    );
    false
}

struct Dir(tempfile::TempDir);

impl Dir {
    fn new() -> Self {
        let d = Dir(tempfile::tempdir().unwrap());
        std::fs::write(d.path("fixed.py"), FIXED_SUT).unwrap();
        std::fs::write(d.path("probe.py"), PROBE_SUT).unwrap();
        std::fs::write(d.path("cwd-secret.txt"), CWD_TOKEN).unwrap();
        d
    }

    fn path(&self, p: &str) -> PathBuf {
        self.0.path().join(p)
    }

    fn jiebang(&self) -> Command {
        let mut c = Command::cargo_bin("jiebang").unwrap();
        c.current_dir(self.0.path())
            .env("JIEBANG_DATA", self.path("data"))
            .timeout(std::time::Duration::from_secs(180));
        c
    }

    /// `jiebang run --json` of `sut` on 6 samples into `out`; returns the output summary.
    fn run(&self, sut: &str, out: &str, extra: &[&str]) -> Value {
        let o = self
            .jiebang()
            .args(["run", "--suite", SUITE, "--sut", sut, "--samples", "6"])
            .args(["--out", out, "--json", "--quiet"])
            .args(extra)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        serde_json::from_slice(&o.stdout).unwrap()
    }

    fn scorecard(&self, out: &Value) -> Value {
        let p = self.path(out["scorecard"].as_str().unwrap());
        serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
    }

    fn log(&self, out: &Value) -> String {
        std::fs::read_to_string(self.path(out["log"][0].as_str().unwrap())).unwrap()
    }
}

/// The log's lines of `type`.
fn records(log: &str, kind: &str) -> Vec<Value> {
    log.lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|v| v["type"] == kind)
        .collect()
}

/// The SUT's stderr lines in the log.
fn stderr_of(log: &str) -> String {
    records(log, "stderr")
        .iter()
        .map(|r| r["text"].as_str().unwrap_or_default().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

fn probe_said(stderr: &str, what: &str) -> String {
    stderr
        .lines()
        .find(|l| l.starts_with(&format!("PROBE {what}: ")))
        .unwrap_or_else(|| panic!("no probe `{what}` in:\n{stderr}"))
        .to_string()
}

#[test]
fn a_well_behaved_sut_scores_identically_and_a_hostile_one_is_refused() {
    if !bwrap_here() {
        return;
    }
    let d = Dir::new();
    let outside = d.run("python3 fixed.py", "outside", &[]);
    let inside = d.run("python3 fixed.py", "inside", &["--sandbox"]);
    let (a, b) = (d.scorecard(&outside), d.scorecard(&inside));
    assert_eq!(
        serde_json::to_string(&a["metrics"]).unwrap(),
        serde_json::to_string(&b["metrics"]).unwrap(),
        "the metrics differ inside the sandbox"
    );
    assert_eq!(a["pins"]["settings"]["sandbox"], "none");
    let recorded = b["pins"]["settings"]["sandbox"].as_str().unwrap();
    assert!(recorded.starts_with("bubblewrap "), "{recorded}");
    assert_eq!(b["pins"]["settings"]["sandbox_memory_mb"], 16384);
    // The sandbox's command line is in the log.
    let sandbox = records(&d.log(&inside), "sandbox");
    assert_eq!(sandbox.len(), 1);
    let line: Vec<&str> = sandbox[0]["command"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for opt in [
        "--unshare-net",
        "--unshare-pid",
        "--die-with-parent",
        "--clearenv",
    ] {
        assert!(line.contains(&opt), "{opt} missing from {line:?}");
    }
    assert!(records(&d.log(&outside), "sandbox").is_empty());

    // A file above the dataset's inputs stands in for its truth.
    let root = b["pins"]["settings"]["dataset_root"].as_str().unwrap();
    assert!(Path::new(root).starts_with(d.path("data")), "{root}");
    std::fs::write(d.path("data").join("truth-standin.txt"), TRUTH_TOKEN).unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();

    // Outside, every probe succeeds: the test can tell.
    let free = d.run(&format!("python3 probe.py {port}"), "probe-outside", &[]);
    let said = stderr_of(&d.log(&free));
    for what in ["truth", "cwd", "socket"] {
        assert!(probe_said(&said, what).contains("ALLOWED"), "{said}");
    }
    assert!(said.contains(TRUTH_TOKEN) && said.contains(CWD_TOKEN));

    // Inside, each one is refused, and the limits hold.
    let boxed = d.run(
        &format!("python3 probe.py {port} write limits"),
        "probe-inside",
        &[
            "--sandbox",
            "--set",
            "sandbox_memory_mb=1024",
            "--set",
            "sandbox_processes=64",
        ],
    );
    let said = stderr_of(&d.log(&boxed));
    for what in ["truth", "cwd", "socket", "write", "memory", "threads"] {
        let line = probe_said(&said, what);
        assert!(line.contains("REFUSED"), "{line}");
    }
    if said.contains("PROBE truth-dir") {
        assert!(probe_said(&said, "truth-dir").contains("REFUSED"), "{said}");
    }
    assert!(!said.contains(TRUTH_TOKEN) && !said.contains(CWD_TOKEN));
    assert!(!Path::new(root).join("pwned.txt").exists());
    assert!(probe_said(&said, "socket").contains("ConnectionRefused"));
    assert_eq!(d.scorecard(&boxed)["metrics"], b["metrics"]);
    drop(listener);
}

#[test]
fn a_sut_path_that_would_show_the_truth_is_refused() {
    if !bwrap_here() {
        return;
    }
    let d = Dir::new();
    let out = d.run("python3 fixed.py", "out", &[]);
    let root = PathBuf::from(
        d.scorecard(&out)["pins"]["settings"]["dataset_root"]
            .as_str()
            .unwrap(),
    );
    let above = root.parent().unwrap().display().to_string();
    d.jiebang()
        .args(["run", "--suite", SUITE, "--samples", "6", "--sandbox"])
        .args(["--sut", &format!("python3 fixed.py {above}")])
        .args(["--out", "refused", "--quiet"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("dataset's folder, truth included"));
    // The working directory is not shown either (here one apart from the data).
    std::fs::create_dir(d.path("w")).unwrap();
    std::fs::write(d.path("w/fixed.py"), FIXED_SUT).unwrap();
    d.jiebang()
        .current_dir(d.path("w"))
        .args(["run", "--suite", SUITE, "--samples", "6", "--sandbox"])
        .args(["--sut", "python3 fixed.py ."])
        .args(["--out", "refused", "--quiet"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("the working directory"));
}

#[test]
fn without_bubblewrap_sandbox_fails_before_starting() {
    let d = Dir::new();
    let empty = d.path("no-tools");
    std::fs::create_dir(&empty).unwrap();
    d.jiebang()
        .env("PATH", &empty)
        .args([
            "run",
            "--suite",
            SUITE,
            "--sut",
            "python3 fixed.py",
            "--sandbox",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("apt-get install bubblewrap"));
    assert!(
        !d.path("data").exists(),
        "nothing generated before the refusal"
    );
    assert!(!d.path("jiebang-out").exists());
}

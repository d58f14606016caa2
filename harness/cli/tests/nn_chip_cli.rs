//! The real binary on the nn-chip kernels suite (its first workloads only, to keep CI cheap):
//! scorecards from the CPU and wgpu backends pass `jiebang verify`; `jiebang compare` passes two
//! unchanged runs and flags an injected 20% slowdown and an injected one-bit output change; a
//! system that under- or over-reports its kernel seconds gets malformed answers and no rate.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// The tests of this file run one at a time, so that one's kernels do not disturb another's
/// timings.
fn serial() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

fn jiebang(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("jiebang").unwrap();
    c.current_dir(dir)
        .env("JIEBANG_DATA", dir.join("data"))
        .env("XDG_RUNTIME_DIR", dir.join("xdg"));
    c
}

/// Runs `system` on the first `samples` workloads of nn-chip/kernels; returns the scorecard.
fn run(dir: &Path, backend: &str, system: &str, samples: u32, out: &str) -> PathBuf {
    jiebang(dir)
        .args([
            "run",
            "--suite",
            "nn-chip/kernels",
            "--backend",
            backend,
            "-q",
        ])
        .args(["--sut", &format!("builtin:{system}")])
        .args(["--samples", &samples.to_string(), "--out", out])
        .assert()
        .success();
    let found: Vec<PathBuf> = std::fs::read_dir(dir.join(out))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".scorecard.json"))
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    found[0].clone()
}

fn tempdir() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let xdg = d.path().join("xdg");
    std::fs::create_dir(&xdg).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&xdg, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    d
}

fn metric(card: &Path, id: &str) -> serde_json::Value {
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(card).unwrap()).unwrap();
    v["metrics"][id].clone()
}

#[test]
fn cpu_and_wgpu_scorecards_verify() {
    let _serial = serial();
    let dir = tempdir();
    let d = dir.path();
    let mut backends = vec!["cpu"];
    match jiebang_accel::Device::open(jiebang_accel::BackendKind::Wgpu) {
        Ok(_) => backends.push("wgpu"),
        Err(e) => eprintln!("wgpu part skipped: {e}"),
    }
    for b in backends {
        let card = run(d, b, "kernels", 3, b);
        jiebang(d)
            .arg("verify")
            .arg(&card)
            .assert()
            .success()
            .stdout(predicate::str::contains("OK"));
        assert_eq!(metric(&card, "correctness.passed")["value"], 1.0, "{b}");
        for id in ["gemm-f32-64", "gemm-f16-64", "gemm-i8-64"] {
            let c = metric(&card, &format!("kernel.{id}.correct"));
            assert_eq!(c["value"], 1.0, "{b} {id}: {c}");
        }
        assert_self_reported_and_observed(&card);
    }
}

/// The scorecard of an honest system: every kernel time and rate it reported passed the check
/// and says it is self-reported; the harness's own observed bound stands beside it.
fn assert_self_reported_and_observed(card: &Path) {
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(card).unwrap()).unwrap();
    assert_eq!(
        v["run"]["queries"]["failures"]["malformed"], 0,
        "{}",
        v["run"]
    );
    for id in [
        "throughput.f32",
        "kernel.gemm-f32-64.rate",
        "kernel.gemm-f32-64.latency",
    ] {
        let m = &v["metrics"][id];
        let label = m["self_reported"].as_str().unwrap_or_default();
        assert!(
            m["value"].as_f64().is_some()
                && label.contains("checked against the harness's observation"),
            "{id}: {m}"
        );
    }
    for id in [
        "throughput_observed.f32",
        "kernel.gemm-f32-64.rate_observed",
    ] {
        let m = &v["metrics"][id];
        assert!(m["value"].as_f64().unwrap_or(0.0) > 0.0, "{id}: {m}");
        assert!(m.get("self_reported").is_none(), "{id}: {m}");
    }
}

/// The noise threshold of these comparisons. Measured on the project's shared 2-core VM (see
/// docs/performance/nn-chip.md): the median time of `gemm-f32-64` on the CPU moved by at most
/// 7% between unchanged runs, even with other builds running, while bigger, multi-threaded
/// kernels moved by up to 2×; so the timing comparison uses that one workload and 10%.
const NOISE: &str = "0.10";

/// How many times the timing half of the test may be tried. The suite times only 15 iterations
/// of about 50 µs, so one burst of load on a shared CI machine can move a whole run by 30% (seen
/// once in CI: the baseline ran slower than the 20%-stretched run). Each attempt takes fresh,
/// interleaved runs; the test fails when no attempt both passes the unchanged pair and flags the
/// slowed one, so a `compare` that cannot tell them apart still fails every attempt. Four were
/// not enough in one CI run on a 2-core machine, with this file's other tests running beside it
/// (every attempt saw 30–40% between two unchanged runs); a gate that holds under load is
/// issue 15's.
const TIMING_ATTEMPTS: usize = 10;

/// One attempt: fresh baseline, slowed and unchanged runs, interleaved. Returns the JSON verdict
/// of the slowed latency when both comparisons came out as expected, or why not.
fn timing_attempt(d: &Path, attempt: usize) -> Result<serde_json::Value, String> {
    let base = run(d, "cpu", "kernels", 1, &format!("base{attempt}"));
    let slow = run(
        d,
        "cpu",
        "kernels-test-slow20",
        1,
        &format!("slow{attempt}"),
    );
    let same = run(d, "cpu", "kernels", 1, &format!("same{attempt}"));
    let compare = |new: &Path| {
        let out = jiebang(d)
            .arg("compare")
            .args([base.as_path(), new])
            .args(["--noise", NOISE, "--format", "json"])
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "compare printed no JSON ({e}): {}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
        (out.status.code(), v)
    };
    let (code, v) = compare(&same);
    if code != Some(0) || v["passed"] != true {
        return Err(format!("unchanged pair not passed (exit {code:?}): {v}"));
    }
    assert_eq!(v["digest_failures"], 0, "{v}");
    let (code, v) = compare(&slow);
    let lat = v["comparison"]["metrics"]
        .as_array()
        .and_then(|ms| ms.iter().find(|m| m["id"] == "kernel.gemm-f32-64.latency"))
        .cloned()
        .unwrap_or_else(|| panic!("no gemm-f32-64 latency in {v}"));
    // 1.2 injected; the machine's own noise moves it a little either way.
    let ratio = lat["ratio"].as_f64().unwrap_or(0.0);
    if code != Some(1) || lat["status"] != "regressed" || ratio <= 1.1 {
        return Err(format!("slowed pair not flagged (exit {code:?}): {lat}"));
    }
    Ok(lat)
}

#[test]
fn compare_passes_unchanged_and_flags_slowdown_and_bit_flip() {
    let _serial = serial();
    let dir = tempdir();
    let d = dir.path();
    let base = run(d, "cpu", "kernels", 1, "base");
    let flip = run(d, "cpu", "kernels-test-bitflip", 1, "flip");

    // The human-readable verdict of an unchanged pair: digests are compared whatever the timing.
    let same = run(d, "cpu", "kernels", 1, "same");
    let text = jiebang(d)
        .arg("compare")
        .args([&base, &same])
        .args(["--noise", NOISE])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout).into_owned();
    assert!(text.contains("1 of 1 output digest(s) identical"), "{text}");

    let mut failures = Vec::new();
    let _slowed_latency = (1..=TIMING_ATTEMPTS)
        .find_map(|attempt| match timing_attempt(d, attempt) {
            Ok(v) => Some(v),
            Err(why) => {
                failures.push(format!("attempt {attempt}: {why}"));
                None
            }
        })
        .unwrap_or_else(|| panic!("no attempt came out as expected:\n{}", failures.join("\n")));
    for f in &failures {
        eprintln!("noisy timing, retried: {f}");
    }

    // One flipped bit: the result is still within tolerance (correct), but the digest differs.
    assert_eq!(metric(&flip, "kernel.gemm-f32-64.correct")["value"], 1.0);
    jiebang(d)
        .arg("compare")
        .args([&base, &flip])
        .args(["--noise", NOISE, "--format", "junit"])
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("type=\"digest-mismatch\"")
                .and(predicate::str::contains("output.gemm-f32-64")),
        );
}

/// A system outside jiebang (NumPy through the process adapter) answers the same protocol and
/// is judged by the harness's reference: int8 bit-exact, floats within tolerance.
#[test]
fn numpy_process_sut_is_judged_by_the_harness() {
    let _serial = serial();
    let numpy = std::process::Command::new("python3")
        .args(["-c", "import numpy"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !numpy {
        // CI installs NumPy (.ci/requirements.txt) and sets JIEBANG_REQUIRE_NUMPY=1.
        assert!(
            std::env::var("JIEBANG_REQUIRE_NUMPY").as_deref() != Ok("1"),
            "JIEBANG_REQUIRE_NUMPY=1 but `python3 -c 'import numpy'` failed"
        );
        eprintln!(
            "SKIPPED: python3 with numpy is not available (pip install -r .ci/requirements.txt)"
        );
        return;
    }
    let dir = tempdir();
    let d = dir.path();
    let sut =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tasks/nn-chip/scripts/numpy_sut.py");
    jiebang(d)
        .args([
            "run",
            "--suite",
            "nn-chip/kernels",
            "-q",
            "--samples",
            "3",
            "--out",
            "np",
        ])
        .arg("--sut")
        .arg(format!("python3 {}", sut.display()))
        .assert()
        .success();
    let card = std::fs::read_dir(d.join("np"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with(".scorecard.json"))
        .unwrap();
    jiebang(d).arg("verify").arg(&card).assert().success();
    assert_eq!(metric(&card, "correctness.passed")["value"], 1.0);
    assert_eq!(metric(&card, "kernel.gemm-i8-64.rel_error")["value"], 0.0);
    assert_self_reported_and_observed(&card);
    let eff = metric(&card, "kernel.gemm-f32-64.efficiency");
    assert!(eff["value"].is_null() && eff["reason"].as_str().unwrap().contains("numpy_sut"));
}

/// A process SUT, standard-library Python, that computes the f32 GEMM for real (once per
/// query), spends 0.5 ms per iteration (a sleep standing in for the kernel) and reports, per
/// its argument: `honest` the measured time, `under` 1e-7 s (the issue 9 fault: 5.2 TFLOPS
/// credited for 0.2 s of wall time), `over` 1 s per iteration.
const TIMING_SUT: &str = r#"
import hashlib, json, struct, sys, time
MODE = sys.argv[1]

def gemm(q, root):
    s = q["shape"]
    m, n, k = s["m"], s["n"], s["k"]
    def load(name):
        spec = q["inputs"][name]
        with open(f"{root}/{spec['path']}", "rb") as f:
            return struct.unpack(f"<{spec['len']}f", f.read())
    a, b = load("a"), load("b")
    cols = [b[j::n] for j in range(n)]
    out = [sum(x * y for x, y in zip(a[i * k:(i + 1) * k], cols[j]))
           for i in range(m) for j in range(n)]
    return struct.pack(f"<{m * n}f", *out)

hello = json.loads(sys.stdin.readline())
root = hello["dataset_root"]
print(json.dumps({"type": "ready", "name": "timing-" + MODE, "version": "1"}), flush=True)
for line in sys.stdin:
    msg = json.loads(line)
    if msg["type"] == "end":
        break
    raw = gemm(msg, root)
    for _ in range(msg["warmup"]):
        time.sleep(0.0005)
    seconds = []
    for _ in range(msg["iterations"]):
        t0 = time.perf_counter()
        time.sleep(0.0005)
        took = time.perf_counter() - t0
        seconds.append({"honest": took, "under": 1e-7, "over": 1.0}[MODE])
    values = struct.unpack(f"<{len(raw) // 4}f", raw)
    print(json.dumps({"type": "result", "id": msg["id"], "seconds": seconds,
                      "output_digest": hashlib.sha256(raw).hexdigest(),
                      "probes": [values[p] for p in msg["probe"]]}), flush=True)
"#;

/// Runs the timing SUT in `mode` on gemm-f32-64 with `extra` arguments; returns the scorecard.
fn run_timing_sut(d: &Path, mode: &str, extra: &[&str]) -> serde_json::Value {
    let script = d.join("timing_sut.py");
    std::fs::write(&script, TIMING_SUT).unwrap();
    let out = format!("timing-{mode}{}", extra.join("").replace(['-', '='], "_"));
    jiebang(d)
        .args(["run", "--suite", "nn-chip/kernels", "-q", "--samples", "1"])
        .arg("--sut")
        .arg(format!("python3 {} {mode}", script.display()))
        .args(extra)
        .args(["--out", &out])
        .assert()
        .success();
    let card = std::fs::read_dir(d.join(&out))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with(".scorecard.json"))
        .unwrap();
    jiebang(d).arg("verify").arg(&card).assert().success();
    serde_json::from_slice(&std::fs::read(card).unwrap()).unwrap()
}

/// The timing SUT is Python: CI has python3, and so must a machine running these tests.
fn require_python3() {
    let ok = std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        ok,
        "python3 is needed by this test (its SUT is a Python script)"
    );
}

/// Issue 9, "no figure on trust": a system that reports 1e-7 s per iteration while each takes
/// 0.5 ms gets both its answers recorded as malformed with the reason, and no rate at all; one
/// that reports more seconds than the query lasted likewise; the same system reporting its
/// real times is correct, its rates labelled self-reported and checked.
#[test]
fn reported_kernel_seconds_that_the_observed_wall_time_contradicts_are_malformed() {
    let _serial = serial();
    require_python3();
    let dir = tempdir();
    let d = dir.path();

    let v = run_timing_sut(d, "under", &[]);
    let q = &v["run"]["queries"];
    assert_eq!(
        (q["answered"].as_u64(), q["failures"]["malformed"].as_u64()),
        (Some(0), Some(2)),
        "{q}"
    );
    let m = &v["metrics"];
    let c = &m["kernel.gemm-f32-64.correct"];
    assert_eq!(c["value"], 0.0, "{c}");
    let why = c["reason"].as_str().unwrap();
    assert!(
        why.contains("technical failure")
            && why.contains("contradicts the reported kernel seconds"),
        "{why}"
    );
    for id in [
        "throughput.f32",
        "throughput_observed.f32",
        "kernel.gemm-f32-64.rate",
        "kernel.gemm-f32-64.rate_observed",
        "kernel.gemm-f32-64.latency",
    ] {
        assert!(m[id]["value"].is_null(), "{id}: {}", m[id]);
    }

    let v = run_timing_sut(d, "over", &[]);
    assert_eq!(
        v["run"]["queries"]["failures"]["malformed"], 2,
        "{}",
        v["run"]
    );
    let why = v["metrics"]["kernel.gemm-f32-64.correct"]["reason"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(why.contains("observed only"), "{why}");
    assert!(v["metrics"]["throughput.f32"]["value"].is_null());

    let v = run_timing_sut(d, "honest", &[]);
    assert_eq!(v["run"]["queries"]["answered"], 2, "{}", v["run"]);
    assert_eq!(v["metrics"]["kernel.gemm-f32-64.correct"]["value"], 1.0);
    let rate = &v["metrics"]["throughput.f32"];
    assert!(rate["value"].as_f64().unwrap() > 0.0, "{rate}");
    assert!(
        rate["self_reported"]
            .as_str()
            .unwrap()
            .contains("1908 extra iterations"),
        "{rate}"
    );
}

/// Where the harness cannot observe each query alone — queries overlapping, or answers from a
/// predictions file — outputs are still judged, but no self-reported time or rate is credited.
#[test]
fn unobservable_kernel_seconds_are_not_credited() {
    let _serial = serial();
    require_python3();
    let dir = tempdir();
    let d = dir.path();
    let v = run_timing_sut(d, "honest", &["--max-in-flight", "2"]);
    let m = &v["metrics"];
    assert_eq!(m["kernel.gemm-f32-64.correct"]["value"], 1.0);
    let rate = &m["kernel.gemm-f32-64.rate"];
    assert!(
        rate["value"].is_null()
            && rate["reason"]
                .as_str()
                .unwrap()
                .contains("max_in_flight = 1"),
        "{rate}"
    );
    assert!(
        m["kernel.gemm-f32-64.rate_observed"]["value"]
            .as_f64()
            .unwrap()
            > 0.0
    );

    // The honest run's answers, replayed from a predictions file.
    let honest = run_timing_sut(d, "honest", &[]);
    assert_eq!(honest["run"]["queries"]["answered"], 2);
    let log = std::fs::read_dir(d.join("timing-honest"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with(".log.jsonl"))
        .unwrap();
    let mut lines = String::new();
    for line in std::fs::read_to_string(log).unwrap().lines() {
        let r: serde_json::Value = serde_json::from_str(line).unwrap();
        if r["type"] == "query" {
            let mut a = r["answer"].clone();
            a["sample"] = r["sample"].clone();
            lines.push_str(&format!("{a}\n"));
        }
    }
    std::fs::write(d.join("answers.jsonl"), lines).unwrap();
    jiebang(d)
        .args(["run", "--suite", "nn-chip/kernels", "-q", "--samples", "1"])
        .args(["--sut", "predictions:answers.jsonl", "--out", "replayed"])
        .assert()
        .success();
    let card = std::fs::read_dir(d.join("replayed"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with(".scorecard.json"))
        .unwrap();
    assert_eq!(metric(&card, "kernel.gemm-f32-64.correct")["value"], 1.0);
    for id in ["throughput.f32", "throughput_observed.f32"] {
        let m = metric(&card, id);
        assert!(
            m["value"].is_null() && m["reason"].as_str().unwrap().contains("predictions file"),
            "{id}: {m}"
        );
    }
}

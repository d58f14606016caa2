//! The real binary on the nn-chip kernels suite (its first workloads only, to keep CI cheap):
//! scorecards from the CPU and wgpu backends pass `jiebang verify`; `jiebang compare` passes two
//! unchanged runs and flags an injected 20% slowdown and an injected one-bit output change.

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
/// slowed one, so a `compare` that cannot tell them apart still fails every attempt.
const TIMING_ATTEMPTS: usize = 4;

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
    let eff = metric(&card, "kernel.gemm-f32-64.efficiency");
    assert!(eff["value"].is_null() && eff["reason"].as_str().unwrap().contains("numpy_sut"));
}

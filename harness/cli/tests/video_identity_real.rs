//! Real face systems through the real binary: the real-photo datasets composed by
//! scripts/suts/face_photo_dataset.py, pinned with `jiebang data hash`, run with OpenCV's Haar
//! cascade (detect) and dlib through face_recognition (all three decision suites); every
//! scorecard verifies and its figures are sane. The packages (scripts/suts/requirements-face.txt)
//! must import in the `python3` on PATH; the photos come from `JIEBANG_FACE_PHOTOS` or
//! scripts/fetch-face-photos.sh. Without them the test prints SKIPPED and passes, unless
//! `JIEBANG_REQUIRE_FACE=1` (set in CI), which makes it fail.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn required() -> bool {
    std::env::var("JIEBANG_REQUIRE_FACE").is_ok_and(|v| v == "1")
}

/// Skips loudly (returns `None`) or panics when the face systems are required.
fn unavailable<T>(why: String) -> Option<T> {
    if required() {
        panic!("JIEBANG_REQUIRE_FACE=1 but {why}");
    }
    eprintln!(
        "\n*** SKIPPED video_identity_real: {why}. Install scripts/suts/requirements-face.txt \
         into the python3 first on PATH; JIEBANG_REQUIRE_FACE=1 (CI) makes this a failure. ***\n"
    );
    None
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn script(rel: &str) -> String {
    repo().join(rel).display().to_string()
}

/// Runs a helper program; its stdout, or why it failed.
fn program(cmd: &mut std::process::Command, what: &str) -> Result<String, String> {
    let out = cmd
        .output()
        .map_err(|e| format!("{what} could not be run: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{what} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The photo folder, once the packages import; `None` when skipped.
fn photos() -> Option<PathBuf> {
    let probe = "import cv2, face_recognition, PIL";
    if let Err(why) = program(
        std::process::Command::new("python3").args(["-c", probe]),
        "python3 importing cv2, face_recognition and PIL",
    ) {
        // The traceback's last line names the missing module.
        let (what, rest) = why.split_once(':').unwrap_or((&why, ""));
        return unavailable(format!(
            "{what}: {}",
            rest.lines().last().unwrap_or("").trim()
        ));
    }
    if let Some(dir) = std::env::var_os("JIEBANG_FACE_PHOTOS") {
        return Some(PathBuf::from(dir));
    }
    match program(
        &mut std::process::Command::new(script("scripts/fetch-face-photos.sh")),
        "scripts/fetch-face-photos.sh",
    ) {
        Ok(dir) => Some(PathBuf::from(dir)),
        Err(why) => unavailable(why),
    }
}

fn jiebang(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("jiebang").unwrap();
    c.current_dir(dir);
    c
}

/// `jiebang run --json` of `suite` on `data` with the adapter `sut`; the verified scorecard.
fn run_verified(dir: &Path, suite: &str, data: &Path, sut: &str) -> (Value, Value) {
    let sut = format!("python3 {}", script(&format!("scripts/suts/{sut}.py")));
    let o = jiebang(dir)
        .args(["run", "--suite", suite, "--sut", &sut, "--out", "runs"])
        .arg("--data")
        .arg(data)
        .args(["--json", "--quiet"])
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{suite} with {sut}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let out: Value = serde_json::from_slice(&o.stdout).unwrap();
    let card = dir.join(out["scorecard"].as_str().unwrap());
    jiebang(dir).arg("verify").arg(&card).assert().success();
    let sc = serde_json::from_slice(&std::fs::read(&card).unwrap()).unwrap();
    (out, sc)
}

fn value(sc: &Value, id: &str) -> f64 {
    sc["metrics"][id]["value"]
        .as_f64()
        .unwrap_or_else(|| panic!("{id}: {}", sc["metrics"][id]))
}

/// Every query issued was answered, none failed.
fn all_answered(out: &Value, what: &str) {
    let q = &out["queries"];
    assert!(q["issued"].as_u64().unwrap() > 0, "{what}: {q}");
    assert_eq!(q["answered"], q["issued"], "{what}: {q}");
}

#[test]
fn real_face_systems_run_the_real_photo_datasets() {
    let Some(photos) = photos() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let data = dir.join("data");
    program(
        std::process::Command::new("python3")
            .arg(script("scripts/suts/face_photo_dataset.py"))
            .arg(&photos)
            .arg(&data),
        "face_photo_dataset.py",
    )
    .unwrap();
    for kind in ["detect", "verify", "identify"] {
        jiebang(dir)
            .args(["data", "hash"])
            .arg(data.join(kind))
            .assert()
            .success();
    }

    let (out, sc) = run_verified(
        dir,
        "video-identity/detect",
        &data.join("detect"),
        "opencv_haar_sut",
    );
    all_answered(&out, "Haar detect");
    eprintln!("haar detect.rate {}", value(&sc, "detect.rate"));

    let (out, sc) = run_verified(
        dir,
        "video-identity/detect",
        &data.join("detect"),
        "face_recognition_sut",
    );
    all_answered(&out, "dlib detect");
    let rate = value(&sc, "detect.rate");
    eprintln!("dlib detect.rate {rate}");
    assert!(rate >= 0.9, "dlib detect.rate {rate}: {}", sc["metrics"]);

    let (out, sc) = run_verified(
        dir,
        "video-identity/verify-1to1",
        &data.join("verify"),
        "face_recognition_sut",
    );
    all_answered(&out, "dlib verify");
    let eer = value(&sc, "verify.eer");
    eprintln!("dlib verify.eer {eer}");
    assert!(eer <= 0.2, "dlib verify.eer {eer}: {}", sc["metrics"]);

    let (out, sc) = run_verified(
        dir,
        "video-identity/identify-1toN",
        &data.join("identify"),
        "face_recognition_sut",
    );
    all_answered(&out, "dlib identify");
    let rank1 = value(&sc, "identify.rank1");
    eprintln!("dlib identify.rank1 {rank1}");
    assert!(value(&sc, "identify.rank10") >= rank1, "{}", sc["metrics"]);
}

//! Bad datasets and answers: each is a clear error naming the file and line (or the query's
//! field), never a panic and never counted correct.

use jiebang_core::{
    BackendHandle, BuiltinContext, CoreError, Dataset, DatasetDirs, GenerateParams, Loaded,
    Manifest, SuiteSpec, Task,
};
use jiebang_scorecard::BackendPin;
use jiebang_video_identity::VideoIdentity;
use serde_json::json;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

fn suite(task: &VideoIdentity, name: &str) -> SuiteSpec {
    task.suites()
        .iter()
        .find(|s| s.id.ends_with(name))
        .cloned()
        .unwrap()
}

fn rebuild_manifest(dir: &Path) {
    let _ = std::fs::remove_file(dir.join(jiebang_core::MANIFEST_FILE));
    Manifest::build(dir, BTreeMap::new())
        .unwrap()
        .write(dir)
        .unwrap();
}

/// Generates `n` samples of suite `name` into `dir`.
fn generate(dir: &Path, name: &str, n: u64) -> SuiteSpec {
    let task = VideoIdentity::new();
    let s = suite(&task, name);
    let params = GenerateParams {
        samples: Some(n),
        seed: Some(7),
    };
    task.generate(&s, &DatasetDirs::create(dir).unwrap(), &params, &|_, _| {})
        .unwrap();
    rebuild_manifest(dir);
    s
}

fn load(dir: &Path, s: &SuiteSpec) -> Result<Loaded, CoreError> {
    VideoIdentity::new().load(s, &Dataset::open_verified(dir)?)
}

/// Replaces line `line` (1-based) of a truth file and rebuilds the manifest.
fn edit_line(dir: &Path, file: &str, line: usize, text: &str) {
    let path = dir.join("truth").join(file);
    let mut lines: Vec<String> = std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    lines[line - 1] = text.to_string();
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    rebuild_manifest(dir);
}

fn error(dir: &Path, s: &SuiteSpec) -> String {
    match load(dir, s) {
        Ok(_) => panic!("the dataset loaded"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn detect_truth_errors_name_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let s = generate(dir, "detect", 3);
    assert_eq!(load(dir, &s).unwrap().library.len(), 3);
    let faces = std::fs::read_to_string(dir.join("truth/faces.csv")).unwrap();
    let row2: Vec<&str> = faces.lines().nth(1).unwrap().split(',').collect();

    let mut bad = row2.clone();
    bad[7] = "wide";
    edit_line(dir, "faces.csv", 2, &bad.join(","));
    let e = error(dir, &s);
    assert!(
        e.ends_with("faces.csv:2: column `w`: expected a finite number, found `wide`"),
        "{e}"
    );

    // The same track twice in one frame.
    edit_line(dir, "faces.csv", 2, faces.lines().nth(2).unwrap());
    let e = error(dir, &s);
    assert!(
        e.contains("faces.csv:3: track") && e.contains("listed twice"),
        "{e}"
    );

    // A row whose frame number disagrees with its image path.
    let mut bad = row2.clone();
    bad[2] = "9";
    edit_line(dir, "faces.csv", 2, &bad.join(","));
    let e = error(dir, &s);
    assert!(
        e.contains("faces.csv:2: columns `clip`, `frame` (c000, 9) do not match"),
        "{e}"
    );

    // Two images for one frame.
    edit_line(dir, "faces.csv", 2, &row2.join(","));
    std::fs::copy(
        dir.join("inputs/clips/c000/0000.png"),
        dir.join("inputs/clips/c000/00.png"),
    )
    .unwrap();
    rebuild_manifest(dir);
    let e = error(dir, &s);
    assert!(e.contains("frame 0 of clip `c000` is listed twice"), "{e}");
}

#[test]
fn pairs_naming_missing_or_escaping_images_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let s = generate(dir, "verify-1to1", 4);
    assert_eq!(load(dir, &s).unwrap().library.len(), 4);
    edit_line(dir, "pairs.csv", 3, "images/nobody.png,images/i00001.png,1");
    let e = error(dir, &s);
    assert!(
        e.contains("pairs.csv:3: column `a`: `images/nobody.png` is not an input image"),
        "{e}"
    );
    edit_line(
        dir,
        "pairs.csv",
        3,
        "images/i00001.png,../truth/pairs.csv,0",
    );
    let e = error(dir, &s);
    assert!(
        e.contains("pairs.csv:3: column `b`: `../truth/pairs.csv` is not an input image"),
        "{e}"
    );
    edit_line(dir, "pairs.csv", 3, "images/i00001.png,images/i00002.png,2");
    let e = error(dir, &s);
    assert!(
        e.contains("pairs.csv:3: column `mated`: expected 0 or 1, found 2"),
        "{e}"
    );
}

#[test]
fn identify_errors_and_answers_naming_unenrolled_identities() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let s = generate(dir, "identify-1toN", 4);
    let loaded = load(dir, &s).unwrap();
    let e = loaded
        .scorer
        .check_answer(
            0,
            &json!({"candidates": [{"identity": "stranger", "score": 1.0}]}),
        )
        .unwrap_err();
    assert!(e.contains("\"stranger\" is not enrolled"), "{e}");
    // The built-in system reads a corrupt probe as an error naming the file, not a panic.
    let probe = loaded.library.query(0)["image"]
        .as_str()
        .unwrap()
        .to_string();
    let bytes = std::fs::read(dir.join("inputs").join(&probe)).unwrap();
    std::fs::write(dir.join("inputs").join(&probe), &bytes[..bytes.len() / 3]).unwrap();
    let ctx = BuiltinContext {
        suite: s.clone(),
        library: loaded.library.clone(),
        backend: BackendHandle {
            pin: BackendPin {
                kind: "cpu".into(),
                device: "test".into(),
                vendor: None,
                api: None,
                driver: None,
                driver_info: None,
                device_type: None,
            },
            device: Arc::new(()),
        },
    };
    let system = VideoIdentity::new().builtin("face-baseline", &ctx).unwrap();
    let e = system.answer(0, &loaded.library.query(0)).unwrap_err();
    assert!(
        e.contains(&probe) && e.contains("not a readable PNG image"),
        "{e}"
    );

    edit_line(dir, "probes.csv", 2, &format!("{probe},id9999"));
    let e = error(dir, &s);
    assert!(
        e.contains("probes.csv:2: column `identity`: `id9999` is not enrolled"),
        "{e}"
    );
}

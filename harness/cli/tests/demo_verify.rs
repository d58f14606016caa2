//! The spine end to end with the real binary: what `jiebang demo` writes verifies, and
//! `jiebang verify` rejects a changed byte, an untrusted signature, a dataset file changed
//! after the run and a suite spec changed after the run — each naming what differs.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

fn jiebang(data: &Path) -> Command {
    let mut c = Command::cargo_bin("jiebang").unwrap();
    c.env("JIEBANG_DATA", data);
    c
}

fn scorecards(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".scorecard.json"))
        .collect();
    v.sort();
    v
}

#[test]
fn demo_output_verifies_and_tampering_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let (data, out) = (tmp.path().join("data"), tmp.path().join("demo"));
    jiebang(&data)
        .args([
            "--quiet",
            "demo",
            "--only",
            "medical-imaging/case-detection",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("imaging.detection_rate"));
    for f in [
        "leaderboard.md",
        "leaderboard.csv",
        "indicators.svg",
        "indicators.png",
    ] {
        assert!(out.join(f).exists(), "{f} missing");
    }
    // The demo runs again into its own folder: it replaces its own outputs, keeps other files,
    // and prints an aligned verdict table with a header row.
    std::fs::write(out.join("notes.txt"), b"mine").unwrap();
    jiebang(&data)
        .args([
            "--quiet",
            "demo",
            "--only",
            "medical-imaging/case-detection",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::is_match(
            r"\n  indicator +measured \[95% CI\] +vs national target +vs declared current +vs own 2020 target\n  imaging.detection_rate ",
        )
        .unwrap());
    assert_eq!(std::fs::read(out.join("notes.txt")).unwrap(), b"mine");
    let cards = scorecards(&out);
    assert_eq!(cards.len(), 1, "{cards:?}");
    let card = &cards[0];
    jiebang(&data)
        .arg("verify")
        .args(&cards)
        .assert()
        .success()
        .stdout(predicate::str::contains("dataset    ok"));

    // A signature by an untrusted key.
    jiebang(&data)
        .args(["keygen", "--name", "A", "--out"])
        .arg(tmp.path().join("a"))
        .assert()
        .success();
    jiebang(&data)
        .args(["keygen", "--name", "B", "--out"])
        .arg(tmp.path().join("b"))
        .assert()
        .success();
    jiebang(&data)
        .arg("sign")
        .arg(card)
        .arg("--key")
        .arg(tmp.path().join("a.key"))
        .assert()
        .success();
    jiebang(&data)
        .arg("verify")
        .arg(card)
        .arg("--trust")
        .arg(tmp.path().join("a.pub"))
        .assert()
        .success();
    jiebang(&data)
        .arg("verify")
        .arg(card)
        .arg("--trust")
        .arg(tmp.path().join("b.pub"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("untrusted key"));

    // One byte changed anywhere.
    let bytes = std::fs::read(card).unwrap();
    for at in [10, bytes.len() / 2, bytes.len() - 3] {
        let mut b = bytes.clone();
        b[at] ^= 0x01;
        std::fs::write(card, &b).unwrap();
        jiebang(&data)
            .arg("verify")
            .arg(card)
            .assert()
            .code(1)
            .stdout(predicate::str::contains("REJECTED"));
    }
    std::fs::write(card, &bytes).unwrap();

    // A dataset file changed after the run: one of the dataset the card pins (the demo's
    // rounds generate other sample counts beside it).
    let pinned: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    let dataset_root = pinned["pins"]["settings"]["dataset_root"].as_str().unwrap();
    let root = walk_first_dcm(Path::new(dataset_root)).expect("a generated DICOM file");
    let mut dcm = std::fs::read(&root).unwrap();
    let last = dcm.len() - 1;
    dcm[last] ^= 0xff;
    std::fs::write(&root, &dcm).unwrap();
    jiebang(&data)
        .arg("verify")
        .arg(card)
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("dataset").and(predicate::str::contains(
                root.file_name().unwrap().to_string_lossy().as_ref(),
            )),
        );
}

fn walk_first_dcm(dir: &Path) -> Option<PathBuf> {
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(&d)
            .ok()?
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "dcm") {
                return Some(p);
            }
        }
    }
    None
}

#[test]
fn suite_spec_changed_after_the_run_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let suite = tmp.path().join("case-detection.toml");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tasks/medical-imaging/suites/case-detection.toml"),
        &suite,
    )
    .unwrap();
    jiebang(&data)
        .args([
            "--quiet",
            "run",
            "--sut",
            "builtin:log-blob",
            "--samples",
            "40",
            "--json",
            "--suite-file",
        ])
        .arg(&suite)
        .arg("--out")
        .arg(tmp.path().join("out"))
        .assert()
        .success();
    let cards = scorecards(&tmp.path().join("out"));
    jiebang(&data)
        .arg("verify")
        .args(&cards)
        .assert()
        .success()
        .stdout(predicate::str::contains("suite      ok"));
    let text = std::fs::read_to_string(&suite).unwrap();
    let edited = text.replacen("title = \"", "title = \"Edited: ", 1);
    assert_ne!(text, edited);
    std::fs::write(&suite, edited).unwrap();
    jiebang(&data)
        .arg("verify")
        .args(&cards)
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("changed after the run")
                .and(predicate::str::contains("case-detection")),
        );
}

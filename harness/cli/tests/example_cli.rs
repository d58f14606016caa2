//! The example direction through the real binary (docs/ADDING-A-DIRECTION.md, step 10): two
//! `jiebang run`s, `jiebang compare` gating the fault injector's scorecard against the
//! baseline's (exit 1) and the baseline against itself (exit 0); `jiebang tasks` lists the
//! direction and `jiebang demo` leaves it out.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

fn jiebang(data: &Path) -> Command {
    let mut c = Command::cargo_bin("jiebang").unwrap();
    c.env("JIEBANG_DATA", data);
    c
}

/// Runs `builtin:system` on the example suite; returns its scorecard.
fn run(dir: &Path, system: &str) -> PathBuf {
    jiebang(&dir.join("data"))
        .args(["run", "--suite", "example/parity", "--sut"])
        .arg(format!("builtin:{system}"))
        .arg("--out")
        .arg(dir.join("cmp"))
        .arg("-q")
        .assert()
        .success();
    let card = dir.join("cmp").join(format!(
        "example.parity@1.builtin-{system}.accuracy.scorecard.json"
    ));
    assert!(card.is_file(), "{}", card.display());
    card
}

#[test]
fn compare_gates_the_example_direction() {
    let dir = tempfile::tempdir().unwrap();
    let good = run(dir.path(), "parity");
    let bad = run(dir.path(), "parity-test-every-fourth-wrong");
    let data = dir.path().join("data");
    jiebang(&data)
        .arg("compare")
        .arg(&good)
        .arg(&bad)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("parity.accuracy"))
        .stdout(predicate::str::contains("regressed"));
    jiebang(&data)
        .arg("compare")
        .arg(&good)
        .arg(&good)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("regressed").not());
    // The worse system improves on nothing the better one did: the reverse gate passes.
    jiebang(&data)
        .arg("compare")
        .arg(&bad)
        .arg(&good)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("improved"));
}

#[test]
fn tasks_lists_the_example_and_demo_leaves_it_out() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    jiebang(&data)
        .arg("tasks")
        .assert()
        .success()
        .stdout(predicate::str::contains("example/parity"));
    jiebang(&data)
        .args(["demo", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Example directions"));
    jiebang(&data)
        .args(["demo", "--only", "example", "--out"])
        .arg(dir.path().join("demo"))
        .arg("-q")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nothing to run"));
}

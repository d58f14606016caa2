//! `jiebang board` through the real binary: verified scorecards go on the board (Markdown, CSV,
//! JSON, chart); a tampered one and, under `--trust`, an untrusted one are left off by name
//! with exit status 1; a folder argument takes its scorecards.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

fn golden() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../scorecard/tests/golden/sample.scorecard.json")
}

fn jiebang(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("jiebang").unwrap();
    c.current_dir(dir);
    c
}

#[test]
fn boards_verified_cards_and_names_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let cards = d.join("cards");
    std::fs::create_dir(&cards).unwrap();
    let good = cards.join("a.scorecard.json");
    std::fs::copy(golden(), &good).unwrap();
    // One byte of the measured value changed: the id no longer matches.
    let text = std::fs::read_to_string(&good).unwrap();
    let at = text.find("\"measured\":").unwrap() + "\"measured\":".len() + 2;
    let mut bytes = text.into_bytes();
    bytes[at] = if bytes[at] == b'1' { b'2' } else { b'1' };
    let bad = d.join("tampered.scorecard.json");
    std::fs::write(&bad, &bytes).unwrap();

    jiebang(d)
        .args(["board", "cards"])
        .arg(&bad)
        .args(["--out", "site", "--title", "Round test"])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("tampered.scorecard.json")
                .and(predicate::str::contains("failed verification")),
        );
    let md = std::fs::read_to_string(d.join("site/leaderboard.md")).unwrap();
    assert!(md.starts_with("# Round test"), "{md}");
    assert!(
        md.contains("### Standings against the national 2020 targets"),
        "{md}"
    );
    assert!(md.contains("imaging.detection_rate"), "{md}");
    assert!(md.contains("## Left off the board") && md.contains("tampered.scorecard.json"));
    let csv = std::fs::read_to_string(d.join("site/leaderboard.csv")).unwrap();
    assert_eq!(
        csv.lines().count(),
        2,
        "header and one indicator row:\n{csv}"
    );
    assert!(csv.lines().nth(1).unwrap().contains(",1,"), "rank 1: {csv}");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("site/leaderboard.json")).unwrap()).unwrap();
    assert_eq!(json["suites"].as_array().unwrap().len(), 1);
    assert_eq!(json["excluded"].as_array().unwrap().len(), 1);
    assert!(d.join("site/indicators.svg").is_file());

    // The same card twice is boarded once.
    jiebang(d)
        .args(["board", "cards"])
        .arg(&good)
        .args(["--out", "site2"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("the same scorecard as"));
}

#[test]
fn trust_leaves_off_cards_not_signed_by_a_trusted_key() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    jiebang(d)
        .args(["keygen", "--name", "Other Agency", "--out", "other"])
        .assert()
        .success();
    jiebang(d)
        .arg("board")
        .arg(golden())
        .args(["--trust", "other.pub", "--out", "site"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("failed verification"));
    jiebang(d)
        .args(["board", "nowhere.scorecard.json", "--out", "site"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nowhere.scorecard.json"));
}

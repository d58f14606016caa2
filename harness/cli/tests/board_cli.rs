//! `jiebang board` through the real binary: verified scorecards go on the board (the site,
//! Markdown, CSV, JSON); a tampered one and, under `--trust`, an untrusted one are left off by
//! name with exit status 1; a folder argument takes its scorecards, subfolders included, each
//! file once.

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
    let round = &json["rounds"][0];
    assert_eq!(round["suites"].as_array().unwrap().len(), 1);
    assert_eq!(
        round["suites"][0]["standings"][0]["entry"]["class"],
        "self-reported"
    );
    assert_eq!(round["excluded"].as_array().unwrap().len(), 1);
    let page = std::fs::read_to_string(d.join("site/index.html")).unwrap();
    assert!(
        page.contains("<title>Round test</title>") && page.contains("<table class=\"sortable\">")
    );
    assert!(page.contains("tampered.scorecard.json") && page.contains("failed verification"));
    let direction =
        std::fs::read_to_string(d.join("site/directions/scorecards.medical-imaging.html")).unwrap();
    assert!(
        direction.contains("<img class=\"chart\" src=\"../charts/"),
        "{direction}"
    );
    assert!(
        direction.contains("href=\"../scorecards/scorecards/"),
        "{direction}"
    );

    // The same scorecard under two names is boarded once, and named.
    std::fs::copy(&good, d.join("again.scorecard.json")).unwrap();
    jiebang(d)
        .args(["board", "cards", "again.scorecard.json", "--out", "site2"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "again.scorecard.json: the same scorecard as",
        ));
    // A file named twice (directly and through its folder) is read once; subfolders are walked.
    std::fs::create_dir_all(d.join("nested/unit-a")).unwrap();
    std::fs::rename(&good, d.join("nested/unit-a/a.scorecard.json")).unwrap();
    jiebang(d)
        .args([
            "board",
            "nested",
            "nested/unit-a/a.scorecard.json",
            "--out",
            "site3",
        ])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("the same scorecard").not())
        .stdout(predicate::str::contains("(1 on the board, 0 left off"));
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
    // A secret key is no trust anchor (the same check as `verify --trust`).
    jiebang(d)
        .arg("board")
        .arg(golden())
        .args(["--trust", "other.key", "--out", "site"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("secret key"));
    jiebang(d)
        .args(["board", "nowhere.scorecard.json", "--out", "site"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nowhere.scorecard.json"));
}

fn declaration(unit: &str) -> String {
    format!(
        "schema_version = 1\nunit = \"{unit}\"\ndirection = \"medical-imaging\"\n\n\
         [[indicator]]\nid = \"imaging.detection_rate\"\ncurrent = 0.5\ntarget_2020 = 0.9\n"
    )
}

/// A round folder: signed runs of two units (and one of another round, and one unsigned),
/// `round.toml` with the agency's key and caps; the board ranks, selects and names the rest.
#[test]
fn a_round_folder_selects_by_its_ranking_indicator() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let data = d.join("data");
    let run = |sut: &str, decl: &str, round: &str, sign: bool| {
        std::fs::write(d.join(format!("{decl}.toml")), declaration(decl)).unwrap();
        let mut c = jiebang(d);
        c.env("JIEBANG_DATA", &data)
            .args([
                "run",
                "--suite",
                "medical-imaging/case-detection",
                "--samples",
                "24",
            ])
            .args(["--sut", sut, "--declaration", &format!("{decl}.toml")])
            .args([
                "--round",
                round,
                "--out",
                &format!("runs/{decl}-{round}"),
                "-q",
            ]);
        if sign {
            c.args(["--sign", "agency.key"]);
        }
        c.assert().success();
        let out = d.join(format!("runs/{decl}-{round}"));
        for e in std::fs::read_dir(&out).unwrap() {
            let p = e.unwrap().path();
            if p.to_string_lossy().ends_with(".scorecard.json") {
                let to = d
                    .join("round")
                    .join(format!("{decl}-{round}.scorecard.json"));
                std::fs::copy(&p, to).unwrap();
            }
        }
    };
    std::fs::create_dir(d.join("round")).unwrap();
    jiebang(d)
        .args(["keygen", "--name", "Agency", "--out", "agency"])
        .assert()
        .success();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/suts/example_sut.py");
    run("builtin:log-blob", "Lab A", "2020-r1", true);
    run(
        &format!("python3 {}", example.display()),
        "Lab B",
        "2020-r1",
        true,
    );
    run("builtin:log-blob", "Lab C", "2019-r9", true);
    run("builtin:log-blob", "Lab D", "2020-r1", false);
    std::fs::copy(d.join("agency.pub"), d.join("round/agency.pub")).unwrap();
    std::fs::write(
        d.join("round/round.toml"),
        "schema_version = 1\nround = \"2020-r1\"\ntitle = \"Test round\"\n\
         trusted_keys = [\"agency.pub\"]\n\n[[direction]]\nid = \"medical-imaging\"\n\
         ranking_indicator = \"imaging.detection_rate\"\nselected = 1\nsuccessful = 1\n",
    )
    .unwrap();
    // Lab D's unsigned scorecard fails the trust check: exit 1, named, the rest still boarded.
    jiebang(d)
        .args(["board", "round", "--out", "site"])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("Lab D-2020-r1").and(predicate::str::contains(
                "Lab C-2019-r9.scorecard.json: round 2019-r9, not 2020-r1",
            )),
        );
    let md = std::fs::read_to_string(d.join("site/leaderboard.md")).unwrap();
    assert!(md.starts_with("# Test round"), "{md}");
    assert!(md.contains("## Selection — medical-imaging"), "{md}");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("site/leaderboard.json")).unwrap()).unwrap();
    let cands = json["rounds"][0]["selection"][0]["candidates"]
        .as_array()
        .unwrap();
    let units: Vec<&str> = cands.iter().map(|c| c["unit"].as_str().unwrap()).collect();
    // The log-blob detector finds far more lesions than the example SUT's trivial rule.
    assert_eq!(units, ["Lab A", "Lab B"], "{json:#}");
    assert_eq!(cands[0]["selected"], true);
    assert_eq!(cands[1]["selected"], false);
    assert!(
        cands[1]["note"]
            .as_str()
            .unwrap()
            .contains("beyond the cap of 1 selected")
    );
    // Successful needs every national target met; 24 studies cannot show that.
    assert_eq!(cands[0]["successful"], false);
    assert!(
        cands[0]["note"]
            .as_str()
            .unwrap()
            .contains("national targets shown met")
    );
    let csv = std::fs::read_to_string(d.join("site/selection.csv")).unwrap();
    assert_eq!(csv.lines().count(), 3, "{csv}");
    // A round file names its line when it is wrong.
    std::fs::write(
        d.join("round/round.toml"),
        "schema_version = 1\nround = \"2020-r1\"\n[[direction]]\nid = \"medical-imaging\"\n\
         ranking_indicator = \"imaging.nope\"\n",
    )
    .unwrap();
    jiebang(d)
        .args(["board", "round", "--out", "site"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("round.toml:5").and(predicate::str::contains(
                "not an indicator of medical-imaging",
            )),
        );
}

/// A round with no submission yet publishes its (empty) pages; a plain folder without
/// scorecards is a mistake, named.
#[test]
fn a_round_without_submissions_is_published_and_an_empty_folder_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("round/units")).unwrap();
    std::fs::write(
        d.join("round/round.toml"),
        "schema_version = 1\nround = \"2030-r1\"\n\n[[direction]]\nid = \"medical-imaging\"\n\
         ranking_indicator = \"imaging.detection_rate\"\n",
    )
    .unwrap();
    jiebang(d)
        .args(["board", "round", "--out", "site"])
        .env("SOURCE_DATE_EPOCH", "0")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("(0 on the board, 0 left off)"));
    let page =
        std::fs::read_to_string(d.join("site/directions/2030-r1.medical-imaging.html")).unwrap();
    assert!(
        page.contains("No certified entry of a declaring unit"),
        "{page}"
    );
    let index = std::fs::read_to_string(d.join("site/index.html")).unwrap();
    assert!(index.contains("generated 1970-01-01 by jiebang"), "{index}");
    std::fs::create_dir(d.join("empty")).unwrap();
    jiebang(d)
        .args(["board", "empty", "--out", "site2"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("empty: no *.scorecard.json files"));
}

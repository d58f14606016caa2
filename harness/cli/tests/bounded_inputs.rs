//! Crafted inputs through the real binary: `verify` of scorecards pinning `/dev/zero` (ends
//! quickly with exit 1, and reads nothing pinned when the signature fails), `round.toml` key
//! paths outside the round's folder (refused naming round.toml:line), a round that requires
//! the sandbox, and declarations and predictions files that are not UTF-8 or too large.

use assert_cmd::Command;
use jiebang_scorecard::{FilePin, Scorecard, seal, verify_bytes};
use predicates::prelude::*;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Long enough for a slow machine, far shorter than reading /dev/zero without a bound.
const QUICK: Duration = Duration::from_secs(60);

fn golden() -> Scorecard {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../scorecard/tests/golden/sample.scorecard.json");
    verify_bytes("golden", &std::fs::read(p).unwrap(), None)
        .unwrap()
        .scorecard
}

fn write(dir: &Path, name: &str, mut sc: Scorecard) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, seal(&mut sc, None).unwrap()).unwrap();
    p
}

fn jiebang(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("jiebang").unwrap();
    c.current_dir(dir)
        .env("JIEBANG_DATA", dir.join("data"))
        .timeout(QUICK);
    c
}

#[test]
fn verify_refuses_pinned_devices_quickly_and_reads_nothing_after_a_failed_signature() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    jiebang(d)
        .args(["keygen", "--name", "Agency", "--out", "agency"])
        .assert()
        .success();
    let mut sc = golden();
    sc.pins.sut.files = vec![FilePin {
        path: "/dev/zero".into(),
        sha256: "0".repeat(64),
    }];
    let sut = write(d, "sut.scorecard.json", sc);
    let mut sc = golden();
    sc.pins.suite.source = "/dev/zero".into();
    let suite = write(d, "suite.scorecard.json", sc);

    jiebang(d)
        .arg("verify")
        .arg(&sut)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "sut        failed       /dev/zero: pinned SUT file: not a regular file",
        ));
    jiebang(d)
        .arg("verify")
        .arg(&suite)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "suite      failed       /dev/zero: suite file: not a regular file",
        ));
    // Unsigned under --trust: the signature row fails and nothing the card pins is read.
    for card in [&sut, &suite] {
        jiebang(d)
            .arg("verify")
            .arg(card)
            .args(["--trust", "agency.pub"])
            .assert()
            .code(1)
            .stdout(
                predicate::str::contains("signature  failed")
                    .and(predicate::str::contains("/dev/zero").not())
                    .and(predicate::str::contains("suite ").not()),
            );
    }
}

fn round_folder(dir: &Path, keys: &str) -> PathBuf {
    let round = dir.join("round");
    std::fs::create_dir_all(&round).unwrap();
    std::fs::write(
        round.join("round.toml"),
        format!(
            "schema_version = 1\nround = \"2020-r1\"\ntrusted_keys = [{keys}]\n\n\
             [[direction]]\nid = \"medical-imaging\"\nranking_indicator = \"imaging.detection_rate\"\n"
        ),
    )
    .unwrap();
    round
}

#[test]
fn round_key_paths_stay_inside_the_round_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    jiebang(d)
        .args(["keygen", "--name", "Outsider", "--out", "outside"])
        .assert()
        .success();
    let round = round_folder(d, "");
    let mut sc = golden();
    sc.pins.round = Some("2020-r1".into());
    write(&round, "a.scorecard.json", sc);
    let mut cases = vec![
        ("\"../outside.pub\"", "`..` leaves the round's folder"),
        (
            "\"../../../../etc/passwd\"",
            "`..` leaves the round's folder",
        ),
        ("\"/etc/passwd\"", "an absolute path"),
        ("\"/dev/zero\"", "an absolute path"),
    ];
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(d.join("outside.pub"), round.join("link.pub")).unwrap();
        std::os::unix::fs::symlink("/dev/zero", round.join("zero.pub")).unwrap();
        cases.push(("\"link.pub\"", "outside the round's folder"));
        cases.push(("\"zero.pub\"", "outside the round's folder"));
    }
    for (key, why) in cases {
        round_folder(d, key);
        jiebang(d)
            .args(["board", "round", "--out", "site"])
            .assert()
            .code(2)
            .stderr(
                predicate::str::contains("round.toml:3: trusted_keys `")
                    .and(predicate::str::contains(why)),
            );
    }
    // A key file inside the folder that is not a regular file names the line too.
    std::fs::create_dir(round.join("keys.pub")).unwrap();
    round_folder(d, "\"keys.pub\"");
    jiebang(d)
        .args(["board", "round", "--out", "site"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("round.toml:3: trusted_keys `keys.pub`")
                .and(predicate::str::contains("not a regular file")),
        );
}

#[test]
fn a_round_that_requires_the_sandbox_leaves_off_unsandboxed_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let round = round_folder(d, "");
    let toml = std::fs::read_to_string(round.join("round.toml")).unwrap();
    std::fs::write(
        round.join("round.toml"),
        toml.replace("trusted_keys = []", "require_sandbox = true"),
    )
    .unwrap();
    for (name, sandbox) in [
        ("absent", None),
        ("none", Some("none")),
        ("boxed", Some("bubblewrap 0.8.0")),
    ] {
        let mut sc = golden();
        sc.pins.round = Some("2020-r1".into());
        if let Some(s) = sandbox {
            sc.pins.settings.insert("sandbox".into(), s.into());
        }
        write(&round, &format!("{name}.scorecard.json"), sc);
    }
    jiebang(d)
        .args(["board", "round", "--out", "site"])
        .assert()
        .code(0)
        .stderr(
            predicate::str::contains(
                "absent.scorecard.json: not sandboxed (settings.sandbox absent)",
            )
            .and(predicate::str::contains(
                "none.scorecard.json: not sandboxed (settings.sandbox = none)",
            ))
            .and(predicate::str::contains("boxed.scorecard.json").not()),
        )
        .stdout(predicate::str::contains("(1 on the board, 2 left off)"));
    let md = std::fs::read_to_string(d.join("site/leaderboard.md")).unwrap();
    assert!(
        md.contains("## Left off the board") && md.contains("requires runs made with --sandbox")
    );
}

const SUITE: &str = "medical-imaging/case-detection";

#[test]
fn declarations_that_are_not_utf8_or_too_large_are_named() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::write(
        d.join("bad.toml"),
        b"schema_version = 1\ndirection = \"medical-imaging\"\nunit = \"Lab \xff\"\n",
    )
    .unwrap();
    let mut big = String::from("schema_version = 1\n");
    while big.len() <= 4 << 20 {
        big.push_str("# padding padding padding padding padding padding padding padding\n");
    }
    std::fs::write(d.join("big.toml"), big).unwrap();
    for (file, expect) in [
        (
            "bad.toml",
            "bad.toml:3: declaration: byte 13 of the line is not UTF-8",
        ),
        (
            "big.toml",
            "big.toml: declaration: larger than the 4194304-byte limit",
        ),
    ] {
        jiebang(d)
            .args(["run", "--suite", SUITE, "--sut", "builtin:log-blob"])
            .args(["--samples", "4", "--declaration", file, "--out", "out"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(expect));
    }
}

#[test]
fn predictions_lines_are_capped_and_utf8_errors_named_with_their_line() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let good =
        "{\"sample\": \"study-0000\", \"positive\": true, \"score\": 0.9, \"lesions\": []}\n";
    // A line just over the cap on a process SUT's answer lines (8 MiB).
    let pad = "x".repeat(8 << 20);
    std::fs::write(
        d.join("long.jsonl"),
        format!(
            "{good}{{\"sample\": \"study-0001\", \"positive\": true, \"score\": 0.1, \"lesions\": [], \"pad\": \"{pad}\"}}\n"
        ),
    )
    .unwrap();
    jiebang(d)
        .args(["run", "--suite", SUITE, "--sut", "predictions:long.jsonl"])
        .args(["--samples", "4", "--out", "out", "--quiet"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "long.jsonl:2: a line of 8388690 bytes exceeds max_line_bytes = 8388608",
        ))
        .stdout(predicate::str::contains("4 issued, 1 answered"));
    // The cap is the run's max_line_bytes setting; CSV records are capped alike.
    std::fs::write(
        d.join("long.csv"),
        format!(
            "sample,positive,score\nstudy-0000,true,0.9\nstudy-0001,true,\"{}\"\n",
            "9".repeat(300)
        ),
    )
    .unwrap();
    jiebang(d)
        .args(["run", "--suite", SUITE, "--sut", "predictions:long.csv"])
        .args(["--samples", "4", "--out", "out-csv", "--quiet"])
        .args(["--set", "max_line_bytes=200"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "long.csv:3: a line of 318 bytes exceeds max_line_bytes = 200",
        ));
    let mut bytes = good.as_bytes().to_vec();
    bytes.extend_from_slice(b"{\"sample\": \"study-\xff\"}\n");
    std::fs::write(d.join("bad.jsonl"), bytes).unwrap();
    jiebang(d)
        .args(["run", "--suite", SUITE, "--sut", "predictions:bad.jsonl"])
        .args(["--samples", "4", "--out", "out-bad", "--quiet"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "bad.jsonl:2: predictions file: byte 19 of the line is not UTF-8",
        ));
}

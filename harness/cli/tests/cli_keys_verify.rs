//! The real binary: keygen, sign, verify (trusted, untrusted, tampered) and show on a
//! scorecard built by the scorecard crate's golden test.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

fn golden() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../scorecard/tests/golden/sample.scorecard.json")
}

fn jiebang() -> Command {
    Command::cargo_bin("jiebang").unwrap()
}

/// An unsigned copy of the golden scorecard in `dir`.
fn unsigned_copy(dir: &Path) -> PathBuf {
    let bytes = std::fs::read(golden()).unwrap();
    let v = jiebang_scorecard::verify_bytes("golden", &bytes, None).unwrap();
    let mut sc = v.scorecard;
    // The golden card pins a made-up suite hash; name a suite no build has, so that these
    // tests exercise integrity and signatures (demo_verify.rs covers the suite check).
    sc.pins.suite.id = "example/not-registered".into();
    let out = jiebang_scorecard::seal(&mut sc, None).unwrap();
    let p = dir.join("card.scorecard.json");
    std::fs::write(&p, out).unwrap();
    p
}

#[test]
fn keygen_sign_verify_trusted_and_untrusted() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let card = unsigned_copy(d);
    jiebang()
        .args(["keygen", "--name", "agency-a", "--out"])
        .arg(d.join("a"))
        .assert()
        .success();
    jiebang()
        .args(["keygen", "--name", "agency-b", "--out"])
        .arg(d.join("b"))
        .assert()
        .success();
    // Refuses to overwrite a key.
    jiebang()
        .args(["keygen", "--name", "x", "--out"])
        .arg(d.join("a"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("exists"));

    jiebang()
        .arg("sign")
        .arg(&card)
        .arg("--key")
        .arg(d.join("a.key"))
        .assert()
        .success();
    jiebang()
        .arg("verify")
        .arg(&card)
        .arg("--trust")
        .arg(d.join("a.pub"))
        .assert()
        .success()
        .stdout(predicate::str::contains("trusted key").and(predicate::str::contains("agency-a")));
    jiebang()
        .arg("verify")
        .arg(&card)
        .arg("--trust")
        .arg(d.join("b.pub"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("untrusted key"));
    // Signing with the public half is refused clearly.
    jiebang()
        .arg("sign")
        .arg(&card)
        .arg("--key")
        .arg(d.join("b.pub"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("secret key"));
}

#[test]
fn one_changed_byte_is_rejected_with_reason() {
    let dir = tempfile::tempdir().unwrap();
    let card = unsigned_copy(dir.path());
    jiebang().arg("verify").arg(&card).assert().success();
    let text = std::fs::read_to_string(&card).unwrap();
    std::fs::write(
        &card,
        text.replacen("\"answered\":99", "\"answered\":90", 1),
    )
    .unwrap();
    jiebang()
        .arg("verify")
        .arg(&card)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("REJECTED").and(predicate::str::contains("id mismatch")));
    std::fs::write(&card, text.replacen('{', "{ ", 1)).unwrap();
    jiebang()
        .args(["verify", "--json"])
        .arg(&card)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("canonical form"));
}

#[test]
fn show_renders_indicators_beside_targets() {
    let dir = tempfile::tempdir().unwrap();
    let card = unsigned_copy(dir.path());
    jiebang().arg("show").arg(&card).assert().success().stdout(
        predicate::str::contains("imaging.detection_rate")
            .and(predicate::str::contains("> 95.00%"))
            .and(predicate::str::contains(
                "inconclusive (≈400 samples to decide)",
            ))
            .and(predicate::str::contains("93.00%")),
    );
    jiebang()
        .args(["show", "--format", "markdown"])
        .arg(&card)
        .assert()
        .success()
        .stdout(predicate::str::contains("| imaging.detection_rate"));
}

#[test]
fn missing_file_and_help_are_clear() {
    // A missing input is an error (2), not a failed check (1).
    jiebang()
        .args(["verify", "/nonexistent/x.json"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("/nonexistent/x.json: ERROR"))
        .stderr(predicate::str::contains("could not be read"));
    jiebang().arg("--help").assert().success().stdout(
        predicate::str::contains("Exit codes").and(predicate::str::contains("jiebang demo")),
    );
}

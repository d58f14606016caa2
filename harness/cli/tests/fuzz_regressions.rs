//! The real binary on inputs the fuzz targets (fuzz/fuzz_targets/) found: a scorecard that is
//! canonical JSON with a matching id, but not what the schema writes, is refused by `verify`
//! and by `sign` (which used to stop on an internal error after `verify` had passed it); a suite
//! file with a number its hash cannot see (`nan`, `inf`) is refused with its line.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn jiebang() -> Command {
    Command::cargo_bin("jiebang").unwrap()
}

/// The golden scorecard, unsigned, with `duration_s` written as the integer 6 instead of
/// `6.0e0`, and sealed by hand with the id of exactly these bytes.
fn integer_where_a_float_belongs(dir: &Path) -> PathBuf {
    let golden = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../scorecard/tests/golden/sample.scorecard.json");
    let mut v: Value = serde_json::from_slice(&std::fs::read(golden).unwrap()).unwrap();
    let map = v.as_object_mut().unwrap();
    map.remove("signature");
    map.remove("id");
    v["run"]["duration_s"] = json!(6);
    // A suite no build has, so that only integrity decides (as in cli_keys_verify.rs).
    v["pins"]["suite"]["id"] = json!("example/not-registered");
    let id = jiebang_scorecard::compute_id(&v).unwrap();
    v.as_object_mut().unwrap().insert("id".into(), json!(id));
    let mut bytes = jiebang_scorecard::to_canonical_bytes(&v).unwrap();
    bytes.push(b'\n');
    let p = dir.join("integer.scorecard.json");
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn verify_and_sign_refuse_a_second_spelling_of_a_scorecard() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let card = integer_where_a_float_belongs(d);
    jiebang()
        .arg("verify")
        .arg(&card)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("not in canonical form"));
    jiebang()
        .args(["keygen", "--name", "agency", "--out"])
        .arg(d.join("a"))
        .assert()
        .success();
    let before = std::fs::read(&card).unwrap();
    jiebang()
        .arg("sign")
        .arg(&card)
        .arg("--key")
        .arg(d.join("a.key"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("not in canonical form"))
        .stderr(predicate::str::contains("internal").not());
    assert_eq!(
        std::fs::read(&card).unwrap(),
        before,
        "the file was rewritten"
    );
}

#[test]
fn a_suite_with_a_number_its_hash_cannot_see_is_refused_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tasks/medical-imaging/suites/case-detection.toml"),
    )
    .unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let at = lines.iter().position(|l| l == "[dataset]").unwrap() + 1;
    // An unused parameter: before the fix the run went ahead, and `nan` or `inf` here gave the
    // same suite hash.
    lines.insert(at, "note = nan".into());
    for l in &mut lines {
        if l.starts_with("samples = ") {
            *l = "samples = 4".into();
        }
    }
    let suite = d.join("nan.toml");
    std::fs::write(&suite, lines.join("\n") + "\n").unwrap();
    Command::cargo_bin("jiebang")
        .unwrap()
        .env("JIEBANG_DATA", d.join("data"))
        .args([
            "--quiet",
            "run",
            "--sut",
            "builtin:log-blob",
            "--suite-file",
        ])
        .arg(&suite)
        .arg("--out")
        .arg(d.join("out"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "nan.toml:{}: dataset.note = NaN: expected a finite number",
            at + 1
        )));
}

//! The real binary on inputs built from the golden scorecard and a tiny generated dataset:
//! `show` of several files, rounds and shards; `verify` exit codes, trust rows, `--sut-dir`
//! and `--require-files`; `data verify` listing every bad file; errors that say things once.

use assert_cmd::Command;
use jiebang_scorecard::{Metric, Scorecard, seal, verify_bytes};
use predicates::prelude::*;
use std::path::{Path, PathBuf};

fn golden() -> Scorecard {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../scorecard/tests/golden/sample.scorecard.json");
    let mut sc = verify_bytes("golden", &std::fs::read(p).unwrap(), None)
        .unwrap()
        .scorecard;
    // A suite no build registers, so that only the checks under test can fail.
    sc.pins.suite.id = "example/not-registered".into();
    sc
}

fn write(dir: &Path, name: &str, mut sc: Scorecard) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, seal(&mut sc, None).unwrap()).unwrap();
    p
}

fn jiebang(data: &Path) -> Command {
    let mut c = Command::cargo_bin("jiebang").unwrap();
    c.env("JIEBANG_DATA", data);
    c
}

#[test]
fn show_takes_several_files_and_names_round_shard_and_non_scorecards() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let mut a = golden();
    a.pins.round = Some("2020-r1".into());
    let auc = Metric {
        ci_method: Some(jiebang_scorecard::CiMethod::DeLong),
        ..a.metrics["case.sensitivity"].clone()
    };
    a.metrics.insert("case.auc".into(), auc);
    let a = write(d, "a.scorecard.json", a);
    let mut b = golden();
    b.pins.shard = Some("1/2".into());
    let b = write(d, "b.scorecard.json", b);
    jiebang(d)
        .arg("show")
        .args([&a, &b])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("──── ")
                .and(predicate::str::contains("a.scorecard.json ────"))
                .and(predicate::str::contains("b.scorecard.json ────"))
                .and(predicate::str::contains("round      2020-r1"))
                .and(predicate::str::contains("shard      1/2: partial"))
                .and(predicate::str::contains("merge the shard logs"))
                // A proportion reads as a percentage, an AUC as a plain number.
                .and(predicate::str::contains(
                    "case.sensitivity                     95.92%",
                ))
                .and(predicate::str::contains(
                    "case.auc                             0.9592 [",
                )),
        );
    // A per-query log and a file that is not JSON are named for what they are (exit 2).
    let log = d.join("x.log.jsonl");
    std::fs::write(
        &log,
        "{\"type\":\"header\",\"schema_version\":1}\n{\"type\":\"end\"}\n",
    )
    .unwrap();
    let says_log =
        || predicate::str::contains("per-query log").and(predicate::str::contains("merge"));
    jiebang(d)
        .arg("show")
        .arg(&log)
        .assert()
        .code(2)
        .stderr(says_log());
    jiebang(d)
        .arg("verify")
        .arg(&log)
        .assert()
        .code(2)
        .stdout(says_log())
        .stderr(predicate::str::contains("could not be read as scorecards"));
    let readme = d.join("README.md");
    std::fs::write(&readme, "# hello\n").unwrap();
    jiebang(d).arg("show").arg(&readme).assert().code(2).stderr(
        predicate::str::contains("not a scorecard")
            .and(predicate::str::contains("integrity").not()),
    );
}

/// JSON that is not a scorecard is bad input (exit 2, as `verify --help` says), told apart from a
/// scorecard that fails its checks (exit 1).
#[test]
fn verify_of_json_that_is_not_a_scorecard_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    jiebang(d)
        .args(["verify", "--help"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("2 a file could not be read or is not a").and(
                predicate::str::contains("JSON without a scorecard's fields (`{}`"),
            ),
        );
    let good = write(d, "good.scorecard.json", golden());
    let cases = [
        (
            "empty.json",
            "{}\n",
            "not a scorecard: JSON without the fields `schema_version`",
        ),
        (
            "other.json",
            "{\"name\":\"x\",\"version\":3}\n",
            "not a scorecard",
        ),
        (
            "shape.json",
            "{\"id\":\"x\",\"schema_version\":1}\n",
            "JSON without the fields `pins`, `run`, `metrics`",
        ),
    ];
    for (name, text, says) in cases {
        let p = d.join(name);
        std::fs::write(&p, text).unwrap();
        jiebang(d)
            .arg("verify")
            .arg(&p)
            .assert()
            .code(2)
            .stdout(
                predicate::str::contains(format!("{name}: ERROR"))
                    .and(predicate::str::contains(says))
                    .and(predicate::str::contains("REJECTED").not()),
            )
            .stderr(predicate::str::contains("could not be read as scorecards"));
        // With a real scorecard beside it: still 2, and the good one is still checked.
        jiebang(d)
            .args(["verify", "--json"])
            .arg(&good)
            .arg(&p)
            .assert()
            .code(2)
            .stdout(predicate::str::contains("\"ok\": true").and(predicate::str::contains(says)));
    }
    // A scorecard that fails a check stays 1: damaged (cut short, no longer JSON) or edited.
    let text = std::fs::read_to_string(&good).unwrap();
    let cut = d.join("cut.scorecard.json");
    std::fs::write(&cut, &text[..text.len() / 2]).unwrap();
    jiebang(d).arg("verify").arg(&cut).assert().code(1).stdout(
        predicate::str::contains("REJECTED").and(predicate::str::contains("not a valid scorecard")),
    );
    std::fs::write(
        &good,
        text.replacen("\"answered\":99", "\"answered\":98", 1),
    )
    .unwrap();
    jiebang(d)
        .arg("verify")
        .arg(&good)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("id mismatch"));
}

/// Every format of `show` is a whole document ending its last line: one scorecard's JSON is
/// the scorecard itself, several are an array.
#[test]
fn show_formats_end_their_last_line() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let a = write(d, "a.scorecard.json", golden());
    let stdout = |args: &[&str]| {
        let out = jiebang(d).arg("show").arg(&a).args(args).output().unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let one = stdout(&["--format", "json"]);
    assert!(one.ends_with("}\n"), "{one:?}");
    let v: serde_json::Value = serde_json::from_str(&one).unwrap();
    assert_eq!(v["id"], golden_id(d));
    let many = stdout(&[a.to_str().unwrap(), "--format", "json"]);
    assert!(many.ends_with("]\n"), "{many:?}");
    let v: serde_json::Value = serde_json::from_str(&many).unwrap();
    assert_eq!(v.as_array().map(Vec::len), Some(2));
    let md = stdout(&["--format", "markdown"]);
    assert!(
        md.starts_with("```text\nscorecard ") && md.ends_with("|\n"),
        "{md}"
    );
    let text = stdout(&[]);
    assert!(
        text.starts_with("scorecard ") && text.ends_with('\n'),
        "{text}"
    );
}

/// The id of the scorecard `write` made in `dir`.
fn golden_id(dir: &Path) -> String {
    let bytes = std::fs::read(dir.join("a.scorecard.json")).unwrap();
    verify_bytes("a", &bytes, None)
        .unwrap()
        .scorecard
        .id
        .unwrap()
}

#[test]
fn verify_trust_rows_and_secret_key() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let card = write(d, "card.scorecard.json", golden());
    for name in ["agency", "mallory"] {
        jiebang(d)
            .args(["keygen", "--name", name, "--out"])
            .arg(d.join(name))
            .assert()
            .success();
    }
    jiebang(d)
        .arg("verify")
        .arg(&card)
        .arg("--trust")
        .arg(d.join("agency.pub"))
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("integrity  ok")
                .and(predicate::str::contains(
                    "signature  failed       unsigned; --trust requires a signature by one of: ",
                ))
                .and(predicate::str::contains("(agency)"))
                .and(predicate::str::contains("nobody").not()),
        );
    // The board under --trust leaves it off as unsigned, never "nobody" or an untrusted key.
    let o = jiebang(d)
        .arg("board")
        .arg(&card)
        .arg("--trust")
        .arg(d.join("agency.pub"))
        .arg("--out")
        .arg(d.join("site"))
        .output()
        .unwrap();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        all.contains("failed verification: unsigned; a signature by a trusted key is required")
            && !all.contains("nobody")
            && !all.contains("untrusted key"),
        "{all}"
    );
    jiebang(d)
        .arg("sign")
        .arg(&card)
        .arg("--key")
        .arg(d.join("mallory.key"))
        .assert()
        .success();
    jiebang(d)
        .arg("verify")
        .arg(&card)
        .arg("--trust")
        .arg(d.join("agency.pub"))
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("integrity  ok").and(predicate::str::contains(
                "signature  failed       valid signature by untrusted key",
            )),
        );
    // A secret key is not a trust anchor.
    jiebang(d)
        .arg("verify")
        .arg(&card)
        .arg("--trust")
        .arg(d.join("agency.key"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("secret key file"));
}

#[test]
fn pinned_sut_files_resolve_under_sut_dir_and_can_be_required() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let run_dir = d.join("unit");
    std::fs::create_dir(&run_dir).unwrap();
    std::fs::write(run_dir.join("model.bin"), b"weights").unwrap();
    let mut sc = golden();
    sc.pins.sut.files = vec![jiebang_scorecard::FilePin {
        path: "model.bin".into(),
        sha256: jiebang_core::sha256_file(&run_dir.join("model.bin")).unwrap(),
    }];
    let card = write(d, "card.scorecard.json", sc);
    // From another folder the file is not at hand: a pass, but the summary says so (the
    // golden card's dataset is not at hand either).
    jiebang(d)
        .current_dir(d)
        .arg("verify")
        .arg(&card)
        .assert()
        .success()
        .stdout(
            predicate::str::contains("OK, but 2 pinned files not checked").and(
                predicate::str::contains("sut        not-checked  model.bin: not at hand"),
            ),
        );
    jiebang(d)
        .current_dir(d)
        .args(["verify", "--require-files"])
        .arg(&card)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "sut        failed       model.bin: not at hand",
        ));
    jiebang(d)
        .current_dir(d)
        .args(["verify", "--sut-dir"])
        .arg(&run_dir)
        .arg(&card)
        .assert()
        .success()
        .stdout(
            predicate::str::contains("sut        ok").and(predicate::str::contains(
                "OK, but 1 pinned file not checked",
            )),
        );
    std::fs::write(run_dir.join("model.bin"), b"other weights").unwrap();
    jiebang(d)
        .current_dir(d)
        .args(["verify", "--sut-dir"])
        .arg(&run_dir)
        .arg(&card)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("changed after the run"));
}

#[test]
fn data_verify_lists_every_bad_file_and_exits_1() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let ds = d.join("ds");
    jiebang(d)
        .args([
            "--quiet",
            "data",
            "gen",
            "--suite",
            "medical-imaging/case-detection",
            "--samples",
            "3",
            "--out",
        ])
        .arg(&ds)
        .assert()
        .success();
    jiebang(d)
        .args(["data", "verify"])
        .arg(&ds)
        .assert()
        .success();
    let a = ds.join("inputs/studies/study-0000/slice-000.dcm");
    let mut bytes = std::fs::read(&a).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    std::fs::write(&a, bytes).unwrap();
    std::fs::remove_file(ds.join("inputs/studies/study-0001/slice-000.dcm")).unwrap();
    std::fs::write(ds.join("extra.txt"), b"x").unwrap();
    jiebang(d)
        .args(["data", "verify"])
        .arg(&ds)
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("3 problems")
                .and(predicate::str::contains("study-0000/slice-000.dcm: sha256"))
                .and(predicate::str::contains(
                    "study-0001/slice-000.dcm: listed in the manifest but missing",
                ))
                .and(predicate::str::contains(
                    "extra.txt: on disk but not in the manifest",
                )),
        );
    // No manifest: an error (2) that says what the folder is not.
    let plain = d.join("plain");
    std::fs::create_dir(&plain).unwrap();
    jiebang(d)
        .args(["data", "verify"])
        .arg(&plain)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "is not a dataset (no manifest.json",
        ));
    // An OS error is said once.
    let out = jiebang(d)
        .args(["data", "hash"])
        .arg(d.join("nothere"))
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8_lossy(&out);
    assert_eq!(err.matches("os error 2").count(), 1, "{err}");
}

#[test]
fn suite_file_errors_name_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tasks/nn-chip/suites/kernels.toml"),
    )
    .unwrap();
    let line = text
        .lines()
        .position(|l| l.starts_with("iterations = "))
        .expect("kernels.toml sets protocol.iterations")
        + 1;
    let edited: String = text
        .lines()
        .map(|l| {
            if l.starts_with("iterations = ") {
                "iterations = \"x\"".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let suite = d.join("k2.toml");
    std::fs::write(&suite, edited).unwrap();
    jiebang(&d.join("data"))
        .args(["--quiet", "run", "--sut", "builtin:kernels", "--suite-file"])
        .arg(&suite)
        .arg("--out")
        .arg(d.join("out"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "k2.toml:{line}: protocol.iterations: expected an integer"
        )));
    // A medical-imaging suite file: an unknown answer kind, a range.
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tasks/medical-imaging/suites/lesion-froc.toml"),
    )
    .unwrap();
    let line_of = |key: &str| text.lines().position(|l| l.starts_with(key)).unwrap() + 1;
    for (from, to, key, want) in [
        (
            "answer = \"lesions\"",
            "answer = \"boxes\"",
            "answer = ",
            "protocol.answer: unknown variant `boxes`, expected `case` or `lesions`",
        ),
        (
            "bootstrap_resamples = 1000",
            "bootstrap_resamples = 0",
            "bootstrap_resamples = ",
            "protocol.bootstrap_resamples: expected a value in 1..=100000, found 0",
        ),
    ] {
        let suite = d.join("froc.toml");
        std::fs::write(&suite, text.replace(from, to)).unwrap();
        jiebang(&d.join("data"))
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
                "froc.toml:{}: {want}",
                line_of(key)
            )));
    }
}

#[test]
fn tasks_show_targets_as_a_declaration_writes_them() {
    Command::cargo_bin("jiebang")
        .unwrap()
        .arg("tasks")
        .assert()
        .success()
        .stdout(
            predicate::str::contains("national 2020 target > 0.95 (95%)")
                .and(predicate::str::contains("national 2020 target supported"))
                .and(predicate::str::contains(">= yes").not()),
        );
    Command::cargo_bin("jiebang")
        .unwrap()
        .args(["data", "gen", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--suite <SUITE>"));
}

/// A verdict the shown interval does not decide on its own (a refused region of the coverage
/// table) says why under the table, in text and Markdown, escaped like every other cell.
#[test]
fn show_lists_why_a_verdict_is_not_decided_by_its_interval() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let mut sc = golden();
    let ind = sc
        .indicators
        .first_mut()
        .expect("the golden card has indicators");
    let id = ind.id.clone();
    let reason = "refused: covers under 94% here \u{1b}[31m";
    ind.verdicts.national = Some(jiebang_scorecard::Verdict {
        status: jiebang_scorecard::VerdictStatus::Inconclusive,
        threshold: 0.9,
        comparison: jiebang_scorecard::Comparison::Ge,
        needed_n: None,
        reason: Some(reason.into()),
    });
    let card = write(d, "a.scorecard.json", sc);
    jiebang(d).arg("show").arg(&card).assert().code(0).stdout(
        predicate::str::contains("verdicts not decided by the shown interval alone")
            .and(predicate::str::contains(format!(
                "  {id} (national target): refused: covers under 94% here"
            )))
            .and(predicate::str::contains("\u{1b}").not()),
    );
    jiebang(d)
        .arg("show")
        .arg(&card)
        .args(["--format", "markdown"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(format!(
            "- `{id}` (national target): refused: covers under 94% here"
        )));
}

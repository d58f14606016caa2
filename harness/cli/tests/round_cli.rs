//! `jiebang round` through the real binary: init → declare → run → submit → check passes; then
//! each rejection with its rule and exit 1 — unsigned, unknown key, another suite or dataset,
//! a declaration changed after freezing, a duplicate unit, a shard; hostile unit names.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

const SAMPLES: &str = "12";

fn jiebang(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("jiebang").unwrap();
    c.current_dir(dir).env("JIEBANG_DATA", dir.join("data"));
    c
}

/// A stdout of a command that exits with `code`.
fn out(c: &mut Command, code: i32) -> String {
    let o = c.output().unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    );
    assert_eq!(o.status.code(), Some(code), "{stdout}\n{stderr}");
    stdout
}

/// A certified round `r` of the example direction, its parity suite and 12-sample dataset
/// pinned, trusting `agency.pub`; keys `agency` and `rogue` made beside it.
fn round(d: &Path) {
    for (name, prefix) in [("Test Agency", "agency"), ("Rogue Lab", "rogue")] {
        jiebang(d)
            .args(["keygen", "--name", name, "--out", prefix])
            .assert()
            .success();
    }
    let stdout = out(
        jiebang(d).args([
            "-q",
            "round",
            "init",
            "r",
            "--round",
            "r1",
            "--title",
            "Test round",
            "--direction",
            "example",
            "--ranking-indicator",
            "example.accuracy",
            "--suite",
            "example/parity@1",
            "--pin-datasets",
            "--samples",
            SAMPLES,
            "--trust",
            "agency.pub",
            "--opens",
            "2020-03-01",
            "--closes",
            "2020-09-30",
            // The example suite's data is generated: a rehearsal round allows it.
            "--allow-generated-data",
        ]),
        0,
    );
    assert!(stdout.contains("1 suite(s) pinned") && stdout.contains("certified"));
    assert!(d.join("r/keys/agency.pub").is_file());
    let toml = std::fs::read_to_string(d.join("r/round.toml")).unwrap();
    assert!(toml.contains("dataset = \"") && toml.contains("require_signatures = true"));
    // A round is made once.
    jiebang(d)
        .args([
            "round",
            "init",
            "r",
            "--round",
            "r2",
            "--direction",
            "example",
        ])
        .args(["--ranking-indicator", "example.accuracy"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("a round is already there"));
}

/// Freezes a declaration of `unit` from the template; returns the frozen copy's path.
fn declare(d: &Path, unit: &str) -> PathBuf {
    let template = out(
        jiebang(d).args(["round", "declare", "--template", "example"]),
        0,
    );
    let text = template.replace("\"Your Unit Name\"", &toml_string(unit));
    let file = d.join(format!("{}.toml", jiebang_core::slug::unit_slug(unit)));
    std::fs::write(&file, text).unwrap();
    let stdout = out(jiebang(d).args(["round", "declare", "r"]).arg(&file), 0);
    let frozen = stdout
        .lines()
        .find_map(|l| l.strip_prefix("froze    "))
        .unwrap()
        .to_string();
    let sha = stdout
        .lines()
        .find_map(|l| l.strip_prefix("sha256   "))
        .unwrap();
    assert_eq!(sha.len(), 64);
    d.join(frozen)
}

fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// One run of the parity suite into `out_dir`; returns the scorecard written.
fn run(d: &Path, declaration: &Path, out_dir: &str, extra: &[&str]) -> PathBuf {
    jiebang(d)
        .args(["-q", "run", "--suite", "example/parity"])
        .args(if extra.contains(&"--sut") {
            &[][..]
        } else {
            &["--sut", "builtin:parity"][..]
        })
        .args(if extra.contains(&"--samples") {
            &[][..]
        } else {
            &["--samples", SAMPLES][..]
        })
        .args(["--round", "r1", "--out", out_dir])
        .arg("--declaration")
        .arg(declaration)
        .args(extra)
        .assert()
        .success();
    let mut found: Vec<PathBuf> = std::fs::read_dir(d.join(out_dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".scorecard.json"))
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    found.pop().unwrap()
}

fn submit(d: &Path, card: &Path, code: i32) -> String {
    out(jiebang(d).args(["round", "submit", "r"]).arg(card), code)
}

fn check(d: &Path, code: i32) -> String {
    out(jiebang(d).args(["round", "check", "r"]), code)
}

#[test]
fn a_round_from_init_to_a_passing_check_and_every_rejection() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    round(d);
    let acme = declare(d, "Acme Parity");
    let slug = jiebang_core::slug::unit_slug("Acme Parity");
    assert_eq!(
        acme,
        d.join(format!("r/units/{slug}/declaration.example.toml"))
    );
    // The run's names carry the unit's slug.
    let good = run(d, &acme, "good", &["--sign", "agency.key"]);
    assert!(
        good.to_string_lossy().ends_with(&format!(
            "example.parity@1.builtin-parity.{slug}.accuracy.scorecard.json"
        )),
        "{}",
        good.display()
    );

    // Each rejection before the good one is in: refused with its rule, nothing copied.
    let refusals = [
        (
            "unsigned",
            vec![],
            "signed: unsigned, but this round is certified",
        ),
        (
            "rogue",
            vec!["--sign", "rogue.key"],
            "signed: signed by `Rogue Lab`",
        ),
        (
            "other-data",
            vec!["--samples", "13", "--sign", "agency.key"],
            "dataset: dataset sha256",
        ),
        (
            "shard",
            vec!["--shard", "1/2", "--sign", "agency.key"],
            "run-rules: shard 1/2: a partial run standing in for a whole one",
        ),
    ];
    for (name, extra, expect) in refusals {
        let card = run(d, &acme, name, &extra);
        let stdout = submit(d, &card, 1);
        assert!(stdout.contains(expect), "{name}: {stdout}");
        assert!(stdout.contains("refused:"), "{stdout}");
    }
    assert!(
        !d.join(format!("r/units/{slug}"))
            .read_dir()
            .unwrap()
            .any(|e| {
                e.unwrap()
                    .file_name()
                    .to_string_lossy()
                    .ends_with(".scorecard.json")
            })
    );

    // The good one goes in, with its log; the check passes.
    let log = good.with_file_name(
        good.file_name()
            .unwrap()
            .to_string_lossy()
            .replace(".scorecard.json", ".log.jsonl"),
    );
    let stdout = out(
        jiebang(d)
            .args(["round", "submit", "r"])
            .arg(&good)
            .arg("--log")
            .arg(&log),
        0,
    );
    assert!(
        stdout.contains("certified, signed by Test Agency"),
        "{stdout}"
    );
    let placed = d.join(format!(
        "r/units/{slug}/example.parity@1.accuracy.scorecard.json"
    ));
    assert_eq!(
        std::fs::read(&placed).unwrap(),
        std::fs::read(&good).unwrap()
    );
    assert!(
        placed
            .with_file_name("example.parity@1.accuracy.log.jsonl")
            .is_file()
    );
    let stdout = check(d, 0);
    assert!(
        stdout.contains("1 entries: 1 certified, 0 self-reported, 0 finding(s)"),
        "{stdout}"
    );

    // A duplicate unit: a second scorecard of one unit for one suite, by submit and on disk.
    let again = run(d, &acme, "again", &["--sign", "agency.key", "--seed", "3"]);
    let stdout = submit(d, &again, 1);
    assert!(
        stdout.contains("unique: a second accuracy scorecard"),
        "{stdout}"
    );
    assert_eq!(
        std::fs::read(&placed).unwrap(),
        std::fs::read(&good).unwrap()
    );
    let second = placed.with_file_name("copy.scorecard.json");
    std::fs::copy(&again, &second).unwrap();
    let stdout = check(d, 1);
    assert!(
        stdout.contains(&format!(
            "units/{slug}/copy.scorecard.json: unique: a second accuracy scorecard"
        )),
        "{stdout}"
    );
    // The board of the round folder publishes what the check passes, and leaves the copy off
    // with its finding (exit 1), as `round check` does.
    let stdout = out(
        jiebang(d).args(["-q", "board", "r", "--out", "site-dup"]),
        1,
    );
    assert!(stdout.contains("(1 on the board, 1 left off)"), "{stdout}");
    std::fs::remove_file(&second).unwrap();
    check(d, 0);
    let stdout = out(jiebang(d).args(["-q", "board", "r", "--out", "site"]), 0);
    assert!(
        stdout.contains("(1 on the board, 0 left off): 1 certified"),
        "{stdout}"
    );
    assert!(d.join("site/index.html").is_file());

    // The same built-in system with the same settings under a second unit is one system twice.
    let beta = declare(d, "Beta Lab");
    let twin = run(d, &beta, "twin", &["--sign", "agency.key"]);
    let stdout = submit(d, &twin, 1);
    assert!(stdout.contains("unique: the same system as"), "{stdout}");
    // Settings that do not change a system (a timeout) do not make it another one.
    let retimed = run(
        d,
        &beta,
        "retimed",
        &["--sign", "agency.key", "--timeout", "7"],
    );
    let stdout = submit(d, &retimed, 1);
    assert!(stdout.contains("unique: the same system as"), "{stdout}");
    let own = run(
        d,
        &beta,
        "own",
        &[
            "--sign",
            "agency.key",
            "--sut",
            "builtin:parity-test-every-fourth-wrong",
        ],
    );
    submit(d, &own, 0);

    // Another suite hash: the round pins another revision than the one run.
    let round_toml = d.join("r/round.toml");
    let text = std::fs::read_to_string(&round_toml).unwrap();
    let pinned = text
        .lines()
        .find_map(|l| l.strip_prefix("hash = \""))
        .unwrap()
        .trim_end_matches('"')
        .to_string();
    std::fs::write(&round_toml, text.replace(&pinned, &"0".repeat(64))).unwrap();
    let stdout = check(d, 1);
    assert!(
        stdout.contains(&format!(
            "units/{slug}/example.parity@1.accuracy.scorecard.json: suite: suite example/parity@1 has sha256"
        )),
        "{stdout}"
    );
    std::fs::write(&round_toml, &text).unwrap();
    check(d, 0);

    // A declaration changed after freezing.
    let frozen = std::fs::read(&acme).unwrap();
    std::fs::write(&acme, [&frozen[..], b"# edited\n"].concat()).unwrap();
    let stdout = check(d, 1);
    assert!(
        stdout.contains(&format!(
            "units/{slug}/declaration.example.toml: declaration: changed after freezing"
        )),
        "{stdout}"
    );
    std::fs::write(&acme, &frozen).unwrap();

    // Declaring the same unit and direction again is refused, naming the first freeze.
    let file = d.join("acme-again.toml");
    std::fs::write(&file, &frozen).unwrap();
    jiebang(d)
        .args(["round", "declare", "r"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "already froze its `example` declaration",
        ));

    let stdout = check(d, 0);
    assert!(
        stdout.contains("2 entries: 2 certified, 0 self-reported, 0 finding(s)"),
        "{stdout}"
    );
    let json: serde_json::Value = serde_json::from_str(&out(
        jiebang(d).args(["round", "check", "r", "--format", "json"]),
        0,
    ))
    .unwrap();
    assert_eq!(json["entries"], 2);
    assert_eq!(json["certified"], 2);
}

#[test]
fn hostile_unit_names_get_safe_folders_and_the_lock_is_sorted_and_stable() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    round(d);
    let hostile = "<img src=x onerror=alert(1)>../../x";
    let frozen = declare(d, hostile);
    let slug = jiebang_core::slug::unit_slug(hostile);
    assert_eq!(
        frozen,
        d.join(format!("r/units/{slug}/declaration.example.toml"))
    );
    assert!(
        slug.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    );
    // Nothing was written outside the round's units folder.
    assert!(!d.join("x").exists() && !d.join("r/x").exists());
    let card = run(d, &frozen, "h", &["--sign", "agency.key"]);
    assert!(card.starts_with(d.join("h")), "{}", card.display());
    submit(d, &card, 0);
    let lock = d.join("r/declarations.lock");
    let first = std::fs::read_to_string(&lock).unwrap();
    // A unit sorted before it, then one after: the lock stays sorted by slug.
    declare(d, "AAA Lab");
    declare(d, "zzz Lab");
    let text = std::fs::read_to_string(&lock).unwrap();
    let slugs: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("slug = \""))
        .map(|s| s.trim_end_matches('"'))
        .collect();
    let mut sorted = slugs.clone();
    sorted.sort();
    assert_eq!(slugs, sorted);
    assert_eq!(slugs.len(), 3);
    // Entries already there keep their bytes.
    let entry = first.split("[[declaration]]").nth(1).unwrap();
    assert!(text.contains(entry), "{text}");
    // The hostile name is printed escaped, never interpreted: the check shows it only as data.
    let stdout = out(
        jiebang(d).args(["round", "check", "r", "--format", "json"]),
        0,
    );
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["submissions"][0]["unit"], hostile);
}

#[test]
fn every_direction_has_a_template_that_parses_as_it_stands() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let tasks: serde_json::Value =
        serde_json::from_str(&out(jiebang(d).args(["tasks", "--json"]), 0)).unwrap();
    for t in tasks.as_array().unwrap() {
        let id = t["direction"]["id"].as_str().unwrap();
        // `--template` checks its own text against the catalogue before printing it.
        let text = out(jiebang(d).args(["round", "declare", "--template", id]), 0);
        assert!(text.contains(&format!("direction = \"{id}\"")), "{text}");
        for ind in t["direction"]["indicators"].as_array().unwrap() {
            let ind = ind["id"].as_str().unwrap();
            assert!(text.contains(&format!("id = \"{ind}\"")), "{id}: {ind}");
        }
        assert!(text.contains("# [[custom]]"), "{text}");
    }
    jiebang(d)
        .args(["round", "declare", "--template", "nowhere"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown direction"));
}

#[test]
fn a_round_that_allows_self_reported_entries_keeps_them_apart() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    jiebang(d)
        .args(["keygen", "--name", "Test Agency", "--out", "agency"])
        .assert()
        .success();
    jiebang(d)
        .args(["keygen", "--name", "Rogue Lab", "--out", "rogue"])
        .assert()
        .success();
    let stdout = out(
        jiebang(d).args([
            "round",
            "init",
            "r",
            "--round",
            "r1",
            "--direction",
            "example",
            "--ranking-indicator",
            "example.accuracy",
            "--trust",
            "agency.pub",
            "--self-reported-allowed",
            "--allow-generated-data",
        ]),
        0,
    );
    assert!(stdout.contains("self-reported entries allowed"), "{stdout}");
    // Three units, each its own system: the built-in on a dataset of its own size.
    for (unit, sign, samples, class) in [
        (
            "Certified Lab",
            Some("agency.key"),
            "12",
            "certified, signed by Test Agency",
        ),
        ("Unsigned Lab", None, "13", "(self-reported)"),
        ("Untrusted Lab", Some("rogue.key"), "14", "(self-reported)"),
    ] {
        let frozen = declare(d, unit);
        let mut extra = vec!["--samples", samples];
        if let Some(k) = sign {
            extra.extend(["--sign", k]);
        }
        let card = run(d, &frozen, samples, &extra);
        let stdout = submit(d, &card, 0);
        assert!(stdout.contains(class), "{unit}: {stdout}");
    }
    let stdout = check(d, 0);
    assert!(
        stdout.contains("3 entries: 1 certified, 2 self-reported, 0 finding(s)"),
        "{stdout}"
    );
}

#[test]
fn a_run_on_generated_public_data_counts_only_where_the_round_allows_it() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    jiebang(d)
        .args([
            "-q",
            "round",
            "init",
            "r",
            "--round",
            "r1",
            "--direction",
            "example",
        ])
        .args(["--ranking-indicator", "example.accuracy"])
        .assert()
        .success();
    let toml = std::fs::read_to_string(d.join("r/round.toml")).unwrap();
    assert!(toml.contains("allow_generated_data = false"), "{toml}");
    let unit = declare(d, "Public Data Lab");
    let card = run(d, &unit, "runs", &[]);
    let stdout = submit(d, &card, 1);
    assert!(
        stdout.contains("dataset: run on a dataset jiebang generated ("),
        "{stdout}"
    );
    assert!(stdout.contains("allow_generated_data = true"), "{stdout}");
}

#[test]
fn look_alike_and_invisible_names_late_declarations_and_a_missing_lock_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    jiebang(d)
        .args([
            "-q",
            "round",
            "init",
            "r",
            "--round",
            "r1",
            "--direction",
            "example",
        ])
        .args([
            "--ranking-indicator",
            "example.accuracy",
            "--allow-generated-data",
        ])
        .assert()
        .success();
    let acme = declare(d, "Acme Parity");
    // A name that reads as a frozen one is refused at declare.
    let template = out(
        jiebang(d).args(["round", "declare", "--template", "example"]),
        0,
    );
    for (name, expect) in [
        ("acme  parity", "white space"),
        ("ACME-Parity", "reads as unit `Acme Parity`"),
        ("Acme\u{200b}Parity", "U+200B"),
        (&"x".repeat(201)[..], "at most 200"),
    ] {
        let file = d.join("lookalike.toml");
        std::fs::write(
            &file,
            template.replace("\"Your Unit Name\"", &toml_string(name)),
        )
        .unwrap();
        let o = jiebang(d)
            .args(["round", "declare", "r"])
            .arg(&file)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{name}: {stderr}");
        assert!(stderr.contains(expect), "{name}: {stderr}");
    }
    // A run made before its declaration was frozen does not count.
    let late_file = d.join("late.toml");
    std::fs::write(
        &late_file,
        template.replace("\"Your Unit Name\"", "\"Late Lab\""),
    )
    .unwrap();
    let early = {
        jiebang(d)
            .args([
                "-q",
                "run",
                "--suite",
                "example/parity",
                "--sut",
                "builtin:parity",
            ])
            .args(["--samples", SAMPLES, "--round", "r1", "--out", "early"])
            .arg("--declaration")
            .arg(&late_file)
            .assert()
            .success();
        std::fs::read_dir(d.join("early"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.to_string_lossy().ends_with(".scorecard.json"))
            .unwrap()
    };
    // Frozen "later": the clock of the freeze is set a day past the run.
    let tomorrow = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 86_400;
    jiebang(d)
        .env("SOURCE_DATE_EPOCH", tomorrow.to_string())
        .args(["round", "declare", "r"])
        .arg(&late_file)
        .assert()
        .success();
    let stdout = submit(d, &early, 1);
    assert!(
        stdout.contains("before the unit's declaration was frozen"),
        "{stdout}"
    );
    // A good entry, then the lock goes missing: the board leaves every entry off (unfrozen).
    let good = run(d, &acme, "good", &[]);
    submit(d, &good, 0);
    std::fs::rename(d.join("r/declarations.lock"), d.join("lock.bak")).unwrap();
    let stdout = out(jiebang(d).args(["-q", "board", "r", "--out", "site"]), 1);
    assert!(stdout.contains("(0 on the board, "), "{stdout}");
}

//! What `jiebang demo` runs, through the real binary: every built-in system of a suite but the
//! fault-injecting ones, and each run's progress line is the `jiebang run` command that makes
//! the same scorecard.

use assert_cmd::Command;
use serde_json::Value;
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

fn read(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// Runs the demo on the suites matching `only` (not `--quiet`: the progress lines are what
/// these tests read); returns its stderr.
fn demo(data: &Path, out: &Path, only: &str) -> String {
    let o = jiebang(data)
        .args(["demo", "--only", only, "--out"])
        .arg(out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "{stderr}");
    stderr
}

#[test]
fn the_demo_skips_the_fault_injecting_systems() {
    let tmp = tempfile::tempdir().unwrap();
    let (data, out) = (tmp.path().join("data"), tmp.path().join("demo"));
    // nn-chip registers fault-injecting systems for this suite; the demo must leave them out.
    let o = jiebang(&data).args(["tasks", "--json"]).output().unwrap();
    let tasks: Value = serde_json::from_slice(&o.stdout).unwrap();
    let systems: Vec<&Value> = tasks
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["builtin_systems"].as_array().unwrap())
        .filter(|b| {
            b["suites"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s == "nn-chip/cnn-rnn-lstm")
        })
        .collect();
    assert!(systems.iter().any(|b| b["fault_injection"] == true));
    let stderr = demo(&data, &out, "nn-chip/cnn-rnn-lstm");
    let cards: Vec<String> = scorecards(&out)
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    // Runs with a declaration carry the unit's slug in their names.
    let decl: toml::Value =
        toml::from_str(&std::fs::read_to_string(out.join("declarations/nn-chip.toml")).unwrap())
            .unwrap();
    let unit = jiebang_core::slug::unit_slug(decl["unit"].as_str().unwrap());
    let expected: Vec<String> = systems
        .iter()
        .filter(|b| b["fault_injection"] == false)
        .map(|b| {
            let name = b["name"].as_str().unwrap().replace(':', "-");
            format!("nn-chip.cnn-rnn-lstm@1.{name}.{unit}.accuracy.scorecard.json")
        })
        .collect();
    assert_eq!(cards, expected, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "[1/{n}] jiebang run --suite nn-chip/cnn-rnn-lstm@1 --sut builtin:kernels --backend cpu --out ",
            n = expected.len()
        )),
        "{stderr}"
    );
}

#[test]
fn a_demo_progress_line_is_the_run_command_that_makes_the_same_scorecard() {
    let tmp = tempfile::tempdir().unwrap();
    let (data, out) = (tmp.path().join("data"), tmp.path().join("demo"));
    let stderr = demo(&data, &out, "medical-imaging/case-detection");
    let line = stderr
        .lines()
        .find_map(|l| l.strip_prefix("[1/1] jiebang "))
        .unwrap_or_else(|| panic!("no progress line in:\n{stderr}"));
    assert!(
        !line.contains('\''),
        "a temporary path needs no quotes: {line}"
    );
    let mut words: Vec<String> = line.split_whitespace().map(String::from).collect();
    assert_eq!(words[0], "run", "{line}");
    assert!(words.iter().any(|w| w == "--declaration"), "{line}");
    // The same command, written elsewhere.
    let again = tmp.path().join("again");
    let at = words.iter().position(|w| w == "--out").unwrap();
    words[at + 1] = again.display().to_string();
    jiebang(&data)
        .arg("--quiet")
        .args(&words)
        .assert()
        .success();
    let (a, b) = (scorecards(&out), scorecards(&again));
    assert_eq!(a.len(), 1, "{a:?}");
    assert_eq!(
        a[0].file_name(),
        b.first().and_then(|p| p.file_name()),
        "{b:?}"
    );
    let (a, b) = (read(&a[0]), read(&b[0]));
    for section in ["metrics", "indicators"] {
        assert_eq!(a[section], b[section], "{section}");
    }
    for pin in [
        "suite",
        "dataset",
        "sut",
        "declaration",
        "seed",
        "settings",
        "backend",
    ] {
        assert_eq!(a["pins"][pin], b["pins"][pin], "pins.{pin}");
    }
}

#[test]
fn a_quiet_demo_prints_no_progress_lines() {
    let tmp = tempfile::tempdir().unwrap();
    let (data, out) = (tmp.path().join("data"), tmp.path().join("demo"));
    // Twice: the second run also clears the first one's files, which it says only when not quiet.
    for round in 0..2 {
        let o = jiebang(&data)
            .args([
                "--quiet",
                "demo",
                "--only",
                "medical-imaging/case-detection",
                "--out",
            ])
            .arg(&out)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success(), "{stderr}");
        assert_eq!(stderr, "", "run {round}: --quiet printed on stderr");
        assert!(String::from_utf8_lossy(&o.stdout).contains("wrote 1 scorecards"));
    }
    let loud = demo(&data, &out, "medical-imaging/case-detection");
    assert!(
        loud.contains("removed ") && loud.contains("[1/1] jiebang run "),
        "{loud}"
    );
}

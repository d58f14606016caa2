//! Text that units and their systems wrote, through the real binary: a SUT name with a
//! `<script>`, ESC sequences and a bidi override, and a declared unit that is a spreadsheet
//! formula with raw HTML and Markdown links, in a signed, trusted scorecard. The board's page,
//! Markdown, CSV, JSON and chart, `show` and `run` print them as text, never as markup or
//! control sequences; a self-reported value carries its label everywhere.

use assert_cmd::Command;
use jiebang_scorecard::{DeclarationPin, Scorecard, seal, verify_bytes};
use std::path::{Path, PathBuf};

const NAME: &str = "<script>alert(1)</script>\u{1b}[2J\u{1b}]0;pwned\u{7}\u{202e}evil";
const UNIT: &str =
    "=HYPERLINK(\"http://evil\",\"x\") <img src=x onerror=alert(2)> | `x` [a](javascript:alert(3))";
const SELF_REPORTED: &str = "kernel seconds the SUT reported, within 5% of the observed wall time";

fn golden() -> Scorecard {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../scorecard/tests/golden/sample.scorecard.json");
    verify_bytes("golden", &std::fs::read(p).unwrap(), None)
        .unwrap()
        .scorecard
}

fn jiebang(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("jiebang").unwrap();
    c.current_dir(dir).env("JIEBANG_DATA", dir.join("data"));
    c
}

/// The hostile scorecard, signed by the agency whose public key is `agency.pub` in `dir`.
fn signed_card(dir: &Path) -> PathBuf {
    let mut sc = golden();
    sc.pins.sut.adapter = "process".into();
    sc.pins.sut.name = NAME.into();
    sc.pins.sut.version = Some("\u{1b}[31m1.0".into());
    sc.pins.declaration = Some(DeclarationPin {
        unit: UNIT.into(),
        hash: "0".repeat(64),
    });
    sc.metrics
        .get_mut("case.sensitivity")
        .unwrap()
        .self_reported = Some(SELF_REPORTED.into());
    let card = dir.join("card.scorecard.json");
    std::fs::write(&card, seal(&mut sc, None).unwrap()).unwrap();
    jiebang(dir)
        .args(["keygen", "--name", "Agency", "--out", "agency"])
        .assert()
        .success();
    jiebang(dir)
        .arg("sign")
        .arg(&card)
        .args(["--key", "agency.key"])
        .assert()
        .success();
    card
}

fn no_controls(what: &str, text: &str) {
    assert!(
        !text.contains(['\u{1b}', '\u{7}', '\u{202e}']),
        "{what} carries a control sequence or bidi override:\n{text}"
    );
}

#[test]
fn the_board_shows_what_units_wrote_as_text_in_every_medium() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let card = signed_card(d);
    let out = jiebang(d)
        .arg("board")
        .arg(&card)
        .args(["--trust", "agency.pub", "--out", "site"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    no_controls("board's stdout", &String::from_utf8_lossy(&out.stdout));
    no_controls("board's stderr", &String::from_utf8_lossy(&out.stderr));
    let read = |f: &str| std::fs::read_to_string(d.join("site").join(f)).unwrap();

    let page = read("directions/scorecards.medical-imaging.html");
    no_controls("the direction page", &page);
    for markup in [
        "<script>",
        "<img src=x",
        "href=\"javascript",
        "<code>x</code>",
    ] {
        assert!(
            !page.contains(markup),
            "the direction page has {markup}:\n{page}"
        );
    }
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt;\\u{1b}[2J"),
        "{page}"
    );
    assert!(page.contains("&lt;img src=x onerror=alert(2)&gt; | `x` [a](javascript:alert(3))"));
    assert!(
        page.contains(&format!("(self-reported: {SELF_REPORTED})")),
        "{page}"
    );

    let md = read("leaderboard.md");
    no_controls("leaderboard.md", &md);
    assert!(md.contains("\\<script>alert(1)\\</script>"), "{md}");
    assert!(
        md.contains("\\| \\`x\\` [a\\](javascript:alert(3))"),
        "{md}"
    );
    assert!(md.contains("self-reported"), "{md}");

    let csv = read("leaderboard.csv");
    no_controls("leaderboard.csv", &csv);
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    let head = rows.headers().unwrap().clone();
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    let row = rows.records().next().unwrap().unwrap();
    assert!(row[col("unit")].starts_with("'=HYPERLINK("), "{csv}");
    assert_eq!(&row[col("self_reported")], SELF_REPORTED);
    for cell in row.iter() {
        assert!(
            !cell.starts_with(['=', '+', '-', '@']),
            "formula cell {cell}: {csv}"
        );
    }

    let json: serde_json::Value = serde_json::from_str(&read("leaderboard.json")).unwrap();
    let r = &json["rounds"][0]["suites"][0]["indicators"][0]["rows"][0];
    assert_eq!(r["entry"]["unit"], UNIT, "JSON keeps the text as written");
    assert_eq!(r["self_reported"], SELF_REPORTED);

    for e in std::fs::read_dir(d.join("site/charts")).unwrap() {
        let svg = std::fs::read_to_string(e.unwrap().path()).unwrap();
        no_controls("a chart", &svg);
        assert!(!svg.contains("<script"), "{svg}");
    }
}

#[test]
fn show_prints_no_control_sequences_and_labels_self_reported_values() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let card = signed_card(d);
    for format in ["text", "markdown"] {
        let out = jiebang(d)
            .arg("show")
            .arg(&card)
            .args(["--format", format])
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let text = String::from_utf8_lossy(&out.stdout);
        no_controls("show", &text);
        assert!(
            text.contains("<script>alert(1)</script>\\u{1b}[2J\\u{1b}]0;pwned\\u{7}\\u{202e}evil"),
            "{text}"
        );
        assert!(text.contains("self-reported"), "{text}");
    }
    // JSON keeps the value, with C1 controls and bidi overrides escaped as JSON escapes.
    let out = jiebang(d)
        .arg("show")
        .arg(&card)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    no_controls("show --format json", &text);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["pins"]["sut"]["name"], NAME);
}

#[test]
fn compare_prints_no_control_sequences_in_any_format() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let card = signed_card(d);
    for format in ["markdown", "json", "junit"] {
        let out = jiebang(d)
            .arg("compare")
            .args([&card, &card])
            .args(["--format", format])
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let text = String::from_utf8_lossy(&out.stdout);
        no_controls(&format!("compare --format {format}"), &text);
        if format == "json" {
            // The same value: the bidi override is a JSON escape, not gone.
            let v: serde_json::Value = serde_json::from_str(&text).unwrap();
            let sut = v["comparison"]["new"]["sut"].as_str().unwrap();
            assert!(sut.contains(NAME), "{sut}");
        }
    }
}

/// Says `ready` with a name full of control sequences; answers every query alike.
const LOUD_SUT: &str = r#"
import json, sys
sys.stdin.readline()
print(json.dumps({"type": "ready", "name": "loud\u001b[2J\u001b]0;pwned\u0007\u202e", "version": "\u001b[31m1"}), flush=True)
for line in sys.stdin:
    q = json.loads(line)
    if q["type"] == "end":
        break
    print(json.dumps({"type": "result", "id": q["id"], "positive": True, "score": 0.5, "lesions": []}), flush=True)
"#;

#[test]
fn run_prints_a_sut_name_without_its_control_sequences() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::write(d.join("loud.py"), LOUD_SUT).unwrap();
    let out = jiebang(d)
        .args(["run", "--suite", "medical-imaging/case-detection"])
        .args(["--sut", "python3 loud.py", "--samples", "4", "--out", "out"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    no_controls("run's stdout", &text);
    no_controls("run's stderr", &String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("process:loud\\u{1b}[2J\\u{1b}]0;pwned\\u{7}\\u{202e} \\u{1b}[31m1"));
}

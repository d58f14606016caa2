//! Values computed under different scoring conventions are never judged or ranked together,
//! through the real binary: `jiebang compare` refuses to judge the metric, and `jiebang board`
//! gives each convention its own ranked table and chart (Markdown and the site).

use assert_cmd::Command;
use jiebang_scorecard::{DeclarationPin, Scorecard, seal, verify_bytes};
use predicates::prelude::*;
use std::path::{Path, PathBuf};

fn golden() -> Scorecard {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../scorecard/tests/golden/sample.scorecard.json");
    let bytes = std::fs::read(&path).unwrap();
    verify_bytes("golden", &bytes, None).unwrap().scorecard
}

fn jiebang(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("jiebang").unwrap();
    c.current_dir(dir);
    c
}

/// The golden card of `unit` measuring `value` (± 0.001) under `convention`, sealed into `dir`.
fn card(dir: &Path, unit: &str, value: f64, convention: &str) -> PathBuf {
    card_of_round(dir, unit, value, convention, None)
}

fn card_of_round(
    dir: &Path,
    unit: &str,
    value: f64,
    convention: &str,
    round: Option<&str>,
) -> PathBuf {
    let mut sc = golden();
    sc.pins.round = round.map(str::to_string);
    sc.signature = None;
    sc.id = None;
    sc.pins.declaration = Some(DeclarationPin {
        unit: unit.into(),
        hash: "0".repeat(64),
    });
    let ind = &mut sc.indicators[0];
    ind.measured = Some(value);
    ind.ci95 = Some([value - 0.001, value + 0.001]);
    let metric = sc.metrics.get_mut(&ind.metric).unwrap();
    metric.value = Some(value);
    metric.ci95 = ind.ci95;
    metric.convention = Some(convention.into());
    let path = dir.join(format!("{unit}.{}.scorecard.json", round.unwrap_or("none")));
    std::fs::write(&path, seal(&mut sc, None).unwrap()).unwrap();
    path
}

const JIWER: &str = "norm:fullwidth+lower+punct|tok:word|split:ascii-space";
const OTHER: &str = "norm:fullwidth+lower+punct|tok:word|split:unicode-whitespace";

/// `c` as the Markdown shows it in a table cell or code span (`|` escaped).
fn piped(c: &str) -> String {
    c.replace('|', "\\|")
}

#[test]
fn compare_refuses_and_the_board_ranks_each_convention_apart() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("cards")).unwrap();
    let a = card(&d.join("cards"), "unit-a", 0.90, JIWER);
    let b = card(&d.join("cards"), "unit-b", 0.99, OTHER);
    card(&d.join("cards"), "unit-c", 0.80, JIWER);

    // compare: the metric is not judged, and says why (in the Markdown table, escaped).
    jiebang(d).arg("compare").args([&a, &b]).assert().stdout(
        predicate::str::contains("0 of 2 metric(s) judged").and(predicate::str::contains(
            "| `case.sensitivity` | ratio | higher | 0.9 | 0.99 | — | — | not judged \
                 (computed under different conventions (baseline \\`norm:fullwidth+lower+punct\\|\
                 tok:word\\|split:ascii-space\\`, new",
        )),
    );

    jiebang(d)
        .args(["board", "cards", "--out", "site"])
        .assert()
        .code(0);
    let md = std::fs::read_to_string(d.join("site/leaderboard.md")).unwrap();
    // Two tables for the one indicator: unit-b (the best value) is first only in its own.
    let tables: Vec<&str> = md
        .split("### ")
        .filter(|t| t.contains("(`imaging.detection_rate`)"))
        .map(|t| t.split("\n## ").next().unwrap())
        .collect();
    assert_eq!(tables.len(), 2, "{md}");
    assert!(
        tables[0].contains(&format!("convention {} (table 1 of 2", piped(JIWER)))
            && tables[0].contains("not comparable"),
        "{}",
        tables[0]
    );
    let rows = |t: &str| -> Vec<String> {
        t.lines()
            .filter(|l| l.contains("| unit-"))
            .map(|l| {
                let c: Vec<&str> = l.split('|').map(str::trim).collect();
                format!("{} {}", c[1], c[2])
            })
            .collect()
    };
    assert_eq!(rows(tables[0]), ["1 unit-a", "2 unit-c"], "{md}");
    assert!(tables[1].contains(&format!("convention {} (table 2 of 2", piped(OTHER))));
    assert_eq!(rows(tables[1]), ["1 unit-b"], "{md}");

    // The JSON: two tables of the indicator, each naming its convention.
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("site/leaderboard.json")).unwrap()).unwrap();
    let conventions: Vec<&str> = json["rounds"][0]["suites"][0]["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["id"] == "imaging.detection_rate")
        .map(|t| t["convention"].as_str().unwrap())
        .collect();
    assert_eq!(conventions, [JIWER, OTHER]);

    // The CSV: each row names the convention its rank belongs to.
    let mut csv = csv::Reader::from_path(d.join("site/leaderboard.csv")).unwrap();
    let head = csv.headers().unwrap().clone();
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    let (unit, rank, conv) = (col("unit"), col("rank"), col("convention"));
    let mut rows: Vec<String> = csv
        .records()
        .map(|r| r.unwrap())
        .filter(|r| r.iter().any(|c| c == "imaging.detection_rate"))
        .map(|r| format!("{} {} {}", &r[conv] == JIWER, &r[rank], &r[unit]))
        .collect();
    rows.sort();
    assert_eq!(rows, ["false 1 unit-b", "true 1 unit-a", "true 2 unit-c"]);

    // The site: the same two tables, each with its own chart.
    let page =
        std::fs::read_to_string(d.join("site/directions/scorecards.medical-imaging.html")).unwrap();
    assert_eq!(
        page.matches("(table 1 of 2 for this indicator)").count(),
        1,
        "{page}"
    );
    assert_eq!(
        page.matches("(table 2 of 2 for this indicator)").count(),
        1,
        "{page}"
    );
    assert!(
        page.contains(".imaging.detection_rate.c1.")
            && page.contains(".imaging.detection_rate.c2."),
        "{page}"
    );
}

#[test]
fn a_units_history_charts_each_convention_apart() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Four rounds (one folder each) of one unit, two under each convention.
    for (round, value, convention) in [
        ("r1", 0.90, JIWER),
        ("r2", 0.95, OTHER),
        ("r3", 0.92, JIWER),
        ("r4", 0.96, OTHER),
    ] {
        std::fs::create_dir_all(d.join(round).join("entries")).unwrap();
        std::fs::write(
            d.join(round).join("round.toml"),
            format!(
                "schema_version = 1\nround = \"{round}\"\ntitle = \"Round {round}\"\n\
                 trusted_keys = []\n\n[[direction]]\nid = \"medical-imaging\"\n\
                 ranking_indicator = \"imaging.detection_rate\"\n"
            ),
        )
        .unwrap();
        card_of_round(
            &d.join(round).join("entries"),
            "unit-a",
            value,
            convention,
            Some(round),
        );
    }
    jiebang(d)
        .args([
            "board",
            "r1",
            "r2",
            "r3",
            "r4",
            "--allow-self-reported",
            "--out",
            "site",
        ])
        .assert()
        .code(0);
    let units: Vec<PathBuf> = std::fs::read_dir(d.join("site/units"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect();
    assert_eq!(units.len(), 1, "{units:?}");
    let page = std::fs::read_to_string(&units[0]).unwrap();
    for k in [1, 2] {
        assert!(
            page.contains(&format!(".imaging.detection_rate.c{k}.")),
            "chart {k}: {page}"
        );
        assert!(page.contains(&format!("(chart {k} of 2)")), "{page}");
    }
    assert!(page.contains("not comparable, so each is charted apart"));
}

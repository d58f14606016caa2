//! The board's overview chart (`indicators.svg`/`.png`): one panel per suite and indicator,
//! rows named by unit in rank order, drawn by the site's indicator charts (`crate::charts`).
//! The PNG's text uses the embedded DejaVu Sans (no system fonts); the SVG names CJK fonts.

use crate::charts::{self, IndicatorPanel, IndicatorRow};
use anyhow::Result;
use jiebang_core::board::{Board, Place, SuiteBoard};
use jiebang_scorecard::Scorecard;
use plotters::prelude::FontStyle;
use std::path::Path;

static FONT: &[u8] = include_bytes!("../assets/DejaVuSans.ttf");

pub(crate) fn register_font() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // The embedded font is valid by construction; a failure would only lose text.
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, FONT);
    });
}

/// The name a row goes by: the unit, or the system for a run without a declaration; with the
/// system added when one unit has several entries in the suite.
fn row_label(suite: &SuiteBoard<'_>, entry: usize) -> String {
    let e = &suite.entries[entry];
    let unit = e.sc.pins.declaration.as_ref().map(|d| d.unit.clone());
    match unit {
        None => e.system(),
        Some(u) => {
            let twice = suite
                .entries
                .iter()
                .filter(|o| o.sc.pins.declaration.as_ref().is_some_and(|d| d.unit == u))
                .count()
                > 1;
            if twice {
                format!("{u} · {}", e.system())
            } else {
                u
            }
        }
    }
}

/// One panel per suite and indicator that has a measurement, rows in the board's rank order.
pub(crate) fn panels(board: &Board<'_>) -> Vec<IndicatorPanel> {
    let mut out = Vec::new();
    for suite in &board.suites {
        for table in &suite.indicators {
            if table.rows.iter().all(|r| r.ind.measured.is_none()) {
                continue;
            }
            let head = table.head;
            let first = &suite.entries[table.rows[0].entry];
            let unit = crate::export::shown_unit(first.sc, &head.metric, &head.unit).to_string();
            let rows = table
                .rows
                .iter()
                .map(|r| IndicatorRow {
                    label: row_label(suite, r.entry),
                    place: Place::label(r.place),
                    measured: r.ind.measured,
                    ci: r.ind.ci95,
                    status: r.ind.verdicts.national.as_ref().map(|v| v.status),
                    declared_current: r.ind.declared_current,
                    own_target: r.ind.declared_target_2020,
                })
                .collect();
            out.push(IndicatorPanel {
                title: format!(
                    "{} · {} / {} ({})",
                    suite.suite, head.name_zh, head.name_en, head.id
                ),
                unit,
                better: head.better,
                national: head.national_target.clone(),
                rows,
            });
        }
    }
    out
}

/// Writes `<stem>.svg` and `<stem>.png`: every measured indicator of `cards`, one panel each.
/// Returns false (and writes nothing) when no indicator was measured.
pub fn indicators(cards: &[&Scorecard], dir: &Path, stem: &str) -> Result<bool> {
    let named: Vec<(String, &Scorecard)> = cards
        .iter()
        .enumerate()
        .map(|(i, sc)| (i.to_string(), *sc))
        .collect();
    let board = Board::build(&named, &[]);
    let panels = panels(&board);
    if panels.is_empty() {
        return Ok(false);
    }
    let canvas = charts::panels(&panels);
    std::fs::create_dir_all(dir)?;
    jiebang_core::atomic::write(&dir.join(format!("{stem}.svg")), canvas.svg().as_bytes())?;
    canvas.png(&dir.join(format!("{stem}.png")))?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Scorecard {
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../scorecard/tests/golden/sample.scorecard.json"
        ))
        .unwrap();
        jiebang_scorecard::verify_bytes("golden", &bytes, None)
            .unwrap()
            .scorecard
    }

    #[test]
    fn rows_are_units_in_rank_order() {
        let unit = |sc: &mut Scorecard, name: &str, m: f64| {
            sc.pins.declaration = Some(jiebang_scorecard::DeclarationPin {
                unit: name.into(),
                hash: "h".into(),
            });
            sc.indicators[0].measured = Some(m);
            sc.indicators[0].ci95 = Some([m - 0.001, m + 0.001]);
        };
        let (mut a, mut b, mut c) = (sample(), sample(), sample());
        unit(&mut a, "Lab A", 0.90);
        unit(&mut b, "乙单位", 0.99);
        unit(&mut c, "Lab A", 0.95);
        c.pins.sut.name = "other".into();
        let named = [
            ("a".to_string(), &a),
            ("b".to_string(), &b),
            ("c".to_string(), &c),
        ];
        let board = Board::build(&named, &[]);
        let p = &panels(&board)[0];
        let labels: Vec<(&str, &str)> = p
            .rows
            .iter()
            .map(|r| (r.place.as_str(), r.label.as_str()))
            .collect();
        let sys = |sc: &Scorecard| format!("{}:{}", sc.pins.sut.adapter, sc.pins.sut.name);
        assert_eq!(
            labels,
            [
                ("1", "乙单位"),
                ("2", format!("Lab A · {}", sys(&c)).as_str()),
                ("3", format!("Lab A · {}", sys(&a)).as_str()),
            ]
        );
        assert!(p.title.contains(" / ") && p.title.starts_with(&a.pins.suite.id));
    }

    #[test]
    fn renders_svg_and_png_with_text() {
        let sc = sample();
        let dir = tempfile::tempdir().unwrap();
        assert!(indicators(&[&sc, &sc], dir.path(), "ind").unwrap());
        let svg = std::fs::read_to_string(dir.path().join("ind.svg")).unwrap();
        crate::charts::tests::well_formed(&svg);
        assert!(svg.contains("detection rate") && svg.contains("national 2020 target"));
        assert!(svg.contains("declared current level") && svg.contains("own 2020 target"));
        let png = std::fs::read(dir.path().join("ind.png")).unwrap();
        if let Some(keep) = std::env::var_os("JIEBANG_KEEP_CHART") {
            std::fs::write(&keep, &png).unwrap();
            std::fs::write(format!("{}.svg", keep.to_string_lossy()), &svg).unwrap();
        }
        assert_eq!(&png[1..4], b"PNG");
    }
}

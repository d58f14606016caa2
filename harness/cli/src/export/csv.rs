//! The leaderboard as CSV for spreadsheets: one row per scorecard and indicator, and a round's
//! selection. Text cells are escaped against formula injection ([`crate::escape::csv`]).

use super::board::rank_cell;
use super::{BoardReport, Csv, Exporter, Selections, SiteReport};
use crate::escape::csv as text;
use anyhow::{Context as _, Result};
use jiebang_core::board::Board;
use jiebang_core::board::Selection;
use jiebang_scorecard::Verdict;

/// A verdict's word, empty when there is none.
fn word(v: &Option<Verdict>) -> String {
    v.as_ref()
        .map(|v| v.status.word().to_string())
        .unwrap_or_default()
}

/// A number as Rust writes it (shortest round-trip), empty when there is none.
fn number(v: Option<f64>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// A CSV writer that quotes every cell that is not a number, so that no separator a unit wrote
/// (`,` or a spreadsheet's `;`) can start a cell of its own.
fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::NonNumeric)
        .from_writer(Vec::new())
}

/// The leaderboard's columns; `class` (certified or self-reported) last.
const BOARD_HEAD: [&str; 23] = [
    "suite",
    "suite_hash",
    "unit",
    "system",
    "scorecard",
    "scorecard_id",
    "round",
    "indicator",
    "unit_of_measure",
    "rank",
    "convention",
    "measured",
    "ci95_lo",
    "ci95_hi",
    "n",
    "declared_current",
    "declared_target_2020",
    "national_target",
    "verdict_national",
    "verdict_own_target",
    "verdict_declared_current",
    "self_reported",
    "class",
];

/// One row per suite, indicator and scorecard of `board`, ranked within its indicator and
/// `convention` (the metric's signature; ranks under two conventions are two rankings).
fn board_rows(w: &mut csv::Writer<Vec<u8>>, board: &Board<'_>, class: &str) -> Result<()> {
    for s in &board.suites {
        for t in &s.indicators {
            for r in &t.rows {
                let e = &s.entries[r.entry];
                let i = r.ind;
                w.write_record([
                    text(&s.suite),
                    text(&s.hash),
                    text(&e.unit()),
                    text(&e.system()),
                    text(&e.file),
                    text(e.sc.id.as_deref().unwrap_or_default()),
                    text(e.sc.pins.round.as_deref().unwrap_or_default()),
                    text(&i.id),
                    text(&i.unit),
                    rank_cell(r.place),
                    text(t.convention.as_deref().unwrap_or_default()),
                    number(i.measured),
                    number(i.ci95.map(|c| c[0])),
                    number(i.ci95.map(|c| c[1])),
                    i.n.to_string(),
                    number(i.declared_current),
                    number(i.declared_target_2020),
                    i.national_target
                        .as_ref()
                        .map(|t| format!("{}{}", t.comparison.symbol(), t.value))
                        .unwrap_or_default(),
                    word(&i.verdicts.national),
                    word(&i.verdicts.own_target),
                    word(&i.verdicts.declared_current),
                    text(e.self_reported(i).unwrap_or_default()),
                    class.to_string(),
                ])?;
            }
        }
    }
    Ok(())
}

impl Exporter<BoardReport<'_>> for Csv {
    /// One row per suite, indicator and scorecard, ranked.
    fn export(&self, r: &BoardReport<'_>) -> Result<String> {
        let mut w = writer();
        w.write_record(BOARD_HEAD)?;
        board_rows(&mut w, r.board, "")?;
        finish(w)
    }
}

impl Exporter<SiteReport<'_>> for Csv {
    /// Per round, the certified board's rows, then the self-reported board's.
    fn export(&self, site: &SiteReport<'_>) -> Result<String> {
        let mut w = writer();
        w.write_record(BOARD_HEAD)?;
        for r in &site.rounds {
            for (class, board) in r.boards() {
                board_rows(&mut w, board, class)?;
            }
        }
        finish(w)
    }
}

impl Exporter<Selections<'_>> for Csv {
    fn export(&self, s: &Selections<'_>) -> Result<String> {
        let mut w = writer();
        let mut head = SELECTION_HEAD.to_vec();
        head.push("round");
        w.write_record(head)?;
        for r in &s.0.rounds {
            selection_rows(&mut w, r.selection, Some(r.id))?;
        }
        finish(w)
    }
}

const SELECTION_HEAD: [&str; 15] = [
    "direction",
    "ranking_indicator",
    "rank",
    "unit",
    "systems",
    "measured",
    "ci95_lo",
    "ci95_hi",
    "national_targets_met",
    "national_targets",
    "selected",
    "successful",
    "note",
    "scorecard",
    "self_reported",
];

/// One row per direction and candidate, best first; with the round id last when given.
fn selection_rows(
    w: &mut csv::Writer<Vec<u8>>,
    picks: &[Selection],
    round: Option<&str>,
) -> Result<()> {
    for p in picks {
        for c in &p.candidates {
            let mut row = vec![
                text(&p.direction),
                text(&p.ranking_indicator),
                c.rank.clone(),
                text(&c.unit),
                text(&c.systems.join(" ")),
                number(c.measured),
                number(c.ci95.map(|c| c[0])),
                number(c.ci95.map(|c| c[1])),
                c.national_met.to_string(),
                c.national_total.to_string(),
                c.selected.to_string(),
                c.successful.to_string(),
                text(&c.note),
                text(c.scorecard.as_deref().unwrap_or_default()),
                text(c.self_reported.as_deref().unwrap_or_default()),
            ];
            if let Some(r) = round {
                row.push(text(r));
            }
            w.write_record(row)?;
        }
    }
    Ok(())
}

impl Exporter<[Selection]> for Csv {
    /// One row per direction and candidate, best first.
    fn export(&self, picks: &[Selection]) -> Result<String> {
        let mut w = writer();
        w.write_record(SELECTION_HEAD)?;
        selection_rows(&mut w, picks, None)?;
        finish(w)
    }
}

/// The text a writer holds.
fn finish(w: csv::Writer<Vec<u8>>) -> Result<String> {
    let bytes = w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
    String::from_utf8(bytes).context("CSV of UTF-8 text is UTF-8")
}

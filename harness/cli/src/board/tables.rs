//! The leaderboard as data: one CSV row per scorecard and indicator, and a JSON document with
//! the suites, standings and ranked indicator tables, for sites and spreadsheets to consume.
//! CSV text cells are escaped against formula injection ([`crate::escape::csv`]); JSON carries
//! the text as written (a consumer escapes it for its own medium).

use super::Selection;
use super::model::{Board, Place};
use crate::escape::csv as text;
use anyhow::Result;
use jiebang_core::round::Round;
use jiebang_scorecard::Verdict;
use serde_json::{Value, json};

fn word(v: &Option<Verdict>) -> String {
    v.as_ref()
        .map(|v| v.status.word().to_string())
        .unwrap_or_default()
}

/// A rank for data files: empty, not a dash, when there is none.
fn rank_cell(p: Option<Place>) -> String {
    p.map_or_else(String::new, |p| Place::label(Some(p)))
}

/// A CSV writer that quotes every cell that is not a number, so that no separator a unit wrote
/// (`,` or a spreadsheet's `;`) can start a cell of its own.
fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::NonNumeric)
        .from_writer(Vec::new())
}

/// CSV bytes.
pub fn csv(board: &Board<'_>) -> Result<Vec<u8>> {
    let mut w = writer();
    w.write_record([
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
    ])?;
    let opt = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
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
                    opt(i.measured),
                    opt(i.ci95.map(|c| c[0])),
                    opt(i.ci95.map(|c| c[1])),
                    i.n.to_string(),
                    opt(i.declared_current),
                    opt(i.declared_target_2020),
                    i.national_target
                        .as_ref()
                        .map(|t| format!("{}{}", t.comparison.symbol(), t.value))
                        .unwrap_or_default(),
                    word(&i.verdicts.national),
                    word(&i.verdicts.own_target),
                    word(&i.verdicts.declared_current),
                    text(e.self_reported(i).unwrap_or_default()),
                ])?;
            }
        }
    }
    w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))
}

/// A round's selection as CSV: one row per direction and candidate, best first.
pub fn selection_csv(picks: &[Selection]) -> Result<Vec<u8>> {
    let mut w = writer();
    w.write_record([
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
    ])?;
    let opt = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
    for p in picks {
        for c in &p.candidates {
            w.write_record([
                text(&p.direction),
                text(&p.ranking_indicator),
                c.rank.clone(),
                text(&c.unit),
                text(&c.systems.join(" ")),
                opt(c.measured),
                opt(c.ci95.map(|c| c[0])),
                opt(c.ci95.map(|c| c[1])),
                c.national_met.to_string(),
                c.national_total.to_string(),
                c.selected.to_string(),
                c.successful.to_string(),
                text(&c.note),
                text(c.scorecard.as_deref().unwrap_or_default()),
                text(c.self_reported.as_deref().unwrap_or_default()),
            ])?;
        }
    }
    w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))
}

/// The JSON document.
pub fn json(board: &Board<'_>, picks: &[Selection], round: Option<&Round>) -> Value {
    let suites: Vec<Value> = board
        .suites
        .iter()
        .map(|s| {
            let entry = |i: usize| {
                let e = &s.entries[i];
                json!({
                    "unit": e.unit(),
                    "system": e.system(),
                    "scorecard": e.file,
                    "id": e.sc.id,
                    "round": e.sc.pins.round,
                })
            };
            json!({
                "suite": s.suite,
                "suite_hash": s.hash,
                "direction": s.direction,
                "standings": s.standings.iter().map(|st| {
                    let mut v = serde_json::to_value(st).unwrap_or(Value::Null);
                    if let Value::Object(m) = &mut v {
                        m.insert("rank".into(), json!(rank_cell(st.place)));
                        m.insert("entry".into(), entry(st.entry));
                    }
                    v
                }).collect::<Vec<_>>(),
                "indicators": s.indicators.iter().map(|t| json!({
                    "id": t.head.id,
                    "name_zh": t.head.name_zh,
                    "name_en": t.head.name_en,
                    "unit": t.head.unit,
                    "better": t.head.better,
                    "national_target": t.head.national_target,
                    "rows": t.rows.iter().map(|r| json!({
                        "rank": rank_cell(r.place),
                        "entry": entry(r.entry),
                        "measured": r.ind.measured,
                        "ci95": r.ind.ci95,
                        "n": r.ind.n,
                        "reason": r.ind.reason,
                        "declared_current": r.ind.declared_current,
                        "declared_target_2020": r.ind.declared_target_2020,
                        "verdicts": r.ind.verdicts,
                        "self_reported": s.entries[r.entry].self_reported(r.ind),
                    })).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "round": round.map(|r| json!({
            "round": r.round,
            "title": r.title,
            "file": r.file,
            "trusted_keys": r.trusted_keys,
            "require_sandbox": r.require_sandbox,
        })),
        "selection": picks,
        "suites": suites,
        "excluded": board.excluded,
    })
}

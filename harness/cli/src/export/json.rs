//! JSON for tools: a scorecard (or several, as an array), a comparison with its verdict counts,
//! and the leaderboard document. Scorecards and comparisons, which reach terminals, get C1
//! controls and bidi overrides as JSON escapes ([`crate::escape::json`]: the same value); the
//! leaderboard file carries the text as written (a consumer escapes it for its own medium).

use super::board::rank_cell;
use super::{BoardReport, Exporter, Json, SiteReport};
use anyhow::Result;
use jiebang_core::board::Board;
use jiebang_core::compare::Comparison;
use jiebang_scorecard::Scorecard;
use serde_json::{Value, json};

/// Pretty JSON of `v` for a terminal, ending in a newline.
fn for_terminal(v: &impl serde::Serialize) -> Result<String> {
    Ok(crate::escape::json(&serde_json::to_string_pretty(v)?) + "\n")
}

impl Exporter<Scorecard> for Json {
    /// The scorecard itself, pretty-printed.
    fn export(&self, sc: &Scorecard) -> Result<String> {
        for_terminal(sc)
    }
}

impl Exporter<[Scorecard]> for Json {
    /// An array of scorecards.
    fn export(&self, cards: &[Scorecard]) -> Result<String> {
        for_terminal(&cards)
    }
}

impl Exporter<Comparison> for Json {
    /// Verdict counts plus the whole comparison.
    fn export(&self, c: &Comparison) -> Result<String> {
        for_terminal(&json!({
            "schema_version": 1,
            "passed": c.passed(),
            "regressions": c.regressions().count(),
            "digest_failures": c.digest_failures().count(),
            "comparison": c,
        }))
    }
}

impl Exporter<BoardReport<'_>> for Json {
    /// The round, the selection, per suite the standings and ranked indicator tables, and the
    /// scorecards left off.
    fn export(&self, r: &BoardReport<'_>) -> Result<String> {
        let mut text = serde_json::to_string_pretty(&board(r))?;
        text.push('\n');
        Ok(text)
    }
}

/// The suites of `board`, each entry with its class when one is given.
fn suites(board: &Board<'_>, class: Option<&str>) -> Vec<Value> {
    board
        .suites
        .iter()
        .map(|s| {
            let entry = |i: usize| {
                let e = &s.entries[i];
                let mut v = json!({
                    "unit": e.unit(),
                    "system": e.system(),
                    "scorecard": e.file,
                    "id": e.sc.id,
                    "round": e.sc.pins.round,
                });
                if let (Some(c), Value::Object(m)) = (class, &mut v) {
                    m.insert("class".into(), json!(c));
                }
                v
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
                    "convention": t.convention,
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
        .collect()
}

/// The leaderboard document.
fn board(r: &BoardReport<'_>) -> Value {
    let (board, picks, round) = (r.board, r.selection, r.round);
    json!({
        "round": round.map(|r| json!({
            "round": r.round,
            "title": r.title,
            "file": r.file,
            "trusted_keys": r.trusted_keys,
            "require_sandbox": r.require_sandbox,
        })),
        "selection": picks,
        "suites": suites(board, None),
        "excluded": board.excluded,
    })
}

impl Exporter<SiteReport<'_>> for Json {
    /// Every round: its settings, selection, certified and self-reported suites (each entry
    /// with its class) and the scorecards left off.
    fn export(&self, site: &SiteReport<'_>) -> Result<String> {
        let rounds: Vec<Value> = site
            .rounds
            .iter()
            .map(|r| {
                let mut all = suites(r.certified, Some("certified"));
                all.extend(suites(r.self_reported, Some("self-reported")));
                json!({
                    "round": r.id,
                    "title": r.title,
                    "opens": r.opens,
                    "closes": r.closes,
                    "trusted_keys": r.round.map(|f| f.trusted_keys.len()),
                    "require_sandbox": r.round.map(|f| f.require_sandbox),
                    "selection": r.selection,
                    "suites": all,
                    "excluded": r.certified.excluded,
                })
            })
            .collect();
        let mut text = serde_json::to_string_pretty(&json!({
            "schema_version": 2,
            "title": site.title,
            "rounds": rounds,
        }))?;
        text.push('\n');
        Ok(text)
    }
}

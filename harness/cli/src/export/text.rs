//! Aligned plain text for a terminal: a scorecard's report (`show`, `run`), and a leaderboard's
//! standings and selection (`board`). Every text from a file is escaped for the terminal.

use super::scorecard::{HEAD, conventions, header, rows, shown_unit, verdict_notes};
use super::{BoardReport, Exporter, Text};
use crate::escape::terminal as term;
use crate::fmt;
use anyhow::Result;
use jiebang_core::board::Place;
use jiebang_scorecard::Scorecard;
use std::fmt::Write as _;

impl Exporter<Scorecard> for Text {
    fn export(&self, sc: &Scorecard) -> Result<String> {
        let mut out = String::new();
        header(sc, &mut out);
        let rows: Vec<[String; 8]> = rows(sc).into_iter().map(|r| r.map(|c| term(&c))).collect();
        if !rows.is_empty() {
            let _ = writeln!(out, "\nindicators (* = the unit's own indicator)");
            let mut widths = HEAD.map(|h| h.chars().count());
            for r in &rows {
                for (w, c) in widths.iter_mut().zip(r) {
                    *w = (*w).max(c.chars().count());
                }
            }
            let line = |cells: Vec<&str>| {
                cells
                    .iter()
                    .zip(widths)
                    .map(|(c, w)| format!("{c}{}", " ".repeat(w - c.chars().count())))
                    .collect::<Vec<_>>()
                    .join("  ")
            };
            let _ = writeln!(out, "  {}", line(HEAD.to_vec()));
            for r in &rows {
                let _ = writeln!(out, "  {}", line(r.iter().map(String::as_str).collect()));
            }
        }
        let _ = writeln!(out, "\nmetrics");
        for (k, m) in &sc.metrics {
            let unit = shown_unit(sc, k, &m.unit);
            let v = match m.value {
                Some(_) => format!(
                    "{} {}",
                    fmt::value(m.value, unit),
                    fmt::interval(m.ci95, unit)
                ),
                None => format!("not measured: {}", m.reason.clone().unwrap_or_default()),
            };
            let _ = writeln!(
                out,
                "  {:<36} {}  (n={}{}){}",
                term(k),
                term(&v),
                m.n,
                m.ci_method
                    .as_ref()
                    .map(|c| format!(", {}", term(&c.to_string())))
                    .unwrap_or_default(),
                m.self_reported
                    .as_deref()
                    .map(|s| format!("  self-reported: {}", term(s)))
                    .unwrap_or_default()
            );
        }
        let conventions = conventions(sc);
        if !conventions.is_empty() {
            let _ = writeln!(
                out,
                "\nconventions (two values of a metric compare only under the same one)"
            );
            for (c, ids) in conventions {
                let _ = writeln!(out, "  {}: {}", term(c), term(&ids.join(", ")));
            }
        }
        let notes = verdict_notes(sc);
        if !notes.is_empty() {
            let _ = writeln!(out, "\nverdicts not decided by the shown interval alone");
            for (id, levels, reason) in notes {
                let _ = writeln!(out, "  {} ({}): {}", term(&id), levels, term(&reason));
            }
        }
        Ok(out)
    }
}

impl Exporter<BoardReport<'_>> for Text {
    /// Per suite the standings, then per direction of a round the selection.
    fn export(&self, r: &BoardReport<'_>) -> Result<String> {
        let mut out = String::new();
        for s in &r.board.suites {
            let _ = writeln!(out, "{}: {} scorecard(s)", term(&s.suite), s.entries.len());
            for st in &s.standings {
                let e = &s.entries[st.entry];
                let _ = writeln!(
                    out,
                    "  {:>3}  {} — {}: national targets met {}, inconclusive {}, not met {}, not measured {}",
                    Place::label(st.place),
                    term(&e.unit()),
                    term(&e.system()),
                    st.met,
                    st.inconclusive,
                    st.not_met,
                    st.not_measured
                );
            }
        }
        for p in r.selection {
            let _ = writeln!(
                out,
                "selection, {} (ranked by {}; caps {} selected, {} successful):",
                term(&p.direction),
                term(&p.ranking_indicator),
                p.selected_cap,
                p.successful_cap
            );
            for c in &p.candidates {
                let status = match (c.selected, c.successful) {
                    (true, true) => "selected, successful",
                    (true, false) => "selected",
                    _ => "not selected",
                };
                let _ = writeln!(
                    out,
                    "  {:>3}  {}: {status}{}",
                    c.rank,
                    term(&c.unit),
                    if c.note.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", term(&c.note))
                    }
                );
            }
        }
        Ok(out)
    }
}

//! A scorecard's report in Markdown: the header lines in a text block, the indicator table
//! (measured vs. declared vs. targets, with verdicts) and the metric table; cells escaped.

use crate::escape::{markdown as md, markdown_code as code};
use crate::export::scorecard::{HEAD, conventions, header, rows, shown_unit, verdict_notes};
use crate::fmt;
use jiebang_scorecard::Scorecard;
use std::fmt::Write as _;

/// The report: the header as a text block, then the indicator and metric tables.
pub fn render(sc: &Scorecard) -> String {
    let mut out = String::new();
    let mut h = String::new();
    header(sc, &mut h);
    let _ = writeln!(out, "```text\n{h}```\n");
    let _ = writeln!(out, "| {} |", HEAD.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(HEAD.len()));
    for r in rows(sc) {
        let _ = writeln!(out, "| {} |", r.map(|c| md(&c)).join(" | "));
    }
    let _ = writeln!(
        out,
        "\n| metric | value | 95% CI | n | method |\n|---|---|---|---|---|"
    );
    for (k, m) in &sc.metrics {
        let unit = shown_unit(sc, k, &m.unit);
        let value = m
            .value
            .map(|_| fmt::self_reported(&fmt::value(m.value, unit), m.self_reported.as_deref()))
            .unwrap_or_else(|| format!("not measured: {}", m.reason.clone().unwrap_or_default()));
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            md(k),
            md(&value),
            md(&fmt::interval(m.ci95, unit)),
            m.n,
            md(&m
                .ci_method
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default())
        );
    }
    let conventions = conventions(sc);
    if !conventions.is_empty() {
        let _ = writeln!(
            out,
            "\nConventions (two values of a metric compare only under the same one):\n"
        );
        for (c, ids) in conventions {
            let _ = writeln!(out, "- {}: {}", code(c), md(&ids.join(", ")));
        }
    }
    let notes = verdict_notes(sc);
    if !notes.is_empty() {
        let _ = writeln!(
            out,
            "\nVerdicts not decided by the shown interval alone (docs/STATISTICS.md):\n"
        );
        for (id, levels, reason) in notes {
            let _ = writeln!(out, "- {} ({levels}): {}", code(&id), md(&reason));
        }
    }
    out
}

//! Human-readable scorecard reports (plain text and Markdown): each indicator measured vs.
//! declared current vs. own target vs. national target, with verdicts; then metrics and failures.
//! Every text from the scorecard is escaped for the terminal, or for Markdown in its tables.

use crate::escape::{markdown as md, terminal as term};
use crate::fmt;
use jiebang_scorecard::Scorecard;
use std::fmt::Write as _;

/// Output format of a report.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Format {
    /// Aligned plain text.
    Text,
    /// Markdown tables.
    Markdown,
    /// The scorecard JSON itself, pretty-printed.
    Json,
}

/// The unit a metric's numbers are shown in: see [`fmt::display_unit`].
pub fn shown_unit<'a>(sc: &Scorecard, metric: &str, unit: &'a str) -> &'a str {
    fmt::display_unit(
        unit,
        sc.metrics.get(metric).and_then(|m| m.ci_method.as_ref()),
    )
}

/// The `self_reported` note of `metric`, if its value rests on what the system reported.
fn self_reported<'a>(sc: &'a Scorecard, metric: &str) -> Option<&'a str> {
    sc.metrics
        .get(metric)
        .and_then(|m| m.self_reported.as_deref())
}

/// The indicator table's cells, unescaped.
fn rows(sc: &Scorecard) -> Vec<[String; 8]> {
    sc.indicators
        .iter()
        .map(|i| {
            let unit = shown_unit(sc, &i.metric, &i.unit);
            let name = format!(
                "{}{} {} ({})",
                if i.custom { "*" } else { "" },
                i.id,
                i.name_zh,
                i.name_en
            );
            let measured = match i.measured {
                Some(_) => fmt::self_reported(
                    &format!(
                        "{} {}",
                        fmt::value(i.measured, unit),
                        fmt::interval(i.ci95, unit)
                    ),
                    self_reported(sc, &i.metric),
                ),
                None => format!("not measured: {}", i.reason.clone().unwrap_or_default()),
            };
            [
                name,
                measured,
                i.n.to_string(),
                fmt::value(i.declared_current, unit),
                fmt::value(i.declared_target_2020, unit),
                i.national_target
                    .as_ref()
                    .map(|t| fmt::target(t, unit))
                    .unwrap_or_else(|| "—".into()),
                fmt::verdict(i.verdicts.national.as_ref()),
                format!(
                    "{} / {}",
                    fmt::verdict(i.verdicts.declared_current.as_ref()),
                    fmt::verdict(i.verdicts.own_target.as_ref())
                ),
            ]
        })
        .collect()
}

const HEAD: [&str; 8] = [
    "indicator",
    "measured [95% CI]",
    "n",
    "declared current",
    "own 2020 target",
    "national target",
    "vs national",
    "vs current / own target",
];

/// Renders a report.
pub fn render(sc: &Scorecard, format: Format) -> String {
    match format {
        Format::Json => crate::escape::json(&serde_json::to_string_pretty(sc).unwrap_or_default()),
        Format::Markdown => markdown(sc),
        Format::Text => text(sc),
    }
}

fn header(sc: &Scorecard, out: &mut String) {
    let p = &sc.pins;
    let _ = writeln!(
        out,
        "scorecard {}",
        sc.id.as_deref().unwrap_or("(unsealed)")
    );
    let _ = writeln!(
        out,
        "suite      {}@{} ({})",
        term(&p.suite.id),
        p.suite.version,
        term(&p.suite.hash.chars().take(12).collect::<String>())
    );
    let _ = writeln!(
        out,
        "system     {}:{}{}",
        term(&p.sut.adapter),
        term(&p.sut.name),
        p.sut
            .version
            .as_deref()
            .map(|v| format!(" {}", term(v)))
            .unwrap_or_default()
    );
    if let Some(d) = &p.declaration {
        let _ = writeln!(out, "unit       {}", term(&d.unit));
    }
    if let Some(r) = &p.round {
        let _ = writeln!(out, "round      {}", term(r));
    }
    if let Some(s) = &p.shard {
        let _ = writeln!(
            out,
            "shard      {}: partial, covers only this shard's samples; merge the shard logs \
             (`jiebang merge`) for the run's result",
            term(s)
        );
    }
    let _ = writeln!(
        out,
        "dataset    {} ({} samples)",
        term(&p.dataset.hash.chars().take(12).collect::<String>()),
        p.dataset.samples
    );
    let _ = writeln!(
        out,
        "backend    {} — {}",
        term(&p.backend.kind),
        term(&p.backend.device)
    );
    let q = &sc.run.queries;
    let f = &q.failures;
    let _ = writeln!(
        out,
        "run        {}{} · {} queries, {} answered · failures: crash {}, timeout {}, malformed {}, missing {}, unknown id {}, duplicate {}",
        term(&sc.run.mode),
        sc.run
            .scenario
            .as_deref()
            .map(|s| format!(" / {}", term(s)))
            .unwrap_or_default(),
        q.issued,
        q.answered,
        f.crash,
        f.timeout,
        f.malformed,
        f.missing,
        f.unknown_id,
        f.duplicate
    );
    if let Some(s) = &sc.signature {
        let _ = writeln!(
            out,
            "signed     by {} ({})",
            term(&s.signer),
            term(&s.public_key.chars().take(16).collect::<String>())
        );
    }
}

fn text(sc: &Scorecard) -> String {
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
    out
}

fn markdown(sc: &Scorecard) -> String {
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
    out
}

/// Why `bytes` are not a scorecard at all, when that is plain: a per-query log (its first line
/// is a log header), or a file that is not a JSON object. `None` when the bytes may be a
/// scorecard (a damaged one is left to the integrity check to describe).
pub fn not_a_scorecard(bytes: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(1 << 16)]);
    let first = text.lines().next().unwrap_or("");
    let is_log = serde_json::from_str::<serde_json::Value>(first)
        .ok()
        .and_then(|v| {
            v.get("type")
                .and_then(|t| t.as_str())
                .map(|t| t == "header")
        })
        .unwrap_or(false);
    if is_log {
        return Some(
            "this is a per-query log, not a scorecard; `jiebang merge` and `jiebang run --resume` \
             read logs, `verify` and `show` read the `.scorecard.json` written beside it"
                .into(),
        );
    }
    if !text.trim_start().starts_with('{') {
        return Some(
            "not a scorecard (a scorecard is the JSON file `jiebang run` writes, \
             `NAME.scorecard.json`)"
                .into(),
        );
    }
    None
}

//! Human-readable scorecard reports (plain text and Markdown): each indicator measured vs.
//! declared current vs. own target vs. national target, with verdicts; then metrics and failures.

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

fn rows(sc: &Scorecard) -> Vec<[String; 8]> {
    sc.indicators
        .iter()
        .map(|i| {
            let name = format!(
                "{}{} {} ({})",
                if i.custom { "*" } else { "" },
                i.id,
                i.name_zh,
                i.name_en
            );
            let measured = match i.measured {
                Some(_) => format!(
                    "{} {}",
                    fmt::value(i.measured, &i.unit),
                    fmt::interval(i.ci95, &i.unit)
                ),
                None => format!("not measured: {}", i.reason.clone().unwrap_or_default()),
            };
            [
                name,
                measured,
                i.n.to_string(),
                fmt::value(i.declared_current, &i.unit),
                fmt::value(i.declared_target_2020, &i.unit),
                i.national_target
                    .as_ref()
                    .map(|t| fmt::target(t, &i.unit))
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
        Format::Json => serde_json::to_string_pretty(sc).unwrap_or_default(),
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
        p.suite.id,
        p.suite.version,
        &p.suite.hash[..12.min(p.suite.hash.len())]
    );
    let _ = writeln!(
        out,
        "system     {}:{}{}",
        p.sut.adapter,
        p.sut.name,
        p.sut
            .version
            .as_deref()
            .map(|v| format!(" {v}"))
            .unwrap_or_default()
    );
    if let Some(d) = &p.declaration {
        let _ = writeln!(out, "unit       {}", d.unit);
    }
    let _ = writeln!(
        out,
        "dataset    {} ({} samples)",
        &p.dataset.hash[..12.min(p.dataset.hash.len())],
        p.dataset.samples
    );
    let _ = writeln!(out, "backend    {} — {}", p.backend.kind, p.backend.device);
    let q = &sc.run.queries;
    let f = &q.failures;
    let _ = writeln!(
        out,
        "run        {}{} · {} queries, {} answered · failures: crash {}, timeout {}, malformed {}, missing {}, unknown id {}, duplicate {}",
        sc.run.mode,
        sc.run
            .scenario
            .as_deref()
            .map(|s| format!(" / {s}"))
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
        let _ = writeln!(out, "signed     by {} ({})", s.signer, &s.public_key[..16]);
    }
}

fn text(sc: &Scorecard) -> String {
    let mut out = String::new();
    header(sc, &mut out);
    let rows = rows(sc);
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
        let v = match m.value {
            Some(_) => format!(
                "{} {}",
                fmt::value(m.value, &m.unit),
                fmt::interval(m.ci95, &m.unit)
            ),
            None => format!("not measured: {}", m.reason.clone().unwrap_or_default()),
        };
        let _ = writeln!(
            out,
            "  {k:<36} {v}  (n={}{})",
            m.n,
            m.ci_method
                .as_deref()
                .map(|c| format!(", {c}"))
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
        let _ = writeln!(out, "| {} |", r.join(" | ").replace('\n', " "));
    }
    let _ = writeln!(
        out,
        "\n| metric | value | 95% CI | n | method |\n|---|---|---|---|---|"
    );
    for (k, m) in &sc.metrics {
        let _ = writeln!(
            out,
            "| {k} | {} | {} | {} | {} |",
            m.value
                .map(|_| fmt::value(m.value, &m.unit))
                .unwrap_or_else(|| format!(
                    "not measured: {}",
                    m.reason.clone().unwrap_or_default()
                )),
            fmt::interval(m.ci95, &m.unit),
            m.n,
            m.ci_method.clone().unwrap_or_default()
        );
    }
    out
}

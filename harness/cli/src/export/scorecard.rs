//! What the text and Markdown reports of one scorecard share: the header lines (escaped for a
//! terminal) and the indicator table's cells (unescaped: each format escapes them).

use crate::escape::terminal as term;
use crate::fmt;
use jiebang_scorecard::{CurveKind, Scorecard};
use std::fmt::Write as _;

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

/// The distinct conventions the scorecard's metrics were computed under (see
/// `Metric::convention`), each with the ids of its metrics in order; empty when none states one.
pub fn conventions(sc: &Scorecard) -> Vec<(&str, Vec<&str>)> {
    let mut out: Vec<(&str, Vec<&str>)> = Vec::new();
    for (id, m) in &sc.metrics {
        let Some(c) = m.convention.as_deref() else {
            continue;
        };
        match out.iter_mut().find(|(k, _)| *k == c) {
            Some((_, ids)) => ids.push(id),
            None => out.push((c, vec![id])),
        }
    }
    out
}

/// The verdicts decided otherwise than the shown interval would suggest, with why (see
/// `Verdict::reason`: a refused region of the coverage table, a proportion decided on its
/// Clopper–Pearson interval, a method no verdict rests on), as `(indicator, level, reason)`;
/// unescaped. One reason shared by several levels of an indicator is listed once.
pub fn verdict_notes(sc: &Scorecard) -> Vec<(String, String, String)> {
    let mut out: Vec<(String, String, String)> = Vec::new();
    for i in &sc.indicators {
        let v = &i.verdicts;
        for (level, verdict) in [
            ("national target", &v.national),
            ("declared current", &v.declared_current),
            ("own 2020 target", &v.own_target),
        ] {
            let Some(reason) = verdict.as_ref().and_then(|v| v.reason.as_deref()) else {
                continue;
            };
            match out
                .iter_mut()
                .find(|(id, _, r)| *id == i.id && r.as_str() == reason)
            {
                Some(note) => note.1 = format!("{}, {level}", note.1),
                None => out.push((i.id.clone(), level.to_string(), reason.to_string())),
            }
        }
    }
    out
}

/// The indicator table's column heads.
pub const HEAD: [&str; 8] = [
    "indicator",
    "measured [95% CI]",
    "n",
    "declared current",
    "own 2020 target",
    "national target",
    "vs national",
    "vs current / own target",
];

/// The indicator table's cells, unescaped.
pub fn rows(sc: &Scorecard) -> Vec<[String; 8]> {
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

/// The header lines: id, suite, system, unit, round, shard, dataset, backend, run, curves,
/// signer.
pub fn header(sc: &Scorecard, out: &mut String) {
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
    if !sc.curves.is_empty() {
        let curves: Vec<String> = sc
            .curves
            .iter()
            .map(|(id, c)| {
                let kind = match c.kind {
                    CurveKind::Roc => "ROC",
                    CurveKind::Det => "DET",
                    CurveKind::Froc => "FROC",
                    CurveKind::Cmc => "CMC",
                };
                format!("{} ({kind}, {} points)", term(id), c.points.len())
            })
            .collect();
        let _ = writeln!(out, "curves     {}", curves.join(", "));
    }
    if let Some(s) = &sc.signature {
        let _ = writeln!(
            out,
            "signed     by {} ({})",
            term(&s.signer),
            term(&s.public_key.chars().take(16).collect::<String>())
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiebang_scorecard::{Curve, CurveAxis};

    #[test]
    fn the_header_names_each_curve_on_one_escaped_line() {
        let mut sc: Scorecard = serde_json::from_str(include_str!(
            "../../../scorecard/tests/golden/sample.scorecard.json"
        ))
        .unwrap();
        let mut h = String::new();
        header(&sc, &mut h);
        assert!(!h.contains("curves"), "{h}");
        let axis = CurveAxis {
            label: "x".into(),
            unit: "ratio".into(),
            log: false,
        };
        let curve = |kind, n: usize| Curve {
            kind,
            x: axis.clone(),
            y: axis.clone(),
            points: vec![[0.0, 0.0]; n],
            metric: None,
        };
        sc.curves
            .insert("case.roc".into(), curve(CurveKind::Roc, 57));
        sc.curves
            .insert("x\u{1b}[2J\nfake line".into(), curve(CurveKind::Cmc, 3));
        let mut h = String::new();
        header(&sc, &mut h);
        let line = h.lines().find(|l| l.starts_with("curves ")).unwrap();
        assert_eq!(
            line,
            "curves     case.roc (ROC, 57 points), x\\u{1b}[2J\\u{a}fake line (CMC, 3 points)"
        );
    }
}

//! Table cells the pages share: a measurement with its interval (or why there is none), a
//! verdict, technical failures, an entry's class, links to a unit and to a scorecard copy.

use super::layout::{Cell, link};
use super::model::SiteRound;
use super::model::{EntryClass, SiteEntry};
use crate::escape::html as esc;
use crate::export::shown_unit;
use crate::fmt;
use jiebang_scorecard::{IndicatorResult, Scorecard, Verdict, VerdictStatus};
use std::collections::{BTreeMap, BTreeSet};

/// The unit each indicator's numbers are shown in across the site (`fmt::display_unit` of its
/// metric's interval method), taken from the entries whose metric names that method, so that an
/// entry whose interval was withheld (and with it the method) shows its value the same way:
/// AUC a plain fraction on every page.
#[derive(Debug, Clone, Default)]
pub struct Shown(BTreeMap<(String, String), String>);

impl Shown {
    /// Learns from every entry of `rounds`; an indicator whose entries disagree keeps each
    /// entry's own unit.
    pub fn learn(rounds: &[SiteRound]) -> Shown {
        let mut seen: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
        for e in rounds.iter().flat_map(|r| &r.entries) {
            for i in &e.sc.indicators {
                let method =
                    e.sc.metrics
                        .get(&i.metric)
                        .and_then(|m| m.ci_method.as_ref());
                if method.is_some() {
                    seen.entry((i.id.clone(), i.unit.clone()))
                        .or_default()
                        .insert(fmt::display_unit(&i.unit, method).to_string());
                }
            }
        }
        Shown(
            seen.into_iter()
                .filter(|(_, units)| units.len() == 1)
                .filter_map(|(k, units)| Some((k, units.into_iter().next()?)))
                .collect(),
        )
    }

    /// The unit `ind` of `sc` is shown in.
    pub fn unit<'a>(&'a self, sc: &Scorecard, ind: &'a IndicatorResult) -> &'a str {
        self.0
            .get(&(ind.id.clone(), ind.unit.clone()))
            .map_or_else(|| shown_unit(sc, &ind.metric, &ind.unit), String::as_str)
    }
}

/// Why `ind` has no value or no interval, from the indicator or its metric.
fn reason<'a>(sc: &'a Scorecard, ind: &'a IndicatorResult) -> Option<&'a str> {
    ind.reason.as_deref().or_else(|| {
        sc.metrics
            .get(&ind.metric)
            .and_then(|m| m.reason.as_deref())
    })
}

/// `measured [95% CI]` in the shown unit `u`, and the note that goes with it: why the value
/// or the interval is withheld, or what the system reported about itself behind it.
fn measured_parts(u: &str, sc: &Scorecard, ind: &IndicatorResult) -> (String, Option<String>) {
    let own = sc
        .metrics
        .get(&ind.metric)
        .and_then(|m| m.self_reported.as_deref())
        .map(|w| format!("(self-reported: {w})"));
    match (ind.measured, ind.ci95, reason(sc, ind)) {
        (None, _, r) => ("not measured".into(), r.map(str::to_string)),
        (Some(_), None, Some(r)) => {
            let r = r.strip_prefix("no interval: ").unwrap_or(r);
            let note = format!("(no interval: {r})");
            (
                fmt::value(ind.measured, u),
                Some(own.map_or(note.clone(), |o| format!("{note} {o}"))),
            )
        }
        (Some(_), ci, _) => (
            format!("{} {}", fmt::value(ind.measured, u), fmt::interval(ci, u))
                .trim()
                .to_string(),
            own,
        ),
    }
}

/// The measurement cell in the shown unit `u`, sorted by the value; its note below it.
pub fn measured(u: &str, sc: &Scorecard, ind: &IndicatorResult) -> Cell {
    let (main, note) = measured_parts(u, sc, ind);
    with_note(&main, note, ind.measured)
}

/// A number cell with a note below it, sorted by `sort`.
pub fn with_note(main: &str, note: Option<String>, sort: Option<f64>) -> Cell {
    let mut html = esc(main);
    if let Some(n) = note {
        html.push_str(&format!("<span class=\"cellnote\">{}</span>", esc(&n)));
    }
    Cell {
        html,
        sort,
        class: "num",
    }
}

/// A verdict, coloured by its status, with why it is not what the shown interval alone would
/// decide when it is not (`Verdict::reason`: a refused region of the coverage table, a rate
/// decided on its Clopper–Pearson interval).
pub fn verdict(v: Option<&Verdict>) -> Cell {
    let class = match v.map(|v| v.status) {
        Some(VerdictStatus::Met) => "met",
        Some(VerdictStatus::NotMet) => "not-met",
        Some(VerdictStatus::Inconclusive) => "inconclusive",
        _ => "",
    };
    let mut cell = Cell::text(&fmt::verdict(v)).class(class);
    if let Some(why) = v.and_then(|v| v.reason.as_deref()) {
        cell.html
            .push_str(&format!("<span class=\"cellnote\">{}</span>", esc(why)));
    }
    cell
}

/// A value in the shown unit `u`.
pub fn value(u: &str, v: Option<f64>) -> Cell {
    Cell::num(&fmt::value(v, u), v)
}

/// Technical failures of the run (crash, timeout, malformed, unknown id, duplicate, missing),
/// apart from wrong answers; sorted by their total.
pub fn failures(sc: &Scorecard) -> Cell {
    let f = &sc.run.queries.failures;
    let parts: Vec<String> = [
        ("crash", f.crash),
        ("timeout", f.timeout),
        ("malformed", f.malformed),
        ("unknown id", f.unknown_id),
        ("duplicate", f.duplicate),
        ("missing", f.missing),
    ]
    .iter()
    .filter(|(_, n)| *n > 0)
    .map(|(w, n)| format!("{w} {n}"))
    .collect();
    let total = f.crash + f.timeout + f.malformed + f.unknown_id + f.duplicate + f.missing;
    Cell::num(
        &if parts.is_empty() {
            "none".into()
        } else {
            parts.join(", ")
        },
        Some(total as f64),
    )
}

/// `answered / issued` queries.
pub fn answered(sc: &Scorecard) -> Cell {
    let q = &sc.run.queries;
    Cell::num(
        &format!("{} / {}", q.answered, q.issued),
        Some(q.answered as f64),
    )
}

/// The class as a badge, with the signer of a certified entry.
pub fn class(c: &EntryClass) -> Cell {
    Cell::html(match c {
        EntryClass::Certified { signer } => format!(
            "<span class=\"badge certified\">认证 certified</span> {}",
            esc(signer)
        ),
        EntryClass::SelfReported => {
            "<span class=\"badge self-reported\">自报 self-reported</span>".into()
        }
    })
}

/// The unit's name linking to its page.
pub fn unit_link(depth: usize, e: &SiteEntry) -> Cell {
    Cell::html(link(depth, &format!("units/{}.html", e.slug), &e.unit))
}

/// A link to the scorecard copy, shown by its short id.
pub fn scorecard_link(depth: usize, path: &str, e: &SiteEntry) -> Cell {
    Cell::html(link(
        depth,
        path,
        &e.id().chars().take(12).collect::<String>(),
    ))
}

/// The system, `adapter:name`, with the mode and scenario of a run that is not an accuracy run.
pub fn system(sc: &Scorecard) -> Cell {
    let p = &sc.pins.sut;
    let mut s = format!("{}:{}", p.adapter, p.name);
    if sc.run.mode != "accuracy" {
        s.push_str(&format!(" ({}", sc.run.mode));
        if let Some(scenario) = &sc.run.scenario {
            s.push_str(&format!(", {scenario}"));
        }
        s.push(')');
    }
    Cell::text(&s)
}

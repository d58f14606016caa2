//! The annual report (`report.html`, `report.md`): per unit and year, the rounds entered, the
//! indicators measured, national and own targets met, and the trend against the unit's
//! previous round (by the share of national targets met).

use super::boards::Ranked;
use super::layout::{Cell, Page, heading, link, note, table};
use super::model::{EntryClass, SiteEntry};
use super::unit::Units;
use crate::escape::markdown as md;
use jiebang_scorecard::VerdictStatus;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// What a unit achieved in one round.
#[derive(Default, Clone)]
struct RoundFigures {
    certified: usize,
    self_reported: usize,
    measured: BTreeSet<String>,
    national_met: usize,
    national: usize,
    own_met: usize,
    own: usize,
}

impl RoundFigures {
    fn add(&mut self, e: &SiteEntry) {
        match e.class {
            EntryClass::Certified { .. } => self.certified += 1,
            EntryClass::SelfReported => {
                // A self-reported result is the unit's own word: it is listed, never counted
                // as a target met.
                self.self_reported += 1;
                return;
            }
        }
        let met = |v: &Option<jiebang_scorecard::Verdict>| {
            v.as_ref().is_some_and(|v| v.status == VerdictStatus::Met)
        };
        for i in &e.sc.indicators {
            if i.measured.is_some() {
                self.measured.insert(i.id.clone());
            }
            if i.national_target.is_some() {
                self.national += 1;
                self.national_met += usize::from(met(&i.verdicts.national));
            }
            if i.declared_target_2020.is_some() {
                self.own += 1;
                self.own_met += usize::from(met(&i.verdicts.own_target));
            }
        }
    }
    fn share(&self) -> Option<f64> {
        (self.national > 0).then(|| self.national_met as f64 / self.national as f64)
    }
    fn merge(&mut self, o: &RoundFigures) {
        self.certified += o.certified;
        self.self_reported += o.self_reported;
        self.measured.extend(o.measured.iter().cloned());
        self.national_met += o.national_met;
        self.national += o.national;
        self.own_met += o.own_met;
        self.own += o.own;
    }
}

/// One line of the report.
pub struct Line {
    slug: String,
    unit: String,
    year: String,
    rounds: Vec<String>,
    figures: RoundFigures,
    trend: &'static str,
}

/// The year a round counts for: its closing date's, else its opening date's, else the entry's
/// start time's.
fn year(r: &Ranked<'_>, e: &SiteEntry) -> String {
    let from = r
        .round
        .closes
        .as_deref()
        .or(r.round.opens.as_deref())
        .unwrap_or(&e.sc.pins.started_at);
    from.chars().take(4).collect()
}

/// The report's lines: units by name order of slug, years ascending.
pub fn lines(units: &Units<'_>) -> Vec<Line> {
    let mut out = Vec::new();
    for (slug, (name, entries)) in units {
        // Per round (in round order): its year and figures.
        let mut rounds: Vec<(String, String, RoundFigures)> = Vec::new();
        for (r, e, _) in entries {
            if rounds.last().is_none_or(|(id, _, _)| id != &r.round.id) {
                rounds.push((r.round.id.clone(), year(r, e), RoundFigures::default()));
            }
            if let Some(last) = rounds.last_mut() {
                last.2.add(e);
            }
        }
        let mut years: BTreeMap<String, Line> = BTreeMap::new();
        for (k, (id, y, f)) in rounds.iter().enumerate() {
            let trend = match (
                k.checked_sub(1).and_then(|j| rounds[j].2.share()),
                f.share(),
            ) {
                (Some(a), Some(b)) if b > a => "up",
                (Some(a), Some(b)) if b < a => "down",
                (Some(_), Some(_)) => "same",
                _ => "—",
            };
            let line = years.entry(y.clone()).or_insert_with(|| Line {
                slug: slug.clone(),
                unit: name.clone(),
                year: y.clone(),
                rounds: Vec::new(),
                figures: RoundFigures::default(),
                trend: "—",
            });
            line.rounds.push(id.clone());
            line.figures.merge(f);
            line.trend = trend;
        }
        out.extend(years.into_values());
    }
    out
}

const HEAD: [&str; 8] = [
    "unit 单位",
    "year 年度",
    "rounds 轮次",
    "entries 成绩",
    "measured 实测指标",
    "national met (certified) 国家指标达标",
    "own met (certified) 自定目标达标",
    "trend 趋势",
];

fn entries_text(f: &RoundFigures) -> String {
    format!(
        "{} certified, {} self-reported",
        f.certified, f.self_reported
    )
}

const ABOUT: &str = "Per unit and year (the year of the round's closing date, else its opening \
date, else of the runs): the rounds entered, the indicators measured, the national and own 2020 \
targets met by certified entries (each shown met by its 95% interval; self-reported entries are \
counted but never as targets met), and the trend of the share of national \
targets met against the unit's previous round (up, down, same; — when there is none).";

/// `report.html`.
pub fn page(lines: &[Line]) -> Page {
    let mut body = String::new();
    body.push_str(&heading(1, "年度报告", "Annual report"));
    body.push_str(&note(ABOUT));
    body.push_str(&format!(
        "<p>{}</p>\n",
        link(0, "report.md", "Markdown 版本 report.md")
    ));
    let rows: Vec<Vec<Cell>> = lines
        .iter()
        .map(|l| {
            let f = &l.figures;
            vec![
                Cell::html(link(0, &format!("units/{}.html", l.slug), &l.unit)),
                Cell::text(&l.year),
                Cell::text(&l.rounds.join(", ")),
                Cell::text(&entries_text(f)),
                Cell::num(&f.measured.len().to_string(), Some(f.measured.len() as f64)),
                Cell::num(
                    &format!("{} of {}", f.national_met, f.national),
                    Some(f.national_met as f64),
                ),
                Cell::num(
                    &format!("{} of {}", f.own_met, f.own),
                    Some(f.own_met as f64),
                ),
                Cell::text(l.trend),
            ]
        })
        .collect();
    body.push_str(&heading(2, "各单位", "Per unit"));
    body.push_str(&table(&HEAD, &rows));
    Page {
        depth: 0,
        title: "年度报告 Annual report".into(),
        body,
    }
}

/// `report.md`.
pub fn markdown(lines: &[Line], site_title: &str, generated: &str) -> String {
    let mut out = format!(
        "# 年度报告 Annual report — {}\n\n{ABOUT}\n\n| {} |\n|{}\n",
        md(site_title),
        HEAD.join(" | "),
        "---|".repeat(HEAD.len())
    );
    for l in lines {
        let f = &l.figures;
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} of {} | {} of {} | {} |",
            md(&l.unit),
            md(&l.year),
            md(&l.rounds.join(", ")),
            entries_text(f),
            f.measured.len(),
            f.national_met,
            f.national,
            f.own_met,
            f.own,
            l.trend
        );
    }
    let _ = writeln!(
        out,
        "\nGenerated {generated} by jiebang {}.",
        env!("CARGO_PKG_VERSION")
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::boards;
    use crate::site::model::{SiteEntry, SiteRound};
    use crate::site::unit::units;
    use jiebang_scorecard::{DeclarationPin, Scorecard};

    fn card(status: VerdictStatus) -> Scorecard {
        let bytes = include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../scorecard/tests/golden/sample.scorecard.json"
        ));
        let mut sc = jiebang_scorecard::verify_bytes("golden", bytes, None)
            .unwrap()
            .scorecard;
        sc.pins.declaration = Some(DeclarationPin {
            unit: "Lab".into(),
            hash: "0".repeat(64),
        });
        if let Some(v) = sc.indicators[0].verdicts.national.as_mut() {
            v.status = status;
        }
        sc
    }

    fn round(id: &str, opens: Option<&str>, closes: Option<&str>, sc: Scorecard) -> SiteRound {
        SiteRound {
            id: id.into(),
            title: id.into(),
            opens: opens.map(Into::into),
            closes: closes.map(Into::into),
            round: None,
            signatures_required: false,
            entries: vec![SiteEntry::new(
                id.into(),
                sc,
                EntryClass::Certified { signer: "A".into() },
            )],
            excluded: vec![],
        }
    }

    #[test]
    fn a_line_per_unit_and_year_with_the_trend_against_the_previous_round() {
        let rounds = [
            round("r3", None, None, card(VerdictStatus::Met)),
            round("r2", Some("2021-03-01"), None, card(VerdictStatus::Met)),
            round(
                "r1",
                Some("2019-12-01"),
                Some("2020-09-30"),
                card(VerdictStatus::NotMet),
            ),
        ];
        let ranked = boards::rank(&rounds);
        let lines = lines(&units(&ranked));
        let got: Vec<(&str, Vec<&str>, usize, &str)> = lines
            .iter()
            .map(|l| {
                (
                    l.year.as_str(),
                    l.rounds.iter().map(String::as_str).collect(),
                    l.figures.national_met,
                    l.trend,
                )
            })
            .collect();
        // r1 counts for its closing year, r2 for its opening year, r3 for its runs' (2026).
        assert_eq!(
            got,
            [
                ("2020", vec!["r1"], 0, "—"),
                ("2021", vec!["r2"], 1, "up"),
                ("2026", vec!["r3"], 1, "same"),
            ]
        );
        let md = markdown(&lines, "Site", "2020-01-01");
        assert!(
            md.contains(
                "| Lab | 2021 | r2 | 1 certified, 0 self-reported | 1 | 1 of 1 | 0 of 1 | up |"
            ),
            "{md}"
        );
    }
}

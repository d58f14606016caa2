//! A round's selection (揭榜): per direction, the declaring units ranked by the round's ranking
//! indicator; the first `selected` are selected, and of those, in rank order, the first
//! `successful` whose every national-target indicator was measured and `met` are successful.

use super::model::{Board, Place, rank_by};
use jiebang_core::round::{Round, RoundDirection};
use jiebang_scorecard::{Better, IndicatorResult, VerdictStatus};
use std::collections::BTreeMap;

/// One declaring unit in a direction of the round.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Candidate {
    /// The unit (from its declaration).
    pub unit: String,
    /// Its systems, `adapter:name`, across the direction's suites.
    pub systems: Vec<String>,
    /// The ranking indicator's measurement.
    pub measured: Option<f64>,
    /// Its 95% interval.
    pub ci95: Option<[f64; 2]>,
    /// The scorecard the measurement comes from.
    pub scorecard: Option<String>,
    /// Set when the measurement rests on what the system reported about itself: what it
    /// reported and the check it passed (the metric's `self_reported`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub self_reported: Option<String>,
    /// Rank by the ranking indicator (`=n` when tied).
    pub rank: String,
    /// National-target indicators met, of those the unit's scorecards carry.
    pub national_met: usize,
    /// National-target indicators the unit's scorecards carry.
    pub national_total: usize,
    /// Among the first `selected`.
    pub selected: bool,
    /// Selected, every national target met, and among the first `successful` such.
    pub successful: bool,
    /// Why not selected or not successful, when that is not plain from the counts.
    pub note: String,
    #[serde(skip)]
    place: Option<Place>,
}

/// A direction's selection.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Selection {
    /// Direction id.
    pub direction: String,
    /// The ranking indicator.
    pub ranking_indicator: String,
    /// Its names, for the page.
    pub ranking_name: String,
    /// Its unit of measure.
    pub unit_of_measure: String,
    /// Cap on selected units.
    pub selected_cap: usize,
    /// Cap on successful units.
    pub successful_cap: usize,
    /// Best first.
    pub candidates: Vec<Candidate>,
    /// Scorecards with no declaration: not candidates.
    pub undeclared: Vec<String>,
}

fn select_direction(rd: &RoundDirection, board: &Board<'_>) -> Selection {
    let mut units: BTreeMap<String, Candidate> = BTreeMap::new();
    // The ranking measurement of each unit: the one with the most samples, then the smallest id.
    let mut ranking: BTreeMap<String, (&IndicatorResult, String, String, Option<String>)> =
        BTreeMap::new();
    let mut undeclared = Vec::new();
    let mut head: Option<&IndicatorResult> = None;
    for s in board.suites.iter().filter(|s| s.direction == rd.id) {
        for e in &s.entries {
            let Some(decl) = &e.sc.pins.declaration else {
                undeclared.push(e.file.clone());
                continue;
            };
            let c = units.entry(decl.unit.clone()).or_insert_with(|| Candidate {
                unit: decl.unit.clone(),
                systems: vec![],
                measured: None,
                ci95: None,
                scorecard: None,
                self_reported: None,
                rank: String::new(),
                national_met: 0,
                national_total: 0,
                selected: false,
                successful: false,
                note: String::new(),
                place: None,
            });
            if !c.systems.contains(&e.system()) {
                c.systems.push(e.system());
            }
            for i in &e.sc.indicators {
                if i.national_target.is_some() {
                    c.national_total += 1;
                    if i.verdicts.national.as_ref().map(|v| v.status) == Some(VerdictStatus::Met) {
                        c.national_met += 1;
                    }
                }
                if i.id == rd.ranking_indicator && i.measured.is_some() {
                    head.get_or_insert(i);
                    let id = e.sc.id.clone().unwrap_or_default();
                    let better_source = match ranking.get(&decl.unit) {
                        None => true,
                        Some((old, old_id, _, _)) => {
                            (i.n, std::cmp::Reverse(&id)) > (old.n, std::cmp::Reverse(old_id))
                        }
                    };
                    if better_source {
                        let own = e.self_reported(i).map(str::to_string);
                        ranking.insert(decl.unit.clone(), (i, id, e.file.clone(), own));
                    }
                }
            }
        }
    }
    let mut candidates: Vec<Candidate> = units
        .into_values()
        .map(|mut c| {
            if let Some((i, _, file, own)) = ranking.get(&c.unit) {
                c.measured = i.measured;
                c.ci95 = i.ci95;
                c.scorecard = Some(file.clone());
                c.self_reported = own.clone();
            } else {
                c.note = format!("{} not measured: not ranked", rd.ranking_indicator);
            }
            c
        })
        .collect();
    let better = head.map_or(Better::Higher, |h| h.better);
    rank_by(
        &mut candidates,
        better,
        |c| (c.measured, c.ci95),
        |c, p| c.place = Some(p),
    );
    let mut successes = 0;
    for (i, c) in candidates.iter_mut().enumerate() {
        c.rank = Place::label(c.place);
        if c.place.is_none() {
            continue;
        }
        c.selected = i < rd.selected;
        if !c.selected {
            c.note = format!("beyond the cap of {} selected", rd.selected);
            continue;
        }
        let all_met = c.national_total > 0 && c.national_met == c.national_total;
        if all_met && successes < rd.successful {
            c.successful = true;
            successes += 1;
        } else if all_met {
            c.note = format!(
                "every national target met, beyond the cap of {} successful",
                rd.successful
            );
        } else {
            c.note = format!(
                "{} of {} national targets shown met",
                c.national_met, c.national_total
            );
        }
    }
    Selection {
        direction: rd.id.clone(),
        ranking_indicator: rd.ranking_indicator.clone(),
        ranking_name: head.map_or_else(String::new, |h| format!("{} {}", h.name_zh, h.name_en)),
        unit_of_measure: head.map_or_else(String::new, |h| h.unit.clone()),
        selected_cap: rd.selected,
        successful_cap: rd.successful,
        candidates,
        undeclared,
    }
}

/// The selection of every direction of `round`.
pub fn select(round: &Round, board: &Board<'_>) -> Vec<Selection> {
    round
        .directions
        .iter()
        .map(|rd| select_direction(rd, board))
        .collect()
}

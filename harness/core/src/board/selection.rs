//! A round's selection (揭榜): per direction, the declaring units ranked by the round's ranking
//! indicator; the first `selected` are selected, and of those, in rank order, the first
//! `successful` whose every national-target indicator was measured and `met` are successful.
//! Values computed under different conventions are never ranked together: only the convention
//! most units were scored under is ranked, the others are listed unranked, saying why.

use super::model::Board;
use super::rank::{Place, rank_by};
use crate::round::{Round, RoundDirection};
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
    #[serde(skip)]
    convention: Option<String>,
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
    type Source<'b> = (
        &'b IndicatorResult,
        String,
        String,
        Option<String>,
        Option<String>,
    );
    let mut ranking: BTreeMap<String, Source<'_>> = BTreeMap::new();
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
                convention: None,
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
                        Some((old, old_id, _, _, _)) => {
                            (i.n, std::cmp::Reverse(&id)) > (old.n, std::cmp::Reverse(old_id))
                        }
                    };
                    if better_source {
                        let own = e.self_reported(i).map(str::to_string);
                        let conv = e.convention(i).map(str::to_string);
                        ranking.insert(decl.unit.clone(), (i, id, e.file.clone(), own, conv));
                    }
                }
            }
        }
    }
    let candidates: Vec<Candidate> = units
        .into_values()
        .map(|mut c| {
            if let Some((i, _, file, own, conv)) = ranking.get(&c.unit) {
                c.measured = i.measured;
                c.ci95 = i.ci95;
                c.scorecard = Some(file.clone());
                c.self_reported = own.clone();
                c.convention = conv.clone();
            } else {
                c.note = format!("{} not measured: not ranked", rd.ranking_indicator);
            }
            c
        })
        .collect();
    let better = head.map_or(Better::Higher, |h| h.better);
    let ranked = ranked_convention(&candidates);
    let (mut candidates, apart): (Vec<Candidate>, Vec<Candidate>) = candidates
        .into_iter()
        .partition(|c| c.measured.is_none() || c.convention == ranked);
    rank_by(
        &mut candidates,
        better,
        |c| (c.measured, c.ci95),
        |c, p| c.place = Some(p),
    );
    for mut c in apart {
        c.note = format!(
            "{} computed under the convention {}, not {} as the ranked units: values under \
             different conventions are not comparable, so not ranked",
            rd.ranking_indicator,
            c.convention.as_deref().unwrap_or("(none stated)"),
            ranked.as_deref().unwrap_or("(none stated)")
        );
        candidates.push(c);
    }
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
    flag_tie_across_cap(&mut candidates, rd.selected);
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

/// The convention most measured candidates were scored under (the first in unit order among
/// equals): the one ranked.
fn ranked_convention(candidates: &[Candidate]) -> Option<String> {
    let mut counts: Vec<(&Option<String>, usize)> = Vec::new();
    for c in candidates.iter().filter(|c| c.measured.is_some()) {
        match counts.iter_mut().find(|(k, _)| *k == &c.convention) {
            Some((_, n)) => *n += 1,
            None => counts.push((&c.convention, 1)),
        }
    }
    let most = counts.iter().map(|(_, n)| *n).max()?;
    counts
        .into_iter()
        .find(|(_, n)| *n == most)
        .and_then(|(k, _)| k.clone())
}

/// When the cap of `cap` selected falls inside a tie (units whose intervals overlap share a
/// place), the data cannot say who is in: every unit of that place is told so, for the
/// organizer to decide (a further test), instead of letting the order within the tie decide.
fn flag_tie_across_cap(candidates: &mut [Candidate], cap: usize) {
    let (Some(last_in), Some(first_out)) = (
        candidates.get(cap.wrapping_sub(1)).and_then(|c| c.place),
        candidates.get(cap).and_then(|c| c.place),
    ) else {
        return;
    };
    if last_in.place != first_out.place {
        return;
    }
    for c in candidates
        .iter_mut()
        .filter(|c| c.place.is_some_and(|p| p.place == last_in.place))
    {
        let tie = format!(
            "tied at place {} across the cap of {cap} selected: the intervals cannot order \
             these units, so the organizer decides (e.g. by a further test)",
            last_in.place
        );
        c.note = if c.note.is_empty() {
            tie
        } else {
            format!("{}; {tie}", c.note)
        };
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

#[cfg(test)]
mod tests {
    use super::*;
    use jiebang_scorecard::{DeclarationPin, Scorecard};

    /// A scorecard of `unit` whose detection rate is `v` ± 0.001 over `n` samples, its national
    /// target met or not.
    fn card(unit: Option<&str>, v: Option<f64>, n: u64, met: bool, id: &str) -> Scorecard {
        let mut sc = crate::board::tests_support::sample();
        sc.pins.declaration = unit.map(|u| DeclarationPin {
            unit: u.into(),
            hash: "0".repeat(64),
        });
        let i = &mut sc.indicators[0];
        i.measured = v;
        i.ci95 = v.map(|v| [v - 0.001, v + 0.001]);
        i.n = n;
        if let Some(nat) = i.verdicts.national.as_mut() {
            nat.status = if met {
                VerdictStatus::Met
            } else {
                VerdictStatus::NotMet
            };
        }
        sc.id = Some(id.into());
        sc
    }

    fn direction(selected: usize, successful: usize) -> RoundDirection {
        RoundDirection {
            id: "medical-imaging".into(),
            ranking_indicator: "imaging.detection_rate".into(),
            selected,
            successful,
            suites: Vec::new(),
        }
    }

    fn pick(cards: &[Scorecard], rd: &RoundDirection) -> Selection {
        let named: Vec<(String, &Scorecard)> = cards
            .iter()
            .map(|sc| (format!("{}.scorecard.json", sc.id.as_deref().unwrap()), sc))
            .collect();
        select_direction(rd, &Board::build(&named, &[]))
    }

    #[test]
    fn units_scored_under_another_convention_are_not_ranked_with_the_others() {
        let conv = |mut sc: Scorecard, c: &str| {
            let m = sc.indicators[0].metric.clone();
            sc.metrics.get_mut(&m).unwrap().convention = Some(c.into());
            sc
        };
        let cards = vec![
            conv(
                card(Some("A"), Some(0.90), 100, true, "A"),
                "split:ascii-space",
            ),
            conv(
                card(Some("B"), Some(0.99), 100, true, "B"),
                "split:unicode-whitespace",
            ),
            conv(
                card(Some("C"), Some(0.80), 100, true, "C"),
                "split:ascii-space",
            ),
        ];
        let s = pick(&cards, &direction(5, 3));
        let got: Vec<(&str, &str, bool)> = s
            .candidates
            .iter()
            .map(|c| (c.unit.as_str(), c.rank.as_str(), c.selected))
            .collect();
        assert_eq!(got, [("A", "1", true), ("C", "2", true), ("B", "—", false)]);
        let note = &s.candidates[2].note;
        assert!(
            note.contains("split:unicode-whitespace")
                && note.contains("not split:ascii-space")
                && note.contains("not ranked"),
            "{note}"
        );
    }

    #[test]
    fn a_tie_across_the_cap_is_named_for_the_organizer() {
        // Six units tied at one value: the cap of 5 falls inside the tie.
        let cards: Vec<Scorecard> = (0..6)
            .map(|k| {
                card(
                    Some(&format!("T{k}")),
                    Some(0.95),
                    100,
                    true,
                    &format!("T{k}"),
                )
            })
            .collect();
        let s = pick(&cards, &direction(5, 3));
        assert_eq!(s.candidates.iter().filter(|c| c.selected).count(), 5);
        for c in &s.candidates {
            assert!(
                c.note.contains("across the cap of 5 selected"),
                "{}",
                c.note
            );
        }
        // Distinct values: no tie at the cap, no such note.
        let cards: Vec<Scorecard> = (0..6)
            .map(|k| {
                let u = format!("D{k}");
                card(Some(&u), Some(0.99 - 0.01 * k as f64), 100, true, &u)
            })
            .collect();
        let s = pick(&cards, &direction(5, 3));
        assert!(
            s.candidates
                .iter()
                .all(|c| !c.note.contains("across the cap"))
        );
    }

    #[test]
    fn top_five_are_selected_and_the_first_three_with_every_target_met_succeed() {
        // Seven units, best first: U0 .. U6; U1 misses its national target.
        let cards: Vec<Scorecard> = (0..7)
            .map(|k| {
                let unit = format!("U{k}");
                card(
                    Some(&unit),
                    Some(0.99 - 0.01 * k as f64),
                    100,
                    k != 1,
                    &unit,
                )
            })
            .collect();
        let s = pick(&cards, &direction(5, 3));
        let got: Vec<(&str, &str, bool, bool)> = s
            .candidates
            .iter()
            .map(|c| (c.unit.as_str(), c.rank.as_str(), c.selected, c.successful))
            .collect();
        assert_eq!(
            got,
            [
                ("U0", "1", true, true),
                ("U1", "2", true, false),
                ("U2", "3", true, true),
                ("U3", "4", true, true),
                ("U4", "5", true, false),
                ("U5", "6", false, false),
                ("U6", "7", false, false),
            ]
        );
        assert_eq!(s.candidates[1].note, "0 of 1 national targets shown met");
        assert_eq!(
            s.candidates[4].note,
            "every national target met, beyond the cap of 3 successful"
        );
        assert_eq!(s.candidates[5].note, "beyond the cap of 5 selected");
        assert_eq!((s.selected_cap, s.successful_cap), (5, 3));
        assert_eq!(s.unit_of_measure, "ratio");
    }

    #[test]
    fn undeclared_cards_are_not_candidates_and_unmeasured_units_are_not_ranked() {
        let cards = [
            card(None, Some(0.99), 100, true, "anon"),
            card(Some("Lab"), None, 0, false, "lab"),
            card(Some("Top"), Some(0.9), 100, true, "top"),
        ];
        let s = pick(&cards, &direction(1, 1));
        assert_eq!(s.undeclared, ["anon.scorecard.json"]);
        let units: Vec<&str> = s.candidates.iter().map(|c| c.unit.as_str()).collect();
        assert_eq!(units, ["Top", "Lab"]);
        assert!(s.candidates[0].selected && s.candidates[0].successful);
        let lab = &s.candidates[1];
        assert_eq!((lab.rank.as_str(), lab.selected), ("—", false));
        assert_eq!(lab.note, "imaging.detection_rate not measured: not ranked");
    }

    #[test]
    fn a_unit_is_ranked_by_its_largest_measurement_then_smallest_id() {
        let cards = [
            card(Some("Lab"), Some(0.5), 40, true, "b"),
            card(Some("Lab"), Some(0.7), 80, true, "c"),
            card(Some("Lab"), Some(0.9), 80, true, "d"),
        ];
        let s = pick(&cards, &direction(5, 3));
        assert_eq!(s.candidates.len(), 1);
        let c = &s.candidates[0];
        assert_eq!(
            (c.measured, c.scorecard.as_deref()),
            (Some(0.7), Some("c.scorecard.json"))
        );
        // Counted over every scorecard of the unit.
        assert_eq!((c.national_met, c.national_total), (3, 3));
    }
}

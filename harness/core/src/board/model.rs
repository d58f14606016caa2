//! The leaderboard's shape: suites (by id, version and hash), each with its entries' standings
//! and one ranked table per indicator and scoring convention (values computed under different
//! conventions are never ranked together); ranks tie when 95% intervals overlap the leader's.

use super::rank::{Place, rank_by};
use jiebang_scorecard::{Better, IndicatorResult, Scorecard, VerdictStatus};
use std::collections::BTreeMap;

/// A scorecard left off the board, and why.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Excluded {
    /// The file.
    pub file: String,
    /// Why.
    pub reason: String,
}

/// One scorecard on the board.
pub struct Entry<'a> {
    /// Its file name.
    pub file: String,
    /// The scorecard.
    pub sc: &'a Scorecard,
}

impl<'a> Entry<'a> {
    /// The convention (the metric's signature) `ind`'s value was computed under, if stated.
    pub fn convention(&self, ind: &IndicatorResult) -> Option<&'a str> {
        self.sc
            .metrics
            .get(&ind.metric)
            .and_then(|m| m.convention.as_deref())
    }
    /// The declaring unit, or a dash when the run had no declaration.
    pub fn unit(&self) -> String {
        self.sc
            .pins
            .declaration
            .as_ref()
            .map_or_else(|| "—".to_string(), |d| d.unit.clone())
    }
    /// `adapter:name` of the system.
    pub fn system(&self) -> String {
        format!("{}:{}", self.sc.pins.sut.adapter, self.sc.pins.sut.name)
    }
    /// What the system reported about itself behind `ind`'s measurement (the metric's
    /// `self_reported` note), when the value is not wholly harness-observed.
    pub fn self_reported(&self, ind: &IndicatorResult) -> Option<&str> {
        self.sc
            .metrics
            .get(&ind.metric)
            .and_then(|m| m.self_reported.as_deref())
    }
    /// The first 12 hex digits of the scorecard id.
    pub fn short_id(&self) -> String {
        self.sc
            .id
            .as_deref()
            .unwrap_or("")
            .chars()
            .take(12)
            .collect()
    }
}

/// One entry's line in an indicator table.
pub struct Row<'a> {
    /// Index into the suite's entries.
    pub entry: usize,
    /// The indicator result.
    pub ind: &'a IndicatorResult,
    /// `None` when not measured.
    pub place: Option<Place>,
}

/// One indicator across those of a suite's entries scored under one convention, best first.
pub struct IndicatorTable<'a> {
    /// The first entry's result, for names, unit and national target.
    pub head: &'a IndicatorResult,
    /// The convention every row's value was computed under (`None`: none stated).
    pub convention: Option<String>,
    /// This table's position among the indicator's tables (0 for the first convention seen).
    pub part: usize,
    /// How many tables the indicator has in this suite: more than one when its values were
    /// computed under different conventions, each ranked only within its own table.
    pub parts: usize,
    /// Ranked rows, unmeasured last.
    pub rows: Vec<Row<'a>>,
}

/// How one entry fares against the national targets and its own declaration.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Standing {
    /// Index into the suite's entries.
    #[serde(skip)]
    pub entry: usize,
    /// National targets met.
    pub met: usize,
    /// National targets neither shown met nor shown missed.
    pub inconclusive: usize,
    /// National targets shown missed.
    pub not_met: usize,
    /// Indicators with a national target that were not measured.
    pub not_measured: usize,
    /// Own 2020 targets met, of those declared.
    pub own_met: usize,
    /// Own 2020 targets declared.
    pub own_declared: usize,
    /// Declared current levels the measurement supports, of those declared.
    pub current_supported: usize,
    /// Declared current levels.
    pub current_declared: usize,
    /// Place among the suite's entries.
    #[serde(skip)]
    pub place: Option<Place>,
}

/// One suite's part of the board.
pub struct SuiteBoard<'a> {
    /// `direction/name@version`.
    pub suite: String,
    /// The suite spec's hash: entries run under another hash get their own table.
    pub hash: String,
    /// Direction id.
    pub direction: String,
    /// The scorecards.
    pub entries: Vec<Entry<'a>>,
    /// Best first.
    pub standings: Vec<Standing>,
    /// In the order the indicators first appear.
    pub indicators: Vec<IndicatorTable<'a>>,
}

/// The whole board.
pub struct Board<'a> {
    /// By direction, then suite.
    pub suites: Vec<SuiteBoard<'a>>,
    /// Left out, with reasons.
    pub excluded: Vec<Excluded>,
}

fn rank(rows: &mut [Row<'_>], better: Better) {
    rank_by(
        rows,
        better,
        |r| (r.ind.measured, r.ind.ci95),
        |r, p| r.place = Some(p),
    );
}

fn standing(entry: usize, sc: &Scorecard) -> Standing {
    let mut s = Standing {
        entry,
        ..Default::default()
    };
    for i in &sc.indicators {
        if i.national_target.is_some() {
            match i.verdicts.national.as_ref().map(|v| v.status) {
                Some(VerdictStatus::Met) => s.met += 1,
                Some(VerdictStatus::NotMet) => s.not_met += 1,
                Some(VerdictStatus::Inconclusive) => s.inconclusive += 1,
                _ => s.not_measured += 1,
            }
        }
        if i.declared_target_2020.is_some() {
            s.own_declared += 1;
            if i.verdicts.own_target.as_ref().map(|v| v.status) == Some(VerdictStatus::Met) {
                s.own_met += 1;
            }
        }
        if i.declared_current.is_some() {
            s.current_declared += 1;
            let st = i.verdicts.declared_current.as_ref().map(|v| v.status);
            if st == Some(VerdictStatus::Met) {
                s.current_supported += 1;
            }
        }
    }
    s
}

fn order_standings(standings: &mut [Standing]) {
    let key = |s: &Standing| (s.met, usize::MAX - s.not_met, s.inconclusive, s.own_met);
    standings.sort_by_key(|s| std::cmp::Reverse(key(s)));
    for i in 0..standings.len() {
        let tied = i > 0 && key(&standings[i]) == key(&standings[i - 1]);
        let place = if tied {
            standings[i - 1].place.map_or(i + 1, |p| p.place)
        } else {
            i + 1
        };
        standings[i].place = Some(Place { place, tied });
    }
}

impl<'a> Board<'a> {
    /// Groups `cards` by suite (id, version, hash) and ranks them.
    pub fn build(cards: &[(String, &'a Scorecard)], excluded: &[Excluded]) -> Board<'a> {
        let mut groups: BTreeMap<(String, String, String), Vec<Entry<'a>>> = BTreeMap::new();
        for (file, sc) in cards {
            let p = &sc.pins;
            let key = (
                p.task.direction.clone(),
                format!("{}@{}", p.suite.id, p.suite.version),
                p.suite.hash.clone(),
            );
            groups.entry(key).or_default().push(Entry {
                file: file.clone(),
                sc,
            });
        }
        let suites = groups
            .into_iter()
            .map(|((direction, suite, hash), entries)| {
                // Per indicator (in order of first appearance), one group of rows per
                // convention (in order of first appearance).
                type Groups<'b> = Vec<(Option<String>, Vec<Row<'b>>)>;
                let mut order: Vec<String> = Vec::new();
                let mut by_id: BTreeMap<String, Groups<'a>> = BTreeMap::new();
                for (e, entry) in entries.iter().enumerate() {
                    for ind in &entry.sc.indicators {
                        if !by_id.contains_key(&ind.id) {
                            order.push(ind.id.clone());
                        }
                        let convention = entry.convention(ind).map(str::to_string);
                        let groups = by_id.entry(ind.id.clone()).or_default();
                        let row = Row {
                            entry: e,
                            ind,
                            place: None,
                        };
                        match groups.iter_mut().find(|(c, _)| *c == convention) {
                            Some((_, rows)) => rows.push(row),
                            None => groups.push((convention, vec![row])),
                        }
                    }
                }
                let indicators = order
                    .into_iter()
                    .flat_map(|id| {
                        let groups = by_id.remove(&id).unwrap_or_default();
                        let parts = groups.len();
                        groups.into_iter().enumerate().filter_map(
                            move |(part, (convention, mut rows))| {
                                let head = rows.first()?.ind;
                                rank(&mut rows, head.better);
                                Some(IndicatorTable {
                                    head,
                                    convention,
                                    part,
                                    parts,
                                    rows,
                                })
                            },
                        )
                    })
                    .collect();
                let mut standings: Vec<Standing> = entries
                    .iter()
                    .enumerate()
                    .map(|(i, e)| standing(i, e.sc))
                    .collect();
                order_standings(&mut standings);
                SuiteBoard {
                    suite,
                    hash,
                    direction,
                    entries,
                    standings,
                    indicators,
                }
            })
            .collect();
        Board {
            suites,
            excluded: excluded.to_vec(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ind(measured: Option<f64>, ci: Option<[f64; 2]>) -> IndicatorResult {
        let mut sc = crate::board::tests_support::sample();
        let mut i = sc.indicators.remove(0);
        i.measured = measured;
        i.ci95 = ci;
        i
    }

    #[test]
    fn ranks_best_first_and_ties_overlapping_intervals() {
        let a = ind(Some(0.98), Some([0.95, 0.99]));
        let b = ind(Some(0.97), Some([0.94, 0.985]));
        let c = ind(Some(0.80), Some([0.75, 0.85]));
        let d = ind(None, None);
        let mut rows: Vec<Row<'_>> = [&c, &d, &a, &b]
            .iter()
            .enumerate()
            .map(|(entry, ind)| Row {
                entry,
                ind,
                place: None,
            })
            .collect();
        rank(&mut rows, Better::Higher);
        let got: Vec<(Option<f64>, Option<Place>)> =
            rows.iter().map(|r| (r.ind.measured, r.place)).collect();
        assert_eq!(
            got,
            vec![
                (
                    Some(0.98),
                    Some(Place {
                        place: 1,
                        tied: false
                    })
                ),
                (
                    Some(0.97),
                    Some(Place {
                        place: 1,
                        tied: true
                    })
                ),
                (
                    Some(0.80),
                    Some(Place {
                        place: 3,
                        tied: false
                    })
                ),
                (None, None),
            ]
        );
        // Lower is better: the order flips, ties stay ties.
        rank(&mut rows, Better::Lower);
        assert_eq!(rows[0].ind.measured, Some(0.80));
        assert_eq!(
            rows[2].place,
            Some(Place {
                place: 2,
                tied: true
            })
        );
    }

    fn card(unit: Option<&str>, suite_hash: &str, status: VerdictStatus, id: &str) -> Scorecard {
        let mut sc = crate::board::tests_support::sample();
        sc.pins.declaration = unit.map(|u| jiebang_scorecard::DeclarationPin {
            unit: u.into(),
            hash: "0".repeat(64),
        });
        sc.pins.suite.hash = suite_hash.into();
        if let Some(v) = sc.indicators[0].verdicts.national.as_mut() {
            v.status = status;
        }
        sc.id = Some(id.into());
        sc
    }

    #[test]
    fn groups_by_suite_hash_and_orders_standings_by_targets_met() {
        let met = card(Some("A"), "h1", VerdictStatus::Met, "a");
        let open = card(Some("B"), "h1", VerdictStatus::Inconclusive, "b");
        let missed = card(None, "h1", VerdictStatus::NotMet, "c");
        let edited = card(Some("D"), "h2", VerdictStatus::Met, "d");
        let cards: Vec<(String, &Scorecard)> = [&missed, &open, &met, &edited]
            .iter()
            .enumerate()
            .map(|(i, sc)| (format!("{i}.scorecard.json"), *sc))
            .collect();
        let left = Excluded {
            file: "x".into(),
            reason: "shard".into(),
        };
        let board = Board::build(&cards, std::slice::from_ref(&left));
        // Another suite hash is another table, even for the same suite id and version.
        assert_eq!(board.suites.len(), 2);
        let s = &board.suites[0];
        assert_eq!((s.hash.as_str(), s.entries.len()), ("h1", 3));
        let order: Vec<(String, String)> = s
            .standings
            .iter()
            .map(|st| (s.entries[st.entry].unit(), Place::label(st.place)))
            .collect();
        assert_eq!(
            order,
            [
                ("A".to_string(), "1".to_string()),
                ("B".into(), "2".into()),
                ("—".into(), "3".into())
            ]
        );
        let first = &s.standings[0];
        assert_eq!(
            (first.met, first.own_declared, first.current_declared),
            (1, 1, 1)
        );
        assert_eq!(board.excluded.len(), 1);
        // The indicator table ranks all three: equal intervals tie.
        let t = &s.indicators[0];
        let labels: Vec<String> = t.rows.iter().map(|r| Place::label(r.place)).collect();
        assert_eq!(labels, ["1", "=1", "=1"]);
    }

    #[test]
    fn values_under_different_conventions_get_separate_tables() {
        let with = |id: &str, measured: f64, conv: &str| {
            let mut sc = card(Some(id), "h1", VerdictStatus::Met, id);
            sc.indicators[0].measured = Some(measured);
            sc.indicators[0].ci95 = None;
            let metric = sc.indicators[0].metric.clone();
            sc.metrics.get_mut(&metric).unwrap().convention = Some(conv.into());
            sc
        };
        let (a, b, c) = (
            with("a", 0.9, "tok:word|split:ascii-space"),
            with("b", 0.95, "tok:word|split:unicode-whitespace"),
            with("c", 0.8, "tok:word|split:ascii-space"),
        );
        let cards: Vec<(String, &Scorecard)> = [&a, &b, &c]
            .iter()
            .map(|sc| (format!("{}.json", sc.id.as_deref().unwrap()), *sc))
            .collect();
        let board = Board::build(&cards, &[]);
        let s = &board.suites[0];
        let id = &a.indicators[0].id;
        let tables: Vec<_> = s.indicators.iter().filter(|t| &t.head.id == id).collect();
        assert_eq!(tables.len(), 2);
        let shape: Vec<(Option<&str>, usize, usize, Vec<String>)> = tables
            .iter()
            .map(|t| {
                (
                    t.convention.as_deref(),
                    t.part,
                    t.parts,
                    t.rows
                        .iter()
                        .map(|r| format!("{}:{}", s.entries[r.entry].unit(), Place::label(r.place)))
                        .collect(),
                )
            })
            .collect();
        assert_eq!(
            shape,
            [
                (
                    Some("tok:word|split:ascii-space"),
                    0,
                    2,
                    vec!["a:1".to_string(), "c:2".into()]
                ),
                (
                    Some("tok:word|split:unicode-whitespace"),
                    1,
                    2,
                    vec!["b:1".to_string()]
                ),
            ]
        );
    }
}

//! Each round of the site ranked: its certified and its self-reported entries on two separate
//! boards (never ranked together), the round's selection from the certified board only, and
//! where every entry's scorecard copy lives on the site.

use super::cells::Shown;
use super::model::{EntryClass, SiteEntry, SiteRound, file_id};
use jiebang_core::board::{Board, Selection, select};
use std::collections::BTreeMap;

/// One round, ranked.
pub struct Ranked<'a> {
    /// The round.
    pub round: &'a SiteRound,
    /// `file_id(round.id)`: the round's name in file names.
    pub file: String,
    /// Certified entries only.
    pub certified: Board<'a>,
    /// Self-reported entries only.
    pub self_reported: Board<'a>,
    /// With a round file: each direction's selection, from certified entries only.
    pub selection: Vec<Selection>,
    /// The unit each indicator is shown in, site-wide.
    pub shown: Shown,
    /// The round's entries in site order (class, unit slug, stem, id), each with the site path
    /// of its scorecard copy.
    pub entries: Vec<(&'a SiteEntry, String)>,
}

impl<'a> Ranked<'a> {
    /// The entry whose copy is at `path`.
    pub fn entry(&self, path: &str) -> Option<&'a SiteEntry> {
        self.entries
            .iter()
            .find(|(_, p)| p == path)
            .map(|(e, _)| *e)
    }
    /// The directions of the round: those of its file, then any its entries ran, sorted.
    pub fn directions(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .round
            .round
            .iter()
            .flat_map(|r| r.directions.iter().map(|d| d.id.clone()))
            .chain(
                self.entries
                    .iter()
                    .map(|(e, _)| e.sc.pins.task.direction.clone()),
            )
            .collect();
        out.sort();
        out.dedup();
        out
    }
    /// The board of `class`.
    pub fn board(&self, certified: bool) -> &Board<'a> {
        if certified {
            &self.certified
        } else {
            &self.self_reported
        }
    }
}

/// The entries of `round` in site order, each with its copy's site path
/// (`scorecards/<round>/<slug>/<stem>.scorecard.json`; the stem gains the first 12 digits of the
/// id when a unit has two scorecards of one stem).
fn placed<'a>(round: &'a SiteRound, file: &str) -> Vec<(&'a SiteEntry, String)> {
    let mut sorted: Vec<&SiteEntry> = round.entries.iter().collect();
    sorted.sort_by(|a, b| {
        (&a.class, &a.slug, a.stem(), a.id()).cmp(&(&b.class, &b.slug, b.stem(), b.id()))
    });
    let mut stems: BTreeMap<(String, String), usize> = BTreeMap::new();
    for e in &sorted {
        *stems.entry((e.slug.clone(), e.stem())).or_default() += 1;
    }
    sorted
        .into_iter()
        .map(|e| {
            let stem = e.stem();
            let name = if stems[&(e.slug.clone(), stem.clone())] > 1 {
                format!("{stem}.{}", e.id().chars().take(12).collect::<String>())
            } else {
                stem
            };
            (
                e,
                format!("scorecards/{file}/{}/{name}.scorecard.json", e.slug),
            )
        })
        .collect()
}

/// Ranks every round; rounds in id order.
pub fn rank(rounds: &[SiteRound]) -> Vec<Ranked<'_>> {
    let shown = Shown::learn(rounds);
    let mut sorted: Vec<&SiteRound> = rounds.iter().collect();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    sorted
        .into_iter()
        .map(|round| {
            let file = file_id(&round.id);
            let entries = placed(round, &file);
            let cards = |certified: bool| -> Vec<(String, &jiebang_scorecard::Scorecard)> {
                entries
                    .iter()
                    .filter(|(e, _)| matches!(e.class, EntryClass::Certified { .. }) == certified)
                    .map(|(e, p)| (p.clone(), &e.sc))
                    .collect()
            };
            let mut excluded = round.excluded.clone();
            excluded.sort_by(|a, b| (&a.file, &a.reason).cmp(&(&b.file, &b.reason)));
            let certified = Board::build(&cards(true), &excluded);
            let self_reported = Board::build(&cards(false), &[]);
            let selection = round
                .round
                .as_ref()
                .map(|r| select(r, &certified))
                .unwrap_or_default();
            Ranked {
                round,
                file,
                certified,
                self_reported,
                selection,
                shown: shown.clone(),
                entries,
            }
        })
        .collect()
}

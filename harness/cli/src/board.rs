//! The demo's site: its demo rounds, and every suite's run with its built-in system published
//! as one more round of self-reported entries ([`crate::site::publish`]), plus the overview chart.

use crate::site::{self, EntryClass, SiteEntry, SiteRound};
use anyhow::Result;
use jiebang_scorecard::Scorecard;
use std::path::{Path, PathBuf};

/// The demo's site in `dir`: `rounds`, and `cards` (file name, scorecard) as a round of their
/// own with nothing excluded; true when the overview chart (`indicators.svg`/`.png`) of the
/// cards was drawn.
pub fn write(cards: &[(String, &Scorecard)], rounds: Vec<SiteRound>, dir: &Path) -> Result<bool> {
    let entries = cards
        .iter()
        .map(|(name, sc)| {
            SiteEntry::new(PathBuf::from(name), (*sc).clone(), EntryClass::SelfReported)
        })
        .collect();
    let runs = SiteRound {
        id: "demo-runs".into(),
        title: "Every suite with its built-in system, against the sample declarations".into(),
        opens: None,
        closes: None,
        round: None,
        signatures_required: false,
        entries,
        excluded: Vec::new(),
    };
    let mut all = rounds;
    all.push(runs);
    site::publish(
        &all,
        &site::Options {
            out: dir.to_path_buf(),
            title: "jiebang demo leaderboard".into(),
            generated: site::generated_date()?,
        },
    )?;
    let cards_only: Vec<&Scorecard> = cards.iter().map(|(_, s)| *s).collect();
    crate::chart::indicators(&cards_only, dir, "indicators")
}

//! The demo's leaderboard until the demo builds a round of its own: its scorecards published
//! as one round of self-reported entries ([`crate::site::publish`]) plus the overview chart.

use crate::site::{self, EntryClass, SiteEntry, SiteRound};
use anyhow::Result;
use jiebang_scorecard::Scorecard;
use std::path::{Path, PathBuf};

/// The demo's site in `dir` for `cards` (file name, scorecard): nothing excluded, no round;
/// true when the overview chart (`indicators.svg`/`.png`) was drawn.
pub fn write(cards: &[(String, &Scorecard)], dir: &Path) -> Result<bool> {
    let entries = cards
        .iter()
        .map(|(name, sc)| {
            SiteEntry::new(PathBuf::from(name), (*sc).clone(), EntryClass::SelfReported)
        })
        .collect();
    let round = SiteRound {
        id: "demo".into(),
        title: "jiebang demo leaderboard".into(),
        opens: None,
        closes: None,
        round: None,
        signatures_required: false,
        entries,
        excluded: Vec::new(),
    };
    site::publish(
        &[round],
        &site::Options {
            out: dir.to_path_buf(),
            title: "jiebang demo leaderboard".into(),
            generated: site::generated_date()?,
        },
    )?;
    let cards_only: Vec<&Scorecard> = cards.iter().map(|(_, s)| *s).collect();
    crate::chart::indicators(&cards_only, dir, "indicators")
}

//! The leaderboard reports that `board`'s exporters take — one ranked board with a round's
//! selection, or every round of a site — and the cells its data formats share.

use jiebang_core::board::{Board, Place, Selection};
use jiebang_core::round::Round;

/// A leaderboard to publish.
pub struct BoardReport<'a> {
    /// The ranked board.
    pub board: &'a Board<'a>,
    /// With a round: each direction's selection.
    pub selection: &'a [Selection],
    /// The round, if any.
    pub round: Option<&'a Round>,
    /// The page title.
    pub title: &'a str,
}

/// A rank for data files: empty, not a dash, when there is none.
pub fn rank_cell(p: Option<Place>) -> String {
    p.map_or_else(String::new, |p| Place::label(Some(p)))
}

/// One round of a published site, its two boards kept apart.
pub struct RoundReport<'a> {
    /// Round id.
    pub id: &'a str,
    /// Title.
    pub title: &'a str,
    /// Opening and closing dates, when given.
    pub opens: Option<&'a str>,
    /// Closing date.
    pub closes: Option<&'a str>,
    /// The round file, if any.
    pub round: Option<&'a Round>,
    /// Each direction's selection (certified entries only).
    pub selection: &'a [Selection],
    /// Entries signed by a trusted key.
    pub certified: &'a Board<'a>,
    /// Entries that are not.
    pub self_reported: &'a Board<'a>,
}

impl RoundReport<'_> {
    /// The two boards with their class word: `certified`, `self-reported`.
    pub fn boards(&self) -> [(&'static str, &Board<'_>); 2] {
        [
            ("certified", self.certified),
            ("self-reported", self.self_reported),
        ]
    }
}

/// Every round of a site, for the data files (CSV, JSON, Markdown) beside its pages.
pub struct SiteReport<'a> {
    /// The site's title.
    pub title: &'a str,
    /// Rounds in id order.
    pub rounds: Vec<RoundReport<'a>>,
}

/// Every round's selection of a site (`selection.csv`).
pub struct Selections<'a>(pub &'a SiteReport<'a>);

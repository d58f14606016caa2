//! The leaderboard report that `board`'s exporters take — the ranked board, a round's
//! selection, the page title and chart — and the cells its data formats share.

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
    /// The file name of the chart image beside the page, when one was drawn.
    pub chart: Option<&'a str>,
}

/// A rank for data files: empty, not a dash, when there is none.
pub fn rank_cell(p: Option<Place>) -> String {
    p.map_or_else(String::new, |p| Place::label(Some(p)))
}

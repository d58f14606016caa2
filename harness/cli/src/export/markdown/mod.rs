//! Markdown: a scorecard's report (`show --format markdown`), a comparison (`compare`'s default
//! format) and the leaderboard page (`leaderboard.md`, which `index.html` renders). Every text
//! from a file is escaped ([`crate::escape::markdown`]).

mod board;
mod comparison;
mod scorecard;

use super::{BoardReport, Exporter, Markdown};
use anyhow::Result;
use jiebang_core::compare::Comparison;
use jiebang_scorecard::Scorecard;

impl Exporter<Scorecard> for Markdown {
    fn export(&self, sc: &Scorecard) -> Result<String> {
        Ok(scorecard::render(sc))
    }
}

impl Exporter<Comparison> for Markdown {
    fn export(&self, c: &Comparison) -> Result<String> {
        Ok(comparison::render(c))
    }
}

impl Exporter<BoardReport<'_>> for Markdown {
    fn export(&self, r: &BoardReport<'_>) -> Result<String> {
        Ok(board::render(r.board, r.selection, r.title))
    }
}

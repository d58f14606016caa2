//! Markdown: a scorecard's report (`show --format markdown`), a comparison (`compare`'s default
//! format) and the leaderboard page (`leaderboard.md`, which `index.html` renders). Every text
//! from a file is escaped ([`crate::escape::markdown`]).

mod board;
mod comparison;
mod scorecard;

use super::{BoardReport, Exporter, Markdown, SiteReport};
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
        Ok(board::render(r.board, r.selection, r.title, false))
    }
}

impl Exporter<SiteReport<'_>> for Markdown {
    /// Per round, the certified board (with the selection), then the self-reported board.
    fn export(&self, site: &SiteReport<'_>) -> Result<String> {
        let mut out = String::new();
        for r in &site.rounds {
            let title = if site.rounds.len() == 1 && r.title == site.title {
                r.title.to_string()
            } else {
                format!("{} — {}", site.title, r.title)
            };
            out.push_str(&board::render(
                r.certified,
                r.selection,
                &format!("{title} — 认证结果 Certified results"),
                true,
            ));
            if !r.self_reported.suites.is_empty() {
                out.push('\n');
                out.push_str(&board::render(
                    r.self_reported,
                    &[],
                    &format!(
                        "{title} — 自报结果 Self-reported results (not ranked with certified)"
                    ),
                    false,
                ));
            }
        }
        Ok(out)
    }
}

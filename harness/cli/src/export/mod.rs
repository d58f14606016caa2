//! Output formats, one module per format (terminal text, Markdown, CSV, JSON, JUnit XML),
//! each writing the reports it supports — a scorecard, a comparison, a leaderboard — through
//! one trait (the site's HTML pages are `crate::site`'s). Every text a unit, a SUT or a file wrote is escaped for the format
//! ([`crate::escape`]). `show`, `compare` and `board` only pick a format and say where it goes.

mod board;
mod comparison;
mod csv;
mod json;
mod junit;
mod markdown;
mod scorecard;
mod text;

pub use board::{BoardReport, RoundReport, Selections, SiteReport};
pub use comparison::summary;
pub use scorecard::shown_unit;

use anyhow::Result;

/// Writes reports of kind `R` in one format: the whole file, or the whole output of a command.
pub trait Exporter<R: ?Sized> {
    /// `report` in this format.
    fn export(&self, report: &R) -> Result<String>;
}

/// Aligned plain text for a terminal: a scorecard (`show`), a leaderboard's standings and
/// selection (`board`'s own output).
pub struct Text;
/// Markdown: a scorecard, a comparison, a leaderboard page.
pub struct Markdown;
/// CSV for spreadsheets: a leaderboard's rows, a round's selection.
pub struct Csv;
/// JSON for tools: a scorecard (or several), a comparison, a leaderboard.
pub struct Json;
/// JUnit XML for CI test reporters: a comparison.
pub struct Junit;

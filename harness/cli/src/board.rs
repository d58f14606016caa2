//! Publishing a leaderboard: ranks verified scorecards (`jiebang_core::board`) and writes each
//! file of the site through its exporter, with the chart, into one folder.

use crate::export::{BoardReport, Csv, Exporter, Html, Json, Markdown};
use anyhow::Result;
use jiebang_core::atomic;
use jiebang_core::board::{Board, Excluded, Selection, select};
use jiebang_core::round::Round;
use jiebang_scorecard::Scorecard;
use std::path::Path;

/// What [`write_with`] published.
pub struct Published<'a> {
    /// The ranked board.
    pub board: Board<'a>,
    /// With a round: each direction's selection.
    pub selection: Vec<Selection>,
    /// Whether the chart was drawn.
    pub charted: bool,
}

/// Writes `leaderboard.md`, `leaderboard.csv`, `leaderboard.json`, the chart
/// (`indicators.svg`/`.png`) and `index.html` under `dir` for `cards` (file name, scorecard),
/// listing `excluded` scorecards and why they were left out; with a `round`, also each
/// direction's selection (and `selection.csv`).
pub fn write_with<'a>(
    cards: &[(String, &'a Scorecard)],
    excluded: &[Excluded],
    round: Option<&Round>,
    title: &str,
    dir: &Path,
) -> Result<Published<'a>> {
    let board = Board::build(cards, excluded);
    let selection = round.map(|r| select(r, &board)).unwrap_or_default();
    std::fs::create_dir_all(dir)?;
    let cards_only: Vec<&Scorecard> = cards.iter().map(|(_, s)| *s).collect();
    let charted = crate::chart::indicators(&cards_only, dir, "indicators")?;
    let report = BoardReport {
        board: &board,
        selection: &selection,
        round,
        title,
        chart: charted.then_some("indicators.svg"),
    };
    let write = |name: &str, text: String| atomic::write(&dir.join(name), text.as_bytes());
    write("leaderboard.md", Markdown.export(&report)?)?;
    write("index.html", Html.export(&report)?)?;
    write("leaderboard.csv", Csv.export(&report)?)?;
    if round.is_some() {
        write("selection.csv", Csv.export(&selection[..])?)?;
    }
    write("leaderboard.json", Json.export(&report)?)?;
    Ok(Published {
        board,
        selection,
        charted,
    })
}

/// The demo's leaderboard: every card, nothing excluded, no round; true when a chart was drawn.
pub fn write(cards: &[(String, &Scorecard)], dir: &Path) -> Result<bool> {
    write_with(cards, &[], None, "jiebang demo leaderboard", dir).map(|p| p.charted)
}

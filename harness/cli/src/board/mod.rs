//! The leaderboard: scorecards grouped by suite, standings by national targets met, and every
//! indicator ranked with statistical ties; written as Markdown, CSV and JSON.

mod html;
mod markdown;
mod model;
mod selection;
mod tables;

pub use model::{Board, Excluded};
pub use selection::Selection;

use anyhow::Result;
use jiebang_core::round::Round;
use jiebang_scorecard::Scorecard;
use std::path::Path;

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
) -> Result<(Board<'a>, Vec<Selection>, bool)> {
    let board = Board::build(cards, excluded);
    let picks = round
        .map(|r| selection::select(r, &board))
        .unwrap_or_default();
    std::fs::create_dir_all(dir)?;
    let md = markdown::render(&board, &picks, title);
    jiebang_core::atomic::write(&dir.join("leaderboard.md"), md.as_bytes())?;
    let cards_only: Vec<&Scorecard> = cards.iter().map(|(_, s)| *s).collect();
    let charted = crate::chart::indicators(&cards_only, dir, "indicators")?;
    let page = html::render(&md, title, charted.then_some("indicators.svg"));
    jiebang_core::atomic::write(&dir.join("index.html"), page.as_bytes())?;
    jiebang_core::atomic::write(&dir.join("leaderboard.csv"), &tables::csv(&board)?)?;
    if round.is_some() {
        jiebang_core::atomic::write(&dir.join("selection.csv"), &tables::selection_csv(&picks)?)?;
    }
    let mut json = serde_json::to_string_pretty(&tables::json(&board, &picks, round))?;
    json.push('\n');
    jiebang_core::atomic::write(&dir.join("leaderboard.json"), json.as_bytes())?;
    Ok((board, picks, charted))
}

/// The demo's leaderboard: every card, nothing excluded, no round; true when a chart was drawn.
pub fn write(cards: &[(String, &Scorecard)], dir: &Path) -> Result<bool> {
    write_with(cards, &[], None, "jiebang demo leaderboard", dir).map(|(_, _, c)| c)
}

#[cfg(test)]
pub(crate) mod tests_support {
    use jiebang_scorecard::Scorecard;

    /// The scorecard crate's golden sample.
    pub fn sample() -> Scorecard {
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../scorecard/tests/golden/sample.scorecard.json"
        ))
        .unwrap();
        jiebang_scorecard::verify_bytes("golden", &bytes, None)
            .unwrap()
            .scorecard
    }
}

//! The leaderboard: scorecards grouped by suite, standings by national targets met, and every
//! indicator ranked with statistical ties; written as Markdown, CSV and JSON.

mod markdown;
mod model;
mod tables;

pub use model::{Board, Excluded};

use anyhow::Result;
use jiebang_scorecard::Scorecard;
use std::path::Path;

/// Writes `leaderboard.md`, `leaderboard.csv` and `leaderboard.json` under `dir` for `cards`
/// (file name, scorecard), listing `excluded` scorecards and why they were left out.
pub fn write_with<'a>(
    cards: &[(String, &'a Scorecard)],
    excluded: &[Excluded],
    title: &str,
    dir: &Path,
) -> Result<Board<'a>> {
    let board = Board::build(cards, excluded);
    std::fs::create_dir_all(dir)?;
    jiebang_core::atomic::write(
        &dir.join("leaderboard.md"),
        markdown::render(&board, title).as_bytes(),
    )?;
    jiebang_core::atomic::write(&dir.join("leaderboard.csv"), &tables::csv(&board)?)?;
    let mut json = serde_json::to_string_pretty(&tables::json(&board))?;
    json.push('\n');
    jiebang_core::atomic::write(&dir.join("leaderboard.json"), json.as_bytes())?;
    Ok(board)
}

/// The demo's leaderboard: every card, nothing excluded.
pub fn write(cards: &[(String, &Scorecard)], dir: &Path) -> Result<()> {
    write_with(cards, &[], "jiebang demo leaderboard", dir).map(|_| ())
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

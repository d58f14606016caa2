//! Leaderboards: verified scorecards grouped by suite, standings against the national targets,
//! every indicator ranked with statistical ties, and a round's selection (top 5 / top 3).
//! Pure: callers read and verify the files, and write what they publish.

mod model;
mod rank;
mod selection;

pub use model::{Board, Entry, Excluded, IndicatorTable, Row, Standing, SuiteBoard};
pub use rank::{Place, rank_by};
pub use selection::{Candidate, Selection, select};

#[cfg(test)]
pub(crate) mod tests_support {
    use jiebang_scorecard::Scorecard;

    /// The scorecard crate's golden sample (medical-imaging/case-detection, five indicators).
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

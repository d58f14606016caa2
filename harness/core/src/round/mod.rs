//! Rounds (揭榜轮次): a folder with `round.toml`, the units' frozen declarations and their
//! submitted scorecards — read, written and checked here (`jiebang round` and the board use it).

mod check;
mod declare;
mod folder;
mod init;
mod lock;
mod spec;
mod submit;
mod template;

pub use check::{Finding, RULES, check};
pub use declare::{Declared, declare};
pub use folder::{
    EntryClass, ROUND_FILE, RoundFolder, Submission, UNITS_DIR, frozen_path, stem, submission_path,
};
pub use init::{InitDirection, InitSpec, init};
pub use lock::{Frozen, LOCK_FILE, Lock, today};
pub use spec::{MAX_SELECTED, MAX_SUCCESSFUL, Round, RoundDirection, RoundSuite};
pub use submit::{Submitted, submit};
pub use template::declaration_template;

/// A one-indicator catalogue for the round modules' tests.
#[cfg(test)]
pub(crate) fn sample_direction() -> crate::Direction {
    use jiebang_scorecard::{Better, Comparison};
    crate::Direction {
        id: "example",
        name_zh: "示例",
        name_en: "example",
        indicators: vec![crate::Indicator::new(
            "example.accuracy",
            "准确率",
            "accuracy",
            "parity.accuracy",
            Some(crate::NationalTarget::new(Comparison::Gt, 0.95)),
        )],
        metrics: vec![crate::MetricSpec::new(
            "parity.accuracy",
            "ratio",
            Better::Higher,
            crate::MetricKind::Proportion,
            "share of correct answers",
        )],
        digests: vec![],
    }
}

//! The example direction's catalogue: one metric (parity accuracy) and one indicator with a
//! made-up threshold standing where a production direction has its national 2020 target.

use jiebang_core::{Direction, Indicator, MetricKind, MetricSpec, NationalTarget};
use jiebang_scorecard::{Better, Comparison};

/// Direction id.
pub const DIRECTION_ID: &str = "example";
/// Share of integers whose parity the system gave correctly.
pub const ACCURACY: &str = "parity.accuracy";
/// The indicator computed from [`ACCURACY`].
pub const ACCURACY_INDICATOR: &str = "example.accuracy";
/// Where the threshold comes from: nowhere official.
pub const EXAMPLE_SOURCE: &str =
    "made up for the example direction (docs/ADDING-A-DIRECTION.md); not a national target";

/// The direction with its catalogue.
pub fn direction() -> Direction {
    Direction {
        id: DIRECTION_ID,
        name_zh: "示例方向：整数奇偶判断",
        name_en: "Example direction: is this integer even?",
        indicators: vec![Indicator {
            id: ACCURACY_INDICATOR,
            name_zh: "奇偶判断准确率",
            name_en: "parity accuracy",
            metric: ACCURACY,
            national_target: Some(NationalTarget {
                comparison: Comparison::Gt,
                value: 0.95,
                source: EXAMPLE_SOURCE,
                unconfirmed: false,
            }),
        }],
        metrics: vec![MetricSpec::new(
            ACCURACY,
            "ratio",
            Better::Higher,
            MetricKind::Proportion,
            "Share of integers whose parity the system gave correctly (Wilson 95% CI)",
        )],
        ..Direction::default()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_catalogue_is_consistent() {
        super::direction().check().unwrap();
    }
}

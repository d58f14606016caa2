//! What every task crate holds the same way — its catalogue, its embedded suites parsed once and
//! its crate pin — so a task implements `Task::base` and gets `direction`, `suites` and `pin`.

use crate::{CoreError, Direction, SuiteSpec};
use jiebang_scorecard::TaskPin;
use std::path::Path;

/// A suite file embedded in a task crate: the path it has in the repository (errors name it,
/// with the line) and its text (`include_str!`).
pub type EmbeddedSuite = (&'static str, &'static str);

/// A task's catalogue, suites and pin.
#[derive(Debug, Clone)]
pub struct TaskBase {
    direction: Direction,
    suites: Vec<SuiteSpec>,
    pin: TaskPin,
}

impl TaskBase {
    /// The base of a task whose suites are embedded files; an error names the suite file and
    /// line that does not parse (a task crate's tests rule that out).
    pub fn new(
        direction: Direction,
        pin: TaskPin,
        embedded: &[EmbeddedSuite],
    ) -> Result<Self, CoreError> {
        Ok(Self::from_suites(direction, pin, parse_embedded(embedded)?))
    }

    /// The base of a task whose suites are already parsed (tests, generated suites).
    pub fn from_suites(direction: Direction, pin: TaskPin, suites: Vec<SuiteSpec>) -> Self {
        TaskBase {
            direction,
            suites,
            pin,
        }
    }

    /// The direction and its catalogues.
    pub fn direction(&self) -> &Direction {
        &self.direction
    }

    /// The embedded suites.
    pub fn suites(&self) -> &[SuiteSpec] {
        &self.suites
    }

    /// The crate's pin.
    pub fn pin(&self) -> &TaskPin {
        &self.pin
    }
}

/// Parses embedded suite files, in order.
pub fn parse_embedded(embedded: &[EmbeddedSuite]) -> Result<Vec<SuiteSpec>, CoreError> {
    embedded
        .iter()
        .map(|(origin, text)| SuiteSpec::from_toml(Path::new(origin), text))
        .collect()
}

/// The pin of a task crate: its direction id with the crate's own name and version
/// (use [`task_pin!`](crate::task_pin), which reads them from the calling crate).
pub fn pin_of_crate(direction: &str, crate_name: &str, version: &str) -> TaskPin {
    TaskPin {
        direction: direction.into(),
        crate_name: crate_name.into(),
        version: version.into(),
    }
}

/// `task_pin!(DIRECTION_ID)`: the [`TaskPin`] of the crate that calls it.
#[macro_export]
macro_rules! task_pin {
    ($direction:expr) => {
        $crate::pin_of_crate(
            $direction,
            env!("CARGO_PKG_NAME"),
            env!("CARGO_PKG_VERSION"),
        )
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUITE: &str = r#"
schema_version = 1
id = "toy/one"
version = 1
direction = "toy"
title = "t"
description = "d"
metrics = []
indicators = []
[dataset]
samples = 2
"#;

    #[test]
    fn embedded_suites_parse_in_order_and_errors_name_the_file() {
        let d = Direction {
            id: "toy",
            ..Direction::default()
        };
        let b = TaskBase::new(d.clone(), task_pin!("toy"), &[("a.toml", SUITE)]).unwrap();
        assert_eq!(b.suites()[0].full_id(), "toy/one@1");
        assert_eq!(b.pin().crate_name, "jiebang-core");
        assert_eq!(b.direction().id, "toy");
        let e = TaskBase::new(d, task_pin!("toy"), &[("bad/b.toml", "id = 3")])
            .unwrap_err()
            .to_string();
        assert!(e.contains("bad/b.toml"), "{e}");
    }
}

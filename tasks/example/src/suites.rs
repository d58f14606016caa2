//! The embedded suite (`example/parity@1`) and its `[dataset]` table read as a type: the
//! sample count, the seed and the largest number the generator draws.

use jiebang_core::{CoreError, EmbeddedSuite, SuiteSpec, parse_embedded};
use serde::Deserialize;

/// The embedded suite text with the path it has in the repository (errors name it).
pub const EMBEDDED: [EmbeddedSuite; 1] = [(
    "tasks/example/suites/parity.toml",
    include_str!("../suites/parity.toml"),
)];

/// The most samples a dataset may have.
pub const MAX_SAMPLES: u64 = 100_000;

/// Parses the embedded suites.
pub fn embedded() -> Result<Vec<SuiteSpec>, CoreError> {
    parse_embedded(&EMBEDDED)
}

/// The suite's `[dataset]` table.
#[derive(Debug, Deserialize)]
pub struct DatasetSection {
    /// Default sample count.
    pub samples: u64,
    /// Default seed.
    pub seed: u64,
    /// Numbers are drawn from `0..=max_number`.
    pub max_number: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_suite_parses_and_its_dataset_table_reads() {
        let suites = embedded().unwrap();
        let d: DatasetSection = suites[0].dataset().unwrap();
        assert_eq!((d.samples, d.seed, d.max_number), (200, 2020, 1_000_000));
    }
}

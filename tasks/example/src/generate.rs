//! The seeded generator: `samples` integers drawn with ChaCha8 from the suite's seed, written
//! to `inputs/numbers.jsonl`, with their parity to `truth/parity.jsonl`.

use crate::files::{LABELS_FILE, LabelLine, NUMBERS_FILE, NumberLine};
use crate::suites::{DatasetSection, MAX_SAMPLES};
use jiebang_core::{CoreError, DatasetDirs, GenerateParams, SuiteSpec};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::fmt::Write as _;

/// Writes the dataset of `suite` into `out`; returns the generator's one-line description.
pub fn generate(
    suite: &SuiteSpec,
    out: &DatasetDirs,
    params: &GenerateParams,
    progress: &dyn Fn(u64, u64),
) -> Result<String, CoreError> {
    let section: DatasetSection = suite.dataset()?;
    let n = suite.in_range(
        "dataset.samples",
        params.samples_for(suite)?,
        1..=MAX_SAMPLES,
    )?;
    let max = suite.in_range("dataset.max_number", section.max_number, 1..=u64::MAX / 2)?;
    let seed = params.seed_for(suite);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (mut numbers, mut labels) = (String::new(), String::new());
    for i in 0..n {
        let id = format!("n{i:05}");
        let number = rng.random_range(0..=max);
        let _ = writeln!(
            numbers,
            "{}",
            json(&NumberLine {
                id: id.clone(),
                number
            })
        );
        let _ = writeln!(
            labels,
            "{}",
            json(&LabelLine {
                id,
                even: number.is_multiple_of(2)
            })
        );
        progress(i + 1, n);
    }
    for (path, text) in [
        (out.inputs.join(NUMBERS_FILE), numbers),
        (out.truth.join(LABELS_FILE), labels),
    ] {
        std::fs::write(&path, text).map_err(|e| CoreError::io(&path, e))?;
    }
    Ok(format!("example-parity:1 seed={seed} samples={n}"))
}

/// One JSON line (these plain structs always serialize).
fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

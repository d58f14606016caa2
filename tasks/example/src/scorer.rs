//! The scorer: the labels, read from the dataset's truth only; the answer check (the answer's
//! type) and the accuracy with its Wilson 95% interval.

use crate::catalogue::ACCURACY;
use crate::files::{LABELS_FILE, LabelLine, parse_lines};
use crate::library::Numbers;
use jiebang_core::measure::share;
use jiebang_core::{CoreError, Dataset, ScoreContext, Scorer, Scores};
use serde::Deserialize;
use serde_json::Value;

/// What a system answers.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    /// Whether the query's number is even.
    pub even: bool,
}

/// The labels, by sample index.
#[derive(Debug, Clone)]
pub struct Labels {
    even: Vec<bool>,
}

impl Labels {
    /// Reads `truth/parity.jsonl`; its ids must be the library's, in the same order.
    pub fn load(dataset: &Dataset, numbers: &Numbers) -> Result<Labels, CoreError> {
        let what = "the example direction's labels file";
        let truth = dataset.truth();
        let path = truth.path(LABELS_FILE, what)?;
        let lines: Vec<LabelLine> = parse_lines(&path, &truth.read(LABELS_FILE, what)?)?;
        if lines.len() != numbers.lines.len() {
            return Err(CoreError::invalid(
                &path,
                None,
                format!(
                    "{} labels for {} numbers; expected one label per number",
                    lines.len(),
                    numbers.lines.len()
                ),
            ));
        }
        for (i, (l, n)) in lines.iter().zip(&numbers.lines).enumerate() {
            if l.id != n.id {
                return Err(CoreError::invalid(
                    &path,
                    Some(i + 1),
                    format!(
                        "field `id`: expected `{}` (line {} of the numbers file), found `{}`",
                        n.id,
                        i + 1,
                        l.id
                    ),
                ));
            }
        }
        Ok(Labels {
            even: lines.into_iter().map(|l| l.even).collect(),
        })
    }
}

impl Scorer for Labels {
    fn check_answer(&self, _index: usize, answer: &Value) -> Result<(), String> {
        jiebang_core::answer::read::<Answer>(answer).map(|_| ())
    }

    fn score(
        &self,
        answers: &[(usize, Option<Value>)],
        _ctx: &ScoreContext,
    ) -> Result<Scores, CoreError> {
        let n = answers.len();
        let correct = answers
            .iter()
            .filter(|(i, a)| {
                let given = a
                    .as_ref()
                    .and_then(|a| jiebang_core::answer::read::<Answer>(a).ok());
                given.is_some_and(|g| self.even.get(*i) == Some(&g.even))
            })
            .count();
        let metric = share(ACCURACY, correct as u64, n as u64, "no samples were run")?;
        let mut scores = Scores::default();
        scores.metrics.insert(ACCURACY.into(), metric);
        Ok(scores)
    }
}

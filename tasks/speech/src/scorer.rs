//! Loading a speech suite on a dataset: the library from the inputs, the truth
//! (`truth/transcripts.jsonl`) checked line by line against it, and the scorer.

use crate::answer;
use crate::library::SpeechLibrary;
use crate::scoring::{self, Reference};
use crate::suites::{self, Protocol, TaskKind};
use jiebang_core::bounded::limit;
use jiebang_core::{CoreError, Dataset, ScoreContext, Scorer, Scores, SuiteSpec, TaskError};
use serde::Deserialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// The truth file, relative to `truth/`.
pub const TRANSCRIPTS_FILE: &str = "transcripts.jsonl";

/// One line of the truth.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TruthRow {
    id: String,
    text: String,
    language: String,
    scenario: String,
    #[serde(default)]
    speaker: Option<String>,
    #[serde(default)]
    intent: Option<String>,
    #[serde(default)]
    slots: Option<BTreeMap<String, String>>,
}

/// The scorer of one suite on one dataset.
#[derive(Debug)]
pub struct SpeechScorer {
    protocol: Protocol,
    scenarios: Vec<String>,
    references: Vec<Reference>,
    seconds: Vec<f64>,
}

/// Loads `dataset` for `suite`.
pub fn load(
    suite: &SuiteSpec,
    dataset: &Dataset,
) -> Result<(Arc<SpeechLibrary>, Arc<SpeechScorer>), CoreError> {
    let protocol = suites::protocol(suite)?;
    let scenarios: Vec<String> = suites::scenarios(suite)?
        .into_iter()
        .map(|s| s.name)
        .collect();
    let library = SpeechLibrary::load(dataset, protocol.language, protocol.task)?;
    let references = truth(dataset, &library, &protocol, &scenarios)?;
    let seconds = library.utterances().iter().map(|u| u.seconds).collect();
    Ok((
        Arc::new(library),
        Arc::new(SpeechScorer {
            protocol,
            scenarios,
            references,
            seconds,
        }),
    ))
}

/// The truth of every utterance of `library`, in its order.
fn truth(
    dataset: &Dataset,
    library: &SpeechLibrary,
    protocol: &Protocol,
    scenarios: &[String],
) -> Result<Vec<Reference>, CoreError> {
    let what = "the transcripts (transcripts.jsonl)";
    let t = dataset.truth();
    let path = t.path(TRANSCRIPTS_FILE, what)?;
    let text = t.read_text(TRANSCRIPTS_FILE, limit::DATASET_INDEX, what)?;
    let index: BTreeMap<&str, usize> = library
        .utterances()
        .iter()
        .enumerate()
        .map(|(i, u)| (u.id.as_str(), i))
        .collect();
    let mut refs: Vec<Option<Reference>> = vec![None; index.len()];
    let lang = protocol.language.code();
    for (line_no, row) in jiebang_core::answer::read_lines::<TruthRow>(&path, &text)? {
        let bad = |m: String| TaskError::invalid_at(&path, line_no, m);
        let Some(&k) = index.get(row.id.as_str()) else {
            return Err(bad(format!(
                "utterance {} is not in inputs/utterances.jsonl; expected a transcript for a listed utterance",
                jiebang_core::answer::clip(&format!("{:?}", row.id))
            ))
            .into());
        };
        if refs[k].is_some() {
            return Err(bad(format!(
                "utterance {:?} has a second transcript; expected one line per utterance",
                row.id
            ))
            .into());
        }
        if row.language != lang {
            return Err(bad(format!(
                "field `language`: {:?}; expected {lang:?} (the suite's language)",
                row.language
            ))
            .into());
        }
        if !scenarios.contains(&row.scenario) {
            return Err(bad(format!(
                "field `scenario`: {:?}; expected one of the suite's scenarios ({})",
                row.scenario,
                scenarios.join(", ")
            ))
            .into());
        }
        if protocol.text().token_count(&row.text) == 0 {
            return Err(bad(
                "field `text` holds no word or character once normalised; expected a non-empty transcript"
                    .into(),
            )
            .into());
        }
        let _ = row.speaker;
        let intent = match (protocol.task, row.intent) {
            (TaskKind::Intent, None) => {
                return Err(bad(
                    "field `intent` is missing; the intent suite needs every utterance labelled"
                        .into(),
                )
                .into());
            }
            (_, i) => i,
        };
        let slots = row.slots.unwrap_or_default();
        if slots.len() > answer::MAX_SLOTS {
            return Err(bad(format!(
                "field `slots`: {} slots; expected at most {}",
                slots.len(),
                answer::MAX_SLOTS
            ))
            .into());
        }
        refs[k] = Some(Reference {
            text: row.text,
            scenario: row.scenario,
            intent,
            slots,
        });
    }
    let missing: BTreeSet<&str> = library
        .utterances()
        .iter()
        .zip(&refs)
        .filter(|(_, r)| r.is_none())
        .map(|(u, _)| u.id.as_str())
        .collect();
    if let Some(first) = missing.first() {
        return Err(TaskError::invalid(
            &path,
            format!(
                "{} utterance(s) of inputs/utterances.jsonl have no transcript (first: {first:?}); expected one line per utterance",
                missing.len()
            ),
        )
        .into());
    }
    Ok(refs.into_iter().flatten().collect())
}

impl Scorer for SpeechScorer {
    fn check_answer(&self, _index: usize, answer: &Value) -> Result<(), String> {
        match self.protocol.task {
            TaskKind::Asr => answer::asr(answer).map(|_| ()),
            TaskKind::Intent => answer::intent(answer).map(|_| ()),
        }
    }

    fn score(
        &self,
        answers: &[(usize, Option<Value>)],
        ctx: &ScoreContext,
    ) -> Result<Scores, CoreError> {
        let n = self.references.len();
        let mut rows = Vec::with_capacity(answers.len());
        for (i, a) in answers {
            let r = self.references.get(*i).ok_or_else(|| {
                CoreError::Other(format!("scoring: sample {i} out of range ({n} samples)"))
            })?;
            rows.push((*i, r, a.as_ref()));
        }
        let mut metrics = match (self.protocol.task, self.protocol.family) {
            (TaskKind::Asr, Some(family)) => {
                let scored: Vec<(&Reference, Option<String>)> = rows
                    .iter()
                    .map(|(_, r, a)| {
                        let h = a.and_then(|v| answer::asr(v).ok()).map(|a| a.transcript);
                        (*r, h)
                    })
                    .collect();
                scoring::recognition(
                    &family,
                    self.protocol.text(),
                    &self.scenarios,
                    &scored,
                    ctx.seed,
                )?
            }
            _ => {
                let scored: Vec<(&Reference, Option<answer::IntentAnswer>)> = rows
                    .iter()
                    .map(|(_, r, a)| (*r, a.and_then(|v| answer::intent(v).ok())))
                    .collect();
                scoring::intents(self.protocol.text(), &scored, ctx.seed)?
            }
        };
        let timed: Vec<(f64, jiebang_core::Observed)> = rows
            .iter()
            .filter_map(|(i, _, _)| ctx.observed.get(i).map(|o| (self.seconds[*i], *o)))
            .collect();
        metrics.extend(scoring::timing(&timed));
        Ok(Scores {
            metrics,
            ..Scores::default()
        })
    }
}

//! The seeded generator of the speech suites' default datasets: corpus utterances per scenario
//! (room, noise), drawn evenly across scenarios, written as WAV under opaque shuffled names.

use crate::audio::{decode_wav, encode_wav};
use crate::corpus;
use crate::dsp::noise::{mix_at_snr, noise};
use crate::dsp::room::{Room, reverberate};
use crate::library::{AUDIO_DIR, UTTERANCES_FILE};
use crate::scorer::TRANSCRIPTS_FILE;
use crate::suites::{self, Lang, MAX_SAMPLES, Scenario, TaskKind};
use jiebang_core::{CoreError, DatasetDirs, GenerateParams, SuiteSpec, TaskError};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Deserialize;
use serde_json::json;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where the corpus lies in the repository (errors name its files there).
const CORPUS_DIR: &str = "tasks/speech/data";

/// A corpus file by its path under [`CORPUS_DIR`]; the crate's embedded corpus by default.
pub type CorpusFiles<'a> = &'a dyn Fn(&str) -> Option<Vec<u8>>;

/// One sentence of the corpus (`sentences/<lang>.jsonl`).
#[derive(Debug, Clone, Deserialize)]
pub struct Sentence {
    /// Sentence id, naming its audio files.
    pub sid: String,
    /// The transcript.
    pub text: String,
    /// Intent label (Mandarin sentences).
    #[serde(default)]
    pub intent: Option<String>,
    /// Slot name to value.
    #[serde(default)]
    pub slots: BTreeMap<String, String>,
}

/// Writes the dataset of `suite` into `out` from the embedded corpus; returns the generator's
/// one-line description.
pub fn generate(
    suite: &SuiteSpec,
    out: &DatasetDirs,
    params: &GenerateParams,
    progress: &dyn Fn(u64, u64),
) -> Result<String, CoreError> {
    let embedded = |rel: &str| corpus::file(rel).map(<[u8]>::to_vec);
    generate_from(suite, out, params, progress, &embedded)
}

fn corpus_path(rel: &str) -> PathBuf {
    Path::new(CORPUS_DIR).join(rel)
}

/// The sentences of `language` in the corpus.
pub fn sentences(language: Lang, files: CorpusFiles<'_>) -> Result<Vec<Sentence>, CoreError> {
    let rel = format!("sentences/{}.jsonl", language.code());
    let path = corpus_path(&rel);
    let bytes = files(&rel).ok_or_else(|| {
        TaskError::invalid(
            &path,
            "not in the embedded corpus; expected the sentence list",
        )
    })?;
    let text = String::from_utf8(bytes)
        .map_err(|e| TaskError::invalid(&path, format!("not UTF-8 text: {e}")))?;
    let mut out: Vec<Sentence> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let s: Sentence = serde_json::from_str(line).map_err(|e| {
            TaskError::invalid_at(&path, i + 1, format!("expected a sentence: {e}"))
        })?;
        if out.iter().any(|o| o.sid == s.sid) {
            return Err(TaskError::invalid_at(
                &path,
                i + 1,
                format!("sentence id {:?} is listed twice", s.sid),
            )
            .into());
        }
        out.push(s);
    }
    if out.is_empty() {
        return Err(TaskError::invalid(&path, "no sentences; expected at least one").into());
    }
    Ok(out)
}

/// One utterance to make: a sentence in a variant under a scenario.
struct Planned<'a> {
    sentence: &'a Sentence,
    variant: &'a str,
    scenario: &'a Scenario,
    seed: u64,
}

/// [`generate`] from the corpus files `files` gives.
pub fn generate_from(
    suite: &SuiteSpec,
    out: &DatasetDirs,
    params: &GenerateParams,
    progress: &dyn Fn(u64, u64),
    files: CorpusFiles<'_>,
) -> Result<String, CoreError> {
    let protocol = suites::protocol(suite)?;
    let scenarios = suites::scenarios(suite)?;
    if let Some(script) = suite.dataset.get("supplied").and_then(|v| v.as_str()) {
        return Err(suite.field_error(
            "dataset.supplied",
            format!(
                "this suite's dataset is supplied, not generated: fetch and import it with {script}"
            ),
        ));
    }
    let n = suite.in_range(
        "dataset.samples",
        params.samples_for(suite)?,
        1..=MAX_SAMPLES,
    )?;
    let seed = params.seed_for(suite);
    let sentences = sentences(protocol.language, files)?;
    if protocol.task == TaskKind::Intent
        && let Some(s) = sentences.iter().find(|s| s.intent.is_none())
    {
        return Err(TaskError::invalid(
            corpus_path(&format!("sentences/{}.jsonl", protocol.language.code())),
            format!(
                "sentence {:?} has no intent; the intent suite needs every sentence labelled",
                s.sid
            ),
        )
        .into());
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // Per scenario, every (sentence, variant) in a seeded order; then round robin across
    // scenarios, so that a cap on the utterances keeps the scenarios balanced.
    let mut queues: Vec<Vec<(&Sentence, &str)>> = scenarios
        .iter()
        .map(|sc| {
            let mut q: Vec<(&Sentence, &str)> = sentences
                .iter()
                .flat_map(|s| sc.variants.iter().map(move |v| (s, v.as_str())))
                .collect();
            q.shuffle(&mut rng);
            q.reverse();
            q
        })
        .collect();
    let total: usize = queues.iter().map(Vec::len).sum();
    let n = usize::try_from(n).unwrap_or(usize::MAX);
    if n > total {
        return Err(suite.field_error(
            "dataset.samples",
            format!(
                "{n} utterances asked; the corpus gives {total} for this suite's scenarios (expected 1..={total})"
            ),
        ));
    }
    let mut plan: Vec<Planned<'_>> = Vec::with_capacity(n);
    while plan.len() < n {
        for (q, sc) in queues.iter_mut().zip(&scenarios) {
            if plan.len() == n {
                break;
            }
            if let Some((sentence, variant)) = q.pop() {
                plan.push(Planned {
                    sentence,
                    variant,
                    scenario: sc,
                    seed: rng.random(),
                });
            }
        }
    }
    let width = n.to_string().len().max(4);
    let mut names: Vec<usize> = (1..=n).collect();
    names.shuffle(&mut rng);
    let mut rows: Vec<(String, String, String)> = Vec::with_capacity(n);
    for (k, (p, name)) in plan.iter().zip(&names).enumerate() {
        let id = format!("u{name:0width$}");
        let rel = format!("{AUDIO_DIR}/{id}.wav");
        let wav = utterance(protocol.language, p, files)?;
        write(&out.inputs, &rel, &wav)?;
        let mut truth = json!({
            "id": id,
            "text": p.sentence.text,
            "language": protocol.language.code(),
            "scenario": p.scenario.name,
            "speaker": p.variant.split('-').next().unwrap_or(p.variant),
        });
        if protocol.task == TaskKind::Intent {
            truth["intent"] = json!(p.sentence.intent);
            truth["slots"] = json!(p.sentence.slots);
        }
        rows.push((
            id.clone(),
            json!({"id": id, "audio": rel}).to_string(),
            truth.to_string(),
        ));
        progress(k as u64 + 1, n as u64);
    }
    rows.sort();
    let (inputs, truth): (Vec<_>, Vec<_>) = rows.into_iter().map(|(_, a, b)| (a, b)).unzip();
    write(&out.inputs, UTTERANCES_FILE, lines(&inputs).as_bytes())?;
    write(&out.truth, TRANSCRIPTS_FILE, lines(&truth).as_bytes())?;
    Ok(format!(
        "speech-utterances:1 seed={seed} samples={n} language={} scenarios={}",
        protocol.language.code(),
        scenarios
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>()
            .join(",")
    ))
}

fn lines(rows: &[String]) -> String {
    let mut s = rows.join("\n");
    s.push('\n');
    s
}

/// The WAV bytes of one planned utterance: the corpus audio, through the room, plus noise.
fn utterance(
    language: Lang,
    p: &Planned<'_>,
    files: CorpusFiles<'_>,
) -> Result<Vec<u8>, CoreError> {
    let rel = format!(
        "audio/{}/{}.{}.wav",
        language.code(),
        p.sentence.sid,
        p.variant
    );
    let path = corpus_path(&rel);
    let bytes = files(&rel).ok_or_else(|| {
        TaskError::invalid(
            &path,
            "not in the embedded corpus; expected the utterance's audio",
        )
    })?;
    let mut audio = decode_wav(&bytes, &path)?;
    if let Some(distance) = p.scenario.room_m {
        audio = reverberate(&audio, &Room::far_field(distance, p.seed));
    }
    if let (Some(kind), Some(snr)) = (p.scenario.noise, p.scenario.snr_db) {
        let mut rng = ChaCha8Rng::seed_from_u64(p.seed);
        rng.set_stream(1);
        let n = noise(kind.kind(), audio.samples.len(), &mut rng);
        audio.samples = mix_at_snr(&audio.samples, &n, snr);
    }
    Ok(encode_wav(&audio))
}

fn write(root: &Path, rel: &str, bytes: &[u8]) -> Result<(), CoreError> {
    let path = root.join(rel);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| CoreError::io(dir, e))?;
    }
    std::fs::write(&path, bytes).map_err(|e| CoreError::io(&path, e))
}

//! The sample library of a speech suite, built from the dataset's inputs only: the utterance
//! list (`inputs/utterances.jsonl`), each WAV checked and timed, and the queries naming them.

use crate::audio::{SAMPLE_RATE, decode_wav};
use crate::suites::{Lang, TaskKind};
use jiebang_core::bounded::limit;
use jiebang_core::{CoreError, Dataset, SampleLibrary, TaskError};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::any::Any;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The utterance list, relative to `inputs/`.
pub const UTTERANCES_FILE: &str = "utterances.jsonl";
/// The folder of the generated WAV files, relative to `inputs/`.
pub const AUDIO_DIR: &str = "audio";
/// The longest utterance id.
pub const MAX_ID_CHARS: usize = 64;

/// One utterance a query names.
#[derive(Debug, Clone, PartialEq)]
pub struct Utterance {
    /// Its id (`u0001`).
    pub id: String,
    /// Its WAV file, relative to `inputs/`.
    pub audio: String,
    /// Its duration, seconds.
    pub seconds: f64,
}

/// The utterances of one suite on one dataset.
#[derive(Debug, Clone)]
pub struct SpeechLibrary {
    inputs_root: PathBuf,
    utterances: Vec<Utterance>,
    language: Lang,
    task: TaskKind,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Row {
    id: String,
    audio: String,
}

/// Whether `id` is a usable utterance id: 1 to 64 ASCII letters, digits, `.`, `_` or `-`.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_CHARS
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
}

impl SpeechLibrary {
    /// Reads the utterance list of `dataset` and checks every WAV file it names (format,
    /// length), for a suite in `language` asking for `task`.
    pub fn load(dataset: &Dataset, language: Lang, task: TaskKind) -> Result<Self, CoreError> {
        let inputs = dataset.inputs();
        let what = "the utterance list (utterances.jsonl)";
        let path = inputs.path(UTTERANCES_FILE, what)?;
        let bytes = inputs.read(UTTERANCES_FILE, what)?;
        if bytes.len() as u64 > limit::DATASET_INDEX {
            return Err(TaskError::invalid(&path, "larger than the dataset index limit").into());
        }
        let text = String::from_utf8(bytes)
            .map_err(|e| TaskError::invalid(&path, format!("not UTF-8 text: {e}")))?;
        let mut utterances = Vec::new();
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for (line_no, row) in jiebang_core::answer::read_lines::<Row>(&path, &text)? {
            let bad = |m: String| TaskError::invalid_at(&path, line_no, m);
            if !valid_id(&row.id) {
                return Err(bad(format!(
                    "field `id`: {}; expected 1 to {MAX_ID_CHARS} ASCII letters, digits, `.`, `_` or `-`",
                    jiebang_core::answer::clip(&format!("{:?}", row.id))
                ))
                .into());
            }
            if let Some(first) = seen.insert(row.id.clone(), line_no) {
                return Err(bad(format!(
                    "utterance {:?} is listed twice (first on line {first}); expected each id once",
                    row.id
                ))
                .into());
            }
            let audio = inputs.query_path(&row.audio).map_err(|e| {
                bad(format!(
                    "field `audio`: `{}` is not an input file ({e})",
                    jiebang_core::answer::clip(&row.audio)
                ))
            })?;
            let wav_path = inputs.path(&audio, "a WAV file")?;
            let wav = inputs.read(&audio, "a WAV file")?;
            let decoded = decode_wav(&wav, &wav_path)?;
            if decoded.sample_rate != SAMPLE_RATE {
                return Err(TaskError::invalid(
                    &wav_path,
                    format!(
                        "sample rate {} Hz; expected {SAMPLE_RATE} Hz",
                        decoded.sample_rate
                    ),
                )
                .into());
            }
            utterances.push(Utterance {
                id: row.id,
                audio,
                seconds: decoded.seconds(),
            });
        }
        if utterances.is_empty() {
            return Err(TaskError::invalid(&path, "no utterances; expected at least one").into());
        }
        Ok(SpeechLibrary {
            inputs_root: inputs.root(),
            utterances,
            language,
            task,
        })
    }

    /// The folder the audio paths are relative to.
    pub fn inputs_root(&self) -> &Path {
        &self.inputs_root
    }

    /// The utterances in query order.
    pub fn utterances(&self) -> &[Utterance] {
        &self.utterances
    }
}

impl SampleLibrary for SpeechLibrary {
    fn len(&self) -> usize {
        self.utterances.len()
    }

    fn sample_id(&self, index: usize) -> String {
        self.utterances
            .get(index)
            .map_or_else(|| format!("#{index}"), |u| u.id.clone())
    }

    fn query(&self, index: usize) -> Map<String, Value> {
        let Some(u) = self.utterances.get(index) else {
            return Map::new();
        };
        let mut q = Map::new();
        q.insert("audio".into(), json!(u.audio));
        q.insert("language".into(), json!(self.language.code()));
        q.insert("sample_rate".into(), json!(SAMPLE_RATE));
        if self.task == TaskKind::Intent {
            q.insert("task".into(), json!("intent"));
        }
        q
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

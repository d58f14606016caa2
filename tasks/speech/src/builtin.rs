//! The built-in systems: `zh-dtw` and `en-dtw` (the closed-vocabulary MFCC + DTW recogniser)
//! and `intent-dtw` (the Mandarin recogniser, then the intent classifier on its transcript).

use crate::audio::decode_wav;
use crate::recognizer::{Language, Recognizer, classify_intent};
use jiebang_core::{BuiltinSystem, CoreError};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::path::{Component, Path, PathBuf};

/// The Mandarin recogniser's name.
pub const ZH_DTW: &str = "zh-dtw";
/// The English recogniser's name.
pub const EN_DTW: &str = "en-dtw";
/// The intent system's name.
pub const INTENT_DTW: &str = "intent-dtw";

/// The largest WAV file a built-in system reads (60 s of 16 kHz 16-bit mono is under 2 MB).
const MAX_WAV_BYTES: u64 = 16 << 20;

/// What the systems read of a query.
#[derive(Debug, Deserialize)]
struct Query {
    audio: String,
}

/// A built-in speech system for one suite.
pub struct SpeechBaseline {
    recognizer: Recognizer,
    intent: bool,
    root: PathBuf,
}

impl SpeechBaseline {
    /// The system reading audio under `root` (the dataset's inputs): a recogniser of
    /// `language`, followed by the intent classifier when `intent` is set.
    pub fn new(language: Language, intent: bool, root: &Path) -> Result<Self, CoreError> {
        let recognizer = Recognizer::new(language)
            .map_err(|e| CoreError::Other(format!("built-in recogniser: {e}")))?;
        Ok(SpeechBaseline {
            recognizer,
            intent,
            root: root.to_path_buf(),
        })
    }

    fn transcript(&self, rel: &str) -> Result<String, String> {
        let path = Path::new(rel);
        if !path.components().all(|c| matches!(c, Component::Normal(_))) {
            return Err(format!(
                "audio path {}: expected a relative path inside the inputs",
                jiebang_core::answer::clip(&format!("{rel:?}"))
            ));
        }
        let full = self.root.join(path);
        let bytes = jiebang_core::bounded::read(&full, MAX_WAV_BYTES, "a WAV file")
            .map_err(|e| e.to_string())?;
        let audio = decode_wav(&bytes, &full).map_err(|e| e.to_string())?;
        Ok(self.recognizer.recognize(&audio))
    }
}

impl BuiltinSystem for SpeechBaseline {
    fn version(&self) -> String {
        env!("CARGO_PKG_VERSION").into()
    }

    fn answer(&self, _index: usize, query: &Map<String, Value>) -> Result<Value, String> {
        let q: Query = jiebang_core::answer::read(&Value::Object(query.clone()))?;
        let transcript = self.transcript(&q.audio)?;
        if !self.intent {
            return Ok(json!({ "transcript": transcript }));
        }
        let i = classify_intent(&transcript);
        Ok(json!({ "intent": i.intent, "slots": i.slots, "transcript": transcript }))
    }
}

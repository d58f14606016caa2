//! The built-in systems: `zh-dtw` and `en-dtw` (the closed-vocabulary MFCC + DTW recogniser)
//! and `intent-dtw` (the Mandarin recogniser, then the intent classifier on its transcript).

use crate::audio::{MAX_WAV_BYTES, read_wav};
use crate::recognizer::{Language, Recognizer, classify_intent};
use jiebang_accel::Device;
use jiebang_core::{BackendHandle, BuiltinSystem, CoreError};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::path::{Component, Path, PathBuf};

/// The Mandarin recogniser's name.
pub const ZH_DTW: &str = "zh-dtw";
/// The English recogniser's name.
pub const EN_DTW: &str = "en-dtw";
/// The intent system's name.
pub const INTENT_DTW: &str = "intent-dtw";

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
    backend: BackendHandle,
}

impl SpeechBaseline {
    /// The system reading audio under `root` (the dataset's inputs): a recogniser of
    /// `language`, followed by the intent classifier when `intent` is set. On a GPU backend
    /// the template distances are a GEMM there; on the CPU they are host loops.
    pub fn new(
        language: Language,
        intent: bool,
        root: &Path,
        backend: &BackendHandle,
    ) -> Result<Self, CoreError> {
        let recognizer = Recognizer::new(language)
            .map_err(|e| CoreError::Other(format!("built-in recogniser: {e}")))?;
        Ok(SpeechBaseline {
            recognizer,
            intent,
            root: root.to_path_buf(),
            backend: backend.clone(),
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
        let audio = read_wav(&self.root.join(path), MAX_WAV_BYTES).map_err(|e| e.to_string())?;
        let device = Device::from_handle(&self.backend)
            .ok()
            .filter(|d| !matches!(d, Device::Cpu(_)));
        Ok(self.recognizer.recognize_with(&audio, device))
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

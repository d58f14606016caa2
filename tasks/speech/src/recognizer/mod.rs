//! The built-in systems' models: a classical closed-vocabulary recogniser (MFCC features,
//! DTW against word templates) and an intent classifier on its transcripts.

use crate::audio::Audio;
use std::collections::BTreeMap;

/// Which language's vocabulary and templates a recogniser uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// Mandarin (transcripts in Hanzi).
    Mandarin,
    /// English (lower-case words).
    English,
}

/// A closed-vocabulary recogniser built from the embedded word templates.
pub struct Recognizer {
    language: Language,
}

impl Recognizer {
    /// The recogniser for `language` (templates from the embedded corpus).
    pub fn new(language: Language) -> Result<Recognizer, String> {
        Ok(Recognizer { language })
    }

    /// The transcript of `audio` (Hanzi without spaces for Mandarin, words separated by single
    /// spaces for English).
    pub fn recognize(&self, audio: &Audio) -> String {
        let _ = (audio, self.language);
        String::new()
    }
}

/// An intent with its slots, as the intent suite's answer carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Intent {
    /// Intent label.
    pub intent: String,
    /// Slot name to value.
    pub slots: BTreeMap<String, String>,
}

/// Intent and slots of a Mandarin transcript.
pub fn classify_intent(transcript: &str) -> Intent {
    let _ = transcript;
    Intent {
        intent: "unknown".into(),
        slots: BTreeMap::new(),
    }
}

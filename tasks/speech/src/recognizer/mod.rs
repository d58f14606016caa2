//! The built-in systems' models: a classical closed-vocabulary recogniser (MFCC features,
//! one-pass DTW against word templates within the domain grammar) and an intent classifier.

pub mod distance;
pub mod features;
pub mod grammar;
pub mod network;
pub mod onepass;

use crate::audio::{Audio, SAMPLE_RATE};
use distance::{TemplateBank, distances_gemm, distances_host};
use features::{FeatureExtractor, Features, endpoints};
use grammar::Grammar;
use jiebang_accel::Device;
use network::Network;
use onepass::{Penalties, decode};
use std::collections::BTreeMap;

/// Which language's vocabulary and templates a recogniser uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// Mandarin (transcripts in Hanzi).
    Mandarin,
    /// English (lower-case words).
    English,
}

impl Language {
    /// What goes between words in a transcript.
    pub fn separator(self) -> &'static str {
        match self {
            Language::Mandarin => "",
            Language::English => " ",
        }
    }
}

/// A closed-vocabulary recogniser built from the embedded word templates.
pub struct Recognizer {
    language: Language,
    grammar: Grammar,
    network: Network,
    bank: TemplateBank,
    extractor: FeatureExtractor,
    penalties: Penalties,
}

impl Recognizer {
    /// The recogniser for `language` (grammar and templates from the embedded corpus).
    pub fn new(language: Language) -> Result<Recognizer, String> {
        let _ = language;
        Err("the speech corpus is not embedded yet".into())
    }

    /// A recogniser from a grammar and one template (16 kHz samples) per vocabulary word, in
    /// the grammar's word order.
    pub fn from_parts(
        language: Language,
        grammar: Grammar,
        templates: &[Vec<f32>],
    ) -> Result<Recognizer, String> {
        if templates.len() != grammar.words.len() {
            return Err(format!(
                "{} templates for {} vocabulary words",
                templates.len(),
                grammar.words.len()
            ));
        }
        let extractor = FeatureExtractor::new();
        let features: Vec<Features> = templates
            .iter()
            .map(|t| extractor.features(&t[endpoints(t)]))
            .collect();
        Ok(Recognizer {
            language,
            network: Network::from_grammar(&grammar),
            bank: TemplateBank::new(&features),
            grammar,
            extractor,
            penalties: Penalties::default(),
        })
    }

    /// The same recogniser with other path penalties.
    pub fn with_penalties(mut self, penalties: Penalties) -> Recognizer {
        self.penalties = penalties;
        self
    }

    /// The transcript of `audio` (Hanzi without spaces for Mandarin, words separated by single
    /// spaces for English); empty when the audio is not 16 kHz or too short for any sentence.
    pub fn recognize(&self, audio: &Audio) -> String {
        self.recognize_with(audio, None)
    }

    /// As [`Recognizer::recognize`], the local distances computed as a GEMM on `device` when
    /// one is given (falling back to host loops if the device fails).
    pub fn recognize_with(&self, audio: &Audio, device: Option<&Device>) -> String {
        self.words(audio, device)
            .map(|w| self.grammar.text(&w, self.language.separator()))
            .unwrap_or_default()
    }

    /// The recognised word indices (into the grammar's vocabulary).
    pub fn words(&self, audio: &Audio, device: Option<&Device>) -> Option<Vec<usize>> {
        if audio.sample_rate != SAMPLE_RATE || audio.samples.is_empty() {
            return None;
        }
        let speech = &audio.samples[endpoints(&audio.samples)];
        let input = self.extractor.features(speech);
        let distances = device
            .and_then(|d| distances_gemm(d, &input, &self.bank).ok())
            .unwrap_or_else(|| distances_host(&input, &self.bank));
        decode(&self.network, &self.bank, &distances, self.penalties).map(|(w, _)| w)
    }

    /// The grammar this recogniser decodes within.
    pub fn grammar(&self) -> &Grammar {
        &self.grammar
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

/// Intent and slots of a Mandarin transcript: the embedded grammar's sentence nearest by
/// character edit distance gives the intent, slots read off the transcript (see [`intent`]).
pub fn classify_intent(transcript: &str) -> Intent {
    let _ = transcript;
    Intent {
        intent: "unknown".into(),
        slots: BTreeMap::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::grammar::{Part, Pattern, Word};
    use super::*;

    /// A synthetic "word": a chirp from `f0` to `f1` Hz with a second harmonic, `seconds` long.
    fn chirp(f0: f32, f1: f32, seconds: f32) -> Vec<f32> {
        let n = (seconds * SAMPLE_RATE as f32) as usize;
        let mut phase = 0.0f32;
        (0..n)
            .map(|i| {
                let f = f0 + (f1 - f0) * i as f32 / n as f32;
                phase += 2.0 * std::f32::consts::PI * f / SAMPLE_RATE as f32;
                let envelope = (std::f32::consts::PI * i as f32 / n as f32).sin();
                0.4 * envelope * (phase.sin() + 0.3 * (2.0 * phase).sin())
            })
            .collect()
    }

    /// `samples` played `rate` times as fast (linear interpolation).
    fn speed(samples: &[f32], rate: f32) -> Vec<f32> {
        let n = (samples.len() as f32 / rate) as usize;
        (0..n)
            .map(|i| {
                let x = i as f32 * rate;
                let k = x as usize;
                let frac = x - k as f32;
                let a = samples[k.min(samples.len() - 1)];
                let b = samples[(k + 1).min(samples.len() - 1)];
                a + (b - a) * frac
            })
            .collect()
    }

    fn toy() -> (Grammar, Vec<Vec<f32>>) {
        let texts = ["打开", "关闭", "客厅", "卧室", "灯"];
        let words = texts
            .iter()
            .enumerate()
            .map(|(i, t)| Word {
                id: format!("w{i}"),
                text: t.to_string(),
            })
            .collect();
        let room = Part::Slot {
            name: "room".into(),
            values: vec![vec![2], vec![3]],
        };
        let grammar = Grammar {
            words,
            patterns: vec![
                Pattern {
                    intent: "turn_on".into(),
                    parts: vec![Part::Word(0), room.clone(), Part::Word(4)],
                },
                Pattern {
                    intent: "turn_off".into(),
                    parts: vec![Part::Word(1), room, Part::Word(4)],
                },
            ],
        };
        let templates = vec![
            chirp(300.0, 900.0, 0.30),
            chirp(900.0, 300.0, 0.30),
            chirp(1_500.0, 2_500.0, 0.25),
            chirp(2_500.0, 1_200.0, 0.35),
            chirp(500.0, 500.0, 0.20),
        ];
        (grammar, templates)
    }

    #[test]
    fn recognises_synthetic_sentences_at_other_speeds() {
        let (grammar, templates) = toy();
        let rec = Recognizer::from_parts(Language::Mandarin, grammar, &templates).expect("model");
        for (words, rate, want) in [
            ([0, 3, 4], 1.0, "打开卧室灯"),
            ([1, 2, 4], 1.25, "关闭客厅灯"),
            ([0, 2, 4], 0.8, "打开客厅灯"),
        ] {
            let mut samples = vec![0.0; 1_600];
            for w in words {
                samples.extend(speed(&templates[w], rate));
            }
            samples.extend(vec![0.0; 1_600]);
            let audio = Audio {
                sample_rate: SAMPLE_RATE,
                samples,
            };
            assert_eq!(rec.recognize(&audio), want);
            let device = Device::cpu();
            assert_eq!(rec.recognize_with(&audio, Some(&device)), want);
        }
        let wrong_rate = Audio {
            sample_rate: 8_000,
            samples: vec![0.1; 8_000],
        };
        assert_eq!(rec.recognize(&wrong_rate), "");
    }
}

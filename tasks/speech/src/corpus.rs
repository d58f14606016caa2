//! The committed speech corpus (espeak-ng audio made by scripts/data/make-speech.sh), embedded:
//! sentences with transcripts, intents and slots, their WAV variants, and word templates.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

include!(concat!(env!("OUT_DIR"), "/corpus_files.rs"));

/// The languages of the corpus.
pub const LANGUAGES: &[&str] = &["zh", "en"];
/// The audio variants of every Mandarin sentence: voice A at normal, fast and slow speed, voice B
/// (female) and voice C (another male voice at a lower pitch).
pub const VARIANTS_ZH: &[&str] = &["a", "a-fast", "a-slow", "b", "c"];
/// The audio variants of every English sentence: voice A and voice B (female).
pub const VARIANTS_EN: &[&str] = &["a", "b"];

/// One test sentence of the corpus (a line of `sentences/<lang>.jsonl`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sentence {
    /// Sentence id, e.g. `zh01`.
    pub sid: String,
    /// The transcript (English lower case, no punctuation).
    pub text: String,
    /// The words of the grammar's vocabulary the text is made of, in order.
    pub words: Vec<String>,
    /// The intent, where labelled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intent: Option<String>,
    /// Slot name → value, each value a substring of the text.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub slots: BTreeMap<String, String>,
}

/// A vocabulary word of a grammar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Word {
    /// Word id (lower-case ASCII; its template is `templates/<lang>/<wid>.wav`).
    pub wid: String,
    /// The word as written.
    pub text: String,
}

/// A sentence pattern: word texts and `{slot}` placeholders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pattern {
    /// The intent of every sentence of the pattern.
    pub intent: String,
    /// Word texts, and slot placeholders written `{name}`.
    pub tokens: Vec<String>,
}

/// The public grammar of a language's domain (`grammar/<lang>.json`): the test sentences were
/// drawn from it; it never says which sentence a file holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grammar {
    /// `zh` or `en`.
    pub language: String,
    /// What the grammar is, in a sentence.
    #[serde(default)]
    pub about: String,
    /// Every word a sentence may contain.
    pub vocabulary: Vec<Word>,
    /// Slot name → its values, each a word sequence.
    pub slots: BTreeMap<String, Vec<Vec<String>>>,
    /// The sentence patterns.
    pub patterns: Vec<Pattern>,
}

/// One sentence the grammar generates: a pattern with every slot filled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expansion {
    /// The pattern's intent.
    pub intent: String,
    /// The sentence's words.
    pub words: Vec<String>,
    /// Slot name → the value's text.
    pub slots: BTreeMap<String, String>,
}

/// The slot name of a pattern token written `{name}`, or `None` for a word.
pub fn slot_name(token: &str) -> Option<&str> {
    token.strip_prefix('{')?.strip_suffix('}')
}

/// Joins words as the language writes them: Mandarin concatenated, English with single spaces.
pub fn join_words<S: AsRef<str>>(lang: &str, words: &[S]) -> String {
    let separator = if lang == "zh" { "" } else { " " };
    words
        .iter()
        .map(AsRef::as_ref)
        .collect::<Vec<_>>()
        .join(separator)
}

impl Grammar {
    /// The vocabulary word written `text`.
    pub fn word(&self, text: &str) -> Option<&Word> {
        self.vocabulary.iter().find(|word| word.text == text)
    }

    /// Every sentence the grammar generates, pattern by pattern, slot values in their listed
    /// order (a few hundred at most). A placeholder naming no slot yields no sentence.
    pub fn expand(&self) -> Vec<Expansion> {
        let mut all = Vec::new();
        for pattern in &self.patterns {
            let mut partial = vec![(Vec::<String>::new(), BTreeMap::new())];
            for token in &pattern.tokens {
                partial = match slot_name(token) {
                    None => partial
                        .into_iter()
                        .map(|(mut words, slots)| {
                            words.push(token.clone());
                            (words, slots)
                        })
                        .collect(),
                    Some(name) => {
                        let values = self.slots.get(name).map(Vec::as_slice).unwrap_or(&[]);
                        let mut next = Vec::with_capacity(partial.len() * values.len());
                        for (words, slots) in &partial {
                            for value in values {
                                let mut words = words.clone();
                                words.extend(value.iter().cloned());
                                let mut slots = slots.clone();
                                slots.insert(name.to_string(), join_words(&self.language, value));
                                next.push((words, slots));
                            }
                        }
                        next
                    }
                };
            }
            all.extend(partial.into_iter().map(|(words, slots)| Expansion {
                intent: pattern.intent.clone(),
                words,
                slots,
            }));
        }
        all
    }
}

/// An embedded file of the corpus by its path under `tasks/speech/data/` (`MANIFEST.tsv` and
/// every file it lists).
pub fn file(rel: &str) -> Option<&'static [u8]> {
    FILES
        .binary_search_by(|(path, _)| (*path).cmp(rel))
        .ok()
        .map(|index| FILES[index].1)
}

/// The paths of every embedded file, sorted.
pub fn paths() -> impl Iterator<Item = &'static str> {
    FILES.iter().map(|(path, _)| *path)
}

/// The audio variants of a language (`VARIANTS_ZH`, `VARIANTS_EN`; none for another language).
pub fn variants(lang: &str) -> &'static [&'static str] {
    match lang {
        "zh" => VARIANTS_ZH,
        "en" => VARIANTS_EN,
        _ => &[],
    }
}

/// The test sentences of a language in sid order (none for a language the corpus lacks).
///
/// # Panics
/// Only if the embedded `sentences/<lang>.jsonl` is malformed, which the crate's tests rule out.
pub fn sentences(lang: &str) -> Vec<Sentence> {
    let rel = format!("sentences/{lang}.jsonl");
    let Some(bytes) = file(&rel) else {
        return Vec::new();
    };
    let text = std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{rel}: not UTF-8 ({e})"));
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| {
            serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{rel} line {}: not a sentence ({e})", index + 1))
        })
        .collect()
}

/// The public grammar of a language (an empty one for a language the corpus lacks).
///
/// # Panics
/// Only if the embedded `grammar/<lang>.json` is malformed, which the crate's tests rule out.
pub fn grammar(lang: &str) -> Grammar {
    let rel = format!("grammar/{lang}.json");
    match file(&rel) {
        Some(bytes) => {
            serde_json::from_slice(bytes).unwrap_or_else(|e| panic!("{rel}: not a grammar ({e})"))
        }
        None => Grammar {
            language: lang.to_string(),
            about: String::new(),
            vocabulary: Vec::new(),
            slots: BTreeMap::new(),
            patterns: Vec::new(),
        },
    }
}

/// The path of a sentence's audio variant under `tasks/speech/data/`.
pub fn audio_path(lang: &str, sid: &str, variant: &str) -> String {
    format!("audio/{lang}/{sid}.{variant}.wav")
}

/// A sentence's audio variant (16 kHz mono 16-bit PCM WAV bytes).
pub fn audio(lang: &str, sid: &str, variant: &str) -> Option<&'static [u8]> {
    file(&audio_path(lang, sid, variant))
}

/// A vocabulary word spoken in isolation by voice A (16 kHz mono 16-bit PCM WAV bytes): the
/// built-in recogniser's model, never test audio.
pub fn template(lang: &str, wid: &str) -> Option<&'static [u8]> {
    file(&format!("templates/{lang}/{wid}.wav"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    /// The manifest's rows: (path, bytes, sha256).
    fn manifest_rows() -> Vec<(String, usize, String)> {
        let manifest =
            std::str::from_utf8(file("MANIFEST.tsv").expect("manifest embedded")).unwrap();
        manifest
            .lines()
            .filter(|line| !line.starts_with('#') && !line.starts_with("path\t"))
            .map(|line| {
                let fields: Vec<&str> = line.split('\t').collect();
                assert_eq!(
                    fields.len(),
                    4,
                    "MANIFEST.tsv row '{line}': expected 4 fields"
                );
                (
                    fields[0].to_string(),
                    fields[1].parse().unwrap(),
                    fields[2].to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn every_manifest_file_is_embedded_with_its_bytes_and_sha256() {
        let rows = manifest_rows();
        assert!(rows.len() > 100, "only {} rows", rows.len());
        for (path, bytes, sum) in &rows {
            let data = file(path).unwrap_or_else(|| panic!("{path} is not embedded"));
            assert_eq!(data.len(), *bytes, "{path}: length");
            let actual: String = Sha256::digest(data)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            assert_eq!(&actual, sum, "{path}: sha256");
        }
        assert_eq!(
            paths().count(),
            rows.len() + 1,
            "embedded files beyond the manifest"
        );
        let manifest = std::str::from_utf8(file("MANIFEST.tsv").unwrap()).unwrap();
        assert!(manifest.contains("# espeak-ng: eSpeak NG text-to-speech: 1.51"));
        assert!(manifest.contains("# sox: SoX v14.4.2"));
        assert!(file("audio/zh/nothing.wav").is_none());
        assert!(file("../Cargo.toml").is_none());
    }

    #[test]
    fn every_audio_file_is_16_khz_mono_16_bit_and_not_silent() {
        for path in paths().filter(|path| path.ends_with(".wav")) {
            let mut reader = hound::WavReader::new(file(path).unwrap())
                .unwrap_or_else(|e| panic!("{path}: {e}"));
            let spec = reader.spec();
            assert_eq!(
                (
                    spec.sample_rate,
                    spec.channels,
                    spec.bits_per_sample,
                    spec.sample_format
                ),
                (16_000, 1, 16, hound::SampleFormat::Int),
                "{path}"
            );
            let samples: Vec<i16> = reader.samples::<i16>().map(Result::unwrap).collect();
            let seconds = samples.len() as f64 / 16_000.0;
            assert!((0.15..8.0).contains(&seconds), "{path}: {seconds} s");
            let rms = (samples.iter().map(|&s| f64::from(s).powi(2)).sum::<f64>()
                / samples.len() as f64)
                .sqrt();
            assert!(rms > 0.02 * 32768.0, "{path}: RMS {rms}");
        }
    }

    #[test]
    fn sentences_are_word_sequences_of_their_grammar() {
        for &lang in LANGUAGES {
            let grammar = grammar(lang);
            assert_eq!(grammar.language, lang);
            assert!(
                (30..=50).contains(&grammar.vocabulary.len()),
                "{lang}: vocabulary size"
            );
            let generated = grammar.expand();
            let sentences = sentences(lang);
            let range = if lang == "zh" { 16..=20 } else { 12..=16 };
            assert!(
                range.contains(&sentences.len()),
                "{lang}: {} sentences",
                sentences.len()
            );
            for sentence in &sentences {
                let sid = &sentence.sid;
                assert_eq!(
                    join_words(lang, &sentence.words),
                    sentence.text,
                    "{sid}: words"
                );
                for word in &sentence.words {
                    assert!(
                        grammar.word(word).is_some(),
                        "{sid}: '{word}' is not in the vocabulary"
                    );
                }
                for (name, value) in &sentence.slots {
                    assert!(
                        sentence.text.contains(value.as_str()),
                        "{sid}: slot {name} '{value}'"
                    );
                }
                let intent = sentence
                    .intent
                    .as_deref()
                    .expect("every sentence has an intent");
                assert!(
                    generated.iter().any(|g| g.words == sentence.words
                        && g.intent == intent
                        && g.slots == sentence.slots),
                    "{sid}: no pattern of the grammar yields it with its intent and slots"
                );
            }
            let sids: Vec<&str> = sentences.iter().map(|s| s.sid.as_str()).collect();
            assert!(
                sids.windows(2).all(|pair| pair[0] < pair[1]),
                "{lang}: sids repeat or are out of order"
            );
            assert!(sids.iter().all(|sid| sid.starts_with(lang)), "{lang}: sids");
        }
    }

    #[test]
    fn every_sentence_has_every_variant_and_every_word_a_template() {
        for &lang in LANGUAGES {
            for sentence in sentences(lang) {
                for variant in variants(lang) {
                    assert!(
                        audio(lang, &sentence.sid, variant).is_some(),
                        "{lang} {} {variant}",
                        sentence.sid
                    );
                }
            }
            for word in grammar(lang).vocabulary {
                assert!(
                    template(lang, &word.wid).is_some(),
                    "{lang} template {}",
                    word.wid
                );
            }
        }
        assert!(audio("zh", "zh01", "d").is_none());
        assert!(sentences("fr").is_empty());
        assert!(grammar("fr").vocabulary.is_empty());
    }

    #[test]
    fn expansion_fills_slots_and_joins_by_language() {
        let grammar = grammar("zh");
        let generated = grammar.expand();
        assert!(
            generated
                .iter()
                .any(|g| g.words == ["打开", "客厅", "的", "灯"]
                    && g.slots.get("device").map(String::as_str) == Some("客厅的灯"))
        );
        assert_eq!(slot_name("{city}"), Some("city"));
        assert_eq!(slot_name("city"), None);
        assert_eq!(join_words("en", &["call", "mom"]), "call mom");
        assert_eq!(join_words("zh", &["打电话", "给"]), "打电话给");
    }
}

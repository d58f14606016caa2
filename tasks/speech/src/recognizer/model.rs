//! The recogniser's model from the embedded corpus: the public grammar as word indices and
//! each vocabulary word's template samples.

use super::Language;
use super::grammar::{Grammar, Part, Pattern, Word};
use crate::audio::decode_wav;
use crate::corpus;
use std::path::Path;

/// The corpus's code for `language`.
pub fn code(language: Language) -> &'static str {
    match language {
        Language::Mandarin => "zh",
        Language::English => "en",
    }
}

/// The embedded grammar of `language` as word indices; errors name the grammar file and the
/// word or slot that does not resolve.
pub fn grammar(language: Language) -> Result<Grammar, String> {
    let lang = code(language);
    let source = corpus::grammar(lang);
    let file = format!("grammar/{lang}.json");
    let index = |text: &str, what: &str| {
        source
            .vocabulary
            .iter()
            .position(|w| w.text == text)
            .ok_or_else(|| format!("{file}: {what} word `{text}` is not in the vocabulary"))
    };
    let mut patterns = Vec::with_capacity(source.patterns.len());
    for (p, pattern) in source.patterns.iter().enumerate() {
        let mut parts = Vec::with_capacity(pattern.tokens.len());
        for token in &pattern.tokens {
            parts.push(match corpus::slot_name(token) {
                None => Part::Word(index(token, &format!("patterns[{p}]"))?),
                Some(name) => {
                    let values = source.slots.get(name).ok_or_else(|| {
                        format!("{file}: patterns[{p}] names slot `{name}`, which is not defined")
                    })?;
                    let values = values
                        .iter()
                        .map(|v| {
                            v.iter()
                                .map(|t| index(t, &format!("slot `{name}`")))
                                .collect::<Result<Vec<_>, _>>()
                        })
                        .collect::<Result<Vec<_>, _>>()?;
                    Part::Slot {
                        name: name.to_string(),
                        values,
                    }
                }
            });
        }
        patterns.push(Pattern {
            intent: pattern.intent.clone(),
            parts,
        });
    }
    if patterns.is_empty() {
        return Err(format!("{file}: no sentence patterns"));
    }
    let words = source
        .vocabulary
        .iter()
        .map(|w| Word {
            id: w.wid.clone(),
            text: w.text.clone(),
        })
        .collect();
    Ok(Grammar { words, patterns })
}

/// The template samples of every word of `grammar`, in its word order; errors name the
/// missing or malformed template file.
pub fn templates(language: Language, grammar: &Grammar) -> Result<Vec<Vec<f32>>, String> {
    let lang = code(language);
    grammar
        .words
        .iter()
        .map(|w| {
            let rel = format!("templates/{lang}/{}.wav", w.id);
            let bytes = corpus::template(lang, &w.id)
                .ok_or_else(|| format!("{rel}: no such embedded template"))?;
            decode_wav(bytes, Path::new(&rel))
                .map(|a| a.samples)
                .map_err(|e| e.to_string())
        })
        .collect()
}

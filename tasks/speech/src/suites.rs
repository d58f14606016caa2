//! The embedded speech suites (asr-zh, asr-en, far-field-5m, intent, asr-en-recorded) and
//! their `[protocol]` and `[dataset]` tables read as types, with checks naming the field.

use crate::catalogue::{self, Family};
use crate::dsp::noise::NoiseKind;
use crate::recognizer::Language;
use crate::scoring::TextRules;
use jiebang_core::{CoreError, EmbeddedSuite, SuiteSpec, parse_embedded};
use jiebang_metrics::speech::{CerSpaces, WordSplit};
use serde::Deserialize;

/// The embedded suite texts with the paths they have in the repository (errors name them).
pub const EMBEDDED: [EmbeddedSuite; 5] = [
    (
        "tasks/speech/suites/asr-zh.toml",
        include_str!("../suites/asr-zh.toml"),
    ),
    (
        "tasks/speech/suites/asr-en.toml",
        include_str!("../suites/asr-en.toml"),
    ),
    (
        "tasks/speech/suites/far-field.toml",
        include_str!("../suites/far-field.toml"),
    ),
    (
        "tasks/speech/suites/intent.toml",
        include_str!("../suites/intent.toml"),
    ),
    (
        "tasks/speech/suites/asr-en-recorded.toml",
        include_str!("../suites/asr-en-recorded.toml"),
    ),
];

/// The suite ids, in [`EMBEDDED`] order.
pub const SUITE_IDS: [&str; 5] = [
    "speech/asr-zh",
    "speech/asr-en",
    "speech/far-field-5m",
    "speech/intent",
    "speech/asr-en-recorded",
];

/// The most utterances a generated dataset may have.
pub const MAX_SAMPLES: u64 = 100_000;

/// Parses the embedded suites.
pub fn embedded() -> Result<Vec<SuiteSpec>, CoreError> {
    parse_embedded(&EMBEDDED)
}

/// What a suite asks of the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TaskKind {
    /// A transcript per utterance.
    Asr,
    /// An intent with slots per utterance.
    Intent,
}

/// A suite's language, as queries and truth write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Mandarin (`zh`).
    Zh,
    /// English (`en`).
    En,
}

impl Lang {
    /// The code queries and truth carry.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// The recogniser's language.
    pub fn recognizer(self) -> Language {
        match self {
            Lang::Zh => Language::Mandarin,
            Lang::En => Language::English,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProtocolTable {
    task: TaskKind,
    language: Lang,
    #[serde(default)]
    family: Option<String>,
    #[serde(default)]
    word_split: Option<String>,
    #[serde(default)]
    cer_spaces: Option<String>,
}

/// The suite's `[protocol]` table, checked.
#[derive(Debug, Clone, Copy)]
pub struct Protocol {
    /// Transcripts or intents.
    pub task: TaskKind,
    /// The language of the audio.
    pub language: Lang,
    /// The metric family of a recognition suite (`None` for intent).
    pub family: Option<Family>,
    /// `protocol.word_split`: how words are split (jiwer's `ascii-space` by default).
    pub word_split: WordSplit,
    /// `protocol.cer_spaces`: whether CER scores white space (jiwer's `count` by default).
    pub cer_spaces: CerSpaces,
}

impl Protocol {
    /// How the suite's text is scored.
    pub fn text(&self) -> TextRules {
        TextRules {
            language: self.language,
            word_split: self.word_split,
            cer_spaces: self.cer_spaces,
        }
    }
}

/// A named convention of field `field`: `default` when absent, else one of `names`.
fn convention<T: Copy>(
    suite: &SuiteSpec,
    field: &str,
    value: Option<&str>,
    default: T,
    all: &[T],
    name: impl Fn(T) -> &'static str,
) -> Result<T, CoreError> {
    let Some(v) = value else {
        return Ok(default);
    };
    all.iter().copied().find(|&c| name(c) == v).ok_or_else(|| {
        let names: Vec<String> = all.iter().map(|&c| format!("{:?}", name(c))).collect();
        suite.field_error(
            field,
            format!(
                "unknown convention {v:?}; expected {} (default {:?}, jiwer's)",
                names.join(" or "),
                name(default)
            ),
        )
    })
}

/// Reads and checks the suite's `[protocol]` table.
pub fn protocol(suite: &SuiteSpec) -> Result<Protocol, CoreError> {
    let p: ProtocolTable = suite.protocol()?;
    let family = match (p.task, p.family.as_deref()) {
        (TaskKind::Asr, Some(id)) => {
            let f = catalogue::family(id).ok_or_else(|| {
                let known: Vec<_> = catalogue::FAMILIES.iter().map(|f| f.id).collect();
                suite.field_error(
                    "protocol.family",
                    format!(
                        "unknown family {id:?}; expected one of {}",
                        known.join(", ")
                    ),
                )
            })?;
            if f.characters != (p.language == Lang::Zh) {
                return Err(suite.field_error(
                    "protocol.family",
                    format!(
                        "family {id:?} does not score language {:?}",
                        p.language.code()
                    ),
                ));
            }
            Some(f)
        }
        (TaskKind::Asr, None) => {
            return Err(suite.field_error(
                "protocol.family",
                "missing; expected the metric family of a recognition suite (e.g. \"asr_zh\")"
                    .into(),
            ));
        }
        (TaskKind::Intent, Some(_)) => {
            return Err(suite.field_error(
                "protocol.family",
                "expected none for an intent suite (its metrics are intent.*)".into(),
            ));
        }
        (TaskKind::Intent, None) => None,
    };
    if p.task == TaskKind::Intent && p.language != Lang::Zh {
        return Err(suite.field_error(
            "protocol.language",
            "expected \"zh\" for an intent suite (the labelled grammar is Mandarin)".into(),
        ));
    }
    let word_split = convention(
        suite,
        "protocol.word_split",
        p.word_split.as_deref(),
        WordSplit::default(),
        &WordSplit::ALL,
        WordSplit::name,
    )?;
    let cer_spaces = convention(
        suite,
        "protocol.cer_spaces",
        p.cer_spaces.as_deref(),
        CerSpaces::default(),
        &CerSpaces::ALL,
        CerSpaces::name,
    )?;
    Ok(Protocol {
        task: p.task,
        language: p.language,
        family,
        word_split,
        cer_spaces,
    })
}

/// A noise kind as a suite names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Noise {
    /// Gaussian white noise.
    White,
    /// Pink (1/f) noise.
    Pink,
}

impl Noise {
    /// The DSP kind.
    pub fn kind(self) -> NoiseKind {
        match self {
            Noise::White => NoiseKind::White,
            Noise::Pink => NoiseKind::Pink,
        }
    }
}

/// One scenario of a suite (`[[dataset.scenarios]]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Its name, a metric id suffix.
    pub name: String,
    /// Corpus audio variants it draws from (`a`, `a-fast`, `a-slow`, `b`, `c`); empty for a
    /// supplied dataset.
    #[serde(default)]
    pub variants: Vec<String>,
    /// Distance of the talker from the microphone in a simulated room, metres.
    #[serde(default)]
    pub room_m: Option<f64>,
    /// Additive noise.
    #[serde(default)]
    pub noise: Option<Noise>,
    /// Signal-to-noise ratio of the noise, dB.
    #[serde(default)]
    pub snr_db: Option<f64>,
}

/// The `[dataset]` table (`samples`, `seed`, `supplied` and `dataset_id` are read by the
/// engine; they are named here so that a misspelt field is refused).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct DatasetTable {
    generator: String,
    #[serde(default)]
    samples: Option<u64>,
    #[serde(default)]
    seed: Option<u64>,
    #[serde(default)]
    supplied: Option<String>,
    #[serde(default)]
    dataset_id: Option<String>,
    scenarios: Vec<Scenario>,
}

/// The corpus audio variants per language.
pub fn known_variants(language: Lang) -> &'static [&'static str] {
    match language {
        Lang::Zh => &["a", "a-fast", "a-slow", "b", "c"],
        Lang::En => &["a", "b"],
    }
}

/// The suite's scenarios, checked: unique names that the family lists (intent: any one
/// name), known variants, a noise with its SNR, a room distance in range; a generated suite
/// names variants for every scenario.
pub fn scenarios(suite: &SuiteSpec) -> Result<Vec<Scenario>, CoreError> {
    let p = protocol(suite)?;
    let d: DatasetTable = suite.dataset()?;
    let generated = d.supplied.is_none();
    if generated && d.generator != "speech-utterances" {
        return Err(suite.field_error(
            "dataset.generator",
            format!("expected \"speech-utterances\", found {:?}", d.generator),
        ));
    }
    if d.scenarios.is_empty() {
        return Err(suite.field_error("dataset.scenarios", "expected at least one scenario".into()));
    }
    for (i, s) in d.scenarios.iter().enumerate() {
        let field = |f: &str| format!("dataset.scenarios[{i}].{f}");
        if d.scenarios[..i].iter().any(|o| o.name == s.name) {
            return Err(suite.field_error(
                &field("name"),
                format!("scenario {:?} is listed twice", s.name),
            ));
        }
        if let Some(f) = p.family
            && !f.scenarios.contains(&s.name.as_str())
        {
            return Err(suite.field_error(
                &field("name"),
                format!(
                    "{:?} is not a scenario of family {}; expected one of {}",
                    s.name,
                    f.id,
                    f.scenarios.join(", ")
                ),
            ));
        }
        if generated && s.variants.is_empty() {
            return Err(suite.field_error(
                &field("variants"),
                "expected at least one corpus variant".into(),
            ));
        }
        for v in &s.variants {
            if !known_variants(p.language).contains(&v.as_str()) {
                return Err(suite.field_error(
                    &field("variants"),
                    format!(
                        "unknown variant {v:?}; expected one of {}",
                        known_variants(p.language).join(", ")
                    ),
                ));
            }
        }
        match (s.noise, s.snr_db) {
            (Some(_), Some(snr)) => {
                suite.in_range(&field("snr_db"), snr, -10.0..=60.0)?;
            }
            (None, None) => {}
            _ => {
                return Err(suite.field_error(
                    &field("snr_db"),
                    "expected `noise` and `snr_db` together".into(),
                ));
            }
        }
        if let Some(m) = s.room_m {
            suite.in_range(&field("room_m"), m, 0.5..=10.0)?;
        }
    }
    if p.task == TaskKind::Intent && d.scenarios.len() != 1 {
        return Err(suite.field_error(
            "dataset.scenarios",
            "expected exactly one scenario for an intent suite".into(),
        ));
    }
    Ok(d.scenarios)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_suites_parse_and_resolve_in_the_catalogue() {
        let suites = embedded().unwrap();
        let ids: Vec<_> = suites.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, SUITE_IDS);
        let d = catalogue::direction();
        for s in &suites {
            let p = protocol(s).unwrap();
            let sc = scenarios(s).unwrap();
            for m in &s.metrics {
                assert!(d.metric(m).is_some(), "{}: metric {m}", s.id);
            }
            for i in &s.indicators {
                assert!(d.indicator(i).is_some(), "{}: indicator {i}", s.id);
            }
            if let Some(f) = p.family {
                for x in &sc {
                    assert!(
                        s.metrics.contains(&f.scenario_accuracy(&x.name)),
                        "{}: {}",
                        s.id,
                        x.name
                    );
                }
            }
        }
        let zh: Vec<_> = scenarios(&suites[0])
            .unwrap()
            .into_iter()
            .map(|s| s.name)
            .collect();
        assert_eq!(zh, catalogue::ASR_ZH.scenarios);
        // Mandarin suites skip spaces in CER (stated in their files); every suite splits
        // words as jiwer does.
        for s in &suites {
            let p = protocol(s).unwrap();
            assert_eq!(p.word_split, WordSplit::AsciiSpace, "{}", s.id);
            let skip = p.language == Lang::Zh;
            assert_eq!(p.cer_spaces == CerSpaces::Skip, skip, "{}", s.id);
        }
    }

    #[test]
    fn bad_settings_name_the_field() {
        let mut s = embedded().unwrap().remove(0);
        s.protocol
            .insert("family".into(), toml::Value::String("asr_en".into()));
        let e = protocol(&s).unwrap_err().to_string();
        assert!(e.contains("protocol.family") && e.contains("zh"), "{e}");
        for (field, want) in [
            ("word_split", "\"ascii-space\" or \"unicode-whitespace\""),
            ("cer_spaces", "\"count\" or \"skip\""),
        ] {
            let mut s = embedded().unwrap().remove(1);
            s.protocol
                .insert(field.into(), toml::Value::String("tabs".into()));
            let e = protocol(&s).unwrap_err().to_string();
            assert!(
                e.contains(&format!("protocol.{field}")) && e.contains(want) && e.contains("tabs"),
                "{e}"
            );
        }
        let mut s = embedded().unwrap().remove(1);
        let toml::Value::Array(list) = s.dataset.get_mut("scenarios").unwrap() else {
            panic!()
        };
        let toml::Value::Table(t) = &mut list[0] else {
            panic!()
        };
        t.insert(
            "variants".into(),
            toml::Value::Array(vec![toml::Value::String("a-fast".into())]),
        );
        let e = scenarios(&s).unwrap_err().to_string();
        assert!(
            e.contains("dataset.scenarios[0].variants") && e.contains("a-fast"),
            "{e}"
        );
    }
}

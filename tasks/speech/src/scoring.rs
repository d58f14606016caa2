//! The speech metrics from references and answers: per-scenario accuracy and its mean with
//! bootstrap intervals (stratified by scenario), pooled CER/WER, sentence accuracy, intent
//! accuracy and slot F1, and the real-time factor and latency the harness observed.

use crate::answer::IntentAnswer;
use crate::catalogue::{
    Family, INTENT_ACCURACY, LATENCY_P50, LATENCY_P90, REAL_TIME_FACTOR,
    REAL_TIME_FACTOR_WITH_STARTUP, SLOT_F1,
};
use crate::suites::Lang;
use jiebang_core::{CoreError, Observed, measure};
use jiebang_metrics::bootstrap::{Units, percentile_interval, quantile_linear, resample_indices};
use jiebang_metrics::proportion::clopper_pearson_interval;
use jiebang_metrics::speech::{
    CerSpaces, EditCounts, Normalization, PUNCTUATION_UNICODE_VERSION, Tokenization, WordSplit,
    case_unicode_version, normalize, tokenize, utterance_counts,
};
use jiebang_scorecard::{CiMethod, Metric};
use std::collections::BTreeMap;

/// Bootstrap replicates of every interval.
pub const RESAMPLES: usize = 1000;
/// The fewest utterances an accuracy or error-rate interval is given from.
pub const MIN_UTTERANCES: u64 = 2;

/// What the truth says of one utterance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The transcript.
    pub text: String,
    /// Its scenario.
    pub scenario: String,
    /// Intent label, where labelled.
    pub intent: Option<String>,
    /// Slot name to value.
    pub slots: BTreeMap<String, String>,
}

/// How a suite's text is scored: its language (words for English, characters for Mandarin)
/// and the white-space conventions (jiwer's unless the suite names others).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextRules {
    /// The language of the transcripts.
    pub language: Lang,
    /// How words are split and what is white space.
    pub word_split: WordSplit,
    /// Whether CER scores white space.
    pub cer_spaces: CerSpaces,
}

impl TextRules {
    /// `language` under jiwer's default conventions.
    pub fn jiwer(language: Lang) -> Self {
        Self {
            language,
            word_split: WordSplit::default(),
            cer_spaces: CerSpaces::default(),
        }
    }

    /// The normalisation (all steps on) under these conventions.
    pub fn normalization(&self) -> Normalization {
        Normalization::default().with_conventions(self.word_split, self.cer_spaces)
    }

    /// Words for English, characters for Mandarin.
    pub fn tokenization(&self) -> Tokenization {
        match self.language {
            Lang::Zh => Tokenization::Characters,
            Lang::En => Tokenization::Words,
        }
    }

    /// The scoring convention as a signature (after sacrebleu's): normalisation steps,
    /// tokenisation, for characters whether spaces count, the word-split convention, the
    /// Unicode version of the punctuation table, that of the case mapping when lower-casing,
    /// the metric code's version (`norm:fullwidth+lower+punct|tok:char|spaces:skip|
    /// split:ascii-space|unicode:…|case:…|jiebang-metrics:…`). Every WER/CER-derived metric carries it.
    pub fn convention(&self) -> String {
        let n = self.normalization();
        let steps: Vec<&str> = [
            (n.fullwidth_to_halfwidth, "fullwidth"),
            (n.lowercase, "lower"),
            (n.remove_punctuation, "punct"),
        ]
        .into_iter()
        .filter_map(|(on, name)| on.then_some(name))
        .collect();
        let split = self.word_split.name();
        let tok = match self.tokenization() {
            Tokenization::Characters => {
                format!("tok:char|spaces:{}|split:{split}", self.cer_spaces.name())
            }
            Tokenization::Words => format!("tok:word|split:{split}"),
            Tokenization::Mixed => format!("tok:mixed|split:{split}"),
        };
        let case = if n.lowercase {
            format!("|case:{}", case_unicode_version())
        } else {
            String::new()
        };
        format!(
            "norm:{}|{tok}|unicode:{PUNCTUATION_UNICODE_VERSION}{case}|jiebang-metrics:{}",
            if steps.is_empty() {
                "none".to_string()
            } else {
                steps.join("+")
            },
            jiebang_metrics::VERSION
        )
    }

    /// The scored tokens of `text` once normalised.
    pub fn token_count(&self, text: &str) -> usize {
        let n = self.normalization();
        tokenize(&normalize(text, &n), self.tokenization(), &n).len()
    }
}

fn metric_error(what: &str, e: impl std::fmt::Display) -> CoreError {
    CoreError::Other(format!("scoring {what}: {e}"))
}

fn bootstrap_method(what: &str) -> CiMethod {
    CiMethod::Other(format!("bootstrap-percentile ({what}, B={RESAMPLES})"))
}

fn widened_method(what: &str) -> CiMethod {
    CiMethod::Other(format!(
        "bootstrap-percentile ({what}, B={RESAMPLES}) widened to the Clopper-Pearson interval of the tokens"
    ))
}

/// The seed of stratum `s`'s resampling streams.
fn stratum_seed(seed: u64, s: usize) -> u64 {
    seed ^ 0x9e37_79b9_7f4a_7c15u64.wrapping_mul(s as u64 + 1)
}

/// `1 − errors / reference tokens` over the utterances `idx` (positions in `counts`).
fn accuracy_of(counts: &[&EditCounts], idx: &[usize]) -> f64 {
    let (mut e, mut r) = (0u64, 0u64);
    for &i in idx {
        e += counts[i].errors();
        r += counts[i].reference_len();
    }
    if r == 0 {
        f64::NAN
    } else {
        1.0 - e as f64 / r as f64
    }
}

/// The recognition metrics of a suite of `family`: `scored` pairs each utterance's reference
/// with the answered transcript (`None`: a technical failure, scored as an empty transcript).
pub fn recognition(
    family: &Family,
    rules: TextRules,
    scenarios: &[String],
    scored: &[(&Reference, Option<String>)],
    seed: u64,
) -> Result<BTreeMap<String, Metric>, CoreError> {
    let conv = rules.convention();
    let refs: Vec<&str> = scored.iter().map(|(r, _)| r.text.as_str()).collect();
    let hyps: Vec<&str> = scored
        .iter()
        .map(|(_, h)| h.as_deref().unwrap_or(""))
        .collect();
    let counts = utterance_counts(&refs, &hyps, rules.tokenization(), &rules.normalization())
        .map_err(|e| metric_error("error rates", e))?;
    let mut out = BTreeMap::new();
    let n = scored.len() as u64;
    // The interval of an accuracy (or, `error_rate`, of an error rate) over utterances
    // `members`: the bootstrap percentile interval widened to hold the Clopper–Pearson interval
    // of the tokens, so that it is never zero-width (a scenario with no error, or one
    // utterance, gives a degenerate bootstrap); fewer than two utterances give no interval.
    let ci = |v: f64,
              reps: &[f64],
              members: &[&EditCounts],
              error_rate: bool,
              what: &str|
     -> Result<Metric, CoreError> {
        let k = members.len() as u64;
        if k < MIN_UTTERANCES {
            return Ok(Metric::point(v, k, "ratio").with_reason(format!(
                "no interval from fewer than {MIN_UTTERANCES} utterances; a verdict needs more"
            )));
        }
        let boot = percentile_interval(reps, 0.95).map_err(|e| metric_error(what, e))?;
        let (tokens, errors) = members.iter().fold((0u64, 0u64), |(r, e), c| {
            (r + c.reference_len(), e + c.errors())
        });
        let wrong = errors.min(tokens) as f64;
        let hits = if error_rate {
            wrong
        } else {
            tokens as f64 - wrong
        };
        let exact = clopper_pearson_interval(hits, tokens as f64, 0.95)
            .map_err(|e| metric_error(what, e))?;
        Ok(Metric::estimate(
            v,
            Some([boot.lo.min(exact.lo), boot.hi.max(exact.hi)]),
            widened_method(what),
            k,
            "ratio",
        ))
    };
    // Per scenario, then the mean over the scenarios present, resampled within each.
    let mut strata: Vec<(usize, Vec<&EditCounts>)> = Vec::new();
    let mut absent = Vec::new();
    for (s, name) in scenarios.iter().enumerate() {
        let members: Vec<&EditCounts> = scored
            .iter()
            .zip(&counts)
            .filter(|((r, _), _)| &r.scenario == name)
            .map(|(_, c)| c)
            .collect();
        let id = family.scenario_accuracy(name);
        if members.is_empty() {
            absent.push(name.as_str());
            out.insert(
                id,
                Metric::not_measured(
                    0,
                    "ratio",
                    format!("no utterance of scenario {name} in this run"),
                )
                .with_convention(conv.clone()),
            );
            continue;
        }
        let units = Units::samples(members.len());
        let all: Vec<usize> = (0..members.len()).collect();
        let v = accuracy_of(&members, &all);
        let mut idx = Vec::new();
        let reps: Vec<f64> = (0..RESAMPLES as u64)
            .map(|r| {
                resample_indices(&units, stratum_seed(seed, s), r, &mut idx);
                accuracy_of(&members, &idx)
            })
            .collect();
        out.insert(
            id,
            ci(v, &reps, &members, false, "utterances")?.with_convention(conv.clone()),
        );
        strata.push((s, members));
    }
    let mean_id = family.accuracy();
    if strata.is_empty() {
        out.insert(
            mean_id,
            Metric::not_measured(0, "ratio", "no utterances were run")
                .with_convention(conv.clone()),
        );
    } else {
        let k = strata.len() as f64;
        let mean = strata
            .iter()
            .map(|(_, m)| accuracy_of(m, &(0..m.len()).collect::<Vec<_>>()))
            .sum::<f64>()
            / k;
        let units: Vec<Units> = strata
            .iter()
            .map(|(_, m)| Units::samples(m.len()))
            .collect();
        let mut idx = Vec::new();
        let reps: Vec<f64> = (0..RESAMPLES as u64)
            .map(|r| {
                strata
                    .iter()
                    .zip(&units)
                    .map(|((s, m), u)| {
                        resample_indices(u, stratum_seed(seed, *s), r, &mut idx);
                        accuracy_of(m, &idx)
                    })
                    .sum::<f64>()
                    / k
            })
            .collect();
        let pooled: Vec<&EditCounts> = strata.iter().flat_map(|(_, m)| m.iter().copied()).collect();
        let mut m = ci(
            mean,
            &reps,
            &pooled,
            false,
            "utterances stratified by scenario",
        )?;
        if !absent.is_empty() {
            // A mean over some of the suite's scenarios is not the indicator: it keeps its
            // value but no interval, so no verdict rests on it.
            m = Metric::point(mean, n, "ratio").with_reason(format!(
                "mean over the {} scenarios present, not the suite's {}; absent from this run: {}; \
                 no interval, so no verdict",
                strata.len(),
                scenarios.len(),
                absent.join(", ")
            ));
        }
        out.insert(mean_id, m.with_convention(conv.clone()));
    }
    // Pooled error rate and sentence accuracy over every utterance.
    if scored.is_empty() {
        out.insert(
            family.error_rate(),
            Metric::not_measured(0, "ratio", "no utterances were run")
                .with_convention(conv.clone()),
        );
    } else {
        let all: Vec<&EditCounts> = counts.iter().collect();
        let units = Units::samples(all.len());
        let full: Vec<usize> = (0..all.len()).collect();
        let rate = 1.0 - accuracy_of(&all, &full);
        let mut idx = Vec::new();
        let reps: Vec<f64> = (0..RESAMPLES as u64)
            .map(|r| {
                resample_indices(&units, seed, r, &mut idx);
                1.0 - accuracy_of(&all, &idx)
            })
            .collect();
        out.insert(
            family.error_rate(),
            ci(rate, &reps, &all, true, "utterances")?.with_convention(conv.clone()),
        );
    }
    let exact = counts.iter().filter(|c| c.errors() == 0).count() as u64;
    out.insert(
        family.sentence_accuracy(),
        measure::share(
            &family.sentence_accuracy(),
            exact,
            n,
            "no utterances were run",
        )?
        .with_convention(conv),
    );
    Ok(out)
}

/// A slot value as scored: normalised, its tokens joined by single spaces.
fn slot_value(v: &str, rules: TextRules) -> String {
    let n = rules.normalization();
    tokenize(&normalize(v, &n), rules.tokenization(), &n).join(" ")
}

/// The intent metrics: `scored` pairs each utterance's reference with the answer (`None`: a
/// technical failure, which counts as a wrong intent and no slots).
pub fn intents(
    rules: TextRules,
    scored: &[(&Reference, Option<IntentAnswer>)],
    seed: u64,
) -> Result<BTreeMap<String, Metric>, CoreError> {
    let n = scored.len() as u64;
    let correct = scored
        .iter()
        .filter(|(r, a)| matches!((&r.intent, a), (Some(t), Some(a)) if *t == a.intent))
        .count() as u64;
    let mut out = BTreeMap::new();
    out.insert(
        INTENT_ACCURACY.to_string(),
        measure::share(INTENT_ACCURACY, correct, n, "no utterances were run")?,
    );
    // (true positives, false positives, false negatives) per utterance.
    let tallies: Vec<[u64; 3]> = scored
        .iter()
        .map(|(r, a)| {
            let truth: BTreeMap<&str, String> = r
                .slots
                .iter()
                .map(|(k, v)| (k.as_str(), slot_value(v, rules)))
                .collect();
            let said: BTreeMap<&str, String> = a
                .iter()
                .flat_map(|a| a.slots.iter())
                .map(|(k, v)| (k.as_str(), slot_value(v, rules)))
                .collect();
            let tp = said
                .iter()
                .filter(|(k, v)| truth.get(*k) == Some(*v))
                .count() as u64;
            [tp, said.len() as u64 - tp, truth.len() as u64 - tp]
        })
        .collect();
    let f1 = |idx: &[usize]| {
        let [tp, fp, fneg] = idx.iter().fold([0u64; 3], |acc, &i| {
            [
                acc[0] + tallies[i][0],
                acc[1] + tallies[i][1],
                acc[2] + tallies[i][2],
            ]
        });
        let d = 2 * tp + fp + fneg;
        if d == 0 {
            f64::NAN
        } else {
            2.0 * tp as f64 / d as f64
        }
    };
    let full: Vec<usize> = (0..tallies.len()).collect();
    let v = f1(&full);
    let metric = if v.is_nan() {
        Metric::not_measured(n, "ratio", "no slot was labelled or answered")
    } else {
        let units = Units::samples(tallies.len());
        let mut idx = Vec::new();
        let reps: Vec<f64> = (0..RESAMPLES as u64)
            .filter_map(|r| {
                resample_indices(&units, seed, r, &mut idx);
                Some(f1(&idx)).filter(|x| x.is_finite())
            })
            .collect();
        let iv = percentile_interval(&reps, 0.95).map_err(|e| metric_error("slot F1", e))?;
        if iv.lo == iv.hi {
            // Every resample gave the same F1 (no slot error, or one utterance): a zero-width
            // interval would decide a verdict it cannot support.
            Metric::point(v, n, "ratio").with_reason(
                "no interval: every bootstrap resample gave the same F1 (no slot error, or too \
                 few utterances), so no verdict",
            )
        } else {
            Metric::estimate(
                v,
                Some([iv.lo, iv.hi]),
                bootstrap_method("utterances"),
                n,
                "ratio",
            )
        }
    };
    out.insert(
        SLOT_F1.to_string(),
        metric.with_convention(rules.convention()),
    );
    Ok(out)
}

/// The real-time factor and first-result latency from what the harness observed: `timed`
/// pairs each observed utterance's audio seconds with its observation. Only queries answered
/// alone count (no other query in flight, not a session's first).
pub fn timing(timed: &[(f64, Observed)]) -> BTreeMap<String, Metric> {
    let mut out = BTreeMap::new();
    out.insert(
        REAL_TIME_FACTOR_WITH_STARTUP.to_string(),
        with_startup(timed),
    );
    let clean: Vec<(f64, f64)> = timed
        .iter()
        .filter(|(_, o)| !o.overlapped && !o.first_in_session)
        .map(|(s, o)| (*s, o.wall_s))
        .collect();
    let ids = [
        (REAL_TIME_FACTOR, "s/s"),
        (LATENCY_P50, "s"),
        (LATENCY_P90, "s"),
    ];
    if clean.is_empty() {
        let why = if timed.is_empty() {
            "no query was timed by the harness (a predictions file, or every query failed)"
        } else {
            "every timed query overlapped another or was its session's first; an accuracy run with one query in flight (the suites' default, `max_in_flight = 1`) times each query alone"
        };
        for (id, unit) in ids {
            out.insert(id.to_string(), Metric::not_measured(0, unit, why));
        }
        return out;
    }
    let n = clean.len() as u64;
    let audio: f64 = clean.iter().map(|(s, _)| s).sum();
    let wall: Vec<f64> = clean.iter().map(|(_, w)| *w).collect();
    let total: f64 = wall.iter().sum();
    out.insert(
        REAL_TIME_FACTOR.to_string(),
        if audio > 0.0 {
            Metric::point(total / audio, n, "s/s")
        } else {
            Metric::not_measured(n, "s/s", "the timed utterances hold no audio")
        },
    );
    for (id, q) in [(LATENCY_P50, 0.5), (LATENCY_P90, 0.9)] {
        let m = quantile_linear(&wall, q)
            .map(|v| Metric::point(v, n, "s"))
            .unwrap_or_else(|e| Metric::not_measured(n, "s", e.to_string()));
        out.insert(id.to_string(), m);
    }
    out
}

/// The real-time factor charged with every session's start-up: nothing a system did between
/// being started and answering its last query escapes it (a system that transcribes every
/// input before `ready` pays for it here). Not measured when queries overlapped (their times
/// would count twice) or the log does not record a session's start-up.
fn with_startup(timed: &[(f64, Observed)]) -> Metric {
    let n = timed.len() as u64;
    if timed.is_empty() {
        return Metric::not_measured(0, "s/s", "no query was timed by the harness");
    }
    if timed.iter().any(|(_, o)| o.overlapped) {
        return Metric::not_measured(
            n,
            "s/s",
            "queries overlapped, so their times would count twice; run one query at a time",
        );
    }
    let mut seconds = 0.0;
    for (_, o) in timed {
        seconds += o.wall_s;
        if o.first_in_session {
            match o.session_startup_s {
                Some(s) => seconds += s,
                None => {
                    return Metric::not_measured(
                        n,
                        "s/s",
                        "the run log does not record a session's start-up time",
                    );
                }
            }
        }
    }
    let audio: f64 = timed.iter().map(|(s, _)| s).sum();
    if audio > 0.0 {
        Metric::point(seconds / audio, n, "s/s")
    } else {
        Metric::not_measured(n, "s/s", "the timed utterances hold no audio")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::ASR_ZH;

    /// asr-zh's rules: jiwer's word split, spaces not scored.
    fn zh() -> TextRules {
        TextRules {
            cer_spaces: CerSpaces::Skip,
            ..TextRules::jiwer(Lang::Zh)
        }
    }

    fn reference(text: &str, scenario: &str) -> Reference {
        Reference {
            text: text.into(),
            scenario: scenario.into(),
            intent: None,
            slots: BTreeMap::new(),
        }
    }

    #[test]
    fn per_scenario_accuracy_its_mean_and_the_pooled_cer() {
        let a = reference("打开客厅的灯", "quiet");
        let b = reference("关闭空调", "fast");
        let scored = vec![
            (&a, Some("打开客厅的灯。".to_string())),
            (&b, Some("关闭空".to_string())),
            (&b, None),
        ];
        let scenarios = vec!["quiet".to_string(), "fast".to_string(), "slow".to_string()];
        let m = recognition(&ASR_ZH, zh(), &scenarios, &scored, 7).unwrap();
        assert_eq!(m["asr_zh.accuracy.quiet"].value, Some(1.0));
        // fast: 1 + 4 errors over 8 reference characters.
        assert_eq!(m["asr_zh.accuracy.fast"].value, Some(1.0 - 5.0 / 8.0));
        assert_eq!(m["asr_zh.accuracy.slow"].value, None);
        assert_eq!(m["asr_zh.accuracy"].value, Some((1.0 + 3.0 / 8.0) / 2.0));
        assert!(
            m["asr_zh.accuracy"]
                .reason
                .as_deref()
                .unwrap()
                .contains("slow")
        );
        assert!((m["asr_zh.cer"].value.unwrap() - 5.0 / 14.0).abs() < 1e-12);
        assert_eq!(m["asr_zh.sentence_accuracy"].value, Some(1.0 / 3.0));
        let [lo, hi] = m["asr_zh.cer"].ci95.unwrap();
        assert!(lo <= 5.0 / 14.0 && 5.0 / 14.0 <= hi);
        let conv = m["asr_zh.cer"].convention.as_deref().unwrap();
        assert!(
            conv.starts_with("norm:fullwidth+lower+punct|tok:char|spaces:skip|split:ascii-space|"),
            "{conv}"
        );
        // Deterministic for a seed.
        assert_eq!(
            m,
            recognition(&ASR_ZH, zh(), &scenarios, &scored, 7).unwrap()
        );
    }

    #[test]
    fn the_conventions_decide_the_counts_and_are_named() {
        let a = reference("打开 客厅的灯", "quiet");
        let scored = vec![(&a, Some("打开客厅的灯".to_string())), (&a, None)];
        let scenarios = vec!["quiet".to_string()];
        let skip = recognition(&ASR_ZH, zh(), &scenarios, &scored, 7).unwrap();
        let jiwer = TextRules::jiwer(Lang::Zh);
        let count = recognition(&ASR_ZH, jiwer, &scenarios, &scored, 7).unwrap();
        // Spaces skipped: 0 + 6 errors over 12 characters; counted: 1 + 7 over 14.
        assert_eq!(skip["asr_zh.cer"].value, Some(6.0 / 12.0));
        assert_eq!(count["asr_zh.cer"].value, Some(8.0 / 14.0));
        let conv = count["asr_zh.cer"].convention.as_deref().unwrap();
        assert!(
            conv.contains("|tok:char|spaces:count|split:ascii-space|"),
            "{conv}"
        );
        let en = TextRules {
            word_split: WordSplit::UnicodeWhitespace,
            ..TextRules::jiwer(Lang::En)
        };
        assert_eq!(en.token_count("a\tb c"), 3);
        assert_eq!(TextRules::jiwer(Lang::En).token_count("a\tb c"), 2);
        assert!(
            en.convention()
                .contains("|tok:word|split:unicode-whitespace|unicode:")
        );
    }

    #[test]
    fn no_verdict_rests_on_a_zero_width_or_partial_interval() {
        let a = reference("打开客厅的灯", "quiet");
        let b = reference("关闭空调", "fast");
        let scenarios = vec!["quiet".to_string(), "fast".to_string()];
        // Three error-free utterances of each scenario: the bootstrap alone gives [1, 1]; the
        // interval must still reach below 1 (Clopper–Pearson of the 18 and 12 tokens).
        let mut scored = Vec::new();
        for _ in 0..3 {
            scored.push((&a, Some(a.text.clone())));
            scored.push((&b, Some(b.text.clone())));
        }
        let m = recognition(&ASR_ZH, zh(), &scenarios, &scored, 7).unwrap();
        for id in [
            "asr_zh.accuracy.quiet",
            "asr_zh.accuracy.fast",
            "asr_zh.accuracy",
        ] {
            let [lo, hi] = m[id].ci95.unwrap();
            assert!(lo < 0.9 && hi == 1.0, "{id}: [{lo}, {hi}]");
        }
        // One utterance of a scenario: a value, no interval. A scenario absent: the mean keeps
        // its value but no interval, and says why.
        let one = vec![(&a, Some(a.text.clone())), (&b, Some(b.text.clone()))];
        let m = recognition(&ASR_ZH, zh(), &scenarios, &one, 7).unwrap();
        assert_eq!(m["asr_zh.accuracy.quiet"].ci95, None);
        let only_quiet = vec![(&a, Some(a.text.clone())), (&a, Some(a.text.clone()))];
        let m = recognition(&ASR_ZH, zh(), &scenarios, &only_quiet, 7).unwrap();
        assert_eq!(m["asr_zh.accuracy"].value, Some(1.0));
        assert_eq!(m["asr_zh.accuracy"].ci95, None);
        assert!(
            m["asr_zh.accuracy"]
                .reason
                .as_deref()
                .unwrap()
                .contains("fast")
        );
    }

    #[test]
    fn intent_accuracy_and_slot_f1() {
        let mut r = reference("打开客厅的灯", "voices-abc");
        r.intent = Some("turn_on".into());
        r.slots.insert("device".into(), "客厅的灯".into());
        let right = IntentAnswer {
            intent: "turn_on".into(),
            slots: [("device".to_string(), "客厅的灯。".to_string())].into(),
            transcript: None,
        };
        let wrong = IntentAnswer {
            intent: "turn_off".into(),
            slots: [("room".to_string(), "x".to_string())].into(),
            transcript: None,
        };
        let scored = vec![(&r, Some(right)), (&r, Some(wrong)), (&r, None)];
        let m = intents(zh(), &scored, 1).unwrap();
        assert_eq!(m[INTENT_ACCURACY].value, Some(1.0 / 3.0));
        // tp 1, fp 1, fn 2: 2 / (2 + 1 + 2).
        assert_eq!(m[SLOT_F1].value, Some(0.4));
    }

    #[test]
    fn timing_counts_only_queries_answered_alone() {
        let o = |wall_s, overlapped, first_in_session| Observed {
            wall_s,
            overlapped,
            first_in_session,
            session_startup_s: None,
        };
        let t = timing(&[
            (2.0, o(9.0, false, true)),
            (2.0, o(1.0, false, false)),
            (2.0, o(0.5, false, false)),
            (1.0, o(5.0, true, false)),
        ]);
        assert_eq!(t[REAL_TIME_FACTOR].value, Some(1.5 / 4.0));
        // Overlapped queries: the charged figure is withheld.
        assert_eq!(t[REAL_TIME_FACTOR_WITH_STARTUP].value, None);
        // A system that did all its work before `ready` (8 s) and answers each query in 1 ms:
        // per query it looks instant, charged with its start-up it does not.
        let s = |wall_s, first: bool, startup: Option<f64>| Observed {
            wall_s,
            overlapped: false,
            first_in_session: first,
            session_startup_s: startup,
        };
        let ahead = timing(&[
            (2.0, s(0.001, true, Some(8.0))),
            (2.0, s(0.001, false, None)),
            (2.0, s(0.001, false, None)),
        ]);
        assert_eq!(ahead[REAL_TIME_FACTOR].value, Some(0.002 / 4.0));
        let charged = ahead[REAL_TIME_FACTOR_WITH_STARTUP].value.unwrap();
        assert!((charged - 8.003 / 6.0).abs() < 1e-12, "{charged}");
        let unrecorded = timing(&[(2.0, s(0.5, true, None)), (2.0, s(0.5, false, None))]);
        assert_eq!(unrecorded[REAL_TIME_FACTOR_WITH_STARTUP].value, None);
        assert_eq!(t[LATENCY_P50].value, Some(0.75));
        let none = timing(&[(1.0, o(1.0, true, false))]);
        assert!(
            none[REAL_TIME_FACTOR]
                .reason
                .as_deref()
                .unwrap()
                .contains("overlapped")
        );
    }
}

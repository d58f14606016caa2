//! The speech direction (智能语音交互系统): the three national 2020 indicators, the further
//! indicators a unit may declare, and every metric (per-scenario accuracies included).

use jiebang_core::{Direction, Indicator, MetricKind, MetricSpec, NationalTarget};
use jiebang_scorecard::{Better, Comparison};

/// Direction id.
pub const DIRECTION_ID: &str = "speech";

/// A family of recognition metrics: one suite kind's language and scenario names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Family {
    /// Metric id prefix (`asr_zh`: `asr_zh.accuracy`, `asr_zh.accuracy.quiet`, ...).
    pub id: &'static str,
    /// What the family measures, for metric descriptions.
    pub what: &'static str,
    /// Whether its error rate counts characters (CER, Mandarin) or words (WER, English).
    pub characters: bool,
    /// The scenario names a suite of the family may have, each a metric of its own.
    pub scenarios: &'static [&'static str],
}

/// Mandarin recognition across scenarios (`speech/asr-zh`).
pub const ASR_ZH: Family = Family {
    id: "asr_zh",
    what: "Mandarin recognition",
    characters: true,
    scenarios: &[
        "quiet",
        "fast",
        "slow",
        "voice-b",
        "voice-c",
        "noisy-snr10",
        "noisy-snr5",
    ],
};

/// English recognition (`speech/asr-en`).
pub const ASR_EN: Family = Family {
    id: "asr_en",
    what: "English recognition",
    characters: false,
    scenarios: &["quiet", "voice-b", "noisy-snr10"],
};

/// English recordings by people (`speech/asr-en-recorded`).
pub const ASR_EN_RECORDED: Family = Family {
    id: "asr_en_recorded",
    what: "English recognition of recordings by people",
    characters: false,
    scenarios: &["recorded"],
};

/// Mandarin through a simulated 5 m room (`speech/far-field-5m`).
pub const FAR_FIELD: Family = Family {
    id: "far_field",
    what: "Mandarin 5 m far-field recognition",
    characters: true,
    scenarios: &["room-5m-snr20", "room-5m-snr10"],
};

/// Every recognition family.
pub const FAMILIES: [Family; 4] = [ASR_ZH, ASR_EN, ASR_EN_RECORDED, FAR_FIELD];

/// The family with this id.
pub fn family(id: &str) -> Option<Family> {
    FAMILIES.into_iter().find(|f| f.id == id)
}

impl Family {
    /// The average over scenarios of per-scenario accuracy (1 − CER or 1 − WER).
    pub fn accuracy(&self) -> String {
        format!("{}.accuracy", self.id)
    }

    /// One scenario's accuracy.
    pub fn scenario_accuracy(&self, scenario: &str) -> String {
        format!("{}.accuracy.{scenario}", self.id)
    }

    /// The pooled error rate over every utterance (`cer` or `wer`).
    pub fn error_rate(&self) -> String {
        format!("{}.{}", self.id, self.rate_name())
    }

    /// Share of utterances recognised without an error.
    pub fn sentence_accuracy(&self) -> String {
        format!("{}.sentence_accuracy", self.id)
    }

    fn rate_name(&self) -> &'static str {
        if self.characters { "cer" } else { "wer" }
    }

    fn rate_upper(&self) -> &'static str {
        if self.characters { "CER" } else { "WER" }
    }
}

/// Intent accuracy (`speech/intent`).
pub const INTENT_ACCURACY: &str = "intent.accuracy";
/// Slot F1 (`speech/intent`).
pub const SLOT_F1: &str = "intent.slot_f1";
/// Harness-observed seconds per second of audio.
pub const REAL_TIME_FACTOR: &str = "response.real_time_factor";
/// The real-time factor charged with each session's start-up (an upper bound beside it).
pub const REAL_TIME_FACTOR_WITH_STARTUP: &str = "response.real_time_factor_with_startup";
/// Median harness-observed issue-to-answer time.
pub const LATENCY_P50: &str = "response.first_result_latency_p50";
/// 90th percentile of the harness-observed issue-to-answer time.
pub const LATENCY_P90: &str = "response.first_result_latency_p90";

/// The national indicator 中文语音识别平均准确率.
pub const ZH_ACCURACY_INDICATOR: &str = "speech.zh_accuracy";
/// The national indicator 5米远场识别率.
pub const FAR_FIELD_INDICATOR: &str = "speech.far_field_accuracy";
/// The national indicator 用户对话意图识别准确率.
pub const INTENT_INDICATOR: &str = "speech.intent_accuracy";

fn family_metrics(f: &Family) -> Vec<MetricSpec> {
    use Better::{Higher, Lower};
    use MetricKind::{Continuous, Proportion};
    let boot = "bootstrap 95% CI over utterances";
    let mut m = vec![
        MetricSpec::new(
            f.accuracy(),
            "ratio",
            Higher,
            Continuous,
            format!(
                "{}: mean over the suite's scenarios of per-scenario accuracy 1 - {} (errors S+D+I over reference tokens, pooled over the scenario's utterances); {boot} stratified by scenario",
                f.what,
                f.rate_upper()
            ),
        ),
        MetricSpec::new(
            f.error_rate(),
            "ratio",
            Lower,
            Continuous,
            format!(
                "{}: {} pooled over every utterance of the run (S+D+I over reference tokens; may exceed 1); {boot}",
                f.what,
                f.rate_upper()
            ),
        ),
        MetricSpec::new(
            f.sentence_accuracy(),
            "ratio",
            Higher,
            Proportion,
            format!(
                "{}: utterances recognised without a single error after normalisation / utterances (Wilson 95% CI)",
                f.what
            ),
        ),
    ];
    for s in f.scenarios {
        m.push(MetricSpec::new(
            f.scenario_accuracy(s),
            "ratio",
            Higher,
            Continuous,
            format!(
                "{}, scenario `{s}`: 1 - {} pooled over the scenario's utterances; {boot}",
                f.what,
                f.rate_upper()
            ),
        ));
    }
    m
}

/// The direction with its catalogue.
pub fn direction() -> Direction {
    use Better::{Higher, Lower};
    use MetricKind::{Continuous, Proportion};
    let mut metrics: Vec<MetricSpec> = FAMILIES.iter().flat_map(family_metrics).collect();
    metrics.extend([
        MetricSpec::new(
            INTENT_ACCURACY,
            "ratio",
            Higher,
            Proportion,
            "Dialogue intent accuracy: utterances whose answered intent equals the labelled one / utterances (Wilson 95% CI); a technical failure counts as wrong",
        ),
        MetricSpec::new(
            SLOT_F1,
            "ratio",
            Higher,
            Continuous,
            "Slot F1: micro-averaged over (slot, value) pairs, values compared after the scoring normalisation (2TP / (2TP + FP + FN)); bootstrap 95% CI over utterances",
        ),
        MetricSpec::new(
            REAL_TIME_FACTOR,
            "s/s",
            Lower,
            Continuous,
            "Real-time factor: harness-observed issue-to-answer seconds / seconds of audio, summed over the queries answered alone (no other query in flight, not the first of a session), in accuracy runs; the suites run one query at a time by default. Work a system does before `ready` or ahead of a query is not counted (every input is readable from the start): see real_time_factor_with_startup",
        ),
        MetricSpec::new(
            REAL_TIME_FACTOR_WITH_STARTUP,
            "s/s",
            Lower,
            Continuous,
            "Real-time factor charged with start-up: (harness-observed seconds from starting each session's system to its ready + every answered query's issue-to-answer seconds) / seconds of audio, in accuracy runs with one query in flight. An upper bound beside real_time_factor: it counts a model's loading, and it counts work a system does ahead by reading every input before its first query",
        ),
        MetricSpec::new(
            LATENCY_P50,
            "s",
            Lower,
            Continuous,
            "First-result latency, median: harness-observed issue-to-answer seconds of the queries answered alone (the protocol is not streaming, so the first result is the answer)",
        ),
        MetricSpec::new(
            LATENCY_P90,
            "s",
            Lower,
            Continuous,
            "First-result latency, 90th percentile (linear interpolation) of the harness-observed issue-to-answer seconds of the queries answered alone",
        ),
    ]);
    let indicators = vec![
        Indicator::new(
            ZH_ACCURACY_INDICATOR,
            "中文语音识别平均准确率",
            "average Chinese recognition accuracy across scenarios (1 - CER)",
            "asr_zh.accuracy",
            Some(NationalTarget::new(Comparison::Ge, 0.96)),
        ),
        Indicator::new(
            FAR_FIELD_INDICATOR,
            "5米远场识别率",
            "5 m far-field recognition rate (1 - CER)",
            "far_field.accuracy",
            Some(NationalTarget::new(Comparison::Gt, 0.92)),
        ),
        Indicator::new(
            INTENT_INDICATOR,
            "用户对话意图识别准确率",
            "dialogue intent recognition accuracy",
            INTENT_ACCURACY,
            Some(NationalTarget::new(Comparison::Gt, 0.90)),
        ),
        Indicator::new(
            "speech.en_accuracy",
            "英文语音识别准确率",
            "English recognition accuracy (1 - WER)",
            "asr_en.accuracy",
            None,
        ),
        Indicator::new(
            "speech.en_recorded_accuracy",
            "英文真人录音识别准确率",
            "English recognition accuracy on recordings by people (1 - WER)",
            "asr_en_recorded.accuracy",
            None,
        ),
        Indicator::new(
            "speech.zh_sentence_accuracy",
            "中文句子识别准确率",
            "Chinese sentence accuracy",
            "asr_zh.sentence_accuracy",
            None,
        ),
        Indicator::new(
            "speech.en_sentence_accuracy",
            "英文句子识别准确率",
            "English sentence accuracy",
            "asr_en.sentence_accuracy",
            None,
        ),
        Indicator::new("speech.slot_f1", "槽位识别F1值", "slot F1", SLOT_F1, None),
        Indicator::new(
            "speech.real_time_factor",
            "实时率",
            "real-time factor",
            REAL_TIME_FACTOR,
            None,
        ),
        Indicator::new(
            "speech.first_result_latency_p90",
            "首次结果响应时间（90分位）",
            "first-result latency, 90th percentile",
            LATENCY_P90,
            None,
        ),
    ];
    Direction {
        id: DIRECTION_ID,
        name_zh: "智能语音交互系统",
        name_en: "Intelligent speech interaction",
        indicators,
        metrics,
        digests: vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiebang_core::NATIONAL_SOURCE;

    #[test]
    fn the_catalogue_is_consistent_and_carries_the_three_national_targets() {
        let d = direction();
        d.check().unwrap();
        let t = |id: &str| {
            let t = d.indicator(id).unwrap().national_target.clone().unwrap();
            (t.comparison, t.value, t.source)
        };
        assert_eq!(
            t(ZH_ACCURACY_INDICATOR),
            (Comparison::Ge, 0.96, NATIONAL_SOURCE)
        );
        assert_eq!(
            t(FAR_FIELD_INDICATOR),
            (Comparison::Gt, 0.92, NATIONAL_SOURCE)
        );
        assert_eq!(t(INTENT_INDICATOR), (Comparison::Gt, 0.90, NATIONAL_SOURCE));
        for s in ASR_ZH.scenarios {
            assert!(d.metric(&ASR_ZH.scenario_accuracy(s)).is_some(), "{s}");
        }
        assert!(d.metric("asr_en.wer").is_some() && d.metric("far_field.cer").is_some());
    }
}

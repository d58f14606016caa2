//! The nn-chip direction (神经网络芯片): its indicators with the national 2020 targets, and the
//! catalogue of metrics its suites compute — aggregates by precision plus five metrics per
//! kernel workload of the embedded suites, each tied to its workload, as is its output digest.

use crate::spec::{Precision, WorkloadSpec};
use jiebang_core::{DigestSpec, Direction, Indicator, MetricKind, MetricSpec, NationalTarget};
use jiebang_scorecard::{Better, Comparison};
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// Direction id.
pub const DIRECTION_ID: &str = "nn-chip";

/// Best achieved f32 rate among correct f32 workloads (GEMM, conv2d, LSTM, RNN), TFLOPS.
pub const THROUGHPUT_F32: &str = "throughput.f32";
/// Best achieved f16 GEMM rate among correct workloads, TFLOPS (= 16-bit float TOPS).
pub const THROUGHPUT_F16: &str = "throughput.f16";
/// Best achieved int8→i32 GEMM rate among correct workloads, TOPS.
pub const THROUGHPUT_INT8: &str = "throughput.int8";
/// Harness-observed lower bound on the achieved f32 rate: the best correct f32 workload's
/// `rate_observed`, TFLOPS.
pub const THROUGHPUT_OBSERVED_F32: &str = "throughput_observed.f32";
/// Harness-observed lower bound on the achieved f16 GEMM rate, TFLOPS.
pub const THROUGHPUT_OBSERVED_F16: &str = "throughput_observed.f16";
/// Harness-observed lower bound on the achieved int8→i32 GEMM rate, TOPS.
pub const THROUGHPUT_OBSERVED_INT8: &str = "throughput_observed.int8";
/// The device's theoretical f32 peak as the system states it, TFLOPS.
pub const PEAK_F32: &str = "peak.f32";
/// `throughput.f32` / `peak.f32`.
pub const PEAK_FRACTION_F32: &str = "peak_fraction.f32";
/// Best measured energy efficiency among correct workloads, TOPS/W.
pub const EFFICIENCY_BEST: &str = "efficiency.best";
/// Share of workloads whose output the harness accepted.
pub const CORRECTNESS: &str = "correctness.passed";
/// 1 when every convolution workload ran and was correct.
pub const SUPPORT_CNN: &str = "support.cnn";
/// 1 when every RNN workload ran and was correct.
pub const SUPPORT_RNN: &str = "support.rnn";
/// 1 when every LSTM workload ran and was correct.
pub const SUPPORT_LSTM: &str = "support.lstm";
/// 1 when all three families are supported.
pub const SUPPORT_ALL: &str = "support.cnn_rnn_lstm";

/// The per-workload metric suffixes: `kernel.<id>.<suffix>`.
pub const PER_WORKLOAD: [&str; 6] = [
    "latency",
    "rate",
    "rate_observed",
    "rel_error",
    "correct",
    "efficiency",
];

/// The id of a per-workload metric, `kernel.<workload>.<suffix>`.
pub fn workload_metric(workload: &str, suffix: &str) -> String {
    format!("kernel.{workload}.{suffix}")
}

/// The name of a workload's output digest, `output.<workload>`.
pub fn workload_digest(workload: &str) -> String {
    format!("output.{workload}")
}

/// The six metric specs of one workload, each tied to it.
fn workload_metrics(w: &WorkloadSpec) -> Vec<MetricSpec> {
    let p = w.precision();
    let rate_unit = p.rate_unit();
    let id = |s: &str| workload_metric(&w.id, s);
    let c = MetricKind::Continuous;
    let specs = vec![
        MetricSpec::new(
            id("latency"),
            "s",
            Better::Lower,
            c,
            format!(
                "{}: median seconds per timed iteration as the system reported them, checked against the harness's observed wall times (launch + completion; bootstrap 95% CI over iterations)",
                w.id
            ),
        ),
        MetricSpec::new(
            id("rate"),
            rate_unit,
            Better::Higher,
            c,
            format!(
                "{}: operations / median reported iteration time, {rate_unit} ({} precision; self-reported, checked)",
                w.id,
                p.as_str()
            ),
        ),
        MetricSpec::new(
            id("rate_observed"),
            rate_unit,
            Better::Higher,
            c,
            format!(
                "{}: harness-observed lower bound on the rate: operations of a query's warm-up and timed iterations / its issue-to-answer time, {rate_unit}",
                w.id
            ),
        ),
        MetricSpec::new(
            id("rel_error"),
            "ratio",
            Better::Lower,
            c,
            format!(
                "{}: normwise relative error of the probed outputs against the harness's CPU reference (0 = exact)",
                w.id
            ),
        ),
        MetricSpec::new(
            id("correct"),
            "bool",
            Better::Higher,
            c,
            format!(
                "{}: 1 when the harness accepted the output (integers bit-exact, floats within tolerance)",
                w.id
            ),
        ),
        MetricSpec::new(
            id("efficiency"),
            "TOPS/W",
            Better::Higher,
            c,
            format!(
                "{}: operations per joule of measured device energy over the timed iterations, TOPS/W",
                w.id
            ),
        ),
    ];
    specs
        .into_iter()
        .map(|m| m.of_workload(w.id.clone()))
        .collect()
}

fn build() -> Direction {
    let c = MetricKind::Continuous;
    let mut metrics = vec![
        MetricSpec::new(
            THROUGHPUT_F32,
            "TFLOPS",
            Better::Higher,
            c,
            "Achieved f32 rate from reported kernel seconds (self-reported, checked against observed wall times): best correct f32 workload (GEMM, conv2d, LSTM, RNN), TFLOPS",
        ),
        MetricSpec::new(
            THROUGHPUT_F16,
            "TFLOPS",
            Better::Higher,
            c,
            "Achieved 16-bit float rate from reported kernel seconds (self-reported, checked): best correct f16 GEMM, TFLOPS (16-bit float TOPS)",
        ),
        MetricSpec::new(
            THROUGHPUT_INT8,
            "TOPS",
            Better::Higher,
            c,
            "Achieved int8 rate from reported kernel seconds (self-reported, checked): best correct int8→i32 GEMM, TOPS",
        ),
        MetricSpec::new(
            THROUGHPUT_OBSERVED_F32,
            "TFLOPS",
            Better::Higher,
            c,
            "Harness-observed lower bound on the f32 rate: best correct f32 workload's operations over observed issue-to-answer time, TFLOPS",
        ),
        MetricSpec::new(
            THROUGHPUT_OBSERVED_F16,
            "TFLOPS",
            Better::Higher,
            c,
            "Harness-observed lower bound on the 16-bit float rate: best correct f16 GEMM's operations over observed issue-to-answer time, TFLOPS",
        ),
        MetricSpec::new(
            THROUGHPUT_OBSERVED_INT8,
            "TOPS",
            Better::Higher,
            c,
            "Harness-observed lower bound on the int8 rate: best correct int8→i32 GEMM's operations over observed issue-to-answer time, TOPS",
        ),
        MetricSpec::new(
            PEAK_F32,
            "TFLOPS",
            Better::Higher,
            c,
            "Theoretical f32 peak of the device where known (as the system derives it), TFLOPS",
        ),
        MetricSpec::new(
            PEAK_FRACTION_F32,
            "ratio",
            Better::Higher,
            c,
            "Achieved vs. theoretical f32 peak: throughput.f32 / peak.f32 (null where the peak is unknown)",
        ),
        MetricSpec::new(
            EFFICIENCY_BEST,
            "TOPS/W",
            Better::Higher,
            c,
            "Energy efficiency: best correct workload's operations per joule (RAPL or NVML), TOPS/W; null where no counter is readable",
        ),
        MetricSpec::new(
            CORRECTNESS,
            "ratio",
            Better::Higher,
            MetricKind::Proportion,
            "Share of workloads whose output the harness accepted (Wilson 95% CI)",
        ),
        MetricSpec::new(
            SUPPORT_CNN,
            "bool",
            Better::Higher,
            c,
            "1 when every convolution workload ran and was correct",
        ),
        MetricSpec::new(
            SUPPORT_RNN,
            "bool",
            Better::Higher,
            c,
            "1 when every RNN workload ran and was correct",
        ),
        MetricSpec::new(
            SUPPORT_LSTM,
            "bool",
            Better::Higher,
            c,
            "1 when every LSTM workload ran and was correct",
        ),
        MetricSpec::new(
            SUPPORT_ALL,
            "bool",
            Better::Higher,
            c,
            "1 when CNN, RNN and LSTM workloads all ran and were correct",
        ),
    ];
    let mut digests = vec![];
    let mut seen = BTreeSet::new();
    for suite in crate::suites::embedded().unwrap_or_default() {
        for w in crate::suites::workloads(&suite).unwrap_or_default() {
            if seen.insert(w.id.clone()) {
                metrics.extend(workload_metrics(&w));
                digests.push(DigestSpec {
                    name: workload_digest(&w.id).into(),
                    workload: w.id.into(),
                });
            }
        }
    }
    let indicator = |id, name_zh, name_en, metric, national_target| Indicator {
        id,
        name_zh,
        name_en,
        metric,
        national_target,
    };
    Direction {
        id: DIRECTION_ID,
        name_zh: "神经网络芯片",
        name_en: "Neural-network chips",
        indicators: vec![
            indicator(
                "chip.performance_f16",
                "云端芯片性能（16位浮点）",
                "Cloud chip performance (16-bit float)",
                THROUGHPUT_F16,
                Some(NationalTarget::new(Comparison::Ge, 128.0).unconfirmed()),
            ),
            indicator(
                "chip.energy_efficiency",
                "能效比",
                "Energy efficiency",
                EFFICIENCY_BEST,
                Some(NationalTarget::new(Comparison::Gt, 1.0).unconfirmed()),
            ),
            indicator(
                "chip.cnn_rnn_lstm",
                "支持CNN、RNN、LSTM",
                "Supports CNN, RNN and LSTM (qualitative; 1 = all three run correctly)",
                SUPPORT_ALL,
                Some(NationalTarget::new(Comparison::Ge, 1.0)),
            ),
            indicator(
                "chip.throughput_f32",
                "单精度浮点算力",
                "Achieved f32 throughput",
                THROUGHPUT_F32,
                None,
            ),
            indicator(
                "chip.throughput_int8",
                "INT8算力",
                "Achieved int8 throughput",
                THROUGHPUT_INT8,
                None,
            ),
            indicator(
                "chip.peak_fraction_f32",
                "单精度峰值利用率",
                "Achieved fraction of the theoretical f32 peak",
                PEAK_FRACTION_F32,
                None,
            ),
            indicator(
                "chip.correctness",
                "计算结果正确率",
                "Share of kernel outputs accepted by the harness",
                CORRECTNESS,
                None,
            ),
        ],
        metrics,
        digests,
    }
}

/// The direction with its catalogue (built once per process).
pub fn direction() -> Direction {
    static DIRECTION: OnceLock<Direction> = OnceLock::new();
    DIRECTION.get_or_init(build).clone()
}

/// The id of the aggregate harness-observed rate metric of a precision.
pub fn observed_throughput_metric(p: Precision) -> &'static str {
    match p {
        Precision::F32 => THROUGHPUT_OBSERVED_F32,
        Precision::F16 => THROUGHPUT_OBSERVED_F16,
        Precision::Int8 => THROUGHPUT_OBSERVED_INT8,
    }
}

/// The id of the aggregate rate metric of a precision.
pub fn throughput_metric(p: Precision) -> &'static str {
    match p {
        Precision::F32 => THROUGHPUT_F32,
        Precision::F16 => THROUGHPUT_F16,
        Precision::Int8 => THROUGHPUT_INT8,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiebang_core::NATIONAL_SOURCE;

    #[test]
    fn catalogue_is_consistent_and_covers_the_suites() {
        let d = direction();
        d.check().unwrap();
        for s in crate::suites::embedded().unwrap() {
            for m in &s.metrics {
                assert!(d.metric(m).is_some(), "{}: metric {m}", s.id);
            }
            for i in &s.indicators {
                assert!(d.indicator(i).is_some(), "{}: indicator {i}", s.id);
            }
        }
        let t = d.indicator("chip.performance_f16").unwrap();
        let n = t.national_target.as_ref().unwrap();
        assert_eq!(
            (n.value, n.unconfirmed, n.source),
            (128.0, true, NATIONAL_SOURCE)
        );
        let e = d.indicator("chip.energy_efficiency").unwrap();
        assert!(e.national_target.as_ref().unwrap().unconfirmed);
        assert_eq!(d.metric("kernel.gemm-i8-256.rate").unwrap().unit, "TOPS");
        assert_eq!(
            d.metric("kernel.lstm-t32-h256.latency").unwrap().better,
            Better::Lower
        );
        let c = d.indicator("chip.cnn_rnn_lstm").unwrap();
        assert!(!c.national_target.as_ref().unwrap().unconfirmed);
    }

    #[test]
    fn every_workload_metric_and_digest_names_its_workload() {
        let d = direction();
        for suite in crate::suites::embedded().unwrap() {
            for w in crate::suites::workloads(&suite).unwrap() {
                for suffix in PER_WORKLOAD {
                    let m = d.metric(&workload_metric(&w.id, suffix)).unwrap();
                    assert_eq!(m.workload.as_deref(), Some(w.id.as_str()), "{}", m.id);
                }
                let digest = d.digest(&workload_digest(&w.id)).unwrap();
                assert_eq!(digest.workload, w.id);
            }
        }
        for aggregate in [THROUGHPUT_F32, EFFICIENCY_BEST, CORRECTNESS, SUPPORT_ALL] {
            assert_eq!(d.metric(aggregate).unwrap().workload, None, "{aggregate}");
        }
    }
}

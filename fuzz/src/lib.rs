//! What the fuzz targets share: stand-in direction catalogues (shaped like the task crates', so
//! that the real declarations and rounds of the seed corpus parse) and checks on input errors.

use jiebang_core::{CoreError, Direction, Indicator, MetricKind, MetricSpec, NationalTarget};
use jiebang_scorecard::{Better, Comparison};
use std::path::{Path, PathBuf};

fn metric(id: &'static str, unit: &'static str, better: Better) -> MetricSpec {
    MetricSpec::new(id, unit, better, MetricKind::Continuous, "")
}

fn indicator(
    id: &'static str,
    metric: &'static str,
    target: Option<(Comparison, f64)>,
) -> Indicator {
    Indicator {
        id,
        name_zh: "指标",
        name_en: "indicator",
        metric,
        national_target: target.map(|(comparison, value)| NationalTarget::new(comparison, value)),
    }
}

/// Two directions with the ids the seed corpus uses: ratios better higher and lower, and
/// units other than ratios (seconds, TFLOPS, bool).
pub fn directions() -> Vec<Direction> {
    use Better::{Higher, Lower};
    vec![
        Direction {
            id: "medical-imaging",
            name_zh: "医疗影像辅助诊断系统",
            name_en: "Medical imaging",
            indicators: vec![
                indicator(
                    "imaging.detection_rate",
                    "case.sensitivity",
                    Some((Comparison::Gt, 0.95)),
                ),
                indicator(
                    "imaging.false_negative_rate",
                    "case.fnr",
                    Some((Comparison::Lt, 0.01)),
                ),
                indicator(
                    "imaging.false_positive_rate",
                    "case.fpr",
                    Some((Comparison::Lt, 0.05)),
                ),
                indicator("imaging.auc", "case.auc", None),
                indicator("imaging.froc_cpm", "lesion.froc_cpm", None),
            ],
            metrics: vec![
                metric("case.sensitivity", "ratio", Higher),
                metric("case.fnr", "ratio", Lower),
                metric("case.fpr", "ratio", Lower),
                metric("case.auc", "ratio", Higher),
                metric("lesion.froc_cpm", "ratio", Higher),
                metric("case.sensitivity.liver-lesion", "ratio", Higher),
            ],
            ..Direction::default()
        },
        Direction {
            id: "nn-chip",
            name_zh: "神经网络芯片",
            name_en: "Neural-network chips",
            indicators: vec![
                indicator(
                    "chip.performance_f16",
                    "throughput.f16",
                    Some((Comparison::Ge, 128.0)),
                ),
                indicator("chip.throughput_f32", "throughput.f32", None),
                indicator("chip.correctness", "correctness.passed", None),
                indicator(
                    "chip.cnn_rnn_lstm",
                    "support.cnn_rnn_lstm",
                    Some((Comparison::Ge, 1.0)),
                ),
            ],
            metrics: vec![
                metric("throughput.f16", "TFLOPS", Higher),
                metric("throughput.f32", "TFLOPS", Higher),
                metric("correctness.passed", "ratio", Higher),
                metric("support.cnn_rnn_lstm", "bool", Higher),
                metric("kernel.gemm-f16-256.latency", "s", Lower),
            ],
            ..Direction::default()
        },
    ]
}

/// Number of lines of `text` as error messages count them (a last line without a newline, or
/// the empty line after a final newline, counts too).
pub fn line_count(text: &str) -> usize {
    text.bytes().filter(|&b| b == b'\n').count() + 1
}

/// Asserts that `e` is an input error naming `file`, with a line inside `text` when it has one
/// (and it must have one when `need_line`), and a message.
pub fn assert_located(e: &CoreError, file: &Path, text: &str, need_line: bool) {
    let CoreError::Invalid {
        file: f,
        line,
        message,
    } = e
    else {
        panic!(
            "expected an input error naming {}, got: {e}",
            file.display()
        );
    };
    assert_eq!(f, file, "the error names another file: {e}");
    assert!(
        !message.trim().is_empty(),
        "an error without a message: {e}"
    );
    match line {
        Some(l) => assert!(
            (1..=line_count(text)).contains(l),
            "line {l} is outside the {} lines of the input: {e}",
            line_count(text)
        ),
        None => assert!(!need_line, "the error names no line: {e}"),
    }
    let shown = e.to_string();
    assert!(
        shown.starts_with(&file.display().to_string()),
        "the message does not start with the file: {shown}"
    );
}

/// Whether `p` (a path from an input) stays inside the folder it is relative to: relative, with
/// no `..` (only normal components and `.`).
pub fn confined(p: &Path) -> bool {
    use std::path::Component;
    p.components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
}

/// A folder of this process's own for inputs that must be files, made once: in memory
/// (`/dev/shm`) where there is one, since rewriting a file on disk can take milliseconds.
pub fn scratch_dir(name: &str) -> PathBuf {
    let shm = Path::new("/dev/shm");
    let base = if shm.is_dir() {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    };
    let dir = base.join(format!("jiebang-fuzz-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("cannot make the fuzz scratch folder");
    dir
}

//! End to end on the CPU (and on wgpu when an adapter opens): generate a dataset, build and
//! verify its manifest, load it, answer every query with the built-in system, and score.

use jiebang_accel::{BackendKind, Device, Output, reference};
use jiebang_core::{
    BackendHandle, BuiltinContext, Dataset, DatasetDirs, GenerateParams, Loaded, Manifest,
    Observed, ScoreContext, Scores, SuiteSpec, Task,
};
use jiebang_nn_chip::{KernelSamples, NnChip};
use jiebang_scorecard::BackendPin;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

fn handle(device: Device) -> BackendHandle {
    let fp = device.fingerprint();
    BackendHandle {
        pin: BackendPin {
            kind: fp.backend.to_string(),
            device: fp.device_name,
            vendor: None,
            api: None,
            driver: None,
            driver_info: None,
            device_type: None,
        },
        device: Arc::new(device),
    }
}

fn suite(task: &NnChip, id: &str) -> SuiteSpec {
    task.suites().iter().find(|s| s.id == id).unwrap().clone()
}

/// A copy of the cnn-rnn-lstm suite with tiny shapes, so the debug-build reference is quick.
fn tiny_cnn_suite(task: &NnChip) -> SuiteSpec {
    let mut s = suite(task, "nn-chip/cnn-rnn-lstm");
    let text = r#"
        [[w]]
        id = "rnn-tiny"
        kernel = "rnn_f32"
        seq_len = 3
        batch = 2
        input_size = 8
        hidden_size = 8
        [[w]]
        id = "lstm-tiny"
        kernel = "lstm_f32"
        seq_len = 3
        batch = 2
        input_size = 8
        hidden_size = 8
        [[w]]
        id = "conv-tiny"
        kernel = "conv2d_f32"
        batch = 1
        in_channels = 4
        height = 40
        width = 40
        out_channels = 8
        kernel_h = 3
        kernel_w = 3
        stride = 2
        padding = 1
    "#;
    let t: toml::Table = toml::from_str(text).unwrap();
    s.dataset.insert("workloads".into(), t["w"].clone());
    s.dataset.insert("samples".into(), toml::Value::Integer(3));
    // Tiny kernels would get the full 100 000 iterations in their long queries.
    s.protocol
        .insert("long_extra_ops".into(), toml::Value::Integer(1_000_000));
    s
}

fn make_dataset(task: &NnChip, suite: &SuiteSpec, samples: Option<u64>, dir: &Path) -> Dataset {
    let params = GenerateParams {
        samples,
        seed: None,
    };
    let generator = task
        .generate(
            suite,
            &DatasetDirs::create(dir).unwrap(),
            &params,
            &|_, _| {},
        )
        .unwrap();
    assert!(
        generator.starts_with("kernel-inputs:v1 seed="),
        "{generator}"
    );
    Manifest::build(dir, Default::default())
        .unwrap()
        .write(dir)
        .unwrap();
    Dataset::open_verified(dir).unwrap()
}

struct Run {
    samples: Loaded,
    answers: Vec<(usize, Option<Value>)>,
    /// Each answer call's duration, as the runner would observe it.
    observed: BTreeMap<usize, Observed>,
    scores: Scores,
}

fn run(
    task: &NnChip,
    suite: &SuiteSpec,
    dataset: &Dataset,
    backend: &BackendHandle,
    system: &str,
) -> Run {
    let samples = task.load(suite, dataset).unwrap();
    let ctx = BuiltinContext {
        suite: suite.clone(),
        library: samples.library.clone(),
        backend: backend.clone(),
    };
    let sys = task.builtin(system, &ctx).unwrap();
    let mut answers = Vec::new();
    let mut observed = BTreeMap::new();
    for i in 0..samples.library.len() {
        let query = samples.library.query(i);
        let t0 = Instant::now();
        let a = sys.answer(i, &query).unwrap();
        let seen = Observed {
            wall_s: t0.elapsed().as_secs_f64(),
            overlapped: false,
            first_in_session: i == 0,
            session_startup_s: None,
        };
        observed.insert(i, seen);
        // The runner's log writes answers as canonical JSON (floats to 12 significant
        // digits) and scoring reads them back from there.
        let a: Value =
            serde_json::from_str(&jiebang_scorecard::to_canonical_string(&a).unwrap()).unwrap();
        samples.scorer.check_answer(i, &a).unwrap();
        answers.push((i, Some(a)));
    }
    let scores = score(&samples, suite, backend, &answers, &observed);
    Run {
        samples,
        answers,
        observed,
        scores,
    }
}

fn score(
    samples: &Loaded,
    suite: &SuiteSpec,
    backend: &BackendHandle,
    answers: &[(usize, Option<Value>)],
    observed: &BTreeMap<usize, Observed>,
) -> Scores {
    let ctx = ScoreContext {
        suite: suite.clone(),
        seed: 7,
        backend: backend.clone(),
        observed: observed.clone(),
    };
    samples.scorer.score(answers, &ctx).unwrap()
}

fn value(s: &Scores, id: &str) -> Option<f64> {
    s.metrics
        .get(id)
        .unwrap_or_else(|| panic!("metric {id} missing"))
        .value
}

#[test]
fn kernels_prefix_is_correct_on_cpu_with_digests_samples_and_rates() {
    let task = NnChip::new();
    let suite = suite(&task, "nn-chip/kernels");
    let dir = tempfile::tempdir().unwrap();
    let data = make_dataset(&task, &suite, Some(3), dir.path());
    let cpu = handle(Device::cpu());
    let r = run(&task, &suite, &data, &cpu, "kernels");
    // Each workload is a short and a long query.
    assert_eq!(r.samples.library.len(), 6);
    assert_eq!(r.samples.library.sample_id(3), "gemm-f32-64/long");
    let s = &r.scores;
    for id in ["gemm-f32-64", "gemm-f16-64", "gemm-i8-64"] {
        let c = &s.metrics[&format!("kernel.{id}.correct")];
        assert_eq!(c.value, Some(1.0), "{id}: {:?}", c.reason);
        assert_eq!(s.samples[&format!("kernel.{id}.latency")].len(), 15);
        assert!(value(s, &format!("kernel.{id}.rate")).unwrap() > 0.0);
        let lat = &s.metrics[&format!("kernel.{id}.latency")];
        let [lo, hi] = lat.ci95.unwrap();
        assert!(
            lo <= lat.value.unwrap() && lat.value.unwrap() <= hi,
            "{lat:?}"
        );
        assert_eq!(s.digests[&format!("output.{id}")].len(), 64);
    }
    assert_eq!(value(s, "kernel.gemm-i8-64.rel_error"), Some(0.0));
    // The int8 digest is the reference's: the harness checked it bit for bit.
    let ks = r
        .samples
        .library
        .as_any()
        .downcast_ref::<KernelSamples>()
        .unwrap();
    let want = reference::run(ks.workload(2).unwrap()).unwrap();
    assert!(matches!(want, Output::I32(_)));
    assert_eq!(s.digests["output.gemm-i8-64"], want.digest());
    assert_eq!(value(s, "correctness.passed"), Some(1.0));
    for p in ["throughput.f32", "throughput.f16", "throughput.int8"] {
        assert!(value(s, p).unwrap() > 0.0, "{p}");
    }
    // Energy and peak are measured or null with the reason, never filled in.
    for id in ["efficiency.best", "peak_fraction.f32"] {
        let m = &s.metrics[id];
        assert!(m.value.is_some() != m.reason.is_some(), "{id}: {m:?}");
    }
    // The built-in system's figures pass the timing check and say they are self-reported;
    // the harness's own observed bound stands beside them.
    for id in ["gemm-f32-64", "gemm-i8-64"] {
        let rate = &s.metrics[&format!("kernel.{id}.rate")];
        let label = rate.self_reported.as_deref().unwrap_or_default();
        assert!(label.contains("checked against"), "{id}: {rate:?}");
        let observed = &s.metrics[&format!("kernel.{id}.rate_observed")];
        assert!(observed.self_reported.is_none() && observed.value.unwrap() > 0.0);
    }
    assert!(s.metrics["throughput.f32"].self_reported.is_some());
    assert!(s.metrics["throughput_observed.f32"].self_reported.is_none());
    assert!(s.malformed.is_empty(), "{:?}", s.malformed);
    // Scoring is deterministic for the same answers.
    assert_eq!(
        score(&r.samples, &suite, &cpu, &r.answers, &r.observed),
        r.scores
    );
}

#[test]
fn reported_seconds_are_checked_against_the_observed_wall_times() {
    let task = NnChip::new();
    let suite = suite(&task, "nn-chip/kernels");
    let dir = tempfile::tempdir().unwrap();
    let data = make_dataset(&task, &suite, Some(1), dir.path());
    let cpu = handle(Device::cpu());
    let r = run(&task, &suite, &data, &cpu, "kernels");
    assert_eq!(value(&r.scores, "kernel.gemm-f32-64.correct"), Some(1.0));
    let at = |short: f64, long: f64, overlapped: bool| {
        let o = |wall_s| Observed {
            wall_s,
            overlapped,
            first_in_session: false,
            session_startup_s: None,
        };
        BTreeMap::from([(0, o(short)), (1, o(long))])
    };
    let sum = |i: usize| -> f64 {
        r.answers[i].1.as_ref().unwrap()["seconds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .sum()
    };
    let (short, long) = (sum(0), sum(1));
    // The long query took a second (and three times its reported seconds) more than
    // reported: both answers are malformed (technical failures), no rate is credited, not
    // even the observed one.
    let s = score(
        &r.samples,
        &suite,
        &cpu,
        &r.answers,
        &at(short + 0.001, 3.0 * long + 1.0, false),
    );
    assert_eq!(s.malformed.keys().copied().collect::<Vec<_>>(), [0, 1]);
    assert!(
        s.malformed[&1].contains("extra iterations"),
        "{:?}",
        s.malformed
    );
    let c = &s.metrics["kernel.gemm-f32-64.correct"];
    assert_eq!(c.value, Some(0.0));
    assert!(
        c.reason.as_deref().unwrap().contains("technical failure"),
        "{c:?}"
    );
    for m in ["rate", "rate_observed", "latency"] {
        assert_eq!(value(&s, &format!("kernel.gemm-f32-64.{m}")), None, "{m}");
    }
    assert_eq!(value(&s, "throughput.f32"), None);
    assert_eq!(value(&s, "throughput_observed.f32"), None);
    // More seconds reported than the query lasted (0.1 s per iteration): malformed too.
    let mut slow = r.answers.clone();
    slow[0].1.as_mut().unwrap()["seconds"] = serde_json::json!(vec![0.1; 15]);
    let s = score(
        &r.samples,
        &suite,
        &cpu,
        &slow,
        &at(short + 0.001, long + 0.001, false),
    );
    assert!(
        s.malformed[&0].contains("observed only"),
        "{:?}",
        s.malformed
    );
    // Overlapping queries, or nothing observed: the output is still judged, but no
    // self-reported time is credited.
    let s = score(
        &r.samples,
        &suite,
        &cpu,
        &r.answers,
        &at(short + 0.001, long + 0.001, true),
    );
    assert!(s.malformed.is_empty());
    assert_eq!(value(&s, "kernel.gemm-f32-64.correct"), Some(1.0));
    let rate = &s.metrics["kernel.gemm-f32-64.rate"];
    assert!(rate.value.is_none() && rate.reason.as_deref().unwrap().contains("max_in_flight"));
    assert!(value(&s, "kernel.gemm-f32-64.rate_observed").unwrap() > 0.0);
    let s = score(&r.samples, &suite, &cpu, &r.answers, &BTreeMap::new());
    assert_eq!(value(&s, "kernel.gemm-f32-64.correct"), Some(1.0));
    let why = s.metrics["throughput.f32"].reason.clone().unwrap();
    assert!(why.contains("predictions file"), "{why}");
    // A shard holding only the short query: judged, not yet checked.
    let s = score(&r.samples, &suite, &cpu, &r.answers[..1], &r.observed);
    let rate = &s.metrics["kernel.gemm-f32-64.rate"];
    assert!(
        rate.reason.as_deref().unwrap().contains("another shard"),
        "{rate:?}"
    );
}

#[test]
fn the_harness_not_the_system_decides_correctness() {
    let task = NnChip::new();
    let suite = suite(&task, "nn-chip/kernels");
    let dir = tempfile::tempdir().unwrap();
    let data = make_dataset(&task, &suite, Some(3), dir.path());
    let cpu = handle(Device::cpu());
    let good = run(&task, &suite, &data, &cpu, "kernels");
    // The bit-flipping system changes one bit of the first (f32) output: within tolerance, so
    // still correct, but its digest differs from the clean run's; the others are untouched.
    let flip = run(&task, &suite, &data, &cpu, "kernels-test-bitflip");
    assert_eq!(value(&flip.scores, "kernel.gemm-f32-64.correct"), Some(1.0));
    assert_ne!(
        flip.scores.digests["output.gemm-f32-64"],
        good.scores.digests["output.gemm-f32-64"]
    );
    assert_eq!(
        flip.scores.digests["output.gemm-i8-64"],
        good.scores.digests["output.gemm-i8-64"]
    );
    // One bit off in an integer output is rejected by the harness (bit-exact rule).
    let mut answers = good.answers.clone();
    let a = answers[2].1.as_mut().unwrap();
    let v = a["probes"][0].as_i64().unwrap();
    a["probes"][0] = serde_json::json!(v ^ 1);
    let s = score(&good.samples, &suite, &cpu, &answers, &good.observed);
    assert_eq!(value(&s, "kernel.gemm-i8-64.correct"), Some(0.0));
    assert!(value(&s, "correctness.passed").unwrap() < 1.0);
    // A system that lies: right digest but a wrong value at a probe position.
    let mut answers = good.answers.clone();
    let a = answers[0].1.as_mut().unwrap();
    a["probes"][5] = serde_json::json!(a["probes"][5].as_f64().unwrap() + 1.0);
    // A technical failure counts as incorrect, with the latency not measured.
    answers[1].1 = None;
    let s = score(&good.samples, &suite, &cpu, &answers, &good.observed);
    let c = &s.metrics["kernel.gemm-f32-64.correct"];
    assert_eq!(c.value, Some(0.0));
    assert!(
        c.reason.as_deref().unwrap().contains("not the digest")
            || c.reason.as_deref().unwrap().contains("exceeds"),
        "{c:?}"
    );
    assert_eq!(value(&s, "kernel.gemm-f16-64.correct"), Some(0.0));
    assert!(s.metrics["kernel.gemm-f16-64.latency"].reason.is_some());
    assert!(!s.digests.contains_key("output.gemm-f16-64"));
    // Malformed answers are refused by the shape check.
    let mut bad = good.answers[2].1.clone().unwrap();
    bad["probes"] = serde_json::json!([1]);
    assert!(
        good.samples
            .scorer
            .check_answer(2, &bad)
            .unwrap_err()
            .contains("positions")
    );
}

#[test]
fn cnn_rnn_lstm_support_on_cpu() {
    let task = NnChip::new();
    let suite = tiny_cnn_suite(&task);
    let dir = tempfile::tempdir().unwrap();
    let data = make_dataset(&task, &suite, None, dir.path());
    let cpu = handle(Device::cpu());
    let r = run(&task, &suite, &data, &cpu, "kernels");
    for id in [
        "support.cnn",
        "support.rnn",
        "support.lstm",
        "support.cnn_rnn_lstm",
    ] {
        assert_eq!(
            value(&r.scores, id),
            Some(1.0),
            "{id}: {:?}",
            r.scores.metrics[id]
        );
    }
    // conv-tiny has 8·20·20 = 3200 outputs ≤ full_output_max: returned whole.
    let ks = r
        .samples
        .library
        .as_any()
        .downcast_ref::<KernelSamples>()
        .unwrap();
    assert_eq!(ks.positions(2).unwrap().len(), 3200);
    // One wrong LSTM answer removes LSTM support and the combined indicator.
    let mut answers = r.answers.clone();
    answers[1].1 = None;
    let s = score(&r.samples, &suite, &cpu, &answers, &r.observed);
    assert_eq!(value(&s, "support.lstm"), Some(0.0));
    assert_eq!(value(&s, "support.cnn_rnn_lstm"), Some(0.0));
    assert_eq!(value(&s, "support.rnn"), Some(1.0));
}

#[test]
fn loader_rejects_datasets_that_do_not_fit_the_suite() {
    let task = NnChip::new();
    let suite = suite(&task, "nn-chip/kernels");
    let dir = tempfile::tempdir().unwrap();
    make_dataset(&task, &suite, Some(2), dir.path());
    // A truncated tensor whose manifest was rebuilt: the loader names the file and the size.
    let a = dir.path().join("inputs/gemm-f16-64/a.f16");
    let bytes = std::fs::read(&a).unwrap();
    std::fs::write(&a, &bytes[..bytes.len() - 2]).unwrap();
    Manifest::build(dir.path(), Default::default())
        .unwrap()
        .write(dir.path())
        .unwrap();
    let data = Dataset::open_verified(dir.path()).unwrap();
    let e = task.load(&suite, &data).err().unwrap().to_string();
    assert!(e.contains("a.f16") && e.contains("expected 8192"), "{e}");
    // The index made for another suite is refused.
    let idx = dir.path().join("truth/workloads.json");
    let text = std::fs::read_to_string(&idx).unwrap();
    std::fs::write(
        &idx,
        text.replace("nn-chip/kernels@1", "nn-chip/cnn-rnn-lstm@1"),
    )
    .unwrap();
    Manifest::build(dir.path(), Default::default())
        .unwrap()
        .write(dir.path())
        .unwrap();
    let data = Dataset::open_verified(dir.path()).unwrap();
    let e = task.load(&suite, &data).err().unwrap().to_string();
    assert!(
        e.contains("workloads.json") && e.contains("field `suite`"),
        "{e}"
    );
    // Too many samples for the suite.
    let out = tempfile::tempdir().unwrap();
    let params = GenerateParams {
        samples: Some(99),
        seed: None,
    };
    let e = task
        .generate(
            &suite,
            &DatasetDirs::create(out.path()).unwrap(),
            &params,
            &|_, _| {},
        )
        .unwrap_err()
        .to_string();
    assert!(e.contains("samples = 99"), "{e}");
}

#[test]
fn wgpu_agrees_with_the_reference_when_an_adapter_opens() {
    let device = match Device::open(BackendKind::Wgpu) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("skipped: {e}");
            return;
        }
    };
    let task = NnChip::new();
    let suite = suite(&task, "nn-chip/kernels");
    let dir = tempfile::tempdir().unwrap();
    let data = make_dataset(&task, &suite, Some(3), dir.path());
    let r = run(&task, &suite, &data, &handle(device), "kernels");
    assert_eq!(
        value(&r.scores, "correctness.passed"),
        Some(1.0),
        "{:?}",
        r.scores.metrics
    );
}

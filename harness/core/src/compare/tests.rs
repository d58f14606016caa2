//! Unit tests of the comparison: nn-chip-like scorecards with a catalogue built here, and a
//! made-up direction whose metrics are grouped by test subset.

use super::*;
use crate::{DigestSpec, Direction, MetricKind, MetricSpec};
use jiebang_metrics::bootstrap::quantile_linear;
use jiebang_scorecard::{
    BackendPin, Better, DatasetPin, HarnessPin, HostPin, Metric, Pins, QueryCounts, RunSummary,
    SuitePin, SutPin, TaskPin,
};
use std::collections::BTreeMap;
use std::sync::OnceLock;

fn card(suite: &str, seconds: Vec<f64>) -> Scorecard {
    let med = quantile_linear(&seconds, 0.5).unwrap();
    let mut metrics = BTreeMap::new();
    metrics.insert(
        "kernel.g.latency".to_string(),
        Metric {
            value: Some(med),
            ci95: None,
            ci_method: None,
            n: seconds.len() as u64,
            unit: "s".into(),
            reason: None,
            self_reported: None,
            convention: None,
            n_smaller_class: None,
        },
    );
    metrics.insert(
        "kernel.g.correct".to_string(),
        Metric {
            value: Some(1.0),
            ci95: Some([1.0, 1.0]),
            ci_method: None,
            n: 1,
            unit: "bool".into(),
            reason: None,
            self_reported: None,
            convention: None,
            n_smaller_class: None,
        },
    );
    Scorecard {
        schema_version: jiebang_scorecard::SCHEMA_VERSION,
        id: Some("x".into()),
        pins: Pins {
            harness: HarnessPin {
                version: "0.1.0".into(),
                git_commit: None,
            },
            task: TaskPin {
                direction: "nn-chip".into(),
                crate_name: "c".into(),
                version: "0.1.0".into(),
            },
            suite: SuitePin {
                id: suite.into(),
                version: 1,
                hash: "h".into(),
                source: "embedded".into(),
            },
            dataset: DatasetPin {
                hash: "d".into(),
                files: 1,
                bytes: 1,
                samples: 1,
                generator: None,
            },
            sut: SutPin {
                adapter: "builtin".into(),
                name: "kernels".into(),
                version: None,
                command: None,
                hash: "s".into(),
                files: vec![],
            },
            backend: BackendPin {
                kind: "cpu".into(),
                device: "cpu".into(),
                vendor: None,
                api: None,
                driver: None,
                driver_info: None,
                device_type: None,
            },
            host: HostPin {
                os: "linux".into(),
                arch: "x86_64".into(),
                cpu: None,
                threads: 2,
            },
            seed: 0,
            settings: BTreeMap::new(),
            declaration: None,
            round: None,
            shard: None,
            started_at: "2026-11-23T00:00:00Z".into(),
        },
        run: RunSummary {
            mode: "accuracy".into(),
            scenario: None,
            queries: QueryCounts::default(),
            duration_s: 1.0,
        },
        metrics,
        indicators: vec![],
        digests: [("output.g".to_string(), "aa".to_string())].into(),
        samples: [("kernel.g.latency".to_string(), seconds)].into(),
        curves: Default::default(),
        signature: None,
    }
}

/// Deterministic jitter of ±3 % around `mean`.
fn noisy(mean: f64, n: usize, phase: usize) -> Vec<f64> {
    (0..n)
        .map(|i| mean * (1.0 + 0.03 * (((i * 7 + phase) % 11) as f64 / 5.0 - 1.0)))
        .collect()
}

/// The catalogue of the nn-chip-like cards: workloads `g` and `h` with their latency,
/// correctness and efficiency, their output digests, and one aggregate.
fn kernels() -> &'static Direction {
    static D: OnceLock<Direction> = OnceLock::new();
    D.get_or_init(|| {
        let c = MetricKind::Continuous;
        let mut metrics = vec![MetricSpec::new(
            "throughput.f32",
            "TFLOPS",
            Better::Higher,
            c,
            "",
        )];
        let mut digests = vec![];
        for w in ["g", "h"] {
            for (what, unit, better) in [
                ("latency", "s", Better::Lower),
                ("correct", "bool", Better::Higher),
                ("efficiency", "TOPS/W", Better::Higher),
            ] {
                let id = format!("kernel.{w}.{what}");
                metrics.push(MetricSpec::new(id, unit, better, c, "").of_workload(w));
            }
            digests.push(DigestSpec {
                name: format!("output.{w}").into(),
                workload: w.into(),
            });
        }
        Direction {
            id: "chips",
            metrics,
            digests,
            ..Direction::default()
        }
    })
}

fn cat() -> Catalogue<'static> {
    static UNITS: OnceLock<UnitRule> = OnceLock::new();
    Catalogue::new(Some(kernels()), UNITS.get_or_init(UnitRule::runner))
}

fn status(c: &Comparison, id: &str) -> MetricStatus {
    c.metrics.iter().find(|m| m.id == id).unwrap().status
}

#[test]
fn unchanged_runs_pass_and_a_20_percent_slowdown_regresses() {
    let s = CompareSettings::default();
    let a = card("nn-chip/kernels", noisy(1e-3, 20, 0));
    let b = card("nn-chip/kernels", noisy(1e-3, 20, 3));
    let c = compare(&a, &b, &s, &cat()).unwrap();
    assert!(c.passed(), "{:?}", c.metrics);
    assert_eq!(status(&c, "kernel.g.latency"), MetricStatus::Unchanged);
    let slow = card("nn-chip/kernels", noisy(1.2e-3, 20, 5));
    let c = compare(&a, &slow, &s, &cat()).unwrap();
    assert!(!c.passed());
    let m = c
        .metrics
        .iter()
        .find(|m| m.id == "kernel.g.latency")
        .unwrap();
    assert_eq!(m.status, MetricStatus::Regressed);
    let [lo, hi] = m.ci.unwrap();
    assert!(
        lo > 1.1 && hi < 1.3 && (m.ratio.unwrap() - 1.2).abs() < 0.05,
        "{m:?}"
    );
    // The same slowdown is an improvement the other way round.
    let c = compare(&slow, &a, &s, &cat()).unwrap();
    assert_eq!(status(&c, "kernel.g.latency"), MetricStatus::Improved);
    assert!(c.passed());
}

#[test]
fn a_small_significant_change_within_noise_is_not_a_regression() {
    let a = card("nn-chip/kernels", noisy(1e-3, 40, 0));
    let b = card("nn-chip/kernels", noisy(1.03e-3, 40, 0));
    let c = compare(&a, &b, &CompareSettings::default(), &cat()).unwrap();
    let m = c
        .metrics
        .iter()
        .find(|m| m.id == "kernel.g.latency")
        .unwrap();
    assert!(m.ci.unwrap()[0] > 1.0, "significant: {m:?}");
    assert_eq!(m.status, MetricStatus::Unchanged);
    let tight = CompareSettings {
        noise: 0.01,
        ..Default::default()
    };
    let c = compare(&a, &b, &tight, &cat()).unwrap();
    assert_eq!(status(&c, "kernel.g.latency"), MetricStatus::Regressed);
}

#[test]
fn digest_changes_and_correctness_losses_are_hard_failures() {
    let a = card("nn-chip/kernels", noisy(1e-3, 20, 0));
    let mut b = a.clone();
    b.digests.insert("output.g".into(), "ab".into());
    let c = compare(&a, &b, &CompareSettings::default(), &cat()).unwrap();
    assert!(!c.passed());
    assert_eq!(c.digest_failures().count(), 1);
    assert_eq!(c.regressions().count(), 0);
    let mut b = a.clone();
    b.digests.clear();
    b.metrics.get_mut("kernel.g.correct").unwrap().value = Some(0.0);
    let c = compare(&a, &b, &CompareSettings::default(), &cat()).unwrap();
    assert_eq!(c.digests[0].status, DigestStatus::Missing);
    assert_eq!(status(&c, "kernel.g.correct"), MetricStatus::Regressed);
}

#[test]
fn different_suites_are_an_error_and_differing_pins_are_stated() {
    let a = card("nn-chip/kernels", noisy(1e-3, 20, 0));
    let b = card("nn-chip/cnn-rnn-lstm", noisy(1e-3, 20, 0));
    let e = compare(&a, &b, &CompareSettings::default(), &cat()).unwrap_err();
    assert!(matches!(e, CompareError::DifferentSuite { .. }), "{e}");
    let mut b = a.clone();
    b.pins.dataset.hash = "other".into();
    b.pins.backend.driver_info = Some("Mesa 24".into());
    let c = compare(&a, &b, &CompareSettings::default(), &cat()).unwrap();
    assert!(c.differences.iter().any(|d| d.starts_with("dataset hash")));
    assert!(c.differences.iter().any(|d| d.contains("Mesa 24")));
    let bad = CompareSettings {
        noise: 1.5,
        ..Default::default()
    };
    assert!(compare(&a, &a, &bad, &cat()).is_err());
}

#[test]
fn missing_values_and_unknown_directions_are_not_judged() {
    let a = card("nn-chip/kernels", noisy(1e-3, 20, 0));
    let mut b = a.clone();
    let m = b.metrics.get_mut("kernel.g.latency").unwrap();
    m.value = None;
    m.reason = Some("crashed".into());
    b.samples.clear();
    b.metrics.insert(
        "odd".into(),
        Metric {
            value: Some(1.0),
            ci95: None,
            ci_method: None,
            n: 1,
            unit: "widgets".into(),
            reason: None,
            self_reported: None,
            convention: None,
            n_smaller_class: None,
        },
    );
    let c = compare(&a, &b, &CompareSettings::default(), &cat()).unwrap();
    let m = c
        .metrics
        .iter()
        .find(|m| m.id == "kernel.g.latency")
        .unwrap();
    assert_eq!(m.status, MetricStatus::NotJudged);
    assert_eq!(m.note.as_deref(), Some("not measured in the new run"));
    assert_eq!(m.reason.as_deref(), Some("crashed"));
    let o = c.metrics.iter().find(|m| m.id == "odd").unwrap();
    assert_eq!(o.note.as_deref(), Some("only in the new scorecard"));
    assert!(c.passed());
}

#[test]
fn series_without_a_metric_use_the_unit_of_their_family() {
    let mut a = card("x/y", noisy(1e-3, 20, 0));
    let s = a.samples.remove("kernel.g.latency").unwrap();
    a.samples.insert("perf.latency".into(), s);
    a.metrics.insert(
        "perf.latency.p50".into(),
        a.metrics["kernel.g.latency"].clone(),
    );
    let mut b = a.clone();
    b.samples
        .insert("perf.latency".into(), noisy(1.5e-3, 20, 1));
    let c = compare(&a, &b, &CompareSettings::default(), &cat()).unwrap();
    let m = c.metrics.iter().find(|m| m.id == "perf.latency").unwrap();
    assert_eq!((m.unit.as_str(), m.status), ("s", MetricStatus::Regressed));
}

/// A card with workloads `g` (from [`card`]) and `h`, and an aggregate over both.
fn two_workloads() -> Scorecard {
    let mut a = card("nn-chip/kernels", noisy(1e-3, 20, 0));
    for (k, v) in a.metrics.clone() {
        a.metrics.insert(k.replace(".g.", ".h."), v);
    }
    a.samples
        .insert("kernel.h.latency".into(), noisy(4e-3, 20, 1));
    a.digests.insert("output.h".into(), "hh".into());
    let mut agg = a.metrics["kernel.g.correct"].clone();
    agg.unit = "TFLOPS".into();
    agg.value = Some(1.0);
    agg.ci95 = Some([0.99, 1.01]);
    a.metrics.insert("throughput.f32".into(), agg);
    a.pins.dataset.samples = 2;
    a
}

/// `two_workloads` cut to workload `g`, on a smaller dataset, its aggregate 10x lower.
fn only_g(a: &Scorecard) -> Scorecard {
    let mut b = a.clone();
    b.metrics.retain(|k, _| !k.contains(".h."));
    b.samples.remove("kernel.h.latency");
    b.digests.remove("output.h");
    let t = b.metrics.get_mut("throughput.f32").unwrap();
    t.value = Some(0.1);
    t.ci95 = Some([0.09, 0.11]);
    b.pins.dataset.hash = "smaller".into();
    b.pins.dataset.samples = 1;
    b.id = Some("y".into());
    b
}

#[test]
fn different_sample_sets_compare_only_the_shared_workloads() {
    let a = two_workloads();
    let b = only_g(&a);
    // On the same dataset the aggregate's fall is a regression and `h` a missing digest.
    let mut same_set = b.clone();
    same_set.pins.dataset = a.pins.dataset.clone();
    let c = compare(&a, &same_set, &CompareSettings::default(), &cat()).unwrap();
    assert!(c.coverage.is_none());
    assert_eq!(status(&c, "throughput.f32"), MetricStatus::Regressed);
    assert_eq!(c.digest_failures().count(), 1);

    let c = compare(&a, &b, &CompareSettings::default(), &cat()).unwrap();
    assert!(c.passed(), "{:?}", c);
    let cov = c.coverage.as_ref().unwrap();
    assert_eq!(cov.common, ["g"]);
    assert_eq!(cov.only_baseline, ["h"]);
    assert_eq!(cov.aggregates, ["throughput.f32"]);
    assert_eq!(status(&c, "throughput.f32"), MetricStatus::NotJudged);
    assert_eq!(status(&c, "kernel.g.latency"), MetricStatus::Unchanged);
    assert_eq!(status(&c, "kernel.g.correct"), MetricStatus::Unchanged);
    let h = c
        .metrics
        .iter()
        .find(|m| m.id == "kernel.h.latency")
        .unwrap();
    assert_eq!(
        h.note.as_deref(),
        Some("workload `h` not run in the new run")
    );
    let d = c.digests.iter().find(|d| d.name == "output.h").unwrap();
    assert_eq!(d.status, DigestStatus::NotRun);
    assert!(
        c.differences
            .contains(&"samples: baseline 2, new 1".to_string())
    );

    // A shared workload's changed digest still fails, and so does a digest missing from a
    // workload the new run did run.
    let mut changed = b.clone();
    changed.digests.insert("output.g".into(), "zz".into());
    let c = compare(&a, &changed, &CompareSettings::default(), &cat()).unwrap();
    assert_eq!(c.digest_failures().count(), 1);
    let mut no_digest = b.clone();
    no_digest.digests.clear();
    let c = compare(&a, &no_digest, &CompareSettings::default(), &cat()).unwrap();
    let g = c.digests.iter().find(|d| d.name == "output.g").unwrap();
    assert_eq!(g.status, DigestStatus::Missing);
    assert!(!c.passed());
}

#[test]
fn a_shard_is_a_different_sample_set_and_stated() {
    let a = two_workloads();
    let mut b = only_g(&a);
    b.pins.dataset = a.pins.dataset.clone();
    b.pins.shard = Some("1/2".into());
    let c = compare(&a, &b, &CompareSettings::default(), &cat()).unwrap();
    assert!(
        c.differences
            .contains(&"shard: baseline none (whole dataset), new 1/2".to_string()),
        "{:?}",
        c.differences
    );
    assert_eq!(c.new.shard.as_deref(), Some("1/2"));
    assert_eq!(status(&c, "throughput.f32"), MetricStatus::NotJudged);
    assert!(c.passed());
}

#[test]
fn different_sets_with_nothing_shared_are_an_error() {
    // Aggregates only (no digests name a workload), as in medical imaging.
    let mut a = two_workloads();
    a.digests.clear();
    a.samples.clear();
    a.metrics.retain(|k, _| k == "throughput.f32");
    let mut b = only_g(&a);
    b.metrics.retain(|k, _| k == "throughput.f32");
    let e = compare(&a, &b, &CompareSettings::default(), &cat()).unwrap_err();
    assert!(matches!(e, CompareError::NothingInCommon { .. }), "{e}");
    let text = e.to_string();
    assert!(
        text.contains("2 samples, dataset d") && text.contains("1 samples, dataset smaller"),
        "{text}"
    );
    // The same dataset compares them.
    b.pins.dataset = a.pins.dataset.clone();
    assert!(compare(&a, &b, &CompareSettings::default(), &cat()).is_ok());
}

#[test]
fn a_scorecard_compared_with_itself_is_flagged_and_reasons_kept_apart() {
    let mut a = two_workloads();
    let reason = "energy not measurable: no RAPL";
    for id in ["kernel.g.efficiency", "kernel.h.efficiency"] {
        let mut m = a.metrics["kernel.g.correct"].clone();
        m.value = None;
        m.ci95 = None;
        m.unit = "TOPS/W".into();
        m.reason = Some(reason.into());
        a.metrics.insert(id.into(), m);
    }
    let c = compare(&a, &a, &CompareSettings::default(), &cat()).unwrap();
    assert!(c.same_scorecard);
    let b = only_g(&a);
    assert!(
        !compare(&a, &b, &CompareSettings::default(), &cat())
            .unwrap()
            .same_scorecard
    );
    let e = c
        .metrics
        .iter()
        .find(|m| m.id == "kernel.h.efficiency")
        .unwrap();
    assert_eq!(e.note.as_deref(), Some("not measured on either side"));
    assert_eq!(e.reason.as_deref(), Some(reason));
}

/// A made-up speech-like direction: word error rates per test subset (`clean`, `noisy`), a
/// 99th-percentile latency in milliseconds over the whole run, and transcripts digested per
/// subset under names unlike nn-chip's.
fn speechy() -> Direction {
    let mut metrics = vec![MetricSpec::new(
        "latency.p99",
        "ms",
        Better::Lower,
        MetricKind::Continuous,
        "",
    )];
    let mut digests = vec![];
    for subset in ["clean", "noisy"] {
        let id = format!("wer.{subset}");
        let wer = MetricSpec::new(id, "ratio", Better::Lower, MetricKind::Proportion, "");
        metrics.push(wer.of_workload(subset));
        digests.push(DigestSpec {
            name: format!("transcripts/{subset}").into(),
            workload: subset.into(),
        });
    }
    Direction {
        id: "speechy",
        metrics,
        digests,
        ..Direction::default()
    }
}

/// A scorecard of `speechy`: WER `clean` as given (±0.005), WER `noisy` 0.12, and the
/// per-query latencies in ms.
fn speech_card(clean: f64, latency_ms: Vec<f64>) -> Scorecard {
    let mut sc = card("speechy/asr", noisy(1e-3, 20, 0));
    sc.pins.task.direction = "speechy".into();
    sc.metrics.clear();
    sc.samples.clear();
    sc.digests.clear();
    let metric = |v: f64, ci95: Option<[f64; 2]>, n: u64, unit: &str| Metric {
        value: Some(v),
        ci95,
        ci_method: None,
        n,
        unit: unit.into(),
        reason: None,
        self_reported: None,
        convention: None,
        n_smaller_class: None,
    };
    for (subset, wer) in [("clean", clean), ("noisy", 0.12)] {
        let m = metric(wer, Some([wer - 0.005, wer + 0.005]), 2000, "ratio");
        sc.metrics.insert(format!("wer.{subset}"), m);
        sc.digests
            .insert(format!("transcripts/{subset}"), format!("{subset}-1"));
    }
    let p99 = quantile_linear(&latency_ms, 0.99).unwrap();
    let n = latency_ms.len() as u64;
    sc.metrics
        .insert("latency.p99".into(), metric(p99, None, n, "ms"));
    sc.samples.insert("latency.p99".into(), latency_ms);
    sc
}

#[test]
fn a_made_up_direction_is_judged_by_its_own_catalogue() {
    let d = speechy();
    let units = UnitRule::runner();
    let cat = Catalogue::new(Some(&d), &units);
    let s = CompareSettings::default();
    let a = speech_card(0.05, noisy(40.0, 20, 0));
    let same = speech_card(0.05, noisy(40.0, 20, 3));
    assert!(compare(&a, &same, &s, &cat).unwrap().passed());

    // WER `clean` up from 5 % to 8 %, latency 30 % up, the `noisy` transcripts changed.
    let mut worse = speech_card(0.08, noisy(52.0, 20, 1));
    worse
        .digests
        .insert("transcripts/noisy".into(), "noisy-2".into());
    let c = compare(&a, &worse, &s, &cat).unwrap();
    assert_eq!(status(&c, "wer.clean"), MetricStatus::Regressed);
    assert_eq!(status(&c, "wer.noisy"), MetricStatus::Unchanged);
    let lat = c.metrics.iter().find(|m| m.id == "latency.p99").unwrap();
    assert_eq!(
        (lat.status, lat.better),
        (MetricStatus::Regressed, Some(Better::Lower))
    );
    assert!(lat.method.starts_with("bootstrap ratio"), "{lat:?}");
    let failed: Vec<_> = c.digest_failures().map(|d| d.name.as_str()).collect();
    assert_eq!(failed, ["transcripts/noisy"]);

    // Without its catalogue neither `ms` nor `ratio` says which way is better.
    let c = compare(&a, &worse, &s, &Catalogue::new(None, &units)).unwrap();
    assert_eq!(status(&c, "latency.p99"), MetricStatus::NotJudged);
    assert_eq!(status(&c, "wer.clean"), MetricStatus::NotJudged);
    assert_eq!(c.regressions().count(), 0);

    // A run of the `clean` subset only, on another dataset: only `clean` is judged.
    let mut clean = speech_card(0.08, noisy(40.0, 20, 2));
    clean.metrics.remove("wer.noisy");
    clean.digests.remove("transcripts/noisy");
    clean.pins.dataset.hash = "clean-only".into();
    let c = compare(&a, &clean, &s, &cat).unwrap();
    let cov = c.coverage.as_ref().unwrap();
    assert_eq!(cov.common, ["clean"]);
    assert_eq!(cov.only_baseline, ["noisy"]);
    assert_eq!(cov.aggregates, ["latency.p99"]);
    assert!(cov.ran_by_one("wer.noisy") && !cov.ran_by_one("wer.clean"));
    assert_eq!(status(&c, "wer.clean"), MetricStatus::Regressed);
    assert_eq!(status(&c, "latency.p99"), MetricStatus::NotJudged);
    let noisy_wer = c.metrics.iter().find(|m| m.id == "wer.noisy").unwrap();
    assert_eq!(
        noisy_wer.note.as_deref(),
        Some("workload `noisy` not run in the new run")
    );
    let digest = c
        .digests
        .iter()
        .find(|d| d.name == "transcripts/noisy")
        .unwrap();
    assert_eq!(digest.status, DigestStatus::NotRun);
    assert_eq!(c.digest_failures().count(), 0);
}

#[test]
fn a_metric_under_another_convention_is_not_judged_and_says_so() {
    let d = speechy();
    let units = UnitRule::runner();
    let cat = Catalogue::new(Some(&d), &units);
    let s = CompareSettings::default();
    let with = |sc: &mut Scorecard, c: &str| {
        let m = sc.metrics.get_mut("wer.clean").unwrap();
        m.convention = Some(c.into());
    };
    let mut a = speech_card(0.05, noisy(40.0, 20, 0));
    let mut worse = speech_card(0.08, noisy(40.0, 20, 1));
    with(&mut a, "norm:lower|tok:word");
    with(&mut worse, "norm:lower|tok:word");
    let c = compare(&a, &worse, &s, &cat).unwrap();
    assert_eq!(status(&c, "wer.clean"), MetricStatus::Regressed);
    with(&mut worse, "norm:none|tok:word");
    let c = compare(&a, &worse, &s, &cat).unwrap();
    let m = c.metrics.iter().find(|m| m.id == "wer.clean").unwrap();
    assert_eq!(m.status, MetricStatus::NotJudged);
    assert_eq!(
        m.note.as_deref(),
        Some(
            "computed under different conventions (baseline `norm:lower|tok:word`, new `norm:none|tok:word`): the values are not comparable"
        )
    );
    // One side stating none is a difference too.
    worse.metrics.get_mut("wer.clean").unwrap().convention = None;
    let c = compare(&a, &worse, &s, &cat).unwrap();
    assert_eq!(status(&c, "wer.clean"), MetricStatus::NotJudged);
}

#[test]
fn without_a_catalogue_no_name_is_interpreted() {
    // nn-chip-like names mean nothing to core: every metric is an aggregate, and each digest
    // stands for a workload of its own name.
    let a = two_workloads();
    let b = only_g(&a);
    let units = UnitRule::runner();
    let c = compare(
        &a,
        &b,
        &CompareSettings::default(),
        &Catalogue::new(None, &units),
    )
    .unwrap();
    let cov = c.coverage.as_ref().unwrap();
    assert_eq!(cov.common, ["output.g"]);
    assert_eq!(cov.only_baseline, ["output.h"]);
    assert_eq!(status(&c, "kernel.g.latency"), MetricStatus::NotJudged);
    assert!(cov.aggregates.iter().any(|m| m == "kernel.g.latency"));
    let h = c.digests.iter().find(|d| d.name == "output.h").unwrap();
    assert_eq!(h.status, DigestStatus::NotRun);
    assert!(c.passed());
}

#[test]
fn the_unit_rule_comes_from_catalogues_and_drops_disagreements() {
    assert_eq!(UnitRule::new().better("s"), None);
    let u = UnitRule::runner().learn(kernels()).learn(&speechy());
    for (unit, better) in [
        ("s", Better::Lower),
        ("ms", Better::Lower),
        ("qps", Better::Higher),
        ("bool", Better::Higher),
        ("TOPS/W", Better::Higher),
        ("ratio", Better::Lower),
    ] {
        assert_eq!(u.better(unit), Some(better), "{unit}");
    }
    assert_eq!(u.better("widgets"), None);
    // A catalogue that has a `ratio` better higher leaves `ratio` unknown.
    let u = u.with("ratio", Better::Higher).with("ratio", Better::Lower);
    assert_eq!(u.better("ratio"), None);
}

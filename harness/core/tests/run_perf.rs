//! Performance runs with scripted latencies: single-stream percentiles and early stopping,
//! offline throughput, server arrivals against a latency bound, failures counted as infinitely
//! slow, and what a performance run refuses.

mod run_support;

use jiebang_core::run::sut::{MockReply, MockSut};
use jiebang_core::run::{Mode, RunSettings, Scenario, Shard, read_log};
use jiebang_scorecard::Scorecard;
use run_support::*;
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

fn perf(scenario: Scenario, pairs: &[(&str, &str)]) -> RunSettings {
    let mut s = with(pairs);
    s.mode = Mode::Performance;
    s.scenario = Some(scenario);
    s
}

fn fixed(latency_ms: u64) -> Arc<MockSut> {
    Arc::new(MockSut::new("fixed", move |i| {
        (
            Duration::from_millis(latency_ms),
            MockReply::Answer(json!({ "positive": label(i) })),
        )
    }))
}

fn value(sc: &Scorecard, id: &str) -> f64 {
    sc.metrics
        .get(id)
        .and_then(|m| m.value)
        .unwrap_or_else(|| panic!("{id}: {:?}", sc.metrics.get(id)))
}

#[test]
fn single_stream_latency_percentiles() {
    let w = World::new(40, "");
    let s = perf(
        Scenario::SingleStream,
        &[
            ("min_duration_s", "0.4"),
            ("min_query_count", "100"),
            ("warmup_queries", "5"),
        ],
    );
    let r = w.run(fixed(2), s, "ss.log", false).unwrap();
    let sc = &r.scorecard;
    assert_eq!(sc.run.mode, "performance");
    assert_eq!(sc.run.scenario.as_deref(), Some("single-stream"));
    let n = sc.run.queries.issued;
    assert!(n >= 100, "{n}");
    assert_eq!(sc.run.queries.answered, n);
    for id in ["perf.latency.p50", "perf.latency.p90", "perf.latency.p99"] {
        let v = value(sc, id);
        // The mock sleeps 2 ms; the harness and the OS add a little (more in the tail when
        // other tests share the machine).
        let most = match id {
            "perf.latency.p50" => 0.012,
            "perf.latency.p90" => 0.05,
            _ => 0.2,
        };
        assert!((0.002..most).contains(&v), "{id} = {v}");
        assert_eq!(sc.metrics[id].unit, "s");
        assert_eq!(sc.metrics[id].n, n);
    }
    let p50 = value(sc, "perf.latency.p50");
    let [lo, hi] = sc.metrics["perf.latency.p50"].ci95.unwrap();
    assert!(lo <= p50 && p50 <= hi);
    assert!(value(sc, "perf.latency.p90_early_stopping") >= value(sc, "perf.latency.p90"));
    let qps = value(sc, "perf.throughput");
    assert!((20.0..520.0).contains(&qps), "{qps}");
    assert_eq!(value(sc, "perf.min_duration_met"), 1.0);
    assert!(value(sc, "perf.duration") >= 0.4);
    assert_eq!(sc.samples["perf.latency"].len() as u64, n);
    // The accuracy indicator is not measured by a performance run, and says so.
    assert!(
        sc.indicators[0]
            .reason
            .as_deref()
            .unwrap()
            .contains("accuracy run")
    );
    // The log holds a record per timed query; warm-up queries are not counted.
    let t = read_log(&r.log).unwrap().tally().unwrap();
    assert_eq!(t.issued, n);
    assert_eq!(sc.pins.settings["scenario"], json!("single-stream"));
    assert_eq!(sc.pins.settings["max_in_flight"], json!(1));
}

#[test]
fn offline_throughput_with_queries_in_flight() {
    let w = World::new(40, "");
    let s = perf(
        Scenario::Offline,
        &[
            ("min_duration_s", "0.3"),
            ("min_query_count", "64"),
            ("max_in_flight", "16"),
        ],
    );
    let r = w.run(fixed(5), s, "off.log", false).unwrap();
    let sc = &r.scorecard;
    let qps = value(sc, "perf.throughput");
    // 16 in flight at 5 ms each: at most 3200 per second.
    assert!((300.0..3300.0).contains(&qps), "{qps}");
    assert!(!sc.metrics.contains_key("perf.latency.p50"));
    assert_eq!(value(sc, "perf.min_duration_met"), 1.0);
    assert_eq!(sc.run.queries.answered, sc.run.queries.issued);
}

#[test]
fn builtin_systems_answer_on_worker_threads_offline() {
    let w = World::new(40, "");
    let s = perf(
        Scenario::Offline,
        &[
            ("min_duration_s", "0.1"),
            ("min_query_count", "200"),
            ("max_in_flight", "4"),
        ],
    );
    let sc = w
        .run(w.open("builtin:parity"), s, "bo.log", false)
        .unwrap()
        .scorecard;
    assert!(sc.run.queries.issued >= 200);
    assert_eq!(sc.run.queries.answered, sc.run.queries.issued);
    assert!(value(&sc, "perf.throughput") > 0.0);
}

#[test]
fn server_bound_held_or_not() {
    let w = World::new(40, "");
    let run = |bound: &str, log: &str| {
        let s = perf(
            Scenario::Server,
            &[
                ("min_duration_s", "0.3"),
                ("min_query_count", "500"),
                ("server_target_qps", "1000"),
                ("server_latency_bound_s", bound),
                ("warmup_queries", "0"),
            ],
        );
        w.run(fixed(1), s, log, false).unwrap().scorecard
    };
    let ok = run("0.2", "s1.log");
    assert_eq!(value(&ok, "perf.server.bound_met"), 1.0);
    let rate = value(&ok, "perf.server.achieved_qps");
    assert!((400.0..1300.0).contains(&rate), "{rate}");
    assert!(ok.run.queries.issued >= 500);
    assert!(value(&ok, "perf.duration") >= 0.3);
    let tight = run("0.0005", "s2.log");
    assert_eq!(value(&tight, "perf.server.bound_met"), 0.0);
    assert!(value(&tight, "perf.server.over_bound") > 0.0);
    // Within the bound, but too few queries for early stopping to show it: not decided.
    let s = perf(
        Scenario::Server,
        &[
            ("min_duration_s", "0.05"),
            ("min_query_count", "50"),
            ("server_target_qps", "1000"),
            ("server_latency_bound_s", "0.05"),
            ("warmup_queries", "0"),
        ],
    );
    let few = w.run(fixed(1), s, "s3.log", false).unwrap().scorecard;
    let m = &few.metrics["perf.server.bound_met"];
    assert!(
        m.value.is_none() && m.reason.as_deref().unwrap().contains("more queries"),
        "{m:?}"
    );
}

#[test]
fn failed_queries_count_as_infinitely_slow() {
    let w = World::new(20, "");
    let sut = Arc::new(MockSut::new("sometimes silent", |i| {
        let reply = if i % 4 == 0 {
            MockReply::Silent
        } else {
            MockReply::Answer(json!({ "positive": true }))
        };
        (Duration::from_millis(1), reply)
    }));
    let s = perf(
        Scenario::Offline,
        &[
            ("min_duration_s", "0.05"),
            ("min_query_count", "40"),
            ("max_query_count", "40"),
            ("timeout_s", "0.5"),
            ("max_consecutive_timeouts", "0"),
            ("warmup_queries", "0"),
        ],
    );
    let r = w.run(sut, s, "t.log", false).unwrap();
    let q = &r.scorecard.run.queries;
    assert_eq!(q.issued, 40);
    assert_eq!(q.failures.timeout, 10);
    assert_eq!(q.answered, 30);
    let s = perf(
        Scenario::SingleStream,
        &[
            ("min_duration_s", "0.05"),
            ("min_query_count", "20"),
            ("max_query_count", "20"),
            ("timeout_s", "0.05"),
            ("max_consecutive_timeouts", "0"),
            ("warmup_queries", "0"),
        ],
    );
    let sut = Arc::new(MockSut::new("sometimes silent", |i| {
        let reply = if i % 4 == 0 {
            MockReply::Silent
        } else {
            MockReply::Answer(json!({ "positive": true }))
        };
        (Duration::ZERO, reply)
    }));
    let sc = w.run(sut, s, "t2.log", false).unwrap().scorecard;
    assert_eq!(sc.run.queries.failures.timeout, 5);
    let p99 = &sc.metrics["perf.latency.p99"];
    assert!(p99.value.is_none());
    assert!(p99.reason.as_deref().unwrap().contains("failed"), "{p99:?}");
    assert!(sc.metrics["perf.latency.mean"].value.is_none());
    assert!(sc.metrics["perf.latency.p50"].value.is_some());
}

#[test]
fn a_process_sut_can_be_timed() {
    let w = World::new(30, "");
    let s = perf(
        Scenario::SingleStream,
        &[("min_duration_s", "0.2"), ("min_query_count", "64")],
    );
    let r = w
        .run(w.open(&fixture("labels.py", "")), s, "p.log", false)
        .unwrap();
    let p50 = value(&r.scorecard, "perf.latency.p50");
    assert!(p50 > 0.0 && p50 < 0.05, "{p50}");
}

#[test]
fn performance_runs_refuse_resume_and_shards() {
    let w = World::new(10, "");
    let s = perf(Scenario::SingleStream, &[]);
    let err = w.run(fixed(1), s, "r.log", true).err().unwrap();
    assert!(err.to_string().contains("cannot be resumed"), "{err}");
    let mut s = perf(Scenario::SingleStream, &[]);
    s.shard = Some(Shard { index: 1, count: 2 });
    let err = w.run(fixed(1), s, "r.log", false).err().unwrap();
    assert!(err.to_string().contains("--shard"), "{err}");
    let err = w
        .run(fixed(1), perf(Scenario::Server, &[]), "r.log", false)
        .err()
        .unwrap();
    assert!(err.to_string().contains("server_target_qps"), "{err}");
}

#[test]
fn suite_settings_give_defaults_and_flags_override() {
    let w = World::new(
        10,
        "scenario = \"offline\"\nmin_duration_s = 0.05\nmin_query_count = 20\nwarmup_queries = 0",
    );
    let s = RunSettings {
        mode: Mode::Performance,
        ..Default::default()
    };
    let sc = w.run(fixed(0), s, "d.log", false).unwrap().scorecard;
    assert_eq!(sc.run.scenario.as_deref(), Some("offline"));
    assert_eq!(sc.pins.settings["min_duration_s"], json!(0.05));
    let s = perf(Scenario::Offline, &[("min_duration_s", "0.06")]);
    let sc = w.run(fixed(0), s, "e.log", false).unwrap().scorecard;
    assert_eq!(sc.pins.settings["min_duration_s"], json!(0.06));
}

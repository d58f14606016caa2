//! Golden tests: percentiles, mean and early-stopping estimates vs real MLPerf LoadGen runs
//! and a transcription of LoadGen's early_stopping.cc; nearest-rank percentiles vs numpy
//! (fixtures from scripts/golden/gen_latency.py).

mod common;
use common::cases;
use jiebang_metrics::MetricError;
use jiebang_metrics::latency::{
    PercentileMethod, early_stopping_estimate, latency_summary, percentile, server_early_stopping,
};
use serde_json::Value;

fn latencies(v: &Value) -> Vec<u64> {
    v["latencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap())
        .collect()
}

#[test]
fn loadgen_runs_are_reproduced() {
    let fixture = &cases("latency")[0];
    for run in fixture["loadgen_runs"].as_array().unwrap() {
        let lat = latencies(run);
        let p = run["percentile"].as_f64().unwrap();
        let ctx = format!("{} queries at p{p}", lat.len());
        let summary = latency_summary(&lat).unwrap();
        assert_eq!(summary.mean, run["mean"].as_u64().unwrap(), "{ctx} mean");
        assert_eq!(summary.min, run["min"].as_u64().unwrap(), "{ctx} min");
        assert_eq!(summary.max, run["max"].as_u64().unwrap(), "{ctx} max");
        for (key, value) in run["percentiles"].as_object().unwrap() {
            // keys like result_99.90_percentile_latency_ns
            let pct: f64 = key
                .trim_start_matches("result_")
                .trim_end_matches("_percentile_latency_ns")
                .parse()
                .unwrap();
            let got = percentile(&lat, pct / 100.0, PercentileMethod::LoadGen).unwrap();
            assert_eq!(got, value.as_u64().unwrap(), "{ctx} {key}");
        }
        match run["discarded"].as_u64() {
            Some(discarded) => {
                let e = early_stopping_estimate(&lat, p, 0.99, 0.0).unwrap();
                assert_eq!(e.discarded, discarded, "{ctx} discarded");
                assert_eq!(
                    e.min_queries,
                    run["min_queries"].as_u64().unwrap(),
                    "{ctx} min queries"
                );
                assert_eq!(
                    e.estimate,
                    run["early_stopping_ss"].as_u64().unwrap(),
                    "{ctx} estimate"
                );
                let ms = run["early_stopping_ms"].as_u64().unwrap();
                if ms > 0 {
                    let e99 = early_stopping_estimate(&lat, 0.99, 0.99, 0.0).unwrap();
                    assert_eq!(e99.estimate, ms, "{ctx} p99 estimate");
                }
            }
            None => match early_stopping_estimate(&lat, p, 0.99, 0.0) {
                Err(MetricError::InsufficientSamples { needed, .. }) => {
                    assert_eq!(needed, run["min_queries"].as_u64().unwrap(), "{ctx} needed")
                }
                other => panic!("{ctx}: expected too few queries, got {other:?}"),
            },
        }
    }
}

#[test]
fn synthetic_samples_match_transcription_and_numpy() {
    let fixture = &cases("latency")[0];
    for s in fixture["synthetic"].as_array().unwrap() {
        let lat = latencies(s);
        let p = s["percentile"].as_f64().unwrap();
        let ctx = format!("{} latencies p{p}", lat.len());
        let e = early_stopping_estimate(&lat, p, 0.99, 0.0).unwrap();
        let want = &s["single_stream"];
        assert_eq!(
            e.min_queries,
            want["min_queries"].as_u64().unwrap(),
            "{ctx}"
        );
        assert_eq!(e.discarded, want["discarded"].as_u64().unwrap(), "{ctx}");
        assert_eq!(e.estimate, want["estimate"].as_u64().unwrap(), "{ctx}");
        let server = &s["server"];
        let got =
            server_early_stopping(&lat, server["target"].as_u64().unwrap(), p, 0.99, 0.0).unwrap();
        assert_eq!(
            got.overlatency,
            server["overlatency"].as_u64().unwrap(),
            "{ctx} server"
        );
        assert_eq!(
            got.required_queries,
            server["required"].as_u64().unwrap(),
            "{ctx} server"
        );
        assert_eq!(
            got.passed,
            server["passed"].as_bool().unwrap(),
            "{ctx} server"
        );
        for (q, v) in s["nearest_rank"].as_object().unwrap() {
            let got = percentile(&lat, q.parse().unwrap(), PercentileMethod::NearestRank).unwrap();
            assert_eq!(got, v.as_u64().unwrap(), "{ctx} nearest rank {q}");
        }
        for (q, v) in s["loadgen_index"].as_object().unwrap() {
            let got = percentile(&lat, q.parse().unwrap(), PercentileMethod::LoadGen).unwrap();
            assert_eq!(got, v.as_u64().unwrap(), "{ctx} loadgen {q}");
        }
    }
}

//! What identifies each side of a comparison, and which pins of the two runs differ (suite
//! or dataset hash, device, driver, settings, ...).

use super::Side;
use jiebang_scorecard::Scorecard;
use std::collections::BTreeSet;

/// What identifies `sc` in a report.
pub(crate) fn side(sc: &Scorecard) -> Side {
    let b = &sc.pins.backend;
    Side {
        id: sc.id.clone(),
        backend: format!("{} {}", b.kind, b.device),
        sut: match &sc.pins.sut.version {
            Some(v) => format!("{}:{} {v}", sc.pins.sut.adapter, sc.pins.sut.name),
            None => format!("{}:{}", sc.pins.sut.adapter, sc.pins.sut.name),
        },
        started_at: sc.pins.started_at.clone(),
        samples: sc.pins.dataset.samples,
        dataset: sc.pins.dataset.hash.clone(),
        shard: sc.pins.shard.clone(),
    }
}

/// The pins (and run settings) that differ, each as `what: baseline X, new Y`.
pub(crate) fn differences(a: &Scorecard, b: &Scorecard) -> Vec<String> {
    let mut out = Vec::new();
    let mut diff = |what: &str, x: String, y: String| {
        if x != y {
            out.push(format!("{what}: baseline {x}, new {y}"));
        }
    };
    let (p, q) = (&a.pins, &b.pins);
    let opt = |o: &Option<String>| o.clone().unwrap_or_else(|| "-".into());
    diff("suite hash", p.suite.hash.clone(), q.suite.hash.clone());
    diff(
        "dataset hash",
        p.dataset.hash.clone(),
        q.dataset.hash.clone(),
    );
    diff(
        "samples",
        p.dataset.samples.to_string(),
        q.dataset.samples.to_string(),
    );
    diff(
        "dataset generator",
        opt(&p.dataset.generator),
        opt(&q.dataset.generator),
    );
    let shard = |s: &Option<String>| s.clone().unwrap_or_else(|| "none (whole dataset)".into());
    diff("shard", shard(&p.shard), shard(&q.shard));
    diff("backend", p.backend.kind.clone(), q.backend.kind.clone());
    diff("device", p.backend.device.clone(), q.backend.device.clone());
    diff("driver", opt(&p.backend.driver), opt(&q.backend.driver));
    diff(
        "driver info",
        opt(&p.backend.driver_info),
        opt(&q.backend.driver_info),
    );
    diff("host cpu", opt(&p.host.cpu), opt(&q.host.cpu));
    diff(
        "host threads",
        p.host.threads.to_string(),
        q.host.threads.to_string(),
    );
    diff("SUT hash", p.sut.hash.clone(), q.sut.hash.clone());
    diff("SUT version", opt(&p.sut.version), opt(&q.sut.version));
    diff(
        "harness",
        format!("{} {}", p.harness.version, opt(&p.harness.git_commit)),
        format!("{} {}", q.harness.version, opt(&q.harness.git_commit)),
    );
    diff("run mode", a.run.mode.clone(), b.run.mode.clone());
    diff("scenario", opt(&a.run.scenario), opt(&b.run.scenario));
    diff("seed", p.seed.to_string(), q.seed.to_string());
    let keys: BTreeSet<&String> = p.settings.keys().chain(q.settings.keys()).collect();
    for k in keys {
        if k == "dataset_root" {
            continue;
        }
        let show = |v: Option<&serde_json::Value>| v.map_or("-".to_string(), |v| v.to_string());
        diff(
            &format!("setting `{k}`"),
            show(p.settings.get(k)),
            show(q.settings.get(k)),
        );
    }
    out
}

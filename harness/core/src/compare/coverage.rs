//! Runs over different sample sets (another dataset, `--samples`, `--shard`): which workloads
//! each ran, by the catalogue, and which metrics that leaves judged.

use super::{Catalogue, Coverage, MetricChange, MetricStatus};
use jiebang_scorecard::Scorecard;
use std::collections::BTreeSet;

/// The note of a metric that is an aggregate over runs of different sample sets.
pub(crate) const DIFFERENT_SETS: &str = "computed over different sample sets";

/// The workloads a scorecard ran: those of its digests and of its metrics and series.
pub(crate) fn workloads<'a>(sc: &'a Scorecard, cat: &Catalogue<'a>) -> BTreeSet<&'a str> {
    let digests = sc.digests.keys().map(|d| cat.digest_workload(d));
    let metrics = sc
        .metrics
        .keys()
        .chain(sc.samples.keys())
        .filter_map(|id| cat.metric_workload(id));
    digests.chain(metrics).collect()
}

/// `None` when both runs cover the same samples (same dataset, same shard); otherwise which
/// workloads each ran (the aggregates are filled in once the metrics are compared).
pub(crate) fn coverage(baseline: &Scorecard, new: &Scorecard, cat: &Catalogue) -> Option<Coverage> {
    let (p, q) = (&baseline.pins, &new.pins);
    if p.dataset.hash == q.dataset.hash && p.shard == q.shard {
        return None;
    }
    let (b, n) = (workloads(baseline, cat), workloads(new, cat));
    let list = |set: BTreeSet<&&str>| set.into_iter().map(|w| w.to_string()).collect();
    let one_sided: BTreeSet<String> = baseline
        .metrics
        .keys()
        .chain(baseline.samples.keys())
        .chain(new.metrics.keys())
        .chain(new.samples.keys())
        .filter(|id| {
            cat.metric_workload(id)
                .is_some_and(|w| b.contains(w) != n.contains(w))
        })
        .cloned()
        .collect();
    Some(Coverage {
        common: list(b.intersection(&n).collect()),
        only_baseline: list(b.difference(&n).collect()),
        only_new: list(n.difference(&b).collect()),
        aggregates: vec![],
        one_sided,
    })
}

/// Applies the coverage to one compared metric: when the sample sets differ, a metric of a
/// workload both ran stays judged; one present on both sides but of no common workload (an
/// aggregate) is not judged; one of a workload a side did not run says so.
pub(crate) fn restrict(
    mut m: MetricChange,
    in_base: bool,
    in_new: bool,
    coverage: Option<&Coverage>,
    cat: &Catalogue,
) -> MetricChange {
    let Some(c) = coverage else {
        return m;
    };
    let workload = cat.metric_workload(&m.id);
    let of = |list: &[String]| workload.filter(|w| list.iter().any(|x| x == w));
    if in_base && in_new {
        if of(&c.common).is_some() || m.status == MetricStatus::NotJudged {
            return m;
        }
        m.status = MetricStatus::NotJudged;
        m.ratio = None;
        m.ci = None;
        m.method = "not compared".into();
        m.note = Some(DIFFERENT_SETS.into());
    } else if let Some(w) = of(&c.only_baseline).filter(|_| in_base) {
        m.note = Some(format!("workload `{w}` not run in the new run"));
    } else if let Some(w) = of(&c.only_new).filter(|_| in_new) {
        m.note = Some(format!("workload `{w}` not run in the baseline"));
    }
    m
}

//! Indicator assembly: sets each measured indicator of a suite beside the unit's declared
//! current level, its own 2020 target and the national target, with a verdict against each.

use crate::verdict::{at_least_as_good, decide_metric};
use crate::{Declaration, Direction, MetricKind, SuiteSpec};
use jiebang_scorecard::{IndicatorResult, Metric, Verdicts};
use std::collections::BTreeMap;

/// Builds the indicator section of a scorecard.
pub fn assemble(
    direction: &Direction,
    suite: &SuiteSpec,
    metrics: &BTreeMap<String, Metric>,
    declaration: Option<&Declaration>,
) -> Vec<IndicatorResult> {
    let mut out = Vec::new();
    for id in &suite.indicators {
        let Some(ind) = direction.indicator(id) else {
            continue;
        };
        let Some(spec) = direction.metric(ind.metric) else {
            continue;
        };
        let level = declaration.and_then(|d| d.level(id));
        out.push(result(
            id,
            ind.name_zh,
            ind.name_en,
            &spec.id,
            false,
            metrics,
            direction,
            level.map(|l| (l.current, l.target_2020)),
            ind.national_target.as_ref().map(|t| t.to_target()),
        ));
    }
    if let Some(d) = declaration {
        for c in &d.custom {
            if !suite.metrics.iter().any(|m| m == &c.metric) {
                continue;
            }
            out.push(result(
                &c.id,
                &c.name_zh,
                &c.name_en,
                &c.metric,
                true,
                metrics,
                direction,
                Some((c.current, c.target_2020)),
                None,
            ));
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn result(
    id: &str,
    name_zh: &str,
    name_en: &str,
    metric_id: &str,
    custom: bool,
    metrics: &BTreeMap<String, Metric>,
    direction: &Direction,
    declared: Option<(f64, f64)>,
    national: Option<jiebang_scorecard::Target>,
) -> IndicatorResult {
    let spec = direction.metric(metric_id);
    let better = spec
        .map(|s| s.better)
        .unwrap_or(jiebang_scorecard::Better::Higher);
    let is_prop = spec.is_some_and(|s| s.kind == MetricKind::Proportion);
    let m = metrics.get(metric_id);
    let (measured, ci95, n) = m.map(|m| (m.value, m.ci95, m.n)).unwrap_or((None, None, 0));
    let smaller = m.and_then(|m| m.n_smaller_class);
    let method = m.and_then(|m| m.ci_method.as_ref());
    let reason = match m {
        None => Some(format!(
            "metric `{metric_id}` was not computed by this suite"
        )),
        Some(m) if m.value.is_none() => m.reason.clone(),
        _ => None,
    };
    let judge = |comparison, threshold| {
        decide_metric(
            measured, ci95, method, n, smaller, comparison, threshold, is_prop,
        )
    };
    let verdicts = Verdicts {
        national: national.as_ref().map(|t| judge(t.comparison, t.value)),
        own_target: declared.map(|(_, t)| judge(at_least_as_good(better), t)),
        declared_current: declared.map(|(c, _)| judge(at_least_as_good(better), c)),
    };
    IndicatorResult {
        id: id.to_string(),
        name_zh: name_zh.to_string(),
        name_en: name_en.to_string(),
        unit: m
            .map(|m| m.unit.clone())
            .or(spec.map(|s| s.unit.to_string()))
            .unwrap_or_default(),
        better,
        metric: metric_id.to_string(),
        custom,
        measured,
        ci95,
        n,
        reason,
        declared_current: declared.map(|d| d.0),
        declared_target_2020: declared.map(|d| d.1),
        national_target: national,
        verdicts,
    }
}

//! Scoring through jiebang-metrics: case-level rates with Wilson intervals (overall and per
//! disease category) and ROC AUC with the logit-transformed DeLong interval and its ROC
//! curve; lesion-level FROC and CPM with the LUNA16 case bootstrap and the FROC curve.
//! Technical failures count as wrong answers, never as right ones.

use crate::answer::Answer;
use crate::catalogue::{
    AUC, FNR, FPR, FROC_CPM, FROC_CURVE, PPV, ROC_CURVE, SENSITIVITY, SPECIFICITY,
    category_sensitivity_id, froc_sensitivity_id,
};
use crate::scorer::StudyRecord;
use jiebang_core::curves::operating_curve;
use jiebang_core::{CoreError, Scores};
use jiebang_metrics::detection::{ConfusionCounts, roc_auc_delong, roc_curve};
use jiebang_metrics::froc::{
    Candidate, FrocSettings, LUNA16_FP_RATES, Lesion, LesionKind, froc, froc_bootstrap,
};
use jiebang_metrics::proportion::{ProportionInterval, rate_estimate};
use jiebang_metrics::{Estimate, MetricError};
use jiebang_scorecard::{CiMethod, CurveKind, Metric};
use std::collections::{BTreeMap, BTreeSet};

/// A study with its parsed answer (`None`: technical failure or malformed answer).
pub type Scored<'a> = (&'a StudyRecord, Option<Answer>);

fn measured(e: &Estimate, method: CiMethod) -> Metric {
    Metric::estimate(
        e.value,
        e.ci95.map(|(lo, hi)| [lo, hi]),
        method,
        e.n,
        "ratio",
    )
}

fn not_measured(n: u64, reason: String) -> Metric {
    Metric::not_measured(n, "ratio", reason)
}

fn rate(result: Result<Estimate, MetricError>, n: u64, why: &str) -> Metric {
    match result {
        Ok(e) => measured(&e, CiMethod::Wilson),
        Err(e) => not_measured(n, format!("{why} ({e})")),
    }
}

/// Case-level metrics. A failed positive study counts as missed and a failed negative as a
/// false alarm; for the AUC and the ROC curve a failed positive ranks below and a failed
/// negative above every answered study. The curve (scikit-learn's `roc_curve` with
/// `drop_intermediate`, then thinned) is there exactly when the AUC is measured.
pub fn score_cases(scored: &[Scored<'_>]) -> Result<Scores, CoreError> {
    let labels: Vec<bool> = scored.iter().map(|(s, _)| s.positive).collect();
    let calls: Vec<bool> = scored
        .iter()
        .map(|(s, a)| match a.as_ref().and_then(|a| a.positive) {
            Some(p) => p,
            None => !s.positive,
        })
        .collect();
    let mut metrics = BTreeMap::new();
    let counts = ConfusionCounts::from_decisions(&calls, &labels);
    let wilson = ProportionInterval::Wilson;
    let (p, n) = (
        labels.iter().filter(|l| **l).count() as u64,
        labels.iter().filter(|l| !**l).count() as u64,
    );
    match counts {
        Ok(c) => {
            let no_pos = "no positive study in this run";
            let no_neg = "no negative study in this run";
            metrics.insert(
                SENSITIVITY.into(),
                rate(c.sensitivity_estimate(wilson), p, no_pos),
            );
            metrics.insert(
                FNR.into(),
                rate(c.false_negative_rate_estimate(wilson), p, no_pos),
            );
            metrics.insert(
                FPR.into(),
                rate(c.false_positive_rate_estimate(wilson), n, no_neg),
            );
            metrics.insert(
                SPECIFICITY.into(),
                rate(c.specificity_estimate(wilson), n, no_neg),
            );
            let called = c.true_positives + c.false_positives;
            metrics.insert(
                PPV.into(),
                rate(
                    rate_estimate(c.true_positives, called, wilson),
                    called,
                    "no study was called positive",
                ),
            );
        }
        Err(e) => {
            for id in [SENSITIVITY, FNR, FPR, SPECIFICITY, PPV] {
                metrics.insert(
                    id.into(),
                    not_measured(0, format!("no studies scored ({e})")),
                );
            }
        }
    }
    // Per disease category: detection rate among that category's positive studies.
    let categories: BTreeSet<&str> = scored
        .iter()
        .filter_map(|(s, _)| s.category.as_deref())
        .collect();
    for cat in categories {
        let (hit, total) = scored
            .iter()
            .zip(&calls)
            .filter(|((s, _), _)| s.positive && s.category.as_deref() == Some(cat))
            .fold((0u64, 0u64), |(h, t), (_, &call)| {
                (h + u64::from(call), t + 1)
            });
        metrics.insert(
            category_sensitivity_id(cat),
            rate(
                rate_estimate(hit, total, wilson),
                total,
                "no study of this category in this run",
            ),
        );
    }
    // AUC of the scores; failures rank at the wrong end.
    let answered: Vec<f64> = scored
        .iter()
        .filter_map(|(_, a)| a.as_ref().and_then(|a| a.score))
        .collect();
    let lo = answered.iter().copied().fold(0.0f64, f64::min) - 1.0;
    let hi = answered.iter().copied().fold(0.0f64, f64::max) + 1.0;
    let scores: Vec<f64> = scored
        .iter()
        .map(|(s, a)| match a.as_ref().and_then(|a| a.score) {
            Some(v) => v,
            None if s.positive => lo,
            None => hi,
        })
        .collect();
    let auc = match roc_auc_delong(&scores, &labels, 0.95) {
        // Perfect (or perfectly wrong) separation makes DeLong's variance zero: a zero-width
        // interval would claim certainty that a small sample cannot give, so none is reported
        // and no verdict is decided on it. The logit interval is undefined there too.
        Ok(a) if a.variance == 0.0 || a.logit_interval.is_none() => {
            let e = a.to_estimate();
            Metric::point(e.value, e.n, "ratio").with_reason(format!(
                "no interval: DeLong's variance is zero (the scores separate all {p} positive \
                 and {n} negative studies perfectly), which is no evidence of zero uncertainty"
            ))
        }
        // The logit-transformed interval: DeLong's Wald interval under-covers near AUC = 1
        // (docs/STATISTICS.md).
        // The smaller class rides along: the interval's coverage follows it (the verdict
        // guard's refusals, docs/STATISTICS.md).
        Ok(a) => {
            measured(&a.to_logit_estimate(), CiMethod::DeLongLogit).with_smaller_class(p.min(n))
        }
        Err(e) => not_measured(
            p + n,
            format!("AUC needs at least two positive and two negative studies ({e})"),
        ),
    };
    let mut curves = BTreeMap::new();
    if auc.value.is_some() {
        let roc = roc_curve(&scores, &labels, true)
            .map_err(|e| CoreError::Other(format!("{ROC_CURVE}: {e}")))?;
        let points: Vec<[f64; 2]> = roc.points.iter().map(|p| [p.fpr, p.tpr]).collect();
        curves.insert(
            ROC_CURVE.into(),
            operating_curve(ROC_CURVE, CurveKind::Roc, &points, Some(AUC))?,
        );
    }
    metrics.insert(AUC.into(), auc);
    Ok(Scores {
        metrics,
        curves,
        ..Scores::default()
    })
}

/// FROC protocol settings from the suite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrocProtocol {
    /// Marks kept per study (LUNA16: 100).
    pub max_marks: usize,
    /// Bootstrap resamples over studies (LUNA16: 1000).
    pub resamples: usize,
}

/// Slices are kept apart in the FROC's 3-D matching by this distance (pixels), far beyond
/// any radius, so a mark only hits lesions on its own slice.
const SLICE_SEPARATION: f64 = 1.0e7;

/// Lesion-level FROC over the scored studies (positions in pixels; radius as the hit
/// distance). A failed study contributes no marks, so its lesions count as missed.
pub fn score_froc(
    scored: &[Scored<'_>],
    protocol: &FrocProtocol,
    seed: u64,
) -> Result<Scores, CoreError> {
    let mut lesions = Vec::new();
    let mut candidates = Vec::new();
    for (case, (study, answer)) in scored.iter().enumerate() {
        for l in &study.lesions {
            lesions.push(Lesion {
                case,
                center: [l.x, l.y, l.slice as f64 * SLICE_SEPARATION],
                diameter_mm: 2.0 * l.r,
                kind: LesionKind::Included,
            });
        }
        if let Some(a) = answer {
            for m in &a.lesions {
                candidates.push(Candidate {
                    case,
                    center: [m.x, m.y, m.slice as f64 * SLICE_SEPARATION],
                    probability: m.score,
                });
            }
        }
    }
    let settings = FrocSettings {
        max_candidates_per_case: Some(protocol.max_marks),
        fp_rates: LUNA16_FP_RATES.to_vec(),
    };
    let cases = scored.len() as u64;
    let mut metrics = BTreeMap::new();
    let mut curves = BTreeMap::new();
    let ids: Vec<String> = LUNA16_FP_RATES
        .iter()
        .map(|&r| froc_sensitivity_id(r))
        .collect();
    let result = froc(scored.len(), &lesions, &candidates, &settings).and_then(|r| {
        froc_bootstrap(
            scored.len(),
            &lesions,
            &candidates,
            &settings,
            protocol.resamples,
            seed,
            0.95,
        )
        .map(|b| (r, b))
    });
    match result {
        Ok((r, b)) => {
            let method = CiMethod::BootstrapCasesLuna16 {
                resamples: b.replicates,
            };
            let metric = |value: f64, iv: jiebang_metrics::Interval| {
                Metric::estimate(value, Some([iv.lo, iv.hi]), method.clone(), cases, "ratio")
            };
            metrics.insert(FROC_CPM.into(), metric(r.cpm, b.cpm_interval));
            let points: Vec<[f64; 2]> = r
                .curve
                .iter()
                .map(|p| [p.fps_per_case, p.sensitivity])
                .collect();
            curves.insert(
                FROC_CURVE.into(),
                operating_curve(FROC_CURVE, CurveKind::Froc, &points, Some(FROC_CPM))?,
            );
            for ((id, (_, s)), (_, iv)) in ids
                .iter()
                .zip(&r.sensitivities)
                .zip(&b.sensitivity_intervals)
            {
                metrics.insert(id.clone(), metric(*s, *iv));
            }
        }
        Err(e) => {
            let reason = format!("FROC not computable on this run's studies ({e})");
            metrics.insert(FROC_CPM.into(), not_measured(cases, reason.clone()));
            for id in ids {
                metrics.insert(id, not_measured(cases, reason.clone()));
            }
        }
    }
    Ok(Scores {
        metrics,
        curves,
        ..Scores::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn study(i: usize, positive: bool) -> StudyRecord {
        StudyRecord {
            id: format!("s{i}"),
            files: vec![],
            positive,
            category: None,
            lesions: vec![],
            dims: vec![],
        }
    }

    fn cases_of(scores: &[(bool, f64)]) -> Scores {
        let studies: Vec<StudyRecord> = scores
            .iter()
            .enumerate()
            .map(|(i, (p, _))| study(i, *p))
            .collect();
        let scored: Vec<Scored<'_>> = studies
            .iter()
            .zip(scores)
            .map(|(s, (_, v))| {
                let answer = Answer {
                    positive: Some(*v > 0.5),
                    score: Some(*v),
                    lesions: vec![],
                };
                (s, Some(answer))
            })
            .collect();
        score_cases(&scored).unwrap()
    }

    fn auc_of(scores: &[(bool, f64)]) -> Metric {
        cases_of(scores).metrics[AUC].clone()
    }

    #[test]
    fn the_roc_curve_is_there_exactly_when_the_auc_is() {
        // Scores 0.00 .. 0.99, every third study positive: an overlapping ranking.
        let input: Vec<(bool, f64)> = (0..100).map(|i| (i % 3 == 0, i as f64 / 100.0)).collect();
        let s = cases_of(&input);
        let c = &s.curves[ROC_CURVE];
        assert_eq!((c.kind, c.metric.as_deref()), (CurveKind::Roc, Some(AUC)));
        assert_eq!(c.points.first(), Some(&[0.0, 0.0]));
        assert_eq!(c.points.last(), Some(&[1.0, 1.0]));
        // Short enough not to be thinned: its trapezoidal area is the AUC.
        assert!(c.points.len() < jiebang_core::curves::MAX_CURVE_POINTS);
        let area: f64 = c
            .points
            .windows(2)
            .map(|w| (w[1][0] - w[0][0]) * (w[1][1] + w[0][1]) / 2.0)
            .sum();
        assert!(
            (area - s.metrics[AUC].value.unwrap()).abs() < 1e-12,
            "{area}"
        );
        // 34 positives, 66 negatives: the smaller class rides along for the verdict guard.
        assert_eq!(s.metrics[AUC].n_smaller_class, Some(34));
        // One class only: no AUC (its reason says why), no curve.
        let s = cases_of(&[(true, 0.9), (true, 0.2), (true, 0.4)]);
        assert!(s.metrics[AUC].value.is_none() && s.metrics[AUC].reason.is_some());
        assert!(s.curves.is_empty());
        // Thousands of distinct scores: thinned to the limit, both ends kept.
        let input: Vec<(bool, f64)> = (0..5000)
            .map(|i| {
                (
                    i % 7 < 3,
                    ((i * 7919) % 5000) as f64 / 5000.0 + (i % 7) as f64 * 0.02,
                )
            })
            .collect();
        let c = &cases_of(&input).curves[ROC_CURVE];
        assert_eq!(c.points.len(), jiebang_core::curves::MAX_CURVE_POINTS);
        assert_eq!(c.points.first(), Some(&[0.0, 0.0]));
        assert_eq!(c.points.last(), Some(&[1.0, 1.0]));
    }

    #[test]
    fn the_froc_curve_goes_with_the_cpm() {
        use crate::annotation::LesionAnnotation;
        use crate::answer::Mark;
        let mut studies: Vec<StudyRecord> = (0..6).map(|i| study(i, i % 2 == 0)).collect();
        for s in studies.iter_mut().filter(|s| s.positive) {
            s.lesions = vec![LesionAnnotation {
                slice: 0,
                x: 10.0,
                y: 10.0,
                r: 3.0,
            }];
        }
        let mark = |x: f64, score: f64| Mark {
            slice: 0,
            x,
            y: 10.0,
            r: 3.0,
            score,
        };
        let scored: Vec<Scored<'_>> = studies
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let mut marks = vec![mark(40.0, 0.6)];
                if s.positive {
                    marks.push(mark(10.0, 0.5 + i as f64 / 20.0));
                }
                let answer = Answer {
                    positive: None,
                    score: None,
                    lesions: marks,
                };
                (s, Some(answer))
            })
            .collect();
        let protocol = FrocProtocol {
            max_marks: 100,
            resamples: 50,
        };
        let s = score_froc(&scored, &protocol, 7).unwrap();
        let c = &s.curves[FROC_CURVE];
        assert_eq!(
            (c.kind, c.metric.as_deref()),
            (CurveKind::Froc, Some(FROC_CPM))
        );
        assert!(c.x.log && c.x.unit == "per case");
        // Six false marks at 0.6 over six studies; three lesions hit at 0.7, 0.6, 0.5.
        let third = 1.0 / 3.0;
        assert_eq!(
            c.points,
            vec![[0.0, 0.0], [0.0, third], [1.0, 2.0 / 3.0], [1.0, 1.0]]
        );
        // No lesion at all: no CPM (with its reason), no curve.
        let negatives: Vec<StudyRecord> = (0..3).map(|i| study(i, false)).collect();
        let scored: Vec<Scored<'_>> = negatives.iter().map(|s| (s, None)).collect();
        let s = score_froc(&scored, &protocol, 7).unwrap();
        assert!(s.metrics[FROC_CPM].reason.is_some() && s.curves.is_empty());
    }

    #[test]
    fn perfect_separation_gives_an_auc_without_a_zero_width_interval() {
        let m = auc_of(&[
            (true, 0.9),
            (true, 0.8),
            (false, 0.2),
            (false, 0.1),
            (true, 0.7),
        ]);
        assert_eq!(m.value, Some(1.0));
        assert_eq!(m.ci95, None, "{m:?}");
        assert!(m.reason.unwrap().contains("variance is zero"));
        // With overlap the DeLong interval is there and has width.
        let m = auc_of(&[
            (true, 0.9),
            (true, 0.3),
            (false, 0.4),
            (false, 0.1),
            (true, 0.7),
        ]);
        let [lo, hi] = m.ci95.unwrap();
        assert!(lo < hi && m.reason.is_none(), "{m:?}");
    }
}

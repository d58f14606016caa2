//! Lesion-level FROC analysis following the LUNA16 evaluation protocol
//! (`noduleCADEvaluationLUNA16.py`, Setio et al. 2017): hits within the lesion radius,
//! one hit per lesion, sensitivity at 1/8 … 8 false positives per case, their mean (CPM),
//! and a bootstrap interval over cases.
//!
//! The protocol, as implemented here and in the LUNA16 script:
//! 1. Per case, at most `max_candidates_per_case` candidates are kept (LUNA16: 100): when a
//!    case has more, the threshold is the `(K+1)`-th highest probability and candidates
//!    strictly above it are kept in input order, at most `K`.
//! 2. A candidate hits a lesion when its squared distance to the lesion centre is strictly
//!    below `(diameter/2)²`; a negative diameter (unmeasured finding) counts as 10 mm.
//! 3. Every candidate that hits an *included* lesion is a hit for it and is never a false
//!    positive (a candidate can hit several lesions); the lesion enters the analysis once,
//!    with the highest probability among its hits. An included lesion without hits counts in
//!    the denominator only.
//! 4. Candidates that hit an *excluded* finding (irrelevant finding) and no included lesion
//!    are ignored, each once. Included lesions are matched before excluded findings (the
//!    script lists them first), so the counts do not depend on the annotation order.
//! 5. All other candidates are false positives.
//! 6. For each distinct probability `t` (descending): sensitivity = lesions whose best hit
//!    has probability ≥ `t` / all included lesions; FP rate = false positives with
//!    probability ≥ `t` / number of cases. The curve starts at (0, 0).
//! 7. Sensitivity at an FP rate `x` is read off by linear interpolation between consecutive
//!    curve points (NumPy `interp`; beyond the last point the last sensitivity).
//!
//! Differences from the script, kept deliberately: when no lesion is hit at all the
//! sensitivity is 0 (the script's scikit-learn call yields NaN), and the bootstrap reads the
//! sensitivities at the exact FP rates instead of the nearest points of a 10 000-point grid.

use crate::bootstrap::{Units, resample_indices};
use crate::error::{MetricError, Result, check_open_unit};
use crate::estimate::Interval;

/// The seven FP-per-case rates of the LUNA16 competition performance metric (CPM).
pub const LUNA16_FP_RATES: [f64; 7] = [0.125, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0];

/// Whether a reference finding counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LesionKind {
    /// A lesion that must be found (LUNA16 `annotations.csv`).
    Included,
    /// An irrelevant finding: candidates on it are neither hits nor false positives
    /// (LUNA16 `annotations_excluded.csv`).
    Excluded,
}

/// A reference finding.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lesion {
    /// Index of the case (scan) it belongs to, `0..cases`.
    pub case: usize,
    /// Centre in world coordinates (mm).
    pub center: [f64; 3],
    /// Diameter in mm; negative means unmeasured and is treated as 10 mm.
    pub diameter_mm: f64,
    /// Included lesion or excluded finding.
    pub kind: LesionKind,
}

/// A detection mark reported by the system.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    /// Index of the case (scan), `0..cases`.
    pub case: usize,
    /// Position in world coordinates (mm).
    pub center: [f64; 3],
    /// Suspicion score; higher is more suspicious.
    pub probability: f64,
}

/// Settings of the FROC analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct FrocSettings {
    /// Keep at most this many candidates per case (LUNA16: `Some(100)`).
    pub max_candidates_per_case: Option<usize>,
    /// FP-per-case rates at which sensitivity is reported and averaged into the CPM.
    pub fp_rates: Vec<f64>,
}

impl Default for FrocSettings {
    fn default() -> Self {
        Self {
            max_candidates_per_case: Some(100),
            fp_rates: LUNA16_FP_RATES.to_vec(),
        }
    }
}

/// One point of the FROC curve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FrocPoint {
    /// Probability threshold (`+inf` for the starting point).
    pub threshold: f64,
    /// False positives per case at this threshold.
    pub fps_per_case: f64,
    /// Lesion sensitivity at this threshold.
    pub sensitivity: f64,
}

/// Result of a FROC analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct FrocResult {
    /// The curve, by decreasing threshold.
    pub curve: Vec<FrocPoint>,
    /// `(fp_rate, sensitivity)` at each requested rate.
    pub sensitivities: Vec<(f64, f64)>,
    /// Mean of the sensitivities at the requested rates (the CPM for the LUNA16 rates).
    pub cpm: f64,
    /// Number of cases.
    pub cases: usize,
    /// Included lesions.
    pub lesions: usize,
    /// Included lesions with at least one hit.
    pub detected: usize,
    /// Candidates counted as false positives.
    pub false_positives: usize,
    /// Candidates ignored because they lie on excluded findings.
    pub ignored_candidates: usize,
    /// Extra hits on already-hit lesions (not counted as false positives).
    pub duplicate_hits: usize,
}

/// Per-case outcome of the matching: `(probability, is_lesion)` entries and lesion count.
#[derive(Debug, Clone, Default)]
struct CaseOutcome {
    entries: Vec<(f64, bool)>,
    lesions: usize,
}

struct Matching {
    per_case: Vec<CaseOutcome>,
    ignored: usize,
    duplicates: usize,
}

fn validate(cases: usize, lesions: &[Lesion], candidates: &[Candidate]) -> Result<()> {
    if cases == 0 {
        return Err(MetricError::Empty { what: "cases" });
    }
    for (i, l) in lesions.iter().enumerate() {
        if l.case >= cases || !l.center.iter().all(|v| v.is_finite()) || l.diameter_mm.is_nan() {
            return Err(MetricError::InvalidInput {
                what: "lesion",
                detail: format!(
                    "lesion {i}: case {} of {cases}, centre {:?}, diameter {}",
                    l.case, l.center, l.diameter_mm
                ),
            });
        }
    }
    for (i, c) in candidates.iter().enumerate() {
        if c.case >= cases || !c.center.iter().all(|v| v.is_finite()) || !c.probability.is_finite()
        {
            return Err(MetricError::InvalidInput {
                what: "candidate",
                detail: format!(
                    "candidate {i}: case {} of {cases}, centre {:?}, probability {}",
                    c.case, c.center, c.probability
                ),
            });
        }
    }
    Ok(())
}

/// LUNA16's per-case cap on candidates (see the module documentation, step 1).
fn cap_candidates(list: Vec<&Candidate>, cap: Option<usize>) -> Vec<&Candidate> {
    let Some(k) = cap else { return list };
    if list.len() <= k {
        return list;
    }
    let mut probs: Vec<f64> = list.iter().map(|c| c.probability).collect();
    probs.sort_by(|a, b| b.total_cmp(a));
    let threshold = probs[k];
    list.into_iter()
        .filter(|c| c.probability > threshold)
        .take(k)
        .collect()
}

fn match_candidates(
    cases: usize,
    lesions: &[Lesion],
    candidates: &[Candidate],
    cap: Option<usize>,
) -> Matching {
    let mut by_case: Vec<Vec<&Candidate>> = vec![Vec::new(); cases];
    for c in candidates {
        by_case[c.case].push(c);
    }
    // Included lesions first, then excluded findings (LUNA16's collectNoduleAnnotations
    // order), so a candidate inside both is a hit whatever the annotation order.
    let mut lesions_by_case: Vec<Vec<&Lesion>> = vec![Vec::new(); cases];
    for kind in [LesionKind::Included, LesionKind::Excluded] {
        for l in lesions.iter().filter(|l| l.kind == kind) {
            lesions_by_case[l.case].push(l);
        }
    }
    let mut per_case = Vec::with_capacity(cases);
    let (mut ignored, mut duplicates) = (0, 0);
    for (case_candidates, case_lesions) in by_case.into_iter().zip(lesions_by_case) {
        let kept = cap_candidates(case_candidates, cap);
        let mut removed = vec![false; kept.len()];
        let mut outcome = CaseOutcome::default();
        for lesion in case_lesions {
            let diameter = if lesion.diameter_mm < 0.0 {
                10.0
            } else {
                lesion.diameter_mm
            };
            let radius_sq = (diameter / 2.0) * (diameter / 2.0);
            let mut best: Option<f64> = None;
            let mut hits = 0usize;
            for (j, c) in kept.iter().enumerate() {
                let d =
                    |k: usize| (lesion.center[k] - c.center[k]) * (lesion.center[k] - c.center[k]);
                if d(0) + d(1) + d(2) < radius_sq {
                    match lesion.kind {
                        LesionKind::Included => {
                            hits += 1;
                            best = Some(best.map_or(c.probability, |b: f64| b.max(c.probability)));
                            removed[j] = true;
                        }
                        LesionKind::Excluded => {
                            if !removed[j] {
                                ignored += 1;
                                removed[j] = true;
                            }
                        }
                    }
                }
            }
            if lesion.kind == LesionKind::Included {
                outcome.lesions += 1;
                duplicates += hits.saturating_sub(1);
                if let Some(p) = best {
                    outcome.entries.push((p, true));
                }
            }
        }
        for (j, c) in kept.iter().enumerate() {
            if !removed[j] {
                outcome.entries.push((c.probability, false));
            }
        }
        per_case.push(outcome);
    }
    Matching {
        per_case,
        ignored,
        duplicates,
    }
}

/// The FROC curve of pooled `(probability, is_lesion)` entries.
fn curve_of(mut entries: Vec<(f64, bool)>, lesions: usize, cases: usize) -> Vec<FrocPoint> {
    entries.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut curve = vec![FrocPoint {
        threshold: f64::INFINITY,
        fps_per_case: 0.0,
        sensitivity: 0.0,
    }];
    let (mut tp, mut fp) = (0usize, 0usize);
    for (i, &(p, is_lesion)) in entries.iter().enumerate() {
        if is_lesion {
            tp += 1;
        } else {
            fp += 1;
        }
        if entries.get(i + 1).is_none_or(|next| next.0 != p) {
            curve.push(FrocPoint {
                threshold: p,
                fps_per_case: fp as f64 / cases as f64,
                sensitivity: tp as f64 / lesions as f64,
            });
        }
    }
    curve
}

/// Sensitivity at FP rate `x` by linear interpolation along the curve (NumPy `interp`).
pub fn sensitivity_at(curve: &[FrocPoint], x: f64) -> f64 {
    let Some(first) = curve.first() else {
        return 0.0;
    };
    if x < first.fps_per_case {
        return first.sensitivity;
    }
    let j = curve.partition_point(|p| p.fps_per_case <= x) - 1;
    match curve.get(j + 1) {
        None => curve[j].sensitivity,
        Some(next) => {
            let (a, b) = (&curve[j], next);
            let slope = (b.sensitivity - a.sensitivity) / (b.fps_per_case - a.fps_per_case);
            slope * (x - a.fps_per_case) + a.sensitivity
        }
    }
}

fn check_rates(rates: &[f64]) -> Result<()> {
    if rates.is_empty() {
        return Err(MetricError::Empty { what: "FP rates" });
    }
    match rates.iter().find(|r| !(r.is_finite() && **r >= 0.0)) {
        Some(r) => Err(MetricError::InvalidInput {
            what: "FP rate",
            detail: format!("{r} is not a finite non-negative number"),
        }),
        None => Ok(()),
    }
}

/// FROC analysis of `candidates` against `lesions` over `cases` cases (see the module
/// documentation for the protocol).
///
/// Errors: no cases, a lesion or candidate with an out-of-range case or non-finite values,
/// no included lesion (sensitivity undefined), or invalid FP rates.
pub fn froc(
    cases: usize,
    lesions: &[Lesion],
    candidates: &[Candidate],
    settings: &FrocSettings,
) -> Result<FrocResult> {
    validate(cases, lesions, candidates)?;
    check_rates(&settings.fp_rates)?;
    let matching = match_candidates(cases, lesions, candidates, settings.max_candidates_per_case);
    let lesion_count: usize = matching.per_case.iter().map(|c| c.lesions).sum();
    if lesion_count == 0 {
        return Err(MetricError::Undefined {
            metric: "FROC sensitivity",
            reason: "no included lesions",
        });
    }
    let entries: Vec<(f64, bool)> = matching
        .per_case
        .iter()
        .flat_map(|c| c.entries.iter().copied())
        .collect();
    let detected = entries.iter().filter(|e| e.1).count();
    let false_positives = entries.len() - detected;
    let curve = curve_of(entries, lesion_count, cases);
    let sensitivities: Vec<(f64, f64)> = settings
        .fp_rates
        .iter()
        .map(|&x| (x, sensitivity_at(&curve, x)))
        .collect();
    let cpm = sensitivities.iter().map(|s| s.1).sum::<f64>() / sensitivities.len() as f64;
    Ok(FrocResult {
        curve,
        sensitivities,
        cpm,
        cases,
        lesions: lesion_count,
        detected,
        false_positives,
        ignored_candidates: matching.ignored,
        duplicate_hits: matching.duplicates,
    })
}

/// Bootstrap intervals of the FROC sensitivities and the CPM, resampling cases.
#[derive(Debug, Clone, PartialEq)]
pub struct FrocBootstrap {
    /// `(fp_rate, interval)` for each requested rate.
    pub sensitivity_intervals: Vec<(f64, Interval)>,
    /// Interval of the CPM.
    pub cpm_interval: Interval,
    /// Replicates used.
    pub replicates: usize,
    /// Replicates left out because the resample held no included lesion.
    pub failed: usize,
}

/// Bootstrap over cases as in LUNA16's `computeFROC_bootstrap`: cases are drawn with
/// replacement (a case drawn twice contributes its lesions and candidates twice), the FROC
/// is recomputed, and the interval ends are the order statistics at positions
/// `⌊(α/2)·B⌋` and `⌊(1 − α/2)·B⌋` of the `B` sorted replicate values (LUNA16's rule).
/// Replicate `r` uses the seeded stream of [`crate::bootstrap::resample_indices`].
pub fn froc_bootstrap(
    cases: usize,
    lesions: &[Lesion],
    candidates: &[Candidate],
    settings: &FrocSettings,
    resamples: usize,
    seed: u64,
    confidence: f64,
) -> Result<FrocBootstrap> {
    validate(cases, lesions, candidates)?;
    check_rates(&settings.fp_rates)?;
    check_open_unit("confidence", confidence)?;
    if resamples == 0 {
        return Err(MetricError::InvalidInput {
            what: "resamples",
            detail: "must be at least 1".into(),
        });
    }
    let matching = match_candidates(cases, lesions, candidates, settings.max_candidates_per_case);
    let units = Units::samples(cases);
    let rates = &settings.fp_rates;
    let mut per_rate: Vec<Vec<f64>> = vec![Vec::with_capacity(resamples); rates.len()];
    let mut cpms = Vec::with_capacity(resamples);
    let mut failed = 0;
    let mut drawn = Vec::new();
    for r in 0..resamples {
        resample_indices(&units, seed, r as u64, &mut drawn);
        let lesion_count: usize = drawn.iter().map(|&c| matching.per_case[c].lesions).sum();
        if lesion_count == 0 {
            failed += 1;
            continue;
        }
        let entries: Vec<(f64, bool)> = drawn
            .iter()
            .flat_map(|&c| matching.per_case[c].entries.iter().copied())
            .collect();
        let curve = curve_of(entries, lesion_count, cases);
        let mut sum = 0.0;
        for (k, &x) in rates.iter().enumerate() {
            let s = sensitivity_at(&curve, x);
            per_rate[k].push(s);
            sum += s;
        }
        cpms.push(sum / rates.len() as f64);
    }
    if cpms.is_empty() {
        return Err(MetricError::Undefined {
            metric: "FROC bootstrap",
            reason: "no resample held an included lesion",
        });
    }
    let alpha = (1.0 - confidence) / 2.0;
    let order_interval = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        let at = |q: f64| v[((q * v.len() as f64).floor() as usize).min(v.len() - 1)];
        Interval::new(at(alpha), at(1.0 - alpha))
    };
    Ok(FrocBootstrap {
        sensitivity_intervals: rates
            .iter()
            .copied()
            .zip(per_rate.into_iter().map(order_interval))
            .collect(),
        cpm_interval: order_interval(cpms.clone()),
        replicates: cpms.len(),
        failed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lesion(case: usize, x: f64, d: f64, kind: LesionKind) -> Lesion {
        Lesion {
            case,
            center: [x, 0.0, 0.0],
            diameter_mm: d,
            kind,
        }
    }
    fn cand(case: usize, x: f64, p: f64) -> Candidate {
        Candidate {
            case,
            center: [x, 0.0, 0.0],
            probability: p,
        }
    }

    #[test]
    fn hits_duplicates_excluded_and_radius_boundary() {
        let lesions = [
            lesion(0, 0.0, 10.0, LesionKind::Included),
            lesion(0, 50.0, -1.0, LesionKind::Excluded),
        ];
        let candidates = [
            cand(0, 1.0, 0.9),  // hit
            cand(0, -2.0, 0.4), // duplicate hit, not an FP
            cand(0, 5.0, 0.8),  // exactly on the radius: not a hit -> FP
            cand(0, 53.0, 0.7), // on the excluded finding (10 mm default): ignored
            cand(1, 0.0, 0.6),  // other case: FP
        ];
        let r = froc(2, &lesions, &candidates, &FrocSettings::default()).unwrap();
        assert_eq!(
            (
                r.lesions,
                r.detected,
                r.false_positives,
                r.ignored_candidates,
                r.duplicate_hits
            ),
            (1, 1, 2, 1, 1)
        );
        assert_eq!(
            r.curve[1],
            FrocPoint {
                threshold: 0.9,
                fps_per_case: 0.0,
                sensitivity: 1.0
            }
        );
        assert_eq!(r.cpm, 1.0);
    }

    #[test]
    fn no_lesions_is_an_error_and_no_hits_is_zero() {
        assert!(froc(1, &[], &[cand(0, 0.0, 0.5)], &FrocSettings::default()).is_err());
        let r = froc(
            1,
            &[lesion(0, 0.0, 4.0, LesionKind::Included)],
            &[cand(0, 9.0, 0.5)],
            &FrocSettings::default(),
        )
        .unwrap();
        assert_eq!(r.cpm, 0.0);
    }

    #[test]
    fn candidate_cap_keeps_the_most_suspicious() {
        let candidates: Vec<Candidate> = (0..5).map(|i| cand(0, 100.0, i as f64 / 10.0)).collect();
        let s = FrocSettings {
            max_candidates_per_case: Some(2),
            ..Default::default()
        };
        let r = froc(
            1,
            &[lesion(0, 0.0, 4.0, LesionKind::Included)],
            &candidates,
            &s,
        )
        .unwrap();
        assert_eq!(r.false_positives, 2);
        assert_eq!(r.curve[1].threshold, 0.4);
    }
}

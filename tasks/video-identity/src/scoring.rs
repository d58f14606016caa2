//! Scoring of the three suites from per-sample truth and answers: detection and track rates,
//! precision and false detections per frame; DET operating points and the DET curve; CMC
//! points, the CMC curve and FNIR@FPIR.

use crate::answer::{Candidate, FaceBox};
use crate::catalogue::{
    CMC_CURVE, DET_CURVE, DETECT_RATE, EER, FALSE_PER_FRAME, FNIR_AT_FPIR_001, FNIR_AT_FPIR_0003,
    FNMR_AT_FMR_1E3, FNMR_AT_FMR_1E4, PRECISION, RANK1, RANK5, RANK10, TAR_AT_FAR_1E3, TRACK_RATE,
};
use crate::scorer::TruthFace;
use jiebang_core::curves::operating_curve;
use jiebang_core::{CoreError, Scores};
use jiebang_metrics::biometrics::{self, BoundingBox, Detection};
use jiebang_scorecard::{CiMethod, CurveKind, Metric};
use std::collections::BTreeMap;

fn metric_error(id: &str, e: impl std::fmt::Display) -> CoreError {
    CoreError::Other(format!("{id}: {e}"))
}

/// `successes / trials` with its Wilson 95% interval, or not measured when there are no trials.
pub(crate) fn proportion(
    id: &str,
    successes: u64,
    trials: u64,
    empty: &str,
) -> Result<Metric, CoreError> {
    jiebang_core::measure::share(id, successes, trials, empty)
}

/// The fewest negatives that can show a rate of `target` (1 / target, rounded up).
fn needed(target: f64) -> u64 {
    (1.0 / target - 1e-9).ceil() as u64
}

/// One answered frame: its clip, its annotated faces and the returned boxes (`None` for a
/// technical failure).
pub type ScoredFrame<'a> = (&'a str, &'a [TruthFace], Option<Vec<FaceBox>>);

/// Detect: `(clip, faces, boxes)` per answered frame, `boxes` `None` for a technical failure.
pub fn detection(frames: &[ScoredFrame<'_>], iou: f64) -> Result<Scores, CoreError> {
    let (mut faces, mut found, mut boxes, mut false_boxes) = (0u64, 0u64, 0u64, 0u64);
    let mut tracks: BTreeMap<(&str, u32), (u64, u64)> = BTreeMap::new();
    for (clip, truth, answer) in frames {
        let bboxes: Vec<BoundingBox> = truth.iter().map(|f| f.bbox).collect();
        let dets: Vec<Detection> = answer
            .iter()
            .flatten()
            .map(|b| Detection {
                bbox: BoundingBox {
                    x_min: b.x,
                    y_min: b.y,
                    x_max: b.x + b.w,
                    y_max: b.y + b.h,
                },
                score: b.score,
            })
            .collect();
        let (counts, matched) =
            biometrics::match_detections_per_face(&bboxes, &dets, iou, f64::NEG_INFINITY)
                .map_err(|e| metric_error(DETECT_RATE, e))?;
        faces += counts.faces;
        found += counts.detected_faces;
        boxes += counts.detections;
        false_boxes += counts.false_detections;
        for (f, hit) in truth.iter().zip(matched) {
            let t = tracks.entry((clip, f.track)).or_default();
            t.0 += 1;
            t.1 += u64::from(hit);
        }
    }
    let tracked = tracks.values().filter(|(n, hit)| 2 * hit >= *n).count() as u64;
    let mut s = Scores::default();
    let m = &mut s.metrics;
    m.insert(
        DETECT_RATE.into(),
        proportion(
            DETECT_RATE,
            found,
            faces,
            "no annotated faces in the frames run",
        )?,
    );
    m.insert(
        TRACK_RATE.into(),
        proportion(
            TRACK_RATE,
            tracked,
            tracks.len() as u64,
            "no face tracks in the frames run",
        )?,
    );
    m.insert(
        PRECISION.into(),
        proportion(
            PRECISION,
            boxes - false_boxes,
            boxes,
            "no boxes were returned",
        )?,
    );
    let frames_n = frames.len() as u64;
    m.insert(
        FALSE_PER_FRAME.into(),
        if frames_n == 0 {
            Metric::not_measured(0, "per frame", "no frames were run")
        } else {
            Metric::estimate(
                false_boxes as f64 / frames_n as f64,
                None,
                CiMethod::Exact,
                frames_n,
                "per frame",
            )
            .with_reason(format!(
                "{false_boxes} unmatched boxes over {frames_n} frames; no interval is computed"
            ))
        },
    );
    Ok(s)
}

/// Verify: `(mated, score)` per answered pair, `score` `None` for a technical failure (which
/// counts as a non-match of a genuine pair and a match of an impostor pair). The DET curve
/// (scikit-learn's `det_curve`: FMR and FNMR at the same thresholds as the EER and FNMR@FMR,
/// then thinned) is there exactly when the EER is.
pub fn verification(pairs: &[(bool, Option<f64>)]) -> Result<Scores, CoreError> {
    let observed = pairs.iter().filter_map(|(_, s)| *s);
    let lo = observed.clone().fold(f64::INFINITY, f64::min);
    let hi = observed.fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = if lo.is_finite() {
        (lo - 1.0, hi + 1.0)
    } else {
        (-1.0, 1.0)
    };
    let genuine: Vec<f64> = pairs
        .iter()
        .filter(|(m, _)| *m)
        .map(|(_, s)| s.unwrap_or(lo))
        .collect();
    let impostor: Vec<f64> = pairs
        .iter()
        .filter(|(m, _)| !*m)
        .map(|(_, s)| s.unwrap_or(hi))
        .collect();
    let (g, i) = (genuine.len() as u64, impostor.len() as u64);
    let mut s = Scores::default();
    let m = &mut s.metrics;
    if g == 0 || i == 0 {
        let why = format!(
            "needs both genuine and impostor pairs; the run has {g} genuine and {i} impostor pairs"
        );
        for id in [EER, FNMR_AT_FMR_1E3, FNMR_AT_FMR_1E4, TAR_AT_FAR_1E3] {
            m.insert(id.into(), Metric::not_measured(g + i, "ratio", why.clone()));
        }
        return Ok(s);
    }
    let e = biometrics::eer(&genuine, &impostor).map_err(|e| metric_error(EER, e))?;
    let det: Vec<[f64; 2]> = biometrics::det_curve(&genuine, &impostor)
        .map_err(|e| metric_error(DET_CURVE, e))?
        .iter()
        .map(|p| [p.fmr, p.fnmr])
        .collect();
    s.curves.insert(
        DET_CURVE.into(),
        operating_curve(DET_CURVE, CurveKind::Det, &det, Some(EER))?,
    );
    let m = &mut s.metrics;
    m.insert(
        EER.into(),
        Metric::estimate(e.rate, None, CiMethod::Exact, g + i, "ratio").with_reason(format!(
            "EER of {g} genuine and {i} impostor pairs (thresholds {} .. {}); no interval is computed",
            e.threshold_low, e.threshold_high
        )),
    );
    for (id, target, tar) in [
        (FNMR_AT_FMR_1E3, 1e-3, false),
        (FNMR_AT_FMR_1E4, 1e-4, false),
        (TAR_AT_FAR_1E3, 1e-3, true),
    ] {
        if i < needed(target) {
            m.insert(
                id.into(),
                Metric::not_measured(
                    g,
                    "ratio",
                    format!("needs at least {} impostor pairs to observe FMR = {target}; the run has {i}", needed(target)),
                ),
            );
            continue;
        }
        let p = biometrics::fnmr_at_fmr(&genuine, &impostor, target)
            .map_err(|e| metric_error(id, e))?;
        let misses = (p.fnmr * g as f64).round() as u64;
        let successes = if tar { g - misses } else { misses };
        let metric = proportion(id, successes, g, "no genuine pairs")?.with_reason(format!(
            "threshold {} (observed FMR {}) chosen on this run's {i} impostor pairs; the interval covers the {g} genuine pairs",
            p.threshold, p.fmr
        ));
        m.insert(id.into(), metric);
    }
    Ok(s)
}

/// Identify: `(mate, candidates)` per answered probe, `mate` `None` for a non-mated probe,
/// `candidates` `None` for a technical failure (a miss for a mated probe, a false positive at
/// every threshold for a non-mated one). The CMC curve runs over ranks `1..=max_rank` (the
/// candidate list length) and is there exactly when the rank-k rates are.
pub fn identification(
    probes: &[(Option<&str>, Option<Vec<Candidate>>)],
    max_rank: usize,
) -> Result<Scores, CoreError> {
    let observed = probes
        .iter()
        .flat_map(|(_, c)| c.iter().flatten().map(|c| c.score));
    let lo = observed.clone().fold(f64::INFINITY, f64::min);
    let hi = observed.fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = if lo.is_finite() {
        (lo - 1.0, hi + 1.0)
    } else {
        (-1.0, 1.0)
    };
    let mut ranks: Vec<Option<usize>> = Vec::new();
    let mut mated_scores: Vec<Option<f64>> = Vec::new();
    let mut nonmated_top: Vec<f64> = Vec::new();
    for (mate, list) in probes {
        match (mate, list) {
            (Some(_), None) => {
                ranks.push(None);
                mated_scores.push(None);
            }
            (Some(mate), Some(list)) => {
                let mut sorted: Vec<&Candidate> = list.iter().collect();
                sorted.sort_by(|a, b| b.score.total_cmp(&a.score));
                let scores: Vec<f64> = sorted.iter().map(|c| c.score).collect();
                match sorted.iter().position(|c| c.identity == *mate) {
                    Some(pos) => {
                        ranks.push(Some(
                            biometrics::mate_rank(&scores, pos)
                                .map_err(|e| metric_error(RANK1, e))?,
                        ));
                        mated_scores.push(Some(scores[pos]));
                    }
                    None => {
                        ranks.push(None);
                        mated_scores.push(None);
                    }
                }
            }
            (None, None) => nonmated_top.push(hi),
            (None, Some(list)) => {
                nonmated_top.push(list.iter().map(|c| c.score).fold(lo, f64::max))
            }
        }
    }
    let mated = ranks.len() as u64;
    let mut s = Scores::default();
    let m = &mut s.metrics;
    for (id, k) in [(RANK1, 1), (RANK5, 5), (RANK10, 10)] {
        let hits = ranks.iter().filter(|r| r.is_some_and(|r| r <= k)).count() as u64;
        m.insert(
            id.into(),
            proportion(id, hits, mated, "no mated probes in the run")?,
        );
    }
    if mated > 0 && max_rank > 0 {
        // A mate off the list (or a failed search) is beyond every rank.
        let beyond: Vec<usize> = ranks.iter().map(|r| r.unwrap_or(usize::MAX)).collect();
        let points: Vec<[f64; 2]> = biometrics::cmc(&beyond, max_rank)
            .map_err(|e| metric_error(CMC_CURVE, e))?
            .into_iter()
            .enumerate()
            .map(|(k, rate)| [(k + 1) as f64, rate])
            .collect();
        s.curves.insert(
            CMC_CURVE.into(),
            operating_curve(CMC_CURVE, CurveKind::Cmc, &points, Some(RANK1))?,
        );
    }
    let m = &mut s.metrics;
    let nonmated = nonmated_top.len() as u64;
    for (id, target) in [(FNIR_AT_FPIR_001, 0.01), (FNIR_AT_FPIR_0003, 0.003)] {
        if mated == 0 || nonmated < needed(target) {
            m.insert(
                id.into(),
                Metric::not_measured(
                    mated,
                    "ratio",
                    format!(
                        "needs at least {} non-mated and one mated probe to observe FPIR = {target}; the run has {nonmated} non-mated and {mated} mated probes",
                        needed(target)
                    ),
                ),
            );
            continue;
        }
        let p = biometrics::fnir_at_fpir(&mated_scores, &nonmated_top, target)
            .map_err(|e| metric_error(id, e))?;
        let misses = (p.fnir * mated as f64).round() as u64;
        let metric = proportion(id, misses, mated, "no mated probes")?.with_reason(format!(
            "threshold {} (observed FPIR {}) chosen on this run's {nonmated} non-mated probes; the interval covers the {mated} mated probes",
            p.threshold, p.fpir
        ));
        m.insert(id.into(), metric);
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn face(track: u32, x: f64) -> TruthFace {
        TruthFace {
            track,
            bbox: BoundingBox {
                x_min: x,
                y_min: 0.0,
                x_max: x + 10.0,
                y_max: 10.0,
            },
        }
    }

    fn hit(x: f64) -> FaceBox {
        FaceBox {
            x,
            y: 0.0,
            w: 10.0,
            h: 10.0,
            score: 1.0,
        }
    }

    #[test]
    fn detection_counts_instances_tracks_and_false_boxes() {
        let f = [face(0, 0.0), face(1, 50.0)];
        let frames = [
            ("c0", &f[..], Some(vec![hit(0.0), hit(100.0)])),
            ("c0", &f[..], Some(vec![hit(0.0), hit(50.0)])),
            ("c0", &f[..], None),
        ];
        let s = detection(&frames, 0.5).unwrap();
        let v = |id: &str| s.metrics[id].value.unwrap();
        assert_eq!(v(DETECT_RATE), 3.0 / 6.0);
        // Track 0: 2 of 3 frames (≥ half); track 1: 1 of 3.
        assert_eq!(v(TRACK_RATE), 0.5);
        assert_eq!(v(PRECISION), 3.0 / 4.0);
        assert_eq!(v(FALSE_PER_FRAME), 1.0 / 3.0);
    }

    #[test]
    fn verification_failures_count_as_errors_and_low_fmr_needs_impostors() {
        let pairs = [
            (true, Some(0.9)),
            (true, None),
            (false, Some(0.1)),
            (false, Some(0.2)),
        ];
        let s = verification(&pairs).unwrap();
        assert_eq!(s.metrics[EER].value, Some(0.5));
        assert!(s.metrics[FNMR_AT_FMR_1E3].value.is_none());
        assert!(
            s.metrics[FNMR_AT_FMR_1E3]
                .reason
                .as_deref()
                .unwrap()
                .contains("at least 1000")
        );
        let mut many: Vec<(bool, Option<f64>)> = (0..1000)
            .map(|k| (false, Some(k as f64 / 1000.0)))
            .collect();
        many.extend([(true, Some(2.0)), (true, Some(0.5)), (true, Some(0.9995))]);
        let s = verification(&many).unwrap();
        // FMR ≤ 1e-3 allows one impostor (0.999) at or above the threshold: 0.999; one genuine below.
        assert_eq!(s.metrics[FNMR_AT_FMR_1E3].value, Some(1.0 / 3.0));
        assert_eq!(s.metrics[TAR_AT_FAR_1E3].value, Some(2.0 / 3.0));
        assert!(s.metrics[FNMR_AT_FMR_1E4].value.is_none());
    }

    #[test]
    fn identification_ranks_ties_against_the_mate_and_failures_miss() {
        let c = |id: &str, s: f64| Candidate {
            identity: id.into(),
            score: s,
        };
        let probes = vec![
            (Some("a"), Some(vec![c("b", 0.5), c("a", 0.9)])),
            (Some("a"), Some(vec![c("b", 0.9), c("a", 0.9)])),
            (Some("a"), None),
            (Some("a"), Some(vec![c("b", 0.9)])),
            (None, Some(vec![])),
        ];
        let s = identification(&probes, 10).unwrap();
        assert_eq!(s.metrics[RANK1].value, Some(0.25));
        assert_eq!(s.metrics[RANK5].value, Some(0.5));
        assert!(s.metrics[FNIR_AT_FPIR_001].value.is_none());
        // The CMC: ranks 1..=10, its points the rank-k rates.
        let cmc = &s.curves[CMC_CURVE];
        assert_eq!(
            (cmc.kind, cmc.metric.as_deref()),
            (CurveKind::Cmc, Some(RANK1))
        );
        assert_eq!(cmc.points.len(), 10);
        for (k, id) in [(1, RANK1), (5, RANK5), (10, RANK10)] {
            assert_eq!(cmc.points[k - 1], [k as f64, s.metrics[id].value.unwrap()]);
        }
        assert_eq!(cmc.points[1], [2.0, 0.5]);
        // No mated probe: no rank-k rates (their reason says why), no curve.
        let s = identification(&[(None, Some(vec![c("b", 0.9)]))], 10).unwrap();
        assert!(s.metrics[RANK1].reason.is_some() && s.curves.is_empty());
    }

    #[test]
    fn the_det_curve_is_made_of_the_verification_operating_points() {
        // 40 genuine scores 0.30 .. 0.69 and 60 impostor scores 0.00 .. 0.59 overlap.
        let mut pairs: Vec<(bool, Option<f64>)> = (0..40)
            .map(|k| (true, Some(0.3 + k as f64 / 100.0)))
            .collect();
        pairs.extend((0..60).map(|k| (false, Some(k as f64 / 100.0))));
        let s = verification(&pairs).unwrap();
        let det = &s.curves[DET_CURVE];
        assert_eq!(
            (det.kind, det.metric.as_deref()),
            (CurveKind::Det, Some(EER))
        );
        assert!(det.x.log && det.y.log);
        let genuine: Vec<f64> = pairs.iter().filter(|p| p.0).filter_map(|p| p.1).collect();
        let impostor: Vec<f64> = pairs.iter().filter(|p| !p.0).filter_map(|p| p.1).collect();
        // Every point is (FMR, FNMR) at an observed score, as FNMR@FMR and the EER use them
        // (FNMR there is 1 − TPR: equal to the last bits or nearly).
        for p in &det.points {
            let at_some_score = genuine.iter().chain(&impostor).any(|&t| {
                let r = biometrics::error_rates_at(&genuine, &impostor, t).unwrap();
                (r.fmr - p[0]).abs() < 1e-12 && (r.fnmr - p[1]).abs() < 1e-12
            });
            assert!(at_some_score, "{p:?}");
        }
        // From FNMR 0 (lowest threshold kept) to FMR 0 (highest), crossing at the EER.
        assert_eq!(det.points.first().unwrap()[1], 0.0);
        assert_eq!(det.points.last().unwrap()[0], 0.0);
        let eer = s.metrics[EER].value.unwrap();
        assert!(det.points.iter().any(|p| p[0] >= eer && p[1] <= eer));
        assert!(det.points.iter().any(|p| p[0] <= eer && p[1] >= eer));
        // Genuine pairs only: no EER (its reason says why), no curve.
        let s = verification(&[(true, Some(0.5))]).unwrap();
        assert!(s.metrics[EER].reason.is_some() && s.curves.is_empty());
    }
}

//! Template style: reading `{"template": [...]}` answers, fixing the run's dimension, and scoring
//! verify and identify by matching the templates on the run's backend (pair cosines, top-k).

use crate::answer::Candidate;
use crate::catalogue::FTE_RATE;
use crate::scoring;
use jiebang_accel::Device;
use jiebang_accel::templates::{TemplateSet, check};
use jiebang_core::{CoreError, Scores};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// A template answer.
/// The most values a template of this direction may have: face templates are 128 to 2048
/// values, and every answer is held until scoring, so a system may not make each one megabytes.
pub const MAX_DIM: usize = 4096;

#[derive(Debug, Clone, Deserialize)]
struct TemplateAnswer {
    template: Vec<f32>,
}

/// Reads and checks a template answer: finite, not all zero, `dim` values when the suite fixes
/// the dimension, else 1 to [`MAX_DIM`] values.
pub fn read(answer: &Value, dim: Option<usize>) -> Result<Vec<f32>, String> {
    let a: TemplateAnswer = jiebang_core::answer::read(answer)?;
    let expected = match dim {
        Some(d) => d,
        None if (1..=MAX_DIM).contains(&a.template.len()) => a.template.len(),
        None => {
            return Err(format!(
                "field `template`: has {} values, expected 1 to {MAX_DIM}",
                a.template.len()
            ));
        }
    };
    check(&a.template, expected).map_err(|e| format!("field `template`: {e}"))?;
    Ok(a.template)
}

/// The valid templates by sample index, and the run's dimension: `fixed` when the suite sets
/// it, else that of the valid template with the lowest sample index (`None`: no valid one).
fn valid_templates(
    answers: &[(usize, Option<Value>)],
    fixed: Option<usize>,
) -> (BTreeMap<usize, Vec<f32>>, Option<usize>) {
    let valid: BTreeMap<usize, Vec<f32>> = answers
        .iter()
        .filter_map(|(i, a)| Some((*i, read(a.as_ref()?, fixed).ok()?)))
        .collect();
    let dim = fixed.or_else(|| valid.values().next().map(Vec::len));
    (valid, dim)
}

/// The set of `rows` (sample indices) in order; a row without a valid template of the run's
/// dimension is failed.
fn set_of(
    valid: &BTreeMap<usize, Vec<f32>>,
    dim: Option<usize>,
    rows: impl ExactSizeIterator<Item = usize>,
) -> Result<TemplateSet, CoreError> {
    let mut set = TemplateSet::with_capacity(dim.unwrap_or(1), rows.len()).map_err(matching)?;
    for i in rows {
        match valid.get(&i) {
            Some(t) if Some(t.len()) == dim => {
                // A wrong row is recorded as failed by `push`; the answer was checked already.
                let _ = set.push(t);
            }
            _ => {
                set.push_failed();
            }
        }
    }
    Ok(set)
}

fn matching(e: impl std::fmt::Display) -> CoreError {
    CoreError::Other(format!("template matching: {e}"))
}

/// Verify: `images` samples (one template each) and `pairs` of sample indices with their
/// truth; each pair scores the cosine of its templates, a failed template is a technical
/// failure of the pair.
pub fn verification(
    device: &Device,
    answers: &[(usize, Option<Value>)],
    images: usize,
    pairs: &[(usize, usize, bool)],
    fixed_dim: Option<usize>,
) -> Result<Scores, CoreError> {
    let (valid, dim) = valid_templates(answers, fixed_dim);
    let set = set_of(&valid, dim, 0..images)?;
    let index: Vec<(usize, usize)> = pairs.iter().map(|&(a, b, _)| (a, b)).collect();
    let scores = device.pair_scores(&set, &set, &index).map_err(matching)?;
    let scored: Vec<(bool, Option<f64>)> = pairs
        .iter()
        .zip(scores)
        .map(|(&(_, _, mated), s)| (mated, s.map(f64::from)))
        .collect();
    scoring::verification(&scored)
}

/// Identify: samples `0..gallery.len()` are the gallery images (their identities in order),
/// the answered samples after them the probes (`probes[i - gallery.len()]` their mate). The
/// top `k` of each probe become its candidate list, scored as the decision suite scores lists;
/// gallery images without a valid template give the failure-to-enrol rate.
pub fn identification(
    device: &Device,
    answers: &[(usize, Option<Value>)],
    gallery: &[String],
    probes: &[Option<String>],
    k: usize,
    fixed_dim: Option<usize>,
) -> Result<Scores, CoreError> {
    let g = gallery.len();
    let (valid, dim) = valid_templates(answers, fixed_dim);
    let enrolled = set_of(&valid, dim, 0..g)?;
    let mut asked: Vec<usize> = answers
        .iter()
        .map(|(i, _)| *i)
        .filter(|&i| i >= g)
        .collect();
    asked.sort_unstable();
    asked.dedup();
    let probe_set = set_of(&valid, dim, asked.iter().copied())?;
    let top = device.top_k(&enrolled, &probe_set, k).map_err(matching)?;
    let mut scored = Vec::with_capacity(asked.len());
    for (row, &i) in asked.iter().enumerate() {
        let mate = probes.get(i - g).ok_or_else(|| {
            CoreError::Other(format!(
                "scoring: sample {i} out of range ({} samples)",
                g + probes.len()
            ))
        })?;
        let list = (!probe_set.is_failed(row)).then(|| {
            top.probe(row)
                .iter()
                .map(|c| Candidate {
                    identity: gallery[c.index].clone(),
                    score: f64::from(c.score),
                })
                .collect()
        });
        scored.push((mate.as_deref(), list));
    }
    let mut s = scoring::identification(&scored, k)?;
    let failed = enrolled.failed_count() as u64;
    s.metrics.insert(
        FTE_RATE.into(),
        scoring::proportion(FTE_RATE, failed, g as u64, "no gallery images")?.with_reason(format!(
            "{failed} of {g} gallery images without a valid template (failure to enrol)"
        )),
    );
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiebang_scorecard::Metric;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;
    use serde_json::json;

    fn value(s: &Scores, id: &str) -> Option<f64> {
        s.metrics.get(id).and_then(|m: &Metric| m.value)
    }

    #[test]
    fn bad_templates_are_refused_naming_the_field() {
        assert_eq!(read(&json!({"template": [1, 0]}), None), Ok(vec![1.0, 0.0]));
        let e = read(&json!({"template": [1, 0]}), Some(3)).unwrap_err();
        assert_eq!(
            e,
            "field `template`: template has 2 values, expected 3 (the run's template dimension)"
        );
        assert!(
            read(&json!({"template": [0, 0]}), None)
                .unwrap_err()
                .contains("zero norm")
        );
        assert!(
            read(&json!({"template": []}), None)
                .unwrap_err()
                .contains("expected 1 to")
        );
        assert!(
            read(&json!({"template": [1e39]}), None)
                .unwrap_err()
                .contains("finite")
        );
        assert!(read(&json!({"score": 1}), None).is_err());
    }

    fn cos(a: &[f32], b: &[f32]) -> f64 {
        let d = |x: &[f32], y: &[f32]| -> f64 {
            x.iter()
                .zip(y)
                .map(|(&u, &v)| f64::from(u) * f64::from(v))
                .sum()
        };
        d(a, b) / (d(a, a).sqrt() * d(b, b).sqrt())
    }

    /// Golden check: rank-1/5/10, FNIR@FPIR and the FTE rate of template matching equal a
    /// naive computation (every cosine in f64, ranks by counting, thresholds by scanning).
    #[test]
    fn template_identification_equals_a_naive_computation() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let (g, dim, k) = (30usize, 8usize, 10usize);
        let gallery: Vec<String> = (0..g).map(|i| format!("id{i:02}")).collect();
        let templates: Vec<Vec<f32>> = (0..g)
            .map(|_| (0..dim).map(|_| rng.random_range(-1.0f32..1.0)).collect())
            .collect();
        let mut answers: Vec<(usize, Option<Value>)> = Vec::new();
        for (i, t) in templates.iter().enumerate() {
            // Gallery rows 3 and 4 fail to enrol (no answer, wrong dimension).
            let a = match i {
                3 => None,
                4 => Some(json!({"template": [1.0, 2.0]})),
                _ => Some(json!({ "template": t })),
            };
            answers.push((i, a));
        }
        let mut probes: Vec<Option<String>> = Vec::new();
        let mut probe_t: Vec<Option<Vec<f32>>> = Vec::new();
        for p in 0..460 {
            let mated = p < 60;
            let mate = rng.random_range(0..g);
            let t: Vec<f32> = (0..dim)
                .map(|j| {
                    let noise = rng.random_range(-0.8f32..0.8);
                    if mated {
                        templates[mate][j] + noise
                    } else {
                        noise * 1.2
                    }
                })
                .collect();
            let failed = p % 97 == 5;
            answers.push((g + p, (!failed).then(|| json!({ "template": t }))));
            probe_t.push((!failed).then_some(t));
            probes.push(mated.then(|| gallery[mate].clone()));
        }
        let s = identification(&Device::cpu(), &answers, &gallery, &probes, k, None).unwrap();

        // Naive reference.
        let enrolled = |j: usize| j != 3 && j != 4;
        let (mut hits, mut mated_n) = ([0u64; 3], 0u64);
        let mut mated_scores: Vec<Option<f64>> = Vec::new();
        let mut nonmated_top: Vec<f64> = Vec::new();
        for (p, t) in probe_t.iter().enumerate() {
            let sims: Vec<Option<f64>> = (0..g)
                .map(|j| {
                    t.as_ref()
                        .filter(|_| enrolled(j))
                        .map(|t| cos(t, &templates[j]))
                })
                .collect();
            match &probes[p] {
                Some(id) => {
                    mated_n += 1;
                    let mate: usize = id[2..].parse().unwrap();
                    let rank = sims[mate].map(|m| {
                        1 + sims
                            .iter()
                            .enumerate()
                            .filter(|&(j, s)| j != mate && s.is_some_and(|s| s >= m))
                            .count()
                    });
                    for (h, r) in hits.iter_mut().zip([1, 5, 10]) {
                        *h += u64::from(rank.is_some_and(|x| x <= r));
                    }
                    mated_scores.push(rank.filter(|&r| r <= k).and(sims[mate]));
                }
                None => nonmated_top.push(match t {
                    Some(_) => sims.iter().flatten().copied().fold(f64::MIN, f64::max),
                    None => f64::INFINITY,
                }),
            }
        }
        for (id, h) in ["identify.rank1", "identify.rank5", "identify.rank10"]
            .iter()
            .zip(hits)
        {
            let got = value(&s, id).unwrap();
            assert!(
                (got - h as f64 / mated_n as f64).abs() < 1e-12,
                "{id}: {got}"
            );
        }
        let naive_fnir = |target: f64| {
            let n = nonmated_top.len() as f64;
            let mut ts: Vec<f64> = mated_scores.iter().flatten().copied().collect();
            ts.extend(&nonmated_top);
            ts.push(f64::INFINITY);
            let t = ts
                .into_iter()
                .filter(|&t| nonmated_top.iter().filter(|&&x| x >= t).count() as f64 / n <= target)
                .fold(f64::INFINITY, f64::min);
            let miss = mated_scores
                .iter()
                .filter(|m| m.is_none_or(|s| s < t))
                .count();
            miss as f64 / mated_n as f64
        };
        for (id, target) in [
            ("identify.fnir_at_fpir_0.01", 0.01),
            ("identify.fnir_at_fpir_0.003", 0.003),
        ] {
            let got = value(&s, id).unwrap();
            // f32 cosines on the device against f64 here: equal unless two scores straddle.
            assert!((got - naive_fnir(target)).abs() < 1e-12, "{id}: {got}");
        }
        assert_eq!(value(&s, FTE_RATE), Some(2.0 / 30.0));
        // Non-trivial: the case has hits and misses at every rank.
        assert!(hits[0] > 0 && hits[2] < mated_n, "{hits:?} of {mated_n}");
    }

    #[test]
    fn template_verification_scores_pairs_and_fails_missing_templates() {
        let answers = vec![
            (0, Some(json!({"template": [1.0, 0.0]}))),
            (1, Some(json!({"template": [0.9, 0.1]}))),
            (2, Some(json!({"template": [0.0, 1.0]}))),
            (3, None),
        ];
        let pairs = [(0, 1, true), (0, 2, false), (1, 2, false), (2, 3, true)];
        let s = verification(&Device::cpu(), &answers, 4, &pairs, None).unwrap();
        // Pair (2, 3) fails: a genuine pair scored below every other score, so EER = 1/2 of
        // the genuine pairs at the threshold that accepts no impostor.
        let direct = scoring::verification(&[
            (true, Some(cos(&[1.0, 0.0], &[0.9, 0.1]))),
            (false, Some(0.0)),
            (false, Some(cos(&[0.9, 0.1], &[0.0, 1.0]))),
            (true, None),
        ])
        .unwrap();
        assert_eq!(
            value(&s, "verify.eer").map(|v| (v * 1e9).round()),
            value(&direct, "verify.eer").map(|v| (v * 1e9).round())
        );
        assert!(value(&s, "verify.eer").unwrap() > 0.0);
    }
}

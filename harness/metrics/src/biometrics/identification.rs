//! Identification (1:N) metrics: closed-set rank-k identification rates and the CMC curve,
//! and open-set FNIR at a fixed FPIR (NIST FRVT 1:N / ISO/IEC 19795-1 definitions).

use crate::error::{MetricError, Result, check_finite};

/// Rank of the mate among a probe's scores against the gallery: `1 + #{non-mate entries
/// scoring >= the mate}`. Ties count against the mate (pessimistic), so a tie never helps.
pub fn mate_rank(scores: &[f64], mate: usize) -> Result<usize> {
    check_finite("gallery scores", scores)?;
    let Some(&m) = scores.get(mate) else {
        return Err(MetricError::InvalidInput {
            what: "mate index",
            detail: format!("{mate} is outside a gallery of {}", scores.len()),
        });
    };
    Ok(1 + scores
        .iter()
        .enumerate()
        .filter(|&(j, &s)| j != mate && s >= m)
        .count())
}

/// Mate ranks of every probe from a row-major `probes × gallery` score matrix.
pub fn identification_ranks(scores: &[f64], gallery: usize, mates: &[usize]) -> Result<Vec<usize>> {
    if gallery == 0 || scores.len() != gallery * mates.len() {
        return Err(MetricError::LengthMismatch {
            what: "score matrix and probes × gallery",
            left: scores.len(),
            right: gallery * mates.len(),
        });
    }
    scores
        .chunks(gallery)
        .zip(mates)
        .map(|(row, &mate)| mate_rank(row, mate))
        .collect()
}

/// Fraction of probes whose mate rank is at most `k` (rank-k identification rate).
pub fn rank_k_rate(ranks: &[usize], k: usize) -> Result<f64> {
    if ranks.is_empty() {
        return Err(MetricError::Empty { what: "mate ranks" });
    }
    Ok(ranks.iter().filter(|&&r| r <= k).count() as f64 / ranks.len() as f64)
}

/// Cumulative match characteristic: the rank-k identification rate for `k = 1..=max_rank`.
pub fn cmc(ranks: &[usize], max_rank: usize) -> Result<Vec<f64>> {
    if ranks.is_empty() {
        return Err(MetricError::Empty { what: "mate ranks" });
    }
    let mut at_rank = vec![0u64; max_rank + 1];
    for &r in ranks {
        if r <= max_rank {
            at_rank[r] += 1;
        }
    }
    let mut cumulative = 0u64;
    Ok((1..=max_rank)
        .map(|k| {
            cumulative += at_rank[k];
            cumulative as f64 / ranks.len() as f64
        })
        .collect())
}

/// The mate's score if the mate is on the candidate list of length `rank_limit` (its rank,
/// as in [`mate_rank`], is at most `rank_limit`), otherwise `None`.
pub fn mate_score_within_rank(
    scores: &[f64],
    mate: usize,
    rank_limit: usize,
) -> Result<Option<f64>> {
    let rank = mate_rank(scores, mate)?;
    Ok((rank <= rank_limit).then(|| scores[mate]))
}

/// An open-set identification operating point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OpenSetPoint {
    /// Threshold: a candidate is returned when `score >= threshold`.
    pub threshold: f64,
    /// False positive identification rate: non-mated searches whose top candidate scores
    /// `>= threshold`, over non-mated searches.
    pub fpir: f64,
    /// False negative identification rate: mated searches whose mate is not on the candidate
    /// list or scores `< threshold`, over mated searches.
    pub fnir: f64,
}

fn check_open_set(mated: &[Option<f64>], nonmated_top: &[f64]) -> Result<()> {
    if mated.is_empty() {
        return Err(MetricError::Undefined {
            metric: "FNIR",
            reason: "no mated searches",
        });
    }
    if nonmated_top.is_empty() {
        return Err(MetricError::Undefined {
            metric: "FPIR",
            reason: "no non-mated searches",
        });
    }
    check_finite("non-mated top scores", nonmated_top)?;
    match mated.iter().flatten().find(|s| !s.is_finite()) {
        Some(s) => Err(MetricError::InvalidInput {
            what: "mated scores",
            detail: format!("{s} is not finite"),
        }),
        None => Ok(()),
    }
}

/// FPIR and FNIR at `threshold`. `mated[i]` is the mate's score when the mate is on search
/// `i`'s candidate list (see [`mate_score_within_rank`]), `None` otherwise;
/// `nonmated_top[j]` is the highest candidate score of non-mated search `j`.
pub fn open_set_rates(
    mated: &[Option<f64>],
    nonmated_top: &[f64],
    threshold: f64,
) -> Result<OpenSetPoint> {
    check_open_set(mated, nonmated_top)?;
    let fp = nonmated_top.iter().filter(|&&s| s >= threshold).count();
    let misses = mated
        .iter()
        .filter(|m| m.is_none_or(|s| s < threshold))
        .count();
    Ok(OpenSetPoint {
        threshold,
        fpir: fp as f64 / nonmated_top.len() as f64,
        fnir: misses as f64 / mated.len() as f64,
    })
}

/// FNIR at the lowest threshold whose FPIR does not exceed `target_fpir` (FNIR@FPIR).
/// Candidate thresholds are the observed scores (mated and non-mated) and `+inf`; no
/// interpolation.
pub fn fnir_at_fpir(
    mated: &[Option<f64>],
    nonmated_top: &[f64],
    target_fpir: f64,
) -> Result<OpenSetPoint> {
    check_open_set(mated, nonmated_top)?;
    if !(0.0..=1.0).contains(&target_fpir) {
        return Err(MetricError::InvalidInput {
            what: "target FPIR",
            detail: format!("{target_fpir} is outside [0, 1]"),
        });
    }
    let mut nonmated = nonmated_top.to_vec();
    nonmated.sort_by(|a, b| b.total_cmp(a));
    let n = nonmated.len();
    // k: the most non-mated searches that may reach the threshold (largest k, k/n <= target).
    let mut k = ((target_fpir * n as f64).floor() as usize + 1).min(n);
    while k > 0 && k as f64 / n as f64 > target_fpir {
        k -= 1;
    }
    // The threshold must exceed the (k+1)-th highest non-mated score (and its ties).
    let blocked = (k < n).then(|| nonmated[k]);
    let mut candidates: Vec<f64> = mated
        .iter()
        .flatten()
        .copied()
        .chain(nonmated.iter().copied())
        .collect();
    candidates.push(f64::INFINITY);
    let threshold = candidates
        .into_iter()
        .filter(|&t| blocked.is_none_or(|b| t > b))
        .fold(f64::INFINITY, f64::min);
    open_set_rates(mated, nonmated_top, threshold)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_count_ties_against_the_mate() {
        assert_eq!(mate_rank(&[0.9, 0.5, 0.7], 0).unwrap(), 1);
        assert_eq!(mate_rank(&[0.9, 0.5, 0.7], 1).unwrap(), 3);
        assert_eq!(mate_rank(&[0.7, 0.5, 0.7], 0).unwrap(), 2);
        assert!(mate_rank(&[0.1], 3).is_err());
        assert_eq!(cmc(&[1, 2, 2, 5], 3).unwrap(), vec![0.25, 0.75, 0.75]);
    }

    #[test]
    fn fnir_at_fpir_picks_the_lowest_allowed_threshold() {
        let mated = [Some(0.9), Some(0.6), None, Some(0.3)];
        let nonmated = [0.8, 0.5, 0.4, 0.2];
        // FPIR <= 0.25 allows one non-mated score (0.8) above threshold: threshold just above 0.5
        let p = fnir_at_fpir(&mated, &nonmated, 0.25).unwrap();
        assert_eq!((p.threshold, p.fpir, p.fnir), (0.6, 0.25, 0.5));
        let p = fnir_at_fpir(&mated, &nonmated, 0.0).unwrap();
        assert_eq!((p.threshold, p.fpir, p.fnir), (0.9, 0.0, 0.75));
    }
}

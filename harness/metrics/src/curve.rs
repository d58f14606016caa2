//! Thinning an operating curve (ROC, DET, FROC, CMC) to a bounded number of points for
//! publication, keeping the first and last points and those that shape the drawn line most.
//!
//! The rule (a Douglas–Peucker refinement taken greedily, largest deviation first):
//! 1. A curve with at most `max_points` points is returned unchanged.
//! 2. Points are placed in drawing space: a log axis takes `log10(max(v, floor))`, `floor`
//!    being the smallest positive value on that axis (an axis without one is drawn linear);
//!    then each axis is scaled to [0, 1] over the curve's range (a constant axis becomes 0).
//! 3. The first and last points are kept. Repeatedly, among the stretches between two kept
//!    neighbours, the inner point farthest (Euclidean, in drawing space) from the straight
//!    segment joining them is kept — the largest distance first, the lowest index on a tie —
//!    until `max_points` are kept or every remaining point lies within 1e-9 of its segment
//!    (rounding noise, invisible at any drawing size).
//! 4. The kept points are returned in their original (sweep) order, values untouched.

use crate::error::{MetricError, Result};
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Squared drawing-space distance at or below which a point counts as on its segment.
const ON_SEGMENT_SQ: f64 = 1e-18;

/// How an axis is drawn, which decides how far a point lies from the drawn line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AxisScale {
    /// Values drawn as they are.
    Linear,
    /// Values drawn by their decimal logarithm (zeros at the smallest positive value).
    Log,
}

/// One axis of the points in drawing space (rule 2 of the module documentation).
fn drawing_axis(values: impl Iterator<Item = f64> + Clone, scale: AxisScale) -> Vec<f64> {
    let floor = values
        .clone()
        .filter(|v| *v > 0.0)
        .min_by(f64::total_cmp)
        .filter(|_| scale == AxisScale::Log);
    let drawn: Vec<f64> = match floor {
        Some(floor) => values.map(|v| v.max(floor).log10()).collect(),
        None => values.collect(),
    };
    let lo = drawn.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = drawn.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let range = hi - lo;
    drawn
        .into_iter()
        .map(|t| if range > 0.0 { (t - lo) / range } else { 0.0 })
        .collect()
}

/// Squared distance from `p` to the segment `a`–`b`.
fn segment_distance_sq(p: [f64; 2], a: [f64; 2], b: [f64; 2]) -> f64 {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let len_sq = dx * dx + dy * dy;
    let (qx, qy) = if len_sq > 0.0 {
        let s = (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len_sq).clamp(0.0, 1.0);
        (a[0] + s * dx, a[1] + s * dy)
    } else {
        (a[0], a[1])
    };
    (p[0] - qx) * (p[0] - qx) + (p[1] - qy) * (p[1] - qy)
}

/// A stretch between two kept points `i < j` and its farthest inner point `k`.
#[derive(Debug, Clone, Copy)]
struct Stretch {
    distance_sq: f64,
    k: usize,
    i: usize,
    j: usize,
}

impl PartialEq for Stretch {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Stretch {}
impl PartialOrd for Stretch {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Stretch {
    /// Larger distance first; on a tie the lower index first.
    fn cmp(&self, other: &Self) -> Ordering {
        self.distance_sq
            .total_cmp(&other.distance_sq)
            .then_with(|| other.k.cmp(&self.k))
    }
}

fn farthest(drawn: &[[f64; 2]], i: usize, j: usize) -> Option<Stretch> {
    let mut best: Option<Stretch> = None;
    for k in i + 1..j {
        let d = segment_distance_sq(drawn[k], drawn[i], drawn[j]);
        if best.is_none_or(|b| d > b.distance_sq) {
            best = Some(Stretch {
                distance_sq: d,
                k,
                i,
                j,
            });
        }
    }
    best
}

/// The indices of the points [`thin`] keeps, ascending.
///
/// Errors: `max_points` below 2, or a non-finite coordinate.
pub fn thin_indices(
    points: &[[f64; 2]],
    max_points: usize,
    scales: [AxisScale; 2],
) -> Result<Vec<usize>> {
    if max_points < 2 {
        return Err(MetricError::InvalidInput {
            what: "curve point limit",
            detail: format!("{max_points} is below 2 (the first and last points are kept)"),
        });
    }
    if let Some((i, p)) = points
        .iter()
        .enumerate()
        .find(|(_, p)| !(p[0].is_finite() && p[1].is_finite()))
    {
        return Err(MetricError::InvalidInput {
            what: "curve point",
            detail: format!("point {i} is ({}, {}); expected finite numbers", p[0], p[1]),
        });
    }
    let n = points.len();
    if n <= max_points {
        return Ok((0..n).collect());
    }
    let xs = drawing_axis(points.iter().map(|p| p[0]), scales[0]);
    let ys = drawing_axis(points.iter().map(|p| p[1]), scales[1]);
    let drawn: Vec<[f64; 2]> = xs.into_iter().zip(ys).map(|(x, y)| [x, y]).collect();
    let mut kept = vec![0, n - 1];
    let mut heap: BinaryHeap<Stretch> = farthest(&drawn, 0, n - 1).into_iter().collect();
    while kept.len() < max_points {
        let Some(s) = heap.pop() else { break };
        if s.distance_sq <= ON_SEGMENT_SQ {
            break;
        }
        kept.push(s.k);
        heap.extend(farthest(&drawn, s.i, s.k));
        heap.extend(farthest(&drawn, s.k, s.j));
    }
    kept.sort_unstable();
    Ok(kept)
}

/// At most `max_points` of `points`, chosen as the module documentation describes, in their
/// original order and with their values untouched.
///
/// Errors: `max_points` below 2, or a non-finite coordinate.
pub fn thin(
    points: &[[f64; 2]],
    max_points: usize,
    scales: [AxisScale; 2],
) -> Result<Vec<[f64; 2]>> {
    Ok(thin_indices(points, max_points, scales)?
        .into_iter()
        .map(|i| points[i])
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use AxisScale::{Linear, Log};

    #[test]
    fn short_curves_are_untouched_and_limits_are_checked() {
        let p = [[0.0, 0.0], [0.5, 0.5], [1.0, 1.0]];
        assert_eq!(thin(&p, 3, [Linear, Linear]).unwrap(), p.to_vec());
        assert!(thin(&p, 1, [Linear, Linear]).is_err());
        assert!(thin(&[[f64::NAN, 0.0]], 2, [Linear, Linear]).is_err());
        assert!(thin(&[], 2, [Linear, Linear]).unwrap().is_empty());
    }

    #[test]
    fn collinear_points_are_dropped_and_corners_kept() {
        // An L: (0,0) .. (0,1) .. (1,1) with many points on each leg; the corner is kept and
        // nothing else is needed.
        let mut p: Vec<[f64; 2]> = (0..=10).map(|i| [0.0, i as f64 / 10.0]).collect();
        p.extend((1..=10).map(|i| [i as f64 / 10.0, 1.0]));
        let t = thin(&p, 5, [Linear, Linear]).unwrap();
        assert_eq!(t, vec![[0.0, 0.0], [0.0, 1.0], [1.0, 1.0]]);
    }

    #[test]
    fn keeps_at_most_the_limit_in_sweep_order_with_both_ends() {
        let p: Vec<[f64; 2]> = (0..1000)
            .map(|i| {
                let x = i as f64 / 999.0;
                [x, x.sqrt()]
            })
            .collect();
        let idx = thin_indices(&p, 50, [Linear, Linear]).unwrap();
        assert_eq!(idx.len(), 50);
        assert_eq!((idx[0], idx[49]), (0, 999));
        assert!(idx.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn log_axes_measure_the_shape_as_drawn() {
        // Flat at y = 1 up to x = 1e-3, then y = 1e-3 / x up to x = 1: on log axes a corner at
        // point 100, the one inner point worth keeping.
        let p: Vec<[f64; 2]> = (0..=400)
            .map(|i| {
                let x = 10f64.powf(-4.0 + i as f64 / 100.0);
                [x, if i <= 100 { 1.0 } else { 1e-3 / x }]
            })
            .collect();
        assert_eq!(thin_indices(&p, 3, [Log, Log]).unwrap(), vec![0, 100, 400]);
        assert_ne!(thin_indices(&p, 3, [Linear, Linear]).unwrap()[1], 100);
        // Zeros on a log axis are drawn at the smallest positive value, not rejected.
        let z = [[0.0, 1.0], [1e-3, 0.5], [1e-2, 0.2], [1e-1, 0.0]];
        assert_eq!(thin(&z, 3, [Log, Log]).unwrap().len(), 3);
    }
}

//! One row of the Levenshtein matrix computed bit-parallel (Myers 1999, Hyyrö 2003): 64 cells
//! of a row per word operation, in memory linear in the length of the first sequence.

/// With fewer token ids than this, a dense match table (one bit vector per id) is built; with
/// more, the match vector of each row is set from the positions of its token instead (each
/// token then occurs rarely enough for that to cost less than the row itself).
const DENSE_VOCABULARY: usize = 128;

/// Where each token id occurs in the first sequence, as match bit vectors.
enum MatchVectors {
    /// `table[id * words + w]`: bit `k` set when `s1[64 w + k] == id`.
    Dense { table: Vec<u64> },
    /// Positions of each id (`positions[starts[id]..starts[id + 1]]`) and one scratch vector.
    Sparse {
        starts: Vec<usize>,
        positions: Vec<u32>,
        scratch: Vec<u64>,
    },
}

impl MatchVectors {
    fn new(s1: &[u32], vocabulary: usize, words: usize) -> Self {
        if vocabulary < DENSE_VOCABULARY {
            let mut table = vec![0u64; vocabulary * words];
            for (a, &id) in s1.iter().enumerate() {
                table[id as usize * words + a / 64] |= 1 << (a % 64);
            }
            return MatchVectors::Dense { table };
        }
        let mut starts = vec![0usize; vocabulary + 1];
        for &id in s1 {
            starts[id as usize + 1] += 1;
        }
        for i in 0..vocabulary {
            starts[i + 1] += starts[i];
        }
        let mut fill = starts.clone();
        let mut positions = vec![0u32; s1.len()];
        for (a, &id) in s1.iter().enumerate() {
            positions[fill[id as usize]] = a as u32;
            fill[id as usize] += 1;
        }
        MatchVectors::Sparse {
            starts,
            positions,
            scratch: vec![0u64; words],
        }
    }
}

/// A value standing for "farther than the band": above any distance the band can hold.
pub(super) const FAR: u32 = u32::MAX / 4;

/// `out[a]` for `a = 0..=s1.len()`: the last row `D(s1[..a], s2)` of the Levenshtein matrix
/// (uniform costs), computed only near the diagonal: every value is at least the true one, and
/// equals it wherever the true value is at most `max` (such cells are reached by paths that
/// stay within `max` of the diagonal). Token ids must be below `vocabulary`.
///
/// Words of the row wholly above the band are dropped for good, the score at the top of the
/// first kept word then taken to rise by 1 a row (an upper bound, as a row can rise by at most
/// 1); words below the band start from "rises by 1 a cell" (an upper bound too).
pub(super) fn last_row(s1: &[u32], s2: &[u32], max: usize, vocabulary: usize, out: &mut Vec<u32>) {
    out.clear();
    let n1 = s1.len();
    if n1 == 0 {
        out.push(s2.len() as u32);
        return;
    }
    let words = n1.div_ceil(64);
    // Vertical deltas D[a+1][b] - D[a][b] of bit a: +1 in `vp`, -1 in `vn`. Row 0 rises by 1.
    let mut vp = vec![u64::MAX; words];
    let mut vn = vec![0u64; words];
    let mut matches = MatchVectors::new(s1, vocabulary, words);
    // Words first..=last are computed; `top` is D[64 first][b].
    let (mut first, mut top) = (0usize, 0u32);
    for (row, &c) in s2.iter().enumerate() {
        let b = row + 1;
        let last = (n1.min(b.saturating_add(max)) - 1) / 64;
        let (kept_vp, kept_vn) = (&mut vp[first..=last], &mut vn[first..=last]);
        let c = c as usize;
        match &mut matches {
            MatchVectors::Dense { table } => {
                let eq = &table[c * words..(c + 1) * words];
                advance_row(kept_vp, kept_vn, &eq[first..=last]);
            }
            MatchVectors::Sparse {
                starts,
                positions,
                scratch,
            } => {
                let at = &positions[starts[c]..starts[c + 1]];
                for &a in at {
                    scratch[a as usize / 64] |= 1 << (a % 64);
                }
                advance_row(kept_vp, kept_vn, &scratch[first..=last]);
                for &a in at {
                    scratch[a as usize / 64] = 0;
                }
            }
        }
        top += 1;
        // Drop the first word once all its cells lie above the band from the next row on.
        while first < last && 64 * (first + 1) < (b + 1).saturating_sub(max) {
            top = top + vp[first].count_ones() - vn[first].count_ones();
            first += 1;
        }
    }
    out.resize(64 * first + 1, FAR);
    let mut score = top;
    out[64 * first] = score;
    for a in 64 * first..n1 {
        let bit = 1u64 << (a % 64);
        if vp[a / 64] & bit != 0 {
            score += 1;
        } else if vn[a / 64] & bit != 0 {
            score -= 1;
        }
        out.push(score);
    }
}

/// Advance the vertical deltas by one token of the second sequence whose match vector over
/// the first sequence is `eq` (Myers' block step; the top boundary row rises by 1).
fn advance_row(vp: &mut [u64], vn: &mut [u64], eq: &[u64]) {
    let (mut hp_in, mut hn_in) = (1u64, 0u64);
    for ((p, n), &e) in vp.iter_mut().zip(vn.iter_mut()).zip(eq) {
        let (pv, mv) = (*p, *n);
        let xv = e | mv;
        let e = e | hn_in;
        let xh = ((e & pv).wrapping_add(pv) ^ pv) | e;
        let ph = mv | !(xh | pv);
        let mh = pv & xh;
        let (hp_out, hn_out) = (ph >> 63, mh >> 63);
        let ph = (ph << 1) | hp_in;
        let mh = (mh << 1) | hn_in;
        *p = mh | !(xv | ph);
        *n = ph & xv;
        (hp_in, hn_in) = (hp_out, hn_out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain_last_row(s1: &[u32], s2: &[u32]) -> Vec<u32> {
        let mut row: Vec<u32> = (0..=s1.len() as u32).collect();
        for (j, &c) in s2.iter().enumerate() {
            let mut diagonal = row[0];
            row[0] = j as u32 + 1;
            for a in 1..=s1.len() {
                let up = row[a];
                row[a] = (diagonal + u32::from(s1[a - 1] != c))
                    .min(up + 1)
                    .min(row[a - 1] + 1);
                diagonal = up;
            }
        }
        row
    }

    #[test]
    fn matches_the_plain_recurrence_dense_and_sparse() {
        let mut x = 12345u64;
        let mut next = |k: u64| {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
            ((x >> 33) % k) as u32
        };
        for &(n1, n2, vocab) in &[
            (1, 5, 2),
            (63, 70, 3),
            (64, 64, 2),
            (65, 30, 4),
            (200, 190, 5),
        ] {
            let s1: Vec<u32> = (0..n1).map(|_| next(vocab)).collect();
            let s2: Vec<u32> = (0..n2).map(|_| next(vocab)).collect();
            let mut out = Vec::new();
            last_row(&s1, &s2, usize::MAX, vocab as usize, &mut out);
            assert_eq!(out, plain_last_row(&s1, &s2), "{n1}x{n2}");
            // Force the sparse match vectors with a vocabulary too large for the dense table.
            last_row(&s1, &s2, usize::MAX, DENSE_VOCABULARY, &mut out);
            assert_eq!(out, plain_last_row(&s1, &s2), "{n1}x{n2} sparse");
        }
    }

    #[test]
    fn the_band_bounds_every_value_and_keeps_those_within_it_exact() {
        let mut x = 777u64;
        let mut next = |k: u64| {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
            ((x >> 33) % k) as u32
        };
        for case in 0..300 {
            let vocab = 2 + next(4);
            let n1 = 1 + next(400) as usize;
            let s1: Vec<u32> = (0..n1).map(|_| next(vocab.into())).collect();
            let mut s2 = Vec::new();
            for &t in &s1 {
                match next(20) {
                    0 => s2.push(next(vocab.into())),
                    1 => {}
                    2 => s2.extend([next(vocab.into()), t]),
                    _ => s2.push(t),
                }
            }
            let exact = plain_last_row(&s1, &s2);
            let distance = exact[n1] as usize;
            for max in [distance, distance + next(70) as usize] {
                let mut out = Vec::new();
                last_row(&s1, &s2, max, vocab as usize, &mut out);
                for (a, (&got, &want)) in out.iter().zip(&exact).enumerate() {
                    assert!(got >= want, "case {case} a {a}: {got} < {want}");
                    if want as usize <= max {
                        assert_eq!(got, want, "case {case} a {a} max {max}");
                    }
                }
            }
        }
    }
}

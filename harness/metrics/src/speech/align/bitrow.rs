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

/// `out[a] = D(s1[..a], s2)` for `a = 0..=s1.len()`: the last row of the Levenshtein matrix
/// (uniform costs), exact. Token ids must be below `vocabulary`.
pub(super) fn last_row(s1: &[u32], s2: &[u32], vocabulary: usize, out: &mut Vec<u32>) {
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
    for &c in s2 {
        let c = c as usize;
        match &mut matches {
            MatchVectors::Dense { table } => {
                advance_row(&mut vp, &mut vn, &table[c * words..(c + 1) * words]);
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
                advance_row(&mut vp, &mut vn, scratch);
                for &a in at {
                    scratch[a as usize / 64] = 0;
                }
            }
        }
    }
    let mut score = s2.len() as u32;
    out.push(score);
    for a in 0..n1 {
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
            last_row(&s1, &s2, vocab as usize, &mut out);
            assert_eq!(out, plain_last_row(&s1, &s2), "{n1}x{n2}");
            // Force the sparse match vectors with a vocabulary too large for the dense table.
            last_row(&s1, &s2, DENSE_VOCABULARY, &mut out);
            assert_eq!(out, plain_last_row(&s1, &s2), "{n1}x{n2} sparse");
        }
    }
}

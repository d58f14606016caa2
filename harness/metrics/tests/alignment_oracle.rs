//! Property test: on pairs small enough for rapidfuzz's whole-matrix alignment, the counts
//! equal those of the previous implementation (a full matrix and the same traceback rule),
//! kept here as the oracle.

use jiebang_metrics::speech::{EditCounts, align};
use proptest::prelude::*;

/// The full-matrix alignment jiebang used before the linear-memory one.
fn oracle(reference: &[u8], hypothesis: &[u8]) -> EditCounts {
    let prefix = reference
        .iter()
        .zip(hypothesis)
        .take_while(|(a, b)| a == b)
        .count();
    let (r, h) = (&reference[prefix..], &hypothesis[prefix..]);
    let suffix = r
        .iter()
        .rev()
        .zip(h.iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let (r, h) = (&r[..r.len() - suffix], &h[..h.len() - suffix]);
    let (n, m) = (r.len(), h.len());
    let width = m + 1;
    let mut d = vec![0u32; (n + 1) * width];
    for (j, cell) in d.iter_mut().take(width).enumerate() {
        *cell = j as u32;
    }
    for i in 1..=n {
        let row = i * width;
        d[row] = i as u32;
        for j in 1..=m {
            let diagonal = d[row - width + j - 1] + u32::from(r[i - 1] != h[j - 1]);
            let up = d[row - width + j] + 1;
            let left = d[row + j - 1] + 1;
            d[row + j] = diagonal.min(up).min(left);
        }
    }
    let at = |i: usize, j: usize| d[i * width + j];
    let (mut i, mut j) = (n, m);
    let mut counts = EditCounts::default();
    while i > 0 && j > 0 {
        if at(i, j) == at(i - 1, j) + 1 {
            counts.deletions += 1;
            i -= 1;
        } else if at(i - 1, j - 1) == at(i, j - 1) + 1 {
            counts.insertions += 1;
            j -= 1;
        } else {
            if r[i - 1] != h[j - 1] {
                counts.substitutions += 1;
            }
            i -= 1;
            j -= 1;
        }
    }
    counts.deletions += i as u64;
    counts.insertions += j as u64;
    counts.hits = reference.len() as u64 - counts.substitutions - counts.deletions;
    counts
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn small_pairs_align_as_the_full_matrix_did(
        k in 2u8..6,
        a in prop::collection::vec(any::<u8>(), 0..90),
        b in prop::collection::vec(any::<u8>(), 0..90),
    ) {
        let a: Vec<u8> = a.iter().map(|x| x % k).collect();
        let b: Vec<u8> = b.iter().map(|x| x % k).collect();
        prop_assert_eq!(align(&a, &b), oracle(&a, &b));
    }

    #[test]
    fn edited_pairs_up_to_400_tokens_align_as_the_full_matrix_did(
        a in prop::collection::vec(0u8..4, 65..400),
        edits in prop::collection::vec((0usize..400, 0u8..3, 0u8..4), 0..60),
    ) {
        let mut b = a.clone();
        for (at, op, token) in edits {
            let at = at % (b.len() + 1);
            match op {
                0 if at < b.len() => b[at] = token,
                1 if at < b.len() => { b.remove(at); }
                _ => b.insert(at, token),
            }
        }
        prop_assert_eq!(align(&a, &b), oracle(&a, &b));
    }
}

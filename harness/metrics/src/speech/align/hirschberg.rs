//! Hirschberg's divide and conquer with rapidfuzz's rules (when to split, where to split), so
//! that long pairs are aligned in linear memory with the same operations rapidfuzz chooses.

use super::{EditCounts, bitrow, traceback};

/// rapidfuzz's limit for a stored matrix: `2 * band * len(s2) / 8` bytes under 1 MiB.
const MATRIX_BYTES: usize = 1 << 20;

/// Reusable buffers for the split search.
#[derive(Debug, Default, Clone)]
pub(super) struct Scratch {
    left: Vec<u32>,
    right: Vec<u32>,
    reversed1: Vec<u32>,
    reversed2: Vec<u32>,
    /// The stored band of the pairs aligned without a split.
    pub(super) band: traceback::Buffers,
}

/// Count the edits of rapidfuzz's alignment of `s1` (reference) and `s2` (hypothesis), with
/// `max` an upper bound of their distance (rapidfuzz's `levenshtein_align_hirschberg`).
pub(super) fn count_edits(
    s1: &[u32],
    s2: &[u32],
    max: usize,
    vocabulary: usize,
    scratch: &mut Scratch,
    counts: &mut EditCounts,
) {
    let (s1, s2) = strip_common_affix(s1, s2);
    let max = max.min(s1.len().max(s2.len()));
    if stores_matrix(s1.len(), s2.len(), max) {
        traceback::count_edits(s1, s2, max, &mut scratch.band, counts);
        return;
    }
    let split = find_split(s1, s2, max, vocabulary, scratch);
    count_edits(
        &s1[..split.s1_mid],
        &s2[..split.s2_mid],
        split.left_score,
        vocabulary,
        scratch,
        counts,
    );
    count_edits(
        &s1[split.s1_mid..],
        &s2[split.s2_mid..],
        split.right_score,
        vocabulary,
        scratch,
        counts,
    );
}

/// Whether rapidfuzz aligns a pair of these lengths (common affix removed) from a stored
/// matrix rather than splitting it, `max` bounding the distance (at most the longer length).
pub(super) fn stores_matrix(n1: usize, n2: usize, max: usize) -> bool {
    let full_band = n1.min(max.saturating_mul(2).saturating_add(1));
    let matrix_bytes = full_band.saturating_mul(2).saturating_mul(n2) / 8;
    matrix_bytes < MATRIX_BYTES || n1 < 65 || n2 < 10
}

/// Where an optimal path crosses the middle row of `s2`.
struct Split {
    s1_mid: usize,
    s2_mid: usize,
    left_score: usize,
    right_score: usize,
}

/// rapidfuzz's `find_hirschberg_pos`: `s2` is cut at `len / 2`; `s1` at the first position
/// where the distance of the two halves sums to the minimum. `max >= D(s1, s2)`: the rows are
/// computed within `max` of the diagonal, exact wherever a sum can reach the minimum.
fn find_split(
    s1: &[u32],
    s2: &[u32],
    max: usize,
    vocabulary: usize,
    scratch: &mut Scratch,
) -> Split {
    let s2_mid = s2.len() / 2;
    bitrow::last_row(s1, &s2[..s2_mid], max, vocabulary, &mut scratch.left);
    scratch.reversed1.clear();
    scratch.reversed1.extend(s1.iter().rev());
    scratch.reversed2.clear();
    scratch.reversed2.extend(s2[s2_mid..].iter().rev());
    bitrow::last_row(
        &scratch.reversed1,
        &scratch.reversed2,
        max,
        vocabulary,
        &mut scratch.right,
    );
    let n1 = s1.len();
    let mut best = Split {
        s1_mid: 0,
        s2_mid,
        left_score: usize::MAX,
        right_score: 0,
    };
    let mut best_sum = usize::MAX;
    for (a, &left) in scratch.left.iter().enumerate() {
        let right = scratch.right[n1 - a] as usize;
        let sum = left as usize + right;
        if sum < best_sum {
            best_sum = sum;
            best = Split {
                s1_mid: a,
                s2_mid,
                left_score: left as usize,
                right_score: right,
            };
        }
    }
    if best_sum > max && max < usize::MAX {
        // Not reached when `max` bounds the distance, as the callers' does; kept exact anyway.
        return find_split(s1, s2, usize::MAX, vocabulary, scratch);
    }
    best
}

/// The pair without its common prefix and suffix (matched first, as rapidfuzz does).
pub(super) fn strip_common_affix<'a, T: PartialEq>(s1: &'a [T], s2: &'a [T]) -> (&'a [T], &'a [T]) {
    let prefix = s1.iter().zip(s2).take_while(|(a, b)| a == b).count();
    let (s1, s2) = (&s1[prefix..], &s2[prefix..]);
    let suffix = s1
        .iter()
        .rev()
        .zip(s2.iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    (&s1[..s1.len() - suffix], &s2[..s2.len() - suffix])
}

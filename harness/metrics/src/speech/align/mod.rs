//! Minimum-edit-distance alignment of a reference and a hypothesis token sequence, counting
//! hits, substitutions, deletions and insertions as sclite and jiwer report them.
//!
//! Costs are uniform (1 for each substitution, deletion and insertion). Where several
//! alignments reach the minimum, the counts are those of rapidfuzz's `opcodes` (RapidFuzz
//! 3.14, which jiwer 4 uses), so that S, D and I match jiwer exactly and not only their sum,
//! for pairs of any length:
//! - the common prefix and suffix are matched first;
//! - a pair whose stored matrix would take 1 MiB or more (two bits a cell over a band of
//!   `min(len(ref), 2·max + 1)` cells a row, `max` the bound on the distance) with at least
//!   65 reference and 10 hypothesis tokens is split (Hirschberg): the hypothesis at half its
//!   length, the reference at the first position where the distances of the two halves sum
//!   to the minimum; each half is aligned the same way with its distance as `max`;
//! - a smaller pair is aligned from the end of its matrix `D`: a deletion when
//!   `D[i][j] = D[i-1][j] + 1`, else an insertion when `D[i-1][j-1] = D[i][j-1] + 1`, else the
//!   diagonal (hit or substitution).
//!
//! Memory is linear in the lengths (rows are computed bit-parallel, 64 cells a word operation,
//! after Myers and Hyyrö). sclite itself weights substitutions 4 and insertions/deletions 3,
//! which can split tied alignments differently.

mod bitrow;
mod hirschberg;
mod traceback;

use std::collections::HashMap;
use std::hash::Hash;

/// Counts of an alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EditCounts {
    /// Reference tokens matched by an equal hypothesis token.
    pub hits: u64,
    /// Reference tokens aligned to a different hypothesis token.
    pub substitutions: u64,
    /// Reference tokens with no hypothesis token.
    pub deletions: u64,
    /// Hypothesis tokens with no reference token.
    pub insertions: u64,
}

impl EditCounts {
    /// `S + D + I`.
    pub fn errors(&self) -> u64 {
        self.substitutions + self.deletions + self.insertions
    }

    /// Reference length `H + S + D`.
    pub fn reference_len(&self) -> u64 {
        self.hits + self.substitutions + self.deletions
    }

    /// Hypothesis length `H + S + I`.
    pub fn hypothesis_len(&self) -> u64 {
        self.hits + self.substitutions + self.insertions
    }

    /// Component-wise sum.
    pub fn add(&mut self, other: &EditCounts) {
        self.hits += other.hits;
        self.substitutions += other.substitutions;
        self.deletions += other.deletions;
        self.insertions += other.insertions;
    }
}

/// A reusable aligner: keeps its buffers between calls.
#[derive(Debug, Default, Clone)]
pub struct Aligner {
    reference_ids: Vec<u32>,
    hypothesis_ids: Vec<u32>,
    scratch: hirschberg::Scratch,
}

impl Aligner {
    /// A new aligner with empty buffers.
    pub fn new() -> Self {
        Self::default()
    }

    /// Align `reference` with `hypothesis` and count the edit operations.
    pub fn align<T: Eq + Hash>(&mut self, reference: &[T], hypothesis: &[T]) -> EditCounts {
        let mut counts = EditCounts::default();
        let (r, h) = hirschberg::strip_common_affix(reference, hypothesis);
        // rapidfuzz starts from the longer length as the bound on the distance.
        let max = r.len().max(h.len());
        if hirschberg::stores_matrix(r.len(), h.len(), max) {
            traceback::count_edits(r, h, max, &mut self.scratch.band, &mut counts);
            counts.hits = reference.len() as u64 - counts.substitutions - counts.deletions;
            return counts;
        }
        let vocabulary = self.intern(r, h);
        hirschberg::count_edits(
            &self.reference_ids,
            &self.hypothesis_ids,
            max,
            vocabulary,
            &mut self.scratch,
            &mut counts,
        );
        counts.hits = reference.len() as u64 - counts.substitutions - counts.deletions;
        counts
    }

    /// Number the distinct tokens of both sequences from 0; returns how many there are.
    fn intern<T: Eq + Hash>(&mut self, reference: &[T], hypothesis: &[T]) -> usize {
        let mut ids: HashMap<&T, u32> = HashMap::new();
        let mut number = |token| {
            let next = ids.len() as u32;
            *ids.entry(token).or_insert(next)
        };
        self.reference_ids.clear();
        self.reference_ids.extend(reference.iter().map(&mut number));
        self.hypothesis_ids.clear();
        self.hypothesis_ids
            .extend(hypothesis.iter().map(&mut number));
        ids.len()
    }
}

/// Align `reference` with `hypothesis` (see the module documentation for the tie rule).
pub fn align<T: Eq + Hash>(reference: &[T], hypothesis: &[T]) -> EditCounts {
    Aligner::new().align(reference, hypothesis)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(h: u64, s: u64, d: u64, i: u64) -> EditCounts {
        EditCounts {
            hits: h,
            substitutions: s,
            deletions: d,
            insertions: i,
        }
    }

    #[test]
    fn basic_alignments() {
        assert_eq!(align(&["a", "b", "c"], &["a", "b", "c"]), c(3, 0, 0, 0));
        assert_eq!(align(&["a", "b", "c"], &["a", "x", "c"]), c(2, 1, 0, 0));
        assert_eq!(align(&["a", "b", "c"], &["a", "c"]), c(2, 0, 1, 0));
        assert_eq!(align(&["a", "c"], &["a", "b", "c"]), c(2, 0, 0, 1));
        assert_eq!(align::<&str>(&[], &["a"]), c(0, 0, 0, 1));
        assert_eq!(align::<&str>(&["a"], &[]), c(0, 0, 1, 0));
    }

    #[test]
    fn counts_are_consistent() {
        let r = ["the", "cat", "sat", "on", "the", "mat"];
        let h = ["a", "cat", "sat", "the", "mat", "today"];
        let k = align(&r, &h);
        assert_eq!(k.reference_len(), 6);
        assert_eq!(k.hypothesis_len(), 6);
        assert_eq!(k.errors(), 3);
    }
}

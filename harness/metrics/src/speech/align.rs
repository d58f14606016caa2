//! Minimum-edit-distance alignment of a reference and a hypothesis token sequence, counting
//! hits, substitutions, deletions and insertions as sclite and jiwer report them.
//!
//! Costs are uniform (1 for each substitution, deletion and insertion). Where several
//! alignments reach the minimum, the counts follow the rule of rapidfuzz's `editops` (which
//! jiwer 4 uses), so that S, D and I match jiwer exactly and not only their sum:
//! the common prefix and suffix are matched first; then, backtracking from the end of the
//! remaining matrix `D`, a deletion is taken when `D[i][j] = D[i-1][j] + 1`, else an
//! insertion when `D[i-1][j-1] = D[i][j-1] + 1`, else the diagonal (hit or substitution).
//! (rapidfuzz switches to Hirschberg's algorithm for pairs with more than about 4·10⁶ matrix
//! cells; there the split may differ, never the total.) sclite itself weights substitutions
//! 4 and insertions/deletions 3, which can split tied alignments differently.

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

/// A reusable aligner: keeps its dynamic-programming buffer between calls.
#[derive(Debug, Default, Clone)]
pub struct Aligner {
    matrix: Vec<u32>,
}

impl Aligner {
    /// A new aligner with an empty buffer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Align `reference` with `hypothesis` and count the edit operations.
    pub fn align<T: PartialEq>(&mut self, reference: &[T], hypothesis: &[T]) -> EditCounts {
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
        self.matrix.clear();
        self.matrix.resize((n + 1) * width, 0);
        let d = &mut self.matrix;
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
}

/// Align `reference` with `hypothesis` (see the module documentation for the tie rule).
pub fn align<T: PartialEq>(reference: &[T], hypothesis: &[T]) -> EditCounts {
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

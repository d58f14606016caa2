//! Top-k selection per probe over a stream of score blocks: a threshold test per score and
//! an occasional partial selection keep it linear in the gallery size for any k.

use std::cmp::Ordering;

/// One gallery row proposed for a probe.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    /// Row of the gallery [`super::TemplateSet`].
    pub index: usize,
    /// Cosine similarity (dot product of the normalised templates).
    pub score: f32,
}

/// The ranking order: higher score first, ties by lower gallery row.
pub(crate) fn rank(a: &Candidate, b: &Candidate) -> Ordering {
    b.score.total_cmp(&a.score).then(a.index.cmp(&b.index))
}

/// The best k gallery rows of every probe, descending by score, ties by lower row.
#[derive(Debug, Clone, PartialEq)]
pub struct TopK {
    /// Per probe row, at most k candidates (fewer when the gallery has fewer usable rows;
    /// none for a failed probe).
    pub per_probe: Vec<Vec<Candidate>>,
}

impl TopK {
    /// The candidates of probe row `i` (empty when it does not exist).
    pub fn probe(&self, i: usize) -> &[Candidate] {
        self.per_probe.get(i).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Number of probe rows.
    pub fn len(&self) -> usize {
        self.per_probe.len()
    }

    /// Whether there are no probe rows.
    pub fn is_empty(&self) -> bool {
        self.per_probe.is_empty()
    }
}

/// The running best-k of one probe.
#[derive(Debug, Clone)]
pub(crate) struct Selector {
    k: usize,
    kept: Vec<Candidate>,
    /// The k-th best so far once `kept` has been cut to k; a score must beat it to enter.
    worst: Option<Candidate>,
}

impl Selector {
    pub(crate) fn new(k: usize) -> Self {
        Selector {
            k,
            kept: Vec::new(),
            worst: None,
        }
    }

    /// Offers the scores of gallery rows `first..first + scores.len()`; rows for which
    /// `skip` says true (failed templates) are never kept.
    pub(crate) fn offer(&mut self, first: usize, scores: &[f32], skip: impl Fn(usize) -> bool) {
        for (j, &score) in scores.iter().enumerate() {
            let c = Candidate {
                index: first + j,
                score,
            };
            if let Some(w) = &self.worst
                && rank(&c, w) != Ordering::Less
            {
                continue;
            }
            if skip(c.index) {
                continue;
            }
            self.kept.push(c);
            if self.kept.len() >= 2 * self.k.max(8) {
                self.cut();
            }
        }
    }

    /// Keeps the best k (unordered) and remembers the k-th as the threshold.
    fn cut(&mut self) {
        if self.kept.len() > self.k {
            self.kept.select_nth_unstable_by(self.k - 1, rank);
            self.kept.truncate(self.k);
        }
        if self.kept.len() == self.k {
            self.worst = self.kept.iter().copied().max_by(rank);
        }
    }

    /// The best k, in ranking order.
    pub(crate) fn finish(mut self) -> Vec<Candidate> {
        self.cut();
        self.kept.sort_unstable_by(rank);
        self.kept
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_best_k_in_order_with_ties_by_lower_row() {
        let mut s = Selector::new(3);
        let scores: Vec<f32> = (0..100).map(|i| ((i * 37) % 11) as f32).collect();
        s.offer(0, &scores[..40], |_| false);
        s.offer(40, &scores[40..], |i| i == 70);
        let got: Vec<(usize, f32)> = s.finish().iter().map(|c| (c.index, c.score)).collect();
        // Score 10 at rows i with 37i ≡ 10 (mod 11), i.e. 4i ≡ 10, i ≡ 8 (mod 11): 8, 19, 30, ...
        assert_eq!(got, vec![(8, 10.0), (19, 10.0), (30, 10.0)]);
        let mut s = Selector::new(5);
        s.offer(0, &[1.0, 2.0], |i| i == 0);
        let got: Vec<usize> = s.finish().iter().map(|c| c.index).collect();
        assert_eq!(got, vec![1]);
    }
}

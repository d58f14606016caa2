//! Corpus BLEU (Papineni et al. 2002) as sacrebleu 2.x computes it: per-segment n-gram
//! statistics (orders 1–4, counts clipped by the maximum count over the references,
//! closest reference length with ties to the shorter), summed over the corpus, brevity
//! penalty and smoothing applied once at corpus level. Scores are on a 0–100 scale.

use super::ngrams::{Interner, clipped_matches, max_merge, run_lengths, sorted_ngram_keys};
use super::signature_version;
use super::tokenize::{BleuTokenizer, is_python_whitespace};
use crate::error::{MetricError, Result, check_same_len};

const ORDER: usize = 4;

/// How zero n-gram matches are smoothed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BleuSmoothing {
    /// sacrebleu `exp` (mteval-v13a, the default): the k-th order with no match gets
    /// precision `100 / (2^k · total)`.
    Exp,
    /// sacrebleu `none`: no smoothing (a zero precision makes the score 0).
    None,
    /// sacrebleu `floor`: a zero precision becomes `100 · value / total` (default value 0.1).
    Floor(f64),
}

/// BLEU settings; the defaults are sacrebleu's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BleuSettings {
    /// Tokeniser (default `13a`).
    pub tokenizer: BleuTokenizer,
    /// Lower-case hypotheses and references first (default false: `case:mixed`).
    pub lowercase: bool,
    /// Smoothing (default `exp`).
    pub smoothing: BleuSmoothing,
    /// Drop orders with no n-grams from the geometric mean (default false; sacrebleu
    /// recommends true only for sentence-level BLEU).
    pub effective_order: bool,
}

impl Default for BleuSettings {
    fn default() -> Self {
        Self {
            tokenizer: BleuTokenizer::Thirteen,
            lowercase: false,
            smoothing: BleuSmoothing::Exp,
            effective_order: false,
        }
    }
}

impl BleuSettings {
    /// The reproducibility signature in sacrebleu's format, e.g.
    /// `nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:jiebang-0.1.0`.
    pub fn signature(&self, nrefs: usize) -> String {
        let smooth = match self.smoothing {
            BleuSmoothing::Exp => "exp".to_owned(),
            BleuSmoothing::None => "none".to_owned(),
            BleuSmoothing::Floor(v) => format!("floor[{v:.2}]"),
        };
        format!(
            "nrefs:{nrefs}|case:{}|eff:{}|tok:{}|smooth:{smooth}|version:{}",
            if self.lowercase { "lc" } else { "mixed" },
            if self.effective_order { "yes" } else { "no" },
            self.tokenizer.signature(),
            signature_version()
        )
    }
}

/// Sufficient statistics of BLEU; they add over segments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BleuStatistics {
    /// Hypothesis length in tokens.
    pub sys_len: u64,
    /// Closest reference length in tokens.
    pub ref_len: u64,
    /// Clipped n-gram matches per order.
    pub correct: [u64; ORDER],
    /// Hypothesis n-grams per order.
    pub total: [u64; ORDER],
}

impl BleuStatistics {
    /// Component-wise sum.
    pub fn add(&mut self, other: &BleuStatistics) {
        self.sys_len += other.sys_len;
        self.ref_len += other.ref_len;
        for n in 0..ORDER {
            self.correct[n] += other.correct[n];
            self.total[n] += other.total[n];
        }
    }
}

/// A BLEU score with its parts.
#[derive(Debug, Clone, PartialEq)]
pub struct BleuScore {
    /// BLEU on a 0–100 scale.
    pub score: f64,
    /// The n-gram precisions (0–100) after smoothing.
    pub precisions: [f64; ORDER],
    /// Brevity penalty.
    pub brevity_penalty: f64,
    /// The summed statistics.
    pub statistics: BleuStatistics,
    /// The sacrebleu-style signature.
    pub signature: String,
}

/// sacrebleu's `my_log`: `ln x`, with `ln 0` floored to −9 999 999 999.
fn floored_ln(x: f64) -> f64 {
    if x == 0.0 { -9_999_999_999.0 } else { x.ln() }
}

/// BLEU from summed statistics (sacrebleu's `compute_bleu`, same operation order).
pub fn bleu_from_statistics(
    stats: &BleuStatistics,
    settings: &BleuSettings,
    nrefs: usize,
) -> BleuScore {
    let (sys, reference) = (stats.sys_len as f64, stats.ref_len as f64);
    let brevity_penalty = if stats.sys_len < stats.ref_len {
        if stats.sys_len > 0 {
            (1.0 - reference / sys).exp()
        } else {
            0.0
        }
    } else {
        1.0
    };
    let mut precisions = [0.0; ORDER];
    let signature = settings.signature(nrefs);
    if stats.correct.iter().all(|&c| c == 0) {
        return BleuScore {
            score: 0.0,
            precisions,
            brevity_penalty,
            statistics: *stats,
            signature,
        };
    }
    let mut smooth_mteval = 1.0;
    let mut effective = ORDER;
    for (n, precision) in precisions.iter_mut().enumerate() {
        let (correct, total) = (stats.correct[n] as f64, stats.total[n] as f64);
        if stats.total[n] == 0 {
            break;
        }
        if settings.effective_order {
            effective = n + 1;
        }
        if stats.correct[n] == 0 {
            match settings.smoothing {
                BleuSmoothing::Exp => {
                    smooth_mteval *= 2.0;
                    *precision = 100.0 / (smooth_mteval * total);
                }
                BleuSmoothing::Floor(v) => *precision = 100.0 * v / total,
                BleuSmoothing::None => {}
            }
        } else {
            *precision = 100.0 * correct / total;
        }
    }
    let mean_log = precisions[..effective]
        .iter()
        .map(|&p| floored_ln(p))
        .sum::<f64>()
        / effective as f64;
    BleuScore {
        score: brevity_penalty * mean_log.exp(),
        precisions,
        brevity_penalty,
        statistics: *stats,
        signature,
    }
}

fn preprocess(text: &str, settings: &BleuSettings) -> String {
    let text = text.trim_end_matches(is_python_whitespace);
    if settings.lowercase {
        settings.tokenizer.apply(&text.to_lowercase())
    } else {
        settings.tokenizer.apply(text)
    }
}

fn check_corpus<S: AsRef<str>>(hypotheses: &[S], references: &[Vec<S>]) -> Result<()> {
    if hypotheses.is_empty() {
        return Err(MetricError::Empty { what: "hypotheses" });
    }
    if references.is_empty() {
        return Err(MetricError::Empty {
            what: "reference streams",
        });
    }
    for stream in references {
        check_same_len(
            "hypotheses and a reference stream",
            hypotheses.len(),
            stream.len(),
        )?;
    }
    Ok(())
}

/// Per-segment BLEU statistics. `references[k][i]` is the k-th reference of segment `i`
/// (sacrebleu's reference streams). Errors: no hypotheses, no reference stream, or a stream
/// whose length differs from the hypotheses'.
pub fn bleu_segment_statistics<S: AsRef<str>>(
    hypotheses: &[S],
    references: &[Vec<S>],
    settings: &BleuSettings,
) -> Result<Vec<BleuStatistics>> {
    check_corpus(hypotheses, references)?;
    let mut out = Vec::with_capacity(hypotheses.len());
    let (mut hyp_ids, mut ref_ids) = (Vec::new(), Vec::new());
    let (mut hyp_keys, mut ref_keys) = (Vec::new(), Vec::new());
    let (mut ref_counts, mut one_ref, mut scratch) = (Vec::new(), Vec::new(), Vec::new());
    for (i, hyp) in hypotheses.iter().enumerate() {
        let hyp_text = preprocess(hyp.as_ref(), settings);
        let ref_texts: Vec<String> = references
            .iter()
            .map(|s| preprocess(s[i].as_ref(), settings))
            .collect();
        let mut interner = Interner::default();
        interner.ids(
            hyp_text
                .split(is_python_whitespace)
                .filter(|t| !t.is_empty()),
            &mut hyp_ids,
        );
        let mut ref_tokens: Vec<Vec<u32>> = Vec::with_capacity(ref_texts.len());
        for r in &ref_texts {
            interner.ids(
                r.split(is_python_whitespace).filter(|t| !t.is_empty()),
                &mut ref_ids,
            );
            ref_tokens.push(ref_ids.clone());
        }
        let hyp_len = hyp_ids.len() as u64;
        // Closest reference length; ties go to the shorter reference.
        let mut closest: Option<(u64, u64)> = None; // (diff, len)
        for r in &ref_tokens {
            let len = r.len() as u64;
            let diff = len.abs_diff(hyp_len);
            closest = match closest {
                Some((d, l)) if d < diff || (d == diff && l <= len) => Some((d, l)),
                _ => Some((diff, len)),
            };
        }
        let mut stats = BleuStatistics {
            sys_len: hyp_len,
            ref_len: closest.map_or(0, |c| c.1),
            ..Default::default()
        };
        for n in 1..=ORDER {
            sorted_ngram_keys(&hyp_ids, n, &mut hyp_keys);
            ref_counts.clear();
            for r in &ref_tokens {
                sorted_ngram_keys(r, n, &mut ref_keys);
                run_lengths(&ref_keys, &mut one_ref);
                max_merge(&mut ref_counts, &one_ref, &mut scratch);
            }
            stats.total[n - 1] = hyp_keys.len() as u64;
            stats.correct[n - 1] = clipped_matches(&hyp_keys, &ref_counts);
        }
        out.push(stats);
    }
    Ok(out)
}

/// Corpus BLEU of `hypotheses` against reference streams (`references[k][i]` is the k-th
/// reference of segment `i`), as sacrebleu's `corpus_score`.
pub fn corpus_bleu<S: AsRef<str>>(
    hypotheses: &[S],
    references: &[Vec<S>],
    settings: &BleuSettings,
) -> Result<BleuScore> {
    let mut total = BleuStatistics::default();
    for s in bleu_segment_statistics(hypotheses, references, settings)? {
        total.add(&s);
    }
    Ok(bleu_from_statistics(&total, settings, references.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_corpus_scores_100() {
        let hyp = ["the cat sat on the mat"];
        let refs = vec![vec!["the cat sat on the mat"]];
        let s = corpus_bleu(&hyp, &refs, &BleuSettings::default()).unwrap();
        assert!((s.score - 100.0).abs() < 1e-12);
        assert!(
            s.signature
                .starts_with("nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:jiebang-")
        );
    }

    #[test]
    fn empty_and_mismatched_inputs_are_errors() {
        let none: [&str; 0] = [];
        assert!(corpus_bleu(&none, &[vec![]], &BleuSettings::default()).is_err());
        assert!(corpus_bleu(&["a"], &[vec!["a", "b"]], &BleuSettings::default()).is_err());
        assert!(corpus_bleu(&["a"], &[], &BleuSettings::default()).is_err());
    }
}

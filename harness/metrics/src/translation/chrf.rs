//! chrF and chrF++ (Popović 2015, 2017) as sacrebleu 2.x computes them: character n-grams of
//! orders 1..=6 with white space removed, optional word n-grams (chrF++: word order 2),
//! statistics summed over the corpus, then precision and recall averaged over the orders
//! that have n-grams on both sides and combined into F-beta (beta = 2). Scores are 0–100.

use super::ngrams::{clipped_matches, run_lengths};
use super::signature_version;
use super::tokenize::is_python_whitespace;
use crate::error::{MetricError, Result, check_same_len};

/// chrF settings; the defaults are sacrebleu's `CHRF()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChrfSettings {
    /// Character n-gram order (default 6).
    pub char_order: usize,
    /// Word n-gram order (default 0; 2 gives chrF++).
    pub word_order: usize,
    /// Recall weight beta (default 2).
    pub beta: u32,
    /// Lower-case first (default false).
    pub lowercase: bool,
    /// Keep white space inside character n-grams (default false).
    pub whitespace: bool,
    /// Epsilon smoothing as in the original chrF++.py (default false: effective order).
    pub eps_smoothing: bool,
}

impl Default for ChrfSettings {
    fn default() -> Self {
        Self {
            char_order: 6,
            word_order: 0,
            beta: 2,
            lowercase: false,
            whitespace: false,
            eps_smoothing: false,
        }
    }
}

impl ChrfSettings {
    /// The signature in sacrebleu's format, e.g.
    /// `nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:jiebang-0.1.0`.
    pub fn signature(&self, nrefs: usize) -> String {
        format!(
            "nrefs:{nrefs}|case:{}|eff:{}|nc:{}|nw:{}|space:{}|version:{}",
            if self.lowercase { "lc" } else { "mixed" },
            if self.eps_smoothing { "no" } else { "yes" },
            self.char_order,
            self.word_order,
            if self.whitespace { "yes" } else { "no" },
            signature_version()
        )
    }
}

/// A chrF score.
#[derive(Debug, Clone, PartialEq)]
pub struct ChrfScore {
    /// chrF on a 0–100 scale.
    pub score: f64,
    /// Summed `[hyp, ref, match]` counts per order (characters first, then words).
    pub statistics: Vec<[u64; 3]>,
    /// The sacrebleu-style signature.
    pub signature: String,
}

/// sacrebleu's `_compute_f_score` on `[hyp, ref, match]` statistics.
fn f_score(stats: &[[u64; 3]], settings: &ChrfSettings) -> f64 {
    let eps = 1e-16;
    let factor = (settings.beta * settings.beta) as f64;
    let (mut score, mut avg_prec, mut avg_rec) = (0.0, 0.0, 0.0);
    let mut effective = 0usize;
    for &[n_hyp, n_ref, n_match] in stats {
        let prec = if n_hyp > 0 {
            n_match as f64 / n_hyp as f64
        } else {
            eps
        };
        let rec = if n_ref > 0 {
            n_match as f64 / n_ref as f64
        } else {
            eps
        };
        let denom = factor * prec + rec;
        score += if denom > 0.0 {
            (1.0 + factor) * prec * rec / denom
        } else {
            eps
        };
        if n_hyp > 0 && n_ref > 0 {
            avg_prec += prec;
            avg_rec += rec;
            effective += 1;
        }
    }
    if settings.eps_smoothing {
        return 100.0 * score / stats.len() as f64;
    }
    if effective == 0 {
        avg_prec = 0.0;
        avg_rec = 0.0;
    } else {
        avg_prec /= effective as f64;
        avg_rec /= effective as f64;
    }
    if avg_prec + avg_rec != 0.0 {
        let mut s = (1.0 + factor) * avg_prec * avg_rec;
        s /= factor * avg_prec + avg_rec;
        100.0 * s
    } else {
        0.0
    }
}

const PUNCTUATION: &str = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

/// sacrebleu's `_remove_punctuation`: split at white space, and split one leading or
/// trailing ASCII punctuation mark off words longer than one character.
fn chrf_words(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for w in text.split(is_python_whitespace).filter(|w| !w.is_empty()) {
        let mut chars = w.chars();
        let first = chars.next().unwrap_or(' ');
        let last = w.chars().next_back().unwrap_or(' ');
        if w.chars().nth(1).is_none() {
            out.push(w);
        } else if PUNCTUATION.contains(last) {
            let cut = w.len() - last.len_utf8();
            out.push(&w[..cut]);
            out.push(&w[cut..]);
        } else if PUNCTUATION.contains(first) {
            let cut = first.len_utf8();
            out.push(&w[..cut]);
            out.push(&w[cut..]);
        } else {
            out.push(w);
        }
    }
    out
}

/// Sorted n-gram keys of one segment: `char_order` character orders then `word_order` word
/// orders. Character n-grams are packed 21 bits per character into a u128 (orders <= 6);
/// word n-grams are kept as slices.
struct SegmentNgrams<'a> {
    chars: Vec<Vec<u128>>,
    words: Vec<Vec<&'a [&'a str]>>,
}

fn char_key(window: &[char]) -> u128 {
    window.iter().fold(0u128, |k, &c| (k << 21) | c as u128)
}

fn extract<'a>(text: &str, words: &'a [&'a str], settings: &ChrfSettings) -> SegmentNgrams<'a> {
    let chars: Vec<char> = if settings.whitespace {
        text.chars().collect()
    } else {
        text.chars().filter(|&c| !is_python_whitespace(c)).collect()
    };
    let char_ngrams = (1..=settings.char_order)
        .map(|n| {
            let mut keys: Vec<u128> = if chars.len() >= n {
                chars.windows(n).map(char_key).collect()
            } else {
                Vec::new()
            };
            keys.sort_unstable();
            keys
        })
        .collect();
    let word_ngrams = (1..=settings.word_order)
        .map(|n| {
            let mut keys: Vec<&[&str]> = if words.len() >= n {
                words.windows(n).collect()
            } else {
                Vec::new()
            };
            keys.sort_unstable();
            keys
        })
        .collect();
    SegmentNgrams {
        chars: char_ngrams,
        words: word_ngrams,
    }
}

fn match_stats<K: Ord + Copy>(hyp: &[K], reference: &[K], out: &mut Vec<[u64; 3]>) {
    let mut counts = Vec::new();
    run_lengths(reference, &mut counts);
    let matches = clipped_matches(hyp, &counts);
    let n_hyp = if reference.is_empty() {
        0
    } else {
        hyp.len() as u64
    };
    out.push([n_hyp, reference.len() as u64, matches]);
}

/// Corpus chrF of `hypotheses` against reference streams (`references[k][i]` is the k-th
/// reference of segment `i`). With several references each segment keeps the statistics
/// of the reference with the best segment-level score (the first on ties).
///
/// Errors: no hypotheses, no reference stream, a stream of the wrong length, or an order
/// above 6 for character n-grams.
pub fn corpus_chrf<S: AsRef<str>>(
    hypotheses: &[S],
    references: &[Vec<S>],
    settings: &ChrfSettings,
) -> Result<ChrfScore> {
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
    if settings.char_order == 0 || settings.char_order > 6 {
        return Err(MetricError::InvalidInput {
            what: "chrF character order",
            detail: format!("{} (supported: 1..=6)", settings.char_order),
        });
    }
    let prepare = |s: &str| {
        if settings.lowercase {
            s.to_lowercase()
        } else {
            s.to_owned()
        }
    };
    let orders = settings.char_order + settings.word_order;
    let mut total = vec![[0u64; 3]; orders];
    for (i, hyp) in hypotheses.iter().enumerate() {
        let hyp_text = prepare(hyp.as_ref());
        let hyp_words = chrf_words(&hyp_text);
        let hyp_ngrams = extract(&hyp_text, &hyp_words, settings);
        let mut best: Option<(f64, Vec<[u64; 3]>)> = None;
        for stream in references {
            let ref_text = prepare(stream[i].as_ref());
            let ref_words = chrf_words(&ref_text);
            let ref_ngrams = extract(&ref_text, &ref_words, settings);
            let mut stats = Vec::with_capacity(orders);
            for (h, r) in hyp_ngrams.chars.iter().zip(&ref_ngrams.chars) {
                match_stats(h, r, &mut stats);
            }
            for (h, r) in hyp_ngrams.words.iter().zip(&ref_ngrams.words) {
                match_stats(h, r, &mut stats);
            }
            let f = f_score(&stats, settings);
            if best.as_ref().is_none_or(|(b, _)| f > *b) {
                best = Some((f, stats));
            }
        }
        if let Some((_, stats)) = best {
            for (t, s) in total.iter_mut().zip(&stats) {
                for k in 0..3 {
                    t[k] += s[k];
                }
            }
        }
    }
    Ok(ChrfScore {
        score: f_score(&total, settings),
        statistics: total,
        signature: settings.signature(references.len()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_is_100_and_disjoint_is_0() {
        let s = corpus_chrf(&["abc def"], &[vec!["abc def"]], &ChrfSettings::default()).unwrap();
        assert!((s.score - 100.0).abs() < 1e-12);
        let s = corpus_chrf(&["xyz"], &[vec!["abc"]], &ChrfSettings::default()).unwrap();
        assert_eq!(s.score, 0.0);
        assert!(
            s.signature
                .starts_with("nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:jiebang-")
        );
    }

    #[test]
    fn words_split_off_edge_punctuation() {
        assert_eq!(
            chrf_words("Hello, world! (x) a"),
            ["Hello", ",", "world", "!", "(x", ")", "a"]
        );
    }
}

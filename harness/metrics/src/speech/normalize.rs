//! Text normalisation and tokenisation for scoring speech recognition output.
//!
//! Normalisation, in this order (each step can be switched off):
//! 1. full-width forms to half-width: U+FF01–U+FF5E become U+0021–U+007E and the
//!    ideographic space U+3000 becomes a space (no other compatibility mapping);
//! 2. lower-casing with Unicode's full case mapping (`str::to_lowercase`, as Python's
//!    `str.lower`);
//! 3. deletion of every character of Unicode general category P* (punctuation, including
//!    CJK punctuation such as 。，、「」), as jiwer's `RemovePunctuation` does; the table is
//!    generated from Python's `unicodedata` (see `punctuation_table.rs`);
//! 4. white space collapsed to single spaces and trimmed.
//!
//! Tokenisation: words (split at white space), characters (every non-space character;
//! white space is not scored), or mixed, where each CJK ideograph is its own token and runs
//! of other non-space characters form words — Chinese is then scored per character and
//! embedded Latin words per word.

use super::punctuation_table::PUNCTUATION;

/// Which normalisation steps to apply (all on by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Normalization {
    /// Map full-width ASCII forms and the ideographic space to their half-width forms.
    pub fullwidth_to_halfwidth: bool,
    /// Lower-case the text.
    pub lowercase: bool,
    /// Delete punctuation (Unicode category P*).
    pub remove_punctuation: bool,
}

impl Default for Normalization {
    fn default() -> Self {
        Self {
            fullwidth_to_halfwidth: true,
            lowercase: true,
            remove_punctuation: true,
        }
    }
}

impl Normalization {
    /// No normalisation except white-space collapsing.
    pub fn none() -> Self {
        Self {
            fullwidth_to_halfwidth: false,
            lowercase: false,
            remove_punctuation: false,
        }
    }
}

/// How normalised text is split into scored tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tokenization {
    /// White-space separated words (WER).
    Words,
    /// Every non-white-space character (CER; white space is not scored).
    Characters,
    /// CJK ideographs one per token, other runs of non-space characters as words.
    Mixed,
}

/// Whether `c` has Unicode general category P* (Unicode version of the generated table).
pub fn is_punctuation(c: char) -> bool {
    let cp = c as u32;
    PUNCTUATION
        .binary_search_by(|&(lo, hi)| {
            if hi < cp {
                std::cmp::Ordering::Less
            } else if lo > cp {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// Whether `c` is a CJK unified or compatibility ideograph (blocks U+3400–4DBF,
/// U+4E00–9FFF, U+F900–FAFF, U+20000–2A6DF, U+2A700–2EBEF, U+2F800–2FA1F, U+30000–3134F)
/// or U+3007 (〇).
pub fn is_cjk_ideograph(c: char) -> bool {
    matches!(c as u32,
        0x3007 | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2A6DF
        | 0x2A700..=0x2EBEF | 0x2F800..=0x2FA1F | 0x30000..=0x3134F)
}

fn to_halfwidth(c: char) -> char {
    match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    }
}

/// Normalise `text` (see the module documentation for the steps).
pub fn normalize(text: &str, settings: &Normalization) -> String {
    let mut s: String = if settings.fullwidth_to_halfwidth {
        text.chars().map(to_halfwidth).collect()
    } else {
        text.to_owned()
    };
    if settings.lowercase {
        s = s.to_lowercase();
    }
    if settings.remove_punctuation {
        s.retain(|c| !is_punctuation(c));
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Split normalised text into tokens.
pub fn tokenize(text: &str, tokenization: Tokenization) -> Vec<&str> {
    match tokenization {
        Tokenization::Words => text.split_whitespace().collect(),
        Tokenization::Characters => text
            .char_indices()
            .filter(|(_, c)| !c.is_whitespace())
            .map(|(i, c)| &text[i..i + c.len_utf8()])
            .collect(),
        Tokenization::Mixed => {
            let mut out = Vec::new();
            for word in text.split_whitespace() {
                let mut start: Option<usize> = None;
                for (i, c) in word.char_indices() {
                    if is_cjk_ideograph(c) {
                        if let Some(s) = start.take() {
                            out.push(&word[s..i]);
                        }
                        out.push(&word[i..i + c.len_utf8()]);
                    } else if start.is_none() {
                        start = Some(i);
                    }
                }
                if let Some(s) = start {
                    out.push(&word[s..]);
                }
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_steps() {
        let n = Normalization::default();
        assert_eq!(normalize("Hello,  WORLD!", &n), "hello world");
        assert_eq!(normalize("ＡＢＣ，你好。\u{3000}ｘ", &n), "abc你好 x");
        assert_eq!(normalize("don't", &n), "dont");
        assert_eq!(normalize("  a \t b  ", &Normalization::none()), "a b");
    }

    #[test]
    fn tokenisations() {
        assert_eq!(
            tokenize("我用iphone打电话 ok", Tokenization::Mixed),
            ["我", "用", "iphone", "打", "电", "话", "ok"]
        );
        assert_eq!(
            tokenize("你好 a", Tokenization::Characters),
            ["你", "好", "a"]
        );
        assert_eq!(tokenize("a  b", Tokenization::Words), ["a", "b"]);
        assert!(
            is_punctuation('。')
                && is_punctuation('!')
                && !is_punctuation('a')
                && !is_punctuation('$')
        );
    }
}

//! Text normalisation and tokenisation for scoring speech recognition output.
//!
//! Normalisation, in this order (each step can be switched off):
//! 1. full-width forms to half-width: U+FF01–U+FF5E become U+0021–U+007E and the
//!    ideographic space U+3000 becomes a space (no other compatibility mapping);
//! 2. lower-casing with Unicode's full case mapping (`str::to_lowercase`, as Python's
//!    `str.lower`), from the Unicode tables of the Rust toolchain that built the crate
//!    ([`case_unicode_version`], stated in each speech signature): characters encoded after
//!    the reference's Unicode version (Python 3.11: 14.0.0; e.g. U+A7CB, U+1C89, U+10D50–10D65,
//!    U+16EA0–16EB8 in 16.0) are lower-cased here and left as they are by the reference;
//! 3. deletion of every character of Unicode general category P* (punctuation, including
//!    CJK punctuation such as 。，、「」), as jiwer's `RemovePunctuation` does; the table is
//!    generated from Python's `unicodedata` (see `punctuation_table.rs`);
//! 4. white space collapsed and trimmed, by the rule of the word-split convention (below).
//!
//! Two named conventions then decide what white space does; the defaults follow jiwer 4's
//! default transforms exactly:
//! - [`WordSplit`] `ascii-space` (default, jiwer's `RemoveMultipleSpaces`, `Strip`,
//!   `ReduceToListOfListOfWords`): white space is Python's `str.isspace` set (Unicode
//!   White_Space plus U+001C–U+001F); a run of two or more white-space characters becomes one
//!   space, the ends are trimmed, and words are split at the ASCII space only — a single tab,
//!   no-break space or U+3000 between two words joins them into one token.
//!   `unicode-whitespace`: white space is Unicode's White_Space property
//!   (`char::is_whitespace`); every run collapses to one space and splits words.
//! - [`CerSpaces`] `count` (default, jiwer's `Strip`, `ReduceToListOfListOfChars`): after
//!   trimming, every character is a token, spaces included (runs are not collapsed unless
//!   step 4 did so). `skip`: white-space characters (of the word-split convention's set) are
//!   not scored.
//!
//! Tokenisation: words, characters, or mixed, where each CJK ideograph is its own token and
//! runs of other characters within a word form words — Chinese is then scored per character
//! and embedded Latin words per word.

use super::punctuation_table::PUNCTUATION;

/// How words are split, and which characters are white space (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WordSplit {
    /// jiwer's default: runs of two or more Python white-space characters become one space,
    /// the ends are trimmed, words split at U+0020 only.
    #[default]
    AsciiSpace,
    /// Split at every run of Unicode White_Space (`str::split_whitespace`).
    UnicodeWhitespace,
}

impl WordSplit {
    /// Every convention, default first.
    pub const ALL: [WordSplit; 2] = [WordSplit::AsciiSpace, WordSplit::UnicodeWhitespace];

    /// Its stable name (`ascii-space`, `unicode-whitespace`), as suites and signatures write it.
    pub fn name(self) -> &'static str {
        match self {
            WordSplit::AsciiSpace => "ascii-space",
            WordSplit::UnicodeWhitespace => "unicode-whitespace",
        }
    }

    /// The convention called `name`, if any.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|w| w.name() == name)
    }

    /// Whether `c` is white space under this convention.
    pub fn is_space(self, c: char) -> bool {
        match self {
            WordSplit::AsciiSpace => is_python_space(c),
            WordSplit::UnicodeWhitespace => c.is_whitespace(),
        }
    }
}

/// Whether CER scores white-space characters (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CerSpaces {
    /// jiwer's default: after trimming the ends, every character is a token.
    #[default]
    Count,
    /// White-space characters are not tokens.
    Skip,
}

impl CerSpaces {
    /// Every convention, default first.
    pub const ALL: [CerSpaces; 2] = [CerSpaces::Count, CerSpaces::Skip];

    /// Its stable name (`count`, `skip`), as suites and signatures write it.
    pub fn name(self) -> &'static str {
        match self {
            CerSpaces::Count => "count",
            CerSpaces::Skip => "skip",
        }
    }

    /// The convention called `name`, if any.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|w| w.name() == name)
    }
}

/// The Unicode version of the case mapping that lower-casing applies (the toolchain's), as
/// `major.minor.update`.
pub fn case_unicode_version() -> String {
    let (major, minor, update) = char::UNICODE_VERSION;
    format!("{major}.{minor}.{update}")
}

/// Which normalisation steps to apply (all on by default) and the white-space conventions
/// (jiwer's by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Normalization {
    /// Map full-width ASCII forms and the ideographic space to their half-width forms.
    pub fullwidth_to_halfwidth: bool,
    /// Lower-case the text.
    pub lowercase: bool,
    /// Delete punctuation (Unicode category P*).
    pub remove_punctuation: bool,
    /// Collapse white space and trim the ends, by `word_split`'s rule.
    pub collapse_whitespace: bool,
    /// How words are split and what is white space.
    pub word_split: WordSplit,
    /// Whether CER scores white space.
    pub cer_spaces: CerSpaces,
}

impl Default for Normalization {
    fn default() -> Self {
        Self {
            fullwidth_to_halfwidth: true,
            lowercase: true,
            remove_punctuation: true,
            collapse_whitespace: true,
            word_split: WordSplit::default(),
            cer_spaces: CerSpaces::default(),
        }
    }
}

impl Normalization {
    /// No normalisation at all (raw text straight to the tokeniser, as jiwer's default
    /// transforms see it), with jiwer's white-space conventions.
    pub fn none() -> Self {
        Self {
            fullwidth_to_halfwidth: false,
            lowercase: false,
            remove_punctuation: false,
            collapse_whitespace: false,
            ..Self::default()
        }
    }

    /// The same steps under other white-space conventions.
    pub fn with_conventions(self, word_split: WordSplit, cer_spaces: CerSpaces) -> Self {
        Self {
            word_split,
            cer_spaces,
            ..self
        }
    }
}

/// Whether Python's `str.isspace` (and `re`'s `\s`) holds for `c`: Unicode White_Space plus
/// the separators U+001C–U+001F.
pub fn is_python_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{1c}'..='\u{1f}')
}

/// How normalised text is split into scored tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tokenization {
    /// Words, split by the [`WordSplit`] convention (WER).
    Words,
    /// Every character, white space scored or not by the [`CerSpaces`] convention (CER).
    Characters,
    /// The words, with each CJK ideograph its own token and the runs of other characters
    /// between them as words.
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
    if settings.collapse_whitespace {
        s = collapse(&s, settings.word_split);
    }
    s
}

/// White space collapsed and the ends trimmed under `split`: `ascii-space` replaces each run
/// of two or more white-space characters with one space and keeps a single one as it is
/// (Python's `re.sub(r"\s\s+", " ", s).strip()`); `unicode-whitespace` makes every run one
/// space.
fn collapse(text: &str, split: WordSplit) -> String {
    let text = text.trim_matches(|c| split.is_space(c));
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    for c in text.chars() {
        if split.is_space(c) {
            run.push(c);
            continue;
        }
        match (split, run.chars().count()) {
            (_, 0) => {}
            (WordSplit::AsciiSpace, 1) => out.push_str(&run),
            _ => out.push(' '),
        }
        run.clear();
        out.push(c);
    }
    out
}

/// The words of `text` under `split` (see the module documentation); ends trimmed, no empty
/// word.
fn words(text: &str, split: WordSplit) -> Vec<&str> {
    match split {
        WordSplit::UnicodeWhitespace => text.split_whitespace().collect(),
        WordSplit::AsciiSpace => {
            let is_space = |c: char| split.is_space(c);
            let mut out = Vec::new();
            let mut start = 0;
            let mut chars = text.char_indices().peekable();
            while let Some((i, c)) = chars.next() {
                if !is_space(c) {
                    continue;
                }
                // A run of white space from `i`: a separator when it is one ASCII space or
                // two or more characters long.
                let mut end = i + c.len_utf8();
                let mut len = 1;
                while let Some(&(j, d)) = chars.peek() {
                    if !is_space(d) {
                        break;
                    }
                    end = j + d.len_utf8();
                    len += 1;
                    chars.next();
                }
                if len >= 2 || c == ' ' {
                    out.push(&text[start..i]);
                    start = end;
                }
            }
            out.push(&text[start..]);
            out.into_iter()
                .map(|w| w.trim_matches(is_space))
                .filter(|w| !w.is_empty())
                .collect()
        }
    }
}

/// Split normalised text into tokens under the white-space conventions of `conventions`
/// (only its `word_split` and `cer_spaces` are read).
pub fn tokenize<'a>(
    text: &'a str,
    tokenization: Tokenization,
    conventions: &Normalization,
) -> Vec<&'a str> {
    let split = conventions.word_split;
    match tokenization {
        Tokenization::Words => words(text, split),
        Tokenization::Characters => {
            let text = text.trim_matches(|c| split.is_space(c));
            text.char_indices()
                .filter(|&(_, c)| conventions.cer_spaces == CerSpaces::Count || !split.is_space(c))
                .map(|(i, c)| &text[i..i + c.len_utf8()])
                .collect()
        }
        Tokenization::Mixed => {
            let mut out = Vec::new();
            for word in words(text, split) {
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
        let raw = Normalization::none();
        assert_eq!(normalize("  a \t b  ", &raw), "  a \t b  ");
        let collapse = Normalization {
            collapse_whitespace: true,
            ..raw
        };
        assert_eq!(normalize("  a \t b\tc\u{1c} ", &collapse), "a b\tc");
        let legacy = collapse.with_conventions(WordSplit::UnicodeWhitespace, CerSpaces::Skip);
        assert_eq!(normalize("  a \t b\tc\u{1c} ", &legacy), "a b c\u{1c}");
    }

    #[test]
    fn tokenisations() {
        let jiwer = Normalization::default();
        let legacy = jiwer.with_conventions(WordSplit::UnicodeWhitespace, CerSpaces::Skip);
        assert_eq!(
            tokenize("我用iphone打电话 ok", Tokenization::Mixed, &jiwer),
            ["我", "用", "iphone", "打", "电", "话", "ok"]
        );
        assert_eq!(
            tokenize("你好 a", Tokenization::Characters, &legacy),
            ["你", "好", "a"]
        );
        assert_eq!(
            tokenize(" 你好  a ", Tokenization::Characters, &jiwer),
            ["你", "好", " ", " ", "a"]
        );
        assert_eq!(tokenize("a  b", Tokenization::Words, &jiwer), ["a", "b"]);
        assert_eq!(
            tokenize("\ta\tb c\u{a0}\u{a0}d\u{3000}", Tokenization::Words, &jiwer),
            ["a\tb", "c", "d"]
        );
        assert_eq!(
            tokenize(
                "\ta\tb c\u{a0}\u{a0}d\u{3000}",
                Tokenization::Words,
                &legacy
            ),
            ["a", "b", "c", "d"]
        );
        for w in WordSplit::ALL {
            assert_eq!(WordSplit::from_name(w.name()), Some(w));
        }
        for c in CerSpaces::ALL {
            assert_eq!(CerSpaces::from_name(c.name()), Some(c));
        }
        assert!(
            is_punctuation('。')
                && is_punctuation('!')
                && !is_punctuation('a')
                && !is_punctuation('$')
        );
    }
}

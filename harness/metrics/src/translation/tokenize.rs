//! sacrebleu's `13a` (mteval-v13a) and `zh` tokenisers, reimplemented without regular
//! expressions but with the same left-to-right, non-overlapping substitution semantics.

/// White space as Python's `str.split()` / `str.strip()` define it (`str.isspace`), which
/// sacrebleu relies on; it differs from Rust's `char::is_whitespace` in U+001C–U+001F.
pub fn is_python_whitespace(c: char) -> bool {
    matches!(c as u32,
        0x09..=0x0D | 0x1C..=0x1F | 0x20 | 0x85 | 0xA0 | 0x1680 | 0x2000..=0x200A | 0x2028 | 0x2029
        | 0x202F | 0x205F | 0x3000)
}

/// Which tokeniser BLEU applies before counting n-grams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BleuTokenizer {
    /// sacrebleu `13a`: mteval-v13a's language-independent tokenisation (the default).
    Thirteen,
    /// sacrebleu `zh`: every Chinese character separated, the rest tokenised as `13a`.
    Zh,
    /// sacrebleu `none`: split at white space only.
    None,
}

impl BleuTokenizer {
    /// The name used in signatures (`13a`, `zh`, `none`).
    pub fn signature(&self) -> &'static str {
        match self {
            Self::Thirteen => "13a",
            Self::Zh => "zh",
            Self::None => "none",
        }
    }

    /// Tokenise one (already right-stripped) segment.
    pub fn apply(&self, line: &str) -> String {
        match self {
            Self::Thirteen => tokenize_13a(line),
            Self::Zh => tokenize_zh(line),
            Self::None => line.to_owned(),
        }
    }
}

/// `[\{-\~\[-\` -\&\(-\+\:-\@\/]` of mteval: ASCII punctuation and symbols except
/// `'`, `,`, `-` and `.`, plus the space.
fn is_separated_symbol(c: char) -> bool {
    matches!(c, '{'..='~' | '['..='`' | ' '..='&' | '('..='+' | ':'..='@' | '/')
}

/// Python's `' '.join(s.split())`.
fn join_python_words(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split(is_python_whitespace).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// sacrebleu's `TokenizerRegexp`, the part shared by `13a` and `zh`.
fn post_tokenize(line: &str) -> String {
    // 1. ([\{-\~\[-\` -\&\(-\+\:-\@\/]) -> " \1 "
    let mut a = String::with_capacity(line.len() * 2);
    for c in line.chars() {
        if is_separated_symbol(c) {
            a.push(' ');
            a.push(c);
            a.push(' ');
        } else {
            a.push(c);
        }
    }
    let chars: Vec<char> = a.chars().collect();
    let digit = |c: char| c.is_ascii_digit();
    let period_or_comma = |c: char| c == '.' || c == ',';
    // 2. ([^0-9])([\.,]) -> "\1 \2 "
    let mut b = Vec::with_capacity(chars.len() * 2);
    let mut i = 0;
    while i < chars.len() {
        if i + 1 < chars.len() && !digit(chars[i]) && period_or_comma(chars[i + 1]) {
            b.extend_from_slice(&[chars[i], ' ', chars[i + 1], ' ']);
            i += 2;
        } else {
            b.push(chars[i]);
            i += 1;
        }
    }
    // 3. ([\.,])([^0-9]) -> " \1 \2"
    let mut c3 = Vec::with_capacity(b.len() * 2);
    let mut i = 0;
    while i < b.len() {
        if i + 1 < b.len() && period_or_comma(b[i]) && !digit(b[i + 1]) {
            c3.extend_from_slice(&[' ', b[i], ' ', b[i + 1]]);
            i += 2;
        } else {
            c3.push(b[i]);
            i += 1;
        }
    }
    // 4. ([0-9])(-) -> "\1 \2 "
    let mut d = String::with_capacity(c3.len() * 2);
    let mut i = 0;
    while i < c3.len() {
        if i + 1 < c3.len() && digit(c3[i]) && c3[i + 1] == '-' {
            d.push(c3[i]);
            d.push(' ');
            d.push('-');
            d.push(' ');
            i += 2;
        } else {
            d.push(c3[i]);
            i += 1;
        }
    }
    join_python_words(&d)
}

/// sacrebleu's `13a` tokeniser: drop `<skipped>`, join `-\n` line breaks, newlines to
/// spaces, unescape `&quot; &amp; &lt; &gt;` (in that order, once), then the shared
/// punctuation rules on the line padded with spaces.
pub fn tokenize_13a(line: &str) -> String {
    let mut s = line
        .replace("<skipped>", "")
        .replace("-\n", "")
        .replace('\n', " ");
    if s.contains('&') {
        s = s
            .replace("&quot;", "\"")
            .replace("&amp;", "&")
            .replace("&lt;", "<")
            .replace("&gt;", ">");
    }
    post_tokenize(&format!(" {s} "))
}

/// The characters sacrebleu's `zh` tokeniser treats as Chinese. These are the effective
/// ranges of its `_UCODE_RANGES` table as Python evaluates it: the table writes
/// supplementary-plane bounds as `'\u20000'`, which Python reads as two characters, so the
/// entries meant for Extension B and the compatibility supplement become U+2001–U+2A6D and
/// U+2F81–U+2FA1 (general punctuation, arrows, symbols, ... count as Chinese) and no
/// character above U+FFFF does. Reproduced as is for score compatibility.
fn is_sacrebleu_chinese(c: char) -> bool {
    matches!(c as u32,
        0x2001..=0x2A6D | 0x2E80..=0x2FDF | 0x2FF0..=0x303F | 0x3100..=0x312F | 0x31A0..=0x31EF
        | 0x3200..=0x4DB5 | 0x4E00..=0x9FBB | 0xF900..=0xFA2D | 0xFA30..=0xFA6A | 0xFA70..=0xFAD9
        | 0xFE10..=0xFE1F | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF)
}

/// sacrebleu's `zh` tokeniser: strip, surround every Chinese character (see
/// `is_sacrebleu_chinese`) with spaces, then the shared punctuation rules.
pub fn tokenize_zh(line: &str) -> String {
    let stripped = line.trim_matches(is_python_whitespace);
    let mut s = String::with_capacity(stripped.len() * 3);
    for c in stripped.chars() {
        if is_sacrebleu_chinese(c) {
            s.push(' ');
            s.push(c);
            s.push(' ');
        } else {
            s.push(c);
        }
    }
    post_tokenize(&s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirteen_a_examples() {
        assert_eq!(tokenize_13a("Hello, world!"), "Hello , world !");
        assert_eq!(
            tokenize_13a("It costs $3.50, or 1,000-2,000."),
            "It costs $ 3.50 , or 1,000 - 2,000 ."
        );
        assert_eq!(tokenize_13a("a &amp;quot; b"), "a & quot ; b");
        assert_eq!(tokenize_13a("don't stop"), "don't stop");
    }

    #[test]
    fn zh_examples() {
        assert_eq!(
            tokenize_zh("我爱北京。Hello, world"),
            "我 爱 北 京 。 Hello , world"
        );
        assert_eq!(tokenize_zh("“quoted”"), "“ quoted ”");
    }
}

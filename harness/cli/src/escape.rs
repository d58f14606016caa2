//! Escaping of text that units and their systems wrote (names, versions, declarations, anything
//! read from a scorecard, declaration or round file), one function per medium it reaches.
//!
//! Every function first makes control characters (C0, DEL, C1: ESC sequences, bells, newlines)
//! and bidirectional overrides visible as `\u{..}`, so that no field can move the cursor, retitle
//! a terminal, forge a line or reorder what a reader sees; then it escapes what the medium would
//! interpret. Text written by jiebang itself needs none of this.

use std::fmt::Write as _;

/// Bidirectional formatting characters (Trojan Source, CVE-2021-42574) and the line and
/// paragraph separators, which some viewers take as line breaks.
fn invisible_format(c: char) -> bool {
    matches!(c,
        '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        | '\u{2028}' | '\u{2029}')
}

/// Whether `c` is shown as a `\u{..}` escape rather than as itself.
fn shown_escaped(c: char) -> bool {
    c.is_control() || invisible_format(c)
}

/// `s` with every control character and bidirectional override written as `\u{hex}`.
fn visible_with(s: &str, keep_newline: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if shown_escaped(c) && !(keep_newline && c == '\n') {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// One field for a terminal (or any plain-text line): controls, ESC sequences, newlines and
/// bidirectional overrides become visible `\u{..}` escapes.
pub fn terminal(s: &str) -> String {
    visible_with(s, false)
}

/// A whole message for a terminal, several lines long: like [`terminal`] but line breaks are
/// kept. For messages that quote unit or SUT text inside jiebang's own sentences.
pub fn terminal_block(s: &str) -> String {
    visible_with(s, true)
}

/// Text or an attribute value in HTML or XML (a JUnit report): `& < > " '` become entities.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in terminal(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Inline text in CommonMark/GFM (a table cell, a heading, a list item — never the start of a
/// line): every character that could open markup — emphasis, code, links and images, raw HTML
/// and entities, table cell breaks, heading closers, strike-through, math — is
/// backslash-escaped, so that a renderer shows the text as written (`<script>` stays text, not
/// raw HTML that a renderer passes through). Characters that cannot open markup where they
/// stand are left alone, so that the file stays readable: `_` inside a word, `]` not followed
/// by `(`, `!` not followed by `[`.
pub fn markdown(s: &str) -> String {
    let text: Vec<char> = terminal(s).chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in text.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| text[j]);
        let next = text.get(i + 1).copied();
        let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        let escape = match c {
            '\\' | '`' | '*' | '<' | '|' | '&' | '#' | '~' | '$' => true,
            '_' => !(word(prev) && word(next)),
            ']' => next == Some('('),
            '!' => next == Some('['),
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A code span in Markdown (an id, a hash, a file name): backquoted when it holds only
/// characters that cannot end or escape the span, else [`markdown`] text, since a backslash
/// escapes nothing inside a code span.
pub fn markdown_code(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '@' | '/' | ':' | ' ')
        });
    if plain && !s.starts_with(' ') && !s.ends_with(' ') {
        format!("`{s}`")
    } else {
        markdown(s)
    }
}

/// A CSV cell for spreadsheets, after OWASP's advice on CSV injection: a cell that a
/// spreadsheet would take as a formula (it starts with `=`, `+`, `-` or `@`, after any blanks)
/// gets a leading `'`, so it is read as text. Tabs and carriage returns are already made
/// visible. Writers quote every text cell (`QuoteStyle::NonNumeric`), so no separator inside a
/// cell can start a new one.
pub fn csv(s: &str) -> String {
    let v = terminal(s);
    if v.trim_start().starts_with(['=', '+', '-', '@']) {
        format!("'{v}")
    } else {
        v
    }
}

/// JSON text (already serialized) for a terminal: C1 controls and bidirectional overrides,
/// which JSON serializers leave as they are inside strings, become `\uXXXX` escapes — the same
/// JSON value, with nothing a terminal would act on. Line breaks between values are kept.
pub fn json(serialized: &str) -> String {
    let mut out = String::with_capacity(serialized.len());
    for c in serialized.chars() {
        if shown_escaped(c) && c != '\n' {
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// A label drawn in a chart (SVG text, PNG glyphs): controls made visible, since XML forbids
/// most of them and they would break the SVG. The SVG backend escapes `& < > " '` itself.
pub fn chart(s: &str) -> String {
    terminal(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str =
        "<script>alert(1)</script>\u{1b}[31mred\u{1b}]0;t\u{7}\u{9b}2J\n\u{202e}x";

    #[test]
    fn terminal_shows_controls_and_bidi_as_escapes() {
        let t = terminal(HOSTILE);
        assert!(!t.chars().any(shown_escaped), "{t}");
        assert_eq!(
            t,
            "<script>alert(1)</script>\\u{1b}[31mred\\u{1b}]0;t\\u{7}\\u{9b}2J\\u{a}\\u{202e}x"
        );
        assert_eq!(terminal_block("a\nb\u{1b}"), "a\nb\\u{1b}");
        assert_eq!(terminal("Lab 甲 — ok"), "Lab 甲 — ok");
    }

    #[test]
    fn html_escapes_markup_and_quotes() {
        assert_eq!(
            html("<a href=\"x\" title='y'>&</a>\u{1b}"),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;\\u{1b}"
        );
    }

    /// The text a Markdown table cell holding `markdown(s)` renders to; panics on any markup.
    fn rendered_cell(s: &str) -> String {
        use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
        let md = format!("| h |\n|---|\n| {} |\n", markdown(s));
        let mut text = String::new();
        for e in Parser::new_ext(&md, Options::ENABLE_TABLES) {
            match e {
                Event::Text(t) => text.push_str(&t),
                Event::Start(Tag::Table(_) | Tag::TableHead | Tag::TableRow | Tag::TableCell)
                | Event::End(TagEnd::Table | TagEnd::TableHead | TagEnd::TableRow)
                | Event::End(TagEnd::TableCell) => {}
                other => panic!("{s:?} became markup: {other:?}\n{md}"),
            }
        }
        text.strip_prefix('h').unwrap_or(&text).to_string()
    }

    #[test]
    fn markdown_renders_as_the_text_written() {
        for s in [
            HOSTILE,
            "a | b",
            "`code` *em* _em_ [link](http://x) ![img](y) <http://z> &amp; ~~s~~ # h",
            "\\*not em\\*",
            "<!-- c --> <div>x</div>",
            "[a]: http://x [a] [a][b] [a]() ![a] x]( a_b_c __b__ **b** $x$ [^1]",
        ] {
            assert_eq!(rendered_cell(s), terminal(s), "{s:?}");
        }
        // Every sequence of three tricky pieces stays text, as written.
        let pieces = [
            "<",
            ">",
            "[",
            "]",
            "(",
            ")",
            "!",
            "*",
            "_",
            "`",
            "\\",
            "|",
            "&",
            "#",
            "~",
            "$",
            "a",
            " ",
            "x:",
            "http://e.x",
            "&lt;",
            "-",
            "1.",
            "'",
            "\"",
        ];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let s = format!("{a}{b}{c}");
                    assert_eq!(rendered_cell(&s), s.trim(), "{s:?}");
                }
            }
        }
        assert_eq!(markdown_code("a1b2"), "`a1b2`");
        assert_eq!(markdown_code("x`|y"), "x\\`\\|y");
    }

    #[test]
    fn json_keeps_its_value_without_raw_controls() {
        let v = serde_json::json!({ "name": HOSTILE });
        let text = json(&serde_json::to_string_pretty(&v).unwrap());
        assert!(
            !text.chars().any(|c| shown_escaped(c) && c != '\n'),
            "{text}"
        );
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn csv_cells_that_look_like_formulas_become_text() {
        assert_eq!(csv("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        for s in ["+1", "-1+2", "@SUM(A1)", "  =1"] {
            assert!(csv(s).starts_with('\''), "{s}");
        }
        assert_eq!(csv("\t=1"), "\\u{9}=1");
        assert_eq!(csv("Lab A"), "Lab A");
    }
}

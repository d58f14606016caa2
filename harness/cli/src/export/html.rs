//! The leaderboard as a static web page: the Markdown page rendered to HTML (pulldown-cmark,
//! tables), with a small stylesheet and the indicator chart, in one self-contained file.
//! Raw HTML in the Markdown is never passed through: it is rendered as text.

use super::{BoardReport, Exporter, Html, Markdown};
use crate::escape::html as escape;
use anyhow::Result;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, html};

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1200px;\
margin:2em auto;padding:0 1em;color:#222;line-height:1.45}table{border-collapse:collapse;margin:1em 0;\
font-size:.92em}th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}\
th{background:#f3f3f3}tr:nth-child(even) td{background:#fafafa}code{font-size:.9em}\
img{max-width:100%;border:1px solid #ddd}h2{border-bottom:2px solid #ddd;padding-bottom:.2em}";

impl Exporter<BoardReport<'_>> for Html {
    /// `index.html`: the Markdown page as HTML, with the chart.
    fn export(&self, r: &BoardReport<'_>) -> Result<String> {
        Ok(page(&Markdown.export(r)?, r.title, r.chart))
    }
}

/// `index.html` for `markdown`; `chart` is the file name of the chart image beside it, if any.
fn page(markdown: &str, title: &str, chart: Option<&str>) -> String {
    let mut body = String::new();
    // The Markdown escapes what units wrote, and jiebang writes no HTML, links or images into
    // it; should any reach the parser all the same, raw HTML is shown as text, never passed
    // through, and a link or image keeps only its text.
    let events = Parser::new_ext(markdown, Options::ENABLE_TABLES).filter_map(|e| match e {
        Event::Html(t) | Event::InlineHtml(t) => Some(Event::Text(t)),
        Event::Start(Tag::Link { .. } | Tag::Image { .. })
        | Event::End(TagEnd::Link | TagEnd::Image) => None,
        e => Some(e),
    });
    html::push_html(&mut body, events);
    let figure = chart.map_or_else(String::new, |c| {
        format!(
            "<h2>Indicators at a glance</h2>\n<p><img src=\"{}\" alt=\"each indicator: measured value \
             with its 95% interval, declared levels and the national target\"></p>\n",
            escape(c)
        )
    });
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}{figure}\
         <p><small>Written by jiebang {}; every number links back to a hash-pinned scorecard \
         (`jiebang verify FILE`).</small></p>\n</body>\n</html>\n",
        escape(title),
        env!("CARGO_PKG_VERSION")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_become_html_and_text_is_escaped() {
        let page = page(
            "# A & B\n\n| x | y |\n|---|---|\n| 1 | <2> |\n",
            "Round <1>",
            Some("indicators.svg"),
        );
        assert!(page.contains("<title>Round &lt;1&gt;</title>"), "{page}");
        assert!(
            page.contains("<table>") && page.contains("<td>&lt;2&gt;</td>"),
            "{page}"
        );
        assert!(page.contains("<h1>A &amp; B</h1>"), "{page}");
        assert!(page.contains("src=\"indicators.svg\""), "{page}");
    }

    #[test]
    fn raw_html_in_the_markdown_is_text() {
        let page = page(
            "<script>alert(1)</script>\n\nx <img src=x onerror=alert(2)> y \
             [a](javascript:alert(3)) ![b](x.svg)\n",
            "t",
            None,
        );
        assert!(
            !page.contains("<script>") && !page.contains("<img"),
            "{page}"
        );
        assert!(
            page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{page}"
        );
    }
}

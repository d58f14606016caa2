//! The frame every page of the site shares: head (CSP, stylesheet, script), navigation, footer
//! with the generation date, bilingual headings, tables in a scrolling wrapper, chart figures.

use crate::escape::html as esc;
use std::fmt::Write as _;

/// The Content-Security-Policy of every page: only the site's own files, no inline code.
pub const CSP: &str = "default-src 'none'; img-src 'self'; style-src 'self'; script-src 'self'";

/// A page before it is framed.
pub struct Page {
    /// Folders between the page and the site root (0 for `index.html`).
    pub depth: usize,
    /// The `<title>`, as plain text.
    pub title: String,
    /// The body's HTML.
    pub body: String,
}

/// The relative path from a page `depth` folders deep to `path` under the site root.
pub fn href(depth: usize, path: &str) -> String {
    format!("{}{path}", "../".repeat(depth))
}

/// `<a href>` to a site path with escaped text.
pub fn link(depth: usize, path: &str, text: &str) -> String {
    format!("<a href=\"{}\">{}</a>", esc(&href(depth, path)), esc(text))
}

/// A heading in Chinese and English: `<hN>中文 <span class="en">English</span></hN>`.
pub fn heading(level: u8, zh: &str, en: &str) -> String {
    format!(
        "<h{level}>{} <span class=\"en\">{}</span></h{level}>\n",
        esc(zh),
        esc(en)
    )
}

/// A table cell: HTML content, a numeric sort key, a CSS class.
#[derive(Default, Clone)]
pub struct Cell {
    /// The cell's HTML (already escaped).
    pub html: String,
    /// The value `site.js` sorts by.
    pub sort: Option<f64>,
    /// A CSS class (`num`, `met`, ...).
    pub class: &'static str,
}

impl Cell {
    /// Escaped text.
    pub fn text(s: &str) -> Cell {
        Cell {
            html: esc(s),
            ..Cell::default()
        }
    }
    /// HTML as given.
    pub fn html(s: String) -> Cell {
        Cell {
            html: s,
            ..Cell::default()
        }
    }
    /// Text sorted by a number, right-aligned.
    pub fn num(s: &str, sort: Option<f64>) -> Cell {
        Cell {
            html: esc(s),
            sort,
            class: "num",
        }
    }
    /// With a CSS class.
    pub fn class(mut self, class: &'static str) -> Cell {
        self.class = class;
        self
    }
}

/// A sortable table inside a horizontally scrolling wrapper.
pub fn table(head: &[&str], rows: &[Vec<Cell>]) -> String {
    let mut out = String::from("<div class=\"scroll\"><table class=\"sortable\">\n<thead><tr>");
    for h in head {
        let _ = write!(out, "<th scope=\"col\">{}</th>", esc(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for c in row {
            out.push_str("<td");
            if !c.class.is_empty() {
                let _ = write!(out, " class=\"{}\"", c.class);
            }
            if let Some(s) = c.sort.filter(|s| s.is_finite()) {
                let _ = write!(out, " data-sort=\"{s}\"");
            }
            let _ = write!(out, ">{}</td>", c.html);
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table></div>\n");
    out
}

/// A paragraph of escaped text in the note style.
pub fn note(text: &str) -> String {
    format!("<p class=\"note\">{}</p>\n", esc(text))
}

/// The whole document: `body` framed with head, navigation and footer; `<body data-charts>`
/// counts the chart images the page shows.
pub fn frame(page: &Page, site_title: &str, generated: &str) -> String {
    let d = page.depth;
    let charts = page.body.matches("<img class=\"chart\"").count();
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<link rel=\"stylesheet\" href=\"{css}\">\n\
         <script src=\"{js}\" defer></script>\n</head>\n<body data-charts=\"{charts}\">\n\
         <header><nav>{home} {report} {csv} {json}</nav></header>\n<main>\n{body}</main>\n\
         <footer>{site} — generated {generated} by jiebang {version}. Every number links back to a \
         hash-pinned scorecard; check one with jiebang verify FILE.</footer>\n</body>\n</html>\n",
        title = esc(&page.title),
        css = href(d, "site.css"),
        js = href(d, "site.js"),
        home = link(d, "index.html", "首页 Home"),
        report = link(d, "report.html", "年度报告 Annual report"),
        csv = link(d, "leaderboard.csv", "CSV"),
        json = link(d, "leaderboard.json", "JSON"),
        body = page.body,
        site = esc(site_title),
        version = env!("CARGO_PKG_VERSION"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_with_relative_assets_and_counts_charts() {
        let page = Page {
            depth: 1,
            title: "<x>".into(),
            body: "<img class=\"chart\" src=\"../charts/a.svg\" alt=\"a\">".into(),
        };
        let html = frame(&page, "S & T", "2020-01-02");
        assert!(html.contains("<title>&lt;x&gt;</title>"), "{html}");
        assert!(html.contains("href=\"../site.css\"") && html.contains("src=\"../site.js\""));
        assert!(html.contains("data-charts=\"1\""), "{html}");
        assert!(html.contains("generated 2020-01-02 by jiebang") && !html.contains('`'));
        let t = table(&["a"], &[vec![Cell::num("1", Some(1.0))]]);
        assert!(
            t.contains("<td class=\"num\" data-sort=\"1\">1</td>"),
            "{t}"
        );
    }
}

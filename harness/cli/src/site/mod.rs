//! The static site an organizer publishes (`jiebang board --out site/`): an index, a page per
//! direction and round, per unit and the annual report, with charts, scorecard copies and data.
//!
//! [`publish`] is the one entry point; everything it writes depends only on the rounds given
//! (sorted here) and [`Options`], so the same inputs in any order give the same bytes.

mod boards;
mod cells;
mod direction;
mod figures;
mod index;
mod layout;
pub mod model;
mod report;
mod unit;

pub use model::{EntryClass, SiteEntry, SiteRound};

use crate::export::{Csv, Exporter as _, Json, Markdown, RoundReport, Selections, SiteReport};
use anyhow::{Context as _, Result};
use figures::Figures;
use jiebang_core::atomic;
use layout::{Page, frame};
use std::path::{Path, PathBuf};

/// The stylesheet every page links.
const CSS: &str = include_str!("site.css");
/// The script every page links (sortable tables).
const JS: &str = include_str!("site.js");

/// Where and how to publish.
pub struct Options {
    /// The site's folder.
    pub out: PathBuf,
    /// The site's title.
    pub title: String,
    /// The generation date, `YYYY-MM-DD` (see [`generated_date`]).
    pub generated: String,
}

/// What [`publish`] wrote.
#[derive(Debug, Default)]
pub struct Published {
    /// HTML pages.
    pub pages: usize,
    /// Chart files under `charts/`.
    pub charts: usize,
    /// Scorecards on the site (copied under `scorecards/`).
    pub entries: usize,
    /// Certified among them.
    pub certified: usize,
    /// Scorecards left off.
    pub excluded: usize,
}

/// The generation date: the UTC day of `SOURCE_DATE_EPOCH` when set, else today's.
pub fn generated_date() -> Result<String> {
    let secs = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) => v.trim().parse::<i64>().with_context(|| {
            format!("SOURCE_DATE_EPOCH={v:?}: expected whole seconds since 1970-01-01")
        })?,
        Err(_) => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64),
    };
    Ok(crate::fmt::utc_day(secs))
}

fn write(out: &Path, rel: &str, bytes: &[u8]) -> Result<()> {
    atomic::write(&out.join(rel), bytes)?;
    Ok(())
}

/// Writes the site for `rounds` under `opts.out`.
pub fn publish(rounds: &[SiteRound], opts: &Options) -> Result<Published> {
    let out = &opts.out;
    std::fs::create_dir_all(out).with_context(|| format!("{}", out.display()))?;
    let ranked = boards::rank(rounds);
    let units = unit::units(&ranked);
    let mut figs = Figures::new(out);
    let mut done = Published::default();
    let mut page = |rel: &str, p: Page| -> Result<()> {
        done.pages += 1;
        write(out, rel, frame(&p, &opts.title, &opts.generated).as_bytes())
    };
    for r in &ranked {
        for d in r.directions() {
            let p = direction::page(r, &d, &mut figs)?;
            page(&direction::path(&r.file, &d), p)?;
        }
    }
    for (slug, (name, entries)) in &units {
        let p = unit::page(slug, name, entries, &mut figs)?;
        page(&format!("units/{slug}.html"), p)?;
    }
    let lines = report::lines(&units);
    page("report.html", report::page(&lines))?;
    page("index.html", index::page(&opts.title, &ranked, &units))?;
    write(
        out,
        "report.md",
        report::markdown(&lines, &opts.title, &opts.generated).as_bytes(),
    )?;
    write(out, "site.css", CSS.as_bytes())?;
    write(out, "site.js", JS.as_bytes())?;
    for r in &ranked {
        for (e, path) in &r.entries {
            let mut bytes = jiebang_scorecard::to_canonical_bytes(&e.sc)?;
            bytes.push(b'\n');
            write(out, path, &bytes)?;
            done.entries += 1;
            done.certified += usize::from(matches!(e.class, EntryClass::Certified { .. }));
        }
        done.excluded += r.round.excluded.len();
    }
    let site = SiteReport {
        title: &opts.title,
        rounds: ranked
            .iter()
            .map(|r| RoundReport {
                id: &r.round.id,
                title: &r.round.title,
                opens: r.round.opens.as_deref(),
                closes: r.round.closes.as_deref(),
                round: r.round.round.as_ref(),
                selection: &r.selection,
                certified: &r.certified,
                self_reported: &r.self_reported,
            })
            .collect(),
    };
    write(out, "leaderboard.csv", Csv.export(&site)?.as_bytes())?;
    write(out, "leaderboard.json", Json.export(&site)?.as_bytes())?;
    write(out, "leaderboard.md", Markdown.export(&site)?.as_bytes())?;
    if ranked.iter().any(|r| r.round.round.is_some()) {
        write(
            out,
            "selection.csv",
            Csv.export(&Selections(&site))?.as_bytes(),
        )?;
    }
    done.charts = figs.count();
    Ok(done)
}

/// The terminal summary of `rounds`: per round and class, the standings and the selection.
pub fn text(rounds: &[SiteRound]) -> Result<String> {
    use crate::escape::terminal as term;
    use crate::export::{BoardReport, Text};
    let mut out = String::new();
    for r in boards::rank(rounds) {
        for (class, certified) in [("certified", true), ("self-reported", false)] {
            let board = r.board(certified);
            let has_selection = certified && !r.selection.is_empty();
            if board.suites.is_empty() && !has_selection {
                continue;
            }
            out.push_str(&format!("round {} — {class}\n", term(&r.round.id)));
            out.push_str(&Text.export(&BoardReport {
                board,
                selection: if certified { &r.selection } else { &[] },
                round: r.round.round.as_ref(),
                title: &r.round.title,
            })?);
        }
    }
    Ok(out)
}

//! A unit's page (`units/<slug>.html`): every entry of the unit across rounds with links to its
//! scorecards, each indicator per round, and its history across rounds as charts.

use super::boards::Ranked;
use super::cells;
use super::direction;
use super::figures::Figures;
use super::layout::{Cell, Page, heading, link, note, table};
use super::model::SiteEntry;
use crate::charts::{self, HistoryPoint, Series};
use crate::escape::html as esc;
use anyhow::Result;
use jiebang_scorecard::{IndicatorResult, Target};
use std::collections::BTreeMap;
use std::fmt::Write as _;

const DEPTH: usize = 1;

/// Every unit on the site: slug → (name, its entries with their round and copy path), in
/// round and site order.
pub type Units<'a> = BTreeMap<String, (String, Vec<(&'a Ranked<'a>, &'a SiteEntry, &'a str)>)>;

/// Collects the units of every round.
pub fn units<'a>(ranked: &'a [Ranked<'a>]) -> Units<'a> {
    let mut out: Units<'a> = BTreeMap::new();
    for r in ranked {
        for (e, path) in &r.entries {
            out.entry(e.slug.clone())
                .or_insert_with(|| (e.unit.clone(), Vec::new()))
                .1
                .push((r, *e, path.as_str()));
        }
    }
    out
}

/// One indicator's measurement per round for the history, under one scoring convention (values
/// under different conventions are never charted together): the one with the most samples,
/// then the smallest scorecard id.
struct Track<'a> {
    head: &'a IndicatorResult,
    unit: String,
    national: Option<Target>,
    points: BTreeMap<String, (&'a IndicatorResult, &'a str)>,
}

/// The unit's page.
pub fn page(
    slug: &str,
    name: &str,
    entries: &[(&Ranked<'_>, &SiteEntry, &str)],
    figs: &mut Figures,
) -> Result<Page> {
    let mut out = format!(
        "<h1>{} <span class=\"en\">参评单位 unit</span></h1>\n<p>{}</p>\n",
        esc(name),
        link(DEPTH, "index.html", "All rounds 全部轮次")
    );
    out.push_str(&heading(2, "参评记录", "Entries"));
    let rows: Vec<Vec<Cell>> = entries
        .iter()
        .map(|(r, e, path)| {
            vec![
                Cell::html(link(
                    DEPTH,
                    &direction::path(&r.file, &e.sc.pins.task.direction),
                    &r.round.id,
                )),
                Cell::text(&format!(
                    "{}@{}",
                    e.sc.pins.suite.id, e.sc.pins.suite.version
                )),
                Cell::text(&e.sc.run.mode),
                Cell::text(&format!("{}:{}", e.sc.pins.sut.adapter, e.sc.pins.sut.name)),
                cells::class(&e.class),
                cells::answered(&e.sc),
                cells::failures(&e.sc),
                cells::scorecard_link(DEPTH, path, e),
            ]
        })
        .collect();
    out.push_str(&table(
        &[
            "round 轮次",
            "suite 测试集",
            "mode",
            "system 系统",
            "class 类别",
            "answered / issued",
            "technical failures 技术故障",
            "scorecard",
        ],
        &rows,
    ));
    out.push_str(&heading(2, "指标", "Indicators"));
    let mut rows = Vec::new();
    let mut tracks: BTreeMap<(String, Option<String>), Track<'_>> = BTreeMap::new();
    for (r, e, path) in entries {
        for i in &e.sc.indicators {
            let u = r.shown.unit(&e.sc, i);
            rows.push(vec![
                Cell::text(&r.round.id),
                Cell::html(format!(
                    "{} <span class=\"en\">{}</span> <code>{}</code>",
                    esc(&i.name_zh),
                    esc(&i.name_en),
                    esc(&i.id)
                )),
                cells::class(&e.class),
                cells::measured(u, &e.sc, i),
                cells::verdict(i.verdicts.national.as_ref()),
                cells::verdict(i.verdicts.declared_current.as_ref()),
                cells::verdict(i.verdicts.own_target.as_ref()),
                cells::scorecard_link(DEPTH, path, e),
            ]);
            if i.measured.is_none() {
                continue;
            }
            let convention =
                e.sc.metrics
                    .get(&i.metric)
                    .and_then(|m| m.convention.clone());
            let t = tracks
                .entry((i.id.clone(), convention))
                .or_insert_with(|| Track {
                    head: i,
                    unit: u.to_string(),
                    national: i.national_target.clone(),
                    points: BTreeMap::new(),
                });
            let id = e.id();
            let better = match t.points.get(&r.round.id) {
                None => true,
                Some((old, old_id)) => {
                    (i.n, std::cmp::Reverse(id)) > (old.n, std::cmp::Reverse(*old_id))
                }
            };
            if better {
                t.points.insert(r.round.id.clone(), (i, id));
            }
        }
    }
    out.push_str(&table(
        &[
            "round 轮次",
            "indicator 指标",
            "class 类别",
            "measured [95% CI] 实测",
            "vs national",
            "vs declared current",
            "vs own target",
            "scorecard",
        ],
        &rows,
    ));
    // An indicator with values under several conventions gets one chart per convention.
    let mut across: Vec<(&Track<'_>, String, Option<String>)> = Vec::new();
    for ((id, convention), t) in &tracks {
        let same: Vec<_> = tracks.keys().filter(|(other, _)| other == id).collect();
        if t.points.len() < 2 {
            continue;
        }
        let (suffix, says) = if same.len() > 1 {
            let k = same.iter().position(|(_, c)| c == convention).unwrap_or(0) + 1;
            (
                format!(".c{k}"),
                Some(format!(
                    "{id}: values computed under the convention {} (chart {k} of {}); values \
                     under different conventions are not comparable, so each is charted apart.",
                    convention.as_deref().unwrap_or("(none stated)"),
                    same.len()
                )),
            )
        } else {
            (String::new(), None)
        };
        across.push((t, suffix, says));
    }
    out.push_str(&heading(2, "历史", "History across rounds"));
    if across.is_empty() {
        out.push_str(&note("The unit entered one round: no history yet."));
    }
    for (t, suffix, says) in across {
        if let Some(says) = says {
            out.push_str(&note(&says));
        }
        let points: Vec<HistoryPoint> = t
            .points
            .iter()
            .map(|(round, (i, _))| HistoryPoint {
                round: round.clone(),
                measured: i.measured,
                ci: i.ci95,
            })
            .collect();
        let title = format!("{} / {} ({})", t.head.name_zh, t.head.name_en, t.head.id);
        let svg = charts::history(
            &title,
            &t.unit,
            t.national.as_ref(),
            &[Series {
                label: name.to_string(),
                data: &points[..],
            }],
        )?;
        let _ = write!(
            out,
            "{}",
            figs.add(
                DEPTH,
                &format!("unit.{slug}.{}{suffix}", t.head.id),
                &svg,
                &format!("{title} across rounds, with its 95% interval and the national target"),
            )?
        );
    }
    Ok(Page {
        depth: DEPTH,
        title: name.to_string(),
        body: out,
    })
}

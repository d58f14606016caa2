//! A direction's page in one round (`directions/<round>.<direction>.html`): the selection from
//! certified entries, then per suite the certified and the self-reported results apart —
//! standings, each indicator ranked, technical failures, and the charts.

use super::boards::Ranked;
use super::cells;
use super::figures::Figures;
use super::layout::{Cell, Page, heading, link, note, table};
use super::model::file_id;
use crate::charts::{self, IndicatorPanel, IndicatorRow, Series};
use crate::escape::html as esc;
use crate::fmt;
use anyhow::Result;
use jiebang_core::board::{Board, Place, Selection, SuiteBoard};
use jiebang_scorecard::{Better, Curve};
use std::collections::BTreeMap;
use std::fmt::Write as _;

const DEPTH: usize = 1;

/// The site path of a direction's page in a round.
pub fn path(round_file: &str, direction: &str) -> String {
    format!("directions/{round_file}.{}.html", file_id(direction))
}

fn selection(out: &mut String, r: &Ranked<'_>, p: &Selection) {
    out.push_str(&heading(
        2,
        "揭榜遴选",
        "Selection (certified entries only)",
    ));
    out.push_str(&note(&format!(
        "Units ranked by {} ({}); the first {} are selected (揭榜单位) and of those, in rank \
         order, the first {} whose every national-target indicator was measured and met are \
         successful (攻关成功单位). A place marked = is shared: the 95% intervals overlap. \
         Self-reported entries are never selected.",
        p.ranking_name, p.ranking_indicator, p.selected_cap, p.successful_cap
    )));
    let yes =
        |b: bool| Cell::text(if b { "yes 是" } else { "no" }).class(if b { "met" } else { "" });
    let rows: Vec<Vec<Cell>> = p
        .candidates
        .iter()
        .map(|c| {
            let unit = r
                .entries
                .iter()
                .find(|(e, _)| e.unit == c.unit)
                .map_or_else(|| Cell::text(&c.unit), |(e, _)| cells::unit_link(DEPTH, e));
            let u = r
                .entries
                .iter()
                .find_map(|(e, _)| {
                    let i =
                        e.sc.indicators
                            .iter()
                            .find(|i| i.id == p.ranking_indicator)?;
                    Some(r.shown.unit(&e.sc, i))
                })
                .unwrap_or(&p.unit_of_measure);
            vec![
                Cell::num(&c.rank, rank_key(&c.rank)),
                unit,
                Cell::text(&c.systems.join(", ")),
                cells::with_note(
                    format!("{} {}", fmt::value(c.measured, u), fmt::interval(c.ci95, u)).trim(),
                    c.self_reported
                        .as_deref()
                        .map(|w| format!("(self-reported: {w})")),
                    c.measured,
                ),
                Cell::num(
                    &format!("{} of {}", c.national_met, c.national_total),
                    Some(c.national_met as f64),
                ),
                yes(c.selected),
                yes(c.successful),
                Cell::text(&c.note),
            ]
        })
        .collect();
    if rows.is_empty() {
        out.push_str(&note(
            "No certified entry of a declaring unit in this direction.",
        ));
    } else {
        out.push_str(&table(
            &[
                "rank 名次",
                "unit 单位",
                "systems 系统",
                "measured [95% CI]",
                "national targets met",
                "selected 入选",
                "successful 成功",
                "note",
            ],
            &rows,
        ));
    }
}

/// A sort key for a place label (`=2` sorts as 2, `—` last).
fn rank_key(label: &str) -> Option<f64> {
    label.trim_start_matches('=').parse().ok()
}

fn standings(out: &mut String, r: &Ranked<'_>, s: &SuiteBoard<'_>) {
    let rows: Vec<Vec<Cell>> = s
        .standings
        .iter()
        .filter_map(|st| {
            let be = &s.entries[st.entry];
            let e = r.entry(&be.file)?;
            let label = Place::label(st.place);
            Some(vec![
                Cell::num(&label, rank_key(&label)),
                cells::unit_link(DEPTH, e),
                cells::system(&e.sc),
                Cell::num(&st.met.to_string(), Some(st.met as f64)).class(if st.met > 0 {
                    "num met"
                } else {
                    "num"
                }),
                Cell::num(&st.inconclusive.to_string(), Some(st.inconclusive as f64)),
                Cell::num(&st.not_met.to_string(), Some(st.not_met as f64)),
                Cell::num(&st.not_measured.to_string(), Some(st.not_measured as f64)),
                Cell::num(
                    &format!("{} of {}", st.own_met, st.own_declared),
                    Some(st.own_met as f64),
                ),
                Cell::num(
                    &format!("{} of {}", st.current_supported, st.current_declared),
                    Some(st.current_supported as f64),
                ),
                cells::answered(&e.sc),
                cells::failures(&e.sc),
                cells::scorecard_link(DEPTH, &be.file, e),
            ])
        })
        .collect();
    out.push_str(&table(
        &[
            "rank 名次",
            "unit 单位",
            "system 系统",
            "national met 达标",
            "inconclusive",
            "not met",
            "not measured",
            "own targets met",
            "declared levels supported",
            "answered / issued",
            "technical failures 技术故障",
            "scorecard",
        ],
        &rows,
    ));
}

/// The charts' name prefix of a suite's class section.
fn chart_prefix(r: &Ranked<'_>, s: &SuiteBoard<'_>, class: &str) -> String {
    format!(
        "{}.{}.{}.{}",
        r.file,
        s.suite.replace('/', "."),
        s.hash.chars().take(8).collect::<String>(),
        class
    )
}

fn indicators(
    out: &mut String,
    r: &Ranked<'_>,
    s: &SuiteBoard<'_>,
    class: &str,
    figs: &mut Figures,
) -> Result<()> {
    for t in &s.indicators {
        let h = t.head;
        let head_sc = r.entry(&s.entries[t.rows[0].entry].file).map(|e| &e.sc);
        let shown = head_sc.map_or(h.unit.as_str(), |sc| r.shown.unit(sc, h));
        let _ = writeln!(
            out,
            "<h4>{} <span class=\"en\">{}</span> <code>{}</code>{}</h4>",
            esc(&h.name_zh),
            esc(&h.name_en),
            esc(&h.id),
            if h.custom {
                " — 自定义指标 the unit's own indicator"
            } else {
                ""
            }
        );
        out.push_str(&note(&format!(
            "{}; {} is better.",
            h.national_target.as_ref().map_or_else(
                || "No national target".to_string(),
                |t| format!("National 2020 target {}", fmt::target(t, shown))
            ),
            match h.better {
                Better::Higher => "higher",
                Better::Lower => "lower",
            }
        )));
        match (&t.convention, t.parts) {
            (None, 1) => {}
            (Some(c), 1) => out.push_str(&note(&format!("Scored under the convention {c}."))),
            (c, parts) => out.push_str(&note(&format!(
                "Scored under the convention {} (table {} of {parts} for this indicator): values \
                 computed under different conventions are not comparable, so each convention \
                 is ranked and charted only in its own table.",
                c.as_deref().unwrap_or("(none stated)"),
                t.part + 1
            ))),
        }
        let mut rows = Vec::new();
        let mut chart_rows = Vec::new();
        for row in &t.rows {
            let be = &s.entries[row.entry];
            let Some(e) = r.entry(&be.file) else { continue };
            let i = row.ind;
            let u = r.shown.unit(&e.sc, i);
            let label = Place::label(row.place);
            rows.push(vec![
                Cell::num(&label, rank_key(&label)),
                cells::unit_link(DEPTH, e),
                cells::measured(u, &e.sc, i),
                cells::verdict(i.verdicts.national.as_ref()),
                cells::value(u, i.declared_current),
                cells::verdict(i.verdicts.declared_current.as_ref()),
                cells::value(u, i.declared_target_2020),
                cells::verdict(i.verdicts.own_target.as_ref()),
                cells::scorecard_link(DEPTH, &be.file, e),
            ]);
            chart_rows.push(IndicatorRow {
                label: e.unit.clone(),
                place: label,
                measured: i.measured,
                ci: i.ci95,
                status: i.verdicts.national.as_ref().map(|v| v.status),
                declared_current: i.declared_current,
                own_target: i.declared_target_2020,
            });
        }
        out.push_str(&table(
            &[
                "rank 名次",
                "unit 单位",
                "measured [95% CI] 实测",
                "vs national 国家指标",
                "declared current 申报当前",
                "vs current",
                "own 2020 target 自定目标",
                "vs own target",
                "scorecard",
            ],
            &rows,
        ));
        let (title, chart) = if t.parts > 1 {
            (
                format!(
                    "{} / {} ({}), convention {} of {}",
                    h.name_zh,
                    h.name_en,
                    h.id,
                    t.part + 1,
                    t.parts
                ),
                format!("{}.{}.c{}", chart_prefix(r, s, class), h.id, t.part + 1),
            )
        } else {
            (
                format!("{} / {} ({})", h.name_zh, h.name_en, h.id),
                format!("{}.{}", chart_prefix(r, s, class), h.id),
            )
        };
        let svg = charts::indicator(&IndicatorPanel {
            title: title.clone(),
            unit: shown.to_string(),
            better: h.better,
            national: h.national_target.clone(),
            rows: chart_rows,
        })?;
        out.push_str(&figs.add(
            DEPTH,
            &chart,
            &svg,
            &format!(
                "{title}: measured with 95% interval per unit in rank order, declared current \
                 level, own target and the national target"
            ),
        )?);
    }
    Ok(())
}

/// Operating curves (one chart per curve id) and latency distributions of the section.
fn curves_and_latency(
    out: &mut String,
    r: &Ranked<'_>,
    s: &SuiteBoard<'_>,
    class: &str,
    figs: &mut Figures,
) -> Result<()> {
    let mut by_id: BTreeMap<&str, Vec<Series<'_, Curve>>> = BTreeMap::new();
    let mut latency: Vec<Series<'_, [f64]>> = Vec::new();
    for st in &s.standings {
        let Some(e) = r.entry(&s.entries[st.entry].file) else {
            continue;
        };
        for (id, c) in &e.sc.curves {
            by_id.entry(id).or_default().push(Series {
                label: e.unit.clone(),
                data: c,
            });
        }
        if let Some(l) = e.sc.samples.get("perf.latency") {
            latency.push(Series {
                label: e.unit.clone(),
                data: &l[..],
            });
        }
    }
    if !by_id.is_empty() {
        out.push_str(&heading(4, "工作特性曲线", "Operating curves"));
    }
    for (id, series) in &by_id {
        let title = format!("{} — {id}", s.suite);
        let svg = charts::curves(&title, series)?;
        out.push_str(&figs.add(
            DEPTH,
            &format!("{}.curve.{id}", chart_prefix(r, s, class)),
            &svg,
            &format!("{id}: one curve per unit, in standings order"),
        )?);
    }
    if !latency.is_empty() {
        out.push_str(&heading(4, "时延分布", "Latency distributions"));
        let title = format!("{} — latency per query (s)", s.suite);
        let svg = charts::latency(&title, &latency)?;
        out.push_str(&figs.add(
            DEPTH,
            &format!("{}.latency", chart_prefix(r, s, class)),
            &svg,
            "Latency per query of each performance run, in seconds",
        )?);
    }
    Ok(())
}

fn section(
    out: &mut String,
    r: &Ranked<'_>,
    board: &Board<'_>,
    suite: (&str, &str),
    certified: bool,
    figs: &mut Figures,
) -> Result<()> {
    if certified {
        let _ = writeln!(
            out,
            "<h3 id=\"{}\">认证结果 <span class=\"en\">Certified results</span></h3>",
            anchor(suite, "certified")
        );
    } else {
        let _ = writeln!(
            out,
            "<h3 id=\"{}\">自报结果 <span class=\"en\">Self-reported results</span></h3>",
            anchor(suite, "self-reported")
        );
        out.push_str(&note(
            "Not signed by a key this round trusts: ranked among themselves only, never with \
             certified results, and never selected.",
        ));
    }
    let Some(s) = board
        .suites
        .iter()
        .find(|s| (s.suite.as_str(), s.hash.as_str()) == suite)
    else {
        out.push_str(&note("None."));
        return Ok(());
    };
    let class = if certified {
        "certified"
    } else {
        "self-reported"
    };
    standings(out, r, s);
    indicators(out, r, s, class, figs)?;
    curves_and_latency(out, r, s, class, figs)
}

/// The `id` of a suite's class section: `<suite>.<hash prefix>.<class>`, file-name safe.
fn anchor(suite: (&str, &str), class: &str) -> String {
    file_id(&format!(
        "{}.{}.{class}",
        suite.0.replace('/', "."),
        suite.1.chars().take(8).collect::<String>()
    ))
}

/// The direction's page in the round.
pub fn page(r: &Ranked<'_>, direction: &str, figs: &mut Figures) -> Result<Page> {
    let mut out = String::new();
    let _ = writeln!(out, "<h1>{} — {}</h1>", esc(&r.round.title), esc(direction));
    let _ = writeln!(
        out,
        "<p>Round <code>{}</code>. {}</p>",
        esc(&r.round.id),
        link(DEPTH, "index.html", "All rounds 全部轮次")
    );
    if let Some(p) = r.selection.iter().find(|p| p.direction == direction) {
        selection(&mut out, r, p);
    }
    let mut suites: Vec<(&str, &str)> = [&r.certified, &r.self_reported]
        .iter()
        .flat_map(|b| b.suites.iter())
        .filter(|s| s.direction == direction)
        .map(|s| (s.suite.as_str(), s.hash.as_str()))
        .collect();
    suites.sort();
    suites.dedup();
    if suites.is_empty() {
        out.push_str(&note("No scorecard of this direction is on the board."));
    }
    for suite in suites {
        let _ = writeln!(
            out,
            "<h2>{} <span class=\"en\">suite hash <code>{}</code></span></h2>",
            esc(suite.0),
            esc(&suite.1.chars().take(16).collect::<String>())
        );
        section(&mut out, r, &r.certified, suite, true, figs)?;
        section(&mut out, r, &r.self_reported, suite, false, figs)?;
    }
    Ok(Page {
        depth: DEPTH,
        title: format!("{} — {direction}", r.round.title),
        body: out,
    })
}

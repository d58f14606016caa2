//! The leaderboard as Markdown for publishing: per suite, the standings against the national
//! targets, then each indicator ranked with measured value, interval and all three verdicts
//! (one table per scoring convention: values under different conventions are never ranked
//! together).
//! Every text from a scorecard or round file is escaped ([`crate::escape::markdown`]).

use crate::escape::{markdown as cell, markdown_code as code};
use crate::export::shown_unit;
use crate::fmt;
use jiebang_core::board::{Board, Place, Selection, SuiteBoard};
use std::fmt::Write as _;

fn suite(out: &mut String, s: &SuiteBoard<'_>) {
    let _ = writeln!(out, "## {}\n", cell(&s.suite));
    let _ = writeln!(
        out,
        "Suite hash {}; {} scorecard(s).\n",
        code(&s.hash.chars().take(16).collect::<String>()),
        s.entries.len()
    );
    let _ = writeln!(out, "### Standings against the national 2020 targets\n");
    out.push_str("| rank | unit | system | met | inconclusive | not met | not measured | own 2020 targets met | declared levels supported |\n|---|---|---|---|---|---|---|---|---|\n");
    for st in &s.standings {
        let e = &s.entries[st.entry];
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} of {} | {} of {} |",
            Place::label(st.place),
            cell(&e.unit()),
            cell(&e.system()),
            st.met,
            st.inconclusive,
            st.not_met,
            st.not_measured,
            st.own_met,
            st.own_declared,
            st.current_supported,
            st.current_declared
        );
    }
    out.push('\n');
    for t in &s.indicators {
        let h = t.head;
        let head_unit = t.rows.first().map_or(h.unit.as_str(), |r| {
            shown_unit(s.entries[r.entry].sc, &h.metric, &h.unit)
        });
        let target = h
            .national_target
            .as_ref()
            .map(|t| format!("national 2020 target {}", cell(&fmt::target(t, head_unit))))
            .unwrap_or_else(|| "no national target".into());
        let own = if h.custom {
            " — the unit's own indicator"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "### {} {} ({}){own}\n\n{target}; {} is better.\n",
            cell(&h.name_zh),
            cell(&h.name_en),
            code(&h.id),
            match h.better {
                jiebang_scorecard::Better::Higher => "higher",
                jiebang_scorecard::Better::Lower => "lower",
            }
        );
        match (&t.convention, t.parts) {
            (None, 1) => {}
            (Some(c), 1) => {
                let _ = writeln!(out, "Scored under the convention {}.\n", code(c));
            }
            (c, parts) => {
                let _ = writeln!(
                    out,
                    "Scored under the convention {} (table {} of {} for this indicator): values \
                     computed under different conventions are not comparable, so each \
                     convention is ranked only in its own table.\n",
                    c.as_deref()
                        .map_or_else(|| "(none stated)".to_string(), code),
                    t.part + 1,
                    parts
                );
            }
        }
        out.push_str("| rank | unit | system | measured [95% CI] | vs national | declared current | vs current | own 2020 target | vs own target | scorecard |\n|---|---|---|---|---|---|---|---|---|---|\n");
        for r in &t.rows {
            let e = &s.entries[r.entry];
            let i = r.ind;
            let unit = shown_unit(e.sc, &i.metric, &i.unit);
            let measured = match (i.measured, &i.reason) {
                (None, Some(reason)) => format!("not measured: {reason}"),
                (Some(_), Some(reason)) if i.ci95.is_none() => {
                    format!("{} (no interval: {reason})", fmt::value(i.measured, unit))
                }
                _ => fmt::self_reported(
                    format!(
                        "{} {}",
                        fmt::value(i.measured, unit),
                        fmt::interval(i.ci95, unit)
                    )
                    .trim(),
                    e.self_reported(i),
                ),
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                Place::label(r.place),
                cell(&e.unit()),
                cell(&e.system()),
                cell(measured.trim()),
                cell(&fmt::verdict(i.verdicts.national.as_ref())),
                cell(&fmt::value(i.declared_current, unit)),
                cell(&fmt::verdict(i.verdicts.declared_current.as_ref())),
                cell(&fmt::value(i.declared_target_2020, unit)),
                cell(&fmt::verdict(i.verdicts.own_target.as_ref())),
                code(&e.short_id())
            );
        }
        out.push('\n');
    }
}

fn selection(out: &mut String, p: &Selection) {
    let _ = writeln!(
        out,
        "## Selection — {}\n\nUnits ranked by {} ({}); the first {} are selected (揭榜单位), and of \
         those, in rank order, the first {} whose every national-target indicator was measured \
         and met are successful (攻关成功单位). Places marked `=` are ordered by the point \
         estimate only: their intervals overlap.\n",
        cell(&p.direction),
        cell(&p.ranking_name),
        code(&p.ranking_indicator),
        p.selected_cap,
        p.successful_cap
    );
    out.push_str("| rank | unit | systems | measured [95% CI] | national targets met | selected | successful | note |\n|---|---|---|---|---|---|---|---|\n");
    for c in &p.candidates {
        let yes = |b: bool| if b { "**yes**" } else { "no" };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} of {} | {} | {} | {} |",
            c.rank,
            cell(&c.unit),
            cell(&c.systems.join(", ")),
            cell(&fmt::self_reported(
                format!(
                    "{} {}",
                    fmt::value(c.measured, &p.unit_of_measure),
                    fmt::interval(c.ci95, &p.unit_of_measure)
                )
                .trim(),
                c.self_reported.as_deref()
            )),
            c.national_met,
            c.national_total,
            yes(c.selected),
            yes(c.successful),
            cell(&c.note)
        );
    }
    if p.candidates.is_empty() {
        out.push_str("| — | no declaring unit has a scorecard in this direction | | | | | | |\n");
    }
    if !p.undeclared.is_empty() {
        let _ = writeln!(
            out,
            "\nNot candidates (no declaration): {}.",
            p.undeclared
                .iter()
                .map(|f| code(f))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    out.push('\n');
}

/// The Markdown page; `certified` when every entry of `board` is signed by a key the round
/// trusts (only then is a signer's name shown).
pub fn render(board: &Board<'_>, picks: &[Selection], title: &str, certified: bool) -> String {
    let mut out = format!("# {}\n\n", cell(title));
    out.push_str(
        "Verdicts are decided by each measurement's 95% confidence interval, never by the point \
         estimate alone: `met` when the whole interval is on the target's side, `not-met` when \
         it is wholly on the other, `inconclusive` otherwise. A rank marked `=` shares its place \
         with the entry above: their intervals overlap, so the data cannot order them.\n\n",
    );
    for p in picks {
        selection(&mut out, p);
    }
    for s in &board.suites {
        suite(&mut out, s);
    }
    out.push_str("## Scorecards\n\n| scorecard | id | suite | unit | system | round | certified by |\n|---|---|---|---|---|---|---|\n");
    for s in &board.suites {
        for e in &s.entries {
            // Only a key the round trusts names its holder: anyone can make a key with an
            // agency's name, so an untrusted signature is shown by its key, not its name.
            let signer = match (certified, &e.sc.signature) {
                (true, Some(g)) => g.signer.clone(),
                (_, Some(g)) => format!(
                    "self-reported (untrusted key {}…)",
                    g.public_key.chars().take(12).collect::<String>()
                ),
                (_, None) => "self-reported (unsigned)".to_string(),
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} |",
                cell(&e.file),
                code(e.sc.id.as_deref().unwrap_or("")),
                cell(&s.suite),
                cell(&e.unit()),
                cell(&e.system()),
                cell(e.sc.pins.round.as_deref().unwrap_or("—")),
                cell(&signer)
            );
        }
    }
    if !board.excluded.is_empty() {
        out.push_str("\n## Left off the board\n\n| file | why |\n|---|---|\n");
        for x in &board.excluded {
            let _ = writeln!(out, "| {} | {} |", cell(&x.file), cell(&x.reason));
        }
    }
    out
}

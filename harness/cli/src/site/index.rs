//! The site's front page (`index.html`): every round with its dates, how entries are
//! certified, its directions with the selection and links to their pages, every unit, the
//! downloads, and the scorecards left off with the reason.

use super::boards::Ranked;
use super::direction;
use super::layout::{Cell, Page, heading, link, note, table};
use super::unit::Units;
use crate::escape::html as esc;
use std::fmt::Write as _;

fn round(out: &mut String, r: &Ranked<'_>) {
    let _ = writeln!(
        out,
        "<h2>{} <span class=\"en\"><code>{}</code></span></h2>",
        esc(&r.round.title),
        esc(&r.round.id)
    );
    let dates = match (&r.round.opens, &r.round.closes) {
        (None, None) => "Dates not given".to_string(),
        (o, c) => format!(
            "Opens {} · closes {}",
            o.as_deref().unwrap_or("—"),
            c.as_deref().unwrap_or("—")
        ),
    };
    let signed = if r.round.signatures_required {
        "Certified round: only entries signed by a trusted agency key are published"
    } else {
        "Entries signed by a key the round trusts are certified; the others are published as self-reported, apart"
    };
    out.push_str(&note(&format!("{dates}. {signed}.")));
    let rows: Vec<Vec<Cell>> = r
        .directions()
        .iter()
        .map(|d| {
            let count = |certified: bool| {
                r.board(certified)
                    .suites
                    .iter()
                    .filter(|s| &s.direction == d)
                    .map(|s| s.entries.len())
                    .sum::<usize>()
            };
            let (c, s) = (count(true), count(false));
            let pick = r.selection.iter().find(|p| &p.direction == d);
            let names = |f: fn(&jiebang_core::board::Candidate) -> bool| {
                pick.map_or_else(
                    || "—".to_string(),
                    |p| {
                        let v: Vec<&str> = p
                            .candidates
                            .iter()
                            .filter(|c| f(c))
                            .map(|c| c.unit.as_str())
                            .collect();
                        if v.is_empty() {
                            "none".into()
                        } else {
                            v.join(", ")
                        }
                    },
                )
            };
            vec![
                Cell::html(link(0, &direction::path(&r.file, d), d)),
                Cell::num(&c.to_string(), Some(c as f64)),
                Cell::num(&s.to_string(), Some(s as f64)),
                Cell::text(&pick.map_or_else(
                    || "—".to_string(),
                    |p| format!("{} / {}", p.selected_cap, p.successful_cap),
                )),
                Cell::text(&names(|c| c.selected)),
                Cell::text(&names(|c| c.successful)),
            ]
        })
        .collect();
    out.push_str(&table(
        &[
            "direction 方向",
            "certified 认证",
            "self-reported 自报",
            "caps selected / successful",
            "selected 揭榜单位",
            "successful 攻关成功单位",
        ],
        &rows,
    ));
    if !r.certified.excluded.is_empty() {
        out.push_str(&heading(3, "未列入", "Left off the board"));
        let rows: Vec<Vec<Cell>> = r
            .certified
            .excluded
            .iter()
            .map(|x| vec![Cell::text(&x.file), Cell::text(&x.reason)])
            .collect();
        out.push_str(&table(&["file 文件", "why 原因"], &rows));
    }
}

/// The front page.
pub fn page(site_title: &str, ranked: &[Ranked<'_>], units: &Units<'_>) -> Page {
    let mut out = format!("<h1>{}</h1>\n", esc(site_title));
    out.push_str(&note(
        "Verdicts are decided by each measurement's 95% confidence interval, never by the point \
         estimate alone. Certified results (signed by a trusted evaluation agency) and \
         self-reported results are published on separate tables and never ranked together.",
    ));
    let _ = writeln!(
        out,
        "<p>{} · {} · {} · {} · {}</p>",
        link(0, "report.html", "年度报告 Annual report"),
        link(0, "report.md", "report.md"),
        link(0, "leaderboard.csv", "leaderboard.csv"),
        link(0, "leaderboard.json", "leaderboard.json"),
        link(0, "leaderboard.md", "leaderboard.md"),
    );
    out.push_str(&heading(2, "轮次", "Rounds"));
    for r in ranked {
        round(&mut out, r);
    }
    out.push_str(&heading(2, "参评单位", "Units"));
    let rows: Vec<Vec<Cell>> = units
        .iter()
        .map(|(slug, (name, entries))| {
            let mut rounds: Vec<&str> = entries
                .iter()
                .map(|(r, _, _)| r.round.id.as_str())
                .collect();
            rounds.dedup();
            vec![
                Cell::html(link(0, &format!("units/{slug}.html"), name)),
                Cell::text(&rounds.join(", ")),
                Cell::num(&entries.len().to_string(), Some(entries.len() as f64)),
            ]
        })
        .collect();
    out.push_str(&table(
        &["unit 单位", "rounds 轮次", "scorecards 成绩单"],
        &rows,
    ));
    Page {
        depth: 0,
        title: site_title.to_string(),
        body: out,
    }
}

//! Leaderboard tables from a set of scorecards: one row per system and indicator, as CSV and
//! Markdown, with the verdicts; used by `jiebang demo` (and the organizer's board later).

use crate::fmt;
use anyhow::Result;
use jiebang_scorecard::Scorecard;
use std::fmt::Write as _;
use std::path::Path;

/// Writes `leaderboard.csv` and `leaderboard.md` under `dir` for `cards` (with their file names).
pub fn write(cards: &[(String, &Scorecard)], dir: &Path) -> Result<()> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "suite",
        "system",
        "scorecard",
        "indicator",
        "unit",
        "measured",
        "ci95_lo",
        "ci95_hi",
        "n",
        "declared_current",
        "declared_target_2020",
        "national_target",
        "verdict_national",
        "verdict_own_target",
        "verdict_declared_current",
    ])?;
    let opt = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
    let word = |v: &Option<jiebang_scorecard::Verdict>| {
        v.as_ref()
            .map(|v| v.status.word().to_string())
            .unwrap_or_default()
    };
    let mut md = String::from(
        "# Leaderboard\n\n| suite | system | indicator | measured [95% CI] | national target | vs national | declared current / own target |\n|---|---|---|---|---|---|---|\n",
    );
    for (file, sc) in cards {
        let suite = format!("{}@{}", sc.pins.suite.id, sc.pins.suite.version);
        let system = format!("{}:{}", sc.pins.sut.adapter, sc.pins.sut.name);
        for i in &sc.indicators {
            w.write_record([
                suite.clone(),
                system.clone(),
                file.clone(),
                i.id.clone(),
                i.unit.clone(),
                opt(i.measured),
                opt(i.ci95.map(|c| c[0])),
                opt(i.ci95.map(|c| c[1])),
                i.n.to_string(),
                opt(i.declared_current),
                opt(i.declared_target_2020),
                i.national_target
                    .as_ref()
                    .map(|t| format!("{}{}", t.comparison.symbol(), t.value))
                    .unwrap_or_default(),
                word(&i.verdicts.national),
                word(&i.verdicts.own_target),
                word(&i.verdicts.declared_current),
            ])?;
            let _ = writeln!(
                md,
                "| {suite} | {system} | {} {} | {} {} | {} | {} | {} / {} |",
                i.id,
                i.name_zh,
                fmt::value(i.measured, &i.unit),
                fmt::interval(i.ci95, &i.unit),
                i.national_target
                    .as_ref()
                    .map(|t| fmt::target(t, &i.unit))
                    .unwrap_or_else(|| "—".into()),
                fmt::verdict(i.verdicts.national.as_ref()),
                fmt::value(i.declared_current, &i.unit),
                fmt::value(i.declared_target_2020, &i.unit),
            );
        }
    }
    let csv_bytes = w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
    jiebang_core::atomic::write(&dir.join("leaderboard.csv"), &csv_bytes)?;
    jiebang_core::atomic::write(&dir.join("leaderboard.md"), md.as_bytes())?;
    Ok(())
}

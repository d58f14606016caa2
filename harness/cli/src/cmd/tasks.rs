//! `jiebang tasks`: the registered directions, their suites, indicators and national targets.

use crate::context::Registry;
use anyhow::Result;
use serde_json::json;

/// Arguments of `jiebang tasks`.
#[derive(clap::Args)]
pub struct Args {
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

/// Runs the command.
pub fn run(args: &Args, reg: &Registry) -> Result<()> {
    if args.json {
        let v: Vec<_> = reg
            .tasks()
            .iter()
            .map(|t| {
                let d = t.direction();
                json!({
                    "direction": d,
                    "crate": t.pin(),
                    "suites": t.suites().iter().map(|s| json!({
                        "id": s.full_id(), "title": s.title, "hash": s.hash(),
                        "metrics": s.metrics, "indicators": s.indicators,
                    })).collect::<Vec<_>>(),
                    "builtin_systems": t.builtin_systems().iter().map(|b| json!({
                        "name": format!("builtin:{}", b.name), "description": b.description, "suites": b.suites,
                        "fault_injection": b.fault_injection,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(());
    }
    if reg.tasks().is_empty() {
        println!("no directions registered in this build");
    }
    for t in reg.tasks() {
        let d = t.direction();
        let pin = t.pin();
        println!(
            "{} — {} ({}) [{} {}]",
            d.id, d.name_zh, d.name_en, pin.crate_name, pin.version
        );
        println!("  suites:");
        for s in t.suites() {
            println!("    {:<40} {}", s.full_id(), s.title);
        }
        println!("  indicators:");
        for i in &d.indicators {
            let spec = d.metric(i.metric);
            let unit = spec.map(|m| m.unit).unwrap_or("");
            let proportion = spec.is_some_and(|m| m.kind == jiebang_core::MetricKind::Proportion);
            let target = i
                .national_target
                .as_ref()
                .map(|t| {
                    format!(
                        "national 2020 target {}",
                        crate::fmt::declared_target(&t.to_target(), unit, proportion)
                    )
                })
                .unwrap_or_else(|| "no national target".into());
            println!("    {:<34} {} / {} — {target}", i.id, i.name_zh, i.name_en);
        }
        println!("  built-in systems:");
        for b in t.builtin_systems() {
            println!("    builtin:{:<24} {}", b.name, b.description);
        }
        const SHOWN: usize = 12;
        let ids: Vec<&str> = d.metrics.iter().map(|m| &*m.id).collect();
        let more = if ids.len() > SHOWN {
            format!(
                " … ({} in all: `jiebang tasks --json` lists them)",
                ids.len()
            )
        } else {
            String::new()
        };
        println!(
            "  metrics (for custom indicators): {}{more}",
            ids[..ids.len().min(SHOWN)].join(", ")
        );
        println!();
    }
    println!("National targets: {}", jiebang_core::NATIONAL_SOURCE);
    Ok(())
}

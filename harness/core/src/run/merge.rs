//! Merging shard logs: checks that the logs are shards `1/n .. n/n` of one run (same suite,
//! dataset, SUT, settings, seed), each complete, then scores their answers together, which
//! gives exactly the metrics of the unsharded run.

use super::RunError;
use super::log::{LogContents, first_difference, read_log};
use super::{Mode, Shard};
use serde_json::Value;
use std::path::PathBuf;

/// Reads shard logs and checks that they make one whole accuracy run; returns them in shard
/// order. A single unsharded log is accepted too (it is re-scored).
pub fn read_shard_logs(paths: &[PathBuf]) -> Result<Vec<LogContents>, RunError> {
    if paths.is_empty() {
        return Err(RunError::Unsupported("no logs given to merge".into()));
    }
    let mut logs = Vec::new();
    for p in paths {
        let c = read_log(p)?;
        let mode = c.header.settings.get("mode").and_then(Value::as_str);
        if mode != Some(Mode::Accuracy.as_str()) {
            return Err(RunError::log(
                p,
                Some(1),
                "a performance log cannot be merged: only accuracy runs are split into shards",
            ));
        }
        let shard = match &c.header.shard {
            Some(s) => Some(
                s.parse::<Shard>()
                    .map_err(|m| RunError::log(p, Some(1), m))?,
            ),
            None => None,
        };
        logs.push((shard, c));
    }
    let first = serde_json::to_value(&logs[0].1.header).unwrap_or(Value::Null);
    for (_, c) in &logs[1..] {
        let this = serde_json::to_value(&c.header).unwrap_or(Value::Null);
        if let Some(field) = first_difference(
            &first,
            &this,
            "",
            &["started_at", "dataset_root", "shard", "samples"],
        ) {
            return Err(RunError::log(
                &c.path,
                Some(1),
                format!(
                    "not a shard of the same run as {}: header field `{field}` differs",
                    logs[0].1.path.display()
                ),
            ));
        }
    }
    match logs[0].0 {
        None if logs.len() == 1 => {}
        None => {
            return Err(RunError::log(
                &logs[0].1.path,
                Some(1),
                "an unsharded log cannot be merged with others",
            ));
        }
        Some(Shard { count, .. }) => {
            let mut seen = vec![None; count as usize];
            for (s, c) in &logs {
                let Some(s) = s.filter(|s| s.count == count) else {
                    return Err(RunError::log(
                        &c.path,
                        Some(1),
                        format!("expected a shard i/{count} like the others"),
                    ));
                };
                if let Some(prev) = seen[(s.index - 1) as usize].replace(c.path.clone()) {
                    return Err(RunError::log(
                        &c.path,
                        Some(1),
                        format!("shard {s} is also given as {}", prev.display()),
                    ));
                }
            }
            let missing: Vec<String> = seen
                .iter()
                .enumerate()
                .filter(|(_, p)| p.is_none())
                .map(|(i, _)| format!("{}/{count}", i + 1))
                .collect();
            if !missing.is_empty() {
                return Err(RunError::Unsupported(format!(
                    "shard logs missing: {} (merge needs every shard of the run)",
                    missing.join(", ")
                )));
            }
        }
    }
    logs.sort_by_key(|(s, _)| s.map(|s| s.index));
    let mut out: Vec<LogContents> = logs.into_iter().map(|(_, c)| c).collect();
    // The merged run started when its first shard did.
    let earliest = out
        .iter()
        .map(|c| c.header.started_at.clone())
        .min()
        .unwrap_or_default();
    out[0].header.started_at = earliest;
    Ok(out)
}

//! `round submit`: a scorecard (and its log) into its unit's place in the round, only when it
//! verifies and passes every rule as if it were already there; nothing is ever overwritten.

use super::check::{self, Finding};
use super::folder::{EntryClass, RoundFolder, Submission, submission_path};
use crate::slug::unit_slug;
use crate::{CoreError, Direction, bounded};
use jiebang_scorecard::verify_bytes;
use std::path::Path;

/// The size bound of a per-query log copied in with a scorecard.
const LOG_LIMIT: u64 = 1 << 30;

/// The outcome of a submission.
#[derive(Debug, Clone)]
pub enum Submitted {
    /// Copied into the round.
    Accepted {
        /// Where, relative to the round folder.
        file: String,
        /// The log's copy, relative to the round folder.
        log: Option<String>,
        /// Certified or self-reported.
        class: EntryClass,
    },
    /// Refused, with the findings (the file named as given).
    Refused(Vec<Finding>),
}

/// Submits `scorecard` (and `log`) to the round in `dir`.
pub fn submit(
    dir: &Path,
    scorecard: &Path,
    log: Option<&Path>,
    directions: &[&Direction],
) -> Result<Submitted, CoreError> {
    let folder = RoundFolder::open(dir, directions)?;
    let given = scorecard.display().to_string();
    let refuse = |rule, message: String| {
        Ok(Submitted::Refused(vec![Finding::new(
            &given, rule, message,
        )]))
    };
    let bytes = bounded::read(scorecard, bounded::limit::SCORECARD, "scorecard")?;
    let v = match verify_bytes(&given, &bytes, None) {
        Ok(v) => v,
        Err(e) => return refuse("verifies", format!("does not verify: {e}")),
    };
    let direction = v.scorecard.pins.task.direction.clone();
    let Some(pin) = &v.scorecard.pins.declaration else {
        return refuse(
            "declaration",
            "no declaration pinned, so no unit to file it under: run with --declaration \
             units/<slug>/declaration.<direction>.toml, the unit's frozen copy"
                .into(),
        );
    };
    let slug = unit_slug(&pin.unit);
    let file = submission_path(&slug, &v.scorecard);
    let class = EntryClass::of(&v.signature, &folder.keys);
    let candidate = Submission {
        file: file.clone(),
        slug: slug.clone(),
        id: v.id,
        scorecard: v.scorecard,
        class: class.clone(),
        log: None,
    };
    let keys = folder.keys.clone();
    let mut findings = check::entry(&folder, &keys, &candidate);
    let taken = std::fs::symlink_metadata(dir.join(&file)).is_ok();
    let mut order: Vec<&Submission> = folder.submissions.iter().collect();
    order.push(&candidate);
    findings.extend(check::unique(&order).into_iter().filter(|f| f.file == file));
    // A file already at that place that is no verified submission is not overwritten either.
    if taken && !findings.iter().any(|f| f.rule == "unique") {
        findings.push(Finding::new(
            &file,
            "unique",
            format!(
                "{file} is already there: a submission is never overwritten; remove or rename \
                 the file there if it is not a valid submission"
            ),
        ));
    }
    // The unit's frozen declaration must still be the one frozen.
    let frozen = folder.frozen(&slug, &direction).map(|f| f.file.clone());
    findings.extend(
        check::frozen_files(&folder)
            .into_iter()
            .filter(|f| Some(&f.file) == frozen.as_ref()),
    );
    if !findings.is_empty() {
        let named = findings
            .into_iter()
            .map(|f| Finding {
                file: if f.file == file {
                    given.clone()
                } else {
                    f.file
                },
                ..f
            })
            .collect();
        return Ok(Submitted::Refused(check::sorted(named)));
    }
    let log_copy = match log {
        Some(l) => {
            let bytes = bounded::read(l, LOG_LIMIT, "per-query log")?;
            let rel = file.replace(".scorecard.json", ".log.jsonl");
            crate::atomic::write(&dir.join(&rel), &bytes)?;
            Some(rel)
        }
        None => None,
    };
    crate::atomic::write(&dir.join(&file), &bytes)?;
    Ok(Submitted::Accepted {
        file,
        log: log_copy,
        class,
    })
}

//! The conformance checks, suite by suite: generate the default data twice, verify and load
//! it, hold the catalogue, the answer check and the queries to their rules, then hand every
//! built-in system to the run checks (`system.rs`).

use crate::failure::{Check, Failure, Failures};
use crate::leak::{names_truth, strings};
use crate::report::{Report, SuiteReport};
use crate::{backend, dataset};
use jiebang_core::{
    BackendHandle, BuiltinInfo, Dataset, GenerateParams, Loaded, Part, SuiteSpec, Task,
};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

/// How the kit runs.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The most samples to generate per suite (the suite's default when smaller), so that a
    /// kit test stays fast; `None`: the suite's default.
    pub samples: Option<u64>,
}

impl Options {
    /// At most `n` samples per suite.
    pub fn samples(n: u64) -> Self {
        Options { samples: Some(n) }
    }
}

/// The answers every answer check is tried with: each must be refused with a message or be a
/// legitimate answer, and at least one must be refused.
pub fn malformed_probes() -> Vec<Value> {
    vec![
        Value::Null,
        Value::Array(vec![]),
        Value::String("not an answer".into()),
        Value::Object(Default::default()),
    ]
}

/// Runs every check over every embedded suite of `task`; the report when all pass, else every
/// failure, each naming its suite, system and sample.
pub fn check(task: Arc<dyn Task>, options: &Options) -> Result<Report, Failures> {
    let mut failures = Vec::new();
    let direction = task.direction();
    if let Err(e) = direction.check() {
        failures.push(Failure::new(Check::Catalogue, e));
    }
    if task.suites().is_empty() {
        failures.push(Failure::new(
            Check::Load,
            "the task has no embedded suite; expected at least one",
        ));
    }
    let backend = backend::cpu();
    let mut report = Report {
        direction: direction.id.to_string(),
        suites: Vec::new(),
    };
    for suite in task.suites() {
        let mut k = SuiteCheck {
            task: &task,
            suite,
            id: suite.full_id(),
            backend: &backend,
            failures: &mut failures,
        };
        if let Some(r) = k.run(options) {
            report.suites.push(r);
        }
    }
    if failures.is_empty() {
        Ok(report)
    } else {
        Err(Failures(failures))
    }
}

pub(crate) struct SuiteCheck<'a> {
    pub(crate) task: &'a Arc<dyn Task>,
    pub(crate) suite: &'a SuiteSpec,
    pub(crate) id: String,
    pub(crate) backend: &'a BackendHandle,
    pub(crate) failures: &'a mut Vec<Failure>,
}

impl SuiteCheck<'_> {
    pub(crate) fn fail(&mut self, check: Check, message: impl Into<String>) -> &mut Failure {
        self.failures
            .push(Failure::new(check, message).in_suite(&self.id));
        let last = self.failures.len() - 1;
        &mut self.failures[last]
    }

    fn run(&mut self, options: &Options) -> Option<SuiteReport> {
        // A supplied dataset (fetched by a script, never generated) is not here to run on:
        // only the suite's catalogue ids are checked.
        if self.suite.supplied().is_some() {
            self.catalogue();
            return None;
        }
        let tmp = match tempfile::tempdir() {
            Ok(t) => t,
            Err(e) => {
                self.fail(
                    Check::Generate,
                    format!("cannot make a temporary folder: {e}"),
                );
                return None;
            }
        };
        let params = GenerateParams {
            samples: options.samples.map(|cap| {
                self.suite
                    .dataset_u64("samples")
                    .map_or(cap, |d| d.min(cap))
            }),
            seed: None,
        };
        let ds = self.datasets(&params, tmp.path())?;
        let loaded = match self.task.load(self.suite, &ds) {
            Ok(s) => s,
            Err(e) => {
                self.fail(Check::Load, format!("loading the generated dataset: {e}"));
                return None;
            }
        };
        self.samples_are_named(&loaded);
        self.catalogue();
        let (refused, probes) = self.answer_check(&loaded);
        self.queries_keep_to_inputs(&loaded, &ds);
        let mut report = SuiteReport {
            suite: self.id.clone(),
            samples: loaded.library.len(),
            dataset_id: ds.hash.clone(),
            refused,
            probes,
            systems: Vec::new(),
        };
        let systems: Vec<BuiltinInfo> = self
            .task
            .builtin_systems()
            .into_iter()
            .filter(|b| b.suites.contains(&self.suite.id.as_str()) && !b.fault_injection)
            .collect();
        if systems.is_empty() {
            self.fail(
                Check::Run,
                "no built-in system lists this suite; expected at least one (the demo runs it)",
            );
        }
        for b in systems {
            let logs = tmp.path().join(format!("logs-{}", b.name));
            if let Err(e) = std::fs::create_dir_all(&logs) {
                self.fail(Check::Run, format!("{}: {e}", logs.display()));
                continue;
            }
            if let Some(r) = self.system(b.name, &ds, &loaded, &logs) {
                report.systems.push(r);
            }
        }
        Some(report)
    }

    /// Generates the dataset twice with the same seed; the first, verified, when both agree.
    fn datasets(&mut self, params: &GenerateParams, tmp: &Path) -> Option<Dataset> {
        let how = format!(
            "seed {}, {} samples",
            params.seed_for(self.suite),
            params
                .samples_for(self.suite)
                .map_or_else(|_| "default".into(), |n| n.to_string())
        );
        let mut made = Vec::new();
        for name in ["a", "b"] {
            match dataset::generate(self.task.as_ref(), self.suite, params, &tmp.join(name)) {
                Ok(d) => made.push(d),
                Err(e) => {
                    self.fail(
                        Check::Generate,
                        format!("generating the default dataset ({how}): {e}"),
                    );
                    return None;
                }
            }
        }
        let b = made.pop()?;
        let a = made.pop()?;
        if a.hash != b.hash {
            let files = |d: &Dataset| -> BTreeMap<String, String> {
                d.manifest
                    .files
                    .iter()
                    .map(|f| (f.path.clone(), f.sha256.clone()))
                    .collect()
            };
            let (fa, fb) = (files(&a), files(&b));
            let first = fa
                .keys()
                .chain(fb.keys())
                .find(|k| fa.get(*k) != fb.get(*k))
                .cloned()
                .unwrap_or_else(|| "(the manifest's meta)".into());
            self.fail(
                Check::DatasetId,
                format!(
                    "two generations ({how}) gave dataset ids {} and {}, first differing at `{first}`; expected the same id (a seeded generator)",
                    a.hash, b.hash
                ),
            );
        }
        let has = |p: Part| a.manifest.files.iter().any(|f| f.part() == Some(p));
        if !has(Part::Truth) {
            self.fail(
                Check::Manifest,
                "the manifest lists no file under `truth/`; expected the labels or references the scorer reads there",
            );
        }
        if !has(Part::Inputs) {
            self.fail(
                Check::Manifest,
                "the manifest lists no file under `inputs/`; expected what a SUT reads there",
            );
        }
        Some(a)
    }

    fn samples_are_named(&mut self, loaded: &Loaded) {
        if loaded.library.is_empty() {
            self.fail(Check::Load, "the sample library is empty; expected samples");
        }
        let mut seen = BTreeSet::new();
        for i in 0..loaded.library.len() {
            let id = loaded.library.sample_id(i);
            if id.is_empty() || !seen.insert(id.clone()) {
                let message = format!(
                    "sample {i} has the id `{id}`, empty or used before; expected a unique id per sample"
                );
                self.fail(Check::Load, message).sample = Some(id);
            }
        }
    }

    fn catalogue(&mut self) {
        let d = self.task.direction();
        if self.suite.direction != d.id {
            self.fail(
                Check::Catalogue,
                format!(
                    "field `direction` is `{}`; expected the task's direction `{}`",
                    self.suite.direction, d.id
                ),
            );
        }
        for m in &self.suite.metrics {
            if d.metric(m).is_none() {
                self.fail(
                    Check::Catalogue,
                    format!(
                        "field `metrics`: `{m}` is not in the `{}` metric catalogue",
                        d.id
                    ),
                );
            }
        }
        for i in &self.suite.indicators {
            if d.indicator(i).is_none() {
                self.fail(
                    Check::Catalogue,
                    format!(
                        "field `indicators`: `{i}` is not in the `{}` indicator catalogue",
                        d.id
                    ),
                );
            }
        }
    }

    /// The probes on the first sample; returns (refused, tried).
    fn answer_check(&mut self, loaded: &Loaded) -> (usize, usize) {
        if loaded.library.is_empty() {
            return (0, 0);
        }
        let sample = loaded.library.sample_id(0);
        let probes = malformed_probes();
        let mut refused = 0;
        for p in &probes {
            if let Err(why) = loaded.scorer.check_answer(0, p) {
                refused += 1;
                if why.trim().is_empty() {
                    self.fail(
                        Check::AnswerCheck,
                        format!("the answer {p} is refused with an empty message; expected what is wrong and what was expected"),
                    )
                    .sample = Some(sample.clone());
                }
            }
        }
        if refused == 0 {
            self.fail(
                Check::AnswerCheck,
                "every malformed probe answer (null, [], a string, {}) passed the answer check; expected at least one refused with a message",
            )
            .sample = Some(sample);
        }
        (refused, probes.len())
    }

    fn queries_keep_to_inputs(&mut self, loaded: &Loaded, ds: &Dataset) {
        const SHOWN: usize = 5;
        let mut found = 0;
        for i in 0..loaded.library.len() {
            let q = Value::Object(loaded.library.query(i));
            let mut all = Vec::new();
            strings(&q, String::new(), &mut all);
            for (at, s) in all {
                let Some(why) = names_truth(s, ds) else {
                    continue;
                };
                found += 1;
                if found <= SHOWN {
                    self.fail(
                        Check::Truth,
                        format!("query field `{at}` = {s:?} {why}; expected a SUT to be given only what lies in `inputs/`"),
                    )
                    .sample = Some(loaded.library.sample_id(i));
                }
            }
        }
        if found > SHOWN {
            self.fail(
                Check::Truth,
                format!(
                    "... and {} more query fields that name the truth",
                    found - SHOWN
                ),
            );
        }
    }
}

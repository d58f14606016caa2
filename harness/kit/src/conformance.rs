//! The conformance checks, suite by suite: generate the default data twice, verify and load
//! it, hold the catalogue, the answer check and the queries to their rules, then run every
//! built-in system through the real runner (scoring twice, then a second run and a resume).

use crate::failure::{Check, Failure, Failures};
use crate::leak::{names_truth, root_reaches_truth, strings};
use crate::report::{Report, SuiteReport, SystemReport};
use crate::spy::Spy;
use crate::{backend, dataset, resume};
use jiebang_core::run::{self, RunInputs, RunSettings, ScorecardInputs, Silent, SutSpec};
use jiebang_core::{
    BackendHandle, BuiltinInfo, Dataset, GenerateParams, Loaded, Part, SuiteSpec, Task,
};
use jiebang_scorecard::{HarnessPin, HostPin, Scorecard};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
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

/// Whether a built-in system only injects faults (for tests of `jiebang compare`): such a
/// system is skipped, its wrong answers being its purpose. Today the name says so
/// (`*-test-*`).
pub fn fault_injection(b: &BuiltinInfo) -> bool {
    b.name.contains("-test-")
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

struct SuiteCheck<'a> {
    task: &'a Arc<dyn Task>,
    suite: &'a SuiteSpec,
    id: String,
    backend: &'a BackendHandle,
    failures: &'a mut Vec<Failure>,
}

fn canon<T: serde::Serialize>(v: &T) -> Vec<u8> {
    jiebang_scorecard::to_canonical_bytes(v).unwrap_or_default()
}

/// The metric section of a scorecard, entry by entry: `metrics.ID`, `digests.NAME`,
/// `samples.ID`, each with its canonical JSON.
fn section(sc: &Scorecard) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for (k, m) in &sc.metrics {
        out.insert(format!("metrics.{k}"), canon(m));
    }
    for (k, d) in &sc.digests {
        out.insert(format!("digests.{k}"), canon(d));
    }
    for (k, s) in &sc.samples {
        out.insert(format!("samples.{k}"), canon(s));
    }
    out
}

/// Entries of the metric sections of `a` and `b` that differ (or that only one has).
fn differing(a: &Scorecard, b: &Scorecard) -> BTreeSet<String> {
    let (x, y) = (section(a), section(b));
    x.keys()
        .chain(y.keys())
        .filter(|k| x.get(*k) != y.get(*k))
        .cloned()
        .collect()
}

/// Whether the section entry `entry` is a metric that the resumed run `resumed` declined to
/// measure (no value, with a reason) where the uninterrupted run `whole` measured it: a task
/// may withhold what an interruption keeps it from checking, but never change a value.
fn withheld(whole: &Scorecard, resumed: &Scorecard, entry: &str) -> bool {
    let Some(id) = entry.strip_prefix("metrics.") else {
        return false;
    };
    match (whole.metrics.get(id), resumed.metrics.get(id)) {
        (Some(w), Some(r)) => {
            w.value.is_some()
                && r.value.is_none()
                && r.reason
                    .as_deref()
                    .is_some_and(|why| !why.trim().is_empty())
        }
        _ => false,
    }
}

/// `entry = value` of a section entry for messages.
fn shown(sc: &Scorecard, entry: &str) -> String {
    let (kind, id) = entry.split_once('.').unwrap_or((entry, ""));
    let v = match kind {
        "metrics" => sc.metrics.get(id).map(serde_json::to_string),
        "digests" => sc.digests.get(id).map(serde_json::to_string),
        _ => sc.samples.get(id).map(serde_json::to_string),
    };
    match v {
        Some(Ok(text)) => text,
        _ => "(absent)".into(),
    }
}

fn card_inputs() -> ScorecardInputs {
    ScorecardInputs {
        harness: HarnessPin {
            version: env!("CARGO_PKG_VERSION").into(),
            git_commit: None,
        },
        host: HostPin {
            os: std::env::consts::OS.into(),
            arch: std::env::consts::ARCH.into(),
            cpu: None,
            threads: 1,
        },
        round: None,
        declaration: None,
    }
}

impl SuiteCheck<'_> {
    fn fail(&mut self, check: Check, message: impl Into<String>) -> &mut Failure {
        self.failures
            .push(Failure::new(check, message).in_suite(&self.id));
        let last = self.failures.len() - 1;
        &mut self.failures[last]
    }

    fn run(&mut self, options: &Options) -> Option<SuiteReport> {
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
            .filter(|b| b.suites.contains(&self.suite.id.as_str()) && !fault_injection(b))
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

    fn run_once(
        &self,
        name: &str,
        ds: &Dataset,
        loaded: &Loaded,
        log: PathBuf,
        resume: bool,
    ) -> Result<(Scorecard, Vec<PathBuf>), String> {
        let inner = run::sut::open(
            &SutSpec::Builtin(name.to_string()),
            &[],
            self.task.as_ref(),
            self.suite,
            &loaded.library,
            self.backend,
            None,
        )
        .map_err(|e| format!("opening the system: {e}"))?;
        let spy = Spy::new(inner);
        let inputs = RunInputs {
            task: self.task.clone(),
            suite: self.suite.clone(),
            suite_source: "embedded".into(),
            dataset: ds.clone(),
            loaded: loaded.clone(),
            backend: self.backend.clone(),
            settings: RunSettings::default(),
            log,
            resume,
        };
        let report = run::run(&inputs, spy.clone(), &card_inputs(), &Silent)
            .map_err(|e| format!("the run failed: {e}"))?;
        Ok((report.scorecard, spy.roots()))
    }

    fn system(
        &mut self,
        name: &str,
        ds: &Dataset,
        loaded: &Loaded,
        logs: &Path,
    ) -> Option<SystemReport> {
        let system = format!("builtin:{name}");
        let here = |f: &mut Failure| f.system = Some(system.clone());
        let first = logs.join("first.log.jsonl");
        let (sc1, roots) = match self.run_once(name, ds, loaded, first.clone(), false) {
            Ok(r) => r,
            Err(e) => {
                here(self.fail(Check::Run, e));
                return None;
            }
        };
        for r in &roots {
            if let Some(why) = root_reaches_truth(r, ds) {
                here(self.fail(
                    Check::Truth,
                    format!(
                        "`hello`'s dataset_root {why}; expected the dataset's `inputs/` folder"
                    ),
                ));
            }
        }
        self.scored_twice(&first, &sc1, loaded, ds, &system);
        self.scorecard_ids(&sc1, &system);
        let (sc2, _) = match self.run_once(name, ds, loaded, logs.join("second.log.jsonl"), false) {
            Ok(r) => r,
            Err(e) => {
                here(self.fail(Check::Run, format!("second run: {e}")));
                return None;
            }
        };
        let varying = differing(&sc1, &sc2);
        let cut = logs.join("resumed.log.jsonl");
        let mut withheld_on_resume = Vec::new();
        let resumed_after = match resume::truncated_copy(&first, &cut) {
            Ok(k) => k,
            Err(e) => {
                here(self.fail(Check::Resume, format!("cutting {}: {e}", first.display())));
                return None;
            }
        };
        match self.run_once(name, ds, loaded, cut, true) {
            Ok((sc3, _)) => {
                for entry in differing(&sc1, &sc3).difference(&varying) {
                    if withheld(&sc1, &sc3, entry) {
                        withheld_on_resume.push(entry.clone());
                        continue;
                    }
                    here(self.fail(
                        Check::Resume,
                        format!(
                            "after resuming a run cut after {} of {} queries, `{entry}` is {}; expected {} as in the uninterrupted run (which a second uninterrupted run repeated)",
                            resumed_after.0,
                            resumed_after.1,
                            shown(&sc3, entry),
                            shown(&sc1, entry)
                        ),
                    ));
                }
            }
            Err(e) => here(self.fail(Check::Resume, format!("resuming: {e}"))),
        }
        Some(SystemReport {
            system,
            metrics: sc1.metrics.len(),
            digests: sc1.digests.len(),
            varying: varying.into_iter().collect(),
            withheld_on_resume,
            resumed_after,
        })
    }

    /// Scores the run's log twice more; every metric section must equal the run's own.
    fn scored_twice(
        &mut self,
        log: &Path,
        sc: &Scorecard,
        loaded: &Loaded,
        ds: &Dataset,
        system: &str,
    ) {
        let score = || -> Result<Scorecard, String> {
            let contents = run::read_log(log).map_err(|e| e.to_string())?;
            run::score_logs(
                &[contents],
                self.task.as_ref(),
                self.suite,
                loaded,
                self.backend,
                &ds.root.display().to_string(),
                &card_inputs(),
            )
            .map_err(|e| format!("scoring {}: {e}", log.display()))
        };
        let (a, b) = match (score(), score()) {
            (Ok(a), Ok(b)) => (a, b),
            (Err(e), _) | (_, Err(e)) => {
                self.fail(Check::Determinism, e).system = Some(system.into());
                return;
            }
        };
        for (what, x, y) in [
            ("the run's own scoring", sc, &a),
            ("a second scoring", &a, &b),
        ] {
            if let Some(entry) = differing(x, y).into_iter().next() {
                self.fail(
                    Check::Determinism,
                    format!(
                        "scoring the same log again gave `{entry}` = {} against {} in {what}; expected byte-identical metric sections",
                        shown(y, &entry),
                        shown(x, &entry)
                    ),
                )
                .system = Some(system.into());
            }
        }
    }

    /// Every metric, series and indicator id of a scorecard resolves in the catalogue.
    fn scorecard_ids(&mut self, sc: &Scorecard, system: &str) {
        let d = self.task.direction();
        let unknown_metrics: Vec<String> = sc
            .metrics
            .keys()
            .chain(sc.samples.keys())
            .filter(|id| d.metric(id).is_none())
            .map(|id| format!("`{id}`"))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        if !unknown_metrics.is_empty() {
            self.fail(
                Check::Catalogue,
                format!(
                    "the scorecard has metric ids that are not in the `{}` metric catalogue: {}; expected every metric the scorer computes listed there",
                    d.id,
                    unknown_metrics.join(", ")
                ),
            )
            .system = Some(system.into());
        }
        for i in &sc.indicators {
            if d.indicator(&i.id).is_none() {
                self.fail(
                    Check::Catalogue,
                    format!(
                        "the scorecard's indicator `{}` is not in the `{}` catalogue",
                        i.id, d.id
                    ),
                )
                .system = Some(system.into());
            }
        }
    }
}

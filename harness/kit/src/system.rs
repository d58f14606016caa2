//! The checks of one built-in system on one suite, through the real runner: the `hello` root,
//! scoring the log twice more, the scorecard's ids, a second run, and a resumed cut copy.

use crate::conformance::SuiteCheck;
use crate::failure::{Check, Failure};
use crate::leak::root_reaches_truth;
use crate::report::SystemReport;
use crate::resume;
use crate::section::{differing, shown, withheld};
use crate::spy::Spy;
use jiebang_core::run::{self, RunInputs, RunSettings, ScorecardInputs, Silent, SutSpec};
use jiebang_core::{Dataset, Loaded};
use jiebang_scorecard::{HarnessPin, HostPin, Scorecard};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

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

    pub(crate) fn system(
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

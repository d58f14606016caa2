//! Scorecard assembly: pins from the log header, query accounting from the log, metrics from
//! scoring or timing, and indicator verdicts from `assemble_indicators`.

use super::RunError;
use super::log::{LogHeader, LogTally};
use crate::{BackendHandle, Declaration, Scores, SuiteSpec, Task};
use jiebang_scorecard::{
    DeclarationPin, HarnessPin, HostPin, Pins, QueryCounts, RunSummary, SCHEMA_VERSION, Scorecard,
    SutPin,
};

/// What the scorecard takes from outside the run: this build, this machine, the round and
/// the unit's declaration.
#[derive(Debug, Clone)]
pub struct ScorecardInputs {
    /// This build of jiebang.
    pub harness: HarnessPin,
    /// This machine.
    pub host: HostPin,
    /// The round, when certified in one.
    pub round: Option<String>,
    /// The unit's declaration, when given.
    pub declaration: Option<Declaration>,
}

/// Builds the unsealed scorecard of a run (or of merged shards, `shard = None`).
#[allow(clippy::too_many_arguments)]
pub(crate) fn assemble(
    h: &LogHeader,
    shard: Option<String>,
    tally: &LogTally,
    scores: Scores,
    task: &dyn Task,
    suite: &SuiteSpec,
    _backend: &BackendHandle,
    dataset_root: &str,
    sc: &ScorecardInputs,
) -> Result<Scorecard, RunError> {
    if let Some(d) = &sc.declaration {
        d.check_suite(suite)?;
    }
    let (name, version) = tally
        .sessions
        .first()
        .map(|s| (s.1.clone(), s.2.clone()))
        .unwrap_or_else(|| (h.sut.spec.clone(), None));
    let sut = SutPin {
        adapter: h.sut.adapter.clone(),
        name,
        version,
        command: (h.sut.adapter == "process").then(|| h.sut.spec.clone()),
        hash: h.sut.hash.clone(),
        files: h.sut.files.clone(),
    };
    let mut settings = h.settings.clone();
    settings.insert("dataset_root".into(), dataset_root.into());
    let text = |k: &str| {
        h.settings
            .get(k)
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    let mode = text("mode").unwrap_or_else(|| "accuracy".into());
    let metrics = scores.metrics;
    let mut indicators =
        crate::assemble_indicators(task.direction(), suite, &metrics, sc.declaration.as_ref());
    if mode == "performance" {
        for ind in indicators.iter_mut().filter(|i| i.measured.is_none()) {
            if !metrics.contains_key(&ind.metric) {
                ind.reason = Some(format!(
                    "`{}` is measured by an accuracy run; this is a performance run",
                    ind.metric
                ));
            }
        }
    }
    Ok(Scorecard {
        schema_version: SCHEMA_VERSION,
        id: None,
        pins: Pins {
            harness: h.harness.clone(),
            task: h.task.clone(),
            suite: h.suite.clone(),
            dataset: h.dataset.clone(),
            sut,
            backend: h.backend.clone(),
            host: sc.host.clone(),
            seed: h.seed,
            settings,
            declaration: sc.declaration.as_ref().map(|d| DeclarationPin {
                unit: d.unit.clone(),
                hash: d.hash.clone(),
            }),
            round: sc.round.clone(),
            shard,
            started_at: h.started_at.clone(),
        },
        run: RunSummary {
            mode,
            scenario: text("scenario"),
            queries: QueryCounts {
                issued: tally.issued,
                answered: tally.answered,
                failures: tally.failures(),
            },
            duration_s: tally.duration_s,
        },
        metrics,
        indicators,
        digests: scores.digests,
        samples: scores.samples,
        curves: scores.curves,
        signature: None,
    })
}

//! The task boundary: what a direction's crate provides (catalogue, suites, data, queries,
//! scoring, built-in systems) and what the runner owns (everything generic).

use crate::{CoreError, Dataset, DatasetDirs, Direction, SuiteSpec, TaskBase};
use jiebang_scorecard::{BackendPin, Metric, TaskPin};
use serde_json::{Map, Value};
use std::any::Any;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A direction's task crate.
pub trait Task: Send + Sync {
    /// The catalogue, embedded suites and crate pin the task holds.
    fn base(&self) -> &TaskBase;

    /// The direction and its indicator and metric catalogues.
    fn direction(&self) -> &Direction {
        self.base().direction()
    }

    /// The crate's name and version, pinned in scorecards.
    fn pin(&self) -> TaskPin {
        self.base().pin().clone()
    }

    /// The embedded suites.
    fn suites(&self) -> &[SuiteSpec] {
        self.base().suites()
    }

    /// Writes the deterministic synthetic dataset of `suite` into the two empty folders of
    /// `out`: what a SUT may read into `out.inputs`, labels and references into `out.truth`
    /// (not the manifest: the caller builds it). Paths that queries or label files name are
    /// relative to `inputs/`. `samples`/`seed` override the suite's defaults. Returns a
    /// one-line description of the generator (`name:version seed=.. samples=..`).
    fn generate(
        &self,
        suite: &SuiteSpec,
        out: &DatasetDirs,
        params: &GenerateParams,
        progress: &dyn Fn(u64, u64),
    ) -> Result<String, CoreError>;

    /// Loads a verified dataset for a suite (untimed): the sample library, built from the
    /// dataset's [inputs](Dataset::inputs) only, and the scorer, which reads its
    /// [truth](Dataset::truth). Every error names the dataset file at fault.
    fn load(&self, suite: &SuiteSpec, dataset: &Dataset) -> Result<Loaded, CoreError>;

    /// The label and reference files of this direction's datasets in the old unsplit layout
    /// (manifest schema 1), relative to the root: `jiebang data convert` moves them into
    /// `truth/` and every other file into `inputs/`.
    fn layout1_truth_files(&self) -> &'static [&'static str] {
        &[]
    }

    /// The built-in systems this crate registers.
    fn builtin_systems(&self) -> Vec<BuiltinInfo>;

    /// Creates a built-in system for a suite on a backend. `name` is as `builtin_systems` lists
    /// it, without the `builtin:` of `--sut builtin:NAME` (the runner strips that).
    fn builtin(
        &self,
        name: &str,
        ctx: &BuiltinContext,
    ) -> Result<Box<dyn BuiltinSystem>, CoreError>;

    /// A sample declaration (TOML) that `jiebang demo` scores the built-in systems against,
    /// so the demo shows measured vs. declared vs. national levels. `None` when there is none.
    fn demo_declaration(&self) -> Option<&'static str> {
        None
    }
}

/// Overrides for dataset generation.
#[derive(Debug, Clone, Default)]
pub struct GenerateParams {
    /// Number of samples (cases, utterances, kernels...), or the suite default.
    pub samples: Option<u64>,
    /// Seed, or the suite default.
    pub seed: Option<u64>,
}

impl GenerateParams {
    /// The sample count: the override or the suite's `dataset.samples`.
    pub fn samples_for(&self, suite: &SuiteSpec) -> Result<u64, CoreError> {
        self.samples
            .or(suite.dataset_u64("samples"))
            .ok_or_else(|| {
                suite.field_error("dataset.samples", "expected a positive integer".into())
            })
    }

    /// The seed: the override or the suite's `dataset.seed`.
    pub fn seed_for(&self, suite: &SuiteSpec) -> u64 {
        self.seed.or(suite.dataset_u64("seed")).unwrap_or(0)
    }
}

/// A built-in system's description.
#[derive(Debug, Clone)]
pub struct BuiltinInfo {
    /// Name used as `builtin:NAME`.
    pub name: &'static str,
    /// One line on what it is.
    pub description: &'static str,
    /// Suite ids it answers.
    pub suites: Vec<&'static str>,
    /// It injects faults on purpose (for tests of `jiebang compare`): `jiebang demo` skips it
    /// and `jiebang tasks` marks it.
    pub fault_injection: bool,
}

/// The compute device chosen with `--backend`, passed through the engine without the engine
/// naming the accelerator crate: tasks get it with `jiebang_accel::Device::from_handle`.
#[derive(Clone)]
pub struct BackendHandle {
    /// The scorecard pin of the device.
    pub pin: BackendPin,
    /// The device object.
    pub device: Arc<dyn Any + Send + Sync>,
}

/// What a built-in system is created with.
pub struct BuiltinContext {
    /// The suite.
    pub suite: SuiteSpec,
    /// The suite's sample library (inputs only).
    pub library: Arc<dyn SampleLibrary>,
    /// The backend.
    pub backend: BackendHandle,
}

/// A built-in (in-process Rust) system under test.
pub trait BuiltinSystem: Send + Sync {
    /// The system's version string.
    fn version(&self) -> String;

    /// Answers the query for sample `index` (`query` is what a process SUT would receive,
    /// without `type`/`id`). Timed. An `Err` is recorded as a malformed answer.
    fn answer(&self, index: usize, query: &Map<String, Value>) -> Result<Value, String>;
}

/// A task's sample library for one suite and dataset (after MLPerf LoadGen's QSL): loading
/// happened, untimed, in [`Task::load`]; it holds only what a SUT may see.
pub trait SampleLibrary: Send + Sync {
    /// Number of samples.
    fn len(&self) -> usize;

    /// Whether there are no samples.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A stable id of sample `index` (used in logs and predictions files).
    fn sample_id(&self, index: usize) -> String;

    /// The task fields of the query for sample `index` (the runner adds `type` and `id`).
    fn query(&self, index: usize) -> Map<String, Value>;

    /// For downcasting by the task's own built-in systems.
    fn as_any(&self) -> &dyn Any;
}

/// A task's scorer for one suite and dataset: it reads the truth, may use the backend (1:N
/// matching), and may be shared by several suites.
pub trait Scorer: Send + Sync {
    /// Checks an answer's shape; an `Err` (what is wrong, what was expected) makes the answer a
    /// `malformed` failure rather than a wrong answer.
    fn check_answer(&self, index: usize, answer: &Value) -> Result<(), String>;

    /// Scores answers. `answers` holds, in increasing sample index order, every sample of the
    /// run (the whole dataset, or one shard) with its answer, or `None` for a technical failure
    /// (which must count as wrong, never as right). Must be deterministic: the same answers give
    /// byte-identical metrics.
    fn score(
        &self,
        answers: &[(usize, Option<Value>)],
        ctx: &ScoreContext,
    ) -> Result<Scores, CoreError>;
}

/// A suite loaded on a dataset: what the runner issues queries from and what scores the
/// answers.
#[derive(Clone)]
pub struct Loaded {
    /// The samples (inputs only).
    pub library: Arc<dyn SampleLibrary>,
    /// The answer check and scoring (reads the truth).
    pub scorer: Arc<dyn Scorer>,
}

impl Loaded {
    /// A library and a scorer.
    pub fn new(library: Arc<dyn SampleLibrary>, scorer: Arc<dyn Scorer>) -> Self {
        Loaded { library, scorer }
    }
}

/// The task's own library type behind `library`, or an error naming `who` (a built-in system
/// or scorer) and the direction it expected.
pub fn library_as<'a, T: 'static>(
    library: &'a dyn SampleLibrary,
    who: &str,
    direction: &str,
) -> Result<&'a T, CoreError> {
    library.as_any().downcast_ref::<T>().ok_or_else(|| {
        CoreError::Other(format!(
            "{who}: the sample library is not a {direction} one (built for another direction)"
        ))
    })
}

/// What scoring may use.
pub struct ScoreContext {
    /// The suite.
    pub suite: SuiteSpec,
    /// The seed for any resampling.
    pub seed: u64,
    /// The backend, for heavy scoring (1:N matching).
    pub backend: BackendHandle,
    /// What the harness itself observed of each answered sample's query (by sample index), from
    /// the run log: the figure a task checks self-reported times against. Empty where nothing
    /// was observed (a predictions file) or for samples whose query failed.
    pub observed: BTreeMap<usize, Observed>,
}

/// The harness's own observation of one query, taken from the run log.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Observed {
    /// Seconds from issuing the query to receiving its answer: an upper bound on the time the
    /// system spent on it.
    pub wall_s: f64,
    /// Whether another query of the run was in flight at some moment of this one (its wall time
    /// may then include waiting for, or sharing the device with, that other query).
    pub overlapped: bool,
    /// Whether it was the first query of its SUT session (its wall time may include the
    /// system's one-time start-up work, such as a lazily created device context).
    pub first_in_session: bool,
    /// For the first query of a session: the seconds the harness observed from starting the
    /// system to its `ready` (work done before any query, which per-query times never see).
    /// `None` for other queries and for logs that did not record it.
    pub session_startup_s: Option<f64>,
}

/// The result of scoring.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scores {
    /// Metrics by id.
    pub metrics: BTreeMap<String, Metric>,
    /// Output digests by name.
    pub digests: BTreeMap<String, String>,
    /// Per-iteration samples by metric id.
    pub samples: BTreeMap<String, Vec<f64>>,
    /// Operating curves by id, copied into the scorecard for the published charts.
    pub curves: BTreeMap<String, jiebang_scorecard::Curve>,
    /// Answers that passed the shape check but that scoring found malformed, by sample index,
    /// with the reason (e.g. a self-reported time that the observed wall time contradicts).
    /// The scorecard counts them as `malformed` failures, never as answered.
    pub malformed: BTreeMap<usize, String>,
}

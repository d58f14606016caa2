//! Shared by the runner tests: a small mock direction (`mock`) whose samples are numbers with
//! a known label, a dataset of them on disk, and helpers to run suites against SUTs. Included
//! with `mod run_support;` by the `run_*` test files.
#![allow(dead_code)]

use jiebang_core::run::{RunInputs, RunReport, RunSettings, ScorecardInputs, Silent, Sut, SutSpec};
use jiebang_core::*;
use jiebang_scorecard::{BackendPin, Better, Comparison, HarnessPin, HostPin, Metric, Scorecard};
use serde_json::{Map, Value, json};
use sha2::Digest;
use std::any::Any;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// The label of sample `i`: positive when `i % 3 == 0`.
pub fn label(i: usize) -> bool {
    i.is_multiple_of(3)
}

/// The mock direction's task crate.
pub struct MockTask {
    base: TaskBase,
}

/// The mock suite's TOML with `samples` samples and extra `[settings]` lines.
pub fn suite_toml(samples: usize, settings: &str) -> String {
    format!(
        "schema_version = 1\nid = \"mock/labels\"\nversion = 1\ndirection = \"mock\"\n\
         title = \"mock labels\"\ndescription = \"numbers with a known label\"\n\
         metrics = [\"mock.accuracy\"]\nindicators = [\"mock.accuracy_rate\"]\n\
         [dataset]\nsamples = {samples}\nseed = 1\n[settings]\n{settings}\n"
    )
}

impl MockTask {
    /// A task whose one suite has `samples` samples and the given settings.
    pub fn new(samples: usize, settings: &str) -> Self {
        let suite = SuiteSpec::from_toml(Path::new("mock.toml"), &suite_toml(samples, settings))
            .expect("mock suite");
        let direction = Direction {
            id: "mock",
            name_zh: "模拟",
            name_en: "mock",
            indicators: vec![Indicator {
                id: "mock.accuracy_rate",
                name_zh: "准确率",
                name_en: "accuracy",
                metric: "mock.accuracy",
                national_target: Some(NationalTarget {
                    comparison: Comparison::Gt,
                    value: 0.5,
                    source: "test",
                    unconfirmed: false,
                }),
            }],
            metrics: vec![MetricSpec::new(
                "mock.accuracy",
                "ratio",
                Better::Higher,
                MetricKind::Proportion,
                "share of samples answered right",
            )],
            digests: vec![],
        };
        let pin = pin_of_crate("mock", "mock-task", "0.0.1");
        Self {
            base: TaskBase::from_suites(direction, pin, vec![suite]),
        }
    }

    /// Its suite.
    pub fn suite(&self) -> SuiteSpec {
        self.base.suites()[0].clone()
    }
}

/// The mock sample library: `n` numbers.
pub struct MockSamples {
    n: usize,
}

/// The mock scorer: the labels are known from the sample index.
pub struct MockScorer;

impl SampleLibrary for MockSamples {
    fn len(&self) -> usize {
        self.n
    }
    fn sample_id(&self, index: usize) -> String {
        format!("s{index:04}")
    }
    fn query(&self, index: usize) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("x".into(), json!(index));
        m
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl Scorer for MockScorer {
    fn check_answer(&self, _index: usize, answer: &Value) -> Result<(), String> {
        match answer.get("positive") {
            Some(Value::Bool(_)) => Ok(()),
            _ => Err("expected {\"positive\": true|false}".into()),
        }
    }
    fn score(
        &self,
        answers: &[(usize, Option<Value>)],
        _ctx: &ScoreContext,
    ) -> Result<Scores, CoreError> {
        let n = answers.len() as u64;
        let right = answers
            .iter()
            .filter(|(i, a)| {
                a.as_ref()
                    .and_then(|a| a.get("positive"))
                    .and_then(Value::as_bool)
                    == Some(label(*i))
            })
            .count() as u64;
        let est = jiebang_metrics::proportion::rate_estimate(
            right,
            n,
            jiebang_metrics::proportion::ProportionInterval::Wilson,
        )
        .map_err(|e| CoreError::Other(e.to_string()))?;
        let mut s = Scores::default();
        s.metrics.insert(
            "mock.accuracy".into(),
            Metric {
                value: Some(est.value),
                ci95: est.ci95.map(|(a, b)| [a, b]),
                ci_method: Some(jiebang_scorecard::CiMethod::Wilson),
                n,
                unit: "ratio".into(),
                reason: None,
                self_reported: None,
                convention: None,
                n_smaller_class: None,
            },
        );
        let canon = jiebang_scorecard::to_canonical_bytes(&answers.to_vec()).unwrap();
        s.digests
            .insert("answers".into(), hex::encode(sha2::Sha256::digest(&canon)));
        Ok(s)
    }
}

/// A built-in that answers right (`oracle`) or by parity (`parity`).
struct Rule(bool);
impl BuiltinSystem for Rule {
    fn version(&self) -> String {
        "1.0".into()
    }
    fn answer(&self, index: usize, query: &Map<String, Value>) -> Result<Value, String> {
        let x = query.get("x").and_then(Value::as_u64).ok_or("no x")? as usize;
        assert_eq!(x, index);
        Ok(json!({ "positive": if self.0 { label(x) } else { x.is_multiple_of(2) } }))
    }
}

impl Task for MockTask {
    fn base(&self) -> &TaskBase {
        &self.base
    }
    fn generate(
        &self,
        suite: &SuiteSpec,
        out: &DatasetDirs,
        params: &GenerateParams,
        _progress: &dyn Fn(u64, u64),
    ) -> Result<String, CoreError> {
        let n = params.samples_for(suite)?;
        let p = out.truth.join("count.txt");
        std::fs::write(&p, n.to_string()).map_err(|e| CoreError::io(&p, e))?;
        Ok(format!("mock:1 samples={n}"))
    }
    fn load(&self, _suite: &SuiteSpec, ds: &Dataset) -> Result<Loaded, CoreError> {
        let p = ds.truth().path("count.txt", "the sample count")?;
        let text = ds.truth().read_text("count.txt", 64, "the sample count")?;
        let n = text
            .trim()
            .parse()
            .map_err(|_| CoreError::invalid(&p, Some(1), "expected a count"))?;
        Ok(Loaded::new(
            Arc::new(MockSamples { n }),
            Arc::new(MockScorer),
        ))
    }
    fn builtin_systems(&self) -> Vec<BuiltinInfo> {
        vec![
            BuiltinInfo {
                name: "oracle",
                description: "answers right",
                suites: vec!["mock/labels@1"],
                fault_injection: false,
            },
            BuiltinInfo {
                name: "parity",
                description: "answers by parity",
                suites: vec!["mock/labels@1"],
                fault_injection: false,
            },
        ]
    }
    fn builtin(
        &self,
        name: &str,
        _ctx: &BuiltinContext,
    ) -> Result<Box<dyn BuiltinSystem>, CoreError> {
        Ok(Box::new(Rule(name == "oracle")))
    }
}

/// A world for one test: task, dataset on disk, backend, output directory.
pub struct World {
    /// The task.
    pub task: Arc<MockTask>,
    /// The directory everything is written to.
    pub dir: PathBuf,
    _guard: Option<tempfile::TempDir>,
    /// The dataset in `dir/data`.
    pub dataset: Dataset,
    /// Its samples and scorer.
    pub loaded: Loaded,
}

impl World {
    /// A world in a fresh temporary directory.
    pub fn new(samples: usize, settings: &str) -> Self {
        let guard = tempfile::tempdir().unwrap();
        let mut w = Self::in_dir(guard.path(), samples, settings);
        w._guard = Some(guard);
        w
    }

    /// A world in `dir`, generating the dataset in `dir/data` unless it is already there.
    pub fn in_dir(dir: &Path, samples: usize, settings: &str) -> Self {
        let task = Arc::new(MockTask::new(samples, settings));
        let root = dir.join("data");
        if !root.join(MANIFEST_FILE).exists() {
            let dirs = DatasetDirs::create(&root).unwrap();
            let generator = task
                .generate(&task.suite(), &dirs, &GenerateParams::default(), &|_, _| {})
                .unwrap();
            let mut meta = std::collections::BTreeMap::new();
            meta.insert("generator".into(), json!(generator));
            Manifest::build(&root, meta).unwrap().write(&root).unwrap();
        }
        let dataset = Dataset::open_verified(&root).unwrap();
        let loaded = task.load(&task.suite(), &dataset).unwrap();
        Self {
            task,
            dir: dir.to_path_buf(),
            _guard: None,
            dataset,
            loaded,
        }
    }

    /// A path in the world's directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Run inputs for a log named `log` in the directory.
    pub fn inputs(&self, settings: RunSettings, log: &str, resume: bool) -> RunInputs {
        RunInputs {
            task: self.task.clone(),
            suite: self.task.suite(),
            suite_source: "embedded".into(),
            dataset: self.dataset.clone(),
            loaded: self.loaded.clone(),
            backend: backend(),
            settings,
            log: self.path(log),
            resume,
        }
    }

    /// Opens the SUT a `--sut` spec names.
    pub fn open(&self, spec: &str) -> Arc<dyn Sut> {
        jiebang_core::run::sut::open(
            &SutSpec::parse(spec).unwrap(),
            &[],
            self.task.as_ref(),
            &self.task.suite(),
            &self.loaded.library,
            &backend(),
            None,
        )
        .unwrap()
    }

    /// Runs the suite against `sut`.
    pub fn run(
        &self,
        sut: Arc<dyn Sut>,
        settings: RunSettings,
        log: &str,
        resume: bool,
    ) -> Result<RunReport, jiebang_core::run::RunError> {
        jiebang_core::run::run(
            &self.inputs(settings, log, resume),
            sut,
            &card_inputs(),
            &Silent,
        )
    }
}

/// A CPU backend handle for tests.
pub fn backend() -> BackendHandle {
    BackendHandle {
        pin: BackendPin {
            kind: "cpu".into(),
            device: "test".into(),
            vendor: None,
            api: None,
            driver: None,
            driver_info: None,
            device_type: None,
        },
        device: Arc::new(()),
    }
}

/// Scorecard inputs for tests.
pub fn card_inputs() -> ScorecardInputs {
    ScorecardInputs {
        harness: HarnessPin {
            version: "0.0.0-test".into(),
            git_commit: None,
        },
        host: HostPin {
            os: "linux".into(),
            arch: "x86_64".into(),
            cpu: None,
            threads: 2,
        },
        round: None,
        declaration: None,
    }
}

/// A process SUT command running a fixture script with python3.
pub fn fixture(script: &str, args: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/suts")
        .join(script);
    format!("python3 {} {args}", p.display())
}

/// The mock accuracy metric of a scorecard.
pub fn accuracy(sc: &Scorecard) -> f64 {
    sc.metrics["mock.accuracy"].value.unwrap()
}

/// `right` of `n` as a share.
pub fn right_share(n: usize, right: usize) -> f64 {
    right as f64 / n as f64
}

/// Default settings.
pub fn settings() -> RunSettings {
    RunSettings::default()
}

/// Default settings with `--set` pairs.
pub fn with(pairs: &[(&str, &str)]) -> RunSettings {
    let mut s = RunSettings::default();
    for (k, v) in pairs {
        s.set(k, v).unwrap();
    }
    s
}

/// A short latency.
pub const SHORT: Duration = Duration::from_millis(1);

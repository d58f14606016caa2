//! The kit fails when a task breaks a rule: the example direction wrapped so that it breaks
//! one rule at a time (a query naming a truth file, a non-deterministic scorer, an unknown
//! metric id, an answer check that accepts anything, an unseeded generator, a score that
//! changes on resume). Unbroken, the wrapper conforms.

use jiebang_core::{
    BuiltinContext, BuiltinInfo, BuiltinSystem, CoreError, Dataset, DatasetDirs, GenerateParams,
    Loaded, SampleLibrary, ScoreContext, Scorer, Scores, SuiteSpec, Task, TaskBase,
};
use jiebang_kit::{Check, Failures, Options, check};
use serde_json::{Map, Value};
use std::any::Any;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Clone, Copy, PartialEq)]
enum Fault {
    None,
    /// Sample 3's query carries this string.
    QueryNames(&'static str),
    /// Each scoring takes a little more off the accuracy.
    DriftingScore,
    /// The scorer adds a metric the catalogue does not list.
    UnknownMetric,
    /// The answer check accepts anything.
    AcceptsAnything,
    /// The generator adds an input file whose bytes differ each time.
    Unseeded,
    /// The accuracy drops by 0.01 per session after the first.
    SessionCounted,
}

struct Broken {
    inner: Arc<dyn Task>,
    fault: Fault,
}

struct Library {
    inner: Arc<dyn SampleLibrary>,
    fault: Fault,
}

impl SampleLibrary for Library {
    fn len(&self) -> usize {
        self.inner.len()
    }
    fn sample_id(&self, index: usize) -> String {
        self.inner.sample_id(index)
    }
    fn query(&self, index: usize) -> Map<String, Value> {
        let mut q = self.inner.query(index);
        if let Fault::QueryNames(s) = self.fault
            && index == 3
        {
            q.insert("hint".into(), serde_json::json!({ "files": [s] }));
        }
        q
    }
    fn as_any(&self) -> &dyn Any {
        self.inner.as_any()
    }
}

struct Scoring {
    inner: Arc<dyn Scorer>,
    fault: Fault,
}

static SCORED: AtomicU64 = AtomicU64::new(0);

impl Scorer for Scoring {
    fn check_answer(&self, index: usize, answer: &Value) -> Result<(), String> {
        if self.fault == Fault::AcceptsAnything {
            return Ok(());
        }
        self.inner.check_answer(index, answer)
    }
    fn score(
        &self,
        answers: &[(usize, Option<Value>)],
        ctx: &ScoreContext,
    ) -> Result<Scores, CoreError> {
        let mut s = self.inner.score(answers, ctx)?;
        let m = s
            .metrics
            .get_mut("parity.accuracy")
            .expect("the example's metric");
        match self.fault {
            Fault::DriftingScore => {
                let k = SCORED.fetch_add(1, Ordering::SeqCst) as f64;
                m.value = m.value.map(|v| v - 1e-9 * k);
            }
            Fault::SessionCounted => {
                let sessions = ctx.observed.values().filter(|o| o.first_in_session).count();
                m.value = m
                    .value
                    .map(|v| v - 0.01 * sessions.saturating_sub(1) as f64);
            }
            Fault::UnknownMetric => {
                let copy = m.clone();
                s.metrics.insert("parity.bogus".into(), copy);
            }
            _ => {}
        }
        Ok(s)
    }
}

impl Task for Broken {
    fn base(&self) -> &TaskBase {
        self.inner.base()
    }
    fn generate(
        &self,
        suite: &SuiteSpec,
        out: &DatasetDirs,
        params: &GenerateParams,
        progress: &dyn Fn(u64, u64),
    ) -> Result<String, CoreError> {
        let line = self.inner.generate(suite, out, params, progress)?;
        if self.fault == Fault::Unseeded {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or_default();
            let path = out.inputs.join("noise.txt");
            std::fs::write(&path, format!("{nanos}\n")).map_err(|e| CoreError::io(&path, e))?;
        }
        Ok(line)
    }
    fn load(&self, suite: &SuiteSpec, dataset: &Dataset) -> Result<Loaded, CoreError> {
        let l = self.inner.load(suite, dataset)?;
        Ok(Loaded::new(
            Arc::new(Library {
                inner: l.library,
                fault: self.fault,
            }),
            Arc::new(Scoring {
                inner: l.scorer,
                fault: self.fault,
            }),
        ))
    }
    fn builtin_systems(&self) -> Vec<BuiltinInfo> {
        self.inner.builtin_systems()
    }
    fn builtin(
        &self,
        name: &str,
        ctx: &BuiltinContext,
    ) -> Result<Box<dyn BuiltinSystem>, CoreError> {
        self.inner.builtin(name, ctx)
    }
}

fn run(fault: Fault) -> Result<jiebang_kit::Report, Failures> {
    let task = Arc::new(Broken {
        inner: jiebang_example::task(),
        fault,
    });
    check(task, &Options::samples(12))
}

/// The text of the kit's failures for `fault`, which must include one of `check`.
fn failing(fault: Fault, check: Check) -> String {
    let f = run(fault).expect_err("the kit should fail");
    assert!(f.has(check), "expected a {check:?} failure, got:\n{f}");
    f.to_string()
}

#[test]
fn the_unbroken_wrapper_conforms() {
    let r = run(Fault::None).unwrap();
    assert_eq!(r.suites.len(), 1);
    assert_eq!(
        r.suites[0].systems.len(),
        1,
        "the fault injector is skipped"
    );
    assert_eq!(r.suites[0].systems[0].system, "builtin:parity");
    assert_eq!(r.suites[0].refused, 4);
}

#[test]
fn a_query_naming_a_truth_file_fails() {
    for leak in [
        "truth/parity.jsonl",
        "parity.jsonl",
        "../truth/parity.jsonl",
        "../truth",
    ] {
        let text = failing(Fault::QueryNames(leak), Check::Truth);
        assert!(
            text.contains(
                "[truth] suite example/parity@1 sample n00003: query field `/hint/files/0`"
            ),
            "{leak}: {text}"
        );
    }
    // An input file named in a query is what queries are for.
    run(Fault::QueryNames("numbers.jsonl")).unwrap();
}

#[test]
fn a_non_deterministic_scorer_fails() {
    let text = failing(Fault::DriftingScore, Check::Determinism);
    assert!(
        text.contains(
            "system builtin:parity: scoring the same log again gave `metrics.parity.accuracy`"
        ),
        "{text}"
    );
}

#[test]
fn an_unknown_metric_id_fails() {
    let text = failing(Fault::UnknownMetric, Check::Catalogue);
    assert!(text.contains("`parity.bogus`"), "{text}");
}

#[test]
fn an_answer_check_that_accepts_anything_fails() {
    let text = failing(Fault::AcceptsAnything, Check::AnswerCheck);
    assert!(
        text.contains("sample n00000: every malformed probe answer"),
        "{text}"
    );
}

#[test]
fn an_unseeded_generator_fails() {
    let text = failing(Fault::Unseeded, Check::DatasetId);
    assert!(
        text.contains("first differing at `inputs/noise.txt`"),
        "{text}"
    );
}

#[test]
fn a_score_that_changes_on_resume_fails() {
    let text = failing(Fault::SessionCounted, Check::Resume);
    assert!(
        text.contains("after resuming a run cut after 6 of 12 queries, `metrics.parity.accuracy`"),
        "{text}"
    );
}

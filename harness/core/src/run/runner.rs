//! The runner: drives a suite × SUT × mode × scenario from samples to scorecard. An accuracy
//! run issues each sample of its shard once (skipping those a resumed log already holds) and
//! scores the logged answers; a performance run warms up, then times a pass under its scenario.

use super::card::{ScorecardInputs, assemble};
use super::log::{
    EndRecord, LOG_SCHEMA_VERSION, LogContents, LogEvent, LogHeader, LogLine, LogSink, LogTally,
    Logger, PassRecord, SessionRecord, SutIdentity, check_header, read_log,
};
use super::session::{
    Issue, PassEnd, PassObserver, PassResult, PassSpec, Plan, SlotState, Stop, run_pass,
};
use super::sut::{Sut, SutStart};
use super::{Effective, Mode, Outcome, RunError, RunSettings, Scenario};
use crate::{BackendHandle, Dataset, Loaded, ScoreContext, Scores, SuiteSpec, Task};
use jiebang_scorecard::{DatasetPin, HarnessPin, Scorecard, SuitePin};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// What a run is of.
pub struct RunInputs {
    /// The task crate of the suite's direction.
    pub task: Arc<dyn Task>,
    /// The suite.
    pub suite: SuiteSpec,
    /// `embedded` or the suite file's path.
    pub suite_source: String,
    /// The verified dataset.
    pub dataset: Dataset,
    /// Its sample library and scorer (`Task::load`).
    pub loaded: Loaded,
    /// The backend (scoring, built-in systems).
    pub backend: BackendHandle,
    /// What the user asked for.
    pub settings: RunSettings,
    /// The per-query log.
    pub log: PathBuf,
    /// Continue the run in `log` instead of starting one.
    pub resume: bool,
}

/// Hears how a run goes (progress bars, plain lines). Called from the watchdog thread a few
/// times a second, never per query.
pub trait RunObserver: Sync {
    /// A phase begins (`accuracy`, `warm-up`, `timed`); `planned` is 0 when open-ended.
    fn phase(&self, _label: &str, _planned: u64) {}
    /// `done` of `planned` queries have ended.
    fn progress(&self, _done: u64, _planned: u64) {}
    /// A phase ended.
    fn phase_done(&self, _summary: &str) {}
    /// Something the user should know.
    fn note(&self, _message: &str) {}
    /// Something the user should act on (shown even when progress is not).
    fn warn(&self, message: &str) {
        self.note(message);
    }
    /// A flag that asks the run to stop (set by a SIGINT/SIGTERM handler): the pass stops
    /// issuing, the SUT is stopped and the run ends with [`RunError::Interrupted`].
    fn stop_flag(&self) -> Option<&'static AtomicBool> {
        None
    }
}

/// An observer that shows nothing.
pub struct Silent;
impl RunObserver for Silent {}

struct Bridge<'a>(&'a dyn RunObserver);
impl PassObserver for Bridge<'_> {
    fn progress(&self, done: u64, planned: u64) {
        self.0.progress(done, planned);
    }
}

/// What a finished run returns.
pub struct RunReport {
    /// The scorecard, not yet sealed.
    pub scorecard: Scorecard,
    /// The per-query log.
    pub log: PathBuf,
    /// Samples the log already held when this run started (resume).
    pub already_recorded: u64,
}

/// UTC now as RFC 3339 (seconds).
pub fn now_rfc3339() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

/// The dataset's scorecard pin.
pub fn dataset_pin(ds: &Dataset, samples: usize) -> DatasetPin {
    DatasetPin {
        hash: ds.hash.clone(),
        files: ds.manifest.files.len() as u64,
        bytes: ds.manifest.total_bytes(),
        samples: samples as u64,
        generator: ds
            .manifest
            .meta
            .get("generator")
            .and_then(|v| v.as_str())
            .map(str::to_string),
    }
}

/// The identity of a SUT in logs (name and version are per session).
pub fn sut_identity(sut: &dyn Sut) -> SutIdentity {
    let pin = sut.pin();
    SutIdentity {
        spec: pin
            .command
            .clone()
            .or_else(|| {
                pin.files
                    .first()
                    .filter(|_| pin.adapter == "predictions")
                    .map(|f| f.path.clone())
            })
            .unwrap_or_else(|| pin.name.clone()),
        adapter: pin.adapter,
        hash: pin.hash,
        files: pin.files,
    }
}

fn root_text(ds: &Dataset) -> String {
    ds.root
        .canonicalize()
        .unwrap_or_else(|_| ds.root.clone())
        .display()
        .to_string()
}

fn header(
    inp: &RunInputs,
    eff: &Effective,
    sut: &dyn Sut,
    harness: &HarnessPin,
    n: u64,
) -> LogHeader {
    LogHeader {
        schema_version: LOG_SCHEMA_VERSION,
        harness: harness.clone(),
        task: inp.task.pin(),
        suite: SuitePin {
            id: inp.suite.id.clone(),
            version: inp.suite.version,
            hash: inp.suite.hash(),
            source: inp.suite_source.clone(),
        },
        dataset: dataset_pin(&inp.dataset, inp.loaded.library.len()),
        dataset_root: root_text(&inp.dataset),
        sut: sut_identity(sut),
        backend: inp.backend.pin.clone(),
        settings: eff.map.clone(),
        seed: eff.seed,
        shard: eff.shard.map(|s| s.to_string()),
        samples: n,
        started_at: now_rfc3339(),
    }
}

/// Runs a suite against a SUT and returns the scorecard (unsealed). The log at `inputs.log`
/// is kept whatever happens; a SUT that dies ends the run with [`RunError::SutLost`].
pub fn run(
    inputs: &RunInputs,
    sut: Arc<dyn Sut>,
    sc: &ScorecardInputs,
    observer: &dyn RunObserver,
) -> Result<RunReport, RunError> {
    let eff = inputs.settings.normalise(&inputs.suite)?;
    if inputs.suite.direction != inputs.task.direction().id {
        return Err(RunError::Unsupported(format!(
            "suite {} belongs to direction `{}`, not `{}`",
            inputs.suite.full_id(),
            inputs.suite.direction,
            inputs.task.direction().id
        )));
    }
    match eff.mode {
        Mode::Accuracy => run_accuracy(inputs, &eff, sut, sc, observer),
        Mode::Performance => run_performance(inputs, &eff, sut, sc, observer),
    }
}

fn start(
    inputs: &RunInputs,
    eff: &Effective,
    sut: &Arc<dyn Sut>,
    log: &LogSink,
    fresh: bool,
) -> Result<(), RunError> {
    // The SUT is given the inputs part only: the truth part lies outside what it is pointed at.
    let inputs_root = inputs.dataset.inputs_root();
    sut.start(&SutStart {
        suite: inputs.suite.full_id(),
        dataset_root: inputs_root.canonicalize().unwrap_or(inputs_root),
        log: log.clone(),
        startup_timeout: Duration::from_secs_f64(eff.startup_timeout_s),
        max_line_bytes: eff.max_line_bytes,
        max_in_flight: eff.max_in_flight,
        parallel: matches!(eff.scenario, Some(Scenario::Offline | Scenario::Server)),
        shard: eff.shard,
        fresh,
    })
}

fn stop_requested(obs: &dyn RunObserver) -> bool {
    obs.stop_flag().is_some_and(|f| f.load(Ordering::SeqCst))
}

/// Samples of `all` with a record in the log, and how many of those are failures.
fn recorded_in(log: &Path, all: &[usize]) -> Option<(u64, u64)> {
    let t = read_log(log).and_then(|c| c.tally()).ok()?;
    let mut recorded = 0;
    let mut failed = 0;
    for k in all {
        if let Some(a) = t.answers.get(k) {
            recorded += 1;
            failed += u64::from(a.is_none());
        }
    }
    Some((recorded, failed))
}

fn interrupted_accuracy(log: &Path, recorded: u64, planned: u64) -> RunError {
    RunError::Interrupted {
        log: log.to_path_buf(),
        message: format!(
            "{recorded} of {planned} samples recorded in {}; rerun the same command with --resume",
            log.display()
        ),
    }
}

fn lost(
    end: PassEnd,
    log: &Path,
    (recorded, failed): (u64, u64),
    planned: u64,
    mode: Mode,
) -> RunError {
    let message = match end {
        PassEnd::Lost { message } | PassEnd::Hung { message } => message,
        PassEnd::Complete | PassEnd::Interrupted => "the run stopped".into(),
    };
    let hint = match mode {
        Mode::Accuracy if planned > 0 && recorded >= planned => format!(
            "all {planned} samples are recorded ({failed} as failures); run the same command with --resume to score the log"
        ),
        Mode::Accuracy => format!(
            "the queries in flight are recorded as failures; `--resume` (same command) finishes the other {} samples with a fresh SUT",
            planned.saturating_sub(recorded)
        ),
        Mode::Performance => {
            "a performance run cannot be resumed; fix the SUT and run it again".into()
        }
    };
    RunError::SutLost {
        message,
        log: log.to_path_buf(),
        recorded,
        planned,
        hint,
    }
}

fn run_accuracy(
    inp: &RunInputs,
    eff: &Effective,
    sut: Arc<dyn Sut>,
    sc: &ScorecardInputs,
    obs: &dyn RunObserver,
) -> Result<RunReport, RunError> {
    let all: Vec<usize> = (0..inp.loaded.library.len())
        .filter(|&k| eff.shard.is_none_or(|s| s.contains(k)))
        .collect();
    let expected = header(inp, eff, sut.as_ref(), &sc.harness, all.len() as u64);
    let existing = if inp.log.exists() {
        if !inp.resume {
            return Err(RunError::log(
                &inp.log,
                None,
                "a log is already there; pass --resume to continue that run, or remove the file (or choose another --out) to start a new one",
            ));
        }
        let c = read_log(&inp.log)?;
        check_header(&inp.log, &c.header, &expected)?;
        if c.torn {
            obs.note(&format!(
                "{}: ignoring a torn last line (the run was killed while writing it)",
                inp.log.display()
            ));
        }
        Some(c)
    } else {
        if inp.resume {
            obs.note(&format!(
                "{}: no log to resume; starting a new run",
                inp.log.display()
            ));
        }
        None
    };
    let (session, recorded, keep_len, first_session) = match &existing {
        Some(c) => {
            let t = c.tally()?;
            let session = t.sessions.iter().map(|s| s.0).max().unwrap_or(0) + 1;
            let recorded: BTreeSet<usize> = t.answers.keys().copied().collect();
            (
                session,
                recorded,
                Some(c.valid_len),
                t.sessions.first().cloned(),
            )
        }
        None => (1, BTreeSet::new(), None, None),
    };
    let remaining: Vec<usize> = all
        .iter()
        .copied()
        .filter(|k| !recorded.contains(k))
        .collect();
    let already = (all.len() - remaining.len()) as u64;
    if all.is_empty() && existing.is_none() {
        // More shards than samples (a job array wider than the dataset): this shard's log is
        // complete as it is, so that `jiebang merge` gets every shard. No SUT is started.
        let logger = Logger::open(&inp.log, None, inp.loaded.clone(), 1, true)?;
        logger
            .sink()
            .send(LogEvent::Line(LogLine::Header(Box::new(expected.clone()))));
        logger.sink().send(LogEvent::Line(LogLine::End(EndRecord {
            session: 1,
            elapsed_s: 0.0,
            completed_at: now_rfc3339(),
        })));
        logger.close()?;
        obs.warn(&format!(
            "warning: shard {} has no samples (the dataset has {}); wrote its empty log for `jiebang merge`",
            eff.shard.map(|s| s.to_string()).unwrap_or_default(),
            inp.loaded.library.len()
        ));
    } else if !remaining.is_empty() {
        let logger = Logger::open(&inp.log, keep_len, inp.loaded.clone(), session, true)?;
        if existing.is_none() {
            logger
                .sink()
                .send(LogEvent::Line(LogLine::Header(Box::new(expected.clone()))));
        }
        let startup = Instant::now();
        let started = sut
            .load(&inp.loaded.library, &remaining)
            .and_then(|()| start(inp, eff, &sut, logger.sink(), existing.is_none()));
        let startup_s = startup.elapsed().as_secs_f64();
        if let Err(e) = started {
            // A new log holding nothing but its header is removed, so the same command can be
            // run again without --resume; the error quotes the SUT's stderr.
            let _ = logger.close();
            if existing.is_none() {
                let _ = std::fs::remove_file(&inp.log);
            }
            return Err(e);
        }
        if stop_requested(obs) {
            sut.abort();
            let _ = sut.end();
            logger.close()?;
            return Err(interrupted_accuracy(&inp.log, already, all.len() as u64));
        }
        let pin = sut.pin();
        if let Some((_, name, version)) = &first_session
            && (name != &pin.name || version != &pin.version)
        {
            sut.abort();
            let _ = sut.end();
            return Err(RunError::log(
                &inp.log,
                None,
                format!(
                    "the SUT now reports `{} {}` but the log's first session was `{name} {}`; resume with the same system",
                    pin.name,
                    pin.version.as_deref().unwrap_or("(no version)"),
                    version.as_deref().unwrap_or("(no version)")
                ),
            ));
        }
        logger
            .sink()
            .send(LogEvent::Line(LogLine::Session(SessionRecord {
                session,
                started_at: now_rfc3339(),
                sut_name: pin.name.clone(),
                sut_version: pin.version.clone(),
                already_recorded: already,
                startup_s: Some(startup_s),
            })));
        if already > 0 {
            obs.note(&format!(
                "resuming: {already} of {} samples already recorded, {} to go",
                all.len(),
                remaining.len()
            ));
        }
        obs.phase("accuracy", remaining.len() as u64);
        let clock = Instant::now();
        let res = run_pass(
            &sut,
            PassSpec {
                base_id: 0,
                plan: Plan::List(remaining.clone().into()),
                stop: Stop::Count(remaining.len() as u64),
                issue: Issue::Closed {
                    window: eff.max_in_flight,
                },
                timeout: Duration::from_secs_f64(eff.timeout_s),
                max_consecutive_timeouts: eff.max_consecutive_timeouts,
                log_answers: true,
                count_strays: true,
                pass: None,
                clock,
                interrupt: obs.stop_flag(),
            },
            logger.sink(),
            &Bridge(obs),
        );
        if res.end != PassEnd::Complete {
            sut.abort();
            let _ = sut.end();
            logger.close()?;
            let done = res
                .queries
                .iter()
                .filter(|q| q.3 != SlotState::Pending)
                .count() as u64;
            let counts = recorded_in(&inp.log, &all).unwrap_or((already + done, 0));
            if res.end == PassEnd::Interrupted {
                return Err(interrupted_accuracy(&inp.log, counts.0, all.len() as u64));
            }
            return Err(lost(
                res.end,
                &inp.log,
                counts,
                all.len() as u64,
                Mode::Accuracy,
            ));
        }
        sut.end()?;
        if let Some(message) = logger.sink().flooded() {
            // Stray answers flooded in after the last query was answered.
            logger.close()?;
            let counts = recorded_in(&inp.log, &all).unwrap_or((all.len() as u64, 0));
            return Err(lost(
                PassEnd::Lost { message },
                &inp.log,
                counts,
                all.len() as u64,
                Mode::Accuracy,
            ));
        }
        logger.sink().send(LogEvent::Line(LogLine::End(EndRecord {
            session,
            elapsed_s: clock.elapsed().as_secs_f64(),
            completed_at: now_rfc3339(),
        })));
        logger.close()?;
        obs.phase_done("all samples answered or failed");
    } else if existing.is_some() {
        obs.note("every sample is already recorded; scoring the log");
    }
    if stop_requested(obs) {
        return Err(interrupted_accuracy(
            &inp.log,
            all.len() as u64,
            all.len() as u64,
        ));
    }
    let contents = read_log(&inp.log)?;
    if !remaining.is_empty() {
        report_unusable(&contents, session, obs);
    }
    let scorecard = score_logs(
        &[contents],
        inp.task.as_ref(),
        &inp.suite,
        &inp.loaded,
        &inp.backend,
        &root_text(&inp.dataset),
        sc,
    )?;
    Ok(RunReport {
        scorecard,
        log: inp.log.clone(),
        already_recorded: already,
    })
}

/// Shows the first few answers of `session` that could not be used (malformed answers, and
/// stray lines such as a predictions file's unparsable or unknown-sample lines) with a count;
/// the log holds them all.
fn report_unusable(contents: &LogContents, session: u32, obs: &dyn RunObserver) {
    const SHOWN: usize = 5;
    // A stray record may stand for many answers (the count past the first of its kind).
    let issues: Vec<(String, u64)> = contents
        .lines
        .iter()
        .filter_map(|(_, l)| match l {
            LogLine::Stray(s) if s.session == session && s.counted => {
                Some((format!("{} [{}]", s.detail, s.kind), s.count))
            }
            LogLine::Query(q) if q.session == session && q.outcome == "malformed" => Some((
                format!(
                    "sample {}: {} [malformed]",
                    q.sample,
                    q.detail.as_deref().unwrap_or("")
                ),
                1,
            )),
            _ => None,
        })
        .collect();
    if issues.is_empty() {
        return;
    }
    let total: u64 = issues.iter().map(|i| i.1).sum();
    let mut text = format!(
        "warning: {total} answer(s) could not be used; the first {}:",
        issues.len().min(SHOWN)
    );
    for (i, _) in issues.iter().take(SHOWN) {
        text.push_str("\n  ");
        text.push_str(&super::log::preview(i, 300));
    }
    if issues.len() > SHOWN {
        let shown: u64 = issues.iter().take(SHOWN).map(|i| i.1).sum();
        text.push_str(&format!(
            "\n  ... and {} more in {}",
            total - shown,
            contents.path.display()
        ));
    }
    obs.warn(&text);
}

/// Scores one or more accuracy logs of the same run (a whole run, or every shard of it) into a
/// scorecard. Used by `run` (one log) and `merge` (shard logs); both give the same metrics.
pub fn score_logs(
    logs: &[LogContents],
    task: &dyn Task,
    suite: &SuiteSpec,
    loaded: &Loaded,
    backend: &BackendHandle,
    dataset_root: &str,
    sc: &ScorecardInputs,
) -> Result<Scorecard, RunError> {
    let Some(first) = logs.first() else {
        return Err(RunError::Unsupported("no logs to score".into()));
    };
    let mut tally = LogTally::default();
    let mut observed = std::collections::BTreeMap::new();
    let mut indices = Vec::new();
    let shard = if logs.len() == 1 {
        first.header.shard.clone()
    } else {
        None
    };
    for c in logs {
        let t = c.tally()?;
        let shard: Option<super::Shard> = match &c.header.shard {
            Some(s) => Some(
                s.parse()
                    .map_err(|m: String| RunError::log(&c.path, Some(1), m))?,
            ),
            None => None,
        };
        let expected: Vec<usize> = (0..loaded.library.len())
            .filter(|&k| shard.is_none_or(|s| s.contains(k)))
            .collect();
        let missing = expected
            .iter()
            .filter(|k| !t.answers.contains_key(k))
            .count();
        if missing > 0 {
            return Err(RunError::log(
                &c.path,
                None,
                format!(
                    "incomplete: {missing} of {} samples have no record; finish the run with `jiebang run ... --resume`",
                    expected.len()
                ),
            ));
        }
        if let Some(extra) = t.answers.keys().find(|k| !expected.contains(k)) {
            return Err(RunError::log(
                &c.path,
                None,
                format!("sample {extra} does not belong to this log's shard"),
            ));
        }
        indices.extend(expected);
        tally.issued += t.issued;
        tally.answered += t.answered;
        for (k, v) in t.failures {
            *tally.failures.entry(k).or_default() += v;
        }
        tally.duration_s += t.duration_s;
        if tally.sessions.is_empty() {
            tally.sessions = t.sessions;
        }
        tally.answers.extend(t.answers);
        observed.extend(super::observed::of_log(c));
    }
    indices.sort_unstable();
    let answers: Vec<(usize, Option<serde_json::Value>)> = indices
        .iter()
        .map(|&i| (i, tally.answers.get(&i).cloned().flatten()))
        .collect();
    let h = &first.header;
    let scores: Scores = loaded.scorer.score(
        &answers,
        &ScoreContext {
            suite: suite.clone(),
            seed: h.seed,
            backend: backend.clone(),
            observed,
        },
    )?;
    // Answers the task found malformed on scoring (e.g. a reported time the observed wall time
    // contradicts) are technical failures, not answers.
    let found = scores.malformed.len() as u64;
    tally.answered = tally.answered.saturating_sub(found);
    *tally.failures.entry("malformed".into()).or_default() += found;
    assemble(
        h,
        shard,
        &tally,
        scores,
        task,
        suite,
        backend,
        dataset_root,
        sc,
    )
}

fn last_completion(r: &PassResult) -> u64 {
    r.queries.iter().map(|q| q.2).max().unwrap_or(r.started_ns)
}

fn run_performance(
    inp: &RunInputs,
    eff: &Effective,
    sut: Arc<dyn Sut>,
    sc: &ScorecardInputs,
    obs: &dyn RunObserver,
) -> Result<RunReport, RunError> {
    use rand::SeedableRng;
    use rand::seq::SliceRandom;
    if sut.accuracy_only() {
        return Err(RunError::Unsupported(
            "a predictions file holds answers, not a system to time: use --mode accuracy".into(),
        ));
    }
    if inp.resume {
        return Err(RunError::Unsupported(
            "a performance run cannot be resumed (timings from two processes do not add up); run it again".into(),
        ));
    }
    let n = inp.loaded.library.len();
    if n == 0 {
        return Err(RunError::Unsupported("the dataset has no samples".into()));
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(&mut rand_chacha::ChaCha8Rng::seed_from_u64(eff.seed));
    let plan = Plan::Cycle(order.clone().into());
    let expected = header(inp, eff, sut.as_ref(), &sc.harness, n as u64);
    if inp.log.exists() {
        return Err(RunError::log(
            &inp.log,
            None,
            "a log is already there; a performance run cannot be resumed: remove the file (or choose another --out) to run again",
        ));
    }
    let logger = Logger::open(&inp.log, None, inp.loaded.clone(), 1, false)?;
    let sink = logger.sink().clone();
    sink.send(LogEvent::Line(LogLine::Header(Box::new(expected.clone()))));
    let startup = Instant::now();
    let started = sut
        .load(&inp.loaded.library, &order)
        .and_then(|()| start(inp, eff, &sut, &sink, true));
    let startup_s = startup.elapsed().as_secs_f64();
    if let Err(e) = started {
        drop(sink);
        let _ = logger.close();
        let _ = std::fs::remove_file(&inp.log);
        return Err(e);
    }
    let pin = sut.pin();
    sink.send(LogEvent::Line(LogLine::Session(SessionRecord {
        session: 1,
        started_at: now_rfc3339(),
        sut_name: pin.name.clone(),
        sut_version: pin.version.clone(),
        already_recorded: 0,
        startup_s: Some(startup_s),
    })));
    let clock = Instant::now();
    let scenario = eff.scenario.unwrap_or(Scenario::SingleStream);
    let closed = Issue::Closed {
        window: eff.max_in_flight,
    };
    let timeout = Duration::from_secs_f64(eff.timeout_s);
    let spec = |base: u64, stop: Stop, issue: Issue, timed: bool| PassSpec {
        base_id: base,
        plan: plan.clone(),
        stop,
        issue,
        timeout,
        max_consecutive_timeouts: eff.max_consecutive_timeouts,
        log_answers: false,
        count_strays: timed,
        pass: Some(if timed { "timed" } else { "warmup" }),
        clock,
        interrupt: obs.stop_flag(),
    };
    let fail = |end: PassEnd, sut: &Arc<dyn Sut>, logger: Logger| -> RunError {
        sut.abort();
        let _ = sut.end();
        let _ = logger.close();
        if end == PassEnd::Interrupted {
            return RunError::Interrupted {
                log: inp.log.clone(),
                message: format!(
                    "a performance run cannot be resumed; remove its partial log {} and run the same command again",
                    inp.log.display()
                ),
            };
        }
        lost(end, &inp.log, (0, 0), 0, Mode::Performance)
    };
    let pass_record = |pass: &str, r: &PassResult| {
        LogEvent::Line(LogLine::Pass(PassRecord {
            session: 1,
            pass: pass.into(),
            queries: r.queries.len() as u64,
            started_ns: r.started_ns,
            ended_ns: last_completion(r),
        }))
    };
    let mut base = 0u64;
    let min_ns = (eff.min_duration_s * 1e9) as u64;
    let max = eff.max_query_count.max(eff.min_query_count);
    if eff.warmup_queries > 0 {
        obs.phase("warm-up", eff.warmup_queries);
        let r = run_pass(
            &sut,
            spec(base, Stop::Count(eff.warmup_queries), closed, false),
            &sink,
            &Bridge(obs),
        );
        if r.end != PassEnd::Complete {
            return Err(fail(r.end, &sut, logger));
        }
        sink.send(pass_record("warmup", &r));
        base += r.queries.len() as u64;
        obs.phase_done(&format!(
            "warm-up: {} queries in {:.3} s",
            r.queries.len(),
            last_completion(&r).saturating_sub(r.started_ns) as f64 / 1e9
        ));
    }
    // Every scenario runs until both the minimum duration and the minimum query count are
    // reached. Offline keeps max_in_flight queries outstanding all along (the SUT is never
    // idle), single-stream one, server issues on a seeded Poisson schedule.
    let stop = Stop::Duration {
        min_ns,
        min_count: eff.min_query_count,
        max_count: max,
    };
    let issue = match scenario {
        Scenario::SingleStream | Scenario::Offline => closed,
        Scenario::Server => Issue::Open {
            window: eff.max_in_flight,
            rate_qps: eff.server_target_qps,
            seed: eff.seed,
        },
    };
    obs.phase(&format!("timed {}", scenario.as_str()), 0);
    let timed = run_pass(&sut, spec(base, stop, issue, true), &sink, &Bridge(obs));
    if timed.end != PassEnd::Complete {
        return Err(fail(timed.end, &sut, logger));
    }
    // Failures were logged as they happened; the answered queries are logged now, off the
    // timed path.
    for (k, q) in timed.queries.iter().enumerate() {
        if q.3 == SlotState::Answered {
            sink.send(LogEvent::Done {
                q: base + k as u64,
                index: q.0,
                issued_ns: q.1,
                completed_ns: q.2,
                outcome: Outcome::Answer(serde_json::Value::Null),
                keep_answer: false,
                pass: Some("timed"),
            });
        }
    }
    sink.send(pass_record("timed", &timed));
    obs.phase_done(&format!("{} timed queries", timed.queries.len()));
    sut.end()?;
    if let Some(message) = sink.flooded() {
        return Err(fail(PassEnd::Lost { message }, &sut, logger));
    }
    sink.send(LogEvent::Line(LogLine::End(EndRecord {
        session: 1,
        elapsed_s: clock.elapsed().as_secs_f64(),
        completed_at: now_rfc3339(),
    })));
    drop(sink);
    logger.close()?;
    let contents = read_log(&inp.log)?;
    let mut tally = contents.tally()?;
    tally.duration_s = clock.elapsed().as_secs_f64();
    let times: Vec<_> = timed.queries.iter().map(|q| (q.1, q.2, q.3)).collect();
    let (metrics, samples) = super::perf::metrics(eff, &times);
    let scores = Scores {
        metrics,
        samples,
        ..Default::default()
    };
    let scorecard = assemble(
        &contents.header,
        None,
        &tally,
        scores,
        inp.task.as_ref(),
        &inp.suite,
        &inp.backend,
        &root_text(&inp.dataset),
        sc,
    )?;
    Ok(RunReport {
        scorecard,
        log: inp.log.clone(),
        already_recorded: 0,
    })
}

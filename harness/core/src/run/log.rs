//! The per-query log: an append-only JSON Lines file, the run's source of truth. The header
//! line holds everything needed to resume (suite, dataset, SUT, settings, seed, shard); then one
//! record per query, plus sessions, passes, stray answers (the first few of each kind, then a
//! count), the sandbox a SUT ran in and the SUT's stderr, flushed as the run goes. Reading
//! tolerates a torn last line (a run killed mid-write).

use super::stray::{Admit, LOGGED_PER_KIND, StrayBudget};
use super::{FailureKind, Outcome, RunError};
use crate::Loaded;
use crossbeam_channel::{Receiver, Sender};
use jiebang_scorecard::{BackendPin, DatasetPin, FilePin, HarnessPin, SuitePin, TaskPin};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Version of the log format this jiebang writes. Version 2 added the `count` of stray
/// records and `sandbox` records; version 1 logs (a subset) are still read.
pub const LOG_SCHEMA_VERSION: u32 = 2;
/// The oldest log version this jiebang reads.
const OLDEST_READ: u32 = 1;

/// One line of the log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LogLine {
    /// First line: what the run is.
    Header(Box<LogHeader>),
    /// A SUT session began (a fresh run, or a resume).
    Session(SessionRecord),
    /// A warm-up or timed pass of a performance run ended.
    Pass(PassRecord),
    /// How one query ended.
    Query(QueryRecord),
    /// An answer that belongs to no query in flight.
    Stray(StrayRecord),
    /// A line the SUT wrote to stderr.
    Stderr(StderrRecord),
    /// The sandbox a process SUT was started in.
    Sandbox(SandboxRecord),
    /// A session ended normally.
    End(EndRecord),
}

/// The header: everything a resume must match and a merge must agree on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogHeader {
    /// [`LOG_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The harness that wrote it.
    pub harness: HarnessPin,
    /// The task crate.
    pub task: TaskPin,
    /// The suite.
    pub suite: SuitePin,
    /// The dataset.
    pub dataset: DatasetPin,
    /// Where the dataset was (informational; the hash decides).
    pub dataset_root: String,
    /// The SUT's identity (name and version are per session).
    pub sut: SutIdentity,
    /// The backend of built-in systems and scoring.
    pub backend: BackendPin,
    /// Effective settings.
    pub settings: BTreeMap<String, Value>,
    /// Seed.
    pub seed: u64,
    /// Shard `i/n`, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<String>,
    /// Samples this run covers (the shard's, or the whole dataset's).
    pub samples: u64,
    /// When the run started (UTC, RFC 3339).
    pub started_at: String,
}

/// What identifies a SUT across sessions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SutIdentity {
    /// `process`, `predictions`, `builtin` or `mock`.
    pub adapter: String,
    /// Command line (process), file (predictions) or built-in name.
    pub spec: String,
    /// sha256 over the sorted (path, sha256) list of `files`.
    pub hash: String,
    /// The pinned files.
    pub files: Vec<FilePin>,
}

/// A SUT session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionRecord {
    /// 1 for the first, 2 for the first resume, ...
    pub session: u32,
    /// When it started.
    pub started_at: String,
    /// Name the SUT reported.
    pub sut_name: String,
    /// Version the SUT reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sut_version: Option<String>,
    /// Samples already recorded when it started.
    pub already_recorded: u64,
    /// Seconds the harness observed from handing the system its samples and starting it to its
    /// `ready`: work a system does before its first query (loading a model, or reading every
    /// input ahead). Absent in logs written before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub startup_s: Option<f64>,
}

/// A pass of a performance run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PassRecord {
    /// Session.
    pub session: u32,
    /// `warmup` or `timed`.
    pub pass: String,
    /// Queries issued.
    pub queries: u64,
    /// Nanoseconds from session start to the first issue.
    pub started_ns: u64,
    /// Nanoseconds from session start to the last completion.
    pub ended_ns: u64,
}

/// How one query ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueryRecord {
    /// Session.
    pub session: u32,
    /// Query id within the session.
    pub q: u64,
    /// Sample index.
    pub index: u64,
    /// Sample id.
    pub sample: String,
    /// Nanoseconds from session start to issue (scheduled issue in the server scenario).
    pub issued_ns: u64,
    /// Nanoseconds from session start to completion.
    pub completed_ns: u64,
    /// `answer`, `crash`, `timeout`, `malformed` or `missing`.
    pub outcome: String,
    /// The answer (accuracy runs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<Value>,
    /// What went wrong, for failures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// `warmup` or `timed` in performance runs (warm-up queries are not counted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pass: Option<String>,
}

/// An answer that belongs to no query in flight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StrayRecord {
    /// Session.
    pub session: u32,
    /// `unknown_id`, `duplicate` or `late` (an answer after the query timed out or after its
    /// pass ended).
    pub kind: String,
    /// The id it named, when it named one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<u64>,
    /// Nanoseconds from session start.
    pub at_ns: u64,
    /// Whether it counts in the scorecard's failures (`late` and warm-up strays do not).
    pub counted: bool,
    /// What was received.
    pub detail: String,
    /// How many stray answers the record stands for: 1, or for the summary written when the
    /// session's log is closed, those of its kind past the first ones logged in full.
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub count: u64,
}

fn one() -> u64 {
    1
}

fn is_one(n: &u64) -> bool {
    *n == 1
}

/// The sandbox a process SUT ran in: the exact command line (every path it could see, the
/// limits) and the paths visible to it, read-only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SandboxRecord {
    /// Session.
    pub session: u32,
    /// `bubblewrap <version>`.
    pub sandbox: String,
    /// The command line jiebang ran: bubblewrap, its options, then the SUT's command.
    pub command: Vec<String>,
    /// Host paths visible inside, read-only (besides a private /tmp, /proc and /dev).
    pub visible: Vec<String>,
}

/// A line of the SUT's stderr.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StderrRecord {
    /// Session.
    pub session: u32,
    /// The line (truncated at 4 KiB).
    pub text: String,
}

/// A session ended normally.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EndRecord {
    /// Session.
    pub session: u32,
    /// Seconds the session took.
    pub elapsed_s: f64,
    /// When it ended.
    pub completed_at: String,
}

/// What the logger thread is sent.
pub(crate) enum LogEvent {
    /// A query ended. `check` asks the logger to run the task's answer check (accuracy).
    Done {
        q: u64,
        index: usize,
        issued_ns: u64,
        completed_ns: u64,
        outcome: Outcome,
        keep_answer: bool,
        pass: Option<&'static str>,
    },
    /// A stray answer.
    Stray {
        kind: &'static str,
        q: Option<u64>,
        at_ns: u64,
        counted: bool,
        detail: String,
    },
    /// A stderr line.
    Stderr(String),
    /// The sandbox of a process SUT.
    Sandbox {
        sandbox: String,
        command: Vec<String>,
        visible: Vec<String>,
    },
    /// Any other line.
    Line(LogLine),
    /// Flush, then acknowledge.
    Flush(Sender<()>),
}

/// Where SUT adapters and the load generator send log events. Cheap to clone; any thread.
/// It carries the session's [`StrayBudget`], so that stray answers are bounded wherever they
/// are noticed.
#[derive(Clone)]
pub struct LogSink {
    tx: Sender<LogEvent>,
    strays: Arc<StrayBudget>,
}

impl LogSink {
    pub(crate) fn from_sender(tx: Sender<LogEvent>) -> Self {
        Self {
            tx,
            strays: Arc::default(),
        }
    }

    /// Records a line the SUT wrote to stderr.
    pub fn stderr(&self, line: String) {
        let _ = self.tx.send(LogEvent::Stderr(line));
    }

    pub(crate) fn send(&self, e: LogEvent) {
        let _ = self.tx.send(e);
    }

    /// Records a stray answer: logged in full while its kind is under [`LOGGED_PER_KIND`],
    /// counted always. Returns the message that ends the session when this one made the
    /// session's strays a flood.
    pub(crate) fn stray(
        &self,
        kind: &'static str,
        q: Option<u64>,
        at_ns: u64,
        counted: bool,
        detail: String,
    ) -> Option<String> {
        let admit = self.strays.admit(kind, counted);
        if admit == Admit::Log {
            self.send(LogEvent::Stray {
                kind,
                q,
                at_ns,
                counted,
                detail,
            });
        }
        match admit {
            Admit::Flood(message) => Some(message),
            _ => None,
        }
    }

    /// Notes `n` more queries issued in the session (the flood limit grows with them).
    pub(crate) fn issued(&self, n: u64) {
        self.strays.issued(n);
    }

    /// The flood message, when the session's stray answers became a flood.
    pub(crate) fn flooded(&self) -> Option<String> {
        self.strays.flooded()
    }
}

/// The logger thread: turns events into lines, checks accuracy answers with the task, and
/// flushes whenever it has nothing more to write.
pub(crate) struct Logger {
    sink: LogSink,
    handle: Option<std::thread::JoinHandle<Result<(), RunError>>>,
}

impl Logger {
    /// Opens `path` for appending (after truncating a torn tail at `keep_len`, when given) or
    /// creates it (refusing to overwrite), and starts the thread.
    pub(crate) fn open(
        path: &Path,
        keep_len: Option<u64>,
        loaded: Loaded,
        session: u32,
        check_answers: bool,
    ) -> Result<Self, RunError> {
        let file = match keep_len {
            Some(len) => {
                let f = OpenOptions::new()
                    .write(true)
                    .open(path)
                    .map_err(|e| RunError::log_io(path, e))?;
                f.set_len(len).map_err(|e| RunError::log_io(path, e))?;
                drop(f);
                OpenOptions::new()
                    .append(true)
                    .open(path)
                    .map_err(|e| RunError::log_io(path, e))?
            }
            None => {
                if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).map_err(|e| RunError::log_io(dir, e))?;
                }
                OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(path)
                    .map_err(|e| {
                        if e.kind() == std::io::ErrorKind::AlreadyExists {
                            RunError::log(
                                path,
                                None,
                                "a log is already there; pass --resume to continue that run, or remove the file (or choose another --out) to start a new one",
                            )
                        } else {
                            RunError::log_io(path, e)
                        }
                    })?
            }
        };
        let (tx, rx) = crossbeam_channel::unbounded();
        let path = path.to_path_buf();
        let sink = LogSink::from_sender(tx);
        let strays = sink.strays.clone();
        let handle = std::thread::Builder::new()
            .name("jiebang-log".into())
            .spawn(move || {
                write_loop(
                    rx,
                    BufWriter::new(file),
                    path,
                    Context {
                        loaded,
                        session,
                        check_answers,
                        strays,
                    },
                )
            })
            .map_err(|e| RunError::Unsupported(format!("cannot start the log thread: {e}")))?;
        Ok(Self {
            sink,
            handle: Some(handle),
        })
    }

    /// The sink.
    pub(crate) fn sink(&self) -> &LogSink {
        &self.sink
    }

    /// Flushes, syncs and stops the thread.
    pub(crate) fn close(mut self) -> Result<(), RunError> {
        self.stop()
    }

    fn stop(&mut self) -> Result<(), RunError> {
        let Some(handle) = self.handle.take() else {
            return Ok(());
        };
        // Everything sent before the flush is written once it is acknowledged. Adapter threads
        // may still hold clones of the sink, so the thread is not waited for unless it died.
        let (ack_tx, ack_rx) = crossbeam_channel::bounded(1);
        let _ = self.sink.tx.send(LogEvent::Flush(ack_tx));
        if ack_rx.recv().is_ok() {
            return Ok(());
        }
        handle
            .join()
            .unwrap_or_else(|_| Err(RunError::Unsupported("the log thread panicked".into())))
    }
}

impl Drop for Logger {
    fn drop(&mut self) {
        let _ = self.stop();
    }
}

/// What the logger thread turns events into lines with.
struct Context {
    loaded: Loaded,
    session: u32,
    check_answers: bool,
    strays: Arc<StrayBudget>,
}

fn write_loop(
    rx: Receiver<LogEvent>,
    mut w: BufWriter<File>,
    path: PathBuf,
    cx: Context,
) -> Result<(), RunError> {
    let io = |e: std::io::Error| RunError::log_io(&path, e);
    let mut buf = Vec::with_capacity(1024);
    let mut write = |w: &mut BufWriter<File>, line: &LogLine| -> Result<(), RunError> {
        buf.clear();
        serde_json::to_writer(&mut buf, line).map_err(|e| io(e.into()))?;
        buf.push(b'\n');
        w.write_all(&buf).map_err(io)
    };
    while let Ok(first) = rx.recv() {
        let mut next = Some(first);
        while let Some(ev) = next.take() {
            match ev {
                LogEvent::Flush(ack) => {
                    // The log is being closed: the strays past the first of each kind are
                    // written as one count per kind.
                    for (kind, counted, count) in cx.strays.take_unlogged() {
                        let line = LogLine::Stray(StrayRecord {
                            session: cx.session,
                            kind: kind.to_string(),
                            q: None,
                            at_ns: 0,
                            counted,
                            detail: format!(
                                "{count} more `{kind}` answers, not logged one by one (the first {LOGGED_PER_KIND} are above)"
                            ),
                            count,
                        });
                        write(&mut w, &line)?;
                    }
                    w.flush().map_err(io)?;
                    let _ = w.get_ref().sync_data();
                    let _ = ack.send(());
                }
                other => {
                    let Some(line) = to_line(other, &cx) else {
                        continue;
                    };
                    write(&mut w, &line)?;
                }
            }
            next = rx.try_recv().ok();
        }
        w.flush().map_err(io)?;
    }
    w.flush().map_err(io)?;
    w.get_ref().sync_data().map_err(io)
}

fn to_line(ev: LogEvent, cx: &Context) -> Option<LogLine> {
    let (loaded, session, check) = (&cx.loaded, cx.session, cx.check_answers);
    Some(match ev {
        LogEvent::Done {
            q,
            index,
            issued_ns,
            completed_ns,
            outcome,
            keep_answer,
            pass,
        } => {
            let outcome = match outcome {
                Outcome::Answer(v) if check => match loaded.scorer.check_answer(index, &v) {
                    Ok(()) => Outcome::Answer(v),
                    Err(why) => Outcome::Failed(
                        FailureKind::Malformed,
                        format!("{why}; received {}", preview(&v.to_string(), 200)),
                    ),
                },
                o => o,
            };
            let (name, answer, detail) = match outcome {
                Outcome::Answer(v) => ("answer", keep_answer.then_some(v), None),
                Outcome::Failed(k, d) => (k.as_str(), None, Some(d)),
            };
            LogLine::Query(QueryRecord {
                session,
                q,
                index: index as u64,
                sample: loaded.library.sample_id(index),
                issued_ns,
                completed_ns,
                outcome: name.to_string(),
                answer,
                detail,
                pass: pass.map(str::to_string),
            })
        }
        LogEvent::Stray {
            kind,
            q,
            at_ns,
            counted,
            detail,
        } => LogLine::Stray(StrayRecord {
            session,
            kind: kind.to_string(),
            q,
            at_ns,
            counted,
            detail,
            count: 1,
        }),
        LogEvent::Stderr(text) => LogLine::Stderr(StderrRecord { session, text }),
        LogEvent::Sandbox {
            sandbox,
            command,
            visible,
        } => LogLine::Sandbox(SandboxRecord {
            session,
            sandbox,
            command,
            visible,
        }),
        LogEvent::Line(l) => l,
        LogEvent::Flush(_) => return None,
    })
}

/// The first `max` bytes of `s` (on a character boundary), with an ellipsis when cut.
pub(crate) fn preview(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes)", &s[..end], s.len())
}

/// A log read back.
#[derive(Debug, Clone)]
pub struct LogContents {
    /// The file.
    pub path: PathBuf,
    /// The header.
    pub header: LogHeader,
    /// Every complete line after the header, with its 1-based line number.
    pub lines: Vec<(usize, LogLine)>,
    /// Bytes up to the end of the last complete line.
    pub valid_len: u64,
    /// Whether a torn last line was ignored.
    pub torn: bool,
}

/// Reads a log, ignoring a torn last line (one without its newline).
pub fn read_log(path: &Path) -> Result<LogContents, RunError> {
    let bytes = std::fs::read(path).map_err(|e| RunError::log_io(path, e))?;
    let complete_len = bytes
        .iter()
        .rposition(|&b| b == b'\n')
        .map(|p| p + 1)
        .unwrap_or(0);
    let torn = complete_len < bytes.len();
    let mut header = None;
    let mut lines = Vec::new();
    for (i, raw) in bytes[..complete_len].split(|&b| b == b'\n').enumerate() {
        let n = i + 1;
        if raw.is_empty() {
            continue;
        }
        let line: LogLine = serde_json::from_slice(raw).map_err(|e| {
            RunError::log(
                path,
                Some(n),
                format!("not a jiebang log line ({e}); the log is damaged in the middle, not just torn at the end"),
            )
        })?;
        match (line, header.is_none()) {
            (LogLine::Header(h), true) => {
                if !(OLDEST_READ..=LOG_SCHEMA_VERSION).contains(&h.schema_version) {
                    return Err(RunError::log(
                        path,
                        Some(n),
                        format!(
                            "log schema {} {}; this jiebang reads schemas {OLDEST_READ} to {LOG_SCHEMA_VERSION}",
                            h.schema_version,
                            if h.schema_version > LOG_SCHEMA_VERSION {
                                "is newer (upgrade jiebang)"
                            } else {
                                "is too old"
                            }
                        ),
                    ));
                }
                header = Some(*h);
            }
            (LogLine::Header(_), false) => {
                return Err(RunError::log(
                    path,
                    Some(n),
                    "a second header; logs of different runs were concatenated",
                ));
            }
            (_, true) => {
                return Err(RunError::log(
                    path,
                    Some(n),
                    "expected the header as the first line",
                ));
            }
            (l, false) => lines.push((n, l)),
        }
    }
    let header = header.ok_or_else(|| {
        RunError::log(
            path,
            None,
            "no header line: the run was killed before it started; remove the file and run again",
        )
    })?;
    Ok(LogContents {
        path: path.to_path_buf(),
        header,
        lines,
        valid_len: complete_len as u64,
        torn,
    })
}

/// Query accounting and answers read from a log.
#[derive(Debug, Clone, Default)]
pub struct LogTally {
    /// The final record of each sample index (accuracy runs): the answer, or `None` for a
    /// failure.
    pub answers: BTreeMap<usize, Option<Value>>,
    /// Query records.
    pub issued: u64,
    /// Answered queries.
    pub answered: u64,
    /// Failures by kind (`crash`, ...) including counted strays (`unknown_id`, `duplicate`).
    pub failures: BTreeMap<String, u64>,
    /// Sessions: (number, name, version).
    pub sessions: Vec<(u32, String, Option<String>)>,
    /// Sum of session durations, seconds (killed sessions: up to their last record).
    pub duration_s: f64,
    /// Whether the last session ended normally.
    pub ended: bool,
}

impl LogContents {
    /// Tallies the records. Refuses a sample recorded twice (two logs concatenated, or a log
    /// edited by hand).
    pub fn tally(&self) -> Result<LogTally, RunError> {
        let mut t = LogTally::default();
        let mut session_ns: BTreeMap<u32, u64> = BTreeMap::new();
        let mut first_line: BTreeMap<usize, usize> = BTreeMap::new();
        for (n, line) in &self.lines {
            match line {
                LogLine::Session(s) => {
                    t.sessions
                        .push((s.session, s.sut_name.clone(), s.sut_version.clone()));
                    t.ended = false;
                }
                LogLine::Query(q) if q.pass.as_deref() == Some("warmup") => {}
                LogLine::Query(q) => {
                    t.issued += 1;
                    let last = session_ns.entry(q.session).or_default();
                    *last = (*last).max(q.completed_ns);
                    let answer = if q.outcome == "answer" {
                        t.answered += 1;
                        Some(q.answer.clone().unwrap_or(Value::Null))
                    } else {
                        if FailureKind::parse(&q.outcome).is_none() {
                            return Err(RunError::log(
                                &self.path,
                                Some(*n),
                                format!("unknown outcome `{}`", q.outcome),
                            ));
                        }
                        *t.failures.entry(q.outcome.clone()).or_default() += 1;
                        None
                    };
                    let idx = q.index as usize;
                    if let Some(prev) = first_line.insert(idx, *n) {
                        if self.header.settings.get("mode").and_then(Value::as_str)
                            == Some("accuracy")
                        {
                            return Err(RunError::log(
                                &self.path,
                                Some(*n),
                                format!(
                                    "sample {} (`{}`) already has a record at line {prev}",
                                    q.index, q.sample
                                ),
                            ));
                        }
                    }
                    t.answers.insert(idx, answer);
                }
                LogLine::Stray(s) if s.counted => {
                    *t.failures.entry(s.kind.clone()).or_default() += s.count;
                }
                LogLine::End(e) => {
                    session_ns.insert(e.session, (e.elapsed_s * 1e9) as u64);
                    t.ended = true;
                }
                _ => {}
            }
        }
        t.duration_s = session_ns.values().map(|&ns| ns as f64 / 1e9).sum();
        Ok(t)
    }
}

impl LogTally {
    /// The scorecard's failure counts.
    pub fn failures(&self) -> jiebang_scorecard::Failures {
        let g = |k: &str| self.failures.get(k).copied().unwrap_or(0);
        jiebang_scorecard::Failures {
            crash: g("crash"),
            timeout: g("timeout"),
            malformed: g("malformed"),
            unknown_id: g("unknown_id"),
            duplicate: g("duplicate"),
            missing: g("missing"),
        }
    }
}

/// Compares the header of a log with the header this run would write, field by field
/// (`started_at` and `dataset_root` may differ), naming the first field that does not match.
pub fn check_header(path: &Path, logged: &LogHeader, now: &LogHeader) -> Result<(), RunError> {
    let a = serde_json::to_value(logged).unwrap_or(Value::Null);
    let b = serde_json::to_value(now).unwrap_or(Value::Null);
    if let Some(field) = first_difference(&a, &b, "", &["started_at", "dataset_root"]) {
        let get = |v: &Value| {
            pointer(v, &field)
                .map(|x| preview(&x.to_string(), 120))
                .unwrap_or_else(|| "(absent)".into())
        };
        return Err(RunError::log(
            path,
            Some(1),
            format!(
                "this log belongs to a different run: header field `{field}` is {} in the log but {} now; \
                 resume with the same suite, dataset, SUT, settings, seed and shard, or start a new log",
                get(&a),
                get(&b)
            ),
        ));
    }
    Ok(())
}

fn pointer<'a>(v: &'a Value, dotted: &str) -> Option<&'a Value> {
    dotted
        .split('.')
        .filter(|s| !s.is_empty())
        .try_fold(v, |v, k| match v {
            Value::Object(m) => m.get(k),
            Value::Array(a) => k.parse::<usize>().ok().and_then(|i| a.get(i)),
            _ => None,
        })
}

/// The first dotted path at which `a` and `b` differ, skipping top-level `skip` keys.
pub(crate) fn first_difference(a: &Value, b: &Value, at: &str, skip: &[&str]) -> Option<String> {
    let join = |k: &str| {
        if at.is_empty() {
            k.to_string()
        } else {
            format!("{at}.{k}")
        }
    };
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for k in keys {
                if at.is_empty() && skip.contains(&k.as_str()) {
                    continue;
                }
                match (x.get(k), y.get(k)) {
                    (Some(p), Some(q)) => {
                        if let Some(d) = first_difference(p, q, &join(k), &[]) {
                            return Some(d);
                        }
                    }
                    _ => return Some(join(k)),
                }
            }
            None
        }
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                return Some(at.to_string());
            }
            x.iter()
                .zip(y)
                .enumerate()
                .find_map(|(i, (p, q))| first_difference(p, q, &join(&i.to_string()), &[]))
        }
        _ if a == b => None,
        _ => Some(at.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn differences_are_named() {
        let a = json!({"suite": {"hash": "a"}, "started_at": "x", "files": [1, 2]});
        let b = json!({"suite": {"hash": "b"}, "started_at": "y", "files": [1, 2]});
        assert_eq!(
            first_difference(&a, &b, "", &["started_at"]).as_deref(),
            Some("suite.hash")
        );
        let c = json!({"suite": {"hash": "a"}, "started_at": "y", "files": [1, 3]});
        assert_eq!(
            first_difference(&a, &c, "", &["started_at"]).as_deref(),
            Some("files.1")
        );
        assert_eq!(first_difference(&a, &a, "", &[]), None);
    }

    #[test]
    fn preview_cuts_on_char_boundary() {
        assert_eq!(preview("abc", 10), "abc");
        let p = preview("揭榜挂帅", 4);
        assert!(p.starts_with("揭") && p.contains("12 bytes"), "{p}");
    }
}

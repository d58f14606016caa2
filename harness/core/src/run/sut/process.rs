//! The `process` adapter: any program speaking SUT protocol v1 — JSON Lines over its stdin and
//! stdout, a hello/ready handshake, queries answered in any order with several in flight, and
//! `end` to finish. Its stderr goes to the run log. Lines are bounded (`max_line_bytes`); an
//! answer that is too long, not JSON, or without a known id is recorded, never trusted. With a
//! [`Sandbox`] the command runs inside bubblewrap, and the sandbox's command line is logged.

use super::{Sandbox, Sut, SutStart};
use crate::SampleLibrary;
use crate::run::log::{LogEvent, LogSink, preview};
use crate::run::{Completer, FailureKind, Outcome, Query, RunError};
use crossbeam_channel::{Receiver, Sender};
use jiebang_scorecard::{FilePin, SutPin};
use serde_json::Value;
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

/// Bytes of an over-long line kept to find its id.
pub(crate) const PREFIX_KEPT: usize = 4096;
/// Longest stderr line kept in the log.
const STDERR_LINE_MAX: usize = 4096;
/// Most stderr bytes logged per session; the rest is drained and counted.
const STDERR_TOTAL_MAX: usize = 1 << 20;
/// Stderr lines kept for error messages.
const STDERR_TAIL: usize = 8;

/// Blocks SIGPIPE on the calling thread, so that writing to a SUT that has gone away returns
/// `EPIPE` (reported as a lost SUT) instead of killing jiebang, even when the binary restored
/// the default SIGPIPE action for its own stdout. Every thread that writes to a SUT's stdin
/// calls this first; the signal stays pending on that thread and is never delivered.
pub(crate) fn block_sigpipe() {
    #[cfg(unix)]
    {
        use nix::sys::signal::{SigSet, SigmaskHow, Signal, pthread_sigmask};
        let mut set = SigSet::empty();
        set.add(Signal::SIGPIPE);
        let _ = pthread_sigmask(SigmaskHow::SIG_BLOCK, Some(&set), None);
    }
}

/// Writes `bytes` to the SUT from a short-lived thread that blocks SIGPIPE, for the writes
/// made outside the issuing threads (the hello, the end).
fn write_guarded(stdin: &mut ChildStdin, bytes: &[u8]) -> std::io::Result<()> {
    std::thread::scope(|s| {
        s.spawn(|| {
            block_sigpipe();
            stdin.write_all(bytes)
        })
        .join()
        .unwrap_or_else(|_| Err(std::io::ErrorKind::Other.into()))
    })
}

/// A command speaking SUT protocol v1.
pub struct ProcessSut {
    text: String,
    argv: Vec<String>,
    files: Vec<FilePin>,
    /// The sandbox and the `--sut-file` paths it shows, when confined.
    sandbox: Option<(Sandbox, Vec<PathBuf>)>,
    tails: RwLock<Vec<Option<Box<[u8]>>>>,
    shared: Arc<Shared>,
    running: Mutex<Option<Running>>,
}

/// What the reader, stderr and issuing threads share.
struct Shared {
    done: RwLock<Option<Completer>>,
    ending: AtomicBool,
    lost: Mutex<Option<(FailureKind, String)>>,
    child: Mutex<Option<Child>>,
    stderr_tail: Mutex<VecDeque<String>>,
    /// Set when the stderr reader reached end of file (the SUT's last words are in the tail).
    stderr_done: (Mutex<bool>, std::sync::Condvar),
    reported: Mutex<(Option<String>, Option<String>)>,
}

struct Running {
    stdin: Mutex<Option<ChildStdin>>,
    buf: Mutex<Vec<u8>>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

enum First {
    Line(Vec<u8>),
    TooLong(usize),
    Eof,
}

impl ProcessSut {
    /// A process SUT for `argv` (as split from `text`), pinned by `files`.
    pub fn new(text: &str, argv: Vec<String>, files: Vec<FilePin>) -> Self {
        Self {
            text: text.to_string(),
            argv,
            files,
            sandbox: None,
            tails: RwLock::new(Vec::new()),
            shared: Arc::new(Shared {
                done: RwLock::new(None),
                ending: AtomicBool::new(false),
                lost: Mutex::new(None),
                child: Mutex::new(None),
                stderr_tail: Mutex::new(VecDeque::new()),
                stderr_done: (Mutex::new(false), std::sync::Condvar::new()),
                reported: Mutex::new((None, None)),
            }),
            running: Mutex::new(None),
        }
    }

    /// The same SUT, run inside `sandbox`, which also shows it `sut_files`.
    pub fn sandboxed(mut self, sandbox: Sandbox, sut_files: Vec<PathBuf>) -> Self {
        self.sandbox = Some((sandbox, sut_files));
        self
    }
}

impl Shared {
    /// Waits up to `grace` for the stderr reader to reach end of file, so that a crashed SUT's
    /// last lines (a traceback written as it exits) are in the tail before it is reported.
    fn wait_stderr(&self, grace: Duration) {
        let (lock, cvar) = &self.stderr_done;
        if let Ok(done) = lock.lock() {
            let _ = cvar.wait_timeout_while(done, grace, |d| !*d);
        }
    }

    fn tail(&self) -> String {
        let t = self
            .stderr_tail
            .lock()
            .map(|t| t.clone())
            .unwrap_or_default();
        if t.is_empty() {
            return " (it wrote nothing to stderr)".into();
        }
        let lines: Vec<String> = t.iter().map(|l| format!("    | {l}")).collect();
        format!("; the last lines of its stderr:\n{}", lines.join("\n"))
    }

    /// Waits up to `grace` for the child to exit.
    fn wait_exit(&self, grace: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + grace;
        loop {
            if let Ok(mut c) = self.child.lock()
                && let Some(child) = c.as_mut()
                && let Ok(Some(st)) = child.try_wait()
            {
                return Some(st);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn kill(&self) {
        if let Ok(mut c) = self.child.lock()
            && let Some(child) = c.as_mut()
        {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// The SUT can answer no more: tell the current pass, or remember it for the next.
    fn lost(&self, kind: FailureKind, message: String) {
        if let Ok(mut l) = self.lost.lock() {
            if l.is_some() {
                return;
            }
            *l = Some((kind, message.clone()));
        }
        let done = self.done.read().ok().and_then(|d| d.clone());
        if let Some(d) = done {
            d.sut_lost(kind, message);
        }
    }

    /// Output ended: find out why (exit status) and report it.
    fn on_eof(&self) {
        if self.ending.load(SeqCst) {
            return;
        }
        let exit = self.wait_exit(Duration::from_secs(1));
        if exit.is_some() {
            self.wait_stderr(Duration::from_secs(2));
        }
        let (kind, what) = match exit {
            Some(st) if st.success() => (
                FailureKind::Missing,
                format!("the SUT exited ({st}) before answering every query"),
            ),
            Some(st) => (
                FailureKind::Crash,
                format!("the SUT crashed: {}", describe_exit(st)),
            ),
            None => {
                self.kill();
                (
                    FailureKind::Missing,
                    "the SUT closed its stdout but kept running; it was stopped".to_string(),
                )
            }
        };
        self.lost(kind, format!("{what}{}", self.tail()));
    }
}

fn describe_exit(st: ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = st.signal() {
            return format!("killed by signal {sig}");
        }
    }
    match st.code() {
        Some(c) => format!("exit status {c}"),
        None => st.to_string(),
    }
}

/// Reads one line of at most `max` bytes into `buf`. Returns `None` at end of output,
/// `Some(None)` for a complete line, `Some(Some(total))` for a line that was too long (then
/// `buf` holds its first bytes). A last line without a newline counts as a line.
pub(crate) fn read_line_limited(
    r: &mut impl BufRead,
    buf: &mut Vec<u8>,
    max: usize,
) -> std::io::Result<Option<Option<usize>>> {
    buf.clear();
    let mut total = 0usize;
    let mut any = false;
    loop {
        let avail = match r.fill_buf() {
            Ok(a) => a,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if avail.is_empty() {
            return Ok(if any {
                Some((total > max).then_some(total))
            } else {
                None
            });
        }
        any = true;
        let (take, newline) = match avail.iter().position(|&b| b == b'\n') {
            Some(i) => (i, true),
            None => (avail.len(), false),
        };
        let room = max.saturating_sub(total);
        if total <= max {
            if take <= room {
                buf.extend_from_slice(&avail[..take]);
            } else {
                let keep = PREFIX_KEPT.saturating_sub(buf.len()).min(take);
                buf.extend_from_slice(&avail[..keep]);
                buf.truncate(PREFIX_KEPT);
            }
        }
        total += take;
        r.consume(take + usize::from(newline));
        if newline {
            return Ok(Some((total > max).then_some(total)));
        }
    }
}

/// Finds `"id": <digits>` in the first bytes of a line that could not be parsed.
pub(crate) fn scan_id(bytes: &[u8]) -> Option<u64> {
    let head = &bytes[..bytes.len().min(PREFIX_KEPT)];
    let pat = b"\"id\"";
    let mut from = 0;
    while let Some(p) = head[from..].windows(pat.len()).position(|w| w == pat) {
        let mut i = from + p + pat.len();
        while i < head.len() && head[i].is_ascii_whitespace() {
            i += 1;
        }
        if i < head.len() && head[i] == b':' {
            i += 1;
            while i < head.len() && head[i].is_ascii_whitespace() {
                i += 1;
            }
            let start = i;
            while i < head.len() && head[i].is_ascii_digit() {
                i += 1;
            }
            if i > start {
                return std::str::from_utf8(&head[start..i]).ok()?.parse().ok();
            }
        }
        from += p + 1;
    }
    None
}

pub(crate) enum Parsed {
    Answer(u64, Value),
    Bad(Option<u64>, String),
}

pub(crate) fn parse_answer(line: &[u8], too_long: Option<usize>, max: usize) -> Parsed {
    if let Some(total) = too_long {
        return Parsed::Bad(
            scan_id(line),
            format!("answer line of {total} bytes exceeds max_line_bytes = {max}"),
        );
    }
    let v: Value = match serde_json::from_slice(line) {
        Ok(v) => v,
        Err(e) => {
            return Parsed::Bad(
                scan_id(line),
                format!(
                    "not valid JSON ({e}): {}",
                    preview(&String::from_utf8_lossy(line), 120)
                ),
            );
        }
    };
    let Value::Object(mut map) = v else {
        return Parsed::Bad(
            None,
            format!(
                "expected a JSON object, got {}",
                preview(&v.to_string(), 120)
            ),
        );
    };
    let id = map.get("id").and_then(Value::as_u64);
    let Some(id) = id else {
        return Parsed::Bad(
            None,
            format!(
                "no integer `id`: {}",
                preview(&Value::Object(map).to_string(), 120)
            ),
        );
    };
    match map.get("type").and_then(Value::as_str) {
        Some("result") => {}
        other => {
            return Parsed::Bad(
                Some(id),
                format!(
                    "expected `\"type\":\"result\"`, found {}",
                    other.map_or("no type".to_string(), |t| format!("`{t}`"))
                ),
            );
        }
    }
    map.remove("id");
    map.remove("type");
    Parsed::Answer(id, Value::Object(map))
}

fn reader_loop(
    shared: Arc<Shared>,
    out: impl Read,
    max: usize,
    first_tx: Sender<First>,
    log: LogSink,
) {
    // This thread issues queries too (in closed-loop scenarios a completion issues the next).
    block_sigpipe();
    let mut r = BufReader::with_capacity(1 << 16, out);
    let mut buf = Vec::with_capacity(4096);
    let mut first = Some(first_tx);
    loop {
        let read = read_line_limited(&mut r, &mut buf, max);
        let too_long = match read {
            Ok(Some(t)) => t,
            Ok(None) | Err(_) => {
                if let Some(tx) = first.take() {
                    let _ = tx.send(First::Eof);
                } else {
                    shared.on_eof();
                }
                return;
            }
        };
        if let Some(tx) = first.take() {
            let _ = tx.send(match too_long {
                Some(n) => First::TooLong(n),
                None => First::Line(std::mem::take(&mut buf)),
            });
            continue;
        }
        if too_long.is_none() && buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let done = shared.done.read().ok().and_then(|d| d.clone());
        let parsed = parse_answer(&buf, too_long, max);
        match (done, parsed) {
            (Some(d), Parsed::Answer(id, v)) => d.complete(id, Outcome::Answer(v)),
            (Some(d), Parsed::Bad(Some(id), why)) => {
                d.complete(id, Outcome::Failed(FailureKind::Malformed, why))
            }
            (Some(d), Parsed::Bad(None, why)) => d.unattributed(why),
            (None, p) => {
                let q = match p {
                    Parsed::Answer(id, _) | Parsed::Bad(Some(id), _) => Some(id),
                    Parsed::Bad(None, _) => None,
                };
                let detail = "a line arrived between passes".to_string();
                if let Some(message) = log.stray("late", q, 0, false, detail) {
                    // Remembered first, so that the next pass (or the runner, after the last
                    // one) reports the flood rather than the kill.
                    shared.lost(FailureKind::Missing, message);
                    shared.kill();
                }
            }
        }
    }
}

fn stderr_loop(shared: Arc<Shared>, err: impl Read, log: LogSink) {
    let mut r = BufReader::new(err);
    let mut buf = Vec::new();
    let mut logged = 0usize;
    let mut dropped = 0usize;
    while let Ok(Some(too_long)) = read_line_limited(&mut r, &mut buf, STDERR_LINE_MAX) {
        let mut text = String::from_utf8_lossy(&buf).into_owned();
        if let Some(n) = too_long {
            text.push_str(&format!("… ({n} bytes)"));
        }
        if let Ok(mut t) = shared.stderr_tail.lock() {
            if t.len() == STDERR_TAIL {
                t.pop_front();
            }
            t.push_back(preview(&text, 300));
        }
        if logged + text.len() <= STDERR_TOTAL_MAX {
            logged += text.len();
            log.stderr(text);
        } else {
            dropped += text.len();
        }
    }
    if dropped > 0 {
        log.stderr(format!(
            "[jiebang] {dropped} more bytes of stderr were not logged (limit {STDERR_TOTAL_MAX} bytes per session)"
        ));
    }
    let (lock, cvar) = &shared.stderr_done;
    if let Ok(mut done) = lock.lock() {
        *done = true;
        cvar.notify_all();
    }
}

impl Sut for ProcessSut {
    fn pin(&self) -> SutPin {
        let (name, version) = self
            .shared
            .reported
            .lock()
            .map(|r| r.clone())
            .unwrap_or_default();
        SutPin {
            adapter: "process".into(),
            name: name.unwrap_or_else(|| self.argv.first().cloned().unwrap_or_default()),
            version,
            command: Some(self.text.clone()),
            hash: super::sut_hash(&self.files),
            files: self.files.clone(),
        }
    }

    fn load(&self, samples: &Arc<dyn SampleLibrary>, indices: &[usize]) -> Result<(), RunError> {
        let mut tails = vec![None; samples.len()];
        for &i in indices {
            let q = samples.query(i);
            if let Some(k) = ["type", "id"].iter().find(|k| q.contains_key(**k)) {
                return Err(RunError::Unsupported(format!(
                    "the task's query for sample {i} has a field `{k}`, which the protocol reserves"
                )));
            }
            let text = serde_json::to_string(&q).unwrap_or_else(|_| "{}".into());
            // `{"a":1}` becomes `,"a":1}` and `{}` becomes `}`, to follow `{"type":"query","id":N`.
            let tail = if text.len() > 2 {
                format!(",{}", &text[1..])
            } else {
                "}".to_string()
            };
            tails[i] = Some(tail.into_bytes().into_boxed_slice());
        }
        *self
            .tails
            .write()
            .map_err(|_| RunError::Unsupported("query table poisoned".into()))? = tails;
        Ok(())
    }

    fn start(&self, start: &SutStart) -> Result<(), RunError> {
        let fail = |message: String| RunError::SutStart {
            sut: self.text.clone(),
            message,
        };
        self.shared.ending.store(false, SeqCst);
        if let Ok(mut l) = self.shared.lost.lock() {
            *l = None;
        }
        let mut cmd = match &self.sandbox {
            Some((sandbox, sut_files)) => {
                let prepared = sandbox.command(&self.argv, sut_files, &start.dataset_root)?;
                start.log.send(LogEvent::Sandbox {
                    sandbox: sandbox.describe(),
                    command: prepared.line,
                    visible: prepared.visible,
                });
                prepared.command
            }
            None => {
                let mut cmd = Command::new(&self.argv[0]);
                cmd.args(&self.argv[1..]);
                cmd
            }
        };
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        // Its own process group: a Ctrl-C at the terminal reaches jiebang only, which stops
        // issuing and then stops the SUT itself, so the queries in flight are not recorded as
        // crashes.
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        let mut child = cmd
            .spawn()
            .map_err(|e| fail(format!("cannot run `{}`: {e}", self.argv[0])))?;
        let (Some(mut stdin), Some(stdout), Some(stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            let _ = child.kill();
            return Err(fail("no pipes to the child process".into()));
        };
        if let Ok(mut c) = self.shared.child.lock() {
            *c = Some(child);
        }
        if let Ok(mut done) = self.shared.stderr_done.0.lock() {
            *done = false;
        }
        let (first_tx, first_rx): (Sender<First>, Receiver<First>) = crossbeam_channel::bounded(1);
        let mut threads = Vec::new();
        let spawn = |name: &str, f: Box<dyn FnOnce() + Send>| {
            std::thread::Builder::new()
                .name(name.into())
                .spawn(f)
                .map_err(|e| fail(format!("cannot start a thread: {e}")))
        };
        let (sh, log) = (self.shared.clone(), start.log.clone());
        threads.push(spawn(
            "jiebang-sut-err",
            Box::new(move || stderr_loop(sh, stderr, log)),
        )?);
        let (sh, log, max) = (self.shared.clone(), start.log.clone(), start.max_line_bytes);
        threads.push(spawn(
            "jiebang-sut-out",
            Box::new(move || reader_loop(sh, stdout, max, first_tx, log)),
        )?);
        let hello = serde_json::json!({
            "type": "hello",
            "protocol": 1,
            "suite": start.suite,
            "dataset_root": start.dataset_root.display().to_string(),
            "max_in_flight": start.max_in_flight,
        });
        let threads = std::cell::RefCell::new(threads);
        let abort = |why: String| {
            self.shared.ending.store(true, SeqCst);
            // A SUT that broke the handshake often explains why on stderr as it exits.
            if self.shared.wait_exit(Duration::from_millis(500)).is_none() {
                self.shared.kill();
            }
            // The pipes close with the process; wait for its last stderr lines.
            for t in threads.borrow_mut().drain(..) {
                let _ = t.join();
            }
            let tail = self.shared.tail();
            fail(format!("{why}{tail}"))
        };
        if let Err(e) = write_guarded(&mut stdin, format!("{hello}\n").as_bytes()) {
            let st = self.shared.wait_exit(Duration::from_secs(1));
            return Err(abort(format!(
                "writing the hello failed ({e}){}",
                st.map(|s| format!("; it exited: {}", describe_exit(s)))
                    .unwrap_or_default()
            )));
        }
        let ready = match first_rx.recv_timeout(start.startup_timeout) {
            Ok(First::Line(l)) => l,
            Ok(First::TooLong(n)) => {
                return Err(abort(format!(
                    "its first line ({n} bytes) is too long for a ready message"
                )));
            }
            Ok(First::Eof) | Err(crossbeam_channel::RecvTimeoutError::Disconnected) => {
                let st = self.shared.wait_exit(Duration::from_secs(2));
                return Err(abort(format!(
                    "it closed its stdout before saying ready{}",
                    st.map(|s| format!(" ({})", describe_exit(s)))
                        .unwrap_or_default()
                )));
            }
            Err(crossbeam_channel::RecvTimeoutError::Timeout) => {
                return Err(abort(format!(
                    "no ready message within startup_timeout_s = {}",
                    start.startup_timeout.as_secs_f64()
                )));
            }
        };
        let v: Value = serde_json::from_slice(&ready).map_err(|e| {
            abort(format!(
                "its first line is not JSON ({e}): {}; expected {{\"type\":\"ready\",\"name\":...,\"version\":...}} (write logs to stderr, not stdout)",
                preview(&String::from_utf8_lossy(&ready), 120)
            ))
        })?;
        if v.get("type").and_then(Value::as_str) != Some("ready") {
            return Err(abort(format!(
                "its first line is {}; expected {{\"type\":\"ready\",\"name\":...,\"version\":...}}",
                preview(&v.to_string(), 120)
            )));
        }
        let text = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
        if let Ok(mut r) = self.shared.reported.lock() {
            *r = (text("name"), text("version"));
        }
        if let Ok(mut run) = self.running.lock() {
            *run = Some(Running {
                stdin: Mutex::new(Some(stdin)),
                buf: Mutex::new(Vec::with_capacity(1 << 12)),
                threads: threads.into_inner(),
            });
        }
        Ok(())
    }

    fn bind(&self, done: Option<Completer>) {
        if let Ok(mut d) = self.shared.done.write() {
            *d = done.clone();
        }
        // A loss noticed between passes ends the next pass at once.
        let lost = self.shared.lost.lock().ok().and_then(|l| l.clone());
        if let (Some(d), Some((kind, msg))) = (done, lost) {
            d.sut_lost(kind, msg);
        }
    }

    fn issue(&self, queries: &[Query], done: &Completer) {
        let Ok(run) = self.running.lock() else {
            return;
        };
        let Some(run) = run.as_ref() else {
            done.sut_lost(FailureKind::Crash, "the SUT is not running".into());
            return;
        };
        let result = {
            let (Ok(tails), Ok(mut buf), Ok(mut stdin)) =
                (self.tails.read(), run.buf.lock(), run.stdin.lock())
            else {
                return;
            };
            buf.clear();
            for q in queries {
                buf.extend_from_slice(b"{\"type\":\"query\",\"id\":");
                let _ = write!(buf, "{}", q.id);
                match tails.get(q.index).and_then(Option::as_ref) {
                    Some(t) => buf.extend_from_slice(t),
                    None => buf.push(b'}'),
                }
                buf.push(b'\n');
            }
            match stdin.as_mut() {
                Some(w) => w.write_all(&buf),
                None => Err(std::io::ErrorKind::BrokenPipe.into()),
            }
        };
        if let Err(e) = result {
            // Usually the SUT died: the reader reports that with its exit status.
            if self.shared.wait_exit(Duration::from_secs(1)).is_some() {
                return;
            }
            self.shared.kill();
            self.shared.lost(
                FailureKind::Missing,
                format!(
                    "the SUT stopped reading its stdin (write failed: {e}); it was stopped{}",
                    self.shared.tail()
                ),
            );
        }
    }

    fn abort(&self) {
        self.shared.ending.store(true, SeqCst);
        self.shared.kill();
    }

    fn end(&self) -> Result<(), RunError> {
        self.shared.ending.store(true, SeqCst);
        let run = self.running.lock().ok().and_then(|mut r| r.take());
        let Some(run) = run else {
            return Ok(());
        };
        if let Ok(mut stdin) = run.stdin.lock()
            && let Some(mut w) = stdin.take()
        {
            let _ = write_guarded(&mut w, b"{\"type\":\"end\"}\n");
        }
        if self.shared.wait_exit(Duration::from_secs(5)).is_none() {
            self.shared.kill();
        }
        for t in run.threads {
            let _ = t.join();
        }
        if let Ok(mut c) = self.shared.child.lock() {
            *c = None;
        }
        Ok(())
    }
}

impl Drop for ProcessSut {
    fn drop(&mut self) {
        self.shared.ending.store(true, SeqCst);
        self.shared.kill();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_found_in_broken_lines() {
        assert_eq!(
            scan_id(br#"{"type":"result", "id" : 42, "x": [1,"#),
            Some(42)
        );
        assert_eq!(scan_id(br#"{"idx":3,"id":7"#), Some(7));
        assert_eq!(scan_id(b"garbage"), None);
    }

    #[test]
    fn lines_are_bounded() {
        let data = format!("short\n{}\nlast", "x".repeat(100));
        let mut r = BufReader::with_capacity(16, data.as_bytes());
        let mut buf = Vec::new();
        assert_eq!(read_line_limited(&mut r, &mut buf, 50).unwrap(), Some(None));
        assert_eq!(buf, b"short");
        assert_eq!(
            read_line_limited(&mut r, &mut buf, 50).unwrap(),
            Some(Some(100))
        );
        assert!(buf.len() <= PREFIX_KEPT && buf.iter().all(|&b| b == b'x'));
        assert_eq!(read_line_limited(&mut r, &mut buf, 50).unwrap(), Some(None));
        assert_eq!(buf, b"last");
        assert_eq!(read_line_limited(&mut r, &mut buf, 50).unwrap(), None);
    }

    #[test]
    fn answers_are_parsed_strictly() {
        match parse_answer(br#"{"type":"result","id":3,"positive":true}"#, None, 100) {
            Parsed::Answer(3, v) => assert_eq!(v, serde_json::json!({"positive": true})),
            _ => panic!(),
        }
        assert!(matches!(
            parse_answer(br#"{"type":"query","id":3}"#, None, 100),
            Parsed::Bad(Some(3), _)
        ));
        assert!(matches!(
            parse_answer(br#"{"type":"result"}"#, None, 100),
            Parsed::Bad(None, _)
        ));
        assert!(matches!(
            parse_answer(br#"{"type":"result","id":3,"#, None, 100),
            Parsed::Bad(Some(3), _)
        ));
        assert!(matches!(
            parse_answer(b"[1]", None, 100),
            Parsed::Bad(None, _)
        ));
        assert!(matches!(
            parse_answer(br#"{"id":5"#, Some(999), 100),
            Parsed::Bad(Some(5), _)
        ));
    }
}

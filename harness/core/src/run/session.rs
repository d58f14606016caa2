//! The load generator's core: one pass of queries against a started SUT. Queries are slots
//! (sample index, issue and completion times, final state) allocated in chunks as the pass
//! grows; the SUT answers through a [`Completer`] that any thread may call, and in closed-loop
//! scenarios the completing thread issues the next queries itself, so an in-process SUT runs
//! without a thread hand-off and a process SUT's reader thread answers and issues like a bare
//! pipe echo. The calling thread is the watchdog: timeouts, a hung or lost SUT, progress.

use super::log::{LogEvent, LogSink, preview};
use super::sut::Sut;
use super::{FailureKind, Outcome, Query};
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering::*};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::Thread;
use std::time::{Duration, Instant};

const UNISSUED: u8 = 0;
const PENDING: u8 = 1;
const ANSWERED: u8 = 2;
const CRASH: u8 = 3;
const TIMEOUT: u8 = 4;
const MALFORMED: u8 = 5;
const MISSING: u8 = 6;

const CHUNK_BITS: u32 = 14;
const CHUNK: usize = 1 << CHUNK_BITS;
const BATCH: usize = 64;

fn code_of(kind: FailureKind) -> u8 {
    match kind {
        FailureKind::Crash => CRASH,
        FailureKind::Timeout => TIMEOUT,
        FailureKind::Malformed => MALFORMED,
        FailureKind::Missing => MISSING,
    }
}

/// The final state of a query slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SlotState {
    /// Answered (right or wrong).
    Answered,
    /// Failed.
    Failed(FailureKind),
    /// Still pending when the pass was cut short.
    Pending,
}

#[derive(Default)]
struct Slot {
    state: AtomicU8,
    issued_ns: AtomicU64,
    completed_ns: AtomicU64,
}

/// Which sample each query asks about.
#[derive(Clone)]
pub(crate) enum Plan {
    /// Query `k` asks about `list[k]` (accuracy: each sample once).
    List(Arc<[usize]>),
    /// Query `k` asks about `order[k % len]` (performance: a seeded order, cycled).
    Cycle(Arc<[usize]>),
}

impl Plan {
    fn index(&self, k: u64) -> usize {
        match self {
            Plan::List(l) => l[k as usize],
            Plan::Cycle(c) => c[(k % c.len() as u64) as usize],
        }
    }
}

/// When a pass stops issuing.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Stop {
    /// After exactly this many queries.
    Count(u64),
    /// Once both the minimum duration and the minimum count are reached, or at the maximum.
    Duration {
        min_ns: u64,
        min_count: u64,
        max_count: u64,
    },
}

impl Stop {
    fn capacity(&self) -> u64 {
        match *self {
            Stop::Count(n) => n,
            Stop::Duration { max_count, .. } => max_count,
        }
    }

    /// How many more queries may be issued after `issued`, `elapsed_ns` into the pass.
    fn allowed(&self, issued: u64, elapsed_ns: u64) -> u64 {
        match *self {
            Stop::Count(n) => n.saturating_sub(issued),
            Stop::Duration {
                min_ns,
                min_count,
                max_count,
            } => {
                if issued >= max_count || (elapsed_ns >= min_ns && issued >= min_count) {
                    0
                } else {
                    max_count - issued
                }
            }
        }
    }
}

/// How queries are issued.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Issue {
    /// Keep up to `window` queries outstanding; every completion refills the window.
    Closed { window: usize },
    /// Poisson arrivals at `rate_qps` (seeded), at most `window` outstanding.
    Open {
        window: usize,
        rate_qps: f64,
        seed: u64,
    },
}

/// Everything a pass needs.
pub(crate) struct PassSpec {
    /// First query id of the pass (ids stay unique across the passes of a SUT session).
    pub base_id: u64,
    /// Sample of each query.
    pub plan: Plan,
    /// When to stop issuing.
    pub stop: Stop,
    /// How to issue.
    pub issue: Issue,
    /// Per-query timeout.
    pub timeout: Duration,
    /// Timeouts in a row that make the SUT count as hung (0: never).
    pub max_consecutive_timeouts: u64,
    /// Log every answer as it arrives (accuracy); otherwise only failures are logged live and
    /// the caller logs the rest from the slots.
    pub log_answers: bool,
    /// Whether strays count in the scorecard (not in warm-up).
    pub count_strays: bool,
    /// `warmup` or `timed` for performance passes, recorded with logged queries.
    pub pass: Option<&'static str>,
    /// The SUT session's clock origin.
    pub clock: Instant,
    /// Set (by a signal handler) to stop issuing and end the pass, leaving the queries in
    /// flight unrecorded so that a resume asks them again.
    pub interrupt: Option<&'static AtomicBool>,
}

/// How a pass ended.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum PassEnd {
    /// Every issued query ended.
    Complete,
    /// The SUT died or closed its output (`kind` is what the in-flight queries got).
    Lost { message: String },
    /// The SUT stopped answering and was stopped.
    Hung { message: String },
    /// A stop was requested (SIGINT/SIGTERM): nothing more was issued, the SUT was stopped and
    /// the queries in flight were left unrecorded.
    Interrupted,
}

/// What a pass leaves: the slots' final states and times, and how it ended.
pub(crate) struct PassResult {
    /// Per query: sample index, issue ns, completion ns, state.
    pub queries: Vec<(usize, u64, u64, SlotState)>,
    /// Nanoseconds (session clock) of the first issue.
    pub started_ns: u64,
    /// How it ended.
    pub end: PassEnd,
}

/// Live counts for progress displays.
pub(crate) trait PassObserver: Sync {
    /// `done` of `planned` queries have ended (`planned` grows in duration-bound passes).
    fn progress(&self, done: u64, planned: u64);
}

struct Shared {
    spec: PassSpec,
    chunks: Box<[OnceLock<Box<[Slot]>>]>,
    sut: Arc<dyn Sut>,
    log: LogSink,
    start_ns: u64,
    /// Session ns of the first issue: the origin of the minimum duration.
    origin_ns: AtomicU64,
    timeout_ns: u64,
    driving: AtomicBool,
    next: AtomicU64,
    outstanding: AtomicU64,
    done: AtomicU64,
    issuing_done: AtomicBool,
    finished: AtomicBool,
    halted: AtomicBool,
    end: Mutex<Option<PassEnd>>,
    consecutive_timeouts: AtomicU64,
    last_progress_ns: AtomicU64,
    issuer_waiting: AtomicBool,
    watchdog: Thread,
    issuer: OnceLock<Thread>,
}

/// The completion call: SUT adapters report how each query ended through it, from any thread,
/// in any order. Duplicates, unknown ids and late answers are recorded, never counted as answers.
#[derive(Clone)]
pub struct Completer(Arc<Shared>);

impl Shared {
    fn now_ns(&self) -> u64 {
        self.spec.clock.elapsed().as_nanos() as u64
    }

    fn slot(&self, k: u64) -> &Slot {
        let chunk = self.chunks[(k >> CHUNK_BITS) as usize]
            .get_or_init(|| (0..CHUNK).map(|_| Slot::default()).collect());
        &chunk[(k as usize) & (CHUNK - 1)]
    }

    fn stop_requested(&self) -> bool {
        self.spec.interrupt.is_some_and(|f| f.load(SeqCst))
    }

    /// Ends the pass on a stop request: the SUT is stopped, pending queries stay unrecorded.
    fn interrupt(&self) {
        if self.halted.swap(true, SeqCst) {
            return;
        }
        self.sut.abort();
        self.halt(PassEnd::Interrupted);
    }

    fn window(&self) -> u64 {
        match self.spec.issue {
            Issue::Closed { window } | Issue::Open { window, .. } => window as u64,
        }
    }

    fn closed(&self) -> bool {
        matches!(self.spec.issue, Issue::Closed { .. })
    }

    fn halt(&self, end: PassEnd) {
        if let Ok(mut e) = self.end.lock()
            && e.is_none()
        {
            *e = Some(end);
        }
        self.halted.store(true, SeqCst);
        self.watchdog.unpark();
        if let Some(t) = self.issuer.get() {
            t.unpark();
        }
    }

    fn check_finished(&self) {
        if self.issuing_done.load(SeqCst)
            && self.outstanding.load(SeqCst) == 0
            && !self.finished.swap(true, SeqCst)
        {
            self.watchdog.unpark();
            if let Some(t) = self.issuer.get() {
                t.unpark();
            }
        }
    }

    /// Records a stray answer (bounded in the log by the session's budget); a flood of them
    /// stops the SUT and ends the pass as lost.
    fn stray(&self, kind: &'static str, q: Option<u64>, at_ns: u64, detail: String) {
        let counted = self.spec.count_strays && kind != "late";
        if let Some(message) = self.log.stray(kind, q, at_ns, counted, detail) {
            self.stop_sut(
                message,
                "the SUT was stopped for flooding stray answers before answering",
                |message| PassEnd::Lost { message },
            );
        }
    }

    /// Stops a SUT that misbehaves (hung, flooding): the queries in flight end as `missing`
    /// with `detail`, and the pass ends as `end(message)`.
    fn stop_sut(&self, message: String, detail: &str, end: fn(String) -> PassEnd) {
        if self.halted.swap(true, SeqCst) {
            return;
        }
        self.sut.abort();
        fail_pending(self, MISSING, FailureKind::Missing, detail);
        self.halt(end(message));
    }

    /// Ends slot `k` with `code` if it is still pending; otherwise hands the outcome back.
    fn try_finish(&self, k: u64, code: u8, outcome: Outcome, now: u64) -> Result<(), Outcome> {
        let slot = self.slot(k);
        if slot
            .state
            .compare_exchange(PENDING, code, AcqRel, Acquire)
            .is_err()
        {
            return Err(outcome);
        }
        slot.completed_ns.store(now, Release);
        if code == ANSWERED {
            self.consecutive_timeouts.store(0, Relaxed);
        } else if code == TIMEOUT {
            self.consecutive_timeouts.fetch_add(1, Relaxed);
        }
        if self.spec.log_answers || code != ANSWERED {
            self.log.send(LogEvent::Done {
                q: self.spec.base_id + k,
                index: self.spec.plan.index(k),
                issued_ns: slot.issued_ns.load(Acquire),
                completed_ns: now,
                outcome,
                keep_answer: self.spec.log_answers,
                pass: self.spec.pass,
            });
        }
        self.last_progress_ns.store(now, Relaxed);
        self.done.fetch_add(1, Relaxed);
        self.outstanding.fetch_sub(1, SeqCst);
        Ok(())
    }

    /// Ends slot `k` with `code` if it is still pending. Returns false when it was not.
    fn finish_slot(&self, k: u64, code: u8, outcome: Outcome, now: u64) -> bool {
        self.try_finish(k, code, outcome, now).is_ok()
    }
}

impl Completer {
    /// Reports how query `id` ended.
    pub fn complete(&self, id: u64, outcome: Outcome) {
        let s = &*self.0;
        let now = s.now_ns();
        let Some(k) = id
            .checked_sub(s.spec.base_id)
            .filter(|&k| k < s.next.load(Acquire))
        else {
            let kind = if id < s.spec.base_id {
                "late"
            } else {
                "unknown_id"
            };
            s.stray(kind, Some(id), now, describe(&outcome));
            return;
        };
        let code = match &outcome {
            Outcome::Answer(_) => ANSWERED,
            Outcome::Failed(kind, _) => code_of(*kind),
        };
        let outcome = match s.try_finish(k, code, outcome, now) {
            Ok(()) => {
                if s.closed() {
                    self.drive(Some(now));
                } else if s.issuer_waiting.load(SeqCst)
                    && let Some(t) = s.issuer.get()
                {
                    t.unpark();
                }
                s.check_finished();
                return;
            }
            Err(back) => back,
        };
        let kind = match s.slot(k).state.load(Acquire) {
            TIMEOUT => "late",
            UNISSUED => "unknown_id",
            _ => "duplicate",
        };
        s.stray(kind, Some(id), now, describe(&outcome));
    }

    /// Reports an answer line that names no query (not JSON, no id): it counts under
    /// `unknown_id`, since it cannot be attributed.
    pub fn unattributed(&self, detail: String) {
        let s = &*self.0;
        s.stray("unknown_id", None, s.now_ns(), detail);
    }

    /// Reports that the SUT can answer no more (it exited, crashed or closed its output):
    /// every query in flight ends as `kind` with `message`, and the pass stops.
    pub fn sut_lost(&self, kind: FailureKind, message: String) {
        let s = &*self.0;
        if s.halted.load(SeqCst) {
            return;
        }
        if s.stop_requested() {
            // The SUT got the same signal (a process group's Ctrl-C, a batch system's
            // SIGTERM): its queries in flight are not its fault and are asked again on resume.
            s.interrupt();
            return;
        }
        s.halted.store(true, SeqCst);
        fail_pending(s, code_of(kind), kind, &message);
        s.halt(PassEnd::Lost { message });
    }

    /// Nanoseconds since the SUT session started (the clock of the log).
    pub fn now_ns(&self) -> u64 {
        self.0.now_ns()
    }

    /// Issues queries while the window and the stop rule allow. Whoever completes a query
    /// calls this (with the completion time, so that a pass stops only once a completion
    /// reached the minimum duration); only one thread issues at a time, the others return.
    fn drive(&self, completed_ns: Option<u64>) {
        let s = &*self.0;
        let window = s.window();
        loop {
            if s.driving.swap(true, SeqCst) {
                return;
            }
            let mut batch = [Query::default(); BATCH];
            loop {
                if s.halted.load(Relaxed) || s.issuing_done.load(Relaxed) {
                    break;
                }
                if s.stop_requested() {
                    s.watchdog.unpark();
                    break;
                }
                let out = s.outstanding.load(SeqCst);
                if out >= window {
                    break;
                }
                let next = s.next.load(Relaxed);
                let now = s.now_ns();
                let origin = match s.origin_ns.load(Relaxed) {
                    u64::MAX => {
                        s.origin_ns.store(now, Relaxed);
                        now
                    }
                    o => o,
                };
                let decided_at = completed_ns.unwrap_or(now).max(origin);
                let allowed = s.spec.stop.allowed(next, decided_at - origin);
                if allowed == 0 {
                    s.issuing_done.store(true, SeqCst);
                    s.check_finished();
                    break;
                }
                let n = (window - out).min(allowed).min(BATCH as u64);
                for j in 0..n {
                    let k = next + j;
                    let slot = s.slot(k);
                    slot.issued_ns.store(now, Relaxed);
                    slot.state.store(PENDING, Release);
                    batch[j as usize] = Query {
                        id: s.spec.base_id + k,
                        index: s.spec.plan.index(k),
                    };
                }
                s.outstanding.fetch_add(n, SeqCst);
                s.next.store(next + n, SeqCst);
                s.log.issued(n);
                s.last_progress_ns.store(now, Relaxed);
                s.sut.issue(&batch[..n as usize], self);
            }
            s.driving.store(false, SeqCst);
            if s.halted.load(SeqCst)
                || s.issuing_done.load(SeqCst)
                || s.outstanding.load(SeqCst) >= window
            {
                return;
            }
        }
    }

    /// The open-loop issuer: Poisson arrivals, issue time = scheduled time.
    fn issue_open(&self, rate_qps: f64, seed: u64) {
        use rand::{Rng, SeedableRng};
        let s = &*self.0;
        let window = s.window();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let mut at = 0.0f64;
        let mut previous = 0u64;
        let mut k = 0u64;
        loop {
            let scheduled = s.start_ns + (at * 1e9) as u64;
            // As in LoadGen, the last query is the first one scheduled at or after the
            // minimum duration.
            if s.spec.stop.allowed(k, previous) == 0 {
                break;
            }
            previous = scheduled - s.start_ns;
            loop {
                if s.halted.load(SeqCst) || s.stop_requested() {
                    s.watchdog.unpark();
                    return;
                }
                let now = s.now_ns();
                if now >= scheduled {
                    break;
                }
                s.last_progress_ns.store(now, Relaxed);
                std::thread::sleep(
                    Duration::from_nanos(scheduled - now).min(Duration::from_millis(100)),
                );
            }
            while s.outstanding.load(SeqCst) >= window {
                s.issuer_waiting.store(true, SeqCst);
                if s.outstanding.load(SeqCst) >= window && !s.halted.load(SeqCst) {
                    std::thread::park_timeout(Duration::from_millis(5));
                }
                s.issuer_waiting.store(false, SeqCst);
                if s.halted.load(SeqCst) {
                    return;
                }
            }
            let slot = s.slot(k);
            slot.issued_ns.store(scheduled, Relaxed);
            slot.state.store(PENDING, Release);
            s.outstanding.fetch_add(1, SeqCst);
            s.next.store(k + 1, SeqCst);
            s.log.issued(1);
            s.last_progress_ns.store(s.now_ns(), Relaxed);
            let q = [Query {
                id: s.spec.base_id + k,
                index: s.spec.plan.index(k),
            }];
            s.sut.issue(&q, self);
            k += 1;
            // Exponential inter-arrival time with mean 1/rate.
            let u: f64 = rng.random::<f64>();
            at += -(1.0 - u).ln() / rate_qps;
        }
        s.issuing_done.store(true, SeqCst);
        s.check_finished();
    }
}

fn describe(o: &Outcome) -> String {
    match o {
        Outcome::Answer(v) => preview(&v.to_string(), 200),
        Outcome::Failed(k, d) => format!("{}: {}", k.as_str(), preview(d, 200)),
    }
}

fn fail_pending(s: &Shared, code: u8, kind: FailureKind, message: &str) {
    let next = s.next.load(SeqCst);
    let now = s.now_ns();
    for k in 0..next {
        if s.slot(k).state.load(Acquire) == PENDING {
            s.finish_slot(k, code, Outcome::Failed(kind, message.to_string()), now);
        }
    }
}

/// Runs one pass on the calling thread (the watchdog) and returns when every issued query has
/// ended or the SUT is lost or hung.
pub(crate) fn run_pass(
    sut: &Arc<dyn Sut>,
    spec: PassSpec,
    log: &LogSink,
    observer: &dyn PassObserver,
) -> PassResult {
    let capacity = spec.stop.capacity();
    let n_chunks = capacity.div_ceil(CHUNK as u64).max(1) as usize;
    let timeout_ns = spec.timeout.as_nanos() as u64;
    let start_ns = spec.clock.elapsed().as_nanos() as u64;
    let max_consecutive = spec.max_consecutive_timeouts;
    let issue = spec.issue;
    let shared = Arc::new(Shared {
        spec,
        chunks: (0..n_chunks).map(|_| OnceLock::new()).collect(),
        sut: sut.clone(),
        log: log.clone(),
        start_ns,
        origin_ns: AtomicU64::new(u64::MAX),
        timeout_ns,
        driving: AtomicBool::new(false),
        next: AtomicU64::new(0),
        outstanding: AtomicU64::new(0),
        done: AtomicU64::new(0),
        issuing_done: AtomicBool::new(false),
        finished: AtomicBool::new(false),
        halted: AtomicBool::new(false),
        end: Mutex::new(None),
        consecutive_timeouts: AtomicU64::new(0),
        last_progress_ns: AtomicU64::new(start_ns),
        issuer_waiting: AtomicBool::new(false),
        watchdog: std::thread::current(),
        issuer: OnceLock::new(),
    });
    let done = Completer(shared.clone());
    sut.bind(Some(done.clone()));
    let issuer_done = done.clone();
    let issuer = std::thread::Builder::new()
        .name("jiebang-issue".into())
        .spawn(move || {
            super::sut::block_sigpipe();
            let s = &*issuer_done.0;
            match issue {
                Issue::Closed { .. } => loop {
                    issuer_done.drive(None);
                    if s.finished.load(SeqCst) || s.halted.load(SeqCst) {
                        break;
                    }
                    std::thread::park_timeout(Duration::from_millis(50));
                },
                Issue::Open { rate_qps, seed, .. } => issuer_done.issue_open(rate_qps, seed),
            }
        });
    let issuer = match issuer {
        Ok(h) => {
            let _ = shared.issuer.set(h.thread().clone());
            Some(h)
        }
        Err(e) => {
            shared.halt(PassEnd::Lost {
                message: format!("cannot start the issuing thread: {e}"),
            });
            None
        }
    };
    watch(&shared, &done, observer, max_consecutive);
    sut.bind(None);
    let end = shared
        .end
        .lock()
        .ok()
        .and_then(|e| e.clone())
        .unwrap_or(PassEnd::Complete);
    if end == PassEnd::Complete
        && let Some(h) = issuer
    {
        let _ = h.join();
    }
    let next = shared.next.load(SeqCst);
    let queries = (0..next)
        .map(|k| {
            let slot = shared.slot(k);
            let state = match slot.state.load(Acquire) {
                ANSWERED => SlotState::Answered,
                CRASH => SlotState::Failed(FailureKind::Crash),
                TIMEOUT => SlotState::Failed(FailureKind::Timeout),
                MALFORMED => SlotState::Failed(FailureKind::Malformed),
                MISSING => SlotState::Failed(FailureKind::Missing),
                _ => SlotState::Pending,
            };
            (
                shared.spec.plan.index(k),
                slot.issued_ns.load(Acquire),
                slot.completed_ns.load(Acquire),
                state,
            )
        })
        .collect();
    PassResult {
        queries,
        started_ns: start_ns,
        end,
    }
}

/// The watchdog loop: expires timed-out queries, notices a hung SUT, reports progress.
fn watch(s: &Shared, done: &Completer, observer: &dyn PassObserver, max_consecutive: u64) {
    let tick = Duration::from_nanos((s.timeout_ns / 4).clamp(1_000_000, 50_000_000));
    let mut oldest = 0u64;
    let stuck_after = s.timeout_ns.saturating_mul(2).saturating_add(1_000_000_000);
    loop {
        if s.finished.load(SeqCst) || s.halted.load(SeqCst) {
            break;
        }
        std::thread::park_timeout(tick);
        if s.stop_requested() {
            s.interrupt();
            break;
        }
        let now = s.now_ns();
        // Timeouts: slots are issued in time order, so the oldest pending one expires first.
        let next = s.next.load(SeqCst);
        let mut expired = false;
        while oldest < next {
            let slot = s.slot(oldest);
            match slot.state.load(Acquire) {
                PENDING => {
                    if slot.issued_ns.load(Relaxed).saturating_add(s.timeout_ns) > now {
                        break;
                    }
                    let secs = s.timeout_ns as f64 / 1e9;
                    expired |= s.finish_slot(
                        oldest,
                        TIMEOUT,
                        Outcome::Failed(
                            FailureKind::Timeout,
                            format!("no answer within timeout_s = {secs}"),
                        ),
                        now,
                    );
                    oldest += 1;
                }
                UNISSUED => break,
                _ => oldest += 1,
            }
        }
        if expired {
            if let Some(t) = s.issuer.get() {
                t.unpark();
            }
            s.check_finished();
        }
        let in_a_row = s.consecutive_timeouts.load(Relaxed);
        if max_consecutive > 0 && in_a_row >= max_consecutive {
            hung(
                s,
                done,
                format!(
                    "the SUT looks hung: {in_a_row} queries in a row got no answer within timeout_s = {}; it was stopped",
                    s.timeout_ns as f64 / 1e9
                ),
            );
            break;
        }
        let idle = now.saturating_sub(s.last_progress_ns.load(Relaxed));
        if idle > stuck_after && !s.finished.load(SeqCst) {
            hung(
                s,
                done,
                format!(
                    "the SUT made no progress for {:.1} s (it neither answered nor accepted queries); it was stopped",
                    idle as f64 / 1e9
                ),
            );
            break;
        }
        let planned = match s.spec.stop {
            Stop::Count(n) => n,
            Stop::Duration { .. } => s.next.load(Relaxed),
        };
        observer.progress(s.done.load(Relaxed), planned);
    }
    let planned = match s.spec.stop {
        Stop::Count(n) => n,
        Stop::Duration { .. } => s.next.load(Relaxed),
    };
    observer.progress(s.done.load(Relaxed), planned);
    let _ = done;
}

fn hung(s: &Shared, _done: &Completer, message: String) {
    s.stop_sut(
        message,
        "the SUT was stopped as hung before answering",
        |message| PassEnd::Hung { message },
    );
}

//! Fault injection with real child processes: SUTs that crash, hang, write garbage, answer
//! unknown or duplicate ids, write a 10 MB line, close stdout early, answer out of order or
//! never say ready. Each ends in a clear message or a recorded failure — never a panic, never
//! a hang, never a correct answer.

mod run_support;

use jiebang_core::run::{RunError, read_log};
use run_support::*;
use std::time::{Duration, Instant};

/// Runs with a deadline far above what the test needs: a hang fails the test, not CI.
fn timed<T>(limit: Duration, f: impl FnOnce() -> T) -> T {
    let t0 = Instant::now();
    let out = f();
    assert!(t0.elapsed() < limit, "took {:?}", t0.elapsed());
    out
}

fn right(n: usize, ok: impl Fn(usize) -> bool) -> f64 {
    right_share(n, (0..n).filter(|&i| ok(i)).count())
}

#[test]
fn a_crash_mid_run_keeps_the_log_and_resume_finishes() {
    let w = World::new(14, "");
    let s = || with(&[("max_in_flight", "1")]);
    let err = timed(Duration::from_secs(20), || {
        w.run(w.open(&fixture("crash_mid.py", "5")), s(), "c.log", false)
    })
    .err()
    .unwrap();
    let msg = err.to_string();
    assert!(matches!(err, RunError::SutLost { .. }), "{msg}");
    assert!(
        msg.contains("crashed") && msg.contains("exit status 1"),
        "{msg}"
    );
    assert!(
        msg.contains("RuntimeError: crash_mid"),
        "stderr tail missing: {msg}"
    );
    assert!(msg.contains("--resume"), "{msg}");
    let t = read_log(&w.path("c.log")).unwrap().tally().unwrap();
    assert_eq!((t.answered, t.failures["crash"]), (5, 1));
    // Each resume answers five more and crashes on the sixth, which counts as a crash.
    let mut sessions = 1;
    let done = loop {
        sessions += 1;
        assert!(sessions < 10);
        match w.run(w.open(&fixture("crash_mid.py", "5")), s(), "c.log", true) {
            Ok(r) => break r,
            Err(RunError::SutLost { .. }) => continue,
            Err(e) => panic!("{e}"),
        }
    };
    let q = &done.scorecard.run.queries;
    assert_eq!(q.issued, 14);
    assert_eq!(q.failures.crash, 2, "{q:?}");
    assert_eq!(q.answered, 12);
    // Crashed queries are wrong answers: 12 of 14 right.
    assert_eq!(accuracy(&done.scorecard), right_share(14, 12));
}

#[test]
fn a_hung_sut_is_stopped_and_its_queries_time_out() {
    let w = World::new(20, "");
    let s = with(&[("max_in_flight", "1"), ("timeout_s", "1")]);
    let err = timed(Duration::from_secs(15), || {
        w.run(w.open(&fixture("hang.py", "3")), s, "h.log", false)
    })
    .err()
    .unwrap();
    let msg = err.to_string();
    assert!(
        msg.contains("looks hung") && msg.contains("3 queries in a row"),
        "{msg}"
    );
    let t = read_log(&w.path("h.log")).unwrap().tally().unwrap();
    assert_eq!(t.answered, 3);
    assert_eq!(t.failures["timeout"], 3);
    assert!(t.answers.values().filter(|a| a.is_some()).count() == 3);
}

#[test]
fn garbage_and_wrong_shapes_are_recorded_not_trusted() {
    let w = World::new(15, "");
    let s = with(&[("timeout_s", "1"), ("max_consecutive_timeouts", "0")]);
    let r = timed(Duration::from_secs(15), || {
        w.run(w.open(&fixture("garbage.py", "")), s, "g.log", false)
    })
    .unwrap();
    let q = &r.scorecard.run.queries;
    let garbage = (0..15).filter(|x| x % 3 == 1).count() as u64;
    let shape = (0..15).filter(|x| x % 3 != 1 && x % 5 == 4).count() as u64;
    // A garbage line names no query: it counts as an unknown id, and its query times out.
    assert_eq!(q.failures.unknown_id, garbage, "{q:?}");
    assert_eq!(q.failures.timeout, garbage, "{q:?}");
    assert_eq!(q.failures.malformed, shape, "{q:?}");
    assert_eq!(q.answered, 15 - garbage - shape);
    assert_eq!(
        accuracy(&r.scorecard),
        right(15, |x| x % 3 != 1 && x % 5 != 4)
    );
}

#[test]
fn unknown_and_duplicate_ids_are_counted() {
    let w = World::new(8, "");
    let s = with(&[("timeout_s", "1"), ("max_consecutive_timeouts", "0")]);
    let r = timed(Duration::from_secs(15), || {
        w.run(w.open(&fixture("unknown_dup.py", "")), s, "u.log", false)
    })
    .unwrap();
    let q = &r.scorecard.run.queries;
    assert_eq!(q.failures.duplicate, 1, "{q:?}");
    assert_eq!(q.failures.unknown_id, 1, "{q:?}");
    assert_eq!(q.failures.timeout, 1, "{q:?}");
    assert_eq!(q.answered, 7);
    assert_eq!(accuracy(&r.scorecard), right(8, |x| x != 4));
}

#[test]
fn a_10_mb_line_is_malformed_and_attributed() {
    let w = World::new(6, "");
    let r = timed(Duration::from_secs(20), || {
        w.run(
            w.open(&fixture("big_line.py", "")),
            settings(),
            "b.log",
            false,
        )
    })
    .unwrap();
    let q = &r.scorecard.run.queries;
    assert_eq!(q.failures.malformed, 1, "{q:?}");
    assert_eq!(q.answered, 5);
    assert_eq!(accuracy(&r.scorecard), right(6, |x| x != 3));
    let log = std::fs::read_to_string(w.path("b.log")).unwrap();
    assert!(log.contains("exceeds max_line_bytes = 8388608"));
    assert!(
        log.len() < 1 << 20,
        "the huge line must not be copied into the log"
    );
    // With a higher limit the same line is an ordinary (right) answer.
    let r = w
        .run(
            w.open(&fixture("big_line.py", "")),
            with(&[("max_line_bytes", "16777216")]),
            "b2.log",
            false,
        )
        .unwrap();
    assert_eq!(accuracy(&r.scorecard), 1.0);
}

#[test]
fn closing_stdout_early_ends_the_run_clearly() {
    let w = World::new(10, "");
    let s = with(&[("max_in_flight", "1")]);
    let err = timed(Duration::from_secs(15), || {
        w.run(w.open(&fixture("close_stdout.py", "4")), s, "o.log", false)
    })
    .err()
    .unwrap();
    let msg = err.to_string();
    assert!(msg.contains("closed its stdout"), "{msg}");
    let t = read_log(&w.path("o.log")).unwrap().tally().unwrap();
    assert_eq!((t.answered, t.failures["missing"]), (4, 1));
}

#[test]
fn answers_out_of_order_are_matched_by_id() {
    let w = World::new(23, "");
    let r = timed(Duration::from_secs(15), || {
        w.run(
            w.open(&fixture("out_of_order.py", "4")),
            with(&[("max_in_flight", "4")]),
            "r.log",
            false,
        )
    })
    .unwrap();
    assert_eq!(accuracy(&r.scorecard), 1.0);
    assert_eq!(r.scorecard.run.queries.answered, 23);
    // The log shows answers completing out of issue order.
    let log = read_log(&w.path("r.log")).unwrap();
    let order: Vec<u64> = log
        .lines
        .iter()
        .filter_map(|(_, l)| match l {
            jiebang_core::run::log::LogLine::Query(q) => Some(q.q),
            _ => None,
        })
        .collect();
    assert!(order.windows(2).any(|p| p[0] > p[1]), "{order:?}");
}

#[test]
fn a_wrong_message_type_is_malformed() {
    let w = World::new(10, "");
    let r = w
        .run(
            w.open(&fixture("wrong_type.py", "")),
            settings(),
            "t.log",
            false,
        )
        .unwrap();
    assert_eq!(r.scorecard.run.queries.failures.malformed, 5);
    assert_eq!(accuracy(&r.scorecard), right(10, |x| x % 2 == 1));
}

#[test]
fn a_sut_that_never_says_ready_is_refused_with_its_output() {
    let w = World::new(4, "");
    let err = timed(Duration::from_secs(15), || {
        w.run(
            w.open(&fixture("bad_ready.py", "")),
            settings(),
            "n.log",
            false,
        )
    })
    .err()
    .unwrap();
    let msg = err.to_string();
    assert!(matches!(err, RunError::SutStart { .. }), "{msg}");
    assert!(msg.contains("loading model"), "{msg}");
    assert!(msg.contains("stderr, not stdout"), "{msg}");
    assert!(msg.contains("model loaded"), "stderr tail missing: {msg}");
    // Nothing was recorded: the new log is removed, so the same command can simply be rerun.
    assert!(!w.path("n.log").exists());
    let err = w
        .run(
            w.open("no-such-program-jiebang"),
            settings(),
            "m.log",
            false,
        )
        .err()
        .unwrap();
    assert!(err.to_string().contains("cannot run"), "{err}");
}

//! Accuracy runs end to end with the mock direction: built-in, mock, process and predictions
//! SUTs; failures scored as wrong; `kill -9` then `--resume`; shards merged into the single
//! run's metrics.

mod run_support;

use jiebang_core::run::sut::{MockReply, MockSut};
use jiebang_core::run::{
    FailureKind, RunError, RunSettings, Shard, read_log, read_shard_logs, score_logs,
};
use run_support::*;
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[test]
fn builtin_oracle_answers_everything_right() {
    let w = World::new(30, "");
    let r = w
        .run(w.open("builtin:oracle"), settings(), "a.log.jsonl", false)
        .unwrap();
    let sc = &r.scorecard;
    assert_eq!(accuracy(sc), 1.0);
    assert_eq!(sc.run.queries.issued, 30);
    assert_eq!(sc.run.queries.answered, 30);
    assert_eq!(sc.run.queries.failures, Default::default());
    assert_eq!(sc.run.mode, "accuracy");
    assert_eq!(sc.pins.sut.adapter, "builtin");
    assert_eq!(sc.pins.sut.version.as_deref(), Some("1.0"));
    assert_eq!(sc.pins.settings["mode"], json!("accuracy"));
    assert_eq!(sc.pins.settings["timeout_s"], json!(60.0));
    assert!(
        sc.pins.settings["dataset_root"]
            .as_str()
            .unwrap()
            .ends_with("data")
    );
    assert_eq!(sc.pins.dataset.hash, w.dataset.hash);
    assert_eq!(sc.indicators.len(), 1);
    assert_eq!(sc.indicators[0].measured, Some(1.0));
    // The log holds the header and one record per sample.
    let log = read_log(&r.log).unwrap();
    assert_eq!(log.tally().unwrap().answers.len(), 30);
    assert!(!log.torn);
}

#[test]
fn in_flight_limit_does_not_change_metrics() {
    let w = World::new(50, "");
    let one = w
        .run(
            w.open("builtin:parity"),
            with(&[("max_in_flight", "1")]),
            "1.log",
            false,
        )
        .unwrap();
    let many = w
        .run(
            w.open("builtin:parity"),
            with(&[("max_in_flight", "16")]),
            "16.log",
            false,
        )
        .unwrap();
    assert_eq!(one.scorecard.metrics, many.scorecard.metrics);
    assert_eq!(one.scorecard.digests, many.scorecard.digests);
    let right = (0..50).filter(|&x| (x % 2 == 0) == label(x)).count();
    assert_eq!(accuracy(&one.scorecard), right_share(50, right));
}

#[test]
fn failures_are_counted_apart_and_scored_as_wrong() {
    let w = World::new(40, "");
    let sut = Arc::new(MockSut::new("faulty", |i| {
        let right = json!({ "positive": label(i) });
        let reply = match i {
            0 | 10 => MockReply::Silent,
            1 => MockReply::Fail(FailureKind::Malformed, "bad bytes".into()),
            2 => MockReply::Twice(right),
            3 => MockReply::WrongId(right),
            4 => MockReply::Answer(json!({ "positive": "yes" })),
            _ => MockReply::Answer(right),
        };
        (Duration::from_millis(1), reply)
    }));
    let s = with(&[("timeout_s", "1"), ("max_consecutive_timeouts", "0")]);
    let t0 = Instant::now();
    let r = w.run(sut, s, "f.log", false).unwrap();
    assert!(t0.elapsed() < Duration::from_secs(10));
    let q = &r.scorecard.run.queries;
    assert_eq!(q.issued, 40);
    // 0 and 10 silent, 3 answered a wrong id (so its own query times out).
    assert_eq!(q.failures.timeout, 3, "{q:?}");
    // 1 reported malformed, 4 failed the task's answer check.
    assert_eq!(q.failures.malformed, 2, "{q:?}");
    assert_eq!(q.failures.duplicate, 1);
    assert_eq!(q.failures.unknown_id, 1);
    assert_eq!(q.answered, 35);
    assert_eq!(q.answered + q.failures.failed_queries(), q.issued);
    assert_eq!(accuracy(&r.scorecard), right_share(40, 35));
}

#[test]
fn process_sut_answers_over_pipes() {
    let w = World::new(25, "");
    let r = w
        .run(
            w.open(&fixture("labels.py", "--parity")),
            with(&[("max_in_flight", "4")]),
            "p.log",
            false,
        )
        .unwrap();
    let sc = &r.scorecard;
    let right = (0..25).filter(|&x| (x % 2 == 0) == label(x)).count();
    assert_eq!(accuracy(sc), right_share(25, right));
    assert_eq!(sc.pins.sut.adapter, "process");
    assert_eq!(sc.pins.sut.name, "labels");
    assert_eq!(sc.pins.sut.version.as_deref(), Some("1.0"));
    // The script named on the command line is pinned by its sha256.
    assert_eq!(sc.pins.sut.files.len(), 1);
    assert!(sc.pins.sut.files[0].path.ends_with("labels.py"));
    assert_eq!(
        sc.pins.sut.files[0].sha256,
        jiebang_core::sha256_file(std::path::Path::new(&sc.pins.sut.files[0].path)).unwrap()
    );
    // Same answers as the built-in parity system.
    let b = w
        .run(w.open("builtin:parity"), settings(), "b.log", false)
        .unwrap();
    assert_eq!(b.scorecard.metrics, sc.metrics);
}

#[test]
fn predictions_files_in_jsonl_and_csv() {
    let w = World::new(10, "");
    let jsonl = w.path("pred.jsonl");
    let mut lines: Vec<String> = (0..10)
        .filter(|&i| i != 7)
        .map(|i| json!({"sample": format!("s{i:04}"), "positive": label(i)}).to_string())
        .collect();
    lines.push(json!({"sample": "s0002", "positive": false}).to_string());
    lines.push(json!({"sample": "nope", "positive": true}).to_string());
    lines.push("{broken".into());
    std::fs::write(&jsonl, lines.join("\n") + "\n").unwrap();
    let r = w
        .run(
            w.open(&format!("predictions:{}", jsonl.display())),
            settings(),
            "j.log",
            false,
        )
        .unwrap();
    let q = &r.scorecard.run.queries;
    assert_eq!((q.issued, q.answered), (10, 9));
    assert_eq!(q.failures.missing, 1);
    assert_eq!(q.failures.duplicate, 1);
    assert_eq!(q.failures.unknown_id, 2);
    assert_eq!(accuracy(&r.scorecard), 0.9);
    assert_eq!(r.scorecard.pins.sut.adapter, "predictions");
    assert_eq!(r.scorecard.pins.sut.files.len(), 1);

    let csv = w.path("pred.csv");
    let mut text = String::from("sample,positive\n");
    for i in 0..10 {
        text.push_str(&format!("s{i:04},{}\n", label(i)));
    }
    std::fs::write(&csv, text).unwrap();
    let r = w
        .run(
            w.open(&format!("predictions:{}", csv.display())),
            settings(),
            "c.log",
            false,
        )
        .unwrap();
    assert_eq!(accuracy(&r.scorecard), 1.0);
    // A predictions file cannot be timed.
    let perf = RunSettings {
        mode: jiebang_core::run::Mode::Performance,
        ..Default::default()
    };
    let err = w
        .run(
            w.open(&format!("predictions:{}", csv.display())),
            perf,
            "cp.log",
            false,
        )
        .err()
        .unwrap();
    assert!(err.to_string().contains("accuracy"), "{err}");
}

#[test]
fn an_existing_log_needs_resume_and_a_matching_header() {
    let w = World::new(12, "");
    w.run(w.open("builtin:oracle"), settings(), "x.log", false)
        .unwrap();
    let err = w
        .run(w.open("builtin:oracle"), settings(), "x.log", false)
        .err()
        .unwrap();
    assert!(err.to_string().contains("--resume"), "{err}");
    let other_seed = RunSettings {
        seed: 9,
        ..Default::default()
    };
    let err = w
        .run(w.open("builtin:oracle"), other_seed, "x.log", true)
        .err()
        .unwrap();
    assert!(err.to_string().contains("`seed`"), "{err}");
    let err = w
        .run(w.open("builtin:parity"), settings(), "x.log", true)
        .err()
        .unwrap();
    assert!(
        err.to_string().contains("the SUT now reports") || err.to_string().contains("sut"),
        "{err}"
    );
    // Resuming a complete log scores it again: same metrics.
    let again = w
        .run(w.open("builtin:oracle"), settings(), "x.log", true)
        .unwrap();
    assert_eq!(again.already_recorded, 12);
    assert_eq!(accuracy(&again.scorecard), 1.0);
}

#[test]
fn a_torn_last_line_is_ignored_and_redone() {
    let w = World::new(20, "");
    let full = w
        .run(w.open("builtin:parity"), settings(), "full.log", false)
        .unwrap();
    // Cut the log in the middle of its 12th line, as a kill during a write would.
    let text = std::fs::read_to_string(w.path("full.log")).unwrap();
    let cut: usize = text
        .split_inclusive('\n')
        .take(11)
        .map(str::len)
        .sum::<usize>()
        + 15;
    std::fs::write(w.path("torn.log"), &text[..cut]).unwrap();
    let resumed = w
        .run(w.open("builtin:parity"), settings(), "torn.log", true)
        .unwrap();
    assert!(resumed.already_recorded < 20);
    assert_eq!(resumed.scorecard.metrics, full.scorecard.metrics);
    assert_eq!(resumed.scorecard.digests, full.scorecard.digests);
    assert_eq!(resumed.scorecard.run.queries, full.scorecard.run.queries);
}

#[test]
fn shards_merge_into_the_single_run() {
    let w = World::new(31, "");
    let single = w
        .run(w.open("builtin:parity"), settings(), "single.log", false)
        .unwrap();
    let mut logs = Vec::new();
    for i in 1..=3 {
        let s = RunSettings {
            shard: Some(Shard { index: i, count: 3 }),
            ..Default::default()
        };
        let name = format!("shard{i}.log");
        let r = w.run(w.open("builtin:parity"), s, &name, false).unwrap();
        assert_eq!(
            r.scorecard.pins.shard.as_deref(),
            Some(format!("{i}/3").as_str())
        );
        logs.push(w.path(&name));
    }
    // Given in any order.
    logs.reverse();
    let contents = read_shard_logs(&logs).unwrap();
    let merged = score_logs(
        &contents,
        w.task.as_ref(),
        &w.task.suite(),
        &w.loaded,
        &backend(),
        "data",
        &card_inputs(),
    )
    .unwrap();
    assert_eq!(merged.metrics, single.scorecard.metrics);
    assert_eq!(merged.digests, single.scorecard.digests);
    assert_eq!(merged.run.queries, single.scorecard.run.queries);
    assert_eq!(merged.pins.shard, None);
    assert_eq!(merged.pins.settings, {
        let mut s = single.scorecard.pins.settings.clone();
        s.insert("dataset_root".into(), json!("data"));
        s
    });
    // Missing and repeated shards are refused.
    let err = read_shard_logs(&logs[..2]).err().unwrap();
    assert!(err.to_string().contains("missing"), "{err}");
    let err = read_shard_logs(&[logs[0].clone(), logs[0].clone(), logs[1].clone()])
        .err()
        .unwrap();
    assert!(err.to_string().contains("also given"), "{err}");
    let err = read_shard_logs(&[logs[0].clone(), w.path("single.log")])
        .err()
        .unwrap();
    assert!(matches!(err, RunError::Log { .. }), "{err}");
}

/// The child process of the kill test: runs the slow process SUT until killed.
#[test]
#[ignore = "entry point for `kill_9_then_resume_gives_the_same_metrics`"]
fn child_run_until_killed() {
    let Ok(dir) = std::env::var("JIEBANG_TEST_WORLD") else {
        return;
    };
    let w = World::in_dir(std::path::Path::new(&dir), 60, "");
    let sut = w.open(&fixture("labels.py", "--sleep 0.02"));
    let _ = w.run(sut, with(&[("max_in_flight", "2")]), "killed.log", false);
}

#[test]
fn kill_9_then_resume_gives_the_same_metrics() {
    let w = World::new(60, "");
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--ignored",
            "--exact",
            "child_run_until_killed",
            "--nocapture",
        ])
        .env("JIEBANG_TEST_WORLD", &w.dir)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let log = w.path("killed.log");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let n = std::fs::read_to_string(&log)
            .map(|t| t.matches("\"type\":\"query\"").count())
            .unwrap_or(0);
        if n >= 25 {
            break;
        }
        assert!(Instant::now() < deadline, "the child run made no progress");
        assert!(
            child.try_wait().unwrap().is_none(),
            "the child run ended early"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let before = read_log(&log).unwrap().tally().unwrap().answers.len();
    assert!((25..60).contains(&before), "{before}");
    let sut = w.open(&fixture("labels.py", "--sleep 0.02"));
    let resumed = w
        .run(sut, with(&[("max_in_flight", "2")]), "killed.log", true)
        .unwrap();
    assert_eq!(resumed.already_recorded as usize, before);
    let sut = w.open(&fixture("labels.py", "--sleep 0.02"));
    let whole = w
        .run(sut, with(&[("max_in_flight", "2")]), "whole.log", false)
        .unwrap();
    assert_eq!(resumed.scorecard.metrics, whole.scorecard.metrics);
    assert_eq!(resumed.scorecard.digests, whole.scorecard.digests);
    assert_eq!(resumed.scorecard.run.queries, whole.scorecard.run.queries);
    let sessions = read_log(&log).unwrap().tally().unwrap().sessions;
    assert_eq!(sessions.len(), 2);
}

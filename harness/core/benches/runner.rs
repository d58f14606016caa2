//! Harness overhead: the load generator with a null in-process SUT (queries per second in
//! offline, time per query in single-stream), and the round trip of a null process SUT over
//! pipes beside a bare pipe echo of the same lines by the same child program.
//!
//! `cargo bench -p jiebang-core --bench runner` runs the criterion benchmarks;
//! `... -- --summary` prints one JSON object of medians instead (used by
//! `scripts/bench/runner.sh`). The binary is also the child process: `--jiebang-child echo`
//! echoes lines, `--jiebang-child sut` is a null SUT speaking protocol v1.

use criterion::{Criterion, Throughput};
use jiebang_core::run::Scenario;
use jiebang_core::run::overhead::{EmptySamples, PassTiming, Started};
use jiebang_core::run::sut::{MockSut, ProcessSut};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

const IN_PROCESS_QUERIES: u64 = 200_000;
const PIPE_QUERIES: u64 = 20_000;
const OFFLINE_WINDOW: usize = 64;

/// The child: `echo` copies lines back; `sut` answers the hello and turns each query line
/// into a result line by rewriting its first field, which costs the same as the echo.
fn child(mode: &str) {
    let stdin = std::io::stdin();
    let mut r = stdin.lock();
    let stdout = std::io::stdout();
    let mut w = stdout.lock();
    let mut line = Vec::with_capacity(256);
    if mode == "sut" {
        let _ = r.read_until(b'\n', &mut line);
        let _ = w.write_all(b"{\"type\":\"ready\",\"name\":\"null\",\"version\":\"1\"}\n");
        let _ = w.flush();
    }
    loop {
        line.clear();
        match r.read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        if mode == "sut" {
            if let Some(rest) = line.strip_prefix(b"{\"type\":\"query\"") {
                let _ = w.write_all(b"{\"type\":\"result\"");
                let _ = w.write_all(rest);
            } else {
                return; // {"type":"end"}
            }
        } else {
            let _ = w.write_all(&line);
        }
        let _ = w.flush();
    }
}

fn exe() -> String {
    std::env::current_exe()
        .expect("current exe")
        .display()
        .to_string()
}

fn in_process() -> Started {
    Started::new(Arc::new(MockSut::null()), Arc::new(EmptySamples(1024)), 1).expect("null SUT")
}

fn process_sut() -> Started {
    let argv = vec![exe(), "--jiebang-child".into(), "sut".into()];
    let text = argv.join(" ");
    Started::new(
        Arc::new(ProcessSut::new(&text, argv, vec![])),
        Arc::new(EmptySamples(1024)),
        1,
    )
    .expect("null process SUT")
}

/// A bare pipe echo of `n` query-shaped lines, one at a time, by the same child program.
fn bare_echo(n: u64) -> Duration {
    let mut c = Command::new(exe())
        .args(["--jiebang-child", "echo"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("echo child");
    let mut w = c.stdin.take().expect("stdin");
    let mut r = BufReader::new(c.stdout.take().expect("stdout"));
    let mut out = Vec::with_capacity(64);
    let mut back = Vec::with_capacity(64);
    let t0 = Instant::now();
    for id in 0..n {
        out.clear();
        let _ = writeln!(out, "{{\"type\":\"query\",\"id\":{id}}}");
        w.write_all(&out).expect("write");
        back.clear();
        r.read_until(b'\n', &mut back).expect("read");
    }
    let took = t0.elapsed();
    drop(w);
    let _ = c.wait();
    took
}

fn benches(c: &mut Criterion) {
    let mut g = c.benchmark_group("in_process_null_sut");
    g.throughput(Throughput::Elements(IN_PROCESS_QUERIES));
    g.sample_size(20);
    let mut s = in_process();
    for (name, scenario) in [
        ("offline", Scenario::Offline),
        ("single_stream", Scenario::SingleStream),
    ] {
        g.bench_function(name, |b| {
            b.iter_custom(|iters| {
                (0..iters)
                    .map(|_| {
                        let t = s
                            .time_pass(scenario, IN_PROCESS_QUERIES, OFFLINE_WINDOW, 0.0)
                            .expect("pass");
                        Duration::from_secs_f64(t.duration_s)
                    })
                    .sum()
            })
        });
    }
    g.finish();
    drop(s);

    let mut g = c.benchmark_group("pipe_round_trip");
    g.throughput(Throughput::Elements(PIPE_QUERIES));
    g.sample_size(10);
    let mut p = process_sut();
    g.bench_function("process_sut_single_stream", |b| {
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| {
                    let t = p
                        .time_pass(Scenario::SingleStream, PIPE_QUERIES, 1, 0.0)
                        .expect("pass");
                    Duration::from_secs_f64(t.duration_s)
                })
                .sum()
        })
    });
    g.bench_function("bare_pipe_echo", |b| {
        b.iter_custom(|iters| (0..iters).map(|_| bare_echo(PIPE_QUERIES)).sum())
    });
    g.finish();
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Medians over `runs` passes, as one JSON object on stdout.
fn summary(runs: usize) {
    let mut s = in_process();
    let mut pass = |sc: Scenario| -> Vec<PassTiming> {
        (0..runs)
            .map(|_| {
                s.time_pass(sc, IN_PROCESS_QUERIES, OFFLINE_WINDOW, 0.0)
                    .expect("pass")
            })
            .collect()
    };
    let offline = pass(Scenario::Offline);
    let single = pass(Scenario::SingleStream);
    drop(s);
    let mut p = process_sut();
    let mut sut_rt = Vec::new();
    let mut echo_rt = Vec::new();
    // Interleaved, so that both see the same machine state.
    for _ in 0..runs {
        let t = p
            .time_pass(Scenario::SingleStream, PIPE_QUERIES, 1, 0.0)
            .expect("pass");
        sut_rt.push(t.per_query_s());
        echo_rt.push(bare_echo(PIPE_QUERIES).as_secs_f64() / PIPE_QUERIES as f64);
    }
    let out = serde_json::json!({
        "runs": runs,
        "in_process_queries_per_pass": IN_PROCESS_QUERIES,
        "offline_window": OFFLINE_WINDOW,
        "offline_qps": median(offline.iter().map(PassTiming::qps).collect()),
        "single_stream_wall_per_query_s": median(single.iter().map(PassTiming::per_query_s).collect()),
        "single_stream_mean_latency_s": median(single.iter().map(|t| t.mean_latency_s).collect()),
        "pipe_queries_per_pass": PIPE_QUERIES,
        "process_sut_round_trip_s": median(sut_rt),
        "bare_pipe_echo_round_trip_s": median(echo_rt),
    });
    println!("{out}");
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--jiebang-child") {
        child(args.get(i + 1).map(String::as_str).unwrap_or("echo"));
        return;
    }
    if args.iter().any(|a| a == "--summary") {
        summary(7);
        return;
    }
    let mut c = Criterion::default().configure_from_args();
    benches(&mut c);
    c.final_summary();
}

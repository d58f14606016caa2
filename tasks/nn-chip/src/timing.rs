//! Self-reported kernel seconds checked against what the harness observed: each query's
//! reported seconds must fit in its issue-to-answer time, and the long query's extra
//! iterations must not have taken far longer than reported (docs/directions/nn-chip.md).

use crate::suites::Protocol;
use jiebang_core::Observed;

/// The most timed iterations a query asks for.
pub const MAX_ITERATIONS: usize = 100_000;

/// A query's reported seconds may exceed its observed wall time by this factor (clocks of the
/// system and the harness may tick at rates a few hundred ppm apart) ...
pub const SUM_FACTOR: f64 = 1.01;
/// ... plus this many seconds (timer granularity).
pub const SUM_SLACK_S: f64 = 1e-3;

/// The extra observed time of the long query may be up to this many times its extra reported
/// time: room for untimed work between iterations (loop, timer calls), at most half the
/// kernel's own time; so a system can under-report by at most this factor unnoticed.
pub const MARGINAL_FACTOR: f64 = 1.5;
/// ... plus this many seconds, for scheduling noise on a loaded machine ...
pub const MARGINAL_SLACK_S: f64 = 0.010;
/// ... plus this share of the short query's untimed time (reading inputs, upload, warm-up,
/// readback), which both queries spend and which varies from one query to the next.
pub const UNTIMED_SHARE: f64 = 0.5;

/// Which of a workload's two queries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leg {
    /// `iterations` timed iterations; its answer gives the reported metrics.
    Short,
    /// The same workload with more timed iterations, for the harness's marginal check.
    Long,
}

/// The suffix of a long query's sample id (`gemm-f32-64/long`).
pub const LONG_SUFFIX: &str = "/long";

/// The workload and leg of `sample` in a run of `workloads` workloads: samples `0..n` are the
/// short queries, `n..2n` the long ones, so every short query is issued before any long one.
pub fn leg_of(sample: usize, workloads: usize) -> Option<(usize, Leg)> {
    if sample < workloads {
        Some((sample, Leg::Short))
    } else if sample < 2 * workloads {
        Some((sample - workloads, Leg::Long))
    } else {
        None
    }
}

/// The sample index of `workload`'s `leg`.
pub fn sample_of(workload: usize, leg: Leg, workloads: usize) -> usize {
    match leg {
        Leg::Short => workload,
        Leg::Long => workloads + workload,
    }
}

/// Timed iterations of `leg` for a workload of `ops` operations: the suite's `iterations`,
/// and for the long query at least as many again and enough for `long_extra_ops` more
/// operations, so that its extra time stands out of the noise even for a tiny kernel.
pub fn iterations(protocol: &Protocol, ops: u64, leg: Leg) -> usize {
    let n = protocol.iterations;
    match leg {
        Leg::Short => n,
        Leg::Long => {
            let by_ops = (protocol.long_extra_ops as u64).div_ceil(ops.max(1));
            let extra = usize::try_from(by_ops).unwrap_or(usize::MAX).max(n);
            n.saturating_add(extra).min(MAX_ITERATIONS)
        }
    }
}

/// One answered query as the check sees it.
#[derive(Debug, Clone, Copy)]
pub struct LegTiming {
    /// Timed iterations asked for (and reported).
    pub iterations: usize,
    /// Sum of the reported per-iteration seconds.
    pub reported_s: f64,
    /// What the harness observed, if anything.
    pub observed: Option<Observed>,
}

/// The outcome of checking a workload's reported seconds.
#[derive(Debug, Clone, PartialEq)]
pub enum Check {
    /// Consistent with the observation: the text for `Metric::self_reported`.
    Consistent(String),
    /// The observation contradicts the reported times: the answers are malformed.
    Contradicted(String),
    /// Nothing to check against: no self-reported time is credited.
    Unchecked(String),
}

/// Seconds in a short human form (`812 µs`, `95.3 ms`, `1.92 s`).
pub fn secs(s: f64) -> String {
    let a = s.abs();
    if a >= 1.0 {
        format!("{s:.3} s")
    } else if a >= 1e-3 {
        format!("{:.3} ms", s * 1e3)
    } else {
        format!("{:.3} µs", s * 1e6)
    }
}

/// The hard check of one query: its reported seconds fit in its observed wall time. `Err`
/// holds the reason the answer is malformed.
pub fn check_sum(leg: &LegTiming, name: &str) -> Result<(), String> {
    let Some(seen) = leg.observed else {
        return Ok(());
    };
    if leg.reported_s > seen.wall_s * SUM_FACTOR + SUM_SLACK_S {
        return Err(format!(
            "the {name} query's reported seconds sum to {} but the harness observed only {} \
             from issue to answer (allowed: 1% + 1 ms more); reported times must lie within the query",
            secs(leg.reported_s),
            secs(seen.wall_s)
        ));
    }
    Ok(())
}

/// The marginal check of a workload's two answered queries (each already within its wall
/// time): the long query's extra observed time against its extra reported time.
pub fn check_pair(short: &LegTiming, long: &LegTiming) -> Check {
    let (Some(s), Some(l)) = (short.observed, long.observed) else {
        return Check::Unchecked(
            "no time was observed (answers from a predictions file): reported kernel seconds \
             cannot be checked, so no self-reported time or rate is credited"
                .into(),
        );
    };
    if s.overlapped || l.overlapped {
        return Check::Unchecked(
            "the workload's queries overlapped other queries (max_in_flight > 1), so their \
             observed times include waiting: reported kernel seconds cannot be checked and no \
             self-reported time or rate is credited; run with max_in_flight = 1 (the suite's setting)"
                .into(),
        );
    }
    if l.first_in_session {
        return Check::Unchecked(
            "the long query was the first of a resumed session, so its observed time may include \
             the system's start-up: reported kernel seconds cannot be checked and no \
             self-reported time or rate is credited; run the suite without interruption"
                .into(),
        );
    }
    let extra = long.iterations.saturating_sub(short.iterations);
    let observed = l.wall_s - s.wall_s;
    let reported = long.reported_s - short.reported_s;
    let untimed = (s.wall_s - short.reported_s).max(0.0);
    let limit = MARGINAL_FACTOR * reported.max(0.0) + MARGINAL_SLACK_S + UNTIMED_SHARE * untimed;
    let slack = limit - MARGINAL_FACTOR * reported.max(0.0);
    if observed > limit {
        return Check::Contradicted(format!(
            "the harness's observation contradicts the reported kernel seconds: the long query's \
             {extra} extra iterations took {} more than the short query from issue to answer, \
             but were reported as {} (allowed: at most {MARGINAL_FACTOR} × reported + {}); \
             report the time of the iterations actually run",
            secs(observed),
            secs(reported),
            secs(slack)
        ));
    }
    // A negative difference is not a negative duration: the short query (issued first) carried
    // one-time work such as the upload, so the long one answered sooner despite its extra
    // iterations. Say that instead of printing "took -7 ms".
    let took = if observed >= 0.0 {
        format!("took {} observed", secs(observed))
    } else {
        format!(
            "added no observed time (the long query answered {} sooner than the short one, \
             whose time included one-time work)",
            secs(-observed)
        )
    };
    Check::Consistent(format!(
        "kernel seconds reported by the system, checked against the harness's observation: \
         each query's reported total within its issue-to-answer time ({} ≤ {}, {} ≤ {}), and \
         the long query's {extra} extra iterations {took} against {} reported \
         (limit {MARGINAL_FACTOR} × reported + {})",
        secs(short.reported_s),
        secs(s.wall_s),
        secs(long.reported_s),
        secs(l.wall_s),
        secs(reported),
        secs(slack)
    ))
}

/// The harness-observed lower bound on a query's achieved rate: the operations it asked for
/// (warm-up and timed iterations) over its issue-to-answer time, in `ops/s`.
pub fn observed_rate(ops: u64, warmup: usize, leg: &LegTiming) -> Option<f64> {
    let seen = leg.observed?;
    (seen.wall_s > 0.0).then(|| ops as f64 * (warmup + leg.iterations) as f64 / seen.wall_s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leg(iterations: usize, reported_s: f64, wall_s: f64) -> LegTiming {
        LegTiming {
            iterations,
            reported_s,
            observed: Some(Observed {
                wall_s,
                overlapped: false,
                first_in_session: false,
                session_startup_s: None,
            }),
        }
    }

    fn protocol(iterations: usize, long_extra_ops: usize) -> Protocol {
        Protocol {
            warmup: 2,
            iterations,
            probes: 256,
            full_output_max: 4096,
            long_extra_ops,
        }
    }

    #[test]
    fn legs_map_both_ways_and_long_queries_scale_with_the_kernel() {
        assert_eq!(leg_of(2, 3), Some((2, Leg::Short)));
        assert_eq!(leg_of(3, 3), Some((0, Leg::Long)));
        assert_eq!(leg_of(6, 3), None);
        assert_eq!(sample_of(0, Leg::Long, 3), 3);
        let p = protocol(15, 1_000_000_000);
        assert_eq!(iterations(&p, 524_288, Leg::Short), 15);
        // 10^9 / 2·64³ = 1907.3 → 1908 extra.
        assert_eq!(iterations(&p, 524_288, Leg::Long), 15 + 1908);
        // A big kernel still runs `iterations` more.
        assert_eq!(iterations(&p, 10_000_000_000, Leg::Long), 30);
        assert_eq!(iterations(&p, 1, Leg::Long), MAX_ITERATIONS);
    }

    #[test]
    fn reported_seconds_beyond_the_wall_time_are_malformed() {
        assert!(check_sum(&leg(15, 0.0100, 0.0101), "short").is_ok());
        let e = check_sum(&leg(15, 0.5, 0.2), "short").unwrap_err();
        assert!(e.contains("500.000 ms") && e.contains("200.000 ms"), "{e}");
    }

    #[test]
    fn under_reported_extra_iterations_are_contradicted_honest_ones_pass() {
        // Honest: 1908 extra iterations of 50 µs, 1 ms of untimed work per query.
        let short = leg(15, 15.0 * 5e-5, 15.0 * 5e-5 + 1e-3);
        let long = leg(1923, 1923.0 * 5e-5, 1923.0 * 5e-5 + 1.4e-3);
        assert!(matches!(check_pair(&short, &long), Check::Consistent(_)));
        // The SUT: 1e-7 s reported per iteration while each took 14 ms.
        let short = leg(15, 15e-7, 17.0 * 0.014 + 2e-3);
        let long = leg(1923, 1923e-7, 1925.0 * 0.014 + 2e-3);
        match check_pair(&short, &long) {
            Check::Contradicted(why) => assert!(why.contains("1908 extra"), "{why}"),
            other => panic!("{other:?}"),
        }
        // Under-reporting by 2×: more than the factor allows once the extra time is large.
        let long = leg(1923, 1923.0 * 0.007, 1925.0 * 0.014);
        let short = leg(15, 15.0 * 0.007, 17.0 * 0.014);
        assert!(matches!(check_pair(&short, &long), Check::Contradicted(_)));
        // Within noise: a tiny kernel whose extra iterations took under the slack.
        let short = leg(15, 15e-7, 5e-3);
        let long = leg(1923, 1923e-7, 5e-3 + 0.008);
        assert!(matches!(check_pair(&short, &long), Check::Consistent(_)));
        // The short query carried one-time work (seen on an H200): no negative duration.
        let short = leg(15, 7.7e-4, 0.0446);
        let long = leg(23, 1.4e-3, 0.0374);
        match check_pair(&short, &long) {
            Check::Consistent(why) => assert!(
                why.contains("added no observed time") && why.contains("7.200 ms sooner"),
                "{why}"
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn overlapping_or_unobserved_queries_are_not_credited() {
        let short = leg(15, 0.001, 0.002);
        let mut long = leg(30, 0.002, 0.003);
        let seen = Observed {
            wall_s: 0.003,
            overlapped: true,
            first_in_session: false,
            session_startup_s: None,
        };
        long.observed = Some(seen);
        assert!(
            matches!(check_pair(&short, &long), Check::Unchecked(w) if w.contains("max_in_flight"))
        );
        // A long query that opened a resumed session may hold the system's start-up.
        long.observed = Some(Observed {
            overlapped: false,
            first_in_session: true,
            session_startup_s: None,
            ..seen
        });
        assert!(
            matches!(check_pair(&short, &long), Check::Unchecked(w) if w.contains("resumed session"))
        );
        long.observed = None;
        assert!(
            matches!(check_pair(&short, &long), Check::Unchecked(w) if w.contains("predictions"))
        );
        assert_eq!(observed_rate(100, 2, &long), None);
        let r = observed_rate(100, 2, &leg(8, 1.0, 2.0)).unwrap();
        assert!((r - 500.0).abs() < 1e-9);
    }
}

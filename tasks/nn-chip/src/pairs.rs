//! Each workload's two queries (short and long, `crate::timing`) judged together: their shape,
//! their reported seconds against the wall times the harness observed, and their outputs
//! against the harness's own CPU reference; `crate::scoring` turns the result into metrics.

use crate::answer::{self, KernelAnswer};
use crate::check::{self, Verdict};
use crate::samples::KernelSamples;
use crate::scoring::{self, Scored};
use crate::timing::{self, Check, Leg, LegTiming};
use jiebang_accel::reference;
use jiebang_core::{CoreError, SampleLibrary, ScoreContext, Scorer, Scores};
use rayon::prelude::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The scorer of an nn-chip suite: the answer shape check and the judging of each workload's
/// two queries. Its truth is the harness's own CPU reference, computed from the inputs the
/// library holds.
pub struct KernelScorer {
    samples: Arc<KernelSamples>,
}

impl KernelScorer {
    /// The scorer of `samples`.
    pub fn new(samples: Arc<KernelSamples>) -> Self {
        KernelScorer { samples }
    }
}

impl Scorer for KernelScorer {
    fn check_answer(&self, index: usize, answer: &Value) -> Result<(), String> {
        let s = &self.samples;
        let (Some((w, _)), Some(iterations)) = (s.leg_of(index), s.iterations(index)) else {
            return Err(format!("sample {index} out of range"));
        };
        let (Some(spec), Some(positions)) = (s.spec(w), s.positions(w)) else {
            return Err(format!("sample {index} out of range"));
        };
        answer::parse(
            answer,
            iterations,
            positions.len(),
            spec.output().dtype.is_integer(),
        )
        .map(|_| ())
    }

    fn score(
        &self,
        answers: &[(usize, Option<Value>)],
        ctx: &ScoreContext,
    ) -> Result<Scores, CoreError> {
        score(&self.samples, answers, ctx)
    }
}

/// One query of a workload as scoring finds it.
#[derive(Debug, Clone)]
enum Found {
    /// Not in this run (another shard has it).
    Absent,
    /// A technical failure recorded in the log.
    Failed(String),
    /// An answer that scoring finds malformed (its reported times, typically).
    Malformed(String),
    /// A well-formed answer.
    Answer(Box<KernelAnswer>, LegTiming),
}

fn leg_name(leg: Leg) -> &'static str {
    match leg {
        Leg::Short => "short",
        Leg::Long => "long",
    }
}

/// Scores the answers of a run (every sample, or one shard's) of `samples`.
pub fn score(
    samples: &KernelSamples,
    answers: &[(usize, Option<Value>)],
    ctx: &ScoreContext,
) -> Result<Scores, CoreError> {
    let mut by_workload: BTreeMap<usize, [Option<&Option<Value>>; 2]> = BTreeMap::new();
    for (i, a) in answers {
        let (w, leg) = samples.leg_of(*i).ok_or_else(|| {
            CoreError::Other(format!(
                "scoring: sample {i} out of range ({} samples)",
                samples.len()
            ))
        })?;
        by_workload.entry(w).or_default()[leg as usize] = Some(a);
    }
    let work: Vec<_> = by_workload.into_iter().collect();
    let judged: Vec<(Scored<'_>, Vec<(usize, String)>)> = work
        .par_iter()
        .map(|(w, [short, long])| judge(samples, *w, *short, *long, ctx))
        .collect::<Result<_, CoreError>>()?;
    let mut malformed = BTreeMap::new();
    let mut scored = Vec::with_capacity(judged.len());
    for (s, m) in judged {
        malformed.extend(m);
        scored.push(s);
    }
    let mut scores = scoring::score(&scored, &samples.suite().metrics, ctx.seed)?;
    scores.malformed = malformed;
    Ok(scores)
}

/// Parses one leg's answer and checks its reported seconds against its wall time.
fn find(
    samples: &KernelSamples,
    w: usize,
    leg: Leg,
    answer: Option<&Option<Value>>,
    ctx: &ScoreContext,
) -> Found {
    let name = leg_name(leg);
    let sample = timing::sample_of(w, leg, samples.workloads());
    let Some(answer) = answer else {
        return Found::Absent;
    };
    let Some(v) = answer else {
        return Found::Failed(format!(
            "the {name} query (`{}`) failed: crash, timeout, missing or malformed answer (its record in the run log says which)",
            samples.sample_id(sample)
        ));
    };
    let (Some(spec), Some(positions), Some(iterations)) = (
        samples.spec(w),
        samples.positions(w),
        samples.iterations(sample),
    ) else {
        return Found::Failed(format!("sample {sample} out of range"));
    };
    let parsed = answer::parse(
        v,
        iterations,
        positions.len(),
        spec.output().dtype.is_integer(),
    );
    let a = match parsed {
        Ok(a) => a,
        Err(e) => return Found::Malformed(format!("the {name} query's answer: {e}")),
    };
    let t = LegTiming {
        iterations,
        reported_s: a.seconds.iter().sum(),
        observed: ctx.observed.get(&sample).copied(),
    };
    match timing::check_sum(&t, name) {
        Ok(()) => Found::Answer(Box::new(a), t),
        Err(why) => Found::Malformed(why),
    }
}

/// Judges workload `w` from the answers of its short and long queries.
fn judge<'s>(
    samples: &'s KernelSamples,
    w: usize,
    short: Option<&Option<Value>>,
    long: Option<&Option<Value>>,
    ctx: &ScoreContext,
) -> Result<(Scored<'s>, Vec<(usize, String)>), CoreError> {
    let n = samples.workloads();
    let spec = samples
        .spec(w)
        .ok_or_else(|| CoreError::Other(format!("scoring: workload {w} out of range")))?;
    let mut legs = [
        find(samples, w, Leg::Short, short, ctx),
        find(samples, w, Leg::Long, long, ctx),
    ];
    let timing = match &legs {
        [Found::Answer(_, s), Found::Answer(_, l)] => timing::check_pair(s, l),
        [Found::Absent, _] | [_, Found::Absent] => Check::Unchecked(
            "the workload's other query is in another shard: merge the shards (`jiebang merge`) \
             to check the reported seconds"
                .into(),
        ),
        _ => Check::Unchecked(
            "the workload's other query has no well-formed answer, so the reported seconds \
             cannot be checked"
                .into(),
        ),
    };
    if let Check::Contradicted(why) = &timing {
        for l in &mut legs {
            *l = Found::Malformed(why.clone());
        }
    }
    let mut malformed = Vec::new();
    let mut failure = None;
    for (leg, found) in [Leg::Short, Leg::Long].into_iter().zip(&legs) {
        if let Found::Failed(why) | Found::Malformed(why) = found {
            failure.get_or_insert_with(|| why.clone());
        }
        if let Found::Malformed(why) = found {
            malformed.push((timing::sample_of(w, leg, n), why.clone()));
        }
    }
    let verdicts = decide(samples, w, &legs)?;
    let verdict = match failure {
        Some(_) => None,
        None => {
            let rejected = verdicts
                .iter()
                .zip([Leg::Short, Leg::Long])
                .find_map(|(v, leg)| {
                    v.as_ref().filter(|v| !v.correct).map(|v| Verdict {
                        detail: match leg {
                            Leg::Short => v.detail.clone(),
                            Leg::Long => format!("long query: {}", v.detail),
                        },
                        ..v.clone()
                    })
                });
            rejected.or_else(|| verdicts.iter().flatten().next().cloned())
        }
    };
    let warmup = samples.protocol().warmup;
    let rate_observed = legs
        .iter()
        .filter_map(|l| match l {
            Found::Answer(_, t) => timing::observed_rate(spec.ops(), warmup, t),
            _ => None,
        })
        .reduce(f64::max)
        .ok_or_else(|| match &timing {
            Check::Unchecked(why) => why.clone(),
            _ => "no wall time was observed".to_string(),
        });
    let answer = match &legs[0] {
        Found::Answer(a, _) => Some((**a).clone()),
        _ => None,
    };
    Ok((
        Scored {
            spec,
            index: w,
            answer,
            verdict,
            failure,
            timing,
            rate_observed,
        },
        malformed,
    ))
}

/// The harness's decision on each well-formed leg's output (the reference is computed once).
fn decide(
    samples: &KernelSamples,
    w: usize,
    legs: &[Found; 2],
) -> Result<[Option<Verdict>; 2], CoreError> {
    let mut out = [None, None];
    if !legs.iter().any(|l| matches!(l, Found::Answer(..))) {
        return Ok(out);
    }
    let (Some(spec), Some(workload), Some(positions)) =
        (samples.spec(w), samples.workload(w), samples.positions(w))
    else {
        return Err(CoreError::Other(format!(
            "scoring: workload {w} out of range"
        )));
    };
    let want = reference::run(workload)
        .map_err(|e| CoreError::Other(format!("scoring `{}`: reference failed: {e}", spec.id)))?;
    for (slot, leg) in out.iter_mut().zip(legs) {
        if let Found::Answer(a, _) = leg {
            *slot = Some(check::decide(
                spec.kernel,
                spec.output().dtype,
                &want,
                positions,
                samples.whole(w),
                a,
            ));
        }
    }
    Ok(out)
}

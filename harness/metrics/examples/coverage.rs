//! The coverage report: simulates every interval method a verdict can rest on with the crate's
//! own implementations and writes the table into docs/STATISTICS.md and docs/statistics/.
//!
//! `cargo run --release -p jiebang-metrics --example coverage -- [--seed N] [--reps N]
//! [--boot-reps N] [--resamples B] [--csv PATH] [--doc PATH] [--no-write]`
//!
//! Wilson and Clopper–Pearson are enumerated exactly over the binomial (no Monte-Carlo error);
//! DeLong, its logit form, the bootstrap (percentile and BCa, one resampling run serving both)
//! and LoadGen's early-stopping bound are simulated, each grid cell from its own ChaCha8 stream
//! of the seed, so the table depends on the seed and the repetitions only, never on threads.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use jiebang_metrics::bootstrap::{
    BootstrapMethod, BootstrapSettings, Units, bca_interval, bootstrap, jackknife_values,
    percentile_interval,
};
use jiebang_metrics::detection::roc_auc_delong;
use jiebang_metrics::latency::early_stopping_estimate;
use jiebang_metrics::proportion::{clopper_pearson_interval, wilson_interval};
use jiebang_metrics::special::{ln_gamma, normal_quantile};
use jiebang_metrics::{Interval, Result};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

const BEGIN: &str = "<!-- coverage-table:begin -->";
const END: &str = "<!-- coverage-table:end -->";

struct Options {
    seed: u64,
    reps: u64,
    boot_reps: u64,
    resamples: usize,
    csv: String,
    doc: String,
    write: bool,
}

fn options() -> std::result::Result<Options, String> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let mut o = Options {
        seed: 20_261_130,
        reps: 20000,
        boot_reps: 2000,
        resamples: 1000,
        csv: format!("{root}/docs/statistics/coverage.csv"),
        doc: format!("{root}/docs/STATISTICS.md"),
        write: true,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--no-write" {
            o.write = false;
            continue;
        }
        let v = args
            .next()
            .ok_or_else(|| format!("argument {a}: expected a value after it"))?;
        let num = |v: &str| {
            v.parse::<u64>()
                .map_err(|e| format!("argument {a} {v}: expected a whole number ({e})"))
        };
        match a.as_str() {
            "--seed" => o.seed = num(&v)?,
            "--reps" => o.reps = num(&v)?.max(1),
            "--boot-reps" => o.boot_reps = num(&v)?.max(1),
            "--resamples" => o.resamples = num(&v)?.max(1) as usize,
            "--csv" => o.csv = v,
            "--doc" => o.doc = v,
            _ => return Err(format!("argument {a}: unknown (see the module doc)")),
        }
    }
    Ok(o)
}

/// One grid cell of one method.
#[derive(Debug, Clone)]
struct Row {
    method: &'static str,
    statistic: &'static str,
    truth: f64,
    n: u64,
    design: String,
    /// Repetitions; 0 for an exact enumeration.
    reps: u64,
    nominal: f64,
    /// Shares of all repetitions (or probability, when exact).
    covered: f64,
    truth_below: f64,
    truth_above: f64,
    no_interval: f64,
}

impl Row {
    /// Coverage among the repetitions that gave an interval.
    fn coverage(&self) -> f64 {
        let issued = self.covered + self.truth_below + self.truth_above;
        if issued > 0.0 {
            (self.covered / issued).min(1.0)
        } else {
            f64::NAN
        }
    }

    /// Monte-Carlo standard error of [`Row::coverage`] (0 when exact).
    fn mc_se(&self) -> f64 {
        if self.reps == 0 {
            return 0.0;
        }
        let issued = (self.covered + self.truth_below + self.truth_above) * self.reps as f64;
        let c = self.coverage();
        (c * (1.0 - c) / issued).max(0.0).sqrt()
    }
}

/// Tallies of simulated intervals against the truth.
#[derive(Default)]
struct Tally {
    reps: u64,
    covered: u64,
    below: u64,
    above: u64,
    none: u64,
}

impl Tally {
    fn add(&mut self, interval: Option<Interval>, truth: f64) {
        self.reps += 1;
        match interval {
            None => self.none += 1,
            Some(iv) if truth < iv.lo => self.below += 1,
            Some(iv) if truth > iv.hi => self.above += 1,
            Some(_) => self.covered += 1,
        }
    }

    fn row(&self, method: &'static str, statistic: &'static str, truth: f64, n: u64) -> Row {
        let r = self.reps as f64;
        Row {
            method,
            statistic,
            truth,
            n,
            design: n.to_string(),
            reps: self.reps,
            nominal: 0.95,
            covered: self.covered as f64 / r,
            truth_below: self.below as f64 / r,
            truth_above: self.above as f64 / r,
            no_interval: self.none as f64 / r,
        }
    }
}

enum Job {
    Binomial {
        p: f64,
        n: u64,
    },
    Auc {
        auc: f64,
        pos: usize,
        neg: usize,
    },
    Boot {
        statistic: Stat,
        p: f64,
        units: usize,
    },
    EarlyStopping {
        p: f64,
        n: usize,
    },
}

#[derive(Clone, Copy)]
enum Stat {
    CaseMean,
    ClusterRatio,
}

const PROPORTIONS: [f64; 9] = [0.01, 0.05, 0.1, 0.3, 0.5, 0.7, 0.9, 0.95, 0.99];
const BINOMIAL_N: [u64; 9] = [10, 20, 30, 50, 100, 200, 500, 1000, 2000];
const AUCS: [f64; 7] = [0.6, 0.75, 0.9, 0.95, 0.961, 0.98, 0.99];
/// Positives + negatives: balanced to 30% minority up to 500 cases, then larger balanced
/// designs until every method keeps its coverage, and 5% and 10% positives (coverage follows
/// the smaller class). New designs go at the end: each cell's stream is its index.
const AUC_DESIGNS: [(usize, usize); 14] = [
    (10, 10),
    (15, 35),
    (30, 70),
    (50, 50),
    (100, 100),
    (150, 350),
    (500, 500),
    (1500, 1500),
    (5, 95),
    (25, 475),
    (100, 1900),
    (10, 90),
    (50, 450),
    (200, 1800),
];
const BOOT_P: [f64; 6] = [0.05, 0.5, 0.8, 0.9, 0.95, 0.99];
const BOOT_UNITS: [usize; 4] = [10, 30, 100, 300];
const ES_CELLS: [(f64, usize); 8] = [
    (0.9, 64),
    (0.9, 128),
    (0.9, 512),
    (0.9, 2048),
    (0.99, 700),
    (0.99, 1000),
    (0.99, 4000),
    (0.99, 16000),
];

fn jobs() -> Vec<Job> {
    let mut out = Vec::new();
    // The slow cells first, so the two cores stay busy to the end.
    for statistic in [Stat::CaseMean, Stat::ClusterRatio] {
        for &units in BOOT_UNITS.iter().rev() {
            for &p in &BOOT_P {
                out.push(Job::Boot {
                    statistic,
                    p,
                    units,
                });
            }
        }
    }
    for &(p, n) in &ES_CELLS {
        out.push(Job::EarlyStopping { p, n });
    }
    for &(pos, neg) in &AUC_DESIGNS {
        for &auc in &AUCS {
            out.push(Job::Auc { auc, pos, neg });
        }
    }
    for &n in &BINOMIAL_N {
        for &p in &PROPORTIONS {
            out.push(Job::Binomial { p, n });
        }
    }
    out
}

fn binomial_pmf(n: u64, k: u64, p: f64) -> f64 {
    let (nf, kf) = (n as f64, k as f64);
    (ln_gamma(nf + 1.0) - ln_gamma(kf + 1.0) - ln_gamma(nf - kf + 1.0)
        + kf * p.ln()
        + (nf - kf) * (1.0 - p).ln())
    .exp()
}

/// Exact coverage of Wilson and Clopper–Pearson: the binomial probability of the counts whose
/// interval holds `p`.
fn binomial(p: f64, n: u64) -> Result<Vec<Row>> {
    let mut rows = Vec::new();
    for (method, f) in [
        (
            "wilson",
            wilson_interval as fn(f64, f64, f64) -> Result<Interval>,
        ),
        ("clopper-pearson", clopper_pearson_interval),
    ] {
        let mut row = Tally {
            reps: 1,
            ..Tally::default()
        }
        .row(method, "proportion", p, n);
        row.reps = 0;
        for k in 0..=n {
            let iv = f(k as f64, n as f64, 0.95)?;
            let w = binomial_pmf(n, k, p);
            if p < iv.lo {
                row.truth_below += w;
            } else if p > iv.hi {
                row.truth_above += w;
            } else {
                row.covered += w;
            }
        }
        rows.push(row);
    }
    Ok(rows)
}

fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1 = 1.0 - rng.random::<f64>();
    let u2 = rng.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// Binormal scores (negatives N(0, 1), positives N(δ, 1), AUC = Φ(δ/√2)): DeLong's Wald
/// interval and its logit form on the same samples. A zero variance (perfect separation)
/// gives no interval, as the scorer reports none.
fn auc_cell(auc: f64, pos: usize, neg: usize, reps: u64, rng: &mut ChaCha8Rng) -> Result<Vec<Row>> {
    let delta = std::f64::consts::SQRT_2 * normal_quantile(auc)?;
    let labels: Vec<bool> = (0..pos + neg).map(|i| i < pos).collect();
    let mut scores = vec![0.0; pos + neg];
    let (mut wald, mut logit) = (Tally::default(), Tally::default());
    for _ in 0..reps {
        for (s, &l) in scores.iter_mut().zip(&labels) {
            *s = normal(rng) + if l { delta } else { 0.0 };
        }
        let e = roc_auc_delong(&scores, &labels, 0.95)?;
        wald.add((e.variance > 0.0).then_some(e.interval), auc);
        logit.add(e.logit_interval, auc);
    }
    let n = (pos + neg) as u64;
    let design = format!("{pos}+{neg}");
    Ok([
        wald.row("delong", "auc", auc, n),
        logit.row("delong-logit", "auc", auc, n),
    ]
    .into_iter()
    .map(|mut r| {
        r.design = design.clone();
        r
    })
    .collect())
}

/// One data set of `units` units whose statistic has true value `p`, as (numerator,
/// denominator) per unit: a 0/1 outcome per case, or per cluster (a speaker's utterances)
/// 5–40 tokens with a cluster rate drawn around `p` (mean `p`), the correct tokens counted.
fn draw(statistic: Stat, p: f64, units: usize, rng: &mut ChaCha8Rng) -> Vec<(f64, f64)> {
    (0..units)
        .map(|_| match statistic {
            Stat::CaseMean => (f64::from(u8::from(rng.random::<f64>() < p)), 1.0),
            Stat::ClusterRatio => {
                let tokens = rng.random_range(5..=40u32);
                let spread = 0.5 + rng.random::<f64>();
                let rate = if p <= 0.5 {
                    p * spread
                } else {
                    1.0 - (1.0 - p) * spread
                };
                let correct = (0..tokens).filter(|_| rng.random::<f64>() < rate).count();
                (correct as f64, f64::from(tokens))
            }
        })
        .collect()
}

/// The percentile and BCa intervals from one resampling run per data set (the crate's
/// `bootstrap`, then its jackknife and BCa on the same replicates). A BCa that is undefined
/// (every replicate on one side, all jackknife values equal) gives no interval.
fn boot_cell(job: (Stat, f64, usize), o: &Options, rng: &mut ChaCha8Rng) -> Result<Vec<Row>> {
    let (statistic, p, units) = job;
    let (mut pct, mut bca) = (Tally::default(), Tally::default());
    let u = Units::samples(units);
    for _ in 0..o.boot_reps {
        let data = draw(statistic, p, units, rng);
        let mut ratio = |idx: &[usize]| -> Result<f64> {
            let (a, b) = idx
                .iter()
                .fold((0.0, 0.0), |(a, b), &i| (a + data[i].0, b + data[i].1));
            Ok(a / b)
        };
        let settings = BootstrapSettings {
            resamples: o.resamples,
            seed: rng.random(),
            confidence: 0.95,
            method: BootstrapMethod::Percentile,
        };
        let r = bootstrap(&u, &mut ratio, &settings)?;
        pct.add(Some(percentile_interval(&r.replicates, 0.95)?), p);
        let b = jackknife_values(&u, &mut ratio)
            .and_then(|j| bca_interval(r.estimate, &r.replicates, &j, 0.95));
        bca.add(b.ok().map(|(iv, _, _)| iv), p);
    }
    let name = match statistic {
        Stat::CaseMean => "mean over cases",
        Stat::ClusterRatio => "ratio of sums over clusters",
    };
    let n = units as u64;
    Ok(vec![
        pct.row("bootstrap-percentile", name, p, n),
        bca.row("bootstrap-bca", name, p, n),
    ])
}

/// LoadGen's single-stream bound on the `p` latency percentile (confidence 0.99, one-sided):
/// covered when the bound is at or above the true percentile of U(0, 10⁹) latencies.
fn early_stopping_cell(p: f64, n: usize, reps: u64, rng: &mut ChaCha8Rng) -> Result<Vec<Row>> {
    let scale = 1.0e9;
    let truth = p * scale;
    let mut t = Tally::default();
    let mut lat = vec![0u64; n];
    for _ in 0..reps {
        for l in lat.iter_mut() {
            *l = (rng.random::<f64>() * scale) as u64;
        }
        let e = early_stopping_estimate(&lat, p, 0.99, 0.0)?;
        let bound = e.estimate as f64;
        t.add(Some(Interval::new(bound.min(0.0), bound)), truth);
    }
    let mut row = t.row("early-stopping", "latency percentile", p, n as u64);
    row.nominal = 0.99;
    Ok(vec![row])
}

fn run(job: &Job, index: u64, o: &Options) -> Result<Vec<Row>> {
    let mut rng = ChaCha8Rng::seed_from_u64(o.seed);
    rng.set_stream(index);
    match *job {
        Job::Binomial { p, n } => binomial(p, n),
        Job::Auc { auc, pos, neg } => auc_cell(auc, pos, neg, o.reps, &mut rng),
        Job::Boot {
            statistic,
            p,
            units,
        } => boot_cell((statistic, p, units), o, &mut rng),
        Job::EarlyStopping { p, n } => early_stopping_cell(p, n, o.reps, &mut rng),
    }
}

fn csv(rows: &[Row], o: &Options) -> String {
    let mut s = String::from(
        "method,statistic,true_value,n,design,reps,nominal,coverage,mc_se,truth_below,truth_above,no_interval,seed\n",
    );
    for r in rows {
        let _ = writeln!(
            s,
            "{},{},{},{},{},{},{},{:.6},{:.6},{:.6},{:.6},{:.6},{}",
            r.method,
            r.statistic,
            r.truth,
            r.n,
            r.design,
            r.reps,
            r.nominal,
            r.coverage(),
            r.mc_se(),
            r.truth_below,
            r.truth_above,
            r.no_interval,
            o.seed
        );
    }
    s
}

/// Pivot tables (true value × sample size) of the coverage in percent, per method and
/// statistic; cells under 94% (under 98% for the one-sided 99% early-stopping bound) in bold.
fn markdown(rows: &[Row], o: &Options) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Seed {}; {} repetitions per simulated cell for DeLong and early stopping, {} for the \
         bootstrap (B = {} resamples each); Wilson and Clopper–Pearson exact (binomial \
         enumeration, no Monte-Carlo error). Cells: coverage in % ± one Monte-Carlo standard \
         error; `NI x%`: share of samples with no interval (left out of the coverage). Bold: \
         under 94% (early stopping, a one-sided 99% bound: under 98%).\n",
        o.seed, o.reps, o.boot_reps, o.resamples
    );
    let mut keys: Vec<(&str, &str)> = Vec::new();
    for r in rows {
        if !keys.contains(&(r.method, r.statistic)) {
            keys.push((r.method, r.statistic));
        }
    }
    for (method, statistic) in keys {
        let of: Vec<&Row> = rows
            .iter()
            .filter(|r| r.method == method && r.statistic == statistic)
            .collect();
        let mut designs: Vec<(u64, String)> = Vec::new();
        let mut truths: Vec<f64> = Vec::new();
        for r in &of {
            if !designs.iter().any(|d| d.1 == r.design) {
                designs.push((r.n, r.design.clone()));
            }
            if !truths.contains(&r.truth) {
                truths.push(r.truth);
            }
        }
        designs.sort();
        truths.sort_by(f64::total_cmp);
        let _ = writeln!(s, "**{method}** — {statistic} (true value × n)\n");
        let _ = write!(s, "| true |");
        for (_, d) in &designs {
            let _ = write!(s, " {d} |");
        }
        let _ = write!(s, "\n|---|");
        for _ in &designs {
            let _ = write!(s, "---|");
        }
        s.push('\n');
        for t in &truths {
            let _ = write!(s, "| {t} |");
            for (_, d) in &designs {
                match of.iter().find(|r| r.truth == *t && &r.design == d) {
                    Some(r) if r.coverage().is_nan() => {
                        let _ = write!(s, " — NI 100% |");
                    }
                    Some(r) => {
                        let mut cell = format!("{:.1}", 100.0 * r.coverage());
                        if r.reps > 0 {
                            let _ = write!(cell, " ±{:.1}", 100.0 * r.mc_se());
                        }
                        if r.coverage() < r.nominal.min(0.99) - 0.01 {
                            cell = format!("**{cell}**");
                        }
                        if r.no_interval > 0.0 {
                            let _ = write!(cell, " NI {:.1}%", 100.0 * r.no_interval);
                        }
                        let _ = write!(s, " {cell} |");
                    }
                    None => s.push_str(" |"),
                }
            }
            s.push('\n');
        }
        s.push('\n');
    }
    s
}

fn replace_between_markers(doc: &str, table: &str) -> std::result::Result<String, String> {
    let b = doc
        .find(BEGIN)
        .ok_or_else(|| format!("marker {BEGIN} not found"))?;
    let e = doc
        .find(END)
        .filter(|&e| e > b)
        .ok_or_else(|| format!("marker {END} not found after {BEGIN}"))?;
    Ok(format!("{}{BEGIN}\n{table}{}", &doc[..b], &doc[e..]))
}

fn main() -> std::process::ExitCode {
    match real_main() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("coverage: {e}");
            std::process::ExitCode::from(2)
        }
    }
}

fn real_main() -> std::result::Result<(), String> {
    let o = options()?;
    let jobs = jobs();
    let started = Instant::now();
    let done = AtomicUsize::new(0);
    let total = jobs.len();
    let results: Vec<Vec<Row>> = jobs
        .par_iter()
        .enumerate()
        .map(|(i, job)| {
            let t = Instant::now();
            let rows = run(job, i as u64, &o).map_err(|e| format!("grid cell {i}: {e}"))?;
            let k = done.fetch_add(1, Ordering::Relaxed) + 1;
            for r in &rows {
                eprintln!(
                    "[{k}/{total}] {} {} true {} n {}: coverage {:.4} ({:.1} s)",
                    r.method,
                    r.statistic,
                    r.truth,
                    r.design,
                    r.coverage(),
                    t.elapsed().as_secs_f64()
                );
            }
            Ok(rows)
        })
        .collect::<std::result::Result<_, String>>()?;
    let mut rows: Vec<Row> = results.into_iter().flatten().collect();
    let order = |m: &str| {
        [
            "wilson",
            "clopper-pearson",
            "delong",
            "delong-logit",
            "bootstrap-percentile",
            "bootstrap-bca",
            "early-stopping",
        ]
        .iter()
        .position(|x| *x == m)
    };
    rows.sort_by(|a, b| {
        (order(a.method), a.statistic, a.n, a.design.as_str())
            .cmp(&(order(b.method), b.statistic, b.n, b.design.as_str()))
            .then(a.truth.total_cmp(&b.truth))
    });
    let seconds = started.elapsed().as_secs_f64();
    eprintln!("{} rows in {seconds:.0} s", rows.len());
    if !o.write {
        print!("{}", csv(&rows, &o));
        return Ok(());
    }
    std::fs::write(&o.csv, csv(&rows, &o)).map_err(|e| format!("{}: {e}", o.csv))?;
    let doc = std::fs::read_to_string(&o.doc).map_err(|e| format!("{}: {e}", o.doc))?;
    let doc = replace_between_markers(&doc, &markdown(&rows, &o))
        .map_err(|e| format!("{}: {e}", o.doc))?;
    std::fs::write(&o.doc, doc).map_err(|e| format!("{}: {e}", o.doc))?;
    eprintln!("wrote {} and {}", o.csv, o.doc);
    Ok(())
}

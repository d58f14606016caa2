//! `jiebang run`: one suite against one system under test — accuracy or a timed scenario —
//! with a per-query log that `--resume` continues and `jiebang merge` combines, and a sealed
//! (optionally signed) scorecard written atomically next to it.

use crate::context::{self, Registry};
use crate::progress::Progress;
use crate::request::{RunRequest, SuiteSource};
use crate::{pins, report};
use anyhow::{Context as _, Result, anyhow};
use jiebang_accel::BackendKind;
use jiebang_core::run::{
    self, Mode, RunInputs, RunObserver, RunSettings, Scenario, ScorecardInputs, Shard, SutSpec,
};
use jiebang_core::{BackendHandle, GenerateParams};
use jiebang_scorecard::{KeyPair, Scorecard, seal};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering::SeqCst};

const EXAMPLES: &str = "\
Examples:
  # A unit's own system (any language, JSON Lines over stdin/stdout; see docs/PROTOCOL.md):
  jiebang run --suite medical-imaging/case-detection --sut 'python3 my_sut.py' \\
      --sut-file model.bin --declaration unit.toml --out results/mine

  # A built-in baseline, timed one query at a time, then with Poisson arrivals:
  jiebang run --suite medical-imaging/case-detection --sut builtin:log-blob --mode performance
  jiebang run --suite medical-imaging/case-detection --sut builtin:log-blob \\
      --mode performance --scenario server --target-qps 50 --latency-bound 0.1

  # Answers computed elsewhere (JSON Lines or CSV keyed by `sample`):
  jiebang run --suite medical-imaging/case-detection --sut predictions:answers.jsonl

  # An agency's certified run on sequestered data, signed:
  jiebang run --suite medical-imaging/case-detection --data /sequestered/ct-2020 \\
      --sut 'python3 sut.py' --round 2020-r1 --sign agency.key --out round/

  # A unit's system confined by bubblewrap (no network, only its own files and the dataset's
  # inputs visible, read-only; see the sandbox section of docs/PROTOCOL.md):
  jiebang run --suite medical-imaging/case-detection --sut 'python3 sut.py' --sut-file model.bin \\
      --sandbox --set sandbox_memory_mb=8192

  # Continue a run that crashed or was killed (same command plus --resume):
  jiebang run --suite medical-imaging/case-detection --sut 'python3 my_sut.py' --resume

  # The highest Poisson arrival rate whose p99 latency stays within 0.1 s (peak search):
  jiebang run --suite medical-imaging/case-detection --sut builtin:log-blob \\
      --find-peak --target-qps 20 --latency-bound 0.1 --min-duration 5

  # Split over 4 machines, then merge the shard logs into the single run's scorecard:
  jiebang run ... --shard 2/4 --out shards/
  jiebang merge shards/*.log.jsonl --out results/

Settings (--set KEY=VALUE, or the suite's [settings]; flags override both):
  timeout_s, max_in_flight, startup_timeout_s, max_line_bytes, max_consecutive_timeouts,
  min_duration_s, min_query_count, max_query_count, warmup_queries, latency_percentile,
  server_target_qps, server_latency_bound_s, server_percentile, early_stopping_confidence;
  with --sandbox: sandbox_memory_mb (default 16384), sandbox_processes (default 512).
  The effective values are pinned in the scorecard (pins.settings), with `sandbox`: `none` or
  `bubblewrap VERSION`.

A SUT that crashes, hangs or closes its output ends the run with exit status 2; the log keeps
every query recorded so far (those in flight count as failures), and --resume finishes the rest.
So does a SUT that floods stray answers (duplicates, unknown ids, late answers): more than
max(1000, 10 × queries issued) in a session stops it. Stray answers are all counted, but only
the first 20 of each kind are logged in full.
Ctrl-C (SIGINT) or SIGTERM stops issuing and stops the SUT; the log keeps what was recorded
(queries in flight are asked again on --resume); exit status 130 (SIGINT) or 143 (SIGTERM).
A second signal ends jiebang at once.";

/// Arguments of `jiebang run`.
#[derive(clap::Args, Clone)]
#[command(after_help = EXAMPLES, allow_negative_numbers = true)]
pub struct Args {
    /// Suite, `direction/name` or `direction/name@version` (see `jiebang tasks`).
    #[arg(long, required_unless_present = "suite_file")]
    suite: Option<String>,
    /// A suite spec file (TOML) instead of an embedded suite; pinned by its hash and path.
    #[arg(long, conflicts_with = "suite")]
    suite_file: Option<PathBuf>,
    /// The system under test: a command (`'python3 my_sut.py --fast'`, split like a shell
    /// would, run without one), `builtin:NAME`, or `predictions:FILE` (.jsonl or .csv).
    #[arg(long)]
    sut: String,
    /// A file that makes up the system (model weights, executable); pinned by sha256.
    /// Repeatable. Words of the command that name files are pinned too.
    #[arg(long = "sut-file", value_name = "FILE")]
    sut_files: Vec<PathBuf>,
    /// Dataset root with a manifest.json (default: the suite's generated dataset).
    #[arg(long)]
    data: Option<PathBuf>,
    /// Samples in the generated default dataset. With --data it is ignored, with a warning:
    /// the dataset's own samples are run.
    #[arg(long)]
    samples: Option<u64>,
    /// The unit's declaration (TOML): current level and 2020 target per indicator.
    #[arg(long)]
    declaration: Option<PathBuf>,
    /// Compute backend for built-in systems and scoring.
    #[arg(long, default_value = "cpu", value_parser = ["cpu", "wgpu", "cuda"])]
    backend: String,
    /// accuracy (the default): every sample once, scored; performance: timed under --scenario.
    #[arg(long, value_parser = ["accuracy", "performance"])]
    pub(crate) mode: Option<String>,
    /// Performance scenario (default: the suite's, else single-stream).
    #[arg(long, value_parser = ["single-stream", "offline", "server"])]
    pub(crate) scenario: Option<String>,
    /// Seed of sample order, arrivals and any resampling in scoring.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Run only shard i of n (samples with index % n == i-1); accuracy only.
    #[arg(long, value_name = "i/n")]
    pub(crate) shard: Option<String>,
    /// The round this run belongs to (e.g. 2020-r1), pinned in the scorecard.
    #[arg(long)]
    round: Option<String>,
    /// Sign the scorecard with this secret key (from `jiebang keygen`).
    #[arg(long, value_name = "KEY")]
    sign: Option<PathBuf>,
    /// Output directory for the scorecard and the log.
    #[arg(long, default_value = "jiebang-out")]
    pub(crate) out: PathBuf,
    /// The per-query log (default: next to the scorecard, `<name>.log.jsonl`).
    #[arg(long)]
    pub(crate) log: Option<PathBuf>,
    /// Continue the run in the log: skip recorded samples, redo a torn last line.
    #[arg(long)]
    pub(crate) resume: bool,
    /// Run a process SUT inside bubblewrap (`apt-get install bubblewrap`): no network, its own
    /// PID namespace, a private /tmp, and read-only only the system directories (/usr, /etc,
    /// /lib...), the SUT's program (with its PREFIX for an interpreter in PREFIX/bin: a
    /// virtualenv, pyenv), its --sut-file files and command words that name paths, and the
    /// dataset's inputs; limited by sandbox_memory_mb and sandbox_processes. Recorded as the
    /// setting `sandbox`; refused for builtin: and predictions: SUTs.
    #[arg(long)]
    pub(crate) sandbox: bool,
    /// Per-query timeout in seconds (setting timeout_s).
    #[arg(long, value_name = "SECONDS")]
    timeout: Option<String>,
    /// Most queries outstanding (setting max_in_flight).
    #[arg(long)]
    max_in_flight: Option<String>,
    /// Shortest timed pass in seconds (setting min_duration_s).
    #[arg(long, value_name = "SECONDS")]
    min_duration: Option<String>,
    /// Fewest timed queries (setting min_query_count).
    #[arg(long)]
    min_queries: Option<String>,
    /// Server scenario arrival rate, queries per second (setting server_target_qps).
    #[arg(long, value_name = "QPS")]
    pub(crate) target_qps: Option<String>,
    /// Server scenario latency bound in seconds (setting server_latency_bound_s).
    #[arg(long, value_name = "SECONDS")]
    latency_bound: Option<String>,
    /// Any setting, KEY=VALUE; repeatable (listed below).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    set: Vec<String>,
    /// Search the server scenario for the highest arrival rate whose latency percentile meets
    /// the bound: doubles from --target-qps (default 10) until a run fails, then bisects. Each
    /// trial is a full run under `<out>/peak-trials/`; the peak trial's scorecard, a
    /// `.peak.json` summary and a `.peak.svg` chart go to --out. Exit 1 if no rate met it.
    #[arg(long)]
    pub(crate) find_peak: bool,
    /// Relative precision at which the peak search stops (highest pass vs lowest failure).
    #[arg(
        long,
        default_value_t = 0.05,
        value_name = "FRACTION",
        requires = "find_peak"
    )]
    pub(crate) peak_precision: f64,
    /// Most trials the peak search may run.
    #[arg(long, default_value_t = 16, value_name = "N", requires = "find_peak")]
    pub(crate) peak_trials: usize,
    /// Print a JSON summary instead of the report (`{"error": "..."}` when the run fails).
    #[arg(long)]
    pub(crate) json: bool,
}

/// Set by the SIGINT/SIGTERM handler while a run is in progress.
static STOP: AtomicBool = AtomicBool::new(false);
/// The signal that set [`STOP`].
static SIGNAL: AtomicI32 = AtomicI32::new(0);

/// The first SIGINT/SIGTERM asks the run to stop; a second one ends the process at once.
#[cfg(unix)]
#[allow(unsafe_code)]
extern "C" fn on_signal(sig: libc::c_int) {
    if STOP.swap(true, SeqCst) {
        // SAFETY: signal() and raise() are async-signal-safe; the default action ends us.
        unsafe {
            libc::signal(sig, libc::SIG_DFL);
            libc::raise(sig);
        }
    } else {
        SIGNAL.store(sig, SeqCst);
    }
}

/// SIGINT/SIGTERM handling for the span of a run; the previous actions come back on drop.
struct StopOnSignal {
    #[cfg(unix)]
    previous: Vec<(libc::c_int, libc::sigaction)>,
}

impl StopOnSignal {
    #[allow(unsafe_code)]
    fn install() -> Self {
        STOP.store(false, SeqCst);
        SIGNAL.store(0, SeqCst);
        #[cfg(unix)]
        {
            let mut previous = Vec::new();
            for sig in [libc::SIGINT, libc::SIGTERM] {
                // SAFETY: a zeroed sigaction is valid; the handler only touches atomics and
                // async-signal-safe calls.
                unsafe {
                    let mut act: libc::sigaction = std::mem::zeroed();
                    act.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as usize;
                    act.sa_flags = libc::SA_RESTART;
                    libc::sigemptyset(&mut act.sa_mask);
                    let mut old: libc::sigaction = std::mem::zeroed();
                    if libc::sigaction(sig, &act, &mut old) == 0 {
                        previous.push((sig, old));
                    }
                }
            }
            Self { previous }
        }
        #[cfg(not(unix))]
        Self {}
    }
}

impl Drop for StopOnSignal {
    #[allow(unsafe_code)]
    fn drop(&mut self) {
        #[cfg(unix)]
        for (sig, old) in &self.previous {
            // SAFETY: restores the action saved by `install`.
            unsafe {
                libc::sigaction(*sig, old, std::ptr::null_mut());
            }
        }
    }
}

/// The exit status of a run ended by a signal: 128 + the signal (130 SIGINT, 143 SIGTERM).
fn interrupted_status() -> i32 {
    match SIGNAL.load(SeqCst) {
        0 => 130,
        sig => 128 + sig,
    }
}

/// Opens the `--backend` device. Now that `jiebang-accel` is wired into the CLI this is
/// `jiebang_accel::Device` through `crate::backend` (no silent fallback to another backend).
fn open_backend(kind: &str) -> Result<BackendHandle> {
    crate::backend::open(kind)
}

/// Shows run phases with `progress.rs`: bars on a terminal, plain lines otherwise.
struct Bars {
    quiet: bool,
    current: Mutex<Option<Progress>>,
}

impl RunObserver for Bars {
    fn phase(&self, label: &str, planned: u64) {
        if let Ok(mut c) = self.current.lock() {
            *c = Some(Progress::new(planned, label, self.quiet));
        }
    }
    fn progress(&self, done: u64, planned: u64) {
        if let Ok(c) = self.current.lock()
            && let Some(p) = c.as_ref()
        {
            p.set(done, planned);
        }
    }
    fn phase_done(&self, summary: &str) {
        if let Ok(mut c) = self.current.lock()
            && let Some(p) = c.take()
        {
            p.finish(summary);
        }
    }
    fn note(&self, message: &str) {
        if !self.quiet {
            eprintln!("{}", crate::escape::terminal_block(message));
        }
    }
    fn warn(&self, message: &str) {
        // Shown with --quiet and --json too: it is not progress. It may quote SUT output.
        eprintln!("{}", crate::escape::terminal_block(message));
    }
    fn stop_flag(&self) -> Option<&'static AtomicBool> {
        Some(&STOP)
    }
}

impl Args {
    /// The run these flags ask for. `--find-peak`'s own flags are not part of it (see
    /// `peak::request`), nor is how the outcome is printed (`--json`).
    pub fn request(&self) -> Result<RunRequest> {
        let suite = match &self.suite_file {
            Some(f) => SuiteSource::File(f.clone()),
            None => SuiteSource::Embedded(self.suite.clone().unwrap_or_default()),
        };
        let sut = SutSpec::parse(&self.sut)?;
        let backend: BackendKind = self
            .backend
            .parse()
            .map_err(|e| anyhow!("--backend {}: {e}", self.backend))?;
        Ok(RunRequest {
            sut_files: self.sut_files.clone(),
            data: self.data.clone(),
            samples: self.samples,
            declaration: self.declaration.clone(),
            backend,
            settings: self.settings()?,
            sandbox: self.sandbox,
            round: self.round.clone(),
            sign: self.sign.clone(),
            log: self.log.clone(),
            resume: self.resume,
            ..RunRequest::new(suite, sut, self.out.clone())
        })
    }

    /// Mode, scenario, seed, shard, then the setting flags, then `--set` in order (a later
    /// value of a name wins).
    fn settings(&self) -> Result<RunSettings> {
        let mut s = RunSettings {
            mode: self
                .mode
                .as_deref()
                .unwrap_or("accuracy")
                .parse::<Mode>()
                .map_err(|e| anyhow!(e))?,
            scenario: self
                .scenario
                .as_deref()
                .map(str::parse::<Scenario>)
                .transpose()
                .map_err(|e| anyhow!(e))?,
            seed: self.seed,
            shard: self
                .shard
                .as_deref()
                .map(str::parse::<Shard>)
                .transpose()
                .map_err(|e| anyhow!("--shard: {e}"))?,
            values: Default::default(),
            sandbox: None,
        };
        for (flag, key) in [
            (&self.timeout, "timeout_s"),
            (&self.max_in_flight, "max_in_flight"),
            (&self.min_duration, "min_duration_s"),
            (&self.min_queries, "min_query_count"),
            (&self.target_qps, "server_target_qps"),
            (&self.latency_bound, "server_latency_bound_s"),
        ] {
            if let Some(v) = flag {
                s.set(key, v)?;
            }
        }
        for kv in &self.set {
            let (k, v) = kv
                .split_once('=')
                .ok_or_else(|| anyhow!("--set `{kv}`: expected KEY=VALUE, e.g. timeout_s=30"))?;
            s.set(k.trim(), v.trim())?;
        }
        Ok(s)
    }
}

/// The file stem of a run's outputs:
/// `<direction>.<name>@<v>.<sut>[.<unit-slug>].<mode>[.<scenario>][.shard-i-of-n]`; the unit's
/// slug (with `--declaration`) keeps two units running the same command into one folder apart.
fn stem(
    suite_id: &str,
    version: u32,
    sut: &SutSpec,
    unit: Option<&str>,
    s: &RunSettings,
    scenario: Option<&str>,
) -> String {
    let mut out = format!("{}@{version}.{}", suite_id.replace('/', "."), sut.slug());
    if let Some(u) = unit {
        out.push('.');
        out.push_str(&jiebang_core::slug::unit_slug(u));
    }
    out.push('.');
    out.push_str(s.mode.as_str());
    if let Some(sc) = scenario {
        out.push('.');
        out.push_str(sc);
    }
    if let Some(sh) = s.shard {
        out.push_str(&format!(".shard-{}-of-{}", sh.index, sh.count));
    }
    out
}

/// Reads a secret key for `--sign`.
pub fn read_key(path: &Path) -> Result<KeyPair> {
    let text =
        jiebang_core::bounded::read_text(path, jiebang_core::bounded::limit::KEY, "secret key")
            .context("--sign")?;
    Ok(KeyPair::from_file_text(&path.display().to_string(), &text)?)
}

/// Seals (and signs) a scorecard and writes it atomically; returns its id.
pub fn write_scorecard(sc: &mut Scorecard, key: Option<&KeyPair>, path: &Path) -> Result<String> {
    let bytes = seal(sc, key)?;
    jiebang_core::atomic::write(path, &bytes)?;
    Ok(sc.id.clone().unwrap_or_default())
}

/// Prints what was written: a JSON object with `--json`, else a summary and the report.
pub fn print_outcome(sc: &Scorecard, path: &Path, log: &[PathBuf], json: bool, quiet: bool) {
    let q = &sc.run.queries;
    if json {
        let out = serde_json::json!({
            "scorecard": path,
            "id": sc.id,
            "log": log,
            "mode": sc.run.mode,
            "scenario": sc.run.scenario,
            "queries": q,
            "metrics": sc.metrics,
        });
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
        return;
    }
    let f = &q.failures;
    println!("scorecard  {}", path.display());
    for l in log {
        println!("log        {}", l.display());
    }
    println!(
        "queries    {} issued, {} answered; failures: crash {}, timeout {}, malformed {}, missing {}, unknown id {}, duplicate {}",
        q.issued, q.answered, f.crash, f.timeout, f.malformed, f.missing, f.unknown_id, f.duplicate
    );
    if !quiet {
        println!();
        print!("{}", report::render(sc, report::Format::Text));
    }
}

/// What a run wrote.
pub struct Written {
    /// The sealed scorecard.
    pub scorecard: Scorecard,
    /// Where it was written.
    pub path: PathBuf,
    /// The per-query log.
    pub log: PathBuf,
}

/// Runs the command; false when a peak search found no rate that met the bound. A run stopped
/// by SIGINT/SIGTERM prints what was kept and exits with 128 + the signal; with `--json` any
/// error is also printed to stdout as `{"error": "..."}`.
pub fn run(args: &Args, reg: &Registry, quiet: bool) -> Result<bool> {
    let result = if args.find_peak {
        super::peak::request(args).and_then(|p| super::peak::run(&p, reg, quiet, args.json))
    } else {
        args.request()
            .and_then(|r| execute(&r, reg, quiet, args.json))
            .map(|w| {
                print_outcome(&w.scorecard, &w.path, &[w.log], args.json, quiet);
                true
            })
    };
    let Err(e) = result else {
        return result;
    };
    let interrupted = matches!(
        e.downcast_ref::<run::RunError>(),
        Some(run::RunError::Interrupted { .. })
    );
    if args.json {
        let out = serde_json::json!({ "error": format!("{e:#}"), "interrupted": interrupted });
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
    }
    if interrupted {
        eprintln!("{e:#}");
        std::process::exit(interrupted_status());
    }
    Err(e)
}

/// Runs a request and writes its sealed scorecard; prints only progress (no progress bars
/// with `json`). An error about a suite file names the file and the line of the field.
pub fn execute(req: &RunRequest, reg: &Registry, quiet: bool, json: bool) -> Result<Written> {
    let (task, suite, source) = match &req.suite {
        SuiteSource::File(f) => {
            let (t, s) = context::suite_from_file(reg, f)?;
            (t, s, f.display().to_string())
        }
        SuiteSource::Embedded(name) => {
            let (t, s) = reg.suite(name)?;
            (t, s, "embedded".to_string())
        }
    };
    let spec = &req.sut;
    // The sandbox is checked before any data is generated or any SUT started.
    let sandbox = if req.sandbox {
        run::sut::check_sandboxable(spec)?;
        Some(run::Sandbox::probe()?)
    } else {
        None
    };
    let settings = RunSettings {
        sandbox: sandbox.as_ref().map(run::Sandbox::describe),
        ..req.settings.clone()
    };
    let eff = settings.normalise(&suite)?;
    let sandbox = match (sandbox, eff.sandbox) {
        (Some(s), Some(limits)) => Some(s.with_limits(limits)),
        (s, _) => s,
    };
    let key = req.sign.as_deref().map(read_key).transpose()?;
    let declaration = req
        .declaration
        .as_deref()
        .map(|p| reg.declaration(p))
        .transpose()?;
    // Checked before any data is generated or any SUT started.
    if let Some(d) = &declaration {
        d.check_suite(&suite)?;
    }
    let backend = open_backend(req.backend.as_str())?;
    let params = GenerateParams {
        samples: req.samples,
        seed: None,
    };
    context::check_samples(&params)?;
    let dataset = context::dataset(task.as_ref(), &suite, req.data.as_deref(), &params, quiet)?;
    let loaded = task.load(&suite, &dataset)?;
    if let (Some(n), Some(d)) = (req.samples, &req.data) {
        eprintln!(
            "warning: --samples {n} is ignored with --data: the dataset at {} has {} samples and all of them are run",
            d.display(),
            loaded.library.len()
        );
    }
    let sut = run::sut::open(
        spec,
        &req.sut_files,
        task.as_ref(),
        &suite,
        &loaded.library,
        &backend,
        sandbox.as_ref(),
    )?;
    let name = stem(
        &suite.id,
        suite.version,
        spec,
        declaration.as_ref().map(|d| d.unit.as_str()),
        &settings,
        eff.scenario.map(Scenario::as_str),
    );
    let log = req
        .log
        .clone()
        .unwrap_or_else(|| req.out.join(format!("{name}.log.jsonl")));
    let path = req.out.join(format!("{name}.scorecard.json"));
    let inputs = RunInputs {
        task,
        suite,
        suite_source: source,
        dataset,
        loaded,
        backend,
        settings,
        log,
        resume: req.resume,
    };
    let card = ScorecardInputs {
        harness: pins::harness(),
        host: pins::host(),
        round: req.round.clone(),
        declaration,
    };
    let bars = Bars {
        quiet: quiet || json,
        current: Mutex::new(None),
    };
    let signals = StopOnSignal::install();
    let report = run::run(&inputs, sut, &card, &bars);
    drop(signals);
    let report = report?;
    if STOP.load(SeqCst) {
        // The signal came while the complete log was being scored: no scorecard is written.
        return Err(run::RunError::Interrupted {
            message: format!(
                "every sample is recorded in {}; rerun the same command with --resume to score it",
                report.log.display()
            ),
            log: report.log,
        }
        .into());
    }
    let mut sc = report.scorecard;
    write_scorecard(&mut sc, key.as_ref(), &path)?;
    Ok(Written {
        scorecard: sc,
        path,
        log: report.log,
    })
}

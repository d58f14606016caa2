//! Run settings: one struct of what the user asked for (`RunSettings`), normalised against the
//! suite's defaults into the effective settings that drive the run and go into the scorecard.
//! Precedence: command line, then the suite's `[settings]`, then jiebang's defaults.

use super::RunError;
use crate::SuiteSpec;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// Accuracy (every sample once, scored) or performance (timed), kept apart as in MLPerf.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Every sample of the run is issued once; answers are logged and scored.
    #[default]
    Accuracy,
    /// Queries are timed under a scenario; answers are not scored.
    Performance,
}

impl Mode {
    /// `accuracy` or `performance`.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Accuracy => "accuracy",
            Mode::Performance => "performance",
        }
    }
}

impl FromStr for Mode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "accuracy" => Ok(Mode::Accuracy),
            "performance" => Ok(Mode::Performance),
            _ => Err(format!("mode `{s}`: expected `accuracy` or `performance`")),
        }
    }
}

/// How queries are issued in a performance run (after MLPerf LoadGen).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scenario {
    /// One query at a time, the next as soon as the previous completes; latency percentiles.
    SingleStream,
    /// `max_in_flight` queries outstanding all along, the SUT never idle; throughput.
    Offline,
    /// Poisson arrivals at a target rate; whether the latency bound held at that rate.
    Server,
}

impl Scenario {
    /// `single-stream`, `offline` or `server`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scenario::SingleStream => "single-stream",
            Scenario::Offline => "offline",
            Scenario::Server => "server",
        }
    }
}

impl FromStr for Scenario {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "single-stream" => Ok(Scenario::SingleStream),
            "offline" => Ok(Scenario::Offline),
            "server" => Ok(Scenario::Server),
            _ => Err(format!(
                "scenario `{s}`: expected `single-stream`, `offline` or `server`"
            )),
        }
    }
}

/// One shard `i/n` of a run: the samples whose index `k` has `k % n == i - 1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 1-based shard number.
    pub index: u32,
    /// Number of shards.
    pub count: u32,
}

impl Shard {
    /// Whether sample `k` belongs to this shard.
    pub fn contains(&self, k: usize) -> bool {
        k % self.count as usize == (self.index - 1) as usize
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("shard `{s}`: expected `i/n` with 1 <= i <= n, e.g. `2/8`");
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let index: u32 = i.trim().parse().map_err(|_| bad())?;
        let count: u32 = n.trim().parse().map_err(|_| bad())?;
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

/// What the user asked for. Values not given here come from the suite's `[settings]` table,
/// then from jiebang's defaults (see [`SETTINGS`]).
#[derive(Debug, Clone, Default)]
pub struct RunSettings {
    /// Accuracy or performance.
    pub mode: Mode,
    /// Scenario of a performance run (default: the suite's `scenario`, else single-stream).
    pub scenario: Option<Scenario>,
    /// Seed of every random choice (sample order, arrivals, resampling in scoring).
    pub seed: u64,
    /// The shard of the samples this run covers (accuracy only).
    pub shard: Option<Shard>,
    /// Named settings from the command line (`--timeout 5` is `timeout_s = "5"`, `--set k=v`).
    pub values: BTreeMap<String, String>,
    /// The sandbox a process SUT runs in (`bubblewrap <version>`, from
    /// [`Sandbox::describe`](super::sut::Sandbox::describe)), or `None` for none. Recorded as
    /// the setting `sandbox` (`none` when absent) so that a round can require it.
    pub sandbox: Option<String>,
}

impl RunSettings {
    /// Sets a named setting from `--set KEY=VALUE` text, refusing unknown names.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), RunError> {
        if key == "scenario" {
            self.scenario = Some(
                value
                    .parse()
                    .map_err(|m: String| RunError::setting(key, "--set", m))?,
            );
            return Ok(());
        }
        if key == "sandbox" {
            return Err(RunError::setting(
                key,
                "--set",
                "is recorded from --sandbox (`none` or the bubblewrap version), not set by hand",
            ));
        }
        if !known(key) {
            return Err(RunError::setting(
                key,
                "--set",
                format!("unknown setting; known: scenario, {}", known_names()),
            ));
        }
        self.values.insert(key.to_string(), value.to_string());
        Ok(())
    }
}

fn known(key: &str) -> bool {
    SETTINGS
        .iter()
        .chain(SANDBOX_SETTINGS)
        .any(|s| s.name == key)
}

fn known_names() -> String {
    SETTINGS
        .iter()
        .chain(SANDBOX_SETTINGS)
        .map(|s| s.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The kind of value a setting holds.
#[derive(Debug, Clone, Copy)]
enum Kind {
    /// A positive finite number of seconds.
    Seconds,
    /// A positive finite number.
    Positive,
    /// A non-negative integer.
    Count,
    /// A positive integer.
    PositiveCount,
    /// A probability strictly between 0 and 1.
    Fraction,
}

/// One named setting: what it is, where it applies and its default.
pub struct SettingSpec {
    /// Name in `--set`, suite `[settings]` and the scorecard's `pins.settings`.
    pub name: &'static str,
    /// What it does.
    pub doc: &'static str,
    kind: Kind,
    applies: fn(Mode, Option<Scenario>) -> bool,
    default: fn(Mode, Option<Scenario>) -> Option<f64>,
}

fn always(_: Mode, _: Option<Scenario>) -> bool {
    true
}
fn perf(m: Mode, _: Option<Scenario>) -> bool {
    m == Mode::Performance
}
fn never(_: Mode, _: Option<Scenario>) -> bool {
    false
}
fn single_stream(m: Mode, s: Option<Scenario>) -> bool {
    m == Mode::Performance && s == Some(Scenario::SingleStream)
}
fn server(m: Mode, s: Option<Scenario>) -> bool {
    m == Mode::Performance && s == Some(Scenario::Server)
}

/// Every named setting, with its default.
pub const SETTINGS: &[SettingSpec] = &[
    SettingSpec {
        name: "timeout_s",
        doc: "seconds a query may stay unanswered before it counts as a timeout",
        kind: Kind::Seconds,
        applies: always,
        default: |_, _| Some(60.0),
    },
    SettingSpec {
        name: "max_in_flight",
        doc: "most queries outstanding at once (process: written but not answered; built-in: worker threads in offline and server runs, else one at a time); single-stream is always 1",
        kind: Kind::PositiveCount,
        applies: always,
        default: |m, s| {
            Some(match (m, s) {
                (Mode::Performance, Some(Scenario::SingleStream)) => 1.0,
                (Mode::Performance, Some(Scenario::Offline)) => 64.0,
                (Mode::Performance, Some(Scenario::Server)) => 256.0,
                _ => 8.0,
            })
        },
    },
    SettingSpec {
        name: "startup_timeout_s",
        doc: "seconds a process SUT may take to answer the hello with ready",
        kind: Kind::Seconds,
        applies: always,
        default: |_, _| Some(120.0),
    },
    SettingSpec {
        name: "max_line_bytes",
        doc: "longest answer line accepted from a process SUT; longer lines are malformed",
        kind: Kind::PositiveCount,
        applies: always,
        default: |_, _| Some((8u64 << 20) as f64),
    },
    SettingSpec {
        name: "max_consecutive_timeouts",
        doc: "timeouts in a row after which the SUT is taken as hung and the run ends (0: never)",
        kind: Kind::Count,
        applies: always,
        default: |_, _| Some(3.0),
    },
    SettingSpec {
        name: "min_duration_s",
        doc: "shortest timed pass, in seconds",
        kind: Kind::Seconds,
        applies: perf,
        default: |_, _| Some(10.0),
    },
    SettingSpec {
        name: "min_query_count",
        doc: "fewest queries in the timed pass",
        kind: Kind::PositiveCount,
        applies: perf,
        default: |_, _| Some(1024.0),
    },
    SettingSpec {
        name: "max_query_count",
        doc: "most queries in the timed pass (bounds memory and time)",
        kind: Kind::PositiveCount,
        applies: perf,
        default: |_, _| Some(100_000_000.0),
    },
    SettingSpec {
        name: "warmup_queries",
        doc: "untimed queries issued before the timed pass",
        kind: Kind::Count,
        applies: perf,
        default: |_, _| Some(32.0),
    },
    SettingSpec {
        name: "latency_percentile",
        doc: "the single-stream latency percentile that early stopping bounds (MLPerf: 0.9)",
        kind: Kind::Fraction,
        applies: single_stream,
        default: |_, _| Some(0.9),
    },
    SettingSpec {
        name: "server_target_qps",
        doc: "mean arrival rate of the server scenario's Poisson process, queries per second",
        kind: Kind::Positive,
        applies: server,
        default: |_, _| None,
    },
    SettingSpec {
        name: "server_latency_bound_s",
        doc: "latency bound the server scenario's percentile must meet, in seconds",
        kind: Kind::Seconds,
        applies: server,
        default: |_, _| None,
    },
    SettingSpec {
        name: "server_percentile",
        doc: "the server latency percentile that must stay within the bound (MLPerf: 0.99)",
        kind: Kind::Fraction,
        applies: server,
        default: |_, _| Some(0.99),
    },
    SettingSpec {
        name: "early_stopping_confidence",
        doc: "confidence of MLPerf's early-stopping percentile estimate",
        kind: Kind::Fraction,
        applies: perf,
        default: |_, _| Some(0.99),
    },
];

/// The limits of the sandbox, which apply only with one (`--sandbox`): then they are resolved
/// like the others and recorded beside `sandbox`.
pub const SANDBOX_SETTINGS: &[SettingSpec] = &[
    SettingSpec {
        name: "sandbox_memory_mb",
        doc: "address space of each sandboxed SUT process, MiB (RLIMIT_AS; with --sandbox)",
        kind: Kind::PositiveCount,
        applies: never,
        default: |_, _| Some(16384.0),
    },
    SettingSpec {
        name: "sandbox_processes",
        doc: "most processes and threads of the sandboxed SUT (RLIMIT_NPROC; with --sandbox)",
        kind: Kind::PositiveCount,
        applies: never,
        default: |_, _| Some(512.0),
    },
];

/// The limits of a sandboxed run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SandboxLimits {
    /// Address space per process, MiB.
    pub memory_mb: u64,
    /// Processes and threads.
    pub processes: u64,
}

/// The effective settings of a run: every value that applies, resolved and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Effective {
    /// Accuracy or performance.
    pub mode: Mode,
    /// Scenario of a performance run.
    pub scenario: Option<Scenario>,
    /// Seed.
    pub seed: u64,
    /// Shard of an accuracy run.
    pub shard: Option<Shard>,
    /// Per-query timeout.
    pub timeout_s: f64,
    /// Most queries outstanding.
    pub max_in_flight: usize,
    /// Handshake timeout of a process SUT.
    pub startup_timeout_s: f64,
    /// Longest accepted answer line.
    pub max_line_bytes: usize,
    /// Timeouts in a row that end the run (0: never).
    pub max_consecutive_timeouts: u64,
    /// Shortest timed pass.
    pub min_duration_s: f64,
    /// Fewest timed queries.
    pub min_query_count: u64,
    /// Most timed queries.
    pub max_query_count: u64,
    /// Untimed warm-up queries.
    pub warmup_queries: u64,
    /// Single-stream early-stopping percentile.
    pub latency_percentile: f64,
    /// Server arrival rate.
    pub server_target_qps: f64,
    /// Server latency bound.
    pub server_latency_bound_s: f64,
    /// Server percentile.
    pub server_percentile: f64,
    /// Early-stopping confidence.
    pub early_stopping_confidence: f64,
    /// The sandbox's limits, when the run has one.
    pub sandbox: Option<SandboxLimits>,
    /// The applicable settings by name, as they go into `pins.settings` (with `mode` and
    /// `scenario`).
    pub map: BTreeMap<String, Value>,
}

impl RunSettings {
    /// Resolves every applicable setting (command line, then the suite's `[settings]`, then
    /// the default) and checks it.
    pub fn normalise(&self, suite: &SuiteSpec) -> Result<Effective, RunError> {
        let suite_origin = format!("suite {} [settings]", suite.full_id());
        let scenario = match (self.mode, self.scenario) {
            (Mode::Accuracy, Some(s)) => {
                return Err(RunError::setting(
                    "scenario",
                    "command line",
                    format!(
                        "`{}` is a performance scenario; add `--mode performance` (accuracy runs issue every sample once)",
                        s.as_str()
                    ),
                ));
            }
            (Mode::Accuracy, None) => None,
            (Mode::Performance, Some(s)) => Some(s),
            (Mode::Performance, None) => Some(match suite.settings.get("scenario") {
                Some(toml::Value::String(s)) => s
                    .parse()
                    .map_err(|m: String| RunError::setting("scenario", &suite_origin, m))?,
                Some(other) => {
                    return Err(RunError::setting(
                        "scenario",
                        &suite_origin,
                        format!("expected a string, found `{other}`"),
                    ));
                }
                None => Scenario::SingleStream,
            }),
        };
        if self.shard.is_some() && self.mode == Mode::Performance {
            return Err(RunError::Unsupported(
                "--shard splits the samples of an accuracy run; a performance run measures one \
                 system at a time and cannot be split (run it unsharded)"
                    .into(),
            ));
        }
        for key in self.values.keys() {
            if !known(key) {
                return Err(RunError::setting(
                    key,
                    "command line",
                    format!("unknown setting; known: scenario, {}", known_names()),
                ));
            }
        }
        let mut map = BTreeMap::new();
        map.insert("mode".into(), Value::from(self.mode.as_str()));
        if let Some(s) = scenario {
            map.insert("scenario".into(), Value::from(s.as_str()));
        }
        let mut num = BTreeMap::new();
        for spec in SETTINGS {
            if !(spec.applies)(self.mode, scenario) {
                if self.values.contains_key(spec.name) {
                    return Err(RunError::setting(
                        spec.name,
                        "command line",
                        format!(
                            "does not apply to {} run{}",
                            match self.mode {
                                Mode::Accuracy => "an accuracy",
                                Mode::Performance => "a performance",
                            },
                            scenario
                                .map(|s| format!(" in the {} scenario", s.as_str()))
                                .unwrap_or_default()
                        ),
                    ));
                }
                continue;
            }
            let (v, origin) = if let Some(text) = self.values.get(spec.name) {
                let v: f64 = text.trim().parse().map_err(|_| {
                    RunError::setting(
                        spec.name,
                        "command line",
                        format!("`{text}` is not a number"),
                    )
                })?;
                (v, "command line".to_string())
            } else if let Some(tv) = suite.settings.get(spec.name) {
                let v = match tv {
                    toml::Value::Integer(i) => *i as f64,
                    toml::Value::Float(f) => *f,
                    other => {
                        return Err(RunError::setting(
                            spec.name,
                            &suite_origin,
                            format!("expected a number, found `{other}`"),
                        ));
                    }
                };
                (v, suite_origin.clone())
            } else if let Some(d) = (spec.default)(self.mode, scenario) {
                (d, "default".to_string())
            } else {
                return Err(RunError::setting(
                    spec.name,
                    "missing",
                    format!(
                        "the {} scenario needs it ({}); pass it on the command line or in the suite's [settings]",
                        scenario.map(Scenario::as_str).unwrap_or("accuracy"),
                        spec.doc
                    ),
                ));
            };
            check(spec, v, &origin)?;
            if spec.name == "max_in_flight" && scenario == Some(Scenario::SingleStream) && v != 1.0
            {
                return Err(RunError::setting(
                    spec.name,
                    origin,
                    "single-stream issues one query at a time; use offline or server for more in flight",
                ));
            }
            let json = match spec.kind {
                Kind::Count | Kind::PositiveCount => Value::from(v as u64),
                _ => Value::from(v),
            };
            map.insert(spec.name.to_string(), json);
            num.insert(spec.name, v);
        }
        map.insert(
            "sandbox".into(),
            Value::from(self.sandbox.as_deref().unwrap_or("none")),
        );
        let sandbox = match &self.sandbox {
            Some(_) => {
                let mut limit = |spec: &SettingSpec| -> Result<u64, RunError> {
                    let (v, origin) = match self.values.get(spec.name) {
                        Some(text) => (
                            text.trim().parse::<f64>().map_err(|_| {
                                RunError::setting(
                                    spec.name,
                                    "command line",
                                    format!("`{text}` is not a number"),
                                )
                            })?,
                            "command line",
                        ),
                        None => (
                            (spec.default)(self.mode, scenario).unwrap_or(1.0),
                            "default",
                        ),
                    };
                    check(spec, v, origin)?;
                    map.insert(spec.name.to_string(), Value::from(v as u64));
                    Ok(v as u64)
                };
                Some(SandboxLimits {
                    memory_mb: limit(&SANDBOX_SETTINGS[0])?,
                    processes: limit(&SANDBOX_SETTINGS[1])?,
                })
            }
            None => {
                if let Some(spec) = SANDBOX_SETTINGS
                    .iter()
                    .find(|s| self.values.contains_key(s.name))
                {
                    return Err(RunError::setting(
                        spec.name,
                        "command line",
                        "applies only to a sandboxed run; add --sandbox",
                    ));
                }
                None
            }
        };
        let get = |k: &str| num.get(k).copied().unwrap_or(0.0);
        Ok(Effective {
            mode: self.mode,
            scenario,
            seed: self.seed,
            shard: self.shard,
            timeout_s: get("timeout_s"),
            max_in_flight: get("max_in_flight") as usize,
            startup_timeout_s: get("startup_timeout_s"),
            max_line_bytes: get("max_line_bytes") as usize,
            max_consecutive_timeouts: get("max_consecutive_timeouts") as u64,
            min_duration_s: get("min_duration_s"),
            min_query_count: get("min_query_count") as u64,
            max_query_count: get("max_query_count") as u64,
            warmup_queries: get("warmup_queries") as u64,
            latency_percentile: get("latency_percentile"),
            server_target_qps: get("server_target_qps"),
            server_latency_bound_s: get("server_latency_bound_s"),
            server_percentile: get("server_percentile"),
            early_stopping_confidence: get("early_stopping_confidence"),
            sandbox,
            map,
        })
    }
}

fn check(spec: &SettingSpec, v: f64, origin: &str) -> Result<(), RunError> {
    let bad = |what: &str| RunError::setting(spec.name, origin, format!("{v} is not {what}"));
    if !v.is_finite() {
        return Err(bad("a finite number"));
    }
    match spec.kind {
        Kind::Seconds | Kind::Positive if v <= 0.0 => Err(bad("positive")),
        Kind::Count if v < 0.0 || v.fract() != 0.0 => Err(bad("a whole number >= 0")),
        Kind::PositiveCount if v < 1.0 || v.fract() != 0.0 => Err(bad("a whole number >= 1")),
        Kind::Fraction if !(v > 0.0 && v < 1.0) => Err(bad("strictly between 0 and 1")),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn suite(settings: &str) -> SuiteSpec {
        let text = format!(
            "schema_version = 1\nid = \"d/s\"\nversion = 1\ndirection = \"d\"\ntitle = \"t\"\n\
             description = \"x\"\nmetrics = []\nindicators = []\n[dataset]\nsamples = 4\n\
             [settings]\n{settings}\n"
        );
        SuiteSpec::from_toml(std::path::Path::new("s.toml"), &text).unwrap()
    }

    #[test]
    fn precedence_command_line_then_suite_then_default() {
        let s = suite("timeout_s = 5");
        let mut rs = RunSettings::default();
        let e = rs.normalise(&s).unwrap();
        assert_eq!(e.timeout_s, 5.0);
        assert_eq!(e.max_in_flight, 8);
        assert!(!e.map.contains_key("min_duration_s"));
        rs.set("timeout_s", "2.5").unwrap();
        assert_eq!(rs.normalise(&s).unwrap().timeout_s, 2.5);
        assert!(rs.set("timeuot_s", "1").is_err());
        rs.set("server_target_qps", "5").unwrap();
        let err = rs.normalise(&s).unwrap_err().to_string();
        assert!(err.contains("does not apply to an accuracy run"), "{err}");
    }

    #[test]
    fn scenario_rules() {
        let s = suite("");
        let mut rs = RunSettings {
            mode: Mode::Performance,
            ..Default::default()
        };
        let e = rs.normalise(&s).unwrap();
        assert_eq!(e.scenario, Some(Scenario::SingleStream));
        assert_eq!(e.max_in_flight, 1);
        rs.values.insert("max_in_flight".into(), "4".into());
        assert!(rs.normalise(&s).is_err());
        rs.values.clear();
        rs.scenario = Some(Scenario::Server);
        let err = rs.normalise(&s).unwrap_err().to_string();
        assert!(err.contains("server_target_qps"), "{err}");
        let s = suite("server_target_qps = 100\nserver_latency_bound_s = 0.01");
        let e = rs.normalise(&s).unwrap();
        assert_eq!(e.server_target_qps, 100.0);
        let acc = RunSettings {
            scenario: Some(Scenario::Offline),
            ..Default::default()
        };
        assert!(acc.normalise(&s).is_err());
    }

    #[test]
    fn shards_parse_and_partition() {
        let sh: Shard = "2/3".parse().unwrap();
        assert!(sh.contains(1) && sh.contains(4) && !sh.contains(0));
        assert!("0/3".parse::<Shard>().is_err());
        assert!("4/3".parse::<Shard>().is_err());
        assert!("x".parse::<Shard>().is_err());
    }

    #[test]
    fn the_sandbox_is_recorded_with_its_limits() {
        let s = suite("");
        let mut rs = RunSettings::default();
        let e = rs.normalise(&s).unwrap();
        assert_eq!(e.map["sandbox"], "none");
        assert_eq!(e.sandbox, None);
        assert!(!e.map.contains_key("sandbox_memory_mb"));
        rs.set("sandbox_processes", "64").unwrap();
        let err = rs.normalise(&s).unwrap_err().to_string();
        assert!(err.contains("add --sandbox"), "{err}");
        rs.sandbox = Some("bubblewrap 0.8.0".into());
        let e = rs.normalise(&s).unwrap();
        assert_eq!(e.map["sandbox"], "bubblewrap 0.8.0");
        assert_eq!(e.map["sandbox_processes"], 64);
        assert_eq!(
            e.sandbox,
            Some(SandboxLimits {
                memory_mb: 16384,
                processes: 64
            })
        );
        assert!(rs.set("sandbox", "none").is_err());
        rs.set("sandbox_memory_mb", "0").unwrap();
        assert!(rs.normalise(&s).is_err());
    }

    #[test]
    fn values_are_checked() {
        let s = suite("timeout_s = -1");
        let err = RunSettings::default()
            .normalise(&s)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("timeout_s") && err.contains("positive"),
            "{err}"
        );
    }
}

//! The typed run request: what one `jiebang run` asks for. `run`'s flags convert into it,
//! `jiebang demo` and the peak search build it directly, and it renders back as a command line.

use jiebang_accel::BackendKind;
use jiebang_core::run::{Mode, RunSettings, SutSpec};
use std::fmt;
use std::path::{Path, PathBuf};

/// Where a run's suite comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SuiteSource {
    /// An embedded suite, `direction/name` or `direction/name@version`.
    Embedded(String),
    /// A suite spec file (TOML), pinned by its hash and path.
    File(PathBuf),
}

/// One run: a suite × a system under test × a backend × settings, and where its outputs go.
#[derive(Debug, Clone)]
pub struct RunRequest {
    /// The suite.
    pub suite: SuiteSource,
    /// The system under test.
    pub sut: SutSpec,
    /// Files that make up the system, pinned by sha256.
    pub sut_files: Vec<PathBuf>,
    /// A dataset root with a manifest, or `None` for the suite's generated default dataset.
    pub data: Option<PathBuf>,
    /// Samples in the generated default dataset (`None`: the suite's).
    pub samples: Option<u64>,
    /// The unit's declaration.
    pub declaration: Option<PathBuf>,
    /// The compute backend of built-in systems and scoring.
    pub backend: BackendKind,
    /// Mode, scenario, seed, shard and named settings; `sandbox` is filled in when the sandbox
    /// is probed.
    pub settings: RunSettings,
    /// Run a process SUT inside bubblewrap.
    pub sandbox: bool,
    /// The round the run belongs to, pinned in the scorecard.
    pub round: Option<String>,
    /// The secret key that signs the scorecard.
    pub sign: Option<PathBuf>,
    /// Output directory of the scorecard and (by default) the log.
    pub out: PathBuf,
    /// The per-query log, or `None` for `<out>/<stem>.log.jsonl`.
    pub log: Option<PathBuf>,
    /// Continue the run in the log.
    pub resume: bool,
}

impl RunRequest {
    /// An accuracy run of `suite` against `sut` on the CPU, written to `out`, with every other
    /// choice at its default.
    pub fn new(suite: SuiteSource, sut: SutSpec, out: PathBuf) -> Self {
        Self {
            suite,
            sut,
            sut_files: Vec::new(),
            data: None,
            samples: None,
            declaration: None,
            backend: BackendKind::Cpu,
            settings: RunSettings::default(),
            sandbox: false,
            round: None,
            sign: None,
            out,
            log: None,
            resume: false,
        }
    }

    /// The `jiebang run` arguments that ask for this request (without `jiebang run`), words
    /// quoted as a POSIX shell reads them. `--backend` and `--out` are always given.
    pub fn command_line(&self) -> String {
        let mut words: Vec<String> = Vec::new();
        let mut flag = |name: &str, value: String| {
            words.push(name.to_string());
            words.push(value);
        };
        match &self.suite {
            SuiteSource::Embedded(id) => flag("--suite", id.clone()),
            SuiteSource::File(f) => flag("--suite-file", path(f)),
        }
        flag("--sut", sut_text(&self.sut));
        for f in &self.sut_files {
            flag("--sut-file", path(f));
        }
        if let Some(d) = &self.data {
            flag("--data", path(d));
        }
        if let Some(n) = self.samples {
            flag("--samples", n.to_string());
        }
        flag("--backend", self.backend.to_string());
        flag("--out", path(&self.out));
        if let Some(d) = &self.declaration {
            flag("--declaration", path(d));
        }
        let s = &self.settings;
        if s.mode != Mode::Accuracy {
            flag("--mode", s.mode.as_str().to_string());
        }
        if let Some(sc) = s.scenario {
            flag("--scenario", sc.as_str().to_string());
        }
        if s.seed != 0 {
            flag("--seed", s.seed.to_string());
        }
        if let Some(sh) = s.shard {
            flag("--shard", sh.to_string());
        }
        for (k, v) in &s.values {
            flag("--set", format!("{k}={v}"));
        }
        if let Some(r) = &self.round {
            flag("--round", r.clone());
        }
        if let Some(k) = &self.sign {
            flag("--sign", path(k));
        }
        if let Some(l) = &self.log {
            flag("--log", path(l));
        }
        if self.sandbox {
            words.push("--sandbox".into());
        }
        if self.resume {
            words.push("--resume".into());
        }
        words.iter().map(|w| quote(w)).collect::<Vec<_>>().join(" ")
    }
}

impl fmt::Display for SuiteSource {
    /// The suite id, or the suite file's path.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SuiteSource::Embedded(id) => f.write_str(id),
            SuiteSource::File(p) => write!(f, "{}", p.display()),
        }
    }
}

/// The `--sut` text of a parsed system.
pub fn sut_text(sut: &SutSpec) -> String {
    match sut {
        SutSpec::Builtin(name) => format!("builtin:{name}"),
        SutSpec::Predictions(f) => format!("predictions:{}", path(f)),
        SutSpec::Process { text, .. } => text.clone(),
    }
}

fn path(p: &Path) -> String {
    p.display().to_string()
}

/// `word` as a POSIX shell reads it back: unchanged when it has only safe characters, else in
/// single quotes (a `'` inside written as `'\''`).
fn quote(word: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "-_./:@=+,%^".contains(c);
    if !word.is_empty() && word.chars().all(safe) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiebang_core::run::{Scenario, Shard};

    fn request(sut: &str) -> RunRequest {
        RunRequest::new(
            SuiteSource::Embedded("nn-chip/kernels@1".into()),
            SutSpec::parse(sut).unwrap(),
            PathBuf::from("out dir"),
        )
    }

    #[test]
    fn a_demo_run_renders_as_the_demo_always_printed_it() {
        let mut r = request("builtin:kernels");
        r.out = PathBuf::from("/tmp/demo");
        r.declaration = Some(PathBuf::from("/tmp/demo/declarations/nn-chip.toml"));
        assert_eq!(
            r.command_line(),
            "--suite nn-chip/kernels@1 --sut builtin:kernels --backend cpu --out /tmp/demo \
             --declaration /tmp/demo/declarations/nn-chip.toml"
        );
    }

    #[test]
    fn every_choice_is_rendered_and_quoted_as_a_shell_reads_it() {
        let mut r = request("python3 'my sut.py'");
        r.backend = BackendKind::Wgpu;
        r.settings.mode = Mode::Performance;
        r.settings.scenario = Some(Scenario::Server);
        r.settings.seed = 7;
        r.settings.shard = Some(Shard { index: 2, count: 4 });
        r.settings.set("server_target_qps", "12.5").unwrap();
        r.sut_files.push(PathBuf::from("it's.bin"));
        r.resume = true;
        r.sandbox = true;
        assert_eq!(
            r.command_line(),
            "--suite nn-chip/kernels@1 --sut 'python3 '\\''my sut.py'\\''' --sut-file 'it'\\''s.bin' \
             --backend wgpu --out 'out dir' --mode performance --scenario server --seed 7 \
             --shard 2/4 --set server_target_qps=12.5 --sandbox --resume"
        );
    }

    #[test]
    fn an_empty_word_is_quoted() {
        assert_eq!(quote(""), "''");
        assert_eq!(quote("a;b"), "'a;b'");
    }
}

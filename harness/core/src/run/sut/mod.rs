//! The SUT boundary: one trait that every adapter implements — a process speaking JSON Lines,
//! a predictions file, a built-in Rust system, a scripted mock — and the `--sut` spec that
//! chooses one.

mod builtin;
mod mock;
pub(crate) mod predictions;
pub(crate) mod process;
mod sandbox;

pub use builtin::BuiltinSut;
pub use mock::{MockReply, MockSut};
pub use predictions::PredictionsSut;
pub use process::ProcessSut;
pub(crate) use process::block_sigpipe;
pub use sandbox::Sandbox;

use super::{Completer, LogSink, Query, RunError};
use crate::{BackendHandle, BuiltinContext, SampleLibrary, SuiteSpec, Task};
use jiebang_scorecard::{FilePin, SutPin};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// What a SUT is started with.
pub struct SutStart {
    /// `direction/name@version` of the suite.
    pub suite: String,
    /// The dataset's inputs part (`ROOT/inputs`), the only folder of the dataset a SUT is
    /// given: query paths are relative to it.
    pub dataset_root: PathBuf,
    /// Where stderr lines go.
    pub log: LogSink,
    /// How long a process may take to say it is ready.
    pub startup_timeout: Duration,
    /// Longest answer line accepted.
    pub max_line_bytes: usize,
    /// Most queries outstanding.
    pub max_in_flight: usize,
    /// Whether queries may be answered concurrently in-process: only in offline and server
    /// performance runs. Otherwise a built-in system answers one query at a time, so that a
    /// system that times itself (nn-chip's kernels) is never disturbed by its own other calls.
    pub parallel: bool,
    /// The shard of the run (a predictions file counts its stray lines once across shards).
    pub shard: Option<super::Shard>,
    /// Whether this is the first session of the run (not a resume).
    pub fresh: bool,
}

/// A system under test behind one boundary, after MLPerf LoadGen's: samples are loaded untimed,
/// queries carry sample indices, and answers come back through [`Completer::complete`], from any
/// thread, in any order.
pub trait Sut: Send + Sync {
    /// The scorecard's pin: adapter, name, version (after `start`), command, files and hash.
    fn pin(&self) -> SutPin;

    /// Whether it can only answer accuracy runs (a predictions file cannot be timed).
    fn accuracy_only(&self) -> bool {
        false
    }

    /// Prepares the queries of `indices` (untimed), e.g. serializes them once.
    fn load(&self, samples: &Arc<dyn SampleLibrary>, indices: &[usize]) -> Result<(), RunError>;

    /// Starts the system (spawn and handshake for a process).
    fn start(&self, start: &SutStart) -> Result<(), RunError>;

    /// Gives the adapter the completion call of the current pass (`None` between passes), for
    /// answers that arrive on its own threads.
    fn bind(&self, done: Option<Completer>);

    /// Issues queries. Must not wait for answers unless it answers inline; an answer may be
    /// reported through `done` before this returns.
    fn issue(&self, queries: &[Query], done: &Completer);

    /// Stops the system at once (a hung SUT). Idempotent.
    fn abort(&self);

    /// Ends the system in order (a process gets `end` and is waited for).
    fn end(&self) -> Result<(), RunError>;
}

/// A parsed `--sut` specification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SutSpec {
    /// `builtin:NAME`.
    Builtin(String),
    /// `predictions:FILE` (JSON Lines or CSV).
    Predictions(PathBuf),
    /// Any other text (or `process:CMD`): a command split into words, shell-style, run without
    /// a shell.
    Process {
        /// The text as given.
        text: String,
        /// Program and arguments.
        argv: Vec<String>,
    },
}

impl SutSpec {
    /// Parses `--sut`.
    pub fn parse(text: &str) -> Result<Self, RunError> {
        let bad = |m: &str| RunError::SutSpec {
            spec: text.to_string(),
            message: m.to_string(),
        };
        if let Some(name) = text.strip_prefix("builtin:") {
            if name.is_empty() {
                return Err(bad("expected `builtin:NAME` (see `jiebang tasks`)"));
            }
            return Ok(SutSpec::Builtin(name.to_string()));
        }
        if let Some(file) = text.strip_prefix("predictions:") {
            if file.is_empty() {
                return Err(bad("expected `predictions:FILE` (a .jsonl or .csv file)"));
            }
            return Ok(SutSpec::Predictions(PathBuf::from(file)));
        }
        let cmd = text.strip_prefix("process:").unwrap_or(text);
        let argv = shell_words::split(cmd).map_err(|e| {
            bad(&format!(
                "cannot split the command into words ({e}); check the quotes"
            ))
        })?;
        if argv.is_empty() {
            return Err(bad(
                "empty command; expected e.g. `python3 my_sut.py`, `builtin:NAME` or `predictions:FILE`",
            ));
        }
        Ok(SutSpec::Process {
            text: cmd.to_string(),
            argv,
        })
    }

    /// A short name for file names: `builtin-NAME`, the predictions file stem, or the first
    /// script or program name.
    pub fn slug(&self) -> String {
        let raw = match self {
            SutSpec::Builtin(n) => format!("builtin-{n}"),
            SutSpec::Predictions(p) => format!(
                "predictions-{}",
                p.file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default()
            ),
            SutSpec::Process { argv, .. } => argv
                .iter()
                .rev()
                .find(|a| Path::new(a).is_file())
                .or(argv.first())
                .and_then(|a| Path::new(a).file_stem())
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "process".into()),
        };
        raw.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '-'
                }
            })
            .collect()
    }
}

/// Opens the SUT a `--sut` spec names. `sut_files` (`--sut-file`) are pinned by sha256 with
/// the predictions file, or with the words of a process command that name existing files
/// (`python3 my_sut.py` pins `my_sut.py`). A `sandbox` confines a process SUT; it is refused
/// for a built-in system (it runs inside jiebang) and a predictions file (nothing is run).
pub fn open(
    spec: &SutSpec,
    sut_files: &[PathBuf],
    task: &dyn Task,
    suite: &SuiteSpec,
    samples: &Arc<dyn SampleLibrary>,
    backend: &BackendHandle,
    sandbox: Option<&Sandbox>,
) -> Result<Arc<dyn Sut>, RunError> {
    if sandbox.is_some() {
        check_sandboxable(spec)?;
    }
    match spec {
        SutSpec::Builtin(name) => {
            if !sut_files.is_empty() {
                return Err(RunError::SutSpec {
                    spec: format!("builtin:{name}"),
                    message: "--sut-file pins the files of a process or predictions SUT; a built-in system is pinned by the harness and task versions".into(),
                });
            }
            let known: Vec<&str> = task.builtin_systems().iter().map(|b| b.name).collect();
            if !known.contains(&name.as_str()) {
                return Err(RunError::Core(crate::CoreError::Unknown {
                    kind: "built-in system",
                    name: name.clone(),
                    known: if known.is_empty() {
                        "(none for this direction)".into()
                    } else {
                        known.join(", ")
                    },
                }));
            }
            let system = task.builtin(
                name,
                &BuiltinContext {
                    suite: suite.clone(),
                    library: samples.clone(),
                    backend: backend.clone(),
                },
            )?;
            Ok(Arc::new(BuiltinSut::new(name, system)))
        }
        SutSpec::Predictions(path) => {
            check_file(path).map_err(|m| RunError::SutSpec {
                spec: format!("predictions:{}", path.display()),
                message: format!("{}: {m}", path.display()),
            })?;
            let mut all = vec![path.clone()];
            all.extend_from_slice(sut_files);
            Ok(Arc::new(PredictionsSut::new(path, pin_files(&all)?)))
        }
        SutSpec::Process { text, argv } => {
            let mut all: Vec<PathBuf> = argv
                .iter()
                .map(PathBuf::from)
                .filter(|p| p.is_file())
                .collect();
            all.extend_from_slice(sut_files);
            let sut = ProcessSut::new(text, argv.clone(), pin_files(&all)?);
            Ok(Arc::new(match sandbox {
                Some(s) => sut.sandboxed(s.clone(), sut_files.to_vec()),
                None => sut,
            }))
        }
    }
}

/// Refuses `--sandbox` for a SUT that is not a process: a built-in system is jiebang's own
/// code, run in-process, and a predictions file is only read.
pub fn check_sandboxable(spec: &SutSpec) -> Result<(), RunError> {
    let (text, why) = match spec {
        SutSpec::Process { .. } => return Ok(()),
        SutSpec::Builtin(n) => (
            format!("builtin:{n}"),
            "a built-in system is jiebang's own code and runs inside jiebang",
        ),
        SutSpec::Predictions(p) => (
            format!("predictions:{}", p.display()),
            "a predictions file is only read, nothing is run",
        ),
    };
    Err(RunError::SutSpec {
        spec: text,
        message: format!(
            "--sandbox confines a process SUT (a command); {why}, so there is nothing to sandbox: run without --sandbox"
        ),
    })
}

/// Why `path` cannot be pinned, if it cannot: missing, unreadable, or not a regular file.
fn check_file(path: &Path) -> Result<(), String> {
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() => Ok(()),
        Ok(_) => Err("not a regular file (pin each file of a directory)".into()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err("no such file".into()),
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            Err("permission denied".into())
        }
        Err(e) => Err(e.to_string()),
    }
}

/// `path` without `.` components and with `dir/..` pairs removed, made relative to the working
/// directory when it lies under it: `./sut.py`, `x/../sut.py` and `$PWD/sut.py` all become
/// `sut.py`, so a SUT's hash does not depend on how its files were spelled. Purely lexical
/// (symbolic links are not followed).
pub fn normalise_path(path: &Path) -> PathBuf {
    fn lexical(path: &Path) -> PathBuf {
        use std::path::Component;
        let mut out: Vec<Component> = Vec::new();
        for c in path.components() {
            match c {
                Component::CurDir => {}
                Component::ParentDir => match out.last() {
                    Some(Component::Normal(_)) => {
                        out.pop();
                    }
                    Some(Component::RootDir | Component::Prefix(_)) => {}
                    _ => out.push(c),
                },
                other => out.push(other),
            }
        }
        out.iter().collect()
    }
    let p = lexical(path);
    if p.is_absolute()
        && let Ok(cwd) = std::env::current_dir()
        && let Ok(rel) = p.strip_prefix(lexical(&cwd))
        && !rel.as_os_str().is_empty()
    {
        return rel.to_path_buf();
    }
    if p.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        p
    }
}

/// Pins files by sha256, sorted by path, without duplicates (paths are compared after
/// [`normalise_path`]).
pub fn pin_files(paths: &[PathBuf]) -> Result<Vec<FilePin>, RunError> {
    let mut pins: Vec<FilePin> = Vec::new();
    for p in paths {
        check_file(p).map_err(|message| RunError::SutFile {
            path: p.clone(),
            message,
        })?;
        let path = normalise_path(p).display().to_string();
        if pins.iter().any(|f| f.path == path) {
            continue;
        }
        pins.push(FilePin {
            sha256: crate::bounded::sha256(p, crate::bounded::limit::PINNED_FILE, "SUT file")?,
            path,
        });
    }
    pins.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(pins)
}

/// The SUT hash: sha256 of the canonical JSON of the sorted `[[path, sha256], ...]` list.
pub fn sut_hash(files: &[FilePin]) -> String {
    let mut sorted: Vec<[&str; 2]> = files
        .iter()
        .map(|f| [f.path.as_str(), f.sha256.as_str()])
        .collect();
    sorted.sort();
    let bytes = jiebang_scorecard::to_canonical_bytes(&sorted).unwrap_or_default();
    hex::encode(Sha256::digest(&bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse() {
        assert_eq!(
            SutSpec::parse("builtin:baseline").unwrap(),
            SutSpec::Builtin("baseline".into())
        );
        assert_eq!(
            SutSpec::parse("predictions:out.jsonl").unwrap(),
            SutSpec::Predictions("out.jsonl".into())
        );
        match SutSpec::parse("python3 'my sut.py' --fast").unwrap() {
            SutSpec::Process { argv, .. } => assert_eq!(argv, ["python3", "my sut.py", "--fast"]),
            other => panic!("{other:?}"),
        }
        assert!(SutSpec::parse("python3 'unclosed").is_err());
        assert!(SutSpec::parse("  ").is_err());
        assert!(SutSpec::parse("builtin:").is_err());
    }

    #[test]
    fn paths_are_normalised_lexically() {
        let cwd = std::env::current_dir().unwrap();
        for spelled in ["./sut.py", "sut.py", "x/../sut.py", "./x/./../sut.py"] {
            assert_eq!(
                normalise_path(Path::new(spelled)),
                Path::new("sut.py"),
                "{spelled}"
            );
        }
        assert_eq!(normalise_path(&cwd.join("a/./b.bin")), Path::new("a/b.bin"));
        assert_eq!(normalise_path(Path::new("../up.py")), Path::new("../up.py"));
        assert_eq!(
            normalise_path(Path::new("/elsewhere/./m.bin")),
            Path::new("/elsewhere/m.bin")
        );
    }

    #[test]
    fn hash_is_order_independent() {
        let a = FilePin {
            path: "a".into(),
            sha256: "1".into(),
        };
        let b = FilePin {
            path: "b".into(),
            sha256: "2".into(),
        };
        assert_eq!(
            sut_hash(&[a.clone(), b.clone()]),
            sut_hash(&[b.clone(), a.clone()])
        );
        assert_ne!(sut_hash(std::slice::from_ref(&a)), sut_hash(&[a, b]));
    }
}

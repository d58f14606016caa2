//! The sandbox of process SUTs (`jiebang run --sandbox`): bubblewrap with no network, its own
//! PID, IPC and UTS namespaces, a private /tmp, and, read-only, only the system directories, the
//! SUT's own files and the dataset's inputs; limits on address space and processes.

use crate::run::{RunError, SandboxLimits};
use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};
use std::process::Command;

/// System directories visible inside (read-only), or recreated as the same symbolic links.
const SYSTEM: &[&str] = &[
    "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc",
];
/// Mounted fresh inside: a private /proc (of the sandbox's PID namespace), a minimal /dev, and
/// an empty /tmp.
const FRESH: &[&str] = &["/proc", "/dev", "/tmp"];
/// Host environment variables passed in (all others are cleared); `*_NUM_THREADS` and `LC_*`
/// pass too. HOME and TMPDIR are the private /tmp.
const ENV_KEPT: &[&str] = &[
    "PATH",
    "LANG",
    "LANGUAGE",
    "TZ",
    "PYENV_ROOT",
    "PYENV_VERSION",
    "VIRTUAL_ENV",
];
/// The user a SUT runs as when jiebang runs as root (nobody): without it, root inside the
/// sandbox would keep every capability, and the process limit does not apply to root.
const UNPRIVILEGED: u32 = 65534;

/// A found, working bubblewrap and the limits it enforces.
#[derive(Debug, Clone)]
pub struct Sandbox {
    bwrap: PathBuf,
    version: String,
    prlimit: PathBuf,
    setpriv: Option<PathBuf>,
    limits: SandboxLimits,
}

/// A sandboxed command, with what it shows the SUT.
pub(crate) struct Prepared {
    /// `bwrap ... -- prlimit ... -- [setpriv ... --] ARGV`.
    pub command: Command,
    /// The same command line as text, for the log.
    pub line: Vec<String>,
    /// Host paths visible inside, read-only.
    pub visible: Vec<String>,
}

fn unavailable(message: impl Into<String>) -> RunError {
    RunError::Unsupported(format!("--sandbox: {}", message.into()))
}

/// Finds `program` in the directories of `PATH`.
fn on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(program))
        .find(|p| is_executable(p))
}

fn is_executable(p: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        p.is_file()
    }
}

fn running_as_root() -> bool {
    #[cfg(unix)]
    {
        nix::unistd::geteuid().is_root()
    }
    #[cfg(not(unix))]
    {
        false
    }
}

/// A system tool the sandbox runs inside itself: it must lie in a system directory.
fn system_tool(name: &str, package: &str) -> Result<PathBuf, RunError> {
    ["/usr/bin", "/bin", "/usr/sbin", "/sbin"]
        .iter()
        .map(|d| Path::new(d).join(name))
        .find(|p| is_executable(p))
        .ok_or_else(|| {
            unavailable(format!(
                "`{name}` was not found in /usr/bin; install it (`apt-get install {package}`)"
            ))
        })
}

impl Sandbox {
    /// Finds bubblewrap (`bwrap` on `PATH`), checks that it can start a sandbox here, and
    /// finds `prlimit` (and `setpriv` when jiebang runs as root) for the limits. Fails with
    /// what to install, or why bubblewrap cannot run, before anything is started.
    pub fn probe() -> Result<Self, RunError> {
        let bwrap = on_path("bwrap").ok_or_else(|| {
            unavailable(
                "bubblewrap (`bwrap`) is not installed or not on PATH; install it (`apt-get install bubblewrap`) or run without --sandbox",
            )
        })?;
        let out = Command::new(&bwrap)
            .arg("--version")
            .output()
            .map_err(|e| unavailable(format!("cannot run {}: {e}", bwrap.display())))?;
        let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
        let version = text
            .strip_prefix("bubblewrap ")
            .filter(|v| {
                !v.is_empty()
                    && v.len() <= 32
                    && v.chars()
                        .all(|c| c.is_ascii_alphanumeric() || ".-+~".contains(c))
            })
            .ok_or_else(|| {
                unavailable(format!(
                    "`{} --version` printed `{}`; expected `bubblewrap VERSION`",
                    bwrap.display(),
                    crate::run::log::preview(&text, 80)
                ))
            })?
            .to_string();
        let prlimit = system_tool("prlimit", "util-linux")?;
        let setpriv = if running_as_root() {
            Some(system_tool("setpriv", "util-linux")?)
        } else {
            None
        };
        let sandbox = Self {
            bwrap,
            version,
            prlimit,
            setpriv,
            limits: SandboxLimits {
                memory_mb: 16384,
                processes: 512,
            },
        };
        sandbox.trial()?;
        Ok(sandbox)
    }

    /// Starts an empty sandbox once, so that a machine where bubblewrap cannot create
    /// namespaces fails here, clearly, rather than at the SUT's start.
    fn trial(&self) -> Result<(), RunError> {
        let mut cmd = Command::new(&self.bwrap);
        cmd.args(["--die-with-parent", "--unshare-net", "--unshare-pid"]);
        if self.setpriv.is_none() {
            cmd.arg("--unshare-user");
        }
        for dir in SYSTEM {
            system_arg(&mut cmd, &mut Vec::new(), dir);
        }
        cmd.args(["--proc", "/proc", "--dev", "/dev", "--", "true"]);
        let out = cmd
            .output()
            .map_err(|e| unavailable(format!("cannot run {}: {e}", self.bwrap.display())))?;
        if !out.status.success() {
            return Err(unavailable(format!(
                "bubblewrap cannot create a sandbox on this machine ({}): {}",
                out.status,
                crate::run::log::preview(String::from_utf8_lossy(&out.stderr).trim(), 300)
            )));
        }
        Ok(())
    }

    /// The same sandbox with other limits.
    pub fn with_limits(mut self, limits: SandboxLimits) -> Self {
        self.limits = limits;
        self
    }

    /// `bubblewrap <version>`: the value of the run setting `sandbox`.
    pub fn describe(&self) -> String {
        format!("bubblewrap {}", self.version)
    }

    /// The command that runs `argv` in the sandbox with `dataset_root` visible and the SUT's
    /// own files: its program (resolved on `PATH`; for a program in `PREFIX/bin/`, `PREFIX`
    /// too, which covers virtualenvs and pyenv), every word of the command that names an
    /// existing path, and `sut_files`. A SUT path that would show the dataset's truth (its
    /// folder or anything beside the inputs), the working directory or the home directory is
    /// refused.
    pub(crate) fn command(
        &self,
        argv: &[String],
        sut_files: &[PathBuf],
        dataset_root: &Path,
    ) -> Result<Prepared, RunError> {
        let refuse = |m: String| RunError::SutSpec {
            spec: argv.join(" "),
            message: format!("--sandbox: {m}"),
        };
        let cwd = std::env::current_dir()
            .map_err(|e| refuse(format!("cannot read the working directory: {e}")))?;
        let guard = Guard::new(&cwd, dataset_root);
        let mut wanted: Vec<PathBuf> = vec![absolute(&cwd, dataset_root)];
        let program = argv.first().map(String::as_str).unwrap_or_default();
        let found = if program.contains('/') {
            Some(absolute(&cwd, Path::new(program)))
        } else {
            on_path(program)
        };
        let found = found.ok_or_else(|| {
            refuse(format!(
                "cannot find the program `{program}` on PATH to show it inside the sandbox"
            ))
        })?;
        for p in program_paths(&found) {
            guard.check(&p, program).map_err(&refuse)?;
            wanted.push(p.clone());
            if let Some(prefix) = install_prefix(&p)
                && guard.check(&prefix, program).is_ok()
            {
                wanted.push(prefix);
            }
        }
        for word in argv.iter().skip(1) {
            let p = absolute(&cwd, Path::new(word));
            if p.symlink_metadata().is_ok() {
                guard.check(&p, word).map_err(&refuse)?;
                wanted.push(p);
            }
        }
        for f in sut_files {
            let p = absolute(&cwd, f);
            guard.check(&p, &f.display().to_string()).map_err(&refuse)?;
            wanted.push(p);
        }
        Ok(self.assemble(argv, &cwd, wanted))
    }

    fn assemble(&self, argv: &[String], cwd: &Path, mut wanted: Vec<PathBuf>) -> Prepared {
        let mut cmd = Command::new(&self.bwrap);
        let mut line: Vec<String> = vec![self.bwrap.display().to_string()];
        push(
            &mut cmd,
            &mut line,
            &[
                "--die-with-parent",
                "--new-session",
                "--unshare-net",
                "--unshare-pid",
                "--unshare-ipc",
                "--unshare-uts",
                "--unshare-cgroup-try",
            ],
        );
        if self.setpriv.is_none() {
            // Not root: bubblewrap makes a user namespace anyway; no more inside it.
            push(&mut cmd, &mut line, &["--unshare-user", "--disable-userns"]);
        }
        push(&mut cmd, &mut line, &["--clearenv"]);
        for (k, v) in kept_env() {
            cmd.arg("--setenv").arg(&k).arg(&v);
            line.extend([
                "--setenv".to_string(),
                k.to_string_lossy().into_owned(),
                v.to_string_lossy().into_owned(),
            ]);
        }
        push(
            &mut cmd,
            &mut line,
            &["--setenv", "HOME", "/tmp", "--setenv", "TMPDIR", "/tmp"],
        );
        let mut visible = Vec::new();
        for dir in SYSTEM {
            let before = line.len();
            system_arg(&mut cmd, &mut line, dir);
            if line.len() > before && line[before] == "--ro-bind" {
                visible.push(dir.to_string());
            }
        }
        push(
            &mut cmd,
            &mut line,
            &[
                "--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--tmpfs", "/tmp",
            ],
        );
        // Parents before children; a path inside one already shown needs no mount of its own.
        wanted.sort();
        wanted.dedup();
        let mut shown: Vec<PathBuf> = Vec::new();
        let mut made: Vec<PathBuf> = Vec::new();
        for p in wanted {
            if already_visible(&p, &shown) {
                continue;
            }
            make_parents(&mut cmd, &mut line, &p, &shown, &mut made);
            cmd.arg("--ro-bind").arg(&p).arg(&p);
            line.extend([
                "--ro-bind".to_string(),
                p.display().to_string(),
                p.display().to_string(),
            ]);
            visible.push(p.display().to_string());
            shown.push(p);
        }
        // The working directory exists inside, empty (unless shown): relative paths to the
        // SUT's files resolve as outside.
        if !already_visible(cwd, &shown) && !shown.iter().any(|s| s == cwd) {
            make_parents(&mut cmd, &mut line, cwd, &shown, &mut made);
            if !made.iter().any(|m| m == cwd) {
                cmd.args(["--perms", "0755", "--dir"]).arg(cwd);
                line.extend([
                    "--perms".into(),
                    "0755".into(),
                    "--dir".into(),
                    cwd.display().to_string(),
                ]);
            }
        }
        cmd.arg("--chdir").arg(cwd);
        line.extend(["--chdir".into(), cwd.display().to_string(), "--".into()]);
        cmd.arg("--");
        let as_bytes = self.limits.memory_mb.saturating_mul(1 << 20);
        let limits = [
            self.prlimit.display().to_string(),
            format!("--as={as_bytes}"),
            format!("--nproc={}", self.limits.processes),
            "--".to_string(),
        ];
        cmd.args(&limits);
        line.extend(limits);
        if let Some(setpriv) = &self.setpriv {
            let drop = [
                setpriv.display().to_string(),
                format!("--reuid={UNPRIVILEGED}"),
                format!("--regid={UNPRIVILEGED}"),
                "--clear-groups".into(),
                "--inh-caps=-all".into(),
                "--bounding-set=-all".into(),
                "--no-new-privs".into(),
                "--".into(),
            ];
            cmd.args(&drop);
            line.extend(drop);
        }
        cmd.args(argv);
        line.extend(argv.iter().cloned());
        Prepared {
            command: cmd,
            line,
            visible,
        }
    }
}

/// Adds `args` to the command and to its text.
fn push(cmd: &mut Command, line: &mut Vec<String>, args: &[&str]) {
    cmd.args(args);
    line.extend(args.iter().map(|s| s.to_string()));
}

/// A system directory: the same symbolic link when it is one, a read-only bind when it is a
/// directory, nothing when absent.
fn system_arg(cmd: &mut Command, line: &mut Vec<String>, dir: &str) {
    let p = Path::new(dir);
    let Ok(meta) = p.symlink_metadata() else {
        return;
    };
    if meta.file_type().is_symlink() {
        if let Ok(target) = std::fs::read_link(p) {
            cmd.arg("--symlink").arg(&target).arg(p);
            line.extend([
                "--symlink".into(),
                target.display().to_string(),
                dir.to_string(),
            ]);
        }
    } else if meta.is_dir() {
        cmd.args(["--ro-bind", dir, dir]);
        line.extend(["--ro-bind".into(), dir.into(), dir.into()]);
    }
}

/// Creates the parents of `p` inside (mode 0755: a host parent may be private to its owner,
/// and the SUT may run as another user) unless they exist there already.
fn make_parents(
    cmd: &mut Command,
    line: &mut Vec<String>,
    p: &Path,
    shown: &[PathBuf],
    made: &mut Vec<PathBuf>,
) {
    let mut parents: Vec<&Path> = p.ancestors().skip(1).collect();
    parents.reverse();
    for a in parents {
        if a == Path::new("/")
            || FRESH.iter().any(|f| a == Path::new(f))
            || SYSTEM.iter().any(|s| a == Path::new(s))
            || already_visible(a, shown)
            || shown.iter().any(|s| s == a)
            || made.iter().any(|m| m == a)
        {
            continue;
        }
        cmd.args(["--perms", "0755", "--dir"]).arg(a);
        line.extend([
            "--perms".into(),
            "0755".into(),
            "--dir".into(),
            a.display().to_string(),
        ]);
        made.push(a.to_path_buf());
    }
}

/// Whether `p` is already visible: inside a system directory or inside a path shown.
fn already_visible(p: &Path, shown: &[PathBuf]) -> bool {
    let real = p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    SYSTEM
        .iter()
        .filter(|s| Path::new(s).is_dir() && !Path::new(s).is_symlink())
        .any(|s| real.starts_with(s) || p.starts_with(s))
        || shown.iter().any(|s| p != s && p.starts_with(s))
}

/// The host environment passed in: [`ENV_KEPT`], `LC_*` and `*_NUM_THREADS`.
fn kept_env() -> Vec<(OsString, OsString)> {
    let mut out: Vec<(OsString, OsString)> = std::env::vars_os()
        .filter(|(k, _)| {
            let k = k.to_string_lossy();
            ENV_KEPT.contains(&k.as_ref()) || k.starts_with("LC_") || k.ends_with("_NUM_THREADS")
        })
        .collect();
    out.sort();
    out
}

/// `p` made absolute against `cwd`, with `.` and `dir/..` removed lexically (symbolic links
/// are not followed: the path is shown where the SUT will look for it).
fn absolute(cwd: &Path, p: &Path) -> PathBuf {
    let joined = cwd.join(p);
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The program and every step of the symbolic links it goes through (a virtualenv's
/// `python3` links to its base interpreter).
fn program_paths(found: &Path) -> Vec<PathBuf> {
    let mut out = vec![found.to_path_buf()];
    let mut at = found.to_path_buf();
    for _ in 0..40 {
        let Ok(target) = std::fs::read_link(&at) else {
            break;
        };
        let dir = at.parent().unwrap_or(Path::new("/")).to_path_buf();
        at = absolute(&dir, &target);
        out.push(at.clone());
    }
    out
}

/// `PREFIX` for a program at `PREFIX/bin/NAME`, or at `PREFIX/shims/NAME` (pyenv's and its
/// kin's shims, which run an interpreter from `PREFIX/versions/`).
fn install_prefix(program: &Path) -> Option<PathBuf> {
    let bin = program.parent()?;
    if bin.file_name()? != "bin" && bin.file_name()? != "shims" {
        return None;
    }
    let prefix = bin.parent()?;
    (prefix != Path::new("/")).then(|| prefix.to_path_buf())
}

/// What no SUT path may show: anything that contains the working directory, the home
/// directory or the dataset's folder, and anything in the dataset's folder outside its inputs.
struct Guard {
    cwd: PathBuf,
    home: Option<PathBuf>,
    inputs: PathBuf,
    dataset: Option<PathBuf>,
}

impl Guard {
    fn new(cwd: &Path, dataset_root: &Path) -> Self {
        let real = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
        let inputs = real(dataset_root);
        Self {
            cwd: real(cwd),
            home: std::env::var_os("HOME")
                .filter(|h| !h.is_empty())
                .map(|h| real(Path::new(&h))),
            dataset: inputs.parent().map(Path::to_path_buf),
            inputs,
        }
    }

    fn check(&self, p: &Path, word: &str) -> Result<(), String> {
        let real = p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
        let contains = |inner: &Path| inner.starts_with(&real);
        let why = if real == Path::new("/") {
            Some("the whole file system".to_string())
        } else if self.dataset.as_deref().is_some_and(contains) {
            Some("the dataset's folder, truth included".to_string())
        } else if let Some(d) = &self.dataset
            && real.starts_with(d)
            && !real.starts_with(&self.inputs)
        {
            Some(format!(
                "a path beside the dataset's inputs ({}), where its truth is kept",
                self.inputs.display()
            ))
        } else if contains(&self.cwd) {
            Some(format!("the working directory ({})", self.cwd.display()))
        } else if self.home.as_deref().is_some_and(contains) {
            Some("the home directory".to_string())
        } else {
            None
        };
        match why {
            Some(why) => Err(format!(
                "`{word}` ({}) would show {why} to the SUT; give the SUT's own files instead (--sut-file FILE)",
                real.display()
            )),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_made_absolute_lexically() {
        let cwd = Path::new("/work/x");
        assert_eq!(
            absolute(cwd, Path::new("a/../b.py")),
            Path::new("/work/x/b.py")
        );
        assert_eq!(absolute(cwd, Path::new("/abs/./c")), Path::new("/abs/c"));
        assert_eq!(absolute(cwd, Path::new("../y")), Path::new("/work/y"));
    }

    #[test]
    fn prefixes_of_interpreters() {
        assert_eq!(
            install_prefix(Path::new("/opt/venv/bin/python3")),
            Some(PathBuf::from("/opt/venv"))
        );
        assert_eq!(
            install_prefix(Path::new("/root/.pyenv/shims/python3")),
            Some(PathBuf::from("/root/.pyenv"))
        );
        assert_eq!(install_prefix(Path::new("/bin/sh")), None);
        assert_eq!(install_prefix(Path::new("/opt/tool")), None);
    }

    #[test]
    fn the_guard_keeps_truth_cwd_and_home_out() {
        let g = Guard {
            cwd: "/w/run".into(),
            home: Some("/home/u".into()),
            inputs: "/d/set/inputs".into(),
            dataset: Some("/d/set".into()),
        };
        assert!(g.check(Path::new("/opt/model.bin"), "m").is_ok());
        assert!(g.check(Path::new("/w/run/sut.py"), "s").is_ok());
        assert!(g.check(Path::new("/d/set/inputs/x"), "x").is_ok());
        for bad in [
            "/",
            "/d",
            "/d/set",
            "/d/set/truth/labels.json",
            "/w",
            "/home/u",
        ] {
            assert!(g.check(Path::new(bad), bad).is_err(), "{bad}");
        }
    }
}

//! Atomic file writes: write to a temporary file in the same directory, fsync, then rename,
//! so that a crash never leaves a half-written scorecard, manifest or report. A writer killed
//! mid-write leaves its temporary file behind; the next write into that folder removes it.

use crate::CoreError;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// A temporary file whose writer is alive is left alone unless it is older than this: no
/// write of a scorecard or report takes so long, so its writer died and the process id was
/// reused.
pub const STALE_AFTER: Duration = Duration::from_secs(600);

/// Writes `bytes` to `path` atomically, creating parent directories. Stale temporary files
/// of earlier writes into the same folder are removed first (see [`clean_stale`]).
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), CoreError> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| CoreError::io(dir, e))?;
    clean_stale(dir);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(temp_name(&name, std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        CoreError::io(path, e)
    })
}

/// The temporary name of `name` written by process `pid`: `.NAME.tmp-PID`.
fn temp_name(name: &str, pid: u32) -> String {
    format!(".{name}.tmp-{pid}")
}

/// The writer's process id, when `file_name` is one of jiebang's temporary names.
fn temp_pid(file_name: &str) -> Option<u32> {
    let rest = file_name.strip_prefix('.')?;
    let (stem, pid) = rest.rsplit_once(".tmp-")?;
    if stem.is_empty() || pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    pid.parse().ok()
}

/// Whether process `pid` exists (it may belong to someone else).
fn alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        use nix::errno::Errno;
        let Ok(raw) = i32::try_from(pid) else {
            return false;
        };
        if raw <= 0 {
            return false;
        }
        !matches!(
            nix::sys::signal::kill(nix::unistd::Pid::from_raw(raw), None),
            Err(Errno::ESRCH)
        )
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

/// Removes, in `dir` only, jiebang's temporary files (`.NAME.tmp-PID`, regular files) whose
/// writer is gone: its process no longer exists, or the file is older than [`STALE_AFTER`].
/// Returns what was removed. Anything else — other names, directories, links, a live writer's
/// fresh file — is left alone; errors are ignored (the write itself reports real problems).
pub fn clean_stale(dir: &Path) -> Vec<PathBuf> {
    let mut removed = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return removed;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(temp_pid) else {
            continue;
        };
        // symlink_metadata: a link named like a temporary file is not ours.
        let Ok(meta) = entry.path().symlink_metadata() else {
            continue;
        };
        if !meta.is_file() {
            continue;
        }
        let old = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .is_some_and(|age| age > STALE_AFTER);
        let own = pid == std::process::id();
        if (!own && !alive(pid)) || old {
            let path = entry.path();
            if std::fs::remove_file(&path).is_ok() {
                removed.push(path);
            }
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_our_temporary_names_are_recognised() {
        assert_eq!(temp_pid(".a.scorecard.json.tmp-123"), Some(123));
        assert_eq!(temp_pid(&temp_name("x.json", 7)), Some(7));
        for other in [
            "a.json.tmp-1",
            ".a.json.tmp-",
            ".a.json.tmp-12x",
            "..tmp-5",
            ".tmp-5",
            ".a.json",
        ] {
            assert_eq!(temp_pid(other), None, "{other}");
        }
    }

    #[test]
    fn stale_files_go_live_ones_stay() {
        let dir = tempfile::tempdir().unwrap();
        // A process that has exited: its id is free (until reused).
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let dead = child.id();
        child.wait().unwrap();
        let stale = dir.path().join(temp_name("s.json", dead));
        // Process 1 always exists: a live writer's fresh file.
        let live = dir.path().join(temp_name("s.json", 1));
        let other = dir.path().join("s.json.tmp-1");
        for p in [&stale, &live, &other] {
            std::fs::write(p, b"x").unwrap();
        }
        let removed = clean_stale(dir.path());
        assert_eq!(removed, vec![stale.clone()]);
        assert!(!stale.exists() && live.exists() && other.exists());
        write(&dir.path().join("s.json"), b"y").unwrap();
        assert!(live.exists(), "a fresh file of a live writer stays");
    }
}

//! Bounded reads of input files: every file jiebang reads is a regular file read up to a size
//! limit, so a crafted path (`/dev/zero`, a FIFO, a huge file) cannot hang or exhaust memory.

use crate::CoreError;
use std::io::Read;
use std::path::Path;

/// Size limits per kind of input file, in bytes.
pub mod limit {
    /// A scorecard (canonical JSON).
    pub const SCORECARD: u64 = 64 << 20;
    /// A TOML input: declaration, round file, suite file.
    pub const TOML: u64 = 4 << 20;
    /// A key file (public or secret).
    pub const KEY: u64 = 64 << 10;
    /// A dataset manifest.
    pub const MANIFEST: u64 = 256 << 20;
    /// A task's label or index file in a dataset (annotations, workload index).
    pub const DATASET_INDEX: u64 = 256 << 20;
    /// A predictions file (JSON Lines).
    pub const PREDICTIONS: u64 = 1 << 30;
    /// A file a scorecard pins by hash (a SUT's program or weights, a suite file), hashed
    /// as a stream by `jiebang verify`.
    pub const PINNED_FILE: u64 = 64 << 30;
}

/// Opens `path` for reading, refusing anything that is not a regular file (a device, FIFO or
/// directory) and any file larger than `max` bytes; returns the file and its length.
fn open(path: &Path, max: u64, what: &str) -> Result<(std::fs::File, u64), CoreError> {
    let not_regular = || {
        CoreError::invalid(
            path,
            None,
            format!("{what}: not a regular file; expected a plain file"),
        )
    };
    // Checked before opening (opening a FIFO would block), and again on the open file.
    if !std::fs::metadata(path)
        .map_err(|e| CoreError::io(path, e))?
        .is_file()
    {
        return Err(not_regular());
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(nix::fcntl::OFlag::O_NONBLOCK.bits());
    }
    let file = options.open(path).map_err(|e| CoreError::io(path, e))?;
    let meta = file.metadata().map_err(|e| CoreError::io(path, e))?;
    if !meta.is_file() {
        return Err(not_regular());
    }
    if meta.len() > max {
        return Err(too_large(path, max, what));
    }
    Ok((file, meta.len()))
}

/// Reads `path` whole, refusing anything that is not a regular file (a device, FIFO or
/// directory) and any file larger than `max` bytes. `what` names the file's role in errors.
pub fn read(path: &Path, max: u64, what: &str) -> Result<Vec<u8>, CoreError> {
    let (file, len) = open(path, max, what)?;
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| CoreError::io(path, e))?;
    if bytes.len() as u64 > max {
        return Err(too_large(path, max, what));
    }
    Ok(bytes)
}

/// The sha256 (hex) of `path`, streamed, under the same rules as [`read`]: a regular file of
/// at most `max` bytes.
pub fn sha256(path: &Path, max: u64, what: &str) -> Result<String, CoreError> {
    use sha2::Digest;
    let (file, _) = open(path, max, what)?;
    let mut reader = file.take(max + 1);
    let mut h = sha2::Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut total = 0u64;
    loop {
        let n = reader.read(&mut buf).map_err(|e| CoreError::io(path, e))?;
        if n == 0 {
            break;
        }
        total += n as u64;
        if total > max {
            return Err(too_large(path, max, what));
        }
        h.update(&buf[..n]);
    }
    Ok(hex::encode(h.finalize()))
}

/// [`read`], then UTF-8: an invalid byte is reported with its line and column.
pub fn read_text(path: &Path, max: u64, what: &str) -> Result<String, CoreError> {
    let bytes = read(path, max, what)?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        let col = at
            - bytes[..at]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |p| p + 1)
            + 1;
        CoreError::invalid(
            path,
            Some(line),
            format!("{what}: byte {col} of the line is not UTF-8; expected UTF-8 text"),
        )
    })
}

fn too_large(path: &Path, max: u64, what: &str) -> CoreError {
    CoreError::invalid(
        path,
        None,
        format!("{what}: larger than the {max}-byte limit for this kind of file"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_devices_and_large_files() {
        let e = read(Path::new("/dev/zero"), 10, "scorecard").unwrap_err();
        assert!(e.to_string().contains("not a regular file"), "{e}");
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big");
        std::fs::write(&p, vec![b'x'; 11]).unwrap();
        let e = read(&p, 10, "scorecard").unwrap_err();
        assert!(e.to_string().contains("10-byte limit"), "{e}");
        assert_eq!(read(&p, 11, "scorecard").unwrap().len(), 11);
        let e = sha256(Path::new("/dev/zero"), 10, "SUT file").unwrap_err();
        assert!(
            e.to_string().contains("SUT file: not a regular file"),
            "{e}"
        );
        let e = sha256(&p, 10, "SUT file").unwrap_err();
        assert!(e.to_string().contains("10-byte limit"), "{e}");
        assert_eq!(
            sha256(&p, 11, "SUT file").unwrap(),
            crate::sha256_file(&p).unwrap()
        );
    }

    #[test]
    fn names_the_line_of_bad_utf8() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("d.toml");
        std::fs::write(&p, b"a = 1\nb = \"\xff\"\n").unwrap();
        let e = read_text(&p, 100, "declaration").unwrap_err();
        assert!(
            e.to_string()
                .ends_with(":2: declaration: byte 6 of the line is not UTF-8; expected UTF-8 text"),
            "{e}"
        );
    }
}

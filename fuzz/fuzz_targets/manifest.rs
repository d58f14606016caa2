//! Dataset manifest reader (`Manifest::read` of `manifest.json` in a dataset root). Properties:
//! every path of an accepted manifest stays inside the root (relative, only normal components)
//! and under `inputs/` or `truth/`,
//! the manifest can be hashed (its id is not the hash of nothing) and written and read back to
//! the same id; a refused one names the manifest file, and a line inside it when it names one
//! (always, for bytes that are not UTF-8).
#![no_main]

use jiebang_core::{MANIFEST_FILE, Manifest};
use jiebang_fuzz::{assert_located, confined, scratch_dir};
use libfuzzer_sys::fuzz_target;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn root() -> &'static PathBuf {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| scratch_dir("manifest"))
}

fuzz_target!(|data: &[u8]| {
    let root = root();
    let file = root.join(MANIFEST_FILE);
    std::fs::write(&file, data).expect("cannot write the manifest");
    let m = match Manifest::read(root) {
        Ok(m) => m,
        Err(e) => {
            return match std::str::from_utf8(data) {
                Ok(text) => assert_located(&e, &file, text, false),
                // Not text: the error names the file and the line of the first bad byte.
                Err(_) => assert!(
                    e.to_string()
                        .strip_prefix(&format!("{}:", file.display()))
                        .and_then(|rest| rest.split(':').next())
                        .is_some_and(|line| line.parse::<usize>().is_ok_and(|l| l >= 1)),
                    "{e}"
                ),
            };
        }
    };
    for f in &m.files {
        let p = Path::new(&f.path);
        assert!(
            confined(p) && p.components().next().is_some(),
            "path `{}` accepted",
            f.path
        );
        assert!(!f.path.contains('\\') && !f.path.contains('\0'));
        assert!(
            f.path.starts_with("inputs/") || f.path.starts_with("truth/"),
            "path `{}` accepted outside inputs/ and truth/",
            f.path
        );
    }
    let canonical = jiebang_scorecard::to_canonical_bytes(&m);
    assert!(
        canonical.is_ok(),
        "an accepted manifest has no canonical JSON: {canonical:?}"
    );
    let hash = m.hash();
    let written = serde_json::to_string_pretty(&m).expect("a manifest writes");
    let back: Manifest = serde_json::from_str(&written)
        .unwrap_or_else(|e| panic!("a manifest written back does not read: {e}\n{written}"));
    assert_eq!(back.hash(), hash, "written back:\n{written}");
});

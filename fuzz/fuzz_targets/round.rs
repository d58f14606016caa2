//! Round file reader (`round.toml` → round id, trusted keys, per direction the ranking
//! indicator and the caps). Properties: an accepted round has known, distinct directions,
//! ranking indicators of their catalogue, caps within 5 and 3 (successful ≤ selected), and
//! trusted key paths inside the round folder; a refused one names the file, and a line inside
//! it when it names one (a missing table has no line).
#![no_main]

use jiebang_core::round::{MAX_SELECTED, MAX_SUCCESSFUL, Round};
use jiebang_fuzz::{assert_located, confined, directions};
use libfuzzer_sys::fuzz_target;
use std::collections::BTreeSet;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let folder = Path::new("fuzz-round");
    let file = folder.join("round.toml");
    let dirs = directions();
    let refs: Vec<_> = dirs.iter().collect();
    let r = match Round::parse(&file, text, &refs) {
        Ok(r) => r,
        Err(e) => return assert_located(&e, &file, text, false),
    };
    assert!(!r.round.trim().is_empty());
    assert!(!r.directions.is_empty());
    for k in &r.trusted_keys {
        let rel = k
            .strip_prefix(folder)
            .unwrap_or_else(|_| panic!("key {} outside", k.display()));
        assert!(
            confined(rel),
            "trusted key {} leaves the round folder",
            k.display()
        );
    }
    let mut seen = BTreeSet::new();
    for d in &r.directions {
        assert!(seen.insert(&d.id), "direction `{}` accepted twice", d.id);
        let dir = dirs
            .iter()
            .find(|x| x.id == d.id)
            .expect("a known direction");
        assert!(dir.indicator(&d.ranking_indicator).is_some());
        assert!((1..=MAX_SELECTED).contains(&d.selected));
        assert!((1..=MAX_SUCCESSFUL.min(d.selected)).contains(&d.successful));
    }
});

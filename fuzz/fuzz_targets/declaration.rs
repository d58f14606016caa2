//! Declaration reader (TOML → validated levels against the direction catalogue). Properties:
//! an accepted declaration holds only finite, in-range levels with targets at least as good as
//! the current level, unique ids, and the hash of its text; a refused one names the file and a
//! line inside it.
#![no_main]

use jiebang_core::Declaration;
use jiebang_fuzz::{assert_located, directions};
use jiebang_scorecard::Better;
use libfuzzer_sys::fuzz_target;
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let file = Path::new("fuzz/unit.declaration.toml");
    let dirs = directions();
    let refs: Vec<_> = dirs.iter().collect();
    let d = match Declaration::parse(file, text, &refs) {
        Ok(d) => d,
        Err(e) => return assert_located(&e, file, text, true),
    };
    assert!(!d.unit.trim().is_empty());
    assert_eq!(d.hash, hex::encode(Sha256::digest(data)));
    let direction = dirs
        .iter()
        .find(|x| x.id == d.direction)
        .expect("a known direction");
    let mut ids = BTreeSet::new();
    let levels = d.levels.iter().map(|l| {
        let ind = direction.indicator(&l.id).expect("a catalogue indicator");
        (&l.id, ind.metric, l.current, l.target_2020)
    });
    let custom = d.custom.iter().map(|c| {
        assert!(direction.indicator(&c.id).is_none() && direction.metric(&c.id).is_none());
        (&c.id, c.metric.as_str(), c.current, c.target_2020)
    });
    for (id, metric, current, target) in levels.chain(custom) {
        assert!(ids.insert(id.clone()), "`{id}` accepted twice");
        let m = direction.metric(metric).expect("a catalogue metric");
        for x in [current, target] {
            assert!(x.is_finite() && x >= 0.0, "`{id}`: {x} accepted");
            assert!(m.unit != "ratio" || x <= 1.0, "`{id}`: ratio {x} accepted");
        }
        let worse = match m.better {
            Better::Higher => target < current,
            Better::Lower => target > current,
        };
        assert!(
            !worse,
            "`{id}`: target {target} worse than current {current} accepted"
        );
    }
});

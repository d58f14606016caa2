//! Suite reader (TOML → `SuiteSpec`) and suite references (`direction/name[@version]`, read
//! from a first-line comment).
//! Properties: an accepted suite can be pinned (its canonical JSON exists and holds every value,
//! so that its hash sees all of it) and written back as TOML that reads to the same hash; a refused one
//! names the file, and a line inside it when it names one.
#![no_main]

use jiebang_core::{SuiteRef, SuiteSpec};
use jiebang_fuzz::assert_located;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // A suite reference rides in a first-line comment, so that the rest still reads as a suite.
    let first = text.lines().next().unwrap_or("");
    if let Ok(r) = first.trim_start_matches("# ").parse::<SuiteRef>() {
        let again = match r.version {
            Some(v) => format!("{}@{v}", r.id),
            None => r.id.clone(),
        };
        assert_eq!(again.parse::<SuiteRef>(), Ok(r));
    }
    let file = Path::new("fuzz/suite.toml");
    let spec = match SuiteSpec::from_toml(file, text) {
        Ok(s) => s,
        Err(e) => return assert_located(&e, file, text, false),
    };
    assert!(spec.id.starts_with(&format!("{}/", spec.direction)));
    let canonical = jiebang_scorecard::to_canonical_string(&spec)
        .unwrap_or_else(|e| panic!("an accepted suite has no canonical JSON, so no hash: {e}"));
    // TOML has no null: a null in what is hashed is a number JSON cannot hold (nan, inf),
    // erased, so that suites differing there would share one hash.
    let hashed: Value = serde_json::from_str(&canonical).expect("canonical JSON reads");
    assert!(
        !has_null(&hashed),
        "an accepted suite's hash does not see all of it: {canonical}"
    );
    let hash = spec.hash();
    assert_eq!(hash, spec.clone().hash());
    if let Ok(written) = toml::to_string(&spec) {
        let back = SuiteSpec::from_toml(file, &written)
            .unwrap_or_else(|e| panic!("a suite written back does not read: {e}\n{written}"));
        assert_eq!(back.hash(), hash, "written back:\n{written}");
    }
});

fn has_null(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Array(a) => a.iter().any(has_null),
        Value::Object(m) => m.values().any(has_null),
        _ => false,
    }
}

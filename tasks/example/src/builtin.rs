//! The built-in systems: `parity`, the baseline (n % 2), and `parity-test-every-fourth-wrong`,
//! a fault injector that is wrong on every fourth sample (for tests of `jiebang compare`).

use jiebang_core::BuiltinSystem;
use serde::Deserialize;
use serde_json::{Map, Value, json};

/// The baseline's name.
pub const PARITY: &str = "parity";
/// The fault injector's name (marked `fault_injection` in its `BuiltinInfo`, so `jiebang demo` and
/// the conformance kit skip it).
pub const EVERY_FOURTH_WRONG: &str = "parity-test-every-fourth-wrong";

/// What a system reads of a query.
#[derive(Debug, Deserialize)]
struct Query {
    number: u64,
}

/// A parity system; `wrong_every` > 0 makes it answer wrong on samples with
/// `index % wrong_every == wrong_every - 1`.
pub struct Parity {
    /// 0 for the baseline.
    pub wrong_every: usize,
}

impl BuiltinSystem for Parity {
    fn version(&self) -> String {
        env!("CARGO_PKG_VERSION").into()
    }

    fn answer(&self, index: usize, query: &Map<String, Value>) -> Result<Value, String> {
        let q: Query = jiebang_core::answer::read(&Value::Object(query.clone()))?;
        let wrong = self.wrong_every > 0 && index % self.wrong_every == self.wrong_every - 1;
        Ok(json!({ "even": q.number.is_multiple_of(2) != wrong }))
    }
}

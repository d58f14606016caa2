//! The answer a system gives to one kernel query, parsed and shape-checked: per-iteration
//! seconds, the output digest, the probed output values, and optional energy and peak figures
//! with their reasons. A wrong shape is a malformed answer, never a wrong one.

use serde::Deserialize;
use serde_json::{Value, json};

/// A well-formed answer.
#[derive(Debug, Clone, PartialEq)]
pub struct KernelAnswer {
    /// Seconds of each timed iteration (launch + completion), in run order.
    pub seconds: Vec<f64>,
    /// sha256 hex of the output's little-endian bytes, as the system computed it.
    pub output_digest: String,
    /// The output values at the query's probe positions; `None` for a value that is not
    /// finite (JSON `null`).
    pub probes: Vec<Option<f64>>,
    /// Device energy over the timed iterations, joules, when the system could read a counter.
    pub energy_j: Option<f64>,
    /// Why `energy_j` is absent.
    pub energy_reason: Option<String>,
    /// The device's theoretical peak for this kernel's arithmetic, operations per second.
    pub peak_ops_per_second: Option<f64>,
    /// How the peak was derived, or why it is unknown.
    pub peak_basis: Option<String>,
}

/// An answer as sent, before the checks serde cannot make.
#[derive(Debug, Deserialize)]
struct RawAnswer {
    seconds: Vec<f64>,
    output_digest: String,
    probes: Vec<Option<f64>>,
    #[serde(default)]
    energy_j: Option<f64>,
    #[serde(default)]
    energy_reason: Option<String>,
    #[serde(default)]
    peak_ops_per_second: Option<f64>,
    #[serde(default)]
    peak_basis: Option<String>,
}

/// `Some(v)` must be a number above zero (or zero, unless `positive`).
fn check_optional(v: Option<f64>, field: &str, positive: bool) -> Result<Option<f64>, String> {
    match v {
        Some(x) if !(x > 0.0 || (!positive && x == 0.0)) => Err(format!(
            "field `{field}` is {x}; expected {} number or null",
            if positive {
                "a positive"
            } else {
                "a non-negative"
            }
        )),
        v => Ok(v),
    }
}

/// Parses an answer to a query that asked for `iterations` timed iterations and `probes`
/// output positions; `integer` outputs must be probed as integers.
pub fn parse(
    answer: &Value,
    iterations: usize,
    probes: usize,
    integer: bool,
) -> Result<KernelAnswer, String> {
    let raw: RawAnswer = jiebang_core::answer::read(answer)?;
    if raw.seconds.len() != iterations {
        return Err(format!(
            "field `seconds` has {} values; the query asked for {iterations} timed iterations",
            raw.seconds.len()
        ));
    }
    if let Some((i, s)) = raw.seconds.iter().enumerate().find(|(_, s)| **s <= 0.0) {
        return Err(format!(
            "field `seconds[{i}]` is {s}; expected a positive number"
        ));
    }
    let digest = &raw.output_digest;
    if digest.len() != 64
        || !digest
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return Err("field `output_digest`: expected 64 lowercase hex digits (sha256 of the output's little-endian bytes)".into());
    }
    if raw.probes.len() != probes {
        return Err(format!(
            "field `probes` has {} values; the query asked for {probes} positions",
            raw.probes.len()
        ));
    }
    // Integral values written as floats (`5.0`) are accepted as integers.
    let in_i32 = |v: f64| v.fract() == 0.0 && v >= f64::from(i32::MIN) && v <= f64::from(i32::MAX);
    if integer
        && let Some((i, v)) = raw
            .probes
            .iter()
            .enumerate()
            .find_map(|(i, p)| p.filter(|v| !in_i32(*v)).map(|v| (i, v)))
    {
        return Err(format!(
            "field `probes[{i}]` is {v}; expected an i32 integer"
        ));
    }
    Ok(KernelAnswer {
        energy_j: check_optional(raw.energy_j, "energy_j", false)?,
        peak_ops_per_second: check_optional(raw.peak_ops_per_second, "peak_ops_per_second", true)?,
        seconds: raw.seconds,
        output_digest: raw.output_digest,
        probes: raw.probes,
        energy_reason: raw.energy_reason,
        peak_basis: raw.peak_basis,
    })
}

impl KernelAnswer {
    /// The JSON form (what a system sends).
    pub fn to_json(&self) -> Value {
        json!({
            "seconds": self.seconds,
            "output_digest": self.output_digest,
            "probes": self.probes,
            "energy_j": self.energy_j,
            "energy_reason": self.energy_reason,
            "peak_ops_per_second": self.peak_ops_per_second,
            "peak_basis": self.peak_basis,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> Value {
        json!({"seconds": [0.1, 0.2], "output_digest": "ab".repeat(32), "probes": [1, null, 3]})
    }

    #[test]
    fn parses_and_round_trips() {
        let a = parse(&good(), 2, 3, true).unwrap();
        assert_eq!(a.probes, vec![Some(1.0), None, Some(3.0)]);
        assert_eq!(parse(&a.to_json(), 2, 3, true).unwrap(), a);
    }

    #[test]
    fn wrong_shapes_say_what_was_expected() {
        let mut cases = Vec::new();
        let mut v = good();
        v["seconds"] = json!([0.1]);
        cases.push((v, "asked for 2"));
        let mut v = good();
        v["seconds"] = json!([0.1, 0.0]);
        cases.push((v, "seconds[1]"));
        let mut v = good();
        v["output_digest"] = json!("AB");
        cases.push((v, "output_digest"));
        let mut v = good();
        v["probes"] = json!([1, 2.5, 3]);
        cases.push((v, "probes[1]"));
        let mut v = good();
        v["probes"] = json!([1]);
        cases.push((v, "3 positions"));
        let mut v = good();
        v["energy_j"] = json!(-1);
        cases.push((v, "energy_j"));
        for (v, want) in cases {
            let e = parse(&v, 2, 3, true).unwrap_err();
            assert!(e.contains(want), "{e} should mention {want}");
        }
        assert!(parse(&json!([]), 2, 3, true).is_err());
    }
}

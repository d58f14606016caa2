//! The answer a system gives to one kernel query, parsed and shape-checked: per-iteration
//! seconds, the output digest, the probed output values, and optional energy and peak figures
//! with their reasons. A wrong shape is a malformed answer, never a wrong one.

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

fn opt_number(v: &Value, field: &str, positive: bool) -> Result<Option<f64>, String> {
    match v.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(x) => {
            let f = x
                .as_f64()
                .filter(|f| f.is_finite() && (*f > 0.0 || (!positive && *f == 0.0)))
                .ok_or_else(|| {
                    format!(
                        "`{field}` is {x}; expected {} number or null",
                        if positive {
                            "a positive"
                        } else {
                            "a non-negative"
                        }
                    )
                })?;
            Ok(Some(f))
        }
    }
}

fn opt_string(v: &Value, field: &str) -> Result<Option<String>, String> {
    match v.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(x) => Err(format!("`{field}` is {x}; expected a string")),
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
    if !answer.is_object() {
        return Err(format!("expected a JSON object, found {answer}"));
    }
    let seconds = answer
        .get("seconds")
        .and_then(Value::as_array)
        .ok_or("`seconds`: expected an array of per-iteration seconds")?;
    if seconds.len() != iterations {
        return Err(format!(
            "`seconds` has {} values; the query asked for {iterations} timed iterations",
            seconds.len()
        ));
    }
    let seconds = seconds
        .iter()
        .enumerate()
        .map(|(i, s)| {
            s.as_f64()
                .filter(|f| f.is_finite() && *f > 0.0)
                .ok_or_else(|| format!("`seconds[{i}]` is {s}; expected a positive number"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let output_digest = answer
        .get("output_digest")
        .and_then(Value::as_str)
        .filter(|d| d.len() == 64 && d.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
        .ok_or("`output_digest`: expected 64 lowercase hex digits (sha256 of the output's little-endian bytes)")?
        .to_string();
    let list = answer.get("probes").and_then(Value::as_array).ok_or(
        "`probes`: expected an array of the output values at the query's `probe` positions",
    )?;
    if list.len() != probes {
        return Err(format!(
            "`probes` has {} values; the query asked for {probes} positions",
            list.len()
        ));
    }
    let probes = list
        .iter()
        .enumerate()
        .map(|(i, p)| match p {
            Value::Null => Ok(None),
            // Integral values written as floats (`5.0`) are accepted as integers.
            Value::Number(n) if integer => n
                .as_f64()
                .filter(|v| {
                    v.fract() == 0.0 && *v >= f64::from(i32::MIN) && *v <= f64::from(i32::MAX)
                })
                .map(Some)
                .ok_or_else(|| format!("`probes[{i}]` is {p}; expected an i32 integer")),
            Value::Number(n) => Ok(n.as_f64()),
            _ => Err(format!("`probes[{i}]` is {p}; expected a number or null")),
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(KernelAnswer {
        seconds,
        output_digest,
        probes,
        energy_j: opt_number(answer, "energy_j", false)?,
        energy_reason: opt_string(answer, "energy_reason")?,
        peak_ops_per_second: opt_number(answer, "peak_ops_per_second", true)?,
        peak_basis: opt_string(answer, "peak_basis")?,
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

//! Number and verdict formatting shared by the human-readable reports.

use jiebang_scorecard::{Target, Verdict, VerdictStatus};

/// A value in its unit: ratios as percentages, other units as 4 significant digits.
pub fn value(v: Option<f64>, unit: &str) -> String {
    match v {
        None => "—".into(),
        Some(x) if unit == "ratio" => format!("{:.2}%", x * 100.0),
        Some(x) if unit == "bool" => if x >= 0.5 { "yes" } else { "no" }.into(),
        Some(x) => format!("{} {unit}", sig4(x)),
    }
}

/// A number with 4 significant digits, without an exponent for ordinary magnitudes.
pub fn sig4(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let mag = x.abs().log10().floor() as i32;
    if !(-4..6).contains(&mag) {
        return format!("{x:.3e}");
    }
    let decimals = (3 - mag).max(0) as usize;
    format!("{x:.decimals$}")
}

/// A 95% interval in the unit.
pub fn interval(ci: Option<[f64; 2]>, unit: &str) -> String {
    match ci {
        None => String::new(),
        Some([a, b]) if unit == "ratio" => format!("[{:.2}, {:.2}]%", a * 100.0, b * 100.0),
        Some([a, b]) => format!("[{}, {}]", sig4(a), sig4(b)),
    }
}

/// A target as `> 95.00%`.
pub fn target(t: &Target, unit: &str) -> String {
    format!(
        "{} {}{}",
        t.comparison.symbol(),
        value(Some(t.value), unit),
        if t.unconfirmed { " (unconfirmed)" } else { "" }
    )
}

/// A verdict word with the samples that would decide it.
pub fn verdict(v: Option<&Verdict>) -> String {
    match v {
        None => "—".into(),
        Some(v) => match (v.status, v.needed_n) {
            (VerdictStatus::Inconclusive, Some(n)) => {
                format!("inconclusive (≈{n} samples to decide)")
            }
            (s, _) => s.word().into(),
        },
    }
}

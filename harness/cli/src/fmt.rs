//! Number, verdict and date formatting shared by every human-readable report: `show`, the
//! board's Markdown, the site's pages and charts (one spelling of each number everywhere).

use jiebang_scorecard::{CiMethod, Target, Verdict, VerdictStatus};

/// The unit to show a metric's numbers in. A `ratio` measured as a proportion of counts (a
/// Wilson or Clopper–Pearson interval: detection rate, correctness) reads as a percentage; any other ratio (AUC,
/// CPM, a relative error, a fraction of peak) is shown as the plain number, unit
/// [`FRACTION`].
pub fn display_unit<'a>(unit: &'a str, ci_method: Option<&CiMethod>) -> &'a str {
    if unit == "ratio" && ci_method.is_some_and(|m| !m.is_proportion()) {
        FRACTION
    } else {
        unit
    }
}

/// Display unit of a ratio that is not a proportion: shown as a plain number.
pub const FRACTION: &str = "fraction";

/// A value in its unit: ratios as percentages, plain fractions and other units as 4
/// significant digits.
pub fn value(v: Option<f64>, unit: &str) -> String {
    match v {
        None => "—".into(),
        Some(x) if unit == "ratio" => format!("{:.2}%", x * 100.0),
        Some(x) if unit == FRACTION => sig4(x),
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

/// A 95% interval in the unit; none for a yes/no value (its interval is the value itself).
pub fn interval(ci: Option<[f64; 2]>, unit: &str) -> String {
    match ci {
        None => String::new(),
        Some(_) if unit == "bool" => String::new(),
        Some([a, b]) if unit == "ratio" => format!("[{:.2}, {:.2}]%", a * 100.0, b * 100.0),
        Some([a, b]) if unit == FRACTION => format!("[{}, {}]", sig4(a), sig4(b)),
        Some([a, b]) => format!("[{}, {}]", sig4(a), sig4(b)),
    }
}

/// A target as `> 95.00%`; a yes/no target as `supported`.
pub fn target(t: &Target, unit: &str) -> String {
    if unit == "bool" {
        return format!(
            "{}{}",
            if t.value >= 0.5 {
                "supported"
            } else {
                "not supported"
            },
            if t.unconfirmed { " (unconfirmed)" } else { "" }
        );
    }
    format!(
        "{} {}{}",
        t.comparison.symbol(),
        value(Some(t.value), unit),
        if t.unconfirmed { " (unconfirmed)" } else { "" }
    )
}

/// A target as a declaration would write it: `> 0.95 (95%)` for a proportion, `> 0.9` for
/// another ratio, `supported` for a yes/no target, `>= 10 TOPS` otherwise.
pub fn declared_target(t: &Target, unit: &str, proportion: bool) -> String {
    let body = match unit {
        "bool" => return target(t, unit),
        "ratio" if proportion => format!("{} ({}%)", t.value, plain(t.value * 100.0)),
        "ratio" => t.value.to_string(),
        _ => format!("{} {unit}", t.value),
    };
    format!(
        "{} {body}{}",
        t.comparison.symbol(),
        if t.unconfirmed { " (unconfirmed)" } else { "" }
    )
}

/// A number without float noise: `95`, `99.5` (at most 6 decimals, trailing zeros dropped).
fn plain(x: f64) -> String {
    let s = format!("{x:.6}");
    let s = s.trim_end_matches('0');
    s.trim_end_matches('.').to_string()
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

/// A measured value with a visible label when it rests on what the system reported about
/// itself (a metric's `self_reported` note): `1.2 TOPS [1.1, 1.3] (self-reported: what)`.
pub fn self_reported(measured: &str, note: Option<&str>) -> String {
    match note {
        Some(what) => format!("{measured} (self-reported: {what})"),
        None => measured.to_string(),
    }
}

/// The UTC day `YYYY-MM-DD` of a Unix time in seconds (proleptic Gregorian calendar).
pub fn utc_day(secs: i64) -> String {
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_proportions_of_counts_read_as_percentages() {
        assert_eq!(display_unit("ratio", Some(&CiMethod::Wilson)), "ratio");
        assert_eq!(
            display_unit("ratio", Some(&CiMethod::ClopperPearson)),
            "ratio"
        );
        assert_eq!(display_unit("ratio", None), "ratio");
        for m in [
            CiMethod::DeLong,
            CiMethod::Exact,
            CiMethod::BootstrapCasesLuna16 { resamples: 1000 },
            CiMethod::Other("bootstrap-bca".into()),
        ] {
            assert_eq!(display_unit("ratio", Some(&m)), FRACTION, "{m}");
        }
        assert_eq!(display_unit("s", Some(&CiMethod::OrderStatistic)), "s");
    }

    #[test]
    fn utc_days() {
        assert_eq!(utc_day(0), "1970-01-01");
        assert_eq!(utc_day(951_782_400), "2000-02-29");
        assert_eq!(utc_day(1_583_020_800 + 86_399), "2020-03-01");
        assert_eq!(utc_day(-1), "1969-12-31");
    }
}

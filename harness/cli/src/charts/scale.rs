//! Value axes: the range a chart shows (clamped to the values an indicator can take, log when
//! the values span decades), the pixel of a value, and ticks that do not run together.

use super::canvas::text_width;

/// How values in a unit are shown on an axis: scaled (a ratio as %), within which bounds.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitView {
    /// Display value = stored value × `factor` (100 for a ratio shown as %).
    pub factor: f64,
    /// The lowest and highest possible display values.
    pub bounds: (Option<f64>, Option<f64>),
    /// What to write after the axis name: `%`, `TOPS`; empty for a plain number.
    pub suffix: String,
    /// A yes/no indicator: drawn as two categories.
    pub yes_no: bool,
}

impl UnitView {
    /// The view of a display unit (`ratio`, `fraction`, `bool`, `count`, a physical unit) for
    /// the stored `values` it will show. A proportion stays within 0–100%; a plain fraction
    /// (AUC, a share of peak, a relative error) within 0–1 unless a value lies outside; other
    /// units start at zero unless a value is negative.
    pub fn of(unit: &str, values: &[f64]) -> UnitView {
        let non_negative = values.iter().all(|v| *v >= 0.0);
        let lo = non_negative.then_some(0.0);
        let up_to_one = values.iter().all(|v| *v <= 1.0);
        let (factor, bounds, suffix) = match unit {
            "ratio" => (100.0, (Some(0.0), Some(100.0)), "%".to_string()),
            crate::fmt::FRACTION => (1.0, (lo, up_to_one.then_some(1.0)), String::new()),
            "bool" => (1.0, (Some(0.0), Some(1.0)), String::new()),
            "count" | "rank" => (1.0, (Some(0.0), None), String::new()),
            u => (1.0, (lo, None), u.to_string()),
        };
        UnitView {
            factor,
            bounds,
            suffix,
            yes_no: unit == "bool",
        }
    }
}

/// The kind of an axis.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Linear,
    Log,
    /// Named places, evenly spread (yes/no, round ids).
    Categories(Vec<String>),
}

/// One axis: display values `lo..hi` drawn from pixel `p0` to `p1`.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    pub kind: Kind,
    pub lo: f64,
    pub hi: f64,
    pub p0: f64,
    pub p1: f64,
    /// Integer ticks only (ranks).
    pub integer: bool,
}

/// Whether display values spanning `lo_pos..hi` call for a log axis (two decades or more).
pub fn spans_decades(values: &[f64]) -> bool {
    let pos = values.iter().copied().filter(|v| *v > 0.0 && v.is_finite());
    let (mut lo, mut hi) = (f64::INFINITY, 0.0f64);
    for v in pos {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    lo.is_finite() && hi / lo >= 100.0
}

impl Axis {
    /// Two named places (yes/no, rounds) from `p0` to `p1`, each in the middle of its share.
    pub fn categories(names: Vec<String>, p0: f64, p1: f64) -> Axis {
        let n = names.len().max(1) as f64;
        Axis {
            kind: Kind::Categories(names),
            lo: -0.5,
            hi: n - 0.5,
            p0,
            p1,
            integer: false,
        }
    }

    /// The axis for `values` (display values, with intervals and targets): log when they span
    /// decades and `log_ok`, else linear with a little room; never past `bounds`.
    pub fn fit(
        values: &[f64],
        bounds: (Option<f64>, Option<f64>),
        log_ok: bool,
        p0: f64,
        p1: f64,
    ) -> Axis {
        let vals: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        let (blo, bhi) = bounds;
        let clamp = |v: f64| {
            let v = blo.map_or(v, |b| v.max(b));
            bhi.map_or(v, |b| v.min(b))
        };
        if log_ok && spans_decades(&vals) && blo.is_none_or(|b| b >= 0.0) {
            let pos = vals.iter().copied().filter(|v| *v > 0.0);
            let lo = pos.clone().fold(f64::INFINITY, f64::min);
            let hi = pos.fold(0.0, f64::max);
            let lo = 10f64.powf(lo.log10().floor());
            let mut hi = 10f64.powf(hi.log10().ceil());
            if let Some(b) = bhi {
                hi = hi.min(b);
            }
            return Axis {
                kind: Kind::Log,
                lo,
                hi: hi.max(lo * 10.0),
                p0,
                p1,
                integer: false,
            };
        }
        let (mut lo, mut hi) = if vals.is_empty() {
            (blo.unwrap_or(0.0), bhi.unwrap_or(1.0))
        } else {
            (
                vals.iter().copied().fold(f64::INFINITY, f64::min),
                vals.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            )
        };
        let span = hi - lo;
        let pad = if span > 0.0 {
            span * 0.1
        } else if lo != 0.0 {
            lo.abs() * 0.05
        } else {
            1.0
        };
        lo = clamp(lo - pad);
        hi = clamp(hi + pad);
        if hi <= lo {
            // Every value sits on one bound: open the other way.
            if bhi.is_some_and(|b| hi >= b) {
                lo = clamp(hi - pad.max(1e-9) * 2.0);
            } else {
                hi = clamp(lo + pad.max(1e-9) * 2.0);
            }
        }
        // Round out to a tick step, still within bounds.
        let step = nice_step((hi - lo) / 5.0);
        let (nlo, nhi) = (
            clamp((lo / step).floor() * step),
            clamp((hi / step).ceil() * step),
        );
        Axis {
            kind: Kind::Linear,
            lo: nlo,
            hi: nhi,
            p0,
            p1,
            integer: false,
        }
    }

    /// The pixel of display value `v` (outside the range: at its edge).
    pub fn px(&self, v: f64) -> f64 {
        let f = match self.kind {
            Kind::Log => {
                let v = v.max(self.lo).min(self.hi);
                (v.log10() - self.lo.log10()) / (self.hi.log10() - self.lo.log10())
            }
            _ => (v.clamp(self.lo, self.hi) - self.lo) / (self.hi - self.lo),
        };
        self.p0 + f * (self.p1 - self.p0)
    }

    pub fn is_log(&self) -> bool {
        self.kind == Kind::Log
    }

    /// Ticks and their labels, as many as fit along the axis with labels `size` px high
    /// (`horizontal`: labels side by side, so their widths count).
    pub fn ticks(&self, size: f64, horizontal: bool) -> Vec<(f64, String)> {
        let room = (self.p1 - self.p0).abs();
        if let Kind::Categories(names) = &self.kind {
            return names
                .iter()
                .enumerate()
                .map(|(i, n)| (i as f64, n.clone()))
                .collect();
        }
        let mut most = ((room / (size * 2.5)).floor() as usize).clamp(2, 12);
        loop {
            let ticks = self.candidate_ticks(most);
            let fits = if horizontal {
                let widest = ticks
                    .iter()
                    .map(|(_, l)| text_width(l, size))
                    .fold(0.0, f64::max);
                ticks.len() <= 1 || room / (ticks.len() as f64 - 1.0).max(1.0) >= widest + size
            } else {
                ticks.len() <= 1 || room / (ticks.len() as f64 - 1.0) >= size * 1.6
            };
            if fits || most <= 2 {
                return ticks;
            }
            most -= 1;
        }
    }

    fn candidate_ticks(&self, most: usize) -> Vec<(f64, String)> {
        if self.kind == Kind::Log {
            return log_ticks(self.lo, self.hi, most);
        }
        let mut step = nice_step((self.hi - self.lo) / most.max(1) as f64);
        if self.integer {
            step = step.max(1.0).round();
        }
        let decimals = decimals_of(step);
        let first = (self.lo / step - 1e-9).ceil() as i64;
        let last = (self.hi / step + 1e-9).floor() as i64;
        (first..=last)
            .map(|i| {
                let v = i as f64 * step;
                (v, format_tick(v, decimals))
            })
            .collect()
    }
}

/// 1, 2 or 5 times a power of ten, at least `raw`.
pub fn nice_step(raw: f64) -> f64 {
    if raw <= 0.0 || !raw.is_finite() {
        return 1.0;
    }
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    let n = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    n * mag
}

fn decimals_of(step: f64) -> usize {
    let mut d = 0;
    while d < 8
        && ((step * 10f64.powi(d as i32)).round() - step * 10f64.powi(d as i32)).abs() > 1e-6
    {
        d += 1;
    }
    d
}

/// A tick value with `decimals` places (no `-0`).
fn format_tick(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    if s.trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        s.trim_start_matches('-').to_string()
    } else {
        s
    }
}

/// Decades (with 2 and 5 between when there is room) from `lo` to `hi`, at most `most`.
fn log_ticks(lo: f64, hi: f64, most: usize) -> Vec<(f64, String)> {
    let k0 = lo.log10().floor() as i32;
    let k1 = hi.log10().ceil() as i32;
    let decades = (k1 - k0).max(1) as usize;
    let mults: &[f64] = if decades * 3 <= most {
        &[1.0, 2.0, 5.0]
    } else {
        &[1.0]
    };
    let every = decades.div_ceil(most.max(1)).max(1) as i32;
    let mut out = Vec::new();
    for k in k0..=k1 {
        if (k - k0) % every != 0 {
            continue;
        }
        for m in mults {
            let v = m * 10f64.powi(k);
            if v >= lo * (1.0 - 1e-9) && v <= hi * (1.0 + 1e-9) {
                out.push((v, log_label(*m, k)));
            }
        }
    }
    out
}

/// `0.001`, `5`, `20000`; `1e-6` past the ordinary magnitudes.
fn log_label(m: f64, k: i32) -> String {
    if (-4..=5).contains(&k) {
        format_tick(m * 10f64.powi(k), (-k).max(0) as usize)
    } else {
        format!("{}e{k}", m as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratio_axes_never_pass_100_percent_or_0() {
        let v = UnitView::of("ratio", &[0.99, 1.0]);
        let a = Axis::fit(&[99.0, 99.8, 100.0], v.bounds, false, 0.0, 400.0);
        assert!(a.hi <= 100.0 && a.lo >= 0.0, "{a:?}");
        for (t, l) in a.ticks(11.0, true) {
            assert!(t <= 100.0 && !l.starts_with('-'), "{l}");
        }
        let a = Axis::fit(&[0.0, 1.5], v.bounds, false, 0.0, 400.0);
        assert_eq!(a.lo, 0.0);
        assert_eq!(
            UnitView::of("fraction", &[0.9, 0.99]).bounds,
            (Some(0.0), Some(1.0))
        );
        assert_eq!(UnitView::of("fraction", &[-0.2, 1.5]).bounds, (None, None));
        assert_eq!(UnitView::of("TOPS", &[0.07]).bounds, (Some(0.0), None));
    }

    #[test]
    fn decades_make_a_log_axis_with_decade_ticks() {
        let a = Axis::fit(&[0.07, 128.0], (Some(0.0), None), true, 0.0, 600.0);
        assert!(a.is_log(), "{a:?}");
        assert_eq!((a.lo, a.hi), (0.01, 1000.0));
        let labels: Vec<String> = a.ticks(11.0, true).into_iter().map(|t| t.1).collect();
        assert!(labels.contains(&"0.01".to_string()) && labels.contains(&"1000".to_string()));
        assert!(!Axis::fit(&[1.0, 50.0], (None, None), true, 0.0, 1.0).is_log());
    }

    #[test]
    fn ticks_do_not_run_together() {
        let a = Axis::fit(&[1234.5, 98765.4], (Some(0.0), None), false, 0.0, 200.0);
        let t = a.ticks(11.0, true);
        let widest = t
            .iter()
            .map(|(_, l)| text_width(l, 11.0))
            .fold(0.0, f64::max);
        assert!(200.0 / (t.len() as f64 - 1.0) >= widest, "{t:?}");
    }
}

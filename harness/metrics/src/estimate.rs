//! The small value types the rest of jiebang stores in scorecards: a point estimate with its
//! 95% confidence interval and sample size, and a closed interval.

/// A closed interval `[lo, hi]` of real numbers, `lo <= hi`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// Lower end.
    pub lo: f64,
    /// Upper end.
    pub hi: f64,
}

impl Interval {
    /// Build an interval; the ends are swapped if given in the wrong order.
    pub fn new(a: f64, b: f64) -> Self {
        if a <= b {
            Self { lo: a, hi: b }
        } else {
            Self { lo: b, hi: a }
        }
    }

    /// Whether `x` lies in `[lo, hi]`.
    pub fn contains(&self, x: f64) -> bool {
        self.lo <= x && x <= self.hi
    }

    /// `hi - lo`.
    pub fn width(&self) -> f64 {
        self.hi - self.lo
    }

    /// The interval as a `(lo, hi)` pair.
    pub fn as_pair(&self) -> (f64, f64) {
        (self.lo, self.hi)
    }
}

/// A measured value with an optional 95% confidence interval and the number of samples
/// (cases, utterances, sentences, comparisons, ...) it was computed from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// The point estimate.
    pub value: f64,
    /// The 95% confidence interval as `(lo, hi)`, when one was computed.
    pub ci95: Option<(f64, f64)>,
    /// Number of samples behind the estimate.
    pub n: u64,
}

impl Estimate {
    /// An estimate without a confidence interval.
    pub fn point(value: f64, n: u64) -> Self {
        Self {
            value,
            ci95: None,
            n,
        }
    }

    /// An estimate with a 95% confidence interval.
    pub fn with_interval(value: f64, interval: Interval, n: u64) -> Self {
        Self {
            value,
            ci95: Some(interval.as_pair()),
            n,
        }
    }

    /// The confidence interval as an [`Interval`], when present.
    pub fn interval(&self) -> Option<Interval> {
        self.ci95.map(|(lo, hi)| Interval { lo, hi })
    }
}

//! Directions (揭榜方向) and their indicator catalogues: what a task crate measures, which
//! metric each indicator comes from, and the national 2020 reference targets with their source.

use jiebang_scorecard::{Better, Comparison, Target};
use serde::Serialize;
use std::borrow::Cow;

/// Source of the national 2020 reference targets, as DESIGN.md quotes it.
pub const NATIONAL_SOURCE: &str = "《促进新一代人工智能产业发展三年行动计划（2018－2020年）》(工信部科〔2017〕315号), as quoted by secondary sources";

/// A sub-domain with its indicator and metric catalogues.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Direction {
    /// Id, e.g. `medical-imaging`.
    pub id: &'static str,
    /// Chinese name (e.g. 医疗影像辅助诊断系统).
    pub name_zh: &'static str,
    /// English name.
    pub name_en: &'static str,
    /// The indicators the state published (and further ones a unit may declare).
    pub indicators: Vec<Indicator>,
    /// Every metric the direction's suites compute; custom indicators are built from these.
    pub metrics: Vec<MetricSpec>,
    /// The output digests its suites write, each with the workload it stands for (`compare`
    /// reads them; a direction without digests leaves this empty).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub digests: Vec<DigestSpec>,
}

/// An indicator (指标).
#[derive(Debug, Clone, Serialize)]
pub struct Indicator {
    /// Id, e.g. `imaging.detection_rate`.
    pub id: &'static str,
    /// Chinese name.
    pub name_zh: &'static str,
    /// English name.
    pub name_en: &'static str,
    /// The metric id it is computed from.
    pub metric: &'static str,
    /// The national 2020 target, when one was published.
    pub national_target: Option<NationalTarget>,
}

impl Indicator {
    /// An indicator computed from `metric`, with its national target if one was published.
    pub fn new(
        id: &'static str,
        name_zh: &'static str,
        name_en: &'static str,
        metric: &'static str,
        national_target: Option<NationalTarget>,
    ) -> Indicator {
        Indicator {
            id,
            name_zh,
            name_en,
            metric,
            national_target,
        }
    }
}

/// A national 2020 target with its source.
#[derive(Debug, Clone, Serialize)]
pub struct NationalTarget {
    /// The comparison the target states.
    pub comparison: Comparison,
    /// The threshold in the metric's unit.
    pub value: f64,
    /// Where the figure comes from.
    pub source: &'static str,
    /// True when the figure could not be confirmed against its primary source.
    pub unconfirmed: bool,
}

impl NationalTarget {
    /// A confirmed national target from [`NATIONAL_SOURCE`].
    pub fn new(comparison: Comparison, value: f64) -> Self {
        NationalTarget {
            comparison,
            value,
            source: NATIONAL_SOURCE,
            unconfirmed: false,
        }
    }

    /// The same target marked as not confirmed against its primary source.
    pub fn unconfirmed(self) -> Self {
        NationalTarget {
            unconfirmed: true,
            ..self
        }
    }

    /// The scorecard form.
    pub fn to_target(&self) -> Target {
        Target {
            comparison: self.comparison,
            value: self.value,
            source: self.source.to_string(),
            unconfirmed: self.unconfirmed,
        }
    }
}

/// What kind of number a metric is; decides how its interval and verdict sample size work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MetricKind {
    /// A proportion of `n` trials (0..1); intervals by Wilson / Clopper–Pearson.
    Proportion,
    /// Any other number; intervals by bootstrap or a metric-specific method.
    Continuous,
}

/// A metric in a direction's catalogue.
#[derive(Debug, Clone, Serialize)]
pub struct MetricSpec {
    /// Id, e.g. `case.sensitivity`.
    pub id: Cow<'static, str>,
    /// Unit (`ratio`, `s`, `TOPS`, ...).
    pub unit: &'static str,
    /// Which direction is better.
    pub better: Better,
    /// Proportion or continuous.
    pub kind: MetricKind,
    /// One line on what it is.
    pub description: Cow<'static, str>,
    /// The workload the metric measures on its own (an nn-chip kernel, a speech test
    /// subset), whatever else the run covers; `None` for an aggregate over the run's samples.
    /// When two runs cover different sample sets, `compare` judges only the metrics of
    /// workloads both ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workload: Option<Cow<'static, str>>,
}

impl MetricSpec {
    /// A metric over the whole run (no workload).
    pub fn new(
        id: impl Into<Cow<'static, str>>,
        unit: &'static str,
        better: Better,
        kind: MetricKind,
        description: impl Into<Cow<'static, str>>,
    ) -> Self {
        MetricSpec {
            id: id.into(),
            unit,
            better,
            kind,
            description: description.into(),
            workload: None,
        }
    }

    /// The same metric, measured on workload `w` alone.
    pub fn of_workload(self, w: impl Into<Cow<'static, str>>) -> Self {
        MetricSpec {
            workload: Some(w.into()),
            ..self
        }
    }
}

/// An output digest in a direction's catalogue: a hash of what one workload produced, which
/// `compare` requires to stay identical.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DigestSpec {
    /// The digest's name in a scorecard's `digests`, e.g. `output.gemm-f32-64`.
    pub name: Cow<'static, str>,
    /// The workload it stands for, e.g. `gemm-f32-64`.
    pub workload: Cow<'static, str>,
}

impl Direction {
    /// The metric spec with this id.
    pub fn metric(&self, id: &str) -> Option<&MetricSpec> {
        self.metrics.iter().find(|m| m.id == id)
    }

    /// The digest spec with this name.
    pub fn digest(&self, name: &str) -> Option<&DigestSpec> {
        self.digests.iter().find(|d| d.name == name)
    }

    /// The indicator with this id.
    pub fn indicator(&self, id: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.id == id)
    }

    /// Checks the catalogue is self-consistent: every indicator names a known metric and ids
    /// are unique. Task crates call this in a test.
    pub fn check(&self) -> Result<(), String> {
        let mut seen = std::collections::BTreeSet::new();
        for m in &self.metrics {
            if !seen.insert(&*m.id) {
                return Err(format!("{}: metric `{}` listed twice", self.id, m.id));
            }
        }
        let mut names = std::collections::BTreeSet::new();
        for d in &self.digests {
            if !names.insert(&*d.name) {
                return Err(format!("{}: digest `{}` listed twice", self.id, d.name));
            }
        }
        for i in &self.indicators {
            if !seen.insert(i.id) {
                return Err(format!("{}: id `{}` listed twice", self.id, i.id));
            }
            let m = self.metric(i.metric).ok_or_else(|| {
                format!(
                    "{}: indicator `{}` names unknown metric `{}`",
                    self.id, i.id, i.metric
                )
            })?;
            if let Some(t) = &i.national_target {
                let wants_higher = matches!(t.comparison, Comparison::Gt | Comparison::Ge);
                if wants_higher != (m.better == Better::Higher) {
                    return Err(format!(
                        "{}: indicator `{}` target `{}` contradicts metric `{}` being {:?}-better",
                        self.id,
                        i.id,
                        t.comparison.symbol(),
                        m.id,
                        m.better
                    ));
                }
            }
        }
        Ok(())
    }
}

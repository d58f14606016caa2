//! What a comparison knows about the scorecards' metrics and digests: the direction's
//! catalogue (which way is better, which workload), and a rule by unit for the rest.

use crate::Direction;
use jiebang_scorecard::Better;
use std::collections::BTreeMap;

/// Which way is better for a metric no catalogue describes, by its unit. Built from data: the
/// units of the runner's own performance metrics ([`UnitRule::runner`]) and of every catalogue
/// it has learned, a unit whose metrics disagree on which way is better having none.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UnitRule {
    /// Unit → the direction every source agrees on, or `None` once two disagree.
    units: BTreeMap<String, Option<Better>>,
}

impl UnitRule {
    /// A rule that knows no unit.
    pub fn new() -> Self {
        Self::default()
    }

    /// The units of the metrics the runner itself writes in a performance run (`perf.*`):
    /// seconds are better lower; queries per second and met-flags (`bool`) better higher.
    pub fn runner() -> Self {
        Self::new()
            .with("s", Better::Lower)
            .with("qps", Better::Higher)
            .with("bool", Better::Higher)
    }

    /// Adds one unit; a unit already known the other way round becomes unknown.
    pub fn with(mut self, unit: &str, better: Better) -> Self {
        self.units
            .entry(unit.to_string())
            .and_modify(|b| {
                if *b != Some(better) {
                    *b = None;
                }
            })
            .or_insert(Some(better));
        self
    }

    /// Adds the unit of every metric in `direction`'s catalogue.
    pub fn learn(self, direction: &Direction) -> Self {
        direction
            .metrics
            .iter()
            .fold(self, |rule, m| rule.with(m.unit, m.better))
    }

    /// Which way is better for `unit`, when every source agrees.
    pub fn better(&self, unit: &str) -> Option<Better> {
        self.units.get(unit).copied().flatten()
    }
}

/// The catalogue a comparison reads: the scorecards' direction when the registry has it (a
/// scorecard of an unknown direction is compared by the unit rule alone, every metric taken as
/// an aggregate), and the unit rule for metrics the direction does not describe.
#[derive(Debug, Clone, Copy)]
pub struct Catalogue<'a> {
    direction: Option<&'a Direction>,
    units: &'a UnitRule,
}

impl<'a> Catalogue<'a> {
    /// The catalogue of `direction` (or none) with `units` for what it does not describe.
    pub fn new(direction: Option<&'a Direction>, units: &'a UnitRule) -> Self {
        Catalogue { direction, units }
    }

    /// Which way is better for metric `id` of unit `unit`: the catalogue's word, else the
    /// unit rule's, else unknown.
    pub fn better(&self, id: &str, unit: &str) -> Option<Better> {
        self.direction
            .and_then(|d| d.metric(id))
            .map(|m| m.better)
            .or_else(|| self.units.better(unit))
    }

    /// The workload metric (or series) `id` measures on its own; `None` for an aggregate or a
    /// metric the catalogue does not describe.
    pub fn metric_workload(&self, id: &str) -> Option<&'a str> {
        self.direction
            .and_then(|d| d.metric(id))
            .and_then(|m| m.workload.as_deref())
    }

    /// The workload digest `name` stands for; a digest the catalogue does not describe stands
    /// for a workload of its own name.
    pub fn digest_workload<'n>(&self, name: &'n str) -> &'n str
    where
        'a: 'n,
    {
        self.direction
            .and_then(|d| d.digest(name))
            .map_or(name, |d| &*d.workload)
    }
}

//! Operating curves as a scorecard carries them: the axes each kind of curve is drawn on, and
//! the harness's sweep thinned to at most [`MAX_CURVE_POINTS`] points (`jiebang_metrics::curve`).

use crate::CoreError;
use jiebang_metrics::curve::{AxisScale, thin};
use jiebang_scorecard::{Curve, CurveAxis, CurveKind};

/// The most points a scorecard keeps of one curve.
pub const MAX_CURVE_POINTS: usize = 200;

fn axis(label: &str, unit: &str, log: bool) -> CurveAxis {
    CurveAxis {
        label: label.into(),
        unit: unit.into(),
        log,
    }
}

/// The horizontal and vertical axes of a kind of curve.
pub fn axes(kind: CurveKind) -> [CurveAxis; 2] {
    match kind {
        CurveKind::Roc => [
            axis("false positive rate", "ratio", false),
            axis("true positive rate", "ratio", false),
        ],
        CurveKind::Det => [
            axis("false match rate", "ratio", true),
            axis("false non-match rate", "ratio", true),
        ],
        CurveKind::Froc => [
            axis("average false positives per case", "per case", true),
            axis("sensitivity", "ratio", false),
        ],
        CurveKind::Cmc => [
            axis("rank", "rank", false),
            axis("identification rate", "ratio", false),
        ],
    }
}

/// The curve `id` of `kind` through `points` (`[x, y]` in sweep order, as the harness computed
/// them from the answers and the truth), thinned to at most [`MAX_CURVE_POINTS`], summarised by
/// the metric `metric` when one does.
///
/// Errors (naming the curve): no points, or a point that is not finite.
pub fn operating_curve(
    id: &str,
    kind: CurveKind,
    points: &[[f64; 2]],
    metric: Option<&str>,
) -> Result<Curve, CoreError> {
    if points.is_empty() {
        return Err(CoreError::Other(format!(
            "curve {id}: no points; expected at least one"
        )));
    }
    let [x, y] = axes(kind);
    let scale = |a: &CurveAxis| match a.log {
        true => AxisScale::Log,
        false => AxisScale::Linear,
    };
    let points = thin(points, MAX_CURVE_POINTS, [scale(&x), scale(&y)])
        .map_err(|e| CoreError::Other(format!("curve {id}: {e}")))?;
    Ok(Curve {
        kind,
        x,
        y,
        points,
        metric: metric.map(str::to_string),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_sweeps_are_thinned_and_bad_points_named() {
        let sweep: Vec<[f64; 2]> = (0..=1000)
            .map(|i| {
                let x = i as f64 / 1000.0;
                [x, x.powf(0.25)]
            })
            .collect();
        let c = operating_curve("case.roc", CurveKind::Roc, &sweep, Some("case.auc")).unwrap();
        assert_eq!(c.points.len(), MAX_CURVE_POINTS);
        assert_eq!(c.points[0], [0.0, 0.0]);
        assert_eq!(c.points[MAX_CURVE_POINTS - 1], [1.0, 1.0]);
        assert_eq!(c.metric.as_deref(), Some("case.auc"));
        assert_eq!(c.x.unit, "ratio");
        let e = operating_curve("x.det", CurveKind::Det, &[[f64::NAN, 0.0]], None).unwrap_err();
        assert!(e.to_string().contains("x.det") && e.to_string().contains("point 0"));
        assert!(operating_curve("x.cmc", CurveKind::Cmc, &[], None).is_err());
        assert!(axes(CurveKind::Froc)[0].log && !axes(CurveKind::Froc)[1].log);
    }
}

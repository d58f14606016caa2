//! The medical-imaging direction (医疗影像辅助诊断系统): its indicators with the national 2020
//! targets, and the catalogue of metrics its two suites compute.

use crate::phantom::CATEGORIES;
use jiebang_core::{Direction, Indicator, MetricKind, MetricSpec, NationalTarget};
use jiebang_scorecard::{Better, Comparison};

/// Direction id.
pub const DIRECTION_ID: &str = "medical-imaging";

/// Case-level sensitivity (detection rate): detected positive studies / positive studies.
pub const SENSITIVITY: &str = "case.sensitivity";
/// Case-level false-negative rate: missed positive studies / positive studies.
pub const FNR: &str = "case.fnr";
/// Case-level false-positive rate: negative studies called positive / negative studies.
pub const FPR: &str = "case.fpr";
/// Case-level specificity: negative studies called negative / negative studies.
pub const SPECIFICITY: &str = "case.specificity";
/// Positive predictive value: true positives / studies called positive.
pub const PPV: &str = "case.ppv";
/// Area under the case-level ROC curve of the answers' `score`.
pub const AUC: &str = "case.auc";
/// Prefix of the per-category sensitivity metrics (`case.sensitivity.<category>`).
pub const SENSITIVITY_BY_CATEGORY: &str = "case.sensitivity.";
/// LUNA16 competition performance metric: mean lesion sensitivity at 1/8 … 8 FP per study.
pub const FROC_CPM: &str = "lesion.froc_cpm";
/// Prefix of the FROC sensitivities at fixed FP rates (`lesion.sensitivity_fp<rate>`).
pub const FROC_SENSITIVITY_AT: &str = "lesion.sensitivity_fp";
/// The case-level ROC curve of the answers' `score` (summarised by [`AUC`]).
pub const ROC_CURVE: &str = "case.roc";
/// The lesion-level FROC curve of the marks (summarised by [`FROC_CPM`]).
pub const FROC_CURVE: &str = "lesion.froc";

/// The metric id of the FROC sensitivity at `rate` false positives per study (`0.125` →
/// `lesion.sensitivity_fp0.125`, `1.0` → `lesion.sensitivity_fp1`).
pub fn froc_sensitivity_id(rate: f64) -> String {
    format!("{FROC_SENSITIVITY_AT}{rate}")
}

/// The metric id of the sensitivity within one disease category.
pub fn category_sensitivity_id(category: &str) -> String {
    format!("{SENSITIVITY_BY_CATEGORY}{category}")
}

fn proportion(id: &'static str, better: Better, description: &'static str) -> MetricSpec {
    MetricSpec::new(id, "ratio", better, MetricKind::Proportion, description)
}

fn continuous(id: &'static str, description: &'static str) -> MetricSpec {
    MetricSpec::new(
        id,
        "ratio",
        Better::Higher,
        MetricKind::Continuous,
        description,
    )
}

/// Ids of the per-category sensitivities of the phantom's categories (static, so units can
/// build custom indicators on them).
const CATEGORY_METRICS: [(&str, &str); 3] = [
    (
        "case.sensitivity.lung-nodule",
        "Detection rate among positive studies of category lung-nodule (Wilson 95% CI)",
    ),
    (
        "case.sensitivity.lung-mass",
        "Detection rate among positive studies of category lung-mass (Wilson 95% CI)",
    ),
    (
        "case.sensitivity.liver-lesion",
        "Detection rate among positive studies of category liver-lesion (Wilson 95% CI)",
    ),
];

/// FROC sensitivity metric ids at the LUNA16 rates, static for the catalogue.
const FROC_RATE_METRICS: [&str; 7] = [
    "lesion.sensitivity_fp0.125",
    "lesion.sensitivity_fp0.25",
    "lesion.sensitivity_fp0.5",
    "lesion.sensitivity_fp1",
    "lesion.sensitivity_fp2",
    "lesion.sensitivity_fp4",
    "lesion.sensitivity_fp8",
];

/// The direction with its catalogue.
pub fn direction() -> Direction {
    debug_assert!(
        CATEGORY_METRICS
            .iter()
            .zip(CATEGORIES)
            .all(|((id, _), c)| *id == category_sensitivity_id(c))
    );
    let mut metrics = vec![
        proportion(
            SENSITIVITY,
            Better::Higher,
            "Detection rate 检出率: positive studies called positive / positive studies (Wilson 95% CI)",
        ),
        proportion(
            FNR,
            Better::Lower,
            "False-negative rate 假阴性率: positive studies called negative / positive studies (Wilson 95% CI)",
        ),
        proportion(
            FPR,
            Better::Lower,
            "False-positive rate 假阳性率: negative studies called positive / negative studies (Wilson 95% CI)",
        ),
        proportion(
            SPECIFICITY,
            Better::Higher,
            "Specificity: negative studies called negative / negative studies (Wilson 95% CI)",
        ),
        proportion(
            PPV,
            Better::Higher,
            "Positive predictive value: true positives / studies called positive (Wilson 95% CI)",
        ),
        continuous(
            AUC,
            "Area under the case-level ROC curve of the answers' scores (95% CI: DeLong's variance on the logit scale)",
        ),
    ];
    metrics.extend(
        CATEGORY_METRICS
            .iter()
            .map(|(id, d)| proportion(id, Better::Higher, d)),
    );
    metrics.push(continuous(
        FROC_CPM,
        "LUNA16 CPM: mean lesion sensitivity at 1/8, 1/4, 1/2, 1, 2, 4, 8 false positives per study (bootstrap over studies, 95%)",
    ));
    metrics.extend(FROC_RATE_METRICS.iter().map(|id| {
        continuous(
            id,
            "Lesion sensitivity at this many false positives per study, read off the FROC curve (bootstrap over studies, 95%)",
        )
    }));
    Direction {
        id: DIRECTION_ID,
        name_zh: "医疗影像辅助诊断系统",
        name_en: "Medical imaging assisted diagnosis system",
        indicators: vec![
            Indicator {
                id: "imaging.detection_rate",
                name_zh: "检出率",
                name_en: "detection rate",
                metric: SENSITIVITY,
                national_target: Some(NationalTarget::new(Comparison::Gt, 0.95)),
            },
            Indicator {
                id: "imaging.false_negative_rate",
                name_zh: "假阴性率",
                name_en: "false-negative rate",
                metric: FNR,
                national_target: Some(NationalTarget::new(Comparison::Lt, 0.01)),
            },
            Indicator {
                id: "imaging.false_positive_rate",
                name_zh: "假阳性率",
                name_en: "false-positive rate",
                metric: FPR,
                national_target: Some(NationalTarget::new(Comparison::Lt, 0.05)),
            },
            Indicator {
                id: "imaging.auc",
                name_zh: "ROC曲线下面积",
                name_en: "area under the ROC curve (AUC)",
                metric: AUC,
                national_target: None,
            },
            Indicator {
                id: "imaging.froc_cpm",
                name_zh: "FROC竞赛性能指标(CPM)",
                name_en: "FROC competition performance metric (CPM)",
                metric: FROC_CPM,
                national_target: None,
            },
        ],
        metrics,
        digests: vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiebang_core::NATIONAL_SOURCE;

    #[test]
    fn catalogue_is_consistent_and_carries_national_targets() {
        let d = direction();
        d.check().unwrap();
        let t = |id: &str| {
            let i = d.indicator(id).unwrap();
            let t = i.national_target.as_ref().unwrap();
            (t.comparison, t.value, t.source)
        };
        assert_eq!(
            t("imaging.detection_rate"),
            (Comparison::Gt, 0.95, NATIONAL_SOURCE)
        );
        assert_eq!(
            t("imaging.false_negative_rate"),
            (Comparison::Lt, 0.01, NATIONAL_SOURCE)
        );
        assert_eq!(
            t("imaging.false_positive_rate"),
            (Comparison::Lt, 0.05, NATIONAL_SOURCE)
        );
        assert!(
            d.indicator("imaging.auc")
                .unwrap()
                .national_target
                .is_none()
        );
        assert!(
            d.indicator("imaging.froc_cpm")
                .unwrap()
                .national_target
                .is_none()
        );
    }

    #[test]
    fn dynamic_ids_match_the_static_catalogue() {
        let d = direction();
        for c in CATEGORIES {
            assert!(d.metric(&category_sensitivity_id(c)).is_some(), "{c}");
        }
        for r in jiebang_metrics::froc::LUNA16_FP_RATES {
            assert!(d.metric(&froc_sensitivity_id(r)).is_some(), "{r}");
        }
    }
}

//! The video-identity direction (视频图像身份识别系统): the two national 2020 indicators, the
//! further indicators a unit may declare (NIST FRTE / ISO/IEC 19795-1 names) and every metric.

use jiebang_core::{Direction, Indicator, MetricKind, MetricSpec, NationalTarget};
use jiebang_scorecard::{Better, Comparison};

/// Direction id.
pub const DIRECTION_ID: &str = "video-identity";

/// Matched face instances / annotated instances (IoU ≥ 0.5, one to one).
pub const DETECT_RATE: &str = "detect.rate";
/// Tracks detected in at least half of their frames / tracks.
pub const TRACK_RATE: &str = "detect.track_rate";
/// Matched boxes / returned boxes.
pub const PRECISION: &str = "detect.precision";
/// Unmatched boxes / frames.
pub const FALSE_PER_FRAME: &str = "detect.false_per_frame";
/// Equal error rate of the verification scores.
pub const EER: &str = "verify.eer";
/// FNMR at FMR = 1e-3.
pub const FNMR_AT_FMR_1E3: &str = "verify.fnmr_at_fmr_1e-3";
/// FNMR at FMR = 1e-4.
pub const FNMR_AT_FMR_1E4: &str = "verify.fnmr_at_fmr_1e-4";
/// TAR at FAR = 1e-3.
pub const TAR_AT_FAR_1E3: &str = "verify.tar_at_far_1e-3";
/// Rank-1 identification rate of mated probes.
pub const RANK1: &str = "identify.rank1";
/// Rank-5 identification rate.
pub const RANK5: &str = "identify.rank5";
/// Rank-10 identification rate.
pub const RANK10: &str = "identify.rank10";
/// FNIR at FPIR = 0.01.
pub const FNIR_AT_FPIR_001: &str = "identify.fnir_at_fpir_0.01";
/// FNIR at FPIR = 0.003.
pub const FNIR_AT_FPIR_0003: &str = "identify.fnir_at_fpir_0.003";
/// The verification DET curve, FMR against FNMR (summarised by [`EER`]).
pub const DET_CURVE: &str = "verification.det";
/// The closed-set identification CMC curve, rank-k rate by rank (its first point is [`RANK1`]).
pub const CMC_CURVE: &str = "identification.cmc";

/// Gallery images without a valid template / gallery images (template style).
pub const FTE_RATE: &str = "enrol.fte_rate";

/// The national indicator 复杂动态场景下人脸识别有效检出率.
pub const DETECT_INDICATOR: &str = "face.detect_rate";
/// The national indicator 正确识别率.
pub const IDENTIFY_INDICATOR: &str = "face.identify_rate";

fn metric(
    id: &'static str,
    unit: &'static str,
    better: Better,
    kind: MetricKind,
    d: &'static str,
) -> MetricSpec {
    MetricSpec::new(id, unit, better, kind, d)
}

/// The direction with its catalogue.
pub fn direction() -> Direction {
    use Better::{Higher, Lower};
    use MetricKind::{Continuous, Proportion};
    let metrics = vec![
        metric(
            DETECT_RATE,
            "ratio",
            Higher,
            Proportion,
            "Face detection rate: annotated face instances matched by a returned box at IoU >= 0.5 (one to one, greedy by score) / instances (Wilson 95% CI)",
        ),
        metric(
            TRACK_RATE,
            "ratio",
            Higher,
            Proportion,
            "Track detection rate: face tracks detected in at least half of their frames / tracks (Wilson 95% CI)",
        ),
        metric(
            PRECISION,
            "ratio",
            Higher,
            Proportion,
            "Detection precision: returned boxes matched to a face / returned boxes (Wilson 95% CI)",
        ),
        metric(
            FALSE_PER_FRAME,
            "per frame",
            Lower,
            Continuous,
            "False detections per frame: returned boxes matched to no face / frames",
        ),
        metric(
            EER,
            "ratio",
            Lower,
            Continuous,
            "Equal error rate: where FMR and FNMR are equal on the DET curve, linearly interpolated (ISO/IEC 19795-1)",
        ),
        metric(
            FNMR_AT_FMR_1E3,
            "ratio",
            Lower,
            Proportion,
            "False non-match rate at the lowest threshold whose false match rate is at most 1e-3 (ISO/IEC 19795-1; NIST FRTE 1:1); Wilson 95% CI over genuine pairs at that threshold",
        ),
        metric(
            FNMR_AT_FMR_1E4,
            "ratio",
            Lower,
            Proportion,
            "False non-match rate at the lowest threshold whose false match rate is at most 1e-4 (ISO/IEC 19795-1; NIST FRTE 1:1); Wilson 95% CI over genuine pairs at that threshold",
        ),
        metric(
            TAR_AT_FAR_1E3,
            "ratio",
            Higher,
            Proportion,
            "True accept rate (1 - FNMR) at false accept rate 1e-3; Wilson 95% CI over genuine pairs at that threshold",
        ),
        metric(
            RANK1,
            "ratio",
            Higher,
            Proportion,
            "Rank-1 identification rate: mated probes whose mate is the top candidate (ties count against the mate) / mated probes (Wilson 95% CI)",
        ),
        metric(
            RANK5,
            "ratio",
            Higher,
            Proportion,
            "Rank-5 identification rate (CMC at rank 5): mated probes whose mate ranks 5th or better / mated probes (Wilson 95% CI)",
        ),
        metric(
            RANK10,
            "ratio",
            Higher,
            Proportion,
            "Rank-10 identification rate (CMC at rank 10) / mated probes (Wilson 95% CI)",
        ),
        metric(
            FNIR_AT_FPIR_001,
            "ratio",
            Lower,
            Proportion,
            "False negative identification rate at the lowest threshold whose false positive identification rate over non-mated probes is at most 0.01 (NIST FRTE 1:N); Wilson 95% CI over mated probes at that threshold",
        ),
        metric(
            FNIR_AT_FPIR_0003,
            "ratio",
            Lower,
            Proportion,
            "False negative identification rate at FPIR = 0.003 (NIST FRTE 1:N); Wilson 95% CI over mated probes at that threshold",
        ),
        metric(
            FTE_RATE,
            "ratio",
            Lower,
            Proportion,
            "Failure-to-enrol rate: gallery images for which the system returned no valid template / gallery images (ISO/IEC 19795-1; Wilson 95% CI)",
        ),
    ];
    let indicators = vec![
        Indicator::new(
            DETECT_INDICATOR,
            "复杂动态场景下人脸识别有效检出率",
            "effective face detection rate in complex dynamic scenes",
            DETECT_RATE,
            Some(NationalTarget::new(Comparison::Gt, 0.97)),
        ),
        Indicator::new(
            IDENTIFY_INDICATOR,
            "正确识别率",
            "correct identification rate (rank 1)",
            RANK1,
            Some(NationalTarget::new(Comparison::Gt, 0.90)),
        ),
        Indicator::new(
            "face.track_rate",
            "人脸轨迹检出率",
            "face track detection rate",
            TRACK_RATE,
            None,
        ),
        Indicator::new(
            "face.detect_precision",
            "人脸检测精确率",
            "face detection precision",
            PRECISION,
            None,
        ),
        Indicator::new(
            "face.false_per_frame",
            "每帧误检数",
            "false detections per frame",
            FALSE_PER_FRAME,
            None,
        ),
        Indicator::new(
            "face.verify_eer",
            "等错误率",
            "equal error rate (1:1)",
            EER,
            None,
        ),
        Indicator::new(
            "face.fnmr_at_fmr_1e-3",
            "误匹配率千分之一时的拒识率",
            "FNMR at FMR = 1e-3",
            FNMR_AT_FMR_1E3,
            None,
        ),
        Indicator::new(
            "face.fnmr_at_fmr_1e-4",
            "误匹配率万分之一时的拒识率",
            "FNMR at FMR = 1e-4",
            FNMR_AT_FMR_1E4,
            None,
        ),
        Indicator::new(
            "face.tar_at_far_1e-3",
            "误识率千分之一时的通过率",
            "TAR at FAR = 1e-3",
            TAR_AT_FAR_1E3,
            None,
        ),
        Indicator::new(
            "face.rank5",
            "前五名识别率",
            "rank-5 identification rate",
            RANK5,
            None,
        ),
        Indicator::new(
            "face.rank10",
            "前十名识别率",
            "rank-10 identification rate",
            RANK10,
            None,
        ),
        Indicator::new(
            "face.fnir_at_fpir_0.01",
            "开集误报率1%时的漏识率",
            "FNIR at FPIR = 0.01 (open set)",
            FNIR_AT_FPIR_001,
            None,
        ),
        Indicator::new(
            "face.fnir_at_fpir_0.003",
            "开集误报率0.3%时的漏识率",
            "FNIR at FPIR = 0.003 (open set)",
            FNIR_AT_FPIR_0003,
            None,
        ),
        Indicator::new(
            "face.fte_rate",
            "注册失败率",
            "failure-to-enrol rate",
            FTE_RATE,
            None,
        ),
    ];
    Direction {
        id: DIRECTION_ID,
        name_zh: "视频图像身份识别系统",
        name_en: "Video and image identity recognition",
        indicators,
        metrics,
        digests: vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiebang_core::NATIONAL_SOURCE;

    #[test]
    fn the_catalogue_is_consistent_and_carries_both_national_targets() {
        let d = direction();
        d.check().unwrap();
        let t = |id: &str| {
            let t = d.indicator(id).unwrap().national_target.clone().unwrap();
            (t.comparison, t.value, t.source)
        };
        assert_eq!(t(DETECT_INDICATOR), (Comparison::Gt, 0.97, NATIONAL_SOURCE));
        assert_eq!(
            t(IDENTIFY_INDICATOR),
            (Comparison::Gt, 0.90, NATIONAL_SOURCE)
        );
        assert_eq!(
            d.indicators
                .iter()
                .filter(|i| i.national_target.is_some())
                .count(),
            2
        );
    }
}

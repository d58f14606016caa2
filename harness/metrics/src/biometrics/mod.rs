//! Biometric recognition metrics in ISO/IEC 19795-1 terms: verification error rates (FMR,
//! FNMR, DET, EER, FNMR@FMR, TAR@FAR), closed-set identification (rank-k rates, CMC),
//! open-set identification (FNIR@FPIR, as in NIST FRVT 1:N) and face detection rate with
//! IoU matching.
//!
//! Scores are similarities: higher means "more likely the same identity", and a comparison
//! is a match decision when `score >= threshold`.

mod face;
mod identification;
mod verification;

pub use face::{
    BoundingBox, DEFAULT_IOU_THRESHOLD, Detection, FaceDetectionCounts, face_detection_rate, iou,
    match_detections, match_detections_per_face,
};
pub use identification::{
    OpenSetPoint, cmc, fnir_at_fpir, identification_ranks, mate_rank, mate_score_within_rank,
    open_set_rates, rank_k_rate,
};
pub use verification::{
    DetPoint, Eer, ErrorRates, det_curve, eer, error_rates_at, fnmr_at_fmr, tar_at_far,
};

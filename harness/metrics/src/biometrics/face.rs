//! Face detection rate with IoU matching: detections are matched greedily by descending
//! score to ground-truth faces at IoU >= 0.5 (by default), each face at most once.

use crate::error::{MetricError, Result};
use crate::estimate::Estimate;
use crate::proportion::{ProportionInterval, rate_estimate};

/// The usual IoU threshold for counting a face as detected (Pascal VOC, WIDER FACE).
pub const DEFAULT_IOU_THRESHOLD: f64 = 0.5;

/// An axis-aligned box in continuous image coordinates, `x_min <= x_max`, `y_min <= y_max`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoundingBox {
    /// Left edge.
    pub x_min: f64,
    /// Top edge.
    pub y_min: f64,
    /// Right edge.
    pub x_max: f64,
    /// Bottom edge.
    pub y_max: f64,
}

impl BoundingBox {
    fn area(&self) -> f64 {
        (self.x_max - self.x_min).max(0.0) * (self.y_max - self.y_min).max(0.0)
    }

    fn is_valid(&self) -> bool {
        [self.x_min, self.y_min, self.x_max, self.y_max]
            .iter()
            .all(|v| v.is_finite())
            && self.x_min <= self.x_max
            && self.y_min <= self.y_max
    }
}

/// A detector output: a box with its confidence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Detection {
    /// The detected box.
    pub bbox: BoundingBox,
    /// Detector confidence; higher is more confident.
    pub score: f64,
}

/// Intersection over union of two boxes (continuous coordinates, no +1 pixel convention);
/// 0 when the union is empty.
pub fn iou(a: &BoundingBox, b: &BoundingBox) -> f64 {
    let w = (a.x_max.min(b.x_max) - a.x_min.max(b.x_min)).max(0.0);
    let h = (a.y_max.min(b.y_max) - a.y_min.max(b.y_min)).max(0.0);
    let inter = w * h;
    let union = a.area() + b.area() - inter;
    if union > 0.0 { inter / union } else { 0.0 }
}

/// Matching outcome over one or more images.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FaceDetectionCounts {
    /// Ground-truth faces.
    pub faces: u64,
    /// Faces matched by a detection.
    pub detected_faces: u64,
    /// Detections considered (score at or above the minimum).
    pub detections: u64,
    /// Detections that matched no face.
    pub false_detections: u64,
}

impl FaceDetectionCounts {
    /// Detection rate `detected_faces / faces`; undefined without faces.
    pub fn detection_rate(&self) -> Result<f64> {
        if self.faces == 0 {
            return Err(MetricError::Undefined {
                metric: "face detection rate",
                reason: "no ground-truth faces",
            });
        }
        Ok(self.detected_faces as f64 / self.faces as f64)
    }
}

/// Match one image's detections to its faces. Detections with `score < min_score` are
/// dropped; the rest are taken by descending score (ties in input order), and each is
/// matched to the still unmatched face with the highest IoU, provided that IoU is at least
/// `iou_threshold` (ties to the lower face index). Unmatched detections are false detections.
pub fn match_detections(
    faces: &[BoundingBox],
    detections: &[Detection],
    iou_threshold: f64,
    min_score: f64,
) -> Result<FaceDetectionCounts> {
    Ok(match_detections_per_face(faces, detections, iou_threshold, min_score)?.0)
}

/// [`match_detections`] with, for each face in order, whether a detection matched it (for
/// per-track tallies).
pub fn match_detections_per_face(
    faces: &[BoundingBox],
    detections: &[Detection],
    iou_threshold: f64,
    min_score: f64,
) -> Result<(FaceDetectionCounts, Vec<bool>)> {
    if !(iou_threshold > 0.0 && iou_threshold <= 1.0) {
        return Err(MetricError::InvalidInput {
            what: "IoU threshold",
            detail: format!("{iou_threshold} is outside (0, 1]"),
        });
    }
    if let Some(i) = faces.iter().position(|b| !b.is_valid()) {
        return Err(MetricError::InvalidInput {
            what: "face box",
            detail: format!("box {i}: {:?}", faces[i]),
        });
    }
    if let Some(i) = detections
        .iter()
        .position(|d| !d.bbox.is_valid() || !d.score.is_finite())
    {
        return Err(MetricError::InvalidInput {
            what: "detection",
            detail: format!("detection {i}: {:?}", detections[i]),
        });
    }
    let mut order: Vec<&Detection> = detections.iter().filter(|d| d.score >= min_score).collect();
    order.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut taken = vec![false; faces.len()];
    let mut counts = FaceDetectionCounts {
        faces: faces.len() as u64,
        detections: order.len() as u64,
        ..Default::default()
    };
    for d in order {
        let mut best: Option<(usize, f64)> = None;
        for (j, face) in faces.iter().enumerate() {
            if taken[j] {
                continue;
            }
            let v = iou(&d.bbox, face);
            if v >= iou_threshold && best.is_none_or(|(_, b)| v > b) {
                best = Some((j, v));
            }
        }
        match best {
            Some((j, _)) => {
                taken[j] = true;
                counts.detected_faces += 1;
            }
            None => counts.false_detections += 1,
        }
    }
    Ok((counts, taken))
}

/// Face detection rate over images `(faces, detections)` with its 95% Wilson interval
/// (`n` = faces). Faces are pooled over images; each image is matched separately.
pub fn face_detection_rate(
    images: &[(Vec<BoundingBox>, Vec<Detection>)],
    iou_threshold: f64,
    min_score: f64,
) -> Result<(FaceDetectionCounts, Estimate)> {
    let mut total = FaceDetectionCounts::default();
    for (faces, detections) in images {
        let c = match_detections(faces, detections, iou_threshold, min_score)?;
        total.faces += c.faces;
        total.detected_faces += c.detected_faces;
        total.detections += c.detections;
        total.false_detections += c.false_detections;
    }
    total.detection_rate()?;
    let estimate = rate_estimate(
        total.detected_faces,
        total.faces,
        ProportionInterval::Wilson,
    )?;
    Ok((total, estimate))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(x: f64, y: f64, w: f64, h: f64) -> BoundingBox {
        BoundingBox {
            x_min: x,
            y_min: y,
            x_max: x + w,
            y_max: y + h,
        }
    }

    #[test]
    fn iou_values() {
        assert_eq!(iou(&b(0.0, 0.0, 2.0, 2.0), &b(0.0, 0.0, 2.0, 2.0)), 1.0);
        assert_eq!(
            iou(&b(0.0, 0.0, 2.0, 2.0), &b(1.0, 0.0, 2.0, 2.0)),
            2.0 / 6.0
        );
        assert_eq!(iou(&b(0.0, 0.0, 1.0, 1.0), &b(5.0, 5.0, 1.0, 1.0)), 0.0);
    }

    #[test]
    fn a_face_is_matched_once_and_by_the_best_scoring_detection() {
        let faces = [b(0.0, 0.0, 10.0, 10.0)];
        let dets = [
            Detection {
                bbox: b(1.0, 1.0, 10.0, 10.0),
                score: 0.6,
            },
            Detection {
                bbox: b(0.0, 0.0, 10.0, 10.0),
                score: 0.9,
            },
        ];
        let c = match_detections(&faces, &dets, 0.5, 0.0).unwrap();
        assert_eq!((c.detected_faces, c.false_detections), (1, 1));
        let (c, matched) = match_detections_per_face(&faces, &dets, 0.5, 0.0).unwrap();
        assert_eq!((c.detected_faces, matched), (1, vec![true]));
        let c = match_detections(&faces, &dets, 0.5, 0.95).unwrap();
        assert_eq!((c.detected_faces, c.detections), (0, 0));
        assert!(face_detection_rate(&[(vec![], dets.to_vec())], 0.5, 0.0).is_err());
    }
}

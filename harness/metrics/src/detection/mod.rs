//! Case-level detection metrics (medical imaging 检出率 / 假阴性率 / 假阳性率): confusion counts
//! at a threshold, the ROC curve, ROC AUC with DeLong's confidence interval, and thresholds
//! chosen to meet a target.
//!
//! Convention everywhere: a higher score means "more likely positive", and a case is called
//! positive when `score >= threshold` (scikit-learn's convention).

mod confusion;
mod delong;
mod roc;

pub use confusion::ConfusionCounts;
pub use delong::{AucEstimate, logit_delong_interval, roc_auc_delong};
pub use roc::{RocCurve, RocPoint, ThresholdTarget, roc_auc, roc_curve, threshold_for_target};

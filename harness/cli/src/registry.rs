//! The registry of task crates: one line per direction. Adding a direction is one new crate
//! and one line here.

use jiebang_core::Task;
use std::sync::Arc;

/// Every registered task.
pub fn tasks() -> Vec<Arc<dyn Task>> {
    vec![jiebang_nn_chip::task(), jiebang_medical_imaging::task()]
}

//! The registry of task crates: one line per direction. Adding a direction is one new crate
//! and one line here.

use jiebang_core::Task;
use std::sync::Arc;

/// Every registered production direction's task: every command addresses it and
/// `jiebang demo` runs it.
pub fn tasks() -> Vec<Arc<dyn Task>> {
    vec![
        jiebang_nn_chip::task(),
        jiebang_medical_imaging::task(),
        jiebang_video_identity::task(),
        jiebang_speech::task(),
    ]
}

/// Example directions (docs/ADDING-A-DIRECTION.md): every command addresses them, but
/// `jiebang demo`, and so the demo leaderboard, leaves them out.
pub fn examples() -> Vec<Arc<dyn Task>> {
    vec![jiebang_example::task()]
}

#[cfg(test)]
mod conformance {
    /// The conformance kit over every registered task, examples included (two samples per
    /// suite keeps it fast).
    #[test]
    fn every_registered_task_conforms() {
        let reg = crate::context::Registry::new();
        assert!(reg.tasks().len() > reg.demo_tasks().len());
        for task in reg.tasks() {
            jiebang_kit::assert_conforms(task.clone(), &jiebang_kit::Options::samples(2));
        }
    }
}

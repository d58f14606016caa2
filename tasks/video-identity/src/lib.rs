//! jiebang's video-identity direction (视频图像身份识别系统): the indicator catalogue with the
//! two national 2020 targets, the detect, 1:1 verification and 1:N identification suites, a
//! seeded generator of synthetic faces in clips and portraits, and the built-in baseline.

pub mod agency;
pub mod answer;
pub mod builtin;
pub mod catalogue;
pub mod conditions;
pub mod detector;
pub mod face;
pub mod generate;
pub mod layout;
pub mod library;
pub mod matcher;
pub mod portraits;
pub mod raster;
pub mod scenes;
pub mod scorer;
pub mod scoring;
pub mod suites;
pub mod templates;

pub use library::{FaceLibrary, Sample};
pub use scorer::FaceScorer;

use jiebang_core::{
    BuiltinContext, BuiltinInfo, BuiltinSystem, CoreError, Dataset, DatasetDirs, GenerateParams,
    Loaded, SuiteSpec, Task, TaskBase, library_as, task_pin,
};
use std::sync::Arc;

/// The video-identity task.
pub struct VideoIdentity {
    base: TaskBase,
}

impl VideoIdentity {
    /// The task with its catalogue and embedded suites.
    ///
    /// # Panics
    /// Only if an embedded suite does not parse, which the crate's tests rule out.
    pub fn new() -> Self {
        VideoIdentity {
            base: TaskBase::new(
                catalogue::direction(),
                task_pin!(catalogue::DIRECTION_ID),
                &suites::EMBEDDED,
            )
            .expect("the embedded video-identity suites parse"),
        }
    }
}

impl Default for VideoIdentity {
    fn default() -> Self {
        Self::new()
    }
}

/// The task, for the CLI's registry.
pub fn task() -> Arc<dyn Task> {
    Arc::new(VideoIdentity::new())
}

impl Task for VideoIdentity {
    fn base(&self) -> &TaskBase {
        &self.base
    }

    fn generate(
        &self,
        suite: &SuiteSpec,
        out: &DatasetDirs,
        params: &GenerateParams,
        progress: &dyn Fn(u64, u64),
    ) -> Result<String, CoreError> {
        generate::generate(suite, out, params, progress)
    }

    fn load(&self, suite: &SuiteSpec, dataset: &Dataset) -> Result<Loaded, CoreError> {
        let (library, scorer) = scorer::load(suite, dataset)?;
        Ok(Loaded::new(library, scorer))
    }

    fn builtin_systems(&self) -> Vec<BuiltinInfo> {
        vec![BuiltinInfo {
            name: builtin::FACE_BASELINE,
            description: "skin-chromaticity face detector (components, shape and eye-hole tests) and a brightness-patch + colour template matcher",
            suites: suites::SUITE_IDS.to_vec(),
            fault_injection: false,
        }]
    }

    fn builtin(
        &self,
        name: &str,
        ctx: &BuiltinContext,
    ) -> Result<Box<dyn BuiltinSystem>, CoreError> {
        if name != builtin::FACE_BASELINE {
            return Err(CoreError::Unknown {
                kind: "built-in system",
                name: name.into(),
                known: builtin::FACE_BASELINE.into(),
            });
        }
        let protocol = suites::protocol(&ctx.suite)?;
        let library: &FaceLibrary = library_as(
            ctx.library.as_ref(),
            "builtin:face-baseline",
            catalogue::DIRECTION_ID,
        )?;
        Ok(Box::new(builtin::FaceBaseline::new(&protocol, library)?))
    }

    fn demo_declaration(&self) -> Option<&'static str> {
        Some(include_str!("../demo/declaration.toml"))
    }
}

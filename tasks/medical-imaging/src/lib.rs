//! jiebang's medical-imaging direction (医疗影像辅助诊断系统): the indicator catalogue with the
//! national 2020 targets, the case-detection and lesion-FROC suites, a seeded CT-like DICOM
//! generator and loader, and the built-in LoG blob detector.

pub mod annotation;
pub mod answer;
pub mod builtin;
pub mod catalogue;
pub mod detector;
pub mod dicom_io;
pub mod generate;
pub mod image;
pub mod phantom;
pub mod samples;
pub mod scorer;
pub mod scoring;
pub mod suites;

pub use annotation::{ANNOTATIONS_FILE, AnnotationFile, LesionAnnotation, StudyAnnotation};
pub use samples::{ImagingSamples, StudyInputs};
pub use scorer::{ImagingScorer, StudyRecord};

use jiebang_core::{
    BuiltinContext, BuiltinInfo, BuiltinSystem, CoreError, Dataset, DatasetDirs, GenerateParams,
    Loaded, SuiteSpec, Task, TaskBase, library_as, task_pin,
};
use std::sync::Arc;

/// The medical-imaging task.
pub struct MedicalImaging {
    base: TaskBase,
}

impl MedicalImaging {
    /// The task with its catalogue and embedded suites.
    ///
    /// # Panics
    /// Only if an embedded suite file does not parse, which the crate's tests rule out.
    pub fn new() -> Self {
        MedicalImaging {
            base: TaskBase::new(
                catalogue::direction(),
                task_pin!(catalogue::DIRECTION_ID),
                &suites::EMBEDDED,
            )
            .expect("embedded medical-imaging suites parse"),
        }
    }
}

impl Default for MedicalImaging {
    fn default() -> Self {
        Self::new()
    }
}

/// The task, for the CLI's registry.
pub fn task() -> Arc<dyn Task> {
    Arc::new(MedicalImaging::new())
}

impl Task for MedicalImaging {
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
        suites::SuiteKind::of(suite)?;
        let studies = params.samples_for(suite)?;
        if !(1..=1_000_000).contains(&studies) {
            return Err(suite.field_error(
                "dataset.samples",
                format!("samples = {studies}: expected 1..=1000000 studies"),
            ));
        }
        let spec = generate::GenerateSpec {
            phantom: suites::phantom_params(suite)?,
            studies,
            seed: params.seed_for(suite),
            positive_fraction: suites::positive_fraction(suite)?,
        };
        Ok(generate::generate_dataset(out, &spec, progress)?)
    }

    fn load(&self, suite: &SuiteSpec, dataset: &Dataset) -> Result<Loaded, CoreError> {
        let (library, scorer) = scorer::load(suite, dataset)?;
        Ok(Loaded::new(library, scorer))
    }

    fn layout1_truth_files(&self) -> &'static [&'static str] {
        &[ANNOTATIONS_FILE]
    }

    fn builtin_systems(&self) -> Vec<BuiltinInfo> {
        vec![BuiltinInfo {
            name: builtin::LOG_BLOB,
            description: "multi-scale Laplacian-of-Gaussian blob detector (Hessian roundness, HU context rules) on the --backend device's conv2d",
            suites: vec![
                "medical-imaging/case-detection",
                "medical-imaging/lesion-froc",
            ],
            fault_injection: false,
        }]
    }

    fn builtin(
        &self,
        name: &str,
        ctx: &BuiltinContext,
    ) -> Result<Box<dyn BuiltinSystem>, CoreError> {
        if name != builtin::LOG_BLOB {
            return Err(CoreError::Unknown {
                kind: "built-in system",
                name: name.into(),
                known: builtin::LOG_BLOB.into(),
            });
        }
        let samples: &ImagingSamples =
            library_as(ctx.library.as_ref(), "builtin:log-blob", "medical-imaging")?;
        Ok(Box::new(builtin::LogBlobSystem::new(
            samples.inputs_root().to_path_buf(),
            ctx.backend.clone(),
            detector::DetectorConfig::default(),
        )?))
    }

    fn demo_declaration(&self) -> Option<&'static str> {
        Some(include_str!("../demo/declaration.toml"))
    }
}

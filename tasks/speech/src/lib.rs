//! jiebang's speech direction (智能语音交互系统): Mandarin and English recognition across
//! scenarios, 5 m far field and dialogue intent, on WAV audio.

pub mod agency;
pub mod answer;
pub mod audio;
pub mod builtin;
pub mod catalogue;
pub mod corpus;
pub mod dsp;
pub mod generate;
pub mod library;
pub mod recognizer;
pub mod scorer;
pub mod scoring;
pub mod suites;

pub use library::SpeechLibrary;
pub use scorer::SpeechScorer;

use jiebang_core::{
    BuiltinContext, BuiltinInfo, BuiltinSystem, CoreError, Dataset, DatasetDirs, GenerateParams,
    Loaded, SuiteSpec, Task, TaskBase, library_as, task_pin,
};
use std::sync::Arc;

/// The speech task.
pub struct Speech {
    base: TaskBase,
}

impl Speech {
    /// The task with its catalogue and embedded suites.
    ///
    /// # Panics
    /// Only if an embedded suite does not parse, which the crate's tests rule out.
    pub fn new() -> Self {
        Speech {
            base: TaskBase::new(
                catalogue::direction(),
                task_pin!(catalogue::DIRECTION_ID),
                &suites::EMBEDDED,
            )
            .expect("the embedded speech suites parse"),
        }
    }
}

impl Default for Speech {
    fn default() -> Self {
        Self::new()
    }
}

/// The task, for the CLI's registry.
pub fn task() -> Arc<dyn Task> {
    Arc::new(Speech::new())
}

impl Task for Speech {
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
        vec![
            BuiltinInfo {
                name: builtin::ZH_DTW,
                description: "closed-vocabulary Mandarin recogniser: MFCC features, DTW against word templates of the public grammar",
                suites: vec![suites::SUITE_IDS[0], suites::SUITE_IDS[2]],
                fault_injection: false,
            },
            BuiltinInfo {
                name: builtin::EN_DTW,
                description: "closed-vocabulary English recogniser: MFCC features, DTW against word templates of the public grammar",
                suites: vec![suites::SUITE_IDS[1]],
                fault_injection: false,
            },
            BuiltinInfo {
                name: builtin::INTENT_DTW,
                description: "the Mandarin DTW recogniser, then an intent and slot classifier on its transcript",
                suites: vec![suites::SUITE_IDS[3]],
                fault_injection: false,
            },
        ]
    }

    fn builtin(
        &self,
        name: &str,
        ctx: &BuiltinContext,
    ) -> Result<Box<dyn BuiltinSystem>, CoreError> {
        let (language, intent) = match name {
            builtin::ZH_DTW => (recognizer::Language::Mandarin, false),
            builtin::EN_DTW => (recognizer::Language::English, false),
            builtin::INTENT_DTW => (recognizer::Language::Mandarin, true),
            _ => {
                return Err(CoreError::Unknown {
                    kind: "built-in system",
                    name: name.into(),
                    known: [builtin::ZH_DTW, builtin::EN_DTW, builtin::INTENT_DTW].join(", "),
                });
            }
        };
        let library: &SpeechLibrary = library_as(
            ctx.library.as_ref(),
            &format!("builtin:{name}"),
            catalogue::DIRECTION_ID,
        )?;
        Ok(Box::new(builtin::SpeechBaseline::new(
            language,
            intent,
            library.inputs_root(),
        )?))
    }

    fn demo_declaration(&self) -> Option<&'static str> {
        Some(include_str!("../demo/declaration.toml"))
    }
}

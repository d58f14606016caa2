//! The sample library of a video-identity suite, built from the dataset's inputs only: detect
//! frames, verification pairs (paths only) or identification probes with the enrolment list.

use jiebang_core::SampleLibrary;
use serde_json::{Map, Value, json};
use std::any::Any;
use std::path::{Path, PathBuf};

/// One query's content.
#[derive(Debug, Clone, PartialEq)]
pub enum Sample {
    /// A detect frame.
    Frame {
        /// Path relative to `inputs/`.
        image: String,
        /// Clip name.
        clip: String,
        /// Frame number within the clip.
        frame: u32,
    },
    /// A verification pair.
    Pair {
        /// First image, relative to `inputs/`.
        a: String,
        /// Second image.
        b: String,
    },
    /// One image whose template is asked for (template style: a verify image, a gallery
    /// image or a probe); the query names nothing else.
    Image {
        /// The image, relative to `inputs/`.
        image: String,
    },
    /// An identification probe.
    Probe {
        /// Probe image, relative to `inputs/`.
        image: String,
    },
}

/// One enrolled identity (a row of `gallery.csv`).
#[derive(Debug, Clone, PartialEq)]
pub struct Enrolled {
    /// Identity name.
    pub identity: String,
    /// Its gallery image, relative to `inputs/`.
    pub image: String,
}

/// The samples of one suite on one dataset.
#[derive(Debug, Clone)]
pub struct FaceLibrary {
    inputs_root: PathBuf,
    samples: Vec<Sample>,
    gallery: Vec<Enrolled>,
    k: usize,
}

impl FaceLibrary {
    /// A library over `samples`, whose paths have been checked against the inputs; `gallery`
    /// and `k` only for identification.
    pub fn new(
        inputs_root: PathBuf,
        samples: Vec<Sample>,
        gallery: Vec<Enrolled>,
        k: usize,
    ) -> Self {
        FaceLibrary {
            inputs_root,
            samples,
            gallery,
            k,
        }
    }

    /// The folder the paths are relative to.
    pub fn inputs_root(&self) -> &Path {
        &self.inputs_root
    }

    /// The samples in query order.
    pub fn samples(&self) -> &[Sample] {
        &self.samples
    }

    /// The enrolment list (identification only).
    pub fn gallery(&self) -> &[Enrolled] {
        &self.gallery
    }
}

impl SampleLibrary for FaceLibrary {
    fn len(&self) -> usize {
        self.samples.len()
    }

    fn sample_id(&self, index: usize) -> String {
        match self.samples.get(index) {
            Some(Sample::Frame { clip, frame, .. }) => format!("{clip}/{frame:04}"),
            Some(Sample::Pair { .. }) => format!("pair{index:05}"),
            Some(Sample::Probe { image } | Sample::Image { image }) => image.clone(),
            None => format!("#{index}"),
        }
    }

    fn query(&self, index: usize) -> Map<String, Value> {
        let v = match self.samples.get(index) {
            Some(Sample::Frame { image, clip, frame }) => {
                json!({"image": image, "clip": clip, "frame": frame})
            }
            Some(Sample::Pair { a, b }) => json!({"a": a, "b": b}),
            Some(Sample::Probe { image }) => json!({"image": image, "k": self.k}),
            Some(Sample::Image { image }) => json!({"image": image}),
            None => json!({}),
        };
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

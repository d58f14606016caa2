//! The sample library of a medical-imaging suite: each study's id and DICOM files, every file
//! a listed file of the dataset's inputs part, decoded at load (untimed), and the query of each
//! study. It holds nothing of the truth; the scorer is `crate::scorer`.

use crate::dicom_io::read_image;
use crate::image::Image;
use jiebang_core::{Inputs, SampleLibrary, TaskError};
use serde_json::{Map, Value, json};
use std::any::Any;
use std::path::{Path, PathBuf};

/// One study as a SUT may see it.
#[derive(Debug, Clone, PartialEq)]
pub struct StudyInputs {
    /// Study id.
    pub id: String,
    /// DICOM files relative to the dataset's `inputs/`, in slice order.
    pub files: Vec<String>,
    /// `(rows, cols)` of each slice.
    pub dims: Vec<(usize, usize)>,
}

/// The studies of one suite and dataset, in query order.
#[derive(Debug)]
pub struct ImagingSamples {
    inputs: PathBuf,
    studies: Vec<StudyInputs>,
}

impl ImagingSamples {
    /// Builds the library of `studies` (id and files, in query order) from the dataset's
    /// inputs part: every file must be a listed input (the path a query carries) and decode as
    /// an image; a corrupt file is named.
    pub fn load(
        inputs: Inputs<'_>,
        studies: impl IntoIterator<Item = (String, Vec<String>)>,
    ) -> Result<ImagingSamples, TaskError> {
        let mut out = Vec::new();
        for (id, files) in studies {
            let mut dims = Vec::with_capacity(files.len());
            for f in &files {
                inputs.query_path(f)?;
                let img = read_image(&inputs.path(f, "a DICOM slice of a study")?)?;
                dims.push((img.rows, img.cols));
            }
            out.push(StudyInputs { id, files, dims });
        }
        Ok(ImagingSamples {
            inputs: inputs.root(),
            studies: out,
        })
    }

    /// The studies, in query order.
    pub fn studies(&self) -> &[StudyInputs] {
        &self.studies
    }

    /// The dataset's inputs part, which the files of a study are relative to (all a
    /// built-in system may read).
    pub fn inputs_root(&self) -> &Path {
        &self.inputs
    }

    /// Decodes the slices of study `index` (for built-in systems).
    pub fn read_slices(&self, index: usize) -> Result<Vec<Image>, TaskError> {
        let study = self.studies.get(index).ok_or_else(|| {
            TaskError::backend(format!(
                "sample {index} out of range ({} studies)",
                self.studies.len()
            ))
        })?;
        study
            .files
            .iter()
            .map(|f| read_image(&self.inputs.join(f)))
            .collect()
    }
}

impl SampleLibrary for ImagingSamples {
    fn len(&self) -> usize {
        self.studies.len()
    }

    fn sample_id(&self, index: usize) -> String {
        self.studies
            .get(index)
            .map(|s| s.id.clone())
            .unwrap_or_else(|| format!("#{index}"))
    }

    fn query(&self, index: usize) -> Map<String, Value> {
        let mut m = Map::new();
        if let Some(s) = self.studies.get(index) {
            m.insert("study".into(), json!(s.id));
            m.insert("files".into(), json!(s.files));
        }
        m
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

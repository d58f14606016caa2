//! The sample library: the numbers, read from the dataset's inputs only. A query is
//! `{"number": N}`; nothing of the truth is in it.

use crate::files::{NUMBERS_FILE, NumberLine, parse_lines};
use jiebang_core::{CoreError, Dataset, SampleLibrary};
use serde_json::{Map, Value};
use std::any::Any;

/// The loaded numbers, in file order.
#[derive(Debug, Clone)]
pub struct Numbers {
    /// One line per sample.
    pub lines: Vec<NumberLine>,
}

impl Numbers {
    /// Reads `inputs/numbers.jsonl` (bounded by its manifest size).
    pub fn load(dataset: &Dataset) -> Result<Numbers, CoreError> {
        let what = "the example direction's numbers file";
        let inputs = dataset.inputs();
        let bytes = inputs.read(NUMBERS_FILE, what)?;
        let lines = parse_lines(&inputs.path(NUMBERS_FILE, what)?, &bytes)?;
        Ok(Numbers { lines })
    }
}

impl SampleLibrary for Numbers {
    fn len(&self) -> usize {
        self.lines.len()
    }

    fn sample_id(&self, index: usize) -> String {
        self.lines
            .get(index)
            .map_or_else(|| format!("#{index}"), |l| l.id.clone())
    }

    fn query(&self, index: usize) -> Map<String, Value> {
        let mut q = Map::new();
        if let Some(l) = self.lines.get(index) {
            q.insert("number".into(), l.number.into());
        }
        q
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

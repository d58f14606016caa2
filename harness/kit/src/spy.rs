//! A SUT wrapper that passes everything to the real adapter and keeps the folder the runner
//! pointed the system at (`hello`'s `dataset_root`), for the truth check.

use jiebang_core::SampleLibrary;
use jiebang_core::run::sut::SutStart;
use jiebang_core::run::{Completer, Query, RunError, Sut};
use jiebang_scorecard::SutPin;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// The wrapper.
pub struct Spy {
    inner: Arc<dyn Sut>,
    roots: Mutex<Vec<PathBuf>>,
}

impl Spy {
    /// Wraps an opened SUT.
    pub fn new(inner: Arc<dyn Sut>) -> Arc<Self> {
        Arc::new(Spy {
            inner,
            roots: Mutex::new(Vec::new()),
        })
    }

    /// The `dataset_root` of every session started.
    pub fn roots(&self) -> Vec<PathBuf> {
        self.roots.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

impl Sut for Spy {
    fn pin(&self) -> SutPin {
        self.inner.pin()
    }
    fn accuracy_only(&self) -> bool {
        self.inner.accuracy_only()
    }
    fn load(&self, samples: &Arc<dyn SampleLibrary>, indices: &[usize]) -> Result<(), RunError> {
        self.inner.load(samples, indices)
    }
    fn start(&self, start: &SutStart) -> Result<(), RunError> {
        if let Ok(mut r) = self.roots.lock() {
            r.push(start.dataset_root.clone());
        }
        self.inner.start(start)
    }
    fn bind(&self, done: Option<Completer>) {
        self.inner.bind(done);
    }
    fn issue(&self, queries: &[Query], done: &Completer) {
        self.inner.issue(queries, done);
    }
    fn abort(&self) {
        self.inner.abort();
    }
    fn end(&self) -> Result<(), RunError> {
        self.inner.end()
    }
}

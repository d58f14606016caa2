//! The `builtin:NAME` adapter: a Rust system registered by a task crate, called in-process with
//! pre-built queries. One query at a time, inline on the issuing thread, except in offline and
//! server performance runs, where up to min(max_in_flight, cores) workers share a queue.

use super::{Sut, SutStart};
use crate::run::{Completer, Outcome, Query, RunError};
use crate::{BuiltinSystem, SampleLibrary};
use crossbeam_channel::{Receiver, Sender};
use jiebang_scorecard::SutPin;
use serde_json::{Map, Value};
use std::sync::{Arc, Mutex, RwLock};

type Queries = Arc<RwLock<Vec<Option<Map<String, Value>>>>>;

/// A built-in system behind the SUT boundary.
pub struct BuiltinSut {
    name: String,
    system: Arc<dyn BuiltinSystem>,
    queries: Queries,
    pool: Mutex<Option<Pool>>,
    workers: Mutex<usize>,
}

struct Pool {
    tx: Sender<Query>,
    handles: Vec<std::thread::JoinHandle<()>>,
    done: Arc<RwLock<Option<Completer>>>,
}

impl BuiltinSut {
    /// Wraps a system created by its task crate (`Task::builtin`).
    pub fn new(name: &str, system: Box<dyn BuiltinSystem>) -> Self {
        Self {
            name: name.to_string(),
            system: Arc::from(system),
            queries: Arc::new(RwLock::new(Vec::new())),
            pool: Mutex::new(None),
            workers: Mutex::new(1),
        }
    }
}

fn answer(system: &dyn BuiltinSystem, queries: &Queries, q: Query, done: &Completer) {
    let outcome = match queries.read() {
        Ok(qs) => match qs.get(q.index).and_then(Option::as_ref) {
            Some(map) => match system.answer(q.index, map) {
                Ok(v) => Outcome::Answer(v),
                Err(why) => Outcome::malformed(format!("the built-in system refused: {why}")),
            },
            None => Outcome::malformed(format!("sample {} was not loaded", q.index)),
        },
        Err(_) => Outcome::malformed("query table poisoned"),
    };
    done.complete(q.id, outcome);
}

fn work(
    system: Arc<dyn BuiltinSystem>,
    queries: Queries,
    rx: Receiver<Query>,
    done: Arc<RwLock<Option<Completer>>>,
) {
    while let Ok(q) = rx.recv() {
        let d = done.read().ok().and_then(|d| d.clone());
        if let Some(d) = d {
            answer(system.as_ref(), &queries, q, &d);
        }
    }
}

impl Sut for BuiltinSut {
    fn pin(&self) -> SutPin {
        SutPin {
            adapter: "builtin".into(),
            name: self.name.clone(),
            version: Some(self.system.version()),
            command: None,
            hash: super::sut_hash(&[]),
            files: vec![],
        }
    }

    fn load(&self, samples: &Arc<dyn SampleLibrary>, indices: &[usize]) -> Result<(), RunError> {
        let mut qs = self
            .queries
            .write()
            .map_err(|_| RunError::Unsupported("query table poisoned".into()))?;
        qs.clear();
        qs.resize(samples.len(), None);
        for &i in indices {
            qs[i] = Some(samples.query(i));
        }
        Ok(())
    }

    fn start(&self, start: &SutStart) -> Result<(), RunError> {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let n = if start.parallel {
            start.max_in_flight.min(cores).max(1)
        } else {
            1
        };
        if let Ok(mut w) = self.workers.lock() {
            *w = n;
        }
        if n == 1 {
            return Ok(());
        }
        let (tx, rx) = crossbeam_channel::unbounded();
        let done = Arc::new(RwLock::new(None));
        let mut handles = Vec::new();
        for i in 0..n {
            let (system, queries, rx, done) = (
                self.system.clone(),
                self.queries.clone(),
                rx.clone(),
                done.clone(),
            );
            let h = std::thread::Builder::new()
                .name(format!("jiebang-builtin-{i}"))
                .spawn(move || work(system, queries, rx, done))
                .map_err(|e| RunError::SutStart {
                    sut: format!("builtin:{}", self.name),
                    message: e.to_string(),
                })?;
            handles.push(h);
        }
        if let Ok(mut p) = self.pool.lock() {
            *p = Some(Pool { tx, handles, done });
        }
        Ok(())
    }

    fn bind(&self, done: Option<Completer>) {
        if let Ok(p) = self.pool.lock()
            && let Some(p) = p.as_ref()
            && let Ok(mut d) = p.done.write()
        {
            *d = done;
        }
    }

    fn issue(&self, queries: &[Query], done: &Completer) {
        let pooled = self
            .pool
            .lock()
            .ok()
            .and_then(|p| p.as_ref().map(|p| p.tx.clone()));
        match pooled {
            Some(tx) => {
                for q in queries {
                    let _ = tx.send(*q);
                }
            }
            None => {
                for q in queries {
                    answer(self.system.as_ref(), &self.queries, *q, done);
                }
            }
        }
    }

    fn abort(&self) {
        // A Rust thread cannot be stopped from outside; dropping the queue makes idle workers
        // exit, and a worker stuck inside `answer` ends with the process.
        if let Ok(mut p) = self.pool.lock()
            && let Some(p) = p.take()
        {
            drop(p.tx);
        }
    }

    fn end(&self) -> Result<(), RunError> {
        let pool = self.pool.lock().ok().and_then(|mut p| p.take());
        if let Some(p) = pool {
            drop(p.tx);
            for h in p.handles {
                let _ = h.join();
            }
        }
        Ok(())
    }
}

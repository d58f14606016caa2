//! A scripted mock SUT for deterministic whole-runner tests: for each sample it answers a fixed
//! value after a fixed latency, or misbehaves on purpose (silence, a failure, a second answer,
//! an unknown id). With zero latency it answers inline: the in-process null SUT of the
//! overhead benchmark.

use super::{Sut, SutStart};
use crate::SampleLibrary;
use crate::run::{Completer, FailureKind, Outcome, Query, RunError};
use jiebang_scorecard::SutPin;
use serde_json::Value;
use std::collections::BinaryHeap;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// What the mock does with one query.
#[derive(Debug, Clone, PartialEq)]
pub enum MockReply {
    /// Answers this value.
    Answer(Value),
    /// Reports this failure itself (as an adapter would for a malformed line).
    Fail(FailureKind, String),
    /// Never answers (the query times out).
    Silent,
    /// Answers twice (the second counts as a duplicate).
    Twice(Value),
    /// Answers with an id that was never issued (unknown id); the query itself times out.
    WrongId(Value),
}

type Script = dyn Fn(usize) -> (Duration, MockReply) + Send + Sync;

struct Due {
    at: Instant,
    id: u64,
    reply: MockReply,
}

impl PartialEq for Due {
    fn eq(&self, o: &Self) -> bool {
        self.at == o.at && self.id == o.id
    }
}
impl Eq for Due {}
impl PartialOrd for Due {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Due {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        // A max-heap on the reversed order pops the earliest due first.
        o.at.cmp(&self.at).then(o.id.cmp(&self.id))
    }
}

#[derive(Default)]
struct Timer {
    queue: BinaryHeap<Due>,
    done: Option<Completer>,
    stop: bool,
}

/// The scripted mock.
pub struct MockSut {
    name: String,
    script: Box<Script>,
    state: Arc<(Mutex<Timer>, Condvar)>,
    thread: Mutex<Option<std::thread::JoinHandle<()>>>,
}

impl MockSut {
    /// A mock named `name` that replies to sample `index` with `script(index)`:
    /// `(latency, reply)`.
    pub fn new(
        name: &str,
        script: impl Fn(usize) -> (Duration, MockReply) + Send + Sync + 'static,
    ) -> Self {
        Self {
            name: name.to_string(),
            script: Box::new(script),
            state: Arc::new((Mutex::new(Timer::default()), Condvar::new())),
            thread: Mutex::new(None),
        }
    }

    /// The null SUT: answers `null` at once, inline.
    pub fn null() -> Self {
        Self::new("null", |_| (Duration::ZERO, MockReply::Answer(Value::Null)))
    }
}

fn deliver(done: &Completer, id: u64, reply: MockReply) {
    match reply {
        MockReply::Answer(v) => done.complete(id, Outcome::Answer(v)),
        MockReply::Fail(k, d) => done.complete(id, Outcome::Failed(k, d)),
        MockReply::Silent => {}
        MockReply::Twice(v) => {
            done.complete(id, Outcome::Answer(v.clone()));
            done.complete(id, Outcome::Answer(v));
        }
        MockReply::WrongId(v) => done.complete(id + (1 << 40), Outcome::Answer(v)),
    }
}

impl Sut for MockSut {
    fn pin(&self) -> SutPin {
        SutPin {
            adapter: "mock".into(),
            name: self.name.clone(),
            version: Some("1".into()),
            command: None,
            hash: super::sut_hash(&[]),
            files: vec![],
        }
    }

    fn load(&self, _: &Arc<dyn SampleLibrary>, _: &[usize]) -> Result<(), RunError> {
        Ok(())
    }

    fn start(&self, _: &SutStart) -> Result<(), RunError> {
        if let Ok(mut t) = self.state.0.lock() {
            t.stop = false;
        }
        let state = self.state.clone();
        let h = std::thread::Builder::new()
            .name("jiebang-mock".into())
            .spawn(move || {
                let (lock, cv) = &*state;
                let Ok(mut t) = lock.lock() else { return };
                loop {
                    if t.stop {
                        return;
                    }
                    let now = Instant::now();
                    match t.queue.peek() {
                        Some(d) if d.at <= now => {
                            let Some(d) = t.queue.pop() else { continue };
                            let done = t.done.clone();
                            drop(t);
                            if let Some(done) = done {
                                deliver(&done, d.id, d.reply);
                            }
                            t = match lock.lock() {
                                Ok(t) => t,
                                Err(_) => return,
                            };
                        }
                        Some(d) => {
                            let wait = d.at - now;
                            t = match cv.wait_timeout(t, wait) {
                                Ok((t, _)) => t,
                                Err(_) => return,
                            };
                        }
                        None => {
                            t = match cv.wait(t) {
                                Ok(t) => t,
                                Err(_) => return,
                            };
                        }
                    }
                }
            })
            .map_err(|e| RunError::SutStart {
                sut: self.name.clone(),
                message: e.to_string(),
            })?;
        if let Ok(mut slot) = self.thread.lock() {
            *slot = Some(h);
        }
        Ok(())
    }

    fn bind(&self, done: Option<Completer>) {
        if let Ok(mut t) = self.state.0.lock() {
            t.done = done;
            if t.done.is_none() {
                t.queue.clear();
            }
        }
    }

    fn issue(&self, queries: &[Query], done: &Completer) {
        for q in queries {
            let (latency, reply) = (self.script)(q.index);
            if latency.is_zero() {
                deliver(done, q.id, reply);
                continue;
            }
            let (lock, cv) = &*self.state;
            if let Ok(mut t) = lock.lock() {
                t.queue.push(Due {
                    at: Instant::now() + latency,
                    id: q.id,
                    reply,
                });
                cv.notify_one();
            }
        }
    }

    fn abort(&self) {
        let (lock, cv) = &*self.state;
        if let Ok(mut t) = lock.lock() {
            t.stop = true;
            t.queue.clear();
            cv.notify_all();
        }
    }

    fn end(&self) -> Result<(), RunError> {
        self.abort();
        if let Some(h) = self.thread.lock().ok().and_then(|mut g| g.take()) {
            let _ = h.join();
        }
        Ok(())
    }
}

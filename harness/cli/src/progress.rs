//! Progress reporting: indicatif bars with rate and ETA on a terminal, plain periodic lines
//! on stderr otherwise (CI logs, pipes), silent with `--quiet`.

use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A progress display for `len` steps of work named `label`.
pub struct Progress {
    bar: Option<ProgressBar>,
    plain: Option<Mutex<Plain>>,
    label: String,
}

struct Plain {
    len: u64,
    start: Instant,
    last: Instant,
}

impl Progress {
    /// Starts a display; `quiet` shows nothing.
    pub fn new(len: u64, label: &str, quiet: bool) -> Self {
        if quiet {
            return Self {
                bar: None,
                plain: None,
                label: label.into(),
            };
        }
        if std::io::stderr().is_terminal() {
            let bar = ProgressBar::new(len);
            bar.set_style(
                ProgressStyle::with_template(
                    "{prefix:>12.cyan.bold} [{bar:30}] {pos}/{len} {per_sec} ETA {eta} {msg}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            bar.set_prefix(label.to_string());
            bar.enable_steady_tick(Duration::from_millis(200));
            return Self {
                bar: Some(bar),
                plain: None,
                label: label.into(),
            };
        }
        let now = Instant::now();
        Self {
            bar: None,
            plain: Some(Mutex::new(Plain {
                len,
                start: now,
                last: now,
            })),
            label: label.into(),
        }
    }

    /// Reports `pos` of `len` steps done.
    pub fn set(&self, pos: u64, len: u64) {
        if let Some(b) = &self.bar {
            b.set_length(len);
            b.set_position(pos);
        } else if let Some(p) = &self.plain
            && let Ok(mut p) = p.lock()
        {
            p.len = len;
            if p.last.elapsed() >= Duration::from_secs(5) {
                p.last = Instant::now();
                let rate = pos as f64 / p.start.elapsed().as_secs_f64().max(1e-9);
                eprintln!("{}: {pos}/{} ({rate:.1}/s)", self.label, p.len);
            }
        }
    }

    /// Ends the display with a closing message.
    pub fn finish(&self, msg: &str) {
        if let Some(b) = &self.bar {
            b.finish_with_message(msg.to_string());
        } else if let Some(p) = &self.plain
            && let Ok(p) = p.lock()
        {
            eprintln!(
                "{}: done {} in {:.1}s {msg}",
                self.label,
                p.len,
                p.start.elapsed().as_secs_f64()
            );
        }
    }
}

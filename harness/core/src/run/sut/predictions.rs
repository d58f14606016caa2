//! The `predictions:FILE` adapter: answers read from a JSON Lines or CSV file keyed by sample
//! id (accuracy runs only). A sample with no line is `missing`, a second line for a sample is a
//! duplicate, a line naming no sample of the dataset (or not parseable) counts as an unknown id.
//! The file is read with a size bound, as UTF-8; a line (CSV: a record) longer than the run's
//! `max_line_bytes` — the cap on a process SUT's answer lines — is not parsed but counted.

use super::{Sut, SutStart};
use crate::run::{Completer, FailureKind, Outcome, Query, RunError, Shard};
use crate::{SampleLibrary, bounded};
use jiebang_scorecard::{FilePin, SutPin};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The key field (JSON Lines) or column (CSV) that names the sample.
pub const SAMPLE_KEY: &str = "sample";

#[derive(Default)]
struct Loaded {
    /// Answers by sample index, in file order (a second one is a duplicate).
    answers: Vec<Vec<Value>>,
    /// Lines that name no sample, with line numbers.
    strays: Vec<(usize, String)>,
    reported: bool,
}

/// A predictions file behind the SUT boundary.
pub struct PredictionsSut {
    path: PathBuf,
    files: Vec<FilePin>,
    /// The samples of the run, kept by `load` until `start` (which knows the line cap) reads
    /// the file.
    samples: Mutex<Option<Arc<dyn SampleLibrary>>>,
    loaded: Mutex<Loaded>,
    report_strays: Mutex<bool>,
}

impl PredictionsSut {
    /// Opens `path`; `files` pins it (and any `--sut-file`).
    pub fn new(path: &Path, files: Vec<FilePin>) -> Self {
        Self {
            path: path.to_path_buf(),
            files,
            samples: Mutex::new(None),
            loaded: Mutex::new(Loaded::default()),
            report_strays: Mutex::new(true),
        }
    }

    fn is_csv(&self) -> bool {
        self.path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
    }

    /// Reads the file (lines capped at `max_line` bytes) into answers by sample index.
    fn read_answers(
        &self,
        samples: &Arc<dyn SampleLibrary>,
        max_line: usize,
    ) -> Result<(), RunError> {
        let ids: HashMap<String, usize> = (0..samples.len())
            .map(|i| (samples.sample_id(i), i))
            .collect();
        let mut loaded = Loaded {
            answers: vec![Vec::new(); samples.len()],
            ..Default::default()
        };
        for (line, rec) in self.records(max_line)? {
            match rec {
                Ok((key, answer)) => match ids.get(&key) {
                    Some(&i) => loaded.answers[i].push(answer),
                    None => loaded
                        .strays
                        .push((line, format!("sample `{key}` is not in the dataset"))),
                },
                Err(why) => loaded.strays.push((line, why)),
            }
        }
        if let Ok(mut l) = self.loaded.lock() {
            *l = loaded;
        }
        Ok(())
    }

    /// Keeps the file-level strays of this shard: counted once across shards (by line number)
    /// and sessions.
    fn keep_shard_strays(&self, start: &SutStart) {
        let mine = |line: usize| match start.shard {
            None => true,
            Some(Shard { index, count }) => (line - 1) % count as usize == (index - 1) as usize,
        };
        if let Ok(mut l) = self.loaded.lock() {
            l.strays.retain(|(line, _)| mine(*line));
        }
        if let Ok(mut r) = self.report_strays.lock() {
            *r = start.fresh;
        }
    }

    /// Reads and parses the file; lines (records) over `max_line` bytes are refused unparsed.
    fn records(&self, max_line: usize) -> Result<Records, RunError> {
        let text = bounded::read_text(&self.path, bounded::limit::PREDICTIONS, "predictions file")?;
        if self.is_csv() {
            csv_records(&self.path, &text, max_line)
        } else {
            Ok(text
                .lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
                .map(|(i, l)| {
                    let rec = if l.len() > max_line {
                        Err(too_long(l.len(), max_line))
                    } else {
                        json_record(l)
                    };
                    (i + 1, rec)
                })
                .collect())
        }
    }
}

/// Why a line over the cap is not read.
fn too_long(bytes: usize, max: usize) -> String {
    format!(
        "a line of {bytes} bytes exceeds max_line_bytes = {max} (the cap on a SUT's answer \
         lines); not read"
    )
}

fn key_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

pub(crate) fn json_record(line: &str) -> Result<(String, Value), String> {
    let v: Value = serde_json::from_str(line).map_err(|e| format!("not JSON: {e}"))?;
    let Value::Object(mut map) = v else {
        return Err("expected a JSON object".into());
    };
    let key = map
        .remove(SAMPLE_KEY)
        .and_then(|k| key_text(&k))
        .ok_or_else(|| format!("no `{SAMPLE_KEY}` field naming the sample id"))?;
    Ok((key, Value::Object(map)))
}

fn cell(text: &str) -> Value {
    let t = text.trim();
    if t.starts_with('[') || t.starts_with('{') {
        if let Ok(v) = serde_json::from_str(t) {
            return v;
        }
    }
    match t {
        "true" => return Value::Bool(true),
        "false" => return Value::Bool(false),
        "" | "null" => return Value::Null,
        _ => {}
    }
    if let Ok(i) = t.parse::<i64>() {
        return Value::from(i);
    }
    if let Ok(f) = t.parse::<f64>()
        && f.is_finite()
    {
        return Value::from(f);
    }
    Value::String(text.to_string())
}

type Records = Vec<(usize, Result<(String, Value), String>)>;

fn csv_records(path: &Path, text: &str, max_line: usize) -> Result<Records, RunError> {
    let mut rdr = csv_reader(text, max_line);
    let (_, headers, header_len) = rdr.next().ok_or_else(|| RunError::SutSpec {
        spec: format!("predictions:{}", path.display()),
        message: "empty CSV file; expected a header row with a `sample` column".into(),
    })?;
    if header_len > max_line {
        return Err(RunError::SutSpec {
            spec: format!("predictions:{}", path.display()),
            message: format!(
                "{}:1: header row: {}",
                path.display(),
                too_long(header_len, max_line)
            ),
        });
    }
    let key_col = headers
        .iter()
        .position(|h| h == SAMPLE_KEY)
        .ok_or_else(|| RunError::SutSpec {
            spec: format!("predictions:{}", path.display()),
            message: format!(
                "line 1: no `{SAMPLE_KEY}` column in the header ({})",
                headers.join(",")
            ),
        })?;
    Ok(rdr
        .map(|(line, row, bytes)| {
            if bytes > max_line {
                return (line, Err(too_long(bytes, max_line)));
            }
            if row.len() != headers.len() {
                return (
                    line,
                    Err(format!(
                        "{} fields, the header has {}",
                        row.len(),
                        headers.len()
                    )),
                );
            }
            let mut map = Map::new();
            for (i, (h, c)) in headers.iter().zip(&row).enumerate() {
                if i != key_col {
                    map.insert(h.clone(), cell(c));
                }
            }
            (line, Ok((row[key_col].clone(), Value::Object(map))))
        })
        .collect())
}

/// A small RFC 4180 reader: quoted fields with `""` escapes and embedded newlines; yields the
/// starting line number of each row, its fields and its length in bytes. Of a row longer than
/// `max` bytes no more than that is kept (the caller refuses it by its length).
fn csv_reader(text: &str, max: usize) -> impl Iterator<Item = (usize, Vec<String>, usize)> + '_ {
    let mut chars = text.chars().peekable();
    let mut line = 1usize;
    std::iter::from_fn(move || {
        chars.peek()?;
        let start = line;
        let mut row = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        // No character of the current field seen yet: a quote here opens a quoted field.
        let mut fresh = true;
        let mut bytes = 0usize;
        loop {
            let next = chars.next();
            bytes += next.map_or(0, char::len_utf8);
            let keep = bytes <= max;
            match next {
                None => {
                    row.push(std::mem::take(&mut field));
                    break;
                }
                Some('"') if quoted => {
                    if chars.peek() == Some(&'"') {
                        chars.next();
                        bytes += 1;
                        if keep {
                            field.push('"');
                        }
                    } else {
                        quoted = false;
                    }
                }
                Some('"') if fresh => {
                    quoted = true;
                    fresh = false;
                }
                Some(',') if !quoted => {
                    let f = std::mem::take(&mut field);
                    if keep {
                        row.push(f);
                    }
                    fresh = true;
                }
                // The line break that ends a row is no part of its length.
                Some('\r') if !quoted && chars.peek() == Some(&'\n') => bytes -= 1,
                Some('\n') if !quoted => {
                    bytes -= 1;
                    line += 1;
                    row.push(std::mem::take(&mut field));
                    break;
                }
                Some(c) => {
                    if c == '\n' {
                        line += 1;
                    }
                    fresh = false;
                    if keep {
                        field.push(c);
                    }
                }
            }
        }
        Some((start, row, bytes))
    })
    .filter(|(_, r, _)| !(r.len() == 1 && r[0].trim().is_empty()))
}

impl Sut for PredictionsSut {
    fn pin(&self) -> SutPin {
        SutPin {
            adapter: "predictions".into(),
            name: self
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            version: None,
            command: None,
            hash: super::sut_hash(&self.files),
            files: self.files.clone(),
        }
    }

    fn accuracy_only(&self) -> bool {
        true
    }

    fn load(&self, samples: &Arc<dyn SampleLibrary>, _indices: &[usize]) -> Result<(), RunError> {
        if let Ok(mut s) = self.samples.lock() {
            *s = Some(samples.clone());
        }
        Ok(())
    }

    fn start(&self, start: &SutStart) -> Result<(), RunError> {
        let samples = self.samples.lock().ok().and_then(|s| s.clone());
        if let Some(samples) = samples {
            self.read_answers(&samples, start.max_line_bytes)?;
        }
        self.keep_shard_strays(start);
        Ok(())
    }

    fn bind(&self, _: Option<Completer>) {}

    fn issue(&self, queries: &[Query], done: &Completer) {
        let Ok(mut l) = self.loaded.lock() else {
            return;
        };
        if !l.reported && self.report_strays.lock().map(|r| *r).unwrap_or(false) {
            for (line, why) in &l.strays {
                done.unattributed(format!("{}:{line}: {why}", self.path.display()));
            }
        }
        l.reported = true;
        let answers: Vec<(u64, Vec<Value>)> = queries
            .iter()
            .map(|q| (q.id, l.answers.get(q.index).cloned().unwrap_or_default()))
            .collect();
        drop(l);
        for (id, list) in answers {
            if list.is_empty() {
                done.complete(
                    id,
                    Outcome::Failed(
                        FailureKind::Missing,
                        format!("no line for this sample in {}", self.path.display()),
                    ),
                );
            }
            for v in list {
                done.complete(id, Outcome::Answer(v));
            }
        }
    }

    fn abort(&self) {}

    fn end(&self) -> Result<(), RunError> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_and_cells() {
        let rows: Vec<_> = csv_reader(
            "sample,score,note\na,0.5,\"x, \"\"y\"\"\"\nb,1,\"two\nlines\"\n",
            1 << 20,
        )
        .collect();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[1].1, ["a", "0.5", "x, \"y\""]);
        assert_eq!(rows[2].0, 3);
        assert_eq!(rows[2].1[2], "two\nlines");
        assert_eq!(cell("0.5"), Value::from(0.5));
        assert_eq!(cell("3"), Value::from(3));
        assert_eq!(cell("true"), Value::Bool(true));
        assert_eq!(cell("[1,2]"), serde_json::json!([1, 2]));
        assert_eq!(cell("hi"), Value::from("hi"));
    }

    #[test]
    fn rows_over_the_cap_keep_no_more_than_the_cap() {
        let text = format!("sample,x\na,{}\nb,2\n", ",".repeat(1000));
        let rows: Vec<_> = csv_reader(&text, 100).collect();
        assert_eq!(rows.len(), 3);
        assert!(
            rows[1].2 > 1000 && rows[1].1.len() <= 101,
            "{:?}",
            rows[1].2
        );
        assert_eq!(rows[2].0, 3);
        assert_eq!(rows[2].1, ["b", "2"]);
    }

    #[test]
    fn json_lines_need_a_sample_key() {
        assert_eq!(
            json_record(r#"{"sample":"a","positive":true}"#).unwrap(),
            ("a".to_string(), serde_json::json!({"positive": true}))
        );
        assert!(json_record(r#"{"positive":true}"#).is_err());
        assert!(json_record("nope").is_err());
    }
}

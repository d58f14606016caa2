//! The `predictions:FILE` adapter: answers read from a JSON Lines or CSV file keyed by sample
//! id (accuracy runs only). A sample with no line is `missing`, a second line for a sample is a
//! duplicate, a line naming no sample of the dataset (or not parseable) counts as an unknown id.

use super::{Sut, SutStart};
use crate::SampleSet;
use crate::run::{Completer, FailureKind, Outcome, Query, RunError, Shard};
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
    loaded: Mutex<Loaded>,
    report_strays: Mutex<bool>,
}

impl PredictionsSut {
    /// Opens `path`; `files` pins it (and any `--sut-file`).
    pub fn new(path: &Path, files: Vec<FilePin>) -> Self {
        Self {
            path: path.to_path_buf(),
            files,
            loaded: Mutex::new(Loaded::default()),
            report_strays: Mutex::new(true),
        }
    }

    fn is_csv(&self) -> bool {
        self.path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
    }

    fn records(&self) -> Result<Records, RunError> {
        let text = std::fs::read_to_string(&self.path).map_err(|e| RunError::SutSpec {
            spec: format!("predictions:{}", self.path.display()),
            message: e.to_string(),
        })?;
        if self.is_csv() {
            csv_records(&self.path, &text)
        } else {
            Ok(text
                .lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
                .map(|(i, l)| (i + 1, json_record(l)))
                .collect())
        }
    }
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

fn csv_records(path: &Path, text: &str) -> Result<Records, RunError> {
    let mut rdr = csv_reader(text);
    let headers = rdr
        .next()
        .ok_or_else(|| RunError::SutSpec {
            spec: format!("predictions:{}", path.display()),
            message: "empty CSV file; expected a header row with a `sample` column".into(),
        })?
        .1;
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
        .map(|(line, row)| {
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
/// starting line number of each row.
fn csv_reader(text: &str) -> impl Iterator<Item = (usize, Vec<String>)> + '_ {
    let mut chars = text.chars().peekable();
    let mut line = 1usize;
    std::iter::from_fn(move || {
        chars.peek()?;
        let start = line;
        let mut row = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        loop {
            match chars.next() {
                None => {
                    row.push(std::mem::take(&mut field));
                    break;
                }
                Some('"') if quoted => {
                    if chars.peek() == Some(&'"') {
                        chars.next();
                        field.push('"');
                    } else {
                        quoted = false;
                    }
                }
                Some('"') if field.is_empty() => quoted = true,
                Some(',') if !quoted => row.push(std::mem::take(&mut field)),
                Some('\r') if !quoted && chars.peek() == Some(&'\n') => {}
                Some('\n') if !quoted => {
                    line += 1;
                    row.push(std::mem::take(&mut field));
                    break;
                }
                Some(c) => {
                    if c == '\n' {
                        line += 1;
                    }
                    field.push(c);
                }
            }
        }
        Some((start, row))
    })
    .filter(|(_, r)| !(r.len() == 1 && r[0].trim().is_empty()))
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

    fn load(&self, samples: &Arc<dyn SampleSet>, _indices: &[usize]) -> Result<(), RunError> {
        let ids: HashMap<String, usize> = (0..samples.len())
            .map(|i| (samples.sample_id(i), i))
            .collect();
        let mut loaded = Loaded {
            answers: vec![Vec::new(); samples.len()],
            ..Default::default()
        };
        for (line, rec) in self.records()? {
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

    fn start(&self, start: &SutStart) -> Result<(), RunError> {
        // File-level strays are counted once across shards (by line number) and sessions.
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
        let rows: Vec<_> =
            csv_reader("sample,score,note\na,0.5,\"x, \"\"y\"\"\"\nb,1,\"two\nlines\"\n").collect();
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
    fn json_lines_need_a_sample_key() {
        assert_eq!(
            json_record(r#"{"sample":"a","positive":true}"#).unwrap(),
            ("a".to_string(), serde_json::json!({"positive": true}))
        );
        assert!(json_record(r#"{"positive":true}"#).is_err());
        assert!(json_record("nope").is_err());
    }
}

//! The dataset layout of the three suites (file names, CSV headers, the frame path pattern)
//! and a CSV reader whose errors name the file, the line and the column.

use jiebang_core::TaskError;
use serde::de::DeserializeOwned;
use std::path::Path;

/// Detect truth: one row per face instance, relative to `truth/`.
pub const FACES_FILE: &str = "faces.csv";
/// Header of [`FACES_FILE`].
pub const FACES_HEADER: &str = "image,clip,frame,track,identity,x,y,w,h";
/// Verify truth: one row per pair.
pub const PAIRS_FILE: &str = "pairs.csv";
/// Header of [`PAIRS_FILE`].
pub const PAIRS_HEADER: &str = "a,b,mated";
/// Identify input: the enrolment list, relative to `inputs/`.
pub const GALLERY_FILE: &str = "gallery.csv";
/// Header of [`GALLERY_FILE`].
pub const GALLERY_HEADER: &str = "image,identity";
/// Identify truth: one row per probe.
pub const PROBES_FILE: &str = "probes.csv";
/// Header of [`PROBES_FILE`].
pub const PROBES_HEADER: &str = "image,identity";
/// The folder of the detect clips, relative to `inputs/`.
pub const CLIPS_DIR: &str = "clips";

/// The path of frame `frame` of clip `clip`, relative to `inputs/`.
pub fn frame_path(clip: &str, frame: u32) -> String {
    format!("{CLIPS_DIR}/{clip}/{frame:04}.png")
}

/// The clip and frame number of a frame path `clips/<clip>/<frame>.png`, or `None` when the
/// path is not a frame.
pub fn parse_frame_path(path: &str) -> Option<(String, u32)> {
    let rest = path.strip_prefix(CLIPS_DIR)?.strip_prefix('/')?;
    let (clip, file) = rest.split_once('/')?;
    let digits = file.strip_suffix(".png")?;
    if clip.is_empty() || digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((clip.to_string(), digits.parse().ok()?))
}

/// Reads CSV `text` (from `path`) with exactly `header` as its first line into rows of `T`,
/// each with its 1-based line number. An error names `path:line` and the column.
pub fn read_csv<T: DeserializeOwned>(
    path: &Path,
    text: &str,
    header: &str,
) -> Result<Vec<(usize, T)>, TaskError> {
    let first = text.lines().next().unwrap_or("").trim_end_matches('\r');
    if first != header {
        return Err(TaskError::invalid_at(
            path,
            1,
            format!("header `{first}`; expected `{header}`"),
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| TaskError::invalid_at(path, 1, format!("unreadable header: {e}")))?
        .clone();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            TaskError::invalid_at(
                path,
                line,
                format!("{e}; expected {} columns: {header}", headers.len()),
            )
        })?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let row: T = record.deserialize(Some(&headers)).map_err(|e| {
            let csv::ErrorKind::Deserialize { err, .. } = e.kind() else {
                return TaskError::invalid_at(path, line, e.to_string());
            };
            let what = match err.kind() {
                csv::DeserializeErrorKind::ParseFloat(_) => "expected a finite number".to_string(),
                csv::DeserializeErrorKind::ParseInt(_) => "expected an integer ≥ 0".to_string(),
                csv::DeserializeErrorKind::ParseBool(_) => "expected 0 or 1".to_string(),
                k => k.to_string(),
            };
            let column = err.field().and_then(|i| headers.get(i as usize));
            let found = err
                .field()
                .and_then(|i| record.get(i as usize))
                .unwrap_or("");
            match column {
                Some(c) => TaskError::invalid_at(
                    path,
                    line,
                    format!("column `{c}`: {what}, found `{found}`"),
                ),
                None => TaskError::invalid_at(path, line, what),
            }
        })?;
        rows.push((line, row));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Pair {
        a: String,
        b: String,
        mated: u8,
    }

    #[test]
    fn frame_paths_round_trip_and_others_are_refused() {
        assert_eq!(
            parse_frame_path(&frame_path("c001", 7)),
            Some(("c001".into(), 7))
        );
        assert_eq!(parse_frame_path("clips/c001/x.png"), None);
        assert_eq!(parse_frame_path("images/c001/0001.png"), None);
        assert_eq!(parse_frame_path("clips/0001.png"), None);
    }

    #[test]
    fn csv_errors_name_line_and_column() {
        let p = Path::new("truth/pairs.csv");
        let ok: Vec<(usize, Pair)> =
            read_csv(p, "a,b,mated\nx,y,1\nx,z,0\n", PAIRS_HEADER).unwrap();
        assert_eq!((ok.len(), ok[1].0), (2, 3));
        let e = read_csv::<Pair>(p, "a,b,mated\nx,y,1\nx,z,yes\n", PAIRS_HEADER).unwrap_err();
        assert_eq!(
            e.to_string(),
            "truth/pairs.csv:3: column `mated`: expected an integer ≥ 0, found `yes`"
        );
        let e = read_csv::<Pair>(p, "a,b\nx,y\n", PAIRS_HEADER).unwrap_err();
        assert_eq!(
            e.to_string(),
            "truth/pairs.csv:1: header `a,b`; expected `a,b,mated`"
        );
        let e = read_csv::<Pair>(p, "a,b,mated\nx,y\n", PAIRS_HEADER).unwrap_err();
        assert!(e.to_string().starts_with("truth/pairs.csv:2: "), "{e}");
    }
}

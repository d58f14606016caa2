//! Agency formats into the suites' layout: an LFW-style `pairs.txt` (+ image folder) becomes a
//! verify-1to1 dataset, a WIDER FACE-style box file (+ image folder) a detect dataset.
//!
//! Both write `inputs/` (every image re-encoded as an 8-bit RGB PNG under an opaque name, so
//! that no path tells a system who is pictured or which pairs are mated) and `truth/` (the
//! suite's CSV); `jiebang data hash OUT` then pins the folder. Every error names the file and
//! line, or the image, and what was expected.

use crate::layout::{FACES_FILE, PAIRS_FILE, frame_path};
use crate::raster::MAX_SIDE;
use jiebang_core::TaskError;
use jiebang_core::bounded;
use rand::seq::SliceRandom;
use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};

/// The largest annotation file read (`pairs.txt`, the box file).
pub const MAX_ANNOTATION_BYTES: u64 = 256 << 20;
/// The largest image file read.
pub const MAX_IMAGE_BYTES: u64 = 64 << 20;
/// The most faces one WIDER record may list (the detect answer's own limit).
pub const MAX_FACES_PER_IMAGE: usize = 1000;

/// What an import wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// Images written under `inputs/`.
    pub images: usize,
    /// Rows written to the truth CSV (pairs or face instances).
    pub rows: usize,
    /// Faces of the source left out, with why (WIDER: invalid or empty boxes).
    pub skipped: usize,
}

fn invalid(file: &Path, line: usize, message: impl Into<String>) -> TaskError {
    TaskError::invalid_at(file, line, message)
}

fn io(path: &Path, cause: std::io::Error) -> TaskError {
    TaskError::Io {
        path: path.to_path_buf(),
        cause,
    }
}

/// `out` must not exist or be an empty folder; creates `out/inputs` and `out/truth`.
fn prepare(out: &Path) -> Result<(), TaskError> {
    if let Ok(mut entries) = std::fs::read_dir(out) {
        if entries.next().is_some() {
            return Err(TaskError::invalid(
                out,
                "the output folder is not empty; expected a new or empty folder",
            ));
        }
    }
    for part in ["inputs", "truth"] {
        std::fs::create_dir_all(out.join(part)).map_err(|e| io(&out.join(part), e))?;
    }
    Ok(())
}

/// Reads an image in any format the decoder knows (PNG, JPEG), bounded in bytes and sides,
/// and writes it as an 8-bit RGB PNG to `to`.
fn convert_image(from: &Path, to: &Path) -> Result<(), TaskError> {
    let bytes = bounded::read(from, MAX_IMAGE_BYTES, "a face image")?;
    let mut reader = image::io::Reader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| io(from, e))?;
    let mut limits = image::io::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(256 << 20);
    reader.limits(limits);
    let img = reader.decode().map_err(|e| {
        TaskError::invalid(
            from,
            format!("not a readable image ({e}); expected PNG or JPEG"),
        )
    })?;
    if let Some(dir) = to.parent() {
        std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    }
    img.to_rgb8()
        .save_with_format(to, image::ImageFormat::Png)
        .map_err(|e| TaskError::invalid(to, format!("cannot write the PNG: {e}")))
}

/// Writes `rows` (already CSV-safe fields) under `header` to `path`.
fn write_csv(path: &Path, header: &str, rows: &[String]) -> Result<(), TaskError> {
    let mut text = String::with_capacity(header.len() + 1 + rows.len() * 32);
    text.push_str(header);
    text.push('\n');
    for r in rows {
        text.push_str(r);
        text.push('\n');
    }
    std::fs::write(path, text).map_err(|e| io(path, e))
}

/// One image of an LFW pair: the person and the 1-based image number.
type LfwImage = (String, u32);

/// The person's name as LFW spells it: letters, digits, `_`, `-`, `.`, `'` (no path parts).
fn lfw_name(file: &Path, line: usize, name: &str) -> Result<String, TaskError> {
    let ok = !name.is_empty()
        && name != "."
        && name != ".."
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '\''));
    if !ok {
        return Err(invalid(
            file,
            line,
            format!("`{name}` is not a person's name (letters, digits, _ - . ')"),
        ));
    }
    Ok(name.to_string())
}

fn lfw_number(file: &Path, line: usize, field: &str) -> Result<u32, TaskError> {
    match field.parse::<u32>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(invalid(
            file,
            line,
            format!("`{field}` is not an image number (an integer from 1)"),
        )),
    }
}

/// Parses an LFW `pairs.txt`: an optional header line of one or two integers (pairs, or folds
/// and pairs per fold), then one pair a line, `name n1 n2` (mated) or `name1 n1 name2 n2`
/// (non-mated), fields separated by tabs or spaces. Returns `(a, b, mated)` per pair.
pub fn parse_lfw_pairs(
    file: &Path,
    text: &str,
) -> Result<Vec<(LfwImage, LfwImage, bool)>, TaskError> {
    let mut pairs = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let f: Vec<&str> = raw.split_whitespace().collect();
        if f.is_empty() {
            continue;
        }
        if line == 1 && f.len() <= 2 && f.iter().all(|v| v.parse::<u64>().is_ok()) {
            continue; // the header
        }
        match f.as_slice() {
            [name, n1, n2] => {
                let name = lfw_name(file, line, name)?;
                let (n1, n2) = (lfw_number(file, line, n1)?, lfw_number(file, line, n2)?);
                pairs.push(((name.clone(), n1), (name, n2), true));
            }
            [a, n1, b, n2] => {
                let (a, b) = (lfw_name(file, line, a)?, lfw_name(file, line, b)?);
                let (n1, n2) = (lfw_number(file, line, n1)?, lfw_number(file, line, n2)?);
                pairs.push(((a, n1), (b, n2), false));
            }
            _ => {
                return Err(invalid(
                    file,
                    line,
                    format!(
                        "{} fields; expected `name n1 n2` (mated) or `name1 n1 name2 n2` (non-mated)",
                        f.len()
                    ),
                ));
            }
        }
    }
    if pairs.is_empty() {
        return Err(TaskError::invalid(file, "no pairs; expected at least one"));
    }
    Ok(pairs)
}

/// The source file of an LFW image: `IMAGES/<name>/<name>_<n:04>.jpg` (or `.png`).
fn lfw_source(images: &Path, (name, n): &LfwImage) -> PathBuf {
    let dir = images.join(name);
    let jpg = dir.join(format!("{name}_{n:04}.jpg"));
    if jpg.is_file() {
        return jpg;
    }
    let png = dir.join(format!("{name}_{n:04}.png"));
    if png.is_file() { png } else { jpg }
}

/// Converts an LFW-style `pairs` file with its image folder (`IMAGES/<name>/<name>_<n:04>.jpg`)
/// into a `video-identity/verify-1to1` dataset at `out` (new or empty): each distinct image as
/// `inputs/images/f<nnnnn>/0.png`, numbered in a shuffle seeded from the operating system (a
/// seed in this public source would let anyone with the public pairs file map the names back to
/// people), and `truth/pairs.csv`. Two imports of the same files therefore differ; the dataset
/// is pinned by its manifest once imported.
pub fn import_lfw_pairs(pairs: &Path, images: &Path, out: &Path) -> Result<Imported, TaskError> {
    let text = bounded::read_text(pairs, MAX_ANNOTATION_BYTES, "an LFW pairs file")?;
    let parsed = parse_lfw_pairs(pairs, &text)?;
    let mut distinct: Vec<&LfwImage> = parsed.iter().flat_map(|(a, b, _)| [a, b]).collect();
    distinct.sort();
    distinct.dedup();
    for img in &distinct {
        let src = lfw_source(images, img);
        if !src.is_file() {
            return Err(TaskError::invalid(
                &src,
                format!(
                    "missing: `{}` image {} is named in {}",
                    img.0,
                    img.1,
                    pairs.display()
                ),
            ));
        }
    }
    let mut order = distinct.clone();
    order.shuffle(&mut rand::rng());
    prepare(out)?;
    let mut names = BTreeMap::new();
    for (n, img) in order.iter().enumerate() {
        let rel = format!("images/f{n:05}/0.png");
        convert_image(&lfw_source(images, img), &out.join("inputs").join(&rel))?;
        names.insert(*img, rel);
    }
    let rows: Vec<String> = parsed
        .iter()
        .map(|(a, b, mated)| format!("{},{},{}", names[a], names[b], u8::from(*mated)))
        .collect();
    write_csv(
        &out.join("truth").join(PAIRS_FILE),
        crate::layout::PAIRS_HEADER,
        &rows,
    )?;
    Ok(Imported {
        images: names.len(),
        rows: rows.len(),
        skipped: 0,
    })
}

/// One image of a WIDER FACE box file: its path (relative to the image folder), the line of
/// that path, and its faces `(x, y, w, h, invalid)`.
#[derive(Debug, Clone, PartialEq)]
pub struct WiderImage {
    /// The image's path, relative to the image folder.
    pub path: String,
    /// The 1-based line of the path in the box file.
    pub line: usize,
    /// Each face: x, y, w, h in pixels and whether WIDER marks it invalid.
    pub faces: Vec<([f64; 4], bool)>,
}

/// A relative path without `..`, a root or a drive.
fn safe_relative(file: &Path, line: usize, path: &str) -> Result<String, TaskError> {
    let p = Path::new(path);
    let ok = !path.is_empty()
        && p.components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
    if !ok {
        return Err(invalid(
            file,
            line,
            format!("`{path}` is not a relative image path inside the image folder"),
        ));
    }
    Ok(path.to_string())
}

/// Parses a WIDER FACE box file (`wider_face_*_bbx_gt.txt`): per image, its path, the number
/// of faces, then one line per face `x y w h blur expression illumination invalid occlusion
/// pose` (at least the first four; a face count of 0 is followed by one line of zeros).
pub fn parse_wider_boxes(file: &Path, text: &str) -> Result<Vec<WiderImage>, TaskError> {
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty());
    let mut images = Vec::new();
    while let Some((line, path)) = lines.next() {
        let path = safe_relative(file, line, path)?;
        let (count_line, count) = lines.next().ok_or_else(|| {
            invalid(
                file,
                line,
                "the file ends after an image path; expected the number of faces",
            )
        })?;
        let n: usize = count.parse().map_err(|_| {
            invalid(
                file,
                count_line,
                format!("`{count}` is not a number of faces"),
            )
        })?;
        if n > MAX_FACES_PER_IMAGE {
            return Err(invalid(
                file,
                count_line,
                format!("{n} faces; at most {MAX_FACES_PER_IMAGE} per image"),
            ));
        }
        let mut faces = Vec::with_capacity(n);
        for _ in 0..n.max(1) {
            let (l, text) = lines.next().ok_or_else(|| {
                invalid(
                    file,
                    count_line,
                    format!("the file ends before the {} face line(s)", n.max(1)),
                )
            })?;
            let v: Vec<f64> = text
                .split_whitespace()
                .map(|f| f.parse::<f64>().ok().filter(|x| x.is_finite()))
                .collect::<Option<_>>()
                .ok_or_else(|| {
                    invalid(file, l, format!("`{text}`: expected numbers `x y w h ...`"))
                })?;
            if v.len() < 4 {
                return Err(invalid(
                    file,
                    l,
                    format!("{} numbers; expected at least `x y w h`", v.len()),
                ));
            }
            if n > 0 {
                faces.push((
                    [v[0], v[1], v[2], v[3]],
                    v.get(7).is_some_and(|f| *f != 0.0),
                ));
            }
        }
        images.push(WiderImage { path, line, faces });
    }
    if images.is_empty() {
        return Err(TaskError::invalid(file, "no images; expected at least one"));
    }
    Ok(images)
}

/// Converts a WIDER FACE-style box file with its image folder into a `video-identity/detect`
/// dataset at `out` (new or empty): image i of the file becomes the one-frame clip
/// `inputs/clips/w<iiiii>/0000.png`, each valid face a row of `truth/faces.csv` with its own
/// track and no identity. Faces marked invalid or with a zero side are left out (counted in
/// [`Imported::skipped`]); a system that finds them is charged a false detection.
pub fn import_wider_boxes(boxes: &Path, images: &Path, out: &Path) -> Result<Imported, TaskError> {
    let text = bounded::read_text(boxes, MAX_ANNOTATION_BYTES, "a WIDER FACE box file")?;
    let parsed = parse_wider_boxes(boxes, &text)?;
    for img in &parsed {
        if !images.join(&img.path).is_file() {
            return Err(invalid(
                boxes,
                img.line,
                format!("image `{}` is missing from {}", img.path, images.display()),
            ));
        }
    }
    prepare(out)?;
    let (mut rows, mut skipped, mut track) = (Vec::new(), 0, 0u64);
    for (i, img) in parsed.iter().enumerate() {
        let clip = format!("w{i:05}");
        let rel = frame_path(&clip, 0);
        convert_image(&images.join(&img.path), &out.join("inputs").join(&rel))?;
        for ([x, y, w, h], bad) in &img.faces {
            if *bad || *w <= 0.0 || *h <= 0.0 {
                skipped += 1;
                continue;
            }
            rows.push(format!("{rel},{clip},0,{track},,{x},{y},{w},{h}"));
            track += 1;
        }
    }
    write_csv(
        &out.join("truth").join(FACES_FILE),
        crate::layout::FACES_HEADER,
        &rows,
    )?;
    Ok(Imported {
        images: parsed.len(),
        rows: rows.len(),
        skipped,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("pairs.txt")
    }

    #[test]
    fn lfw_pairs_parse_mated_and_non_mated_after_the_header() {
        let got = parse_lfw_pairs(p(), "10\t300\nAbel_Pacheco\t1\t4\nA_B\t1\tC_D\t2\n").unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(
            got[0],
            (("Abel_Pacheco".into(), 1), ("Abel_Pacheco".into(), 4), true)
        );
        assert_eq!(got[1], (("A_B".into(), 1), ("C_D".into(), 2), false));
    }

    #[test]
    fn lfw_errors_name_the_line_and_what_was_expected() {
        let e = parse_lfw_pairs(p(), "1\nA 1 2\nB 1 2 3 4 5\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("pairs.txt:3") && e.contains("6 fields"), "{e}");
        let e = parse_lfw_pairs(p(), "A 1 0\n").unwrap_err().to_string();
        assert!(
            e.contains("pairs.txt:1") && e.contains("image number"),
            "{e}"
        );
        let e = parse_lfw_pairs(p(), "../etc 1 2\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("not a person's name"), "{e}");
    }

    #[test]
    fn wider_boxes_parse_with_the_zero_face_record() {
        let text = "0--Parade/a.jpg\n2\n1 2 30 40 0 0 0 0 0 0\n5 6 0 8 0 0 0 1 0 0\n\
                    1--Handshaking/b.jpg\n0\n0 0 0 0 0 0 0 0 0 0\n";
        let got = parse_wider_boxes(Path::new("gt.txt"), text).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(
            got[0].faces,
            vec![
                ([1.0, 2.0, 30.0, 40.0], false),
                ([5.0, 6.0, 0.0, 8.0], true)
            ]
        );
        assert!(got[1].faces.is_empty());
        assert_eq!(got[1].line, 5);
    }

    #[test]
    fn wider_errors_name_the_line() {
        let e = parse_wider_boxes(Path::new("gt.txt"), "a.jpg\n2\n1 2 3 4\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("gt.txt:2") && e.contains("ends before"), "{e}");
        let e = parse_wider_boxes(Path::new("gt.txt"), "a.jpg\n1\n1 2 x 4\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("gt.txt:3"), "{e}");
        let e = parse_wider_boxes(Path::new("gt.txt"), "/etc/a.jpg\n0\n0 0 0 0\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("gt.txt:1") && e.contains("relative"), "{e}");
    }
}

//! The truth check: whether a string a SUT is given (a query's value, `hello`'s
//! `dataset_root`) names a truth file of the dataset or its truth folder.

use jiebang_core::{Dataset, TRUTH_DIR};
use serde_json::Value;
use std::path::{Component, Path, PathBuf};

/// Every string value inside `v` (object values and array items, depth first), with its
/// JSON-pointer-like place (`/lesions/0/file`).
pub fn strings<'a>(v: &'a Value, at: String, out: &mut Vec<(String, &'a str)>) {
    match v {
        Value::String(s) => out.push((at, s)),
        Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                strings(x, format!("{at}/{i}"), out);
            }
        }
        Value::Object(m) => {
            for (k, x) in m {
                strings(x, format!("{at}/{k}"), out);
            }
        }
        _ => {}
    }
}

/// `path` with `.` dropped and `dir/..` pairs removed, without touching the file system.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The truth folder as the dataset names it and as the file system resolves it.
fn truth_roots(ds: &Dataset) -> Vec<PathBuf> {
    let given = lexical(&ds.root.join(TRUTH_DIR));
    let mut roots = vec![given.clone()];
    if let Ok(real) = given.canonicalize() {
        roots.push(real);
    }
    roots
}

/// Why `s` names the truth of `ds`, if it does: it contains a truth entry's manifest path
/// (`truth/labels.json`) or the truth folder's path, equals a truth file's path inside its
/// part (`labels.json`, when no input has that name), or resolves, as a path relative to the
/// inputs folder or as an absolute one, into the truth folder.
pub fn names_truth(s: &str, ds: &Dataset) -> Option<String> {
    let roots = truth_roots(ds);
    for r in &roots {
        let text = r.display().to_string();
        if s.contains(&text) {
            return Some(format!("contains the truth folder `{text}`"));
        }
    }
    for (rel, f) in ds.truth().entries() {
        if s.contains(&f.path) {
            return Some(format!("contains the truth file `{}`", f.path));
        }
        if s == rel && !ds.inputs().contains(rel) {
            return Some(format!("is the truth file `{}`'s name", f.path));
        }
    }
    let resolved = lexical(&ds.inputs().root().join(s));
    let real = resolved.canonicalize().ok();
    for r in &roots {
        if resolved.starts_with(r) || real.as_ref().is_some_and(|p| p.starts_with(r)) {
            return Some(format!(
                "resolves into the truth folder `{}` (as a path relative to `inputs/`)",
                r.display()
            ));
        }
    }
    None
}

/// Why the folder a SUT is pointed at (`hello`'s `dataset_root`) reaches the truth, if it
/// does: it is, or lies inside, the truth folder, or holds it.
pub fn root_reaches_truth(root: &Path, ds: &Dataset) -> Option<String> {
    let root = lexical(root);
    let real = root.canonicalize().unwrap_or_else(|_| root.clone());
    for r in truth_roots(ds) {
        for p in [&root, &real] {
            if p.starts_with(&r) {
                return Some(format!(
                    "`{}` lies in the truth folder `{}`",
                    p.display(),
                    r.display()
                ));
            }
            if r.starts_with(p) {
                return Some(format!(
                    "`{}` holds the truth folder `{}`; expected the inputs folder `{}`",
                    p.display(),
                    r.display(),
                    ds.inputs().root().display()
                ));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiebang_core::GenerateParams;

    fn example() -> (tempfile::TempDir, Dataset) {
        let dir = tempfile::tempdir().unwrap();
        let task = jiebang_example::task();
        let params = GenerateParams {
            samples: Some(3),
            seed: None,
        };
        let ds = crate::dataset::generate(task.as_ref(), &task.suites()[0], &params, dir.path())
            .unwrap();
        (dir, ds)
    }

    #[test]
    fn strings_naming_the_truth_are_found_and_others_are_not() {
        let (_dir, ds) = example();
        let truth = ds.root.join("truth");
        for named in [
            "truth/parity.jsonl".to_string(),
            "parity.jsonl".into(),
            "../truth/parity.jsonl".into(),
            "./../truth".into(),
            "sub/../../truth/x".into(),
            truth.display().to_string(),
            format!("file://{}/parity.jsonl", truth.display()),
        ] {
            assert!(names_truth(&named, &ds).is_some(), "{named}");
        }
        for fine in [
            "numbers.jsonl",
            "sub/parity.jsonl.bak",
            "ground truth",
            "",
            "/",
            "../inputs/numbers.jsonl",
        ] {
            assert_eq!(names_truth(fine, &ds), None, "{fine}");
        }
    }

    #[test]
    fn a_root_that_reaches_the_truth_is_found() {
        let (_dir, ds) = example();
        assert_eq!(root_reaches_truth(&ds.inputs().root(), &ds), None);
        for bad in [
            ds.root.clone(),
            ds.root.join("truth"),
            ds.root.join("inputs/../truth"),
        ] {
            assert!(root_reaches_truth(&bad, &ds).is_some(), "{}", bad.display());
        }
    }
}

//! Embeds the committed speech corpus: reads `data/MANIFEST.tsv` and writes into OUT_DIR an
//! `include_bytes!` table of the manifest and every file it lists, sorted by path.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let data = Path::new(&root).join("data");
    println!("cargo:rerun-if-changed=data");
    println!("cargo:rerun-if-changed=data/MANIFEST.tsv");
    let manifest_path = data.join("MANIFEST.tsv");
    let manifest = std::fs::read_to_string(&manifest_path)
        .unwrap_or_else(|e| panic!("{}: cannot read ({e})", manifest_path.display()));

    let mut paths = vec!["MANIFEST.tsv".to_string()];
    for (index, line) in manifest.lines().enumerate() {
        if line.starts_with('#') || line.starts_with("path\t") || line.is_empty() {
            continue;
        }
        let at = format!("{}:{}", manifest_path.display(), index + 1);
        let path = line.split('\t').next().unwrap_or_default();
        let safe = !path.is_empty()
            && !path.starts_with('/')
            && path
                .split('/')
                .all(|part| !part.is_empty() && part != "." && part != "..")
            && path
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/'));
        assert!(
            safe,
            "{at}: path '{path}' is not a plain relative path of [A-Za-z0-9._/-]"
        );
        assert!(
            data.join(path).is_file(),
            "{at}: {path} is listed but missing"
        );
        paths.push(path.to_string());
    }
    paths.sort();
    if let Some(pair) = paths.windows(2).find(|pair| pair[0] == pair[1]) {
        panic!("{}: {} is listed twice", manifest_path.display(), pair[0]);
    }

    let mut table = String::from(
        "/// Every embedded file: its path under `tasks/speech/data/` and its bytes, sorted by path.\n\
         static FILES: &[(&str, &[u8])] = &[\n",
    );
    for path in &paths {
        let absolute = data.join(path);
        let absolute = absolute
            .to_str()
            .expect("the data directory's path is UTF-8");
        writeln!(table, "    ({path:?}, include_bytes!({absolute:?})),")
            .expect("writing to a String");
    }
    table.push_str("];\n");
    let out =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("corpus_files.rs");
    std::fs::write(&out, table).unwrap_or_else(|e| panic!("{}: cannot write ({e})", out.display()));
}

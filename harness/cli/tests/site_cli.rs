//! The published site through the real binary: two round folders with three units (one of
//! them named with live HTML), one unit's runs signed by the round's agency. Every page exists,
//! every relative link and image resolves inside the site, certified and self-reported entries
//! stay apart, the hostile name is text, and the site is byte-identical when rebuilt from the
//! same scorecards in another order under other file names.

use assert_cmd::Command;
use jiebang_scorecard::{Curve, CurveAxis, CurveKind, DeclarationPin, seal, verify_bytes};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const HOSTILE: &str = "<img src=x onerror=\"window.__jiebang_injected=1\">";
const ACME: &str = "Acme Imaging";
const WEST_LAKE: &str = "西湖影像 West Lake";

fn jiebang(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("jiebang").unwrap();
    c.current_dir(dir)
        .env("JIEBANG_DATA", dir.join("data"))
        .env("SOURCE_DATE_EPOCH", "1600000000");
    c
}

/// A declaration of `unit` (a TOML literal string: the names hold no `'`) in medical imaging.
fn declaration(unit: &str) -> String {
    format!(
        "schema_version = 1\nunit = '{unit}'\ndirection = \"medical-imaging\"\n\n\
         [[indicator]]\nid = \"imaging.detection_rate\"\ncurrent = 0.5\ntarget_2020 = 0.9\n"
    )
}

/// West Lake's self-reported face verification run in `round`: a second direction.
fn verify_faces(d: &Path, round: &str) {
    let decl = d.join("west-faces.toml");
    std::fs::write(
        &decl,
        format!(
            "schema_version = 1\nunit = '{WEST_LAKE}'\ndirection = \"video-identity\"\n\n\
             [[indicator]]\nid = \"face.verify_eer\"\ncurrent = 0.1\ntarget_2020 = 0.05\n"
        ),
    )
    .unwrap();
    let out = d.join("rounds").join(round).join("entries/west");
    jiebang(d)
        .args([
            "run",
            "--suite",
            "video-identity/verify-1to1",
            "--samples",
            "40",
        ])
        .args(["--sut", "builtin:face-baseline", "--round", round, "-q"])
        .arg("--declaration")
        .arg(&decl)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    for e in std::fs::read_dir(&out).unwrap() {
        let p = e.unwrap().path();
        if !p.to_string_lossy().ends_with(".scorecard.json") {
            std::fs::remove_file(p).unwrap();
        }
    }
}

/// Runs `unit`'s system in `round` (with `extra` arguments) and puts its scorecard under
/// `<round>/entries/<folder>/ (a round.toml and scorecards: the layout without declarations.lock)`.
fn enter(
    d: &Path,
    unit: &str,
    folder: &str,
    round: &str,
    samples: &str,
    sign: bool,
    extra: &[&str],
) {
    let decl = d.join(format!("{folder}.toml"));
    std::fs::write(&decl, declaration(unit)).unwrap();
    let out = d
        .join("runs")
        .join(format!("{folder}-{round}-{}", extra.len()));
    let mut c = jiebang(d);
    c.args(["run", "--suite", "medical-imaging/case-detection"])
        .args(["--samples", samples, "--sut", "builtin:log-blob"])
        .arg("--declaration")
        .arg(&decl)
        .args(["--round", round, "-q", "--out"])
        .arg(&out)
        .args(extra);
    if sign {
        c.args(["--sign", "agency.key"]);
    }
    c.assert().success();
    let to = d.join("rounds").join(round).join("entries").join(folder);
    std::fs::create_dir_all(&to).unwrap();
    for e in std::fs::read_dir(&out).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".scorecard.json") {
            std::fs::copy(&p, to.join(name)).unwrap();
        }
    }
}

fn round_toml(d: &Path, round: &str) {
    let dir = d.join("rounds").join(round);
    std::fs::create_dir_all(dir.join("keys")).unwrap();
    std::fs::copy(d.join("agency.pub"), dir.join("keys/agency.pub")).unwrap();
    std::fs::write(
        dir.join("round.toml"),
        format!(
            "schema_version = 1\nround = \"{round}\"\ntitle = \"Round {round}\"\n\
             trusted_keys = [\"keys/agency.pub\"]\n\n[[direction]]\nid = \"medical-imaging\"\n\
             ranking_indicator = \"imaging.detection_rate\"\n"
        ),
    )
    .unwrap();
}

/// The golden scorecard as West Lake's self-reported entry of `round`, carrying a ROC curve.
fn with_curve(d: &Path, round: &str) {
    let golden = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../scorecard/tests/golden/sample.scorecard.json");
    let mut sc = verify_bytes("golden", &std::fs::read(golden).unwrap(), None)
        .unwrap()
        .scorecard;
    sc.pins.round = Some(round.into());
    sc.pins.declaration = Some(DeclarationPin {
        unit: WEST_LAKE.into(),
        hash: "0".repeat(64),
    });
    let axis = |label: &str| CurveAxis {
        label: label.into(),
        unit: "ratio".into(),
        log: false,
    };
    sc.curves.insert(
        "case.roc".into(),
        Curve {
            kind: CurveKind::Roc,
            x: axis("false positive rate"),
            y: axis("true positive rate"),
            points: vec![[0.0, 0.0], [0.1, 0.8], [1.0, 1.0]],
            metric: None,
        },
    );
    let dir = d.join("rounds").join(round).join("entries/west");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("golden.scorecard.json"),
        seal(&mut sc, None).unwrap(),
    )
    .unwrap();
}

/// Every file under `dir`, by path relative to it, with its bytes.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(p) = stack.pop() {
        for e in std::fs::read_dir(&p).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_path_buf();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// The values of `attr="..."` in `html`.
fn attrs<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let key = format!(" {attr}=\"");
    html.split(key.as_str())
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect()
}

fn board(d: &Path, inputs: &[&str], out: &str) {
    jiebang(d)
        .arg("board")
        .args(inputs)
        .args([
            "--allow-self-reported",
            "--title",
            "Test site",
            "--out",
            out,
        ])
        .assert()
        .code(0);
}

#[test]
fn a_site_of_two_rounds_links_everything_and_keeps_classes_apart() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    jiebang(d)
        .args(["keygen", "--name", "Test Agency", "--out", "agency"])
        .assert()
        .success();
    for round in ["2020-r1", "2021-r1"] {
        round_toml(d, round);
    }
    enter(d, ACME, "acme", "2020-r1", "24", true, &[]);
    enter(d, WEST_LAKE, "west", "2020-r1", "16", false, &[]);
    enter(d, HOSTILE, "hostile", "2020-r1", "12", false, &[]);
    verify_faces(d, "2020-r1");
    enter(d, ACME, "acme", "2021-r1", "32", true, &[]);
    with_curve(d, "2021-r1");
    // A short performance run: its latency distribution is drawn.
    let perf = ["--mode", "performance", "--set", "min_duration_s=0.2"];
    enter(
        d,
        ACME,
        "acme",
        "2020-r1",
        "24",
        true,
        &[&perf[..], &["--set", "min_query_count=16"]].concat(),
    );
    board(d, &["rounds/2020-r1", "rounds/2021-r1"], "site");
    let site = d.join("site");
    let all = files(&site);
    for page in [
        "index.html",
        "report.html",
        "report.md",
        "leaderboard.csv",
        "leaderboard.json",
        "leaderboard.md",
        "selection.csv",
        "site.css",
        "site.js",
        "directions/2020-r1.medical-imaging.html",
        "directions/2021-r1.medical-imaging.html",
        "directions/2020-r1.video-identity.html",
    ] {
        assert!(
            all.contains_key(Path::new(page)),
            "{page} missing: {:?}",
            all.keys()
        );
    }
    let pages: Vec<(&PathBuf, String)> = all
        .iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "html"))
        .map(|(p, b)| (p, String::from_utf8(b.clone()).unwrap()))
        .collect();
    // index, report, three direction pages, three unit pages.
    assert_eq!(pages.len(), 8, "{:?}", all.keys());
    let units: Vec<&str> = pages
        .iter()
        .filter(|(p, _)| p.starts_with("units"))
        .map(|(_, h)| h.as_str())
        .collect();
    assert_eq!(units.len(), 3);
    // Acme and West Lake entered both rounds: their pages draw their history; the other's not.
    let drawn = units
        .iter()
        .filter(|h| !h.contains("data-charts=\"0\""))
        .count();
    assert_eq!(drawn, 2);
    let copies = all.keys().filter(|p| p.starts_with("scorecards")).count();
    assert_eq!(copies, 7, "one copy per boarded scorecard");
    for (path, html) in &pages {
        assert!(
            html.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"),
            "{path:?}"
        );
        assert!(
            html.contains("default-src 'none'; img-src 'self'"),
            "{path:?}"
        );
        assert!(html.contains("generated 2020-09-13 by jiebang"), "{path:?}");
        let footer = &html[html.find("<footer>").unwrap()..];
        assert!(!footer.contains('`'), "{path:?}: {footer}");
        assert!(!html.contains("<script>"), "{path:?}");
        // The hostile name is text on every page that names it.
        assert!(!html.contains("<img src=x"), "{path:?}:\n{html}");
        assert!(!html.contains("onerror=\"window"), "{path:?}");
        // Every link and image is relative and resolves to a file of the site.
        let base = site.join(path.parent().unwrap());
        for target in attrs(html, "href").into_iter().chain(attrs(html, "src")) {
            assert!(
                !target.contains(':') && !target.starts_with('/'),
                "{path:?}: {target} is not a relative link"
            );
            let file = base.join(target.replace("&amp;", "&"));
            assert!(file.is_file(), "{path:?}: {target} does not resolve");
            assert!(
                file.canonicalize()
                    .unwrap()
                    .starts_with(site.canonicalize().unwrap()),
                "{path:?}: {target} leaves the site"
            );
        }
        let charts = html.matches("<img class=\"chart\"").count();
        assert!(
            html.contains(&format!("<body data-charts=\"{charts}\">")),
            "{path:?}"
        );
    }
    let page = |p: &str| {
        pages
            .iter()
            .find(|(q, _)| q.as_path() == Path::new(p))
            .map(|(_, h)| h.as_str())
            .unwrap()
    };
    let index = page("index.html");
    assert!(index.contains("&lt;img src=x onerror=&quot;window.__jiebang_injected=1&quot;&gt;"));
    assert!(index.contains(WEST_LAKE) && index.contains("Round 2021-r1"));
    // Certified and self-reported results are separate tables.
    let dir = page("directions/2020-r1.medical-imaging.html");
    let (certified, own) = dir.split_once("自报结果").unwrap();
    assert!(certified.contains("认证结果 <span class=\"en\">Certified results"));
    assert!(
        certified.contains(ACME) && !certified.contains(WEST_LAKE),
        "{dir}"
    );
    assert!(!certified.contains("&lt;img"), "{dir}");
    assert!(own.contains(WEST_LAKE) && own.contains("&lt;img src=x") && !own.contains(ACME));
    assert!(dir.contains("technical failures"));
    assert!(
        dir.contains("builtin:log-blob (performance, single-stream)"),
        "{dir}"
    );
    assert!(dir.contains("alt=\"Latency per query"), "{dir}");
    // AUC is a plain fraction in every row, also where its interval was withheld; a
    // detection rate a percentage.
    for (k, section) in dir.split("<code>imaging.auc</code>").skip(1).enumerate() {
        let body = &section[section.find("<tbody>").unwrap()..section.find("</tbody>").unwrap()];
        assert!(body.contains("<td class=\"num\""), "{body}");
        assert!(
            !body.contains('%'),
            "AUC table {k} shows a percentage:\n{body}"
        );
    }
    assert!(dir.contains("% ["));
    // The selection takes certified entries only.
    let json: serde_json::Value =
        serde_json::from_slice(&all[Path::new("leaderboard.json")]).unwrap();
    let r1 = &json["rounds"][0];
    assert_eq!(r1["round"], "2020-r1");
    let cands: Vec<&str> = r1["selection"][0]["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["unit"].as_str().unwrap())
        .collect();
    assert_eq!(cands, [ACME]);
    let csv = String::from_utf8(all[Path::new("leaderboard.csv")].clone()).unwrap();
    assert!(csv.lines().next().unwrap().ends_with(",\"class\""), "{csv}");
    assert!(csv.contains(",\"certified\"") && csv.contains(",\"self-reported\""));
    // Curves that scorecards carry are drawn.
    let r2 = page("directions/2021-r1.medical-imaging.html");
    assert!(r2.contains("alt=\"case.roc: one curve per unit"), "{r2}");
    let report = String::from_utf8(all[Path::new("report.md")].clone()).unwrap();
    assert!(
        report.contains("| Acme Imaging |") && report.contains("2020-r1"),
        "{report}"
    );
    assert!(report.contains("\\<img src=x"), "{report}");

    // The same scorecards under other names, given in another order: the same bytes.
    let copy = d.join("copy");
    for (k, round) in ["2021-r1", "2020-r1"].iter().enumerate() {
        let from = d.join("rounds").join(round);
        let to = copy.join(format!("r{k}"));
        std::fs::create_dir_all(to.join("keys")).unwrap();
        std::fs::copy(from.join("round.toml"), to.join("round.toml")).unwrap();
        std::fs::copy(from.join("keys/agency.pub"), to.join("keys/agency.pub")).unwrap();
        let mut n = 0;
        for folder in ["hostile", "west", "acme"] {
            let Ok(dir) = std::fs::read_dir(from.join("entries").join(folder)) else {
                continue;
            };
            for e in dir {
                n += 1;
                let flat = to.join(format!("{n}-other.scorecard.json"));
                std::fs::copy(e.unwrap().path(), flat).unwrap();
            }
        }
    }
    board(d, &["copy/r0", "copy/r1"], "site2");
    let again = files(&d.join("site2"));
    assert_eq!(
        all.keys().collect::<Vec<_>>(),
        again.keys().collect::<Vec<_>>()
    );
    for (p, bytes) in &all {
        assert!(again[p] == *bytes, "{p:?} differs between the two builds");
    }
}

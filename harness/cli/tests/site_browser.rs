//! The published site in a real browser: the real binary builds a site, and every page of it
//! is opened in headless Chromium by `scripts/site/check-site.py` (no console error, every
//! chart loaded, nothing wider than the window, a hostile unit name shown as text, never run),
//! with one screenshot per page kept under `target/site-screenshots/`. The checker itself is
//! tested on small broken pages. Without chromium and chromedriver these tests say LOUDLY that
//! they skipped; `JIEBANG_REQUIRE_BROWSER=1` (CI) makes them fail instead.

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::process::Output;

/// A unit name that runs as script wherever it is pasted into a page unescaped.
const HOSTILE_UNIT: &str = "<img src=x onerror=\"window.__jiebang_injected=1\">\
                            <script>window.__jiebang_injected=2</script> 医院 & Co";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn jiebang(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("jiebang").unwrap();
    c.current_dir(repo()).env("JIEBANG_DATA", dir.join("data"));
    c
}

/// A program on PATH, or named by the variable the checker reads too.
fn found(var: Option<&str>, names: &[&str]) -> bool {
    if let Some(p) = var.and_then(std::env::var_os).filter(|p| !p.is_empty()) {
        return Path::new(&p).is_file();
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path).any(|d| names.iter().any(|n| d.join(n).is_file()))
}

/// Whether the browser is here. Without it: a banner no one can miss, or a failure when
/// `JIEBANG_REQUIRE_BROWSER=1`.
fn browser_available(test: &str) -> bool {
    let have = found(
        Some("JIEBANG_CHROMIUM"),
        &["chromium", "chromium-browser", "google-chrome"],
    ) && found(Some("JIEBANG_CHROMEDRIVER"), &["chromedriver"])
        && found(None, &["python3"]);
    if !have {
        let msg = "chromium, chromedriver or python3 not found \
                   (apt-get install -y chromium chromium-driver fonts-wqy-microhei)";
        if std::env::var("JIEBANG_REQUIRE_BROWSER").as_deref() == Ok("1") {
            panic!("{test}: {msg}, and JIEBANG_REQUIRE_BROWSER=1");
        }
        eprintln!(
            "\n{bar}\n!! SKIPPED {test}: {msg}.\n!! The site was NOT opened in a browser; set \
             JIEBANG_REQUIRE_BROWSER=1 to make this a failure.\n{bar}\n",
            bar = "!".repeat(78)
        );
    }
    have
}

/// Runs the checker on `site`; screenshots go to `shots`.
fn check_site(site: &Path, shots: &Path, expect: &[&str]) -> Output {
    let mut c = std::process::Command::new("python3");
    c.arg(repo().join("scripts/site/check-site.py"))
        .arg(site)
        .arg("--screenshots")
        .arg(shots);
    for t in expect {
        c.arg("--expect-text").arg(t);
    }
    c.output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}--- stderr\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A site built by the real binary, and the texts that must be visible on it.
struct Site {
    root: PathBuf,
    expect: Vec<&'static str>,
}

/// The sites these tests open: the demo's own site (its rounds and runs, here for the
/// medical-imaging suites, with the demo's hostile unit), the site of the sample rounds under
/// results/rounds/ (every direction: the rounds the full demo builds), and a board of loose
/// scorecards with a hostile name of its own.
fn sites_under_test(dir: &Path) -> Vec<Site> {
    vec![
        demo_site(dir),
        sample_rounds_site(dir),
        board_of_two_units(dir),
    ]
}

/// The demo's hostile unit (harness/cli/src/cmd/demo_round.rs).
const DEMO_HOSTILE_UNIT: &str =
    "<img src=x onerror=\"window.__jiebang_injected=1\"> Hostile Unit ../../etc";

/// `jiebang demo --only medical-imaging`: its runs and its two rounds, published as one site.
fn demo_site(dir: &Path) -> Site {
    let root = dir.join("demo");
    jiebang(dir)
        .args(["--quiet", "demo", "--only", "medical-imaging", "--out"])
        .arg(&root)
        .assert()
        .success();
    Site {
        root,
        expect: vec![DEMO_HOSTILE_UNIT, "甲影像实验室 Jia Imaging Lab", "检出率"],
    }
}

/// `jiebang board` of the sample rounds that ship under results/rounds/.
fn sample_rounds_site(dir: &Path) -> Site {
    let root = dir.join("sample-site");
    jiebang(dir)
        .args(["--quiet", "board"])
        .arg(repo().join("results/rounds/2019-demo"))
        .arg(repo().join("results/rounds/2020-demo"))
        .arg("--out")
        .arg(&root)
        .assert()
        .success();
    Site {
        root,
        expect: vec![
            DEMO_HOSTILE_UNIT,
            "丙芯片 Bing Silicon",
            "庚语音 Geng Voice",
        ],
    }
}

/// Two units on the medical-imaging case-detection suite, one of them with the hostile name
/// (the built-in system), one the example process SUT with the sample declaration, published
/// by `jiebang board`.
fn board_of_two_units(dir: &Path) -> Site {
    let hostile = dir.join("hostile.toml");
    std::fs::write(
        &hostile,
        format!(
            "schema_version = 1\nunit = '{HOSTILE_UNIT}'\ndirection = \"medical-imaging\"\n\n\
             [[indicator]]\nid = \"imaging.detection_rate\"\ncurrent = 0.90\ntarget_2020 = 0.97\n"
        ),
    )
    .unwrap();
    let units = [
        ("builtin:log-blob", hostile),
        (
            "python3 scripts/suts/example_sut.py",
            repo().join("tasks/medical-imaging/demo/declaration.toml"),
        ),
    ];
    let mut cards = Vec::new();
    for (i, (sut, declaration)) in units.iter().enumerate() {
        let out = dir.join(format!("unit-{i}"));
        jiebang(dir)
            .args([
                "--quiet",
                "run",
                "--suite",
                "medical-imaging/case-detection",
            ])
            .args(["--sut", sut, "--declaration"])
            .arg(declaration)
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
        for e in std::fs::read_dir(&out).unwrap() {
            let p = e.unwrap().path();
            if p.to_string_lossy().ends_with(".scorecard.json") {
                cards.push(p);
            }
        }
    }
    assert_eq!(cards.len(), 2, "{cards:?}");
    let root = dir.join("site");
    jiebang(dir)
        .args(["--quiet", "board"])
        .args(&cards)
        .arg("--out")
        .arg(&root)
        .assert()
        .success();
    Site {
        root,
        expect: vec![HOSTILE_UNIT, "检出率", "Example Imaging Lab"],
    }
}

/// Where the screenshots are kept: `target/site-screenshots/` (emptied first, so that every
/// file there is from this run).
fn screenshot_dir() -> PathBuf {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .to_path_buf();
    let dir = target.join("site-screenshots");
    if dir.exists() {
        std::fs::remove_dir_all(&dir).unwrap();
    }
    dir
}

#[test]
fn every_page_of_the_site_opens_cleanly_in_chromium() {
    if !browser_available("every_page_of_the_site_opens_cleanly_in_chromium") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let all_shots = screenshot_dir();
    for (i, site) in sites_under_test(tmp.path()).iter().enumerate() {
        check_one(site, &all_shots.join(format!("site-{i}")));
    }
}

/// Every page of `site` opens cleanly; one screenshot each under `shots`.
fn check_one(site: &Site, shots: &Path) {
    let shots = shots.to_path_buf();
    let o = check_site(&site.root, &shots, &site.expect);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    // One screenshot per page, each a PNG.
    let mut pages = 0;
    let mut stack = vec![site.root.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "html") {
                pages += 1;
                let rel = p.strip_prefix(&site.root).unwrap();
                let png = shots.join(format!("{}.png", rel.display()));
                let bytes = std::fs::read(&png).unwrap_or_else(|e| panic!("{png:?}: {e}"));
                assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "{png:?}");
            }
        }
    }
    assert!(pages >= 1);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains(&format!("{pages} pages, 0 failed")),
        "{}",
        text(&o)
    );
}

/// A page that passes, so that a failure below is the fixture's own.
const GOOD: &str = "<!doctype html><html><head><meta charset=\"utf-8\"><title>ok</title></head>\
    <body data-charts=\"1\"><h1>好 &lt;b&gt;</h1><img class=\"chart\" src=\"c.svg\" alt=\"c\"></body></html>";
const SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"100\">\
    <rect width=\"200\" height=\"100\" fill=\"#ccf\"/></svg>";

#[test]
fn the_checker_fails_each_kind_of_broken_page() {
    if !browser_available("the_checker_fails_each_kind_of_broken_page") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let page = |body: &str| format!("<!doctype html><html><body>{body}</body></html>");
    let cases = [
        (
            "console-error",
            page("<p>x</p><script>nonexistent()</script>"),
            "SEVERE",
        ),
        (
            "broken-image",
            page("<img src=\"missing.png\" alt=\"m\">"),
            "image did not load: missing.png",
        ),
        (
            "too-wide",
            page("<table><tr><td style=\"min-width:3000px\">wide</td></tr></table>"),
            "wider than the",
        ),
        (
            "handler",
            page("<p onmouseover=\"void 0\">hover</p>"),
            "inline event handler attribute: <p onmouseover>",
        ),
        (
            "injected",
            page("<script>window.__jiebang_injected = 1</script>"),
            "window.__jiebang_injected is defined",
        ),
        (
            "chart-count",
            "<!doctype html><html><body data-charts=\"2\"><img class=\"chart\" src=\"c.svg\">\
             </body></html>"
                .to_string(),
            "1 img.chart loaded but <body data-charts> says 2",
        ),
    ];
    // The good page alone passes, and its text can be expected.
    let good = tmp.path().join("good");
    std::fs::create_dir_all(good.join("sub")).unwrap();
    std::fs::write(good.join("sub/index.html"), GOOD).unwrap();
    std::fs::write(good.join("sub/c.svg"), SVG).unwrap();
    let o = check_site(&good, &tmp.path().join("shots-good"), &["好 <b>"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(tmp.path().join("shots-good/sub/index.html.png").is_file());
    // Text no page shows fails.
    let o = check_site(&good, &tmp.path().join("shots-good"), &["not on any page"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("expected text not shown on any page: 'not on any page'"));
    for (name, html, says) in cases {
        let dir = tmp.path().join(name);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("a-good.html"), GOOD).unwrap();
        std::fs::write(dir.join("c.svg"), SVG).unwrap();
        std::fs::write(dir.join("b-bad.html"), html).unwrap();
        let o = check_site(&dir, &tmp.path().join(format!("shots-{name}")), &[]);
        let all = text(&o);
        assert_eq!(o.status.code(), Some(1), "{name}: {all}");
        assert!(
            all.contains("ok   a-good.html") && all.contains("FAIL b-bad.html"),
            "{name}: {all}"
        );
        assert!(all.contains(says), "{name}: expected {says:?} in\n{all}");
        assert!(all.contains("2 pages, 1 failed"), "{name}: {all}");
    }
}

/// Without a browser the checker is an error (2) that says what to install, never a pass.
#[test]
fn the_checker_without_a_browser_says_what_to_install() {
    if !found(None, &["python3"]) {
        eprintln!("SKIPPED the_checker_without_a_browser_says_what_to_install: no python3");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("index.html"), GOOD).unwrap();
    let o = std::process::Command::new("python3")
        .arg(repo().join("scripts/site/check-site.py"))
        .arg(tmp.path())
        .arg("--screenshots")
        .arg(tmp.path().join("shots"))
        .env(
            "JIEBANG_CHROMEDRIVER",
            tmp.path().join("no-such-chromedriver"),
        )
        .output()
        .unwrap();
    let all = text(&o);
    assert_eq!(o.status.code(), Some(2), "{all}");
    assert!(
        all.contains("chromedriver not found")
            && all.contains("apt-get install -y chromium chromium-driver fonts-wqy-microhei"),
        "{all}"
    );
    // An empty folder is an error too, not a site that passed.
    let empty = tmp.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let o = std::process::Command::new("python3")
        .arg(repo().join("scripts/site/check-site.py"))
        .arg(&empty)
        .arg("--screenshots")
        .arg(tmp.path().join("shots"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("no *.html page under it"), "{}", text(&o));
}

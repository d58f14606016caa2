//! The demo as a round: synthetic units (built-in systems, sample counts and settings of their
//! own) declare, are run, signed by a demo agency or not, and submitted to two rounds, whose
//! site — selection, ties, verdicts, history — `jiebang demo` then publishes.

use crate::cmd::run;
use crate::context::Registry;
use crate::request::{RunRequest, SuiteSource};
use crate::site::SiteRound;
use anyhow::{Context as _, Result, bail};
use jiebang_accel::BackendKind;
use jiebang_core::round::{self, InitDirection, InitSpec, RoundSuite};
use jiebang_core::run::{Mode, Scenario, SutSpec};
use jiebang_scorecard::KeyPair;
use std::path::{Path, PathBuf};

/// The demo agency's name. Its key is made from a fixed seed, so that the demo and the sample
/// round are reproducible; a signature by it certifies nothing outside the demo.
pub const AGENCY: &str = "jiebang demo agency (not a real agency)";
const AGENCY_SEED: [u8; 32] = *b"jiebang-demo-agency-fixed-seed!!";

/// A unit name that tries to run script on the published page; the site must show it as text.
pub const HOSTILE_UNIT: &str =
    "<img src=x onerror=\"window.__jiebang_injected=1\"> Hostile Unit ../../etc";

/// One run of a demo unit.
struct DemoRun {
    suite: &'static str,
    sut: &'static str,
    samples: Option<u64>,
    performance: bool,
}

const fn acc(suite: &'static str, sut: &'static str, samples: Option<u64>) -> DemoRun {
    DemoRun {
        suite,
        sut,
        samples,
        performance: false,
    }
}

/// One unit of a demo round.
struct DemoUnit {
    name: &'static str,
    direction: &'static str,
    certified: bool,
    runs: Vec<DemoRun>,
}

/// One demo round.
struct DemoRound {
    id: &'static str,
    title: &'static str,
    opens: &'static str,
    closes: &'static str,
    /// Direction, ranking indicator, pinned suites (`direction/name@version`).
    directions: Vec<(&'static str, &'static str, Vec<&'static str>)>,
    units: Vec<DemoUnit>,
}

const JIA: &str = "甲影像实验室 Jia Imaging Lab";
const YI: &str = "乙医疗智能 Yi Medical AI";
const BING: &str = "丙芯片 Bing Silicon";
const DING: &str = "丁计算 Ding Compute";
const WU: &str = "戊视觉 Wu Vision";
const JI: &str = "己人脸 Ji Faces";
const GENG: &str = "庚语音 Geng Voice";
const XIN: &str = "辛听写 Xin Dictation";

fn rounds() -> Vec<DemoRound> {
    vec![
        DemoRound {
            id: "2019-demo",
            title: "jiebang demo round 2019 (synthetic units, public generated data)",
            opens: "2019-03-01",
            closes: "2019-09-30",
            directions: vec![
                (
                    "medical-imaging",
                    "imaging.detection_rate",
                    vec!["medical-imaging/case-detection@1"],
                ),
                ("nn-chip", "chip.correctness", vec!["nn-chip/kernels@1"]),
            ],
            units: vec![
                DemoUnit {
                    name: JIA,
                    direction: "medical-imaging",
                    certified: true,
                    runs: vec![acc(
                        "medical-imaging/case-detection@1",
                        "log-blob",
                        Some(60),
                    )],
                },
                DemoUnit {
                    name: YI,
                    direction: "medical-imaging",
                    certified: false,
                    runs: vec![acc(
                        "medical-imaging/case-detection@1",
                        "log-blob",
                        Some(40),
                    )],
                },
                DemoUnit {
                    name: BING,
                    direction: "nn-chip",
                    certified: true,
                    runs: vec![acc("nn-chip/kernels@1", "kernels", None)],
                },
            ],
        },
        DemoRound {
            id: "2020-demo",
            title: "jiebang demo round 2020 (synthetic units, public generated data)",
            opens: "2020-03-01",
            closes: "2020-09-30",
            directions: vec![
                (
                    "medical-imaging",
                    "imaging.detection_rate",
                    vec![
                        "medical-imaging/case-detection@1",
                        "medical-imaging/lesion-froc@1",
                    ],
                ),
                ("nn-chip", "chip.correctness", vec!["nn-chip/kernels@1"]),
                (
                    "video-identity",
                    "face.identify_rate",
                    vec![
                        "video-identity/verify-1to1@1",
                        "video-identity/identify-1toN@1",
                    ],
                ),
                ("speech", "speech.zh_accuracy", vec!["speech/asr-zh@1"]),
            ],
            units: vec![
                DemoUnit {
                    name: JIA,
                    direction: "medical-imaging",
                    certified: true,
                    runs: vec![
                        acc("medical-imaging/case-detection@1", "log-blob", None),
                        acc("medical-imaging/lesion-froc@1", "log-blob", None),
                    ],
                },
                DemoUnit {
                    name: YI,
                    direction: "medical-imaging",
                    certified: false,
                    runs: vec![
                        acc("medical-imaging/case-detection@1", "log-blob", Some(80)),
                        DemoRun {
                            suite: "medical-imaging/case-detection@1",
                            sut: "log-blob",
                            samples: Some(80),
                            performance: true,
                        },
                    ],
                },
                DemoUnit {
                    name: HOSTILE_UNIT,
                    direction: "medical-imaging",
                    certified: false,
                    runs: vec![acc(
                        "medical-imaging/case-detection@1",
                        "log-blob",
                        Some(40),
                    )],
                },
                DemoUnit {
                    name: BING,
                    direction: "nn-chip",
                    certified: true,
                    runs: vec![acc("nn-chip/kernels@1", "kernels", None)],
                },
                DemoUnit {
                    name: DING,
                    direction: "nn-chip",
                    certified: false,
                    runs: vec![acc("nn-chip/kernels@1", "kernels-test-bitflip", None)],
                },
                DemoUnit {
                    name: WU,
                    direction: "video-identity",
                    certified: true,
                    runs: vec![
                        acc("video-identity/verify-1to1@1", "face-baseline", None),
                        acc("video-identity/identify-1toN@1", "face-baseline", None),
                    ],
                },
                DemoUnit {
                    name: JI,
                    direction: "video-identity",
                    certified: false,
                    runs: vec![
                        acc("video-identity/verify-1to1@1", "face-baseline", Some(60)),
                        acc("video-identity/identify-1toN@1", "face-baseline", Some(60)),
                    ],
                },
                DemoUnit {
                    name: GENG,
                    direction: "speech",
                    certified: true,
                    runs: vec![acc("speech/asr-zh@1", "zh-dtw", None)],
                },
                DemoUnit {
                    name: XIN,
                    direction: "speech",
                    certified: false,
                    runs: vec![acc("speech/asr-zh@1", "zh-dtw", Some(28))],
                },
            ],
        },
    ]
}

/// The demo agency's key pair (fixed seed: reproducible, certifies nothing outside the demo).
pub fn agency_key() -> KeyPair {
    KeyPair::from_seed(AGENCY, AGENCY_SEED)
}

/// The unit's declaration: the direction's sample declaration under the unit's name.
fn declaration(text: &str, unit: &str) -> Result<String> {
    let mut table: toml::Table = text.parse().context("the direction's sample declaration")?;
    table.insert("unit".into(), toml::Value::String(unit.into()));
    Ok(toml::to_string(&table)?)
}

/// Builds the demo rounds under `dir` (one folder per round, made afresh) and returns them as
/// the site publishes them. `only` keeps the suites whose id contains it (as the demo's runs
/// do), and the directions and units left with a suite.
pub fn build(
    dir: &Path,
    reg: &Registry,
    backend: BackendKind,
    only: Option<&str>,
    quiet: bool,
) -> Result<Vec<SiteRound>> {
    let directions = reg.directions();
    let key = agency_key();
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let key_file = dir.join("demo-agency.key");
    let pub_file = dir.join("demo-agency.pub");
    jiebang_core::atomic::write(&key_file, key.to_file_text().as_bytes())?;
    jiebang_core::atomic::write(&pub_file, key.public().to_file_text().as_bytes())?;
    let mut out = Vec::new();
    for r in rounds() {
        let keep_suite = |s: &str| only.is_none_or(|o| s.contains(o));
        let keep = |d: &str| {
            r.directions
                .iter()
                .any(|(id, _, suites)| *id == d && suites.iter().any(|s| keep_suite(s)))
        };
        if !r.directions.iter().any(|(d, _, _)| keep(d)) {
            continue;
        }
        let root = dir.join(r.id);
        if root.exists() {
            std::fs::remove_dir_all(&root)
                .with_context(|| format!("removing the previous demo round {}", root.display()))?;
        }
        let mut init = Vec::new();
        for (d, ranking, suites) in &r.directions {
            if !keep(d) {
                continue;
            }
            let mut pinned = Vec::new();
            for s in suites.iter().filter(|s| keep_suite(s)) {
                let (_, spec) = reg.suite(s)?;
                // The fewest samples any unit runs this suite on (none given: the default).
                let min_samples = r
                    .units
                    .iter()
                    .flat_map(|u| &u.runs)
                    .filter(|run| run.suite == *s)
                    .filter_map(|run| run.samples)
                    .min();
                pinned.push(RoundSuite {
                    id: spec.id.clone(),
                    version: spec.version,
                    hash: spec.hash(),
                    dataset: None,
                    min_samples,
                    min_duration_s: None,
                });
            }
            init.push(InitDirection {
                id: d.to_string(),
                ranking_indicator: ranking.to_string(),
                suites: pinned,
            });
        }
        round::init(
            &root,
            &InitSpec {
                round: r.id.into(),
                title: Some(r.title.into()),
                opens: Some(r.opens.into()),
                closes: Some(r.closes.into()),
                directions: init,
                keys: vec![pub_file.clone()],
                require_signatures: Some(false),
                require_sandbox: false,
                allow_generated_data: true,
            },
            &directions,
        )?;
        let staging = dir.join(format!(".{}-runs", r.id));
        let _ = std::fs::remove_dir_all(&staging);
        for u in r
            .units
            .iter()
            .filter(|u| u.runs.iter().any(|run| keep_suite(run.suite)))
        {
            let task = reg
                .task(u.direction)
                .with_context(|| format!("demo unit {}: no direction {}", u.name, u.direction))?;
            let Some(sample) = task.demo_declaration() else {
                bail!("direction {} has no sample declaration", u.direction);
            };
            let draft = staging.join(format!("{}.toml", jiebang_core::slug::unit_slug(u.name)));
            jiebang_core::atomic::write(&draft, declaration(sample, u.name)?.as_bytes())?;
            let frozen = round::declare(&root, &draft, &directions, r.opens)?;
            for run_spec in u.runs.iter().filter(|run| keep_suite(run.suite)) {
                let mut req = RunRequest {
                    backend,
                    samples: run_spec.samples,
                    declaration: Some(frozen.path.clone()),
                    round: Some(r.id.into()),
                    sign: u.certified.then(|| key_file.clone()),
                    ..RunRequest::new(
                        SuiteSource::Embedded(run_spec.suite.into()),
                        SutSpec::Builtin(run_spec.sut.into()),
                        staging.clone(),
                    )
                };
                if run_spec.performance {
                    req.settings.mode = Mode::Performance;
                    req.settings.scenario = Some(Scenario::SingleStream);
                    req.settings
                        .values
                        .insert("min_duration_s".into(), "1".into());
                }
                if !quiet {
                    eprintln!(
                        "[round {}] {}: jiebang run {}",
                        r.id,
                        crate::escape::terminal(u.name),
                        crate::escape::terminal(&req.command_line())
                    );
                }
                let w = run::execute(&req, reg, true, false).with_context(|| {
                    format!(
                        "demo round {}: run of {} for {}",
                        r.id, run_spec.suite, u.name
                    )
                })?;
                match round::submit(&root, &w.path, Some(&w.log), &directions)? {
                    round::Submitted::Accepted { .. } => {}
                    round::Submitted::Refused(findings) => {
                        let text: Vec<String> = findings.iter().map(|f| f.to_string()).collect();
                        bail!(
                            "demo round {}: the submission of {} was refused:\n{}",
                            r.id,
                            w.path.display(),
                            text.join("\n")
                        );
                    }
                }
            }
        }
        let _ = std::fs::remove_dir_all(&staging);
        let (site_round, findings) = super::board::round_folder(&root, reg)?;
        if findings > 0 {
            bail!(
                "demo round {}: `jiebang round check {}` has {findings} finding(s)",
                r.id,
                root.display()
            );
        }
        out.push(site_round);
    }
    Ok(out)
}

/// Where the demo's rounds go under its output folder.
pub fn rounds_dir(out: &Path) -> PathBuf {
    out.join("rounds")
}

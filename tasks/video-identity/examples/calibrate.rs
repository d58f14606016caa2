//! Calibration aid: generates the three default datasets into a temporary folder, runs the
//! built-in detector and matcher directly (no harness) and prints their figures.
//! `cargo run -p jiebang-video-identity --example calibrate [frames pairs probes]`
//! (the decision-style suites only; the template suites use the same data). `VID_W=skin,hair,lips`
//! overrides the matcher's colour weights; `VID_KEEP=1` keeps the generated folders.

use jiebang_core::{DatasetDirs, GenerateParams};
use jiebang_metrics::biometrics::iou;
use jiebang_metrics::biometrics::{BoundingBox, Detection, eer, match_detections};
use jiebang_video_identity::detector::{DetectorConfig, detect};
use jiebang_video_identity::matcher::{Weights, similarity, template};
use jiebang_video_identity::raster::Raster;
use std::path::Path;

fn img(root: &Path, rel: &str) -> Raster {
    let p = root.join(rel);
    Raster::from_png(&p, &std::fs::read(&p).unwrap()).unwrap()
}

fn weights() -> Weights {
    let v: Vec<f32> = std::env::var("VID_W")
        .unwrap_or_default()
        .split(',')
        .filter_map(|x| x.parse().ok())
        .collect();
    match v[..] {
        [skin, hair, lips] => Weights { skin, hair, lips },
        _ => Weights::default(),
    }
}

fn main() {
    let args: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let task = jiebang_video_identity::task();
    let tmp = std::env::temp_dir().join(format!("vid-calibrate-{}", std::process::id()));
    let suites = task.suites().to_vec();
    // The first three embedded suites are detect, verify and identify (decision style).
    for (k, suite) in suites.iter().take(3).enumerate() {
        let root = tmp.join(k.to_string());
        let dirs = DatasetDirs::create(&root).unwrap();
        let params = GenerateParams {
            samples: args.get(k).copied(),
            seed: None,
        };
        let t = std::time::Instant::now();
        let desc = task.generate(suite, &dirs, &params, &|_, _| {}).unwrap();
        println!("{desc} in {:.1}s", t.elapsed().as_secs_f64());
        let truth = |f: &str| std::fs::read_to_string(dirs.truth.join(f)).unwrap();
        match k {
            0 => {
                let text = truth("faces.csv");
                let mut frames: std::collections::BTreeMap<String, Vec<BoundingBox>> =
                    Default::default();
                for line in text.lines().skip(1) {
                    let c: Vec<&str> = line.split(',').collect();
                    let v: Vec<f64> = c[5..9].iter().map(|s| s.parse().unwrap()).collect();
                    frames.entry(c[0].into()).or_default().push(BoundingBox {
                        x_min: v[0],
                        y_min: v[1],
                        x_max: v[0] + v[2],
                        y_max: v[1] + v[3],
                    });
                }
                let (mut faces, mut hit, mut dets, mut fa) = (0, 0, 0, 0);
                for (rel, boxes) in &frames {
                    let found = detect(&img(&dirs.inputs, rel), &DetectorConfig::default());
                    let d: Vec<Detection> = found
                        .iter()
                        .map(|f| Detection {
                            bbox: BoundingBox {
                                x_min: f.x,
                                y_min: f.y,
                                x_max: f.x + f.w,
                                y_max: f.y + f.h,
                            },
                            score: f.score,
                        })
                        .collect();
                    let c = match_detections(boxes, &d, 0.5, f64::NEG_INFINITY).unwrap();
                    if std::env::var_os("VID_DEBUG").is_some() {
                        for b in boxes {
                            let best = d.iter().map(|x| iou(b, &x.bbox)).fold(0.0, f64::max);
                            if best < 0.5 {
                                println!(
                                    "  miss {rel} w {:.0} h {:.0} best iou {best:.2}",
                                    b.x_max - b.x_min,
                                    b.y_max - b.y_min
                                );
                            }
                        }
                        for x in &d {
                            let best = boxes.iter().map(|b| iou(b, &x.bbox)).fold(0.0, f64::max);
                            if best < 0.5 {
                                println!("  false {rel} {:?} best iou {best:.2}", x.bbox);
                            }
                        }
                    }
                    faces += c.faces;
                    hit += c.detected_faces;
                    dets += c.detections;
                    fa += c.false_detections;
                }
                println!(
                    "detect: rate {:.3} ({hit}/{faces}) precision {:.3} false/frame {:.3}",
                    hit as f64 / faces as f64,
                    (dets - fa) as f64 / dets.max(1) as f64,
                    fa as f64 / frames.len() as f64
                );
            }
            1 => {
                let (mut g, mut i) = (vec![], vec![]);
                let w = weights();
                for line in truth("pairs.csv").lines().skip(1) {
                    let c: Vec<&str> = line.split(',').collect();
                    let s = similarity(
                        &template(&img(&dirs.inputs, c[0])),
                        &template(&img(&dirs.inputs, c[1])),
                        &w,
                    );
                    if c[2] == "1" { g.push(s) } else { i.push(s) }
                }
                println!(
                    "verify: EER {:.3} ({} genuine, {} impostor)",
                    eer(&g, &i).unwrap().rate,
                    g.len(),
                    i.len()
                );
            }
            _ => {
                let w = weights();
                let gallery: Vec<(String, _)> =
                    std::fs::read_to_string(dirs.inputs.join("gallery.csv"))
                        .unwrap()
                        .lines()
                        .skip(1)
                        .map(|l| {
                            let (p, id) = l.split_once(',').unwrap();
                            (id.to_string(), template(&img(&dirs.inputs, p)))
                        })
                        .collect();
                let (mut mated, mut r1, mut r5) = (0, 0, 0);
                for line in truth("probes.csv").lines().skip(1) {
                    let (p, id) = line.split_once(',').unwrap();
                    if id.is_empty() {
                        continue;
                    }
                    let t = template(&img(&dirs.inputs, p));
                    let mut s: Vec<(f64, &str)> = gallery
                        .iter()
                        .map(|(gid, gt)| (similarity(&t, gt, &w), gid.as_str()))
                        .collect();
                    s.sort_by(|a, b| b.0.total_cmp(&a.0));
                    let rank = s.iter().position(|(_, gid)| *gid == id).unwrap() + 1;
                    mated += 1;
                    r1 += usize::from(rank == 1);
                    r5 += usize::from(rank <= 5);
                }
                println!(
                    "identify: rank1 {:.3} rank5 {:.3} ({mated} mated)",
                    r1 as f64 / mated as f64,
                    r5 as f64 / mated as f64
                );
            }
        }
    }
    if std::env::var_os("VID_KEEP").is_none() {
        let _ = std::fs::remove_dir_all(&tmp);
    } else {
        println!("kept {}", tmp.display());
    }
}

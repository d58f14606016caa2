//! Generates a phantom dataset, runs `builtin:log-blob` on it and prints both suites'
//! metrics with timings: the tool used to check the generator's difficulty on a seed other
//! than the suites' default. `cargo run --release -p jiebang-medical-imaging --example
//! calibrate -- [seed] [studies] [dump-dir]` (dump-dir receives PGM images of the studies).

use jiebang_core::{
    BackendHandle, BuiltinContext, Dataset, DatasetDirs, GenerateParams, Manifest, ScoreContext,
    Task,
};
use jiebang_medical_imaging::MedicalImaging;
use jiebang_scorecard::BackendPin;
use std::collections::BTreeMap;
use std::io::Write;
use std::sync::Arc;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let seed: u64 = args.get(1).map(|s| s.parse()).transpose()?.unwrap_or(1);
    let n: u64 = args.get(2).map(|s| s.parse()).transpose()?.unwrap_or(300);
    let dump = args.get(3).cloned();
    let task = MedicalImaging::new();
    let dir = std::env::temp_dir().join(format!("jiebang-mi-calibrate-{seed}-{n}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let t = Instant::now();
    let suite = task.suites()[0].clone();
    let params = GenerateParams {
        samples: Some(n),
        seed: Some(seed),
    };
    let line = task.generate(&suite, &DatasetDirs::create(&dir)?, &params, &|_, _| {})?;
    Manifest::build(&dir, BTreeMap::new())?.write(&dir)?;
    let dataset = Dataset::open_verified(&dir)?;
    println!("{line}: generated + manifest in {:.2?}", t.elapsed());
    let backend = BackendHandle {
        pin: BackendPin {
            kind: "cpu".into(),
            device: "cpu".into(),
            vendor: None,
            api: None,
            driver: None,
            driver_info: None,
            device_type: None,
        },
        device: Arc::new(jiebang_accel::Device::cpu()),
    };
    for suite in task.suites() {
        let t = Instant::now();
        let samples = task.load(suite, &dataset)?;
        let load = t.elapsed();
        let sys = task.builtin(
            "log-blob",
            &BuiltinContext {
                suite: suite.clone(),
                library: samples.library.clone(),
                backend: backend.clone(),
            },
        )?;
        let t = Instant::now();
        let mut answers = Vec::new();
        for i in 0..samples.library.len() {
            answers.push((i, Some(sys.answer(i, &samples.library.query(i))?)));
        }
        let run = t.elapsed();
        let t = Instant::now();
        let scores = samples.scorer.score(
            &answers,
            &ScoreContext {
                suite: suite.clone(),
                seed,
                backend: backend.clone(),
                observed: Default::default(),
            },
        )?;
        println!(
            "{}: load {load:.2?}, answers {run:.2?}, score {:.2?}",
            suite.full_id(),
            t.elapsed()
        );
        for (id, m) in &scores.metrics {
            println!(
                "  {id:32} {:>8} {:?} n={}",
                m.value.map(|v| format!("{v:.4}")).unwrap_or("-".into()),
                m.ci95.map(|[a, b]| format!("[{a:.4}, {b:.4}]")),
                m.n
            );
        }
        {
            let (lib, truth) = jiebang_medical_imaging::scorer::load(suite, &dataset)?;
            let mut misses = Vec::new();
            let mut alarms = Vec::new();
            for (i, a) in &answers {
                let s = &truth.studies()[*i];
                let a = a.as_ref().ok_or("no answer")?;
                let called = a["positive"].as_bool().unwrap_or(false);
                let score = a["score"].as_f64().unwrap_or(0.0);
                if s.positive && !called {
                    misses.push(format!(
                        "{} {:?} score {score} lesions {:?}",
                        s.id, s.category, s.lesions
                    ));
                }
                if !s.positive && called {
                    alarms.push(format!(
                        "{} score {score} marks {}",
                        s.id,
                        a["lesions"]
                            .as_array()
                            .map(|v| v
                                .iter()
                                .take(2)
                                .map(|m| m.to_string())
                                .collect::<Vec<_>>()
                                .join(" "))
                            .unwrap_or_default()
                    ));
                }
            }
            if suite.id.ends_with("case-detection") {
                // Score distributions: best mark on a lesion (positives), case score (negatives).
                let mut hit: Vec<(f64, String)> = Vec::new();
                let mut neg: Vec<f64> = Vec::new();
                for (i, a) in &answers {
                    let s = &truth.studies()[*i];
                    let a = a.as_ref().ok_or("no answer")?;
                    let marks = a["lesions"].as_array().cloned().unwrap_or_default();
                    if s.positive {
                        let best = marks
                            .iter()
                            .filter(|m| {
                                s.lesions.iter().any(|l| {
                                    (l.x - m["x"].as_f64().unwrap_or(-1e9))
                                        .hypot(l.y - m["y"].as_f64().unwrap_or(-1e9))
                                        < l.r
                                })
                            })
                            .filter_map(|m| m["score"].as_f64())
                            .fold(0.0, f64::max);
                        hit.push((best, s.category.clone().unwrap_or_default()));
                    } else {
                        neg.push(a["score"].as_f64().unwrap_or(0.0));
                    }
                }
                let q = |v: &mut Vec<f64>| {
                    v.sort_by(f64::total_cmp);
                    [0.0, 0.02, 0.05, 0.1, 0.5, 0.9, 0.95, 0.97, 0.98, 1.0]
                        .iter()
                        .map(|p| format!("{:.1}", v[((v.len() - 1) as f64 * p) as usize]))
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                for cat in ["lung-nodule", "lung-mass", "liver-lesion"] {
                    let mut v: Vec<f64> = hit.iter().filter(|h| h.1 == cat).map(|h| h.0).collect();
                    println!(
                        "  lesion-hit score quantiles {cat:14} (0 2 5 10 50 90 95 97 98 100%): {}",
                        q(&mut v)
                    );
                }
                // Why lesions without a hitting mark were missed: the best extremum within r.
                let device = jiebang_accel::Device::cpu();
                let det = jiebang_medical_imaging::detector::LogBlobDetector::new(
                    &device,
                    jiebang_medical_imaging::detector::DetectorConfig::default(),
                );
                let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
                for (i, (best, _)) in truth
                    .studies()
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| s.positive)
                    .map(|(i, s)| (i, (s, ())))
                {
                    let img = &lib.read_slices(i)?[0];
                    let cands = det.explain(img)?;
                    for l in &best.lesions {
                        let near = cands
                            .iter()
                            .find(|c| (c.blob.x - l.x).hypot(c.blob.y - l.y) < l.r);
                        let why = match near {
                            None => "no extremum within r".to_string(),
                            Some(c) => c.rejected.unwrap_or("MARK").to_string(),
                        };
                        *reasons
                            .entry(format!(
                                "{:14} {why}",
                                best.category.clone().unwrap_or_default()
                            ))
                            .or_default() += 1;
                    }
                }
                for (k, v) in &reasons {
                    println!("  lesions: {k}: {v}");
                }
                println!(
                    "  negative case score quantiles (0 2 5 10 50 90 95 97 98 100%): {}",
                    q(&mut neg)
                );
                println!("  missed: {}", misses.len());
                for m in &misses {
                    println!("    {m}");
                }
                println!("  false alarms: {}", alarms.len());
                for m in &alarms {
                    println!("    {m}");
                }
            }
            if let Some(d) = &dump {
                std::fs::create_dir_all(d)?;
                for (i, s) in truth.studies().iter().enumerate().take(24) {
                    let img = &lib.read_slices(i)?[0];
                    let mut f = std::fs::File::create(format!("{d}/{}.pgm", s.id))?;
                    write!(f, "P5\n{} {}\n255\n", img.cols, img.rows)?;
                    let bytes: Vec<u8> = img
                        .data
                        .iter()
                        .map(|v| (((v + 160.0) / 400.0).clamp(0.0, 1.0) * 255.0) as u8)
                        .collect();
                    f.write_all(&bytes)?;
                }
            }
        }
    }
    Ok(())
}

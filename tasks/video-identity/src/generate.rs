//! The seeded generator of the three suites' default datasets: detect clips with `faces.csv`,
//! verification images with `pairs.csv`, and a gallery with mated and non-mated probes.

use crate::face::Identity;
use crate::layout::{
    FACES_FILE, FACES_HEADER, GALLERY_FILE, GALLERY_HEADER, PAIRS_FILE, PAIRS_HEADER, PROBES_FILE,
    PROBES_HEADER, frame_path,
};
use crate::portraits::portrait;
use crate::scenes::render_clip;
use crate::suites::{self, MAX_SAMPLES, SuiteKind};
use jiebang_core::{CoreError, DatasetDirs, GenerateParams, SuiteSpec};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::fmt::Write as _;
use std::path::Path;

/// Mixed into the seed for the permutation that names identification probes.
const PROBE_NAMES_STREAM: u64 = 0x9e37_79b9_7f4a_7c15;

/// Identities the detect clips draw their faces from.
const SCENE_PEOPLE: usize = 40;

/// Writes the dataset of `suite` into `out`; returns the generator's one-line description.
pub fn generate(
    suite: &SuiteSpec,
    out: &DatasetDirs,
    params: &GenerateParams,
    progress: &dyn Fn(u64, u64),
) -> Result<String, CoreError> {
    let kind = suites::protocol(suite)?.answer;
    let n = suite.in_range(
        "dataset.samples",
        params.samples_for(suite)?,
        1..=MAX_SAMPLES,
    )?;
    let seed = params.seed_for(suite);
    match kind {
        SuiteKind::Faces => scenes(suite, out, n, seed, progress),
        SuiteKind::Score => pairs(suite, out, n, seed, progress),
        SuiteKind::Candidates => gallery(suite, out, n, seed, progress),
    }
}

fn write(root: &Path, rel: &str, bytes: &[u8]) -> Result<(), CoreError> {
    let path = root.join(rel);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| CoreError::io(dir, e))?;
    }
    std::fs::write(&path, bytes).map_err(|e| CoreError::io(&path, e))
}

fn people(rng: &mut ChaCha8Rng, n: usize) -> Vec<Identity> {
    (0..n).map(|_| Identity::random(rng)).collect()
}

fn scenes(
    suite: &SuiteSpec,
    out: &DatasetDirs,
    frames: u64,
    seed: u64,
    progress: &dyn Fn(u64, u64),
) -> Result<String, CoreError> {
    let settings = suites::scene_settings(suite)?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let cast = people(&mut rng, SCENE_PEOPLE);
    let mut csv = format!("{FACES_HEADER}\n");
    let (mut done, mut clip) = (0u64, 0u64);
    while done < frames {
        let len = settings.clip_frames.min(frames - done);
        let name = format!("c{clip:03}");
        for (frame, (img, faces)) in render_clip(&settings, &cast, seed, clip, len)
            .into_iter()
            .enumerate()
        {
            let rel = frame_path(&name, frame as u32);
            write(&out.inputs, &rel, &img.to_png())?;
            for f in faces {
                let _ = writeln!(
                    csv,
                    "{rel},{name},{frame},{},{},{},{},{},{}",
                    f.track, f.identity, f.x, f.y, f.w, f.h
                );
            }
            done += 1;
            progress(done, frames);
        }
        clip += 1;
    }
    write(&out.truth, FACES_FILE, csv.as_bytes())?;
    Ok(format!(
        "face-scenes:1 seed={seed} samples={frames} clips={clip} size={}x{}",
        settings.width, settings.height
    ))
}

fn pairs(
    suite: &SuiteSpec,
    out: &DatasetDirs,
    n: u64,
    seed: u64,
    progress: &dyn Fn(u64, u64),
) -> Result<String, CoreError> {
    let s = suites::portrait_settings(suite)?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let subjects = people(&mut rng, s.subjects as usize);
    // Opaque, shuffled file names: a folder or number per subject would tell a system which
    // pairs are mated.
    let mut names: Vec<usize> = (0..(s.subjects * s.images_per_subject) as usize).collect();
    names.shuffle(&mut rng);
    let image = |subject: u32, k: u32| {
        let slot = (subject * s.images_per_subject + k) as usize;
        format!("images/i{:05}.png", names[slot])
    };
    for (i, who) in subjects.iter().enumerate() {
        for k in 0..s.images_per_subject {
            write(
                &out.inputs,
                &image(i as u32, k),
                &portrait(&mut rng, who, s.size, false).to_png(),
            )?;
        }
    }
    let genuine = share(n, s.genuine_fraction);
    let mut csv = format!("{PAIRS_HEADER}\n");
    for i in 0..n {
        let mated = is_spread(i, n, genuine);
        let a = rng.random_range(0..s.subjects);
        let b = if mated {
            a
        } else {
            (a + rng.random_range(1..s.subjects)) % s.subjects
        };
        let ka = rng.random_range(0..s.images_per_subject);
        let kb = if mated {
            (ka + rng.random_range(1..s.images_per_subject)) % s.images_per_subject
        } else {
            rng.random_range(0..s.images_per_subject)
        };
        let _ = writeln!(csv, "{},{},{}", image(a, ka), image(b, kb), u8::from(mated));
        progress(i + 1, n);
    }
    write(&out.truth, PAIRS_FILE, csv.as_bytes())?;
    Ok(format!(
        "face-portraits:1 seed={seed} samples={n} subjects={} genuine={genuine} size={}",
        s.subjects, s.size
    ))
}

/// `fraction` of `n`, rounded, but at least one of each kind when the fraction is strictly
/// between 0 and 1 and `n` ≥ 2 (so that even a tiny dataset has both kinds).
fn share(n: u64, fraction: f64) -> u64 {
    let k = ((n as f64 * fraction).round() as u64).min(n);
    if n >= 2 && fraction > 0.0 && fraction < 1.0 {
        k.clamp(1, n - 1)
    } else {
        k
    }
}

/// Whether sample `i` of `n` is one of the `k` spread evenly over `0..n` (so that mated and
/// non-mated samples interleave and any prefix of the dataset holds both).
fn is_spread(i: u64, n: u64, k: u64) -> bool {
    k > 0 && (i * k) / n != ((i + 1) * k) / n
}

fn gallery(
    suite: &SuiteSpec,
    out: &DatasetDirs,
    n: u64,
    seed: u64,
    progress: &dyn Fn(u64, u64),
) -> Result<String, CoreError> {
    let s = suites::portrait_settings(suite)?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let enrolled = people(&mut rng, s.gallery as usize);
    let mut list = format!("{GALLERY_HEADER}\n");
    for (i, who) in enrolled.iter().enumerate() {
        let rel = format!("gallery/id{i:04}.png");
        write(
            &out.inputs,
            &rel,
            &portrait(&mut rng, who, s.size, true).to_png(),
        )?;
        let _ = writeln!(list, "{rel},id{i:04}");
    }
    write(&out.inputs, GALLERY_FILE, list.as_bytes())?;
    let mated = share(n, s.mated_fraction);
    // Probe names from their own seeded permutation: numbered in generation order, a probe's
    // number would say whether it is mated (mated and non-mated probes are interleaved by
    // index). A separate stream leaves the images themselves as they were.
    let mut names: Vec<u32> = (0..n as u32).collect();
    names.shuffle(&mut ChaCha8Rng::seed_from_u64(seed ^ PROBE_NAMES_STREAM));
    let mut truth = format!("{PROBES_HEADER}\n");
    for i in 0..n {
        let rel = format!("probes/{:04}.png", names[i as usize]);
        let (img, identity) = if is_spread(i, n, mated) {
            let k = rng.random_range(0..s.gallery);
            (
                portrait(&mut rng, &enrolled[k as usize], s.size, false),
                format!("id{k:04}"),
            )
        } else {
            let stranger = Identity::random(&mut rng);
            (portrait(&mut rng, &stranger, s.size, false), String::new())
        };
        write(&out.inputs, &rel, &img.to_png())?;
        let _ = writeln!(truth, "{rel},{identity}");
        progress(i + 1, n);
    }
    write(&out.truth, PROBES_FILE, truth.as_bytes())?;
    Ok(format!(
        "face-portraits:1 seed={seed} samples={n} gallery={} mated={mated} size={}",
        s.gallery, s.size
    ))
}

#[cfg(test)]
mod tests {
    use super::is_spread;

    #[test]
    fn spread_picks_exactly_k_interleaved() {
        let picked: Vec<u64> = (0..10).filter(|&i| is_spread(i, 10, 3)).collect();
        assert_eq!(picked.len(), 3);
        assert_eq!((0..7).filter(|&i| is_spread(i, 7, 7)).count(), 7);
        assert_eq!((0..7).filter(|&i| is_spread(i, 7, 0)).count(), 0);
    }
}

//! 1:N top-k and 1:1 pair scores against a naive f64 brute force on seeded cases (ties, k > n,
//! failed rows, block boundaries), on every backend that opens: wgpu skips without an adapter
//! unless `JIEBANG_REQUIRE_WGPU=1`; CUDA skips without a device. Bad templates are refused.

use jiebang_accel::templates::{Candidate, TemplateError, TemplateSet, TopK, check};
use jiebang_accel::{AccelError, BackendKind, Device};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Raw templates plus which ones are to be pushed as failed (NaN, zero, or missing).
struct Case {
    dim: usize,
    gallery: Vec<Option<Vec<f32>>>,
    probes: Vec<Option<Vec<f32>>>,
}

fn random_rows(
    rng: &mut ChaCha8Rng,
    n: usize,
    dim: usize,
    fail_every: usize,
) -> Vec<Option<Vec<f32>>> {
    (0..n)
        .map(|i| {
            if fail_every > 0 && i % fail_every == fail_every - 1 {
                None
            } else {
                Some((0..dim).map(|_| rng.random_range(-1.0f32..1.0)).collect())
            }
        })
        .collect()
}

fn random_case(seed: u64, n: usize, p: usize, dim: usize, fail_every: usize) -> Case {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    Case {
        dim,
        gallery: random_rows(&mut rng, n, dim, fail_every),
        probes: random_rows(&mut rng, p, dim, fail_every),
    }
}

/// Builds a set; failed rows alternate between a NaN template, a zero one and no template.
fn set(dim: usize, rows: &[Option<Vec<f32>>]) -> TemplateSet {
    let mut s = TemplateSet::new(dim).unwrap();
    for (i, r) in rows.iter().enumerate() {
        match r {
            Some(t) => assert_eq!(s.push(t), Ok(i)),
            None if i % 3 == 0 => {
                let mut t = vec![1.0; dim];
                t[dim / 2] = f32::NAN;
                assert!(matches!(s.push(&t), Err(TemplateError::NotFinite { .. })));
            }
            None if i % 3 == 1 => {
                assert_eq!(s.push(&vec![0.0; dim]), Err(TemplateError::ZeroNorm));
            }
            None => {
                s.push_failed();
            }
        }
    }
    s
}

fn cosine(a: &[f32], b: &[f32]) -> f64 {
    let dot: f64 = a
        .iter()
        .zip(b)
        .map(|(&x, &y)| f64::from(x) * f64::from(y))
        .sum();
    let na: f64 = a.iter().map(|&x| f64::from(x).powi(2)).sum::<f64>().sqrt();
    let nb: f64 = b.iter().map(|&x| f64::from(x).powi(2)).sum::<f64>().sqrt();
    dot / (na * nb)
}

/// Brute force: every usable gallery row scored in f64, sorted by score then lower row.
fn reference(case: &Case, k: usize) -> Vec<Vec<(usize, f64)>> {
    case.probes
        .iter()
        .map(|probe| {
            let Some(probe) = probe else {
                return Vec::new();
            };
            let mut all: Vec<(usize, f64)> = case
                .gallery
                .iter()
                .enumerate()
                .filter_map(|(j, g)| g.as_ref().map(|g| (j, cosine(probe, g))))
                .collect();
            all.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            all.truncate(k);
            all
        })
        .collect()
}

/// Same lengths, scores within `tol` rank by rank, and where a row differs from the
/// reference's it is a near-tie: the reference scores both rows within `tol`.
fn assert_matches_reference(case: &Case, k: usize, got: &TopK, tol: f64, what: &str) {
    let want = reference(case, k);
    assert_eq!(got.len(), want.len(), "{what}: probe count");
    for (i, want) in want.iter().enumerate() {
        let got = got.probe(i);
        assert_eq!(got.len(), want.len(), "{what}: probe {i}: candidates");
        for (r, (c, &(j, s))) in got.iter().zip(want).enumerate() {
            assert!(
                (f64::from(c.score) - s).abs() <= tol,
                "{what}: probe {i} rank {r}: score {} vs reference {s}",
                c.score
            );
            if c.index != j {
                let g = case.gallery[c.index]
                    .as_ref()
                    .expect("a failed row was returned");
                let s_got = cosine(case.probes[i].as_ref().unwrap(), g);
                assert!(
                    (s_got - s).abs() <= tol,
                    "{what}: probe {i} rank {r}: row {} (ref score {s_got}) instead of row {j} ({s})",
                    c.index
                );
            }
        }
        let mut rows: Vec<usize> = got.iter().map(|c| c.index).collect();
        rows.sort_unstable();
        rows.dedup();
        assert_eq!(rows.len(), got.len(), "{what}: probe {i}: a row twice");
    }
}

fn random_cases() -> Vec<(Case, usize)> {
    vec![
        (random_case(1, 1, 1, 3, 0), 1),
        (random_case(2, 7, 5, 4, 0), 3),
        (random_case(3, 7, 5, 4, 0), 20),    // k > n
        (random_case(4, 50, 20, 16, 4), 10), // failed rows on both sides
        (random_case(5, 300, 70, 33, 7), 5),
        (random_case(6, 300, 70, 33, 0), 300),
        (random_case(7, 1000, 40, 128, 0), 10),
    ]
}

/// Exact ties: duplicate gallery rows and one-hot probes (every product exact), spanning the
/// CPU and GPU block boundaries; equal scores must come out by lower row.
fn tie_case() -> Case {
    let n = 20_000;
    let gallery = (0..n)
        .map(|j| match j % 5 {
            0 | 2 => Some(vec![0.0, 1.0, 0.0]),
            1 => Some(vec![1.0, 0.0, 0.0]),
            3 => None,
            _ => Some(vec![0.0, 1.0, 1.0]),
        })
        .collect();
    let probes = (0..2100)
        .map(|i| match i % 3 {
            0 => Some(vec![0.0, 2.0, 0.0]),
            1 => Some(vec![1.0, 0.0, 0.0]),
            _ => None,
        })
        .collect();
    Case {
        dim: 3,
        gallery,
        probes,
    }
}

fn check_device(device: &Device, tol: f64) {
    let what = device.kind().to_string();
    for (case, k) in random_cases() {
        let (g, p) = (set(case.dim, &case.gallery), set(case.dim, &case.probes));
        let got = device.top_k(&g, &p, k).unwrap();
        assert_matches_reference(&case, k, &got, tol, &what);
    }
    let case = tie_case();
    let (g, p) = (set(case.dim, &case.gallery), set(case.dim, &case.probes));
    let got = device.top_k(&g, &p, 4).unwrap();
    let rows = |i: usize| got.probe(i).iter().map(|c| c.index).collect::<Vec<_>>();
    assert_eq!(rows(0), vec![0, 2, 5, 7], "{what}");
    assert_eq!(rows(2097), vec![0, 2, 5, 7], "{what}: last probe block");
    assert_eq!(rows(2098), vec![1, 6, 11, 16], "{what}: last probe block");
    assert_eq!(rows(1), vec![1, 6, 11, 16], "{what}");
    assert_eq!(rows(2), Vec::<usize>::new(), "{what}: failed probe");
    assert_eq!(got.probe(0)[0].score, 1.0, "{what}");
    // k = 12,000: every usable row of score 1 (rows 0 and 2 mod 5), then those of 1/√2
    // (4 mod 5), each group by lower row, across every block boundary.
    let mut two = TemplateSet::new(3).unwrap();
    two.push(&[0.0, 3.0, 0.0]).unwrap();
    two.push_failed();
    let all = device.top_k(&g, &two, 12_000).unwrap();
    let best: Vec<usize> = all.probe(0).iter().map(|c| c.index).collect();
    let ones: Vec<usize> = (0..20_000).filter(|j| j % 5 == 0 || j % 5 == 2).collect();
    let halves: Vec<usize> = (0..20_000).filter(|j| j % 5 == 4).collect();
    assert_eq!(best[..8000], ones[..], "{what}");
    assert_eq!(best[8000..], halves[..], "{what}");
    assert!(all.probe(1).is_empty(), "{what}");
}

#[test]
fn cpu_top_k_equals_the_naive_reference() {
    check_device(&Device::cpu(), 1e-5);
}

#[test]
fn wgpu_top_k_equals_the_naive_reference_and_the_cpu() {
    let device = match Device::open(BackendKind::Wgpu) {
        Ok(d) => d,
        Err(e) => {
            if std::env::var("JIEBANG_REQUIRE_WGPU").as_deref() == Ok("1") {
                panic!("JIEBANG_REQUIRE_WGPU=1 but the wgpu backend did not open: {e}");
            }
            assert!(
                matches!(e, AccelError::NoWgpuAdapter(_)),
                "unexpected error: {e}"
            );
            eprintln!("SKIPPED: {e}");
            return;
        }
    };
    check_device(&device, 1e-5);
    let case = random_case(11, 400, 60, 64, 9);
    let (g, p) = (set(case.dim, &case.gallery), set(case.dim, &case.probes));
    let (a, b) = (
        device.top_k(&g, &p, 7).unwrap(),
        Device::cpu().top_k(&g, &p, 7).unwrap(),
    );
    for i in 0..p.len() {
        for (x, y) in a.probe(i).iter().zip(b.probe(i)) {
            assert!(
                (x.score - y.score).abs() <= 1e-5,
                "probe {i}: {x:?} vs {y:?}"
            );
        }
        assert_eq!(a.probe(i).len(), b.probe(i).len());
    }
}

#[test]
fn cuda_top_k_equals_the_naive_reference_when_a_device_exists() {
    match Device::open(BackendKind::Cuda) {
        Ok(device) => check_device(&device, 1e-4),
        Err(e) => {
            assert!(
                matches!(e, AccelError::NoCudaDevice(_)),
                "unexpected error: {e}"
            );
            eprintln!("SKIPPED: {e}");
        }
    }
}

#[test]
fn pair_scores_equal_the_reference_and_failed_rows_give_none() {
    let case = random_case(21, 40, 30, 24, 5);
    let (a, b) = (set(case.dim, &case.gallery), set(case.dim, &case.probes));
    let pairs: Vec<(usize, usize)> = (0..60).map(|i| ((i * 7) % 40, (i * 11) % 30)).collect();
    let got = Device::cpu().pair_scores(&a, &b, &pairs).unwrap();
    for (&(i, j), s) in pairs.iter().zip(&got) {
        match (&case.gallery[i], &case.probes[j]) {
            (Some(x), Some(y)) => {
                let s = s.expect("both rows usable");
                assert!(
                    (f64::from(s) - cosine(x, y)).abs() < 1e-6,
                    "pair ({i}, {j})"
                );
            }
            _ => assert_eq!(*s, None, "pair ({i}, {j})"),
        }
    }
}

#[test]
fn bad_templates_and_requests_are_refused_with_what_was_expected() {
    assert_eq!(
        check(&[1.0; 511], 512).unwrap_err().to_string(),
        "template has 511 values, expected 512 (the run's template dimension)"
    );
    assert_eq!(
        check(&[1.0, f32::NAN], 2).unwrap_err().to_string(),
        "template value 1 is NaN, expected a finite number"
    );
    assert!(
        check(&[0.0, -0.0], 2)
            .unwrap_err()
            .to_string()
            .contains("zero norm")
    );
    let mut g = TemplateSet::new(3).unwrap();
    g.push(&[1.0, 2.0, 3.0]).unwrap();
    let mut p = TemplateSet::new(4).unwrap();
    p.push(&[1.0, 2.0, 3.0, 4.0]).unwrap();
    let device = Device::cpu();
    let e = device.top_k(&g, &p, 1).unwrap_err();
    assert_eq!(
        e.to_string(),
        "gallery templates have dimension 3, probe templates 4: expected the same"
    );
    let huge = device.top_k(&g, &g, usize::MAX).unwrap();
    assert_eq!(huge.probe(0).len(), 1, "k is capped at the gallery size");
    let e = device.top_k(&g, &g, 0).unwrap_err();
    assert!(
        matches!(e, AccelError::Template(TemplateError::ZeroK)),
        "{e}"
    );
    let e = device.pair_scores(&g, &g, &[(0, 0), (0, 1)]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "pair 1: row 1 of set b does not exist (expected < 1)"
    );
    // An empty gallery gives empty candidate lists, not an error.
    let empty = TemplateSet::new(3).unwrap();
    let top = device.top_k(&empty, &g, 5).unwrap();
    assert_eq!(top.probe(0), &[] as &[Candidate]);
}

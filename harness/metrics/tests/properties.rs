//! Property tests: invariances (sample permutations, monotone score transforms), bounds, and
//! agreement between the fast implementations and naive ones on random inputs.

use jiebang_metrics::biometrics::{det_curve, eer, mate_rank};
use jiebang_metrics::bootstrap::{BootstrapSettings, Units, bootstrap};
use jiebang_metrics::curve::{AxisScale, thin_indices};
use jiebang_metrics::detection::{roc_auc, roc_auc_delong, roc_curve};
use jiebang_metrics::froc::{Candidate, FrocSettings, Lesion, LesionKind, froc};
use jiebang_metrics::latency::{PercentileMethod, percentile};
use jiebang_metrics::proportion::{clopper_pearson_interval, wilson_interval};
use jiebang_metrics::speech::{Normalization, Tokenization, align, error_rate};
use jiebang_metrics::translation::{BleuSettings, ChrfSettings, corpus_bleu, corpus_chrf};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 64,
        ..ProptestConfig::default()
    }
}

/// Scores on a small integer grid (many ties) with labels containing both classes.
fn scored_labels() -> impl Strategy<Value = (Vec<f64>, Vec<bool>)> {
    prop::collection::vec((0i32..12, any::<bool>()), 4..80)
        .prop_filter("both classes", |v| {
            v.iter().any(|x| x.1) && v.iter().any(|x| !x.1)
        })
        .prop_map(|v| v.into_iter().map(|(s, y)| (s as f64, y)).unzip())
}

fn naive_auc(scores: &[f64], labels: &[bool]) -> f64 {
    let (mut sum, mut pairs) = (0.0, 0.0);
    for (i, &si) in scores.iter().enumerate() {
        for (j, &sj) in scores.iter().enumerate() {
            if labels[i] && !labels[j] {
                pairs += 1.0;
                sum += if si > sj {
                    1.0
                } else if si == sj {
                    0.5
                } else {
                    0.0
                };
            }
        }
    }
    sum / pairs
}

fn naive_delong_variance(scores: &[f64], labels: &[bool]) -> f64 {
    let pos: Vec<f64> = scores
        .iter()
        .zip(labels)
        .filter(|p| *p.1)
        .map(|p| *p.0)
        .collect();
    let neg: Vec<f64> = scores
        .iter()
        .zip(labels)
        .filter(|p| !*p.1)
        .map(|p| *p.0)
        .collect();
    let psi = |x: f64, y: f64| {
        if x > y {
            1.0
        } else if x == y {
            0.5
        } else {
            0.0
        }
    };
    let v10: Vec<f64> = pos
        .iter()
        .map(|&x| neg.iter().map(|&y| psi(x, y)).sum::<f64>() / neg.len() as f64)
        .collect();
    let v01: Vec<f64> = neg
        .iter()
        .map(|&y| pos.iter().map(|&x| psi(x, y)).sum::<f64>() / pos.len() as f64)
        .collect();
    let var = |v: &[f64]| {
        let m = v.iter().sum::<f64>() / v.len() as f64;
        v.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (v.len() - 1) as f64
    };
    var(&v10) / pos.len() as f64 + var(&v01) / neg.len() as f64
}

fn levenshtein(a: &[u8], b: &[u8]) -> u64 {
    let mut prev: Vec<u64> = (0..=b.len() as u64).collect();
    for (i, x) in a.iter().enumerate() {
        let mut cur = vec![i as u64 + 1];
        for (j, y) in b.iter().enumerate() {
            cur.push(
                (prev[j] + u64::from(x != y))
                    .min(prev[j + 1] + 1)
                    .min(cur[j] + 1),
            );
        }
        prev = cur;
    }
    prev[b.len()]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn auc_fast_equals_naive_and_curve_area((scores, labels) in scored_labels()) {
        let fast = roc_auc(&scores, &labels).unwrap();
        prop_assert!((fast - naive_auc(&scores, &labels)).abs() <= 1e-12);
        for drop in [false, true] {
            let area = roc_curve(&scores, &labels, drop).unwrap().trapezoid_area();
            prop_assert!((area - fast).abs() <= 1e-12);
        }
        prop_assert!((0.0..=1.0).contains(&fast));
    }

    #[test]
    fn auc_is_invariant_to_permutation_and_monotone_transforms(
        (scores, labels) in scored_labels(), seed in any::<u64>()
    ) {
        let base = roc_auc(&scores, &labels).unwrap();
        let mut idx: Vec<usize> = (0..scores.len()).collect();
        let mut state = seed | 1;
        for i in (1..idx.len()).rev() {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17;
            idx.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let s2: Vec<f64> = idx.iter().map(|&i| scores[i]).collect();
        let l2: Vec<bool> = idx.iter().map(|&i| labels[i]).collect();
        prop_assert_eq!(roc_auc(&s2, &l2).unwrap(), base);
        // x -> x^3 + 5x is strictly increasing and exact on this integer grid.
        let s3: Vec<f64> = scores.iter().map(|x| x * x * x + 5.0 * x).collect();
        prop_assert_eq!(roc_auc(&s3, &labels).unwrap(), base);
        let flipped: Vec<f64> = scores.iter().map(|x| -x).collect();
        prop_assert!((roc_auc(&flipped, &labels).unwrap() - (1.0 - base)).abs() <= 1e-12);
    }

    #[test]
    fn delong_fast_equals_naive((scores, labels) in scored_labels()) {
        let positives = labels.iter().filter(|&&y| y).count();
        prop_assume!(positives >= 2 && labels.len() - positives >= 2);
        let d = roc_auc_delong(&scores, &labels, 0.95).unwrap();
        let naive = naive_delong_variance(&scores, &labels);
        prop_assert!((d.variance - naive).abs() <= 1e-12 * naive.max(1e-300) + 1e-18);
        prop_assert!(d.interval.lo <= d.auc && d.auc <= d.interval.hi);
    }

    #[test]
    fn det_and_eer_are_invariant_to_monotone_transforms(
        genuine in prop::collection::vec(0i32..20, 1..40), impostor in prop::collection::vec(0i32..20, 1..40)
    ) {
        let g: Vec<f64> = genuine.iter().map(|&x| x as f64).collect();
        let i: Vec<f64> = impostor.iter().map(|&x| x as f64).collect();
        let t = |v: &[f64]| -> Vec<f64> { v.iter().map(|x| 2.0 * x + 7.0).collect() };
        let e1 = eer(&g, &i).unwrap();
        let e2 = eer(&t(&g), &t(&i)).unwrap();
        prop_assert_eq!(e1.rate, e2.rate);
        prop_assert!((0.0..=1.0).contains(&e1.rate));
        let d1 = det_curve(&g, &i).unwrap();
        let d2 = det_curve(&t(&g), &t(&i)).unwrap();
        prop_assert_eq!(d1.len(), d2.len());
        for (a, b) in d1.iter().zip(&d2) {
            prop_assert_eq!((a.fmr, a.fnmr), (b.fmr, b.fnmr));
        }
        // Along the DET (increasing threshold) FMR never rises and FNMR never falls.
        for w in d1.windows(2) {
            prop_assert!(w[1].fmr <= w[0].fmr && w[1].fnmr >= w[0].fnmr);
        }
    }

    #[test]
    fn mate_rank_is_invariant_to_gallery_order(scores in prop::collection::vec(0i32..6, 1..20), mate_seed in any::<usize>()) {
        let s: Vec<f64> = scores.iter().map(|&x| x as f64).collect();
        let mate = mate_seed % s.len();
        let rank = mate_rank(&s, mate).unwrap();
        let reversed: Vec<f64> = s.iter().rev().copied().collect();
        prop_assert_eq!(mate_rank(&reversed, s.len() - 1 - mate).unwrap(), rank);
        prop_assert!(rank >= 1 && rank <= s.len());
    }

    #[test]
    fn alignment_counts_are_consistent_and_minimal(
        a in prop::collection::vec(0u8..4, 0..25), b in prop::collection::vec(0u8..4, 0..25)
    ) {
        let c = align(&a, &b);
        prop_assert_eq!(c.reference_len(), a.len() as u64);
        prop_assert_eq!(c.hypothesis_len(), b.len() as u64);
        prop_assert_eq!(c.errors(), levenshtein(&a, &b));
        prop_assert_eq!(align(&b, &a).errors(), c.errors());
    }

    #[test]
    fn corpus_wer_is_invariant_to_utterance_order(
        pairs in prop::collection::vec((prop::collection::vec(0u8..5, 1..8), prop::collection::vec(0u8..5, 0..8)), 1..15)
    ) {
        let words = ["a", "b", "c", "d", "e"];
        let text = |v: &[u8]| v.iter().map(|&i| words[i as usize]).collect::<Vec<_>>().join(" ");
        let refs: Vec<String> = pairs.iter().map(|p| text(&p.0)).collect();
        let hyps: Vec<String> = pairs.iter().map(|p| text(&p.1)).collect();
        let r: Vec<&str> = refs.iter().map(String::as_str).collect();
        let h: Vec<&str> = hyps.iter().map(String::as_str).collect();
        let n = Normalization::default();
        let forward = error_rate(&r, &h, Tokenization::Words, &n).unwrap();
        let rr: Vec<&str> = r.iter().rev().copied().collect();
        let hr: Vec<&str> = h.iter().rev().copied().collect();
        let backward = error_rate(&rr, &hr, Tokenization::Words, &n).unwrap();
        prop_assert_eq!(forward, backward);
        prop_assert!(forward.rate >= 0.0);
    }

    #[test]
    fn bleu_and_chrf_are_invariant_to_segment_order_and_bounded(
        pairs in prop::collection::vec((prop::collection::vec(0u8..6, 1..12), prop::collection::vec(0u8..6, 0..12)), 1..12)
    ) {
        let words = ["the", "cat", "sat", "on", "a", "mat."];
        let text = |v: &[u8]| v.iter().map(|&i| words[i as usize]).collect::<Vec<_>>().join(" ");
        let hyps: Vec<String> = pairs.iter().map(|p| text(&p.1)).collect();
        let refs = vec![pairs.iter().map(|p| text(&p.0)).collect::<Vec<_>>()];
        let b1 = corpus_bleu(&hyps, &refs, &BleuSettings::default()).unwrap();
        let c1 = corpus_chrf(&hyps, &refs, &ChrfSettings::default()).unwrap();
        let hyps_r: Vec<String> = hyps.iter().rev().cloned().collect();
        let refs_r = vec![refs[0].iter().rev().cloned().collect::<Vec<_>>()];
        prop_assert_eq!(corpus_bleu(&hyps_r, &refs_r, &BleuSettings::default()).unwrap().score, b1.score);
        prop_assert_eq!(corpus_chrf(&hyps_r, &refs_r, &ChrfSettings::default()).unwrap().score, c1.score);
        prop_assert!((0.0..=100.0 + 1e-9).contains(&b1.score));
        prop_assert!((0.0..=100.0 + 1e-9).contains(&c1.score));
    }

    #[test]
    fn proportion_intervals_bracket_the_rate(x in 0u32..200, extra in 0u32..200) {
        let n = (x + extra).max(1) as f64;
        let x = x as f64;
        for i in [wilson_interval(x, n, 0.95).unwrap(), clopper_pearson_interval(x, n, 0.95).unwrap()] {
            prop_assert!(0.0 <= i.lo && i.lo <= x / n && x / n <= i.hi && i.hi <= 1.0);
        }
        if x + 1.0 <= n {
            let a = clopper_pearson_interval(x, n, 0.95).unwrap();
            let b = clopper_pearson_interval(x + 1.0, n, 0.95).unwrap();
            prop_assert!(b.lo >= a.lo && b.hi >= a.hi);
        }
    }

    #[test]
    fn froc_is_invariant_to_candidate_order(
        cands in prop::collection::vec((0usize..4, -20i32..20, 0u8..10), 1..40), seed in any::<u64>()
    ) {
        let lesions = [
            Lesion { case: 0, center: [0.0, 0.0, 0.0], diameter_mm: 8.0, kind: LesionKind::Included },
            Lesion { case: 2, center: [5.0, 0.0, 0.0], diameter_mm: 6.0, kind: LesionKind::Included },
            Lesion { case: 1, center: [-5.0, 0.0, 0.0], diameter_mm: -1.0, kind: LesionKind::Excluded },
        ];
        let mut candidates: Vec<Candidate> = cands.iter()
            .map(|&(case, x, p)| Candidate { case, center: [x as f64, 0.0, 0.0], probability: p as f64 / 10.0 })
            .collect();
        let settings = FrocSettings { max_candidates_per_case: Some(3), ..Default::default() };
        let a = froc(4, &lesions, &candidates, &settings).unwrap();
        let k = (seed as usize) % candidates.len();
        candidates.rotate_left(k);
        candidates.reverse();
        let b = froc(4, &lesions, &candidates, &settings).unwrap();
        prop_assert_eq!(a.cpm, b.cpm);
        prop_assert_eq!(a.false_positives, b.false_positives);
        prop_assert!((0.0..=1.0).contains(&a.cpm));
    }

    #[test]
    fn percentiles_are_order_free_and_monotone(v in prop::collection::vec(0u64..1000, 1..100), p in 0.0f64..0.99) {
        let mut r = v.clone();
        r.reverse();
        for m in [PercentileMethod::LoadGen, PercentileMethod::NearestRank] {
            let a = percentile(&v, p, m).unwrap();
            prop_assert_eq!(a, percentile(&r, p, m).unwrap());
            prop_assert!(a <= percentile(&v, p + 0.005, m).unwrap());
        }
    }

    #[test]
    fn bootstrap_percentile_interval_lies_within_the_replicates(data in prop::collection::vec(-50i32..50, 2..40), seed in any::<u64>()) {
        let d: Vec<f64> = data.iter().map(|&x| x as f64).collect();
        let mean = |idx: &[usize]| -> jiebang_metrics::Result<f64> { Ok(idx.iter().map(|&i| d[i]).sum::<f64>() / idx.len() as f64) };
        let s = BootstrapSettings { resamples: 50, seed, ..Default::default() };
        let r = bootstrap(&Units::samples(d.len()), mean, &s).unwrap();
        let lo = r.replicates.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = r.replicates.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        prop_assert!(lo <= r.interval.lo && r.interval.hi <= hi);
        let again = bootstrap(&Units::samples(d.len()), mean, &s).unwrap();
        prop_assert_eq!(r, again);
    }

    #[test]
    fn thinning_keeps_the_ends_and_a_growing_limit_only_adds_points(
        (scores, labels) in scored_labels(),
        limit in 2usize..12,
        log in any::<bool>(),
    ) {
        let points: Vec<[f64; 2]> = roc_curve(&scores, &labels, false)
            .unwrap()
            .points
            .iter()
            .map(|p| [p.fpr, p.tpr])
            .collect();
        let scale = if log { AxisScale::Log } else { AxisScale::Linear };
        let a = thin_indices(&points, limit, [scale, scale]).unwrap();
        let b = thin_indices(&points, limit + 1, [scale, scale]).unwrap();
        prop_assert!(a.len() <= limit && a[0] == 0 && a[a.len() - 1] == points.len() - 1);
        prop_assert!(a.windows(2).all(|w| w[0] < w[1]));
        prop_assert!(a.iter().all(|i| b.contains(i)), "{:?} not within {:?}", a, b);
    }
}

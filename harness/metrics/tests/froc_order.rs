//! Property test: the FROC analysis does not depend on the order of the reference findings
//! (LUNA16 matches included lesions before excluded findings, whatever the annotation order).

use jiebang_metrics::froc::{Candidate, FrocSettings, Lesion, LesionKind, froc};
use proptest::prelude::*;

/// A small linear congruential generator (Knuth's MMIX constants) for seeded shuffles.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// Fisher–Yates shuffle of `items` driven by `seed`.
fn shuffled<T: Clone>(items: &[T], seed: u64) -> Vec<T> {
    let mut rng = Lcg(seed);
    let mut out = items.to_vec();
    for i in (1..out.len()).rev() {
        out.swap(i, rng.below(i + 1));
    }
    out
}

/// Findings and marks on a coarse grid of one axis, so that included lesions, excluded
/// findings and candidates overlap often; at least one included lesion.
fn scenario() -> impl Strategy<Value = (usize, Vec<Lesion>, Vec<Candidate>)> {
    let lesion = (
        0usize..3,
        0i32..8,
        prop::sample::select(vec![-1.0, 4.0, 9.0, 14.0]),
        any::<bool>(),
    )
        .prop_map(|(case, x, d, included)| Lesion {
            case,
            center: [4.0 * x as f64, 0.0, 0.0],
            diameter_mm: d,
            kind: if included {
                LesionKind::Included
            } else {
                LesionKind::Excluded
            },
        });
    let candidate = (0usize..3, 0i32..64, 0i32..6).prop_map(|(case, x, p)| Candidate {
        case,
        center: [0.5 * x as f64, 0.0, 0.0],
        probability: p as f64 / 5.0,
    });
    (
        prop::collection::vec(lesion, 1..10),
        prop::collection::vec(candidate, 0..30),
    )
        .prop_map(|(mut lesions, candidates)| {
            lesions[0].kind = LesionKind::Included;
            (3, lesions, candidates)
        })
}

/// The case the issue reported: an excluded finding listed before an included lesion, with
/// a candidate inside both. LUNA16 counts that candidate as a hit, not as ignored.
#[test]
fn excluded_before_included_counts_the_shared_candidate_as_a_hit() {
    let found = |x: f64, d: f64, kind| Lesion {
        case: 0,
        center: [x, 0.0, 0.0],
        diameter_mm: d,
        kind,
    };
    let lesions = [
        found(0.0, 20.0, LesionKind::Excluded),
        found(2.0, 6.0, LesionKind::Included),
    ];
    let candidates = [
        Candidate {
            case: 0,
            center: [1.0, 0.0, 0.0],
            probability: 0.9,
        },
        Candidate {
            case: 0,
            center: [-6.0, 0.0, 0.0],
            probability: 0.5,
        },
    ];
    let r = froc(1, &lesions, &candidates, &FrocSettings::default()).unwrap();
    assert_eq!(
        (
            r.detected,
            r.false_positives,
            r.ignored_candidates,
            r.duplicate_hits
        ),
        (1, 0, 1, 0)
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn froc_is_independent_of_annotation_order(
        (cases, lesions, candidates) in scenario(),
        seed in any::<u64>(),
    ) {
        let settings = FrocSettings::default();
        let base = froc(cases, &lesions, &candidates, &settings).unwrap();
        let mut reversed = lesions.clone();
        reversed.reverse();
        let orders = [reversed, shuffled(&lesions, seed), shuffled(&lesions, seed ^ 0x9e37)];
        for order in orders {
            let r = froc(cases, &order, &candidates, &settings).unwrap();
            // Every count, every curve point, the sensitivities and the CPM.
            prop_assert_eq!(&r, &base, "order {:?}", order);
        }
    }
}

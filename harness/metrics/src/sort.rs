//! Sorting helpers for the large-input paths: an order-preserving map from finite `f64` to
//! `u64` and an LSD radix sort of `u64` keys (linear time, used for 10^7-score ROC AUC).

/// Map a finite float to a `u64` whose unsigned order is the float's numeric order.
/// `-0.0` and `+0.0` map to the same key, since they compare equal as scores.
#[inline]
pub(crate) fn order_key(x: f64) -> u64 {
    let x = if x == 0.0 { 0.0 } else { x };
    let bits = x.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | (1 << 63)
    }
}

/// Inverse of [`order_key`].
#[inline]
pub(crate) fn from_order_key(key: u64) -> f64 {
    let bits = if key >> 63 == 1 {
        key & !(1 << 63)
    } else {
        !key
    };
    f64::from_bits(bits)
}

const DIGIT_BITS: u32 = 16;
const BUCKETS: usize = 1 << DIGIT_BITS;
const PASSES: usize = (64 / DIGIT_BITS) as usize;

/// Sort `keys` ascending with a least-significant-digit radix sort (16-bit digits); passes
/// whose digit is the same for every key are skipped. Small inputs use the standard sort.
pub(crate) fn radix_sort_u64(keys: &mut Vec<u64>) {
    let n = keys.len();
    if n < 4096 {
        keys.sort_unstable();
        return;
    }
    let mut hist = vec![0usize; PASSES * BUCKETS];
    for &k in keys.iter() {
        for pass in 0..PASSES {
            let digit = ((k >> (pass as u32 * DIGIT_BITS)) as usize) & (BUCKETS - 1);
            hist[pass * BUCKETS + digit] += 1;
        }
    }
    let mut buffer = vec![0u64; n];
    for pass in 0..PASSES {
        let counts = &mut hist[pass * BUCKETS..(pass + 1) * BUCKETS];
        if counts.contains(&n) {
            continue;
        }
        let mut offset = 0usize;
        for c in counts.iter_mut() {
            let here = *c;
            *c = offset;
            offset += here;
        }
        let shift = pass as u32 * DIGIT_BITS;
        for &k in keys.iter() {
            let digit = ((k >> shift) as usize) & (BUCKETS - 1);
            let slot = &mut counts[digit];
            buffer[*slot] = k;
            *slot += 1;
        }
        std::mem::swap(keys, &mut buffer);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    #[test]
    fn order_key_preserves_order_and_round_trips() {
        let values = [
            f64::MIN,
            -1e300,
            -2.5,
            -1e-310,
            -0.0,
            0.0,
            1e-310,
            1.0,
            3.5,
            f64::MAX,
        ];
        for w in values.windows(2) {
            assert!(order_key(w[0]) <= order_key(w[1]), "{} {}", w[0], w[1]);
        }
        assert_eq!(order_key(-0.0), order_key(0.0));
        for &v in &values {
            assert_eq!(from_order_key(order_key(v)), if v == 0.0 { 0.0 } else { v });
        }
    }

    #[test]
    fn radix_sort_matches_std_sort() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        for &n in &[0usize, 1, 100, 5000, 70_000] {
            let mut keys: Vec<u64> = (0..n)
                .map(|i| {
                    if i % 3 == 0 {
                        order_key(rng.random::<f64>())
                    } else {
                        rng.random()
                    }
                })
                .collect();
            let mut expected = keys.clone();
            expected.sort_unstable();
            radix_sort_u64(&mut keys);
            assert_eq!(keys, expected);
        }
    }
}

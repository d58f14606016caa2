//! The alignment of a pair small enough for a stored matrix: the cells within `max` of the
//! main diagonal, kept as two bits each (vertical delta +1 / -1), and rapidfuzz's traceback.

use super::EditCounts;

/// A cell value outside the band: larger than any distance, and safe to add 1 to.
const OUTSIDE: u32 = u32::MAX / 2;

/// Vertical deltas `D[a][b] - D[a-1][b]` of the band cells, row `b` holding `a` in
/// `lo(b) < a <= hi(b)` (both cells inside the band); other deltas read as 0.
struct BandDeltas {
    max: usize,
    n1: usize,
    /// Bit offset of row `b`'s first delta.
    row_start: Vec<usize>,
    plus: Vec<u64>,
    minus: Vec<u64>,
}

impl BandDeltas {
    fn lo(&self, b: usize) -> usize {
        b.saturating_sub(self.max)
    }

    fn hi(&self, b: usize) -> usize {
        self.n1.min(b.saturating_add(self.max))
    }

    /// Bit index of the delta of cell `(a, b)`, if both `(a-1, b)` and `(a, b)` are stored.
    fn index(&self, a: usize, b: usize) -> Option<usize> {
        (a > self.lo(b) && a <= self.hi(b)).then(|| self.row_start[b] + a - self.lo(b) - 1)
    }

    fn is(&self, bits: &[u64], a: usize, b: usize) -> bool {
        self.index(a, b)
            .is_some_and(|k| bits[k / 64] & (1 << (k % 64)) != 0)
    }
}

/// Count the operations of the alignment rapidfuzz's `levenshtein_align` would take for `s1`
/// (reference) and `s2` (hypothesis), given `max >= D(s1, s2)`: from the end, a deletion
/// when `D[a][b] = D[a-1][b] + 1`, else an insertion when `D[a-1][b-1] = D[a][b-1] + 1`
/// (never in row 0), else the diagonal. Cells farther than `max` from the diagonal exceed
/// `max`; leaving them out changes no decision (each one taken needs cells of value <= max).
/// Hits are not counted here.
pub(super) fn count_edits(s1: &[u32], s2: &[u32], max: usize, counts: &mut EditCounts) {
    let (n1, n2) = (s1.len(), s2.len());
    let mut band = BandDeltas {
        max,
        n1,
        row_start: Vec::with_capacity(n2 + 1),
        plus: Vec::new(),
        minus: Vec::new(),
    };
    let mut total = 0usize;
    for b in 0..=n2 {
        band.row_start.push(total);
        total += band.hi(b).saturating_sub(band.lo(b));
    }
    band.plus = vec![0u64; total.div_ceil(64)];
    band.minus = vec![0u64; total.div_ceil(64)];

    // Rolling rows indexed by a - lo(b) over lo(b)..=hi(b).
    let mut prev: Vec<u32> = (band.lo(0)..=band.hi(0)).map(|a| a as u32).collect();
    let mut cur: Vec<u32> = Vec::with_capacity(prev.len() + 1);
    record(&mut band, 0, &prev);
    for b in 1..=n2 {
        let (plo, phi) = (band.lo(b - 1), band.hi(b - 1));
        let (lo, hi) = (band.lo(b), band.hi(b));
        let at_prev = |a: usize| -> u32 {
            if a >= plo && a <= phi {
                prev[a - plo]
            } else {
                OUTSIDE
            }
        };
        cur.clear();
        for a in lo..=hi {
            let value = if a == 0 {
                b as u32
            } else {
                let diagonal = at_prev(a - 1) + u32::from(s1[a - 1] != s2[b - 1]);
                let up = at_prev(a) + 1;
                let left = if a > lo { cur[a - 1 - lo] + 1 } else { OUTSIDE };
                diagonal.min(up).min(left).min(OUTSIDE)
            };
            cur.push(value);
        }
        record(&mut band, b, &cur);
        std::mem::swap(&mut prev, &mut cur);
    }

    let (mut a, mut b) = (n1, n2);
    while a > 0 && b > 0 {
        if band.is(&band.plus, a, b) {
            counts.deletions += 1;
            a -= 1;
        } else {
            b -= 1;
            if b > 0 && band.is(&band.minus, a, b) {
                counts.insertions += 1;
            } else {
                a -= 1;
                if s1[a] != s2[b] {
                    counts.substitutions += 1;
                }
            }
        }
    }
    counts.deletions += a as u64;
    counts.insertions += b as u64;
}

/// Store the vertical deltas of row `b` (values over `lo(b)..=hi(b)`).
fn record(band: &mut BandDeltas, b: usize, row: &[u32]) {
    let start = band.row_start[b];
    for (k, pair) in row.windows(2).enumerate() {
        let (upper, lower) = (pair[0], pair[1]);
        if upper >= OUTSIDE || lower >= OUTSIDE {
            continue;
        }
        let bit = start + k;
        if lower == upper + 1 {
            band.plus[bit / 64] |= 1 << (bit % 64);
        } else if upper == lower + 1 {
            band.minus[bit / 64] |= 1 << (bit % 64);
        }
    }
}

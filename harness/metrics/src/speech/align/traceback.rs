//! The alignment of a pair small enough for a stored matrix: the cells within `max` of the
//! main diagonal, kept as two bits each (vertical delta +1 / -1), and rapidfuzz's traceback.

use super::EditCounts;

/// A cell value outside the band: larger than any distance, and safe to add 1 to.
const OUTSIDE: u32 = u32::MAX / 2;

/// Buffers kept between alignments (the band's bits and two rows).
#[derive(Debug, Default, Clone)]
pub(super) struct Buffers {
    row_start: Vec<usize>,
    plus: Vec<u64>,
    minus: Vec<u64>,
    prev: Vec<u32>,
    cur: Vec<u32>,
}

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

    /// Store the delta `lower - upper` at bit `bit` (nothing where either is outside the band).
    fn record(&mut self, bit: usize, upper: u32, lower: u32) {
        if upper >= OUTSIDE || lower >= OUTSIDE {
            return;
        }
        if lower == upper + 1 {
            self.plus[bit / 64] |= 1 << (bit % 64);
        } else if upper == lower + 1 {
            self.minus[bit / 64] |= 1 << (bit % 64);
        }
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
pub(super) fn count_edits<T: PartialEq>(
    s1: &[T],
    s2: &[T],
    max: usize,
    buffers: &mut Buffers,
    counts: &mut EditCounts,
) {
    use std::mem::take;
    let (n1, n2) = (s1.len(), s2.len());
    let mut band = BandDeltas {
        max,
        n1,
        row_start: take(&mut buffers.row_start),
        plus: take(&mut buffers.plus),
        minus: take(&mut buffers.minus),
    };
    band.row_start.clear();
    let mut total = 0usize;
    for b in 0..=n2 {
        band.row_start.push(total);
        total += band.hi(b).saturating_sub(band.lo(b));
    }
    for bits in [&mut band.plus, &mut band.minus] {
        bits.clear();
        bits.resize(total.div_ceil(64), 0);
    }

    // Rolling rows indexed by diagonal: cell (a, b) at `a - b + max + 1`, so that the cell
    // diagonally above has the same index, the cell above the next one and the cell to the
    // left the previous one; one OUTSIDE sentinel either side of the cells of each row.
    let width = 2 * max + 3;
    let (mut prev, mut cur) = (take(&mut buffers.prev), take(&mut buffers.cur));
    for row in [&mut prev, &mut cur] {
        row.clear();
        row.resize(width, OUTSIDE);
    }
    let index = |a: usize, b: usize| a + max + 1 - b;
    let (lo, hi) = (band.lo(0), band.hi(0));
    for a in lo..=hi {
        prev[index(a, 0)] = a as u32;
    }
    for a in lo + 1..=hi {
        band.record(a - lo - 1, a as u32 - 1, a as u32);
    }
    for b in 1..=n2 {
        let (lo, hi) = (band.lo(b), band.hi(b));
        let (first, last) = (index(lo, b), index(hi, b));
        cur[first - 1] = OUTSIDE;
        let mut left = OUTSIDE;
        let token = &s2[b - 1];
        let start = band.row_start[b];
        for (k, a) in (first..=last).zip(lo..) {
            let value = if a == 0 {
                b as u32
            } else {
                let diagonal = prev[k] + u32::from(s1[a - 1] != *token);
                diagonal.min(prev[k + 1] + 1).min(left + 1).min(OUTSIDE)
            };
            cur[k] = value;
            if a > lo {
                band.record(start + a - lo - 1, left, value);
            }
            left = value;
        }
        cur[last + 1] = OUTSIDE;
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
    *buffers = Buffers {
        row_start: band.row_start,
        plus: band.plus,
        minus: band.minus,
        prev,
        cur,
    };
}

#[cfg(test)]
mod tests {
    use super::super::bitrow::last_row;
    use super::*;

    /// The band (cells within the distance of the diagonal) takes the same path as the whole
    /// matrix (band as wide as the longer sequence).
    #[test]
    fn a_band_as_wide_as_the_distance_changes_no_decision() {
        let mut x = 99u64;
        let mut next = |k: u64| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((x >> 33) % k) as u32
        };
        let mut row = Vec::new();
        for _ in 0..400 {
            let vocab = 2 + next(3);
            let s1: Vec<u32> = (0..next(120)).map(|_| next(vocab.into())).collect();
            let s2: Vec<u32> = (0..next(120)).map(|_| next(vocab.into())).collect();
            last_row(&s1, &s2, usize::MAX, vocab as usize, &mut row);
            let distance = *row.last().unwrap() as usize;
            let (mut banded, mut whole) = (EditCounts::default(), EditCounts::default());
            count_edits(&s1, &s2, distance, &mut Buffers::default(), &mut banded);
            count_edits(
                &s1,
                &s2,
                s1.len().max(s2.len()),
                &mut Buffers::default(),
                &mut whole,
            );
            assert_eq!(banded, whole, "{s1:?} {s2:?}");
            assert_eq!(banded.errors() as usize, distance);
        }
    }
}

//! Ranking with statistical ties: best first by the point estimate, and a place shared (`=`)
//! while an item's 95% interval overlaps that of its place's leader.

use jiebang_scorecard::Better;

/// A place in a ranking; `tied` when its interval overlaps the leader of its place.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Place {
    /// 1-based.
    pub place: usize,
    /// Shares the place with the entry above.
    pub tied: bool,
}

impl Place {
    /// `1`, `=1` when tied, `—` when not placed.
    pub fn label(p: Option<Place>) -> String {
        match p {
            Some(Place { place, tied: true }) => format!("={place}"),
            Some(Place { place, .. }) => place.to_string(),
            None => "—".into(),
        }
    }
}

fn overlaps(a: Option<[f64; 2]>, b: Option<[f64; 2]>) -> bool {
    match (a, b) {
        (Some([a0, a1]), Some([b0, b1])) => a0 <= b1 && b0 <= a1,
        _ => false,
    }
}

/// Ranks items best first by `get` (value, interval); unmeasured items go last without a
/// place. An item ties with its place's leader when their intervals overlap (the data cannot
/// tell them apart at 95%) or their values are equal.
pub fn rank_by<T>(
    items: &mut [T],
    better: Better,
    get: impl Fn(&T) -> (Option<f64>, Option<[f64; 2]>),
    mut set: impl FnMut(&mut T, Place),
) {
    items.sort_by(|a, b| match (get(a).0, get(b).0) {
        (Some(x), Some(y)) => match better {
            Better::Higher => y.total_cmp(&x),
            Better::Lower => x.total_cmp(&y),
        },
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    let mut leader: Option<(usize, Option<f64>, Option<[f64; 2]>)> = None;
    for (i, item) in items.iter_mut().enumerate() {
        let (value, ci) = get(item);
        if value.is_none() {
            continue;
        }
        let place = match leader {
            Some((place, lv, lci)) if overlaps(lci, ci) || lv == value => {
                Place { place, tied: true }
            }
            _ => {
                leader = Some((i + 1, value, ci));
                Place {
                    place: i + 1,
                    tied: false,
                }
            }
        };
        set(item, place);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Item = (Option<f64>, Option<[f64; 2]>, Option<Place>);

    fn ranked(items: &[(Option<f64>, Option<[f64; 2]>)], better: Better) -> Vec<Item> {
        let mut v: Vec<Item> = items.iter().map(|&(m, c)| (m, c, None)).collect();
        rank_by(&mut v, better, |i| (i.0, i.1), |i, p| i.2 = Some(p));
        v
    }

    fn at(place: usize, tied: bool) -> Option<Place> {
        Some(Place { place, tied })
    }

    #[test]
    fn equal_values_tie_without_intervals_and_apart_values_do_not() {
        let v = ranked(
            &[(Some(1.0), None), (Some(3.0), None), (Some(3.0), None)],
            Better::Higher,
        );
        let places: Vec<_> = v.iter().map(|i| i.2).collect();
        assert_eq!(places, [at(1, false), at(1, true), at(3, false)]);
    }

    #[test]
    fn a_tie_is_with_the_leader_not_a_chain() {
        // b overlaps a, c overlaps b but not a: c starts its own place.
        let v = ranked(
            &[
                (Some(0.9), Some([0.85, 0.95])),
                (Some(0.8), Some([0.75, 0.86])),
                (Some(0.7), Some([0.65, 0.76])),
            ],
            Better::Higher,
        );
        let places: Vec<_> = v.iter().map(|i| i.2).collect();
        assert_eq!(places, [at(1, false), at(1, true), at(3, false)]);
    }

    #[test]
    fn labels() {
        assert_eq!(Place::label(at(2, true)), "=2");
        assert_eq!(Place::label(at(2, false)), "2");
        assert_eq!(Place::label(None), "—");
    }
}

//! One-pass DTW (Ney 1984) over a word network: every utterance frame advances every active
//! template cell by one step, word ends feed the next words' first cells, best path traced back.

use super::distance::{Distances, TemplateBank};
use super::network::Network;

/// Costs added on top of the local distances.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Penalties {
    /// Entering a word.
    pub word: f32,
    /// Staying on a template frame for another utterance frame (slows the template).
    pub stay: f32,
    /// Skipping a template frame, per frame skipped.
    pub skip: f32,
    /// The most template frames one utterance frame may advance (2: a word spoken up to
    /// twice as fast as its template).
    pub max_advance: usize,
}

impl Default for Penalties {
    /// The values measured best on the committed corpus (examples/recognizer_quality.rs):
    /// staying costs about half a typical local distance, so a long input cannot be covered
    /// by a short sentence's templates; skipping is cheap and up to four template frames a step,
    /// since function words shrink a lot in connected speech.
    fn default() -> Self {
        Penalties {
            word: 0.0,
            stay: 3.0,
            skip: 0.5,
            max_advance: 4,
        }
    }
}

/// No history: the path started at the network's start node.
const ROOT: u32 = u32::MAX;

/// The best path's words (indices into the templates) and its cost per utterance frame, or
/// `None` when no path reaches a final node in `distances.rows` frames.
pub fn decode(
    network: &Network,
    bank: &TemplateBank,
    distances: &Distances,
    penalties: Penalties,
) -> Option<(Vec<usize>, f32)> {
    let arcs = &network.arcs;
    // Cell layout: each arc's template frames, one after the other.
    let mut base = Vec::with_capacity(arcs.len());
    let mut cells = 0;
    for a in arcs {
        base.push(cells);
        cells += bank.lengths[a.word];
    }
    let mut prev = vec![f32::INFINITY; cells];
    let mut cur = vec![f32::INFINITY; cells];
    let mut prev_h = vec![ROOT; cells];
    let mut cur_h = vec![ROOT; cells];
    // Best word end into each node at the previous frame (the path so far as a history id).
    let mut entry = vec![(f32::INFINITY, ROOT); network.nodes];
    entry[Network::START] = (0.0, ROOT);
    let mut best_arc = vec![(f32::INFINITY, usize::MAX); network.nodes];
    // History records: (word, parent history).
    let mut history: Vec<(u32, u32)> = Vec::new();
    for t in 0..distances.rows {
        let row = distances.row(t);
        for (a, arc) in arcs.iter().enumerate() {
            let (b, len, col) = (base[a], bank.lengths[arc.word], bank.offsets[arc.word]);
            let (enter, enter_h) = entry[arc.from];
            let (mut best, mut h) = (prev[b] + penalties.stay, prev_h[b]);
            if enter + penalties.word < best {
                (best, h) = (enter + penalties.word, enter_h);
            }
            cur[b] = row[col] + best;
            cur_h[b] = h;
            for j in 1..len {
                let (mut best, mut h) = (prev[b + j] + penalties.stay, prev_h[b + j]);
                if prev[b + j - 1] < best {
                    (best, h) = (prev[b + j - 1], prev_h[b + j - 1]);
                }
                for k in 2..=penalties.max_advance.min(j) {
                    let c = prev[b + j - k] + penalties.skip * (k - 1) as f32;
                    if c < best {
                        (best, h) = (c, prev_h[b + j - k]);
                    }
                }
                cur[b + j] = row[col + j] + best;
                cur_h[b + j] = h;
            }
        }
        best_arc
            .iter_mut()
            .for_each(|e| *e = (f32::INFINITY, usize::MAX));
        for (a, arc) in arcs.iter().enumerate() {
            let end = cur[base[a] + bank.lengths[arc.word] - 1];
            if end < best_arc[arc.to].0 {
                best_arc[arc.to] = (end, a);
            }
        }
        for (node, &(score, a)) in best_arc.iter().enumerate() {
            entry[node] = if score.is_finite() {
                let end = base[a] + bank.lengths[arcs[a].word] - 1;
                history.push((arcs[a].word as u32, cur_h[end]));
                (score, (history.len() - 1) as u32)
            } else {
                (f32::INFINITY, ROOT)
            };
        }
        std::mem::swap(&mut prev, &mut cur);
        std::mem::swap(&mut prev_h, &mut cur_h);
    }
    let (score, mut h) = (0..network.nodes)
        .filter(|&n| network.finals[n] && entry[n].0.is_finite())
        .map(|n| entry[n])
        .min_by(|x, y| x.0.total_cmp(&y.0))?;
    let mut words = Vec::new();
    while h != ROOT {
        let (word, parent) = history[h as usize];
        words.push(word as usize);
        h = parent;
    }
    words.reverse();
    Some((words, score / distances.rows.max(1) as f32))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recognizer::distance::distances_host;
    use crate::recognizer::features::{DIM, Features};
    use crate::recognizer::grammar::{Grammar, Part, Pattern, Word};

    /// No penalties: the path cost is the local distances alone.
    const FREE: Penalties = Penalties {
        word: 0.0,
        stay: 0.0,
        skip: 0.0,
        max_advance: 2,
    };

    /// A template rising in dimension `k` only.
    fn steady(k: usize, frames: usize) -> Features {
        let mut data = vec![0.0; frames * DIM];
        for t in 0..frames {
            data[t * DIM + k] = 1.0 + t as f32 * 0.1;
        }
        Features { data }
    }

    fn concat(parts: &[(&Features, usize)]) -> Features {
        // Each template stretched by a factor given as a percentage.
        let mut data = Vec::new();
        for (f, percent) in parts {
            let n = f.frames() * percent / 100;
            for i in 0..n {
                let src = (i * f.frames() / n).min(f.frames() - 1);
                data.extend_from_slice(f.frame(src));
            }
        }
        Features { data }
    }

    fn grammar() -> Grammar {
        let words = (0..5)
            .map(|i| Word {
                id: format!("w{i}"),
                text: format!("w{i}"),
            })
            .collect();
        let slot = |name: &str, values: Vec<Vec<usize>>| Part::Slot {
            name: name.into(),
            values,
        };
        Grammar {
            words,
            patterns: vec![
                Pattern {
                    intent: "a".into(),
                    parts: vec![Part::Word(0), slot("x", vec![vec![1], vec![2, 3]])],
                },
                Pattern {
                    intent: "b".into(),
                    parts: vec![Part::Word(4), slot("y", vec![vec![1], vec![3]])],
                },
            ],
        }
    }

    #[test]
    fn finds_the_spoken_path_at_other_speeds() {
        let templates: Vec<Features> = (0..5).map(|k| steady(k, 10 + 2 * k)).collect();
        let bank = TemplateBank::new(&templates);
        let net = Network::from_grammar(&grammar());
        for (spoken, speeds) in [
            (vec![0, 2, 3], [100, 130, 60]),
            (vec![0, 1], [150, 70, 100]),
            (vec![4, 3], [80, 100, 100]),
        ] {
            let parts: Vec<(&Features, usize)> = spoken
                .iter()
                .zip(speeds)
                .map(|(&w, s)| (&templates[w], s))
                .collect();
            let input = concat(&parts);
            let (words, cost) =
                decode(&net, &bank, &distances_host(&input, &bank), FREE).expect("a path");
            assert_eq!(words, spoken);
            assert!(cost < 0.2, "{cost}");
        }
    }

    #[test]
    fn only_grammatical_sequences_come_out() {
        // Spoken 4 then 2: not in the grammar, so the decoder picks an allowed sentence.
        let templates: Vec<Features> = (0..5).map(|k| steady(k, 10)).collect();
        let bank = TemplateBank::new(&templates);
        let net = Network::from_grammar(&grammar());
        let input = concat(&[(&templates[4], 100), (&templates[2], 100)]);
        let (words, _) = decode(&net, &bank, &distances_host(&input, &bank), FREE).expect("a path");
        assert!(words == vec![4, 1] || words == vec![4, 3], "{words:?}");
        // Too short for any sentence: no path.
        let short = concat(&[(&templates[4], 30)]);
        assert!(decode(&net, &bank, &distances_host(&short, &bank), FREE).is_none());
    }
}

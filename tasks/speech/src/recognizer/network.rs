//! The finite-state word network a grammar allows: one chain per pattern from a shared start
//! node, a slot's values as parallel word chains, every pattern's last node final.

use super::grammar::{Grammar, Part};

/// A word transition between two network nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WordArc {
    /// Node the word starts from.
    pub from: usize,
    /// Node the word leads to.
    pub to: usize,
    /// Word index (into the grammar's vocabulary).
    pub word: usize,
}

/// A word network: node 0 is the start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Network {
    /// Number of nodes.
    pub nodes: usize,
    /// Whether a sentence may end at each node.
    pub finals: Vec<bool>,
    /// The word arcs.
    pub arcs: Vec<WordArc>,
}

impl Network {
    /// The start node.
    pub const START: usize = 0;

    /// The network of `grammar`'s patterns. Empty slot values and empty patterns are left out
    /// (every path speaks at least one word).
    pub fn from_grammar(grammar: &Grammar) -> Network {
        let mut net = Network {
            nodes: 1,
            finals: vec![false],
            arcs: Vec::new(),
        };
        for pattern in &grammar.patterns {
            let mut at = Self::START;
            for part in &pattern.parts {
                at = match part {
                    Part::Word(w) => net.chain(at, None, &[*w]),
                    Part::Slot { values, .. } => {
                        let end = net.node();
                        for value in values.iter().filter(|v| !v.is_empty()) {
                            net.chain(at, Some(end), value);
                        }
                        end
                    }
                };
            }
            if at != Self::START {
                net.finals[at] = true;
            }
        }
        net
    }

    fn node(&mut self) -> usize {
        self.nodes += 1;
        self.finals.push(false);
        self.nodes - 1
    }

    /// Arcs for `words` from `from`, ending at `end` (a new node when `None`); the last node.
    fn chain(&mut self, from: usize, end: Option<usize>, words: &[usize]) -> usize {
        let mut at = from;
        for (i, &word) in words.iter().enumerate() {
            let to = match end {
                Some(e) if i + 1 == words.len() => e,
                _ => self.node(),
            };
            self.arcs.push(WordArc { from: at, to, word });
            at = to;
        }
        at
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recognizer::grammar::{Pattern, Word};

    #[test]
    fn patterns_become_chains_with_parallel_slot_values() {
        let words = ["turn", "on", "the", "kitchen", "light", "lamp"]
            .iter()
            .map(|t| Word {
                id: t.to_string(),
                text: t.to_string(),
            })
            .collect();
        let grammar = Grammar {
            words,
            patterns: vec![Pattern {
                intent: "turn_on".into(),
                parts: vec![
                    Part::Word(0),
                    Part::Word(1),
                    Part::Slot {
                        name: "device".into(),
                        values: vec![vec![2, 3, 4], vec![5], vec![]],
                    },
                ],
            }],
        };
        let net = Network::from_grammar(&grammar);
        assert_eq!(net.arcs.len(), 6);
        let finals: Vec<usize> = (0..net.nodes).filter(|&n| net.finals[n]).collect();
        assert_eq!(finals.len(), 1);
        let into_final: Vec<usize> = net
            .arcs
            .iter()
            .filter(|a| a.to == finals[0])
            .map(|a| a.word)
            .collect();
        assert_eq!(into_final, vec![4, 5]);
    }
}

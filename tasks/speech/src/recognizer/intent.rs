//! Intent and slots of a Mandarin transcript: the grammar sentence nearest by character edit
//! distance gives the intent; its slots are read back off the transcript through the alignment.

use super::Intent;
use crate::corpus;
use std::collections::BTreeMap;
use std::ops::Range;

/// One sentence the grammar allows, with where its slot values lie.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expansion {
    /// The pattern's intent.
    pub intent: String,
    /// The sentence's characters (words concatenated, white space left out).
    pub chars: Vec<char>,
    /// Slot name, the value's character range in `chars`.
    pub slots: Vec<(String, Range<usize>)>,
}

/// Every sentence of a Mandarin `grammar` with its slots located (a slot value the sentence
/// does not hold as written is left out).
pub fn expansions(grammar: &corpus::Grammar) -> Vec<Expansion> {
    grammar
        .expand()
        .into_iter()
        .map(|e| {
            let text: String = corpus::join_words("zh", &e.words)
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            let slots = e
                .slots
                .iter()
                .filter_map(|(name, value)| {
                    let value: String = value.chars().filter(|c| !c.is_whitespace()).collect();
                    let at = text.find(&value)?;
                    let start = text[..at].chars().count();
                    Some((name.clone(), start..start + value.chars().count()))
                })
                .collect();
            Expansion {
                intent: e.intent,
                chars: text.chars().collect(),
                slots,
            }
        })
        .collect()
}

/// Levenshtein distance over characters (two rows).
fn distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// For each boundary `j` of `b` (0..=len), how many characters of `a` an optimal alignment
/// has consumed there.
fn boundaries(a: &[char], b: &[char]) -> Vec<usize> {
    let (n, m) = (a.len(), b.len());
    let mut d = vec![0usize; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in 0..=n {
        for j in 0..=m {
            d[at(i, j)] = if i == 0 || j == 0 {
                i + j
            } else {
                (d[at(i - 1, j - 1)] + usize::from(a[i - 1] != b[j - 1]))
                    .min(d[at(i - 1, j)] + 1)
                    .min(d[at(i, j - 1)] + 1)
            };
        }
    }
    let mut bound = vec![0; m + 1];
    let (mut i, mut j) = (n, m);
    bound[m] = n;
    while j > 0 {
        if i > 0 && d[at(i, j)] == d[at(i - 1, j - 1)] + usize::from(a[i - 1] != b[j - 1]) {
            i -= 1;
            j -= 1;
        } else if i > 0 && d[at(i, j)] == d[at(i - 1, j)] + 1 {
            i -= 1;
            continue;
        } else {
            j -= 1;
        }
        bound[j] = i;
    }
    bound
}

/// The intent of the expansion nearest `transcript` (first on ties); each slot is the
/// expansion's value when the transcript holds it, else the transcript's aligned characters
/// (left out when none). `unknown` without slots when there are no expansions.
pub fn classify(expansions: &[Expansion], transcript: &str) -> Intent {
    let text: Vec<char> = transcript.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(best) = expansions.iter().min_by_key(|e| distance(&text, &e.chars)) else {
        return Intent {
            intent: "unknown".into(),
            slots: BTreeMap::new(),
        };
    };
    let bound = boundaries(&text, &best.chars);
    let joined: String = text.iter().collect();
    let mut slots = BTreeMap::new();
    for (name, range) in &best.slots {
        let value: String = best.chars[range.clone()].iter().collect();
        let value = if joined.contains(&value) {
            value
        } else {
            text[bound[range.start]..bound[range.end]].iter().collect()
        };
        if !value.is_empty() {
            slots.insert(name.clone(), value);
        }
    }
    Intent {
        intent: best.intent.clone(),
        slots,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grammar() -> corpus::Grammar {
        let json = r#"{"language": "zh",
            "vocabulary": [{"wid": "dakai", "text": "打开"}, {"wid": "guanbi", "text": "关闭"},
                {"wid": "keting", "text": "客厅"}, {"wid": "woshi", "text": "卧室"},
                {"wid": "de", "text": "的"}, {"wid": "deng", "text": "灯"},
                {"wid": "kongtiao", "text": "空调"}],
            "slots": {"device": [["客厅", "的", "灯"], ["卧室", "的", "空调"]]},
            "patterns": [{"intent": "turn_on", "tokens": ["打开", "{device}"]},
                {"intent": "turn_off", "tokens": ["关闭", "{device}"]}]}"#;
        serde_json::from_str(json).expect("a grammar")
    }

    #[test]
    fn exact_and_misrecognised_transcripts() {
        let e = expansions(&grammar());
        assert_eq!(e.len(), 4);
        let got = classify(&e, "关闭卧室的空调");
        assert_eq!(got.intent, "turn_off");
        assert_eq!(got.slots["device"], "卧室的空调");
        // One character wrong inside the slot: the transcript's own characters come back.
        let got = classify(&e, "打开客厅地灯");
        assert_eq!(got.intent, "turn_on");
        assert_eq!(got.slots["device"], "客厅地灯");
        assert_eq!(classify(&[], "打开").intent, "unknown");
    }

    #[test]
    fn alignment_boundaries() {
        let a: Vec<char> = "xabcy".chars().collect();
        let b: Vec<char> = "abc".chars().collect();
        assert_eq!(distance(&a, &b), 2);
        let bound = boundaries(&a, &b);
        assert_eq!(&bound[1..3], &[2, 3]);
    }
}

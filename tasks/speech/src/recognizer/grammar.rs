//! The recogniser's view of a domain grammar: the vocabulary and the sentence patterns, each a
//! sequence of fixed words and slots whose values are word sequences.

/// A vocabulary word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Word id (names its template).
    pub id: String,
    /// Written form.
    pub text: String,
}

/// One element of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// A fixed word (index into [`Grammar::words`]).
    Word(usize),
    /// A slot: one of its values, each a word sequence.
    Slot {
        /// Slot name.
        name: String,
        /// The values, as word indices.
        values: Vec<Vec<usize>>,
    },
}

/// A sentence pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// The intent a sentence of this pattern carries.
    pub intent: String,
    /// The words and slots in order.
    pub parts: Vec<Part>,
}

/// Vocabulary plus patterns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grammar {
    /// The vocabulary.
    pub words: Vec<Word>,
    /// The sentence patterns.
    pub patterns: Vec<Pattern>,
}

impl Grammar {
    /// The text of a word sequence (`separator` between words).
    pub fn text(&self, words: &[usize], separator: &str) -> String {
        words
            .iter()
            .map(|&w| self.words[w].text.as_str())
            .collect::<Vec<_>>()
            .join(separator)
    }
}

//! Fixed lists of folded words that the readers ask about word by word.

use std::sync::OnceLock;

use rustc_hash::FxHashSet;

/// A fixed list of folded words ("soldiers", "troops", ...), asked whether it holds a word of the
/// text once for every word a reader passes: written as a list, looked up in a hash set built on
/// first use (a list of fifty words searched in order costs fifty comparisons a word).
#[derive(Debug)]
pub struct WordSet {
    words: &'static [&'static str],
    set: OnceLock<FxHashSet<&'static str>>,
}

impl WordSet {
    /// The set of `words`.
    pub const fn new(words: &'static [&'static str]) -> Self {
        Self {
            words,
            set: OnceLock::new(),
        }
    }

    /// Whether `word` is one of the words.
    pub fn contains(&self, word: &str) -> bool {
        self.set
            .get_or_init(|| self.words.iter().copied().collect())
            .contains(word)
    }

    /// The words, in the order they were written.
    pub fn iter(&self) -> std::slice::Iter<'static, &'static str> {
        self.words.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static COLOURS: WordSet = WordSet::new(&["red", "green", "blue"]);

    #[test]
    fn holds_its_words_and_no_other() {
        for w in ["red", "green", "blue"] {
            assert!(COLOURS.contains(w), "{w}");
        }
        for w in ["", "re", "reds", "Red", "yellow"] {
            assert!(!COLOURS.contains(w), "{w}");
        }
        assert_eq!(
            COLOURS.iter().copied().collect::<Vec<_>>(),
            ["red", "green", "blue"]
        );
    }
}

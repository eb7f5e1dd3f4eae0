//! A phrase matcher over folded words: the longest lexicon phrase starting at each word.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::text::Tokens;

/// Phrases (folded words joined by single spaces) with a value each.
#[derive(Debug, Clone)]
pub struct PhraseSet<V> {
    phrases: FxHashMap<String, V>,
    prefixes: FxHashSet<String>,
    max_words: usize,
}

impl<V> Default for PhraseSet<V> {
    fn default() -> Self {
        Self {
            phrases: FxHashMap::default(),
            prefixes: FxHashSet::default(),
            max_words: 0,
        }
    }
}

impl<V> PhraseSet<V> {
    /// Adds a phrase; it is folded and split into words like the text is.
    pub fn insert(&mut self, phrase: &str, value: V) {
        let words = truce_geo::normalize::name_tokens(phrase);
        if words.is_empty() {
            return;
        }
        self.max_words = self.max_words.max(words.len());
        for k in 1..words.len() {
            self.prefixes.insert(words[..k].join(" "));
        }
        self.phrases.insert(words.join(" "), value);
    }

    /// The longest phrase starting at word `i` (not crossing a sentence start): its end (exclusive)
    /// and value.
    pub fn longest_at(&self, tokens: &Tokens, i: usize) -> Option<(usize, &V)> {
        if i >= tokens.len() {
            return None;
        }
        // The first word is looked up as it stands: most words begin no phrase, and they are
        // answered without building a key.
        let first = tokens.folded(i);
        let mut best = self.phrases.get(first).map(|v| (i + 1, v));
        // Inside a phrase an article reads "al" (as the phrase was folded).
        let first = if truce_geo::normalize::is_article(first) {
            "al"
        } else {
            first
        };
        if !self.prefixes.contains(first) {
            return best;
        }
        let mut key = String::with_capacity(32);
        key.push_str(first);
        for j in i + 1..(i + self.max_words).min(tokens.len()) {
            if tokens.list[j].sentence_start || tokens.list[j].comma_before {
                break;
            }
            key.push(' ');
            let word = tokens.folded(j);
            let before = key.len();
            key.push_str(word);
            if let Some(v) = self.phrases.get(&key) {
                best = Some((j + 1, v));
            }
            if truce_geo::normalize::is_article(word) {
                key.truncate(before);
                key.push_str("al");
            }
            if !self.prefixes.contains(&key) {
                break;
            }
        }
        best
    }

    /// Every non-overlapping longest match in `range`, left to right.
    pub fn find_all(
        &self,
        tokens: &Tokens,
        range: std::ops::Range<usize>,
    ) -> Vec<(std::ops::Range<usize>, &V)> {
        let mut out = Vec::new();
        let mut i = range.start;
        while i < range.end {
            match self.longest_at(tokens, i) {
                Some((end, v)) if end <= range.end => {
                    out.push((i..end, v));
                    i = end;
                }
                _ => i += 1,
            }
        }
        out
    }
}

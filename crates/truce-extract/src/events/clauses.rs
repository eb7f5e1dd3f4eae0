//! Clauses that tell occurrences of their own: a sentence that joins two deeds in two places with
//! "and" ("Clashes in the Latakia mountains and aerial bombardment targets Daraa city", "Rebels
//! shelled Aleppo and government jets struck Idlib") tells two events, as ACLED and UCDP code
//! them (one event a place), and is read as two clauses.
//!
//! A sentence is cut before an "and" only where each side has an event word of its own and a
//! place of its own, and the two places are not one (a town and the province it lies in are
//! one). "Clashes between Daraa and Quneitra factions", "shelling on Idlib and Hama" (no second
//! deed) and "an air strike hit the market and killed 20 in Ariha" (no second place) stay whole.

use std::ops::Range;

use super::{EventInput, irrealis, locates, same_place};
use crate::text::Sentence;

/// The clauses the events are read from, and the sentence each lies in.
pub(crate) struct Clauses {
    /// The clauses, in text order (a sentence not cut is its own clause).
    pub list: Vec<Sentence>,
    /// For each clause, the index of its sentence.
    pub sentence: Vec<usize>,
}

/// The first place a clause's words name that can locate an event.
fn place_in(x: &EventInput<'_>, words: &Range<usize>) -> Option<usize> {
    x.geo
        .hits
        .iter()
        .enumerate()
        .find(|(_, h)| {
            words.contains(&h.tokens.start) && h.tokens.end <= words.end && locates(x, h)
        })
        .map(|(i, _)| i)
}

/// Whether the words hold an event word that tells a deed (not "would strike").
fn tells_a_deed(x: &EventInput<'_>, words: &Range<usize>, sentence_start: usize) -> bool {
    x.triggers
        .find_all(x.tokens, words.clone())
        .into_iter()
        .any(|(r, _)| !irrealis(x.tokens, r.start, sentence_start))
}

/// Where the sentence's words `words` are cut: the "and" before which a second deed in a
/// second place is told, if any.
fn cut_in(x: &EventInput<'_>, words: &Range<usize>, sentence_start: usize) -> Option<usize> {
    let inside_a_name = |k: usize| {
        x.geo
            .hits
            .iter()
            .any(|h| h.tokens.start < k && k < h.tokens.end)
    };
    (words.start + 2..words.end.saturating_sub(2))
        .filter(|&k| x.tokens.folded(k) == "and" && !inside_a_name(k))
        .find(|&k| {
            let (left, right) = (words.start..k, k + 1..words.end);
            let (Some(a), Some(b)) = (place_in(x, &left), place_in(x, &right)) else {
                return false;
            };
            !same_place(x, a, b)
                && tells_a_deed(x, &left, sentence_start)
                && tells_a_deed(x, &right, sentence_start)
        })
}

/// The clause of a sentence over `words` (its text from its first word to its last; the
/// sentence's own ends, punctuation and quotes included, where the clause reaches them).
fn clause(x: &EventInput<'_>, whole: &Sentence, words: Range<usize>) -> Sentence {
    let first = &x.tokens.list[words.start];
    let last = &x.tokens.list[words.end - 1];
    let (opens, closes) = (
        words.start == whole.tokens.start,
        words.end == whole.tokens.end,
    );
    let span = |sentence: &Range<usize>, first: &Range<usize>, last: &Range<usize>| {
        (if opens { sentence.start } else { first.start })..(if closes {
            sentence.end
        } else {
            last.end
        })
    };
    Sentence {
        chars: span(&whole.chars, &first.chars, &last.chars),
        bytes: span(&whole.bytes, &first.bytes, &last.bytes),
        tokens: words,
    }
}

/// The report's sentences, each cut where it tells a second deed in a second place.
pub(crate) fn clauses(x: &EventInput<'_>) -> Clauses {
    let mut list = Vec::with_capacity(x.sentences.len());
    let mut sentence = Vec::with_capacity(x.sentences.len());
    for (si, s) in x.sentences.iter().enumerate() {
        let mut words = s.tokens.clone();
        while let Some(k) = cut_in(x, &words, s.tokens.start) {
            list.push(clause(x, s, words.start..k));
            sentence.push(si);
            // The "and" opens the second clause.
            words = k..words.end;
        }
        list.push(clause(x, s, words));
        sentence.push(si);
    }
    Clauses { list, sentence }
}

//! Recognition: spans of text that name a gazetteer place, before any disambiguation.
//!
//! A span starts at a capitalised word (or a lower-case Arabic article joined to one:
//! `al-Kalasa`), grows word by word while the gazetteer still has names that continue it, and
//! ends at the longest name found, by exact key or, failing that, by transliteration skeleton.
//! A type word right after the name (`Governorate`, `District`, `village`) joins the span and
//! says what kind of place is meant.

use std::ops::Range;

use truce_geo::normalize::{is_article, push_token_skeleton};
use truce_geo::{Gazetteer, NameMatch, PlaceId, PlaceKind};

use crate::lexicon::Lexicon;
use crate::text::{Shape, Tokens, WordSet};

/// Lower-case words allowed inside a multi-word name (`Bosnia and Herzegovina`, `Rio de Janeiro`).
static PARTICLES: WordSet = WordSet::new(&[
    "al", "de", "del", "la", "le", "les", "du", "des", "da", "di", "do", "dos", "das", "of", "the",
    "upon", "on", "am", "im", "an", "der", "den", "van", "von", "y", "e", "sur", "bin", "ibn",
    "and", "en", "aux", "sous", "under",
]);

/// The longest name a walk may cover, in words.
const MAX_WORDS: usize = 8;

/// A span that names one or more gazetteer places.
#[derive(Debug, Clone)]
pub struct NameSpan {
    /// The words of the name (without a trailing type word).
    pub tokens: Range<usize>,
    /// The words of the whole span, type word included.
    pub span: Range<usize>,
    /// Candidate places, with how each matched.
    pub candidates: Vec<(PlaceId, NameMatch)>,
    /// The kind a type word after the name asks for.
    pub kind_hint: Option<PlaceKind>,
}

/// Whether word `j` may continue the name its previous word is in: not after a comma, a line
/// break or a sentence's end, nor after a possessive ("Syria's Al Bab" is Syria, then Al Bab).
fn joinable(tokens: &Tokens, j: usize) -> bool {
    joinable_after_possessive(tokens, j)
        && !j.checked_sub(1).is_some_and(|p| tokens.list[p].possessive)
}

fn word_ok(tokens: &Tokens, j: usize) -> bool {
    let t = &tokens.list[j];
    matches!(t.shape, Shape::Capitalized | Shape::Upper | Shape::Digit)
        || PARTICLES.contains(tokens.folded(j))
        || is_article(tokens.folded(j))
}

/// Whether word `j` can end a name: a particle joins the words of a name, it never ends one
/// ("Nyeri on Tuesday" is no "Nyeri on", whose skeleton is an Iranian village's).
fn ends_a_name(tokens: &Tokens, j: usize) -> bool {
    tokens.list[j].shape != Shape::Lower
}

/// Whether word `i` can start a name.
fn can_start(tokens: &Tokens, i: usize) -> bool {
    let t = &tokens.list[i];
    match t.shape {
        Shape::Capitalized | Shape::Upper => true,
        Shape::Lower => {
            is_article(tokens.folded(i))
                && tokens
                    .list
                    .get(i + 1)
                    .is_some_and(|n| n.hyphen_before && n.shape != Shape::Lower)
        }
        Shape::Digit => false,
    }
}

/// The keys a walk from one word builds, kept from word to word of the report so that each walk
/// writes into strings that already have room.
#[derive(Default)]
struct Keys {
    prefix: String,
    key: String,
}

/// The longest exact-key match starting at `i`: (end word, key). A possessive inside a name the
/// gazetteer holds with it ("Cox's Bazar", keyed `coxs bazar`) joins the words around it.
fn walk_exact(
    g: &Gazetteer,
    tokens: &Tokens,
    i: usize,
    keys: &mut Keys,
) -> Option<(usize, String)> {
    let Keys { prefix, key } = keys;
    prefix.clear();
    let mut best = None;
    let mut glued = false;
    for j in i..(i + MAX_WORDS).min(tokens.len()) {
        let joins = if glued {
            joinable_after_possessive(tokens, j)
        } else {
            joinable(tokens, j)
        };
        if j > i && (!joins || !word_ok(tokens, j)) {
            break;
        }
        let word = tokens.folded(j);
        if word.is_empty() {
            break;
        }
        // The key ends with the word as written; inside a name an article reads "al".
        key.clear();
        key.push_str(prefix);
        if j > i {
            key.push(' ');
        }
        key.push_str(word);
        if ends_a_name(tokens, j) && !g.by_exact_key(key).is_empty() {
            best = Some((j, key.clone()));
        }
        if j > i {
            prefix.push(' ');
        }
        prefix.push_str(if is_article(word) { "al" } else { word });
        glued = false;
        if tokens.list[j].possessive {
            prefix.push('s');
            if !g.continues_exact(prefix) {
                break;
            }
            glued = true;
        }
        if !g.continues_exact(prefix) {
            break;
        }
    }
    best
}

/// Whether word `j` may continue a name across the possessive before it: no comma, line break
/// or sentence's end before it ([`joinable`] also stops at the possessive).
fn joinable_after_possessive(tokens: &Tokens, j: usize) -> bool {
    let t = &tokens.list[j];
    !t.comma_before && !t.newline_before && !t.sentence_start
}

/// The longest skeleton match starting at `i`: (end word, skeleton key).
fn walk_skeleton(
    g: &Gazetteer,
    tokens: &Tokens,
    i: usize,
    keys: &mut Keys,
) -> Option<(usize, String)> {
    let key = &mut keys.key;
    key.clear();
    let mut best = None;
    for j in i..(i + MAX_WORDS).min(tokens.len()) {
        if j > i && (!joinable(tokens, j) || !word_ok(tokens, j)) {
            break;
        }
        let word = tokens.folded(j);
        if word.is_empty() {
            break;
        }
        let before = key.len();
        if !key.is_empty() {
            key.push(' ');
        }
        push_token_skeleton(word, key);
        if key.len() == before + usize::from(before > 0) {
            // No consonant to keep (an article, a word of vowels): the word adds nothing.
            key.truncate(before);
            continue;
        }
        if key.len() >= 4 && ends_a_name(tokens, j) && !g.by_skeleton_key(key).is_empty() {
            best = Some((j, key.clone()));
        }
        if !g.continues_skeleton(key) {
            break;
        }
    }
    best
}

/// Finds every span of `tokens` that names a gazetteer place.
pub fn recognize(g: &Gazetteer, lex: &Lexicon, tokens: &Tokens) -> Vec<NameSpan> {
    let mut spans = Vec::new();
    let mut keys = Keys::default();
    let mut i = 0;
    while i < tokens.len() {
        if !can_start(tokens, i) {
            i += 1;
            continue;
        }
        let exact = walk_exact(g, tokens, i, &mut keys);
        let skeleton = walk_skeleton(g, tokens, i, &mut keys);
        let (end, candidates) = match (exact, skeleton) {
            (Some((e, key)), Some((s, skel))) if s > e => {
                (s, skeleton_candidates(g, &skel, Some(&key)))
            }
            (Some((e, key)), _) => {
                let ids = g.by_exact_key(&key);
                (e, ids.to_vec())
            }
            (None, Some((s, skel))) => {
                // A skeleton match of one ordinary English word is a coincidence (Medical/Madkal).
                let single = s == i || (s == i + 1 && is_article(tokens.folded(i)));
                if single && lex.is_common(tokens.folded(s)) {
                    i += 1;
                    continue;
                }
                (s, skeleton_candidates(g, &skel, None))
            }
            (None, None) => {
                i += 1;
                continue;
            }
        };
        let mut span_end = end + 1;
        let mut kind_hint = None;
        if let Some(next) = tokens.list.get(end + 1)
            && joinable(tokens, end + 1)
            && let Some(kind) = lex.place_words.get(tokens.folded(end + 1))
            // "Virginia Department of Transportation", "Borno State Police" name organisations.
            && !tokens.list.get(end + 2).is_some_and(|after| {
                joinable(tokens, end + 2)
                    && (tokens.folded(end + 2) == "of" || after.shape == Shape::Capitalized)
            })
        {
            // "Aleppo Governorate", "Hall County"; a lower-case type word ("Kafr Nabl village")
            // types the place without being part of its name.
            kind_hint = Some(*kind);
            if next.shape != Shape::Lower {
                span_end = end + 2;
            }
        }
        spans.push(NameSpan {
            tokens: i..end + 1,
            span: i..span_end,
            candidates,
            kind_hint,
        });
        i = span_end;
    }
    spans
}

fn skeleton_candidates(
    g: &Gazetteer,
    skel: &str,
    exact_key: Option<&str>,
) -> Vec<(PlaceId, NameMatch)> {
    g.by_skeleton_key(skel)
        .iter()
        .map(|&id| {
            (
                id,
                exact_key.map_or(NameMatch::Skeleton, |k| g.match_kind(id, k)),
            )
        })
        .collect()
}

//! Places the gazetteer lacks but the text plainly calls places: "the village of Tell Shaheen",
//! "the rebel-held al-Kalasa neighbourhood of Aleppo", "Khirbet Umm Salim camp". They are
//! reported at the best enclosing area the text gives (the place after "of"/"in", or the
//! nearest place named before them in the sentence, or the document's country in focus), with
//! the precision that area allows: never a country centroid presented as precise.

use truce_geo::{Gazetteer, PlaceKind};

use super::{Geography, MentionRole, PlaceHit};
use crate::lexicon::Lexicon;
use crate::text::{Shape, Tokens};

/// Type words that announce a named place.
const TYPE_WORDS: &[&str] = &[
    "village",
    "town",
    "city",
    "neighbourhood",
    "neighborhood",
    "district",
    "suburb",
    "camp",
    "quarter",
    "hamlet",
    "settlement",
    "area",
    "locality",
    "township",
];

/// The proper-name run ending at `end` (exclusive) or starting at `start`: up to 4 capitalised
/// words, with Arabic articles and hyphens inside.
fn name_run(tokens: &Tokens, start: usize, forward: bool, limit: usize) -> Option<(usize, usize)> {
    let ok = |i: usize| {
        let t = &tokens.list[i];
        matches!(t.shape, Shape::Capitalized | Shape::Upper)
            || (t.shape == Shape::Lower && truce_geo::normalize::is_article(tokens.folded(i)))
    };
    if forward {
        let mut end = start;
        while end < tokens.len().min(start + 4)
            && ok(end)
            && (end == start || !tokens.list[end].comma_before)
        {
            end += 1;
        }
        // A lone article is not a name.
        (end > start && tokens.list[end - 1].shape != Shape::Lower).then_some((start, end))
    } else {
        let mut begin = start;
        while begin > limit
            && start - begin < 4
            && ok(begin - 1)
            && !tokens.list[begin].comma_before
            && !tokens.list[begin].sentence_start
        {
            begin -= 1;
        }
        while begin < start
            && tokens.list[begin].sentence_start
            && tokens.list[begin].shape == Shape::Capitalized
            && begin + 1 < start
        {
            // "The Kalasa neighbourhood": a sentence-initial word is part of the name only if
            // nothing else is.
            begin += 1;
        }
        (begin < start && tokens.list[start - 1].shape != Shape::Lower).then_some((begin, start))
    }
}

/// Adds unknown places to `geo.hits`.
pub fn find_unknown(g: &Gazetteer, lex: &Lexicon, tokens: &Tokens, geo: &mut Geography) {
    let covered = |geo: &Geography, a: usize, b: usize| {
        geo.hits
            .iter()
            .any(|h| h.tokens.start < b && a < h.tokens.end)
    };
    let mut found: Vec<PlaceHit> = Vec::new();
    for i in 0..tokens.len() {
        if tokens.list[i].shape != Shape::Lower || !TYPE_WORDS.contains(&tokens.folded(i)) {
            continue;
        }
        // "the X neighbourhood (of Y)"
        let mut run = None;
        if i > 0 && !tokens.list[i].comma_before && !tokens.list[i].sentence_start {
            let sentence_start = (0..=i)
                .rev()
                .find(|&k| tokens.list[k].sentence_start)
                .unwrap_or(0);
            run = name_run(tokens, i, false, sentence_start);
        }
        // "the village of X"
        let after_of = tokens
            .list
            .get(i + 1)
            .is_some_and(|_| tokens.folded(i + 1) == "of")
            && i + 2 < tokens.len();
        if run.is_none() && after_of {
            run = name_run(tokens, i + 2, true, 0);
        }
        let Some((a, b)) = run else { continue };
        let first = tokens.folded(a);
        let is_name = (a..b)
            .any(|k| !lex.is_common(tokens.folded(k)) || tokens.list[k].shape == Shape::Upper);
        if covered(geo, a, b)
            || found.iter().any(|h| h.tokens.start < b && a < h.tokens.end)
            || !is_name
            || lex.demonyms.contains_key(first)
            || lex.titles.contains(first)
        {
            continue;
        }
        let enclosing = enclosing_area(g, tokens, geo, a, b, i);
        let (first_tok, last_tok) = (&tokens.list[a], &tokens.list[b - 1]);
        found.push(PlaceHit {
            tokens: a..b,
            chars: first_tok.chars.start..last_tok.chars.end,
            bytes: first_tok.bytes.start..last_tok.bytes.end,
            place: None,
            enclosing,
            role: MentionRole::Place,
        });
    }
    geo.hits.extend(found);
    geo.hits.sort_by_key(|h| h.tokens.start);
}

/// The area that encloses an unknown place: a place named right after it ("of Y", "in Y",
/// ", Y"), else the nearest place named before it in its sentence, else the country in focus.
fn enclosing_area(
    g: &Gazetteer,
    tokens: &Tokens,
    geo: &Geography,
    a: usize,
    b: usize,
    type_word: usize,
) -> Option<truce_geo::PlaceId> {
    let after = b.max(type_word + 1);
    let next = geo.hits.iter().find(|h| {
        h.tokens.start >= after && h.tokens.start <= after + 2 && h.role == MentionRole::Place
    });
    if let Some(h) = next
        && (h.tokens.start == after
            || matches!(
                tokens.folded(h.tokens.start - 1),
                "of" | "in" | "near" | "outside"
            ))
    {
        return h.place;
    }
    let sentence_start = (0..=a)
        .rev()
        .find(|&k| tokens.list[k].sentence_start)
        .unwrap_or(0);
    if let Some(h) = geo.hits.iter().rev().find(|h| {
        h.tokens.end <= a
            && h.tokens.start >= sentence_start
            && h.role == MentionRole::Place
            && h.place.is_some()
    }) {
        return h.place;
    }
    // Fall back on the first-order area most named (itself or by a place inside it) in the
    // country in focus, else that country: "the al-Kalasa neighbourhood nearby" in a report
    // datelined Aleppo is in Aleppo, not in Geneva where talks are to be held.
    let focus = geo.focus.first().map(|(cc, _)| *cc);
    let mut areas: Vec<(truce_geo::PlaceId, usize)> = Vec::new();
    for h in geo.hits.iter().filter(|h| h.role == MentionRole::Place) {
        let Some(p) = h.place.map(|id| g.place(id)) else {
            continue;
        };
        if p.kind.is_area() && p.kind != PlaceKind::Admin1 && p.kind != PlaceKind::Admin2 {
            continue;
        }
        let (Some(cc), Some(code)) = (p.country, p.admin1.as_deref()) else {
            continue;
        };
        if focus.is_some_and(|f| f != cc) {
            continue;
        }
        let Some(id) = g.admin1(cc, code) else {
            continue;
        };
        match areas.iter_mut().find(|(x, _)| *x == id) {
            Some((_, n)) => *n += 1,
            None => areas.push((id, 1)),
        }
    }
    areas.sort_by_key(|a| std::cmp::Reverse(a.1));
    areas
        .first()
        .map(|(id, _)| *id)
        .or_else(|| focus.and_then(|cc| g.country(cc)))
}

//! Talks: rounds of negotiations and meetings a report mentions ("the third round of proximity
//! talks in Geneva", "a fourth round next month", "the task force met"), with their ordinal,
//! place, mediator, date or expected date, and status (held, planned, postponed, conditional).

use chrono::{Datelike, NaiveDate};
use truce_model::Talk;

use crate::dates::DateMention;
use crate::places::{Geography, MentionRole};
use crate::text::{Sentence, Shape, Tokens};

const ORDINALS: &[&str] = &[
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
    "eleventh", "twelfth",
];

const TALK_WORDS: &[&str] = &[
    "talks",
    "negotiations",
    "consultations",
    "meeting",
    "meetings",
    "conference",
    "summit",
];

fn ordinal(word: &str) -> Option<u32> {
    if let Some(i) = ORDINALS.iter().position(|o| *o == word) {
        return Some(i as u32 + 1);
    }
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &word[digits.len()..];
    matches!(suffix, "st" | "nd" | "rd" | "th")
        .then(|| digits.parse().ok())
        .flatten()
}

/// Every round of talks or meeting mentioned, one per sentence at most.
pub fn find_talks(
    text: &str,
    tokens: &Tokens,
    sentences: &[Sentence],
    geo: &Geography,
    dates: &[DateMention],
    published: Option<NaiveDate>,
    gazetteer: &truce_geo::Gazetteer,
) -> Vec<Talk> {
    let w = |i: usize| tokens.folded(i);
    let mut out = Vec::new();
    for s in sentences {
        let r = s.tokens.clone();
        let Some((anchor, round, talk)) = anchor(tokens, r.clone()) else {
            continue;
        };
        let ord = if round == Some(anchor) {
            anchor.checked_sub(1).and_then(|k| ordinal(w(k)))
        } else {
            None
        };
        let start_tok = if round == Some(anchor) && ord.is_some() {
            anchor - 1
        } else {
            anchor
        };
        let end_tok = talk
            .filter(|t| *t >= anchor)
            .map_or(anchor + 1, |t| t + 1)
            .min(r.end);
        let place = talk_place(text, tokens, &r, geo, gazetteer);
        let mediator = mediator(text, tokens, &r);
        let status = status(tokens, &r);
        let date = talk_date(tokens, &r, dates, published, status);
        let name_start = tokens.list[start_tok].bytes.start;
        let name_end = tokens.list[end_tok.saturating_sub(1).max(start_tok)]
            .bytes
            .end;
        let name = text[name_start..name_end].to_string();
        let char_start = tokens.list[start_tok].chars.start;
        let char_end = tokens.list[end_tok.saturating_sub(1).max(start_tok)]
            .chars
            .end;
        out.push(Talk {
            name,
            ordinal: ord,
            place,
            mediator,
            date,
            status: Some(status.to_string()),
            start: char_start,
            end: char_end,
        });
    }
    out
}

/// Where a sentence (its tokens `r`) speaks of a round of talks or a meeting: the token it is
/// anchored on, and the tokens of "round" and of the talk word, when there are.
fn anchor(
    tokens: &Tokens,
    r: std::ops::Range<usize>,
) -> Option<(usize, Option<usize>, Option<usize>)> {
    let w = |i: usize| tokens.folded(i);
    // "third round of (proximity) talks", "a new round", "talks", "the task force met".
    let round = r.clone().find(|&i| w(i) == "round" || w(i) == "rounds");
    let talk = r.clone().find(|&i| {
        TALK_WORDS.contains(&w(i))
            && (w(i) != "meeting"
                || r.clone().any(|k| {
                    matches!(
                        w(k),
                        "task" | "co" | "chairs" | "cochairs" | "envoy" | "delegations"
                    )
                }))
    });
    let met = r.clone().find(|&i| {
        w(i) == "met"
            && (r.start..i).any(|k| {
                matches!(
                    w(k),
                    "force" | "chairs" | "cochairs" | "delegations" | "sides" | "parties"
                )
            })
    });
    let counted_round = round.filter(|&a| {
        a > 0
            && (ordinal(w(a - 1)).is_some()
                || matches!(w(a - 1), "new" | "next" | "another" | "latest" | "last"))
    });
    let anchor = match (round, talk, met) {
        (Some(a), Some(t), _) if t > a && t - a <= 5 => a,
        (Some(a), _, _) if counted_round == Some(a) => a,
        (None, Some(t), _)
            if (t.saturating_sub(3)..t).any(|k| {
                matches!(
                    w(k),
                    "peace"
                        | "proximity"
                        | "ceasefire"
                        | "indirect"
                        | "direct"
                        | "truce"
                        | "geneva"
                        | "astana"
                )
            }) =>
        {
            t
        }
        (_, _, Some(m)) => m,
        _ => return None,
    };
    Some((anchor, round, talk))
}

/// Where: a place named after "in" or "at" in the sentence.
fn talk_place(
    text: &str,
    tokens: &Tokens,
    r: &std::ops::Range<usize>,
    geo: &Geography,
    gazetteer: &truce_geo::Gazetteer,
) -> Option<String> {
    let w = |i: usize| tokens.folded(i);
    geo.hits
        .iter()
        .filter(|h| r.contains(&h.tokens.start) && h.role != MentionRole::InName)
        .find(|h| h.tokens.start > 0 && matches!(w(h.tokens.start - 1), "in" | "at"))
        .map(|h| match h.place {
            Some(id) => gazetteer.place(id).name.clone(),
            None => text[h.bytes.clone()].to_string(),
        })
}

/// Who mediates: a name after "envoy" or "mediator", or after "convened by", "mediated by".
fn mediator(text: &str, tokens: &Tokens, r: &std::ops::Range<usize>) -> Option<String> {
    let w = |i: usize| tokens.folded(i);
    r.clone()
        .find(|&i| {
            matches!(w(i), "envoy" | "mediator" | "mediators")
                || (w(i) == "by"
                    && i > 0
                    && matches!(
                        w(i - 1),
                        "convened" | "mediated" | "hosted" | "brokered" | "chaired"
                    ))
        })
        .and_then(|i| {
            let names: Vec<usize> = (i + 1..r.end)
                .take_while(|&k| {
                    matches!(tokens.list[k].shape, Shape::Capitalized)
                        || (matches!(w(k), "de" | "al" | "van") && k > i + 1)
                })
                .collect();
            let (first, last) = (*names.first()?, *names.last()?);
            Some(text[tokens.list[first].bytes.start..tokens.list[last].bytes.end].to_string())
        })
}

/// Whether the talks were held, are planned, postponed, or conditional.
fn status(tokens: &Tokens, r: &std::ops::Range<usize>) -> &'static str {
    let has = |words: &[&str]| r.clone().any(|i| words.contains(&tokens.folded(i)));
    if has(&[
        "postponed",
        "delayed",
        "suspended",
        "cancelled",
        "canceled",
        "adjourned",
    ]) {
        "postponed"
    } else if has(&["only", "provided", "unless", "condition", "conditions"])
        && has(&["if", "provided", "unless", "condition", "conditions"])
    {
        "conditional"
    } else if has(&[
        "will",
        "next",
        "planned",
        "scheduled",
        "expected",
        "hopes",
        "hoped",
        "convene",
        "upcoming",
        "would",
        "plans",
        "to",
    ]) && !has(&[
        "ended",
        "concluded",
        "held",
        "met",
        "took",
        "wrapped",
        "closed",
    ]) {
        "planned"
    } else {
        "held"
    }
}

/// When: a date in the sentence, "next month" from publication, else the publication date for
/// talks held.
fn talk_date(
    tokens: &Tokens,
    r: &std::ops::Range<usize>,
    dates: &[DateMention],
    published: Option<NaiveDate>,
    status: &str,
) -> Option<String> {
    let has = |words: &[&str]| r.clone().any(|i| words.contains(&tokens.folded(i)));
    dates
        .iter()
        .find(|d| r.contains(&d.tokens.start))
        .map(|d| d.date.format("%Y-%m-%d").to_string())
        .or_else(|| {
            let p = published?;
            if has(&["next"]) && has(&["month"]) {
                let (y, m) = if p.month() == 12 {
                    (p.year() + 1, 1)
                } else {
                    (p.year(), p.month() + 1)
                };
                Some(format!("{y:04}-{m:02}"))
            } else if status == "held" {
                Some(p.format("%Y-%m-%d").to_string())
            } else {
                None
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals_in_words_and_figures() {
        assert_eq!(ordinal("third"), Some(3));
        assert_eq!(ordinal("4th"), Some(4));
        assert_eq!(ordinal("round"), None);
    }
}

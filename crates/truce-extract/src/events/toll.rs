//! How many were killed: the rules propose every count of people the telling holds, a learned
//! model says which of them count the event's dead, and those are added up.
//!
//! The rules' toll ([`crate::casualties`]) links a figure to a death word through a lexicon of
//! people and of the words allowed between them: "3 Al Shabaab militants were killed" breaks the
//! path at "Al", "2 policemen were shot dead" at "shot", "two telecommunication technicians" at
//! the unknown noun. The model reads every figure ("3", "at least 15", "dozens") and every person
//! named alone ("a construction worker", "the cleric") of the sentences that tell the event and
//! of those right after them that speak of the dead and that no event took, each described by
//! its words, its qualifier, the death and injury words on either side with the words between,
//! whether it is a part of a count ("including two children") or an update ("rose to 12"), and
//! what the rules made of it. The candidates it accepts give the toll ([`combine`]): the first
//! sentence that holds one, its groups added up ("7 soldiers and 19 militants were killed": 26);
//! an update is the best estimate, the lowest figure the low.

use std::ops::Range;

use truce_model::Count;

use super::EventInput;
use crate::casualties::{
    Figure, Harm, Qualifier, figure_at, is_cue, is_one_person, is_person, merge, preceded_by_subset,
};
use crate::learn::{Candidate, FeatureSink, LinearModel, Proposal, assess};
use crate::text::{Sentence, Shape, Tokens};

/// The probability from which a candidate counts the event's dead.
const ACCEPT: f64 = 0.5;

/// Words that tell a death beside the rules' cues ([`is_cue`]): the verbs of a killing the rules
/// do not count from ("gunned down", "lynched", "murdered", "shot dead") and nouns of the dead.
#[rustfmt::skip]
const MORE_DEATH_WORDS: &[&str] = &[
    "murder", "murders", "gunned", "lynched", "lynches", "lynching", "butchered", "drowned",
    "corpses", "dies", "die", "succumbed", "toll", "fatality", "casualties", "shot",
];

/// Words that tell an injury beside the rules' cues.
const MORE_INJURY_WORDS: &[&str] = &["injury", "hospitalised", "hospitalized"];

/// Whether a word tells a death, for the model's features.
fn tells_death(w: &str) -> bool {
    is_cue(w, Harm::Killed) || MORE_DEATH_WORDS.contains(&w)
}

/// Whether a word tells an injury, for the model's features.
fn tells_injury(w: &str) -> bool {
    is_cue(w, Harm::Injured) || MORE_INJURY_WORDS.contains(&w)
}

/// Verbs that update a toll told before ("rose to 12").
const UPDATE_WORDS: &[&str] = &[
    "rose",
    "risen",
    "raised",
    "climbed",
    "reached",
    "increased",
    "jumped",
    "revised",
];

/// Where a mention's sentence stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Told {
    /// The telling's first sentence.
    First,
    /// A later sentence of the telling.
    Telling,
    /// A sentence right after the telling that speaks of the dead.
    Aftermath,
}

impl Told {
    fn feature(self) -> &'static str {
        match self {
            Told::First => "t:first_sentence",
            Told::Telling => "t:later_sentence",
            Told::Aftermath => "t:aftermath",
        }
    }
}

/// What a mention is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A figure: "3", "at least 15", "dozens".
    Figure,
    /// One person named in the singular: "a construction worker", "the cleric".
    Person,
}

/// A count of people the telling holds.
#[derive(Debug, Clone)]
struct Mention {
    /// Its words.
    tokens: Range<usize>,
    /// The sentence it stands in (its words).
    sentence: Range<usize>,
    /// Where that sentence stands in the event's telling.
    told: Told,
    /// Whether that sentence cites another source ("another source reported").
    another_source: bool,
    figure: Figure,
    kind: Kind,
}

/// Whether a sentence speaks of the dead (a word that [`tells_death`]).
pub(crate) fn speaks_of_the_dead(x: &EventInput<'_>, s: &Sentence) -> bool {
    s.tokens.clone().any(|i| tells_death(x.tokens.folded(i)))
}

/// Every figure and every person in the singular in the sentences that tell an event and those
/// of its aftermath.
fn mentions(t: &Tokens, all: &[Sentence], telling: &[usize], aftermath: &[usize]) -> Vec<Mention> {
    let mut out = Vec::new();
    let sentences = telling
        .iter()
        .map(|&i| {
            (
                i,
                if Some(&i) == telling.first() {
                    Told::First
                } else {
                    Told::Telling
                },
            )
        })
        .chain(aftermath.iter().map(|&i| (i, Told::Aftermath)));
    for (s, told) in sentences.filter_map(|(i, told)| Some((all.get(i)?, told))) {
        let another_source = s
            .tokens
            .clone()
            .zip(s.tokens.clone().skip(1))
            .any(|(a, b)| {
                matches!(t.folded(a), "another" | "other") && t.folded(b).starts_with("source")
            });
        let mut i = s.tokens.start;
        let mut figure_end: Option<usize> = None;
        while i < s.tokens.end {
            if let Some((mut figure, end)) = figure_at(t, i).filter(|(_, end)| *end <= s.tokens.end)
            {
                figure.update = (1..=4)
                    .any(|n| i >= n + s.tokens.start && UPDATE_WORDS.contains(&t.folded(i - n)));
                out.push(Mention {
                    tokens: i..end,
                    sentence: s.tokens.clone(),
                    told,
                    another_source,
                    figure,
                    kind: Kind::Figure,
                });
                // An age counts no one: "a 15 year old girl", "a 22-year-old youth".
                let age = end < s.tokens.end && matches!(t.folded(end), "year" | "years");
                if !age {
                    figure_end = Some(end);
                }
                i = end;
                continue;
            }
            // A person counted by a figure already ("3 militants") is that figure's.
            if names_a_person(t, i).is_some() && figure_end.is_none_or(|e| i >= e + 3) {
                out.push(Mention {
                    tokens: i..i + 1,
                    sentence: s.tokens.clone(),
                    told,
                    another_source,
                    figure: Figure {
                        value: 1,
                        upper: None,
                        qualifier: Qualifier::Exact,
                        update: false,
                        start: Some(i),
                    },
                    kind: Kind::Person,
                });
            }
            i += 1;
        }
    }
    out
}

/// Endings of nouns for people by what they do ("a bystander", "a human rights defender", "a
/// Boda Boda rider", "a guitarist").
const AGENT_ENDINGS: &[&str] = &["er", "or", "ist", "ian", "man", "ant"];

/// How the word at `i` names one person, if it does: a singular word for people ("civilian",
/// "driver"), or a noun of a doer after an article ("an unarmed bystander").
fn names_a_person(t: &Tokens, i: usize) -> Option<&'static str> {
    let w = t.folded(i);
    if is_one_person(w) {
        return Some("known");
    }
    // A plural, or a word for a group ("the police").
    if w.ends_with('s') || is_person(w) {
        return None;
    }
    let doer = AGENT_ENDINGS.iter().any(|e| w.ends_with(e)) && w.len() > 4;
    let after_article = (1..=3).any(|n| {
        i >= n
            && matches!(t.folded(i - n), "a" | "an" | "another")
            && (i - n + 1..=i).all(|k| !t.list[k].comma_before && !t.list[k].sentence_start)
    });
    (doer && after_article).then_some("doer")
}

/// A word as the features see it: names and figures by their shape, so that "3 Al Shabaab
/// militants" teaches about any name.
fn word(t: &Tokens, i: usize) -> &str {
    let tok = &t.list[i];
    let w = t.folded(i);
    match tok.shape {
        Shape::Digit => "#",
        Shape::Capitalized | Shape::Upper if !tok.sentence_start && !is_person(w) => "C",
        _ => w,
    }
}

fn distance_bucket(d: usize) -> &'static str {
    match d {
        0 => "0",
        1 => "1",
        2 => "2",
        3..=4 => "4",
        5..=7 => "7",
        _ => "far",
    }
}

fn value_bucket(v: u32) -> &'static str {
    match v {
        0 => "0",
        1 => "1",
        2 => "2",
        3..=5 => "5",
        6..=10 => "10",
        11..=20 => "20",
        21..=50 => "50",
        51..=100 => "100",
        101..=1000 => "1000",
        _ => "more",
    }
}

fn qualifier_name(q: Qualifier) -> &'static str {
    match q {
        Qualifier::Exact => "exact",
        Qualifier::AtLeast => "at_least",
        Qualifier::AtMost => "at_most",
        Qualifier::About => "about",
        Qualifier::Vague => "vague",
    }
}

/// The nearest word `such` after the mention (within its sentence and ten words), with its
/// distance.
fn nearest_after(t: &Tokens, m: &Mention, such: fn(&str) -> bool) -> Option<(usize, usize)> {
    (m.tokens.end..m.sentence.end.min(m.tokens.end + 10))
        .find(|&j| such(t.folded(j)))
        .map(|j| (j, j - m.tokens.end))
}

/// The nearest word `such` before the mention (within its sentence and ten words), with its
/// distance.
fn nearest_before(t: &Tokens, m: &Mention, such: fn(&str) -> bool) -> Option<(usize, usize)> {
    (m.sentence.start.max(m.tokens.start.saturating_sub(10))..m.tokens.start)
        .rev()
        .find(|&j| such(t.folded(j)))
        .map(|j| (j, m.tokens.start - j - 1))
}

/// Words that join one counted group to another ("7 soldiers and 19 militants", "a commander
/// as well as four other militants", "two personnel along with 15 militants").
const JOINS: &[&str] = &["and", "with", "as", "well", "plus", "besides"];

/// Whether the words from `from` to `to` join two groups: only joining words, commas and the
/// words of a group (people, their determiners and descriptions), with a joining word among them.
fn joins(t: &Tokens, from: usize, to: usize) -> bool {
    to >= from
        && to - from <= 6
        && (from..to).any(|k| JOINS.contains(&t.folded(k)))
        && (from..to).all(|k| {
            let w = t.folded(k);
            JOINS.contains(&w)
                || is_person(w)
                || matches!(
                    w,
                    "a" | "an" | "the" | "his" | "her" | "their" | "other" | "along"
                )
        })
}

/// Describes one mention as a candidate count of the event's dead, beside the mentions before
/// and after it in its sentence.
fn describe(
    t: &Tokens,
    m: &Mention,
    neighbours: (Option<&Mention>, Option<&Mention>),
    rules_figures: &[Figure],
    rules: Option<Count>,
    f: &mut dyn FeatureSink,
) {
    let at = |i: usize| if i < t.len() { t.folded(i) } else { "$" };
    let before = |n: usize| {
        if m.tokens.start >= n && m.tokens.start - n >= m.sentence.start {
            word(t, m.tokens.start - n)
        } else {
            "^"
        }
    };
    let after = |n: usize| {
        let i = m.tokens.end + n;
        if i < m.sentence.end { word(t, i) } else { "$" }
    };
    let fig = m.figure;
    match m.kind {
        Kind::Figure => {
            f.on(&["t:kind=figure"]);
            f.on(&["t:q=", qualifier_name(fig.qualifier)]);
            f.on(&["t:v=", value_bucket(fig.value)]);
            if fig.upper.is_some() {
                f.on(&["t:range"]);
            }
            if t.list[m.tokens.start].shape != Shape::Digit {
                f.on(&["t:in_words"]);
            }
            f.on(&["t:next=", after(0)]);
            f.on(&["t:next2=", after(0), " ", after(1)]);
        }
        Kind::Person => {
            f.on(&["t:kind=person"]);
            if let Some(how) = names_a_person(t, m.tokens.start) {
                f.on(&["t:person=", how]);
            }
            f.on(&["t:noun=", at(m.tokens.start)]);
            f.on(&["t:next=", after(0)]);
        }
    }
    f.on(&["t:prev=", before(1)]);
    f.on(&["t:prev2=", before(2), " ", before(1)]);
    if preceded_by_subset(t, m.tokens.start) {
        f.on(&["t:part_of_count"]);
    }
    if fig.update {
        f.on(&["t:update"]);
    }
    let death_after = nearest_after(t, m, tells_death);
    let death_before = nearest_before(t, m, tells_death);
    let injury_after = nearest_after(t, m, tells_injury);
    let injury_before = nearest_before(t, m, tells_injury);
    if let Some((j, d)) = death_after {
        f.on(&["t:death_after=", t.folded(j)]);
        f.on(&["t:death_after<=", distance_bucket(d)]);
        for k in m.tokens.end..j {
            f.on(&["t:to_death=", word(t, k)]);
        }
    }
    if let Some((j, d)) = death_before {
        f.on(&["t:death_before=", t.folded(j)]);
        f.on(&["t:death_before<=", distance_bucket(d)]);
        for k in j + 1..m.tokens.start {
            f.on(&["t:from_death=", word(t, k)]);
        }
    }
    if let Some((_, d)) = injury_after {
        f.on(&["t:injury_after<=", distance_bucket(d)]);
    }
    if let Some((_, d)) = injury_before {
        f.on(&["t:injury_before<=", distance_bucket(d)]);
    }
    let nearest = |a: Option<(usize, usize)>, b: Option<(usize, usize)>| match (a, b) {
        (Some((_, a)), Some((_, b))) => Some(a.min(b)),
        (a, b) => a.or(b).map(|(_, d)| d),
    };
    match (
        nearest(death_after, death_before),
        nearest(injury_after, injury_before),
    ) {
        (Some(d), Some(i)) if d < i => f.on(&["t:death_nearer"]),
        (Some(_), Some(_)) => f.on(&["t:injury_nearer"]),
        (Some(_), None) => f.on(&["t:death_only"]),
        (None, Some(_)) => f.on(&["t:injury_only"]),
        (None, None) => f.on(&["t:no_cue"]),
    }
    if let Some(prev) = neighbours.0.filter(|p| p.sentence == m.sentence)
        && joins(t, prev.tokens.end, m.tokens.start)
    {
        f.on(&["t:joined_to_earlier"]);
    }
    if let Some(next) = neighbours.1.filter(|n| n.sentence == m.sentence)
        && joins(t, m.tokens.end, next.tokens.start)
    {
        f.on(&["t:joined_to_later"]);
    }
    f.on(&[m.told.feature()]);
    if m.another_source {
        f.on(&["t:another_source"]);
    }
    // What the rules counted: this mention (a figure starting at its first word, or the one
    // person of "a child was killed"), another, or nothing.
    let counted = |r: &Figure| {
        r.start.is_some_and(|s| match m.kind {
            Kind::Figure => s == m.tokens.start,
            Kind::Person => s <= m.tokens.start && s + 3 >= m.tokens.start,
        })
    };
    if rules_figures.iter().any(counted) {
        f.on(&["t:rules_counted"]);
    } else if !rules_figures.is_empty() {
        f.on(&["t:rules_counted_another"]);
    }
    match rules {
        None => f.on(&["t:rules_none"]),
        Some(c) => {
            if c.low == Some(fig.value) {
                f.on(&["t:rules_low"]);
            }
            if c.best == Some(fig.value) {
                f.on(&["t:rules_best"]);
            }
            if c.low != Some(fig.value) && c.best != Some(fig.value) {
                f.on(&["t:rules_other"]);
            }
        }
    }
}

/// The toll the accepted mentions give (in the order of the text), as the record counts it: the
/// lowest figure reported (ACLED's rule), the best estimate and the highest.
///
/// The first sentence that holds a count gives the count: its groups added up ("7 soldiers and 19
/// militants": 26), a figure told twice counted once. Later sentences tell the parts of the
/// lead's count ("42 killed ... 19 outside Saraqeb and 23 in ...") or the same dead again more
/// often than more dead: on the dev sets, adding them up loses 5 points of FA-KES's exact tolls
/// and taking the largest sentence 1 point. An update anywhere ("the toll rose to 14") is the
/// best estimate; the lowest of the count and the updates is the low.
fn combine(accepted: &[&Mention]) -> Option<Count> {
    let (updates, counts): (Vec<&Mention>, Vec<&Mention>) =
        accepted.iter().partition(|m| m.figure.update);
    let mut seen: Vec<u32> = Vec::new();
    let mut uppers: Vec<u32> = Vec::new();
    let first = counts.first().map(|m| m.sentence.clone());
    for m in counts
        .iter()
        .filter(|m| Some(&m.sentence) == first.as_ref())
    {
        if !seen.contains(&m.figure.value) {
            seen.push(m.figure.value);
            uppers.extend(m.figure.upper);
        }
    }
    let count = (!seen.is_empty()).then(|| seen.iter().fold(0u32, |a, v| a.saturating_add(*v)));
    let reported: Vec<u32> = count
        .into_iter()
        .chain(updates.iter().map(|m| m.figure.value))
        .collect();
    let low = reported.iter().copied().min()?;
    let best = updates.last().map_or(count, |m| Some(m.figure.value));
    let high = reported
        .iter()
        .copied()
        .chain(uppers)
        .chain(updates.iter().filter_map(|m| m.figure.upper))
        .max()
        .filter(|&h| h > low);
    Some(Count {
        low: Some(low),
        best,
        high,
    })
}

/// An event's toll as decided.
pub(crate) struct Toll {
    /// The count of its dead.
    pub count: Option<Count>,
    /// Whether its best estimate updates a toll told before ("the toll rose to 14").
    pub update: bool,
    /// The candidates, named and scored (only when the reading is explained).
    pub candidates: Vec<Candidate>,
}

/// Decides an event's toll from the sentences that tell it and those of its aftermath (right
/// after them, speaking of the dead, taken by no event). With a model, the mentions it
/// accepts ([`combine`]); without one the rules' toll stands. The candidates are returned, named
/// and scored, only when the reading is explained.
pub(crate) fn decide(
    x: &EventInput<'_>,
    sentences: &[usize],
    aftermath: &[usize],
    killed: &[Figure],
) -> Toll {
    let rules = merge(killed);
    let rules_update = killed.iter().any(|f| f.update);
    let model: Option<&LinearModel> = x.models.deciding("toll");
    if model.is_none() && !x.explain {
        return Toll {
            count: rules,
            update: rules_update,
            candidates: Vec::new(),
        };
    }
    let mentions = mentions(x.tokens, x.sentences, sentences, aftermath);
    let assessed: Vec<_> = (0..mentions.len())
        .map(|i| {
            let neighbours = (i.checked_sub(1).map(|j| &mentions[j]), mentions.get(i + 1));
            assess(model, x.explain, |f| {
                describe(x.tokens, &mentions[i], neighbours, killed, rules, f)
            })
        })
        .collect();
    let scored: Vec<(Mention, _, Option<f64>)> = mentions
        .into_iter()
        .zip(assessed)
        .map(|(m, (features, p))| (m, features, p))
        .collect();
    let (count, update) = match model {
        Some(_) => {
            let accepted: Vec<&Mention> = scored
                .iter()
                .filter(|(_, _, p)| p.is_some_and(|p| p >= ACCEPT))
                .map(|(m, _, _)| m)
                .collect();
            (combine(&accepted), accepted.iter().any(|m| m.figure.update))
        }
        None => (rules, rules_update),
    };
    if !x.explain {
        return Toll {
            count,
            update,
            candidates: Vec::new(),
        };
    }
    let mut candidates: Vec<Candidate> = scored
        .into_iter()
        .map(|(m, features, probability)| {
            let bytes = x.tokens.list[m.tokens.start].bytes.start
                ..x.tokens.list[m.tokens.end - 1].bytes.end;
            Candidate {
                name: x.text[bytes].to_string(),
                proposal: Proposal::Toll {
                    value: m.figure.value,
                },
                features,
                probability,
                chosen: model.is_some() && probability.is_some_and(|p| p >= ACCEPT),
            }
        })
        .collect();
    candidates.sort_by(|a, b| {
        b.probability
            .unwrap_or(0.0)
            .total_cmp(&a.probability.unwrap_or(0.0))
    });
    Toll {
        count,
        update,
        candidates,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{split_sentences, tokenize};

    /// The mentions of a text whose first sentence tells the event and whose others follow it.
    fn read(text: &str) -> (Tokens, Vec<Mention>) {
        let t = tokenize(text);
        let s = split_sentences(text, &t);
        let after: Vec<usize> = (1..s.len()).collect();
        let m = mentions(&t, &s, &[0], &after);
        (t, m)
    }

    fn shown(text: &str) -> Vec<(String, u32, Told)> {
        let (t, m) = read(text);
        m.iter()
            .map(|m| {
                let words: Vec<&str> = m.tokens.clone().map(|i| t.folded(i)).collect();
                (words.join(" "), m.figure.value, m.told)
            })
            .collect()
    }

    #[test]
    fn every_figure_and_every_person_named_alone_is_a_candidate() {
        assert_eq!(
            shown("Fighters raided a camp. 3 Al Shabaab militants were killed in the fight."),
            vec![("3".to_string(), 3, Told::Aftermath)]
        );
        assert_eq!(
            shown("Seven police officers and a civilian were killed near a petrol station."),
            vec![
                ("seven".to_string(), 7, Told::First),
                ("civilian".to_string(), 1, Told::First)
            ]
        );
        // A doer's noun after an article is a person; a thing's is not, nor a person already
        // counted by a figure.
        assert_eq!(
            shown("An unarmed bystander was shot by at least two gunmen in a taxi."),
            vec![
                ("bystander".to_string(), 1, Told::First),
                ("at least two".to_string(), 2, Told::First)
            ]
        );
        assert!(
            shown("The police and the army met the governor.")
                .iter()
                .all(|(w, _, _)| w == "governor")
        );
    }

    #[test]
    fn an_update_is_marked_where_it_is_told() {
        let (_, m) = read("A car bomb killed 9 people; the death toll later rose to 14.");
        let updates: Vec<(u32, bool)> = m
            .iter()
            .map(|m| (m.figure.value, m.figure.update))
            .collect();
        assert_eq!(updates, vec![(9, false), (14, true)]);
    }

    fn count(text: &str, accepted: &[u32]) -> Option<(Option<u32>, Option<u32>, Option<u32>)> {
        let (_, m) = read(text);
        let chosen: Vec<&Mention> = m
            .iter()
            .filter(|m| accepted.contains(&m.figure.value))
            .collect();
        combine(&chosen).map(|c| (c.low, c.best, c.high))
    }

    #[test]
    fn the_first_sentence_with_a_count_gives_it_and_its_groups_add_up() {
        assert_eq!(
            count("7 soldiers and 19 militants were killed.", &[7, 19]),
            Some((Some(26), Some(26), None))
        );
        // The parts told later are not added to the lead's count.
        assert_eq!(
            count(
                "Air strikes killed 42 people. They killed 19 near Saraqeb and 23 in Ariha.",
                &[42, 19, 23]
            ),
            Some((Some(42), Some(42), None))
        );
        // A figure told twice is counted once.
        assert_eq!(
            count("Twelve people were killed, 12 of them children.", &[12]),
            Some((Some(12), Some(12), None))
        );
        assert_eq!(count("Nobody was hurt.", &[]), None);
    }

    #[test]
    fn an_update_is_the_best_estimate_and_the_lowest_figure_the_low() {
        assert_eq!(
            count(
                "A car bomb killed 9 people; the death toll later rose to 14.",
                &[9, 14]
            ),
            Some((Some(9), Some(14), Some(14)))
        );
        assert_eq!(
            count("The death toll rose to 14.", &[14]),
            Some((Some(14), Some(14), None))
        );
    }
}

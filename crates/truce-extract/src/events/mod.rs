//! Events: from trigger words to ACLED-coded occurrences with place, date, toll and actors.
//!
//! 1. **Triggers**: each sentence's event words (`lexicon/event_triggers.tsv`), minus the
//!    hypothetical ("threatened to attack") and the negated ("no clashes"), give it a sub-event
//!    type by ACLED's precedence ([`types::choose`]).
//! 2. **Background**: sentences about earlier years or totals "since the war began" make no
//!    event and lend no casualties, unless a strong event word stands before the "since" ("a car
//!    bomb killed 30 in the deadliest attack since the war began"). People killed or hurt with
//!    no event word make an attack unless the sentence or the lead names a death no one
//!    inflicted (a disease, a flood, an accident).
//! 3. **Occurrences**: consecutive event sentences about the same kind of event, the same place
//!    and the same date are one event; a new place, a new date, another kind of event or a
//!    "separately"/"another" starts a new one. A sentence with only a toll ("the death toll rose
//!    to 12") belongs to the event before it. Events repeated in a headline and a body are merged.
//! 4. **Attributes**: place (the most specific place named in the event's sentences, else the
//!    report's lead place), date, killed and injured, actors with their roles, target type.

mod clauses;
mod perpetrator;
pub mod sub_event;
mod toll;
pub mod types;

use std::cmp::Reverse;
use std::ops::Range;

use chrono::NaiveDate;
use truce_geo::{CountryCode, Gazetteer, PlaceKind};
use truce_model::{Actor, ActorRole, Event, Evidence, Location};

use crate::actors::{ActorLexicon, ActorMention, MentionMemo, Mentions, resolve_name};
use crate::casualties::{Casualty, Harm, figure_at, find_casualties, merge};
use crate::dates::{DateMention, years};
use crate::learn::{Candidate, Models};
use crate::lexicon::Lexicon;
use crate::phrases::PhraseSet;
use crate::places::{Geography, MentionRole, PlaceHit};
use crate::text::{Sentence, Shape, Tokens, WordSet};
use types::{EventType, SubEvent, choose};

/// Everything the event stage reads.
pub struct EventInput<'a> {
    /// The report's text.
    pub text: &'a str,
    /// Its words.
    pub tokens: &'a Tokens,
    /// Its sentences.
    pub sentences: &'a [Sentence],
    /// Its places.
    pub geo: &'a Geography,
    /// Its date expressions.
    pub dates: &'a [DateMention],
    /// The publication date.
    pub published: Option<NaiveDate>,
    /// The gazetteer.
    pub gazetteer: &'a Gazetteer,
    /// Word lists.
    pub lexicon: &'a Lexicon,
    /// Event triggers.
    pub triggers: &'a PhraseSet<(SubEvent, u8)>,
    /// Actor aliases.
    pub actors: &'a ActorLexicon,
    /// Target words.
    pub targets: &'a PhraseSet<&'static str>,
    /// The learned models that decide among the rules' candidates.
    pub models: &'a Models,
    /// The sub-event model's weights arranged for scoring every type at once (`None`: the rules
    /// decide the sub-event type).
    pub sub_event_scorer: Option<&'a sub_event::Scorer>,
    /// Whether the candidates' features are kept by name (to explain or to train).
    pub explain: bool,
    /// The actor mentions found so far, by stretch of words (see [`EventInput::actor_mentions`]).
    pub mentions: &'a MentionMemo,
}

impl EventInput<'_> {
    /// The actors named in `range` of the report's words, found once per report and stretch.
    pub fn actor_mentions(&self, range: Range<usize>) -> Mentions {
        self.mentions
            .find(self.actors, self.lexicon, self.tokens, range)
    }
}

/// Words right before a trigger that make it hypothetical or negated.
static IRREALIS: WordSet = WordSet::new(&[
    "will",
    "would",
    "could",
    "might",
    "threatened",
    "threatens",
    "threaten",
    "plan",
    "plans",
    "planned",
    "planning",
    "vowed",
    "vow",
    "no",
    "not",
    "never",
    "avoid",
    "prevent",
    "prevented",
    "warned",
    "against",
    "possible",
    "potential",
    "future",
    "any",
]);

/// Police action at a protest.
const POLICE_ACTION: &[&str] = &[
    "dispersed",
    "disperse",
    "dispersing",
    "teargas",
    "tear",
    "cannon",
    "cannons",
    "baton",
    "batons",
    "lathi",
    "lathicharge",
    "arrested",
    "detained",
    "rubber",
    "charged",
    "fired",
    "broke",
];

/// Victims that are armed: an attack on them is a battle, not violence against civilians.
static ARMED_VICTIMS: WordSet = WordSet::new(&[
    "soldiers",
    "soldier",
    "troops",
    "policemen",
    "policeman",
    "police",
    "officers",
    "militants",
    "fighters",
    "rebels",
    "insurgents",
    "gunmen",
    "militiamen",
    "personnel",
    "guards",
    "army",
    "jihadists",
    "commander",
    "commanders",
    "members",
    "recruits",
    "forces",
]);

/// Civilian victims.
#[rustfmt::skip]
static CIVILIAN_VICTIMS: WordSet = WordSet::new(&[
    "civilians", "civilian", "people", "villagers", "residents", "children", "child", "women",
    "woman", "students", "worshippers", "farmers", "passengers", "family", "man", "men", "boy",
    "girl", "herders", "traders", "teachers", "journalists", "doctors", "nurses", "pupils",
    "elder", "elders", "priest", "cleric", "imam", "worker", "workers", "activist", "activists",
    "villager", "resident", "guests", "shoppers", "families", "patients",
]);

/// Violent verbs whose subject is the perpetrator and after which "by X" names one.
static VIOLENT_VERBS: WordSet = WordSet::new(&[
    "killed",
    "kills",
    "kill",
    "killing",
    "attacked",
    "attack",
    "attacks",
    "shelled",
    "bombed",
    "struck",
    "strike",
    "strikes",
    "hit",
    "targeted",
    "stormed",
    "raided",
    "ambushed",
    "abducted",
    "kidnapped",
    "fired",
    "shot",
    "opened",
    "launched",
    "carried",
    "clashed",
    "fought",
    "executed",
    "torched",
    "burned",
    "seized",
    "captured",
    "recaptured",
    "overran",
    "dropped",
    "pounded",
    "massacred",
    "beheaded",
    "murdered",
    "destroyed",
    "bombarded",
    "shelling",
    "conducted",
    "shoot",
    "shoots",
    "stabbed",
    "stab",
    "lynched",
    "assaulted",
    "assault",
    "hacked",
    "beat",
    "abduct",
    "abducts",
    "burnt",
    "razed",
    "looted",
]);

/// Words at the start of a sentence that announce another occurrence.
const NEW_EVENT_CUES: &[&str] = &[
    "another",
    "separately",
    "meanwhile",
    "elsewhere",
    "separate",
    "second",
];

/// Verbs by which someone reacts to an occurrence rather than tells it: "Kerry condemned the
/// hospital attack", "Washington was outraged by the attack", "urged Russia to stop such
/// attacks", "the ministry denied its aircraft struck the hospital".
#[rustfmt::skip]
static REACTION_VERBS: WordSet = WordSet::new(&[
    "condemned", "condemns", "condemn", "condemning", "denounced", "denounces", "denouncing",
    "deplored", "deplores", "decried", "decries", "criticised", "criticized", "criticises",
    "criticizes", "slammed", "slams", "outraged", "angered", "shocked", "appalled", "horrified",
    "dismayed", "alarmed", "urged", "urges", "urging", "demanded", "demands", "lamented",
    "regretted", "mourned", "blamed", "blames", "blaming", "accused", "accuses", "accusing",
    "denied", "denies", "deny", "denying", "rejected", "rejects", "investigate", "investigating",
    "condemnation", "outrage",
]);

/// Reaction verbs whose complement is an allegation or its denial: what follows them is the
/// claim of one side, never a new occurrence the report tells.
#[rustfmt::skip]
const CLAIM_VERBS: &[&str] = &[
    "blamed", "blames", "blaming", "accused", "accuses", "accusing", "denied", "denies", "deny",
    "denying", "rejected", "rejects",
];

/// Words that make an event word refer to an occurrence already told ("the attack", "such
/// attacks", "this strike").
const DEFINITE: &[&str] = &[
    "the", "this", "that", "these", "those", "such", "its", "their", "his", "her",
];

#[derive(Debug, Clone)]
struct SentenceEvent {
    sentence: usize,
    triggers: Vec<(SubEvent, u8, Range<usize>)>,
    sub: Option<SubEvent>,
    place: Option<usize>,
    date: Option<usize>,
    casualties: Vec<Casualty>,
    new_cue: bool,
    /// A reaction to an occurrence told elsewhere (a condemnation, an accusation, a denial):
    /// it refers to an event, it does not tell one.
    reaction: bool,
    /// The reaction is an allegation or a denial ("rejects that its warplanes bombed the market
    /// in Ariha"): even a place of its own makes it no news of the report's.
    claim: bool,
}

#[derive(Debug, Clone)]
struct Draft {
    sentences: Vec<usize>,
    /// Sentences that react to the occurrence (condemn it, allege or deny who did it): its
    /// claims are read there, never its place, toll or actors.
    refs: Vec<usize>,
    new_cue: bool,
    triggers: Vec<(SubEvent, u8, Range<usize>)>,
    place: Option<usize>,
    date: Option<usize>,
    casualties: Vec<Casualty>,
    police_action: bool,
    lethal_force: bool,
    /// Sentences right after the telling that no event took and that speak of the dead: read
    /// for the toll's candidates only.
    aftermath: Vec<usize>,
}

impl Draft {
    /// Takes a reaction to this occurrence: its sentence for the claims, and the place of the
    /// deed it names after the event word ("rejects that its aircraft struck the market in
    /// Ariha") when the occurrence was told without one.
    fn refer(&mut self, x: &EventInput<'_>, se: &SentenceEvent) {
        if self.place.is_none()
            && let Some(p) = se
                .place
                .filter(|&p| x.geo.hits[p].tokens.start > first_trigger(se))
        {
            self.place = Some(p);
        }
        self.refs.push(se.sentence);
    }
}

/// An event as read from a report, with the sentences that tell it and those that react to it.
#[derive(Debug, Clone)]
pub struct ReadEvent {
    /// The event.
    pub event: Event,
    /// Indices of the sentences that tell it.
    pub sentences: Vec<usize>,
    /// Indices of the sentences that react to it (condemn it, allege or deny who did it).
    pub refs: Vec<usize>,
    /// The candidates for its perpetrator, as the model scored them.
    pub perpetrators: Vec<Candidate>,
    /// The candidates for its sub-event type, as the model scored them (kept only when the
    /// reading is explained).
    pub sub_events: Vec<Candidate>,
    /// The candidate counts of its dead, as the model scored them (kept only when the reading
    /// is explained).
    pub tolls: Vec<Candidate>,
}

/// Extracts the events of one report, each with the sentences that tell it and react to it.
///
/// A report is read as a whole: a sentence that reacts to an occurrence already told ("Kerry
/// condemned the hospital attack", "the ministry denied its aircraft struck the hospital")
/// refers to that occurrence and never makes an event of its own, at the speaker's place or
/// anywhere; only a report made of nothing but reactions has its events read from them.
///
/// A sentence that tells two deeds in two places is read as two clauses ([`clauses`]); the
/// sentences an event is told in and reacted to are the report's own.
pub fn read_events(x: &EventInput<'_>) -> Vec<ReadEvent> {
    let clauses = clauses::clauses(x);
    if clauses.list.len() == x.sentences.len() {
        return read_clauses(x);
    }
    let by_clause = EventInput {
        sentences: &clauses.list,
        ..*x
    };
    let mut events = read_clauses(&by_clause);
    let of_sentence = |clauses_read: &[usize]| {
        let mut s: Vec<usize> = clauses_read.iter().map(|&c| clauses.sentence[c]).collect();
        s.sort_unstable();
        s.dedup();
        s
    };
    for e in &mut events {
        e.sentences = of_sentence(&e.sentences);
        e.refs = of_sentence(&e.refs);
    }
    events
}

/// Extracts the events of one report from its clauses (sentences, or parts of one).
fn read_clauses(x: &EventInput<'_>) -> Vec<ReadEvent> {
    let background = background_sentences(x);
    let mut per_sentence: Vec<SentenceEvent> = Vec::new();
    let lead_natural = x
        .sentences
        .first()
        .is_some_and(|lead| cue_words(x.tokens, lead.tokens.clone(), NATURAL_CAUSES));
    for (si, s) in x.sentences.iter().enumerate() {
        if background[si] {
            continue;
        }
        let triggers: Vec<(SubEvent, u8, Range<usize>)> = x
            .triggers
            .find_all(x.tokens, s.tokens.clone())
            .into_iter()
            .filter(|(r, _)| !irrealis(x.tokens, r.start, s.tokens.start))
            .map(|(r, (sub, w))| (*sub, *w, r))
            .collect();
        let casualties = find_casualties(x.tokens, s.tokens.clone());
        let police = (s.tokens.clone()).any(|i| POLICE_ACTION.contains(&x.tokens.folded(i)));
        let killed = casualties.iter().any(|c| c.harm == Harm::Killed);
        let weights: Vec<(SubEvent, u8)> = triggers.iter().map(|(s, w, _)| (*s, *w)).collect();
        let mut sub = choose(&weights, police, police && !casualties.is_empty());
        // Deaths no one inflicted, told in the sentence or the report's lead: only a clear event
        // word makes them an event (read only where no event word decided).
        let natural = || lead_natural || cue_words(x.tokens, s.tokens.clone(), NATURAL_CAUSES);
        if sub.is_none()
            && killed
            && triggers.iter().any(|(s, _, _)| {
                matches!(
                    s.event_type(),
                    EventType::ViolenceAgainstCivilians | EventType::Battles
                )
            })
            && !natural()
        {
            sub = Some(SubEvent::Attack);
        }
        if sub.is_none()
            && !casualties.is_empty()
            && per_sentence.is_empty()
            && cue_words(
                x.tokens,
                s.tokens.clone(),
                &[
                    "killed",
                    "dead",
                    "died",
                    "bodies",
                    "wounded",
                    "injured",
                    "hurt",
                    // Headlines: "Gunmen kill three villagers", "Factions kill and injure
                    // several soldiers".
                    "kill",
                    "kills",
                    "injure",
                    "injures",
                    "murdered",
                    "assassinated",
                    "slaughtered",
                ],
            )
            && !natural()
        {
            // "Three villagers were found dead", "two men were wounded": violence, even
            // without an event word (but not "a cholera epidemic has killed 1,200 people").
            sub = Some(SubEvent::Attack);
        }
        if sub == Some(SubEvent::Attack) && armed_victims(x.tokens, s.tokens.clone()) {
            sub = Some(SubEvent::ArmedClash);
        }
        if sub.is_none() && casualties.is_empty() {
            continue;
        }
        let claim = claims_only(x, s, &triggers);
        let reaction = claim || reacts(x, s, &triggers) || speaks_of(x, s, &triggers, &casualties);
        per_sentence.push(SentenceEvent {
            sentence: si,
            triggers,
            sub,
            place: sentence_place(x, s),
            date: sentence_date(x, s.tokens.clone()),
            casualties,
            // "Another strike...", "A separate attack...", "In a second raid...".
            new_cue: (s.tokens.start..(s.tokens.start + 3).min(s.tokens.end))
                .any(|i| NEW_EVENT_CUES.contains(&x.tokens.folded(i))),
            reaction,
            claim,
        });
    }
    // Reactions refer to the occurrences the report tells; a report of reactions alone tells
    // its occurrence through them.
    let tells = per_sentence
        .iter()
        .any(|se| !se.reaction && se.sub.is_some());
    let told_places: Vec<usize> = per_sentence
        .iter()
        .filter(|se| !se.reaction)
        .filter_map(|se| se.place)
        .collect();
    for se in &mut per_sentence {
        // A reaction that names a place no occurrence of the report is at tells news of its
        // own ("condemned the shelling of Kafranbel").
        let new_place = se.place.is_some_and(|p| {
            x.geo.hits[p].tokens.start > first_trigger(se)
                && !told_places.iter().any(|&q| same_place(x, p, q))
        });
        if !tells || (new_place && !se.claim) {
            se.reaction = false;
        }
    }
    let mut early_refs: Vec<SentenceEvent> = Vec::new();

    // Group sentences into occurrences.
    let mut drafts: Vec<Draft> = Vec::new();
    for se in per_sentence {
        if se.reaction {
            match referent(x, &drafts, &se) {
                Some(d) => drafts[d].refer(x, &se),
                None => early_refs.push(se),
            }
            continue;
        }
        let police = x.sentences[se.sentence]
            .tokens
            .clone()
            .any(|i| POLICE_ACTION.contains(&x.tokens.folded(i)));
        let lethal = police && se.casualties.iter().any(|c| c.figure.value > 0);
        let same = drafts.last().is_some_and(|d| {
            if se.sub.is_none() {
                // A toll on its own belongs to the event before it.
                return true;
            }
            let this_type = se.sub.map(SubEvent::event_type);
            let draft_weights: Vec<(SubEvent, u8)> =
                d.triggers.iter().map(|(s, w, _)| (*s, *w)).collect();
            let draft_type =
                choose(&draft_weights, d.police_action, d.lethal_force).map(SubEvent::event_type);
            // Another kind of event splits only when it is told with a strong event word of its
            // own: "killing 20 people" after "an air strike hit" is the strike's toll, while
            // "clashes killed 50" after it is another occurrence.
            // An event word that refers back ("the attack killed 21", "in that attack", a bare
            // plural: "the airstrikes", "airstrikes also killed") tells the occurrence before
            // it, however strong a word it is.
            let first = x.sentences[se.sentence].tokens.start;
            let strong = se.triggers.iter().any(|(s, w, r)| {
                *w >= 2
                    && Some(s.event_type()) == this_type
                    && !determined(x, r.start, first).unwrap_or_else(|| plural(x, r.start))
            });
            let type_ok = draft_type.is_none() || this_type == draft_type || !strong;
            let place_ok = match (se.place, d.place) {
                (Some(a), Some(b)) => same_place(x, a, b),
                _ => true,
            };
            let date_ok = match (se.date, d.date) {
                (Some(a), Some(b)) => (x.dates[a].date - x.dates[b].date).num_days().abs() <= 1,
                _ => true,
            };
            type_ok && place_ok && date_ok && !se.new_cue
        });
        if same && let Some(d) = drafts.last_mut() {
            d.sentences.push(se.sentence);
            d.triggers.extend(se.triggers);
            // Keep the most specific place the occurrence's sentences name.
            d.place = match (d.place, se.place) {
                (Some(a), Some(b))
                    if specificity(x, &x.geo.hits[b]) > specificity(x, &x.geo.hits[a]) =>
                {
                    Some(b)
                }
                (a, b) => a.or(b),
            };
            d.date = d.date.or(se.date);
            d.casualties.extend(se.casualties);
            d.police_action |= police;
            d.lethal_force |= lethal;
        } else if se.sub.is_some() {
            drafts.push(Draft {
                sentences: vec![se.sentence],
                refs: Vec::new(),
                new_cue: se.new_cue,
                triggers: se.triggers,
                place: se.place,
                date: se.date,
                casualties: se.casualties,
                police_action: police,
                lethal_force: lethal,
                aftermath: Vec::new(),
            });
        }
    }

    // Reactions told before the occurrence they react to (a headline's "US condemns strike")
    // refer to the report's first occurrence.
    for se in early_refs {
        if let Some(d) = referent(x, &drafts, &se).or((!drafts.is_empty()).then_some(0)) {
            drafts[d].refer(x, &se);
        }
    }

    // The sentences right after a telling that no event took and that speak of the dead ("3 Al
    // Shabaab militants were killed in the fight", "Six year old boy killed"): the rules found no
    // count there, the toll's candidates are read there too.
    let told: Vec<usize> = drafts
        .iter()
        .flat_map(|d| d.sentences.iter().chain(&d.refs).copied())
        .collect();
    for d in &mut drafts {
        let mut next = d.sentences.last().map_or(usize::MAX, |l| l + 1);
        while next < x.sentences.len()
            && !background[next]
            && !told.contains(&next)
            && toll::speaks_of_the_dead(x, &x.sentences[next])
        {
            d.aftermath.push(next);
            next += 1;
        }
    }

    let mut events: Vec<(ReadEvent, Option<usize>, bool)> = drafts
        .iter()
        .filter_map(|d| {
            build(x, d).map(|(e, sub_events, tolls)| {
                let mut refs = d.refs.clone();
                refs.sort_unstable();
                (
                    ReadEvent {
                        event: e,
                        sentences: d.sentences.clone(),
                        refs,
                        perpetrators: Vec::new(),
                        sub_events,
                        tolls,
                    },
                    d.place,
                    d.new_cue,
                )
            })
        })
        .collect();
    merge_repeats(x, &mut events);
    let mut events: Vec<ReadEvent> = events.into_iter().map(|(e, _, _)| e).collect();
    perpetrator::decide(x, &mut events);
    events
}

/// Deaths no one inflicted: a sentence that tells dead or wounded with no event word is an attack
/// unless it names one of these.
/// ("Fire" is not one of them: a fire is often set.)
#[rustfmt::skip]
const NATURAL_CAUSES: &[&str] = &[
    "disease", "diseases", "virus", "flu", "influenza", "epidemic", "outbreak", "cholera",
    "measles", "ebola", "infection", "infected", "illness", "cancer", "tsunami", "earthquake",
    "quake", "flood", "floods", "flooding", "landslide", "cyclone", "hurricane", "typhoon",
    "drought", "famine", "accident", "crash", "collision", "heatwave", "avalanche", "drowned",
    "overdose", "pandemic", "covid",
];

fn first_trigger(se: &SentenceEvent) -> usize {
    se.triggers
        .iter()
        .map(|(_, _, r)| r.start)
        .min()
        .unwrap_or(usize::MAX)
}

/// Whether a sentence's event words are all the complement of an allegation or a denial made
/// before them ("accused rebels of shelling", "denied its aircraft struck", "rejects the
/// allegations that its warplanes bombed").
fn claims_only(
    x: &EventInput<'_>,
    s: &Sentence,
    triggers: &[(SubEvent, u8, Range<usize>)],
) -> bool {
    let Some(first) = triggers.iter().map(|(_, _, r)| r.start).min() else {
        return false;
    };
    (s.tokens.start..first).any(|i| CLAIM_VERBS.contains(&x.tokens.folded(i)))
}

/// Whether a sentence reacts to an occurrence rather than tells one: a reaction verb before its
/// first event word, and the event word a reference to an occurrence already told ("the
/// attack", "such attacks", "this strike"). Allegations and denials are [`claims_only`].
fn reacts(x: &EventInput<'_>, s: &Sentence, triggers: &[(SubEvent, u8, Range<usize>)]) -> bool {
    let Some(first) = triggers.iter().map(|(_, _, r)| r.start).min() else {
        return false;
    };
    let Some(verb) = (s.tokens.start..first)
        .rev()
        .find(|&i| REACTION_VERBS.contains(x.tokens.folded(i)))
    else {
        return false;
    };
    // An allegation or a denial is judged by `claims_only`; a place named after the event word
    // that no other sentence names is news of its own ("condemned the shelling of Kafranbel"):
    // judged by the caller through its place.
    refers_back(x, first, verb)
}

/// Whether a sentence speaks about occurrences already told without telling one: every event
/// word in it refers back ("the White House said Russia holds responsibility for the strike",
/// "described the attack as a war crime"), someone speaks, and it gives no toll.
fn speaks_of(
    x: &EventInput<'_>,
    s: &Sentence,
    triggers: &[(SubEvent, u8, Range<usize>)],
    casualties: &[Casualty],
) -> bool {
    !triggers.is_empty()
        && casualties.is_empty()
        && s.tokens.clone().any(|i| {
            SPEAKING.contains(&x.tokens.folded(i)) || REACTION_VERBS.contains(x.tokens.folded(i))
        })
        && triggers.iter().all(|(_, _, r)| {
            refers_back(x, r.start, s.tokens.start) && !x.tokens.folded(r.start).ends_with('s')
        })
}

/// Verbs of speaking and judging that make a sentence about an occurrence a statement.
#[rustfmt::skip]
const SPEAKING: &[&str] = &[
    "said", "says", "described", "describes", "called", "calls", "told", "stressed", "noted",
    "insisted", "holds", "hold", "responsibility", "responsible", "termed", "branded",
];

/// Whether the event word at `at` refers to an occurrence already told: a definite or
/// demonstrative determiner before it ("the hospital attack", "such attacks", "last week's
/// strike"), or a bare plural ("to stop attacks on hospitals"), and no indefinite article; the
/// words read are those after `floor` ([`determined`]).
fn refers_back(x: &EventInput<'_>, at: usize, floor: usize) -> bool {
    determined(x, at, floor + 1).unwrap_or_else(|| plural(x, at))
}

/// Whether the event word at `at` is a plural ("attacks", "airstrikes"; not "mass").
fn plural(x: &EventInput<'_>, at: usize) -> bool {
    let w = x.tokens.folded(at);
    w.ends_with('s') && !w.ends_with("ss")
}

/// Whether a determiner among the few words before the event word at `at` (from `first` on)
/// makes it definite ("the attack", "that strike", "the army's raid": `Some(true)`) or
/// indefinite ("a raid", "another attack": `Some(false)`); `None` when no determiner is read
/// before a preposition.
fn determined(x: &EventInput<'_>, at: usize, first: usize) -> Option<bool> {
    let t = x.tokens;
    for i in (first..at).rev().take(4) {
        let w = t.folded(i);
        if matches!(w, "a" | "an" | "another") {
            return Some(false);
        }
        let rest = x.text.get(t.list[i].bytes.end..).unwrap_or("");
        let possessive = rest.starts_with("'s ") || rest.starts_with("\u{2019}s ");
        if DEFINITE.contains(&w) || possessive {
            return Some(true);
        }
        if matches!(
            w,
            "by" | "of" | "to" | "on" | "for" | "in" | "at" | "with" | "and"
        ) {
            break;
        }
    }
    None
}

/// The occurrence a reaction refers to: the last told of the kind of target it names ("the
/// hospital attack"), else the last told.
fn referent(x: &EventInput<'_>, drafts: &[Draft], se: &SentenceEvent) -> Option<usize> {
    let told: Vec<usize> = (0..drafts.len())
        .filter(|&d| !drafts[d].sentences.is_empty())
        .collect();
    let sentence = &x.sentences[se.sentence];
    let kinds: Vec<&str> = x
        .targets
        .find_all(x.tokens, sentence.tokens.clone())
        .into_iter()
        .map(|(_, k)| *k)
        .collect();
    if !kinds.is_empty() {
        let with_target = told.iter().rev().copied().find(|&d| {
            drafts[d].sentences.iter().any(|&si| {
                x.targets
                    .find_all(x.tokens, x.sentences[si].tokens.clone())
                    .into_iter()
                    .any(|(_, k)| kinds.contains(k))
            })
        });
        if with_target.is_some() {
            return with_target;
        }
    }
    told.last().copied()
}

fn cue_words(tokens: &Tokens, range: Range<usize>, words: &[&str]) -> bool {
    range.clone().any(|i| words.contains(&tokens.folded(i)))
}

fn irrealis(tokens: &Tokens, at: usize, floor: usize) -> bool {
    (at.saturating_sub(2).max(floor)..at).any(|i| IRREALIS.contains(tokens.folded(i)))
}

/// Whether the victims of a sentence are armed (soldiers, militants): the words before a passive
/// "were killed", else the words after the first event word.
fn armed_victims(tokens: &Tokens, range: Range<usize>) -> bool {
    let passive = range.clone().find(|&i| {
        matches!(tokens.folded(i), "were" | "was") && KILL_WORDS.contains(tokens.folded(i + 1))
    });
    let victims = match passive {
        Some(v) => range.start..v,
        None => {
            let verb = range.clone().find(|&i| {
                VIOLENT_VERBS.contains(tokens.folded(i)) || KILL_WORDS.contains(tokens.folded(i))
            });
            match verb {
                Some(v) => v + 1..range.end,
                None => range.clone(),
            }
        }
    };
    let armed = victims
        .clone()
        .any(|i| ARMED_VICTIMS.contains(tokens.folded(i)));
    let civil = victims
        .clone()
        .any(|i| CIVILIAN_VICTIMS.contains(tokens.folded(i)));
    armed && !civil
}

/// Words of killing and wounding, in the forms news uses.
static KILL_WORDS: WordSet = WordSet::new(&[
    "killed", "wounded", "injured", "dead", "died", "shot", "executed", "murdered", "slain",
    "beheaded",
]);

/// Sentences about the past: a year before the publication's, or "since the war began".
fn background_sentences(x: &EventInput<'_>) -> Vec<bool> {
    let years = years(x.tokens);
    x.sentences
        .iter()
        .map(|s| {
            let old_year = x.published.is_some_and(|p| {
                use chrono::Datelike;
                years.iter().any(|(i, y)| {
                    s.tokens.contains(i) && *y < p.year() && !(p.month() == 1 && *y == p.year() - 1)
                })
            });
            let since = s.tokens.clone().find(|&i| {
                x.tokens.folded(i) == "since"
                    && matches!(
                        x.tokens.list.get(i + 1).map(|_| x.tokens.folded(i + 1)),
                        Some(
                            "the"
                                | "its"
                                | "it"
                                | "2011"
                                | "2012"
                                | "2013"
                                | "2014"
                                | "march"
                                | "then"
                                | "that"
                        )
                    )
            });
            // "A car bomb killed 30 in the deadliest attack since the war began", "a massacre
            // kills a family and raises the toll since the offensive to 300": a strong event
            // word before "since" tells the news; without one the sentence counts the past.
            let since = since.is_some_and(|at| {
                !x.triggers
                    .find_all(x.tokens, s.tokens.start..at)
                    .iter()
                    .any(|(_, (_, w))| *w >= 2)
            });
            let history = s
                .tokens
                .clone()
                .any(|i| matches!(x.tokens.folded(i), "anniversary"))
                || cue_pair(x.tokens, s.tokens.clone(), "last", "year")
                || in_the_past(x.tokens, s.tokens.clone());
            old_year || since || history
        })
        .collect()
}

/// "In the past, the town changed hands twice": history. "In the past 24 hours", "in the past
/// few days", "in the past week": the news itself.
fn in_the_past(tokens: &Tokens, range: Range<usize>) -> bool {
    let w = |k: usize| if k < range.end { tokens.folded(k) } else { "" };
    range.clone().any(|i| {
        w(i) == "in"
            && w(i + 1) == "the"
            && w(i + 2) == "past"
            && !((i + 3 < range.end && figure_at(tokens, i + 3).is_some())
                || matches!(
                    w(i + 3),
                    "few" | "hours" | "day" | "days" | "week" | "weeks" | "night" | "hour"
                ))
    })
}

fn cue_pair(tokens: &Tokens, range: Range<usize>, a: &str, b: &str) -> bool {
    range
        .clone()
        .any(|i| i + 1 < range.end && tokens.folded(i) == a && tokens.folded(i + 1) == b)
}

/// The date of a sentence's event: a date that owns the event ("Tuesday's strike", "last
/// week's attack") before any other, since the sentence's first date may be when someone spoke
/// of it ("the envoy told reporters on Wednesday that last week's strike...").
fn sentence_date(x: &EventInput<'_>, sentence: std::ops::Range<usize>) -> Option<usize> {
    let inside = |d: &DateMention| d.tokens.start >= sentence.start && d.tokens.end <= sentence.end;
    let possessive = |d: &DateMention| {
        let last = &x.tokens.list[d.tokens.end - 1];
        let mut rest = x.text.get(last.bytes.end..).unwrap_or("");
        // "Tuesday night's strike".
        for part in [" night", " morning", " afternoon", " evening"] {
            rest = rest.strip_prefix(part).unwrap_or(rest);
        }
        rest.starts_with("'s ") || rest.starts_with("\u{2019}s ")
    };
    x.dates
        .iter()
        .position(|d| inside(d) && possessive(d))
        .or_else(|| x.dates.iter().position(inside))
}

/// Whether a hit is the report's dateline ("ALEPPO, Syria (Reuters) -"): where it was filed,
/// not necessarily where anything happened.
fn is_dateline(x: &EventInput<'_>, h: &PlaceHit) -> bool {
    let t = &x.tokens.list[h.tokens.start];
    let line_start = (0..=h.tokens.start)
        .rev()
        .find(|&k| x.tokens.list[k].newline_before || k == 0)
        .unwrap_or(0);
    let early = h.tokens.start - line_start <= 3;
    let caps = t.shape == Shape::Upper && x.tokens.folded(h.tokens.start).len() > 2;
    let lead = x.text[t.bytes.end..].chars().take(40).collect::<String>();
    let dashed =
        lead.contains(" - ") || lead.contains('—') || lead.contains(" – ") || lead.contains("(");
    early && caps && dashed
}

/// How specific a place is: a village over a district over a province over a country.
/// The [`specificity`] of a town, village or city.
const TOWN: u8 = 4;

fn specificity(x: &EventInput<'_>, h: &PlaceHit) -> u8 {
    match h.place.map(|id| x.gazetteer.place(id).kind) {
        None => 3,
        Some(PlaceKind::Village | PlaceKind::Sector | PlaceKind::City | PlaceKind::Capital) => TOWN,
        Some(PlaceKind::Admin2) => 2,
        Some(PlaceKind::Admin1 | PlaceKind::Region) => 1,
        Some(PlaceKind::Country | PlaceKind::Continent) => 0,
    }
}

/// Whether a place mention can be where a sentence's event happened: a place ([`usable`]), not
/// a dateline, not naming who acts ("US-led").
fn locates(x: &EventInput<'_>, h: &PlaceHit) -> bool {
    usable(h) && !is_dateline(x, h) && !modifies_actor(x, h)
}

/// The place of a sentence: its best-ranked place mention ([`place_rank`]).
fn sentence_place(x: &EventInput<'_>, s: &Sentence) -> Option<usize> {
    x.geo
        .hits
        .iter()
        .enumerate()
        .filter(|(_, h)| s.tokens.contains(&h.tokens.start) && locates(x, h))
        .max_by_key(|(i, h)| place_rank(x, *i, h))
        .map(|(i, _)| i)
}

/// How a place mention ranks as the place of an event: a place, or a town inside a name ("outside
/// the Karachi Press Club"), before a wider area inside a name; a town of the report's main
/// country, a town abroad named as where something is ([`locative`]), or a province or district
/// of the report's main country, before a country ("refugees from Ethiopia living in Nairobi
/// protested": Nairobi, whatever the focus; "Washington is leading a coalition in Syria": Syria);
/// then one in the report's main country; then the most specific; then a place before a name
/// that holds one; then the first.
fn place_rank(
    x: &EventInput<'_>,
    i: usize,
    h: &PlaceHit,
) -> (bool, bool, bool, u8, bool, Reverse<usize>) {
    let specific = specificity(x, h);
    let focus = in_focus(x, h);
    let place = h.role == MentionRole::Place;
    (
        place || specific >= TOWN,
        (place && focus && specific > 0) || (specific >= TOWN && (focus || locative(x, h))),
        focus,
        specific,
        place,
        Reverse(i),
    )
}

/// Whether a place is named as where something is or happens ("living in Nairobi", "at the
/// Karachi Press Club", "near Saraqib", "the outskirts of Homs"), not as a government that acts
/// ("Washington is leading a coalition", "since Moscow began its intervention").
fn locative(x: &EventInput<'_>, h: &PlaceHit) -> bool {
    let start = h.tokens.start;
    let back = |n: usize| {
        if start >= n {
            x.tokens.folded(start - n)
        } else {
            ""
        }
    };
    let before = if back(1) == "the" { back(2) } else { back(1) };
    matches!(
        before,
        "in" | "at" | "near" | "outside" | "inside" | "into" | "around" | "across"
    ) || near(x, h)
}

/// Whether the place lies in the report's main country (always, when it has none): a report
/// about Syria filed from Beirut, or quoting Washington, still happened in Syria.
fn in_focus(x: &EventInput<'_>, h: &PlaceHit) -> bool {
    let Some((focus, _)) = x.geo.focus.first() else {
        return true;
    };
    h.place
        .or(h.enclosing)
        .and_then(|p| x.gazetteer.place(p).country)
        .is_none_or(|cc| cc == *focus)
}

/// "US-led coalition", "Russian-backed forces", "Turkey-based group", "US raids", "Turkish
/// jets": a place naming who acts, not where.
fn modifies_actor(x: &EventInput<'_>, h: &PlaceHit) -> bool {
    let end = h.tokens.end;
    if end >= x.tokens.len() {
        return false;
    }
    let next = x.tokens.folded(end);
    // "the UK based Syrian Observatory".
    if next == "based" {
        return true;
    }
    if x.tokens.list[end].hyphen_before {
        return matches!(
            next,
            "led" | "backed" | "based" | "sponsored" | "funded" | "supported" | "allied"
        );
    }
    let country = h
        .place
        .is_some_and(|p| x.gazetteer.place(p).kind == PlaceKind::Country);
    country
        && !x.tokens.list[end].comma_before
        && matches!(
            next,
            "raids"
                | "raid"
                | "strikes"
                | "strike"
                | "airstrikes"
                | "airstrike"
                | "jets"
                | "warplanes"
                | "planes"
                | "aircraft"
                | "drones"
                | "drone"
                | "forces"
                | "troops"
                | "soldiers"
                | "military"
                | "army"
                | "navy"
                | "artillery"
                | "missiles"
                | "bombers"
                | "helicopters"
                | "official"
                | "officials"
                | "envoy"
                | "diplomat"
                | "diplomats"
                | "ambassador"
                | "embassy"
                | "administration"
                | "government"
                | "intelligence"
                | "coalition"
                | "support"
                | "president"
        )
}

/// A place mention that can locate an event: a place (not a metonym), or a place inside an
/// organisation's name ("Lucknow University") when nothing better is named.
fn usable(h: &PlaceHit) -> bool {
    matches!(h.role, MentionRole::Place | MentionRole::InName)
        && (h.place.is_some() || h.enclosing.is_some())
}

fn same_place(x: &EventInput<'_>, a: usize, b: usize) -> bool {
    let (ha, hb) = (&x.geo.hits[a], &x.geo.hits[b]);
    if ha.place.is_some() && ha.place == hb.place {
        return true;
    }
    if x.text[ha.bytes.clone()].eq_ignore_ascii_case(&x.text[hb.bytes.clone()]) {
        return true;
    }
    let g = x.gazetteer;
    let (pa, pb) = match (ha.place.or(ha.enclosing), hb.place.or(hb.enclosing)) {
        (Some(pa), Some(pb)) => (g.place(pa), g.place(pb)),
        _ => return false,
    };
    // A country or province and a place inside it may be the same event told twice (a
    // headline names the province, the story the town); two towns are not.
    let (sa, sb) = (specificity(x, ha), specificity(x, hb));
    let (wide, narrow) = if sa <= sb { (pa, pb) } else { (pb, pa) };
    match sa.min(sb) {
        0 => wide.country == narrow.country,
        1 => {
            wide.country == narrow.country
                && (wide.admin1 == narrow.admin1
                    || truce_geo::distance::haversine_km(
                        wide.lat, wide.lon, narrow.lat, narrow.lon,
                    ) < 150.0)
        }
        _ => truce_geo::distance::haversine_km(pa.lat, pa.lon, pb.lat, pb.lon) < 5.0,
    }
}

/// The report's lead place: the most specific place of its first sentences, else its dateline.
fn lead_place(x: &EventInput<'_>) -> Option<usize> {
    let lead_end = x
        .sentences
        .get(2)
        .map_or(x.tokens.len(), |s| s.tokens.start);
    let candidates = x
        .geo
        .hits
        .iter()
        .enumerate()
        .filter(|(_, h)| usable(h) && !modifies_actor(x, h));
    let key = |i: usize, h: &PlaceHit| place_rank(x, i, h);
    candidates
        .clone()
        .filter(|(_, h)| h.tokens.start < lead_end && !is_dateline(x, h))
        .max_by_key(|(i, h)| key(*i, h))
        .or_else(|| candidates.clone().find(|(_, h)| is_dateline(x, h)))
        .or_else(|| candidates.max_by_key(|(i, h)| key(*i, h)))
        .map(|(i, _)| i)
}

/// Words before a place that make the event "near" it (ACLED geo-precision 2).
fn near(x: &EventInput<'_>, h: &PlaceHit) -> bool {
    let back = |n: usize| {
        if h.tokens.start >= n {
            x.tokens.folded(h.tokens.start - n)
        } else {
            ""
        }
    };
    let after = if h.tokens.end < x.tokens.len() {
        x.tokens.folded(h.tokens.end)
    } else {
        ""
    };
    matches!(back(1), "near" | "outside" | "around" | "nearby")
        || matches!(
            (back(2), back(1)),
            ("outskirts", "of")
                | ("countryside", "of")
                | ("vicinity", "of")
                | ("north" | "south" | "east" | "west", "of")
                | ("edge", "of")
                | ("suburbs", "of")
        )
        || matches!(after, "countryside" | "outskirts" | "suburbs")
        || (back(1) == "of"
            && matches!(
                back(2),
                "north"
                    | "south"
                    | "east"
                    | "west"
                    | "northeast"
                    | "northwest"
                    | "southeast"
                    | "southwest"
            ))
}

fn location(x: &EventInput<'_>, hit: usize) -> Option<Location> {
    let h = &x.geo.hits[hit];
    let g = x.gazetteer;
    let (id, precision) = match (h.place, h.enclosing) {
        (Some(id), _) => {
            let mut precision = g.place(id).kind.geo_precision();
            if precision == 1 && near(x, h) {
                precision = 2;
            }
            (id, precision)
        }
        // A place the gazetteer lacks, at the best enclosing area known, by the text's name.
        (None, Some(id)) => {
            let kind = g.place(id).kind;
            (
                id,
                if kind.is_area() && kind != PlaceKind::Admin2 {
                    3
                } else {
                    2
                },
            )
        }
        (None, None) => return None,
    };
    let mut l = crate::places::location_of(g, id);
    if h.place.is_none() {
        l.name = x.text[h.bytes.clone()].to_string();
        l.geonameid = None;
    }
    l.geo_precision = Some(precision);
    Some(l)
}

fn country_location(x: &EventInput<'_>, cc: CountryCode) -> Option<Location> {
    let id = x.gazetteer.country(cc)?;
    Some(crate::places::location_of(x.gazetteer, id))
}

/// An event built from a draft, with the candidates of its sub-event type and of its toll.
type Built = (Event, Vec<Candidate>, Vec<Candidate>);

/// Builds the event a draft tells, section by section (what, where, when, how many, who, what
/// was hit), with the candidates of its sub-event type and its toll when they are kept.
fn build(x: &EventInput<'_>, d: &Draft) -> Option<Built> {
    let event_sentences: Vec<&Sentence> = d.sentences.iter().map(|&i| &x.sentences[i]).collect();
    let (sub, sub_events) = sub_event_of(x, d, &event_sentences)?;
    let event_type = sub.event_type();
    let (location, country) = place_of(x, d);
    let (date, date_end, precision) = date_of(x, d);
    // Casualties.
    let killed: Vec<_> = d
        .casualties
        .iter()
        .filter(|c| c.harm == Harm::Killed)
        .map(|c| c.figure)
        .collect();
    let injured: Vec<_> = d
        .casualties
        .iter()
        .filter(|c| c.harm == Harm::Injured)
        .map(|c| c.figure)
        .collect();

    let toll = toll::decide(x, &d.sentences, &d.aftermath, &killed);

    let actors = actors_of(x, d, &event_sentences, event_type, country);
    let target = target_of(x, d, &event_sentences, event_type);

    let civilian_targeting = match event_type {
        EventType::ViolenceAgainstCivilians => Some(true),
        EventType::ExplosionsRemoteViolence if actors.iter().any(|a| a.inter == Some(7)) => {
            Some(true)
        }
        _ => None,
    };
    let evidence: Vec<Evidence> = event_sentences
        .iter()
        .map(|s| Evidence {
            start: s.chars.start,
            end: s.chars.end,
        })
        .collect();
    let max_weight = d.triggers.iter().map(|(_, w, _)| *w).max().unwrap_or(1);
    let confidence = (0.35
        + 0.1 * f64::from(max_weight)
        + if location
            .as_ref()
            .is_some_and(|l| l.geo_precision != Some(3))
        {
            0.1
        } else {
            0.0
        }
        + if killed.is_empty() { 0.0 } else { 0.05 }
        + if actors.iter().any(|a| a.role == ActorRole::Perpetrator) {
            0.05
        } else {
            0.0
        })
    .min(0.95);
    let event = Event {
        event_type: event_type.name().to_string(),
        sub_event_type: Some(sub.name().to_string()),
        date,
        date_end,
        time_precision: precision,
        location,
        actors,
        target: target.map(str::to_string),
        fatalities: toll.count,
        toll_update: toll.update,
        injured: merge(&injured),
        civilian_targeting,
        evidence,
        confidence: (confidence * 100.0).round() / 100.0,
        claims: Vec::new(),
    };
    Some((event, sub_events, toll.candidates))
}

/// The sub-event type a draft tells (the rules' choice, then the model's), with the candidates
/// when they are kept; `None` when the draft tells no event.
fn sub_event_of(
    x: &EventInput<'_>,
    d: &Draft,
    event_sentences: &[&Sentence],
) -> Option<(SubEvent, Vec<Candidate>)> {
    let weights: Vec<(SubEvent, u8)> = d.triggers.iter().map(|(s, w, _)| (*s, *w)).collect();
    // Police action told in the sentence after a protest still intervenes in it.
    let last = d.sentences.last().copied().unwrap_or(0);
    let police_after = x.sentences.get(last + 1).is_some_and(|s| {
        s.tokens
            .clone()
            .any(|i| POLICE_ACTION.contains(&x.tokens.folded(i)))
            && s.tokens.clone().any(|i| {
                matches!(
                    x.tokens.folded(i),
                    "police" | "policemen" | "security" | "troops" | "soldiers"
                )
            })
    });
    let police_action = d.police_action || police_after;
    // No event word, but people killed or hurt: an attack ("two men were wounded", "the factions
    // kill and injure several soldiers"); the sub-event model and the armed-victims rule below
    // may make it a clash.
    let mut sub = choose(&weights, police_action, d.lethal_force)
        .or_else(|| (!d.casualties.is_empty()).then_some(SubEvent::Attack))?;
    // Whether every sentence of the telling has armed people as its victims.
    let all_armed_victims = event_sentences
        .iter()
        .all(|s| armed_victims(x.tokens, s.tokens.clone()));
    if sub == SubEvent::Attack && all_armed_victims {
        sub = SubEvent::ArmedClash;
    }
    let killed_any = d.casualties.iter().any(|c| c.harm == Harm::Killed);
    // A bomb found and defused is a disrupted weapons use, not an explosion.
    if !killed_any
        && d.triggers
            .iter()
            .any(|(s, w, _)| *s == SubEvent::DisruptedWeaponsUse && *w >= 3)
    {
        sub = SubEvent::DisruptedWeaponsUse;
    }
    // The inter codes of the sides named in the telling, in order.
    let mut inters: Vec<u8> = Vec::new();
    for s in event_sentences {
        inters.extend(
            x.actor_mentions(s.tokens.clone())
                .iter()
                .map(|m| m.entry.inter),
        );
    }
    let civilians_named = event_sentences.iter().any(|s| {
        s.tokens.clone().any(|i| {
            matches!(
                x.tokens.folded(i),
                "civilians" | "villagers" | "women" | "children" | "residents" | "worshippers"
            )
        })
    });
    if matches!(sub, SubEvent::Attack | SubEvent::ArmedClash) {
        if inters.contains(&5) {
            // Supporters, youths or a mob attacking: mob violence (a riot), not an armed attack.
            sub = SubEvent::MobViolence;
        } else if sub == SubEvent::ArmedClash
            && civilians_named
            && d.triggers.iter().any(|(s, _, _)| *s == SubEvent::Attack)
            && !event_sentences
                .iter()
                .any(|s| armed_victims(x.tokens, s.tokens.clone()))
        {
            // "Ethnic clashes as militia attack civilians": the civilians are the target.
            sub = SubEvent::Attack;
        }
    }
    let signals = sub_event::Signals {
        police_action,
        lethal_force: d.lethal_force,
        killed: killed_any,
        injured: d.casualties.iter().any(|c| c.harm == Harm::Injured),
        armed_victims: all_armed_victims,
        civilians: civilians_named,
    };
    Some(sub_event::decide(
        x,
        &d.sentences,
        &d.triggers,
        sub,
        signals,
        &inters,
    ))
}

/// Where a draft's event happened: its place, else the lead's, else the country in focus; and its
/// country.
fn place_of(x: &EventInput<'_>, d: &Draft) -> (Option<Location>, Option<CountryCode>) {
    let hit = d.place.or_else(|| lead_place(x));
    let mut location = hit.and_then(|h| location(x, h));
    if location.is_none()
        && let Some((cc, _)) = x.geo.focus.first()
    {
        location = country_location(x, *cc);
    }
    let country = location
        .as_ref()
        .and_then(|l| l.country.as_deref())
        .and_then(CountryCode::parse)
        .or_else(|| x.geo.focus.first().map(|(c, _)| *c));

    (location, country)
}

/// When: the event's own date expression, else the lead's, else the publication date; never
/// after the publication date. The first day, the last of a range, the ACLED time precision.
fn date_of(x: &EventInput<'_>, d: &Draft) -> (Option<NaiveDate>, Option<NaiveDate>, Option<u8>) {
    let lead_end = x.sentences.get(1).map_or(x.tokens.len(), |s| s.tokens.end);
    let date_mention = d
        .date
        .map(|i| &x.dates[i])
        .or_else(|| x.dates.iter().find(|m| m.tokens.end <= lead_end));
    let (mut date, mut date_end, mut precision) = match date_mention {
        Some(m) => (Some(m.date), m.date_end, Some(m.precision)),
        None => (x.published, None, x.published.map(|_| 1)),
    };
    if let (Some(dt), Some(p)) = (date, x.published)
        && dt > p
    {
        date = Some(p);
        date_end = None;
        precision = Some(1);
    }

    (date, date_end, precision)
}

/// Who: the actors of the event's sentences with their roles, an attribution around it when
/// no perpetrator is named in it, and ACLED's conventions for the sides a report leaves unnamed.
fn actors_of(
    x: &EventInput<'_>,
    d: &Draft,
    event_sentences: &[&Sentence],
    event_type: EventType,
    country: Option<CountryCode>,
) -> Vec<Actor> {
    let country_name = |cc: CountryCode| {
        x.gazetteer
            .country(cc)
            .map(|id| x.gazetteer.place(id).name.clone())
    };
    let event_country = country.and_then(|cc| country_name(cc).map(|n| (cc, n)));
    let mut actors: Vec<Actor> = Vec::new();
    let mut add = |m: &ActorMention, role: ActorRole| {
        if let Some((name, inter)) = resolve_name(
            m,
            event_country.as_ref().map(|(c, n)| (*c, n.as_str())),
            &country_name,
        ) {
            let role = if inter == 7 { ActorRole::Target } else { role };
            if let Some(existing) = actors.iter_mut().find(|a| a.name == name) {
                if role == ActorRole::Perpetrator {
                    existing.role = ActorRole::Perpetrator;
                }
            } else {
                actors.push(Actor {
                    name,
                    role,
                    inter: Some(inter),
                    alleged_by: Vec::new(),
                });
            }
        }
    };
    let found: Vec<Mentions> = event_sentences
        .iter()
        .map(|s| x.actor_mentions(s.tokens.clone()))
        .collect();
    let mentions: Vec<&ActorMention> = found.iter().flat_map(|m| m.iter()).collect();
    let trigger_starts: Vec<usize> = d.triggers.iter().map(|(_, _, r)| r.start).collect();
    let mut perpetrators = 0;
    for m in &mentions {
        let role = actor_role(x, m, &trigger_starts, event_type);
        if role == ActorRole::Perpetrator && m.entry.inter != 7 {
            perpetrators += 1;
        }
        add(m, role);
    }
    if perpetrators == 0 {
        for m in &fallback_perpetrators(x, d, &mentions, event_type) {
            add(m, ActorRole::Perpetrator);
        }
    }
    apply_conventions(
        x,
        event_sentences,
        event_type,
        event_country.as_ref(),
        &mut actors,
    );
    actors
}

/// ACLED's conventions for the sides of an event: the rioters are a riot's first side (the
/// police who meet them the second, never its perpetrator); a side the report does not name is
/// the unidentified armed group that killed, the rioters who rioted, the protesters who
/// protested; civilians named as victims are the target.
fn apply_conventions(
    x: &EventInput<'_>,
    event_sentences: &[&Sentence],
    event_type: EventType,
    event_country: Option<&(CountryCode, String)>,
    actors: &mut Vec<Actor>,
) {
    // ACLED's convention for riots: the rioters are the first side; the police who meet them
    // are the second, never the perpetrator of the riot.
    if event_type == EventType::Riots {
        for a in actors.iter_mut() {
            if a.role == ActorRole::Perpetrator && a.inter == Some(1) {
                a.role = ActorRole::Associated;
            }
        }
    }
    // ACLED's conventions for a side the report does not name: the unidentified armed group
    // that killed, the rioters who rioted, the protesters who protested.
    let default_actor = match event_type {
        EventType::ViolenceAgainstCivilians
        | EventType::ExplosionsRemoteViolence
        | EventType::Battles => Some(("Unidentified Armed Group", 3, ActorRole::Perpetrator)),
        EventType::Riots => Some(("Rioters", 5, ActorRole::Perpetrator)),
        EventType::Protests => Some(("Protesters", 6, ActorRole::Associated)),
        EventType::StrategicDevelopments => None,
    };
    if let Some((base, inter, role)) = default_actor
        && !actors.iter().any(|a| a.role == role && a.inter != Some(7))
    {
        let name = match event_country {
            Some((_, country)) => format!("{base} ({country})"),
            None => base.to_string(),
        };
        actors.retain(|a| a.name != name);
        actors.push(Actor {
            name,
            role,
            inter: Some(inter),
            alleged_by: Vec::new(),
        });
    }
    if matches!(
        event_type,
        EventType::ViolenceAgainstCivilians | EventType::ExplosionsRemoteViolence
    ) && !actors.iter().any(|a| a.inter == Some(7))
        && event_sentences.iter().any(|s| {
            s.tokens
                .clone()
                .any(|i| CIVILIAN_VICTIMS.contains(x.tokens.folded(i)))
        })
        && let Some((_, name)) = event_country
    {
        actors.push(Actor {
            name: format!("Civilians ({name})"),
            role: ActorRole::Target,
            inter: Some(7),
            alleged_by: Vec::new(),
        });
    }
}

/// The perpetrators of an event whose sentences name none: the one armed actor among its
/// mentions, else the attributions in the sentences around it ("Residents blamed government
/// warplanes for the raid"), never anywhere in a long report; none for a battle.
fn fallback_perpetrators(
    x: &EventInput<'_>,
    d: &Draft,
    mentions: &[&ActorMention],
    event_type: EventType,
) -> Vec<ActorMention> {
    // One armed actor in the event, or an attribution elsewhere in the report; a side that only
    // tells the event, holds its place or suffered it is not the one ("Nigeria's military says
    // six were killed in an attack").
    let triggers: Vec<Range<usize>> = d.triggers.iter().map(|(_, _, r)| r.clone()).collect();
    let armed: Vec<&ActorMention> = mentions
        .iter()
        .copied()
        .filter(|m| m.entry.inter <= 4 || m.entry.inter == 8)
        .filter(|m| perpetrator::aside(x, m, &triggers).is_none())
        .collect();
    // Attributions in the sentences around the occurrence ("Residents blamed government
    // warplanes for the raid"), not anywhere in a long report.
    let first = d.sentences.first().copied().unwrap_or(0);
    let last = d.sentences.last().copied().unwrap_or(0);
    let window = x
        .sentences
        .get(first.saturating_sub(1))
        .map_or(0, |s| s.tokens.start)
        ..x.sentences
            .get((last + 2).min(x.sentences.len().saturating_sub(1)))
            .map_or(x.tokens.len(), |s| s.tokens.end);
    if armed.len() == 1 {
        armed.into_iter().cloned().collect()
    } else if event_type == EventType::Battles {
        Vec::new()
    } else {
        attributions(x, window)
    }
}

/// What was hit: the first target type by precedence in the event's sentences; homes and
/// military positions only next to an event word (they are mentioned for many other reasons).
/// A protest or a strategic development hits nothing: "a peaceful protest outside the hospital"
/// names where it was held, not a medical facility struck.
fn target_of(
    x: &EventInput<'_>,
    d: &Draft,
    event_sentences: &[&Sentence],
    event_type: EventType,
) -> Option<&'static str> {
    let trigger_starts: Vec<usize> = d.triggers.iter().map(|(_, _, r)| r.start).collect();
    let strikes = !matches!(
        event_type,
        EventType::Protests | EventType::StrategicDevelopments
    );
    let mut target = None;
    for s in if strikes { event_sentences } else { &[] } {
        for (r, kind) in x.targets.find_all(x.tokens, s.tokens.clone()) {
            let close = trigger_starts.iter().any(|&t| t.abs_diff(r.start) <= 8);
            if matches!(*kind, "residential" | "military") && !close {
                continue;
            }
            if reports_or_receives(x.tokens, r.clone()) {
                continue;
            }
            let rank = |k: &str| types_rank(k);
            if target.is_none_or(|t: &str| rank(kind) < rank(t)) {
                target = Some(*kind);
            }
        }
    }

    target
}

/// Whether a place named like a target is where the dead were taken or who reports them, not what
/// was hit: "taken to the city hospital", "according to Ariha hospital", "the hospital received seven
/// dead", "hospital staff said".
fn reports_or_receives(t: &crate::text::Tokens, r: std::ops::Range<usize>) -> bool {
    const BEFORE: [&str; 9] = [
        "according",
        "taken",
        "rushed",
        "admitted",
        "treated",
        "transferred",
        "evacuated",
        "brought",
        "transported",
    ];
    const AFTER: [&str; 12] = [
        "said",
        "says",
        "reported",
        "reports",
        "received",
        "receives",
        "confirmed",
        "told",
        "staff",
        "director",
        "officials",
        "sources",
    ];
    // "taken to the nearby city hospital": a few words may describe the place.
    let before = (r.start.saturating_sub(5)..r.start)
        .rev()
        .take_while(|&i| !t.list[i + 1].sentence_start)
        .any(|i| BEFORE.contains(&t.folded(i)));
    let after = r.end < t.len() && AFTER.contains(&t.folded(r.end));
    before || after
}

fn types_rank(kind: &str) -> usize {
    crate::targets::PRECEDENCE
        .iter()
        .position(|k| *k == kind)
        .unwrap_or(usize::MAX)
}

/// The role of an actor in an event: the subject of a violent verb or the agent after "by" is
/// the (alleged) perpetrator; in a battle every armed side is; civilians are targets.
fn actor_role(
    x: &EventInput<'_>,
    m: &ActorMention,
    triggers: &[usize],
    event_type: EventType,
) -> ActorRole {
    let t = x.tokens;
    if m.entry.inter == 7 {
        return ActorRole::Target;
    }
    if event_type == EventType::Battles && m.entry.inter != 6 {
        return ActorRole::Perpetrator;
    }
    if event_type == EventType::Riots && m.entry.inter == 5 {
        return ActorRole::Perpetrator;
    }
    if event_type == EventType::Protests {
        // ACLED does not name a perpetrator of a protest.
        return ActorRole::Associated;
    }
    // "by X", "carried out by X", "blamed X".
    let before = |n: usize| {
        if m.tokens.start >= n {
            t.folded(m.tokens.start - n)
        } else {
            ""
        }
    };
    if before(1) == "by"
        || matches!(before(1), "blamed" | "accused")
        || (before(2), before(1)) == ("blamed", "on")
        || (before(2), before(1)) == ("attributed", "to")
    {
        return ActorRole::Perpetrator;
    }
    // Subject of a violent verb within a few words.
    let after_end = (m.tokens.end..(m.tokens.end + 4).min(t.len()))
        .find(|&i| VIOLENT_VERBS.contains(t.folded(i)) || triggers.contains(&i));
    if let Some(v) = after_end {
        // Not "soldiers were killed": a passive victim.
        let passive =
            (m.tokens.end..v).any(|i| matches!(t.folded(i), "were" | "was" | "been" | "being"));
        if !passive {
            return ActorRole::Perpetrator;
        }
        return ActorRole::Target;
    }
    if (m.tokens.end..(m.tokens.end + 3).min(t.len())).any(|i| t.folded(i) == "claimed") {
        return ActorRole::Perpetrator;
    }
    // Object of a violent verb: a target.
    if (m.tokens.start.saturating_sub(3)..m.tokens.start)
        .any(|i| VIOLENT_VERBS.contains(t.folded(i)))
    {
        return ActorRole::Target;
    }
    ActorRole::Associated
}

/// Actors the report holds responsible within `window` (token offsets where the mention starts):
/// "blamed X", "by X", "X claimed responsibility".
fn attributions(x: &EventInput<'_>, window: Range<usize>) -> Vec<ActorMention> {
    let all = x.actor_mentions(0..x.tokens.len());
    all.iter()
        .filter(|m| window.contains(&m.tokens.start))
        .filter(|m| m.entry.inter != 7 && m.entry.inter != 6)
        .filter(|m| {
            let before = |n: usize| {
                if m.tokens.start >= n {
                    x.tokens.folded(m.tokens.start - n)
                } else {
                    ""
                }
            };
            matches!(before(1), "blamed" | "accused")
                || (before(2), before(1)) == ("blamed", "on")
                || (before(1) == "by"
                    && VIOLENT_VERBS
                        .iter()
                        .any(|v| before(2) == *v || before(3) == *v))
                || (m.tokens.end..(m.tokens.end + 3).min(x.tokens.len()))
                    .any(|i| x.tokens.folded(i) == "claimed")
        })
        .cloned()
        .collect()
}

/// Merges events told twice (a headline and its story): same type, same or enclosing place,
/// same date.
fn merge_repeats(x: &EventInput<'_>, events: &mut Vec<(ReadEvent, Option<usize>, bool)>) {
    let mut i = 0;
    while i < events.len() {
        let mut j = i + 1;
        while j < events.len() {
            let (a, b) = (&events[i], &events[j]);
            let same_type = a.0.event.event_type == b.0.event.event_type;
            let same_date = a.0.event.date == b.0.event.date;
            let same_place = match (a.1, b.1) {
                (Some(p), Some(q)) => same_place(x, p, q),
                (None, _) | (_, None) => true,
            };
            // "Another strike hit ...": told as another occurrence, never a repeat.
            let another = a.2 || b.2;
            // "Russian jets bombed the clinic ... killing two" and "a deliberate attack on a
            // place every pilot knows is a clinic": the same occurrence told again in other
            // words (same day, place and target, no second toll), whatever word tells it.
            let retold = a.0.event.target.is_some()
                && a.0.event.target == b.0.event.target
                && (a.0.event.fatalities.is_none() || b.0.event.fatalities.is_none());
            // "Students protest over lack of food. Pelted vehicles with stones.": a protest
            // that turned violent is one riot (ACLED's violent demonstration), told in the
            // sentences next to each other.
            let is = |e: &ReadEvent, t: EventType| e.event.event_type == t.name();
            let escalated = ((is(&a.0, EventType::Protests) && is(&b.0, EventType::Riots))
                || (is(&a.0, EventType::Riots) && is(&b.0, EventType::Protests)))
                && a.0
                    .sentences
                    .iter()
                    .any(|&s| b.0.sentences.iter().any(|&t| s.abs_diff(t) <= 2));
            if (same_type || retold || escalated) && same_date && same_place && !another {
                let (mut b_read, mut b_hit, _) = events.remove(j);
                let a = &mut events[i];
                if escalated && is(&a.0, EventType::Protests) {
                    // The riot's reading leads; the protest's telling joins it.
                    std::mem::swap(&mut a.0, &mut b_read);
                    std::mem::swap(&mut a.1, &mut b_hit);
                }
                // A demonstration that turned violent is ACLED's violent demonstration, never
                // mob violence (a crowd's violence that is no demonstration).
                if escalated
                    && a.0.event.sub_event_type.as_deref() == Some(SubEvent::MobViolence.name())
                {
                    a.0.event.sub_event_type = Some(SubEvent::ViolentDemonstration.name().into());
                }
                a.0.sentences.extend(b_read.sentences);
                a.0.sentences.sort_unstable();
                a.0.refs.extend(b_read.refs);
                a.0.refs.sort_unstable();
                absorb(x, &mut a.0.event, b_read.event, &mut a.1, b_hit);
            } else {
                j += 1;
            }
        }
        i += 1;
    }
}

fn absorb(
    x: &EventInput<'_>,
    a: &mut Event,
    b: Event,
    a_hit: &mut Option<usize>,
    b_hit: Option<usize>,
) {
    // Keep the more precise place.
    let more_precise = match (
        a.location.as_ref().and_then(|l| l.geo_precision),
        b.location.as_ref().and_then(|l| l.geo_precision),
    ) {
        (Some(pa), Some(pb)) => pb < pa,
        (None, Some(_)) => true,
        _ => false,
    };
    if more_precise {
        a.location = b.location;
        *a_hit = b_hit;
    }
    let _ = x;
    let merge_count = |p: Option<truce_model::Count>, q: Option<truce_model::Count>| match (p, q) {
        (Some(p), Some(q)) => Some(truce_model::Count {
            low: min_opt(p.low, q.low),
            best: p.best.max(q.best),
            high: p.high.max(q.high).or(if p.low != q.low {
                p.low.max(q.low)
            } else {
                None
            }),
        }),
        (p, q) => p.or(q),
    };
    a.fatalities = merge_count(a.fatalities, b.fatalities);
    a.injured = merge_count(a.injured, b.injured);
    for actor in b.actors {
        match a.actors.iter_mut().find(|x| x.name == actor.name) {
            Some(existing) if actor.role == ActorRole::Perpetrator => existing.role = actor.role,
            Some(_) => {}
            None => a.actors.push(actor),
        }
    }
    // ACLED's "Unidentified" stands only where no telling names anyone.
    if a.actors
        .iter()
        .any(|p| p.role == ActorRole::Perpetrator && !p.name.starts_with("Unidentified"))
    {
        a.actors
            .retain(|p| !(p.role == ActorRole::Perpetrator && p.name.starts_with("Unidentified")));
    }
    a.target = a.target.take().or(b.target);
    a.evidence.extend(b.evidence);
    a.evidence.sort_by_key(|e| e.start);
    a.confidence = a.confidence.max(b.confidence);
    // A battle or explosion absorbs the sub-type of the more specific telling.
    if a.sub_event_type.is_none() {
        a.sub_event_type = b.sub_event_type;
    }
}

fn min_opt(a: Option<u32>, b: Option<u32>) -> Option<u32> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

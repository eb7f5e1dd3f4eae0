//! Claims: who in a report alleges, denies, confirms or condemns an event, and whom they accuse.
//!
//! Read after the events and the statements, over the report as a whole. Each statement is tied
//! to the event it speaks of: the event one of whose sentences (or reactions, see
//! [`crate::events::read_events`]) holds it, else the event whose reaction comes just before it
//! in the same paragraph ("Kerry condemned the hospital attack. \"It appears to have been a
//! deliberate strike...,\" Kerry said"). Its words then give the claim:
//!
//! - an **allegation** names a party as the doer: "by X", "X's ... record of striking", "X
//!   carried out", "blamed X", "accused X of", "X was responsible";
//! - a **denial** ("denied", "rejected") names the party whose part is denied: an actor in the
//!   denied words, else the speaker's own side ("its aircraft", "our forces"); an accusation in
//!   the same words ("... and accused rebels of shelling") is a counter-allegation;
//! - a claim of responsibility **confirms** the claimant's part;
//! - a **condemnation** that names nobody is a condemnation.
//!
//! A perpetrator the report's own words do not name is then taken from the allegations and
//! confirmations, with who made them (`alleged_by`); the report's own attribution always comes
//! first.

use std::ops::Range;

use truce_geo::{CountryCode, Gazetteer};
use truce_model::{Actor, Claim, ClaimKind, Statement};

use crate::actors::{ActorLexicon, ActorMention, resolve_name};
use crate::events::ReadEvent;
use crate::lexicon::Lexicon;
use crate::phrases::PhraseSet;
use crate::text::{Sentence, Tokens, WordSet};

/// Everything the claims stage reads.
pub struct ClaimInput<'a> {
    /// The report's text.
    pub text: &'a str,
    /// Its words.
    pub tokens: &'a Tokens,
    /// Its sentences.
    pub sentences: &'a [Sentence],
    /// Word lists.
    pub lexicon: &'a Lexicon,
    /// Actor aliases.
    pub actors: &'a ActorLexicon,
    /// The gazetteer (for country names).
    pub gazetteer: &'a Gazetteer,
    /// Target words ("hospital", "market").
    pub targets: &'a PhraseSet<&'static str>,
}

/// Cue words of a denial.
const DENIALS: &[&str] = &[
    "denied",
    "denies",
    "deny",
    "denying",
    "rejected",
    "rejects",
    "dismissed",
    "dismisses",
    "refuted",
];

/// Words that turn a denial into a counter-accusation from there on.
const ACCUSING: &[&str] = &[
    "accused", "accuses", "accusing", "blamed", "blames", "blaming", "said", "saying", "claimed",
];

/// Deeds a party is accused of, as verbs and nouns.
#[rustfmt::skip]
static DEEDS: WordSet = WordSet::new(&[
    "striking", "strike", "strikes", "struck", "bombing", "bombed", "bombings", "bombs",
    "shelling", "shelled", "attack", "attacks", "attacked", "attacking", "raid", "raids",
    "raided", "killing", "killed", "kill", "targeting", "targeted", "airstrike", "airstrikes",
    "bombardment", "bombarding", "hitting", "hit", "carried", "launched", "fired", "firing",
    "massacre", "destroyed", "destroying", "pounding", "pounded",
]);

/// Words that call an attack deliberate.
const DELIBERATE: &[&str] = &[
    "deliberate",
    "deliberately",
    "intentional",
    "intentionally",
    "targeted",
    "purposely",
    "purposefully",
    "knowingly",
];

/// Words of the speaker's own side in a denial: "its aircraft", "our forces".
const OWN_SIDE: &[&str] = &["its", "our", "we", "their", "it"];

/// Ties each statement to the event it speaks of and records its claims on that event; then
/// fills a perpetrator the report's own words leave unnamed from the allegations.
pub fn attach_claims(x: &ClaimInput<'_>, events: &mut [ReadEvent], statements: &[Statement]) {
    if events.is_empty() || statements.is_empty() {
        return;
    }
    let mut inters: Vec<Vec<(String, u8)>> = vec![Vec::new(); events.len()];
    for (index, st) in statements.iter().enumerate() {
        if st.speaker.is_none() && st.organization.is_none() {
            continue;
        }
        let content = token_span(x.tokens, st.start..st.end);
        if content.is_empty() {
            continue;
        }
        let Some(sentence) = x
            .sentences
            .iter()
            .position(|s| s.tokens.contains(&content.start))
        else {
            continue;
        };
        let Some(e) = event_of(x, events, sentence) else {
            continue;
        };
        let country = event_country(x, &events[e]);
        let claims = read_claims(x, st, index, content, country);
        let event = &mut events[e].event;
        for (c, inter) in claims {
            if let (Some(name), Some(inter)) = (&c.accused, inter) {
                inters[e].push((name.clone(), inter));
            }
            if !event.claims.contains(&c) {
                event.claims.push(c);
            }
        }
    }
    for (read, inters) in events.iter_mut().zip(&inters) {
        follow_allegations(&mut read.event, inters);
    }
}

/// The words whose chars lie in `chars`.
fn token_span(t: &Tokens, chars: Range<usize>) -> Range<usize> {
    let start = t.list.partition_point(|tok| tok.chars.start < chars.start);
    let end = t.list.partition_point(|tok| tok.chars.start < chars.end);
    start..end.max(start)
}

/// The event a statement in sentence `s` speaks of.
fn event_of(x: &ClaimInput<'_>, events: &[ReadEvent], s: usize) -> Option<usize> {
    let holds = |r: &ReadEvent, s: usize| r.sentences.contains(&s) || r.refs.contains(&s);
    if let Some(e) = events.iter().position(|r| holds(r, s)) {
        return Some(e);
    }
    // The sentence right after a reaction, in the same paragraph, goes on about it.
    let same_paragraph = !x
        .tokens
        .list
        .get(x.sentences[s].tokens.start)
        .is_some_and(|t| t.newline_before);
    if let Some(previous) = s.checked_sub(1).filter(|_| same_paragraph)
        && let Some(e) = events.iter().position(|r| r.refs.contains(&previous))
    {
        return Some(e);
    }
    // A statement that names what was hit ("condemns deadly strike on Aleppo hospital") speaks
    // of the one event that hit it.
    let named: Vec<&str> = x
        .targets
        .find_all(x.tokens, x.sentences[s].tokens.clone())
        .into_iter()
        .map(|(_, k)| *k)
        .collect();
    let mut hit = events.iter().enumerate().filter(|(_, r)| {
        r.event
            .target
            .as_deref()
            .is_some_and(|t| named.contains(&t))
    });
    match (hit.next(), hit.next()) {
        (Some((e, _)), None) => Some(e),
        // A report of one occurrence: what its claimants say is about it.
        _ => (events.len() == 1).then_some(0),
    }
}

fn event_country(x: &ClaimInput<'_>, read: &ReadEvent) -> Option<(CountryCode, String)> {
    let cc = read
        .event
        .location
        .as_ref()
        .and_then(|l| l.country.as_deref())
        .and_then(CountryCode::parse)?;
    let name = x
        .gazetteer
        .country(cc)
        .map(|id| x.gazetteer.place(id).name.clone())?;
    Some((cc, name))
}

fn country_name<'a>(x: &ClaimInput<'a>) -> impl Fn(CountryCode) -> Option<String> + 'a {
    |cc| {
        x.gazetteer
            .country(cc)
            .map(|id| x.gazetteer.place(id).name.clone())
    }
}

/// The claims of one statement.
fn read_claims(
    x: &ClaimInput<'_>,
    st: &Statement,
    index: usize,
    content: Range<usize>,
    country: Option<(CountryCode, String)>,
) -> Vec<(Claim, Option<u8>)> {
    let t = x.tokens;
    let names = country_name(x);
    let event_country = country.as_ref().map(|(c, n)| (*c, n.as_str()));
    let name_of = |m: &ActorMention| resolve_name(m, event_country, &names);
    let deliberate = content.clone().any(|i| DELIBERATE.contains(&t.folded(i)));
    let cue = st.cue.as_deref().unwrap_or("").to_ascii_lowercase();
    let denial = DENIALS.contains(&cue.as_str()) || st.stance.as_deref() == Some("denies");
    let claim = |kind: ClaimKind, accused: Option<String>| Claim {
        claimant: st.speaker.clone().or_else(|| st.organization.clone()),
        title: st.title.clone(),
        organization: st.organization.clone(),
        kind,
        accused,
        deliberate,
        statement: Some(index),
        start: st.start,
        end: st.end,
    };
    let mentions: Vec<ActorMention> = x
        .actors
        .find(x.lexicon, t, content.clone())
        .into_iter()
        .filter(|m| !matches!(m.entry.inter, 6 | 7))
        .collect();
    let mut out: Vec<(Claim, Option<u8>)> = Vec::new();
    let mut push = |kind: ClaimKind, accused: Option<(String, u8)>| {
        let (name, inter) = accused.map_or((None, None), |(n, i)| (Some(n), Some(i)));
        if !out.iter().any(|(o, _)| o.kind == kind && o.accused == name) {
            out.push((claim(kind, name), inter));
        }
    };
    if denial {
        // "denied its aircraft had struck the hospital and accused rebels of shelling ...".
        let turn = content
            .clone()
            .skip(1)
            .find(|&i| ACCUSING.contains(&t.folded(i)))
            .unwrap_or(content.end);
        let denied = content.start..turn;
        let first = mentions.iter().find(|m| denied.contains(&m.tokens.start));
        // "its aircraft", "our forces": the speaker's own side, whatever the words name.
        let own_words = first.is_some_and(|m| {
            m.tokens.start > 0 && OWN_SIDE.contains(&t.folded(m.tokens.start - 1))
        });
        let own = denied.clone().any(|i| OWN_SIDE.contains(&t.folded(i)));
        let mine = || own.then(|| speaker_party(x, st, event_country)).flatten();
        let accused = if own_words {
            mine().or_else(|| first.and_then(&name_of))
        } else {
            first.and_then(&name_of).or_else(mine)
        };
        push(ClaimKind::Denies, accused);
        for m in mentions.iter().filter(|m| m.tokens.start >= turn) {
            if let Some(named) = name_of(m) {
                push(ClaimKind::Alleges, Some(named));
            }
        }
        return out;
    }
    // "Residents blamed government forces", "accused the army of": whoever the cue names.
    let blaming = matches!(
        cue.as_str(),
        "blamed" | "blames" | "blaming" | "accused" | "accuses" | "accusing"
    );
    let mut any = false;
    for m in &mentions {
        if let Some(kind) =
            role(t, x.text, m, content.clone()).or(blaming.then_some(ClaimKind::Alleges))
            && let Some(named) = name_of(m)
        {
            any = true;
            push(kind, Some(named));
        }
    }
    if !any && (st.stance.as_deref() == Some("condemns") || deliberate) {
        push(ClaimKind::Condemns, None);
    }
    out
}

/// Whether a party named in a statement is said to have done the deed (an allegation), or
/// claims it (a confirmation).
fn role(t: &Tokens, text: &str, m: &ActorMention, content: Range<usize>) -> Option<ClaimKind> {
    let before = |n: usize| {
        m.tokens
            .start
            .checked_sub(n)
            .filter(|i| *i >= content.start)
            .map_or("", |i| t.folded(i))
    };
    let after = |n: usize| {
        let i = m.tokens.end + n;
        if i < content.end { t.folded(i) } else { "" }
    };
    // "claimed responsibility", "claimed the attack".
    if (0..3).any(|n| after(n) == "claimed") {
        return Some(ClaimKind::Confirms);
    }
    // "by X", "blamed X", "accused X", "blamed on X", "attributed to X".
    if matches!(
        before(1),
        "by" | "blamed" | "accused" | "blaming" | "accusing"
    ) || (before(2), before(1)) == ("blamed", "on")
        || (before(2), before(1)) == ("attributed", "to")
        || (before(2), before(1)) == ("by", "the")
    {
        return Some(ClaimKind::Alleges);
    }
    // "X was responsible", "X is behind".
    if (0..3).any(|n| matches!(after(n), "responsible" | "behind")) {
        return Some(ClaimKind::Alleges);
    }
    // "the Assad regime's appalling record of striking", "X carried out the strike": the doer
    // within a few words, not a passive victim ("soldiers were killed").
    let last = &t.list[m.tokens.end - 1];
    let rest = text.get(last.bytes.end..).unwrap_or("");
    let possessive = rest.starts_with("'s ") || rest.starts_with("\u{2019}s ");
    let reach = if possessive { 5 } else { 4 };
    let deed = (0..reach)
        .map(|n| m.tokens.end + n)
        .take_while(|&i| i < content.end)
        .find(|&i| DEEDS.contains(t.folded(i)))?;
    let passive =
        (m.tokens.end..deed).any(|i| matches!(t.folded(i), "were" | "was" | "been" | "being"));
    (!passive).then_some(ClaimKind::Alleges)
}

/// The party a speaker speaks for, when its name or organisation names one ("the Syrian Defence
/// Ministry" for the Military Forces of Syria).
fn speaker_party(
    x: &ClaimInput<'_>,
    st: &Statement,
    event_country: Option<(CountryCode, &str)>,
) -> Option<(String, u8)> {
    let who = [
        st.organization.as_deref(),
        st.speaker.as_deref(),
        st.title.as_deref(),
    ];
    for name in who.into_iter().flatten() {
        let tokens = crate::text::tokenize(name);
        let found = x.actors.find(x.lexicon, &tokens, 0..tokens.len());
        if let Some(m) = found.iter().find(|m| !matches!(m.entry.inter, 6 | 7)) {
            return resolve_name(m, event_country, &country_name(x));
        }
    }
    // A government named by its country or capital ("Moscow denied", "Russia denied") speaks
    // for its forces.
    let name = st.speaker.as_deref()?;
    let cc = x.gazetteer.lookup(name).into_iter().find_map(|(id, m)| {
        let p = x.gazetteer.place(id);
        (m != truce_geo::NameMatch::Skeleton
            && matches!(
                p.kind,
                truce_geo::PlaceKind::Country | truce_geo::PlaceKind::Capital
            ))
        .then_some(p.country)
        .flatten()
    })?;
    let country = country_name(x)(cc)?;
    let foreign = event_country.is_some_and(|(ec, _)| ec != cc);
    Some((
        format!("Military Forces of {country}"),
        if foreign { 8 } else { 1 },
    ))
}

/// A perpetrator the report does not name (only ACLED's "Unidentified" convention) is taken from
/// the allegations and confirmations of the report's claimants, each with who makes it.
fn follow_allegations(event: &mut truce_model::Event, inters: &[(String, u8)]) {
    let named = event.actors.iter().any(|a| {
        a.role == truce_model::ActorRole::Perpetrator && !a.name.starts_with("Unidentified")
    });
    if event.claims.is_empty() {
        return;
    }
    // A party that denies its part and points elsewhere ("denied its aircraft struck the
    // hospital and accused rebels") makes a counter-allegation: it is recorded as a claim, but
    // does not name the perpetrator.
    let deniers: Vec<&Option<String>> = event
        .claims
        .iter()
        .filter(|c| c.kind == ClaimKind::Denies)
        .map(|c| &c.claimant)
        .collect();
    let mut alleged: Vec<(String, Vec<String>)> = Vec::new();
    for c in &event.claims {
        if deniers.contains(&&c.claimant) {
            continue;
        }
        let Some(accused) = c.accused.as_deref() else {
            continue;
        };
        if !matches!(c.kind, ClaimKind::Alleges | ClaimKind::Confirms)
            || accused.starts_with("Civilians")
        {
            continue;
        }
        let who = match (&c.claimant, &c.title) {
            (Some(n), Some(t)) if !n.eq_ignore_ascii_case(t) => format!("{n} ({t})"),
            (Some(n), _) => n.clone(),
            (None, Some(t)) => t.clone(),
            (None, None) => continue,
        };
        match alleged.iter_mut().find(|(a, _)| a == accused) {
            Some((_, by)) if !by.contains(&who) => by.push(who),
            Some(_) => {}
            None => alleged.push((accused.to_string(), vec![who])),
        }
    }
    if alleged.is_empty() {
        return;
    }
    if named {
        // The side chosen is the one alleged: say by whom; a report that names its own
        // perpetrator is not overruled by an allegation.
        for a in event
            .actors
            .iter_mut()
            .filter(|a| a.role == truce_model::ActorRole::Perpetrator)
        {
            if let Some((_, by)) = alleged.iter().find(|(n, _)| *n == a.name) {
                a.alleged_by = by.clone();
            }
        }
        return;
    }
    event.actors.retain(|a| {
        !(a.role == truce_model::ActorRole::Perpetrator && a.name.starts_with("Unidentified"))
    });
    for (name, by) in alleged {
        match event.actors.iter_mut().find(|a| a.name == name) {
            Some(a) => {
                a.role = truce_model::ActorRole::Perpetrator;
                a.alleged_by = by;
            }
            None => event.actors.push(Actor {
                inter: inters.iter().find(|(n, _)| *n == name).map(|(_, i)| *i),
                name,
                role: truce_model::ActorRole::Perpetrator,
                alleged_by: by,
            }),
        }
    }
}

//! Who did it: the rules propose every side the report names and ACLED's conventional sides for a
//! side it does not name (an unidentified armed group, the rioters of a riot); the learned model
//! decides. A side is alleged only as the report alleges it: the state's forces are never a
//! candidate by a prior. "Warplanes struck the market" names no air force, and a record that
//! gave the strike to the host state's forces would make an allegation the report does not
//! (in Syria it might be Russia's, the coalition's or Turkey's; in Ukraine it would be Russia's).
//!
//! The candidates' features are computed here for use and for training alike
//! ([`candidates`]); [`decide`] applies a model's choice to an event's actors.

use std::ops::Range;

use truce_geo::CountryCode;
use truce_model::Actor;

use super::types::{EventType, SubEvent};
use super::{EventInput, ReadEvent, VIOLENT_VERBS};
use crate::actors::{ActorMention, resolve_name};
use crate::learn::{Candidate, Features, LinearModel, Proposal, Side};
use crate::text::WordSet;

/// ACLED's inter codes as written in feature names.
const INTER_CODES: [&str; 9] = ["0", "1", "2", "3", "4", "5", "6", "7", "8"];

/// An empty feature set: named when the reading is explained (or trained on), hashed otherwise.
fn features(x: &EventInput<'_>) -> Features {
    if x.explain {
        Features::default()
    } else {
        Features::hashed()
    }
}

/// Where a mention stands relative to the event's telling.
fn place_of(sentence: usize, event_sentences: &[usize], refs: &[usize]) -> &'static str {
    if event_sentences.first() == Some(&sentence) {
        "first"
    } else if event_sentences.contains(&sentence) {
        "event"
    } else if refs.contains(&sentence) {
        "ref"
    } else if event_sentences
        .iter()
        .chain(refs)
        .any(|&s| s.abs_diff(sentence) == 1)
    {
        "near"
    } else {
        "far"
    }
}

fn sentence_of(x: &EventInput<'_>, token: usize) -> usize {
    x.sentences
        .partition_point(|s| s.tokens.end <= token)
        .min(x.sentences.len().saturating_sub(1))
}

/// Verbs of speech after a side that make it the one who tells ("the military said", "witnesses
/// and police told reporters"), not the one who acted.
static SPEECH_VERBS: WordSet = WordSet::new(&[
    "said",
    "says",
    "say",
    "told",
    "tells",
    "reported",
    "reports",
    "announced",
    "announces",
    "stated",
    "states",
    "confirmed",
    "confirms",
    "added",
    "adds",
    "alleged",
    "alleges",
    "accused",
    "accuses",
    "blamed",
    "blames",
    "denied",
    "denies",
]);

/// Words after a side that make it a description of a place ("Houthi-controlled Yemen",
/// "rebel-held districts"), not an actor of the event.
const HOLDING_WORDS: &[&str] = &["controlled", "held", "run", "dominated", "occupied"];

/// Words between a side and its verb of speech that still leave the side the teller: "police and
/// medical sources said", "police officials told CNN", "a police spokesman said".
static REPORTING_WORDS: WordSet = WordSet::new(&[
    "and",
    "medical",
    "hospital",
    "health",
    "local",
    "district",
    "provincial",
    "sources",
    "source",
    "officials",
    "official",
    "officers",
    "officer",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "chief",
    "chiefs",
    "commander",
    "commanders",
    "authorities",
    "witnesses",
    "residents",
]);

/// Words before a side that make it the source of a report: "according to reports from police
/// and hospital sources", "according to a statement by the army".
static ACCORDING_WORDS: WordSet = WordSet::new(&[
    "the",
    "a",
    "reports",
    "report",
    "statement",
    "statements",
    "sources",
    "from",
    "by",
    "of",
    "local",
]);

/// Places and vehicles a side's name may qualify: "a police checkpoint", "the army barracks",
/// "near a police building". The side is where it struck, not who struck.
static FACILITY_WORDS: WordSet = WordSet::new(&[
    "checkpoint",
    "checkpoints",
    "station",
    "stations",
    "post",
    "posts",
    "building",
    "buildings",
    "headquarters",
    "compound",
    "base",
    "bases",
    "barracks",
    "academy",
    "camp",
    "vehicle",
    "vehicles",
    "convoy",
    "convoys",
    "truck",
    "trucks",
    "car",
    "office",
    "offices",
    "recruits",
    "recruitment",
]);

/// Words that may stand between a side and the facility it names: "a coalition military camp".
const FACILITY_QUALIFIERS: &[&str] = &["military", "army", "police", "security", "border"];

/// How a mention stands aside from the deed: the teller of the report, the holder of a place, or
/// the one it was done to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Aside {
    /// It speaks: "Nigeria's military says", "according to the army".
    Speaker,
    /// It holds a place: "Houthi-controlled", "rebel-held".
    Holder,
    /// It suffered the deed: "10 militants were killed", "killed three soldiers", "strikes
    /// against the Nusra Front".
    Victim,
    /// It names the place or vehicle struck: "a car bomb at a police checkpoint".
    Site,
}

/// Whether a mention tells the event, names whose place it is, who suffered it or the place
/// struck, and not who did it: a speech verb within three words after it with no deed between
/// (words of reporting such as "and medical sources" skipped; "the military said its troops
/// killed" stays a doer), "according to" before it, a word of holding right after it, a deed told
/// of it in the passive ("were killed") or before it ("killed three soldiers", "strikes
/// against"), a facility it names ("a police checkpoint").
pub(super) fn aside(
    x: &EventInput<'_>,
    m: &ActorMention,
    triggers: &[Range<usize>],
) -> Option<Aside> {
    let t = x.tokens;
    let at = |i: usize| if i < t.len() { t.folded(i) } else { "$" };
    if HOLDING_WORDS.contains(&at(m.tokens.end)) {
        return Some(Aside::Holder);
    }
    let deed = |i: usize| {
        i < t.len()
            && (VIOLENT_VERBS.contains(t.folded(i)) || triggers.iter().any(|r| r.contains(&i)))
    };
    let before = |n: usize| m.tokens.start.checked_sub(n).map_or("^", |i| t.folded(i));
    if let Some(n) = (0..4).find(|&n| deed(m.tokens.end + n))
        && (0..n).any(|k| matches!(at(m.tokens.end + k), "were" | "was" | "been" | "being"))
    {
        return Some(Aside::Victim);
    }
    // "clashes between X and Y", "fighting with X": the sides of a fight, not its victims.
    let done_to = (1..=3)
        .take_while(|&n| {
            !matches!(before(n), "by" | "between" | "with" | "among")
                && !SPEECH_VERBS.contains(before(n))
        })
        .any(|n| {
            m.tokens.start.checked_sub(n).is_some_and(deed)
                || matches!(before(n), "against" | "targeting" | "targeted")
        });
    if done_to && !(0..2).any(|n| deed(m.tokens.end + n)) {
        return Some(Aside::Victim);
    }
    // "a police checkpoint", "a coalition military camp": the side names the place struck.
    // ("a police patrol opened fire" is the patrol's deed.)
    let facility = (0..2)
        .take_while(|&n| n == 0 || FACILITY_QUALIFIERS.contains(&at(m.tokens.end + n - 1)))
        .map(|n| m.tokens.end + n)
        .find(|&i| FACILITY_WORDS.contains(at(i)));
    if let Some(f) = facility
        && (!deed(f + 1) || t.list[f + 1].comma_before)
    {
        return Some(Aside::Site);
    }
    // "according to the army", "according to reports from police".
    let according = (1..=4)
        .map(before)
        .take_while(|w| *w != "to" && ACCORDING_WORDS.contains(w))
        .count();
    let according = (before(according + 2), before(according + 1)) == ("according", "to");
    // "the military said", "police and medical sources said", "police officials told".
    let speech = (0..7)
        .map(|n| m.tokens.end + n)
        .take_while(|&i| !deed(i))
        .filter(|&i| !REPORTING_WORDS.contains(at(i)))
        .take(3)
        .find(|&i| SPEECH_VERBS.contains(at(i)));
    // "said it killed", "said its troops killed", "said it was behind the attack", "claimed
    // responsibility"; but "police say assassins killed" tells another's deed.
    let claims = (0..6).any(|n| {
        matches!(
            at(m.tokens.end + n),
            "behind" | "responsibility" | "claimed" | "carried"
        )
    });
    let does_after = if let Some(verb) = speech {
        let next = if at(verb + 1) == "that" {
            verb + 2
        } else {
            verb + 1
        };
        let own = matches!(
            at(next),
            "it" | "its" | "they" | "their" | "we" | "our" | "he" | "his" | "she" | "her"
        );
        claims || (own && (next..next + 5).any(deed))
    } else {
        claims || (0..6).any(|n| deed(m.tokens.end + n))
    };
    ((according || speech.is_some()) && !does_after).then_some(Aside::Speaker)
}

/// The features of one mention: where it is, the words around it and its syntax towards the
/// event words.
fn mention_features(
    x: &EventInput<'_>,
    m: &ActorMention,
    where_: &str,
    stance: Option<Aside>,
    triggers: &[Range<usize>],
    event_country: Option<CountryCode>,
) -> Features {
    let t = x.tokens;
    let mut f = features(x);
    f.on_parts(&["m:where=", where_]);
    // A victim is told by the features of its syntax below (passive subject, object).
    match stance {
        Some(Aside::Speaker) => f.on_parts(&["m:speaker"]),
        Some(Aside::Holder) => f.on_parts(&["m:holder"]),
        Some(Aside::Victim | Aside::Site) | None => {}
    }
    let before = |n: usize| {
        if m.tokens.start >= n {
            t.folded(m.tokens.start - n)
        } else {
            "^"
        }
    };
    let after = |n: usize| {
        let i = m.tokens.end + n;
        if i < t.len() { t.folded(i) } else { "$" }
    };
    f.on_parts(&["m:prev=", before(1)]);
    f.on_parts(&["m:next=", after(0)]);
    if before(1) == "by" {
        f.on_parts(&["m:by"]);
        if (2..=4).any(|n| VIOLENT_VERBS.contains(before(n))) {
            f.on_parts(&["m:by_after_violent_verb"]);
        }
    }
    if matches!(before(1), "blamed" | "accused")
        || (before(2), before(1)) == ("blamed", "on")
        || (before(2), before(1)) == ("attributed", "to")
    {
        f.on_parts(&["m:blamed"]);
    }
    if (0..3).any(|n| after(n) == "claimed") {
        f.on_parts(&["m:claimed"]);
    }
    let violent_after = (0..4).find(|&n| {
        let i = m.tokens.end + n;
        i < t.len()
            && (VIOLENT_VERBS.contains(t.folded(i)) || triggers.iter().any(|r| r.start == i))
    });
    if let Some(n) = violent_after {
        let passive = (0..n).any(|k| matches!(after(k), "were" | "was" | "been" | "being"));
        f.on_parts(&[if passive {
            "m:passive_subject"
        } else {
            "m:subject"
        }]);
    }
    if (1..=3).any(|n| VIOLENT_VERBS.contains(before(n))) {
        f.on_parts(&["m:object"]);
    }
    if (1..=3).any(|n| matches!(before(n), "against" | "targeting" | "targeted" | "on")) {
        f.on_parts(&["m:against"]);
    }
    if (1..=2).any(|n| matches!(before(n), "between" | "with" | "and")) {
        f.on_parts(&["m:with"]);
    }
    let s = sentence_of(x, m.tokens.start);
    let sentence = x.sentences.get(s).map_or(0..t.len(), |s| s.tokens.clone());
    if let Some(d) = triggers
        .iter()
        .filter(|r| sentence.contains(&r.start))
        .map(|r| {
            if r.start >= m.tokens.end {
                (r.start - m.tokens.end) as i64
            } else {
                -((m.tokens.start - r.start.min(m.tokens.start)) as i64)
            }
        })
        .min_by_key(|d| d.abs())
    {
        let side = if d >= 0 { "before" } else { "after" };
        let bucket = match d.abs() {
            0..=2 => "2",
            3..=5 => "5",
            6..=10 => "10",
            _ => "far",
        };
        f.on_parts(&["m:", side, "_trigger<=", bucket]);
    }
    if m.tokens.start == sentence.start {
        f.on_parts(&["m:sentence_start"]);
    }
    if let Some(d) = m.demonym {
        f.on_parts(&[if Some(d) == event_country {
            "m:own_demonym"
        } else {
            "m:foreign_demonym"
        }]);
    }
    f
}

/// The candidates for an event's perpetrator, with their features (no score yet). Empty for
/// protests and strategic developments, which ACLED gives no perpetrator.
pub(crate) fn candidates(
    x: &EventInput<'_>,
    ev: &ReadEvent,
    mentions: &[ActorMention],
) -> Vec<Candidate> {
    let e = &ev.event;
    let Some(sub) = e.sub_event_type.as_deref().and_then(SubEvent::parse) else {
        return Vec::new();
    };
    let event_type = sub.event_type();
    if matches!(
        event_type,
        EventType::Protests | EventType::StrategicDevelopments
    ) {
        return Vec::new();
    }
    let cc = e
        .location
        .as_ref()
        .and_then(|l| l.country.as_deref())
        .and_then(CountryCode::parse);
    let country_name = |cc: CountryCode| {
        x.gazetteer
            .country(cc)
            .map(|id| x.gazetteer.place(id).name.clone())
    };
    let event_country = cc.and_then(|c| country_name(c).map(|n| (c, n)));
    let triggers: Vec<Range<usize>> = ev
        .sentences
        .iter()
        .filter_map(|&s| x.sentences.get(s))
        .flat_map(|s| x.triggers.find_all(x.tokens, s.tokens.clone()))
        .map(|(r, _)| r)
        .collect();
    let ty = event_type.name();
    let sub_name = sub.name();
    let rule_role = |name: &str| {
        e.actors
            .iter()
            .find(|a| a.name == name)
            .map_or("none", |a| a.role.as_str())
    };

    // Named sides, one candidate per name, the features of all its mentions together.
    struct Named {
        candidate: Candidate,
        inter: u8,
        template: String,
        mentions: usize,
        first: usize,
        close: bool,
        /// Every mention tells the event, holds its place or suffered it ([`aside`]).
        aside: bool,
        /// Every mention only tells the event ("police said") or names the place struck ("a police
        /// checkpoint").
        teller_or_site: bool,
    }
    let told = |w: &str| matches!(w, "first" | "event");
    let mut named: Vec<Named> = Vec::new();
    for m in mentions {
        if matches!(m.entry.inter, 6 | 7) {
            continue;
        }
        let Some((name, inter)) = resolve_name(
            m,
            event_country.as_ref().map(|(c, n)| (*c, n.as_str())),
            &country_name,
        ) else {
            continue;
        };
        if inter == 7 {
            continue;
        }
        let s = sentence_of(x, m.tokens.start);
        let where_ = place_of(s, &ev.sentences, &ev.refs);
        let stance = aside(x, m, &triggers);
        let f = mention_features(x, m, where_, stance, &triggers, cc);
        let close = where_ != "far";
        let is_aside = stance.is_some();
        match named.iter_mut().find(|n| n.candidate.name == name) {
            Some(n) => {
                n.candidate.features.absorb(&f);
                if let Proposal::Side { in_telling, .. } = &mut n.candidate.proposal {
                    *in_telling |= told(where_);
                }
                n.mentions += 1;
                n.close |= close;
                n.aside &= is_aside;
                n.teller_or_site &= matches!(stance, Some(Aside::Speaker | Aside::Site));
            }
            None => named.push(Named {
                candidate: Candidate {
                    name,
                    proposal: Proposal::Side {
                        side: Side::Named,
                        in_telling: told(where_),
                        inter,
                    },
                    features: f,
                    probability: None,
                    chosen: false,
                },
                inter,
                template: m.entry.template.clone(),
                mentions: 1,
                first: m.tokens.start,
                close,
                aside: is_aside,
                teller_or_site: matches!(stance, Some(Aside::Speaker | Aside::Site)),
            }),
        }
    }
    // Armed sides that may have done it: a side that only tells the event, holds its place or
    // suffered it leaves room for ACLED's conventional sides ("Nigeria's military says six were
    // killed in an attack": an unidentified armed group is a candidate beside the military).
    let armed_close = named
        .iter()
        .filter(|n| n.close && !n.aside && (n.inter <= 4 || n.inter == 8))
        .count();
    let armed_bucket = match armed_close {
        0 => "0",
        1 => "1",
        _ => "2+",
    };
    let rule_named_perpetrator = e.actors.iter().any(|a| {
        a.role == truce_model::ActorRole::Perpetrator
            && !a.name.starts_with("Unidentified")
            && a.inter != Some(7)
    });
    let common = |f: &mut Features, side: Side, inter: u8, rule: &str| {
        let k = side.name();
        f.on_parts(&["c:kind=", k]);
        f.on_parts(&["c:kind=", k, "&type=", ty]);
        f.on_parts(&["c:kind=", k, "&sub=", sub_name]);
        f.on_parts(&["c:kind=", k, "&armed=", armed_bucket]);
        let inter = INTER_CODES.get(usize::from(inter)).copied().unwrap_or("?");
        f.on_parts(&["c:inter=", inter]);
        f.on_parts(&["c:inter=", inter, "&type=", ty]);
        f.on_parts(&["c:inter=", inter, "&sub=", sub_name]);
        f.on_parts(&["c:rule=", rule]);
        f.on_parts(&["c:rule=", rule, "&type=", ty]);
        if rule_named_perpetrator {
            f.on_parts(&["c:kind=", k, "&rule_named"]);
        }
    };
    let mut order: Vec<usize> = named.iter().map(|n| n.first).collect();
    order.sort_unstable();
    let mut out = Vec::new();
    for mut n in named {
        // A side the report only hears from, or names only as the place struck, is alleged
        // nothing: "police said", "according to the army", "a car bomb at a police checkpoint".
        // (One told of only as struck stays a candidate: the data sets give the
        // sides of a fight to both, and dropping those lost more than it mended.)
        if n.teller_or_site {
            continue;
        }
        let rank = order.iter().position(|&p| p == n.first).unwrap_or(0);
        let rule = rule_role(&n.candidate.name);
        let f = &mut n.candidate.features;
        common(f, Side::Named, n.inter, rule);
        f.on_parts(&["c:actor=", &n.template]);
        f.on_parts(&[
            "c:mentions=",
            match n.mentions {
                1 => "1",
                2 => "2",
                _ => "3+",
            },
        ]);
        f.on_parts(&[
            "c:rank=",
            match rank {
                0 => "0",
                1 => "1",
                _ => "2+",
            },
        ]);
        out.push(n.candidate);
    }

    // ACLED's conventional sides, each a candidate unless the report names it.
    let country = event_country.as_ref().map(|(_, n)| n.as_str());
    let conventional = [
        (
            Side::Unidentified,
            country.map_or("Unidentified Armed Group".to_string(), |c| {
                format!("Unidentified Armed Group ({c})")
            }),
            3,
        ),
        (
            Side::Rioters,
            country.map_or("Rioters".to_string(), |c| format!("Rioters ({c})")),
            5,
        ),
    ];
    for (side, name, inter) in conventional {
        if out.iter().any(|c| c.name == name) {
            continue;
        }
        if side == Side::Rioters && event_type != EventType::Riots {
            continue;
        }
        // A side the report does not name is proposed only where it names no armed side near
        // the telling: "Russian jets bombed" is never given to an unidentified group.
        if side != Side::Rioters && armed_close > 0 {
            continue;
        }
        let mut f = features(x);
        common(&mut f, side, inter, rule_role(&name));
        out.push(Candidate {
            name,
            proposal: Proposal::Side {
                side,
                in_telling: false,
                inter,
            },
            features: f,
            probability: None,
            chosen: false,
        });
    }
    out
}

/// Scores the candidates and marks the chosen: the most probable, and in a battle every other
/// side named in the sentences that tell it (both sides of a battle fight it, by ACLED's and
/// UCDP's convention).
pub(crate) fn score(model: &LinearModel, event_type: EventType, candidates: &mut [Candidate]) {
    for c in candidates.iter_mut() {
        c.probability = Some(model.probability(&c.features));
    }
    candidates.sort_by(|a, b| {
        b.probability
            .unwrap_or(0.0)
            .total_cmp(&a.probability.unwrap_or(0.0))
            .then(a.name.cmp(&b.name))
    });
    for (i, c) in candidates.iter_mut().enumerate() {
        let named_in_telling = matches!(
            c.proposal,
            Proposal::Side {
                side: Side::Named,
                in_telling: true,
                ..
            }
        );
        c.chosen = i == 0 || (event_type == EventType::Battles && named_in_telling);
    }
}

/// Rewrites an event's perpetrators to the chosen candidates: the chosen become perpetrators
/// (added when the rules had not listed them), sides the rules had called perpetrators and the
/// model did not choose stay as associated, ACLED's conventional sides not chosen go.
pub(crate) fn apply(actors: &mut Vec<Actor>, candidates: &[Candidate]) {
    let chosen = |name: &str| candidates.iter().any(|c| c.chosen && c.name == name);
    let conventional = |name: &str| {
        candidates
            .iter()
            .any(|c| c.name == name && c.side() != Some(Side::Named))
    };
    actors.retain(|a| {
        chosen(&a.name) || !conventional(&a.name) || a.role != truce_model::ActorRole::Perpetrator
    });
    for a in actors.iter_mut() {
        if chosen(&a.name) {
            a.role = truce_model::ActorRole::Perpetrator;
        } else if a.role == truce_model::ActorRole::Perpetrator {
            a.role = truce_model::ActorRole::Associated;
        }
    }
    for c in candidates.iter().filter(|c| c.chosen) {
        let Proposal::Side { inter, .. } = c.proposal else {
            continue;
        };
        if !actors.iter().any(|a| a.name == c.name) {
            actors.push(Actor {
                name: c.name.clone(),
                role: truce_model::ActorRole::Perpetrator,
                inter: Some(inter),
                alleged_by: Vec::new(),
            });
        }
    }
}

/// Decides the perpetrators of every event of a report with the engine's model (when it has
/// one), keeping each event's scored candidates for explanation and training.
pub(crate) fn decide(x: &EventInput<'_>, events: &mut [ReadEvent]) {
    if events.is_empty() {
        return;
    }
    let mentions = x.actor_mentions(0..x.tokens.len());
    for ev in events.iter_mut() {
        let mut cands = candidates(x, ev, &mentions);
        if let (Some(model), Some(sub)) = (
            x.models.deciding("perpetrator"),
            ev.event.sub_event_type.as_deref().and_then(SubEvent::parse),
        ) && !cands.is_empty()
        {
            score(model, sub.event_type(), &mut cands);
            apply(&mut ev.event.actors, &cands);
        }
        ev.perpetrators = cands;
    }
}

//! What kind of event it is: the rules choose a sub-event type by ACLED's precedence
//! ([`super::types::choose`]), and the learned model decides among all of ACLED's sub-event
//! types, weighing the rules' choice beside the words that tell the event.
//!
//! ACLED's coding conventions live in the words more than in the triggers: "a battle between
//! the two groups" after "raiders attacked" is an armed clash, "students burn a dorm in protest"
//! a violent demonstration, "police fired tear gas" a protest with intervention. Each candidate
//! is described by the rules' choice (and which it was), the triggers the sentence holds, the
//! toll, who is named, and every word of the telling, each crossed with the candidate.

use std::ops::Range;

use super::EventInput;
use super::types::{EventType, SubEvent};
use rustc_hash::FxHashMap as HashMap;

use crate::learn::{Candidate, FeatureSink, LinearModel, Proposal, assess, name_hash, sigmoid};
use crate::text::{Shape, WordSet};

/// What the rules read around an event, beside its triggers: the signals its sub-event type
/// depends on.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Signals {
    /// Dispersal, arrests or tear gas at a protest.
    pub police_action: bool,
    /// The police killed or wounded protesters.
    pub lethal_force: bool,
    /// Someone was killed.
    pub killed: bool,
    /// Someone was injured.
    pub injured: bool,
    /// Every sentence of the telling has armed people as the victims (soldiers, fighters).
    pub armed_victims: bool,
    /// Civilians, villagers, women or children are named.
    pub civilians: bool,
}

/// Words of violence by a crowd: what makes a protest a riot.
static CROWD_VIOLENCE: WordSet = WordSet::new(&[
    "burn",
    "burns",
    "burned",
    "burnt",
    "burning",
    "torch",
    "torched",
    "torching",
    "arson",
    "stone",
    "stones",
    "stoned",
    "stoning",
    "threw",
    "throwing",
    "hurled",
    "hurling",
    "loot",
    "looted",
    "looting",
    "barricade",
    "barricaded",
    "barricades",
    "block",
    "blocked",
    "blocking",
    "smash",
    "smashed",
    "vandalise",
    "vandalised",
    "vandalize",
    "vandalized",
    "destroyed",
    "damaged",
    "rampage",
    "rampaged",
    "riot",
    "riots",
    "rioting",
    "rioters",
    "violent",
    "violence",
    "mob",
    "lynch",
    "lynched",
    "clashed",
    "clashes",
    "clash",
    "fought",
    "attacked",
    "beat",
    "beaten",
    "chaos",
    "unrest",
    "petrol",
    "molotov",
]);

/// Words that say nothing of what happened, only how it is told: left out of the word features
/// (they would learn how each training set is written: its reports of attacks quote someone
/// who "said", its notes of clashes do not).
static FUNCTION_WORDS: WordSet = WordSet::new(&[
    "the",
    "and",
    "for",
    "with",
    "that",
    "this",
    "these",
    "those",
    "from",
    "into",
    "onto",
    "over",
    "under",
    "than",
    "then",
    "there",
    "their",
    "them",
    "they",
    "his",
    "her",
    "hers",
    "its",
    "our",
    "who",
    "whom",
    "whose",
    "which",
    "what",
    "when",
    "where",
    "while",
    "was",
    "were",
    "are",
    "been",
    "being",
    "has",
    "have",
    "had",
    "will",
    "would",
    "could",
    "should",
    "may",
    "might",
    "but",
    "not",
    "also",
    "after",
    "before",
    "during",
    "about",
    "around",
    "between",
    "since",
    "some",
    "other",
    "more",
    "most",
    "least",
    "said",
    "says",
    "told",
    "according",
    "reported",
    "added",
    "stated",
    "announced",
    "claimed",
    "per",
    "via",
    "out",
    "off",
    "all",
    "any",
    "each",
]);

/// The class of the features a candidate's own signal has whatever its type.
const ANY: &str = "any";

/// ACLED inter codes as written in feature names.
const INTER_CODES: [&str; 9] = ["0", "1", "2", "3", "4", "5", "6", "7", "8"];

fn bucket(weight: u32) -> &'static str {
    match weight {
        0 => "0",
        1 => "1",
        2 => "2",
        3 => "3",
        _ => "4+",
    }
}

/// What one event's candidates share: the rules' choice, the triggers, the words.
struct Telling<'a> {
    rules: SubEvent,
    triggers: &'a [(SubEvent, u8, Range<usize>)],
    /// Distinct sub-event types the triggers name.
    triggered: Vec<SubEvent>,
    signals: Signals,
    /// Distinct inter codes of the actors named in the telling.
    inters: Vec<u8>,
    /// Distinct folded words of the telling: three letters or more, in lower case or capitalised
    /// only as a sentence's first word, no function word ([`FUNCTION_WORDS`]). Names are left
    /// out: "Baghdad" or "Darfur" would teach the kind of event the training files happen to
    /// report there.
    words: Vec<&'a str>,
    /// Distinct pairs of adjacent words of the telling (any length, no comma between).
    pairs: Vec<(&'a str, &'a str)>,
    /// The telling has a word of violence by a crowd ([`CROWD_VIOLENCE`]).
    crowd_violence: bool,
}

/// Where the features of the sub-event candidates go. Every feature is a candidate's key and a
/// signal (`k=attack` + `&w=stormed`): a signal of the telling holds for every candidate
/// ([`ClassSink::shared`]), a signal of one candidate's own ([`ClassSink::own`]) for that one,
/// and is also written once for any type (`any&rules`: the rules chose it, whichever it is), so
/// that a type the training data has few examples of is still chosen where the rules' evidence
/// for it is strong.
trait ClassSink {
    /// A signal every candidate has.
    fn shared(&mut self, signal: &[&str]);
    /// A signal only candidate `s` has.
    fn own(&mut self, s: SubEvent, signal: &[&str]);
}

/// One candidate's named features, for training and `--explain`.
struct Named<'f> {
    candidate: SubEvent,
    sink: &'f mut dyn FeatureSink,
}

impl Named<'_> {
    fn write(&mut self, class: &[&str], signal: &[&str]) {
        let mut parts: [&str; 6] = [""; 6];
        let n = class.len() + signal.len();
        debug_assert!(n <= parts.len(), "a feature of at most six parts");
        let n = n.min(parts.len());
        for (slot, part) in parts.iter_mut().zip(class.iter().chain(signal)) {
            *slot = part;
        }
        self.sink.on(&parts[..n]);
    }
}

impl ClassSink for Named<'_> {
    fn shared(&mut self, signal: &[&str]) {
        self.write(&["k=", self.candidate.key()], signal);
    }

    fn own(&mut self, s: SubEvent, signal: &[&str]) {
        if s == self.candidate {
            self.write(&["k=", self.candidate.key()], signal);
            if !signal.is_empty() {
                self.write(&[ANY], signal);
            }
        }
    }
}

/// Every candidate's log-odds at once: one look-up per signal in the model's weights arranged
/// by signal ([`Scorer`]).
struct Sums<'s> {
    scorer: &'s Scorer,
    logits: [f64; SubEvent::ALL.len()],
}

impl ClassSink for Sums<'_> {
    fn shared(&mut self, signal: &[&str]) {
        if let Some(row) = self.scorer.by_signal.get(&name_hash(signal)) {
            for (l, w) in self.logits.iter_mut().zip(row) {
                *l += w;
            }
        }
    }

    fn own(&mut self, s: SubEvent, signal: &[&str]) {
        let id = name_hash(signal);
        if let Some(row) = self.scorer.by_signal.get(&id) {
            self.logits[s as usize] += row[s as usize];
        }
        if !signal.is_empty()
            && let Some(w) = self.scorer.any.get(&id)
        {
            self.logits[s as usize] += w;
        }
    }
}

/// The sub-event model's weights arranged by signal: for each signal (`&w=stormed`), its weight
/// for each sub-event type (in [`SubEvent::ALL`]'s order). The same weights as the model's, read
/// with one look-up per signal instead of one per signal and candidate.
#[derive(Debug, Clone, Default)]
pub struct Scorer {
    bias: f64,
    by_signal: HashMap<u64, [f64; SubEvent::ALL.len()]>,
    /// The weights of the signals any type has (`any&rules`).
    any: HashMap<u64, f64>,
}

impl Scorer {
    /// Arranges a sub-event model's weights (features named `k={key}{signal}` and
    /// `any{signal}`) by signal;
    /// `None` for a model without weights (the rules decide).
    pub fn new(model: &LinearModel) -> Option<Self> {
        if model.is_empty() {
            return None;
        }
        let mut by_signal: HashMap<u64, [f64; SubEvent::ALL.len()]> = HashMap::default();
        let mut any: HashMap<u64, f64> = HashMap::default();
        for (name, w) in model.weights() {
            if let Some(signal) = name.strip_prefix(ANY) {
                any.insert(name_hash(&[signal]), w);
                continue;
            }
            let Some(rest) = name.strip_prefix("k=") else {
                continue;
            };
            let (key, signal) = rest.find('&').map_or((rest, ""), |i| rest.split_at(i));
            let Some(s) = SubEvent::ALL.into_iter().find(|s| s.key() == key) else {
                continue;
            };
            by_signal
                .entry(name_hash(&[signal]))
                .or_insert([0.0; SubEvent::ALL.len()])[s as usize] = w;
        }
        Some(Self {
            bias: model.bias,
            by_signal,
            any,
        })
    }
}

impl Telling<'_> {
    /// The summed weight of the triggers of the types `same` accepts.
    fn weight(&self, same: impl Fn(SubEvent) -> bool) -> u32 {
        self.triggers
            .iter()
            .filter(|(x, _, _)| same(*x))
            .map(|(_, w, _)| u32::from(*w))
            .sum()
    }

    /// Whether a type is a candidate at all: ACLED's codebook where the training data's coding
    /// departs from it. A riot needs violence by the crowd (a word of rioting, destruction or
    /// looting): "police fired tear gas to disperse protesters" is a protest with intervention
    /// however many such notes the training files code as riots. Violence against civilians
    /// needs a word of it stronger than "killed" where the rules read a battle: "fighting killed
    /// 50 people" is an armed clash.
    fn proposes(&self, s: SubEvent) -> bool {
        if s == self.rules {
            return true;
        }
        match s.event_type() {
            EventType::Riots => {
                self.rules.event_type() == EventType::Riots
                    || self.crowd_violence
                    || self.weight(|t| t.event_type() == EventType::Riots || t == SubEvent::Looting)
                        > 0
            }
            EventType::ViolenceAgainstCivilians
                if self.rules.event_type() == EventType::Battles =>
            {
                self.weight(|t| t.event_type() == EventType::ViolenceAgainstCivilians) >= 2
            }
            _ => true,
        }
    }
}

fn describe(t: &Telling<'_>, f: &mut dyn ClassSink) {
    for s in SubEvent::ALL {
        f.own(s, &[]);
        if s == t.rules {
            f.own(s, &["&rules"]);
        } else {
            f.own(s, &["&rules=", t.rules.key()]);
            if s.event_type() == t.rules.event_type() {
                f.own(s, &["&rules_type"]);
            }
        }
        f.own(s, &["&own=", bucket(t.weight(|x| x == s))]);
        f.own(
            s,
            &[
                "&family=",
                bucket(t.weight(|x| x.event_type() == s.event_type())),
            ],
        );
    }
    for x in &t.triggered {
        f.shared(&["&trig=", x.key()]);
    }
    let Signals {
        police_action,
        lethal_force,
        killed,
        injured,
        armed_victims,
        civilians,
    } = t.signals;
    for (on, name) in [
        (police_action, "police_action"),
        (lethal_force, "lethal_force"),
        (killed, "killed"),
        (injured, "injured"),
        (!killed && !injured, "no_toll"),
        (armed_victims, "armed_victims"),
        (civilians, "civilians"),
    ] {
        if on {
            f.shared(&["&", name]);
        }
    }
    // A word of violence by the crowd anywhere in the telling (burning, stoning, looting,
    // blocking): one signal for all of them, beside each word's own.
    if t.crowd_violence {
        f.shared(&["&crowd_violence"]);
    }
    for &i in &t.inters {
        f.shared(&["&inter=", INTER_CODES[usize::from(i.min(8))]]);
    }
    for w in &t.words {
        f.shared(&["&w=", w]);
    }
    for (a, b) in &t.pairs {
        f.shared(&["&b=", a, "_", b]);
    }
}

/// How much more probable than the rules' choice the model's best type must be to replace it: a
/// near tie ("rioters threw stones at police": a violent demonstration at 0.55, mob violence at
/// 0.58) is left to the rules, so that a retraining cannot flip it.
const MARGIN: f64 = 0.05;

/// The type chosen among scored candidates (`(type, probability)`, in [`SubEvent::ALL`]'s
/// order): the most probable (the first on a tie), unless it beats the rules' choice by less than
/// [`MARGIN`]; the rules' choice when nothing was scored.
fn decided(rules: SubEvent, scored: impl Iterator<Item = (SubEvent, f64)>) -> SubEvent {
    let mut best: Option<(SubEvent, f64)> = None;
    let mut of_rules = None;
    for (s, p) in scored {
        if s == rules {
            of_rules = Some(p);
        }
        if best.is_none_or(|(_, b)| p > b) {
            best = Some((s, p));
        }
    }
    match (best, of_rules) {
        (Some((s, p)), Some(r)) if s != rules && p - r < MARGIN => rules,
        (Some((s, _)), _) => s,
        (None, _) => rules,
    }
}

/// Decides an event's sub-event type. With a model, every sub-event type the codebook allows is a
/// candidate and the most probable wins ([`decided`]); without one the rules' choice stands.
/// The candidates are returned, named and scored, only when the reading is explained.
pub(crate) fn decide(
    x: &EventInput<'_>,
    sentences: &[usize],
    triggers: &[(SubEvent, u8, Range<usize>)],
    rules: SubEvent,
    signals: Signals,
    inters: &[u8],
) -> (SubEvent, Vec<Candidate>) {
    let model: Option<&LinearModel> = x.models.deciding("sub_event");
    let scorer = x.sub_event_scorer;
    if scorer.is_none() && !x.explain {
        return (rules, Vec::new());
    }
    let mut triggered: Vec<SubEvent> = triggers.iter().map(|(s, _, _)| *s).collect();
    triggered.sort_unstable();
    triggered.dedup();
    let mut inters = inters.to_vec();
    inters.sort_unstable();
    inters.dedup();
    let told: Vec<usize> = sentences
        .iter()
        .filter_map(|&i| x.sentences.get(i))
        .flat_map(|s| s.tokens.clone())
        .collect();
    let wordlike = |i: usize| {
        let t = &x.tokens.list[i];
        t.shape == Shape::Lower || (t.shape == Shape::Capitalized && t.sentence_start)
    };
    let mut words: Vec<&str> = told
        .iter()
        .filter(|&&i| wordlike(i))
        .map(|&i| x.tokens.folded(i))
        .filter(|w| w.len() >= 3 && !FUNCTION_WORDS.contains(w))
        .collect();
    words.sort_unstable();
    words.dedup();
    let mut pairs: Vec<(&str, &str)> = told
        .windows(2)
        .filter(|w| w[1] == w[0] + 1)
        .map(|w| w[0])
        .filter(|&i| wordlike(i) && wordlike(i + 1) && !x.tokens.list[i + 1].comma_before)
        .map(|i| (x.tokens.folded(i), x.tokens.folded(i + 1)))
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    let crowd_violence = told
        .iter()
        .any(|&i| CROWD_VIOLENCE.contains(x.tokens.folded(i)));
    let telling = Telling {
        rules,
        triggers,
        triggered,
        signals,
        inters,
        words,
        pairs,
        crowd_violence,
    };
    let proposed = |s: &SubEvent| telling.proposes(*s);
    if let (Some(scorer), false) = (scorer, x.explain) {
        // Deciding only: every candidate's log-odds at once, no feature written out.
        let mut sums = Sums {
            scorer,
            logits: [scorer.bias; SubEvent::ALL.len()],
        };
        describe(&telling, &mut sums);
        let chosen = decided(
            rules,
            SubEvent::ALL
                .into_iter()
                .zip(sums.logits)
                .filter(|(s, _)| proposed(s))
                .map(|(s, l)| (s, sigmoid(l))),
        );
        return (chosen, Vec::new());
    }
    let mut candidates: Vec<Candidate> = SubEvent::ALL
        .into_iter()
        .filter(proposed)
        .map(|s| {
            let (features, probability) = assess(model, true, |f| {
                describe(
                    &telling,
                    &mut Named {
                        candidate: s,
                        sink: f,
                    },
                )
            });
            Candidate {
                name: s.name().to_string(),
                proposal: Proposal::SubEvent {
                    sub: s,
                    named: telling.triggered.contains(&s),
                },
                features,
                probability,
                chosen: false,
            }
        })
        .collect();
    let chosen = decided(
        rules,
        candidates.iter().filter_map(|c| match c.proposal {
            Proposal::SubEvent { sub, .. } => Some((sub, c.probability?)),
            _ => None,
        }),
    );
    for c in &mut candidates {
        c.chosen = matches!(c.proposal, Proposal::SubEvent { sub, .. } if sub == chosen);
    }
    candidates.sort_by(|a, b| {
        b.probability
            .unwrap_or(0.0)
            .total_cmp(&a.probability.unwrap_or(0.0))
            .then(b.chosen.cmp(&a.chosen))
    });
    (chosen, candidates)
}

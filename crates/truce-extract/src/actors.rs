//! Actors: who the report says did it, and to whom.
//!
//! Aliases come from `lexicon/actors.tsv` ("Assad regime", "regime warplanes", "IS", "Daesh",
//! "Houthis", "gunmen"), matched on the folded text; short capitalised aliases ("IS", "HTS")
//! only match when written in capitals. A demonym before a state-forces alias names the state
//! ("Russian jets", "Turkish troops"); aircraft, drones and guns with none ("jets bombed") are an
//! unidentified side, never the host state's forces by default; and "<Name>
//! raiders/militia/clansmen" names an identity militia ("Pokot raiders" -> "Pokot Militia").
//! Names are kept short: the distinctive name and one generic word, as readers (and other data
//! sets) name them.

use std::cell::RefCell;
use std::ops::Range;
use std::rc::Rc;

use rustc_hash::FxHashMap;
use truce_geo::CountryCode;

use crate::ExtractError;
use crate::lexicon::Lexicon;
use crate::phrases::PhraseSet;
use crate::text::{Shape, Tokens, WordSet};

/// A lexicon entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorEntry {
    /// The name, possibly with `{C}` for the event's country (or a demonym's) or `{D}` for a
    /// demonym's only.
    pub template: String,
    /// ACLED inter code.
    pub inter: u8,
    /// The country the actor belongs to, when fixed.
    pub country: Option<CountryCode>,
}

impl ActorEntry {
    /// Whether the name has a country to fill in: a generic side ("forces", "jets"), not a
    /// proper name ("HTS").
    pub fn is_generic(&self) -> bool {
        self.template.contains("{C}") || self.template.contains("{D}")
    }
}

/// An actor named in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorMention {
    /// Its words.
    pub tokens: Range<usize>,
    /// The entry (a template until the event's country is known).
    pub entry: ActorEntry,
    /// The country named by a demonym right before it ("Russian jets").
    pub demonym: Option<CountryCode>,
}

/// The actor mentions of one report, found once for each stretch of its words a reader asks
/// about: an event's sentences are read by the sub-event, actor and perpetrator readers, the whole
/// report by the perpetrator and attribution readers, for every event. Keyed by the stretch, so
/// the answer is the lexicon's own for that stretch.
#[derive(Debug, Default)]
pub struct MentionMemo {
    found: RefCell<FxHashMap<(usize, usize), Mentions>>,
}

/// The actor mentions of one stretch of words, shared by every reader that asks for them.
pub type Mentions = Rc<[ActorMention]>;

impl MentionMemo {
    /// The actors named in `range` of `tokens` (as [`ActorLexicon::find`] gives them).
    pub fn find(
        &self,
        actors: &ActorLexicon,
        lex: &Lexicon,
        tokens: &Tokens,
        range: Range<usize>,
    ) -> Mentions {
        let key = (range.start, range.end);
        if let Some(found) = self.found.borrow().get(&key) {
            return Rc::clone(found);
        }
        let found: Mentions = actors.find(lex, tokens, range).into();
        self.found.borrow_mut().insert(key, Rc::clone(&found));
        found
    }
}

/// Words after a capitalised name that make it an identity militia.
const MILITIA_WORDS: &[&str] = &[
    "raiders",
    "militia",
    "militiamen",
    "clansmen",
    "tribesmen",
    "herders",
    "herdsmen",
    "fighters",
    "gunmen",
    "youths",
    "warriors",
];

/// Acts of state forces that a demonym before them attributes ("Saudi raid").
static STATE_ACTS: WordSet = WordSet::new(&[
    "raid",
    "raids",
    "airstrike",
    "airstrikes",
    "strike",
    "strikes",
    "shelling",
    "bombardment",
    "bombing",
    "bombings",
    "offensive",
    "operation",
    "operations",
    "incursion",
    "attack",
    "attacks",
    "missile",
    "missiles",
    "drone",
    "drones",
]);

/// Community words that name a party to communal violence as written.
const COMMUNITY_WORDS: &[&str] = &[
    "christians",
    "muslims",
    "buddhists",
    "hindus",
    "sunnis",
    "shiites",
    "shias",
    "herders",
    "farmers",
    "herdsmen",
    "pastoralists",
    "villagers",
    "youths",
    "tribesmen",
    "clansmen",
];

/// Two communities after "between": capitalised names ("Guerze and Konianke ethnic groups",
/// "Degodia and Garre clans") or community words ("Christians and Muslims").
fn communities(
    lex: &Lexicon,
    tokens: &Tokens,
    start: usize,
    end: usize,
) -> Option<Vec<ActorMention>> {
    let mut i = start;
    if tokens.folded(i) == "the" {
        i += 1;
    }
    let capitalise = |w: &str| {
        let mut display = w.to_string();
        if let Some(f) = display.get_mut(0..1) {
            f.make_ascii_uppercase();
        }
        display
    };
    let one = |k: usize| -> Option<(String, usize)> {
        if k >= end {
            return None;
        }
        let w = tokens.folded(k);
        if COMMUNITY_WORDS.contains(&w) {
            return Some((capitalise(w), k + 1));
        }
        let capital = tokens.list[k].shape == Shape::Capitalized
            && !lex.is_common(w)
            && !lex.demonyms.contains_key(w)
            && !lex.titles.contains(w);
        capital.then(|| (format!("{} Militia", capitalise(w)), k + 1))
    };
    let (a, after_a) = one(i)?;
    if tokens.folded(after_a) != "and" {
        return None;
    }
    let (b, after_b) = one(after_a + 1)?;
    let mention = |name: String, r: std::ops::Range<usize>| ActorMention {
        tokens: r,
        entry: ActorEntry {
            template: name,
            inter: 4,
            country: None,
        },
        demonym: None,
    };
    Some(vec![
        mention(a, i..after_a),
        mention(b, after_a + 1..after_b),
    ])
}

/// The actor lexicon, compiled.
#[derive(Debug, Clone, Default)]
pub struct ActorLexicon {
    phrases: PhraseSet<ActorEntry>,
}

impl ActorLexicon {
    /// Reads the embedded `actors.tsv`.
    pub fn embedded() -> Result<Self, ExtractError> {
        let mut phrases = PhraseSet::default();
        for (i, line) in crate::registry::text("actors.tsv").lines().enumerate() {
            let line = line.trim_end();
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            let err = |detail: String| ExtractError::Lexicon {
                file: "actors.tsv",
                line: i + 1,
                detail,
            };
            if f.len() < 3 {
                return Err(err("expected alias<TAB>name<TAB>inter[<TAB>country]".into()));
            }
            let inter: u8 = f[2]
                .trim()
                .parse()
                .ok()
                .filter(|v| (1..=8).contains(v))
                .ok_or_else(|| err(format!("inter code {:?} is not 1-8", f[2])))?;
            let country = match f.get(3).map(|c| c.trim()).filter(|c| !c.is_empty()) {
                Some(c) => Some(
                    CountryCode::parse(c)
                        .ok_or_else(|| err(format!("{c:?} is not a country code")))?,
                ),
                None => None,
            };
            phrases.insert(
                f[0],
                ActorEntry {
                    template: f[1].trim().to_string(),
                    inter,
                    country,
                },
            );
        }
        Ok(Self { phrases })
    }

    /// Every actor named in the words `range`.
    pub fn find(&self, lex: &Lexicon, tokens: &Tokens, range: Range<usize>) -> Vec<ActorMention> {
        let mut out = Vec::new();
        let mut i = range.start;
        while i < range.end {
            // "<Name> raiders": an identity militia named after its community.
            if tokens.list[i].shape == Shape::Capitalized
                && i + 1 < range.end
                && MILITIA_WORDS.contains(&tokens.folded(i + 1))
                && !lex.demonyms.contains_key(tokens.folded(i))
                && !lex.is_common(tokens.folded(i))
                && !tokens.list[i + 1].sentence_start
            {
                let name = &tokens.folded(i);
                let mut display = name.to_string();
                if let Some(first) = display.get_mut(0..1) {
                    first.make_ascii_uppercase();
                }
                out.push(ActorMention {
                    tokens: i..i + 2,
                    entry: ActorEntry {
                        template: format!("{display} Militia"),
                        inter: 4,
                        country: None,
                    },
                    demonym: None,
                });
                i += 2;
                continue;
            }
            // "clashes between the Guerze and Konianke", "between Christians and Muslims": both
            // communities are parties.
            if tokens.folded(i) == "between"
                && let Some(pair) = communities(lex, tokens, i + 1, range.end)
            {
                let next = pair.last().map_or(i + 1, |m| m.tokens.end);
                out.extend(pair);
                i = next;
                continue;
            }
            // "a Saudi raid", "Russian airstrikes", "Israeli shelling": the state's forces; so is
            // a government as the doer of a deed of war ("air strikes by the Syrian government",
            // "the Syrian government's bombing"), while a government that speaks or negotiates
            // is no actor of an event.
            if tokens.list[i].shape == Shape::Capitalized
                && let Some(cc) = lex.demonyms.get(tokens.folded(i))
                && i + 1 < range.end
                && (STATE_ACTS.contains(tokens.folded(i + 1))
                    || (tokens.folded(i + 1) == "government"
                        && (i >= 1 && tokens.folded(i - 1) == "by"
                            || i >= 2
                                && (tokens.folded(i - 2), tokens.folded(i - 1)) == ("by", "the")
                            || (i + 2..(i + 4).min(range.end))
                                .any(|k| STATE_ACTS.contains(tokens.folded(k))))))
            {
                out.push(ActorMention {
                    tokens: i..i + 2,
                    entry: ActorEntry {
                        template: "Military Forces of {C}".into(),
                        inter: 1,
                        country: Some(*cc),
                    },
                    demonym: Some(*cc),
                });
                i += 2;
                continue;
            }
            match self.phrases.longest_at(tokens, i) {
                Some((end, entry)) if end <= range.end => {
                    // Short aliases (IS, HTS, SDF) only in capitals; "is" is a verb.
                    let short = end == i + 1
                        && tokens.folded(i).len() <= 4
                        && entry
                            .template
                            .chars()
                            .next()
                            .is_some_and(char::is_uppercase);
                    let capitals = tokens.list[i].shape == Shape::Upper;
                    if short && !capitals && !entry.is_generic() {
                        i += 1;
                        continue;
                    }
                    let demonym = i.checked_sub(1).and_then(|p| {
                        (tokens.list[p].shape != Shape::Lower && !tokens.list[i].sentence_start)
                            .then(|| lex.demonyms.get(tokens.folded(p)).copied())
                            .flatten()
                    });
                    let start = if demonym.is_some() { i - 1 } else { i };
                    out.push(ActorMention {
                        tokens: start..end,
                        entry: entry.clone(),
                        demonym,
                    });
                    i = end;
                }
                _ => i += 1,
            }
        }
        out
    }
}

/// The actor's display name: `{C}` filled with the country (the demonym's, the actor's own,
/// or the event's), and the inter code adjusted for foreign state forces.
pub fn resolve_name(
    mention: &ActorMention,
    event_country: Option<(CountryCode, &str)>,
    country_name: &dyn Fn(CountryCode) -> Option<String>,
) -> Option<(String, u8)> {
    let entry = &mention.entry;
    let mut inter = entry.inter;
    // `{D}`: the demonym's country, or no owner named at all ("jets", not "Russian jets").
    let template = match (entry.template.contains("{D}"), mention.demonym) {
        (false, _) => entry.template.clone(),
        (true, Some(_)) => entry.template.replace("{D}", "{C}"),
        (true, None) => {
            inter = 3;
            UNOWNED.to_string()
        }
    };
    let own = mention.demonym.or(entry.country);
    if !template.contains("{C}") {
        return Some((template, inter));
    }
    let (cc, name) = match (own, event_country) {
        (Some(cc), _) => (cc, country_name(cc)?),
        (None, Some((cc, name))) => (cc, name.to_string()),
        // No country known: the name without it ("Police Forces", "Rebels").
        (None, None) => {
            let bare = template
                .replace(" of {C}", "")
                .replace(" ({C})", "")
                .replace("{C}", "");
            return Some((bare.trim().to_string(), inter));
        }
    };
    // State forces abroad are external forces (8): Russian jets over Syria.
    if inter == 1 && event_country.is_some_and(|(ec, _)| ec != cc) {
        inter = 8;
    }
    Some((template.replace("{C}", &name), inter))
}

/// The side an alias stands for when it names no owner (`{D}` with no demonym before it).
const UNOWNED: &str = "Unidentified Armed Group ({C})";

//! Casualty counts: who was killed and who was injured, kept apart, by ACLED's rules.
//!
//! A count is a number word or figure next to a death or injury cue, in either order:
//! "killing at least 20 people", "20 people were killed", "left five dead", "the death toll
//! rose to 12", "a child was killed". Vague words count as ACLED counts them: "dozens" 12,
//! "tens" 10, "scores" 20, "hundreds" 100, "several" and "a few" 3, "many" 10. "Casualties"
//! alone are neither deaths nor injuries. Numbers after "including" or "among them" are parts of
//! a count already made, and numbers of goats, houses or rockets are not people.

use crate::text::{Shape, Tokens, WordSet};

/// How a figure was qualified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Qualifier {
    /// A plain figure.
    Exact,
    /// "at least 20", "more than 50", "over 10".
    AtLeast,
    /// "up to 30", "as many as".
    AtMost,
    /// "about", "nearly", "some".
    About,
    /// A vague word ("dozens").
    Vague,
}

/// One reported figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Figure {
    /// The number.
    pub value: u32,
    /// The upper end of a range ("20 to 30").
    pub upper: Option<u32>,
    /// Its qualifier.
    pub qualifier: Qualifier,
    /// Whether it updates an earlier figure ("the toll rose to 12").
    pub update: bool,
    /// The word it starts at, or the word of the one person it counts ("a *child* was killed");
    /// for groups added up, the first group's word; `None` for a count no word of the text holds
    /// ("the imam was killed").
    pub start: Option<usize>,
}

/// Killed or injured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Harm {
    /// Deaths.
    Killed,
    /// Injuries.
    Injured,
}

/// A figure attached to a cue, at a word of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Casualty {
    /// Killed or injured.
    pub harm: Harm,
    /// The figure.
    pub figure: Figure,
    /// The cue's word index.
    pub at: usize,
}

use truce_model::calendar::{TENS, UNITS};

static KILLED: WordSet = WordSet::new(&[
    "killed",
    "dead",
    "died",
    "deaths",
    "slain",
    "massacred",
    "executed",
    "fatalities",
    "perished",
    "bodies",
    "kills",
    "killing",
    "kill",
    "lives",
    "death",
    "martyred",
    "martyrs",
    "beheaded",
    "murdered",
    "assassinated",
    "assassinate",
    "assassinates",
    "slaughtered",
    "executes",
]);
const INJURED: &[&str] = &[
    "injured", "wounded", "hurt", "injuries", "injuring", "wounding", "injures", "injure",
    "wounds", "maimed",
];

/// Nouns for people (and a few for the dead) that may follow a figure.
#[rustfmt::skip]
static PEOPLE: WordSet = WordSet::new(&[
    "people", "persons", "person", "civilians", "civilian", "soldiers", "soldier", "troops", "fighters",
    "fighter", "militants", "militant", "policemen", "policeman", "police", "officers", "officer",
    "members", "member", "men", "man", "women", "woman", "children", "child", "kids", "students",
    "student", "kid", "villagers", "villager", "residents", "resident", "worshippers", "protesters",
    "protestors", "demonstrators", "rebels", "rebel", "insurgents", "insurgent", "jihadists",
    "gunmen", "attackers", "personnel", "guards", "guard", "workers", "worker", "farmers", "farmer",
    "herders", "herdsmen", "herdsman", "others", "passengers", "pilgrims", "relatives", "brothers",
    "sons", "daughters", "infants", "babies", "migrants", "refugees", "prisoners", "inmates",
    "journalists", "doctors", "nurses", "staff", "officials", "official", "leaders", "commanders",
    "militiamen", "militiaman", "recruits", "cadets", "tribesmen", "clansmen", "youths", "youth",
    "boys", "boy", "girls", "girl", "individuals", "victims", "victim", "bodies", "fishermen",
    "traders", "teachers", "pupils", "mourners", "shoppers", "troopers", "marines", "paramilitaries",
    "suspects", "robbers", "bandits", "raiders", "combatants", "jihadis", "militia", "elders",
    "family", "families", "siblings", "persons", "paramedics", "volunteers", "teenagers",
    "teenager", "herdboys", "citizens", "nationals", "army", "security", "regime", "government",
    "pro", "syrians", "iraqis", "afghans", "pakistanis", "palestinians", "israelis", "kurds",
    "yemenis", "nigerians", "somalis", "kenyans", "militias", "loyalists", "opposition", "isis",

    "priest", "priests", "cleric", "clerics", "imam", "imams", "teacher", "chief", "chiefs",
    "elder", "journalist", "lawyer", "lawyers", "doctor", "nurse", "trader", "driver", "drivers",
    "activist", "activists", "leader", "politician", "politicians", "candidate", "candidates",
    "councillor", "councilor", "judge", "judges", "businessman", "businessmen", "pastor", "headman",
    "shepherd", "herder", "fisherman", "husband", "wife", "mother", "father", "son", "daughter",
    "brother", "sister", "baby", "infant", "toddler", "teen", "pilot", "employee", "employees",
    "guest", "guests", "tourist", "tourists", "monk", "monks", "nun", "worshipper", "mourner",
    "labourer", "labourers", "laborer", "laborers", "constable", "constables", "sergeant",
    "lieutenant", "colonel", "captain", "major", "general", "chairman", "mayor", "governor",
    "minister", "mp", "lawmaker", "legislator", "supporter", "supporters", "cadre", "cadres",
    "member", "worker", "villager", "passerby", "passersby", "pedestrian", "pedestrians",
    "motorcyclist", "boatman", "vendor", "vendors", "shopkeeper", "shopkeepers", "engineer",
    "engineers", "contractor", "contractors", "interpreter", "translator", "guard", "watchman",
    "informant", "informer", "informers", "spy", "spies", "hostage", "hostages", "detainee",
    "detainees", "convict", "suspect", "thief", "thieves", "robber", "rustler", "rustlers",
    "prisoner",
    // The people of hospitals, schools and relief: whom a monitor of attacks on them counts.
    "patients", "patient", "medics", "medic", "surgeons", "surgeon", "physicians", "physician",
    "midwives", "rescuers", "rescuer", "schoolchildren", "schoolgirls", "schoolboys",
    "peacekeepers", "peacekeeper", "worshipers", "worshiper", "customers", "stallholders",
    // Those a security operation or a raid reports killed.
    "terrorists", "terrorist", "extremists", "extremist", "maoists", "maoist", "assailants",
    "assailant", "warriors", "warrior", "missionary", "missionaries", "technicians", "technician",
    "rangers", "ranger", "commander", "operatives", "operative",
]);

/// Words that may stand between a figure and its noun ("12 innocent civilians").
#[rustfmt::skip]
static BETWEEN: WordSet = WordSet::new(&[
    "more", "other", "innocent", "unarmed", "armed", "local", "young", "elderly", "wounded",
    "security", "police", "army", "government", "regime", "syrian", "afghan", "iraqi", "pakistani",
    "israeli", "palestinian", "nigerian", "somali", "kenyan", "yemeni", "turkish", "russian",
    "kurdish", "of", "them", "the", "their", "were", "was", "have", "has", "had", "been", "are",
    "is", "being", "reportedly", "also", "all", "confirmed", "reported", "believed", "said",
    "to", "be", "later", "subsequently", "people", "civilians", "his", "her", "its", "forces",
    "members", "fighters", "isis", "sdf", "hts", "militants", "loyal", "allied", "pro", "syria",
    "democratic", "factions", "rebel", "opposition", "militiamen", "suspected", "alleged",
    "terror", "unidentified", "unknown", "new", "allegedly",
]);

fn word_number(tokens: &Tokens, i: usize) -> Option<(u32, usize)> {
    let w = tokens.folded(i);
    if !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit()) && w.len() <= 7 {
        let mut value: u64 = w.parse().ok()?;
        // "Sun 05 Jul 2015 22 dead": a bare four-digit number in 1900-2100 is a year, unless
        // people or a casualty word follow it ("2000 people", "1950 killed").
        if w.len() == 4 && (1900..=2100).contains(&value) {
            let next = if i + 1 < tokens.len() {
                tokens.folded(i + 1)
            } else {
                ""
            };
            let counts_people =
                PEOPLE.contains(next) || is_cue(next, Harm::Killed) || is_cue(next, Harm::Injured);
            // "17 June 2016 Civilians Killed": after a month it is a year whatever follows.
            let after_month = i > 0 && truce_model::calendar::is_month(tokens.folded(i - 1));
            if !counts_people || after_month {
                return None;
            }
        }
        let mut len = 1;
        // "2,660": a comma splits the figure into two words.
        while let Some(next) = tokens.list.get(i + len) {
            let nw = tokens.folded(i + len);
            if next.comma_before
                && nw.len() == 3
                && nw.bytes().all(|b| b.is_ascii_digit())
                && value < 1000
                && !next.space_before
            {
                value = value * 1000 + nw.parse::<u64>().ok()?;
                len += 1;
            } else {
                break;
            }
        }
        return u32::try_from(value).ok().map(|v| (v, len));
    }
    if let Some(u) = UNITS.iter().position(|u| *u == w) {
        return Some((u as u32, 1));
    }
    if let Some(t) = TENS.iter().position(|t| !t.is_empty() && *t == w) {
        let mut value = t as u32 * 10;
        let mut len = 1;
        if let Some(next) = tokens.list.get(i + 1)
            && next.hyphen_before
            && let Some(u) = UNITS[1..10].iter().position(|u| *u == tokens.folded(i + 1))
        {
            value += u as u32 + 1;
            len = 2;
        }
        return Some((value, len));
    }
    match w {
        "dozen" => Some((12, 1)),
        "hundred" => Some((100, 1)),
        "thousand" => Some((1000, 1)),
        _ => None,
    }
}

/// A figure starting at word `i`: qualifier, number (with "hundred"/"thousand" multipliers and
/// ranges), or a vague word. Returns the figure and the index after it.
pub fn figure_at(tokens: &Tokens, i: usize) -> Option<(Figure, usize)> {
    let n = tokens.len();
    let w = |k: usize| if k < n { tokens.folded(k) } else { "" };
    let (qualifier, start) = match (w(i), w(i + 1)) {
        ("at", "least") => (Qualifier::AtLeast, i + 2),
        ("more" | "over", "than") => (Qualifier::AtLeast, i + 2),
        ("over" | "upwards", _) => (Qualifier::AtLeast, i + 1),
        ("up", "to") => (Qualifier::AtMost, i + 2),
        ("as", "many") if w(i + 2) == "as" => (Qualifier::AtMost, i + 3),
        ("about" | "around" | "nearly" | "almost" | "approximately" | "roughly" | "some", _) => {
            (Qualifier::About, i + 1)
        }
        ("less" | "fewer", "than") => (Qualifier::AtMost, i + 2),
        // "no fewer than 10 persons": at least ten.
        ("no" | "not", "fewer" | "less") if w(i + 2) == "than" => (Qualifier::AtLeast, i + 3),
        _ => (Qualifier::Exact, i),
    };
    let vague = match (w(start), w(start + 1)) {
        ("dozens", _) => Some((12, 1)),
        ("scores", _) => Some((20, 1)),
        ("tens", _) => Some((10, 1)),
        ("hundreds", _) => Some((100, 1)),
        ("thousands", _) => Some((1000, 1)),
        ("several", _) => Some((3, 1)),
        ("a", "few") => Some((3, 2)),
        ("many", _) => Some((10, 1)),
        ("a", "dozen") => Some((12, 2)),
        ("a", "number") if w(start + 2) == "of" => Some((3, 3)),
        _ => None,
    };
    if let Some((value, len)) = vague {
        let q = if qualifier == Qualifier::Exact {
            Qualifier::Vague
        } else {
            qualifier
        };
        return Some((
            Figure {
                value,
                upper: None,
                qualifier: q,
                update: false,
                start: Some(i),
            },
            start + len,
        ));
    }
    let (mut value, len) = word_number(tokens, start)?;
    let mut end = start + len;
    // "two dozen", "three hundred", "5 thousand".
    match w(end) {
        "dozen" => {
            value *= 12;
            end += 1;
        }
        "hundred" => {
            value *= 100;
            end += 1;
        }
        "thousand" => {
            value *= 1000;
            end += 1;
        }
        _ => {}
    }
    // Ranges: "20 to 30", "20-30", "between 20 and 30".
    let mut upper = None;
    if matches!(w(end), "to" | "and" | "or")
        || tokens.list.get(end).is_some_and(|t| t.hyphen_before)
    {
        let k = if tokens.list.get(end).is_some_and(|t| t.hyphen_before) {
            end
        } else {
            end + 1
        };
        if let Some((hi, hl)) = word_number(tokens, k).filter(|(hi, _)| *hi > value) {
            upper = Some(hi);
            end = k + hl;
        }
    }
    let qualifier = if i > 0 && w(i - 1) == "between" && upper.is_some() {
        Qualifier::Exact
    } else {
        qualifier
    };
    Some((
        Figure {
            value,
            upper,
            qualifier,
            update: false,
            start: Some(i),
        },
        end,
    ))
}

/// Whether a word names people ("civilians", "a driver").
pub(crate) fn is_person(word: &str) -> bool {
    PEOPLE.contains(word)
}

/// Singular nouns of people that name a group, not one person ("the police", "the army").
const COLLECTIVE: &[&str] = &[
    "police",
    "security",
    "army",
    "government",
    "regime",
    "opposition",
    "militia",
    "pro",
    "isis",
    "family",
    "staff",
    "personnel",
    "people",
    "others",
];

/// Whether a word names one person: a singular word for people, not a group ("a soldier", not
/// "the police").
pub(crate) fn is_one_person(word: &str) -> bool {
    is_person(word) && !word.ends_with('s') && !COLLECTIVE.contains(&word)
}

/// Whether a word is one of the rules' cues of a death or an injury ("killed", "wounding").
pub(crate) fn is_cue(word: &str, harm: Harm) -> bool {
    match harm {
        Harm::Killed => KILLED.contains(word),
        Harm::Injured => INJURED.contains(&word),
    }
}

/// Every casualty figure in the words `range` of the text.
pub fn find_casualties(tokens: &Tokens, range: std::ops::Range<usize>) -> Vec<Casualty> {
    let mut out: Vec<Casualty> = Vec::new();
    let w = |k: usize| tokens.folded(k);
    for at in range.clone() {
        for harm in [Harm::Killed, Harm::Injured] {
            if !is_cue(w(at), harm) || casualty_word_misread(tokens, at) {
                continue;
            }
            // A noun cue ("the death toll rose to 12") counts what follows it, and so does a verb
            // in -ing ("killing 20", "wounding dozens": "killing five people and wounding
            // dozens" gives the five to the dead only); another verb ("20 were killed") what
            // stands next to it, before first.
            let noun = matches!(w(at), "death" | "deaths" | "fatalities" | "injuries");
            let forward = noun || w(at).ends_with("ing");
            let mut figures = if forward {
                figures_after(tokens, at, range.end)
            } else {
                figures_before(tokens, range.start, at)
            };
            // "The death toll from Wednesday's bombing of a hospital has risen to 17": the
            // update verb stands after the toll's description.
            if figures.is_empty() && noun && w(at + 1) == "toll" {
                let verb = (at + 2..range.end.min(at + 20)).find(|&k| {
                    matches!(
                        w(k),
                        "rose" | "risen" | "climbed" | "reached" | "jumped" | "increased"
                    )
                });
                if let Some(k) = verb {
                    figures = figures_after(tokens, k, range.end);
                    for f in &mut figures {
                        f.update = true;
                    }
                }
            }
            if figures.is_empty() {
                figures = if forward {
                    figures_before(tokens, range.start, at)
                } else {
                    figures_after(tokens, at, range.end)
                };
            }
            // "A conservationist was found dead", "the imam was killed": one person.
            let window = at.saturating_sub(3).max(range.start)..at;
            let singular = window.clone().any(|k| tokens.folded(k) == "was")
                && !window
                    .clone()
                    .any(|k| matches!(tokens.folded(k), "nobody" | "no" | "none"));
            if figures.is_empty()
                && singular
                && harm == Harm::Killed
                && matches!(
                    w(at),
                    "killed"
                        | "dead"
                        | "slain"
                        | "murdered"
                        | "executed"
                        | "beheaded"
                        | "assassinated"
                        | "slaughtered"
                )
            {
                figures.push(Figure {
                    value: 1,
                    upper: None,
                    qualifier: Qualifier::Exact,
                    update: false,
                    start: None,
                });
            }
            for figure in figures {
                if !out
                    .iter()
                    .any(|c| c.at == at && c.harm == harm && c.figure == figure)
                {
                    out.push(Casualty { harm, figure, at });
                }
            }
        }
    }
    out
}

/// "the killing of", "a killing field", "dead end": cue words that report no casualties.
fn casualty_word_misread(tokens: &Tokens, at: usize) -> bool {
    let w = tokens.folded(at);
    let next = tokens.list.get(at + 1).map(|_| tokens.folded(at + 1));
    (w == "dead" && matches!(next, Some("end" | "line")))
        || (w == "lives" && at > 0 && tokens.folded(at - 1) != "their" && !lives_taken(tokens, at))
}

/// Past participles that do not end in "-ed", before "and killed" ("waylaid and killed").
const IRREGULAR_PARTICIPLES: &[&str] = &[
    "shot", "waylaid", "beaten", "slain", "hit", "struck", "cut", "taken", "caught", "burnt",
    "stolen", "held", "seized",
];

/// Words that may stand between an aside's closing comma and the cue ("Five people, including a
/// coordinator, *have been* killed").
const AUXILIARIES: &[&str] = &[
    "have",
    "has",
    "had",
    "been",
    "were",
    "was",
    "are",
    "is",
    "be",
    "being",
    "reportedly",
    "allegedly",
    "all",
    "also",
    "later",
    "subsequently",
    "now",
];

/// The cue's position for the figures before it once an aside that describes those counted is
/// set aside: "Ten residents, including the police chief, have been killed" reads as "Ten
/// residents have been killed" (the aside's own count is a part of the whole, never the toll);
/// `at` itself when there is none.
fn past_an_aside(tokens: &Tokens, floor: usize, at: usize) -> usize {
    // The words between the aside's end and the cue are auxiliaries only; the aside ends at a
    // comma, or, in notes written without one ("8 militants including their commander were
    // killed"), right before them.
    let mut close = at;
    while !tokens.list[close].comma_before {
        if close <= floor + 1
            || tokens.list[close].sentence_start
            || !AUXILIARIES.contains(&tokens.folded(close - 1))
        {
            break;
        }
        close -= 1;
    }
    let closed = tokens.list[close].comma_before;
    let w = |k: usize| {
        if k < tokens.len() {
            tokens.folded(k)
        } else {
            ""
        }
    };
    // The aside opens after a comma with "including", "among them", "two of them"; without the
    // closing comma, only "including" opens one.
    for open in (floor + 1..close).rev().take(if closed { 24 } else { 10 }) {
        if tokens.list[open].sentence_start {
            return at;
        }
        let opens = if closed {
            tokens.list[open].comma_before
                && (matches!(w(open), "including" | "among" | "mostly")
                    || (word_number(tokens, open).is_some()
                        && w(open + 1) == "of"
                        && matches!(w(open + 2), "them" | "whom")))
        } else {
            w(open) == "including"
        };
        if opens {
            return open;
        }
    }
    at
}

/// "claimed 37 lives", "cost 12 lives": lives counted as taken.
fn lives_taken(tokens: &Tokens, at: usize) -> bool {
    at >= 2
        && word_number(tokens, at - 1).is_some()
        && matches!(
            tokens.folded(at - 2),
            "claimed" | "claiming" | "claims" | "cost" | "costing" | "took" | "taking" | "takes"
        )
}

/// Figures before a cue: "20 people were killed", "three soldiers and two civilians died".
fn figures_before(tokens: &Tokens, floor: usize, at: usize) -> Vec<Figure> {
    // "were targeted and killed", "were shot and killed": the figure leads to the first verb.
    let at = if at >= floor + 2
        && tokens.folded(at - 1) == "and"
        && (tokens.folded(at - 2).ends_with("ed")
            || IRREGULAR_PARTICIPLES.contains(&tokens.folded(at - 2)))
    {
        at - 2
    } else {
        at
    };
    let at = past_an_aside(tokens, floor, at);
    let mut found: Vec<(usize, Figure)> = Vec::new();
    let mut k = at;
    while k > floor && at - k < 12 {
        k -= 1;
        let word = tokens.folded(k);
        if tokens.list[k + 1].sentence_start {
            break;
        }
        if let Some((fig, end)) = figure_at(tokens, k) {
            // The figure must lead to the cue through people words only.
            // A name may say whose they were beside a word for people ("48 Islamic State
            // militants", "14 members of Hezbollah were killed"); "at least" may follow the
            // figure ("23 fighters at least were killed").
            let names_people = (end..at).any(|q| PEOPLE.contains(tokens.folded(q)));
            let path_ok = (end..at).all(|j| {
                let x = tokens.folded(j);
                PEOPLE.contains(x)
                    || BETWEEN.contains(x)
                    || x == "and"
                    || x == "including"
                    || word_number(tokens, j).is_some()
                    || tokens.list[j].shape == Shape::Capitalized && is_demonym_like(x)
                    || (x == "at" && j + 1 < at && tokens.folded(j + 1) == "least")
                    || (x == "least" && j > end && tokens.folded(j - 1) == "at")
                    // An article opens a phrase of its own: "0 612 A woman and child were
                    // killed" counts no 612 women.
                    || names_people
                        && is_name_word(tokens, j)
                        && !matches!(x, "a" | "an" | "the")
            });
            // "two more bodies were recovered", "three of the wounded died": an increment, not a
            // toll (the wounded who died raise a toll counted before).
            let increment = (end..at)
                .any(|j| matches!(tokens.folded(j), "more" | "further" | "additional"))
                || (end..at).any(|j| {
                    tokens.folded(j) == "of"
                        && (j + 1..at).any(|k| matches!(tokens.folded(k), "wounded" | "injured"))
                });
            if path_ok && !increment && !preceded_by_subset(tokens, k) {
                // Prefer the figure with its qualifier ("at least 20"): look one or two words back.
                let (fig, start) = qualified(tokens, k).unwrap_or((fig, k));
                found.retain(|(s, _)| *s < start || *s >= end);
                found.push((start, fig));
                continue;
            }
        }
        if word == "a" || word == "an" {
            // "a child was killed": one person.
            let next = tokens.folded(k + 1);
            if PEOPLE.contains(next)
                && (k + 2..at).all(|j| {
                    BETWEEN.contains(tokens.folded(j))
                        || PEOPLE.contains(tokens.folded(j))
                        || names_whose(tokens, j)
                })
                && found.is_empty()
            {
                return vec![Figure {
                    value: 1,
                    upper: None,
                    qualifier: Qualifier::Exact,
                    update: false,
                    start: Some(k + 1),
                }];
            }
        }
        let allowed = PEOPLE.contains(word)
            || BETWEEN.contains(word)
            || word == "and"
            || is_demonym_like(word)
            || names_whose(tokens, k)
            || matches!(
                word,
                "at" | "least" | "than" | "more" | "over" | "about" | "nearly" | "some" | "up"
            );
        if !allowed {
            break;
        }
    }
    // "Turkish soldier killed in Syria", "Iranian fighter is killed": a headline's one person,
    // with no article.
    if found.is_empty()
        && let Some(n) = headline_person(tokens, floor, at)
    {
        return vec![Figure {
            value: 1,
            upper: None,
            qualifier: Qualifier::Exact,
            update: false,
            start: Some(n),
        }];
    }
    // Several victim groups joined by "and" are added up.
    if found.len() > 1 {
        let total: u32 = found.iter().map(|(_, f)| f.value).sum();
        return vec![Figure {
            value: total,
            upper: None,
            qualifier: found[0].1.qualifier,
            update: false,
            start: found.iter().map(|(s, _)| *s).min(),
        }];
    }
    found.into_iter().map(|(_, f)| f).collect()
}

/// A headline that opens with one person and a passive cue: names or nationalities, then a
/// singular word for a person, maybe "is"/"was", then the cue, which no figure, article or person
/// follows ("Soldier killed in ambush", not "Police killed two": those are the killers). The word
/// of the person.
fn headline_person(tokens: &Tokens, floor: usize, at: usize) -> Option<usize> {
    let n = if at > floor && matches!(tokens.folded(at - 1), "is" | "was") {
        at.checked_sub(2)?
    } else {
        at.checked_sub(1)?
    };
    if n < floor || !is_one_person(tokens.folded(n)) {
        return None;
    }
    let opens = (floor..n)
        .all(|j| is_name_word(tokens, j) || is_demonym_like(tokens.folded(j)) && j + 1 == n);
    let next = tokens.list.get(at + 1).map(|_| tokens.folded(at + 1));
    let passive = !next.is_some_and(|w| {
        matches!(w, "a" | "an" | "the" | "his" | "her" | "their")
            || is_person(w)
            || figure_at(tokens, at + 1).is_some()
    });
    (opens && passive).then_some(n)
}

/// Whether word `k` is part of a name (capitalised or in capitals, not a month): "Islamic State",
/// "ISIL", "Hezbollah", the "al" of "al-Sham".
fn is_name_word(tokens: &Tokens, k: usize) -> bool {
    let Some(t) = tokens.list.get(k) else {
        return false;
    };
    let w = tokens.folded(k);
    match t.shape {
        Shape::Capitalized | Shape::Upper => !truce_model::calendar::is_month(w),
        _ => matches!(w, "al" | "el") && tokens.list.get(k + 1).is_some_and(|n| n.hyphen_before),
    }
}

/// Whether word `k` belongs to a name that says whose a person is: "a commander *in Ahrar
/// al-Sham* killed", "a member *from Hezbollah* was killed".
fn names_whose(tokens: &Tokens, k: usize) -> bool {
    match tokens.folded(k) {
        "in" | "from" => is_name_word(tokens, k + 1),
        _ => is_name_word(tokens, k),
    }
}

fn qualified(tokens: &Tokens, k: usize) -> Option<(Figure, usize)> {
    for back in [2usize, 1] {
        if k >= back
            && let Some((fig, end)) = figure_at(tokens, k - back)
            && fig.qualifier != Qualifier::Exact
            && end > k
        {
            return Some((fig, k - back));
        }
    }
    None
}

/// Whether the figure at word `k` is a part of a count already made ("including two
/// children", "among them", "of whom").
pub(crate) fn preceded_by_subset(tokens: &Tokens, k: usize) -> bool {
    let back = |n: usize| if k >= n { tokens.folded(k - n) } else { "" };
    matches!(back(1), "including" | "among" | "includes" | "include")
        || (back(2) == "among" && back(1) == "them")
        || matches!((back(2), back(1)), ("of", "whom") | ("of", "them") | ("at", "least") if back(3) == "including")
}

fn is_demonym_like(word: &str) -> bool {
    word.ends_with("ian")
        || word.ends_with("ish")
        || word.ends_with("ese")
        || word.ends_with("ani")
        || word.ends_with('i')
}

/// Figures after a cue: "killing at least 20 people", "left five dead", "the death toll rose to
/// 12", "killed a woman".
fn figures_after(tokens: &Tokens, at: usize, ceiling: usize) -> Vec<Figure> {
    let cue = tokens.folded(at);
    // "An injured woman is carried from the rubble": the word describes one person, it reports
    // no toll (a photo caption's, beside the article's "wounding 23").
    if matches!(
        cue,
        "injured" | "wounded" | "hurt" | "maimed" | "dead" | "killed" | "slain"
    ) && at > 0
        && matches!(tokens.folded(at - 1), "a" | "an")
    {
        return Vec::new();
    }
    let mut k = at + 1;
    let mut update = false;
    // Skip verbs and particles of toll updates: "death toll rose to", "fatalities reached".
    while k < ceiling && k - at <= 4 {
        let word = tokens.folded(k);
        let at_least = word == "at" && k + 1 < ceiling && tokens.folded(k + 1) == "least";
        if !at_least
            && matches!(
                word,
                "raise"
                    | "raises"
                    | "raising"
                    | "later"
                    | "then"
                    | "since"
                    | "further"
                    | "toll"
                    | "rose"
                    | "risen"
                    | "climbed"
                    | "reached"
                    | "increased"
                    | "jumped"
                    | "stood"
                    | "stands"
                    | "now"
                    | "has"
                    | "had"
                    | "was"
                    | "is"
                    | "to"
                    | "at"
                    | "of"
                    | "by"
                    | "count"
            )
        {
            update |= matches!(
                word,
                "rose" | "risen" | "climbed" | "increased" | "jumped" | "reached"
            );
            k += 1;
            continue;
        }
        break;
    }
    if k >= ceiling {
        return Vec::new();
    }
    if let Some((mut fig, end)) = figure_at(tokens, k) {
        // The figure must count people: "killing 20 people", "left 5 dead", not "killed 2,660 goats".
        let next = if end < tokens.len() {
            tokens.folded(end)
        } else {
            ""
        };
        let people = PEOPLE.contains(next)
            || is_cue(next, Harm::Killed)
            || is_cue(next, Harm::Injured)
            || matches!(
                next,
                "and"
                    | "in"
                    | "on"
                    | "near"
                    | "at"
                    | "when"
                    | "after"
                    | "while"
                    | "as"
                    | "including"
                    | "others"
                    | ""
            )
            || tokens
                .list
                .get(end)
                .is_some_and(|t| t.comma_before || t.sentence_start)
            || (matches!(cue, "toll" | "deaths" | "death" | "fatalities"))
            || BETWEEN.contains(next)
                && end + 1 < tokens.len()
                && PEOPLE.contains(tokens.folded(end + 1))
            // "killed 65 Islamic State militants": a name, then the people it names.
            || (end..(end + 4).min(ceiling))
                .take_while(|&j| is_name_word(tokens, j))
                .last()
                .is_some_and(|j| j + 1 < ceiling && PEOPLE.contains(tokens.folded(j + 1)));
        if !people {
            return Vec::new();
        }
        fig.update = update;
        // "killing five patients and two medics": the groups joined by "and" are added up.
        let groups = joined_groups(tokens, end, ceiling);
        if groups > 0 {
            fig.value += groups;
            fig.upper = None;
        }
        return vec![fig];
    }
    // "killed a policeman", "killing an elderly man", "killed Somali cleric Wardi Salhey".
    if !matches!(
        cue,
        "dead" | "died" | "deaths" | "death" | "fatalities" | "toll" | "bodies"
    ) {
        let mut j = k;
        while j < ceiling && j < k + 4 {
            let x = tokens.folded(j);
            let skip = matches!(x, "a" | "an" | "one")
                || BETWEEN.contains(x)
                || (tokens.list[j].shape == Shape::Capitalized && !PEOPLE.contains(x));
            if !skip {
                break;
            }
            j += 1;
        }
        let x = tokens.folded(j);
        if j < ceiling && PEOPLE.contains(x) && !x.ends_with('s') && x != "people" {
            return vec![Figure {
                value: 1,
                upper: None,
                qualifier: Qualifier::Exact,
                update: false,
                start: Some(j),
            }];
        }
    }
    Vec::new()
}

/// The people of further groups joined to a counted group by "and", after the figure that
/// counted the first (whose words end at `end`): "five patients *and two medics*". Each group is
/// a figure and the people it counts; 0 when no group follows, or the first figure counts no
/// people noun of its own ("killing five and wounding dozens").
fn joined_groups(tokens: &Tokens, end: usize, ceiling: usize) -> u32 {
    let w = |k: usize| if k < ceiling { tokens.folded(k) } else { "" };
    let noun_phrase_end = |from: usize| {
        let mut j = from;
        while j < ceiling && (PEOPLE.contains(w(j)) || BETWEEN.contains(w(j))) {
            j += 1;
        }
        (from..j).any(|k| PEOPLE.contains(w(k))).then_some(j)
    };
    let mut total = 0;
    let Some(mut e) = noun_phrase_end(end) else {
        return 0;
    };
    while w(e) == "and" && !tokens.list.get(e).is_some_and(|t| t.sentence_start) {
        let Some((group, group_end)) = figure_at(tokens, e + 1) else {
            break;
        };
        if group.qualifier != Qualifier::Exact {
            break;
        }
        let Some(next) = noun_phrase_end(group_end) else {
            break;
        };
        total += group.value;
        e = next;
    }
    total
}

/// Killed or injured counts merged into UCDP's low / best / high: low is the lowest figure
/// reported (ACLED's rule), high the highest, best the latest update or else the most precise.
pub fn merge(figures: &[Figure]) -> Option<truce_model::Count> {
    if figures.is_empty() {
        return None;
    }
    let low = figures.iter().map(|f| f.value).min();
    let high_figure = figures.iter().map(|f| f.upper.unwrap_or(f.value)).max();
    let best = figures
        .iter()
        .rev()
        .find(|f| f.update)
        .or_else(|| figures.iter().find(|f| f.qualifier == Qualifier::Exact))
        .or(figures.first())
        .map(|f| f.value);
    let high = high_figure.filter(|h| Some(*h) != low || figures.iter().any(|f| f.upper.is_some()));
    Some(truce_model::Count { low, best, high })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    fn killed(text: &str) -> Option<(Option<u32>, Option<u32>, Option<u32>)> {
        let t = tokenize(text);
        let figs: Vec<Figure> = find_casualties(&t, 0..t.len())
            .into_iter()
            .filter(|c| c.harm == Harm::Killed)
            .map(|c| c.figure)
            .collect();
        merge(&figs).map(|c| (c.low, c.best, c.high))
    }

    fn injured(text: &str) -> Option<u32> {
        let t = tokenize(text);
        let figs: Vec<Figure> = find_casualties(&t, 0..t.len())
            .into_iter()
            .filter(|c| c.harm == Harm::Injured)
            .map(|c| c.figure)
            .collect();
        merge(&figs).and_then(|c| c.low)
    }

    #[test]
    fn counts_in_headline_phrasing() {
        // Headlines drop the auxiliary, name whose the dead were, and join two verbs.
        let cases: &[(&str, Option<u32>)] = &[
            ("A commander in Jaysh al-Nasr killed in an ambush", Some(1)),
            ("A member from the Popular Front was killed", Some(1)),
            ("Three guards were ambushed and killed at the gate", Some(3)),
            ("Two men were shot and killed outside a bakery", Some(2)),
            ("Gunmen assassinate two judges in the capital", Some(2)),
            ("The group executes a prisoner", Some(1)),
            ("A teacher was murdered at home", Some(1)),
            ("Rebels kill 4 new recruits", Some(4)),
            // A name between "a" and the dead is whose they were; a common noun is not.
            ("A bomb in the market killed shoppers", None),
            // A name beside the word for people, before or after the cue.
            (
                "Army says 48 Islamic State militants killed on Sunday",
                Some(48),
            ),
            ("At least 14 members of Hezbollah were killed", Some(14)),
            (
                "The army says it killed 65 Islamic State militants",
                Some(65),
            ),
            ("Dozens of ISIL fighters killed by the coalition", Some(12)),
            ("23 fighters at least were killed", Some(23)),
            // A month is no name: "12 June" is a date, not twelve Taliban.
            ("On 12 June Taliban fighters killed a farmer", Some(1)),
            // A headline's one person, with no article; the killers are not the killed.
            ("Turkish soldier killed in Syria", Some(1)),
            ("Iranian fighter is killed near Palmyra", Some(1)),
            ("Police killed two robbers", Some(2)),
            ("Police killed the robber", Some(1)),
            ("Police officer killed the robber", Some(1)),
        ];
        for (text, want) in cases {
            assert_eq!(killed(text).and_then(|c| c.0), *want, "{text}");
        }
        assert_eq!(injured("The factions kill and injure 6 soldiers"), Some(6));
    }

    #[test]
    fn counts_in_news_phrasing() {
        let cases: &[(&str, Option<u32>)] = &[
            ("An air strike killed at least 20 people.", Some(20)),
            ("At least 20 people were killed in the strike.", Some(20)),
            (
                "More than 50 people were killed in a day of fighting.",
                Some(50),
            ),
            ("The attack left five dead.", Some(5)),
            ("Dozens were killed.", Some(12)),
            ("Dozens of civilians were killed.", Some(12)),
            ("Several people died.", Some(3)),
            ("Twenty-two soldiers were killed.", Some(22)),
            ("A child was killed when a shell hit the house.", Some(1)),
            ("Gunmen shot dead a policeman.", None),
            ("Gunmen killed a policeman on Monday.", Some(1)),
            ("Three soldiers and two civilians were killed.", Some(5)),
            (
                "The raid killed 11 people, including three election workers.",
                Some(11),
            ),
            (
                "Raiders killed three villagers and stole 2,660 goats.",
                Some(3),
            ),
            ("There were many casualties.", None),
            ("The strike killed two dozen people.", Some(24)),
            ("Between 20 and 30 people were killed.", Some(20)),
        ];
        for (text, expected) in cases {
            assert_eq!(killed(text).and_then(|c| c.0), *expected, "{text}");
        }
    }

    #[test]
    fn the_wounded_who_died_are_an_increment_not_a_toll() {
        assert_eq!(
            killed(
                "The death toll has risen to 12 after three of the wounded died in hospital, officials said."
            ),
            Some((Some(12), Some(12), None))
        );
        assert_eq!(
            killed("Two more people died of their wounds on Friday."),
            None
        );
    }

    #[test]
    fn updates_and_ranges_give_low_best_high() {
        assert_eq!(
            killed("The strike killed 9 people. The death toll rose to 12 on Thursday."),
            Some((Some(9), Some(12), Some(12)))
        );
        assert_eq!(
            killed("Between 20 and 30 people were killed."),
            Some((Some(20), Some(20), Some(30)))
        );
        assert_eq!(
            killed("The death toll from Monday's shelling of the market in Binnish has risen to 23 people.")
                .and_then(|c| c.1),
            Some(23)
        );
        assert_eq!(
            killed("Sun 05 Jul 2015 22 dead in heavy raids on the town.").and_then(|c| c.1),
            Some(22)
        );
        assert_eq!(
            killed("Wed Mar 2 2016 18 Militants Killed in Car Bomb Blast.").and_then(|c| c.2),
            None
        );
        assert_eq!(
            killed("Friday 17 June 2016 Civilians Killed by Airstrikes on Aleppo."),
            None
        );
        assert_eq!(
            killed(
                "The death toll has risen to 23, medics said, after four more bodies were found."
            ),
            Some((Some(23), Some(23), None))
        );
    }

    #[test]
    fn injuries_are_kept_apart() {
        assert_eq!(
            injured("Five people were killed and 23 others were wounded."),
            Some(23)
        );
        assert_eq!(
            killed("Five people were killed and 23 others were wounded.").and_then(|c| c.0),
            Some(5)
        );
        assert_eq!(killed("A roadside bomb wounded five civilians."), None);
        assert_eq!(injured("A roadside bomb wounded five civilians."), Some(5));
        let both = "Air strikes hit the market, killing five people and wounding dozens.";
        assert_eq!(killed(both).and_then(|c| c.0), Some(5));
        assert_eq!(injured(both), Some(12));
        assert_eq!(
            injured("Government jets struck the market, killing seven civilians and wounding 23."),
            Some(23)
        );
    }

    #[test]
    fn an_aside_about_those_counted_is_read_past() {
        for (text, n) in [
            (
                "Five people, including the state coordinator of a malaria charity, have been \
                 waylaid and killed by gunmen.",
                5,
            ),
            (
                "Ten residents of Kunar Province, including a district police chief, have been \
                 killed in a suicide attack.",
                10,
            ),
            (
                "At least 22 people, including 15 local chiefs, were killed in the attack.",
                22,
            ),
            (
                "Six people, two of them children, were killed when the bus was struck.",
                6,
            ),
            (
                "Twin bomb explosions at two motor parks claimed 37 lives.",
                37,
            ),
            (
                "Gunmen attacked the village, killing no fewer than 10 persons.",
                10,
            ),
            ("About 20 persons were allegedly killed in the village.", 20),
            (
                "8 Baloch Liberation Army militants including their commander were killed.",
                8,
            ),
            ("Two civilians including a child were killed.", 2),
            ("Seven MRC members and two police officers killed", 9),
        ] {
            assert_eq!(
                killed(text).and_then(|(_, best, _)| best),
                Some(n),
                "{text}"
            );
        }
    }

    #[test]
    fn a_person_described_is_no_toll() {
        assert_eq!(
            injured("An injured woman is carried from the rubble of the market."),
            None
        );
        assert_eq!(
            killed("A wounded fighter was carried to the ambulance."),
            None
        );
        assert_eq!(killed("Residents said they feared for their lives."), None);
        // A number before an article counts nobody the article's phrase names (a page's share
        // counter before the story's first words).
        assert_ne!(
            killed("Get short URL 0 612 A woman and child were killed after the shelling.")
                .and_then(|(_, best, _)| best),
            Some(612)
        );
    }

    #[test]
    fn those_a_security_operation_reports_killed_are_people() {
        for (text, n) in [
            (
                "Two suspected Maoists were killed in an encounter with police.",
                2,
            ),
            ("Police kill two terror suspects in a shoot-out.", 2),
            (
                "Six unidentified assailants were killed at the road block.",
                6,
            ),
        ] {
            assert_eq!(killed(text).and_then(|k| k.0), Some(n), "{text}");
        }
    }

    #[test]
    fn groups_joined_by_and_are_added_up() {
        let text = "An air strike hit the hospital, killing five patients and two medics.";
        assert_eq!(killed(text).and_then(|c| c.0), Some(7));
        assert_eq!(
            killed("The raid killed three soldiers and two civilians on Monday.").and_then(|c| c.0),
            Some(5)
        );
        // A group without its own figure, or another act, is not added.
        assert_eq!(
            killed("The shelling killed four children and their mother.").and_then(|c| c.0),
            Some(4)
        );
        assert_eq!(
            killed("The strike killed 11 people and destroyed 2 houses.").and_then(|c| c.0),
            Some(11)
        );
    }
}

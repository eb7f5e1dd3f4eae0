//! The geoparser: every place a report names, resolved to a gazetteer entry where one fits.
//!
//! 1. [`recognize`](recognize::recognize) finds spans that name gazetteer places.
//! 2. Filters drop what only looks like a place: ordinary words at the start of a sentence
//!    ("Nice weather"), parts of people's and organisations' names ("John Kerry", "Washington
//!    Post"), surnames seen before ("Kerry said").
//! 3. Demonyms ("Syrian forces") and metonyms ("Moscow said") are kept apart: they are not
//!    where anything happened, but they tell which countries the report is about.
//! 4. Resolution ranks each span's candidates with the report's context, twice: first with the
//!    countries in focus and the ties the text makes ("X, Idlib province", "X, Syria"), then
//!    also with the areas and places the first pass resolved with confidence.
//! 5. Places the gazetteer lacks but the text clearly calls places ("the village of X", "the X
//!    neighbourhood of Y") are reported at the best enclosing area known, with its precision.

mod choice;
mod named;
mod recognize;
mod support;
mod unknown;

use std::ops::Range;

use rustc_hash::{FxHashMap, FxHashSet};
use truce_geo::{Candidate, CountryCode, Gazetteer, NameMatch, PlaceId, PlaceKind, RankContext};

use crate::learn::{Choice, LinearModel, Proposal, Subject};
use crate::lexicon::Lexicon;
use crate::text::{Shape, Tokens, WordSet};

pub(crate) use named::round5;
pub use named::{location_of, place_named};
pub use recognize::{NameSpan, recognize};

/// What a place mention does in its sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MentionRole {
    /// A place where something is, happens or happened.
    Place,
    /// A capital or country standing for its government ("Moscow said").
    Metonym,
    /// A place name inside an organisation's name ("Lucknow University", "Washington Post"):
    /// not a place mention, but a hint of where the organisation is.
    InName,
}

/// One resolved (or at least recognised) place mention.
#[derive(Debug, Clone)]
pub struct PlaceHit {
    /// Words of the name (type word included).
    pub tokens: Range<usize>,
    /// Char offsets.
    pub chars: Range<usize>,
    /// Byte offsets.
    pub bytes: Range<usize>,
    /// The resolved place, when the gazetteer has it.
    pub place: Option<PlaceId>,
    /// For a place the gazetteer lacks: the enclosing area it is reported at.
    pub enclosing: Option<PlaceId>,
    /// Place or metonym.
    pub role: MentionRole,
}

/// A demonym in the text.
#[derive(Debug, Clone)]
pub struct DemonymHit {
    /// The country it names.
    pub country: CountryCode,
}

/// Everything the geoparser found in one text.
#[derive(Debug, Clone, Default)]
pub struct Geography {
    /// Place mentions (metonyms included, marked), in text order.
    pub hits: Vec<PlaceHit>,
    /// Demonyms.
    pub demonyms: Vec<DemonymHit>,
    /// Countries in focus, weights summing to 1.
    pub focus: Vec<(CountryCode, f64)>,
    /// Folded surnames of people named in the text (never places).
    pub surnames: FxHashSet<String>,
    /// How each name's place was chosen, when asked: the candidates, scored, with their
    /// features (for `--explain` and training).
    pub choices: Vec<Choice>,
}

/// Prepositions that announce a place ("in Reading", "near Mobile").
pub(crate) static LOCATIVE: WordSet = WordSet::new(&[
    "in",
    "at",
    "near",
    "from",
    "to",
    "outside",
    "into",
    "around",
    "across",
    "toward",
    "towards",
    "between",
    "via",
    "of",
    "inside",
    "through",
    "throughout",
    "within",
    "off",
    "north",
    "south",
    "east",
    "west",
]);

/// Words before a place that qualify it without being part of a person's name.
static QUALIFIERS: WordSet = WordSet::new(&[
    "north",
    "south",
    "east",
    "west",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "northeastern",
    "northwestern",
    "southeastern",
    "southwestern",
    "north-east",
    "upper",
    "lower",
    "greater",
    "old",
    "rural",
    "downtown",
    "metro",
    "inner",
    "outer",
    "the",
    "in",
    "at",
    "near",
    "from",
    "of",
    "and",
    "or",
    "to",
    "across",
    "all",
    "both",
    "neighbouring",
    "neighboring",
    "occupied",
    "coastal",
]);

/// Words of a government's feelings after "was": "Washington was outraged".
const REACTION_STATES: &[&str] = &[
    "outraged",
    "angered",
    "shocked",
    "appalled",
    "alarmed",
    "concerned",
    "dismayed",
    "furious",
    "horrified",
    "disappointed",
    "troubled",
    "quick",
];

/// Whether the words at `at` say how a government reacts: "was outraged", "is concerned".
fn reacting(tokens: &Tokens, at: usize) -> bool {
    at + 1 < tokens.len()
        && matches!(tokens.folded(at), "was" | "is" | "were" | "are")
        && REACTION_STATES.contains(&tokens.folded(at + 1))
}

/// Whether a name is the government someone appeals to: "urged Russia to", "called on
/// Turkey to", "pressed Damascus to".
fn addressed(tokens: &Tokens, span: std::ops::Range<usize>) -> bool {
    let before = |n: usize| {
        if span.start >= n {
            tokens.folded(span.start - n)
        } else {
            ""
        }
    };
    let to_after = span.end < tokens.len() && tokens.folded(span.end) == "to";
    to_after
        && (matches!(
            before(1),
            "urged" | "urges" | "urging" | "pressed" | "presses" | "asked"
        ) || (before(1) == "on" && matches!(before(2), "called" | "calls" | "calling")))
}

/// Verbs after a capital or country that make it speak for its government.
static METONYMY_VERBS: WordSet = WordSet::new(&[
    "launched",
    "conducted",
    "aimed",
    "sought",
    "deployed",
    "sent",
    "carried",
    "bombed",
    "said",
    "says",
    "told",
    "stated",
    "announced",
    "denied",
    "denies",
    "accused",
    "accuses",
    "warned",
    "warns",
    "urged",
    "urges",
    "condemned",
    "condemns",
    "claimed",
    "claims",
    "rejected",
    "rejects",
    "insisted",
    "wants",
    "wanted",
    "demanded",
    "demands",
    "blamed",
    "blames",
    "called",
    "calls",
    "responded",
    "threatened",
    "threatens",
    "agreed",
    "agrees",
    "refused",
    "refuses",
    "signed",
    "has",
    "had",
    "would",
    "will",
    "backs",
    "backed",
    "supports",
    "supported",
    "hopes",
    "insists",
    "believes",
    "believed",
    "argued",
    "argues",
    "vowed",
    "vows",
    "pledged",
    "expects",
]);

/// Day abbreviations of datelines ("Mon Mar 2 2016").
const DAY_ABBREVIATIONS: &[&str] = &[
    "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat",
];

/// Whether a folded word names a month or a day (in full or abbreviated): never a place alone.
fn month_or_day(word: &str) -> bool {
    truce_model::calendar::is_month(word)
        || truce_model::calendar::WEEKDAYS.contains(&word)
        || DAY_ABBREVIATIONS.contains(&word)
}

/// Words that are place names somewhere but almost never in news prose.
#[rustfmt::skip]
static NEVER_PLACES: WordSet = WordSet::new(&[
    "god", "allah", "christ", "jesus", "mohammed", "muhammad", "islam", "christian", "muslim",
    "muslims", "sunni", "shia", "shiite", "arab", "arabs", "kurd", "kurds", "kurdish", "jewish",
    "jews", "western", "eastern", "northern", "southern", "state", "city", "county", "province",
    "president", "minister", "government", "army", "police", "reuters", "associated", "press",
    "afp", "ap", "bbc", "cnn", "twitter", "facebook", "telegram", "youtube", "google", "nato",
    "mr", "mrs", "ms", "dr", "gen", "col", "sen", "rep", "gov", "st", "ministry", "hospital",
    "doctors", "ceasefire", "truce", "talks", "prime", "foreign", "secretary", "west", "east",
    "north", "south", "central", "northeast", "northwest", "southeast", "southwest", "hamas",
    "hezbollah", "obama", "christmas", "passover", "easter", "ramadan", "eid", "olympic",
    "olympics", "english", "federal", "union", "no", "white house", "senate", "congress",
    "parliament", "pentagon", "kremlin", "capitol", "coalition", "regime", "opposition", "rebels",
    // Leaders' names that gazetteers also hold, with or without the possessive's apostrophe.
    "assad", "assads", "levant",
]);

/// Words that are places only when written in capitals (US, not "Us").
#[rustfmt::skip]
const CAPITALS_ONLY: &[&str] = &["us", "un", "eu", "it", "in", "me", "oh", "ok", "hi", "la"];

/// The geoparser's entry point: recognise, filter, resolve (with the learned place choice when
/// a model is given, the rules' ranking otherwise). With `explain`, each name's candidates
/// are kept in [`Geography::choices`] with their named features.
pub fn geoparse(
    g: &Gazetteer,
    lex: &Lexicon,
    tokens: &Tokens,
    model: Option<&LinearModel>,
    explain: bool,
) -> Geography {
    let mut geo = Geography::default();
    find_demonyms(lex, tokens, &mut geo);
    let spans = recognize(g, lex, tokens);
    let mut in_names: Vec<usize> = Vec::new();
    let spans: Vec<NameSpan> = spans
        .into_iter()
        .filter(|s| {
            keep_span(g, lex, tokens, s, &mut geo.surnames, &mut in_names)
                || in_names.last() == Some(&s.tokens.start)
        })
        .collect();
    // Surnames learned anywhere in the text drop their later bare mentions ("Kerry said").
    let spans: Vec<NameSpan> = spans
        .into_iter()
        .filter(|s| !(s.tokens.len() == 1 && geo.surnames.contains(tokens.folded(s.tokens.start))))
        .collect();
    let names = named_countries(g, tokens, &spans);
    geo.focus = focus(&names, &geo.demonyms);
    let report = report_countries(names, &geo);
    let choosing = choice::Choosing {
        report: &report,
        model,
        explain,
    };
    resolve(g, lex, tokens, &spans, &in_names, &choosing, &mut geo);
    unknown::find_unknown(g, lex, tokens, &mut geo);
    geo
}

fn find_demonyms(lex: &Lexicon, tokens: &Tokens, geo: &mut Geography) {
    for i in 0..tokens.len() {
        if tokens.list[i].shape == Shape::Lower {
            continue;
        }
        if let Some(cc) = lex.demonyms.get(tokens.folded(i)) {
            geo.demonyms.push(DemonymHit { country: *cc });
        }
    }
}

/// Whether a recognised span is a place at all (before deciding which one).
/// Words of armed groups' and parties' names that make a following place name part of the
/// organisation's name: "Hayat Tahrir al-Sham", "Jaish al-Islam", "Liwa al-Quds".
static ORGANISATION_HEADS: WordSet = WordSet::new(&[
    "tahrir", "ahrar", "jaish", "jaysh", "liwa", "ansar", "jabhat", "jabha", "fateh", "harakat",
    "katibat", "saraya", "firqat", "hizb", "hezb", "quwat", "kataib", "asaib", "junud", "fursan",
]);

fn keep_span(
    g: &Gazetteer,
    lex: &Lexicon,
    tokens: &Tokens,
    s: &NameSpan,
    surnames: &mut FxHashSet<String>,
    in_names: &mut Vec<usize>,
) -> bool {
    let first = s.tokens.start;
    let last = s.tokens.end - 1;
    let single = s.tokens.len() == 1;
    let word = tokens.folded(first);
    let t = &tokens.list[first];
    let joined;
    let span_key: &str = if single {
        word
    } else {
        joined = (s.tokens.start..s.tokens.end)
            .map(|i| tokens.folded(i))
            .collect::<Vec<_>>()
            .join(" ");
        &joined
    };
    if NEVER_PLACES.contains(span_key)
        || (single && (month_or_day(word) || lex.demonyms.contains_key(word)))
    {
        return false;
    }
    if single && t.shape != Shape::Upper && CAPITALS_ONLY.contains(&word) {
        return false;
    }
    if single
        && t.shape == Shape::Upper
        && word.len() <= 3
        && !s
            .candidates
            .iter()
            .any(|(id, _)| matches!(g.place(*id).kind, PlaceKind::Country | PlaceKind::Admin1))
    {
        // Acronyms (HTS, SDF, IS) are not places unless they are a country's or a province's
        // (UK, US, DRC, NSW).
        return false;
    }
    if single
        && t.shape == Shape::Upper
        && !s
            .candidates
            .iter()
            .any(|(id, _)| matches!(g.place(*id).kind, PlaceKind::Country | PlaceKind::Admin1))
    {
        // An agency or a broadcaster in capitals ("SANA reported", "told SANA", "the SANA news
        // agency"), not a town in a dateline ("HOMS, Syria").
        let next = tokens
            .list
            .get(s.span.end)
            .map(|_| tokens.folded(s.span.end));
        let prev = first.checked_sub(1).map(|p| tokens.folded(p));
        if matches!(
            next,
            Some(
                "news"
                    | "agency"
                    | "reported"
                    | "reports"
                    | "reporter"
                    | "correspondent"
                    | "tv"
                    | "television"
                    | "quoted"
                    | "cited"
            )
        ) || matches!(prev, Some("told" | "to" | "via" | "agency"))
        {
            return false;
        }
    }
    let big = s.candidates.iter().any(|(id, m)| {
        let p = g.place(*id);
        *m != NameMatch::Skeleton
            && (matches!(
                p.kind,
                PlaceKind::Country | PlaceKind::Admin1 | PlaceKind::Continent | PlaceKind::Capital
            ) || p.population >= 100_000)
    });
    let previous = first.checked_sub(1);
    let prev_word = previous.map(|p| tokens.folded(p));
    let after_locative = prev_word.is_some_and(|w| LOCATIVE.contains(w));

    // Person names: a title or a first name right before, or a first name that is the span.
    if let Some(p) = previous
        && !t.sentence_start
        && !t.comma_before
        && !t.newline_before
    {
        let pw = tokens.folded(p);
        let prev_tok = &tokens.list[p];
        let prev_capital = matches!(prev_tok.shape, Shape::Capitalized | Shape::Upper);
        if lex.titles.contains(pw) && prev_capital {
            surnames.insert(tokens.folded(last).to_string());
            return false;
        }
        if prev_capital && lex.given_names.contains(pw) {
            surnames.insert(tokens.folded(last).to_string());
            return false;
        }
        // Inside a longer capitalised name ("Josh Earnest", "Hillary Clinton") unless the
        // word before only qualifies a place ("northern Syria", "New ...").
        if prev_capital
            && !QUALIFIERS.contains(pw)
            && !lex.is_common(pw)
            && (!big || ORGANISATION_HEADS.contains(pw))
            && !lex.demonyms.contains_key(pw)
        {
            surnames.insert(tokens.folded(last).to_string());
            return false;
        }
    }
    if let Some(next) = tokens.list.get(s.span.end)
        && !next.comma_before
        && !next.newline_before
        && !next.sentence_start
        && matches!(next.shape, Shape::Capitalized | Shape::Upper)
    {
        let nw = tokens.folded(s.span.end);
        if lex.name_continuations.contains(nw) && s.kind_hint.is_none() {
            in_names.push(s.tokens.start);
            return false;
        }
        // A first name before a surname ("George Sabra", "Ahmad Jarba") is a person, unless it
        // names a country, a province or a capital.
        if single
            && lex.given_names.contains(word)
            && !s.candidates.iter().any(|(id, m)| {
                *m != NameMatch::Skeleton
                    && matches!(
                        g.place(*id).kind,
                        PlaceKind::Country | PlaceKind::Admin1 | PlaceKind::Capital
                    )
            })
        {
            return false;
        }
        // "Kristina Chu", "Paris Hilton": a small place name followed by another proper name.
        let next_is_name = !lex.is_common(nw)
            && !month_or_day(nw)
            && !lex.demonyms.contains_key(nw)
            && !lex.place_words.contains_key(nw)
            && !next.hyphen_before;
        if single && next_is_name && !big && next.shape == Shape::Capitalized {
            return false;
        }
        // "Wal-Mart", "Coca-Cola".
        if next.hyphen_before && next.shape == Shape::Capitalized && !big {
            return false;
        }
    }
    let next_word = tokens
        .list
        .get(s.span.end)
        .map(|_| tokens.folded(s.span.end));
    // "Marburg virus", "Reston virus": a disease named after a place is not the place.
    if next_word.is_some_and(|w| DISEASE_WORDS.contains(&w)) {
        return false;
    }
    let major = |with_regions: bool| {
        s.candidates.iter().any(|(id, m)| {
            *m != NameMatch::Skeleton
                && match g.place(*id).kind {
                    PlaceKind::Country
                    | PlaceKind::Admin1
                    | PlaceKind::Continent
                    | PlaceKind::Capital => true,
                    PlaceKind::Region => with_regions,
                    _ => false,
                }
        })
    };
    let area = major(true);
    // "said Franklin", "Franklin told": a small place name in the speaker's slot is a person.
    let speaker_slot = next_word.is_some_and(|w| SPEECH_VERBS.contains(w))
        || prev_word.is_some_and(|w| SPEECH_VERBS.contains(w));
    if single && speaker_slot && !area {
        surnames.insert(word.to_string());
        return false;
    }
    // Ordinary words that happen to be place names somewhere.
    if single && lex.is_common(word) {
        let sentence_initial = t.sentence_start || previous.is_none();
        if sentence_initial {
            return major(false);
        }
        return area
            || (after_locative
                && s.candidates
                    .iter()
                    .any(|(id, _)| g.place(*id).population >= 5_000));
    }
    true
}

/// Words after a place name that make it the name of a disease.
const DISEASE_WORDS: &[&str] = &[
    "virus",
    "fever",
    "disease",
    "flu",
    "syndrome",
    "encephalitis",
    "strain",
];

/// Verbs of saying that put a name in the speaker's slot.
#[rustfmt::skip]
pub(crate) static SPEECH_VERBS: WordSet = WordSet::new(&[
    "said", "says", "told", "added", "explained", "noted", "stated", "wrote", "argued", "asked",
    "replied", "recalled", "insisted", "acknowledged", "admitted", "declared", "continued",
]);

/// What a report's place names say of its countries: the weight each gets from them (2 for a
/// country named, 1 for a name that can only be in one country, 2 if written in capitals), and
/// the countries named as countries.
struct NamedCountries {
    weight: FxHashMap<CountryCode, f64>,
    named: FxHashSet<CountryCode>,
}

fn named_countries(g: &Gazetteer, tokens: &Tokens, spans: &[NameSpan]) -> NamedCountries {
    let mut weight: FxHashMap<CountryCode, f64> = FxHashMap::default();
    let mut named = FxHashSet::default();
    for s in spans {
        let exact: Vec<&(PlaceId, NameMatch)> = s
            .candidates
            .iter()
            .filter(|(_, m)| *m != NameMatch::Skeleton)
            .collect();
        if exact.is_empty() {
            continue;
        }
        // A country name that is also a province elsewhere (Georgia) says nothing on its own.
        let also_admin = exact
            .iter()
            .any(|(id, _)| g.place(*id).kind == PlaceKind::Admin1);
        let countries_named = || {
            exact
                .iter()
                .map(|(id, _)| g.place(*id))
                .filter(|p| p.kind == PlaceKind::Country)
                .filter_map(|p| p.country)
        };
        if !also_admin && let Some(cc) = countries_named().next() {
            named.extend(countries_named());
            *weight.entry(cc).or_default() += 2.0;
            continue;
        }
        let countries: FxHashSet<CountryCode> = exact
            .iter()
            .filter_map(|(id, _)| g.place(*id).country)
            .collect();
        if countries.len() == 1 {
            let cc = *countries.iter().next().unwrap_or(&CountryCode::default());
            *weight.entry(cc).or_default() += if tokens.list[s.tokens.start].shape == Shape::Upper {
                2.0
            } else {
                1.0
            };
        }
    }
    NamedCountries { weight, named }
}

/// The countries a report is about, weights summing to 1: what its place names say, and the
/// demonyms given (none, for the focus of its place names alone).
fn focus(names: &NamedCountries, demonyms: &[DemonymHit]) -> Vec<(CountryCode, f64)> {
    let mut weight = names.weight.clone();
    for d in demonyms {
        *weight.entry(d.country).or_default() += 1.0;
    }
    let total: f64 = weight.values().sum();
    if total == 0.0 {
        return Vec::new();
    }
    let mut out: Vec<(CountryCode, f64)> =
        weight.into_iter().map(|(c, w)| (c, w / total)).collect();
    out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}

/// The country or first-order area that a following ", Y" (or "Y province") ties a span to.
fn tie(
    g: &Gazetteer,
    tokens: &Tokens,
    spans: &[NameSpan],
    k: usize,
) -> (Option<CountryCode>, Option<(CountryCode, String)>) {
    let Some(next) = spans.get(k + 1) else {
        return (None, None);
    };
    let this = &spans[k];
    let adjacent = next.span.start == this.span.end && tokens.list[next.span.start].comma_before;
    let in_of = next.span.start == this.span.end + 1
        && matches!(tokens.folded(this.span.end), "in" | "of")
        && !tokens.list[next.span.start].sentence_start;
    if !adjacent && !in_of {
        return (None, None);
    }
    let mut country = None;
    let mut admin1 = None;
    for (id, m) in &next.candidates {
        if *m == NameMatch::Skeleton
            && next
                .candidates
                .iter()
                .any(|(_, m)| *m != NameMatch::Skeleton)
        {
            continue;
        }
        let p = g.place(*id);
        match p.kind {
            PlaceKind::Country => country = country.or(p.country),
            PlaceKind::Admin1 => {
                if let (Some(cc), Some(code)) = (p.country, &p.admin1) {
                    // Only a tie if this span has a candidate inside that area.
                    if this.candidates.iter().any(|(c, _)| {
                        let q = g.place(*c);
                        q.country == Some(cc)
                            && q.admin1.as_deref() == Some(code.as_str())
                            && q.kind != PlaceKind::Admin1
                    }) {
                        admin1 = admin1.or(Some((cc, code.clone())));
                    }
                }
            }
            _ => {}
        }
    }
    (country, admin1)
}

/// The countries a report names as countries and by demonyms, and the focus of its place
/// names alone.
fn report_countries(names: NamedCountries, geo: &Geography) -> choice::ReportCountries {
    choice::ReportCountries {
        by_names: focus(&names, &[]),
        named: names.named,
        demonym: geo.demonyms.iter().map(|d| d.country).collect(),
        top: geo.focus.first().map(|(c, _)| *c),
    }
}

fn resolve(
    g: &Gazetteer,
    lex: &Lexicon,
    tokens: &Tokens,
    spans: &[NameSpan],
    in_names: &[usize],
    choosing: &choice::Choosing<'_>,
    geo: &mut Geography,
) {
    let focus_set: FxHashSet<CountryCode> = geo.focus.iter().map(|(c, _)| *c).collect();
    let place_focus = &choosing.report.by_names;
    let base = RankContext {
        focus: geo.focus.clone(),
        ..RankContext::default()
    };
    let ties: Vec<_> = (0..spans.len()).map(|k| tie(g, tokens, spans, k)).collect();
    let candidates: Vec<Vec<(PlaceId, NameMatch)>> = spans
        .iter()
        .map(|s| {
            let mut c: Vec<(PlaceId, NameMatch)> = s.candidates.clone();
            // Skeleton-only candidates outside the countries in focus are coincidences, unless
            // the name is long and of several words and every candidate lies in one country: a
            // report that spells "Maarat al-Nouman" and names no country still means the town.
            if c.iter().all(|(_, m)| *m == NameMatch::Skeleton) {
                let words = s.tokens.len();
                let letters: usize = s
                    .tokens
                    .clone()
                    .map(|k| {
                        tokens
                            .folded(k)
                            .chars()
                            .filter(|ch| ch.is_alphabetic())
                            .count()
                    })
                    .sum();
                let countries: FxHashSet<Option<CountryCode>> =
                    c.iter().map(|(id, _)| g.place(*id).country).collect();
                let distinctive = words >= 2 && letters >= 10 && countries.len() == 1;
                if !distinctive {
                    c.retain(|(id, _)| {
                        g.place(*id)
                            .country
                            .is_some_and(|cc| focus_set.contains(&cc))
                    });
                }
            }
            if let Some(kind) = s.kind_hint {
                let wanted: Vec<(PlaceId, NameMatch)> = c
                    .iter()
                    .copied()
                    .filter(|(id, _)| kind_fits(g.place(*id).kind, kind))
                    .collect();
                if !wanted.is_empty() {
                    c = wanted;
                }
            }
            c
        })
        .collect();

    // Pass 1: focus and explicit ties only.
    let context = |k: usize, cx: &RankContext| -> RankContext {
        let mut cx = cx.clone();
        cx.country = ties[k].0;
        cx.within_admin1 = ties[k].1.clone();
        cx
    };
    let first: Vec<Vec<Candidate>> = (0..spans.len())
        .map(|k| g.rank(&candidates[k], &context(k, &base)))
        .collect();
    // What each name's places say of the others' (namesakes told apart by their neighbours):
    // features of the place model, so filed only where a model decides or a reading is explained.
    let support = (choosing.model.is_some() || choosing.explain)
        .then(|| support::Support::new(g, &first, choice::SHORTLIST));
    // What each confident first-pass resolution tells the others: its area and its point.
    let mut areas: Vec<(usize, CountryCode, String)> = Vec::new();
    let mut points: Vec<(usize, f64, f64)> = Vec::new();
    for (k, ranked) in first.iter().enumerate() {
        let Some(best) = ranked.first() else { continue };
        let margin = ranked
            .get(1)
            .map_or(f64::INFINITY, |r| best.score - r.score);
        let p = g.place(best.id);
        if margin < 1.0 {
            continue;
        }
        match p.kind {
            PlaceKind::Admin1 | PlaceKind::Admin2 => {
                if let (Some(cc), Some(code)) = (p.country, &p.admin1) {
                    areas.push((k, cc, code.clone()));
                }
                if p.kind == PlaceKind::Admin2 {
                    points.push((k, p.lat, p.lon));
                }
            }
            kind if !kind.is_area() => points.push((k, p.lat, p.lon)),
            _ => {}
        }
    }
    // Pass 2: with the areas and places resolved with confidence. A mention never vouches for
    // itself, nor for another mention of the same name.
    let first_key = |i: usize| first[i].first().map(|c| g.place(c.id).name.as_str());
    let vouches = |i: usize, k: usize| {
        let own = first_key(k);
        i != k && (own.is_none() || first_key(i) != own)
    };
    for (k, s) in spans.iter().enumerate() {
        let (ranked, cx) = if areas.is_empty() && points.is_empty() {
            (first[k].clone(), context(k, &base))
        } else {
            let other = |i: usize| vouches(i, k);
            let mut cx = base.clone();
            cx.admin1 = areas
                .iter()
                .filter(|(i, ..)| other(*i))
                .map(|(_, c, a)| (*c, a.clone()))
                .collect();
            cx.anchors = points
                .iter()
                .filter(|(i, ..)| other(*i))
                .map(|(_, la, lo)| (*la, *lo))
                .collect();
            let cx = context(k, &cx);
            (g.rank(&candidates[k], &cx), cx)
        };
        if ranked.is_empty() {
            continue;
        }
        let first_tok = &tokens.list[s.span.start];
        let last_tok = &tokens.list[s.span.end - 1];
        // The rules propose, the model (when there is one) decides: a place, or no place.
        let ranked_short = &ranked[..ranked.len().min(choice::SHORTLIST)];
        let said: Vec<_> = support.as_ref().map_or_else(Vec::new, |support| {
            ranked_short
                .iter()
                .map(|c| support.of(g.place(c.id), |i| vouches(i, k)))
                .collect()
        });
        let shortlist = choice::Shortlist {
            ranked: ranked_short,
            said: &said,
        };
        let mut proposed = choice::candidates(g, lex, tokens, s, &shortlist, &cx, choosing);
        choice::decide(&mut proposed);
        let decided = proposed
            .iter()
            .find(|c| c.chosen)
            .map(|c| (c.proposal, c.probability));
        if choosing.explain {
            if choosing.model.is_some() {
                proposed.sort_by(|a, b| {
                    b.probability
                        .unwrap_or(0.0)
                        .total_cmp(&a.probability.unwrap_or(0.0))
                });
            }
            geo.choices.push(Choice {
                subject: Subject::Mention {
                    start: first_tok.chars.start,
                    end: last_tok.chars.end,
                },
                decision: "place",
                candidates: proposed,
            });
        }
        let best = match decided {
            Some((Proposal::Place { place, .. }, _)) => {
                match ranked.iter().find(|c| c.id == place) {
                    Some(c) => c,
                    None => continue,
                }
            }
            _ => continue,
        };
        // A small place far from everything else the report is about is more likely a local
        // place the gazetteer lacks than a namesake abroad ("Fino, Mandera County" is not Fino
        // Mornasco in Italy): leave it unresolved rather than pin it on the wrong continent.
        // What the report is about is what its place names say: a demonym names an actor's
        // country, and "Russian jets bombed a market in Ariha" is not about a place in Russia.
        let chosen = g.place(best.id);
        let strong_focus = place_focus.first().is_some_and(|(_, w)| *w >= 0.4);
        let off_focus = chosen
            .country
            .is_some_and(|cc| !place_focus.iter().any(|(c, _)| *c == cc));
        let minor = !chosen.kind.is_area()
            && chosen.kind != PlaceKind::Capital
            && chosen.population < 100_000;
        if strong_focus && off_focus && minor && ties[k].0.is_none() && ties[k].1.is_none() {
            continue;
        }
        let p = g.place(best.id);
        let role = if in_names.contains(&s.tokens.start) {
            MentionRole::InName
        } else if matches!(p.kind, PlaceKind::Country | PlaceKind::Capital)
            && s.kind_hint.is_none()
            && tokens
                .list
                .get(s.span.end)
                .is_some_and(|n| n.shape == Shape::Lower && !n.comma_before)
            && METONYMY_VERBS.contains(tokens.folded(s.span.end))
            // "Officials in Washington said": the place is where they are, not who speaks.
            && !(s.span.start > 0 && LOCATIVE.contains(tokens.folded(s.span.start - 1)))
        {
            MentionRole::Metonym
        } else if matches!(p.kind, PlaceKind::Country | PlaceKind::Capital)
            && s.kind_hint.is_none()
            && (reacting(tokens, s.span.end) || addressed(tokens, s.span.clone()))
        {
            // "Washington was outraged", "urged Russia to use its influence": a government
            // reacting or addressed, not where anything happened.
            MentionRole::Metonym
        } else {
            MentionRole::Place
        };
        geo.hits.push(PlaceHit {
            tokens: s.span.clone(),
            chars: first_tok.chars.start..last_tok.chars.end,
            bytes: first_tok.bytes.start..last_tok.bytes.end,
            place: Some(best.id),
            enclosing: None,
            role,
        });
    }
}

fn kind_fits(have: PlaceKind, want: PlaceKind) -> bool {
    match want {
        PlaceKind::Admin1 => matches!(have, PlaceKind::Admin1 | PlaceKind::Region),
        PlaceKind::Admin2 => matches!(have, PlaceKind::Admin2),
        PlaceKind::City => matches!(have, PlaceKind::City | PlaceKind::Capital),
        PlaceKind::Village => matches!(have, PlaceKind::Village | PlaceKind::City),
        PlaceKind::Sector => matches!(
            have,
            PlaceKind::Sector | PlaceKind::Village | PlaceKind::City
        ),
        PlaceKind::Region => matches!(
            have,
            PlaceKind::Region | PlaceKind::Admin1 | PlaceKind::Admin2
        ),
        other => have == other,
    }
}

//! The learned place choice: which gazetteer place a name stands for, or none at all.
//!
//! The rules propose (recognition, the filters, [`Gazetteer::rank`] with the report's context);
//! this module describes each proposal with named features and, when the engine has a place
//! model, lets it decide. Besides the places, every name has one more candidate, "no place":
//! the name of a person, a firm or a word that only looks like a place ("Ahmad, a stallholder,
//! said" is not Al Ahmadi in Kuwait).

use rustc_hash::FxHashSet;
use truce_geo::{Candidate as Ranked, CountryCode, Gazetteer, NameMatch, PlaceKind, RankContext};

use super::{LOCATIVE, NameSpan, SPEECH_VERBS};
use crate::learn::{Candidate, Features, LinearModel, Proposal};
use crate::lexicon::Lexicon;
use crate::text::{Shape, Tokens};

/// What the whole report says about countries, shared by the names it contains.
pub(crate) struct ReportCountries {
    /// Countries the report names as countries ("Syria").
    pub named: FxHashSet<CountryCode>,
    /// Countries the report refers to by a demonym ("Syrian", "Russian").
    pub demonym: FxHashSet<CountryCode>,
    /// The country most in focus.
    pub top: Option<CountryCode>,
    /// Whether the focus rests on place names, not only on demonyms (an actor's nationality:
    /// "Russian jets bombed a market in Ariha" says nothing of where Ariha is).
    pub placed: bool,
}

/// What one name's own words and surroundings say, whatever place it stands for.
struct Mention {
    /// Features of the mention, to be crossed with a candidate's kind or given to "no place".
    cues: Vec<&'static str>,
}

fn mention(lex: &Lexicon, tokens: &Tokens, s: &NameSpan) -> Mention {
    let mut cues = Vec::new();
    let first = s.tokens.start;
    let t = &tokens.list[first];
    let word = tokens.folded(first);
    let prev = (first > 0 && !t.sentence_start).then(|| tokens.folded(first - 1));
    let next_tok = tokens.list.get(s.span.end);
    let next = next_tok.map(|_| tokens.folded(s.span.end));
    cues.push(match s.tokens.len() {
        1 => "words=1",
        2 => "words=2",
        _ => "words=3+",
    });
    if t.sentence_start || first == 0 {
        cues.push("sentence_start");
    }
    if t.shape == Shape::Upper {
        cues.push("upper");
    }
    if s.kind_hint.is_some() {
        cues.push("type_word");
    }
    if prev.is_some_and(|w| LOCATIVE.contains(&w)) {
        cues.push("after_locative");
    }
    if prev == Some("the") {
        cues.push("after_the");
    }
    if s.tokens.len() == 1 && lex.given_names.contains(word) {
        cues.push("given_name");
    }
    if s.tokens.len() == 1 && lex.is_common(word) {
        cues.push("common_word");
    }
    if next.is_some_and(|w| SPEECH_VERBS.contains(&w))
        || prev.is_some_and(|w| SPEECH_VERBS.contains(&w))
    {
        cues.push("speaker_slot");
    }
    if next_tok.is_some_and(|n| n.comma_before) {
        cues.push("comma_after");
    }
    if t.comma_before {
        cues.push("comma_before");
    }
    if next_tok.is_some_and(|n| {
        !n.comma_before && !n.sentence_start && matches!(n.shape, Shape::Capitalized | Shape::Upper)
    }) {
        cues.push("capital_after");
    }
    if next == Some("'s") || next == Some("s") {
        cues.push("possessive");
    }
    Mention { cues }
}

fn population_bucket(pop: u64) -> &'static str {
    match pop {
        0 => "0",
        1..1_000 => "<1k",
        1_000..10_000 => "1k",
        10_000..100_000 => "10k",
        100_000..1_000_000 => "100k",
        _ => "1m",
    }
}

fn distance_bucket(km: f64) -> &'static str {
    match km {
        d if d < 50.0 => "<50",
        d if d < 150.0 => "<150",
        d if d < 400.0 => "<400",
        d if d.is_finite() => "far",
        _ => "none",
    }
}

/// The candidates of one name: each place the rules ranked (best first by the rules), then
/// "no place", each described with named features.
pub(crate) fn candidates(
    g: &Gazetteer,
    lex: &Lexicon,
    tokens: &Tokens,
    s: &NameSpan,
    ranked: &[Ranked],
    cx: &RankContext,
    report: &ReportCountries,
) -> Vec<Candidate> {
    let m = mention(lex, tokens, s);
    let best_score = ranked.first().map_or(0.0, |c| c.score);
    let largest = ranked
        .iter()
        .map(|c| g.place(c.id).population)
        .max()
        .unwrap_or(0);
    let n = match ranked.len() {
        1 => "1",
        2 => "2",
        3..=5 => "3-5",
        _ => "6+",
    };
    let area_named = ranked.iter().any(|c| {
        c.matched != NameMatch::Skeleton
            && matches!(
                g.place(c.id).kind,
                PlaceKind::Country | PlaceKind::Admin1 | PlaceKind::Region | PlaceKind::Continent
            )
    });
    let mut out = Vec::with_capacity(ranked.len() + 1);
    for (rank, c) in ranked.iter().enumerate() {
        let p = g.place(c.id);
        let kind = p.kind.as_str();
        let mut f = Features::default();
        f.on(format!("p:kind={kind}"));
        f.on(format!("p:kind={kind}&n={n}"));
        let pop = population_bucket(p.population);
        f.on(format!("p:pop={pop}"));
        f.on(format!("p:kind={kind}&pop={pop}"));
        if p.population > 0 && p.population == largest {
            f.on("p:largest");
        }
        let matched = match c.matched {
            NameMatch::Preferred => "preferred",
            NameMatch::Alternate => "alternate",
            NameMatch::Skeleton => "skeleton",
        };
        f.on(format!("p:match={matched}"));
        f.on(format!("p:kind={kind}&match={matched}"));
        let focus = match p.country {
            Some(cc) if report.top == Some(cc) => "top",
            Some(cc) if cx.focus.iter().any(|(f, _)| *f == cc) => "in",
            _ if cx.focus.is_empty() => "none",
            _ if !report.placed => "out_of_demonyms",
            _ => "out",
        };
        f.on(format!("p:focus={focus}"));
        f.on(format!("p:kind={kind}&focus={focus}"));
        f.on(format!("p:pop={pop}&focus={focus}"));
        if let Some(cc) = p.country {
            let weight = cx
                .focus
                .iter()
                .find(|(f, _)| *f == cc)
                .map_or(0.0, |(_, w)| *w);
            f.set("p:focus_weight", weight);
            if report.named.contains(&cc) {
                f.on("p:country_named");
                f.on(format!("p:kind={kind}&country_named"));
            }
            if report.demonym.contains(&cc) {
                f.on("p:country_demonym");
                if !report.named.contains(&cc) {
                    f.on(format!("p:kind={kind}&demonym_only"));
                }
            }
            if cx.country == Some(cc) {
                f.on("p:tied_country");
            }
            if let Some(code) = &p.admin1 {
                let mentioned = cx.admin1.iter().any(|(c, a)| *c == cc && a == code);
                if mentioned && p.kind != PlaceKind::Admin1 {
                    f.on("p:in_named_area");
                    f.on(format!("p:kind={kind}&in_named_area"));
                } else if mentioned {
                    f.on("p:holds_named_places");
                }
                if cx
                    .within_admin1
                    .as_ref()
                    .is_some_and(|(c, a)| *c == cc && a == code)
                {
                    f.on("p:tied_area");
                }
            }
        }
        let nearest = cx
            .anchors
            .iter()
            .map(|&(lat, lon)| truce_geo::distance::haversine_km(lat, lon, p.lat, p.lon))
            .fold(f64::INFINITY, f64::min);
        let near = if cx.anchors.is_empty() {
            "none"
        } else {
            distance_bucket(nearest)
        };
        f.on(format!("p:anchor={near}"));
        f.on(format!("p:kind={kind}&anchor={near}"));
        // A town that gives its name to the district around it (Ariha, Ariha District) is the
        // district's seat: a real town, whatever its recorded population.
        if !p.kind.is_area()
            && ranked.iter().any(|o| {
                let q = g.place(o.id);
                q.kind == PlaceKind::Admin2
                    && q.country == p.country
                    && truce_geo::distance::haversine_km(q.lat, q.lon, p.lat, p.lon) < 30.0
            })
        {
            f.on("p:district_seat");
            f.on(format!("p:district_seat&focus={focus}"));
        }
        if area_named && !p.kind.is_area() && p.kind != PlaceKind::Capital {
            f.on(format!("p:area_named&pop={pop}"));
        }
        if let Some(hint) = s.kind_hint {
            f.on(format!("p:kind={kind}&hint={}", hint.as_str()));
        }
        for cue in &m.cues {
            f.on(format!("p:kind={kind}&{cue}"));
        }
        f.on(match rank {
            0 => "p:rule_rank=0",
            1 => "p:rule_rank=1",
            _ => "p:rule_rank=2+",
        });
        f.set(
            "p:rule_gap",
            ((best_score - c.score) / 10.0).clamp(0.0, 1.0),
        );
        let country = p.country.map(|c| c.to_string()).unwrap_or_default();
        out.push(Candidate {
            name: format!("{} ({kind}, {country})", p.name),
            proposal: Proposal::Place {
                place: c.id,
                lat: p.lat,
                lon: p.lon,
            },
            features: f,
            probability: None,
            chosen: false,
        });
    }
    // "No place": what the name and its words say, and what its best place would be.
    let mut f = Features::default();
    f.on("none");
    for cue in &m.cues {
        f.on(format!("none&{cue}"));
    }
    f.on(format!("none&n={n}"));
    if let Some(best) = ranked.first() {
        let p = g.place(best.id);
        let kind = p.kind.as_str();
        f.on(format!("none&best_kind={kind}"));
        f.on(format!("none&best_pop={}", population_bucket(p.population)));
        let focus = match p.country {
            Some(cc) if cx.focus.iter().any(|(f, _)| *f == cc) => "in",
            _ if cx.focus.is_empty() => "none",
            _ if !report.placed => "out_of_demonyms",
            _ => "out",
        };
        f.on(format!("none&best_focus={focus}"));
        f.on(format!("none&best_kind={kind}&focus={focus}"));
        for cue in &m.cues {
            f.on(format!("none&best_kind={kind}&{cue}"));
        }
    }
    out.push(Candidate {
        name: "no place".into(),
        proposal: Proposal::NoPlace,
        features: f,
        probability: None,
        chosen: false,
    });
    out
}

/// Scores the candidates with the model and marks the most probable chosen (the rules' best
/// place when there is no model).
pub(crate) fn decide(model: Option<&LinearModel>, candidates: &mut [Candidate]) {
    match model {
        Some(model) => {
            for c in candidates.iter_mut() {
                c.probability = Some(model.probability(&c.features));
            }
            let best = candidates
                .iter()
                .enumerate()
                .max_by(|(i, a), (j, b)| {
                    a.probability
                        .unwrap_or(0.0)
                        .total_cmp(&b.probability.unwrap_or(0.0))
                        .then(j.cmp(i))
                })
                .map(|(i, _)| i);
            if let Some(i) = best {
                candidates[i].chosen = true;
            }
        }
        None => {
            if let Some(c) = candidates.first_mut() {
                c.chosen = matches!(c.proposal, Proposal::Place { .. });
            }
        }
    }
}

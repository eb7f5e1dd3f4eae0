//! The learned place choice: which gazetteer place a name stands for, or none at all.
//!
//! The rules propose (recognition, the filters, [`Gazetteer::rank`] with the report's context);
//! this module describes each proposal with named features and, when the engine has a place
//! model, lets it decide. Besides the places, every name has one more candidate, "no place":
//! the name of a person, a firm or a word that only looks like a place ("Ahmad, a stallholder,
//! said" is not Al Ahmadi in Kuwait).

use rustc_hash::FxHashSet;
use truce_geo::{Candidate as Ranked, CountryCode, Gazetteer, NameMatch, PlaceKind, RankContext};

use super::support::Said;
use super::{LOCATIVE, NameSpan, SPEECH_VERBS};
use crate::learn::{Candidate, FeatureSink, LinearModel, Proposal, assess};
use crate::lexicon::Lexicon;
use crate::text::{Shape, Tokens};

/// How many of a name's places, best first by the rules, the model weighs: a namesake the
/// rules rank below eight others (the ninth Moscow in the United States) is never the answer,
/// and every candidate costs a feature set.
pub(crate) const SHORTLIST: usize = 8;

/// What the whole report says about countries, shared by the names it contains.
pub(crate) struct ReportCountries {
    /// Countries the report names as countries ("Syria").
    pub named: FxHashSet<CountryCode>,
    /// Countries the report refers to by a demonym ("Syrian", "Russian").
    pub demonym: FxHashSet<CountryCode>,
    /// The country most in focus.
    pub top: Option<CountryCode>,
    /// The focus its place names alone give, demonyms left out (an actor's nationality:
    /// "Russian jets bombed a market in Ariha" says nothing of where Ariha is).
    pub by_names: Vec<(CountryCode, f64)>,
}

/// How a report's names are chosen: what it says of countries, the model (none: the rules
/// decide) and whether to keep each candidate's named features.
pub(crate) struct Choosing<'a> {
    /// What the report says of countries.
    pub report: &'a ReportCountries,
    /// The place model.
    pub model: Option<&'a LinearModel>,
    /// Keep names and features, for `--explain` and training.
    pub explain: bool,
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
    if prev.is_some_and(|w| LOCATIVE.contains(w)) {
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
    if next.is_some_and(|w| SPEECH_VERBS.contains(w))
        || prev.is_some_and(|w| SPEECH_VERBS.contains(w))
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

/// Kilometres between two points a few hundred kilometres apart at most, on the plane tangent at
/// one of them (`shrink`: the cosine of its latitude): within 1 % of the great circle at that
/// range, and no trigonometry per pair. Enough to tell 50 from 150 km.
pub(crate) fn approx_km(shrink: f64, dlat: f64, dlon: f64) -> f64 {
    const KM_PER_DEGREE: f64 = 111.195;
    let dlon = (dlon + 540.0).rem_euclid(360.0) - 180.0;
    KM_PER_DEGREE * (dlat * dlat + (dlon * shrink) * (dlon * shrink)).sqrt()
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

/// How near another name's place is, bucketed: the search reaches [`super::support::NEAR_KM`].
fn support_bucket(km: f64) -> &'static str {
    match km {
        d if d < 20.0 => "<20",
        d if d < 50.0 => "<50",
        d if d < super::support::NEAR_KM => "<150",
        _ => "none",
    }
}

/// A name's places as the rules ranked them, best first, each with what the report's other
/// names say of it.
pub(crate) struct Shortlist<'a> {
    /// The places.
    pub ranked: &'a [Ranked],
    /// What the other names say of each, in the same order (empty where no model weighs it).
    pub said: &'a [Said],
}

/// What the candidates of one name share: the name, its ranked places and the report's context.
struct NameContext<'a> {
    g: &'a Gazetteer,
    s: &'a NameSpan,
    ranked: &'a [Ranked],
    said: &'a [Said],
    cx: &'a RankContext,
    report: &'a ReportCountries,
    /// The name's own words and surroundings.
    m: Mention,
    /// The rules' score of their best place.
    best_score: f64,
    /// The largest population among the places.
    largest: u64,
    /// How many places the name may be, bucketed ("1", "2", "3-5", "6+").
    n: &'static str,
    /// Whether one of them is a country, province, region or continent by this very name.
    area_named: bool,
}

/// Where a place's country stands in the report's focus: its first country ("top"), another
/// in focus ("in"), no country in focus at all ("none"), outside a focus that only demonyms
/// make ("out_of_demonyms"), outside ("out").
fn focus_of(sh: &NameContext<'_>, country: Option<CountryCode>) -> &'static str {
    match country {
        Some(cc) if sh.report.top == Some(cc) => "top",
        Some(cc) if sh.cx.focus.iter().any(|(f, _)| *f == cc) => "in",
        _ if sh.cx.focus.is_empty() => "none",
        _ if sh.report.by_names.is_empty() => "out_of_demonyms",
        _ => "out",
    }
}

/// The features of one place a name may stand for.
fn describe_place(sh: &NameContext<'_>, rank: usize, c: &Ranked, f: &mut dyn FeatureSink) {
    let p = sh.g.place(c.id);
    let kind = p.kind.as_str();
    f.on(&["p:kind=", kind]);
    f.on(&["p:kind=", kind, "&n=", sh.n]);
    let pop = population_bucket(p.population);
    f.on(&["p:pop=", pop]);
    f.on(&["p:kind=", kind, "&pop=", pop]);
    if p.population > 0 && p.population == sh.largest {
        f.on(&["p:largest"]);
    }
    let matched = match c.matched {
        NameMatch::Preferred => "preferred",
        NameMatch::Alternate => "alternate",
        NameMatch::Skeleton => "skeleton",
    };
    f.on(&["p:match=", matched]);
    f.on(&["p:kind=", kind, "&match=", matched]);
    let focus = focus_of(sh, p.country);
    f.on(&["p:focus=", focus]);
    f.on(&["p:kind=", kind, "&focus=", focus]);
    f.on(&["p:pop=", pop, "&focus=", focus]);
    if let Some(cc) = p.country {
        let weight = sh
            .cx
            .focus
            .iter()
            .find(|(f, _)| *f == cc)
            .map_or(0.0, |(_, w)| *w);
        f.value(&["p:focus_weight"], weight);
        if sh.report.named.contains(&cc) {
            f.on(&["p:country_named"]);
            f.on(&["p:kind=", kind, "&country_named"]);
        }
        if sh.report.demonym.contains(&cc) {
            f.on(&["p:country_demonym"]);
            if !sh.report.named.contains(&cc) {
                f.on(&["p:kind=", kind, "&demonym_only"]);
            }
        }
        if sh.cx.country == Some(cc) {
            f.on(&["p:tied_country"]);
        }
        if let Some(code) = &p.admin1 {
            let mentioned = sh.cx.admin1.iter().any(|(c, a)| *c == cc && a == code);
            if mentioned && p.kind != PlaceKind::Admin1 {
                f.on(&["p:in_named_area"]);
                f.on(&["p:kind=", kind, "&in_named_area"]);
            } else if mentioned {
                f.on(&["p:holds_named_places"]);
            }
            if sh
                .cx
                .within_admin1
                .as_ref()
                .is_some_and(|(c, a)| *c == cc && a == code)
            {
                f.on(&["p:tied_area"]);
            }
        }
    }
    let shrink = p.lat.to_radians().cos();
    let nearest = sh
        .cx
        .anchors
        .iter()
        .map(|&(lat, lon)| approx_km(shrink, p.lat - lat, p.lon - lon))
        .fold(f64::INFINITY, f64::min);
    let near = if sh.cx.anchors.is_empty() {
        "none"
    } else {
        distance_bucket(nearest)
    };
    f.on(&["p:anchor=", near]);
    f.on(&["p:kind=", kind, "&anchor=", near]);
    // A town that gives its name to the district around it (Ariha, Ariha District) is the
    // district's seat: a real town, whatever its recorded population.
    if !p.kind.is_area()
        && sh.ranked.iter().any(|o| {
            let q = sh.g.place(o.id);
            q.kind == PlaceKind::Admin2
                && q.country == p.country
                && truce_geo::distance::haversine_km(q.lat, q.lon, p.lat, p.lon) < 30.0
        })
    {
        f.on(&["p:district_seat"]);
        f.on(&["p:district_seat&focus=", focus]);
    }
    if sh.area_named && !p.kind.is_area() && p.kind != PlaceKind::Capital {
        f.on(&["p:area_named&pop=", pop]);
    }
    if let Some(said) = sh.said.get(rank) {
        let near = support_bucket(said.nearest);
        f.on(&["p:support=", near]);
        f.on(&["p:kind=", kind, "&support=", near]);
        f.on(&["p:pop=", pop, "&support=", near]);
        f.on(&["p:support_top=", support_bucket(said.nearest_top)]);
        let names = match said.names_near {
            0 => "0",
            1 => "1",
            2 => "2",
            _ => "3+",
        };
        f.on(&["p:names_near=", names]);
        f.on(&["p:kind=", kind, "&names_near=", names]);
        if said.in_area {
            f.on(&["p:support_area"]);
            f.on(&["p:kind=", kind, "&support_area"]);
        }
        if said.holds {
            f.on(&["p:support_holds"]);
        }
    }
    if let Some(hint) = sh.s.kind_hint {
        f.on(&["p:kind=", kind, "&hint=", hint.as_str()]);
    }
    for &cue in &sh.m.cues {
        f.on(&["p:kind=", kind, "&", cue]);
    }
    f.on(&[match rank {
        0 => "p:rule_rank=0",
        1 => "p:rule_rank=1",
        _ => "p:rule_rank=2+",
    }]);
    f.value(
        &["p:rule_gap"],
        ((sh.best_score - c.score) / 10.0).clamp(0.0, 1.0),
    );
}

/// The features of "no place": what the name and its words say, and what its best place would
/// be.
fn describe_none(sh: &NameContext<'_>, f: &mut dyn FeatureSink) {
    f.on(&["none"]);
    for &cue in &sh.m.cues {
        f.on(&["none&", cue]);
    }
    f.on(&["none&n=", sh.n]);
    if let Some(best) = sh.ranked.first() {
        let p = sh.g.place(best.id);
        let kind = p.kind.as_str();
        f.on(&["none&best_kind=", kind]);
        f.on(&["none&best_pop=", population_bucket(p.population)]);
        // "No place" weighs a best place in focus alike, first country or not.
        let focus = match focus_of(sh, p.country) {
            "top" => "in",
            other => other,
        };
        f.on(&["none&best_focus=", focus]);
        f.on(&["none&best_kind=", kind, "&focus=", focus]);
        for &cue in &sh.m.cues {
            f.on(&["none&best_kind=", kind, "&", cue]);
        }
    }
}

/// The candidates of one name: each place the rules ranked (best first by the rules), then
/// "no place", each scored by the model when there is one. With `explain`, each carries its
/// name and its named features (for `--explain` and training).
pub(crate) fn candidates(
    g: &Gazetteer,
    lex: &Lexicon,
    tokens: &Tokens,
    s: &NameSpan,
    shortlist: &Shortlist<'_>,
    cx: &RankContext,
    choosing: &Choosing<'_>,
) -> Vec<Candidate> {
    let ranked = shortlist.ranked;
    let Choosing {
        report,
        model,
        explain,
    } = *choosing;
    let sh = NameContext {
        g,
        s,
        ranked,
        said: shortlist.said,
        cx,
        report,
        m: mention(lex, tokens, s),
        best_score: ranked.first().map_or(0.0, |c| c.score),
        largest: ranked
            .iter()
            .map(|c| g.place(c.id).population)
            .max()
            .unwrap_or(0),
        n: match ranked.len() {
            1 => "1",
            2 => "2",
            3..=5 => "3-5",
            _ => "6+",
        },
        area_named: ranked.iter().any(|c| {
            c.matched != NameMatch::Skeleton
                && matches!(
                    g.place(c.id).kind,
                    PlaceKind::Country
                        | PlaceKind::Admin1
                        | PlaceKind::Region
                        | PlaceKind::Continent
                )
        }),
    };
    let mut out = Vec::with_capacity(ranked.len() + 1);
    for (rank, c) in ranked.iter().enumerate() {
        let p = g.place(c.id);
        let (features, probability) = assess(model, explain, |f| describe_place(&sh, rank, c, f));
        let name = if explain {
            let country = p.country.map(|c| c.to_string()).unwrap_or_default();
            format!("{} ({}, {country})", p.name, p.kind.as_str())
        } else {
            String::new()
        };
        out.push(Candidate {
            name,
            proposal: Proposal::Place {
                place: c.id,
                lat: p.lat,
                lon: p.lon,
            },
            features,
            probability,
            chosen: false,
        });
    }
    let (features, probability) = assess(model, explain, |f| describe_none(&sh, f));
    out.push(Candidate {
        name: "no place".into(),
        proposal: Proposal::NoPlace,
        features,
        probability,
        chosen: false,
    });
    out
}

/// Marks the most probable candidate chosen (the rules' best place when no model scored them).
pub(crate) fn decide(candidates: &mut [Candidate]) {
    match candidates.iter().any(|c| c.probability.is_some()) {
        true => {
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
        false => {
            if let Some(c) = candidates.first_mut() {
                c.chosen = matches!(c.proposal, Proposal::Place { .. });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use truce_geo::distance::haversine_km;

    #[test]
    fn the_plane_distance_keeps_the_buckets_of_the_great_circle() {
        // Idlib to Ariha, Aleppo, Damascus, Beirut; Tromsø to Kirkenes; across the date line.
        let pairs = [
            ((35.93, 36.63), (35.81, 36.61)),
            ((35.93, 36.63), (36.20, 37.16)),
            ((35.93, 36.63), (33.51, 36.29)),
            ((35.93, 36.63), (33.89, 35.50)),
            ((69.65, 18.96), (69.73, 30.05)),
            ((-17.0, 179.9), (-17.2, -179.8)),
        ];
        for ((a, b), (c, d)) in pairs {
            let exact = haversine_km(a, b, c, d);
            let plane = approx_km(a.to_radians().cos(), a - c, b - d);
            assert!(
                (plane - exact).abs() <= exact * 0.01 + 0.1,
                "{exact} {plane}"
            );
            assert_eq!(
                distance_bucket(plane),
                distance_bucket(exact),
                "{exact} {plane}"
            );
        }
    }
}

//! The gazetteer: places indexed by normalised name, and candidate ranking.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::distance::haversine_km;
use crate::format::read_places;
use crate::normalize::{exact_key, skeleton_key};
use crate::{CountryCode, Fingerprint, GeoError, Place, PlaceId, PlaceKind};

/// The default gazetteer, built from GeoNames and UCDP by `scripts/build-gazetteer.sh`.
static EMBEDDED: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/gazetteer.tsv.gz"
));

/// Countries whose place names reach English through Arabic or Persian transliteration, where
/// spellings vary so much that the looser skeleton key is worth matching.
const TRANSLITERATED: &[&str] = &[
    "SY", "IQ", "LB", "JO", "PS", "IL", "YE", "SA", "EG", "LY", "TN", "DZ", "MA", "SD", "SO", "AF",
    "IR", "PK", "TR", "OM", "AE", "KW", "QA", "BH", "MR", "TD", "ML", "NE",
];

/// The exact key of each of a place's names (duplicates removed) with its skeleton key, when
/// the place is in a country whose names are matched by skeleton too.
/// A name's exact key, and its consonant skeleton where transliteration varies.
type NameKeys = Vec<(String, Option<String>)>;

fn name_keys(place: &Place) -> NameKeys {
    let skeletons = place
        .country
        .is_none_or(|c| TRANSLITERATED.contains(&c.as_str()));
    let mut out: Vec<(String, Option<String>)> =
        Vec::with_capacity(1 + place.alternate_names.len());
    for name in std::iter::once(&place.name).chain(&place.alternate_names) {
        let key = exact_key(name);
        if key.is_empty() || out.iter().any(|(k, _)| *k == key) {
            continue;
        }
        let skeleton = skeletons
            .then(|| skeleton_key(name))
            .filter(|s| s.len() >= 3);
        out.push((key, skeleton));
    }
    out
}

/// A place's fingerprint: every field the engine reads.
fn place_fingerprint(place: &Place) -> u64 {
    let mut f = Fingerprint::default();
    f.number(place.geonameid.map_or(u64::MAX, u64::from))
        .number(place.kind as u64)
        .text(&place.name)
        .number(place.lat.to_bits())
        .number(place.lon.to_bits())
        .text(place.country.as_ref().map_or("", |c| c.as_str()))
        .text(place.admin1.as_deref().unwrap_or(""))
        .number(place.population);
    for name in &place.alternate_names {
        f.text(name);
    }
    f.value()
}

/// Places, indexed for lookup by name.
#[derive(Debug, Default)]
pub struct Gazetteer {
    /// Every place's fingerprint, in order (see [`Gazetteer::fingerprint`]).
    fingerprint: Fingerprint,
    places: Vec<Place>,
    by_key: FxHashMap<Box<str>, Vec<(PlaceId, NameMatch)>>,
    by_skeleton: FxHashMap<Box<str>, Vec<PlaceId>>,
    key_prefixes: FxHashSet<Box<str>>,
    skeleton_prefixes: FxHashSet<Box<str>>,
    countries: FxHashMap<CountryCode, PlaceId>,
    admin1: FxHashMap<(CountryCode, Box<str>), PlaceId>,
    /// The places ordered for a map's labels, on first need.
    labels: std::sync::OnceLock<crate::LabelIndex>,
    /// Places by GeoNames id (the first of an id), built the first time a name in Arabic
    /// script is looked up.
    by_geonameid: std::sync::OnceLock<FxHashMap<u32, PlaceId>>,
}

/// How a name matched a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NameMatch {
    /// The place's preferred name.
    Preferred,
    /// One of its alternate names.
    Alternate,
    /// Only the consonant skeleton (a transliteration variant).
    Skeleton,
}

/// What is known of a document (or a user's query) that helps choose between places of the
/// same name.
#[derive(Debug, Clone, Default)]
pub struct RankContext {
    /// Countries in focus, with weights summing to at most 1 (from country mentions, demonyms,
    /// and unambiguous places).
    pub focus: Vec<(CountryCode, f64)>,
    /// First-order areas mentioned in the document.
    pub admin1: Vec<(CountryCode, String)>,
    /// Points already placed with confidence (other places in the document, `--near`).
    pub anchors: Vec<(f64, f64)>,
    /// A country the text ties the name to ("X, Syria"; `--country`).
    pub country: Option<CountryCode>,
    /// An admin1 area the text ties the name to ("X, Idlib province").
    pub within_admin1: Option<(CountryCode, String)>,
}

/// A ranked candidate, with its score and the reasons for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The place.
    pub id: PlaceId,
    /// How the name matched.
    pub matched: NameMatch,
    /// Higher is better.
    pub score: f64,
    /// Why, in words (for `truce gazetteer lookup`).
    pub reasons: Vec<String>,
}

impl Gazetteer {
    /// The default gazetteer shipped with truce.
    pub fn embedded() -> Result<Self, GeoError> {
        Ok(Self::from_places(read_places(
            EMBEDDED,
            "the embedded gazetteer",
        )?))
    }

    /// Indexes places.
    pub fn from_places(places: Vec<Place>) -> Self {
        let mut g = Self {
            places: Vec::with_capacity(places.len()),
            ..Self::default()
        };
        g.extend(places);
        g
    }

    /// Adds places (a user's import) to the index.
    pub fn extend(&mut self, places: Vec<Place>) {
        use rayon::prelude::*;
        self.labels = std::sync::OnceLock::new();
        self.by_geonameid = std::sync::OnceLock::new();
        // Normalising ~600,000 names is the bulk of loading: do it on every core, then index.
        let keyed: Vec<(NameKeys, u64)> = places
            .par_iter()
            .map(|p| (name_keys(p), place_fingerprint(p)))
            .collect();
        let names: usize = keyed.iter().map(|(k, _)| k.len()).sum();
        self.by_key.reserve(names);
        self.places.reserve(places.len());
        for (place, (keys, print)) in places.into_iter().zip(keyed) {
            self.fingerprint.number(print);
            let id = PlaceId(self.places.len() as u32);
            for (n, (key, skeleton)) in keys.into_iter().enumerate() {
                // The first key is the preferred name's.
                let how = if n == 0 {
                    NameMatch::Preferred
                } else {
                    NameMatch::Alternate
                };
                Self::insert(&mut self.by_key, &mut self.key_prefixes, &key, (id, how));
                if let Some(skel) = skeleton {
                    Self::insert(
                        &mut self.by_skeleton,
                        &mut self.skeleton_prefixes,
                        &skel,
                        id,
                    );
                }
            }
            match place.kind {
                PlaceKind::Country => {
                    if let Some(cc) = place.country {
                        self.countries.insert(cc, id);
                    }
                }
                PlaceKind::Admin1 => {
                    if let (Some(cc), Some(code)) = (place.country, &place.admin1) {
                        self.admin1.insert((cc, code.as_str().into()), id);
                    }
                }
                _ => {}
            }
            self.places.push(place);
        }
    }

    fn insert<T: PartialEq + Copy>(
        index: &mut FxHashMap<Box<str>, Vec<T>>,
        prefixes: &mut FxHashSet<Box<str>>,
        key: &str,
        id: T,
    ) {
        match index.get_mut(key) {
            Some(ids) => {
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            None => {
                index.insert(key.into(), vec![id]);
            }
        }
        // Every proper token prefix, so that a scan can stop as soon as no name continues.
        for (i, _) in key.match_indices(' ') {
            if !prefixes.contains(&key[..i]) {
                prefixes.insert(key[..i].into());
            }
        }
    }

    /// A fingerprint of every place indexed, in order (names, alternate names, coordinates,
    /// codes, population): it changes when any of them does, so an engine's version says which
    /// gazetteer it read with.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint.value()
    }

    /// The places ordered for a map's labels (built on the first call, about 30 ms for the
    /// embedded gazetteer): [`crate::LabelIndex::within`] gives a view's.
    pub fn labels(&self) -> &crate::LabelIndex {
        self.labels.get_or_init(|| crate::LabelIndex::new(self))
    }

    /// How many places.
    pub fn len(&self) -> usize {
        self.places.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    /// One place.
    pub fn place(&self, id: PlaceId) -> &Place {
        &self.places[id.0 as usize]
    }

    /// Every place, in index order.
    pub fn places(&self) -> impl Iterator<Item = (PlaceId, &Place)> {
        self.places
            .iter()
            .enumerate()
            .map(|(i, p)| (PlaceId(i as u32), p))
    }

    /// The country entry of a code.
    pub fn country(&self, cc: CountryCode) -> Option<PlaceId> {
        self.countries.get(&cc).copied()
    }

    /// The first-order area of a country by its GeoNames code.
    pub fn admin1(&self, cc: CountryCode, code: &str) -> Option<PlaceId> {
        self.admin1.get(&(cc, code.into())).copied()
    }

    /// Places one of whose names has exactly this exact key (see
    /// [`crate::normalize::exact_key`]), with whether it is their preferred name.
    pub fn by_exact_key(&self, key: &str) -> &[(PlaceId, NameMatch)] {
        self.by_key.get(key).map_or(&[], Vec::as_slice)
    }

    /// Places whose name has this skeleton key (transliterated countries only).
    pub fn by_skeleton_key(&self, key: &str) -> &[PlaceId] {
        self.by_skeleton.get(key).map_or(&[], Vec::as_slice)
    }

    /// Whether some name's exact key starts with these whole tokens (and continues).
    pub fn continues_exact(&self, key_prefix: &str) -> bool {
        self.key_prefixes.contains(key_prefix)
    }

    /// Whether some name's skeleton key starts with these whole tokens (and continues).
    pub fn continues_skeleton(&self, skeleton_prefix: &str) -> bool {
        self.skeleton_prefixes.contains(skeleton_prefix)
    }

    /// How the exact key `key` matches place `id` (a skeleton match when no name has it).
    pub fn match_kind(&self, id: PlaceId, key: &str) -> NameMatch {
        self.by_exact_key(key)
            .iter()
            .find(|(p, _)| *p == id)
            .map_or(NameMatch::Skeleton, |(_, how)| *how)
    }

    /// Candidates for a name, exact matches first, then skeleton matches; for a name in Arabic
    /// script, the places GeoNames gives that name ([`crate::native`]), as alternate names.
    pub fn lookup(&self, name: &str) -> Vec<(PlaceId, NameMatch)> {
        if crate::native::has_arabic(name) {
            return self.lookup_native(name);
        }
        let key = exact_key(name);
        let mut out: Vec<(PlaceId, NameMatch)> = self.by_exact_key(&key).to_vec();
        for &id in self.by_skeleton_key(&skeleton_key(name)) {
            if !out.iter().any(|(o, _)| *o == id) {
                out.push((id, NameMatch::Skeleton));
            }
        }
        out
    }

    /// The places a name in Arabic script names, by the embedded names' GeoNames ids.
    fn lookup_native(&self, name: &str) -> Vec<(PlaceId, NameMatch)> {
        let ids = self.by_geonameid.get_or_init(|| {
            let mut ids = FxHashMap::default();
            for (i, p) in self.places.iter().enumerate() {
                if let Some(g) = p.geonameid {
                    ids.entry(g).or_insert(PlaceId(i as u32));
                }
            }
            ids
        });
        crate::native::NativeNames::embedded()
            .lookup(name)
            .iter()
            .filter_map(|g| ids.get(g))
            .map(|&id| (id, NameMatch::Alternate))
            .collect()
    }

    /// The name of the first-order area a place is in.
    pub fn admin1_name<'a>(&'a self, place: &'a Place) -> Option<&'a str> {
        let (cc, code) = (place.country?, place.admin1.as_deref()?);
        if place.kind == PlaceKind::Admin1 {
            return Some(&place.name);
        }
        self.admin1(cc, code).map(|id| self.place(id).name.as_str())
    }

    /// Scores candidates for one mention; best first.
    pub fn rank(&self, candidates: &[(PlaceId, NameMatch)], cx: &RankContext) -> Vec<Candidate> {
        self.rank_with(candidates, cx, false)
    }

    /// [`Gazetteer::rank`], with every candidate's reasons spelled out (slower: for people).
    pub fn rank_explained(
        &self,
        candidates: &[(PlaceId, NameMatch)],
        cx: &RankContext,
    ) -> Vec<Candidate> {
        self.rank_with(candidates, cx, true)
    }

    fn rank_with(
        &self,
        candidates: &[(PlaceId, NameMatch)],
        cx: &RankContext,
        explain: bool,
    ) -> Vec<Candidate> {
        let mut out: Vec<Candidate> = candidates
            .iter()
            .map(|&(id, m)| self.score(id, m, cx, explain))
            .collect();
        // A name that is also a country's or a first-order area's means the area, unless the
        // town is big (Homs, Aleppo and New York the cities; Ohio and Texas the states).
        let area_named = candidates.iter().any(|&(id, m)| {
            m != NameMatch::Skeleton
                && matches!(
                    self.place(id).kind,
                    PlaceKind::Country
                        | PlaceKind::Admin1
                        | PlaceKind::Region
                        | PlaceKind::Continent
                )
        });
        let country_by_name = candidates
            .iter()
            .any(|&(id, m)| m == NameMatch::Preferred && self.place(id).kind == PlaceKind::Country);
        if area_named {
            for c in &mut out {
                let p = self.place(c.id);
                let small_town =
                    !p.kind.is_area() && p.kind != PlaceKind::Capital && p.population < 100_000;
                if small_town || p.kind == PlaceKind::Admin2 {
                    c.score -= 4.0;
                    if explain {
                        c.reasons
                            .push("named like a country or province, and smaller (-4.0)".into());
                    }
                } else if country_by_name && !p.kind.is_area() && c.matched == NameMatch::Alternate
                {
                    // "Mexico" is the country, not Mexico City by one of its other names.
                    c.score -= 5.0;
                    if explain {
                        c.reasons
                            .push("a country's name used as its city's other name (-5.0)".into());
                    }
                }
            }
        }
        out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
        out
    }

    fn score(&self, id: PlaceId, matched: NameMatch, cx: &RankContext, explain: bool) -> Candidate {
        let p = self.place(id);
        let mut reasons = Reasons(explain.then(Vec::new));
        let kind_prior = match p.kind {
            PlaceKind::Country => 6.0,
            PlaceKind::Continent => 5.5,
            PlaceKind::Admin1 => 4.0,
            PlaceKind::Capital => 2.5,
            PlaceKind::Region => 4.0,
            PlaceKind::City => 1.0,
            PlaceKind::Admin2 => 0.8,
            PlaceKind::Village | PlaceKind::Sector => 0.5,
        };
        let mut score = kind_prior;
        reasons.add(|| format!("{} (+{kind_prior:.1})", p.kind.as_str()));
        if p.population > 0
            && !matches!(
                p.kind,
                PlaceKind::Country | PlaceKind::Admin1 | PlaceKind::Admin2
            )
        {
            let pop = (p.population as f64 + 1.0).log10() * 0.9;
            score += pop;
            reasons.add(|| format!("population {} (+{pop:.1})", p.population));
        }
        match matched {
            NameMatch::Preferred => {
                score += 1.0;
                reasons.add(|| "preferred name (+1.0)".into());
            }
            NameMatch::Alternate => {}
            NameMatch::Skeleton => {
                score -= 1.5;
                reasons.add(|| "spelling variant only (-1.5)".into());
            }
        }
        if let Some(cc) = p.country {
            if let Some((_, w)) = cx.focus.iter().find(|(c, _)| *c == cc) {
                let bonus = 6.0 * w;
                score += bonus;
                reasons.add(|| format!("{cc} in focus (+{bonus:.1})"));
            }
            if cx.country == Some(cc) {
                score += 6.0;
                reasons.add(|| format!("tied to {cc} by the text (+6.0)"));
            }
            if let Some(code) = &p.admin1 {
                let mentioned = cx.admin1.iter().any(|(c, a)| *c == cc && a == code);
                if mentioned && p.kind != PlaceKind::Admin1 {
                    score += 3.0;
                    reasons.add(|| {
                        format!(
                            "its area {} is mentioned (+3.0)",
                            self.admin1_name(p).unwrap_or(code)
                        )
                    });
                } else if mentioned {
                    score += 2.0;
                    reasons.add(|| "other places named are inside it (+2.0)".into());
                }
                if cx
                    .within_admin1
                    .as_ref()
                    .is_some_and(|(c, a)| *c == cc && a == code)
                {
                    score += 6.0;
                    reasons.add(|| "inside the area the text names (+6.0)".into());
                }
            }
        }
        if !p.kind.is_area() || p.kind == PlaceKind::Admin2 {
            // Only a place within 400 km earns a bonus, and a great circle is never shorter
            // than its change of latitude (111.2 km a degree): anchors a wider band of latitude
            // away are not measured.
            let nearest = cx
                .anchors
                .iter()
                .filter(|&&(lat, _)| (lat - p.lat).abs() * 111.0 < 400.0)
                .map(|&(lat, lon)| haversine_km(lat, lon, p.lat, p.lon))
                .fold(f64::INFINITY, f64::min);
            let bonus = match nearest {
                d if d < 50.0 => 3.0,
                d if d < 150.0 => 2.0,
                d if d < 400.0 => 1.0,
                _ => 0.0,
            };
            if bonus > 0.0 {
                score += bonus;
                reasons.add(|| format!("{nearest:.0} km from another place (+{bonus:.1})"));
            }
        }
        Candidate {
            id,
            matched,
            score,
            reasons: reasons.0.unwrap_or_default(),
        }
    }
}

/// Reasons for a score, written out only when someone will read them.
struct Reasons(Option<Vec<String>>);

impl Reasons {
    fn add(&mut self, reason: impl FnOnce() -> String) {
        if let Some(list) = &mut self.0 {
            list.push(reason());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::place;

    fn tiny() -> Gazetteer {
        let mut tripoli_lb = place(
            PlaceKind::City,
            "Tripoli",
            "LB",
            "09",
            229_398,
            34.43,
            35.84,
        );
        tripoli_lb.alternate_names.push("Trablous".into());
        Gazetteer::from_places(vec![
            place(
                PlaceKind::Capital,
                "Tripoli",
                "LY",
                "09",
                1_150_989,
                32.89,
                13.19,
            ),
            tripoli_lb,
            place(
                PlaceKind::Country,
                "Lebanon",
                "LB",
                "",
                6_848_925,
                33.83,
                35.83,
            ),
            place(
                PlaceKind::City,
                "Maarat al-Numan",
                "SY",
                "12",
                58_008,
                35.64,
                36.67,
            ),
        ])
    }

    #[test]
    fn lookup_finds_exact_and_skeleton_matches() {
        let g = tiny();
        assert_eq!(g.lookup("TRIPOLI").len(), 2);
        let variant = g.lookup("Ma'arrat al-Nu'man");
        assert_eq!(variant.len(), 1);
        assert_eq!(variant[0].1, NameMatch::Skeleton);
        assert_eq!(g.lookup("Marat Alnuman")[0].1, NameMatch::Skeleton);
        assert!(g.continues_exact("maarat al"));
    }

    #[test]
    fn focus_and_population_rank_tripoli() {
        let g = tiny();
        let candidates = g.lookup("Tripoli");
        let plain = g.rank(&candidates, &RankContext::default());
        assert_eq!(
            g.place(plain[0].id).country,
            CountryCode::parse("LY"),
            "the bigger capital by default"
        );
        let cx = RankContext {
            focus: vec![(CountryCode::parse("LB").unwrap(), 1.0)],
            ..Default::default()
        };
        let focused = g.rank_explained(&candidates, &cx);
        assert_eq!(
            g.place(focused[0].id).country,
            CountryCode::parse("LB"),
            "Lebanon in focus"
        );
        assert!(focused[0].reasons.iter().any(|r| r.contains("in focus")));
    }
}

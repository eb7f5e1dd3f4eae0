//! The extraction engine: a report's text (and publication date) in, an [`Extraction`] out.
//!
//! The engine is pure and synchronous: no I/O, no async, no global state. Build one
//! [`Extractor`] (it loads the gazetteer and compiles the lexicons, well under a second) and
//! share it across threads; [`Extractor::extract`] never fails and never panics.
//!
//! ```
//! use truce_extract::{ExtractInput, Extractor};
//!
//! let extractor = Extractor::new().unwrap();
//! let out = extractor.extract(&ExtractInput {
//!     id: "r1".into(),
//!     text: "An air strike hit a hospital in Aleppo overnight.".into(),
//!     published: None,
//! });
//! assert_eq!(out.places[0].name, "Aleppo");
//! assert_eq!(out.places[0].country.as_deref(), Some("SY"));
//! ```
//!
//! See `DESIGN.md` in this crate for how text becomes events, and why.

// The engine's stages are its own: other crates see the extractor, the learned decisions'
// interface (`learn`, which truce-learn trains) and the few functions re-exported below.
pub(crate) mod actors;
pub(crate) mod casualties;
pub(crate) mod claims;
pub(crate) mod dates;
mod error;
pub(crate) mod events;
pub mod learn;
pub(crate) mod lexicon;
pub(crate) mod phrases;
pub(crate) mod places;
mod registry;
pub(crate) mod statements;
pub(crate) mod talks;
pub(crate) mod targets;
pub(crate) mod text;

use std::sync::Arc;

use chrono::NaiveDate;
use truce_geo::{Fingerprint, Gazetteer};
use truce_model::{Extraction, PlaceMention};

pub use casualties::figure_at;
pub use error::ExtractError;
pub use learn::{Candidate, Choice, Features, LinearModel, Models, Proposal, Subject};
pub use places::place_named;
pub use text::tokenize;

use crate::actors::ActorLexicon;
use crate::events::types::SubEvent;
use crate::lexicon::Lexicon;
use crate::phrases::PhraseSet;
use crate::places::{Geography, MentionRole};

/// One report to read.
#[derive(Debug, Clone, Default)]
pub struct ExtractInput {
    /// The caller's id for it, copied to the output.
    pub id: String,
    /// The text.
    pub text: String,
    /// When it was published: relative dates ("on Thursday") are resolved against it.
    pub published: Option<NaiveDate>,
}

/// The engine, built once and shared.
#[derive(Debug, Clone)]
pub struct Extractor {
    gazetteer: Arc<Gazetteer>,
    lexicon: Arc<Lexicon>,
    triggers: Arc<PhraseSet<(SubEvent, u8)>>,
    actors: Arc<ActorLexicon>,
    targets: Arc<PhraseSet<&'static str>>,
    speech: Arc<statements::SpeechLexicon>,
    models: Arc<Models>,
    /// The sub-event model arranged for scoring (derived from `models`).
    sub_event_scorer: Option<Arc<events::sub_event::Scorer>>,
    /// [`Extractor::version`], computed once (the models' fingerprint writes every weight).
    version: Arc<str>,
}

fn event_triggers() -> Result<PhraseSet<(SubEvent, u8)>, ExtractError> {
    let mut set = PhraseSet::default();
    for (i, line) in registry::text("event_triggers.tsv").lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        let err = |detail: String| ExtractError::Lexicon {
            file: "event_triggers.tsv",
            line: i + 1,
            detail,
        };
        if f.len() != 3 {
            return Err(err("expected phrase<TAB>sub-event type<TAB>weight".into()));
        }
        let sub = SubEvent::parse(f[1].trim())
            .ok_or_else(|| err(format!("{:?} is not an ACLED sub-event type", f[1])))?;
        let weight: u8 = f[2]
            .trim()
            .parse()
            .ok()
            .filter(|w| (1..=3).contains(w))
            .ok_or_else(|| err(format!("weight {:?} is not 1-3", f[2])))?;
        set.insert(f[0], (sub, weight));
    }
    Ok(set)
}

/// The revision of the rules written in code (how places, tolls, actors and types are read): a
/// change to them that changes what a report yields raises it, so that stored extractions read
/// by the earlier rules are stale for `truce reextract`, as a lexicon's or a model's change makes
/// them.
pub const RULES_REVISION: u32 = 3;

/// The crate version, the rules' revision and a fingerprint of every lexicon (the registry's
/// table), the learned models and every place of the gazetteer (see [`Extractor::version`]).
fn fingerprint(models: &Models, gazetteer: &Gazetteer) -> String {
    let mut f = Fingerprint::default();
    f.number(u64::from(RULES_REVISION));
    registry::feed(&mut f);
    f.text(&models.fingerprint())
        .number(gazetteer.fingerprint());
    format!("{}+{:08x}", env!("CARGO_PKG_VERSION"), f.value() as u32)
}

impl Extractor {
    /// Builds the engine with the embedded gazetteer and lexicons.
    pub fn new() -> Result<Self, ExtractError> {
        Self::with_gazetteer(Arc::new(Gazetteer::embedded()?))
    }

    /// Builds the engine around a gazetteer (the embedded one extended with a user's places).
    pub fn with_gazetteer(gazetteer: Arc<Gazetteer>) -> Result<Self, ExtractError> {
        Ok(Self {
            gazetteer,
            lexicon: Arc::new(Lexicon::embedded()?),
            triggers: Arc::new(event_triggers()?),
            actors: Arc::new(ActorLexicon::embedded()?),
            targets: Arc::new(targets::embedded()?),
            speech: Arc::new(statements::SpeechLexicon::embedded()?),
            models: Arc::new(Models::none()),
            sub_event_scorer: None,
            version: Arc::from(""),
        }
        .with_models(Models::embedded()?))
    }

    /// The same engine deciding with other learned models (a fold's, for cross-validated
    /// figures; none, for the rules alone).
    pub fn with_models(&self, models: Models) -> Self {
        let version = Arc::from(fingerprint(&models, &self.gazetteer));
        Self {
            sub_event_scorer: models
                .deciding("sub_event")
                .and_then(events::sub_event::Scorer::new)
                .map(Arc::new),
            models: Arc::new(models),
            version,
            ..self.clone()
        }
    }

    /// The learned models in use.
    pub fn models(&self) -> &Models {
        &self.models
    }

    /// The engine's version: the crate version, the rules' revision ([`RULES_REVISION`]) and a
    /// fingerprint of every lexicon, the learned models and every place of the gazetteer it was
    /// built with, stamped on every derived row
    /// so that a re-extraction after a change to any of them can be told apart.
    pub fn version(&self) -> String {
        self.version.to_string()
    }

    /// The gazetteer in use.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// The names the actor lexicon gives the actors a short text names, as a person may type
    /// them ("SAA", "Russian jets", "the Houthis", "regime forces"): each in the record's form
    /// ("Military Forces of Syria", "Military Forces of Russia", "Houthis"), or, where the text
    /// names no country for an actor that needs one ("government forces"), the name's part before
    /// it ("Military Forces of"), which every country's such actor contains.
    pub fn actor_names(&self, text: &str) -> Vec<String> {
        let tokens = text::tokenize(text);
        let country_name = |cc: truce_geo::CountryCode| {
            self.gazetteer
                .country(cc)
                .map(|id| self.gazetteer.place(id).name.clone())
        };
        let mut names: Vec<String> = Vec::new();
        for mention in self.actors.find(&self.lexicon, &tokens, 0..tokens.len()) {
            let entry = &mention.entry;
            let name =
                if entry.template.contains("{C}") && mention.demonym.or(entry.country).is_none() {
                    entry
                        .template
                        .split("{C}")
                        .next()
                        .map(|p| p.trim_end_matches([' ', '(']).trim().to_string())
                } else {
                    actors::resolve_name(&mention, None, &country_name).map(|(n, _)| n)
                };
            if let Some(name) = name.filter(|n| !n.is_empty())
                && !names.contains(&name)
            {
                names.push(name);
            }
        }
        names
    }

    /// Reads one report.
    pub fn extract(&self, input: &ExtractInput) -> Extraction {
        self.read(input, false).0
    }

    /// Reads one report and says how each learned choice was made: per event, the candidates
    /// the rules proposed, their features and the model's scores.
    pub fn extract_explained(&self, input: &ExtractInput) -> (Extraction, Vec<Choice>) {
        self.read(input, true)
    }

    /// Reads one report; with `explain`, every name's place choice is kept with its named
    /// features (the perpetrator choices always are: they are few).
    fn read(&self, input: &ExtractInput, explain: bool) -> (Extraction, Vec<Choice>) {
        let tokens = text::tokenize(&input.text);
        let sentences = text::split_sentences(&input.text, &tokens);
        let mut geo = places::geoparse(
            &self.gazetteer,
            &self.lexicon,
            &tokens,
            self.models.deciding("place"),
            explain,
        );
        let dates = dates::find_dates(&tokens, input.published);
        let mut events = events::read_events(&events::EventInput {
            text: &input.text,
            tokens: &tokens,
            sentences: &sentences,
            geo: &geo,
            dates: &dates,
            published: input.published,
            gazetteer: &self.gazetteer,
            lexicon: &self.lexicon,
            triggers: &self.triggers,
            actors: &self.actors,
            targets: &self.targets,
            models: &self.models,
            sub_event_scorer: self.sub_event_scorer.as_deref(),
            explain,
            mentions: &actors::MentionMemo::default(),
        });
        let statements = statements::find_statements(
            &input.text,
            &tokens,
            &sentences,
            &self.lexicon,
            &self.speech,
        );
        let talks = talks::find_talks(
            &input.text,
            &tokens,
            &sentences,
            &geo,
            &dates,
            input.published,
            &self.gazetteer,
        );
        claims::attach_claims(
            &claims::ClaimInput {
                text: &input.text,
                tokens: &tokens,
                sentences: &sentences,
                lexicon: &self.lexicon,
                actors: &self.actors,
                gazetteer: &self.gazetteer,
                targets: &self.targets,
            },
            &mut events,
            &statements,
        );
        let mut choices = std::mem::take(&mut geo.choices);
        let mut out = Vec::with_capacity(events.len());
        for (i, r) in events.into_iter().enumerate() {
            for (decision, candidates) in [
                ("sub_event", r.sub_events),
                ("perpetrator", r.perpetrators),
                ("toll", r.tolls),
            ] {
                if !candidates.is_empty() {
                    choices.push(Choice {
                        subject: Subject::Event(i),
                        decision,
                        candidates,
                    });
                }
            }
            out.push(r.event);
        }
        let extraction = Extraction {
            id: input.id.clone(),
            events: out,
            statements,
            talks,
            places: self.place_mentions(&input.text, &geo),
        };
        (extraction, choices)
    }

    /// Only the places of a text (the geoparser alone, for callers and benchmarks that need no
    /// events).
    pub fn places(&self, text: &str) -> Vec<PlaceMention> {
        let tokens = text::tokenize(text);
        let geo = places::geoparse(
            &self.gazetteer,
            &self.lexicon,
            &tokens,
            self.models.deciding("place"),
            false,
        );
        self.place_mentions(text, &geo)
    }

    fn place_mentions(&self, text: &str, geo: &Geography) -> Vec<PlaceMention> {
        geo.hits
            .iter()
            .filter(|h| h.role != MentionRole::InName)
            .map(|h| {
                let resolved = h.place.or(h.enclosing).map(|id| self.gazetteer.place(id));
                let precision = match (h.place, h.enclosing) {
                    (Some(_), _) => resolved.map(|p| p.kind.geo_precision()),
                    (None, Some(_)) => resolved.map(|p| if p.kind.is_area() { 3 } else { 2 }),
                    (None, None) => None,
                };
                PlaceMention {
                    name: text[h.bytes.clone()].to_string(),
                    start: h.chars.start,
                    end: h.chars.end,
                    geonameid: h.place.and_then(|id| self.gazetteer.place(id).geonameid),
                    lat: resolved.map(|p| places::round5(p.lat)),
                    lon: resolved.map(|p| places::round5(p.lon)),
                    country: resolved.and_then(|p| p.country).map(|c| c.to_string()),
                    geo_precision: precision,
                    role: (h.role == MentionRole::Metonym).then(|| "metonym".to_string()),
                }
            })
            .collect()
    }
}

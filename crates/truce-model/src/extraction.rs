//! The extraction record: what `truce extract --jsonl` writes for each report.
//!
//! This is a public contract (see `DESIGN.md`, "The extraction record"): field names, order and
//! meaning stay as they are; changes are additive. Offsets are Unicode scalar (char) offsets
//! into the text. A field the text does not give is `null`, never a guess.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ActorRole;

/// Everything extracted from one report.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Extraction {
    /// The input record's id.
    pub id: String,
    /// Reported occurrences (one per distinct occurrence, not per sentence).
    pub events: Vec<Event>,
    /// Official statements: who said what.
    pub statements: Vec<Statement>,
    /// Every place mentioned.
    pub places: Vec<PlaceMention>,
    /// Rounds of talks and meetings mentioned (an addition to the original contract).
    #[serde(default)]
    pub talks: Vec<Talk>,
}

/// A place named in the text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlaceMention {
    /// The name as written.
    pub name: String,
    /// Char offset of the first character.
    pub start: usize,
    /// Char offset after the last character.
    pub end: usize,
    /// GeoNames id of the resolved place; `null` for places outside GeoNames.
    pub geonameid: Option<u32>,
    /// Latitude of the resolved place (or of the enclosing area, see `geo_precision`).
    pub lat: Option<f64>,
    /// Longitude.
    pub lon: Option<f64>,
    /// ISO 3166-1 alpha-2 country.
    pub country: Option<String>,
    /// ACLED-style precision of the coordinates: 1 the place itself, 2 near it or a part of a
    /// region, 3 only the region or country is known (an addition to the contract).
    #[serde(default)]
    pub geo_precision: Option<u8>,
    /// `metonym` when the name stands for a government ("Moscow said"): a place name, but not
    /// where anything happened (an addition to the contract; absent otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

/// Where an event happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Location {
    /// The place's name.
    pub name: String,
    /// GeoNames id.
    pub geonameid: Option<u32>,
    /// Latitude.
    pub lat: Option<f64>,
    /// Longitude.
    pub lon: Option<f64>,
    /// ISO 3166-1 alpha-2 country.
    pub country: Option<String>,
    /// First-order administrative area.
    pub admin1: Option<String>,
    /// Second-order administrative area.
    pub admin2: Option<String>,
    /// ACLED geo-precision: 1 town, 2 near a town or part of a region, 3 region or country.
    pub geo_precision: Option<u8>,
}

impl Location {
    /// Whether the place is a town that shares its name with its first-order area (Aleppo in
    /// Aleppo governorate, Al Ḩasakah in Al-Hasakah): reports use the name for either, so such a
    /// place says no more than the area. Names are compared without accents, case, spaces,
    /// hyphens or a leading Arabic article.
    pub fn names_its_area(&self) -> bool {
        self.admin1
            .as_deref()
            .is_some_and(|area| name_key(area) == name_key(&self.name))
    }
}

/// A name reduced for comparison: letters and digits only, unaccented, lower-case, without a
/// leading article ("al-", "ar ", "el-").
fn name_key(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let folded: String = name
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect();
    let mut words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if words.len() > 1
        && matches!(
            words[0],
            "al" | "ar" | "as" | "ad" | "an" | "at" | "az" | "el" | "ash"
        )
    {
        words.remove(0);
    }
    words.concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(name: &str, admin1: Option<&str>) -> Location {
        Location {
            name: name.into(),
            geonameid: None,
            lat: None,
            lon: None,
            country: Some("SY".into()),
            admin1: admin1.map(str::to_string),
            admin2: None,
            geo_precision: Some(1),
        }
    }

    #[test]
    fn towns_named_like_their_area() {
        assert!(place("Aleppo", Some("Aleppo")).names_its_area());
        assert!(place("Al Ḩasakah", Some("Al-Hasakah")).names_its_area());
        assert!(place("Ar Raqqah", Some("Ar-Raqqah")).names_its_area());
        assert!(!place("Manbij", Some("Aleppo")).names_its_area());
        assert!(!place("Damascus", Some("Dimashq")).names_its_area());
        assert!(!place("Aleppo", None).names_its_area());
    }
}

/// An actor of an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Actor {
    /// ACLED-style actor name ("Military Forces of Syria", "Civilians (Syria)").
    pub name: String,
    /// Perpetrator (alleged, as the report attributes it), target or associated.
    pub role: ActorRole,
    /// ACLED interaction code: 1 state forces, 2 rebels, 3 political militias, 4 identity
    /// militias, 5 rioters, 6 protesters, 7 civilians, 8 external/other forces.
    pub inter: Option<u8>,
    /// For a perpetrator the report does not name itself but someone in it accuses: who
    /// alleges it, as the report names them ("John Kerry, Secretary of State"). An addition to
    /// the contract, absent when the report's own words attribute the event.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alleged_by: Vec<String>,
}

/// A casualty count in UCDP's low/best/high form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Count {
    /// The lowest reported figure (ACLED's rule).
    pub low: Option<u32>,
    /// The best estimate.
    pub best: Option<u32>,
    /// The highest reported figure.
    pub high: Option<u32>,
}

/// A span of text that supports an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Evidence {
    /// Char offset of the start.
    pub start: usize,
    /// Char offset after the end.
    pub end: usize,
}

/// One reported occurrence, coded as ACLED codes events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Event {
    /// One of ACLED's six event types, spelled as ACLED spells them.
    pub event_type: String,
    /// One of ACLED's 25 sub-event types.
    pub sub_event_type: Option<String>,
    /// The day (written `YYYY-MM-DD`).
    pub date: Option<NaiveDate>,
    /// The last day, when the report gives a range (written `YYYY-MM-DD`).
    pub date_end: Option<NaiveDate>,
    /// ACLED time precision: 1 day, 2 week, 3 month.
    pub time_precision: Option<u8>,
    /// Where it happened.
    pub location: Option<Location>,
    /// Who is said to have done it, and to whom.
    pub actors: Vec<Actor>,
    /// What was hit: `medical`, `education`, `religious`, `market`, `residential`, `aid`,
    /// `infrastructure`, `military`.
    pub target: Option<String>,
    /// People killed.
    pub fatalities: Option<Count>,
    /// Whether the report gives the death toll as an update of earlier figures ("the death toll
    /// has risen to 12"): a later report's update supersedes the lower figures reported before
    /// it. An addition to the original contract, written only when true.
    #[serde(default, skip_serializing_if = "is_false")]
    pub toll_update: bool,
    /// People injured.
    pub injured: Option<Count>,
    /// Whether civilians were the target.
    pub civilian_targeting: Option<bool>,
    /// The sentences that carry it.
    pub evidence: Vec<Evidence>,
    /// How sure the engine is, 0 to 1.
    pub confidence: f64,
    /// Who in the report alleges, confirms, denies or condemns it, and whom they accuse (an
    /// addition to the contract, absent when nobody does).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub claims: Vec<Claim>,
}

/// What one claimant says about an event: an allegation, a denial, a confirmation or a
/// condemnation, with the statement that carries it.
///
/// ```json
/// {"claimant": "John Kerry", "title": "Secretary of State", "organization": null,
///  "kind": "alleges", "accused": "Military Forces of Syria", "deliberate": true,
///  "statement": 4, "start": 1625, "end": 1793}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Claim {
    /// Who makes it: a person's full name or an organisation, as the statement names them.
    pub claimant: Option<String>,
    /// The claimant's title, when given.
    pub title: Option<String>,
    /// The claimant's organisation, when given.
    pub organization: Option<String>,
    /// What the claimant does: `alleges` (someone did it), `denies` (the accused did not),
    /// `confirms` (it happened, or the claimant's side did it), `condemns` (without saying who).
    pub kind: ClaimKind,
    /// The party accused (or whose involvement is denied or confirmed), ACLED-style.
    pub accused: Option<String>,
    /// Whether the claimant calls it deliberate ("a deliberate strike", "targeted").
    #[serde(default, skip_serializing_if = "is_false")]
    pub deliberate: bool,
    /// The index of the statement in the extraction's `statements` it comes from.
    pub statement: Option<usize>,
    /// Char offset of the claim's words (the statement, or the sentence that carries it).
    pub start: usize,
    /// Char offset after them.
    pub end: usize,
}

/// What a claim does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ClaimKind {
    /// Someone did it ("the Assad regime's record of striking such facilities").
    Alleges,
    /// The accused did not ("the ministry denied its aircraft struck the hospital").
    Denies,
    /// It happened, or the claimant's side did it ("claimed responsibility").
    Confirms,
    /// Condemned, without saying who did it.
    Condemns,
}

impl ClaimKind {
    /// The word used in the record.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Alleges => "alleges",
            Self::Denies => "denies",
            Self::Confirms => "confirms",
            Self::Condemns => "condemns",
        }
    }
}

/// Something an official or an organisation said.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Statement {
    /// Who said it (full name when known).
    pub speaker: Option<String>,
    /// Their title ("State Department spokesman").
    pub title: Option<String>,
    /// Their organisation.
    pub organization: Option<String>,
    /// The verb that introduces it ("said", "warned", "denied").
    pub cue: Option<String>,
    /// What was said.
    pub text: String,
    /// Whether it is a direct quotation.
    pub direct: bool,
    /// Char offset of the start of `text`.
    pub start: usize,
    /// Char offset after the end of `text`.
    pub end: usize,
    /// The stance toward the ceasefire where the words make it plain: `condemns`, `denies`,
    /// `calls_for_restraint`, `supports`, `accuses` (an addition to the contract).
    #[serde(default)]
    pub stance: Option<String>,
    /// What the statement is about when it is the ceasefire or the talks rather than an event:
    /// `ceasefire` ("the cease-fire is barely alive") or `talks` ("a fourth round next month"):
    /// the diplomatic track (an addition to the contract, absent otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
}

/// A round of negotiations or a meeting mentioned in a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Talk {
    /// What the text calls it ("the third round of proximity talks").
    pub name: String,
    /// The round's number, when given.
    pub ordinal: Option<u32>,
    /// Where.
    pub place: Option<String>,
    /// Who mediates or convenes.
    pub mediator: Option<String>,
    /// When it was held or is expected (`YYYY-MM-DD`, or `YYYY-MM` for "next month").
    pub date: Option<String>,
    /// `held`, `planned`, `postponed` or `conditional`.
    pub status: Option<String>,
    /// Char offset of the start of the mention.
    pub start: usize,
    /// Char offset after its end.
    pub end: usize,
}

fn is_false(b: &bool) -> bool {
    !*b
}

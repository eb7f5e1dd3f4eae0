//! Stored incidents, people's decisions about them, and the resolver's candidate search.

use chrono::{DateTime, Utc};
use truce_model::{EventRef, Incident};

/// One stored incident.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredIncident {
    /// Its id (stable across re-clustering as long as its first event stays in it).
    pub id: i64,
    /// The merged record.
    pub incident: Incident,
    /// When the resolver last wrote it.
    pub updated_at: DateTime<Utc>,
    /// Where its review stands.
    pub status: truce_model::ReviewStatus,
    /// Whether it was retracted (it stays on the record, marked; exports and counts leave it
    /// out).
    pub retracted: bool,
}

/// Whether an incident stands on the record: neither retracted nor discounted on review. What
/// the store's counts leave out in SQL, and exports and reports in Rust.
pub fn stands(retracted: bool, status: truce_model::ReviewStatus) -> bool {
    !retracted && status != truce_model::ReviewStatus::Discounted
}

impl StoredIncident {
    /// Whether it stands on the record ([`stands`]).
    pub fn stands(&self) -> bool {
        stands(self.retracted, self.status)
    }

    /// Its key in the newest-first order (`YYYY-MM-DD`, empty when undated; then its id): the
    /// [`IncidentQuery::before`] of the page after the one it ends.
    pub fn page_key(&self) -> (String, i64) {
        (
            self.incident
                .date
                .map(|d| d.to_string())
                .unwrap_or_default(),
            self.id,
        )
    }
}

/// An incident as a point on the map.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentPoint {
    /// Its id.
    pub id: i64,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// ACLED event type.
    pub event_type: String,
    /// Its date.
    pub date: Option<String>,
    /// The highest death toll reported.
    pub fatalities: Option<u32>,
    /// Its review status.
    pub status: String,
}

/// Incidents and deaths on one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentDay {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Incidents that day.
    pub incidents: u64,
    /// Deaths (each incident's low figure).
    pub fatalities: u64,
}

/// An incident for [`crate::Store::replace_incidents`] to write.
#[derive(Debug, Clone, PartialEq)]
pub struct NewIncident {
    /// The id to keep, when it replaces an incident it continues.
    pub id: Option<i64>,
    /// The merged record; its `sources` are its members.
    pub incident: Incident,
}

/// An area as a person names it, in each form the record may hold it ("ariha" is the record's
/// "Arīḩā"; callers find the forms, in the gazetteer the record was geocoded with): an incident
/// is in the area when its country, its first-order area or its place is one of these. Empty
/// lists match nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AreaFilter {
    /// Country codes (`SY`).
    pub countries: Vec<String>,
    /// First-order areas as the record writes them (`Idlib`).
    pub admin1: Vec<String>,
    /// Places as the record writes them (`Arīḩā`).
    pub places: Vec<String>,
}

/// Which incidents to list (ascending by date, then id).
#[derive(Debug, Clone, Default)]
pub struct IncidentQuery {
    /// Only incidents on or after this date (`YYYY-MM-DD`).
    pub since: Option<String>,
    /// Only incidents on or before this date.
    pub until: Option<String>,
    /// Only incidents of this ACLED event type or sub-event type.
    pub event_type: Option<String>,
    /// Only incidents inside this box: south, north, west, east (degrees).
    pub bbox: Option<[f64; 4]>,
    /// Only incidents in this area: its country, first-order area or place is one of the
    /// filter's.
    pub area: Option<AreaFilter>,
    /// Only incidents blaming an actor whose name contains this (case-insensitive), or, when
    /// `perpetrator_names` holds any, one of those: the typed name's forms in the actor lexicon
    /// ("SAA" is "Military Forces of Syria").
    pub perpetrator: Option<String>,
    /// With `perpetrator`: the names it stands for, any of which an incident's actor may contain.
    pub perpetrator_names: Vec<String>,
    /// Only incidents that concern this party: blaming exactly this actor, or asking it for
    /// information in their case (a party's own view).
    pub concerning: Option<String>,
    /// Only incidents with this target type.
    pub target: Option<String>,
    /// Only incidents with this review status.
    pub status: Option<String>,
    /// Only incidents that name every word of this text (place, first-order area, country,
    /// types, target, perpetrators; any case, diacritics folded), among the 2,000 newest that
    /// do (a full-text index: the cost does not grow with the record). Text without a word
    /// finds nothing.
    pub text: Option<String>,
    /// With `text`: also incidents one of whose reports says its words (full-text search over
    /// the reports' titles and text, diacritics folded; the 2,000 newest such reports). Only
    /// for readers who may read the reports: for others it would tell what the withheld
    /// sources say.
    pub text_in_reports: bool,
    /// The public's view: every filter runs over what is published only. The box matches the
    /// coordinates rounded to a tenth of a degree (as shown), so that filtering cannot recover
    /// the exact point; the text matches the published fields (place, area, country, kinds,
    /// target, perpetrators), never the reports.
    pub published_only: bool,
    /// Newest first (by date, then id), instead of oldest first.
    pub newest_first: bool,
    /// With `newest_first`: only incidents before this (date, id) key, the last of the
    /// previous page.
    pub before: Option<(String, i64)>,
    /// Skip this many (for pages).
    pub offset: Option<u32>,
    /// At most this many (default 1000).
    pub limit: Option<u32>,
}

/// What a person decided about two events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DecisionKind {
    /// The same occurrence.
    Together,
    /// Different occurrences.
    Apart,
}

impl DecisionKind {
    /// Its stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Together => "together",
            Self::Apart => "apart",
        }
    }
}

/// A person's decision about a pair of events.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// Together or apart.
    pub kind: DecisionKind,
    /// The smaller event of the pair.
    pub a: EventRef,
    /// The larger.
    pub b: EventRef,
    /// Who decided.
    pub decided_by: String,
    /// When.
    pub decided_at: DateTime<Utc>,
    /// Why, in their words.
    pub note: Option<String>,
}

/// Where the resolver looks for events that may tell the same occurrence as one it is placing:
/// a superset, which the resolver's rules then narrow.
#[derive(Debug, Clone, PartialEq)]
pub struct NearQuery {
    /// Events whose dates (or, undated, whose report's date) reach this day or later.
    pub from: String,
    /// ...and start on or before this day.
    pub to: String,
    /// The placed event's own days (first, last): a candidate is wanted only when the days it
    /// may have happened on (its date widened by its time precision: a day, three days each side
    /// for a week, its month) can meet them. `from`..`to` is the wider range the indexes read.
    pub window: (String, String),
    /// Events with coordinates inside this box: south, north, west, east.
    pub bbox: Option<[f64; 4]>,
    /// Events placed only by area (no coordinates, geo precision 3, or a town named like its
    /// first-order area) in this area (country, first-order area) or in the whole country.
    pub area: Option<(String, Option<String>)>,
    /// Whether every event of the area is wanted (of the whole country when the area has no
    /// first-order area), not only those placed by area.
    pub whole_area: bool,
    /// Events dated within these days (`from`, `to`) that name no place at all, which may be
    /// told of any placed event of those days.
    pub unplaced: Option<(String, String)>,
    /// Whether every event dated within `unplaced`'s days is wanted, placed or not (for an event
    /// that names no place itself).
    pub anywhere: bool,
    /// Only events of these types (every type when empty).
    pub event_types: Vec<String>,
}

/// An incident as a bulk reader (an export) takes it: its merged record left as the JSON text
/// the store holds, so that decoding it can be spread over threads, with its review status,
/// assessment and alerts beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentRecord {
    /// Its id.
    pub id: i64,
    /// The merged record, as JSON text; [`IncidentRecord::incident`] decodes it.
    pub record: String,
    /// When the resolver last wrote it (Unix seconds).
    pub updated_at: i64,
    /// Where its review stands.
    pub status: truce_model::ReviewStatus,
    /// Its verdict, if it was assessed.
    pub verdict: Option<truce_model::Verdict>,
    /// The agreement it was assessed against.
    pub agreement: Option<String>,
    /// That agreement's version.
    pub agreement_version: Option<i64>,
    /// The alerts raised on it, oldest first.
    pub alerts: Vec<crate::StoredAlert>,
    /// Whether it was retracted.
    pub retracted: bool,
}

impl IncidentRecord {
    /// Whether it stands on the record ([`stands`]): exports leave out the others unless asked
    /// for them.
    pub fn stands(&self) -> bool {
        stands(self.retracted, self.status)
    }
}

impl IncidentRecord {
    /// The merged record.
    pub fn incident(&self) -> Result<Incident, crate::StoreError> {
        serde_json::from_str(&self.record).map_err(|e| self.unreadable(e))
    }

    /// The error of a record that cannot be read, naming the incident.
    pub fn unreadable(&self, e: impl std::fmt::Display) -> crate::StoreError {
        crate::StoreError::Corrupt(format!(
            "incident {}: its stored record cannot be read: {e}",
            self.id
        ))
    }
}

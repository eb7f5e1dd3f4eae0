//! An incident: one occurrence, as told by every report that describes it.
//!
//! Incidents are what the resolver (`truce-cluster`) makes of events: each keeps its source
//! events and merges their fields by stated rules, so a reader sees both the merged record and
//! how far the sources agree.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::extraction::{Count, Location};

/// One source event of an incident: the document it was read from and its position in that
/// document's extraction record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventRef {
    /// The document's id.
    pub document: i64,
    /// The event's position among the document's events.
    pub ordinal: u32,
}

impl std::fmt::Display for EventRef {
    /// `12:0`: document 12, its first event. The form the CLI accepts back.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.document, self.ordinal)
    }
}

impl std::str::FromStr for EventRef {
    type Err = String;

    /// Parses `DOCUMENT:ORDINAL` (`12:0`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (doc, ord) = s.split_once(':').ok_or_else(|| {
            format!("{s:?} is not an event reference (DOCUMENT:ORDINAL, e.g. 12:0)")
        })?;
        let document = doc
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|d| *d > 0)
            .ok_or_else(|| format!("{doc:?} is not a document id"))?;
        let ordinal = ord
            .trim()
            .parse::<u32>()
            .map_err(|_| format!("{ord:?} is not an event ordinal"))?;
        Ok(Self { document, ordinal })
    }
}

/// An alleged perpetrator and how many source events name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Attribution {
    /// ACLED-style actor name.
    pub name: String,
    /// How many source events name it as perpetrator.
    pub sources: u32,
    /// Its ACLED actor category code (1 state forces ... 8 external/other forces), as the
    /// extraction coded it (absent in records written before it was kept, and where no source
    /// coded it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inter: Option<u8>,
    /// The source events that name it (absent in records written before it was kept).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub named_by: Vec<EventRef>,
}

/// What the sources say of one party's part in an incident, side by side: who accuses it, who
/// denies it, who confirms it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartyClaims {
    /// The party, ACLED-style ("Military Forces of Syria").
    pub party: String,
    /// Claimants who allege it did it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accused_by: Vec<ClaimSource>,
    /// Claimants who deny it did it (the party itself, most often).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub denied_by: Vec<ClaimSource>,
    /// Claimants who confirm it did it (a claim of responsibility).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub confirmed_by: Vec<ClaimSource>,
}

/// One claimant's claim, with the source event whose report carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClaimSource {
    /// The source event (its report holds the statement). The API leaves it out for readers
    /// who may not read the sources.
    #[cfg_attr(feature = "openapi", schema(required = false))]
    pub source: EventRef,
    /// Who makes the claim.
    pub claimant: Option<String>,
    /// Their title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Whether they call it deliberate.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deliberate: bool,
}

impl ClaimSource {
    /// "John Kerry (Secretary of State)", or the claimant alone, or "unnamed".
    pub fn who(&self) -> String {
        match (&self.claimant, &self.title) {
            (Some(c), Some(t)) => format!("{c} ({t})"),
            (Some(c), None) => c.clone(),
            (None, Some(t)) => t.clone(),
            (None, None) => "unnamed".into(),
        }
    }
}

/// The source events that gave an incident's figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CountSources {
    /// The source of the lowest credible figure.
    pub low: Option<EventRef>,
    /// The source of the best figure (the latest update, or the lowest figure).
    pub best: Option<EventRef>,
    /// The source of the highest figure.
    pub high: Option<EventRef>,
}

/// The merged record of an incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Incident {
    /// ACLED event type (the most common among sources).
    pub event_type: String,
    /// ACLED sub-event type (the most common among sources that give one).
    pub sub_event_type: Option<String>,
    /// First day (written `YYYY-MM-DD`), from the most precise source.
    pub date: Option<NaiveDate>,
    /// Last day, for a range.
    pub date_end: Option<NaiveDate>,
    /// ACLED time precision of that date.
    pub time_precision: u8,
    /// The most precise place any source gives.
    pub location: Option<Location>,
    /// Deaths as a range over sources: `low` is the lowest figure a source gives (ACLED's
    /// conservative rule, also kept as `best`), `high` the highest.
    pub fatalities: Option<Count>,
    /// Which source gave each figure of the death toll (absent in records written before it was
    /// kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fatalities_from: Option<CountSources>,
    /// Injured, as a range over sources.
    pub injured: Option<Count>,
    /// Every alleged perpetrator, most-named first.
    pub perpetrators: Vec<Attribution>,
    /// What was hit, when a source says.
    pub target: Option<String>,
    /// Whether any source says civilians were targeted.
    pub civilian_targeting: Option<bool>,
    /// The earliest report's publication date.
    pub first_reported: Option<NaiveDate>,
    /// The latest report's publication date.
    pub last_reported: Option<NaiveDate>,
    /// Every source event, in document order. The API leaves it out for the public.
    #[cfg_attr(feature = "openapi", schema(required = false))]
    pub sources: Vec<EventRef>,
    /// For each party accused, denied or confirmed by a claimant in the sources, who says what
    /// (absent when no source carries a claim).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub claims: Vec<PartyClaims>,
}

impl Incident {
    /// The ids of its source documents, each once, in order (its sources are in document order).
    pub fn documents(&self) -> Vec<i64> {
        let mut documents: Vec<i64> = self.sources.iter().map(|s| s.document).collect();
        documents.dedup();
        documents
    }
}

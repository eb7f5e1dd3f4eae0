//! Events of other datasets (ACLED, UCDP GED) as truce reads them: imported beside truce's own
//! record, never mixed with it, to compare the two.

use serde::{Deserialize, Serialize};

/// An event from another dataset, in the terms both share.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExternalRecord {
    /// Its id in that dataset (`event_id_cnty`, or UCDP's `id`).
    pub id: String,
    /// Its day, `YYYY-MM-DD` (`event_date`, or UCDP's `date_start`).
    pub date: String,
    /// ACLED event type (today's names; UCDP's `type_of_violence` read as 3 violence against
    /// civilians, else battles).
    pub event_type: String,
    /// ACLED sub-event type, when given (or said by an old event type's name).
    pub sub_event_type: Option<String>,
    /// Place name.
    pub location: String,
    /// Province.
    pub admin1: Option<String>,
    /// ISO alpha-2 of the country.
    pub country: Option<String>,
    /// Latitude.
    pub lat: Option<f64>,
    /// Longitude.
    pub lon: Option<f64>,
    /// Deaths (ACLED's `fatalities`, UCDP's `best`).
    pub fatalities: u32,
    /// The first actor (`actor1`, `side_a`).
    pub actor: Option<String>,
    /// The second actor (`actor2`, `side_b`).
    pub actor2: Option<String>,
    /// ACLED's category code of the first actor (1 state forces ... 8 external/other).
    pub inter1: Option<u8>,
    /// ACLED's category code of the second actor.
    pub inter2: Option<u8>,
    /// UCDP's type of violence (1 state-based, 2 non-state, 3 one-sided), for UCDP records.
    pub violence: Option<u8>,
    /// ACLED's geographic precision (1 the place, 2 near it, 3 a larger area); UCDP's
    /// `where_prec` read on ACLED's scale.
    pub geo_precision: Option<u8>,
    /// ACLED's time precision (1 the day, 2 the week, 3 the month); UCDP's `date_prec` read on
    /// ACLED's scale.
    pub time_precision: Option<u8>,
    /// What the dataset says happened (ACLED's `notes`, UCDP's `source_headline`).
    pub notes: Option<String>,
    /// Its line in the file (for messages).
    pub line: u64,
}

/// The datasets whose files truce reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Dataset {
    /// ACLED's event exports.
    Acled,
    /// UCDP's Georeferenced Event Dataset.
    Ucdp,
}

impl Dataset {
    /// Reads `acled` or `ucdp`.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "acled" => Some(Self::Acled),
            "ucdp" | "ged" | "ucdp-ged" => Some(Self::Ucdp),
            _ => None,
        }
    }

    /// `acled` or `ucdp`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Acled => "acled",
            Self::Ucdp => "ucdp",
        }
    }

    /// The dataset a file's header line is of: ACLED's has an `event_id_cnty` column, UCDP
    /// GED's a `type_of_violence` column (in any case).
    pub fn of_header(header: &str) -> Option<Self> {
        let lower = header.to_ascii_lowercase();
        let has = |name: &str| {
            lower
                .split([',', ';', '\t'])
                .any(|c| c.trim_start_matches('\u{feff}').trim().trim_matches('"') == name)
        };
        if has("event_id_cnty") {
            Some(Self::Acled)
        } else if has("type_of_violence") {
            Some(Self::Ucdp)
        } else {
            None
        }
    }
}

//! Corrections: what people change in an incident's merged record, and the record as corrected.
//!
//! The resolver merges an incident from its sources; a co-chair or monitor who knows better
//! corrects a field (the place, the date, a toll), or retracts the incident. A correction is kept
//! beside the incident and applied over every merge of it, so that a new report joining the
//! incident does not undo it: [`corrected`] gives the record as corrected, and the store keeps
//! that record, so that every reader (pages, API, exports, reports, counts, assessments) reads
//! the same corrected record.
//!
//! ```
//! use truce_model::correction::{Field, apply};
//! # use truce_model::Incident;
//! # let mut incident: Incident = serde_json::from_str(r#"{"event_type":"Battles",
//! #   "sub_event_type":"Armed clash","date":"2024-03-01","date_end":null,"time_precision":1,
//! #   "location":null,"fatalities":null,"injured":null,"perpetrators":[],"target":null,
//! #   "civilian_targeting":null,"first_reported":null,"last_reported":null,"sources":[]}"#).unwrap();
//! let value = Field::SubEventType.value("air/drone strike").unwrap();
//! apply(&mut incident, Field::SubEventType, &value);
//! assert_eq!(incident.event_type, "Explosions/Remote violence");
//! assert_eq!(incident.sub_event_type.as_deref(), Some("Air/drone strike"));
//! ```

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;

use crate::acled::{EventType, SubEvent};
use crate::extraction::{Count, Location};
use crate::incident::Incident;
use crate::target::TargetKind;

/// Whether a correction changes a field or withdraws the incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CorrectionKind {
    /// A field's value is corrected.
    Correction,
    /// The incident is retracted: it stays on the record, marked, and leaves exports and counts.
    Retraction,
}

impl CorrectionKind {
    /// Its stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Correction => "correction",
            Self::Retraction => "retraction",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "correction" => Some(Self::Correction),
            "retraction" => Some(Self::Retraction),
            _ => None,
        }
    }
}

/// A visible correction or retraction on an incident's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    /// Its id (0 before it is stored).
    pub id: i64,
    /// The incident.
    pub incident_id: i64,
    /// Correction or retraction.
    pub kind: CorrectionKind,
    /// The field corrected ([`Field::name`]).
    pub field: Option<String>,
    /// Its value before, as JSON text.
    pub old_value: Option<String>,
    /// Its value after, as JSON text ([`Field::value`]; a corrected place is a whole location).
    pub new_value: Option<String>,
    /// Why.
    pub reason: String,
    /// Who.
    pub corrected_by: String,
    /// When.
    pub corrected_at: DateTime<Utc>,
}

/// A field of an incident's record that people may correct.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// The ACLED event type (a sub-event type of another type is cleared).
    EventType,
    /// The ACLED sub-event type (its event type follows).
    SubEventType,
    /// The first day (a range ending before it ends there).
    Date,
    /// The place: a name the gazetteer places (or, without a gazetteer, a rename only).
    Place,
    /// The lowest death toll (also the best figure, ACLED's rule).
    FatalitiesLow,
    /// The highest death toll.
    FatalitiesHigh,
    /// The lowest count of injured.
    InjuredLow,
    /// The highest count of injured.
    InjuredHigh,
    /// What was hit.
    Target,
}

/// Why a correction cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CorrectionError {
    /// No such field.
    #[error("field: {0:?} is not one of {list}", list = Field::names().join(", "))]
    UnknownField(String),
    /// The value does not fit the field.
    #[error("{field}: {detail}")]
    Invalid {
        /// The field.
        field: &'static str,
        /// What is wrong.
        detail: String,
    },
}

impl Field {
    /// Every field, in the order forms list them.
    pub const ALL: [Field; 9] = [
        Self::EventType,
        Self::SubEventType,
        Self::Date,
        Self::Place,
        Self::FatalitiesLow,
        Self::FatalitiesHigh,
        Self::InjuredLow,
        Self::InjuredHigh,
        Self::Target,
    ];

    /// Its name: the dotted path of the record's JSON (`fatalities.low`, `location.name`).
    pub fn name(self) -> &'static str {
        match self {
            Self::EventType => "event_type",
            Self::SubEventType => "sub_event_type",
            Self::Date => "date",
            Self::Place => "location.name",
            Self::FatalitiesLow => "fatalities.low",
            Self::FatalitiesHigh => "fatalities.high",
            Self::InjuredLow => "injured.low",
            Self::InjuredHigh => "injured.high",
            Self::Target => "target",
        }
    }

    /// Every field's name.
    pub fn names() -> Vec<&'static str> {
        Self::ALL.iter().map(|f| f.name()).collect()
    }

    /// Parses a name (`UnknownField` otherwise).
    pub fn parse(s: &str) -> Result<Self, CorrectionError> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|f| f.name() == s)
            .ok_or_else(|| CorrectionError::UnknownField(s.to_string()))
    }

    /// A value as typed by a person, checked and written as the record writes it: ACLED's
    /// spelling of a type, a `YYYY-MM-DD` day, a count, a target kind; for the place, the name
    /// alone (`{"name": ...}`), which the caller replaces with the place the gazetteer finds.
    pub fn value(self, raw: &str) -> Result<Value, CorrectionError> {
        let raw = raw.trim();
        let invalid = |detail: String| CorrectionError::Invalid {
            field: self.name(),
            detail,
        };
        if raw.is_empty() {
            return Err(invalid("a value is needed".into()));
        }
        match self {
            Self::EventType => EventType::parse(raw)
                .map(|t| Value::from(t.name()))
                .ok_or_else(|| {
                    invalid(format!(
                        "{raw:?} is not an ACLED event type ({})",
                        EventType::ALL.map(EventType::name).join(", ")
                    ))
                }),
            Self::SubEventType => SubEvent::parse(raw)
                .map(|t| Value::from(t.name()))
                .ok_or_else(|| invalid(format!("{raw:?} is not an ACLED sub-event type"))),
            Self::Date => NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .map(|d| Value::from(d.to_string()))
                .map_err(|_| invalid(format!("{raw:?} is not a date (YYYY-MM-DD)"))),
            Self::Place => {
                if raw.chars().count() > 200 {
                    return Err(invalid("a place name is at most 200 characters".into()));
                }
                Ok(serde_json::json!({ "name": raw }))
            }
            Self::FatalitiesLow | Self::FatalitiesHigh | Self::InjuredLow | Self::InjuredHigh => {
                raw.parse::<u32>()
                    .ok()
                    .filter(|n| *n <= 1_000_000)
                    .map(Value::from)
                    .ok_or_else(|| invalid(format!("{raw:?} is not a count (0 to 1000000)")))
            }
            Self::Target => TargetKind::parse(raw)
                .map(|k| Value::from(k.name()))
                .ok_or_else(|| {
                    invalid(format!(
                        "{raw:?} is not a target kind ({})",
                        TargetKind::ALL.map(TargetKind::name).join(", ")
                    ))
                }),
        }
    }

    /// The field's value in a record, as JSON (what a correction replaces).
    pub fn current(self, incident: &Incident) -> Value {
        let count = |c: Option<Count>, low: bool| {
            c.and_then(|c| if low { c.low } else { c.high })
                .map_or(Value::Null, Value::from)
        };
        match self {
            Self::EventType => Value::from(incident.event_type.as_str()),
            Self::SubEventType => incident
                .sub_event_type
                .as_deref()
                .map_or(Value::Null, Value::from),
            Self::Date => incident
                .date
                .map_or(Value::Null, |d| Value::from(d.to_string())),
            Self::Place => incident
                .location
                .as_ref()
                .and_then(|l| serde_json::to_value(l).ok())
                .unwrap_or(Value::Null),
            Self::FatalitiesLow => count(incident.fatalities, true),
            Self::FatalitiesHigh => count(incident.fatalities, false),
            Self::InjuredLow => count(incident.injured, true),
            Self::InjuredHigh => count(incident.injured, false),
            Self::Target => incident.target.as_deref().map_or(Value::Null, Value::from),
        }
    }
}

/// Sets one field of a record to a value written by [`Field::value`] (or a whole location for
/// the place), keeping the record whole: a sub-event type brings its event type, an event type
/// clears a sub-event type of another, a day after the range's end ends the range, a low toll is
/// also the best figure and raises a high one below it, a high toll lowers a low one above it. A
/// value that does not fit the field (from a database written by hand) changes nothing; the
/// function says whether it changed the record.
pub fn apply(incident: &mut Incident, field: Field, value: &Value) -> bool {
    let text = value.as_str();
    let count = value.as_u64().and_then(|n| u32::try_from(n).ok());
    match field {
        Field::EventType => {
            let Some(t) = text.and_then(EventType::parse) else {
                return false;
            };
            incident.event_type = t.name().to_string();
            let other = incident
                .sub_event_type
                .as_deref()
                .and_then(SubEvent::parse)
                .is_some_and(|s| s.event_type() != t);
            if other {
                incident.sub_event_type = None;
            }
        }
        Field::SubEventType => {
            let Some(s) = text.and_then(SubEvent::parse) else {
                return false;
            };
            incident.sub_event_type = Some(s.name().to_string());
            incident.event_type = s.event_type().name().to_string();
        }
        Field::Date => {
            let Some(day) = text.and_then(|t| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok()) else {
                return false;
            };
            if incident.date_end.is_some_and(|end| end < day) {
                incident.date_end = None;
            }
            incident.date = Some(day);
            // A person states the day itself.
            incident.time_precision = 1;
        }
        Field::Place => match value {
            // A place the gazetteer found: the whole location.
            Value::Object(m) if m.contains_key("lat") => {
                let Ok(place) = serde_json::from_value::<Location>(value.clone()) else {
                    return false;
                };
                incident.location = Some(place);
            }
            // A name alone renames the place where it stands.
            _ => {
                let Some(name) = text.or_else(|| value.get("name").and_then(Value::as_str)) else {
                    return false;
                };
                match &mut incident.location {
                    Some(l) => l.name = name.to_string(),
                    None => {
                        incident.location = Some(Location {
                            name: name.to_string(),
                            geonameid: None,
                            lat: None,
                            lon: None,
                            country: None,
                            admin1: None,
                            admin2: None,
                            geo_precision: None,
                        });
                    }
                }
            }
        },
        Field::FatalitiesLow | Field::FatalitiesHigh | Field::InjuredLow | Field::InjuredHigh => {
            let Some(n) = count else { return false };
            let c = if matches!(field, Field::FatalitiesLow | Field::FatalitiesHigh) {
                &mut incident.fatalities
            } else {
                &mut incident.injured
            };
            let c = c.get_or_insert(Count {
                low: None,
                best: None,
                high: None,
            });
            if matches!(field, Field::FatalitiesLow | Field::InjuredLow) {
                c.low = Some(n);
                c.best = Some(n);
                if c.high.is_some_and(|h| h < n) {
                    c.high = Some(n);
                }
            } else {
                c.high = Some(n);
                if c.low.is_some_and(|l| l > n) {
                    c.low = Some(n);
                    c.best = Some(n);
                }
            }
        }
        Field::Target => {
            let Some(k) = text.and_then(TargetKind::parse) else {
                return false;
            };
            incident.target = Some(k.name().to_string());
        }
    }
    true
}

/// A stored value as JSON: JSON text, or (in records written before values were kept as JSON)
/// the text itself.
pub fn stored_value(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_string()))
}

/// A stored value as a person reads it: a place's name (never its point: the public reads
/// corrections), a number, a word, `-` for none.
pub fn shown(text: Option<&str>) -> String {
    let Some(text) = text else {
        return "-".into();
    };
    match stored_value(text) {
        Value::String(s) => s,
        Value::Object(m) => m
            .get("name")
            .and_then(Value::as_str)
            .map_or_else(|| "a place".to_string(), str::to_string),
        Value::Null => "-".into(),
        other => other.to_string(),
    }
}

/// The record as corrected: every correction applied in order (oldest first) over the merge.
/// Retractions do not change the record.
pub fn corrected(incident: &Incident, corrections: &[Correction]) -> Incident {
    let mut out = incident.clone();
    correct_in_place(&mut out, corrections);
    out
}

/// [`corrected`], in place; returns whether any correction changed a field.
pub fn correct_in_place(incident: &mut Incident, corrections: &[Correction]) -> bool {
    let mut changed = false;
    for c in corrections
        .iter()
        .filter(|c| c.kind == CorrectionKind::Correction)
    {
        let (Some(field), Some(value)) = (&c.field, &c.new_value) else {
            continue;
        };
        let Ok(field) = Field::parse(field) else {
            continue;
        };
        changed |= apply(incident, field, &stored_value(value));
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn incident() -> Incident {
        serde_json::from_value(serde_json::json!({
            "event_type": "Battles", "sub_event_type": "Armed clash",
            "date": "2024-03-01", "date_end": "2024-03-03", "time_precision": 2,
            "location": {"name": "Jericho", "geonameid": 282457, "lat": 31.86, "lon": 35.46,
                         "country": "PS", "admin1": "West Bank", "admin2": null, "geo_precision": 1},
            "fatalities": {"low": 3, "best": 3, "high": 9}, "injured": null,
            "perpetrators": [], "target": null, "civilian_targeting": null,
            "first_reported": null, "last_reported": null, "sources": []
        }))
        .unwrap()
    }

    fn correction(field: Field, value: Value) -> Correction {
        Correction {
            id: 1,
            incident_id: 1,
            kind: CorrectionKind::Correction,
            field: Some(field.name().into()),
            old_value: None,
            new_value: Some(value.to_string()),
            reason: "checked".into(),
            corrected_by: "chair".into(),
            corrected_at: Utc::now(),
        }
    }

    #[test]
    fn values_are_checked_and_spelled_as_the_record_spells_them() {
        assert_eq!(Field::parse("fatalities.low"), Ok(Field::FatalitiesLow));
        assert!(matches!(
            Field::parse("record.sources"),
            Err(CorrectionError::UnknownField(_))
        ));
        assert_eq!(
            Field::EventType.value("battles").unwrap(),
            Value::from("Battles")
        );
        assert!(Field::EventType.value("Airstrike").is_err());
        assert!(Field::Date.value("3 March").is_err());
        assert_eq!(Field::Date.value(" 2024-03-02 ").unwrap(), "2024-03-02");
        assert!(Field::FatalitiesLow.value("-1").is_err());
        assert!(Field::FatalitiesLow.value("many").is_err());
        assert!(Field::FatalitiesLow.value("").is_err());
        assert_eq!(Field::Target.value("Medical").unwrap(), "medical");
        assert!(Field::Target.value("hospital").is_err());
        for f in Field::ALL {
            assert_eq!(Field::parse(f.name()), Ok(f));
        }
    }

    #[test]
    fn a_correction_keeps_the_record_whole() {
        let mut i = incident();
        assert!(apply(
            &mut i,
            Field::SubEventType,
            &Field::SubEventType
                .value("Shelling/artillery/missile attack")
                .unwrap()
        ));
        assert_eq!(i.event_type, "Explosions/Remote violence");
        apply(&mut i, Field::EventType, &Value::from("Battles"));
        assert_eq!(
            i.sub_event_type, None,
            "a sub-event type of another type goes"
        );
        apply(&mut i, Field::Date, &Value::from("2024-03-05"));
        assert_eq!(
            (i.date, i.date_end, i.time_precision),
            ("2024-03-05".parse().ok(), None, 1)
        );
        apply(&mut i, Field::FatalitiesLow, &Value::from(12));
        let f = i.fatalities.unwrap();
        assert_eq!(
            (f.low, f.best, f.high),
            (Some(12), Some(12), Some(12)),
            "the high follows"
        );
        apply(&mut i, Field::FatalitiesHigh, &Value::from(2));
        let f = i.fatalities.unwrap();
        assert_eq!(
            (f.low, f.best, f.high),
            (Some(2), Some(2), Some(2)),
            "the low follows"
        );
        assert!(!apply(&mut i, Field::FatalitiesLow, &Value::from("x")));
    }

    #[test]
    fn a_place_found_by_the_gazetteer_moves_the_incident_and_a_name_alone_renames_it() {
        let mut i = incident();
        let ariha = serde_json::json!({"name": "Arīḩā", "geonameid": 172515, "lat": 35.81,
            "lon": 36.61, "country": "SY", "admin1": "Idlib", "admin2": null, "geo_precision": 1});
        let fixed = corrected(&i, &[correction(Field::Place, ariha)]);
        let l = fixed.location.unwrap();
        assert_eq!(
            (l.name.as_str(), l.lat, l.country.as_deref()),
            ("Arīḩā", Some(35.81), Some("SY"))
        );
        apply(&mut i, Field::Place, &Value::from("Ariha"));
        let l = i.location.unwrap();
        assert_eq!((l.name.as_str(), l.lat), ("Ariha", Some(31.86)));
    }

    #[test]
    fn legacy_values_stored_as_plain_text_still_apply() {
        let i = incident();
        let mut c = correction(Field::FatalitiesLow, Value::Null);
        c.new_value = Some("4".into());
        let mut t = correction(Field::Place, Value::Null);
        t.new_value = Some("Ariha".into());
        let fixed = corrected(&i, &[c, t]);
        assert_eq!(fixed.fatalities.unwrap().low, Some(4));
        assert_eq!(fixed.location.unwrap().name, "Ariha");
    }

    #[test]
    fn a_value_is_shown_without_a_place_s_point() {
        assert_eq!(shown(Some(r#"{"name":"Arīḩā","lat":35.81}"#)), "Arīḩā");
        assert_eq!(shown(Some("12")), "12");
        assert_eq!(shown(Some(r#""Battles""#)), "Battles");
        assert_eq!(shown(Some("null")), "-");
        assert_eq!(shown(None), "-");
        assert_eq!(shown(Some("Saraqib")), "Saraqib");
    }
}

//! The parts of an incident record the CSV and GeoJSON exports read, borrowed from the record's
//! JSON text wherever it holds no escapes: decoding a million records this way allocates almost
//! nothing, where decoding each into an owned [`Incident`] cost more than formatting it.

use std::borrow::Cow;

use serde::Deserialize;
use truce_model::{Count, Incident, PartyClaims};

/// An incident as the CSV and GeoJSON exports see it (the fields they write, nothing else).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct IncidentView<'a> {
    #[serde(borrow)]
    pub event_type: Cow<'a, str>,
    #[serde(borrow)]
    pub sub_event_type: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub date: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub date_end: Option<Cow<'a, str>>,
    pub time_precision: u8,
    #[serde(borrow)]
    pub location: Option<LocationView<'a>>,
    pub fatalities: Option<Count>,
    #[serde(borrow)]
    pub perpetrators: Vec<ActorView<'a>>,
    #[serde(borrow)]
    pub target: Option<Cow<'a, str>>,
    pub civilian_targeting: Option<bool>,
    #[serde(borrow)]
    pub first_reported: Option<Cow<'a, str>>,
    /// How many source events (the exports write the number, not the events).
    #[serde(deserialize_with = "count")]
    pub sources: usize,
    /// Who accuses and denies each party (owned: few incidents carry claims).
    #[serde(default)]
    pub claims: Vec<PartyClaims>,
}

/// Where, as the exports see it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct LocationView<'a> {
    #[serde(borrow)]
    pub name: Cow<'a, str>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    #[serde(borrow)]
    pub country: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub admin1: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub admin2: Option<Cow<'a, str>>,
    pub geo_precision: Option<u8>,
}

/// An alleged perpetrator, by name.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct ActorView<'a> {
    #[serde(borrow)]
    pub name: Cow<'a, str>,
    /// Its ACLED actor category code, where the record keeps it.
    #[serde(default)]
    pub inter: Option<u8>,
}

/// Counts the elements of a JSON array without keeping them.
fn count<'de, D: serde::Deserializer<'de>>(d: D) -> Result<usize, D::Error> {
    struct Counter;
    impl<'de> serde::de::Visitor<'de> for Counter {
        type Value = usize;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an array")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<usize, A::Error> {
            let mut n = 0;
            while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {
                n += 1;
            }
            Ok(n)
        }
    }
    d.deserialize_seq(Counter)
}

/// Borrows a text.
fn text(s: &str) -> Cow<'_, str> {
    Cow::Borrowed(s)
}

impl<'a> IncidentView<'a> {
    /// Reads a record's JSON text.
    pub fn parse(record: &'a str) -> serde_json::Result<Self> {
        serde_json::from_str(record)
    }

    /// Borrows a decoded incident.
    pub fn of(i: &'a Incident) -> Self {
        let opt = |s: &'a Option<String>| s.as_deref().map(text);
        IncidentView {
            event_type: text(&i.event_type),
            sub_event_type: opt(&i.sub_event_type),
            date: i.date.map(|d| Cow::Owned(d.to_string())),
            date_end: i.date_end.map(|d| Cow::Owned(d.to_string())),
            time_precision: i.time_precision,
            location: i.location.as_ref().map(|l| LocationView {
                name: text(&l.name),
                lat: l.lat,
                lon: l.lon,
                country: opt(&l.country),
                admin1: opt(&l.admin1),
                admin2: opt(&l.admin2),
                geo_precision: l.geo_precision,
            }),
            fatalities: i.fatalities,
            perpetrators: i
                .perpetrators
                .iter()
                .map(|p| ActorView {
                    name: text(&p.name),
                    inter: p.inter,
                })
                .collect(),
            target: opt(&i.target),
            civilian_targeting: i.civilian_targeting,
            first_reported: i.first_reported.map(|d| Cow::Owned(d.to_string())),
            sources: i.sources.len(),
            claims: i.claims.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use truce_model::{Attribution, EventRef, Location};

    #[test]
    fn a_record_reads_as_its_incident_borrowed_where_it_can_be() {
        let incident = Incident {
            event_type: "Explosions/Remote violence".into(),
            sub_event_type: Some("Air/drone strike".into()),
            date: "2025-05-14".parse().ok(),
            date_end: None,
            time_precision: 1,
            location: Some(Location {
                name: "Kafr \"Nabl\"\n".into(),
                geonameid: Some(170_000),
                lat: Some(35.61),
                lon: Some(36.56),
                country: Some("SY".into()),
                admin1: Some("Idlib".into()),
                admin2: None,
                geo_precision: Some(1),
            }),
            fatalities: Some(Count {
                low: Some(3),
                best: Some(3),
                high: Some(5),
            }),
            fatalities_from: None,
            injured: None,
            perpetrators: vec![Attribution {
                name: "Military Forces of Syria (2024-)".into(),
                sources: 2,
                inter: None,
                named_by: Vec::new(),
            }],
            target: Some("medical".into()),
            civilian_targeting: Some(true),
            first_reported: "2025-05-15".parse().ok(),
            last_reported: "2025-05-16".parse().ok(),
            sources: vec![
                EventRef {
                    document: 1,
                    ordinal: 0,
                },
                EventRef {
                    document: 2,
                    ordinal: 3,
                },
            ],
            claims: Vec::new(),
        };
        let record = serde_json::to_string(&incident).unwrap();
        let view = IncidentView::parse(&record).unwrap();
        assert_eq!(view, IncidentView::of(&incident));
        assert!(matches!(view.event_type, Cow::Borrowed(_)));
        let name = &view.location.as_ref().unwrap().name;
        assert!(matches!(name, Cow::Owned(_)), "escapes are decoded");
        assert_eq!(name, "Kafr \"Nabl\"\n");
        assert_eq!(view.sources, 2);
        assert!(IncidentView::parse("{\"event_type\": 3}").is_err());
        assert!(IncidentView::parse("").is_err());
    }
}

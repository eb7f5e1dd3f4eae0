//! What the resolver needs to know of an event.

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use truce_model::EventRef;

/// An event, reduced to what decides whether two reports tell the same occurrence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterEvent {
    /// Identity: document and position in the document's record.
    pub key: EventRef,
    /// ACLED event type.
    pub event_type: String,
    /// ACLED sub-event type.
    pub sub_event_type: Option<String>,
    /// First day.
    pub date: Option<NaiveDate>,
    /// Last day, for a range.
    pub date_end: Option<NaiveDate>,
    /// ACLED time precision (1 day, 2 week, 3 month).
    pub time_precision: u8,
    /// Latitude.
    pub lat: Option<f64>,
    /// Longitude.
    pub lon: Option<f64>,
    /// ACLED geo precision (1 town, 2 near a town or part of a region, 3 region or country).
    pub geo_precision: u8,
    /// The place's GeoNames id, when the gazetteer knows it.
    pub geonameid: Option<u32>,
    /// The place's name.
    pub place: Option<String>,
    /// ISO country code.
    pub country: Option<String>,
    /// First-order administrative area.
    pub admin1: Option<String>,
    /// Whether the place is a town named like its first-order area
    /// ([`truce_model::Location::names_its_area`]).
    pub area_named: bool,
    /// Target type.
    pub target: Option<String>,
    /// Lowest reported death toll.
    pub fatalities_low: Option<u32>,
    /// Highest reported death toll.
    pub fatalities_high: Option<u32>,
    /// Alleged perpetrators.
    pub perpetrators: Vec<String>,
    /// Every other non-civilian party named (targets of a battle, associated forces).
    pub parties: Vec<String>,
    /// When the report was published (or ingested).
    pub reported: Option<NaiveDate>,
}

impl ClusterEvent {
    /// Builds one from an extracted event and the publication date of its report.
    pub fn from_event(
        key: EventRef,
        event: &truce_model::Event,
        reported: Option<NaiveDate>,
    ) -> Self {
        let loc = event.location.as_ref();
        // The armed sides named: those said to have done it, or the others.
        let named = |perpetrators: bool| -> Vec<String> {
            let mut names: Vec<String> = event
                .actors
                .iter()
                .filter(|a| (a.role == truce_model::ActorRole::Perpetrator) == perpetrators)
                .filter(|a| a.inter != Some(7) && !a.name.starts_with("Civilians"))
                .map(|a| a.name.clone())
                .collect();
            names.sort();
            names.dedup();
            names
        };
        let date = event.date.or(reported);
        Self {
            key,
            event_type: event.event_type.clone(),
            sub_event_type: event.sub_event_type.clone(),
            date,
            date_end: event.date_end.filter(|e| date.is_some_and(|d| *e >= d)),
            time_precision: event.time_precision.unwrap_or(1).clamp(1, 3),
            lat: loc
                .and_then(|l| l.lat)
                .filter(|v| v.is_finite() && v.abs() <= 90.0),
            lon: loc
                .and_then(|l| l.lon)
                .filter(|v| v.is_finite() && v.abs() <= 180.0),
            geo_precision: loc.and_then(|l| l.geo_precision).unwrap_or(3).clamp(1, 3),
            geonameid: loc.and_then(|l| l.geonameid),
            place: loc.map(|l| l.name.clone()),
            country: loc.and_then(|l| l.country.clone()),
            admin1: loc.and_then(|l| l.admin1.clone()),
            area_named: loc.is_some_and(truce_model::Location::names_its_area),
            target: event.target.clone(),
            fatalities_low: event.fatalities.and_then(|f| f.low.or(f.best).or(f.high)),
            fatalities_high: event.fatalities.and_then(|f| f.high.or(f.best).or(f.low)),
            perpetrators: named(true),
            parties: named(false),
            reported,
        }
    }

    /// Whether the date only repeats the publication date: the report named no day, or named
    /// "today". Such a date may be a day late, so it is allowed to match the day before.
    pub fn date_is_publication(&self) -> bool {
        self.time_precision == 1 && self.date_end.is_none() && self.date == self.reported
    }

    /// The days the event may have happened on: its stated day or range, a week-precision date
    /// widened by three days each side, a month-precision date by its month, and a date that
    /// only repeats the publication date by the day before. `None` without a date.
    pub fn window(&self) -> Option<(NaiveDate, NaiveDate)> {
        let start = self.date?;
        let end = self.date_end.unwrap_or(start).max(start);
        let window = match self.time_precision {
            1 if self.date_is_publication() => (start - Duration::days(1), end),
            1 => (start, end),
            2 if self.date_end.is_none() => (start - Duration::days(3), end + Duration::days(3)),
            3 if self.date_end.is_none() => {
                let first = start.with_day(1).unwrap_or(start);
                let next = first
                    .checked_add_months(chrono::Months::new(1))
                    .unwrap_or(first);
                (first, next - Duration::days(1))
            }
            _ => (start, end),
        };
        // A range longer than three months tells nothing about which occurrence it is.
        (window.1 - window.0 <= Duration::days(92)).then_some(window)
    }

    /// Whether it names no place at all: neither coordinates nor a country.
    pub fn unplaced(&self) -> bool {
        self.point().is_none() && self.country.is_none()
    }

    /// Whether it has coordinates.
    pub fn point(&self) -> Option<(f64, f64)> {
        Some((self.lat?, self.lon?))
    }

    /// Whether its place is a town that shares its name with its first-order area (Aleppo,
    /// Idlib, Hama): reports use the name for either, so the event is placed by the area.
    pub fn names_its_area(&self) -> bool {
        self.area_named
    }

    /// The geo precision the rules use: an event without coordinates, or placed at a town named
    /// like its area ([`Self::names_its_area`]), is placed by its area only (3).
    pub fn precision(&self) -> u8 {
        if self.point().is_none() || self.names_its_area() {
            3
        } else {
            self.geo_precision
        }
    }

    /// How far (km) from its point a compatible event can be, when it is placed by a point
    /// (precision 1 or 2); `None` when it is placed by its area.
    pub fn reach_km(&self, config: &crate::ResolverConfig) -> Option<f64> {
        match self.precision() {
            1 => Some(config.same_place_km),
            2 => Some(config.near_km),
            _ => None,
        }
    }
}

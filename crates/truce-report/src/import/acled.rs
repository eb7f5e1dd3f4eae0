//! ACLED's CSV exports, from the releases with upper-case headers and nine event types to
//! today's.

use std::io::Read;

use truce_model::codebook::{self, ActorCategory};

use super::columns::{Column, code, count, field, number, open, refuse, text};
use super::day::DayReader;
use super::{ExternalRecord, ImportError};
use crate::codes;

/// An actor category in ACLED's numbers (older releases) or words (2024 on); 0 or nothing is
/// no actor.
fn category(
    line: u64,
    row: &csv::StringRecord,
    column: Option<&Column>,
) -> Result<Option<u8>, ImportError> {
    let t = field(row, column);
    if t.is_empty() || t == "0" {
        return Ok(None);
    }
    ActorCategory::parse(t)
        .map(|c| Some(c.code()))
        .ok_or_else(|| {
            refuse(
                line,
                column,
                format!("{t:?} is not one of ACLED's actor categories"),
            )
        })
}

/// Reads an ACLED CSV export (ACLED's column names in any case; other columns ignored).
pub fn read_acled<R: Read>(input: R) -> Result<Vec<ExternalRecord>, ImportError> {
    let (cols, rows) = open(input)?;
    let f = "ACLED";
    let id = cols.need(&["event_id_cnty"], f)?;
    let day = cols.need(&["event_date"], f)?;
    let kind = cols.need(&["event_type"], f)?;
    let year = cols.find(&["year"]);
    let find = |names: &[&str]| cols.find(names);
    let (sub, loc, admin1) = (
        find(&["sub_event_type"]),
        find(&["location"]),
        find(&["admin1"]),
    );
    let (iso, country) = (find(&["iso"]), find(&["country"]));
    let (lat, lon, dead) = (
        find(&["latitude"]),
        find(&["longitude"]),
        find(&["fatalities"]),
    );
    let (actor1, actor2, inter1, inter2) = (
        find(&["actor1"]),
        find(&["actor2"]),
        find(&["inter1"]),
        find(&["inter2"]),
    );
    let (geo, time, notes) = (
        find(&["geo_precision"]),
        find(&["time_precision"]),
        find(&["notes"]),
    );
    let mut days = DayReader::new(&day.name, year.as_ref().map(|c| c.name.as_str()));
    let mut out = Vec::new();
    for row in rows {
        let (line, row) = row?;
        days.push(line, field(&row, Some(&day)), field(&row, year.as_ref()))?;
        let kind_text = field(&row, Some(&kind));
        let (event_type, implied_sub) = codebook::acled_event_type(kind_text).ok_or_else(|| {
            refuse(
                line,
                Some(&kind),
                format!("{kind_text:?} is not one of ACLED's event types"),
            )
        })?;
        let numeric = field(&row, iso.as_ref()).parse::<u16>().ok();
        out.push(ExternalRecord {
            id: field(&row, Some(&id)).to_string(),
            date: String::new(),
            event_type: event_type.name().to_string(),
            sub_event_type: text(&row, sub.as_ref())
                .or_else(|| implied_sub.map(|s| s.name().to_string())),
            location: field(&row, loc.as_ref()).to_string(),
            admin1: text(&row, admin1.as_ref()),
            country: codes::country_by(numeric, field(&row, country.as_ref()))
                .map(|c| c.iso2.clone()),
            lat: number(line, &row, lat.as_ref())?,
            lon: number(line, &row, lon.as_ref())?,
            fatalities: count(line, &row, dead.as_ref())?,
            actor: text(&row, actor1.as_ref()),
            actor2: text(&row, actor2.as_ref()),
            inter1: category(line, &row, inter1.as_ref())?,
            inter2: category(line, &row, inter2.as_ref())?,
            violence: None,
            geo_precision: code(line, &row, geo.as_ref())?,
            time_precision: code(line, &row, time.as_ref())?,
            notes: text(&row, notes.as_ref()),
            line,
        });
    }
    for (record, day) in out.iter_mut().zip(days.finish()?) {
        record.date = day;
    }
    Ok(out)
}

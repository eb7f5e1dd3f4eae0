//! UCDP GED's CSV files, of any version (with or without `active_year` and `code_status`; the
//! early versions' `best_est`, `high_est`, `low_est`).

use std::io::Read;

use truce_model::codebook::{self, ViolenceType};

use super::columns::{code, count, field, number, open, refuse, text};
use super::day::DayReader;
use super::{ExternalRecord, ImportError};
use crate::codes;

/// Reads a UCDP GED CSV file (UCDP's column names in any case; other columns ignored).
pub fn read_ucdp<R: Read>(input: R) -> Result<Vec<ExternalRecord>, ImportError> {
    let (cols, rows) = open(input)?;
    let f = "UCDP GED";
    let id = cols.need(&["id", "ged_id"], f)?;
    let day = cols.need(&["date_start"], f)?;
    let kind = cols.need(&["type_of_violence"], f)?;
    let best = cols.need(&["best", "best_est"], f)?;
    let year = cols.find(&["year"]);
    let find = |names: &[&str]| cols.find(names);
    let (loc, admin1, country) = (
        find(&["where_coordinates"]),
        find(&["adm_1"]),
        find(&["country"]),
    );
    let (lat, lon, side_a, side_b) = (
        find(&["latitude"]),
        find(&["longitude"]),
        find(&["side_a"]),
        find(&["side_b"]),
    );
    let (where_prec, date_prec, headline) = (
        find(&["where_prec"]),
        find(&["date_prec"]),
        find(&["source_headline"]),
    );
    let mut days = DayReader::new(&day.name, year.as_ref().map(|c| c.name.as_str()));
    let mut out = Vec::new();
    for row in rows {
        let (line, row) = row?;
        days.push(line, field(&row, Some(&day)), field(&row, year.as_ref()))?;
        let violence = code(line, &row, Some(&kind))?
            .and_then(ViolenceType::from_code)
            .ok_or_else(|| {
                refuse(
                    line,
                    Some(&kind),
                    format!("{:?} is not 1, 2 or 3", field(&row, Some(&kind))),
                )
            })?;
        out.push(ExternalRecord {
            id: field(&row, Some(&id)).to_string(),
            date: String::new(),
            event_type: violence.event_type().name().to_string(),
            sub_event_type: None,
            location: field(&row, loc.as_ref()).to_string(),
            admin1: text(&row, admin1.as_ref()),
            country: codes::country_by(None, field(&row, country.as_ref())).map(|c| c.iso2.clone()),
            lat: number(line, &row, lat.as_ref())?,
            lon: number(line, &row, lon.as_ref())?,
            fatalities: count(line, &row, Some(&best))?,
            actor: text(&row, side_a.as_ref()),
            actor2: text(&row, side_b.as_ref()),
            inter1: None,
            inter2: None,
            violence: Some(violence.code()),
            geo_precision: code(line, &row, where_prec.as_ref())?
                .and_then(codebook::geo_precision_of_where_prec),
            time_precision: code(line, &row, date_prec.as_ref())?
                .and_then(codebook::time_precision_of_date_prec),
            notes: text(&row, headline.as_ref()),
            line,
        });
    }
    for (record, day) in out.iter_mut().zip(days.finish()?) {
        record.date = day;
    }
    Ok(out)
}

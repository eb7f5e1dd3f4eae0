//! ACLED and UCDP CSV files read back as records to compare with truce's.

use std::io::Read;

use serde::{Deserialize, Serialize};

use crate::codes;

/// An event from another dataset, in the terms both share.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExternalRecord {
    /// Its id in that dataset (`event_id_cnty`, or UCDP's `id`).
    pub id: String,
    /// Its day (`event_date`, or UCDP's `date_start`).
    pub date: String,
    /// ACLED event type (UCDP's `type_of_violence` mapped: 3 is violence against civilians,
    /// else battles).
    pub event_type: String,
    /// ACLED sub-event type, when given.
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
    /// The first row number in the file (for messages).
    pub line: u64,
}

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// Not CSV, or a header without the columns the format needs.
    #[error("{0}")]
    Format(String),
    /// A row that does not fit.
    #[error("line {line}: {problem}")]
    Row {
        /// The line.
        line: u64,
        /// What is wrong.
        problem: String,
    },
}

struct Columns {
    headers: csv::StringRecord,
}

impl Columns {
    fn find(&self, name: &str) -> Option<usize> {
        self.headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    }
    fn need(&self, name: &str, format: &str) -> Result<usize, ImportError> {
        self.find(name).ok_or_else(|| {
            ImportError::Format(format!(
                "not an {format} file: the header has no {name:?} column"
            ))
        })
    }
}

/// A row with its line number, or why it does not fit.
type CheckedRow = Result<(u64, csv::StringRecord), ImportError>;

/// The header's columns and the rows after it, each with its line number, checked to have as
/// many fields as the header.
fn open<R: Read>(input: R) -> Result<(Columns, impl Iterator<Item = CheckedRow>), ImportError> {
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .comment(Some(b'#'))
        .from_reader(input);
    let headers = r
        .headers()
        .map_err(|e| ImportError::Format(format!("not CSV: {e}")))?
        .clone();
    let width = headers.len();
    let rows = r.into_records().map(move |row| {
        let row = row.map_err(|e| ImportError::Format(format!("not CSV: {e}")))?;
        let line = row.position().map_or(0, |p| p.line());
        if row.len() != width {
            return Err(ImportError::Row {
                line,
                problem: format!("{} fields where the header has {width}", row.len()),
            });
        }
        Ok((line, row))
    });
    Ok((Columns { headers }, rows))
}

fn field(row: &csv::StringRecord, c: Option<usize>) -> &str {
    c.and_then(|c| row.get(c)).map(str::trim).unwrap_or("")
}

fn number(line: u64, what: &str, text: &str) -> Result<Option<f64>, ImportError> {
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .map(Some)
        .ok_or_else(|| ImportError::Row {
            line,
            problem: format!("{what} {text:?} is not a number"),
        })
}

fn date(line: u64, text: &str) -> Result<String, ImportError> {
    // ACLED writes ISO dates in its API exports and "12 March 2026" in some downloads.
    for f in ["%Y-%m-%d", "%d %B %Y", "%Y-%m-%d %H:%M:%S%.f"] {
        if let Ok(d) = chrono::NaiveDate::parse_from_str(text.trim(), f) {
            return Ok(d.to_string());
        }
    }
    Err(ImportError::Row {
        line,
        problem: format!("{text:?} is not a date"),
    })
}

fn none_if_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

/// Reads an ACLED CSV export (ACLED's column names; other columns ignored).
pub fn read_acled<R: Read>(input: R) -> Result<Vec<ExternalRecord>, ImportError> {
    let (cols, rows) = open(input)?;
    let f = "ACLED";
    let (id, day, kind) = (
        cols.need("event_id_cnty", f)?,
        cols.need("event_date", f)?,
        cols.need("event_type", f)?,
    );
    let (sub, loc, admin1, iso, country) = (
        cols.find("sub_event_type"),
        cols.find("location"),
        cols.find("admin1"),
        cols.find("iso"),
        cols.find("country"),
    );
    let (lat, lon, dead, actor) = (
        cols.find("latitude"),
        cols.find("longitude"),
        cols.find("fatalities"),
        cols.find("actor1"),
    );
    let mut out = Vec::new();
    for row in rows {
        let (line, row) = row?;
        let numeric = field(&row, iso).parse::<u16>().ok();
        out.push(ExternalRecord {
            id: field(&row, Some(id)).to_string(),
            date: date(line, field(&row, Some(day)))?,
            event_type: field(&row, Some(kind)).to_string(),
            sub_event_type: none_if_empty(field(&row, sub)),
            location: field(&row, loc).to_string(),
            admin1: none_if_empty(field(&row, admin1)),
            country: codes::country_by(numeric, field(&row, country)).map(|c| c.iso2.clone()),
            lat: number(line, "latitude", field(&row, lat))?,
            lon: number(line, "longitude", field(&row, lon))?,
            fatalities: number(line, "fatalities", field(&row, dead))?
                .unwrap_or(0.0)
                .max(0.0) as u32,
            actor: none_if_empty(field(&row, actor)),
            line,
        });
    }
    Ok(out)
}

/// Reads a UCDP GED CSV file (UCDP's column names; other columns ignored).
pub fn read_ucdp<R: Read>(input: R) -> Result<Vec<ExternalRecord>, ImportError> {
    let (cols, rows) = open(input)?;
    let f = "UCDP GED";
    let (id, day, kind, best) = (
        cols.need("id", f)?,
        cols.need("date_start", f)?,
        cols.need("type_of_violence", f)?,
        cols.need("best", f)?,
    );
    let (loc, admin1, country, lat, lon, side_a) = (
        cols.find("where_coordinates"),
        cols.find("adm_1"),
        cols.find("country"),
        cols.find("latitude"),
        cols.find("longitude"),
        cols.find("side_a"),
    );
    let mut out = Vec::new();
    for row in rows {
        let (line, row) = row?;
        let event_type = match field(&row, Some(kind)) {
            "3" => "Violence against civilians",
            "1" | "2" => "Battles",
            other => {
                return Err(ImportError::Row {
                    line,
                    problem: format!("type_of_violence {other:?} is not 1, 2 or 3"),
                });
            }
        };
        out.push(ExternalRecord {
            id: field(&row, Some(id)).to_string(),
            date: date(line, field(&row, Some(day)))?,
            event_type: event_type.into(),
            sub_event_type: None,
            location: field(&row, loc).to_string(),
            admin1: none_if_empty(field(&row, admin1)),
            country: codes::country_by(None, field(&row, country)).map(|c| c.iso2.clone()),
            lat: number(line, "latitude", field(&row, lat))?,
            lon: number(line, "longitude", field(&row, lon))?,
            fatalities: number(line, "best", field(&row, Some(best)))?
                .unwrap_or(0.0)
                .max(0.0) as u32,
            actor: none_if_empty(field(&row, side_a)),
            line,
        });
    }
    Ok(out)
}

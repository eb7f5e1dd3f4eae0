//! Streaming exports: one incident at a time in, one row or feature out, so that a million
//! incidents take flat memory.

use std::io::Write;

use serde::{Deserialize, Serialize};
use truce_model::Incident;

use crate::codes;

/// The formats `truce export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExportFormat {
    /// ACLED's CSV columns and codes.
    AcledCsv,
    /// UCDP GED's CSV columns and codes.
    UcdpCsv,
    /// A GeoJSON FeatureCollection of points.
    Geojson,
    /// One JSON object a line: the incident, its assessment and alerts.
    Jsonl,
}

impl ExportFormat {
    /// Reads `acled-csv`, `ucdp-csv`, `geojson`, `jsonl`.
    pub fn parse(s: &str) -> Option<ExportFormat> {
        Some(match s {
            "acled-csv" => ExportFormat::AcledCsv,
            "ucdp-csv" => ExportFormat::UcdpCsv,
            "geojson" => ExportFormat::Geojson,
            "jsonl" => ExportFormat::Jsonl,
            _ => return None,
        })
    }

    /// The name [`ExportFormat::parse`] reads.
    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::AcledCsv => "acled-csv",
            ExportFormat::UcdpCsv => "ucdp-csv",
            ExportFormat::Geojson => "geojson",
            ExportFormat::Jsonl => "jsonl",
        }
    }
}

/// ACLED's columns, in ACLED's order.
pub const ACLED_COLUMNS: [&str; 31] = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
];

/// UCDP GED's columns, in UCDP's order.
pub const UCDP_COLUMNS: [&str; 49] = [
    "id",
    "relid",
    "year",
    "active_year",
    "code_status",
    "type_of_violence",
    "conflict_dset_id",
    "conflict_new_id",
    "conflict_name",
    "dyad_dset_id",
    "dyad_new_id",
    "dyad_name",
    "side_a_dset_id",
    "side_a_new_id",
    "side_a",
    "side_b_dset_id",
    "side_b_new_id",
    "side_b",
    "number_of_sources",
    "source_article",
    "source_office",
    "source_date",
    "source_headline",
    "source_original",
    "where_prec",
    "where_coordinates",
    "where_description",
    "adm_1",
    "adm_2",
    "latitude",
    "longitude",
    "geom_wkt",
    "priogrid_gid",
    "country",
    "country_id",
    "region",
    "event_clarity",
    "date_prec",
    "date_start",
    "date_end",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "best",
    "high",
    "low",
    "gwnoa",
    "gwnob",
];

/// One incident with what monitoring says of it.
#[derive(Debug, Clone, Serialize)]
pub struct ExportRow<'a> {
    /// Its id.
    pub id: i64,
    /// The merged record.
    pub incident: &'a Incident,
    /// Its review status.
    pub status: &'a str,
    /// Its verdict, if assessed.
    pub verdict: Option<&'a str>,
    /// The agreement and version it was assessed against (`Name v2`).
    pub agreement: Option<&'a str>,
    /// The labels of its alerts.
    pub alerts: &'a [String],
    /// When the resolver last wrote it (Unix seconds).
    pub updated: i64,
}

/// What an export says about itself (written beside it, `FILE.meta.json`, or to standard error).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportMeta {
    /// `truce 0.1.0`.
    pub producer: String,
    /// The format.
    pub format: String,
    /// The agreements (name and version) assessments used.
    pub agreements: Vec<String>,
    /// The health index definition in force.
    pub health_definition: String,
    /// Only incidents on or after this day.
    pub since: Option<String>,
    /// When.
    pub exported_at: String,
    /// Incidents written.
    pub rows: u64,
}

/// Writes one format to a writer, an incident at a time.
pub struct Exporter<W: Write> {
    format: ExportFormat,
    csv: Option<csv::Writer<W>>,
    plain: Option<W>,
    rows: u64,
}

fn num(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.6}")).unwrap_or_default()
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

impl<W: Write> Exporter<W> {
    /// Starts an export (writes the CSV header or GeoJSON opening).
    pub fn new(format: ExportFormat, out: W) -> std::io::Result<Self> {
        let mut e = Exporter {
            format,
            csv: None,
            plain: None,
            rows: 0,
        };
        match format {
            ExportFormat::AcledCsv | ExportFormat::UcdpCsv => {
                let mut w = csv::WriterBuilder::new()
                    .buffer_capacity(1 << 16)
                    .from_writer(out);
                let header: &[&str] = if format == ExportFormat::AcledCsv {
                    &ACLED_COLUMNS
                } else {
                    &UCDP_COLUMNS
                };
                w.write_record(header).map_err(std::io::Error::other)?;
                e.csv = Some(w);
            }
            ExportFormat::Geojson => {
                let mut out = out;
                out.write_all(b"{\"type\":\"FeatureCollection\",\"features\":[\n")?;
                e.plain = Some(out);
            }
            ExportFormat::Jsonl => e.plain = Some(out),
        }
        Ok(e)
    }

    /// Writes one incident.
    pub fn write(&mut self, row: &ExportRow<'_>) -> std::io::Result<()> {
        let i = row.incident;
        match self.format {
            ExportFormat::AcledCsv => {
                let record = acled_record(row);
                self.csv_writer()?
                    .write_record(&record)
                    .map_err(std::io::Error::other)?;
            }
            ExportFormat::UcdpCsv => {
                let record = ucdp_record(row);
                self.csv_writer()?
                    .write_record(&record)
                    .map_err(std::io::Error::other)?;
            }
            ExportFormat::Geojson => {
                let loc = i.location.as_ref();
                let geometry = match loc.and_then(|l| Some((l.lat?, l.lon?))) {
                    Some((lat, lon)) => {
                        serde_json::json!({"type": "Point", "coordinates": [lon, lat]})
                    }
                    None => serde_json::Value::Null,
                };
                let feature = serde_json::json!({
                    "type": "Feature",
                    "id": row.id,
                    "geometry": geometry,
                    "properties": {
                        "id": row.id,
                        "date": i.date,
                        "event_type": i.event_type,
                        "sub_event_type": i.sub_event_type,
                        "location": loc.map(|l| &l.name),
                        "country": loc.and_then(|l| l.country.as_ref()),
                        "admin1": loc.and_then(|l| l.admin1.as_ref()),
                        "fatalities_low": i.fatalities.and_then(|f| f.low),
                        "fatalities_high": i.fatalities.and_then(|f| f.high),
                        "perpetrators": i.perpetrators.iter().map(|p| &p.name).collect::<Vec<_>>(),
                        "target": i.target,
                        "sources": i.sources.len(),
                        "status": row.status,
                        "verdict": row.verdict,
                        "agreement": row.agreement,
                        "alerts": row.alerts,
                    }
                });
                let first = self.rows == 0;
                let out = self.plain_writer()?;
                if !first {
                    out.write_all(b",\n")?;
                }
                serde_json::to_writer(&mut *out, &feature)?;
            }
            ExportFormat::Jsonl => {
                let out = self.plain_writer()?;
                serde_json::to_writer(&mut *out, row)?;
                out.write_all(b"\n")?;
            }
        }
        self.rows += 1;
        Ok(())
    }

    fn csv_writer(&mut self) -> std::io::Result<&mut csv::Writer<W>> {
        self.csv
            .as_mut()
            .ok_or_else(|| std::io::Error::other("not a CSV export"))
    }

    fn plain_writer(&mut self) -> std::io::Result<&mut W> {
        self.plain
            .as_mut()
            .ok_or_else(|| std::io::Error::other("not a JSON export"))
    }

    /// Ends the export (closes the GeoJSON, flushes) and says how many incidents it wrote.
    pub fn finish(mut self) -> std::io::Result<u64> {
        if let Some(mut w) = self.csv.take() {
            w.flush()?;
        }
        if let Some(mut out) = self.plain.take() {
            if self.format == ExportFormat::Geojson {
                out.write_all(b"\n]}\n")?;
            }
            out.flush()?;
        }
        Ok(self.rows)
    }
}

fn notes(row: &ExportRow<'_>) -> String {
    let i = row.incident;
    let place = i
        .location
        .as_ref()
        .map_or("an unknown place".to_string(), |l| l.name.clone());
    let mut s = format!(
        "On {}, {} in {place}",
        i.date.as_deref().unwrap_or("an unknown date"),
        i.sub_event_type
            .as_deref()
            .unwrap_or(&i.event_type)
            .to_lowercase()
    );
    if let Some(t) = &i.target {
        s.push_str(&format!(" (target: {t})"));
    }
    if !i.perpetrators.is_empty() {
        s.push_str(&format!(
            ", attributed to {}",
            i.perpetrators
                .iter()
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>()
                .join(" and ")
        ));
    }
    match i.fatalities {
        Some(f) if f.low != f.high => {
            s.push_str(&format!("; {} to {} killed", opt(f.low), opt(f.high)))
        }
        Some(f) => s.push_str(&format!("; {} killed", opt(f.low))),
        None => {}
    }
    s.push_str(&format!(". [truce incident {}]", row.id));
    s
}

fn tags(row: &ExportRow<'_>) -> String {
    let mut t: Vec<String> = Vec::new();
    if let Some(v) = row.verdict {
        t.push(format!("truce: {v}"));
    }
    t.extend(row.alerts.iter().cloned());
    t.join("; ")
}

fn acled_record(row: &ExportRow<'_>) -> Vec<String> {
    let i = row.incident;
    let loc = i.location.as_ref();
    let iso2 = loc.and_then(|l| l.country.as_deref()).unwrap_or("");
    let country = codes::country(iso2);
    let actor1 = i
        .perpetrators
        .first()
        .map(|p| p.name.clone())
        .unwrap_or_default();
    let assoc = i
        .perpetrators
        .iter()
        .skip(1)
        .map(|p| p.name.as_str())
        .collect::<Vec<_>>()
        .join("; ");
    let actor2 = if i.civilian_targeting == Some(true) {
        format!("Civilians ({})", country.map_or("", |c| c.name.as_str()))
    } else {
        String::new()
    };
    let inter1 = codes::acled_inter(&actor1, Some(iso2));
    let inter2 = codes::acled_inter(&actor2, Some(iso2));
    let interaction = match (inter1, inter2) {
        (0, 0) => String::new(),
        (a, 0) => format!("{a}0"),
        (a, b) => format!("{}{}", a.min(b), a.max(b)),
    };
    let year = i.date.as_deref().and_then(|d| d.get(..4)).unwrap_or("");
    vec![
        format!("{}{}", country.map_or("XXX", |c| c.iso3.as_str()), row.id),
        i.date.clone().unwrap_or_default(),
        year.to_string(),
        i.time_precision.to_string(),
        codes::acled_disorder(&i.event_type).to_string(),
        i.event_type.clone(),
        i.sub_event_type.clone().unwrap_or_default(),
        actor1,
        assoc,
        if inter1 == 0 {
            String::new()
        } else {
            inter1.to_string()
        },
        actor2,
        String::new(),
        if inter2 == 0 {
            String::new()
        } else {
            inter2.to_string()
        },
        interaction,
        if i.civilian_targeting == Some(true) {
            "Civilian targeting".into()
        } else {
            String::new()
        },
        country.map(|c| c.numeric.to_string()).unwrap_or_default(),
        codes::acled_region(iso2).to_string(),
        country.map(|c| c.name.clone()).unwrap_or_default(),
        opt(loc.and_then(|l| l.admin1.clone())),
        opt(loc.and_then(|l| l.admin2.clone())),
        String::new(),
        opt(loc.map(|l| l.name.clone())),
        num(loc.and_then(|l| l.lat)),
        num(loc.and_then(|l| l.lon)),
        opt(loc.and_then(|l| l.geo_precision)),
        format!("truce ({} reports)", i.sources.len()),
        "Other".into(),
        notes(row),
        i.fatalities.and_then(|f| f.low).unwrap_or(0).to_string(),
        tags(row),
        row.updated.to_string(),
    ]
}

fn ucdp_record(row: &ExportRow<'_>) -> Vec<String> {
    let i = row.incident;
    let loc = i.location.as_ref();
    let iso2 = loc.and_then(|l| l.country.as_deref()).unwrap_or("");
    let country = codes::country(iso2);
    let side_a = i
        .perpetrators
        .first()
        .map(|p| p.name.clone())
        .unwrap_or_default();
    let one_sided =
        i.event_type == "Violence against civilians" || i.civilian_targeting == Some(true);
    let state = codes::acled_inter(&side_a, Some(iso2)) == 1;
    // UCDP: 1 state-based, 2 non-state, 3 one-sided violence.
    let kind = if one_sided {
        3
    } else if state {
        1
    } else {
        2
    };
    let side_b = if one_sided {
        "Civilians".to_string()
    } else {
        String::new()
    };
    let (lat, lon) = (loc.and_then(|l| l.lat), loc.and_then(|l| l.lon));
    // UCDP's where_prec: 1 exact place, 2 within 25 km, 3 second-order area, 4 first-order area,
    // 6 country.
    let where_prec = match loc.and_then(|l| l.geo_precision) {
        Some(1) => "1",
        Some(2) => "2",
        Some(3) => "4",
        Some(_) => "6",
        None => "",
    };
    // UCDP's date_prec: 1 exact day, 2 two to six days, 3 a week, 4 a month, 5 a year.
    let date_prec = match i.time_precision {
        1 => "1",
        2 => "3",
        3 => "4",
        _ => "5",
    };
    let f = i.fatalities;
    let best = f.and_then(|f| f.best.or(f.low)).unwrap_or(0);
    let year = i.date.as_deref().and_then(|d| d.get(..4)).unwrap_or("");
    vec![
        row.id.to_string(),
        format!("TRUCE-{}", row.id),
        year.to_string(),
        String::new(),
        "Clear".into(),
        kind.to_string(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        if side_b.is_empty() {
            side_a.clone()
        } else {
            format!("{side_a} - {side_b}")
        },
        String::new(),
        String::new(),
        side_a,
        String::new(),
        String::new(),
        side_b,
        i.sources.len().to_string(),
        String::new(),
        String::new(),
        i.first_reported.clone().unwrap_or_default(),
        String::new(),
        String::new(),
        where_prec.into(),
        opt(loc.map(|l| l.name.clone())),
        notes(row),
        opt(loc.and_then(|l| l.admin1.clone())),
        opt(loc.and_then(|l| l.admin2.clone())),
        num(lat),
        num(lon),
        match (lat, lon) {
            (Some(lat), Some(lon)) => format!("POINT ({lon:.6} {lat:.6})"),
            _ => String::new(),
        },
        match (lat, lon) {
            (Some(lat), Some(lon)) => codes::priogrid(lat, lon).to_string(),
            _ => String::new(),
        },
        country.map(|c| c.name.clone()).unwrap_or_default(),
        String::new(),
        match codes::acled_region(iso2) {
            "Middle East" => "Middle East".into(),
            "Europe" => "Europe".into(),
            r if r.contains("Africa") => "Africa".into(),
            r if r.contains("Asia") => "Asia".into(),
            _ => String::new(),
        },
        "1".into(),
        date_prec.into(),
        i.date.clone().unwrap_or_default(),
        i.date_end
            .clone()
            .or_else(|| i.date.clone())
            .unwrap_or_default(),
        "0".into(),
        "0".into(),
        if one_sided {
            best.to_string()
        } else {
            "0".into()
        },
        if one_sided {
            "0".into()
        } else {
            best.to_string()
        },
        best.to_string(),
        f.and_then(|f| f.high).unwrap_or(best).to_string(),
        f.and_then(|f| f.low).unwrap_or(best).to_string(),
        String::new(),
        String::new(),
    ]
}

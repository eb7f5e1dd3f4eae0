//! Streaming exports: one incident at a time in, one row or feature out, so that a million
//! incidents take flat memory.

use std::io::Write;

use serde::{Deserialize, Serialize};
use truce_model::codebook::{self, ActorCategory, ViolenceType};
use truce_model::{EventType, Incident};

use crate::codes;
use crate::view::{ActorView, IncidentView};

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

    /// What a file of this format begins with: the CSV header line, the GeoJSON collection's
    /// opening, nothing for JSON lines.
    pub fn preamble(self) -> Vec<u8> {
        match self {
            ExportFormat::AcledCsv | ExportFormat::UcdpCsv => {
                let header: &[&str] = if self == ExportFormat::AcledCsv {
                    &ACLED_COLUMNS
                } else {
                    &UCDP_COLUMNS
                };
                let mut line = header.join(",");
                line.push('\n');
                line.into_bytes()
            }
            ExportFormat::Geojson => b"{\"type\":\"FeatureCollection\",\"features\":[\n".to_vec(),
            ExportFormat::Jsonl => Vec::new(),
        }
    }

    /// What a file of this format ends with: the GeoJSON collection's closing.
    pub fn epilogue(self) -> &'static [u8] {
        match self {
            ExportFormat::Geojson => b"\n]}\n",
            _ => b"",
        }
    }

    /// Whether an incident of this ACLED event type and date has a row in this format: an
    /// ACLED or UCDP row needs a day, and UCDP GED holds organised violence only
    /// ([`ViolenceType::covers`]); the JSON formats hold every incident.
    pub fn holds(self, event_type: &str, dated: bool) -> bool {
        match self {
            ExportFormat::Geojson | ExportFormat::Jsonl => true,
            ExportFormat::AcledCsv => dated,
            ExportFormat::UcdpCsv => {
                dated && EventType::parse(event_type).is_some_and(ViolenceType::covers)
            }
        }
    }

    /// [`ExportFormat::holds`] of an incident whose record is still the JSON text the store
    /// holds (read only for the formats that leave some out).
    pub fn holds_record(self, record: &str) -> Result<bool, serde_json::Error> {
        if matches!(self, ExportFormat::Geojson | ExportFormat::Jsonl) {
            return Ok(true);
        }
        #[derive(Deserialize)]
        struct Kind<'a> {
            #[serde(borrow)]
            event_type: std::borrow::Cow<'a, str>,
            #[serde(borrow)]
            date: Option<std::borrow::Cow<'a, str>>,
        }
        let kind: Kind<'_> = serde_json::from_str(record)?;
        Ok(self.holds(&kind.event_type, kind.date.is_some()))
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

/// One incident with what monitoring says of it. `I` is the incident: its decoded record (the
/// default), its record as the JSON text the store holds ([`RecordRow`]), or the fields the CSV
/// and GeoJSON writers read of it.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct ExportRow<'a, I = &'a Incident> {
    /// Its id.
    pub id: i64,
    /// The merged record.
    pub incident: I,
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

/// A row whose record is still the JSON text the store holds (see [`format_records`]).
pub type RecordRow<'a> = ExportRow<'a, &'a str>;

impl<'a, I> ExportRow<'a, I> {
    /// The same row with another form of its incident (the record decoded, say).
    pub fn with<J>(&self, incident: J) -> ExportRow<'a, J> {
        ExportRow {
            id: self.id,
            incident,
            status: self.status,
            verdict: self.verdict,
            agreement: self.agreement,
            alerts: self.alerts,
            updated: self.updated,
        }
    }
}

/// A row as the CSV and GeoJSON writers take it.
type Line<'a> = ExportRow<'a, IncidentView<'a>>;

/// What an export says about itself (written beside it, `FILE.meta.json`, or to standard error).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    /// Retracted or discounted incidents left out (0 when they were asked for).
    pub left_out: u64,
    /// Incidents the format has no row for, left out ([`ExportFormat::holds`]): undated
    /// incidents in ACLED and UCDP CSV (a row needs a day); protests, riots and strategic
    /// developments in UCDP GED, which holds organised violence only.
    #[serde(default)]
    pub outside_format: u64,
    /// Whether retracted and discounted incidents were asked for (`--include-discounted`).
    pub include_withdrawn: bool,
}

/// Writes one format to a writer, an incident at a time.
pub struct Exporter<W: Write> {
    format: ExportFormat,
    csv: Option<csv::Writer<W>>,
    plain: Option<W>,
    rows: u64,
    /// What a CSV field is formatted in.
    buf: String,
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
            buf: String::new(),
        };
        let mut out = out;
        out.write_all(&format.preamble())?;
        match format {
            ExportFormat::AcledCsv | ExportFormat::UcdpCsv => {
                e.csv = Some(
                    csv::WriterBuilder::new()
                        .buffer_capacity(1 << 16)
                        .from_writer(out),
                );
            }
            ExportFormat::Geojson | ExportFormat::Jsonl => e.plain = Some(out),
        }
        Ok(e)
    }

    /// Writes one incident, if the format has a row for it ([`ExportFormat::holds`]).
    pub fn write(&mut self, row: &ExportRow<'_>) -> std::io::Result<()> {
        if !self
            .format
            .holds(&row.incident.event_type, row.incident.date.is_some())
        {
            return Ok(());
        }
        match self.format {
            ExportFormat::AcledCsv | ExportFormat::UcdpCsv => {
                let (format, mut buf) = (self.format, std::mem::take(&mut self.buf));
                let written = write_csv(format, self.csv_writer()?, &mut buf, &line_of(row));
                self.buf = buf;
                written?;
            }
            ExportFormat::Geojson => {
                let first = self.rows == 0;
                write_feature(&line_of(row), first, self.plain_writer()?)?;
            }
            ExportFormat::Jsonl => write_jsonl(row, self.plain_writer()?)?,
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
            out.write_all(self.format.epilogue())?;
            out.flush()?;
        }
        Ok(self.rows)
    }
}

/// Formats a page of incidents on its own, for exports that format pages on several threads
/// and write them in order: the bytes [`Exporter`] would write for these rows, without the
/// file's opening ([`ExportFormat::preamble`]) or end ([`ExportFormat::epilogue`]). `first` says
/// whether the page begins the file (GeoJSON separates features with commas). Says how many
/// incidents it wrote (those the format has a row for: [`ExportFormat::holds`]).
pub fn format_page(
    format: ExportFormat,
    rows: &[ExportRow<'_>],
    first: bool,
    out: &mut Vec<u8>,
) -> std::io::Result<u64> {
    if format == ExportFormat::Jsonl {
        for row in rows {
            write_jsonl(row, &mut *out)?;
        }
        return Ok(rows.len() as u64);
    }
    format_lines(format, rows.iter().map(|r| Ok(line_of(r))), first, out)
}

/// [`format_page`] for incidents whose records are still the JSON text the store holds: the
/// CSV and GeoJSON exports read only the fields they write, borrowed from the text (decoding a
/// record into an [`Incident`] cost more than formatting it); JSON lines decode the whole
/// record, which they write again. A record that cannot be read is an error naming the
/// incident. Says how many incidents it wrote.
pub fn format_records(
    format: ExportFormat,
    rows: &[RecordRow<'_>],
    first: bool,
    out: &mut Vec<u8>,
) -> std::io::Result<u64> {
    let unreadable = |id: i64, e: serde_json::Error| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("incident {id}: its stored record cannot be read: {e}"),
        )
    };
    if format == ExportFormat::Jsonl {
        for r in rows {
            let incident: Incident =
                serde_json::from_str(r.incident).map_err(|e| unreadable(r.id, e))?;
            write_jsonl(&r.with(&incident), &mut *out)?;
        }
        return Ok(rows.len() as u64);
    }
    let lines = rows.iter().map(|r| {
        let incident = IncidentView::parse(r.incident).map_err(|e| unreadable(r.id, e))?;
        Ok(r.with(incident))
    });
    format_lines(format, lines, first, out)
}

/// Writes CSV rows or GeoJSON features of the incidents the format has a row for, and says
/// how many.
fn format_lines<'a>(
    format: ExportFormat,
    lines: impl Iterator<Item = std::io::Result<Line<'a>>>,
    first: bool,
    out: &mut Vec<u8>,
) -> std::io::Result<u64> {
    let mut written = 0;
    let held = lines.filter(|row| {
        row.as_ref().map_or(true, |r| {
            format.holds(&r.incident.event_type, r.incident.date.is_some())
        })
    });
    match format {
        ExportFormat::AcledCsv | ExportFormat::UcdpCsv => {
            let mut w = csv::WriterBuilder::new()
                .has_headers(false)
                .buffer_capacity(1 << 16)
                .from_writer(&mut *out);
            let mut buf = String::new();
            for row in held {
                write_csv(format, &mut w, &mut buf, &row?)?;
                written += 1;
            }
            w.flush()?;
        }
        ExportFormat::Geojson | ExportFormat::Jsonl => {
            for row in held {
                write_feature(&row?, first && written == 0, &mut *out)?;
                written += 1;
            }
        }
    }
    Ok(written)
}

/// Writes one incident as an ACLED or a UCDP row.
fn write_csv<W: Write>(
    format: ExportFormat,
    w: &mut csv::Writer<W>,
    buf: &mut String,
    row: &Line<'_>,
) -> std::io::Result<()> {
    if format == ExportFormat::AcledCsv {
        write_acled(w, buf, row)
    } else {
        write_ucdp(w, buf, row)
    }
    .map_err(std::io::Error::other)
}

/// The fields the CSV and GeoJSON writers read of a decoded incident, borrowed.
fn line_of<'a>(row: &ExportRow<'a>) -> Line<'a> {
    row.with(IncidentView::of(row.incident))
}

/// Writes one JSON line: the whole incident, its assessment and alerts.
fn write_jsonl(row: &ExportRow<'_>, mut out: impl Write) -> std::io::Result<()> {
    serde_json::to_writer(&mut out, row)?;
    out.write_all(b"\n")
}

/// Writes one GeoJSON feature (after a comma unless it is the first).
fn write_feature(row: &Line<'_>, first: bool, mut out: impl Write) -> std::io::Result<()> {
    let i = &row.incident;
    let loc = i.location.as_ref();
    let feature = Feature {
        geometry: loc.and_then(|l| {
            Some(Point {
                coordinates: [l.lon?, l.lat?],
                kind: "Point",
            })
        }),
        id: row.id,
        properties: Properties {
            admin1: loc.and_then(|l| l.admin1.as_deref()),
            agreement: row.agreement,
            alerts: row.alerts,
            country: loc.and_then(|l| l.country.as_deref()),
            date: i.date.as_deref(),
            event_type: &i.event_type,
            fatalities_high: i.fatalities.and_then(|f| f.high),
            fatalities_low: i.fatalities.and_then(|f| f.low),
            id: row.id,
            location: loc.map(|l| &*l.name),
            perpetrators: Names(&i.perpetrators),
            sources: i.sources,
            status: row.status,
            sub_event_type: i.sub_event_type.as_deref(),
            target: i.target.as_deref(),
            verdict: row.verdict,
        },
        kind: "Feature",
    };
    if !first {
        out.write_all(b",\n")?;
    }
    serde_json::to_writer(&mut out, &feature)?;
    Ok(())
}

/// A GeoJSON feature of an incident (members in alphabetical order, as earlier exports had them).
#[derive(Serialize)]
struct Feature<'a> {
    geometry: Option<Point>,
    id: i64,
    properties: Properties<'a>,
    #[serde(rename = "type")]
    kind: &'static str,
}

/// A GeoJSON point.
#[derive(Serialize)]
struct Point {
    coordinates: [f64; 2],
    #[serde(rename = "type")]
    kind: &'static str,
}

/// What a feature says of its incident.
#[derive(Serialize)]
struct Properties<'a> {
    admin1: Option<&'a str>,
    agreement: Option<&'a str>,
    alerts: &'a [String],
    country: Option<&'a str>,
    date: Option<&'a str>,
    event_type: &'a str,
    fatalities_high: Option<u32>,
    fatalities_low: Option<u32>,
    id: i64,
    location: Option<&'a str>,
    perpetrators: Names<'a>,
    sources: usize,
    status: &'a str,
    sub_event_type: Option<&'a str>,
    target: Option<&'a str>,
    verdict: Option<&'a str>,
}

/// The names of the alleged perpetrators, as a JSON array.
struct Names<'a>(&'a [ActorView<'a>]);

impl Serialize for Names<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|p| &*p.name))
    }
}

/// The fields of one CSV record, written straight into the CSV writer; what needs formatting is
/// formatted into one buffer kept from row to row (a million rows, no allocation a field).
struct Fields<'a, W: Write> {
    w: &'a mut csv::Writer<W>,
    buf: &'a mut String,
}

impl<W: Write> Fields<'_, W> {
    /// A field as it is.
    fn text(&mut self, v: &str) -> csv::Result<()> {
        self.w.write_field(v)
    }

    /// A field that may be missing.
    fn opt(&mut self, v: Option<&str>) -> csv::Result<()> {
        self.w.write_field(v.unwrap_or(""))
    }

    /// A formatted field.
    fn fmt(&mut self, args: std::fmt::Arguments<'_>) -> csv::Result<()> {
        self.with(|b| {
            let _ = b.write_fmt(args);
        })
    }

    /// A number, or nothing.
    fn num(&mut self, v: Option<impl std::fmt::Display>) -> csv::Result<()> {
        match v {
            Some(v) => self.fmt(format_args!("{v}")),
            None => self.text(""),
        }
    }

    /// A coordinate to six decimals (about 10 cm), or nothing.
    fn coord(&mut self, v: Option<f64>) -> csv::Result<()> {
        match v {
            Some(v) => self.fmt(format_args!("{v:.6}")),
            None => self.text(""),
        }
    }

    /// A field built by `f` in the buffer.
    fn with(&mut self, f: impl FnOnce(&mut String)) -> csv::Result<()> {
        self.buf.clear();
        f(self.buf);
        self.w.write_field(self.buf.as_bytes())
    }

    /// Ends the record.
    fn end(self) -> csv::Result<()> {
        self.w.write_record(None::<&[u8]>)
    }
}

use std::fmt::Write as _;

/// ACLED's `notes`: one sentence of what happened, where, to whom, by whom, with the toll.
fn notes(row: &Line<'_>, s: &mut String) {
    let i = &row.incident;
    let place = i.location.as_ref().map_or("an unknown place", |l| &*l.name);
    s.push_str("On ");
    s.push_str(i.date.as_deref().unwrap_or("an unknown date"));
    s.push_str(", ");
    let kind = i.sub_event_type.as_deref().unwrap_or(&i.event_type);
    s.extend(kind.chars().flat_map(char::to_lowercase));
    s.push_str(" in ");
    s.push_str(place);
    if let Some(t) = &i.target {
        let _ = write!(s, " (target: {t})");
    }
    for (k, p) in i.perpetrators.iter().enumerate() {
        s.push_str(if k == 0 { ", attributed to " } else { " and " });
        s.push_str(&p.name);
    }
    match i.fatalities {
        Some(f) if f.low != f.high => {
            let _ = write!(s, "; {} to {} killed", opt(f.low), opt(f.high));
        }
        Some(f) => {
            let _ = write!(s, "; {} killed", opt(f.low));
        }
        None => {}
    }
    s.push('.');
    // Who accuses and who denies, as the sources tell it.
    for c in &i.claims {
        let who = |side: &[truce_model::ClaimSource]| {
            let mut names: Vec<String> = side.iter().map(|c| c.who()).collect();
            names.dedup();
            names.join(", ")
        };
        let _ = write!(s, " Claims on {}:", c.party);
        let mut first = true;
        for (label, side) in [
            ("accused by", &c.accused_by),
            ("confirmed by", &c.confirmed_by),
            ("denied by", &c.denied_by),
        ] {
            if !side.is_empty() {
                let _ = write!(s, "{} {label} {}", if first { "" } else { ";" }, who(side));
                first = false;
            }
        }
        s.push('.');
    }
    let _ = write!(s, " [truce incident {}]", row.id);
}

/// ACLED's `tags`: truce's verdict and the alerts, `; `-separated.
fn tags(row: &Line<'_>, s: &mut String) {
    let verdict = row.verdict.map(|v| ("truce: ", v));
    let alerts = row.alerts.iter().map(|a| ("", a.as_str()));
    for (k, (prefix, t)) in verdict.into_iter().chain(alerts).enumerate() {
        if k > 0 {
            s.push_str("; ");
        }
        s.push_str(prefix);
        s.push_str(t);
    }
}

/// The ACLED actor category of an alleged perpetrator: as the extraction coded it, or, in
/// records written before it was kept, read from its name ([`codes::acled_inter`]).
fn category(p: &ActorView<'_>, event_country: Option<&str>) -> Option<ActorCategory> {
    p.inter
        .and_then(ActorCategory::from_code)
        .or_else(|| ActorCategory::from_code(codes::acled_inter(&p.name, event_country)))
}

/// Writes one incident as an ACLED row.
fn write_acled<W: Write>(
    w: &mut csv::Writer<W>,
    buf: &mut String,
    row: &Line<'_>,
) -> csv::Result<()> {
    let i = &row.incident;
    let loc = i.location.as_ref();
    let iso2 = loc.and_then(|l| l.country.as_deref()).unwrap_or("");
    let country = codes::country(iso2);
    let first = i.perpetrators.first();
    let actor1 = first.map_or("", |p| &*p.name);
    let civilians = i.civilian_targeting == Some(true);
    let inter1 = first.and_then(|p| category(p, Some(iso2)));
    // The second actor is the civilians targeted, or no one.
    let inter2 = civilians.then_some(ActorCategory::Civilians);
    let year = i.date.as_deref().and_then(|d| d.get(..4)).unwrap_or("");
    let mut f = Fields { w, buf };
    f.fmt(format_args!(
        "{}{}",
        country.map_or("XXX", |c| c.iso3.as_str()),
        row.id
    ))?;
    f.opt(i.date.as_deref())?;
    f.text(year)?;
    f.fmt(format_args!("{}", i.time_precision))?;
    f.text(codes::acled_disorder(&i.event_type))?;
    f.text(&i.event_type)?;
    f.opt(i.sub_event_type.as_deref())?;
    f.text(actor1)?;
    f.with(|s| {
        for (k, p) in i.perpetrators.iter().skip(1).enumerate() {
            if k > 0 {
                s.push_str("; ");
            }
            s.push_str(&p.name);
        }
    })?;
    f.num(inter1.map(ActorCategory::code))?;
    if civilians {
        f.fmt(format_args!(
            "Civilians ({})",
            country.map_or("", |c| c.name.as_str())
        ))?;
    } else {
        f.text("")?;
    }
    f.text("")?;
    f.num(inter2.map(ActorCategory::code))?;
    f.num(codebook::interaction(inter1, inter2))?;
    f.text(if civilians { "Civilian targeting" } else { "" })?;
    f.num(country.map(|c| c.numeric))?;
    f.text(codes::acled_region(iso2))?;
    f.text(country.map_or("", |c| c.name.as_str()))?;
    f.opt(loc.and_then(|l| l.admin1.as_deref()))?;
    f.opt(loc.and_then(|l| l.admin2.as_deref()))?;
    f.text("")?;
    f.opt(loc.map(|l| &*l.name))?;
    f.coord(loc.and_then(|l| l.lat))?;
    f.coord(loc.and_then(|l| l.lon))?;
    f.num(loc.and_then(|l| l.geo_precision))?;
    f.fmt(format_args!("truce ({} reports)", i.sources))?;
    f.text("Other")?;
    f.with(|s| notes(row, s))?;
    f.num(Some(i.fatalities.and_then(|f| f.low).unwrap_or(0)))?;
    f.with(|s| tags(row, s))?;
    f.num(Some(row.updated))?;
    f.end()
}

/// Writes one incident as a UCDP GED row.
fn write_ucdp<W: Write>(
    w: &mut csv::Writer<W>,
    buf: &mut String,
    row: &Line<'_>,
) -> csv::Result<()> {
    let i = &row.incident;
    let loc = i.location.as_ref();
    let iso2 = loc.and_then(|l| l.country.as_deref()).unwrap_or("");
    let country = codes::country(iso2);
    let first = i.perpetrators.first();
    let side_a = first.map_or("", |p| &*p.name);
    let state = first.is_some_and(|p| codes::is_state(&p.name, category(p, Some(iso2))));
    let kind = EventType::parse(&i.event_type)
        .and_then(|t| ViolenceType::of(t, state, i.civilian_targeting == Some(true)));
    let one_sided = kind == Some(ViolenceType::OneSided);
    let side_b = if one_sided { "Civilians" } else { "" };
    let (lat, lon) = (loc.and_then(|l| l.lat), loc.and_then(|l| l.lon));
    let where_prec = loc.and_then(|l| l.geo_precision).map(codebook::where_prec);
    let deaths = i.fatalities;
    let best = deaths.and_then(|f| f.best.or(f.low)).unwrap_or(0);
    let year = i.date.as_deref().and_then(|d| d.get(..4)).unwrap_or("");
    let mut f = Fields { w, buf };
    f.num(Some(row.id))?;
    f.fmt(format_args!("TRUCE-{}", row.id))?;
    f.text(year)?;
    f.text("")?;
    f.text("Clear")?;
    f.num(kind.map(ViolenceType::code))?;
    for _ in 0..5 {
        f.text("")?;
    }
    if side_b.is_empty() {
        f.text(side_a)?;
    } else {
        f.fmt(format_args!("{side_a} - {side_b}"))?;
    }
    f.text("")?;
    f.text("")?;
    f.text(side_a)?;
    f.text("")?;
    f.text("")?;
    f.text(side_b)?;
    f.num(Some(i.sources))?;
    f.text("")?;
    f.text("")?;
    f.opt(i.first_reported.as_deref())?;
    f.text("")?;
    f.text("")?;
    f.num(where_prec)?;
    f.opt(loc.map(|l| &*l.name))?;
    f.with(|s| notes(row, s))?;
    f.opt(loc.and_then(|l| l.admin1.as_deref()))?;
    f.opt(loc.and_then(|l| l.admin2.as_deref()))?;
    // Each coordinate formatted once, for its column and the WKT point (formatting a float
    // exactly is the dearest thing in a row).
    let (lat_text, lon_text) = (
        lat.map(|v| format!("{v:.6}")),
        lon.map(|v| format!("{v:.6}")),
    );
    f.opt(lat_text.as_deref())?;
    f.opt(lon_text.as_deref())?;
    match (lat, lon, &lat_text, &lon_text) {
        (Some(lat), Some(lon), Some(lat_text), Some(lon_text)) => {
            f.fmt(format_args!("POINT ({lon_text} {lat_text})"))?;
            f.num(Some(codes::priogrid(lat, lon)))?;
        }
        _ => {
            f.text("")?;
            f.text("")?;
        }
    }
    f.text(country.map_or("", |c| c.name.as_str()))?;
    f.text("")?;
    f.text(match codes::acled_region(iso2) {
        "Middle East" => "Middle East",
        "Europe" => "Europe",
        r if r.contains("Africa") => "Africa",
        r if r.contains("Asia") => "Asia",
        _ => "",
    })?;
    f.text("1")?;
    f.num(Some(codebook::date_prec(i.time_precision)))?;
    f.opt(i.date.as_deref())?;
    f.opt(i.date_end.as_deref().or(i.date.as_deref()))?;
    f.text("0")?;
    f.text("0")?;
    f.num(Some(if one_sided { best } else { 0 }))?;
    f.num(Some(if one_sided { 0 } else { best }))?;
    f.num(Some(best))?;
    f.num(Some(deaths.and_then(|f| f.high).unwrap_or(best)))?;
    f.num(Some(deaths.and_then(|f| f.low).unwrap_or(best)))?;
    f.text("")?;
    f.text("")?;
    f.end()
}

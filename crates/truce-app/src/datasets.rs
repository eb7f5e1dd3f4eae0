//! Other datasets beside truce's record: an ACLED or UCDP GED file imported (kept apart from what
//! truce extracted), truce's standing incidents compared with what was imported, and, when the
//! user asks, the likely violations only the imported events tell counted in the health index.

use std::collections::BTreeMap;
use std::io::{BufRead, Read};

use chrono::NaiveDate;
use truce_model::{Attribution, ContentHash, Count, Dataset, ExternalRecord, Incident, Location};
use truce_monitor::Verdict;
use truce_report::Comparison;
use truce_store::{ExternalHolding, ExternalQuery, Store, ViolationTally};

use crate::AppError;

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// The file's dataset.
    pub dataset: Dataset,
    /// Events the file holds.
    pub events: u64,
    /// New to the store.
    pub added: u64,
    /// Already stored (same dataset and id), written again as the file tells them.
    pub updated: u64,
    /// The first and last days the file covers.
    pub span: Option<(String, String)>,
    /// The file's SHA-256 (as recorded on the audit log).
    pub hash: ContentHash,
}

/// Reads a whole file of another dataset: `dataset`, or the one its header says.
pub fn read_file(
    input: impl Read,
    dataset: Option<Dataset>,
) -> Result<(Dataset, Vec<ExternalRecord>, ContentHash), AppError> {
    let mut bytes = Vec::new();
    std::io::BufReader::new(input).read_to_end(&mut bytes)?;
    let dataset = match dataset {
        Some(d) => d,
        None => {
            let mut head = String::new();
            // The header line, read as text whatever follows it.
            let _ = bytes.as_slice().read_line(&mut head);
            Dataset::of_header(&head).ok_or_else(|| {
                AppError::Invalid(
                    "neither an ACLED file (no event_id_cnty column) nor a UCDP GED file (no \
                     type_of_violence column)"
                        .into(),
                )
            })?
        }
    };
    let records = truce_report::import::read(dataset, bytes.as_slice())
        .map_err(|e| AppError::Invalid(format!("not a readable {} file: {e}", dataset.as_str())))?;
    Ok((dataset, records, ContentHash::of(&bytes)))
}

/// Imports a file of another dataset (`name` says which file, for the audit log): every event
/// stored, an event already imported under the same id updated; nothing is stored when any row
/// is refused.
pub async fn import(
    store: &dyn Store,
    input: impl Read,
    dataset: Option<Dataset>,
    name: &str,
    actor: &str,
) -> Result<Imported, AppError> {
    let (dataset, records, hash) = read_file(input, dataset)?;
    let source = format!("{name} sha256:{}", hash.to_hex());
    let done = store
        .import_external(dataset, &records, &source, actor)
        .await?;
    let span = records
        .iter()
        .map(|r| r.date.as_str())
        .min()
        .zip(records.iter().map(|r| r.date.as_str()).max())
        .map(|(a, b)| (a.to_string(), b.to_string()));
    Ok(Imported {
        dataset,
        events: records.len() as u64,
        added: done.added,
        updated: done.updated,
        span,
        hash,
    })
}

/// Every imported event the query asks for (its `limit` is a page size; every page is read).
pub async fn imported(
    store: &dyn Store,
    query: &ExternalQuery,
) -> Result<Vec<ExternalRecord>, AppError> {
    let mut out = Vec::new();
    let mut query = ExternalQuery {
        limit: query.limit.clamp(1, 10_000),
        ..query.clone()
    };
    loop {
        let page = store.external_events(&query).await?;
        let Some(last) = page.last() else {
            break;
        };
        query.after = Some((last.record.date.clone(), last.id));
        let full = page.len() as u32 == query.limit;
        out.extend(page.into_iter().map(|e| e.record));
        if !full {
            break;
        }
    }
    Ok(out)
}

/// What the store holds of each dataset.
pub async fn holdings(store: &dyn Store) -> Result<Vec<ExternalHolding>, AppError> {
    Ok(store.external_holdings().await?)
}

/// Truce's standing incidents against `theirs`, over the days `theirs` covers.
pub async fn compare(store: &dyn Store, theirs: &[ExternalRecord]) -> Result<Comparison, AppError> {
    let since = theirs.iter().map(|r| r.date.clone()).min();
    let mut ours = Vec::new();
    crate::export::each_row(store, since.as_deref(), |row| ours.push(as_record(row))).await?;
    Ok(truce_report::compare(&ours, theirs))
}

/// An incident in the terms of another dataset.
fn as_record(row: &truce_report::ExportRow<'_>) -> ExternalRecord {
    let i = row.incident;
    let l = i.location.as_ref();
    let first = i.perpetrators.first();
    ExternalRecord {
        id: row.id.to_string(),
        date: i.date.map(|d| d.to_string()).unwrap_or_default(),
        event_type: i.event_type.clone(),
        sub_event_type: i.sub_event_type.clone(),
        location: l.map(|l| l.name.clone()).unwrap_or_default(),
        admin1: l.and_then(|l| l.admin1.clone()),
        country: l.and_then(|l| l.country.clone()),
        lat: l.and_then(|l| l.lat),
        lon: l.and_then(|l| l.lon),
        fatalities: i.fatalities.and_then(|f| f.low).unwrap_or(0),
        actor: first.map(|p| p.name.clone()),
        inter1: first.and_then(|p| p.inter),
        geo_precision: l.and_then(|l| l.geo_precision),
        time_precision: Some(i.time_precision),
        ..Default::default()
    }
}

/// What imported events added to the health index.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportedInIndex {
    /// Imported events over the days the index reads (the agreement's start to its last day).
    pub events: u64,
    /// Of those, the ones truce's record already holds (matched, so never counted twice).
    pub matched: u64,
    /// Of the rest, those assessed as likely violations: added to the index.
    pub violations: u64,
}

/// What the health index of `to` adds when the user asks for imported events (`asked`):
/// nothing when not asked; else the likely violations among the imported events that truce's
/// standing record does not hold, as day tallies, and what they add. Each event from the start
/// of the agreement in force on `to` until `to` is held against truce's incidents (`truce
/// compare`'s rule), and those only in theirs are assessed against the agreements exactly as
/// truce's incidents are.
pub async fn imported_in_index(
    store: &dyn Store,
    asked: bool,
    to: NaiveDate,
) -> Result<(Vec<ViolationTally>, Option<ImportedInIndex>), AppError> {
    if !asked {
        return Ok((Vec::new(), None));
    }
    let agreements = truce_pipeline::monitor::agreements(store).await?;
    let Some(a) = truce_pipeline::monitor::in_force(&agreements, to) else {
        return Ok((Vec::new(), Some(ImportedInIndex::default())));
    };
    let query = ExternalQuery {
        dataset: None,
        since: Some(a.start.to_string()),
        until: Some(to.to_string()),
        after: None,
        limit: 10_000,
    };
    let theirs = imported(store, &query).await?;
    if theirs.is_empty() {
        // Nothing imported over these days: truce's record need not be read.
        return Ok((Vec::new(), Some(ImportedInIndex::default())));
    }
    let c = compare(store, &theirs).await?;
    let mut tallies: BTreeMap<(NaiveDate, String), ViolationTally> = BTreeMap::new();
    let mut counted = ImportedInIndex {
        events: theirs.len() as u64,
        matched: c.matched.len() as u64,
        violations: 0,
    };
    for r in &c.only_theirs {
        let incident = as_incident(r);
        if truce_monitor::assess(&incident, &agreements).verdict != Verdict::LikelyViolation {
            continue;
        }
        counted.violations += 1;
        let area = r
            .admin1
            .clone()
            .or_else(|| r.country.clone())
            .unwrap_or_else(|| "unknown".into());
        let Ok(date) = NaiveDate::parse_from_str(&r.date, "%Y-%m-%d") else {
            continue;
        };
        let t = tallies
            .entry((date, area.clone()))
            .or_insert_with(|| ViolationTally {
                date,
                area,
                country: r.country.clone(),
                violations: 0,
                fatalities: 0,
            });
        t.violations += 1;
        t.fatalities += r.fatalities;
    }
    Ok((tallies.into_values().collect(), Some(counted)))
}

/// An imported event as an incident of one source, to assess as truce's are.
fn as_incident(r: &ExternalRecord) -> Incident {
    Incident {
        event_type: r.event_type.clone(),
        sub_event_type: r.sub_event_type.clone(),
        date: NaiveDate::parse_from_str(&r.date, "%Y-%m-%d").ok(),
        date_end: None,
        time_precision: r.time_precision.unwrap_or(1),
        location: Some(Location {
            name: r.location.clone(),
            geonameid: None,
            lat: r.lat,
            lon: r.lon,
            country: r.country.clone(),
            admin1: r.admin1.clone(),
            admin2: None,
            geo_precision: r.geo_precision,
        }),
        fatalities: Some(Count {
            low: Some(r.fatalities),
            best: Some(r.fatalities),
            high: Some(r.fatalities),
        }),
        fatalities_from: None,
        injured: None,
        perpetrators: r
            .actor
            .iter()
            .map(|name| Attribution {
                name: name.clone(),
                sources: 1,
                inter: r.inter1,
                named_by: Vec::new(),
            })
            .collect(),
        target: None,
        civilian_targeting: Some(r.inter2 == Some(7) || r.violence == Some(3)),
        first_reported: None,
        last_reported: None,
        sources: Vec::new(),
        claims: Vec::new(),
    }
}

//! Other datasets' events (migration 0019).

use async_trait::async_trait;
use sqlx::Row;
use sqlx::sqlite::SqliteRow;
use truce_model::{Dataset, ExternalRecord};

use super::SqliteStore;
use super::rows::corrupt;
use super::workspace::{audit_tx, now};
use crate::{
    Datasets, ExternalHolding, ExternalImport, ExternalQuery, NewAudit, StoreError, StoredExternal,
};

/// Events written a statement (as one JSON array).
const CHUNK: usize = 2000;

/// Most events one read returns.
const MAX_READ: u32 = 10_000;

/// The columns of an event, in the order [`insert`] writes and [`external_from_row`] reads.
macro_rules! columns {
    () => {
        "external_id, date, event_type, sub_event_type, location, admin1, country, lat, lon, \
         fatalities, actor, actor2, inter1, inter2, violence, geo_precision, time_precision, \
         notes, line"
    };
}

/// Writes a chunk of events given as a JSON array of records; an event stored under the same
/// dataset and id is replaced.
const INSERT: &str = concat!(
    "INSERT INTO external_events (dataset, source, imported_at, ",
    columns!(),
    ") SELECT $1, $2, $3, \
     json_extract(value, '$.id'), json_extract(value, '$.date'), \
     json_extract(value, '$.event_type'), json_extract(value, '$.sub_event_type'), \
     json_extract(value, '$.location'), json_extract(value, '$.admin1'), \
     json_extract(value, '$.country'), json_extract(value, '$.lat'), \
     json_extract(value, '$.lon'), json_extract(value, '$.fatalities'), \
     json_extract(value, '$.actor'), json_extract(value, '$.actor2'), \
     json_extract(value, '$.inter1'), json_extract(value, '$.inter2'), \
     json_extract(value, '$.violence'), json_extract(value, '$.geo_precision'), \
     json_extract(value, '$.time_precision'), json_extract(value, '$.notes'), \
     json_extract(value, '$.line') \
     FROM json_each($4) WHERE true \
     ON CONFLICT (dataset, external_id) DO UPDATE SET \
     date = excluded.date, event_type = excluded.event_type, \
     sub_event_type = excluded.sub_event_type, location = excluded.location, \
     admin1 = excluded.admin1, country = excluded.country, lat = excluded.lat, \
     lon = excluded.lon, fatalities = excluded.fatalities, actor = excluded.actor, \
     actor2 = excluded.actor2, inter1 = excluded.inter1, inter2 = excluded.inter2, \
     violence = excluded.violence, geo_precision = excluded.geo_precision, \
     time_precision = excluded.time_precision, notes = excluded.notes, line = excluded.line, \
     source = excluded.source, imported_at = excluded.imported_at"
);

/// How many of a chunk's ids (a JSON array of records), each counted once, are not stored yet:
/// read through the unique index, so that its cost is the chunk's, never the dataset's.
const NEW_IDS: &str = "SELECT count(DISTINCT j.id) - count(DISTINCT e.external_id) \
     FROM (SELECT json_extract(value, '$.id') AS id FROM json_each($2)) j \
     LEFT JOIN external_events e ON e.dataset = $1 AND e.external_id = j.id";

/// Reads events by day (then id), within one dataset or all.
const SELECT: &str = concat!(
    "SELECT id, dataset, source, imported_at, ",
    columns!(),
    " FROM external_events \
     WHERE ($1 IS NULL OR dataset = $1) AND date >= $2 AND date <= $3 \
     AND (date, id) > ($4, $5) ORDER BY date, id LIMIT $6"
);

fn dataset(text: &str) -> Result<Dataset, StoreError> {
    Dataset::parse(text).ok_or_else(|| corrupt("external_events.dataset", text))
}

/// A small code column (NULL, or 0 to 255).
fn code(row: &SqliteRow, column: &str) -> Result<Option<u8>, StoreError> {
    let v: Option<i64> = row.try_get(column)?;
    v.map(|v| u8::try_from(v).map_err(|e| corrupt(column, e)))
        .transpose()
}

fn external_from_row(row: &SqliteRow) -> Result<StoredExternal, StoreError> {
    let fatalities: i64 = row.try_get("fatalities")?;
    let line: i64 = row.try_get("line")?;
    Ok(StoredExternal {
        id: row.try_get("id")?,
        dataset: dataset(row.try_get("dataset")?)?,
        source: row.try_get("source")?,
        imported_at: row.try_get("imported_at")?,
        record: ExternalRecord {
            id: row.try_get("external_id")?,
            date: row.try_get("date")?,
            event_type: row.try_get("event_type")?,
            sub_event_type: row.try_get("sub_event_type")?,
            location: row.try_get("location")?,
            admin1: row.try_get("admin1")?,
            country: row.try_get("country")?,
            lat: row.try_get("lat")?,
            lon: row.try_get("lon")?,
            fatalities: u32::try_from(fatalities).map_err(|e| corrupt("fatalities", e))?,
            actor: row.try_get("actor")?,
            actor2: row.try_get("actor2")?,
            inter1: code(row, "inter1")?,
            inter2: code(row, "inter2")?,
            violence: code(row, "violence")?,
            geo_precision: code(row, "geo_precision")?,
            time_precision: code(row, "time_precision")?,
            notes: row.try_get("notes")?,
            line: u64::try_from(line).map_err(|e| corrupt("line", e))?,
        },
    })
}

#[async_trait]
impl Datasets for SqliteStore {
    async fn import_external(
        &self,
        dataset: Dataset,
        records: &[ExternalRecord],
        source: &str,
        actor: &str,
    ) -> Result<ExternalImport, StoreError> {
        let at = now();
        let mut tx = self.write().await?;
        let mut added = 0u64;
        for chunk in records.chunks(CHUNK) {
            let json = serde_json::to_string(chunk).map_err(|e| corrupt("external event", e))?;
            let new: i64 = sqlx::query_scalar(NEW_IDS)
                .bind(dataset.as_str())
                .bind(&json)
                .fetch_one(&mut *tx)
                .await?;
            added += new as u64;
            sqlx::query(INSERT)
                .bind(dataset.as_str())
                .bind(source)
                .bind(&at)
                .bind(json)
                .execute(&mut *tx)
                .await?;
        }
        let done = ExternalImport {
            added,
            updated: records.len() as u64 - added,
        };
        audit_tx(
            &mut tx,
            &NewAudit::staff(
                actor,
                "external.import",
                format!("dataset:{}", dataset.as_str()),
                serde_json::json!({
                    "source": source,
                    "events": records.len(),
                    "added": done.added,
                    "updated": done.updated,
                }),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(done)
    }

    async fn external_events(
        &self,
        query: &ExternalQuery,
    ) -> Result<Vec<StoredExternal>, StoreError> {
        let (after_date, after_id) = query.after.clone().unwrap_or_default();
        let rows = sqlx::query(SELECT)
            .bind(query.dataset.map(Dataset::as_str))
            .bind(query.since.as_deref().unwrap_or(""))
            .bind(query.until.as_deref().unwrap_or("9999-12-31"))
            .bind(after_date)
            .bind(after_id)
            .bind(i64::from(query.limit.min(MAX_READ)))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(external_from_row).collect()
    }

    async fn external_holdings(&self) -> Result<Vec<ExternalHolding>, StoreError> {
        let rows = sqlx::query(
            "SELECT dataset, count(*) AS events, min(date) AS first, max(date) AS last \
             FROM external_events GROUP BY dataset ORDER BY dataset",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let events: i64 = r.try_get("events")?;
                Ok(ExternalHolding {
                    dataset: dataset(r.try_get("dataset")?)?,
                    events: events as u64,
                    first: r.try_get("first")?,
                    last: r.try_get("last")?,
                })
            })
            .collect()
    }
}

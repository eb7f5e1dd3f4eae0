//! The resolver's candidate search: the events near each event it is placing, in place and time.
//!
//! A resolution looks for the candidates of hundreds of events a round; each lookup is one
//! statement. Run through the pool, every statement is a hand-over to the pool's worker thread
//! and back, and every row another; the lookups of a round are therefore run one after the other
//! on a read-only connection of their own (a `BulkReader` kept for them), on a blocking thread
//! (one hand-over a round), and return only the candidates' keys: the resolver reads the events
//! it has not seen yet in one more query. An in-memory database (tests) has no second connection
//! and runs them through the pool, in one read transaction.

use rusqlite::{Connection, ToSql};
use sqlx::Row;
use truce_model::EventRef;

use super::SqliteStore;
use super::bulk::failed;
use crate::{NearQuery, StoreError};

/// The cell of a point, as the events table's generated column `cell` computes it (migration
/// 0016): half a degree of latitude by half a degree of longitude.
fn cell_of(lat: f64, lon: f64) -> (i64, i64) {
    (((lat + 90.0) * 2.0) as i64, ((lon + 180.0) * 2.0) as i64)
}

/// Every cell a box (`[south, north, west, east]`) touches, as a JSON array (empty without one).
fn cells_json(bbox: Option<[f64; 4]>) -> String {
    let Some([south, north, west, east]) = bbox else {
        return "[]".into();
    };
    let (south, north) = (south.clamp(-90.0, 90.0), north.clamp(-90.0, 90.0));
    let (west, east) = (west.clamp(-180.0, 180.0), east.clamp(-180.0, 180.0));
    let (row_from, column_from) = cell_of(south, west);
    let (row_to, column_to) = cell_of(north, east);
    let mut cells = Vec::new();
    for row in row_from..=row_to {
        for column in column_from..=column_to {
            cells.push(row * 1000 + column);
        }
    }
    serde_json::Value::from(cells).to_string()
}

/// The candidates come from lookups each served by an index that starts with where
/// they are (the cells around the place, migration 0016; the area; the country) and then
/// how far their own days reach (`span`): a day or week-precise date is read three days
/// around the event's window, a month-precise one a month around, a stated range (never
/// more than 92 days, or it is matched with nothing) the widest. Reports that name no
/// place are read by the day (only a day-precise date can be theirs). The lookups are
/// joined by UNION ALL and read by a join (a UNION, an `IN (...)` of the lookups and an
/// `IN` over the event types' JSON cost SQLite four times what the lookups do); the
/// conditions after them are the exact rule.
///
/// The statement's parameters are [`NearParams`], in order; its rows the candidates' keys in
/// (document, ordinal) order, an event two lookups found (a town named like its area) twice,
/// side by side.
pub(super) const NEAR: &str = "SELECT e.id, e.document_id, e.ordinal FROM ( \
       SELECT id FROM events WHERE $3 IS NOT NULL \
         AND cell IN (SELECT value FROM json_each($16)) \
         AND span = 0 AND date BETWEEN date($14, '-3 days') AND date($15, '+3 days') \
         AND lat BETWEEN $3 AND $4 AND lon BETWEEN $5 AND $6 \
       UNION ALL SELECT id FROM events WHERE $3 IS NOT NULL \
         AND cell IN (SELECT value FROM json_each($16)) \
         AND span = 1 AND date BETWEEN date($14, '-31 days') AND date($15, '+31 days') \
         AND lat BETWEEN $3 AND $4 AND lon BETWEEN $5 AND $6 \
       UNION ALL SELECT id FROM events WHERE $3 IS NOT NULL \
         AND cell IN (SELECT value FROM json_each($16)) \
         AND span = 2 AND date BETWEEN date($1, '-92 days') AND $2 \
         AND lat BETWEEN $3 AND $4 AND lon BETWEEN $5 AND $6 \
       UNION ALL SELECT id FROM events WHERE $7 IS NOT NULL AND $8 IS NOT NULL \
         AND country = $7 AND admin1 = $8 \
         AND (lat IS NULL OR coalesce(geo_precision, 3) >= 3 OR area_named) \
         AND span = 0 AND date BETWEEN date($14, '-3 days') AND date($15, '+3 days') \
       UNION ALL SELECT id FROM events WHERE $7 IS NOT NULL AND $8 IS NOT NULL \
         AND country = $7 AND admin1 = $8 \
         AND (lat IS NULL OR coalesce(geo_precision, 3) >= 3 OR area_named) \
         AND span = 1 AND date BETWEEN date($14, '-31 days') AND date($15, '+31 days') \
       UNION ALL SELECT id FROM events WHERE $7 IS NOT NULL AND $8 IS NOT NULL \
         AND country = $7 AND admin1 = $8 \
         AND (lat IS NULL OR coalesce(geo_precision, 3) >= 3 OR area_named) \
         AND span = 2 AND date BETWEEN date($1, '-92 days') AND $2 \
       UNION ALL SELECT id FROM events WHERE $7 IS NOT NULL \
         AND country = $7 AND admin1 IS NULL \
         AND (lat IS NULL OR coalesce(geo_precision, 3) >= 3 OR area_named) \
         AND span = 0 AND date BETWEEN date($14, '-3 days') AND date($15, '+3 days') \
       UNION ALL SELECT id FROM events WHERE $7 IS NOT NULL \
         AND country = $7 AND admin1 IS NULL \
         AND (lat IS NULL OR coalesce(geo_precision, 3) >= 3 OR area_named) \
         AND span = 1 AND date BETWEEN date($14, '-31 days') AND date($15, '+31 days') \
       UNION ALL SELECT id FROM events WHERE $7 IS NOT NULL \
         AND country = $7 AND admin1 IS NULL \
         AND (lat IS NULL OR coalesce(geo_precision, 3) >= 3 OR area_named) \
         AND span = 2 AND date BETWEEN date($1, '-92 days') AND $2 \
       UNION ALL SELECT id FROM events WHERE $9 AND $7 IS NOT NULL AND $8 IS NOT NULL \
         AND country = $7 AND admin1 = $8 \
         AND span = 0 AND date BETWEEN date($14, '-3 days') AND date($15, '+3 days') \
       UNION ALL SELECT id FROM events WHERE $9 AND $7 IS NOT NULL AND $8 IS NOT NULL \
         AND country = $7 AND admin1 = $8 \
         AND span = 1 AND date BETWEEN date($14, '-31 days') AND date($15, '+31 days') \
       UNION ALL SELECT id FROM events WHERE $9 AND $7 IS NOT NULL AND $8 IS NOT NULL \
         AND country = $7 AND admin1 = $8 \
         AND span = 2 AND date BETWEEN date($1, '-92 days') AND $2 \
       UNION ALL SELECT id FROM events WHERE $7 IS NOT NULL AND $9 AND $8 IS NULL \
         AND country = $7 \
         AND span = 0 AND date BETWEEN date($14, '-3 days') AND date($15, '+3 days') \
       UNION ALL SELECT id FROM events WHERE $7 IS NOT NULL AND $9 AND $8 IS NULL \
         AND country = $7 \
         AND span = 1 AND date BETWEEN date($14, '-31 days') AND date($15, '+31 days') \
       UNION ALL SELECT id FROM events WHERE $7 IS NOT NULL AND $9 AND $8 IS NULL \
         AND country = $7 \
         AND span = 2 AND date BETWEEN date($1, '-92 days') AND $2 \
       UNION ALL SELECT id FROM events WHERE $10 IS NOT NULL AND $12 \
         AND date BETWEEN $10 AND $11 \
       UNION ALL SELECT id FROM events WHERE $10 IS NOT NULL \
         AND country IS NULL AND lat IS NULL AND span = 0 \
         AND date BETWEEN $10 AND $11) c \
     JOIN events e ON e.id = c.id JOIN documents d ON d.id = e.document_id \
     WHERE coalesce(e.date, d.published) <= $2 \
     AND coalesce(e.date_end, e.date, d.published) >= $1 \
     AND CASE WHEN coalesce(e.time_precision, 3) >= 3 \
                THEN date(coalesce(e.date, d.published), 'start of month') \
              WHEN e.time_precision = 2 THEN date(coalesce(e.date, d.published), '-3 days') \
              ELSE date(coalesce(e.date, d.published), '-1 day') END <= $15 \
     AND CASE WHEN coalesce(e.time_precision, 3) >= 3 \
                THEN max(date(coalesce(e.date, d.published), 'start of month', '+1 month', \
                              '-1 day'), coalesce(e.date_end, e.date, d.published)) \
              WHEN e.time_precision = 2 \
                THEN date(coalesce(e.date_end, e.date, d.published), '+3 days') \
              ELSE coalesce(e.date_end, e.date, d.published) END >= $14 \
     AND ($13 = '[]' OR instr($13, json_quote(e.event_type)) > 0) \
     AND (($3 IS NOT NULL AND e.lat BETWEEN $3 AND $4 AND e.lon BETWEEN $5 AND $6) \
       OR ($7 IS NOT NULL AND e.country = $7 AND ( \
           ((e.admin1 IS $8 OR e.admin1 IS NULL) AND (e.lat IS NULL \
              OR coalesce(e.geo_precision, 3) >= 3 OR e.area_named)) \
           OR ($9 AND ($8 IS NULL OR e.admin1 IS $8)))) \
       OR ($10 IS NOT NULL AND e.date BETWEEN $10 AND $11 \
           AND ($12 OR (e.country IS NULL AND e.lat IS NULL)))) \
     ORDER BY e.document_id, e.ordinal";

/// The tracing target under which the store reports the statements it runs on connections of
/// its own rather than through sqlx: at debug level what each round did (lookups, rows, time),
/// at trace level the statement's text (field `statement`; the query-plan guard reads it beside
/// sqlx's `sqlx::query`).
pub const SQL_TARGET: &str = "truce_store::sql";

/// A [`NearQuery`] as the values of [`NEAR`]'s parameters `$1`..`$16`.
struct NearParams {
    from: String,
    to: String,
    south: Option<f64>,
    north: f64,
    west: f64,
    east: f64,
    country: Option<String>,
    admin1: Option<String>,
    whole_area: bool,
    unplaced_from: Option<String>,
    unplaced_to: Option<String>,
    anywhere: bool,
    event_types: String,
    window_from: String,
    window_to: String,
    cells: String,
}

impl NearParams {
    fn of(q: &NearQuery) -> Self {
        let [south, north, west, east] = q.bbox.unwrap_or([f64::NAN; 4]);
        let (country, admin1) = q.area.clone().unzip();
        Self {
            from: q.from.clone(),
            to: q.to.clone(),
            south: q.bbox.map(|_| south),
            north,
            west,
            east,
            country,
            admin1: admin1.flatten(),
            whole_area: q.whole_area,
            unplaced_from: q.unplaced.as_ref().map(|(from, _)| from.clone()),
            unplaced_to: q.unplaced.as_ref().map(|(_, to)| to.clone()),
            anywhere: q.anywhere,
            event_types: serde_json::Value::from(q.event_types.as_slice()).to_string(),
            window_from: q.window.0.clone(),
            window_to: q.window.1.clone(),
            cells: cells_json(q.bbox),
        }
    }

    /// The values by parameter name, for the candidate connection.
    fn named(&self) -> [(&'static str, &dyn ToSql); 16] {
        [
            ("$1", &self.from),
            ("$2", &self.to),
            ("$3", &self.south),
            ("$4", &self.north),
            ("$5", &self.west),
            ("$6", &self.east),
            ("$7", &self.country),
            ("$8", &self.admin1),
            ("$9", &self.whole_area),
            ("$10", &self.unplaced_from),
            ("$11", &self.unplaced_to),
            ("$12", &self.anywhere),
            ("$13", &self.event_types),
            ("$14", &self.window_from),
            ("$15", &self.window_to),
            ("$16", &self.cells),
        ]
    }
}

/// Keys in (document, ordinal) order with the duplicates (side by side) dropped.
fn keys(mut rows: Vec<EventRef>) -> Vec<EventRef> {
    rows.dedup();
    rows
}

/// Runs a round's lookups one after the other on a read-only connection of the store's own.
fn search(c: &Connection, queries: &[NearParams]) -> Result<Vec<Vec<EventRef>>, StoreError> {
    let started = std::time::Instant::now();
    // One snapshot for the whole round, as one statement would see (a read transaction, rolled
    // back when dropped). The statement is prepared once for the connection (its seventeen
    // lookups cost SQLite more to plan than a round's lookups to run).
    let snapshot = c.unchecked_transaction().map_err(failed)?;
    let mut statement = snapshot.prepare_cached(NEAR).map_err(failed)?;
    let mut out = Vec::with_capacity(queries.len());
    let mut rows_read = 0;
    for q in queries {
        let rows = statement
            .query_map(q.named().as_slice(), |row| {
                Ok(EventRef {
                    document: row.get(1)?,
                    ordinal: row.get(2)?,
                })
            })
            .map_err(failed)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(failed)?;
        rows_read += rows.len();
        out.push(keys(rows));
    }
    drop(statement);
    drop(snapshot);
    let elapsed_us = started.elapsed().as_micros() as u64;
    tracing::debug!(
        target: SQL_TARGET,
        lookups = queries.len(),
        rows = rows_read,
        elapsed_us,
        "candidate search"
    );
    tracing::trace!(target: SQL_TARGET, statement = NEAR, "candidate search statement");
    Ok(out)
}

impl SqliteStore {
    pub(super) async fn sql_event_refs_near(
        &self,
        queries: &[NearQuery],
    ) -> Result<Vec<Vec<EventRef>>, StoreError> {
        let params: Vec<NearParams> = queries.iter().map(NearParams::of).collect();
        if let Some(reader) = &self.candidates {
            return reader.read(move |c| search(c, &params)).await;
        }
        // In memory: through the pool, in one read transaction (one snapshot) all the same.
        let mut snapshot = self.pool.begin().await?;
        let mut out = Vec::with_capacity(params.len());
        for p in &params {
            let rows = sqlx::query(NEAR)
                .bind(&p.from)
                .bind(&p.to)
                .bind(p.south)
                .bind(p.north)
                .bind(p.west)
                .bind(p.east)
                .bind(&p.country)
                .bind(&p.admin1)
                .bind(p.whole_area)
                .bind(&p.unplaced_from)
                .bind(&p.unplaced_to)
                .bind(p.anywhere)
                .bind(&p.event_types)
                .bind(&p.window_from)
                .bind(&p.window_to)
                .bind(&p.cells)
                .fetch_all(&mut *snapshot)
                .await?;
            let refs = rows
                .iter()
                .map(|row| {
                    Ok(EventRef {
                        document: row.try_get("document_id")?,
                        ordinal: row.try_get::<i64, _>("ordinal")? as u32,
                    })
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
            out.push(keys(refs));
        }
        Ok(out)
    }
}

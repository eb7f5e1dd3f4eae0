//! Bulk reads on a read-only connection of their own.
//!
//! The pool runs each connection on a worker thread and hands every row of a result over to
//! the caller's task one at a time; for the million rows of an export that hand-over cost more
//! than reading them. A plain connection (rusqlite, on the same bundled SQLite) read on a
//! blocking thread steps through the rows where they are. WAL mode lets it read beside the
//! pool's writers, from a consistent snapshot per page. The resolver's candidate search
//! (`candidates.rs`) reads through a second one of these, so that an export never holds it up.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, OpenFlags};

use super::incidents::retracted;
use crate::{IncidentRecord, StoreError, StoredAlert};
use truce_model::EventRef;

/// The incidents of a page, with their review status and assessment, in id order (`NOT
/// INDEXED`: the table itself, in rowid order, even with a date filter, which the planner would
/// otherwise answer from the date index and sort, page after page).
pub(super) const INCIDENT_RECORDS: &str = concat!(
    "SELECT i.id, i.record, i.updated_at, s.status, a.verdict, a.agreement, a.agreement_version, ",
    retracted!(i),
    " FROM incidents i NOT INDEXED \
     LEFT JOIN incident_state s ON s.incident_id = i.id \
     LEFT JOIN assessments a ON a.incident_id = i.id \
     WHERE i.id > $1 AND ($2 IS NULL OR i.date >= $2) ORDER BY i.id LIMIT $3"
);

/// The alerts of the incidents of a page: those with ids in `($1, $2]`.
pub(super) const ALERTS_IN_RANGE: &str = "SELECT id, incident_id, site_id, record, raised_at, cleared_at FROM alerts \
     WHERE incident_id > $1 AND incident_id <= $2 ORDER BY incident_id, id";

/// Files each alert (ordered by incident) under its incident (`records` in id order); alerts of
/// incidents not in the page (left out by a date filter) are dropped.
pub(super) fn attach_alerts(records: &mut [IncidentRecord], alerts: Vec<StoredAlert>) {
    let mut at = 0;
    for alert in alerts {
        while at < records.len() && records[at].id < alert.incident_id {
            at += 1;
        }
        match records.get_mut(at) {
            Some(r) if r.id == alert.incident_id => r.alerts.push(alert),
            Some(_) => {}
            None => break,
        }
    }
}

/// A database file's read-only connection of its own, opened on first use and kept.
#[derive(Debug, Clone)]
pub(super) struct BulkReader {
    path: PathBuf,
    connection: Arc<Mutex<Option<Connection>>>,
}

/// A failure of a read-only connection's read, as the store reports it.
pub(super) fn failed(e: impl std::fmt::Display) -> StoreError {
    StoreError::BulkRead(e.to_string())
}

impl BulkReader {
    /// A reader of the database file at `path`.
    pub(super) fn new(path: PathBuf) -> Self {
        Self {
            path,
            connection: Arc::new(Mutex::new(None)),
        }
    }

    /// See [`crate::Store::incident_records`].
    pub(super) async fn incident_records(
        &self,
        since: Option<&str>,
        after: i64,
        limit: u32,
    ) -> Result<Vec<IncidentRecord>, StoreError> {
        let since = since.map(str::to_string);
        self.read(move |c| read_incident_records(c, since, after, limit))
            .await
    }

    /// Every incident's members, as (incident, event) pairs ordered by incident, then event.
    pub(super) async fn incident_members(&self) -> Result<Vec<(i64, EventRef)>, StoreError> {
        self.read(|c| {
            let mut statement = c
                .prepare(
                    "SELECT incident_id, document_id, ordinal FROM incident_members \
                     ORDER BY incident_id, document_id, ordinal",
                )
                .map_err(failed)?;
            let rows = statement
                .query_map([], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        EventRef {
                            document: r.get(1)?,
                            ordinal: r.get::<_, i64>(2)? as u32,
                        },
                    ))
                })
                .map_err(failed)?;
            rows.collect::<Result<Vec<_>, _>>().map_err(failed)
        })
        .await
    }

    /// Runs `read` on the connection (opened the first time), on a blocking thread.
    pub(super) async fn read<T: Send + 'static>(
        &self,
        read: impl FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let reader = self.clone();
        tokio::task::spawn_blocking(move || {
            let mut guard = reader.connection.lock().map_err(failed)?;
            let c: &Connection = match &mut *guard {
                Some(c) => c,
                slot => slot.insert(reader.open()?),
            };
            read(c)
        })
        .await
        .map_err(failed)?
    }

    /// Opens the file read-only, waiting for writers as the pool does, with the pool's page
    /// cache and mapping.
    fn open(&self) -> Result<Connection, StoreError> {
        let c = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(failed)?;
        c.busy_timeout(std::time::Duration::from_secs(30))
            .map_err(failed)?;
        c.execute_batch(&format!(
            "PRAGMA cache_size = {}; PRAGMA mmap_size = {};",
            super::CACHE_SIZE,
            super::MMAP_SIZE
        ))
        .map_err(failed)?;
        Ok(c)
    }
}

/// A page of incident records for an export, with their alerts.
fn read_incident_records(
    c: &Connection,
    since: Option<String>,
    after: i64,
    limit: u32,
) -> Result<Vec<IncidentRecord>, StoreError> {
    let mut statement = c.prepare(INCIDENT_RECORDS).map_err(failed)?;
    let mut rows = statement
        .query(rusqlite::params![after, since, i64::from(limit)])
        .map_err(failed)?;
    let mut out: Vec<IncidentRecord> = Vec::with_capacity(limit.min(10_000) as usize);
    while let Some(row) = rows.next().map_err(failed)? {
        let text = |i: usize| -> Result<Option<&str>, StoreError> {
            row.get_ref(i)
                .and_then(|v| v.as_str_or_null().map_err(Into::into))
                .map_err(failed)
        };
        out.push(IncidentRecord {
            retracted: row.get(7).map_err(failed)?,
            ..super::incidents::incident_record(
                row.get(0).map_err(failed)?,
                text(1)?.unwrap_or_default().to_string(),
                text(2)?.unwrap_or_default(),
                text(3)?,
                text(4)?,
                text(5)?,
                row.get(6).map_err(failed)?,
            )?
        });
    }
    drop(rows);
    if let Some(last) = out.last().map(|r| r.id) {
        let mut statement = c.prepare(ALERTS_IN_RANGE).map_err(failed)?;
        let alerts = statement
            .query_map(rusqlite::params![after, last], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, i64>(1)?,
                    row.get::<_, Option<i64>>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, String>(4)?,
                    row.get::<_, Option<String>>(5)?,
                ))
            })
            .map_err(failed)?
            .map(|row| {
                let (id, incident_id, site_id, record, raised_at, cleared_at) =
                    row.map_err(failed)?;
                super::monitoring::stored_alert(
                    id,
                    incident_id,
                    site_id,
                    &record,
                    raised_at,
                    cleared_at,
                )
            })
            .collect::<Result<Vec<StoredAlert>, StoreError>>()?;
        attach_alerts(&mut out, alerts);
    }
    Ok(out)
}

//! The embedded SQLite backend: one file, WAL journal, nothing to install.

use std::collections::{HashMap, HashSet};
use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use chrono::Utc;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};
use sqlx::{Row, Sqlite, Transaction};
use truce_model::{
    ContentHash, Document, DocumentFormat, DocumentId, DocumentStatus, Extraction, NewDocument,
    SourceKind, SourceRef,
};

use crate::{
    Decision, DocumentCounts, DocumentQuery, EventQuery, IncidentDay, IncidentPoint, IncidentQuery,
    IncidentRecord, IngestBatch, NearQuery, NewIncident, PendingStage, SaveOutcome, StatementQuery,
    Store, StoreError, StoredEvent, StoredExtraction, StoredIncident, StoredStatement, StoredTalk,
};
use truce_model::EventRef;

mod bulk;
mod candidates;
mod checkpoint;
mod datasets;
pub use candidates::SQL_TARGET;
mod incidents;
mod many;
mod monitoring;
mod rows;
mod seal;
mod search;
mod sources;
mod workspace;
use incidents::{event_from_row, select_events};

/// `SELECT <every document column> FROM documents <rest>`, as a static string.
macro_rules! select_documents {
    ($rest:literal) => {
        concat!(
            "SELECT id, content_hash, raw_hash, external_id, format, source_kind, ",
            "source_location, source_part, title, url, published, language, text, status, error, ",
            "attempts, ingested_at FROM documents ",
            $rest
        )
    };
}

/// A stored record's JSON text.
fn record_json(value: &impl serde::Serialize) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// Each connection's page cache (`PRAGMA cache_size`, negative: KiB): 32 MiB.
const CACHE_SIZE: &str = "-32768";

/// How much of the file each connection reads through a memory mapping (`PRAGMA mmap_size`).
const MMAP_SIZE: &str = "1073741824";

/// A SQLite database file (or an in-memory database for tests).
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    /// The file's bulk reader (none for an in-memory database).
    bulk: Option<bulk::BulkReader>,
    /// The file's read-only connection for the resolver's candidate search (none in memory).
    candidates: Option<bulk::BulkReader>,
    /// The thread that copies the write-ahead log into the file (none in memory).
    _checkpointer: Option<std::sync::Arc<checkpoint::Checkpointer>>,
}

impl SqliteStore {
    /// Opens (creating when missing) the database at `location` and migrates it.
    ///
    /// `location` is a file path, `sqlite://PATH`, or `:memory:`.
    pub async fn open(location: &str) -> Result<Self, StoreError> {
        let open_err = |source| StoreError::Open {
            location: location.to_string(),
            source,
        };
        let in_memory = location == ":memory:" || location == "sqlite::memory:";
        let path = location.strip_prefix("sqlite://").unwrap_or(location);
        let options = if in_memory {
            SqliteConnectOptions::from_str("sqlite::memory:").map_err(open_err)?
        } else {
            SqliteConnectOptions::new()
                .filename(path)
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
        };
        let options = options
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(30))
            // 32 MiB of page cache a connection (the default is 2 MiB): the resolver's
            // candidate searches revisit the same recent pages, which otherwise come back from
            // the operating system one read call at a time.
            .pragma("cache_size", CACHE_SIZE)
            .pragma("mmap_size", MMAP_SIZE)
            // A backstop: the store's own thread checkpoints the log (`checkpoint.rs`).
            .pragma("wal_autocheckpoint", checkpoint::BACKSTOP_PAGES);
        // An in-memory database lives as long as its one connection.
        let max = if in_memory { 1 } else { 4 };
        let pool = SqlitePoolOptions::new()
            .max_connections(max)
            .min_connections(if in_memory { 1 } else { 0 })
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options)
            .await
            .map_err(open_err)?;
        sqlx::migrate!("migrations/sqlite").run(&pool).await?;
        let bulk = (!in_memory).then(|| bulk::BulkReader::new(path.into()));
        let candidates = (!in_memory).then(|| bulk::BulkReader::new(path.into()));
        let checkpointer =
            (!in_memory).then(|| std::sync::Arc::new(checkpoint::Checkpointer::start(path.into())));
        Ok(Self {
            pool,
            bulk,
            candidates,
            _checkpointer: checkpointer,
        })
    }

    /// The connection pool, for backends' own tests and tools.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Queues documents for a stage (replacing the stage they waited for).
    async fn queue(
        tx: &mut Transaction<'_, Sqlite>,
        documents: &[DocumentId],
        stage: PendingStage,
        now: &str,
    ) -> Result<(), StoreError> {
        if documents.is_empty() {
            return Ok(());
        }
        sqlx::query(
            "INSERT INTO pending_documents (document_id, stage, since) \
             SELECT value, $2, $3 FROM json_each($1) WHERE true \
             ON CONFLICT (document_id) DO UPDATE SET stage = excluded.stage, since = excluded.since",
        )
        .bind(incidents::ids_json(documents.iter().map(|d| d.0)))
        .bind(stage.as_str())
        .bind(now)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Saves documents, saying what happened to each, in order: the new ones by multi-row
    /// inserts; one already stored (or told twice in the batch) by its stored row.
    async fn save_documents(
        tx: &mut Transaction<'_, Sqlite>,
        docs: &[NewDocument],
        now: &str,
    ) -> Result<Vec<SaveOutcome>, StoreError> {
        let hashes: Vec<String> = docs.iter().map(|d| d.content_hash.to_hex()).collect();
        let mut known: HashMap<String, (i64, String)> = sqlx::query_as::<_, (String, i64, String)>(
            "SELECT content_hash, id, status FROM documents \
                 WHERE content_hash IN (SELECT value FROM json_each($1))",
        )
        .bind(serde_json::to_string(&hashes).map_err(|e| StoreError::Corrupt(e.to_string()))?)
        .fetch_all(&mut **tx)
        .await?
        .into_iter()
        .map(|(hash, id, status)| (hash, (id, status)))
        .collect();
        // The first telling of a content not yet stored is inserted; later ones meet it stored.
        let mut fresh: Vec<(&String, &NewDocument)> = Vec::new();
        let mut first = HashSet::new();
        for (hash, doc) in hashes.iter().zip(docs) {
            if !known.contains_key(hash) && first.insert(hash) {
                fresh.push((hash, doc));
            }
        }
        let inserted: HashMap<String, i64> = many::insert_returning::<_, (String, i64)>(
            tx,
            "INSERT INTO documents (content_hash, raw_hash, external_id, format, source_kind, \
             source_location, source_part, title, url, published, language, text, status, error, \
             attempts, ingested_at, updated_at) ",
            " RETURNING content_hash, id",
            17,
            &fresh,
            |row, (hash, doc)| {
                row.push_bind(hash.as_str())
                    .push_bind(doc.raw_hash.map(|h| h.to_hex()))
                    .push_bind(doc.external_id.as_deref())
                    .push_bind(doc.format.map(DocumentFormat::as_str))
                    .push_bind(doc.source.kind.as_str())
                    .push_bind(doc.source.location.as_str())
                    .push_bind(doc.source.part.as_deref())
                    .push_bind(doc.title.as_deref())
                    .push_bind(doc.url.as_deref())
                    .push_bind(doc.published.map(|d| d.format("%Y-%m-%d").to_string()))
                    .push_bind(doc.language.as_deref())
                    .push_bind(doc.text.as_deref())
                    .push_bind(doc.status.as_str())
                    .push_bind(doc.error.as_deref())
                    .push_bind(1_i64)
                    .push_bind(now)
                    .push_bind(now);
            },
        )
        .await?
        .into_iter()
        .collect();
        let mut outcomes = Vec::with_capacity(docs.len());
        let mut told = HashSet::new();
        for (hash, doc) in hashes.iter().zip(docs) {
            if let Some(id) = inserted.get(hash)
                && told.insert(hash)
            {
                known.insert(hash.clone(), (*id, doc.status.as_str().to_string()));
                outcomes.push(SaveOutcome::Stored(DocumentId(*id)));
                continue;
            }
            let Some((id, status)) = known.get_mut(hash) else {
                return Err(StoreError::Corrupt(format!(
                    "document {hash} was not stored"
                )));
            };
            let outcome = Self::save_again(tx, doc, DocumentId(*id), status, now).await?;
            if matches!(outcome, SaveOutcome::Recovered(_)) {
                *status = DocumentStatus::Parsed.as_str().to_string();
            }
            outcomes.push(outcome);
        }
        Ok(outcomes)
    }

    /// A document whose content is stored already (as `id`, with `status`): a failure told again
    /// counts one more attempt, a stored failure that now parses is recovered, anything else is a
    /// duplicate.
    async fn save_again(
        tx: &mut Transaction<'_, Sqlite>,
        doc: &NewDocument,
        id: DocumentId,
        status: &str,
        now: &str,
    ) -> Result<SaveOutcome, StoreError> {
        let stored_failed = status == DocumentStatus::Failed.as_str();
        match (stored_failed, doc.status) {
            (true, DocumentStatus::Failed) => {
                sqlx::query(
                    "UPDATE documents SET error = $1, attempts = attempts + 1, updated_at = $2, \
                     raw_hash = COALESCE(raw_hash, $3) WHERE id = $4",
                )
                .bind(&doc.error)
                .bind(now)
                .bind(doc.raw_hash.map(|h| h.to_hex()))
                .bind(id.0)
                .execute(&mut **tx)
                .await?;
                Ok(SaveOutcome::FailedAgain(id))
            }
            (true, DocumentStatus::Parsed) => {
                sqlx::query(
                    "UPDATE documents SET raw_hash = $1, external_id = $2, format = $3, \
                     source_kind = $4, source_location = $5, source_part = $6, title = $7, \
                     url = $8, published = $9, language = $10, text = $11, status = 'parsed', \
                     error = NULL, attempts = attempts + 1, updated_at = $12 WHERE id = $13",
                )
                .bind(doc.raw_hash.map(|h| h.to_hex()))
                .bind(&doc.external_id)
                .bind(doc.format.map(DocumentFormat::as_str))
                .bind(doc.source.kind.as_str())
                .bind(&doc.source.location)
                .bind(&doc.source.part)
                .bind(&doc.title)
                .bind(&doc.url)
                .bind(doc.published.map(|d| d.format("%Y-%m-%d").to_string()))
                .bind(&doc.language)
                .bind(&doc.text)
                .bind(now)
                .bind(id.0)
                .execute(&mut **tx)
                .await?;
                Ok(SaveOutcome::Recovered(id))
            }
            _ => Ok(SaveOutcome::Duplicate(id)),
        }
    }
}

#[async_trait]
impl Store for SqliteStore {
    async fn save_batch(&self, batch: &IngestBatch) -> Result<Vec<SaveOutcome>, StoreError> {
        let now = Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        let mut tx = self.write().await?;
        for raw in &batch.raws {
            sqlx::query(
                "INSERT INTO raw_blobs (hash, size, bytes, stored_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (hash) DO NOTHING",
            )
            .bind(raw.hash.to_hex())
            .bind(raw.bytes.len() as i64)
            .bind(&*raw.bytes)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
        }
        let mut outcomes = Vec::with_capacity(batch.documents.len());
        let mut parsed_parts: HashMap<&str, HashSet<Option<&str>>> = HashMap::new();
        let mut to_extract: Vec<DocumentId> = Vec::new();
        let saved = Self::save_documents(&mut tx, &batch.documents, &now).await?;
        for (doc, outcome) in batch.documents.iter().zip(saved) {
            if batch.queue_extraction
                && doc.status == DocumentStatus::Parsed
                && matches!(outcome, SaveOutcome::Stored(_) | SaveOutcome::Recovered(_))
            {
                to_extract.push(outcome.id());
            }
            if doc.status == DocumentStatus::Parsed {
                parsed_parts
                    .entry(doc.source.location.as_str())
                    .or_default()
                    .insert(doc.source.part.as_deref());
            }
            outcomes.push(outcome);
        }
        Self::queue(&mut tx, &to_extract, PendingStage::Extract, &now).await?;
        // A source that now parses supersedes its earlier failures (a fixed file, a page that
        // answers again, a corrected JSONL line), so that `documents --failed` lists only what
        // still needs attention. A failed part is superseded only by the same part parsing.
        for (location, parts) in parsed_parts {
            let failures = sqlx::query(
                "SELECT id, source_part FROM documents WHERE source_location = $1 AND status = 'failed'",
            )
            .bind(location)
            .fetch_all(&mut *tx)
            .await?;
            for row in failures {
                let part: Option<String> = row.try_get("source_part")?;
                if part.is_none() || parts.contains(&part.as_deref()) {
                    sqlx::query(
                        "UPDATE documents SET status = 'superseded', updated_at = $1 WHERE id = $2",
                    )
                    .bind(&now)
                    .bind(row.try_get::<i64, _>("id")?)
                    .execute(&mut *tx)
                    .await?;
                }
            }
        }
        tx.commit().await?;
        Ok(outcomes)
    }

    async fn document(&self, id: DocumentId) -> Result<Option<Document>, StoreError> {
        let row = sqlx::query(select_documents!("WHERE id = $1"))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(document_from_row).transpose()
    }

    async fn documents(&self, ids: &[DocumentId]) -> Result<Vec<Document>, StoreError> {
        let rows = sqlx::query(select_documents!(
            "WHERE id IN (SELECT value FROM json_each($1)) ORDER BY id"
        ))
        .bind(incidents::ids_json(ids.iter().map(|d| d.0)))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(document_from_row).collect()
    }

    async fn find_documents(&self, key: &str) -> Result<Vec<Document>, StoreError> {
        let key = key.trim();
        let numeric_id = key.parse::<i64>().ok();
        let hash_prefix =
            (key.len() >= 6 && key.len() <= 64 && key.bytes().all(|b| b.is_ascii_hexdigit()))
                .then(|| format!("{}%", key.to_ascii_lowercase()));
        let sql = select_documents!(
            "WHERE id = $1 OR external_id = $2 OR content_hash LIKE $3 ORDER BY id LIMIT 50"
        );
        let rows = sqlx::query(sql)
            .bind(numeric_id)
            .bind(key)
            .bind(hash_prefix)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(document_from_row).collect()
    }

    async fn list_documents(&self, query: &DocumentQuery) -> Result<Vec<Document>, StoreError> {
        let sql =
            select_documents!("WHERE ($1 IS NULL OR status = $1) AND id > $2 ORDER BY id LIMIT $3");
        let rows = sqlx::query(sql)
            .bind(query.status.map(DocumentStatus::as_str))
            .bind(query.after.map_or(0, |id| id.0))
            .bind(i64::from(query.limit))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(document_from_row).collect()
    }

    async fn raw(&self, hash: &ContentHash) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT bytes FROM raw_blobs WHERE hash = $1")
                .bind(hash.to_hex())
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    async fn search_reports(
        &self,
        words: &str,
        limit: u32,
    ) -> Result<Vec<crate::ReportHit>, StoreError> {
        self.sql_search_reports(words, limit).await
    }

    async fn search_statements(
        &self,
        words: &str,
        limit: u32,
    ) -> Result<Vec<crate::StatementHit>, StoreError> {
        self.sql_search_statements(words, limit).await
    }

    async fn search_notes(
        &self,
        words: &str,
        reader: &truce_model::Reader,
        kinds: crate::NoteKinds,
        limit: u32,
    ) -> Result<Vec<crate::NoteHit>, StoreError> {
        self.sql_search_notes(words, reader, kinds, limit).await
    }

    async fn document_counts(&self) -> Result<DocumentCounts, StoreError> {
        let rows = sqlx::query("SELECT status, COUNT(*) AS n FROM documents GROUP BY status")
            .fetch_all(&self.pool)
            .await?;
        let mut counts = DocumentCounts::default();
        for row in rows {
            let status: String = row.try_get("status")?;
            let n = row.try_get::<i64, _>("n")? as u64;
            match DocumentStatus::parse(&status) {
                Some(DocumentStatus::Parsed) => counts.parsed = n,
                Some(DocumentStatus::Failed) => counts.failed = n,
                Some(DocumentStatus::Superseded) => counts.superseded = n,
                None => return Err(StoreError::Corrupt(format!("document status {status:?}"))),
            }
        }
        Ok(counts)
    }

    async fn save_extractions(
        &self,
        version: &str,
        records: &[(DocumentId, Extraction)],
    ) -> Result<(), StoreError> {
        let now = Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        let mut tx = self.write().await?;
        let documents: Vec<DocumentId> = records.iter().map(|(id, _)| *id).collect();
        Self::queue(&mut tx, &documents, PendingStage::Resolve, &now).await?;
        let ids = incidents::ids_json(documents.iter().map(|d| d.0));
        // What an earlier run derived from these documents goes first.
        for table in [
            "DELETE FROM statements WHERE document_id IN (SELECT value FROM json_each($1))",
            "DELETE FROM talks WHERE document_id IN (SELECT value FROM json_each($1))",
            "DELETE FROM events WHERE document_id IN (SELECT value FROM json_each($1))",
        ] {
            sqlx::query(table).bind(&ids).execute(&mut *tx).await?;
        }
        let published: HashMap<i64, Option<String>> = sqlx::query_as(
            "SELECT id, published FROM documents WHERE id IN (SELECT value FROM json_each($1))",
        )
        .bind(&ids)
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .collect();
        let published = |doc: &DocumentId| published.get(&doc.0).cloned().flatten();
        let mut extractions = Vec::with_capacity(records.len());
        let mut statements = Vec::new();
        let mut talks = Vec::new();
        let mut events = Vec::new();
        for (doc, record) in records {
            extractions.push((doc.0, record_json(record)?));
            for (ordinal, st) in record.statements.iter().enumerate() {
                statements.push((doc.0, ordinal as i64, st, record_json(st)?, published(doc)));
            }
            for (ordinal, talk) in record.talks.iter().enumerate() {
                talks.push((doc.0, ordinal as i64, record_json(talk)?, published(doc)));
            }
            for (ordinal, event) in record.events.iter().enumerate() {
                events.push((doc.0, ordinal as i64, event, record_json(event)?));
            }
        }
        many::insert(
            &mut tx,
            "INSERT INTO extractions (document_id, extractor_version, extracted_at, record) ",
            " ON CONFLICT (document_id) DO UPDATE SET \
             extractor_version = excluded.extractor_version, \
             extracted_at = excluded.extracted_at, record = excluded.record",
            4,
            &extractions,
            |row, (doc, json)| {
                row.push_bind(*doc)
                    .push_bind(version)
                    .push_bind(now.as_str())
                    .push_bind(json.as_str());
            },
        )
        .await?;
        many::insert(
            &mut tx,
            "INSERT INTO statements (document_id, ordinal, speaker, title, organization, cue, \
             text, direct, stance, date, record, extractor_version, topic) ",
            "",
            13,
            &statements,
            |row, (doc, ordinal, st, json, published)| {
                row.push_bind(*doc)
                    .push_bind(*ordinal)
                    .push_bind(st.speaker.as_deref())
                    .push_bind(st.title.as_deref())
                    .push_bind(st.organization.as_deref())
                    .push_bind(st.cue.as_deref())
                    .push_bind(st.text.as_str())
                    .push_bind(st.direct)
                    .push_bind(st.stance.as_deref())
                    .push_bind(published.as_deref())
                    .push_bind(json.as_str())
                    .push_bind(version)
                    .push_bind(st.topic.as_deref());
            },
        )
        .await?;
        many::insert(
            &mut tx,
            "INSERT INTO talks (document_id, ordinal, date, record) ",
            "",
            4,
            &talks,
            |row, (doc, ordinal, json, published)| {
                row.push_bind(*doc)
                    .push_bind(*ordinal)
                    .push_bind(published.as_deref())
                    .push_bind(json.as_str());
            },
        )
        .await?;
        many::insert(
            &mut tx,
            "INSERT INTO events (document_id, ordinal, event_type, sub_event_type, date, \
             date_end, country, admin1, location_name, lat, lon, geo_precision, \
             fatalities_low, fatalities_best, fatalities_high, target, confidence, record, \
             extractor_version, area_named, time_precision) ",
            "",
            21,
            &events,
            |row, (doc, ordinal, event, json)| {
                let loc = event.location.as_ref();
                let deaths = event.fatalities;
                row.push_bind(*doc)
                    .push_bind(*ordinal)
                    .push_bind(event.event_type.as_str())
                    .push_bind(event.sub_event_type.as_deref())
                    .push_bind(event.date.map(|d| d.to_string()))
                    .push_bind(event.date_end.map(|d| d.to_string()))
                    .push_bind(loc.and_then(|l| l.country.as_deref()))
                    .push_bind(loc.and_then(|l| l.admin1.as_deref()))
                    .push_bind(loc.map(|l| l.name.as_str()))
                    .push_bind(loc.and_then(|l| l.lat))
                    .push_bind(loc.and_then(|l| l.lon))
                    .push_bind(loc.and_then(|l| l.geo_precision).map(i64::from))
                    .push_bind(deaths.and_then(|f| f.low).map(i64::from))
                    .push_bind(deaths.and_then(|f| f.best).map(i64::from))
                    .push_bind(deaths.and_then(|f| f.high).map(i64::from))
                    .push_bind(event.target.as_deref())
                    .push_bind(event.confidence)
                    .push_bind(json.as_str())
                    .push_bind(version)
                    .push_bind(loc.is_some_and(|l| l.names_its_area()))
                    .push_bind(event.time_precision.map(i64::from));
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn extraction(&self, id: DocumentId) -> Result<Option<StoredExtraction>, StoreError> {
        let row = sqlx::query(
            "SELECT extractor_version, extracted_at, record FROM extractions WHERE document_id = $1",
        )
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let at: String = row.try_get("extracted_at")?;
        let record: String = row.try_get("record")?;
        Ok(Some(StoredExtraction {
            document_id: id,
            extractor_version: row.try_get("extractor_version")?,
            extracted_at: chrono::DateTime::parse_from_rfc3339(&at)
                .map_err(|e| StoreError::Corrupt(format!("extracted_at {at:?}: {e}")))?
                .with_timezone(&Utc),
            record: serde_json::from_str(&record)
                .map_err(|e| StoreError::Corrupt(format!("extraction record: {e}")))?,
        }))
    }

    async fn statements(&self, query: &StatementQuery) -> Result<Vec<StoredStatement>, StoreError> {
        let rows = match &query.topic {
            None => {
                sqlx::query(
                    "SELECT s.id, s.document_id, s.date, s.record, d.external_id, d.title \
                     FROM statements s JOIN documents d ON d.id = s.document_id \
                     WHERE ($1 IS NULL OR instr(lower(coalesce(s.speaker, '')), lower($1)) > 0) \
                     AND ($2 IS NULL OR s.date >= $2) AND s.id > $3 ORDER BY s.id LIMIT $4",
                )
                .bind(&query.speaker)
                .bind(&query.since)
                .bind(query.after.unwrap_or(0))
                .bind(i64::from(query.limit.unwrap_or(1000)))
                .fetch_all(&self.pool)
                .await?
            }
            // The diplomatic track, newest first (the dashboard's list).
            Some(topic) if query.newest_first => {
                sqlx::query(
                    "SELECT s.id, s.document_id, s.date, s.record, d.external_id, d.title \
                     FROM statements s INDEXED BY statements_by_topic \
                     JOIN documents d ON d.id = s.document_id \
                     WHERE s.topic IS NOT NULL AND ($5 = '' OR s.topic = $5) \
                     AND ($1 IS NULL OR instr(lower(coalesce(s.speaker, '')), lower($1)) > 0) \
                     AND ($2 IS NULL OR s.date >= $2) AND ($3 = 0 OR s.id < $3) \
                     ORDER BY s.id DESC LIMIT $4",
                )
                .bind(&query.speaker)
                .bind(&query.since)
                .bind(query.after.unwrap_or(0))
                .bind(i64::from(query.limit.unwrap_or(1000)))
                .bind(topic)
                .fetch_all(&self.pool)
                .await?
            }
            // The diplomatic track: read from the partial index of statements with a topic.
            Some(topic) => {
                sqlx::query(
                    "SELECT s.id, s.document_id, s.date, s.record, d.external_id, d.title \
                     FROM statements s INDEXED BY statements_by_topic \
                     JOIN documents d ON d.id = s.document_id \
                     WHERE s.topic IS NOT NULL AND ($5 = '' OR s.topic = $5) \
                     AND ($1 IS NULL OR instr(lower(coalesce(s.speaker, '')), lower($1)) > 0) \
                     AND ($2 IS NULL OR s.date >= $2) AND s.id > $3 ORDER BY s.id LIMIT $4",
                )
                .bind(&query.speaker)
                .bind(&query.since)
                .bind(query.after.unwrap_or(0))
                .bind(i64::from(query.limit.unwrap_or(1000)))
                .bind(topic)
                .fetch_all(&self.pool)
                .await?
            }
        };
        rows.iter()
            .map(|row| {
                let record: String = row.try_get("record")?;
                Ok(StoredStatement {
                    id: row.try_get("id")?,
                    document_id: DocumentId(row.try_get("document_id")?),
                    external_id: row.try_get("external_id")?,
                    date: row.try_get("date")?,
                    source_title: row.try_get("title")?,
                    statement: serde_json::from_str(&record)
                        .map_err(|e| StoreError::Corrupt(format!("statement record: {e}")))?,
                })
            })
            .collect()
    }

    async fn talks(&self, before: Option<i64>, limit: u32) -> Result<Vec<StoredTalk>, StoreError> {
        let rows = sqlx::query(
            "SELECT t.id, t.document_id, t.date, t.record, d.title FROM talks t \
             JOIN documents d ON d.id = t.document_id \
             WHERE ($1 = 0 OR t.id < $1) ORDER BY t.id DESC LIMIT $2",
        )
        .bind(before.unwrap_or(0))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let record: String = row.try_get("record")?;
                Ok(StoredTalk {
                    id: row.try_get("id")?,
                    document_id: DocumentId(row.try_get("document_id")?),
                    date: row.try_get("date")?,
                    source_title: row.try_get("title")?,
                    talk: serde_json::from_str(&record)
                        .map_err(|e| StoreError::Corrupt(format!("talk record: {e}")))?,
                })
            })
            .collect()
    }

    async fn events(&self, query: &EventQuery) -> Result<Vec<StoredEvent>, StoreError> {
        let rows = sqlx::query(select_events!(
            "WHERE ($1 IS NULL OR e.date >= $1) \
             AND ($2 IS NULL OR e.event_type = $2 OR e.sub_event_type = $2) \
             AND e.id > $3 ORDER BY e.id LIMIT $4"
        ))
        .bind(&query.since)
        .bind(&query.event_type)
        .bind(query.after.unwrap_or(0))
        .bind(i64::from(query.limit.unwrap_or(1000)))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(event_from_row).collect()
    }

    async fn event_refs_near(
        &self,
        queries: &[NearQuery],
    ) -> Result<Vec<Vec<EventRef>>, StoreError> {
        self.sql_event_refs_near(queries).await
    }

    async fn events_by_ref(&self, refs: &[EventRef]) -> Result<Vec<StoredEvent>, StoreError> {
        self.sql_events_by_ref(refs).await
    }

    async fn events_of_documents(
        &self,
        documents: &[DocumentId],
    ) -> Result<Vec<StoredEvent>, StoreError> {
        self.sql_events_of_documents(documents).await
    }

    async fn events_in_order(
        &self,
        after: Option<EventRef>,
        limit: u32,
    ) -> Result<Vec<StoredEvent>, StoreError> {
        self.sql_all_events(after, limit).await
    }

    async fn incidents_of(
        &self,
        refs: &[EventRef],
        documents: &[DocumentId],
    ) -> Result<Vec<(EventRef, i64)>, StoreError> {
        self.sql_incidents_of(refs, documents).await
    }

    async fn incident_members(
        &self,
        ids: Option<&[i64]>,
    ) -> Result<Vec<(i64, EventRef)>, StoreError> {
        match (ids, &self.bulk) {
            // Every member of a large record: stepped through where the rows are, never held
            // as the pool's rows first (a million incidents' members were 600 MB of them).
            (None, Some(bulk)) => bulk.incident_members().await,
            _ => self.sql_incident_members(ids).await,
        }
    }

    async fn replace_incidents(
        &self,
        retire: Option<&[i64]>,
        new: &[NewIncident],
        resolved: &[DocumentId],
    ) -> Result<Vec<i64>, StoreError> {
        self.sql_replace_incidents(retire, new, resolved).await
    }

    async fn pending_documents(
        &self,
        stage: PendingStage,
        after: Option<DocumentId>,
        limit: u32,
    ) -> Result<Vec<DocumentId>, StoreError> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT document_id FROM pending_documents WHERE stage = $1 AND document_id > $2 \
             ORDER BY document_id LIMIT $3",
        )
        .bind(stage.as_str())
        .bind(after.map_or(0, |d| d.0))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        Ok(ids.into_iter().map(DocumentId).collect())
    }

    async fn pending_count(&self, stage: PendingStage) -> Result<u64, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM pending_documents WHERE stage = $1")
            .bind(stage.as_str())
            .fetch_one(&self.pool)
            .await?;
        Ok(n as u64)
    }

    async fn incidents(&self, query: &IncidentQuery) -> Result<Vec<StoredIncident>, StoreError> {
        self.sql_incidents(query).await
    }

    async fn incident_records(
        &self,
        since: Option<&str>,
        after: i64,
        limit: u32,
    ) -> Result<Vec<IncidentRecord>, StoreError> {
        match &self.bulk {
            Some(bulk) => bulk.incident_records(since, after, limit).await,
            None => self.sql_incident_records(since, after, limit).await,
        }
    }

    async fn incidents_by_id(&self, ids: &[i64]) -> Result<Vec<StoredIncident>, StoreError> {
        self.sql_incidents_by_id(ids).await
    }

    async fn incident(&self, id: i64) -> Result<Option<StoredIncident>, StoreError> {
        self.sql_incident(id).await
    }

    async fn incident_points(
        &self,
        query: &IncidentQuery,
    ) -> Result<Vec<IncidentPoint>, StoreError> {
        self.sql_incident_points(query).await
    }

    async fn incident_map(
        &self,
        query: &IncidentQuery,
        coarse: bool,
    ) -> Result<String, StoreError> {
        self.sql_incident_map(query, coarse).await
    }

    async fn incident_count(&self, query: &IncidentQuery) -> Result<u64, StoreError> {
        self.sql_incident_count(query).await
    }

    async fn incident_days(&self, query: &IncidentQuery) -> Result<Vec<IncidentDay>, StoreError> {
        self.sql_incident_days(query).await
    }

    async fn record_decisions(
        &self,
        decisions: &[Decision],
        subject: &str,
    ) -> Result<(), StoreError> {
        self.sql_record_decisions(decisions, subject).await
    }

    async fn decisions(&self, refs: Option<&[EventRef]>) -> Result<Vec<Decision>, StoreError> {
        self.sql_decisions(refs).await
    }
}

fn document_from_row(row: &SqliteRow) -> Result<Document, StoreError> {
    let hash = |s: String| {
        s.parse::<ContentHash>()
            .map_err(|e| StoreError::Corrupt(e.to_string()))
    };
    let status: String = row.try_get("status")?;
    let kind: String = row.try_get("source_kind")?;
    let format: Option<String> = row.try_get("format")?;
    let published: Option<String> = row.try_get("published")?;
    let ingested_at: String = row.try_get("ingested_at")?;
    Ok(Document {
        id: DocumentId(row.try_get("id")?),
        ingested_at: chrono::DateTime::parse_from_rfc3339(&ingested_at)
            .map_err(|e| StoreError::Corrupt(format!("ingested_at {ingested_at:?}: {e}")))?
            .with_timezone(&Utc),
        attempts: row.try_get::<i64, _>("attempts")? as u32,
        doc: NewDocument {
            content_hash: hash(row.try_get("content_hash")?)?,
            raw_hash: row
                .try_get::<Option<String>, _>("raw_hash")?
                .map(hash)
                .transpose()?,
            external_id: row.try_get("external_id")?,
            format: format
                .map(|f| f.parse::<DocumentFormat>())
                .transpose()
                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
            source: SourceRef {
                kind: SourceKind::parse(&kind)
                    .ok_or_else(|| StoreError::Corrupt(format!("source kind {kind:?}")))?,
                location: row.try_get("source_location")?,
                part: row.try_get("source_part")?,
            },
            title: row.try_get("title")?,
            url: row.try_get("url")?,
            published: published
                .map(|p| rows::day("published date", &p))
                .transpose()?,
            language: row.try_get("language")?,
            text: row.try_get("text")?,
            status: DocumentStatus::parse(&status)
                .ok_or_else(|| StoreError::Corrupt(format!("document status {status:?}")))?,
            error: row.try_get("error")?,
        },
    })
}

//! Full-text search over the reports (migration 0020's `documents_search`), the statements, the
//! messages and the reviews' notes (migration 0023): a person's words made into an FTS5 query,
//! and what says them.
//!
//! Each search ranks the newest 500 matches (by rowid, which the index reads in order without
//! scoring the rest) and returns the best of them: a common word says itself in a sixth of a
//! million reports, and scoring all of them took 210 ms a search; the newest 500, under 10 ms.
//! A monitor's search is for what was said lately; older reports need more words. `CROSS JOIN`
//! keeps the 500 the outer loop when their rows are read (the bundled SQLite otherwise walked
//! every parsed report by the status index and probed the 500: 60 ms a search over a million
//! reports, 7 ms now), and again when the best are joined back to the index for their passage.

use sqlx::Row;

use super::SqliteStore;
use super::workspace::{readable, reader_binds};
use crate::{NoteHit, NoteKind, NoteKinds, StatementHit, StoreError};

/// The first part of every search: the newest 500 matches of a full-text index (`$1` the
/// query), with their rank, as `recent (id, rank)`.
macro_rules! recent {
    ($index:literal) => {
        concat!(
            "WITH recent AS (SELECT rowid AS id, rank FROM ",
            $index,
            " WHERE ",
            $index,
            " MATCH $1 ORDER BY rowid DESC LIMIT 500), "
        )
    };
}

/// A message or a review's note, as the notes' searches read them.
fn note_from_row(kind: NoteKind, r: &sqlx::sqlite::SqliteRow) -> Result<NoteHit, StoreError> {
    Ok(NoteHit {
        kind,
        id: r.try_get("id")?,
        incident_id: r.try_get("incident_id")?,
        author: r.try_get("author")?,
        at: r.try_get("at")?,
        snippet: r.try_get("passage")?,
    })
}

/// The incidents a report's events are in, as the group_concat of a query reads them.
fn incident_ids(text: Option<String>) -> Vec<i64> {
    let mut ids: Vec<i64> = text
        .unwrap_or_default()
        .split(',')
        .filter_map(|n| n.parse().ok())
        .collect();
    ids.sort_unstable();
    ids
}

/// A person's words as an FTS5 query: each word a quoted term (so that `AND`, `*`, `"` and
/// `:` are words, never syntax), all of them required; `None` when there is no word.
pub(super) fn words(text: &str) -> Option<String> {
    let terms: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(16)
        .map(|w| format!("\"{w}\""))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

impl SqliteStore {
    pub(super) async fn sql_search_reports(
        &self,
        text: &str,
        limit: u32,
    ) -> Result<Vec<crate::ReportHit>, StoreError> {
        let Some(query) = words(text) else {
            return Ok(Vec::new());
        };
        let rows = sqlx::query(concat!(
            recent!("documents_search"),
            "best AS (SELECT r.id, r.rank FROM recent r CROSS JOIN documents d ON d.id = r.id \
              WHERE d.status = 'parsed' ORDER BY r.rank LIMIT $2) \
             SELECT d.id, d.title, d.published, \
             snippet(documents_search, -1, '', '', '…', 24) AS passage, \
             (SELECT group_concat(DISTINCT m.incident_id) FROM incident_members m \
              WHERE m.document_id = d.id) AS incidents \
             FROM best b CROSS JOIN documents_search s ON s.rowid = b.id JOIN documents d ON d.id = b.id \
             WHERE documents_search MATCH $1 ORDER BY b.rank"
        ))
        .bind(query)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let incidents = incident_ids(r.try_get("incidents")?);
                Ok(crate::ReportHit {
                    document_id: r.try_get("id")?,
                    title: r.try_get("title")?,
                    published: r.try_get("published")?,
                    snippet: r.try_get("passage")?,
                    incidents,
                })
            })
            .collect()
    }

    pub(super) async fn sql_search_statements(
        &self,
        text: &str,
        limit: u32,
    ) -> Result<Vec<StatementHit>, StoreError> {
        let Some(query) = words(text) else {
            return Ok(Vec::new());
        };
        let rows = sqlx::query(concat!(
            recent!("statements_search"),
            "best AS (SELECT id, rank FROM recent ORDER BY rank LIMIT $2) \
             SELECT st.id, st.document_id, st.speaker, st.title, st.organization, st.date, \
             snippet(statements_search, -1, '', '', '…', 24) AS passage, \
             (SELECT group_concat(DISTINCT m.incident_id) FROM incident_members m \
              WHERE m.document_id = st.document_id) AS incidents \
             FROM best b CROSS JOIN statements_search s ON s.rowid = b.id \
             JOIN statements st ON st.id = b.id \
             WHERE statements_search MATCH $1 ORDER BY b.rank"
        ))
        .bind(query)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(StatementHit {
                    id: r.try_get("id")?,
                    document_id: r.try_get("document_id")?,
                    speaker: r.try_get("speaker")?,
                    title: r.try_get("title")?,
                    organization: r.try_get("organization")?,
                    date: r.try_get("date")?,
                    snippet: r.try_get("passage")?,
                    incidents: incident_ids(r.try_get("incidents")?),
                })
            })
            .collect()
    }

    pub(super) async fn sql_search_notes(
        &self,
        text: &str,
        reader: &truce_model::Reader,
        kinds: NoteKinds,
        limit: u32,
    ) -> Result<Vec<NoteHit>, StoreError> {
        let Some(query) = words(text) else {
            return Ok(Vec::new());
        };
        let mut hits = Vec::new();
        if kinds.messages {
            hits.extend(self.search_messages(&query, reader, limit).await?);
        }
        if kinds.reviews {
            hits.extend(self.search_reviews(&query, limit).await?);
        }
        Ok(hits)
    }

    /// The messages the reader may read that match: the audience rule in the query, so that a
    /// message outside the reader's audience is never read.
    async fn search_messages(
        &self,
        query: &str,
        reader: &truce_model::Reader,
        limit: u32,
    ) -> Result<Vec<NoteHit>, StoreError> {
        let (chair, staff, party) = reader_binds(reader);
        let messages = sqlx::query(concat!(
            recent!("messages_search"),
            "best AS (SELECT r.id, r.rank FROM recent r CROSS JOIN messages m ON m.id = r.id WHERE ",
            readable!(m, 2, 3, 4),
            " ORDER BY r.rank LIMIT $5) \
             SELECT m.id, m.incident_id, m.author, m.posted_at AS at, \
             snippet(messages_search, -1, '', '', '…', 24) AS passage \
             FROM best b CROSS JOIN messages_search s ON s.rowid = b.id JOIN messages m ON m.id = b.id \
             WHERE messages_search MATCH $1 ORDER BY b.rank"
        ))
        .bind(query)
        .bind(chair)
        .bind(staff)
        .bind(party)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        messages
            .iter()
            .map(|r| note_from_row(NoteKind::Message, r))
            .collect()
    }

    /// The reviews' notes that match.
    async fn search_reviews(&self, query: &str, limit: u32) -> Result<Vec<NoteHit>, StoreError> {
        let rows = sqlx::query(concat!(
            recent!("reviews_search"),
            "best AS (SELECT id, rank FROM recent ORDER BY rank LIMIT $2) \
             SELECT r.id, r.incident_id, r.reviewed_by AS author, r.reviewed_at AS at, \
             snippet(reviews_search, -1, '', '', '…', 24) AS passage \
             FROM best b CROSS JOIN reviews_search s ON s.rowid = b.id JOIN reviews r ON r.id = b.id \
             WHERE reviews_search MATCH $1 ORDER BY b.rank"
        ))
        .bind(query)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| note_from_row(NoteKind::Review, r))
            .collect()
    }
}

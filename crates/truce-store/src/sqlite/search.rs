//! Full-text search over the reports (migration 0020's `documents_search`): a person's words
//! made into an FTS5 query, and the reports that say them.

use sqlx::Row;

use super::SqliteStore;
use crate::StoreError;

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
        let rows = sqlx::query(
            "SELECT d.id, d.title, d.published, \
             snippet(documents_search, -1, '', '', '…', 24) AS passage, \
             (SELECT group_concat(DISTINCT m.incident_id) FROM incident_members m \
              WHERE m.document_id = d.id) AS incidents \
             FROM documents_search s JOIN documents d ON d.id = s.rowid \
             WHERE documents_search MATCH $1 AND d.status = 'parsed' ORDER BY rank LIMIT $2",
        )
        .bind(query)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let incidents: Option<String> = r.try_get("incidents")?;
                let mut incidents: Vec<i64> = incidents
                    .unwrap_or_default()
                    .split(',')
                    .filter_map(|n| n.parse().ok())
                    .collect();
                incidents.sort_unstable();
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
}

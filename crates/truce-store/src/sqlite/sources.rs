//! The register of watched sources (migration 0022).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::sqlite::SqliteRow;
use truce_model::{SourceState, WatchKind, WatchedSource};

use super::SqliteStore;
use super::rows::corrupt;
use super::workspace::{audit_tx, time};
use crate::{NewAudit, NewSource, SourceRegister, StoreError};

/// The columns of a source, as [`source_from_row`] reads them.
macro_rules! columns {
    () => {
        "SELECT id, url, name, kind, every_secs, follow_links, paused, added_at, added_by, \
         next_fetch_at, state FROM watched_sources "
    };
}

const BY_ID: &str = concat!(columns!(), "WHERE id = $1");
const ALL: &str = concat!(columns!(), "ORDER BY id");
/// Served by `watched_sources_due`.
const DUE: &str = concat!(
    columns!(),
    "WHERE paused = 0 AND next_fetch_at <= $1 ORDER BY next_fetch_at LIMIT $2"
);

fn source_from_row(row: &SqliteRow) -> Result<WatchedSource, StoreError> {
    let kind: String = row.try_get("kind")?;
    let every: i64 = row.try_get("every_secs")?;
    let state: String = row.try_get("state")?;
    let mut state: SourceState =
        serde_json::from_str(&state).map_err(|e| corrupt("watched_sources.state", e))?;
    // The column is when it is due: a watcher's claim moves it, not the state it recorded.
    state.next_fetch_at = time(row, "next_fetch_at")?;
    Ok(WatchedSource {
        id: row.try_get("id")?,
        url: row.try_get("url")?,
        name: row.try_get("name")?,
        kind: kind
            .parse::<WatchKind>()
            .map_err(|e| corrupt("watched_sources.kind", e))?,
        every_secs: u32::try_from(every).map_err(|e| corrupt("watched_sources.every_secs", e))?,
        follow_links: row.try_get("follow_links")?,
        paused: row.try_get("paused")?,
        added_at: time(row, "added_at")?,
        added_by: row.try_get("added_by")?,
        state,
    })
}

/// A time as the register writes it: RFC 3339 in UTC to the nanosecond, fixed width, so that
/// times compare as text and read back equal.
fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true)
}

fn state_json(state: &SourceState) -> Result<String, StoreError> {
    serde_json::to_string(state).map_err(|e| corrupt("source state", e))
}

fn audit(actor: &str, action: &str, source: &WatchedSource) -> NewAudit {
    NewAudit::staff(
        actor,
        action,
        format!("source:{}", source.id),
        serde_json::json!({
            "url": source.url,
            "name": source.name,
            "kind": source.kind.as_str(),
            "every_secs": source.every_secs,
            "follow_links": source.follow_links,
        }),
    )
}

impl SqliteStore {
    async fn one_source(
        tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
        id: i64,
    ) -> Result<Option<WatchedSource>, StoreError> {
        sqlx::query(BY_ID)
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?
            .as_ref()
            .map(source_from_row)
            .transpose()
    }
}

#[async_trait]
impl SourceRegister for SqliteStore {
    async fn add_source(
        &self,
        source: &NewSource,
        actor: &str,
    ) -> Result<WatchedSource, StoreError> {
        let now = Utc::now();
        let state = SourceState::new(now);
        let mut tx = self.write().await?;
        let taken: Option<i64> =
            sqlx::query_scalar("SELECT id FROM watched_sources WHERE url = $1")
                .bind(&source.url)
                .fetch_optional(&mut *tx)
                .await?;
        if let Some(id) = taken {
            return Err(StoreError::Conflict(format!(
                "{} is already watched (source {id})",
                source.url
            )));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO watched_sources (url, name, kind, every_secs, follow_links, paused, \
             added_at, added_by, next_fetch_at, state) \
             VALUES ($1, $2, $3, $4, $5, 0, $6, $7, $8, $9) RETURNING id",
        )
        .bind(&source.url)
        .bind(&source.name)
        .bind(source.kind.as_str())
        .bind(i64::from(source.every_secs))
        .bind(source.follow_links)
        .bind(stamp(now))
        .bind(actor)
        .bind(stamp(state.next_fetch_at))
        .bind(state_json(&state)?)
        .fetch_one(&mut *tx)
        .await?;
        let added = Self::one_source(&mut tx, id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("source {id}")))?;
        audit_tx(&mut tx, &audit(actor, "source.add", &added)).await?;
        tx.commit().await?;
        Ok(added)
    }

    async fn sources(&self) -> Result<Vec<WatchedSource>, StoreError> {
        sqlx::query(ALL)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(source_from_row)
            .collect()
    }

    async fn source(&self, id: i64) -> Result<Option<WatchedSource>, StoreError> {
        sqlx::query(BY_ID)
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .as_ref()
            .map(source_from_row)
            .transpose()
    }

    async fn set_source_paused(
        &self,
        id: i64,
        paused: bool,
        actor: &str,
    ) -> Result<Option<WatchedSource>, StoreError> {
        let mut tx = self.write().await?;
        let Some(mut source) = Self::one_source(&mut tx, id).await? else {
            return Ok(None);
        };
        let changed = source.paused != paused;
        if changed || !paused {
            if !paused {
                // Resumed (or asked for again): due at once.
                source.state.next_fetch_at = Utc::now();
            }
            sqlx::query(
                "UPDATE watched_sources SET paused = $2, next_fetch_at = $3, state = $4 \
                 WHERE id = $1",
            )
            .bind(id)
            .bind(paused)
            .bind(stamp(source.state.next_fetch_at))
            .bind(state_json(&source.state)?)
            .execute(&mut *tx)
            .await?;
            source.paused = paused;
        }
        if changed {
            let action = if paused {
                "source.pause"
            } else {
                "source.resume"
            };
            audit_tx(&mut tx, &audit(actor, action, &source)).await?;
        }
        tx.commit().await?;
        Ok(Some(source))
    }

    async fn remove_source(&self, id: i64, actor: &str) -> Result<bool, StoreError> {
        let mut tx = self.write().await?;
        let Some(source) = Self::one_source(&mut tx, id).await? else {
            return Ok(false);
        };
        sqlx::query("DELETE FROM watched_items WHERE source_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM watched_sources WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit_tx(&mut tx, &audit(actor, "source.remove", &source)).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn claim_due(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<WatchedSource>, StoreError> {
        let mut tx = self.write().await?;
        let due = sqlx::query(DUE)
            .bind(stamp(now))
            .bind(i64::from(limit))
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(source_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        if !due.is_empty() {
            let ids = serde_json::to_string(&due.iter().map(|s| s.id).collect::<Vec<_>>())
                .map_err(|e| corrupt("source ids", e))?;
            sqlx::query(
                "UPDATE watched_sources SET next_fetch_at = $2 \
                 WHERE id IN (SELECT value FROM json_each($1))",
            )
            .bind(ids)
            .bind(stamp(lease_until))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(due)
    }

    async fn next_due(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        let next: Option<String> = sqlx::query_scalar(
            "SELECT next_fetch_at FROM watched_sources WHERE paused = 0 \
             ORDER BY next_fetch_at LIMIT 1",
        )
        .fetch_optional(self.pool())
        .await?;
        next.map(|t| {
            DateTime::parse_from_rfc3339(&t)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|e| corrupt("watched_sources.next_fetch_at", e))
        })
        .transpose()
    }

    async fn record_fetch(
        &self,
        id: i64,
        state: &SourceState,
        items: &[String],
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        let updated =
            sqlx::query("UPDATE watched_sources SET next_fetch_at = $2, state = $3 WHERE id = $1")
                .bind(id)
                .bind(stamp(state.next_fetch_at))
                .bind(state_json(state)?)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        if updated > 0 && !items.is_empty() {
            let keys = serde_json::to_string(items).map_err(|e| corrupt("item keys", e))?;
            sqlx::query(
                "INSERT INTO watched_items (source_id, key, seen_at) \
                 SELECT $1, value, $3 FROM json_each($2) WHERE true \
                 ON CONFLICT (source_id, key) DO NOTHING",
            )
            .bind(id)
            .bind(keys)
            .bind(stamp(Utc::now()))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn unread_items(&self, id: i64, items: &[String]) -> Result<Vec<String>, StoreError> {
        if items.is_empty() {
            return Ok(Vec::new());
        }
        let keys = serde_json::to_string(items).map_err(|e| corrupt("item keys", e))?;
        let rows: Vec<String> = sqlx::query_scalar(
            "SELECT j.value FROM json_each($2) j WHERE NOT EXISTS \
             (SELECT 1 FROM watched_items w WHERE w.source_id = $1 AND w.key = j.value) \
             ORDER BY j.key",
        )
        .bind(id)
        .bind(keys)
        .fetch_all(self.pool())
        .await?;
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use truce_model::{FetchResult, FetchStatus};

    fn feed(url: &str) -> NewSource {
        NewSource {
            url: url.into(),
            name: "Agency wire".into(),
            kind: WatchKind::Feed,
            every_secs: 60,
            follow_links: true,
        }
    }

    #[tokio::test]
    async fn the_register_keeps_sources_their_state_and_the_items_they_read() {
        let store = SqliteStore::open(":memory:").await.unwrap();
        let a = store
            .add_source(&feed("https://a.example/feed.xml"), "admin")
            .await
            .unwrap();
        let b = store
            .add_source(&feed("https://b.example/rss"), "admin")
            .await
            .unwrap();
        let again = store
            .add_source(&feed("https://a.example/feed.xml"), "admin")
            .await;
        assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
        assert_eq!(a.state.status, FetchStatus::Never);

        let now = Utc::now() + chrono::Duration::seconds(1);
        let lease = now + chrono::Duration::seconds(120);
        let due = store.claim_due(now, lease, 1).await.unwrap();
        assert_eq!(due, std::slice::from_ref(&a));
        // Claimed: not due again until the lease ends.
        let rest = store.claim_due(now, lease, 10).await.unwrap();
        assert_eq!(rest.iter().map(|s| s.id).collect::<Vec<_>>(), [b.id]);
        assert!(store.claim_due(now, lease, 10).await.unwrap().is_empty());
        assert_eq!(store.next_due().await.unwrap().unwrap(), lease);

        let items = vec!["guid:1".to_string(), "guid:2".to_string()];
        assert_eq!(store.unread_items(a.id, &items).await.unwrap(), items);
        let fetched = FetchResult::Fetched {
            new_reports: 2,
            etag: Some("\"x\"".into()),
            last_modified: None,
        };
        let state = a.state.after_fetch(a.every_secs, now, &fetched);
        store.record_fetch(a.id, &state, &items).await.unwrap();
        let more = vec!["guid:2".to_string(), "guid:3".to_string()];
        assert_eq!(store.unread_items(a.id, &more).await.unwrap(), ["guid:3"]);
        // Another source has read nothing.
        assert_eq!(store.unread_items(b.id, &more).await.unwrap(), more);

        let read = store.source(a.id).await.unwrap().unwrap();
        assert_eq!(read.state, state);
        let b_lease = store.source(b.id).await.unwrap().unwrap();
        assert_eq!(b_lease.state.next_fetch_at, lease);

        let paused = store
            .set_source_paused(b.id, true, "monitor")
            .await
            .unwrap()
            .unwrap();
        assert!(paused.paused);
        assert_eq!(
            store.next_due().await.unwrap().unwrap(),
            state.next_fetch_at
        );
        assert!(store.claim_due(now, lease, 10).await.unwrap().is_empty());
        let resumed = store
            .set_source_paused(b.id, false, "monitor")
            .await
            .unwrap()
            .unwrap();
        assert!(!resumed.paused);

        assert!(store.remove_source(a.id, "admin").await.unwrap());
        assert!(!store.remove_source(a.id, "admin").await.unwrap());
        // A fetch recorded after its source was removed changes nothing.
        store.record_fetch(a.id, &state, &more).await.unwrap();
        assert!(store.source(a.id).await.unwrap().is_none());
        assert_eq!(store.unread_items(a.id, &more).await.unwrap(), more);
        assert_eq!(store.sources().await.unwrap().len(), 1);
        assert!(
            store
                .set_source_paused(a.id, true, "admin")
                .await
                .unwrap()
                .is_none()
        );
    }
}

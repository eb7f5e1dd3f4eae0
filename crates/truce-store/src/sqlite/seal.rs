//! The rows the audit log vouches for: each change to one of these tables is written with an
//! audit entry carrying the hash of the row's content after it ([`truce_model::Seal`]), so that
//! `truce audit verify` can recompute every row and find the ones edited straight in the
//! database. A row's content is rendered by SQLite itself (`json_array` of its columns), the same
//! text when it is sealed and when it is checked.

use sqlx::{Row, Sqlite, Transaction};
use truce_model::{Seal, content_hash};

use super::SqliteStore;
use crate::StoreError;

/// One sealed table and its three queries (one row, rows by key list, every row).
pub(super) struct SealedTable {
    pub(super) name: &'static str,
    one: &'static str,
    many: &'static str,
    all: &'static str,
}

macro_rules! sealed {
    ($name:literal, $key:literal, $content:literal) => {
        SealedTable {
            name: $name,
            one: concat!(
                "SELECT ", $content, " FROM ", $name, " WHERE ", $key, " = $1"
            ),
            many: concat!(
                "SELECT ",
                $key,
                " AS k, ",
                $content,
                " AS c FROM ",
                $name,
                " WHERE ",
                $key,
                " IN (SELECT value FROM json_each($1))"
            ),
            all: concat!(
                "SELECT ",
                $key,
                " AS k, ",
                $content,
                " AS c FROM ",
                $name,
                " ORDER BY ",
                $key
            ),
        }
    };
}

/// Every sealed table: the incident records, their review state, and each item of the
/// workspace (review, message, case file and ruling, submission, request, correction).
pub(super) const SEALED: &[SealedTable] = &[
    sealed!(
        "incidents",
        "id",
        "json_array(id, event_type, sub_event_type, date, date_end, country, location_name, lat, \
         lon, fatalities_low, fatalities_high, sources, documents, record, admin1, target, \
         perpetrators)"
    ),
    sealed!(
        "incident_state",
        "incident_id",
        "json_array(incident_id, status, grade, updated_by, updated_at)"
    ),
    sealed!(
        "reviews",
        "id",
        "json_array(id, incident_id, status, grade, note, reviewed_by, reviewed_at)"
    ),
    sealed!(
        "messages",
        "id",
        "json_array(id, incident_id, author, body, mentions, posted_at, audience, audience_party)"
    ),
    sealed!(
        "cases",
        "incident_id",
        "json_array(incident_id, opened_by, opened_at, ruling, ruling_note, ruled_by, ruled_at, \
         published_at)"
    ),
    sealed!(
        "case_submissions",
        "id",
        "json_array(id, incident_id, party, author, body, submitted_at)"
    ),
    sealed!(
        "case_rfis",
        "id",
        "json_array(id, incident_id, addressed_to, question, deadline, asked_by, asked_at, \
         answer, answered_by, answered_at)"
    ),
    sealed!(
        "corrections",
        "id",
        "json_array(id, incident_id, kind, field, old_value, new_value, reason, corrected_by, \
         corrected_at)"
    ),
];

fn table(name: &str) -> Result<&'static SealedTable, StoreError> {
    SEALED
        .iter()
        .find(|t| t.name == name)
        .ok_or_else(|| StoreError::Corrupt(format!("{name} is not a sealed table")))
}

/// The seal of one row as it stands in the transaction (`None` hash when it is gone).
pub(super) async fn seal_one(
    tx: &mut Transaction<'_, Sqlite>,
    name: &str,
    key: i64,
) -> Result<Seal, StoreError> {
    let t = table(name)?;
    let content: Option<String> = sqlx::query_scalar(t.one)
        .bind(key)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(Seal {
        table: t.name.to_string(),
        key,
        hash: content.map(|c| content_hash(t.name, &c)),
    })
}

/// The seals of rows by key, as they stand in the transaction (gone rows sealed `None`).
pub(super) async fn seal_many(
    tx: &mut Transaction<'_, Sqlite>,
    name: &str,
    keys: &[i64],
) -> Result<Vec<Seal>, StoreError> {
    let t = table(name)?;
    let rows = sqlx::query(t.many)
        .bind(super::incidents::ids_json(keys.iter().copied()))
        .fetch_all(&mut **tx)
        .await?;
    let mut found = std::collections::HashMap::with_capacity(rows.len());
    for r in rows {
        let k: i64 = r.try_get("k")?;
        let c: String = r.try_get("c")?;
        found.insert(k, content_hash(t.name, &c));
    }
    Ok(keys
        .iter()
        .map(|k| Seal {
            table: t.name.to_string(),
            key: *k,
            hash: found.remove(k),
        })
        .collect())
}

/// A detail with seals added.
pub(super) fn with_seals(mut detail: serde_json::Value, seals: &[Seal]) -> serde_json::Value {
    if let serde_json::Value::Object(m) = &mut detail {
        m.insert("seal".into(), truce_model::seals_json(seals));
    }
    detail
}

impl SqliteStore {
    /// Every row of every sealed table, with the hash of its content now.
    pub(super) async fn sql_sealed_rows(&self) -> Result<Vec<Seal>, StoreError> {
        let mut out = Vec::new();
        for t in SEALED {
            let rows = sqlx::query(t.all).fetch_all(&self.pool).await?;
            out.reserve(rows.len());
            for r in rows {
                let c: String = r.try_get("c")?;
                out.push(Seal {
                    table: t.name.to_string(),
                    key: r.try_get("k")?,
                    hash: Some(content_hash(t.name, &c)),
                });
            }
        }
        Ok(out)
    }
}

//! Incidents, decisions and the resolver's candidate search, in SQLite.
//!
//! Lists of ids and event keys travel as one JSON parameter, read back with `json_each`, so every
//! query stays parameterised whatever the list's length.

use chrono::Utc;
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite, Transaction};
use truce_model::{DocumentId, EventRef, Incident};

use super::SqliteStore;
use super::rows::{corrupt, day};
use crate::{
    Decision, DecisionKind, IncidentDay, IncidentPoint, IncidentQuery, IncidentRecord, NewIncident,
    StoreError, StoredEvent, StoredIncident,
};

/// How many of the newest matches of each full-text index the incident list's text filter
/// reads: its cost does not grow with the record; a word said in more places than this finds
/// the latest of them (more words narrow it).
macro_rules! text_matches {
    () => {
        "2000"
    };
}

/// Appends `AND ...` for every filter of the query (the incidents table is `i`, its review state
/// `s`).
fn push_filters(b: &mut QueryBuilder<Sqlite>, q: &IncidentQuery) {
    if let Some(since) = &q.since {
        b.push(" AND i.date >= ").push_bind(since.clone());
    }
    if let Some(until) = &q.until {
        b.push(" AND i.date <= ").push_bind(until.clone());
    }
    if let Some(t) = &q.event_type {
        b.push(" AND (i.event_type = ")
            .push_bind(t.clone())
            .push(" OR i.sub_event_type = ")
            .push_bind(t.clone())
            .push(")");
    }
    if let Some([south, north, west, east]) = q.bbox {
        for (column, low, high) in [("i.lat", south, north), ("i.lon", west, east)] {
            if q.published_only {
                // The rounded value, exactly as published (`round(x * 10) / 10`); the wider
                // band on the exact value first lets the index narrow the rows.
                b.push(format!(" AND {column} BETWEEN "))
                    .push_bind(low - 0.06)
                    .push(" AND ")
                    .push_bind(high + 0.06)
                    .push(format!(" AND round({column} * 10) / 10.0 BETWEEN "));
            } else {
                b.push(format!(" AND {column} BETWEEN "));
            }
            b.push_bind(low).push(" AND ").push_bind(high);
        }
    }
    if let Some(area) = &q.area {
        // Each form by its index (country, admin1, location_name: SQLite reads the OR of
        // indexed terms as a union of index searches); each list as one JSON parameter.
        let list = |v: &Vec<String>| serde_json::to_string(v).unwrap_or_else(|_| "[]".into());
        b.push(" AND (i.country IN (SELECT value FROM json_each(")
            .push_bind(list(&area.countries))
            .push(")) OR i.admin1 IN (SELECT value FROM json_each(")
            .push_bind(list(&area.admin1))
            .push(")) OR i.location_name IN (SELECT value FROM json_each(")
            .push_bind(list(&area.places))
            .push(")))");
    }
    if let Some(p) = &q.perpetrator {
        b.push(" AND (instr(lower(coalesce(i.perpetrators, '')), lower(")
            .push_bind(p.clone())
            .push(")) > 0");
        if !q.perpetrator_names.is_empty() {
            b.push(" OR EXISTS (SELECT 1 FROM json_each(")
                .push_bind(
                    serde_json::to_string(&q.perpetrator_names).unwrap_or_else(|_| "[]".into()),
                )
                .push(") n WHERE instr(lower(coalesce(i.perpetrators, '')), lower(n.value)) > 0)");
        }
        b.push(")");
    }
    if let Some(party) = &q.concerning {
        // Blamed for it, or asked about it in its case.
        b.push(" AND (instr(coalesce(i.perpetrators, ''), ")
            .push_bind(format!("|{party}|"))
            .push(") > 0 OR EXISTS (SELECT 1 FROM case_rfis q WHERE q.addressed_to = ")
            .push_bind(party.clone())
            .push(" AND q.incident_id = i.id))");
    }
    if let Some(t) = &q.target {
        b.push(" AND i.target = ").push_bind(t.clone());
    }
    if let Some(status) = &q.status {
        b.push(" AND coalesce(s.status, 'unverified') = ")
            .push_bind(status.clone());
    }
    if let Some(text) = &q.text {
        let Some(words) = super::search::words(text) else {
            // Words are what the filter looks for: text without one finds nothing.
            b.push(" AND 0");
            return;
        };
        // The newest incidents that name the words (migration 0024's index: place, area,
        // country, types, target, perpetrators) ...
        b.push(" AND (i.id IN (SELECT rowid FROM incidents_search WHERE incidents_search MATCH ")
            .push_bind(words.clone())
            .push(concat!(" ORDER BY rowid DESC LIMIT ", text_matches!(), ")"));
        if q.text_in_reports && !q.published_only {
            // ... and those of the newest reports that say them (by the members' key, which
            // begins with the document).
            b.push(
                " OR i.id IN (SELECT m.incident_id FROM incident_members m \
                 WHERE m.document_id IN (SELECT rowid FROM documents_search \
                 WHERE documents_search MATCH ",
            )
            .push_bind(words)
            .push(concat!(
                " ORDER BY rowid DESC LIMIT ",
                text_matches!(),
                "))"
            ));
        }
        b.push(")");
    }
}

/// SQL: whether the incident `$i` was retracted (a retraction among its corrections, found by
/// the index on the incident), as 0 or 1.
macro_rules! retracted {
    ($i:ident) => {
        concat!(
            "EXISTS (SELECT 1 FROM corrections rc WHERE rc.incident_id = ",
            stringify!($i),
            ".id AND rc.kind = 'retraction')"
        )
    };
}
pub(super) use retracted;

/// SQL: the incident `$i` stands on the record (neither retracted nor discounted on review):
/// what exports and counts read unless asked for more.
macro_rules! standing {
    ($i:ident) => {
        concat!(
            "NOT ",
            retracted!($i),
            " AND NOT EXISTS (SELECT 1 FROM incident_state ws WHERE ws.incident_id = ",
            stringify!($i),
            ".id AND ws.status = 'discounted')"
        )
    };
}
pub(super) use standing;

/// `SELECT <event columns with the document's> FROM events e JOIN documents d <rest>`.
macro_rules! select_events {
    ($rest:literal) => {
        concat!(
            "SELECT e.id, e.document_id, e.ordinal, e.record, e.extractor_version, ",
            "d.external_id, d.published FROM events e JOIN documents d ON d.id = e.document_id ",
            $rest
        )
    };
}
pub(super) use select_events;

fn refs_json(refs: &[EventRef]) -> String {
    let pairs: Vec<[i64; 2]> = refs
        .iter()
        .map(|r| [r.document, i64::from(r.ordinal)])
        .collect();
    serde_json::Value::from(
        pairs
            .iter()
            .map(|p| serde_json::Value::from(p.to_vec()))
            .collect::<Vec<_>>(),
    )
    .to_string()
}

pub(super) fn ids_json(ids: impl IntoIterator<Item = i64>) -> String {
    serde_json::Value::from(ids.into_iter().collect::<Vec<i64>>()).to_string()
}

/// Reads an event row selected with [`select_events`].
pub(super) fn event_from_row(row: &SqliteRow) -> Result<StoredEvent, StoreError> {
    let record: String = row.try_get("record")?;
    let published: Option<String> = row.try_get("published")?;
    Ok(StoredEvent {
        id: row.try_get("id")?,
        document_id: DocumentId(row.try_get("document_id")?),
        external_id: row.try_get("external_id")?,
        ordinal: row.try_get::<i64, _>("ordinal")? as u32,
        event: serde_json::from_str(&record).map_err(|e| corrupt("event record", e))?,
        extractor_version: row.try_get("extractor_version")?,
        published: published.map(|p| day("published date", &p)).transpose()?,
    })
}

/// An incident's review status: unverified until someone reviews it (no `incident_state` row).
fn review_status(status: Option<&str>) -> Result<truce_model::ReviewStatus, StoreError> {
    Ok(status
        .map(|s| s.parse().map_err(|e| corrupt("review status", e)))
        .transpose()?
        .unwrap_or(truce_model::ReviewStatus::Unverified))
}

/// When the resolver last wrote an incident (`updated_at`, RFC 3339).
fn updated_at(at: &str) -> Result<chrono::DateTime<Utc>, StoreError> {
    Ok(chrono::DateTime::parse_from_rfc3339(at)
        .map_err(|e| corrupt("updated_at", e))?
        .with_timezone(&Utc))
}

fn incident_from_row(row: &SqliteRow) -> Result<StoredIncident, StoreError> {
    let record: String = row.try_get("record")?;
    let at: String = row.try_get("updated_at")?;
    let status: Option<String> = row.try_get("review_status").unwrap_or(None);
    Ok(StoredIncident {
        status: review_status(status.as_deref())?,
        retracted: row.try_get("retracted")?,
        id: row.try_get("id")?,
        incident: serde_json::from_str(&record).map_err(|e| corrupt("incident record", e))?,
        updated_at: updated_at(&at)?,
    })
}

/// An incident record from the columns of [`super::bulk::INCIDENT_RECORDS`].
pub(super) fn incident_record(
    id: i64,
    record: String,
    updated_at: &str,
    status: Option<&str>,
    verdict: Option<&str>,
    agreement: Option<&str>,
    agreement_version: Option<i64>,
) -> Result<IncidentRecord, StoreError> {
    Ok(IncidentRecord {
        retracted: false,
        id,
        record,
        updated_at: self::updated_at(updated_at)?.timestamp(),
        status: review_status(status)?,
        verdict: verdict.map(super::rows::verdict).transpose()?,
        agreement: agreement.map(str::to_string),
        agreement_version,
        alerts: Vec::new(),
    })
}

/// The first event of each incident about to be removed (those `retire` names, or every one)
/// that carries corrections.
async fn corrected_first_events(
    tx: &mut Transaction<'_, Sqlite>,
    retire: Option<&[i64]>,
) -> Result<Vec<(i64, EventRef)>, StoreError> {
    let rows = match retire {
        Some(ids) => {
            sqlx::query(
                "SELECT m.incident_id, m.document_id, m.ordinal FROM incident_members m \
                 WHERE m.incident_id IN (SELECT DISTINCT c.incident_id FROM corrections c \
                     WHERE c.incident_id IN (SELECT value FROM json_each($1)) \
                     AND c.kind = 'correction') \
                 ORDER BY m.incident_id, m.document_id, m.ordinal",
            )
            .bind(ids_json(ids.iter().copied()))
            .fetch_all(&mut **tx)
            .await?
        }
        None => {
            sqlx::query(
                "SELECT m.incident_id, m.document_id, m.ordinal FROM incident_members m \
                 WHERE m.incident_id IN (SELECT DISTINCT c.incident_id FROM corrections c \
                     WHERE c.kind = 'correction') \
                 ORDER BY m.incident_id, m.document_id, m.ordinal",
            )
            .fetch_all(&mut **tx)
            .await?
        }
    };
    let mut firsts: Vec<(i64, EventRef)> = Vec::new();
    for row in &rows {
        let id: i64 = row.try_get(0)?;
        if firsts.last().is_some_and(|(last, _)| *last == id) {
            continue;
        }
        firsts.push((
            id,
            EventRef {
                document: row.try_get(1)?,
                ordinal: row.try_get::<i64, _>(2)? as u32,
            },
        ));
    }
    Ok(firsts)
}

/// Hands the corrections of each removed incident that does not keep its id to the new
/// incident holding its first event (corrections in the order they were made, whichever
/// incident they were made on), resealing the rows and saying so in the audit log.
async fn carry_corrections(
    tx: &mut Transaction<'_, Sqlite>,
    firsts: &[(i64, EventRef)],
    new: &[NewIncident],
    ids: &[i64],
) -> Result<(), StoreError> {
    for (from, first) in firsts {
        if ids.contains(from) {
            continue;
        }
        let Some(to) = new
            .iter()
            .zip(ids)
            .find(|(n, _)| n.incident.sources.contains(first))
            .map(|(_, id)| *id)
        else {
            continue;
        };
        let moved: Vec<i64> = sqlx::query_scalar(
            "UPDATE corrections SET incident_id = $2 WHERE incident_id = $1 \
             AND kind = 'correction' RETURNING id",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&mut **tx)
        .await?;
        if moved.is_empty() {
            continue;
        }
        let seals = super::seal::seal_many(tx, "corrections", &moved).await?;
        super::workspace::audit_tx(
            tx,
            &crate::NewAudit {
                actor: "system".into(),
                action: "corrections.carry".into(),
                subject: format!("incident:{to}"),
                detail: serde_json::json!({"from": from, "to": to, "corrections": moved,
                    "seal": truce_model::seals_json(&seals)}),
                audience: truce_model::Audience::Public,
            },
        )
        .await?;
    }
    Ok(())
}

/// The corrections (not retractions) of these incidents, oldest first, by incident: one query,
/// by the index on the incident.
pub(super) async fn corrections_of(
    tx: &mut Transaction<'_, Sqlite>,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, Vec<truce_model::Correction>>, StoreError> {
    let mut out: std::collections::HashMap<i64, Vec<truce_model::Correction>> =
        std::collections::HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let rows = sqlx::query(
        "SELECT * FROM corrections WHERE incident_id IN (SELECT value FROM json_each($1)) \
         AND kind = 'correction' ORDER BY incident_id, id",
    )
    .bind(ids_json(ids.iter().copied()))
    .fetch_all(&mut **tx)
    .await?;
    for row in &rows {
        let c = super::workspace::correction_from_row(row)?;
        out.entry(c.incident_id).or_default().push(c);
    }
    Ok(out)
}

/// Writes an incident's record and the columns read from it (after a correction), keeping its
/// members.
pub(super) async fn rewrite_incident(
    tx: &mut Transaction<'_, Sqlite>,
    id: i64,
    i: &Incident,
) -> Result<(), StoreError> {
    let record = serde_json::to_string(i).map_err(|e| corrupt("incident record", e))?;
    let loc = i.location.as_ref();
    sqlx::query(
        "UPDATE incidents SET event_type = $2, sub_event_type = $3, date = $4, date_end = $5, \
         country = $6, location_name = $7, lat = $8, lon = $9, fatalities_low = $10, \
         fatalities_high = $11, record = $12, updated_at = $13, admin1 = $14, target = $15 \
         WHERE id = $1",
    )
    .bind(id)
    .bind(i.event_type.as_str())
    .bind(i.sub_event_type.as_deref())
    .bind(i.date.map(|d| d.to_string()))
    .bind(i.date_end.map(|d| d.to_string()))
    .bind(loc.and_then(|l| l.country.as_deref()))
    .bind(loc.map(|l| l.name.as_str()))
    .bind(loc.and_then(|l| l.lat))
    .bind(loc.and_then(|l| l.lon))
    .bind(i.fatalities.and_then(|f| f.low).map(i64::from))
    .bind(i.fatalities.and_then(|f| f.high).map(i64::from))
    .bind(record.as_str())
    .bind(Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true))
    .bind(loc.and_then(|l| l.admin1.as_deref()))
    .bind(i.target.as_deref())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn decision_from_row(row: &SqliteRow) -> Result<Decision, StoreError> {
    let kind: String = row.try_get("kind")?;
    let at: String = row.try_get("decided_at")?;
    let event = |d: &str, o: &str| -> Result<EventRef, StoreError> {
        Ok(EventRef {
            document: row.try_get(d)?,
            ordinal: row.try_get::<i64, _>(o)? as u32,
        })
    };
    Ok(Decision {
        kind: match kind.as_str() {
            "together" => DecisionKind::Together,
            "apart" => DecisionKind::Apart,
            other => return Err(corrupt("decision kind", other)),
        },
        a: event("a_document", "a_ordinal")?,
        b: event("b_document", "b_ordinal")?,
        decided_by: row.try_get("decided_by")?,
        decided_at: chrono::DateTime::parse_from_rfc3339(&at)
            .map_err(|e| corrupt("decided_at", e))?
            .with_timezone(&Utc),
        note: row.try_get("note")?,
    })
}

/// The incident each of these events is filed under, and each event of these documents, read by
/// `executor` (the pool, or a write transaction that must see its own changes).
async fn incidents_of<'e>(
    executor: impl sqlx::Executor<'e, Database = Sqlite>,
    refs: &[EventRef],
    docs: &[DocumentId],
) -> Result<Vec<(EventRef, i64)>, StoreError> {
    // Two lookups by the members' key joined by UNION: an `EXISTS ... OR ... IN` over the
    // members scanned every member of every incident, a cost that grew with the record.
    let rows = sqlx::query(
        "SELECT m.document_id, m.ordinal, m.incident_id FROM json_each($1) j \
         JOIN incident_members m ON m.document_id = j.value ->> 0 AND m.ordinal = j.value ->> 1 \
         UNION \
         SELECT m.document_id, m.ordinal, m.incident_id FROM incident_members m \
         WHERE m.document_id IN (SELECT value FROM json_each($2)) \
         ORDER BY 1, 2",
    )
    .bind(refs_json(refs))
    .bind(ids_json(docs.iter().map(|d| d.0)))
    .fetch_all(executor)
    .await?;
    rows.iter()
        .map(|row| {
            Ok((
                EventRef {
                    document: row.try_get("document_id")?,
                    ordinal: row.try_get::<i64, _>("ordinal")? as u32,
                },
                row.try_get("incident_id")?,
            ))
        })
        .collect()
}

impl SqliteStore {
    pub(super) async fn sql_events_by_ref(
        &self,
        refs: &[EventRef],
    ) -> Result<Vec<StoredEvent>, StoreError> {
        let rows = sqlx::query(select_events!(
            "JOIN json_each($1) j ON e.document_id = j.value ->> 0 AND e.ordinal = j.value ->> 1 \
             ORDER BY e.document_id, e.ordinal"
        ))
        .bind(refs_json(refs))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(event_from_row).collect()
    }

    pub(super) async fn sql_events_of_documents(
        &self,
        docs: &[DocumentId],
    ) -> Result<Vec<StoredEvent>, StoreError> {
        let rows = sqlx::query(select_events!(
            "WHERE e.document_id IN (SELECT value FROM json_each($1)) \
             ORDER BY e.document_id, e.ordinal"
        ))
        .bind(ids_json(docs.iter().map(|d| d.0)))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(event_from_row).collect()
    }

    pub(super) async fn sql_all_events(
        &self,
        after: Option<EventRef>,
        limit: u32,
    ) -> Result<Vec<StoredEvent>, StoreError> {
        let after = after.unwrap_or(EventRef {
            document: 0,
            ordinal: 0,
        });
        let rows = sqlx::query(select_events!(
            "WHERE (e.document_id, e.ordinal) > ($1, $2) ORDER BY e.document_id, e.ordinal LIMIT $3"
        ))
        .bind(after.document)
        .bind(i64::from(after.ordinal))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(event_from_row).collect()
    }

    pub(super) async fn sql_incidents_of(
        &self,
        refs: &[EventRef],
        docs: &[DocumentId],
    ) -> Result<Vec<(EventRef, i64)>, StoreError> {
        incidents_of(&self.pool, refs, docs).await
    }

    pub(super) async fn sql_incident_members(
        &self,
        ids: Option<&[i64]>,
    ) -> Result<Vec<(i64, EventRef)>, StoreError> {
        // Two statements: with ids, the index on incident_id answers (`$1 IS NULL OR ...` would
        // scan every member).
        let rows = match ids {
            Some(ids) => {
                sqlx::query(
                    "SELECT incident_id, document_id, ordinal FROM incident_members \
                     WHERE incident_id IN (SELECT value FROM json_each($1)) \
                     ORDER BY incident_id, document_id, ordinal",
                )
                .bind(ids_json(ids.iter().copied()))
                .fetch_all(&self.pool)
                .await?
            }
            None => {
                sqlx::query(
                    "SELECT incident_id, document_id, ordinal FROM incident_members \
                     ORDER BY incident_id, document_id, ordinal",
                )
                .fetch_all(&self.pool)
                .await?
            }
        };
        rows.iter()
            .map(|row| {
                Ok((
                    row.try_get("incident_id")?,
                    EventRef {
                        document: row.try_get("document_id")?,
                        ordinal: row.try_get::<i64, _>("ordinal")? as u32,
                    },
                ))
            })
            .collect()
    }

    pub(super) async fn sql_replace_incidents(
        &self,
        retire: Option<&[i64]>,
        new: &[NewIncident],
        resolved: &[DocumentId],
    ) -> Result<Vec<i64>, StoreError> {
        let now = Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        // A writer from the start: the ids given out below must not race another writer's.
        let mut tx = self.write().await?;
        let mut retired_documents: Vec<i64> = resolved.iter().map(|d| d.0).collect();
        // Corrected incidents among those removed, with their first event: an incident that
        // does not keep its id (merged into another, split) hands its corrections on to the
        // incident its first event goes to, so that no correction is lost to a merge.
        let corrected_firsts = corrected_first_events(&mut tx, retire).await?;
        // What is removed, for the audit log's seals.
        let removed: Vec<i64>;
        match retire {
            None => {
                removed = sqlx::query_scalar("SELECT id FROM incidents")
                    .fetch_all(&mut *tx)
                    .await?;
                sqlx::query("DELETE FROM incident_members")
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("DELETE FROM incidents")
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("DELETE FROM pending_documents WHERE stage = 'resolve'")
                    .execute(&mut *tx)
                    .await?;
            }
            Some(ids) => {
                removed = ids.to_vec();
                sqlx::query(
                    "DELETE FROM pending_documents WHERE stage = 'resolve' \
                     AND document_id IN (SELECT value FROM json_each($1))",
                )
                .bind(ids_json(resolved.iter().map(|d| d.0)))
                .execute(&mut *tx)
                .await?;
                let ids = ids_json(ids.iter().copied());
                // The documents whose events are filed under what is retired: if the new
                // incidents leave one of their events out (a neighbourhood read before another
                // writer changed it), they go back on the resolution queue below.
                let touched: Vec<i64> = sqlx::query_scalar(
                    "SELECT DISTINCT document_id FROM incident_members \
                     WHERE incident_id IN (SELECT value FROM json_each($1))",
                )
                .bind(&ids)
                .fetch_all(&mut *tx)
                .await?;
                retired_documents.extend(touched);
                sqlx::query(
                    "DELETE FROM incident_members WHERE incident_id IN (SELECT value FROM json_each($1))",
                )
                .bind(&ids)
                .execute(&mut *tx)
                .await?;
                sqlx::query("DELETE FROM incidents WHERE id IN (SELECT value FROM json_each($1))")
                    .bind(&ids)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        // Kept ids first, checked free; then fresh ids from the sequence, which never gives an id
        // twice (not even one retired just now).
        let mut last: i64 = sqlx::query_scalar("SELECT last FROM incident_sequence WHERE id = 1")
            .fetch_one(&mut *tx)
            .await?;
        let kept: Vec<i64> = new.iter().filter_map(|n| n.id).collect();
        let in_use: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM incidents WHERE id IN (SELECT value FROM json_each($1))",
        )
        .bind(ids_json(kept.iter().copied()))
        .fetch_all(&mut *tx)
        .await?;
        let mut ids: Vec<i64> = Vec::with_capacity(new.len());
        for n in new {
            if let Some(id) = n.id {
                if in_use.contains(&id) || ids.contains(&id) {
                    return Err(StoreError::Conflict(format!(
                        "incident {id} is still in use: only a retired incident's id can be kept"
                    )));
                }
                last = last.max(id);
            }
            ids.push(n.id.unwrap_or(0));
        }
        for (slot, n) in ids.iter_mut().zip(new) {
            if n.id.is_none() {
                last += 1;
                *slot = last;
            }
        }
        sqlx::query("UPDATE incident_sequence SET last = $1 WHERE id = 1")
            .bind(last)
            .execute(&mut *tx)
            .await?;
        carry_corrections(&mut tx, &corrected_firsts, new, &ids).await?;
        // People's corrections stand over every merge: an incident that keeps its id keeps them.
        let mut corrections = corrections_of(&mut tx, &ids).await?;
        let corrected: Vec<Option<Incident>> = new
            .iter()
            .zip(&ids)
            .map(|(n, id)| {
                corrections
                    .remove(id)
                    .map(|cs| truce_model::correction::corrected(&n.incident, &cs))
            })
            .collect();
        let mut rows = Vec::with_capacity(new.len());
        let mut members: Vec<(EventRef, i64)> = Vec::new();
        for ((n, id), fixed) in new.iter().zip(&ids).zip(&corrected) {
            let i: &Incident = fixed.as_ref().unwrap_or(&n.incident);
            let record = serde_json::to_string(i).map_err(|e| corrupt("incident record", e))?;
            let perpetrators = (!i.perpetrators.is_empty()).then(|| {
                let names: Vec<&str> = i.perpetrators.iter().map(|p| p.name.as_str()).collect();
                format!("|{}|", names.join("|"))
            });
            rows.push((*id, i, record, i.documents().len() as i64, perpetrators));
            members.extend(i.sources.iter().map(|m| (*m, *id)));
        }
        super::many::insert(
            &mut tx,
            "INSERT INTO incidents (id, event_type, sub_event_type, date, date_end, country, \
             location_name, lat, lon, fatalities_low, fatalities_high, sources, documents, \
             record, updated_at, admin1, target, perpetrators) ",
            "",
            18,
            &rows,
            |row, (id, i, record, documents, perpetrators)| {
                let loc = i.location.as_ref();
                row.push_bind(*id)
                    .push_bind(i.event_type.as_str())
                    .push_bind(i.sub_event_type.as_deref())
                    .push_bind(i.date.map(|d| d.to_string()))
                    .push_bind(i.date_end.map(|d| d.to_string()))
                    .push_bind(loc.and_then(|l| l.country.as_deref()))
                    .push_bind(loc.map(|l| l.name.as_str()))
                    .push_bind(loc.and_then(|l| l.lat))
                    .push_bind(loc.and_then(|l| l.lon))
                    .push_bind(i.fatalities.and_then(|f| f.low).map(i64::from))
                    .push_bind(i.fatalities.and_then(|f| f.high).map(i64::from))
                    .push_bind(i.sources.len() as i64)
                    .push_bind(*documents)
                    .push_bind(record.as_str())
                    .push_bind(now.as_str())
                    .push_bind(loc.and_then(|l| l.admin1.as_deref()))
                    .push_bind(i.target.as_deref())
                    .push_bind(perpetrators.as_deref());
            },
        )
        .await?;
        // The incidents the members leave, if they move: emptied, they go (below).
        let refs: Vec<EventRef> = members.iter().map(|(r, _)| *r).collect();
        let moved_to: std::collections::HashMap<EventRef, i64> = members.iter().copied().collect();
        let mut vacated: Vec<i64> = incidents_of(&mut *tx, &refs, &[])
            .await?
            .into_iter()
            .filter(|(key, was)| moved_to.get(key) != Some(was))
            .map(|(_, was)| was)
            .collect();
        // An event is in one incident: a later row for it moves it.
        super::many::insert(
            &mut tx,
            "INSERT INTO incident_members (document_id, ordinal, incident_id) ",
            " ON CONFLICT (document_id, ordinal) DO UPDATE SET incident_id = excluded.incident_id",
            3,
            &members,
            |row, (member, id)| {
                row.push_bind(member.document)
                    .push_bind(i64::from(member.ordinal))
                    .push_bind(*id);
            },
        )
        .await?;
        let written = ids;
        // Incidents left without members (their events moved) are gone: only those that lost a
        // member here can be, so only they are looked at (never the whole table).
        vacated.sort_unstable();
        vacated.dedup();
        if !vacated.is_empty() {
            sqlx::query(
                "DELETE FROM incidents WHERE id IN (SELECT value FROM json_each($1)) \
                 AND NOT EXISTS (SELECT 1 FROM incident_members m WHERE m.incident_id = incidents.id)",
            )
            .bind(ids_json(vacated.iter().copied()))
            .execute(&mut *tx)
            .await?;
        }
        // No event is ever left outside every incident: a document of the neighbourhood with an
        // event the new incidents do not hold is queued for resolution again.
        if retire.is_some() && !retired_documents.is_empty() {
            sqlx::query(
                "INSERT INTO pending_documents (document_id, stage, since) \
                 SELECT DISTINCT e.document_id, 'resolve', $2 FROM events e \
                 WHERE e.document_id IN (SELECT value FROM json_each($1)) \
                 AND NOT EXISTS (SELECT 1 FROM incident_members m \
                     WHERE m.document_id = e.document_id AND m.ordinal = e.ordinal) \
                 ON CONFLICT (document_id) DO NOTHING",
            )
            .bind(ids_json(retired_documents.iter().copied()))
            .bind(&now)
            .execute(&mut *tx)
            .await?;
        }
        // The audit log vouches for every incident record as written (and for the removal of
        // those retired), so that an edit made straight in the database shows.
        let kept: std::collections::HashSet<i64> = written.iter().copied().collect();
        let mut keys: Vec<i64> = written.clone();
        keys.extend(removed.iter().filter(|id| !kept.contains(id)));
        for chunk in keys.chunks(5000) {
            let seals = super::seal::seal_many(&mut tx, "incidents", chunk).await?;
            super::workspace::audit_tx(
                &mut tx,
                &crate::NewAudit::staff(
                    "system",
                    "incidents.write",
                    "incidents",
                    serde_json::json!({"seal": truce_model::seals_json(&seals)}),
                ),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(written)
    }

    pub(super) async fn sql_incidents(
        &self,
        q: &IncidentQuery,
    ) -> Result<Vec<StoredIncident>, StoreError> {
        let limit = i64::from(q.limit.unwrap_or(1000));
        let page = |after: Option<&(String, i64)>, undated: bool, limit: i64| {
            let mut b = QueryBuilder::<Sqlite>::new(concat!(
                "SELECT i.id, i.record, i.updated_at, s.status AS review_status, ",
                retracted!(i),
                " AS retracted FROM incidents i \
                 LEFT JOIN incident_state s ON s.incident_id = i.id WHERE 1 = 1"
            ));
            push_filters(&mut b, q);
            if q.newest_first {
                // Newest first, undated last (NULL is the smallest key). A cursor is a row-value
                // comparison so that the (date, id) indexes serve it; the undated rows past the
                // dated ones are a second query.
                match (after, undated) {
                    (Some((date, id)), false) => {
                        b.push(" AND (i.date, i.id) < (")
                            .push_bind(date.clone())
                            .push(", ")
                            .push_bind(*id)
                            .push(")");
                    }
                    (Some((_, id)), true) => {
                        b.push(" AND i.date IS NULL AND i.id < ").push_bind(*id);
                    }
                    (None, true) => {
                        b.push(" AND i.date IS NULL");
                    }
                    (None, false) => {}
                }
                b.push(" ORDER BY i.date DESC, i.id DESC");
            } else {
                b.push(" ORDER BY i.date, i.id");
            }
            b.push(" LIMIT ")
                .push_bind(limit)
                .push(" OFFSET ")
                .push_bind(i64::from(q.offset.unwrap_or(0)));
            b
        };
        let mut rows = match &q.before {
            Some((date, _)) if q.newest_first && !date.is_empty() => {
                let mut rows = page(q.before.as_ref(), false, limit)
                    .build()
                    .fetch_all(&self.pool)
                    .await?;
                if (rows.len() as i64) < limit {
                    let rest = limit - rows.len() as i64;
                    rows.extend(page(None, true, rest).build().fetch_all(&self.pool).await?);
                }
                rows
            }
            Some((date, _)) if q.newest_first && date.is_empty() => {
                page(q.before.as_ref(), true, limit)
                    .build()
                    .fetch_all(&self.pool)
                    .await?
            }
            _ => {
                page(None, false, limit)
                    .build()
                    .fetch_all(&self.pool)
                    .await?
            }
        };
        rows.truncate(limit as usize);
        rows.iter().map(incident_from_row).collect()
    }

    pub(super) async fn sql_incident_records(
        &self,
        since: Option<&str>,
        after: i64,
        limit: u32,
    ) -> Result<Vec<IncidentRecord>, StoreError> {
        // The in-memory database has no file for the bulk reader to open: the pool reads it.
        let rows = sqlx::query(super::bulk::INCIDENT_RECORDS)
            .bind(after)
            .bind(since)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        let mut records = rows
            .iter()
            .map(|row| {
                Ok(IncidentRecord {
                    retracted: row.try_get(7)?,
                    ..incident_record(
                        row.try_get(0)?,
                        row.try_get(1)?,
                        row.try_get(2)?,
                        row.try_get(3)?,
                        row.try_get(4)?,
                        row.try_get(5)?,
                        row.try_get(6)?,
                    )?
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        if let Some(last) = records.last().map(|r| r.id) {
            let alerts = sqlx::query(super::bulk::ALERTS_IN_RANGE)
                .bind(after)
                .bind(last)
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(super::monitoring::alert_row)
                .collect::<Result<Vec<_>, StoreError>>()?;
            super::bulk::attach_alerts(&mut records, alerts);
        }
        Ok(records)
    }

    pub(super) async fn sql_incident_points(
        &self,
        q: &IncidentQuery,
    ) -> Result<Vec<IncidentPoint>, StoreError> {
        let mut b = QueryBuilder::<Sqlite>::new(
            "SELECT i.id, i.lat, i.lon, i.event_type, i.date, i.fatalities_high, \
             coalesce(s.status, 'unverified') AS status FROM incidents i \
             LEFT JOIN incident_state s ON s.incident_id = i.id \
             WHERE i.lat IS NOT NULL AND i.lon IS NOT NULL",
        );
        push_filters(&mut b, q);
        b.push(" ORDER BY i.date DESC, i.id DESC LIMIT ")
            .push_bind(i64::from(q.limit.unwrap_or(20_000)));
        let rows = b.build().fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok(IncidentPoint {
                    id: r.try_get("id")?,
                    lat: r.try_get("lat")?,
                    lon: r.try_get("lon")?,
                    event_type: r.try_get("event_type")?,
                    date: r.try_get("date")?,
                    fatalities: r
                        .try_get::<Option<i64>, _>("fatalities_high")?
                        .map(|f| f as u32),
                    status: r.try_get("status")?,
                })
            })
            .collect()
    }

    pub(super) async fn sql_incident_map(
        &self,
        q: &IncidentQuery,
        coarse: bool,
    ) -> Result<String, StoreError> {
        // Integers format far faster than floats: the map's cost is mostly writing numbers.
        let scale = if coarse { "10.0) * 10000" } else { "100000.0)" };
        let mut b = QueryBuilder::<Sqlite>::new(format!(
            "SELECT coalesce(json_group_array(json_array(id, \
             cast(round(lat * {scale} AS INTEGER), cast(round(lon * {scale} AS INTEGER), \
             event_type, fatalities_high, date, status)), '[]') FROM (\
             SELECT i.id, i.lat, i.lon, i.event_type, i.date, i.fatalities_high, \
             coalesce(s.status, 'unverified') AS status FROM incidents i \
             LEFT JOIN incident_state s ON s.incident_id = i.id \
             WHERE i.lat IS NOT NULL AND i.lon IS NOT NULL"
        ));
        push_filters(&mut b, q);
        b.push(" ORDER BY i.date DESC, i.id DESC LIMIT ")
            .push_bind(i64::from(q.limit.unwrap_or(20_000)))
            .push(")");
        Ok(b.build_query_scalar::<String>()
            .fetch_one(&self.pool)
            .await?)
    }

    pub(super) async fn sql_incident_count(&self, q: &IncidentQuery) -> Result<u64, StoreError> {
        let mut b = QueryBuilder::<Sqlite>::new(
            "SELECT count(*) FROM incidents i \
             LEFT JOIN incident_state s ON s.incident_id = i.id WHERE 1 = 1",
        );
        push_filters(&mut b, q);
        let n: i64 = b.build_query_scalar().fetch_one(&self.pool).await?;
        Ok(n.max(0) as u64)
    }

    pub(super) async fn sql_incident_days(
        &self,
        q: &IncidentQuery,
    ) -> Result<Vec<IncidentDay>, StoreError> {
        let mut b = QueryBuilder::<Sqlite>::new(
            "SELECT i.date AS day, count(*) AS n, sum(coalesce(i.fatalities_low, 0)) AS killed \
             FROM incidents i LEFT JOIN incident_state s ON s.incident_id = i.id \
             WHERE i.date IS NOT NULL",
        );
        push_filters(&mut b, q);
        b.push(" GROUP BY i.date ORDER BY i.date");
        let rows = b.build().fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok(IncidentDay {
                    date: r.try_get("day")?,
                    incidents: r.try_get::<i64, _>("n")? as u64,
                    fatalities: r.try_get::<i64, _>("killed")? as u64,
                })
            })
            .collect()
    }

    pub(super) async fn sql_incident(&self, id: i64) -> Result<Option<StoredIncident>, StoreError> {
        sqlx::query(concat!(
            "SELECT i.id, i.record, i.updated_at, s.status AS review_status, ",
            retracted!(i),
            " AS retracted FROM incidents i \
             LEFT JOIN incident_state s ON s.incident_id = i.id WHERE i.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .as_ref()
        .map(incident_from_row)
        .transpose()
    }

    pub(super) async fn sql_incidents_by_id(
        &self,
        ids: &[i64],
    ) -> Result<Vec<StoredIncident>, StoreError> {
        sqlx::query(concat!(
            "SELECT i.id, i.record, i.updated_at, s.status AS review_status, ",
            retracted!(i),
            " AS retracted FROM incidents i \
             LEFT JOIN incident_state s ON s.incident_id = i.id \
             WHERE i.id IN (SELECT value FROM json_each($1)) ORDER BY i.id"
        ))
        .bind(ids_json(ids.iter().copied()))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(incident_from_row)
        .collect()
    }

    pub(super) async fn sql_record_decisions(
        &self,
        decisions: &[Decision],
        subject: &str,
    ) -> Result<(), StoreError> {
        let Some(first) = decisions.first() else {
            return Ok(());
        };
        let mut tx = self.write().await?;
        let pairs: Vec<String> = decisions
            .iter()
            .map(|d| format!("{} {} {}", d.a, d.kind.as_str(), d.b))
            .collect();
        super::workspace::audit_tx(
            &mut tx,
            &crate::NewAudit::staff(
                &first.decided_by,
                "incident.decide",
                subject,
                serde_json::json!({"decisions": pairs, "note": first.note}),
            ),
        )
        .await?;
        for d in decisions {
            let (a, b) = (d.a.min(d.b), d.a.max(d.b));
            sqlx::query(
                "INSERT INTO incident_decisions (kind, a_document, a_ordinal, b_document, \
                 b_ordinal, decided_by, decided_at, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                 ON CONFLICT (a_document, a_ordinal, b_document, b_ordinal) DO UPDATE SET \
                 kind = excluded.kind, decided_by = excluded.decided_by, \
                 decided_at = excluded.decided_at, note = excluded.note",
            )
            .bind(d.kind.as_str())
            .bind(a.document)
            .bind(i64::from(a.ordinal))
            .bind(b.document)
            .bind(i64::from(b.ordinal))
            .bind(&d.decided_by)
            .bind(
                d.decided_at
                    .to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            )
            .bind(&d.note)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub(super) async fn sql_decisions(
        &self,
        refs: Option<&[EventRef]>,
    ) -> Result<Vec<Decision>, StoreError> {
        let rows = match refs {
            None => {
                sqlx::query("SELECT * FROM incident_decisions ORDER BY id")
                    .fetch_all(&self.pool)
                    .await?
            }
            Some(refs) => {
                // Two lookups by the pair's keys (an `EXISTS ... OR ...` read every decision).
                sqlx::query(
                    "SELECT x.* FROM json_each($1) j CROSS JOIN incident_decisions x \
                     ON x.a_document = j.value ->> 0 AND x.a_ordinal = j.value ->> 1 \
                     UNION \
                     SELECT x.* FROM json_each($1) j CROSS JOIN incident_decisions x \
                     ON x.b_document = j.value ->> 0 AND x.b_ordinal = j.value ->> 1 \
                     ORDER BY 1",
                )
                .bind(refs_json(refs))
                .fetch_all(&self.pool)
                .await?
            }
        };
        rows.iter().map(decision_from_row).collect()
    }
}

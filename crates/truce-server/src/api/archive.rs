//! The archive: documents (list, and submit a report by POST), events and statements.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use serde::Deserialize;
use serde_json::{Value, json};
use truce_model::{DocumentId, DocumentStatus, SourceKind, SourceRef};
use truce_pipeline::{IngestConfig, Ingestor, OutcomeKind, Quiet, RawInput};
use truce_store::{DocumentQuery, EventQuery, StatementQuery};

use crate::access::Permission;
use crate::caller::Caller;
use crate::error::{ApiError, Params};
use crate::state::AppState;

/// Paging of archive lists: after this id, at most `limit`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Page {
    after: Option<i64>,
    limit: Option<u32>,
    since: Option<String>,
    #[serde(rename = "type")]
    event_type: Option<String>,
    speaker: Option<String>,
    failed: Option<u8>,
    /// `ceasefire`, `talks` or `any`: the diplomatic track.
    topic: Option<String>,
}

fn limit(p: &Page) -> u32 {
    p.limit.unwrap_or(100).clamp(1, 1000)
}

fn since(p: &Page) -> Result<Option<String>, ApiError> {
    p.since
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(|s| {
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(|d| d.to_string())
                .map_err(|_| ApiError::bad_request("since: expected YYYY-MM-DD"))
        })
        .transpose()
}

/// `GET /api/v1/documents`.
pub async fn documents(
    State(state): State<AppState>,
    caller: Caller,
    Params(p): Params<Page>,
) -> Result<Json<Value>, ApiError> {
    caller.require(Permission::ReadArchive)?;
    let page = state
        .store
        .list_documents(&DocumentQuery {
            status: (p.failed == Some(1)).then_some(DocumentStatus::Failed),
            after: p.after.map(DocumentId),
            limit: limit(&p),
        })
        .await?;
    let next = next_after(&page, &p, |d| d.id.0);
    let items: Vec<Value> = page
        .iter()
        .map(|d| {
            json!({"id": d.id.0, "external_id": d.doc.external_id, "title": d.doc.title, "url": d.doc.url,
                   "published": d.doc.published, "status": d.doc.status.as_str(), "error": d.doc.error,
                   "source": d.doc.source.location, "ingested_at": d.ingested_at.to_rfc3339()})
        })
        .collect();
    Ok(Json(json!({"items": items, "next": next})))
}

/// A report submitted as JSON.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Submitted {
    text: String,
    id: Option<String>,
    title: Option<String>,
    url: Option<String>,
    published: Option<String>,
}

/// `POST /api/v1/documents`: a report (`application/json` `{"text", "title"?, "id"?, "url"?,
/// "published"?}` or `text/plain`) is stored, extracted and resolved into incidents at once.
pub async fn submit(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    caller.require(Permission::SubmitDocument)?;
    if body.len() > state.max_document_bytes {
        return Err(ApiError::too_large(format!(
            "the report is {} bytes; the limit is {}",
            body.len(),
            state.max_document_bytes
        )));
    }
    let json_body = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/json"));
    let record = if json_body {
        let s: Submitted = serde_json::from_slice(&body)
            .map_err(|e| ApiError::bad_request(format!("body: {e}")))?;
        if s.text.trim().is_empty() {
            return Err(ApiError::bad_request("text is empty"));
        }
        if let Some(p) = s.published.as_deref() {
            chrono::NaiveDate::parse_from_str(p, "%Y-%m-%d")
                .map_err(|_| ApiError::bad_request("published: expected YYYY-MM-DD"))?;
        }
        json!({"id": s.id, "title": s.title, "url": s.url, "published": s.published, "text": s.text})
    } else {
        let text = std::str::from_utf8(&body)
            .map_err(|_| ApiError::bad_request("the body is not UTF-8 text"))?;
        if text.trim().is_empty() {
            return Err(ApiError::bad_request("the body is empty"));
        }
        json!({"text": text})
    };
    let bytes: Arc<[u8]> = serde_json::to_vec(&record)
        .map_err(ApiError::internal)?
        .into();
    let input = RawInput {
        source: SourceRef {
            kind: SourceKind::Api,
            location: format!("api:{}", caller.name()),
            part: None,
        },
        extension: Some("json".into()),
        url: None,
        bytes: Ok(bytes),
    };
    let config = IngestConfig {
        max_bytes: state.max_document_bytes as u64,
        ..IngestConfig::default()
    };
    let summary = Ingestor::new(state.store.as_ref(), config, &Quiet)
        .ingest_input(input)
        .await
        .map_err(ApiError::internal)?;
    let new = summary.new_documents();
    let extracted = if new.is_empty() {
        None
    } else {
        let engine = state.extractor().await.map_err(ApiError::internal)?;
        Some(
            truce_pipeline::extract_documents_with(
                state.store.as_ref(),
                engine,
                Some(&new),
                state.alert_rule,
            )
            .await
            .map_err(ApiError::internal)?,
        )
    };
    if let Some(e) = &extracted {
        state.post_alerts(e.monitor.new_alerts.clone());
    }
    // What the submission made: each document's events, and the incidents that hold them now
    // (created, or joined), as the record reads after it.
    let ids: Vec<truce_model::DocumentId> = summary.outcomes.iter().map(|o| o.id).collect();
    let events = state.store.events_of_documents(&ids).await?;
    let filed = state.store.incidents_of(&[], &ids).await?;
    let mut incident_ids: Vec<i64> = filed.iter().map(|(_, id)| *id).collect();
    incident_ids.sort_unstable();
    incident_ids.dedup();
    let incidents = state.store.incidents_by_id(&incident_ids).await?;
    let outcomes: Vec<Value> = summary
        .outcomes
        .iter()
        .map(|o| {
            let mine: Vec<Value> = events
                .iter()
                .filter(|e| e.document_id == o.id)
                .map(|e| {
                    let key = truce_model::EventRef {
                        document: e.document_id.0,
                        ordinal: e.ordinal,
                    };
                    json!({"event": key.to_string(), "event_type": e.event.event_type,
                           "sub_event_type": e.event.sub_event_type,
                           "incident": filed.iter().find(|(k, _)| *k == key).map(|(_, i)| i)})
                })
                .collect();
            json!({"id": o.id.0, "outcome": match o.kind {
                OutcomeKind::Stored => "stored", OutcomeKind::Duplicate => "duplicate",
                OutcomeKind::Failed => "failed", OutcomeKind::Recovered => "recovered" },
                "error": o.error, "events": mine})
        })
        .collect();
    let touched: Vec<Value> = incidents
        .iter()
        .map(|i| crate::view::summary(i, &caller))
        .collect();
    let status = if new.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((
        status,
        Json(
            json!({"documents": outcomes, "events": extracted.as_ref().map(|e| e.events),
                   "incidents": extracted.as_ref().map(|e| e.incidents),
                   "touched": touched,
                   "alerts": extracted.as_ref().map(|e| e.monitor.new_alerts.iter().map(|a| json!({"incident": a.incident_id, "label": a.label})).collect::<Vec<_>>())}),
        ),
    ))
}

/// The next page's cursor: the last item's id when the page came back full.
fn next_after<T>(page: &[T], p: &Page, id: impl Fn(&T) -> i64) -> Option<i64> {
    (page.len() == limit(p) as usize)
        .then(|| page.last().map(id))
        .flatten()
}

/// `GET /api/v1/events`.
pub async fn events(
    State(state): State<AppState>,
    caller: Caller,
    Params(p): Params<Page>,
) -> Result<Json<Value>, ApiError> {
    caller.require(Permission::ReadArchive)?;
    let page = state
        .store
        .events(&EventQuery {
            since: since(&p)?,
            event_type: p.event_type.clone(),
            after: p.after,
            limit: Some(limit(&p)),
        })
        .await?;
    let next = next_after(&page, &p, |e| e.id);
    let items: Vec<Value> = page
        .iter()
        .map(|e| json!({"id": e.id, "event": format!("{}:{}", e.document_id.0, e.ordinal), "document_id": e.document_id.0, "external_id": e.external_id, "record": e.event}))
        .collect();
    Ok(Json(json!({"items": items, "next": next})))
}

/// `GET /api/v1/talks`: newest first; `after` is the last id of the previous page (older ones
/// follow).
pub async fn talks(
    State(state): State<AppState>,
    caller: Caller,
    Params(p): Params<Page>,
) -> Result<Json<Value>, ApiError> {
    caller.require(Permission::ReadArchive)?;
    let page = state.store.talks(p.after, limit(&p)).await?;
    let next = next_after(&page, &p, |t| t.id);
    let items: Vec<Value> = page
        .iter()
        .map(|t| json!({"id": t.id, "document_id": t.document_id.0, "date": t.date, "source_title": t.source_title, "record": t.talk}))
        .collect();
    Ok(Json(json!({"items": items, "next": next})))
}

/// `GET /api/v1/statements`.
pub async fn statements(
    State(state): State<AppState>,
    caller: Caller,
    Params(p): Params<Page>,
) -> Result<Json<Value>, ApiError> {
    caller.require(Permission::ReadArchive)?;
    let page = state
        .store
        .statements(&StatementQuery {
            speaker: p.speaker.clone(),
            since: since(&p)?,
            after: p.after,
            limit: Some(limit(&p)),
            topic: match p.topic.as_deref() {
                None | Some("") => None,
                Some("any") => Some(String::new()),
                Some(t @ ("ceasefire" | "talks")) => Some(t.to_string()),
                Some(_) => {
                    return Err(ApiError::bad_request(
                        "topic: expected ceasefire, talks or any",
                    ));
                }
            },
            newest_first: false,
        })
        .await?;
    let next = next_after(&page, &p, |s| s.id);
    let items: Vec<Value> = page
        .iter()
        .map(|s| json!({"id": s.id, "document_id": s.document_id.0, "external_id": s.external_id, "date": s.date, "source_title": s.source_title, "record": s.statement}))
        .collect();
    Ok(Json(json!({"items": items, "next": next})))
}

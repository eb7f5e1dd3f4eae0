//! The archive: documents (list, and submit a report by POST), events and statements.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use serde::{Deserialize, Serialize};
use truce_app::submit::Report;
use truce_model::{DocumentId, DocumentStatus, Event, Statement, Talk};
use truce_store::{DocumentQuery, EventQuery, StatementQuery};
use utoipa::{IntoParams, ToSchema};

use super::IdPage;
use crate::access::Permission;
use crate::caller::Caller;
use crate::error::{ApiError, Params};
use crate::state::AppState;
use crate::view::IncidentSummary;

/// Paging of archive lists: after this id, at most `limit`; each list reads the filters that
/// apply to it.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct Page {
    /// The previous page's `next`.
    after: Option<i64>,
    /// Page size: 100 by default, at most 1,000.
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<u32>,
    /// From this day (`YYYY-MM-DD`; events and statements).
    #[param(format = Date)]
    since: Option<String>,
    /// ACLED event type (events).
    #[serde(rename = "type")]
    #[param(rename = "type")]
    event_type: Option<String>,
    /// A speaker's name, or part of it (statements).
    speaker: Option<String>,
    /// `1`: failed documents only (documents).
    #[param(minimum = 0, maximum = 1)]
    failed: Option<u8>,
    /// `ceasefire`, `talks` or `any`: the diplomatic track (statements).
    #[param(pattern = "^(ceasefire|talks|any)?$")]
    topic: Option<String>,
}

/// A stored document (its text through `truce show`).
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentView {
    /// Its id.
    pub id: i64,
    /// The id its source gave it.
    pub external_id: Option<String>,
    /// Its title.
    pub title: Option<String>,
    /// Where it was published.
    pub url: Option<String>,
    /// When it was published.
    pub published: Option<chrono::NaiveDate>,
    /// `parsed` or `failed`.
    pub status: String,
    /// Why it failed.
    pub error: Option<String>,
    /// Where it was read from.
    pub source: String,
    /// When it was stored (RFC 3339).
    pub ingested_at: String,
}

/// What a submission did.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubmissionOutcome {
    /// Each document stored (or found already stored), with its events.
    pub documents: Vec<DocumentOutcome>,
    /// Events extracted (none when nothing new was stored).
    pub events: Option<usize>,
    /// Incidents written by resolution.
    pub incidents: Option<usize>,
    /// The incidents that hold the documents' events now, as they read after it.
    pub touched: Vec<IncidentSummary>,
    /// Alerts raised for the first time.
    pub alerts: Option<Vec<RaisedAlert>>,
}

/// One document of a submission.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentOutcome {
    /// Its id.
    pub id: i64,
    /// `stored`, `duplicate`, `failed` or `recovered`.
    pub outcome: String,
    /// Why it failed.
    pub error: Option<String>,
    /// Its events, each with the incident it is filed under.
    pub events: Vec<FiledEvent>,
}

/// An event of a submitted document.
#[derive(Debug, Serialize, ToSchema)]
pub struct FiledEvent {
    /// `DOCUMENT:ORDINAL`.
    pub event: String,
    /// ACLED event type.
    pub event_type: String,
    /// ACLED sub-event type.
    pub sub_event_type: Option<String>,
    /// The incident that holds it.
    pub incident: Option<i64>,
}

/// An alert raised.
#[derive(Debug, Serialize, ToSchema)]
pub struct RaisedAlert {
    /// The incident.
    pub incident: i64,
    /// What it says.
    pub label: String,
}

/// An extracted event.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventItem {
    /// Its id.
    pub id: i64,
    /// `DOCUMENT:ORDINAL`.
    pub event: String,
    /// Its document.
    pub document_id: i64,
    /// The document's own id.
    pub external_id: Option<String>,
    /// The extraction record's event.
    pub record: Event,
}

/// A round of talks or a meeting read from a report.
#[derive(Debug, Serialize, ToSchema)]
pub struct TalkItem {
    /// Its id.
    pub id: i64,
    /// Its document.
    pub document_id: i64,
    /// When.
    pub date: Option<String>,
    /// The document's title.
    pub source_title: Option<String>,
    /// The extraction record's talk.
    pub record: Talk,
}

/// A statement: who said what.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatementItem {
    /// Its id.
    pub id: i64,
    /// Its document.
    pub document_id: i64,
    /// The document's own id.
    pub external_id: Option<String>,
    /// When.
    pub date: Option<String>,
    /// The document's title.
    pub source_title: Option<String>,
    /// The extraction record's statement.
    pub record: Statement,
}

fn page_size(p: &Page) -> Result<u32, ApiError> {
    super::params::limit(p.limit, 100, 1000)
}

fn since(p: &Page) -> Result<Option<String>, ApiError> {
    super::params::day_text(&p.since, "since")
}

/// `GET /api/v1/documents`.
#[utoipa::path(get, path = "/api/v1/documents", tag = "archive", params(Page),
    responses((status = 200, description = "A page of documents", body = IdPage<DocumentView>)))]
pub async fn documents(
    State(state): State<AppState>,
    caller: Caller,
    Params(p): Params<Page>,
) -> Result<Json<IdPage<DocumentView>>, ApiError> {
    caller.require(Permission::ReadArchive)?;
    let limit = page_size(&p)?;
    let page = state
        .store
        .list_documents(&DocumentQuery {
            status: super::params::switch(p.failed, "failed")?.then_some(DocumentStatus::Failed),
            after: p.after.map(DocumentId),
            limit,
        })
        .await?;
    let next = next_after(&page, limit, |d| d.id.0);
    let items = page
        .into_iter()
        .map(|d| DocumentView {
            id: d.id.0,
            status: d.doc.status.as_str().to_string(),
            external_id: d.doc.external_id,
            title: d.doc.title,
            url: d.doc.url,
            published: d.doc.published,
            error: d.doc.error,
            source: d.doc.source.location,
            ingested_at: d.ingested_at.to_rfc3339(),
        })
        .collect();
    Ok(Json(IdPage { items, next }))
}

/// `POST /api/v1/documents`: a report (`application/json` `{"text", "title"?, "id"?, "url"?,
/// "published"?}` or `text/plain`) is stored, extracted and resolved into incidents at once.
#[utoipa::path(post, path = "/api/v1/documents", tag = "archive",
    request_body(content((Report = "application/json"), (String = "text/plain")),
        description = "The report: JSON with its text and what is known of it, or plain text"),
    responses((status = 201, description = "Stored, extracted and resolved", body = SubmissionOutcome),
        (status = 200, description = "Stored already: nothing new", body = SubmissionOutcome)))]
pub async fn submit(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<SubmissionOutcome>), ApiError> {
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
    let report = if json_body {
        serde_json::from_slice::<Report>(&body)
            .map_err(|e| ApiError::bad_request(format!("body: {e}")))?
    } else {
        let text = std::str::from_utf8(&body)
            .map_err(|_| ApiError::bad_request("the body is not UTF-8 text"))?;
        if text.trim().is_empty() {
            return Err(ApiError::bad_request("the body is empty"));
        }
        Report {
            text: text.to_string(),
            ..Report::default()
        }
    };
    let done = truce_app::submit::submit(
        state.store.as_ref(),
        &report,
        caller.name(),
        state.max_document_bytes,
        async || state.extractor().await,
        state.alert_rule,
    )
    .await?;
    if let Some(e) = &done.extracted {
        state.post_alerts(e.monitor.new_alerts.clone());
    }
    let documents = done
        .documents
        .iter()
        .map(|d| DocumentOutcome {
            id: d.id.0,
            outcome: d.outcome.as_str().to_string(),
            error: d.error.clone(),
            events: d
                .events
                .iter()
                .map(|e| FiledEvent {
                    event: e.event.to_string(),
                    event_type: e.event_type.clone(),
                    sub_event_type: e.sub_event_type.clone(),
                    incident: e.incident,
                })
                .collect(),
        })
        .collect();
    let touched = done
        .touched
        .iter()
        .map(|i| crate::view::summary(i, &caller))
        .collect();
    let extracted = done.extracted.as_ref();
    let status = if done.stored_new() {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(SubmissionOutcome {
            documents,
            events: extracted.map(|e| e.events),
            incidents: extracted.map(|e| e.incidents),
            touched,
            alerts: extracted.map(|e| {
                e.monitor
                    .new_alerts
                    .iter()
                    .map(|a| RaisedAlert {
                        incident: a.incident_id,
                        label: a.label().to_string(),
                    })
                    .collect()
            }),
        }),
    ))
}

/// The next page's cursor: the last item's id when the page came back full (`limit` items).
fn next_after<T>(page: &[T], limit: u32, id: impl Fn(&T) -> i64) -> Option<i64> {
    (page.len() == limit as usize)
        .then(|| page.last().map(id))
        .flatten()
}

/// `GET /api/v1/events`.
#[utoipa::path(get, path = "/api/v1/events", tag = "archive", params(Page),
    responses((status = 200, description = "A page of events", body = IdPage<EventItem>)))]
pub async fn events(
    State(state): State<AppState>,
    caller: Caller,
    Params(p): Params<Page>,
) -> Result<Json<IdPage<EventItem>>, ApiError> {
    caller.require(Permission::ReadArchive)?;
    let limit = page_size(&p)?;
    let page = state
        .store
        .events(&EventQuery {
            since: since(&p)?,
            event_type: p.event_type.clone(),
            after: p.after,
            limit: Some(limit),
        })
        .await?;
    let next = next_after(&page, limit, |e| e.id);
    let items = page
        .into_iter()
        .map(|e| EventItem {
            id: e.id,
            event: format!("{}:{}", e.document_id.0, e.ordinal),
            document_id: e.document_id.0,
            external_id: e.external_id,
            record: e.event,
        })
        .collect();
    Ok(Json(IdPage { items, next }))
}

/// `GET /api/v1/talks`: newest first; `after` is the last id of the previous page (older ones
/// follow).
#[utoipa::path(get, path = "/api/v1/talks", tag = "archive", params(Page),
    responses((status = 200, description = "A page of talks, newest first", body = IdPage<TalkItem>)))]
pub async fn talks(
    State(state): State<AppState>,
    caller: Caller,
    Params(p): Params<Page>,
) -> Result<Json<IdPage<TalkItem>>, ApiError> {
    caller.require(Permission::ReadArchive)?;
    let limit = page_size(&p)?;
    let page = state.store.talks(p.after, limit).await?;
    let next = next_after(&page, limit, |t| t.id);
    let items = page
        .into_iter()
        .map(|t| TalkItem {
            id: t.id,
            document_id: t.document_id.0,
            date: t.date,
            source_title: t.source_title,
            record: t.talk,
        })
        .collect();
    Ok(Json(IdPage { items, next }))
}

/// `GET /api/v1/statements`.
#[utoipa::path(get, path = "/api/v1/statements", tag = "archive", params(Page),
    responses((status = 200, description = "A page of statements", body = IdPage<StatementItem>)))]
pub async fn statements(
    State(state): State<AppState>,
    caller: Caller,
    Params(p): Params<Page>,
) -> Result<Json<IdPage<StatementItem>>, ApiError> {
    caller.require(Permission::ReadArchive)?;
    let limit = page_size(&p)?;
    let page = state
        .store
        .statements(&StatementQuery {
            speaker: p.speaker.clone(),
            since: since(&p)?,
            after: p.after,
            limit: Some(limit),
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
    let next = next_after(&page, limit, |s| s.id);
    let items = page
        .into_iter()
        .map(|s| StatementItem {
            id: s.id,
            document_id: s.document_id.0,
            external_id: s.external_id,
            date: s.date,
            source_title: s.source_title,
            record: s.statement,
        })
        .collect();
    Ok(Json(IdPage { items, next }))
}

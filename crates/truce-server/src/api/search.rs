//! Search over what the reports say (every word of `q` in a report's title or text), what people
//! said (statements: their words, speaker, title, organisation) and what the workspace wrote
//! down (messages and review notes); diacritics and case folded, each hit with the passage
//! around the words.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::Items;
use crate::access::Permission;
use crate::caller::Caller;
use crate::error::{ApiError, Params};
use crate::state::AppState;

/// The words searched for, and how many reports at most.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SearchParams {
    /// The words; every one must be said (quotes, `AND`, `*` and `:` are read as words).
    #[param(required = true, min_length = 1, max_length = 500)]
    q: Option<String>,
    /// How many reports: 20 by default, at most 100.
    #[param(minimum = 1, maximum = 100)]
    limit: Option<u32>,
}

/// A report that says the words.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportFound {
    /// The document.
    pub document_id: i64,
    /// Its title.
    pub title: Option<String>,
    /// When it was published (`YYYY-MM-DD`).
    pub published: Option<String>,
    /// The passage around the words.
    pub passage: String,
    /// The incidents it tells of.
    pub incidents: Vec<i64>,
}

/// `GET /api/v1/search`: reports that say every word of `q`, best first.
#[utoipa::path(get, path = "/api/v1/search", tag = "archive", params(SearchParams),
    responses((status = 200, description = "Reports that say the words, best first", body = Items<ReportFound>)))]
pub async fn reports(
    State(state): State<AppState>,
    caller: Caller,
    Params(p): Params<SearchParams>,
) -> Result<Json<Items<ReportFound>>, ApiError> {
    // Every report of the archive: staff only (a party reads the reports of its incidents, on
    // their pages and through the incident list's search).
    caller.require(Permission::ReadArchive)?;
    let (q, limit) = words(&p)?;
    let items = state
        .store
        .search_reports(q, limit)
        .await?
        .into_iter()
        .map(|h| ReportFound {
            document_id: h.document_id,
            title: h.title,
            published: h.published,
            passage: h.snippet,
            incidents: h.incidents,
        })
        .collect();
    Ok(Json(Items { items }))
}

/// A statement that says the words.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatementFound {
    /// The statement.
    pub id: i64,
    /// The report it was read from.
    pub document_id: i64,
    /// Who spoke.
    pub speaker: Option<String>,
    /// Their title.
    pub title: Option<String>,
    /// Their organisation.
    pub organization: Option<String>,
    /// The report's publication date (`YYYY-MM-DD`).
    pub date: Option<String>,
    /// The passage around the words.
    pub passage: String,
    /// The incidents its report tells of.
    pub incidents: Vec<i64>,
}

/// The words searched for, checked as every search route checks them.
fn words(p: &SearchParams) -> Result<(&str, u32), ApiError> {
    let q = p.q.as_deref().map(str::trim).unwrap_or_default();
    if q.is_empty() {
        return Err(ApiError::bad_request("q: name the words to search for"));
    }
    if q.chars().count() > 500 {
        return Err(ApiError::bad_request("q: at most 500 characters"));
    }
    Ok((q, super::params::limit(p.limit, 20, 100)?))
}

/// `GET /api/v1/search/statements`: statements whose words, speaker, title or organisation say
/// every word of `q`, best first.
#[utoipa::path(get, path = "/api/v1/search/statements", tag = "archive", params(SearchParams),
    responses((status = 200, description = "Statements that say the words, best first", body = Items<StatementFound>)))]
pub async fn statements(
    State(state): State<AppState>,
    caller: Caller,
    Params(p): Params<SearchParams>,
) -> Result<Json<Items<StatementFound>>, ApiError> {
    caller.require(Permission::ReadArchive)?;
    let (q, limit) = words(&p)?;
    let items = state
        .store
        .search_statements(q, limit)
        .await?
        .into_iter()
        .map(|h| StatementFound {
            id: h.id,
            document_id: h.document_id,
            speaker: h.speaker,
            title: h.title,
            organization: h.organization,
            date: h.date,
            passage: h.snippet,
            incidents: h.incidents,
        })
        .collect();
    Ok(Json(Items { items }))
}

/// A note of the workspace that says the words.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoteFound {
    /// `message` or `review`.
    pub kind: String,
    /// The message's or review's id.
    pub id: i64,
    /// The incident it is about.
    pub incident_id: i64,
    /// Who wrote it.
    pub author: String,
    /// When (RFC 3339).
    pub at: String,
    /// The passage around the words.
    pub passage: String,
}

/// `GET /api/v1/search/notes`: the messages the caller may read and the reviews' notes that say
/// every word of `q`, best first within each kind.
#[utoipa::path(get, path = "/api/v1/search/notes", tag = "archive", params(SearchParams),
    responses((status = 200, description = "Messages and review notes that say the words", body = Items<NoteFound>)))]
pub async fn notes(
    State(state): State<AppState>,
    caller: Caller,
    Params(p): Params<SearchParams>,
) -> Result<Json<Items<NoteFound>>, ApiError> {
    // Those who read the archive; messages only for those who take part in the threads (each
    // for its audience, in the query), reviews' notes only for those who review.
    caller.require(Permission::ReadArchive)?;
    let (q, limit) = words(&p)?;
    let kinds = truce_store::NoteKinds {
        messages: caller.may(Permission::Message),
        reviews: caller.may(Permission::Review),
    };
    let items = state
        .store
        .search_notes(q, &caller.reader(), kinds, limit)
        .await?
        .into_iter()
        .map(|h| NoteFound {
            kind: h.kind.as_str().to_string(),
            id: h.id,
            incident_id: h.incident_id,
            author: h.author,
            at: h.at,
            passage: h.snippet,
        })
        .collect();
    Ok(Json(Items { items }))
}

//! Search over what the reports say: every word of `q` in a report's title or text (diacritics
//! and case folded), with the passage around them and the incidents the report is in.

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
    let q = p.q.as_deref().map(str::trim).unwrap_or_default();
    if q.is_empty() {
        return Err(ApiError::bad_request("q: name the words to search for"));
    }
    if q.chars().count() > 500 {
        return Err(ApiError::bad_request("q: at most 500 characters"));
    }
    let limit = super::params::limit(p.limit, 20, 100)?;
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

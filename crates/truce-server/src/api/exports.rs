//! Exports over HTTP: the record in the field's formats, streamed as it is formatted, and the
//! sidecar that says what it holds.

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use truce_app::export::{ExportOptions, ExportStream};
use truce_report::{ExportFormat, ExportMeta};
use utoipa::IntoParams;

use super::params::day;
use crate::access::Permission;
use crate::caller::Caller;
use crate::error::{ApiError, Params};
use crate::state::AppState;

/// `format`, `since`, `include_discounted`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ExportParams {
    /// `acled-csv`, `ucdp-csv`, `geojson` or `jsonl`.
    #[param(required = true, pattern = "^(acled-csv|ucdp-csv|geojson|jsonl)$")]
    format: Option<String>,
    /// From this day (`YYYY-MM-DD`).
    #[param(format = Date)]
    since: Option<String>,
    /// `true`: retracted and discounted incidents too.
    include_discounted: Option<bool>,
}

fn options(p: &ExportParams) -> Result<ExportOptions, ApiError> {
    let name = p.format.as_deref().unwrap_or("");
    let format = ExportFormat::parse(name).ok_or_else(|| {
        ApiError::bad_request(format!(
            "format: {name:?} is not acled-csv, ucdp-csv, geojson or jsonl"
        ))
    })?;
    let since = day(&p.since, "since")?.map(|d| d.to_string());
    Ok(ExportOptions {
        format,
        since,
        include_withdrawn: p.include_discounted.unwrap_or(false),
    })
}

/// `GET /api/v1/export`: the corrected record in a field format, streamed (retracted and
/// discounted incidents left out unless `include_discounted=true`); exact coordinates, so for
/// the staff only.
#[utoipa::path(get, path = "/api/v1/export", tag = "exports", params(ExportParams),
    responses((status = 200, description = "The export, streamed",
        content((String = "text/csv"), (Object = "application/geo+json"), (String = "application/x-ndjson")))))]
pub async fn export(
    State(state): State<AppState>,
    caller: Caller,
    Params(p): Params<ExportParams>,
) -> Result<Response, ApiError> {
    caller.require(Permission::ReadArchive)?;
    let options = options(&p)?;
    let (kind, file) = match options.format.as_str() {
        "acled-csv" | "ucdp-csv" => ("text/csv; charset=utf-8", "truce-export.csv"),
        "geojson" => ("application/geo+json", "truce-export.geojson"),
        _ => ("application/x-ndjson", "truce-export.jsonl"),
    };
    let stream = ExportStream::new(state.store.clone(), options);
    let body = futures_util::stream::try_unfold(stream, |mut s| async move {
        Ok::<_, truce_app::AppError>(s.next_chunk().await?.map(|c| (Bytes::from(c), s)))
    });
    Ok((
        [
            (header::CONTENT_TYPE, kind.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        Body::from_stream(body),
    )
        .into_response())
}

/// `GET /api/v1/export/meta`: the sidecar of the same export: producer, agreements, the health
/// index's definition, how many incidents it holds and how many it leaves out.
#[utoipa::path(get, path = "/api/v1/export/meta", tag = "exports", params(ExportParams),
    responses((status = 200, description = "The sidecar", body = ExportMeta)))]
pub async fn meta(
    State(state): State<AppState>,
    caller: Caller,
    Params(p): Params<ExportParams>,
) -> Result<Json<ExportMeta>, ApiError> {
    caller.require(Permission::ReadArchive)?;
    let options = options(&p)?;
    let counted = truce_app::export::count(state.store.as_ref(), &options).await?;
    let meta = truce_app::export::meta(state.store.as_ref(), &options, counted).await?;
    Ok(Json(meta))
}

/// `date`, `format`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReportParams {
    /// The day (`YYYY-MM-DD`).
    #[param(required = true, format = Date)]
    date: Option<String>,
    /// `md` (the default), `html` or `pdf`.
    #[param(pattern = "^(md|html|pdf)$")]
    format: Option<String>,
}

/// `GET /api/v1/reports/daily`: the daily situation report of `date` as Markdown (the default),
/// HTML or PDF, as `truce report daily` writes it; signed with the audit log's head when the
/// server has a key. Source sentences, site names and exact points: for the staff only.
#[utoipa::path(get, path = "/api/v1/reports/daily", tag = "exports", params(ReportParams),
    responses((status = 200, description = "The report",
        content((String = "text/markdown"), (String = "text/html"), (Vec<u8> = "application/pdf")))))]
pub async fn daily_report(
    State(state): State<AppState>,
    caller: Caller,
    Params(p): Params<ReportParams>,
) -> Result<Response, ApiError> {
    caller.require(Permission::ReadArchive)?;
    let date = day(&p.date, "date")?
        .ok_or_else(|| ApiError::bad_request("date: a day is needed (YYYY-MM-DD)"))?;
    let format = p.format.as_deref().unwrap_or("md");
    let kind = match format {
        "md" => "text/markdown; charset=utf-8",
        "html" => "text/html; charset=utf-8",
        "pdf" => "application/pdf",
        other => {
            return Err(ApiError::bad_request(format!(
                "format: {other:?} is not md, html or pdf"
            )));
        }
    };
    let mut report = truce_app::report::gather(state.store.as_ref(), date).await?;
    report.audit_head = state.audit_head().await;
    let bytes = match format {
        "md" => report.to_markdown().into_bytes(),
        "html" => report.to_html().into_bytes(),
        // Typesetting is work for a blocking thread, not the server's runtime.
        _ => tokio::task::spawn_blocking(move || truce_report::pdf::render(&report))
            .await
            .map_err(ApiError::internal)?
            .map_err(ApiError::internal)?,
    };
    Ok((
        [
            (header::CONTENT_TYPE, kind.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"report-{date}.{format}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

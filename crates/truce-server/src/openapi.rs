//! The OpenAPI 3.1 document, generated from the handlers' request and response types (utoipa)
//! and completed from the route table the router and the access tests use: who may call each
//! route, and the errors every route may answer.

use axum::http::header;
use axum::response::IntoResponse;
use utoipa::OpenApi;
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};

use crate::access::{Permission, allows};
use crate::api::{ROUTES, account, archive, datasets, decisions, exports, incidents, monitoring};
use crate::api::{RouteSpec, map, search, sources, workspace};
use crate::error::ErrorBody;
use truce_model::Role;

/// The handlers, their parameters and their bodies.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "truce",
        description = "Ceasefire monitoring: incidents, evidence, review and adjudication.",
    ),
    paths(
        account::me,
        incidents::list,
        incidents::points,
        incidents::timeline,
        incidents::detail,
        incidents::history,
        workspace::review,
        workspace::correct,
        decisions::merge,
        decisions::split,
        workspace::messages,
        workspace::post_message,
        workspace::case,
        workspace::submit,
        workspace::ask,
        workspace::answer,
        workspace::rule,
        workspace::publish,
        archive::documents,
        archive::submit,
        archive::events,
        archive::statements,
        archive::talks,
        search::reports,
        search::statements,
        search::notes,
        account::tokens,
        account::create_token,
        account::revoke_token,
        account::unread,
        account::unlock,
        account::verify_audit,
        monitoring::health,
        monitoring::alerts,
        monitoring::agreements,
        monitoring::add_agreement,
        monitoring::sites,
        monitoring::import_sites,
        exports::export,
        exports::meta,
        exports::daily_report,
        datasets::events,
        datasets::import,
        sources::list,
        sources::add,
        sources::pause,
        sources::resume,
        sources::remove,
        map::places,
        document,
    ),
    components(schemas(ErrorBody))
)]
struct Handlers;

/// The statuses every route may answer with an error body.
const ERRORS: [(&str, &str); 7] = [
    ("400", "The request is not one the route reads"),
    ("401", "No session nor API token"),
    (
        "403",
        "The role does not allow it, or a browser change without its CSRF token",
    ),
    ("404", "Nothing there, or nothing the caller may see"),
    ("409", "The record has moved on"),
    ("413", "The body is over the limit"),
    (
        "503",
        "The server is at its limit of work; try again (Retry-After)",
    ),
];

fn who(p: Option<Permission>) -> String {
    let Some(p) = p else { return "anyone".into() };
    let mut roles: Vec<&str> = Role::ALL
        .iter()
        .filter(|r| allows(Some(**r), p))
        .map(|r| r.as_str())
        .collect();
    if allows(None, p) {
        roles.push("the public (published incidents, redacted)");
    }
    roles.join(", ")
}

/// The operation a route names, if the handlers document it.
fn operation<'a>(
    doc: &'a mut utoipa::openapi::OpenApi,
    r: &RouteSpec,
) -> Option<&'a mut Operation> {
    let item = doc.paths.paths.get_mut(r.path)?;
    match r.method {
        "GET" => item.get.as_mut(),
        "POST" => item.post.as_mut(),
        "DELETE" => item.delete.as_mut(),
        _ => None,
    }
}

/// Builds the document.
pub fn spec() -> utoipa::openapi::OpenApi {
    let mut doc = Handlers::openapi();
    doc.info.version = env!("CARGO_PKG_VERSION").to_string();
    doc.info.license = None;
    for r in ROUTES {
        let Some(op) = operation(&mut doc, r) else {
            continue;
        };
        let said = op.description.take().unwrap_or_default();
        op.summary = Some(r.summary.to_string());
        op.description = Some(
            format!("{said}\n\nAllowed: {}.", who(r.permission))
                .trim()
                .to_string(),
        );
        op.operation_id = Some(format!("{} {}", r.method, r.path));
        for (status, what) in ERRORS {
            op.responses
                .responses
                .entry(status.to_string())
                .or_insert_with(|| {
                    RefOr::T(
                        ResponseBuilder::new()
                            .description(what)
                            .content(
                                "application/json",
                                ContentBuilder::new()
                                    .schema(Some(Ref::from_schema_name("ErrorBody")))
                                    .build(),
                            )
                            .build(),
                    )
                });
        }
    }
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "token",
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .description(Some(
                    "An API token (`truce token add`, or POST /api/v1/tokens).",
                ))
                .build(),
        ),
    );
    components.add_security_scheme(
        "session",
        SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
            crate::auth::SESSION_COOKIE,
            "The browser session; changes also need the X-CSRF-Token header.",
        ))),
    );
    doc.security = Some(vec![
        utoipa::openapi::security::SecurityRequirement::new("token", Vec::<String>::new()),
        utoipa::openapi::security::SecurityRequirement::new("session", Vec::<String>::new()),
        utoipa::openapi::security::SecurityRequirement::default(),
    ]);
    doc.servers = Some(vec![utoipa::openapi::Server::new("/")]);
    doc
}

/// `GET /api/v1/openapi.json`: the document, built and written once.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "account",
    responses((status = 200, description = "This document", body = Object)))]
pub async fn document() -> impl IntoResponse {
    static DOCUMENT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let text = DOCUMENT.get_or_init(|| spec().to_json().unwrap_or_else(|_| "{}".into()));
    ([(header::CONTENT_TYPE, "application/json")], text.as_str())
}

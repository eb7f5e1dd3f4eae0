//! The REST API under `/api/v1`: JSON in and out, errors as `{"error": {"code", "message"}}`,
//! cursor pages (`next`), session cookie (with `X-CSRF-Token` on changes) or `Authorization:
//! Bearer` API token.

pub mod account;
pub mod archive;
pub mod datasets;
pub mod decisions;
pub mod exports;
pub mod incidents;
pub mod map;
pub mod monitoring;
pub mod params;
pub mod search;
pub mod sources;
pub mod workspace;

use axum::Router;
use axum::routing::{delete, get, post};
use serde::Serialize;
use utoipa::ToSchema;

use crate::access::Permission;
use crate::state::AppState;

/// A whole list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Items<T: ToSchema> {
    /// The items.
    pub items: Vec<T>,
}

/// A page of a list read in id order: `next` is the last id, to send as `after` for the page
/// that follows (none on the last page).
#[derive(Debug, Serialize, ToSchema)]
pub struct IdPage<T: ToSchema> {
    /// The items.
    pub items: Vec<T>,
    /// The `after` of the next page.
    pub next: Option<i64>,
}

/// A page of a list read newest first: `next` is the cursor of the page that follows (none on
/// the last page).
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T: ToSchema> {
    /// The items.
    pub items: Vec<T>,
    /// The `cursor` of the next page.
    pub next: Option<String>,
}

/// One route of the API, as documented and as the access tests walk it.
#[derive(Debug, Clone, Copy)]
pub struct RouteSpec {
    /// `GET`, `POST`, `DELETE`.
    pub method: &'static str,
    /// The path, with `{id}`-style parameters.
    pub path: &'static str,
    /// What it does.
    pub summary: &'static str,
    /// What the caller needs (`None`: anyone, the public included).
    pub permission: Option<Permission>,
}

macro_rules! routes {
    ($( $method:literal $path:literal $perm:expr, $summary:literal; )*) => {
        /// Every API route.
        pub const ROUTES: &[RouteSpec] = &[
            $( RouteSpec { method: $method, path: $path, summary: $summary, permission: $perm }, )*
        ];
    };
}

use Permission as P;
routes! {
    "GET" "/api/v1/me" Some(P::OwnTokens), "The caller's account, role, party and CSRF token.";
    "GET" "/api/v1/incidents" Some(P::ReadIncidents), "Incidents, newest first, filtered; `next` is the following page's cursor.";
    "GET" "/api/v1/incidents/points" Some(P::ReadIncidents), "Incidents as map points.";
    "GET" "/api/v1/incidents/timeline" Some(P::ReadIncidents), "Incidents and deaths per day.";
    "GET" "/api/v1/incidents/{id}" Some(P::ReadIncidents), "One incident: merged record, review state, corrections, sources with their sentences, related statements, case file.";
    "GET" "/api/v1/incidents/{id}/history" Some(P::ReadSources), "The incident's audit-log entries.";
    "POST" "/api/v1/incidents/{id}/reviews" Some(P::Review), "Sets the review status and grade, with a note.";
    "POST" "/api/v1/incidents/{id}/corrections" Some(P::Correct), "Corrects a field or retracts the incident, visibly.";
    "POST" "/api/v1/incidents/{id}/merge" Some(P::Decide), "Merges another incident (`with`) into this one: the resolver keeps the decision; the incident is assessed again.";
    "POST" "/api/v1/incidents/{id}/split" Some(P::Decide), "Splits an event (`DOCUMENT:ORDINAL`) out of the incident: the resolver keeps the decision.";
    "GET" "/api/v1/incidents/{id}/messages" Some(P::Message), "The incident's messages (marks them read).";
    "POST" "/api/v1/incidents/{id}/messages" Some(P::Message), "Posts a message; `@name` mentions an account.";
    "GET" "/api/v1/incidents/{id}/case" Some(P::ReadCase), "The case file: submissions by party, requests for information, ruling.";
    "POST" "/api/v1/incidents/{id}/case/submissions" Some(P::Submit), "A party's submission.";
    "POST" "/api/v1/incidents/{id}/case/rfis" Some(P::AskRfi), "Asks a party for information by a deadline.";
    "POST" "/api/v1/incidents/{id}/case/rfis/{rfi}/answer" Some(P::AnswerRfi), "The party's answer to a request.";
    "POST" "/api/v1/incidents/{id}/case/ruling" Some(P::Rule), "The co-chairs' ruling: violation, no violation or undetermined.";
    "POST" "/api/v1/incidents/{id}/case/publish" Some(P::Publish), "Publishes the ruled outcome.";
    "GET" "/api/v1/documents" Some(P::ReadArchive), "Stored documents (`failed=1` for failures).";
    "GET" "/api/v1/search" Some(P::ReadArchive), "Reports that say every word of `q` in their title or text (diacritics and case folded; no query syntax): the best of the newest 500 that say them, best first, each with the passage around the words and its incidents.";
    "GET" "/api/v1/search/statements" Some(P::ReadArchive), "Statements whose words, speaker, title or organisation say every word of `q` (diacritics and case folded): the best of the newest 500, best first, each with the passage around the words and its report's incidents.";
    "GET" "/api/v1/search/notes" Some(P::ReadArchive), "Messages the caller may read (to those who take part in the threads) and reviews' notes (to those who review) that say every word of `q`, each with the passage around the words and its incident.";
    "POST" "/api/v1/documents" Some(P::SubmitDocument), "Submits a report: stored, extracted and resolved into incidents at once.";
    "GET" "/api/v1/events" Some(P::ReadArchive), "Extracted events.";
    "GET" "/api/v1/statements" Some(P::ReadArchive), "Statements: who said what; `?topic=ceasefire|talks|any` for the diplomatic track.";
    "GET" "/api/v1/talks" Some(P::ReadArchive), "Rounds of talks and meetings read from reports, newest first (`?after=ID` for older ones): the diplomatic track.";
    "GET" "/api/v1/tokens" Some(P::OwnTokens), "The caller's API tokens.";
    "POST" "/api/v1/tokens" Some(P::OwnTokens), "Creates an API token (shown once).";
    "DELETE" "/api/v1/tokens/{id}" Some(P::OwnTokens), "Revokes an API token.";
    "GET" "/api/v1/unread" Some(P::Message), "Incidents with unread messages.";
    "POST" "/api/v1/users/{name}/unlock" Some(P::ManageAccounts), "Lifts an account's lockout after failed logins.";
    "GET" "/api/v1/audit/verify" Some(P::Audit), "Verifies the audit log's hash chain.";
    "GET" "/api/v1/health" Some(P::ReadArchive), "The ceasefire health index a day, with its inputs and definition version, and each area's index; `imported=true` counts too the likely violations only imported ACLED or UCDP events tell.";
    "GET" "/api/v1/alerts" Some(P::ReadArchive), "Alerts raised by incidents near protected sites or aimed at protected kinds of site.";
    "GET" "/api/v1/agreements" Some(P::ReadArchive), "Every agreement on record, every version, oldest first.";
    "POST" "/api/v1/agreements" Some(P::ManageMonitoring), "Adds an agreement or a new version (`toml`, and `zones`: the zone files it names, by name); every incident is assessed again.";
    "GET" "/api/v1/sites" Some(P::ManageMonitoring), "The register of protected sites, exact places included (for those who keep it).";
    "POST" "/api/v1/sites" Some(P::ManageMonitoring), "Imports protected sites (`register`: CSV or GeoJSON text; `format`); the incidents near them are checked again.";
    "GET" "/api/v1/export" Some(P::ReadArchive), "The corrected record as `format=acled-csv|ucdp-csv|geojson|jsonl`, streamed; `since=YYYY-MM-DD`; retracted and discounted incidents only with `include_discounted=true`.";
    "GET" "/api/v1/export/meta" Some(P::ReadArchive), "The sidecar of the same export: agreements, definitions, rows written and rows left out.";
    "GET" "/api/v1/reports/daily" Some(P::ReadArchive), "The daily situation report of `date=YYYY-MM-DD` as `format=md|html|pdf`, signed with the audit log's head when the server has a key.";
    "GET" "/api/v1/external" Some(P::ReadArchive), "Events imported from other datasets (ACLED, UCDP GED) as GeoJSON points in date order: `dataset`, `since`, `until`, `limit` (at most 10,000), `after` (the page's `next`).";
    "POST" "/api/v1/external" Some(P::ManageMonitoring), "Imports an ACLED or UCDP GED file (`file`: its CSV text; `name`; `dataset`) beside the record; refused whole, with the line and column, when a row cannot be read.";
    "GET" "/api/v1/sources" Some(P::ManageSources), "The register of watched sources (feeds, pages, JSON endpoints), each with its schedule, what its fetches found and its health (`healthy`, `waiting`, `paused`, `failing`, `quiet`).";
    "POST" "/api/v1/sources" Some(P::ManageSources), "Adds a source to watch (`url`; `name`, `every`: `15m`, `kind`: `feed|page|json`, `follow_links`), fetched at once by the watcher.";
    "POST" "/api/v1/sources/{id}/pause" Some(P::ManageSources), "Stops fetching a source until it is resumed.";
    "POST" "/api/v1/sources/{id}/resume" Some(P::ManageSources), "Fetches a paused source again, at once.";
    "DELETE" "/api/v1/sources/{id}" Some(P::ManageSources), "Takes a source off the register; the reports it brought stay on the record.";
    "GET" "/api/v1/map/places" None, "The names a view of the map shows (`bbox=south,north,west,east`): its largest towns, then its provinces and districts, from the gazetteer the reports are geocoded against.";
    "GET" "/api/v1/openapi.json" None, "This API's OpenAPI document.";
}

/// The API's router.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/me", get(account::me))
        .route("/api/v1/incidents", get(incidents::list))
        .route("/api/v1/incidents/points", get(incidents::points))
        .route("/api/v1/incidents/timeline", get(incidents::timeline))
        .route("/api/v1/incidents/{id}", get(incidents::detail))
        .route("/api/v1/incidents/{id}/history", get(incidents::history))
        .route("/api/v1/incidents/{id}/reviews", post(workspace::review))
        .route("/api/v1/incidents/{id}/merge", post(decisions::merge))
        .route("/api/v1/incidents/{id}/split", post(decisions::split))
        .route(
            "/api/v1/incidents/{id}/corrections",
            post(workspace::correct),
        )
        .route(
            "/api/v1/incidents/{id}/messages",
            get(workspace::messages).post(workspace::post_message),
        )
        .route("/api/v1/incidents/{id}/case", get(workspace::case))
        .route(
            "/api/v1/incidents/{id}/case/submissions",
            post(workspace::submit),
        )
        .route("/api/v1/incidents/{id}/case/rfis", post(workspace::ask))
        .route(
            "/api/v1/incidents/{id}/case/rfis/{rfi}/answer",
            post(workspace::answer),
        )
        .route("/api/v1/incidents/{id}/case/ruling", post(workspace::rule))
        .route(
            "/api/v1/incidents/{id}/case/publish",
            post(workspace::publish),
        )
        .route(
            "/api/v1/documents",
            get(archive::documents).post(archive::submit),
        )
        .route("/api/v1/events", get(archive::events))
        .route(
            "/api/v1/agreements",
            get(monitoring::agreements).post(monitoring::add_agreement),
        )
        .route(
            "/api/v1/sites",
            get(monitoring::sites).post(monitoring::import_sites),
        )
        .route("/api/v1/export", get(exports::export))
        .route("/api/v1/export/meta", get(exports::meta))
        .route("/api/v1/reports/daily", get(exports::daily_report))
        .route("/api/v1/statements", get(archive::statements))
        .route("/api/v1/talks", get(archive::talks))
        .route("/api/v1/search", get(search::reports))
        .route("/api/v1/search/statements", get(search::statements))
        .route("/api/v1/search/notes", get(search::notes))
        .route(
            "/api/v1/tokens",
            get(account::tokens).post(account::create_token),
        )
        .route("/api/v1/tokens/{id}", delete(account::revoke_token))
        .route("/api/v1/unread", get(account::unread))
        .route("/api/v1/users/{name}/unlock", post(account::unlock))
        .route("/api/v1/audit/verify", get(account::verify_audit))
        .route("/api/v1/health", get(monitoring::health))
        .route("/api/v1/alerts", get(monitoring::alerts))
        .route(
            "/api/v1/external",
            get(datasets::events).post(datasets::import),
        )
        .route("/api/v1/sources", get(sources::list).post(sources::add))
        .route("/api/v1/sources/{id}", delete(sources::remove))
        .route("/api/v1/sources/{id}/pause", post(sources::pause))
        .route("/api/v1/sources/{id}/resume", post(sources::resume))
        .route("/api/v1/map/places", get(map::places))
        .route("/api/v1/openapi.json", get(crate::openapi::document))
}

//! The truce monitoring workspace over HTTP: the dashboard (`/`), the public view (`/public`),
//! incident pages (`/incidents/{id}`) and the REST API (`/api/v1`), all from the same store.
//!
//! - [`auth`]: argon2id passwords, session cookies (HttpOnly, SameSite=Strict, a new token at
//!   every login), API tokens kept as hashes, CSRF tokens, the failed-login throttle.
//! - [`access`]: what each role may do, one table that every handler consults and the tests walk.
//! - The API's routes are listed once ([`ROUTES`]); the OpenAPI document is made from that list.
//! - Pages are askama templates (escaping everything they show); the dashboard's scripts and the
//!   offline basemap are embedded in the binary.
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! use std::sync::Arc;
//! let store: Arc<dyn truce_store::Store> = Arc::from(truce_store::open(":memory:").await.unwrap());
//! let engine: truce_server::ExtractorFactory =
//!     Arc::new(|| truce_app::Extractor::new().map_err(|e| e.to_string()));
//! let app = truce_server::app(store, engine, &truce_server::ServerConfig::default());
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! truce_server::serve(listener, app, truce_server::Limits::default()).await
//! # }
//! ```

pub mod access;
mod api;
mod assets;
pub mod auth;
mod caller;
pub mod connections;
mod error;
mod history;
pub mod metrics;
mod openapi;
mod pages;
mod state;
pub mod throttle;
mod view;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, header};
use axum::routing::{get, post};
use tower_http::request_id::{PropagateRequestIdLayer, RequestId, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use truce_store::Store;

pub use access::{Permission, allows};
pub use api::{ROUTES, RouteSpec};
pub use connections::Limits;
pub use error::ApiError;
pub use openapi::spec as openapi_spec;
pub use state::{AppState, ExtractorFactory};

/// How the server behaves.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Mark cookies `Secure` (when served behind HTTPS).
    pub secure_cookies: bool,
    /// Largest report `POST /api/v1/documents` accepts, in bytes.
    pub max_document_bytes: usize,
    /// Connection and request limits and deadlines.
    pub limits: Limits,
    /// The key that signs the audit log's heads (shown on the public page).
    pub signing_key: Option<Arc<truce_model::SigningKey>>,
    /// When incidents raise alerts (`[monitor] radius_km`).
    pub alert_rule: truce_monitor::AlertRule,
    /// Where new alerts are posted (`[monitor] webhook`), if anywhere.
    pub webhook: Option<String>,
    /// The process's metrics, when a recorder is installed ([`metrics::install`]).
    pub metrics: Option<metrics_exporter_prometheus::PrometheusHandle>,
    /// Addresses that may read `/metrics` without logging in (`[server] metrics_from`).
    pub metrics_from: metrics::Networks,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            secure_cookies: false,
            max_document_bytes: 5 * 1024 * 1024,
            limits: Limits::default(),
            signing_key: None,
            alert_rule: truce_monitor::AlertRule::default(),
            webhook: None,
            metrics: None,
            metrics_from: metrics::Networks::default(),
        }
    }
}

/// The whole application.
pub fn app(
    store: Arc<dyn Store>,
    make_extractor: ExtractorFactory,
    config: &ServerConfig,
) -> Router {
    let state = AppState {
        store,
        throttle: Arc::new(throttle::Throttle::default()),
        lockout: truce_store::LockoutPolicy::default(),
        passwords: Arc::new(auth::PasswordPool::default()),
        secure_cookies: config.secure_cookies,
        extractor: Arc::new(tokio::sync::OnceCell::new()),
        make_extractor,
        max_document_bytes: config.max_document_bytes,
        signing_key: config.signing_key.clone(),
        head_cache: Arc::new(tokio::sync::Mutex::new(None)),
        alert_rule: config.alert_rule,
        webhook: config.webhook.as_deref().map(Arc::from),
        metrics: config.metrics.clone(),
        metrics_from: Arc::new(config.metrics_from.clone()),
    };
    let header = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    Router::new()
        .route("/", get(pages::dashboard))
        .route("/public", get(pages::public))
        .route("/login", get(pages::login_form).post(pages::login))
        .route("/logout", post(pages::logout))
        .route("/incidents/{id}", get(pages::incident))
        .route("/assets/{*path}", get(assets::asset))
        .route("/metrics", get(metrics::metrics))
        .route("/healthz", get(metrics::healthz))
        .route("/readyz", get(metrics::readyz))
        .merge(api::router())
        .layer(axum::middleware::from_fn(metrics::record))
        .layer(DefaultBodyLimit::max(config.max_document_bytes + 64 * 1024))
        .layer(header(
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; \
             connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        ))
        .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header(header::X_FRAME_OPTIONS, "DENY"))
        .layer(header(header::REFERRER_POLICY, "same-origin"))
        .layer(header(header::CACHE_CONTROL, "no-store"))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .layer(SetRequestIdLayer::x_request_id(metrics::RequestIds))
        .with_state(state)
}

/// The span of one request: its method, path (without the query, which may carry a person's
/// search words) and request id (`x-request-id`, the client's or one made here, sent back).
fn request_span<B>(request: &axum::http::Request<B>) -> tracing::Span {
    let id = request
        .extensions()
        .get::<RequestId>()
        .and_then(|id| id.header_value().to_str().ok())
        .unwrap_or("");
    tracing::info_span!(
        "request",
        method = %request.method(),
        path = %request.uri().path(),
        request_id = %id,
    )
}

/// Serves the application within the limits until Ctrl-C.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    limits: Limits,
) -> std::io::Result<()> {
    connections::serve(listener, app, limits, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}

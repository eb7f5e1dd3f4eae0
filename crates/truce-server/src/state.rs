//! What every handler shares.

use std::sync::Arc;

use tokio::sync::OnceCell;
use truce_model::{SignedTreeHead, SigningKey};
use truce_store::Store;

use crate::auth::PasswordPool;
use crate::throttle::Throttle;

use truce_app::Extractor;
pub use truce_app::ExtractorFactory;

/// The server's shared state.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Arc<dyn Store>,
    /// Failed-login counts per address and per unknown name (an account's are in the store).
    pub throttle: Arc<Throttle>,
    /// How failed logins lock an account.
    pub lockout: truce_store::LockoutPolicy,
    /// Where passwords are checked, a bounded number at a time.
    pub passwords: Arc<PasswordPool>,
    /// Whether cookies carry `Secure` (behind HTTPS).
    pub secure_cookies: bool,
    /// The engine, built on the first submitted report.
    pub extractor: Arc<OnceCell<Arc<Extractor>>>,
    /// How to build it.
    pub make_extractor: ExtractorFactory,
    /// Largest report accepted by `POST /api/v1/documents`, in bytes.
    pub max_document_bytes: usize,
    /// The key that signs the audit log's heads, when the server has one.
    pub signing_key: Option<Arc<SigningKey>>,
    /// The head signed last, and when it was last found current: the log is looked at again at
    /// most once a minute, and a head is signed (and kept) only when the log has grown since.
    pub head_cache: Arc<tokio::sync::Mutex<Option<(std::time::Instant, SignedTreeHead)>>>,
    /// When incidents raise alerts (`[monitor] radius_km`): for reports submitted through the
    /// API and for corrections, as for `truce ingest`.
    pub alert_rule: truce_monitor::AlertRule,
    /// Where new alerts are posted (`[monitor] webhook`), if anywhere.
    pub webhook: Option<Arc<str>>,
    /// The process's metrics, when a recorder is installed.
    pub metrics: Option<metrics_exporter_prometheus::PrometheusHandle>,
    /// Addresses that may read `/metrics` without logging in.
    pub metrics_from: Arc<crate::metrics::Networks>,
}

impl AppState {
    /// The audit log's signed head, when the server has a key: the log is looked at again at
    /// most once a minute and signed again only when it changed; a failure to read it is logged
    /// and shows as no head.
    pub async fn audit_head(&self) -> Option<String> {
        let key = self.signing_key.as_ref()?;
        let mut cache = self.head_cache.lock().await;
        let now = std::time::Instant::now();
        if let Some((at, sth)) = cache.as_ref()
            && now.duration_since(*at) < std::time::Duration::from_secs(60)
        {
            return Some(sth.to_string());
        }
        let last = cache.as_ref().map(|(_, sth)| sth);
        match truce_app::audit::signed_head(self.store.as_ref(), key, last).await {
            Ok(sth) => {
                let line = sth.to_string();
                *cache = Some((now, sth));
                Some(line)
            }
            Err(e) => {
                tracing::error!("cannot sign the audit log's head: {e}");
                None
            }
        }
    }

    /// Posts new alerts to the webhook, if one is configured, without holding up the request:
    /// a failure is logged (the alerts are stored; `truce alerts` lists them).
    pub fn post_alerts(&self, alerts: Vec<truce_store::StoredAlert>) {
        let Some(url) = self.webhook.clone() else {
            return;
        };
        if alerts.is_empty() {
            return;
        }
        tokio::spawn(async move {
            if let Err(e) = truce_app::monitoring::post_alerts(&url, &alerts).await {
                tracing::warn!("cannot post {} alert(s) to the webhook: {e}", alerts.len());
            }
        });
    }

    /// The engine, built once.
    pub async fn extractor(&self) -> Result<Arc<Extractor>, String> {
        let make = self.make_extractor.clone();
        self.extractor
            .get_or_try_init(|| async move {
                tokio::task::spawn_blocking(move || make().map(Arc::new))
                    .await
                    .map_err(|e| format!("the engine could not be built: {e}"))?
            })
            .await
            .cloned()
    }
}

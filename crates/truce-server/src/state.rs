//! What every handler shares.

use std::sync::Arc;

use tokio::sync::OnceCell;
use truce_extract::Extractor;
use truce_model::SigningKey;
use truce_store::Store;

use crate::auth::PasswordPool;
use crate::throttle::Throttle;

/// Builds the extraction engine on first need (it takes a second and a few hundred MB).
pub type ExtractorFactory = Arc<dyn Fn() -> Result<Extractor, String> + Send + Sync>;

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
    /// The head signed last, and when: a head is signed at most once a minute.
    pub head_cache: Arc<tokio::sync::Mutex<Option<(std::time::Instant, String)>>>,
}

impl AppState {
    /// The audit log's signed head now (signed again at most once a minute), when the server
    /// has a key; a failure to read the log is logged and shows as no head.
    pub async fn audit_head(&self) -> Option<String> {
        let key = self.signing_key.as_ref()?;
        let mut cache = self.head_cache.lock().await;
        if let Some((at, line)) = cache.as_ref()
            && at.elapsed() < std::time::Duration::from_secs(60)
        {
            return Some(line.clone());
        }
        match truce_pipeline::audit::issue_head(self.store.as_ref(), key).await {
            Ok(h) => {
                let line = h.to_string();
                *cache = Some((std::time::Instant::now(), line.clone()));
                Some(line)
            }
            Err(e) => {
                tracing::error!("cannot sign the audit log's head: {e}");
                None
            }
        }
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

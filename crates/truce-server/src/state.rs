//! What every handler shares.

use std::sync::Arc;

use tokio::sync::OnceCell;
use truce_extract::Extractor;
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
}

impl AppState {
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

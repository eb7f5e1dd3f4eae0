//! `truce.toml`: the settings of one truce installation.

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::{Deserialize, Serialize};
use truce_ingest::IngestConfig;

/// Everything `truce.toml` may hold. Unknown keys are an error, so that a typo is not silently
/// ignored.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// How inputs are read.
    pub ingest: IngestConfig,
    /// Where the gazetteer finds places added by the user.
    pub gazetteer: GazetteerConfig,
    /// How `truce serve` listens.
    pub server: ServerSettings,
    /// How incidents are monitored.
    pub monitor: MonitorSettings,
    /// The audit log's signing key.
    pub audit: AuditSettings,
    /// How `truce watch` fetches the register's sources.
    pub watch: WatchSettings,
}

/// The `[watch]` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WatchSettings {
    /// Fetches in flight at once.
    pub concurrency: usize,
    /// Fetches in flight at once to one host.
    pub per_host: usize,
    /// Articles followed from one fetch of a feed at most (the rest wait for the next fetch).
    pub max_links: usize,
}

impl Default for WatchSettings {
    fn default() -> Self {
        let d = truce_app::watch::WatchConfig::default();
        Self {
            concurrency: d.concurrency,
            per_host: d.per_host,
            max_links: d.max_links,
        }
    }
}

/// The `[audit]` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuditSettings {
    /// The Ed25519 key (PKCS#8) that signs the audit log's tree heads, relative to truce.toml.
    /// `truce init` makes it; keep it apart from the database (and out of its backups): whoever
    /// holds both could rewrite the log and sign the result.
    pub signing_key: PathBuf,
}

impl Default for AuditSettings {
    fn default() -> Self {
        Self {
            signing_key: PathBuf::from("audit-signing.key"),
        }
    }
}

/// The `[monitor]` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MonitorSettings {
    /// An incident this close to a protected site (km) raises an alert.
    pub radius_km: f64,
    /// Where new alerts are posted (JSON), if anywhere.
    pub webhook: Option<String>,
}

impl Default for MonitorSettings {
    fn default() -> Self {
        Self {
            radius_km: 1.0,
            webhook: None,
        }
    }
}

impl MonitorSettings {
    /// The alert rule these settings make.
    pub fn rule(&self) -> truce_monitor::AlertRule {
        truce_monitor::AlertRule {
            radius_km: self.radius_km,
        }
    }
}

/// The `[server]` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerSettings {
    /// Address to listen on.
    pub bind: String,
    /// Mark cookies `Secure`: set when truce is served behind HTTPS.
    pub secure_cookies: bool,
    /// Largest report accepted by `POST /api/v1/documents`, in bytes.
    pub max_document_bytes: usize,
    /// Open connections at most; past it a new one replaces the quietest idle one.
    pub max_connections: usize,
    /// Requests handled at once at most; more are answered 503 with `Retry-After`.
    pub max_requests: usize,
    /// Seconds a client has to send a request's headers.
    pub header_timeout_secs: u64,
    /// Seconds a connection with no request in flight may make no progress.
    pub idle_timeout_secs: u64,
    /// Addresses that may read `/metrics` without logging in (a Prometheus server's), besides
    /// administrators: IP addresses, or networks as `10.0.0.0/8`.
    pub metrics_from: Vec<String>,
}

impl Default for ServerSettings {
    fn default() -> Self {
        Self {
            bind: "127.0.0.1:8080".into(),
            secure_cookies: false,
            max_document_bytes: 5 * 1024 * 1024,
            max_connections: 1000,
            max_requests: 128,
            header_timeout_secs: 10,
            idle_timeout_secs: 60,
            metrics_from: Vec::new(),
        }
    }
}

/// The `[gazetteer]` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GazetteerConfig {
    /// Folder (relative to truce.toml) of places imported with `truce gazetteer import`, loaded
    /// next to the embedded gazetteer.
    pub dir: PathBuf,
}

impl Default for GazetteerConfig {
    fn default() -> Self {
        Self {
            dir: PathBuf::from("gazetteer"),
        }
    }
}

impl Config {
    /// Reads `path`; a missing file gives the defaults.
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        };
        let config: Config = toml::from_str(&text)
            .with_context(|| format!("invalid configuration in {}", path.display()))?;
        let r = config.monitor.radius_km;
        if !(r.is_finite() && r > 0.0 && r <= 100.0) {
            anyhow::bail!(
                "invalid configuration in {}: monitor.radius_km must be above 0 and at most 100 (km), not {r}",
                path.display()
            );
        }
        if let Some(url) = &config.monitor.webhook
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            anyhow::bail!(
                "invalid configuration in {}: monitor.webhook must be an http(s) address, not {url:?}",
                path.display()
            );
        }
        if let Err(e) = truce_server::metrics::Networks::parse(&config.server.metrics_from) {
            anyhow::bail!(
                "invalid configuration in {}: server.metrics_from: {e}",
                path.display()
            );
        }
        Ok(config)
    }

    /// The default configuration as a commented TOML file.
    pub fn default_file() -> String {
        let defaults = toml::to_string_pretty(&Self::default()).unwrap_or_default();
        format!(
            "# truce configuration. Every key is optional; these are the defaults.\n\
             # The database is chosen with --db or TRUCE_DB (default ./truce.db).\n\n{defaults}"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_file_parses_back_to_the_defaults() {
        let parsed: Config = toml::from_str(&Config::default_file()).unwrap();
        assert_eq!(parsed, Config::default());
    }

    #[test]
    fn unknown_keys_are_rejected() {
        let err = toml::from_str::<Config>("[ingest]\nmax_byte = 5\n").unwrap_err();
        assert!(err.to_string().contains("unknown field"), "{err}");
    }
}

//! `truce serve`: the dashboard, incident pages and the API over HTTP.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;
use truce_server::{ExtractorFactory, ServerConfig};

use super::Context;

/// Arguments of `truce serve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on (default from truce.toml, else 127.0.0.1:8080).
    #[arg(long)]
    pub bind: Option<String>,

    /// Mark cookies Secure (when truce is behind HTTPS).
    #[arg(long)]
    pub secure_cookies: bool,

    /// Watch the register's sources too (`truce watch` in the same process).
    #[arg(long)]
    pub watch: bool,
}

/// How the server builds the engine: with this installation's gazetteer.
pub fn extractor_factory(cx: &Context) -> ExtractorFactory {
    let cx = cx.clone();
    Arc::new(move || super::extract::extractor(&cx).map_err(|e| format!("{e:#}")))
}

/// Serves until Ctrl-C.
pub async fn run(cx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let store: Arc<dyn truce_store::Store> = Arc::from(cx.store().await?);
    // Reports an earlier run stored and did not finish (a crash, a kill) are finished first, so
    // that the dashboard never shows a record with a hole in it.
    let engine = Arc::new(super::extract::extractor(cx)?);
    let pending =
        truce_app::ingest::finish_pending(store.as_ref(), engine.clone(), cx.config.monitor.rule())
            .await
            .context("finishing the work an earlier run left")?;
    if pending.documents > 0 || pending.resolved > 0 {
        super::reextract::report(&pending);
    }
    if args.watch {
        let watcher = Arc::new(truce_app::watch::Watcher::new(
            store.clone(),
            super::watch::config(cx),
        )?);
        let announcer = Arc::new(super::watch::Announcer::new(cx, store.clone()));
        let count = store.sources().await?.len();
        println!("watching {count} sources");
        tokio::spawn(async move {
            let stop = async {
                let _ = tokio::signal::ctrl_c().await;
            };
            if let Err(e) = watcher.run(engine, announcer, stop).await {
                tracing::error!("the watcher stopped: {e}");
            }
        });
    } else {
        drop(engine);
    }
    serve_store(cx, store, args, None).await
}

/// Serves a store; `banner` is printed once listening (the demo's logins).
pub async fn serve_store(
    cx: &Context,
    store: Arc<dyn truce_store::Store>,
    args: Args,
    banner: Option<String>,
) -> anyhow::Result<ExitCode> {
    let settings = &cx.config.server;
    let bind = args.bind.unwrap_or_else(|| settings.bind.clone());
    let config = ServerConfig {
        secure_cookies: args.secure_cookies || settings.secure_cookies,
        max_document_bytes: settings.max_document_bytes,
        signing_key: cx.signing_key()?.map(Arc::new),
        limits: truce_server::Limits {
            max_connections: settings.max_connections.max(1),
            max_requests: settings.max_requests.max(1),
            header_read_timeout: std::time::Duration::from_secs(
                settings.header_timeout_secs.max(1),
            ),
            idle_timeout: std::time::Duration::from_secs(settings.idle_timeout_secs.max(1)),
        },
        alert_rule: cx.config.monitor.rule(),
        webhook: cx.config.monitor.webhook.clone(),
        metrics: truce_server::metrics::install(),
        metrics_from: truce_server::metrics::Networks::parse(&settings.metrics_from)
            .map_err(|e| anyhow::anyhow!("[server] metrics_from: {e}"))?,
    };
    let app = truce_server::app(store, extractor_factory(cx), &config);
    let listener = tokio::net::TcpListener::bind(&bind)
        .await
        .with_context(|| format!("cannot listen on {bind}"))?;
    let addr = listener.local_addr()?;
    println!(
        "truce is serving http://{addr}/ (the API at http://{addr}/api/v1/openapi.json); Ctrl-C stops it"
    );
    if let Some(b) = banner {
        println!("{b}");
    }
    truce_server::serve(listener, app, config.limits)
        .await
        .context("the server stopped")?;
    Ok(ExitCode::SUCCESS)
}

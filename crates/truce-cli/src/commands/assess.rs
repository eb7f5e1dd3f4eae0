//! `truce assess`: hold every incident against the agreements and the protected sites again;
//! `truce alerts`: list the alerts raised.

use std::process::ExitCode;

use truce_app::monitoring::{MonitorSummary, describe_alert, post_alerts};
use truce_store::Store;

use super::Context;

/// Arguments of `truce assess`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Alert radius around protected sites, in km (default from truce.toml, else 1).
    #[arg(long)]
    radius_km: Option<f64>,
}

/// Arguments of `truce alerts`.
#[derive(Debug, clap::Args)]
pub struct AlertsArgs {
    /// Only alerts of incidents on or after this day (YYYY-MM-DD).
    #[arg(long, value_parser = crate::format::day)]
    since: Option<chrono::NaiveDate>,
    /// At most this many, newest first.
    #[arg(long, default_value_t = 200)]
    limit: u32,
    /// One JSON object a line.
    #[arg(long)]
    json: bool,
}

/// Prints a monitoring pass's verdicts and new alerts, logs the alerts and posts them to the
/// webhook when one is configured (a failing webhook is reported, never fatal: the alerts are
/// stored either way).
pub async fn announce(cx: &Context, store: &dyn Store, m: &MonitorSummary) {
    if m.assessed > 0 {
        let verdicts: Vec<String> = m.verdicts.iter().map(|(k, n)| format!("{n} {k}")).collect();
        println!(
            "assessed {} incidents: {}",
            m.assessed,
            if verdicts.is_empty() {
                "none".into()
            } else {
                verdicts.join(", ")
            }
        );
    }
    for a in &m.new_alerts {
        let incident = store.incident(a.incident_id).await.ok().flatten();
        let line = describe_alert(a, incident.as_ref().map(|i| &i.incident));
        tracing::info!(target: "truce::alert", "{line}");
        println!("{line}");
    }
    if let Some(url) = &cx.config.monitor.webhook
        && let Err(e) = post_alerts(url, &m.new_alerts).await
    {
        eprintln!("warning: {e} (the alerts are stored; `truce alerts` lists them)");
    }
}

/// Runs `truce assess`.
pub async fn run(cx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let store = cx.store().await?;
    let mut rule = cx.config.monitor.rule();
    if let Some(r) = args.radius_km {
        anyhow::ensure!(
            r.is_finite() && r > 0.0 && r <= 100.0,
            "--radius-km must be above 0 and at most 100, not {r}"
        );
        rule.radius_km = r;
    }
    let m = truce_app::monitoring::assess_all(store.as_ref(), rule).await?;
    if m.assessed == 0 {
        println!("no incidents to assess");
    }
    announce(cx, store.as_ref(), &m).await;
    Ok(ExitCode::SUCCESS)
}

/// Runs `truce alerts`.
pub async fn alerts(cx: &Context, args: AlertsArgs) -> anyhow::Result<ExitCode> {
    let store = cx.store().await?;
    for a in store.alerts(args.since, args.limit).await? {
        if args.json {
            println!(
                "{}",
                serde_json::json!({"id": a.id, "incident": a.incident_id, "site_id": a.site_id,
                    "label": a.alert.label, "raised_at": a.raised_at, "cleared_at": a.cleared_at,
                    "alert": a.alert})
            );
        } else {
            let incident = store.incident(a.incident_id).await?;
            println!(
                "{}  {}{}",
                a.raised_at.get(..19).unwrap_or(&a.raised_at),
                describe_alert(&a, incident.as_ref().map(|i| &i.incident)),
                a.cleared_at.as_deref().map_or(String::new(), |c| format!(
                    "  (cleared {}: the incident no longer raises it)",
                    c.get(..19).unwrap_or(c)
                ))
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

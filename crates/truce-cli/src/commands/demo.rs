//! `truce demo`: a fresh database from the bundled sample reports, demo accounts, a few reviews
//! and a case file, then the dashboard.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;
use chrono::Utc;
use truce_model::{Grade, ReviewStatus, Role};
use truce_store::{IncidentQuery, NewUser, Review};

use super::Context;
use super::serve::{Args as ServeArgs, serve_store};

/// The scenario's agreement, its zone and its register of protected sites (`monitoring/`).
const AGREEMENT: &str = include_str!("../../../../monitoring/idlib-cessation.toml");
const ZONE: &str = include_str!("../../../../monitoring/zones/north-west.geojson");
const SITES: &str = include_str!("../../../../monitoring/protected-sites.csv");

macro_rules! samples {
    ($($path:literal,)*) => {
        /// The sample reports (`samples/`), embedded: path and bytes.
        const SAMPLES: &[(&str, &[u8])] = &[
            $( ($path, include_bytes!(concat!("../../../../samples/", $path))), )*
        ];
    };
}

samples!(
    "feeds/health-watch.atom",
    "feeds/monitor-alerts.rss",
    "field/field-reports-2026-03.jsonl",
    "field/photo-from-team-3.jpg",
    "mail/co-chair-note.eml",
    "mail/party-answer.eml",
    "pages/01-hospital-strike-the-crescent.html",
    "pages/02-hospital-strike-ngo-alert.html",
    "pages/03-ariha-market-crescent.html",
    "pages/04-ariha-ngo.html",
    "pages/05-saraqib-frontline.html",
    "pages/06-sarmada-drone.html",
    "pages/07-envoy-statement.html",
    "pages/08-truncated-download.html",
    "reports/01-hospital-strike-levant-ledger.txt",
    "reports/02-hospital-strike-wire.txt",
    "reports/03-hospital-strike-followup.txt",
    "reports/04-ariha-market.txt",
    "reports/05-saraqib-clashes.txt",
    "reports/06-sarmada-drone.txt",
    "reports/07-afrin-bomb.txt",
    "reports/08-idlib-protest.txt",
    "reports/09-geneva-talks.txt",
    "reports/10-task-force-meeting.txt",
    "reports/11-jisr-shelling.txt",
    "reports/12-background-analysis.txt",
);

/// Arguments of `truce demo`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    bind: String,

    /// The demo database (made afresh at every run).
    #[arg(long, default_value = "truce-demo.db")]
    db_file: std::path::PathBuf,

    /// Build the database and print the logins, but do not serve.
    #[arg(long)]
    no_serve: bool,
}

/// Builds the demo and serves it.
pub async fn run(cx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    remove_old(&args.db_file)?;
    let mut demo_cx = cx.clone();
    demo_cx.db = args.db_file.display().to_string();
    // The public page prints the audit log's signed head: the demo signs as an installation does.
    if demo_cx.ensure_signing_key()? && !cx.quiet {
        println!(
            "audit signing key written to {}",
            demo_cx.signing_key_path().display()
        );
    }
    let store: Arc<dyn truce_store::Store> = Arc::from(demo_cx.store().await?);

    // The samples, written out and ingested as a user would ingest a folder.
    let dir = tempfile::tempdir().context("cannot make a temporary folder")?;
    for (path, bytes) in SAMPLES {
        let target = dir.path().join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&target, bytes)?;
    }
    let agreement = seed_monitoring(store.as_ref()).await?;
    let ingestor = truce_pipeline::Ingestor::new(
        store.as_ref(),
        cx.config.ingest.clone(),
        &truce_pipeline::Quiet,
    );
    let summary = ingestor
        .ingest_paths(&[dir.path().to_path_buf()], &[])
        .await?;
    let engine = Arc::new(super::extract::extractor(cx)?);
    let extracted =
        truce_pipeline::extract_documents(store.as_ref(), engine, Some(&summary.new_documents()))
            .await?;
    println!(
        "demo database {}: {} reports ({} failed on purpose: a broken JSONL line and a photo), {} events, {} incidents",
        args.db_file.display(),
        summary.stored(),
        summary.failed(),
        extracted.events,
        extracted.incidents
    );
    let verdicts: Vec<String> = extracted
        .monitor
        .verdicts
        .iter()
        .map(|(k, n)| format!("{n} {k}"))
        .collect();
    println!(
        "against {}: {}; {} alerts on protected sites",
        agreement.label(),
        verdicts.join(", "),
        extracted.monitor.new_alerts.len()
    );

    let logins = create_accounts(store.as_ref()).await?;
    seed_workspace(store.as_ref()).await?;
    let banner = format!(
        "demo logins (made for this run):\n{}\nthe public view needs no login: /public",
        logins.join("\n")
    );
    if args.no_serve {
        println!("{banner}");
        return Ok(ExitCode::SUCCESS);
    }
    serve_store(
        &demo_cx,
        store,
        ServeArgs {
            bind: Some(args.bind),
            secure_cookies: false,
        },
        Some(banner),
    )
    .await
}

/// Removes the demo database of an earlier run (its write-ahead log and shared memory too).
fn remove_old(db_file: &std::path::Path) -> anyhow::Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = db_file.as_os_str().to_os_string();
        p.push(suffix);
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(e).with_context(|| {
                    format!("cannot remove the old demo database {}", db_file.display())
                });
            }
        }
    }
    Ok(())
}

/// The scenario's agreement and register of protected sites, so that incidents are assessed and
/// alerts raised as the reports come in; returns the agreement.
async fn seed_monitoring(
    store: &dyn truce_store::Store,
) -> anyhow::Result<truce_monitor::Agreement> {
    let agreement = truce_monitor::Agreement::from_toml(AGREEMENT, &|path: &str| {
        if path == "zones/north-west.geojson" {
            Ok(ZONE.to_string())
        } else {
            Err(format!("the demo bundles no {path}"))
        }
    })?;
    store
        .add_agreement(
            &truce_store::StoredAgreement {
                id: 0,
                name: agreement.name.clone(),
                version: i64::from(agreement.version),
                definition: serde_json::to_string(&agreement)?,
                source: AGREEMENT.into(),
                added_by: "demo".into(),
                added_at: String::new(),
            },
            "demo",
        )
        .await?;
    let sites: Vec<truce_store::StoredSite> = truce_monitor::site::from_csv(SITES)?
        .iter()
        .map(truce_pipeline::monitor::stored_site)
        .collect();
    store.add_sites(&sites, "demo").await?;
    Ok(agreement)
}

/// The demo's accounts, one a role, each with a fresh password: one line a login.
async fn create_accounts(store: &dyn truce_store::Store) -> anyhow::Result<Vec<String>> {
    let mut logins = Vec::new();
    for (name, role, party) in [
        ("admin", Role::Admin, None),
        ("cochair", Role::CoChair, None),
        ("monitor", Role::Monitor, None),
        ("party-syria", Role::Party, Some("Military Forces of Syria")),
        ("viewer", Role::Viewer, None),
    ] {
        let password = truce_server::auth::random_token()[..16].to_string();
        let hash = truce_server::auth::hash_password(&password).map_err(anyhow::Error::msg)?;
        store
            .create_user(
                &NewUser {
                    username: name.into(),
                    password_hash: hash,
                    role,
                    party: party.map(str::to_string),
                },
                "demo",
            )
            .await?;
        logins.push(format!(
            "  {name:<12} {password}  ({}{})",
            role.as_str(),
            party.map(|p| format!(" for {p}")).unwrap_or_default()
        ));
    }
    Ok(logins)
}

/// Incidents told by two or more outlets are confirmed, so that the public view has content; the
/// largest gets a case file (a request for information, the party's submission, a message).
async fn seed_workspace(store: &dyn truce_store::Store) -> anyhow::Result<()> {
    let all = store
        .incidents(&IncidentQuery {
            limit: Some(1000),
            ..Default::default()
        })
        .await?;
    let mut largest: Option<(usize, i64)> = None;
    for i in &all {
        let docs = i.incident.documents();
        if docs.len() >= 2 {
            store
                .add_review(&Review {
                    id: 0,
                    incident_id: i.id,
                    status: ReviewStatus::Confirmed,
                    grade: Some(if docs.len() >= 3 {
                        Grade::Fair
                    } else {
                        Grade::Weak
                    }),
                    note: format!(
                        "{} independent reports agree on place, date and kind",
                        docs.len()
                    ),
                    reviewed_by: "monitor".into(),
                    reviewed_at: Utc::now(),
                })
                .await?;
        }
        if largest.is_none_or(|(n, _)| docs.len() > n) {
            largest = Some((docs.len(), i.id));
        }
    }
    if let Some((_, id)) = largest {
        let deadline = (Utc::now() + chrono::Duration::days(7)).date_naive();
        store
            .add_rfi(
                id,
                "Military Forces of Syria",
                "Which units operated aircraft over the area that night?",
                deadline,
                "cochair",
            )
            .await?;
        store.add_submission(id, "Military Forces of Syria", "party-syria", "No aircraft of ours flew over the area on 3-4 March; the site was used by armed groups.").await?;
        store
            .add_message(
                id,
                "cochair",
                "@party-syria please answer the request by the deadline.",
                &["party-syria".to_string()],
                &truce_model::Audience::Party("Military Forces of Syria".into()),
            )
            .await?;
    }
    Ok(())
}

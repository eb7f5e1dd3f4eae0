//! The demonstration: the bundled sample reports (`samples/`) ingested into a fresh store, with
//! the scenario's agreement and register of protected sites (`monitoring/`), an account for each
//! role, a few reviews and a case file, so that every page of the workspace has something to
//! show. `truce demo` serves what this builds.

use std::sync::Arc;

use chrono::Utc;
use truce_extract::Extractor;
use truce_model::{Grade, ReviewStatus, Role, Verdict};
use truce_monitor::AlertRule;
use truce_store::{IncidentQuery, NewUser, Review, Store};

use crate::AppError;
use crate::ingest::{IngestConfig, Quiet, Sources};
use crate::monitoring::RegisterFormat;

/// The scenario's agreement, its zone and its register of protected sites (`monitoring/`).
const AGREEMENT: &str = include_str!("../../../monitoring/idlib-cessation.toml");
const ZONE: &str = include_str!("../../../monitoring/zones/north-west.geojson");
const SITES: &str = include_str!("../../../monitoring/protected-sites.csv");

/// Who the demo's changes are made by, in the audit log.
const BY: &str = "demo";

macro_rules! samples {
    ($($path:literal,)*) => {
        /// The sample reports (`samples/`), embedded: path and bytes.
        const SAMPLES: &[(&str, &[u8])] = &[
            $( ($path, include_bytes!(concat!("../../../samples/", $path))), )*
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

/// What the demonstration holds once built.
#[derive(Debug, Clone)]
pub struct Demo {
    /// Reports stored.
    pub stored: usize,
    /// Of them, failed (on purpose: a broken JSONL line and a photo).
    pub failed: usize,
    /// Events extracted.
    pub events: usize,
    /// Incidents resolved.
    pub incidents: usize,
    /// The agreement (`Name v1`).
    pub agreement: String,
    /// Incidents by verdict.
    pub verdicts: Vec<(Verdict, usize)>,
    /// Alerts raised on protected sites.
    pub alerts: usize,
    /// One account per role: name, role, party, and the password made for this run.
    pub logins: Vec<Login>,
}

/// A demonstration account.
#[derive(Debug, Clone)]
pub struct Login {
    /// Its name.
    pub username: String,
    /// Its role.
    pub role: Role,
    /// The party it answers for.
    pub party: Option<String>,
    /// Its password, made for this run.
    pub password: String,
}

/// Builds the demonstration in `store` (a fresh one): the agreement and sites first, so that
/// the reports are assessed and raise alerts as they come in, then the reports, the accounts
/// and the workspace.
pub async fn seed(
    store: &dyn Store,
    engine: Arc<Extractor>,
    config: &IngestConfig,
    rule: AlertRule,
) -> Result<Demo, AppError> {
    let zone = |path: &str| {
        if path == "zones/north-west.geojson" {
            Ok(ZONE.to_string())
        } else {
            Err(format!("the demo bundles no {path}"))
        }
    };
    let (agreement, _) =
        crate::monitoring::add_agreement(store, AGREEMENT, &zone, BY, rule).await?;
    crate::monitoring::import_sites(store, SITES, RegisterFormat::Csv, BY, rule).await?;

    // The samples, written out and ingested as a user would ingest a folder.
    let dir = tempfile::tempdir()?;
    for (path, bytes) in SAMPLES {
        let target = dir.path().join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&target, bytes)?;
    }
    let sources = Sources {
        paths: vec![dir.path().to_path_buf()],
        ..Sources::default()
    };
    let config = IngestConfig {
        queue_extraction: true,
        ..config.clone()
    };
    let read = crate::ingest::read(store, &config, &sources, &Quiet).await?;
    let extracted =
        crate::ingest::extract_waiting(store, engine, rule, &read.outcomes, &Quiet).await?;
    let logins = create_accounts(store).await?;
    seed_workspace(store).await?;
    Ok(Demo {
        stored: read.stored(),
        failed: read.failed(),
        events: extracted.events,
        incidents: extracted.incidents,
        agreement: agreement.agreement.label(),
        verdicts: extracted.monitor.verdicts.into_iter().collect(),
        alerts: extracted.monitor.new_alerts.len(),
        logins,
    })
}

/// The demo's accounts, one a role, each with a fresh password.
async fn create_accounts(store: &dyn Store) -> Result<Vec<Login>, AppError> {
    let mut logins = Vec::new();
    for (name, role, party) in [
        ("admin", Role::Admin, None),
        ("cochair", Role::CoChair, None),
        ("monitor", Role::Monitor, None),
        ("party-syria", Role::Party, Some("Military Forces of Syria")),
        ("viewer", Role::Viewer, None),
    ] {
        let password = crate::credentials::random_token()[..16].to_string();
        let hash = crate::credentials::hash_password(&password).map_err(AppError::Invalid)?;
        store
            .create_user(
                &NewUser {
                    username: name.into(),
                    password_hash: hash,
                    role,
                    party: party.map(str::to_string),
                },
                BY,
            )
            .await?;
        logins.push(Login {
            username: name.into(),
            role,
            party: party.map(str::to_string),
            password,
        });
    }
    Ok(logins)
}

/// Incidents told by two or more outlets are confirmed, so that the public view has content; the
/// largest gets a case file (a request for information, the party's submission, a message).
async fn seed_workspace(store: &dyn Store) -> Result<(), AppError> {
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

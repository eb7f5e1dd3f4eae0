//! What the record is held against: ceasefire agreements (every version kept) and the register of
//! protected sites. Adding either assesses again what it can change.

use truce_monitor::{Agreement, AlertRule, ProtectedSite};
pub use truce_pipeline::monitor::{MonitorSummary, describe_alert, post_alerts};
use truce_store::{NewAgreement, Store, StoredAlert};

use crate::AppError;

/// An agreement on record.
#[derive(Debug, Clone)]
pub struct AgreementOnRecord {
    /// Its row id.
    pub id: i64,
    /// Who added it.
    pub added_by: String,
    /// When (RFC 3339).
    pub added_at: String,
    /// The agreement.
    pub agreement: Agreement,
}

/// Adds an agreement (or a new version of one) from its TOML text, by `by`; `zone_file` reads a
/// zone file the text names (`geojson = "zones/x.geojson"`). Every incident is assessed again
/// (the agreement in force where and when each happened may have changed).
pub async fn add_agreement(
    store: &dyn Store,
    text: &str,
    zone_file: &(dyn Fn(&str) -> Result<String, String> + Sync),
    by: &str,
    rule: AlertRule,
) -> Result<(AgreementOnRecord, MonitorSummary), AppError> {
    let agreement = Agreement::from_toml(text, zone_file)
        .map_err(|e| AppError::Invalid(format!("not a valid agreement: {e}")))?;
    let definition = serde_json::to_string(&agreement)
        .map_err(|e| AppError::Invalid(format!("not a valid agreement: {e}")))?;
    let stored = store
        .add_agreement(
            &NewAgreement {
                name: agreement.name.clone(),
                version: i64::from(agreement.version),
                definition,
                source: text.to_string(),
            },
            by,
        )
        .await
        .map_err(|e| match e {
            truce_store::StoreError::Conflict(m) => AppError::Invalid(m),
            other => AppError::Store(other),
        })?;
    let monitor = truce_pipeline::monitor_incidents(store, None, rule).await?;
    Ok((
        AgreementOnRecord {
            id: stored.id,
            added_by: stored.added_by,
            added_at: stored.added_at,
            agreement,
        },
        monitor,
    ))
}

/// Every agreement on record, every version, oldest first.
pub async fn agreements(store: &dyn Store) -> Result<Vec<AgreementOnRecord>, AppError> {
    store
        .agreements()
        .await?
        .into_iter()
        .map(|a| {
            let agreement: Agreement = serde_json::from_str(&a.definition).map_err(|e| {
                AppError::Store(truce_store::StoreError::Corrupt(format!(
                    "agreement {}: {e}",
                    a.id
                )))
            })?;
            Ok(AgreementOnRecord {
                id: a.id,
                added_by: a.added_by,
                added_at: a.added_at,
                agreement,
            })
        })
        .collect()
}

/// How a register of protected sites is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegisterFormat {
    /// `name,type,lat,lon,operator,notified,acknowledged`.
    Csv,
    /// A FeatureCollection of points with the same properties.
    GeoJson,
}

impl RegisterFormat {
    /// The format a text is written in: GeoJSON when it opens an object, CSV otherwise.
    pub fn of(text: &str) -> Self {
        if text.trim_start().starts_with('{') {
            Self::GeoJson
        } else {
            Self::Csv
        }
    }
}

/// What an import of sites did.
#[derive(Debug, Clone)]
pub struct SitesImported {
    /// Sites new to the register.
    pub added: u64,
    /// Sites of the same name and place, updated.
    pub updated: u64,
    /// The incidents near them, assessed again.
    pub monitor: MonitorSummary,
}

/// Imports a register of protected sites (sites of the same name and place are updated), by
/// `by`; only the incidents near the imported sites are checked again (no other can raise an
/// alert about them).
pub async fn import_sites(
    store: &dyn Store,
    text: &str,
    format: RegisterFormat,
    by: &str,
    rule: AlertRule,
) -> Result<SitesImported, AppError> {
    let sites: Vec<ProtectedSite> = match format {
        RegisterFormat::GeoJson => truce_monitor::site::from_geojson(text),
        RegisterFormat::Csv => truce_monitor::site::from_csv(text),
    }
    .map_err(|e| AppError::Invalid(format!("not a valid register: {e}")))?;
    let (added, updated) = store.add_sites(&sites, by).await?;
    let places: Vec<(f64, f64)> = sites.iter().map(|s| (s.lat, s.lon)).collect();
    let boxes = truce_pipeline::monitor::boxes_around(&places, rule);
    let near = store.incidents_within(&boxes).await?;
    let monitor = truce_pipeline::monitor_incidents(store, Some(&near), rule).await?;
    Ok(SitesImported {
        added: added as u64,
        updated: updated as u64,
        monitor,
    })
}

/// The register, with each site's row id.
pub async fn sites(store: &dyn Store) -> Result<Vec<(i64, ProtectedSite)>, AppError> {
    Ok(store
        .sites()
        .await?
        .into_iter()
        .map(|s| (s.id, s.site))
        .collect())
}

/// The sites of the register inside a view of the map, with each site's row id, by the index on
/// their places (a view across the antimeridian is read as its two halves).
pub async fn sites_in(
    store: &dyn Store,
    view: truce_geo::View,
) -> Result<Vec<(i64, ProtectedSite)>, AppError> {
    let (s, n) = (view.south, view.north);
    let boxes = if view.west <= view.east {
        vec![[s, n, view.west, view.east]]
    } else {
        vec![[s, n, view.west, 180.0], [s, n, -180.0, view.east]]
    };
    Ok(store
        .sites_within(&boxes)
        .await?
        .into_iter()
        .map(|s| (s.id, s.site))
        .collect())
}

/// The alerts the incidents raise now (those cleared since are left out), newest first.
pub async fn standing_alerts(
    store: &dyn Store,
    incidents: &[i64],
) -> Result<Vec<StoredAlert>, AppError> {
    Ok(truce_pipeline::monitor::standing(
        store.alerts_of(incidents).await?,
    ))
}

/// Assesses every incident again against the agreements, and checks each against the protected
/// sites near it (`truce assess`).
pub async fn assess_all(store: &dyn Store, rule: AlertRule) -> Result<MonitorSummary, AppError> {
    Ok(truce_pipeline::monitor_incidents(store, None, rule).await?)
}

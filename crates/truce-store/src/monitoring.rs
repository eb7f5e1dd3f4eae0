//! What the store keeps for ceasefire monitoring: agreements (every version), the assessment of
//! each incident, the register of protected sites, and the alerts raised. Verdicts, sites and
//! alerts are the model's types; an agreement's definition is kept as the JSON `truce-monitor`
//! wrote and never interpreted here.

use async_trait::async_trait;
use chrono::NaiveDate;
use truce_model::{Alert, ProtectedSite, SiteKind, Verdict};

use crate::StoreError;

/// An agreement to add: one version of it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAgreement {
    /// Its name.
    pub name: String,
    /// Its version.
    pub version: i64,
    /// The agreement with its zones resolved (JSON).
    pub definition: String,
    /// The TOML text it was read from.
    pub source: String,
}

/// An agreement as added.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct StoredAgreement {
    /// Row id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// Its version.
    pub version: i64,
    /// The agreement with its zones resolved (JSON).
    pub definition: String,
    /// The TOML text it was read from.
    pub source: String,
    /// Who added it.
    pub added_by: String,
    /// When (RFC 3339).
    pub added_at: String,
}

/// One incident's assessment.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredAssessment {
    /// The incident.
    pub incident_id: i64,
    /// The verdict.
    pub verdict: Verdict,
    /// The agreement used.
    pub agreement: Option<String>,
    /// Its version.
    pub agreement_version: Option<i64>,
    /// Why, one sentence each.
    pub reasons: Vec<String>,
}

/// A protected site of the register.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredSite {
    /// Row id.
    pub id: i64,
    /// The site.
    pub site: ProtectedSite,
}

/// An alert an incident raises, to record.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAlert {
    /// The incident.
    pub incident_id: i64,
    /// The site's row id (none when only the kind of target raised it).
    pub site_id: Option<i64>,
    /// The alert.
    pub alert: Alert,
}

/// An alert as recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredAlert {
    /// Row id.
    pub id: i64,
    /// The incident.
    pub incident_id: i64,
    /// The site's row id (none when only the kind of target raised it).
    pub site_id: Option<i64>,
    /// The alert.
    pub alert: Alert,
    /// When it was raised (RFC 3339).
    pub raised_at: String,
    /// When the incident stopped raising it (moved away from the site, corrected), if it did.
    pub cleared_at: Option<String>,
}

impl StoredAlert {
    /// The kind of site concerned.
    pub fn kind(&self) -> SiteKind {
        self.alert.kind
    }

    /// How the record names it ("strike on a known medical facility").
    pub fn label(&self) -> &str {
        &self.alert.label
    }
}

/// What monitoring reads of an incident: its columns and its assessment, for counts and the
/// health index.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentFact {
    /// The incident.
    pub incident_id: i64,
    /// Its day.
    pub date: NaiveDate,
    /// Country code.
    pub country: Option<String>,
    /// Province.
    pub admin1: Option<String>,
    /// District.
    pub admin2: Option<String>,
    /// ACLED type.
    pub event_type: String,
    /// Alleged perpetrators.
    pub perpetrators: Vec<String>,
    /// What was hit.
    pub target: Option<String>,
    /// Deaths, low figure.
    pub fatalities: u32,
    /// Its verdict, when assessed.
    pub verdict: Option<Verdict>,
}

/// Likely violations and their deaths on one day in one area (province, else country).
#[derive(Debug, Clone, PartialEq)]
pub struct ViolationTally {
    /// The day.
    pub date: NaiveDate,
    /// The province (admin1), else the country code, else `unknown`.
    pub area: String,
    /// The country code.
    pub country: Option<String>,
    /// Incidents assessed `likely violation`.
    pub violations: u32,
    /// Deaths in them (low figures).
    pub fatalities: u32,
}

/// The monitoring part of the store.
#[async_trait]
pub trait Monitoring: Send + Sync {
    /// Adds a version of an agreement (`Conflict` when that name and version exist); audited.
    /// Returns it as recorded.
    async fn add_agreement(
        &self,
        agreement: &NewAgreement,
        actor: &str,
    ) -> Result<StoredAgreement, StoreError>;
    /// Every agreement version, oldest first.
    async fn agreements(&self) -> Result<Vec<StoredAgreement>, StoreError>;
    /// Writes assessments, replacing earlier ones of the same incidents.
    async fn save_assessments(&self, assessments: &[StoredAssessment]) -> Result<(), StoreError>;
    /// The assessments of these incidents (all with `None`).
    async fn assessments(&self, ids: Option<&[i64]>) -> Result<Vec<StoredAssessment>, StoreError>;
    /// Adds sites to the register, updating those of the same name and place; audited. Returns
    /// (added, updated).
    async fn add_sites(
        &self,
        sites: &[ProtectedSite],
        actor: &str,
    ) -> Result<(usize, usize), StoreError>;
    /// The register.
    async fn sites(&self) -> Result<Vec<StoredSite>, StoreError>;
    /// The sites in any of these boxes (`[south, north, west, east]`, degrees), in id order.
    /// Served by an index on the sites' places, never by reading the register.
    async fn sites_within(&self, boxes: &[[f64; 4]]) -> Result<Vec<StoredSite>, StoreError>;
    /// The ids of the incidents placed in any of these boxes, in id order, by the index on their
    /// places.
    async fn incidents_within(&self, boxes: &[[f64; 4]]) -> Result<Vec<i64>, StoreError>;
    /// Records the alerts `incidents` raise now (every alert of each of them): returns those not
    /// standing before (never raised, or cleared and raised again); an alert raised before that
    /// one of `incidents` no longer raises is cleared (kept in the log, with the time). The same
    /// incident, site and kind are one alert.
    async fn raise_alerts(
        &self,
        incidents: &[i64],
        alerts: &[NewAlert],
    ) -> Result<Vec<StoredAlert>, StoreError>;
    /// Alerts, newest first, of incidents on or after `since` (all with `None`).
    async fn alerts(
        &self,
        since: Option<NaiveDate>,
        limit: u32,
    ) -> Result<Vec<StoredAlert>, StoreError>;
    /// The alerts of these incidents.
    async fn alerts_of(&self, ids: &[i64]) -> Result<Vec<StoredAlert>, StoreError>;
    /// Likely violations a day and area from `since` to `until` (inclusive), summed by the
    /// database.
    async fn violation_tallies(
        &self,
        since: NaiveDate,
        until: NaiveDate,
    ) -> Result<Vec<ViolationTally>, StoreError>;
    /// Dated incidents from `since` to `until` (inclusive) with their verdicts.
    async fn incident_facts(
        &self,
        since: NaiveDate,
        until: NaiveDate,
    ) -> Result<Vec<IncidentFact>, StoreError>;
}

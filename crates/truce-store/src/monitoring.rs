//! What the store keeps for ceasefire monitoring: agreements (every version), the assessment of
//! each incident, the register of protected sites, and the alerts raised. The store holds them
//! as the monitoring crate describes them (JSON where they are that crate's values) and never
//! interprets them.

use async_trait::async_trait;

use crate::StoreError;

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
    /// `likely violation`, `outside scope` or `unclear`.
    pub verdict: String,
    /// The agreement used.
    pub agreement: Option<String>,
    /// Its version.
    pub agreement_version: Option<i64>,
    /// Why, one sentence each.
    pub reasons: Vec<String>,
}

/// A protected site.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct StoredSite {
    /// Row id (0 when not stored yet).
    pub id: i64,
    /// Its name.
    pub name: String,
    /// `hospital`, `school`, `water station`, `aid warehouse`.
    pub kind: String,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Who runs it.
    pub operator: Option<String>,
    /// Each party's notification and acknowledgement (JSON array).
    pub notifications: String,
}

/// An alert.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct StoredAlert {
    /// Row id (0 when not stored yet).
    pub id: i64,
    /// The incident.
    pub incident_id: i64,
    /// The site (none when only the kind of target raised it).
    pub site_id: Option<i64>,
    /// Kind of site.
    pub kind: String,
    /// How the record names it ("strike on a known medical facility").
    pub label: String,
    /// The whole alert (JSON).
    pub record: String,
    /// When it was raised (RFC 3339).
    pub raised_at: String,
    /// When the incident stopped raising it (moved away from the site, corrected), if it did.
    pub cleared_at: Option<String>,
}

/// What monitoring reads of an incident: its columns and its assessment, for counts and the
/// health index.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentFact {
    /// The incident.
    pub incident_id: i64,
    /// Its day.
    pub date: String,
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
    pub verdict: Option<String>,
}

/// Likely violations and their deaths on one day in one area (province, else country).
#[derive(Debug, Clone, PartialEq)]
pub struct ViolationTally {
    /// The day.
    pub date: String,
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
    async fn add_agreement(
        &self,
        agreement: &StoredAgreement,
        actor: &str,
    ) -> Result<i64, StoreError>;
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
        sites: &[StoredSite],
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
        alerts: &[StoredAlert],
    ) -> Result<Vec<StoredAlert>, StoreError>;
    /// Alerts, newest first, of incidents on or after `since` (all with `None`).
    async fn alerts(&self, since: Option<&str>, limit: u32)
    -> Result<Vec<StoredAlert>, StoreError>;
    /// The alerts of these incidents.
    async fn alerts_of(&self, ids: &[i64]) -> Result<Vec<StoredAlert>, StoreError>;
    /// Likely violations a day and area from `since` to `until` (inclusive), summed by the
    /// database.
    async fn violation_tallies(
        &self,
        since: &str,
        until: &str,
    ) -> Result<Vec<ViolationTally>, StoreError>;
    /// Dated incidents from `since` to `until` (inclusive) with their verdicts.
    async fn incident_facts(
        &self,
        since: &str,
        until: &str,
    ) -> Result<Vec<IncidentFact>, StoreError>;
}

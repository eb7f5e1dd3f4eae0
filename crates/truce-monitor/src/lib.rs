//! Watching a ceasefire: what turns a list of incidents into monitoring.
//!
//! - [`agreement`]: a ceasefire as its parties signed it (dates, parties, excluded groups,
//!   covered [`zone`]s, prohibited acts), read from TOML.
//! - [`assessment`]: every incident held against the agreement in force where and when it
//!   happened: a likely violation, outside scope, or unclear, with the reasons.
//! - [`site`] and [`alert`]: the register of protected sites and the alerts an incident near one
//!   (or aimed at one of its kind) raises.
//! - [`counts`]: daily counts per area, type, alleged perpetrator and target against the day
//!   before and the same weekday a week before.
//! - [`health`]: the ceasefire health index, one documented number per day and area.
//!
//! Everything here is a pure function over values: no files, no database, no clock.

pub mod agreement;
pub mod alert;
pub mod assessment;
pub mod counts;
pub mod health;
pub mod names;
pub mod site;
pub mod zone;

pub use agreement::{Agreement, AgreementError};
pub use alert::{Alert, AlertRule, alerts_for};
pub use assessment::{Assessment, Verdict, assess};
pub use counts::{CountRow, DayCounts, IncidentFacts, daily_counts};
pub use health::{Baseline, DayTally, HEALTH_DEFINITION, HealthPoint, health_index};
pub use site::{Notification, ProtectedSite, SiteError, SiteKind};
pub use zone::Zone;

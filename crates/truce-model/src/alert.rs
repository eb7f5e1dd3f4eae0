//! An alert: an incident near a protected site, or aimed at a site of a protected kind, as
//! `truce-monitor` raises it and the store keeps it.

use serde::{Deserialize, Serialize};

use crate::SiteKind;

/// One alert.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    /// The site's index in the register given (stores keep their own ids).
    pub site: Option<usize>,
    /// The site's name, or the kind of target when no registered site is near.
    pub site_name: Option<String>,
    /// The kind of site concerned.
    pub kind: SiteKind,
    /// How far the incident's place is from the site (km), when known.
    pub distance_km: Option<f64>,
    /// How the record names it: "strike on a known medical facility" when the site had been
    /// notified to a party before the incident, else "incident near a protected hospital" or
    /// "hospital reported hit".
    pub label: String,
    /// Why, in words.
    pub reason: String,
    /// The parties the site had been notified to before the incident.
    pub notified_to: Vec<String>,
    /// Whether an alleged perpetrator is among them.
    pub perpetrator_was_notified: bool,
}

//! Protected sites: hospitals, schools, water stations and aid warehouses whose coordinates
//! were notified to the parties (humanitarian deconfliction). The register's files are read by
//! `truce-monitor`; the store keeps these values.
//!
//! ```
//! use truce_model::{SiteKind, TargetKind};
//!
//! assert_eq!(SiteKind::parse("Water_Station"), Some(SiteKind::WaterStation));
//! assert_eq!(SiteKind::Hospital.target(), TargetKind::Medical);
//! assert_eq!(SiteKind::of_target(TargetKind::Market), None);
//! ```

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::TargetKind;

/// What kind of protected site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SiteKind {
    /// A hospital, clinic or health centre.
    Hospital,
    /// A school.
    School,
    /// A water station or pumping plant.
    WaterStation,
    /// An aid warehouse or distribution point.
    AidWarehouse,
}

impl SiteKind {
    /// All kinds.
    pub const ALL: [SiteKind; 4] = [
        SiteKind::Hospital,
        SiteKind::School,
        SiteKind::WaterStation,
        SiteKind::AidWarehouse,
    ];

    /// The word used in files and pages (`hospital`, `school`, `water station`, `aid warehouse`).
    pub fn as_str(self) -> &'static str {
        match self {
            SiteKind::Hospital => "hospital",
            SiteKind::School => "school",
            SiteKind::WaterStation => "water station",
            SiteKind::AidWarehouse => "aid warehouse",
        }
    }

    /// Reads a kind, forgiving case, `_` and a few synonyms.
    pub fn parse(s: &str) -> Option<SiteKind> {
        let s = s.trim().to_lowercase().replace(['_', '-'], " ");
        Some(match s.as_str() {
            "hospital" | "clinic" | "health centre" | "health center" | "medical" => {
                SiteKind::Hospital
            }
            "school" | "education" => SiteKind::School,
            "water station" | "water" | "pumping station" => SiteKind::WaterStation,
            "aid warehouse" | "warehouse" | "aid" => SiteKind::AidWarehouse,
            _ => return None,
        })
    }

    /// The kind of target a site of this kind is, in the extraction record (`medical` for a
    /// hospital).
    pub const fn target(self) -> TargetKind {
        match self {
            SiteKind::Hospital => TargetKind::Medical,
            SiteKind::School => TargetKind::Education,
            SiteKind::WaterStation => TargetKind::Infrastructure,
            SiteKind::AidWarehouse => TargetKind::Aid,
        }
    }

    /// The kind of site a target of this kind is (`None` for targets no register holds).
    pub fn of_target(target: TargetKind) -> Option<SiteKind> {
        Self::ALL.into_iter().find(|k| k.target() == target)
    }

    /// How a strike on a notified site of this kind is named on the record.
    pub fn known_label(self) -> &'static str {
        match self {
            SiteKind::Hospital => "strike on a known medical facility",
            SiteKind::School => "strike on a known school",
            SiteKind::WaterStation => "strike on a known water station",
            SiteKind::AidWarehouse => "strike on a known aid warehouse",
        }
    }
}

/// One party's notification of a site: when it was told, and when it acknowledged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notification {
    /// The party.
    pub party: String,
    /// When the site's coordinates were notified to it.
    pub notified: Option<NaiveDate>,
    /// When it acknowledged them.
    pub acknowledged: Option<NaiveDate>,
}

/// A protected site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProtectedSite {
    /// Its name.
    pub name: String,
    /// Its kind.
    pub kind: SiteKind,
    /// Latitude (sensitive: withheld from the public view).
    pub lat: f64,
    /// Longitude (sensitive).
    pub lon: f64,
    /// Who runs it.
    pub operator: Option<String>,
    /// Each party's notification.
    pub notifications: Vec<Notification>,
}

impl ProtectedSite {
    /// Whether it had been notified to any party before a day.
    pub fn notified_before(&self, day: NaiveDate) -> bool {
        self.notifications
            .iter()
            .any(|n| n.notified.is_some_and(|d| d <= day))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_map_to_targets() {
        for k in SiteKind::ALL {
            assert_eq!(SiteKind::parse(k.as_str()), Some(k));
            assert_eq!(SiteKind::of_target(k.target()), Some(k));
        }
        assert_eq!(SiteKind::parse("castle"), None);
    }

    #[test]
    fn a_site_is_notified_from_the_day_it_was_told() {
        let site = ProtectedSite {
            name: "Ariha Hospital".into(),
            kind: SiteKind::Hospital,
            lat: 35.81,
            lon: 36.61,
            operator: None,
            notifications: vec![Notification {
                party: "Military Forces of Syria".into(),
                notified: NaiveDate::from_ymd_opt(2026, 3, 1),
                acknowledged: None,
            }],
        };
        assert!(site.notified_before(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()));
        assert!(!site.notified_before(NaiveDate::from_ymd_opt(2026, 2, 28).unwrap()));
    }
}

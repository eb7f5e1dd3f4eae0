//! Alerts: an incident near a protected site, or aimed at a site of a protected kind.

use truce_model::{Incident, TargetKind};

use crate::names::same_actor;
use crate::site::{ProtectedSite, SiteKind};

/// When incidents raise alerts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AlertRule {
    /// An incident this close to a site (km) raises an alert for it.
    pub radius_km: f64,
}

impl Default for AlertRule {
    fn default() -> Self {
        Self { radius_km: 1.0 }
    }
}

pub use truce_model::Alert;

/// Great-circle distance in km (truce-geo's, the one place truce measures it).
pub use truce_geo::distance::distance_km;

/// The alerts an incident raises: one per registered site within the radius (when its place is
/// known to the town, `geo_precision` 1 or 2), and, when it hit a target of a protected kind and
/// no site of that kind is near, one for the kind alone.
pub fn alerts_for(incident: &Incident, sites: &[ProtectedSite], rule: AlertRule) -> Vec<Alert> {
    let day = incident.date;
    let point = incident
        .location
        .as_ref()
        .filter(|l| l.geo_precision.is_none_or(|p| p <= 2))
        .and_then(|l| Some((l.lat?, l.lon?)));
    let target = incident.target.as_deref().and_then(TargetKind::parse);
    let mut alerts = Vec::new();
    if let Some(point) = point {
        for (i, s) in sites.iter().enumerate() {
            let d = distance_km(point, (s.lat, s.lon));
            if d > rule.radius_km {
                continue;
            }
            let notified_to: Vec<String> = s
                .notifications
                .iter()
                .filter(|n| match (n.notified, day) {
                    (Some(n), Some(day)) => n <= day,
                    _ => false,
                })
                .map(|n| n.party.clone())
                .collect();
            let perpetrator_was_notified = incident
                .perpetrators
                .iter()
                .any(|p| notified_to.iter().any(|n| same_actor(&p.name, n)));
            let hit_its_kind = target == Some(s.kind.target());
            let label = if !notified_to.is_empty() && (hit_its_kind || target.is_none()) {
                s.kind.known_label().to_string()
            } else {
                format!("incident near a protected {}", s.kind.as_str())
            };
            let mut reason = format!(
                "{:.1} km from {} ({}), within the {} km radius",
                d,
                s.name,
                s.kind.as_str(),
                rule.radius_km
            );
            if hit_its_kind {
                reason.push_str(&format!("; the reports say a {} was hit", s.kind.as_str()));
            }
            if !notified_to.is_empty() {
                reason.push_str(&format!("; notified to {}", notified_to.join(", ")));
            }
            alerts.push(Alert {
                site: Some(i),
                site_name: Some(s.name.clone()),
                kind: s.kind,
                distance_km: Some((d * 1000.0).round() / 1000.0),
                label,
                reason,
                notified_to,
                perpetrator_was_notified,
            });
        }
    }
    if let Some(t) = target
        && let Some(kind) = SiteKind::of_target(t)
        && !alerts.iter().any(|a| a.kind == kind)
    {
        alerts.push(Alert {
            site: None,
            site_name: None,
            kind,
            distance_km: None,
            label: format!("{} reported hit", kind.as_str()),
            reason: format!(
                "the reports say a {} was hit; no registered {} lies within {} km",
                kind.as_str(),
                kind.as_str(),
                rule.radius_km
            ),
            notified_to: Vec::new(),
            perpetrator_was_notified: false,
        });
    }
    alerts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::Notification;
    use chrono::NaiveDate;
    use truce_model::{Attribution, Location};

    fn hospital() -> ProtectedSite {
        ProtectedSite {
            name: "Ariha Hospital".into(),
            kind: SiteKind::Hospital,
            lat: 35.8126,
            lon: 36.6086,
            operator: None,
            notifications: vec![Notification {
                party: "Military Forces of Syria".into(),
                notified: NaiveDate::from_ymd_opt(2026, 3, 1),
                acknowledged: None,
            }],
        }
    }

    fn strike(date: &str, at: (f64, f64), precision: u8, target: Option<&str>) -> Incident {
        Incident {
            event_type: "Explosions/Remote violence".into(),
            sub_event_type: Some("Air/drone strike".into()),
            date: date.parse().ok(),
            date_end: None,
            time_precision: 1,
            location: Some(Location {
                name: "Ariha".into(),
                geonameid: None,
                lat: Some(at.0),
                lon: Some(at.1),
                country: Some("SY".into()),
                admin1: None,
                admin2: None,
                geo_precision: Some(precision),
            }),
            fatalities: None,
            fatalities_from: None,
            injured: None,
            perpetrators: vec![Attribution {
                name: "Military Forces of Syria (2000-)".into(),
                sources: 2,
                inter: None,
                named_by: Vec::new(),
            }],
            target: target.map(str::to_string),
            civilian_targeting: None,
            first_reported: None,
            last_reported: None,
            sources: Vec::new(),
            claims: Vec::new(),
        }
    }

    #[test]
    #[allow(clippy::type_complexity, reason = "the rows of a table test")]
    fn the_alert_table() {
        let sites = [hospital()];
        let rule = AlertRule::default();
        let near = (35.8150, 36.6100);
        let far = (35.93, 36.63);
        let rows: [(&str, (f64, f64), u8, Option<&str>, &[&str]); 7] = [
            (
                "2026-03-10",
                near,
                1,
                Some("medical"),
                &["strike on a known medical facility"],
            ),
            (
                "2026-03-10",
                near,
                1,
                None,
                &["strike on a known medical facility"],
            ),
            (
                "2026-02-10",
                near,
                1,
                Some("medical"),
                &["incident near a protected hospital"],
            ),
            (
                "2026-03-10",
                near,
                1,
                Some("market"),
                &["incident near a protected hospital"],
            ),
            (
                "2026-03-10",
                far,
                1,
                Some("medical"),
                &["hospital reported hit"],
            ),
            ("2026-03-10", far, 1, None, &[]),
            (
                "2026-03-10",
                near,
                3,
                Some("education"),
                &["school reported hit"],
            ),
        ];
        for (date, at, precision, target, labels) in rows {
            let got: Vec<String> = alerts_for(&strike(date, at, precision, target), &sites, rule)
                .into_iter()
                .map(|a| a.label)
                .collect();
            assert_eq!(got, *labels, "{date} {at:?} {precision} {target:?}");
        }
        let a = &alerts_for(&strike("2026-03-10", near, 1, None), &sites, rule)[0];
        assert!(a.perpetrator_was_notified);
        assert!(a.distance_km.unwrap() < 0.5);
        assert!(a.reason.contains("notified to Military Forces of Syria"));
    }

    #[test]
    fn the_radius_is_configurable() {
        let far = strike("2026-03-10", (35.83, 36.61), 1, None);
        assert!(alerts_for(&far, &[hospital()], AlertRule { radius_km: 1.0 }).is_empty());
        assert_eq!(
            alerts_for(&far, &[hospital()], AlertRule { radius_km: 5.0 }).len(),
            1
        );
    }

    #[test]
    fn distances_are_great_circle_km() {
        let d = distance_km((35.0, 36.0), (36.0, 36.0));
        assert!((d - 111.2).abs() < 0.2, "{d}");
    }
}

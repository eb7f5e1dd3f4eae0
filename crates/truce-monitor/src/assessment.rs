//! Holding an incident against the agreement in force where and when it happened.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use truce_model::Incident;

use crate::agreement::Agreement;
use crate::names::same_actor;

pub use truce_model::Verdict;

/// One incident's assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    /// The verdict.
    pub verdict: Verdict,
    /// Why, in order: each check that decided or informed it.
    pub reasons: Vec<String>,
    /// The agreement used (`None` when none was in force).
    pub agreement: Option<String>,
    /// Its version.
    pub agreement_version: Option<u32>,
}

fn outcome(verdict: Verdict, reasons: Vec<String>, a: Option<&Agreement>) -> Assessment {
    Assessment {
        verdict,
        reasons,
        agreement: a.map(|a| a.name.clone()),
        agreement_version: a.map(|a| a.version),
    }
}

/// The agreement in force for an incident: among those in force on its date (and covering its
/// country, when they name one), the one that started last, then its highest version.
pub fn in_force<'a>(
    incident: &Incident,
    day: NaiveDate,
    agreements: &'a [Agreement],
) -> Option<&'a Agreement> {
    let country = incident
        .location
        .as_ref()
        .and_then(|l| l.country.as_deref());
    agreements
        .iter()
        .filter(|a| a.in_force_on(day))
        .filter(|a| match (&a.country, country) {
            (Some(c), Some(k)) => c.eq_ignore_ascii_case(k),
            _ => true,
        })
        .max_by_key(|a| (a.start, a.version))
}

/// Assesses an incident against the agreements on record.
///
/// In order: its date must fall in an agreement's term; its act must be one the agreement
/// prohibits; its place must lie in a covered zone (a place known only to the province or
/// country cannot be placed in a zone); and who is said to be responsible decides: a covered
/// party alone makes it a likely violation, excluded groups alone put it outside scope, no one
/// named, someone not bound by it, or a party and an excluded group both blamed leave it
/// unclear.
/// The claims a reason relies on: " (alleged by John Kerry (Secretary of State); denied by the
/// Syrian Defence Ministry)", or nothing when no claimant in the sources names the party.
fn claimed(incident: &Incident, party: &str) -> String {
    let Some(c) = incident.claims.iter().find(|c| c.party == party) else {
        return String::new();
    };
    let list = |side: &[truce_model::ClaimSource]| {
        let mut who: Vec<String> = side.iter().map(|c| c.who()).collect();
        who.dedup();
        who.join(", ")
    };
    let mut parts = Vec::new();
    if !c.accused_by.is_empty() {
        parts.push(format!("alleged by {}", list(&c.accused_by)));
    }
    if !c.confirmed_by.is_empty() {
        parts.push(format!("confirmed by {}", list(&c.confirmed_by)));
    }
    if !c.denied_by.is_empty() {
        parts.push(format!("denied by {}", list(&c.denied_by)));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join("; "))
    }
}

/// Holds an incident against the agreements on record.
pub fn assess(incident: &Incident, agreements: &[Agreement]) -> Assessment {
    let Some(day) = incident.date else {
        return outcome(
            Verdict::Unclear,
            vec!["the reports give no date, so no agreement can be said to apply".into()],
            None,
        );
    };
    let Some(a) = in_force(incident, day, agreements) else {
        return outcome(
            Verdict::OutsideScope,
            vec![format!("no agreement on record was in force on {day}")],
            None,
        );
    };
    let mut reasons = vec![format!("{} was in force on {day}", a.label())];

    let act = [Some(&incident.event_type), incident.sub_event_type.as_ref()]
        .into_iter()
        .flatten()
        .find(|t| a.prohibited.iter().any(|p| p.eq_ignore_ascii_case(t)));
    match act {
        Some(t) => reasons.push(format!("{t} is a prohibited act")),
        None => {
            reasons.push(format!(
                "{} is not an act the agreement prohibits",
                incident.event_type
            ));
            return outcome(Verdict::OutsideScope, reasons, Some(a));
        }
    }

    let location = incident.location.as_ref();
    if let (Some(c), Some(k)) = (&a.country, location.and_then(|l| l.country.as_deref()))
        && !c.eq_ignore_ascii_case(k)
    {
        // Unreachable through in_force, kept for callers that pick the agreement themselves.
        reasons.push(format!("it happened in {k}, outside {c}"));
        return outcome(Verdict::OutsideScope, reasons, Some(a));
    }
    if !a.zones.is_empty() {
        let point = location
            .filter(|l| l.geo_precision.is_none_or(|p| p <= 2))
            .and_then(|l| Some((l.lat?, l.lon?)));
        match point {
            None => {
                reasons.push(
                    "its place is not known precisely enough to tell whether it lies in a covered zone"
                        .into(),
                );
                return outcome(Verdict::Unclear, reasons, Some(a));
            }
            Some((lat, lon)) => match a.zones.iter().find(|z| z.contains(lat, lon)) {
                Some(z) => reasons.push(format!("it lies in the covered zone {:?}", z.name)),
                None => {
                    reasons.push(format!(
                        "{} lies outside every covered zone",
                        location.map_or("its place", |l| l.name.as_str())
                    ));
                    return outcome(Verdict::OutsideScope, reasons, Some(a));
                }
            },
        }
    } else {
        reasons.push("the agreement covers the whole country".into());
    }

    let blamed: Vec<&str> = incident
        .perpetrators
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    if blamed.is_empty() {
        reasons.push("no one is said to be responsible".into());
        return outcome(Verdict::Unclear, reasons, Some(a));
    }
    let parties: Vec<&str> = blamed
        .iter()
        .copied()
        .filter(|b| a.parties.iter().any(|p| same_actor(b, p)))
        .collect();
    let excluded: Vec<&str> = blamed
        .iter()
        .copied()
        .filter(|b| a.excluded.iter().any(|x| same_actor(b, x)))
        .collect();
    let others: Vec<&str> = blamed
        .iter()
        .copied()
        .filter(|b| !parties.contains(b) && !excluded.contains(b))
        .collect();
    for p in &parties {
        reasons.push(format!(
            "{p} is said to be responsible{} and is a party",
            claimed(incident, p)
        ));
    }
    for x in &excluded {
        reasons.push(format!(
            "{x} is said to be responsible{} and is excluded from the agreement",
            claimed(incident, x)
        ));
    }
    for o in &others {
        reasons.push(format!(
            "{o} is said to be responsible{} and is not bound by the agreement",
            claimed(incident, o)
        ));
    }
    let verdict = match (parties.is_empty(), excluded.is_empty(), others.is_empty()) {
        (false, true, _) => Verdict::LikelyViolation,
        (true, false, true) => Verdict::OutsideScope,
        (false, false, _) => {
            reasons.push("reports blame both a party and an excluded group".into());
            Verdict::Unclear
        }
        (true, _, false) => Verdict::Unclear,
        (true, true, true) => Verdict::Unclear,
    };
    outcome(verdict, reasons, Some(a))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zone::Zone;
    use truce_model::{Attribution, Location};

    fn agreement(zones: bool) -> Agreement {
        Agreement {
            name: "Test truce".into(),
            version: 3,
            start: NaiveDate::from_ymd_opt(2026, 3, 5).unwrap(),
            end: Some(NaiveDate::from_ymd_opt(2026, 6, 5).unwrap()),
            country: Some("SY".into()),
            parties: vec![
                "Military Forces of Syria".into(),
                "Syrian National Army".into(),
            ],
            excluded: vec!["Islamic State".into()],
            prohibited: crate::agreement::DEFAULT_PROHIBITED
                .iter()
                .map(|s| s.to_string())
                .collect(),
            zones: if zones {
                vec![Zone {
                    name: "north-west".into(),
                    polygons: vec![vec![vec![
                        [36.0, 35.5],
                        [37.5, 35.5],
                        [37.5, 36.8],
                        [36.0, 36.8],
                    ]]],
                }]
            } else {
                Vec::new()
            },
        }
    }

    fn incident(
        date: Option<&str>,
        kind: &str,
        place: Option<(f64, f64, u8)>,
        blamed: &[&str],
    ) -> Incident {
        Incident {
            event_type: kind.into(),
            sub_event_type: None,
            date: date.and_then(|d| d.parse().ok()),
            date_end: None,
            time_precision: 1,
            location: place.map(|(lat, lon, precision)| Location {
                name: "Ariha".into(),
                geonameid: None,
                lat: Some(lat),
                lon: Some(lon),
                country: Some("SY".into()),
                admin1: Some("Idlib".into()),
                admin2: None,
                geo_precision: Some(precision),
            }),
            fatalities: None,
            fatalities_from: None,
            injured: None,
            perpetrators: blamed
                .iter()
                .map(|b| Attribution {
                    name: b.to_string(),
                    sources: 1,
                    inter: None,
                    named_by: Vec::new(),
                })
                .collect(),
            target: None,
            civilian_targeting: None,
            first_reported: None,
            last_reported: None,
            sources: Vec::new(),
            claims: Vec::new(),
        }
    }

    #[test]
    #[allow(clippy::type_complexity, reason = "the rows of a table test")]
    fn the_verdict_table() {
        use Verdict::*;
        const STRIKE: &str = "Explosions/Remote violence";
        let inside = Some((35.8, 36.6, 1));
        let outside = Some((33.5, 36.3, 1));
        let vague = Some((35.9, 36.6, 3));
        let syria = "Military Forces of Syria (2000-)";
        let rows: Vec<(
            Option<&str>,
            &str,
            Option<(f64, f64, u8)>,
            Vec<&str>,
            bool,
            Verdict,
            &str,
        )> = vec![
            (
                Some("2026-04-01"),
                STRIKE,
                inside,
                vec![syria],
                true,
                LikelyViolation,
                "is a party",
            ),
            (
                Some("2026-04-01"),
                STRIKE,
                inside,
                vec![syria],
                false,
                LikelyViolation,
                "whole country",
            ),
            (
                Some("2026-04-01"),
                STRIKE,
                inside,
                vec!["Islamic State"],
                true,
                OutsideScope,
                "excluded",
            ),
            (
                Some("2026-04-01"),
                STRIKE,
                outside,
                vec![syria],
                true,
                OutsideScope,
                "outside every covered zone",
            ),
            (
                Some("2026-04-01"),
                STRIKE,
                vague,
                vec![syria],
                true,
                Unclear,
                "not known precisely",
            ),
            (
                Some("2026-04-01"),
                STRIKE,
                None,
                vec![syria],
                true,
                Unclear,
                "not known precisely",
            ),
            (
                Some("2026-04-01"),
                STRIKE,
                None,
                vec![syria],
                false,
                LikelyViolation,
                "whole country",
            ),
            (
                Some("2026-03-01"),
                STRIKE,
                inside,
                vec![syria],
                true,
                OutsideScope,
                "no agreement on record",
            ),
            (
                Some("2026-07-01"),
                STRIKE,
                inside,
                vec![syria],
                true,
                OutsideScope,
                "no agreement on record",
            ),
            (None, STRIKE, inside, vec![syria], true, Unclear, "no date"),
            (
                Some("2026-04-01"),
                "Protests",
                inside,
                vec![syria],
                true,
                OutsideScope,
                "not an act the agreement prohibits",
            ),
            (
                Some("2026-04-01"),
                STRIKE,
                inside,
                vec![],
                true,
                Unclear,
                "no one is said",
            ),
            (
                Some("2026-04-01"),
                STRIKE,
                inside,
                vec!["Unidentified Armed Group"],
                true,
                Unclear,
                "not bound",
            ),
            (
                Some("2026-04-01"),
                STRIKE,
                inside,
                vec![syria, "Islamic State"],
                true,
                Unclear,
                "both a party and an excluded group",
            ),
            (
                Some("2026-04-01"),
                "Battles",
                inside,
                vec![syria, "Syrian National Army"],
                true,
                LikelyViolation,
                "is a party",
            ),
        ];
        for (date, kind, place, blamed, zones, verdict, why) in rows {
            let i = incident(date, kind, place, &blamed);
            let a = assess(&i, &[agreement(zones)]);
            assert_eq!(
                a.verdict, verdict,
                "{date:?} {kind} {place:?} {blamed:?}: {:?}",
                a.reasons
            );
            assert!(
                a.reasons.iter().any(|r| r.contains(why)),
                "{date:?} {kind} {blamed:?}: {:?} lacks {why:?}",
                a.reasons
            );
            if date == Some("2026-04-01") {
                assert_eq!(a.agreement_version, Some(3));
            }
        }
    }

    #[test]
    fn the_latest_agreement_in_force_is_used() {
        let mut old = agreement(false);
        old.version = 1;
        old.end = None;
        let mut newer = agreement(false);
        newer.start = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
        newer.version = 1;
        newer.name = "Renewed truce".into();
        let i = incident(
            Some("2026-04-02"),
            "Battles",
            None,
            &["Syrian National Army"],
        );
        assert_eq!(
            assess(&i, &[old.clone(), newer.clone()])
                .agreement
                .as_deref(),
            Some("Renewed truce")
        );
        let i = incident(
            Some("2026-03-20"),
            "Battles",
            None,
            &["Syrian National Army"],
        );
        assert_eq!(
            assess(&i, &[old, newer]).agreement.as_deref(),
            Some("Test truce")
        );
    }
}

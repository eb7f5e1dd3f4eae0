//! Daily counts per area, type, alleged perpetrator and target, set against the previous day and
//! the same weekday a week before, as monitoring missions report them.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

/// What the counts need of an incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentFacts {
    /// Its day.
    pub date: NaiveDate,
    /// Its area: admin1 (province), else the country, else "unknown".
    pub area: String,
    /// Its district (admin2), when known.
    pub district: Option<String>,
    /// ACLED event type.
    pub event_type: String,
    /// Alleged perpetrators.
    pub perpetrators: Vec<String>,
    /// What was hit.
    pub target: Option<String>,
    /// Deaths (low figure).
    pub fatalities: u32,
}

/// One line of the counts: a value of a dimension, and its incidents on three days.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CountRow {
    /// `area`, `district`, `type`, `perpetrator` or `target`.
    pub dimension: String,
    /// The value ("Idlib", "Battles", ...).
    pub key: String,
    /// Incidents on the day.
    pub day: u32,
    /// Deaths on the day.
    pub fatalities: u32,
    /// Incidents the day before.
    pub previous_day: u32,
    /// Incidents on the same weekday a week before.
    pub week_before: u32,
}

/// A day's counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayCounts {
    /// The day.
    pub date: NaiveDate,
    /// Incidents on it.
    pub total: u32,
    /// Deaths on it.
    pub fatalities: u32,
    /// Incidents the day before.
    pub previous_day: u32,
    /// Incidents a week before.
    pub week_before: u32,
    /// Per dimension and value, dimensions in the order above, values by incidents on the day
    /// (then by name).
    pub rows: Vec<CountRow>,
}

const DIMENSIONS: [&str; 5] = ["area", "district", "type", "perpetrator", "target"];

fn keys(f: &IncidentFacts, dimension: &str) -> Vec<String> {
    match dimension {
        "area" => vec![f.area.clone()],
        "district" => f.district.iter().cloned().collect(),
        "type" => vec![f.event_type.clone()],
        "perpetrator" if f.perpetrators.is_empty() => vec!["unattributed".into()],
        "perpetrator" => f.perpetrators.clone(),
        "target" => vec![f.target.clone().unwrap_or_else(|| "not reported".into())],
        _ => Vec::new(),
    }
}

/// The counts of `date` from the incidents of that day, the day before and a week before (others
/// are ignored). An incident blamed on two actors counts once under each.
pub fn daily_counts(incidents: &[IncidentFacts], date: NaiveDate) -> DayCounts {
    let previous = date - Duration::days(1);
    let week = date - Duration::days(7);
    let mut table: BTreeMap<(usize, String), CountRow> = BTreeMap::new();
    let (mut total, mut fatalities, mut previous_day, mut week_before) = (0, 0, 0, 0);
    for f in incidents {
        let slot = if f.date == date {
            total += 1;
            fatalities += f.fatalities;
            0
        } else if f.date == previous {
            previous_day += 1;
            1
        } else if f.date == week {
            week_before += 1;
            2
        } else {
            continue;
        };
        for (d, dimension) in DIMENSIONS.iter().enumerate() {
            for key in keys(f, dimension) {
                let row = table.entry((d, key.clone())).or_insert_with(|| CountRow {
                    dimension: dimension.to_string(),
                    key,
                    day: 0,
                    fatalities: 0,
                    previous_day: 0,
                    week_before: 0,
                });
                match slot {
                    0 => {
                        row.day += 1;
                        row.fatalities += f.fatalities;
                    }
                    1 => row.previous_day += 1,
                    _ => row.week_before += 1,
                }
            }
        }
    }
    let mut rows: Vec<((usize, String), CountRow)> = table.into_iter().collect();
    rows.sort_by(|(a, ra), (b, rb)| {
        a.0.cmp(&b.0)
            .then(rb.day.cmp(&ra.day))
            .then(rb.previous_day.cmp(&ra.previous_day))
            .then(a.1.cmp(&b.1))
    });
    DayCounts {
        date,
        total,
        fatalities,
        previous_day,
        week_before,
        rows: rows.into_iter().map(|(_, r)| r).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(day: u32, area: &str, kind: &str, blamed: &[&str], killed: u32) -> IncidentFacts {
        IncidentFacts {
            date: NaiveDate::from_ymd_opt(2026, 3, day).unwrap(),
            area: area.into(),
            district: None,
            event_type: kind.into(),
            perpetrators: blamed.iter().map(|s| s.to_string()).collect(),
            target: None,
            fatalities: killed,
        }
    }

    #[test]
    fn counts_set_the_day_against_the_day_before_and_a_week_before() {
        let list = [
            facts(10, "Idlib", "Battles", &["A"], 3),
            facts(10, "Idlib", "Battles", &["A", "B"], 1),
            facts(10, "Aleppo", "Explosions/Remote violence", &[], 0),
            facts(9, "Idlib", "Battles", &["A"], 5),
            facts(3, "Aleppo", "Battles", &["B"], 0),
            facts(3, "Aleppo", "Battles", &["B"], 0),
            facts(1, "Hama", "Battles", &["C"], 9),
        ];
        let c = daily_counts(&list, NaiveDate::from_ymd_opt(2026, 3, 10).unwrap());
        assert_eq!(
            (c.total, c.fatalities, c.previous_day, c.week_before),
            (3, 4, 1, 2)
        );
        let row = |dim: &str, key: &str| {
            c.rows
                .iter()
                .find(|r| r.dimension == dim && r.key == key)
                .cloned()
                .unwrap_or_else(|| panic!("no {dim} {key}"))
        };
        let idlib = row("area", "Idlib");
        assert_eq!(
            (
                idlib.day,
                idlib.fatalities,
                idlib.previous_day,
                idlib.week_before
            ),
            (2, 4, 1, 0)
        );
        let aleppo = row("area", "Aleppo");
        assert_eq!((aleppo.day, aleppo.week_before), (1, 2));
        assert_eq!(row("perpetrator", "A").day, 2);
        assert_eq!(row("perpetrator", "B").week_before, 2);
        assert_eq!(row("perpetrator", "unattributed").day, 1);
        assert_eq!(row("target", "not reported").day, 3);
        assert!(
            c.rows.iter().all(|r| r.key != "Hama"),
            "a day outside the three is ignored"
        );
        // Areas first, the busiest first.
        assert_eq!(c.rows[0].key, "Idlib");
    }
}

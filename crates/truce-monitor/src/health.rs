//! The ceasefire health index: one number a day (and an area) from violations, deaths and their
//! trend against the agreement's first two weeks. The formula, its reasons and its limits are in
//! `docs/HEALTH_INDEX.md`; this is its only implementation.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

/// The definition stamped on every figure; a change of formula or weights is a new version.
pub const HEALTH_DEFINITION: &str = "truce-health/2";

/// Days in the trailing window.
pub const WINDOW_DAYS: i64 = 7;
/// Days from the agreement's start that make the baseline.
pub const BASELINE_DAYS: i64 = 14;
/// Weight of the violation rate in the pressure; deaths weigh the rest.
pub const VIOLATION_WEIGHT: f64 = 0.7;
/// Smallest baseline rate (per day), so that a quiet start does not make one incident a disaster.
pub const BASELINE_FLOOR: f64 = 1.0;

/// What happened on one day in one area.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct DayTally {
    /// Incidents assessed as likely violations.
    pub violations: u32,
    /// Deaths in them (low figures, ACLED's rule).
    pub fatalities: u32,
}

/// The reference rates: the agreement's first two weeks (those so far, when it is younger, over
/// fourteen days all the same).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Baseline {
    /// Likely violations a day: those of the first two weeks so far over fourteen days
    /// (floored at [`BASELINE_FLOOR`]).
    pub violations: f64,
    /// Deaths a day, likewise (floored).
    pub fatalities: f64,
    /// Days of the first two weeks that have passed (at most fourteen).
    pub days: u32,
}

/// The index on one day, with every input that made it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HealthPoint {
    /// The day.
    pub date: NaiveDate,
    /// 0 to 100: 100 no violation in the window, 50 as bad as the first two weeks.
    pub index: f64,
    /// Change against seven days before (`None` in the first week).
    pub trend: Option<f64>,
    /// That day's likely violations.
    pub violations: u32,
    /// That day's deaths in them.
    pub fatalities: u32,
    /// Violations a day over the trailing window: its sum over seven days.
    pub violations_7d: f64,
    /// Deaths a day over the trailing window: its sum over seven days.
    pub fatalities_7d: f64,
    /// The reference.
    pub baseline: Baseline,
    /// `0.7 × violations_7d / baseline.violations + 0.3 × fatalities_7d / baseline.fatalities`.
    pub pressure: f64,
    /// [`HEALTH_DEFINITION`].
    pub definition: String,
}

fn round(v: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (v * f).round() / f
}

/// The index for each day `from..=to` of an agreement that started on `start`, from the day
/// tallies of one area (days missing from `tallies` had nothing). Days before the start get no
/// point.
///
/// Both rates are sums over a fixed number of days (seven for the window, fourteen for the
/// baseline, days not yet passed or before the start counting as none), so that a day without
/// violations never lowers the index: it can only take a violation out of the window, and the
/// baseline's sum only grows.
pub fn health_index(
    tallies: &BTreeMap<NaiveDate, DayTally>,
    start: NaiveDate,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<HealthPoint> {
    let on = |d: NaiveDate| tallies.get(&d).copied().unwrap_or_default();
    // Sums over `first..=last`, divided by a fixed number of days (`over`), not by the days
    // summed: a quiet day must not raise a rate by shortening what it is divided by.
    let rate = |first: NaiveDate, last: NaiveDate, over: i64| -> (f64, f64, u32) {
        let mut days = 0u32;
        let (mut v, mut f) = (0u64, 0u64);
        let mut d = first;
        while d <= last {
            let t = on(d);
            v += u64::from(t.violations);
            f += u64::from(t.fatalities);
            days += 1;
            d += Duration::days(1);
        }
        let n = over as f64;
        (v as f64 / n, f as f64 / n, days)
    };
    let mut points: Vec<HealthPoint> = Vec::new();
    let mut d = from.max(start);
    while d <= to {
        let baseline_end = (start + Duration::days(BASELINE_DAYS - 1)).min(d);
        let (bv, bf, days) = rate(start, baseline_end, BASELINE_DAYS);
        let baseline = Baseline {
            violations: round(bv.max(BASELINE_FLOOR), 4),
            fatalities: round(bf.max(BASELINE_FLOOR), 4),
            days,
        };
        let window_start = (d - Duration::days(WINDOW_DAYS - 1)).max(start);
        let (v7, f7, _) = rate(window_start, d, WINDOW_DAYS);
        let pressure = VIOLATION_WEIGHT * v7 / baseline.violations
            + (1.0 - VIOLATION_WEIGHT) * f7 / baseline.fatalities;
        let index = round(100.0 / (1.0 + pressure), 1);
        let week_before = d - Duration::days(WINDOW_DAYS);
        let trend = points
            .iter()
            .find(|p| p.date == week_before)
            .map(|p| round(index - p.index, 1));
        let t = on(d);
        points.push(HealthPoint {
            date: d,
            index,
            trend,
            violations: t.violations,
            fatalities: t.fatalities,
            violations_7d: round(v7, 4),
            fatalities_7d: round(f7, 4),
            baseline,
            pressure: round(pressure, 4),
            definition: HEALTH_DEFINITION.into(),
        });
        d += Duration::days(1);
    }
    // Trends need the week before even when it lies before `from`.
    if let Some(first) = points.first().map(|p| p.date)
        && first > start
    {
        let earlier = health_index(
            tallies,
            start,
            (first - Duration::days(WINDOW_DAYS)).max(start),
            first - Duration::days(1),
        );
        for p in points.iter_mut().filter(|p| p.trend.is_none()) {
            let week_before = p.date - Duration::days(WINDOW_DAYS);
            if let Some(e) = earlier.iter().find(|e| e.date == week_before) {
                p.trend = Some(round(p.index - e.index, 1));
            }
        }
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(n: i64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 1).unwrap() + Duration::days(n)
    }

    fn tallies(rows: &[(i64, u32, u32)]) -> BTreeMap<NaiveDate, DayTally> {
        rows.iter()
            .map(|&(d, violations, fatalities)| {
                (
                    day(d),
                    DayTally {
                        violations,
                        fatalities,
                    },
                )
            })
            .collect()
    }

    #[test]
    #[allow(clippy::type_complexity, reason = "the rows of a table test")]
    fn the_index_table() {
        // Two violations and four deaths a day for the first two weeks.
        let first_weeks: Vec<(i64, u32, u32)> = (0..14).map(|d| (d, 2, 4)).collect();
        let rows: [(&str, Vec<(i64, u32, u32)>, i64, f64); 5] = [
            ("no violation ever", vec![], 20, 100.0),
            ("as bad as the first weeks", first_weeks.clone(), 13, 50.0),
            (
                "quiet for a week after the first two",
                first_weeks.clone(),
                20,
                100.0,
            ),
            (
                "twice as bad as the first weeks",
                [first_weeks.clone(), (14..21).map(|d| (d, 4, 8)).collect()].concat(),
                20,
                33.3,
            ),
            (
                "one violation on a quiet start (floors)",
                vec![(3, 1, 0)],
                3,
                // v7 = 1/7, f7 = 0, baseline floored at 1: pressure 0.1
                90.9,
            ),
        ];
        for (what, rows, on, expected) in rows {
            let points = health_index(&tallies(&rows), day(0), day(on), day(on));
            assert_eq!(points.len(), 1, "{what}");
            assert_eq!(points[0].index, expected, "{what}: {:?}", points[0]);
            assert_eq!(points[0].definition, HEALTH_DEFINITION);
        }
    }

    #[test]
    fn the_worked_example_of_the_definition() {
        // docs/HEALTH_INDEX.md: a quiet first week, 28 likely violations (no deaths) on 9 March,
        // then quiet days. Under truce-health/1 the index fell on each quiet day of the first
        // fortnight (52.6, 50.0, 47.6, 45.5, 43.5, 41.7) as its baseline's mean shrank.
        let t = tallies(&[(8, 28, 0)]);
        let p = health_index(&t, day(0), day(7), day(16));
        let index: Vec<f64> = p.iter().map(|p| p.index).collect();
        assert_eq!(
            index,
            [
                100.0, 41.7, 41.7, 41.7, 41.7, 41.7, 41.7, 41.7, 100.0, 100.0
            ]
        );
        let on_9_march = &p[1];
        assert_eq!(
            (
                on_9_march.violations_7d,
                on_9_march.baseline.violations,
                on_9_march.pressure
            ),
            (4.0, 2.0, 1.4)
        );
    }

    proptest::proptest! {
        /// A day without likely violations or deaths never lowers the index.
        #[test]
        fn a_quiet_day_never_lowers_the_index(
            rows in proptest::collection::vec((0i64..40, 0u32..30, 0u32..60), 0..30),
            quiet in proptest::collection::vec(0i64..40, 1..10),
        ) {
            let mut t = tallies(&rows);
            for q in &quiet {
                t.remove(&day(*q));
            }
            let p = health_index(&t, day(0), day(0), day(45));
            for w in p.windows(2) {
                if !t.contains_key(&w[1].date) {
                    proptest::prop_assert!(
                        w[1].index >= w[0].index,
                        "{} fell from {} to {} on a quiet day",
                        w[1].date,
                        w[0].index,
                        w[1].index
                    );
                }
            }
        }
    }

    #[test]
    fn the_baseline_only_looks_back() {
        // A calm first day then a bad second week: day 0's figure must not see the future.
        let t = tallies(&[(10, 9, 30)]);
        let p = health_index(&t, day(0), day(0), day(0));
        assert_eq!(p[0].baseline.days, 1);
        assert_eq!(p[0].index, 100.0);
        let later = health_index(&t, day(0), day(20), day(20));
        assert_eq!(later[0].baseline.days, 14);
    }

    #[test]
    fn trends_compare_with_a_week_before_even_outside_the_range() {
        let t = tallies(&[(1, 3, 0), (2, 3, 0)]);
        let p = health_index(&t, day(0), day(15), day(16));
        assert!(p.iter().all(|p| p.trend.is_some()), "{p:?}");
        let p = health_index(&t, day(0), day(0), day(3));
        assert!(p.iter().all(|p| p.trend.is_none()));
    }

    #[test]
    fn nothing_before_the_start() {
        assert!(health_index(&BTreeMap::new(), day(5), day(0), day(4)).is_empty());
        assert_eq!(
            health_index(&BTreeMap::new(), day(5), day(0), day(6)).len(),
            2
        );
    }
}

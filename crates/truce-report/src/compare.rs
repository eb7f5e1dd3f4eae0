//! Holding truce's record against another: which events both have, and which only one has.

use serde::Serialize;

use crate::codes;
use crate::import::ExternalRecord;
use truce_monitor::alert::distance_km;

/// How close two events must be to be the same: days apart and kilometres apart.
pub const MAX_DAYS: i64 = 1;
/// See [`MAX_DAYS`].
pub const MAX_KM: f64 = 10.0;

/// The result of a comparison.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Comparison {
    /// Pairs (truce's, theirs) judged the same event.
    pub matched: Vec<(ExternalRecord, ExternalRecord)>,
    /// Only in truce's record (within the dates the other file covers).
    pub only_truce: Vec<ExternalRecord>,
    /// Only in theirs.
    pub only_theirs: Vec<ExternalRecord>,
}

fn days(a: &str, b: &str) -> Option<i64> {
    let a = chrono::NaiveDate::parse_from_str(a, "%Y-%m-%d").ok()?;
    let b = chrono::NaiveDate::parse_from_str(b, "%Y-%m-%d").ok()?;
    Some((a - b).num_days().abs())
}

/// How far apart two records are, or `None` when they cannot be the same event: more than a day
/// apart, more than 10 km apart (or, without coordinates, different place names), or of
/// different kinds of disorder (ACLED's disorder types: protests never match strikes; the types
/// of political violence match each other, since two datasets code the same clash differently,
/// and so do protests and riots, which older ACLED releases did not tell apart).
fn gap(a: &ExternalRecord, b: &ExternalRecord) -> Option<(i64, f64)> {
    let d = days(&a.date, &b.date)?;
    if d > MAX_DAYS {
        return None;
    }
    let km = match (a.lat, a.lon, b.lat, b.lon) {
        (Some(la), Some(lo), Some(lb), Some(lob)) => distance_km((la, lo), (lb, lob)),
        _ if a.location.eq_ignore_ascii_case(&b.location) && !a.location.is_empty() => 0.0,
        _ => return None,
    };
    if km > MAX_KM {
        return None;
    }
    if codes::acled_disorder(&a.event_type) != codes::acled_disorder(&b.event_type) {
        return None;
    }
    Some((d, km))
}

/// Compares truce's records with another dataset's. Each record matches at most one: pairs are
/// taken closest first (by days, then kilometres). Truce's records outside the other file's
/// dates are left out, so that a file of one month is not said to miss the rest of the year.
pub fn compare(truce: &[ExternalRecord], theirs: &[ExternalRecord]) -> Comparison {
    let (first, last) = match (
        theirs.iter().map(|r| r.date.as_str()).min(),
        theirs.iter().map(|r| r.date.as_str()).max(),
    ) {
        (Some(f), Some(l)) => (f.to_string(), l.to_string()),
        _ => {
            return Comparison {
                only_truce: truce.to_vec(),
                ..Default::default()
            };
        }
    };
    // The file's dates, widened by the days a match may be off.
    let widen = |d: &str, by: i64| {
        chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map(|d| (d + chrono::Duration::days(by)).to_string())
            .unwrap_or_else(|_| d.to_string())
    };
    let (first, last) = (widen(&first, -MAX_DAYS), widen(&last, MAX_DAYS));
    let ours: Vec<&ExternalRecord> = truce
        .iter()
        .filter(|r| r.date.as_str() >= first.as_str() && r.date.as_str() <= last.as_str())
        .collect();
    // Candidates come from the same day and the days either side only.
    let mut by_day: std::collections::HashMap<&str, Vec<usize>> = Default::default();
    for (j, b) in theirs.iter().enumerate() {
        by_day.entry(b.date.as_str()).or_default().push(j);
    }
    let mut pairs: Vec<(i64, u64, usize, usize)> = Vec::new();
    for (i, a) in ours.iter().enumerate() {
        let Ok(day) = chrono::NaiveDate::parse_from_str(&a.date, "%Y-%m-%d") else {
            continue;
        };
        for shift in -MAX_DAYS..=MAX_DAYS {
            let key = (day + chrono::Duration::days(shift)).to_string();
            for &j in by_day.get(key.as_str()).into_iter().flatten() {
                if let Some((d, km)) = gap(a, &theirs[j]) {
                    pairs.push((d, (km * 1000.0) as u64, i, j));
                }
            }
        }
    }
    pairs.sort();
    let mut used_a = vec![false; ours.len()];
    let mut used_b = vec![false; theirs.len()];
    let mut out = Comparison::default();
    for (_, _, i, j) in pairs {
        if !used_a[i] && !used_b[j] {
            used_a[i] = true;
            used_b[j] = true;
            out.matched.push((ours[i].clone(), theirs[j].clone()));
        }
    }
    out.only_truce = ours
        .iter()
        .zip(&used_a)
        .filter(|(_, u)| !**u)
        .map(|(r, _)| (*r).clone())
        .collect();
    out.only_theirs = theirs
        .iter()
        .zip(&used_b)
        .filter(|(_, u)| !**u)
        .map(|(r, _)| r.clone())
        .collect();
    out
}

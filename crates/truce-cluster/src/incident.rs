//! Merging the source events of an incident into one record.

use chrono::NaiveDate;
use rustc_hash::FxHashMap;
use truce_model::{Attribution, Count, Event, EventRef, Incident};

/// One source event of an incident, as [`merge`] needs it.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// Its key.
    pub key: EventRef,
    /// The event as extracted.
    pub event: &'a Event,
    /// Its report's publication date.
    pub reported: Option<NaiveDate>,
}

/// The most common value, ties broken by the smallest.
fn most_common<T: Ord + Clone + std::hash::Hash>(values: impl Iterator<Item = T>) -> Option<T> {
    let mut counts: FxHashMap<T, usize> = FxHashMap::default();
    for v in values {
        *counts.entry(v).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by(|(va, ca), (vb, cb)| ca.cmp(cb).then_with(|| vb.cmp(va)))
        .map(|(v, _)| v)
}

/// A range over the sources' figures: the lowest low and the highest high. ACLED codes the lowest
/// credible figure, so `best` is the low end too.
fn range(counts: impl Iterator<Item = Count>) -> Option<Count> {
    let mut low: Option<u32> = None;
    let mut high: Option<u32> = None;
    for c in counts {
        if let Some(l) = c.low.or(c.best).or(c.high) {
            low = Some(low.map_or(l, |x| x.min(l)));
        }
        if let Some(h) = c.high.or(c.best).or(c.low) {
            high = Some(high.map_or(h, |x| x.max(h)));
        }
    }
    low.map(|l| Count {
        low: Some(l),
        best: Some(l),
        high: high.or(Some(l)),
    })
}

/// Merges an incident's source events by stated rules:
///
/// - kind: the most common event type; the most common sub-event type among sources giving one;
/// - date: from the most precise source (lowest time precision), the most common such date, then
///   the earliest;
/// - place: the most precise source's place (lowest geo precision), the place most such sources
///   name, then the first source's;
/// - fatalities and injured: a range over sources, low = the lowest figure (ACLED's rule),
///   high = the highest;
/// - perpetrators: every one named, with how many sources name it, most-named first;
/// - target: the most common named target; civilian targeting if any source says so;
/// - reported: the earliest and latest publication date; sources in key order.
///
/// Returns `None` for an empty list.
pub fn merge(sources: &[Source<'_>]) -> Option<Incident> {
    let mut sources: Vec<Source<'_>> = sources.to_vec();
    sources.sort_by_key(|s| s.key);
    let first = sources.first()?;

    let event_type = most_common(sources.iter().map(|s| s.event.event_type.clone()))
        .unwrap_or_else(|| first.event.event_type.clone());
    let sub_event_type = most_common(
        sources
            .iter()
            .filter(|s| s.event.event_type == event_type)
            .filter_map(|s| s.event.sub_event_type.clone()),
    );

    let dated: Vec<&Source<'_>> = sources.iter().filter(|s| s.event.date.is_some()).collect();
    let best_time = dated
        .iter()
        .map(|s| s.event.time_precision.unwrap_or(1))
        .min();
    let (date, date_end, time_precision) = match best_time {
        Some(p) => {
            let candidates = dated
                .iter()
                .filter(|s| s.event.time_precision.unwrap_or(1) == p)
                .map(|s| (s.event.date.clone(), s.event.date_end.clone()));
            let (d, e) = most_common(candidates).unwrap_or((None, None));
            (d, e, p)
        }
        None => {
            let earliest = sources.iter().filter_map(|s| s.reported).min();
            (earliest.map(|d| d.to_string()), None, 1)
        }
    };

    let placed: Vec<&Source<'_>> = sources
        .iter()
        .filter(|s| s.event.location.is_some())
        .collect();
    let precision = |s: &Source<'_>| {
        s.event
            .location
            .as_ref()
            .and_then(|l| l.geo_precision)
            .unwrap_or(3)
    };
    let location = placed.iter().map(|s| precision(s)).min().and_then(|p| {
        let precise: Vec<&&Source<'_>> = placed.iter().filter(|s| precision(s) == p).collect();
        let name = most_common(
            precise
                .iter()
                .filter_map(|s| s.event.location.as_ref().map(|l| l.name.clone())),
        )?;
        precise
            .iter()
            .filter_map(|s| s.event.location.as_ref())
            .find(|l| l.name == name)
            .cloned()
    });

    let mut named: FxHashMap<String, u32> = FxHashMap::default();
    for s in &sources {
        let mut seen: Vec<&str> = Vec::new();
        for a in s.event.actors.iter().filter(|a| a.role == "perpetrator") {
            if !seen.contains(&a.name.as_str()) {
                seen.push(&a.name);
                *named.entry(a.name.clone()).or_default() += 1;
            }
        }
    }
    let mut perpetrators: Vec<Attribution> = named
        .into_iter()
        .map(|(name, sources)| Attribution { name, sources })
        .collect();
    perpetrators.sort_by(|a, b| b.sources.cmp(&a.sources).then_with(|| a.name.cmp(&b.name)));

    let civilian_targeting = sources
        .iter()
        .filter_map(|s| s.event.civilian_targeting)
        .reduce(|a, b| a || b);
    Some(Incident {
        event_type,
        sub_event_type,
        date,
        date_end,
        time_precision,
        location,
        fatalities: range(sources.iter().filter_map(|s| s.event.fatalities)),
        injured: range(sources.iter().filter_map(|s| s.event.injured)),
        perpetrators,
        target: most_common(sources.iter().filter_map(|s| s.event.target.clone())),
        civilian_targeting,
        first_reported: sources
            .iter()
            .filter_map(|s| s.reported)
            .min()
            .map(|d| d.to_string()),
        last_reported: sources
            .iter()
            .filter_map(|s| s.reported)
            .max()
            .map(|d| d.to_string()),
        sources: sources.iter().map(|s| s.key).collect(),
    })
}

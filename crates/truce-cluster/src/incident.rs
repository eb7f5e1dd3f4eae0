//! Merging the source events of an incident into one record.

use chrono::NaiveDate;
use std::collections::BTreeMap;

use rustc_hash::FxHashMap;
use truce_model::{
    Attribution, ClaimKind, ClaimSource, Count, CountSources, Event, EventRef, Incident,
    PartyClaims,
};

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

/// Whether an actor name stands for nobody in particular ("Unidentified Armed Group (Syria)").
fn unidentified(name: &str) -> bool {
    name.starts_with("Unidentified")
}

/// Every party named as perpetrator, with the sources naming it, most-named first. A source that
/// names nobody adds nothing: an unidentified perpetrator is what the record holds only when no
/// source names anyone.
fn perpetrators(sources: &[Source<'_>]) -> Vec<Attribution> {
    let mut named: BTreeMap<&str, (Vec<EventRef>, Option<u8>)> = BTreeMap::new();
    for s in sources {
        for a in s
            .event
            .actors
            .iter()
            .filter(|a| a.role == truce_model::ActorRole::Perpetrator)
        {
            let (by, inter) = named.entry(a.name.as_str()).or_default();
            if by.last() != Some(&s.key) {
                by.push(s.key);
            }
            *inter = inter.or(a.inter);
        }
    }
    if named.keys().any(|n| !unidentified(n)) {
        named.retain(|n, _| !unidentified(n));
    }
    let mut list: Vec<Attribution> = named
        .into_iter()
        .map(|(name, (named_by, inter))| Attribution {
            name: name.to_string(),
            sources: named_by.len() as u32,
            inter,
            named_by,
        })
        .collect();
    list.sort_by(|a, b| b.sources.cmp(&a.sources).then_with(|| a.name.cmp(&b.name)));
    list
}

/// For each party a source's claimants accuse, deny or confirm, who says what, side by side;
/// parties ordered by how many claims name them, then by name. A claimant is listed once per
/// source event and side.
fn party_claims(sources: &[Source<'_>]) -> Vec<PartyClaims> {
    let mut parties: BTreeMap<&str, PartyClaims> = BTreeMap::new();
    for s in sources {
        for c in &s.event.claims {
            let Some(party) = c.accused.as_deref() else {
                continue;
            };
            let entry = parties.entry(party).or_insert_with(|| PartyClaims {
                party: party.to_string(),
                accused_by: Vec::new(),
                denied_by: Vec::new(),
                confirmed_by: Vec::new(),
            });
            let side = match c.kind {
                ClaimKind::Alleges | ClaimKind::Condemns => &mut entry.accused_by,
                ClaimKind::Denies => &mut entry.denied_by,
                ClaimKind::Confirms => &mut entry.confirmed_by,
            };
            let source = ClaimSource {
                source: s.key,
                claimant: c.claimant.clone(),
                title: c.title.clone(),
                deliberate: c.deliberate,
            };
            match side
                .iter_mut()
                .find(|x| x.source == s.key && x.claimant == source.claimant)
            {
                Some(existing) => existing.deliberate |= source.deliberate,
                None => side.push(source),
            }
        }
    }
    let mut list: Vec<PartyClaims> = parties.into_values().collect();
    let weight = |p: &PartyClaims| p.accused_by.len() + p.denied_by.len() + p.confirmed_by.len();
    list.sort_by(|a, b| {
        weight(b)
            .cmp(&weight(a))
            .then_with(|| a.party.cmp(&b.party))
    });
    list
}

/// The death toll across sources, and which source gave each figure.
///
/// Each source's figure is its best (a report that says "rose to 12" has 12). A report that gives
/// its toll as an update supersedes the lower figures published before it: the toll rose, so
/// the earlier counts are no longer credible as the whole toll. Of the figures left, `low` is the
/// lowest (ACLED's conservative rule), `high` the highest, and `best` the latest update, or else
/// the lowest. Figures are never added up: an update is a new total, never an increment.
fn toll(sources: &[Source<'_>]) -> (Option<Count>, Option<CountSources>) {
    struct Figure {
        key: EventRef,
        low: u32,
        best: u32,
        high: u32,
        update: bool,
        reported: Option<NaiveDate>,
    }
    let figures: Vec<Figure> = sources
        .iter()
        .filter_map(|s| {
            let c = s.event.fatalities?;
            let best = c.best.or(c.low).or(c.high)?;
            Some(Figure {
                key: s.key,
                low: c.low.unwrap_or(best).min(best),
                best,
                high: c.high.unwrap_or(best).max(best),
                update: s.event.toll_update,
                reported: s.reported,
            })
        })
        .collect();
    // The latest update: the last published, then the highest.
    let latest = figures.iter().filter(|f| f.update).max_by(|a, b| {
        a.reported
            .cmp(&b.reported)
            .then(a.best.cmp(&b.best))
            .then(b.key.cmp(&a.key))
    });
    let credible: Vec<&Figure> = figures
        .iter()
        .filter(|f| match latest {
            Some(u) => std::ptr::eq(*f, u) || !(f.reported < u.reported && f.best < u.best),
            None => true,
        })
        .collect();
    // The update's own earlier figure ("killed 9; the toll rose to 12") is superseded too.
    let low_of = |f: &Figure| if f.update { f.best } else { f.low };
    let Some(lowest) = credible
        .iter()
        .min_by(|a, b| low_of(a).cmp(&low_of(b)).then(a.key.cmp(&b.key)))
    else {
        return (None, None);
    };
    let highest = credible
        .iter()
        .max_by(|a, b| a.high.cmp(&b.high).then(b.key.cmp(&a.key)))
        .unwrap_or(lowest);
    let best = latest.unwrap_or(lowest);
    let low = low_of(lowest);
    let best_value = if latest.is_some() { best.best } else { low };
    let high = highest.high.max(best_value);
    (
        Some(Count {
            low: Some(low),
            best: Some(best_value),
            high: Some(high),
        }),
        Some(CountSources {
            low: Some(lowest.key),
            best: Some(best.key),
            high: Some(if high == highest.high {
                highest.key
            } else {
                best.key
            }),
        }),
    )
}

/// Merges an incident's source events by stated rules:
///
/// - kind: the most common event type; the most common sub-event type among sources giving one;
/// - date: from the most precise source (lowest time precision), the most common such date, then
///   the earliest;
/// - place: the most precise source's place (lowest geo precision), the place most such sources
///   name, then the first source's;
/// - fatalities: see [`toll`]: the lowest and highest credible figures, later updates
///   superseding lower earlier counts, with the source of each; injured: a range over sources,
///   low = the lowest figure (ACLED's rule), high = the highest;
/// - perpetrators: every party named, with the sources naming it, most-named first; a source
///   naming nobody adds nothing (see [`perpetrators`]);
/// - target: the most common named target; civilian targeting if any source says so;
/// - reported: the earliest and latest publication date; sources in key order;
/// - claims: for each party accused, denied or confirmed in the sources, who says what (see
///   [`party_claims`]).
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
                .map(|s| (s.event.date, s.event.date_end));
            let (d, e) = most_common(candidates).unwrap_or((None, None));
            (d, e, p)
        }
        None => {
            let earliest = sources.iter().filter_map(|s| s.reported).min();
            (earliest, None, 1)
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

    let perpetrators = perpetrators(&sources);
    let (fatalities, fatalities_from) = toll(&sources);

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
        fatalities,
        fatalities_from,
        injured: range(sources.iter().filter_map(|s| s.event.injured)),
        perpetrators,
        target: most_common(sources.iter().filter_map(|s| s.event.target.clone())),
        civilian_targeting,
        first_reported: sources.iter().filter_map(|s| s.reported).min(),
        last_reported: sources.iter().filter_map(|s| s.reported).max(),
        claims: party_claims(&sources),
        sources: sources.iter().map(|s| s.key).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use truce_model::Actor;

    fn report(doc: i64, day: u32, killed: Option<u32>, update: bool, blamed: &str) -> Event {
        Event {
            event_type: "Explosions/Remote violence".into(),
            sub_event_type: Some("Air/drone strike".into()),
            date: "2026-03-04".parse().ok(),
            date_end: None,
            time_precision: Some(1),
            location: None,
            actors: vec![Actor {
                name: blamed.into(),
                role: truce_model::ActorRole::Perpetrator,
                inter: Some(1),
                alleged_by: Vec::new(),
            }],
            target: Some("medical".into()),
            fatalities: killed.map(|k| Count {
                low: Some(k),
                best: Some(k),
                high: None,
            }),
            toll_update: update,
            injured: None,
            civilian_targeting: None,
            evidence: Vec::new(),
            confidence: 0.5 + f64::from(day) / 100.0 + doc as f64 / 1000.0,
            claims: Vec::new(),
        }
    }

    fn merged(events: &[(i64, u32, Event)]) -> Incident {
        let sources: Vec<Source<'_>> = events
            .iter()
            .map(|(doc, day, e)| Source {
                key: EventRef {
                    document: *doc,
                    ordinal: 0,
                },
                event: e,
                reported: NaiveDate::from_ymd_opt(2026, 3, *day),
            })
            .collect();
        merge(&sources).unwrap()
    }

    fn key(document: i64) -> EventRef {
        EventRef {
            document,
            ordinal: 0,
        }
    }

    #[test]
    fn a_source_naming_nobody_adds_nothing() {
        let unnamed = "Unidentified Armed Group (Syria)";
        let army = "Military Forces of Syria";
        let i = merged(&[
            (1, 4, report(1, 4, Some(9), false, unnamed)),
            (2, 4, report(2, 4, Some(9), false, unnamed)),
            (3, 4, report(3, 4, Some(9), false, unnamed)),
            (4, 4, report(4, 4, Some(10), false, army)),
        ]);
        assert_eq!(i.perpetrators.len(), 1, "{:?}", i.perpetrators);
        assert_eq!(i.perpetrators[0].name, army);
        assert_eq!(i.perpetrators[0].named_by, [key(4)]);
        // With nobody named anywhere, the record says so.
        let i = merged(&[
            (1, 4, report(1, 4, Some(9), false, unnamed)),
            (2, 4, report(2, 4, None, false, unnamed)),
        ]);
        assert_eq!(i.perpetrators[0].name, unnamed);
        assert_eq!(i.perpetrators[0].sources, 2);
    }

    #[test]
    fn a_later_update_supersedes_the_lower_counts_before_it() {
        let army = "Military Forces of Syria";
        let i = merged(&[
            (1, 4, report(1, 4, Some(9), false, army)),
            (2, 4, report(2, 4, Some(10), false, army)),
            (3, 5, report(3, 5, Some(12), true, army)),
        ]);
        let toll = i.fatalities.unwrap();
        assert_eq!(
            (toll.low, toll.best, toll.high),
            (Some(12), Some(12), Some(12))
        );
        assert_eq!(i.fatalities_from.unwrap().best, Some(key(3)));
        // Without an update, the range over sources, the lowest first (ACLED), each with its
        // source.
        let i = merged(&[
            (1, 4, report(1, 4, Some(9), false, army)),
            (2, 4, report(2, 4, Some(12), false, army)),
        ]);
        let toll = i.fatalities.unwrap();
        assert_eq!(
            (toll.low, toll.best, toll.high),
            (Some(9), Some(9), Some(12))
        );
        let from = i.fatalities_from.unwrap();
        assert_eq!((from.low, from.high), (Some(key(1)), Some(key(2))));
        // A report without a toll (three more died, an increment) never becomes the low end.
        let i = merged(&[
            (1, 4, report(1, 4, Some(9), false, army)),
            (2, 6, report(2, 6, None, false, army)),
        ]);
        let toll = i.fatalities.unwrap();
        assert_eq!((toll.low, toll.high), (Some(9), Some(9)));
    }
}

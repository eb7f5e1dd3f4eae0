//! The resolver's promises: order does not matter, the index misses no compatible pair, every
//! incident's events are pairwise compatible, and people's decisions win.

use chrono::NaiveDate;
use proptest::prelude::*;
use truce_cluster::{
    ClusterEvent, Constraint, EventRef, Resolver, ResolverConfig, Verdict, compare,
};

fn key(document: i64) -> EventRef {
    EventRef {
        document,
        ordinal: 0,
    }
}

/// An event drawn from a small world (four towns, two areas, ten days) so that collisions,
/// near-misses and vague places are common.
fn event() -> impl Strategy<Value = ClusterEvent> {
    (
        0usize..4,
        0i64..10,
        0u8..3,
        1u8..4,
        1u8..4,
        prop::option::of(0u32..60),
        prop::option::of(0usize..2),
        0usize..2,
        any::<bool>(),
        0i64..3,
    )
        .prop_map(
            |(town, day, kind, geo, time, toll, target, who, placed, late)| {
                const TOWNS: [(f64, f64, &str); 4] = [
                    (36.20, 37.15, "A"),
                    (36.21, 37.16, "A"),
                    (36.25, 37.30, "A"),
                    (35.50, 36.80, "B"),
                ];
                let (lat, lon, area) = TOWNS[town];
                let date =
                    NaiveDate::from_ymd_opt(2024, 3, 1).unwrap() + chrono::Duration::days(day);
                ClusterEvent {
                    key: key(0),
                    event_type: [
                        "Battles",
                        "Explosions/Remote violence",
                        "Violence against civilians",
                    ][kind as usize]
                        .into(),
                    sub_event_type: (kind == 1).then(|| "Air/drone strike".into()),
                    date: Some(date),
                    date_end: None,
                    time_precision: time,
                    lat: placed.then_some(lat),
                    lon: placed.then_some(lon),
                    geo_precision: geo,
                    geonameid: Some(town as u32),
                    place: Some(format!("town {town}")),
                    // Some reports name no place at all.
                    country: (placed || town != 3).then(|| "SY".into()),
                    admin1: (placed || town != 3)
                        .then_some(area)
                        .filter(|_| geo < 3 || town != 1)
                        .map(str::to_string),
                    area_named: town == 0 && day % 2 == 0,
                    target: target.map(|t| ["medical", "market"][t].to_string()),
                    fatalities_low: toll,
                    fatalities_high: toll.map(|t| t + 2),
                    perpetrators: vec![["Military Forces of Syria", "HTS"][who].into()],
                    parties: vec![],
                    reported: Some(date + chrono::Duration::days(late)),
                }
            },
        )
}

fn events() -> impl Strategy<Value = Vec<ClusterEvent>> {
    prop::collection::vec(event(), 1..40).prop_map(|mut events| {
        for (i, e) in events.iter_mut().enumerate() {
            e.key = key(i as i64 + 1);
        }
        events
    })
}

fn resolve(events: &[ClusterEvent], constraints: &[Constraint]) -> Vec<Vec<EventRef>> {
    let mut resolver = Resolver::new(ResolverConfig::default());
    for c in constraints {
        resolver.constrain(*c);
    }
    for e in events {
        resolver.add(e.clone());
    }
    resolver.incidents()
}

/// Events spread over half a year, some of them told to the week or the month, some over a
/// stated range, a few with no date at all: a record long enough for a sweep to let groups go.
fn long_record() -> impl Strategy<Value = Vec<ClusterEvent>> {
    prop::collection::vec((event(), 0i64..180, 0u8..12, 0i64..40), 1..80).prop_map(|drawn| {
        drawn
            .into_iter()
            .enumerate()
            .map(|(i, (mut e, shift, shape, length))| {
                e.key = key(i as i64 + 1);
                let day = |d: Option<NaiveDate>| d.map(|d| d + chrono::Duration::days(shift));
                e.date = day(e.date);
                e.reported = day(e.reported);
                match shape {
                    0 => e.date_end = e.date.map(|d| d + chrono::Duration::days(length)),
                    1 => e.date = None,
                    2 => {
                        e.date = None;
                        e.reported = None;
                    }
                    _ => {}
                }
                e
            })
            .collect()
    })
}

/// Resolves `events` by a sweep: added in the order their windows start (those without one
/// first), each group let go as soon as no later event can reach it.
fn sweep(events: &[ClusterEvent], constraints: &[Constraint]) -> (Vec<Vec<EventRef>>, usize) {
    let mut resolver = Resolver::new(ResolverConfig::default());
    for c in constraints {
        resolver.constrain(*c);
    }
    let mut ordered: Vec<&ClusterEvent> = events.iter().collect();
    ordered.sort_by_key(|e| (e.window().map(|w| w.0), e.key));
    let mut incidents = Vec::new();
    let mut most_held = 0;
    for e in ordered {
        if let Some((start, _)) = e.window() {
            incidents.extend(resolver.close_before(start));
        }
        resolver.add(e.clone());
        most_held = most_held.max(resolver.len());
    }
    incidents.extend(resolver.incidents());
    incidents.sort();
    (incidents, most_held)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn a_sweep_gives_the_incidents_of_the_whole(
        events in long_record(),
        x in 0usize..80,
        y in 0usize..80,
        z in 0usize..80,
    ) {
        let n = events.len();
        let (a, b, c) = (key((x % n) as i64 + 1), key((y % n) as i64 + 1), key((z % n) as i64 + 1));
        let decisions: Vec<Constraint> = if a != b && b != c && a != c {
            vec![Constraint::Together { a, b }, Constraint::Apart { a: b, b: c }]
        } else {
            Vec::new()
        };
        let mut whole = resolve(&events, &decisions);
        whole.sort();
        let (swept, _) = sweep(&events, &decisions);
        prop_assert_eq!(whole, swept);
    }

    #[test]
    fn order_does_not_matter(events in events(), seed in any::<u64>()) {
        let forward = resolve(&events, &[]);
        let mut shuffled = events.clone();
        // A deterministic shuffle from the seed.
        let mut s = seed;
        for i in (1..shuffled.len()).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (s >> 33) as usize % (i + 1));
        }
        prop_assert_eq!(&forward, &resolve(&shuffled, &[]));
        let reversed: Vec<_> = events.iter().rev().cloned().collect();
        prop_assert_eq!(&forward, &resolve(&reversed, &[]));
    }

    #[test]
    fn the_rules_are_symmetric(a in event(), b in event()) {
        let config = ResolverConfig::default();
        let same = |v: Verdict| matches!(v, Verdict::Same(_));
        prop_assert_eq!(same(compare(&a, &b, &config)), same(compare(&b, &a, &config)));
    }

    #[test]
    fn the_index_misses_no_compatible_pair(events in events()) {
        let config = ResolverConfig::default();
        let mut resolver = Resolver::new(config);
        for e in &events {
            resolver.add(e.clone());
        }
        for a in &events {
            let group = resolver.group_of(a.key);
            for b in &events {
                if matches!(compare(a, b, &config), Verdict::Same(_)) {
                    prop_assert!(group.contains(&b.key), "{:?} and {:?} are compatible but apart", a.key, b.key);
                }
            }
        }
    }

    #[test]
    fn incidents_are_pairwise_compatible_and_cover_every_event(events in events()) {
        let config = ResolverConfig::default();
        let incidents = resolve(&events, &[]);
        let mut all: Vec<EventRef> = incidents.iter().flatten().copied().collect();
        all.sort();
        let mut keys: Vec<EventRef> = events.iter().map(|e| e.key).collect();
        keys.sort();
        prop_assert_eq!(all, keys);
        for incident in &incidents {
            for a in incident {
                for b in incident {
                    let (ea, eb) = (&events[a.document as usize - 1], &events[b.document as usize - 1]);
                    prop_assert!(a == b || matches!(compare(ea, eb, &config), Verdict::Same(_)));
                }
            }
        }
    }

    #[test]
    fn decisions_win_whatever_the_order(events in events(), x in 0usize..40, y in 0usize..40, z in 0usize..40) {
        let n = events.len();
        let (a, b, c) = (key((x % n) as i64 + 1), key((y % n) as i64 + 1), key((z % n) as i64 + 1));
        prop_assume!(a != b && b != c && a != c);
        let decisions = [Constraint::Together { a, b }, Constraint::Apart { a: b, b: c }];
        let forward = resolve(&events, &decisions);
        let reversed: Vec<_> = events.iter().rev().cloned().collect();
        prop_assert_eq!(&forward, &resolve(&reversed, &decisions));
        let of = |k: EventRef| forward.iter().position(|i| i.contains(&k)).unwrap();
        prop_assert_eq!(of(a), of(b));
        prop_assert_ne!(of(b), of(c));
    }
}

fn strike(
    document: i64,
    day: u32,
    lat: f64,
    lon: f64,
    geonameid: u32,
    target: Option<&str>,
    toll: u32,
) -> ClusterEvent {
    let date = NaiveDate::from_ymd_opt(2024, 5, day).unwrap();
    ClusterEvent {
        key: key(document),
        event_type: "Explosions/Remote violence".into(),
        sub_event_type: Some("Air/drone strike".into()),
        date: Some(date),
        date_end: None,
        time_precision: 1,
        lat: Some(lat),
        lon: Some(lon),
        geo_precision: 1,
        geonameid: Some(geonameid),
        place: None,
        country: Some("SY".into()),
        admin1: Some("Aleppo".into()),
        area_named: false,
        target: target.map(str::to_string),
        fatalities_low: Some(toll),
        fatalities_high: Some(toll),
        perpetrators: vec![],
        parties: vec![],
        reported: Some(date),
    }
}

#[test]
fn a_hospital_strike_and_a_strike_on_another_quarter_the_same_day_stay_apart() {
    let city = (36.20, 37.15);
    let quarter = (36.23, 37.12);
    let events = [
        strike(1, 3, city.0, city.1, 1, Some("medical"), 12),
        strike(2, 3, city.0, city.1, 1, Some("medical"), 14),
        strike(3, 3, quarter.0, quarter.1, 2, None, 4),
        strike(4, 3, quarter.0, quarter.1, 2, None, 5),
        // A vaguer report of the day, near both: it joins one of them, never both.
        ClusterEvent {
            geo_precision: 2,
            geonameid: None,
            target: None,
            ..strike(5, 3, 36.21, 37.14, 0, None, 12)
        },
    ];
    let incidents = resolve(&events, &[]);
    assert_eq!(incidents.len(), 2, "{incidents:?}");
    assert!(
        incidents
            .iter()
            .any(|i| i.contains(&key(1)) && i.contains(&key(2)))
    );
    assert!(
        incidents
            .iter()
            .any(|i| i.contains(&key(3)) && i.contains(&key(4)))
    );
}

#[test]
fn a_split_survives_new_reports_and_a_merge_survives_contradiction() {
    let events = [
        strike(1, 3, 36.2, 37.15, 1, Some("medical"), 12),
        strike(2, 3, 36.2, 37.15, 1, Some("medical"), 12),
        strike(3, 3, 36.2, 37.15, 1, Some("medical"), 13),
        strike(4, 9, 35.0, 36.0, 9, None, 200),
    ];
    let split = [Constraint::Apart {
        a: key(1),
        b: key(2),
    }];
    let incidents = resolve(&events, &split);
    let of = |k: EventRef| incidents.iter().position(|i| i.contains(&k)).unwrap();
    assert_ne!(of(key(1)), of(key(2)));
    let merged = [Constraint::Together {
        a: key(1),
        b: key(4),
    }];
    let incidents = resolve(&events, &merged);
    let of = |k: EventRef| incidents.iter().position(|i| i.contains(&k)).unwrap();
    assert_eq!(of(key(1)), of(key(4)));
}

#[test]
fn a_sweep_holds_only_the_weeks_it_is_in() {
    // A year of daily strikes in one town, each told twice: the sweep never holds more than
    // the few weeks a report's window can reach back.
    let mut events = Vec::new();
    for day in 0..365i64 {
        for told in 0..2 {
            let mut e = strike(day * 2 + told + 1, 1, 36.2, 37.16, 1, None, 3);
            e.date = e.date.map(|d| d + chrono::Duration::days(day));
            e.reported = e.date;
            events.push(e);
        }
    }
    let (incidents, most_held) = sweep(&events, &[]);
    assert_eq!(incidents.len(), 365);
    assert!(incidents.iter().all(|i| i.len() == 2));
    assert!(most_held < 40, "held {most_held} events at once");
}

#[test]
fn the_index_compares_few_pairs() {
    // 2,000 reports of 500 strikes in 200 towns over a year: all pairs would be ~2,000,000;
    // the index keeps it under 2% of that.
    let mut resolver = Resolver::new(ResolverConfig::default());
    for i in 0..2000i64 {
        let strike_no = i % 500;
        let town = (strike_no % 200) as f64;
        let mut e = strike(
            i + 1,
            1 + (strike_no % 28) as u32,
            33.0 + town * 0.03,
            36.0 + town * 0.02,
            strike_no as u32 % 200,
            None,
            3,
        );
        e.date = Some(
            NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + chrono::Duration::days(strike_no % 360),
        );
        e.reported = e.date;
        resolver.add(e);
    }
    assert_eq!(resolver.incidents().len(), 500);
    assert!(
        resolver.comparisons() < 40_000,
        "{} comparisons",
        resolver.comparisons()
    );
}

#[test]
fn a_report_naming_no_place_joins_the_strike_it_tells_in_detail_and_only_that() {
    let mut hospital = strike(1, 3, 36.20, 37.15, 1, Some("medical"), 10);
    let market = strike(2, 3, 35.50, 36.80, 2, Some("market"), 10);
    let mut nowhere = strike(3, 3, 0.0, 0.0, 0, Some("medical"), 9);
    nowhere.lat = None;
    nowhere.lon = None;
    nowhere.geonameid = None;
    nowhere.country = None;
    nowhere.admin1 = None;
    let config = ResolverConfig::default();
    assert!(truce_cluster::same_occurrence(&nowhere, &hospital, &config));
    assert!(!truce_cluster::same_occurrence(&nowhere, &market, &config));
    // Not the same day, another toll, or no target named: told apart.
    let other_day = ClusterEvent {
        date: NaiveDate::from_ymd_opt(2024, 5, 5),
        reported: NaiveDate::from_ymd_opt(2024, 5, 5),
        ..nowhere.clone()
    };
    assert!(!truce_cluster::same_occurrence(
        &other_day, &hospital, &config
    ));
    let other_toll = ClusterEvent {
        fatalities_low: Some(30),
        fatalities_high: Some(30),
        ..nowhere.clone()
    };
    assert!(!truce_cluster::same_occurrence(
        &other_toll,
        &hospital,
        &config
    ));
    let no_target = ClusterEvent {
        target: None,
        ..nowhere.clone()
    };
    assert!(!truce_cluster::same_occurrence(
        &no_target, &hospital, &config
    ));
    // Through the index, in either order.
    for order in [[0, 1, 2], [2, 1, 0]] {
        let all = [hospital.clone(), market.clone(), nowhere.clone()];
        let mut resolver = Resolver::new(config);
        for k in order {
            resolver.add(all[k].clone());
        }
        assert_eq!(
            resolver.incidents(),
            vec![vec![key(1), key(3)], vec![key(2)]]
        );
    }
    hospital.key = key(4);
    assert!(
        !truce_cluster::same_occurrence(
            &nowhere,
            &ClusterEvent {
                country: None,
                lat: None,
                lon: None,
                ..hospital
            },
            &config
        ),
        "two reports that name no place never match"
    );
}

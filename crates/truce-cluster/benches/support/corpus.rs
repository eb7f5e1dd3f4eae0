//! The generated corpus the resolver is measured on (shared by the bench and the memory
//! example): 1,000,000 events telling 250,000 occurrences (one to seven reports each) spread over
//! three years and a 6 x 8 degree region the size of Syria, in 2,000 towns, with reports that
//! disagree on tolls, give vaguer places and arrive shuffled.

use chrono::NaiveDate;
use truce_cluster::{ClusterEvent, EventRef};

/// A small deterministic generator (SplitMix64), so the corpus is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Generates `n` events, reports of `n / 4` occurrences, in arrival order (shuffled).
pub fn corpus(n: usize) -> Vec<ClusterEvent> {
    const KINDS: [&str; 4] = [
        "Explosions/Remote violence",
        "Battles",
        "Violence against civilians",
        "Protests",
    ];
    const TARGETS: [Option<&str>; 5] = [None, None, None, Some("medical"), Some("market")];
    let mut rng = Rng(7);
    let towns: Vec<(f64, f64)> = (0..2000)
        .map(|_| (32.0 + 6.0 * rng.unit(), 35.5 + 8.0 * rng.unit()))
        .collect();
    let start = NaiveDate::from_ymd_opt(2016, 1, 1).expect("date");
    let mut events = Vec::with_capacity(n);
    let mut document = 0i64;
    while events.len() < n {
        let town = rng.below(towns.len() as u64) as usize;
        let (lat, lon) = towns[town];
        let day = start + chrono::Duration::days(rng.below(3 * 365) as i64);
        let kind = KINDS[rng.below(4) as usize];
        let target = TARGETS[rng.below(5) as usize];
        let toll = rng.below(40) as u32;
        let reports = 1 + rng.below(7) as usize;
        for _ in 0..reports.min(n - events.len()) {
            document += 1;
            let vague = rng.below(10) == 0;
            let said = toll + rng.below(toll as u64 / 2 + 2) as u32;
            events.push(ClusterEvent {
                key: EventRef {
                    document,
                    ordinal: 0,
                },
                event_type: kind.into(),
                sub_event_type: None,
                date: Some(day),
                date_end: None,
                time_precision: 1,
                lat: Some(lat),
                lon: Some(lon),
                geo_precision: if vague { 2 } else { 1 },
                geonameid: Some(town as u32 + 1),
                place: Some(format!("Town {town}")),
                country: Some("SY".into()),
                admin1: Some(format!("Area {}", town % 14)),
                area_named: false,
                target: target.map(str::to_string),
                fatalities_low: Some(said),
                fatalities_high: Some(said),
                perpetrators: Vec::new(),
                parties: Vec::new(),
                reported: Some(day + chrono::Duration::days(rng.below(3) as i64)),
            });
        }
    }
    // Reports arrive interleaved, not grouped by occurrence.
    for i in (1..events.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        events.swap(i, j);
    }
    events
}

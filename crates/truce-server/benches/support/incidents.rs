//! The generated incident record the server is loaded with: `n` incidents spread evenly over ten
//! years (2016-2025) and a 6 x 8 degree region the size of Syria, in 2,000 towns across 14
//! provinces, with ACLED types, tolls, alleged perpetrators and targets in realistic proportions.
//! Deterministic: the same record on every run.

use chrono::NaiveDate;
use truce_model::{Attribution, Count, EventRef, Incident, Location};

/// A small deterministic generator (SplitMix64).
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    /// A number in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The provinces incidents fall in (admin1 names).
pub const PROVINCES: [&str; 14] = [
    "Aleppo",
    "Idlib",
    "Hama",
    "Homs",
    "Latakia",
    "Tartus",
    "Raqqa",
    "Deir ez-Zor",
    "Hasakah",
    "Damascus",
    "Rif Dimashq",
    "Daraa",
    "Quneitra",
    "As-Suwayda",
];

/// ACLED event types, weighted toward what conflict records hold most.
pub const KINDS: [&str; 6] = [
    "Explosions/Remote violence",
    "Explosions/Remote violence",
    "Battles",
    "Battles",
    "Violence against civilians",
    "Strategic developments",
];

const PERPETRATORS: [&str; 6] = [
    "Military Forces of Syria",
    "Military Forces of Russia",
    "Hayat Tahrir al-Sham",
    "Syrian Democratic Forces",
    "Islamic State",
    "Syrian National Army",
];

const TARGETS: [Option<&str>; 8] = [
    None,
    None,
    None,
    None,
    Some("medical"),
    Some("market"),
    Some("school"),
    Some("residential"),
];

/// The first day of the record.
pub fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2016, 1, 1).expect("a valid date")
}

/// How many days the record spans.
pub const DAYS: u64 = 3653;

/// Generates incidents `from..to` of the record (so it can be written in batches).
pub fn incidents(from: usize, to: usize) -> Vec<Incident> {
    let mut towns_rng = Rng(11);
    let towns: Vec<(String, f64, f64, &str)> = (0..2000)
        .map(|t| {
            let lat = 32.0 + 6.0 * towns_rng.unit();
            let lon = 35.5 + 8.0 * towns_rng.unit();
            let province = PROVINCES[towns_rng.below(PROVINCES.len() as u64) as usize];
            (format!("Town {t}"), lat, lon, province)
        })
        .collect();
    (from..to)
        .map(|n| {
            let mut rng = Rng(0xC0FFEE ^ (n as u64).wrapping_mul(0x2545_F491_4F6C_DD1D));
            let (name, lat, lon, province) = &towns[rng.below(towns.len() as u64) as usize];
            let day = first_day() + chrono::Duration::days(rng.below(DAYS) as i64);
            let killed = if rng.below(3) == 0 {
                None
            } else {
                Some(rng.below(30) as u32)
            };
            let sources = 1 + rng.below(5) as u32;
            let perpetrators = if rng.below(4) == 0 {
                Vec::new()
            } else {
                vec![Attribution {
                    name: PERPETRATORS[rng.below(PERPETRATORS.len() as u64) as usize].into(),
                    sources,
                    inter: None,
                    named_by: Vec::new(),
                }]
            };
            Incident {
                event_type: KINDS[rng.below(KINDS.len() as u64) as usize].into(),
                sub_event_type: None,
                date: Some(day),
                date_end: None,
                time_precision: 1,
                location: Some(Location {
                    name: name.clone(),
                    geonameid: None,
                    lat: Some(*lat),
                    lon: Some(*lon),
                    country: Some("SY".into()),
                    admin1: Some((*province).into()),
                    admin2: None,
                    geo_precision: Some(1),
                }),
                fatalities: killed.map(|k| Count {
                    low: Some(k),
                    best: Some(k),
                    high: Some(k + rng.below(4) as u32),
                }),
                fatalities_from: None,
                injured: None,
                perpetrators,
                target: TARGETS[rng.below(TARGETS.len() as u64) as usize].map(str::to_string),
                civilian_targeting: None,
                first_reported: Some(day),
                last_reported: Some(day),
                sources: (0..sources)
                    .map(|s| EventRef {
                        document: n as i64 * 8 + i64::from(s),
                        ordinal: 0,
                    })
                    .collect(),
                claims: Vec::new(),
            }
        })
        .collect()
}

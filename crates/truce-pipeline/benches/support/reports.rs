//! Generated short reports for the ingest benchmarks: occurrences of violence in towns of
//! fifteen countries at war, each told by one to three reports of ACLED-note length (150-250
//! characters) whose tolls disagree, published the day of the occurrence or the day after.
//! Deterministic: occurrence `n` of a stream is always the same.
//!
//! Two calendars: [`Calendar::Spread`] scatters the occurrences over ten years (2016-2025), so
//! that a larger record is a denser one, every day holding more; [`Calendar::Daily`] gives each
//! day the same number of occurrences, from 1 January 1990 on, so that a larger record is a
//! longer one, as a mission's record grows with the years it keeps.
//!
//! Towns are the gazetteer's populated places of those countries with at least 5,000
//! inhabitants and a plain Latin name, kept only where the engine places a report naming them
//! within 10 km of the town (so that the reports are resolved as a monitor's notes would be).

use chrono::{Duration, NaiveDate};
use truce_extract::{ExtractInput, Extractor};
use truce_geo::PlaceKind;

/// The countries reports come from (ISO codes).
const COUNTRIES: [&str; 15] = [
    "SY", "YE", "IQ", "AF", "SO", "NG", "UA", "SD", "MM", "ML", "CD", "LY", "BF", "ET", "PK",
];

/// How a report tells an occurrence (`{town}`, `{country}`, `{date}`, `{killed}`, `{wounded}`).
const TELLINGS: [&str; 8] = [
    "An air strike hit a market in {town}, {country}, on {date}, killing {killed} people and \
     wounding {wounded}, local officials said.",
    "Government forces shelled {town} in {country} on {date}; {killed} civilians were killed, a \
     monitoring group reported.",
    "Clashes between rebels and the army near {town}, {country}, left {killed} fighters dead on \
     {date}.",
    "A car bomb exploded at a checkpoint in {town}, {country} on {date}, killing {killed} people.",
    "Gunmen attacked a village near {town}, {country}, on {date} and killed {killed} residents, \
     police said.",
    "A roadside bomb struck a bus outside {town} ({country}) on {date}, killing {killed} \
     passengers and injuring {wounded}.",
    "Drones struck a fuel depot in {town}, {country}, on {date}; {killed} workers died, the \
     regional governor said.",
    "Residents of {town} in {country} protested on {date} against the rising price of bread; no \
     one was hurt.",
];

/// A town reports can name.
#[derive(Debug, Clone)]
pub struct Town {
    /// Its name as reports write it.
    pub name: String,
    /// The country's name.
    pub country: String,
}

/// A small deterministic generator (SplitMix64).
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
}

fn plain(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphabetic() || c == ' ' || c == '-')
}

/// The towns of [`COUNTRIES`] the engine places where they are.
pub fn towns(engine: &Extractor) -> Vec<Town> {
    let gazetteer = engine.gazetteer();
    let mut towns = Vec::new();
    for (_, place) in gazetteer.places() {
        let Some(cc) = place.country else { continue };
        if place.kind != PlaceKind::City
            || place.population < 5_000
            || !COUNTRIES.contains(&cc.as_str())
        {
            continue;
        }
        let Some(name) = std::iter::once(&place.name)
            .chain(&place.alternate_names)
            .find(|n| plain(n))
        else {
            continue;
        };
        let Some(country) = gazetteer
            .country(cc)
            .map(|id| gazetteer.place(id).name.clone())
        else {
            continue;
        };
        let probe = engine.extract(&ExtractInput {
            id: String::new(),
            text: format!("Shelling hit {name}, {country}, on Monday, killing two people."),
            published: NaiveDate::from_ymd_opt(2020, 1, 1),
        });
        let placed = probe
            .events
            .first()
            .and_then(|e| e.location.as_ref())
            .and_then(|l| {
                let (lat, lon) = (l.lat?, l.lon?);
                let km = 111.2 * ((lat - place.lat).powi(2) + (lon - place.lon).powi(2)).sqrt();
                Some(km <= 10.0)
            });
        if placed == Some(true) {
            towns.push(Town {
                name: name.clone(),
                country,
            });
        }
    }
    towns.sort_by(|a, b| (&a.country, &a.name).cmp(&(&b.country, &b.name)));
    towns.dedup_by(|a, b| a.name == b.name && a.country == b.country);
    towns
}

/// When the occurrences of a stream happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Calendar {
    /// On days drawn at random from ten years (2016-2025).
    Spread,
    /// In order, this many a day from 1 January 1990: occurrence `n` on day `n / per_day`.
    Daily(u64),
}

impl Calendar {
    /// The day occurrence `n` happens on (`draw` is its own random number).
    fn day(self, n: u64, draw: u64) -> NaiveDate {
        match self {
            Self::Spread => {
                NaiveDate::from_ymd_opt(2016, 1, 1).expect("a date")
                    + Duration::days((draw % 3_652) as i64)
            }
            Self::Daily(per_day) => {
                NaiveDate::from_ymd_opt(1990, 1, 1).expect("a date")
                    + Duration::days((n / per_day.max(1)) as i64)
            }
        }
    }
}

/// The reports telling occurrences `from..to` of stream `stream` (streams are independent: a
/// database is built from one, measured batches may come from others), as JSONL lines.
pub fn reports(towns: &[Town], calendar: Calendar, stream: u64, from: u64, to: u64) -> Vec<String> {
    let mut lines = Vec::new();
    for n in from..to {
        let mut rng = Rng(stream.wrapping_mul(0x1_0000_0001).wrapping_add(n));
        let town = &towns[rng.below(towns.len() as u64) as usize];
        let day = calendar.day(n, rng.next());
        let telling = TELLINGS[rng.below(TELLINGS.len() as u64) as usize];
        let killed = 1 + rng.below(30);
        let told = [1, 1, 1, 2, 2, 3][rng.below(6) as usize];
        for copy in 0..told {
            let published = day + Duration::days(rng.below(2) as i64);
            let text = telling
                .replace("{town}", &town.name)
                .replace("{country}", &town.country)
                .replace("{date}", &day.format("%-d %B %Y").to_string())
                .replace("{killed}", &(killed + rng.below(3)).to_string())
                .replace("{wounded}", &rng.below(40).to_string());
            lines.push(
                serde_json::json!({
                    "id": format!("s{stream}-o{n}-r{copy}"),
                    "text": text,
                    "published": published.format("%Y-%m-%d").to_string(),
                })
                .to_string(),
            );
        }
    }
    lines
}

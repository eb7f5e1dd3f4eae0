//! Incident resolution: events extracted from many reports become incidents, one per
//! occurrence, each keeping every source.
//!
//! Two events are the same occurrence when [`same_occurrence`] says so: the same kind of event,
//! places within a radius that grows with their imprecision (or the same named place), dates that
//! overlap given their precision, targets and casualty figures that do not contradict each other.
//! Incidents are the connected groups of that relation, so they do not depend on the order events
//! arrive in: adding events one by one ([`Resolver::add`]) gives the same incidents as clustering
//! them all at once. People's decisions are constraints ([`Constraint`]): events a person merged
//! stay together, events a person split stay apart, whatever the rules say.
//!
//! ```
//! use chrono::NaiveDate;
//! use truce_cluster::{ClusterEvent, EventRef, Resolver, ResolverConfig};
//!
//! let strike = |doc: i64, deaths: u32| ClusterEvent {
//!     key: EventRef { document: doc, ordinal: 0 },
//!     event_type: "Explosions/Remote violence".into(),
//!     sub_event_type: Some("Air/drone strike".into()),
//!     date: NaiveDate::from_ymd_opt(2016, 4, 27),
//!     date_end: None,
//!     time_precision: 1,
//!     lat: Some(36.2),
//!     lon: Some(37.16),
//!     geo_precision: 1,
//!     geonameid: Some(170063),
//!     place: Some("Aleppo".into()),
//!     country: Some("SY".into()),
//!     admin1: Some("Aleppo".into()),
//!     area_named: false,
//!     target: Some("medical".into()),
//!     fatalities_low: Some(deaths),
//!     fatalities_high: None,
//!     perpetrators: vec!["Military Forces of Syria".into()],
//!     parties: vec![],
//!     reported: NaiveDate::from_ymd_opt(2016, 4, 28),
//! };
//! let mut resolver = Resolver::new(ResolverConfig::default());
//! resolver.add(strike(1, 20));
//! resolver.add(strike(2, 27));
//! resolver.add(ClusterEvent { target: Some("market".into()), ..strike(3, 5) });
//! // The hospital strike reported twice is one incident; the market strike stays apart.
//! assert_eq!(resolver.incidents().len(), 2);
//! ```

mod event;
mod incident;
mod resolver;
mod rules;

pub use event::ClusterEvent;
pub use incident::{Source, merge};
pub use resolver::{Constraint, Resolver};
pub use rules::{Difference, ResolverConfig, Verdict, compare, compatible_kinds, same_occurrence};
pub use truce_model::EventRef;

//! When two reported events are the same occurrence.
//!
//! The rules compare two events and either find them compatible, with a strength that says how
//! alike they are, or name what tells them apart. They are symmetric and look at nothing but the
//! two events, which is what makes the incidents independent of the order reports arrive in.

use serde::{Deserialize, Serialize};

use crate::event::ClusterEvent;

/// The resolver's tolerances.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ResolverConfig {
    /// Two town-precise places with different gazetteer entries are still the same place when
    /// they are this close (km): duplicate entries, a village and its quarter.
    pub same_place_km: f64,
    /// How far apart (km) two events may be when either is only placed near a town
    /// (`geo_precision` 2).
    pub near_km: f64,
    /// Death tolls contradict when the larger is more than this many times the smaller...
    pub toll_ratio: f64,
    /// ...and larger by more than this many deaths. Tolls rise as bodies are found, so only a
    /// wide gap separates reports.
    pub toll_gap: u32,
}

impl Default for ResolverConfig {
    fn default() -> Self {
        Self {
            same_place_km: 2.0,
            near_km: 25.0,
            toll_ratio: 8.0,
            toll_gap: 20,
        }
    }
}

/// What tells two events apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Difference {
    /// Different kinds of event.
    Kind,
    /// One of them has no usable date.
    Undated,
    /// Their dates do not overlap.
    Date,
    /// One of them has no place.
    Unplaced,
    /// Their places are too far apart, or are different named places.
    Place,
    /// They hit different kinds of target (a hospital, a market).
    Target,
    /// Their death tolls contradict each other.
    Toll,
    /// Battles between different parties.
    Parties,
}

impl Difference {
    /// A short phrase for people.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Kind => "different kinds of event",
            Self::Undated => "no usable date",
            Self::Date => "different dates",
            Self::Unplaced => "no place",
            Self::Place => "different places",
            Self::Target => "different targets",
            Self::Toll => "contradicting death tolls",
            Self::Parties => "different warring parties",
        }
    }
}

/// The comparison of two events.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Verdict {
    /// Compatible: they may be the same occurrence. The strength orders merges (higher first).
    Same(f64),
    /// Told apart.
    Different(Difference),
}

/// Whether two events may be the same occurrence (see [`compare`]).
pub fn same_occurrence(a: &ClusterEvent, b: &ClusterEvent, config: &ResolverConfig) -> bool {
    matches!(compare(a, b, config), Verdict::Same(_))
}

const REMOTE: &str = "Explosions/Remote violence";
const CIVILIANS: &str = "Violence against civilians";

/// Explosions are also told as violence against civilians when civilians died.
fn kinds_compatible(a: &str, b: &str) -> bool {
    a == b || (a == REMOTE && b == CIVILIANS) || (a == CIVILIANS && b == REMOTE)
}

/// Every event type an event of this type may be the same occurrence as (see [`compare`]), so
/// that a candidate search can leave the others out.
pub fn compatible_kinds(event_type: &str) -> Vec<String> {
    match event_type {
        REMOTE | CIVILIANS => vec![REMOTE.to_string(), CIVILIANS.to_string()],
        other => vec![other.to_string()],
    }
}

/// The precision the rules use: an event without coordinates is placed by its area only.
pub(crate) fn effective_precision(e: &ClusterEvent) -> u8 {
    e.precision()
}

/// Whether two events give death tolls within half again of each other (and not none).
fn tolls_agree(a: &ClusterEvent, b: &ClusterEvent) -> bool {
    match (a.fatalities_high, b.fatalities_high) {
        (Some(x), Some(y)) => {
            let (lo, hi) = (x.min(y), x.max(y));
            lo > 0 && f64::from(hi) <= 1.5 * f64::from(lo)
        }
        _ => false,
    }
}

/// Compares two events.
///
/// - **Kind**: the same ACLED event type (explosions and violence against civilians are
///   interchangeable: the same strike is told both ways).
/// - **Unplaced**: an event that names no place at all matches a placed one only when both are
///   dated to the day and it tells the same sub-event type, the same target and a toll within
///   half again; two unplaced events never match.
/// - **Date**: the days each may have happened on overlap (see [`ClusterEvent::window`]); two
///   dates that both only repeat their report's publication date must be the same day.
/// - **Place**: by the less precise of the two. Town-precise: the same gazetteer entry, or
///   within `same_place_km`. Near a town: within `near_km`, unless both name a town and the
///   towns differ (then within `same_place_km`). Region (or a town named like its
///   region, see [`ClusterEvent::names_its_area`]): the same first-order area. Country only:
///   another country-level event, or a more precise one of the same event type with a toll
///   within half again. Different countries never match.
/// - **Target**: when both name what was hit, the same kind of target, unless their tolls agree
///   within a tenth.
/// - **Tolls**: death tolls do not contradict (`toll_ratio` and `toll_gap`).
/// - **Parties**: battles that both name their parties share at least one.
///
/// Who is blamed never separates reports: conflicting attributions of one strike are what an
/// incident must gather.
pub fn compare(a: &ClusterEvent, b: &ClusterEvent, config: &ResolverConfig) -> Verdict {
    use Difference::*;
    if !kinds_compatible(&a.event_type, &b.event_type) {
        return Verdict::Different(Kind);
    }
    let (Some(wa), Some(wb)) = (a.window(), b.window()) else {
        return Verdict::Different(Undated);
    };
    let dates_match = if a.date_is_publication() && b.date_is_publication() {
        a.date == b.date
    } else {
        wa.0 <= wb.1 && wb.0 <= wa.1
    };
    if !dates_match {
        return Verdict::Different(Date);
    }
    match (a.unplaced(), b.unplaced()) {
        (true, true) => return Verdict::Different(Unplaced),
        // A report that names no place ("in the north-west of the country") is the same
        // occurrence as a placed one only when it tells it in detail: the same day, the same
        // kind of attack on the same kind of target, and a toll within half again.
        (true, false) | (false, true) => {
            let (vague, other) = if a.unplaced() { (a, b) } else { (b, a) };
            let told_alike = vague.time_precision == 1
                && other.time_precision == 1
                && vague.sub_event_type.is_some()
                && vague.sub_event_type == other.sub_event_type
                && vague.target.is_some()
                && vague.target == other.target
                && tolls_agree(vague, other);
            return if told_alike {
                Verdict::Same(8.0 - if a.date == b.date { 0.0 } else { 1.0 })
            } else {
                Verdict::Different(Unplaced)
            };
        }
        (false, false) => {}
    }
    if let (Some(ca), Some(cb)) = (&a.country, &b.country)
        && ca != cb
    {
        return Verdict::Different(Place);
    }
    let (pa, pb) = (effective_precision(a), effective_precision(b));
    let precision = pa.max(pb);
    let distance = match (a.point(), b.point()) {
        (Some(x), Some(y)) => Some(truce_geo::distance::distance_km(x, y)),
        _ => None,
    };
    let same_entry = a.geonameid.is_some() && a.geonameid == b.geonameid;
    // Two reports that each name a town, different towns, speak of different places, even when
    // one says "near": a strike near Taftanaz is not the strike in Binnish 8 km away.
    // Battles are the exception: a front runs through several villages.
    let two_towns = !(a.event_type == "Battles" && b.event_type == "Battles")
        && pa <= 2
        && pb <= 2
        && a.geonameid.is_some()
        && b.geonameid.is_some()
        && !same_entry;
    let places_match = match precision {
        1 => same_entry || distance.is_some_and(|d| d <= config.same_place_km),
        2 if two_towns => distance.is_some_and(|d| d <= config.same_place_km),
        2 => same_entry || distance.is_some_and(|d| d <= config.near_km),
        _ if a.country.is_none() || a.country != b.country => false,
        _ => {
            // The vaguer event names an area; the other must lie in it.
            // The vaguer is the less precise, or at equal precision the one without an area.
            let a_vaguer = (pa, a.admin1.is_none()) >= (pb, b.admin1.is_none());
            let (vague, other) = if a_vaguer { (a, b) } else { (b, a) };
            match &vague.admin1 {
                Some(area) => other.admin1.as_ref() == Some(area),
                None if effective_precision(other) == 3 && other.admin1.is_none() => true,
                // Only the country is known: the other report must say the same thing in
                // detail (the same event type and a toll within half again).
                None => {
                    tolls_agree(vague, other)
                        && (vague.event_type == other.event_type
                            || vague.sub_event_type.is_some()
                                && vague.sub_event_type == other.sub_event_type)
                }
            }
        }
    };
    if !places_match {
        return Verdict::Different(Place);
    }
    // Targets are read from loose wording (a bus of pilgrims is a religious target to one
    // report, a market to another); the same toll, to the death, outweighs them.
    let same_toll = match (a.fatalities_high, b.fatalities_high) {
        (Some(x), Some(y)) => x > 0 && x.abs_diff(y) * 10 <= x.max(y),
        _ => false,
    };
    if let (Some(ta), Some(tb)) = (&a.target, &b.target)
        && ta != tb
        && !same_toll
    {
        return Verdict::Different(Target);
    }
    let tolls = match (
        a.fatalities_low,
        a.fatalities_high,
        b.fatalities_low,
        b.fatalities_high,
    ) {
        (Some(al), Some(ah), Some(bl), Some(bh)) => Some((al, ah, bl, bh)),
        _ => None,
    };
    if let Some((al, ah, bl, bh)) = tolls {
        let larger = al.max(bl);
        let smaller = ah.min(bh);
        if larger > smaller
            && f64::from(larger) > config.toll_ratio * f64::from(smaller.max(1))
            && larger - smaller > config.toll_gap
        {
            return Verdict::Different(Toll);
        }
    }
    let shared_perpetrator = a.perpetrators.iter().any(|p| b.perpetrators.contains(p));
    if a.event_type == "Battles" && b.event_type == "Battles" {
        let named = |e: &ClusterEvent| e.perpetrators.len() + e.parties.len() > 0;
        let shares = a
            .perpetrators
            .iter()
            .chain(&a.parties)
            .any(|p| b.perpetrators.contains(p) || b.parties.contains(p));
        if named(a) && named(b) && !shares {
            return Verdict::Different(Parties);
        }
    }

    let mut strength = 10.0 + f64::from(3 - precision);
    if same_entry {
        strength += 3.0;
    }
    if let Some(d) = distance {
        strength -= d / 5.0;
    }
    if a.date == b.date {
        strength += 2.0;
    }
    if a.sub_event_type.is_some() && a.sub_event_type == b.sub_event_type {
        strength += 1.0;
    }
    if a.target.is_some() && a.target == b.target {
        strength += 1.0;
    }
    if shared_perpetrator {
        strength += 1.0;
    }
    if let Some((al, _, bl, _)) = tolls {
        strength -= ((f64::from(al) + 1.0).ln() - (f64::from(bl) + 1.0).ln()).abs();
    }
    Verdict::Same(strength)
}

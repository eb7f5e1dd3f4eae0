//! The codes of ACLED's and UCDP GED's codebooks, in one place: what truce's exports write and
//! what its imports read back. Each table is written once, both ways.
//!
//! ```
//! use truce_model::codebook::{ActorCategory, ViolenceType, interaction};
//! use truce_model::EventType;
//!
//! let state = ActorCategory::StateForces;
//! assert_eq!(interaction(Some(ActorCategory::Civilians), Some(state)), Some(17));
//! assert_eq!(ActorCategory::parse("Rebel group"), Some(ActorCategory::RebelGroup));
//! assert_eq!(
//!     ViolenceType::of(EventType::ExplosionsRemoteViolence, true, false),
//!     Some(ViolenceType::StateBased)
//! );
//! assert_eq!(ViolenceType::of(EventType::Protests, false, false), None);
//! ```

use crate::acled::{EventType, SubEvent};

/// ACLED's actor categories: the `inter1` and `inter2` columns (numbers before ACLED's 2024
/// codebook, the same categories in words after it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ActorCategory {
    /// 1: a state's military and police, at home.
    StateForces,
    /// 2: rebel groups.
    RebelGroup,
    /// 3: political militias.
    PoliticalMilitia,
    /// 4: identity (communal, ethnic, religious) militias.
    IdentityMilitia,
    /// 5: rioters.
    Rioters,
    /// 6: protesters.
    Protesters,
    /// 7: civilians.
    Civilians,
    /// 8: external or other forces: another state's forces, international forces, private
    /// security firms.
    ExternalOrOtherForces,
}

impl ActorCategory {
    /// Every category, in code order.
    pub const ALL: [ActorCategory; 8] = [
        Self::StateForces,
        Self::RebelGroup,
        Self::PoliticalMilitia,
        Self::IdentityMilitia,
        Self::Rioters,
        Self::Protesters,
        Self::Civilians,
        Self::ExternalOrOtherForces,
    ];

    /// Its code, 1 to 8.
    pub fn code(self) -> u8 {
        self as u8 + 1
    }

    /// The category of a code, 1 to 8.
    pub fn from_code(code: u8) -> Option<Self> {
        Self::ALL.get(usize::from(code).checked_sub(1)?).copied()
    }

    /// Its name in ACLED's 2024 codebook ("State forces").
    pub fn label(self) -> &'static str {
        match self {
            Self::StateForces => "State forces",
            Self::RebelGroup => "Rebel group",
            Self::PoliticalMilitia => "Political militia",
            Self::IdentityMilitia => "Identity militia",
            Self::Rioters => "Rioters",
            Self::Protesters => "Protesters",
            Self::Civilians => "Civilians",
            Self::ExternalOrOtherForces => "External/Other forces",
        }
    }

    /// Reads a code ("1") or a name in any case ("state forces"); `None` for anything else,
    /// the empty field included.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        if let Ok(code) = text.parse::<u8>() {
            return Self::from_code(code);
        }
        Self::ALL
            .into_iter()
            .find(|c| c.label().eq_ignore_ascii_case(text))
    }
}

/// ACLED's interaction code of an event's two actor categories: the lower code first, so that
/// state forces against civilians is 17 whichever side each is on; an actor alone is its code
/// and 0 (10: state forces acting alone). `None` when the first actor is unknown.
pub fn interaction(a: Option<ActorCategory>, b: Option<ActorCategory>) -> Option<u8> {
    match (a, b) {
        (Some(a), Some(b)) => Some(10 * a.code().min(b.code()) + a.code().max(b.code())),
        (Some(a), None) | (None, Some(a)) => Some(10 * a.code()),
        (None, None) => None,
    }
}

/// UCDP's types of organised violence (`type_of_violence`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ViolenceType {
    /// 1: state-based conflict: at least one side is the government of a state.
    StateBased,
    /// 2: non-state conflict: organised groups, none of them a state's government.
    NonState,
    /// 3: one-sided violence: an organised group or a government against civilians.
    OneSided,
}

impl ViolenceType {
    /// Its code, 1 to 3.
    pub fn code(self) -> u8 {
        match self {
            Self::StateBased => 1,
            Self::NonState => 2,
            Self::OneSided => 3,
        }
    }

    /// The type of a code, 1 to 3.
    pub fn from_code(code: u8) -> Option<Self> {
        match code {
            1 => Some(Self::StateBased),
            2 => Some(Self::NonState),
            3 => Some(Self::OneSided),
            _ => None,
        }
    }

    /// Whether UCDP counts events of ACLED type `event_type` as organised violence: battles,
    /// explosions and remote violence, violence against civilians; not protests, riots or
    /// strategic developments.
    pub fn covers(event_type: EventType) -> bool {
        !matches!(
            event_type,
            EventType::Protests | EventType::Riots | EventType::StrategicDevelopments
        )
    }

    /// The UCDP type of an event of ACLED type `event_type`: `None` for what UCDP does not
    /// count as organised violence ([`ViolenceType::covers`]); one-sided when civilians were
    /// the target (`one_sided`); state-based when a side is a state's forces (`state_side`, a
    /// foreign state's too); non-state otherwise.
    pub fn of(event_type: EventType, state_side: bool, one_sided: bool) -> Option<Self> {
        match event_type {
            t if !Self::covers(t) => None,
            EventType::ViolenceAgainstCivilians => Some(Self::OneSided),
            _ if one_sided => Some(Self::OneSided),
            _ if state_side => Some(Self::StateBased),
            _ => Some(Self::NonState),
        }
    }

    /// The ACLED event type an imported UCDP event is compared as: one-sided violence is
    /// violence against civilians, the conflicts battles.
    pub fn event_type(self) -> EventType {
        match self {
            Self::OneSided => EventType::ViolenceAgainstCivilians,
            Self::StateBased | Self::NonState => EventType::Battles,
        }
    }
}

/// UCDP's `where_prec` of an ACLED `geo_precision`: 1 the exact place, 2 within 25 km, 3 (a
/// larger area: the province's point) the first-order administrative area, 4. Anything else is
/// the country, 6.
pub fn where_prec(geo_precision: u8) -> u8 {
    match geo_precision {
        1 => 1,
        2 => 2,
        3 => 4,
        _ => 6,
    }
}

/// ACLED's `geo_precision` of a UCDP `where_prec` (1 exact place, 2 within 25 km, 3 a district,
/// 4 a province, 5 a line between places, 6 the country, 7 waters or airspace): the exact place
/// 1, near it (or along a line) 2, an area or the country 3.
pub fn geo_precision_of_where_prec(where_prec: u8) -> Option<u8> {
    match where_prec {
        1 => Some(1),
        2 | 5 => Some(2),
        3 | 4 | 6 | 7 => Some(3),
        _ => None,
    }
}

/// UCDP's `date_prec` of an ACLED `time_precision`: the day 1, the week 3, the month 4,
/// anything longer 5.
pub fn date_prec(time_precision: u8) -> u8 {
    match time_precision {
        1 => 1,
        2 => 3,
        3 => 4,
        _ => 5,
    }
}

/// ACLED's `time_precision` of a UCDP `date_prec` (1 the day, 2 two to six days, 3 a week,
/// 4 a month, 5 longer): the day 1, the week 2, the month or longer 3.
pub fn time_precision_of_date_prec(date_prec: u8) -> Option<u8> {
    match date_prec {
        1 => Some(1),
        2 | 3 => Some(2),
        4 | 5 => Some(3),
        _ => None,
    }
}

/// An event type as any ACLED release has spelled it: today's six types, and the nine of the
/// releases before 2019 (their "Violence against civilians" is today's) ("Battle-No change of territory", "Remote violence", "Riots/Protests",
/// ...) read as today's type, with the sub-event type where the old name says it. "Riots/Protests"
/// is read as protests (the old codebook did not tell them apart).
pub fn acled_event_type(text: &str) -> Option<(EventType, Option<SubEvent>)> {
    if let Some(t) = EventType::parse(text) {
        return Some((t, None));
    }
    let text = text.trim();
    let old: [(&str, EventType, Option<SubEvent>); 8] = [
        (
            "Battle-No change of territory",
            EventType::Battles,
            Some(SubEvent::ArmedClash),
        ),
        (
            "Battle-Government regains territory",
            EventType::Battles,
            Some(SubEvent::GovernmentRegainsTerritory),
        ),
        (
            "Battle-Non-state actor overtakes territory",
            EventType::Battles,
            Some(SubEvent::NonStateActorOvertakesTerritory),
        ),
        ("Remote violence", EventType::ExplosionsRemoteViolence, None),
        ("Riots/Protests", EventType::Protests, None),
        (
            "Strategic development",
            EventType::StrategicDevelopments,
            None,
        ),
        (
            "Headquarters or base established",
            EventType::StrategicDevelopments,
            Some(SubEvent::HeadquartersEstablished),
        ),
        (
            "Non-violent transfer of territory",
            EventType::StrategicDevelopments,
            Some(SubEvent::NonViolentTransfer),
        ),
    ];
    old.into_iter()
        .find(|(name, _, _)| name.eq_ignore_ascii_case(text))
        .map(|(_, t, s)| (t, s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actor_categories_read_back_what_they_write() {
        for c in ActorCategory::ALL {
            assert_eq!(ActorCategory::from_code(c.code()), Some(c));
            assert_eq!(ActorCategory::parse(&c.code().to_string()), Some(c));
            assert_eq!(ActorCategory::parse(&c.label().to_uppercase()), Some(c));
        }
        assert_eq!(ActorCategory::StateForces.code(), 1);
        assert_eq!(ActorCategory::ExternalOrOtherForces.code(), 8);
        for bad in ["", "0", "9", "militia", "256"] {
            assert_eq!(ActorCategory::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn interaction_codes_put_the_lower_category_first() {
        use ActorCategory::*;
        assert_eq!(interaction(Some(StateForces), Some(RebelGroup)), Some(12));
        assert_eq!(interaction(Some(RebelGroup), Some(StateForces)), Some(12));
        assert_eq!(
            interaction(Some(PoliticalMilitia), Some(Civilians)),
            Some(37)
        );
        assert_eq!(interaction(Some(Protesters), None), Some(60));
        assert_eq!(interaction(None, None), None);
    }

    #[test]
    fn ucdp_types_follow_its_definitions() {
        use EventType::*;
        // A state's air strike is state-based whoever's state it is.
        assert_eq!(
            ViolenceType::of(ExplosionsRemoteViolence, true, false),
            Some(ViolenceType::StateBased)
        );
        assert_eq!(
            ViolenceType::of(Battles, false, false),
            Some(ViolenceType::NonState)
        );
        assert_eq!(
            ViolenceType::of(ViolenceAgainstCivilians, true, false),
            Some(ViolenceType::OneSided)
        );
        assert_eq!(
            ViolenceType::of(ExplosionsRemoteViolence, true, true),
            Some(ViolenceType::OneSided)
        );
        for none in [Protests, Riots, StrategicDevelopments] {
            assert_eq!(ViolenceType::of(none, true, true), None, "{none:?}");
        }
        for t in [
            ViolenceType::StateBased,
            ViolenceType::NonState,
            ViolenceType::OneSided,
        ] {
            assert_eq!(ViolenceType::from_code(t.code()), Some(t));
        }
        assert_eq!(ViolenceType::from_code(0), None);
    }

    #[test]
    fn precisions_map_both_ways() {
        for p in 1..=3 {
            assert_eq!(geo_precision_of_where_prec(where_prec(p)), Some(p));
            assert_eq!(time_precision_of_date_prec(date_prec(p)), Some(p));
        }
        assert_eq!(where_prec(0), 6);
        assert_eq!(geo_precision_of_where_prec(0), None);
        assert_eq!(time_precision_of_date_prec(9), None);
    }

    #[test]
    fn old_acled_event_types_are_read_as_todays() {
        assert_eq!(
            acled_event_type("Battle-Government regains territory"),
            Some((
                EventType::Battles,
                Some(SubEvent::GovernmentRegainsTerritory)
            ))
        );
        assert_eq!(
            acled_event_type("REMOTE VIOLENCE"),
            Some((EventType::ExplosionsRemoteViolence, None))
        );
        assert_eq!(
            acled_event_type("Riots/Protests"),
            Some((EventType::Protests, None))
        );
        assert_eq!(
            acled_event_type("Explosions/Remote violence"),
            Some((EventType::ExplosionsRemoteViolence, None))
        );
        assert_eq!(acled_event_type("Skirmish"), None);
    }
}

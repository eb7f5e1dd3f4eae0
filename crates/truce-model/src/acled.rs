//! ACLED's vocabulary: its six event types and 25 sub-event types, spelled as ACLED spells them.
//!
//! ```
//! use truce_model::acled::{EventType, SubEvent};
//!
//! assert_eq!(SubEvent::parse("Air/drone strike"), Some(SubEvent::AirDroneStrike));
//! assert_eq!(SubEvent::AirDroneStrike.event_type(), EventType::ExplosionsRemoteViolence);
//! assert_eq!(EventType::parse("battles"), Some(EventType::Battles));
//! ```

/// ACLED sub-event types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(missing_docs)]
pub enum SubEvent {
    ArmedClash,
    GovernmentRegainsTerritory,
    NonStateActorOvertakesTerritory,
    ChemicalWeapon,
    AirDroneStrike,
    SuicideBomb,
    Shelling,
    RemoteExplosive,
    Grenade,
    SexualViolence,
    Attack,
    Abduction,
    PeacefulProtest,
    ProtestWithIntervention,
    ExcessiveForce,
    ViolentDemonstration,
    MobViolence,
    Agreement,
    Arrests,
    ChangeToGroup,
    DisruptedWeaponsUse,
    HeadquartersEstablished,
    Looting,
    NonViolentTransfer,
    Other,
}

/// ACLED event types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(missing_docs)]
pub enum EventType {
    Battles,
    ExplosionsRemoteViolence,
    ViolenceAgainstCivilians,
    Protests,
    Riots,
    StrategicDevelopments,
}

impl EventType {
    /// Every event type.
    pub const ALL: [EventType; 6] = [
        Self::Battles,
        Self::ExplosionsRemoteViolence,
        Self::ViolenceAgainstCivilians,
        Self::Protests,
        Self::Riots,
        Self::StrategicDevelopments,
    ];

    /// Parses ACLED's spelling, in any case ("battles" is Battles).
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|t| t.name().eq_ignore_ascii_case(s))
    }

    /// ACLED's spelling.
    pub fn name(self) -> &'static str {
        match self {
            Self::Battles => "Battles",
            Self::ExplosionsRemoteViolence => "Explosions/Remote violence",
            Self::ViolenceAgainstCivilians => "Violence against civilians",
            Self::Protests => "Protests",
            Self::Riots => "Riots",
            Self::StrategicDevelopments => "Strategic developments",
        }
    }
}

impl SubEvent {
    /// Every sub-event type.
    pub const ALL: [SubEvent; 25] = [
        Self::ArmedClash,
        Self::GovernmentRegainsTerritory,
        Self::NonStateActorOvertakesTerritory,
        Self::ChemicalWeapon,
        Self::AirDroneStrike,
        Self::SuicideBomb,
        Self::Shelling,
        Self::RemoteExplosive,
        Self::Grenade,
        Self::SexualViolence,
        Self::Attack,
        Self::Abduction,
        Self::PeacefulProtest,
        Self::ProtestWithIntervention,
        Self::ExcessiveForce,
        Self::ViolentDemonstration,
        Self::MobViolence,
        Self::Agreement,
        Self::Arrests,
        Self::ChangeToGroup,
        Self::DisruptedWeaponsUse,
        Self::HeadquartersEstablished,
        Self::Looting,
        Self::NonViolentTransfer,
        Self::Other,
    ];

    /// ACLED's spelling.
    pub fn name(self) -> &'static str {
        match self {
            Self::ArmedClash => "Armed clash",
            Self::GovernmentRegainsTerritory => "Government regains territory",
            Self::NonStateActorOvertakesTerritory => "Non-state actor overtakes territory",
            Self::ChemicalWeapon => "Chemical weapon",
            Self::AirDroneStrike => "Air/drone strike",
            Self::SuicideBomb => "Suicide bomb",
            Self::Shelling => "Shelling/artillery/missile attack",
            Self::RemoteExplosive => "Remote explosive/landmine/IED",
            Self::Grenade => "Grenade",
            Self::SexualViolence => "Sexual violence",
            Self::Attack => "Attack",
            Self::Abduction => "Abduction/forced disappearance",
            Self::PeacefulProtest => "Peaceful protest",
            Self::ProtestWithIntervention => "Protest with intervention",
            Self::ExcessiveForce => "Excessive force against protesters",
            Self::ViolentDemonstration => "Violent demonstration",
            Self::MobViolence => "Mob violence",
            Self::Agreement => "Agreement",
            Self::Arrests => "Arrests",
            Self::ChangeToGroup => "Change to group/activity",
            Self::DisruptedWeaponsUse => "Disrupted weapons use",
            Self::HeadquartersEstablished => "Headquarters or base established",
            Self::Looting => "Looting/property destruction",
            Self::NonViolentTransfer => "Non-violent transfer of territory",
            Self::Other => "Other",
        }
    }

    /// A short name in snake case, for feature names and model files (`air_drone_strike`).
    pub fn key(self) -> &'static str {
        match self {
            Self::ArmedClash => "armed_clash",
            Self::GovernmentRegainsTerritory => "government_regains",
            Self::NonStateActorOvertakesTerritory => "non_state_overtakes",
            Self::ChemicalWeapon => "chemical_weapon",
            Self::AirDroneStrike => "air_drone_strike",
            Self::SuicideBomb => "suicide_bomb",
            Self::Shelling => "shelling",
            Self::RemoteExplosive => "remote_explosive",
            Self::Grenade => "grenade",
            Self::SexualViolence => "sexual_violence",
            Self::Attack => "attack",
            Self::Abduction => "abduction",
            Self::PeacefulProtest => "peaceful_protest",
            Self::ProtestWithIntervention => "protest_with_intervention",
            Self::ExcessiveForce => "excessive_force",
            Self::ViolentDemonstration => "violent_demonstration",
            Self::MobViolence => "mob_violence",
            Self::Agreement => "agreement",
            Self::Arrests => "arrests",
            Self::ChangeToGroup => "change_to_group",
            Self::DisruptedWeaponsUse => "disrupted_weapons_use",
            Self::HeadquartersEstablished => "headquarters_established",
            Self::Looting => "looting",
            Self::NonViolentTransfer => "non_violent_transfer",
            Self::Other => "other",
        }
    }

    /// Parses ACLED's spelling, in any case.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|t| t.name().eq_ignore_ascii_case(s))
    }

    /// The event type it belongs to.
    pub fn event_type(self) -> EventType {
        use SubEvent::*;
        match self {
            ArmedClash | GovernmentRegainsTerritory | NonStateActorOvertakesTerritory => {
                EventType::Battles
            }
            ChemicalWeapon | AirDroneStrike | SuicideBomb | Shelling | RemoteExplosive
            | Grenade => EventType::ExplosionsRemoteViolence,
            SexualViolence | Attack | Abduction => EventType::ViolenceAgainstCivilians,
            PeacefulProtest | ProtestWithIntervention | ExcessiveForce => EventType::Protests,
            ViolentDemonstration | MobViolence => EventType::Riots,
            Agreement
            | Arrests
            | ChangeToGroup
            | DisruptedWeaponsUse
            | HeadquartersEstablished
            | Looting
            | NonViolentTransfer
            | Other => EventType::StrategicDevelopments,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_round_trip() {
        for s in SubEvent::ALL {
            assert_eq!(SubEvent::parse(s.name()), Some(s));
            assert_eq!(SubEvent::parse(&s.name().to_uppercase()), Some(s));
        }
        for t in EventType::ALL {
            assert_eq!(EventType::parse(t.name()), Some(t));
        }
        assert_eq!(EventType::parse("Explosions"), None);
        let mut keys: Vec<&str> = SubEvent::ALL.iter().map(|s| s.key()).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), SubEvent::ALL.len(), "keys are unique");
        for (i, s) in SubEvent::ALL.into_iter().enumerate() {
            assert_eq!(s as usize, i, "ALL is in declaration order");
        }
    }
}

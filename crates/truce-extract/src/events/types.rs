//! ACLED's six event types and 25 sub-event types, spelled as ACLED spells them, and the
//! precedence rules that choose one when a sentence names several.

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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

    /// Parses ACLED's spelling.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.name() == s)
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

    /// Rank inside a family: the lower wins when a sentence names several of one family.
    /// Explosions: a chemical weapon over a suicide bomb over an air strike over shelling (ACLED:
    /// shelling plus an air strike is an air strike) over an IED over a grenade.
    fn rank(self) -> u8 {
        use SubEvent::*;
        match self {
            ChemicalWeapon => 0,
            SuicideBomb => 1,
            AirDroneStrike => 2,
            Shelling => 3,
            RemoteExplosive => 4,
            Grenade => 5,
            GovernmentRegainsTerritory | NonStateActorOvertakesTerritory => 0,
            ArmedClash => 1,
            SexualViolence => 0,
            Abduction => 1,
            Attack => 2,
            ExcessiveForce => 0,
            ProtestWithIntervention => 1,
            PeacefulProtest => 2,
            MobViolence => 0,
            ViolentDemonstration => 1,
            _ => 3,
        }
    }
}

/// The sub-event a set of weighted triggers describes, by ACLED's precedence:
/// - protests with violence by the crowd are riots; with police force, interventions;
/// - an air strike or shelling inside a ground battle is a battle;
/// - explosions outrank violence against civilians (a bomb that kills civilians is an explosion);
/// - strategic developments only when nothing violent is reported.
///
/// `police_action` says the text reports dispersal, arrests or tear gas at a protest;
/// `lethal_force` that the police killed or wounded protesters.
pub fn choose(
    triggers: &[(SubEvent, u8)],
    police_action: bool,
    lethal_force: bool,
) -> Option<SubEvent> {
    let score = |f: &dyn Fn(SubEvent) -> bool| -> u32 {
        triggers
            .iter()
            .filter(|(s, _)| f(*s))
            .map(|(_, w)| u32::from(*w))
            .sum()
    };
    let best_of = |et: EventType| -> Option<SubEvent> {
        triggers
            .iter()
            .filter(|(s, w)| s.event_type() == et && *w >= 1)
            .map(|(s, _)| *s)
            .min_by_key(|s| s.rank())
    };
    let protest = score(&|s| s.event_type() == EventType::Protests);
    let riot = score(&|s| s.event_type() == EventType::Riots);
    let battle = score(&|s| s.event_type() == EventType::Battles);
    let explosion = score(&|s| s.event_type() == EventType::ExplosionsRemoteViolence);
    let civilians = score(&|s| s.event_type() == EventType::ViolenceAgainstCivilians);
    let strategic = score(&|s| s.event_type() == EventType::StrategicDevelopments);
    let looting = score(&|s| s == SubEvent::Looting);

    if protest >= 2 {
        if riot >= 2 || looting >= 2 {
            return best_of(EventType::Riots).or(Some(SubEvent::ViolentDemonstration));
        }
        if lethal_force {
            return Some(SubEvent::ExcessiveForce);
        }
        if police_action {
            return Some(SubEvent::ProtestWithIntervention);
        }
        return Some(SubEvent::PeacefulProtest);
    }
    if riot >= 2 {
        return best_of(EventType::Riots);
    }
    // A ground battle absorbs the air strikes and shelling inside it.
    if battle >= 3 || (battle >= 2 && battle >= explosion) {
        return best_of(EventType::Battles);
    }
    if explosion >= 2 {
        return best_of(EventType::ExplosionsRemoteViolence);
    }
    if civilians >= 2 {
        return best_of(EventType::ViolenceAgainstCivilians);
    }
    if battle >= 2 {
        return best_of(EventType::Battles);
    }
    if strategic >= 2 {
        return best_of(EventType::StrategicDevelopments);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use SubEvent::*;

    #[test]
    fn spellings_round_trip() {
        for s in SubEvent::ALL {
            assert_eq!(SubEvent::parse(s.name()), Some(s));
        }
        let mut keys: Vec<&str> = SubEvent::ALL.iter().map(|s| s.key()).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), SubEvent::ALL.len(), "keys are unique");
        for (i, s) in SubEvent::ALL.into_iter().enumerate() {
            assert_eq!(s as usize, i, "ALL is in declaration order");
        }
    }

    #[test]
    fn acled_precedence() {
        type Case = (&'static [(SubEvent, u8)], bool, bool, Option<SubEvent>);
        let cases: &[Case] = &[
            (
                &[(AirDroneStrike, 3), (Shelling, 3)],
                false,
                false,
                Some(AirDroneStrike),
            ),
            (
                &[(ArmedClash, 3), (AirDroneStrike, 3)],
                false,
                false,
                Some(ArmedClash),
            ),
            (
                &[(SuicideBomb, 3), (RemoteExplosive, 2)],
                false,
                false,
                Some(SuicideBomb),
            ),
            (
                &[(RemoteExplosive, 2), (Attack, 1)],
                false,
                false,
                Some(RemoteExplosive),
            ),
            (&[(PeacefulProtest, 3)], false, false, Some(PeacefulProtest)),
            (
                &[(PeacefulProtest, 3)],
                true,
                false,
                Some(ProtestWithIntervention),
            ),
            (&[(PeacefulProtest, 3)], true, true, Some(ExcessiveForce)),
            (
                &[(PeacefulProtest, 3), (ViolentDemonstration, 3)],
                false,
                false,
                Some(ViolentDemonstration),
            ),
            (&[(MobViolence, 3)], false, false, Some(MobViolence)),
            (
                &[(Attack, 2), (Abduction, 3)],
                false,
                false,
                Some(Abduction),
            ),
            (&[(Attack, 1)], false, false, None),
            (&[(Arrests, 2), (Attack, 2)], false, false, Some(Attack)),
            (&[(Arrests, 2)], false, false, Some(Arrests)),
        ];
        for (triggers, police, lethal, expected) in cases {
            assert_eq!(
                choose(triggers, *police, *lethal),
                *expected,
                "{triggers:?}"
            );
        }
    }
}

//! The precedence rules that choose one ACLED sub-event type when a sentence names several (the
//! vocabulary itself is [`truce_model::acled`]'s).

pub use truce_model::acled::{EventType, SubEvent};

/// Rank inside a family: the lower wins when a sentence names several of one family.
/// Explosions: a chemical weapon over a suicide bomb over an air strike over shelling (ACLED:
/// shelling plus an air strike is an air strike) over an IED over a grenade.
fn rank(s: SubEvent) -> u8 {
    use SubEvent::*;
    match s {
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
            .min_by_key(|s| rank(*s))
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

//! What an actor is in an event: said to have done it, what was hit, or there without either.
//!
//! ```
//! use truce_model::ActorRole;
//!
//! assert_eq!(ActorRole::parse("Perpetrator"), Some(ActorRole::Perpetrator));
//! assert_eq!(ActorRole::Target.as_str(), "target");
//! assert_eq!(serde_json::to_string(&ActorRole::Associated).unwrap(), "\"associated\"");
//! ```

names! {
    /// An actor's role in an event, as the extraction record writes it.
    ActorRole {
        /// Said to have done it (alleged, as the report attributes it).
        Perpetrator = "perpetrator",
        /// What was hit: civilians, a side attacked.
        Target = "target",
        /// There without either role: protesters, the police who met rioters.
        Associated = "associated",
    }
}

impl ActorRole {
    /// Reads a name, in any case.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::ALL
            .iter()
            .copied()
            .find(|r| r.as_str().eq_ignore_ascii_case(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_text_and_serde() {
        for &r in ActorRole::ALL {
            assert_eq!(ActorRole::parse(r.as_str()), Some(r));
            let json = serde_json::to_string(&r).unwrap();
            assert_eq!(json, format!("\"{r}\""));
            assert_eq!(serde_json::from_str::<ActorRole>(&json).unwrap(), r);
        }
        assert_eq!(ActorRole::parse("victim"), None);
    }
}

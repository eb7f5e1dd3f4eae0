//! What an actor is in an event: said to have done it, what was hit, or there without either.
//!
//! ```
//! use truce_model::ActorRole;
//!
//! assert_eq!(ActorRole::parse("Perpetrator"), Some(ActorRole::Perpetrator));
//! assert_eq!(ActorRole::Target.as_str(), "target");
//! assert_eq!(serde_json::to_string(&ActorRole::Associated).unwrap(), "\"associated\"");
//! ```

use serde::{Deserialize, Serialize};

/// An actor's role in an event, as the extraction record writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ActorRole {
    /// Said to have done it (alleged, as the report attributes it).
    Perpetrator,
    /// What was hit: civilians, a side attacked.
    Target,
    /// There without either role: protesters, the police who met rioters.
    Associated,
}

impl ActorRole {
    /// Every role.
    pub const ALL: [ActorRole; 3] = [Self::Perpetrator, Self::Target, Self::Associated];

    /// Its name in the record (`perpetrator`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Perpetrator => "perpetrator",
            Self::Target => "target",
            Self::Associated => "associated",
        }
    }

    /// Reads a name, in any case.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|r| r.as_str().eq_ignore_ascii_case(s))
    }
}

impl std::fmt::Display for ActorRole {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_text_and_serde() {
        for r in ActorRole::ALL {
            assert_eq!(ActorRole::parse(r.as_str()), Some(r));
            let json = serde_json::to_string(&r).unwrap();
            assert_eq!(json, format!("\"{r}\""));
            assert_eq!(serde_json::from_str::<ActorRole>(&json).unwrap(), r);
        }
        assert_eq!(ActorRole::parse("victim"), None);
    }
}

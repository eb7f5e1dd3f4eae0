//! What was hit: the kinds of target an incident's record names.
//!
//! ```
//! use truce_model::TargetKind;
//!
//! assert_eq!(TargetKind::parse("Medical"), Some(TargetKind::Medical));
//! assert_eq!(TargetKind::Medical.name(), "medical");
//! ```

/// A kind of target, in order of precedence: when a sentence names several, the first wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TargetKind {
    /// A hospital, clinic or ambulance.
    Medical,
    /// A school or university.
    Education,
    /// A mosque, church or shrine.
    Religious,
    /// An aid convoy, warehouse or office.
    Aid,
    /// A market.
    Market,
    /// Power, water, roads, bridges.
    Infrastructure,
    /// Homes.
    Residential,
    /// A military position or base.
    Military,
}

impl TargetKind {
    /// Every kind, in order of precedence.
    pub const ALL: [TargetKind; 8] = [
        Self::Medical,
        Self::Education,
        Self::Religious,
        Self::Aid,
        Self::Market,
        Self::Infrastructure,
        Self::Residential,
        Self::Military,
    ];

    /// Its name in the extraction record (`medical`).
    pub const fn name(self) -> &'static str {
        match self {
            Self::Medical => "medical",
            Self::Education => "education",
            Self::Religious => "religious",
            Self::Aid => "aid",
            Self::Market => "market",
            Self::Infrastructure => "infrastructure",
            Self::Residential => "residential",
            Self::Military => "military",
        }
    }

    /// Parses a name, in any case.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|k| k.name().eq_ignore_ascii_case(s))
    }
}

impl std::fmt::Display for TargetKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for k in TargetKind::ALL {
            assert_eq!(TargetKind::parse(k.name()), Some(k));
        }
        assert_eq!(TargetKind::parse("hospital"), None);
    }
}

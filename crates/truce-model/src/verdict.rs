//! What an incident is with respect to the ceasefire agreement in force: the verdict of its
//! assessment.
//!
//! ```
//! use truce_model::Verdict;
//!
//! assert_eq!(Verdict::LikelyViolation.as_str(), "likely violation");
//! assert_eq!(Verdict::parse("outside scope"), Some(Verdict::OutsideScope));
//! assert_eq!(
//!     serde_json::to_string(&Verdict::LikelyViolation).unwrap(),
//!     "\"likely violation\""
//! );
//! ```

use serde::{Deserialize, Serialize};

/// What an incident is, with respect to the agreement. Written everywhere (database, pages,
/// reports, API) in the words of [`Verdict::as_str`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Verdict {
    /// A covered party is said to have done a prohibited act in a covered zone while it was in
    /// force.
    #[serde(rename = "likely violation", alias = "likely_violation")]
    LikelyViolation,
    /// The agreement does not reach it: an excluded group, outside the zones or the dates, an
    /// act it does not prohibit, or no agreement at all.
    #[serde(rename = "outside scope", alias = "outside_scope")]
    OutsideScope,
    /// What the reports say is not enough to tell.
    #[serde(rename = "unclear")]
    Unclear,
}

impl Verdict {
    /// Every verdict.
    pub const ALL: [Verdict; 3] = [
        Verdict::LikelyViolation,
        Verdict::OutsideScope,
        Verdict::Unclear,
    ];

    /// The words used in pages, reports and the database.
    pub const fn as_str(self) -> &'static str {
        match self {
            Verdict::LikelyViolation => "likely violation",
            Verdict::OutsideScope => "outside scope",
            Verdict::Unclear => "unclear",
        }
    }

    /// Reads [`Verdict::as_str`]'s words back.
    pub fn parse(s: &str) -> Option<Verdict> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip_through_text_and_serde() {
        for v in Verdict::ALL {
            assert_eq!(Verdict::parse(v.as_str()), Some(v));
            assert_eq!(v.to_string(), v.as_str());
            let json = serde_json::to_string(&v).unwrap();
            assert_eq!(json, format!("\"{}\"", v.as_str()));
            assert_eq!(serde_json::from_str::<Verdict>(&json).unwrap(), v);
        }
        assert_eq!(Verdict::parse("maybe"), None);
        assert_eq!(
            serde_json::from_str::<Verdict>("\"likely_violation\"").unwrap(),
            Verdict::LikelyViolation
        );
    }
}

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

names! {
    /// What an incident is, with respect to the agreement. Written everywhere (database, pages,
    /// reports, API) as these words.
    Verdict {
        /// A covered party is said to have done a prohibited act in a covered zone while it was
        /// in force.
        LikelyViolation = "likely violation" | "likely_violation",
        /// The agreement does not reach it: an excluded group, outside the zones or the dates,
        /// an act it does not prohibit, or no agreement at all.
        OutsideScope = "outside scope" | "outside_scope",
        /// What the reports say is not enough to tell.
        Unclear = "unclear",
    }
}

impl Verdict {
    /// Reads [`Verdict::as_str`]'s words back.
    pub fn parse(s: &str) -> Option<Verdict> {
        s.parse().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip_through_text_and_serde() {
        for &v in Verdict::ALL {
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

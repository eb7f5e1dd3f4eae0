//! The vocabulary of review and adjudication: who may act ([`Role`]), where an incident stands
//! ([`ReviewStatus`], [`Grade`]) and what the co-chairs ruled ([`Ruling`]).

names! {
    /// What an account may do.
    Role {
        /// Everything, accounts included.
        Admin = "admin",
        /// Leads the task force: reviews, rules on cases, publishes.
        CoChair = "co-chair",
        /// A party to the agreement: sees and answers what concerns it.
        Party = "party",
        /// Files and reviews incidents.
        Monitor = "monitor",
        /// Reads.
        Viewer = "viewer",
    }
}

names! {
    /// Where an incident's review stands.
    ReviewStatus {
        /// Nobody has looked yet.
        Unverified = "unverified",
        /// Someone is checking it.
        UnderReview = "under review",
        /// Checked and confirmed.
        Confirmed = "confirmed",
        /// Sources or parties contest it.
        Disputed = "disputed",
        /// Checked and set aside.
        Discounted = "discounted",
    }
}

names! {
    /// How far the evidence carries a claim (Airwars' grades for civilian harm claims).
    Grade {
        /// Confirmed by the party responsible or by strong evidence.
        Confirmed = "confirmed",
        /// Reported by two or more credible sources.
        Fair = "fair",
        /// Single-source.
        Weak = "weak",
        /// Competing claims of responsibility.
        Contested = "contested",
        /// Found not to have happened as claimed.
        Discounted = "discounted",
    }
}

names! {
    /// The co-chairs' ruling on an alleged violation.
    Ruling {
        /// The agreement was violated.
        Violation = "violation",
        /// It was not.
        NoViolation = "no violation",
        /// The evidence does not decide.
        Undetermined = "undetermined",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>().unwrap(), *r);
        }
        assert_eq!(
            "under review".parse::<ReviewStatus>().unwrap(),
            ReviewStatus::UnderReview
        );
        assert_eq!(
            serde_json::to_string(&Ruling::NoViolation).unwrap(),
            "\"no violation\""
        );
        assert!(
            "superuser"
                .parse::<Role>()
                .unwrap_err()
                .contains("admin, co-chair")
        );
    }
}

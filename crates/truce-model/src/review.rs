//! The vocabulary of review and adjudication: who may act ([`Role`]), where an incident stands
//! ([`ReviewStatus`], [`Grade`]) and what the co-chairs ruled ([`Ruling`]).

use serde::{Deserialize, Serialize};

/// Declares a closed set of names with `as_str`, `ALL`, `FromStr` and serde as those names.
macro_rules! names {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// Its name, as stored and shown.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        /// In the API document: one of the names.
        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($text),+]))
                    .into()
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}

        impl std::str::FromStr for $name {
            type Err = String;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(format!(
                        "{s:?} is not one of: {}",
                        [$($text),+].join(", ")
                    )),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

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

//! Who may read an item of an incident's workspace: a submission, a request for information, a
//! message, a review note, a ruling, a history entry. The audience is set when the item is
//! written and the store's queries read it back only for those in it.
//!
//! In a ceasefire the first adversaries of the record are the parties themselves: one party's
//! submission, the co-chairs' draft ruling and the monitors' notes must never reach the other
//! side. So the audiences are nested: the co-chairs (and administrators) read everything; the
//! mission's staff (co-chairs and monitors) read everything but the co-chairs' own items; a party
//! reads what is addressed to it or to every party; viewers and the public read public items only.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::Role;

/// Who may read an item.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum Audience {
    /// The co-chairs and administrators only (a draft ruling, the co-chairs' deliberation).
    CoChairs,
    /// The mission's staff: co-chairs, administrators and monitors (review notes, internal
    /// messages, which may name a source).
    Staff,
    /// The staff and one party (that party's submission, a request addressed to it, its answer).
    Party(String),
    /// The staff and every party the incident concerns.
    Parties,
    /// Everyone, the public included (corrections, a published ruling).
    Public,
}

/// In the API document: the written form, a string.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Audience {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some(
                "Who may read it: `co-chairs`, `staff`, `party:NAME`, `parties` or `public`.",
            ))
            .pattern(Some("^(co-chairs|staff|parties|public|party:.+)$"))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Audience {}

impl Audience {
    /// The stored kind: `co-chairs`, `staff`, `party`, `parties`, `public`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::CoChairs => "co-chairs",
            Self::Staff => "staff",
            Self::Party(_) => "party",
            Self::Parties => "parties",
            Self::Public => "public",
        }
    }

    /// The party of a [`Audience::Party`] audience.
    pub fn party(&self) -> Option<&str> {
        match self {
            Self::Party(p) => Some(p),
            _ => None,
        }
    }

    /// Rebuilds an audience from its stored kind and party.
    pub fn from_parts(kind: &str, party: Option<&str>) -> Result<Self, String> {
        Ok(match (kind, party) {
            ("co-chairs", _) => Self::CoChairs,
            ("staff", _) => Self::Staff,
            ("party", Some(p)) if !p.trim().is_empty() => Self::Party(p.to_string()),
            ("party", _) => return Err("a party audience must name the party".into()),
            ("parties", _) => Self::Parties,
            ("public", _) => Self::Public,
            (other, _) => {
                return Err(format!(
                    "{other:?} is not an audience (co-chairs, staff, party:NAME, parties, public)"
                ));
            }
        })
    }
}

impl fmt::Display for Audience {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Party(p) => write!(f, "party:{p}"),
            other => f.write_str(other.kind()),
        }
    }
}

impl FromStr for Audience {
    type Err = String;

    /// `co-chairs`, `staff`, `party:NAME`, `parties` or `public`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        match s.split_once(':') {
            Some(("party", name)) => Self::from_parts("party", Some(name.trim())),
            _ => Self::from_parts(s, None),
        }
    }
}

impl From<Audience> for String {
    fn from(a: Audience) -> Self {
        a.to_string()
    }
}

impl TryFrom<String> for Audience {
    type Error = String;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

/// Someone reading the workspace, as the audience rules see them: a role and, for a party's
/// account, the party it answers for. `role: None` is the public.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reader {
    /// The reader's role; `None` for the public.
    pub role: Option<Role>,
    /// The party a party's account answers for.
    pub party: Option<String>,
}

impl Reader {
    /// The public: reads public items only.
    pub fn public() -> Self {
        Self::default()
    }

    /// A reader with a role (and a party, for a party's account).
    pub fn new(role: Role, party: Option<String>) -> Self {
        Self {
            role: Some(role),
            party: if role == Role::Party { party } else { None },
        }
    }

    /// Whether the reader is a co-chair or an administrator: reads every item.
    pub fn is_chair(&self) -> bool {
        matches!(self.role, Some(Role::Admin | Role::CoChair))
    }

    /// Whether the reader is on the mission's staff (co-chairs, administrators, monitors).
    pub fn is_staff(&self) -> bool {
        self.is_chair() || self.role == Some(Role::Monitor)
    }

    /// The party whose items the reader reads, for a party's account.
    pub fn party(&self) -> Option<&str> {
        match self.role {
            Some(Role::Party) => self.party.as_deref(),
            _ => None,
        }
    }

    /// Whether the reader may read an item with this audience. The stores' queries apply the
    /// same rule in SQL; this is the rule's one statement in Rust, and the tests hold them equal.
    pub fn may_read(&self, audience: &Audience) -> bool {
        match audience {
            Audience::Public => true,
            Audience::CoChairs => self.is_chair(),
            Audience::Staff => self.is_staff(),
            Audience::Parties => self.is_staff() || self.party().is_some(),
            Audience::Party(p) => self.is_staff() || self.party() == Some(p.as_str()),
        }
    }

    /// The audiences a reader in this role may address a new item to (a party writes to the
    /// staff and itself only; monitors cannot write to the co-chairs alone; nobody writes a
    /// message to the public).
    pub fn may_address(&self, audience: &Audience) -> bool {
        match audience {
            Audience::Public => false,
            Audience::CoChairs => self.is_chair(),
            Audience::Staff | Audience::Parties => self.is_staff(),
            Audience::Party(p) => self.is_staff() || self.party() == Some(p.as_str()),
        }
    }

    /// Where this reader's own messages go when they do not say: a party's to the staff and
    /// itself, the staff's to the staff.
    pub fn default_audience(&self) -> Audience {
        match self.party() {
            Some(p) => Audience::Party(p.to_string()),
            None => Audience::Staff,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_audiences() -> Vec<Audience> {
        vec![
            Audience::CoChairs,
            Audience::Staff,
            Audience::Party("A".into()),
            Audience::Party("B".into()),
            Audience::Parties,
            Audience::Public,
        ]
    }

    #[test]
    fn audiences_round_trip_through_text_and_parts() {
        for a in all_audiences() {
            assert_eq!(a.to_string().parse::<Audience>().unwrap(), a);
            assert_eq!(Audience::from_parts(a.kind(), a.party()).unwrap(), a);
            let json = serde_json::to_string(&a).unwrap();
            assert_eq!(serde_json::from_str::<Audience>(&json).unwrap(), a);
        }
        assert!("party:".parse::<Audience>().is_err());
        assert!("everyone".parse::<Audience>().is_err());
    }

    #[test]
    fn a_party_reads_its_own_items_and_never_the_other_sides() {
        let a = Reader::new(Role::Party, Some("A".into()));
        assert!(a.may_read(&Audience::Party("A".into())));
        assert!(!a.may_read(&Audience::Party("B".into())));
        assert!(a.may_read(&Audience::Parties));
        assert!(!a.may_read(&Audience::Staff));
        assert!(!a.may_read(&Audience::CoChairs));
        // A party account without a party reads public items only.
        let none = Reader::new(Role::Party, None);
        assert!(!none.may_read(&Audience::Parties));
        for a in all_audiences() {
            assert_eq!(Reader::public().may_read(&a), a == Audience::Public);
            assert_eq!(
                Reader::new(Role::Viewer, None).may_read(&a),
                a == Audience::Public
            );
            assert!(Reader::new(Role::CoChair, None).may_read(&a));
            assert_eq!(
                Reader::new(Role::Monitor, None).may_read(&a),
                a != Audience::CoChairs
            );
        }
    }

    #[test]
    fn a_party_addresses_only_itself_and_the_staff() {
        let a = Reader::new(Role::Party, Some("A".into()));
        assert!(a.may_address(&Audience::Party("A".into())));
        assert!(!a.may_address(&Audience::Party("B".into())));
        assert!(!a.may_address(&Audience::Parties));
        assert!(!a.may_address(&Audience::Staff));
        assert_eq!(a.default_audience(), Audience::Party("A".into()));
        let m = Reader::new(Role::Monitor, None);
        assert!(!m.may_address(&Audience::CoChairs));
        assert!(m.may_address(&Audience::Parties));
        assert!(!m.may_address(&Audience::Public));
    }
}

//! What each role may do. One table, used by every handler and walked by the tests.

use truce_model::{Incident, Role};
use truce_store::User;

/// Something a caller may be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// List and read incidents (the public sees published ones, redacted; a party those that
    /// concern it).
    ReadIncidents,
    /// See an incident's sources, their sentences and its history.
    ReadSources,
    /// List documents, events and statements across the archive.
    ReadArchive,
    /// Set an incident's review status and grade.
    Review,
    /// Correct or retract an incident's record.
    Correct,
    /// Merge incidents, or split an event out of one (a decision the resolver keeps).
    Decide,
    /// Read and post messages on an incident.
    Message,
    /// Read an incident's case file.
    ReadCase,
    /// Put a party's submission into a case.
    Submit,
    /// Ask a party for information.
    AskRfi,
    /// Answer a request addressed to one's party.
    AnswerRfi,
    /// Rule on a case.
    Rule,
    /// Publish a ruled case.
    Publish,
    /// Submit a report for ingestion.
    SubmitDocument,
    /// Verify the audit log.
    Audit,
    /// Create and revoke one's own API tokens.
    OwnTokens,
    /// Unlock accounts locked by failed logins.
    ManageAccounts,
    /// Add agreements and import protected sites.
    ManageMonitoring,
    /// Keep the register of watched sources (which feeds and pages are read, and how they are
    /// doing): list, add, pause, resume, remove.
    ManageSources,
    /// Read the server's metrics without being on a configured address.
    ReadMetrics,
}

impl Permission {
    /// Every permission.
    pub const ALL: [Permission; 20] = [
        Self::ReadIncidents,
        Self::ReadSources,
        Self::ReadArchive,
        Self::Review,
        Self::Correct,
        Self::Decide,
        Self::Message,
        Self::ReadCase,
        Self::Submit,
        Self::AskRfi,
        Self::AnswerRfi,
        Self::Rule,
        Self::Publish,
        Self::SubmitDocument,
        Self::Audit,
        Self::OwnTokens,
        Self::ManageAccounts,
        Self::ManageMonitoring,
        Self::ManageSources,
        Self::ReadMetrics,
    ];
}

/// What each role may do, listed: access is denied by default, so a permission added later is
/// granted to no one until a role lists it. `None` is the public.
pub fn permissions(role: Option<Role>) -> &'static [Permission] {
    use Permission::*;
    match role {
        None => &[ReadIncidents],
        // Everything, a party's submission and answer included (on a party's behalf, named).
        Some(Role::Admin) => &[
            ReadIncidents,
            ReadSources,
            ReadArchive,
            Review,
            Correct,
            Decide,
            Message,
            ReadCase,
            Submit,
            AskRfi,
            AnswerRfi,
            Rule,
            Publish,
            SubmitDocument,
            Audit,
            OwnTokens,
            ManageAccounts,
            ManageMonitoring,
            ManageSources,
            ReadMetrics,
        ],
        Some(Role::CoChair) => &[
            ReadIncidents,
            ReadSources,
            ReadArchive,
            Review,
            Correct,
            Decide,
            Message,
            ReadCase,
            AskRfi,
            Rule,
            Publish,
            SubmitDocument,
            OwnTokens,
            ManageMonitoring,
        ],
        Some(Role::Monitor) => &[
            ReadIncidents,
            ReadSources,
            ReadArchive,
            Review,
            Correct,
            Decide,
            Message,
            ReadCase,
            SubmitDocument,
            OwnTokens,
            ManageSources,
        ],
        Some(Role::Party) => &[
            ReadIncidents,
            ReadSources,
            Message,
            ReadCase,
            Submit,
            AnswerRfi,
            OwnTokens,
        ],
        Some(Role::Viewer) => &[ReadIncidents, ReadSources, ReadArchive, OwnTokens],
    }
}

/// Whether a role (`None`: the public) has a permission: only when the role lists it.
pub fn allows(role: Option<Role>, p: Permission) -> bool {
    permissions(role).contains(&p)
}

/// Whether an incident concerns a party's account: the party is among its alleged perpetrators,
/// or among the parties its case asks for information (`asked`), as the store's `concerning`
/// filter has it. Other accounts are not limited by party.
pub fn concerns(user: &User, incident: &Incident, asked: &[String]) -> bool {
    match (user.role, &user.party) {
        (Role::Party, Some(party)) => {
            incident.perpetrators.iter().any(|p| &p.name == party) || asked.contains(party)
        }
        (Role::Party, None) => false,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_public_only_reads_and_admins_do_everything() {
        assert!(allows(None, Permission::ReadIncidents));
        assert!(!allows(None, Permission::ReadSources));
        assert!(allows(Some(Role::Admin), Permission::Audit));
        assert!(!allows(Some(Role::CoChair), Permission::Audit));
        assert!(allows(Some(Role::CoChair), Permission::Rule));
        assert!(!allows(Some(Role::Monitor), Permission::Rule));
        assert!(!allows(Some(Role::Party), Permission::Review));
        assert!(allows(Some(Role::Party), Permission::Submit));
        assert!(!allows(Some(Role::Viewer), Permission::Message));
    }

    /// The whole table, spelled out: a change to who may do what is a change to this test too.
    #[test]
    fn each_role_may_do_what_it_lists_and_nothing_else() {
        let roles = [
            None,
            Some(Role::Admin),
            Some(Role::CoChair),
            Some(Role::Monitor),
            Some(Role::Party),
            Some(Role::Viewer),
        ];
        // Columns: public, admin, co-chair, monitor, party, viewer.
        let table: [(Permission, [bool; 6]); 20] = {
            use Permission::*;
            let (y, n) = (true, false);
            [
                (ReadIncidents, [y, y, y, y, y, y]),
                (ReadSources, [n, y, y, y, y, y]),
                (ReadArchive, [n, y, y, y, n, y]),
                (Review, [n, y, y, y, n, n]),
                (Correct, [n, y, y, y, n, n]),
                (Decide, [n, y, y, y, n, n]),
                (Message, [n, y, y, y, y, n]),
                (ReadCase, [n, y, y, y, y, n]),
                (Submit, [n, y, n, n, y, n]),
                (AskRfi, [n, y, y, n, n, n]),
                (AnswerRfi, [n, y, n, n, y, n]),
                (Rule, [n, y, y, n, n, n]),
                (Publish, [n, y, y, n, n, n]),
                (SubmitDocument, [n, y, y, y, n, n]),
                (Audit, [n, y, n, n, n, n]),
                (OwnTokens, [n, y, y, y, y, y]),
                (ManageAccounts, [n, y, n, n, n, n]),
                (ManageMonitoring, [n, y, y, n, n, n]),
                (ManageSources, [n, y, n, y, n, n]),
                (ReadMetrics, [n, y, n, n, n, n]),
            ]
        };
        assert_eq!(
            table.iter().map(|(p, _)| *p).collect::<Vec<_>>(),
            Permission::ALL.to_vec(),
            "every permission is in the table"
        );
        for (p, expected) in table {
            for (role, want) in roles.iter().zip(expected) {
                assert_eq!(allows(*role, p), want, "{role:?} {p:?}");
            }
        }
    }
}

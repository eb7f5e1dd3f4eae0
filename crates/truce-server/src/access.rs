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
}

/// Whether a role (`None`: the public) has a permission.
pub fn allows(role: Option<Role>, p: Permission) -> bool {
    use Permission::*;
    let Some(role) = role else {
        return p == ReadIncidents;
    };
    match role {
        Role::Admin => true,
        Role::CoChair => !matches!(p, Audit | Submit | AnswerRfi | ManageAccounts),
        Role::Monitor => matches!(
            p,
            ReadIncidents
                | ReadSources
                | ReadArchive
                | Review
                | Correct
                | Message
                | ReadCase
                | SubmitDocument
                | OwnTokens
        ),
        Role::Party => matches!(
            p,
            ReadIncidents | ReadSources | Message | ReadCase | Submit | AnswerRfi | OwnTokens
        ),
        Role::Viewer => matches!(p, ReadIncidents | ReadSources | ReadArchive | OwnTokens),
    }
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
}

//! The monitoring workspace's records: accounts, sessions, API tokens, reviews, messages, case
//! files, corrections and the audit log. Every change a person makes is written together with
//! its audit-log entry, in one transaction.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use truce_model::{
    Audience, AuditEntry, Correction, Grade, Reader, ReviewStatus, Role, Ruling, Seal,
};

use crate::StoreError;

/// An account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Its id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// What it may do.
    pub role: Role,
    /// For a party's account: the actor name it answers for ("Military Forces of Syria").
    pub party: Option<String>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// Whether it is shut.
    pub disabled: bool,
    /// Until when logins are refused after too many failures.
    pub locked_until: Option<DateTime<Utc>>,
}

impl User {
    /// The account as the audience rules see it.
    pub fn reader(&self) -> Reader {
        Reader::new(self.role, self.party.clone())
    }
}

/// An account to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    /// Login name.
    pub username: String,
    /// argon2id PHC string.
    pub password_hash: String,
    /// Role.
    pub role: Role,
    /// Party, for a party's account.
    pub party: Option<String>,
}

/// An API token's record (the token itself is never stored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    /// Its id.
    pub id: i64,
    /// Whose.
    pub username: String,
    /// What it is for.
    pub name: String,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
}

/// How failed logins lock an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockoutPolicy {
    /// Failures allowed within the window before the account is locked.
    pub limit: u32,
    /// The window over which failures count.
    pub window: chrono::Duration,
    /// How long a lockout lasts (it always ends by itself).
    pub lockout: chrono::Duration,
}

impl Default for LockoutPolicy {
    fn default() -> Self {
        Self {
            limit: 10,
            window: chrono::Duration::minutes(15),
            lockout: chrono::Duration::minutes(15),
        }
    }
}

/// Where an incident's review stands now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentState {
    /// The incident.
    pub incident_id: i64,
    /// Status.
    pub status: ReviewStatus,
    /// Grade.
    pub grade: Option<Grade>,
    /// Who set it.
    pub updated_by: String,
    /// When.
    pub updated_at: DateTime<Utc>,
}

/// One review of an incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    /// Its id (0 before it is stored).
    pub id: i64,
    /// The incident.
    pub incident_id: i64,
    /// The status it sets.
    pub status: ReviewStatus,
    /// The grade it gives.
    pub grade: Option<Grade>,
    /// Why.
    pub note: String,
    /// Who.
    pub reviewed_by: String,
    /// When.
    pub reviewed_at: DateTime<Utc>,
}

/// A message on an incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Its id.
    pub id: i64,
    /// The incident.
    pub incident_id: i64,
    /// Who wrote it.
    pub author: String,
    /// What.
    pub body: String,
    /// Usernames it mentions (`@name`).
    pub mentions: Vec<String>,
    /// Who may read it.
    pub audience: Audience,
    /// When.
    pub posted_at: DateTime<Utc>,
}

/// A party's submission to a case: its audience is the staff and that party
/// ([`Audience::Party`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission {
    /// Its id.
    pub id: i64,
    /// The party submitting.
    pub party: String,
    /// The account that wrote it.
    pub author: String,
    /// The submission.
    pub body: String,
    /// When.
    pub submitted_at: DateTime<Utc>,
}

/// A request for information to a party, with a deadline: the request and its answer are read
/// by the staff and the party asked ([`Audience::Party`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rfi {
    /// Its id.
    pub id: i64,
    /// The party asked.
    pub addressed_to: String,
    /// The question.
    pub question: String,
    /// Answer by.
    pub deadline: NaiveDate,
    /// Who asked.
    pub asked_by: String,
    /// When.
    pub asked_at: DateTime<Utc>,
    /// The answer.
    pub answer: Option<String>,
    /// Who answered.
    pub answered_by: Option<String>,
    /// When.
    pub answered_at: Option<DateTime<Utc>>,
}

/// The adjudication case file of an alleged violation, as one reader may see it: the
/// submissions and requests of the parties the reader may read, and the ruling only for the
/// co-chairs until it is published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFile {
    /// The incident.
    pub incident_id: i64,
    /// Who opened it.
    pub opened_by: String,
    /// When.
    pub opened_at: DateTime<Utc>,
    /// The co-chairs' ruling.
    pub ruling: Option<Ruling>,
    /// Its reasons.
    pub ruling_note: Option<String>,
    /// Who ruled.
    pub ruled_by: Option<String>,
    /// When.
    pub ruled_at: Option<DateTime<Utc>>,
    /// When the outcome was published.
    pub published_at: Option<DateTime<Utc>>,
    /// Each party's submissions, oldest first.
    pub submissions: Vec<Submission>,
    /// Requests for information, oldest first.
    pub rfis: Vec<Rfi>,
}

/// An action to write to the audit log.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAudit {
    /// Who.
    pub actor: String,
    /// What (`review.add`).
    pub action: String,
    /// To what (`incident:12`).
    pub subject: String,
    /// Details.
    pub detail: serde_json::Value,
    /// Who may read the entry in an incident's history (the audience of the item it records).
    pub audience: Audience,
}

impl NewAudit {
    /// An entry read by the staff only (most system and account actions).
    pub fn staff(
        actor: impl Into<String>,
        action: impl Into<String>,
        subject: impl Into<String>,
        detail: serde_json::Value,
    ) -> Self {
        Self {
            actor: actor.into(),
            action: action.into(),
            subject: subject.into(),
            detail,
            audience: Audience::Staff,
        }
    }
}

/// The workspace's storage; every mutating method also appends its audit-log entry in the same
/// transaction.
#[async_trait]
pub trait Workspace: Send + Sync {
    /// Creates an account (`Conflict` when the name is taken).
    async fn create_user(&self, user: &NewUser, actor: &str) -> Result<User, StoreError>;
    /// An account and its password hash, by login name.
    async fn user_by_name(&self, username: &str) -> Result<Option<(User, String)>, StoreError>;
    /// Every account.
    async fn users(&self) -> Result<Vec<User>, StoreError>;
    /// Replaces an account's password hash, ends its sessions and revokes its API tokens.
    async fn set_password(
        &self,
        username: &str,
        password_hash: &str,
        actor: &str,
    ) -> Result<bool, StoreError>;

    /// Disables an account (ending its sessions and revoking its tokens) or enables it again;
    /// `false` when there is no such account.
    async fn set_disabled(
        &self,
        username: &str,
        disabled: bool,
        actor: &str,
    ) -> Result<bool, StoreError>;
    /// Counts a failed login against an account; returns until when it is locked, if this
    /// failure (or an earlier one) locked it.
    async fn record_login_failure(
        &self,
        user_id: i64,
        policy: &LockoutPolicy,
    ) -> Result<Option<DateTime<Utc>>, StoreError>;
    /// Forgets an account's failed logins (after a successful login).
    async fn clear_login_failures(&self, user_id: i64) -> Result<(), StoreError>;
    /// Lifts a lockout (an administrator's act, audited); `false` when there is no such account.
    async fn unlock_user(&self, username: &str, actor: &str) -> Result<bool, StoreError>;

    /// Starts a session (the token's hash, its CSRF token, its end).
    async fn create_session(
        &self,
        user_id: i64,
        token_hash: &str,
        csrf: &str,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// A live session's account and CSRF token.
    async fn session(&self, token_hash: &str) -> Result<Option<(User, String)>, StoreError>;
    /// Ends a session.
    async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError>;

    /// Stores an API token's hash for an account, valid until `expires_at`; returns its id.
    async fn create_token(
        &self,
        username: &str,
        name: &str,
        token_hash: &str,
        expires_at: DateTime<Utc>,
        actor: &str,
    ) -> Result<i64, StoreError>;
    /// The account of a live token (neither revoked nor expired, its account enabled).
    async fn token_user(&self, token_hash: &str) -> Result<Option<User>, StoreError>;
    /// Every token's record.
    async fn tokens(&self) -> Result<Vec<ApiToken>, StoreError>;
    /// Revokes a token; `false` when there is no such live token.
    async fn revoke_token(&self, id: i64, actor: &str) -> Result<bool, StoreError>;

    /// Adds a review and makes it the incident's current state.
    async fn add_review(&self, review: &Review) -> Result<Review, StoreError>;
    /// An incident's reviews, oldest first.
    async fn reviews(&self, incident_id: i64) -> Result<Vec<Review>, StoreError>;
    /// An incident's current review state (none: unverified).
    async fn incident_state(&self, incident_id: i64) -> Result<Option<IncidentState>, StoreError>;

    /// Posts a message to an audience.
    async fn add_message(
        &self,
        incident_id: i64,
        author: &str,
        body: &str,
        mentions: &[String],
        audience: &Audience,
    ) -> Result<Message, StoreError>;
    /// An incident's messages the reader may read, oldest first.
    async fn messages(&self, incident_id: i64, reader: &Reader)
    -> Result<Vec<Message>, StoreError>;
    /// Marks an incident's messages read up to `last` for an account.
    async fn mark_read(&self, user_id: i64, incident_id: i64, last: i64) -> Result<(), StoreError>;
    /// For an account: incidents it may see with messages from others, addressed to it, that it
    /// has not read, and how many.
    async fn unread(&self, user: &User) -> Result<Vec<(i64, u32)>, StoreError>;

    /// Opens an incident's case file (no change when open).
    async fn open_case(&self, incident_id: i64, actor: &str) -> Result<(), StoreError>;
    /// An incident's case file, as the reader may see it.
    async fn case_file(
        &self,
        incident_id: i64,
        reader: &Reader,
    ) -> Result<Option<CaseFile>, StoreError>;
    /// The parties asked for information in an incident's case (each may see the incident).
    async fn case_parties(&self, incident_id: i64) -> Result<Vec<String>, StoreError>;
    /// Adds a party's submission (opens the case when needed).
    async fn add_submission(
        &self,
        incident_id: i64,
        party: &str,
        author: &str,
        body: &str,
    ) -> Result<i64, StoreError>;
    /// Asks a party for information by a deadline (opens the case when needed).
    async fn add_rfi(
        &self,
        incident_id: i64,
        party: &str,
        question: &str,
        deadline: NaiveDate,
        actor: &str,
    ) -> Result<i64, StoreError>;
    /// Answers a request; `false` when it is not this incident's or is answered already.
    async fn answer_rfi(
        &self,
        incident_id: i64,
        rfi_id: i64,
        answer: &str,
        actor: &str,
    ) -> Result<bool, StoreError>;
    /// Records the co-chairs' ruling (a later ruling replaces it, both stay in the audit log).
    async fn rule(
        &self,
        incident_id: i64,
        ruling: Ruling,
        note: &str,
        actor: &str,
    ) -> Result<(), StoreError>;
    /// Publishes a ruled case's outcome; `false` when there is no ruling yet.
    async fn publish_case(&self, incident_id: i64, actor: &str) -> Result<bool, StoreError>;

    /// Records a correction or retraction.
    async fn add_correction(&self, correction: &Correction) -> Result<Correction, StoreError>;
    /// An incident's corrections, oldest first.
    async fn corrections(&self, incident_id: i64) -> Result<Vec<Correction>, StoreError>;

    /// Every row the audit log vouches for (incident records and review state, reviews,
    /// messages, case files, submissions, requests, corrections), with the hash of its content
    /// now, to hold against the log's seals.
    async fn sealed_rows(&self) -> Result<Vec<Seal>, StoreError>;
    /// Keeps a copy of a signed tree head as issued (its size and its line).
    async fn save_tree_head(&self, size: u64, line: &str) -> Result<(), StoreError>;
    /// The signed tree heads issued, oldest first (their lines).
    async fn tree_heads(&self) -> Result<Vec<String>, StoreError>;

    /// Appends an entry to the audit log on its own (logins, command-line decisions).
    async fn append_audit(&self, entry: &NewAudit) -> Result<AuditEntry, StoreError>;
    /// The entries of one subject's history that the reader may read, in order, after `after`.
    async fn history(
        &self,
        subject: &str,
        reader: &Reader,
        after: i64,
        limit: u32,
    ) -> Result<Vec<AuditEntry>, StoreError>;
    /// Audit entries in order, after `after` (a sequence number), optionally of one subject:
    /// every entry, for verification and administrators.
    async fn audit(
        &self,
        subject: Option<&str>,
        after: i64,
        limit: u32,
    ) -> Result<Vec<AuditEntry>, StoreError>;
}

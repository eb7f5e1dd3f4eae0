//! What a full-text search over the reports finds.

/// A report that says the words searched for.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportHit {
    /// The document.
    pub document_id: i64,
    /// Its title.
    pub title: Option<String>,
    /// When it was published (`YYYY-MM-DD`).
    pub published: Option<String>,
    /// The passage around the words (about two dozen words, `…` where cut).
    pub snippet: String,
    /// The incidents its events are in.
    pub incidents: Vec<i64>,
}

/// A statement that says the words searched for (in its words, or its speaker's name, title or
/// organisation).
#[derive(Debug, Clone, PartialEq)]
pub struct StatementHit {
    /// The statement's row id.
    pub id: i64,
    /// The report it was read from.
    pub document_id: i64,
    /// Who spoke.
    pub speaker: Option<String>,
    /// Their title.
    pub title: Option<String>,
    /// Their organisation.
    pub organization: Option<String>,
    /// The report's publication date (`YYYY-MM-DD`).
    pub date: Option<String>,
    /// The passage around the words.
    pub snippet: String,
    /// The incidents its report tells of.
    pub incidents: Vec<i64>,
}

/// What kind of note a [`NoteHit`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteKind {
    /// A message on an incident's thread.
    Message,
    /// The note of a review.
    Review,
}

impl NoteKind {
    /// Its name: `message`, `review`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Message => "message",
            Self::Review => "review",
        }
    }
}

/// A note of the workspace that says the words searched for.
#[derive(Debug, Clone, PartialEq)]
pub struct NoteHit {
    /// A message or a review's note.
    pub kind: NoteKind,
    /// Its row id.
    pub id: i64,
    /// The incident it is about.
    pub incident_id: i64,
    /// Who wrote it.
    pub author: String,
    /// When (RFC 3339).
    pub at: String,
    /// The passage around the words.
    pub snippet: String,
}

/// Which kinds of note a search reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoteKinds {
    /// Messages (each only for its audience).
    pub messages: bool,
    /// Reviews' notes.
    pub reviews: bool,
}

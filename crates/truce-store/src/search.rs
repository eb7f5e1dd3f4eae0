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

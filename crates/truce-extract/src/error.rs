//! Errors of building the engine (running it never fails).

/// Why the extractor could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    /// A lexicon file is malformed (a bug in a shipped file, or a user's edited copy).
    #[error("lexicon {file} line {line}: {detail}")]
    Lexicon {
        /// The file.
        file: &'static str,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        detail: String,
    },
    /// A learned model's file is malformed (a bug in a shipped file, or a hand-edited one).
    #[error("model {file} line {line}: {detail}")]
    Model {
        /// The file.
        file: &'static str,
        /// 1-based line (0: the file as a whole).
        line: usize,
        /// What is wrong.
        detail: String,
    },
    /// The gazetteer could not be read.
    #[error(transparent)]
    Gazetteer(#[from] truce_geo::GeoError),
}

//! Store errors.

/// What went wrong talking to the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database could not be opened (a bad path, a locked or unreadable file).
    #[error("cannot open the database at {location}: {source}")]
    Open {
        /// The path or URL given.
        location: String,
        /// The driver's error.
        #[source]
        source: sqlx::Error,
    },
    /// The schema could not be brought up to date.
    #[error("cannot migrate the database schema: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A query failed.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// A stored value could not be read back (a bug, or a database edited by hand).
    #[error("corrupt stored value: {0}")]
    Corrupt(String),
    /// A bulk read, on the store's own read-only connection, failed.
    #[error("database error (bulk read): {0}")]
    BulkRead(String),
    /// The requested backend or feature is not available.
    #[error("{0}")]
    Unsupported(String),
    /// The change clashes with what is stored (a name already taken).
    #[error("{0}")]
    Conflict(String),
    /// The change names something that is not stored (an incident merged away meanwhile).
    #[error("{0}")]
    NotFound(String),
}

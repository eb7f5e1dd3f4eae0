//! What a use case can fail with.

use truce_pipeline::IngestError;
use truce_store::StoreError;

/// Why a use case could not be carried out.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The request names something that is not on the record.
    #[error("{0}")]
    NotFound(String),
    /// The request is not one that can be carried out as asked (a bad field or value).
    #[error("{0}")]
    Invalid(String),
    /// The store failed.
    #[error(transparent)]
    Store(StoreError),
    /// The pipeline (assessment, extraction) failed.
    #[error(transparent)]
    Pipeline(#[from] IngestError),
    /// The extraction engine could not be built.
    #[error("the extraction engine could not be built: {0}")]
    Engine(String),
    /// Writing the output failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

impl From<StoreError> for AppError {
    /// What the store did not find is not found for the use case either; the rest is the store's.
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(m) => Self::NotFound(m),
            other => Self::Store(other),
        }
    }
}

impl From<truce_model::CorrectionError> for AppError {
    fn from(e: truce_model::CorrectionError) -> Self {
        Self::Invalid(e.to_string())
    }
}

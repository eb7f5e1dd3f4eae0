//! ACLED and UCDP CSV files read back as records to compare with truce's, as the datasets ship
//! them: any release's column names in any case, every date form they have used (checked against
//! the `year` column, never guessed: [`day`]), ACLED's old event types and its actor categories
//! in numbers or in words.

mod acled;
mod columns;
mod day;
mod ucdp;

use std::io::Read;

pub use truce_model::external::{Dataset, ExternalRecord};

pub use acled::read_acled;
pub use ucdp::read_ucdp;

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// Not CSV, or a header without the columns the format needs.
    #[error("{0}")]
    Format(String),
    /// A row that does not fit.
    #[error("line {line}: {problem}")]
    Row {
        /// The line.
        line: u64,
        /// What is wrong.
        problem: String,
    },
    /// A field that cannot be read.
    #[error("line {line}, column {column}: {problem}")]
    Cell {
        /// The line.
        line: u64,
        /// The column, as the header names it.
        column: String,
        /// What is wrong.
        problem: String,
    },
}

impl ImportError {
    /// A cell that cannot be read: its line, its column as the header names it, and why.
    fn cell(line: u64, column: &str, problem: String) -> Self {
        Self::Cell {
            line,
            column: column.to_string(),
            problem,
        }
    }
}

/// Reads a file of `dataset`.
pub fn read<R: Read>(dataset: Dataset, input: R) -> Result<Vec<ExternalRecord>, ImportError> {
    match dataset {
        Dataset::Acled => read_acled(input),
        Dataset::Ucdp => read_ucdp(input),
    }
}

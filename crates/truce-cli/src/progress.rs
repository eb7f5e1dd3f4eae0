//! The progress bar of long runs (hidden when standard error is not a terminal).

use indicatif::{ProgressBar, ProgressStyle};
use truce_app::ingest::{DocumentOutcome, IngestObserver};
use truce_model::SourceRef;

/// Draws one tick per input read.
pub struct Progress {
    bar: ProgressBar,
}

impl Progress {
    /// A bar on standard error; `hidden` for `--quiet`.
    pub fn new(hidden: bool) -> Self {
        let bar = if hidden {
            ProgressBar::hidden()
        } else {
            ProgressBar::new(0)
        };
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} inputs {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        Self { bar }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl IngestObserver for Progress {
    fn inputs_found(&self, count: u64) {
        self.bar.set_length(count);
    }

    fn input_done(&self, _source: &SourceRef, _outcomes: &[DocumentOutcome]) {
        self.bar.inc(1);
    }

    fn extraction_started(&self, count: u64) {
        self.bar.set_style(
            ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} reports extracted, resolved \
                 and assessed ({per_sec}, {eta} left)",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        self.bar.set_length(count);
        self.bar.set_position(0);
        self.bar.reset_elapsed();
        self.bar.reset_eta();
    }

    fn documents_extracted(&self, count: u64) {
        self.bar.inc(count);
    }
}

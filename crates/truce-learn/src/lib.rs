//! Trains the truce engine's learned choices from gold data.
//!
//! The engine's rules propose candidates and describe each with features
//! ([`truce_extract::Extractor::extract_explained`]); this crate labels them against the gold
//! (the scorer's own event pairing, name matching and distance, [`truce_eval`]) and fits a logistic
//! model (FTRL-Proximal, [`fit`]). [`train`] fits one model on every record and one per fold
//! ([`truce_extract::learn::FOLDS`] folds by record id), so that figures on the training data
//! are always measured with a model that never saw the record.
//!
//! ```no_run
//! use truce_extract::Extractor;
//! use truce_learn::{TrainingFile, train};
//!
//! let files = TrainingFile::read_dir("../shared/eval/dev".as_ref()).unwrap();
//! for trained in train(&Extractor::new().unwrap(), &files).unwrap() {
//!     println!("{}", trained.full.to_text());
//! }
//! ```

mod data;
mod error;
mod fit;
mod perpetrator;
mod place;
mod row;
mod sub_event;
mod toll;

pub use data::{TrainingFile, extract_input, sha256_hex};
pub use error::LearnError;
pub use fit::{FitParams, fit};
pub use perpetrator::perpetrator_rows;
pub use place::place_rows;
pub use row::Row;
pub use sub_event::sub_event_rows;
pub use toll::{tells_its_tolls, toll_rows};

use rayon::prelude::*;
use truce_extract::learn::{DECISIONS, FOLDS};
use truce_extract::{Extractor, LinearModel, Models};

/// The models one training run produces for one decision.
#[derive(Debug, Clone)]
pub struct Trained {
    /// The decision (`perpetrator`, `place`).
    pub decision: &'static str,
    /// Fitted on every record: the model the engine ships.
    pub full: LinearModel,
    /// Fitted without the records of fold `k`, for each `k`.
    pub folds: Vec<LinearModel>,
    /// Training rows (candidates).
    pub rows: usize,
    /// Rows labelled right.
    pub positives: usize,
}

/// Trains every learned decision on the files' records: the perpetrator and the sub-event type
/// on the files with gold events, the toll on those whose gold tolls are what their reports
/// tell ([`tells_its_tolls`]), the place on the files with gold toponyms and those with gold events (whose points
/// say which reading of a name the events happened at). The rows are read with the rules alone (no
/// model), so that training never depends on an earlier model.
pub fn train(extractor: &Extractor, files: &[TrainingFile]) -> Result<Vec<Trained>, LearnError> {
    let rules = extractor.with_models(Models::none());
    let mut out = Vec::new();
    for decision in DECISIONS {
        let files: Vec<TrainingFile> = files
            .iter()
            .filter(|f| match decision {
                "perpetrator" | "sub_event" => f.has_gold("events"),
                "toll" => f.has_gold("events") && tells_its_tolls(f),
                _ => f.has_gold("places") || f.has_gold("events"),
            })
            .cloned()
            .collect();
        if files.is_empty() {
            continue;
        }
        let rows = match decision {
            "perpetrator" => perpetrator_rows(&rules, &files),
            "sub_event" => sub_event_rows(&rules, &files),
            "toll" => toll_rows(&rules, &files),
            _ => place_rows(&rules, &files),
        };
        out.push(fit_decision(decision, &files, &rows)?);
    }
    Ok(out)
}

/// Fits one decision's full model and its fold models.
fn fit_decision(
    decision: &'static str,
    files: &[TrainingFile],
    rows: &[Row],
) -> Result<Trained, LearnError> {
    let params = FitParams::of(decision);
    let trained_on: Vec<_> = files.iter().map(TrainingFile::trained_on).collect();
    let note = |rows: &[&Row]| {
        format!(
            "rows {} positives {}; {params}",
            rows.len(),
            rows.iter().filter(|r| r.label).count(),
        )
    };
    let all: Vec<&Row> = rows.iter().collect();
    let mut full = fit(&all, decision, &params)?;
    full.trained_on = trained_on.clone();
    full.notes.push("fitted on every record".into());
    full.notes.push(note(&all));
    let folds = (0..FOLDS)
        .into_par_iter()
        .map(|k| {
            let train: Vec<&Row> = rows.iter().filter(|r| r.fold != k).collect();
            let mut m = fit(&train, decision, &params)?;
            m.trained_on = trained_on.clone();
            m.notes.push(format!(
                "fold {k} of {FOLDS}: fitted without the records whose id falls in fold {k}"
            ));
            m.notes.push(note(&train));
            Ok(m)
        })
        .collect::<Result<Vec<_>, LearnError>>()?;
    Ok(Trained {
        decision,
        full,
        folds,
        rows: rows.len(),
        positives: rows.iter().filter(|r| r.label).count(),
    })
}

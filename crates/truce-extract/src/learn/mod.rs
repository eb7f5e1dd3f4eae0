//! Learned choices: the rules propose candidates, a trained linear model decides among them.
//!
//! Each decision the engine learns (today: who an event's perpetrator is) is made the same way:
//! the rules find the candidates (every actor the report names, and ACLED's conventional sides:
//! an unidentified armed group, the state's forces, the rioters), one feature function describes
//! each candidate as named features, and a logistic model scores them. The feature function is
//! the one code path for training (`truce train`, in `truce-learn`) and for use; the weights are
//! small text files under `models/`, embedded in the engine and part of its version.

mod candidate;
mod model;

pub use candidate::{Candidate, Choice, Proposal, Side, Subject};
pub use model::{
    DECISIONS, FOLDS, FeatureSink, Features, LinearModel, Logit, Models, TrainedOn, assess,
    name_hash,
};

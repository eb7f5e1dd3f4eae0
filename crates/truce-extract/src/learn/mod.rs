//! Learned choices: the rules propose candidates, a trained linear model decides among them.
//!
//! Each decision the engine learns ([`DECISIONS`]: who an event's perpetrator is, which place a
//! name stands for, which sub-event type an event is, which counts of people count its dead) is
//! made the same way: the rules find the candidates (every actor the report names and ACLED's
//! conventional sides; a name's gazetteer places and "no place"; the sub-event types the codebook
//! allows; the figures and persons of the telling), one feature function
//! describes each candidate, and a logistic model scores them. The feature function is the one
//! code path for training (`truce train`, in `truce-learn`) and for use; the weights are text
//! files under `models/`, embedded in the engine and part of its version.

mod candidate;
mod model;

pub use candidate::{Candidate, Choice, Proposal, Side, Subject};
pub use model::{
    DECISIONS, FOLDS, FeatureSink, Features, LinearModel, Logit, Models, TrainedOn, assess,
    name_hash, sigmoid,
};

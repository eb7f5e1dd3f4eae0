//! Fitting a logistic model on labelled rows: FTRL-Proximal (`linfa-ftrl`), one row at a time.
//!
//! The rows are sparse (about fifteen features set of about 1,500 kept). `linfa-logistic`
//! fits dense matrices with L-BFGS: about two seconds an iteration here, minutes a model.
//! FTRL-Proximal (McMahan et al., 2013) is the logistic regression of sparse click-through
//! models: per-coordinate learning rates, L1 and L2 regularisation, and a pass over the rows
//! costs one update each. A few seeded passes fit a model in about a second.

use std::collections::{BTreeMap, HashMap};

use linfa::Dataset;
use linfa::traits::FitWith;
use linfa_ftrl::Ftrl;
use ndarray::{Array1, Array2};
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_xoshiro::Xoshiro256Plus;
use truce_extract::LinearModel;

use crate::{LearnError, Row};

/// How a model is fitted.
#[derive(Debug, Clone, Copy)]
pub struct FitParams {
    /// FTRL's learning rate.
    pub alpha: f64,
    /// FTRL's learning-rate smoothing.
    pub beta: f64,
    /// L1 regularisation (drives rare, weak features to exactly zero).
    pub l1: f64,
    /// L2 regularisation.
    pub l2: f64,
    /// Passes over the rows, each in its own seeded order.
    pub epochs: usize,
    /// The seed of the row orders and of FTRL's starting state.
    pub seed: u64,
    /// A feature seen in fewer training rows is left out (it would only learn its records).
    pub min_count: usize,
}

impl Default for FitParams {
    fn default() -> Self {
        Self {
            alpha: 0.1,
            beta: 1.0,
            l1: 0.5,
            l2: 1.0,
            epochs: 8,
            seed: 20_261_203,
            min_count: 5,
        }
    }
}

impl std::fmt::Display for FitParams {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "ftrl alpha {} beta {} l1 {} l2 {} epochs {} seed {} min_count {}",
            self.alpha, self.beta, self.l1, self.l2, self.epochs, self.seed, self.min_count
        )
    }
}

/// The name of the always-on column that stands for the intercept.
const BIAS: &str = "\u{0}bias";

/// Fits a logistic model on rows. Deterministic: the same rows and parameters give the same
/// weights (the vocabulary is sorted, the row orders and FTRL's start come from the seed).
pub fn fit(rows: &[&Row], decision: &str, params: &FitParams) -> Result<LinearModel, LearnError> {
    let err = |detail: String| LearnError::Fit {
        decision: decision.to_string(),
        detail,
    };
    if !rows.iter().any(|r| r.label) || rows.iter().all(|r| r.label) {
        return Err(err("the rows need both right and wrong candidates".into()));
    }
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for r in rows {
        for (n, _) in r.features.iter() {
            *counts.entry(n).or_default() += 1;
        }
    }
    let mut vocabulary: Vec<&str> = vec![BIAS];
    vocabulary.extend(
        counts
            .into_iter()
            .filter(|(_, c)| *c >= params.min_count)
            .map(|(n, _)| n),
    );
    let index: HashMap<&str, usize> = vocabulary
        .iter()
        .enumerate()
        .map(|(i, n)| (*n, i))
        .collect();
    let sparse: Vec<Vec<(usize, f64)>> = rows
        .iter()
        .map(|r| {
            let mut v = vec![(0, 1.0)];
            v.extend(
                r.features
                    .iter()
                    .filter_map(|(n, x)| index.get(n).map(|&j| (j, x))),
            );
            v
        })
        .collect();
    let ftrl_params = Ftrl::params_with_rng(Xoshiro256Plus::seed_from_u64(params.seed))
        .alpha(params.alpha)
        .beta(params.beta)
        .l1_ratio(params.l1)
        .l2_ratio(params.l2);
    let checked = linfa::ParamGuard::check(ftrl_params).map_err(|e| err(e.to_string()))?;
    let mut model: Option<Ftrl<f64>> = None;
    let mut order: Vec<usize> = (0..rows.len()).collect();
    let mut rng = Xoshiro256Plus::seed_from_u64(params.seed);
    let mut x = Array2::<f64>::zeros((1, vocabulary.len()));
    for _ in 0..params.epochs {
        order.shuffle(&mut rng);
        for &i in &order {
            x.fill(0.0);
            for &(j, v) in &sparse[i] {
                x[[0, j]] = v;
            }
            let y = Array1::from_elem(1, rows[i].label);
            let dataset = Dataset::new(x.clone(), y);
            model = Some(
                checked
                    .fit_with(model.take(), &dataset)
                    .map_err(|e| err(e.to_string()))?,
            );
        }
    }
    let model = model.ok_or_else(|| err("no row to fit".into()))?;
    let weights = model.get_weights();
    let bias = weights[0];
    Ok(LinearModel::new(
        decision,
        bias,
        vocabulary
            .iter()
            .zip(weights.iter())
            .skip(1)
            .map(|(n, w)| (n.to_string(), *w)),
    ))
}

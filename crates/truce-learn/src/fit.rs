//! Fitting a logistic model on labelled rows: FTRL-Proximal (McMahan et al., 2013), one row at a
//! time, visiting only the row's features.
//!
//! The rows are sparse (a few dozen features set, of up to tens of thousands kept).
//! `linfa-logistic` fits dense matrices with L-BFGS: about two seconds an iteration here, minutes
//! a model. FTRL-Proximal is the logistic regression of sparse click-through models:
//! per-coordinate learning rates, L1 and L2 regularisation, one update a row. `linfa-ftrl`
//! implements it, but cannot serve as it is: it applies each update to the whole weight vector
//! (its rows are dense arrays), O(vocabulary) a row, which the sub-event decision's word features
//! make minutes a model; and it starts `z` at random values in [0, 1), so that under L1 a feature
//! seen in few rows keeps a small random weight (the sub-event model was 60% larger for it, with
//! the same accuracy). Here `z` and `n` start at zero, as in the paper's Algorithm 1, and a row
//! updates only its own features (an absent feature has a zero gradient: FTRL leaves its state
//! untouched). The update is `linfa-ftrl`'s own formulas; a test holds it to `linfa-ftrl`'s dense
//! fit from the same starting state.

use std::collections::{BTreeMap, HashMap};

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

impl FitParams {
    /// The parameters a decision is fitted with: the sub-event type's features cross every
    /// word of the telling with each of the 25 types, so a feature must be seen in more rows
    /// (a word in more events) to be kept.
    pub fn of(decision: &str) -> Self {
        match decision {
            "sub_event" => Self {
                min_count: 25,
                ..Self::default()
            },
            _ => Self::default(),
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
    let ftrl = Sparse::start(params, vocabulary.len()).map_err(err)?;
    let weights = ftrl.fit(&sparse, |i| rows[i].label, params);
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

/// FTRL-Proximal's state over a vocabulary, updated one sparse row at a time.
struct Sparse {
    alpha: f64,
    beta: f64,
    l1: f64,
    l2: f64,
    z: Vec<f64>,
    n: Vec<f64>,
}

impl Sparse {
    /// FTRL's starting state for these parameters and this many features: `z` and `n` zero.
    fn start(params: &FitParams, features: usize) -> Result<Self, String> {
        Self::from(params, vec![0.0; features])
    }

    /// The state for these parameters with `z` given and `n` zero.
    fn from(params: &FitParams, z: Vec<f64>) -> Result<Self, String> {
        let FitParams {
            alpha,
            beta,
            l1,
            l2,
            ..
        } = *params;
        if !(alpha.is_finite() && alpha > 0.0) {
            return Err(format!(
                "the learning rate alpha must be positive, not {alpha}"
            ));
        }
        for (name, v) in [("beta", beta), ("l1", l1), ("l2", l2)] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(format!("{name} must be zero or more, not {v}"));
            }
        }
        Ok(Self {
            alpha,
            beta,
            l1,
            l2,
            n: vec![0.0; z.len()],
            z,
        })
    }

    /// One weight from its state (`linfa-ftrl`'s proximal step).
    fn weight(&self, j: usize) -> f64 {
        let z = self.z[j];
        let sign = z.signum();
        if z * sign <= self.l1 {
            0.0
        } else {
            (sign * self.l1 - z) / ((self.n[j].sqrt() + self.beta) / self.alpha + self.l2)
        }
    }

    /// Learns from one row (`(feature, value)` pairs, each feature once).
    fn update(&mut self, row: &[(usize, f64)], label: bool) {
        let dot: f64 = row.iter().map(|&(j, v)| v * self.weight(j)).sum();
        // linfa-ftrl clips the logit to +-35 and keeps the probability as an f32.
        let p = f64::from(sigmoid(dot.clamp(-35.0, 35.0)) as f32);
        let diff = p - if label { 1.0 } else { 0.0 };
        for &(j, v) in row {
            let g = diff * v;
            let w = self.weight(j);
            let sigma = ((self.n[j] + g * g).sqrt() - self.n[j].sqrt()) / self.alpha;
            self.z[j] += g - sigma * w;
            self.n[j] += g * g;
        }
    }

    /// Passes over the rows `params.epochs` times, each pass in its own seeded order, and
    /// returns the weights.
    fn fit(
        mut self,
        rows: &[Vec<(usize, f64)>],
        label: impl Fn(usize) -> bool,
        params: &FitParams,
    ) -> Vec<f64> {
        let mut order: Vec<usize> = (0..rows.len()).collect();
        let mut rng = Xoshiro256Plus::seed_from_u64(params.seed);
        for _ in 0..params.epochs {
            order.shuffle(&mut rng);
            for &i in &order {
                self.update(&rows[i], label(i));
            }
        }
        (0..self.z.len()).map(|j| self.weight(j)).collect()
    }
}

fn sigmoid(x: f64) -> f64 {
    if x < 0.0 {
        let e = x.exp();
        e / (e + 1.0)
    } else {
        1.0 / (1.0 + (-x).exp())
    }
}

#[cfg(test)]
mod tests {
    use linfa::Dataset;
    use linfa::traits::FitWith;
    use linfa_ftrl::Ftrl;
    use ndarray::{Array1, Array2};

    use super::*;

    /// The sparse update learns what `linfa-ftrl`'s dense one learns from the same rows in the
    /// same order and the same starting state.
    #[test]
    fn sparse_updates_match_linfa_ftrl() {
        let params = FitParams {
            epochs: 3,
            ..FitParams::default()
        };
        let features = 12;
        // Rows of a few features each, labelled by a rule the model can learn.
        let rows: Vec<Vec<(usize, f64)>> = (0..60usize)
            .map(|i| {
                let mut r = vec![(0, 1.0), (1 + i % 5, 1.0), (6 + (i * 7) % 6, 0.5)];
                r.sort_unstable_by_key(|&(j, _)| j);
                r.dedup_by_key(|&mut (j, _)| j);
                r
            })
            .collect();
        let label = |i: usize| i % 5 == 2 || i.is_multiple_of(3);
        let checked = linfa::ParamGuard::check(
            Ftrl::params_with_rng(Xoshiro256Plus::seed_from_u64(params.seed))
                .alpha(params.alpha)
                .beta(params.beta)
                .l1_ratio(params.l1)
                .l2_ratio(params.l2),
        )
        .unwrap();
        let start = Ftrl::<f64>::new(checked.clone(), features).z().to_vec();
        let ours = Sparse::from(&params, start)
            .unwrap()
            .fit(&rows, label, &params);

        let mut model: Option<Ftrl<f64>> = None;
        let mut order: Vec<usize> = (0..rows.len()).collect();
        let mut rng = Xoshiro256Plus::seed_from_u64(params.seed);
        for _ in 0..params.epochs {
            order.shuffle(&mut rng);
            for &i in &order {
                let mut x = Array2::<f64>::zeros((1, features));
                for &(j, v) in &rows[i] {
                    x[[0, j]] = v;
                }
                let dataset = Dataset::new(x, Array1::from_elem(1, label(i)));
                model = Some(checked.fit_with(model.take(), &dataset).unwrap());
            }
        }
        let theirs = model.unwrap().get_weights();
        assert!(ours.iter().any(|w| *w != 0.0), "{ours:?}");
        for (j, (a, b)) in ours.iter().zip(theirs.iter()).enumerate() {
            assert!((a - b).abs() < 1e-9, "weight {j}: ours {a}, linfa-ftrl {b}");
        }
    }
}

#[cfg(test)]
mod learning {
    use truce_extract::Features;

    use super::*;

    /// From zero, a feature that tells right from wrong gets a large weight of the right sign,
    /// and one that tells nothing a small one.
    #[test]
    fn a_telling_feature_outweighs_a_useless_one() {
        let rows: Vec<Row> = (0..400)
            .map(|i: u32| {
                let mut features = Features::default();
                // Right four times in five: the rows are not separable.
                let label = i.is_multiple_of(2);
                if label != i.is_multiple_of(5) {
                    features.on("good");
                }
                if i % 4 < 2 {
                    features.on("noise");
                }
                Row {
                    fold: 0,
                    features,
                    label,
                }
            })
            .collect();
        let refs: Vec<&Row> = rows.iter().collect();
        let params = FitParams {
            min_count: 1,
            ..FitParams::default()
        };
        let model = fit(&refs, "test", &params).unwrap();
        assert!(model.weight("good") > 1.0, "{}", model.to_text());
        assert!(
            model.weight("noise").abs() < model.weight("good") / 4.0,
            "{}",
            model.to_text()
        );
    }

    #[test]
    fn bad_parameters_are_refused() {
        for params in [
            FitParams {
                alpha: 0.0,
                ..FitParams::default()
            },
            FitParams {
                l1: -1.0,
                ..FitParams::default()
            },
            FitParams {
                beta: f64::NAN,
                ..FitParams::default()
            },
        ] {
            assert!(Sparse::start(&params, 3).is_err(), "{params}");
        }
    }
}

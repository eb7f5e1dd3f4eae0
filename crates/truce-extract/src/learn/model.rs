//! A logistic model over named features, its text file and the set of models the engine uses.

use rustc_hash::FxHashMap;

use crate::ExtractError;

/// Feature values describing one candidate (binary features have the value 1), each known by
/// the hash of its name ([`name_hash`]) and, in a named set, by its name too. A model scores
/// either by the hashes; training and explanation need the names ([`Features::default`]),
/// deciding does not ([`Features::hashed`]: no string per feature).
#[derive(Debug, Clone, PartialEq)]
pub struct Features {
    ids: Vec<(u64, f64)>,
    /// The names, `names[i]` that of `ids[i]`; `None` in a hashed set.
    names: Option<Vec<String>>,
}

impl Default for Features {
    /// An empty named set.
    fn default() -> Self {
        Self {
            ids: Vec::new(),
            names: Some(Vec::new()),
        }
    }
}

impl Features {
    /// An empty set that keeps only the hashes of its features' names.
    pub fn hashed() -> Self {
        Self {
            ids: Vec::new(),
            names: None,
        }
    }

    /// Whether the set keeps its features' names.
    pub fn is_named(&self) -> bool {
        self.names.is_some()
    }

    /// Sets a binary feature.
    pub fn on(&mut self, name: impl Into<String>) {
        self.set(name, 1.0);
    }

    /// Sets a feature's value; a feature set twice keeps the larger value.
    pub fn set(&mut self, name: impl Into<String>, value: f64) {
        let name = name.into();
        self.insert(name_hash(&[&name]), value, || name);
    }

    /// Sets a binary feature named by the concatenation of `parts` (the name is written out
    /// only in a named set).
    pub fn on_parts(&mut self, parts: &[&str]) {
        self.insert(name_hash(parts), 1.0, || parts.concat());
    }

    fn insert(&mut self, id: u64, value: f64, name: impl FnOnce() -> String) {
        match self.ids.iter_mut().find(|(h, _)| *h == id) {
            Some((_, v)) => *v = v.max(value),
            None => {
                self.ids.push((id, value));
                if let Some(names) = &mut self.names {
                    names.push(name());
                }
            }
        }
    }

    /// Takes every feature of another set (the larger value where both have one).
    pub fn absorb(&mut self, other: &Features) {
        for (i, &(id, v)) in other.ids.iter().enumerate() {
            let name = || {
                other
                    .names
                    .as_ref()
                    .and_then(|n| n.get(i).cloned())
                    .unwrap_or_default()
            };
            self.insert(id, v, name);
        }
    }

    /// The features and their values, by name (nothing for a hashed set).
    pub fn iter(&self) -> impl Iterator<Item = (&str, f64)> {
        self.names
            .iter()
            .flatten()
            .zip(&self.ids)
            .map(|(n, (_, v))| (n.as_str(), *v))
    }

    /// The features' name hashes and values.
    pub fn ids(&self) -> impl Iterator<Item = (u64, f64)> + '_ {
        self.ids.iter().copied()
    }

    /// How many features are set.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether none is set.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

/// The probability a log-odds stands for.
pub fn sigmoid(logit: f64) -> f64 {
    1.0 / (1.0 + (-logit).exp())
}

/// A hash of a feature name given in parts: the same for the same name however it is cut (the
/// parts are joined on the stack, then hashed at once).
pub fn name_hash(parts: &[&str]) -> u64 {
    use std::hash::Hasher;
    let mut hasher = rustc_hash::FxHasher::default();
    let mut buffer = [0u8; 128];
    let mut len = 0;
    for part in parts {
        let bytes = part.as_bytes();
        if len + bytes.len() > buffer.len() {
            // A long name: joined on the heap.
            hasher.write(parts.concat().as_bytes());
            return hasher.finish();
        }
        buffer[len..len + bytes.len()].copy_from_slice(bytes);
        len += bytes.len();
    }
    hasher.write(&buffer[..len]);
    hasher.finish()
}

/// Where a feature function writes its features: a [`Features`] set (to train and to explain)
/// or a running log-odds under a model ([`Logit`], to decide without writing any name out).
/// One feature function serves both, so that what is trained is what is used.
pub trait FeatureSink {
    /// A binary feature, named by the concatenation of `parts`.
    fn on(&mut self, parts: &[&str]);
    /// A feature with a value, named by the concatenation of `parts`.
    fn value(&mut self, parts: &[&str], value: f64);
}

impl FeatureSink for Features {
    fn on(&mut self, parts: &[&str]) {
        self.on_parts(parts);
    }

    fn value(&mut self, parts: &[&str], value: f64) {
        let id = name_hash(parts);
        self.insert(id, value, || parts.concat());
    }
}

/// A candidate's log-odds under a model, summed as its features are named.
#[derive(Debug, Clone)]
pub struct Logit<'m> {
    model: &'m LinearModel,
    sum: f64,
}

impl<'m> Logit<'m> {
    /// Starts at the model's intercept.
    pub fn new(model: &'m LinearModel) -> Self {
        Self {
            model,
            sum: model.bias,
        }
    }

    /// The probability of the candidate described so far.
    pub fn probability(&self) -> f64 {
        sigmoid(self.sum)
    }
}

impl FeatureSink for Logit<'_> {
    fn on(&mut self, parts: &[&str]) {
        self.sum += self.model.weight_of(parts);
    }

    fn value(&mut self, parts: &[&str], value: f64) {
        self.sum += self.model.weight_of(parts) * value;
    }
}

/// A candidate's features and probability: with a model and no one to explain to, only the
/// log-odds is summed (no feature name written out); otherwise the named features, scored.
pub fn assess(
    model: Option<&LinearModel>,
    explain: bool,
    describe: impl Fn(&mut dyn FeatureSink),
) -> (Features, Option<f64>) {
    match model {
        Some(m) if !explain => {
            let mut logit = Logit::new(m);
            describe(&mut logit);
            (Features::default(), Some(logit.probability()))
        }
        None if !explain => (Features::default(), None),
        _ => {
            let mut f = Features::default();
            describe(&mut f);
            let p = model.map(|m| m.probability(&f));
            (f, p)
        }
    }
}

/// One training file a model was fitted on: its name and the SHA-256 of its bytes, so that an
/// evaluation can tell a file the model saw (and score it cross-validated) from one it did not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainedOn {
    /// The file's name (`acled.jsonl`).
    pub file: String,
    /// Lower-case hex SHA-256 of its bytes.
    pub sha256: String,
}

/// A logistic model: `p = 1 / (1 + exp(-(bias + Σ weight·value)))` over named features;
/// features it has no weight for count zero.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LinearModel {
    /// What it decides (`perpetrator`).
    pub decision: String,
    /// The intercept.
    pub bias: f64,
    weights: FxHashMap<String, f64>,
    /// The same weights by [`name_hash`] of the feature's name, to score a candidate from the
    /// parts of its features' names without writing the names out.
    by_hash: FxHashMap<u64, f64>,
    /// The files it was trained on.
    pub trained_on: Vec<TrainedOn>,
    /// Free comment lines written by the trainer (rows, folds, regularisation).
    pub notes: Vec<String>,
}

impl LinearModel {
    /// A model from its weights.
    pub fn new(
        decision: impl Into<String>,
        bias: f64,
        weights: impl IntoIterator<Item = (String, f64)>,
    ) -> Self {
        let weights: FxHashMap<String, f64> = weights.into_iter().collect();
        Self {
            decision: decision.into(),
            bias,
            by_hash: weights.iter().map(|(n, w)| (name_hash(&[n]), *w)).collect(),
            weights,
            trained_on: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// The weight of the feature named by the concatenation of `parts`.
    pub fn weight_of(&self, parts: &[&str]) -> f64 {
        self.by_hash.get(&name_hash(parts)).copied().unwrap_or(0.0)
    }

    /// The weight of a feature (0 for a feature the model does not know).
    pub fn weight(&self, feature: &str) -> f64 {
        self.weights.get(feature).copied().unwrap_or(0.0)
    }

    /// How many features have a weight.
    pub fn len(&self) -> usize {
        self.weights.len()
    }

    /// Whether no feature has a weight.
    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }

    /// The log-odds of a candidate.
    pub fn logit(&self, f: &Features) -> f64 {
        self.bias
            + f.ids()
                .map(|(id, v)| self.by_hash.get(&id).copied().unwrap_or(0.0) * v)
                .sum::<f64>()
    }

    /// The probability of a candidate.
    pub fn probability(&self, f: &Features) -> f64 {
        sigmoid(self.logit(f))
    }

    /// Each feature's part in a candidate's log-odds, strongest (by magnitude) first.
    pub fn contributions(&self, f: &Features) -> Vec<(String, f64)> {
        let mut out: Vec<(String, f64)> = f
            .iter()
            .map(|(n, v)| (n.to_string(), self.weight(n) * v))
            .filter(|(_, c)| *c != 0.0)
            .collect();
        out.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then(a.0.cmp(&b.0)));
        out
    }

    /// Reads a model file: `#` comment lines (`# decision NAME`, `# data FILE SHA256`, notes),
    /// a `bias<TAB>VALUE` line, then one `FEATURE<TAB>WEIGHT` line per feature.
    pub fn parse(file: &'static str, text: &str) -> Result<Self, ExtractError> {
        let mut model = LinearModel::default();
        let mut bias = None;
        for (i, line) in text.lines().enumerate() {
            let err = |detail: String| ExtractError::Model {
                file,
                line: i + 1,
                detail,
            };
            if line.trim().is_empty() {
                continue;
            }
            if let Some(comment) = line.strip_prefix('#') {
                let comment = comment.trim();
                if let Some(d) = comment.strip_prefix("decision ") {
                    model.decision = d.trim().to_string();
                } else if let Some(d) = comment.strip_prefix("data ") {
                    let mut parts = d.split_whitespace();
                    match (parts.next(), parts.next()) {
                        (Some(f), Some(h)) => model.trained_on.push(TrainedOn {
                            file: f.to_string(),
                            sha256: h.to_string(),
                        }),
                        _ => return Err(err("expected `# data FILE SHA256`".into())),
                    }
                } else {
                    model.notes.push(comment.to_string());
                }
                continue;
            }
            let (name, value) = line
                .rsplit_once('\t')
                .ok_or_else(|| err("expected FEATURE<TAB>WEIGHT".into()))?;
            let value: f64 = value
                .trim()
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite())
                .ok_or_else(|| err(format!("{value:?} is not a finite number")))?;
            if name == "bias" && bias.is_none() {
                bias = Some(value);
            } else if model.weights.insert(name.to_string(), value).is_some() {
                return Err(err(format!("feature {name:?} given twice")));
            }
        }
        model.bias = bias.ok_or(ExtractError::Model {
            file,
            line: 0,
            detail: "no bias line".into(),
        })?;
        for (name, w) in &model.weights {
            if model.by_hash.insert(name_hash(&[name]), *w).is_some() {
                return Err(ExtractError::Model {
                    file,
                    line: 0,
                    detail: format!("feature {name:?} shares its hash with another: rename one"),
                });
            }
        }
        Ok(model)
    }

    /// Every feature's name and weight, in no particular order.
    pub fn weights(&self) -> impl Iterator<Item = (&str, f64)> {
        self.weights.iter().map(|(n, w)| (n.as_str(), *w))
    }

    /// The model file: the same bytes for the same weights (features sorted, six decimals,
    /// weights that round to zero left out).
    pub fn to_text(&self) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let _ = writeln!(out, "# decision {}", self.decision);
        for t in &self.trained_on {
            let _ = writeln!(out, "# data {} {}", t.file, t.sha256);
        }
        for n in &self.notes {
            let _ = writeln!(out, "# {n}");
        }
        let _ = writeln!(out, "bias\t{:.6}", self.bias);
        let mut weights: Vec<(&String, &f64)> = self
            .weights
            .iter()
            .filter(|(_, w)| format!("{:.6}", w.abs()) != "0.000000")
            .collect();
        weights.sort_by(|a, b| a.0.cmp(b.0));
        for (n, w) in weights {
            let _ = writeln!(out, "{n}\t{w:.6}");
        }
        out
    }
}

/// The learned models the engine decides with, one per decision of [`DECISIONS`]. Without a
/// model for a decision the rules decide it alone.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Models {
    /// Indexed like [`DECISIONS`].
    models: [Option<LinearModel>; DECISIONS.len()],
}

/// Each decision's model file as named in errors: shipped, and per fold.
const MODEL_FILES: [(&str, &str); DECISIONS.len()] = [
    ("perpetrator.tsv", "cv/perpetrator.tsv"),
    ("place.tsv", "cv/place.tsv"),
    ("sub_event.tsv", "cv/sub_event.tsv"),
    ("toll.tsv", "cv/toll.tsv"),
];

/// Folds of the cross-validation: every training record belongs to one, by its id.
pub const FOLDS: usize = 5;

/// The decisions the engine learns, each with its model file under `models/` (and
/// `models/cv/DECISION.K.tsv` per fold): who an event's perpetrator is; which gazetteer place a
/// name stands for, or none; which of ACLED's sub-event types an event is; which counts of people
/// its telling holds count its dead.
pub const DECISIONS: [&str; 4] = ["perpetrator", "place", "sub_event", "toll"];

/// The shipped model of each decision, trained on every training record.
const SHIPPED: [&str; DECISIONS.len()] = [
    include_str!("../../models/perpetrator.tsv"),
    include_str!("../../models/place.tsv"),
    include_str!("../../models/sub_event.tsv"),
    include_str!("../../models/toll.tsv"),
];

/// Each decision's models trained without one fold.
const FOLD_MODELS: [[&str; FOLDS]; DECISIONS.len()] = [
    [
        include_str!("../../models/cv/perpetrator.0.tsv"),
        include_str!("../../models/cv/perpetrator.1.tsv"),
        include_str!("../../models/cv/perpetrator.2.tsv"),
        include_str!("../../models/cv/perpetrator.3.tsv"),
        include_str!("../../models/cv/perpetrator.4.tsv"),
    ],
    [
        include_str!("../../models/cv/place.0.tsv"),
        include_str!("../../models/cv/place.1.tsv"),
        include_str!("../../models/cv/place.2.tsv"),
        include_str!("../../models/cv/place.3.tsv"),
        include_str!("../../models/cv/place.4.tsv"),
    ],
    [
        include_str!("../../models/cv/sub_event.0.tsv"),
        include_str!("../../models/cv/sub_event.1.tsv"),
        include_str!("../../models/cv/sub_event.2.tsv"),
        include_str!("../../models/cv/sub_event.3.tsv"),
        include_str!("../../models/cv/sub_event.4.tsv"),
    ],
    [
        include_str!("../../models/cv/toll.0.tsv"),
        include_str!("../../models/cv/toll.1.tsv"),
        include_str!("../../models/cv/toll.2.tsv"),
        include_str!("../../models/cv/toll.3.tsv"),
        include_str!("../../models/cv/toll.4.tsv"),
    ],
];

impl Models {
    /// Parses one text per decision, shipped or of a fold (which names the files in errors).
    fn from_texts(
        of_fold: bool,
        texts: [&'static str; DECISIONS.len()],
    ) -> Result<Self, ExtractError> {
        let mut models: [Option<LinearModel>; DECISIONS.len()] = Default::default();
        for ((slot, text), file) in models.iter_mut().zip(texts).zip(MODEL_FILES) {
            let file = if of_fold { file.1 } else { file.0 };
            *slot = Some(LinearModel::parse(file, text)?);
        }
        Ok(Self { models })
    }

    /// The shipped models, trained on every training record.
    pub fn embedded() -> Result<Self, ExtractError> {
        Self::from_texts(false, SHIPPED)
    }

    /// The models trained without the records of one fold (for cross-validated figures: a
    /// record of fold `k` is read with the models of fold `k`, which never saw it).
    pub fn fold(k: usize) -> Result<Self, ExtractError> {
        if k >= FOLDS {
            return Err(ExtractError::Model {
                file: "cv/",
                line: 0,
                detail: format!("no fold {k}: there are {FOLDS}"),
            });
        }
        Self::from_texts(true, FOLD_MODELS.map(|folds| folds[k]))
    }

    /// The model of a decision (one of [`DECISIONS`]), when there is one.
    pub fn get(&self, decision: &str) -> Option<&LinearModel> {
        let i = DECISIONS.iter().position(|d| *d == decision)?;
        self.models[i].as_ref()
    }

    /// The model that decides `decision`, when there is one with weights (without, the rules
    /// decide).
    pub fn deciding(&self, decision: &str) -> Option<&LinearModel> {
        self.get(decision).filter(|m| !m.is_empty())
    }

    /// The same models with one decision's model replaced (`None`: the rules decide it).
    pub fn with(mut self, decision: &str, model: Option<LinearModel>) -> Self {
        if let Some(i) = DECISIONS.iter().position(|d| *d == decision) {
            self.models[i] = model;
        }
        self
    }

    /// The decisions whose model was trained on a file, known by its SHA-256.
    pub fn trained_on(&self, sha256: &str) -> Vec<&'static str> {
        DECISIONS
            .into_iter()
            .filter(|d| {
                self.get(d)
                    .is_some_and(|m| m.trained_on.iter().any(|t| t.sha256 == sha256))
            })
            .collect()
    }

    /// No learned model: the rules decide everything.
    pub fn none() -> Self {
        Self::default()
    }

    /// The fold a training record belongs to, from its id (FNV-1a of the id's bytes, modulo
    /// [`FOLDS`]): fixed, whatever order the records come in.
    pub fn fold_of(id: &str) -> usize {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for b in id.as_bytes() {
            hash ^= u64::from(*b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        (hash % FOLDS as u64) as usize
    }

    /// Bytes that identify the models (part of the engine's version).
    pub fn fingerprint(&self) -> String {
        DECISIONS
            .into_iter()
            .filter_map(|d| self.get(d))
            .map(LinearModel::to_text)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_text_round_trips_and_scores() {
        let mut m = LinearModel::new(
            "perpetrator",
            -1.0,
            [("by".to_string(), 2.0), ("tiny".to_string(), 1e-9)],
        );
        m.trained_on.push(TrainedOn {
            file: "a.jsonl".into(),
            sha256: "00ff".into(),
        });
        let text = m.to_text();
        assert!(!text.contains("tiny"), "{text}");
        let back = LinearModel::parse("t", &text).unwrap();
        assert_eq!(back.trained_on, m.trained_on);
        let mut f = Features::default();
        f.on("by");
        f.on("unknown feature");
        assert!((back.logit(&f) - 1.0).abs() < 1e-9);
        assert_eq!(back.contributions(&f), vec![("by".to_string(), 2.0)]);
        assert_eq!(back.to_text(), text);
        // Scoring from a name's parts is scoring from the name.
        assert_eq!(back.weight_of(&["b", "y"]), back.weight("by"));
        let mut logit = Logit::new(&back);
        logit.on(&["b", "y"]);
        logit.on(&["unknown ", "feature"]);
        assert!((logit.probability() - back.probability(&f)).abs() < 1e-12);
    }

    #[test]
    fn a_names_hash_is_the_same_however_it_is_cut() {
        let names = [
            "",
            "a",
            "p:kind=town",
            "&w=stormed",
            "p:support=<20&kind=village_with_a_long_tail",
            "exactly8",
            "sixteen bytes...",
        ];
        let mut seen = std::collections::HashSet::new();
        for name in names {
            let whole = name_hash(&[name]);
            assert!(seen.insert(whole), "{name:?} collides");
            // Every cut into two and three parts, empty parts included.
            for i in 0..=name.len() {
                assert_eq!(
                    name_hash(&[&name[..i], &name[i..]]),
                    whole,
                    "{name:?} at {i}"
                );
                for j in i..=name.len() {
                    let three = [&name[..i], &name[i..j], &name[j..]];
                    assert_eq!(name_hash(&three), whole, "{name:?} at {i}, {j}");
                }
            }
        }
        // Trailing zero bytes are not lost in the padding.
        assert_ne!(name_hash(&["ab"]), name_hash(&["ab\0"]));
    }

    #[test]
    fn a_hashed_set_scores_as_its_named_twin() {
        let m = LinearModel::new(
            "perpetrator",
            0.5,
            [("m:by".to_string(), 2.0), ("c:inter=1".to_string(), -1.0)],
        );
        let mut named = Features::default();
        let mut hashed = Features::hashed();
        for f in [&mut named, &mut hashed] {
            f.on_parts(&["m:", "by"]);
            f.set("c:inter=1", 0.5);
            let mut other = if f.is_named() {
                Features::default()
            } else {
                Features::hashed()
            };
            other.on("c:inter=1");
            other.on("unknown");
            f.absorb(&other);
        }
        assert_eq!(named.len(), 3);
        assert_eq!(hashed.len(), 3);
        assert!((m.logit(&named) - m.logit(&hashed)).abs() < 1e-12);
        assert!((m.logit(&named) - (0.5 + 2.0 - 1.0)).abs() < 1e-12);
        let names: Vec<&str> = named.iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["m:by", "c:inter=1", "unknown"]);
        assert_eq!(hashed.iter().count(), 0, "a hashed set has no names");
    }

    #[test]
    fn bad_model_files_are_refused_with_the_line() {
        for bad in [
            "",
            "bias\tx",
            "bias\t1\nby\tNaN",
            "bias\t1\nby\t1\nby\t2",
            "bias\t1\nno tab",
        ] {
            assert!(LinearModel::parse("t", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn folds_are_fixed_by_id() {
        assert_eq!(Models::fold_of("acled-1"), Models::fold_of("acled-1"));
        let spread: std::collections::HashSet<usize> = (0..100)
            .map(|i| Models::fold_of(&format!("r{i}")))
            .collect();
        assert_eq!(spread.len(), FOLDS);
    }

    #[test]
    fn the_shipped_models_load() {
        let shipped = Models::embedded().unwrap();
        for d in DECISIONS {
            assert_eq!(shipped.get(d).unwrap().decision, d);
            for k in 0..FOLDS {
                assert_eq!(Models::fold(k).unwrap().get(d).unwrap().decision, d);
            }
        }
        assert!(Models::fold(FOLDS).is_err());
    }
}

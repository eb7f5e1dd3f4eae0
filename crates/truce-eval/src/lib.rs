//! Scores `truce extract --jsonl` records against gold data, metric for metric as the reference
//! scorer `score.py` (in the shared evaluation folder) defines them: event detection, types,
//! fatalities, location, date, perpetrator, target; place recognition and geocoding; statement
//! content recall, precision and speaker accuracy.
//!
//! ```
//! use serde_json::json;
//! use truce_eval::{Predictions, score};
//!
//! let gold = vec![json!({"id": "a", "text": "Shelling in Homs.", "gold": {"places": [
//!     {"start": 12, "end": 16, "name": "Homs", "lat": 34.72, "lon": 36.72}]}})];
//! let mut preds = Predictions::default();
//! preds.insert(json!({"id": "a", "places": [
//!     {"name": "Homs", "start": 12, "end": 16, "lat": 34.73, "lon": 36.71}]}));
//! let report = score(&gold, &preds);
//! assert_eq!(report.places.as_ref().unwrap().f1, Some(1.0));
//! ```

pub mod clustering;
mod events;
pub mod geo;
pub mod names;
mod places;
mod report;
mod statements;

use std::collections::HashMap;

use serde::Serialize;
use serde_json::Value;

pub use clustering::ClusterScores;
pub use events::{
    EventScores, accept_types, gold_perpetrator_unknown, gold_perpetrators, pair_events,
};
pub use places::PlaceScores;
pub use report::format_text;
pub use statements::StatementScores;

/// Predicted records by id (a later record with the same id replaces an earlier one, as in
/// `score.py`).
#[derive(Debug, Default)]
pub struct Predictions(HashMap<String, Value>);

impl Predictions {
    /// Adds one predicted record; records without an `id` are ignored.
    pub fn insert(&mut self, record: Value) {
        let id = match record.get("id") {
            Some(Value::String(s)) => s.clone(),
            Some(other) if !other.is_null() => other.to_string(),
            _ => return,
        };
        self.0.insert(id, record);
    }

    fn get(&self, id: &str) -> Option<&Value> {
        self.0.get(id)
    }

    /// The predicted record with this id.
    pub fn record(&self, id: &str) -> Option<&Value> {
        self.0.get(id)
    }

    fn ids(&self) -> impl Iterator<Item = &String> {
        self.0.keys()
    }
}

/// Every score, in the shape of `score.py --json`.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Gold records.
    pub records: usize,
    /// Gold records with no prediction.
    pub missing_predictions: usize,
    /// Predictions whose id is not in the gold.
    pub extra_predictions: usize,
    /// Event scores, when the gold has events.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub events: Option<EventScores>,
    /// Place scores, when the gold has places.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub places: Option<PlaceScores>,
    /// Statement scores, when the gold has statements.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statements: Option<StatementScores>,
    /// The short summary line's values, in order.
    pub summary: Vec<(String, Option<f64>)>,
}

fn record_id(r: &Value) -> String {
    match r.get("id") {
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
        None => String::new(),
    }
}

/// Scores predictions against gold records.
pub fn score(gold: &[Value], preds: &Predictions) -> Report {
    let ids: std::collections::HashSet<String> = gold.iter().map(record_id).collect();
    let missing = gold
        .iter()
        .filter(|r| preds.get(&record_id(r)).is_none())
        .count();
    let extra = preds.ids().filter(|k| !ids.contains(*k)).count();
    let events = events::score(gold, preds);
    let places = places::score(gold, preds);
    let statements = statements::score(gold, preds);
    let mut summary = Vec::new();
    if let Some(e) = &events {
        for (short, v) in [
            ("ev_det_f1", e.detection_f1),
            ("ev_recall", e.event_recall),
            ("ev_type", e.event_type_acc),
            ("ev_subtype", e.sub_event_type_acc),
            ("ev_fatal", e.fatalities_acc),
            ("ev_fatal_gt0", e.fatalities_nonzero_acc),
            ("ev_loc161", e.location_161km_acc),
            ("ev_country", e.country_acc),
            ("ev_admin1", e.admin1_acc),
            ("ev_date", e.date_acc),
            ("ev_perp", e.perpetrator_acc),
            ("ev_target", e.target_acc),
        ] {
            summary.push((short.to_string(), v));
        }
    }
    if let Some(p) = &places {
        for (short, v) in [
            ("pl_p", p.precision),
            ("pl_r", p.recall),
            ("pl_f1", p.f1),
            ("pl_geo161", p.geo_acc_161km),
            ("pl_median_km", p.geo_median_km),
        ] {
            summary.push((short.to_string(), v));
        }
    }
    if let Some(s) = &statements {
        for (short, v) in [
            ("st_recall", s.content_recall),
            ("st_p", s.precision),
            ("st_f1", s.f1),
            ("st_speaker", s.speaker_acc),
        ] {
            summary.push((short.to_string(), v));
        }
    }
    Report {
        records: gold.len(),
        missing_predictions: missing,
        extra_predictions: extra,
        events,
        places,
        statements,
        summary,
    }
}

/// Correct / total counters, one per metric.
#[derive(Debug, Default)]
struct Acc(HashMap<&'static str, (usize, usize)>);

impl Acc {
    fn add(&mut self, name: &'static str, ok: bool) {
        let c = self.0.entry(name).or_default();
        c.0 += usize::from(ok);
        c.1 += 1;
    }

    fn get(&self, name: &str) -> Option<f64> {
        self.0
            .get(name)
            .filter(|c| c.1 > 0)
            .map(|c| c.0 as f64 / c.1 as f64)
    }

    fn n(&self, name: &str) -> usize {
        self.0.get(name).map_or(0, |c| c.1)
    }
}

fn f1(p: Option<f64>, r: Option<f64>) -> Option<f64> {
    if p == Some(0.0) || r == Some(0.0) {
        return Some(0.0);
    }
    Some(2.0 * p? * r? / (p? + r?))
}

fn prf(tp: usize, n_pred: usize, n_gold: usize) -> (Option<f64>, Option<f64>, Option<f64>) {
    let p = (n_pred > 0).then(|| tp as f64 / n_pred as f64);
    let r = (n_gold > 0).then(|| tp as f64 / n_gold as f64);
    (p, r, f1(p, r))
}

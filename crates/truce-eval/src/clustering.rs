//! Scores a grouping of reports into incidents against a reference grouping: pairwise
//! precision/recall/F1 and B-cubed.
//!
//! The reference is the gold's own grouping where it has one (`gold.incident`, [`labelled`]);
//! for FA-KES, a proxy built from its gold ([`fakes_proxy`]): articles whose gold gives the same
//! event date, governorate and cause of death are taken to report one incident.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::Value;

/// Clustering scores.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ClusterScores {
    /// Reports scored.
    pub items: usize,
    /// Groups in the reference.
    pub gold_groups: usize,
    /// Groups predicted.
    pub predicted_groups: usize,
    /// Pairs of reports the reference puts together.
    pub gold_pairs: usize,
    /// Pairs of reports the prediction puts together.
    pub predicted_pairs: usize,
    /// Pairwise precision.
    pub pairwise_precision: f64,
    /// Pairwise recall.
    pub pairwise_recall: f64,
    /// Pairwise F1.
    pub pairwise_f1: f64,
    /// B-cubed precision.
    pub bcubed_precision: f64,
    /// B-cubed recall.
    pub bcubed_recall: f64,
    /// B-cubed F1.
    pub bcubed_f1: f64,
    /// Pairs put together by the prediction only.
    pub false_pairs: Vec<(String, String)>,
    /// Pairs put together by the reference only.
    pub missed_pairs: Vec<(String, String)>,
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

fn pairs(groups: &BTreeMap<&str, &str>) -> BTreeSet<(String, String)> {
    let mut by_group: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (item, group) in groups {
        by_group.entry(group).or_default().push(item);
    }
    let mut out = BTreeSet::new();
    for members in by_group.values() {
        for (i, a) in members.iter().enumerate() {
            for b in &members[i + 1..] {
                out.insert((a.to_string(), b.to_string()));
            }
        }
    }
    out
}

/// Scores `predicted` (item -> group) against `gold` (item -> group) over the gold's items; an
/// item the prediction does not group is a group of its own.
pub fn score(
    gold: &BTreeMap<String, String>,
    predicted: &BTreeMap<String, String>,
) -> ClusterScores {
    let gold_map: BTreeMap<&str, &str> =
        gold.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let pred_map: BTreeMap<&str, &str> = gold
        .keys()
        .map(|k| {
            (
                k.as_str(),
                predicted.get(k).map_or(k.as_str(), String::as_str),
            )
        })
        .collect();
    // A predicted group id must not collide with an item id used as a singleton's group.
    let pred_map: BTreeMap<&str, String> = pred_map
        .iter()
        .map(|(k, v)| {
            let g = if predicted.contains_key(*k) {
                format!("g:{v}")
            } else {
                format!("s:{v}")
            };
            (*k, g)
        })
        .collect();
    let pred_ref: BTreeMap<&str, &str> = pred_map.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let gold_pairs = pairs(&gold_map);
    let pred_pairs = pairs(&pred_ref);
    let hit = gold_pairs.intersection(&pred_pairs).count() as f64;
    let pairwise_precision = if pred_pairs.is_empty() {
        1.0
    } else {
        hit / pred_pairs.len() as f64
    };
    let pairwise_recall = if gold_pairs.is_empty() {
        1.0
    } else {
        hit / gold_pairs.len() as f64
    };

    let members = |map: &BTreeMap<&str, &str>| {
        let mut m: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (item, group) in map {
            m.entry(group.to_string())
                .or_default()
                .insert(item.to_string());
        }
        m
    };
    let gold_members = members(&gold_map);
    let pred_members = members(&pred_ref);
    let (mut bp, mut br) = (0.0, 0.0);
    for item in gold_map.keys() {
        let g = &gold_members[gold_map[item]];
        let p = &pred_members[pred_ref[item]];
        let common = g.intersection(p).count() as f64;
        bp += common / p.len() as f64;
        br += common / g.len() as f64;
    }
    let n = gold_map.len().max(1) as f64;
    let (bcubed_precision, bcubed_recall) = (bp / n, br / n);
    ClusterScores {
        items: gold_map.len(),
        gold_groups: gold_members.len(),
        predicted_groups: pred_members.len(),
        gold_pairs: gold_pairs.len(),
        predicted_pairs: pred_pairs.len(),
        pairwise_precision,
        pairwise_recall,
        pairwise_f1: f1(pairwise_precision, pairwise_recall),
        bcubed_precision,
        bcubed_recall,
        bcubed_f1: f1(bcubed_precision, bcubed_recall),
        false_pairs: pred_pairs.difference(&gold_pairs).cloned().collect(),
        missed_pairs: gold_pairs.difference(&pred_pairs).cloned().collect(),
    }
}

/// The proxy grouping of FA-KES articles: the gold's event date (FA-KES's own `fakes_date`),
/// the first gold event's location and its cause of death. Records without those are left out.
pub fn fakes_proxy(gold: &[Value]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for r in gold {
        let Some(id) = r.get("id").and_then(Value::as_str) else {
            continue;
        };
        let g = &r["gold"];
        let date = g["source"]["fakes_date"].as_str();
        let event = &g["events"][0];
        let place = event["location"]["name"].as_str();
        let cause = event["cause_of_death"].as_str();
        if let (Some(date), Some(place), Some(cause)) = (date, place, cause) {
            out.insert(id.to_string(), format!("{date}|{place}|{cause}"));
        }
    }
    out
}

/// A grouping written by hand: each record's `gold.incident` names the occurrence its report
/// tells (first). Records without one are left out.
pub fn labelled(gold: &[Value]) -> BTreeMap<String, String> {
    gold.iter()
        .filter_map(|r| {
            let id = r.get("id").and_then(Value::as_str)?;
            let group = r["gold"]["incident"].as_str()?;
            Some((id.to_string(), group.to_string()))
        })
        .collect()
}

/// The reference grouping of a gold file: its own labels ([`labelled`]) when it has them, else
/// the FA-KES proxy ([`fakes_proxy`]).
pub fn reference(gold: &[Value]) -> BTreeMap<String, String> {
    let labels = labelled(gold);
    if labels.is_empty() {
        fakes_proxy(gold)
    } else {
        labels
    }
}

/// The scores as text.
pub fn format_text(s: &ClusterScores, show: usize) -> String {
    let mut out = format!(
        "incident clustering ({} reports; reference {} groups / {} pairs, predicted {} groups / {} pairs)\n\
         \x20 pairwise  P {:.3}  R {:.3}  F1 {:.3}\n\
         \x20 B-cubed   P {:.3}  R {:.3}  F1 {:.3}\n",
        s.items,
        s.gold_groups,
        s.gold_pairs,
        s.predicted_groups,
        s.predicted_pairs,
        s.pairwise_precision,
        s.pairwise_recall,
        s.pairwise_f1,
        s.bcubed_precision,
        s.bcubed_recall,
        s.bcubed_f1
    );
    for (title, list) in [
        ("together only in the prediction", &s.false_pairs),
        ("together only in the reference", &s.missed_pairs),
    ] {
        if show > 0 && !list.is_empty() {
            out.push_str(&format!("  {title} ({}):\n", list.len()));
            for (a, b) in list.iter().take(show) {
                out.push_str(&format!("    {a}  {b}\n"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn perfect_and_degenerate_groupings() {
        let gold = map(&[("a", "1"), ("b", "1"), ("c", "2")]);
        let s = score(&gold, &gold);
        assert_eq!((s.pairwise_f1, s.bcubed_f1), (1.0, 1.0));
        // Everything apart: no predicted pairs (precision 1 by convention), recall 0.
        let s = score(&gold, &BTreeMap::new());
        assert_eq!((s.pairwise_precision, s.pairwise_recall), (1.0, 0.0));
        assert!((s.bcubed_recall - (0.5 + 0.5 + 1.0) / 3.0).abs() < 1e-9);
        // Everything together: one false pair of three predicted.
        let all = map(&[("a", "x"), ("b", "x"), ("c", "x")]);
        let s = score(&gold, &all);
        assert!((s.pairwise_precision - 1.0 / 3.0).abs() < 1e-9);
        assert_eq!(s.pairwise_recall, 1.0);
        assert_eq!(s.false_pairs.len(), 2);
    }

    #[test]
    fn singleton_groups_do_not_collide_with_named_groups() {
        let gold = map(&[("a", "1"), ("b", "2")]);
        // "b" is left ungrouped; "a" is in a group named "b": they are still apart.
        let s = score(&gold, &map(&[("a", "b")]));
        assert_eq!(s.predicted_pairs, 0);
    }
}

//! Statement scores (`score_statements`).

use std::collections::HashSet;

use serde::Serialize;
use serde_json::Value;

use crate::names::speaker_match;
use crate::places::{CharText, overlap};
use crate::{Acc, Predictions, f1, record_id};

/// Statement metrics.
#[derive(Debug, Clone, Serialize)]
#[allow(missing_docs)]
pub struct StatementScores {
    pub records: usize,
    pub gold_statements: usize,
    pub pred_statements: usize,
    pub content_recall: Option<f64>,
    pub content_recall_direct: Option<f64>,
    pub precision: Option<f64>,
    pub f1: Option<f64>,
    pub speaker_acc: Option<f64>,
    pub speaker_n: usize,
}

fn span(v: &Value) -> (usize, usize) {
    let at = |k: &str| v.get(k).and_then(Value::as_u64).unwrap_or(0) as usize;
    (at("start"), at("end"))
}

fn frags(content: &Value) -> Vec<(usize, usize)> {
    match content
        .get("fragments")
        .and_then(Value::as_array)
        .filter(|f| !f.is_empty())
    {
        Some(list) => list
            .iter()
            .filter_map(|f| {
                let f = f.as_array()?;
                Some((f.first()?.as_u64()? as usize, f.get(1)?.as_u64()? as usize))
            })
            .collect(),
        None => vec![span(content)],
    }
}

fn coverage(gold: &[(usize, usize)], ps: (usize, usize)) -> f64 {
    let total: usize = gold.iter().map(|(s, e)| e.saturating_sub(*s)).sum();
    if total == 0 {
        return 0.0;
    }
    gold.iter().map(|&g| overlap(g, ps)).sum::<usize>() as f64 / total as f64
}

/// Statement scores over every gold record that has statements.
pub fn score(gold: &[Value], preds: &Predictions) -> Option<StatementScores> {
    let (
        mut n,
        mut n_gold,
        mut n_pred,
        mut recalled,
        mut pred_ok,
        mut n_direct,
        mut recalled_direct,
    ) = (0, 0, 0, 0, 0, 0, 0);
    let mut spk = Acc::default();
    let empty = Value::Null;
    for r in gold {
        let Some(golds) = r
            .get("gold")
            .and_then(|g| g.get("statements"))
            .and_then(Value::as_array)
        else {
            continue;
        };
        n += 1;
        let text = CharText::new(r.get("text").and_then(Value::as_str).unwrap_or(""));
        let p = preds.get(&record_id(r)).unwrap_or(&empty);
        let mut used = HashSet::new();
        let mut pst: Vec<((usize, usize), &Value)> = Vec::new();
        for st in p
            .get("statements")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|v| v.is_object())
        {
            if let Some(sp) = text.pred_span(st, "text", &used) {
                used.insert(sp);
                pst.push((sp, st));
            }
        }
        n_gold += golds.len();
        n_pred += pst.len();
        let gfr: Vec<Vec<(usize, usize)>> = golds
            .iter()
            .map(|g| frags(g.get("content").unwrap_or(&empty)))
            .collect();
        for (g, gf) in golds.iter().zip(&gfr) {
            let mut best: Option<&Value> = None;
            let mut bcov = 0.0;
            for (ps, st) in &pst {
                let c = coverage(gf, *ps);
                if c > bcov {
                    best = Some(st);
                    bcov = c;
                }
            }
            let hit = bcov >= 0.5;
            recalled += usize::from(hit);
            if g.get("direct").and_then(Value::as_bool).unwrap_or(false) {
                n_direct += 1;
                recalled_direct += usize::from(hit);
            }
            if hit
                && let Some(gsp) = g
                    .get("speaker")
                    .filter(|s| s.is_object() && s.as_object().is_some_and(|o| !o.is_empty()))
            {
                let name = gsp
                    .get("name")
                    .and_then(Value::as_str)
                    .filter(|s| !s.is_empty());
                let pronoun = gsp.get("pronoun").and_then(Value::as_bool).unwrap_or(false);
                let gname = name.or_else(|| {
                    if pronoun {
                        None
                    } else {
                        gsp.get("text")
                            .and_then(Value::as_str)
                            .filter(|s| !s.is_empty())
                    }
                });
                if let Some(gname) = gname {
                    let pred = best.and_then(|b| b.get("speaker")).and_then(Value::as_str);
                    spk.add("speaker", speaker_match(gname, pred));
                }
            }
        }
        for (ps, _) in &pst {
            let plen = ps.1.saturating_sub(ps.0);
            if plen == 0 {
                continue;
            }
            let best = gfr
                .iter()
                .map(|gf| gf.iter().map(|&g| overlap(g, *ps)).sum::<usize>() as f64 / plen as f64)
                .fold(0.0, f64::max);
            pred_ok += usize::from(best >= 0.5);
        }
    }
    if n == 0 {
        return None;
    }
    let precision = (n_pred > 0).then(|| pred_ok as f64 / n_pred as f64);
    let recall = (n_gold > 0).then(|| recalled as f64 / n_gold as f64);
    Some(StatementScores {
        records: n,
        gold_statements: n_gold,
        pred_statements: n_pred,
        content_recall: recall,
        content_recall_direct: (n_direct > 0).then(|| recalled_direct as f64 / n_direct as f64),
        precision,
        f1: f1(precision, recall),
        speaker_acc: spk.get("speaker"),
        speaker_n: spk.n("speaker"),
    })
}

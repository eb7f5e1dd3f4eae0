//! Place scores (`score_places`), and the span helpers shared with statements.

use std::collections::HashSet;

use serde::Serialize;
use serde_json::Value;

use crate::geo::{KM_THRESHOLD, coords, haversine};
use crate::{Predictions, prf, record_id};

/// Place metrics.
#[derive(Debug, Clone, Serialize)]
#[allow(missing_docs)]
pub struct PlaceScores {
    pub records: usize,
    pub gold_places: usize,
    pub pred_places: usize,
    pub matched: usize,
    pub precision: Option<f64>,
    pub recall: Option<f64>,
    pub f1: Option<f64>,
    pub geo_n: usize,
    pub geo_acc_161km: Option<f64>,
    pub geo_with_coords: usize,
    pub geo_mean_km: Option<f64>,
    pub geo_median_km: Option<f64>,
}

/// A text with char-offset search.
pub(crate) struct CharText<'a> {
    text: &'a str,
    /// Byte offset of every char, plus the text's length.
    byte_of_char: Vec<usize>,
}

impl<'a> CharText<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        let mut byte_of_char: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        byte_of_char.push(text.len());
        Self { text, byte_of_char }
    }

    pub(crate) fn len(&self) -> usize {
        self.byte_of_char.len() - 1
    }

    fn char_of_byte(&self, byte: usize) -> usize {
        self.byte_of_char.partition_point(|&b| b < byte)
    }

    /// Offsets of a predicted string: the first exact occurrence not yet used, else the first
    /// token-wise match (`locate`).
    fn locate(&self, s: &str, used: &HashSet<(usize, usize)>) -> Option<(usize, usize)> {
        if s.is_empty() {
            return None;
        }
        let n = s.chars().count();
        let mut start = 0;
        while let Some(found) = self.text[start..].find(s) {
            let byte = start + found;
            let i = self.char_of_byte(byte);
            if !used.contains(&(i, i + n)) {
                return Some((i, i + n));
            }
            // Advance one char, as Python's find(s, i + 1) does.
            start = byte + self.text[byte..].chars().next().map_or(1, char::len_utf8);
        }
        let tokens: Vec<String> = s.split_whitespace().map(regex::escape).collect();
        if tokens.is_empty() {
            return None;
        }
        let re = regex::Regex::new(&tokens.join(r"\s*")).ok()?;
        let m = re.find(self.text)?;
        Some((self.char_of_byte(m.start()), self.char_of_byte(m.end())))
    }

    /// The span of a predicted object: its own offsets when valid, else its text located.
    pub(crate) fn pred_span(
        &self,
        obj: &Value,
        key: &str,
        used: &HashSet<(usize, usize)>,
    ) -> Option<(usize, usize)> {
        let int = |k: &str| {
            obj.get(k)
                .and_then(|v| v.as_i64())
                .filter(|_| obj.get(k).is_some_and(|v| !v.is_boolean()))
        };
        if let (Some(s), Some(e)) = (int("start"), int("end"))
            && 0 <= s
            && s < e
            && e as usize <= self.len()
        {
            return Some((s as usize, e as usize));
        }
        let s = obj.get(key).and_then(Value::as_str)?;
        self.locate(s, used)
    }
}

pub(crate) fn overlap(a: (usize, usize), b: (usize, usize)) -> usize {
    a.1.min(b.1).saturating_sub(a.0.max(b.0))
}

fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    Some(if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    })
}

/// Place scores over every gold record that has places.
pub fn score(gold: &[Value], preds: &Predictions) -> Option<PlaceScores> {
    let (mut n, mut n_gold, mut n_pred, mut tp, mut geo_n, mut geo_ok) = (0, 0, 0, 0, 0, 0);
    let mut errs: Vec<f64> = Vec::new();
    let empty = Value::Null;
    for r in gold {
        let Some(golds) = r
            .get("gold")
            .and_then(|g| g.get("places"))
            .and_then(Value::as_array)
        else {
            continue;
        };
        n += 1;
        let text = CharText::new(r.get("text").and_then(Value::as_str).unwrap_or(""));
        let p = preds.get(&record_id(r)).unwrap_or(&empty);
        let mut used = HashSet::new();
        let mut pspans: Vec<((usize, usize), &Value)> = Vec::new();
        for pl in p
            .get("places")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|v| v.is_object())
        {
            if let Some(sp) = text.pred_span(pl, "name", &used) {
                used.insert(sp);
                pspans.push((sp, pl));
            }
        }
        n_gold += golds.len();
        n_pred += pspans.len();
        let mut pairs: Vec<(i64, i64, usize, usize)> = Vec::new();
        for (i, g) in golds.iter().enumerate() {
            let gs = (
                g.get("start").and_then(Value::as_u64).unwrap_or(0) as usize,
                g.get("end").and_then(Value::as_u64).unwrap_or(0) as usize,
            );
            for (j, (ps, _)) in pspans.iter().enumerate() {
                let ov = overlap(gs, *ps);
                if ov > 0 {
                    pairs.push((-(ov as i64), (gs.0 as i64 - ps.0 as i64).abs(), i, j));
                }
            }
        }
        pairs.sort();
        let (mut ug, mut up) = (HashSet::new(), HashSet::new());
        for (_, _, i, j) in pairs {
            if ug.contains(&i) || up.contains(&j) {
                continue;
            }
            ug.insert(i);
            up.insert(j);
            tp += 1;
            if let Some(gc) = coords(Some(&golds[i])) {
                geo_n += 1;
                if let Some(pc) = coords(Some(pspans[j].1)) {
                    let d = haversine(gc.0, gc.1, pc.0, pc.1);
                    errs.push(d);
                    geo_ok += usize::from(d <= KM_THRESHOLD);
                }
            }
        }
    }
    if n == 0 {
        return None;
    }
    let (precision, recall, f1) = prf(tp, n_pred, n_gold);
    let mean = (!errs.is_empty()).then(|| errs.iter().sum::<f64>() / errs.len() as f64);
    let with_coords = errs.len();
    Some(PlaceScores {
        records: n,
        gold_places: n_gold,
        pred_places: n_pred,
        matched: tp,
        precision,
        recall,
        f1,
        geo_n,
        geo_acc_161km: (geo_n > 0).then(|| geo_ok as f64 / geo_n as f64),
        geo_with_coords: with_coords,
        geo_mean_km: mean,
        geo_median_km: median(&mut errs),
    })
}

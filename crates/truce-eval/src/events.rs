//! Event scores (`score_events` of the reference scorer).

use std::collections::HashSet;

use serde::Serialize;
use serde_json::Value;

use crate::geo::{KM_THRESHOLD, coords, haversine, num};
use crate::names::{admin_eq, dice};
use crate::{Acc, Predictions, prf, record_id};

/// Event metrics. `*_acc` are accuracies over matched events, `*_n` how many were judged.
#[derive(Debug, Clone, Serialize)]
#[allow(missing_docs)]
pub struct EventScores {
    pub records: usize,
    pub detection_precision: Option<f64>,
    pub detection_recall: Option<f64>,
    pub detection_f1: Option<f64>,
    pub gold_events: usize,
    pub pred_events: usize,
    pub matched_events: usize,
    pub event_recall: Option<f64>,
    pub event_type_acc: Option<f64>,
    pub event_type_n: usize,
    pub sub_event_type_acc: Option<f64>,
    pub sub_event_type_n: usize,
    pub fatalities_acc: Option<f64>,
    pub fatalities_n: usize,
    pub fatalities_nonzero_acc: Option<f64>,
    pub fatalities_nonzero_n: usize,
    pub location_161km_acc: Option<f64>,
    pub location_161km_n: usize,
    pub country_acc: Option<f64>,
    pub country_n: usize,
    pub admin1_acc: Option<f64>,
    pub admin1_n: usize,
    pub date_acc: Option<f64>,
    pub date_n: usize,
    pub perpetrator_acc: Option<f64>,
    pub perpetrator_n: usize,
    pub target_acc: Option<f64>,
    pub target_n: usize,
    /// Phantom events (truce's own metric, not in `score.py`): predicted events that match no
    /// gold event and lie in a country where none of the record's gold events lies: the place
    /// of a speaker, an addressee or a capital read as the place of an occurrence ("Kerry
    /// condemned the attack" placed in the United States). Counted over records whose gold
    /// events give a country.
    pub phantom_events: usize,
    /// Phantom events per 100 records judged.
    pub phantom_per_100: Option<f64>,
    /// Records judged for phantom events (gold events with a country).
    pub phantom_n: usize,
}

fn s<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

fn truthy(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(o)) => !o.is_empty(),
        Some(Value::Number(n)) => n.as_f64() != Some(0.0),
    }
}

/// The values a gold event accepts for `key` (`event_type`, `sub_event_type`): its
/// `{key}_accept` list when it has one, else its `{key}` value; empty when the gold does not say.
pub fn accept_types(g: &Value, key: &str) -> HashSet<String> {
    if let Some(list) = g
        .get(format!("{key}_accept"))
        .and_then(Value::as_array)
        .filter(|l| !l.is_empty())
    {
        return list
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect();
    }
    s(g, key)
        .filter(|v| !v.is_empty())
        .map(|v| HashSet::from([v.to_string()]))
        .unwrap_or_default()
}

fn pred_fatalities(p: &Value) -> Option<i64> {
    match p.get("fatalities") {
        Some(f @ Value::Object(_)) => {
            let v = num(f.get("low")).or_else(|| num(f.get("best")));
            v.map(|v| v.trunc() as i64)
        }
        other => num(other).map(|v| v.trunc() as i64),
    }
}

fn gold_fatalities(g: &Value) -> Option<i64> {
    g.get("fatalities")
        .and_then(|v| v.as_i64().or_else(|| v.as_f64().map(|f| f as i64)))
}

fn pred_actors(p: &Value) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    for a in p
        .get("actors")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        match a {
            Value::Object(_) if truthy(a.get("name")) => {
                let name = match a.get("name") {
                    Some(Value::String(s)) => s.clone(),
                    Some(v) => v.to_string(),
                    None => continue,
                };
                out.push((name, s(a, "role").map(str::to_string)));
            }
            Value::String(name) => out.push((name.clone(), None)),
            _ => {}
        }
    }
    out
}

/// The perpetrators of a gold event that name someone (an actor marked `unknown` does not):
/// for each, its name and its aliases.
pub fn gold_perpetrators(g: &Value) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for a in g
        .get("actors")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if truthy(a.get("unknown")) {
            continue;
        }
        if truthy(a.get("perpetrator")) || s(a, "role") == Some("perpetrator") {
            let mut names = vec![s(a, "name").unwrap_or("").to_string()];
            names.extend(
                a.get("aliases")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|v| v.as_str().map(str::to_string)),
            );
            out.push(names);
        }
    }
    out
}

fn in_date_range(pred_date: Option<&Value>, g: &Value) -> bool {
    let Some(d) = pred_date.and_then(Value::as_str) else {
        return false;
    };
    let b = d.as_bytes();
    let shape = b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit);
    if !shape {
        return false;
    }
    let d = &d[..10];
    let Some(lo) = s(g, "date") else { return false };
    let hi = s(g, "date_end").filter(|h| !h.is_empty()).unwrap_or(lo);
    lo <= d && d <= hi
}

fn upper(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.to_uppercase(),
        None | Some(Value::Null) => String::new(),
        Some(other) if !truthy(Some(other)) => String::new(),
        Some(other) => other.to_string().to_uppercase(),
    }
}

fn location(p: &Value) -> Option<&Value> {
    p.get("location").filter(|l| l.is_object())
}

/// Greedy one-to-one matching of gold to predicted events of one record.
fn match_events<'a>(
    golds: &'a [Value],
    preds: &'a [&'a Value],
    split: bool,
) -> Vec<(&'a Value, &'a Value)> {
    let mut pairs: Vec<(i64, i64, i64, f64, usize, usize)> = Vec::new();
    for (i, g) in golds.iter().enumerate() {
        let gt = accept_types(g, "event_type");
        let gs = accept_types(g, "sub_event_type");
        let gc = coords(g.get("location"));
        let gcc = upper(g.get("location").and_then(|l| l.get("country")));
        for (j, p) in preds.iter().enumerate() {
            let type_ok =
                i64::from(!gt.is_empty() && s(p, "event_type").is_some_and(|t| gt.contains(t)));
            let pl = location(p);
            let pc = coords(pl);
            let dist = match (gc, pc) {
                (Some(a), Some(b)) => haversine(a.0, a.1, b.0, b.1),
                _ => f64::INFINITY,
            };
            let sub_ok = !gs.is_empty() && s(p, "sub_event_type").is_some_and(|t| gs.contains(t));
            let date_ok = truthy(g.get("date")) && in_date_range(p.get("date"), g);
            let country_ok = !gcc.is_empty() && upper(pl.and_then(|l| l.get("country"))) == gcc;
            let fatal_ok =
                !split && gold_fatalities(g).is_some() && pred_fatalities(p) == gold_fatalities(g);
            let agree = i64::from(sub_ok)
                + i64::from(date_ok)
                + i64::from(country_ok)
                + 2 * i64::from(fatal_ok);
            pairs.push((-type_ok, i64::from(dist > KM_THRESHOLD), -agree, dist, i, j));
        }
    }
    pairs.sort_by(|a, b| {
        (a.0, a.1, a.2)
            .cmp(&(b.0, b.1, b.2))
            .then(a.3.total_cmp(&b.3))
            .then((a.4, a.5).cmp(&(b.4, b.5)))
    });
    let (mut used_g, mut used_p, mut out) = (HashSet::new(), HashSet::new(), Vec::new());
    for (.., i, j) in pairs {
        if used_g.contains(&i) || used_p.contains(&j) {
            continue;
        }
        used_g.insert(i);
        used_p.insert(j);
        out.push((&golds[i], preds[j]));
    }
    out
}

/// Pairs a record's gold events with its predicted events as the scorer does (greedy, one to
/// one, type first, then distance, then agreement): `(gold index, predicted index)`.
pub fn pair_events(golds: &[Value], preds: &[Value], split: bool) -> Vec<(usize, usize)> {
    let refs: Vec<&Value> = preds.iter().filter(|p| p.is_object()).collect();
    match_events(golds, &refs, split)
        .into_iter()
        .filter_map(|(g, p)| {
            let gi = golds.iter().position(|x| std::ptr::eq(x, g))?;
            let pi = preds.iter().position(|x| std::ptr::eq(x, p))?;
            Some((gi, pi))
        })
        .collect()
}

/// Whether a gold event's perpetrator is marked unknown (no side named: ACLED's "Unidentified").
pub fn gold_perpetrator_unknown(g: &Value) -> bool {
    g.get("actors")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|a| {
            truthy(a.get("unknown"))
                && (truthy(a.get("perpetrator")) || s(a, "role") == Some("perpetrator"))
        })
}

/// Event scores over every gold record that has events.
pub fn score(gold: &[Value], preds: &Predictions) -> Option<EventScores> {
    let mut acc = Acc::default();
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    let (mut n_gold, mut n_pred, mut n_matched, mut n) = (0, 0, 0, 0);
    let (mut phantoms, mut phantom_records) = (0, 0);
    let empty = Value::Null;
    for r in gold {
        let Some(golds) = r
            .get("gold")
            .and_then(|g| g.get("events"))
            .and_then(Value::as_array)
        else {
            continue;
        };
        n += 1;
        let p = preds.get(&record_id(r)).unwrap_or(&empty);
        let pev: Vec<&Value> = p
            .get("events")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|e| e.is_object())
            .collect();
        let (gpos, ppos) = (!golds.is_empty(), !pev.is_empty());
        tp += usize::from(gpos && ppos);
        fp += usize::from(!gpos && ppos);
        fn_ += usize::from(gpos && !ppos);
        n_gold += golds.len();
        n_pred += pev.len();
        let split = truthy(r.get("gold").and_then(|g| g.get("fatalities_split")));
        let matched = match_events(golds, &pev, split);
        let gold_countries: HashSet<String> = golds
            .iter()
            .map(|g| upper(g.get("location").and_then(|l| l.get("country"))))
            .filter(|c| !c.is_empty())
            .collect();
        if !gold_countries.is_empty() {
            phantom_records += 1;
            phantoms += pev
                .iter()
                .filter(|p| !matched.iter().any(|(_, m)| std::ptr::eq(*m, **p)))
                .filter(|p| {
                    let c = upper(location(p).and_then(|l| l.get("country")));
                    !c.is_empty() && !gold_countries.contains(&c)
                })
                .count();
        }
        for (g, pe) in matched {
            n_matched += 1;
            let gt = accept_types(g, "event_type");
            if !gt.is_empty() {
                acc.add(
                    "event_type",
                    s(pe, "event_type").is_some_and(|t| gt.contains(t)),
                );
            }
            let gs = accept_types(g, "sub_event_type");
            if !gs.is_empty() {
                acc.add(
                    "sub_event_type",
                    s(pe, "sub_event_type").is_some_and(|t| gs.contains(t)),
                );
            }
            if let Some(gf) = gold_fatalities(g).filter(|_| !split) {
                let pf = pred_fatalities(pe);
                acc.add("fatalities", pf == Some(gf) || (gf == 0 && pf.is_none()));
                if gf > 0 {
                    acc.add("fatalities_nonzero", pf == Some(gf));
                }
            }
            let gl = g.get("location").filter(|l| l.is_object());
            let pl = location(pe);
            if let Some(gc) = coords(gl) {
                let ok =
                    coords(pl).is_some_and(|pc| haversine(gc.0, gc.1, pc.0, pc.1) <= KM_THRESHOLD);
                acc.add("location_161km", ok);
            }
            if let Some(gcc) = gl.and_then(|l| s(l, "country")).filter(|c| !c.is_empty()) {
                acc.add(
                    "country",
                    upper(pl.and_then(|l| l.get("country"))) == gcc.to_uppercase(),
                );
            }
            let mut g_adm: Vec<String> = gl
                .and_then(|l| l.get("admin1_accept"))
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            if g_adm.is_empty()
                && let Some(a) = gl.and_then(|l| s(l, "admin1")).filter(|a| !a.is_empty())
            {
                g_adm.push(a.to_string());
            }
            if !g_adm.is_empty() {
                let pa = pl.and_then(|l| s(l, "admin1")).filter(|a| !a.is_empty());
                acc.add(
                    "admin1",
                    pa.is_some_and(|pa| g_adm.iter().any(|a| admin_eq(pa, a))),
                );
            }
            if truthy(g.get("date")) {
                acc.add("date", in_date_range(pe.get("date"), g));
            }
            let gp = gold_perpetrators(g);
            if !gp.is_empty() {
                let pp: Vec<String> = pred_actors(pe)
                    .into_iter()
                    .filter(|(_, role)| role.as_deref() == Some("perpetrator"))
                    .map(|(name, _)| name)
                    .collect();
                let ok = gp
                    .iter()
                    .flatten()
                    .any(|gn| pp.iter().any(|pn| dice(gn, pn) >= 0.5));
                acc.add("perpetrator", ok);
            }
            if let Some(target) = s(g, "target").filter(|t| !t.is_empty()) {
                acc.add("target", s(pe, "target") == Some(target));
            }
        }
    }
    if n == 0 {
        return None;
    }
    let (p, r, f) = prf(tp, tp + fp, tp + fn_);
    Some(EventScores {
        records: n,
        detection_precision: p,
        detection_recall: r,
        detection_f1: f,
        gold_events: n_gold,
        pred_events: n_pred,
        matched_events: n_matched,
        event_recall: (n_gold > 0).then(|| n_matched as f64 / n_gold as f64),
        event_type_acc: acc.get("event_type"),
        event_type_n: acc.n("event_type"),
        sub_event_type_acc: acc.get("sub_event_type"),
        sub_event_type_n: acc.n("sub_event_type"),
        fatalities_acc: acc.get("fatalities"),
        fatalities_n: acc.n("fatalities"),
        fatalities_nonzero_acc: acc.get("fatalities_nonzero"),
        fatalities_nonzero_n: acc.n("fatalities_nonzero"),
        location_161km_acc: acc.get("location_161km"),
        location_161km_n: acc.n("location_161km"),
        country_acc: acc.get("country"),
        country_n: acc.n("country"),
        admin1_acc: acc.get("admin1"),
        admin1_n: acc.n("admin1"),
        date_acc: acc.get("date"),
        date_n: acc.n("date"),
        perpetrator_acc: acc.get("perpetrator"),
        perpetrator_n: acc.n("perpetrator"),
        target_acc: acc.get("target"),
        target_n: acc.n("target"),
        phantom_events: phantoms,
        phantom_per_100: (phantom_records > 0)
            .then(|| 100.0 * phantoms as f64 / phantom_records as f64),
        phantom_n: phantom_records,
    })
}

//! The text report, laid out as `score.py` prints it.

use std::fmt::Write;

use crate::Report;

fn fmt(v: Option<f64>) -> String {
    match v {
        None => "n/a".into(),
        Some(v) if v.abs() >= 10.0 => format!("{v:.1}"),
        Some(v) => format!("{v:.3}"),
    }
}

/// The human-readable report; its last line is `score: name=value ...`.
pub fn format_text(gold_name: &str, r: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "gold {gold_name}: {} records; predictions missing for {}; extra predictions ignored: {}",
        r.records, r.missing_predictions, r.extra_predictions
    );
    if let Some(e) = &r.events {
        let _ = writeln!(
            out,
            "\nEVENTS ({} records, {} gold events, {} predicted, {} matched)",
            e.records, e.gold_events, e.pred_events, e.matched_events
        );
        let _ = writeln!(
            out,
            "  record detection   P {}  R {}  F1 {}",
            fmt(e.detection_precision),
            fmt(e.detection_recall),
            fmt(e.detection_f1)
        );
        let _ = writeln!(
            out,
            "  event recall (matched / gold events)  {}",
            fmt(e.event_recall)
        );
        for (label, v, n) in [
            ("event_type", e.event_type_acc, e.event_type_n),
            ("sub_event_type", e.sub_event_type_acc, e.sub_event_type_n),
            ("fatalities exact", e.fatalities_acc, e.fatalities_n),
            (
                "  where gold > 0",
                e.fatalities_nonzero_acc,
                e.fatalities_nonzero_n,
            ),
            (
                "location <=161 km",
                e.location_161km_acc,
                e.location_161km_n,
            ),
            ("country", e.country_acc, e.country_n),
            ("admin1", e.admin1_acc, e.admin1_n),
            ("date exact", e.date_acc, e.date_n),
            ("perpetrator", e.perpetrator_acc, e.perpetrator_n),
            ("target", e.target_acc, e.target_n),
        ] {
            let _ = writeln!(out, "  {label:<20} {:>6}  (n={n})", fmt(v));
        }
        let _ = writeln!(
            out,
            "  phantom events       {:>6}  ({} unmatched events placed in a country no gold event of their record is in, per 100 records; n={})",
            fmt(e.phantom_per_100),
            e.phantom_events,
            e.phantom_n
        );
    }
    if let Some(p) = &r.places {
        let _ = writeln!(
            out,
            "\nPLACES ({} records, {} gold, {} predicted, {} matched)",
            p.records, p.gold_places, p.pred_places, p.matched
        );
        let _ = writeln!(
            out,
            "  recognition        P {}  R {}  F1 {}",
            fmt(p.precision),
            fmt(p.recall),
            fmt(p.f1)
        );
        let _ = writeln!(
            out,
            "  geocoding <=161 km {}  (n={} matched with gold coords)",
            fmt(p.geo_acc_161km),
            p.geo_n
        );
        let _ = writeln!(
            out,
            "  error km           mean {}  median {}  (n={} with predicted coords)",
            fmt(p.geo_mean_km),
            fmt(p.geo_median_km),
            p.geo_with_coords
        );
    }
    if let Some(s) = &r.statements {
        let _ = writeln!(
            out,
            "\nSTATEMENTS ({} records, {} gold, {} predicted)",
            s.records, s.gold_statements, s.pred_statements
        );
        let _ = writeln!(
            out,
            "  content recall     {}  (direct quotes only: {})",
            fmt(s.content_recall),
            fmt(s.content_recall_direct)
        );
        let _ = writeln!(
            out,
            "  precision          {}   F1 {}",
            fmt(s.precision),
            fmt(s.f1)
        );
        let _ = writeln!(
            out,
            "  speaker accuracy   {}  (n={} recalled statements with a named speaker)",
            fmt(s.speaker_acc),
            s.speaker_n
        );
    }
    let summary: Vec<String> = r
        .summary
        .iter()
        .map(|(k, v)| format!("{k}={}", fmt(*v)))
        .collect();
    let _ = writeln!(out, "\nscore: {}", summary.join(" "));
    out
}

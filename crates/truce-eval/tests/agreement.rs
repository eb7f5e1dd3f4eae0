//! `truce-eval` agrees with the reference scorer `score.py` on hand-written fixtures that touch
//! every metric and edge case (skipped, with a message, where Python or score.py is absent).

use std::path::PathBuf;
use std::process::Command;

use serde_json::{Value, json};
use truce_eval::{Predictions, score};

fn fixtures() -> (Vec<Value>, Vec<Value>) {
    let gold = vec![
        json!({"id": "e1", "text": "Jets struck a clinic in Kafr Zita on Tuesday, killing 4.", "published": "2026-03-04", "gold": {
            "events": [
                {"event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike", "date": "2026-03-03",
                 "location": {"name": "Kafr Zita", "lat": 35.37, "lon": 36.6, "country": "SY", "admin1": "Hama",
                              "admin1_accept": ["Hama", "Hamah"]},
                 "fatalities": 4, "actors": [{"name": "Military Forces of Syria", "role": "actor1", "perpetrator": true,
                 "aliases": ["Syrian regime"]}], "target": "medical"},
                {"event_type": "Battles", "event_type_accept": ["Battles", "Violence against civilians"], "sub_event_type": null,
                 "date": "2026-03-01", "date_end": "2026-03-05", "location": {"lat": 36.0, "lon": 37.0, "country": "SY"},
                 "fatalities": 0, "actors": [{"name": "Unknown gunmen", "role": "perpetrator", "unknown": true}]}
            ], "fatalities_split": false}}),
        json!({"id": "e2", "text": "Clashes.", "gold": {"events": [{"event_type": "Battles", "date": "2026-01-01",
            "location": {"lat": 10.0, "lon": 10.0, "country": "NG"}, "fatalities": 3}], "fatalities_split": true}}),
        json!({"id": "e3", "text": "Nothing predicted here.", "gold": {"events": [{"event_type": "Protests", "fatalities": null}]}}),
        json!({"id": "p1", "text": "From Ḩamāh to Homs, via Hama and Homs again.", "gold": {"places": [
            {"start": 5, "end": 10, "name": "Ḩamāh", "lat": 35.13, "lon": 36.75},
            {"start": 14, "end": 18, "name": "Homs", "lat": 34.72, "lon": 36.72},
            {"start": 24, "end": 28, "name": "Hama", "lat": null, "lon": null},
            {"start": 33, "end": 37, "name": "Homs", "lat": 34.72, "lon": 36.72}]}}),
        json!({"id": "s1", "text": "\"We will not stop,\" the envoy said. Kerry said the strike was deliberate, and he added more.",
            "gold": {"statements": [
                {"speaker": {"start": 20, "end": 29, "text": "the envoy"}, "cue": {"start": 30, "end": 34, "text": "said"},
                 "content": {"start": 0, "end": 18, "text": "\"We will not stop,\""}, "direct": true},
                {"speaker": {"start": 36, "end": 41, "text": "Kerry"}, "cue": null,
                 "content": {"start": 47, "end": 75, "text": "the strike was deliberate, and", "fragments": [[47, 71], [73, 76]]}, "direct": false},
                {"speaker": {"start": 77, "end": 79, "text": "he", "pronoun": true}, "cue": null,
                 "content": {"start": 86, "end": 91, "text": "more."}, "direct": false}]}}),
    ];
    let preds = vec![
        json!({"id": "e1", "events": [
            {"event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike", "date": "2026-03-03",
             "location": {"lat": 35.4, "lon": 36.61, "country": "sy", "admin1": "Hamah Governorate"},
             "fatalities": {"low": null, "best": 4, "high": null},
             "actors": [{"name": "Syrian regime forces", "role": "perpetrator"}], "target": "medical"},
            {"event_type": "Violence against civilians", "date": "2026-03-04T10:00", "location": {"lat": "36.1", "lon": 37.1},
             "fatalities": null, "actors": ["someone"]},
            "not an event"]}),
        json!({"id": "e2", "events": [{"event_type": "Battles", "fatalities": 3}]}),
        json!({"id": "p1", "places": [
            {"name": "Ḩamāh", "start": 5, "end": 10, "lat": 35.2, "lon": 36.8},
            {"name": "Homs", "lat": 36.72, "lon": 34.72},
            {"name": "Homs", "lat": 34.7, "lon": 36.7},
            {"name": "Hama and", "start": true, "end": 3},
            {"name": "Nowhere"}]}),
        json!({"id": "s1", "statements": [
            {"speaker": "UN envoy", "text": "We will not stop", "start": 1, "end": 17},
            {"speaker": "John Kerry", "text": "the strike was deliberate"},
            {"speaker": null, "text": "more", "start": 86, "end": 90}]}),
        json!({"id": "extra", "events": []}),
    ];
    (gold, preds)
}

fn reference_scorer() -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/eval/score.py");
    let python = Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    (python && path.exists()).then_some(path)
}

#[test]
fn agrees_with_score_py_on_every_metric() {
    let Some(scorer) = reference_scorer() else {
        eprintln!(
            "SKIPPED: python3 or ../shared/eval/score.py is not available; agreement not checked"
        );
        return;
    };
    let (gold, preds) = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, records: &[Value]| {
        let path = dir.path().join(name);
        let lines: Vec<String> = records.iter().map(|r| r.to_string()).collect();
        std::fs::write(&path, lines.join("\n")).unwrap();
        path
    };
    let (gp, pp) = (write("gold.jsonl", &gold), write("pred.jsonl", &preds));
    let out = Command::new("python3")
        .arg(&scorer)
        .arg(&gp)
        .arg(&pp)
        .arg("--json")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reference: Value = serde_json::from_slice(&out.stdout).unwrap();

    let mut p = Predictions::default();
    for r in preds {
        p.insert(r);
    }
    let ours = serde_json::to_value(score(&gold, &p)).unwrap();
    for task in ["events", "places", "statements"] {
        let theirs = reference[task].as_object().unwrap();
        for (key, value) in theirs {
            let mine = &ours[task][key];
            let same = match (value.as_f64(), mine.as_f64()) {
                (Some(a), Some(b)) => (a - b).abs() < 1e-9,
                _ => value == mine,
            };
            assert!(same, "{task}.{key}: score.py {value}, truce-eval {mine}");
        }
    }
    assert_eq!(
        ours["missing_predictions"],
        reference["missing_predictions"]
    );
    assert_eq!(ours["extra_predictions"], reference["extra_predictions"]);
}

//! Corrections end to end: a correction and a retraction reach every reader of the record
//! (`truce incident`, `truce incidents`, exports and their sidecar, `truce compare`, counts, the
//! health index, the daily report, alerts), a corrected place is found in the gazetteer and the
//! incident assessed again, a later report joining the incident does not undo the correction,
//! and bad requests are refused clearly.

use serde_json::Value;

use crate::helpers::Env;
use crate::incidents::incident_of;
use crate::monitoring::{lines, monitored, ok, refused};

fn exported(env: &Env, id: i64, extra: &[&str]) -> Option<Value> {
    let mut args = vec!["export", "--format", "jsonl"];
    args.extend_from_slice(extra);
    lines(&ok(env, &args)).into_iter().find(|r| r["id"] == id)
}

fn day_total(env: &Env) -> u64 {
    let counts: Value =
        serde_json::from_str(&ok(env, &["counts", "--date", "2025-05-14", "--json"])).unwrap();
    counts["total"].as_u64().unwrap()
}

#[test]
fn a_correction_and_a_retraction_reach_every_reader() {
    let env = monitored();
    let bakery = incident_of(&env, "fx-bakery-1");
    let id = bakery["id"].as_i64().unwrap();
    let ids = id.to_string();
    assert_eq!(bakery["location"]["name"], "Aleppo");
    let before = exported(&env, id, &[]).unwrap();
    assert_eq!(before["verdict"], "likely violation", "{before}");

    // A toll: the record, the list, the export and the daily report read the corrected figure.
    let said = ok(
        &env,
        &[
            "correct",
            &ids,
            "fatalities.low",
            "8",
            "--reason",
            "the council's list",
        ],
    );
    assert!(
        said.contains("fatalities.low corrected from 5 to 8"),
        "{said}"
    );
    let read: Value = serde_json::from_str(&ok(&env, &["incident", &ids, "--json"])).unwrap();
    assert_eq!(read["fatalities"]["low"], 8);
    assert_eq!(read["fatalities"]["high"], 8, "the range keeps its order");
    let shown = ok(&env, &["incident", &ids]);
    assert!(shown.contains("killed    8"), "{shown}");
    assert!(shown.contains("fatalities.low from 5 to 8"), "{shown}");
    assert!(shown.contains("the council's list"), "{shown}");
    assert_eq!(
        exported(&env, id, &[]).unwrap()["incident"]["fatalities"]["low"],
        8
    );
    let report = ok(&env, &["report", "daily", "--date", "2025-05-14"]);
    assert!(report.contains("25 killed"), "17 and 8: {report}");

    // A place: found in the gazetteer (not only renamed), the incident assessed again (outside
    // the Aleppo zone now) and its alert on the Aleppo hospital cleared.
    let said = ok(
        &env,
        &[
            "correct",
            &ids,
            "location.name",
            "Jisr ash Shughur",
            "--reason",
            "the bakery is in Jisr",
        ],
    );
    assert!(said.contains("from Aleppo to Jisr ash Shughūr"), "{said}");
    assert!(said.contains("Idlib, SY"), "{said}");
    let read: Value = serde_json::from_str(&ok(&env, &["incident", &ids, "--json"])).unwrap();
    let lat = read["location"]["lat"].as_f64().unwrap();
    assert!(
        (lat - 35.81).abs() < 0.05,
        "moved to Jisr ash Shughūr: {read}"
    );
    assert_eq!(read["location"]["admin1"], "Idlib");
    let after = exported(&env, id, &[]).unwrap();
    assert_eq!(after["verdict"], "outside scope", "{after}");
    assert!(
        after["alerts"].as_array().unwrap().is_empty(),
        "no alert on an Aleppo site stands for an incident in Idlib: {after}"
    );
    let csv = {
        ok(
            &env,
            &["export", "--format", "acled-csv", "--output", "a.csv"],
        );
        std::fs::read_to_string(env.path("a.csv")).unwrap()
    };
    assert!(
        csv.contains("Jisr ash Shugh"),
        "the export reads the corrected place"
    );
    let alerts = ok(&env, &["alerts"]);
    assert!(
        alerts.contains("cleared"),
        "the log keeps the cleared alert: {alerts}"
    );

    // A later report of the same strike joins the incident: the corrections stand.
    env.write(
        "later.jsonl",
        r#"{"id": "fx-bakery-3", "published": "2025-05-16", "title": "Bakery shelling toll", "text": "Shells hit a bakery in the al-Kalasa district of Aleppo on 14 May, killing five people, a rescue worker said."}"#,
    );
    ok(&env, &["ingest", "later.jsonl"]);
    let joined = incident_of(&env, "fx-bakery-3");
    assert_eq!(
        joined["id"], id,
        "the later report joined the corrected incident"
    );
    assert_eq!(joined["fatalities"]["low"], 8);
    assert_eq!(joined["location"]["admin1"], "Idlib");
    // And from scratch: recluster keeps the incident's id, and so its corrections.
    ok(&env, &["recluster"]);
    let again = incident_of(&env, "fx-bakery-1");
    assert_eq!(
        (again["id"].as_i64(), &again["fatalities"]["low"]),
        (Some(id), &Value::from(8))
    );
    assert_eq!(
        exported(&env, id, &[]).unwrap()["verdict"],
        "outside scope",
        "recluster assesses what it rewrote"
    );

    // A retraction: marked where the incident is read, left out of exports (the sidecar says
    // so), counts and the daily report unless asked for.
    let hospital = incident_of(&env, "fx-hospital-1");
    let hid = hospital["id"].as_i64().unwrap();
    let hids = hid.to_string();
    let total = day_total(&env);
    let violations = || -> u64 {
        let h = lines(&ok(
            &env,
            &[
                "health",
                "--since",
                "2025-05-14",
                "--until",
                "2025-05-14",
                "--json",
            ],
        ));
        h[0]["point"]["violations"].as_u64().unwrap()
    };
    let before = violations();
    assert!(before >= 1, "the hospital strike is a likely violation");
    let said = ok(&env, &["retract", &hids, "--reason", "a double count"]);
    assert!(said.contains("retracted"), "{said}");
    assert!(ok(&env, &["incident", &hids]).contains("RETRACTED"));
    let listed = ok(&env, &["incidents"]);
    assert!(
        listed
            .lines()
            .any(|l| l.trim_start().starts_with(&format!("{hid}R"))),
        "{listed}"
    );
    let read: Value = serde_json::from_str(&ok(&env, &["incident", &hids, "--json"])).unwrap();
    assert_eq!(read["retracted"], true);
    assert!(exported(&env, hid, &[]).is_none(), "left out of exports");
    assert!(exported(&env, hid, &["--include-discounted"]).is_some());
    ok(
        &env,
        &["export", "--format", "geojson", "--output", "g.json"],
    );
    let meta: Value =
        serde_json::from_str(&std::fs::read_to_string(env.path("g.json.meta.json")).unwrap())
            .unwrap();
    assert_eq!(
        (
            meta["left_out"].as_u64(),
            meta["include_withdrawn"].as_bool()
        ),
        (Some(1), Some(false))
    );
    let geo: Value =
        serde_json::from_str(&std::fs::read_to_string(env.path("g.json")).unwrap()).unwrap();
    assert_eq!(
        geo["features"].as_array().unwrap().len() as u64,
        meta["rows"].as_u64().unwrap()
    );
    assert_eq!(day_total(&env), total - 1, "counts leave it out");
    assert_eq!(violations(), before - 1, "the health index leaves it out");
    let report = ok(&env, &["report", "daily", "--date", "2025-05-14"]);
    assert!(
        !report.contains(&format!("Incident {hid}:")),
        "the daily report leaves it out: {report}"
    );
    let compared: Value = {
        ok(
            &env,
            &[
                "export",
                "--format",
                "acled-csv",
                "--include-discounted",
                "--output",
                "all.csv",
            ],
        );
        serde_json::from_str(&ok(&env, &["compare", "all.csv", "--json"])).unwrap()
    };
    assert_eq!(
        compared["only_theirs"].as_array().unwrap().len(),
        1,
        "compare reads what stands: the retracted incident is only in the file: {compared}"
    );
}

#[test]
fn bad_corrections_are_refused_clearly_and_change_nothing() {
    let env = monitored();
    let id = incident_of(&env, "fx-bakery-1")["id"]
        .as_i64()
        .unwrap()
        .to_string();
    let before = ok(&env, &["incident", &id, "--json"]);
    for (args, expected) in [
        (
            vec!["correct", &id, "colour", "red", "--reason", "x"],
            "is not one of event_type",
        ),
        (
            vec!["correct", &id, "date", "14 May", "--reason", "x"],
            "is not a date (YYYY-MM-DD)",
        ),
        (
            vec!["correct", &id, "fatalities.low", "-3", "--reason", "x"],
            "is not a count",
        ),
        (
            vec!["correct", &id, "event_type", "Airstrike", "--reason", "x"],
            "not an ACLED event type",
        ),
        (
            vec!["correct", &id, "target", "hospital", "--reason", "x"],
            "not a target kind",
        ),
        (
            vec!["correct", &id, "date", "2025-05-14", "--reason", "   "],
            "a reason is needed",
        ),
        (
            vec!["correct", &id, "date", "2025-05-14", "--reason", "x"],
            "the record already says",
        ),
        (
            vec!["correct", "999999", "date", "2025-05-14", "--reason", "x"],
            "no incident 999999",
        ),
        (
            vec!["correct", &id, "location.name", "Atlantis", "--reason", "x"],
            "no place called \"Atlantis\" in SY",
        ),
        (
            vec![
                "correct",
                &id,
                "location.name",
                "Ariha, Narnia",
                "--reason",
                "x",
            ],
            "no place called",
        ),
    ] {
        refused(&env, &args, expected);
    }
    assert_eq!(
        ok(&env, &["incident", &id, "--json"]),
        before,
        "nothing changed"
    );
    let long = "x".repeat(5000);
    refused(
        &env,
        &["correct", &id, "date", "2025-05-13", "--reason", &long],
        "longer than 4000",
    );
    // Another country is said, never guessed.
    let moved = ok(
        &env,
        &[
            "correct",
            &id,
            "location.name",
            "Ariha, Palestine",
            "--reason",
            "x",
        ],
    );
    assert!(moved.contains(", PS"), "{moved}");
    refused(
        &env,
        &["retract", &id, "--reason", ""],
        "a reason is needed",
    );
    ok(&env, &["retract", &id, "--reason", "a mistake"]);
    refused(
        &env,
        &["retract", &id, "--reason", "again"],
        "already retracted",
    );
}

/// An incident merged into another hands its corrections on (the merge does not lose them), and
/// the audit log still verifies: the moved rows are sealed again, the move is an entry.
#[test]
fn a_correction_outlives_a_merge_and_the_log_still_verifies() {
    let env = monitored();
    let kept = incident_of(&env, "fx-hospital-1")["id"].as_i64().unwrap();
    let merged = incident_of(&env, "fx-bakery-1")["id"].as_i64().unwrap();
    ok(
        &env,
        &[
            "correct",
            &merged.to_string(),
            "injured.low",
            "12",
            "--reason",
            "the clinic's count",
        ],
    );
    ok(
        &env,
        &[
            "incidents",
            "merge",
            &kept.to_string(),
            &merged.to_string(),
            "--note",
            "one strike",
        ],
    );
    let now = incident_of(&env, "fx-bakery-1");
    assert_eq!(now, incident_of(&env, "fx-hospital-1"), "one incident now");
    assert_eq!(
        now["injured"]["low"], 12,
        "the correction came along: {now}"
    );
    let id = now["id"].as_i64().unwrap().to_string();
    let shown = ok(&env, &["incident", &id]);
    assert!(shown.contains("injured.low from"), "{shown}");
    let verified = env.truce(&["audit", "verify"]);
    assert!(
        verified.status.success(),
        "{}",
        crate::helpers::stdout(&verified)
    );
}

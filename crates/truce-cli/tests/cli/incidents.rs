//! Incidents end to end: reports of the same strike become one incident, whatever order and
//! batches they arrive in; `truce recluster` agrees with incremental resolution; people's merges
//! and splits survive re-extraction and reclustering.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::helpers::{Env, stderr, stdout};

const FIXTURE: &str = include_str!("../fixtures/incidents/reports.jsonl");

/// external id -> the strike it reports, from the fixture.
fn truth() -> BTreeMap<String, String> {
    FIXTURE
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (
                v["id"].as_str().unwrap().to_string(),
                v["strike"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn incidents(env: &Env, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["incidents", "--json"];
    args.extend_from_slice(extra);
    let out = env.truce(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The grouping of reports (by external id) the incidents make.
fn grouping(incidents: &[Value]) -> BTreeSet<BTreeSet<String>> {
    incidents
        .iter()
        .map(|i| {
            i["documents"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["external_id"].as_str().unwrap_or("?").to_string())
                .collect()
        })
        .collect()
}

/// Pairwise precision, recall and F1 of a grouping against the truth.
fn pairwise(
    groups: &BTreeSet<BTreeSet<String>>,
    truth: &BTreeMap<String, String>,
) -> (f64, f64, f64) {
    let mut predicted = BTreeSet::new();
    for g in groups {
        for a in g {
            for b in g {
                if a < b {
                    predicted.insert((a.clone(), b.clone()));
                }
            }
        }
    }
    let gold: BTreeSet<(String, String)> = truth
        .keys()
        .flat_map(|a| truth.keys().map(move |b| (a.clone(), b.clone())))
        .filter(|(a, b)| a < b && truth[a] == truth[b])
        .collect();
    let hit = predicted.intersection(&gold).count() as f64;
    let p = if predicted.is_empty() {
        1.0
    } else {
        hit / predicted.len() as f64
    };
    let r = if gold.is_empty() {
        1.0
    } else {
        hit / gold.len() as f64
    };
    let f = if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    };
    (p, r, f)
}

/// Ingests the fixture in three batches, in an order unlike the file's.
fn ingest_in_batches(env: &Env) {
    let lines: Vec<&str> = FIXTURE.lines().filter(|l| !l.trim().is_empty()).collect();
    let batches: [Vec<&str>; 3] = [
        lines.iter().rev().step_by(3).copied().collect(),
        lines.iter().rev().skip(1).step_by(3).copied().collect(),
        lines.iter().rev().skip(2).step_by(3).copied().collect(),
    ];
    for (n, batch) in batches.iter().enumerate() {
        let file = env.write(&format!("batch-{n}.jsonl"), batch.join("\n"));
        let out = env.truce(&["ingest", file.to_str().unwrap()]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
}

#[test]
fn reports_of_the_same_strike_become_one_incident_in_any_order() {
    let env = Env::new();
    ingest_in_batches(&env);
    let truth = truth();
    let listed = incidents(&env, &[]);
    let groups = grouping(&listed);
    let (p, r, f) = pairwise(&groups, &truth);
    assert_eq!((p, r, f), (1.0, 1.0, 1.0), "{groups:#?}");

    // The merged record: the toll as the latest update gives it (14 killed, then "has risen to
    // 17"), with the source of each figure, every source named by id and external id.
    let hospital = listed
        .iter()
        .find(|i| {
            grouping(std::slice::from_ref(i))
                .iter()
                .next()
                .unwrap()
                .contains("fx-hospital-1")
        })
        .unwrap();
    assert_eq!(hospital["fatalities"]["low"], 17);
    assert_eq!(hospital["fatalities"]["high"], 17);
    assert_eq!(
        hospital["fatalities_from"]["best"]["document"],
        hospital["sources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["external_id"] == "fx-hospital-3")
            .unwrap()["document_id"],
        "the update is the best figure's source"
    );
    // The reports that name no one add nothing to the attribution.
    assert_eq!(hospital["perpetrators"].as_array().unwrap().len(), 1);
    assert_eq!(
        hospital["perpetrators"][0]["name"],
        "Military Forces of Syria"
    );
    assert_eq!(hospital["target"], "medical");
    assert_eq!(hospital["first_reported"], "2025-05-14");
    assert_eq!(hospital["last_reported"], "2025-05-16");
    assert_eq!(hospital["documents"].as_array().unwrap().len(), 3);
    assert!(
        hospital["sources"][0]["event"]
            .as_str()
            .unwrap()
            .contains(':')
    );

    // A full recluster gives the same incidents as incremental resolution.
    let out = env.truce(&["recluster"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(grouping(&incidents(&env, &[])), groups);

    // A second ingest of everything in one batch changes nothing (duplicates).
    let all = env.write("all.jsonl", FIXTURE);
    assert!(
        env.truce(&["ingest", all.to_str().unwrap()])
            .status
            .success()
    );
    assert_eq!(grouping(&incidents(&env, &[])), groups);
}

#[test]
fn incidents_are_filtered_by_date_type_and_distance() {
    let env = Env::new();
    let all = env.write("all.jsonl", FIXTURE);
    assert!(
        env.truce(&["ingest", all.to_str().unwrap()])
            .status
            .success()
    );
    let since = incidents(&env, &["--since", "2025-05-21"]);
    assert!(
        since
            .iter()
            .all(|i| i["date"].as_str().unwrap() >= "2025-05-21")
    );
    assert_eq!(since.len(), 2, "{since:#?}");
    let battles = incidents(&env, &["--type", "Battles"]);
    assert_eq!(battles.len(), 1);
    // Within 10 km of Aleppo: the hospital and the bakery, not Jisr al-Shughur or Saraqib.
    let aleppo = incidents(&env, &["--near", "36.2,37.16,10"]);
    assert_eq!(aleppo.len(), 2, "{aleppo:#?}");
    // The same two by the town's name in Arabic script, and by "Halab".
    let ids = |list: &[Value]| -> BTreeSet<i64> {
        list.iter().map(|i| i["id"].as_i64().unwrap()).collect()
    };
    for name in ["حلب", "Halab"] {
        assert_eq!(
            ids(&incidents(&env, &["--area", name])),
            ids(&aleppo),
            "{name}"
        );
    }
    assert!(incidents(&env, &["--area", "Atlantis"]).is_empty());
    // By words: "rubble" is in one hospital report only; "RUBBLE hospital" all words.
    let rubble = incidents(&env, &["--text", "RUBBLE hospital"]);
    assert_eq!(rubble.len(), 1, "{rubble:#?}");
    assert!(
        grouping(&rubble)
            .iter()
            .flatten()
            .all(|d| d.starts_with("fx-hospital")),
        "{rubble:#?}"
    );
    assert!(incidents(&env, &["--text", "rubble zeppelin"]).is_empty());
    let table = stdout(&env.truce(&["incidents"]));
    assert!(
        table.contains("Aleppo") && table.contains("   17 "),
        "{table}"
    );
    // The line under the table counts them; a page cut short says of how many.
    let all = incidents(&env, &[]).len();
    assert!(
        table.trim_end().ends_with(&format!("\n{all} incidents")),
        "{table}"
    );
    let cut = stdout(&env.truce(&["incidents", "--limit", "2"]));
    assert_eq!(cut.lines().count(), 1 + 2 + 1, "{cut}");
    assert!(
        cut.contains(&format!("2 of {all} incidents shown (--limit N for more")),
        "{cut}"
    );
    let battles_cut = stdout(&env.truce(&["incidents", "--type", "battles", "--limit", "1"]));
    assert!(
        battles_cut.trim_end().ends_with("\n1 incident"),
        "{battles_cut}"
    );
    let bad = env.truce(&["incidents", "--near", "95,37,10"]);
    assert!(!bad.status.success());
    assert!(
        stderr(&bad).contains("not a point on Earth"),
        "{}",
        stderr(&bad)
    );
    let bad = env.truce(&["incidents", "--near", "36.2;37.1"]);
    assert!(stderr(&bad).contains("LAT,LON,KM"), "{}", stderr(&bad));
}

#[test]
fn an_incident_shows_its_merged_record_and_every_source_sentence() {
    let env = Env::new();
    let all = env.write("all.jsonl", FIXTURE);
    assert!(
        env.truce(&["ingest", all.to_str().unwrap()])
            .status
            .success()
    );
    let listed = incidents(&env, &["--type", "Battles"]);
    let id = listed[0]["id"].as_i64().unwrap().to_string();
    let out = env.truce(&["incident", &id]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Saraqib"), "{text}");
    assert!(text.contains("9-11"), "{text}");
    assert!(
        text.contains("Nine fighters were killed in clashes"),
        "{text}"
    );
    assert!(
        text.contains("fx-clashes-1") && text.contains("fx-clashes-2"),
        "{text}"
    );
    let missing = env.truce(&["incident", "999999"]);
    assert!(!missing.status.success());
    assert!(stderr(&missing).contains("no incident 999999"));
}

/// The incident whose sources include the report with this external id.
pub(crate) fn incident_of(env: &Env, external: &str) -> Value {
    incidents(env, &[])
        .into_iter()
        .find(|i| {
            i["documents"]
                .as_array()
                .unwrap()
                .iter()
                .any(|d| d["external_id"] == external)
        })
        .unwrap_or_else(|| panic!("no incident holds {external}"))
}

#[test]
fn merges_and_splits_survive_reextraction_and_reclustering() {
    let env = Env::new();
    let all = env.write("all.jsonl", FIXTURE);
    assert!(
        env.truce(&["ingest", all.to_str().unwrap()])
            .status
            .success()
    );

    // Merge the two market shellings a week apart.
    let a = incident_of(&env, "fx-market-1")["id"].as_i64().unwrap();
    let b = incident_of(&env, "fx-market-again-1")["id"]
        .as_i64()
        .unwrap();
    assert_ne!(a, b);
    let out = env.truce(&[
        "incidents",
        "merge",
        &a.to_string(),
        &b.to_string(),
        "--by",
        "analyst",
        "--note",
        "same attack",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        incident_of(&env, "fx-market-again-1")["documents"]
            .as_array()
            .unwrap()
            .len(),
        4
    );

    // Split one hospital report off.
    let hospital = incident_of(&env, "fx-hospital-3");
    let event = hospital["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["external_id"] == "fx-hospital-3")
        .unwrap()["event"]
        .as_str()
        .unwrap()
        .to_string();
    let id = hospital["id"].as_i64().unwrap().to_string();
    let out = env.truce(&["incidents", "split", &id, "--event", &event]);
    assert!(out.status.success(), "{}", stderr(&out));
    // It says what moved, and shows the incidents before and after.
    let said = stdout(&out);
    assert!(said.contains("it alone moved"), "{said}");
    assert!(said.contains("before:\n  incident"), "{said}");
    assert!(said.contains("after:\n  incident"), "{said}");
    assert!(said.contains(&event), "{said}");
    let check = |env: &Env| {
        assert_eq!(
            incident_of(env, "fx-hospital-3")["documents"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            incident_of(env, "fx-hospital-1")["documents"]
                .as_array()
                .unwrap()
                .len(),
            2
        );
        assert_eq!(
            incident_of(env, "fx-market-1")["documents"]
                .as_array()
                .unwrap()
                .len(),
            4
        );
    };
    check(&env);
    assert!(env.truce(&["reextract"]).status.success());
    check(&env);
    assert!(env.truce(&["recluster"]).status.success());
    check(&env);

    // Mistakes get clear errors.
    let out = env.truce(&["incidents", "merge", &a.to_string(), &a.to_string()]);
    assert!(stderr(&out).contains("with itself"), "{}", stderr(&out));
    let out = env.truce(&["incidents", "merge", &a.to_string(), "999999"]);
    assert!(
        stderr(&out).contains("no incident 999999"),
        "{}",
        stderr(&out)
    );
    let out = env.truce(&["incidents", "split", &id, "--event", "999:0"]);
    assert!(!out.status.success());
    let out = env.truce(&["incidents", "split", &id, "--event", "banana"]);
    assert!(
        stderr(&out).contains("DOCUMENT:ORDINAL"),
        "{}",
        stderr(&out)
    );
}

/// Written for these tests: 41 reports of 15 occurrences, with reports that name only the
/// province, spellings of one town, toll updates, a recap a week later and near-misses (two
/// strikes the same day in towns a few kilometres apart, the same town shelled twice).
const CORPUS: &str = include_str!("../fixtures/resolution/corpus.jsonl");

#[test]
fn a_corpus_of_many_tellings_resolves_into_its_occurrences() {
    let truth: BTreeMap<String, String> = CORPUS
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (
                v["id"].as_str().unwrap().to_string(),
                v["gold"]["incident"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    // Through the store, newest reports first, in three batches.
    let env = Env::new();
    let mut lines: Vec<&str> = CORPUS.lines().filter(|l| !l.trim().is_empty()).collect();
    lines.reverse();
    for (k, chunk) in lines.chunks(14).enumerate() {
        let path = env.write(&format!("batch-{k}.jsonl"), chunk.join("\n"));
        let out = env.truce(&["ingest", path.to_str().unwrap()]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let groups = grouping(&incidents(&env, &[]));
    let (p, r, f) = pairwise(&groups, &truth);
    assert!(
        f >= 0.95,
        "pairwise P {p:.3} R {r:.3} F1 {f:.3}: {groups:#?}"
    );
    // And the same figure from `truce eval --clustering`, which scores the file's own labels.
    let corpus = env.write("corpus.jsonl", CORPUS);
    let out = env.truce(&[
        "eval",
        "--gold",
        corpus.to_str().unwrap(),
        "--clustering",
        "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let scores: Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    let eval_f1 = scores["clustering"]["pairwise_f1"].as_f64().unwrap();
    assert!(eval_f1 >= 0.95, "{}", scores["clustering"]);
    assert_eq!(scores["clustering"]["gold_groups"], 15);
}

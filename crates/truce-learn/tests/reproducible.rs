//! Training is reproducible: the same data gives the same model bytes, and the models in the
//! repository are exactly what this code trains from the shared dev data.

use std::path::{Path, PathBuf};

use truce_extract::Extractor;
use truce_extract::learn::FOLDS;
use truce_learn::{TrainingFile, train};

/// Gold records written for this test: short reports, each with its kind of event and the side
/// that acted.
fn write_fixture(dir: &Path) {
    let mut lines = Vec::new();
    let reports = [
        (
            "Rebels shelled a market in Aleppo, killing four civilians.",
            "Explosions/Remote violence",
            "Shelling/artillery/missile attack",
            "Rebels (Syria)",
            "Syria",
            36.2,
            37.15,
            "SY",
        ),
        (
            "Government warplanes bombed a school in Idlib, killing six.",
            "Explosions/Remote violence",
            "Air/drone strike",
            "Military Forces of Syria",
            "Syria",
            35.93,
            36.63,
            "SY",
        ),
        (
            "Al Shabaab fighters attacked a police post in Mandera, killing two officers.",
            "Battles",
            "Armed clash",
            "Al Shabaab",
            "Kenya",
            3.94,
            41.86,
            "KE",
        ),
        (
            "Gunmen shot dead a trader in Garissa on Monday.",
            "Violence against civilians",
            "Attack",
            "Unidentified Armed Group (Kenya)",
            "Kenya",
            -0.45,
            39.65,
            "KE",
        ),
        (
            "Police shot dead two robbery suspects in Nairobi.",
            "Violence against civilians",
            "Attack",
            "Police Forces of Kenya",
            "Kenya",
            -1.29,
            36.82,
            "KE",
        ),
        (
            "A bomb exploded at a bus stop in Mogadishu, killing three people.",
            "Explosions/Remote violence",
            "Remote explosive/landmine/IED",
            "Al Shabaab",
            "Somalia",
            2.04,
            45.34,
            "SO",
        ),
    ];
    for round in 0..4 {
        for (i, (text, event_type, sub, perp, _, lat, lon, cc)) in reports.iter().enumerate() {
            lines.push(
                serde_json::json!({
                    "id": format!("fixture-{round}-{i}"),
                    "text": text,
                    "published": "2019-05-06",
                    "gold": {"events": [{
                        "event_type": event_type,
                        "sub_event_type": sub,
                        "date": "2019-05-06",
                        "location": {"lat": lat, "lon": lon, "country": cc},
                        "actors": [{"name": perp, "role": "actor1", "perpetrator": true}]
                    }]}
                })
                .to_string(),
            );
        }
    }
    lines.push("not json".into());
    std::fs::write(dir.join("fixture.jsonl"), lines.join("\n")).unwrap();
    // Toponyms, each with its point: Tripoli the Libyan capital, not the Lebanese city, where
    // the report is about Libya; Homs the Syrian city; a surname that is no place.
    let mut places = Vec::new();
    let toponyms = [
        (
            "Fighting was reported in Tripoli, Libya, on Sunday.",
            "Tripoli",
            32.89,
            13.19,
        ),
        ("The convoy reached Homs before dusk.", "Homs", 34.73, 36.71),
        (
            "Residents of Benghazi said the port was closed.",
            "Benghazi",
            32.12,
            20.07,
        ),
    ];
    for round in 0..6 {
        for (i, (text, name, lat, lon)) in toponyms.iter().enumerate() {
            let start = text.find(name).unwrap();
            places.push(
                serde_json::json!({
                    "id": format!("places-{round}-{i}"),
                    "text": text,
                    "gold": {"places": [{
                        "start": start, "end": start + name.len(), "name": name,
                        "lat": lat, "lon": lon
                    }]}
                })
                .to_string(),
            );
        }
    }
    std::fs::write(dir.join("places.jsonl"), places.join("\n")).unwrap();
    std::fs::write(
        dir.join("no-gold.jsonl"),
        "{\"id\": \"p\", \"text\": \"Homs\", \"gold\": {\"places\": []}}\n",
    )
    .unwrap();
}

#[test]
fn the_same_data_trains_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    write_fixture(dir.path());
    let files = TrainingFile::read_dir(dir.path()).unwrap();
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        ["fixture.jsonl", "places.jsonl"],
        "only files with gold events or places train"
    );
    let x = Extractor::new().unwrap();
    let a = train(&x, &files).unwrap();
    let b = train(&x, &files).unwrap();
    let decisions: Vec<&str> = a.iter().map(|t| t.decision).collect();
    assert_eq!(decisions, ["perpetrator", "place", "sub_event"]);
    for (t, u) in a.iter().zip(&b) {
        assert_eq!(t.full.to_text(), u.full.to_text());
        assert_eq!(t.folds.len(), FOLDS);
        for (p, q) in t.folds.iter().zip(&u.folds) {
            assert_eq!(p.to_text(), q.to_text());
        }
        assert!(t.rows > 0 && t.positives > 0 && t.positives < t.rows);
    }
    // Each decision learns from the files with its kind of gold, and says which: the
    // perpetrator and the sub-event type from gold events, the place from gold toponyms and
    // from events' points.
    let files_of = |t: &truce_learn::Trained| -> Vec<String> {
        t.full.trained_on.iter().map(|f| f.file.clone()).collect()
    };
    assert_eq!(files_of(&a[0]), ["fixture.jsonl"]);
    assert_eq!(files_of(&a[1]), ["fixture.jsonl", "places.jsonl"]);
    assert!(a[1].full.to_text().contains("# data places.jsonl "));
    assert_eq!(files_of(&a[2]), ["fixture.jsonl"]);
}

#[test]
fn a_folder_without_gold_events_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("empty.jsonl"), "").unwrap();
    assert!(TrainingFile::read_dir(dir.path()).is_err());
    assert!(TrainingFile::read_dir(&dir.path().join("missing")).is_err());
}

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn the_shipped_models_are_what_the_dev_data_trains() {
    let data = repository().join("../shared/eval/dev");
    if !data.is_dir() {
        eprintln!(
            "SKIPPED the_shipped_models_are_what_the_dev_data_trains: no dev data at {}",
            data.display()
        );
        return;
    }
    let files = TrainingFile::read_dir(&data).unwrap();
    let trained = train(&Extractor::new().unwrap(), &files).unwrap();
    assert_eq!(trained.len(), truce_extract::learn::DECISIONS.len());
    let models = repository().join("crates/truce-extract/models");
    for t in &trained {
        let d = t.decision;
        let shipped = std::fs::read_to_string(models.join(format!("{d}.tsv"))).unwrap();
        assert!(
            shipped == t.full.to_text(),
            "crates/truce-extract/models/{d}.tsv is not what `truce train` gives from this code and data: run `truce train`"
        );
        for (k, m) in t.folds.iter().enumerate() {
            let shipped = std::fs::read_to_string(models.join(format!("cv/{d}.{k}.tsv"))).unwrap();
            assert!(
                shipped == m.to_text(),
                "{d} fold {k} is stale: run `truce train`"
            );
        }
    }
}

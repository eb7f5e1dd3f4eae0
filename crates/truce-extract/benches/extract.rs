//! Extraction throughput on one core, over the texts of the evaluation dev sets (read in place
//! from `../shared/eval/dev`, or from `TRUCE_BENCH_CORPUS`, a folder of JSONL files with a
//! `text` field; the bundled samples when neither exists).
//!
//! `cargo bench -p truce-extract --bench extract`
//!
//! Answers are checked: every run must find the same number of places and events as the first,
//! and the engine must find Aleppo in a sentence that names it.

use std::path::PathBuf;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use truce_extract::{ExtractInput, Extractor};

fn corpus() -> (String, Vec<ExtractInput>) {
    let dir = std::env::var_os("TRUCE_BENCH_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/eval/dev")
        });
    let mut inputs = Vec::new();
    if let Ok(entries) = std::fs::read_dir(&dir) {
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
            .collect();
        files.sort();
        for file in files {
            for line in std::fs::read_to_string(&file).unwrap_or_default().lines() {
                let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
                    continue;
                };
                let text = v["text"].as_str().unwrap_or("").to_string();
                let published = v["published"]
                    .as_str()
                    .and_then(|p| chrono::NaiveDate::parse_from_str(p, "%Y-%m-%d").ok());
                inputs.push(ExtractInput {
                    id: v["id"].as_str().unwrap_or("").to_string(),
                    text,
                    published,
                });
            }
        }
    }
    if inputs.is_empty() {
        let samples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../samples/reports");
        for entry in std::fs::read_dir(&samples).into_iter().flatten().flatten() {
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            inputs.push(ExtractInput {
                id: entry.path().display().to_string(),
                text,
                published: None,
            });
        }
        return ("the bundled sample reports".into(), inputs);
    }
    (dir.display().to_string(), inputs)
}

fn bench(c: &mut Criterion) {
    let started = std::time::Instant::now();
    let engine = Extractor::new().expect("engine builds");
    eprintln!("engine built in {:.2} s", started.elapsed().as_secs_f64());
    let sanity = engine.places("An air strike hit a hospital in Aleppo overnight.");
    assert_eq!(sanity.first().map(|p| p.name.as_str()), Some("Aleppo"));

    let (name, inputs) = corpus();
    let bytes: usize = inputs.iter().map(|i| i.text.len()).sum();
    eprintln!(
        "corpus: {} texts, {:.1} MB from {name}",
        inputs.len(),
        bytes as f64 / 1e6
    );
    let counts = |engine: &Extractor| -> (usize, usize) {
        inputs
            .iter()
            .map(|i| {
                let r = engine.extract(i);
                (r.places.len(), r.events.len())
            })
            .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
    };
    let expected = counts(&engine);
    let expected_places: usize = inputs.iter().map(|i| engine.places(&i.text).len()).sum();

    let mut group = c.benchmark_group("extract");
    group.throughput(Throughput::Bytes(bytes as u64));
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(30));
    group.bench_function("places only", |b| {
        b.iter(|| {
            let n: usize = inputs.iter().map(|i| engine.places(&i.text).len()).sum();
            assert_eq!(n, expected_places, "places are deterministic");
        })
    });
    group.bench_function("whole extraction", |b| {
        b.iter(|| assert_eq!(counts(&engine), expected, "extraction is deterministic"))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

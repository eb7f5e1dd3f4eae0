//! Ingestion throughput into SQLite: 2,000 small (4 KB) text reports, read from memory, sniffed,
//! decoded, language-detected and saved in transactions of 500, into a fresh database file each
//! iteration. The answer is checked: every document stored exactly once.
//!
//! Run on one core: `taskset -c 0 cargo bench -p truce-pipeline --bench ingest`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use truce_model::SourceRef;
use truce_pipeline::RawInput;
use truce_pipeline::{IngestConfig, prepare};
use truce_store::IngestBatch;

const DOCS: usize = 2_000;

fn corpus() -> Vec<RawInput> {
    let places = [
        "Ariha",
        "Saraqib",
        "Maarat al-Numan",
        "Jisr al-Shughur",
        "Sarmada",
        "Kafr Nabl",
    ];
    (0..DOCS)
        .map(|i| {
            let mut text = format!("Report {i} from {}\n\n", places[i % places.len()]);
            while text.len() < 4096 {
                text.push_str(&format!(
                    "Monitors said shelling hit the outskirts of {} on day {} of the truce, wounding {} civilians. ",
                    places[(i + text.len()) % places.len()],
                    i % 30,
                    i % 7
                ));
            }
            text.truncate(4096);
            RawInput {
                source: SourceRef::file(format!("/corpus/report-{i}.txt")),
                extension: Some("txt".into()),
                url: None,
                bytes: Ok(Arc::from(text.into_bytes())),
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let inputs = corpus();
    let bytes: usize = inputs
        .iter()
        .map(|i| i.bytes.as_ref().map_or(0, |b| b.len()))
        .sum();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let batch_size = IngestConfig::default().batch_size;
    let mut group = c.benchmark_group("ingest");
    group.throughput(Throughput::Elements(DOCS as u64));
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function(
        format!("{DOCS} x 4 KB text into SQLite ({} MB)", bytes / 1_000_000),
        |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let dir = tempfile::tempdir().unwrap();
                    let path = dir.path().join("bench.db");
                    let store = runtime
                        .block_on(truce_store::open(path.to_str().unwrap()))
                        .unwrap();
                    let started = Instant::now();
                    for chunk in inputs.chunks(batch_size) {
                        let mut batch = IngestBatch::default();
                        for input in chunk {
                            let prepared = prepare(input);
                            batch.raws.extend(prepared.raw);
                            batch.documents.extend(prepared.documents);
                        }
                        runtime.block_on(store.save_batch(&batch)).unwrap();
                    }
                    total += started.elapsed();
                    let counts = runtime.block_on(store.document_counts()).unwrap();
                    assert_eq!(counts.parsed as usize, DOCS, "every document stored once");
                }
                total
            })
        },
    );
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

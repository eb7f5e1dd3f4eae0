//! Incremental resolution speed on generated events.
//!
//! The corpus: 1,000,000 events telling 250,000 occurrences (one to seven reports each) spread
//! over three years and a 6 x 8 degree region the size of Syria, in 2,000 towns, with reports that
//! disagree on tolls and give vaguer places. Every event is added one by one, as ingestion does;
//! the index keeps comparisons near-linear. Run with `cargo bench -p truce-cluster`; set
//! `TRUCE_BENCH_EVENTS` to change the size.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use truce_cluster::{Resolver, ResolverConfig};

#[path = "support/corpus.rs"]
mod corpus;

fn resolve(c: &mut Criterion) {
    let n: usize = std::env::var("TRUCE_BENCH_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let events = corpus::corpus(n);
    let mut group = c.benchmark_group("resolve");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(30));
    group.throughput(Throughput::Elements(n as u64));
    group.bench_function(format!("add {n} events incrementally"), |b| {
        b.iter_batched(
            || events.clone(),
            |events| {
                let mut resolver = Resolver::new(ResolverConfig::default());
                for e in events {
                    resolver.add(e);
                }
                black_box(resolver.comparisons())
            },
            criterion::BatchSize::LargeInput,
        )
    });
    group.bench_function(format!("add {n} events and cut incidents"), |b| {
        b.iter_batched(
            || events.clone(),
            |events| {
                let mut resolver = Resolver::new(ResolverConfig::default());
                for e in events {
                    resolver.add(e);
                }
                black_box(resolver.incidents().len())
            },
            criterion::BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, resolve);
criterion_main!(benches);

//! Resolves the generated benchmark corpus once and prints the time, the incidents and the
//! comparisons; run under `/usr/bin/time -v` for peak memory:
//!
//! ```text
//! cargo build --release -p truce-cluster --example resolve_memory
//! /usr/bin/time -v target/release/examples/resolve_memory 1000000
//! ```

#[path = "../benches/support/corpus.rs"]
mod corpus;

use std::time::Instant;

use truce_cluster::{Resolver, ResolverConfig};

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let mut events = corpus::corpus(n);
    let before = resident_kb();
    let started = Instant::now();
    let mut resolver = Resolver::new(ResolverConfig::default());
    // Hand events over one by one and free the corpus as it goes, so the resident size after
    // is the resolver's own.
    events.reverse();
    while let Some(e) = events.pop() {
        resolver.add(e);
        if events.len().is_multiple_of(65_536) {
            events.shrink_to_fit();
        }
    }
    let added = started.elapsed();
    let after = resident_kb();
    let incidents = resolver.incidents();
    let total = started.elapsed();
    println!(
        "{n} events: added in {:.2} s ({:.0} events/s), {} incidents after {:.2} s, {} comparisons",
        added.as_secs_f64(),
        n as f64 / added.as_secs_f64(),
        incidents.len(),
        total.as_secs_f64(),
        resolver.comparisons()
    );
    println!(
        "resident: {} MB with the corpus generated, {} MB with the resolver holding every event",
        before / 1024,
        after / 1024
    );
}

/// This process's resident set size (Linux), in kB.
fn resident_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

//! Runs the geoparser over a JSONL file's texts ten times (for profiling):
//! `cargo run --release -p truce-extract --example places_loop -- FILE.jsonl`.
fn main() {
    let path = std::env::args().nth(1).expect("a JSONL file");
    let texts: Vec<String> = std::fs::read_to_string(path)
        .expect("readable")
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["text"].as_str().map(str::to_string))
        .collect();
    let engine = truce_extract::Extractor::new().expect("engine");
    let started = std::time::Instant::now();
    let mut n = 0;
    for _ in 0..10 {
        for t in &texts {
            n += engine.places(t).len();
        }
    }
    let bytes: usize = texts.iter().map(String::len).sum::<usize>() * 10;
    let secs = started.elapsed().as_secs_f64();
    println!("{n} places, {:.1} MB/s", bytes as f64 / 1e6 / secs);
}

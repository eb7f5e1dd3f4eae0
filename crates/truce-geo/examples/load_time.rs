//! Times the parts of loading the embedded gazetteer: `cargo run --release -p truce-geo --example load_time`.
fn main() {
    let t = std::time::Instant::now();
    let bytes = include_bytes!("../data/gazetteer.tsv.gz");
    let places = truce_geo::format::read_places(&bytes[..], "embedded").unwrap();
    let read = t.elapsed();
    let n = places.len();
    let t2 = std::time::Instant::now();
    let mut total = 0usize;
    for p in &places {
        for name in std::iter::once(&p.name).chain(&p.alternate_names) {
            total += truce_geo::normalize::exact_key(name).len();
        }
    }
    let keys = t2.elapsed();
    let t3 = std::time::Instant::now();
    for p in &places {
        for name in std::iter::once(&p.name).chain(&p.alternate_names) {
            total += truce_geo::normalize::skeleton_key(name).len();
        }
    }
    let skel = t3.elapsed();
    let t4 = std::time::Instant::now();
    let g = truce_geo::Gazetteer::from_places(places);
    println!(
        "{n} places ({total}): read {read:?}, exact keys {keys:?}, skeletons(all) {skel:?}, index {:?}",
        t4.elapsed()
    );
    drop(g);
}

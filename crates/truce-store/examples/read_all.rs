//! Reads every incident of a database through the Store API, a page at a time, and says how
//! long reading took (the export's read side, without writing anything).
//!
//! `cargo run --release -p truce-store --example read_all -- DB`

use std::time::Instant;

use truce_store::IncidentQuery;

#[tokio::main]
async fn main() {
    let db = std::env::args().nth(1).expect("a database path");
    let store = truce_store::open(&db).await.expect("the database");
    let started = Instant::now();
    let (mut before, mut n, mut bytes) = (None, 0usize, 0usize);
    loop {
        let page = store
            .incidents(&IncidentQuery {
                newest_first: true,
                before: before.clone(),
                limit: Some(2000),
                ..Default::default()
            })
            .await
            .expect("a page");
        let Some(last) = page.last() else { break };
        before = Some((last.incident.date.clone().unwrap_or_default(), last.id));
        n += page.len();
        bytes += page.iter().map(|i| i.incident.sources.len()).sum::<usize>();
    }
    println!(
        "{n} incidents ({bytes} sources) read in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

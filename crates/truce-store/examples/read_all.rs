//! Reads every incident of a database the way an export does (`Store::incident_records`, in id
//! order, a page at a time, records left as JSON text) and says how long reading took: the
//! export's read side, without decoding or writing anything.
//!
//! `cargo run --release -p truce-store --example read_all -- DB`

use std::time::Instant;

#[tokio::main]
async fn main() {
    let db = std::env::args().nth(1).expect("a database path");
    let store = truce_store::open(&db).await.expect("the database");
    let started = Instant::now();
    let (mut after, mut n, mut bytes, mut alerts) = (0, 0usize, 0usize, 0usize);
    loop {
        let page = store
            .incident_records(None, after, 4000)
            .await
            .expect("a page");
        let Some(last) = page.last() else { break };
        after = last.id;
        n += page.len();
        bytes += page.iter().map(|r| r.record.len()).sum::<usize>();
        alerts += page.iter().map(|r| r.alerts.len()).sum::<usize>();
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{n} incidents ({:.0} MB of records, {alerts} alerts) read in {secs:.2} s: {:.0} incidents/s",
        bytes as f64 / 1e6,
        n as f64 / secs
    );
}

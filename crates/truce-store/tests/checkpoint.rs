//! The write-ahead log reaches the database file without the writer copying it: the store's
//! own thread checkpoints it, copies what is left when the store is dropped, and stops. (A binary of its own: it counts
//! the process's checkpointing threads.)

use std::sync::Arc;
use std::time::{Duration, Instant};

use truce_model::{ContentHash, DocumentFormat, DocumentStatus, NewDocument, SourceRef};
use truce_store::{IngestBatch, RawBlob};

/// The threads of this process named as the store names its checkpointer.
fn checkpointers() -> usize {
    std::fs::read_dir("/proc/self/task")
        .map(|tasks| {
            tasks
                .filter_map(Result::ok)
                .filter(|t| {
                    std::fs::read_to_string(t.path().join("comm"))
                        .is_ok_and(|name| name.trim() == "truce-checkpt")
                })
                .count()
        })
        .unwrap_or(0)
}

/// Documents stored in the database file itself, the log ignored (`immutable`: the file read
/// as it is on disk); none while even the schema is only in the log.
fn documents_in_file(path: &std::path::Path) -> i64 {
    let uri = format!("file:{}?immutable=1", path.display());
    let c = rusqlite::Connection::open_with_flags(
        uri,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_URI,
    )
    .unwrap();
    c.query_row("SELECT count(*) FROM documents", [], |r| r.get(0))
        .unwrap_or(0)
}

fn report(i: usize, raw: &RawBlob) -> NewDocument {
    let text = format!("Report {i}: shelling was reported near the northern checkpoint.");
    NewDocument {
        content_hash: ContentHash::of(text.as_bytes()),
        raw_hash: Some(raw.hash),
        external_id: Some(format!("r-{i}")),
        format: Some(DocumentFormat::Text),
        source: SourceRef::file("reports.jsonl"),
        title: None,
        url: None,
        published: chrono::NaiveDate::from_ymd_opt(2026, 3, 4),
        language: Some("eng".into()),
        text: Some(text),
        status: DocumentStatus::Parsed,
        error: None,
    }
}

/// Stores reports `numbers` as one batch.
async fn save(store: &truce_store::SqliteStore, numbers: std::ops::Range<usize>) {
    let raw = RawBlob::new(Arc::<[u8]>::from(format!("reports {numbers:?}").as_bytes()));
    let documents: Vec<NewDocument> = numbers.map(|i| report(i, &raw)).collect();
    truce_store::Store::save_batch(
        store,
        &IngestBatch {
            raws: vec![raw],
            documents,
            queue_extraction: false,
        },
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn the_log_is_copied_into_the_file_beside_the_writer_until_the_store_is_gone() {
    let before = checkpointers();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let store = truce_store::SqliteStore::open(path.to_str().unwrap())
        .await
        .unwrap();
    // (A thread names itself once it runs.)
    let deadline = Instant::now() + Duration::from_secs(20);
    while checkpointers() < before + 1 {
        assert!(Instant::now() < deadline, "no checkpointing thread");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        checkpointers(),
        before + 1,
        "one checkpointing thread a file"
    );
    save(&store, 0..300).await;
    // Far below the pool's own checkpoint (16,384 pages): only the thread copies it.
    let deadline = Instant::now() + Duration::from_secs(20);
    while documents_in_file(&path) < 300 {
        assert!(
            Instant::now() < deadline,
            "the log was not copied into the file"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Written last, then the store dropped at once: the drop waits for the log to be copied.
    save(&store, 300..400).await;
    drop(store);
    assert_eq!(
        checkpointers(),
        before,
        "the checkpointer outlived its store"
    );
    assert_eq!(
        documents_in_file(&path),
        400,
        "a store dropped leaves its writes in the file"
    );
}

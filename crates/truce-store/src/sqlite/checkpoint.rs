//! The write-ahead log copied into the database file beside the writer, not by it.
//!
//! In WAL mode every commit appends the pages it changed to the log, and the log is copied back
//! into the database file (a checkpoint) when it grows past a limit. SQLite does that in the
//! connection whose commit crossed the limit, so the writer stops to copy, and to wait for the
//! disk twice, every thousand pages by default. In a large record a batch of reports changes
//! pages all over the file (the hash index of the documents, the indexes of the incidents by
//! place and area: 36,800 distinct pages, 72,300 written, for 10,000 reports into a
//! million-incident record), and those stops were a third of the ingest's time.
//!
//! Here a thread of the store's own checkpoints the file on a connection of its own, about
//! twice a second while the log grows and rarely when it does not (`PASSIVE`: it never waits for
//! the writer or a reader, and the writer never waits for it). The pool's connections keep a
//! checkpoint of their own only as a backstop, when the log passes [`BACKSTOP_PAGES`] (a
//! checkpointer that could not keep up, or could not open the file).

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

/// The log's length (pages) at which a committing connection checkpoints after all.
pub(super) const BACKSTOP_PAGES: &str = "16384";

/// How long the checkpointer waits between checkpoints while the log grows.
const BUSY: Duration = Duration::from_millis(500);

/// How long it waits when the last checkpoint found nothing new.
const IDLE: Duration = Duration::from_secs(2);

/// The checkpointing thread of one database file. When the last clone of the store that
/// started it is dropped, it copies what the log still holds and stops, and the drop waits for
/// it: a command that ends leaves its writes in the database file, not only in the log.
#[derive(Debug)]
pub(super) struct Checkpointer {
    running: Option<mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Checkpointer {
    /// Starts checkpointing the database file at `path`.
    pub(super) fn start(path: PathBuf) -> Self {
        let (running, stopped) = mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("truce-checkpt".into()) // (Linux keeps 15 bytes of a name)
            .spawn(move || run(&path, &stopped));
        let thread = spawned
            .map_err(|e| {
                tracing::warn!(
                    "no checkpointing thread ({e}): the writer checkpoints the log itself"
                );
            })
            .ok();
        Self {
            running: Some(running),
            thread,
        }
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        drop(self.running.take());
        if let Some(thread) = self.thread.take() {
            // A passive checkpoint never waits for another connection, so neither does this.
            let _ = thread.join();
        }
    }
}

fn checkpoint(c: &Connection) -> rusqlite::Result<(i64, i64)> {
    c.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
        Ok((r.get::<_, i64>(1)?, r.get::<_, i64>(2)?))
    })
}

fn run(path: &Path, stopped: &mpsc::Receiver<()>) {
    let mut connection: Option<Connection> = None;
    let mut last = (-1, -1);
    let mut wait = BUSY;
    loop {
        match stopped.recv_timeout(wait) {
            Err(RecvTimeoutError::Timeout) => {}
            // The store is gone: what the log still holds is copied once more.
            _ => {
                let c = match connection.take() {
                    Some(c) => Some(c),
                    None => open(path).ok(),
                };
                if let Some(Err(e)) = c.as_ref().map(checkpoint) {
                    tracing::debug!("last checkpoint: {e}");
                }
                return;
            }
        }
        let c = match &connection {
            Some(c) => c,
            None => match open(path) {
                Ok(c) => connection.insert(c),
                Err(e) => {
                    tracing::debug!("checkpointer: {e}");
                    wait = IDLE;
                    continue;
                }
            },
        };
        match checkpoint(c) {
            Ok(now) => {
                wait = if now == last { IDLE } else { BUSY };
                last = now;
            }
            Err(e) => {
                tracing::debug!("checkpoint: {e}");
                connection = None;
                wait = IDLE;
            }
        }
    }
}

fn open(path: &Path) -> rusqlite::Result<Connection> {
    let c = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    c.busy_timeout(Duration::from_secs(5))?;
    c.execute_batch("PRAGMA synchronous = NORMAL;")?;
    Ok(c)
}

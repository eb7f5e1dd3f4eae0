//! Ingestion: raw inputs -> documents -> the store, in batched transactions.
//!
//! Files are read and parsed on a blocking thread while the previous batch is written, so
//! reading and writing overlap. Each batch is one transaction: a crash (even SIGKILL) loses at
//! most the batch in flight, and running the same command again stores it, while everything
//! committed before is recognised by its content hash and reported as a duplicate.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use tokio::sync::mpsc;
use truce_model::{DocumentId, DocumentStatus, SourceKind, SourceRef};
use truce_store::{IngestBatch, SaveOutcome, Store};

use crate::prepare::{PreparedInput, prepare};
use crate::{IngestConfig, IngestError};
use truce_ingest::ReadError;
use truce_ingest::source::{Discovered, HttpFetcher, RawInput, ReadFailure, discover, read_file};

/// Hears about progress (the CLI draws a progress bar with it).
pub trait IngestObserver: Send + Sync {
    /// How many inputs will be read, once known.
    fn inputs_found(&self, _count: u64) {}
    /// One input was read, parsed and saved.
    fn input_done(&self, _source: &SourceRef, _outcomes: &[DocumentOutcome]) {}
    /// Extraction of (at most) `count` stored documents begins.
    fn extraction_started(&self, _count: u64) {}
    /// `count` more documents were extracted, and their incidents resolved and assessed.
    fn documents_extracted(&self, _count: u64) {}
}

/// An observer that ignores everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct Quiet;

impl IngestObserver for Quiet {}

/// What happened to one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentOutcome {
    /// The stored document.
    pub id: DocumentId,
    /// Its origin (with the part: `item 3`).
    pub source: SourceRef,
    /// Stored, duplicate, failed or recovered.
    pub kind: OutcomeKind,
    /// The error of a failed document.
    pub error: Option<String>,
}

/// The kinds of [`DocumentOutcome`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutcomeKind {
    /// A new document.
    Stored,
    /// Already stored.
    Duplicate,
    /// Could not be read or parsed (stored as failed).
    Failed,
    /// A stored failure that now parsed.
    Recovered,
}

impl OutcomeKind {
    /// Its name in metrics and logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Stored => "stored",
            Self::Duplicate => "duplicate",
            Self::Failed => "failed",
            Self::Recovered => "recovered",
        }
    }
}

/// The result of an ingestion run.
#[derive(Debug, Clone, Default)]
pub struct IngestSummary {
    /// Inputs read (files, URLs, stored failures retried).
    pub inputs: u64,
    /// Every document outcome, in input order.
    pub outcomes: Vec<DocumentOutcome>,
    /// Wall time.
    pub elapsed: Duration,
}

impl IngestSummary {
    fn count(&self, kind: OutcomeKind) -> usize {
        self.outcomes.iter().filter(|o| o.kind == kind).count()
    }

    /// New documents stored, recovered failures included.
    pub fn stored(&self) -> usize {
        self.count(OutcomeKind::Stored) + self.count(OutcomeKind::Recovered)
    }

    /// Documents that were already stored.
    pub fn duplicates(&self) -> usize {
        self.count(OutcomeKind::Duplicate)
    }

    /// Documents that failed.
    pub fn failed(&self) -> usize {
        self.count(OutcomeKind::Failed)
    }

    /// The failures, for reporting.
    pub fn failures(&self) -> impl Iterator<Item = &DocumentOutcome> {
        self.outcomes
            .iter()
            .filter(|o| o.kind == OutcomeKind::Failed)
    }

    /// Ids of new parsed documents (to extract next).
    pub fn new_documents(&self) -> Vec<DocumentId> {
        self.outcomes
            .iter()
            .filter(|o| matches!(o.kind, OutcomeKind::Stored | OutcomeKind::Recovered))
            .map(|o| o.id)
            .collect()
    }

    /// Adds another run's inputs and outcomes to these.
    pub fn absorb(&mut self, other: IngestSummary) {
        self.inputs += other.inputs;
        self.outcomes.extend(other.outcomes);
    }
}

/// Stores raw inputs as documents.
pub struct Ingestor<'a> {
    store: &'a dyn Store,
    config: IngestConfig,
    observer: &'a dyn IngestObserver,
}

impl<'a> Ingestor<'a> {
    /// An ingestor writing to `store`.
    pub fn new(
        store: &'a dyn Store,
        config: IngestConfig,
        observer: &'a dyn IngestObserver,
    ) -> Self {
        Self {
            store,
            config,
            observer,
        }
    }

    /// Reads files and folders (recursively) and stores every report found in them; files in
    /// `exclude` (the database itself) are skipped.
    pub async fn ingest_paths(
        &self,
        paths: &[PathBuf],
        exclude: &[PathBuf],
    ) -> Result<IngestSummary, IngestError> {
        let started = Instant::now();
        let found = {
            let (paths, exclude) = (paths.to_vec(), exclude.to_vec());
            tokio::task::spawn_blocking(move || discover(&paths, &exclude))
                .await
                .unwrap_or_default()
        };
        self.observer.inputs_found(found.len() as u64);
        let max_bytes = self.config.max_bytes;
        let (tx, rx) = mpsc::channel::<PreparedInput>(64);
        let reader = tokio::task::spawn_blocking(move || {
            for item in found {
                let input = match item {
                    Discovered::File(path) => read_file(&path, max_bytes),
                    Discovered::Failed(path, error) => RawInput {
                        source: SourceRef::file(path.display().to_string()),
                        extension: None,
                        url: None,
                        bytes: Err(ReadFailure::new(error)),
                    },
                };
                if tx.blocking_send(prepare(&input)).is_err() {
                    break;
                }
            }
        });
        let mut summary = self.save_stream(rx).await?;
        let _ = reader.await;
        summary.elapsed = started.elapsed();
        Ok(summary)
    }

    /// Reads one raw input already in memory (standard input, an API body).
    pub async fn ingest_input(&self, input: RawInput) -> Result<IngestSummary, IngestError> {
        let started = Instant::now();
        self.observer.inputs_found(1);
        let prepared = tokio::task::spawn_blocking(move || prepare(&input))
            .await
            .map_err(|e| IngestError::Task(format!("parser task failed: {e}")))?;
        let mut summary = self.save_prepared(vec![prepared]).await?;
        summary.elapsed = started.elapsed();
        Ok(summary)
    }

    /// Stores inputs already read and prepared (the watcher's, after it has dropped the items
    /// it read before), in one transaction.
    pub async fn ingest_prepared(
        &self,
        inputs: Vec<PreparedInput>,
    ) -> Result<IngestSummary, IngestError> {
        let started = Instant::now();
        self.observer.inputs_found(inputs.len() as u64);
        let mut summary = self.save_prepared(inputs).await?;
        summary.elapsed = started.elapsed();
        Ok(summary)
    }

    /// Fetches URLs (pages or feeds) and stores every report found in them.
    pub async fn ingest_urls(&self, urls: &[String]) -> Result<IngestSummary, IngestError> {
        let started = Instant::now();
        let fetcher = HttpFetcher::new(&self.config)?;
        self.observer.inputs_found(urls.len() as u64);
        let mut summary = IngestSummary::default();
        for url in urls {
            let input = fetcher.fetch(url).await;
            let prepared = tokio::task::spawn_blocking(move || prepare(&input))
                .await
                .map_err(|e| IngestError::Task(format!("parser task failed: {e}")))?;
            summary.absorb(self.save_prepared(vec![prepared]).await?);
        }
        summary.elapsed = started.elapsed();
        Ok(summary)
    }

    /// Tries stored failures again with the current parsers and settings: from the raw bytes
    /// kept with them, or by reading the file or URL again when no bytes were kept.
    /// `ids` empty means every failed document.
    pub async fn retry(&self, ids: &[DocumentId]) -> Result<IngestSummary, IngestError> {
        let started = Instant::now();
        let mut failed = Vec::new();
        if ids.is_empty() {
            let mut query = truce_store::DocumentQuery {
                status: Some(DocumentStatus::Failed),
                ..Default::default()
            };
            loop {
                let page = self.store.list_documents(&query).await?;
                let Some(last) = page.last() else { break };
                query.after = Some(last.id);
                failed.extend(page);
            }
        } else {
            for id in ids {
                if let Some(doc) = self.store.document(*id).await?
                    && doc.doc.status == DocumentStatus::Failed
                {
                    failed.push(doc);
                }
            }
        }
        // Several failed parts of one raw input are retried by reading that input once.
        let mut seen = std::collections::HashSet::new();
        failed.retain(|d| seen.insert((d.doc.source.location.clone(), d.doc.raw_hash)));
        self.observer.inputs_found(failed.len() as u64);
        let fetcher = HttpFetcher::new(&self.config)?;
        let mut summary = IngestSummary::default();
        for doc in failed {
            let whole = SourceRef {
                part: None,
                ..doc.doc.source.clone()
            };
            let input = match doc.doc.raw_hash {
                Some(hash) => match self.store.raw(&hash).await? {
                    Some(bytes) => RawInput {
                        extension: extension_of(&whole.location),
                        url: (whole.kind == SourceKind::Url).then(|| whole.location.clone()),
                        source: whole,
                        bytes: Ok(bytes.into()),
                    },
                    None => reread(&whole, &fetcher, self.config.max_bytes).await,
                },
                None => reread(&whole, &fetcher, self.config.max_bytes).await,
            };
            let prepared = tokio::task::spawn_blocking(move || prepare(&input))
                .await
                .map_err(|e| IngestError::Task(format!("parser task failed: {e}")))?;
            summary.absorb(self.save_prepared(vec![prepared]).await?);
        }
        summary.elapsed = started.elapsed();
        Ok(summary)
    }

    async fn save_stream(
        &self,
        mut rx: mpsc::Receiver<PreparedInput>,
    ) -> Result<IngestSummary, IngestError> {
        let mut summary = IngestSummary::default();
        let mut pending: Vec<PreparedInput> = Vec::new();
        let mut pending_docs = 0;
        let mut pending_bytes = 0;
        while let Some(prepared) = rx.recv().await {
            pending_docs += prepared.documents.len();
            pending_bytes += prepared.raw.as_ref().map_or(0, |r| r.bytes.len());
            pending.push(prepared);
            if pending_docs >= self.config.batch_size || pending_bytes >= 64 << 20 {
                summary.absorb(self.save_prepared(std::mem::take(&mut pending)).await?);
                pending_docs = 0;
                pending_bytes = 0;
            }
        }
        if !pending.is_empty() {
            summary.absorb(self.save_prepared(pending).await?);
        }
        Ok(summary)
    }

    #[tracing::instrument(name = "storing", skip_all, fields(inputs = inputs.len()))]
    async fn save_prepared(
        &self,
        inputs: Vec<PreparedInput>,
    ) -> Result<IngestSummary, IngestError> {
        let mut batch = IngestBatch {
            queue_extraction: self.config.queue_extraction,
            ..IngestBatch::default()
        };
        for input in &inputs {
            if let Some(raw) = &input.raw {
                batch.raws.push(raw.clone());
            }
            batch.documents.extend(input.documents.iter().cloned());
        }
        let saved = self.store.save_batch(&batch).await?;
        let mut summary = IngestSummary {
            inputs: inputs.len() as u64,
            ..Default::default()
        };
        let mut saved = saved.into_iter();
        for input in &inputs {
            let mut outcomes = Vec::with_capacity(input.documents.len());
            for (doc, outcome) in input.documents.iter().zip(saved.by_ref()) {
                let failed = doc.status == DocumentStatus::Failed;
                let kind = match outcome {
                    _ if failed => OutcomeKind::Failed,
                    SaveOutcome::Stored(_) => OutcomeKind::Stored,
                    SaveOutcome::Recovered(_) => OutcomeKind::Recovered,
                    SaveOutcome::Duplicate(_) | SaveOutcome::FailedAgain(_) => {
                        OutcomeKind::Duplicate
                    }
                };
                metrics::counter!("truce_documents_total", "outcome" => kind.as_str()).increment(1);
                outcomes.push(DocumentOutcome {
                    id: outcome.id(),
                    source: doc.source.clone(),
                    kind,
                    error: doc.error.clone(),
                });
            }
            self.observer.input_done(&input.source, &outcomes);
            summary.outcomes.extend(outcomes);
        }
        Ok(summary)
    }
}

fn extension_of(location: &str) -> Option<String> {
    let name = location.rsplit(['/', '\\']).next()?;
    name.rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
}

async fn reread(source: &SourceRef, fetcher: &HttpFetcher, max_bytes: u64) -> RawInput {
    match source.kind {
        SourceKind::File => {
            let path = PathBuf::from(&source.location);
            tokio::task::spawn_blocking(move || read_file(&path, max_bytes))
                .await
                .unwrap_or_else(|e| RawInput {
                    source: SourceRef::file(""),
                    extension: None,
                    url: None,
                    bytes: Err(ReadFailure::new(ReadError::Io(e.to_string()))),
                })
        }
        SourceKind::Url => fetcher.fetch(&source.location).await,
        SourceKind::Stdin | SourceKind::Api => RawInput {
            source: source.clone(),
            extension: None,
            url: None,
            bytes: Err(ReadFailure::new(ReadError::Io(
                "no bytes were kept and this source cannot be read again".into(),
            ))),
        },
    }
}

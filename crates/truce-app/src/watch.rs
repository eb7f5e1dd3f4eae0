//! The watcher: every source of the register fetched on its own schedule, day and night, and
//! what it brings taken in by the normal path (stored, extracted, resolved, assessed, alerts
//! raised).
//!
//! - **Schedule**: sources are claimed when due (the store moves their next fetch to the end
//!   of a lease, so that a watcher that dies lets them fall due again) and fetched at most
//!   [`WatchConfig::concurrency`] at a time, [`WatchConfig::per_host`] at a time to one host.
//!   After a fetch the model's [`SourceState::after_fetch`] sets the next one: an interval on,
//!   or a doubling backoff after failures.
//! - **Fetching**: conditional requests (`If-None-Match`, `If-Modified-Since`; a 304 costs no
//!   body), gzip, the ingest settings' timeout, size limit and user agent; a body that is not
//!   what the source serves (a page where a feed was) is kept as a failed document and recorded
//!   against the source.
//! - **Once**: a feed's items are read once each, by their id, else their link, else their
//!   content (an item edited later is not taken in again), and the article an item links to is
//!   fetched once (`follow_links`), kept beside the item. What was read is recorded with the
//!   fetch in one transaction, after the reports are stored: a watcher killed in between reads
//!   the items again and finds their reports stored (by their content), so nothing is lost and
//!   nothing counted twice.
//! - **Extraction** runs beside the fetching, on whatever the fetches queued, woken by each
//!   fetch that stored a report; it is the pipeline's queue, so a restarted watcher finishes
//!   what a stopped one left.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use tokio::sync::{Notify, Semaphore};
use tokio::task::JoinSet;
use tracing::Instrument;
use truce_extract::Extractor;
use truce_ingest::source::{Conditional, HttpFetcher, RawInput, Validators, is_http_url};
use truce_model::{
    DocumentFormat, DocumentStatus, FetchResult, NewDocument, SourceState, WatchKind, WatchedSource,
};
use truce_monitor::AlertRule;
use truce_pipeline::{ExtractSummary, IngestConfig, Ingestor, OutcomeKind, PreparedInput, Quiet};
use truce_store::Store;

use crate::AppError;
use crate::sources::host_of;

/// How the watcher works.
#[derive(Debug, Clone)]
pub struct WatchConfig {
    /// Timeouts, size limit and user agent of every fetch.
    pub ingest: IngestConfig,
    /// When incidents raise alerts (`[monitor] radius_km`).
    pub alert_rule: AlertRule,
    /// Fetches in flight at once.
    pub concurrency: usize,
    /// Fetches in flight at once to one host.
    pub per_host: usize,
    /// Articles followed from one fetch of a feed at most; the items beyond wait for the next.
    pub max_links: usize,
}

impl Default for WatchConfig {
    fn default() -> Self {
        Self {
            ingest: IngestConfig::default(),
            alert_rule: AlertRule::default(),
            concurrency: 32,
            per_host: 2,
            max_links: 20,
        }
    }
}

/// What one fetch of one source did.
#[derive(Debug, Clone)]
pub struct Poll {
    /// The source, as it was when claimed.
    pub source: WatchedSource,
    /// When it was due.
    pub due: DateTime<Utc>,
    /// When its fetch began.
    pub started: DateTime<Utc>,
    /// How long the fetch and the storing took.
    pub took: Duration,
    /// What the schedule learns from it.
    pub result: FetchResult,
    /// Reports new to the record (articles followed included).
    pub new_reports: u32,
    /// Reports found already stored, or items read before.
    pub seen: u32,
    /// Articles fetched from the feed's items.
    pub links_followed: u32,
}

impl Poll {
    /// How late the fetch began after the source was due.
    pub fn lag(&self) -> Duration {
        (self.started - self.due).to_std().unwrap_or_default()
    }
}

/// Hears what the watcher does (the CLI prints it; the benchmark measures it).
pub trait WatchObserver: Send + Sync {
    /// A source was fetched and what it brought stored.
    fn polled(&self, _poll: &Poll) {}
    /// What the fetches queued was extracted, resolved and assessed.
    fn extracted(&self, _summary: &ExtractSummary) {}
    /// Something went wrong that is not a source's (the store); the watcher goes on.
    fn trouble(&self, _error: &AppError) {}
}

impl WatchObserver for Quiet {}

/// Fetches the register's sources on their schedules.
pub struct Watcher {
    store: Arc<dyn Store>,
    fetcher: HttpFetcher,
    config: WatchConfig,
    fetches: Arc<Semaphore>,
    hosts: Mutex<HashMap<String, Arc<Semaphore>>>,
    /// Woken when a fetch stored reports (extraction) or ended (the schedule).
    stored: Notify,
    ended: Notify,
    /// Set when the run is stopping: extraction ends after its current pass.
    stopping: std::sync::atomic::AtomicBool,
}

/// How long a claimed source stays claimed beyond the fetch's own deadline.
const LEASE_MARGIN: Duration = Duration::from_secs(120);

/// Longest sleep of the schedule: a source added meanwhile is seen within this.
const MAX_SLEEP: Duration = Duration::from_secs(5);

impl Watcher {
    /// A watcher of `store`'s register.
    pub fn new(store: Arc<dyn Store>, config: WatchConfig) -> Result<Self, AppError> {
        let fetcher = HttpFetcher::new(&config.ingest)
            .map_err(|e| AppError::Invalid(format!("cannot build the HTTP client: {e}")))?;
        Ok(Self {
            store,
            fetcher,
            fetches: Arc::new(Semaphore::new(config.concurrency.max(1))),
            config,
            hosts: Mutex::new(HashMap::new()),
            stored: Notify::new(),
            ended: Notify::new(),
            stopping: std::sync::atomic::AtomicBool::new(false),
        })
    }

    /// Fetches and records the sources due now, waits for their fetches, and extracts what
    /// they brought: one pass of the schedule (`truce watch --once`, and tests). The polls go to
    /// the observer as they end; what extraction did is returned with them.
    pub async fn run_once(
        self: &Arc<Self>,
        engine: Arc<Extractor>,
        observer: Arc<dyn WatchObserver>,
    ) -> Result<(Vec<Poll>, ExtractSummary), AppError> {
        let due = self
            .claim(self.config.concurrency.max(1) as u32 * 64)
            .await?;
        let mut tasks = JoinSet::new();
        for source in due {
            let watcher = self.clone();
            // Within the same bound on fetches at once as the running schedule.
            let fetches = self.fetches.clone();
            tasks.spawn(async move {
                let _slot = fetches.acquire_owned().await;
                watcher.poll_claimed(source).await
            });
        }
        let mut polls = Vec::new();
        while let Some(done) = tasks.join_next().await {
            match done {
                Ok(Ok(poll)) => {
                    observer.polled(&poll);
                    polls.push(poll);
                }
                Ok(Err(e)) => return Err(e),
                Err(e) => return Err(AppError::Invalid(format!("a fetch task failed: {e}"))),
            }
        }
        let summary =
            truce_pipeline::finish_pending(self.store.as_ref(), engine, self.config.alert_rule)
                .await?;
        Ok((polls, summary))
    }

    /// Runs until `stop` resolves: the schedule, and extraction beside it. What an earlier run
    /// left on the queue is extracted first. On stop, fetches in flight are given their
    /// deadline to end; a fetch cut short leaves its source due again (its reports, if stored,
    /// are found stored next time).
    pub async fn run(
        self: Arc<Self>,
        engine: Arc<Extractor>,
        observer: Arc<dyn WatchObserver>,
        stop: impl Future<Output = ()>,
    ) -> Result<(), AppError> {
        let extraction = {
            let watcher = self.clone();
            let observer = observer.clone();
            tokio::spawn(async move { watcher.extract_loop(engine, observer).await })
        };
        let mut tasks: JoinSet<()> = JoinSet::new();
        tokio::pin!(stop);
        loop {
            let free = self.fetches.available_permits();
            let mut claimed = 0;
            if free > 0 {
                match self.claim(free as u32).await {
                    Ok(due) => {
                        claimed = due.len();
                        for source in due {
                            let Ok(permit) = self.fetches.clone().acquire_owned().await else {
                                break;
                            };
                            let watcher = self.clone();
                            let observer = observer.clone();
                            tasks.spawn(async move {
                                match watcher.poll_claimed(source).await {
                                    Ok(poll) => observer.polled(&poll),
                                    Err(e) => {
                                        tracing::error!("watcher: {e}");
                                        observer.trouble(&e);
                                    }
                                }
                                drop(permit);
                                watcher.ended.notify_one();
                            });
                        }
                    }
                    Err(e) => {
                        tracing::error!("watcher: cannot read the register: {e}");
                        observer.trouble(&e);
                    }
                }
            }
            while tasks.try_join_next().is_some() {}
            let sleep = if self.fetches.available_permits() == 0 {
                // Every slot busy: the end of a fetch wakes the schedule (below).
                MAX_SLEEP
            } else if claimed > 0 {
                // More may be due already.
                Duration::ZERO
            } else {
                self.until_next_due().await
            };
            tokio::select! {
                () = &mut stop => break,
                () = tokio::time::sleep(sleep) => {}
                () = self.ended.notified(), if self.fetches.available_permits() == 0 => {}
            }
        }
        let deadline = Duration::from_secs(self.config.ingest.http_timeout_secs + 5);
        let _ = tokio::time::timeout(deadline, async {
            while tasks.join_next().await.is_some() {}
        })
        .await;
        tasks.abort_all();
        // The last fetches' reports are extracted before the watcher ends (what is cut short
        // stays queued for the next run).
        self.stopping
            .store(true, std::sync::atomic::Ordering::SeqCst);
        self.stored.notify_one();
        let abort = extraction.abort_handle();
        if tokio::time::timeout(Duration::from_secs(60), extraction)
            .await
            .is_err()
        {
            abort.abort();
        }
        Ok(())
    }

    /// How long the schedule may sleep: until the next source is due, at most [`MAX_SLEEP`].
    async fn until_next_due(&self) -> Duration {
        match self.store.next_due().await {
            Ok(Some(next)) => (next - Utc::now())
                .to_std()
                .unwrap_or(Duration::from_millis(20))
                .clamp(Duration::from_millis(20), MAX_SLEEP),
            Ok(None) => MAX_SLEEP,
            Err(e) => {
                tracing::error!("watcher: cannot read the register: {e}");
                MAX_SLEEP
            }
        }
    }

    async fn claim(&self, limit: u32) -> Result<Vec<WatchedSource>, AppError> {
        let now = Utc::now();
        let lease = Duration::from_secs(self.config.ingest.http_timeout_secs)
            * (1 + self.config.max_links as u32)
            + LEASE_MARGIN;
        let lease = now + chrono::Duration::from_std(lease).unwrap_or(chrono::Duration::hours(1));
        Ok(self.store.claim_due(now, lease, limit).await?)
    }

    async fn extract_loop(&self, engine: Arc<Extractor>, observer: Arc<dyn WatchObserver>) {
        loop {
            match truce_pipeline::finish_pending(
                self.store.as_ref(),
                engine.clone(),
                self.config.alert_rule,
            )
            .instrument(tracing::info_span!("watch_extraction"))
            .await
            {
                Ok(summary) => {
                    if summary.documents > 0 || summary.resolved > 0 {
                        observer.extracted(&summary);
                    }
                }
                Err(e) => {
                    let e = AppError::from(e);
                    tracing::error!("watcher: extraction failed: {e}");
                    observer.trouble(&e);
                    tokio::time::sleep(MAX_SLEEP).await;
                }
            }
            if self.stopping.load(std::sync::atomic::Ordering::SeqCst) {
                return;
            }
            self.stored.notified().await;
        }
    }

    /// The semaphore of a URL's host.
    fn host(&self, url: &str) -> Arc<Semaphore> {
        let host = host_of(url).unwrap_or("").to_ascii_lowercase();
        let mut hosts = self.hosts.lock().unwrap_or_else(|e| e.into_inner());
        hosts
            .entry(host)
            .or_insert_with(|| Arc::new(Semaphore::new(self.config.per_host.max(1))))
            .clone()
    }

    /// Fetches one claimed source now, stores what it brought and records the fetch.
    async fn poll_claimed(&self, source: WatchedSource) -> Result<Poll, AppError> {
        let span = tracing::info_span!("fetch", source = source.id, url = %source.url);
        self.poll(source).instrument(span).await
    }

    /// Fetches one source now, stores what it brought (new reports queued for extraction) and
    /// records the fetch in the register.
    pub async fn poll(&self, source: WatchedSource) -> Result<Poll, AppError> {
        let due = source.state.next_fetch_at;
        let started = Utc::now();
        let clock = Instant::now();
        let host = self.host(&source.url);
        let fetched = {
            let _permit = host.acquire().await;
            let validators = Validators {
                etag: source.state.etag.clone(),
                last_modified: source.state.last_modified.clone(),
            };
            self.fetcher
                .fetch_if_changed(&source.url, &validators)
                .await
        };
        let mut taken = Taken::default();
        let result = match fetched {
            Conditional::Unchanged => FetchResult::NotModified,
            Conditional::Changed(input, validators) => match &input.bytes {
                Err(failure) => FetchResult::Failed(failure.error.to_string()),
                Ok(_) => {
                    taken = self.take_in(&source, *input).await?;
                    match taken.refused.take() {
                        Some(why) => FetchResult::Failed(why),
                        None => FetchResult::Fetched {
                            new_reports: taken.new_reports,
                            etag: validators.etag,
                            last_modified: validators.last_modified,
                        },
                    }
                }
            },
        };
        let state: SourceState = source
            .state
            .after_fetch(source.every_secs, started, &result);
        self.store
            .record_fetch(source.id, &state, &taken.read)
            .await?;
        if taken.new_reports > 0 {
            self.stored.notify_one();
        }
        let status = match &result {
            FetchResult::Fetched { .. } => "ok",
            FetchResult::NotModified => "not modified",
            FetchResult::Failed(_) => "failed",
        };
        metrics::counter!("truce_watch_fetches_total", "status" => status).increment(1);
        metrics::counter!("truce_watch_reports_total").increment(u64::from(taken.new_reports));
        let poll = Poll {
            due,
            started,
            took: clock.elapsed(),
            result,
            new_reports: taken.new_reports,
            seen: taken.seen,
            links_followed: taken.links_followed,
            source,
        };
        metrics::histogram!("truce_watch_lag_seconds").record(poll.lag().as_secs_f64());
        metrics::histogram!("truce_watch_fetch_seconds").record(poll.took.as_secs_f64());
        if let FetchResult::Failed(why) = &poll.result {
            tracing::warn!(source = poll.source.id, "{}: {why}", poll.source.url);
        }
        Ok(poll)
    }

    /// Parses a body, keeps the items not read before (and the articles they link to), stores
    /// them, and says what was read.
    async fn take_in(&self, source: &WatchedSource, input: RawInput) -> Result<Taken, AppError> {
        let prepared = tokio::task::spawn_blocking(move || truce_pipeline::prepare(&input))
            .await
            .map_err(|e| AppError::Invalid(format!("the parser task failed: {e}")))?;
        if let Some(why) = mismatch(source.kind, prepared.format()) {
            let refused = prepared.refused(why.clone());
            self.store_prepared(vec![refused]).await?;
            return Ok(Taken {
                refused: Some(why),
                ..Taken::default()
            });
        }
        if let [whole] = prepared.documents.as_slice()
            && whole.status == DocumentStatus::Failed
            && whole.source.part.is_none()
        {
            // Nothing readable (binary, empty, malformed): kept as failed, and the source's.
            let why = whole.error.clone().unwrap_or_else(|| "unreadable".into());
            self.store_prepared(vec![prepared]).await?;
            return Ok(Taken {
                refused: Some(why),
                ..Taken::default()
            });
        }
        let keys: Vec<String> = prepared.documents.iter().map(item_key).collect();
        let unread = self.store.unread_items(source.id, &keys).await?;
        let unread: std::collections::HashSet<&str> = unread.iter().map(String::as_str).collect();
        let mut taken = Taken::default();
        let mut kept = Vec::new();
        let mut links = Vec::new();
        for (doc, key) in prepared.documents.iter().zip(&keys) {
            if !unread.contains(key.as_str()) {
                taken.seen += 1;
                continue;
            }
            let link = doc
                .url
                .as_deref()
                .filter(|_| source.follow_links && doc.status == DocumentStatus::Parsed)
                .filter(|u| is_http_url(u) && *u != source.url);
            match link {
                // Left unread: taken, with its article, by a later fetch.
                Some(_) if links.len() >= self.config.max_links => continue,
                Some(url) => links.push(url.to_string()),
                None => {}
            }
            kept.push(doc.clone());
            taken.read.push(key.clone());
        }
        let mut inputs = vec![PreparedInput {
            documents: kept,
            ..prepared
        }];
        for url in links {
            let host = self.host(&url);
            let _permit = host.acquire().await;
            let article = self.fetcher.fetch(&url).await;
            taken.links_followed += 1;
            inputs.push(
                tokio::task::spawn_blocking(move || truce_pipeline::prepare(&article))
                    .await
                    .map_err(|e| AppError::Invalid(format!("the parser task failed: {e}")))?,
            );
        }
        let summary = self.store_prepared(inputs).await?;
        for outcome in &summary.outcomes {
            match outcome.kind {
                OutcomeKind::Stored | OutcomeKind::Recovered => taken.new_reports += 1,
                OutcomeKind::Duplicate => taken.seen += 1,
                OutcomeKind::Failed => {}
            }
        }
        Ok(taken)
    }

    async fn store_prepared(
        &self,
        inputs: Vec<PreparedInput>,
    ) -> Result<truce_pipeline::IngestSummary, AppError> {
        Ok(
            Ingestor::new(self.store.as_ref(), self.config.ingest.clone(), &Quiet)
                .ingest_prepared(inputs)
                .await?,
        )
    }
}

/// What one body brought.
#[derive(Debug, Default)]
struct Taken {
    /// The keys of the items read now.
    read: Vec<String>,
    new_reports: u32,
    seen: u32,
    links_followed: u32,
    /// Why the body was refused whole.
    refused: Option<String>,
}

/// The key an item is read once by: a feed item's or record's id, else its link, else its
/// content.
fn item_key(doc: &NewDocument) -> String {
    if let Some(id) = doc.external_id.as_deref().filter(|i| !i.is_empty()) {
        format!("id:{id}")
    } else if let Some(url) = doc.url.as_deref().filter(|u| !u.is_empty()) {
        format!("link:{url}")
    } else {
        format!("hash:{}", doc.content_hash.to_hex())
    }
}

/// Why a body is not what its source serves, if it is not: a feed that sent a page (an error
/// page, a login wall) is refused, not read as a report.
fn mismatch(kind: WatchKind, format: Option<DocumentFormat>) -> Option<String> {
    let format = format?;
    let fits = match kind {
        WatchKind::Feed => matches!(
            format,
            DocumentFormat::Rss | DocumentFormat::Atom | DocumentFormat::JsonFeed
        ),
        WatchKind::Json => matches!(
            format,
            DocumentFormat::Json | DocumentFormat::Jsonl | DocumentFormat::JsonFeed
        ),
        WatchKind::Page => true,
    };
    (!fits).then(|| {
        format!(
            "expected a {}, the server sent {} ({})",
            kind.as_str(),
            article(format.as_str()),
            format.as_str()
        )
    })
}

fn article(format: &str) -> &'static str {
    match format {
        "html" => "a web page",
        "text" => "plain text",
        "email" => "an e-mail",
        _ => "something else",
    }
}

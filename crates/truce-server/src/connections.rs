//! Connections, so that no client can starve the server: a cap on open connections, a deadline
//! for a request's headers, an idle deadline between requests, and a cap on requests in flight.
//!
//! - **Connection cap.** When the cap is reached, a new connection takes the place of the open
//!   connection that has been quiet longest *with no request in flight* (idle keep-alives,
//!   silent sockets, half-sent headers), as nginx reuses its idle keep-alive connections. So
//!   thousands of idle or half-sent sockets from one host cost the server at most the cap in
//!   file descriptors, and a real client is still served at once. When every connection is busy
//!   the new one is closed.
//! - **Deadlines.** A request's headers must arrive within `header_read_timeout` (hyper's own
//!   timer); a connection with no request in flight that makes no progress for `idle_timeout`
//!   (nothing read, nothing written) is closed: this also covers a socket that never sends a
//!   byte, before hyper sees a request at all.
//! - **Requests in flight** beyond `max_requests` are answered 503 with `Retry-After` at once
//!   ([`shed`]), instead of queueing without bound.

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, ready};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::connect_info::ConnectInfo;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, Semaphore};
use tokio::time::Sleep;
use tower::ServiceExt;

/// The server's limits on connections and requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Open connections at most (file descriptors the server spends on clients).
    pub max_connections: usize,
    /// Requests handled at once at most; more are answered 503.
    pub max_requests: usize,
    /// Time a client has to send a request's headers.
    pub header_read_timeout: Duration,
    /// Time a connection with no request in flight may make no progress.
    pub idle_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_connections: 1000,
            max_requests: 128,
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
        }
    }
}

/// One open connection, as the cap sees it.
struct Tracked {
    /// Milliseconds since the server started, at its last progress.
    last_activity: Arc<AtomicU64>,
    /// Requests in flight on it.
    in_flight: Arc<AtomicUsize>,
    /// Tells its task to close it.
    close: Arc<Notify>,
}

/// Every open connection.
struct Registry {
    started: Instant,
    next_id: AtomicU64,
    open: Mutex<HashMap<u64, Tracked>>,
}

impl Registry {
    fn now_ms(&self) -> u64 {
        self.started.elapsed().as_millis() as u64
    }

    /// Makes room for one more connection: `false` when every open one is busy.
    fn make_room(&self, cap: usize) -> bool {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        if open.len() < cap {
            return true;
        }
        let victim = open
            .iter()
            .filter(|(_, t)| t.in_flight.load(Ordering::Acquire) == 0)
            .min_by_key(|(_, t)| t.last_activity.load(Ordering::Acquire))
            .map(|(id, _)| *id);
        match victim.and_then(|id| open.remove(&id)) {
            Some(t) => {
                // Out of the count now; its task closes it.
                t.close.notify_one();
                true
            }
            None => false,
        }
    }
}

/// Serves the application on the listener with the limits, until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let registry = Arc::new(Registry {
        started: Instant::now(),
        next_id: AtomicU64::new(0),
        open: Mutex::new(HashMap::new()),
    });
    let closing = Arc::new(Notify::new());
    let app = app.layer(axum::middleware::from_fn_with_state(
        Arc::new(Semaphore::new(limits.max_requests.max(1))),
        shed,
    ));
    tokio::pin!(shutdown);
    loop {
        let (stream, remote) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors and the like: wait for some to close instead of
                    // spinning or giving up.
                    tracing::warn!("cannot accept a connection: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        if !registry.make_room(limits.max_connections) {
            tracing::debug!("every connection is busy: closing a new one from {remote}");
            drop(stream);
            continue;
        }
        let _ = stream.set_nodelay(true);
        let id = registry.next_id.fetch_add(1, Ordering::Relaxed);
        let tracked = Tracked {
            last_activity: Arc::new(AtomicU64::new(registry.now_ms())),
            in_flight: Arc::new(AtomicUsize::new(0)),
            close: Arc::new(Notify::new()),
        };
        let io = Watched {
            inner: stream,
            registry: registry.clone(),
            last_activity: tracked.last_activity.clone(),
            in_flight: tracked.in_flight.clone(),
            idle_timeout: limits.idle_timeout,
            deadline: Box::pin(tokio::time::sleep(limits.idle_timeout)),
        };
        let (in_flight, close) = (tracked.in_flight.clone(), tracked.close.clone());
        registry
            .open
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id, tracked);
        let app = app.clone();
        let service = tower::service_fn(move |mut req: Request<hyper::body::Incoming>| {
            req.extensions_mut().insert(ConnectInfo(remote));
            let in_flight = in_flight.clone();
            in_flight.fetch_add(1, Ordering::AcqRel);
            let app = app.clone();
            async move {
                let resp = app.oneshot(req.map(Body::new)).await;
                in_flight.fetch_sub(1, Ordering::AcqRel);
                resp
            }
        });
        let (registry, closing) = (registry.clone(), closing.clone());
        let header_read_timeout = limits.header_read_timeout;
        tokio::spawn(async move {
            let mut builder = Builder::new(TokioExecutor::new());
            builder
                .http1()
                .timer(TokioTimer::new())
                .header_read_timeout(header_read_timeout);
            let conn = builder.serve_connection_with_upgrades(
                TokioIo::new(io),
                TowerToHyperService::new(service),
            );
            tokio::pin!(conn);
            tokio::select! {
                result = conn.as_mut() => {
                    if let Err(e) = result {
                        tracing::trace!("connection from {remote} ended: {e}");
                    }
                }
                () = close.notified() => {
                    tracing::trace!("connection from {remote} closed to make room");
                }
                () = closing.notified() => {
                    conn.as_mut().graceful_shutdown();
                    let _ = tokio::time::timeout(Duration::from_secs(10), conn.as_mut()).await;
                }
            }
            registry
                .open
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .remove(&id);
        });
    }
    closing.notify_waiters();
    Ok(())
}

/// Answers 503 with `Retry-After` when `max_requests` are already in flight.
pub async fn shed(State(permits): State<Arc<Semaphore>>, req: Request, next: Next) -> Response {
    match permits.try_acquire() {
        Ok(_permit) => next.run(req).await,
        Err(_) => {
            let mut resp = crate::error::ApiError::busy().into_response();
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            resp
        }
    }
}

/// A client's socket that records its progress and closes itself when a connection with no
/// request in flight makes none for the idle timeout.
struct Watched {
    inner: TcpStream,
    registry: Arc<Registry>,
    last_activity: Arc<AtomicU64>,
    in_flight: Arc<AtomicUsize>,
    idle_timeout: Duration,
    deadline: Pin<Box<Sleep>>,
}

impl Watched {
    fn progressed(&mut self) {
        self.last_activity
            .store(self.registry.now_ms(), Ordering::Release);
        let next = tokio::time::Instant::now() + self.idle_timeout;
        self.deadline.as_mut().reset(next);
    }

    /// With nothing to do: an error once the idle deadline passes with no request in flight.
    fn poll_idle(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.in_flight.load(Ordering::Acquire) > 0 {
            // A request is being answered: the handler's time is not the client's idleness.
            self.progressed();
        }
        ready!(self.deadline.as_mut().poll(cx));
        Poll::Ready(Err(io::Error::new(
            io::ErrorKind::TimedOut,
            "the connection was idle too long",
        )))
    }
}

impl Watched {
    /// A write's outcome: progress recorded, or, when the client reads nothing, the idle deadline.
    fn after_write(
        &mut self,
        cx: &mut Context<'_>,
        written: Poll<io::Result<usize>>,
    ) -> Poll<io::Result<usize>> {
        match written {
            Poll::Ready(Ok(n)) => {
                if n > 0 {
                    self.progressed();
                }
                Poll::Ready(Ok(n))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => match self.poll_idle(cx) {
                Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
                _ => Poll::Pending,
            },
        }
    }
}

impl AsyncRead for Watched {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                if buf.filled().len() > before {
                    this.progressed();
                }
                Poll::Ready(Ok(()))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => this.poll_idle(cx),
        }
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let written = Pin::new(&mut this.inner).poll_write(cx, buf);
        this.after_write(cx, written)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let written = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        this.after_write(cx, written)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

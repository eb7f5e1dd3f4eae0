//! How the server is doing, for machines: `/metrics` in the Prometheus text format, `/healthz`
//! and `/readyz`; every request counted and timed by route and status, and given a request id.
//!
//! The counters and histograms are recorded through the `metrics` facade wherever the work is
//! done (the pipeline: documents by outcome, extraction and resolution times, alerts raised;
//! the watcher: fetches by status, lag behind the schedule, fetch times; here: requests). A
//! binary that wants them installs the recorder once with [`install`]; without it they cost
//! nothing. What the register and the queue hold is read from the store when `/metrics` is
//! asked for (the watcher may run in another process): the work waiting, and each watched
//! source's status, failures, age of its last success and whether it has gone quiet.
//!
//! `/metrics` names which sources a mission reads, so it is readable only by administrators
//! (session or API token) or from the addresses `[server] metrics_from` lists.

use std::fmt::Write as _;
use std::net::{IpAddr, SocketAddr};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use tower_http::request_id::{MakeRequestId, RequestId};
use truce_model::{FetchStatus, SourceHealth};
use truce_store::PendingStage;

use crate::access::Permission;
use crate::caller::Caller;
use crate::error::ApiError;
use crate::state::AppState;

/// Upper bounds of the time histograms, in seconds.
const BUCKETS: [f64; 14] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// Installs the process's Prometheus recorder (once; later calls return the same handle).
/// `None` when another recorder was installed first.
pub fn install() -> Option<PrometheusHandle> {
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new().set_buckets(&BUCKETS).ok()?;
            match builder.install_recorder() {
                Ok(handle) => Some(handle),
                Err(e) => {
                    tracing::warn!("metrics are off: {e}");
                    None
                }
            }
        })
        .clone()
}

/// The addresses that may read `/metrics` without logging in: single addresses and networks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Networks(Vec<(IpAddr, u8)>);

impl Networks {
    /// Reads `10.0.0.5`, `10.0.0.0/8`, `::1`, `fd00::/8`; anything else is refused, naming it.
    pub fn parse(items: &[String]) -> Result<Self, String> {
        let mut nets = Vec::new();
        for item in items {
            let (addr, bits) = match item.trim().split_once('/') {
                Some((a, b)) => (a, Some(b)),
                None => (item.trim(), None),
            };
            let ip: IpAddr = addr
                .parse()
                .map_err(|_| format!("{item:?} is not an IP address or network"))?;
            let max = if ip.is_ipv4() { 32 } else { 128 };
            let bits = match bits {
                None => max,
                Some(b) => b
                    .parse::<u8>()
                    .ok()
                    .filter(|b| *b <= max)
                    .ok_or_else(|| format!("{item:?}: a prefix length is 0 to {max}"))?,
            };
            nets.push((ip, bits));
        }
        Ok(Self(nets))
    }

    /// Whether `ip` is in one of the networks (IPv4 addresses mapped into IPv6 count as IPv4).
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            v4 => v4,
        };
        self.0.iter().any(|(net, bits)| match (net, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => prefix(&n.octets(), &a.octets(), *bits),
            (IpAddr::V6(n), IpAddr::V6(a)) => prefix(&n.octets(), &a.octets(), *bits),
            _ => false,
        })
    }
}

/// Whether the first `bits` bits of two addresses agree.
fn prefix(net: &[u8], addr: &[u8], bits: u8) -> bool {
    let whole = usize::from(bits / 8);
    let rest = bits % 8;
    if net[..whole] != addr[..whole] {
        return false;
    }
    if rest == 0 {
        return true;
    }
    let mask = 0xffu8 << (8 - rest);
    (net[whole] & mask) == (addr[whole] & mask)
}

/// Request ids: a prefix drawn when the process starts and a counter, so that ids are unique
/// across restarts without a random draw a request.
#[derive(Debug, Clone, Copy, Default)]
pub struct RequestIds;

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

fn process_prefix() -> &'static str {
    static PREFIX: OnceLock<String> = OnceLock::new();
    PREFIX.get_or_init(|| {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        format!(
            "{:08x}",
            (nanos as u64 ^ u64::from(std::process::id())) as u32
        )
    })
}

impl MakeRequestId for RequestIds {
    fn make_request_id<B>(&mut self, _request: &axum::http::Request<B>) -> Option<RequestId> {
        let n = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        HeaderValue::from_str(&format!("{}-{n:x}", process_prefix()))
            .ok()
            .map(RequestId::new)
    }
}

/// Counts and times every request by method, route (the route's pattern, never the path
/// itself: ids and names stay out of the metrics) and status.
pub async fn record(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().as_str().to_string();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |p| p.as_str().to_string());
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    let seconds = started.elapsed().as_secs_f64();
    metrics::counter!("truce_http_requests_total", "method" => method.clone(), "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!("truce_http_request_duration_seconds", "method" => method, "route" => route)
        .record(seconds);
    response
}

/// `GET /healthz`: the process answers.
pub async fn healthz() -> &'static str {
    "ok\n"
}

/// `GET /readyz`: the store answers (503 when it does not).
pub async fn readyz(State(state): State<AppState>) -> Response {
    match state.store.pending_count(PendingStage::Extract).await {
        Ok(_) => (StatusCode::OK, "ready\n").into_response(),
        Err(e) => {
            tracing::error!("not ready: the store does not answer: {e}");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "the store does not answer\n",
            )
                .into_response()
        }
    }
}

/// `GET /metrics`: the Prometheus text format, for administrators and configured addresses.
pub async fn metrics(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    caller: Caller,
) -> Result<Response, ApiError> {
    if !state.metrics_from.contains(peer.ip()) {
        caller.require(Permission::ReadMetrics)?;
    }
    let mut text = state
        .metrics
        .as_ref()
        .map(PrometheusHandle::render)
        .unwrap_or_default();
    append_record_gauges(&state, &mut text).await?;
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
        )],
        text,
    )
        .into_response())
}

/// What the store holds now: the queue and the register.
async fn append_record_gauges(state: &AppState, out: &mut String) -> Result<(), ApiError> {
    let store = state.store.as_ref();
    let extract = store.pending_count(PendingStage::Extract).await?;
    let resolve = store.pending_count(PendingStage::Resolve).await?;
    let _ = writeln!(
        out,
        "# HELP truce_queue_depth Reports stored and waiting for a stage (extraction, resolution).\n\
         # TYPE truce_queue_depth gauge\n\
         truce_queue_depth{{stage=\"extract\"}} {extract}\n\
         truce_queue_depth{{stage=\"resolve\"}} {resolve}"
    );
    let sources = store.sources().await?;
    let now = Utc::now();
    let mut up = String::new();
    let mut failures = String::new();
    let mut age = String::new();
    let mut quiet = String::new();
    let mut reports = String::new();
    for s in &sources {
        let labels = format!("source=\"{}\",name=\"{}\"", s.id, escape_label(&s.name));
        let ok = !s.paused && s.state.status != FetchStatus::Failed;
        let _ = writeln!(up, "truce_source_up{{{labels}}} {}", u8::from(ok));
        let _ = writeln!(
            failures,
            "truce_source_failures{{{labels}}} {}",
            s.state.failures
        );
        if let Some(at) = s.state.last_success_at {
            let secs = (now - at).num_milliseconds() as f64 / 1000.0;
            let _ = writeln!(
                age,
                "truce_source_last_success_age_seconds{{{labels}}} {secs}"
            );
        }
        let is_quiet = matches!(s.health(now), SourceHealth::Quiet { .. });
        let _ = writeln!(
            quiet,
            "truce_source_quiet{{{labels}}} {}",
            u8::from(is_quiet)
        );
        let _ = writeln!(
            reports,
            "truce_source_reports_total{{{labels}}} {}",
            s.state.reports
        );
    }
    for (name, kind, help, body) in [
        (
            "truce_source_up",
            "gauge",
            "1 when the source's last fetch succeeded and it is not paused.",
            up,
        ),
        (
            "truce_source_failures",
            "gauge",
            "Fetches of the source that failed in a row.",
            failures,
        ),
        (
            "truce_source_last_success_age_seconds",
            "gauge",
            "Seconds since a fetch of the source last succeeded.",
            age,
        ),
        (
            "truce_source_quiet",
            "gauge",
            "1 when the source has brought no new report for longer than its usual rhythm.",
            quiet,
        ),
        (
            "truce_source_reports_total",
            "counter",
            "New reports the source has brought.",
            reports,
        ),
    ] {
        let _ = write!(out, "# HELP {name} {help}\n# TYPE {name} {kind}\n{body}");
    }
    Ok(())
}

/// A label value as the text format writes it: backslash, double quote and newline escaped.
fn escape_label(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks_hold_their_addresses_and_no_others() {
        let nets = Networks::parse(&["10.0.0.0/8".into(), "192.168.1.7".into(), "fd00::/8".into()])
            .unwrap();
        for inside in ["10.200.3.4", "192.168.1.7", "fd12::1", "::ffff:10.1.1.1"] {
            assert!(nets.contains(inside.parse().unwrap()), "{inside}");
        }
        for outside in ["11.0.0.1", "192.168.1.8", "127.0.0.1", "fe80::1"] {
            assert!(!nets.contains(outside.parse().unwrap()), "{outside}");
        }
        assert!(!Networks::default().contains("127.0.0.1".parse().unwrap()));
        let odd = Networks::parse(&["172.16.0.0/12".into()]).unwrap();
        assert!(odd.contains("172.31.255.255".parse().unwrap()));
        assert!(!odd.contains("172.32.0.0".parse().unwrap()));
        for bad in [
            "",
            "localhost",
            "10.0.0.0/33",
            "::/129",
            "10.0.0.0/x",
            "1.2.3.4/-1",
        ] {
            assert!(Networks::parse(&[bad.to_string()]).is_err(), "{bad}");
        }
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape_label("a \"b\"\\\nc"), "a \\\"b\\\"\\\\\\nc");
    }
}

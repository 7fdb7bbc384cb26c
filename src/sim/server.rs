//! The HTTP side of the simulated ConnectWise: listeners, request recording, and the answers.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use base64::Engine as _;
use serde_json::{Value, json};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::data;
use super::query::{ListQuery, QueryError};
use super::scenario::SimPermission;
use super::scenario::{Fault, FaultScope, MySecurityMode, Scenario, gate_for};
use super::{
    DEMO_ADMIN_PRIVATE_KEY, DEMO_ADMIN_PUBLIC_KEY, DEMO_COMPANY_ID, DEMO_PRIVATE_KEY,
    DEMO_PUBLIC_KEY, DEMO_SECOND_PRIVATE_KEY, DEMO_SECOND_PUBLIC_KEY,
};
use crate::profile::Level;

/// The codebase a current cloud tenant answers.
pub const CLOUD_CODEBASE: &str = "v2025_1/";
/// The codebase self-hosted servers answer.
pub const SELF_HOSTED_CODEBASE: &str = "v4_6_release/";
/// The codebase the `stale_codebase` scenario answers first (before the "upgrade").
pub const STALE_CODEBASE: &str = "v2024_3/";

/// What a missing `clientId` header gets: plain text, like the real service's non-JSON answer.
pub const MISSING_CLIENT_ID_STATUS: StatusCode = StatusCode::BAD_REQUEST;
pub const MISSING_CLIENT_ID_BODY: &str = "ClientId header is required";

/// How long a hanging answer waits before giving up, so no task outlives a forgotten server.
const HANG_LIMIT: Duration = Duration::from_secs(600);
/// Slow-loris pacing: one byte per tick, for at most this many ticks.
const TRICKLE_TICK: Duration = Duration::from_millis(100);
const TRICKLE_MAX_BYTES: usize = 3000;
/// The oversized body: this many chunks of `OVERSIZED_CHUNK` bytes (16 MiB, twice the client cap).
const OVERSIZED_CHUNK: usize = 64 * 1024;
const OVERSIZED_CHUNKS: usize = 256;

/// One request as the simulator received it.
#[derive(Clone)]
pub struct RecordedRequest {
    /// `http://127.0.0.1:PORT` (or `https://`) of the listener that received it.
    pub origin: String,
    /// `HTTP/1.1` or `HTTP/2.0`: h2 is spoken only when a TLS client negotiated it (ALPN).
    pub version: String,
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    /// Every header, names lower-case, values as received (lossy UTF-8).
    pub headers: Vec<(String, String)>,
    pub started: Instant,
    /// When the answer's head was sent; `None` while in flight or when the client gave up.
    pub finished: Option<Instant>,
}

impl RecordedRequest {
    /// The first header called `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Headers that carry credentials: never printed (Debug shows `[redacted]`).
const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
    "x-api-key",
    "x-auth-token",
];

/// Whether a header's value is a credential.
pub fn is_secret_header(name: &str) -> bool {
    SECRET_HEADERS.iter().any(|s| s.eq_ignore_ascii_case(name))
}

// Debug hides credentials: a failing test's assert message must not print them.
impl std::fmt::Debug for RecordedRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| {
                if is_secret_header(k) {
                    (k.as_str(), "[redacted]")
                } else {
                    (k.as_str(), v.as_str())
                }
            })
            .collect();
        f.debug_struct("RecordedRequest")
            .field("origin", &self.origin)
            .field("version", &self.version)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &headers)
            .field("started", &self.started)
            .field("finished", &self.finished)
            .finish()
    }
}

/// How the simulator treats connections and how much it remembers. The defaults suit the demo,
/// `cwsetup sim` and the tests; a test may shorten them.
#[derive(Debug, Clone, Copy)]
pub struct SimOptions {
    /// How many recent requests [`SimServer::requests`] keeps (the oldest go first).
    pub request_log: usize,
    /// How long a connection may take to send a request's head, and how long an open
    /// connection may sit idle before its next request; then it is closed.
    pub header_timeout: Duration,
}

impl Default for SimOptions {
    fn default() -> Self {
        SimOptions {
            request_log: DEFAULT_REQUEST_LOG,
            header_timeout: DEFAULT_HEADER_TIMEOUT,
        }
    }
}

/// Requests remembered by default: enough for any check (a full one makes about 16), bounded so
/// a long-running `cwsetup sim` does not grow.
pub const DEFAULT_REQUEST_LOG: usize = 1000;
/// A client that has not sent a whole request head by then (or has sat idle that long) is
/// dropped: a slow-loris client cannot hold connections open.
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// The most header bytes recorded per request; the rest are counted, not kept.
const RECORDED_HEADER_BYTES: usize = 16 * 1024;
/// hyper's read buffer per connection, which bounds a request head.
const MAX_HEAD_BYTES: usize = 64 * 1024;

/// The recent requests, oldest first, with a running count of every request ever received.
struct RequestLog {
    entries: std::collections::VecDeque<RecordedRequest>,
    capacity: usize,
    /// The sequence number of `entries[0]`.
    first: u64,
}

impl RequestLog {
    fn new(capacity: usize) -> Self {
        RequestLog {
            entries: std::collections::VecDeque::with_capacity(capacity.min(4096)),
            capacity: capacity.max(1),
            first: 0,
        }
    }

    /// Records a request and returns its sequence number.
    fn push(&mut self, request: RecordedRequest) -> u64 {
        if self.entries.len() >= self.capacity {
            self.entries.pop_front();
            self.first += 1;
        }
        self.entries.push_back(request);
        self.first + self.entries.len() as u64 - 1
    }

    fn get_mut(&mut self, sequence: u64) -> Option<&mut RecordedRequest> {
        let index = usize::try_from(sequence.checked_sub(self.first)?).ok()?;
        self.entries.get_mut(index)
    }

    fn total(&self) -> u64 {
        self.first + self.entries.len() as u64
    }
}

/// State shared by both listeners.
struct Shared {
    scenario: Scenario,
    /// `http://127.0.0.1:PORT` of the main listener.
    origin: String,
    /// The other origin API calls are redirected to (`cross_origin_redirect`).
    redirect_origin: Option<String>,
    requests: Mutex<RequestLog>,
    options: SimOptions,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    /// TCP connections accepted, and TLS handshakes completed (TLS listener only).
    connections: AtomicUsize,
    tls_handshakes: AtomicUsize,
    rate_limits_left: AtomicUsize,
    server_errors_left: AtomicUsize,
    /// `stale_codebase`: set once the old codebase has answered 404.
    upgraded: AtomicBool,
    shutdown: watch::Receiver<bool>,
}

impl Shared {
    fn codebase(&self) -> &'static str {
        if self.scenario.stale_codebase && !self.upgraded.load(Ordering::SeqCst) {
            STALE_CODEBASE
        } else if self.scenario.self_hosted {
            SELF_HOSTED_CODEBASE
        } else {
            CLOUD_CODEBASE
        }
    }

    fn api_base(&self) -> String {
        let codebase = if self.scenario.self_hosted {
            SELF_HOSTED_CODEBASE
        } else {
            CLOUD_CODEBASE
        };
        format!("{}/{}apis/3.0/", self.origin, codebase)
    }

    /// Resolves when the server is shutting down.
    async fn shutting_down(&self) {
        let mut rx = self.shutdown.clone();
        // An error means the sender is gone: the server is gone too.
        let _ = rx.wait_for(|down| *down).await;
    }

    /// Take one from a fault counter; true while it lasts.
    fn take(counter: &AtomicUsize) -> bool {
        counter
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok()
    }
}

/// One listener: the shared state plus which origin it is.
#[derive(Clone)]
struct Listener {
    shared: Arc<Shared>,
    origin: String,
    /// The second listener of `cross_origin_redirect`: it never redirects again.
    is_redirect_target: bool,
}

/// Marks a request finished and no longer in flight, also when the client hangs up mid-answer.
struct InFlight {
    shared: Arc<Shared>,
    sequence: Option<u64>,
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.shared.in_flight.fetch_sub(1, Ordering::SeqCst);
        if let Some(sequence) = self.sequence
            && let Ok(mut requests) = self.shared.requests.lock()
            && let Some(r) = requests.get_mut(sequence)
        {
            r.finished = Some(Instant::now());
        }
    }
}

/// A running simulated ConnectWise. Dropping it aborts its tasks.
pub struct SimServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    shutdown: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl SimServer {
    /// Start on 127.0.0.1 with a random free port.
    pub async fn start(scenario: Scenario) -> std::io::Result<SimServer> {
        SimServer::start_on(scenario, 0).await
    }

    /// Start on 127.0.0.1:`port` (0 picks a free one).
    pub async fn start_on(scenario: Scenario, port: u16) -> std::io::Result<SimServer> {
        SimServer::start_with(scenario, port, SimOptions::default()).await
    }

    /// Start on 127.0.0.1:`port` (0 picks a free one) with non-default [`SimOptions`].
    pub async fn start_with(
        scenario: Scenario,
        port: u16,
        options: SimOptions,
    ) -> std::io::Result<SimServer> {
        SimServer::start_inner(scenario, port, options, None).await
    }

    /// Start on 127.0.0.1 with a random free port, serving HTTPS with `tls` (the caller's
    /// certificate). ALPN offers `h2` then `http/1.1` unless `tls` names its own protocols; a
    /// client that negotiates h2 gets HTTP/2, any other HTTP/1.1.
    pub async fn start_tls(
        scenario: Scenario,
        tls: Arc<rustls::ServerConfig>,
    ) -> std::io::Result<SimServer> {
        let mut config = (*tls).clone();
        if config.alpn_protocols.is_empty() {
            config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        }
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        SimServer::start_inner(scenario, 0, SimOptions::default(), Some(acceptor)).await
    }

    async fn start_inner(
        scenario: Scenario,
        port: u16,
        options: SimOptions,
        tls: Option<tokio_rustls::TlsAcceptor>,
    ) -> std::io::Result<SimServer> {
        let scheme = if tls.is_some() { "https" } else { "http" };
        let main = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await?;
        let addr = main.local_addr()?;
        let redirect = if scenario.cross_origin_redirect {
            Some(tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?)
        } else {
            None
        };
        let redirect_origin = match &redirect {
            Some(l) => Some(format!("{scheme}://{}", l.local_addr()?)),
            None => None,
        };
        let (shutdown, shutdown_rx) = watch::channel(false);
        let rate_limits = scenario.rate_limited.map_or(0, |(n, _)| n);
        let server_errors = scenario.server_errors.map_or(0, |(n, _)| n);
        let shared = Arc::new(Shared {
            scenario,
            origin: format!("{scheme}://{addr}"),
            redirect_origin: redirect_origin.clone(),
            requests: Mutex::new(RequestLog::new(options.request_log)),
            options,
            in_flight: AtomicUsize::new(0),
            max_in_flight: AtomicUsize::new(0),
            connections: AtomicUsize::new(0),
            tls_handshakes: AtomicUsize::new(0),
            rate_limits_left: AtomicUsize::new(rate_limits),
            server_errors_left: AtomicUsize::new(server_errors),
            upgraded: AtomicBool::new(false),
            shutdown: shutdown_rx,
        });
        let mut tasks = vec![serve(
            main,
            tls.clone(),
            Listener {
                shared: shared.clone(),
                origin: shared.origin.clone(),
                is_redirect_target: false,
            },
        )];
        if let (Some(listener), Some(origin)) = (redirect, redirect_origin) {
            tasks.push(serve(
                listener,
                tls,
                Listener {
                    shared: shared.clone(),
                    origin,
                    is_redirect_target: true,
                },
            ));
        }
        Ok(SimServer {
            addr,
            shared,
            shutdown,
            tasks,
        })
    }

    /// `http://127.0.0.1:PORT` (`https://` from [`SimServer::start_tls`]): what a technician
    /// types as the site.
    pub fn url(&self) -> String {
        self.shared.origin.clone()
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The other origin of `cross_origin_redirect`, if that knob is on.
    pub fn redirect_origin(&self) -> Option<String> {
        self.shared.redirect_origin.clone()
    }

    /// The API base the sim serves now (`http://127.0.0.1:PORT/v2025_1/apis/3.0/`).
    pub fn api_base(&self) -> String {
        format!("{}/{}apis/3.0/", self.shared.origin, self.shared.codebase())
    }

    /// The recent requests (at most [`SimOptions::request_log`]), both listeners, in arrival
    /// order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        let log = match self.shared.requests.lock() {
            Ok(r) => r,
            Err(poisoned) => poisoned.into_inner(),
        };
        log.entries.iter().cloned().collect()
    }

    /// How many requests arrived since the start, including those no longer kept.
    pub fn request_count(&self) -> u64 {
        match self.shared.requests.lock() {
            Ok(r) => r.total(),
            Err(poisoned) => poisoned.into_inner().total(),
        }
    }

    /// The peak number of requests open at the same time.
    pub fn max_in_flight(&self) -> usize {
        self.shared.max_in_flight.load(Ordering::SeqCst)
    }

    /// TCP connections accepted since the start, both listeners.
    pub fn connections(&self) -> usize {
        self.shared.connections.load(Ordering::SeqCst)
    }

    /// TLS handshakes completed since the start (0 for a plain-HTTP simulator).
    pub fn tls_handshakes(&self) -> usize {
        self.shared.tls_handshakes.load(Ordering::SeqCst)
    }

    /// Stop accepting, release hanging answers, and wait (at most 2 s) for the tasks to end.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        for task in std::mem::take(&mut self.tasks) {
            let abort = task.abort_handle();
            if tokio::time::timeout(Duration::from_secs(2), task)
                .await
                .is_err()
            {
                abort.abort();
            }
        }
    }
}

impl Drop for SimServer {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// Accepts connections until shutdown and serves each with hyper directly (not `axum::serve`),
/// for the header-read / idle timeout. Aborting the returned task aborts every connection.
fn serve(
    listener: tokio::net::TcpListener,
    tls: Option<tokio_rustls::TlsAcceptor>,
    state: Listener,
) -> JoinHandle<()> {
    let shared = state.shared.clone();
    let app = Router::new().fallback(handle).with_state(state);
    tokio::spawn(async move {
        let mut connections = tokio::task::JoinSet::new();
        loop {
            tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok((stream, _)) => {
                        shared.connections.fetch_add(1, Ordering::SeqCst);
                        connections.spawn(accept_connection(
                            stream,
                            tls.clone(),
                            app.clone(),
                            shared.clone(),
                        ));
                    }
                    Err(e) => {
                        // Out of file descriptors, say: wait a moment rather than spin.
                        tracing::warn!("simulated ConnectWise: accept failed: {e}");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                },
                _ = shared.shutting_down() => break,
            }
            while connections.try_join_next().is_some() {}
        }
        // Each connection sees the shutdown too and finishes its answer.
        while connections.join_next().await.is_some() {}
    })
}

/// One connection: plain HTTP/1.1, or TLS first (bounded by `header_timeout`) and then HTTP/2
/// when the client negotiated `h2`, else HTTP/1.1.
async fn accept_connection(
    stream: tokio::net::TcpStream,
    tls: Option<tokio_rustls::TlsAcceptor>,
    app: Router,
    shared: Arc<Shared>,
) {
    let Some(acceptor) = tls else {
        return serve_http1(stream, app, shared).await;
    };
    let handshake = tokio::time::timeout(shared.options.header_timeout, acceptor.accept(stream));
    let stream = tokio::select! {
        accepted = handshake => match accepted {
            Ok(Ok(stream)) => stream,
            // A failed or too slow handshake: the client sees the connection close.
            _ => return,
        },
        _ = shared.shutting_down() => return,
    };
    shared.tls_handshakes.fetch_add(1, Ordering::SeqCst);
    if stream.get_ref().1.alpn_protocol() == Some(b"h2") {
        serve_http2(stream, app, shared).await;
    } else {
        serve_http1(stream, app, shared).await;
    }
}

/// HTTP/1.1: closed when the head of a request takes longer than `header_timeout` to arrive,
/// or when the connection sits idle that long between requests.
async fn serve_http1<S>(stream: S, app: Router, shared: Arc<Shared>)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(shared.options.header_timeout)
        .max_buf_size(MAX_HEAD_BYTES)
        .keep_alive(true);
    let connection = builder.serve_connection(
        hyper_util::rt::TokioIo::new(stream),
        hyper_util::service::TowerToHyperService::new(app),
    );
    let mut connection = std::pin::pin!(connection);
    tokio::select! {
        _ = connection.as_mut() => {}
        _ = shared.shutting_down() => {
            connection.as_mut().graceful_shutdown();
            let _ = tokio::time::timeout(Duration::from_secs(2), connection).await;
        }
    }
}

/// HTTP/2 (after ALPN `h2`): every request of a wave on one connection. A peer that stops
/// answering pings for `header_timeout` is dropped, and a header list is bounded as in HTTP/1.1.
async fn serve_http2<S>(stream: S, app: Router, shared: Arc<Shared>)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let mut builder =
        hyper::server::conn::http2::Builder::new(hyper_util::rt::TokioExecutor::new());
    builder
        .timer(hyper_util::rt::TokioTimer::new())
        .keep_alive_interval(shared.options.header_timeout)
        .keep_alive_timeout(shared.options.header_timeout)
        .max_header_list_size(MAX_HEAD_BYTES as u32);
    let connection = builder.serve_connection(
        hyper_util::rt::TokioIo::new(stream),
        hyper_util::service::TowerToHyperService::new(app),
    );
    let mut connection = std::pin::pin!(connection);
    tokio::select! {
        _ = connection.as_mut() => {}
        _ = shared.shutting_down() => {
            connection.as_mut().graceful_shutdown();
            let _ = tokio::time::timeout(Duration::from_secs(2), connection).await;
        }
    }
}

async fn handle(State(listener): State<Listener>, request: Request) -> Response {
    let shared = listener.shared.clone();
    let headers = recorded_headers(request.headers());
    let sequence = match shared.requests.lock() {
        Ok(mut requests) => Some(requests.push(RecordedRequest {
            origin: listener.origin.clone(),
            version: format!("{:?}", request.version()),
            method: request.method().to_string(),
            path: request.uri().path().to_string(),
            query: request.uri().query().map(str::to_string),
            headers,
            started: Instant::now(),
            finished: None,
        })),
        Err(_) => None,
    };
    let now = shared.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    shared.max_in_flight.fetch_max(now, Ordering::SeqCst);
    let _in_flight = InFlight {
        shared: shared.clone(),
        sequence,
    };

    if !shared.scenario.latency.is_zero() {
        tokio::select! {
            _ = tokio::time::sleep(shared.scenario.latency) => {}
            _ = shared.shutting_down() => return plain(StatusCode::SERVICE_UNAVAILABLE, "shutting down"),
        }
    }
    answer(
        &listener,
        request.method(),
        request.uri(),
        request.headers(),
    )
    .await
}

/// The headers as recorded: names lower-case, values lossy UTF-8, at most
/// `RECORDED_HEADER_BYTES` of them (then one `x-sim-unrecorded` entry counts the rest).
fn recorded_headers(headers: &HeaderMap) -> Vec<(String, String)> {
    let mut recorded = Vec::new();
    let mut bytes = 0;
    let mut skipped = 0;
    for (name, value) in headers {
        let size = name.as_str().len() + value.len();
        if bytes + size > RECORDED_HEADER_BYTES {
            skipped += 1;
            continue;
        }
        bytes += size;
        recorded.push((
            name.as_str().to_string(),
            String::from_utf8_lossy(value.as_bytes()).into_owned(),
        ));
    }
    if skipped > 0 {
        recorded.push((
            "x-sim-unrecorded".to_string(),
            format!(
                "{} past {}",
                crate::units::plural(skipped, "header", "headers"),
                crate::units::human_bytes(RECORDED_HEADER_BYTES as u64)
            ),
        ));
    }
    recorded
}

async fn answer(
    listener: &Listener,
    method: &Method,
    uri: &axum::http::Uri,
    headers: &HeaderMap,
) -> Response {
    let shared = &listener.shared;
    let path = percent_decode(uri.path());
    let api = split_api_path(&path);
    let fault = shared
        .scenario
        .fault
        .filter(|_| api.is_some() || shared.scenario.fault_scope == FaultScope::Everything);
    match fault {
        Some(Fault::Html) => return html_page(),
        Some(Fault::Hang) => {
            tokio::select! {
                _ = tokio::time::sleep(HANG_LIMIT) => {}
                _ = shared.shutting_down() => {}
            }
            return plain(StatusCode::GATEWAY_TIMEOUT, "gave up");
        }
        Some(Fault::SlowBody) => return trickle(shared.clone()),
        _ => {}
    }

    if let Some(company) = path
        .strip_prefix("/login/companyinfo/")
        .filter(|c| !c.is_empty() && !c.contains('/'))
    {
        return company_info(listener, company, fault);
    }
    match api {
        Some((codebase, endpoint)) => {
            api_call(listener, method, uri, headers, codebase, endpoint, fault).await
        }
        None => not_found_page(),
    }
}

/// `/{codebase}apis/3.0/{endpoint}` → (codebase with its slash, endpoint without slashes).
fn split_api_path(path: &str) -> Option<(&str, &str)> {
    let rest = path.strip_prefix('/')?;
    let slash = rest.find('/')?;
    let (codebase, tail) = rest.split_at(slash + 1);
    let endpoint = tail
        .strip_prefix("apis/3.0")
        .or_else(|| tail.strip_prefix("APIS/3.0"))?;
    if !(endpoint.is_empty() || endpoint.starts_with('/')) {
        return None;
    }
    Some((codebase, endpoint.trim_matches('/')))
}

fn company_info(listener: &Listener, company: &str, fault: Option<Fault>) -> Response {
    let shared = &listener.shared;
    let scenario = &shared.scenario;
    if scenario.unknown_company || !company.eq_ignore_ascii_case(DEMO_COMPANY_ID) {
        return json_response(StatusCode::OK, &Value::Null, fault);
    }
    let cloud = !scenario.self_hosted;
    let is_cloud = if scenario.is_cloud_as_string {
        json!(if cloud { "True" } else { "False" })
    } else {
        json!(cloud)
    };
    let mut body = json!({
        "CompanyName": data::DEMO_COMPANY_NAME,
        "Codebase": shared.codebase(),
        "VersionCode": "v2025.1",
        "VersionNumber": "v4.6.10675",
        "CompanyID": DEMO_COMPANY_ID,
        "IsCloud": is_cloud,
    });
    if cloud && let Some(map) = body.as_object_mut() {
        // SiteUrl is the API host; here the sim itself unless the scenario names another.
        let own = shared.origin.split_once("://").map_or("", |(_, host)| host);
        let host = scenario.site_url.as_deref().unwrap_or(own);
        map.insert("SiteUrl".into(), json!(host));
        map.insert(
            "AllowedOrigins".into(),
            json!([
                "*.connectwisedev.com",
                "*.myconnectwise.net",
                "*.connectwise.net",
                host
            ]),
        );
    }
    if fault == Some(Fault::WrongJsonTypes)
        && let Some(map) = body.as_object_mut()
    {
        map.insert("Codebase".into(), json!(42));
        map.insert("IsCloud".into(), json!({"value": cloud}));
    }
    json_response(StatusCode::OK, &body, fault)
}

#[allow(clippy::too_many_arguments)]
async fn api_call(
    listener: &Listener,
    method: &Method,
    uri: &axum::http::Uri,
    headers: &HeaderMap,
    codebase: &str,
    endpoint: &str,
    fault: Option<Fault>,
) -> Response {
    let shared = &listener.shared;
    let scenario = &shared.scenario;
    let current = shared.codebase();
    if !codebase.eq_ignore_ascii_case(current) {
        return endpoint_does_not_exist(fault);
    }
    if scenario.stale_codebase && current == STALE_CODEBASE {
        // The tenant was "upgraded": this codebase is gone, and companyinfo now says so.
        shared.upgraded.store(true, Ordering::SeqCst);
        return endpoint_does_not_exist(fault);
    }
    if scenario.cross_origin_redirect
        && !listener.is_redirect_target
        && let Some(other) = &shared.redirect_origin
    {
        let target = match uri.query() {
            Some(q) => format!("{other}{}?{q}", uri.path()),
            None => format!("{other}{}", uri.path()),
        };
        let mut response = plain(StatusCode::FOUND, "Found");
        if let Ok(value) = HeaderValue::from_str(&target) {
            response.headers_mut().insert(header::LOCATION, value);
        }
        return response;
    }
    if scenario.same_origin_redirect && !uri.path().ends_with('/') {
        let target = match uri.query() {
            Some(q) => format!("{}{}/?{q}", listener.origin, uri.path()),
            None => format!("{}{}/", listener.origin, uri.path()),
        };
        let mut response = plain(StatusCode::FOUND, "Found");
        if let Ok(value) = HeaderValue::from_str(&target) {
            response.headers_mut().insert(header::LOCATION, value);
        }
        return response;
    }
    let client_id = headers
        .get("clientid")
        .map(|v| v.as_bytes().trim_ascii())
        .unwrap_or_default();
    if client_id.is_empty() {
        return plain(MISSING_CLIENT_ID_STATUS, MISSING_CLIENT_ID_BODY);
    }
    let identity = identity(headers);
    if identity.is_none() || (identity == Some(Identity::Vendor) && scenario.inactive_member) {
        return cw_error(
            StatusCode::UNAUTHORIZED,
            "ConnectWiseApi",
            "UserNotAuthenticated",
            fault,
        );
    }
    if Shared::take(&shared.rate_limits_left) {
        let secs = scenario.rate_limited.map_or(1, |(_, s)| s);
        let body = json!({
            "error": "ConnectWiseAPI",
            "message": format!("Too many requests. Please try again in {secs} seconds."),
        });
        let mut response = json_response(StatusCode::TOO_MANY_REQUESTS, &body, None);
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        return response;
    }
    if Shared::take(&shared.server_errors_left) {
        let status = scenario
            .server_errors
            .and_then(|(_, s)| StatusCode::from_u16(s).ok())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        return cw_error(
            status,
            "ConnectWiseApi",
            "A timeout has occured. Please try again.",
            None,
        );
    }
    if method != Method::GET {
        return cw_error(
            StatusCode::METHOD_NOT_ALLOWED,
            "ConnectWiseApi",
            &format!("The simulator is read-only: {method} is not supported."),
            fault,
        );
    }
    if scenario.oversized {
        return oversized();
    }
    let identity = identity.unwrap_or(Identity::Vendor);
    route(shared, identity, endpoint, uri.query(), fault)
}

/// Whose keys signed a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Identity {
    /// The vendor's API member (the demo keys).
    Vendor,
    /// The technician's own keys (the demo admin keys).
    Admin,
    /// A second API member (the second demo keys), with its own rows.
    Second,
}

impl Identity {
    fn permissions(self, scenario: &Scenario) -> &[SimPermission] {
        match self {
            Identity::Vendor => &scenario.permissions,
            Identity::Admin => &scenario.admin.permissions,
            Identity::Second => &scenario.second_permissions,
        }
    }
}

/// `Basic base64("{company}+{public}:{private}")` with the demo values, or the demo admin
/// keys; the company ID is compared case-insensitively, the keys exactly.
fn identity(headers: &HeaderMap) -> Option<Identity> {
    let value = headers.get(header::AUTHORIZATION)?;
    let encoded = value.as_bytes().strip_prefix(b"Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .ok()?;
    let decoded = std::str::from_utf8(&decoded).ok()?;
    let (user, private) = decoded.split_once(':')?;
    let (company, public) = user.split_once('+')?;
    if !company.eq_ignore_ascii_case(DEMO_COMPANY_ID) {
        return None;
    }
    match (public, private) {
        (DEMO_PUBLIC_KEY, DEMO_PRIVATE_KEY) => Some(Identity::Vendor),
        (DEMO_ADMIN_PUBLIC_KEY, DEMO_ADMIN_PRIVATE_KEY) => Some(Identity::Admin),
        (DEMO_SECOND_PUBLIC_KEY, DEMO_SECOND_PRIVATE_KEY) => Some(Identity::Second),
        _ => None,
    }
}

/// A readable collection: the records of one endpoint.
fn collection(shared: &Shared, name: &str) -> Option<Vec<Value>> {
    let base = shared.api_base();
    let scenario = &shared.scenario;
    if let Some(records) = super::admin::collection(scenario, &base, name) {
        return Some(records);
    }
    let records = match name.to_ascii_lowercase().as_str() {
        "company/companies" if scenario.zero_companies => Vec::new(),
        "company/companies" => data::companies(&base),
        "company/contacts" => data::contacts(&base),
        "finance/agreements" => data::agreements(&base)
            .into_iter()
            .filter(|a| {
                let type_name = a
                    .pointer("/type/name")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                !scenario
                    .hidden_agreement_types
                    .iter()
                    .any(|hidden| hidden.eq_ignore_ascii_case(type_name))
            })
            .collect(),
        // Gated by Table Setup, not by the agreement types the role may see: all are listed.
        "finance/agreements/types" => data::agreement_types(&base),
        "finance/invoices" => data::invoices(&base),
        "procurement/products" => data::products(&base),
        "procurement/catalog" => data::catalog(&base),
        "finance/billingcycles" => data::billing_cycles(&base),
        "system/members" => data::members(&base, scenario.inactive_member),
        other => return data::probe_collection(&base, other),
    };
    let mut records = records;
    if scenario.hostile_text && name.to_ascii_lowercase().starts_with("finance/agreements") {
        records.iter_mut().for_each(data::make_hostile);
    }
    Some(records)
}

/// Keys a collection may have even when no seeded record carries them (omitted when null).
const OPTIONAL_KEYS: &[&str] = &["parentAgreement"];

fn route(
    shared: &Shared,
    identity: Identity,
    endpoint: &str,
    query: Option<&str>,
    fault: Option<Fault>,
) -> Response {
    let permissions = identity.permissions(&shared.scenario);
    if endpoint.eq_ignore_ascii_case("system/info") {
        let mut body = data::system_info(!shared.scenario.self_hosted);
        if shared.scenario.hostile_text {
            data::make_hostile(&mut body);
        }
        if fault == Some(Fault::WrongJsonTypes) {
            body["isCloud"] = json!("yes");
            body["licenseBits"] = json!("all");
        }
        return json_response(StatusCode::OK, &body, fault);
    }
    if endpoint.eq_ignore_ascii_case("system/mySecurity") {
        return match shared.scenario.my_security {
            MySecurityMode::Readable => {
                let rows = match identity {
                    Identity::Vendor | Identity::Second => {
                        data::my_security(&shared.api_base(), permissions)
                    }
                    Identity::Admin => super::admin::my_security(&shared.api_base(), permissions),
                };
                list_response(shared, "system/mySecurity", rows, query, fault)
            }
            MySecurityMode::Forbidden => forbidden(fault),
            MySecurityMode::NotFound => endpoint_does_not_exist(fault),
        };
    }
    if let Some((module, function)) = gate_for(endpoint) {
        let allowed = permissions.iter().any(|p| {
            p.module.eq_ignore_ascii_case(module)
                && p.function.eq_ignore_ascii_case(function)
                && p.inquire != Level::None
        });
        if !allowed {
            return forbidden(fault);
        }
    }
    if let Some(records) = collection(shared, endpoint) {
        return list_response(shared, endpoint, records, query, fault);
    }
    if let Some((name, last)) = endpoint.rsplit_once('/')
        && let Some(records) = collection(shared, name)
    {
        if last.eq_ignore_ascii_case("count") {
            return count_response(records, query, fault);
        }
        if let Ok(id) = last.parse::<u64>() {
            return match records
                .into_iter()
                .find(|r| r.get("id") == Some(&json!(id)))
            {
                Some(record) => json_response(StatusCode::OK, &wrong_types(record, fault), fault),
                None => cw_error(
                    StatusCode::NOT_FOUND,
                    "NotFound",
                    &format!("The record with id {id} was not found."),
                    fault,
                ),
            };
        }
    }
    endpoint_does_not_exist(fault)
}

fn count_response(records: Vec<Value>, query: Option<&str>, fault: Option<Fault>) -> Response {
    let parsed = match ListQuery::parse(query) {
        Ok(q) => q,
        Err(e) => return bad_query(e, fault),
    };
    let matching = match parsed.filter(&records, OPTIONAL_KEYS) {
        Ok(m) => m,
        Err(e) => return bad_query(e, fault),
    };
    let body = if fault == Some(Fault::WrongJsonTypes) {
        json!({"count": "many"})
    } else {
        json!({"count": matching.len()})
    };
    json_response(StatusCode::OK, &body, fault)
}

fn list_response(
    shared: &Shared,
    endpoint: &str,
    records: Vec<Value>,
    query: Option<&str>,
    fault: Option<Fault>,
) -> Response {
    let parsed = match ListQuery::parse(query) {
        Ok(q) => q,
        Err(e) => return bad_query(e, fault),
    };
    let matching = match parsed.filter(&records, OPTIONAL_KEYS) {
        Ok(m) => m,
        Err(e) => return bad_query(e, fault),
    };
    let total = matching.len();
    let page: Vec<Value> = matching
        .into_iter()
        .skip((parsed.page - 1).saturating_mul(parsed.page_size))
        .take(parsed.page_size)
        .map(|r| wrong_types(parsed.project(r), fault))
        .collect();
    let mut response = json_response(StatusCode::OK, &Value::Array(page), fault);
    let link_base = format!("{}{}", shared.api_base(), endpoint);
    if let Some(link) = parsed.link_header(&link_base, total)
        && let Ok(value) = HeaderValue::from_str(&link)
    {
        response.headers_mut().insert(header::LINK, value);
    }
    response
}

/// `wrong_json_types`: ids become strings.
fn wrong_types(mut record: Value, fault: Option<Fault>) -> Value {
    if fault == Some(Fault::WrongJsonTypes)
        && let Some(id) = record.get("id").cloned()
    {
        record["id"] = json!(id.to_string());
    }
    record
}

fn bad_query(error: QueryError, fault: Option<Fault>) -> Response {
    let body = json!({
        "code": "InvalidObject",
        "message": error.message,
        "errors": [{
            "code": "InvalidField",
            "message": error.message,
            "resource": error.parameter,
            "field": error.field,
        }],
    });
    json_response(StatusCode::BAD_REQUEST, &body, fault)
}

fn forbidden(fault: Option<Fault>) -> Response {
    cw_error(
        StatusCode::FORBIDDEN,
        "Security",
        "You do not have security permission to perform this action.",
        fault,
    )
}

fn endpoint_does_not_exist(fault: Option<Fault>) -> Response {
    cw_error(
        StatusCode::NOT_FOUND,
        "ConnectWiseApi",
        "The endpoint does not exist.",
        fault,
    )
}

fn cw_error(status: StatusCode, code: &str, message: &str, fault: Option<Fault>) -> Response {
    json_response(status, &json!({"code": code, "message": message}), fault)
}

fn json_response(status: StatusCode, body: &Value, fault: Option<Fault>) -> Response {
    let mut bytes = body.to_string().into_bytes();
    if fault == Some(Fault::MalformedJson) {
        // Cut in the middle (at least one byte, so the body is never valid JSON like `n`).
        let keep = (bytes.len() / 2).max(1);
        bytes.truncate(keep);
        if serde_json::from_slice::<Value>(&bytes).is_ok() {
            bytes.push(b'{');
        }
    }
    let mut response = Response::new(Body::from(bytes));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    let mut response = Response::new(Body::from(text));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

fn html(status: StatusCode, page: &'static str) -> Response {
    let mut response = Response::new(Body::from(page));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

fn html_page() -> Response {
    html(
        StatusCode::OK,
        "<!DOCTYPE html>\n<html><head><title>Welcome</title></head>\n<body><h1>It works!</h1>\
         <p>This is a web server, not ConnectWise Manage.</p></body></html>\n",
    )
}

fn not_found_page() -> Response {
    html(
        StatusCode::NOT_FOUND,
        "<!DOCTYPE html>\n<html><head><title>404 - File or directory not found.</title></head>\n\
         <body><h2>404 - File or directory not found.</h2></body></html>\n",
    )
}

/// Headers now, then one space per tick (JSON allows leading whitespace), then a real body.
fn trickle(shared: Arc<Shared>) -> Response {
    let stream = futures::stream::unfold(0usize, move |sent| {
        let shared = shared.clone();
        async move {
            if sent > TRICKLE_MAX_BYTES {
                return None;
            }
            if sent == TRICKLE_MAX_BYTES {
                return Some((
                    Ok::<Bytes, std::io::Error>(Bytes::from_static(b"{}")),
                    sent + 1,
                ));
            }
            tokio::select! {
                _ = tokio::time::sleep(TRICKLE_TICK) => Some((Ok(Bytes::from_static(b" ")), sent + 1)),
                _ = shared.shutting_down() => None,
            }
        }
    });
    let mut response = Response::new(Body::from_stream(stream));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

/// A 16 MiB chunked JSON array (no Content-Length), to prove the client caps bodies.
fn oversized() -> Response {
    let record = br#"{"id":1,"name":"Oversized record padding padding padding padding padding"},"#;
    let mut chunk = Vec::with_capacity(OVERSIZED_CHUNK);
    while chunk.len() + record.len() <= OVERSIZED_CHUNK {
        chunk.extend_from_slice(record);
    }
    let chunk = Bytes::from(chunk);
    let stream = futures::stream::iter((0..=OVERSIZED_CHUNKS + 1).map(move |i| {
        Ok::<Bytes, std::io::Error>(match i {
            0 => Bytes::from_static(b"["),
            i if i <= OVERSIZED_CHUNKS => chunk.clone(),
            _ => Bytes::from_static(b"{}]"),
        })
    }));
    let mut response = Response::new(Body::from_stream(stream));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

/// Decode `%XX` escapes in a path; invalid escapes stay as typed.
fn percent_decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

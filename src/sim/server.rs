//! The HTTP side of the simulated ConnectWise: listeners, request recording, and the answers.
//!
//! - `serve`: the accept loop, one hyper connection each, and the per-request bookkeeping.
//! - `record`: the requests as received ([`RecordedRequest`]), credentials redacted.
//! - `routes`: companyinfo and the API: credentials, clientId, the scenario's knobs, collections.
//! - `responses`: JSON, plain and HTML answers, and the broken ones the faults ask for.

mod record;
mod responses;
mod routes;
mod serve;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::StatusCode;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::scenario::Scenario;
use record::RequestLog;
pub use record::{RecordedRequest, is_secret_header};
use serve::serve;

/// The codebase a current cloud tenant answers.
pub const CLOUD_CODEBASE: &str = "v2025_1/";
/// The codebase self-hosted servers answer.
pub const SELF_HOSTED_CODEBASE: &str = "v4_6_release/";
/// The codebase the `stale_codebase` scenario answers first (before the "upgrade").
pub const STALE_CODEBASE: &str = "v2024_3/";

/// What a missing `clientId` header gets: plain text, like the real service's non-JSON answer.
pub const MISSING_CLIENT_ID_STATUS: StatusCode = StatusCode::BAD_REQUEST;
pub const MISSING_CLIENT_ID_BODY: &str = "ClientId header is required";

/// How the simulator treats connections and how much it remembers. The defaults suit the demo,
/// `cwsetup sim` and the tests; a test may shorten them.
#[derive(Debug, Clone, Copy)]
pub struct SimOptions {
    /// How many recent requests [`SimServer::requests`] keeps (the oldest go first).
    pub request_log: usize,
    /// How long a connection may take to send a request's head, and how long an open
    /// connection may sit idle before its next request; then it is closed.
    pub header_timeout: Duration,
    /// How many connections may be open at once; more wait until one closes. Each held
    /// connection costs memory, so a flood of them cannot grow the simulator without bound.
    pub max_connections: usize,
}

impl Default for SimOptions {
    fn default() -> Self {
        SimOptions {
            request_log: DEFAULT_REQUEST_LOG,
            header_timeout: DEFAULT_HEADER_TIMEOUT,
            max_connections: DEFAULT_MAX_CONNECTIONS,
        }
    }
}

/// Connections open at once by default: far more than any check opens (a few), few enough
/// that held connections cost a few MiB at most.
pub const DEFAULT_MAX_CONNECTIONS: usize = 256;

/// Requests remembered by default: enough for any check (a full one makes about 16), bounded so
/// a long-running `cwsetup sim` does not grow.
pub const DEFAULT_REQUEST_LOG: usize = 1000;
/// A client that has not sent a whole request head by then (or has sat idle that long) is
/// dropped: a slow-loris client cannot hold connections open.
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(10);

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
    /// The demo member's old key pair is accepted ([`Scenario::old_key_kept`]) until
    /// [`SimServer::delete_old_key`].
    old_key_live: AtomicBool,
    shutdown: watch::Receiver<bool>,
    /// One permit per open connection, over both listeners ([`SimOptions::max_connections`]):
    /// at the cap, the next connection waits in the kernel's backlog until one closes.
    connection_slots: Arc<tokio::sync::Semaphore>,
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
        let old_key_live = scenario.old_key_kept;
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
            old_key_live: AtomicBool::new(old_key_live),
            shutdown: shutdown_rx,
            connection_slots: Arc::new(tokio::sync::Semaphore::new(options.max_connections.max(1))),
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

    /// Deletes the demo member's old key pair, as a technician would on the member's API Keys
    /// tab: from now on it gets 401.
    pub fn delete_old_key(&self) {
        self.shared.old_key_live.store(false, Ordering::SeqCst);
    }

    /// Whether the demo member's old key pair is still accepted.
    pub fn old_key_live(&self) -> bool {
        self.shared.old_key_live.load(Ordering::SeqCst)
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

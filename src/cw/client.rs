//! `CwClient` (one site, no credentials) and `ApiSession` (one company's API with its keys).
//!
//! Every request goes through [`CwClient::get`]: a concurrency permit, per-attempt and end-to-end
//! timeouts, a capped body, and retries for the failures worth retrying.
//!
//! - `send`: one GET with its retries, timeouts and capped body.
//! - `transport`: a failed request (TLS, DNS, refused, proxy, timeout) told apart.
//! - `session`: [`ApiSession`], codebase rediscovery, and a non-success answer judged.
//! - `answers`: redirects, rate limits and server errors turned into errors.
//! - `paging`: `list`, bounded against a hostile server.

mod answers;
mod paging;
mod send;
mod session;
mod transport;

use std::sync::{Arc, OnceLock, RwLock};
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderValue;
use tokio::sync::Semaphore;
use tokio::time::Instant;
use url::Url;

use crate::cw::auth::Credentials;
use crate::cw::company_info::{
    CompanyInfo, api_base, check_site_url, describe_non_json, parse_company_info,
};
use crate::cw::error::{CwError, ErrorBody, clean_text};
use crate::cw::site::Site;

use answers::{rate_limited, redirect_error, same_origin_redirects, server_error, with_host};
pub use session::ApiSession;
use transport::error_chain_text;

pub const USER_AGENT: &str = concat!("cwsetup/", env!("CARGO_PKG_VERSION"));
/// Default cap on the rows of one listing: a member's mySecurity has a few hundred.
const DEFAULT_MAX_LIST_ROWS: usize = 10_000;
/// Default cap on the bytes of all pages of one listing.
const DEFAULT_MAX_LIST_BYTES: usize = 32 * 1024 * 1024;

pub struct ClientOptions {
    /// The integration's ConnectWise clientId (a GUID); sent on every API call.
    pub client_id: String,
    /// Total time for one attempt, body included.
    pub request_timeout: Duration,
    pub connect_timeout: Duration,
    /// End-to-end: no call (retries included) runs past it.
    pub deadline: Option<Instant>,
    /// The end-to-end limit `deadline` stands for, named in timeout messages ("no answer within
    /// 30 s"). `None`: the time left until `deadline` when the client is made.
    pub time_limit: Option<Duration>,
    /// Requests in flight at once, across all sessions of this client.
    pub max_concurrency: usize,
    pub max_body_bytes: usize,
    /// Rows one listing (`list`, `my_security`) may hold, all pages together; more is an error.
    pub max_list_rows: usize,
    /// Bytes all pages of one listing may take together; more is an error.
    pub max_list_bytes: usize,
    /// Extra trusted CA certificates (PEM), for tests and self-hosted private CAs.
    pub extra_root_certs_pem: Vec<Vec<u8>>,
    /// The longest `Retry-After` honoured on a 429; longer waits are reported instead.
    pub retry_after_cap: Duration,
    /// First backoff between retries; doubled each time.
    pub retry_base_delay: Duration,
    /// Replaces system DNS (tests, split-horizon setups).
    pub resolver: Option<Arc<dyn reqwest::dns::Resolve>>,
    /// Told before each retry's wait, so that a progress display can say so.
    pub on_retry: Option<RetryHook>,
    /// Open the cloud region's API host connection while companyinfo is in flight
    /// ([`crate::cw::warmup`]). On by default; benchmarks turn it off to compare.
    pub warm_up: bool,
}

/// Why a request is tried again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryReason {
    /// 429 Too Many Requests.
    RateLimited,
    /// A 5xx status worth another try.
    ServerBusy(u16),
    /// The connection failed or closed in a way worth another try.
    Network,
}

/// A retry about to wait: no URL, no header, nothing secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryNotice {
    /// The endpoint as the caller names it (e.g. `system/info`).
    pub endpoint: String,
    pub reason: RetryReason,
    pub wait: Duration,
    /// 1 for the first retry.
    pub retry: u32,
}

impl std::fmt::Display for RetryNotice {
    /// "rate-limited, retrying in 2 s".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let why = match self.reason {
            RetryReason::RateLimited => "rate-limited".to_string(),
            RetryReason::ServerBusy(status) => format!("server answered {status}"),
            RetryReason::Network => "connection failed".to_string(),
        };
        // Whole seconds, rounded up: "in 0 s" would read as "now".
        let secs = self.wait.as_millis().div_ceil(1000);
        write!(f, "{why}, retrying in {secs} s")
    }
}

/// Called with each [`RetryNotice`]; must not block (it runs on the request's task).
pub type RetryHook = Arc<dyn Fn(&RetryNotice) + Send + Sync>;

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            client_id: String::new(),
            request_timeout: Duration::from_secs(15),
            connect_timeout: Duration::from_secs(10),
            deadline: None,
            time_limit: None,
            max_concurrency: 8,
            max_body_bytes: 8 * 1024 * 1024,
            max_list_rows: DEFAULT_MAX_LIST_ROWS,
            max_list_bytes: DEFAULT_MAX_LIST_BYTES,
            extra_root_certs_pem: Vec::new(),
            retry_after_cap: Duration::from_secs(5),
            retry_base_delay: Duration::from_millis(250),
            resolver: None,
            on_retry: None,
            warm_up: true,
        }
    }
}

impl std::fmt::Debug for ClientOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientOptions")
            .field("client_id", &self.client_id)
            .field("request_timeout", &self.request_timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("deadline", &self.deadline)
            .field("time_limit", &self.time_limit)
            .field("max_concurrency", &self.max_concurrency)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("max_list_rows", &self.max_list_rows)
            .field("max_list_bytes", &self.max_list_bytes)
            .field("extra_root_certs", &self.extra_root_certs_pem.len())
            .field("retry_after_cap", &self.retry_after_cap)
            .field("retry_base_delay", &self.retry_base_delay)
            .field("resolver", &self.resolver.is_some())
            .field("on_retry", &self.on_retry.is_some())
            .field("warm_up", &self.warm_up)
            .finish()
    }
}

/// A client for one ConnectWise site. Cheap to clone; clones share connections and the cap on
/// concurrent requests.
#[derive(Clone)]
pub struct CwClient {
    inner: Arc<ClientInner>,
    /// Per handle, so one connection pool can serve runs with different deadlines.
    deadline: Option<Instant>,
    /// The end-to-end limit `deadline` stands for, in whole seconds, for timeout messages.
    limit_secs: u64,
}

struct ClientInner {
    http: reqwest::Client,
    site: Site,
    client_id: Option<HeaderValue>,
    request_timeout: Duration,
    connect_timeout: Duration,
    max_body_bytes: usize,
    max_list_rows: usize,
    max_list_bytes: usize,
    retry_after_cap: Duration,
    retry_base_delay: Duration,
    on_retry: Option<RetryHook>,
    permits: Semaphore,
    /// The proxy the environment routes this site through, for messages.
    proxy: Option<String>,
    warm_up: bool,
}

impl std::fmt::Debug for CwClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CwClient")
            .field("site", &self.inner.site.origin())
            .finish_non_exhaustive()
    }
}

/// reqwest is built without a default crypto provider; install ring once per process.
fn install_crypto_provider() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        // Err means another part of the process installed one first, which is just as good.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

impl CwClient {
    pub fn new(site: Site, options: ClientOptions) -> Result<CwClient, CwError> {
        install_crypto_provider();
        let client_id = match options.client_id.trim() {
            "" => None,
            id => Some(HeaderValue::from_str(id).map_err(|_| CwError::InvalidClientId)?),
        };
        // A deadline shorter than the connect timeout would turn a connect that never completes
        // (a firewall dropping SYNs) into a plain request timeout, reported as "accepted but did
        // not answer" on the company stage. Keep connecting inside the budget, with room to spare,
        // so it fails as a connect timeout first.
        let connect_timeout = match options.deadline {
            Some(deadline) => options
                .connect_timeout
                .min(deadline.saturating_duration_since(Instant::now()) * 3 / 4),
            None => options.connect_timeout,
        };
        let mut builder = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .connect_timeout(connect_timeout)
            .redirect(same_origin_redirects())
            .https_only(!site.is_loopback())
            .pool_idle_timeout(Duration::from_secs(30));
        if site.is_loopback() {
            // A proxy cannot reach this computer's loopback; tests must never go through one.
            builder = builder.no_proxy();
        }
        if let Some(resolver) = options.resolver.clone() {
            builder = builder.dns_resolver(resolver);
        }
        let mut roots = Vec::new();
        for pem in &options.extra_root_certs_pem {
            let certs =
                reqwest::Certificate::from_pem_bundle(pem).map_err(|e| CwError::ClientSetup {
                    detail: format!("an extra CA certificate is not valid PEM: {e}"),
                })?;
            roots.extend(certs);
        }
        if !roots.is_empty() {
            builder = builder.tls_certs_merge(roots);
        }
        if !site.is_loopback()
            && let Some(problem) = crate::cw::proxy::proxy_env_problem()
        {
            // reqwest would silently connect directly.
            return Err(CwError::ClientSetup { detail: problem });
        }
        let proxy = if site.is_loopback() {
            None
        } else {
            crate::cw::proxy::proxy_for(&site)
        };
        let http = builder.build().map_err(|e| CwError::ClientSetup {
            detail: error_chain_text(&e),
        })?;
        Ok(CwClient {
            inner: Arc::new(ClientInner {
                http,
                site,
                client_id,
                request_timeout: options.request_timeout,
                connect_timeout,
                max_body_bytes: options.max_body_bytes,
                max_list_rows: options.max_list_rows.max(1),
                max_list_bytes: options.max_list_bytes,
                retry_after_cap: options.retry_after_cap,
                retry_base_delay: options.retry_base_delay,
                on_retry: options.on_retry.clone(),
                permits: Semaphore::new(options.max_concurrency.max(1)),
                proxy,
                warm_up: options.warm_up,
            }),
            deadline: options.deadline,
            limit_secs: limit_secs(options.deadline, options.time_limit),
        })
    }

    /// The same client (connections, concurrency cap) with another end-to-end deadline, e.g.
    /// for a new check run in a long-lived wizard.
    pub fn with_deadline(&self, deadline: Option<Instant>) -> CwClient {
        CwClient {
            inner: self.inner.clone(),
            deadline,
            limit_secs: limit_secs(deadline, None),
        }
    }

    pub fn site(&self) -> &Site {
        &self.inner.site
    }

    /// `GET {site}/login/companyinfo/{companyId}`, without credentials or clientId.
    pub async fn company_info(&self, company_id: &str) -> Result<CompanyInfo, CwError> {
        let company_id = company_id.trim();
        let host = self.inner.site.origin();
        if company_id.is_empty() {
            return Err(CwError::MissingCompanyId);
        }
        if let Some(problem) = crate::cw::auth::company_id_problem(company_id) {
            return Err(CwError::InvalidCompanyId { problem });
        }
        let mut url = self.inner.site.origin_url();
        url.path_segments_mut()
            .expect("an http(s) URL has path segments")
            .extend(["login", "companyinfo", company_id]);
        let endpoint = "login/companyinfo";
        if self.inner.warm_up {
            let limit = self.inner.connect_timeout + self.inner.request_timeout;
            crate::cw::warmup::start(&self.inner.http, &self.inner.site, company_id, limit);
        }
        let answer = self.get(url, None, endpoint).await?;
        if answer.status.is_redirection() {
            return Err(redirect_error(&answer));
        }
        if answer.status == StatusCode::TOO_MANY_REQUESTS {
            return Err(rate_limited(&host, &answer));
        }
        if answer.status.is_server_error() {
            return Err(server_error(&host, endpoint, &answer));
        }
        if !answer.status.is_success() {
            let detail = match ErrorBody::parse(&answer.body) {
                Some(_) => format!("login/companyinfo answered HTTP {}", answer.status.as_u16()),
                None => format!(
                    "login/companyinfo answered HTTP {}; {}",
                    answer.status.as_u16(),
                    describe_non_json(&answer.body)
                ),
            };
            return Err(CwError::NotConnectWise { host, detail });
        }
        match parse_company_info(&answer.body) {
            Ok(Some(info)) => {
                // Before any key is sent: the API host it names must belong to this site.
                check_site_url(&self.inner.site, &info)?;
                Ok(info)
            }
            Ok(None) => Err(CwError::CompanyNotFound {
                host,
                company_id: clean_text(company_id),
            }),
            Err(e) => Err(with_host(e, &host)),
        }
    }

    /// An authenticated view of the company's API. `info` comes from [`CwClient::company_info`].
    pub fn session(&self, info: &CompanyInfo, credentials: Arc<Credentials>) -> ApiSession {
        ApiSession {
            client: self.clone(),
            credentials,
            base: Arc::new(RwLock::new(api_base(&self.inner.site, info))),
            info: Arc::new(RwLock::new(info.clone())),
            rediscovery: Arc::new(tokio::sync::Mutex::new(None)),
        }
    }

    pub fn deadline(&self) -> Option<Instant> {
        self.deadline
    }
}

/// The whole seconds of the end-to-end limit: `time_limit`, else the time left to `deadline`.
fn limit_secs(deadline: Option<Instant>, time_limit: Option<Duration>) -> u64 {
    let limit =
        time_limit.or_else(|| deadline.map(|d| d.saturating_duration_since(Instant::now())));
    limit.map_or(0, |l| l.as_secs_f64().ceil() as u64).max(1)
}

/// `scheme://host[:port]`, for messages.
fn url_origin(url: &Url) -> String {
    url.origin().ascii_serialization()
}

/// A URL for messages: no query (it may carry long conditions) and no user info.
fn display_url(url: &Url) -> String {
    format!("{}{}", url_origin(url), url.path())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_url_drops_the_query() {
        let url =
            Url::parse("https://h.example/v1/apis/3.0/company/companies?conditions=name%3D%22x%22")
                .expect("valid");
        assert_eq!(
            display_url(&url),
            "https://h.example/v1/apis/3.0/company/companies"
        );
    }

    #[test]
    fn user_agent_names_cwsetup_and_its_version() {
        assert_eq!(USER_AGENT, format!("cwsetup/{}", env!("CARGO_PKG_VERSION")));
    }
}

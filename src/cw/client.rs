//! `CwClient` (one site, no credentials) and `ApiSession` (one company's API with its keys).
//!
//! Every request goes through [`CwClient::get`]: a concurrency permit, per-attempt and end-to-end
//! timeouts, a capped body, and retries for the failures worth retrying.

use std::collections::HashSet;
use std::error::Error as StdError;
use std::sync::{Arc, OnceLock, RwLock};
use std::time::Duration;

use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderMap, HeaderValue, LOCATION, RETRY_AFTER};
use reqwest::{StatusCode, redirect};
use serde::de::DeserializeOwned;
use tokio::sync::Semaphore;
use tokio::time::Instant;
use url::Url;

use crate::cw::auth::{Credentials, authorization_header};
use crate::cw::company_info::{
    CompanyInfo, api_base, check_site_url, describe_non_json, parse_company_info,
};
use crate::cw::error::{CwError, ErrorBody, clean_text};
use crate::cw::models::{Count, ListQuery, SecurityRow, SystemInfo};
use crate::cw::site::Site;

pub const USER_AGENT: &str = concat!("cwsetup/", env!("CARGO_PKG_VERSION"));

/// Attempts after the first one, for GETs that failed in a retryable way.
const MAX_RETRIES: u32 = 3;
/// Same-origin redirects followed before giving up.
const MAX_REDIRECTS: usize = 5;
/// Bounds `list` even against a server that always returns full pages.
const MAX_PAGES: u32 = 10_000;
/// Default cap on the rows of one listing: a member's mySecurity has a few hundred.
pub const DEFAULT_MAX_LIST_ROWS: usize = 10_000;
/// Default cap on the bytes of all pages of one listing.
pub const DEFAULT_MAX_LIST_BYTES: usize = 32 * 1024 * 1024;

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

/// A raw answer, before it is judged.
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
    url: Url,
}

/// Why one attempt failed, and whether another attempt may help.
struct AttemptError {
    error: CwError,
    retryable: bool,
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

    /// One GET with retries, bounded by the deadline as a whole.
    async fn get(
        &self,
        url: Url,
        credentials: Option<&Credentials>,
        endpoint: &str,
    ) -> Result<Answer, CwError> {
        let host = url_origin(&url);
        match self.deadline() {
            Some(deadline) => {
                match tokio::time::timeout_at(
                    deadline,
                    self.get_with_retries(&url, credentials, endpoint),
                )
                .await
                {
                    Ok(result) => result,
                    Err(_) => Err(self.deadline_passed(host)),
                }
            }
            None => self.get_with_retries(&url, credentials, endpoint).await,
        }
    }

    async fn get_with_retries(
        &self,
        url: &Url,
        credentials: Option<&Credentials>,
        endpoint: &str,
    ) -> Result<Answer, CwError> {
        let host = url_origin(url);
        let mut attempt: u32 = 0;
        loop {
            let result = self.attempt(url, credentials).await;
            let wait = match &result {
                Ok(answer) if answer.status == StatusCode::TOO_MANY_REQUESTS => {
                    match retry_after(&answer.headers) {
                        Some(wait) if wait > self.inner.retry_after_cap => None,
                        Some(wait) => Some(wait),
                        None => Some(self.backoff(attempt)),
                    }
                    .map(|wait| (wait, RetryReason::RateLimited))
                }
                Ok(answer) if is_retryable_status(answer.status) => Some((
                    self.backoff(attempt),
                    RetryReason::ServerBusy(answer.status.as_u16()),
                )),
                Ok(_) => None,
                Err(e) if e.retryable => Some((self.backoff(attempt), RetryReason::Network)),
                Err(_) => None,
            };
            let fits_deadline = |wait: Duration| match self.deadline() {
                Some(deadline) => Instant::now() + wait < deadline,
                None => true,
            };
            match wait {
                Some((wait, reason)) if attempt < MAX_RETRIES && fits_deadline(wait) => {
                    tracing::debug!(%host, endpoint, attempt, wait_ms = wait.as_millis() as u64, "retrying");
                    if let Some(hook) = &self.inner.on_retry {
                        hook(&RetryNotice {
                            endpoint: endpoint.to_string(),
                            reason,
                            wait,
                            retry: attempt + 1,
                        });
                    }
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
                _ => return result.map_err(|e| e.error),
            }
        }
    }

    /// The end-to-end limit is used up: named with the limit the user set, not the time left.
    fn deadline_passed(&self, host: String) -> CwError {
        CwError::Timeout {
            host,
            seconds: self.limit_secs,
            connecting: false,
        }
    }

    fn backoff(&self, attempt: u32) -> Duration {
        self.inner.retry_base_delay * 2u32.saturating_pow(attempt)
    }

    /// One request: permit, headers, send, capped body.
    async fn attempt(
        &self,
        url: &Url,
        credentials: Option<&Credentials>,
    ) -> Result<Answer, AttemptError> {
        let host = url_origin(url);
        // Waiting for a permit uses up the deadline too, so the timeout is computed after it.
        let _permit = self
            .inner
            .permits
            .acquire()
            .await
            .expect("the semaphore is never closed");
        let left = self
            .deadline()
            .map(|deadline| deadline.saturating_duration_since(Instant::now()));
        let timeout = match left {
            Some(left) => self.inner.request_timeout.min(left),
            None => self.inner.request_timeout,
        };
        // The figure a timeout names: the end-to-end limit when that is what ran out, else the
        // per-request (or connect) timeout.
        let figures = Figures {
            request: match left {
                Some(left) if left <= self.inner.request_timeout => self.limit_secs,
                _ => self.inner.request_timeout.as_secs_f64().ceil() as u64,
            },
            connect: self.inner.connect_timeout.as_secs_f64().ceil() as u64,
        };
        let timed_out = |connecting| AttemptError {
            error: CwError::Timeout {
                host: host.clone(),
                seconds: figures.request,
                connecting,
            },
            retryable: false,
        };
        if timeout.is_zero() {
            return Err(timed_out(false));
        }
        let started = Instant::now();
        let mut request = self
            .inner
            .http
            .get(url.clone())
            .timeout(timeout)
            .header(ACCEPT, HeaderValue::from_static("application/json"));
        if let Some(credentials) = credentials {
            request = request.header(AUTHORIZATION, authorization_header(credentials));
            if let Some(client_id) = &self.inner.client_id {
                request = request.header("clientId", client_id.clone());
            }
        }
        let read = async {
            let mut response = request
                .send()
                .await
                .map_err(|e| classify(&e, &host, figures, self.inner.proxy.as_deref()))?;
            let status = response.status();
            let headers = response.headers().clone();
            let final_url = response.url().clone();
            let limit = self.inner.max_body_bytes;
            let too_large = || AttemptError {
                error: CwError::BodyTooLarge {
                    url: display_url(&final_url),
                    limit,
                },
                retryable: false,
            };
            if response.content_length().is_some_and(|n| n > limit as u64) {
                return Err(too_large());
            }
            let mut body = Vec::new();
            while let Some(chunk) = response
                .chunk()
                .await
                .map_err(|e| classify(&e, &host, figures, self.inner.proxy.as_deref()))?
            {
                if body.len() + chunk.len() > limit {
                    return Err(too_large());
                }
                body.extend_from_slice(&chunk);
            }
            Ok(Answer {
                status,
                headers,
                body,
                url: final_url,
            })
        };
        // reqwest's timeout covers the body too; this outer bound is a backstop for the stream.
        let result = match tokio::time::timeout(timeout + Duration::from_millis(100), read).await {
            Ok(result) => result,
            Err(_) => Err(timed_out(false)),
        };
        match &result {
            Ok(answer) => tracing::debug!(
                url = %display_url(url),
                status = answer.status.as_u16(),
                bytes = answer.body.len(),
                ms = started.elapsed().as_millis() as u64,
                "GET"
            ),
            Err(e) => tracing::debug!(url = %display_url(url), error = %e.error, "GET failed"),
        }
        result
    }
}

/// A company's API, authenticated. Cheap to clone; clones share the client's concurrency cap and
/// the (possibly refreshed) API base.
#[derive(Clone)]
pub struct ApiSession {
    client: CwClient,
    credentials: Arc<Credentials>,
    base: Arc<RwLock<Url>>,
    /// The companyinfo answer `base` was derived from (refreshed with it).
    info: Arc<RwLock<CompanyInfo>>,
    /// Single-flight codebase rediscovery: held while companyinfo is asked again; remembers the
    /// last API base found still current, and when.
    rediscovery: Arc<tokio::sync::Mutex<Option<(Url, Instant)>>>,
}

/// A 404 on an API base that companyinfo confirmed this recently is a real 404: no new lookup.
const REDISCOVERY_MEMORY: Duration = Duration::from_secs(60);

impl std::fmt::Debug for ApiSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiSession")
            .field("api_base", &self.api_base().as_str())
            .field("company_id", &self.credentials.company_id)
            .finish_non_exhaustive()
    }
}

impl ApiSession {
    /// `{scheme}://{apiHost}/{Codebase}apis/3.0/`, as last discovered.
    pub fn api_base(&self) -> Url {
        match self.base.read() {
            Ok(base) => base.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// The same session (keys, API base, concurrency cap) with another end-to-end deadline.
    pub fn with_deadline(&self, deadline: Option<Instant>) -> ApiSession {
        ApiSession {
            client: self.client.with_deadline(deadline),
            credentials: self.credentials.clone(),
            base: self.base.clone(),
            info: self.info.clone(),
            rediscovery: self.rediscovery.clone(),
        }
    }

    pub fn company_id(&self) -> &str {
        &self.credentials.company_id
    }

    /// The companyinfo answer the API base comes from, as last discovered (it changes when a
    /// 404 led to a new codebase).
    pub fn company_info(&self) -> CompanyInfo {
        match self.info.read() {
            Ok(info) => info.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    pub async fn system_info(&self) -> Result<SystemInfo, CwError> {
        let body = self.get_json("system/info", &[]).await?;
        self.decode("system/info", &body)
    }

    /// `GET {endpoint}/count`, e.g. `count("company/companies")`.
    pub async fn count(&self, endpoint: &str) -> Result<u64, CwError> {
        let endpoint = format!("{}/count", endpoint.trim_matches('/'));
        let body = self.get_json(&endpoint, &[]).await?;
        let count: Count = self.decode(&endpoint, &body)?;
        Ok(count.count)
    }

    /// `GET {endpoint}?pageSize=1`: proves read access without reading much.
    pub async fn probe(&self, endpoint: &str) -> Result<(), CwError> {
        let endpoint = endpoint.trim_matches('/');
        let body = self
            .get_json(endpoint, &[("pageSize", "1".to_string())])
            .await?;
        match serde_json::from_slice::<serde_json::Value>(&body) {
            Ok(serde_json::Value::Array(_) | serde_json::Value::Object(_)) => Ok(()),
            Ok(_) => Err(self.unexpected(endpoint, "expected a JSON list or object".to_string())),
            Err(_) => Err(CwError::NotConnectWise {
                host: url_origin(&self.api_base()),
                detail: describe_non_json(&body),
            }),
        }
    }

    /// Every item of a list endpoint, page by page (`page`/`pageSize`), until a short page, a
    /// `Link` header without `next`, or `max_items`.
    ///
    /// Bounded against a hostile server: at most `max_list_rows` rows and `max_list_bytes` bytes
    /// in all, no page with more items than asked for, no page or `next` link seen twice, and all
    /// pages inside the end-to-end deadline. Past a bound it fails; it never returns a partial
    /// list as if it were whole (only `max_items`, the caller's own cap, truncates).
    pub async fn list<T: DeserializeOwned>(
        &self,
        endpoint: &str,
        query: &ListQuery,
    ) -> Result<Vec<T>, CwError> {
        let endpoint = endpoint.trim_matches('/');
        let page_size = query.effective_page_size();
        let max_rows = self.client.inner.max_list_rows;
        let max_bytes = self.client.inner.max_list_bytes;
        let too_large = |limit: String| CwError::ListTooLarge {
            endpoint: endpoint.to_string(),
            limit,
        };
        let mut items: Vec<T> = Vec::new();
        let mut bytes: usize = 0;
        let mut seen_urls: HashSet<String> = HashSet::new();
        let mut seen_pages: HashSet<u64> = HashSet::new();
        for page in 1..=MAX_PAGES {
            if let Some(deadline) = self.client.deadline()
                && Instant::now() >= deadline
            {
                return Err(self.client.deadline_passed(url_origin(&self.api_base())));
            }
            let mut params = vec![
                ("page", page.to_string()),
                ("pageSize", page_size.to_string()),
            ];
            if let Some(conditions) = &query.conditions {
                params.push(("conditions", conditions.clone()));
            }
            if let Some(fields) = &query.fields {
                params.push(("fields", fields.clone()));
            }
            let answer = self.get_api(endpoint, &params).await?;
            bytes = bytes.saturating_add(answer.body.len());
            if bytes > max_bytes {
                return Err(too_large(format_bytes(max_bytes)));
            }
            let page_items: Vec<T> = self.decode_page(endpoint, &answer.body, page_size)?;
            let received = page_items.len();
            // A server that ignores `page` sends the same full page forever.
            if received > 0 && !seen_pages.insert(fingerprint(&answer.body)) {
                return Err(CwError::PagingLoop {
                    endpoint: endpoint.to_string(),
                    page,
                });
            }
            items.extend(page_items);
            if let Some(max) = query.max_items
                && items.len() >= max
            {
                items.truncate(max);
                break;
            }
            if items.len() > max_rows {
                return Err(too_large(format!("{max_rows} rows")));
            }
            let link = link_header(&answer.headers);
            let link_says_last = link.as_deref().is_some_and(|link| !has_next(link));
            if received < page_size as usize || link_says_last {
                return Ok(items);
            }
            // A `next` link back to this page, or to one already read, is a loop.
            seen_urls.insert(answer.url.to_string());
            if let Some(next) = link.as_deref().and_then(|l| next_target(l, &answer.url))
                && !seen_urls.insert(next.to_string())
            {
                return Err(CwError::PagingLoop {
                    endpoint: endpoint.to_string(),
                    page,
                });
            }
        }
        match query.max_items {
            Some(max) if items.len() >= max => Ok(items),
            _ => Err(too_large(format!("{MAX_PAGES} pages"))),
        }
    }

    /// One page of a listing, refused as soon as it holds more than `page_size` items (so an
    /// 8 MiB page of `{}` is not decoded into millions of rows first).
    fn decode_page<T: DeserializeOwned>(
        &self,
        endpoint: &str,
        body: &[u8],
        page_size: u32,
    ) -> Result<Vec<T>, CwError> {
        let overfull = std::cell::Cell::new(false);
        let seed = BoundedSeq::<T> {
            max: page_size as usize,
            overfull: &overfull,
            marker: std::marker::PhantomData,
        };
        let mut deserializer = serde_json::Deserializer::from_slice(body);
        let result = serde::de::DeserializeSeed::deserialize(seed, &mut deserializer)
            .and_then(|items| deserializer.end().map(|()| items));
        match result {
            Ok(items) => Ok(items),
            Err(_) if overfull.get() => Err(CwError::PageTooLarge {
                endpoint: endpoint.to_string(),
                page_size,
            }),
            // Decoded again only to tell a wrong shape from something that is not JSON.
            Err(_) => self.decode(endpoint, body),
        }
    }

    /// `GET system/mySecurity`: the calling member's permission rows (all pages).
    pub async fn my_security(&self) -> Result<Vec<SecurityRow>, CwError> {
        self.list("system/mySecurity", &ListQuery::default()).await
    }

    async fn get_json(
        &self,
        endpoint: &str,
        params: &[(&str, String)],
    ) -> Result<Vec<u8>, CwError> {
        Ok(self.get_api(endpoint, params).await?.body)
    }

    /// A GET on the API; a 404 triggers one codebase rediscovery and retry.
    async fn get_api(&self, endpoint: &str, params: &[(&str, String)]) -> Result<Answer, CwError> {
        let base = self.api_base();
        let answer = self.get_api_once(&base, endpoint, params).await?;
        if answer.status == StatusCode::NOT_FOUND && self.refresh_codebase(&base).await {
            let fresh = self.api_base();
            let answer = self.get_api_once(&fresh, endpoint, params).await?;
            return self.judge(answer, &url_origin(&fresh), endpoint);
        }
        self.judge(answer, &url_origin(&base), endpoint)
    }

    /// Looks the codebase up again; true when the API base changed (so a retry may work).
    ///
    /// Single-flight: concurrent 404s wait for one lookup and share its result, and a base that
    /// companyinfo confirmed moments ago is not asked about again.
    async fn refresh_codebase(&self, stale: &Url) -> bool {
        let mut last = self.rediscovery.lock().await;
        if self.api_base() != *stale {
            // Another call moved the base on while this one waited.
            return true;
        }
        if let Some((confirmed, at)) = &*last
            && confirmed == stale
            && at.elapsed() < REDISCOVERY_MEMORY
        {
            return false;
        }
        let info = match self.client.company_info(&self.credentials.company_id).await {
            Ok(info) => info,
            Err(e) => {
                tracing::debug!(error = %e, "codebase rediscovery failed");
                *last = Some((stale.clone(), Instant::now()));
                return false;
            }
        };
        let fresh = api_base(self.client.site(), &info);
        if fresh == *stale {
            *last = Some((stale.clone(), Instant::now()));
            return false;
        }
        tracing::info!(from = %stale, to = %fresh, "codebase changed; retrying on the new API base");
        match self.base.write() {
            Ok(mut base) => *base = fresh,
            Err(poisoned) => *poisoned.into_inner() = fresh,
        }
        match self.info.write() {
            Ok(mut current) => *current = info,
            Err(poisoned) => *poisoned.into_inner() = info,
        }
        *last = None;
        true
    }

    async fn get_api_once(
        &self,
        base: &Url,
        endpoint: &str,
        params: &[(&str, String)],
    ) -> Result<Answer, CwError> {
        // The keys go with this URL: it must stay under the API base ("//other.host/x" or
        // "../x" would leave it).
        let plain_path = !endpoint.is_empty()
            && endpoint
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'_' | b'-' | b'.'))
            && !endpoint
                .split('/')
                .any(|segment| segment == ".." || segment == ".");
        let mut url = Some(endpoint)
            .filter(|_| plain_path)
            .and_then(|endpoint| base.join(endpoint).ok())
            .filter(|url| url.as_str().starts_with(base.as_str()) && url.as_str() != base.as_str())
            .ok_or_else(|| CwError::InvalidEndpoint {
                endpoint: clean_text(endpoint),
            })?;
        if !params.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(params.iter().map(|(k, v)| (*k, v.as_str())));
        }
        self.client
            .get(url, Some(&self.credentials), endpoint)
            .await
    }

    /// Turns a non-success answer into the matching error.
    fn judge(&self, answer: Answer, host: &str, endpoint: &str) -> Result<Answer, CwError> {
        let status = answer.status;
        if status.is_success() {
            return Ok(answer);
        }
        if status.is_redirection() {
            return Err(redirect_error(&answer));
        }
        let body = ErrorBody::parse(&answer.body);
        let mentions_client_id = match &body {
            Some(b) => b
                .summary()
                .is_some_and(|m| m.to_ascii_lowercase().contains("clientid")),
            None => String::from_utf8_lossy(&answer.body[..answer.body.len().min(4096)])
                .to_ascii_lowercase()
                .contains("clientid"),
        };
        if mentions_client_id
            && !matches!(status, StatusCode::TOO_MANY_REQUESTS)
            && !status.is_server_error()
        {
            return Err(CwError::MissingClientId {
                host: host.to_string(),
            });
        }
        let ssl_required = body
            .as_ref()
            .and_then(|b| b.message.as_deref())
            .is_some_and(|m| {
                m.trim_end_matches('.')
                    .eq_ignore_ascii_case("ssl is required")
            });
        if ssl_required {
            return Err(CwError::SslRequired {
                host: host.to_string(),
                endpoint: endpoint.to_string(),
            });
        }
        let code = body.as_ref().and_then(|b| b.code.clone());
        let message = body.as_ref().and_then(ErrorBody::summary);
        Err(match status {
            StatusCode::BAD_REQUEST => CwError::BadRequest {
                endpoint: endpoint.to_string(),
                code,
                message,
            },
            StatusCode::UNAUTHORIZED => CwError::Unauthorized {
                host: host.to_string(),
                company_id: clean_text(&self.credentials.company_id),
                message,
            },
            StatusCode::FORBIDDEN => CwError::Forbidden {
                endpoint: endpoint.to_string(),
                code,
                message,
            },
            StatusCode::NOT_FOUND if body.is_none() && !answer.body.is_empty() => {
                CwError::NotConnectWise {
                    host: host.to_string(),
                    detail: format!(
                        "{endpoint} answered 404; {}",
                        describe_non_json(&answer.body)
                    ),
                }
            }
            StatusCode::NOT_FOUND => CwError::NotFound {
                endpoint: endpoint.to_string(),
                message,
            },
            StatusCode::TOO_MANY_REQUESTS => rate_limited(host, &answer),
            s if s.is_server_error() => server_error(host, endpoint, &answer),
            s => CwError::UnexpectedStatus {
                host: host.to_string(),
                endpoint: endpoint.to_string(),
                status: s.as_u16(),
            },
        })
    }

    fn decode<T: DeserializeOwned>(&self, endpoint: &str, body: &[u8]) -> Result<T, CwError> {
        match serde_json::from_slice::<T>(body) {
            Ok(value) => Ok(value),
            // Valid JSON of the wrong shape is a version mismatch; anything else is not CW at all.
            Err(e)
                if e.is_data() || serde_json::from_slice::<serde::de::IgnoredAny>(body).is_ok() =>
            {
                Err(self.unexpected(endpoint, clean_text(&e.to_string())))
            }
            Err(_) => Err(CwError::NotConnectWise {
                host: url_origin(&self.api_base()),
                detail: describe_non_json(body),
            }),
        }
    }

    fn unexpected(&self, endpoint: &str, detail: String) -> CwError {
        CwError::UnexpectedResponse {
            host: url_origin(&self.api_base()),
            endpoint: endpoint.to_string(),
            detail,
        }
    }
}

fn same_origin_redirects() -> redirect::Policy {
    redirect::Policy::custom(|attempt| {
        let same_origin = attempt
            .previous()
            .last()
            .is_some_and(|previous| previous.origin() == attempt.url().origin());
        // Stopping hands the 3xx back to `redirect_error`, which names the refused target.
        if same_origin && attempt.previous().len() <= MAX_REDIRECTS {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

fn redirect_error(answer: &Answer) -> CwError {
    let target = answer
        .headers
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|location| answer.url.join(location).ok());
    match target {
        Some(to) if to.origin() != answer.url.origin() => CwError::CrossOriginRedirect {
            from: url_origin(&answer.url),
            to: url_origin(&to),
        },
        _ => CwError::TooManyRedirects {
            url: display_url(&answer.url),
        },
    }
}

fn rate_limited(host: &str, answer: &Answer) -> CwError {
    CwError::RateLimited {
        host: host.to_string(),
        retry_after: retry_after(&answer.headers),
    }
}

fn server_error(host: &str, endpoint: &str, answer: &Answer) -> CwError {
    let body = ErrorBody::parse(&answer.body);
    CwError::Server {
        host: host.to_string(),
        endpoint: endpoint.to_string(),
        status: answer.status.as_u16(),
        code: body.as_ref().and_then(|b| b.code.clone()),
        message: body.as_ref().and_then(|b| b.message.clone()),
    }
}

fn with_host(error: CwError, host: &str) -> CwError {
    match error {
        CwError::NotConnectWise { detail, .. } => CwError::NotConnectWise {
            host: host.to_string(),
            detail,
        },
        CwError::UnexpectedResponse {
            endpoint, detail, ..
        } => CwError::UnexpectedResponse {
            host: host.to_string(),
            endpoint,
            detail,
        },
        other => other,
    }
}

fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 500 | 502 | 503 | 504)
}

/// `Retry-After` in seconds (the HTTP-date form is not used by ConnectWise).
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    text.parse::<u64>().ok().map(Duration::from_secs)
}

/// A JSON array of at most `max` items of `T`; one more fails the decode and sets `overfull`.
struct BoundedSeq<'a, T> {
    max: usize,
    overfull: &'a std::cell::Cell<bool>,
    marker: std::marker::PhantomData<T>,
}

impl<'de, T: DeserializeOwned> serde::de::DeserializeSeed<'de> for BoundedSeq<'_, T> {
    type Value = Vec<T>;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Vec<T>, D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de, T: DeserializeOwned> serde::de::Visitor<'de> for BoundedSeq<'_, T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a list of at most {} items", self.max)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(self.max));
        while let Some(item) = seq.next_element::<T>()? {
            if items.len() == self.max {
                self.overfull.set(true);
                return Err(serde::de::Error::custom("more items than the page size"));
            }
            items.push(item);
        }
        Ok(items)
    }
}

/// A cheap fingerprint of a page, to notice the same page sent again.
fn fingerprint(body: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    body.hash(&mut hasher);
    hasher.finish()
}

/// `32 MiB`, for messages.
fn format_bytes(bytes: usize) -> String {
    crate::units::human_bytes(bytes as u64)
}

/// The URL of the `rel="next"` entry of a `Link` header, resolved against `base`.
fn next_target(link: &str, base: &Url) -> Option<Url> {
    link.split(',').find_map(|entry| {
        let mut parts = entry.split(';');
        let target = parts.next()?.trim().strip_prefix('<')?.strip_suffix('>')?;
        has_next(entry).then(|| base.join(target).ok()).flatten()
    })
}

fn link_header(headers: &HeaderMap) -> Option<String> {
    let values: Vec<&str> = headers
        .get_all(reqwest::header::LINK)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    (!values.is_empty()).then(|| values.join(","))
}

/// True when a `Link` header has a `rel="next"` (or unquoted `rel=next`) entry.
pub fn has_next(link: &str) -> bool {
    link.split(',').any(|entry| {
        entry.split(';').skip(1).any(|param| {
            let Some((key, value)) = param.split_once('=') else {
                return false;
            };
            key.trim().eq_ignore_ascii_case("rel")
                && value
                    .trim()
                    .trim_matches('"')
                    .split_ascii_whitespace()
                    .any(|rel| rel.eq_ignore_ascii_case("next"))
        })
    })
}

/// `scheme://host[:port]`, for messages.
fn url_origin(url: &Url) -> String {
    url.origin().ascii_serialization()
}

/// A URL for messages: no query (it may carry long conditions) and no user info.
fn display_url(url: &Url) -> String {
    format!("{}{}", url_origin(url), url.path())
}

fn error_chain_text(error: &dyn StdError) -> String {
    let mut parts = Vec::new();
    let mut current: Option<&dyn StdError> = Some(error);
    while let Some(e) = current {
        let text = e.to_string();
        if parts.last() != Some(&text) {
            parts.push(text);
        }
        current = e.source();
    }
    clean_text(&parts.join(": "))
}

/// The next error down a transport error's chain. An `io::Error`'s `source()` skips the error
/// it wraps (and hyper-rustls wraps rustls' io::Error in another), so step into it instead.
fn next_cause<'a>(error: &'a (dyn StdError + 'static)) -> Option<&'a (dyn StdError + 'static)> {
    match error.downcast_ref::<std::io::Error>() {
        Some(io) => match io.get_ref() {
            Some(inner) => Some(inner as &(dyn StdError + 'static)),
            None => None,
        },
        None => error.source(),
    }
}

/// Every error in the chain, bounded in case a cause refers back to itself.
fn causes<'a>(
    error: &'a (dyn StdError + 'static),
) -> impl Iterator<Item = &'a (dyn StdError + 'static)> {
    std::iter::successors(Some(error), |e: &&'a (dyn StdError + 'static)| {
        next_cause(*e)
    })
    .take(32)
}

fn find_tls_error<'a>(error: &'a (dyn StdError + 'static)) -> Option<&'a rustls::Error> {
    causes(error).find_map(|e| e.downcast_ref::<rustls::Error>())
}

/// The most specific io::ErrorKind in the chain (wrappers often say `Other`).
fn find_io_kind(error: &(dyn StdError + 'static)) -> Option<std::io::ErrorKind> {
    let kinds: Vec<std::io::ErrorKind> = causes(error)
        .filter_map(|e| e.downcast_ref::<std::io::Error>())
        .map(std::io::Error::kind)
        .collect();
    kinds
        .iter()
        .copied()
        .find(|k| *k != std::io::ErrorKind::Other)
        .or_else(|| kinds.first().copied())
}

/// A failure of the proxy itself (down, 407, tunnel refused), told apart from the site's.
fn proxy_failure(error: &reqwest::Error, host: &str, proxy: &str) -> Option<CwError> {
    let lower = error_chain_text(error).to_ascii_lowercase();
    let unreachable = |detail: &str| {
        Some(CwError::ProxyUnreachable {
            proxy: proxy.to_string(),
            detail: detail.to_string(),
        })
    };
    if lower.contains("proxy authorization required") {
        return Some(CwError::ProxyAuthRequired {
            proxy: proxy.to_string(),
        });
    }
    if lower.contains("tunnel error") {
        if lower.contains("failed to create underlying connection") {
            return unreachable("could not be reached (refused, unknown or down)");
        }
        return Some(CwError::ProxyTunnel {
            proxy: proxy.to_string(),
            host: host.to_string(),
        });
    }
    if error.is_connect() {
        if error.is_timeout() {
            return unreachable("did not accept the connection in time");
        }
        if find_io_kind(error) == Some(std::io::ErrorKind::ConnectionRefused) {
            return unreachable("refused the connection");
        }
        if lower.contains("dns error") || lower.contains("failed to lookup address") {
            return unreachable("could not be resolved (DNS)");
        }
    }
    None
}

/// The seconds a timeout message names, worked out before the request.
#[derive(Clone, Copy)]
struct Figures {
    request: u64,
    connect: u64,
}

/// The whole seconds of the end-to-end limit: `time_limit`, else the time left to `deadline`.
fn limit_secs(deadline: Option<Instant>, time_limit: Option<Duration>) -> u64 {
    let limit =
        time_limit.or_else(|| deadline.map(|d| d.saturating_duration_since(Instant::now())));
    limit.map_or(0, |l| l.as_secs_f64().ceil() as u64).max(1)
}

fn classify(
    error: &reqwest::Error,
    host: &str,
    figures: Figures,
    proxy: Option<&str>,
) -> AttemptError {
    use rustls::CertificateError as Cert;
    use std::io::ErrorKind;
    let host = host.to_string();
    let fail = |error| AttemptError {
        error,
        retryable: false,
    };
    if let Some(proxy) = proxy
        && let Some(error) = proxy_failure(error, &host, proxy)
    {
        return fail(error);
    }
    if let Some(tls) = find_tls_error(error) {
        return fail(match tls {
            rustls::Error::InvalidCertificate(Cert::UnknownIssuer) => {
                CwError::TlsUnknownIssuer { host }
            }
            rustls::Error::InvalidCertificate(
                Cert::Expired
                | Cert::ExpiredContext { .. }
                | Cert::NotValidYet
                | Cert::NotValidYetContext { .. },
            ) => CwError::TlsExpired { host },
            rustls::Error::InvalidCertificate(
                Cert::NotValidForName | Cert::NotValidForNameContext { .. },
            ) => CwError::TlsNameMismatch { host },
            other => CwError::Tls {
                host,
                detail: clean_text(&other.to_string()),
            },
        });
    }
    if error.is_timeout() {
        let connecting = error.is_connect();
        return fail(CwError::Timeout {
            host,
            seconds: if connecting {
                figures.connect.min(figures.request)
            } else {
                figures.request
            },
            connecting,
        });
    }
    let chain = error_chain_text(error);
    let lower = chain.to_ascii_lowercase();
    if lower.contains("dns error") || lower.contains("failed to lookup address") {
        // A host name is what fails to resolve: say it without the scheme.
        let name = host
            .split_once("://")
            .map_or(host.as_str(), |(_, rest)| rest);
        return fail(CwError::Dns {
            host: name.to_string(),
        });
    }
    match find_io_kind(error) {
        Some(ErrorKind::ConnectionRefused) => fail(CwError::ConnectionRefused { host }),
        Some(
            ErrorKind::ConnectionReset
            | ErrorKind::ConnectionAborted
            | ErrorKind::BrokenPipe
            | ErrorKind::UnexpectedEof,
        ) => AttemptError {
            error: CwError::ConnectionLost {
                host,
                detail: chain,
            },
            retryable: true,
        },
        _ => AttemptError {
            // hyper reports a peer that hung up mid-answer without an io::Error.
            retryable: lower.contains("connection closed") || lower.contains("incomplete"),
            error: CwError::ConnectionLost {
                host,
                detail: chain,
            },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_next_is_found_in_connectwise_link_headers() {
        let first = r#"<https://api-na.myconnectwise.net/v2025_1/apis/3.0/company/companies?page=2&pageSize=25>; rel="next", <https://api-na.myconnectwise.net/v2025_1/apis/3.0/company/companies?page=4&pageSize=25>; rel="last""#;
        assert!(has_next(first));
        let last = r#"<https://x/apis/3.0/a?page=1>; rel="first", <https://x/apis/3.0/a?page=3>; rel="prev""#;
        assert!(!has_next(last));
        assert!(has_next("<https://x/a?page=2>; rel=next"));
        assert!(has_next("<https://x/a?page=2>; REL=\"prev next\""));
        assert!(!has_next(""));
        assert!(!has_next("<https://x/a?rel=next>"));
    }

    #[test]
    fn retry_after_reads_seconds_and_ignores_junk() {
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers), None);
        headers.insert(RETRY_AFTER, HeaderValue::from_static("30"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(30)));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers), None);
    }

    #[test]
    fn only_transient_server_errors_are_retried() {
        for code in [500u16, 502, 503, 504] {
            assert!(is_retryable_status(
                StatusCode::from_u16(code).expect("valid")
            ));
        }
        for code in [400u16, 401, 403, 404, 429, 501, 505] {
            assert!(!is_retryable_status(
                StatusCode::from_u16(code).expect("valid")
            ));
        }
    }

    #[test]
    fn redirects_are_judged_by_origin() {
        let answer = |url: &str, location: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(LOCATION, HeaderValue::from_str(location).expect("valid"));
            Answer {
                status: StatusCode::FOUND,
                headers,
                body: Vec::new(),
                url: Url::parse(url).expect("valid"),
            }
        };
        let err = redirect_error(&answer(
            "http://127.0.0.1:1000/v1/apis/3.0/system/info",
            "http://127.0.0.1:2000/steal",
        ));
        assert_eq!(
            err,
            CwError::CrossOriginRedirect {
                from: "http://127.0.0.1:1000".into(),
                to: "http://127.0.0.1:2000".into()
            }
        );
        let err = redirect_error(&answer("http://127.0.0.1:1000/a", "/b"));
        assert_eq!(err.kind(), "too_many_redirects");
    }

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

//! [`ApiSession`]: one company's API with its keys, the API base (rediscovered when the
//! codebase moves), and a non-success answer turned into the matching error.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use tokio::time::Instant;
use url::Url;

use super::answers::{rate_limited, redirect_error, server_error};
use super::send::Answer;
use super::{CwClient, url_origin};
use crate::cw::auth::Credentials;
use crate::cw::company_info::{CompanyInfo, api_base, describe_non_json};
use crate::cw::error::{CwError, ErrorBody, clean_text};
use crate::cw::models::{Count, ListQuery, SecurityRow, SystemInfo};
use crate::cw::wire::JsonKind;

/// A company's API, authenticated. Cheap to clone; clones share the client's concurrency cap and
/// the (possibly refreshed) API base.
#[derive(Clone)]
pub struct ApiSession {
    pub(super) client: CwClient,
    pub(super) credentials: Arc<Credentials>,
    pub(super) base: Arc<RwLock<Url>>,
    /// The companyinfo answer `base` was derived from (refreshed with it).
    pub(super) info: Arc<RwLock<CompanyInfo>>,
    /// Single-flight codebase rediscovery: held while companyinfo is asked again; remembers the
    /// last API base found still current, and when.
    pub(super) rediscovery: Arc<tokio::sync::Mutex<Option<(Url, Instant)>>>,
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
        // Only the answer's kind is read: its contents are skipped, never built.
        match serde_json::from_slice::<JsonKind>(&body) {
            Ok(JsonKind::Array | JsonKind::Object) => Ok(()),
            Ok(_) => Err(self.unexpected(endpoint, "expected a JSON list or object".to_string())),
            Err(_) => Err(CwError::NotConnectWise {
                host: url_origin(&self.api_base()),
                detail: describe_non_json(&body),
            }),
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
    pub(super) async fn get_api(
        &self,
        endpoint: &str,
        params: &[(&str, String)],
    ) -> Result<Answer, CwError> {
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

    pub(super) fn decode<T: DeserializeOwned>(
        &self,
        endpoint: &str,
        body: &[u8],
    ) -> Result<T, CwError> {
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

//! One GET: a concurrency permit, per-attempt and end-to-end timeouts, a capped body, and
//! retries for the failures worth retrying.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderMap, HeaderValue, RETRY_AFTER};
use tokio::time::Instant;
use url::Url;

use super::transport::{AttemptError, Figures, classify};
use super::{CwClient, RetryNotice, RetryReason, display_url, url_origin};
use crate::cw::auth::{Credentials, authorization_header};
use crate::cw::error::CwError;

/// Attempts after the first one, for GETs that failed in a retryable way.
const MAX_RETRIES: u32 = 3;

/// A raw answer, before it is judged.
pub(super) struct Answer {
    pub(super) status: StatusCode,
    pub(super) headers: HeaderMap,
    pub(super) body: Vec<u8>,
    pub(super) url: Url,
}

impl CwClient {
    /// One GET with retries, bounded by the deadline as a whole.
    pub(super) async fn get(
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
    pub(super) fn deadline_passed(&self, host: String) -> CwError {
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
        let (timeout, figures) = self.attempt_timeout();
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
        let request = self.request(url, credentials, timeout);
        let read = self.read_answer(request, &host, figures);
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

    /// This attempt's timeout (the per-request one, or less when the deadline is nearer), and
    /// the figures a timeout error names.
    fn attempt_timeout(&self) -> (Duration, Figures) {
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
        (timeout, figures)
    }

    /// The GET with its timeout and headers; the keys and client id only with credentials.
    fn request(
        &self,
        url: &Url,
        credentials: Option<&Credentials>,
        timeout: Duration,
    ) -> reqwest::RequestBuilder {
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
        request
    }

    /// Sends the request and reads the body, refusing one past the size limit.
    async fn read_answer(
        &self,
        request: reqwest::RequestBuilder,
        host: &str,
        figures: Figures,
    ) -> Result<Answer, AttemptError> {
        let mut response = request
            .send()
            .await
            .map_err(|e| classify(&e, host, figures, self.inner.proxy.as_deref()))?;
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
        // Sized once from Content-Length when sent; otherwise grown by doubling but never
        // past the limit, so an answer just under the limit is not given twice its size.
        let expected = response.content_length().map_or(0, |n| n as usize);
        let mut body = Vec::with_capacity(expected.min(limit));
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| classify(&e, host, figures, self.inner.proxy.as_deref()))?
        {
            let needed = body.len() + chunk.len();
            if needed > limit {
                return Err(too_large());
            }
            if needed > body.capacity() {
                let target = needed.max(body.capacity() * 2).min(limit);
                body.reserve_exact(target - body.len());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Answer {
            status,
            headers,
            body,
            url: final_url,
        })
    }
}

fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 500 | 502 | 503 | 504)
}

/// `Retry-After` in seconds (the HTTP-date form is not used by ConnectWise).
pub(super) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    text.parse::<u64>().ok().map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

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
}

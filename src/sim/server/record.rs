//! The requests as the simulator received them: a bounded log, headers bounded too, and
//! credentials never shown.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;

use axum::http::HeaderMap;

use super::Shared;

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

/// The most header bytes recorded per request; the rest are counted, not kept.
const RECORDED_HEADER_BYTES: usize = 16 * 1024;

/// The recent requests, oldest first, with a running count of every request ever received.
pub(super) struct RequestLog {
    pub(super) entries: std::collections::VecDeque<RecordedRequest>,
    capacity: usize,
    /// The sequence number of `entries[0]`.
    first: u64,
}

impl RequestLog {
    pub(super) fn new(capacity: usize) -> Self {
        RequestLog {
            entries: std::collections::VecDeque::with_capacity(capacity.min(4096)),
            capacity: capacity.max(1),
            first: 0,
        }
    }

    /// Records a request and returns its sequence number.
    pub(super) fn push(&mut self, request: RecordedRequest) -> u64 {
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

    pub(super) fn total(&self) -> u64 {
        self.first + self.entries.len() as u64
    }
}

/// Marks a request finished and no longer in flight, also when the client hangs up mid-answer.
pub(super) struct InFlight {
    pub(super) shared: Arc<Shared>,
    pub(super) sequence: Option<u64>,
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

/// The headers as recorded: names lower-case, values lossy UTF-8, at most
/// `RECORDED_HEADER_BYTES` of them (then one `x-sim-unrecorded` entry counts the rest).
pub(super) fn recorded_headers(headers: &HeaderMap) -> Vec<(String, String)> {
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

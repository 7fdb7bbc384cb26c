//! The answers the simulator sends: ConnectWise's JSON errors, plain text and HTML pages, and
//! the broken ones the faults ask for (cut JSON, a trickling body, a 16 MiB body).

use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use serde_json::{Value, json};

use super::Shared;
use crate::sim::query::QueryError;
use crate::sim::scenario::Fault;

/// Slow-loris pacing: one byte per tick, for at most this many ticks.
const TRICKLE_TICK: Duration = Duration::from_millis(100);
const TRICKLE_MAX_BYTES: usize = 3000;
/// The oversized body: this many chunks of `OVERSIZED_CHUNK` bytes (16 MiB, twice the client cap).
const OVERSIZED_CHUNK: usize = 64 * 1024;
const OVERSIZED_CHUNKS: usize = 256;

pub(super) fn bad_query(error: QueryError, fault: Option<Fault>) -> Response {
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

pub(super) fn forbidden(fault: Option<Fault>) -> Response {
    cw_error(
        StatusCode::FORBIDDEN,
        "Security",
        "You do not have security permission to perform this action.",
        fault,
    )
}

pub(super) fn endpoint_does_not_exist(fault: Option<Fault>) -> Response {
    cw_error(
        StatusCode::NOT_FOUND,
        "ConnectWiseApi",
        "The endpoint does not exist.",
        fault,
    )
}

pub(super) fn cw_error(
    status: StatusCode,
    code: &str,
    message: &str,
    fault: Option<Fault>,
) -> Response {
    json_response(status, &json!({"code": code, "message": message}), fault)
}

pub(super) fn json_response(status: StatusCode, body: &Value, fault: Option<Fault>) -> Response {
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

pub(super) fn plain(status: StatusCode, text: &'static str) -> Response {
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

pub(super) fn html_page() -> Response {
    html(
        StatusCode::OK,
        "<!DOCTYPE html>\n<html><head><title>Welcome</title></head>\n<body><h1>It works!</h1>\
         <p>This is a web server, not ConnectWise Manage.</p></body></html>\n",
    )
}

pub(super) fn not_found_page() -> Response {
    html(
        StatusCode::NOT_FOUND,
        "<!DOCTYPE html>\n<html><head><title>404 - File or directory not found.</title></head>\n\
         <body><h2>404 - File or directory not found.</h2></body></html>\n",
    )
}

/// Headers now, then one space per tick (JSON allows leading whitespace), then a real body.
pub(super) fn trickle(shared: Arc<Shared>) -> Response {
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
pub(super) fn oversized() -> Response {
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

//! The accept loop and each connection, served by hyper with a header-read / idle timeout, and
//! the bookkeeping every request gets (recorded, counted in flight, the scenario's latency).

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use hyper_util::server::graceful::GracefulConnection;
use tokio::task::JoinHandle;

use super::record::{InFlight, RecordedRequest, recorded_headers};
use super::responses::plain;
use super::routes::answer;
use super::{Listener, Shared};

/// hyper's read buffer per connection, which bounds a request head.
const MAX_HEAD_BYTES: usize = 64 * 1024;

/// Accepts connections until shutdown and serves each with hyper directly (not `axum::serve`),
/// for the header-read / idle timeout. Aborting the returned task aborts every connection.
pub(super) fn serve(
    listener: tokio::net::TcpListener,
    tls: Option<tokio_rustls::TlsAcceptor>,
    state: Listener,
) -> JoinHandle<()> {
    let shared = state.shared.clone();
    let app = Router::new().fallback(handle).with_state(state);
    tokio::spawn(async move {
        let mut connections = tokio::task::JoinSet::new();
        loop {
            // A free slot first (at the cap, new connections wait in the kernel's backlog),
            // then the connection, which holds the slot until it closes.
            let slot = tokio::select! {
                slot = shared.connection_slots.clone().acquire_owned() => match slot {
                    Ok(slot) => slot,
                    Err(_) => break,
                },
                // A finished connection's task is reaped at once, its memory freed.
                Some(_) = connections.join_next(), if !connections.is_empty() => continue,
                _ = shared.shutting_down() => break,
            };
            tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok((stream, _)) => {
                        shared.connections.fetch_add(1, Ordering::SeqCst);
                        let (tls, app, shared) = (tls.clone(), app.clone(), shared.clone());
                        connections.spawn(async move {
                            accept_connection(stream, tls, app, shared).await;
                            drop(slot);
                        });
                    }
                    Err(e) => {
                        // Out of file descriptors, say: wait a moment rather than spin.
                        tracing::warn!("simulated ConnectWise: accept failed: {e}");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                },
                Some(_) = connections.join_next(), if !connections.is_empty() => {}
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
    until_done_or_shutdown(connection, &shared).await;
}

/// Serves `connection` until it ends; at shutdown, lets it finish its answers (at most 2 s).
async fn until_done_or_shutdown<C: GracefulConnection>(connection: C, shared: &Shared) {
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
    until_done_or_shutdown(connection, &shared).await;
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

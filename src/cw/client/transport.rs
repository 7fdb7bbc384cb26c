//! A request that failed before an answer: TLS, DNS, refused, reset, proxy or timeout, told
//! apart from the error chain reqwest returns.

use std::error::Error as StdError;

use crate::cw::error::{CwError, clean_text};

/// Why one attempt failed, and whether another attempt may help.
pub(super) struct AttemptError {
    pub(super) error: CwError,
    pub(super) retryable: bool,
}

/// The seconds a timeout message names, worked out before the request.
#[derive(Clone, Copy)]
pub(super) struct Figures {
    pub(super) request: u64,
    pub(super) connect: u64,
}

pub(super) fn error_chain_text(error: &dyn StdError) -> String {
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

pub(super) fn classify(
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

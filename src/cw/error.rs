//! `CwError`: every way a ConnectWise call can fail, each with the technician's next step.
//!
//! Display is a one-line summary naming the host or endpoint; it never contains a key.
//!
//! - `fix`: each error's next step ([`CwError::fix`]).
//! - `body`: ConnectWise's error body ([`ErrorBody`]) and server text made safe to show.
//!
//! A request that failed before an answer (TLS, DNS, refused, proxy) is told apart in the
//! client (`client/transport.rs`), which builds these errors.

mod body;
mod fix;

use std::time::Duration;

use crate::cw::site::SiteError;

pub use body::{ErrorBody, ErrorDetail, clean_text};
pub use fix::{FIX_ALLOW_MORE_TIME, FIX_TURN_ON_LOGGING};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CwError {
    #[error("invalid ConnectWise site: {0}")]
    InvalidSite(#[from] SiteError),
    #[error("the client ID is not a valid header value (only visible ASCII characters)")]
    InvalidClientId,
    #[error("the HTTP client could not be set up: {detail}")]
    ClientSetup { detail: String },
    #[error("the host name {host} could not be resolved (DNS)")]
    Dns { host: String },
    #[error("{host} refused the connection")]
    ConnectionRefused { host: String },
    #[error("the proxy {proxy} {detail}")]
    ProxyUnreachable { proxy: String, detail: String },
    #[error("the proxy {proxy} requires authentication (407 Proxy Authentication Required)")]
    ProxyAuthRequired { proxy: String },
    #[error("the proxy {proxy} refused to open a connection to {host}")]
    ProxyTunnel { proxy: String, host: String },
    #[error("the connection to {host} was lost: {detail}")]
    ConnectionLost { host: String, detail: String },
    #[error("no answer from {host} within {seconds} s{}", connecting_suffix(.connecting))]
    Timeout {
        host: String,
        seconds: u64,
        connecting: bool,
    },
    #[error("{host} presented a certificate from an unknown or self-signed issuer")]
    TlsUnknownIssuer { host: String },
    #[error("{host} presented an expired (or not yet valid) certificate")]
    TlsExpired { host: String },
    #[error("{host} presented a certificate issued for another name")]
    TlsNameMismatch { host: String },
    #[error("secure connection to {host} failed: {detail}")]
    Tls { host: String, detail: String },
    #[error("{host} does not look like ConnectWise Manage: {detail}")]
    NotConnectWise { host: String, detail: String },
    #[error("{host} answered {endpoint} with an unexpected body: {detail}")]
    UnexpectedResponse {
        host: String,
        endpoint: String,
        detail: String,
    },
    #[error("{site} named {site_url} as its API host{}; cwsetup did not follow it", expected_detail(.expected))]
    SiteUrlElsewhere {
        site: String,
        site_url: String,
        expected: Option<String>,
    },
    #[error("the company ID is empty")]
    MissingCompanyId,
    #[error("{problem}")]
    InvalidCompanyId { problem: String },
    #[error("company ID \"{company_id}\" was not found on {host}")]
    CompanyNotFound { host: String, company_id: String },
    #[error("{host} rejected the API keys for company \"{company_id}\" (401 {})", or_default(.message, "Unauthorized"))]
    Unauthorized {
        host: String,
        company_id: String,
        message: Option<String>,
    },
    #[error("no permission for {endpoint}: {}", or_default(.message, "403 Forbidden"))]
    Forbidden {
        endpoint: String,
        code: Option<String>,
        message: Option<String>,
    },
    #[error("{host} requires SSL for {endpoint}: the API was called on the wrong host")]
    SslRequired { host: String, endpoint: String },
    #[error("{endpoint} was not found (404{})", colon_detail(.message))]
    NotFound {
        endpoint: String,
        message: Option<String>,
    },
    #[error("{endpoint} was refused as a bad request (400{})", colon_detail(.message))]
    BadRequest {
        endpoint: String,
        code: Option<String>,
        message: Option<String>,
    },
    #[error("{host} is rate limiting requests (429{})", retry_after_detail(.retry_after))]
    RateLimited {
        host: String,
        retry_after: Option<Duration>,
    },
    #[error("{host} failed on {endpoint} with HTTP {status}{}", server_detail(.code, .message))]
    Server {
        host: String,
        endpoint: String,
        status: u16,
        code: Option<String>,
        message: Option<String>,
    },
    #[error("\"{endpoint}\" is not an endpoint under the API base")]
    InvalidEndpoint { endpoint: String },
    #[error("{host} answered {endpoint} with HTTP {status}")]
    UnexpectedStatus {
        host: String,
        endpoint: String,
        status: u16,
    },
    #[error("{host} requires a clientId header and refused the request")]
    MissingClientId { host: String },
    #[error("refused a redirect from {from} to another origin {to}")]
    CrossOriginRedirect { from: String, to: String },
    #[error("too many redirects from {url}")]
    TooManyRedirects { url: String },
    #[error("the answer from {url} is larger than {}", crate::units::human_bytes(*.limit as u64))]
    BodyTooLarge { url: String, limit: usize },
    #[error("{endpoint} lists more than {limit}; cwsetup stopped reading it")]
    ListTooLarge { endpoint: String, limit: String },
    #[error("{endpoint} answered a page with more than the {page_size} items asked for")]
    PageTooLarge { endpoint: String, page_size: u32 },
    #[error("{endpoint} sent page {page} again (a paging loop); cwsetup stopped reading it")]
    PagingLoop { endpoint: String, page: u32 },
}

fn connecting_suffix(connecting: &bool) -> &'static str {
    if *connecting {
        " (while connecting)"
    } else {
        ""
    }
}

fn expected_detail(expected: &Option<String>) -> String {
    match expected {
        Some(host) => format!(", not this region's {host}"),
        None => ", outside its own domain".to_string(),
    }
}

fn or_default<'a>(message: &'a Option<String>, default: &'a str) -> &'a str {
    message.as_deref().unwrap_or(default)
}

fn colon_detail(message: &Option<String>) -> String {
    message
        .as_deref()
        .map(|m| format!(": {m}"))
        .unwrap_or_default()
}

fn retry_after_detail(retry_after: &Option<Duration>) -> String {
    retry_after
        .map(|d| format!(", retry after {} s", d.as_secs()))
        .unwrap_or_default()
}

fn server_detail(code: &Option<String>, message: &Option<String>) -> String {
    match (code, message) {
        (Some(c), Some(m)) => format!(" ({c}: {m})"),
        (None, Some(m)) => format!(" ({m})"),
        (Some(c), None) => format!(" ({c})"),
        (None, None) => String::new(),
    }
}

impl CwError {
    /// A stable snake_case id for machine-readable output and tests.
    pub fn kind(&self) -> &'static str {
        match self {
            CwError::InvalidSite(_) => "invalid_site",
            CwError::InvalidClientId => "invalid_client_id",
            CwError::ClientSetup { .. } => "client_setup",
            CwError::Dns { .. } => "dns",
            CwError::ConnectionRefused { .. } => "connection_refused",
            CwError::ProxyUnreachable { .. } => "proxy_unreachable",
            CwError::ProxyAuthRequired { .. } => "proxy_auth_required",
            CwError::ProxyTunnel { .. } => "proxy_tunnel",
            CwError::ConnectionLost { .. } => "connection_lost",
            CwError::Timeout { .. } => "timeout",
            CwError::TlsUnknownIssuer { .. } => "tls_unknown_issuer",
            CwError::TlsExpired { .. } => "tls_expired",
            CwError::TlsNameMismatch { .. } => "tls_name_mismatch",
            CwError::Tls { .. } => "tls",
            CwError::NotConnectWise { .. } => "not_connectwise",
            CwError::UnexpectedResponse { .. } => "unexpected_response",
            CwError::SiteUrlElsewhere { .. } => "site_url_elsewhere",
            CwError::MissingCompanyId => "missing_company_id",
            CwError::InvalidCompanyId { .. } => "invalid_company_id",
            CwError::CompanyNotFound { .. } => "company_not_found",
            CwError::Unauthorized { .. } => "unauthorized",
            CwError::Forbidden { .. } => "forbidden",
            CwError::SslRequired { .. } => "ssl_required",
            CwError::NotFound { .. } => "not_found",
            CwError::BadRequest { .. } => "bad_request",
            CwError::RateLimited { .. } => "rate_limited",
            CwError::Server { .. } => "server",
            CwError::InvalidEndpoint { .. } => "invalid_endpoint",
            CwError::UnexpectedStatus { .. } => "unexpected_status",
            CwError::MissingClientId { .. } => "missing_client_id",
            CwError::CrossOriginRedirect { .. } => "cross_origin_redirect",
            CwError::TooManyRedirects { .. } => "too_many_redirects",
            CwError::BodyTooLarge { .. } => "body_too_large",
            CwError::ListTooLarge { .. } => "list_too_large",
            CwError::PageTooLarge { .. } => "page_too_large",
            CwError::PagingLoop { .. } => "paging_loop",
        }
    }

    /// A few words a person reads for the failure, for lists of failed calls ("not found
    /// (404)", "no permission (403)"); [`CwError::kind`] is the stable code for JSON and logs.
    pub fn label(&self) -> String {
        match self {
            CwError::InvalidSite(_) => "invalid site".into(),
            CwError::InvalidClientId => "invalid client ID".into(),
            CwError::ClientSetup { .. } => "HTTP client setup failed".into(),
            CwError::Dns { .. } => "host name not found (DNS)".into(),
            CwError::ConnectionRefused { .. } => "connection refused".into(),
            CwError::ProxyUnreachable { .. } => "proxy unreachable".into(),
            CwError::ProxyAuthRequired { .. } => "proxy needs a login (407)".into(),
            CwError::ProxyTunnel { .. } => "proxy refused the tunnel".into(),
            CwError::ConnectionLost { .. } => "connection lost".into(),
            CwError::Timeout { .. } => "no answer in time".into(),
            CwError::TlsUnknownIssuer { .. } => "certificate from an unknown issuer".into(),
            CwError::TlsExpired { .. } => "expired certificate".into(),
            CwError::TlsNameMismatch { .. } => "certificate for another name".into(),
            CwError::Tls { .. } => "secure connection failed".into(),
            CwError::NotConnectWise { .. } => "not ConnectWise".into(),
            CwError::UnexpectedResponse { .. } => "unexpected answer".into(),
            CwError::SiteUrlElsewhere { .. } => "API host elsewhere".into(),
            CwError::MissingCompanyId => "no company ID".into(),
            CwError::InvalidCompanyId { .. } => "invalid company ID".into(),
            CwError::CompanyNotFound { .. } => "company not found".into(),
            CwError::Unauthorized { .. } => "keys refused (401)".into(),
            CwError::Forbidden { .. } => "no permission (403)".into(),
            CwError::SslRequired { .. } => "wrong host (SSL required)".into(),
            CwError::NotFound { .. } => "not found (404)".into(),
            CwError::BadRequest { .. } => "refused as a bad request (400)".into(),
            CwError::RateLimited { .. } => "rate limited (429)".into(),
            CwError::Server { status, .. } => format!("server error (HTTP {status})"),
            CwError::InvalidEndpoint { .. } => "invalid endpoint".into(),
            CwError::UnexpectedStatus { status, .. } => format!("unexpected HTTP {status}"),
            CwError::MissingClientId { .. } => "clientId header required".into(),
            CwError::CrossOriginRedirect { .. } => "redirect to another host refused".into(),
            CwError::TooManyRedirects { .. } => "too many redirects".into(),
            CwError::BodyTooLarge { limit, .. } => format!(
                "answer larger than {}",
                crate::units::human_bytes(*limit as u64)
            ),
            CwError::ListTooLarge { .. } => "list too long".into(),
            CwError::PageTooLarge { .. } => "page larger than asked".into(),
            CwError::PagingLoop { .. } => "paging loop".into(),
        }
    }

    /// Failures to reach the server at all (DNS, refused, timeout while connecting, TLS).
    pub fn is_connection(&self) -> bool {
        match self {
            CwError::Dns { .. }
            | CwError::ConnectionRefused { .. }
            | CwError::ProxyUnreachable { .. }
            | CwError::ProxyAuthRequired { .. }
            | CwError::ProxyTunnel { .. }
            | CwError::TlsUnknownIssuer { .. }
            | CwError::TlsExpired { .. }
            | CwError::TlsNameMismatch { .. }
            | CwError::Tls { .. } => true,
            CwError::Timeout { connecting, .. } => *connecting,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every variant up to the TLS ones, in declaration order.
    fn connection_errors() -> Vec<CwError> {
        let host = || "na.myconnectwise.net".to_string();
        vec![
            CwError::InvalidSite(SiteError::Empty),
            CwError::InvalidClientId,
            CwError::ClientSetup { detail: "x".into() },
            CwError::Dns { host: host() },
            CwError::ConnectionRefused { host: host() },
            CwError::ProxyUnreachable {
                proxy: "http://127.0.0.1:3128".into(),
                detail: "refused the connection".into(),
            },
            CwError::ProxyAuthRequired {
                proxy: "http://127.0.0.1:3128".into(),
            },
            CwError::ProxyTunnel {
                proxy: "http://127.0.0.1:3128".into(),
                host: host(),
            },
            CwError::ConnectionLost {
                host: host(),
                detail: "reset".into(),
            },
            CwError::Timeout {
                host: host(),
                seconds: 2,
                connecting: true,
            },
            CwError::Timeout {
                host: host(),
                seconds: 2,
                connecting: false,
            },
            CwError::TlsUnknownIssuer { host: host() },
            CwError::TlsExpired { host: host() },
            CwError::TlsNameMismatch { host: host() },
            CwError::Tls {
                host: host(),
                detail: "x".into(),
            },
        ]
    }

    /// The variants about the site answering, the company ID and the keys.
    fn site_and_login_errors() -> Vec<CwError> {
        let host = || "na.myconnectwise.net".to_string();
        vec![
            CwError::NotConnectWise {
                host: host(),
                detail: "HTML".into(),
            },
            CwError::UnexpectedResponse {
                host: host(),
                endpoint: "system/info".into(),
                detail: "x".into(),
            },
            CwError::SiteUrlElsewhere {
                site: host(),
                site_url: "api.evil.example".into(),
                expected: Some("api-na.myconnectwise.net".into()),
            },
            CwError::MissingCompanyId,
            CwError::InvalidCompanyId {
                problem: "the company ID contains a tab".into(),
            },
            CwError::CompanyNotFound {
                host: host(),
                company_id: "Contoso Ltd".into(),
            },
            CwError::Unauthorized {
                host: host(),
                company_id: "contoso".into(),
                message: None,
            },
            CwError::Forbidden {
                endpoint: "company/companies".into(),
                code: Some("Security".into()),
                message: None,
            },
            CwError::SslRequired {
                host: host(),
                endpoint: "system/info".into(),
            },
        ]
    }

    /// The variants about an answer or a call, through the paging ones.
    fn answer_errors() -> Vec<CwError> {
        let host = || "na.myconnectwise.net".to_string();
        vec![
            CwError::NotFound {
                endpoint: "x".into(),
                message: None,
            },
            CwError::BadRequest {
                endpoint: "x".into(),
                code: None,
                message: None,
            },
            CwError::RateLimited {
                host: host(),
                retry_after: Some(Duration::from_secs(30)),
            },
            CwError::Server {
                host: host(),
                endpoint: "x".into(),
                status: 500,
                code: None,
                message: None,
            },
            CwError::UnexpectedStatus {
                host: host(),
                endpoint: "x".into(),
                status: 418,
            },
            CwError::InvalidEndpoint {
                endpoint: "//evil.example/x".into(),
            },
            CwError::MissingClientId { host: host() },
            CwError::CrossOriginRedirect {
                from: "https://a.example".into(),
                to: "https://b.example".into(),
            },
            CwError::TooManyRedirects {
                url: "https://a.example/".into(),
            },
            CwError::BodyTooLarge {
                url: "https://a.example/".into(),
                limit: 8,
            },
            CwError::ListTooLarge {
                endpoint: "system/mySecurity".into(),
                limit: "10000 rows".into(),
            },
            CwError::PageTooLarge {
                endpoint: "system/mySecurity".into(),
                page_size: 1000,
            },
            CwError::PagingLoop {
                endpoint: "system/mySecurity".into(),
                page: 2,
            },
        ]
    }

    #[test]
    fn every_variant_has_a_kind_and_a_fix() {
        let all: Vec<CwError> = [
            connection_errors(),
            site_and_login_errors(),
            answer_errors(),
        ]
        .concat();
        let mut kinds = std::collections::HashSet::new();
        for err in &all {
            let kind = err.kind();
            assert!(
                kind.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{kind}"
            );
            kinds.insert(kind);
            let label = err.label();
            assert!(!label.contains('_'), "{label}");
            assert!(err.fix().len() > 30, "{kind}: {}", err.fix());
            assert!(!err.to_string().contains('\n'), "{kind}");
        }
        // Both Timeout flavours share one kind.
        assert_eq!(kinds.len(), all.len() - 1);
    }

    #[test]
    fn server_error_keeps_connectwise_code_and_message() {
        let err = CwError::Server {
            host: "h".into(),
            endpoint: "company/companies".into(),
            status: 500,
            code: Some("ConnectWiseApi".into()),
            message: Some("A timeout has occured. Please try again.".into()),
        };
        assert_eq!(
            err.to_string(),
            "h failed on company/companies with HTTP 500 (ConnectWiseApi: A timeout has occured. Please try again.)"
        );
    }

    #[test]
    fn connection_errors_are_told_apart() {
        assert!(CwError::Dns { host: "h".into() }.is_connection());
        assert!(CwError::TlsExpired { host: "h".into() }.is_connection());
        assert!(
            !CwError::Timeout {
                host: "h".into(),
                seconds: 1,
                connecting: false
            }
            .is_connection()
        );
        assert!(
            !CwError::Unauthorized {
                host: "h".into(),
                company_id: "c".into(),
                message: None
            }
            .is_connection()
        );
    }
}

//! `CwError`: every way a ConnectWise call can fail, each with the technician's next step.
//!
//! Display is a one-line summary naming the host or endpoint; it never contains a key.

use std::time::Duration;

use crate::cw::site::{SiteError, cloud_hosts_hint};

/// Fix texts name no command-line flag (the wizard shows them too, and only `cli` knows the
/// flags). These phrases, in lower case, are what a front-end looks for to add its own way of
/// doing it (`cwsetup check` adds `--log-level debug` and `--timeout SECS`).
pub const FIX_TURN_ON_LOGGING: &str = "turn on logging";
/// See [`FIX_TURN_ON_LOGGING`].
pub const FIX_ALLOW_MORE_TIME: &str = "allow the check more time";

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

    /// What the technician should do next, concretely.
    pub fn fix(&self) -> String {
        match self {
            CwError::InvalidSite(e) => e.fix(),
            CwError::InvalidClientId => {
                "Use the clientId GUID registered for this integration on developer.connectwise.com (letters, digits and dashes only).".to_string()
            }
            CwError::ClientSetup { .. } => {
                "Check that the system's CA certificates are installed (e.g. the ca-certificates package) and that any extra CA file is PEM.".to_string()
            }
            CwError::Dns { host } => format!(
                "Check the spelling of {host}. Cloud sites are {}. For a self-hosted server, check this computer's DNS or VPN.",
                cloud_hosts_hint()
            ),
            CwError::ConnectionRefused { host } => format!(
                "Nothing accepts connections at {host}. Check the host and port; for a self-hosted server, check that ConnectWise is running and the firewall allows this computer."
            ),
            CwError::ProxyUnreachable { proxy, .. } => format!(
                "cwsetup connects through the proxy {proxy}, set by HTTPS_PROXY or ALL_PROXY in the environment. Check that the proxy is running and reachable from this computer, or unset the variable (or list the site in NO_PROXY) to connect directly."
            ),
            CwError::ProxyAuthRequired { proxy } => format!(
                "Give the proxy's user and password in the proxy variable (http://user:password@{}), or ask for this computer to be let through {proxy} without signing in.",
                proxy.split_once("://").map_or(proxy.as_str(), |(_, rest)| rest)
            ),
            CwError::ProxyTunnel { proxy, host } => format!(
                "The proxy {proxy} does not let this computer reach {host}. Ask for {host} to be allowed through it, or list the site in NO_PROXY to connect directly."
            ),
            CwError::ConnectionLost { host, .. } => format!(
                "Try again. If it keeps happening, a proxy or firewall between this computer and {host} is cutting connections."
            ),
            CwError::Timeout { host, connecting: true, .. } => format!(
                "{host} did not accept the connection in time. For a self-hosted server, check the firewall / IP allow-list for this computer's public address; otherwise check the network and try again."
            ),
            CwError::Timeout { host, .. } => format!(
                "{host} accepted the connection but did not answer in time. Try again later, or allow the check more time."
            ),
            CwError::TlsUnknownIssuer { host } => format!(
                "The certificate of {host} is self-signed or its chain is incomplete. Install a certificate from a public CA (with the full chain) on the server, or trust your own CA on this computer."
            ),
            CwError::TlsExpired { host } => format!(
                "Renew the TLS certificate of {host}, and check this computer's clock."
            ),
            CwError::TlsNameMismatch { host } => format!(
                "The certificate does not cover {host}. Type the exact host name the certificate was issued for (as in the browser address bar)."
            ),
            CwError::Tls { host, .. } => format!(
                "Check that {host} serves HTTPS with a current TLS version, and that no proxy intercepts the connection."
            ),
            CwError::NotConnectWise { host, .. } => format!(
                "{host} answered, but not as ConnectWise Manage. Type the site you log in to: {}; or your self-hosted server's name (the part before /v4_6_release in its login URL).",
                cloud_hosts_hint()
            ),
            CwError::UnexpectedResponse { .. } => {
                "This looks like a ConnectWise version cwsetup does not know. Turn on logging to capture the details, and report it.".to_string()
            }
            CwError::SiteUrlElsewhere { site, site_url, .. } => format!(
                "The keys were not sent to {site_url}. Check that {site} is the site you log in to and that no proxy or DNS entry answers in its place; if {site_url} really is your ConnectWise server, type it as the site."
            ),
            CwError::MissingCompanyId => {
                "Type the company ID you enter on the ConnectWise login screen (the Company field), not the company's name.".to_string()
            }
            CwError::InvalidCompanyId { .. } => {
                "Type the company ID from the ConnectWise login screen (the Company field) again, without spaces, tabs or other invisible characters.".to_string()
            }
            CwError::CompanyNotFound { company_id, .. } => format!(
                "\"{company_id}\" is not a company ID on this site. The company ID is the one typed on the ConnectWise login screen (Company field), not the company's name. Also check the site/region."
            ),
            CwError::Unauthorized { company_id, .. } => format!(
                "Check that the public and private keys come from the same API key, are not swapped, and have no spaces or line breaks; that the company ID \"{company_id}\" is the one from the login screen; and that the API member is active. A private key lost after Save and Close cannot be shown again: delete the key and create a new one."
            ),
            CwError::Forbidden { endpoint, .. } => format!(
                "The API member's security role lacks the permission that {endpoint} needs. In ConnectWise: System > Security Roles > (the role) > set the Inquire level for that function, then Save."
            ),
            CwError::SslRequired { host, .. } => format!(
                "The API must be called on the api- host (e.g. api-na.myconnectwise.net), not {host}. Type the site you log in to ({}) and cwsetup will find the API host.",
                cloud_hosts_hint()
            ),
            CwError::NotFound { endpoint, .. } => format!(
                "{endpoint} does not exist on this ConnectWise version. Check the site and that ConnectWise is up to date."
            ),
            CwError::BadRequest { .. } => {
                "The request was refused as malformed. Turn on logging and report it; this is a cwsetup bug or an unsupported ConnectWise version.".to_string()
            }
            CwError::RateLimited { .. } => {
                "ConnectWise is throttling this API member. Wait a minute and try again; stop other integrations using the same key meanwhile.".to_string()
            }
            CwError::Server { host, .. } => format!(
                "{host} had an internal error. Try again in a few minutes; if it persists, check the ConnectWise status page or the server's logs."
            ),
            CwError::InvalidEndpoint { endpoint } => format!(
                "\"{endpoint}\" must be a path under apis/3.0/ such as company/companies; fix the vendor profile that names it."
            ),
            CwError::UnexpectedStatus { host, .. } => format!(
                "Check that {host} is ConnectWise Manage and that no proxy rewrites requests."
            ),
            CwError::MissingClientId { .. } => {
                "Set the integration's clientId (a GUID from developer.connectwise.com) as the client ID; every API call must send it.".to_string()
            }
            CwError::CrossOriginRedirect { to, .. } => format!(
                "The site redirected to {to}. The keys were not sent there. Type the final ConnectWise host directly if you trust it."
            ),
            CwError::TooManyRedirects { .. } => {
                "The server redirects in a loop. Type the ConnectWise host you log in to directly.".to_string()
            }
            CwError::BodyTooLarge { .. } => {
                "The answer was too large to be a ConnectWise response. Check the site; a proxy may be serving something else.".to_string()
            }
            CwError::ListTooLarge { endpoint, .. } => format!(
                "{endpoint} kept sending rows past what a ConnectWise answer holds, so its list was not used. Check that the site is ConnectWise Manage and that no proxy rewrites its answers; if it is, report this."
            ),
            CwError::PageTooLarge { .. } | CwError::PagingLoop { .. } => {
                "The server does not page its lists as ConnectWise does, so the list was not used. Check that the site is ConnectWise Manage and that no proxy rewrites its answers.".to_string()
            }
        }
    }
}

/// A ConnectWise error body: `{"code","message","errors"}`, or the 429 form with `"error"`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorBody {
    pub code: Option<String>,
    pub message: Option<String>,
    pub errors: Vec<ErrorDetail>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorDetail {
    pub code: Option<String>,
    pub message: Option<String>,
    pub resource: Option<String>,
    pub field: Option<String>,
}

impl ErrorBody {
    /// `None` when the body is not a JSON object; never fails on odd field types.
    pub fn parse(body: &[u8]) -> Option<ErrorBody> {
        let value: serde_json::Value = serde_json::from_slice(body).ok()?;
        let object = value.as_object()?;
        let text = |key: &str| object.get(key).and_then(text_field);
        let errors = object
            .get("errors")
            .and_then(|e| e.as_array())
            .map(|items| {
                items
                    .iter()
                    .filter_map(|item| item.as_object())
                    .map(|item| ErrorDetail {
                        code: item.get("code").and_then(text_field),
                        message: item.get("message").and_then(text_field),
                        resource: item.get("resource").and_then(text_field),
                        field: item.get("field").and_then(text_field),
                    })
                    .collect()
            })
            .unwrap_or_default();
        Some(ErrorBody {
            code: text("code").or_else(|| text("error")),
            message: text("message"),
            errors,
        })
    }

    /// The message plus the first detail, which usually names the offending field.
    pub fn summary(&self) -> Option<String> {
        let first = self.errors.first().and_then(|d| d.message.clone());
        match (&self.message, first) {
            (Some(m), Some(d)) if *m != d => Some(format!("{m} ({d})")),
            (Some(m), _) => Some(m.clone()),
            (None, d) => d,
        }
    }
}

fn text_field(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) => Some(clean_text(s)),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
    .filter(|s| !s.is_empty())
}

/// Server text kept for a message: one line, bounded, through the one display sanitizer
/// ([`crate::sanitize::display_text`]: controls and bidi overrides become a visible `�`).
pub fn clean_text(text: &str) -> String {
    const MAX_CHARS: usize = 300;
    let bounded: String = text.chars().take(MAX_CHARS).collect();
    let mut out = crate::sanitize::display_text(&bounded).trim().to_string();
    if text.chars().count() > MAX_CHARS {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_standard_error_body_with_crlf() {
        let raw = "{\r\n  \"code\": \"InvalidObject\",\r\n  \"message\": \"callbackEntry object is invalid\",\r\n  \"errors\": [\r\n    {\r\n      \"code\": \"ObjectExists\",\r\n      \"message\": \"A matching callback entry already exists\",\r\n      \"resource\": \"callbackEntry\",\r\n      \"field\": \"objectId\"\r\n    }\r\n  ]\r\n}";
        let body = ErrorBody::parse(raw.as_bytes()).expect("parsed");
        assert_eq!(body.code.as_deref(), Some("InvalidObject"));
        assert_eq!(
            body.message.as_deref(),
            Some("callbackEntry object is invalid")
        );
        assert_eq!(body.errors.len(), 1);
        assert_eq!(body.errors[0].field.as_deref(), Some("objectId"));
        assert_eq!(
            body.summary().as_deref(),
            Some("callbackEntry object is invalid (A matching callback entry already exists)")
        );
    }

    #[test]
    fn parses_the_429_body_that_uses_error_instead_of_code() {
        let raw = br#"{"error": "ConnectWiseAPI", "message": "Too many requests. Please try again in 30 seconds."}"#;
        let body = ErrorBody::parse(raw).expect("parsed");
        assert_eq!(body.code.as_deref(), Some("ConnectWiseAPI"));
        assert!(
            body.message
                .expect("message")
                .starts_with("Too many requests")
        );
    }

    #[test]
    fn tolerates_null_errors_odd_types_and_non_objects() {
        let body =
            ErrorBody::parse(br#"{"code":"Security","message":"SSL is required.","errors":null}"#)
                .expect("parsed");
        assert_eq!(body.message.as_deref(), Some("SSL is required."));
        assert!(body.errors.is_empty());
        let odd =
            ErrorBody::parse(br#"{"code":5,"message":{"x":1},"errors":[1,"a",{"code":null}]}"#)
                .expect("parsed");
        assert_eq!(odd.code.as_deref(), Some("5"));
        assert_eq!(odd.message, None);
        assert_eq!(odd.errors.len(), 1);
        assert_eq!(ErrorBody::parse(b"<html>nope</html>"), None);
        assert_eq!(ErrorBody::parse(b"[1,2]"), None);
        assert_eq!(ErrorBody::parse(b""), None);
        assert_eq!(ErrorBody::parse(b"null"), None);
    }

    #[test]
    fn server_text_loses_escape_sequences_and_is_bounded() {
        let body = ErrorBody::parse(b"{\"message\":\"bad\\u001b[2J\\nthing\"}").expect("parsed");
        assert_eq!(body.message.as_deref(), Some("bad\u{fffd}[2J thing"));
        let long = clean_text(&"y".repeat(1000));
        assert!(long.chars().count() <= 301);
    }

    #[test]
    fn every_variant_has_a_kind_and_a_fix() {
        let host = || "na.myconnectwise.net".to_string();
        let all = vec![
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
        ];
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
    fn fix_texts_use_the_neutral_phrases_and_name_no_flag() {
        let timeout = CwError::Timeout {
            host: "h".into(),
            seconds: 1,
            connecting: false,
        };
        assert!(timeout.fix().to_lowercase().contains(FIX_ALLOW_MORE_TIME));
        let odd = CwError::UnexpectedResponse {
            host: "h".into(),
            endpoint: "system/info".into(),
            detail: "x".into(),
        };
        assert!(odd.fix().to_lowercase().contains(FIX_TURN_ON_LOGGING));
        for err in [timeout, odd, CwError::MissingClientId { host: "h".into() }] {
            assert!(!err.fix().contains("--"), "{}", err.fix());
        }
    }

    #[test]
    fn company_not_found_explains_id_versus_name() {
        let err = CwError::CompanyNotFound {
            host: "h".into(),
            company_id: "Contoso Ltd".into(),
        };
        assert!(err.fix().contains("login screen"));
        assert!(err.fix().contains("not the company's name"));
    }

    #[test]
    fn not_connectwise_lists_the_hosts_per_region() {
        let err = CwError::NotConnectWise {
            host: "example.com".into(),
            detail: "HTML page".into(),
        };
        for host in [
            "na.myconnectwise.net",
            "eu.myconnectwise.net",
            "au.myconnectwise.net",
            "aus.myconnectwise.net",
            "za.myconnectwise.net",
            "staging.connectwisedev.com",
        ] {
            assert!(err.fix().contains(host), "{host}");
        }
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

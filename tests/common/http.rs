//! Talking to the simulator over plain HTTP with reqwest (not the cw client): the
//! `Authorization` header a ConnectWise member's keys make, and a bounded client.

use std::time::Duration;

use base64::Engine as _;

/// The base64 of `company+public:private`: what the `Authorization` header carries after
/// `Basic `.
pub fn basic_token(company: &str, public: &str, private: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("{company}+{public}:{private}"))
}

/// The `Authorization` header value for a member's keys at `company`.
pub fn basic_auth(company: &str, public: &str, private: &str) -> String {
    format!("Basic {}", basic_token(company, public, private))
}

/// A reqwest client that gives up after `timeout` and follows no redirect (a test reads each
/// answer as the simulator sent it).
pub fn http_client(timeout: Duration) -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(timeout)
        .build()
        .expect("a plain client builds")
}

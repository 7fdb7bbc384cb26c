//! The proxy the environment sets (`HTTPS_PROXY`, `ALL_PROXY`, …): checked before use, so a
//! typo is an input error instead of a silently direct connection, and named in connection
//! errors when the proxy, not ConnectWise, is what failed.

use hyper_util::client::proxy::matcher::Matcher;

use crate::cw::site::Site;

/// The variables reqwest reads a proxy from, in its order of precedence per kind.
pub const PROXY_VARIABLES: [&str; 6] = [
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
];

/// Why a proxy variable's value cannot be used, naming the variable but never its value (it may
/// hold a password). `None` when it is empty or a usable `http(s)://host[:port]`.
pub fn proxy_value_problem(variable: &str, value: &str) -> Option<String> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    let fix = "set it to the proxy as http://host:port, or unset it";
    let Ok(uri) = value.parse::<http::Uri>() else {
        return Some(format!(
            "the proxy variable {variable} is not a valid proxy URL: {fix}"
        ));
    };
    match uri.scheme_str() {
        None | Some("http") | Some("https") => {}
        Some(scheme) => {
            let scheme: String = scheme
                .chars()
                .filter(|c| !c.is_control())
                .take(20)
                .collect();
            return Some(format!(
                "the proxy variable {variable} uses the scheme \"{scheme}\", which cwsetup does not support: {fix}"
            ));
        }
    }
    let host_ok = uri
        .authority()
        .map(|a| a.host())
        .is_some_and(|h| !h.is_empty());
    if !host_ok {
        return Some(format!(
            "the proxy variable {variable} names no proxy host: {fix}"
        ));
    }
    None
}

/// The first unusable proxy variable in the environment, with the reason.
pub fn proxy_env_problem() -> Option<String> {
    PROXY_VARIABLES.iter().find_map(|name| match std::env::var(name) {
        Ok(value) => proxy_value_problem(name, &value),
        Err(std::env::VarError::NotUnicode(_)) => Some(format!(
            "the proxy variable {name} is not valid UTF-8: set it to the proxy as http://host:port, or unset it"
        )),
        Err(std::env::VarError::NotPresent) => None,
    })
}

/// The proxy the environment routes `site` through (`http://proxy.example:3128`, without any
/// user or password), as reqwest decides it (NO_PROXY included). Never one for loopback.
pub fn proxy_for(site: &Site) -> Option<String> {
    if site.is_loopback() {
        return None;
    }
    let uri: http::Uri = site.origin().parse().ok()?;
    let intercept = Matcher::from_env().intercept(&uri)?;
    let proxy = intercept.uri();
    let host = proxy.host()?;
    Some(match proxy.port_u16() {
        Some(port) => format!("{}://{host}:{port}", proxy.scheme_str().unwrap_or("http")),
        None => format!("{}://{host}", proxy.scheme_str().unwrap_or("http")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proxy_values_are_judged_without_being_quoted() {
        for ok in [
            "",
            "  ",
            "http://proxy.example:3128",
            "proxy.example:3128",
            "https://user:secret@proxy.example/",
        ] {
            assert_eq!(proxy_value_problem("HTTPS_PROXY", ok), None, "{ok:?}");
        }
        for bad in [
            "http://pro xy:3128",
            "ftp://proxy.example",
            "socks5://proxy.example:1080",
            "http://",
            "::::",
            "http://user:s3cr3t@[bad/",
        ] {
            let problem = proxy_value_problem("HTTPS_PROXY", bad)
                .unwrap_or_else(|| panic!("{bad:?} accepted"));
            assert!(problem.contains("HTTPS_PROXY"), "{problem}");
            assert!(!problem.contains("s3cr3t"), "{problem}");
            assert!(problem.contains("http://host:port"), "{problem}");
        }
    }
}

//! What the technician should do next, for each [`CwError`].

use super::CwError;
use crate::cw::site::cloud_hosts_hint;

/// Fix texts name no command-line flag (the wizard shows them too, and only `cli` knows the
/// flags). These phrases, in lower case, are what a front-end looks for to add its own way of
/// doing it (`cwsetup check` adds `--log-level debug` and `--timeout SECS`).
pub const FIX_TURN_ON_LOGGING: &str = "turn on logging";
/// See [`FIX_TURN_ON_LOGGING`].
pub const FIX_ALLOW_MORE_TIME: &str = "allow the check more time";

impl CwError {
    /// What the technician should do next, concretely.
    pub fn fix(&self) -> String {
        // Grouped by what went wrong; each group's function words its fixes.
        match self {
            CwError::InvalidSite(_)
            | CwError::InvalidClientId
            | CwError::ClientSetup { .. }
            | CwError::InvalidEndpoint { .. }
            | CwError::MissingClientId { .. } => self.setup_fix(),
            CwError::Dns { .. }
            | CwError::ConnectionRefused { .. }
            | CwError::ProxyUnreachable { .. }
            | CwError::ProxyAuthRequired { .. }
            | CwError::ProxyTunnel { .. }
            | CwError::ConnectionLost { .. }
            | CwError::Timeout { .. } => self.network_fix(),
            CwError::TlsUnknownIssuer { .. }
            | CwError::TlsExpired { .. }
            | CwError::TlsNameMismatch { .. }
            | CwError::Tls { .. } => self.tls_fix(),
            CwError::NotConnectWise { .. }
            | CwError::UnexpectedResponse { .. }
            | CwError::SiteUrlElsewhere { .. }
            | CwError::SslRequired { .. }
            | CwError::UnexpectedStatus { .. }
            | CwError::CrossOriginRedirect { .. }
            | CwError::TooManyRedirects { .. }
            | CwError::BodyTooLarge { .. }
            | CwError::ListTooLarge { .. }
            | CwError::PageTooLarge { .. }
            | CwError::PagingLoop { .. } => self.answer_fix(),
            CwError::MissingCompanyId
            | CwError::InvalidCompanyId { .. }
            | CwError::CompanyNotFound { .. }
            | CwError::Unauthorized { .. }
            | CwError::Forbidden { .. }
            | CwError::NotFound { .. }
            | CwError::BadRequest { .. }
            | CwError::RateLimited { .. }
            | CwError::Server { .. } => self.api_fix(),
        }
    }

    /// Settings cwsetup was given or built before any call: the site, the client id, the
    /// HTTP client, an endpoint.
    fn setup_fix(&self) -> String {
        match self {
            CwError::InvalidSite(e) => e.fix(),
            CwError::InvalidClientId => {
                "Use the clientId GUID registered for this integration on developer.connectwise.com (letters, digits and dashes only).".to_string()
            }
            // A proxy variable cwsetup cannot use: its own fix, not the certificates'.
            CwError::ClientSetup { detail } if detail.contains("proxy") => {
                "Set the proxy variable named above to the proxy as http://host:port, or unset it, then try again.".to_string()
            }
            CwError::ClientSetup { .. } => {
                "Check that the system's CA certificates are installed (e.g. the ca-certificates package) and that any extra CA file is PEM.".to_string()
            }
            CwError::InvalidEndpoint { endpoint } => format!(
                "\"{endpoint}\" must be a path under apis/3.0/ such as company/companies; fix the vendor profile that names it."
            ),
            CwError::MissingClientId { .. } => {
                "Set the integration's clientId (a GUID from developer.connectwise.com) as the client ID; every API call must send it.".to_string()
            }
            _ => unreachable!("setup_fix is only called for its own variants"),
        }
    }

    /// Reaching the host: DNS, the connection, a proxy, time.
    fn network_fix(&self) -> String {
        match self {
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
                proxy
                    .split_once("://")
                    .map_or(proxy.as_str(), |(_, rest)| rest)
            ),
            CwError::ProxyTunnel { proxy, host } => format!(
                "The proxy {proxy} does not let this computer reach {host}. Ask for {host} to be allowed through it, or list the site in NO_PROXY to connect directly."
            ),
            CwError::ConnectionLost { host, .. } => format!(
                "Try again. If it keeps happening, a proxy or firewall between this computer and {host} is cutting connections."
            ),
            CwError::Timeout {
                host,
                connecting: true,
                ..
            } => format!(
                "{host} did not accept the connection in time. For a self-hosted server, check the firewall / IP allow-list for this computer's public address; otherwise check the network and try again."
            ),
            CwError::Timeout { host, .. } => format!(
                "{host} accepted the connection but did not answer in time. Try again later, or allow the check more time."
            ),
            _ => unreachable!("network_fix is only called for its own variants"),
        }
    }

    /// The host's certificate or TLS.
    fn tls_fix(&self) -> String {
        match self {
            CwError::TlsUnknownIssuer { host } => format!(
                "The certificate of {host} is self-signed or its chain is incomplete. Install a certificate from a public CA (with the full chain) on the server, or trust your own CA on this computer."
            ),
            CwError::TlsExpired { host } => {
                format!("Renew the TLS certificate of {host}, and check this computer's clock.")
            }
            CwError::TlsNameMismatch { host } => format!(
                "The certificate does not cover {host}. Type the exact host name the certificate was issued for (as in the browser address bar)."
            ),
            CwError::Tls { host, .. } => format!(
                "Check that {host} serves HTTPS with a current TLS version, and that no proxy intercepts the connection."
            ),
            _ => unreachable!("tls_fix is only called for its own variants"),
        }
    }

    /// A host that answers, but not as the ConnectWise site should: the wrong server, a
    /// redirect, a size or paging ConnectWise never sends.
    fn answer_fix(&self) -> String {
        match self {
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
            CwError::SslRequired { host, .. } => format!(
                "The API must be called on the api- host (e.g. api-na.myconnectwise.net), not {host}. Type the site you log in to ({}) and cwsetup will find the API host.",
                cloud_hosts_hint()
            ),
            CwError::UnexpectedStatus { host, .. } => format!(
                "Check that {host} is ConnectWise Manage and that no proxy rewrites requests."
            ),
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
            _ => unreachable!("answer_fix is only called for its own variants"),
        }
    }

    /// ConnectWise's own answers to the company ID, the keys, the role and the calls.
    fn api_fix(&self) -> String {
        match self {
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
            _ => unreachable!("api_fix is only called for its own variants"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn a_proxy_problem_gets_the_proxy_fix_not_the_certificates() {
        let proxy = CwError::ClientSetup {
            detail: "the proxy variable HTTPS_PROXY is not a valid proxy URL".into(),
        };
        assert!(proxy.fix().contains("proxy"), "{}", proxy.fix());
        assert!(!proxy.fix().contains("CA certificates"));
        let tls = CwError::ClientSetup {
            detail: "an extra CA certificate is not valid PEM".into(),
        };
        assert!(tls.fix().contains("CA certificates"));
    }
}

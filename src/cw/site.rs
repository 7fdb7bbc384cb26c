//! The ConnectWise site a technician types: region shorthands, cloud hosts, login URLs and
//! self-hosted servers, normalised to one scheme + host + port.
//!
//! The region table (pure data) is in `region`.

mod region;

use region::region_shorthands;
pub use region::{Region, cloud_hosts_hint};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    Http,
    Https,
}

impl Scheme {
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }

    fn default_port(self) -> u16 {
        match self {
            Scheme::Http => 80,
            Scheme::Https => 443,
        }
    }
}

/// Why a typed site was refused. `Display` names the problem, [`SiteError::fix`] the remedy.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SiteError {
    #[error("the ConnectWise site is empty")]
    Empty,
    #[error("\"{input}\" contains spaces, so it is not a host name")]
    ContainsSpaces { input: String },
    #[error("the scheme \"{scheme}\" is not supported for a ConnectWise site")]
    UnsupportedScheme { scheme: String },
    #[error("plain http is refused for {host}: the API keys would cross the network unencrypted")]
    InsecureHttp { host: String },
    #[error("the site must not contain a user name or password")]
    HasUserInfo,
    #[error("\"{input}\" has an invalid port")]
    InvalidPort { input: String },
    #[error("\"{input}\" is not a valid host name")]
    InvalidHost { input: String },
    #[error("\"{input}\" is a single word, not a full host name")]
    NotFullyQualified { input: String },
}

impl SiteError {
    /// What to type instead.
    pub fn fix(&self) -> String {
        let examples = format!(
            "Type the host you log in to, e.g. na.myconnectwise.net, a region shorthand ({}), or your self-hosted server such as cw.example.com:8443.",
            region_shorthands()
        );
        match self {
            SiteError::Empty => examples,
            SiteError::ContainsSpaces { .. } => format!(
                "Paste only the host or the login URL, without other words. {examples}"
            ),
            SiteError::UnsupportedScheme { .. } => format!(
                "Use https:// (or leave the scheme out). {examples}"
            ),
            SiteError::InsecureHttp { host } => format!(
                "Use https://{host} (or type just {host}). ConnectWise requires SSL; http is only allowed for a simulator on this computer (127.0.0.1, ::1, localhost)."
            ),
            SiteError::HasUserInfo => format!(
                "Remove the \"user:password@\" part; keys are entered on the key step. {examples}"
            ),
            SiteError::InvalidPort { .. } => {
                "Write the port as a number from 1 to 65535 after a colon, e.g. cw.example.com:8443.".to_string()
            }
            SiteError::InvalidHost { .. } => examples,
            SiteError::NotFullyQualified { input } => format!(
                "\"{input}\" looks like a company name or an unknown region. The company ID goes in its own field. {examples}"
            ),
        }
    }
}

/// A normalised ConnectWise site: where `login/companyinfo` is asked.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Site {
    scheme: Scheme,
    /// As written in a URL: lower-case domain, dotted IPv4, or bracketed IPv6.
    host: String,
    /// `None` when it is the scheme's default port.
    port: Option<u16>,
    /// The host as typed in Unicode (`bücher.example`) when `host` is its punycode.
    unicode_host: Option<String>,
}

impl Site {
    /// Accepts every form from issue 3; see the tests for the full list.
    pub fn parse(input: &str) -> Result<Site, SiteError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(SiteError::Empty);
        }
        if trimmed.chars().any(char::is_whitespace) {
            return Err(SiteError::ContainsSpaces {
                input: shorten(trimmed),
            });
        }
        if let Some(region) = Region::from_shorthand(trimmed) {
            return Ok(Site::cloud(region));
        }
        // A bare IPv6 address has colons that a URL parser would read as a port.
        if let Ok(ip) = trimmed.parse::<Ipv6Addr>() {
            return Site::from_parts(None, &format!("[{ip}]"), None, trimmed);
        }

        let (scheme, rest) = match trimmed.split_once("://") {
            Some((scheme, rest)) => (Some(scheme.to_ascii_lowercase()), rest),
            None => (None, trimmed),
        };
        let scheme = match scheme.as_deref() {
            None => None,
            Some("https") => Some(Scheme::Https),
            Some("http") => Some(Scheme::Http),
            Some(other) => {
                return Err(SiteError::UnsupportedScheme {
                    scheme: shorten(other),
                });
            }
        };
        // The authority ends at the first path, query or fragment character.
        let authority_end = rest.find(['/', '?', '#', '\\']).unwrap_or(rest.len());
        let authority = &rest[..authority_end];
        if authority.contains('@') {
            return Err(SiteError::HasUserInfo);
        }
        let (host, port) = split_host_port(authority, trimmed)?;
        Site::from_parts(scheme, &host, port, trimmed)
    }

    /// The site of a cloud region (its login host, https).
    pub fn cloud(region: Region) -> Site {
        Site {
            scheme: Scheme::Https,
            host: region.login_host().to_string(),
            port: None,
            unicode_host: None,
        }
    }

    fn from_parts(
        scheme: Option<Scheme>,
        host: &str,
        port: Option<u16>,
        input: &str,
    ) -> Result<Site, SiteError> {
        let (host, unicode_host) = normalise_host(host, input)?;
        let loopback = host_is_loopback(&host);
        // A simulator on this computer speaks plain http; everything else must be https.
        let scheme = scheme.unwrap_or(if loopback {
            Scheme::Http
        } else {
            Scheme::Https
        });
        if scheme == Scheme::Http && !loopback {
            return Err(SiteError::InsecureHttp { host });
        }
        // The API host of a cloud region also answers companyinfo, but the login host is canonical.
        let host = match Region::from_host(&host) {
            Some(region) => region.login_host().to_string(),
            None => host,
        };
        let port = port.filter(|p| *p != scheme.default_port());
        Ok(Site {
            scheme,
            host,
            port,
            unicode_host,
        })
    }

    /// `https://na.myconnectwise.net` or `http://127.0.0.1:8080`; no trailing slash.
    pub fn origin(&self) -> String {
        match self.port {
            Some(port) => format!("{}://{}:{port}", self.scheme.as_str(), self.host),
            None => format!("{}://{}", self.scheme.as_str(), self.host),
        }
    }

    /// The host as written in a URL (an IPv6 address is bracketed; a Unicode name is punycode).
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The Unicode form of an internationalized host name (`bücher.example`), if it is one.
    pub fn unicode_host(&self) -> Option<&str> {
        self.unicode_host.as_deref()
    }

    /// The origin for people: with the Unicode name first when the host is internationalized,
    /// e.g. `https://bücher.example (xn--bcher-kva.example)`.
    pub fn describe(&self) -> String {
        match &self.unicode_host {
            Some(unicode) => {
                let origin = self.origin();
                let shown = origin.replacen(&self.host, unicode, 1);
                format!("{shown} ({})", self.host)
            }
            None => self.origin(),
        }
    }

    pub fn port(&self) -> Option<u16> {
        self.port
    }

    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// 127.0.0.0/8, ::1 or localhost: where plain http is allowed.
    pub fn is_loopback(&self) -> bool {
        host_is_loopback(&self.host)
    }

    pub fn region(&self) -> Option<Region> {
        Region::from_host(&self.host)
    }

    /// The origin as a URL with path `/`, the base for every request to this site.
    pub fn origin_url(&self) -> url::Url {
        // The parts were validated by `parse`, so the origin is always a valid URL.
        url::Url::parse(&format!("{}/", self.origin())).expect("a parsed site is a valid URL")
    }
}

impl std::fmt::Display for Site {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.origin())
    }
}

impl std::str::FromStr for Site {
    type Err = SiteError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Site::parse(s)
    }
}

fn split_host_port(authority: &str, input: &str) -> Result<(String, Option<u16>), SiteError> {
    let invalid_port = || SiteError::InvalidPort {
        input: shorten(input),
    };
    if let Some(after_bracket) = authority.strip_prefix('[') {
        let Some((ip, tail)) = after_bracket.split_once(']') else {
            return Err(SiteError::InvalidHost {
                input: shorten(input),
            });
        };
        let port = match tail {
            "" => None,
            _ => match tail.strip_prefix(':') {
                Some(p) => Some(parse_port(p).ok_or_else(invalid_port)?),
                None => return Err(invalid_port()),
            },
        };
        return Ok((format!("[{ip}]"), port));
    }
    match authority.rsplit_once(':') {
        Some((host, port)) => Ok((
            host.to_string(),
            Some(parse_port(port).ok_or_else(invalid_port)?),
        )),
        None => Ok((authority.to_string(), None)),
    }
}

fn parse_port(text: &str) -> Option<u16> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse::<u16>().ok().filter(|p| *p != 0)
}

/// Lower-cases and validates a host; IPv6 stays bracketed; a Unicode name becomes punycode as
/// the URL parser does it (IDNA), returned with its Unicode form.
fn normalise_host(host: &str, input: &str) -> Result<(String, Option<String>), SiteError> {
    let invalid = || SiteError::InvalidHost {
        input: shorten(input),
    };
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        let ip: Ipv6Addr = inner.parse().map_err(|_| invalid())?;
        return Ok((format!("[{ip}]"), None));
    }
    if let Ok(ip) = host.parse::<Ipv4Addr>() {
        return Ok((ip.to_string(), None));
    }
    let host = host.strip_suffix('.').unwrap_or(host);
    let (host, unicode) = if host.is_ascii() {
        let host = host.to_ascii_lowercase();
        // Punycode typed as such is shown in Unicode too, so both spellings are one site.
        let unicode = host
            .split('.')
            .any(|label| label.starts_with("xn--"))
            .then(|| idna::domain_to_unicode(&host))
            .and_then(|(unicode, result)| result.is_ok().then_some(unicode))
            .filter(|unicode| *unicode != host && !unicode.chars().any(|c| c.is_control()));
        (host, unicode)
    } else {
        // Only a name may be Unicode: full-width digits that map to an address are refused.
        let Ok(url::Host::Domain(ascii)) = url::Host::parse(host) else {
            return Err(invalid());
        };
        let (unicode, result) = idna::domain_to_unicode(&ascii);
        if result.is_err() || unicode.chars().any(|c| c.is_control()) {
            return Err(invalid());
        }
        let ascii = ascii.strip_suffix('.').unwrap_or(&ascii).to_string();
        let unicode = unicode.strip_suffix('.').unwrap_or(&unicode).to_string();
        // Input that maps to plain ASCII (full-width or styled letters) has no second form: the
        // site is the same as if the ASCII had been typed.
        let unicode = (unicode != ascii).then_some(unicode);
        (ascii, unicode)
    };
    if host.is_empty() || host.len() > 253 {
        return Err(invalid());
    }
    let labels_ok = host.split('.').all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    });
    if !labels_ok {
        return Err(invalid());
    }
    // A dotted all-numeric name would be a malformed IPv4 address, not a host.
    if host
        .split('.')
        .all(|l| l.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(invalid());
    }
    // The URL parser must keep the same domain: it reads a name ending in a number as IPv4
    // (`a.1` fails, `0x7f.1` becomes 127.0.0.1) and checks punycode (`xn--a.com` fails).
    if url::Host::parse(&host) != Ok(url::Host::Domain(host.clone())) {
        return Err(invalid());
    }
    if !host.contains('.') && host != "localhost" {
        return Err(SiteError::NotFullyQualified {
            input: shorten(input),
        });
    }
    Ok((host, unicode))
}

fn host_is_loopback(host: &str) -> bool {
    if host == "localhost" {
        return true;
    }
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Keeps error messages one line even when a whole paragraph was pasted.
fn shorten(text: &str) -> String {
    const MAX: usize = 60;
    let clean: String = text.chars().filter(|c| !c.is_control()).collect();
    if clean.chars().count() <= MAX {
        clean
    } else {
        let head: String = clean.chars().take(MAX).collect();
        format!("{head}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin(input: &str) -> String {
        match Site::parse(input) {
            Ok(site) => site.origin(),
            Err(e) => panic!("{input:?} was refused: {e}"),
        }
    }

    #[test]
    fn accepts_every_cloud_form_from_the_issue() {
        for input in [
            "na.myconnectwise.net",
            "https://na.myconnectwise.net/",
            "api-na.myconnectwise.net",
            "https://api-na.myconnectwise.net/v2025_1/apis/3.0/",
            "https://na.myconnectwise.net/v4_6_release/ConnectWise.aspx?locale=en_US&session=new",
            "na",
            "NA",
            "  na.myconnectwise.net/  ",
            "\tNA.MyConnectWise.net\n",
            "na.myconnectwise.net.",
            "https://na.myconnectwise.net:443/",
        ] {
            assert_eq!(
                origin(input),
                "https://na.myconnectwise.net",
                "input {input:?}"
            );
            let site = Site::parse(input).expect("accepted above");
            assert_eq!(site.region(), Some(Region::Na));
            assert!(!site.is_loopback());
        }
    }

    #[test]
    fn region_shorthands_map_to_login_hosts() {
        for region in Region::all() {
            let site = Site::parse(region.shorthand()).expect("shorthand accepted");
            assert_eq!(site.host(), region.login_host());
            assert_eq!(site.region(), Some(*region));
            assert_eq!(Site::parse(region.api_host()), Ok(site.clone()));
        }
        assert_eq!(origin("staging"), "https://staging.connectwisedev.com");
        assert_eq!(origin("aus"), "https://aus.myconnectwise.net");
        assert_eq!(Region::Eu.api_host(), "api-eu.myconnectwise.net");
    }

    #[test]
    fn self_hosted_hosts_keep_their_port() {
        assert_eq!(origin("cw.example.com"), "https://cw.example.com");
        assert_eq!(origin("cw.example.com:8443"), "https://cw.example.com:8443");
        assert_eq!(
            origin("https://cw.example.com:8443/v4_6_release/ConnectWise.aspx"),
            "https://cw.example.com:8443"
        );
        assert_eq!(origin("10.0.0.5"), "https://10.0.0.5");
        let site = Site::parse("cw.example.com:8443").expect("accepted");
        assert_eq!(site.port(), Some(8443));
        assert_eq!(site.host(), "cw.example.com");
        assert_eq!(site.region(), None);
    }

    #[test]
    fn loopback_may_use_http_and_defaults_to_it() {
        assert_eq!(origin("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
        assert_eq!(origin("127.0.0.1:8080"), "http://127.0.0.1:8080");
        assert_eq!(origin("http://127.1.2.3:9/"), "http://127.1.2.3:9");
        assert_eq!(origin("http://localhost:3000/x"), "http://localhost:3000");
        assert_eq!(origin("http://[::1]:8080"), "http://[::1]:8080");
        assert_eq!(origin("::1"), "http://[::1]");
        assert_eq!(origin("https://127.0.0.1:8443"), "https://127.0.0.1:8443");
        assert_eq!(origin("http://127.0.0.1:80"), "http://127.0.0.1");
        for input in ["127.0.0.1", "localhost:1", "[::1]:2"] {
            assert!(
                Site::parse(input).expect("accepted").is_loopback(),
                "{input}"
            );
        }
    }

    #[test]
    fn plain_http_is_refused_for_real_hosts_and_says_why() {
        for input in [
            "http://na.myconnectwise.net",
            "http://cw.example.com:8080/",
            "http://10.0.0.1",
        ] {
            let err = Site::parse(input).expect_err("http must be refused");
            assert!(
                matches!(err, SiteError::InsecureHttp { .. }),
                "{input}: {err:?}"
            );
            assert!(err.to_string().contains("unencrypted"));
            assert!(err.fix().contains("https://"));
        }
    }

    #[test]
    fn other_schemes_are_refused() {
        for input in [
            "ftp://na.myconnectwise.net",
            "file:///etc/passwd",
            "javascript://x",
        ] {
            let err = Site::parse(input).expect_err("scheme must be refused");
            assert!(
                matches!(err, SiteError::UnsupportedScheme { .. }),
                "{input}: {err:?}"
            );
            assert!(err.fix().contains("https://"));
        }
    }

    #[test]
    fn junk_input_gets_a_clear_message() {
        assert_eq!(Site::parse(""), Err(SiteError::Empty));
        assert_eq!(Site::parse("   \n"), Err(SiteError::Empty));
        let sentence = Site::parse("our site is na.myconnectwise.net I think").expect_err("junk");
        assert!(matches!(sentence, SiteError::ContainsSpaces { .. }));
        assert!(matches!(
            Site::parse("na.myconnectwise .net"),
            Err(SiteError::ContainsSpaces { .. })
        ));
        let company = Site::parse("Contoso").expect_err("a company name is not a site");
        assert!(matches!(company, SiteError::NotFullyQualified { .. }));
        assert!(company.fix().contains("company ID"));
        assert!(matches!(
            Site::parse("us"),
            Err(SiteError::NotFullyQualified { .. })
        ));
        for input in [
            "cw.example.com:0",
            "cw.example.com:65536",
            "cw.example.com:",
            "cw.example.com:ab",
            "[::1]x",
        ] {
            assert!(
                matches!(Site::parse(input), Err(SiteError::InvalidPort { .. })),
                "{input}"
            );
        }
        for input in [
            "https://",
            "exa_mple.com",
            "-bad.example.com",
            "a..b",
            "999.1.1.1",
            "[nothex]:1",
            "[::1",
        ] {
            assert!(
                matches!(Site::parse(input), Err(SiteError::InvalidHost { .. })),
                "{input}"
            );
        }
        assert_eq!(
            Site::parse("https://user:pass@na.myconnectwise.net"),
            Err(SiteError::HasUserInfo)
        );
    }

    #[test]
    fn long_junk_is_shortened_in_the_message() {
        let long = "x".repeat(500);
        let err = Site::parse(&format!("https://{long}.com/")).expect_err("too long");
        assert!(err.to_string().chars().count() < 120, "{err}");
    }

    #[test]
    fn every_error_has_a_fix() {
        for err in [
            SiteError::Empty,
            SiteError::ContainsSpaces {
                input: "a b".into(),
            },
            SiteError::UnsupportedScheme {
                scheme: "ftp".into(),
            },
            SiteError::InsecureHttp {
                host: "h.example".into(),
            },
            SiteError::HasUserInfo,
            SiteError::InvalidPort {
                input: "h:x".into(),
            },
            SiteError::InvalidHost {
                input: "h_h".into(),
            },
            SiteError::NotFullyQualified { input: "h".into() },
        ] {
            assert!(err.fix().len() > 20, "{err:?}");
        }
    }

    #[test]
    fn unicode_host_names_become_punycode_and_keep_their_unicode_form() {
        for input in [
            "bücher.example",
            "https://BÜCHER.example/v4_6_release/",
            "bücher.example.",
            "xn--bcher-kva.example",
        ] {
            let site = Site::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(site.host(), "xn--bcher-kva.example", "{input}");
            assert_eq!(site.origin(), "https://xn--bcher-kva.example");
            assert_eq!(site.origin_url().host_str(), Some("xn--bcher-kva.example"));
            assert_eq!(site.unicode_host(), Some("bücher.example"), "{input}");
            assert_eq!(Site::parse(&site.origin()), Ok(site.clone()));
        }
        let site = Site::parse("bücher.example:8443").expect("valid");
        assert_eq!(site.unicode_host(), Some("bücher.example"));
        assert_eq!(
            site.describe(),
            "https://bücher.example:8443 (xn--bcher-kva.example)"
        );
        assert_eq!(site.to_string(), "https://xn--bcher-kva.example:8443");
        // An ASCII site is described by its origin alone.
        assert_eq!(
            Site::parse("na").expect("valid").describe(),
            "https://na.myconnectwise.net"
        );
        // Full-width digits that IDNA maps to an address are not a name.
        assert!(Site::parse("１２７.０.０.１").is_err());
        assert!(Site::parse("bü cher.example").is_err());
        assert!(Site::parse("bücher").is_err(), "still a single word");
    }
}

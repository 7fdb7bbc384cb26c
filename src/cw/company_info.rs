//! Codebase discovery: the unauthenticated `login/companyinfo/{companyId}` answer, and the API
//! base URL derived from it.

use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::cw::wire::{JsonKind, Scalar};

use crate::cw::error::{CwError, clean_text};
use crate::cw::site::Site;

/// What `login/companyinfo` says about a company.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompanyInfo {
    pub company_name: String,
    /// Always ends in `/`, e.g. `v2025_1/` or `v4_6_release/`.
    pub codebase: String,
    pub version_code: Option<String>,
    pub version_number: Option<String>,
    pub company_id: String,
    pub is_cloud: bool,
    /// The API host (cloud answers only), e.g. `api-na.myconnectwise.net`.
    pub site_url: Option<String>,
}

/// Why a companyinfo body could not be used; the caller adds the host.
fn shape_error(detail: impl Into<String>) -> CwError {
    CwError::UnexpectedResponse {
        host: String::new(),
        endpoint: "login/companyinfo".to_string(),
        detail: detail.into(),
    }
}

fn not_connectwise(detail: impl Into<String>) -> CwError {
    CwError::NotConnectWise {
        host: String::new(),
        detail: detail.into(),
    }
}

/// `Ok(None)` for the JSON `null` an unknown company ID gets. Errors leave `host` empty for the
/// caller to fill in.
///
/// This is the first answer of every check, before any key is sent, so it is read without
/// building anything it does not use: only the seven fields below are kept (and only when they
/// are strings, booleans or numbers); every other field is skipped as it is read.
pub fn parse_company_info(body: &[u8]) -> Result<Option<CompanyInfo>, CwError> {
    let fields = match serde_json::from_slice::<WireAnswer>(body) {
        Ok(WireAnswer::Null) => return Ok(None),
        Ok(WireAnswer::Object(fields)) => fields,
        Ok(WireAnswer::Other(kind)) => {
            return Err(not_connectwise(format!(
                "companyinfo answered {} in JSON instead of an object",
                kind.described()
            )));
        }
        Err(_) => return Err(not_connectwise(describe_non_json(body))),
    };
    let [
        company_name,
        codebase,
        version_code,
        version_number,
        company_id,
        is_cloud,
        site_url,
    ] = fields.values;
    // ConnectWise uses PascalCase; other casings are accepted rather than fail on a proxy's rewrite.
    let codebase = match string_field(FIELDS[1], codebase)? {
        Some(c) => normalise_codebase(&c)?,
        None => {
            return Err(not_connectwise(
                "companyinfo has no Codebase, so this is not ConnectWise Manage",
            ));
        }
    };
    let is_cloud = match is_cloud {
        None | Some(Scalar::Null) => false,
        Some(Scalar::Bool(b)) => b,
        Some(Scalar::Text(s)) if s.trim().eq_ignore_ascii_case("true") => true,
        Some(Scalar::Text(s)) if s.trim().eq_ignore_ascii_case("false") => false,
        Some(other) => {
            return Err(shape_error(format!(
                "IsCloud is {}, expected true/false",
                other.kind().described()
            )));
        }
    };
    let site_url = match string_field(FIELDS[6], site_url)? {
        Some(s) if !s.trim().is_empty() => Some(normalise_site_url(&s)?),
        _ => None,
    };
    Ok(Some(CompanyInfo {
        company_name: string_field(FIELDS[0], company_name)?.unwrap_or_default(),
        codebase,
        version_code: string_field(FIELDS[2], version_code)?,
        version_number: string_field(FIELDS[3], version_number)?,
        company_id: string_field(FIELDS[4], company_id)?.unwrap_or_default(),
        is_cloud,
        site_url,
    }))
}

/// The companyinfo fields cwsetup reads, in the order of [`WireFields::values`].
const FIELDS: [&str; 7] = [
    "CompanyName",
    "Codebase",
    "VersionCode",
    "VersionNumber",
    "CompanyID",
    "IsCloud",
    "SiteUrl",
];

/// The whole answer: `null`, an object (only [`FIELDS`] kept), or the kind of anything else.
enum WireAnswer {
    Null,
    Object(Box<WireFields>),
    Other(JsonKind),
}

#[derive(Default)]
struct WireFields {
    values: [Option<Scalar>; 7],
    /// Whether each value came from a key spelled exactly as [`FIELDS`] does (it then wins over
    /// another casing of the same name).
    exact: [bool; 7],
}

impl<'de> Deserialize<'de> for WireAnswer {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<WireAnswer, D::Error> {
        deserializer.deserialize_any(AnswerVisitor)
    }
}

struct AnswerVisitor;

impl<'de> Visitor<'de> for AnswerVisitor {
    type Value = WireAnswer;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the companyinfo object")
    }
    fn visit_unit<E>(self) -> Result<WireAnswer, E> {
        Ok(WireAnswer::Null)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<WireAnswer, A::Error> {
        let mut fields = WireFields::default();
        while let Some(key) = map.next_key::<FieldKey>()? {
            match key {
                FieldKey::Known(i, exact) if exact || !fields.exact[i] => {
                    fields.values[i] = Some(map.next_value::<Scalar>()?);
                    fields.exact[i] = exact;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(WireAnswer::Object(Box::new(fields)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<WireAnswer, A::Error> {
        crate::cw::wire::skip_seq(seq)?;
        Ok(WireAnswer::Other(JsonKind::Array))
    }
    fn visit_bool<E>(self, _: bool) -> Result<WireAnswer, E> {
        Ok(WireAnswer::Other(JsonKind::Bool))
    }
    fn visit_i64<E>(self, _: i64) -> Result<WireAnswer, E> {
        Ok(WireAnswer::Other(JsonKind::Number))
    }
    fn visit_u64<E>(self, _: u64) -> Result<WireAnswer, E> {
        Ok(WireAnswer::Other(JsonKind::Number))
    }
    fn visit_f64<E>(self, _: f64) -> Result<WireAnswer, E> {
        Ok(WireAnswer::Other(JsonKind::Number))
    }
    fn visit_str<E>(self, _: &str) -> Result<WireAnswer, E> {
        Ok(WireAnswer::Other(JsonKind::String))
    }
}

/// A key of the answer: one of [`FIELDS`] in any casing (and whether exactly), or another,
/// which is compared without being copied.
enum FieldKey {
    Known(usize, bool),
    Other,
}

impl<'de> Deserialize<'de> for FieldKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<FieldKey, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = FieldKey;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E>(self, key: &str) -> Result<FieldKey, E> {
                Ok(FIELDS
                    .iter()
                    .position(|name| name.eq_ignore_ascii_case(key))
                    .map_or(FieldKey::Other, |i| FieldKey::Known(i, FIELDS[i] == key)))
            }
        }
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

fn string_field(name: &str, value: Option<Scalar>) -> Result<Option<String>, CwError> {
    match value {
        None | Some(Scalar::Null) => Ok(None),
        Some(Scalar::Text(s)) => Ok(Some(clean_text(&s))),
        Some(other) => Err(shape_error(format!(
            "{name} is {}, expected a string",
            other.kind().described()
        ))),
    }
}

/// The codebase becomes part of every URL path, so only a plain path segment is accepted.
fn normalise_codebase(raw: &str) -> Result<String, CwError> {
    let trimmed = raw.trim().trim_matches('/');
    let valid = !trimmed.is_empty()
        && trimmed.len() <= 64
        && trimmed
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
        && trimmed != "."
        && trimmed != "..";
    if !valid {
        return Err(shape_error(format!(
            "Codebase \"{}\" is not a path segment like v2025_1/",
            clean_text(raw)
        )));
    }
    Ok(format!("{trimmed}/"))
}

/// `SiteUrl` is a bare host (`api-na.myconnectwise.net`); tolerate a scheme, port or slash.
fn normalise_site_url(raw: &str) -> Result<String, CwError> {
    let trimmed = raw.trim();
    let without_scheme = trimmed
        .split_once("://")
        .map(|(_, rest)| rest)
        .unwrap_or(trimmed);
    let authority = without_scheme
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let valid = url::Url::parse(&format!("https://{authority}/"))
        .ok()
        .filter(|u| u.host_str().is_some() && u.username().is_empty() && u.password().is_none())
        .is_some();
    if !valid || authority.is_empty() {
        return Err(shape_error(format!(
            "SiteUrl \"{}\" is not a host name",
            clean_text(raw)
        )));
    }
    Ok(authority)
}

/// A short description of a body that is not JSON, for NotConnectWise.
pub(crate) fn describe_non_json(body: &[u8]) -> String {
    let head = String::from_utf8_lossy(&body[..body.len().min(512)]).to_ascii_lowercase();
    let start = head.trim_start();
    if start.is_empty() {
        "it answered an empty body instead of JSON".to_string()
    } else if start.starts_with("<!doctype html")
        || start.starts_with("<html")
        || head.contains("<body")
    {
        "it answered an HTML page instead of JSON".to_string()
    } else if start.starts_with('<') {
        "it answered XML/HTML instead of JSON".to_string()
    } else {
        "it answered something that is not JSON".to_string()
    }
}

/// `{scheme}://{apiHost}/{Codebase}apis/3.0/`.
///
/// apiHost is `SiteUrl` when present, else the `api-` host for cloud, else the site host. The
/// scheme is the site's. A loopback site (the simulator) never lets `SiteUrl` send it elsewhere.
pub fn api_base(site: &Site, info: &CompanyInfo) -> url::Url {
    let mut url = site.origin_url();
    let site_url = info
        .site_url
        .as_deref()
        .filter(|s| !site.is_loopback() || authority_is_loopback(s));
    match site_url {
        Some(authority) => {
            let (host, port) = split_authority(authority);
            // A SiteUrl that does not fit a URL was refused by parse_company_info; keep the site host.
            if url.set_host(Some(host)).is_ok()
                && let Some(port) = port
            {
                let _ = url.set_port(Some(port));
            }
        }
        None if info.is_cloud && !site.is_loopback() && !site.host().starts_with("api-") => {
            let api_host = format!("api-{}", site.host());
            let _ = url.set_host(Some(&api_host));
        }
        None => {}
    }
    url.set_path(&format!("/{}apis/3.0/", info.codebase));
    url.set_query(None);
    url
}

/// `SiteUrl` may move the API to another host, and the keys follow it. Accepted: for a cloud
/// region's site, that region's API host only; for a self-hosted site, the same host or one in
/// the same registered domain (`api.example.co.uk` for `cw.example.co.uk`). A loopback site (the
/// simulator) never follows a remote `SiteUrl` (see [`api_base`]), so it is not judged here.
pub fn check_site_url(site: &Site, info: &CompanyInfo) -> Result<(), CwError> {
    let Some(authority) = info.site_url.as_deref() else {
        return Ok(());
    };
    if site.is_loopback() {
        return Ok(());
    }
    let (host, port) = split_authority(authority);
    let host = host.trim_end_matches('.');
    let refused = |expected: Option<String>| CwError::SiteUrlElsewhere {
        site: site.host().to_string(),
        site_url: clean_text(authority),
        expected,
    };
    match site.region() {
        Some(region) => {
            let default_port = port.is_none_or(|p| p == 443);
            if host == region.api_host() && default_port {
                Ok(())
            } else {
                Err(refused(Some(region.api_host().to_string())))
            }
        }
        None if host == site.host() => Ok(()),
        None => match (registered_domain(host), registered_domain(site.host())) {
            (Some(a), Some(b)) if a == b => Ok(()),
            _ => Err(refused(None)),
        },
    }
}

/// Second-level labels under which country domains register names (`example.co.uk`,
/// `example.com.au`): a small public-suffix rule, enough to keep `co.uk` from being one domain.
const SECOND_LEVEL: &[&str] = &[
    "co", "com", "net", "org", "gov", "ac", "edu", "ltd", "plc", "sch", "nhs", "gen", "biz",
    "info", "or", "ne", "go", "id", "nom", "asn", "web",
];

/// The registrable domain of a host name (`example.com` for `cw.example.com`, `example.co.uk`
/// for `cw.example.co.uk`); `None` for an IP address or a name too short to have one.
fn registered_domain(host: &str) -> Option<String> {
    if host.starts_with('[') || host.parse::<std::net::Ipv4Addr>().is_ok() {
        return None;
    }
    let labels: Vec<&str> = host.split('.').collect();
    let n = labels.len();
    if n < 2 || labels.iter().any(|l| l.is_empty()) {
        return None;
    }
    let country_second_level = labels[n - 1].len() == 2 && SECOND_LEVEL.contains(&labels[n - 2]);
    let keep = if country_second_level { 3 } else { 2 };
    (n >= keep).then(|| labels[n - keep..].join("."))
}

fn split_authority(authority: &str) -> (&str, Option<u16>) {
    if authority.starts_with('[') {
        return match authority.rsplit_once("]:") {
            Some((host, port)) => (&authority[..host.len() + 1], port.parse().ok()),
            None => (authority, None),
        };
    }
    match authority.rsplit_once(':') {
        Some((host, port)) => match port.parse() {
            Ok(p) => (host, Some(p)),
            Err(_) => (authority, None),
        },
        None => (authority, None),
    }
}

fn authority_is_loopback(authority: &str) -> bool {
    let (host, _) = split_authority(authority);
    Site::parse(&format!("http://{host}/")).is_ok_and(|s| s.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(body: &str) -> CompanyInfo {
        match parse_company_info(body.as_bytes()) {
            Ok(Some(info)) => info,
            other => panic!("not parsed: {other:?}"),
        }
    }

    const DEVELOPER_GUIDE: &str = r#"{
   "CompanyName": "ConnectWise",
   "Codebase": "v2017_3/",
   "VersionCode": "v2017.3",
   "VersionNumber": "v4.6.38842",
   "CompanyID": "CW",
   "IsCloud": "True"
}"#;

    const CLOUD_NA: &str = r#"{"CompanyName":"ConnectWise","Codebase":"v2020_4/","VersionCode":"v2020.4",
        "VersionNumber":"v4.6.77997","CompanyID":"CW","IsCloud":true,"SiteUrl":"api-na.myconnectwise.net",
        "AllowedOrigins":["*.connectwisedev.com","*.myconnectwise.net"]}"#;

    #[test]
    fn is_cloud_as_the_string_true() {
        let info = parse(DEVELOPER_GUIDE);
        assert!(info.is_cloud);
        assert_eq!(info.codebase, "v2017_3/");
        assert_eq!(info.company_name, "ConnectWise");
        assert_eq!(info.company_id, "CW");
        assert_eq!(info.version_code.as_deref(), Some("v2017.3"));
        assert_eq!(info.version_number.as_deref(), Some("v4.6.38842"));
        assert_eq!(info.site_url, None);
        assert!(!parse(&DEVELOPER_GUIDE.replace("\"True\"", "\"False\"")).is_cloud);
    }

    #[test]
    fn is_cloud_as_a_boolean_with_site_url() {
        let info = parse(CLOUD_NA);
        assert!(info.is_cloud);
        assert_eq!(info.site_url.as_deref(), Some("api-na.myconnectwise.net"));
        let fixture = r#"{"CompanyName":"foobar","Codebase":"v2017_3/","VersionCode":"v2017.3","VersionNumber":"v4.6.47174","CompanyID":"CW","IsCloud":false}"#;
        assert!(!parse(fixture).is_cloud);
    }

    #[test]
    fn null_means_the_company_was_not_found() {
        assert_eq!(parse_company_info(b"null"), Ok(None));
        assert_eq!(parse_company_info(b"  null\r\n"), Ok(None));
    }

    #[test]
    fn html_is_not_connectwise() {
        let err = parse_company_info(b"<!DOCTYPE html><html><body>Welcome</body></html>")
            .expect_err("HTML is refused");
        assert_eq!(err.kind(), "not_connectwise");
        assert!(err.to_string().contains("HTML"), "{err}");
        for body in [
            &b""[..],
            b"Unexpected token <",
            b"[1,2]",
            b"42",
            br#"{"foo":1}"#,
        ] {
            let err = parse_company_info(body).expect_err("refused");
            assert_eq!(
                err.kind(),
                "not_connectwise",
                "{:?}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn wrong_types_are_unexpected_responses() {
        for body in [
            r#"{"Codebase":"v1/","IsCloud":3}"#,
            r#"{"Codebase":"v1/","CompanyName":7}"#,
            r#"{"Codebase":"../../evil/"}"#,
            r#"{"Codebase":"v1/?x=1"}"#,
            r#"{"Codebase":"v1/","SiteUrl":"not a host"}"#,
            r#"{"Codebase":"v1/","SiteUrl":"https://user@evil.example/"}"#,
        ] {
            let err = parse_company_info(body.as_bytes()).expect_err("refused");
            assert_eq!(err.kind(), "unexpected_response", "{body}: {err}");
        }
    }

    #[test]
    fn codebase_gets_its_trailing_slash_and_site_url_is_normalised() {
        let info = parse(
            r#"{"Codebase":"v2025_1","SiteUrl":"https://API-EU.myconnectwise.net/","IsCloud":null}"#,
        );
        assert_eq!(info.codebase, "v2025_1/");
        assert_eq!(info.site_url.as_deref(), Some("api-eu.myconnectwise.net"));
        assert!(!info.is_cloud);
        assert_eq!(info.company_name, "");
        let lower = parse(r#"{"codebase":"v4_6_release/","isCloud":"true"}"#);
        assert_eq!(lower.codebase, "v4_6_release/");
        assert!(lower.is_cloud);
    }

    fn info(codebase: &str, is_cloud: bool, site_url: Option<&str>) -> CompanyInfo {
        CompanyInfo {
            company_name: "Contoso".into(),
            codebase: codebase.into(),
            version_code: None,
            version_number: None,
            company_id: "contoso".into(),
            is_cloud,
            site_url: site_url.map(str::to_string),
        }
    }

    fn site(s: &str) -> Site {
        Site::parse(s).expect("valid site")
    }

    #[test]
    fn api_base_uses_site_url_when_present() {
        let base = api_base(
            &site("na"),
            &info("v2025_1/", true, Some("api-na.myconnectwise.net")),
        );
        assert_eq!(
            base.as_str(),
            "https://api-na.myconnectwise.net/v2025_1/apis/3.0/"
        );
    }

    #[test]
    fn api_base_adds_the_api_prefix_for_cloud_without_site_url() {
        let base = api_base(&site("eu.myconnectwise.net"), &info("v2025_1/", true, None));
        assert_eq!(
            base.as_str(),
            "https://api-eu.myconnectwise.net/v2025_1/apis/3.0/"
        );
    }

    #[test]
    fn api_base_keeps_the_self_hosted_host_and_port() {
        let base = api_base(
            &site("cw.example.com:8443"),
            &info("v4_6_release/", false, None),
        );
        assert_eq!(
            base.as_str(),
            "https://cw.example.com:8443/v4_6_release/apis/3.0/"
        );
    }

    #[test]
    fn api_base_keeps_http_for_loopback_and_ignores_a_remote_site_url() {
        let sim = site("http://127.0.0.1:4567");
        let base = api_base(
            &sim,
            &info("v2025_1/", true, Some("api-na.myconnectwise.net")),
        );
        assert_eq!(base.as_str(), "http://127.0.0.1:4567/v2025_1/apis/3.0/");
        let base = api_base(&sim, &info("v2025_1/", true, Some("127.0.0.1:4999")));
        assert_eq!(base.as_str(), "http://127.0.0.1:4999/v2025_1/apis/3.0/");
        let base = api_base(&sim, &info("v2025_1/", false, None));
        assert_eq!(base.as_str(), "http://127.0.0.1:4567/v2025_1/apis/3.0/");
    }

    #[test]
    fn site_url_is_held_to_the_region_or_the_registered_domain() {
        let judged = |s: &str, url: &str| check_site_url(&site(s), &info("v1/", true, Some(url)));
        assert_eq!(judged("na", "api-na.myconnectwise.net"), Ok(()));
        assert_eq!(
            judged("eu.myconnectwise.net", "api-eu.myconnectwise.net:443"),
            Ok(())
        );
        let err = judged("na", "api-eu.myconnectwise.net").expect_err("another region");
        assert_eq!(err.kind(), "site_url_elsewhere");
        let text = format!("{err} {}", err.fix());
        for name in [
            "na.myconnectwise.net",
            "api-eu.myconnectwise.net",
            "api-na.myconnectwise.net",
        ] {
            assert!(text.contains(name), "{name}: {text}");
        }
        assert!(judged("na", "evil.example").is_err());
        assert!(judged("na", "api-na.myconnectwise.net:8443").is_err());
        // Self-hosted: the same host, or the same registered domain.
        assert_eq!(judged("cw.example.com", "cw.example.com:8443"), Ok(()));
        assert_eq!(judged("cw.example.com", "api.example.com"), Ok(()));
        assert_eq!(judged("cw.example.co.uk", "api.example.co.uk"), Ok(()));
        assert!(
            judged("cw.example.co.uk", "api.other.co.uk").is_err(),
            "co.uk is no domain"
        );
        assert!(judged("cw.example.com", "example.com.evil.net").is_err());
        assert!(judged("cw.example.com", "api.example.net").is_err());
        assert!(judged("10.0.0.5", "10.0.0.6").is_err());
        assert_eq!(judged("10.0.0.5", "10.0.0.5"), Ok(()));
        // No SiteUrl, or a loopback site: nothing to judge.
        assert_eq!(
            check_site_url(&site("cw.example.com"), &info("v1/", false, None)),
            Ok(())
        );
        assert_eq!(
            judged("http://127.0.0.1:4567", "api-na.myconnectwise.net"),
            Ok(())
        );
    }

    #[test]
    fn api_base_with_a_site_url_port() {
        let base = api_base(
            &site("cw.example.com"),
            &info("v4_6_release/", false, Some("api.example.com:8443")),
        );
        assert_eq!(
            base.as_str(),
            "https://api.example.com:8443/v4_6_release/apis/3.0/"
        );
    }
}

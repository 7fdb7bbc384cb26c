//! The fuzz targets' properties (fuzz/fuzz_targets/*.rs) as proptests, so that CI checks them on
//! every run: the sanitizer, the site parser, the companyinfo parser, the error-body parser and
//! the profile parser. Each property runs at most 256 cases; the file takes a few seconds.
//!
//! The fuzz targets explore far more inputs; these generators aim at the interesting shapes
//! (pasted keys, URLs, companyinfo objects, edited profiles) and keep the fuzzers' finds as
//! regression cases at the end.

use cwsetup::cw::error::clean_text;
use cwsetup::cw::{CompanyInfo, CwError, ErrorBody, Region, Scheme, Site, SiteError};
use cwsetup::cw::{api_base, parse_company_info};
use cwsetup::profile::{self, ProfileError};
use cwsetup::sanitize::{FieldKind, is_invisible, key_warnings, sanitize, sanitize_secret_into};
use cwsetup::secret::Secret;
use proptest::prelude::*;
use serde_json::{Value, json};

const KINDS: [FieldKind; 6] = [
    FieldKind::PublicKey,
    FieldKind::PrivateKey,
    FieldKind::CompanyId,
    FieldKind::MemberId,
    FieldKind::ClientId,
    FieldKind::Site,
];

const QUOTE_PAIRS: [(char, char); 5] =
    [('"', '"'), ('\'', '\''), ('`', '`'), ('“', '”'), ('‘', '’')];

/// Every invisible character the sanitizer names, plus one it only knows as white space.
const INVISIBLES: [char; 12] = [
    ' ', '\t', '\n', '\r', '\u{a0}', '\u{202f}', '\u{200b}', '\u{200c}', '\u{200d}', '\u{2060}',
    '\u{feff}', '\u{3000}',
];

fn no_control(s: &str) -> bool {
    !s.chars().any(char::is_control)
}

/// What `clean_text` promises for a non-empty text.
fn clean(s: &str) -> bool {
    !s.is_empty() && no_control(s) && s.trim() == s && s.chars().count() <= 301
}

fn quoted(s: &str) -> bool {
    s.chars().count() >= 2
        && QUOTE_PAIRS
            .iter()
            .any(|(o, c)| s.starts_with(*o) && s.ends_with(*c))
}

fn cases(n: u32) -> ProptestConfig {
    ProptestConfig {
        cases: n,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Sanitizer

fn pasted() -> impl Strategy<Value = String> {
    let mut alphabet: Vec<char> = INVISIBLES.to_vec();
    alphabet.extend("aZ09-_.:/\"'`“”‘’é€\u{1}".chars());
    prop::collection::vec(prop::sample::select(alphabet), 0..40)
        .prop_map(|chars| chars.into_iter().collect())
}

fn check_sanitize(kind: FieldKind, input: &str) -> Result<(), TestCaseError> {
    let is_key = matches!(kind, FieldKind::PublicKey | FieldKind::PrivateKey);
    let s = sanitize(kind, input);
    let value = s.value.as_str();
    prop_assert!(!value.starts_with(is_invisible), "{:?}", value);
    prop_assert!(!value.ends_with(is_invisible), "{:?}", value);
    if is_key {
        prop_assert!(!value.chars().any(is_invisible), "{:?}", value);
    } else {
        prop_assert!(input.contains(value));
    }
    // The report counts add up (a pair of quotes counts 2).
    prop_assert_eq!(
        s.removed.total(),
        input.chars().count() - value.chars().count()
    );
    prop_assert_eq!(s.removed.is_empty(), value == input);
    prop_assert_eq!(
        s.removed.to_string() == "nothing removed",
        s.removed.is_empty()
    );
    // Idempotent, except that a key loses one pair of quotes per pass (by design).
    let again = sanitize(kind, value);
    if is_key && quoted(value) {
        prop_assert_eq!(again.removed.to_string(), "removed a pair of quotes");
    } else {
        prop_assert_eq!(again.value.as_str(), value);
        prop_assert!(again.removed.is_empty());
    }
    // The Secret path gives exactly the same key and report.
    let mut secret = Secret::new();
    let removed = sanitize_secret_into(kind, input, &mut secret).expect("short input fits");
    prop_assert_eq!(secret.expose(), value);
    prop_assert_eq!(removed, s.removed);
    Ok(())
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn sanitize_is_clean_counted_and_idempotent(kind in prop::sample::select(KINDS.to_vec()), input in pasted()) {
        check_sanitize(kind, &input)?;
    }

    #[test]
    fn a_padded_key_comes_back_exactly(
        key in "[A-Za-z0-9]{16}",
        before in prop::collection::vec(prop::sample::select(INVISIBLES.to_vec()), 0..5),
        after in prop::collection::vec(prop::sample::select(INVISIBLES.to_vec()), 0..5),
        quote in prop::option::of(prop::sample::select(QUOTE_PAIRS.to_vec())),
        private in any::<bool>(),
    ) {
        let kind = if private { FieldKind::PrivateKey } else { FieldKind::PublicKey };
        let (open, close) = quote.map_or((String::new(), String::new()), |(o, c)| (o.to_string(), c.to_string()));
        let input: String = before.iter().collect::<String>() + &open + &key + &close + &after.iter().collect::<String>();
        let s = sanitize(kind, &input);
        prop_assert_eq!(&s.value, &key);
        prop_assert_eq!(s.removed.total(), before.len() + after.len() + if quote.is_some() { 2 } else { 0 });
        prop_assert!(key_warnings(&s.value).is_empty());
        check_sanitize(kind, &input)?;
    }
}

// ---------------------------------------------------------------------------------------------
// The display sanitizer

/// Text a hostile server or profile might send: escapes, C1 controls, bidi characters, Markdown
/// and HTML punctuation, and plain letters.
fn hostile() -> impl Strategy<Value = String> {
    let mut alphabet: Vec<char> = "aZ09 ]\\[;<>&|*_`~#\"é€\n\r\t".chars().collect();
    alphabet.extend([
        '\u{0}', '\u{7}', '\u{1b}', '\u{7f}', '\u{85}', '\u{9b}', '\u{9c}', '\u{202a}', '\u{202e}',
        '\u{2066}', '\u{2069}', '\u{200e}', '\u{061c}', '\u{2028}',
    ]);
    prop::collection::vec(prop::sample::select(alphabet), 0..60)
        .prop_map(|chars| chars.into_iter().collect())
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn display_text_is_safe_idempotent_and_one_for_one(input in hostile()) {
        use cwsetup::sanitize::{display_lines, display_text, is_display_unsafe, json_for_terminal, markdown_text};
        let shown = display_text(&input);
        prop_assert!(!shown.chars().any(is_display_unsafe), "{:?}", shown);
        prop_assert_eq!(shown.chars().count(), input.chars().count(), "nothing hidden, nothing added");
        prop_assert_eq!(display_text(&shown), shown.clone());
        let lines = display_lines(&input);
        prop_assert!(!lines.chars().any(|c| c != '\n' && is_display_unsafe(c)));
        let md = markdown_text(&input);
        prop_assert!(!md.chars().any(is_display_unsafe) && !md.contains('<'), "{:?}", md);
        let json = serde_json::to_string_pretty(&json!({"name": input})).expect("json");
        let safe = json_for_terminal(&json);
        prop_assert!(!safe.chars().any(|c| c != '\n' && is_display_unsafe(c)), "{:?}", safe);
        prop_assert_eq!(serde_json::from_str::<Value>(&safe).expect("json"), json!({"name": input}));
    }
}

// ---------------------------------------------------------------------------------------------
// Site parser

/// What every accepted site promises, and that its origin parses back to it.
fn check_site(input: &str) -> Result<Option<Site>, TestCaseError> {
    let site = match Site::parse(input) {
        Ok(site) => site,
        Err(err) => {
            prop_assert!(no_control(&err.to_string()), "{:?}", err.to_string());
            prop_assert!(!err.fix().is_empty());
            return Ok(None);
        }
    };
    let host = site.host();
    prop_assert!(!host.is_empty());
    prop_assert!(
        host.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b".-[]:".contains(&b)),
        "{:?}",
        host
    );
    if site.scheme() == Scheme::Http {
        prop_assert!(site.is_loopback());
    }
    let origin = site.origin();
    prop_assert_eq!(site.to_string(), origin.clone());
    prop_assert_eq!(Site::parse(&origin), Ok(site.clone()));
    // origin_url() must not panic, and names the same host and port.
    let url = site.origin_url();
    prop_assert_eq!(url.scheme(), site.scheme().as_str());
    prop_assert_eq!(url.port(), site.port());
    if !host.starts_with('[') {
        prop_assert_eq!(url.host_str(), Some(host));
    }
    prop_assert_eq!(Site::parse(url.as_str()), Ok(site.clone()));
    prop_assert_eq!(Site::parse(&input.to_ascii_uppercase()), Ok(site.clone()));
    Ok(Some(site))
}

fn label() -> impl Strategy<Value = String> {
    // No `--`, so no `xn--` (punycode) label, which has rules of its own.
    "[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?".prop_filter("no --", |l| !l.contains("--"))
}

fn domain() -> impl Strategy<Value = String> {
    (prop::collection::vec(label(), 1..4), "[a-z]{2,6}")
        .prop_map(|(labels, tld)| format!("{}.{tld}", labels.join(".")))
}

fn url_like() -> impl Strategy<Value = String> {
    let scheme = prop::sample::select(vec!["", "https://", "http://", "HTTPS://", "ftp://"]);
    let host = prop_oneof![
        domain(),
        Just("localhost".to_string()),
        Just("[::1]".to_string()),
        (any::<u8>(), any::<u8>()).prop_map(|(a, b)| format!("{a}.0.{b}.1")),
        "[a-z0-9.:\\[\\]-]{1,12}",
        prop::sample::select(Region::all().to_vec()).prop_map(|r| r.shorthand().to_string()),
    ];
    let port = prop::option::of(prop_oneof![Just(0u32), 1u32..70000]);
    let tail = prop::sample::select(vec![
        "",
        "/",
        "/v4_6_release/ConnectWise.aspx?x=1",
        "#f",
        "?q",
    ]);
    (scheme, host, port, tail).prop_map(|(s, h, p, t)| match p {
        Some(p) => format!("{s}{h}:{p}{t}"),
        None => format!("{s}{h}{t}"),
    })
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn any_text_parses_or_is_refused_cleanly(input in "\\PC{0,40}") {
        check_site(&input)?;
    }

    #[test]
    fn url_like_input_round_trips(input in url_like()) {
        check_site(&input)?;
    }

    #[test]
    fn a_self_hosted_domain_keeps_its_host_and_port(host in domain(), port in 1u16..=65535, upper in any::<bool>()) {
        let typed = if upper { host.to_ascii_uppercase() } else { host.clone() };
        let site = check_site(&format!("{typed}:{port}/v4_6_release/"))?;
        let site = site.expect("a plain domain is a site");
        // The API host of a region is normalised to its login host.
        let want = Region::from_host(&host).map_or(host.as_str(), |r| r.login_host());
        prop_assert_eq!(site.host(), want);
        prop_assert_eq!(site.port(), (port != 443).then_some(port));
        prop_assert_eq!(site.scheme(), Scheme::Https);
    }
}

// ---------------------------------------------------------------------------------------------
// Companyinfo parser and api_base

fn json_scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(|n| json!(n)),
        "\\PC{0,12}".prop_map(Value::String),
        prop::sample::select(vec!["True", "false", " TRUE ", "yes", "", "\u{1b}[2J"])
            .prop_map(|s| json!(s)),
    ]
}

fn codebase() -> impl Strategy<Value = Value> {
    prop_oneof![
        "v20[0-9]{2}_[0-9]/?".prop_map(Value::String),
        prop::sample::select(vec![
            "v4_6_release/",
            "/v1/",
            "..",
            "../../evil/",
            "v1/?x=1",
            "",
            " ",
            "a b",
            ".",
            "v1.2-x",
        ])
        .prop_map(|s| json!(s)),
        json_scalar(),
    ]
}

fn site_url() -> impl Strategy<Value = Value> {
    prop_oneof![
        domain().prop_map(|d| json!(format!("api-{d}"))),
        prop::sample::select(vec![
            "https://API-EU.myconnectwise.net/",
            "127.0.0.1:4999",
            "[::1]:9",
            "api.example.com:8443",
            "not a host",
            "https://user@evil.example/",
            "@evil.example",
            "http://",
            "a.1",
            ":80",
        ])
        .prop_map(|s| json!(s)),
        json_scalar(),
    ]
}

fn companyinfo_body() -> impl Strategy<Value = Vec<u8>> {
    let object = (
        prop::option::of(codebase()),
        prop::option::of(json_scalar()),
        prop::option::of(site_url()),
        prop::option::of(json_scalar()),
        prop::option::of(json_scalar()),
        any::<bool>(),
    )
        .prop_map(|(codebase, is_cloud, site_url, name, id, lower)| {
            let mut o = serde_json::Map::new();
            let key = |k: &str| {
                if lower {
                    k.to_ascii_lowercase()
                } else {
                    k.to_string()
                }
            };
            for (k, v) in [
                ("Codebase", codebase),
                ("IsCloud", is_cloud),
                ("SiteUrl", site_url),
                ("CompanyName", name),
                ("CompanyID", id),
            ] {
                if let Some(v) = v {
                    o.insert(key(k), v);
                }
            }
            serde_json::to_vec(&Value::Object(o)).expect("serializes")
        });
    prop_oneof![
        8 => object,
        1 => json_scalar().prop_map(|v| serde_json::to_vec(&v).expect("serializes")),
        1 => prop::collection::vec(any::<u8>(), 0..32),
    ]
}

fn check_company_info(site: &Site, body: &[u8]) -> Result<(), TestCaseError> {
    let info = match parse_company_info(body) {
        Ok(Some(info)) => info,
        Ok(None) => {
            let value: Value = serde_json::from_slice(body).expect("null is JSON");
            prop_assert!(value.is_null());
            return Ok(());
        }
        Err(err) => {
            prop_assert!(
                matches!(err.kind(), "not_connectwise" | "unexpected_response"),
                "{:?}",
                err
            );
            prop_assert!(no_control(&err.to_string()), "{:?}", err.to_string());
            return Ok(());
        }
    };
    let segment = info.codebase.strip_suffix('/').expect("codebase ends in /");
    prop_assert!(!segment.is_empty() && segment != "." && segment != "..");
    prop_assert!(
        segment
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b))
    );
    for text in [&info.company_name, &info.company_id] {
        prop_assert!(text.is_empty() || clean(text), "{:?}", text);
    }
    check_api_base(site, &info)
}

fn check_api_base(site: &Site, info: &CompanyInfo) -> Result<(), TestCaseError> {
    let base = api_base(site, info);
    prop_assert_eq!(base.scheme(), site.scheme().as_str());
    prop_assert_eq!(base.path(), format!("/{}apis/3.0/", info.codebase));
    prop_assert_eq!(base.query(), None);
    prop_assert!(base.username().is_empty() && base.password().is_none());
    if site.is_loopback() {
        // A SiteUrl never sends the simulator's traffic off this computer.
        let host = base.host_str().expect("an http URL has a host");
        let back = Site::parse(&format!("http://{host}/")).expect("a loopback host is a site");
        prop_assert!(back.is_loopback(), "{} from {}", base, site);
    }
    if info.site_url.is_none() && !info.is_cloud {
        prop_assert_eq!(base.origin(), site.origin_url().origin());
    }
    Ok(())
}

fn some_site() -> impl Strategy<Value = Site> {
    prop::sample::select(vec![
        "na",
        "eu.myconnectwise.net",
        "api-au.myconnectwise.net",
        "cw.example.com:8443",
        "http://127.0.0.1:4567",
        "http://[::1]:8080",
        "localhost:3000",
    ])
    .prop_map(|s| Site::parse(s).expect("valid site"))
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn companyinfo_answers_are_judged_and_api_base_is_sound(site in some_site(), body in companyinfo_body()) {
        check_company_info(&site, &body)?;
    }
}

// ---------------------------------------------------------------------------------------------
// Error-body parser

fn json_value() -> impl Strategy<Value = Value> {
    json_scalar().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "code", "message", "error", "errors", "resource", "field", "x"
                ])
                .prop_map(str::to_string),
                inner,
                0..5
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn check_error_body(body: &[u8]) -> Result<(), TestCaseError> {
    let parsed = ErrorBody::parse(body);
    let value = serde_json::from_slice::<Value>(body).ok();
    prop_assert_eq!(
        parsed.is_some(),
        value.as_ref().is_some_and(Value::is_object)
    );
    let Some(parsed) = parsed else {
        return Ok(());
    };
    let texts = [&parsed.code, &parsed.message].into_iter().chain(
        parsed
            .errors
            .iter()
            .flat_map(|d| [&d.code, &d.message, &d.resource, &d.field]),
    );
    for text in texts.flatten() {
        prop_assert!(clean(text), "{:?}", text);
    }
    let objects = value
        .as_ref()
        .and_then(|v| v.get("errors"))
        .and_then(Value::as_array)
        .map_or(0, |a| a.iter().filter(|i| i.is_object()).count());
    prop_assert_eq!(parsed.errors.len(), objects);
    let summary = parsed.summary();
    let first = parsed.errors.first().and_then(|d| d.message.clone());
    prop_assert_eq!(
        summary.is_none(),
        parsed.message.is_none() && first.is_none()
    );
    if let (Some(summary), Some(message)) = (&summary, &parsed.message) {
        prop_assert!(summary.starts_with(message.as_str()));
    }
    // The errors built from a body are one line.
    for err in [
        CwError::BadRequest {
            endpoint: "company/companies".into(),
            code: parsed.code.clone(),
            message: summary.clone(),
        },
        CwError::Server {
            host: "h".into(),
            endpoint: "system/info".into(),
            status: 503,
            code: parsed.code.clone(),
            message: parsed.message.clone(),
        },
    ] {
        prop_assert!(no_control(&err.to_string()), "{:?}", err.to_string());
    }
    Ok(())
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn error_bodies_give_clean_fields(value in json_value()) {
        check_error_body(&serde_json::to_vec(&value).expect("serializes"))?;
    }

    #[test]
    fn any_bytes_are_an_error_body_or_none(body in prop::collection::vec(any::<u8>(), 0..64)) {
        check_error_body(&body)?;
    }

    #[test]
    fn clean_text_is_clean_and_idempotent(text in "\\PC{0,40}|[\\x00-\\x1f ]{0,8}x{0,400}") {
        let once = clean_text(&text);
        prop_assert!(once.is_empty() || clean(&once), "{:?}", once);
        prop_assert_eq!(clean_text(&once), once);
    }
}

// ---------------------------------------------------------------------------------------------
// Profile parser

/// The line and column lie in `text`; column 0 is serde_json's "before the line's first
/// character" (an early end of file right after a newline).
fn inside(text: &str, line: usize, column: usize) -> bool {
    let lines: Vec<&str> = text.split('\n').collect();
    line >= 1 && line <= lines.len() && column <= lines[line - 1].len() + 1
}

fn check_profile(text: &str) -> Result<(), TestCaseError> {
    match profile::parse("edited.json", text) {
        Ok(p) => {
            let again = profile::parse("again.json", &p.to_json_pretty()).expect("round trip");
            prop_assert_eq!(again, p);
        }
        Err(ProfileError::Parse { line, column, .. }) => {
            prop_assert!(inside(text, line, column), "{}:{}", line, column);
        }
        Err(ProfileError::Invalid {
            position, field, ..
        }) => {
            let (line, column) = position.expect("validation errors are located");
            prop_assert!(line >= 1 && column >= 1);
            prop_assert!(
                inside(text, line, column),
                "{}:{} for {}",
                line,
                column,
                field
            );
        }
        Err(other) => prop_assert!(false, "unexpected {:?}", other),
    }
    Ok(())
}

#[derive(Debug, Clone)]
enum Edit {
    Delete { at: usize, len: usize },
    Insert { at: usize, text: String },
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 1usize..40).prop_map(|(at, len)| Edit::Delete { at, len }),
        (
            any::<usize>(),
            prop_oneof![
                prop::sample::select(vec![
                    ",",
                    "{",
                    "}",
                    "[",
                    "]",
                    "\"",
                    ":",
                    "\n",
                    "\"x\": 1,",
                    "\"My\"",
                    "\"\"",
                    "null",
                    "\u{feff}",
                    "é",
                    "\\",
                    " \"extra\": true,",
                ])
                .prop_map(str::to_string),
                "\\PC{1,4}",
            ],
        )
            .prop_map(|(at, text)| Edit::Insert { at, text }),
    ]
}

/// Applies `edit` to `text` at a character boundary.
fn apply(text: &str, edit: &Edit) -> String {
    let boundary = |at: usize| {
        let mut at = at % (text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    match edit {
        Edit::Delete { at, len } => {
            let start = boundary(*at);
            let end = boundary((start + len).min(text.len()));
            format!("{}{}", &text[..start], &text[end.max(start)..])
        }
        Edit::Insert { at, text: new } => {
            let at = boundary(*at);
            format!("{}{new}{}", &text[..at], &text[at..])
        }
    }
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn edited_profiles_parse_round_trip_or_name_a_place(
        id in prop::sample::select(profile::builtin_ids()),
        edits in prop::collection::vec(edit(), 1..4),
    ) {
        let mut text = profile::find(&id).expect("shipped").to_json_pretty();
        for e in &edits {
            text = apply(&text, e);
        }
        check_profile(&text)?;
    }

    #[test]
    fn any_text_is_a_profile_or_a_located_error(text in "\\PC{0,64}") {
        check_profile(&text)?;
    }
}

// ---------------------------------------------------------------------------------------------
// Regression cases found by the fuzzers (fuzz/README.md)

/// `Site::parse` accepted hosts that the URL parser reads differently: a name ending in a
/// number is IPv4 to it (`foo.1` refused, so `origin_url()` panicked; `0x7f.1` became
/// 127.0.0.1), and `xn--` labels must be valid punycode. The fuzzer's input was the companyinfo
/// site line `htitp7.0.0.1:4567`.
#[test]
fn hosts_the_url_parser_would_read_differently_are_refused() {
    for input in [
        "htitp7.0.0.1:4567",
        "foo.1",
        "cw.example.123",
        "0x7f.1",
        "https://a.0x10/",
        "xn--a.com",
    ] {
        assert!(
            matches!(Site::parse(input), Err(SiteError::InvalidHost { .. })),
            "{input}: {:?}",
            Site::parse(input)
        );
    }
    // Still accepted: digits inside a name, valid punycode, real addresses.
    for input in [
        "cw1.example.com",
        "1password.example.com",
        "xn--bcher-kva.example",
        "bücher.example",
        // Styled letters that map to plain ASCII: found by the property above.
        "a.𝐀A",
        "10.0.0.5",
    ] {
        let site = Site::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(site.origin_url().host_str(), Some(site.host()));
        check_site(input).unwrap_or_else(|e| panic!("{input}: {e}"));
    }
    let body = br#"{"Codebase":"v2025---_1","IsCliteUlr":"127%0.0.1:4999"}"#;
    check_company_info(&Site::parse("http://127.0.0.1:4567").expect("site"), body)
        .expect("companyinfo properties");
}

/// An IPv4-mapped IPv6 address is written `::ffff:127.0.0.1` by the site and `::ffff:7f00:1` by
/// the URL parser: the same site either way.
#[test]
fn an_ipv4_mapped_address_round_trips() {
    let site = check_site("[::ffff:127.0.0.1]:9")
        .expect("site properties")
        .expect("accepted");
    assert_eq!(site.origin(), "https://[::ffff:127.0.0.1]:9");
    assert_eq!(site.origin_url().as_str(), "https://[::ffff:7f00:1]:9/");
}

/// An empty profile is an early end of file at line 1, column 0 (serde_json's column for
/// "before the first character").
#[test]
fn an_empty_profile_is_located_at_line_one() {
    let err = profile::parse("empty.json", "").expect_err("empty");
    let ProfileError::Parse { line, column, .. } = &err else {
        panic!("{err:?}");
    };
    assert_eq!((*line, *column), (1, 0));
    check_profile("").expect("profile properties");
}

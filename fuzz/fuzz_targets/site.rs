//! The site parser: `Site::parse` and everything a parsed site promises.
#![no_main]

use cwsetup::cw::{CwError, Scheme, Site};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let input = input.as_ref();
    let parsed = Site::parse(input);
    // Deterministic, and FromStr is the same parser.
    assert_eq!(parsed, Site::parse(input));
    assert_eq!(parsed, input.parse::<Site>());
    // Surrounding white space never matters.
    assert_eq!(parsed, Site::parse(&format!(" \t{input}\n ")));

    let site = match parsed {
        Ok(site) => site,
        Err(err) => {
            let message = err.to_string();
            assert!(!message.chars().any(char::is_control), "{message:?}");
            assert!(!err.fix().is_empty());
            let wrapped = CwError::from(err).to_string();
            assert!(!wrapped.chars().any(char::is_control), "{wrapped:?}");
            return;
        }
    };

    // What a parsed site promises.
    let host = site.host();
    assert!(!host.is_empty());
    assert!(
        host.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b".-[]:".contains(&b)),
        "{host:?} from {input:?}"
    );
    let default_port = match site.scheme() {
        Scheme::Http => 80,
        Scheme::Https => 443,
    };
    assert_ne!(site.port(), Some(default_port));
    assert_ne!(site.port(), Some(0));
    if site.scheme() == Scheme::Http {
        assert!(site.is_loopback(), "plain http to {host} from {input:?}");
    }
    if let Some(region) = site.region() {
        assert_eq!(host, region.login_host());
        assert_eq!(site.scheme(), Scheme::Https);
    }

    // Display is the origin, which parses back to the same site, as does the origin URL.
    let origin = site.origin();
    assert_eq!(site.to_string(), origin);
    assert_eq!(
        Site::parse(&origin).as_ref(),
        Ok(&site),
        "origin {origin:?}"
    );
    // The URL the client uses names the same host (a URL parser reads `0x7f.1` as 127.0.0.1,
    // and refuses `a.1` or `xn--a.com`, which panicked here before the fix in site.rs). IPv6
    // may be spelled differently (`::ffff:127.0.0.1` vs `::ffff:7f00:1`) but parses the same.
    let url = site.origin_url();
    assert_eq!(url.scheme(), site.scheme().as_str());
    assert_eq!(url.path(), "/");
    assert_eq!(url.port(), site.port());
    if !host.starts_with('[') {
        assert_eq!(url.host_str(), Some(host), "{input:?}");
    }
    assert_eq!(Site::parse(url.as_str()).as_ref(), Ok(&site));
    // Adding a path, query or fragment changes nothing.
    assert_eq!(
        Site::parse(&format!("{origin}/v4_6_release/x?y=1#z")).as_ref(),
        Ok(&site)
    );
    // ASCII case does not matter for anything that was accepted.
    assert_eq!(Site::parse(&input.to_ascii_uppercase()).as_ref(), Ok(&site));
});

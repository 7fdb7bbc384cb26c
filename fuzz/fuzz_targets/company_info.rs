//! The companyinfo parser, `parse_company_info`, and `api_base` on what it accepts.
//!
//! Input: an optional first line naming the site (when it parses as one), then the body.
#![no_main]

use cwsetup::cw::{Region, Site, api_base, parse_company_info};
use libfuzzer_sys::fuzz_target;

fn clean(s: &str) -> bool {
    !s.chars().any(char::is_control) && s.trim() == s && s.chars().count() <= 301
}

fuzz_target!(|data: &[u8]| {
    // The whole input is always tried as a body too, so seeds can be plain JSON.
    check(&Site::cloud(Region::Na), data);
    if let Some(newline) = data.iter().position(|b| *b == b'\n') {
        let (first, body) = (&data[..newline], &data[newline + 1..]);
        if let Ok(site) = Site::parse(&String::from_utf8_lossy(first)) {
            check(&site, body);
        }
    }
});

fn check(site: &Site, body: &[u8]) {
    let result = parse_company_info(body);
    assert_eq!(result, parse_company_info(body), "deterministic");
    let info = match result {
        Ok(Some(info)) => info,
        Ok(None) => {
            // Only a JSON null means "no such company".
            let value: serde_json::Value = serde_json::from_slice(body).expect("null is JSON");
            assert!(value.is_null());
            return;
        }
        Err(err) => {
            assert!(
                matches!(err.kind(), "not_connectwise" | "unexpected_response"),
                "{err:?}"
            );
            let message = err.to_string();
            assert!(!message.chars().any(char::is_control), "{message:?}");
            assert!(!err.fix().is_empty());
            return;
        }
    };

    // What an accepted answer promises.
    let segment = info.codebase.strip_suffix('/').expect("codebase ends in /");
    assert!(
        !segment.is_empty() && segment.len() <= 64,
        "{:?}",
        info.codebase
    );
    assert!(segment != "." && segment != "..");
    assert!(
        segment
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b)),
        "{:?}",
        info.codebase
    );
    for text in [&info.company_name, &info.company_id]
        .into_iter()
        .chain(info.version_code.as_ref())
        .chain(info.version_number.as_ref())
    {
        assert!(clean(text), "{text:?}");
    }
    if let Some(site_url) = &info.site_url {
        assert!(!site_url.is_empty());
        assert_eq!(site_url, &site_url.to_ascii_lowercase());
        // Only the authority is kept. (`@evil.example` is accepted, as the URL parser reads it
        // as an empty user name; api_base then fails to set that host and keeps the site's.)
        assert!(!site_url.contains(['/', '?', '#']), "{site_url:?}");
    }

    // The API base: the site's scheme, the codebase's path, no query; never panics.
    let base = api_base(site, &info);
    assert_eq!(base.scheme(), site.scheme().as_str());
    assert_eq!(base.path(), format!("/{}apis/3.0/", info.codebase));
    assert_eq!(base.query(), None);
    assert_eq!(base.fragment(), None);
    assert!(base.username().is_empty() && base.password().is_none());
    assert!(base.host_str().is_some());
    if site.is_loopback() {
        // A SiteUrl never sends the simulator's traffic off this computer.
        let origin = format!(
            "{}://{}",
            base.scheme(),
            base.host_str().unwrap_or_default()
        );
        let host_site = Site::parse(&origin).expect("a loopback host is a site");
        assert!(host_site.is_loopback(), "{base} from {site}");
    }
    if info.site_url.is_none() && !info.is_cloud {
        assert_eq!(
            base.origin(),
            site.origin_url().origin(),
            "{base} from {site}"
        );
    }
}

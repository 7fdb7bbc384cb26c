//! The error-body parser, `ErrorBody::parse`, and the `CwError`s built from what it returns.
//!
//! Input: the first byte picks the HTTP status family, the rest is the body.
#![no_main]

use cwsetup::cw::error::clean_text;
use cwsetup::cw::{CwError, ErrorBody};
use libfuzzer_sys::fuzz_target;

/// What `clean_text` promises: no control or bidi character, trimmed, at most 300 characters plus an ellipsis.
fn clean(s: &str) -> bool {
    !s.is_empty()
        && !s.chars().any(cwsetup::sanitize::is_display_unsafe)
        && s.trim() == s
        && s.chars().count() <= 301
}

fuzz_target!(|data: &[u8]| {
    let (selector, body) = data.split_first().map_or((0, data), |(s, b)| (*s, b));
    let parsed = ErrorBody::parse(body);
    assert_eq!(parsed, ErrorBody::parse(body), "deterministic");

    // Some exactly for a JSON object.
    let value = serde_json::from_slice::<serde_json::Value>(body).ok();
    assert_eq!(
        parsed.is_some(),
        value.as_ref().is_some_and(|v| v.is_object())
    );

    // clean_text on anything: clean and idempotent.
    let lossy = String::from_utf8_lossy(body);
    let cleaned = clean_text(&lossy);
    assert!(cleaned.is_empty() || clean(&cleaned), "{cleaned:?}");
    assert_eq!(clean_text(&cleaned), cleaned, "clean_text is idempotent");

    let Some(parsed) = parsed else {
        return;
    };
    let texts = [&parsed.code, &parsed.message].into_iter().chain(
        parsed
            .errors
            .iter()
            .flat_map(|d| [&d.code, &d.message, &d.resource, &d.field]),
    );
    for text in texts.flatten() {
        assert!(clean(text), "{text:?}");
    }
    if let Some(array) = value
        .as_ref()
        .and_then(|v| v.get("errors"))
        .and_then(|e| e.as_array())
    {
        assert_eq!(
            parsed.errors.len(),
            array.iter().filter(|i| i.is_object()).count()
        );
    } else {
        assert!(parsed.errors.is_empty());
    }

    // The summary: the message, else the first detail's; never more than both.
    let summary = parsed.summary();
    let first = parsed.errors.first().and_then(|d| d.message.clone());
    assert_eq!(
        summary.is_none(),
        parsed.message.is_none() && first.is_none()
    );
    if let (Some(summary), Some(message)) = (&summary, &parsed.message) {
        assert!(summary.starts_with(message.as_str()));
    }
    if let Some(summary) = &summary {
        assert!(!summary.chars().any(char::is_control));
    }

    // The errors made from a body are one line and always have a next step.
    let endpoint = "company/companies".to_string();
    let host = "https://na.myconnectwise.net".to_string();
    let (code, message) = (parsed.code.clone(), summary.clone());
    let err = match selector % 6 {
        0 => CwError::BadRequest {
            endpoint,
            code,
            message,
        },
        1 => CwError::Unauthorized {
            host,
            company_id: "contoso".into(),
            message,
        },
        2 => CwError::Forbidden {
            endpoint,
            code,
            message,
        },
        3 => CwError::NotFound { endpoint, message },
        4 => CwError::Server {
            host,
            endpoint,
            status: 500 + u16::from(selector % 12),
            code,
            message: parsed.message.clone(),
        },
        _ => CwError::UnexpectedResponse {
            host,
            endpoint,
            detail: clean_text(&lossy),
        },
    };
    let line = err.to_string();
    assert!(!line.chars().any(char::is_control), "{line:?}");
    assert!(err.fix().len() > 30);
    assert!(
        err.kind()
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b == b'_')
    );
});

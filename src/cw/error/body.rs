//! ConnectWise's error body, read leniently, and server text made safe to show.

use serde::Deserialize;

use crate::cw::wire::{MaybeObject, ObjectsOnly, Scalar};

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
    /// `None` when the body is not a JSON object; never fails on odd field types. Read into
    /// typed fields: anything else in the body is skipped as it is read, never stored.
    pub fn parse(body: &[u8]) -> Option<ErrorBody> {
        let wire = serde_json::from_slice::<MaybeObject<WireBody>>(body)
            .ok()?
            .0?;
        let text = |field: Option<Scalar>| field.and_then(text_field);
        let errors = wire
            .errors
            .unwrap_or_default()
            .0
            .into_iter()
            .map(|item| ErrorDetail {
                code: text(item.code),
                message: text(item.message),
                resource: text(item.resource),
                field: text(item.field),
            })
            .collect();
        Some(ErrorBody {
            code: text(wire.code).or_else(|| text(wire.error)),
            message: text(wire.message),
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

fn text_field(value: Scalar) -> Option<String> {
    match value {
        Scalar::Text(s) => Some(clean_text(&s)),
        Scalar::Number(n) => Some(n),
        Scalar::Bool(b) => Some(b.to_string()),
        Scalar::Null | Scalar::Nested(_) => None,
    }
    .filter(|s| !s.is_empty())
}

/// Error details read; the rest are skipped (only the first is ever shown).
const MAX_DETAILS: usize = 16;

/// The wire form of an error body: the fields cwsetup reads, each of any JSON type.
#[derive(Deserialize)]
struct WireBody {
    #[serde(default)]
    code: Option<Scalar>,
    #[serde(default)]
    error: Option<Scalar>,
    #[serde(default)]
    message: Option<Scalar>,
    #[serde(default)]
    errors: Option<ObjectsOnly<WireDetail, MAX_DETAILS>>,
}

#[derive(Deserialize)]
struct WireDetail {
    #[serde(default)]
    code: Option<Scalar>,
    #[serde(default)]
    message: Option<Scalar>,
    #[serde(default)]
    resource: Option<Scalar>,
    #[serde(default)]
    field: Option<Scalar>,
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
}

//! Answers that are not a success: the same-origin redirect policy, a refused redirect, a
//! rate limit and a server error, each turned into the matching error.

use reqwest::header::LOCATION;
use reqwest::redirect;

use super::send::{Answer, retry_after};
use super::{display_url, url_origin};
use crate::cw::error::{CwError, ErrorBody};

/// Same-origin redirects followed before giving up.
const MAX_REDIRECTS: usize = 5;

pub(super) fn same_origin_redirects() -> redirect::Policy {
    redirect::Policy::custom(|attempt| {
        let same_origin = attempt
            .previous()
            .last()
            .is_some_and(|previous| previous.origin() == attempt.url().origin());
        // Stopping hands the 3xx back to `redirect_error`, which names the refused target.
        if same_origin && attempt.previous().len() <= MAX_REDIRECTS {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

pub(super) fn redirect_error(answer: &Answer) -> CwError {
    let target = answer
        .headers
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|location| answer.url.join(location).ok());
    match target {
        Some(to) if to.origin() != answer.url.origin() => CwError::CrossOriginRedirect {
            from: url_origin(&answer.url),
            to: url_origin(&to),
        },
        _ => CwError::TooManyRedirects {
            url: display_url(&answer.url),
        },
    }
}

pub(super) fn rate_limited(host: &str, answer: &Answer) -> CwError {
    CwError::RateLimited {
        host: host.to_string(),
        retry_after: retry_after(&answer.headers),
    }
}

pub(super) fn server_error(host: &str, endpoint: &str, answer: &Answer) -> CwError {
    let body = ErrorBody::parse(&answer.body);
    CwError::Server {
        host: host.to_string(),
        endpoint: endpoint.to_string(),
        status: answer.status.as_u16(),
        code: body.as_ref().and_then(|b| b.code.clone()),
        message: body.as_ref().and_then(|b| b.message.clone()),
    }
}

pub(super) fn with_host(error: CwError, host: &str) -> CwError {
    match error {
        CwError::NotConnectWise { detail, .. } => CwError::NotConnectWise {
            host: host.to_string(),
            detail,
        },
        CwError::UnexpectedResponse {
            endpoint, detail, ..
        } => CwError::UnexpectedResponse {
            host: host.to_string(),
            endpoint,
            detail,
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::StatusCode;
    use reqwest::header::{HeaderMap, HeaderValue};
    use url::Url;

    #[test]
    fn redirects_are_judged_by_origin() {
        let answer = |url: &str, location: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(LOCATION, HeaderValue::from_str(location).expect("valid"));
            Answer {
                status: StatusCode::FOUND,
                headers,
                body: Vec::new(),
                url: Url::parse(url).expect("valid"),
            }
        };
        let err = redirect_error(&answer(
            "http://127.0.0.1:1000/v1/apis/3.0/system/info",
            "http://127.0.0.1:2000/steal",
        ));
        assert_eq!(
            err,
            CwError::CrossOriginRedirect {
                from: "http://127.0.0.1:1000".into(),
                to: "http://127.0.0.1:2000".into()
            }
        );
        let err = redirect_error(&answer("http://127.0.0.1:1000/a", "/b"));
        assert_eq!(err.kind(), "too_many_redirects");
    }
}

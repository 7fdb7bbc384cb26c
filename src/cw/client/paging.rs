//! `ApiSession::list`: every page of a listing, bounded against a hostile server (rows, bytes,
//! pages, a page bigger than asked for, the same page or `next` link twice).

use std::collections::HashSet;

use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;
use tokio::time::Instant;
use url::Url;

use super::{ApiSession, url_origin};
use crate::cw::error::CwError;
use crate::cw::models::ListQuery;

/// Bounds `list` even against a server that always returns full pages.
const MAX_PAGES: u32 = 10_000;

impl ApiSession {
    /// Every item of a list endpoint, page by page (`page`/`pageSize`), until a short page, a
    /// `Link` header without `next`, or `max_items`.
    ///
    /// Bounded against a hostile server: at most `max_list_rows` rows and `max_list_bytes` bytes
    /// in all, no page with more items than asked for, no page or `next` link seen twice, and all
    /// pages inside the end-to-end deadline. Past a bound it fails; it never returns a partial
    /// list as if it were whole (only `max_items`, the caller's own cap, truncates).
    pub async fn list<T: DeserializeOwned>(
        &self,
        endpoint: &str,
        query: &ListQuery,
    ) -> Result<Vec<T>, CwError> {
        let endpoint = endpoint.trim_matches('/');
        let page_size = query.effective_page_size();
        let max_rows = self.client.inner.max_list_rows;
        let max_bytes = self.client.inner.max_list_bytes;
        let too_large = |limit: String| CwError::ListTooLarge {
            endpoint: endpoint.to_string(),
            limit,
        };
        let mut items: Vec<T> = Vec::new();
        let mut bytes: usize = 0;
        let mut seen_urls: HashSet<String> = HashSet::new();
        let mut seen_pages: HashSet<u64> = HashSet::new();
        for page in 1..=MAX_PAGES {
            if let Some(deadline) = self.client.deadline()
                && Instant::now() >= deadline
            {
                return Err(self.client.deadline_passed(url_origin(&self.api_base())));
            }
            let mut params = vec![
                ("page", page.to_string()),
                ("pageSize", page_size.to_string()),
            ];
            if let Some(conditions) = &query.conditions {
                params.push(("conditions", conditions.clone()));
            }
            if let Some(fields) = &query.fields {
                params.push(("fields", fields.clone()));
            }
            let answer = self.get_api(endpoint, &params).await?;
            bytes = bytes.saturating_add(answer.body.len());
            if bytes > max_bytes {
                return Err(too_large(format_bytes(max_bytes)));
            }
            let page_items: Vec<T> = self.decode_page(endpoint, &answer.body, page_size)?;
            let received = page_items.len();
            // A server that ignores `page` sends the same full page forever.
            if received > 0 && !seen_pages.insert(fingerprint(&answer.body)) {
                return Err(CwError::PagingLoop {
                    endpoint: endpoint.to_string(),
                    page,
                });
            }
            items.extend(page_items);
            if let Some(max) = query.max_items
                && items.len() >= max
            {
                items.truncate(max);
                break;
            }
            if items.len() > max_rows {
                return Err(too_large(format!("{max_rows} rows")));
            }
            let link = link_header(&answer.headers);
            let link_says_last = link.as_deref().is_some_and(|link| !has_next(link));
            if received < page_size as usize || link_says_last {
                return Ok(items);
            }
            // A `next` link back to this page, or to one already read, is a loop.
            seen_urls.insert(answer.url.to_string());
            if let Some(next) = link.as_deref().and_then(|l| next_target(l, &answer.url))
                && !seen_urls.insert(next.to_string())
            {
                return Err(CwError::PagingLoop {
                    endpoint: endpoint.to_string(),
                    page,
                });
            }
        }
        match query.max_items {
            Some(max) if items.len() >= max => Ok(items),
            _ => Err(too_large(format!("{MAX_PAGES} pages"))),
        }
    }

    /// One page of a listing, refused as soon as it holds more than `page_size` items (so an
    /// 8 MiB page of `{}` is not decoded into millions of rows first).
    fn decode_page<T: DeserializeOwned>(
        &self,
        endpoint: &str,
        body: &[u8],
        page_size: u32,
    ) -> Result<Vec<T>, CwError> {
        let overfull = std::cell::Cell::new(false);
        let seed = BoundedSeq::<T> {
            max: page_size as usize,
            overfull: &overfull,
            marker: std::marker::PhantomData,
        };
        let mut deserializer = serde_json::Deserializer::from_slice(body);
        let result = serde::de::DeserializeSeed::deserialize(seed, &mut deserializer)
            .and_then(|items| deserializer.end().map(|()| items));
        match result {
            Ok(items) => Ok(items),
            Err(_) if overfull.get() => Err(CwError::PageTooLarge {
                endpoint: endpoint.to_string(),
                page_size,
            }),
            // Decoded again only to tell a wrong shape from something that is not JSON.
            Err(_) => self.decode(endpoint, body),
        }
    }
}

/// A JSON array of at most `max` items of `T`; one more fails the decode and sets `overfull`.
struct BoundedSeq<'a, T> {
    max: usize,
    overfull: &'a std::cell::Cell<bool>,
    marker: std::marker::PhantomData<T>,
}

impl<'de, T: DeserializeOwned> serde::de::DeserializeSeed<'de> for BoundedSeq<'_, T> {
    type Value = Vec<T>;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Vec<T>, D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de, T: DeserializeOwned> serde::de::Visitor<'de> for BoundedSeq<'_, T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a list of at most {} items", self.max)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(self.max));
        while let Some(item) = seq.next_element::<T>()? {
            if items.len() == self.max {
                self.overfull.set(true);
                return Err(serde::de::Error::custom("more items than the page size"));
            }
            items.push(item);
        }
        Ok(items)
    }
}

/// A cheap fingerprint of a page, to notice the same page sent again.
fn fingerprint(body: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    body.hash(&mut hasher);
    hasher.finish()
}

/// `32 MiB`, for messages.
fn format_bytes(bytes: usize) -> String {
    crate::units::human_bytes(bytes as u64)
}

/// The URL of the `rel="next"` entry of a `Link` header, resolved against `base`.
fn next_target(link: &str, base: &Url) -> Option<Url> {
    link.split(',').find_map(|entry| {
        let mut parts = entry.split(';');
        let target = parts.next()?.trim().strip_prefix('<')?.strip_suffix('>')?;
        has_next(entry).then(|| base.join(target).ok()).flatten()
    })
}

fn link_header(headers: &HeaderMap) -> Option<String> {
    let values: Vec<&str> = headers
        .get_all(reqwest::header::LINK)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    (!values.is_empty()).then(|| values.join(","))
}

/// True when a `Link` header has a `rel="next"` (or unquoted `rel=next`) entry.
fn has_next(link: &str) -> bool {
    link.split(',').any(|entry| {
        entry.split(';').skip(1).any(|param| {
            let Some((key, value)) = param.split_once('=') else {
                return false;
            };
            key.trim().eq_ignore_ascii_case("rel")
                && value
                    .trim()
                    .trim_matches('"')
                    .split_ascii_whitespace()
                    .any(|rel| rel.eq_ignore_ascii_case("next"))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_next_is_found_in_connectwise_link_headers() {
        let first = r#"<https://api-na.myconnectwise.net/v2025_1/apis/3.0/company/companies?page=2&pageSize=25>; rel="next", <https://api-na.myconnectwise.net/v2025_1/apis/3.0/company/companies?page=4&pageSize=25>; rel="last""#;
        assert!(has_next(first));
        let last = r#"<https://x/apis/3.0/a?page=1>; rel="first", <https://x/apis/3.0/a?page=3>; rel="prev""#;
        assert!(!has_next(last));
        assert!(has_next("<https://x/a?page=2>; rel=next"));
        assert!(has_next("<https://x/a?page=2>; REL=\"prev next\""));
        assert!(!has_next(""));
        assert!(!has_next("<https://x/a?rel=next>"));
    }
}

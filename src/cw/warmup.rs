//! Opening the connection to a cloud region's API host while `login/companyinfo` is in flight.
//!
//! On cloud, companyinfo goes to the site (`na.myconnectwise.net`) and the API to another host
//! (`api-na.myconnectwise.net`), each with its own TCP and TLS handshakes. For a known region
//! the API host is known before companyinfo answers, so its connection is opened at the same
//! time: a `HEAD` of the API host's own `login/companyinfo/{companyId}` (public, like the
//! site's), without credentials or clientId. reqwest has no way to open a connection without a
//! request; this one's connection stays in the client's pool (one HTTP/2 connection then carries
//! the whole next wave).
//!
//! The keys still go only where [`crate::cw::check_site_url`] confirmed, after companyinfo
//! answered. The warm-up's own answer, or its failure, is ignored: the real requests report.

use std::time::Duration;

use reqwest::header::{ACCEPT, HeaderValue};
use url::Url;

use crate::cw::site::Site;

/// The API origin a site's companyinfo is expected to name: its region's API host, for a
/// cloud site on the default port. `None` when it cannot be known in advance (self-hosted:
/// the API is on the site's own host, whose connection companyinfo opens anyway).
pub fn expected_api_origin(site: &Site) -> Option<Url> {
    let region = site.region()?;
    if site.port().is_some() || site.host() == region.api_host() {
        return None;
    }
    Url::parse(&format!("https://{}/", region.api_host())).ok()
}

/// Starts the warm-up in the background and returns at once. `limit` bounds it as a whole.
pub(crate) fn start(http: &reqwest::Client, site: &Site, company_id: &str, limit: Duration) {
    let Some(mut url) = expected_api_origin(site) else {
        return;
    };
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return;
    };
    match url.path_segments_mut() {
        Ok(mut segments) => {
            segments.extend(["login", "companyinfo", company_id]);
        }
        Err(()) => return,
    }
    // Only what companyinfo itself sends: no Authorization, no clientId.
    let request = http
        .head(url)
        .timeout(limit)
        .header(ACCEPT, HeaderValue::from_static("application/json"));
    runtime.spawn(async move {
        match request.send().await {
            Ok(response) => tracing::debug!(status = %response.status(), "API host warmed up"),
            Err(e) => tracing::debug!("API host warm-up failed (ignored): {e}"),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin(site: &str) -> Option<String> {
        expected_api_origin(&Site::parse(site).expect("a site")).map(|u| u.to_string())
    }

    #[test]
    fn a_cloud_region_warms_its_api_host() {
        assert_eq!(
            origin("na").as_deref(),
            Some("https://api-na.myconnectwise.net/")
        );
        assert_eq!(
            origin("https://eu.myconnectwise.net/v4_6_release/services/system_io/").as_deref(),
            Some("https://api-eu.myconnectwise.net/")
        );
    }

    #[test]
    fn a_self_hosted_or_loopback_site_warms_nothing() {
        assert_eq!(origin("cw.example.com"), None);
        assert_eq!(origin("http://127.0.0.1:8080"), None);
        // A region host on another port is not the region's service.
        assert_eq!(origin("na.myconnectwise.net:8443"), None);
    }
}

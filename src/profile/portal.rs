//! The values a vendor's portal asks for, in the form that portal wants them.
//!
//! One function computes them for the wizard (Integration and Summary), plain mode, `cwsetup
//! check` and its report, so that the value on screen, the vendor's instruction beside it and
//! the check's output are the same text. Sync 365's "ConnectWise URL", for example, is the API
//! host: `api-na.myconnectwise.net` for a site in North America.

use super::merge::product_label;
use super::model::{FieldSource, PortalField, Profile};
use crate::cw::site::Site;

/// What the technician typed, as plain text (keys are never passed in).
#[derive(Debug, Clone, Copy, Default)]
pub struct PortalInputs<'a> {
    /// The ConnectWise site as typed: a region shorthand, a login host or URL, or a server.
    pub site: &'a str,
    pub company_id: &'a str,
    pub client_id: &'a str,
    /// The Member ID of the API member whose keys the tool holds, when the caller knows it (the
    /// wizard's member plan names it); `None` (e.g. `cwsetup check`, which tests keys without
    /// learning whose they are) leaves it to the technician, as [`PortalText::MemberId`].
    pub member_id: Option<&'a str>,
}

/// A portal field's value: text, or one of the keys (read from where they are held).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PortalText {
    Text(String),
    PublicKey,
    PrivateKey,
    /// The Member ID of the API member the keys belong to, not known here.
    MemberId,
}

/// One field of one vendor's portal, with its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalEntry {
    /// "Sync 365 License", for output that lists several tools.
    pub product: String,
    /// What the portal calls the field, e.g. "ConnectWise URL".
    pub label: String,
    pub value: PortalText,
}

/// The login host (`na.myconnectwise.net`, or a server's `host[:port]`); the text as typed
/// when it is not a site.
pub fn login_host(site: &str) -> String {
    match Site::parse(site) {
        Ok(parsed) => match parsed.region() {
            Some(region) => region.login_host().to_string(),
            None => host_port(&parsed),
        },
        Err(_) => site.trim().to_string(),
    }
}

/// The REST API host (`api-na.myconnectwise.net`; a self-hosted server answers on its own
/// host); the text as typed when it is not a site.
pub fn api_host(site: &str) -> String {
    match Site::parse(site) {
        Ok(parsed) => match parsed.region() {
            Some(region) => region.api_host().to_string(),
            None => host_port(&parsed),
        },
        Err(_) => site.trim().to_string(),
    }
}

/// `https://` + [`login_host`] (or the server's own scheme).
pub fn login_url(site: &str) -> String {
    match Site::parse(site) {
        Ok(parsed) => match parsed.region() {
            Some(region) => format!("https://{}", region.login_host()),
            None => parsed.origin(),
        },
        Err(_) => site.trim().to_string(),
    }
}

/// `https://` + [`api_host`] (or the server's own scheme).
pub fn api_url(site: &str) -> String {
    match Site::parse(site) {
        Ok(parsed) => match parsed.region() {
            Some(region) => format!("https://{}", region.api_host()),
            None => parsed.origin(),
        },
        Err(_) => site.trim().to_string(),
    }
}

fn host_port(site: &Site) -> String {
    match site.port() {
        Some(port) => format!("{}:{port}", site.host()),
        None => site.host().to_string(),
    }
}

/// The value of one portal field.
pub fn field_value(field: &PortalField, inputs: &PortalInputs) -> PortalText {
    let text = |s: &str| PortalText::Text(s.trim().to_string());
    match field.source {
        FieldSource::CompanyId => text(inputs.company_id),
        FieldSource::ClientId => text(inputs.client_id),
        FieldSource::MemberId => inputs.member_id.map_or(PortalText::MemberId, text),
        FieldSource::ApiHost => PortalText::Text(api_host(inputs.site)),
        FieldSource::ApiUrl => PortalText::Text(api_url(inputs.site)),
        FieldSource::Site => PortalText::Text(login_host(inputs.site)),
        FieldSource::SiteUrl => PortalText::Text(login_url(inputs.site)),
        FieldSource::PublicKey => PortalText::PublicKey,
        FieldSource::PrivateKey => PortalText::PrivateKey,
        FieldSource::Fixed => PortalText::Text(field.value.clone().unwrap_or_default()),
    }
}

/// Every field of `profile`'s portal, in its order.
pub fn portal_entries(profile: &Profile, inputs: &PortalInputs) -> Vec<PortalEntry> {
    let product = product_label(profile);
    profile
        .integration
        .fields
        .iter()
        .map(|field| PortalEntry {
            product: product.clone(),
            label: field.label.clone(),
            value: field_value(field, inputs),
        })
        .collect()
}

/// How a field's value is written where a key cannot be shown (check output, reports).
pub fn shown_without_keys(value: &PortalText) -> String {
    match value {
        PortalText::Text(text) if text.is_empty() => "(empty)".to_string(),
        PortalText::Text(text) => text.clone(),
        PortalText::PublicKey => "the public key you tested".to_string(),
        PortalText::PrivateKey => "the private key you tested".to_string(),
        PortalText::MemberId => "the Member ID of the API member whose keys you tested".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_forms_of_a_cloud_site() {
        for typed in [
            "na",
            "na.myconnectwise.net",
            "https://na.myconnectwise.net/v4_6_release/ConnectWise.aspx",
            "api-na.myconnectwise.net",
        ] {
            assert_eq!(api_host(typed), "api-na.myconnectwise.net", "{typed}");
            assert_eq!(login_host(typed), "na.myconnectwise.net", "{typed}");
            assert_eq!(api_url(typed), "https://api-na.myconnectwise.net");
            assert_eq!(login_url(typed), "https://na.myconnectwise.net");
        }
    }

    #[test]
    fn a_self_hosted_server_keeps_its_host_and_port() {
        assert_eq!(api_host("cw.example.com:8443"), "cw.example.com:8443");
        assert_eq!(login_host("https://cw.example.com"), "cw.example.com");
        assert_eq!(
            api_url("cw.example.com:8443"),
            "https://cw.example.com:8443"
        );
        assert_eq!(api_host("http://127.0.0.1:40853"), "127.0.0.1:40853");
    }

    #[test]
    fn sync365_on_na_gets_the_api_host() {
        let profile = crate::profile::find("sync365").expect("sync365 ships");
        let entries = portal_entries(
            profile,
            &PortalInputs {
                site: "na.myconnectwise.net",
                company_id: "contoso",
                client_id: "",
                member_id: None,
            },
        );
        let url = entries
            .iter()
            .find(|e| e.label == "ConnectWise URL")
            .expect("the field");
        assert_eq!(
            url.value,
            PortalText::Text("api-na.myconnectwise.net".into())
        );
    }
}

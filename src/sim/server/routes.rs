//! What the simulator answers: companyinfo, and API calls checked like the real service
//! (codebase, redirects, clientId, credentials, rate limits, permissions) before the records.

use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use base64::Engine as _;
use serde_json::{Value, json};

use super::responses::{
    bad_query, cw_error, endpoint_does_not_exist, forbidden, html_page, json_response,
    not_found_page, oversized, plain, trickle,
};
use super::{Listener, MISSING_CLIENT_ID_BODY, MISSING_CLIENT_ID_STATUS, STALE_CODEBASE, Shared};
use crate::permission::Level;
use crate::sim::data;
use crate::sim::gates::{SimPermission, gate_for};
use crate::sim::query::ListQuery;
use crate::sim::scenario::{Fault, FaultScope, MySecurityMode, Scenario};
use crate::sim::{
    DEMO_ADMIN_PRIVATE_KEY, DEMO_ADMIN_PUBLIC_KEY, DEMO_COMPANY_ID, DEMO_OLD_PRIVATE_KEY,
    DEMO_OLD_PUBLIC_KEY, DEMO_PRIVATE_KEY, DEMO_PUBLIC_KEY, DEMO_SECOND_PRIVATE_KEY,
    DEMO_SECOND_PUBLIC_KEY,
};

/// How long a hanging answer waits before giving up, so no task outlives a forgotten server.
const HANG_LIMIT: Duration = Duration::from_secs(600);

pub(super) async fn answer(
    listener: &Listener,
    method: &Method,
    uri: &axum::http::Uri,
    headers: &HeaderMap,
) -> Response {
    let shared = &listener.shared;
    let path = percent_decode(uri.path());
    let api = split_api_path(&path);
    let fault = shared
        .scenario
        .fault
        .filter(|_| api.is_some() || shared.scenario.fault_scope == FaultScope::Everything);
    match fault {
        Some(Fault::Html) => return html_page(),
        Some(Fault::Hang) => {
            tokio::select! {
                _ = tokio::time::sleep(HANG_LIMIT) => {}
                _ = shared.shutting_down() => {}
            }
            return plain(StatusCode::GATEWAY_TIMEOUT, "gave up");
        }
        Some(Fault::SlowBody) => return trickle(shared.clone()),
        _ => {}
    }

    if let Some(company) = path
        .strip_prefix("/login/companyinfo/")
        .filter(|c| !c.is_empty() && !c.contains('/'))
    {
        return company_info(listener, company, fault);
    }
    match api {
        Some((codebase, endpoint)) => {
            api_call(listener, method, uri, headers, codebase, endpoint, fault).await
        }
        None => not_found_page(),
    }
}

/// `/{codebase}apis/3.0/{endpoint}` → (codebase with its slash, endpoint without slashes).
fn split_api_path(path: &str) -> Option<(&str, &str)> {
    let rest = path.strip_prefix('/')?;
    let slash = rest.find('/')?;
    let (codebase, tail) = rest.split_at(slash + 1);
    let endpoint = tail
        .strip_prefix("apis/3.0")
        .or_else(|| tail.strip_prefix("APIS/3.0"))?;
    if !(endpoint.is_empty() || endpoint.starts_with('/')) {
        return None;
    }
    Some((codebase, endpoint.trim_matches('/')))
}

fn company_info(listener: &Listener, company: &str, fault: Option<Fault>) -> Response {
    let shared = &listener.shared;
    let scenario = &shared.scenario;
    if scenario.unknown_company || !company.eq_ignore_ascii_case(DEMO_COMPANY_ID) {
        return json_response(StatusCode::OK, &Value::Null, fault);
    }
    let cloud = !scenario.self_hosted;
    let is_cloud = if scenario.is_cloud_as_string {
        json!(if cloud { "True" } else { "False" })
    } else {
        json!(cloud)
    };
    let mut body = json!({
        "CompanyName": data::DEMO_COMPANY_NAME,
        "Codebase": shared.codebase(),
        "VersionCode": "v2025.1",
        "VersionNumber": "v4.6.10675",
        "CompanyID": DEMO_COMPANY_ID,
        "IsCloud": is_cloud,
    });
    if cloud && let Some(map) = body.as_object_mut() {
        // SiteUrl is the API host; here the sim itself unless the scenario names another.
        let own = shared.origin.split_once("://").map_or("", |(_, host)| host);
        let host = scenario.site_url.as_deref().unwrap_or(own);
        map.insert("SiteUrl".into(), json!(host));
        map.insert(
            "AllowedOrigins".into(),
            json!([
                "*.connectwisedev.com",
                "*.myconnectwise.net",
                "*.connectwise.net",
                host
            ]),
        );
    }
    if fault == Some(Fault::WrongJsonTypes)
        && let Some(map) = body.as_object_mut()
    {
        map.insert("Codebase".into(), json!(42));
        map.insert("IsCloud".into(), json!({"value": cloud}));
    }
    json_response(StatusCode::OK, &body, fault)
}

#[allow(clippy::too_many_arguments)]
async fn api_call(
    listener: &Listener,
    method: &Method,
    uri: &axum::http::Uri,
    headers: &HeaderMap,
    codebase: &str,
    endpoint: &str,
    fault: Option<Fault>,
) -> Response {
    let shared = &listener.shared;
    let scenario = &shared.scenario;
    let current = shared.codebase();
    if !codebase.eq_ignore_ascii_case(current) {
        return endpoint_does_not_exist(fault);
    }
    if scenario.stale_codebase && current == STALE_CODEBASE {
        // The tenant was "upgraded": this codebase is gone, and companyinfo now says so.
        shared.upgraded.store(true, Ordering::SeqCst);
        return endpoint_does_not_exist(fault);
    }
    if scenario.cross_origin_redirect
        && !listener.is_redirect_target
        && let Some(other) = &shared.redirect_origin
    {
        let target = match uri.query() {
            Some(q) => format!("{other}{}?{q}", uri.path()),
            None => format!("{other}{}", uri.path()),
        };
        let mut response = plain(StatusCode::FOUND, "Found");
        if let Ok(value) = HeaderValue::from_str(&target) {
            response.headers_mut().insert(header::LOCATION, value);
        }
        return response;
    }
    if scenario.same_origin_redirect && !uri.path().ends_with('/') {
        let target = match uri.query() {
            Some(q) => format!("{}{}/?{q}", listener.origin, uri.path()),
            None => format!("{}{}/", listener.origin, uri.path()),
        };
        let mut response = plain(StatusCode::FOUND, "Found");
        if let Ok(value) = HeaderValue::from_str(&target) {
            response.headers_mut().insert(header::LOCATION, value);
        }
        return response;
    }
    let client_id = headers
        .get("clientid")
        .map(|v| v.as_bytes().trim_ascii())
        .unwrap_or_default();
    if client_id.is_empty() {
        return plain(MISSING_CLIENT_ID_STATUS, MISSING_CLIENT_ID_BODY);
    }
    let identity = identity(headers, shared.old_key_live.load(Ordering::SeqCst));
    if identity.is_none() || (identity == Some(Identity::Vendor) && scenario.inactive_member) {
        return cw_error(
            StatusCode::UNAUTHORIZED,
            "ConnectWiseApi",
            "UserNotAuthenticated",
            fault,
        );
    }
    if Shared::take(&shared.rate_limits_left) {
        let secs = scenario.rate_limited.map_or(1, |(_, s)| s);
        let body = json!({
            "error": "ConnectWiseAPI",
            "message": format!("Too many requests. Please try again in {secs} seconds."),
        });
        let mut response = json_response(StatusCode::TOO_MANY_REQUESTS, &body, None);
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        return response;
    }
    if Shared::take(&shared.server_errors_left) {
        let status = scenario
            .server_errors
            .and_then(|(_, s)| StatusCode::from_u16(s).ok())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        return cw_error(
            status,
            "ConnectWiseApi",
            "A timeout has occured. Please try again.",
            None,
        );
    }
    if method != Method::GET {
        return cw_error(
            StatusCode::METHOD_NOT_ALLOWED,
            "ConnectWiseApi",
            &format!("The simulator is read-only: {method} is not supported."),
            fault,
        );
    }
    if scenario.oversized {
        return oversized();
    }
    let identity = identity.unwrap_or(Identity::Vendor);
    route(shared, identity, endpoint, uri.query(), fault)
}

/// Whose keys signed a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Identity {
    /// The vendor's API member (the demo keys).
    Vendor,
    /// The technician's own keys (the demo admin keys).
    Admin,
    /// A second API member (the second demo keys), with its own rows.
    Second,
}

impl Identity {
    fn permissions(self, scenario: &Scenario) -> &[SimPermission] {
        match self {
            Identity::Vendor => &scenario.permissions,
            Identity::Admin => &scenario.admin.permissions,
            Identity::Second => &scenario.second_permissions,
        }
    }
}

/// `Basic base64("{company}+{public}:{private}")` with the demo values, or the demo admin
/// keys, or the demo member's old keys while they are live (`old_key_live`); the company ID is
/// compared case-insensitively, the keys exactly.
fn identity(headers: &HeaderMap, old_key_live: bool) -> Option<Identity> {
    let value = headers.get(header::AUTHORIZATION)?;
    let encoded = value.as_bytes().strip_prefix(b"Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .ok()?;
    let decoded = std::str::from_utf8(&decoded).ok()?;
    let (user, private) = decoded.split_once(':')?;
    let (company, public) = user.split_once('+')?;
    if !company.eq_ignore_ascii_case(DEMO_COMPANY_ID) {
        return None;
    }
    match (public, private) {
        (DEMO_PUBLIC_KEY, DEMO_PRIVATE_KEY) => Some(Identity::Vendor),
        (DEMO_ADMIN_PUBLIC_KEY, DEMO_ADMIN_PRIVATE_KEY) => Some(Identity::Admin),
        (DEMO_SECOND_PUBLIC_KEY, DEMO_SECOND_PRIVATE_KEY) => Some(Identity::Second),
        (DEMO_OLD_PUBLIC_KEY, DEMO_OLD_PRIVATE_KEY) if old_key_live => Some(Identity::Vendor),
        _ => None,
    }
}

/// A readable collection: the records of one endpoint.
fn collection(shared: &Shared, name: &str) -> Option<Vec<Value>> {
    let base = shared.api_base();
    let scenario = &shared.scenario;
    if let Some(records) =
        crate::sim::admin::collection(&scenario.admin, scenario.inactive_member, &base, name)
    {
        return Some(records);
    }
    let records = match name.to_ascii_lowercase().as_str() {
        "company/companies" if scenario.zero_companies => Vec::new(),
        "company/companies" => data::companies(&base),
        "company/contacts" => data::contacts(&base),
        "finance/agreements" => data::agreements(&base)
            .into_iter()
            .filter(|a| {
                let type_name = a
                    .pointer("/type/name")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                !scenario
                    .hidden_agreement_types
                    .iter()
                    .any(|hidden| hidden.eq_ignore_ascii_case(type_name))
            })
            .collect(),
        // Gated by Table Setup, not by the agreement types the role may see: all are listed.
        "finance/agreements/types" => data::agreement_types(&base),
        "finance/invoices" => data::invoices(&base),
        "procurement/products" => data::products(&base),
        "procurement/catalog" => data::catalog(&base),
        "finance/billingcycles" => data::billing_cycles(&base),
        "system/members" => data::members(&base, scenario.inactive_member),
        other => return data::probe_collection(&base, other),
    };
    let mut records = records;
    if scenario.hostile_text && name.to_ascii_lowercase().starts_with("finance/agreements") {
        records.iter_mut().for_each(data::make_hostile);
    }
    Some(records)
}

/// Keys a collection may have even when no seeded record carries them (omitted when null).
const OPTIONAL_KEYS: &[&str] = &["parentAgreement"];

fn route(
    shared: &Shared,
    identity: Identity,
    endpoint: &str,
    query: Option<&str>,
    fault: Option<Fault>,
) -> Response {
    let permissions = identity.permissions(&shared.scenario);
    if endpoint.eq_ignore_ascii_case("system/info") {
        let mut body = data::system_info(!shared.scenario.self_hosted);
        if shared.scenario.hostile_text {
            data::make_hostile(&mut body);
        }
        if fault == Some(Fault::WrongJsonTypes) {
            body["isCloud"] = json!("yes");
            body["licenseBits"] = json!("all");
        }
        return json_response(StatusCode::OK, &body, fault);
    }
    if endpoint.eq_ignore_ascii_case("system/mySecurity") {
        return match shared.scenario.my_security {
            MySecurityMode::Readable => {
                let rows = match identity {
                    Identity::Vendor | Identity::Second => {
                        data::my_security(&shared.api_base(), permissions)
                    }
                    Identity::Admin => {
                        crate::sim::admin::my_security(&shared.api_base(), permissions)
                    }
                };
                list_response(shared, "system/mySecurity", rows, query, fault)
            }
            MySecurityMode::Forbidden => forbidden(fault),
            MySecurityMode::NotFound => endpoint_does_not_exist(fault),
        };
    }
    if let Some((module, function)) = gate_for(endpoint) {
        let allowed = permissions.iter().any(|p| {
            p.module.eq_ignore_ascii_case(module)
                && p.function.eq_ignore_ascii_case(function)
                && p.levels.inquire != Level::None
        });
        let customized_out = shared
            .scenario
            .customize_lacks
            .iter()
            .any(|lacking| endpoint.trim_matches('/').eq_ignore_ascii_case(lacking));
        if !allowed || customized_out {
            return forbidden(fault);
        }
    }
    if let Some(records) = collection(shared, endpoint) {
        return list_response(shared, endpoint, records, query, fault);
    }
    if let Some((name, last)) = endpoint.rsplit_once('/')
        && let Some(records) = collection(shared, name)
    {
        if last.eq_ignore_ascii_case("count") {
            return count_response(records, query, fault);
        }
        if let Ok(id) = last.parse::<u64>() {
            return match records
                .into_iter()
                .find(|r| r.get("id") == Some(&json!(id)))
            {
                Some(record) => json_response(StatusCode::OK, &wrong_types(record, fault), fault),
                None => cw_error(
                    StatusCode::NOT_FOUND,
                    "NotFound",
                    &format!("The record with id {id} was not found."),
                    fault,
                ),
            };
        }
    }
    endpoint_does_not_exist(fault)
}

fn count_response(records: Vec<Value>, query: Option<&str>, fault: Option<Fault>) -> Response {
    let parsed = match ListQuery::parse(query) {
        Ok(q) => q,
        Err(e) => return bad_query(e, fault),
    };
    let matching = match parsed.filter(&records, OPTIONAL_KEYS) {
        Ok(m) => m,
        Err(e) => return bad_query(e, fault),
    };
    let body = if fault == Some(Fault::WrongJsonTypes) {
        json!({"count": "many"})
    } else {
        json!({"count": matching.len()})
    };
    json_response(StatusCode::OK, &body, fault)
}

fn list_response(
    shared: &Shared,
    endpoint: &str,
    records: Vec<Value>,
    query: Option<&str>,
    fault: Option<Fault>,
) -> Response {
    let parsed = match ListQuery::parse(query) {
        Ok(q) => q,
        Err(e) => return bad_query(e, fault),
    };
    let matching = match parsed.filter(&records, OPTIONAL_KEYS) {
        Ok(m) => m,
        Err(e) => return bad_query(e, fault),
    };
    let total = matching.len();
    let page: Vec<Value> = matching
        .into_iter()
        .skip((parsed.page - 1).saturating_mul(parsed.page_size))
        .take(parsed.page_size)
        .map(|r| wrong_types(parsed.project(r), fault))
        .collect();
    let mut response = json_response(StatusCode::OK, &Value::Array(page), fault);
    let link_base = format!("{}{}", shared.api_base(), endpoint);
    if let Some(link) = parsed.link_header(&link_base, total)
        && let Ok(value) = HeaderValue::from_str(&link)
    {
        response.headers_mut().insert(header::LINK, value);
    }
    response
}

/// `wrong_json_types`: ids become strings.
fn wrong_types(mut record: Value, fault: Option<Fault>) -> Value {
    if fault == Some(Fault::WrongJsonTypes)
        && let Some(id) = record.get("id").cloned()
    {
        record["id"] = json!(id.to_string());
    }
    record
}

/// Decode `%XX` escapes in a path; invalid escapes stay as typed, and bytes that are not
/// UTF-8 become U+FFFD.
fn percent_decode(path: &str) -> String {
    percent_encoding::percent_decode_str(path)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_percent_decoded_and_bad_escapes_kept() {
        for (raw, decoded) in [
            ("/a%20b", "/a b"),
            ("/login/companyinfo/x%2Fy", "/login/companyinfo/x/y"),
            ("/x%2fy", "/x/y"),
            ("/%zz", "/%zz"),
            ("/%2z", "/%2z"),
            ("/%%20", "/% "),
            ("/end%2", "/end%2"),
            ("/end%", "/end%"),
            ("/caf%C3%A9", "/café"),
            ("/%FF", "/\u{fffd}"),
            ("/%E2%82", "/\u{fffd}"),
            ("/plain", "/plain"),
        ] {
            assert_eq!(percent_decode(raw), decoded, "{raw}");
        }
    }
}

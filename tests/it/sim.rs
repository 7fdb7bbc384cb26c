//! The simulated ConnectWise, tested over real HTTP with reqwest (not the cw client).

use std::time::{Duration, Instant};

use crate::common::http::{basic_auth, http_client};
use cwsetup::profile::{Level, Levels};
use cwsetup::sim::{
    DEMO_CLIENT_ID, DEMO_COMPANY_ID, DEMO_PRIVATE_KEY, DEMO_PUBLIC_KEY, GATES, MySecurityMode,
    Scenario, SimPermission, SimServer, data,
};
use serde_json::{Value, json};

const NOT_AUTHENTICATED: &str = r#"{"code":"ConnectWiseApi","message":"UserNotAuthenticated"}"#;
const NO_PERMISSION: &str = r#"{"code":"Security","message":"You do not have security permission to perform this action."}"#;
const NO_ENDPOINT: &str = r#"{"code":"ConnectWiseApi","message":"The endpoint does not exist."}"#;

/// reqwest is built without its `json` feature; parse with serde_json.
trait JsonBody {
    async fn json_value(self) -> Result<Value, String>;
}

impl JsonBody for reqwest::Response {
    async fn json_value(self) -> Result<Value, String> {
        let text = self.text().await.map_err(|e| e.to_string())?;
        serde_json::from_str(&text).map_err(|e| format!("{e}: {text}"))
    }
}

fn client() -> reqwest::Client {
    http_client(Duration::from_secs(10))
}

fn demo_auth() -> String {
    basic_auth(DEMO_COMPANY_ID, DEMO_PUBLIC_KEY, DEMO_PRIVATE_KEY)
}

/// A started sim and a client that sends the demo credentials.
struct Demo {
    server: SimServer,
    http: reqwest::Client,
}

impl Demo {
    async fn start(scenario: Scenario) -> Demo {
        let server = SimServer::start(scenario).await.expect("sim starts");
        Demo {
            server,
            http: client(),
        }
    }

    fn api(&self, endpoint: &str) -> String {
        format!("{}{endpoint}", self.server.api_base())
    }

    async fn get(&self, endpoint: &str) -> reqwest::Response {
        self.get_url(&self.api(endpoint)).await
    }

    async fn get_url(&self, url: &str) -> reqwest::Response {
        self.http
            .get(url)
            .header("Authorization", demo_auth())
            .header("clientId", DEMO_CLIENT_ID)
            .header("Accept", "application/json")
            .send()
            .await
            .expect("the sim answers")
    }

    async fn json(&self, endpoint: &str) -> Value {
        let response = self.get(endpoint).await;
        assert_eq!(response.status(), 200, "GET {endpoint}");
        response.json_value().await.expect("JSON body")
    }

    async fn company_info(&self, id: &str) -> reqwest::Response {
        self.http
            .get(format!("{}/login/companyinfo/{id}", self.server.url()))
            .send()
            .await
            .expect("the sim answers")
    }
}

#[tokio::test]
async fn healthy_company_info_points_at_the_sim_itself() {
    let demo = Demo::start(Scenario::new()).await;
    let response = demo.company_info("CWSETUP_Demo").await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json_value().await.expect("JSON");
    let host = format!("127.0.0.1:{}", demo.server.addr().port());
    assert_eq!(body["Codebase"], "v2025_1/");
    assert_eq!(body["CompanyID"], DEMO_COMPANY_ID);
    assert_eq!(body["IsCloud"], true);
    assert_eq!(body["SiteUrl"], host.as_str());
    assert_eq!(body["VersionCode"], "v2025.1");
    assert!(body["AllowedOrigins"].is_array());
    assert_eq!(demo.server.url(), format!("http://{host}"));
    assert_eq!(
        demo.server.api_base(),
        format!("http://{host}/v2025_1/apis/3.0/")
    );
    demo.server.shutdown().await;
}

#[tokio::test]
async fn unknown_company_answers_null_with_200() {
    let demo = Demo::start(Scenario::new()).await;
    let response = demo.company_info("Contoso Managed IT").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.expect("body"), "null");

    let demo = Demo::start(Scenario::new().unknown_company()).await;
    let response = demo.company_info(DEMO_COMPANY_ID).await;
    assert_eq!(response.text().await.expect("body"), "null");
}

#[tokio::test]
async fn self_hosted_and_string_is_cloud_answers() {
    let demo = Demo::start(Scenario::new().self_hosted()).await;
    let body: Value = demo
        .company_info(DEMO_COMPANY_ID)
        .await
        .json_value()
        .await
        .expect("JSON");
    assert_eq!(body["Codebase"], "v4_6_release/");
    assert_eq!(body["IsCloud"], false);
    assert!(body.get("SiteUrl").is_none(), "self-hosted has no SiteUrl");
    assert!(demo.server.api_base().ends_with("/v4_6_release/apis/3.0/"));
    assert_eq!(demo.json("system/info").await["isCloud"], false);

    let demo = Demo::start(Scenario::new().is_cloud_as_string()).await;
    let body: Value = demo
        .company_info(DEMO_COMPANY_ID)
        .await
        .json_value()
        .await
        .expect("JSON");
    assert_eq!(body["IsCloud"], "True");
}

#[tokio::test]
async fn authorization_header_is_recorded_byte_for_byte_and_companyinfo_has_none() {
    let demo = Demo::start(Scenario::new()).await;
    let _ = demo.company_info(DEMO_COMPANY_ID).await;
    let info = demo.json("system/info").await;
    assert_eq!(info["version"], "v2025.1.10675");
    let requests = demo.server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].path, "/login/companyinfo/cwsetup_demo");
    assert_eq!(requests[0].header("authorization"), None);
    assert_eq!(
        requests[1].header("Authorization"),
        Some("Basic Y3dzZXR1cF9kZW1vK0RlbW9QdWJsaWNLZXkwMDE6RGVtb1ByaXZhdGVLZXkwMQ==")
    );
    assert_eq!(requests[1].header("clientid"), Some(DEMO_CLIENT_ID));
    assert_eq!(requests[1].origin, demo.server.url());
    assert!(
        requests[1]
            .finished
            .is_some_and(|f| f >= requests[1].started)
    );
    // Debug output (e.g. in a failing assert) must not carry the credentials.
    let debug = format!("{requests:?}");
    assert!(
        !debug.contains("Y3dzZXR1cF9"),
        "Debug leaks the Authorization header"
    );
}

#[tokio::test]
async fn wrong_swapped_padded_keys_and_inactive_member_get_401() {
    let demo = Demo::start(Scenario::new()).await;
    let url = demo.api("system/info");
    for auth in [
        basic_auth(DEMO_COMPANY_ID, "FakePublicKey001", DEMO_PRIVATE_KEY),
        basic_auth(DEMO_COMPANY_ID, DEMO_PRIVATE_KEY, DEMO_PUBLIC_KEY),
        basic_auth(
            DEMO_COMPANY_ID,
            &format!(" {DEMO_PUBLIC_KEY}"),
            DEMO_PRIVATE_KEY,
        ),
        basic_auth("Contoso", DEMO_PUBLIC_KEY, DEMO_PRIVATE_KEY),
        "Bearer FakePrivateKey01".to_string(),
        "Basic not-base64!".to_string(),
    ] {
        let response = demo
            .http
            .get(&url)
            .header("Authorization", auth)
            .header("clientId", DEMO_CLIENT_ID)
            .send()
            .await
            .expect("answer");
        assert_eq!(response.status(), 401);
        assert_eq!(response.text().await.expect("body"), NOT_AUTHENTICATED);
    }
    let no_auth = demo
        .http
        .get(&url)
        .header("clientId", DEMO_CLIENT_ID)
        .send()
        .await
        .expect("answer");
    assert_eq!(no_auth.status(), 401);

    // The company ID in the header is matched case-insensitively, like the login screen.
    let upper = demo
        .http
        .get(&url)
        .header(
            "Authorization",
            basic_auth("CWSETUP_DEMO", DEMO_PUBLIC_KEY, DEMO_PRIVATE_KEY),
        )
        .header("clientId", DEMO_CLIENT_ID)
        .send()
        .await
        .expect("answer");
    assert_eq!(upper.status(), 200);

    let inactive = Demo::start(Scenario::new().inactive_member()).await;
    let response = inactive.get("system/info").await;
    assert_eq!(response.status(), 401);
    assert_eq!(response.text().await.expect("body"), NOT_AUTHENTICATED);
}

#[tokio::test]
async fn missing_client_id_gets_a_non_json_error() {
    let demo = Demo::start(Scenario::new()).await;
    let response = demo
        .http
        .get(demo.api("system/info"))
        .header("Authorization", demo_auth())
        .send()
        .await
        .expect("answer");
    assert_eq!(response.status(), 400);
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    assert!(content_type.starts_with("text/plain"), "{content_type}");
    let body = response.text().await.expect("body");
    assert_eq!(body, "ClientId header is required");
    assert!(serde_json::from_str::<Value>(&body).is_err());
}

/// Every endpoint a gate names, with its count and by-id forms where they exist.
fn gated_endpoints() -> Vec<(&'static str, &'static str, String)> {
    let mut out = Vec::new();
    for (module, function, prefixes) in GATES {
        for prefix in *prefixes {
            out.push((*module, *function, prefix.to_string()));
        }
    }
    for (module, function, endpoint) in [
        (
            "Companies",
            "Company Maintenance",
            "company/companies/count",
        ),
        ("Companies", "Company Maintenance", "company/companies/250"),
        ("Finance", "Agreements", "finance/agreements/count"),
        ("Procurement", "Products", "procurement/products/count"),
        (
            "Procurement",
            "Product Catalog",
            "procurement/catalog/count",
        ),
    ] {
        out.push((module, function, endpoint.to_string()));
    }
    out
}

#[tokio::test]
async fn revoked_function_gets_403_on_exactly_its_endpoints() {
    let endpoints = gated_endpoints();
    for (module, function, _) in GATES.iter().filter(|(_, _, p)| !p.is_empty()) {
        let demo = Demo::start(Scenario::new().revoke(module, function)).await;
        for (m, f, endpoint) in &endpoints {
            let response = demo.get(endpoint).await;
            let status = response.status();
            let body = response.text().await.expect("body");
            if (m, f) == (module, function) {
                assert_eq!(status, 403, "{endpoint} with {module}/{function} revoked");
                assert_eq!(body, NO_PERMISSION);
            } else {
                assert_eq!(
                    status, 200,
                    "{endpoint} with {module}/{function} revoked: {body}"
                );
            }
        }
        // system/info needs only valid keys.
        assert_eq!(demo.get("system/info").await.status(), 200);
        let rows = demo.json("system/mySecurity").await;
        let row = rows
            .as_array()
            .and_then(|rows| {
                rows.iter()
                    .find(|r| r["moduleFunctionName"] == *function && r["moduleName"] == *module)
            })
            .cloned()
            .expect("the revoked row is still listed");
        assert_eq!(row["inquireLevel"], "None");
        assert_eq!(row["addLevel"], "None");
    }
}

#[tokio::test]
async fn my_level_reads_and_a_missing_row_forbids() {
    let rows = vec![
        SimPermission::uniform("Companies", "Company Maintenance", Level::My),
        SimPermission {
            module: "Finance".into(),
            function: "Agreements".into(),
            levels: Levels::new(Level::All, Level::All, Level::All, Level::None),
        },
    ];
    let demo = Demo::start(Scenario::new().permissions(rows)).await;
    assert_eq!(demo.get("company/companies").await.status(), 200);
    assert_eq!(demo.get("finance/agreements").await.status(), 403);
    assert_eq!(demo.get("procurement/catalog").await.status(), 403);
    let security = demo.json("system/mySecurity").await;
    assert_eq!(security.as_array().map(Vec::len), Some(2));
    let first = &security[0];
    for key in [
        "id",
        "moduleIdentifier",
        "moduleName",
        "moduleFunctionIdentifier",
        "moduleFunctionName",
        "addLevel",
        "editLevel",
        "deleteLevel",
        "inquireLevel",
    ] {
        assert!(first.get(key).is_some(), "mySecurity row lacks {key}");
    }
    assert_eq!(first["inquireLevel"], "My");
    assert_eq!(first["member"]["identifier"], data::DEMO_MEMBER_IDENTIFIER);
    assert_eq!(security[1]["addLevel"], "All");
    assert_eq!(security[1]["inquireLevel"], "None");
}

#[tokio::test]
async fn my_security_can_be_forbidden_or_missing() {
    let demo = Demo::start(Scenario::new().my_security(MySecurityMode::Forbidden)).await;
    let response = demo.get("system/mySecurity").await;
    assert_eq!(response.status(), 403);
    assert_eq!(response.text().await.expect("body"), NO_PERMISSION);

    let demo = Demo::start(Scenario::new().my_security(MySecurityMode::NotFound)).await;
    let response = demo.get("system/mySecurity").await;
    assert_eq!(response.status(), 404);
    assert_eq!(response.text().await.expect("body"), NO_ENDPOINT);
}

#[tokio::test]
async fn counts_match_listings_and_the_seed() {
    let demo = Demo::start(Scenario::new()).await;
    for (endpoint, seeded) in [
        ("company/companies", data::COMPANY_COUNT),
        ("finance/agreements", data::AGREEMENT_COUNT),
        ("procurement/products", data::PRODUCT_COUNT),
        ("procurement/catalog", data::CATALOG_COUNT),
    ] {
        let count = demo.json(&format!("{endpoint}/count")).await;
        let listed = demo.json(&format!("{endpoint}?pageSize=1000")).await;
        let listed = listed.as_array().map(Vec::len).unwrap_or(0);
        assert_eq!(count, json!({"count": seeded}), "{endpoint}/count");
        assert_eq!(listed, seeded, "{endpoint} listing");
    }
    // Conditions narrow counts and listings alike.
    let children = demo
        .json("finance/agreements?conditions=parentAgreement/id=101&pageSize=1000")
        .await;
    let children = children.as_array().cloned().unwrap_or_default();
    assert!(!children.is_empty(), "agreement 101 has children");
    assert!(
        children
            .iter()
            .all(|a| a["parentAgreement"]["id"] == 101 && a["parentAgreement"]["name"].is_string())
    );
    let count = demo
        .json("finance/agreements/count?conditions=parentAgreement/id=101")
        .await;
    assert_eq!(count["count"], children.len());
    let one = demo.json("company/companies?conditions=id=253").await;
    assert_eq!(one.as_array().map(Vec::len), Some(1));
    assert_eq!(one[0]["id"], 253);
}

#[tokio::test]
async fn records_have_wire_shapes_and_own_hrefs() {
    let demo = Demo::start(Scenario::new()).await;
    let base = demo.server.api_base();
    let agreements = demo.json("finance/agreements?pageSize=1000").await;
    let agreements = agreements.as_array().cloned().unwrap_or_default();
    let types: std::collections::BTreeSet<String> = agreements
        .iter()
        .filter_map(|a| a["type"]["name"].as_str().map(str::to_string))
        .collect();
    assert!((3..=4).contains(&types.len()), "{types:?}");
    let parents = agreements
        .iter()
        .filter(|a| a.get("parentAgreement").is_some())
        .count();
    assert!(parents > 0 && parents < agreements.len());
    // No parent: the key is absent, not null.
    assert!(
        agreements
            .iter()
            .all(|a| a.get("parentAgreement") != Some(&Value::Null))
    );
    let first = &agreements[0];
    let href = first["company"]["_info"]["company_href"]
        .as_str()
        .unwrap_or("");
    assert!(href.starts_with(&base), "{href} is not under {base}");
    assert!(first["type"]["_info"]["type_href"].is_string());

    let products = demo.json("procurement/products").await;
    assert!(products[0]["catalogItem"]["_info"]["catalog_href"].is_string());
    let fields = demo
        .json("company/companies?fields=id,name&pageSize=2")
        .await;
    assert_eq!(fields[0], json!({"id": 250, "name": "Contoso Managed IT"}));
    for endpoint in [
        "company/contacts",
        "finance/invoices",
        "finance/billingCycles",
        "system/securityRoles",
        "system/apiMembers",
        "system/members",
    ] {
        let list = demo.json(endpoint).await;
        assert!(
            list.as_array().is_some_and(|l| !l.is_empty()),
            "{endpoint} is empty"
        );
    }
    let members = demo.json("system/apiMembers").await;
    assert_eq!(members[0]["identifier"], data::DEMO_MEMBER_IDENTIFIER);
}

fn links(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get("link")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

fn rel(link: &str, name: &str) -> Option<String> {
    link.split(", ").find_map(|part| {
        let (url, rel) = part.split_once("; ")?;
        (rel == format!("rel=\"{name}\"")).then(|| {
            url.trim_start_matches('<')
                .trim_end_matches('>')
                .to_string()
        })
    })
}

#[tokio::test]
async fn paging_follows_link_next_to_every_record() {
    let demo = Demo::start(Scenario::new()).await;
    let mut url = demo.api("company/companies?pageSize=15");
    let mut ids = Vec::new();
    let mut pages = 0;
    // 40 companies at 15 a page: 3 pages; the bound only stops a runaway loop.
    for _ in 0..10 {
        let response = demo.get_url(&url).await;
        assert_eq!(response.status(), 200);
        let link = links(&response);
        let page: Value = response.json_value().await.expect("JSON");
        ids.extend(
            page.as_array()
                .into_iter()
                .flatten()
                .map(|c| c["id"].clone()),
        );
        pages += 1;
        let link = link.expect("a multi-page listing has a Link header");
        if pages == 1 {
            assert!(rel(&link, "prev").is_none() && rel(&link, "first").is_none());
            assert!(
                rel(&link, "last").is_some_and(|l| l.ends_with("page=3")),
                "{link}"
            );
        }
        match rel(&link, "next") {
            Some(next) => url = next,
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(ids.len(), data::COMPANY_COUNT);
    let unique: std::collections::BTreeSet<String> = ids.iter().map(Value::to_string).collect();
    assert_eq!(unique.len(), data::COMPANY_COUNT, "pages overlap");

    let one_page = demo.get("company/companies?pageSize=1000").await;
    assert!(links(&one_page).is_none(), "one page: no Link header");
    let default = demo.json("company/companies").await;
    assert_eq!(
        default.as_array().map(Vec::len),
        Some(25),
        "default page size"
    );
    let beyond = demo.json("company/companies?page=99").await;
    assert_eq!(beyond, json!([]));
}

#[tokio::test]
async fn bad_queries_and_unknown_endpoints_get_connectwise_errors() {
    let demo = Demo::start(Scenario::new()).await;
    let response = demo
        .get("company/companies?conditions=colour=\"red\"")
        .await;
    assert_eq!(response.status(), 400);
    let body: Value = response.json_value().await.expect("JSON");
    assert!(body["code"].is_string() && body["message"].is_string());
    assert_eq!(body["errors"][0]["field"], "colour");

    let response = demo.get("company/companies?page=two").await;
    assert_eq!(response.status(), 400);

    let response = demo.get("system/myAccount").await;
    assert_eq!(response.status(), 404);
    assert_eq!(response.text().await.expect("body"), NO_ENDPOINT);

    let response = demo.get("company/companies/1").await;
    assert_eq!(response.status(), 404);

    // Outside the API the host answers like a web server.
    let response = demo
        .http
        .get(format!("{}/nothing/here", demo.server.url()))
        .send()
        .await
        .expect("answer");
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn rate_limit_answers_429_with_retry_after_then_succeeds() {
    let demo = Demo::start(Scenario::new().rate_limited(2, 7)).await;
    for _ in 0..2 {
        let response = demo.get("company/companies/count").await;
        assert_eq!(response.status(), 429);
        assert_eq!(
            response
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok()),
            Some("7")
        );
        let body: Value = response.json_value().await.expect("JSON");
        assert_eq!(
            body,
            json!({"error": "ConnectWiseAPI", "message": "Too many requests. Please try again in 7 seconds."})
        );
    }
    assert_eq!(demo.get("company/companies/count").await.status(), 200);
}

#[tokio::test]
async fn server_errors_answer_5xx_with_the_connectwise_body_then_succeed() {
    let demo = Demo::start(Scenario::new().server_errors(2, 503)).await;
    for _ in 0..2 {
        let response = demo.get("system/info").await;
        assert_eq!(response.status(), 503);
        assert_eq!(
            response.text().await.expect("body"),
            r#"{"code":"ConnectWiseApi","message":"A timeout has occured. Please try again."}"#
        );
    }
    assert_eq!(demo.get("system/info").await.status(), 200);
}

#[tokio::test]
async fn stale_codebase_404s_until_looked_up_again() {
    let demo = Demo::start(Scenario::new().stale_codebase()).await;
    let first: Value = demo
        .company_info(DEMO_COMPANY_ID)
        .await
        .json_value()
        .await
        .expect("JSON");
    assert_eq!(first["Codebase"], "v2024_3/");
    let old = format!("{}/v2024_3/apis/3.0/system/info", demo.server.url());
    let response = demo.get_url(&old).await;
    assert_eq!(response.status(), 404);
    assert_eq!(response.text().await.expect("body"), NO_ENDPOINT);

    let second: Value = demo
        .company_info(DEMO_COMPANY_ID)
        .await
        .json_value()
        .await
        .expect("JSON");
    assert_eq!(second["Codebase"], "v2025_1/");
    let new = format!("{}/v2025_1/apis/3.0/system/info", demo.server.url());
    assert_eq!(demo.get_url(&new).await.status(), 200);
    // The old one stays gone.
    assert_eq!(demo.get_url(&old).await.status(), 404);
}

#[tokio::test]
async fn concurrent_requests_are_served_concurrently() {
    let demo = Demo::start(Scenario::new().latency(Duration::from_millis(300))).await;
    let started = Instant::now();
    let calls = (0..8).map(|_| demo.get("system/info"));
    let responses = futures::future::join_all(calls).await;
    let elapsed = started.elapsed();
    assert!(responses.iter().all(|r| r.status() == 200));
    let peak = demo.server.max_in_flight();
    assert!(peak >= 2, "peak in flight was {peak}");
    assert!(peak <= 8);
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");
    eprintln!("8 concurrent calls at 300 ms latency: peak in flight {peak}, {elapsed:?}");

    let serial = Demo::start(Scenario::new()).await;
    for _ in 0..3 {
        let _ = serial.get("system/info").await;
    }
    assert_eq!(serial.server.max_in_flight(), 1);
}

#[tokio::test]
async fn cross_origin_redirect_goes_to_another_origin_that_records_requests() {
    let demo = Demo::start(Scenario::new().cross_origin_redirect()).await;
    let other = demo.server.redirect_origin().expect("second listener");
    assert_ne!(other, demo.server.url());
    // companyinfo is not redirected: discovery works, the API calls do not.
    assert_eq!(demo.company_info(DEMO_COMPANY_ID).await.status(), 200);
    let response = demo.get("company/companies/count").await;
    assert_eq!(response.status(), 302);
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .expect("Location");
    assert_eq!(
        location,
        format!(
            "{other}{}",
            demo.api("company/companies/count")
                .trim_start_matches(&demo.server.url())
        )
    );
    // A client that wrongly followed it with credentials would be recorded there.
    let followed = demo.get_url(&location).await;
    assert_eq!(followed.status(), 200);
    let requests = demo.server.requests();
    let leaked: Vec<_> = requests.iter().filter(|r| r.origin == other).collect();
    assert_eq!(leaked.len(), 1);
    assert!(leaked[0].header("authorization").is_some());
}

#[tokio::test]
async fn html_answers_every_request_with_a_web_page() {
    let demo = Demo::start(Scenario::new().html()).await;
    for response in [
        demo.company_info(DEMO_COMPANY_ID).await,
        demo.get("system/info").await,
    ] {
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        assert!(content_type.starts_with("text/html"));
        assert!(
            response
                .text()
                .await
                .expect("body")
                .starts_with("<!DOCTYPE html>")
        );
    }
    let api_only = Demo::start(Scenario::new().html().faults_only_on_api()).await;
    let info: Value = api_only
        .company_info(DEMO_COMPANY_ID)
        .await
        .json_value()
        .await
        .expect("companyinfo still JSON");
    assert_eq!(info["Codebase"], "v2025_1/");
    assert!(
        api_only
            .get("system/info")
            .await
            .text()
            .await
            .expect("body")
            .contains("<html>")
    );
}

#[tokio::test]
async fn hang_is_cut_off_by_the_client_and_shutdown_still_returns() {
    let demo = Demo::start(Scenario::new().hang()).await;
    let started = Instant::now();
    let result = demo
        .http
        .get(demo.api("system/info"))
        .timeout(Duration::from_millis(500))
        .send()
        .await;
    assert!(result.is_err_and(|e| e.is_timeout()));
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(demo.server.requests().len(), 1, "the request was accepted");

    // A request still hanging does not hold shutdown up.
    let url = demo.api("system/info");
    let http = demo.http.clone();
    let pending = tokio::spawn(async move { http.get(url).send().await });
    for _ in 0..100 {
        if demo.server.requests().len() == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let stopping = Instant::now();
    demo.server.shutdown().await;
    assert!(stopping.elapsed() < Duration::from_secs(10));
    let answer = tokio::time::timeout(Duration::from_secs(10), pending)
        .await
        .expect("the hanging request ends with the server");
    assert!(answer.is_ok(), "client task finished");
}

#[tokio::test]
async fn slow_body_sends_headers_then_trickles() {
    let demo = Demo::start(Scenario::new().slow_body()).await;
    let response = demo.get("system/info").await;
    assert_eq!(response.status(), 200, "headers arrive at once");
    let started = Instant::now();
    let body = tokio::time::timeout(Duration::from_millis(700), response.bytes()).await;
    assert!(body.is_err(), "the body must not complete quickly");
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[tokio::test]
async fn oversized_bodies_exceed_eight_mebibytes() {
    let demo = Demo::start(Scenario::new().oversized()).await;
    let response = demo.get("company/companies").await;
    assert_eq!(response.status(), 200);
    assert!(
        response.content_length().is_none(),
        "chunked, no length up front"
    );
    let mut response = response;
    let mut total = 0usize;
    // Bounded: stop reading once past the 8 MiB cap a client must enforce.
    while let Some(chunk) = response.chunk().await.expect("chunk") {
        total += chunk.len();
        if total > 8 * 1024 * 1024 {
            break;
        }
    }
    assert!(total > 8 * 1024 * 1024, "only {total} bytes");
    // Discovery is unaffected.
    assert_eq!(demo.company_info(DEMO_COMPANY_ID).await.status(), 200);
}

#[tokio::test]
async fn wrong_types_and_malformed_json() {
    let demo = Demo::start(Scenario::new().wrong_json_types()).await;
    let info: Value = demo
        .company_info(DEMO_COMPANY_ID)
        .await
        .json_value()
        .await
        .expect("JSON");
    assert_eq!(info["Codebase"], 42);
    assert_eq!(
        demo.json("company/companies/count").await,
        json!({"count": "many"})
    );
    assert!(demo.json("company/companies").await[0]["id"].is_string());

    let demo = Demo::start(Scenario::new().malformed_json()).await;
    for response in [
        demo.company_info(DEMO_COMPANY_ID).await,
        demo.get("company/companies/count").await,
    ] {
        let text = response.text().await.expect("body");
        assert!(!text.is_empty());
        assert!(
            serde_json::from_str::<Value>(&text).is_err(),
            "{text} parsed"
        );
    }
}

#[tokio::test]
async fn zero_companies_and_hidden_agreement_types() {
    let demo = Demo::start(Scenario::new().zero_companies()).await;
    assert_eq!(
        demo.json("company/companies/count").await,
        json!({"count": 0})
    );
    assert_eq!(demo.json("company/companies").await, json!([]));
    assert_eq!(
        demo.json("finance/agreements/count").await,
        json!({"count": data::AGREEMENT_COUNT})
    );

    let demo = Demo::start(Scenario::new().hidden_agreement_types(&["Managed Services"])).await;
    let visible = demo.json("finance/agreements?pageSize=1000").await;
    let visible = visible.as_array().cloned().unwrap_or_default();
    assert!(visible.len() < data::AGREEMENT_COUNT);
    assert!(
        visible
            .iter()
            .all(|a| a["type"]["name"] != "Managed Services")
    );
    let ids: Vec<&Value> = visible.iter().map(|a| &a["id"]).collect();
    let dangling = visible
        .iter()
        .filter_map(|a| a.get("parentAgreement"))
        .filter(|p| !ids.contains(&&p["id"]))
        .count();
    assert!(dangling > 0, "children keep pointing at hidden parents");
    let count = demo.json("finance/agreements/count").await;
    assert_eq!(count["count"], visible.len());
}

#[tokio::test]
async fn latency_is_applied_before_answering() {
    let demo = Demo::start(Scenario::new().latency(Duration::from_millis(200))).await;
    let started = Instant::now();
    assert_eq!(demo.get("system/info").await.status(), 200);
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(200), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(10));
}

#[tokio::test]
async fn every_catalog_scenario_starts_and_answers_companyinfo_or_fails_as_named() {
    for (name, description) in Scenario::catalog() {
        assert!(!description.is_empty());
        let scenario = Scenario::named(name).unwrap_or_else(|| panic!("{name} does not parse"));
        if *name == "hang" || *name == "slow-body" {
            continue;
        }
        let demo = Demo::start(scenario).await;
        let response = demo.company_info(DEMO_COMPANY_ID).await;
        assert_eq!(response.status(), 200, "{name}");
        demo.server.shutdown().await;
    }
    assert!(Scenario::named("no-such-scenario").is_none());
    assert!(Scenario::named(" Healthy ").is_some());
}

#[tokio::test]
async fn start_on_a_taken_port_is_an_error_not_a_panic() {
    let first = SimServer::start(Scenario::new()).await.expect("starts");
    let second = SimServer::start_on(Scenario::new(), first.addr().port()).await;
    assert!(second.is_err());
}

#[tokio::test]
async fn same_origin_redirect_adds_a_slash_and_serves_the_target() {
    let demo = Demo::start(Scenario::new().same_origin_redirect()).await;
    let response = demo.get("company/companies/count?conditions=id=250").await;
    assert_eq!(response.status(), 302);
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .expect("Location");
    assert_eq!(
        location,
        demo.api("company/companies/count/?conditions=id=250")
    );
    assert_eq!(
        demo.get_url(&location).await.json_value().await,
        Ok(json!({"count": 1}))
    );
    assert!(demo.server.redirect_origin().is_none());
}

#[tokio::test]
async fn odd_paths_get_errors_not_a_dead_server() {
    let demo = Demo::start(Scenario::new()).await;
    for endpoint in [
        "company/companie%C3%A9",
        "%C3%A9",
        "company/companies/%FF%FE",
        "finance/agreements?conditions=%22",
        "finance/agreements?conditions=id%3D%3D%3D",
    ] {
        let status = demo.get(endpoint).await.status();
        assert!(status.is_client_error(), "{endpoint}: {status}");
    }
    let info = demo
        .company_info("%E2%9C%93")
        .await
        .text()
        .await
        .expect("body");
    assert_eq!(info, "null");
    assert_eq!(demo.get("system/info").await.status(), 200, "still serving");
}

// ---------------------------------------------------------------------------------------------
// Bounded memory and connection time
// ---------------------------------------------------------------------------------------------

/// Reads until the server closes the connection (EOF or reset); `None` if it is still open
/// after `limit`.
async fn closed_within(stream: &mut tokio::net::TcpStream, limit: Duration) -> Option<Duration> {
    use tokio::io::AsyncReadExt;
    let started = Instant::now();
    let mut buf = [0u8; 1024];
    loop {
        match tokio::time::timeout_at(
            tokio::time::Instant::from_std(started + limit),
            stream.read(&mut buf),
        )
        .await
        {
            Err(_) => return None,
            Ok(Ok(0)) | Ok(Err(_)) => return Some(started.elapsed()),
            // hyper may answer 408 before closing: keep reading to the close.
            Ok(Ok(_)) => {}
        }
    }
}

fn short_timeouts() -> cwsetup::sim::SimOptions {
    cwsetup::sim::SimOptions {
        header_timeout: Duration::from_millis(300),
        ..cwsetup::sim::SimOptions::default()
    }
}

#[tokio::test]
async fn a_stalled_request_head_is_closed_by_the_server() {
    use tokio::io::AsyncWriteExt;
    let server = SimServer::start_with(Scenario::new(), 0, short_timeouts())
        .await
        .expect("sim starts");
    let mut stream = tokio::net::TcpStream::connect(server.addr())
        .await
        .expect("connect");
    // Half a request head, then nothing: a slow-loris client.
    stream
        .write_all(b"GET /login/companyinfo/cwsetup_demo HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .await
        .expect("write");
    let closed = closed_within(&mut stream, Duration::from_secs(20)).await;
    assert!(
        closed.is_some(),
        "the connection was still open after 20 s (header timeout 300 ms)"
    );
    assert!(server.requests().is_empty(), "no request was completed");
}

#[tokio::test]
async fn an_idle_connection_is_closed_before_and_between_requests() {
    use tokio::io::AsyncWriteExt;
    let server = SimServer::start_with(Scenario::new(), 0, short_timeouts())
        .await
        .expect("sim starts");
    // Connected, never a byte.
    let mut silent = tokio::net::TcpStream::connect(server.addr())
        .await
        .expect("connect");
    assert!(
        closed_within(&mut silent, Duration::from_secs(20))
            .await
            .is_some(),
        "a silent connection was kept open"
    );
    // One whole request, answered, then silence on the kept-alive connection.
    let mut kept = tokio::net::TcpStream::connect(server.addr())
        .await
        .expect("connect");
    kept.write_all(b"GET /login/companyinfo/cwsetup_demo HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .await
        .expect("write");
    assert!(
        closed_within(&mut kept, Duration::from_secs(20))
            .await
            .is_some(),
        "an idle kept-alive connection was kept open"
    );
    assert_eq!(server.requests().len(), 1, "the request was answered");
}

#[tokio::test]
async fn the_request_log_keeps_only_the_most_recent_requests() {
    let options = cwsetup::sim::SimOptions {
        request_log: 50,
        ..cwsetup::sim::SimOptions::default()
    };
    let server = SimServer::start_with(Scenario::new(), 0, options)
        .await
        .expect("sim starts");
    let http = client();
    for i in 0..300 {
        let url = format!("{}/login/companyinfo/company{i}", server.url());
        let _ = http.get(&url).send().await.expect("answered");
    }
    let requests = server.requests();
    assert_eq!(requests.len(), 50, "the log is bounded");
    assert_eq!(server.request_count(), 300, "every request is counted");
    assert_eq!(requests[0].path, "/login/companyinfo/company250");
    assert_eq!(requests[49].path, "/login/companyinfo/company299");
    assert!(
        requests.iter().all(|r| r.finished.is_some()),
        "the kept entries are marked finished"
    );
    assert_eq!(
        cwsetup::sim::SimOptions::default().request_log,
        cwsetup::sim::DEFAULT_REQUEST_LOG
    );
    const { assert!(cwsetup::sim::DEFAULT_REQUEST_LOG <= 1000) };
}

#[tokio::test]
async fn every_credential_header_is_redacted_in_debug_output() {
    let demo = Demo::start(Scenario::new()).await;
    let _ = demo
        .http
        .get(demo.api("system/info"))
        .header("Authorization", demo_auth())
        .header("clientId", DEMO_CLIENT_ID)
        .header("Proxy-Authorization", "Basic cHJveHlTZWNyZXQ=")
        .header("Cookie", "session=cookieSecret")
        .header("X-Api-Key", "apiKeySecret")
        .send()
        .await
        .expect("answered");
    let requests = demo.server.requests();
    assert_eq!(requests.len(), 1);
    // Recorded as received (tests read them) ...
    assert_eq!(requests[0].header("cookie"), Some("session=cookieSecret"));
    // ... never printed.
    let debug = format!("{requests:?}");
    for secret in [
        "Y3dzZXR1cF9",
        "cHJveHlTZWNyZXQ",
        "cookieSecret",
        "apiKeySecret",
    ] {
        assert!(!debug.contains(secret), "Debug shows {secret}: {debug}");
    }
    assert!(debug.contains(DEMO_CLIENT_ID), "other headers are shown");
}

/// Issue 23, item 10: at most 256 connections are open at once (8,000 held ones reached
/// hundreds of MiB); the others wait until one closes, and are then served.
#[tokio::test]
async fn held_connections_are_capped_and_the_rest_wait_their_turn() {
    let server = SimServer::start(Scenario::new()).await.expect("sim starts");
    let mut held = Vec::new();
    for _ in 0..300 {
        held.push(
            tokio::net::TcpStream::connect(server.addr())
                .await
                .expect("connect (the kernel's backlog takes the rest)"),
        );
    }
    let wait_for = |n: usize| {
        let server = &server;
        async move {
            let started = Instant::now();
            while server.connections() < n && started.elapsed() < Duration::from_secs(10) {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            server.connections()
        }
    };
    assert_eq!(wait_for(256).await, 256);
    // Given time, no more is taken while the first 256 are held.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(server.connections(), 256, "no more than 256 at once");
    drop(held);
    assert_eq!(
        wait_for(300).await,
        300,
        "the waiting ones are served once slots free"
    );
    server.shutdown().await;
}

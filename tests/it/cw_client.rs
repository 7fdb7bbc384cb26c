//! The ConnectWise client against the simulated ConnectWise (and a few tiny servers of its own
//! for what the simulator does not do: TLS, refused connections, resets, DNS).
//!
//! Everything runs on 127.0.0.1 with servers the tests start and stop themselves. A test on
//! the simulator goes through one fixture (`common::fixture`): `with_sim` starts it, runs the
//! test body and shuts it down; `on_api` is one call on a fresh session.

use crate::common;

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::fixture::{client, credentials, demo_credentials, on_api, options, with_sim};
use cwsetup::cw::{ApiSession, ClientOptions, CwClient, CwError, ListQuery, SecurityRow, Site};
use cwsetup::profile::Level;
use cwsetup::sim::{
    self, DEMO_CLIENT_ID, DEMO_COMPANY_ID, DEMO_PRIVATE_KEY, DEMO_PUBLIC_KEY, MySecurityMode,
    Scenario, SimServer, data,
};
use serde::Deserialize;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

const WRONG_PUBLIC: &str = "FakePublicKey001";
const WRONG_PRIVATE: &str = "FakePrivateKey01";

/// No error text (summary, fix, Debug) may carry a key or the Authorization header.
fn assert_no_secret(err: &CwError) {
    let text = format!("{err} | {} | {err:?}", err.fix());
    for secret in [
        DEMO_PUBLIC_KEY,
        DEMO_PRIVATE_KEY,
        WRONG_PUBLIC,
        WRONG_PRIVATE,
        "Basic ",
    ] {
        assert!(!text.contains(secret), "secret leaked into {text}");
    }
}

#[derive(Debug, Deserialize)]
struct IdOnly {
    id: u64,
}

// ---------------------------------------------------------------- codebase discovery

#[tokio::test]
async fn company_info_is_read_without_credentials() {
    with_sim(Scenario::new(), async |sim| {
        let client = sim.client();
        let info = client.company_info(DEMO_COMPANY_ID).await.expect("found");
        assert_eq!(info.codebase, sim::CLOUD_CODEBASE);
        assert!(info.is_cloud);
        assert_eq!(info.company_name, data::DEMO_COMPANY_NAME);
        let session = client.session(&info, demo_credentials());
        assert_eq!(session.api_base().as_str(), sim.api_base());

        let requests = sim.requests();
        assert_eq!(requests.len(), 1);
        let request = &requests[0];
        assert_eq!(
            request.path,
            format!("/login/companyinfo/{DEMO_COMPANY_ID}")
        );
        assert_eq!(request.header("authorization"), None);
        assert_eq!(request.header("clientid"), None);
        assert_eq!(request.header("accept"), Some("application/json"));
    })
    .await;
}

#[tokio::test]
async fn every_loopback_site_form_reaches_the_simulator() {
    with_sim(Scenario::new(), async |sim| {
        let port = sim.addr().port();
        for form in [
            sim.url(),
            format!("http://127.0.0.1:{port}/"),
            format!("127.0.0.1:{port}"),
            format!("  http://127.0.0.1:{port}/  \n"),
            format!("localhost:{port}"),
            format!("http://localhost:{port}/v4_6_release/ConnectWise.aspx?locale=en_US"),
        ] {
            let client = client(&form, options());
            let info = client.company_info(DEMO_COMPANY_ID).await;
            assert!(info.is_ok(), "{form:?}: {info:?}");
        }
    })
    .await;
}

#[tokio::test]
async fn unknown_company_explains_id_versus_name() {
    let err = with_sim(Scenario::new().unknown_company(), async |sim| {
        sim.client().company_info("ContosoManagedIT").await
    })
    .await
    .expect_err("unknown");
    assert_eq!(err.kind(), "company_not_found");
    assert!(err.to_string().contains("ContosoManagedIT"), "{err}");
    assert!(err.fix().contains("login screen"));
}

#[tokio::test]
async fn is_cloud_as_string_and_self_hosted_answers() {
    let info = with_sim(Scenario::new().is_cloud_as_string(), async |sim| {
        sim.client().company_info(DEMO_COMPANY_ID).await
    })
    .await
    .expect("found");
    assert!(info.is_cloud);

    with_sim(
        Scenario::new().self_hosted().is_cloud_as_string(),
        async |sim| {
            let session = sim.session().await;
            assert_eq!(
                session.api_base().as_str(),
                format!("{}/{}apis/3.0/", sim.url(), sim::SELF_HOSTED_CODEBASE)
            );
            let info = session.system_info().await.expect("system/info");
            assert_eq!(info.is_cloud, Some(false));
        },
    )
    .await;
}

#[tokio::test]
async fn html_is_not_connectwise_on_companyinfo_and_on_the_api() {
    let err = with_sim(Scenario::new().html(), async |sim| {
        sim.client().company_info(DEMO_COMPANY_ID).await
    })
    .await
    .expect_err("HTML");
    assert_eq!(err.kind(), "not_connectwise");
    assert!(err.fix().contains("na.myconnectwise.net"));
    assert!(err.fix().contains("eu.myconnectwise.net"));

    let err = on_api(Scenario::new().html().faults_only_on_api(), async |s| {
        s.system_info().await
    })
    .await
    .expect_err("HTML");
    assert_eq!(err.kind(), "not_connectwise", "{err}");
}

#[tokio::test]
async fn wrong_json_types_are_unexpected_and_cut_json_is_not_connectwise() {
    let err = with_sim(Scenario::new().wrong_json_types(), async |sim| {
        sim.client().company_info(DEMO_COMPANY_ID).await
    })
    .await
    .expect_err("Codebase 42");
    assert_eq!(err.kind(), "unexpected_response", "{err}");

    let err = on_api(
        Scenario::new().wrong_json_types().faults_only_on_api(),
        async |s| s.count("company/companies").await,
    )
    .await
    .expect_err("count is a string");
    assert_eq!(err.kind(), "unexpected_response", "{err}");

    let err = on_api(
        Scenario::new().malformed_json().faults_only_on_api(),
        async |s| s.system_info().await,
    )
    .await
    .expect_err("cut JSON");
    assert_eq!(err.kind(), "not_connectwise", "{err}");
}

// ---------------------------------------------------------------- the API, healthy

#[tokio::test]
async fn counts_match_the_seeded_data() {
    with_sim(Scenario::new(), async |sim| {
        let session = sim.session().await;
        for (endpoint, expected) in [
            ("company/companies", data::COMPANY_COUNT),
            ("finance/agreements", data::AGREEMENT_COUNT),
            ("procurement/products", data::PRODUCT_COUNT),
            ("procurement/catalog", data::CATALOG_COUNT),
        ] {
            let count = session.count(endpoint).await.expect("count");
            assert_eq!(count, expected as u64, "{endpoint}");
        }
        let info = session.system_info().await.expect("system/info");
        assert_eq!(info.is_cloud, Some(true));
        assert!(info.version.is_some());
        session.probe("company/contacts").await.expect("probe");
        let probe = sim
            .api_requests()
            .into_iter()
            .find(|r| r.path.ends_with("company/contacts"))
            .expect("probe request recorded");
        assert_eq!(probe.query.as_deref(), Some("pageSize=1"));
    })
    .await;
}

#[tokio::test]
async fn every_api_call_sends_the_exact_headers() {
    with_sim(Scenario::new(), async |sim| {
        let session = sim.session().await;
        session.count("company/companies").await.expect("count");
        let requests = sim.api_requests();
        assert_eq!(requests.len(), 1);
        let request = &requests[0];
        // base64("cwsetup_demo+DemoPublicKey001:DemoPrivateKey01"), computed independently.
        assert_eq!(
            request.header("authorization"),
            Some("Basic Y3dzZXR1cF9kZW1vK0RlbW9QdWJsaWNLZXkwMDE6RGVtb1ByaXZhdGVLZXkwMQ==")
        );
        assert_eq!(request.header("clientid"), Some(DEMO_CLIENT_ID));
        assert_eq!(request.header("accept"), Some("application/json"));
        assert_eq!(
            request.header("user-agent"),
            Some(format!("cwsetup/{}", env!("CARGO_PKG_VERSION")).as_str())
        );
        assert_eq!(request.method, "GET");
    })
    .await;
}

#[tokio::test]
async fn listing_follows_pages_until_the_last() {
    with_sim(Scenario::new(), async |sim| {
        let session = sim.session().await;

        // 40 companies in pages of 7: six pages, the last one short.
        let query = ListQuery {
            page_size: 7,
            ..ListQuery::default()
        };
        let companies: Vec<IdOnly> = session
            .list("company/companies", &query)
            .await
            .expect("list");
        assert_eq!(companies.len(), data::COMPANY_COUNT);
        let ids: HashSet<u64> = companies.iter().map(|c| c.id).collect();
        assert_eq!(ids.len(), data::COMPANY_COUNT, "no page read twice");
        assert_eq!(sim.api_requests().len(), 6);

        // Pages of 10: the fourth page is full, and its Link header has no next.
        let query = ListQuery {
            page_size: 10,
            fields: Some("id".into()),
            ..ListQuery::default()
        };
        let before = sim.api_requests().len();
        let companies: Vec<IdOnly> = session
            .list("company/companies", &query)
            .await
            .expect("list");
        assert_eq!(companies.len(), data::COMPANY_COUNT);
        let pages = &sim.api_requests()[before..];
        assert_eq!(pages.len(), 4);
        let query_text = pages[3].query.clone().unwrap_or_default();
        assert!(query_text.contains("page=4"), "{query_text}");
        assert!(query_text.contains("fields=id"), "{query_text}");

        // max_items stops early.
        let query = ListQuery {
            page_size: 5,
            max_items: Some(12),
            ..ListQuery::default()
        };
        let before = sim.api_requests().len();
        let some: Vec<IdOnly> = session
            .list("company/companies", &query)
            .await
            .expect("list");
        assert_eq!(some.len(), 12);
        assert_eq!(sim.api_requests().len() - before, 3);
    })
    .await;
}

#[tokio::test]
async fn listing_passes_conditions() {
    with_sim(Scenario::new(), async |sim| {
        let session = sim.session().await;
        let all: Vec<serde_json::Value> = session
            .list("finance/agreements", &ListQuery::default())
            .await
            .expect("list");
        let with_parent = all
            .iter()
            .filter(|a| a.get("parentAgreement").is_some())
            .count();
        assert!(with_parent > 0, "the seeded data has child agreements");
        let query = ListQuery {
            conditions: Some("parentAgreement/id > 0".into()),
            ..ListQuery::default()
        };
        let children: Vec<serde_json::Value> = session
            .list("finance/agreements", &query)
            .await
            .expect("list");
        let request = sim.api_requests().pop().expect("recorded");
        assert!(
            request.query.unwrap_or_default().contains("conditions="),
            "conditions were sent"
        );
        assert!(children.len() <= all.len());
    })
    .await;
}

#[tokio::test]
async fn my_security_reads_the_members_rows() {
    let rows: Vec<SecurityRow> = on_api(
        Scenario::new().revoke("Procurement", "Products"),
        async |s| s.my_security().await,
    )
    .await
    .expect("rows");
    let products = rows
        .iter()
        .find(|r| r.module_name == "Procurement" && r.function_name == "Products")
        .expect("the revoked row is listed");
    assert_eq!(products.levels.inquire, Level::None);
    let companies = rows
        .iter()
        .find(|r| r.function_name == "Company Maintenance")
        .expect("company row");
    assert_ne!(companies.levels.inquire, Level::None);
}

#[tokio::test]
async fn independent_calls_run_concurrently_under_the_cap() {
    with_sim(
        Scenario::new().latency(Duration::from_millis(150)),
        async |sim| {
            let session = sim
                .session_with(ClientOptions {
                    max_concurrency: 3,
                    ..options()
                })
                .await;
            let started = Instant::now();
            let calls = (0..12).map(|_| {
                let session = session.clone();
                async move { session.count("company/companies").await }
            });
            let results = futures::future::join_all(calls).await;
            assert!(results.iter().all(Result::is_ok), "{results:?}");
            assert!(sim.max_in_flight() <= 3, "peak {}", sim.max_in_flight());
            assert!(sim.max_in_flight() >= 2, "peak {}", sim.max_in_flight());
            assert!(started.elapsed() < Duration::from_secs(10));
        },
    )
    .await;
}

// ---------------------------------------------------------------- the API, refused

#[tokio::test]
async fn wrong_keys_and_inactive_members_are_unauthorized() {
    with_sim(Scenario::new(), async |sim| {
        let client = sim.client();
        let info = client.company_info(DEMO_COMPANY_ID).await.expect("found");
        for creds in [
            credentials(DEMO_COMPANY_ID, WRONG_PUBLIC, WRONG_PRIVATE),
            // Swapped keys.
            credentials(DEMO_COMPANY_ID, DEMO_PRIVATE_KEY, DEMO_PUBLIC_KEY),
            // Padded with a pasted newline.
            credentials(DEMO_COMPANY_ID, DEMO_PUBLIC_KEY, "DemoPrivateKey01\n"),
        ] {
            let err = client
                .session(&info, creds)
                .system_info()
                .await
                .expect_err("401");
            assert_eq!(err.kind(), "unauthorized", "{err}");
            assert!(err.to_string().contains("UserNotAuthenticated"), "{err}");
            assert!(err.fix().contains("swapped"));
            assert_no_secret(&err);
        }
        // 401 is never retried.
        assert_eq!(sim.api_requests().len(), 3);
    })
    .await;

    let err = on_api(Scenario::new().inactive_member(), async |s| {
        s.count("company/companies").await
    })
    .await
    .expect_err("401");
    assert_eq!(err.kind(), "unauthorized");
}

#[tokio::test]
async fn a_missing_client_id_is_named() {
    let err = with_sim(Scenario::new(), async |sim| {
        let session = sim
            .session_with(ClientOptions {
                client_id: String::new(),
                ..options()
            })
            .await;
        session.system_info().await
    })
    .await
    .expect_err("no clientId");
    assert_eq!(err.kind(), "missing_client_id", "{err}");
    assert!(err.fix().contains("clientId"));
}

#[tokio::test]
async fn a_missing_role_row_is_forbidden_on_exactly_its_endpoint() {
    with_sim(
        Scenario::new().revoke("Procurement", "Products"),
        async |sim| {
            let session = sim.session().await;
            let err = session
                .probe("procurement/products")
                .await
                .expect_err("403");
            match &err {
                CwError::Forbidden {
                    endpoint,
                    code,
                    message,
                } => {
                    assert_eq!(endpoint, "procurement/products");
                    assert_eq!(code.as_deref(), Some("Security"));
                    assert!(
                        message
                            .as_deref()
                            .unwrap_or_default()
                            .contains("security permission"),
                        "{message:?}"
                    );
                }
                other => panic!("expected Forbidden, got {other:?}"),
            }
            assert!(err.to_string().contains("procurement/products"));
            session
                .probe("procurement/catalog")
                .await
                .expect("catalog is still readable");
            // 403 is never retried.
            assert_eq!(
                sim.api_requests()
                    .iter()
                    .filter(|r| r.path.ends_with("procurement/products"))
                    .count(),
                1
            );
        },
    )
    .await;
}

#[tokio::test]
async fn my_security_forbidden_or_missing_is_reported_as_such() {
    let err = on_api(
        Scenario::new().my_security(MySecurityMode::Forbidden),
        async |s| s.my_security().await,
    )
    .await
    .expect_err("403");
    assert_eq!(err.kind(), "forbidden");

    with_sim(
        Scenario::new().my_security(MySecurityMode::NotFound),
        async |sim| {
            let session = sim.session().await;
            let err = session.my_security().await.expect_err("404");
            assert_eq!(err.kind(), "not_found", "{err}");
            assert!(err.to_string().contains("system/mySecurity"));
            // The 404 triggered one codebase rediscovery; it found nothing new, so no retry.
            let discoveries = sim
                .requests()
                .iter()
                .filter(|r| r.path.starts_with("/login/companyinfo/"))
                .count();
            assert_eq!(discoveries, 2);
            assert_eq!(sim.api_requests().len(), 1);
        },
    )
    .await;
}

#[tokio::test]
async fn a_stale_codebase_is_rediscovered_once() {
    with_sim(Scenario::new().stale_codebase(), async |sim| {
        let session = sim.session().await;
        assert!(
            session.api_base().as_str().contains(sim::STALE_CODEBASE),
            "{}",
            session.api_base()
        );
        let count = session.count("company/companies").await.expect("retried");
        assert_eq!(count, data::COMPANY_COUNT as u64);
        assert!(
            session.api_base().as_str().contains(sim::CLOUD_CODEBASE),
            "{}",
            session.api_base()
        );
        // Clones share the refreshed base: the next call goes straight to the new codebase.
        let before = sim.requests().len();
        session.clone().system_info().await.expect("system/info");
        assert_eq!(sim.requests().len() - before, 1);
    })
    .await;
}

// ---------------------------------------------------------------- retries and limits

#[tokio::test]
async fn rate_limits_are_retried_after_retry_after() {
    with_sim(Scenario::new().rate_limited(2, 1), async |sim| {
        let session = sim.session().await;
        let started = Instant::now();
        let count = session.count("company/companies").await.expect("retried");
        assert_eq!(count, data::COMPANY_COUNT as u64);
        assert_eq!(sim.api_requests().len(), 3);
        // Two waits of Retry-After: 1 s each.
        assert!(started.elapsed() >= Duration::from_secs(2));
        assert!(started.elapsed() < Duration::from_secs(10));
    })
    .await;
}

#[tokio::test]
async fn a_long_retry_after_is_reported_not_waited_for() {
    with_sim(Scenario::new().rate_limited(1, 30), async |sim| {
        let session = sim.session().await;
        let started = Instant::now();
        let err = session.count("company/companies").await.expect_err("429");
        assert_eq!(
            err,
            CwError::RateLimited {
                host: sim.url(),
                retry_after: Some(Duration::from_secs(30))
            }
        );
        assert_eq!(sim.api_requests().len(), 1);
        assert!(started.elapsed() < Duration::from_secs(10));
    })
    .await;
}

#[tokio::test]
async fn persistent_rate_limits_give_up_after_three_retries() {
    with_sim(Scenario::new().rate_limited(10, 0), async |sim| {
        let err = sim
            .session()
            .await
            .count("company/companies")
            .await
            .expect_err("429");
        assert_eq!(err.kind(), "rate_limited");
        assert_eq!(sim.api_requests().len(), 4);
    })
    .await;
}

#[tokio::test]
async fn server_errors_are_retried_then_reported_with_connectwise_message() {
    with_sim(Scenario::new().server_errors(2, 503), async |sim| {
        let count = sim
            .session()
            .await
            .count("company/companies")
            .await
            .expect("retried");
        assert_eq!(count, data::COMPANY_COUNT as u64);
        assert_eq!(sim.api_requests().len(), 3);
    })
    .await;

    with_sim(Scenario::new().server_errors(10, 500), async |sim| {
        let err = sim
            .session()
            .await
            .count("company/companies")
            .await
            .expect_err("500");
        match &err {
            CwError::Server {
                status,
                code,
                message,
                ..
            } => {
                assert_eq!(*status, 500);
                assert_eq!(code.as_deref(), Some("ConnectWiseApi"));
                assert_eq!(
                    message.as_deref(),
                    Some("A timeout has occured. Please try again.")
                );
            }
            other => panic!("expected Server, got {other:?}"),
        }
        assert_eq!(sim.api_requests().len(), 4);
    })
    .await;
}

#[tokio::test]
async fn a_hanging_server_is_cut_off_at_the_deadline() {
    with_sim(Scenario::new().hang(), async |sim| {
        let started = Instant::now();
        let err = sim
            .client_with(ClientOptions {
                deadline: Some(tokio::time::Instant::now() + Duration::from_secs(2)),
                ..options()
            })
            .company_info(DEMO_COMPANY_ID)
            .await
            .expect_err("hangs");
        assert_eq!(err.kind(), "timeout", "{err}");
        assert!(!err.is_connection(), "the connection itself was accepted");
        assert!(started.elapsed() < Duration::from_secs(10));
    })
    .await;

    with_sim(Scenario::new().hang().faults_only_on_api(), async |sim| {
        let session = sim
            .session_with(ClientOptions {
                request_timeout: Duration::from_secs(1),
                ..options()
            })
            .await;
        let started = Instant::now();
        let err = session.system_info().await.expect_err("hangs");
        assert_eq!(err.kind(), "timeout", "{err}");
        assert!(started.elapsed() < Duration::from_secs(10));
    })
    .await;
}

#[tokio::test]
async fn a_trickling_body_is_cut_off() {
    with_sim(
        Scenario::new().slow_body().faults_only_on_api(),
        async |sim| {
            let session = sim
                .session_with(ClientOptions {
                    request_timeout: Duration::from_secs(1),
                    ..options()
                })
                .await;
            let started = Instant::now();
            let err = session.system_info().await.expect_err("too slow");
            assert_eq!(err.kind(), "timeout", "{err}");
            assert!(started.elapsed() < Duration::from_secs(10));
        },
    )
    .await;
}

#[tokio::test]
async fn a_deadline_in_the_past_fails_without_a_request() {
    with_sim(Scenario::new(), async |sim| {
        let err = sim
            .client_with(ClientOptions {
                deadline: Some(tokio::time::Instant::now()),
                ..options()
            })
            .company_info(DEMO_COMPANY_ID)
            .await
            .expect_err("no time left");
        assert_eq!(err.kind(), "timeout");
        assert!(!err.to_string().contains("within 0 s"), "{err}");
        assert!(sim.requests().is_empty());
    })
    .await;
}

#[tokio::test]
async fn an_oversized_body_is_an_error_not_an_allocation() {
    let err = on_api(Scenario::new().oversized(), async |s| {
        s.list::<serde_json::Value>("company/companies", &ListQuery::default())
            .await
    })
    .await
    .expect_err("16 MiB");
    assert_eq!(err.kind(), "body_too_large", "{err}");
    // The limit as people say it, not as a raw byte count.
    assert!(err.to_string().contains("larger than 8 MiB"), "{err}");
}

#[tokio::test]
async fn a_cross_origin_redirect_is_refused_and_gets_no_credentials() {
    with_sim(Scenario::new().cross_origin_redirect(), async |sim| {
        let other = sim.redirect_origin().expect("second origin");
        let err = sim
            .session()
            .await
            .system_info()
            .await
            .expect_err("redirect");
        assert_eq!(
            err,
            CwError::CrossOriginRedirect {
                from: sim.url(),
                to: other.clone()
            }
        );
        assert_no_secret(&err);
        let requests = sim.requests();
        assert!(
            requests.iter().all(|r| r.origin != other),
            "the other origin was contacted"
        );
        assert!(
            requests
                .iter()
                .filter(|r| r.header("authorization").is_some())
                .all(|r| r.origin == sim.url())
        );
    })
    .await;
}

// ---------------------------------------------------------------- transport failures

#[tokio::test]
async fn a_closed_port_is_connection_refused() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    let err = client(&format!("http://127.0.0.1:{port}"), options())
        .company_info(DEMO_COMPANY_ID)
        .await
        .expect_err("refused");
    assert_eq!(err.kind(), "connection_refused", "{err}");
    assert!(err.is_connection());
}

struct FailingResolver;

impl reqwest::dns::Resolve for FailingResolver {
    fn resolve(&self, _name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        Box::pin(async {
            Err(Box::new(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "failed to lookup address information: Name or service not known",
            )) as Box<dyn std::error::Error + Send + Sync>)
        })
    }
}

#[tokio::test]
async fn an_unknown_host_is_a_dns_failure() {
    // The resolver fails without asking any DNS server, so the test stays on this machine.
    let err = client(
        "cw.example.invalid",
        ClientOptions {
            resolver: Some(Arc::new(FailingResolver)),
            ..options()
        },
    )
    .company_info(DEMO_COMPANY_ID)
    .await
    .expect_err("no such host");
    assert_eq!(err.kind(), "dns", "{err}");
    assert!(err.is_connection());
    assert!(err.to_string().contains("cw.example.invalid"));
}

/// Drops the first `resets` connections after reading the request, then answers companyinfo.
async fn flaky_server(
    resets: usize,
) -> (SocketAddr, Arc<AtomicUsize>, tokio::task::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let connections = Arc::new(AtomicUsize::new(0));
    let seen = connections.clone();
    let task = tokio::spawn(async move {
        for _ in 0..10 {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let n = seen.fetch_add(1, Ordering::SeqCst);
            let _ = common::net::read_request_path(&mut stream).await;
            if n < resets {
                drop(stream);
                continue;
            }
            let body = r#"{"CompanyName":"Flaky","Codebase":"v2025_1/","CompanyID":"flaky","IsCloud":false}"#;
            let _ = write_response(&mut stream, body).await;
        }
    });
    (addr, connections, task)
}

async fn write_response<S: AsyncWriteExt + Unpin>(
    stream: &mut S,
    body: &str,
) -> std::io::Result<()> {
    let response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(response.as_bytes()).await?;
    stream.shutdown().await
}

#[tokio::test]
async fn a_dropped_connection_is_retried() {
    let (addr, connections, task) = flaky_server(2).await;
    let info = client(&format!("http://{addr}"), options())
        .company_info("flaky")
        .await
        .expect("third attempt answers");
    assert_eq!(info.company_name, "Flaky");
    assert_eq!(connections.load(Ordering::SeqCst), 3);
    task.abort();

    let (addr, connections, task) = flaky_server(10).await;
    let err = client(&format!("http://{addr}"), options())
        .company_info("flaky")
        .await
        .expect_err("always dropped");
    assert_eq!(err.kind(), "connection_lost", "{err}");
    assert_eq!(connections.load(Ordering::SeqCst), 4, "1 try + 3 retries");
    task.abort();
}

// ---------------------------------------------------------------- TLS

mod tls {
    use super::*;
    pub use crate::common::tls::*;

    /// An HTTPS server on 127.0.0.1 answering companyinfo with `leaf`.
    pub async fn https_server(leaf: Leaf) -> (SocketAddr, tokio::task::JoinHandle<()>) {
        let acceptor = acceptor(leaf);
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let task = tokio::spawn(async move {
            for _ in 0..10 {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    let Ok(mut tls) = acceptor.accept(stream).await else {
                        return;
                    };
                    if common::net::read_request_path(&mut tls).await.is_some() {
                        let body = r#"{"CompanyName":"TLS","Codebase":"v4_6_release/","CompanyID":"tls","IsCloud":false}"#;
                        let _ = write_response(&mut tls, body).await;
                    }
                });
            }
        });
        (addr, task)
    }
}

async fn tls_company_info(
    leaf: tls::Leaf,
    trusted_ca_pem: Option<&str>,
) -> Result<String, CwError> {
    let (addr, task) = tls::https_server(leaf).await;
    let options = ClientOptions {
        extra_root_certs_pem: trusted_ca_pem
            .map(|pem| vec![pem.as_bytes().to_vec()])
            .unwrap_or_default(),
        ..options()
    };
    let result = client(&format!("https://{addr}"), options)
        .company_info("tls")
        .await
        .map(|info| info.company_name);
    task.abort();
    result
}

#[tokio::test]
#[cfg_attr(
    windows,
    ignore = "under Wine, crypt32 refuses an extra root ('Invalid parameter') and reports a self-signed certificate as a failed revocation check; real Windows: --include-ignored"
)]
async fn a_certificate_from_a_trusted_ca_works() {
    // The positive control for the three failures below: same CA, same server, valid leaf.
    let ca = tls::test_ca();
    let leaf = tls::signed_leaf(&ca, "127.0.0.1", false);
    let name = tls_company_info(leaf, Some(&ca.pem))
        .await
        .expect("trusted");
    assert_eq!(name, "TLS");
}

#[tokio::test]
#[cfg_attr(
    windows,
    ignore = "under Wine, crypt32 refuses an extra root ('Invalid parameter') and reports a self-signed certificate as a failed revocation check; real Windows: --include-ignored"
)]
async fn a_self_signed_certificate_is_an_unknown_issuer() {
    let leaf = tls::self_signed_leaf("127.0.0.1");
    let err = tls_company_info(leaf, None).await.expect_err("untrusted");
    assert_eq!(err.kind(), "tls_unknown_issuer", "{err}");
    assert!(err.is_connection());
    assert!(err.fix().contains("self-signed"));
}

#[tokio::test]
#[cfg_attr(
    windows,
    ignore = "under Wine, crypt32 refuses an extra root ('Invalid parameter') and reports a self-signed certificate as a failed revocation check; real Windows: --include-ignored"
)]
async fn an_expired_certificate_is_told_apart() {
    let ca = tls::test_ca();
    let leaf = tls::signed_leaf(&ca, "127.0.0.1", true);
    let err = tls_company_info(leaf, Some(&ca.pem))
        .await
        .expect_err("expired");
    assert_eq!(err.kind(), "tls_expired", "{err}");
}

#[tokio::test]
#[cfg_attr(
    windows,
    ignore = "under Wine, crypt32 refuses an extra root ('Invalid parameter') and reports a self-signed certificate as a failed revocation check; real Windows: --include-ignored"
)]
async fn a_certificate_for_another_name_is_told_apart() {
    let ca = tls::test_ca();
    let leaf = tls::signed_leaf(&ca, "cw.other.example", false);
    let err = tls_company_info(leaf, Some(&ca.pem))
        .await
        .expect_err("wrong name");
    assert_eq!(err.kind(), "tls_name_mismatch", "{err}");
}

#[tokio::test]
async fn https_to_a_plain_http_server_is_a_tls_error() {
    let err = with_sim(Scenario::new(), async |sim| {
        client(&format!("https://{}", sim.addr()), options())
            .company_info(DEMO_COMPANY_ID)
            .await
    })
    .await
    .expect_err("not TLS");
    assert_eq!(err.kind(), "tls", "{err}");
}

#[test]
fn invalid_extra_ca_pem_is_a_setup_error() {
    let site = Site::parse("cw.example.com").expect("site");
    let err = CwClient::new(
        site,
        ClientOptions {
            extra_root_certs_pem: vec![
                b"-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n".to_vec(),
            ],
            ..ClientOptions::default()
        },
    )
    .expect_err("bad PEM");
    assert_eq!(err.kind(), "client_setup", "{err}");
}

#[test]
fn a_client_id_with_control_characters_is_refused() {
    let site = Site::parse("cw.example.com").expect("site");
    let err = CwClient::new(
        site,
        ClientOptions {
            client_id: "abc\ndef".into(),
            ..ClientOptions::default()
        },
    )
    .expect_err("bad header");
    assert_eq!(err, CwError::InvalidClientId);
}

#[tokio::test]
async fn a_same_origin_redirect_is_followed_with_credentials() {
    with_sim(Scenario::new().same_origin_redirect(), async |sim| {
        let session = sim.session().await;
        let count = session.count("company/companies").await.expect("followed");
        assert_eq!(count, data::COMPANY_COUNT as u64);
        let requests = sim.api_requests();
        assert_eq!(requests.len(), 2, "the 302, then the target");
        assert!(requests[1].path.ends_with('/'), "{}", requests[1].path);
        assert!(requests.iter().all(|r| r.header("authorization").is_some()));
    })
    .await;
}

#[tokio::test]
async fn endpoints_cannot_leave_the_api_base() {
    with_sim(Scenario::new(), async |sim| {
        let other = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let other_addr = other.local_addr().expect("addr");
        let session = sim.session().await;
        for endpoint in [
            format!("//{other_addr}/steal"),
            format!("http://{other_addr}/steal"),
            "../../login/companyinfo/x".to_string(),
            String::new(),
        ] {
            let err = session.probe(&endpoint).await.expect_err("refused");
            assert_eq!(err.kind(), "invalid_endpoint", "{endpoint:?}: {err}");
        }
        assert!(sim.api_requests().is_empty());
        // Nothing connected to the other listener either.
        let accepted = tokio::time::timeout(Duration::from_millis(50), other.accept()).await;
        assert!(accepted.is_err(), "a request reached the other origin");
    })
    .await;
}

#[tokio::test]
async fn ipv6_loopback_sites_work() {
    // Skipped where the machine has no IPv6 loopback (some containers).
    let Ok(listener) = TcpListener::bind("[::1]:0").await else {
        eprintln!("no ::1 on this machine; skipping");
        return;
    };
    let addr = listener.local_addr().expect("addr");
    let task = tokio::spawn(async move {
        if let Ok((mut stream, _)) = listener.accept().await {
            let _ = common::net::read_request_path(&mut stream).await;
            let body = r#"{"CompanyName":"Six","Codebase":"v4_6_release/","CompanyID":"six","IsCloud":false}"#;
            let _ = write_response(&mut stream, body).await;
        }
    });
    let site = format!("http://[::1]:{}/", addr.port());
    let info = client(&site, options())
        .company_info("six")
        .await
        .expect("answered over ::1");
    assert_eq!(info.company_name, "Six");
    task.abort();
}

#[tokio::test]
async fn a_connect_that_never_completes_is_a_connection_timeout() {
    let (addr, listener, fillers) = common::net::connect_never_completes().await;
    let started = Instant::now();
    let err = client(
        &format!("http://{addr}"),
        ClientOptions {
            connect_timeout: Duration::from_millis(500),
            ..options()
        },
    )
    .company_info(DEMO_COMPANY_ID)
    .await
    .expect_err("never connects");
    assert_eq!(err.kind(), "timeout", "{err}");
    assert!(err.is_connection(), "{err}");
    assert!(err.to_string().contains("while connecting"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(10));
    drop(fillers);
    drop(listener);
}

// ---------------------------------------------------------------- answers the simulator does not give

type Script = fn(&str) -> (u16, &'static [(&'static str, &'static str)], &'static str);

/// Answers companyinfo like a self-hosted server and every other path from `script`.
async fn scripted_server(script: Script) -> (SocketAddr, tokio::task::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let task = tokio::spawn(async move {
        for _ in 0..50 {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let Some(path) = common::net::read_request_path(&mut stream).await else {
                continue;
            };
            let (status, headers, body) = if path.starts_with("/login/companyinfo/") {
                (
                    200,
                    &[][..],
                    r#"{"CompanyName":"Scripted","Codebase":"v4_6_release/","CompanyID":"scripted","IsCloud":false}"#,
                )
            } else {
                script(&path)
            };
            common::net::write_reply(&mut stream, status, headers, body).await;
        }
    });
    (addr, task)
}

async fn scripted_error(script: Script) -> CwError {
    let (addr, task) = scripted_server(script).await;
    let client = client(&format!("http://{addr}"), options());
    let info = client.company_info("scripted").await.expect("companyinfo");
    let err = client
        .session(&info, credentials("scripted", WRONG_PUBLIC, WRONG_PRIVATE))
        .system_info()
        .await
        .expect_err("scripted failure");
    task.abort();
    assert_no_secret(&err);
    err
}

#[tokio::test]
async fn ssl_required_points_at_the_api_host() {
    let err = scripted_error(|_| {
        (
            403,
            &[("content-type", "application/json")],
            r#"{"code":"Security","message":"SSL is required.","errors":null}"#,
        )
    })
    .await;
    assert_eq!(err.kind(), "ssl_required", "{err}");
    assert!(err.fix().contains("api-na.myconnectwise.net"));
}

#[tokio::test]
async fn a_bad_request_keeps_connectwise_details() {
    let err = scripted_error(|_| {
        (
            400,
            &[],
            r#"{"code":"InvalidObject","message":"conditions are invalid","errors":[{"code":"Syntax","message":"unexpected token","field":"conditions"}]}"#,
        )
    })
    .await;
    match err {
        CwError::BadRequest { code, message, .. } => {
            assert_eq!(code.as_deref(), Some("InvalidObject"));
            assert_eq!(
                message.as_deref(),
                Some("conditions are invalid (unexpected token)")
            );
        }
        other => panic!("expected BadRequest, got {other:?}"),
    }
}

#[tokio::test]
async fn an_odd_status_is_reported_as_is() {
    let err = scripted_error(|_| (418, &[], "")).await;
    assert_eq!(err.kind(), "unexpected_status", "{err}");
    assert!(err.to_string().contains("418"));
}

#[tokio::test]
async fn an_html_404_on_the_api_is_not_connectwise() {
    let err = scripted_error(|_| {
        (
            404,
            &[("content-type", "text/html")],
            "<html><body>IIS 404</body></html>",
        )
    })
    .await;
    assert_eq!(err.kind(), "not_connectwise", "{err}");
}

#[tokio::test]
async fn a_401_with_the_unauthorized_message_is_unauthorized() {
    let err = scripted_error(|_| {
        (
            401,
            &[],
            r#"{"code":"Unauthorized","message":"Unauthorized"}"#,
        )
    })
    .await;
    assert_eq!(err.kind(), "unauthorized", "{err}");
    assert!(
        err.fix().contains("company ID \"scripted\""),
        "{}",
        err.fix()
    );
}

#[tokio::test]
async fn a_redirect_loop_stops() {
    let err = scripted_error(|path| {
        // Same origin, forever: alternate between two paths.
        if path.ends_with("/a") {
            (302, &[("location", "/v4_6_release/apis/3.0/system/b")], "")
        } else {
            (302, &[("location", "/v4_6_release/apis/3.0/system/a")], "")
        }
    })
    .await;
    assert_eq!(err.kind(), "too_many_redirects", "{err}");
}

#[tokio::test]
async fn a_429_without_retry_after_backs_off_and_reports() {
    let started = Instant::now();
    let err = scripted_error(|_| {
        (
            429,
            &[],
            r#"{"error":"ConnectWiseAPI","message":"Too many requests."}"#,
        )
    })
    .await;
    assert!(
        matches!(
            err,
            CwError::RateLimited {
                retry_after: None,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[tokio::test]
async fn a_session_can_take_a_new_deadline() {
    let err = with_sim(Scenario::new().hang().faults_only_on_api(), async |sim| {
        let session = sim
            .session_with(ClientOptions {
                deadline: None,
                ..options()
            })
            .await;
        let started = Instant::now();
        let result = session
            .with_deadline(Some(tokio::time::Instant::now() + Duration::from_secs(1)))
            .count("company/companies")
            .await;
        assert!(started.elapsed() < Duration::from_secs(10));
        result
    })
    .await
    .expect_err("hangs");
    assert_eq!(err.kind(), "timeout", "{err}");
}

#[tokio::test]
async fn an_empty_company_id_is_refused_before_any_request() {
    with_sim(Scenario::new(), async |sim| {
        let err = sim.client().company_info("   ").await.expect_err("empty");
        assert_eq!(err, CwError::MissingCompanyId);
        assert!(err.fix().contains("login screen"));
        for bad in ["con\ttoso", "Contoso Ltd", "con\u{1b}toso"] {
            let err = sim.client().company_info(bad).await.expect_err("refused");
            assert_eq!(err.kind(), "invalid_company_id", "{bad:?}: {err}");
        }
        assert!(sim.requests().is_empty());
    })
    .await;
}

// ---------------------------------------------------------------- hostile listings

type Pager = Arc<dyn Fn(&str) -> (Vec<(String, String)>, String) + Send + Sync>;

/// Answers companyinfo like a self-hosted server, and every API path from `pager` (given the
/// path with its query); at most `max_requests` requests, so a test can never spin forever.
async fn hostile_server(
    max_requests: usize,
    pager: Pager,
) -> (String, Arc<AtomicUsize>, tokio::task::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let origin = format!("http://{}", listener.local_addr().expect("addr"));
    let served = Arc::new(AtomicUsize::new(0));
    let count = served.clone();
    let task = tokio::spawn(async move {
        for _ in 0..max_requests {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let Some(path) = common::net::read_request_path(&mut stream).await else {
                continue;
            };
            let (headers, body) = if path.starts_with("/login/companyinfo/") {
                (
                    Vec::new(),
                    r#"{"CompanyName":"Hostile","Codebase":"v4_6_release/","CompanyID":"hostile","IsCloud":false}"#
                        .to_string(),
                )
            } else {
                count.fetch_add(1, Ordering::SeqCst);
                pager(&path)
            };
            let headers: Vec<(&str, &str)> = headers
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            common::net::write_reply(&mut stream, 200, &headers, &body).await;
        }
    });
    (origin, served, task)
}

async fn hostile_session(origin: &str, options: ClientOptions) -> ApiSession {
    let client = client(origin, options);
    let info = client.company_info("hostile").await.expect("companyinfo");
    client.session(&info, credentials("hostile", WRONG_PUBLIC, WRONG_PRIVATE))
}

/// The `page` parameter of a request path.
fn page_of(path: &str) -> u64 {
    path.split(['?', '&'])
        .find_map(|p| p.strip_prefix("page="))
        .and_then(|p| p.parse().ok())
        .unwrap_or(0)
}

/// A full page of `size` distinct security rows for page `page`.
fn distinct_rows(page: u64, size: u64) -> String {
    let rows: Vec<String> = (0..size)
        .map(|i| {
            format!(
                r#"{{"moduleName":"M{page}","moduleFunctionName":"F{i}","inquireLevel":"All"}}"#
            )
        })
        .collect();
    format!("[{}]", rows.join(","))
}

#[tokio::test]
async fn an_8_mib_page_of_empty_objects_is_refused_after_one_page() {
    let page = format!("[{}{{}}]", "{},".repeat((8 * 1024 * 1024 - 3) / 3 - 1));
    assert!(page.len() < 8 * 1024 * 1024);
    let (origin, served, task) = hostile_server(
        20,
        Arc::new(move |path| {
            let link = format!(r#"<{path}&x=1>; rel="next""#);
            (vec![("link".into(), link)], page.clone())
        }),
    )
    .await;
    let session = hostile_session(&origin, options()).await;
    let err = session.my_security().await.expect_err("refused");
    assert_eq!(err.kind(), "page_too_large", "{err}");
    assert!(err.to_string().contains("system/mySecurity"), "{err}");
    assert!(err.to_string().contains("1000 items"), "{err}");
    assert_eq!(
        served.load(Ordering::SeqCst),
        1,
        "stopped at the first page"
    );
    task.abort();
}

#[tokio::test]
async fn a_page_bigger_than_the_page_size_is_an_error() {
    let (origin, _, task) = hostile_server(
        20,
        Arc::new(|path| (Vec::new(), distinct_rows(page_of(path), 11))),
    )
    .await;
    let session = hostile_session(&origin, options()).await;
    let query = ListQuery {
        page_size: 10,
        ..ListQuery::default()
    };
    let err = session
        .list::<SecurityRow>("system/mySecurity", &query)
        .await
        .expect_err("11 items for 10");
    assert_eq!(err.kind(), "page_too_large", "{err}");
    task.abort();
}

#[tokio::test]
async fn a_link_loop_is_detected() {
    // Each page's next link is itself.
    let (origin, served, task) = hostile_server(
        50,
        Arc::new(|path| {
            let link = format!(r#"<{path}>; rel="next""#);
            (
                vec![("link".into(), link)],
                distinct_rows(page_of(path), 10),
            )
        }),
    )
    .await;
    let session = hostile_session(&origin, options()).await;
    let query = ListQuery {
        page_size: 10,
        ..ListQuery::default()
    };
    let err = session
        .list::<SecurityRow>("system/mySecurity", &query)
        .await
        .expect_err("loop");
    assert_eq!(err.kind(), "paging_loop", "{err}");
    assert_eq!(served.load(Ordering::SeqCst), 1);
    task.abort();

    // The same full page whatever page is asked for, with no Link header at all.
    let (origin, served, task) =
        hostile_server(50, Arc::new(|_| (Vec::new(), distinct_rows(1, 10)))).await;
    let session = hostile_session(&origin, options()).await;
    let err = session
        .list::<SecurityRow>("system/mySecurity", &query)
        .await
        .expect_err("loop");
    assert_eq!(err.kind(), "paging_loop", "{err}");
    assert_eq!(served.load(Ordering::SeqCst), 2);
    task.abort();
}

#[tokio::test]
async fn a_listing_is_bounded_by_rows_and_by_bytes() {
    let endless: Pager = Arc::new(|path| (Vec::new(), distinct_rows(page_of(path), 10)));
    let query = ListQuery {
        page_size: 10,
        ..ListQuery::default()
    };
    let (origin, served, task) = hostile_server(100, endless.clone()).await;
    let session = hostile_session(
        &origin,
        ClientOptions {
            max_list_rows: 50,
            ..options()
        },
    )
    .await;
    let err = session
        .list::<SecurityRow>("system/mySecurity", &query)
        .await
        .expect_err("rows");
    assert_eq!(err.kind(), "list_too_large", "{err}");
    assert!(err.to_string().contains("50 rows"), "{err}");
    // The sixth page is the one that goes past the cap.
    assert_eq!(served.load(Ordering::SeqCst), 6);
    task.abort();

    // Exactly the cap, then a short page: whole.
    let (origin, _, task) = hostile_server(
        100,
        Arc::new(|path| {
            let rows = if page_of(path) <= 5 { 10 } else { 0 };
            (Vec::new(), distinct_rows(page_of(path), rows))
        }),
    )
    .await;
    let session = hostile_session(
        &origin,
        ClientOptions {
            max_list_rows: 50,
            ..options()
        },
    )
    .await;
    let rows = session
        .list::<SecurityRow>("system/mySecurity", &query)
        .await
        .expect("50 rows fit");
    assert_eq!(rows.len(), 50);
    task.abort();

    let (origin, _, task) = hostile_server(100, endless).await;
    let session = hostile_session(
        &origin,
        ClientOptions {
            max_list_bytes: 4096,
            ..options()
        },
    )
    .await;
    let err = session
        .list::<SecurityRow>("system/mySecurity", &query)
        .await
        .expect_err("bytes");
    assert_eq!(err.kind(), "list_too_large", "{err}");
    assert!(err.to_string().contains("more than 4 KiB"), "{err}");
    task.abort();
}

#[tokio::test(flavor = "multi_thread")]
async fn the_deadline_covers_every_page_and_names_the_limit() {
    // Endless distinct pages, each a little slow: the deadline, not the page count, stops it.
    let (origin, _, task) = hostile_server(
        1000,
        Arc::new(|path| {
            std::thread::sleep(Duration::from_millis(50));
            (Vec::new(), distinct_rows(page_of(path), 10))
        }),
    )
    .await;
    let session = hostile_session(
        &origin,
        ClientOptions {
            deadline: Some(tokio::time::Instant::now() + Duration::from_secs(2)),
            time_limit: Some(Duration::from_secs(2)),
            ..options()
        },
    )
    .await;
    let query = ListQuery {
        page_size: 10,
        ..ListQuery::default()
    };
    let started = Instant::now();
    let err = session
        .list::<SecurityRow>("system/mySecurity", &query)
        .await
        .expect_err("deadline");
    assert!(started.elapsed() < Duration::from_secs(20));
    assert_eq!(err.kind(), "timeout", "{err}");
    assert!(err.to_string().contains("within 2 s"), "{err}");
    task.abort();
}

// ------------------------------------------- HTTP/2 and the API host's warm-up (issue 12)

/// The site and API hosts of the North America region.
const NA_SITE: &str = "na.myconnectwise.net";
const NA_API: &str = "api-na.myconnectwise.net";

/// Maps host names to simulators on 127.0.0.1 (the port too), and fails the first `fail_first`
/// look-ups of `flaky`; any other name fails without asking DNS.
struct Hosts {
    map: std::collections::HashMap<String, SocketAddr>,
    flaky: Option<&'static str>,
    fail_first: AtomicUsize,
}

impl Hosts {
    fn new(map: &[(&str, SocketAddr)]) -> Hosts {
        Hosts {
            map: map.iter().map(|(h, a)| (h.to_string(), *a)).collect(),
            flaky: None,
            fail_first: AtomicUsize::new(0),
        }
    }
}

impl reqwest::dns::Resolve for Hosts {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let failing = self.flaky == Some(name.as_str())
            && self
                .fail_first
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                .is_ok();
        let found = self.map.get(name.as_str()).copied().filter(|_| !failing);
        Box::pin(async move {
            match found {
                Some(addr) => Ok(Box::new(std::iter::once(addr)) as reqwest::dns::Addrs),
                None => Err("no such host in this test".into()),
            }
        })
    }
}

/// A TLS simulator whose certificate (from `ca`) names both hosts of the region and 127.0.0.1.
async fn tls_sim(ca: &tls::TestCa, scenario: Scenario) -> SimServer {
    let leaf = tls::signed_leaf_for(ca, &[NA_SITE, NA_API, "localhost"]);
    SimServer::start_tls(scenario, tls::server_config(leaf))
        .await
        .expect("TLS sim starts")
}

/// A client for the `na` region whose names resolve to the given simulators, trusting `ca`.
/// `None` when the environment names a proxy: the names would then not reach the resolver.
fn region_client(ca: &tls::TestCa, hosts: Hosts) -> Option<CwClient> {
    let site = Site::parse("na").expect("a region");
    if cwsetup::cw::proxy_for(&site).is_some() || cwsetup::cw::proxy_env_problem().is_some() {
        eprintln!("skipped: a proxy is configured in the environment");
        return None;
    }
    let options = ClientOptions {
        extra_root_certs_pem: vec![ca.pem.as_bytes().to_vec()],
        resolver: Some(Arc::new(hosts)),
        ..options()
    };
    Some(CwClient::new(site, options).expect("client builds"))
}

/// Waits (bounded) until `sim` has logged `n` requests.
async fn requests_reach(sim: &SimServer, n: usize) -> Vec<sim::RecordedRequest> {
    for _ in 0..200 {
        let requests = sim.requests();
        if requests.len() >= n {
            return requests;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    sim.requests()
}

fn carries_keys(r: &sim::RecordedRequest) -> bool {
    r.header("authorization").is_some() || r.header("clientid").is_some()
}

#[tokio::test]
#[cfg_attr(
    windows,
    ignore = "under Wine, crypt32 refuses an extra root ('Invalid parameter'); real Windows: --include-ignored"
)]
async fn a_tls_simulator_speaks_http2_and_one_connection_carries_a_wave() {
    let ca = tls::test_ca();
    let sim = tls_sim(&ca, Scenario::new().self_hosted()).await;
    let trusting = ClientOptions {
        extra_root_certs_pem: vec![ca.pem.as_bytes().to_vec()],
        ..options()
    };
    let tls_client = client(
        &format!("https://localhost:{}", sim.addr().port()),
        trusting,
    );
    let info = tls_client
        .company_info(DEMO_COMPANY_ID)
        .await
        .expect("companyinfo");
    let session = tls_client.session(&info, demo_credentials());
    let wave = (0..6).map(|_| session.system_info());
    for answer in futures::future::join_all(wave).await {
        answer.expect("system/info");
    }
    let requests = sim.requests();
    assert_eq!(requests.len(), 7);
    assert!(
        requests.iter().all(|r| r.version == "HTTP/2.0"),
        "{requests:?}"
    );
    assert_eq!(
        sim.connections(),
        1,
        "one connection for companyinfo and the wave"
    );
    assert_eq!(sim.tls_handshakes(), 1);
    sim.shutdown().await;

    // A plain-HTTP simulator stays HTTP/1.1.
    let plain = SimServer::start(Scenario::new()).await.expect("sim");
    client(&plain.url(), options())
        .company_info(DEMO_COMPANY_ID)
        .await
        .expect("companyinfo");
    assert_eq!(plain.requests()[0].version, "HTTP/1.1");
    assert_eq!(plain.tls_handshakes(), 0);
    plain.shutdown().await;
}

#[tokio::test]
#[cfg_attr(
    windows,
    ignore = "under Wine, crypt32 refuses an extra root ('Invalid parameter'); real Windows: --include-ignored"
)]
async fn the_api_host_is_warmed_up_while_companyinfo_is_in_flight_without_keys() {
    let ca = tls::test_ca();
    // companyinfo takes a while on the site, so the warm-up visibly starts before it answers.
    let site = tls_sim(
        &ca,
        Scenario::new()
            .site_url(NA_API)
            .latency(Duration::from_secs(2)),
    )
    .await;
    let api = tls_sim(&ca, Scenario::new().site_url(NA_API)).await;
    let Some(client) = region_client(
        &ca,
        Hosts::new(&[(NA_SITE, site.addr()), (NA_API, api.addr())]),
    ) else {
        return;
    };
    let info = client
        .company_info(DEMO_COMPANY_ID)
        .await
        .expect("companyinfo");
    let companyinfo = site.requests()[0].clone();
    let warm_up = requests_reach(&api, 1).await[0].clone();
    assert_eq!(warm_up.method, "HEAD");
    assert_eq!(
        warm_up.path,
        format!("/login/companyinfo/{DEMO_COMPANY_ID}")
    );
    assert!(!carries_keys(&warm_up), "{warm_up:?}");
    let answered = companyinfo.finished.expect("companyinfo answered");
    assert!(
        warm_up.started < answered,
        "the warm-up starts before companyinfo answers"
    );

    // The keys go to the confirmed API host, on the warmed connection.
    let session = client.session(&info, demo_credentials());
    session.system_info().await.expect("system/info");
    let requests = api.requests();
    assert_eq!(requests.len(), 2, "{requests:?}");
    assert!(carries_keys(&requests[1]));
    assert_eq!(
        api.connections(),
        1,
        "the API call reused the warm-up's connection"
    );
    assert!(site.requests().iter().all(|r| !carries_keys(r)));
    site.shutdown().await;
    api.shutdown().await;
}

#[tokio::test]
#[cfg_attr(
    windows,
    ignore = "under Wine, crypt32 refuses an extra root ('Invalid parameter'); real Windows: --include-ignored"
)]
async fn a_site_url_elsewhere_gets_no_keys_even_with_a_warm_up() {
    let ca = tls::test_ca();
    let site = tls_sim(&ca, Scenario::new().site_url("api-eu.myconnectwise.net")).await;
    let api = tls_sim(&ca, Scenario::new()).await;
    let Some(client) = region_client(
        &ca,
        Hosts::new(&[(NA_SITE, site.addr()), (NA_API, api.addr())]),
    ) else {
        return;
    };
    let err = client
        .company_info(DEMO_COMPANY_ID)
        .await
        .expect_err("SiteUrl names another region");
    assert_eq!(err.kind(), "site_url_elsewhere", "{err}");
    // The warm-up went to the region's own API host, with nothing secret.
    let warmed = requests_reach(&api, 1).await;
    assert!(
        warmed
            .iter()
            .all(|r| r.method == "HEAD" && !carries_keys(r))
    );
    assert!(site.requests().iter().all(|r| !carries_keys(r)));
    site.shutdown().await;
    api.shutdown().await;
}

#[tokio::test]
#[cfg_attr(
    windows,
    ignore = "under Wine, crypt32 refuses an extra root ('Invalid parameter'); real Windows: --include-ignored"
)]
async fn a_failed_warm_up_is_ignored_and_the_real_request_connects() {
    let ca = tls::test_ca();
    let site = tls_sim(&ca, Scenario::new().site_url(NA_API)).await;
    let api = tls_sim(&ca, Scenario::new().site_url(NA_API)).await;
    let mut hosts = Hosts::new(&[(NA_SITE, site.addr()), (NA_API, api.addr())]);
    // The warm-up's look-up of the API host fails; the next one works.
    hosts.flaky = Some(NA_API);
    hosts.fail_first = AtomicUsize::new(1);
    let Some(client) = region_client(&ca, hosts) else {
        return;
    };
    let info = client
        .company_info(DEMO_COMPANY_ID)
        .await
        .expect("companyinfo");
    let session = client.session(&info, demo_credentials());
    session
        .system_info()
        .await
        .expect("system/info despite the failed warm-up");
    let requests = api.requests();
    assert_eq!(
        requests.len(),
        1,
        "only the real call reached the API host: {requests:?}"
    );
    assert!(carries_keys(&requests[0]));
    site.shutdown().await;
    api.shutdown().await;
}

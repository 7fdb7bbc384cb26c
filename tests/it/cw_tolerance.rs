//! The client is as tolerant as the spec (API version 2025.8) requires: for every endpoint it
//! reads, it reads an answer with an extra field it does not know, and answers with each field
//! the spec marks optional left out (one at a time), without failing.
//!
//! The answers are the healthy simulator's own records (read once over HTTP), changed and then
//! served by a scripted server on 127.0.0.1 to the real client: the same session, paging and
//! decoding the check and the audit use. Required fields and optional ones come from
//! `tests/data/cw_models_2025_8.json`.

use crate::common;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::fixture::{client, credentials, options};
use common::http::{basic_auth, http_client};
use cwsetup::cw::models::{AgreementLite, LooseReference};
use cwsetup::cw::{ApiSession, CwError, ListQuery};
use cwsetup::sim::{
    DEMO_ADMIN_PRIVATE_KEY, DEMO_ADMIN_PUBLIC_KEY, DEMO_CLIENT_ID, DEMO_COMPANY_ID, Scenario,
    SimServer,
};
use serde_json::{Value, json};
use tokio::net::TcpListener;

const MODELS: &str = include_str!("../data/cw_models_2025_8.json");

/// A field no ConnectWise version sends, with a value of a shape no client model expects.
const UNKNOWN_FIELD: &str = "cwsetupFieldFromTheFuture";

/// Every endpoint the client reads (and how), with its 2025.8 model. The probes stand for every
/// endpoint a profile proves a function with: they read any JSON list or object.
#[derive(Clone, Copy, Debug)]
enum Read {
    SystemInfo,
    Count(&'static str),
    MySecurity,
    SecurityRoles,
    RoleSettings(i64),
    ApiMembers,
    Agreements,
    AgreementTypes,
    Probe(&'static str),
}

const READS: &[(Read, &str, &str)] = &[
    (Read::SystemInfo, "system/info", "Info"),
    (
        Read::Count("company/companies"),
        "company/companies/count",
        "Count",
    ),
    (Read::MySecurity, "system/mySecurity", "MySecurity"),
    (Read::SecurityRoles, "system/securityRoles", "SecurityRole"),
    (
        Read::RoleSettings(22),
        "system/securityRoles/22/settings",
        "SecurityRoleSetting",
    ),
    (Read::ApiMembers, "system/apiMembers", "ApiMember"),
    (Read::Agreements, "finance/agreements", "Agreement"),
    (
        Read::AgreementTypes,
        "finance/agreements/types",
        "AgreementType",
    ),
    (
        Read::Probe("company/companies"),
        "company/companies",
        "Company",
    ),
    (
        Read::Probe("company/contacts"),
        "company/contacts",
        "Contact",
    ),
    (
        Read::Probe("company/configurations"),
        "company/configurations",
        "CompanyConfiguration",
    ),
    (
        Read::Probe("finance/invoices"),
        "finance/invoices",
        "Invoice",
    ),
    (
        Read::Probe("procurement/products"),
        "procurement/products",
        "ProductItem",
    ),
    (
        Read::Probe("procurement/catalog"),
        "procurement/catalog",
        "CatalogItem",
    ),
    (
        Read::Probe("procurement/purchaseorders"),
        "procurement/purchaseorders",
        "PurchaseOrder",
    ),
    (
        Read::Probe("project/projects"),
        "project/projects",
        "Project",
    ),
    (
        Read::Probe("project/tickets"),
        "project/tickets",
        "ProjectTicket",
    ),
    (Read::Probe("service/tickets"), "service/tickets", "Ticket"),
    (
        Read::Probe("schedule/entries"),
        "schedule/entries",
        "ScheduleEntry",
    ),
    (Read::Probe("time/entries"), "time/entries", "TimeEntry"),
    (
        Read::Probe("expense/entries"),
        "expense/entries",
        "ExpenseEntry",
    ),
    (
        Read::Probe("sales/opportunities"),
        "sales/opportunities",
        "Opportunity",
    ),
    (Read::Probe("sales/orders"), "sales/orders", "SalesOrder"),
    (Read::Probe("system/members"), "system/members", "Member"),
];

/// What the client made of an answer, for comparing two answers' readings.
async fn read(session: &ApiSession, how: Read) -> Result<String, CwError> {
    let all = ListQuery::default();
    Ok(match how {
        Read::SystemInfo => format!("{:?}", session.system_info().await?),
        Read::Count(endpoint) => format!("{:?}", session.count(endpoint).await?),
        Read::MySecurity => format!("{:?}", session.my_security().await?),
        Read::SecurityRoles => format!("{:?}", session.security_roles().await?),
        Read::RoleSettings(id) => format!("{:?}", session.security_role_settings(id).await?),
        Read::ApiMembers => format!("{:?}", session.api_members_by_identifier("S365").await?),
        Read::Agreements => {
            let list: Vec<AgreementLite> = session.list("finance/agreements", &all).await?;
            format!("{list:?}")
        }
        Read::AgreementTypes => {
            let list: Vec<LooseReference> = session.list("finance/agreements/types", &all).await?;
            format!("{list:?}")
        }
        Read::Probe(endpoint) => format!("{:?}", session.probe(endpoint).await?),
    })
}

type Answers = Arc<dyn Fn(&str) -> String + Send + Sync>;

/// A server that answers companyinfo like a self-hosted ConnectWise and every API call with
/// `answers(path)` (at most `max_requests` requests).
async fn scripted_server(
    answers: Answers,
    max_requests: usize,
) -> (String, tokio::task::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let origin = format!("http://{}", listener.local_addr().expect("addr"));
    let task = tokio::spawn(async move {
        for _ in 0..max_requests {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let Some(path) = common::net::read_request_path(&mut stream).await else {
                continue;
            };
            let answer = if path.starts_with("/login/companyinfo/") {
                json!({"CompanyName": "Tolerance", "Codebase": "v4_6_release/",
                    "CompanyID": "tolerance", "IsCloud": false})
                .to_string()
            } else {
                answers(&path)
            };
            common::net::write_reply(
                &mut stream,
                200,
                &[("content-type", "application/json")],
                &answer,
            )
            .await;
        }
    });
    (origin, task)
}

/// The healthy simulator's answer to `GET endpoint` (all records), read with the admin keys.
async fn healthy_answers() -> BTreeMap<&'static str, Value> {
    let sim = SimServer::start(Scenario::new()).await.expect("sim starts");
    let http = http_client(Duration::from_secs(10));
    let auth = basic_auth(
        DEMO_COMPANY_ID,
        DEMO_ADMIN_PUBLIC_KEY,
        DEMO_ADMIN_PRIVATE_KEY,
    );
    let mut out = BTreeMap::new();
    for (_, endpoint, _) in READS {
        let response = http
            .get(format!("{}{endpoint}?pageSize=1000", sim.api_base()))
            .header("Authorization", &auth)
            .header("clientId", DEMO_CLIENT_ID)
            .send()
            .await
            .expect("the sim answers");
        assert_eq!(response.status(), 200, "GET {endpoint}");
        let body: Value =
            serde_json::from_str(&response.text().await.expect("body")).expect("JSON");
        out.insert(*endpoint, body);
    }
    sim.shutdown().await;
    out
}

/// Applies `change` to every record of `body` (the body itself when it is one object).
fn each_record(body: &Value, change: impl Fn(&mut serde_json::Map<String, Value>)) -> Value {
    let mut body = body.clone();
    match &mut body {
        Value::Array(items) => items
            .iter_mut()
            .filter_map(Value::as_object_mut)
            .for_each(change),
        Value::Object(map) => change(map),
        _ => {}
    }
    body
}

/// The fields of `body`'s records the model marks optional (present in at least one record).
fn optional_fields_sent(models: &Value, model: &str, body: &Value) -> Vec<String> {
    let required: Vec<&str> = models[model]["required"]
        .as_array()
        .expect("required")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let records: Vec<&Value> = match body {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    let mut fields: Vec<String> = records
        .iter()
        .filter_map(|r| r.as_object())
        .flat_map(|r| r.keys().cloned())
        .filter(|k| !required.contains(&k.as_str()))
        .collect();
    fields.sort();
    fields.dedup();
    fields
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_client_reads_every_endpoint_with_an_unknown_field_or_any_optional_field_missing() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let models: Value = serde_json::from_str(MODELS).expect("models parse");
    let healthy = healthy_answers().await;
    let body = Arc::new(Mutex::new(String::new()));
    let current = body.clone();
    let answers: Answers =
        Arc::new(move |_: &str| current.lock().map(|b| b.clone()).unwrap_or_default());
    let (origin, server) = scripted_server(answers, 20_000).await;
    let serve = |value: &Value| {
        if let Ok(mut b) = body.lock() {
            *b = value.to_string();
        }
    };
    let mut failures = Vec::new();
    let mut optional_checked = 0usize;
    for (how, endpoint, model) in READS {
        assert!(models.get(model).is_some(), "{model} is in the file");
        let cw = client(&origin, options());
        let info = cw.company_info("tolerance").await.expect("companyinfo");
        let session = cw.session(
            &info,
            credentials("tolerance", "FakePublicKey001", "FakePrivateKey01"),
        );
        let base = &healthy[endpoint];
        serve(base);
        let expected = read(&session, *how).await;
        let Ok(expected) = expected else {
            failures.push(format!(
                "{endpoint}: the healthy answer fails: {expected:?}"
            ));
            continue;
        };
        // An extra field it does not know, on every record and every object in it (references
        // such as a role's `securityRole`): read the same.
        serve(&each_record(base, |r| {
            for nested in r.values_mut().filter_map(Value::as_object_mut) {
                nested.insert(UNKNOWN_FIELD.into(), json!(true));
            }
            r.insert(
                UNKNOWN_FIELD.into(),
                json!({"added": ["in", 2099], "flag": null}),
            );
        }));
        match read(&session, *how).await {
            Ok(got) if got == expected => {}
            other => failures.push(format!("{endpoint} + {UNKNOWN_FIELD}: {other:?}")),
        }
        // Each field the spec marks optional, left out of every record.
        for field in optional_fields_sent(&models, model, base) {
            serve(&each_record(base, |r| {
                r.remove(&field);
            }));
            optional_checked += 1;
            let result = read(&session, *how).await;
            match (model, result) {
                // Count's one field is the answer itself: without it the count is unknown; the
                // client names the missing field, and the check reports "not counted".
                (&"Count", Err(CwError::UnexpectedResponse { detail, .. })) => {
                    assert!(detail.contains("count"), "{detail}");
                }
                (&"Count", other) => {
                    failures.push(format!("{endpoint} without {field}: {other:?}"))
                }
                (_, Ok(_)) => {}
                (_, Err(e)) => failures.push(format!("{endpoint} without {field}: {e}")),
            }
        }
    }
    server.abort();
    assert!(
        optional_checked > 100,
        "only {optional_checked} optional fields left out"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The audit does not need the ids the spec marks optional: a role sent without one is found by
/// name (its settings, read by id, are left to check by hand), and a member without one is
/// still checked field by field.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_reads_roles_and_api_members_sent_without_ids() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let healthy = healthy_answers().await;
    let without_id = |endpoint: &str| {
        each_record(&healthy[endpoint], |r| {
            r.remove("id");
        })
        .to_string()
    };
    let roles = without_id("system/securityRoles");
    let members = without_id("system/apiMembers");
    let answers: Answers = Arc::new(move |path: &str| {
        // The list is `system/securityroles` (the spec's spelling), the settings camel case.
        if path.to_ascii_lowercase().contains("/system/securityroles") {
            roles.clone()
        } else if path.contains("/system/apiMembers") {
            members.clone()
        } else {
            "[]".to_string()
        }
    });
    let (origin, server) = scripted_server(answers, 50).await;
    let cw = client(&origin, options());
    let info = cw.company_info("tolerance").await.expect("companyinfo");
    let session = cw.session(
        &info,
        credentials("tolerance", "FakePublicKey001", "FakePrivateKey01"),
    );
    let profile = cwsetup::profile::find("sync365").expect("shipped");
    let merged = cwsetup::profile::merge(&[profile]);
    let report = cwsetup::audit::audit(&session, &merged, "Sync 365 API", "S365").await;
    server.abort();
    let role = &report.role;
    assert_eq!((role.found, role.id), (Some(true), None), "{role:?}");
    assert_eq!(role.status, cwsetup::audit::AuditStatus::Manual, "{role:?}");
    assert!(role.summary.contains("sent no id"), "{}", role.summary);
    let member = &report.member;
    assert_eq!((member.found, member.id), (Some(true), None), "{member:?}");
    let check = |id: &str| {
        member
            .checks
            .iter()
            .find(|c| c.id == id)
            .unwrap_or_else(|| panic!("{id} checked: {member:?}"))
    };
    assert_eq!(check("exists").have, "S365");
    // The role is matched by name when the role list has no ids.
    assert_eq!(
        check("role").status,
        cwsetup::audit::AuditStatus::Pass,
        "{member:?}"
    );
    assert_eq!(check("active").status, cwsetup::audit::AuditStatus::Pass);
}

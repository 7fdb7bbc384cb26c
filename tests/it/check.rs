//! The check engine (`cwsetup::check::run`) against the in-process simulated ConnectWise: the
//! pass and fail path of every stage, the JSON contract, the exit codes of the real binary, the
//! redacted report, and the concurrency of the calls after companyinfo.
//!
//! Every server is started here on 127.0.0.1. Keys are the simulator's demo keys or obviously
//! fake ones. No timing is asserted beyond generous "finished within" bounds.

use crate::common;

#[cfg(unix)]
use common::pty::Session;

use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use cwsetup::check::{
    self, CheckReport, CheckRequest, PermissionResult, PermissionStatus, StageId, StageResult,
    StageStatus,
};
use cwsetup::profile::{Level, Levels, Profile, RoleRow};
use cwsetup::secret::Secret;
use cwsetup::sim::{
    CLOUD_CODEBASE, DEMO_CLIENT_ID, DEMO_COMPANY_ID, DEMO_PRIVATE_KEY, DEMO_PUBLIC_KEY, GATES,
    MySecurityMode, STALE_CODEBASE, Scenario, SimPermission, SimServer,
};
use serde_json::Value;

const FAKE_PUBLIC: &str = "FAKEPUBLIC000001";
const FAKE_PRIVATE: &str = "FAKEPRIVATE00001";
/// A private key full of characters that appear nowhere else in a report ('~', '^', '¤').
const ODD_PRIVATE: &str = "k~^¤Q7~^¤R8~^¤S9";
const ODD_CHARS: [char; 3] = ['~', '^', '¤'];
/// Generous: this catches hangs, it does not measure speed.
const WITHIN: Duration = Duration::from_secs(60);
const ENV_VARS: [&str; 6] = [
    "CW_SITE",
    "CW_COMPANY_ID",
    "CW_PUBLIC_KEY",
    "CW_PRIVATE_KEY",
    "CW_CLIENT_ID",
    "CWSETUP_LOG",
];
/// Proxy settings of the environment the tests run in never reach the binary by accident.
const PROXY_VARS: [&str; 8] = [
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
];

// ---------------------------------------------------------------- helpers

fn sync365() -> Profile {
    cwsetup::profile::find("sync365")
        .expect("sync365 ships")
        .clone()
}

fn request(site: &str, public: &str, private: &str, profiles: Vec<Profile>) -> CheckRequest {
    CheckRequest {
        site: site.to_string(),
        company_id: DEMO_COMPANY_ID.to_string(),
        client_id: DEMO_CLIENT_ID.to_string(),
        public_key: Secret::from_str_checked(public).expect("fits"),
        private_key: Secret::from_str_checked(private).expect("fits"),
        profiles,
        timeout: Duration::from_secs(20),
        removed_before: Vec::new(),
    }
}

async fn run(request: CheckRequest) -> CheckReport {
    let started = Instant::now();
    let report = tokio::time::timeout(WITHIN, check::run(request, None))
        .await
        .expect("the check finishes");
    assert!(started.elapsed() < WITHIN);
    report
}

/// A check of sync365 with the demo keys against a fresh simulator running `scenario`.
async fn check_sim(scenario: Scenario) -> (CheckReport, SimServer) {
    let sim = SimServer::start(scenario).await.expect("sim starts");
    let report = run(request(
        &sim.url(),
        DEMO_PUBLIC_KEY,
        DEMO_PRIVATE_KEY,
        vec![sync365()],
    ))
    .await;
    (report, sim)
}

fn stage(report: &CheckReport, id: StageId) -> &StageResult {
    report
        .stages
        .iter()
        .find(|s| s.id == id)
        .unwrap_or_else(|| panic!("no {id:?} stage in {report:#?}"))
}

fn statuses(report: &CheckReport) -> Vec<(StageId, StageStatus)> {
    report.stages.iter().map(|s| (s.id, s.status)).collect()
}

/// Every stage in order; `failed` fails, the earlier ones pass, the later ones are skipped.
fn assert_fails_at(report: &CheckReport, failed: StageId) {
    let expected: Vec<(StageId, StageStatus)> = StageId::ALL
        .iter()
        .map(|&id| {
            let status = match id.cmp(&failed) {
                std::cmp::Ordering::Less => StageStatus::Pass,
                std::cmp::Ordering::Equal => StageStatus::Fail,
                std::cmp::Ordering::Greater => StageStatus::Skip,
            };
            (id, status)
        })
        .collect();
    let actual = statuses(report);
    // Input may warn (key shape) and still go on.
    let actual: Vec<(StageId, StageStatus)> = actual
        .into_iter()
        .map(|(id, s)| {
            if id == StageId::Input && s == StageStatus::Warn && failed != StageId::Input {
                (id, StageStatus::Pass)
            } else {
                (id, s)
            }
        })
        .collect();
    assert_eq!(actual, expected, "{report:#?}");
    assert!(!report.ok);
    let fail = stage(report, failed);
    assert!(
        fail.fix.as_deref().is_some_and(|f| !f.is_empty()),
        "a failure carries a fix: {fail:?}"
    );
    for s in report
        .stages
        .iter()
        .filter(|s| s.status == StageStatus::Skip)
    {
        assert!(
            s.summary.contains(failed.id()),
            "a skip names its reason: {s:?}"
        );
    }
}

fn permission<'a>(report: &'a CheckReport, function: &str) -> &'a PermissionResult {
    report
        .permissions
        .iter()
        .find(|p| p.function == function)
        .unwrap_or_else(|| panic!("no {function} row in {:#?}", report.permissions))
}

/// The demo member's rows (every gated function at All) with one row replaced.
fn rows_with(replacement: SimPermission) -> Vec<SimPermission> {
    let mut rows: Vec<SimPermission> = cwsetup::sim::GATES
        .iter()
        .map(|(m, f, _)| SimPermission::uniform(m, f, Level::All))
        .filter(|p| p.function != replacement.function)
        .collect();
    rows.push(replacement);
    rows
}

fn without_row(function: &str) -> Vec<SimPermission> {
    cwsetup::sim::GATES
        .iter()
        .filter(|(_, f, _)| *f != function)
        .map(|(m, f, _)| SimPermission::uniform(m, f, Level::All))
        .collect()
}

fn refused_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    port
}

// ---------------------------------------------------------------- a proxy that breaks one path

/// What the proxy answers instead of forwarding.
#[derive(Clone)]
enum Poison {
    Status(u16, &'static str),
    RateLimited { retry_after: u64 },
    Hang,
    Json(String),
}

/// Picks the paths the proxy answers itself.
type Rule = Box<dyn Fn(&str) -> Option<Poison> + Send + Sync>;

struct ProxyState {
    upstream: String,
    http: reqwest::Client,
    rule: Rule,
}

/// A plain-http proxy on 127.0.0.1 in front of a self-hosted simulator (so the API base is the
/// proxy's own origin), answering the paths `rule` picks itself.
async fn start_proxy(
    upstream: String,
    rule: impl Fn(&str) -> Option<Poison> + Send + Sync + 'static,
) -> (String, tokio::task::JoinHandle<()>) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let state = Arc::new(ProxyState {
        upstream,
        http: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .build()
            .expect("client"),
        rule: Box::new(rule),
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let origin = format!("http://{}", listener.local_addr().expect("addr"));
    let app = axum::Router::new().fallback(proxy).with_state(state);
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (origin, task)
}

fn cw_json(status: u16, body: String) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = StatusCode::from_u16(status).expect("status");
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

async fn proxy(State(state): State<Arc<ProxyState>>, request: Request) -> Response {
    let path = request.uri().path().to_string();
    match (state.rule)(&path) {
        Some(Poison::Status(status, message)) => {
            return cw_json(
                status,
                serde_json::json!({"code": "ConnectWiseApi", "message": message}).to_string(),
            );
        }
        Some(Poison::RateLimited { retry_after }) => {
            let mut response = cw_json(
                429,
                r#"{"error":"ConnectWiseAPI","message":"Too many requests."}"#.to_string(),
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
            return response;
        }
        Some(Poison::Hang) => {
            tokio::time::sleep(Duration::from_secs(120)).await;
            return cw_json(504, "{}".to_string());
        }
        Some(Poison::Json(body)) => return cw_json(200, body),
        None => {}
    }
    let target = format!(
        "{}{}",
        state.upstream,
        request.uri().path_and_query().map_or("/", |p| p.as_str())
    );
    let mut forward = state.http.get(target);
    for (name, value) in request.headers() {
        if name != header::HOST {
            forward = forward.header(name.clone(), value.clone());
        }
    }
    let Ok(answer) = forward.send().await else {
        return cw_json(502, "{}".to_string());
    };
    let status = answer.status();
    let headers = answer.headers().clone();
    let body = answer.bytes().await.unwrap_or_default();
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    for name in [header::CONTENT_TYPE, header::LINK, header::RETRY_AFTER] {
        if let Some(v) = headers.get(&name) {
            response.headers_mut().insert(name, v.clone());
        }
    }
    response
}

/// A check of sync365 through a proxy that breaks what `rule` picks.
async fn check_through_proxy(
    scenario: Scenario,
    timeout: Duration,
    rule: impl Fn(&str) -> Option<Poison> + Send + Sync + 'static,
) -> CheckReport {
    let sim = SimServer::start(scenario.self_hosted())
        .await
        .expect("sim starts");
    let (origin, task) = start_proxy(sim.url(), rule).await;
    let mut req = request(&origin, DEMO_PUBLIC_KEY, DEMO_PRIVATE_KEY, vec![sync365()]);
    req.timeout = timeout;
    let report = run(req).await;
    task.abort();
    sim.shutdown().await;
    report
}

// ---------------------------------------------------------------- the whole check, healthy

#[tokio::test]
async fn a_healthy_tenant_passes_every_stage() {
    let (report, sim) = check_sim(Scenario::new()).await;
    assert_eq!(
        statuses(&report),
        StageId::ALL
            .iter()
            .map(|&id| (id, StageStatus::Pass))
            .collect::<Vec<_>>(),
        "{report:#?}"
    );
    assert!(report.ok);
    assert_eq!(report.site, sim.url());
    assert_eq!(report.codebase.as_deref(), Some(CLOUD_CODEBASE));
    assert_eq!(report.api_base.as_deref(), Some(sim.api_base().as_str()));
    assert_eq!(report.is_cloud, Some(true));
    assert!(report.version.is_some());
    assert!(
        stage(&report, StageId::Auth)
            .summary
            .contains("ConnectWise v")
    );
    assert!(
        report
            .permissions
            .iter()
            .all(|p| p.status == PermissionStatus::Pass),
        "{:#?}",
        report.permissions
    );
    assert_eq!(report.permissions.len(), sync365().role.rows.len());
    assert!(report.counts.companies.is_some_and(|n| n > 0));
    assert!(report.counts.agreements.is_some_and(|n| n > 0));
    assert!(report.counts.products.is_some_and(|n| n > 0));
    assert!(report.counts.catalog.is_some_and(|n| n > 0));
    // Only the informational list of types: no problem warnings.
    assert!(
        report
            .warnings
            .iter()
            .all(|w| w.text.starts_with("agreement types seen")),
        "{:?}",
        report.warnings
    );
    sim.shutdown().await;
}

// ---------------------------------------------------------------- input

#[tokio::test]
async fn input_fails_on_identical_keys_and_skips_the_rest() {
    let sim = SimServer::start(Scenario::new()).await.expect("sim starts");
    let report = run(request(
        &sim.url(),
        FAKE_PUBLIC,
        FAKE_PUBLIC,
        vec![sync365()],
    ))
    .await;
    assert_fails_at(&report, StageId::Input);
    assert!(stage(&report, StageId::Input).summary.contains("identical"));
    assert!(sim.requests().is_empty(), "nothing is sent after bad input");
}

#[tokio::test]
async fn input_fails_on_a_bad_site_and_on_a_value_empty_after_sanitizing() {
    let report = run(request(
        "ftp://cw.example.com",
        FAKE_PUBLIC,
        FAKE_PRIVATE,
        vec![sync365()],
    ))
    .await;
    assert_fails_at(&report, StageId::Input);
    assert!(stage(&report, StageId::Input).summary.contains("site"));

    let mut req = request(
        "http://127.0.0.1:9",
        FAKE_PUBLIC,
        FAKE_PRIVATE,
        vec![sync365()],
    );
    req.client_id = "\u{200b}\u{feff} ".into();
    let report = run(req).await;
    assert_fails_at(&report, StageId::Input);
    assert!(
        stage(&report, StageId::Input)
            .summary
            .contains("client ID is missing")
    );
}

#[tokio::test]
async fn input_passes_and_says_what_it_trimmed() {
    let sim = SimServer::start(Scenario::new()).await.expect("sim starts");
    let padded_public = format!(" {DEMO_PUBLIC_KEY}\n");
    let report = run(request(
        &format!("  {}  ", sim.url()),
        &padded_public,
        DEMO_PRIVATE_KEY,
        vec![sync365()],
    ))
    .await;
    let input = stage(&report, StageId::Input);
    assert_eq!(input.status, StageStatus::Pass, "{input:?}");
    assert!(input.summary.contains("public key: removed"), "{input:?}");
    assert!(report.ok, "{report:#?}");
}

// ---------------------------------------------------------------- connect

#[tokio::test]
async fn connect_fails_when_nothing_listens() {
    let site = format!("http://127.0.0.1:{}", refused_port());
    let report = run(request(&site, FAKE_PUBLIC, FAKE_PRIVATE, vec![sync365()])).await;
    assert_fails_at(&report, StageId::Connect);
    assert!(stage(&report, StageId::Connect).summary.contains("refused"));
    assert_eq!(report.api_base, None);
}

#[tokio::test]
async fn connect_passes_and_names_the_origin() {
    let (report, sim) = check_sim(Scenario::new()).await;
    let connect = stage(&report, StageId::Connect);
    assert_eq!(connect.status, StageStatus::Pass);
    assert!(connect.summary.contains(&sim.url()), "{connect:?}");
}

// ---------------------------------------------------------------- company

#[tokio::test]
async fn company_fails_for_an_unknown_company_id() {
    let (report, sim) = check_sim(Scenario::new().unknown_company()).await;
    assert_fails_at(&report, StageId::Company);
    let company = stage(&report, StageId::Company);
    assert!(company.summary.contains("not found"), "{company:?}");
    assert!(
        company
            .fix
            .as_deref()
            .is_some_and(|f| f.contains("login screen"))
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn company_passes_with_codebase_and_hosting() {
    let (report, sim) = check_sim(Scenario::new().self_hosted()).await;
    let company = stage(&report, StageId::Company);
    assert_eq!(company.status, StageStatus::Pass);
    assert!(company.summary.contains("v4_6_release/"), "{company:?}");
    assert!(company.summary.contains("self-hosted"), "{company:?}");
    assert_eq!(report.is_cloud, Some(false));
    sim.shutdown().await;
}

// ---------------------------------------------------------------- auth

#[tokio::test]
async fn auth_fails_on_wrong_keys_with_the_swapped_keys_advice_once() {
    let sim = SimServer::start(Scenario::new()).await.expect("sim starts");
    let report = run(request(
        &sim.url(),
        FAKE_PUBLIC,
        FAKE_PRIVATE,
        vec![sync365()],
    ))
    .await;
    assert_fails_at(&report, StageId::Auth);
    let auth = stage(&report, StageId::Auth);
    assert!(auth.summary.contains("401"), "{auth:?}");
    let fix = auth.fix.as_deref().unwrap_or_default();
    assert_eq!(fix.matches("swapped").count(), 1, "{fix}");
    sim.shutdown().await;
}

#[tokio::test]
async fn auth_fails_for_an_inactive_member() {
    let (report, sim) = check_sim(Scenario::new().inactive_member()).await;
    assert_fails_at(&report, StageId::Auth);
    sim.shutdown().await;
}

// ---------------------------------------------------------------- permissions

#[tokio::test]
async fn a_missing_role_row_gets_403_and_fails_the_permissions_stage() {
    let (report, sim) = check_sim(Scenario::new().permissions(without_row("Products"))).await;
    let products = permission(&report, "Products");
    assert_eq!(products.status, PermissionStatus::Fail, "{products:?}");
    assert!(products.detail.contains("no permission"), "{products:?}");
    let stage = stage(&report, StageId::Permissions);
    assert_eq!(stage.status, StageStatus::Fail);
    assert!(
        stage
            .fix
            .as_deref()
            .is_some_and(|f| f.contains("Procurement / Products")),
        "{stage:?}"
    );
    assert!(!report.ok);
    // Data still ran: a permissions failure does not hide the counts.
    assert_ne!(
        self::stage(&report, StageId::Data).status,
        StageStatus::Skip
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn a_too_low_add_edit_level_fails_naming_the_missing_level() {
    let contacts = SimPermission {
        module: "Companies".into(),
        function: "Contacts".into(),
        levels: Levels::new(Level::None, Level::My, Level::None, Level::All),
    };
    let (report, sim) = check_sim(Scenario::new().permissions(rows_with(contacts))).await;
    let row = permission(&report, "Contacts");
    assert_eq!(row.status, PermissionStatus::Fail, "{row:?}");
    assert!(
        row.detail.contains("Add level is None, needs All"),
        "{row:?}"
    );
    assert!(
        row.detail.contains("Edit level is My, needs All"),
        "{row:?}"
    );
    assert_eq!(
        stage(&report, StageId::Permissions).status,
        StageStatus::Fail
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn rows_that_cannot_be_verified_make_the_stage_warn_not_fail() {
    let (report, sim) = check_sim(Scenario::new().my_security(MySecurityMode::Forbidden)).await;
    let stage = stage(&report, StageId::Permissions);
    assert_eq!(stage.status, StageStatus::Warn, "{stage:?}");
    assert!(
        stage
            .fix
            .as_deref()
            .is_some_and(|f| f.contains("rows marked ?"))
    );
    // Add/Edit cannot be proved read-only, and Agreement Invoicing has no probe at all.
    for function in [
        "Contacts",
        "Agreements",
        "Agreement Invoicing",
        "Table Setup",
    ] {
        let row = permission(&report, function);
        assert_eq!(row.status, PermissionStatus::Unverified, "{row:?}");
        assert!(row.detail.contains("check by hand"), "{row:?}");
    }
    // Inquire-only rows are proved by their probe.
    assert_eq!(
        permission(&report, "Company Maintenance").status,
        PermissionStatus::Pass
    );
    assert!(report.ok, "unverified rows warn, they do not fail");
    sim.shutdown().await;
}

#[tokio::test]
async fn a_row_absent_from_my_security_is_unverified_unless_its_probe_got_403() {
    // A profile row that mySecurity does not list, whose probe passes (company/companies is
    // gated by another row the member holds).
    let mut profile = sync365();
    profile.role.rows = vec![RoleRow {
        module: "Companies".into(),
        function: "Company Finance".into(),
        levels: Levels::new(Level::All, Level::None, Level::None, Level::All),
        why: "test".into(),
        optional: false,
        optional_reason: None,
        probe: Some("company/companies".into()),
        customize: Vec::new(),
        customize_deny: Vec::new(),
        setup_only: None,
    }];
    let sim = SimServer::start(Scenario::new()).await.expect("sim starts");
    let report = run(request(
        &sim.url(),
        DEMO_PUBLIC_KEY,
        DEMO_PRIVATE_KEY,
        vec![profile],
    ))
    .await;
    let row = permission(&report, "Company Finance");
    assert_eq!(row.status, PermissionStatus::Unverified, "{row:?}");
    assert!(
        row.detail.contains("row not found in system/mySecurity"),
        "{row:?}"
    );
    assert_eq!(
        stage(&report, StageId::Permissions).status,
        StageStatus::Warn
    );
    sim.shutdown().await;

    // A row without a probe, absent from mySecurity: unverified too.
    let (report, sim) =
        check_sim(Scenario::new().permissions(without_row("Agreement Invoicing"))).await;
    let row = permission(&report, "Agreement Invoicing");
    assert_eq!(row.status, PermissionStatus::Unverified, "{row:?}");
    assert!(row.detail.contains("row not found in system/mySecurity"));
    assert!(report.ok, "{report:#?}");
    sim.shutdown().await;

    // Absent and its probe got 403: a failure.
    let (report, sim) = check_sim(Scenario::new().permissions(without_row("Invoicing"))).await;
    assert_eq!(
        permission(&report, "Invoicing").status,
        PermissionStatus::Fail
    );
    assert!(!report.ok);
    sim.shutdown().await;
}

/// The one request that proves Procurement / Products: its count (which the data stage reports).
fn products_probe(path: &str) -> bool {
    path.ends_with("/apis/3.0/procurement/products/count")
}

#[tokio::test]
async fn a_probe_answering_5xx_fails_the_permissions_stage_with_the_errors_fix() {
    let report = check_through_proxy(Scenario::new(), Duration::from_secs(20), |path| {
        products_probe(path).then_some(Poison::Status(503, "A timeout has occured."))
    })
    .await;
    let row = permission(&report, "Products");
    assert_eq!(row.status, PermissionStatus::Fail, "{row:?}");
    assert!(row.detail.contains("HTTP 503"), "{row:?}");
    let stage = stage(&report, StageId::Permissions);
    assert_eq!(stage.status, StageStatus::Fail, "{stage:?}");
    assert!(
        stage
            .fix
            .as_deref()
            .is_some_and(|f| f.contains("GET procurement/products") && f.contains("internal error")),
        "{stage:?}"
    );
    assert!(!report.ok);
}

#[tokio::test]
async fn a_rate_limited_probe_fails_the_permissions_stage() {
    let report = check_through_proxy(Scenario::new(), Duration::from_secs(20), |path| {
        products_probe(path).then_some(Poison::RateLimited { retry_after: 120 })
    })
    .await;
    assert_eq!(
        permission(&report, "Products").status,
        PermissionStatus::Fail
    );
    let stage = stage(&report, StageId::Permissions);
    assert_eq!(stage.status, StageStatus::Fail, "{stage:?}");
    assert!(
        stage
            .fix
            .as_deref()
            .is_some_and(|f| f.contains("throttling")),
        "{stage:?}"
    );
    assert!(!report.ok);
}

#[tokio::test]
async fn a_probe_that_times_out_fails_the_permissions_stage() {
    let started = Instant::now();
    let report = check_through_proxy(Scenario::new(), Duration::from_secs(4), |path| {
        products_probe(path).then_some(Poison::Hang)
    })
    .await;
    assert!(started.elapsed() < WITHIN);
    let row = permission(&report, "Products");
    assert_eq!(row.status, PermissionStatus::Fail, "{row:?}");
    assert!(row.detail.contains("no answer"), "{row:?}");
    // The figure is the limit the user set, not the time that happened to be left.
    assert!(row.detail.contains("within 4 s"), "{row:?}");
    assert_eq!(
        stage(&report, StageId::Permissions).status,
        StageStatus::Fail
    );
    assert!(!report.ok);
}

#[tokio::test]
async fn an_overfull_my_security_page_fails_the_permissions_stage() {
    // 1001 rows for pageSize=1000, every page: a listing that is not to be believed.
    let rows: Vec<String> = (0..1001)
        .map(|i| {
            format!(r#"{{"moduleName":"M","moduleFunctionName":"F{i}","inquireLevel":"All"}}"#)
        })
        .collect();
    let page = format!("[{}]", rows.join(","));
    let report = check_through_proxy(Scenario::new(), Duration::from_secs(20), move |path| {
        path.ends_with("/system/mySecurity")
            .then(|| Poison::Json(page.clone()))
    })
    .await;
    let permissions = stage(&report, StageId::Permissions);
    assert_eq!(permissions.status, StageStatus::Fail, "{permissions:?}");
    assert!(
        permissions.summary.contains("more than the 1000 items"),
        "{permissions:?}"
    );
    assert!(!report.ok);
}

#[tokio::test]
async fn a_probe_answering_404_stays_unverified() {
    let report = check_through_proxy(
        Scenario::new().my_security(MySecurityMode::Forbidden),
        Duration::from_secs(20),
        |path| products_probe(path).then_some(Poison::Status(404, "The endpoint does not exist.")),
    )
    .await;
    let row = permission(&report, "Products");
    assert_eq!(row.status, PermissionStatus::Unverified, "{row:?}");
    assert_eq!(
        stage(&report, StageId::Permissions).status,
        StageStatus::Warn
    );
    assert!(report.ok, "{report:#?}");
}

#[tokio::test]
async fn an_unknown_level_in_my_security_leaves_the_other_rows_verified() {
    // mySecurity as the sim would send it, with one level spelled in a way cwsetup does not know.
    let mut rows: Vec<Value> = cwsetup::sim::GATES
        .iter()
        .map(|(m, f, _)| {
            serde_json::json!({"moduleName": m, "moduleFunctionName": f,
                "addLevel": "All", "editLevel": "All", "deleteLevel": "All", "inquireLevel": "All"})
        })
        .collect();
    for row in &mut rows {
        if row["moduleFunctionName"] == "Contacts" {
            row["addLevel"] = Value::from("Territory");
        }
    }
    let body = Value::Array(rows).to_string();
    let report = check_through_proxy(Scenario::new(), Duration::from_secs(20), move |path| {
        path.ends_with("/apis/3.0/system/mySecurity")
            .then(|| Poison::Json(body.clone()))
    })
    .await;
    let contacts = permission(&report, "Contacts");
    assert_eq!(
        contacts.status,
        PermissionStatus::Unverified,
        "{contacts:?}"
    );
    assert!(contacts.detail.contains("Territory"), "{contacts:?}");
    // The list as a whole was read: Add/Edit of the other rows are confirmed.
    assert_eq!(
        permission(&report, "Agreements").status,
        PermissionStatus::Pass
    );
    assert_eq!(
        stage(&report, StageId::Permissions).status,
        StageStatus::Warn
    );
    assert!(report.ok);
}

// ---------------------------------------------------------------- data

#[tokio::test]
async fn zero_companies_fail_the_data_stage_naming_the_members_level() {
    // Company Maintenance passes, yet the vendor would sync nothing: never a pass.
    let (report, sim) = check_sim(Scenario::new().zero_companies()).await;
    let data = stage(&report, StageId::Data);
    assert_eq!(data.status, StageStatus::Fail, "{data:?}");
    assert_eq!(report.counts.companies, Some(0));
    assert_eq!(
        permission(&report, "Company Maintenance").status,
        PermissionStatus::Pass
    );
    let fix = data.fix.as_deref().unwrap_or("");
    for word in [
        "Level to Corporate",
        "location",
        "department",
        "System > Members > API Members",
    ] {
        assert!(fix.contains(word), "{word}: {fix}");
    }
    assert!(!report.ok);
    assert_eq!(report.verdict, cwsetup::check::Verdict::Fail);
    sim.shutdown().await;
}

#[tokio::test]
async fn agreements_with_hidden_parents_warn_and_name_the_hidden_type() {
    let (report, sim) =
        check_sim(Scenario::new().hidden_agreement_types(&["Managed Services"])).await;
    let data = stage(&report, StageId::Data);
    assert_eq!(data.status, StageStatus::Warn, "{data:?}");
    let warning = report
        .warnings
        .iter()
        .map(|w| &w.text)
        .find(|w| w.contains("parent agreement this member cannot see"))
        .unwrap_or_else(|| panic!("{:?}", report.warnings));
    assert!(
        warning.contains("\"Managed Services\""),
        "names the hidden type: {warning}"
    );
    assert!(warning.contains("allowed agreement types"), "{warning}");
    sim.shutdown().await;
}

#[tokio::test]
async fn hidden_parents_when_the_types_cannot_be_listed_say_so() {
    let (report, sim) = check_sim(
        Scenario::new()
            .hidden_agreement_types(&["Managed Services"])
            .revoke("System", "Table Setup"),
    )
    .await;
    let warning = report
        .warnings
        .iter()
        .map(|w| &w.text)
        .find(|w| w.contains("parent agreement this member cannot see"))
        .unwrap_or_else(|| panic!("{:?}", report.warnings));
    assert!(
        warning.contains("agreement types could not be listed"),
        "{warning}"
    );
    sim.shutdown().await;
}

// ---------------------------------------------------------------- codebase rediscovery

#[tokio::test]
async fn a_stale_codebase_is_rediscovered_once_and_reported_as_current() {
    let (report, sim) = check_sim(
        Scenario::new()
            .stale_codebase()
            .latency(Duration::from_millis(100)),
    )
    .await;
    assert!(report.ok, "{report:#?}");
    assert_eq!(report.codebase.as_deref(), Some(CLOUD_CODEBASE));
    assert_eq!(report.api_base.as_deref(), Some(sim.api_base().as_str()));
    // Handled by cwsetup: information, not something to act on.
    assert!(
        report
            .notes
            .iter()
            .any(|w| w.text.contains(STALE_CODEBASE) && w.text.contains(CLOUD_CODEBASE)),
        "{:?}",
        report.notes
    );
    assert_eq!(report.verdict, cwsetup::check::Verdict::Pass, "{report:#?}");
    let lookups = sim
        .requests()
        .iter()
        .filter(|r| r.path.starts_with("/login/companyinfo/"))
        .count();
    assert_eq!(lookups, 2, "the first lookup and one rediscovery");
    sim.shutdown().await;
}

// ---------------------------------------------------------------- concurrency

#[tokio::test]
async fn every_call_after_companyinfo_is_in_flight_at_once() {
    let started = Instant::now();
    let (report, sim) = check_sim(Scenario::new().latency(Duration::from_millis(300))).await;
    assert!(started.elapsed() < WITHIN);
    assert!(report.ok, "{report:#?}");
    let api_calls = sim
        .requests()
        .iter()
        .filter(|r| r.path.contains("/apis/3.0/"))
        .count();
    // system/info, mySecurity, 2 probes (contacts, invoices), 4 counts (each its row's probe),
    // the agreements and their types (the Table Setup probe): each permission proved once.
    assert_eq!(api_calls, 10, "{api_calls} API calls");
    let all = sim.requests().len();
    assert!(
        all <= 12,
        "{all} requests for sync365, companyinfo included"
    );
    assert!(
        sim.max_in_flight() >= api_calls,
        "peak in flight {} < {api_calls} calls after companyinfo: they went in waves",
        sim.max_in_flight()
    );
    sim.shutdown().await;
}

// ---------------------------------------------------------------- site, catalog

#[tokio::test]
async fn the_report_site_is_the_parsed_origin_not_the_pasted_login_url() {
    let sim = SimServer::start(Scenario::new()).await.expect("sim starts");
    let pasted = format!(
        "{}/v4_6_release/ConnectWise.aspx?locale=en_US&session=FAKESESSION",
        sim.url()
    );
    let report = run(request(
        &pasted,
        DEMO_PUBLIC_KEY,
        DEMO_PRIVATE_KEY,
        vec![sync365()],
    ))
    .await;
    assert_eq!(report.site, sim.url());
    sim.shutdown().await;
}

#[tokio::test]
async fn the_same_origin_redirect_scenario_is_in_the_catalog_and_passes() {
    assert!(
        Scenario::catalog()
            .iter()
            .any(|(name, _)| *name == "same-origin-redirect")
    );
    for (name, _) in Scenario::catalog() {
        assert!(Scenario::named(name).is_some(), "{name}");
    }
    let scenario = Scenario::named("same-origin-redirect").expect("named");
    let (report, sim) = check_sim(scenario).await;
    assert!(report.ok, "{report:#?}");
    sim.shutdown().await;

    let listing = Command::new(env!("CARGO_BIN_EXE_cwsetup"))
        .args(["sim", "--list-scenarios"])
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&listing.stdout).contains("same-origin-redirect"));
}

// ---------------------------------------------------------------- the JSON contract

/// Every key of the report, its counts, stages and permission rows, exactly.
fn key_problems(v: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let mut keys = |what: &str, v: &Value, expected: &[&str]| {
        let mut actual: Vec<&str> = v
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        actual.sort_unstable();
        let mut expected = expected.to_vec();
        expected.sort_unstable();
        if actual != expected {
            problems.push(format!("{what} keys {actual:?}, expected {expected:?}"));
        }
    };
    keys(
        "report",
        v,
        &[
            "ok",
            "verdict",
            "site",
            "company_id",
            "client_id",
            "input_removed",
            "api_base",
            "codebase",
            "version",
            "is_cloud",
            "stages",
            "permissions",
            "counts",
            "warnings",
            "beyond_needed",
            "notes",
        ],
    );
    keys(
        "counts",
        &v["counts"],
        &["companies", "agreements", "products", "catalog"],
    );
    for s in v["stages"].as_array().into_iter().flatten() {
        keys("stage", s, &["id", "status", "summary", "fix"]);
    }
    for p in v["permissions"].as_array().into_iter().flatten() {
        keys(
            "permission",
            p,
            &["module", "function", "required", "status", "detail"],
        );
    }
    problems
}

/// Every value of the report has its type (and a stage or row status one of its words).
fn type_problems(v: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let mut check = |ok: bool, what: &str| {
        if !ok {
            problems.push(what.to_string());
        }
    };
    let str_or_null = |x: &Value| x.is_string() || x.is_null();
    check(v["ok"].is_boolean(), "ok is a bool");
    check(v["site"].is_string(), "site is a string");
    check(v["company_id"].is_string(), "company_id is a string");
    check(str_or_null(&v["api_base"]), "api_base is str|null");
    check(str_or_null(&v["codebase"]), "codebase is str|null");
    check(str_or_null(&v["version"]), "version is str|null");
    check(
        v["is_cloud"].is_boolean() || v["is_cloud"].is_null(),
        "is_cloud is bool|null",
    );
    let ids: Vec<&str> = v["stages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["id"].as_str())
        .collect();
    check(
        ids == ["input", "connect", "company", "auth", "permissions", "data"],
        "the six stage ids in order",
    );
    for s in v["stages"].as_array().into_iter().flatten() {
        check(
            matches!(
                s["status"].as_str(),
                Some("pass" | "warn" | "fail" | "skip")
            ),
            "stage status is pass|warn|fail|skip",
        );
        check(s["summary"].is_string(), "stage summary is a string");
        check(str_or_null(&s["fix"]), "stage fix is str|null");
    }
    for p in v["permissions"].as_array().into_iter().flatten() {
        for key in ["module", "function", "required", "detail"] {
            check(p[key].is_string(), "permission fields are strings");
        }
        check(
            matches!(p["status"].as_str(), Some("pass" | "fail" | "unverified")),
            "permission status is pass|fail|unverified",
        );
    }
    for key in ["companies", "agreements", "products", "catalog"] {
        check(
            v["counts"][key].is_u64() || v["counts"][key].is_null(),
            "counts are numbers or null",
        );
    }
    check(
        v["warnings"]
            .as_array()
            .is_some_and(|w| w.iter().all(Value::is_string)),
        "warnings is a list of strings",
    );
    problems
}

fn contract_problems(v: &Value) -> Vec<String> {
    let mut problems = key_problems(v);
    problems.extend(type_problems(v));
    problems
}

#[tokio::test]
async fn the_json_contract_holds_for_a_full_and_an_early_failed_check() {
    let (report, sim) = check_sim(Scenario::new().my_security(MySecurityMode::Forbidden)).await;
    let full = serde_json::to_value(&report).expect("serializes");
    assert_eq!(contract_problems(&full), Vec::<String>::new(), "{full:#}");
    assert!(!full["permissions"].as_array().expect("list").is_empty());
    assert!(full["api_base"].is_string() && full["is_cloud"].is_boolean());
    sim.shutdown().await;

    let site = format!("http://127.0.0.1:{}", refused_port());
    let report = run(request(&site, FAKE_PUBLIC, FAKE_PRIVATE, vec![sync365()])).await;
    let early = serde_json::to_value(&report).expect("serializes");
    assert_eq!(contract_problems(&early), Vec::<String>::new(), "{early:#}");
    assert!(early["api_base"].is_null() && early["is_cloud"].is_null());
    assert!(early["counts"]["companies"].is_null());
    assert_eq!(early["ok"], false);
}

// ---------------------------------------------------------------- the real binary

/// Runs `cwsetup` with only the given environment of the CW_* variables, stdin closed.
fn cwsetup(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cwsetup"));
    cmd.args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for var in ENV_VARS.iter().chain(&PROXY_VARS) {
        cmd.env_remove(var);
    }
    cmd.env("NO_COLOR", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let started = Instant::now();
    let output = cmd.output().expect("cwsetup runs");
    assert!(started.elapsed() < WITHIN);
    output
}

async fn cwsetup_async(args: Vec<String>, env: Vec<(String, String)>) -> Output {
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        cwsetup(&args, &env)
    })
    .await
    .expect("joined")
}

fn json_stdout(output: &Output) -> Value {
    let text = String::from_utf8_lossy(&output.stdout);
    serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "{e}: stdout {text}\nstderr {}",
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

fn sim_args(sim: &SimServer, public_key: &str) -> Vec<String> {
    [
        "check",
        "--json",
        "--site",
        &sim.url(),
        "--company",
        DEMO_COMPANY_ID,
        "--public-key",
        public_key,
        "--client-id",
        DEMO_CLIENT_ID,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

#[test]
fn exit_0_for_the_demo_with_one_json_object_of_the_contract() {
    let output = cwsetup(&["check", "--demo", "--json"], &[]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let v = json_stdout(&output);
    assert_eq!(contract_problems(&v), Vec::<String>::new(), "{v:#}");
    assert_eq!(v["ok"], true);
}

#[test]
fn exit_2_naming_every_missing_value() {
    let output = cwsetup(&["check"], &[]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    for source in [
        "CW_SITE",
        "CW_COMPANY_ID",
        "CW_PUBLIC_KEY",
        "CW_PRIVATE_KEY",
        "CW_CLIENT_ID",
    ] {
        assert!(stderr.contains(source), "{source} in {stderr}");
    }
    assert!(output.stdout.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn exit_1_when_a_stage_fails() {
    let sim = SimServer::start(Scenario::named("missing-products").expect("named"))
        .await
        .expect("sim starts");
    let output = cwsetup_async(
        sim_args(&sim, DEMO_PUBLIC_KEY),
        vec![("CW_PRIVATE_KEY".into(), DEMO_PRIVATE_KEY.into())],
    )
    .await;
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let v = json_stdout(&output);
    assert_eq!(v["ok"], false);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn exit_2_for_input_errors_with_the_json_still_printed() {
    let sim = SimServer::start(Scenario::new()).await.expect("sim starts");
    // Identical keys.
    let output = cwsetup_async(
        sim_args(&sim, FAKE_PUBLIC),
        vec![("CW_PRIVATE_KEY".into(), FAKE_PUBLIC.into())],
    )
    .await;
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let v = json_stdout(&output);
    assert_eq!(v["stages"][0]["status"], "fail");
    // A site with a scheme other than https.
    let mut args = sim_args(&sim, FAKE_PUBLIC);
    let site = args.iter().position(|a| a == "--site").expect("flag") + 1;
    args[site] = "ftp://cw.example.com".into();
    let output = cwsetup_async(args, vec![("CW_PRIVATE_KEY".into(), FAKE_PRIVATE.into())]).await;
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    // A company ID with a tab inside: the URL and the Authorization header would disagree.
    let mut args = sim_args(&sim, FAKE_PUBLIC);
    let company = args.iter().position(|a| a == "--company").expect("flag") + 1;
    args[company] = "con\ttoso".into();
    let output = cwsetup_async(args, vec![("CW_PRIVATE_KEY".into(), FAKE_PRIVATE.into())]).await;
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let v = json_stdout(&output);
    assert_eq!(v["stages"][0]["status"], "fail");
    let summary = v["stages"][0]["summary"].as_str().unwrap_or_default();
    assert!(
        summary.contains("the company ID contains a tab"),
        "{summary}"
    );
    assert!(!summary.contains("--company"), "{summary}");
    assert!(sim.requests().is_empty());
    sim.shutdown().await;
}

#[test]
fn demo_overrides_every_value_from_the_environment() {
    let port = refused_port().to_string();
    let elsewhere = format!("http://127.0.0.1:{port}");
    let output = cwsetup(
        &["check", "--demo", "--json"],
        &[
            ("CW_SITE", elsewhere.as_str()),
            ("CW_COMPANY_ID", "fakeco"),
            ("CW_PUBLIC_KEY", FAKE_PUBLIC),
            ("CW_PRIVATE_KEY", FAKE_PRIVATE),
            ("CW_CLIENT_ID", "00000000-0000-4000-8000-00000000fa11"),
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let v = json_stdout(&output);
    assert_eq!(v["company_id"], DEMO_COMPANY_ID);
    assert_ne!(v["site"], elsewhere.as_str());
    assert_eq!(v["ok"], true, "the demo key (not CW_PRIVATE_KEY) was sent");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!stdout.contains(FAKE_PRIVATE) && !stdout.contains(FAKE_PUBLIC));
}

// ---------------------------------------------------------------- the report holds no secret

/// Every substring of `key` of 3 characters or more that occurs in `text`.
fn key_fragments_in(text: &str, key: &str) -> Vec<String> {
    let chars: Vec<char> = key.chars().collect();
    let mut found = Vec::new();
    for start in 0..chars.len() {
        for end in start + 3..=chars.len() {
            let fragment: String = chars[start..end].iter().collect();
            if text.contains(&fragment) {
                found.push(fragment);
            }
        }
    }
    found
}

fn assert_no_odd_private_key(what: &str, text: &str) {
    let fragments = key_fragments_in(text, ODD_PRIVATE);
    assert!(fragments.is_empty(), "{what} holds {fragments:?}");
    for c in ODD_CHARS {
        assert!(!text.contains(c), "{what} quotes the key's {c:?}");
        let code = format!("U+{:04X}", c as u32);
        assert!(!text.contains(&code), "{what} names the key's {code}");
    }
}

#[tokio::test]
async fn a_private_key_with_odd_characters_never_reaches_json_or_report() {
    let sim = SimServer::start(Scenario::new()).await.expect("sim starts");
    let report = run(request(
        &sim.url(),
        DEMO_PUBLIC_KEY,
        ODD_PRIVATE,
        vec![sync365()],
    ))
    .await;
    let input = stage(&report, StageId::Input);
    assert_eq!(input.status, StageStatus::Warn, "{input:?}");
    assert!(
        input
            .summary
            .contains("private key: 9 characters that are not a letter or digit"),
        "a count and kind: {input:?}"
    );
    let json = serde_json::to_string(&report).expect("serializes");
    assert_no_odd_private_key("JSON", &json);
    let profile = sync365();
    let markdown = check::markdown(&report, &[&profile], "Demo…");
    assert_no_odd_private_key("report", &markdown);
    let human = check::human(&report, check::Style { color: false });
    assert_no_odd_private_key("terminal output", &human);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_binary_report_and_json_hold_no_private_key_and_no_full_public_key() {
    let sim = SimServer::start(Scenario::new()).await.expect("sim starts");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("ticket.md");
    let mut args = sim_args(&sim, DEMO_PUBLIC_KEY);
    args.extend(["--report".to_string(), path.display().to_string()]);
    let output = cwsetup_async(args, vec![("CW_PRIVATE_KEY".into(), ODD_PRIVATE.into())]).await;
    assert_eq!(
        output.status.code(),
        Some(1),
        "the odd key is refused: {output:?}"
    );
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let report = std::fs::read_to_string(&path).expect("report written");
    for (what, text) in [
        ("stdout", &stdout),
        ("stderr", &stderr),
        ("report", &report),
    ] {
        assert_no_odd_private_key(what, text);
        assert!(
            !text.contains(DEMO_PUBLIC_KEY),
            "{what} holds the public key"
        );
    }
    assert!(
        report.contains("Demo…"),
        "the public key's first 4 characters"
    );
    assert!(report.contains(&format!("| Site | {} |", sim.url())));

    // A passing run: the demo keys themselves.
    let output = cwsetup_async(
        {
            let mut a = sim_args(&sim, DEMO_PUBLIC_KEY);
            a.extend(["--report".to_string(), path.display().to_string()]);
            a
        },
        vec![("CW_PRIVATE_KEY".into(), DEMO_PRIVATE_KEY.into())],
    )
    .await;
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let report = std::fs::read_to_string(&path).expect("report written");
    assert!(!report.contains(DEMO_PRIVATE_KEY));
    assert!(!report.contains(DEMO_PUBLIC_KEY));
    assert!(!String::from_utf8_lossy(&output.stdout).contains(DEMO_PRIVATE_KEY));
    // What to ask for when the problem is out of sight.
    assert!(report.contains("enable API request logging"), "{report}");
    sim.shutdown().await;
}

// ---------------------------------------------------------------- the private key on a terminal

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn private_key_stdin_on_a_terminal_prompts_without_echo() {
    let sim = SimServer::start(Scenario::new()).await.expect("sim starts");
    let mut args = sim_args(&sim, DEMO_PUBLIC_KEY);
    args.push("--private-key-stdin".into());
    let (code, shown) = tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let mut s = Session::start_with(&args, &[("NO_COLOR", "1")], &ENV_VARS);
        s.wait_for("Private key (not shown");
        s.send("DemoPrivateKey01\r");
        let (status, restored) = s.finish();
        (status.exit_code(), restored.text)
    })
    .await
    .expect("joined");
    assert!(
        !shown.contains(DEMO_PRIVATE_KEY),
        "the key was echoed:\n{shown}"
    );
    assert_eq!(code, 0, "{shown}");
    sim.shutdown().await;
}

#[cfg(unix)]
#[test]
fn missing_values_are_reported_before_any_prompt() {
    let s = Session::start_with(
        &["check", "--public-key", FAKE_PUBLIC],
        &[("NO_COLOR", "1")],
        &ENV_VARS,
    );
    // It must exit on its own: a prompt would leave it waiting, and finish() would time out.
    let (status, restored) = s.finish();
    let shown = restored.text;
    assert!(
        !shown.contains("Private key (not shown"),
        "prompted before naming what is missing:\n{shown}"
    );
    assert_eq!(status.exit_code(), 2, "{shown}");
    for source in ["CW_SITE", "CW_COMPANY_ID", "CW_CLIENT_ID"] {
        assert!(shown.contains(source), "{source}:\n{shown}");
    }
}

// ---------------------------------------------------------------- proxies from the environment

/// `check --json` of a made-up https site (never resolved: the proxy is asked for it) with the
/// given environment.
async fn check_via_env(env: Vec<(String, String)>) -> (Output, Value) {
    let args: Vec<String> = [
        "check",
        "--json",
        "--timeout",
        "10",
        "--site",
        "cw.example.com",
        "--company",
        "contoso",
        "--public-key",
        FAKE_PUBLIC,
        "--client-id",
        DEMO_CLIENT_ID,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut env = env;
    env.push(("CW_PRIVATE_KEY".into(), FAKE_PRIVATE.into()));
    let output = cwsetup_async(args, env).await;
    let v = json_stdout(&output);
    (output, v)
}

fn stage_json<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["stages"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["id"] == id))
        .unwrap_or_else(|| panic!("no {id} stage in {v:#}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dead_proxy_is_named_as_the_problem() {
    let proxy = format!("http://127.0.0.1:{}", refused_port());
    let (output, v) = check_via_env(vec![("HTTPS_PROXY".into(), proxy.clone())]).await;
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let connect = stage_json(&v, "connect");
    assert_eq!(connect["status"], "fail", "{connect:#}");
    let summary = connect["summary"].as_str().unwrap_or_default();
    assert!(summary.contains(&format!("the proxy {proxy}")), "{summary}");
    assert!(!summary.contains("cw.example.com refused"), "{summary}");
    let fix = connect["fix"].as_str().unwrap_or_default();
    assert!(
        fix.contains("HTTPS_PROXY") && fix.contains("NO_PROXY"),
        "{fix}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_proxy_answering_407_fails_the_connect_stage() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let proxy = format!("http://{}", listener.local_addr().expect("addr"));
    let task = tokio::spawn(async move {
        for _ in 0..20 {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            if common::net::read_request_path(&mut stream).await.is_some() {
                common::net::write_reply(
                    &mut stream,
                    407,
                    &[("proxy-authenticate", "Basic realm=\"proxy\"")],
                    "",
                )
                .await;
            }
        }
    });
    let (output, v) = check_via_env(vec![("HTTPS_PROXY".into(), proxy.clone())]).await;
    task.abort();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let connect = stage_json(&v, "connect");
    assert_eq!(connect["status"], "fail", "{connect:#}");
    let summary = connect["summary"].as_str().unwrap_or_default();
    assert!(
        summary.contains(&proxy) && summary.contains("407"),
        "{summary}"
    );
    let fix = connect["fix"].as_str().unwrap_or_default();
    assert!(fix.contains("user and password"), "{fix}");
    assert_eq!(stage_json(&v, "company")["status"], "skip");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unparseable_proxy_variable_is_an_input_error() {
    for variable in ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "ALL_PROXY"] {
        let (output, v) = check_via_env(vec![(
            variable.into(),
            "http://us:s3cret@pro xy:3128".into(),
        )])
        .await;
        assert_eq!(output.status.code(), Some(2), "{variable}: {output:?}");
        let input = stage_json(&v, "input");
        assert_eq!(input["status"], "fail", "{input:#}");
        let summary = input["summary"].as_str().unwrap_or_default();
        // Windows environment names ignore case: https_proxy there is HTTPS_PROXY.
        let named = if cfg!(windows) {
            summary
                .to_ascii_lowercase()
                .contains(&variable.to_ascii_lowercase())
        } else {
            summary.contains(variable)
        };
        assert!(named, "{variable}: {summary}");
        assert!(!summary.contains("s3cret"), "{summary}");
        assert_eq!(stage_json(&v, "connect")["status"], "skip");
    }
}

// ---------------------------------------------------------------- least privilege

#[tokio::test]
async fn what_the_member_may_do_beyond_the_profile_is_listed_by_module() {
    let (report, sim) = check_sim(Scenario::new()).await;
    assert!(report.ok, "{report:#?}");
    let beyond = report
        .beyond_needed
        .as_ref()
        .expect("mySecurity was readable");
    assert!(!beyond.admin);
    let service = beyond
        .modules
        .iter()
        .find(|m| m.module == "Service Desk")
        .expect("Service Desk is beyond what Sync 365 needs");
    assert_eq!(service.rows[0].function, "Service Tickets");
    assert_eq!(
        service.rows[0].have,
        "Add All, Edit All, Delete All, Inquire All"
    );
    let companies = beyond
        .modules
        .iter()
        .find(|m| m.module == "Companies")
        .expect("Companies");
    assert!(
        companies
            .rows
            .iter()
            .any(|r| r.function == "Company Maintenance")
    );
    let total: usize = beyond.modules.iter().map(|m| m.rows.len()).sum();
    assert_eq!(beyond.count, total);
    assert!(
        !report.notes.iter().any(|n| n.text.contains("Admin"))
            && !report.warnings.iter().any(|w| w.text.contains("Admin")),
        "{report:#?}"
    );
    let text = cwsetup::check::human(&report, cwsetup::check::Style { color: false });
    assert!(
        text.contains(&format!(
            "Beyond what the profiles need ({} rows",
            beyond.count
        )),
        "{text}"
    );
    assert!(
        text.contains("  Service Desk\n    Service Tickets: Add All"),
        "{text}"
    );
    sim.shutdown().await;

    // Unreadable mySecurity: nothing is claimed.
    let (report, sim) = check_sim(Scenario::new().my_security(MySecurityMode::Forbidden)).await;
    assert_eq!(report.beyond_needed, None);
    sim.shutdown().await;
}

fn every_function_at_all() -> Scenario {
    Scenario::new().permissions(
        GATES
            .iter()
            .map(|(m, f, _)| SimPermission::uniform(m, f, Level::All))
            .collect(),
    )
}

#[tokio::test]
async fn an_admin_role_is_a_note_for_sync365_and_a_warning_for_visionary360() {
    let (report, sim) = check_sim(every_function_at_all()).await;
    assert!(report.ok);
    assert!(report.beyond_needed.as_ref().is_some_and(|b| b.admin));
    let admin: Vec<&String> = report
        .notes
        .iter()
        .map(|n| &n.text)
        .filter(|n| n.contains("Admin"))
        .collect();
    assert_eq!(admin.len(), 1, "{report:#?}");
    assert!(admin[0].starts_with("Admin: every function"));
    assert!(!report.warnings.iter().any(|w| w.text.contains("Admin")));
    let text = cwsetup::check::human(&report, cwsetup::check::Style { color: false });
    assert!(text.contains("Admin: every function"), "{text}");
    sim.shutdown().await;

    let sim = SimServer::start(every_function_at_all())
        .await
        .expect("sim starts");
    let visionary = cwsetup::profile::find("visionary360-email-reconnector")
        .expect("ships")
        .clone();
    let report = run(request(
        &sim.url(),
        DEMO_PUBLIC_KEY,
        DEMO_PRIVATE_KEY,
        vec![visionary],
    ))
    .await;
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.text.starts_with("Admin: every function") && w.text.contains("discourages")),
        "{report:#?}"
    );
    assert!(report.notes.is_empty());
    sim.shutdown().await;
}

#[test]
fn human_output_lists_the_portal_values_in_the_vendors_form() {
    let output = cwsetup(&["check", "--demo"], &[]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("For Sync 365 License's portal:"), "{text}");
    // The demo's simulator is a server on this computer: its API host is its host and port.
    let url = text
        .lines()
        .find(|l| l.trim_start().starts_with("ConnectWise URL"))
        .unwrap_or_else(|| panic!("no ConnectWise URL line in {text}"));
    assert!(url.contains("127.0.0.1:"), "{url}");
    assert!(!url.contains("http://"), "the host, not a URL: {url}");
    assert!(text.contains("the private key you tested"), "{text}");
    assert!(!text.contains(DEMO_PRIVATE_KEY));
}

#[tokio::test]
async fn a_rate_limited_request_is_reported_as_a_retry_while_the_test_runs() {
    // Two 429s with Retry-After: 1, then answers: the check passes, and on its way the progress
    // channel says the request is being retried, and why.
    let sim = SimServer::start(Scenario::new().rate_limited(2, 1))
        .await
        .expect("sim starts");
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let report = tokio::time::timeout(
        WITHIN,
        check::run(
            request(
                &sim.url(),
                DEMO_PUBLIC_KEY,
                DEMO_PRIVATE_KEY,
                vec![sync365()],
            ),
            Some(tx),
        ),
    )
    .await
    .expect("the check finishes");
    assert!(report.ok, "{report:?}");
    let mut retries = Vec::new();
    while let Ok(event) = rx.try_recv() {
        if let check::CheckEvent::Retry(notice) = event {
            retries.push(notice.to_string());
        }
    }
    assert!(
        retries.iter().any(|r| r == "rate-limited, retrying in 1 s"),
        "{retries:?}"
    );
}

/// What the human output of `check` must never hold: an internal code such as `(not_found)`,
/// a raw byte count such as `8388608 bytes`, or "1 characters"-style grammar.
fn assert_reads_as_english(what: &str, text: &str) {
    for (at, _) in text.match_indices('(') {
        let inner: String = text[at + 1..].chars().take_while(|c| *c != ')').collect();
        let code_like = inner.contains('_')
            && inner != DEMO_COMPANY_ID
            && inner
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit());
        assert!(!code_like, "{what}: internal code ({inner}) in\n{text}");
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    for pair in words.windows(2) {
        let number = pair[0].trim_start_matches(['(', '"']);
        if pair[1].starts_with("bytes") && number.len() > 4 && number.parse::<u64>().is_ok() {
            panic!(
                "{what}: raw byte count \"{} {}\" in\n{text}",
                pair[0], pair[1]
            );
        }
        if number == "1" {
            for noun in [
                "characters",
                "warnings",
                "rows",
                "agreements",
                "companies",
                "notes",
            ] {
                assert!(
                    !pair[1].starts_with(noun),
                    "{what}: \"1 {noun}\" in\n{text}"
                );
            }
        }
    }
    assert!(!text.contains("(s)"), "{what}: \"(s)\" in\n{text}");
}

#[tokio::test]
async fn the_human_output_has_no_internal_codes_raw_byte_counts_or_bad_plurals() {
    let style = check::Style { color: false };
    for (name, _) in Scenario::catalog() {
        if matches!(*name, "hang" | "slow" | "slow-body") {
            continue; // timeouts: covered by the fault matrix, too slow here
        }
        let scenario = Scenario::named(name).expect("named");
        let (report, _sim) = check_sim(scenario).await;
        assert_reads_as_english(name, &check::human(&report, style));
    }
    // A probe failing with 503 and 404: the failed calls are listed by what happened.
    for (status, body) in [(503, "A timeout has occured."), (404, "No such endpoint.")] {
        let report = check_through_proxy(Scenario::new(), Duration::from_secs(20), move |path| {
            products_probe(path).then_some(Poison::Status(status, body))
        })
        .await;
        let text = check::human(&report, style);
        assert_reads_as_english(&format!("probe {status}"), &text);
        if status == 503 {
            assert!(text.contains("(server error (HTTP 503))"), "{text}");
        }
    }
    // mySecurity forbidden: the reason is said in words.
    let (report, _sim) = check_sim(Scenario::new().my_security(MySecurityMode::Forbidden)).await;
    let text = check::human(&report, style);
    assert!(text.contains("no permission (403)"), "{text}");
    assert_reads_as_english("my-security-forbidden", &text);
    // The oversized scenario names its limit as people say it.
    let (report, _sim) = check_sim(Scenario::named("oversized").expect("named")).await;
    let text = check::human(&report, style);
    assert!(text.contains("8 MiB"), "{text}");
}

/// Issue 25, item 4: Table Setup at the level needed (mySecurity says so) but its probe refused
/// is the role's Customize list, not the level: the fix names the table, never "set Inquire".
#[tokio::test(flavor = "multi_thread")]
async fn a_refused_probe_on_a_row_at_its_level_gets_a_customize_fix_naming_the_table() {
    let (report, sim) = check_sim(Scenario::named("missing-table-setup").expect("named")).await;
    let row = permission(&report, "Table Setup");
    assert_eq!(row.status, PermissionStatus::Fail, "{row:?}");
    assert!(
        row.detail.contains("the level is right")
            && row.detail.contains("\"Agreements / Agreement Type\"")
            && row.detail.contains("click Customize"),
        "{}",
        row.detail
    );
    assert!(!row.detail.contains("set Inquire"), "{}", row.detail);
    let fix = stage(&report, StageId::Permissions)
        .fix
        .clone()
        .unwrap_or_default();
    assert!(
        fix.contains("already at the level needed")
            && fix.contains("\"Agreements / Agreement Type\"")
            && !fix.contains("Raise these rows"),
        "{fix}"
    );
    sim.shutdown().await;

    // The level itself at None: then raising the level is the fix, and it says what mySecurity saw.
    let (report, sim) = check_sim(Scenario::named("table-setup-none").expect("named")).await;
    let row = permission(&report, "Table Setup");
    assert_eq!(row.status, PermissionStatus::Fail, "{row:?}");
    assert!(!row.detail.contains("Customize"), "{}", row.detail);
    let fix = stage(&report, StageId::Permissions)
        .fix
        .clone()
        .unwrap_or_default();
    assert!(
        fix.contains("Raise these rows") && fix.contains("System / Table Setup"),
        "{fix}"
    );
    sim.shutdown().await;
}

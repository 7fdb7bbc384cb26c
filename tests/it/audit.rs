//! Auditing steps 2 and 3 with the technician's own keys: the client's reads of roles, role
//! settings and API members against the simulator, and `cwsetup audit` through every scenario.
//!
//! Everything runs on 127.0.0.1 with servers the tests start and stop themselves.

use std::process::Command;
use std::time::Duration;

use cwsetup::cw::{ApiSession, CwError};
use cwsetup::profile::Level;
use cwsetup::sim::{
    DEMO_ADMIN_PRIVATE_KEY, DEMO_ADMIN_PUBLIC_KEY, DEMO_CLIENT_ID, DEMO_COMPANY_ID,
    DEMO_PRIVATE_KEY, DEMO_PUBLIC_KEY, Scenario, SimServer,
};
use serde_json::Value;

use crate::common::fixture::{client, credentials, options};
use crate::common::http::{basic_auth, http_client};

async fn session_with(sim: &SimServer, public: &str, private: &str) -> ApiSession {
    let client = client(&sim.url(), options());
    let info = client
        .company_info(DEMO_COMPANY_ID)
        .await
        .expect("companyinfo answers");
    client.session(&info, credentials(DEMO_COMPANY_ID, public, private))
}

async fn admin_session(sim: &SimServer) -> ApiSession {
    session_with(sim, DEMO_ADMIN_PUBLIC_KEY, DEMO_ADMIN_PRIVATE_KEY).await
}

// ---------------------------------------------------------------- client reads, simulator

#[tokio::test]
async fn admin_keys_read_roles_settings_and_members() {
    let sim = SimServer::start(Scenario::new()).await.expect("sim starts");
    let session = admin_session(&sim).await;
    let roles = session.security_roles().await.expect("roles");
    let names: Vec<&str> = roles.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["Admin", "Sync 365 API", "Technician"]);
    assert!(roles[0].admin_flag && !roles[1].admin_flag);

    let settings = session
        .security_role_settings(roles[1].id.expect("the sim sends role ids"))
        .await
        .expect("settings");
    assert!(settings.len() > 25, "every function, {}", settings.len());
    let contacts = settings
        .iter()
        .find(|r| r.function_name == "Contacts")
        .expect("row");
    assert_eq!(
        (
            contacts.levels.add,
            contacts.levels.edit,
            contacts.levels.delete,
            contacts.levels.inquire
        ),
        (Level::All, Level::All, Level::None, Level::All)
    );
    // Read with pageSize=1000: one request for the whole role.
    let settings_calls: Vec<_> = sim
        .requests()
        .into_iter()
        .filter(|r| r.path.ends_with("/settings"))
        .collect();
    assert_eq!(settings_calls.len(), 1);
    // The paths as the spec spells them: the list in lower case, one role's settings in camel
    // case. The simulator (like ConnectWise) takes either; the spec's spelling is the safe one.
    assert!(
        settings_calls[0]
            .path
            .ends_with("/apis/3.0/system/securityRoles/22/settings"),
        "{settings_calls:?}"
    );
    let list_paths: Vec<String> = sim
        .requests()
        .into_iter()
        .map(|r| r.path)
        .filter(|p| p.to_ascii_lowercase().ends_with("/system/securityroles"))
        .collect();
    assert!(
        !list_paths.is_empty()
            && list_paths
                .iter()
                .all(|p| p.ends_with("/apis/3.0/system/securityroles")),
        "the roles list path is the spec's `system/securityroles`: {list_paths:?}"
    );
    assert!(
        settings_calls[0]
            .query
            .as_deref()
            .is_some_and(|q| q.contains("pageSize=1000")),
        "{settings_calls:?}"
    );

    let members = session
        .api_members_by_identifier("s365")
        .await
        .expect("members");
    assert_eq!(members.len(), 1);
    let m = &members[0];
    assert_eq!(m.identifier, "S365");
    assert!(!m.inactive_flag);
    assert_eq!(m.security_role.as_ref().map(|r| r.id), roles[1].id);
    assert_eq!(
        m.structure_level.as_ref().and_then(|r| r.name.as_deref()),
        Some("Corporate")
    );
    assert!(m.default_location.is_some() && m.default_department.is_some());
    assert!(
        session
            .api_members_by_identifier("NOPE")
            .await
            .expect("empty list")
            .is_empty()
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn role_settings_page_with_link_headers_like_other_lists() {
    let sim = SimServer::start(Scenario::new()).await.expect("sim starts");
    let http = http_client(Duration::from_secs(10));
    let auth = basic_auth(
        DEMO_COMPANY_ID,
        DEMO_ADMIN_PUBLIC_KEY,
        DEMO_ADMIN_PRIVATE_KEY,
    );
    let url = format!(
        "{}system/securityRoles/22/settings?pageSize=10",
        sim.api_base()
    );
    let response = http
        .get(&url)
        .header("Authorization", auth)
        .header("clientId", DEMO_CLIENT_ID)
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status(), 200);
    let link = response
        .headers()
        .get("link")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    assert!(link.contains("rel=\"next\""), "{link}");
    let rows: Value = serde_json::from_str(&response.text().await.expect("body")).expect("json");
    assert_eq!(rows.as_array().map(Vec::len), Some(10));
    for key in [
        "moduleName",
        "moduleFunctionName",
        "moduleIdentifier",
        "moduleFunctionIdentifier",
        "addLevel",
        "inquireLevel",
        "_info",
    ] {
        assert!(rows[0].get(key).is_some(), "setting row lacks {key}");
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn each_key_pair_has_its_own_rights() {
    // The vendor's member lacks Member Maintenance; the admin keys lack Security Roles.
    let sim = SimServer::start(
        Scenario::new()
            .revoke("System", "Member Maintenance")
            .admin_revoke("System", "Security Roles"),
    )
    .await
    .expect("sim starts");
    let vendor = session_with(&sim, DEMO_PUBLIC_KEY, DEMO_PRIVATE_KEY).await;
    let admin = admin_session(&sim).await;
    assert!(matches!(
        vendor.api_members_by_identifier("S365").await,
        Err(CwError::Forbidden { .. })
    ));
    assert!(vendor.security_roles().await.is_ok());
    assert!(admin.api_members_by_identifier("S365").await.is_ok());
    assert!(matches!(
        admin.security_roles().await,
        Err(CwError::Forbidden { .. })
    ));
    assert!(matches!(
        admin.security_role_settings(22).await,
        Err(CwError::Forbidden { .. })
    ));
    sim.shutdown().await;
}

#[tokio::test]
async fn an_inactive_member_locks_out_its_own_keys_not_the_admins() {
    let sim = SimServer::start(Scenario::named("inactive-member").expect("known"))
        .await
        .expect("sim starts");
    let vendor = session_with(&sim, DEMO_PUBLIC_KEY, DEMO_PRIVATE_KEY).await;
    assert!(matches!(
        vendor.system_info().await,
        Err(CwError::Unauthorized { .. })
    ));
    let members = admin_session(&sim)
        .await
        .api_members_by_identifier("S365")
        .await
        .expect("admin reads members");
    assert!(members[0].inactive_flag);
    sim.shutdown().await;
}

#[test]
fn every_audit_scenario_is_named_and_described() {
    for name in [
        "role-missing-row",
        "role-over-privileged",
        "role-admin",
        "role-not-found",
        "member-not-found",
        "inactive-member",
        "member-wrong-role",
        "member-lower-level",
        "member-no-location",
        "admin-no-member-maintenance",
        "admin-no-security-roles",
    ] {
        assert!(Scenario::named(name).is_some(), "{name}");
        assert!(
            Scenario::catalog().iter().any(|(n, _)| *n == name),
            "{name} not in the catalog"
        );
    }
}

// ---------------------------------------------------------------- cwsetup audit

const SECRETS: [&str; 4] = [
    DEMO_ADMIN_PUBLIC_KEY,
    DEMO_ADMIN_PRIVATE_KEY,
    DEMO_PUBLIC_KEY,
    DEMO_PRIVATE_KEY,
];

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("{e}: {}", self.stdout))
    }
}

/// Runs the binary; no key may appear in what it prints.
async fn cwsetup(args: Vec<String>, env: Vec<(&'static str, String)>) -> Run {
    let output = tokio::task::spawn_blocking(move || {
        let mut command = Command::new(env!("CARGO_BIN_EXE_cwsetup"));
        command.args(&args);
        for var in [
            "CW_SITE",
            "CW_COMPANY_ID",
            "CW_PUBLIC_KEY",
            "CW_CLIENT_ID",
            "CW_PRIVATE_KEY",
            "CWSETUP_LOG",
        ] {
            command.env_remove(var);
        }
        for (k, v) in env {
            command.env(k, v);
        }
        command.stdin(std::process::Stdio::null());
        command.output().expect("the binary runs")
    })
    .await
    .expect("joined");
    let run = Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    for secret in SECRETS {
        assert!(
            !run.stdout.contains(secret) && !run.stderr.contains(secret),
            "a key was printed:\n{}\n{}",
            run.stdout,
            run.stderr
        );
    }
    run
}

/// `cwsetup audit --json` (unless `extra` says otherwise) against `scenario` with the admin keys.
async fn audit(scenario: Scenario, extra: &[&str]) -> Run {
    let sim = SimServer::start(scenario).await.expect("sim starts");
    let mut args: Vec<String> = [
        "audit",
        "--site",
        &sim.url(),
        "--company",
        DEMO_COMPANY_ID,
        "--client-id",
        DEMO_CLIENT_ID,
        "--timeout",
        "20",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.extend(extra.iter().map(|s| s.to_string()));
    if !extra.contains(&"--human") {
        args.push("--json".into());
    } else {
        args.retain(|a| a != "--human");
    }
    let run = cwsetup(
        args,
        vec![
            ("CW_PUBLIC_KEY", DEMO_ADMIN_PUBLIC_KEY.to_string()),
            ("CW_PRIVATE_KEY", DEMO_ADMIN_PRIVATE_KEY.to_string()),
        ],
    )
    .await;
    sim.shutdown().await;
    run
}

async fn named(name: &str) -> (Run, Value) {
    let run = audit(Scenario::named(name).expect("known scenario"), &[]).await;
    let json = run.json();
    (run, json)
}

fn check<'a>(json: &'a Value, id: &str) -> &'a Value {
    json["member"]["checks"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["id"] == id))
        .unwrap_or_else(|| panic!("no check {id} in {json:#}"))
}

fn row<'a>(json: &'a Value, function: &str) -> &'a Value {
    json["role"]["rows"]
        .as_array()
        .and_then(|r| r.iter().find(|r| r["function"] == function))
        .unwrap_or_else(|| panic!("no row {function} in {json:#}"))
}

fn extra_functions(json: &Value) -> Vec<String> {
    json["role"]["extra"]
        .as_array()
        .map(|e| {
            e.iter()
                .filter_map(|r| r["function"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_healthy_tenant_passes_with_the_documented_shape() {
    let (run, json) = named("healthy").await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(json["verdict"], "pass");
    let role = &json["role"];
    assert_eq!(role["name"], "Sync 365 API");
    assert_eq!(role["found"], true);
    assert_eq!(role["id"], 22);
    let rows = role["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 8);
    for r in rows {
        for key in ["module", "function", "want", "have", "status"] {
            assert!(r.get(key).is_some(), "row lacks {key}");
        }
        for level in ["add", "edit", "delete", "inquire"] {
            assert!(r["want"][level].is_string() && r["have"][level].is_string());
        }
        assert_eq!(r["status"], "pass", "{r}");
    }
    assert_eq!(role["extra"], Value::Array(Vec::new()));
    let member = &json["member"];
    assert_eq!(member["identifier"], "S365");
    assert_eq!(member["found"], true);
    let ids: Vec<&str> = member["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .map(|c| c["id"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        ids,
        [
            "exists",
            "active",
            "role",
            "level",
            "location",
            "department",
            "boards"
        ]
    );
    for c in member["checks"].as_array().expect("checks") {
        assert_eq!(c["status"], "pass", "{c}");
        for key in ["have", "want", "fix"] {
            assert!(c[key].is_string(), "check lacks {key}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_role_missing_a_row_fails_naming_the_column_and_levels() {
    let (run, json) = named("role-missing-row").await;
    assert_eq!(run.code, 1);
    assert_eq!(json["verdict"], "fail");
    let products = row(&json, "Products");
    assert_eq!(products["status"], "fail");
    assert_eq!(products["have"]["inquire"], "None");
    assert_eq!(products["want"]["inquire"], "All");
    let detail = products["detail"].as_str().unwrap_or("");
    assert!(
        detail.contains("Inquire level is None, needs All"),
        "{detail}"
    );
    assert!(
        json["role"]["fix"]
            .as_str()
            .is_some_and(|f| f.contains("Procurement / Products"))
    );
    assert_eq!(row(&json, "Contacts")["status"], "pass");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_over_privileged_role_passes_and_lists_what_is_more_than_needed() {
    let (run, json) = named("role-over-privileged").await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(json["verdict"], "pass");
    assert_eq!(
        extra_functions(&json),
        ["Company Maintenance", "Service Tickets"]
    );
    let human = audit(
        Scenario::named("role-over-privileged").expect("known"),
        &["--human"],
    )
    .await;
    assert_eq!(human.code, 0);
    assert!(
        human.stdout.contains("More than needed (2 rows"),
        "{}",
        human.stdout
    );
    assert!(
        human
            .stdout
            .contains("    Service Desk\n      Service Tickets: Add All")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_role_is_a_note_for_sync365_and_a_warning_where_discouraged() {
    let (run, json) = named("role-admin").await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(json["verdict"], "pass");
    assert_eq!(json["role"]["admin"], true);
    assert!(extra_functions(&json).len() > 10);
    assert!(
        json["notes"][0]
            .as_str()
            .is_some_and(|n| n.contains("Admin: every function")),
        "{json:#}"
    );
    let run = audit(
        Scenario::named("role-admin").expect("known"),
        &[
            "--profile",
            "visionary360-email-reconnector",
            "--role",
            "Sync 365 API",
            "--member",
            "S365",
        ],
    )
    .await;
    let json = run.json();
    assert_eq!(run.code, 0, "warnings exit 0");
    assert_eq!(json["verdict"], "warn");
    assert_eq!(json["role"]["status"], "warn");
    assert!(
        json["role"]["fix"]
            .as_str()
            .is_some_and(|f| f.contains("Admin: every function") && f.contains("discourages"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_role_that_is_not_found_fails_and_names_close_roles() {
    let (run, json) = named("role-not-found").await;
    assert_eq!(run.code, 1);
    assert_eq!(json["verdict"], "fail");
    assert_eq!(json["role"]["found"], false);
    assert_eq!(json["role"]["similar"], serde_json::json!(["Sync365 API"]));
    assert!(
        json["role"]["summary"]
            .as_str()
            .is_some_and(|s| s.contains("\"Sync365 API\""))
    );
    // --role picks the role by its real name, case and spaces aside.
    let run = audit(
        Scenario::named("role-not-found").expect("known"),
        &["--role", "  sync365 api "],
    )
    .await;
    let json = run.json();
    assert_eq!(run.code, 0, "{json:#}");
    assert_eq!(json["role"]["id"], 22);
    assert_eq!(check(&json, "role")["status"], "pass");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn member_problems_each_show_have_want_and_fix() {
    let (run, json) = named("member-not-found").await;
    assert_eq!(run.code, 1);
    assert_eq!(json["member"]["found"], false);
    assert_eq!(check(&json, "exists")["status"], "fail");
    let run = audit(
        Scenario::named("member-not-found").expect("known"),
        &["--member", "s365api"],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stdout);

    let (run, json) = named("inactive-member").await;
    assert_eq!(run.code, 1);
    let active = check(&json, "active");
    assert_eq!(
        (&active["status"], &active["have"], &active["want"]),
        (&"fail".into(), &"inactive".into(), &"active".into())
    );
    assert!(
        active["fix"]
            .as_str()
            .is_some_and(|f| f.contains("Inactive"))
    );

    let (run, json) = named("member-wrong-role").await;
    assert_eq!(run.code, 1);
    let role = check(&json, "role");
    assert_eq!(role["status"], "fail");
    assert_eq!(role["have"], "Technician");
    assert_eq!(role["want"], "Sync 365 API");
    assert!(role["fix"].as_str().is_some_and(|f| f.contains("Role ID")));

    let (run, json) = named("member-lower-level").await;
    assert_eq!(run.code, 0, "a lower Level warns");
    assert_eq!(json["verdict"], "warn");
    let level = check(&json, "level");
    assert_eq!(level["status"], "warn");
    assert_eq!(level["have"], "Location 2 (Main Office)");
    assert!(
        level["fix"]
            .as_str()
            .is_some_and(|f| f.contains("silently"))
    );

    let (run, json) = named("member-no-location").await;
    assert_eq!(run.code, 1);
    assert_eq!(check(&json, "location")["status"], "fail");
    assert_eq!(check(&json, "department")["have"], "not set");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_that_may_not_read_a_step_leave_it_manual_naming_the_permission() {
    let (run, json) = named("admin-no-member-maintenance").await;
    assert_eq!(run.code, 0, "manual never fails: {}", run.stdout);
    assert_eq!(json["verdict"], "warn");
    assert_eq!(json["role"]["status"], "pass");
    let member = &json["member"];
    assert_eq!(member["status"], "manual");
    assert_eq!(member["found"], Value::Null);
    assert!(
        member["fix"]
            .as_str()
            .is_some_and(|f| f.contains("System > Member Maintenance")),
        "{member:#}"
    );

    let (run, json) = named("admin-no-security-roles").await;
    assert_eq!(run.code, 0);
    assert_eq!(json["verdict"], "warn");
    assert_eq!(json["role"]["status"], "manual");
    assert!(
        json["role"]["fix"]
            .as_str()
            .is_some_and(|f| f.contains("System > Security Roles"))
    );
    // The member is still checked; its role is compared by name.
    assert_eq!(check(&json, "role")["status"], "pass");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_vendors_keys_or_wrong_keys_are_reported_not_hidden() {
    // Wrong keys: both reads answer 401: a failure with the fix, exit 1.
    let sim = SimServer::start(Scenario::new()).await.expect("sim starts");
    let run = cwsetup(
        vec![
            "audit".into(),
            "--site".into(),
            sim.url(),
            "--company".into(),
            DEMO_COMPANY_ID.into(),
            "--client-id".into(),
            DEMO_CLIENT_ID.into(),
            "--json".into(),
        ],
        vec![
            ("CW_PUBLIC_KEY", DEMO_PUBLIC_KEY.to_string()),
            ("CW_PRIVATE_KEY", DEMO_ADMIN_PRIVATE_KEY.to_string()),
        ],
    )
    .await;
    assert_eq!(run.code, 1);
    let json = run.json();
    assert_eq!(json["role"]["status"], "fail");
    assert!(
        json["role"]["summary"]
            .as_str()
            .is_some_and(|s| s.contains("401"))
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn usage_errors_exit_2_and_the_demo_passes() {
    let run = cwsetup(vec!["audit".into(), "--json".into()], Vec::new()).await;
    assert_eq!(run.code, 2);
    for what in [
        "--site",
        "--company",
        "--public-key",
        "--client-id",
        "CW_PRIVATE_KEY",
    ] {
        assert!(run.stderr.contains(what), "{what}: {}", run.stderr);
    }
    let run = cwsetup(
        vec![
            "audit".into(),
            "--demo".into(),
            "--profile".into(),
            "nope".into(),
        ],
        Vec::new(),
    )
    .await;
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no vendor profile"));
    let run = cwsetup(
        vec!["audit".into(), "--demo".into(), "--json".into()],
        Vec::new(),
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["verdict"], "pass");
    let run = cwsetup(vec!["audit".into(), "--demo".into()], Vec::new()).await;
    assert!(run.stdout.contains("Step 2, security role"));
    assert!(run.stdout.contains("Step 3, API member"));
}

//! Auditing steps 2 and 3 with the technician's own keys: the client's reads of roles, role
//! settings and API members against the simulator, and `cwsetup audit` through every scenario.
//!
//! Everything runs on 127.0.0.1 with servers the tests start and stop themselves.

use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use cwsetup::cw::{ApiSession, ClientOptions, Credentials, CwClient, CwError, Site};
use cwsetup::profile::Level;
use cwsetup::secret::Secret;
use cwsetup::sim::{
    DEMO_ADMIN_PRIVATE_KEY, DEMO_ADMIN_PUBLIC_KEY, DEMO_CLIENT_ID, DEMO_COMPANY_ID,
    DEMO_PRIVATE_KEY, DEMO_PUBLIC_KEY, Scenario, SimServer,
};
use serde_json::Value;

fn options() -> ClientOptions {
    ClientOptions {
        client_id: DEMO_CLIENT_ID.to_string(),
        request_timeout: Duration::from_secs(10),
        connect_timeout: Duration::from_secs(5),
        deadline: Some(tokio::time::Instant::now() + Duration::from_secs(30)),
        retry_base_delay: Duration::from_millis(20),
        ..ClientOptions::default()
    }
}

async fn session_with(sim: &SimServer, public: &str, private: &str) -> ApiSession {
    let site = Site::parse(&sim.url()).expect("valid site");
    let client = CwClient::new(site, options()).expect("client builds");
    let info = client
        .company_info(DEMO_COMPANY_ID)
        .await
        .expect("companyinfo answers");
    let credentials = Arc::new(Credentials {
        company_id: DEMO_COMPANY_ID.to_string(),
        public_key: Secret::from_str_checked(public).expect("fits"),
        private_key: Secret::from_str_checked(private).expect("fits"),
    });
    client.session(&info, credentials)
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
        .security_role_settings(roles[1].id)
        .await
        .expect("settings");
    assert!(settings.len() > 25, "every function, {}", settings.len());
    let contacts = settings
        .iter()
        .find(|r| r.function_name == "Contacts")
        .expect("row");
    assert_eq!(
        (
            contacts.add,
            contacts.edit,
            contacts.delete,
            contacts.inquire
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
    assert_eq!(m.security_role.as_ref().map(|r| r.id), Some(roles[1].id));
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
    let http = reqwest::Client::new();
    let auth = format!(
        "Basic {}",
        base64_encode(&format!(
            "{DEMO_COMPANY_ID}+{DEMO_ADMIN_PUBLIC_KEY}:{DEMO_ADMIN_PRIVATE_KEY}"
        ))
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

fn base64_encode(text: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(text)
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

#[allow(dead_code)]
fn binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cwsetup"))
}

//! Every shipped profile checked end to end against the simulated ConnectWise: a member whose
//! role is exactly the profile's rows passes every row; with one permission removed, exactly
//! that row fails. The simulator gates its endpoints by the same function table as the probes
//! (`cwsetup::profile::PROBES`), so a probe proves the row it belongs to.
//!
//! Servers are started here on 127.0.0.1 with the simulator's demo keys.

use std::time::Duration;

use cwsetup::check::{self, CheckReport, CheckRequest, PermissionStatus, StageId, StageStatus};
use cwsetup::profile::{self, Levels, Profile, RoleRow};
use cwsetup::secret::Secret;
use cwsetup::sim::{
    DEMO_CLIENT_ID, DEMO_COMPANY_ID, DEMO_PRIVATE_KEY, DEMO_PUBLIC_KEY, Scenario, SimPermission,
    SimServer,
};

/// Generous: this catches hangs, it does not measure speed.
const WITHIN: Duration = Duration::from_secs(60);

fn role_of(rows: &[RoleRow]) -> Vec<SimPermission> {
    rows.iter()
        .map(|r| SimPermission {
            module: r.module.clone(),
            function: r.function.clone(),
            levels: r.levels,
        })
        .collect()
}

async fn check_against(profile: &Profile, permissions: Vec<SimPermission>) -> CheckReport {
    let sim = SimServer::start(Scenario::new().permissions(permissions))
        .await
        .expect("sim starts");
    let request = CheckRequest {
        site: sim.url(),
        company_id: DEMO_COMPANY_ID.to_string(),
        client_id: DEMO_CLIENT_ID.to_string(),
        public_key: Secret::from_str_checked(DEMO_PUBLIC_KEY).expect("fits"),
        private_key: Secret::from_str_checked(DEMO_PRIVATE_KEY).expect("fits"),
        profiles: vec![profile.clone()],
        timeout: Duration::from_secs(20),
        removed_before: Vec::new(),
    };
    let report = tokio::time::timeout(WITHIN, check::run(request, None))
        .await
        .expect("the check finishes");
    sim.shutdown().await;
    report
}

fn permissions_stage(report: &CheckReport) -> StageStatus {
    report
        .stages
        .iter()
        .find(|s| s.id == StageId::Permissions)
        .map(|s| s.status)
        .expect("a permissions stage")
}

#[tokio::test]
async fn every_shipped_profile_passes_with_a_correctly_configured_member() {
    for p in profile::builtin()
        .iter()
        .filter(|p| !p.role.rows.is_empty())
    {
        let report = check_against(p, role_of(&p.role.rows)).await;
        assert_eq!(report.permissions.len(), p.role.rows.len(), "{}", p.id);
        for row in &report.permissions {
            assert_eq!(
                row.status,
                PermissionStatus::Pass,
                "{}: {} / {}: {}",
                p.id,
                row.module,
                row.function,
                row.detail
            );
        }
        assert_eq!(permissions_stage(&report), StageStatus::Pass, "{}", p.id);
    }
}

#[tokio::test]
async fn one_permission_removed_fails_exactly_that_row() {
    for p in profile::builtin()
        .iter()
        .filter(|p| !p.role.rows.is_empty())
    {
        // A required row with a probe (the GET is refused) and one without (only mySecurity
        // tells). Optional rows warn instead: see the Email reConnector test below.
        let with_probe = p
            .role
            .rows
            .iter()
            .position(|r| r.probe.is_some() && !r.optional);
        let without_probe = p
            .role
            .rows
            .iter()
            .position(|r| r.probe.is_none() && !r.optional);
        for removed in [with_probe, without_probe].into_iter().flatten() {
            let mut permissions = role_of(&p.role.rows);
            let row = &mut permissions[removed];
            row.levels = Levels::NONE;
            let report = check_against(p, permissions).await;
            let failed: Vec<(&str, &str)> = report
                .permissions
                .iter()
                .filter(|r| r.status != PermissionStatus::Pass)
                .map(|r| (r.module.as_str(), r.function.as_str()))
                .collect();
            let want = &p.role.rows[removed];
            assert_eq!(
                failed,
                [(want.module.as_str(), want.function.as_str())],
                "{}: removing {} / {}",
                p.id,
                want.module,
                want.function
            );
            let failed_row = report
                .permissions
                .iter()
                .find(|r| r.function == want.function)
                .expect("the row is reported");
            assert_eq!(failed_row.status, PermissionStatus::Fail, "{}", p.id);
            assert_eq!(permissions_stage(&report), StageStatus::Fail, "{}", p.id);
        }
    }
}

fn stage(report: &CheckReport, id: StageId) -> &check::StageResult {
    report
        .stages
        .iter()
        .find(|s| s.id == id)
        .expect("the stage ran")
}

/// Email reConnector end to end: a missing required row fails with the fix naming it; a missing
/// optional row only warns, naming the row and what stops working in the vendor's words.
#[tokio::test]
async fn email_reconnector_fails_a_missing_required_row_and_warns_on_a_missing_optional_one() {
    let p = profile::find("visionary360-email-reconnector").expect("shipped");
    let without = |function: &str| {
        let mut permissions = role_of(&p.role.rows);
        permissions
            .iter_mut()
            .find(|r| r.function == function)
            .expect("a row of the profile")
            .levels = Levels::NONE;
        permissions
    };

    let report = check_against(p, without("Manage Attachments")).await;
    let permissions = stage(&report, StageId::Permissions);
    assert_eq!(permissions.status, StageStatus::Fail, "{permissions:?}");
    let fix = permissions.fix.as_deref().unwrap_or_default();
    assert!(
        fix.contains(
            "Raise these rows in the member's security role: Companies / Manage Attachments."
        ),
        "{fix}"
    );

    let report = check_against(p, without("CRM/Sales Activities")).await;
    let permissions = stage(&report, StageId::Permissions);
    assert_eq!(permissions.status, StageStatus::Warn, "{permissions:?}");
    let fix = permissions.fix.as_deref().unwrap_or_default();
    assert!(
        fix.contains("Optional row missing: Companies / CRM/Sales Activities, required for creating activities (Visionary 360 Email reConnector)."),
        "{fix}"
    );
    assert!(
        permissions.summary.contains("CRM/Sales Activities"),
        "{}",
        permissions.summary
    );
    let row = report
        .permissions
        .iter()
        .find(|r| r.function == "CRM/Sales Activities")
        .expect("reported");
    assert_eq!(row.status, PermissionStatus::Fail);
    assert!(
        row.detail.starts_with(
            "optional row, required for creating activities (Visionary 360 Email reConnector): "
        ),
        "{}",
        row.detail
    );
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.text.contains("CRM/Sales Activities"))
    );
}

/// The functions issue 27's profiles brought (one with a probe, three confirmed from
/// mySecurity): each removed from the member fails exactly its own row.
#[tokio::test]
async fn each_function_new_in_issue_27_removed_fails_its_own_row() {
    for (id, function) in [
        ("1stream", "CRM/Sales Activities"),
        ("1stream", "Manage Hosted API"),
        ("rewst", "Close Project Tickets"),
        ("rewst", "My Account"),
    ] {
        let p = profile::find(id).expect("shipped");
        let removed = p
            .role
            .rows
            .iter()
            .position(|r| r.function == function)
            .expect("the row");
        let mut permissions = role_of(&p.role.rows);
        permissions[removed].levels = Levels::NONE;
        let report = check_against(p, permissions).await;
        let failed: Vec<&str> = report
            .permissions
            .iter()
            .filter(|r| r.status != PermissionStatus::Pass)
            .map(|r| r.function.as_str())
            .collect();
        assert_eq!(failed, [function], "{id}");
        assert_eq!(permissions_stage(&report), StageStatus::Fail, "{id}");
    }
    // The probe of CRM/Sales Activities is the one the simulator gates by it.
    let stream = profile::find("1stream").expect("shipped");
    let crm = stream
        .role
        .rows
        .iter()
        .find(|r| r.function == "CRM/Sales Activities")
        .expect("row");
    assert_eq!(crm.probe.as_deref(), Some("sales/activities"));
    assert_eq!(
        cwsetup::sim::gate_for("sales/activities"),
        Some(("Companies", "CRM/Sales Activities"))
    );
}

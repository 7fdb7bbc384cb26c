//! One key pair per tool: under "one member per tool" the key step holds a pair per tool, the
//! test runs once per pair against that tool's own rows, and a failure names its tool. Runs
//! against the simulator with a second member's keys that lack a row only the second tool needs.

use std::time::Duration;

use crate::common::wizard::settings;
use cwsetup::check::{self, PermissionStatus, StageId, StageStatus, Verdict};
use cwsetup::profile;
use cwsetup::setup::request::check_request;
use cwsetup::sim::{
    DEMO_CLIENT_ID, DEMO_COMPANY_ID, DEMO_PRIVATE_KEY, DEMO_PUBLIC_KEY, DEMO_SECOND_PRIVATE_KEY,
    DEMO_SECOND_PUBLIC_KEY, Scenario, SimServer,
};
use cwsetup::wizard::app::{App, FieldId, MemberPlan, StepId};

const COW: &str = "cyberdrain-cow";
const SYNC: &str = "sync365";

fn app(plan: MemberPlan) -> App {
    let settings = settings(Duration::from_secs(20));
    let ids = vec![SYNC.to_string(), COW.to_string()];
    let mut app = App::new(settings, profile::builtin().to_vec(), &ids);
    app.member_plan = plan;
    app
}

fn index_of(app: &App, id: &str) -> usize {
    app.profiles
        .iter()
        .position(|p| p.id == id)
        .expect("built-in profile")
}

fn product(app: &App, id: &str) -> String {
    app.profiles[index_of(app, id)].product.clone()
}

fn paste(app: &mut App, id: FieldId, key: &str) {
    app.key_input_mut(id)
        .expect("a key field")
        .paste(key.to_string());
}

#[test]
fn the_key_step_holds_one_pair_per_tool_only_under_per_tool_plans() {
    for (plan, pairs) in [
        (MemberPlan::MemberPerTool, 2),
        (MemberPlan::OneMemberKeyPerTool, 2),
        (MemberPlan::OneMemberSharedKey, 1),
        (MemberPlan::ExistingMember, 1),
    ] {
        let app = app(plan);
        assert_eq!(app.key_fields().len(), pairs, "{plan:?}");
        let key_panes = app
            .panes_of(StepId::ApiKey)
            .into_iter()
            .filter(|p| matches!(p, cwsetup::wizard::app::Pane::Field(f) if f.is_vendor_key()))
            .count();
        assert_eq!(key_panes, pairs * 2, "{plan:?}");
    }
    let app = app(MemberPlan::MemberPerTool);
    let labels: Vec<String> = app
        .key_fields()
        .iter()
        .flat_map(|(_, public, private)| [app.field_label(*public), app.field_label(*private)])
        .collect();
    assert!(
        labels.iter().any(|l| l.starts_with(&product(&app, COW))),
        "{labels:?}"
    );
    assert!(
        labels.iter().any(|l| l.starts_with(&product(&app, SYNC))),
        "{labels:?}"
    );
}

#[test]
fn clearing_keys_wipes_every_pair() {
    let mut app = app(MemberPlan::MemberPerTool);
    for (_, public, private) in app.key_fields() {
        paste(&mut app, public, "FakePublicKey001");
        paste(&mut app, private, "FakePrivateKey01");
    }
    assert!(app.keys_entered());
    app.clear_vendor_keys();
    assert!(!app.keys_entered());
    for (_, public, private) in app.key_fields() {
        assert!(app.key_input(public).expect("field").secret().is_empty());
        assert!(app.key_input(private).expect("field").secret().is_empty());
    }
}

#[test]
fn summary_points_each_tool_at_its_own_keys() {
    let app = app(MemberPlan::MemberPerTool);
    let cow = index_of(&app, COW);
    let (cow_public, _) = app.key_fields_of(cow).expect("its own pair");
    let content = app.content(StepId::Summary);
    let portal: Vec<_> = content
        .values
        .iter()
        .chain(content.portal.iter())
        .filter_map(|v| match &v.value {
            cwsetup::setup::content::ValueSource::Field(f) => Some((v.label.clone(), *f)),
            _ => None,
        })
        .collect();
    let cow_prefix = format!("[{}]", app.profiles[cow].vendor);
    let cow_rows: Vec<_> = portal
        .iter()
        .filter(|(l, _)| l.starts_with(&cow_prefix))
        .collect();
    assert!(
        !cow_rows.is_empty(),
        "CoW's portal asks for its keys: {portal:?}"
    );
    assert!(
        cow_rows.iter().any(|(_, f)| *f == cow_public),
        "{cow_rows:?} should use {cow_public:?}"
    );
}

#[tokio::test]
async fn each_pair_is_tested_against_its_own_tools_rows_and_a_failure_names_its_tool() {
    // The second member lacks Companies / Configurations, which only CoW needs.
    let sim = SimServer::start(Scenario::new().second_revoke("Companies", "Configurations"))
        .await
        .expect("sim starts");
    let mut app = app(MemberPlan::MemberPerTool);
    app.site.set(&sim.url());
    app.company_id.set(DEMO_COMPANY_ID);
    app.client_id.set(DEMO_CLIENT_ID);
    let sync_fields = app.key_fields_of(index_of(&app, SYNC)).expect("pair");
    let cow_fields = app.key_fields_of(index_of(&app, COW)).expect("pair");
    paste(&mut app, sync_fields.0, DEMO_PUBLIC_KEY);
    paste(&mut app, sync_fields.1, DEMO_PRIVATE_KEY);
    paste(&mut app, cow_fields.0, DEMO_SECOND_PUBLIC_KEY);
    paste(&mut app, cow_fields.1, DEMO_SECOND_PRIVATE_KEY);

    let requests = check_request(&app).expect("request");
    assert_eq!(requests.len(), 2);
    for r in &requests {
        assert_eq!(r.request.profiles.len(), 1, "each tool's own rows only");
    }
    let report = tokio::time::timeout(Duration::from_secs(120), check::run_each(requests, None))
        .await
        .expect("the checks finish");

    let cow = product(&app, COW);
    let sync = product(&app, SYNC);
    assert!(!report.ok);
    assert_eq!(report.verdict, Verdict::Fail);
    let failed: Vec<_> = report
        .permissions
        .iter()
        .filter(|p| p.status == PermissionStatus::Fail)
        .collect();
    assert!(!failed.is_empty(), "{report:#?}");
    for p in &failed {
        assert_eq!(
            p.tool.as_deref(),
            Some(cow.as_str()),
            "a failure attributed to the wrong tool: {p:?}"
        );
        assert!(
            p.module_text().starts_with(&format!("[{cow}] ")),
            "shown with its tool: {p:?}"
        );
    }
    assert!(
        failed
            .iter()
            .any(|p| p.module.ends_with("Companies") && p.function == "Configurations"),
        "{failed:?}"
    );
    // Every one of Sync 365's rows passed with its own keys.
    assert!(
        report
            .permissions
            .iter()
            .filter(|p| p.tool.as_deref() == Some(sync.as_str()))
            .all(|p| p.status != PermissionStatus::Fail)
    );
    assert!(
        report
            .permissions
            .iter()
            .any(|p| p.tool.as_deref() == Some(sync.as_str()))
    );
    let permissions = report
        .stages
        .iter()
        .find(|s| s.id == StageId::Permissions)
        .expect("permissions stage");
    assert_eq!(permissions.status, StageStatus::Fail);
    assert!(
        permissions
            .fix_text()
            .unwrap_or_default()
            .contains(&format!("[{cow}]"))
    );
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.shown().starts_with(&format!("[{sync}] PASS"))),
        "{:?}",
        report.notes
    );
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.shown() == format!("[{cow}] FAIL")),
        "{:?}",
        report.notes
    );
    sim.shutdown().await;
}

fn one_tool_report(status: PermissionStatus, warning: &str) -> check::CheckReport {
    let mut report = check::CheckReport::new(
        "na.myconnectwise.net".into(),
        "contoso".into(),
        "00000000-0000-4000-8000-000000000000".into(),
    );
    report.stages = StageId::ALL
        .iter()
        .map(|id| check::StageResult {
            id: *id,
            status: if *id == StageId::Permissions && status == PermissionStatus::Fail {
                StageStatus::Fail
            } else {
                StageStatus::Pass
            },
            summary: format!("{} ok", id.id()),
            fix: (*id == StageId::Permissions && status == PermissionStatus::Fail)
                .then(|| "add Inquire All to Companies / Contacts".to_string()),
            parts: Vec::new(),
        })
        .collect();
    report.permissions = vec![check::PermissionResult {
        tool: None,
        module: "Companies".into(),
        function: "Contacts".into(),
        required: "Inquire All".into(),
        status,
        detail: "GET company/contacts answered".into(),
    }];
    report.warnings = vec![check::Tagged::from(warning)];
    report.ok = status != PermissionStatus::Fail;
    report.verdict = if report.ok {
        Verdict::Warn
    } else {
        Verdict::Fail
    };
    report
}

/// The JSON of a merged report: `tool` beside a bare `module`; a stage's parts; a tagged warning
/// as an object.
fn json_carries_the_tool(merged: &check::CheckReport) {
    let json = serde_json::to_value(merged).expect("serializes");
    assert_eq!(json["permissions"][1]["tool"], "Email reConnector");
    assert_eq!(json["permissions"][1]["module"], "Companies");
    let stage = &json["stages"][StageId::ALL
        .iter()
        .position(|id| *id == StageId::Permissions)
        .expect("listed")];
    assert_eq!(stage["parts"][1]["tool"], "Email reConnector");
    assert_eq!(stage["parts"][1]["status"], "fail");
    assert_eq!(
        stage["summary"],
        "[Sync 365] permissions ok · [Email reConnector] permissions ok"
    );
    assert_eq!(json["warnings"][0]["tool"], "Sync 365");
    assert_eq!(json["warnings"][0]["text"], "sync warning");
    assert_eq!(json["notes"][0]["text"], "PASS WITH WARNINGS");
}

#[test]
fn a_merged_reports_rows_carry_their_tool_in_a_field_and_the_module_bare() {
    let merged = check::merge(vec![
        (
            "Sync 365".to_string(),
            one_tool_report(PermissionStatus::Pass, "sync warning"),
        ),
        (
            "Email reConnector".to_string(),
            one_tool_report(PermissionStatus::Fail, "cow warning"),
        ),
    ]);
    // The model: each permission row names its tool in `tool`; `module` is the module alone.
    let tools: Vec<(Option<&str>, &str)> = merged
        .permissions
        .iter()
        .map(|p| (p.tool.as_deref(), p.module.as_str()))
        .collect();
    assert_eq!(
        tools,
        [
            (Some("Sync 365"), "Companies"),
            (Some("Email reConnector"), "Companies")
        ]
    );
    // A stage holds each tool's part; its status is the worst of them.
    let permissions = merged
        .stages
        .iter()
        .find(|s| s.id == StageId::Permissions)
        .expect("permissions stage");
    assert_eq!(permissions.status, StageStatus::Fail);
    let parts: Vec<(&str, StageStatus)> = permissions
        .parts
        .iter()
        .map(|p| (p.tool.as_str(), p.status))
        .collect();
    assert_eq!(
        parts,
        [
            ("Sync 365", StageStatus::Pass),
            ("Email reConnector", StageStatus::Fail)
        ]
    );
    // The tools ended differently: each part carries its own mark, so no tool's mark sits
    // beside another tool's words.
    assert_eq!(
        permissions.summary_text(),
        "✓ [Sync 365] permissions ok · ✗ [Email reConnector] permissions ok"
    );
    assert_eq!(
        permissions.fix_text().as_deref(),
        Some("[Email reConnector] add Inquire All to Companies / Contacts")
    );
    // Warnings and notes: typed, each with its tool.
    let warnings: Vec<(Option<&str>, &str)> = merged
        .warnings
        .iter()
        .map(|w| (w.tool.as_deref(), w.text.as_str()))
        .collect();
    assert_eq!(
        warnings,
        [
            (Some("Sync 365"), "sync warning"),
            (Some("Email reConnector"), "cow warning")
        ]
    );
    assert_eq!(merged.notes[1].tool.as_deref(), Some("Email reConnector"));
    assert_eq!(merged.notes[1].text, "FAIL");

    json_carries_the_tool(&merged);

    // A single tool's JSON is as it was: no `tool`, no `parts`, warnings as strings.
    let single =
        serde_json::to_value(one_tool_report(PermissionStatus::Pass, "plain")).expect("json");
    assert!(single["permissions"][0].get("tool").is_none(), "{single}");
    assert!(single["stages"][0].get("parts").is_none(), "{single}");
    assert_eq!(single["warnings"][0], "plain");

    // Every view shows the tool as "[tool] …", made from the field.
    let text = check::human(&merged, check::Style { color: false });
    assert!(
        text.contains("[Email reConnector] Companies / Contacts"),
        "{text}"
    );
    assert!(text.contains("[Sync 365] sync warning"), "{text}");
    assert!(text.contains("[Email reConnector] FAIL"), "{text}");
    let md = check::markdown(&merged, &[], "");
    assert!(
        md.lines().any(|l| l.contains("Email reConnector")
            && l.contains("Companies")
            && l.contains("Contacts")),
        "{md}"
    );
    assert!(
        md.lines()
            .any(|l| l.contains("Email reConnector") && l.contains("cow warning")),
        "{md}"
    );
}

//! What issue 27's pages brought to the profile format, end to end: levels needed only during
//! setup (ChatStyle), a Customize deny-list (NinjaOne), vendors with identical matrices merged,
//! the refusals `profiles validate` gives, `profiles --search` over the new vendors, and the
//! audit's "more than needed since setup". Servers are 127.0.0.1 simulators started here.

use std::time::Duration;

use cwsetup::audit::{self, AuditStatus};
use cwsetup::cli::{self, ProfileArgs, RoleArgs, RoleFormat};
use cwsetup::profile::{self, Level, Levels, Profile};
use cwsetup::secret::Secret;
use cwsetup::sim::{
    DEMO_ADMIN_PRIVATE_KEY, DEMO_ADMIN_PUBLIC_KEY, DEMO_CLIENT_ID, DEMO_COMPANY_ID, Scenario,
    SimPermission, SimServer,
};
use serde_json::Value;

use crate::common::catalogue::shipped;
use crate::common::fixture::{client, credentials, options};

fn role(ids: &[&str], format: RoleFormat) -> String {
    let args = RoleArgs {
        profile: ProfileArgs {
            profiles: ids.iter().map(|s| s.to_string()).collect(),
            profile_files: Vec::new(),
        },
        format,
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = cli::run_role(&args, &mut out, &mut err);
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&err));
    String::from_utf8(out).expect("utf-8")
}

fn table_setup(json: &str) -> Value {
    let value: Value = serde_json::from_str(json).expect("JSON");
    value["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["function"] == "Table Setup")
        .cloned()
        .expect("a Table Setup row")
}

// ---------------------------------------------------------------- the deny-list

#[test]
fn role_shows_ninjaones_customize_as_a_deny_list_everywhere() {
    let text = role(&["ninjaone"], RoleFormat::Text);
    assert!(
        text.contains(
            "System / Table Setup: deny-list: allow every table except Contacts / Communication Type, General / StsClient"
        ),
        "{text}"
    );
    assert!(text.contains("\"Disallow access to these\""), "{text}");
    assert!(
        !text.contains("Customize (allow access to at least these)"),
        "the deny-list came out as an allow-list:\n{text}"
    );

    let md = role(&["ninjaone"], RoleFormat::Markdown);
    let row = md
        .lines()
        .find(|l| l.starts_with("| System | Table Setup"))
        .expect("the Table Setup row");
    assert!(
        row.contains(
            "deny-list: allow every table except Contacts / Communication Type, General / StsClient"
        ),
        "{row}"
    );
    assert!(
        md.contains("keep every other table in Allow Access"),
        "{md}"
    );

    let json = table_setup(&role(&["ninjaone"], RoleFormat::Json));
    assert_eq!(
        json["customize_deny"],
        serde_json::json!(["Contacts / Communication Type", "General / StsClient"])
    );
    assert_eq!(json["customize"], serde_json::json!([]));
}

#[test]
fn merged_deny_lists_keep_what_another_tool_needs() {
    // SmileBack allows two other tables: NinjaOne's deny-list stays whole and no allow-list
    // appears (restricting the role to SmileBack's tables would break NinjaOne).
    let merged = profile::merge(&[shipped("ninjaone"), shipped("smileback")]);
    let row = merged
        .rows
        .iter()
        .find(|r| r.function == "Table Setup")
        .expect("row");
    assert_eq!(
        row.customize_deny.as_deref(),
        Some(
            &[
                "Contacts / Communication Type".to_string(),
                "General / StsClient".to_string()
            ][..]
        )
    );
    assert!(row.customize.is_empty());
    assert_eq!(row.why.len(), 2, "{:?}", row.why);

    // A tool that must reach General / StsClient takes it off the deny-list.
    let mut other = shipped("smileback").clone();
    other.id = "needs-sts".into();
    other.vendor = "Other".into();
    other.product = "Other".into();
    for r in &mut other.role.rows {
        if r.function == "Table Setup" {
            r.customize = vec!["General / StsClient".into()];
        }
    }
    let merged = profile::merge(&[shipped("ninjaone"), &other]);
    let row = merged
        .rows
        .iter()
        .find(|r| r.function == "Table Setup")
        .expect("row");
    assert_eq!(
        row.customize_deny.as_deref(),
        Some(&["Contacts / Communication Type".to_string()][..])
    );
}

// ---------------------------------------------------------------- setup-only levels

#[test]
fn role_marks_chatstyles_table_setup_add_as_setup_only() {
    let json = table_setup(&role(&["chatstyle"], RoleFormat::Json));
    assert_eq!(json["add"], "All");
    assert_eq!(json["setup_only"]["levels"], serde_json::json!(["add"]));
    assert_eq!(json["setup_only"]["after_setup"]["add"], "None");
    assert_eq!(json["setup_only"]["after_setup"]["inquire"], "All");
    let why = json["setup_only"]["why"][0].as_str().expect("why");
    assert!(
        why.starts_with("ChatStyle: ")
            && why.contains("After the initial setup, you can remove the Add access"),
        "{why}"
    );
    // Rows without setup-only levels carry no such key.
    let value: Value = serde_json::from_str(&role(&["chatstyle"], RoleFormat::Json)).expect("JSON");
    let marked = value["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .filter(|r| r.get("setup_only").is_some())
        .count();
    assert_eq!(marked, 1);

    let text = role(&["chatstyle"], RoleFormat::Text);
    assert!(text.contains("Table Setup (Add: setup only)"), "{text}");
    assert!(
        text.contains(
            "System / Table Setup: once the vendor's setup is done, lower Add All → None"
        ),
        "{text}"
    );
    let md = role(&["chatstyle"], RoleFormat::Markdown);
    assert!(
        md.contains(
            "- [ ] System / Table Setup: once the vendor's setup is done, lower Add All → None"
        ),
        "{md}"
    );
}

#[test]
fn validate_refuses_a_scope_a_profile_cannot_mean() {
    let base = include_str!("../../assets/profiles/chatstyle.json");
    // setup_only_levels without the vendor's reason.
    let no_reason = base.replace(
        "\"setup_only\": \"\\\"Add\\\" is needed only temporarily",
        "\"why_not\": \"\\\"Add\\\" is needed only temporarily",
    );
    assert_ne!(no_reason, base);
    let err = profile::parse("x.json", &no_reason).expect_err("unknown field");
    assert!(err.to_string().contains("why_not"), "{err}");
    let no_reason = base.replace(
        "\"setup_only\": \"\\\"Add\\\" is needed only temporarily so that ChatStyle can create a Service\\\\Source record; \\\"After the initial setup, you can remove the Add access\\\".\",",
        "",
    );
    assert_ne!(no_reason, base, "the reason is in the asset");
    let err = profile::parse("x.json", &no_reason).expect_err("levels without a reason");
    let shown = err.to_string();
    assert!(shown.contains("role.rows[12].setup_only"), "{shown}");
    assert!(shown.contains("x.json:"), "{shown}");

    // A level the row does not grant.
    let edit = base.replace(
        "\"setup_only_levels\": [\n          \"add\"",
        "\"setup_only_levels\": [\n          \"edit\"",
    );
    assert_ne!(edit, base);
    let err = profile::parse("x.json", &edit).expect_err("Edit is None");
    assert!(err.to_string().contains("None on this row"), "{err}");

    // An allow-list and a deny-list on one row.
    let ninja = include_str!("../../assets/profiles/ninjaone.json");
    let both = ninja.replace(
        "\"customize_deny\": [",
        "\"customize\": [\"Service / Service Board\"],\n        \"customize_deny\": [",
    );
    assert_ne!(both, ninja);
    let err = profile::parse("x.json", &both).expect_err("both lists");
    assert!(err.to_string().contains("customize_deny"), "{err}");
}

// ---------------------------------------------------------------- identical matrices

fn labels_of(ids: &[&str]) -> Vec<String> {
    ids.iter()
        .map(|id| profile::product_label(shipped(id)))
        .collect()
}

#[test]
fn identical_matrices_merge_into_one_row_each_naming_every_tool() {
    for (a, b) in [
        ("heyhappy", "smileback"),
        ("chatstyle", "cloudradial-chat"),
        ("team-gps", "smileback"),
    ] {
        let merged = profile::merge(&[shipped(a), shipped(b)]);
        let longest = shipped(a).role.rows.len().max(shipped(b).role.rows.len());
        assert_eq!(merged.rows.len(), longest, "{a} + {b}: each row once");
        for row in &merged.rows {
            let in_a = shipped(a)
                .role
                .rows
                .iter()
                .any(|r| r.function == row.function);
            let in_b = shipped(b)
                .role
                .rows
                .iter()
                .any(|r| r.function == row.function);
            let labels = labels_of(&[a, b]);
            for (label, listed) in labels.iter().zip([in_a, in_b]) {
                let named = row.why.iter().any(|w| w.starts_with(&format!("{label}: ")));
                assert_eq!(named, listed, "{a} + {b}: {} / {label}", row.function);
            }
            let want = [a, b]
                .iter()
                .flat_map(|id| shipped(id).role.rows.iter())
                .filter(|r| r.function == row.function)
                .fold(Levels::NONE, |acc, r| acc.union(r.levels));
            assert_eq!(row.levels, want, "{a} + {b}: {}", row.function);
        }
    }
    // Team GPS is SmileBack's table without Marketing Groups.
    let merged = profile::merge(&[shipped("team-gps"), shipped("smileback")]);
    let marketing = merged
        .rows
        .iter()
        .find(|r| r.function == "Marketing Groups")
        .expect("row");
    assert_eq!(marketing.why.len(), 1);
    // CloudRadial Chat keeps Table Setup's Add after setup, so the merged role lowers nothing.
    let merged = profile::merge(&[shipped("chatstyle"), shipped("cloudradial-chat")]);
    assert!(merged.rows.iter().all(|r| r.setup_only.is_none()));
}

#[test]
fn all_thirty_four_merge_with_every_new_row_kept() {
    let all: Vec<&Profile> = profile::builtin().iter().collect();
    assert_eq!(all.len(), 34);
    let merged = profile::merge(&all);
    for p in &all {
        for row in &p.role.rows {
            let found = merged
                .rows
                .iter()
                .find(|m| m.module == row.module && m.function == row.function)
                .unwrap_or_else(|| panic!("{}: {} lost", p.id, row.function));
            assert!(
                found.levels.covers(&row.levels),
                "{}: {}",
                p.id,
                row.function
            );
        }
    }
    // NinjaOne's deny-list meets the allow-lists of the others: still a deny-list.
    let table = merged
        .rows
        .iter()
        .find(|r| r.function == "Table Setup")
        .expect("row");
    assert!(table.customize_deny.is_some() && table.customize.is_empty());
}

// ---------------------------------------------------------------- search

#[test]
fn profiles_search_finds_each_new_vendor_by_vendor_product_and_id() {
    let all = profile::builtin();
    for id in [
        "rewst",
        "cisco-umbrella",
        "ninjaone",
        "chatstyle",
        "heyhappy",
        "team-gps",
        "cyrisma",
        "manageengine-endpoint-central-msp",
        "idrive-360",
        "gozynta-mobius",
        "1stream",
        "cloud-im",
        "check-point-harmony-sase",
        "mspcfo",
    ] {
        let p = shipped(id);
        for needle in [p.id.as_str(), p.vendor.as_str(), p.product.as_str()] {
            let found: Vec<&str> = profile::matching(all, needle)
                .iter()
                .map(|m| m.id.as_str())
                .collect();
            assert!(
                found.contains(&id),
                "{needle:?} does not find {id}: {found:?}"
            );
        }
    }
    // Spaces, dots and dashes do not matter: what a technician types finds the vendor.
    for (needle, id) in [
        ("checkpoint", "check-point-harmony-sase"),
        ("perimeter 81", "check-point-harmony-sase"),
        ("cloudim", "cloud-im"),
        ("ninja one", "ninjaone"),
        ("teamgps", "team-gps"),
        ("bvoip", "1stream"),
        ("manage engine", "manageengine-endpoint-central-msp"),
    ] {
        let found: Vec<&str> = profile::matching(all, needle)
            .iter()
            .map(|m| m.id.as_str())
            .collect();
        assert!(
            found.contains(&id),
            "{needle:?} does not find {id}: {found:?}"
        );
    }
}

// ---------------------------------------------------------------- the audit

async fn audit_chatstyle(add: Level) -> audit::RoleAudit {
    let chatstyle = shipped("chatstyle");
    let rows: Vec<SimPermission> = chatstyle
        .role
        .rows
        .iter()
        .map(|r| {
            let mut levels = r.levels;
            if r.function == "Table Setup" {
                levels.add = add;
            }
            SimPermission::new(&r.module, &r.function, levels)
        })
        .collect();
    let sim = SimServer::start(
        Scenario::new()
            .role_rows(rows)
            .role_named(&chatstyle.role.recommended_name),
    )
    .await
    .expect("sim starts");
    let client = client(&sim.url(), options());
    let info = client
        .company_info(DEMO_COMPANY_ID)
        .await
        .expect("companyinfo");
    let session = client.session(
        &info,
        credentials(
            DEMO_COMPANY_ID,
            DEMO_ADMIN_PUBLIC_KEY,
            DEMO_ADMIN_PRIVATE_KEY,
        ),
    );
    let merged = profile::merge(&[chatstyle]);
    let report = tokio::time::timeout(
        Duration::from_secs(60),
        audit::audit_role(&session, &merged, &merged.role_name),
    )
    .await
    .expect("the audit finishes");
    sim.shutdown().await;
    report
}

#[tokio::test]
async fn audit_reports_a_setup_only_level_still_granted_as_more_than_needed_since_setup() {
    let during = audit_chatstyle(Level::All).await;
    assert_eq!(during.status, AuditStatus::Pass, "{during:?}");
    let row = during
        .rows
        .iter()
        .find(|r| r.function == "Table Setup")
        .expect("row");
    assert_eq!(row.status, AuditStatus::Pass);
    let since = row.since_setup.as_deref().expect("still granted");
    assert!(
        since.starts_with("more than needed since setup: Add All (lower to None)"),
        "{since}"
    );
    assert!(
        during.summary.contains("1 more than needed since setup"),
        "{}",
        during.summary
    );
    assert!(during.extra.is_empty(), "not an extra: {:?}", during.extra);
    let human = serde_json::to_string(&during).expect("JSON");
    assert!(human.contains("since_setup"));

    // Lowered after setup, as the wizard says: a warning that names why, never a failure.
    let after = audit_chatstyle(Level::None).await;
    assert_eq!(after.status, AuditStatus::Warn, "{after:?}");
    let row = after
        .rows
        .iter()
        .find(|r| r.function == "Table Setup")
        .expect("row");
    assert_eq!(row.status, AuditStatus::Warn);
    assert!(row.since_setup.is_none());
    let detail = row.detail.as_deref().unwrap_or("");
    assert!(
        detail.contains("Add level is None, needs All")
            && detail.contains("needed only while the vendor's setup runs"),
        "{detail}"
    );
}

// ---------------------------------------------------------------- the wizard

#[test]
fn the_wizard_says_to_lower_a_setup_only_level_once_the_vendors_setup_is_done() {
    use cwsetup::setup::content::{ContentInput, step_content};
    use cwsetup::setup::step::{MemberPlan, StepId};
    let chatstyle = shipped("chatstyle");
    for plan in [
        MemberPlan::OneMemberKeyPerTool,
        MemberPlan::OneMemberSharedKey,
        MemberPlan::MemberPerTool,
        MemberPlan::ExistingMember,
    ] {
        let input = ContentInput {
            hosting: None,
            plan,
            site: String::new(),
            company_id: String::new(),
            client_id: String::new(),
            member_id: String::new(),
            own_key_fields: Vec::new(),
        };
        let role = step_content(StepId::SecurityRole, &[chatstyle], input.clone());
        assert!(
            role.notes.iter().any(|n| n.starts_with(
                "System / Table Setup is needed at this level only during setup: once the vendor's setup is done, lower Add All → None"
            )),
            "{plan:?}: {:?}",
            role.notes
        );
        let summary = step_content(StepId::Summary, &[chatstyle], input);
        let last = summary.checklist.last().expect("a checklist");
        assert!(
            last.starts_with("When the vendor's setup is done: in System > Security Roles > ")
                && last.contains("lower Add All → None"),
            "{plan:?}: {last}"
        );
    }
    // The existing-member plan names the deny-list in its own steps.
    let input = ContentInput {
        hosting: None,
        plan: MemberPlan::ExistingMember,
        site: String::new(),
        company_id: String::new(),
        client_id: String::new(),
        member_id: String::new(),
        own_key_fields: Vec::new(),
    };
    let role = step_content(StepId::SecurityRole, &[shipped("ninjaone")], input);
    assert!(
        role.checklist
            .iter()
            .any(|s| s.contains("move only the listed tables to \"Disallow access to these\"")),
        "{:?}",
        role.checklist
    );
}

// ---------------------------------------------------------------- the check

async fn check_chatstyle(table_setup: Levels) -> cwsetup::check::CheckReport {
    use cwsetup::check::{self, CheckRequest};
    use cwsetup::sim::{DEMO_PRIVATE_KEY, DEMO_PUBLIC_KEY};
    let chatstyle = shipped("chatstyle");
    let permissions: Vec<SimPermission> = chatstyle
        .role
        .rows
        .iter()
        .map(|r| {
            let levels = if r.function == "Table Setup" {
                table_setup
            } else {
                r.levels
            };
            SimPermission::new(&r.module, &r.function, levels)
        })
        .collect();
    let sim = SimServer::start(Scenario::new().permissions(permissions))
        .await
        .expect("sim starts");
    let request = CheckRequest {
        site: sim.url(),
        company_id: DEMO_COMPANY_ID.to_string(),
        client_id: DEMO_CLIENT_ID.to_string(),
        public_key: Secret::from_str_checked(DEMO_PUBLIC_KEY).expect("fits"),
        private_key: Secret::from_str_checked(DEMO_PRIVATE_KEY).expect("fits"),
        profiles: vec![chatstyle.clone()],
        timeout: Duration::from_secs(20),
        removed_before: Vec::new(),
    };
    let report = tokio::time::timeout(Duration::from_secs(60), check::run(request, None))
        .await
        .expect("the check finishes");
    sim.shutdown().await;
    report
}

#[tokio::test]
async fn the_check_leaves_a_lowered_setup_only_level_to_the_technician_never_failing_it() {
    use cwsetup::check::{PermissionStatus, StageId, StageStatus};
    let stage = |report: &cwsetup::check::CheckReport| {
        report
            .stages
            .iter()
            .find(|s| s.id == StageId::Permissions)
            .map(|s| s.status)
            .expect("a permissions stage")
    };
    let during = check_chatstyle(Levels::new(
        Level::All,
        Level::None,
        Level::None,
        Level::All,
    ))
    .await;
    assert_eq!(stage(&during), StageStatus::Pass);

    let lowered = check_chatstyle(Levels::inquire_only(Level::All)).await;
    let row = lowered
        .permissions
        .iter()
        .find(|r| r.function == "Table Setup")
        .expect("row");
    assert_eq!(row.status, PermissionStatus::Unverified, "{}", row.detail);
    assert!(
        row.detail.contains("Add level is None, needs All")
            && row
                .detail
                .contains("needed only while the vendor's setup runs"),
        "{}",
        row.detail
    );
    assert_eq!(stage(&lowered), StageStatus::Warn);
    // Inquire, which stays after setup, still fails when it is missing.
    let no_inquire = check_chatstyle(Levels::new(
        Level::All,
        Level::None,
        Level::None,
        Level::None,
    ))
    .await;
    let row = no_inquire
        .permissions
        .iter()
        .find(|r| r.function == "Table Setup")
        .expect("row");
    assert_eq!(row.status, PermissionStatus::Fail, "{}", row.detail);
    assert_eq!(stage(&no_inquire), StageStatus::Fail);
}

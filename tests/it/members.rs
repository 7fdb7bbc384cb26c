//! `cwsetup members` (every API member, its role, the vendor it matches, its findings) and the
//! audit's member checks that see what hides records (excluded boards, the Level's location),
//! against the simulator's tenants.
//!
//! Everything runs on 127.0.0.1 with servers the tests start and stop themselves.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use cwsetup::cw::ApiSession;
use cwsetup::members::{MembersReport, Severity, Verdict};
use cwsetup::sim::{
    DEMO_ADMIN_PRIVATE_KEY, DEMO_ADMIN_PUBLIC_KEY, DEMO_CLIENT_ID, DEMO_COMPANY_ID,
    DEMO_PRIVATE_KEY, DEMO_PUBLIC_KEY, Scenario, SimApiMember, SimRole, SimServer,
};
use serde_json::Value;
use unicode_width::UnicodeWidthStr;

use crate::common::fixture::{client, credentials, options};
use crate::common::http::basic_token;

const SECRETS: [&str; 4] = [
    DEMO_ADMIN_PUBLIC_KEY,
    DEMO_ADMIN_PRIVATE_KEY,
    DEMO_PUBLIC_KEY,
    DEMO_PRIVATE_KEY,
];

async fn admin_session(sim: &SimServer) -> ApiSession {
    let client = client(&sim.url(), options());
    let info = client
        .company_info(DEMO_COMPANY_ID)
        .await
        .expect("companyinfo answers");
    client.session(
        &info,
        credentials(
            DEMO_COMPANY_ID,
            DEMO_ADMIN_PUBLIC_KEY,
            DEMO_ADMIN_PRIVATE_KEY,
        ),
    )
}

/// The engine, in process, with every shipped profile as a candidate.
async fn report_for(scenario: Scenario) -> (MembersReport, SimServer) {
    let sim = SimServer::start(scenario).await.expect("sim starts");
    let session = admin_session(&sim).await;
    let reads = cwsetup::members::read(&session).await;
    let profiles: Vec<&cwsetup::profile::Profile> = cwsetup::profile::builtin().iter().collect();
    (cwsetup::members::analyze(&reads, &profiles), sim)
}

fn ids_of(report: &MembersReport, identifier: &str) -> Vec<(&'static str, Severity)> {
    report
        .members
        .iter()
        .find(|m| m.identifier == identifier)
        .unwrap_or_else(|| panic!("no member {identifier}"))
        .findings
        .iter()
        .map(|f| (f.id, f.severity))
        .collect()
}

// ---------------------------------------------------------------- the engine, in process

#[tokio::test]
async fn each_finding_id_shows_on_the_member_made_for_it() {
    let (report, sim) = report_for(Scenario::members_tenant()).await;
    use Severity::*;
    assert_eq!(ids_of(&report, "S365"), []);
    assert_eq!(ids_of(&report, "RMMAPI"), [("unknown-purpose", Note)]);
    assert_eq!(
        ids_of(&report, "OLDSYNC"),
        [("admin-role", Warn), ("unknown-purpose", Note)]
    );
    assert_eq!(ids_of(&report, "MSP360API"), [("inactive", Note)]);
    assert_eq!(
        ids_of(&report, "NinjaOneAPI"),
        [("below-top-level", Warn), ("excluded-boards", Warn)]
    );
    assert_eq!(ids_of(&report, "HuduAPI"), [("missing-rows", Fail)]);
    assert_eq!(ids_of(&report, "ImmyBotAPI"), [("more-than-needed", Note)]);
    assert_eq!(ids_of(&report, "DattoRMMAPI"), [("no-location", Warn)]);
    assert_eq!(report.verdict, Verdict::Fail);

    let member = |id: &str| {
        report
            .members
            .iter()
            .find(|m| m.identifier == id)
            .expect("member")
    };
    let matched = |id: &str| member(id).matched.as_ref().map(|m| m.profile.as_str());
    assert_eq!(matched("S365"), Some("sync365"));
    assert_eq!(matched("NinjaOneAPI"), Some("ninjaone"));
    assert_eq!(
        matched("RMMAPI"),
        None,
        "the Technician role is no vendor's"
    );
    assert_eq!(
        matched("OLDSYNC"),
        None,
        "an Admin role says nothing of its purpose"
    );
    let hudu = member("HuduAPI").matched.as_ref().expect("hudu");
    assert_eq!(hudu.missing, ["Companies / Contacts"]);
    let immy = member("ImmyBotAPI").matched.as_ref().expect("immybot");
    assert_eq!(
        immy.extra,
        ["Service Desk / Service Tickets", "Finance / Invoicing"]
    );
    let ninja = member("NinjaOneAPI");
    assert_eq!(ninja.excluded_boards, [3, 7]);
    assert_eq!(
        (ninja.level.as_str(), ninja.location.as_str()),
        ("Location 2", "Tampa Office")
    );
    let boards = &ninja.findings[1].text;
    assert!(boards.contains("board id 3, board id 7"), "{boards}");
    assert!(boards.contains("Service Defaults"), "{boards}");
    let fail = &member("HuduAPI").findings[0].text;
    assert!(
        fail.contains("System > Security Roles > Hudu API"),
        "{fail}"
    );
    assert!(member("OLDSYNC").admin && !member("MSP360API").active);
    sim.shutdown().await;
}

#[tokio::test]
async fn a_healthy_tenant_passes_with_only_notes() {
    let (report, sim) = report_for(Scenario::new()).await;
    assert_eq!(report.verdict, Verdict::Pass, "{report:#?}");
    assert!(report.manual.is_empty() && report.errors.is_empty());
    let roles: Vec<(&str, Vec<String>)> = report
        .roles
        .iter()
        .map(|r| (r.name.as_str(), r.members.clone()))
        .collect();
    assert_eq!(
        roles,
        [
            ("Admin", vec![]),
            ("Sync 365 API", vec!["S365".to_string()]),
            ("Technician", vec!["RMMAPI".to_string()]),
        ]
    );
    sim.shutdown().await;
}

/// The settings requests of a run, by role id.
fn settings_reads(sim: &SimServer) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for r in sim.requests() {
        if let Some(rest) = r.path.split("/securityRoles/").nth(1) {
            *counts.entry(rest.to_string()).or_insert(0) += 1;
        }
    }
    counts
}

#[tokio::test]
async fn each_used_role_is_read_once_and_the_lists_once_each() {
    let (report, sim) = report_for(Scenario::new().many_members(200, 40)).await;
    assert_eq!(report.members.len(), 202);
    let reads = settings_reads(&sim);
    // 40 roles, the vendor role (S365) and Technician (RMMAPI); not Admin, which no one has.
    assert_eq!(reads.len(), 42, "{reads:?}");
    assert!(reads.values().all(|n| *n == 1), "{reads:?}");
    let lists = |name: &str| {
        sim.requests()
            .iter()
            .filter(|r| r.path.to_ascii_lowercase().ends_with(name))
            .count()
    };
    assert_eq!(lists("/system/apimembers"), 1, "one page of 1000");
    assert_eq!(lists("/system/securityroles"), 1);
    assert!(sim.max_in_flight() <= cwsetup::members::SETTINGS_AT_ONCE);
    // Every member of a role made from a profile matches that profile, nothing missing.
    let unmatched: Vec<&str> = report
        .members
        .iter()
        .filter(|m| m.identifier.starts_with("API") && m.matched.is_none())
        .map(|m| m.identifier.as_str())
        .collect();
    assert!(unmatched.is_empty(), "{unmatched:?}");
    sim.shutdown().await;
}

#[tokio::test]
async fn a_refused_read_leaves_that_part_manual_naming_the_permission() {
    let (report, sim) =
        report_for(Scenario::members_tenant().admin_revoke("System", "Security Roles")).await;
    assert_eq!(report.verdict, Verdict::Warn, "{report:#?}");
    assert_eq!(report.manual.len(), 1);
    assert_eq!(report.manual[0].part, "roles");
    assert!(report.manual[0].fix.contains("System > Security Roles"));
    // No settings were asked for: the same permission guards them.
    assert!(settings_reads(&sim).is_empty());
    // The members are still listed, with their role by name and no match.
    assert_eq!(report.members.len(), 8);
    assert!(report.members.iter().all(|m| m.matched.is_none()));
    let admin = report
        .members
        .iter()
        .find(|m| m.identifier == "OLDSYNC")
        .expect("member");
    assert!(admin.admin, "named Admin");
    assert!(
        !report
            .members
            .iter()
            .any(|m| m.findings.iter().any(|f| f.id == "missing-rows"))
    );
    sim.shutdown().await;

    let (report, sim) =
        report_for(Scenario::members_tenant().admin_revoke("System", "Member Maintenance")).await;
    assert_eq!(report.verdict, Verdict::Warn);
    assert_eq!(report.manual[0].part, "members");
    assert!(report.manual[0].fix.contains("System > Member Maintenance"));
    assert!(report.members.is_empty());
    sim.shutdown().await;
}

#[tokio::test]
async fn server_text_is_made_safe_for_the_terminal_and_the_table_fits_100_columns() {
    let hostile = "Evil\u{1b}]0;pwned\u{7}\u{1b}[2J\u{202e}role";
    let scenario = Scenario::members_tenant().security_role(SimRole {
        id: 199,
        name: hostile.to_string(),
        admin: false,
        rows: Vec::new(),
    });
    let mut member = SimApiMember::new(399, "EVIL", hostile, 199);
    member.level = (2, hostile.to_string());
    let (report, sim) = report_for(scenario.api_member(member)).await;
    let text = cwsetup::members::human(&report);
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{202e}'),
        "{text:?}"
    );
    assert!(text.contains("EVIL"), "{text}");
    for line in text.lines() {
        assert!(
            !line.chars().any(cwsetup::sanitize::is_display_unsafe),
            "{line:?}"
        );
        assert!(
            line.width() <= cwsetup::members::WIDTH,
            "{} wide: {line}",
            line.width()
        );
    }
    let md = cwsetup::members::markdown(&report, "na.myconnectwise.net");
    for line in md.lines() {
        assert!(
            !line.chars().any(cwsetup::sanitize::is_display_unsafe),
            "{line:?}"
        );
    }
    assert!(md.contains("| HuduAPI |"), "{md}");
    sim.shutdown().await;
}

// ---------------------------------------------------------------- section 2: the audit

#[tokio::test]
async fn the_audit_warns_on_excluded_boards_when_the_vendor_works_with_tickets() {
    let sim = SimServer::start(Scenario::members_tenant())
        .await
        .expect("sim starts");
    let session = admin_session(&sim).await;
    let ninja = cwsetup::profile::merge(&[cwsetup::profile::find("ninjaone").expect("shipped")]);
    let audit = cwsetup::audit::audit_member(&session, &ninja, "NinjaOne API", "NinjaOneAPI").await;
    let boards = audit
        .checks
        .iter()
        .find(|c| c.id == "boards")
        .expect("a boards check");
    assert_eq!(boards.status, cwsetup::audit::AuditStatus::Warn);
    assert_eq!(boards.have, "excluded: board id 3, board id 7");
    assert!(boards.fix.contains("Service Defaults"), "{}", boards.fix);
    assert!(
        boards.fix.contains("board id 3, board id 7"),
        "{}",
        boards.fix
    );
    let level = audit
        .checks
        .iter()
        .find(|c| c.id == "level")
        .expect("level");
    assert_eq!(
        level.have, "Location 2 (Tampa Office)",
        "the Level's location is read"
    );

    // A vendor without tickets (Sync 365 has no Service Desk row): named, not a warning.
    let sync = cwsetup::profile::merge(&[cwsetup::profile::find("sync365").expect("shipped")]);
    let audit = cwsetup::audit::audit_member(&session, &sync, "NinjaOne API", "NinjaOneAPI").await;
    let boards = audit
        .checks
        .iter()
        .find(|c| c.id == "boards")
        .expect("boards");
    assert_eq!(boards.status, cwsetup::audit::AuditStatus::Pass);
    assert!(
        boards.have.contains("works with no tickets"),
        "{}",
        boards.have
    );
    // No board excluded: a pass.
    let audit = cwsetup::audit::audit_member(&session, &ninja, "Sync 365 API", "S365").await;
    let boards = audit
        .checks
        .iter()
        .find(|c| c.id == "boards")
        .expect("boards");
    assert_eq!(
        (boards.status, boards.have.as_str()),
        (cwsetup::audit::AuditStatus::Pass, "none excluded")
    );
    sim.shutdown().await;
}

// ---------------------------------------------------------------- the command

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs the binary with `home` as its home; no key may appear in what it prints.
async fn cwsetup(args: Vec<String>, env: Vec<(&'static str, String)>, home: &Path) -> Run {
    let home = home.to_path_buf();
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
        for var in [
            "HOME",
            "XDG_STATE_HOME",
            "XDG_CACHE_HOME",
            "XDG_CONFIG_HOME",
        ] {
            command.env(var, &home);
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
    assert_no_key(&format!("{}\n{}", run.stdout, run.stderr));
    run
}

/// Neither key of either pair, nor the `Authorization` token they make.
fn assert_no_key(text: &str) {
    let tokens = [
        basic_token(
            DEMO_COMPANY_ID,
            DEMO_ADMIN_PUBLIC_KEY,
            DEMO_ADMIN_PRIVATE_KEY,
        ),
        basic_token(DEMO_COMPANY_ID, DEMO_PUBLIC_KEY, DEMO_PRIVATE_KEY),
    ];
    for secret in SECRETS
        .iter()
        .copied()
        .chain(tokens.iter().map(String::as_str))
    {
        assert!(!text.contains(secret), "a key or token was written");
    }
}

/// `cwsetup members ARGS` against `scenario` with the admin keys.
async fn members(scenario: Scenario, extra: &[&str], home: &Path) -> Run {
    let sim = SimServer::start(scenario).await.expect("sim starts");
    let mut args: Vec<String> = [
        "members",
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
    let run = cwsetup(
        args,
        vec![
            ("CW_PUBLIC_KEY", DEMO_ADMIN_PUBLIC_KEY.to_string()),
            ("CW_PRIVATE_KEY", DEMO_ADMIN_PRIVATE_KEY.to_string()),
        ],
        home,
    )
    .await;
    sim.shutdown().await;
    run
}

fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    keys.sort_unstable();
    keys
}

#[tokio::test]
async fn the_json_has_the_issues_shape_and_a_failing_member_exits_1() {
    let home = tempfile::tempdir().expect("temp dir");
    let run = cwsetup(
        vec!["members".into(), "--demo".into(), "--json".into()],
        Vec::new(),
        home.path(),
    )
    .await;
    assert_eq!(run.code, 1, "{}", run.stderr);
    let json: Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(json["verdict"], "fail");
    for key in ["verdict", "members", "roles"] {
        assert!(json.get(key).is_some(), "no {key}");
    }
    let members = json["members"].as_array().expect("members");
    assert_eq!(members.len(), 8);
    for m in members {
        for key in [
            "identifier",
            "name",
            "active",
            "role",
            "admin",
            "level",
            "match",
            "findings",
        ] {
            assert!(m.get(key).is_some(), "member lacks {key}: {m}");
        }
        assert!(m["active"].is_boolean() && m["admin"].is_boolean());
        assert!(m["role"].is_string() && m["level"].is_string());
        assert!(m["match"].is_null() || keys(&m["match"]) == ["extra", "missing", "profile"]);
        for f in m["findings"].as_array().expect("findings") {
            assert_eq!(keys(f), ["id", "severity", "text"]);
            assert!(["fail", "warn", "note"].contains(&f["severity"].as_str().unwrap_or("")));
        }
    }
    let hudu = members
        .iter()
        .find(|m| m["identifier"] == "HuduAPI")
        .expect("hudu");
    assert_eq!(hudu["match"]["profile"], "hudu");
    assert_eq!(hudu["match"]["missing"][0], "Companies / Contacts");
    assert_eq!(hudu["findings"][0]["id"], "missing-rows");
    for r in json["roles"].as_array().expect("roles") {
        for key in ["id", "name", "admin", "members"] {
            assert!(r.get(key).is_some(), "role lacks {key}: {r}");
        }
    }
    let admin = json["roles"]
        .as_array()
        .and_then(|r| r.iter().find(|r| r["name"] == "Admin"))
        .expect("Admin");
    assert_eq!(admin["admin"], true);
    assert_eq!(admin["members"], serde_json::json!(["OLDSYNC"]));
}

#[tokio::test]
async fn exit_codes_are_0_without_a_failure_1_with_one_and_2_for_input() {
    let home = tempfile::tempdir().expect("temp dir");
    let run = members(Scenario::new(), &[], home.path()).await;
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("PASS"), "{}", run.stdout);
    // A part left manual warns, and still exits 0.
    let run = members(
        Scenario::members_tenant().admin_revoke("System", "Security Roles"),
        &["--json"],
        home.path(),
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(json["verdict"], "warn");
    assert_eq!(json["manual"][0]["part"], "roles");
    let run = members(Scenario::members_tenant(), &[], home.path()).await;
    assert_eq!(run.code, 1);
    // Input errors: nothing given, an unknown profile, a bad site.
    let run = cwsetup(vec!["members".into()], Vec::new(), home.path()).await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("cwsetup members: missing"),
        "{}",
        run.stderr
    );
    let run = members(Scenario::new(), &["--profile", "nope"], home.path()).await;
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("unknown profile id `nope`"),
        "{}",
        run.stderr
    );
    let run = cwsetup(
        vec![
            "members".into(),
            "--site".into(),
            "http://cw.example.invalid".into(),
            "--company".into(),
            DEMO_COMPANY_ID.into(),
            "--client-id".into(),
            DEMO_CLIENT_ID.into(),
        ],
        vec![
            ("CW_PUBLIC_KEY", DEMO_ADMIN_PUBLIC_KEY.to_string()),
            ("CW_PRIVATE_KEY", DEMO_ADMIN_PRIVATE_KEY.to_string()),
        ],
        home.path(),
    )
    .await;
    assert_eq!(run.code, 2, "plain http to a real host: {}", run.stderr);
}

#[tokio::test]
async fn profile_flags_narrow_the_candidates() {
    let home = tempfile::tempdir().expect("temp dir");
    let run = members(
        Scenario::members_tenant(),
        &["--profile", "sync365", "--json"],
        home.path(),
    )
    .await;
    let json: Value = serde_json::from_str(&run.stdout).expect("json");
    let matched: Vec<&str> = json["members"]
        .as_array()
        .expect("members")
        .iter()
        .filter_map(|m| m["match"]["profile"].as_str())
        .collect();
    assert_eq!(matched, ["sync365"], "only Sync 365 is a candidate");
    assert_eq!(run.code, 0, "no matched vendor lacks a row: {}", run.stdout);
}

#[tokio::test]
async fn the_report_log_and_output_hold_no_key() {
    let home = tempfile::tempdir().expect("temp dir");
    let report = home.path().join("members.md");
    let run = members(
        Scenario::members_tenant(),
        &[
            "--report",
            report.to_str().expect("utf-8"),
            "--log-level",
            "trace",
        ],
        home.path(),
    )
    .await;
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("report written to"), "{}", run.stderr);
    let md = std::fs::read_to_string(&report).expect("the report");
    assert!(md.starts_with("# cwsetup members: ✗ FAIL"), "{md}");
    assert!(md.contains("`missing-rows`"), "{md}");
    assert!(md.contains("redacted"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&report)
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // Every file the run wrote (the report, the log) searched for each key and token.
    let mut files = Vec::new();
    let mut dirs = vec![home.path().to_path_buf()];
    for _ in 0..64 {
        let Some(dir) = dirs.pop() else { break };
        for entry in std::fs::read_dir(&dir).expect("dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(path);
            }
        }
    }
    // The log is under HOME on Unix; on Windows it is in the known Local AppData folder, which
    // a test cannot redirect (the report and output are still searched).
    assert!(
        cfg!(windows) || files.iter().any(|f| f.ends_with("cwsetup.log")),
        "{files:?}"
    );
    for file in &files {
        let text = String::from_utf8_lossy(&std::fs::read(file).expect("read")).into_owned();
        assert_no_key(&text);
    }
    // A report through a symbolic link is refused: exit 2, the output still printed.
    #[cfg(unix)]
    {
        let link = home.path().join("link.md");
        std::os::unix::fs::symlink(&report, &link).expect("link");
        let run = members(
            Scenario::new(),
            &["--report", link.to_str().expect("utf-8")],
            home.path(),
        )
        .await;
        assert_eq!(run.code, 2);
        assert!(run.stdout.contains("API members:"), "{}", run.stdout);
    }
}

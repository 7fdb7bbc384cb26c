//! Vendor profiles: the shipped ones load, merging is right, bad files get precise errors,
//! and `cwsetup role` / `cwsetup profiles` print what an admin or a script needs.

use std::path::PathBuf;

use cwsetup::cli::{self, EXIT_OK, EXIT_USAGE, ProfileArgs, RoleArgs, RoleFormat};
use cwsetup::profile::{
    self, AdminAdvice, FieldSource, Level, Levels, Profile, ProfileError, RoleRow,
};

use crate::common::catalogue::shipped;

const SYNC365: &str = "sync365";
const VISIONARY: &str = "visionary360-email-reconnector";

fn row(module: &str, function: &str, levels: [Level; 4], why: &str) -> RoleRow {
    RoleRow {
        module: module.to_string(),
        function: function.to_string(),
        levels: Levels::from(levels),
        why: why.to_string(),
        optional: false,
        optional_reason: None,
        probe: None,
        customize: Vec::new(),
        customize_deny: Vec::new(),
        setup_only: None,
    }
}

/// A synthetic profile built from sync365's valid skeleton, with its own id, names and rows.
fn synthetic(id: &str, product: &str, rows: Vec<RoleRow>, notes: &[&str]) -> Profile {
    let mut p = shipped(SYNC365).clone();
    p.id = id.to_string();
    p.vendor = "Acme".to_string();
    p.product = product.to_string();
    p.role.recommended_name = format!("{product} API");
    p.role.rows = rows;
    p.role.notes = notes.iter().map(|s| s.to_string()).collect();
    p
}

fn run_role(args: &RoleArgs) -> (u8, String, String) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = cli::run_role(args, &mut out, &mut err);
    (
        code,
        String::from_utf8(out).expect("utf-8 output"),
        String::from_utf8(err).expect("utf-8 errors"),
    )
}

fn role_args(ids: &[&str], files: &[PathBuf], format: RoleFormat) -> RoleArgs {
    RoleArgs {
        profile: ProfileArgs {
            profiles: ids.iter().map(|s| s.to_string()).collect(),
            profile_files: files.to_vec(),
        },
        format,
    }
}

// ---------------------------------------------------------------- shipped profiles

#[test]
fn all_shipped_profiles_load_and_are_found_by_id() {
    let ids: Vec<&str> = profile::builtin().iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids.len(), 34, "{ids:?}");
    assert_eq!(ids[..2], [SYNC365, VISIONARY]);
    assert_eq!(
        profile::find("SYNC365").map(|p| p.id.as_str()),
        Some(SYNC365)
    );
    assert!(profile::find("nope").is_none());
    for p in profile::builtin() {
        profile::validate(&p.id, p).expect("shipped profile validates");
        // Round trip: what the wizard saves reads back identically.
        let again = profile::parse("round-trip", &p.to_json_pretty()).expect("round trip parses");
        assert_eq!(&again, p);
    }
}

#[test]
fn sync365_matches_the_vendor_guide() {
    let p = shipped(SYNC365);
    assert_eq!(p.member.member_id, "S365");
    assert_eq!(p.member.name.as_deref(), Some("Sync 365"));
    assert_eq!(p.key.description, "S365");
    assert_eq!(p.role.admin, AdminAdvice::Acceptable);
    let level = |module: &str, function: &str| {
        let r = p
            .role
            .rows
            .iter()
            .find(|r| r.module == module && r.function == function)
            .unwrap_or_else(|| panic!("row {module} / {function} missing"));
        (r.levels.into_array(), r.probe.as_deref(), r.optional)
    };
    use Level::{All, None};
    assert_eq!(
        level("Companies", "Company Maintenance"),
        ([None, None, None, All], Some("company/companies"), false)
    );
    assert_eq!(
        level("Companies", "Contacts"),
        ([All, All, None, All], Some("company/contacts"), false)
    );
    assert_eq!(
        level("Finance", "Agreement Invoicing"),
        ([None, None, None, All], Option::None, false)
    );
    assert_eq!(
        level("Finance", "Agreements"),
        ([All, All, None, All], Some("finance/agreements"), false)
    );
    assert_eq!(
        level("Finance", "Invoicing"),
        ([None, None, None, All], Some("finance/invoices"), false)
    );
    assert_eq!(
        level("Procurement", "Product Catalog"),
        ([None, None, None, All], Some("procurement/catalog"), false)
    );
    assert_eq!(
        level("Procurement", "Products"),
        ([None, None, None, All], Some("procurement/products"), false)
    );
    assert_eq!(
        level("System", "Table Setup"),
        (
            [None, All, None, All],
            Some("finance/agreements/types"),
            false
        )
    );
    // Exactly the guide's eight rows, none optional, nothing asks for Delete.
    assert_eq!(p.role.rows.len(), 8);
    assert!(
        p.role
            .rows
            .iter()
            .all(|r| r.levels.delete == None && !r.optional)
    );
    let sources: Vec<FieldSource> = p.integration.fields.iter().map(|f| f.source).collect();
    assert_eq!(
        sources,
        [
            FieldSource::Fixed,
            FieldSource::CompanyId,
            FieldSource::ApiHost,
            FieldSource::PublicKey,
            FieldSource::PrivateKey
        ]
    );
    assert_eq!(p.integration.steps.len(), 8);
    assert!(
        p.role
            .notes
            .iter()
            .any(|n| n.contains("parent agreement type"))
    );
}

/// Email reConnector with its rows removed: how a vendor that publishes no rows looks.
fn without_rows() -> Profile {
    let mut p = shipped(VISIONARY).clone();
    p.id = "no-rows".into();
    p.role.rows.clear();
    p
}

#[test]
fn email_reconnector_ships_the_vendors_eight_rows_two_of_them_optional_with_reasons() {
    let p = shipped(VISIONARY);
    assert_eq!(p.role.rows.len(), 8);
    assert_eq!(
        p.source_url.as_deref(),
        Some(
            "https://www.visionary360.com/knowledge-base/kb-email-reconnector/erc-api-security-role/"
        )
    );
    assert_eq!(p.as_of.as_deref(), Some("2026-12-07"));
    let optional: Vec<(&str, Option<&str>)> = p
        .role
        .rows
        .iter()
        .filter(|r| r.optional)
        .map(|r| (r.function.as_str(), r.optional_reason()))
        .collect();
    assert_eq!(
        optional,
        [
            (
                "CRM/Sales Activities",
                Some("required for creating activities")
            ),
            ("Member Maintenance", Some("required for importing users")),
        ]
    );
    let table_setup = p
        .role
        .rows
        .iter()
        .find(|r| r.function == "Table Setup")
        .expect("Table Setup");
    assert_eq!(
        table_setup.customize,
        [
            "Service / Service Board",
            "Activities / Activity Status-CRM",
            "Activities / Activity Type",
            "Company / Company Status"
        ]
    );
    assert_eq!(p.role.admin, AdminAdvice::Discouraged);
    assert_eq!(p.member.member_id, "V360API");
    assert_eq!(p.member.first_name.as_deref(), Some("Visionary 360"));
    assert_eq!(p.member.last_name.as_deref(), Some("API"));
    assert_eq!(p.key.description, "Email reConnector");
    let notes = p.role.notes.join("\n");
    assert!(notes.contains("Choice 1") && notes.contains("Choice 2 (best practice)"));
    assert!(notes.contains("ErC API Security Role"));
    let warnings = p.key.warnings.join("\n");
    assert!(warnings.contains("Save, not Save and Close"));
    assert!(
        warnings.contains("number-one support issue") && warnings.contains("cwsetup's key step")
    );
}

// ---------------------------------------------------------------- merging

/// Tool A of the merge test: Table Setup with a Customize list, an optional Service Tickets
/// row, Contacts with a probe, and Invoicing.
fn merge_tool_a() -> Profile {
    use Level::{All, My, None};
    let mut a_setup = row(
        "System",
        "Table Setup",
        [None, My, None, All],
        "reads types",
    );
    a_setup.customize = vec![
        "Agreements / Batch".into(),
        "Agreements / Agreement Type".into(),
    ];
    let mut a_tickets = row(
        "Service Desk",
        "Service Tickets",
        [All, None, None, All],
        "notifications",
    );
    a_tickets.optional = true;
    let mut a_contacts = row(
        "Companies",
        "Contacts",
        [None, None, None, My],
        "reads contacts",
    );
    a_contacts.probe = Some("company/contacts".into());
    synthetic(
        "tool-a",
        "Tool A",
        vec![
            a_contacts,
            a_setup,
            a_tickets,
            row(
                "Finance",
                "Invoicing",
                [None, None, None, All],
                "reads invoices",
            ),
        ],
        &["shared note", "note from A"],
    )
}

/// Tool B of the merge test: the same functions spelled differently (matching ignores case and
/// spaces), a required Service Tickets row and an optional Ticket Notes row.
fn merge_tool_b() -> Profile {
    use Level::{All, My, None};
    let mut b_setup = row(
        "system",
        " table setup",
        [None, All, None, My],
        "edits boards",
    );
    b_setup.customize = vec![
        "agreements / batch".into(),
        "Service / Service Board".into(),
    ];
    let mut b_tickets = row(
        "Service Desk",
        "Service Tickets",
        [None, My, None, All],
        "links tickets",
    );
    b_tickets.optional = false;
    let mut b_notes = row(
        "Service Desk",
        "Ticket Notes",
        [None, None, None, All],
        "reads notes",
    );
    b_notes.optional = true;
    synthetic(
        "tool-b",
        "Tool B",
        vec![
            b_setup,
            row(
                "Companies",
                "Contacts",
                [My, None, All, None],
                "creates contacts",
            ),
            b_tickets,
            b_notes,
        ],
        &["shared note"],
    )
}

#[test]
fn merge_takes_the_highest_level_unites_customize_and_keeps_every_reason() {
    use Level::{All, My, None};
    let a = merge_tool_a();
    // Same functions spelled differently, to prove matching ignores case and spaces.
    let b = merge_tool_b();

    let role = profile::merge(&[&a, &b]);
    assert_eq!(role.profiles, ["tool-a", "tool-b"]);
    assert_eq!(role.role_name, "Tool A API + Tool B API");
    let functions: Vec<&str> = role.rows.iter().map(|r| r.function.as_str()).collect();
    // Rows of one module stand together: Tool B's Ticket Notes joins Service Tickets.
    assert_eq!(
        functions,
        [
            "Contacts",
            "Table Setup",
            "Service Tickets",
            "Ticket Notes",
            "Invoicing"
        ]
    );

    let contacts = &role.rows[0];
    assert_eq!(
        contacts.levels.into_array(),
        [My, None, All, My],
        "each level is the max of the two"
    );
    assert_eq!(
        contacts.probe.as_deref(),
        Some("company/contacts"),
        "probe kept"
    );
    assert_eq!(
        contacts.why,
        [
            "Acme Tool A: reads contacts",
            "Acme Tool B: creates contacts"
        ]
    );

    let setup = &role.rows[1];
    assert_eq!(
        (setup.module.as_str(), setup.function.as_str()),
        ("System", "Table Setup")
    );
    assert_eq!(setup.levels.into_array(), [None, All, None, All]);
    assert_eq!(
        setup.customize,
        [
            "Agreements / Batch",
            "Agreements / Agreement Type",
            "Service / Service Board"
        ],
        "union, first-seen order, no case-insensitive duplicates"
    );

    assert!(
        !role.rows[2].optional,
        "optional in A but required by B: required"
    );
    assert_eq!(role.rows[2].levels.into_array(), [All, My, None, All]);
    assert!(!role.rows[4].optional, "Invoicing");
    assert!(
        role.rows[3].optional,
        "Ticket Notes: optional in the only profile that has it"
    );

    assert_eq!(
        role.notes,
        [
            "Acme Tool A: shared note",
            "Acme Tool A: note from A",
            "Acme Tool B: shared note"
        ]
    );
    assert_eq!(role.admin, AdminAdvice::Acceptable);
}

fn level(i: u8) -> Level {
    [Level::None, Level::My, Level::All][usize::from(i % 3)]
}

proptest::proptest! {
    #[test]
    fn merged_levels_are_the_max_in_either_order(a in proptest::array::uniform4(0u8..3), b in proptest::array::uniform4(0u8..3)) {
        let (la, lb) = (a.map(level), b.map(level));
        // An all-None row must be optional to be valid; optionality does not affect levels.
        let mut ra = row("Finance", "Agreements", la, "a");
        ra.optional = true;
        let mut rb = row("Finance", "Agreements", lb, "b");
        rb.optional = true;
        let pa = synthetic("tool-a", "Tool A", vec![ra], &[]);
        let pb = synthetic("tool-b", "Tool B", vec![rb], &[]);
        let want: [Level; 4] = std::array::from_fn(|i| la[i].max(lb[i]));
        let ab = profile::merge(&[&pa, &pb]);
        let ba = profile::merge(&[&pb, &pa]);
        proptest::prop_assert_eq!(ab.rows.len(), 1);
        proptest::prop_assert_eq!(ab.rows[0].levels.into_array(), want);
        proptest::prop_assert_eq!(ba.rows[0].levels.into_array(), want);
    }
}

#[test]
fn merge_of_one_profile_keeps_its_name_and_plain_notes() {
    let p = shipped(SYNC365);
    let role = profile::merge(&[p]);
    assert_eq!(role.role_name, p.role.recommended_name);
    assert_eq!(role.notes, p.role.notes);
    assert_eq!(role.rows.len(), p.role.rows.len());
    assert!(
        role.rows
            .iter()
            .all(|r| r.why.len() == 1 && r.why[0].starts_with("Sync 365 License: "))
    );
}

#[test]
fn merging_with_visionary_is_discouraged_admin_and_its_name_fits_connectwise() {
    let role = profile::merge(&[shipped(SYNC365), shipped(VISIONARY)]);
    assert_eq!(role.admin, AdminAdvice::Discouraged);
    // Sync 365's 8 rows and Email reConnector's 8 share Company Maintenance, Contacts and
    // Table Setup.
    assert_eq!(role.rows.len(), 13);
    assert_eq!(role.sources_without_rows().count(), 0);
    // "Sync 365 API + V360 Email reConnector" is 37 characters: ConnectWise would refuse it.
    assert_eq!(role.role_name, "S365 + V360 API");
    assert!(
        role.notes[0].contains("at most 30 characters")
            && role.notes[0].contains("S365 is Sync 365 License")
            && role.notes[0].contains("V360 is Visionary 360 Email reConnector"),
        "{:?}",
        role.notes
    );
    let activities = role
        .rows
        .iter()
        .find(|r| r.function == "CRM/Sales Activities")
        .expect("row");
    assert!(activities.optional);
    assert_eq!(
        activities.optional_because,
        ["required for creating activities (Visionary 360 Email reConnector)"]
    );
    // Contacts is optional for nobody: Sync 365 needs it.
    let contacts = role
        .rows
        .iter()
        .find(|r| r.function == "Contacts")
        .expect("row");
    assert!(!contacts.optional && contacts.optional_because.is_empty());
}

#[test]
fn a_rowless_profile_is_still_flagged_when_merged() {
    let none = without_rows();
    let role = profile::merge(&[shipped(SYNC365), &none]);
    assert_eq!(role.rows.len(), shipped(SYNC365).role.rows.len());
    let missing: Vec<&str> = role.sources_without_rows().map(|s| s.id.as_str()).collect();
    assert_eq!(missing, ["no-rows"]);
}

// ---------------------------------------------------------------- invalid files

fn parse_err(text: &str) -> ProfileError {
    match profile::parse("bad.json", text) {
        Ok(_) => panic!("expected an error"),
        Err(e) => e,
    }
}

/// sync365's JSON with one textual replacement, so errors land on known lines.
fn sync365_with(from: &str, to: &str) -> String {
    let text = shipped(SYNC365).to_json_pretty();
    assert!(text.contains(from), "fixture text {from:?} not found");
    text.replacen(from, to, 1)
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .expect("needle present")
        + 1
}

#[test]
fn unknown_field_names_file_line_column_and_field() {
    let text = sync365_with(
        "\"recommended_name\"",
        "\"recomended_name\": \"x\",\n    \"recommended_name\"",
    );
    let err = parse_err(&text);
    let ProfileError::Parse {
        name,
        line,
        column,
        field,
        problem,
        ..
    } = &err
    else {
        panic!("wrong error kind: {err}");
    };
    assert_eq!(name, "bad.json");
    assert_eq!(*line, line_of(&text, "recomended_name"));
    assert!(*column > 0);
    assert_eq!(field, "role.recomended_name");
    assert!(
        problem.starts_with("unknown field `recomended_name`"),
        "{problem}"
    );
    let msg = err.to_string();
    assert!(
        msg.starts_with(&format!("bad.json:{line}:{column}: role.recomended_name: ")),
        "{msg}"
    );
    assert!(
        msg.contains("Fix: remove this field or correct its spelling"),
        "{msg}"
    );
}

#[test]
fn bad_level_value_names_the_row_field_and_the_allowed_levels() {
    let text = sync365_with("\"inquire\": \"All\"", "\"inquire\": \"Read\"");
    let err = parse_err(&text);
    let ProfileError::Parse {
        line,
        field,
        problem,
        fix,
        ..
    } = &err
    else {
        panic!("wrong error kind: {err}");
    };
    assert_eq!(*line, line_of(&text, "\"Read\""));
    assert_eq!(field, "role.rows[0].inquire");
    assert!(problem.contains("unknown variant `Read`"), "{problem}");
    assert!(fix.contains("\"None\", \"My\" or \"All\""), "{fix}");
}

#[test]
fn missing_field_names_the_object_and_the_field() {
    let text = sync365_with("\"member_id\": \"S365\",", "");
    let err = parse_err(&text);
    let ProfileError::Parse {
        field,
        problem,
        fix,
        line,
        ..
    } = &err
    else {
        panic!("wrong error kind: {err}");
    };
    assert_eq!(field, "member");
    assert_eq!(problem, "missing field `member_id`");
    assert!(fix.starts_with("add the missing field"), "{fix}");
    assert!(
        *line > line_of(&text, "\"member\""),
        "points inside the member object"
    );
}

#[test]
fn syntax_errors_and_truncated_files_say_where() {
    let text = sync365_with("\"vendor\": \"Sync 365\",", "\"vendor\": \"Sync 365\"");
    let err = parse_err(&text);
    let ProfileError::Parse { line, fix, .. } = &err else {
        panic!("wrong error kind: {err}")
    };
    assert_eq!(
        *line,
        line_of(&text, "\"vendor\"") + 1,
        "reported where the comma was expected"
    );
    assert!(fix.contains("missing comma"), "{fix}");

    let text = shipped(SYNC365).to_json_pretty();
    let err = parse_err(&text[..text.len() / 2]);
    assert!(err.to_string().contains("the file ends too early"), "{err}");

    let err = parse_err(&format!("{text}{{}}"));
    assert!(err.to_string().contains("remove everything after"), "{err}");
}

fn invalid_of(p: &Profile) -> (String, String, String) {
    match profile::validate("mine.json", p) {
        Err(ProfileError::Invalid {
            field,
            problem,
            fix,
            ..
        }) => (field, problem, fix),
        other => panic!("expected Invalid, got {other:?}"),
    }
}

#[test]
fn duplicate_row_is_rejected_naming_both_rows() {
    let mut p = shipped(SYNC365).clone();
    let mut dup = p.role.rows[1].clone();
    dup.function = " contacts ".into();
    p.role.rows.push(dup);
    let last = p.role.rows.len() - 1;
    let (field, problem, fix) = invalid_of(&p);
    assert_eq!(field, format!("role.rows[{last}]"));
    assert!(
        problem.contains("Companies / contacts is listed twice (also role.rows[1])"),
        "{problem}"
    );
    assert!(fix.starts_with("merge the two rows"), "{fix}");
    // Through the text path the error also points at the duplicate row's opening brace.
    let text = p.to_json_pretty();
    let module_line = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains("\"module\": \"Companies\""))
        .map(|(i, _)| i + 1)
        .last()
        .expect("module line");
    assert_eq!(text.lines().nth(module_line - 2).map(str::trim), Some("{"));
    let err = profile::parse("mine.json", &text).expect_err("duplicate rejected");
    assert!(
        err.to_string().starts_with(&format!(
            "mine.json:{}:7: role.rows[{last}]: ",
            module_line - 1
        )),
        "{err}"
    );
}

/// A change that makes a valid profile invalid.
type Mutation = Box<dyn Fn(&mut Profile)>;

/// Each mistake of the id and the role rows: what it is, the change that makes it, the field the
/// error must name, and a word of the fix it must give.
fn semantic_mistakes() -> Vec<(&'static str, Mutation, &'static str, &'static str)> {
    vec![
        (
            "empty id",
            Box::new(|p| p.id.clear()),
            "id",
            "lowercase letters",
        ),
        (
            "id with spaces",
            Box::new(|p| p.id = "My Tool".into()),
            "id",
            "lowercase letters",
        ),
        (
            "absolute probe",
            Box::new(|p| p.role.rows[0].probe = Some("/company/companies".into())),
            "role.rows[0].probe",
            "relative to apis/3.0/",
        ),
        (
            "URL probe",
            Box::new(|p| p.role.rows[0].probe = Some("https://x/company".into())),
            "role.rows[0].probe",
            "relative to apis/3.0/",
        ),
        (
            "probe with query",
            Box::new(|p| p.role.rows[0].probe = Some("company/companies?x=1".into())),
            "role.rows[0].probe",
            "relative to apis/3.0/",
        ),
        (
            "probe without inquire",
            Box::new(|p| {
                p.role.rows[0].levels.inquire = Level::None;
                p.role.rows[0].levels.add = Level::All;
            }),
            "role.rows[0].probe",
            "set inquire",
        ),
        (
            "all levels None",
            Box::new(|p| {
                p.role.rows[2].levels.inquire = Level::None;
            }),
            "role.rows[2]",
            "remove the row",
        ),
        (
            "blank why",
            Box::new(|p| p.role.rows[3].why = "  ".into()),
            "role.rows[3].why",
            "fill it in",
        ),
        (
            "duplicate customize",
            Box::new(|p| {
                let r = p.role.rows.last_mut().expect("rows");
                r.customize.push("agreements / batch".into());
            }),
            "role.rows[7].customize",
            "each table once",
        ),
    ]
}

/// The member, integration and prerequisite mistakes of [`semantic_mistakes`].
fn member_and_portal_mistakes() -> Vec<(&'static str, Mutation, &'static str, &'static str)> {
    vec![
        (
            "long member id",
            Box::new(|p| p.member.member_id = "ABCDEFGHIJKLMNOP".into()),
            "member.member_id",
            "shorten",
        ),
        (
            "name and first name",
            Box::new(|p| p.member.first_name = Some("X".into())),
            "member",
            "not both kinds",
        ),
        (
            "no name at all",
            Box::new(|p| p.member.name = None),
            "member",
            "`first_name` and `last_name`",
        ),
        (
            "fixed without value",
            Box::new(|p| p.integration.fields[0].value = None),
            "integration.fields[0].value",
            "literal value",
        ),
        (
            "value on a key field",
            Box::new(|p| p.integration.fields[3].value = Some("FakePublicKey001".into())),
            "integration.fields[3].value",
            "remove the value",
        ),
        (
            "docs_url not a URL",
            Box::new(|p| p.docs_url = "see website".into()),
            "docs_url",
            "https://",
        ),
        (
            "blank prerequisite",
            Box::new(|p| p.prerequisites.push(String::new())),
            "prerequisites[4]",
            "remove it",
        ),
    ]
}

#[test]
fn semantic_mistakes_are_rejected_with_a_fix() {
    let base = shipped(SYNC365);
    let cases = semantic_mistakes()
        .into_iter()
        .chain(member_and_portal_mistakes());
    for (what, mutate, want_field, want_fix) in cases {
        let mut p = base.clone();
        mutate(&mut p);
        let (field, problem, fix) = invalid_of(&p);
        assert_eq!(field, want_field, "{what}: {problem}");
        assert!(fix.contains(want_fix), "{what}: fix was {fix:?}");
    }
    // An optional row may ask for nothing (it documents a choice); that is not an error.
    let mut p = base.clone();
    p.role.rows[2].levels.inquire = Level::None;
    p.role.rows[2].optional = true;
    profile::validate("ok.json", &p).expect("optional all-None row is allowed");
}

#[test]
fn load_file_reports_missing_and_oversized_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("absent.json");
    let err = profile::load_file(&missing).expect_err("missing file");
    assert!(matches!(err, ProfileError::Read { .. }));
    assert!(
        err.to_string().contains("absent.json") && err.to_string().contains("Check the path"),
        "{err}"
    );

    let big = dir.path().join("big.json");
    std::fs::write(&big, vec![b' '; 1024 * 1024 + 10]).expect("write");
    let err = profile::load_file(&big).expect_err("too large");
    assert!(
        matches!(
            err,
            ProfileError::TooLarge {
                size: 1_048_586,
                ..
            }
        ),
        "{err}"
    );

    let latin1 = dir.path().join("latin1.json");
    std::fs::write(&latin1, b"{\"vendor\": \"Caf\xe9\"}").expect("write");
    let err = profile::load_file(&latin1).expect_err("not UTF-8");
    assert!(
        err.to_string()
            .contains("is not UTF-8 text. Save it as UTF-8"),
        "{err}"
    );

    // A byte-order mark (Windows editors) is accepted.
    let bom = dir.path().join("bom.json");
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend(shipped(SYNC365).to_json_pretty().into_bytes());
    std::fs::write(&bom, bytes).expect("write");
    assert_eq!(
        &profile::load_file(&bom).expect("BOM accepted"),
        shipped(SYNC365)
    );

    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\n  \"id\": \"x\",\n  \"colour\": 1\n}\n").expect("write");
    let err = profile::load_file(&bad).expect_err("unknown field");
    let msg = err.to_string();
    assert!(msg.starts_with(&format!("{}:3:", bad.display())), "{msg}");
    assert!(msg.contains(": colour: unknown field `colour`"), "{msg}");
}

#[test]
fn a_saved_user_profile_loads_back_and_invalid_ones_are_not_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("nested").join("my-v360.json");
    let mut p = without_rows();
    p.role.rows.push(row(
        "Companies",
        "Company Maintenance",
        [Level::None, Level::None, Level::None, Level::All],
        "from the vendor's page",
    ));
    profile::save_user_profile(&p, &path).expect("saved");
    assert_eq!(profile::load_file(&path).expect("loads back"), p);
    // Saving again replaces the file, and leaves no temporary file behind.
    profile::save_user_profile(&p, &path).expect("saved again");
    let names: Vec<String> = std::fs::read_dir(path.parent().expect("parent"))
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["my-v360.json"]);

    let other = dir.path().join("dup.json");
    p.role.rows.push(p.role.rows[0].clone());
    let err = profile::save_user_profile(&p, &other).expect_err("duplicate row");
    assert!(matches!(err, ProfileError::Invalid { .. }), "{err}");
    assert!(!other.exists());
}

// ---------------------------------------------------------------- renderers

#[test]
fn markdown_handoff_for_sync365() {
    let p = shipped(SYNC365);
    insta::assert_snapshot!(profile::render_markdown(&profile::merge(&[p]), &[p]));
}

#[test]
fn markdown_handoff_for_two_tools_has_a_member_and_key_per_tool() {
    let (s, v) = (shipped(SYNC365), shipped(VISIONARY));
    let md = profile::render_markdown(&profile::merge(&[s, v]), &[s, v]);
    assert!(md.contains("One API member serves all of these tools"));
    assert!(
        md.contains("### Sync 365 License") && md.contains("### Visionary 360 Email reConnector")
    );
    assert!(
        md.contains("Key description: `S365`")
            && md.contains("Key description: `Email reConnector`")
    );
    assert!(
        md.contains("- Companies / CRM/Sales Activities: required for creating activities (Visionary 360 Email reConnector)"),
        "{md}"
    );
    assert!(
        md.contains("| Companies | CRM/Sales Activities (optional) | All | None | None | All |"),
        "{md}"
    );
    // One member, created once, with the first tool's fields.
    assert!(
        md.contains("| Member ID | `S365` |") && !md.contains("`V360API`"),
        "{md}"
    );
    assert!(md.contains("On the S365 API member") && !md.contains("V360API member"));
    // An administrator reads it without cwsetup: no step of cwsetup's is named.
    assert!(!md.to_lowercase().contains("cwsetup"), "{md}");
    assert!(md.contains("Do not use the built-in Admin role"));
}

#[test]
fn json_of_sync365_has_exactly_the_documented_shape() {
    let json = profile::render_json(&profile::merge(&[shipped(SYNC365)]));
    let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    let keys: Vec<&str> = value
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["notes", "profiles", "role_name", "rows"]);
    for row in value["rows"].as_array().expect("rows") {
        let mut keys: Vec<&str> = row
            .as_object()
            .expect("row")
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort();
        assert_eq!(
            keys,
            [
                "add",
                "customize",
                "delete",
                "edit",
                "function",
                "inquire",
                "module",
                "optional",
                "optional_because",
                "why"
            ]
        );
    }
    insta::assert_snapshot!(json);
}

#[test]
fn text_of_email_reconnector_marks_its_optional_rows_with_the_vendors_reasons() {
    let text = profile::render_text(&profile::merge(&[shipped(VISIONARY)]));
    assert!(text.contains("CRM/Sales Activities (optional)"), "{text}");
    assert!(text.contains("Member Maintenance (optional)"), "{text}");
    assert!(text.contains(
        "  System / Member Maintenance: required for importing users (Visionary 360 Email reConnector)"
    ));
    assert!(text.contains("System / Table Setup: Service / Service Board, Activities / Activity Status-CRM, Activities / Activity Type, Company / Company Status"), "{text}");
    assert!(!text.contains("No rows yet."));
}

#[test]
fn text_of_a_rowless_profile_says_rows_must_be_added() {
    let none = without_rows();
    let text = profile::render_text(&profile::merge(&[&none]));
    assert!(text.contains("No rows yet."));
    assert!(text.contains(
        "ships no security role rows: its vendor publishes the requirements on its own page"
    ));
    assert!(text.contains("Add those rows in the wizard's Security role step"));
    assert!(text.contains("Do not use the built-in Admin role"));
}

// ---------------------------------------------------------------- commands

#[test]
fn role_without_arguments_prints_sync365_as_text() {
    let (code, out, err) = run_role(&RoleArgs::default());
    assert_eq!(code, EXIT_OK);
    assert_eq!(err, "");
    insta::assert_snapshot!(out);
}

#[test]
fn role_merges_ids_and_files_as_json() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("tool-b.json");
    let mut b = synthetic(
        "tool-b",
        "Tool B",
        vec![row(
            "Companies",
            "Contacts",
            [Level::None, Level::None, Level::All, Level::My],
            "deletes contacts",
        )],
        &[],
    );
    b.role.rows[0].optional = false;
    profile::save_user_profile(&b, &path).expect("saved");

    let (code, out, err) = run_role(&role_args(&[SYNC365], &[path], RoleFormat::Json));
    assert_eq!((code, err.as_str()), (EXIT_OK, ""));
    let value: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(value["profiles"], serde_json::json!([SYNC365, "tool-b"]));
    let contacts = value["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["function"] == "Contacts")
        .expect("contacts row");
    assert_eq!(contacts["delete"], "All");
    assert_eq!(contacts["add"], "All");
    assert_eq!(contacts["why"].as_array().expect("why").len(), 2);
}

#[test]
fn role_markdown_format_prints_the_handoff() {
    let (code, out, _) = run_role(&role_args(&[VISIONARY], &[], RoleFormat::Markdown));
    assert_eq!(code, EXIT_OK);
    assert!(out.starts_with("# ConnectWise setup for Visionary 360 Email reConnector"));
    assert!(out.contains("| Member ID | `V360API` |"));
}

#[test]
fn role_with_unknown_id_fails_with_usage_code_and_lists_known_ids() {
    let (code, out, err) = run_role(&role_args(&["sync356"], &[], RoleFormat::Text));
    assert_eq!(code, EXIT_USAGE);
    assert_eq!(out, "");
    assert!(
        err.starts_with("error: unknown profile id `sync356`"),
        "{err}"
    );
    assert!(
        err.contains(&format!("Known profiles: {SYNC365}, {VISIONARY}")),
        "{err}"
    );
    assert!(err.contains("cwsetup profiles"), "{err}");
}

#[test]
fn role_with_a_bad_file_or_a_profile_twice_fails_with_usage_code() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("broken.json");
    std::fs::write(&path, "{ \"id\": \"x\" ").expect("write");
    let (code, out, err) = run_role(&role_args(&[], &[path], RoleFormat::Text));
    assert_eq!((code, out.as_str()), (EXIT_USAGE, ""));
    assert!(
        err.contains("broken.json:1:") && err.contains("ends too early"),
        "{err}"
    );

    let (code, _, err) = run_role(&role_args(&[SYNC365, "Sync365"], &[], RoleFormat::Text));
    assert_eq!(code, EXIT_USAGE);
    assert!(err.contains("profile `sync365` is selected twice"), "{err}");
}

#[test]
fn profiles_lists_id_vendor_and_product() {
    let mut out = Vec::new();
    assert_eq!(cli::run_profiles(&mut out), EXIT_OK);
    insta::assert_snapshot!(String::from_utf8(out).expect("utf-8"));
}

#[test]
fn role_and_profiles_args_parse_with_clap() {
    use clap::Parser;
    #[derive(clap::Parser)]
    struct Cli {
        #[command(flatten)]
        role: RoleArgs,
    }
    let cli = Cli::try_parse_from([
        "cwsetup",
        "--profile",
        "a",
        "--profile",
        "b",
        "--profile-file",
        "x.json",
        "--format",
        "markdown",
    ])
    .expect("parses");
    assert_eq!(cli.role.profile.profiles, ["a", "b"]);
    assert_eq!(cli.role.profile.profile_files, [PathBuf::from("x.json")]);
    assert_eq!(cli.role.format, RoleFormat::Markdown);
    let cli = Cli::try_parse_from(["cwsetup"]).expect("parses");
    assert_eq!(cli.role.format, RoleFormat::Text);
    assert!(Cli::try_parse_from(["cwsetup", "--format", "yaml"]).is_err());
    use clap::CommandFactory;
    let help = Cli::command().render_long_help().to_string();
    assert!(
        help.contains("Examples:") && help.contains("--format markdown"),
        "{help}"
    );
    assert!(help.contains("Default: sync365"), "{help}");
}

//! Vendor profiles: the shipped ones load, merging is right, bad files get precise errors,
//! and `cwsetup role` / `cwsetup profiles` print what an admin or a script needs.

use std::path::PathBuf;

use cwsetup::profile::{
    self, AdminAdvice, EXIT_OK, EXIT_USAGE, FieldSource, Level, Profile, ProfileError, RoleArgs,
    RoleFormat, RoleRow,
};

const SYNC365: &str = "sync365";
const VISIONARY: &str = "visionary360-email-reconnector";

fn shipped(id: &str) -> &'static Profile {
    profile::find(id).unwrap_or_else(|| panic!("shipped profile {id} missing"))
}

fn row(module: &str, function: &str, levels: [Level; 4], why: &str) -> RoleRow {
    RoleRow {
        module: module.to_string(),
        function: function.to_string(),
        add: levels[0],
        edit: levels[1],
        delete: levels[2],
        inquire: levels[3],
        why: why.to_string(),
        optional: false,
        probe: None,
        customize: Vec::new(),
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
    let code = profile::run_role(args, &mut out, &mut err);
    (
        code,
        String::from_utf8(out).expect("utf-8 output"),
        String::from_utf8(err).expect("utf-8 errors"),
    )
}

fn role_args(ids: &[&str], files: &[PathBuf], format: RoleFormat) -> RoleArgs {
    RoleArgs {
        profiles: ids.iter().map(|s| s.to_string()).collect(),
        profile_files: files.to_vec(),
        format,
    }
}

// ---------------------------------------------------------------- shipped profiles

#[test]
fn both_shipped_profiles_load_and_are_found_by_id() {
    let ids: Vec<&str> = profile::builtin().iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, [SYNC365, VISIONARY]);
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
        (
            [r.add, r.edit, r.delete, r.inquire],
            r.probe.as_deref(),
            r.optional,
        )
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
        ([None, All, None, All], Some("finance/billingCycles"), false)
    );
    // Only the notifications row is optional; nothing asks for Delete.
    assert!(p.role.rows.iter().all(|r| r.delete == None));
    assert_eq!(p.role.rows.iter().filter(|r| r.optional).count(), 1);
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

#[test]
fn visionary_ships_no_rows_and_says_where_they_are() {
    let p = shipped(VISIONARY);
    assert!(p.role.rows.is_empty());
    assert_eq!(p.role.admin, AdminAdvice::Discouraged);
    assert_eq!(p.member.member_id, "V360API");
    assert_eq!(p.member.first_name.as_deref(), Some("Visionary 360"));
    assert_eq!(p.member.last_name.as_deref(), Some("API"));
    assert_eq!(p.key.description, "Email reConnector");
    let notes = p.role.notes.join("\n");
    assert!(notes.contains("Choice 1") && notes.contains("Choice 2 (best practice)"));
    assert!(notes.contains("requirements on a separate page"));
    let warnings = p.key.warnings.join("\n");
    assert!(warnings.contains("Save, not Save and Close"));
    assert!(
        warnings.contains("number-one support issue") && warnings.contains("cwsetup's key step")
    );
}

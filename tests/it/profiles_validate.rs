//! `cwsetup profiles validate`, `--format json` and `--search`: every shipped profile is valid,
//! and each kind of broken file is refused with exit 2, its file:line:column and a plain reason.

use std::path::{Path, PathBuf};

use cwsetup::cli::{self, ProfilesAction, ProfilesArgs, ProfilesFormat};
use cwsetup::profile;

const BASE: &str = include_str!("../../assets/profiles/lastpass.json");

fn run(args: &ProfilesArgs) -> (u8, String, String) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = cli::run_profiles_command(args, &mut out, &mut err);
    (
        code,
        String::from_utf8(out).expect("utf-8"),
        String::from_utf8(err).expect("utf-8"),
    )
}

fn validate(files: Vec<PathBuf>) -> (u8, String, String) {
    run(&ProfilesArgs {
        action: Some(ProfilesAction::Validate { files }),
        ..ProfilesArgs::default()
    })
}

/// Writes `BASE` with `from` replaced by `to` (which must occur) and validates it.
fn broken(dir: &Path, name: &str, from: &str, to: &str) -> (u8, String, String, PathBuf) {
    assert!(BASE.contains(from), "{from:?} is in the base profile");
    let path = dir.join(name);
    std::fs::write(&path, BASE.replacen(from, to, 1)).expect("write");
    let (code, out, err) = validate(vec![path.clone()]);
    (code, out, err, path)
}

#[test]
fn every_shipped_profile_validates() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/profiles");
    let files: Vec<PathBuf> = profile::builtin()
        .iter()
        .map(|p| dir.join(format!("{}.json", p.id)))
        .collect();
    let (code, out, err) = validate(files);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().filter(|l| l.starts_with("ok: ")).count(), 34);
    assert!(!err.contains("error"), "{err}");
}

#[test]
fn a_missing_source_url_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = "https://support.lastpass.com/help/connectwise-user-privileges-for-lastpass-psa-integrations";
    let (code, _, err, path) = broken(
        dir.path(),
        "no-source.json",
        &format!("  \"source_url\": \"{url}\",\n"),
        "",
    );
    assert_eq!(code, 2);
    assert!(err.contains(&format!("{}:3:", path.display())), "{err}");
    assert!(err.contains("has no source_url"), "{err}");
}

#[test]
fn an_unknown_module_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (code, _, err, path) = broken(
        dir.path(),
        "module.json",
        "\"module\": \"Companies\"",
        "\"module\": \"Compagnies\"",
    );
    assert_eq!(code, 2);
    assert!(err.contains(&format!("{}:", path.display())), "{err}");
    assert!(err.contains("role.rows[0].module"), "{err}");
    assert!(
        err.contains("`Compagnies` is not a ConnectWise module"),
        "{err}"
    );
}

#[test]
fn an_unknown_function_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (code, _, err, _) = broken(
        dir.path(),
        "function.json",
        "\"function\": \"Contacts\"",
        "\"function\": \"Contact Maintenance\"",
    );
    assert_eq!(code, 2);
    assert!(err.contains("role.rows[1].function"), "{err}");
    assert!(
        err.contains("`Contact Maintenance` is not a Companies function"),
        "{err}"
    );
}

#[test]
fn a_level_other_than_none_my_all_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (code, _, err, path) = broken(
        dir.path(),
        "level.json",
        "\"inquire\": \"All\"",
        "\"inquire\": \"Read\"",
    );
    assert_eq!(code, 2);
    assert!(err.contains(&format!("{}:", path.display())), "{err}");
    assert!(err.contains("role.rows[0].inquire"), "{err}");
    assert!(err.contains("\"None\", \"My\" or \"All\""), "{err}");
}

#[test]
fn a_duplicate_row_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (code, _, err, _) = broken(
        dir.path(),
        "duplicate.json",
        "\"function\": \"Contacts\"",
        "\"function\": \"Company Maintenance\"",
    );
    assert_eq!(code, 2);
    assert!(err.contains("is listed twice"), "{err}");
}

#[test]
fn a_function_without_a_probe_is_a_warning_not_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("ok.json");
    std::fs::write(&path, BASE).expect("write");
    let (code, out, err) = validate(vec![path.clone()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("ok: "), "{out}");
    // LastPass's Table Setup row has no read-only probe.
    assert!(
        err.contains("warning: ") && err.contains("System / Table Setup has no read-only probe"),
        "{err}"
    );
}

#[test]
fn json_lists_id_vendor_product_source_and_date() {
    let (code, out, _) = run(&ProfilesArgs {
        format: ProfilesFormat::Json,
        ..ProfilesArgs::default()
    });
    assert_eq!(code, 0);
    let list: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let list = list.as_array().expect("array");
    assert_eq!(list.len(), 34);
    let hudu = list.iter().find(|p| p["id"] == "hudu").expect("hudu");
    assert_eq!(hudu["vendor"], "Hudu");
    assert_eq!(hudu["as_of"], "2026-12-07");
    assert!(
        hudu["source_url"]
            .as_str()
            .unwrap()
            .starts_with("https://support.hudu.com/")
    );
    for p in list {
        let keys: Vec<&String> = p.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["as_of", "id", "product", "source_url", "vendor"]);
    }
}

#[test]
fn search_filters_by_id_vendor_or_product() {
    let search = |text: &str| {
        let (code, out, err) = run(&ProfilesArgs {
            search: Some(text.to_string()),
            ..ProfilesArgs::default()
        });
        assert_eq!(code, 0);
        let ids: Vec<String> = out
            .lines()
            .skip(1)
            .map(|l| l.split_whitespace().next().unwrap_or("").to_string())
            .collect();
        (ids, err)
    };
    assert_eq!(search("DATTO").0, ["datto-rmm", "datto-continuity"]);
    assert_eq!(
        search("n-able").0,
        ["n-able-n-central", "n-able-n-sight", "n-able-passportal"]
    );
    assert_eq!(search("Passportal").0, ["n-able-passportal"]);
    let (none, err) = search("no such vendor");
    assert!(none.is_empty());
    assert!(err.contains("no profile matches"), "{err}");
}

/// The 1-based line of `BASE` that holds `needle`.
fn base_line(needle: &str) -> usize {
    BASE.lines()
        .position(|l| l.contains(needle))
        .expect("in the base profile")
        + 1
}

#[test]
fn names_connectwise_would_refuse_are_errors_with_their_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    // 31 characters in a role name, 16 in a member ID, 31 in a member name: each one over
    // ConnectWise's limit (30, 15, 30), each exactly at the limit accepted.
    let cases = [
        (
            "\"recommended_name\": \"LastPass API\"",
            format!("\"recommended_name\": \"{}\"", "R".repeat(31)),
            format!("\"recommended_name\": \"{}\"", "R".repeat(30)),
            "role.recommended_name: the security role name has 31 characters; ConnectWise accepts at most 30 (1 too many)",
        ),
        (
            "\"member_id\": \"LastPassAPI\"",
            format!("\"member_id\": \"{}\"", "M".repeat(16)),
            format!("\"member_id\": \"{}\"", "M".repeat(15)),
            "member.member_id: the API member ID has 16 characters; ConnectWise accepts at most 15 (1 too many)",
        ),
        (
            "\"name\": \"LastPass API\"",
            format!("\"name\": \"{}\"", "N".repeat(31)),
            format!("\"name\": \"{}\"", "N".repeat(30)),
            "member.name: the API member name has 31 characters; ConnectWise accepts at most 30 (1 too many)",
        ),
    ];
    for (i, (from, over, at_limit, message)) in cases.iter().enumerate() {
        let line = base_line(from);
        let (code, _, err, path) = broken(dir.path(), &format!("over-{i}.json"), from, over);
        assert_eq!(code, 2, "{err}");
        assert!(
            err.contains(&format!("{}:{line}:", path.display())),
            "file:line:column of the field: {err}"
        );
        assert!(err.contains(message), "{err}");
        let (code, _, err, _) = broken(dir.path(), &format!("limit-{i}.json"), from, at_limit);
        assert_eq!(code, 0, "exactly at the limit is accepted: {err}");
    }
}

#[test]
fn an_optional_row_without_the_vendors_reason_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (code, _, err, path) = broken(
        dir.path(),
        "optional.json",
        "\"function\": \"Contacts\",",
        "\"function\": \"Contacts\",\n        \"optional\": true,",
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains(&format!("{}:", path.display())), "{err}");
    assert!(
        err.contains("role.rows[1].optional: Companies / Contacts is optional but gives no reason"),
        "{err}"
    );
    let (code, _, err, _) = broken(
        dir.path(),
        "reason.json",
        "\"function\": \"Contacts\",",
        "\"function\": \"Contacts\",\n        \"optional\": \"required for importing contacts\",",
    );
    assert_eq!(code, 0, "{err}");
}

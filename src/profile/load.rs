//! Reading, checking and saving profile files.
//!
//! Parsing is strict: unknown fields, wrong level names and missing fields are errors that name
//! the file, the line and column, and the field path. After parsing, [`validate`] rejects
//! profiles that fit the schema but cannot be right (duplicate rows, a probe that is a URL, ...).

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::error::ProfileError;
use super::model::{FieldSource, Profile, row_key};
use crate::limits::{MEMBER_ID, MEMBER_NAME, ROLE_NAME};
use crate::permission::{Column, Level};

/// Profiles are a few kilobytes; anything far larger is the wrong file.
const MAX_PROFILE_BYTES: u64 = 1024 * 1024;

const EXAMPLE_HINT: &str = "see assets/profiles/sync365.json for a complete example";

/// Parses and validates a profile. `name` is the file (or asset) name used in error messages.
pub fn parse(name: &str, text: &str) -> Result<Profile, ProfileError> {
    // Editors on Windows often save UTF-8 with a byte-order mark, which JSON does not allow.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut de = serde_json::Deserializer::from_str(text);
    let profile: Profile = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let field = display_path(&e.path().to_string());
        parse_error(name, field, e.into_inner())
    })?;
    de.end()
        .map_err(|e| parse_error(name, "(top level)".to_string(), e))?;
    validate(name, &profile).map_err(|e| e.located_in(text))?;
    Ok(profile)
}

/// Reads, parses and validates a profile file (a user's own, passed with `--profile-file`).
pub fn load_file(path: &Path) -> Result<Profile, ProfileError> {
    let read_err = |source| ProfileError::Read {
        path: path.to_path_buf(),
        source,
    };
    // Never a FIFO or a device: refused before anything is read (so nothing can hang here).
    let file = crate::report_file::open_regular(path).map_err(read_err)?;
    let mut bytes = Vec::new();
    // One byte past the limit tells "too large" apart from "exactly at the limit".
    let read = file
        .take(MAX_PROFILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(read_err)?;
    if read as u64 > MAX_PROFILE_BYTES {
        let size = std::fs::metadata(path)
            .map(|m| m.len())
            .unwrap_or(read as u64);
        return Err(ProfileError::TooLarge {
            path: path.to_path_buf(),
            size,
            max: MAX_PROFILE_BYTES,
        });
    }
    let text = String::from_utf8(bytes).map_err(|_| ProfileError::NotText {
        path: path.to_path_buf(),
    })?;
    // A profile file is outside text: its errors and its strings are sanitized once, here, so
    // no escape sequence or bidi override from it reaches the wizard, a check, a report or
    // `cwsetup role` (a built-in profile is cwsetup's own text).
    parse(&path.display().to_string(), &text)
        .map(|profile| profile.for_display())
        .map_err(ProfileError::for_display)
}

/// Validates `profile`, then writes it as pretty JSON to `path` (see [`crate::report_file`]),
/// so that the technician can reuse it with `--profile-file`.
pub fn save_user_profile(profile: &Profile, path: &Path) -> Result<(), ProfileError> {
    validate(&path.display().to_string(), profile)?;
    let write_err = |source| ProfileError::Write {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(write_err)?;
    }
    // A new file beside the target, renamed into place (a crash never leaves half a profile),
    // mode 0600, never through a link or into a FIFO.
    // Sanitized again before writing: rows edited from a tampered saved session (or any other
    // outside text) reach the file with no control or bidi override in them.
    let safe = profile.clone().for_display();
    crate::report_file::write_private(path, safe.to_json_pretty().as_bytes()).map_err(write_err)
}

/// Where the wizard saves user profiles by default: `<config dir>/cwsetup/profiles`.
/// `None` when the platform has no home directory.
pub fn user_profile_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "cwsetup").map(|d| d.config_dir().join("profiles"))
}

/// The default file for a user profile with this id: `<user_profile_dir>/<id>.json`.
pub fn user_profile_path(id: &str) -> Option<PathBuf> {
    user_profile_dir().map(|d| d.join(format!("{id}.json")))
}

impl Profile {
    /// The profile with every string through [`crate::sanitize::display_text`].
    pub fn for_display(self) -> Profile {
        fn clean(value: &mut serde_json::Value) {
            match value {
                serde_json::Value::String(s)
                    if s.chars().any(crate::sanitize::is_display_unsafe) =>
                {
                    *s = crate::sanitize::display_text(s);
                }
                serde_json::Value::Array(items) => items.iter_mut().for_each(clean),
                serde_json::Value::Object(map) => map.values_mut().for_each(clean),
                _ => {}
            }
        }
        let Ok(mut value) = serde_json::to_value(&self) else {
            return self;
        };
        clean(&mut value);
        // Only string contents changed, so the shape still fits; keep the original otherwise.
        serde_json::from_value(value).unwrap_or(self)
    }

    /// The profile as pretty-printed JSON with a trailing newline: the format of the asset files.
    pub fn to_json_pretty(&self) -> String {
        let mut text = serde_json::to_string_pretty(self)
            .expect("a Profile holds only strings, lists and enums, which always serialize");
        text.push('\n');
        text
    }
}

fn display_path(path: &str) -> String {
    if path.is_empty() || path == "." {
        "(top level)".to_string()
    } else {
        path.to_string()
    }
}

fn parse_error(name: &str, field: String, err: serde_json::Error) -> ProfileError {
    use serde_json::error::Category;
    let full = err.to_string();
    // serde_json appends " at line L column C"; the line and column are reported separately.
    let problem = match full.rfind(" at line ") {
        Some(i) if err.line() > 0 => full[..i].to_string(),
        _ => full.clone(),
    };
    let is_level = Column::ALL
        .iter()
        .any(|c| field.ends_with(&format!(".{}", c.field())));
    let fix = match err.classify() {
        Category::Eof => {
            "the file ends too early: close every { and [ (was the file cut short?)".to_string()
        }
        Category::Syntax if problem.starts_with("trailing characters") => {
            "remove everything after the profile's closing }".to_string()
        }
        Category::Syntax => {
            "correct the JSON syntax at this position (a missing comma, quote or bracket is the usual cause)".to_string()
        }
        Category::Io => "check that the file is readable text".to_string(),
        Category::Data if problem.starts_with("unknown field") => {
            "remove this field or correct its spelling to one of the expected names".to_string()
        }
        Category::Data if problem.starts_with("missing field") => {
            format!("add the missing field to this object ({EXAMPLE_HINT})")
        }
        Category::Data if problem.starts_with("duplicate field") => {
            "keep only one copy of this field".to_string()
        }
        Category::Data if is_level => {
            "levels are \"None\", \"My\" or \"All\", quoted and with that capitalisation".to_string()
        }
        Category::Data if problem.starts_with("unknown variant") => {
            "use one of the expected values, spelled exactly as listed".to_string()
        }
        Category::Data => format!(
            "give this field the expected type: a quoted string, a list in [ ], true/false or an object ({EXAMPLE_HINT})"
        ),
    };
    ProfileError::Parse {
        name: name.to_string(),
        line: err.line(),
        column: err.column(),
        field,
        problem,
        fix,
    }
}

/// Checks what the schema cannot: ids, duplicates, probes, member fields, portal fields.
pub fn validate(name: &str, profile: &Profile) -> Result<(), ProfileError> {
    let invalid = |field: &str, problem: String, fix: &str| ProfileError::Invalid {
        name: name.to_string(),
        position: None,
        field: field.to_string(),
        problem,
        fix: fix.to_string(),
    };
    let not_blank = |field: &str, value: &str| {
        if value.trim().is_empty() {
            Err(invalid(
                field,
                "is empty".to_string(),
                "fill it in; every field is shown to the technician",
            ))
        } else {
            Ok(())
        }
    };
    // What cwsetup tells a technician to type must be something ConnectWise accepts.
    let within = |limit: crate::limits::Limit, field: &str, value: &str| match limit.problem(value)
    {
        Some(problem) => Err(invalid(
            field,
            problem,
            "shorten it: ConnectWise refuses a longer value when the technician saves the form",
        )),
        None => Ok(()),
    };
    let no_blank_items =
        |field: &str, items: &[String]| match items.iter().position(|s| s.trim().is_empty()) {
            Some(i) => Err(invalid(
                &format!("{field}[{i}]"),
                "is an empty entry".to_string(),
                "write the entry or remove it from the list",
            )),
            None => Ok(()),
        };

    let id = profile.id.as_str();
    if id.is_empty() {
        return Err(invalid(
            "id",
            "is empty".to_string(),
            "give the profile an id of lowercase letters, digits and dashes, e.g. \"my-vendor-tool\"",
        ));
    }
    if !id
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        || id.starts_with('-')
    {
        return Err(invalid(
            "id",
            format!("`{id}` is not usable on the command line"),
            "use only lowercase letters, digits and dashes, starting with a letter or digit, e.g. \"my-vendor-tool\"",
        ));
    }
    not_blank("vendor", &profile.vendor)?;
    not_blank("product", &profile.product)?;
    not_blank("description", &profile.description)?;
    match url::Url::parse(&profile.docs_url) {
        Ok(u) if u.scheme() == "https" || u.scheme() == "http" => {}
        _ => {
            return Err(invalid(
                "docs_url",
                format!("`{}` is not a web address", profile.docs_url),
                "give the vendor's public guide as a full https:// address (or the vendor's site)",
            ));
        }
    }
    if let Some(source) = &profile.source_url {
        match url::Url::parse(source) {
            Ok(u) if u.scheme() == "https" || u.scheme() == "http" => {}
            _ => {
                return Err(invalid(
                    "source_url",
                    format!("`{source}` is not a web address"),
                    "give the vendor's public page the rows were read from as a full https:// address",
                ));
            }
        }
    }
    if let Some(as_of) = &profile.as_of
        && !is_iso_date(as_of)
    {
        return Err(invalid(
            "as_of",
            format!("`{as_of}` is not a date written YYYY-MM-DD"),
            "give the date the rows were read from the vendor's page, e.g. \"2026-11-27\"",
        ));
    }
    no_blank_items("prerequisites", &profile.prerequisites)?;
    no_blank_items("ip_allow_list.addresses", &profile.ip_allow_list.addresses)?;

    let role = &profile.role;
    not_blank("role.recommended_name", &role.recommended_name)?;
    within(ROLE_NAME, "role.recommended_name", &role.recommended_name)?;
    no_blank_items("role.instructions", &role.instructions)?;
    no_blank_items("role.notes", &role.notes)?;
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    for (i, row) in role.rows.iter().enumerate() {
        let at = |field: &str| format!("role.rows[{i}].{field}");
        not_blank(&at("module"), &row.module)?;
        not_blank(&at("function"), &row.function)?;
        not_blank(&at("why"), &row.why)?;
        let key = (row_key(&row.module), row_key(&row.function));
        if let Some(first) = seen.insert(key, i) {
            return Err(invalid(
                &format!("role.rows[{i}]"),
                format!(
                    "{} / {} is listed twice (also role.rows[{first}])",
                    row.module.trim(),
                    row.function.trim()
                ),
                "merge the two rows into one: keep the higher level of each, and join their why and customize lists",
            ));
        }
        if !row.optional && row.levels.is_none() {
            return Err(invalid(
                &format!("role.rows[{i}]"),
                format!(
                    "{} / {} asks for no access (every level is None)",
                    row.module.trim(),
                    row.function.trim()
                ),
                "set the level the integration needs (\"My\" or \"All\") on add, edit, delete or inquire, or remove the row: functions not listed stay None",
            ));
        }
        if let Some(probe) = &row.probe {
            if let Some(problem) = probe_problem(probe) {
                return Err(invalid(
                    &at("probe"),
                    format!("`{probe}` {problem}"),
                    "give the API path relative to apis/3.0/, e.g. \"company/companies\", or remove the probe",
                ));
            }
            if row.levels.inquire == Level::None {
                return Err(invalid(
                    &at("probe"),
                    "proves Inquire access, but inquire is None".to_string(),
                    "set inquire to \"My\" or \"All\", or remove the probe",
                ));
            }
        }
        no_blank_items(&at("customize"), &row.customize)?;
        super::scope::check_row(row)
            .map_err(|(field, problem, fix)| invalid(&at(field), problem, fix))?;
        let mut names: Vec<String> = row.customize.iter().map(|c| row_key(c)).collect();
        names.sort();
        if let Some(pair) = names.windows(2).find(|w| w[0] == w[1]) {
            return Err(invalid(
                &at("customize"),
                format!("lists `{}` twice", pair[0]),
                "keep each table once",
            ));
        }
    }

    let member = &profile.member;
    no_blank_items("member.instructions", &member.instructions)?;
    not_blank("member.member_id", &member.member_id)?;
    within(MEMBER_ID, "member.member_id", &member.member_id)?;
    let filled = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.trim().is_empty());
    match (
        filled(&member.name),
        filled(&member.first_name),
        filled(&member.last_name),
    ) {
        (true, false, false) => {
            within(
                MEMBER_NAME,
                "member.name",
                member.name.as_deref().unwrap_or_default(),
            )?;
        }
        (false, true, true) => {
            // ConnectWise shows an API member's name as one field: first and last together.
            let full = format!(
                "{} {}",
                member.first_name.as_deref().unwrap_or_default().trim(),
                member.last_name.as_deref().unwrap_or_default().trim()
            );
            within(MEMBER_NAME, "member.last_name", &full)?;
        }
        _ => {
            return Err(invalid(
                "member",
                "needs either `name`, or both `first_name` and `last_name`".to_string(),
                "give `name` (one field, as the vendor's guide calls it) or `first_name` and `last_name`, not both kinds",
            ));
        }
    }
    not_blank("member.department", &member.department)?;
    not_blank("member.location", &member.location)?;
    not_blank("member.structure_level", &member.structure_level)?;
    no_blank_items("member.notes", &member.notes)?;

    no_blank_items("key.instructions", &profile.key.instructions)?;
    not_blank("key.description", &profile.key.description)?;
    no_blank_items("key.warnings", &profile.key.warnings)?;

    let integration = &profile.integration;
    no_blank_items("integration.steps", &integration.steps)?;
    no_blank_items("integration.notes", &integration.notes)?;
    for (i, field) in integration.fields.iter().enumerate() {
        let at = format!("integration.fields[{i}]");
        not_blank(&format!("{at}.label"), &field.label)?;
        let has_value = field.value.as_deref().is_some_and(|v| !v.trim().is_empty());
        match (field.source, has_value) {
            (FieldSource::Fixed, false) => {
                return Err(invalid(
                    &format!("{at}.value"),
                    "is missing for a field with source \"fixed\"".to_string(),
                    "give the literal value the portal expects, e.g. \"value\": \"ConnectWise\"",
                ));
            }
            (FieldSource::Fixed, true) | (_, false) => {}
            (_, true) => {
                return Err(invalid(
                    &format!("{at}.value"),
                    "is only used with source \"fixed\"; cwsetup fills this field from the source"
                        .to_string(),
                    "remove the value, or set source to \"fixed\"",
                ));
            }
        }
    }
    Ok(())
}

/// `YYYY-MM-DD` with a plausible month and day.
fn is_iso_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let number = |p: &str, len: usize| {
        (p.len() == len && p.bytes().all(|b| b.is_ascii_digit())).then(|| p.parse::<u32>().ok())?
    };
    matches!(
        (parts.as_slice(), parts.len()),
        ([y, m, d], 3)
            if number(y, 4).is_some()
                && number(m, 2).is_some_and(|m| (1..=12).contains(&m))
                && number(d, 2).is_some_and(|d| (1..=31).contains(&d))
    )
}

/// Why `probe` is not an API path relative to `apis/3.0/`, if it is not one.
fn probe_problem(probe: &str) -> Option<&'static str> {
    if probe.contains("://") {
        return Some("is a full URL, not a path");
    }
    if probe.starts_with('/') {
        return Some("starts with /");
    }
    if probe.contains('?') || probe.contains('#') {
        return Some("has a query; cwsetup adds its own");
    }
    if probe
        .split('/')
        .any(|seg| seg.is_empty() || seg == "." || seg == "..")
    {
        return Some("has an empty, . or .. segment");
    }
    if !probe
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '/' || c == '_' || c == '-')
    {
        return Some("has characters other than letters, digits, /, _ and -");
    }
    None
}

//! The checks a parsed profile must pass beyond its schema: ids, duplicates, probes, member
//! fields, portal fields. Each part of the profile has its own function, run in file order, and
//! the first problem found is the error.

use std::collections::HashMap;

use super::error::ProfileError;
use super::model::{FieldSource, Profile, RoleRow, row_key};
use crate::limits::{Limit, MEMBER_ID, MEMBER_NAME, ROLE_NAME};
use crate::permission::Level;

/// Checks what the schema cannot: ids, duplicates, probes, member fields, portal fields.
pub fn validate(name: &str, profile: &Profile) -> Result<(), ProfileError> {
    let v = Validator { name };
    v.header(profile)?;
    v.role(profile)?;
    v.member(profile)?;
    v.key(profile)?;
    v.integration(profile)
}

/// The file's name, for the errors, and the checks every part shares.
struct Validator<'a> {
    name: &'a str,
}

impl Validator<'_> {
    fn invalid(&self, field: &str, problem: String, fix: &str) -> ProfileError {
        ProfileError::Invalid {
            name: self.name.to_string(),
            position: None,
            field: field.to_string(),
            problem,
            fix: fix.to_string(),
        }
    }

    fn not_blank(&self, field: &str, value: &str) -> Result<(), ProfileError> {
        if value.trim().is_empty() {
            Err(self.invalid(
                field,
                "is empty".to_string(),
                "fill it in; every field is shown to the technician",
            ))
        } else {
            Ok(())
        }
    }

    /// What cwsetup tells a technician to type must be something ConnectWise accepts.
    fn within(&self, limit: Limit, field: &str, value: &str) -> Result<(), ProfileError> {
        match limit.problem(value) {
            Some(problem) => Err(self.invalid(
                field,
                problem,
                "shorten it: ConnectWise refuses a longer value when the technician saves the form",
            )),
            None => Ok(()),
        }
    }

    fn no_blank_items(&self, field: &str, items: &[String]) -> Result<(), ProfileError> {
        match items.iter().position(|s| s.trim().is_empty()) {
            Some(i) => Err(self.invalid(
                &format!("{field}[{i}]"),
                "is an empty entry".to_string(),
                "write the entry or remove it from the list",
            )),
            None => Ok(()),
        }
    }

    /// The id, the names shown to the technician, the links and the date, the lists at the top.
    fn header(&self, profile: &Profile) -> Result<(), ProfileError> {
        self.id(&profile.id)?;
        self.not_blank("vendor", &profile.vendor)?;
        self.not_blank("product", &profile.product)?;
        self.not_blank("description", &profile.description)?;
        if !is_web_address(&profile.docs_url) {
            return Err(self.invalid(
                "docs_url",
                format!("`{}` is not a web address", profile.docs_url),
                "give the vendor's public guide as a full https:// address (or the vendor's site)",
            ));
        }
        if let Some(source) = &profile.source_url
            && !is_web_address(source)
        {
            return Err(self.invalid(
                "source_url",
                format!("`{source}` is not a web address"),
                "give the vendor's public page the rows were read from as a full https:// address",
            ));
        }
        if let Some(as_of) = &profile.as_of
            && !is_iso_date(as_of)
        {
            return Err(self.invalid(
                "as_of",
                format!("`{as_of}` is not a date written YYYY-MM-DD"),
                "give the date the rows were read from the vendor's page, e.g. \"2026-11-27\"",
            ));
        }
        self.no_blank_items("prerequisites", &profile.prerequisites)?;
        self.no_blank_items("ip_allow_list.addresses", &profile.ip_allow_list.addresses)
    }

    /// The id is typed on the command line: lowercase letters, digits and dashes.
    fn id(&self, id: &str) -> Result<(), ProfileError> {
        if id.is_empty() {
            return Err(self.invalid(
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
            return Err(self.invalid(
                "id",
                format!("`{id}` is not usable on the command line"),
                "use only lowercase letters, digits and dashes, starting with a letter or digit, e.g. \"my-vendor-tool\"",
            ));
        }
        Ok(())
    }

    /// The role's name and lists, then each row, in order; a row listed twice is named with the
    /// index of its first copy.
    fn role(&self, profile: &Profile) -> Result<(), ProfileError> {
        let role = &profile.role;
        self.not_blank("role.recommended_name", &role.recommended_name)?;
        self.within(ROLE_NAME, "role.recommended_name", &role.recommended_name)?;
        self.no_blank_items("role.instructions", &role.instructions)?;
        self.no_blank_items("role.notes", &role.notes)?;
        let mut seen: HashMap<(String, String), usize> = HashMap::new();
        for (i, row) in role.rows.iter().enumerate() {
            self.row(i, row, &mut seen)?;
        }
        Ok(())
    }

    fn row(
        &self,
        i: usize,
        row: &RoleRow,
        seen: &mut HashMap<(String, String), usize>,
    ) -> Result<(), ProfileError> {
        let at = |field: &str| format!("role.rows[{i}].{field}");
        self.not_blank(&at("module"), &row.module)?;
        self.not_blank(&at("function"), &row.function)?;
        self.not_blank(&at("why"), &row.why)?;
        let key = (row_key(&row.module), row_key(&row.function));
        if let Some(first) = seen.insert(key, i) {
            return Err(self.invalid(
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
            return Err(self.invalid(
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
            self.probe(&at("probe"), probe, row)?;
        }
        self.no_blank_items(&at("customize"), &row.customize)?;
        super::scope::check_row(row)
            .map_err(|(field, problem, fix)| self.invalid(&at(field), problem, fix))?;
        let mut names: Vec<String> = row.customize.iter().map(|c| row_key(c)).collect();
        names.sort();
        if let Some(pair) = names.windows(2).find(|w| w[0] == w[1]) {
            return Err(self.invalid(
                &at("customize"),
                format!("lists `{}` twice", pair[0]),
                "keep each table once",
            ));
        }
        Ok(())
    }

    /// A row's probe is an API path, and proves Inquire, which the row must then grant.
    fn probe(&self, field: &str, probe: &str, row: &RoleRow) -> Result<(), ProfileError> {
        if let Some(problem) = probe_problem(probe) {
            return Err(self.invalid(
                field,
                format!("`{probe}` {problem}"),
                "give the API path relative to apis/3.0/, e.g. \"company/companies\", or remove the probe",
            ));
        }
        if row.levels.inquire == Level::None {
            return Err(self.invalid(
                field,
                "proves Inquire access, but inquire is None".to_string(),
                "set inquire to \"My\" or \"All\", or remove the probe",
            ));
        }
        Ok(())
    }

    fn member(&self, profile: &Profile) -> Result<(), ProfileError> {
        let member = &profile.member;
        self.no_blank_items("member.instructions", &member.instructions)?;
        self.not_blank("member.member_id", &member.member_id)?;
        self.within(MEMBER_ID, "member.member_id", &member.member_id)?;
        self.member_name(profile)?;
        self.not_blank("member.department", &member.department)?;
        self.not_blank("member.location", &member.location)?;
        self.not_blank("member.structure_level", &member.structure_level)?;
        self.no_blank_items("member.notes", &member.notes)
    }

    /// Either `name`, or both `first_name` and `last_name`, within ConnectWise's limit.
    fn member_name(&self, profile: &Profile) -> Result<(), ProfileError> {
        let member = &profile.member;
        let filled = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.trim().is_empty());
        match (
            filled(&member.name),
            filled(&member.first_name),
            filled(&member.last_name),
        ) {
            (true, false, false) => self.within(
                MEMBER_NAME,
                "member.name",
                member.name.as_deref().unwrap_or_default(),
            ),
            (false, true, true) => {
                // ConnectWise shows an API member's name as one field: first and last together.
                let full = format!(
                    "{} {}",
                    member.first_name.as_deref().unwrap_or_default().trim(),
                    member.last_name.as_deref().unwrap_or_default().trim()
                );
                self.within(MEMBER_NAME, "member.last_name", &full)
            }
            _ => Err(self.invalid(
                "member",
                "needs either `name`, or both `first_name` and `last_name`".to_string(),
                "give `name` (one field, as the vendor's guide calls it) or `first_name` and `last_name`, not both kinds",
            )),
        }
    }

    fn key(&self, profile: &Profile) -> Result<(), ProfileError> {
        self.no_blank_items("key.instructions", &profile.key.instructions)?;
        self.not_blank("key.description", &profile.key.description)?;
        self.no_blank_items("key.warnings", &profile.key.warnings)
    }

    /// The portal's steps and notes, and each field: a value only, and always, when fixed.
    fn integration(&self, profile: &Profile) -> Result<(), ProfileError> {
        let integration = &profile.integration;
        self.no_blank_items("integration.steps", &integration.steps)?;
        self.no_blank_items("integration.notes", &integration.notes)?;
        for (i, field) in integration.fields.iter().enumerate() {
            let at = format!("integration.fields[{i}]");
            self.not_blank(&format!("{at}.label"), &field.label)?;
            let has_value = field.value.as_deref().is_some_and(|v| !v.trim().is_empty());
            match (field.source, has_value) {
                (FieldSource::Fixed, false) => {
                    return Err(self.invalid(
                        &format!("{at}.value"),
                        "is missing for a field with source \"fixed\"".to_string(),
                        "give the literal value the portal expects, e.g. \"value\": \"ConnectWise\"",
                    ));
                }
                (FieldSource::Fixed, true) | (_, false) => {}
                (_, true) => {
                    return Err(self.invalid(
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
}

/// An http(s) address the URL parser accepts.
fn is_web_address(text: &str) -> bool {
    matches!(url::Url::parse(text), Ok(u) if u.scheme() == "https" || u.scheme() == "http")
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

//! The checks a contributed profile must pass (behind `cwsetup profiles validate FILE...`).
//!
//! Beyond what loading checks (JSON syntax, the schema, levels None/My/All, duplicate rows, ...):
//! - a `source_url` (the vendor's page the rows were read from) is required;
//! - every module and function must be known: named by a shipped profile or by the probe table
//!   ([`super::PROBES`]). A new ConnectWise function is added to the probe table (with its probe,
//!   or `None` and why) in the same change that ships the first profile naming it;
//! - an optional row says why, in the vendor's words (`"optional": "required for ..."`);
//! - a row that no read-only GET can prove gets a warning: the check confirms it from
//!   `system/mySecurity` only.

use std::collections::BTreeSet;
use std::path::Path;

use super::builtin::builtin;
use super::error::ProfileError;
use super::load::load_file;
use super::locate::locate;
use super::probes::{PROBES, name_key, probe_entry};

/// Every (module, function) cwsetup knows: the shipped profiles' rows and the probe table.
pub fn known_functions() -> BTreeSet<(String, String)> {
    let mut known: BTreeSet<(String, String)> = PROBES
        .iter()
        .map(|e| (e.module.to_string(), e.function.to_string()))
        .collect();
    for p in builtin() {
        for row in &p.role.rows {
            known.insert((
                row.module.trim().to_string(),
                row.function.trim().to_string(),
            ));
        }
    }
    known
}

fn problem(name: &str, text: &str, field: &str, problem: String, fix: &str) -> ProfileError {
    ProfileError::Invalid {
        name: name.to_string(),
        position: Some(locate(text, field).unwrap_or((1, 1))),
        field: field.to_string(),
        problem,
        fix: fix.to_string(),
    }
}

/// Loads the file and checks it as a contribution: the first problem (with file:line:column),
/// or the warnings (`FILE:LINE:COLUMN: ...`) for a valid file.
pub fn check_contribution(path: &Path) -> Result<Vec<String>, ProfileError> {
    let profile = load_file(path)?;
    let name = path.display().to_string();
    // The file loaded, so it is readable UTF-8 text.
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    if profile
        .source_url
        .as_deref()
        .is_none_or(|s| s.trim().is_empty())
    {
        return Err(problem(
            &name,
            text,
            "id",
            "has no source_url".to_string(),
            "add \"source_url\": the vendor's public page the rows were read from, and \"as_of\": the date you read it (YYYY-MM-DD)",
        ));
    }
    let known = known_functions();
    let modules: BTreeSet<String> = known.iter().map(|(m, _)| name_key(m)).collect();
    let mut warnings = Vec::new();
    for (i, row) in profile.role.rows.iter().enumerate() {
        if !modules.contains(&name_key(&row.module)) {
            return Err(problem(
                &name,
                text,
                &format!("role.rows[{i}].module"),
                format!(
                    "`{}` is not a ConnectWise module cwsetup knows",
                    row.module.trim()
                ),
                "use the module name as ConnectWise's security role screen shows it (Companies, Finance, Marketing, Procurement, Project, Sales, Service Desk, System, Time & Expense); see assets/profiles/README.md",
            ));
        }
        let is_known = known.iter().any(|(m, f)| {
            name_key(m) == name_key(&row.module) && name_key(f) == name_key(&row.function)
        });
        if !is_known {
            return Err(problem(
                &name,
                text,
                &format!("role.rows[{i}].function"),
                format!(
                    "`{}` is not a {} function cwsetup knows",
                    row.function.trim(),
                    row.module.trim()
                ),
                "use the function name exactly as ConnectWise's security role screen shows it; a function cwsetup has never seen is added to src/profile/probes.rs in the same change (see assets/profiles/README.md)",
            ));
        }
        if row.optional && row.optional_reason().is_none() {
            return Err(problem(
                &name,
                text,
                &format!("role.rows[{i}].optional"),
                format!(
                    "{} / {} is optional but gives no reason",
                    row.module.trim(),
                    row.function.trim()
                ),
                "write what stops working without the row, in the vendor's words, as the value: \"optional\": \"required for creating activities\"",
            ));
        }
        let table = probe_entry(&row.module, &row.function).and_then(|e| e.endpoint);
        if row.probe.is_none() && table.is_none() {
            let (line, column) = locate(text, &format!("role.rows[{i}]")).unwrap_or((1, 1));
            warnings.push(format!(
                "{name}:{line}:{column}: role.rows[{i}]: {} / {} has no read-only probe; the check confirms it from system/mySecurity only",
                row.module.trim(),
                row.function.trim()
            ));
        }
    }
    Ok(warnings)
}

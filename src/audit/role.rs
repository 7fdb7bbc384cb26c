//! Step 2: the security role found by name, its settings read and compared row by row with
//! the merged role, and every setting above what is needed listed.

use std::collections::HashMap;

use crate::cw::{ApiSession, CwError, SecurityRole, SecurityRow, same_security_name};
use crate::permission::{Levels, UnknownLevel};
use crate::profile::{AdminAdvice, MergedRole, MergedRow};

use super::common::{ROLES_PERMISSION, display, is_manual, manual_reason};
use super::model::*;
use super::names::similar_names;

fn texts(levels: Levels) -> LevelTexts {
    levels.map(|_, level| level.as_str().to_string())
}

/// The levels of a setting row, with any level ConnectWise spelled another way as sent.
fn row_levels(row: &SecurityRow) -> LevelTexts {
    row.levels
        .map(|column, level| match row.unknown_level(column) {
            Some(sent) => display(sent),
            None => level.as_str().to_string(),
        })
}

/// Finds `role_name` in `roles` and compares its settings with `merged`; the role found, if any.
pub(super) async fn audit_role_from(
    session: &ApiSession,
    merged: &MergedRole,
    role_name: &str,
    roles: Result<Vec<SecurityRole>, CwError>,
) -> (RoleAudit, Option<SecurityRole>) {
    let name = display(role_name.trim());
    let mut audit = RoleAudit {
        name: name.clone(),
        found: None,
        id: None,
        status: AuditStatus::Manual,
        admin: false,
        rows: Vec::new(),
        extra: Vec::new(),
        similar: Vec::new(),
        summary: String::new(),
        fix: None,
    };
    let roles = match roles {
        Ok(roles) => roles,
        Err(e) => {
            fail_or_manual(&mut audit, "the security roles", &e);
            return (audit, None);
        }
    };
    let Some(role) = roles
        .iter()
        .find(|r| same_security_name(&r.name, role_name))
        .cloned()
    else {
        role_not_found(&mut audit, role_name, &roles);
        return (audit, None);
    };
    audit.found = Some(true);
    audit.id = role.id;
    audit.admin = role.admin_flag;
    // The spec marks a role's id optional; its settings are read by id.
    let Some(role_id) = role.id else {
        audit.status = AuditStatus::Manual;
        audit.summary = format!(
            "role \"{}\" was found, but ConnectWise sent no id for it, so its settings cannot be read",
            display(&role.name)
        );
        audit.fix = Some(format!(
            "Compare System > Security Roles > {} with the rows listed by hand.",
            display(&role.name)
        ));
        return (audit, Some(role));
    };
    let settings = match session.security_role_settings(role_id).await {
        Ok(settings) => settings,
        Err(e) => {
            fail_or_manual(&mut audit, "the role's settings", &e);
            return (audit, Some(role));
        }
    };
    compare_rows(&mut audit, &merged.rows, &settings);
    judge_role(&mut audit, &role, role_id, merged.admin);
    (audit, Some(role))
}

/// No role has the name: a failure that lists close names, if any, and how to create it.
fn role_not_found(audit: &mut RoleAudit, role_name: &str, roles: &[SecurityRole]) {
    let name = &audit.name;
    audit.found = Some(false);
    audit.status = AuditStatus::Fail;
    audit.similar = similar_names(role_name, roles.iter().map(|r| r.name.as_str()));
    audit.summary = if audit.similar.is_empty() {
        format!("no security role is named \"{name}\"")
    } else {
        format!(
            "no security role is named \"{name}\"; close names: {}",
            audit
                .similar
                .iter()
                .map(|n| format!("\"{n}\""))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    audit.fix = Some(format!(
        "Create the role in System > Security Roles > + with Role ID \"{}\", or give the name of the role you made.",
        audit.name
    ));
}

/// The compared rows grouped by outcome, as the status, summary and fix need them.
struct RowOutcomes<'a> {
    /// Required rows below what is needed.
    failed: Vec<&'a RowAudit>,
    /// Optional rows below what is needed: only a warning.
    optional_failed: Vec<&'a RowAudit>,
    /// Rows with a level cwsetup does not know.
    unknown: usize,
    /// Setup-only levels not (or no longer) granted.
    lowered: usize,
    passed: usize,
    /// "Module / Function" of each row granting more than needed now that setup is done.
    since_setup: Vec<String>,
}

impl<'a> RowOutcomes<'a> {
    fn of(rows: &'a [RowAudit]) -> Self {
        let count = |status: AuditStatus| rows.iter().filter(|r| r.status == status).count();
        RowOutcomes {
            failed: rows
                .iter()
                .filter(|r| r.status == AuditStatus::Fail && !r.optional)
                .collect(),
            optional_failed: rows
                .iter()
                .filter(|r| r.status == AuditStatus::Fail && r.optional)
                .collect(),
            unknown: count(AuditStatus::Manual),
            lowered: count(AuditStatus::Warn),
            passed: count(AuditStatus::Pass),
            since_setup: rows
                .iter()
                .filter(|r| r.since_setup.is_some())
                .map(|r| format!("{} / {}", r.module, r.function))
                .collect(),
        }
    }
}

/// The found role's status, summary and fix from its compared rows and its Admin flag.
fn judge_role(audit: &mut RoleAudit, role: &SecurityRole, role_id: i64, advice: AdminAdvice) {
    let outcomes = RowOutcomes::of(&audit.rows);
    let admin_discouraged = role.admin_flag && advice == AdminAdvice::Discouraged;
    let status = if !outcomes.failed.is_empty() {
        AuditStatus::Fail
    } else if !outcomes.optional_failed.is_empty()
        || outcomes.unknown > 0
        || outcomes.lowered > 0
        || admin_discouraged
    {
        AuditStatus::Warn
    } else {
        AuditStatus::Pass
    };
    let summary = role_summary(audit, role, role_id, &outcomes);
    let fix = role_fix(role, &outcomes, admin_discouraged);
    audit.status = status;
    audit.summary = summary;
    audit.fix = fix;
}

fn role_summary(
    audit: &RoleAudit,
    role: &SecurityRole,
    role_id: i64,
    outcomes: &RowOutcomes,
) -> String {
    let mut summary = format!(
        "role \"{}\" (id {role_id}): {} of {} rows as needed",
        display(&role.name),
        outcomes.passed,
        audit.rows.len()
    );
    if !audit.extra.is_empty() {
        summary.push_str(&format!("; {} more than needed", audit.extra.len()));
    }
    if !outcomes.since_setup.is_empty() {
        summary.push_str(&format!(
            "; {} more than needed since setup",
            outcomes.since_setup.len()
        ));
    }
    if role.admin_flag {
        summary.push_str("; Admin: every function");
    }
    summary
}

/// One sentence per kind of problem, in a fixed order; `None` when there is nothing to do.
fn role_fix(
    role: &SecurityRole,
    outcomes: &RowOutcomes,
    admin_discouraged: bool,
) -> Option<String> {
    let place = format!("System > Security Roles > {}", display(&role.name));
    let mut fix = Vec::new();
    if !outcomes.failed.is_empty() {
        fix.push(format!(
            "In {place}, raise: {}. Save the role.",
            outcomes
                .failed
                .iter()
                .map(|r| format!(
                    "{} / {} ({})",
                    r.module,
                    r.function,
                    r.detail.as_deref().unwrap_or("")
                ))
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    if !outcomes.optional_failed.is_empty() {
        fix.push(optional_fix(&outcomes.optional_failed, &place));
    }
    if outcomes.unknown > 0 {
        fix.push(format!(
            "Rows marked ? have a level cwsetup does not know: confirm them in {place}."
        ));
    }
    if !outcomes.since_setup.is_empty() {
        fix.push(format!(
            "Once the vendor's setup is done, lower in {place}: {} (see each row).",
            outcomes.since_setup.join(", ")
        ));
    }
    if admin_discouraged {
        fix.push("Admin: every function. The selected profile discourages the Admin role: make a role with only the rows listed and give it to the API member.".to_string());
    }
    (!fix.is_empty()).then(|| fix.join(" "))
}

/// A warning that names what stops working, never a failure.
fn optional_fix(optional_failed: &[&RowAudit], place: &str) -> String {
    format!(
        "Optional, so only a warning: {}. Raise {} in {place} only if you want what the vendor names.",
        optional_failed
            .iter()
            .map(|r| {
                let because = if r.optional_because.is_empty() {
                    String::new()
                } else {
                    format!(", {}", r.optional_because.join("; "))
                };
                format!("{} / {}{because}", r.module, r.function)
            })
            .collect::<Vec<_>>()
            .join("; "),
        if optional_failed.len() == 1 {
            "it"
        } else {
            "them"
        }
    )
}

fn fail_or_manual(audit: &mut RoleAudit, what: &str, e: &CwError) {
    if is_manual(e) {
        let (summary, fix) = manual_reason(what, ROLES_PERMISSION, e);
        audit.status = AuditStatus::Manual;
        audit.summary = summary;
        audit.fix = Some(fix);
    } else {
        audit.status = AuditStatus::Fail;
        audit.summary = format!("could not read {what}: {e}");
        audit.fix = Some(e.fix());
    }
}

/// Each needed row against the role's setting, and every setting above what is needed.
fn compare_rows(audit: &mut RoleAudit, wanted: &[MergedRow], settings: &[SecurityRow]) {
    // Maps keyed by the normalized names (as `same_security_name` compares them), the first row
    // of each name kept: one lookup per row instead of a search of the other list.
    let key = |module: &str, function: &str| {
        (module.trim().to_lowercase(), function.trim().to_lowercase())
    };
    let mut by_name: HashMap<(String, String), &SecurityRow> = HashMap::new();
    for s in settings {
        by_name
            .entry(key(&s.module_name, &s.function_name))
            .or_insert(s);
    }
    let mut wanted_by_name: HashMap<(String, String), &MergedRow> = HashMap::new();
    for w in wanted {
        wanted_by_name
            .entry(key(&w.module, &w.function))
            .or_insert(w);
    }
    for row in wanted {
        let setting = by_name.get(&key(&row.module, &row.function)).copied();
        let want = texts(row.levels);
        let (have, status, detail) = match setting {
            None => (
                texts(Levels::NONE),
                AuditStatus::Fail,
                Some(format!(
                    "not in the role (every level None); needs {}",
                    row.levels.describe()
                )),
            ),
            Some(s) => {
                // A level only the vendor's setup needs may already be lowered: below it is a
                // warning, below what stays after setup a failure.
                let needed = row
                    .setup_only
                    .as_ref()
                    .map_or(row.levels, |setup| setup.after_setup);
                let low: Vec<String> = s
                    .shortfalls(&needed)
                    .map(|short| short.to_string())
                    .collect();
                let lowered: Vec<String> = s
                    .shortfalls(&row.levels)
                    .map(|short| short.to_string())
                    .collect();
                let unknown: Vec<String> = s
                    .unknown_needed(&row.levels)
                    .map(|u| {
                        UnknownLevel {
                            sent: &display(u.sent),
                            ..u
                        }
                        .to_string()
                    })
                    .collect();
                if !low.is_empty() {
                    (row_levels(s), AuditStatus::Fail, Some(low.join("; ")))
                } else if !unknown.is_empty() {
                    (row_levels(s), AuditStatus::Manual, Some(unknown.join("; ")))
                } else if !lowered.is_empty() {
                    (
                        row_levels(s),
                        AuditStatus::Warn,
                        Some(format!(
                            "{}: needed only while the vendor's setup runs; fine once it is done",
                            lowered.join("; ")
                        )),
                    )
                } else {
                    (row_levels(s), AuditStatus::Pass, None)
                }
            }
        };
        audit.rows.push(RowAudit {
            module: display(&row.module),
            function: display(&row.function),
            want,
            have,
            status,
            detail,
            optional: row.optional,
            optional_because: row.optional_because.iter().map(|r| display(r)).collect(),
            since_setup: setting.and_then(|s| super::since_setup::since_setup(row, s)),
        });
    }
    for s in settings {
        let need = wanted_by_name.get(&key(&s.module_name, &s.function_name));
        let want = need.map_or(Levels::NONE, |w| w.levels);
        if !want.covers(&s.levels) {
            audit.extra.push(ExtraRow {
                module: display(&s.module_name),
                function: display(&s.function_name),
                have: row_levels(s),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_missing_from_the_settings_fails_and_extras_are_listed() {
        let merged = crate::profile::merge(&[crate::profile::find("sync365").expect("shipped")]);
        let mut audit = RoleAudit {
            name: "x".into(),
            found: Some(true),
            id: Some(1),
            status: AuditStatus::Pass,
            admin: false,
            rows: Vec::new(),
            extra: Vec::new(),
            similar: Vec::new(),
            summary: String::new(),
            fix: None,
        };
        let settings: Vec<SecurityRow> = serde_json::from_str(
            r#"[{"moduleName":" companies ","moduleFunctionName":"COMPANY MAINTENANCE","addLevel":"All","editLevel":"None","deleteLevel":"None","inquireLevel":"All"},
                {"moduleName":"Service Desk","moduleFunctionName":"Service Tickets","inquireLevel":"My"}]"#,
        )
        .expect("rows");
        compare_rows(&mut audit, &merged.rows, &settings);
        let company = &audit.rows[0];
        assert_eq!(company.status, AuditStatus::Pass, "{company:?}");
        let contacts = audit
            .rows
            .iter()
            .find(|r| r.function == "Contacts")
            .expect("row");
        assert_eq!(contacts.status, AuditStatus::Fail);
        assert!(
            contacts
                .detail
                .as_deref()
                .unwrap_or("")
                .contains("not in the role")
        );
        let extra: Vec<&str> = audit.extra.iter().map(|e| e.function.as_str()).collect();
        assert_eq!(extra, ["COMPANY MAINTENANCE", "Service Tickets"]);
    }
}

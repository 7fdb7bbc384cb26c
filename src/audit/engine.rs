//! Reads the role and the API member with the technician's own keys and compares them with the
//! merged role. Read-only: nothing is written to ConnectWise.

use crate::cw::{
    ApiMember, ApiSession, CwError, Reference, SecurityRole, SecurityRow, same_security_name,
};
use crate::profile::{AdminAdvice, Level, MergedRole, MergedRow};

use super::model::*;

/// Where the technician finds what the audit reads, and the permission each read needs.
const ROLES_PERMISSION: &str = "System > Security Roles";
const MEMBERS_PERMISSION: &str = "System > Member Maintenance";

/// Server text on its way into a report: one place, so every name is cleaned the same way.
fn display(text: &str) -> String {
    crate::cw::error::clean_text(text)
}

/// Audits step 2 (the role called `role_name`) and step 3 (the API member `member`) against
/// `merged`. The two reads run at once.
pub async fn audit(
    session: &ApiSession,
    merged: &MergedRole,
    role_name: &str,
    member: &str,
) -> AuditReport {
    let (roles, members) = tokio::join!(
        session.security_roles(),
        session.api_members_by_identifier(member)
    );
    let (role, found_role) = audit_role_from(session, merged, role_name, roles).await;
    let member = audit_member_from(members, member, role_name, found_role.as_ref(), merged);
    report(role, member, merged)
}

/// Step 2 alone.
pub async fn audit_role(session: &ApiSession, merged: &MergedRole, role_name: &str) -> RoleAudit {
    let roles = session.security_roles().await;
    audit_role_from(session, merged, role_name, roles).await.0
}

/// Step 3 alone; `role_name` is the role the member should have.
pub async fn audit_member(
    session: &ApiSession,
    merged: &MergedRole,
    role_name: &str,
    member: &str,
) -> MemberAudit {
    let (roles, members) = tokio::join!(
        session.security_roles(),
        session.api_members_by_identifier(member)
    );
    let role = roles.ok().and_then(|roles| {
        roles
            .into_iter()
            .find(|r| same_security_name(&r.name, role_name))
    });
    audit_member_from(members, member, role_name, role.as_ref(), merged)
}

/// The whole report: the verdict is the worst part (`manual` counts as `warn`).
fn report(role: RoleAudit, member: MemberAudit, merged: &MergedRole) -> AuditReport {
    let mut notes = Vec::new();
    if role.admin && merged.admin == AdminAdvice::Acceptable {
        notes.push(format!(
            "Admin: every function. The role \"{}\" is an Admin role; the selected profile accepts it, though a role with only the rows listed is the least privilege.",
            role.name
        ));
    }
    let verdict = Verdict::from(role.status.max(member.status));
    AuditReport {
        verdict,
        role,
        member,
        notes,
    }
}

fn levels(add: Level, edit: Level, delete: Level, inquire: Level) -> Levels {
    Levels {
        add: add.as_str().to_string(),
        edit: edit.as_str().to_string(),
        delete: delete.as_str().to_string(),
        inquire: inquire.as_str().to_string(),
    }
}

/// The levels of a setting row, with any level ConnectWise spelled another way as sent.
fn row_levels(row: &SecurityRow) -> Levels {
    let text = |which: &str, level: Level| match row.unknown_level(which) {
        Some(sent) => display(sent),
        None => level.as_str().to_string(),
    };
    Levels {
        add: text("Add", row.add),
        edit: text("Edit", row.edit),
        delete: text("Delete", row.delete),
        inquire: text("Inquire", row.inquire),
    }
}

/// "your keys cannot read X": the step stays manual, with the permission that would allow it.
fn manual_reason(what: &str, permission: &str, e: &CwError) -> (String, String) {
    (
        format!(
            "could not read {what} with your keys ({}); check this step by hand",
            e.label()
        ),
        format!(
            "To have cwsetup check it, your own API member's role needs {permission} (Inquire All): System > Security Roles > (your role) > System > {}. Until then, compare by hand.",
            permission.rsplit(" > ").next().unwrap_or(permission)
        ),
    )
}

fn is_manual(e: &CwError) -> bool {
    matches!(e, CwError::Forbidden { .. })
}

/// Role names close to `wanted`: same letters and digits, one containing the other, or a small
/// edit distance; closest first, at most 5.
pub fn similar_names<'a>(wanted: &str, names: impl Iterator<Item = &'a str>) -> Vec<String> {
    let norm = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let want = norm(wanted);
    let limit = (want.chars().count() / 4).max(2);
    let mut scored: Vec<(usize, String)> = names
        .filter_map(|name| {
            let have = norm(name);
            if have.is_empty() || want.is_empty() {
                return None;
            }
            let distance = edit_distance(&want, &have);
            let close = distance <= limit || have.contains(&want) || want.contains(&have);
            close.then(|| (distance, display(name)))
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(5).map(|(_, name)| name).collect()
}

/// Levenshtein distance over characters, bounded in cost by the short inputs it gets.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().take(100).collect();
    let b: Vec<char> = b.chars().take(100).collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != cb);
            current.push(substitute.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

async fn audit_role_from(
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
            "Create the role in System > Security Roles > + with Role ID \"{name}\", or give the name of the role you made."
        ));
        return (audit, None);
    };
    audit.found = Some(true);
    audit.id = Some(role.id);
    audit.admin = role.admin_flag;
    let settings = match session.security_role_settings(role.id).await {
        Ok(settings) => settings,
        Err(e) => {
            fail_or_manual(&mut audit, "the role's settings", &e);
            return (audit, Some(role));
        }
    };
    compare_rows(&mut audit, &merged.rows, &settings);
    let failed: Vec<&RowAudit> = audit
        .rows
        .iter()
        .filter(|r| r.status == AuditStatus::Fail && !r.optional)
        .collect();
    let optional_failed = audit
        .rows
        .iter()
        .filter(|r| r.status == AuditStatus::Fail && r.optional)
        .count();
    let unknown = audit
        .rows
        .iter()
        .filter(|r| r.status == AuditStatus::Manual)
        .count();
    let passed = audit
        .rows
        .iter()
        .filter(|r| r.status == AuditStatus::Pass)
        .count();
    let admin_discouraged = role.admin_flag && merged.admin == AdminAdvice::Discouraged;
    audit.status = if !failed.is_empty() {
        AuditStatus::Fail
    } else if optional_failed > 0 || unknown > 0 || admin_discouraged {
        AuditStatus::Warn
    } else {
        AuditStatus::Pass
    };
    let mut summary = format!(
        "role \"{}\" (id {}): {passed} of {} rows as needed",
        display(&role.name),
        role.id,
        audit.rows.len()
    );
    if !audit.extra.is_empty() {
        summary.push_str(&format!("; {} more than needed", audit.extra.len()));
    }
    if role.admin_flag {
        summary.push_str("; Admin: every function");
    }
    audit.summary = summary;
    let place = format!("System > Security Roles > {}", display(&role.name));
    let mut fix = Vec::new();
    if !failed.is_empty() {
        fix.push(format!(
            "In {place}, raise: {}. Save the role.",
            failed
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
    if unknown > 0 {
        fix.push(format!(
            "Rows marked ? have a level cwsetup does not know: confirm them in {place}."
        ));
    }
    if admin_discouraged {
        fix.push("Admin: every function. The selected profile discourages the Admin role: make a role with only the rows listed and give it to the API member.".to_string());
    }
    audit.fix = (!fix.is_empty()).then(|| fix.join(" "));
    (audit, Some(role))
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
    let find = |module: &str, function: &str| {
        settings.iter().find(|s| {
            same_security_name(&s.module_name, module)
                && same_security_name(&s.function_name, function)
        })
    };
    for row in wanted {
        let setting = find(&row.module, &row.function);
        let want = levels(row.add, row.edit, row.delete, row.inquire);
        let (have, status, detail) = match setting {
            None => (
                levels(Level::None, Level::None, Level::None, Level::None),
                AuditStatus::Fail,
                Some(format!(
                    "not in the role (every level None); needs {}",
                    crate::check::describe_levels(row.add, row.edit, row.delete, row.inquire)
                )),
            ),
            Some(s) => {
                let columns = [
                    ("Add", row.add, s.add),
                    ("Edit", row.edit, s.edit),
                    ("Delete", row.delete, s.delete),
                    ("Inquire", row.inquire, s.inquire),
                ];
                let low: Vec<String> = columns
                    .iter()
                    .filter(|(name, need, got)| got < need && s.unknown_level(name).is_none())
                    .map(|(name, need, got)| format!("{name} level is {got}, needs {need}"))
                    .collect();
                let unknown: Vec<String> = columns
                    .iter()
                    .filter(|(_, need, _)| *need != Level::None)
                    .filter_map(|(name, need, _)| {
                        s.unknown_level(name).map(|text| {
                            format!("{name} level is \"{}\" (needs {need})", display(text))
                        })
                    })
                    .collect();
                if !low.is_empty() {
                    (row_levels(s), AuditStatus::Fail, Some(low.join("; ")))
                } else if !unknown.is_empty() {
                    (row_levels(s), AuditStatus::Manual, Some(unknown.join("; ")))
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
        });
    }
    for s in settings {
        let need = wanted.iter().find(|w| {
            same_security_name(&w.module, &s.module_name)
                && same_security_name(&w.function, &s.function_name)
        });
        let (add, edit, delete, inquire) = need
            .map_or((Level::None, Level::None, Level::None, Level::None), |w| {
                (w.add, w.edit, w.delete, w.inquire)
            });
        let beyond = s.add > add || s.edit > edit || s.delete > delete || s.inquire > inquire;
        if beyond {
            audit.extra.push(ExtraRow {
                module: display(&s.module_name),
                function: display(&s.function_name),
                have: row_levels(s),
            });
        }
    }
}

fn check(
    id: &'static str,
    status: AuditStatus,
    have: String,
    want: String,
    fix: &str,
) -> MemberCheck {
    MemberCheck {
        id,
        status,
        have,
        want,
        fix: if status == AuditStatus::Pass {
            String::new()
        } else {
            fix.to_string()
        },
    }
}

fn reference_text(r: &Option<Reference>) -> Option<String> {
    r.as_ref().map(|r| match &r.name {
        Some(name) if !name.trim().is_empty() => display(name),
        _ => format!("id {}", r.id),
    })
}

/// The member's Level is the top one: id 1 or named Corporate (ConnectWise's top level unless
/// renamed; a renamed top level with another id reads as lower, and only warns).
fn is_top_level(level: &Reference) -> bool {
    level.id == 1
        || level
            .name
            .as_deref()
            .is_some_and(|n| same_security_name(n, "Corporate"))
}

fn audit_member_from(
    members: Result<Vec<ApiMember>, CwError>,
    identifier: &str,
    role_name: &str,
    role: Option<&SecurityRole>,
    merged: &MergedRole,
) -> MemberAudit {
    let identifier_text = display(identifier.trim());
    let mut audit = MemberAudit {
        identifier: identifier_text.clone(),
        found: None,
        id: None,
        status: AuditStatus::Manual,
        checks: Vec::new(),
        summary: String::new(),
        fix: None,
    };
    let members = match members {
        Ok(m) => m,
        Err(e) if is_manual(&e) => {
            let (summary, fix) = manual_reason("the API members", MEMBERS_PERMISSION, &e);
            audit.summary = summary;
            audit.fix = Some(fix);
            return audit;
        }
        Err(e) => {
            audit.status = AuditStatus::Fail;
            audit.summary = format!("could not read the API members: {e}");
            audit.fix = Some(e.fix());
            return audit;
        }
    };
    let place = format!("System > Members > API Members > {identifier_text}");
    let Some(member) = members
        .into_iter()
        .find(|m| same_security_name(&m.identifier, identifier))
    else {
        audit.found = Some(false);
        audit.status = AuditStatus::Fail;
        audit.checks.push(check(
            "exists",
            AuditStatus::Fail,
            "no API member with this identifier".into(),
            format!("an API member with Member ID {identifier_text}"),
            &format!(
                "Create it in System > Members > API Members > + with Member ID {identifier_text}, or give the Member ID you used."
            ),
        ));
        audit.summary = format!("no API member \"{identifier_text}\"");
        audit.fix = Some(audit.checks[0].fix.clone());
        return audit;
    };
    audit.found = Some(true);
    audit.id = Some(member.id);
    audit.checks.push(check(
        "exists",
        AuditStatus::Pass,
        format!("{} (id {})", display(&member.identifier), member.id),
        format!("an API member with Member ID {identifier_text}"),
        "",
    ));
    audit.checks.push(check(
        "active",
        if member.inactive_flag {
            AuditStatus::Fail
        } else {
            AuditStatus::Pass
        },
        if member.inactive_flag {
            "inactive"
        } else {
            "active"
        }
        .into(),
        "active".into(),
        &format!("Open {place}, clear Inactive, and Save: an inactive member's keys get 401."),
    ));

    let wanted_role = role.map_or_else(|| display(role_name.trim()), |r| display(&r.name));
    let role_check = match &member.security_role {
        None => check(
            "role",
            AuditStatus::Fail,
            "no role".into(),
            wanted_role.clone(),
            &format!("Open {place} and set Role ID to {wanted_role}."),
        ),
        Some(have) => {
            let have_text = reference_text(&member.security_role).unwrap_or_default();
            let same = match role {
                Some(r) => have.id == r.id,
                None => have
                    .name
                    .as_deref()
                    .is_some_and(|n| same_security_name(n, role_name)),
            };
            let is_admin = have
                .name
                .as_deref()
                .is_some_and(|n| same_security_name(n, "Admin"));
            if same {
                check(
                    "role",
                    AuditStatus::Pass,
                    have_text,
                    wanted_role.clone(),
                    "",
                )
            } else if is_admin && merged.admin == AdminAdvice::Acceptable {
                check(
                    "role",
                    AuditStatus::Warn,
                    have_text,
                    wanted_role.clone(),
                    &format!(
                        "Admin: every function. The vendor accepts it, but {wanted_role} grants only what it needs: set Role ID to {wanted_role} in {place}."
                    ),
                )
            } else {
                check(
                    "role",
                    AuditStatus::Fail,
                    have_text,
                    wanted_role.clone(),
                    &format!("Open {place}, set Role ID to {wanted_role}, and Save."),
                )
            }
        }
    };
    audit.checks.push(role_check);

    let level_check = match &member.structure_level {
        Some(level) if is_top_level(level) => check(
            "level",
            AuditStatus::Pass,
            reference_text(&member.structure_level).unwrap_or_default(),
            "Corporate (the top level)".into(),
            "",
        ),
        Some(_) => check(
            "level",
            AuditStatus::Warn,
            reference_text(&member.structure_level).unwrap_or_default(),
            "Corporate (the top level)".into(),
            &format!(
                "A member at a lower Level silently sees only the records inside that Level, so customers and agreements go missing without an error. Open {place} and set Level to Corporate (level 1)."
            ),
        ),
        None => check(
            "level",
            AuditStatus::Warn,
            "not reported".into(),
            "Corporate (the top level)".into(),
            &format!(
                "ConnectWise did not report the member's Level: confirm in {place} that it is Corporate; a lower Level silently hides records."
            ),
        ),
    };
    audit.checks.push(level_check);

    let location = reference_text(&member.default_location)
        .or_else(|| reference_text(&member.security_location));
    audit.checks.push(check(
        "location",
        if location.is_some() {
            AuditStatus::Pass
        } else {
            AuditStatus::Fail
        },
        location.unwrap_or_else(|| "not set".into()),
        "a location".into(),
        &format!("Open {place}, choose a Location, and Save."),
    ));
    let department = reference_text(&member.default_department);
    audit.checks.push(check(
        "department",
        if department.is_some() {
            AuditStatus::Pass
        } else {
            AuditStatus::Fail
        },
        department.unwrap_or_else(|| "not set".into()),
        "a department without restrictions (e.g. Admin)".into(),
        &format!("Open {place}, choose a Department, and Save."),
    ));

    audit.status = audit
        .checks
        .iter()
        .map(|c| c.status)
        .max()
        .unwrap_or(AuditStatus::Pass);
    let problems: Vec<&MemberCheck> = audit
        .checks
        .iter()
        .filter(|c| c.status != AuditStatus::Pass)
        .collect();
    audit.summary = if problems.is_empty() {
        format!(
            "API member \"{}\": active, role {wanted_role}, Corporate, location and department set",
            display(&member.identifier)
        )
    } else {
        format!(
            "API member \"{}\": {}",
            display(&member.identifier),
            problems
                .iter()
                .map(|c| format!("{} is {}", c.id, c.have))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    audit.fix = (!problems.is_empty()).then(|| {
        problems
            .iter()
            .map(|c| c.fix.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    });
    audit
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_role_names_are_suggested_closest_first() {
        let names = [
            "Admin",
            "Sync365 API",
            "Technician",
            "Sync 365 API role",
            "Sales",
        ];
        let close = similar_names("Sync 365 API", names.iter().copied());
        assert_eq!(close, ["Sync365 API", "Sync 365 API role"]);
        assert!(similar_names("Finance", names.iter().copied()).is_empty());
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

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

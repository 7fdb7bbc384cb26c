//! Step 3: the API member found by its identifier, and its fields checked one by one (active,
//! role, Level, location, department, excluded service boards).

use crate::cw::{ApiMember, CwError, Reference, SecurityRole, same_security_name};
use crate::profile::{AdminAdvice, MergedRole};

use super::common::{MEMBERS_PERMISSION, display, is_manual, manual_reason};
use super::model::*;

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
pub fn is_top_level(level: &Reference) -> bool {
    level.id == 1
        || level
            .name
            .as_deref()
            .is_some_and(|n| same_security_name(n, "Corporate"))
}

/// Finds `identifier` in `members` and checks its fields; `role` is the role found in step 2.
pub(super) fn audit_member_from(
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
        Err(e) => return unreadable(audit, &e),
    };
    let place = format!("System > Members > API Members > {identifier_text}");
    let Some(member) = members
        .into_iter()
        .find(|m| same_security_name(&m.identifier, identifier))
    else {
        return not_found(audit, &identifier_text);
    };
    audit.found = Some(true);
    audit.id = member.id;
    audit.checks.push(exists_check(&member, &identifier_text));
    audit.checks.push(active_check(&member, &place));
    let wanted_role = role.map_or_else(|| display(role_name.trim()), |r| display(&r.name));
    audit.checks.push(role_check(
        &member,
        role_name,
        role,
        merged,
        &wanted_role,
        &place,
    ));
    audit.checks.push(level_check(&member, &place));
    audit.checks.push(location_check(&member, &place));
    audit.checks.push(department_check(&member, &place));
    audit.checks.push(boards_check(&member, merged, &place));
    summarize(&mut audit, &member, &wanted_role);
    audit
}

/// The members could not be read: manual when the key may not list them, else a failure.
fn unreadable(mut audit: MemberAudit, e: &CwError) -> MemberAudit {
    if is_manual(e) {
        let (summary, fix) = manual_reason("the API members", MEMBERS_PERMISSION, e);
        audit.summary = summary;
        audit.fix = Some(fix);
    } else {
        audit.status = AuditStatus::Fail;
        audit.summary = format!("could not read the API members: {e}");
        audit.fix = Some(e.fix());
    }
    audit
}

/// No member has the identifier: the one failed check says how to create it.
fn not_found(mut audit: MemberAudit, identifier_text: &str) -> MemberAudit {
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
    audit
}

fn exists_check(member: &ApiMember, identifier_text: &str) -> MemberCheck {
    // The spec marks an API member's id optional: shown when sent.
    let id_text = member
        .id
        .map(|id| format!(" (id {id})"))
        .unwrap_or_default();
    check(
        "exists",
        AuditStatus::Pass,
        format!("{}{id_text}", display(&member.identifier)),
        format!("an API member with Member ID {identifier_text}"),
        "",
    )
}

fn active_check(member: &ApiMember, place: &str) -> MemberCheck {
    check(
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
    )
}

/// The member's role against the wanted one (`role` when step 2 found it, else `role_name`);
/// Admin only warns when the vendor accepts it.
fn role_check(
    member: &ApiMember,
    role_name: &str,
    role: Option<&SecurityRole>,
    merged: &MergedRole,
    wanted_role: &str,
    place: &str,
) -> MemberCheck {
    let Some(have) = &member.security_role else {
        return check(
            "role",
            AuditStatus::Fail,
            "no role".into(),
            wanted_role.to_string(),
            &format!("Open {place} and set Role ID to {wanted_role}."),
        );
    };
    let have_text = reference_text(&member.security_role).unwrap_or_default();
    let is_admin = have
        .name
        .as_deref()
        .is_some_and(|n| same_security_name(n, "Admin"));
    if same_role(have, role_name, role) {
        check(
            "role",
            AuditStatus::Pass,
            have_text,
            wanted_role.to_string(),
            "",
        )
    } else if is_admin && merged.admin == AdminAdvice::Acceptable {
        check(
            "role",
            AuditStatus::Warn,
            have_text,
            wanted_role.to_string(),
            &format!(
                "Admin: every function. The vendor accepts it, but {wanted_role} grants only what it needs: set Role ID to {wanted_role} in {place}."
            ),
        )
    } else {
        check(
            "role",
            AuditStatus::Fail,
            have_text,
            wanted_role.to_string(),
            &format!("Open {place}, set Role ID to {wanted_role}, and Save."),
        )
    }
}

/// The member's role is the wanted one: by id when step 2 found the role with one, else by name.
fn same_role(have: &Reference, role_name: &str, role: Option<&SecurityRole>) -> bool {
    match role {
        // A role sent without an id (the spec allows it) is matched by name.
        Some(r) => match r.id {
            Some(id) => have.id == id,
            None => have
                .name
                .as_deref()
                .is_some_and(|n| same_security_name(n, &r.name)),
        },
        None => have
            .name
            .as_deref()
            .is_some_and(|n| same_security_name(n, role_name)),
    }
}

/// The member's Level, with the location at that Level (`securityLocation`) when sent:
/// "Location 2 (Tampa Office)".
fn level_text(member: &ApiMember) -> String {
    let level = reference_text(&member.structure_level).unwrap_or_default();
    match reference_text(&member.security_location) {
        Some(location)
            if member
                .structure_level
                .as_ref()
                .is_some_and(|l| !is_top_level(l)) =>
        {
            format!("{level} ({location})")
        }
        _ => level,
    }
}

fn level_check(member: &ApiMember, place: &str) -> MemberCheck {
    match &member.structure_level {
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
            level_text(member),
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
    }
}

/// The member's location: the one at its Level (`securityLocation`) and its default location,
/// both named when they differ.
fn location_check(member: &ApiMember, place: &str) -> MemberCheck {
    let security = reference_text(&member.security_location);
    let default = reference_text(&member.default_location);
    let location = match (security, default) {
        (Some(s), Some(d)) if s != d => Some(format!("{s} (default location {d})")),
        (Some(s), _) => Some(s),
        (None, d) => d,
    };
    check(
        "location",
        if location.is_some() {
            AuditStatus::Pass
        } else {
            AuditStatus::Fail
        },
        location.unwrap_or_else(|| "not set".into()),
        "a location".into(),
        &format!("Open {place}, choose a Location, and Save."),
    )
}

fn department_check(member: &ApiMember, place: &str) -> MemberCheck {
    let department = reference_text(&member.default_department);
    check(
        "department",
        if department.is_some() {
            AuditStatus::Pass
        } else {
            AuditStatus::Fail
        },
        department.unwrap_or_else(|| "not set".into()),
        "a department without restrictions (e.g. Admin)".into(),
        &format!("Open {place}, choose a Department, and Save."),
    )
}

/// Excluded service boards (the member's Service Defaults): tickets on them are hidden from the
/// member's keys without an error. A warning when the vendor works with tickets (a Service Desk
/// row in its role), else only named.
fn boards_check(member: &ApiMember, merged: &MergedRole, place: &str) -> MemberCheck {
    let boards = &member.excluded_service_board_ids;
    let want = "no excluded service board".to_string();
    if boards.is_empty() {
        return check(
            "boards",
            AuditStatus::Pass,
            "none excluded".into(),
            want,
            "",
        );
    }
    let named = boards
        .iter()
        .map(|id| format!("board id {id}"))
        .collect::<Vec<_>>()
        .join(", ");
    let tickets = merged
        .rows
        .iter()
        .any(|r| same_security_name(&r.module, "Service Desk"));
    if !tickets {
        return check(
            "boards",
            AuditStatus::Pass,
            format!("excluded: {named} (the vendor works with no tickets)"),
            want,
            "",
        );
    }
    check(
        "boards",
        AuditStatus::Warn,
        format!("excluded: {named}"),
        want,
        &format!(
            "The vendor works with tickets, and tickets on excluded boards are hidden from the member's keys without an error. Open {place} > Service Defaults, clear Excluded Service Boards ({named}), and Save, unless hiding them is intended."
        ),
    )
}

/// The worst check's status, a one-line summary naming each problem, and the problems' fixes.
fn summarize(audit: &mut MemberAudit, member: &ApiMember, wanted_role: &str) {
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
}

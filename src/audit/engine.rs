//! Reads the role and the API member with the technician's own keys and compares them with the
//! merged role. Read-only: nothing is written to ConnectWise.
//!
//! This file holds the reads and the whole report; [`super::role`] judges step 2,
//! [`super::member`] step 3, [`super::names`] suggests close role names, and [`super::common`]
//! holds what they share.

use crate::cw::{ApiSession, same_security_name};
use crate::profile::{AdminAdvice, MergedRole};

use super::member::audit_member_from;
use super::model::*;
use super::role::audit_role_from;

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

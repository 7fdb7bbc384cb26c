//! The reads of `cwsetup members` and the report built from them. Read-only.
//!
//! After companyinfo (see [`super::run`]), two waves: the API members and the security roles at
//! once (each list all pages), then the settings of every role a member has, at most
//! [`SETTINGS_AT_ONCE`] at a time and each role once, however many members share it.

use std::collections::{BTreeMap, BTreeSet};

use futures::stream::{self, StreamExt};

use crate::cw::{ApiMember, ApiSession, CwError, SecurityRole, SecurityRow, same_security_name};
use crate::profile::Profile;

use super::findings::{RoleFacts, judge, reference_text};
use super::matching::{Comparison, compare_all};
use super::model::{ManualPart, MembersReport, RoleEntry, Verdict};

/// How many roles' settings are read at once, and the client's cap for the run: 40 roles take
/// 3 waves (at 8, the client's default, they took 5; see BENCHMARKS.md). Far below ConnectWise's
/// rate limit (about 1,000 requests a minute).
pub const SETTINGS_AT_ONCE: usize = 16;

const MEMBERS_PERMISSION: &str = "System > Member Maintenance";
const ROLES_PERMISSION: &str = "System > Security Roles";

/// Everything read, as it came back.
pub struct Reads {
    pub members: Result<Vec<ApiMember>, CwError>,
    pub roles: Result<Vec<SecurityRole>, CwError>,
    /// The settings of each role a member has, by role id.
    pub settings: BTreeMap<i64, Result<Vec<SecurityRow>, CwError>>,
}

/// The ids of the roles the members have, each once.
pub fn used_role_ids(members: &[ApiMember]) -> BTreeSet<i64> {
    members
        .iter()
        .filter_map(|m| m.security_role.as_ref().map(|r| r.id))
        .collect()
}

/// The two lists at once, then every used role's settings, [`SETTINGS_AT_ONCE`] at a time. When
/// the roles list is refused, the settings (behind the same permission) are not asked for.
pub async fn read(session: &ApiSession) -> Reads {
    let (members, roles) = tokio::join!(session.api_members(), session.security_roles());
    let ids = match (&members, &roles) {
        (Ok(members), Ok(_)) => used_role_ids(members),
        _ => BTreeSet::new(),
    };
    let settings = stream::iter(ids)
        .map(|id| async move { (id, session.security_role_settings(id).await) })
        .buffer_unordered(SETTINGS_AT_ONCE)
        .collect::<BTreeMap<_, _>>()
        .await;
    Reads {
        members,
        roles,
        settings,
    }
}

/// "Your keys cannot read X": the part is manual, with the permission that would allow it (the
/// audit's words).
fn manual(part: &'static str, what: &str, permission: &str, e: &CwError) -> ManualPart {
    let (summary, fix) = crate::audit::manual_reason(what, permission, e);
    ManualPart { part, summary, fix }
}

fn is_manual(e: &CwError) -> bool {
    matches!(e, CwError::Forbidden { .. })
}

/// The report from what was read; `profiles` are the candidates a role is matched with.
pub fn analyze(reads: &Reads, profiles: &[&Profile]) -> MembersReport {
    let mut report = MembersReport {
        verdict: Verdict::Pass,
        members: Vec::new(),
        roles: Vec::new(),
        manual: Vec::new(),
        errors: Vec::new(),
    };
    let mut failed = |part: &'static str, what: &str, permission: &str, e: &CwError| {
        if is_manual(e) {
            report.manual.push(manual(part, what, permission, e));
        } else {
            report
                .errors
                .push(format!("could not read {what}: {e} {}", e.fix()));
        }
    };
    let members: &[ApiMember] = match &reads.members {
        Ok(m) => m,
        Err(e) => {
            failed("members", "the API members", MEMBERS_PERMISSION, e);
            &[]
        }
    };
    let roles: Option<&[SecurityRole]> = match &reads.roles {
        Ok(r) => Some(r),
        Err(e) => {
            failed("roles", "the security roles", ROLES_PERMISSION, e);
            None
        }
    };
    let unread: Vec<(&i64, &CwError)> = reads
        .settings
        .iter()
        .filter_map(|(id, s)| s.as_ref().err().map(|e| (id, e)))
        .collect();
    if let Some((_, e)) = unread.first() {
        let what = format!(
            "the settings of {} role{}",
            unread.len(),
            if unread.len() == 1 { "" } else { "s" }
        );
        failed("settings", &what, ROLES_PERMISSION, e);
    }
    report.roles = role_entries(members, roles);
    // Each role's settings compared with every profile once, however many members share it.
    let compared: BTreeMap<i64, Vec<Comparison>> = reads
        .settings
        .iter()
        .filter_map(|(id, s)| s.as_ref().ok().map(|s| (*id, compare_all(s, profiles))))
        .collect();
    report.members = members
        .iter()
        .map(|m| {
            let facts = role_facts(m, roles, &compared, &report.roles);
            judge(m, facts.as_ref(), profiles)
        })
        .collect();
    report.judge();
    report
}

/// Every role from the list with the members that have it; when the list could not be read,
/// the roles the members' references name.
fn role_entries(members: &[ApiMember], roles: Option<&[SecurityRole]>) -> Vec<RoleEntry> {
    let mut entries: Vec<RoleEntry> = match roles {
        Some(roles) => roles
            .iter()
            .map(|r| RoleEntry {
                id: r.id,
                name: r.name.clone(),
                admin: r.admin_flag,
                members: Vec::new(),
            })
            .collect(),
        None => Vec::new(),
    };
    for m in members {
        let Some(reference) = &m.security_role else {
            continue;
        };
        let at = entries.iter().position(|e| e.id == Some(reference.id));
        let at = at.unwrap_or_else(|| {
            let name = reference_text(Some(reference));
            entries.push(RoleEntry {
                id: Some(reference.id),
                admin: roles.is_none() && same_security_name(&name, "Admin"),
                name,
                members: Vec::new(),
            });
            entries.len() - 1
        });
        entries[at].members.push(m.identifier.clone());
    }
    entries
}

/// What is known of `member`'s role: its name and Admin flag (from the list, else from the
/// member's reference), and its settings when they were read.
fn role_facts<'a, 'p>(
    member: &ApiMember,
    roles: Option<&[SecurityRole]>,
    compared: &'a BTreeMap<i64, Vec<Comparison<'p>>>,
    entries: &[RoleEntry],
) -> Option<RoleFacts<'a, 'p>> {
    let reference = member.security_role.as_ref()?;
    let listed = roles.and_then(|roles| roles.iter().find(|r| r.id == Some(reference.id)));
    let name = match listed {
        Some(r) if !r.name.trim().is_empty() => r.name.clone(),
        _ => reference_text(Some(reference)),
    };
    let admin = match listed {
        Some(r) => r.admin_flag,
        None => same_security_name(&name, "Admin"),
    };
    let shared_by = entries
        .iter()
        .find(|e| e.id == Some(reference.id))
        .map_or(1, |e| e.members.len());
    Some(RoleFacts {
        name,
        admin,
        comparisons: compared.get(&reference.id).map(Vec::as_slice),
        shared_by,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(identifier: &str, role: i64) -> ApiMember {
        serde_json::from_value(serde_json::json!({
            "identifier": identifier,
            "securityRole": {"id": role, "name": format!("Role {role}")},
            "structureLevel": {"id": 1, "name": "Corporate"},
            "securityLocation": {"id": 2, "name": "Main Office"},
        }))
        .expect("a member")
    }

    fn forbidden(endpoint: &str) -> CwError {
        CwError::Forbidden {
            endpoint: endpoint.into(),
            code: None,
            message: None,
        }
    }

    #[test]
    fn settings_refused_after_the_roles_were_read_leave_them_manual_and_unmatched() {
        let members = vec![member("A", 7), member("B", 7), member("C", 8)];
        assert_eq!(
            used_role_ids(&members).into_iter().collect::<Vec<_>>(),
            [7, 8]
        );
        let roles: Vec<SecurityRole> = serde_json::from_value(serde_json::json!([
            {"id": 7, "name": "Role 7"}, {"id": 8, "name": "Role 8"}
        ]))
        .expect("roles");
        let mut settings = BTreeMap::new();
        settings.insert(7, Err(forbidden("system/securityRoles/7/settings")));
        settings.insert(8, Err(forbidden("system/securityRoles/8/settings")));
        let reads = Reads {
            members: Ok(members),
            roles: Ok(roles),
            settings,
        };
        let profiles: Vec<&Profile> = crate::profile::builtin().iter().collect();
        let report = analyze(&reads, &profiles);
        assert_eq!(report.verdict, Verdict::Warn);
        assert_eq!(report.manual.len(), 1, "one part for every role refused");
        assert_eq!(report.manual[0].part, "settings");
        assert!(
            report.manual[0].summary.contains("2 roles"),
            "{:?}",
            report.manual
        );
        assert!(report.manual[0].fix.contains(ROLES_PERMISSION));
        // Nothing to match with: no match, and no guess at a purpose.
        for m in &report.members {
            assert!(m.matched.is_none() && m.findings.is_empty(), "{m:?}");
        }
        assert_eq!(report.roles[0].members, ["A", "B"]);
    }

    #[test]
    fn a_failure_other_than_403_fails_the_run_and_says_why() {
        let reads = Reads {
            members: Err(CwError::NotFound {
                endpoint: "system/apiMembers".into(),
                message: None,
            }),
            roles: Ok(Vec::new()),
            settings: BTreeMap::new(),
        };
        let report = analyze(&reads, &[]);
        assert_eq!(report.verdict, Verdict::Fail);
        assert!(report.manual.is_empty());
        assert!(report.errors[0].starts_with("could not read the API members"));
    }
}

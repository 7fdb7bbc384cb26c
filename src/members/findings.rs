//! One API member judged: its fields, the profile its role matches, and its findings, each with
//! a stable id, a severity and a sentence with the fix.

use crate::cw::{ApiMember, Reference};
use crate::profile::{AdminAdvice, Profile};

use super::matching::{self, Comparison};
use super::model::{Finding, MemberEntry, ProfileMatch, Severity};

/// What is known of the role a member has.
pub(super) struct RoleFacts<'a, 'p> {
    pub name: String,
    pub admin: bool,
    /// The role's settings compared with every candidate profile, once per role; `None` when
    /// the settings could not be read (a manual part).
    pub comparisons: Option<&'a [Comparison<'p>]>,
    /// How many API members share the role.
    pub shared_by: usize,
}

/// A reference as text: its name, else `id N`; empty when absent.
pub(super) fn reference_text(r: Option<&Reference>) -> String {
    match r {
        Some(Reference {
            name: Some(name), ..
        }) if !name.trim().is_empty() => name.clone(),
        Some(r) => format!("id {}", r.id),
        None => String::new(),
    }
}

/// How many rows a finding names before "and N more".
const LISTED: usize = 4;

fn listed(items: &[String]) -> String {
    let mut text = items
        .iter()
        .take(LISTED)
        .cloned()
        .collect::<Vec<_>>()
        .join("; ");
    if items.len() > LISTED {
        text.push_str(&format!("; and {} more", items.len() - LISTED));
    }
    text
}

fn finding(id: &'static str, severity: Severity, text: String) -> Finding {
    Finding { id, severity, text }
}

/// The member as the report shows it, with its findings.
pub(super) fn judge<'p>(
    member: &ApiMember,
    role: Option<&RoleFacts<'_, 'p>>,
    profiles: &[&'p Profile],
) -> MemberEntry {
    let identifier = member.identifier.clone();
    let level = reference_text(member.structure_level.as_ref());
    let location = if member.security_location.is_some() {
        reference_text(member.security_location.as_ref())
    } else {
        reference_text(member.default_location.as_ref())
    };
    let top_level = member
        .structure_level
        .as_ref()
        .is_some_and(crate::audit::is_top_level);
    let mut entry = MemberEntry {
        identifier: identifier.clone(),
        name: member.name.clone().unwrap_or_default(),
        active: !member.inactive_flag,
        role: role.map(|r| r.name.clone()).unwrap_or_default(),
        admin: role.is_some_and(|r| r.admin),
        level,
        top_level,
        location,
        department: reference_text(member.default_department.as_ref()),
        excluded_boards: member.excluded_service_board_ids.clone(),
        matched: None,
        findings: Vec::new(),
    };
    let place = format!("System > Members > API Members > {identifier}");
    let matched = role.and_then(|r| match_role(r, &identifier, profiles));
    field_findings(&mut entry, member, &place);
    if let Some(role) = role {
        role_findings(&mut entry, role, matched.as_ref(), &place);
    }
    boards_finding(&mut entry, matched.as_ref().map(|m| m.profile), &place);
    entry.matched = matched.map(|m| ProfileMatch {
        profile: m.profile.id.clone(),
        missing: m.missing.iter().map(|(row, _)| row.clone()).collect(),
        extra: m.extra,
    });
    entry
        .findings
        .sort_by_key(|f| std::cmp::Reverse(f.severity));
    entry
}

/// The profile the role matches: by settings, or for an Admin role by the member's identifier
/// alone (missing nothing, every function beyond need).
fn match_role<'p>(
    role: &RoleFacts<'_, 'p>,
    identifier: &str,
    profiles: &[&'p Profile],
) -> Option<Comparison<'p>> {
    if role.admin {
        let profile = matching::by_identifier(identifier, profiles)?;
        let compared = role
            .comparisons
            .and_then(|all| all.iter().find(|c| std::ptr::eq(c.profile, profile)));
        let mut c = match compared {
            Some(c) => c.clone(),
            None => Comparison::unread(profile, "every function (an Admin role)"),
        };
        c.missing.clear();
        return Some(c);
    }
    matching::pick(role.comparisons?, identifier).cloned()
}

/// Inactive, Level, location: what the member record itself says.
fn field_findings(entry: &mut MemberEntry, member: &ApiMember, place: &str) {
    if member.inactive_flag {
        entry.findings.push(finding(
            "inactive",
            Severity::Note,
            format!(
                "Inactive: its keys are refused (401). If a tool still uses it, clear Inactive in {place}; if none does, delete its keys on its API Keys tab too."
            ),
        ));
    }
    if !entry.top_level {
        let at = if entry.level.is_empty() {
            "not reported".to_string()
        } else if entry.location.is_empty() {
            entry.level.clone()
        } else {
            format!("{} ({})", entry.level, entry.location)
        };
        entry.findings.push(finding(
            "below-top-level",
            Severity::Warn,
            format!(
                "Level is {at}: it sees only the records inside that Level, so a tool misses customers, tickets and agreements without an error. Set Level to Corporate (level 1) in {place}."
            ),
        ));
    }
    if entry.location.is_empty() {
        entry.findings.push(finding(
            "no-location",
            Severity::Warn,
            format!(
                "No location: records a tool creates get no location, and ConnectWise asks for one when the member is next saved. Choose a Location in {place}."
            ),
        ));
    }
}

/// Admin, the matched profile's missing and extra rows, or no purpose found.
fn role_findings(
    entry: &mut MemberEntry,
    role: &RoleFacts,
    matched: Option<&Comparison>,
    place: &str,
) {
    let role_place = format!("System > Security Roles > {}", role.name);
    let shared = if role.shared_by > 1 {
        format!(
            " The role is shared by {} API members: change a copy if the others need it as it is.",
            role.shared_by
        )
    } else {
        String::new()
    };
    if role.admin {
        let what = match matched {
            Some(m) if m.profile.role.admin == AdminAdvice::Acceptable => format!(
                "{} accepts it, but a role with only its rows is the least privilege",
                m.profile.vendor
            ),
            _ => "far more than any tool needs".to_string(),
        };
        let print = matched.map_or_else(
            || "cwsetup role --profile ID".to_string(),
            |m| format!("cwsetup role --profile {}", m.profile.id),
        );
        entry.findings.push(finding(
            "admin-role",
            Severity::Warn,
            format!(
                "{}: every function at All, {what}. Make a role with only the tool's rows (`{print}` lists them) and set it as Role ID in {place}.",
                if crate::cw::same_security_name(&role.name, "Admin") {
                    "Role Admin".to_string()
                } else {
                    format!("Role {} is flagged Admin", role.name)
                }
            ),
        ));
    }
    if role.comparisons.is_none() {
        // Its settings could not be read (a manual part): nothing to match them with.
        return;
    }
    match matched {
        Some(m) => {
            if !m.missing.is_empty() {
                let rows: Vec<String> = m
                    .missing
                    .iter()
                    .map(|(row, short)| format!("{row} ({short})"))
                    .collect();
                let severity = if entry.active {
                    Severity::Fail
                } else {
                    Severity::Warn
                };
                entry.findings.push(finding(
                    "missing-rows",
                    severity,
                    format!(
                        "Role {} lacks what {} needs: {}. Raise them in {role_place} (`cwsetup role --profile {}` lists every row).{shared}",
                        role.name,
                        m.profile.product,
                        listed(&rows),
                        m.profile.id
                    ),
                ));
            }
            if !m.extra.is_empty() && !role.admin {
                entry.findings.push(finding(
                    "more-than-needed",
                    Severity::Note,
                    format!(
                        "{} rows beyond what {} needs: {}. Least privilege: set them to None in {role_place}, unless another tool shares the role.{shared}",
                        m.extra.len(),
                        m.profile.product,
                        listed(&m.extra)
                    ),
                ));
            }
        }
        None => entry.findings.push(finding(
            "unknown-purpose",
            Severity::Note,
            format!(
                "Its role matches no shipped vendor profile well, so cwsetup cannot tell which tool it serves. Note its purpose in {place} (Notes), or make it inactive if nothing uses it."
            ),
        )),
    }
}

/// Excluded service boards: a warning when the matched vendor works with tickets (its profile has
/// Service Desk rows), else a note.
fn boards_finding(entry: &mut MemberEntry, profile: Option<&Profile>, place: &str) {
    if entry.excluded_boards.is_empty() {
        return;
    }
    let boards = entry
        .excluded_boards
        .iter()
        .map(|id| format!("board id {id}"))
        .collect::<Vec<_>>()
        .join(", ");
    let tickets = profile.filter(|p| works_with_tickets(p));
    let (severity, why) = match tickets {
        Some(p) => (
            Severity::Warn,
            format!("{} works with tickets, and ", p.vendor),
        ),
        None => (Severity::Note, String::new()),
    };
    entry.findings.push(finding(
        "excluded-boards",
        severity,
        format!(
            "Excludes service boards ({boards}): {why}tickets on them are hidden from its keys without an error. Clear them in {place} > Service Defaults (Excluded Service Boards) unless hiding them is intended."
        ),
    ));
}

/// The vendor reads or writes tickets: its profile has a Service Desk row.
pub fn works_with_tickets(profile: &Profile) -> bool {
    profile
        .role
        .rows
        .iter()
        .any(|r| crate::cw::same_security_name(&r.module, "Service Desk"))
}

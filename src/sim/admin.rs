//! The part of the simulated tenant that a technician's own (admin) keys read to audit steps 2
//! and 3: the security roles, each role's settings, and the API members.
//!
//! Two key pairs are accepted: the vendor's API member ([`super::DEMO_PUBLIC_KEY`]) and the
//! technician's own keys ([`super::DEMO_ADMIN_PUBLIC_KEY`]), each with its own permissions.
//! Choices where the real service is unknown:
//! - a role's settings list every function of the tenant, at None where the role grants nothing;
//! - the Admin role (`adminFlag`) has every function at All;
//! - `system/apiMembers` and `system/members` are gated by System / Member Maintenance.

use serde_json::{Value, json};

use super::data::{self, identifier_of, info, location_ref, reference};
use super::gates::{GATES, SimPermission};
use crate::permission::{Level, Levels};

/// The id of the role the vendor's API member should have (named as the profile recommends).
pub const VENDOR_ROLE_ID: u64 = 22;
/// The built-in Admin role.
pub const ADMIN_ROLE_ID: u64 = 1;
/// A technician's role, for "the member has the wrong role".
pub const TECHNICIAN_ROLE_ID: u64 = 23;
/// The technician the admin keys belong to.
pub const ADMIN_MEMBER_ID: u64 = 176;
pub const ADMIN_MEMBER_IDENTIFIER: &str = "jsmith";

/// Functions every simulated tenant has besides the gated ones and the shipped profiles' rows,
/// so that a role's settings are longer than one default page (25), as in a real tenant.
const OTHER_FUNCTIONS: &[(&str, &str)] = &[
    ("Companies", "Configurations"),
    ("Companies", "Company Finance"),
    ("Companies", "Notes"),
    ("Companies", "Team Members"),
    ("Finance", "Accounting Interface"),
    ("Finance", "Billing View"),
    ("Finance", "Invoice Approval"),
    ("Marketing", "Campaigns"),
    ("Marketing", "Groups"),
    ("Procurement", "Purchase Orders"),
    ("Procurement", "Inventory Management"),
    ("Project", "Project Headers"),
    ("Project", "Project Tickets"),
    ("Sales", "Opportunities"),
    ("Sales", "Sales Orders"),
    ("Schedule", "Schedule Entries"),
    ("Service Desk", "Close Service Tickets"),
    ("Service Desk", "Service Tickets"),
    ("System", "Member Maintenance"),
    ("System", "Security Roles"),
    ("System", "My Company"),
    ("Time & Expense", "Time Entry"),
    ("Time & Expense", "Expense Entry"),
];

/// A security role beyond the three every simulated tenant has (`cwsetup members`' tenants).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimRole {
    pub id: u64,
    pub name: String,
    /// Flagged Admin: every function at All, whatever `rows` say.
    pub admin: bool,
    /// Functions not listed are at None.
    pub rows: Vec<SimPermission>,
}

/// An API member beyond the two every simulated tenant has.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimApiMember {
    pub id: u64,
    pub identifier: String,
    pub name: String,
    /// The role's id: 1 Admin, 22 the vendor role, 23 Technician, or a [`SimRole`]'s.
    pub role: u64,
    pub inactive: bool,
    /// The Level: (id, name); id 1 is Corporate.
    pub level: (u64, String),
    /// The location at that Level and the default location: (id, name); `None`: not set.
    pub location: Option<(u64, String)>,
    pub excluded_boards: Vec<u64>,
}

impl SimApiMember {
    /// Active, at Corporate, in Main Office, no excluded board.
    pub fn new(id: u64, identifier: &str, name: &str, role: u64) -> SimApiMember {
        SimApiMember {
            id,
            identifier: identifier.to_string(),
            name: name.to_string(),
            role,
            inactive: false,
            level: (1, "Corporate".to_string()),
            location: Some((2, "Main Office".to_string())),
            excluded_boards: Vec::new(),
        }
    }
}

/// What the audit reads, and what the technician's own keys may read.
#[derive(Clone, Debug)]
pub struct AdminScenario {
    /// The technician's own member's rows: what gates the admin keys' calls.
    pub(crate) permissions: Vec<SimPermission>,
    /// The vendor role's name (the profile's recommended name by default).
    pub(crate) role_name: String,
    /// The vendor role's rows; functions not listed are at None.
    pub(crate) role_rows: Vec<SimPermission>,
    /// The vendor role is flagged Admin and has every function at All.
    pub(crate) role_admin: bool,
    /// The API member's identifier (the profile's member ID by default).
    pub(crate) member_identifier: String,
    /// The role the API member has.
    pub(crate) member_role: u64,
    /// The API member's Level: (id, name).
    pub(crate) member_level: (u64, String),
    /// Location and department set on the API member.
    pub(crate) member_placed: bool,
    /// More roles and API members (`cwsetup members`' tenants).
    pub(crate) extra_roles: Vec<SimRole>,
    pub(crate) extra_members: Vec<SimApiMember>,
}

impl AdminScenario {
    /// Healthy: the role and member exactly as the Sync 365 guide says; admin keys read everything.
    pub fn new() -> Self {
        let sync365 = crate::profile::find(crate::profile::DEFAULT_PROFILE_ID);
        let role_rows = sync365
            .map(|p| {
                p.role
                    .rows
                    .iter()
                    .map(|r| SimPermission::new(&r.module, &r.function, r.levels))
                    .collect()
            })
            .unwrap_or_default();
        AdminScenario {
            permissions: all_functions()
                .into_iter()
                .map(|(m, f)| SimPermission::uniform(&m, &f, Level::All))
                .collect(),
            role_name: sync365.map_or_else(
                || "Sync 365 API".to_string(),
                |p| p.role.recommended_name.clone(),
            ),
            role_rows,
            role_admin: false,
            member_identifier: sync365.map_or_else(
                || data::DEMO_MEMBER_IDENTIFIER.to_string(),
                |p| p.member.member_id.clone(),
            ),
            member_role: VENDOR_ROLE_ID,
            member_level: (1, "Corporate".to_string()),
            member_placed: true,
            extra_roles: Vec::new(),
            extra_members: Vec::new(),
        }
    }
}

impl Default for AdminScenario {
    fn default() -> Self {
        AdminScenario::new()
    }
}

/// Every function of the simulated tenant, first-seen order, no duplicates.
pub fn all_functions() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut push = |m: &str, f: &str| {
        let m = m.trim();
        let f = f.trim();
        if !out
            .iter()
            .any(|(a, b)| a.eq_ignore_ascii_case(m) && b.eq_ignore_ascii_case(f))
        {
            out.push((m.to_string(), f.to_string()));
        }
    };
    for (m, f, _) in GATES {
        push(m, f);
    }
    for profile in crate::profile::builtin() {
        for row in &profile.role.rows {
            push(&row.module, &row.function);
        }
    }
    for (m, f) in OTHER_FUNCTIONS {
        push(m, f);
    }
    out
}

/// (id, name, adminFlag) of every role.
fn roles(admin: &AdminScenario) -> Vec<(u64, String, bool)> {
    let mut roles = vec![
        (ADMIN_ROLE_ID, "Admin".to_string(), true),
        (VENDOR_ROLE_ID, admin.role_name.clone(), admin.role_admin),
        (TECHNICIAN_ROLE_ID, "Technician".to_string(), false),
    ];
    roles.extend(
        admin
            .extra_roles
            .iter()
            .map(|r| (r.id, r.name.clone(), r.admin)),
    );
    roles
}

/// `system/securityRoles`.
fn security_roles(admin: &AdminScenario, base: &str) -> Vec<Value> {
    roles(admin)
        .into_iter()
        .map(|(id, name, admin_flag)| {
            json!({
                "id": id,
                "name": name,
                "roleType": "Standard",
                "adminFlag": admin_flag,
                "inactiveFlag": false,
                "_info": info(base, "system/securityRoles", &[
                    ("settings_href", format!("{base}system/securityRoles/{id}/settings")),
                ]),
            })
        })
        .collect()
}

/// The levels of one role on one function.
fn role_level(admin: &AdminScenario, role_id: u64, module: &str, function: &str) -> SimPermission {
    let everything = SimPermission::uniform(module, function, Level::All);
    let nothing = SimPermission::uniform(module, function, Level::None);
    let find = |rows: &[SimPermission]| {
        rows.iter()
            .find(|p| {
                p.module.eq_ignore_ascii_case(module) && p.function.eq_ignore_ascii_case(function)
            })
            .cloned()
    };
    match role_id {
        ADMIN_ROLE_ID => everything,
        VENDOR_ROLE_ID if admin.role_admin => everything,
        VENDOR_ROLE_ID => find(&admin.role_rows).unwrap_or(nothing),
        TECHNICIAN_ROLE_ID => {
            let read_only = ["Companies", "Service Desk", "Time & Expense", "Schedule"];
            if read_only.iter().any(|m| m.eq_ignore_ascii_case(module)) {
                SimPermission {
                    levels: Levels::new(Level::My, Level::My, Level::None, Level::All),
                    ..nothing
                }
            } else {
                nothing
            }
        }
        other => match admin.extra_roles.iter().find(|r| r.id == other) {
            Some(role) if role.admin => everything,
            Some(role) => find(&role.rows).unwrap_or(nothing),
            None => nothing,
        },
    }
}

/// `system/securityRoles/{id}/settings`: every function of the tenant, with the role's levels.
fn role_settings(admin: &AdminScenario, base: &str, role_id: u64) -> Vec<Value> {
    all_functions()
        .iter()
        .enumerate()
        .map(|(i, (module, function))| {
            let p = role_level(admin, role_id, module, function);
            json!({
                "id": role_id * 1000 + i as u64 + 1,
                "moduleIdentifier": identifier_of(module),
                "moduleName": module,
                "moduleDescription": format!("{module} module"),
                "moduleFunctionIdentifier": identifier_of(function),
                "moduleFunctionName": function,
                "moduleFunctionDescription": format!("{function} in {module}"),
                "addLevel": p.levels.add.as_str(),
                "editLevel": p.levels.edit.as_str(),
                "deleteLevel": p.levels.delete.as_str(),
                "inquireLevel": p.levels.inquire.as_str(),
                "myAllFlag": true,
                "reportFlag": false,
                "restrictFlag": false,
                "customFlag": false,
                "sortOrder": i + 1,
                "_info": info(base, "system/securityRoles", &[]),
            })
        })
        .collect()
}

/// `system/apiMembers`: the vendor's API member and another tool's.
fn api_members(a: &AdminScenario, base: &str, inactive: bool) -> Vec<Value> {
    let (role_id, role_name) = roles(a)
        .into_iter()
        .find(|(id, _, _)| *id == a.member_role)
        .map(|(id, name, _)| (id, name))
        .unwrap_or((a.member_role, "Unknown".to_string()));
    let role_ref = |id: u64, name: &str| {
        reference(id, name, "role", format!("{base}system/securityRoles/{id}"))
    };
    let level = |id: u64, name: &str| {
        reference(
            id,
            name,
            "structure",
            format!("{base}system/structureLevels/{id}"),
        )
    };
    let department = reference(
        10,
        "Admin",
        "department",
        format!("{base}system/departments/10"),
    );
    let placed = |value: Value| if a.member_placed { value } else { Value::Null };
    vec![
        json!({
            "id": data::DEMO_MEMBER_ID,
            "identifier": a.member_identifier,
            "name": data::DEMO_MEMBER_NAME,
            "emailAddress": "sync365@contoso-it.example",
            "inactiveFlag": inactive,
            "timeZone": reference(1, "Eastern", "timeZone", format!("{base}system/timeZoneSetups/1")),
            "securityRole": role_ref(role_id, &role_name),
            "structureLevel": level(a.member_level.0, &a.member_level.1),
            "securityLocation": placed(location_ref(base)),
            "defaultLocation": placed(location_ref(base)),
            "defaultDepartment": placed(department.clone()),
            "notes": "Created for the Sync 365 integration",
            "excludedServiceBoardIds": [],
            "_info": info(base, "system/apiMembers", &[]),
        }),
        json!({
            "id": 181,
            "identifier": "RMMAPI",
            "name": "RMM integration",
            "inactiveFlag": false,
            "securityRole": role_ref(TECHNICIAN_ROLE_ID, "Technician"),
            "structureLevel": level(1, "Corporate"),
            "securityLocation": location_ref(base),
            "defaultLocation": location_ref(base),
            "defaultDepartment": department.clone(),
            "excludedServiceBoardIds": [],
            "_info": info(base, "system/apiMembers", &[]),
        }),
    ]
    .into_iter()
    .chain(a.extra_members.iter().map(|m| {
        let role_name = roles(a)
            .into_iter()
            .find(|(id, _, _)| *id == m.role)
            .map_or_else(|| "Unknown".to_string(), |(_, name, _)| name);
        let location = m.location.as_ref().map_or(Value::Null, |(id, name)| {
            reference(*id, name, "location", format!("{base}system/locations/{id}"))
        });
        json!({
            "id": m.id,
            "identifier": m.identifier,
            "name": m.name,
            "inactiveFlag": m.inactive,
            "securityRole": role_ref(m.role, &role_name),
            "structureLevel": level(m.level.0, &m.level.1),
            "securityLocation": location.clone(),
            "defaultLocation": location,
            "defaultDepartment": department.clone(),
            "excludedServiceBoardIds": m.excluded_boards,
            "_info": info(base, "system/apiMembers", &[]),
        })
    }))
    .collect()
}

/// The records of the audit's collections, or `None` when `name` is not one of them.
/// `name` is a path under `apis/3.0/` (any case); `inactive_member` is the scenario's
/// "the API member is inactive".
pub(super) fn collection(
    admin: &AdminScenario,
    inactive_member: bool,
    base: &str,
    name: &str,
) -> Option<Vec<Value>> {
    let lower = name.trim_matches('/').to_ascii_lowercase();
    match lower.as_str() {
        "system/securityroles" => return Some(security_roles(admin, base)),
        "system/apimembers" => return Some(api_members(admin, base, inactive_member)),
        _ => {}
    }
    let id = lower
        .strip_prefix("system/securityroles/")?
        .strip_suffix("/settings")?
        .parse::<u64>()
        .ok()?;
    roles(admin)
        .iter()
        .any(|(role, _, _)| *role == id)
        .then(|| role_settings(admin, base, id))
}

/// `system/mySecurity` for the technician's own keys.
pub(super) fn my_security(base: &str, rows: &[SimPermission]) -> Vec<Value> {
    let member = json!({
        "id": ADMIN_MEMBER_ID,
        "identifier": ADMIN_MEMBER_IDENTIFIER,
        "name": "Jamie Smith",
        "_info": {"member_href": format!("{base}system/members/{ADMIN_MEMBER_ID}")}
    });
    super::data::security_rows(base, rows, 5000, member)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_role_lists_more_functions_than_one_default_page() {
        assert!(all_functions().len() > 25, "{}", all_functions().len());
        let a = AdminScenario::new();
        let rows =
            collection(&a, false, "http://x/", "system/securityRoles/22/settings").expect("role");
        assert_eq!(rows.len(), all_functions().len());
        assert!(collection(&a, false, "http://x/", "system/securityRoles/99/settings").is_none());
    }
}

//! Tenants with many API members, for `cwsetup members`: the `members` scenario (one member per
//! finding) and [`Scenario::many_members`] (the benchmark's 200 members and 40 roles).

use super::admin::{ADMIN_ROLE_ID, SimApiMember, SimRole};
use super::gates::SimPermission;
use super::scenario::Scenario;
use crate::permission::{Level, Levels};
use crate::profile::Profile;

/// The first id of the roles these tenants add (the built-in ones are 1, 22 and 23).
pub const FIRST_EXTRA_ROLE_ID: u64 = 100;
/// The first id of the API members they add (the built-in ones are 178 and 181).
pub const FIRST_EXTRA_MEMBER_ID: u64 = 300;

/// A profile's rows as a role's rows.
fn rows_of(profile: &Profile) -> Vec<SimPermission> {
    profile
        .role
        .rows
        .iter()
        .map(|r| SimPermission::new(&r.module, &r.function, r.levels))
        .collect()
}

fn profile(id: &str) -> Option<&'static Profile> {
    crate::profile::find(id)
}

/// A role with `profile`'s rows, changed by `drift`, named as the profile recommends.
fn vendor_role(id: u64, profile_id: &str, drift: impl FnOnce(&mut Vec<SimPermission>)) -> SimRole {
    let p = profile(profile_id);
    let mut rows = p.map(rows_of).unwrap_or_default();
    drift(&mut rows);
    SimRole {
        id,
        name: p.map_or_else(
            || profile_id.to_string(),
            |p| p.role.recommended_name.clone(),
        ),
        admin: false,
        rows,
    }
}

/// A member named as `profile_id`'s guide says, with role `role`.
fn vendor_member(id: u64, profile_id: &str, role: u64) -> SimApiMember {
    let p = profile(profile_id);
    let identifier = p.map_or_else(|| profile_id.to_string(), |p| p.member.member_id.clone());
    let name = p.map_or_else(|| profile_id.to_string(), |p| p.product.clone());
    let name: String = name.chars().take(30).collect();
    SimApiMember::new(id, &identifier, &name, role)
}

impl Scenario {
    /// Add a security role.
    pub fn security_role(mut self, role: SimRole) -> Self {
        self.admin.extra_roles.push(role);
        self
    }

    /// Add an API member.
    pub fn api_member(mut self, member: SimApiMember) -> Self {
        self.admin.extra_members.push(member);
        self
    }

    /// The `members` scenario: besides S365 (Sync 365's role exactly) and RMMAPI (the
    /// Technician role, which matches no vendor), one member per finding:
    /// - `OLDSYNC`, Admin role;
    /// - `MSP360API`, inactive (MSP360's role exactly);
    /// - `NinjaOneAPI`, at Level "Location 2" with two excluded service boards (NinjaOne works
    ///   with tickets);
    /// - `HuduAPI`, Hudu's role without Companies / Contacts (a required row: fails);
    /// - `ImmyBotAPI`, ImmyBot's role plus Service Tickets and Invoicing (more than needed);
    /// - `DattoRMMAPI`, Datto RMM's role with no location.
    pub fn members_tenant() -> Scenario {
        let id = |n: u64| FIRST_EXTRA_MEMBER_ID + n;
        let role = |n: u64| FIRST_EXTRA_ROLE_ID + n;
        let mut ninja = vendor_member(id(2), "ninjaone", role(1));
        ninja.level = (2, "Location 2".to_string());
        ninja.location = Some((5, "Tampa Office".to_string()));
        ninja.excluded_boards = vec![3, 7];
        let mut backup = vendor_member(id(1), "msp360", role(0));
        backup.inactive = true;
        let mut datto = vendor_member(id(5), "datto-rmm", role(4));
        datto.location = None;
        Scenario::new()
            .security_role(vendor_role(role(0), "msp360", |_| {}))
            .security_role(vendor_role(role(1), "ninjaone", |_| {}))
            .security_role(vendor_role(role(2), "hudu", |rows| {
                rows.retain(|r| r.function != "Contacts");
            }))
            .security_role(vendor_role(role(3), "immybot", |rows| {
                rows.push(SimPermission::uniform(
                    "Service Desk",
                    "Service Tickets",
                    Level::All,
                ));
                rows.push(SimPermission::new(
                    "Finance",
                    "Invoicing",
                    Levels::inquire_only(Level::All),
                ));
            }))
            .security_role(vendor_role(role(4), "datto-rmm", |_| {}))
            .api_member(SimApiMember::new(
                id(0),
                "OLDSYNC",
                "Old PSA sync",
                ADMIN_ROLE_ID,
            ))
            .api_member(backup)
            .api_member(ninja)
            .api_member(vendor_member(id(3), "hudu", role(2)))
            .api_member(vendor_member(id(4), "immybot", role(3)))
            .api_member(datto)
    }

    /// `members` API members sharing `roles` roles (each a shipped profile's rows, in turn):
    /// member `n` has role `n % roles`. For the benchmark (200 members, 40 roles).
    pub fn many_members(mut self, members: usize, roles: usize) -> Self {
        let profiles = crate::profile::builtin();
        let roles = roles.max(1);
        for n in 0..roles {
            let p = &profiles[n % profiles.len().max(1)];
            let mut name = format!("R{n:02} {}", p.role.recommended_name);
            name = name.chars().take(30).collect();
            self.admin.extra_roles.push(SimRole {
                id: FIRST_EXTRA_ROLE_ID + n as u64,
                name,
                admin: false,
                rows: rows_of(p),
            });
        }
        for n in 0..members {
            let role = FIRST_EXTRA_ROLE_ID + (n % roles) as u64;
            self.admin.extra_members.push(SimApiMember::new(
                FIRST_EXTRA_MEMBER_ID + n as u64,
                &format!("API{n:04}"),
                &format!("Integration {n}"),
                role,
            ));
        }
        self
    }
}

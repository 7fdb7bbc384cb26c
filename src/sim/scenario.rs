//! What the simulated ConnectWise answers: a healthy tenant plus knobs that break it on purpose.

use std::time::Duration;

use super::admin::{AdminScenario, TECHNICIAN_ROLE_ID};
use super::gates::{GATES, SimPermission};
use crate::permission::{Level, Levels};

/// How `system/mySecurity` answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum MySecurityMode {
    /// The member's rows (the default).
    #[default]
    Readable,
    /// 403 `Security`, as if API members may not read their own rows.
    Forbidden,
    /// 404, as if the endpoint did not exist on this version.
    NotFound,
}

/// A deliberately broken answer shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// An HTML page, as a wrong host (a web server, a login page) would send.
    Html,
    /// The connection is accepted and never answered.
    Hang,
    /// Headers, then a trickle of bytes (slow loris).
    SlowBody,
    /// JSON with the wrong types (`{"count":"many"}`, `"Codebase": 42`).
    WrongJsonTypes,
    /// JSON cut off in the middle.
    MalformedJson,
}

/// Which requests a [`Fault`] applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum FaultScope {
    /// Every request, `login/companyinfo` included (the default).
    #[default]
    Everything,
    /// Only `apis/3.0/` calls: codebase discovery still works.
    ApiOnly,
}

/// A simulated tenant. `Scenario::new()` is healthy; each builder method breaks one thing.
#[derive(Clone, Debug)]
pub struct Scenario {
    pub(crate) latency: Duration,
    pub(crate) permissions: Vec<SimPermission>,
    /// The second API member's rows (the second demo key pair): the same as the first's unless
    /// a builder changes them.
    pub(crate) second_permissions: Vec<SimPermission>,
    pub(crate) unknown_company: bool,
    pub(crate) self_hosted: bool,
    pub(crate) is_cloud_as_string: bool,
    /// The API host companyinfo names as `SiteUrl` (cloud only); `None`: the sim itself.
    pub(crate) site_url: Option<String>,
    pub(crate) rate_limited: Option<(usize, u64)>,
    pub(crate) server_errors: Option<(usize, u16)>,
    pub(crate) fault: Option<Fault>,
    pub(crate) fault_scope: FaultScope,
    pub(crate) oversized: bool,
    pub(crate) cross_origin_redirect: bool,
    pub(crate) same_origin_redirect: bool,
    pub(crate) stale_codebase: bool,
    pub(crate) my_security: MySecurityMode,
    pub(crate) zero_companies: bool,
    pub(crate) hidden_agreement_types: Vec<String>,
    /// Endpoints refused although the member's level allows them: the tables a Table Setup
    /// Customize list leaves out.
    pub(crate) customize_lacks: Vec<String>,
    pub(crate) inactive_member: bool,
    /// The demo member's old key pair ([`crate::sim::DEMO_OLD_PUBLIC_KEY`]) is still accepted:
    /// it was not deleted after a rotation.
    pub(crate) old_key_kept: bool,
    pub(crate) hostile_text: bool,
    /// The roles, role settings and API members the audit reads, and the admin keys' rights.
    pub(crate) admin: AdminScenario,
}

/// Sets every level of `module / function` to None in `rows`, adding the row if it is missing.
fn revoke_row(rows: &mut Vec<SimPermission>, module: &str, function: &str) {
    match rows.iter_mut().find(|p| {
        p.module.eq_ignore_ascii_case(module) && p.function.eq_ignore_ascii_case(function)
    }) {
        Some(row) => *row = SimPermission::uniform(&row.module, &row.function, Level::None),
        None => rows.push(SimPermission::uniform(module, function, Level::None)),
    }
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario::new()
    }
}

/// Every named scenario, for `cwsetup sim --scenario NAME` and its help.
const CATALOG: &[(&str, &str)] = &[
    (
        "healthy",
        "A cloud tenant whose API member has every needed permission",
    ),
    ("slow", "Healthy, but every request takes 800 ms"),
    (
        "unknown-company",
        "The company ID is not found (companyinfo answers null)",
    ),
    (
        "self-hosted",
        "A self-hosted server: codebase v4_6_release/, no SiteUrl",
    ),
    (
        "is-cloud-string",
        "companyinfo sends IsCloud as the string \"True\"",
    ),
    (
        "inactive-member",
        "The keys are right but the API member is inactive: 401 (the admin keys see it inactive)",
    ),
    (
        "old-key-kept",
        "After a key rotation the old key was not deleted: it is still accepted (cwsetup rotate)",
    ),
    (
        "role-missing-row",
        "The vendor role lacks Procurement / Products (the audit's step 2 fails)",
    ),
    (
        "role-over-privileged",
        "The vendor role also grants Service Tickets and deleting companies (\"more than needed\")",
    ),
    (
        "role-admin",
        "The vendor role is flagged Admin: every function at All",
    ),
    (
        "role-not-found",
        "No role named \"Sync 365 API\"; one named \"Sync365 API\" exists",
    ),
    (
        "member-not-found",
        "No API member S365; one named S365API exists",
    ),
    (
        "member-wrong-role",
        "The API member S365 has the Technician role",
    ),
    (
        "member-lower-level",
        "The API member S365 is at Level \"Location 2\", not Corporate",
    ),
    (
        "member-no-location",
        "The API member S365 has no location and no department",
    ),
    (
        "admin-no-member-maintenance",
        "The technician's own keys lack System / Member Maintenance: 403 on system/apiMembers",
    ),
    (
        "admin-no-security-roles",
        "The technician's own keys lack System / Security Roles: 403 on system/securityRoles",
    ),
    (
        "missing-products",
        "The role lacks Procurement / Products: 403 on procurement/products",
    ),
    (
        "missing-catalog",
        "The role lacks Procurement / Product Catalog",
    ),
    ("missing-agreements", "The role lacks Finance / Agreements"),
    (
        "missing-table-setup",
        "Table Setup at All, but its Customize list lacks the agreement types and billing cycles: 403 on finance/agreements/types and finance/billingCycles",
    ),
    (
        "table-setup-none",
        "The vendor role has System / Table Setup at None: 403 on finance/agreements/types",
    ),
    ("my-security-forbidden", "system/mySecurity answers 403"),
    ("my-security-missing", "system/mySecurity answers 404"),
    (
        "location-limited",
        "The member is limited to a location: it sees 0 companies",
    ),
    (
        "hidden-agreement-types",
        "Agreement type \"Managed Services\" is hidden; its children still point at it",
    ),
    (
        "rate-limited",
        "The first 3 API calls answer 429 with Retry-After: 1",
    ),
    ("server-errors", "The first 2 API calls answer 503"),
    (
        "stale-codebase",
        "The first codebase answers 404 until looked up again",
    ),
    ("html", "Every answer is an HTML page (a wrong host)"),
    ("hang", "Connections are accepted and never answered"),
    (
        "slow-body",
        "Headers arrive, then the body trickles a byte at a time",
    ),
    ("oversized", "API answers are endless bodies (> 8 MiB)"),
    (
        "cross-origin-redirect",
        "API calls redirect to another origin",
    ),
    (
        "same-origin-redirect",
        "API calls redirect to the same path with a / added (followed, keys kept)",
    ),
    (
        "wrong-json-types",
        "JSON with wrong types: {\"count\":\"many\"}, Codebase 42",
    ),
    ("malformed-json", "JSON cut off in the middle"),
    (
        "members",
        "Many API members for `cwsetup members`: Admin, inactive, below Corporate with excluded boards, vendors' roles with drifts",
    ),
    (
        "hostile-text",
        "The version and agreement (type) names hold terminal escapes, OSC 52/8 and bidi overrides",
    ),
];

impl Scenario {
    /// A healthy cloud tenant; the member has every gated function at All (System / Security
    /// Roles and Member Maintenance at Inquire only), more than Sync 365 needs.
    pub fn new() -> Self {
        // Every gated function at All, except the System ones an integration only reads.
        let permissions: Vec<SimPermission> = GATES
            .iter()
            .map(|(module, function, _)| {
                let levels = if matches!(*function, "Security Roles" | "Member Maintenance") {
                    Levels::inquire_only(Level::All)
                } else {
                    Levels::uniform(Level::All)
                };
                SimPermission::new(module, function, levels)
            })
            .collect();
        Scenario {
            latency: Duration::ZERO,
            second_permissions: permissions.clone(),
            permissions,
            unknown_company: false,
            self_hosted: false,
            is_cloud_as_string: false,
            site_url: None,
            rate_limited: None,
            server_errors: None,
            fault: None,
            fault_scope: FaultScope::Everything,
            oversized: false,
            cross_origin_redirect: false,
            same_origin_redirect: false,
            stale_codebase: false,
            my_security: MySecurityMode::Readable,
            zero_companies: false,
            hidden_agreement_types: Vec::new(),
            customize_lacks: Vec::new(),
            inactive_member: false,
            old_key_kept: false,
            hostile_text: false,
            admin: AdminScenario::new(),
        }
    }

    /// The demo for `profiles` (`check --demo`, `audit --demo`): a server on this computer
    /// (self-hosted, as the wizard labels it), whose vendor role is exactly the role they need, as
    /// the API member's own rights (mySecurity) and as the admin keys read it, so the check and
    /// the audit describe the same tenant. No profile rows: the healthy tenant's.
    pub fn for_profiles(profiles: &[&crate::profile::Profile]) -> Self {
        let mut s = Scenario::new().self_hosted();
        let merged = crate::profile::merge(profiles);
        if merged.rows.is_empty() {
            return s;
        }
        let rows: Vec<SimPermission> = merged
            .rows
            .iter()
            .map(|r| SimPermission::new(&r.module, &r.function, r.levels))
            .collect();
        s.permissions = rows.clone();
        s.second_permissions = rows.clone();
        s.admin.role_rows = rows;
        s.admin.role_name = merged.role_name.clone();
        if let Some(first) = profiles.first() {
            s.admin.member_identifier = first.member.member_id.trim().to_string();
        }
        s
    }

    /// The scenario called `name` in [`Scenario::catalog`] (case-insensitive).
    pub fn named(name: &str) -> Option<Scenario> {
        let s = Scenario::new();
        let scenario = match name.trim().to_ascii_lowercase().as_str() {
            "healthy" => s,
            "slow" => s.latency(Duration::from_millis(800)),
            "unknown-company" => s.unknown_company(),
            "self-hosted" => s.self_hosted(),
            "is-cloud-string" => s.is_cloud_as_string(),
            "inactive-member" => s.inactive_member(),
            "old-key-kept" => s.old_key_kept(),
            "role-missing-row" => s.role_revoke("Procurement", "Products"),
            "role-over-privileged" => s
                .role_grant(SimPermission::uniform(
                    "Service Desk",
                    "Service Tickets",
                    Level::All,
                ))
                .role_grant(SimPermission::uniform(
                    "Companies",
                    "Company Maintenance",
                    Level::All,
                )),
            "role-admin" => s.role_admin(),
            "role-not-found" => s.role_named("Sync365 API"),
            "member-not-found" => s.member_identifier("S365API"),
            "member-wrong-role" => s.member_role(TECHNICIAN_ROLE_ID),
            "member-lower-level" => s.member_level(2, "Location 2"),
            "member-no-location" => s.member_unplaced(),
            "admin-no-member-maintenance" => s.admin_revoke("System", "Member Maintenance"),
            "admin-no-security-roles" => s.admin_revoke("System", "Security Roles"),
            "missing-products" => s.revoke("Procurement", "Products"),
            "missing-catalog" => s.revoke("Procurement", "Product Catalog"),
            "missing-agreements" => s.revoke("Finance", "Agreements"),
            "missing-table-setup" => {
                s.customize_lacks(&["finance/agreements/types", "finance/billingCycles"])
            }
            "table-setup-none" => s.revoke("System", "Table Setup"),
            "my-security-forbidden" => s.my_security(MySecurityMode::Forbidden),
            "my-security-missing" => s.my_security(MySecurityMode::NotFound),
            "location-limited" => s.zero_companies(),
            "hidden-agreement-types" => s.hidden_agreement_types(&["Managed Services"]),
            "rate-limited" => s.rate_limited(3, 1),
            "server-errors" => s.server_errors(2, 503),
            "stale-codebase" => s.stale_codebase(),
            "html" => s.html(),
            "hang" => s.hang(),
            "slow-body" => s.slow_body(),
            "oversized" => s.oversized(),
            "cross-origin-redirect" => s.cross_origin_redirect(),
            "same-origin-redirect" => s.same_origin_redirect(),
            "wrong-json-types" => s.wrong_json_types(),
            "malformed-json" => s.malformed_json(),
            "hostile-text" => s.hostile_text(),
            "members" => Scenario::members_tenant(),
            _ => return None,
        };
        Some(scenario)
    }

    /// `(name, description)` of every scenario [`Scenario::named`] knows.
    pub fn catalog() -> &'static [(&'static str, &'static str)] {
        CATALOG
    }

    /// Wait this long before answering each request.
    pub fn latency(mut self, d: Duration) -> Self {
        self.latency = d;
        self
    }

    /// Replace the member's security rows.
    pub fn permissions(mut self, rows: Vec<SimPermission>) -> Self {
        self.permissions = rows;
        self
    }

    /// Set every level of `module / function` to None (adding the row if it is missing).
    pub fn revoke(mut self, module: &str, function: &str) -> Self {
        revoke_row(&mut self.permissions, module, function);
        self
    }

    /// Like [`Scenario::revoke`], for the second API member (the second demo key pair) only.
    pub fn second_revoke(mut self, module: &str, function: &str) -> Self {
        revoke_row(&mut self.second_permissions, module, function);
        self
    }

    /// `endpoints` answer 403 although the member's level allows them, as when the role's Table
    /// Setup Customize list leaves their tables out (mySecurity still shows the level).
    pub fn customize_lacks(mut self, endpoints: &[&str]) -> Self {
        self.customize_lacks = endpoints.iter().map(|e| (*e).to_string()).collect();
        self
    }

    /// `login/companyinfo/{id}` answers 200 with the body `null` for every id.
    pub fn unknown_company(mut self) -> Self {
        self.unknown_company = true;
        self
    }

    /// Codebase `v4_6_release/`, `IsCloud` false, no `SiteUrl`.
    pub fn self_hosted(mut self) -> Self {
        self.self_hosted = true;
        self
    }

    /// companyinfo names `host` (e.g. `api-na.myconnectwise.net`) as `SiteUrl` instead of the
    /// sim's own address: a cloud region's two hosts, for a client whose resolver sends both
    /// names to simulators on 127.0.0.1 (the network benchmark).
    pub fn site_url(mut self, host: &str) -> Self {
        self.site_url = Some(host.to_string());
        self
    }

    /// `IsCloud` is sent as a string (`"True"`/`"False"`), as ConnectWise's own guide shows.
    pub fn is_cloud_as_string(mut self) -> Self {
        self.is_cloud_as_string = true;
        self
    }

    /// The next `times` API answers are 429 with `Retry-After: retry_after_secs`.
    /// Counted after the clientId and credential checks, as a per-member limit would be.
    pub fn rate_limited(mut self, times: usize, retry_after_secs: u64) -> Self {
        self.rate_limited = Some((times, retry_after_secs));
        self
    }

    /// The next `times` API answers have `status` (5xx) and ConnectWise's timeout body.
    /// Counted after the credential checks and after any 429s.
    pub fn server_errors(mut self, times: usize, status: u16) -> Self {
        self.server_errors = Some((times, status));
        self
    }

    /// Every answer is an HTML page (a wrong host).
    pub fn html(mut self) -> Self {
        self.fault = Some(Fault::Html);
        self
    }

    /// Connections are accepted and never answered (until the server shuts down).
    pub fn hang(mut self) -> Self {
        self.fault = Some(Fault::Hang);
        self
    }

    /// Headers, then one byte every 100 ms.
    pub fn slow_body(mut self) -> Self {
        self.fault = Some(Fault::SlowBody);
        self
    }

    /// API calls answer a chunked body of 16 MiB (over the client's 8 MiB cap).
    pub fn oversized(mut self) -> Self {
        self.oversized = true;
        self
    }

    /// API calls answer 302 to a second listener (another port, so another origin), which
    /// records what it receives and answers like the API would.
    pub fn cross_origin_redirect(mut self) -> Self {
        self.cross_origin_redirect = true;
        self
    }

    /// API calls whose path does not end in `/` answer 302 to the same origin and path with a
    /// `/` added (as some IIS setups do); a client may follow this one.
    pub fn same_origin_redirect(mut self) -> Self {
        self.same_origin_redirect = true;
        self
    }

    /// companyinfo first answers an old codebase whose API answers 404; after the first such
    /// 404 it answers the current codebase.
    pub fn stale_codebase(mut self) -> Self {
        self.stale_codebase = true;
        self
    }

    /// How `system/mySecurity` answers.
    pub fn my_security(mut self, mode: MySecurityMode) -> Self {
        self.my_security = mode;
        self
    }

    /// The member is limited to a location: `company/companies` is empty, its count 0.
    pub fn zero_companies(mut self) -> Self {
        self.zero_companies = true;
        self
    }

    /// Agreements of these types are invisible; their children stay visible, with
    /// `parentAgreement` pointing at an agreement that cannot be read. The types themselves are
    /// still listed by `finance/agreements/types`: that setup table is gated by Table Setup, not
    /// by the Agreements row's allowed types (an assumption: the real service is undocumented).
    pub fn hidden_agreement_types(mut self, types: &[&str]) -> Self {
        self.hidden_agreement_types = types.iter().map(|t| t.to_string()).collect();
        self
    }

    /// `system/info`'s version and the agreement and agreement type names end with
    /// [`crate::sim::data::HOSTILE_SUFFIX`]: escape sequences (window title, clear screen, OSC 52
    /// clipboard write, OSC 8 hyperlink, C1 CSI) and bidi overrides, as any ConnectWise user
    /// could type into a name.
    pub fn hostile_text(mut self) -> Self {
        self.hostile_text = true;
        self
    }

    /// The vendor's API member is inactive: its valid keys still get 401, and the technician's
    /// own keys see `inactiveFlag: true` on it.
    pub fn inactive_member(mut self) -> Self {
        self.inactive_member = true;
        self
    }

    /// The demo member's old key pair is still accepted, as the same member as the demo keys: a
    /// rotation whose old key was not deleted. [`crate::sim::SimServer::delete_old_key`] deletes
    /// it while the simulator runs.
    pub fn old_key_kept(mut self) -> Self {
        self.old_key_kept = true;
        self
    }

    /// JSON with wrong types: `{"count":"many"}`, ids as strings, companyinfo `Codebase: 42`.
    pub fn wrong_json_types(mut self) -> Self {
        self.fault = Some(Fault::WrongJsonTypes);
        self
    }

    /// JSON bodies cut off in the middle.
    pub fn malformed_json(mut self) -> Self {
        self.fault = Some(Fault::MalformedJson);
        self
    }

    /// Apply `html`, `hang`, `slow_body`, `wrong_json_types` and `malformed_json` only to
    /// `apis/3.0/` calls, so that codebase discovery succeeds first.
    pub fn faults_only_on_api(mut self) -> Self {
        self.fault_scope = FaultScope::ApiOnly;
        self
    }
}

/// The audit's knobs: the vendor role, the API member, and the technician's own keys.
impl Scenario {
    /// Replace the vendor role's rows (functions not listed are at None).
    pub fn role_rows(mut self, rows: Vec<SimPermission>) -> Self {
        self.admin.role_rows = rows;
        self
    }

    /// Drop `module / function` from the vendor role (it reads as None).
    pub fn role_revoke(mut self, module: &str, function: &str) -> Self {
        self.admin.role_rows.retain(|p| {
            !(p.module.eq_ignore_ascii_case(module) && p.function.eq_ignore_ascii_case(function))
        });
        self
    }

    /// Give the vendor role `row`, replacing the row of the same function.
    pub fn role_grant(mut self, row: SimPermission) -> Self {
        self.admin.role_rows.retain(|p| {
            !(p.module.eq_ignore_ascii_case(&row.module)
                && p.function.eq_ignore_ascii_case(&row.function))
        });
        self.admin.role_rows.push(row);
        self
    }

    /// The vendor role is flagged Admin: every function at All.
    pub fn role_admin(mut self) -> Self {
        self.admin.role_admin = true;
        self
    }

    /// Rename the vendor role (so the recommended name is not found).
    pub fn role_named(mut self, name: &str) -> Self {
        self.admin.role_name = name.to_string();
        self
    }

    /// The API member's identifier.
    pub fn member_identifier(mut self, identifier: &str) -> Self {
        self.admin.member_identifier = identifier.to_string();
        self
    }

    /// The API member has role `role_id` (1 Admin, 22 the vendor role, 23 Technician).
    pub fn member_role(mut self, role_id: u64) -> Self {
        self.admin.member_role = role_id;
        self
    }

    /// The API member's Level.
    pub fn member_level(mut self, id: u64, name: &str) -> Self {
        self.admin.member_level = (id, name.to_string());
        self
    }

    /// The API member has no location and no department.
    pub fn member_unplaced(mut self) -> Self {
        self.admin.member_placed = false;
        self
    }

    /// Set `module / function` to None for the technician's own keys.
    pub fn admin_revoke(mut self, module: &str, function: &str) -> Self {
        for p in self.admin.permissions.iter_mut().filter(|p| {
            p.module.eq_ignore_ascii_case(module) && p.function.eq_ignore_ascii_case(function)
        }) {
            *p = SimPermission::uniform(&p.module, &p.function, Level::None);
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revoke_adds_a_missing_row_at_none() {
        let s = Scenario::new()
            .permissions(Vec::new())
            .revoke("Finance", "Agreements");
        assert_eq!(
            s.permissions,
            vec![SimPermission::uniform("Finance", "Agreements", Level::None)]
        );
    }
}

//! Which security function gates which endpoint of the simulated ConnectWise, and the row type
//! the simulated member's rights are written in. A leaf: the scenario, the admin keys' tenant
//! and the routes all read it.

use crate::permission::{Level, Levels};

/// One row of the simulated member's security role (what `system/mySecurity` reports and what
/// gates the endpoints).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimPermission {
    pub module: String,
    pub function: String,
    pub levels: Levels,
}

impl SimPermission {
    pub fn new(module: &str, function: &str, levels: Levels) -> Self {
        SimPermission {
            module: module.to_string(),
            function: function.to_string(),
            levels,
        }
    }

    /// A row with the same level on add, edit, delete and inquire.
    pub fn uniform(module: &str, function: &str, level: Level) -> Self {
        SimPermission::new(module, function, Levels::uniform(level))
    }
}

/// Which module/function gates which endpoints (a path prefix under `apis/3.0/`).
/// `Finance / Agreement Invoicing` gates no GET: it only exists in the security rows.
/// The first match wins: setup tables under `finance/agreements/` belong to Table Setup.
/// Every probe of [`crate::profile::PROBES`] is gated here by the same function (a test in this
/// module checks it), so that each shipped profile can be checked end to end.
pub const GATES: &[(&str, &str, &[&str])] = &[
    (
        "System",
        "Table Setup",
        &["finance/agreements/types", "finance/billingCycles"],
    ),
    ("Companies", "Company Maintenance", &["company/companies"]),
    ("Companies", "Configurations", &["company/configurations"]),
    ("Companies", "Contacts", &["company/contacts"]),
    ("Companies", "CRM/Sales Activities", &["sales/activities"]),
    ("Finance", "Agreements", &["finance/agreements"]),
    ("Finance", "Agreement Invoicing", &[]),
    ("Service Desk", "Service Tickets", &["service/tickets"]),
    ("Service Desk", "Resource Scheduling", &["schedule/entries"]),
    ("Project", "Project Tickets", &["project/tickets"]),
    ("Project", "Project Headers", &["project/projects"]),
    ("Time & Expense", "Time Entry", &["time/entries"]),
    (
        "Time & Expense",
        "Expense Report Entry",
        &["expense/entries"],
    ),
    ("Finance", "Invoicing", &["finance/invoices"]),
    ("Procurement", "Products", &["procurement/products"]),
    ("Procurement", "Product Catalog", &["procurement/catalog"]),
    (
        "Procurement",
        "Purchase Orders",
        &["procurement/purchaseorders"],
    ),
    (
        "Procurement",
        "Inventory Adjustments",
        &["procurement/adjustments"],
    ),
    ("Sales", "Opportunity", &["sales/opportunities"]),
    ("Sales", "Sales Orders", &["sales/orders"]),
    ("Marketing", "Marketing Groups", &["marketing/groups"]),
    ("System", "API Reports", &["system/reports"]),
    ("System", "Security Roles", &["system/securityRoles"]),
    (
        "System",
        "Member Maintenance",
        &["system/apiMembers", "system/members"],
    ),
];

/// The function gating `endpoint` (a path under `apis/3.0/`, without query), if any.
pub fn gate_for(endpoint: &str) -> Option<(&'static str, &'static str)> {
    let endpoint = endpoint.trim_matches('/');
    GATES.iter().find_map(|(module, function, prefixes)| {
        prefixes
            .iter()
            .any(|p| {
                // Byte-wise: the path may hold any UTF-8, and slicing a str could split a char.
                let (e, p) = (endpoint.as_bytes(), p.as_bytes());
                e.eq_ignore_ascii_case(p)
                    || (e.len() > p.len()
                        && e[..p.len()].eq_ignore_ascii_case(p)
                        && e[p.len()] == b'/')
            })
            .then_some((*module, *function))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gates_match_whole_segments_case_insensitively() {
        assert_eq!(
            gate_for("procurement/products/count"),
            Some(("Procurement", "Products"))
        );
        assert_eq!(
            gate_for("Company/Companies"),
            Some(("Companies", "Company Maintenance"))
        );
        assert_eq!(gate_for("procurement/productsX"), None);
        assert_eq!(gate_for("system/info"), None);
        // Multi-byte characters right where a prefix ends must not panic.
        assert_eq!(gate_for("company/companieé"), None);
        assert_eq!(gate_for("é"), None);
    }

    #[test]
    fn every_probe_is_gated_by_its_own_function() {
        for entry in crate::profile::PROBES {
            if let Some(endpoint) = entry.endpoint {
                assert_eq!(
                    gate_for(endpoint),
                    Some((entry.module, entry.function)),
                    "{endpoint}"
                );
            }
        }
    }
}

//! Which read-only GET proves which security-role function: the one table the profiles' `probe`
//! fields, `cwsetup profiles validate` and the simulator's gates agree with.
//!
//! Each endpoint is a GET list in ConnectWise's published API, as the spec-generated client
//! HealthITAU/pyconnectwise names it (`src/pyconnectwise/endpoints/manage/<Name>Endpoint.py`,
//! commit 4a8df2a7, generated from the OpenAPI spec; the same paths are in ai-connor/connectwise,
//! spec 2025.1). Which function gates an endpoint is not in the spec: a mapping is listed only
//! where the function's name and the endpoint's records are the same thing. A function with no
//! such endpoint (Close Service Tickets, Agreement Invoicing, Table Setup whose tables depend on
//! its Customize list, ...) has `endpoint: None`: the check confirms it from `system/mySecurity`,
//! or asks for a check by hand when that cannot be read. It is never guessed.

/// One security-role function and the endpoint whose read access proves its Inquire level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProbeEntry {
    pub module: &'static str,
    pub function: &'static str,
    /// A path under `apis/3.0/`, or `None` when no read-only GET proves the function.
    pub endpoint: Option<&'static str>,
    /// Where the endpoint is published (or why there is none).
    pub source: &'static str,
}

const fn probe(
    module: &'static str,
    function: &'static str,
    endpoint: &'static str,
    source: &'static str,
) -> ProbeEntry {
    ProbeEntry {
        module,
        function,
        endpoint: Some(endpoint),
        source,
    }
}

const fn by_hand(module: &'static str, function: &'static str, source: &'static str) -> ProbeEntry {
    ProbeEntry {
        module,
        function,
        endpoint: None,
        source,
    }
}

const NO_GET: &str =
    "no read-only GET lists this function's records: confirmed from system/mySecurity";
const NESTED: &str = "its records are only listed under one company or project (e.g. company/companies/{id}/notes): confirmed from system/mySecurity";
const UNMAPPED: &str = "an endpoint exists near it, but nothing published says this function gates it: confirmed from system/mySecurity";

/// Every function the shipped profiles name, with its probe (or none). Module and function names
/// are ConnectWise's own, as its security-role screen shows them.
pub const PROBES: &[ProbeEntry] = &[
    // Companies
    probe(
        "Companies",
        "Company Maintenance",
        "company/companies",
        "PYCW CompanyCompaniesEndpoint (GET list)",
    ),
    by_hand("Companies", "Company/Contact Group Maintenance", UNMAPPED),
    by_hand(
        "Companies",
        "Configuration - Display Passwords",
        "a field-level right on configurations; no endpoint of its own: confirmed from system/mySecurity",
    ),
    probe(
        "Companies",
        "Configurations",
        "company/configurations",
        "PYCW CompanyConfigurationsEndpoint (GET list)",
    ),
    probe(
        "Companies",
        "Contacts",
        "company/contacts",
        "PYCW CompanyContactsEndpoint (GET list)",
    ),
    probe(
        "Companies",
        "CRM/Sales Activities",
        "sales/activities",
        "PYCW SalesActivitiesEndpoint (GET list); the Activity model of spec 2025.8: the activities this function creates",
    ),
    by_hand(
        "Companies",
        "Manage Attachments",
        "system/documents needs a record type and id: confirmed from system/mySecurity",
    ),
    by_hand("Companies", "Management", NESTED),
    by_hand("Companies", "Notes", NESTED),
    by_hand("Companies", "Surveys", UNMAPPED),
    by_hand("Companies", "Team Members", NESTED),
    by_hand("Companies", "Tracks", NESTED),
    // Finance
    by_hand("Finance", "Accounting Interface", NO_GET),
    by_hand("Finance", "Agreement Invoicing", NO_GET),
    probe(
        "Finance",
        "Agreements",
        "finance/agreements",
        "PYCW FinanceAgreementsEndpoint (GET list)",
    ),
    by_hand("Finance", "Billing Rate Maintenance", UNMAPPED),
    by_hand("Finance", "Billing View Time", NO_GET),
    by_hand("Finance", "Company Finance", NESTED),
    probe(
        "Finance",
        "Invoicing",
        "finance/invoices",
        "PYCW FinanceInvoicesEndpoint (GET list)",
    ),
    by_hand("Finance", "Reports", NO_GET),
    // Marketing
    probe(
        "Marketing",
        "Marketing Groups",
        "marketing/groups",
        "PYCW MarketingGroupsEndpoint (GET list)",
    ),
    // Procurement
    probe(
        "Procurement",
        "Inventory Adjustments",
        "procurement/adjustments",
        "PYCW ProcurementAdjustmentsEndpoint (GET list)",
    ),
    by_hand(
        "Procurement",
        "Product Billable Option",
        "a field-level right on products: confirmed from system/mySecurity",
    ),
    probe(
        "Procurement",
        "Product Catalog",
        "procurement/catalog",
        "PYCW ProcurementCatalogEndpoint (GET list)",
    ),
    probe(
        "Procurement",
        "Products",
        "procurement/products",
        "PYCW ProcurementProductsEndpoint (GET list)",
    ),
    probe(
        "Procurement",
        "Purchase Orders",
        "procurement/purchaseorders",
        "PYCW ProcurementPurchaseordersEndpoint (GET list)",
    ),
    // Project
    by_hand("Project", "Close Projects", NO_GET),
    by_hand("Project", "Close Project Tickets", NO_GET),
    by_hand("Project", "Project Contacts", NESTED),
    probe(
        "Project",
        "Project Headers",
        "project/projects",
        "PYCW ProjectProjectsEndpoint (GET list): a project's header is the project record",
    ),
    by_hand("Project", "Project Management", UNMAPPED),
    by_hand("Project", "Project Notes", NESTED),
    by_hand("Project", "Project Phase", NESTED),
    by_hand("Project", "Project Product", UNMAPPED),
    by_hand("Project", "Project Scheduling", UNMAPPED),
    by_hand("Project", "Project Teams", NESTED),
    by_hand("Project", "Project Templates", UNMAPPED),
    by_hand("Project", "Project Ticket - Dependencies", NESTED),
    by_hand("Project", "Project Ticket Tasks", NESTED),
    probe(
        "Project",
        "Project Tickets",
        "project/tickets",
        "PYCW ProjectTicketsEndpoint (GET list)",
    ),
    // Sales
    probe(
        "Sales",
        "Opportunity",
        "sales/opportunities",
        "PYCW SalesOpportunitiesEndpoint (GET list)",
    ),
    by_hand("Sales", "Sales Dashboard", NO_GET),
    by_hand("Sales", "Sales Funnel", NO_GET),
    probe(
        "Sales",
        "Sales Orders",
        "sales/orders",
        "PYCW SalesOrdersEndpoint (GET list)",
    ),
    // Service Desk
    by_hand("Service Desk", "Close Service Tickets", NO_GET),
    by_hand("Service Desk", "Merge Tickets", NO_GET),
    by_hand("Service Desk", "Reports", NO_GET),
    probe(
        "Service Desk",
        "Resource Scheduling",
        "schedule/entries",
        "PYCW ScheduleEntriesEndpoint (GET list): schedule entries are what Resource Scheduling shows",
    ),
    by_hand("Service Desk", "Service Ticket - Dependencies", NESTED),
    probe(
        "Service Desk",
        "Service Tickets",
        "service/tickets",
        "PYCW ServiceTicketsEndpoint (GET list)",
    ),
    by_hand("Service Desk", "SLA Dashboard", NO_GET),
    by_hand("Service Desk", "Ticket Templates", UNMAPPED),
    // System
    by_hand(
        "System",
        "Manage Hosted API",
        "system/connectwisehostedsetups lists hosted API setups, but they are also a Table Setup table (General / Manage Hosted API), so which function gates the GET is not published: confirmed from system/mySecurity",
    ),
    probe(
        "System",
        "API Reports",
        "system/reports",
        "PYCW SystemReportsEndpoint (GET list): the reports the API can run",
    ),
    probe(
        "System",
        "Member Maintenance",
        "system/members",
        "PYCW SystemMembersEndpoint (GET list); ADMIN_API.md section 2",
    ),
    by_hand(
        "System",
        "My Account",
        "system/myAccount answers with the calling member's own account, not a list the role opens, and nothing published says an API member's My Account right gates it: confirmed from system/mySecurity",
    ),
    by_hand("System", "My Company", UNMAPPED),
    by_hand("System", "Security", UNMAPPED),
    by_hand("System", "System Reports", NO_GET),
    by_hand(
        "System",
        "Table Setup",
        "the tables it opens depend on its Customize list; a profile may name a table it needs (sync365: finance/agreements/types), else confirmed from system/mySecurity",
    ),
    // Time & Expense
    probe(
        "Time & Expense",
        "Expense Report Entry",
        "expense/entries",
        "PYCW ExpenseEntriesEndpoint (GET list)",
    ),
    by_hand("Time & Expense", "Time Approval", UNMAPPED),
    probe(
        "Time & Expense",
        "Time Entry",
        "time/entries",
        "PYCW TimeEntriesEndpoint (GET list)",
    ),
    by_hand(
        "Time & Expense",
        "Time Entry Billable Option",
        "a field-level right on time entries: confirmed from system/mySecurity",
    ),
];

/// The Table Setup tables behind the setup-table endpoints a profile may probe, as Table Setup's
/// Customize list names them (`category / table`). A 403 on one of these, when system/mySecurity
/// shows Table Setup at the level needed, means the role's Customize list leaves the table out.
/// Only tables a shipped profile probes are listed, each named as that vendor's page names it
/// (sync365's Customize list); any other endpoint is described by its path.
pub const SETUP_TABLES: &[(&str, &str)] =
    &[("finance/agreements/types", "Agreements / Agreement Type")];

/// The Customize list's name for the setup table `endpoint` reads, if it is one.
pub fn setup_table_of(endpoint: &str) -> Option<&'static str> {
    let endpoint = endpoint.trim_matches('/');
    SETUP_TABLES
        .iter()
        .find(|(e, _)| e.eq_ignore_ascii_case(endpoint))
        .map(|(_, table)| *table)
}

/// Names compare on letters and digits only, case-insensitively, as ConnectWise's own names do
/// in system/mySecurity ("Company / Contact Group Maintenance" is "Company/Contact Group Maintenance").
pub(crate) fn name_key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The table's entry for `module / function`, if the function is known.
pub fn probe_entry(module: &str, function: &str) -> Option<&'static ProbeEntry> {
    let (m, f) = (name_key(module), name_key(function));
    PROBES
        .iter()
        .find(|e| name_key(e.module) == m && name_key(e.function) == f)
}

/// The endpoint that proves `module / function`, if one does.
pub fn probe_for(module: &str, function: &str) -> Option<&'static str> {
    probe_entry(module, function).and_then(|e| e.endpoint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_function_is_listed_once_and_every_endpoint_proves_one_function() {
        for (i, a) in PROBES.iter().enumerate() {
            for b in &PROBES[i + 1..] {
                assert!(
                    !(name_key(a.module) == name_key(b.module)
                        && name_key(a.function) == name_key(b.function)),
                    "{} / {} twice",
                    a.module,
                    a.function
                );
                if let (Some(x), Some(y)) = (a.endpoint, b.endpoint) {
                    assert_ne!(x, y, "{x} proves two functions");
                }
            }
        }
    }

    #[test]
    fn names_match_like_my_security() {
        assert_eq!(
            probe_for("companies", "Company / Contact Group Maintenance"),
            None
        );
        assert!(probe_entry("companies", "Company / Contact Group Maintenance").is_some());
        assert_eq!(
            probe_for("Time & Expense", "Time Entry"),
            Some("time/entries")
        );
        assert_eq!(probe_for("Companies", "Nope"), None);
    }
}

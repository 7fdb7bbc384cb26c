//! The seeded demo tenant: companies, contacts, agreements, products, catalog items and more,
//! with ConnectWise's wire field names, reference objects and `_info` hrefs.
//!
//! Everything is generated from fixed tables, so every run (and every test) sees the same data.

use serde_json::{Value, json};

use super::scenario::SimPermission;

/// Number of seeded records, exposed so tests can check counts against listings.
pub const COMPANY_COUNT: usize = 40;
pub const AGREEMENT_COUNT: usize = 30;
pub const PRODUCT_COUNT: usize = 50;
pub const CATALOG_COUNT: usize = 25;

/// The demo tenant's display name (companyinfo `CompanyName`).
pub const DEMO_COMPANY_NAME: &str = "Contoso Managed IT (demo)";

/// The API member the demo keys belong to.
pub const DEMO_MEMBER_ID: u64 = 178;
pub const DEMO_MEMBER_IDENTIFIER: &str = "S365";
pub const DEMO_MEMBER_NAME: &str = "Sync 365";

const COMPANY_NAMES: [&str; COMPANY_COUNT] = [
    "Contoso Managed IT",
    "Adatum Corporation",
    "Alpine Ski House",
    "Bellows College",
    "Best For You Organics",
    "Blue Yonder Airlines",
    "City Power & Light",
    "Coho Winery",
    "Consolidated Messenger",
    "Fabrikam Inc",
    "Fourth Coffee",
    "Graphic Design Institute",
    "Humongous Insurance",
    "Lamna Healthcare",
    "Liberty Delightful Sinful Bakery",
    "Litware Inc",
    "Lucerne Publishing",
    "Margie's Travel",
    "Munson's Pickles and Preserves",
    "Nod Publishers",
    "Northwind Traders",
    "Proseware Inc",
    "Relecloud",
    "School of Fine Art",
    "Southridge Video",
    "Tailspin Toys",
    "Trey Research",
    "The Phone Company",
    "VanArsdel Ltd",
    "Wide World Importers",
    "Wingtip Toys",
    "Woodgrove Bank",
    "Woodgrove Dental",
    "A. Datum Clinics",
    "Baldwin Museum of Science",
    "Central Valley Credit Union",
    "Hollow Creek Legal",
    "Maple Street Accounting",
    "Riverside Veterinary",
    "Summit Ridge Engineering",
];

const FIRST_NAMES: [&str; 10] = [
    "Avery", "Jordan", "Riley", "Morgan", "Casey", "Taylor", "Quinn", "Harper", "Rowan", "Emerson",
];
const LAST_NAMES: [&str; 10] = [
    "Fischer",
    "Okafor",
    "Lindqvist",
    "Moreau",
    "Tanaka",
    "Alvarez",
    "Novak",
    "Brennan",
    "Haddad",
    "Kowalski",
];

/// Agreement types: id, name.
pub const AGREEMENT_TYPES: [(u64, &str); 4] = [
    (1, "Managed Services"),
    (2, "Microsoft 365"),
    (3, "Block Time"),
    (4, "Backup and Recovery"),
];

/// Monthly amount billed per agreement type (same order as `AGREEMENT_TYPES`).
const BILL_AMOUNTS: [f64; 4] = [1450.0, 220.0, 1500.0, 75.0];

const CITIES: [(&str, &str); 5] = [
    ("Tampa", "FL"),
    ("Orlando", "FL"),
    ("Austin", "TX"),
    ("Denver", "CO"),
    ("Portland", "OR"),
];

/// Billing cycles: id, identifier, name, billingOptions.
const BILLING_CYCLES: [(u64, &str, &str, &str); 6] = [
    (1, "MON", "Monthly", "Monthly"),
    (2, "QTR", "Quarterly", "Quarterly"),
    (3, "YR", "Annual", "Yearly"),
    (4, "SEMI", "Semi-Annual", "SemiAnnual"),
    (5, "WK", "Weekly", "Weekly"),
    (6, "ONE", "One Time", "NotRecurring"),
];

/// Catalog items: identifier, description, category, price, cost.
const CATALOG: [(&str, &str, &str, f64, f64); CATALOG_COUNT] = [
    (
        "CFQ7TTC0LH18",
        "Microsoft 365 Business Basic",
        "Microsoft 365",
        6.0,
        5.1,
    ),
    (
        "CFQ7TTC0LDPB",
        "Microsoft 365 Business Standard",
        "Microsoft 365",
        12.5,
        10.63,
    ),
    (
        "CFQ7TTC0LCHC",
        "Microsoft 365 Business Premium",
        "Microsoft 365",
        22.0,
        18.7,
    ),
    (
        "CFQ7TTC0LFLZ",
        "Microsoft 365 E3",
        "Microsoft 365",
        36.0,
        30.6,
    ),
    (
        "CFQ7TTC0LFK5",
        "Microsoft 365 E5",
        "Microsoft 365",
        57.0,
        48.45,
    ),
    (
        "CFQ7TTC0LF8Q",
        "Exchange Online (Plan 1)",
        "Microsoft 365",
        4.0,
        3.4,
    ),
    (
        "CFQ7TTC0LF8R",
        "Exchange Online (Plan 2)",
        "Microsoft 365",
        8.0,
        6.8,
    ),
    (
        "CFQ7TTC0LH0R",
        "Microsoft Teams Essentials",
        "Microsoft 365",
        4.0,
        3.4,
    ),
    (
        "CFQ7TTC0LCWM",
        "Microsoft Defender for Business",
        "Security",
        3.0,
        2.55,
    ),
    (
        "CFQ7TTC0LH2H",
        "Microsoft Entra ID P1",
        "Security",
        6.0,
        5.1,
    ),
    (
        "CFQ7TTC0LH2J",
        "Microsoft Entra ID P2",
        "Security",
        9.0,
        7.65,
    ),
    (
        "CFQ7TTC0HDRF",
        "Microsoft Intune Plan 1",
        "Security",
        8.0,
        6.8,
    ),
    ("CFQ7TTC0LF6B", "Power BI Pro", "Microsoft 365", 14.0, 11.9),
    ("CFQ7TTC0LHXD", "Visio Plan 2", "Microsoft 365", 15.0, 12.75),
    (
        "CFQ7TTC0HD33",
        "Project Plan 3",
        "Microsoft 365",
        30.0,
        25.5,
    ),
    (
        "MS-AUDIO-CONF",
        "Microsoft Teams Audio Conferencing",
        "Microsoft 365",
        4.0,
        3.4,
    ),
    (
        "MSP-RMM-WS",
        "Managed Workstation",
        "Managed Services",
        45.0,
        12.0,
    ),
    (
        "MSP-RMM-SRV",
        "Managed Server",
        "Managed Services",
        150.0,
        35.0,
    ),
    (
        "MSP-HELPDESK",
        "Help Desk per User",
        "Managed Services",
        65.0,
        20.0,
    ),
    (
        "MSP-NET",
        "Managed Network Device",
        "Managed Services",
        25.0,
        5.0,
    ),
    (
        "BKP-M365",
        "Microsoft 365 Backup per User",
        "Backup",
        3.5,
        1.2,
    ),
    ("BKP-SRV", "Server Backup", "Backup", 99.0, 40.0),
    (
        "BKP-TB",
        "Cloud Backup Storage per TB",
        "Backup",
        60.0,
        22.0,
    ),
    ("LAB-REMOTE", "Remote Labor", "Labor", 150.0, 0.0),
    ("LAB-ONSITE", "Onsite Labor", "Labor", 175.0, 0.0),
];

const CATALOG_CATEGORIES: [(u64, &str); 5] = [
    (1, "Microsoft 365"),
    (2, "Security"),
    (3, "Managed Services"),
    (4, "Backup"),
    (5, "Labor"),
];

/// A reference object `{id, name, _info: {<kind>_href}}`.
pub(super) fn reference(id: u64, name: &str, kind: &str, href: String) -> Value {
    json!({"id": id, "name": name, "_info": {format!("{kind}_href"): href}})
}

fn company_id(index: usize) -> u64 {
    // Real tenants have sparse ids; start above 250 like a tenant with history.
    250 + index as u64 * 3
}

fn company_identifier(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(25)
        .collect()
}

fn company_ref(base: &str, index: usize) -> Value {
    let name = COMPANY_NAMES[index];
    let id = company_id(index);
    json!({
        "id": id,
        "identifier": company_identifier(name),
        "name": name,
        "_info": {"company_href": format!("{base}company/companies/{id}")}
    })
}

fn contact_id(company_index: usize, n: usize) -> u64 {
    1000 + company_index as u64 * 2 + n as u64
}

fn contact_name(company_index: usize, n: usize) -> String {
    let first = FIRST_NAMES[(company_index + n * 3) % FIRST_NAMES.len()];
    let last = LAST_NAMES[(company_index * 7 + n) % LAST_NAMES.len()];
    format!("{first} {last}")
}

pub(super) fn location_ref(base: &str) -> Value {
    reference(
        2,
        "Main Office",
        "location",
        format!("{base}system/locations/2"),
    )
}

pub(super) fn info(_base: &str, _path: &str, extra: &[(&str, String)]) -> Value {
    let mut map = serde_json::Map::new();
    map.insert("lastUpdated".into(), json!("2025-03-14T16:22:05Z"));
    map.insert("updatedBy".into(), json!("jsmith"));
    for (k, v) in extra {
        map.insert((*k).into(), json!(v));
    }
    Value::Object(map)
}

/// `company/companies`.
pub fn companies(base: &str) -> Vec<Value> {
    (0..COMPANY_COUNT)
        .map(|i| {
            let name = COMPANY_NAMES[i];
            let id = company_id(i);
            let status = if i % 13 == 12 { (2, "Inactive") } else { (1, "Active") };
            json!({
                "id": id,
                "identifier": company_identifier(name),
                "name": name,
                "status": reference(status.0, status.1, "status", format!("{base}company/companies/statuses/{}", status.0)),
                "addressLine1": format!("{} Main Street", 100 + i * 11),
                "city": CITIES[i % 5].0,
                "state": CITIES[i % 5].1,
                "zip": format!("{:05}", 33601 + i * 17),
                "country": reference(1, "United States", "country", format!("{base}company/countries/1")),
                "phoneNumber": format!("8135550{:03}", 100 + i),
                "website": format!("www.{}.example", company_identifier(name).to_ascii_lowercase()),
                "territory": reference(1, "Main", "location", format!("{base}system/locations/1")),
                "types": [reference(if i == 0 { 5 } else { 1 }, if i == 0 { "Owner" } else { "Client" }, "type", format!("{base}company/companies/types/{}", if i == 0 { 5 } else { 1 }))],
                "defaultContact": reference(contact_id(i, 0), &contact_name(i, 0), "contact", format!("{base}company/contacts/{}", contact_id(i, 0))),
                "dateAcquired": format!("20{:02}-0{}-1{}T00:00:00Z", 10 + i % 15, 1 + i % 9, i % 10),
                "deletedFlag": false,
                "mobileGuid": format!("9f3c2a1e-0000-4000-8000-{:012}", id),
                "_info": {
                    "lastUpdated": "2025-03-14T16:22:05Z",
                    "updatedBy": "jsmith",
                    "dateEntered": "2019-06-03T13:45:10Z",
                    "enteredBy": "jsmith",
                    "contacts_href": format!("{base}company/contacts?conditions=company/id={id}"),
                    "agreements_href": format!("{base}finance/agreements?conditions=company/id={id}"),
                    "sites_href": format!("{base}company/companies/{id}/sites"),
                },
            })
        })
        .collect()
}

/// `company/contacts`: two per company.
pub fn contacts(base: &str) -> Vec<Value> {
    let mut out = Vec::with_capacity(COMPANY_COUNT * 2);
    for (i, company_name) in COMPANY_NAMES.iter().enumerate() {
        for n in 0..2 {
            let id = contact_id(i, n);
            let name = contact_name(i, n);
            let (first, last) = name.split_once(' ').unwrap_or((name.as_str(), ""));
            out.push(json!({
                "id": id,
                "firstName": first,
                "lastName": last,
                "company": company_ref(base, i),
                "site": reference(1000 + i as u64, "Main", "site", format!("{base}company/companies/{}/sites/{}", company_id(i), 1000 + i)),
                "inactiveFlag": false,
                "title": if n == 0 { "Office Manager" } else { "Owner" },
                "defaultFlag": n == 0,
                "communicationItems": [{
                    "id": id * 10,
                    "type": reference(1, "Email", "type", format!("{base}company/communicationTypes/1")),
                    "value": format!("{}.{}@{}.example", first.to_ascii_lowercase(), last.to_ascii_lowercase(), company_identifier(company_name).to_ascii_lowercase()),
                    "defaultFlag": true,
                    "communicationType": "Email"
                }],
                "_info": info(base, "company/contacts", &[
                    ("communications_href", format!("{base}company/contacts/{id}/communications")),
                ]),
            }));
        }
    }
    out
}

/// One seeded agreement: (company index, type index, parent agreement index).
fn agreement_plan(index: usize) -> (usize, usize, Option<usize>) {
    // Agreements 0..20 are parents (Managed Services and Microsoft 365, alternating; Block Time
    // and Backup every fifth); 20..30 are children of the first ten parents (Microsoft 365
    // add-ons and backup under a managed-services parent), as MSPs set them up for Sync 365.
    if index < 20 {
        let type_index = match index % 5 {
            0 | 2 => 0,
            1 | 3 => 1,
            _ => 2,
        };
        (index * 2 % COMPANY_COUNT, type_index, None)
    } else {
        let parent = index - 20;
        let type_index = if index.is_multiple_of(2) { 1 } else { 3 };
        (parent * 2 % COMPANY_COUNT, type_index, Some(parent))
    }
}

fn agreement_id(index: usize) -> u64 {
    // Child agreements are created later, so they get higher ids.
    if index < 20 {
        101 + index as u64
    } else {
        201 + (index - 20) as u64
    }
}

fn agreement_name(index: usize) -> String {
    let (company, type_index, _) = agreement_plan(index);
    format!(
        "{} - {}",
        COMPANY_NAMES[company], AGREEMENT_TYPES[type_index].1
    )
}

/// `finance/agreements`.
pub fn agreements(base: &str) -> Vec<Value> {
    (0..AGREEMENT_COUNT)
        .map(|i| {
            let (company, type_index, parent) = agreement_plan(i);
            let id = agreement_id(i);
            let (type_id, type_name) = AGREEMENT_TYPES[type_index];
            let status = if i % 11 == 10 { "Expired" } else { "Active" };
            let mut record = json!({
                "id": id,
                "name": agreement_name(i),
                "type": reference(type_id, type_name, "type", format!("{base}finance/agreements/types/{type_id}")),
                "company": company_ref(base, company),
                "contact": reference(contact_id(company, 0), &contact_name(company, 0), "contact", format!("{base}company/contacts/{}", contact_id(company, 0))),
                "location": location_ref(base),
                "restrictLocationFlag": false,
                "restrictDepartmentFlag": false,
                "startDate": format!("2024-{:02}-01T00:00:00Z", 1 + i % 12),
                "noEndingDateFlag": true,
                "cancelledFlag": false,
                "applicationUnits": if type_index == 2 { "Hours" } else { "Amount" },
                "applicationLimit": if type_index == 2 { 10.0 } else { 0.0 },
                "applicationCycle": "CalendarMonth",
                "applicationUnlimitedFlag": type_index != 2,
                "oneTimeFlag": false,
                "billingCycle": reference(1, "Monthly", "billingCycle", format!("{base}finance/billingCycles/1")),
                "billToCompany": company_ref(base, company),
                "billAmount": BILL_AMOUNTS[type_index],
                "taxable": false,
                "invoicingCycle": "ContractYear",
                "agreementStatus": status,
                "billTime": "Billable",
                "billExpenses": "Billable",
                "billProducts": "Billable",
                "_info": info(base, "finance/agreements", &[
                    ("additions_href", format!("{base}finance/agreements/{id}/additions")),
                ]),
            });
            // ConnectWise omits the key entirely when there is no parent.
            if let (Some(parent), Some(map)) = (parent, record.as_object_mut()) {
                let pid = agreement_id(parent);
                map.insert(
                    "parentAgreement".into(),
                    reference(pid, &agreement_name(parent), "agreement", format!("{base}finance/agreements/{pid}")),
                );
            }
            record
        })
        .collect()
}

/// `finance/agreements/types`.
pub fn agreement_types(base: &str) -> Vec<Value> {
    AGREEMENT_TYPES
        .iter()
        .map(|(id, name)| {
            json!({
                "id": id,
                "name": name,
                "defaultFlag": *id == 1,
                "inactiveFlag": false,
                "prefixSuffixFlag": "Prefix",
                "prePaymentFlag": false,
                "billingCycle": reference(1, "Monthly", "billingCycle", format!("{base}finance/billingCycles/1")),
                "billTime": "Billable",
                "billExpenses": "Billable",
                "billProducts": "Billable",
                // Required by the published AgreementType model (a spec-generated client
                // rejects a type without them).
                "employeeCompNotExceed": "Billing",
                "employeeCompRate": "Actual",
                "invoicingCycle": "ContractYear",
                "_info": info(base, "finance/agreements/types", &[]),
            })
        })
        .collect()
}

/// `procurement/catalog`.
pub fn catalog(base: &str) -> Vec<Value> {
    CATALOG
        .iter()
        .enumerate()
        .map(|(i, (identifier, description, category, price, cost))| {
            let id = 10 + i as u64;
            let (cat_id, cat_name) = CATALOG_CATEGORIES
                .iter()
                .find(|(_, n)| n == category)
                .copied()
                .unwrap_or(CATALOG_CATEGORIES[0]);
            json!({
                "id": id,
                "identifier": identifier,
                "description": description,
                "inactiveFlag": false,
                "subcategory": reference(cat_id, cat_name, "subcategory", format!("{base}procurement/subcategories/{cat_id}")),
                "category": reference(cat_id, cat_name, "category", format!("{base}procurement/categories/{cat_id}")),
                "type": reference(if *category == "Labor" { 2 } else { 1 }, if *category == "Labor" { "Service" } else { "Non-Inventory" }, "type", format!("{base}procurement/types/1")),
                "productClass": if *category == "Labor" { "Service" } else { "NonInventory" },
                "serializedFlag": false,
                "serializedCostFlag": false,
                "phaseProductFlag": false,
                "unitOfMeasure": reference(if *category == "Labor" { 3 } else { 1 }, if *category == "Labor" { "Hour" } else { "Each" }, "uom", format!("{base}procurement/unitOfMeasures/1")),
                "price": price,
                "cost": cost,
                "taxableFlag": false,
                "dropShipFlag": false,
                "specialOrderFlag": false,
                "customerDescription": description,
                "manufacturer": reference(if *category == "Labor" { 2 } else { 1 }, if *category == "Labor" { "Contoso Managed IT" } else { "Microsoft" }, "manufacturer", format!("{base}procurement/manufacturers/1")),
                "manufacturerPartNumber": identifier,
                "vendor": company_ref(base, 0),
                "billableOption": "Billable",
                "_info": info(base, "procurement/catalog", &[]),
            })
        })
        .collect()
}

/// `procurement/products`: lines on agreements, each pointing at a catalog item.
pub fn products(base: &str) -> Vec<Value> {
    (0..PRODUCT_COUNT)
        .map(|i| {
            let id = 5000 + i as u64;
            let item = (i * 7) % CATALOG_COUNT;
            let (identifier, description, _, price, cost) = CATALOG[item];
            let agreement = i % AGREEMENT_COUNT;
            let (company, _, _) = agreement_plan(agreement);
            let quantity = (1 + (i * 5) % 23) as f64;
            json!({
                "id": id,
                "catalogItem": {
                    "id": 10 + item as u64,
                    "identifier": identifier,
                    "_info": {"typeId": "1", "catalog_href": format!("{base}procurement/catalog/{}", 10 + item)}
                },
                "description": description,
                "sequenceNumber": (i % 5 + 1) as f64,
                "quantity": quantity,
                "unitOfMeasure": reference(1, "Each", "uom", format!("{base}procurement/unitOfMeasures/1")),
                "price": price,
                "cost": cost,
                "extPrice": price * quantity,
                "extCost": cost * quantity,
                "margin": (price - cost) * quantity,
                "agreementAmount": price * quantity,
                "priceMethod": "FlatRateForRange",
                "billableOption": "Billable",
                "agreement": reference(agreement_id(agreement), &agreement_name(agreement), "agreement", format!("{base}finance/agreements/{}", agreement_id(agreement))),
                "locationId": 2,
                "location": location_ref(base),
                "businessUnitId": 10,
                "businessUnit": reference(10, "Managed Services", "department", format!("{base}system/departments/10")),
                "vendorSku": identifier,
                "taxableFlag": false,
                "dropshipFlag": false,
                "specialOrderFlag": false,
                "phaseProductFlag": false,
                "cancelledFlag": false,
                "customerDescription": description,
                "productSuppliedFlag": false,
                "listPrice": price,
                "company": company_ref(base, company),
                "productClass": "NonInventory",
                "needToPurchaseFlag": false,
                "minimumStockFlag": false,
                "uom": "Each",
                "_info": info(base, "procurement/products", &[]),
            })
        })
        .collect()
}

/// `finance/invoices`: one per active parent agreement.
pub fn invoices(base: &str) -> Vec<Value> {
    (0..20)
        .map(|i| {
            let id = 7000 + i as u64;
            let (company, type_index, _) = agreement_plan(i);
            let total = BILL_AMOUNTS[type_index];
            json!({
                "id": id,
                "invoiceNumber": format!("INV{:05}", 21000 + i),
                "type": "Agreement",
                "status": reference(1, "New", "status", format!("{base}finance/invoiceStatuses/1")),
                "company": company_ref(base, company),
                "billToCompany": company_ref(base, company),
                "applyToType": "Agreement",
                "applyToId": agreement_id(i),
                "agreement": reference(agreement_id(i), &agreement_name(i), "agreement", format!("{base}finance/agreements/{}", agreement_id(i))),
                "date": "2025-03-01T00:00:00Z",
                "dueDate": "2025-03-31T00:00:00Z",
                "billingTerms": reference(1, "Net 30 days", "billingTerms", format!("{base}finance/billingTerms/1")),
                "subtotal": total,
                "total": total,
                "salesTax": 0.0,
                "balance": if i % 3 == 0 { 0.0 } else { total },
                "location": location_ref(base),
                "_info": info(base, "finance/invoices", &[]),
            })
        })
        .collect()
}

/// `finance/billingCycles`.
pub fn billing_cycles(base: &str) -> Vec<Value> {
    BILLING_CYCLES
        .iter()
        .map(|(id, identifier, name, options)| {
            json!({
                "id": id,
                "identifier": identifier,
                "name": name,
                "billingOptions": options,
                "defaultFlag": *id == 1,
                "_info": info(base, "finance/billingCycles", &[]),
            })
        })
        .collect()
}

fn member_ref(base: &str) -> Value {
    json!({
        "id": DEMO_MEMBER_ID,
        "identifier": DEMO_MEMBER_IDENTIFIER,
        "name": DEMO_MEMBER_NAME,
        "_info": {"member_href": format!("{base}system/members/{DEMO_MEMBER_ID}")}
    })
}

/// `system/members`: the technicians plus the API member (licenseClass `A`).
pub fn members(base: &str, inactive: bool) -> Vec<Value> {
    let mut out: Vec<Value> = [
        (176, "jsmith", "Jamie", "Smith"),
        (177, "apatel", "Anika", "Patel"),
    ]
    .iter()
    .map(|(id, identifier, first, last)| {
        json!({
            "id": id,
            "identifier": identifier,
            "firstName": first,
            "lastName": last,
            "licenseClass": "F",
            "inactiveFlag": false,
            "securityRole": reference(1, "Admin", "role", format!("{base}system/securityRoles/1")),
            "securityLevel": "Corporate",
            "defaultLocationId": 2,
            "officeEmail": format!("{identifier}@contoso-it.example"),
            "_info": info(base, "system/members", &[]),
        })
    })
    .collect();
    // Fields the published Member model requires (enums; the values a new member gets).
    let required = json!({
        "agreementInvoicingDisplayOptions": "RemainOnInvoicingScreen",
        "defaultEmail": "Office",
        "defaultPhone": "Office",
        "invoiceScreenDefaultTabFormat": "ShowInvoicingTab",
        "invoicingDisplayOptions": "RemainOnInvoicingScreen",
    });
    out.push(json!({
        "id": DEMO_MEMBER_ID,
        "identifier": DEMO_MEMBER_IDENTIFIER,
        "firstName": "Sync 365",
        "lastName": "API",
        "licenseClass": "A",
        "inactiveFlag": inactive,
        "securityRole": reference(22, "Sync 365 API", "role", format!("{base}system/securityRoles/22")),
        "securityLevel": "Corporate",
        "defaultLocationId": 2,
        "officeEmail": "sync365@contoso-it.example",
        "_info": info(base, "system/members", &[]),
    }));
    for member in &mut out {
        if let (Some(member), Some(required)) = (member.as_object_mut(), required.as_object()) {
            member.extend(required.clone());
        }
    }
    out
}

/// A stable identifier for a module/function name (`"Product Catalog"` → `"ProductCatalog"`).
pub(super) fn identifier_of(name: &str) -> String {
    name.chars().filter(|c| c.is_ascii_alphanumeric()).collect()
}

/// `system/mySecurity`: the vendor's member's rows.
pub fn my_security(base: &str, rows: &[SimPermission]) -> Vec<Value> {
    security_rows(base, rows, 3000, member_ref(base))
}

/// `system/mySecurity` rows for `member`, numbered from `first_id`: the vendor's member and
/// the technician's own (admin) keys answer the same shape.
pub(super) fn security_rows(
    base: &str,
    rows: &[SimPermission],
    first_id: u64,
    member: Value,
) -> Vec<Value> {
    rows.iter()
        .enumerate()
        .map(|(i, row)| {
            json!({
                "id": first_id + i as u64,
                "moduleIdentifier": identifier_of(&row.module),
                "moduleName": row.module,
                "moduleFunctionIdentifier": identifier_of(&row.function),
                "moduleFunctionName": row.function,
                "addLevel": row.add.as_str(),
                "editLevel": row.edit.as_str(),
                "deleteLevel": row.delete.as_str(),
                "inquireLevel": row.inquire.as_str(),
                "customFlag": false,
                "member": member,
                "_info": info(base, "system/mySecurity", &[]),
            })
        })
        .collect()
}

/// What the `hostile-text` scenario appends to names and the version: a window title (OSC 0),
/// a screen clear (CSI 2J), a clipboard write (OSC 52), a hyperlink (OSC 8), a C1 CSI, a
/// right-to-left override and an isolate.
pub const HOSTILE_SUFFIX: &str = "\u{1b}]0;pwned\u{7}\u{1b}[2J\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}]8;;https://evil.example/\u{1b}\\link\u{1b}]8;;\u{1b}\\\u{9b}31m\u{202e}txt.exe\u{2066}<img src=x onerror=alert(1)>";

/// Appends [`HOSTILE_SUFFIX`] to every `name` and `version` string in `value`, nested ones
/// (an agreement's `type.name`) included, so names still match each other.
pub fn make_hostile(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                match v {
                    Value::String(s) if key == "name" || key == "version" => {
                        s.push_str(HOSTILE_SUFFIX)
                    }
                    other => make_hostile(other),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(make_hostile),
        _ => {}
    }
}

/// `system/info`.
pub fn system_info(cloud: bool) -> Value {
    json!({
        "version": "v2025.1.10675",
        "isCloud": cloud,
        "serverTimeZone": "Eastern Standard Time",
        "licenseBits": [
            {"name": "Agreement", "activeFlag": true},
            {"name": "Procurement", "activeFlag": true},
            {"name": "Finance", "activeFlag": true}
        ],
        "cloudRegion": if cloud { "NA" } else { "" },
        "maxWorkFlowRecordsAllowed": 1000
    })
}

/// The endpoints that only prove a security-role function (see `crate::profile::PROBES`): a few
/// small records each, with the fields a client reads first. Their models are not in the
/// reference's field lists, so their shapes are kept minimal rather than guessed in full.
/// `name` is lowercase. `None` for an endpoint the simulator does not serve.
pub fn probe_collection(base: &str, name: &str) -> Option<Vec<Value>> {
    let status = |id: u64, name: &str, kind: &str, path: &str| {
        reference(id, name, kind, format!("{base}{path}/{id}"))
    };
    let records = match name {
        "company/configurations" => (0..3)
            .map(|i| {
                json!({
                    "id": 40 + i as u64,
                    "name": format!("{}-SRV{:02}", company_identifier(COMPANY_NAMES[i]), i + 1),
                    "type": status(3, "Server", "type", "company/configurations/types"),
                    "status": status(1, "Active", "status", "company/configurations/statuses"),
                    "company": company_ref(base, i),
                    "activeFlag": true,
                    "_info": info(base, name, &[]),
                })
            })
            .collect(),
        "service/tickets" | "project/tickets" => (0..3)
            .map(|i| {
                let summary = ["Printer offline", "New starter laptop", "Backup failed"][i];
                let mut ticket = json!({
                    "id": 5100 + i as u64,
                    "summary": summary,
                    "board": status(1, "Help Desk", "board", "service/boards"),
                    "status": status(16, "New", "status", "service/boards/1/statuses"),
                    "company": company_ref(base, i),
                    "closedFlag": false,
                    "_info": info(base, name, &[]),
                });
                if name == "project/tickets" {
                    ticket["id"] = json!(7100 + i as u64);
                    ticket["project"] = status(30, "Office move", "project", "project/projects");
                }
                ticket
            })
            .collect(),
        "project/projects" => vec![json!({
            "id": 30,
            "name": "Office move",
            "board": status(2, "Projects", "board", "project/boards"),
            "status": status(1, "Open", "status", "project/statuses"),
            "company": company_ref(base, 0),
            "closedFlag": false,
            "_info": info(base, name, &[]),
        })],
        "time/entries" | "expense/entries" => (0..2)
            .map(|i| {
                let mut entry = json!({
                    "id": 9000 + i as u64,
                    "company": company_ref(base, i),
                    "member": member_ref(base),
                    "_info": info(base, name, &[]),
                });
                if name == "time/entries" {
                    entry["chargeToId"] = json!(5100 + i as u64);
                    entry["chargeToType"] = json!("ServiceTicket");
                    entry["timeStart"] = json!("2025-03-14T09:00:00Z");
                    entry["timeEnd"] = json!("2025-03-14T09:30:00Z");
                    entry["actualHours"] = json!(0.5);
                } else {
                    entry["amount"] = json!(42.5);
                    entry["date"] = json!("2025-03-14T00:00:00Z");
                    entry["type"] = status(1, "Mileage", "type", "expense/types");
                }
                entry
            })
            .collect(),
        "schedule/entries" => vec![json!({
            "id": 880,
            "objectId": 5100,
            "name": "Printer offline",
            "member": member_ref(base),
            "dateStart": "2025-03-14T09:00:00Z",
            "dateEnd": "2025-03-14T10:00:00Z",
            "type": {"id": 4, "identifier": "S", "_info": {"type_href": format!("{base}schedule/types/4")}},
            "_info": info(base, name, &[]),
        })],
        "procurement/purchaseorders" => vec![json!({
            "id": 12,
            "poNumber": "PO-0012",
            "vendorCompany": company_ref(base, 1),
            "status": status(1, "Open", "status", "procurement/purchaseorderstatuses"),
            "closedFlag": false,
            "_info": info(base, name, &[]),
        })],
        "procurement/adjustments" => vec![json!({
            "id": 3,
            "identifier": "Stock count March",
            "type": status(1, "Physical count", "type", "procurement/adjustments/types"),
            "closedFlag": false,
            "_info": info(base, name, &[]),
        })],
        "sales/opportunities" => vec![json!({
            "id": 61,
            "name": "Firewall refresh",
            "company": company_ref(base, 2),
            "status": status(1, "Open", "status", "sales/opportunities/statuses"),
            "_info": info(base, name, &[]),
        })],
        "sales/orders" => vec![json!({
            "id": 8,
            "company": company_ref(base, 2),
            "orderDate": "2025-03-14T00:00:00Z",
            "status": status(1, "New", "status", "sales/orders/statuses"),
            "_info": info(base, name, &[]),
        })],
        "marketing/groups" => vec![json!({
            "id": 5,
            "name": "Newsletter",
            "inactiveFlag": false,
            "_info": info(base, name, &[]),
        })],
        "system/reports" => ["Activity", "Agreement", "Service"]
            .iter()
            .map(|n| json!({"name": n}))
            .collect(),
        _ => return None,
    };
    Some(records)
}

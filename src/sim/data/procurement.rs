//! `procurement/catalog` and `procurement/products`.

use serde_json::{Value, json};

use super::companies::company_ref;
use super::finance::{agreement_id, agreement_name, agreement_plan};
use super::{AGREEMENT_COUNT, CATALOG_COUNT, PRODUCT_COUNT, info, location_ref, reference};

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

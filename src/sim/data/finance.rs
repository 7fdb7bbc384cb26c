//! `finance/agreements`, their types, `finance/invoices` and `finance/billingCycles`.

use serde_json::{Value, json};

use super::companies::{COMPANY_NAMES, company_ref, contact_id, contact_name};
use super::{AGREEMENT_COUNT, COMPANY_COUNT, info, location_ref, reference};

/// Agreement types: id, name.
pub const AGREEMENT_TYPES: [(u64, &str); 4] = [
    (1, "Managed Services"),
    (2, "Microsoft 365"),
    (3, "Block Time"),
    (4, "Backup and Recovery"),
];

/// Monthly amount billed per agreement type (same order as `AGREEMENT_TYPES`).
const BILL_AMOUNTS: [f64; 4] = [1450.0, 220.0, 1500.0, 75.0];

/// Billing cycles: id, identifier, name, billingOptions.
const BILLING_CYCLES: [(u64, &str, &str, &str); 6] = [
    (1, "MON", "Monthly", "Monthly"),
    (2, "QTR", "Quarterly", "Quarterly"),
    (3, "YR", "Annual", "Yearly"),
    (4, "SEMI", "Semi-Annual", "SemiAnnual"),
    (5, "WK", "Weekly", "Weekly"),
    (6, "ONE", "One Time", "NotRecurring"),
];

/// One seeded agreement: (company index, type index, parent agreement index).
pub(super) fn agreement_plan(index: usize) -> (usize, usize, Option<usize>) {
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

pub(super) fn agreement_id(index: usize) -> u64 {
    // Child agreements are created later, so they get higher ids.
    if index < 20 {
        101 + index as u64
    } else {
        201 + (index - 20) as u64
    }
}

pub(super) fn agreement_name(index: usize) -> String {
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
                // Where the invoice pre/suffix goes (`prefixSuffixFlag` is BillingSetup's).
                "prefixSuffixOption": "Prefix",
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

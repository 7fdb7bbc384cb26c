//! The endpoints that only prove a security-role function.

use serde_json::{Value, json};

use super::companies::{COMPANY_NAMES, company_identifier, company_ref, contact_id, contact_name};
use super::members::member_ref;
use super::{info, reference};

/// The endpoints that only prove a security-role function (see `crate::profile::PROBES`): a few
/// small records each, with the fields a client reads first and every field the spec's model
/// (API version 2025.8) requires; nothing is guessed beyond that. Adjustments, marketing groups
/// and report listings have no model in the reference, so their shapes are kept minimal.
/// `name` is lowercase. `None` for an endpoint the simulator does not serve.
pub fn probe_collection(base: &str, name: &str) -> Option<Vec<Value>> {
    service_records(base, name)
        .or_else(|| project_records(base, name))
        .or_else(|| time_records(base, name))
        .or_else(|| procurement_records(base, name))
        .or_else(|| sales_records(base, name))
        .or_else(|| other_records(base, name))
}

/// A reference to a record at `{base}{path}/{id}` (a status, a type, a board, ...).
fn status(base: &str, id: u64, name: &str, kind: &str, path: &str) -> Value {
    reference(id, name, kind, format!("{base}{path}/{id}"))
}

/// The first contact of company `company`, as a reference.
fn contact(base: &str, company: usize) -> Value {
    let id = contact_id(company, 0);
    reference(
        id,
        &contact_name(company, 0),
        "contact",
        format!("{base}company/contacts/{id}"),
    )
}

// One function per area of ConnectWise: each gives the records of its own endpoints and `None`
// for any other name.

fn service_records(base: &str, name: &str) -> Option<Vec<Value>> {
    let records = match name {
        "company/configurations" => (0..3)
            .map(|i| {
                json!({
                    "id": 40 + i as u64,
                    "name": format!("{}-SRV{:02}", company_identifier(COMPANY_NAMES[i]), i + 1),
                    "type": status(base, 3, "Server", "type", "company/configurations/types"),
                    "status": status(base, 1, "Active", "status", "company/configurations/statuses"),
                    "company": company_ref(base, i),
                    "activeFlag": true,
                    "_info": info(base, name, &[]),
                })
            })
            .collect(),
        "service/tickets" => (0..3)
            .map(|i| {
                let summary = ["Printer offline", "New starter laptop", "Backup failed"][i];
                json!({
                    "id": 5100 + i as u64,
                    "summary": summary,
                    "board": status(base, 1, "Help Desk", "board", "service/boards"),
                    "status": status(base, 16, "New", "status", "service/boards/1/statuses"),
                    "company": company_ref(base, i),
                    "closedFlag": false,
                    "_info": info(base, name, &[]),
                })
            })
            .collect(),
        _ => return None,
    };
    Some(records)
}

fn project_records(base: &str, name: &str) -> Option<Vec<Value>> {
    let records = match name {
        // The spec's ProjectTicket requires its phase (a reference: id and name).
        "project/tickets" => [
            (41, "Planning", "Survey the new office"),
            (42, "Move", "Move the server rack"),
            (42, "Move", "Cut the phones over"),
        ]
        .iter()
        .enumerate()
        .map(|(i, (phase_id, phase, summary))| {
            json!({
                "id": 7100 + i as u64,
                "summary": summary,
                "project": status(base, 30, "Office move", "project", "project/projects"),
                "phase": status(base, *phase_id, phase, "phase", "project/projects/30/phases"),
                "board": status(base, 2, "Projects", "board", "project/boards"),
                "status": status(base, 1, "Open", "status", "project/boards/2/statuses"),
                "company": company_ref(base, 0),
                "closedFlag": false,
                "_info": info(base, name, &[]),
            })
        })
        .collect(),
        // The spec's Project requires its billing method and estimated start and end.
        "project/projects" => vec![json!({
            "id": 30,
            "name": "Office move",
            "board": status(base, 2, "Projects", "board", "project/boards"),
            "status": status(base, 1, "Open", "status", "project/statuses"),
            "company": company_ref(base, 0),
            "billingMethod": "FixedFee",
            "estimatedStart": "2025-04-01T00:00:00Z",
            "estimatedEnd": "2025-05-30T00:00:00Z",
            "manager": member_ref(base),
            "closedFlag": false,
            "_info": info(base, name, &[]),
        })],
        _ => return None,
    };
    Some(records)
}

fn time_records(base: &str, name: &str) -> Option<Vec<Value>> {
    let records = match name {
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
                    entry["type"] = status(base, 1, "Mileage", "type", "expense/types");
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
        _ => return None,
    };
    Some(records)
}

fn procurement_records(base: &str, name: &str) -> Option<Vec<Value>> {
    let records = match name {
        "procurement/purchaseorders" => vec![json!({
            "id": 12,
            "poNumber": "PO-0012",
            "vendorCompany": company_ref(base, 1),
            // Required by the spec's PurchaseOrder, with status and vendorCompany.
            "terms": status(base, 1, "Net 30 days", "billingTerms", "finance/billingTerms"),
            "status": status(base, 1, "Open", "status", "procurement/purchaseorderstatuses"),
            "closedFlag": false,
            "_info": info(base, name, &[]),
        })],
        "procurement/adjustments" => vec![json!({
            "id": 3,
            "identifier": "Stock count March",
            "type": status(base, 1, "Physical count", "type", "procurement/adjustments/types"),
            "closedFlag": false,
            "_info": info(base, name, &[]),
        })],
        _ => return None,
    };
    Some(records)
}

fn sales_records(base: &str, name: &str) -> Option<Vec<Value>> {
    let records = match name {
        // The Activity model (spec 2025.8) requires `name` and `assignTo`.
        "sales/activities" => vec![json!({
            "id": 71,
            "name": "Re: Printer offline",
            "type": status(base, 3, "Email", "type", "sales/activities/types"),
            "status": status(base, 1, "Open", "status", "sales/activities/statuses"),
            "company": company_ref(base, 0),
            "assignTo": member_ref(base),
            "dateStart": "2025-03-14T09:30:00Z",
            "_info": info(base, name, &[]),
        })],
        "sales/opportunities" => vec![json!({
            "id": 61,
            "name": "Firewall refresh",
            "company": company_ref(base, 2),
            // Required by the spec's Opportunity, with name and company.
            "contact": contact(base, 2),
            "primarySalesRep": member_ref(base),
            "status": status(base, 1, "Open", "status", "sales/opportunities/statuses"),
            "_info": info(base, name, &[]),
        })],
        "sales/orders" => vec![json!({
            "id": 8,
            "company": company_ref(base, 2),
            "orderDate": "2025-03-14T00:00:00Z",
            // Required by the spec's SalesOrder, with company and status.
            "salesRep": member_ref(base),
            "status": status(base, 1, "New", "status", "sales/orders/statuses"),
            "_info": info(base, name, &[]),
        })],
        _ => return None,
    };
    Some(records)
}

fn other_records(base: &str, name: &str) -> Option<Vec<Value>> {
    let records = match name {
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

//! The endpoints that only prove a security-role function.

use serde_json::{Value, json};

use super::companies::{COMPANY_NAMES, company_identifier, company_ref};
use super::members::member_ref;
use super::{info, reference};

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
        "sales/activities" => vec![json!({
            "id": 71,
            "name": "Follow up on firewall quote",
            "type": status(1, "Call", "type", "sales/activities/types"),
            "status": status(1, "Open", "status", "sales/activities/statuses"),
            "company": company_ref(base, 2),
            "assignTo": member_ref(base),
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

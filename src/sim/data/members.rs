//! `system/members` and the `system/mySecurity` rows.

use serde_json::{Value, json};

use super::{
    DEMO_MEMBER_ID, DEMO_MEMBER_IDENTIFIER, DEMO_MEMBER_NAME, identifier_of, info, reference,
};

use crate::sim::gates::SimPermission;

pub(super) fn member_ref(base: &str) -> Value {
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

/// `system/mySecurity`: the vendor's member's rows.
pub fn my_security(base: &str, rows: &[SimPermission]) -> Vec<Value> {
    security_rows(base, rows, 3000, member_ref(base))
}

/// `system/mySecurity` rows for `member`, numbered from `first_id`: the vendor's member and
/// the technician's own (admin) keys answer the same shape.
pub(in crate::sim) fn security_rows(
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
                "addLevel": row.levels.add.as_str(),
                "editLevel": row.levels.edit.as_str(),
                "deleteLevel": row.levels.delete.as_str(),
                "inquireLevel": row.levels.inquire.as_str(),
                "customFlag": false,
                "member": member,
                "_info": info(base, "system/mySecurity", &[]),
            })
        })
        .collect()
}

//! `system/members` and the `system/mySecurity` rows.

use serde_json::{Value, json};

use super::{
    DEMO_MEMBER_ID, DEMO_MEMBER_IDENTIFIER, DEMO_MEMBER_NAME, identifier_of, info, location_ref,
    reference,
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
///
/// With the fields the spec's Member requires (`identifier`, `licenseClass`, `firstName`,
/// `lastName`, `hireDate`, `defaultEmail`, `defaultPhone`, `securityRole`). A member's Level is
/// its `structureLevel` and its location its `defaultLocation` (references, as on API members):
/// the spec's Member has no `securityLevel` or `defaultLocationId`.
pub fn members(base: &str, inactive: bool) -> Vec<Value> {
    let corporate = reference(
        1,
        "Corporate",
        "structure",
        format!("{base}system/structureLevels/1"),
    );
    // (id, identifier, first, last, license class, role, hire date, office email, office phone)
    let people = [
        (
            176,
            "jsmith",
            "Jamie",
            "Smith",
            "F",
            (1, "Admin"),
            "2019-06-03T00:00:00Z",
            "jsmith@contoso-it.example",
            "8135550142",
        ),
        (
            177,
            "apatel",
            "Anika",
            "Patel",
            "F",
            (1, "Admin"),
            "2021-02-15T00:00:00Z",
            "apatel@contoso-it.example",
            "8135550143",
        ),
        (
            DEMO_MEMBER_ID,
            DEMO_MEMBER_IDENTIFIER,
            DEMO_MEMBER_NAME,
            "API",
            "A",
            (22, "Sync 365 API"),
            "2024-09-12T00:00:00Z",
            "sync365@contoso-it.example",
            "8135550100",
        ),
    ];
    people
        .iter()
        .map(
            |(id, identifier, first, last, license, (role_id, role), hired, email, phone)| {
                json!({
                    "id": id,
                    "identifier": identifier,
                    "firstName": first,
                    "lastName": last,
                    "licenseClass": license,
                    "inactiveFlag": *id == DEMO_MEMBER_ID && inactive,
                    "hireDate": hired,
                    "securityRole": reference(*role_id, role, "role", format!("{base}system/securityRoles/{role_id}")),
                    "structureLevel": corporate,
                    "defaultLocation": location_ref(base),
                    "officeEmail": email,
                    "officePhone": phone,
                    "defaultEmail": "Office",
                    "defaultPhone": "Office",
                    "timeZone": reference(1, "Eastern", "timeZone", format!("{base}system/timeZoneSetups/1")),
                    // Required by pyconnectwise's older Member (optional in 2025.8): the values a
                    // new member gets.
                    "agreementInvoicingDisplayOptions": "RemainOnInvoicingScreen",
                    "invoiceScreenDefaultTabFormat": "ShowInvoicingTab",
                    "invoicingDisplayOptions": "RemainOnInvoicingScreen",
                    "_info": info(base, "system/members", &[]),
                })
            },
        )
        .collect()
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

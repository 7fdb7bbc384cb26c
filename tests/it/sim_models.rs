//! The simulator's wire shapes against ConnectWise's published models: for every model the
//! simulator serves, each field the OpenAPI spec marks required is present, not null, and of the
//! right JSON type; fields that are present are of the right type too.
//!
//! The field lists are `tests/data/cw_models_subset.pyconnectwise.json`, a copy of the reference
//! derived from HealthITAU/pyconnectwise (generated from ConnectWise's OpenAPI schema). The sim is
//! started here on 127.0.0.1 and read over HTTP with the demo keys.
//!
//! pyconnectwise's schema (~2023-10) is older than `tests/data/cw_models_2025_8.json` (API version
//! 2025.8, checked strictly by `tests/it/sim_spec.rs`). Where the two disagree, 2025.8 wins: a field
//! pyconnectwise requires but 2025.8 marks optional is not required here, and a field only
//! pyconnectwise knows is one the simulator must not send (`tests/it/sim_spec.rs` fails on it).
//! [`where_the_references_disagree_2025_8_wins`] lists every disagreement on the served models.

use std::time::Duration;

use crate::common::http::{basic_auth, http_client};
use cwsetup::sim::{
    DEMO_CLIENT_ID, DEMO_COMPANY_ID, DEMO_PRIVATE_KEY, DEMO_PUBLIC_KEY, Scenario, SimServer,
};
use serde_json::Value;

const MODELS: &str = include_str!("../data/cw_models_subset.pyconnectwise.json");
/// The newer reference, which wins where the two disagree.
const MODELS_2025_8: &str = include_str!("../data/cw_models_2025_8.json");

static NEWER: std::sync::LazyLock<Value> =
    std::sync::LazyLock::new(|| serde_json::from_str(MODELS_2025_8).expect("2025.8 models parse"));

/// Whether `field` of `model` is required: by pyconnectwise, unless 2025.8 (which wins) has the
/// model and does not require it.
fn required(model: &str, field: &Value, newer: &Value) -> bool {
    let name = field["json"].as_str().unwrap_or_default();
    let py = field["required"].as_bool().unwrap_or(false);
    match newer[model]["required"].as_array() {
        Some(list) => py && list.iter().any(|f| f == name),
        None => py,
    }
}

/// Every endpoint the simulator serves whose model is in the field lists.
const SERVED: &[(&str, &str)] = &[
    ("system/info", "Info"),
    ("company/companies", "Company"),
    ("company/contacts", "Contact"),
    ("finance/agreements", "Agreement"),
    ("finance/agreements/types", "AgreementType"),
    ("finance/invoices", "Invoice"),
    ("finance/billingCycles", "BillingCycle"),
    ("procurement/products", "ProductItem"),
    ("procurement/catalog", "CatalogItem"),
    ("system/securityRoles", "SecurityRole"),
    ("system/apiMembers", "ApiMember"),
    ("system/members", "Member"),
    ("system/mySecurity", "MySecurity"),
];

/// Whether `value` fits the pyconnectwise type `ty` (without `| None`); `Err` says why not.
fn fits(ty: &str, value: &Value, enum_values: Option<&Vec<Value>>) -> Result<(), String> {
    let ok = match ty {
        "str" | "datetime" | "UUID" => value.is_string(),
        "int" => value.is_i64() || value.is_u64(),
        "float" => value.is_number(),
        "bool" => value.is_boolean(),
        t if t.starts_with("list[") => value.is_array(),
        t if t.starts_with("dict[") => value.is_object(),
        t if t.starts_with("Literal[") => {
            let allowed = enum_values.map(|v| v.contains(value)).unwrap_or(false);
            if !allowed {
                return Err(format!("{value} is not one of {enum_values:?}"));
            }
            true
        }
        // Every other type is a generated model (a reference or a nested object).
        _ => value.is_object(),
    };
    if ok {
        Ok(())
    } else {
        Err(format!("{value} is not a {ty}"))
    }
}

fn check_record(model: &str, fields: &[Value], record: &Value) -> Vec<String> {
    let newer = &*NEWER;
    let mut problems = Vec::new();
    let Some(object) = record.as_object() else {
        return vec![format!("{model}: {record} is not an object")];
    };
    for field in fields {
        let name = field["json"].as_str().expect("json name");
        let ty = field["type"].as_str().expect("type").replace(" | None", "");
        let required = required(model, field, newer);
        match object.get(name) {
            None | Some(Value::Null) if required => {
                problems.push(format!("{model}.{name}: required, missing or null"))
            }
            None | Some(Value::Null) => {}
            Some(value) => {
                if let Err(e) = fits(&ty, value, field["enum"].as_array()) {
                    problems.push(format!("{model}.{name}: {e}"));
                }
            }
        }
    }
    problems
}

#[tokio::test]
async fn every_served_model_has_its_required_fields_with_the_right_types() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let models: Value = serde_json::from_str(MODELS).expect("field lists parse");
    let sim = SimServer::start(Scenario::new()).await.expect("sim starts");
    let http = http_client(Duration::from_secs(10));
    let auth = basic_auth(DEMO_COMPANY_ID, DEMO_PUBLIC_KEY, DEMO_PRIVATE_KEY);
    let mut problems = Vec::new();
    for (endpoint, model) in SERVED {
        let fields = models["models"][model]["fields"]
            .as_array()
            .unwrap_or_else(|| panic!("{model} is in the field lists"));
        let response = http
            .get(format!("{}{endpoint}", sim.api_base()))
            .header("Authorization", &auth)
            .header("clientId", DEMO_CLIENT_ID)
            .send()
            .await
            .expect("the sim answers");
        assert_eq!(response.status(), 200, "GET {endpoint}");
        let body: Value =
            serde_json::from_str(&response.text().await.expect("body")).expect("JSON");
        let records = match &body {
            Value::Array(items) => items.clone(),
            other => vec![other.clone()],
        };
        assert!(!records.is_empty(), "{endpoint} serves records");
        for record in &records {
            problems.extend(check_record(model, fields, record));
        }
    }
    sim.shutdown().await;
    problems.sort();
    problems.dedup();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_missing_required_field_is_caught() {
    let models: Value = serde_json::from_str(MODELS).expect("field lists parse");
    let fields = models["models"]["AgreementType"]["fields"]
        .as_array()
        .expect("AgreementType");
    let record = serde_json::json!({"id": 1, "name": "Managed Services", "billTime": "Billable",
        "billExpenses": "Billable", "billProducts": "Billable", "employeeCompRate": "Actual",
        "invoicingCycle": "ContractYear"});
    let problems = check_record("AgreementType", fields, &record);
    assert_eq!(
        problems,
        ["AgreementType.employeeCompNotExceed: required, missing or null"]
    );
}

/// Where pyconnectwise and 2025.8 disagree on a served model, as `Model.field: how`, sorted.
fn disagreements() -> Vec<String> {
    let py: Value = serde_json::from_str(MODELS).expect("field lists parse");
    let newer: Value = serde_json::from_str(MODELS_2025_8).expect("2025.8 models parse");
    let mut out = Vec::new();
    for (_, model) in SERVED {
        let fields = py["models"][model]["fields"].as_array().expect("py model");
        let new = &newer[model];
        let new_required: Vec<&str> = new["required"]
            .as_array()
            .expect("2025.8 model")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        for field in fields {
            let name = field["json"].as_str().expect("json");
            let py_required = field["required"].as_bool().unwrap_or(false);
            if new["fields"].get(name).is_none() {
                out.push(format!("{model}.{name}: only pyconnectwise has it"));
            } else if py_required && !new_required.contains(&name) {
                out.push(format!("{model}.{name}: only pyconnectwise requires it"));
            }
        }
        for name in new_required {
            let py_required = fields
                .iter()
                .any(|f| f["json"] == name && f["required"].as_bool() == Some(true));
            if !py_required {
                out.push(format!("{model}.{name}: only 2025.8 requires it"));
            }
        }
    }
    out.sort();
    out
}

/// Every disagreement between the two references on the models the simulator serves, and how
/// it is settled (2025.8 wins):
/// - "only pyconnectwise requires it": optional, as 2025.8 says (this check does not require it;
///   the simulator still sends the three Member display options, which both accept);
/// - "only 2025.8 requires it": required (`tests/it/sim_spec.rs` fails without it);
/// - "only pyconnectwise has it": not a field (`tests/it/sim_spec.rs` fails on it).
#[test]
fn where_the_references_disagree_2025_8_wins() {
    assert_eq!(
        disagreements(),
        [
            "Agreement.company: only 2025.8 requires it",
            "Agreement.contact: only 2025.8 requires it",
            "Agreement.type: only 2025.8 requires it",
            "CatalogItem.dateEntered: only pyconnectwise has it",
            "CatalogItem.subcategory: only 2025.8 requires it",
            "CatalogItem.type: only 2025.8 requires it",
            "Invoice.company: only 2025.8 requires it",
            "Member.agreementInvoicingDisplayOptions: only pyconnectwise requires it",
            "Member.hireDate: only 2025.8 requires it",
            "Member.invoiceScreenDefaultTabFormat: only pyconnectwise requires it",
            "Member.invoicingDisplayOptions: only pyconnectwise requires it",
            "Member.lastName: only 2025.8 requires it",
            "Member.securityRole: only 2025.8 requires it",
            "ProductItem.catalogItem: only 2025.8 requires it",
        ]
    );
    let py: Value = serde_json::from_str(MODELS).expect("field lists parse");
    let newer: Value = serde_json::from_str(MODELS_2025_8).expect("2025.8 models parse");
    let member = py["models"]["Member"]["fields"].as_array().expect("Member");
    let option = member
        .iter()
        .find(|f| f["json"] == "invoicingDisplayOptions")
        .expect("field");
    assert_eq!(option["required"], true, "pyconnectwise requires it");
    assert!(!required("Member", option, &newer), "2025.8 wins: optional");
    let record = serde_json::json!({"identifier": "jsmith", "licenseClass": "F", "firstName": "Jamie",
        "defaultEmail": "Office", "defaultPhone": "Office"});
    assert_eq!(
        check_record("Member", member, &record),
        Vec::<String>::new()
    );
}

//! The simulator's wire shapes against ConnectWise's published models: for every model the
//! simulator serves, each field the OpenAPI spec marks required is present, not null, and of the
//! right JSON type; fields that are present are of the right type too.
//!
//! The field lists are `tests/data/cw_models_subset.pyconnectwise.json`, a copy of the reference
//! derived from HealthITAU/pyconnectwise (generated from ConnectWise's OpenAPI schema). The sim is
//! started here on 127.0.0.1 and read over HTTP with the demo keys.

use std::time::Duration;

use base64::Engine as _;
use cwsetup::sim::{
    DEMO_CLIENT_ID, DEMO_COMPANY_ID, DEMO_PRIVATE_KEY, DEMO_PUBLIC_KEY, Scenario, SimServer,
};
use serde_json::Value;

const MODELS: &str = include_str!("data/cw_models_subset.pyconnectwise.json");

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
    let mut problems = Vec::new();
    let Some(object) = record.as_object() else {
        return vec![format!("{model}: {record} is not an object")];
    };
    for field in fields {
        let name = field["json"].as_str().expect("json name");
        let ty = field["type"].as_str().expect("type").replace(" | None", "");
        let required = field["required"].as_bool().unwrap_or(false);
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
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    let auth = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!(
            "{DEMO_COMPANY_ID}+{DEMO_PUBLIC_KEY}:{DEMO_PRIVATE_KEY}"
        ))
    );
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

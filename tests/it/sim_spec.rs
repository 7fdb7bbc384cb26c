//! The simulator speaks ConnectWise's spec (API version 2025.8), strictly.
//!
//! Every named scenario that answers 200 is started on 127.0.0.1 and every endpoint it serves is
//! read (the list with `pageSize=1000`, its `/count`, and its first record by id), with the
//! vendor's demo keys and with the technician's own (admin) demo keys. Every 200 answer is checked
//! against `tests/data/cw_models_2025_8.json` the way a client generated from the spec decodes
//! (ai-connor/connectwise, whose models reject what they do not know):
//! - every field of a record is one its model has;
//! - every field the model requires is present and not null;
//! - a string is no longer than the model's "Max length" (counted in UTF-16 units, as .NET does);
//! - a value has its field's JSON type; a `time.Time` is RFC 3339 (Go's decoder wants no less);
//! - a nested object whose type is a model in the file is checked the same way, recursively.
//!
//! The file's source writes a list of `T` as `T`, so a list whose items fit `T` fits too. The
//! file names no reference model (`CompanyReference`, `ProjectPhaseReference`, ...): the Go
//! client's reference types require nothing and are not strict, so a reference must only be an
//! object.
//!
//! The scenarios that send deliberately wrong shapes are [`EXCEPTIONS`], each with its reason.
//! `hostile-text` is checked like the others, except that its names are measured without the
//! terminal escapes it appends on purpose (the name underneath must still fit).

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use crate::common::http::{basic_auth, http_client};
use cwsetup::sim::admin::{ADMIN_ROLE_ID, TECHNICIAN_ROLE_ID, VENDOR_ROLE_ID};
use cwsetup::sim::data::HOSTILE_SUFFIX;
use cwsetup::sim::{
    DEMO_ADMIN_PRIVATE_KEY, DEMO_ADMIN_PUBLIC_KEY, DEMO_CLIENT_ID, DEMO_COMPANY_ID,
    DEMO_PRIVATE_KEY, DEMO_PUBLIC_KEY, GATES, Scenario, SimServer,
};
use serde::Deserialize;
use serde_json::Value;

const MODELS: &str = include_str!("../data/cw_models_2025_8.json");

/// Every endpoint the simulator serves whose records have a model in the file. The role
/// settings are read for each of the tenant's three roles (see [`role_settings`]).
const ENDPOINTS: &[(&str, &str)] = &[
    ("system/info", "Info"),
    ("company/companies", "Company"),
    ("company/contacts", "Contact"),
    ("company/configurations", "CompanyConfiguration"),
    ("finance/agreements", "Agreement"),
    ("finance/agreements/types", "AgreementType"),
    ("finance/invoices", "Invoice"),
    ("finance/billingCycles", "BillingCycle"),
    ("procurement/products", "ProductItem"),
    ("procurement/catalog", "CatalogItem"),
    ("procurement/purchaseorders", "PurchaseOrder"),
    ("project/projects", "Project"),
    ("project/tickets", "ProjectTicket"),
    ("service/tickets", "Ticket"),
    ("schedule/entries", "ScheduleEntry"),
    ("time/entries", "TimeEntry"),
    ("expense/entries", "ExpenseEntry"),
    ("sales/activities", "Activity"),
    ("sales/opportunities", "Opportunity"),
    ("sales/orders", "SalesOrder"),
    ("system/securityRoles", "SecurityRole"),
    ("system/apiMembers", "ApiMember"),
    ("system/members", "Member"),
    ("system/mySecurity", "MySecurity"),
];

/// Endpoints the simulator serves whose model the file does not have: not checked here.
const NO_MODEL: &[(&str, &str)] = &[
    (
        "login/companyinfo",
        "outside apis/3.0: not in the OpenAPI spec",
    ),
    (
        "procurement/adjustments",
        "the file has no model for inventory adjustments",
    ),
    (
        "marketing/groups",
        "the file has no model for marketing groups",
    ),
    (
        "system/reports",
        "the file has no model for report listings",
    ),
];

/// Scenarios left out, and why: each sends a deliberately wrong shape, or no whole answer.
const EXCEPTIONS: &[(&str, &str)] = &[
    (
        "html",
        "every answer is an HTML page on purpose (a wrong host)",
    ),
    (
        "wrong-json-types",
        "ids are sent as strings and the count as \"many\" on purpose",
    ),
    (
        "malformed-json",
        "every JSON answer is cut off in the middle on purpose",
    ),
    (
        "oversized",
        "API answers are endless bodies over the client's cap, not records",
    ),
    ("hang", "connections are accepted and never answered"),
    (
        "slow-body",
        "healthy's bodies, a byte every 100 ms: hours per list, and nothing new to check",
    ),
];

/// Whose keys read the endpoints: the vendor's API member, then the technician's own keys (they
/// see the audit's roles and members, and their own security rows).
const KEYS: &[(&str, &str)] = &[
    (DEMO_PUBLIC_KEY, DEMO_PRIVATE_KEY),
    (DEMO_ADMIN_PUBLIC_KEY, DEMO_ADMIN_PRIVATE_KEY),
];

#[derive(Debug, Deserialize)]
struct Model {
    fields: BTreeMap<String, String>,
    #[serde(default)]
    max_length: BTreeMap<String, usize>,
    #[serde(default)]
    required: Vec<String>,
}

type Models = BTreeMap<String, Model>;

fn models_from(text: &str) -> Models {
    serde_json::from_str(text).expect("the model file parses")
}

/// How strings are measured: `hostile` leaves out [`HOSTILE_SUFFIX`], which the `hostile-text`
/// scenario appends to names to test the terminal (a name must still fit without it).
#[derive(Clone, Copy)]
struct Rules {
    hostile: bool,
}

fn utf16_len(text: &str, rules: Rules) -> usize {
    let text = if rules.hostile {
        text.replace(HOSTILE_SUFFIX, "")
    } else {
        text.to_string()
    };
    text.encode_utf16().count()
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`: what Go's `time.Time` decodes.
fn is_rfc3339(text: &str) -> bool {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        b.get(range)
            .is_some_and(|s| s.iter().all(u8::is_ascii_digit))
    };
    let head = b.len() >= 20
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && matches!(b[10], b'T' | b't')
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19);
    if !head {
        return false;
    }
    let mut rest = &text[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let n = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = &fraction[n..];
    }
    match rest.as_bytes() {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit()),
        _ => false,
    }
}

/// Checks one record of `model` at `at`; problems are pushed as `at.field: why`.
fn check_record(
    models: &Models,
    name: &str,
    value: &Value,
    at: &str,
    rules: Rules,
    out: &mut Vec<String>,
) {
    let Some(model) = models.get(name) else {
        out.push(format!("{at}: no model {name} in the file"));
        return;
    };
    let Some(object) = value.as_object() else {
        out.push(format!("{at}: a {name} is an object, got {value}"));
        return;
    };
    for (key, v) in object {
        let here = format!("{at}.{key}");
        let Some(ty) = model.fields.get(key) else {
            out.push(format!("{here}: {name} has no such field"));
            continue;
        };
        if v.is_null() {
            continue;
        }
        check_value(models, ty, v, &here, rules, out);
        if let (Some(max), Some(text)) = (model.max_length.get(key), v.as_str()) {
            let len = utf16_len(text, rules);
            if len > *max {
                out.push(format!("{here}: {len} characters, {name} allows {max}"));
            }
        }
    }
    for key in &model.required {
        if object.get(key).is_none_or(Value::is_null) {
            out.push(format!("{at}.{key}: required by {name}, missing"));
        }
    }
}

fn check_value(
    models: &Models,
    ty: &str,
    v: &Value,
    at: &str,
    rules: Rules,
    out: &mut Vec<String>,
) {
    if let Value::Array(items) = v {
        for (i, item) in items.iter().enumerate() {
            check_value(models, ty, item, &format!("{at}[{i}]"), rules, out);
        }
        return;
    }
    let fits = match ty {
        "string" | "String" => v.is_string(),
        "time.Time" => v.as_str().is_some_and(is_rfc3339),
        "int32" | "Int32" => v.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
        "float64" | "Float64" => v.is_number(),
        "bool" | "Bool" => v.is_boolean(),
        "map[string]string" => v
            .as_object()
            .is_some_and(|m| m.values().all(Value::is_string)),
        nested if models.contains_key(nested) => {
            check_record(models, nested, v, at, rules, out);
            return;
        }
        // A reference or a nested type the file does not define.
        _ => v.is_object(),
    };
    if !fits {
        out.push(format!("{at}: {v} is not a {ty}"));
    }
}

/// One 200 answer: what was asked, the model of its records, the body.
struct Answer {
    asked: String,
    model: &'static str,
    body: Value,
}

struct Reader<'a> {
    sim: &'a SimServer,
    http: reqwest::Client,
}

impl Reader<'_> {
    /// The JSON of a 200 answer to `GET endpoint`, following redirects (127.0.0.1 only, keys
    /// kept), moving to a new codebase after a 404, and asking again after a 429 or a 5xx;
    /// `None` for any other answer. A 200 that is not JSON is an `Err`.
    async fn get(
        &self,
        (public, private): (&str, &str),
        endpoint: &str,
    ) -> Result<Option<Value>, String> {
        let auth = basic_auth(DEMO_COMPANY_ID, public, private);
        let mut url = format!("{}{endpoint}", self.sim.api_base());
        for _ in 0..8 {
            let response = self
                .http
                .get(&url)
                .header("Authorization", &auth)
                .header("clientId", DEMO_CLIENT_ID)
                .send()
                .await
                .map_err(|e| format!("GET {endpoint}: {e}"))?;
            let status = response.status().as_u16();
            match status {
                200 => {
                    let text = response
                        .text()
                        .await
                        .map_err(|e| format!("GET {endpoint}: {e}"))?;
                    return serde_json::from_str(&text)
                        .map(Some)
                        .map_err(|e| format!("GET {endpoint}: 200 but not JSON: {e}"));
                }
                301..=308 => {
                    let location = response
                        .headers()
                        .get("location")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_string();
                    assert!(location.starts_with("http://127.0.0.1:"), "{location}");
                    url = location;
                }
                404 => {
                    let fresh = format!("{}{endpoint}", self.sim.api_base());
                    if fresh == url {
                        return Ok(None);
                    }
                    url = fresh;
                }
                429 | 500..=599 => {}
                _ => return Ok(None),
            }
        }
        Ok(None)
    }

    /// The list (or object) at `endpoint`, its count and its first record by id.
    async fn read(
        &self,
        keys: (&str, &str),
        endpoint: &str,
        model: &'static str,
    ) -> Result<Vec<Answer>, String> {
        let mut out = Vec::new();
        let list = format!("{endpoint}?pageSize=1000");
        let Some(body) = self.get(keys, &list).await? else {
            return Ok(out);
        };
        let first_id = body.pointer("/0/id").and_then(Value::as_u64);
        let is_list = body.is_array();
        out.push(Answer {
            asked: endpoint.to_string(),
            model,
            body,
        });
        if !is_list {
            return Ok(out);
        }
        let count = format!("{endpoint}/count");
        if let Some(body) = self.get(keys, &count).await? {
            out.push(Answer {
                asked: count,
                model: "Count",
                body,
            });
        }
        if let Some(id) = first_id {
            let one = format!("{endpoint}/{id}");
            if let Some(body) = self.get(keys, &one).await? {
                out.push(Answer {
                    asked: one,
                    model,
                    body,
                });
            }
        }
        Ok(out)
    }
}

/// `system/securityRoles/{id}/settings` for each of the simulated tenant's roles.
fn role_settings() -> Vec<String> {
    [ADMIN_ROLE_ID, VENDOR_ROLE_ID, TECHNICIAN_ROLE_ID]
        .iter()
        .map(|id| format!("system/securityRoles/{id}/settings"))
        .collect()
}

/// Every 200 answer of one running scenario, with both key pairs, all at once.
async fn read_everything(sim: &SimServer) -> Vec<Result<Vec<Answer>, String>> {
    let reader = Reader {
        sim,
        http: http_client(Duration::from_secs(20)),
    };
    let settings = role_settings();
    let mut wanted: Vec<(&str, &'static str)> = ENDPOINTS.to_vec();
    wanted.extend(settings.iter().map(|s| (s.as_str(), "SecurityRoleSetting")));
    let reads = KEYS
        .iter()
        .flat_map(|keys| wanted.iter().map(move |(e, m)| (*keys, *e, *m)))
        .map(|(keys, endpoint, model)| reader.read(keys, endpoint, model));
    futures::future::join_all(reads).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_scenario_answers_every_endpoint_with_fields_the_2025_8_models_accept() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let models = models_from(MODELS);
    // problem → the scenarios it was seen in.
    let mut problems: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    let mut checked = 0usize;
    let mut scenarios = 0usize;
    for (name, _) in Scenario::catalog() {
        if EXCEPTIONS.iter().any(|(e, _)| e == name) {
            continue;
        }
        scenarios += 1;
        let scenario = Scenario::named(name).expect("a catalog scenario");
        let sim = SimServer::start(scenario).await.expect("sim starts");
        let rules = Rules {
            hostile: *name == "hostile-text",
        };
        let mut answered: BTreeSet<String> = BTreeSet::new();
        for result in read_everything(&sim).await {
            let answers = match result {
                Ok(answers) => answers,
                Err(e) => {
                    problems.entry(e).or_default().insert(name);
                    continue;
                }
            };
            for answer in answers {
                answered.insert(answer.asked.clone());
                let mut found = Vec::new();
                let records = match &answer.body {
                    Value::Array(items) => items.iter().collect(),
                    other => vec![other],
                };
                let at = format!("GET {} {}", answer.asked, answer.model);
                for record in records {
                    check_record(&models, answer.model, record, &at, rules, &mut found);
                    checked += 1;
                }
                for problem in found {
                    problems.entry(problem).or_default().insert(name);
                }
            }
        }
        sim.shutdown().await;
        if *name == "healthy" {
            // `cwsetup sim --scenario healthy` answers every endpoint above.
            let missing: Vec<String> = ENDPOINTS
                .iter()
                .map(|(e, _)| e.to_string())
                .chain(role_settings())
                .filter(|e| !answered.contains(e))
                .collect();
            assert!(
                missing.is_empty(),
                "healthy did not answer 200: {missing:?}"
            );
        }
    }
    assert!(checked > 1000, "only {checked} records checked");
    let report: Vec<String> = problems
        .iter()
        .map(|(p, s)| match s.len() {
            n if n == scenarios => format!("{p}  (in every scenario checked)"),
            _ => format!(
                "{p}  (in {})",
                s.iter().copied().collect::<Vec<_>>().join(", ")
            ),
        })
        .collect();
    assert!(
        report.is_empty(),
        "{} problems:\n{}",
        report.len(),
        report.join("\n")
    );
}

#[test]
fn every_endpoint_the_simulator_gates_is_checked_or_has_no_model() {
    let models = models_from(MODELS);
    let known: Vec<String> = ENDPOINTS
        .iter()
        .chain(NO_MODEL)
        .map(|(e, _)| e.to_ascii_lowercase())
        .collect();
    let served = GATES
        .iter()
        .flat_map(|(_, _, prefixes)| prefixes.iter())
        .chain(
            cwsetup::profile::PROBES
                .iter()
                .filter_map(|p| p.endpoint.as_ref()),
        );
    for endpoint in served {
        assert!(
            known.contains(&endpoint.to_ascii_lowercase()),
            "{endpoint} is served: add it to ENDPOINTS with its model, or to NO_MODEL with why"
        );
    }
    for (endpoint, model) in ENDPOINTS {
        assert!(models.contains_key(*model), "{endpoint}: no model {model}");
    }
    for (endpoint, _) in NO_MODEL {
        assert!(
            !ENDPOINTS.iter().any(|(e, _)| e == endpoint),
            "{endpoint} twice"
        );
    }
    for (name, reason) in EXCEPTIONS {
        assert!(Scenario::named(name).is_some(), "{name} is not a scenario");
        assert!(!reason.is_empty());
    }
    assert!(
        EXCEPTIONS.len() < Scenario::catalog().len() / 4,
        "most scenarios are checked"
    );
}

fn problems(models: &Models, model: &str, record: Value) -> Vec<String> {
    let mut out = Vec::new();
    check_record(
        models,
        model,
        &record,
        model,
        Rules { hostile: false },
        &mut out,
    );
    out
}

#[test]
fn unknown_fields_missing_required_fields_and_long_strings_fail() {
    let models = models_from(MODELS);
    // The agreement type as the simulator sent it before: BillingSetup's flag, not the option.
    let old_type = serde_json::json!({"id": 1, "name": "Managed Services", "prefixSuffixFlag": "Prefix",
        "billTime": "Billable", "billExpenses": "Billable", "billProducts": "Billable",
        "employeeCompNotExceed": "Billing", "employeeCompRate": "Actual", "invoicingCycle": "ContractYear"});
    assert_eq!(
        problems(&models, "AgreementType", old_type),
        ["AgreementType.prefixSuffixFlag: AgreementType has no such field"]
    );
    let member = serde_json::json!({"id": 176, "identifier": "jsmith-too-long-id", "firstName": "Jamie",
        "lastName": null, "licenseClass": "F", "defaultEmail": "Office", "defaultPhone": "Office",
        "securityRole": {"id": 1, "name": "Admin"}, "securityLevel": "Corporate",
        "hireDate": "2019-06-03"});
    assert_eq!(
        problems(&models, "Member", member),
        [
            "Member.hireDate: \"2019-06-03\" is not a time.Time",
            "Member.identifier: 18 characters, Member allows 15",
            "Member.securityLevel: Member has no such field",
            "Member.lastName: required by Member, missing",
        ]
    );
    let ticket = serde_json::json!({"summary": "Move the server", "phase": "Design", "id": "7"});
    assert_eq!(
        problems(&models, "ProjectTicket", ticket),
        [
            "ProjectTicket.id: \"7\" is not a int32",
            "ProjectTicket.phase: \"Design\" is not a ProjectPhaseReference",
        ]
    );
}

#[test]
fn nested_models_the_file_names_are_checked_recursively_and_lists_item_by_item() {
    let models = models_from(
        r#"{"Outer": {"fields": {"inner": "Inner", "tags": "string"}, "required": ["inner"]},
            "Inner": {"fields": {"id": "int32", "name": "string"}, "required": ["id"],
                      "max_length": {"name": 3}}}"#,
    );
    let record = serde_json::json!({"inner": [{"id": 1, "name": "abcd"}, {"name": "ab", "x": 1}],
        "tags": ["a", 2]});
    assert_eq!(
        problems(&models, "Outer", record),
        [
            "Outer.inner[0].name: 4 characters, Inner allows 3",
            "Outer.inner[1].x: Inner has no such field",
            "Outer.inner[1].id: required by Inner, missing",
            "Outer.tags[1]: 2 is not a string",
        ]
    );
}

#[test]
fn hostile_names_are_measured_without_the_hostile_suffix() {
    let models = models_from(MODELS);
    let name = format!("Managed Services{HOSTILE_SUFFIX}");
    let record = serde_json::json!({"id": 1, "name": name});
    let mut strict = Vec::new();
    check_record(
        &models,
        "SecurityRole",
        &record,
        "r",
        Rules { hostile: false },
        &mut strict,
    );
    assert_eq!(strict.len(), 1, "{strict:?}");
    let mut hostile = Vec::new();
    check_record(
        &models,
        "SecurityRole",
        &record,
        "r",
        Rules { hostile: true },
        &mut hostile,
    );
    assert!(hostile.is_empty(), "{hostile:?}");
    assert!(is_rfc3339("2025-03-14T16:22:05Z") && is_rfc3339("2025-03-14T16:22:05.125+10:00"));
    assert!(!is_rfc3339("2025-03-14 16:22:05Z") && !is_rfc3339("2025-03-14T16:22:05"));
}

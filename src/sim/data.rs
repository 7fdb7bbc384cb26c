//! The seeded demo tenant: companies, contacts, agreements, products, catalog items and more,
//! with ConnectWise's wire field names, reference objects and `_info` hrefs.
//!
//! Everything is generated from fixed tables, so every run (and every test) sees the same data.//!
//! One file per kind of record: `companies` (companies, contacts), `finance` (agreements, their
//! types, invoices, billing cycles), `procurement` (catalog, products), `members` (members and
//! mySecurity rows), `probes` (the endpoints that only prove a role function).

mod companies;
mod finance;
mod members;
mod probes;
mod procurement;

use serde_json::{Value, json};

pub use companies::{companies, contacts};
pub use finance::{AGREEMENT_TYPES, agreement_types, agreements, billing_cycles, invoices};
pub(super) use members::security_rows;
pub use members::{members, my_security};
pub use probes::probe_collection;
pub use procurement::{catalog, products};

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

/// A reference object `{id, name, _info: {<kind>_href}}`.
pub(super) fn reference(id: u64, name: &str, kind: &str, href: String) -> Value {
    json!({"id": id, "name": name, "_info": {format!("{kind}_href"): href}})
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

/// A stable identifier for a module/function name (`"Product Catalog"` → `"ProductCatalog"`).
pub(super) fn identifier_of(name: &str) -> String {
    name.chars().filter(|c| c.is_ascii_alphanumeric()).collect()
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

//! `assets/profile.schema.json` is generated from the Rust profile types: this test regenerates
//! it and fails if the committed file differs. To update it after changing the types, run
//! `UPDATE_PROFILE_SCHEMA=1 cargo test --test it profile_schema` and commit the file.

use std::path::Path;

use cwsetup::profile::profile_json_schema;
use serde_json::Value;

#[test]
fn the_committed_schema_is_the_generated_one() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/profile.schema.json");
    let generated = profile_json_schema();
    if std::env::var_os("UPDATE_PROFILE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).expect("write the schema");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "assets/profile.schema.json is not the schema of the current profile types: run `UPDATE_PROFILE_SCHEMA=1 cargo test --test it profile_schema` and commit it"
    );
}

#[test]
fn the_schema_names_the_fields_and_levels_a_profile_writer_needs() {
    let schema: Value = serde_json::from_str(&profile_json_schema()).expect("JSON");
    let props = &schema["properties"];
    for field in [
        "$schema",
        "id",
        "vendor",
        "product",
        "source_url",
        "as_of",
        "role",
    ] {
        assert!(props.get(field).is_some(), "{field} is in the schema");
    }
    let text = schema.to_string();
    for level in ["\"None\"", "\"My\"", "\"All\""] {
        assert!(text.contains(level), "level {level} is in the schema");
    }
}

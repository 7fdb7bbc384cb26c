//! The few ConnectWise wire models the setup checks read. Lenient: unknown fields are ignored and
//! missing optional fields are `None`, because ConnectWise adds fields with every release.

use serde::{Deserialize, Deserializer};

use crate::profile::Level;

/// `GET system/info`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SystemInfo {
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub is_cloud: Option<bool>,
    #[serde(default)]
    pub cloud_region: Option<String>,
    #[serde(default)]
    pub server_time_zone: Option<String>,
}

/// One row of `GET system/mySecurity`: the calling member's level on one function.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SecurityRow {
    #[serde(default, deserialize_with = "null_as_empty")]
    pub module_name: String,
    #[serde(
        default,
        rename = "moduleFunctionName",
        deserialize_with = "null_as_empty"
    )]
    pub function_name: String,
    #[serde(default, rename = "addLevel", deserialize_with = "level")]
    pub add: Level,
    #[serde(default, rename = "editLevel", deserialize_with = "level")]
    pub edit: Level,
    #[serde(default, rename = "deleteLevel", deserialize_with = "level")]
    pub delete: Level,
    #[serde(default, rename = "inquireLevel", deserialize_with = "level")]
    pub inquire: Level,
}

/// A ConnectWise reference object `{id, name, _info}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Reference {
    pub id: i64,
    #[serde(default)]
    pub name: Option<String>,
}

/// `GET …/count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct Count {
    pub count: u64,
}

/// Options for [`crate::cw::ApiSession::list`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery {
    /// ConnectWise conditions, e.g. `parentAgreement/id=12 and agreementStatus="Active"`.
    pub conditions: Option<String>,
    /// Comma-separated field list, e.g. `id,name`.
    pub fields: Option<String>,
    /// Items per page; clamped to 1..=1000 (the API maximum).
    pub page_size: u32,
    /// Stop after this many items.
    pub max_items: Option<usize>,
}

impl ListQuery {
    pub const MAX_PAGE_SIZE: u32 = 1000;

    pub fn effective_page_size(&self) -> u32 {
        self.page_size.clamp(1, Self::MAX_PAGE_SIZE)
    }
}

impl Default for ListQuery {
    fn default() -> Self {
        ListQuery {
            conditions: None,
            fields: None,
            page_size: Self::MAX_PAGE_SIZE,
            max_items: None,
        }
    }
}

fn null_as_empty<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}

/// `None`/`My`/`All`; a missing or null level is `None`. Other spellings are an error naming them.
fn level<'de, D: Deserializer<'de>>(d: D) -> Result<Level, D::Error> {
    let raw = Option::<String>::deserialize(d)?;
    match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(Level::None),
        Some(s) if s.eq_ignore_ascii_case("none") => Ok(Level::None),
        Some(s) if s.eq_ignore_ascii_case("my") => Ok(Level::My),
        Some(s) if s.eq_ignore_ascii_case("all") => Ok(Level::All),
        Some(other) => Err(serde::de::Error::custom(format!(
            "unknown security level \"{}\" (expected None, My or All)",
            crate::cw::error::clean_text(other)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn security_rows_read_the_role_setting_field_names() {
        let body = r#"[{"id":1,"moduleName":"Companies","moduleFunctionName":"Company Maintenance",
            "moduleFunctionIdentifier":"Company_Maintenance","addLevel":"None","editLevel":"My",
            "deleteLevel":null,"inquireLevel":"All","member":{"id":5,"identifier":"Sync365"}},
            {"moduleName":"Finance","moduleFunctionName":"Agreements"}]"#;
        let rows: Vec<SecurityRow> = serde_json::from_str(body).expect("parsed");
        assert_eq!(rows[0].module_name, "Companies");
        assert_eq!(rows[0].function_name, "Company Maintenance");
        assert_eq!(
            (rows[0].add, rows[0].edit, rows[0].delete, rows[0].inquire),
            (Level::None, Level::My, Level::None, Level::All)
        );
        assert_eq!(rows[1].inquire, Level::None);
    }

    #[test]
    fn unknown_levels_are_named_in_the_error() {
        let err = serde_json::from_str::<SecurityRow>(r#"{"inquireLevel":"Everything"}"#)
            .expect_err("refused");
        assert!(err.to_string().contains("Everything"), "{err}");
    }

    #[test]
    fn system_info_tolerates_missing_and_extra_fields() {
        let info: SystemInfo = serde_json::from_str(
            r#"{"version":"v2025.1.10675","cloudRegion":"AU","licenseBits":[]}"#,
        )
        .expect("parsed");
        assert_eq!(info.version.as_deref(), Some("v2025.1.10675"));
        assert_eq!(info.cloud_region.as_deref(), Some("AU"));
        assert_eq!(info.is_cloud, None);
    }

    #[test]
    fn page_size_is_clamped_to_the_api_maximum() {
        let q = ListQuery {
            page_size: 5000,
            ..ListQuery::default()
        };
        assert_eq!(q.effective_page_size(), 1000);
        let q = ListQuery {
            page_size: 0,
            ..ListQuery::default()
        };
        assert_eq!(q.effective_page_size(), 1);
    }
}

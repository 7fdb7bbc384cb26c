//! The few ConnectWise wire models the setup checks read. Lenient: unknown fields are ignored and
//! missing optional fields are `None`, because ConnectWise adds fields with every release.

use serde::{Deserialize, Deserializer};

use super::wire::Scalar;
use crate::permission::{Column, Level, Levels, Shortfall, UnknownLevel};

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
///
/// A level spelled in a way cwsetup does not know (the UI shows narrower levels on some
/// functions) does not fail the whole list: it reads as `None` here and is named in `unknown`,
/// so the check can mark the row as one to verify by hand.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(from = "RawSecurityRow")]
pub struct SecurityRow {
    pub module_name: String,
    pub function_name: String,
    /// A level cwsetup does not know reads as None here (see `unknown`).
    pub levels: Levels,
    /// Levels that were not None/My/All: the column and the text sent (cleaned).
    pub unknown: Vec<(Column, String)>,
}

impl SecurityRow {
    /// The level text ConnectWise sent for `column` when cwsetup does not know it.
    pub fn unknown_level(&self, column: Column) -> Option<&str> {
        self.unknown
            .iter()
            .find(|(c, _)| *c == column)
            .map(|(_, text)| text.as_str())
    }

    /// The columns where this row is below `needed`, leaving out those sent in a form cwsetup
    /// does not know (see [`SecurityRow::unknown_needed`]).
    pub fn shortfalls<'a>(&'a self, needed: &'a Levels) -> impl Iterator<Item = Shortfall> + 'a {
        self.levels
            .shortfalls(needed)
            .filter(|s| self.unknown_level(s.column).is_none())
    }

    /// The columns `needed` asks for (above None) that ConnectWise sent in a form cwsetup does
    /// not know.
    pub fn unknown_needed<'a>(
        &'a self,
        needed: &'a Levels,
    ) -> impl Iterator<Item = UnknownLevel<'a>> + 'a {
        needed
            .iter()
            .filter(|(_, need)| *need != Level::None)
            .filter_map(|(column, needed)| {
                self.unknown_level(column).map(|sent| UnknownLevel {
                    column,
                    needed,
                    sent,
                })
            })
    }
}

/// The wire form of [`SecurityRow`], before levels are read.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawSecurityRow {
    #[serde(default, deserialize_with = "null_as_empty")]
    module_name: String,
    #[serde(default, deserialize_with = "null_as_empty")]
    module_function_name: String,
    #[serde(default)]
    add_level: Option<Scalar>,
    #[serde(default)]
    edit_level: Option<Scalar>,
    #[serde(default)]
    delete_level: Option<Scalar>,
    #[serde(default)]
    inquire_level: Option<Scalar>,
}

impl From<RawSecurityRow> for SecurityRow {
    fn from(raw: RawSecurityRow) -> SecurityRow {
        let mut unknown = Vec::new();
        let sent = Levels::new(
            raw.add_level,
            raw.edit_level,
            raw.delete_level,
            raw.inquire_level,
        );
        let levels = sent.map(|column, value| match level(value) {
            Ok(level) => level,
            Err(text) => {
                unknown.push((column, text));
                Level::None
            }
        });
        SecurityRow {
            module_name: raw.module_name,
            function_name: raw.module_function_name,
            levels,
            unknown,
        }
    }
}

/// A ConnectWise reference object `{id, name, _info}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Reference {
    pub id: i64,
    #[serde(default)]
    pub name: Option<String>,
}

/// One row of `GET system/securityroles`. The spec (2025.8) requires only `name`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SecurityRole {
    #[serde(default)]
    pub id: Option<i64>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub name: String,
    /// The built-in Admin role (every function at All).
    #[serde(default, deserialize_with = "null_as_false")]
    pub admin_flag: bool,
    #[serde(default, deserialize_with = "null_as_false")]
    pub inactive_flag: bool,
}

/// One row of `GET system/apiMembers`. References are `{id, name}`; any may be absent. The spec
/// (2025.8) requires only `identifier`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiMember {
    #[serde(default)]
    pub id: Option<i64>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub identifier: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "null_as_false")]
    pub inactive_flag: bool,
    #[serde(default)]
    pub security_role: Option<Reference>,
    /// The member's Level (Corporate, a location, ...): it limits which records it sees.
    #[serde(default)]
    pub structure_level: Option<Reference>,
    #[serde(default)]
    pub security_location: Option<Reference>,
    #[serde(default)]
    pub default_location: Option<Reference>,
    #[serde(default)]
    pub default_department: Option<Reference>,
    /// The service boards the member may not see (the member's Service Defaults): tickets on
    /// them are hidden from its keys without an error. An id sent in another form is skipped.
    #[serde(default, deserialize_with = "lenient_ids")]
    pub excluded_service_board_ids: Vec<i64>,
}

/// True when two module or function names are the same for ConnectWise: compared
/// case-insensitively, with surrounding spaces ignored.
pub fn same_security_name(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// `GET …/count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct Count {
    pub count: u64,
}

/// A reference whose id may be missing too (`{id?, name?}`), for lists where one odd row must
/// not fail the whole read. [`Reference`] requires the id.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct LooseReference {
    #[serde(default)]
    pub id: Option<i64>,
    #[serde(default)]
    pub name: Option<String>,
}

/// One row of `GET finance/agreements?fields=id,name,type,parentAgreement`: enough to find
/// agreements whose parent the member cannot see, and the types they carry.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AgreementLite {
    #[serde(default)]
    pub id: Option<i64>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, rename = "type")]
    pub kind: Option<LooseReference>,
    #[serde(default, rename = "parentAgreement")]
    pub parent: Option<LooseReference>,
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

/// A list of ids, lenient: null or absent is empty, and an entry that is not an integer (a string,
/// an object) is skipped rather than failing the whole list of members.
fn lenient_ids<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<i64>, D::Error> {
    let raw = Option::<Vec<Scalar>>::deserialize(d)?.unwrap_or_default();
    Ok(raw
        .into_iter()
        .filter_map(|value| match value {
            Scalar::Number(n) => n.parse::<i64>().ok(),
            Scalar::Null | Scalar::Bool(_) | Scalar::Text(_) | Scalar::Nested(_) => None,
        })
        .collect())
}

fn null_as_false<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(Option::<bool>::deserialize(d)?.unwrap_or(false))
}

fn null_as_empty<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}

/// `None`/`My`/`All`; a missing or null level is `None`. Anything else is `Err` with the text
/// sent (cleaned for display), for the caller to report: a number or boolean as written, an
/// array or object only by its kind (its contents were skipped while reading, never stored).
fn level(raw: Option<Scalar>) -> Result<Level, String> {
    let text = match raw {
        None | Some(Scalar::Null) => return Ok(Level::None),
        Some(Scalar::Text(s)) => s,
        Some(Scalar::Number(n)) => n,
        Some(Scalar::Bool(b)) => b.to_string(),
        Some(Scalar::Nested(kind)) => return Err(kind.described().to_string()),
    };
    match text.trim() {
        "" => Ok(Level::None),
        s if s.eq_ignore_ascii_case("none") => Ok(Level::None),
        s if s.eq_ignore_ascii_case("my") => Ok(Level::My),
        s if s.eq_ignore_ascii_case("all") => Ok(Level::All),
        other => Err(crate::cw::error::clean_text(other)),
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
            rows[0].levels,
            Levels::new(Level::None, Level::My, Level::None, Level::All)
        );
        assert_eq!(rows[1].levels, Levels::NONE);
    }

    #[test]
    fn unknown_levels_do_not_fail_the_list_and_are_named() {
        let rows: Vec<SecurityRow> = serde_json::from_str(
            r#"[{"moduleName":"Finance","moduleFunctionName":"Agreements","inquireLevel":"Everything","addLevel":7,"editLevel":"All"},
                {"moduleName":"Companies","moduleFunctionName":"Contacts","inquireLevel":"All"}]"#,
        )
        .expect("an unknown level does not fail the list");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].unknown_level(Column::Inquire), Some("Everything"));
        assert_eq!(rows[0].unknown_level(Column::Add), Some("7"));
        assert_eq!(rows[0].unknown_level(Column::Edit), None);
        assert_eq!(
            (rows[0].levels.edit, rows[0].levels.inquire),
            (Level::All, Level::None)
        );
        assert!(rows[1].unknown.is_empty());
        assert_eq!(rows[1].levels.inquire, Level::All);
        // A needed column sent in an unknown form is named, not counted as missing.
        let needed = Levels::new(Level::All, Level::All, Level::None, Level::All);
        let unknown: Vec<String> = rows[0]
            .unknown_needed(&needed)
            .map(|u| u.to_string())
            .collect();
        assert_eq!(
            unknown,
            [
                "Add level is \"7\" (needs All)",
                "Inquire level is \"Everything\" (needs All)"
            ]
        );
        assert_eq!(rows[0].shortfalls(&needed).count(), 0);
        assert_eq!(
            rows[1]
                .shortfalls(&needed)
                .map(|s| s.to_string())
                .collect::<Vec<_>>(),
            [
                "Add level is None, needs All",
                "Edit level is None, needs All"
            ]
        );
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
    fn roles_and_api_members_read_their_wire_shapes() {
        let roles: Vec<SecurityRole> = serde_json::from_str(
            r#"[{"id":1,"name":"Admin","adminFlag":true,"inactiveFlag":false,"_info":{}},
                {"id":22,"name":null,"adminFlag":null}]"#,
        )
        .expect("parsed");
        assert!(roles[0].admin_flag);
        assert_eq!((roles[1].name.as_str(), roles[1].admin_flag), ("", false));
        let members: Vec<ApiMember> = serde_json::from_str(
            r#"[{"id":178,"identifier":"S365","name":"Sync 365","inactiveFlag":false,
                "securityRole":{"id":22,"name":"Sync 365 API","_info":{}},
                "structureLevel":{"id":1,"name":"Corporate"},
                "defaultDepartment":{"id":10,"name":"Admin"}}]"#,
        )
        .expect("parsed");
        let m = &members[0];
        assert_eq!(m.security_role.as_ref().map(|r| r.id), Some(22));
        assert_eq!(
            m.structure_level.as_ref().and_then(|r| r.name.as_deref()),
            Some("Corporate")
        );
        assert!(m.default_location.is_none());
        assert!(m.excluded_service_board_ids.is_empty());
        let members: Vec<ApiMember> = serde_json::from_str(
            r#"[{"identifier":"A","excludedServiceBoardIds":[3,"x",7,{"id":9},1.5]},
                {"identifier":"B","excludedServiceBoardIds":null}]"#,
        )
        .expect("odd ids do not fail the list");
        assert_eq!(members[0].excluded_service_board_ids, [3, 7]);
        assert!(members[1].excluded_service_board_ids.is_empty());
        assert!(same_security_name(" Product Catalog ", "product catalog"));
        assert!(!same_security_name("Products", "Product Catalog"));
    }

    #[test]
    fn agreements_read_their_type_and_parent_even_without_ids() {
        let list: Vec<AgreementLite> = serde_json::from_str(
            r#"[{"id":7,"name":"M365","type":{"id":2,"name":"Microsoft 365","_info":{}},
                "parentAgreement":{"id":99,"name":"Managed"}},
                {"id":8,"type":{"name":"Unnamed id"},"parentAgreement":null},{}]"#,
        )
        .expect("parsed");
        assert_eq!(list[0].parent.as_ref().and_then(|p| p.id), Some(99));
        assert_eq!(list[0].kind.as_ref().and_then(|t| t.id), Some(2));
        assert_eq!(list[1].kind.as_ref().and_then(|t| t.id), None);
        assert!(list[1].parent.is_none() && list[2].kind.is_none());
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

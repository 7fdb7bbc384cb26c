//! The shape of a vendor profile: what each wizard step shows for one vendor's integration.
//!
//! Profiles are data (`assets/profiles/*.json`); these types are their strict schema.
//! Unknown fields are rejected so that a typo in a profile is an error, not a silently empty step.

use serde::{Deserialize, Serialize};

use crate::permission::{Column, Level, Levels};

/// One vendor integration's setup guide, as data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// The JSON Schema the file follows (`../profile.schema.json` for shipped profiles), so that
    /// an editor completes and checks it. Ignored by cwsetup.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Stable identifier used on the command line (`--profile sync365`).
    pub id: String,
    pub vendor: String,
    pub product: String,
    pub description: String,
    pub docs_url: String,
    /// The vendor's public page the role rows were read from. Every shipped profile has one and
    /// `cwsetup profiles validate` requires it; a file the wizard saved may lack it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_url: Option<String>,
    /// The date (YYYY-MM-DD) the rows were read from `source_url`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    /// Things that must be true before starting; shown as the Prerequisites checklist.
    pub prerequisites: Vec<String>,
    pub ip_allow_list: IpAllowList,
    pub role: RoleSpec,
    pub member: MemberSpec,
    pub key: KeySpec,
    pub integration: IntegrationSpec,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct IpAllowList {
    /// May be empty when the vendor publishes the list elsewhere; `note` then says where.
    pub addresses: Vec<String>,
    pub note: String,
}

/// Whether the vendor accepts the built-in Admin role for the API member.
/// Ordered for merging: the strictest advice of the merged profiles wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum AdminAdvice {
    /// The vendor's page accepts Admin (the custom role is still the least-privilege choice).
    Acceptable,
    /// The vendor's page does not say; cwsetup recommends the custom role.
    Unstated,
    /// The vendor's page discourages Admin.
    Discouraged,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RoleSpec {
    pub recommended_name: String,
    pub admin: AdminAdvice,
    /// Where to click in ConnectWise, in order.
    pub instructions: Vec<String>,
    pub rows: Vec<RoleRow>,
    pub notes: Vec<String>,
}

/// One function of the security role and the levels the integration needs on it.
// In a profile file the four levels are fields of the row (`add`, `edit`, `delete`, `inquire`):
// `RoleRowFile` is that form, so that unknown fields are still rejected (serde's `flatten`
// cannot be combined with `deny_unknown_fields`) and the schema stays the same. (A plain
// comment: the doc comment above is the schema's description.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(from = "RoleRowFile", into = "RoleRowFile")]
pub struct RoleRow {
    pub module: String,
    pub function: String,
    pub levels: Levels,
    /// Why the vendor needs this function.
    pub why: String,
    /// The vendor calls the row optional: without it the integration works, minus one feature.
    pub optional: bool,
    /// What stops working without an optional row, in the vendor's words (e.g. "required for
    /// creating activities"). `None` for a required row, or an optional one saved without reason.
    pub optional_reason: Option<String>,
    /// An API endpoint whose read access proves the Inquire level (e.g. `company/companies`).
    pub probe: Option<String>,
    /// Customize lists, e.g. the Table Setup tables the role may access.
    pub customize: Vec<String>,
    /// A Customize deny-list: every table stays allowed except these (see [`super::scope`]).
    pub customize_deny: Vec<String>,
    /// Levels needed only while the vendor's setup runs, with the vendor's reason.
    pub setup_only: Option<SetupOnly>,
}

impl RoleRow {
    /// The vendor's reason for an optional row, if it gave one (blank counts as none).
    pub fn optional_reason(&self) -> Option<&str> {
        self.optional_reason
            .as_deref()
            .map(str::trim)
            .filter(|r| self.optional && !r.is_empty())
    }

    /// The row's Customize list in words ("allow Agreements / Agreement Type, …" or "deny-list:
    /// …"); `None` when the vendor restricts no table.
    pub fn customize_phrase(&self) -> Option<String> {
        if !self.customize_deny.is_empty() {
            Some(format!(
                "deny-list: allow every table except {}",
                self.customize_deny.join(", ")
            ))
        } else if !self.customize.is_empty() {
            Some(format!("allow {}", self.customize.join(", ")))
        } else {
            None
        }
    }
}

/// One function of the security role and the levels the integration needs on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", schemars(rename = "RoleRow"))]
struct RoleRowFile {
    module: String,
    function: String,
    add: Level,
    edit: Level,
    delete: Level,
    inquire: Level,
    /// Why the vendor needs this function.
    why: String,
    /// `false` (the default) for a row the integration needs. For a row the vendor calls
    /// optional, the vendor's reason as a string (what stops working without it, e.g. "required
    /// for creating activities"); `true` marks it optional without a reason, which
    /// `cwsetup profiles validate` refuses in a profile meant to be shared.
    #[serde(default)]
    optional: Optional,
    /// An API endpoint whose read access proves the Inquire level (e.g. `company/companies`).
    #[serde(default)]
    probe: Option<String>,
    /// Customize lists, e.g. the Table Setup tables the role may access.
    #[serde(default)]
    customize: Vec<String>,
    /// A Customize deny-list ("allow everything except"): every table stays allowed except these,
    /// which go to "Disallow access to these". Not together with `customize`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    customize_deny: Vec<String>,
    /// The vendor's reason why this row (or the levels in `setup_only_levels`) is needed only
    /// during the vendor's initial setup: the technician lowers it once that is done.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    setup_only: Option<String>,
    /// The columns (`add`, `edit`, `delete`, `inquire`) needed only during setup; empty: every
    /// level of the row. Needs `setup_only`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    setup_only_levels: Vec<Column>,
}

/// A row's `optional` field: a flag, or the vendor's reason (which makes the row optional).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
enum Optional {
    Flag(bool),
    Reason(String),
}

impl Default for Optional {
    fn default() -> Self {
        Optional::Flag(false)
    }
}

impl From<RoleRowFile> for RoleRow {
    fn from(file: RoleRowFile) -> RoleRow {
        let (optional, optional_reason) = match file.optional {
            Optional::Flag(flag) => (flag, None),
            Optional::Reason(reason) => (true, Some(reason)),
        };
        RoleRow {
            module: file.module,
            function: file.function,
            levels: Levels::new(file.add, file.edit, file.delete, file.inquire),
            why: file.why,
            optional,
            optional_reason,
            probe: file.probe,
            customize: file.customize,
            customize_deny: file.customize_deny,
            setup_only: SetupOnly::from_file(file.setup_only, file.setup_only_levels),
        }
    }
}

impl From<RoleRow> for RoleRowFile {
    fn from(row: RoleRow) -> RoleRowFile {
        let Levels {
            add,
            edit,
            delete,
            inquire,
        } = row.levels;
        RoleRowFile {
            module: row.module,
            function: row.function,
            add,
            edit,
            delete,
            inquire,
            why: row.why,
            optional: match row.optional_reason {
                Some(reason) if row.optional => Optional::Reason(reason),
                _ => Optional::Flag(row.optional),
            },
            probe: row.probe,
            customize: row.customize,
            customize_deny: row.customize_deny,
            setup_only: row.setup_only.as_ref().map(|s| s.why.clone()),
            setup_only_levels: row.setup_only.map(|s| s.columns).unwrap_or_default(),
        }
    }
}

/// Levels of a row the vendor needs only during its initial setup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetupOnly {
    /// The vendor's reason, in its words where it gives them.
    pub why: String,
    /// The columns needed only during setup; empty: every level of the row.
    pub columns: Vec<Column>,
}

impl SetupOnly {
    /// From a profile file's `setup_only` and `setup_only_levels`. Columns without a reason keep
    /// an empty reason, so that `scope::check_row` names the missing field instead of dropping them.
    pub(super) fn from_file(why: Option<String>, columns: Vec<Column>) -> Option<SetupOnly> {
        match why {
            Some(why) => Some(SetupOnly { why, columns }),
            None if !columns.is_empty() => Some(SetupOnly {
                why: String::new(),
                columns,
            }),
            None => None,
        }
    }

    /// `levels` once setup is done: the setup-only columns (or all four) lowered to None.
    pub fn after_setup(&self, levels: Levels) -> Levels {
        let mut after = levels;
        for column in Column::ALL {
            if self.columns.is_empty() || self.columns.contains(&column) {
                after.set(column, Level::None);
            }
        }
        after
    }
}

/// Rows match case-insensitively and ignoring surrounding spaces: `Contacts` == ` contacts`.
pub(crate) fn row_key(s: &str) -> String {
    s.trim().to_lowercase()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MemberSpec {
    pub instructions: Vec<String>,
    pub member_id: String,
    /// Either `name` (one field) or `first_name` + `last_name`, as the vendor's guide names them.
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub first_name: Option<String>,
    #[serde(default)]
    pub last_name: Option<String>,
    pub department: String,
    pub location: String,
    pub structure_level: String,
    #[serde(default)]
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct KeySpec {
    pub instructions: Vec<String>,
    pub description: String,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct IntegrationSpec {
    /// The numbered steps in the vendor's portal.
    pub steps: Vec<String>,
    /// The fields the vendor's portal asks for, in its order.
    pub fields: Vec<PortalField>,
    /// What the portal does after "test and save".
    #[serde(default)]
    pub after: Option<String>,
    /// Caveats about the portal, e.g. that the vendor's guide does not list the form's fields.
    #[serde(default)]
    pub notes: Vec<String>,
}

/// A field in the vendor's portal and where its value comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PortalField {
    pub label: String,
    pub source: FieldSource,
    /// The literal value for `FieldSource::Fixed` (e.g. "ConnectWise" for a PSA type drop-down).
    #[serde(default)]
    pub value: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum FieldSource {
    CompanyId,
    /// The API host, e.g. `api-na.myconnectwise.net` (what the vendor calls the ConnectWise URL).
    ApiHost,
    /// The API host as a full URL, e.g. `https://api-na.myconnectwise.net`.
    ApiUrl,
    /// The login host, e.g. `na.myconnectwise.net` (a self-hosted server: its host and port).
    Site,
    /// The login host as a full URL, e.g. `https://na.myconnectwise.net`.
    SiteUrl,
    PublicKey,
    PrivateKey,
    ClientId,
    /// The Member ID of the API member whose keys the tool holds (MSP360's console asks for it).
    MemberId,
    Fixed,
}

/// The JSON Schema of a profile file, generated from these types (so that it cannot drift), as
/// committed at `assets/profile.schema.json`. Pretty-printed, with a trailing newline. Only
/// with the `schema` feature, which `cargo test` turns on (Cargo.toml): release builds carry
/// no schema generator.
#[cfg(feature = "schema")]
pub fn profile_json_schema() -> String {
    let schema = schemars::schema_for!(Profile);
    let mut text = serde_json::to_string_pretty(&schema)
        .expect("a generated schema is plain JSON and always serializes");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROW: &str = r#"{"module":"Companies","function":"Contacts","add":"None","edit":"My","delete":"None","inquire":"All","why":"reads contacts"}"#;

    #[test]
    fn a_role_row_reads_and_writes_its_levels_as_four_fields_of_the_row() {
        let row: RoleRow = serde_json::from_str(ROW).expect("a row");
        assert_eq!(
            row.levels,
            Levels::new(Level::None, Level::My, Level::None, Level::All)
        );
        assert!(!row.optional && row.optional_reason.is_none());
        assert!(row.probe.is_none() && row.customize.is_empty());
        let written = serde_json::to_value(&row).expect("serializes");
        assert_eq!(
            written,
            serde_json::json!({"module":"Companies","function":"Contacts","add":"None",
                "edit":"My","delete":"None","inquire":"All","why":"reads contacts",
                "optional":false,"probe":null,"customize":[]})
        );
        let back: RoleRow = serde_json::from_value(written).expect("reads back");
        assert_eq!(back, row);
    }

    #[test]
    fn an_optional_row_reads_and_writes_the_vendors_reason() {
        let with_reason = ROW.replace(
            r#""why":"reads contacts""#,
            r#""why":"reads contacts","optional":"required for importing users""#,
        );
        let row: RoleRow = serde_json::from_str(&with_reason).expect("a reason");
        assert!(row.optional);
        assert_eq!(row.optional_reason(), Some("required for importing users"));
        let written = serde_json::to_value(&row).expect("serializes");
        assert_eq!(written["optional"], "required for importing users");
        assert_eq!(
            serde_json::from_value::<RoleRow>(written).expect("back"),
            row
        );

        // A file saved by an older cwsetup says `true` or `false`: still read, with no reason.
        let flag = ROW.replace(r#""why":"reads contacts""#, r#""why":"x","optional":true"#);
        let row: RoleRow = serde_json::from_str(&flag).expect("a flag");
        assert!(row.optional && row.optional_reason().is_none());
        let number = ROW.replace(r#""why":"reads contacts""#, r#""why":"x","optional":1"#);
        assert!(
            serde_json::from_str::<RoleRow>(&number).is_err(),
            "not a flag or a reason"
        );
    }

    #[test]
    fn a_role_row_still_rejects_unknown_and_missing_fields() {
        let typo = ROW.replace("\"inquire\"", "\"inquiry\"");
        let err = serde_json::from_str::<RoleRow>(&typo).expect_err("a typo fails");
        assert!(err.to_string().contains("unknown field `inquiry`"), "{err}");
        let missing = ROW.replace(r#""add":"None","#, "");
        let err = serde_json::from_str::<RoleRow>(&missing).expect_err("a missing level fails");
        assert!(err.to_string().contains("missing field `add`"), "{err}");
    }
}

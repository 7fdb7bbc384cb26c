//! What the test and the audit are given: the setup's values, with their own copies of the keys
//! (wiped when the run ends). Both front ends start runs from here.

use crate::audit::AuditRequest;
use crate::check::{CheckRequest, ToolRequest};
use crate::profile::Profile;
use crate::secret::Secret;

use super::fields::FieldId;
use super::masked_input::MaskedInput;
use super::own_keys;
use super::state::Setup;

/// The test's input, with its own copies of the keys (wiped when the test ends): one request
/// for the key pair every tool uses, or one per tool, each with that tool's keys and only that
/// tool's profile, when each tool has its own pair.
pub fn check_request(app: &Setup) -> Result<Vec<ToolRequest>, String> {
    let copy = |id: FieldId| -> Result<Secret, String> {
        let input = app
            .key_input(id)
            .ok_or_else(|| "internal: not a key field".to_string())?;
        Secret::from_str_checked(input.secret().expose())
            .map_err(|e| format!("{}: {e}", app.field_label(id)))
    };
    let request = |public: FieldId, private: FieldId, profiles: Vec<Profile>| {
        Ok::<_, String>(CheckRequest {
            site: app.site.value().to_string(),
            company_id: app.company_id.value().to_string(),
            client_id: app.client_id.value().to_string(),
            public_key: copy(public)?,
            private_key: copy(private)?,
            profiles,
            timeout: app.settings.timeout,
            removed_before: app.input_removed(),
        })
    };
    app.key_fields()
        .into_iter()
        .map(|(tool, public, private)| {
            let profiles: Vec<Profile> = match tool.and_then(|i| app.profiles.get(i)) {
                Some(p) => vec![p.clone()],
                None => app.selected_profiles().into_iter().cloned().collect(),
            };
            let tool = profiles
                .iter()
                .map(|p| p.product.clone())
                .collect::<Vec<_>>()
                .join(" + ");
            Ok(ToolRequest {
                tool,
                request: request(public, private, profiles)?,
            })
        })
        .collect()
}

/// The audit's input, with its own copies of the technician's keys (wiped when it ends).
pub fn audit_request(app: &Setup) -> Result<AuditRequest, String> {
    let copy = |input: &MaskedInput| -> Result<Secret, String> {
        Secret::from_str_checked(input.secret().expose()).map_err(|e| e.to_string())
    };
    Ok(AuditRequest {
        site: app.site.value().to_string(),
        company_id: app.company_id.value().to_string(),
        client_id: app.client_id.value().to_string(),
        public_key: copy(&app.own.public_key)?,
        private_key: copy(&app.own.private_key)?,
        profiles: app.selected_profiles().into_iter().cloned().collect(),
        role_name: own_keys::role_name(app),
        member: own_keys::member_identifier(app),
        timeout: app.settings.timeout,
    })
}

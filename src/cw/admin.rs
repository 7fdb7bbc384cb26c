//! Read-only reads for auditing steps 2 and 3 (and `cwsetup members`) with the technician's own
//! keys: security roles, a role's settings, and API members. Nothing here writes to ConnectWise.

use crate::cw::client::ApiSession;
use crate::cw::error::CwError;
use crate::cw::models::{ApiMember, ListQuery, SecurityRole, SecurityRow};

impl ApiSession {
    /// `GET system/securityroles`: every role (all pages). The spec spells the list path in
    /// lower case, unlike the settings path below.
    pub async fn security_roles(&self) -> Result<Vec<SecurityRole>, CwError> {
        self.list("system/securityroles", &ListQuery::default())
            .await
    }

    /// `GET system/securityRoles/{id}/settings`: every function row of one role (all pages,
    /// 1000 per page). The rows have the same fields as `system/mySecurity`.
    pub async fn security_role_settings(&self, role_id: i64) -> Result<Vec<SecurityRow>, CwError> {
        let endpoint = format!("system/securityRoles/{role_id}/settings");
        self.list(&endpoint, &ListQuery::default()).await
    }

    /// `GET system/apiMembers?conditions=identifier="X"`: the API members with this identifier
    /// (ConnectWise compares it case-insensitively; normally zero or one).
    pub async fn api_members_by_identifier(
        &self,
        identifier: &str,
    ) -> Result<Vec<ApiMember>, CwError> {
        let query = ListQuery {
            conditions: Some(identifier_condition(identifier)),
            ..ListQuery::default()
        };
        self.list("system/apiMembers", &query).await
    }
}

impl ApiSession {
    /// `GET system/apiMembers`: every API member (all pages, 1000 per page).
    pub async fn api_members(&self) -> Result<Vec<ApiMember>, CwError> {
        self.list("system/apiMembers", &ListQuery::default()).await
    }
}

/// `identifier="X"`, with `\` and `"` escaped so the value cannot end the string early.
pub fn identifier_condition(identifier: &str) -> String {
    let escaped = identifier.trim().replace('\\', "\\\\").replace('"', "\\\"");
    format!("identifier=\"{escaped}\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifier_conditions_are_quoted_and_escaped() {
        assert_eq!(identifier_condition(" S365 "), "identifier=\"S365\"");
        assert_eq!(
            identifier_condition("a\"b\\c"),
            "identifier=\"a\\\"b\\\\c\""
        );
    }
}

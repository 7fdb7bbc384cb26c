//! An audit from its inputs alone: the site, company ID, client ID and the technician's own keys.
//! This is what the wizard's "Check my work as I go" runs in the background (the wizard knows no
//! HTTP); `cwsetup audit` does the same steps with its own command-line checks around them.

use std::sync::Arc;
use std::time::Duration;

use crate::cw::{ClientOptions, Credentials, CwClient, Site};
use crate::profile::Profile;
use crate::sanitize::{self, FieldKind};
use crate::secret::Secret;

use super::model::AuditReport;

/// Everything one audit needs. The keys are the technician's own (never the vendor's), wiped
/// when the request is dropped.
pub struct AuditRequest {
    pub site: String,
    pub company_id: String,
    pub client_id: String,
    pub public_key: Secret,
    pub private_key: Secret,
    /// The selected vendor profiles; their merged role is what the role is compared with.
    pub profiles: Vec<Profile>,
    /// The security role to find; empty means the profiles' recommended name.
    pub role_name: String,
    /// The API member's identifier; empty means the first profile's member ID.
    pub member: String,
    /// The end-to-end limit for the whole audit.
    pub timeout: Duration,
}

impl std::fmt::Debug for AuditRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditRequest")
            .field("site", &self.site)
            .field("company_id", &self.company_id)
            .field("role_name", &self.role_name)
            .field("member", &self.member)
            .finish_non_exhaustive()
    }
}

/// Why an audit could not read anything at all (no site, unknown company, no connection).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditFailure {
    pub summary: String,
    pub fix: String,
}

impl AuditRequest {
    /// The role name the audit looks for.
    pub fn effective_role_name(&self) -> String {
        let typed = sanitize::display_text(self.role_name.trim());
        if typed.is_empty() {
            let refs: Vec<&Profile> = self.profiles.iter().collect();
            crate::profile::merge(&refs).role_name
        } else {
            typed
        }
    }

    /// The member identifier the audit looks for.
    pub fn effective_member(&self) -> String {
        let typed = sanitize::sanitize(FieldKind::MemberId, &self.member).value;
        if typed.is_empty() {
            self.profiles
                .first()
                .map(|p| p.member.member_id.clone())
                .unwrap_or_default()
        } else {
            typed
        }
    }
}

/// Reads the role and the member with the request's keys. `Err` only when nothing could be read:
/// a missing input, an unknown company, a connection that failed. A 403 on roles or members is
/// not an error: that part of the report is `manual`, naming the permission that would allow it.
pub async fn run(request: AuditRequest) -> Result<AuditReport, AuditFailure> {
    let text = |kind, value: &str| sanitize::sanitize(kind, value).value;
    let site = text(FieldKind::Site, &request.site);
    let company_id = text(FieldKind::CompanyId, &request.company_id);
    let client_id = text(FieldKind::ClientId, &request.client_id);
    let mut missing = Vec::new();
    for (value, what) in [
        (&site, "the site"),
        (&company_id, "the company ID"),
        (&client_id, "the client ID"),
    ] {
        if value.is_empty() {
            missing.push(what);
        }
    }
    if request.public_key.is_empty() {
        missing.push("your public key");
    }
    if request.private_key.is_empty() {
        missing.push("your private key");
    }
    if !missing.is_empty() {
        return Err(AuditFailure {
            summary: format!("missing {}", missing.join(", ")),
            fix: "Fill them in with your own API keys (My Account > API Keys, or an admin API member's keys), then press t again.".into(),
        });
    }
    if request.profiles.is_empty() {
        return Err(AuditFailure {
            summary: "no vendor profile is selected".into(),
            fix: "Select at least one vendor profile on step 1.".into(),
        });
    }
    if sanitize::keys_identical(request.public_key.expose(), request.private_key.expose()) {
        return Err(AuditFailure {
            summary: "your public and private keys are identical".into(),
            fix: "One key was pasted twice: paste your private key again.".into(),
        });
    }
    let site = Site::parse(&site).map_err(|e| AuditFailure {
        summary: format!("site: {e}"),
        fix: e.fix(),
    })?;
    let role_name = request.effective_role_name();
    let member = request.effective_member();
    let refs: Vec<&Profile> = request.profiles.iter().collect();
    let merged = crate::profile::merge(&refs);
    let options = ClientOptions {
        client_id,
        deadline: Some(tokio::time::Instant::now() + request.timeout.max(Duration::from_secs(1))),
        ..ClientOptions::default()
    };
    let failure = |e: crate::cw::CwError| AuditFailure {
        summary: e.to_string(),
        fix: e.fix(),
    };
    let client = CwClient::new(site, options).map_err(failure)?;
    let info = client.company_info(&company_id).await.map_err(failure)?;
    let AuditRequest {
        public_key,
        private_key,
        ..
    } = request;
    let credentials = Arc::new(Credentials {
        company_id,
        public_key,
        private_key,
    });
    let session = client.session(&info, credentials);
    Ok(super::audit(&session, &merged, &role_name, &member).await)
}

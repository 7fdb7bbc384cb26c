//! An audit from its inputs alone: the site, company ID, client ID and the technician's own keys.
//! This is what the wizard's "Check my work as I go" runs in the background (the wizard knows no
//! HTTP); `cwsetup audit` does the same steps with its own command-line checks around them.

use std::sync::Arc;
use std::time::Duration;

use crate::cw::{ApiSession, ClientOptions, Credentials, CwClient};
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
    /// The values typed were refused before anything was sent (an input error, exit 2 for the
    /// command line), rather than a connection or an answer that failed.
    pub input: bool,
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
///
/// The report's server text is made safe for a terminal ([`AuditReport::for_display`]); see
/// [`run_exact`] for the exact text.
pub async fn run(request: AuditRequest) -> Result<AuditReport, AuditFailure> {
    run_exact(request).await.map(|report| report.for_display())
}

/// [`run`], with the server's text in the report exactly as sent (for `--json`).
pub async fn run_exact(request: AuditRequest) -> Result<AuditReport, AuditFailure> {
    let blank = |kind, value: &str| sanitize::sanitize(kind, value).value.is_empty();
    let mut missing = Vec::new();
    for (kind, value, what) in [
        (FieldKind::Site, &request.site, "the site"),
        (FieldKind::CompanyId, &request.company_id, "the company ID"),
        (FieldKind::ClientId, &request.client_id, "the client ID"),
    ] {
        if blank(kind, value) {
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
            input: true,
        });
    }
    if request.profiles.is_empty() {
        return Err(AuditFailure {
            summary: "no vendor profile is selected".into(),
            fix: "Select at least one vendor profile on step 1.".into(),
            input: true,
        });
    }
    let role_name = request.effective_role_name();
    let member = request.effective_member();
    let refs: Vec<&Profile> = request.profiles.iter().collect();
    let merged = crate::profile::merge(&refs);
    let own = open_session(
        &request.site,
        &request.company_id,
        &request.client_id,
        &request.public_key,
        &request.private_key,
        request.timeout,
        ClientOptions::default().max_concurrency,
    )
    .await?;
    drop(request);
    let OwnSession {
        session,
        deadline,
        limit,
    } = own;
    // The deadline covers all the work, the comparisons after the reads included.
    tokio::time::timeout_at(
        deadline,
        super::audit(&session, &merged, &role_name, &member),
    )
    .await
    .map_err(|_| AuditFailure {
        summary: format!(
            "the audit did not finish within the {} s allowed",
            limit.as_secs()
        ),
        fix: format!("Try again later, or {}.", crate::cw::FIX_ALLOW_MORE_TIME),
        input: false,
    })
}

/// A session opened with the technician's own keys, and the end-to-end deadline it runs under.
pub struct OwnSession {
    pub session: ApiSession,
    pub deadline: tokio::time::Instant,
    /// The time allowed, for the message when the deadline passes.
    pub limit: Duration,
}

/// The values judged exactly as the check's input stage judges them, then companyinfo and a
/// session with the keys (at most `max_concurrency` requests at once): what `audit` and
/// `members` both start with. `Err` names what to
/// correct (`input`: nothing was sent) or why the site could not be reached.
pub async fn open_session(
    site: &str,
    company_id: &str,
    client_id: &str,
    public_key: &Secret,
    private_key: &Secret,
    timeout: Duration,
    max_concurrency: usize,
) -> Result<OwnSession, AuditFailure> {
    let judged = crate::check::judge_input(site, company_id, client_id, public_key, private_key);
    let site = match judged.site {
        Some(site) if judged.problems.is_empty() => site,
        _ => {
            return Err(AuditFailure {
                summary: judged.problems.join("; "),
                fix: "Fill in or correct the values named above with your own API keys (My Account > API Keys, or an admin API member's keys), then try again.".into(),
                input: true,
            });
        }
    };
    let limit = timeout.max(Duration::from_secs(1));
    let deadline = tokio::time::Instant::now() + limit;
    let options = ClientOptions {
        client_id: judged.client_id,
        deadline: Some(deadline),
        max_concurrency,
        ..ClientOptions::default()
    };
    let failure = |e: crate::cw::CwError| AuditFailure {
        summary: e.to_string(),
        fix: e.fix(),
        input: false,
    };
    let client = CwClient::new(site, options).map_err(failure)?;
    let info = client
        .company_info(&judged.company_id)
        .await
        .map_err(failure)?;
    let credentials = Arc::new(Credentials {
        company_id: judged.company_id,
        public_key: judged.public_key,
        private_key: judged.private_key,
    });
    Ok(OwnSession {
        session: client.session(&info, credentials),
        deadline,
        limit,
    })
}

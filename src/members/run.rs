//! `cwsetup members` from its inputs alone: the site, company ID, client ID and the technician's
//! own keys, judged and connected exactly as the audit's ([`crate::audit::open_session`]).

use std::time::Duration;

use crate::audit::{AuditFailure, OwnSession};
use crate::profile::Profile;
use crate::secret::Secret;

use super::model::MembersReport;

/// Everything one run needs. The keys are the technician's own, wiped when the request is
/// dropped (right after companyinfo).
pub struct MembersRequest {
    pub site: String,
    pub company_id: String,
    pub client_id: String,
    pub public_key: Secret,
    pub private_key: Secret,
    /// The vendor profiles a role may match (the shipped ones, or those chosen).
    pub profiles: Vec<Profile>,
    /// The end-to-end limit for the whole run.
    pub timeout: Duration,
}

impl std::fmt::Debug for MembersRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MembersRequest")
            .field("site", &self.site)
            .field("company_id", &self.company_id)
            .field("profiles", &self.profiles.len())
            .finish_non_exhaustive()
    }
}

/// Reads every API member, the roles and the used roles' settings, and judges them. `Err` only
/// when nothing could be read (an input error, an unknown company, no connection); a 403 makes
/// that part manual instead. The report keeps the server's text exactly (for `--json`); show it
/// through [`MembersReport::for_display`].
pub async fn run(request: MembersRequest) -> Result<MembersReport, AuditFailure> {
    let MembersRequest {
        site,
        company_id,
        client_id,
        public_key,
        private_key,
        profiles,
        timeout,
    } = request;
    let own = crate::audit::open_session(
        &site,
        &company_id,
        &client_id,
        &public_key,
        &private_key,
        timeout,
        super::SETTINGS_AT_ONCE,
    )
    .await;
    drop((public_key, private_key));
    let OwnSession {
        session,
        deadline,
        limit,
    } = own?;
    let refs: Vec<&Profile> = profiles.iter().collect();
    tokio::time::timeout_at(deadline, async {
        let reads = super::read(&session).await;
        super::analyze(&reads, &refs)
    })
    .await
    .map_err(|_| AuditFailure {
        summary: format!(
            "reading the API members did not finish within the {} s allowed",
            limit.as_secs()
        ),
        fix: format!("Try again later, or {}.", crate::cw::FIX_ALLOW_MORE_TIME),
        input: false,
    })
}

//! Key rotation, proved end to end (`cwsetup rotate`): the new key pair runs the full check
//! ([`crate::check`]) and must pass or warn; only then is the old pair tried on `system/info`,
//! where a 401 proves it dead. ConnectWise's API can neither create nor delete keys, so the
//! technician makes the new key and deletes the old one by hand; cwsetup proves both.
//!
//! - [`RotateRequest`]: the values and both key pairs (wiped when dropped: [`Secret`]).
//! - [`run`]: the check, then the old key's proof; [`RotateReport`] is the JSON contract of
//!   `cwsetup rotate --json`.
//! - [`memory`]: the date of the last proved rotation per site and member (no key material).
//! - `report`: the human output (the five steps with what was proved) and the Markdown report.
//!
//! Nothing is stored, and no key appears in any output: the reports hold the check's report (no
//! secret) and the old key's status.

pub mod memory;
mod report;

use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use serde::ser::{SerializeStruct, Serializer};

use crate::check::{CheckReport, CheckRequest, StageResult, Verdict};
use crate::cw::{ClientOptions, Credentials, CwClient, CwError};
use crate::profile::Profile;
use crate::secret::Secret;

pub use report::{human, markdown};

/// Everything one rotation needs: the tenant, the new pair, the old pair, the profiles.
pub struct RotateRequest {
    pub site: String,
    pub company_id: String,
    pub client_id: String,
    pub new_public_key: Secret,
    pub new_private_key: Secret,
    pub old_public_key: Secret,
    pub old_private_key: Secret,
    /// The vendor profiles the new key is checked against (their merged role).
    pub profiles: Vec<Profile>,
    /// The end-to-end limit of the new key's check; the old key's proof gets its own of the
    /// same length.
    pub timeout: Duration,
}

impl std::fmt::Debug for RotateRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RotateRequest")
            .field("site", &self.site)
            .field("company_id", &self.company_id)
            .finish_non_exhaustive()
    }
}

/// What became of the old key pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum OldKeyStatus {
    /// ConnectWise answered 401 on `system/info`: the old key is dead.
    Rejected,
    /// ConnectWise accepted it: it was not deleted (or another key was).
    StillWorks,
    /// Not tried (the new key failed), or the answer proved nothing (no connection, a 5xx).
    NotChecked,
}

impl OldKeyStatus {
    pub fn id(self) -> &'static str {
        match self {
            OldKeyStatus::Rejected => "rejected",
            OldKeyStatus::StillWorks => "still-works",
            OldKeyStatus::NotChecked => "not-checked",
        }
    }
}

/// The old key's status, and one sentence on it (with the fix when there is one to make).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OldKey {
    pub status: OldKeyStatus,
    pub detail: String,
}

/// A rotation's result. In JSON exactly
/// `{"verdict", "new_key": {"verdict", "stages": [...]}, "old_key": {"status", "detail"}}`.
#[derive(Debug, Clone, PartialEq)]
pub struct RotateReport {
    /// `pass`: the new key passed and the old one is rejected; `warn`: the same, with the new
    /// key's check passing with warnings; `fail`: anything else.
    pub verdict: Verdict,
    /// The new key's full check (its stages go into the JSON; the rest feeds the human output).
    pub new_key: CheckReport,
    pub old_key: OldKey,
    /// The API member the keys belong to, as the first profile names it ("S365").
    pub member_id: String,
    /// Today's date (UTC) as YYYY-MM-DD, for the new key's description.
    pub date: String,
    /// The date of the last proved rotation of this member's key at this site, when cwsetup
    /// remembers one ([`memory`]); the human output says how old the key was. Not in the JSON.
    pub previous_rotation: Option<String>,
}

impl RotateReport {
    /// The verdict of a new key's check and an old key's status.
    pub fn verdict_of(new_key: Verdict, old_key: OldKeyStatus) -> Verdict {
        match (new_key, old_key) {
            (Verdict::Pass, OldKeyStatus::Rejected) => Verdict::Pass,
            (Verdict::Warn, OldKeyStatus::Rejected) => Verdict::Warn,
            (
                Verdict::Pass | Verdict::Warn | Verdict::Fail,
                OldKeyStatus::Rejected | OldKeyStatus::StillWorks | OldKeyStatus::NotChecked,
            ) => Verdict::Fail,
        }
    }

    /// The description to give the new key: the member ID and today's date ("S365 2026-12-07").
    pub fn key_description(&self) -> String {
        crate::sanitize::display_text(&format!("{} {}", self.member_id, self.date))
    }
}

/// The new key's part of the JSON: its verdict and its stages.
struct NewKeyJson<'a> {
    verdict: Verdict,
    stages: &'a [StageResult],
}

impl Serialize for NewKeyJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("NewKey", 2)?;
        s.serialize_field("verdict", &self.verdict)?;
        s.serialize_field("stages", self.stages)?;
        s.end()
    }
}

impl Serialize for RotateReport {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("RotateReport", 3)?;
        s.serialize_field("verdict", &self.verdict)?;
        s.serialize_field(
            "new_key",
            &NewKeyJson {
                verdict: self.new_key.verdict,
                stages: &self.new_key.stages,
            },
        )?;
        s.serialize_field("old_key", &self.old_key)?;
        s.end()
    }
}

/// Why the pairs cannot be a rotation, before anything is sent: the old public key is the new
/// one (the same key), or the old pair is not usable as typed (empty, identical halves, …).
pub fn pair_problems(request: &RotateRequest) -> Vec<String> {
    let mut problems = Vec::new();
    let judge = |public: &Secret, private: &Secret| {
        crate::check::judge_input(
            &request.site,
            &request.company_id,
            &request.client_id,
            public,
            private,
        )
    };
    let new = judge(&request.new_public_key, &request.new_private_key);
    let judged = judge(&request.old_public_key, &request.old_private_key);
    // Compared once sanitized, as sent: the same key with a stray space is still the same key.
    if !new.public_key.is_empty() && new.public_key.expose() == judged.public_key.expose() {
        problems.push(
            "the old public key is the new one: give the new key's public key and the old key's, \
             which differ (a new key is made with + on the member's API Keys tab)"
                .to_string(),
        );
    }
    problems.extend(
        judged
            .problems
            .into_iter()
            .filter(|p| p.contains("key"))
            .map(|p| format!("old key: {p}")),
    );
    problems
}

/// Today's date in UTC, as YYYY-MM-DD.
pub fn today() -> String {
    let date = time::OffsetDateTime::now_utc().date();
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

impl RotateRequest {
    /// The Member ID of the member whose key rotates: the first profile's.
    fn member_id(&self) -> String {
        self.profiles
            .first()
            .map(|p| p.member.member_id.clone())
            .unwrap_or_default()
    }
}

/// Runs the new key's full check; when it passes (or warns), proves whether the old key is
/// rejected. Never panics; both pairs are wiped when this returns.
pub async fn run(request: RotateRequest) -> RotateReport {
    let member_id = request.member_id();
    let RotateRequest {
        site,
        company_id,
        client_id,
        new_public_key,
        new_private_key,
        old_public_key,
        old_private_key,
        profiles,
        timeout,
    } = request;
    // Values the check's input stage will refuse: nothing is sent for either pair.
    let new_input_ok = crate::check::judge_input(
        &site,
        &company_id,
        &client_id,
        &new_public_key,
        &new_private_key,
    )
    .problems
    .is_empty();
    let check = CheckRequest {
        site: site.clone(),
        company_id: company_id.clone(),
        client_id: client_id.clone(),
        public_key: new_public_key,
        private_key: new_private_key,
        profiles,
        timeout,
        removed_before: Vec::new(),
    };
    let old = OldPair {
        site: &site,
        company_id: &company_id,
        client_id: &client_id,
        public_key: old_public_key,
        private_key: old_private_key,
    };
    // The old pair's companyinfo (unauthenticated: no key is sent) goes out beside the new key's
    // check, so proving the old key costs one round trip after it, not two.
    let prepare = async {
        if new_input_ok {
            prepare_old_key(old, timeout).await
        } else {
            Prepared::Refused("the new key's values were refused".into())
        }
    };
    let (new_key, prepared) = tokio::join!(crate::check::run(check, None), prepare);
    let old_key = if new_key.verdict == Verdict::Fail {
        drop(prepared);
        old_key_not_checked()
    } else {
        prove_old_key(prepared, &member_id).await
    };
    RotateReport {
        verdict: RotateReport::verdict_of(new_key.verdict, old_key.status),
        new_key,
        old_key,
        member_id,
        date: today(),
        previous_rotation: None,
    }
}

/// What the old key's status is when the new key has not passed: the old key is not tried.
pub fn old_key_not_checked() -> OldKey {
    OldKey {
        status: OldKeyStatus::NotChecked,
        detail: "Not checked: the new key must pass first. Keep the old key until it does \
                 (the integration still uses it); fix what failed above and run the rotation \
                 again."
            .into(),
    }
}

/// Step 5 alone, for a front end that checked the new key earlier (the wizard's rotate path):
/// tries the old pair on `system/info` and says what that proves, with the fix when it still
/// works. [`pair_problems`] refuses a pair that is the new one before anything is sent. Both
/// pairs are wiped when this returns.
pub async fn prove_old_key_only(request: RotateRequest) -> OldKey {
    let problems = pair_problems(&request);
    if !problems.is_empty() {
        return OldKey {
            status: OldKeyStatus::NotChecked,
            detail: format!("Not checked: {}.", problems.join("; ")),
        };
    }
    let member_id = request.member_id();
    let RotateRequest {
        site,
        company_id,
        client_id,
        new_public_key,
        new_private_key,
        old_public_key,
        old_private_key,
        timeout,
        ..
    } = request;
    drop((new_public_key, new_private_key));
    let old = OldPair {
        site: &site,
        company_id: &company_id,
        client_id: &client_id,
        public_key: old_public_key,
        private_key: old_private_key,
    };
    let prepared = prepare_old_key(old, timeout).await;
    prove_old_key(prepared, &member_id).await
}

/// The old pair and where to try it.
struct OldPair<'a> {
    site: &'a str,
    company_id: &'a str,
    client_id: &'a str,
    public_key: Secret,
    private_key: Secret,
}

/// The old pair ready to be tried: its credentials and the answer of companyinfo (sent without
/// them), or why it cannot be tried as typed.
enum Prepared {
    Ready {
        credentials: Arc<Credentials>,
        client: Result<(CwClient, crate::cw::CompanyInfo), CwError>,
    },
    Refused(String),
}

/// Judges the old pair as the check judges input, and reads companyinfo for it (no key sent).
async fn prepare_old_key(old: OldPair<'_>, timeout: Duration) -> Prepared {
    let judged = crate::check::judge_input(
        old.site,
        old.company_id,
        old.client_id,
        &old.public_key,
        &old.private_key,
    );
    drop((old.public_key, old.private_key));
    let Some(site) = judged.site.filter(|_| judged.problems.is_empty()) else {
        return Prepared::Refused(judged.problems.join("; "));
    };
    let limit = timeout.max(Duration::from_secs(1));
    let options = ClientOptions {
        client_id: judged.client_id,
        deadline: Some(tokio::time::Instant::now() + limit),
        request_timeout: limit,
        time_limit: Some(limit),
        ..ClientOptions::default()
    };
    let credentials = Arc::new(Credentials {
        company_id: judged.company_id.clone(),
        public_key: judged.public_key,
        private_key: judged.private_key,
    });
    let client = async {
        let client = CwClient::new(site, options)?;
        let info = client.company_info(&judged.company_id).await?;
        Ok((client, info))
    }
    .await;
    Prepared::Ready {
        credentials,
        client,
    }
}

/// `system/info` with the old pair: 401 proves it dead, an answer proves it alive; anything else
/// proves nothing.
async fn prove_old_key(prepared: Prepared, member_id: &str) -> OldKey {
    let (credentials, client) = match prepared {
        Prepared::Ready {
            credentials,
            client,
        } => (credentials, client),
        Prepared::Refused(problems) => {
            return OldKey {
                status: OldKeyStatus::NotChecked,
                detail: format!("Not checked: {problems}."),
            };
        }
    };
    let answer = match client {
        Ok((client, info)) => client.session(&info, credentials).system_info().await,
        Err(e) => Err(e),
    };
    old_key_verdict(answer.map(|_| ()), member_id)
}

/// What an answer to `system/info` with the old pair proves.
fn old_key_verdict(answer: Result<(), CwError>, member_id: &str) -> OldKey {
    let member = crate::sanitize::display_text(member_id);
    let place = if member.is_empty() {
        "System > Members > API Members > (the member) > API Keys".to_string()
    } else {
        format!("System > Members > API Members > {member} > API Keys")
    };
    match answer {
        Err(CwError::Unauthorized { .. }) => OldKey {
            status: OldKeyStatus::Rejected,
            detail: "Rejected: ConnectWise answers 401 to the old key on system/info, so \
                     nothing can use it any more."
                .into(),
        },
        Ok(()) => OldKey {
            status: OldKeyStatus::StillWorks,
            detail: format!(
                "Still works: ConnectWise accepted the old key on system/info. Once the vendor's \
                 portal uses the new key, delete the old one on the member's API Keys tab in \
                 ConnectWise ({place}: the key whose description is not today's), then run the \
                 rotation again."
            ),
        },
        Err(e) => OldKey {
            status: OldKeyStatus::NotChecked,
            detail: format!(
                "Not proved: the old key could not be tried ({}). {} Then run the rotation again.",
                crate::sanitize::display_text(&e.to_string()),
                crate::sanitize::display_text(&e.fix())
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_passing_new_key_and_a_rejected_old_one_pass() {
        use OldKeyStatus::*;
        assert_eq!(
            RotateReport::verdict_of(Verdict::Pass, Rejected),
            Verdict::Pass
        );
        assert_eq!(
            RotateReport::verdict_of(Verdict::Warn, Rejected),
            Verdict::Warn
        );
        for (new, old) in [
            (Verdict::Pass, StillWorks),
            (Verdict::Warn, NotChecked),
            (Verdict::Fail, NotChecked),
            (Verdict::Fail, Rejected),
        ] {
            assert_eq!(RotateReport::verdict_of(new, old), Verdict::Fail);
        }
    }

    #[test]
    fn a_401_is_rejected_an_answer_still_works_and_the_fix_names_the_api_keys_tab() {
        let rejected = old_key_verdict(
            Err(CwError::Unauthorized {
                host: "h".into(),
                company_id: "c".into(),
                message: None,
            }),
            "S365",
        );
        assert_eq!(rejected.status, OldKeyStatus::Rejected);
        let alive = old_key_verdict(Ok(()), "S365");
        assert_eq!(alive.status, OldKeyStatus::StillWorks);
        assert!(
            alive
                .detail
                .contains("System > Members > API Members > S365 > API Keys"),
            "{}",
            alive.detail
        );
        assert_eq!(OldKeyStatus::StillWorks.id(), "still-works");
        let date = today();
        assert_eq!(date.len(), 10, "{date}");
    }
}

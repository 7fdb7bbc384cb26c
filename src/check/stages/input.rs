//! The input stage: every typed value sanitized, what was removed said, and nothing sent
//! anywhere until the values are present and well-formed.

use std::sync::Arc;

use crate::cw::{Credentials, Site};
use crate::sanitize::{self, FieldKind};
use crate::secret::Secret;

use crate::check::model::*;
use crate::check::progress::{Failed, Progress};

/// The sanitized input, once the input stage passed.
pub(in crate::check) struct Input {
    pub site: Site,
    pub company_id: String,
    pub client_id: String,
    pub credentials: Arc<Credentials>,
}

/// A site as typed, for the report when it could not be parsed: no query or fragment (a pasted
/// login URL carries session parameters there).
pub(in crate::check) fn site_for_report(raw: &str) -> String {
    let clean = sanitize::sanitize(FieldKind::Site, raw).value;
    let end = clean.find(['?', '#']).unwrap_or(clean.len());
    clean[..end].to_string()
}

/// The typed values, sanitized and judged: what the check's input stage and the audit (the
/// command and the wizard's) both start from, so the two cannot drift apart.
pub struct JudgedInput {
    /// What sanitizing removed, one entry per field (counts only, never key text).
    pub removed: Vec<String>,
    /// Why the values cannot be used; empty when they can (then `site` is `Some`).
    pub problems: Vec<String>,
    /// Odd key shapes (counts and classes only).
    pub warnings: Vec<String>,
    pub site: Option<Site>,
    pub company_id: String,
    pub client_id: String,
    pub public_key: Secret,
    pub private_key: Secret,
}

/// Sanitizes and judges the five values. The problems name no command-line flag: the wizard
/// shows them too, and the command line names its own flags for a missing value first.
pub fn judge_input(
    site: &str,
    company_id: &str,
    client_id: &str,
    public: &Secret,
    private: &Secret,
) -> JudgedInput {
    let mut removed = Vec::new();
    let mut problems = Vec::new();
    let mut warnings = Vec::new();

    let mut text = |kind: FieldKind, label: &str, value: &str| {
        let clean = sanitize::sanitize(kind, value);
        if !clean.removed.is_empty() {
            removed.push(format!("{label}: {}", clean.removed));
        }
        if clean.value.is_empty() {
            problems.push(format!("{label} is missing"));
        }
        clean.value
    };
    let site_text = text(FieldKind::Site, "site", site);
    let company_id = text(FieldKind::CompanyId, "company ID", company_id);
    let client_id = text(FieldKind::ClientId, "client ID", client_id);
    if let Some(problem) = crate::cw::company_id_problem(&company_id) {
        problems.push(problem);
    }
    if let Some(problem) = crate::cw::client_id_problem(&client_id) {
        problems.push(problem);
    }

    let mut public_key = Secret::new();
    let mut private_key = Secret::new();
    for (label, kind, raw, clean) in [
        ("public key", FieldKind::PublicKey, public, &mut public_key),
        (
            "private key",
            FieldKind::PrivateKey,
            private,
            &mut private_key,
        ),
    ] {
        match sanitize::sanitize_secret_into(kind, raw.expose(), clean) {
            Ok(removal) if !removal.is_empty() => removed.push(format!("{label}: {removal}")),
            Ok(_) => {}
            Err(e) => problems.push(format!("{label}: {e}")),
        }
        if clean.is_empty() {
            problems.push(format!("{label} is missing"));
        } else {
            // Counts and classes only: no key character reaches the screen, --json or a report.
            let shape = sanitize::key_warnings(clean.expose());
            warnings.extend(shape.into_iter().map(|w| format!("{label}: {w}")));
        }
    }
    if !public_key.is_empty() && sanitize::keys_identical(public_key.expose(), private_key.expose())
    {
        problems.push("the public and private keys are identical: one was pasted twice".into());
    }

    let site = if site_text.is_empty() {
        None
    } else {
        match Site::parse(&site_text) {
            Ok(site) => Some(site),
            Err(e) => {
                problems.push(format!("site: {e} ({})", e.fix()));
                None
            }
        }
    };

    // An unusable proxy variable would otherwise be ignored and the site reached directly.
    if site.as_ref().is_some_and(|s| !s.is_loopback())
        && let Some(problem) = crate::cw::proxy_env_problem()
    {
        problems.push(problem);
    }
    JudgedInput {
        removed,
        problems,
        warnings,
        site,
        company_id,
        client_id,
        public_key,
        private_key,
    }
}

/// The input stage: `Err` when a value is missing or malformed (the check stops there).
pub(in crate::check) fn input_stage(
    request: &CheckRequest,
    progress: &mut Progress,
) -> Result<Input, Failed> {
    let JudgedInput {
        removed,
        problems,
        warnings,
        site,
        company_id,
        client_id,
        public_key,
        private_key,
    } = judge_input(
        &request.site,
        &request.company_id,
        &request.client_id,
        &request.public_key,
        &request.private_key,
    );

    // What the front-end's fields removed as the values came in comes first: that is where a
    // paste was cleaned; the check's own sanitizing then usually finds nothing more.
    let mut removed = [request.removed_before.clone(), removed].concat();
    removed.dedup();
    progress.report.input_removed = removed.clone();
    let removed_text = if removed.is_empty() {
        "nothing to trim".to_string()
    } else {
        removed.join("; ")
    };
    // No site without a problem that says why (missing, or not parsed).
    let site = match site {
        Some(site) if problems.is_empty() => site,
        _ => {
            return Err(Failed {
                stage: StageId::Input,
                summary: problems.join("; "),
                fix: Some(format!(
                    "Fill in or correct {}, then test again.",
                    crate::check::FIX_INPUT_VALUES
                )),
            });
        }
    };
    progress.report.site = site.origin();
    if warnings.is_empty() {
        progress.finish(
            StageId::Input,
            StageStatus::Pass,
            format!("all values present; {removed_text}"),
            None,
        );
    } else {
        progress
            .report
            .warnings
            .extend(warnings.iter().cloned().map(Tagged::from));
        progress.finish(
            StageId::Input,
            StageStatus::Warn,
            format!("{}; {removed_text}", warnings.join("; ")),
            Some("ConnectWise keys are usually 16 letters and digits: compare with the API Keys tab.".into()),
        );
    }
    Ok(Input {
        site,
        company_id: company_id.clone(),
        client_id,
        credentials: Arc::new(Credentials {
            company_id,
            public_key,
            private_key,
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_site_drops_a_login_url_query() {
        assert_eq!(
            site_for_report(" bad://host/v4_6_release/ConnectWise.aspx?session=abc#x\n"),
            "bad://host/v4_6_release/ConnectWise.aspx"
        );
    }
}

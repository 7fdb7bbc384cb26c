//! Runs the stages. After companyinfo, every other call goes out at once (system/info, the
//! permission probes, mySecurity, the counts and the agreement list), so a full check costs about
//! two round trips after the connection, whatever the number of permission rows.

use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;

use futures::future::join_all;
use serde::Deserialize;
use tokio::sync::mpsc::UnboundedSender;
use tokio::time::Instant;

use crate::cw::{
    ApiSession, ClientOptions, CompanyInfo, Credentials, CwClient, CwError, ListQuery, SecurityRow,
    Site,
};
use crate::profile::{self, Level, MergedRow};
use crate::sanitize::{self, FieldKind};
use crate::secret::Secret;

use super::model::*;

/// How many agreements are read to find parents the member cannot see.
const AGREEMENT_SCAN_LIMIT: usize = 5000;

/// Collects results and tells the wizard about them as they come.
struct Progress {
    events: Option<UnboundedSender<CheckEvent>>,
    report: CheckReport,
}

impl Progress {
    fn send(&self, event: CheckEvent) {
        if let Some(tx) = &self.events {
            let _ = tx.send(event);
        }
    }

    fn start(&self, id: StageId) {
        self.send(CheckEvent::Started(id));
    }

    fn finish(
        &mut self,
        id: StageId,
        status: StageStatus,
        summary: impl Into<String>,
        fix: Option<String>,
    ) {
        let result = StageResult {
            id,
            status,
            summary: summary.into(),
            fix,
        };
        self.send(CheckEvent::Finished(result.clone()));
        self.report.stages.push(result);
    }

    /// Marks every stage after `failed` as skipped, naming the reason.
    fn skip_after(&mut self, failed: StageId) {
        for id in StageId::ALL.into_iter().filter(|id| *id > failed) {
            self.finish(
                id,
                StageStatus::Skip,
                format!("skipped: the {} stage failed", failed.id()),
                None,
            );
        }
    }

    fn done(mut self) -> CheckReport {
        self.report.ok = self
            .report
            .stages
            .iter()
            .all(|s| matches!(s.status, StageStatus::Pass | StageStatus::Warn));
        self.report
    }
}

/// The sanitized input, or nothing if the input stage failed.
struct Input {
    site: Site,
    company_id: String,
    client_id: String,
    credentials: Arc<Credentials>,
}

/// Runs a whole check. Never panics and never outlives `request.timeout` by more than a moment:
/// every request carries the same end-to-end deadline.
pub async fn run(
    request: CheckRequest,
    events: Option<UnboundedSender<CheckEvent>>,
) -> CheckReport {
    let deadline = Instant::now() + request.timeout;
    let mut progress = Progress {
        events,
        report: CheckReport {
            ok: false,
            site: sanitize::sanitize(FieldKind::Site, &request.site).value,
            company_id: sanitize::sanitize(FieldKind::CompanyId, &request.company_id).value,
            api_base: None,
            codebase: None,
            version: None,
            is_cloud: None,
            stages: Vec::new(),
            permissions: Vec::new(),
            counts: Counts::default(),
            warnings: Vec::new(),
        },
    };
    let rows = profile::merge(&request.profiles.iter().collect::<Vec<_>>()).rows;

    progress.start(StageId::Input);
    let Some(input) = input_stage(&request, &mut progress) else {
        progress.skip_after(StageId::Input);
        return progress.done();
    };
    drop(request);

    let options = ClientOptions {
        client_id: input.client_id.clone(),
        deadline: Some(deadline),
        ..ClientOptions::default()
    };
    progress.start(StageId::Connect);
    let client = match CwClient::new(input.site.clone(), options) {
        Ok(client) => client,
        Err(e) => {
            progress.finish(
                StageId::Connect,
                StageStatus::Fail,
                e.to_string(),
                Some(e.fix()),
            );
            progress.skip_after(StageId::Connect);
            return progress.done();
        }
    };
    progress.start(StageId::Company);
    let info = match client.company_info(&input.company_id).await {
        Ok(info) => info,
        Err(e) if e.is_connection() => {
            progress.finish(
                StageId::Connect,
                StageStatus::Fail,
                e.to_string(),
                Some(e.fix()),
            );
            progress.skip_after(StageId::Connect);
            return progress.done();
        }
        Err(e) => {
            progress.finish(
                StageId::Connect,
                StageStatus::Pass,
                format!("reached {}", input.site.origin()),
                None,
            );
            progress.finish(
                StageId::Company,
                StageStatus::Fail,
                e.to_string(),
                Some(e.fix()),
            );
            progress.skip_after(StageId::Company);
            return progress.done();
        }
    };
    let tls = if input.site.origin().starts_with("https://") {
        " (TLS certificate valid)"
    } else {
        " (plain HTTP: loopback only)"
    };
    progress.finish(
        StageId::Connect,
        StageStatus::Pass,
        format!("reached {}{tls}", input.site.origin()),
        None,
    );
    company_stage(&input, &info, &mut progress);

    let session = client.session(&info, input.credentials.clone());
    drop(input);
    progress.start(StageId::Auth);
    progress.start(StageId::Permissions);
    progress.start(StageId::Data);
    // Everything else at once: one more round trip (plus paging of large agreement lists).
    let probes = rows.iter().map(|row| {
        let session = session.clone();
        let probe = row.probe.clone();
        async move {
            match probe {
                Some(endpoint) => Some(session.probe(&endpoint).await),
                None => None,
            }
        }
    });
    let agreement_query = ListQuery {
        fields: Some("id,name,type,parentAgreement".into()),
        page_size: 1000,
        max_items: Some(AGREEMENT_SCAN_LIMIT),
        ..ListQuery::default()
    };
    let (system, security, probe_results, counts, agreements) = tokio::join!(
        session.system_info(),
        session.my_security(),
        join_all(probes),
        fetch_counts(&session),
        session.list::<AgreementLite>("finance/agreements", &agreement_query),
    );

    match system {
        Ok(system) => {
            progress.report.version = system.version.clone().or(progress.report.version.take());
            let version = system.version.as_deref().unwrap_or("version not reported");
            progress.finish(
                StageId::Auth,
                StageStatus::Pass,
                format!("keys accepted; ConnectWise {version}"),
                None,
            );
        }
        Err(e) => {
            let mut fix = e.fix();
            if matches!(e, CwError::Unauthorized { .. }) {
                fix = format!("{fix} {}", sanitize::SWAPPED_KEYS_HINT);
            }
            progress.finish(StageId::Auth, StageStatus::Fail, e.to_string(), Some(fix));
            progress.skip_after(StageId::Auth);
            return progress.done();
        }
    }

    permissions_stage(&rows, probe_results, security, &mut progress);
    data_stage(counts, agreements, &mut progress);
    progress.done()
}

fn input_stage(request: &CheckRequest, progress: &mut Progress) -> Option<Input> {
    let mut removed = Vec::new();
    let mut problems = Vec::new();
    let mut warnings = Vec::new();

    let mut text = |kind: FieldKind, label: &str, value: &str, source: &str| {
        let clean = sanitize::sanitize(kind, value);
        if !clean.removed.is_empty() {
            removed.push(format!("{label}: {}", clean.removed));
        }
        if clean.value.is_empty() {
            problems.push(format!("{label} is missing ({source})"));
        }
        clean.value
    };
    let site_text = text(FieldKind::Site, "site", &request.site, "--site or CW_SITE");
    let company_id = text(
        FieldKind::CompanyId,
        "company ID",
        &request.company_id,
        "--company or CW_COMPANY_ID",
    );
    let client_id = text(
        FieldKind::ClientId,
        "client ID",
        &request.client_id,
        "--client-id or CW_CLIENT_ID",
    );

    let mut public_key = Secret::new();
    let mut private_key = Secret::new();
    for (label, raw, clean, source) in [
        (
            "public key",
            &request.public_key,
            &mut public_key,
            "--public-key or CW_PUBLIC_KEY",
        ),
        (
            "private key",
            &request.private_key,
            &mut private_key,
            "CW_PRIVATE_KEY, --private-key-stdin or the prompt",
        ),
    ] {
        match sanitize::sanitize_secret_into(
            if label == "public key" {
                FieldKind::PublicKey
            } else {
                FieldKind::PrivateKey
            },
            raw.expose(),
            clean,
        ) {
            Ok(removal) if !removal.is_empty() => removed.push(format!("{label}: {removal}")),
            Ok(_) => {}
            Err(e) => problems.push(format!("{label}: {e}")),
        }
        if clean.is_empty() {
            problems.push(format!("{label} is missing ({source})"));
        } else {
            warnings.extend(
                sanitize::key_warnings(clean.expose())
                    .into_iter()
                    .map(|w| format!("{label}: {w}")),
            );
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

    let removed_text = if removed.is_empty() {
        "nothing to trim".to_string()
    } else {
        removed.join("; ")
    };
    if !problems.is_empty() {
        progress.finish(
            StageId::Input,
            StageStatus::Fail,
            problems.join("; "),
            Some("Fill in or correct the values named above, then test again.".into()),
        );
        return None;
    }
    let site = site?;
    if warnings.is_empty() {
        progress.finish(
            StageId::Input,
            StageStatus::Pass,
            format!("all values present; {removed_text}"),
            None,
        );
    } else {
        progress.report.warnings.extend(warnings.iter().cloned());
        progress.finish(
            StageId::Input,
            StageStatus::Warn,
            format!("{}; {removed_text}", warnings.join("; ")),
            Some("ConnectWise keys are usually 16 letters and digits: compare with the API Keys tab.".into()),
        );
    }
    Some(Input {
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

fn company_stage(input: &Input, info: &CompanyInfo, progress: &mut Progress) {
    let base = crate::cw::api_base(&input.site, info).to_string();
    progress.report.api_base = Some(base.clone());
    progress.report.codebase = Some(info.codebase.clone());
    progress.report.version = info.version_code.clone();
    progress.report.is_cloud = Some(info.is_cloud);
    let kind = if info.is_cloud {
        "cloud"
    } else {
        "self-hosted"
    };
    progress.finish(
        StageId::Company,
        StageStatus::Pass,
        format!(
            "{} ({}): codebase {}, {}, {kind}; API base {base}",
            info.company_name,
            info.company_id,
            info.codebase,
            info.version_code.as_deref().unwrap_or("version unknown"),
        ),
        None,
    );
}

async fn fetch_counts(session: &ApiSession) -> [(&'static str, Result<u64, CwError>); 4] {
    let (companies, agreements, products, catalog) = tokio::join!(
        session.count("company/companies"),
        session.count("finance/agreements"),
        session.count("procurement/products"),
        session.count("procurement/catalog"),
    );
    [
        ("companies", companies),
        ("agreements", agreements),
        ("products", products),
        ("catalog items", catalog),
    ]
}

/// The levels a row requires, e.g. "Add All, Edit All, Inquire All".
fn required(row: &MergedRow) -> String {
    describe_levels(row.add, row.edit, row.delete, row.inquire)
}

fn same_name(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect::<String>()
    };
    norm(a) == norm(b)
}

/// The levels of `row` that `actual` does not reach, e.g. ["Add is None, needs All"].
fn missing_levels(row: &MergedRow, actual: Option<&SecurityRow>) -> Vec<String> {
    let have = |f: fn(&SecurityRow) -> Level| actual.map_or(Level::None, f);
    [
        ("Add", row.add, have(|r| r.add)),
        ("Edit", row.edit, have(|r| r.edit)),
        ("Delete", row.delete, have(|r| r.delete)),
        ("Inquire", row.inquire, have(|r| r.inquire)),
    ]
    .into_iter()
    .filter(|(_, need, got)| got < need)
    .map(|(name, need, got)| format!("{name} level is {got}, needs {need}"))
    .collect()
}

fn permissions_stage(
    rows: &[MergedRow],
    probes: Vec<Option<Result<(), CwError>>>,
    security: Result<Vec<SecurityRow>, CwError>,
    progress: &mut Progress,
) {
    let security_rows = security.as_ref().ok();
    let mut results = Vec::new();
    for (row, probe) in rows.iter().zip(probes) {
        let actual = security_rows.and_then(|rs| {
            rs.iter().find(|r| {
                same_name(&r.module_name, &row.module) && same_name(&r.function_name, &row.function)
            })
        });
        let missing = security_rows.map(|_| missing_levels(row, actual));
        let place = format!(
            "System > Security Roles > (the member's role) > {} > {}",
            row.module, row.function
        );
        let (status, detail) = match (&probe, &missing) {
            (Some(Err(e @ CwError::Forbidden { .. })), _) => (
                PermissionStatus::Fail,
                format!("{} — set Inquire to {} in {place}", e, row.inquire),
            ),
            (_, Some(missing)) if !missing.is_empty() => (
                PermissionStatus::Fail,
                format!("{} — change it in {place}", missing.join("; ")),
            ),
            (Some(Ok(())), Some(_)) | (None, Some(_)) => (
                PermissionStatus::Pass,
                match probe {
                    Some(_) => format!(
                        "levels confirmed by system/mySecurity; GET {} answered",
                        row.probe.as_deref().unwrap_or("")
                    ),
                    None => "levels confirmed by system/mySecurity".to_string(),
                },
            ),
            (Some(Err(e)), Some(_)) => (
                PermissionStatus::Pass,
                format!(
                    "levels confirmed by system/mySecurity (the probe GET {} did not answer: {e})",
                    row.probe.as_deref().unwrap_or("")
                ),
            ),
            (Some(Ok(())), None)
                if row.add == Level::None
                    && row.edit == Level::None
                    && row.delete == Level::None =>
            {
                (
                    PermissionStatus::Pass,
                    format!(
                        "GET {} answered: Inquire works",
                        row.probe.as_deref().unwrap_or("")
                    ),
                )
            }
            (Some(Ok(())), None) => (
                PermissionStatus::Unverified,
                format!(
                    "Inquire proved by GET {}; Add/Edit/Delete cannot be tested without writing — check by hand in {place}",
                    row.probe.as_deref().unwrap_or("")
                ),
            ),
            (Some(Err(e)), None) => (
                PermissionStatus::Unverified,
                format!("the probe could not answer ({e}) — check by hand in {place}"),
            ),
            (None, None) => (
                PermissionStatus::Unverified,
                format!("no read-only endpoint proves this function — check by hand in {place}"),
            ),
        };
        let detail = if row.optional && status != PermissionStatus::Pass {
            format!("optional row: {detail}")
        } else {
            detail
        };
        let result = PermissionResult {
            module: row.module.clone(),
            function: row.function.clone(),
            required: required(row),
            status,
            detail,
        };
        progress.send(CheckEvent::Permission(result.clone()));
        results.push(result);
    }
    let optional = |r: &PermissionResult| {
        rows.iter()
            .any(|row| row.optional && row.module == r.module && row.function == r.function)
    };
    // A missing optional row is worth a warning, not a failed check.
    let failed: Vec<&PermissionResult> = results
        .iter()
        .filter(|r| r.status == PermissionStatus::Fail && !optional(r))
        .collect();
    let optional_missing: Vec<String> = results
        .iter()
        .filter(|r| r.status == PermissionStatus::Fail && optional(r))
        .map(|r| format!("{} / {}", r.module, r.function))
        .collect();
    let unverified = results
        .iter()
        .filter(|r| r.status == PermissionStatus::Unverified)
        .count();
    let passed = results.len() - failed.len() - optional_missing.len() - unverified;
    let source = match &security {
        Ok(_) => "levels read from system/mySecurity".to_string(),
        Err(e) => format!(
            "system/mySecurity not readable ({}), so levels beyond Inquire were not seen",
            e.kind()
        ),
    };
    let mut summary = format!(
        "{passed} of {} rows verified, {} failed, {unverified} to check by hand; {source}",
        results.len(),
        failed.len()
    );
    if !optional_missing.is_empty() {
        summary.push_str(&format!(
            "; optional rows missing: {}",
            optional_missing.join(", ")
        ));
    }
    let (status, fix) = if rows.is_empty() {
        (
            StageStatus::Warn,
            Some("The selected profile lists no role rows: add them on the Security role step (from the vendor's published requirements) and test again.".to_string()),
        )
    } else if !failed.is_empty() {
        let names: Vec<String> = failed
            .iter()
            .map(|r| format!("{} / {}", r.module, r.function))
            .collect();
        (
            StageStatus::Fail,
            Some(format!(
                "Raise these rows in the member's security role: {}. Save the role; the change applies to the next API call.",
                names.join(", ")
            )),
        )
    } else if unverified > 0 || !optional_missing.is_empty() {
        let mut fix = Vec::new();
        if unverified > 0 {
            fix.push("Open the member's security role and confirm the rows marked ? have the levels shown.".to_string());
        }
        if !optional_missing.is_empty() {
            fix.push(format!(
                "Optional rows are missing ({}): add them only if you use what their reason describes.",
                optional_missing.join(", ")
            ));
        }
        (StageStatus::Warn, Some(fix.join(" ")))
    } else {
        (StageStatus::Pass, None)
    };
    progress.report.permissions = results;
    progress.finish(StageId::Permissions, status, summary, fix);
}

#[derive(Debug, Deserialize)]
struct Reference {
    id: Option<i64>,
    name: Option<String>,
}

#[derive(Debug, Deserialize)]
struct AgreementLite {
    id: Option<i64>,
    name: Option<String>,
    #[serde(rename = "type")]
    kind: Option<Reference>,
    #[serde(rename = "parentAgreement")]
    parent: Option<Reference>,
}

fn data_stage(
    counts: [(&'static str, Result<u64, CwError>); 4],
    agreements: Result<Vec<AgreementLite>, CwError>,
    progress: &mut Progress,
) {
    let mut warnings = Vec::new();
    let mut parts = Vec::new();
    for (name, result) in &counts {
        match result {
            Ok(n) => parts.push(format!("{n} {name}")),
            Err(e) => warnings.push(format!("could not count {name}: {e}")),
        }
    }
    let value = |i: usize| counts[i].1.as_ref().ok().copied();
    progress.report.counts = Counts {
        companies: value(0),
        agreements: value(1),
        products: value(2),
        catalog: value(3),
    };
    if value(0) == Some(0) {
        warnings.push(
            "0 companies visible: the member's level may not be Corporate, or it is restricted to a location (System > Members > API Members > member: set the level to Corporate)".into(),
        );
    }
    match &agreements {
        Ok(list) => {
            let visible: HashSet<i64> = list.iter().filter_map(|a| a.id).collect();
            let types: BTreeSet<String> = list
                .iter()
                .filter_map(|a| a.kind.as_ref()?.name.clone())
                .map(|n| n.trim().to_string())
                .collect();
            let orphans: Vec<&AgreementLite> = list
                .iter()
                .filter(|a| {
                    a.parent
                        .as_ref()
                        .and_then(|p| p.id)
                        .is_some_and(|id| !visible.contains(&id))
                })
                .collect();
            if !orphans.is_empty() {
                let parents: BTreeSet<String> = orphans
                    .iter()
                    .filter_map(|a| a.parent.as_ref())
                    .map(|p| {
                        format!(
                            "{} (#{})",
                            p.name.as_deref().unwrap_or("unnamed"),
                            p.id.unwrap_or_default()
                        )
                    })
                    .collect();
                let child_types: BTreeSet<String> = orphans
                    .iter()
                    .filter_map(|a| a.kind.as_ref()?.name.clone())
                    .collect();
                let examples: Vec<String> = orphans
                    .iter()
                    .take(3)
                    .map(|a| a.name.clone().unwrap_or_default())
                    .collect();
                warnings.push(format!(
                    "{} agreements (e.g. {}) of type {} have a parent agreement this member cannot see: {}. The parents' agreement types are not allowed for this role: in the role's Finance > Agreements row, customize the allowed agreement types to include every parent type",
                    orphans.len(),
                    examples.join(", "),
                    child_types.into_iter().collect::<Vec<_>>().join(", "),
                    parents.into_iter().collect::<Vec<_>>().join(", "),
                ));
            }
            if !types.is_empty() {
                warnings.push(format!(
                    "agreement types seen: {}",
                    types.into_iter().collect::<Vec<_>>().join(", ")
                ));
            }
        }
        Err(e) => warnings.push(format!(
            "could not read agreements to check their parents: {e}"
        )),
    }
    let problems = warnings
        .iter()
        .filter(|w| !w.starts_with("agreement types seen"))
        .count();
    let summary = if parts.is_empty() {
        "nothing could be counted".to_string()
    } else {
        parts.join(", ")
    };
    progress.report.warnings.extend(warnings.iter().cloned());
    if problems == 0 {
        progress.finish(StageId::Data, StageStatus::Pass, summary, None);
    } else {
        progress.finish(
            StageId::Data,
            StageStatus::Warn,
            format!("{summary}; {problems} warning(s)"),
            Some(
                warnings
                    .iter()
                    .filter(|w| !w.starts_with("agreement types seen"))
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" | "),
            ),
        );
    }
}

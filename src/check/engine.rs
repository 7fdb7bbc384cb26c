//! Runs the stages. After companyinfo, every other call goes out at once (system/info, the
//! permission probes, mySecurity, the counts, the agreement list and the agreement types), under
//! a concurrency cap that covers them all, so a full check costs about two round trips after the
//! connection (up to [`MAX_CHECK_CONCURRENCY`] calls; more go in further waves).

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
/// How many agreement types are read to name the ones no visible agreement has.
const AGREEMENT_TYPE_LIMIT: usize = 1000;
/// The cap on requests in flight during a check: at least every call it makes after companyinfo
/// (so they go out in one wave), but bounded for profiles with very many rows.
const MAX_CHECK_CONCURRENCY: usize = 32;

/// The agreement-type list: read to name hidden parent types, and the Table Setup row's proof.
const TYPES_ENDPOINT: &str = "finance/agreements/types";
/// The endpoints whose count the data stage reports, with the noun of the count.
const COUNTED: [(&str, &str); 4] = [
    ("company/companies", "companies"),
    ("finance/agreements", "agreements"),
    ("procurement/products", "products"),
    ("procurement/catalog", "catalog items"),
];

/// The endpoints the rows' probes read, each once: several rows often prove themselves through
/// the same endpoint, and one GET answers for all of them.
fn probe_endpoints(rows: &[MergedRow]) -> Vec<String> {
    let mut endpoints: Vec<String> = Vec::new();
    for endpoint in rows.iter().filter_map(|r| r.probe.as_ref()) {
        if !endpoints.contains(endpoint) {
            endpoints.push(endpoint.clone());
        }
    }
    endpoints
}

/// The requests a check of `rows` makes after companyinfo, besides system/info and mySecurity.
/// Each permission is proved by one request: a counted endpoint's count is its probe, and the
/// agreement-type list is the probe of `finance/agreements/types`.
#[derive(Debug, PartialEq)]
struct Plan {
    /// `GET endpoint?pageSize=1`, for the endpoints nothing else reads.
    probes: Vec<String>,
    /// `GET endpoint/count`, for the counted endpoints a row needs.
    counts: Vec<(&'static str, &'static str)>,
    /// The agreement list, to find parents the member cannot see (when agreements are needed).
    agreement_scan: bool,
    /// The agreement-type list (to name hidden parent types, or as the Table Setup probe).
    agreement_types: bool,
}

impl Plan {
    fn of(rows: &[MergedRow]) -> Plan {
        let endpoints = probe_endpoints(rows);
        let counts: Vec<(&'static str, &'static str)> = COUNTED
            .into_iter()
            .filter(|(e, _)| endpoints.iter().any(|p| p == e))
            .collect();
        let agreement_scan = counts.iter().any(|(e, _)| *e == "finance/agreements");
        let agreement_types = agreement_scan || endpoints.iter().any(|e| e == TYPES_ENDPOINT);
        let probes = endpoints
            .into_iter()
            .filter(|e| e != TYPES_ENDPOINT && !counts.iter().any(|(c, _)| c == e))
            .collect();
        Plan {
            probes,
            counts,
            agreement_scan,
            agreement_types,
        }
    }

    /// Requests after companyinfo (one page of each list).
    fn requests(&self) -> usize {
        2 + self.probes.len()
            + self.counts.len()
            + usize::from(self.agreement_scan)
            + usize::from(self.agreement_types)
    }
}

/// How many requests a check of `rows` may have in flight at once.
fn check_concurrency(rows: &[MergedRow]) -> usize {
    let calls = Plan::of(rows).requests();
    calls.clamp(
        ClientOptions::default().max_concurrency,
        MAX_CHECK_CONCURRENCY,
    )
}

/// A site as typed, for the report when it could not be parsed: no query or fragment (a pasted
/// login URL carries session parameters there).
fn site_for_report(raw: &str) -> String {
    let clean = sanitize::sanitize(FieldKind::Site, raw).value;
    let end = clean.find(['?', '#']).unwrap_or(clean.len());
    clean[..end].to_string()
}

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
        self.report.verdict = Verdict::of(&self.report.stages, &self.report.warnings);
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

/// The deadline used when `now + timeout` would overflow: a day is "never" for a check.
const FAR_FUTURE: std::time::Duration = std::time::Duration::from_secs(86_400);

/// How a check reaches the network, beyond what the technician types: the defaults for
/// `cwsetup check` and the wizard; tests and benchmarks put a cloud region's hosts on 127.0.0.1
/// (a resolver, their own CA) and may turn the API host's warm-up off to compare.
#[derive(Clone)]
pub struct Network {
    pub extra_root_certs_pem: Vec<Vec<u8>>,
    pub resolver: Option<Arc<dyn reqwest::dns::Resolve>>,
    pub warm_up: bool,
}

impl Default for Network {
    fn default() -> Self {
        Network {
            extra_root_certs_pem: Vec::new(),
            resolver: None,
            warm_up: ClientOptions::default().warm_up,
        }
    }
}

/// Runs a whole check. Never panics and never outlives `request.timeout` by more than a moment:
/// every request carries the same end-to-end deadline.
pub async fn run(
    request: CheckRequest,
    events: Option<UnboundedSender<CheckEvent>>,
) -> CheckReport {
    run_with(request, events, Network::default()).await
}

/// [`run`] with another [`Network`].
pub async fn run_with(
    request: CheckRequest,
    events: Option<UnboundedSender<CheckEvent>>,
    network: Network,
) -> CheckReport {
    // Saturating: a huge timeout means "a long time", never an overflow panic.
    let now = Instant::now();
    let deadline = now
        .checked_add(request.timeout)
        .or_else(|| now.checked_add(FAR_FUTURE))
        .unwrap_or(now);
    let request_timeout = request.timeout;
    let mut progress = Progress {
        events,
        report: CheckReport {
            ok: false,
            verdict: Verdict::Fail,
            site: site_for_report(&request.site),
            company_id: sanitize::sanitize(FieldKind::CompanyId, &request.company_id).value,
            client_id: sanitize::sanitize(FieldKind::ClientId, &request.client_id).value,
            input_removed: Vec::new(),
            api_base: None,
            codebase: None,
            version: None,
            is_cloud: None,
            stages: Vec::new(),
            permissions: Vec::new(),
            counts: Counts::default(),
            warnings: Vec::new(),
            beyond_needed: None,
            notes: Vec::new(),
        },
    };
    let merged = profile::merge(&request.profiles.iter().collect::<Vec<_>>());
    let admin_advice = merged.admin;
    let rows = merged.rows;

    progress.start(StageId::Input);
    let Some(input) = input_stage(&request, &mut progress) else {
        progress.skip_after(StageId::Input);
        return progress.done();
    };
    drop(request);

    let options = ClientOptions {
        client_id: input.client_id.clone(),
        deadline: Some(deadline),
        // One request may use the whole limit the user set, and a timeout names that limit.
        request_timeout,
        time_limit: Some(request_timeout),
        max_concurrency: check_concurrency(&rows),
        on_retry: progress.events.clone().map(|tx| {
            let hook: crate::cw::client::RetryHook = Arc::new(move |notice| {
                let _ = tx.send(CheckEvent::Retry(notice.clone()));
            });
            hook
        }),
        extra_root_certs_pem: network.extra_root_certs_pem,
        resolver: network.resolver,
        warm_up: network.warm_up,
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
                format!("reached {}", input.site.describe()),
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
        format!("reached {}{tls}", input.site.describe()),
        None,
    );
    company_stage(&input, &info, &mut progress);

    let session = client.session(&info, input.credentials.clone());
    drop(input);
    progress.start(StageId::Auth);
    progress.start(StageId::Permissions);
    progress.start(StageId::Data);
    // Everything else at once: one more round trip (plus paging of large agreement lists).
    // Each permission is proved by one request: a count doubles as its row's probe, and the
    // agreement-type list as the Table Setup probe; only the other endpoints get a probe.
    let plan = Plan::of(&rows);
    let probes = plan.probes.iter().map(|endpoint| {
        let session = session.clone();
        async move { session.probe(endpoint).await }
    });
    let counts = plan.counts.iter().map(|(endpoint, _)| {
        let session = session.clone();
        async move { session.count(endpoint).await }
    });
    let agreement_query = ListQuery {
        fields: Some("id,name,type,parentAgreement".into()),
        page_size: 1000,
        max_items: Some(AGREEMENT_SCAN_LIMIT),
        ..ListQuery::default()
    };
    let type_query = ListQuery {
        fields: Some("id,name".into()),
        page_size: 1000,
        max_items: Some(AGREEMENT_TYPE_LIMIT),
        ..ListQuery::default()
    };
    let scan = async {
        if plan.agreement_scan {
            Some(
                session
                    .list::<AgreementLite>("finance/agreements", &agreement_query)
                    .await,
            )
        } else {
            None
        }
    };
    let type_list = async {
        if plan.agreement_types {
            Some(session.list::<Reference>(TYPES_ENDPOINT, &type_query).await)
        } else {
            None
        }
    };
    let (system, security, probe_results, count_results, agreements, agreement_types) = tokio::join!(
        session.system_info(),
        session.my_security(),
        join_all(probes),
        join_all(counts),
        scan,
        type_list,
    );
    rediscovered(&session, &mut progress);

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
            // The fix of a 401 already covers swapped keys: no second hint.
            progress.finish(
                StageId::Auth,
                StageStatus::Fail,
                e.to_string(),
                Some(e.fix()),
            );
            progress.skip_after(StageId::Auth);
            return progress.done();
        }
    }

    // Each row gets the answer of its endpoint's one request: its probe, its count, or the
    // agreement-type list.
    let answer = |endpoint: &str| -> Option<Result<(), CwError>> {
        if let Some(i) = plan.probes.iter().position(|e| e == endpoint) {
            return Some(probe_results[i].clone());
        }
        if let Some(i) = plan.counts.iter().position(|(e, _)| *e == endpoint) {
            return Some(count_results[i].as_ref().map(|_| ()).map_err(Clone::clone));
        }
        if endpoint == TYPES_ENDPOINT {
            return agreement_types
                .as_ref()
                .map(|r| r.as_ref().map(|_| ()).map_err(Clone::clone));
        }
        None
    };
    let probe_results = rows
        .iter()
        .map(|row| answer(row.probe.as_deref()?))
        .collect();
    let counts: Vec<(&'static str, &'static str, Result<u64, CwError>)> = plan
        .counts
        .iter()
        .zip(count_results)
        .map(|((endpoint, name), result)| (*endpoint, *name, result))
        .collect();
    if let Ok(security) = &security {
        least_privilege(&rows, security, admin_advice, &mut progress);
    }
    permissions_stage(&rows, probe_results, security, &mut progress);
    data_stage(
        counts,
        agreements,
        agreement_types.unwrap_or_else(|| Ok(Vec::new())),
        &mut progress,
    );

    progress.done()
}

/// After the calls: the API base and codebase the session ended on (a 404 may have led to a new
/// codebase, e.g. after an upgrade), with a warning when they changed.
fn rediscovered(session: &ApiSession, progress: &mut Progress) {
    let info = session.company_info();
    let base = session.api_base().to_string();
    if progress.report.api_base.as_deref() == Some(base.as_str()) {
        return;
    }
    progress.report.notes.push(format!(
        "the codebase changed during the check ({} → {}), as after a ConnectWise upgrade: cwsetup used the new API base {base}",
        progress.report.codebase.as_deref().unwrap_or("unknown"),
        info.codebase
    ));
    progress.report.api_base = Some(base);
    progress.report.codebase = Some(info.codebase.clone());
    progress.report.is_cloud = Some(info.is_cloud);
    if info.version_code.is_some() {
        progress.report.version = info.version_code;
    }
}

fn input_stage(request: &CheckRequest, progress: &mut Progress) -> Option<Input> {
    let mut removed = Vec::new();
    let mut problems = Vec::new();
    let mut warnings = Vec::new();

    // The problems name no command-line flag: the wizard shows them too, and the command line
    // names its own flags for a missing value before the check runs.
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
    let site_text = text(FieldKind::Site, "site", &request.site);
    let company_id = text(FieldKind::CompanyId, "company ID", &request.company_id);
    let client_id = text(FieldKind::ClientId, "client ID", &request.client_id);
    if let Some(problem) = crate::cw::company_id_problem(&company_id) {
        problems.push(problem);
    }

    let mut public_key = Secret::new();
    let mut private_key = Secret::new();
    for (label, raw, clean) in [
        ("public key", &request.public_key, &mut public_key),
        ("private key", &request.private_key, &mut private_key),
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
    progress.report.site = site.origin();
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

/// The levels of `row` that `actual` does not reach, e.g. ["Add level is None, needs All"].
/// A level ConnectWise spelled in a way cwsetup does not know is left to [`unknown_levels`].
fn missing_levels(row: &MergedRow, actual: &SecurityRow) -> Vec<String> {
    [
        ("Add", row.add, actual.add),
        ("Edit", row.edit, actual.edit),
        ("Delete", row.delete, actual.delete),
        ("Inquire", row.inquire, actual.inquire),
    ]
    .into_iter()
    .filter(|(name, need, got)| got < need && actual.unknown_level(name).is_none())
    .map(|(name, need, got)| format!("{name} level is {got}, needs {need}"))
    .collect()
}

/// The levels `row` needs that mySecurity gave in a form cwsetup does not know.
fn unknown_levels(row: &MergedRow, actual: &SecurityRow) -> Vec<String> {
    [
        ("Add", row.add),
        ("Edit", row.edit),
        ("Delete", row.delete),
        ("Inquire", row.inquire),
    ]
    .into_iter()
    .filter(|(_, need)| *need != Level::None)
    .filter_map(|(name, need)| {
        actual
            .unknown_level(name)
            .map(|text| format!("{name} level is \"{text}\" (needs {need})"))
    })
    .collect()
}

/// A probe error that says nothing about the role: only a 404 (the endpoint is not on this
/// version). Timeouts, lost connections, 429 and 5xx mean the check could not be completed.
fn probe_inconclusive(e: &CwError) -> bool {
    matches!(e, CwError::NotFound { .. })
}

/// A mySecurity error that only means "cannot be read by this member" (so rows stay unverified).
fn security_unreadable(e: &CwError) -> bool {
    matches!(e, CwError::Forbidden { .. } | CwError::NotFound { .. })
}

/// One row's verdict, and the failed call behind it when the verdict is a failure to check.
fn judge_row(
    row: &MergedRow,
    probe: &Option<Result<(), CwError>>,
    security: Option<&[SecurityRow]>,
) -> (PermissionStatus, String, Option<CwError>) {
    let place = format!(
        "System > Security Roles > (the member's role) > {} > {}",
        row.module, row.function
    );
    let endpoint = row.probe.as_deref().unwrap_or("");
    // None: mySecurity not readable. Some(None): readable, but the row is not in it.
    let actual = security.map(|rows| {
        rows.iter().find(|r| {
            same_name(&r.module_name, &row.module) && same_name(&r.function_name, &row.function)
        })
    });
    if let Some(Err(e @ CwError::Forbidden { .. })) = probe {
        return (
            PermissionStatus::Fail,
            format!("{e} — set Inquire to {} in {place}", row.inquire),
            None,
        );
    }
    if let Some(Some(actual)) = actual {
        let missing = missing_levels(row, actual);
        if !missing.is_empty() {
            return (
                PermissionStatus::Fail,
                format!("{} — change it in {place}", missing.join("; ")),
                None,
            );
        }
    }
    if let Some(Err(e)) = probe
        && !probe_inconclusive(e)
    {
        return (
            PermissionStatus::Fail,
            format!("GET {endpoint} could not be checked: {e} — {}", e.fix()),
            Some(e.clone()),
        );
    }
    let probe_note = match probe {
        Some(Ok(())) => format!("GET {endpoint} answered"),
        Some(Err(e)) => format!("the probe GET {endpoint} did not answer: {e}"),
        None => String::new(),
    };
    match actual {
        Some(None) => {
            let what = if probe_note.is_empty() {
                String::new()
            } else {
                format!(" ({probe_note})")
            };
            (
                PermissionStatus::Unverified,
                format!("row not found in system/mySecurity{what} — check by hand in {place}"),
                None,
            )
        }
        Some(Some(actual)) => {
            let unknown = unknown_levels(row, actual);
            if !unknown.is_empty() {
                return (
                    PermissionStatus::Unverified,
                    format!(
                        "system/mySecurity reports a level cwsetup does not know: {} — check by hand in {place}",
                        unknown.join("; ")
                    ),
                    None,
                );
            }
            let detail = match probe {
                None => "levels confirmed by system/mySecurity".to_string(),
                Some(Ok(())) => {
                    format!("levels confirmed by system/mySecurity; {probe_note}")
                }
                Some(Err(_)) => format!("levels confirmed by system/mySecurity ({probe_note})"),
            };
            (PermissionStatus::Pass, detail, None)
        }
        None => match probe {
            Some(Ok(()))
                if row.add == Level::None
                    && row.edit == Level::None
                    && row.delete == Level::None =>
            {
                (
                    PermissionStatus::Pass,
                    format!("{probe_note}: Inquire works"),
                    None,
                )
            }
            Some(Ok(())) => (
                PermissionStatus::Unverified,
                format!(
                    "Inquire proved by GET {endpoint}; Add/Edit/Delete cannot be tested without writing — check by hand in {place}"
                ),
                None,
            ),
            Some(Err(e)) => (
                PermissionStatus::Unverified,
                format!("the probe could not answer ({e}) — check by hand in {place}"),
                None,
            ),
            None => (
                PermissionStatus::Unverified,
                format!("no read-only endpoint proves this function — check by hand in {place}"),
                None,
            ),
        },
    }
}

/// The member's rows beyond what `rows` need, grouped by module; an Admin role (every function
/// at All) is named, as a warning where the profiles discourage it and a note where accepted.
fn least_privilege(
    rows: &[MergedRow],
    security: &[SecurityRow],
    admin_advice: profile::AdminAdvice,
    progress: &mut Progress,
) {
    let mut modules: Vec<BeyondModule> = Vec::new();
    let mut count = 0;
    for actual in security {
        let need = rows.iter().find(|r| {
            same_name(&r.module, &actual.module_name)
                && same_name(&r.function, &actual.function_name)
        });
        let want = need.map_or([Level::None; 4], MergedRow::levels);
        let have = [actual.add, actual.edit, actual.delete, actual.inquire];
        if !have.iter().zip(want).any(|(h, w)| *h > w) {
            continue;
        }
        count += 1;
        let module = crate::cw::error::clean_text(&actual.module_name);
        let row = BeyondRow {
            function: crate::cw::error::clean_text(&actual.function_name),
            have: describe_levels(actual.add, actual.edit, actual.delete, actual.inquire),
        };
        match modules.iter_mut().find(|m| m.module == module) {
            Some(m) => m.rows.push(row),
            None => modules.push(BeyondModule {
                module,
                rows: vec![row],
            }),
        }
    }
    let admin = !security.is_empty()
        && security.iter().all(|r| {
            r.unknown.is_empty() && [r.add, r.edit, r.delete, r.inquire] == [Level::All; 4]
        });
    if admin {
        let text = "Admin: every function. The vendor's API member has every function at All";
        match admin_advice {
            profile::AdminAdvice::Discouraged => progress.report.warnings.push(format!(
                "{text}; the selected profile discourages the Admin role: give the member a role with only the rows listed."
            )),
            profile::AdminAdvice::Acceptable => progress.report.notes.push(format!(
                "{text}; the selected profile accepts it, though a role with only the rows listed is the least privilege."
            )),
            profile::AdminAdvice::Unstated => progress.report.notes.push(format!(
                "{text}; the vendor's guide does not say whether Admin is acceptable: a role with only the rows listed is the least privilege."
            )),
        }
    }
    progress.report.beyond_needed = Some(BeyondNeeded {
        count,
        admin,
        modules,
    });
}

fn permissions_stage(
    rows: &[MergedRow],
    probes: Vec<Option<Result<(), CwError>>>,
    security: Result<Vec<SecurityRow>, CwError>,
    progress: &mut Progress,
) {
    let security_rows = security.as_deref().ok();
    let mut results = Vec::new();
    // Calls that failed for a reason other than the role: the check could not be completed.
    let mut call_failures: Vec<(String, CwError)> = Vec::new();
    // The rows whose failure is such a call, not the role.
    let mut unchecked: Vec<(String, String)> = Vec::new();
    if let Err(e) = &security
        && !security_unreadable(e)
    {
        call_failures.push(("system/mySecurity".to_string(), e.clone()));
    }
    for (row, probe) in rows.iter().zip(probes) {
        let (status, detail, failed_call) = judge_row(row, &probe, security_rows);
        if let Some(e) = failed_call {
            unchecked.push((row.module.clone(), row.function.clone()));
            // An optional row that could not be checked is a warning, like a missing one.
            if !row.optional {
                call_failures.push((row.probe.clone().unwrap_or_default(), e));
            }
        }
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
        Err(e) if security_unreadable(e) => format!(
            "system/mySecurity not readable ({}), so levels beyond Inquire were not seen",
            e.label()
        ),
        Err(e) => format!("system/mySecurity could not be read: {e}"),
    };
    let mut summary = format!(
        "{passed} of {} verified, {} failed, {unverified} to check by hand; {source}",
        plural(results.len(), "row", "rows"),
        failed.len()
    );
    if !optional_missing.is_empty() {
        summary.push_str(&format!(
            "; optional rows missing: {}",
            optional_missing.join(", ")
        ));
    }
    if rows.is_empty() && call_failures.is_empty() {
        summary = format!("nothing to verify: this profile lists no rows; {source}");
    }
    let (status, fix) = if rows.is_empty() && call_failures.is_empty() {
        let fix = "The selected profile lists no role rows, so nothing the vendor needs was verified: add them on the Security role step (from the vendor's published requirements) and test again.".to_string();
        progress.report.warnings.push(fix.clone());
        (StageStatus::Warn, Some(fix))
    } else if !failed.is_empty() || !call_failures.is_empty() {
        let role_rows: Vec<String> = failed
            .iter()
            .filter(|r| {
                !unchecked
                    .iter()
                    .any(|(m, f)| *m == r.module && *f == r.function)
            })
            .map(|r| format!("{} / {}", r.module, r.function))
            .collect();
        let mut fix = Vec::new();
        if !role_rows.is_empty() {
            fix.push(format!(
                "Raise these rows in the member's security role: {}. Save the role; the change applies to the next API call.",
                role_rows.join(", ")
            ));
        }
        if !call_failures.is_empty() {
            let mut advice: Vec<String> = Vec::new();
            for (_, e) in &call_failures {
                let text = e.fix();
                if !advice.contains(&text) {
                    advice.push(text);
                }
            }
            fix.push(format!(
                "These calls failed, so their rows could not be checked: {}. {}",
                call_failures
                    .iter()
                    .map(|(endpoint, e)| format!("GET {endpoint} ({})", e.label()))
                    .collect::<Vec<_>>()
                    .join(", "),
                advice.join(" ")
            ));
        }
        (StageStatus::Fail, Some(fix.join(" ")))
    } else if unverified > 0 || !optional_missing.is_empty() {
        let mut fix = Vec::new();
        if unverified > 0 {
            let names: Vec<String> = results
                .iter()
                .filter(|r| r.status == PermissionStatus::Unverified)
                .map(|r| format!("{} / {}", r.module, r.function))
                .collect();
            fix.push(format!(
                "{} only by hand ({}): open the member's security role and confirm the rows marked ? have the levels shown.",
                plural(unverified, "row can be checked", "rows can be checked"),
                list_names(&names, 6)
            ));
        }
        if !optional_missing.is_empty() {
            fix.push(format!(
                "Optional rows are missing ({}): add them only if you use what their reason describes.",
                optional_missing.join(", ")
            ));
        }
        progress.report.warnings.extend(fix.iter().cloned());
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

/// Two agreement types are the same when their ids match, or (without ids) their names do.
fn same_type(a: &Reference, b: &Reference) -> bool {
    match (a.id, b.id) {
        (Some(x), Some(y)) => x == y,
        _ => match (&a.name, &b.name) {
            (Some(x), Some(y)) => same_name(x, y),
            _ => false,
        },
    }
}

/// Joins names as "a, b and c" (at most `max`, then "and N more").
fn list_names(names: &[String], max: usize) -> String {
    let shown: Vec<&str> = names.iter().take(max).map(String::as_str).collect();
    let more = names.len().saturating_sub(max);
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

/// What the agreement scan shows: `(problems, notes)`. A problem makes the data stage warn; a
/// note is only listed. `scan_complete` is false when the scan stopped at its limit with more
/// agreements left, so parents outside the scan may just not have been read: a warning that
/// says so (the technician accepts it or checks by hand), not a claim of hidden types.
fn agreement_findings(
    list: &[AgreementLite],
    scan_complete: bool,
    total: Option<u64>,
    types: &Result<Vec<Reference>, CwError>,
) -> (Vec<String>, Vec<String>) {
    let mut problems = Vec::new();
    let mut notes = Vec::new();
    let visible: HashSet<i64> = list.iter().filter_map(|a| a.id).collect();
    let seen: Vec<&Reference> = list.iter().filter_map(|a| a.kind.as_ref()).collect();
    let seen_names: BTreeSet<String> = seen
        .iter()
        .filter_map(|t| t.name.as_deref())
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
        let parents: Vec<String> = parents.into_iter().collect();
        let child_types: BTreeSet<String> = orphans
            .iter()
            .filter_map(|a| a.kind.as_ref()?.name.clone())
            .collect();
        let examples: Vec<String> = orphans
            .iter()
            .take(3)
            .map(|a| a.name.clone().unwrap_or_default())
            .collect();
        let open_a_parent = format!(
            "open a parent agreement (e.g. {}) in ConnectWise to see its type",
            list_names(&parents, 1)
        );
        // The parents' types: listed as agreement types, but carried by no visible agreement.
        let hidden_types = match types {
            Ok(listed) => {
                let hidden: Vec<String> = listed
                    .iter()
                    .filter(|t| !seen.iter().any(|s| same_type(s, t)))
                    .filter_map(|t| t.name.as_deref().map(|n| n.trim().to_string()))
                    .collect();
                match hidden.len() {
                    0 => format!(
                        "every type listed by finance/agreements/types has visible agreements, so the parents' type cannot be named here: {open_a_parent}"
                    ),
                    1 => format!(
                        "the hidden parent type is probably \"{}\" (an agreement type with no visible agreement)",
                        hidden[0]
                    ),
                    _ => format!(
                        "the hidden parent types are among: {} (agreement types with no visible agreement)",
                        hidden
                            .iter()
                            .map(|t| format!("\"{t}\""))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                }
            }
            Err(e) => format!(
                "the agreement types could not be listed ({}: finance/agreements/types needs System > Table Setup), so the parents' type cannot be named here: {open_a_parent}",
                e.label()
            ),
        };
        if scan_complete {
            problems.push(format!(
                "{} agreements (e.g. {}) of type {} have a parent agreement this member cannot see: {}. The parents' agreement type is not allowed for this role; {hidden_types}. In the role's Finance > Agreements row, customize the allowed agreement types to include every parent type",
                orphans.len(),
                examples.join(", "),
                child_types.into_iter().collect::<Vec<_>>().join(", "),
                list_names(&parents, 5),
            ));
        } else {
            let of = total.map_or(String::new(), |n| format!(" of {n}"));
            problems.push(format!(
                "{} of the {} agreements read point at parents outside them ({}); the scan stopped at {AGREEMENT_SCAN_LIMIT}{of} agreements, so those parents may simply not have been read — not a sign of hidden agreement types by itself. If agreements are missing in the vendor's portal, check the role's allowed agreement types ({hidden_types})",
                orphans.len(),
                list.len(),
                list_names(&parents, 3),
            ));
        }
    }
    if !seen_names.is_empty() {
        notes.push(format!(
            "agreement types seen: {}",
            seen_names.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    (problems, notes)
}

/// What the vendor will lack when the member sees none of a counted thing it needs.
fn empty_means(name: &str) -> &'static str {
    match name {
        "agreements" => {
            "the vendor will have no agreements to sync or bill against. If ConnectWise has agreements, the member's Level or the role's allowed agreement types (Finance > Agreements row) hide them"
        }
        "products" => {
            "the vendor will have no products to sync. If ConnectWise has products, the member's Level or location hides them"
        }
        "catalog items" => {
            "the vendor will find no catalog item to map its products to. Add the items to the product catalog (Procurement > Product Catalog), or check what hides them from the member"
        }
        _ => "the vendor will see none",
    }
}

/// The fix when the member sees no company: the member's Level and restrictions.
pub const ZERO_COMPANIES_FIX: &str = "The API member sees no company, so the vendor will sync nothing. In ConnectWise open System > Members > API Members > (the member): set its Level to Corporate (not a location or department level), and remove any location or department restriction (its Location and Department, and role rows limited to My location or My department). Save, then test again.";

fn data_stage(
    counts: Vec<(&'static str, &'static str, Result<u64, CwError>)>,
    agreements: Option<Result<Vec<AgreementLite>, CwError>>,
    agreement_types: Result<Vec<Reference>, CwError>,
    progress: &mut Progress,
) {
    let mut problems = Vec::new();
    let mut notes = Vec::new();
    let mut parts = Vec::new();
    let value = |endpoint: &str| {
        counts
            .iter()
            .find(|(e, _, _)| *e == endpoint)
            .and_then(|(_, _, r)| r.as_ref().ok().copied())
    };
    for (_, name, result) in &counts {
        // A count that failed is its row's probe: the permission row already says why.
        match result {
            Ok(n) => parts.push(format!("{n} {name}")),
            Err(_) => parts.push(format!("{name} not counted")),
        }
    }
    progress.report.counts = Counts {
        companies: value("company/companies"),
        agreements: value("finance/agreements"),
        products: value("procurement/products"),
        catalog: value("procurement/catalog"),
    };
    for (_, name, result) in &counts {
        if *name != "companies" && matches!(result, Ok(0)) {
            problems.push(format!("0 {name} visible: {}", empty_means(name)));
        }
    }
    match &agreements {
        Some(Ok(list)) => {
            let total = value("finance/agreements");
            let scan_complete =
                list.len() < AGREEMENT_SCAN_LIMIT || total == Some(list.len() as u64);
            let (p, n) = agreement_findings(list, scan_complete, total, &agreement_types);
            problems.extend(p);
            notes.extend(n);
        }
        Some(Err(e)) => problems.push(format!(
            "could not read the agreements to check their parents: {e}"
        )),
        None => {}
    }
    let summary = if parts.is_empty() {
        "nothing to count: the selected profiles read no companies, agreements or products"
            .to_string()
    } else {
        parts.join(", ")
    };
    progress.report.notes.extend(notes);
    if value("company/companies") == Some(0) {
        progress.report.warnings.extend(problems.iter().cloned());
        progress.finish(
            StageId::Data,
            StageStatus::Fail,
            format!("{summary}: the API member sees no company"),
            Some(ZERO_COMPANIES_FIX.to_string()),
        );
    } else if problems.is_empty() {
        progress.finish(StageId::Data, StageStatus::Pass, summary, None);
    } else {
        progress.report.warnings.extend(problems.iter().cloned());
        progress.finish(
            StageId::Data,
            StageStatus::Warn,
            format!(
                "{summary}; {}",
                plural(problems.len(), "warning", "warnings")
            ),
            Some(problems.join(" ")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agreement(id: i64, type_id: i64, type_name: &str, parent: Option<i64>) -> AgreementLite {
        AgreementLite {
            id: Some(id),
            name: Some(format!("Agreement {id}")),
            kind: Some(Reference {
                id: Some(type_id),
                name: Some(type_name.to_string()),
            }),
            parent: parent.map(|p| Reference {
                id: Some(p),
                name: Some(format!("Parent {p}")),
            }),
        }
    }

    fn types(names: &[(i64, &str)]) -> Result<Vec<Reference>, CwError> {
        Ok(names
            .iter()
            .map(|(id, name)| Reference {
                id: Some(*id),
                name: Some(name.to_string()),
            })
            .collect())
    }

    #[test]
    fn a_hidden_parent_type_is_named_from_the_type_list() {
        let list = vec![
            agreement(1, 2, "Microsoft 365", None),
            agreement(2, 2, "Microsoft 365", Some(99)),
        ];
        let (problems, _) = agreement_findings(
            &list,
            true,
            Some(2),
            &types(&[(1, "Managed Services"), (2, "Microsoft 365")]),
        );
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("\"Managed Services\""), "{problems:?}");
        assert!(problems[0].contains("Parent 99 (#99)"), "{problems:?}");
    }

    #[test]
    fn a_scan_stopped_at_its_limit_is_a_qualified_warning() {
        // Every agreement of the scan points at a parent after it: beyond the limit, not hidden.
        let list: Vec<AgreementLite> = (0..AGREEMENT_SCAN_LIMIT as i64)
            .map(|i| agreement(i + 1, 2, "Microsoft 365", Some(i + 10_000)))
            .collect();
        let scan_complete = list.len() < AGREEMENT_SCAN_LIMIT;
        let (problems, notes) = agreement_findings(
            &list,
            scan_complete,
            Some(12_000),
            &types(&[(2, "Microsoft 365")]),
        );
        assert!(
            notes.iter().all(|n| !n.contains("scan stopped")),
            "{notes:?}"
        );
        assert!(
            problems
                .iter()
                .any(|n| n.contains("scan stopped at 5000 of 12000")
                    && n.contains("not a sign of hidden agreement types")),
            "{problems:?}"
        );
    }

    #[test]
    fn unlistable_types_are_said_to_be_unnameable() {
        let list = vec![agreement(2, 2, "Microsoft 365", Some(99))];
        let forbidden = Err(CwError::Forbidden {
            endpoint: "finance/agreements/types".into(),
            code: None,
            message: None,
        });
        let (problems, _) = agreement_findings(&list, true, Some(1), &forbidden);
        assert!(
            problems[0].contains("agreement types could not be listed (no permission (403)"),
            "{problems:?}"
        );
        assert!(
            problems[0].contains("open a parent agreement"),
            "{problems:?}"
        );
    }

    #[test]
    fn the_cap_covers_every_call_after_companyinfo_within_bounds() {
        let row = |probe: Option<String>| MergedRow {
            module: "M".into(),
            function: "F".into(),
            add: Level::None,
            edit: Level::None,
            delete: Level::None,
            inquire: Level::All,
            optional: false,
            why: Vec::new(),
            customize: Vec::new(),
            probe,
        };
        let seven: Vec<MergedRow> = (0..7)
            .map(|i| row(Some(format!("e{i}"))))
            .chain([row(None)])
            .collect();
        // system/info, mySecurity and the seven probes.
        assert_eq!(check_concurrency(&seven), 9);
        assert_eq!(check_concurrency(&[]), 8);
        // Rows sharing an endpoint share its one probe.
        let shared: Vec<MergedRow> = (0..100).map(|_| row(Some("x".into()))).collect();
        assert_eq!(probe_endpoints(&shared), ["x"]);
        assert_eq!(Plan::of(&shared).requests(), 3);
        let many: Vec<MergedRow> = (0..100).map(|i| row(Some(format!("e{i}")))).collect();
        assert_eq!(check_concurrency(&many), MAX_CHECK_CONCURRENCY);
    }

    #[test]
    fn each_permission_is_proved_by_one_request() {
        let sync365 = crate::profile::find("sync365").expect("built in");
        let rows = profile::merge(&[sync365]).rows;
        let plan = Plan::of(&rows);
        // Counts prove their rows; the type list proves Table Setup; only the rest get a probe.
        assert_eq!(plan.probes, ["company/contacts", "finance/invoices"]);
        assert_eq!(plan.counts.len(), 4);
        assert!(plan.agreement_scan && plan.agreement_types);
        // With companyinfo: at most 12 requests (paging aside).
        let with_companyinfo = plan.requests() + 1;
        assert!(with_companyinfo <= 12, "{with_companyinfo}");
    }

    #[test]
    fn the_report_site_drops_a_login_url_query() {
        assert_eq!(
            site_for_report(" bad://host/v4_6_release/ConnectWise.aspx?session=abc#x\n"),
            "bad://host/v4_6_release/ConnectWise.aspx"
        );
    }
}

//! Runs the stages in order and reports them as they finish. After companyinfo, every other call
//! goes out at once (system/info, the permission probes, mySecurity, the counts, the agreement
//! list and the agreement types), under a concurrency cap that covers them all, so a full check
//! costs about two round trips after the connection (up to [`super::plan::MAX_CHECK_CONCURRENCY`]
//! calls; more go in further waves).
//!
//! Each stage lives in [`super::stages`]; this file holds the order, the one wave of calls and
//! the progress channel. A stage that fails returns a [`Failed`](super::progress::Failed): the check
//! stops there and every stage after it is skipped, in one place ([`Progress::fail_and_skip`]).

use std::sync::Arc;

use futures::future::join_all;
use tokio::sync::mpsc::UnboundedSender;
use tokio::time::Instant;

use crate::cw::models::{AgreementLite, LooseReference};
use crate::cw::{ApiSession, ClientOptions, CwError, ListQuery, SecurityRow, SystemInfo};
use crate::profile::{self, MergedRow};
use crate::sanitize::{self, FieldKind};

use super::model::*;
use super::plan::{
    AGREEMENT_SCAN_LIMIT, AGREEMENT_TYPE_LIMIT, Plan, TYPES_ENDPOINT, check_concurrency,
};
use super::progress::{Failed, Progress};
use super::stages::{
    auth_stage, connect_stage, data_stage, input_stage, least_privilege, permissions_stage,
    rediscovered, site_for_report,
};

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
    let mut progress = Progress {
        events,
        report: CheckReport::new(
            site_for_report(&request.site),
            sanitize::sanitize(FieldKind::CompanyId, &request.company_id).value,
            sanitize::sanitize(FieldKind::ClientId, &request.client_id).value,
        ),
    };
    if let Err(failed) = stages(request, network, &mut progress).await {
        progress.fail_and_skip(failed);
    }
    progress.done()
}

/// The stages in order, until one fails.
async fn stages(
    request: CheckRequest,
    network: Network,
    progress: &mut Progress,
) -> Result<(), Failed> {
    // Saturating: a huge timeout means "a long time", never an overflow panic.
    let now = Instant::now();
    let deadline = now
        .checked_add(request.timeout)
        .or_else(|| now.checked_add(FAR_FUTURE))
        .unwrap_or(now);
    let request_timeout = request.timeout;
    let merged = profile::merge(&request.profiles.iter().collect::<Vec<_>>());
    let admin_advice = merged.admin;
    let rows = merged.rows;

    progress.start(StageId::Input);
    let input = input_stage(&request, progress)?;
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
    let (client, info) = connect_stage(&input, options, progress).await?;

    let session = client.session(&info, input.credentials.clone());
    drop(input);
    progress.start(StageId::Auth);
    progress.start(StageId::Permissions);
    progress.start(StageId::Data);
    let plan = Plan::of(&rows);
    let wave = Wave::send(&session, &plan).await;
    rediscovered(&session, progress);

    auth_stage(wave.system, progress)?;

    // Each row gets the answer of its endpoint's one request: its probe, its count, or the
    // agreement-type list.
    let answer = |endpoint: &str| -> Option<Result<(), CwError>> {
        if let Some(i) = plan.probes.iter().position(|e| e == endpoint) {
            return Some(wave.probes[i].clone());
        }
        if let Some(i) = plan.counts.iter().position(|(e, _)| *e == endpoint) {
            return Some(wave.counts[i].as_ref().map(|_| ()).map_err(Clone::clone));
        }
        if endpoint == TYPES_ENDPOINT {
            return wave
                .agreement_types
                .as_ref()
                .map(|r| r.as_ref().map(|_| ()).map_err(Clone::clone));
        }
        None
    };
    let probe_results = rows
        .iter()
        .map(|row: &MergedRow| answer(row.probe.as_deref()?))
        .collect();
    let counts: Vec<(&'static str, &'static str, Result<u64, CwError>)> = plan
        .counts
        .iter()
        .zip(wave.counts)
        .map(|((endpoint, name), result)| (*endpoint, *name, result))
        .collect();
    if let Ok(security) = &wave.security {
        least_privilege(&rows, security, admin_advice, progress);
    }
    permissions_stage(&rows, probe_results, wave.security, progress);
    data_stage(
        counts,
        wave.agreements,
        wave.agreement_types.unwrap_or_else(|| Ok(Vec::new())),
        progress,
    );
    Ok(())
}

/// The answers of the one wave of calls after companyinfo (plus paging of large agreement
/// lists). Each permission is proved by one request: a count doubles as its row's probe, and
/// the agreement-type list as the Table Setup probe; only the other endpoints get a probe.
struct Wave {
    system: Result<SystemInfo, CwError>,
    security: Result<Vec<SecurityRow>, CwError>,
    /// In the order of [`Plan::probes`].
    probes: Vec<Result<(), CwError>>,
    /// In the order of [`Plan::counts`].
    counts: Vec<Result<u64, CwError>>,
    /// When the plan scans agreements.
    agreements: Option<Result<Vec<AgreementLite>, CwError>>,
    /// When the plan lists agreement types.
    agreement_types: Option<Result<Vec<LooseReference>, CwError>>,
}

impl Wave {
    /// Sends every call of `plan` at once, under the session's concurrency cap.
    async fn send(session: &ApiSession, plan: &Plan) -> Wave {
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
                Some(
                    session
                        .list::<LooseReference>(TYPES_ENDPOINT, &type_query)
                        .await,
                )
            } else {
                None
            }
        };
        let (system, security, probes, counts, agreements, agreement_types) = tokio::join!(
            session.system_info(),
            session.my_security(),
            join_all(probes),
            join_all(counts),
            scan,
            type_list,
        );
        Wave {
            system,
            security,
            probes,
            counts,
            agreements,
            agreement_types,
        }
    }
}

//! The connect and company stages: reach the site (DNS, TCP, TLS) and find the company's
//! codebase with companyinfo, then the API base the other stages call. A connection failure
//! fails `connect`; any other companyinfo failure passes `connect` and fails `company`.

use crate::check::model::*;
use crate::check::progress::{Failed, Progress};
use crate::cw::{ApiSession, ClientOptions, CompanyInfo, CwClient};

use super::input::Input;

/// The connect and company stages: the client and the company's codebase, or the stage that
/// failed.
pub(in crate::check) async fn connect_stage(
    input: &Input,
    options: ClientOptions,
    progress: &mut Progress,
) -> Result<(CwClient, CompanyInfo), Failed> {
    progress.start(StageId::Connect);
    let client =
        CwClient::new(input.site.clone(), options).map_err(|e| Failed::by(StageId::Connect, &e))?;
    progress.start(StageId::Company);
    let info = match client.company_info(&input.company_id).await {
        Ok(info) => info,
        Err(e) if e.is_connection() => return Err(Failed::by(StageId::Connect, &e)),
        Err(e) => {
            progress.finish(
                StageId::Connect,
                StageStatus::Pass,
                format!("reached {}", input.site.describe()),
                None,
            );
            return Err(Failed::by(StageId::Company, &e));
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
    company_stage(input, &info, progress);
    Ok((client, info))
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

/// After the calls: the API base and codebase the session ended on (a 404 may have led to a new
/// codebase, e.g. after an upgrade), with a warning when they changed.
pub(in crate::check) fn rediscovered(session: &ApiSession, progress: &mut Progress) {
    let info = session.company_info();
    let base = session.api_base().to_string();
    if progress.report.api_base.as_deref() == Some(base.as_str()) {
        return;
    }
    progress.report.notes.push(format!(
        "the codebase changed during the check ({} → {}), as after a ConnectWise upgrade: cwsetup used the new API base {base}",
        progress.report.codebase.as_deref().unwrap_or("unknown"),
        info.codebase
    ).into());
    progress.report.api_base = Some(base);
    progress.report.codebase = Some(info.codebase.clone());
    progress.report.is_cloud = Some(info.is_cloud);
    if info.version_code.is_some() {
        progress.report.version = info.version_code;
    }
}

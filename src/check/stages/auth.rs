//! The auth stage: system/info with the keys. A 401 fails it, and the check stops there.

use crate::check::model::*;
use crate::check::progress::{Failed, Progress};
use crate::cw::{CwError, SystemInfo};

/// Passes with the version ConnectWise reports, or fails with the call's error.
pub(in crate::check) fn auth_stage(
    system: Result<SystemInfo, CwError>,
    progress: &mut Progress,
) -> Result<(), Failed> {
    // The fix of a 401 already covers swapped keys: no second hint.
    let system = system.map_err(|e| Failed::by(StageId::Auth, &e))?;
    progress.report.version = system.version.clone().or(progress.report.version.take());
    let version = system.version.as_deref().unwrap_or("version not reported");
    progress.finish(
        StageId::Auth,
        StageStatus::Pass,
        format!("keys accepted; ConnectWise {version}"),
        None,
    );
    Ok(())
}

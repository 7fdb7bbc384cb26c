//! The Integration step's test as the wizard shows it: each stage waiting, running or finished,
//! then the report.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::check::{CheckReport, PermissionResult, StageId, StageResult, StageStatus};

#[derive(Debug, Clone, PartialEq)]
pub enum StageView {
    Waiting,
    Running,
    Finished(StageResult),
}

/// The Integration step's test: live progress, then the report.
#[derive(Debug, Clone, Default)]
pub struct CheckState {
    pub running: bool,
    pub stages: BTreeMap<StageId, StageView>,
    pub permissions: Vec<PermissionResult>,
    pub report: Option<CheckReport>,
    /// A field changed after the results were produced.
    pub stale: bool,
    /// When `t` started the test: the running stage shows the time since, of the limit.
    pub started: Option<std::time::Instant>,
    /// Time since `started`, as of the last tick or event (the view draws it; it never reads
    /// the clock itself).
    pub elapsed: Duration,
    /// The running stage's latest retry ("rate-limited, retrying in 2 s"), until it moves on.
    pub retry: Option<String>,
}

impl CheckState {
    pub fn passed(&self) -> bool {
        !self.stale && self.report.as_ref().is_some_and(|r| r.ok)
    }

    pub fn failed(&self) -> bool {
        self.report.as_ref().is_some_and(|r| !r.ok)
    }

    /// Passed with warnings: nothing failed, but something to read before the portal.
    pub fn warned(&self) -> bool {
        self.passed()
            && self
                .report
                .as_ref()
                .is_some_and(|r| r.verdict == crate::check::Verdict::Warn)
    }

    /// "passed", "passed with 1 warning", "passed with 2 warnings".
    pub fn passed_text(&self) -> String {
        match &self.report {
            Some(r) if r.verdict == crate::check::Verdict::Warn => format!(
                "passed with {}",
                crate::check::plural(r.warnings.len().max(1), "warning", "warnings")
            ),
            _ => "passed".to_string(),
        }
    }

    pub fn stage(&self, id: StageId) -> Option<&StageView> {
        self.stages.get(&id)
    }
}

/// The overall status symbol of a finished stage or a running one.
pub fn stage_symbol(view: Option<&StageView>, spinner: usize) -> &'static str {
    const FRAMES: [&str; 4] = ["◐", "◓", "◑", "◒"];
    match view {
        None | Some(StageView::Waiting) => "·",
        Some(StageView::Running) => FRAMES[spinner % FRAMES.len()],
        Some(StageView::Finished(result)) => result.status.symbol(),
    }
}

pub fn stage_status(view: Option<&StageView>) -> Option<StageStatus> {
    match view {
        Some(StageView::Finished(result)) => Some(result.status),
        _ => None,
    }
}

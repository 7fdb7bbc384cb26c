//! The Integration step's test as the wizard shows it: each stage waiting, running or finished,
//! then the report; and "check my work as I go": the technician's own keys and their audit.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::audit::{AuditFailure, AuditReport};
use crate::check::{CheckReport, PermissionResult, StageId, StageResult, StageStatus};

use super::fields::FieldId;
use super::masked_input::MaskedInput;
use super::text_field::TextField;

#[derive(Debug, Clone, PartialEq)]
pub enum StageView {
    Waiting,
    Running,
    Finished(StageResult),
}

/// One row of the test results list: the stages come first, in order, then the permission rows
/// (an index into [`CheckState::permissions`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultRow {
    Stage(StageId),
    Permission(usize),
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

    /// The results list's rows, top to bottom: every stage, then every permission row. The one
    /// place the list's order is decided; a cursor is a position in it (see [`CheckState::row`]).
    pub fn rows(&self) -> impl Iterator<Item = ResultRow> + '_ {
        StageId::ALL
            .into_iter()
            .map(ResultRow::Stage)
            .chain((0..self.permissions.len()).map(ResultRow::Permission))
    }

    /// How many rows the results list has.
    pub fn row_count(&self) -> usize {
        self.rows().count()
    }

    /// The row at `cursor`, or `None` past the end.
    pub fn row(&self, cursor: usize) -> Option<ResultRow> {
        self.rows().nth(cursor)
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
        Some(StageView::Waiting | StageView::Running) | None => None,
    }
}

/// What the last audit gave: a report, or why nothing could be read.
pub type AuditOutcome = Result<AuditReport, AuditFailure>;

/// The audit as the wizard shows it.
#[derive(Debug, Default)]
pub struct AuditState {
    pub running: bool,
    /// Counts audits started: a late answer from an older one is dropped.
    pub generation: u64,
    pub outcome: Option<AuditOutcome>,
    /// A key, a field or the selection changed after the result was produced.
    pub stale: bool,
}

/// The technician's own keys and what was audited with them.
pub struct OwnKeys {
    /// The technician chose "Check my work as I go" on step 1.
    pub enabled: bool,
    pub public_key: MaskedInput,
    pub private_key: MaskedInput,
    /// Step 2's role name, when it differs from the one the step shows.
    pub role_name: TextField,
    /// Step 3's member ID, when it differs from the one the step shows.
    pub member_id: TextField,
    pub audit: AuditState,
}

impl Default for OwnKeys {
    fn default() -> Self {
        OwnKeys {
            enabled: false,
            public_key: MaskedInput::new(),
            private_key: MaskedInput::new(),
            role_name: TextField::for_field(FieldId::RoleName),
            member_id: TextField::for_field(FieldId::MemberId),
            audit: AuditState::default(),
        }
    }
}

impl OwnKeys {
    /// Both of the technician's keys are there: steps 2 and 3 can be read back.
    pub fn ready(&self) -> bool {
        self.enabled
            && !self.public_key.secret().is_empty()
            && !self.private_key.secret().is_empty()
    }

    pub fn any_entered(&self) -> bool {
        !self.public_key.secret().is_empty() || !self.private_key.secret().is_empty()
    }

    /// Wipes both keys (with the vendor's, on `x`). The results stay, marked stale.
    pub fn clear_keys(&mut self) {
        self.public_key.clear();
        self.private_key.clear();
        self.mark_stale();
        self.audit.running = false;
    }

    pub fn mark_stale(&mut self) {
        if self.audit.outcome.is_some() || self.audit.running {
            self.audit.stale = true;
        }
    }
}

//! The results of a check: stages, permission verdicts, counts. This is the JSON contract of
//! `cwsetup check --json`, so ids and field names are fixed.

use serde::Serialize;

use crate::sanitize::display_text;

/// The stages, in the order they run. Their ids are part of the JSON contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StageId {
    Input,
    Connect,
    Company,
    Auth,
    Permissions,
    Data,
}

impl StageId {
    pub const ALL: [StageId; 6] = [
        StageId::Input,
        StageId::Connect,
        StageId::Company,
        StageId::Auth,
        StageId::Permissions,
        StageId::Data,
    ];

    pub fn id(self) -> &'static str {
        match self {
            StageId::Input => "input",
            StageId::Connect => "connect",
            StageId::Company => "company",
            StageId::Auth => "auth",
            StageId::Permissions => "permissions",
            StageId::Data => "data",
        }
    }

    /// What the stage proves, as shown next to its status.
    pub fn title(self) -> &'static str {
        match self {
            StageId::Input => "Input sanitized",
            StageId::Connect => "Connection (DNS, TCP, TLS)",
            StageId::Company => "Company ID and codebase",
            StageId::Auth => "API keys accepted",
            StageId::Permissions => "Security role permissions",
            StageId::Data => "Customers, agreements, products",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StageStatus {
    Pass,
    Warn,
    Fail,
    Skip,
}

impl StageStatus {
    pub fn symbol(self) -> &'static str {
        match self {
            StageStatus::Pass => "✓",
            StageStatus::Warn => "⚠",
            StageStatus::Fail => "✗",
            StageStatus::Skip => "–",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageResult {
    pub id: StageId,
    pub status: StageStatus,
    /// One line: what was found.
    pub summary: String,
    /// What to do about it; `None` when there is nothing to do.
    pub fix: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PermissionStatus {
    Pass,
    Fail,
    /// Could not be proved read-only; the detail says what to check by hand. Never `Pass`.
    Unverified,
}

impl PermissionStatus {
    pub fn symbol(self) -> &'static str {
        match self {
            PermissionStatus::Pass => "✓",
            PermissionStatus::Fail => "✗",
            PermissionStatus::Unverified => "?",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PermissionResult {
    pub module: String,
    pub function: String,
    /// The levels the profile(s) require, e.g. "Add All, Edit All, Inquire All".
    pub required: String,
    pub status: PermissionStatus,
    pub detail: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Counts {
    pub companies: Option<u64>,
    pub agreements: Option<u64>,
    pub products: Option<u64>,
    pub catalog: Option<u64>,
}

/// The outcome of a check as a whole.
///
/// - `Pass`: every stage passed and nothing needs the technician's attention.
/// - `Warn`: no stage failed, but there is something to act on or consciously accept (the
///   `warnings` list): hidden parent agreement types, rows only checkable by hand, a scan
///   stopped at its limit, data the vendor needs that the member does not see.
/// - `Fail`: a stage failed; the integration will not work as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Pass,
    Warn,
    Fail,
}

impl Verdict {
    pub fn symbol(self) -> &'static str {
        match self {
            Verdict::Pass => "✓",
            Verdict::Warn => "⚠",
            Verdict::Fail => "✗",
        }
    }

    /// The verdict as a title: "PASS", "PASS WITH WARNINGS", "FAIL".
    pub fn title(self) -> &'static str {
        match self {
            Verdict::Pass => "PASS",
            Verdict::Warn => "PASS WITH WARNINGS",
            Verdict::Fail => "FAIL",
        }
    }

    /// The verdict of stages and warnings: a failed stage fails; a warning stage or any
    /// warning makes a pass a pass with warnings.
    pub fn of(stages: &[StageResult], warnings: &[String]) -> Verdict {
        if stages.iter().any(|s| s.status == StageStatus::Fail) {
            Verdict::Fail
        } else if !warnings.is_empty() || stages.iter().any(|s| s.status == StageStatus::Warn) {
            Verdict::Warn
        } else {
            Verdict::Pass
        }
    }
}

pub use crate::units::plural;

/// Everything a check found. Holds no secret: it is printed, serialized and saved as a report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckReport {
    /// No stage failed (a pass with warnings is still `ok`).
    pub ok: bool,
    /// `pass`, `warn` or `fail`: see [`Verdict`].
    pub verdict: Verdict,
    pub site: String,
    pub company_id: String,
    /// The clientId header sent (not a secret: it names the integration, not the tenant).
    pub client_id: String,
    /// What sanitizing removed from each typed value, e.g. "site: 2 spaces, 1 line break"
    /// ("nothing to trim" when nothing was).
    pub input_removed: Vec<String>,
    pub api_base: Option<String>,
    pub codebase: Option<String>,
    pub version: Option<String>,
    pub is_cloud: Option<bool>,
    pub stages: Vec<StageResult>,
    pub permissions: Vec<PermissionResult>,
    pub counts: Counts,
    /// What the technician must act on or consciously accept (each makes the verdict `warn`).
    pub warnings: Vec<String>,
    /// What the member may do beyond what the selected profiles need (least privilege), when
    /// `system/mySecurity` was readable; `None` otherwise.
    pub beyond_needed: Option<BeyondNeeded>,
    /// Things worth knowing that change nothing (e.g. an Admin role the vendor accepts).
    pub notes: Vec<String>,
}

impl CheckReport {
    /// A report that has found nothing yet: no stage run, so not ok and a failing verdict until
    /// the stages say otherwise.
    pub fn new(site: String, company_id: String, client_id: String) -> CheckReport {
        CheckReport {
            ok: false,
            verdict: Verdict::Fail,
            site,
            company_id,
            client_id,
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
        }
    }
}

/// The member's rows above what the profiles need, grouped by module.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BeyondNeeded {
    /// How many functions are above what is needed.
    pub count: usize,
    /// Every function at All on every level: an Admin role ("Admin: every function").
    pub admin: bool,
    pub modules: Vec<BeyondModule>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BeyondModule {
    pub module: String,
    pub rows: Vec<BeyondRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BeyondRow {
    pub function: String,
    /// The member's levels, e.g. "Add All, Edit All, Inquire All".
    pub have: String,
}

/// Progress of a running check, sent as each stage starts and ends (the wizard shows it live).
#[derive(Debug, Clone, PartialEq)]
pub enum CheckEvent {
    Started(StageId),
    Finished(StageResult),
    Permission(PermissionResult),
    /// A request of the running stage is about to be tried again ("rate-limited, retrying in
    /// 2 s").
    Retry(crate::cw::client::RetryNotice),
    Done(Box<CheckReport>),
}

impl StageResult {
    /// The result with every text through [`crate::sanitize::display_text`], for a terminal.
    pub fn for_display(&self) -> StageResult {
        StageResult {
            summary: display_text(&self.summary),
            fix: self.fix.as_deref().map(display_text),
            ..self.clone()
        }
    }
}

impl PermissionResult {
    /// The row with every text through [`crate::sanitize::display_text`], for a terminal.
    pub fn for_display(&self) -> PermissionResult {
        PermissionResult {
            module: display_text(&self.module),
            function: display_text(&self.function),
            required: display_text(&self.required),
            status: self.status,
            detail: display_text(&self.detail),
        }
    }
}

impl CheckReport {
    /// The report with every text through [`crate::sanitize::display_text`]: what a terminal
    /// (the human output, the wizard) may show. Server names, versions and echoed input can
    /// hold escape sequences and bidi overrides; `--json` uses the report as it is, since JSON
    /// escapes every control character itself.
    pub fn for_display(&self) -> CheckReport {
        let opt = |v: &Option<String>| v.as_deref().map(display_text);
        CheckReport {
            ok: self.ok,
            verdict: self.verdict,
            site: display_text(&self.site),
            company_id: display_text(&self.company_id),
            client_id: display_text(&self.client_id),
            input_removed: self.input_removed.iter().map(|r| display_text(r)).collect(),
            api_base: opt(&self.api_base),
            codebase: opt(&self.codebase),
            version: opt(&self.version),
            is_cloud: self.is_cloud,
            stages: self.stages.iter().map(StageResult::for_display).collect(),
            permissions: self
                .permissions
                .iter()
                .map(PermissionResult::for_display)
                .collect(),
            counts: self.counts.clone(),
            warnings: self.warnings.iter().map(|w| display_text(w)).collect(),
            notes: self.notes.iter().map(|n| display_text(n)).collect(),
            beyond_needed: self.beyond_needed.clone(),
        }
    }
}

impl CheckEvent {
    /// The event with every text through [`crate::sanitize::display_text`], for the wizard.
    pub fn for_display(self) -> CheckEvent {
        match self {
            CheckEvent::Started(id) => CheckEvent::Started(id),
            CheckEvent::Finished(r) => CheckEvent::Finished(r.for_display()),
            CheckEvent::Permission(p) => CheckEvent::Permission(p.for_display()),
            CheckEvent::Retry(notice) => CheckEvent::Retry(crate::cw::client::RetryNotice {
                endpoint: display_text(&notice.endpoint),
                ..notice
            }),
            CheckEvent::Done(report) => CheckEvent::Done(Box::new(report.for_display())),
        }
    }
}

/// What to check. Values are as typed; the `input` stage sanitizes them and says what it removed.
#[derive(Debug)]
pub struct CheckRequest {
    pub site: String,
    pub company_id: String,
    pub client_id: String,
    pub public_key: crate::secret::Secret,
    pub private_key: crate::secret::Secret,
    /// The selected vendor profiles; their merged role rows are verified one by one.
    pub profiles: Vec<crate::profile::Profile>,
    /// The end-to-end deadline for the whole check.
    pub timeout: std::time::Duration,
    /// What was already removed from the values before they reached the check, one entry per
    /// field ("public key: removed 1 trailing newline"): the wizard's fields clean a paste as it
    /// comes in, so the `input` stage would otherwise see clean values and find nothing to trim.
    /// Reported in the input stage and [`CheckReport::input_removed`]. Counts only, never text.
    pub removed_before: Vec<String>,
}

//! The results of a check: stages, permission verdicts, counts. This is the JSON contract of
//! `cwsetup check --json`, so ids and field names are fixed.

use std::fmt;

use serde::Serialize;
use serde::ser::{SerializeStruct, Serializer};

use crate::sanitize::display_text;

/// A result's text as the technician reads it: "[tool] text" when it belongs to one tool of a
/// per-tool test, the text alone otherwise. The one place a tool is put into words: every view
/// (wizard, plain mode, the reports, `check`'s text output, the JSON's flat lines) goes through
/// it, and the model keeps the tool in a field of its own.
pub fn tool_text(tool: Option<&str>, text: &str) -> String {
    match tool {
        Some(tool) => format!("[{tool}] {text}"),
        None => text.to_string(),
    }
}

/// A warning or a note, with the tool it belongs to under a per-tool test (`None` otherwise).
///
/// In JSON an untagged one is the plain string it always was; a tagged one is
/// `{"tool": …, "text": …}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tagged {
    pub tool: Option<String>,
    pub text: String,
}

impl Tagged {
    pub fn of_tool(tool: &str, text: impl Into<String>) -> Tagged {
        Tagged {
            tool: Some(tool.to_string()),
            text: text.into(),
        }
    }

    /// "[tool] text", or the text alone (see [`tool_text`]).
    pub fn shown(&self) -> String {
        tool_text(self.tool.as_deref(), &self.text)
    }

    fn for_display(&self) -> Tagged {
        Tagged {
            tool: self.tool.as_deref().map(display_text),
            text: display_text(&self.text),
        }
    }
}

impl From<String> for Tagged {
    fn from(text: String) -> Tagged {
        Tagged { tool: None, text }
    }
}

impl From<&str> for Tagged {
    fn from(text: &str) -> Tagged {
        Tagged::from(text.to_string())
    }
}

impl fmt::Display for Tagged {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown())
    }
}

impl Serialize for Tagged {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.tool {
            None => serializer.serialize_str(&self.text),
            Some(tool) => {
                let mut s = serializer.serialize_struct("Tagged", 2)?;
                s.serialize_field("tool", tool)?;
                s.serialize_field("text", &self.text)?;
                s.end()
            }
        }
    }
}

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

/// The result of one stage.
///
/// A single-tool test fills `summary` and `fix` and leaves `parts` empty. A per-tool test's
/// stage holds each tool's own result in `parts` (in the tools' order; one part for a stage a
/// tool reports while its test runs), `status` is the worst of theirs, and `summary`/`fix` are
/// empty: read them through [`StageResult::summary_text`] and [`StageResult::fix_text`].
///
/// In JSON `summary` and `fix` are those texts (so a reader of the flat line sees every tool's),
/// and `parts` is there only when it holds something.
#[derive(Debug, Clone, PartialEq)]
pub struct StageResult {
    pub id: StageId,
    pub status: StageStatus,
    /// One line: what was found.
    pub summary: String,
    /// What to do about it; `None` when there is nothing to do.
    pub fix: Option<String>,
    /// Each tool's own result of this stage under a per-tool test; empty otherwise.
    pub parts: Vec<ToolPart>,
}

/// One tool's result of a stage under a per-tool test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ToolPart {
    pub tool: String,
    pub status: StageStatus,
    pub summary: String,
    pub fix: Option<String>,
}

/// The worse of two stage statuses: fail, then warn, then skip, then pass.
/// The input stage's fix names the values by the words of its result; a front end with steps
/// may say where each is typed after these words.
pub const FIX_INPUT_VALUES: &str = "the values this result names";

pub fn worse(a: StageStatus, b: StageStatus) -> StageStatus {
    let rank = |s: StageStatus| match s {
        StageStatus::Pass => 0,
        StageStatus::Skip => 1,
        StageStatus::Warn => 2,
        StageStatus::Fail => 3,
    };
    if rank(b) > rank(a) { b } else { a }
}

impl StageResult {
    /// The stage of a per-tool test made of `parts`: its status is the worst of theirs.
    pub fn of_parts(id: StageId, parts: Vec<ToolPart>) -> StageResult {
        let status = parts
            .iter()
            .map(|p| p.status)
            .reduce(worse)
            .unwrap_or(StageStatus::Skip);
        StageResult {
            id,
            status,
            summary: String::new(),
            fix: None,
            parts,
        }
    }

    /// This result as `tool`'s parts: one part of its own, or (already per tool) its parts.
    pub fn into_parts(self, tool: &str) -> Vec<ToolPart> {
        if self.parts.is_empty() {
            vec![ToolPart {
                tool: tool.to_string(),
                status: self.status,
                summary: self.summary,
                fix: self.fix,
            }]
        } else {
            self.parts
        }
    }

    /// What was found, as shown: the summary, or each tool's ("[tool] …") joined by " · ".
    pub fn summary_text(&self) -> String {
        self.joined_summary(true)
    }

    /// The summary, each tool's joined; with `marks`, parts that ended differently each carry
    /// their own mark, so a skipped tool's mark is never read beside another tool's success.
    /// JSON has no marks: its parts carry their statuses.
    fn joined_summary(&self, marks: bool) -> String {
        if self.parts.is_empty() {
            return self.summary.clone();
        }
        let mixed = marks && self.parts.iter().any(|p| p.status != self.status);
        self.parts
            .iter()
            .map(|p| {
                let text = tool_text(Some(&p.tool), &p.summary);
                if mixed {
                    format!("{} {text}", p.status.symbol())
                } else {
                    text
                }
            })
            .collect::<Vec<_>>()
            .join(" · ")
    }

    /// What to do, as shown: the fix, or every tool's that has one ("[tool] …"), joined.
    pub fn fix_text(&self) -> Option<String> {
        if self.parts.is_empty() {
            return self.fix.clone();
        }
        let fixes: Vec<String> = self
            .parts
            .iter()
            .filter_map(|p| p.fix.as_deref().map(|f| tool_text(Some(&p.tool), f)))
            .collect();
        (!fixes.is_empty()).then(|| fixes.join(" "))
    }
}

impl Serialize for StageResult {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let fields = if self.parts.is_empty() { 4 } else { 5 };
        let mut s = serializer.serialize_struct("StageResult", fields)?;
        s.serialize_field("id", &self.id)?;
        s.serialize_field("status", &self.status)?;
        s.serialize_field("summary", &self.joined_summary(false))?;
        s.serialize_field("fix", &self.fix_text())?;
        if self.parts.is_empty() {
            s.skip_field("parts")?;
        } else {
            s.serialize_field("parts", &self.parts)?;
        }
        s.end()
    }
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
    /// The tool whose keys and rows this is, under a per-tool test; `None` otherwise (and then
    /// absent from the JSON).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool: Option<String>,
    /// The module's name alone (shown as "[tool] module" through [`PermissionResult::module_text`]).
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
    pub fn of(stages: &[StageResult], warnings: &[Tagged]) -> Verdict {
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
    pub warnings: Vec<Tagged>,
    /// What the member may do beyond what the selected profiles need (least privilege), when
    /// `system/mySecurity` was readable; `None` otherwise.
    pub beyond_needed: Option<BeyondNeeded>,
    /// Things worth knowing that change nothing (e.g. an Admin role the vendor accepts).
    pub notes: Vec<Tagged>,
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
            id: self.id,
            status: self.status,
            summary: display_text(&self.summary),
            fix: self.fix.as_deref().map(display_text),
            parts: self
                .parts
                .iter()
                .map(|p| ToolPart {
                    tool: display_text(&p.tool),
                    status: p.status,
                    summary: display_text(&p.summary),
                    fix: p.fix.as_deref().map(display_text),
                })
                .collect(),
        }
    }
}

impl PermissionResult {
    /// The module as shown: "[tool] module" under a per-tool test (see [`tool_text`]).
    pub fn module_text(&self) -> String {
        tool_text(self.tool.as_deref(), &self.module)
    }

    /// The row with every text through [`crate::sanitize::display_text`], for a terminal.
    pub fn for_display(&self) -> PermissionResult {
        PermissionResult {
            tool: self.tool.as_deref().map(display_text),
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
            warnings: self.warnings.iter().map(Tagged::for_display).collect(),
            notes: self.notes.iter().map(Tagged::for_display).collect(),
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

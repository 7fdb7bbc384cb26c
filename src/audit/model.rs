//! What an audit found. This is the JSON contract of `cwsetup audit --json`: fields may be added,
//! none renamed.

use serde::Serialize;

use crate::permission::Levels;

/// pass < warn < fail. `Manual` means "could not be read with these keys": it never fails the
/// audit, and makes the verdict at least `warn` (nothing was proved).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditStatus {
    Pass,
    Manual,
    Warn,
    Fail,
}

impl AuditStatus {
    pub fn symbol(self) -> &'static str {
        match self {
            AuditStatus::Pass => "✓",
            AuditStatus::Manual => "?",
            AuditStatus::Warn => "⚠",
            AuditStatus::Fail => "✗",
        }
    }
}

/// The audit's overall answer: `manual` parts count as `warn`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Pass,
    Warn,
    Fail,
}

impl From<AuditStatus> for Verdict {
    fn from(status: AuditStatus) -> Verdict {
        match status {
            AuditStatus::Pass => Verdict::Pass,
            AuditStatus::Manual | AuditStatus::Warn => Verdict::Warn,
            AuditStatus::Fail => Verdict::Fail,
        }
    }
}

/// Add, Edit, Delete, Inquire as ConnectWise spells them ("None", "My", "All"); a level
/// ConnectWise sent in another form is passed on as sent (cleaned for display).
pub type LevelTexts = Levels<String>;

/// One row the selected profiles need, against the role's setting.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowAudit {
    pub module: String,
    pub function: String,
    pub want: LevelTexts,
    pub have: LevelTexts,
    /// `pass` or `fail`; `manual` only when ConnectWise sent a level cwsetup does not know.
    pub status: AuditStatus,
    /// What is wrong, e.g. "Add level is None, needs All"; `None` on a pass.
    pub detail: Option<String>,
    /// Optional rows: a failure is a warning, not a failed audit.
    pub optional: bool,
    /// What stops working without an optional row, in the vendors' words (see
    /// [`crate::profile::MergedRow::optional_because`]); empty for a required row.
    pub optional_because: Vec<String>,
    /// A level the vendors needed only during setup, still granted: "more than needed since
    /// setup", not a failure. Absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since_setup: Option<String>,
}

/// A function the role grants beyond what the profiles need (the least-privilege view).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExtraRow {
    pub module: String,
    pub function: String,
    pub have: LevelTexts,
}

/// Step 2: the security role.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoleAudit {
    /// The name looked for.
    pub name: String,
    /// `null` when the roles could not be read (status `manual`).
    pub found: Option<bool>,
    pub id: Option<i64>,
    pub status: AuditStatus,
    /// The role is flagged Admin (every function at All).
    pub admin: bool,
    pub rows: Vec<RowAudit>,
    pub extra: Vec<ExtraRow>,
    /// Roles whose names are close to `name`, when it was not found.
    pub similar: Vec<String>,
    /// One line: what was found.
    pub summary: String,
    /// What to do; `None` when nothing.
    pub fix: Option<String>,
}

/// One check of step 3.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemberCheck {
    /// `exists`, `active`, `role`, `level`, `location`, `department`, `boards`.
    pub id: &'static str,
    pub status: AuditStatus,
    pub have: String,
    pub want: String,
    /// What to do; empty on a pass.
    pub fix: String,
}

/// Step 3: the API member.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemberAudit {
    pub identifier: String,
    /// `null` when the members could not be read (status `manual`).
    pub found: Option<bool>,
    pub id: Option<i64>,
    pub status: AuditStatus,
    pub checks: Vec<MemberCheck>,
    pub summary: String,
    pub fix: Option<String>,
}

/// Everything an audit found. Holds no secret.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditReport {
    pub verdict: Verdict,
    pub role: RoleAudit,
    pub member: MemberAudit,
    /// Things worth knowing that change nothing, e.g. an Admin role the vendor accepts.
    pub notes: Vec<String>,
}

impl AuditReport {
    /// The report with every text through [`crate::sanitize::display_text`]: what a terminal
    /// may show. The report itself keeps the server's text exactly (for `--json`, which escapes
    /// what a terminal must not see with [`crate::sanitize::json_for_terminal`]).
    pub fn for_display(&self) -> AuditReport {
        use crate::sanitize::display_text as safe;
        let all = |list: &[String]| list.iter().map(|s| safe(s)).collect::<Vec<_>>();
        let levels = |l: &LevelTexts| l.clone().map(|_, text| safe(&text));
        let role = &self.role;
        let member = &self.member;
        AuditReport {
            verdict: self.verdict,
            role: RoleAudit {
                name: safe(&role.name),
                rows: role
                    .rows
                    .iter()
                    .map(|r| RowAudit {
                        module: safe(&r.module),
                        function: safe(&r.function),
                        want: levels(&r.want),
                        have: levels(&r.have),
                        detail: r.detail.as_deref().map(safe),
                        // From profile files, which may be anyone's: as outside as server text.
                        optional_because: all(&r.optional_because),
                        since_setup: r.since_setup.as_deref().map(safe),
                        ..r.clone()
                    })
                    .collect(),
                extra: role
                    .extra
                    .iter()
                    .map(|r| ExtraRow {
                        module: safe(&r.module),
                        function: safe(&r.function),
                        have: levels(&r.have),
                    })
                    .collect(),
                similar: all(&role.similar),
                summary: safe(&role.summary),
                fix: role.fix.as_deref().map(safe),
                ..role.clone()
            },
            member: MemberAudit {
                identifier: safe(&member.identifier),
                checks: member
                    .checks
                    .iter()
                    .map(|c| MemberCheck {
                        have: safe(&c.have),
                        want: safe(&c.want),
                        fix: safe(&c.fix),
                        ..c.clone()
                    })
                    .collect(),
                summary: safe(&member.summary),
                fix: member.fix.as_deref().map(safe),
                ..member.clone()
            },
            notes: all(&self.notes),
        }
    }
}

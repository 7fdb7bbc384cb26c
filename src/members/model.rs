//! What `cwsetup members` found. This is the JSON contract of `cwsetup members --json`: fields
//! may be added, none renamed or removed.

use serde::Serialize;

/// How much a finding matters. Ordered: note < warn < fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing; nothing to fix for an integration to work.
    Note,
    /// Something to act on (or accept knowingly): records hidden, more access than needed.
    Warn,
    /// Breaks an integration: a required row of the vendor the role matches is missing.
    Fail,
}

impl Severity {
    pub fn symbol(self) -> &'static str {
        match self {
            Severity::Note => "·",
            Severity::Warn => "⚠",
            Severity::Fail => "✗",
        }
    }
}

/// The whole answer: `fail` when a finding fails, `warn` when one warns or a part could only be
/// checked by hand, else `pass`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Pass,
    Warn,
    Fail,
}

/// One finding on a member, with a stable id for scripts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// `admin-role`, `inactive`, `below-top-level`, `no-location`, `excluded-boards`,
    /// `more-than-needed`, `missing-rows` or `unknown-purpose`.
    pub id: &'static str,
    pub severity: Severity,
    /// What is wrong and how to fix it, in one or two sentences.
    pub text: String,
}

/// The shipped vendor profile a member's role matches best.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProfileMatch {
    /// The profile's id (`cwsetup role --profile ID` prints its role).
    pub profile: String,
    /// The profile's required rows the role lacks or grants below need ("Module / Function").
    pub missing: Vec<String>,
    /// The rows the role grants beyond what the profile needs ("Module / Function").
    pub extra: Vec<String>,
}

/// One API member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberEntry {
    pub identifier: String,
    /// Empty when ConnectWise sent none.
    pub name: String,
    pub active: bool,
    /// The role's name (`id N` when ConnectWise sent only an id; empty when none).
    pub role: String,
    /// The role is Admin (flagged Admin, or named Admin when the roles could not be read).
    pub admin: bool,
    /// The member's Level (e.g. Corporate); empty when not reported.
    pub level: String,
    /// The Level is the top one (Corporate).
    pub top_level: bool,
    /// The member's location (its Level's location, else its default location); empty: none.
    pub location: String,
    /// The member's default department; empty: none.
    pub department: String,
    /// The ids of the service boards the member may not see.
    pub excluded_boards: Vec<i64>,
    /// `null` when the role matches no profile well, or its settings could not be read.
    #[serde(rename = "match")]
    pub matched: Option<ProfileMatch>,
    pub findings: Vec<Finding>,
}

impl MemberEntry {
    /// The worst finding's severity, if any.
    pub fn worst(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }
}

/// One security role, and the API members that have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoleEntry {
    pub id: Option<i64>,
    pub name: String,
    pub admin: bool,
    /// The identifiers of the API members with this role.
    pub members: Vec<String>,
}

/// A part that could not be read with these keys: checked by hand instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ManualPart {
    /// `members`, `roles` or `settings`.
    pub part: &'static str,
    /// What could not be read, and why.
    pub summary: String,
    /// The permission that would allow it, and where to grant it.
    pub fix: String,
}

/// Everything `cwsetup members` found. Holds no secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MembersReport {
    pub verdict: Verdict,
    pub members: Vec<MemberEntry>,
    pub roles: Vec<RoleEntry>,
    /// The parts read by hand (a 403): each names the permission that would allow it.
    pub manual: Vec<ManualPart>,
    /// Reads that failed for another reason than a permission (a 5xx, a time-out).
    pub errors: Vec<String>,
}

impl MembersReport {
    /// The verdict from the findings and the parts that could not be read.
    pub(super) fn judge(&mut self) {
        let worst = self.members.iter().filter_map(MemberEntry::worst).max();
        self.verdict = match worst {
            Some(Severity::Fail) => Verdict::Fail,
            _ if !self.errors.is_empty() => Verdict::Fail,
            Some(Severity::Warn) => Verdict::Warn,
            _ if !self.manual.is_empty() => Verdict::Warn,
            Some(Severity::Note) | None => Verdict::Pass,
        };
    }

    /// The report with every text through [`crate::sanitize::display_text`]: what a terminal
    /// may show. The report itself keeps the server's text exactly (for `--json`).
    pub fn for_display(&self) -> MembersReport {
        use crate::sanitize::display_text as safe;
        let all = |list: &[String]| list.iter().map(|s| safe(s)).collect::<Vec<_>>();
        MembersReport {
            verdict: self.verdict,
            members: self
                .members
                .iter()
                .map(|m| MemberEntry {
                    identifier: safe(&m.identifier),
                    name: safe(&m.name),
                    role: safe(&m.role),
                    level: safe(&m.level),
                    location: safe(&m.location),
                    department: safe(&m.department),
                    matched: m.matched.as_ref().map(|p| ProfileMatch {
                        profile: safe(&p.profile),
                        missing: all(&p.missing),
                        extra: all(&p.extra),
                    }),
                    findings: m
                        .findings
                        .iter()
                        .map(|f| Finding {
                            text: safe(&f.text),
                            ..f.clone()
                        })
                        .collect(),
                    ..m.clone()
                })
                .collect(),
            roles: self
                .roles
                .iter()
                .map(|r| RoleEntry {
                    name: safe(&r.name),
                    members: all(&r.members),
                    ..r.clone()
                })
                .collect(),
            manual: self
                .manual
                .iter()
                .map(|p| ManualPart {
                    summary: safe(&p.summary),
                    fix: safe(&p.fix),
                    ..p.clone()
                })
                .collect(),
            errors: all(&self.errors),
        }
    }
}

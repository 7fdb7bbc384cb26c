//! "Check my work as I go": the technician's own API keys (My Account > API Keys, or an admin API
//! member's), held exactly like the vendor's keys (masked, sanitized, a [`Secret`], wiped with
//! `x`, never stored), and the read-only audit of steps 2 and 3 they allow.
//!
//! The wizard knows no HTTP: `t` on step 2 or 3 asks for [`Effect::StartAudit`], the runtime runs
//! [`crate::audit::run`] in the background and hands the result back as [`Msg::Audit`].
//!
//! [`Effect::StartAudit`]: crate::wizard::update::Effect::StartAudit
//! [`Msg::Audit`]: crate::wizard::update::Msg::Audit

use crate::audit::AuditStatus;

use super::fields::FieldId;
use super::state::{Setup, Tone};
use super::step::StepId;

pub use super::check_state::{AuditOutcome, AuditState, OwnKeys};

/// Steps whose work the audit checks.
pub fn audits(step: StepId) -> bool {
    step.audited()
}

/// The role name step 2 shows: the merged role's recommended name.
pub fn shown_role_name(app: &Setup) -> String {
    crate::profile::merge(&app.selected_profiles()).role_name
}

/// The role the audit looks for: the one typed on step 2, or the one the step shows.
pub fn role_name(app: &Setup) -> String {
    let typed = app.own.role_name.sanitized();
    if typed.is_empty() {
        shown_role_name(app)
    } else {
        typed
    }
}

/// The member ID step 3 shows: the first selected tool's (none under "I already have an API
/// member": that member's ID is typed on step 3).
pub fn shown_member_identifier(app: &Setup) -> String {
    if app.plan() == crate::setup::step::MemberPlan::ExistingMember {
        return String::new();
    }
    app.selected_profiles()
        .first()
        .map(|p| p.member.member_id.clone())
        .unwrap_or_default()
}

/// The API member the audit looks for: the one typed on step 3, or the one the step shows.
pub fn member_identifier(app: &Setup) -> String {
    let typed = app.own.member_id.sanitized();
    if typed.is_empty() {
        shown_member_identifier(app)
    } else {
        typed
    }
}

/// Why the name the audit would look for cannot exist in ConnectWise (longer than its limit),
/// as the status line says it; `None` when it fits.
fn name_over_limit(app: &Setup) -> Option<String> {
    let (field, value) = if app.step == StepId::ApiMember {
        (FieldId::MemberId, member_identifier(app))
    } else {
        (FieldId::RoleName, role_name(app))
    };
    let problem = field.limit()?.problem(&value)?;
    Some(format!(
        "Not checked: {problem}, so no such name can exist. Shorten it in \"{}\", then press t.",
        field.label()
    ))
}

/// `t` on step 2 or 3: marks the audit running; the runtime does the reading. Whether it
/// started, and what to tell the technician.
pub fn start(app: &mut Setup) -> (bool, Option<(Tone, String)>) {
    if app.own.audit.running {
        return (false, None);
    }
    if let Some(problem) = name_over_limit(app) {
        return (false, Some((Tone::Warn, problem)));
    }
    if app.step == StepId::ApiMember && member_identifier(app).is_empty() {
        let ask = format!(
            "Not checked yet: type your existing API member's ID into \"{}\", then press t.",
            FieldId::MemberId.label()
        );
        return (false, Some((Tone::Warn, ask)));
    }
    app.own.audit.running = true;
    app.own.audit.stale = false;
    app.own.audit.generation = app.own.audit.generation.wrapping_add(1);
    let what = if app.step == StepId::ApiMember {
        format!("API member \"{}\"", member_identifier(app))
    } else {
        format!("role \"{}\"", role_name(app))
    };
    let text = format!("reading the {what} with your own keys (read-only)…");
    (true, Some((Tone::Info, text)))
}

/// An audit's answer arrived: what to tell the technician (nothing for a late answer).
pub fn finished(app: &mut Setup, generation: u64, outcome: AuditOutcome) -> Option<(Tone, String)> {
    if generation != app.own.audit.generation || !app.own.audit.running {
        return None;
    }
    app.own.audit.running = false;
    let (tone, text) = match &outcome {
        Err(failure) => (Tone::Bad, format!("could not check: {}", failure.summary)),
        Ok(report) => {
            let part = if app.step == StepId::ApiMember {
                report.member.status
            } else {
                report.role.status
            };
            match part {
                AuditStatus::Pass => (Tone::Good, "checked: as the vendor's guide says".into()),
                AuditStatus::Manual => (
                    Tone::Warn,
                    "your keys may not read this: check it by hand (see why below)".into(),
                ),
                AuditStatus::Warn => (Tone::Warn, "checked, with warnings: see below".into()),
                AuditStatus::Fail => (Tone::Bad, "checked: something to fix, see below".into()),
            }
        }
    };
    app.own.audit.outcome = Some(outcome);
    Some((tone, text))
}

/// Step 1's note in the terminal wizard: the offer, or what the fields are for once shown.
/// (Plain mode has no `m`: it does not show this.)
pub fn step1_note(app: &Setup) -> String {
    if app.own.enabled {
        "Check my work as I go: your own keys, with the site, company ID and client ID, only read the role and the member back (read-only). x wipes them with the vendor's keys; m hides these fields.".into()
    } else {
        "Optional: press m to check my work as I go. With your own API keys (My Account > API Keys, or an admin API member's), steps 2 and 3 are read back as you finish them: read-only, keys never stored.".into()
    }
}

/// One line of the audit pane: its status (for the symbol and colour) and its text.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditLine {
    pub status: Option<AuditStatus>,
    /// Indented lines belong to the line above (a fix, an extra row).
    pub indent: bool,
    pub text: String,
}

fn line(status: Option<AuditStatus>, text: impl Into<String>) -> AuditLine {
    AuditLine {
        status,
        indent: false,
        text: text.into(),
    }
}

fn sub(text: impl Into<String>) -> AuditLine {
    AuditLine {
        status: None,
        indent: true,
        text: text.into(),
    }
}

/// The pane's title on `step`.
pub fn title(app: &Setup, step: StepId) -> String {
    let what = if step == StepId::ApiMember {
        "the API member"
    } else {
        "the role"
    };
    if app.own.audit.running {
        format!("Checking {what} with your keys…")
    } else if app.own.audit.stale {
        format!("Check of {what}: stale, something changed (t checks again)")
    } else {
        format!("Check of {what} with your keys (t checks)")
    }
}

/// What the audit pane says before the first `t`: what it will read, or (under "I already have
/// an API member", before its ID is typed) what to type first, never an empty name in quotes.
fn not_read_yet(app: &Setup, step: StepId) -> String {
    if step == StepId::ApiMember && member_identifier(app).is_empty() {
        return format!(
            "Type your existing API member's ID into \"{}\", then press t to read it back with \
             your keys (read-only).",
            FieldId::MemberId.label()
        );
    }
    let target = if step == StepId::ApiMember {
        format!("the API member \"{}\"", member_identifier(app))
    } else {
        format!("the role \"{}\"", role_name(app))
    };
    format!("Press t to read {target} back with your keys and compare (read-only).")
}

/// The audit pane's lines on step 2 (`SecurityRole`) or step 3 (`ApiMember`).
pub fn lines(app: &Setup, step: StepId) -> Vec<AuditLine> {
    let mut out = Vec::new();
    if !app.own.ready() {
        out.push(line(
            None,
            "Enter your own public and private keys on step 1 (m there) to check this step.",
        ));
        return out;
    }
    let outcome = match &app.own.audit.outcome {
        None if app.own.audit.running => {
            out.push(line(None, "reading with your keys (read-only)…"));
            return out;
        }
        None => {
            out.push(line(None, not_read_yet(app, step)));
            return out;
        }
        Some(outcome) => outcome,
    };
    let report = match outcome {
        Err(failure) => {
            out.push(line(
                Some(AuditStatus::Fail),
                format!("could not check: {}", failure.summary),
            ));
            out.push(sub(format!("fix: {}", failure.fix)));
            return out;
        }
        Ok(report) => report,
    };
    if step == StepId::ApiMember {
        let member = &report.member;
        out.push(line(Some(member.status), member.summary.clone()));
        for c in &member.checks {
            out.push(line(
                Some(c.status),
                format!("{}: has {}; should be {}", c.id, c.have, c.want),
            ));
            if !c.fix.is_empty() {
                out.push(sub(format!("fix: {}", c.fix)));
            }
        }
        if member.checks.is_empty()
            && let Some(fix) = &member.fix
        {
            out.push(sub(format!("fix: {fix}")));
        }
        return out;
    }
    let role = &report.role;
    out.push(line(Some(role.status), role.summary.clone()));
    // Failures first: they are what the technician must change.
    let mut rows: Vec<_> = role.rows.iter().collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.status));
    for row in rows {
        let text = match &row.detail {
            Some(detail) if row.optional => {
                format!("{} / {}: {detail} (optional)", row.module, row.function)
            }
            Some(detail) => format!("{} / {}: {detail}", row.module, row.function),
            None => format!("{} / {}: as needed", row.module, row.function),
        };
        out.push(line(Some(row.status), text));
    }
    if let Some(fix) = &role.fix {
        out.push(sub(format!("fix: {fix}")));
    }
    if !role.extra.is_empty() {
        out.push(line(
            None,
            format!(
                "More than needed ({} rows; least privilege says remove them):",
                role.extra.len()
            ),
        ));
        for extra in &role.extra {
            out.push(sub(format!(
                "{} / {}: {}",
                extra.module,
                extra.function,
                extra.have.spelled_out()
            )));
        }
    }
    for note in &report.notes {
        out.push(sub(format!("note: {note}")));
    }
    out
}

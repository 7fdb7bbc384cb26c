//! What the audit's parts share: how server text enters a report, the permission each read
//! needs, and what happens when the technician's keys may not read something. A leaf: the
//! engine, `role`, `member` and `names` all use it.

use crate::cw::CwError;

/// Where the technician finds what the audit reads, and the permission each read needs.
pub(super) const ROLES_PERMISSION: &str = "System > Security Roles";
pub(super) const MEMBERS_PERMISSION: &str = "System > Member Maintenance";

/// Server text on its way into a report: one place, so every name is treated the same way. The
/// report keeps it exactly as sent (as `check --json` does); [`super::AuditReport::for_display`]
/// makes it safe wherever it is shown.
pub(super) fn display(text: &str) -> String {
    text.to_string()
}

/// "your keys cannot read X": the step stays manual, with the permission that would allow it.
pub fn manual_reason(what: &str, permission: &str, e: &CwError) -> (String, String) {
    (
        format!(
            "could not read {what} with your keys ({}); check this step by hand",
            e.label()
        ),
        format!(
            "To have cwsetup check it, your own API member's role needs {permission} (Inquire All): System > Security Roles > (your role) > System > {}. Until then, compare by hand.",
            permission.rsplit(" > ").next().unwrap_or(permission)
        ),
    )
}

/// A read refused for lack of permission: the step is left to check by hand.
pub(super) fn is_manual(e: &CwError) -> bool {
    matches!(e, CwError::Forbidden { .. })
}

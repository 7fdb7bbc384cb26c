//! The test's report as a file: Markdown, no secret in it, written privately next to where the
//! technician works. The wizard and plain mode both save it this way.

use std::path::{Path, PathBuf};

use crate::check;

use super::state::Setup;

/// Why no report can be saved now, in the words both front ends say: no test yet, or the values
/// changed since the test (a report describes the values on screen, so an old PASS is never
/// written under new values).
pub fn report_refusal(app: &Setup) -> Option<&'static str> {
    if app.check.report.is_none() {
        Some("no test results yet: run the test on the Integration step (t) first")
    } else if app.check.stale || app.check.running {
        Some(
            "the values changed since the last test, so its results no longer describe them: \
             test again (t), then save the report",
        )
    } else {
        None
    }
}

/// Writes the last test's report (Markdown, no secret in it) as `cwsetup-report-<company>.md`
/// in `dir`: where it went and whether it was written. `None` when [`report_refusal`] gives a
/// reason. The wizard and plain mode both save it this way.
pub fn save_report(app: &Setup, dir: &Path) -> Option<(PathBuf, std::io::Result<()>)> {
    if report_refusal(app).is_some() {
        return None;
    }
    let report = app.check.report.as_ref()?;
    let hint = app.public_key.secret().report_hint();
    let text = check::markdown(report, &app.selected_profiles(), &hint);
    let safe_id: String = report
        .company_id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    let path = dir.join(format!("cwsetup-report-{safe_id}.md"));
    let written = crate::report_file::write_private(&path, text.as_bytes());
    Some((path, written))
}

//! The test's report as a file: Markdown, no secret in it, written privately next to where the
//! technician works. The wizard and plain mode both save it this way.

use std::path::{Path, PathBuf};

use crate::check;

use super::state::Setup;

/// Writes the last test's report (Markdown, no secret in it) as `cwsetup-report-<company>.md`
/// in `dir`: where it went and whether it was written. `None` when no test has run. The wizard
/// and plain mode both save it this way.
pub fn save_report(app: &Setup, dir: &Path) -> Option<(PathBuf, std::io::Result<()>)> {
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

//! What a check found, written for people: the terminal lines of `cwsetup check`, and the
//! redacted Markdown report for a support ticket. Neither can hold a secret: they are built
//! from a [`CheckReport`] (which has none) and a public-key hint of 4 characters.

use std::fmt::Write as _;

use crate::profile::Profile;
use crate::sanitize::{markdown_code, markdown_text};

use super::model::*;

/// Symbols and optional colour for terminal output.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(self, text: &str, code: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn stage(self, status: StageStatus) -> String {
        let code = match status {
            StageStatus::Pass => "32",
            StageStatus::Warn => "33",
            StageStatus::Fail => "31",
            StageStatus::Skip => "2",
        };
        self.paint(status.symbol(), code)
    }

    fn permission(self, status: PermissionStatus) -> String {
        let code = match status {
            PermissionStatus::Pass => "32",
            PermissionStatus::Fail => "31",
            PermissionStatus::Unverified => "33",
        };
        self.paint(status.symbol(), code)
    }
}

/// The permission grid: one aligned line per row, its levels and what was found.
fn permission_grid(out: &mut String, report: &CheckReport, style: Style) {
    if !report.permissions.is_empty() {
        let _ = writeln!(
            out,
            "\nPermissions ({} rows; ? = check by hand):",
            report.permissions.len()
        );
        let width = report
            .permissions
            .iter()
            .map(|p| p.module_text().chars().count() + p.function.chars().count() + 3)
            .max()
            .unwrap_or(0);
        let required_width = report
            .permissions
            .iter()
            .map(|p| p.required.chars().count())
            .max()
            .unwrap_or(0);
        for p in &report.permissions {
            let name = format!("{} / {}", p.module_text(), p.function);
            let _ = writeln!(
                out,
                "  {} {name:<width$}  {:<required_width$}  {}",
                style.permission(p.status),
                p.required,
                p.detail
            );
        }
    }
}

/// The last line's words: what to do now, by verdict.
fn verdict_line(report: &CheckReport, style: Style, portal_block: &str) -> String {
    match report.verdict {
        Verdict::Pass => style.paint(
            if portal_block.is_empty() {
                "PASS: type the values into the vendor's portal."
            } else {
                "PASS: type the values above into the vendor's portal."
            },
            "32;1",
        ),
        Verdict::Warn => style.paint(
            &format!(
                "PASS WITH WARNINGS: {}; read {} before you type the values in the portal.",
                plural(report.warnings.len().max(1), "warning", "warnings"),
                if report.warnings.len() == 1 {
                    "it"
                } else {
                    "them"
                }
            ),
            "33;1",
        ),
        Verdict::Fail => style.paint(
            "FAIL: fix the ✗ stages above and run the check again.",
            "31;1",
        ),
    }
}

/// The human output of `cwsetup check`: one line per stage, the fix under each failure, then
/// the permission grid, counts and warnings.
/// Every text in it went through [`crate::sanitize::display_text`] first: no escape sequence or bidi override
/// from a server, a profile or the input reaches the terminal.
pub fn human(report: &CheckReport, style: Style) -> String {
    human_with_values(report, style, "")
}

/// [`human`], with the values to type in the vendor's portal listed under a pass (label, value;
/// keys already masked by the caller).
pub fn human_with_values(report: &CheckReport, style: Style, portal_block: &str) -> String {
    let report = &report.for_display();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "ConnectWise check for company \"{}\" at {}",
        report.company_id, report.site
    );
    for stage in &report.stages {
        let _ = writeln!(
            out,
            "{} {:<12} {}",
            style.stage(stage.status),
            stage.id.id(),
            stage.summary_text()
        );
        if let Some(fix) = &stage.fix_text()
            && matches!(stage.status, StageStatus::Fail | StageStatus::Warn)
        {
            if stage.status == StageStatus::Warn && repeats_a_warning(fix, &report.warnings) {
                // Said once, under Warnings.
                let _ = writeln!(out, "  see the warnings below");
            } else {
                let _ = writeln!(out, "  {} {fix}", style.paint("fix:", "1"));
            }
        }
    }
    permission_grid(&mut out, report, style);
    if let Some(beyond) = &report.beyond_needed {
        beyond_needed(&mut out, beyond);
    }
    if !report.warnings.is_empty() {
        let _ = writeln!(
            out,
            "\n{} ({}; act on each, or accept it knowingly):",
            style.paint("Warnings", "33;1"),
            report.warnings.len()
        );
        for w in &report.warnings {
            let _ = writeln!(out, "  {} {w}", style.paint("⚠", "33"));
        }
    }
    if !report.notes.is_empty() {
        let _ = writeln!(out, "\nNotes (for information; nothing to do):");
        for note in &report.notes {
            let _ = writeln!(out, "  - {note}");
        }
    }
    if report.verdict != Verdict::Fail {
        out.push_str(portal_block);
    }
    let verdict = verdict_line(report, style, portal_block);
    let _ = writeln!(out, "\n{} {verdict}", report.verdict.symbol());
    out
}

/// The output of `cwsetup check --quiet`, for a scheduled re-check: one verdict line (what was
/// checked, and how it ended), then each failure in full: the failed stages with their fix, and
/// the permission rows that failed. A pass prints the verdict line alone.
pub fn quiet(report: &CheckReport, style: Style) -> String {
    let report = &report.for_display();
    let mut out = String::new();
    let code = match report.verdict {
        Verdict::Pass => "32;1",
        Verdict::Warn => "33;1",
        Verdict::Fail => "31;1",
    };
    let failed = report
        .stages
        .iter()
        .filter(|s| s.status == StageStatus::Fail)
        .count();
    let tail = match report.verdict {
        Verdict::Pass => String::new(),
        Verdict::Warn => format!(
            " ({}; run without --quiet to read {})",
            plural(report.warnings.len().max(1), "warning", "warnings"),
            if report.warnings.len() == 1 {
                "it"
            } else {
                "them"
            }
        ),
        Verdict::Fail => format!(" ({} failed)", plural(failed.max(1), "stage", "stages")),
    };
    let _ = writeln!(
        out,
        "{} {}: company \"{}\" at {}{tail}",
        report.verdict.symbol(),
        style.paint(report.verdict.title(), code),
        report.company_id,
        report.site
    );
    for stage in report
        .stages
        .iter()
        .filter(|s| s.status == StageStatus::Fail)
    {
        let _ = writeln!(
            out,
            "{} {:<12} {}",
            style.stage(stage.status),
            stage.id.id(),
            stage.summary_text()
        );
        if let Some(fix) = stage.fix_text() {
            let _ = writeln!(out, "  {} {fix}", style.paint("fix:", "1"));
        }
    }
    for p in report
        .permissions
        .iter()
        .filter(|p| p.status == PermissionStatus::Fail)
    {
        let _ = writeln!(
            out,
            "  {} {} / {}  {}  {}",
            style.permission(p.status),
            p.module_text(),
            p.function,
            p.required,
            p.detail
        );
    }
    out
}

/// Each tool that has portal fields, with the values the report gives them.
fn portal_blocks<'a>(
    report: &CheckReport,
    profiles: &[&'a Profile],
) -> Vec<(&'a Profile, Vec<crate::profile::PortalEntry>)> {
    let inputs = crate::profile::PortalInputs {
        site: &report.site,
        company_id: &report.company_id,
        client_id: &report.client_id,
        // The check tests keys; it does not learn which member holds them.
        member_id: None,
    };
    profiles
        .iter()
        .map(|profile| (*profile, crate::profile::portal_entries(profile, &inputs)))
        .filter(|(_, entries)| !entries.is_empty())
        .collect()
}

/// The vendor portal's fields with the values to type, one block per tool, as `cwsetup check`
/// prints them after its verdict. The same values as the wizard's Summary (see
/// [`crate::profile::portal_entries`]); keys are named, never shown.
pub fn portal_values(report: &CheckReport, profiles: &[&Profile]) -> String {
    let mut out = String::new();
    for (profile, entries) in portal_blocks(report, profiles) {
        let _ = writeln!(
            out,
            "\nFor {}'s portal:",
            crate::sanitize::display_text(&crate::profile::product_label(profile))
        );
        let width = entries
            .iter()
            .map(|e| e.label.chars().count())
            .max()
            .unwrap_or(0);
        for entry in &entries {
            let _ = writeln!(
                out,
                "  {:<width$}  {}",
                crate::sanitize::display_text(&entry.label),
                crate::sanitize::display_text(&crate::profile::shown_without_keys(&entry.value))
            );
        }
    }
    out
}

/// A warning stage's fix made of the warnings listed below it (so it is not said twice).
fn repeats_a_warning(fix: &str, warnings: &[Tagged]) -> bool {
    warnings
        .iter()
        .map(Tagged::shown)
        .any(|w| !w.is_empty() && fix.contains(w.as_str()))
}

/// The least-privilege listing: what the member may do beyond what the profiles need.
fn beyond_needed(out: &mut String, beyond: &BeyondNeeded) {
    if beyond.admin {
        let _ = writeln!(
            out,
            "\nBeyond what the profiles need: Admin: every function ({} rows above what is needed).",
            beyond.count
        );
        return;
    }
    if beyond.count == 0 {
        let _ = writeln!(
            out,
            "\nBeyond what the profiles need: nothing (least privilege)."
        );
        return;
    }
    let _ = writeln!(
        out,
        "\nBeyond what the profiles need ({} rows; least privilege would remove them):",
        beyond.count
    );
    for module in &beyond.modules {
        let _ = writeln!(out, "  {}", module.module);
        for row in &module.rows {
            let _ = writeln!(out, "    {}: {}", row.function, row.have);
        }
    }
}

/// The report's heading and its table of what was tested where, with what and with what result.
fn summary_table(
    md: &mut String,
    report: &CheckReport,
    profiles: &[&Profile],
    public_key_hint: &str,
) {
    let now = time::OffsetDateTime::now_utc();
    let date = now
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| now.unix_timestamp().to_string());
    let names: Vec<String> = profiles
        .iter()
        .map(|p| format!("{} ({})", p.product, p.id))
        .collect();
    let _ = writeln!(
        md,
        "# cwsetup report: {} {}\n",
        report.verdict.symbol(),
        report.verdict.title()
    );
    let _ = writeln!(md, "| | |\n|---|---|");
    let rows = [
        ("Date (UTC)", date),
        ("cwsetup", env!("CARGO_PKG_VERSION").to_string()),
        ("Profile", names.join(", ")),
        ("Site", report.site.clone()),
        ("Company ID", report.company_id.clone()),
        ("Client ID", report.client_id.clone()),
        (
            "Verdict",
            match report.verdict {
                Verdict::Pass => "pass".to_string(),
                Verdict::Warn => format!(
                    "pass with warnings ({})",
                    plural(report.warnings.len(), "warning", "warnings")
                ),
                Verdict::Fail => "fail".to_string(),
            },
        ),
        (
            "Input cleaned",
            if report.input_removed.is_empty() {
                "nothing removed".to_string()
            } else {
                report.input_removed.join("; ")
            },
        ),
        (
            "ConnectWise version",
            report.version.clone().unwrap_or_else(|| "unknown".into()),
        ),
        (
            "Codebase",
            report.codebase.clone().unwrap_or_else(|| "unknown".into()),
        ),
        (
            "Hosting",
            match report.is_cloud {
                Some(true) => "cloud".into(),
                Some(false) => "self-hosted".into(),
                None => "unknown".into(),
            },
        ),
        (
            "API base",
            report
                .api_base
                .clone()
                .unwrap_or_else(|| "not reached".into()),
        ),
        ("Public key", public_key_hint.to_string()),
        ("Private key", "never included in reports".into()),
    ];
    for (k, v) in rows {
        let _ = writeln!(md, "| {k} | {} |", escape(&v));
    }
}

/// The stages, then the permission rows, as tables.
fn result_tables(md: &mut String, report: &CheckReport) {
    let _ = writeln!(
        md,
        "\n## Stages\n\n| | Stage | Result | Fix |\n|---|---|---|---|"
    );
    for s in &report.stages {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} |",
            s.status.symbol(),
            markdown_code(s.id.id()),
            escape(&s.summary_text()),
            escape(s.fix_text().as_deref().unwrap_or(""))
        );
    }
    if !report.permissions.is_empty() {
        let _ = writeln!(
            md,
            "\n## Permissions\n\n| | Module / Function | Required | Detail |\n|---|---|---|---|"
        );
        for p in &report.permissions {
            let _ = writeln!(
                md,
                "| {} | {} / {} | {} | {} |",
                p.status.symbol(),
                escape(&p.module_text()),
                escape(&p.function),
                escape(&p.required),
                escape(&p.detail)
            );
        }
    }
}

/// The redacted Markdown report. `public_key_hint` is the public key's first 4 characters and an
/// ellipsis; the private key is never passed in. Every outside text goes through
/// [`markdown_text`] (no control or bidi character, HTML and Markdown escaped).
pub fn markdown(report: &CheckReport, profiles: &[&Profile], public_key_hint: &str) -> String {
    let mut md = String::new();
    summary_table(&mut md, report, profiles, public_key_hint);
    result_tables(&mut md, report);
    for (profile, entries) in portal_blocks(report, profiles) {
        let _ = writeln!(
            md,
            "\n## For {}'s portal\n\n| Field | Value |\n|---|---|",
            escape(&crate::profile::product_label(profile))
        );
        for entry in &entries {
            let _ = writeln!(
                md,
                "| {} | {} |",
                escape(&entry.label),
                escape(&crate::profile::shown_without_keys(&entry.value))
            );
        }
    }
    let c = &report.counts;
    let count = |n: Option<u64>| n.map_or("not counted".to_string(), |n| n.to_string());
    let _ = writeln!(
        md,
        "\n## Data\n\n- Companies: {}\n- Agreements: {}\n- Products: {}\n- Catalog items: {}",
        count(c.companies),
        count(c.agreements),
        count(c.products),
        count(c.catalog)
    );
    if !report.warnings.is_empty() {
        let _ = writeln!(md, "\n## Warnings\n");
        for w in &report.warnings {
            let _ = writeln!(md, "- {}", escape(&w.shown()));
        }
    }
    if !report.notes.is_empty() {
        let _ = writeln!(md, "\n## Notes\n");
        for n in &report.notes {
            let _ = writeln!(md, "- {}", escape(&n.shown()));
        }
    }
    let _ = writeln!(
        md,
        "\n## Problems this check cannot see\n\n\
         cwsetup tests from this machine. If the vendor's portal still fails after a pass here, the \
         difference is usually the vendor's own network path (its IP addresses must be allowed on a \
         self-hosted server) or its own clientId.\n\n\
         To see what the vendor's calls get, ask for ConnectWise's API logs: open a ticket with \
         ConnectWise support (self-hosted: ask your ConnectWise administrator) and ask:\n\n\
         > Please enable API request logging for the API member used by our integration \
         (company ID {}), and send us the logged requests and responses (endpoint, HTTP status \
         and error body) for the time we repeat the vendor's \"test and save\".\n\n\
         Then repeat the vendor's \"test and save\", note the time, and attach those logs to the \
         vendor's ticket with this report.",
        escape(&report.company_id)
    );
    // One final newline, whatever the last section ended with.
    while md.ends_with("\n\n") {
        md.pop();
    }
    if !md.ends_with('\n') {
        md.push('\n');
    }
    md
}

/// Outside text in the report: one line, no control or bidi character, Markdown and HTML
/// escaped (so it stays inside its table cell and renders as the text it is).
fn escape(text: &str) -> String {
    markdown_text(text)
}

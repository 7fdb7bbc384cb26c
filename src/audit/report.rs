//! The human output of an audit. Built from an [`AuditReport`] whose server text is exact; every
//! text goes through [`AuditReport::for_display`] first.

use std::fmt::Write as _;

use super::model::*;

/// One block per step: its status and summary, the rows or checks, the fix; then notes and the
/// verdict.
pub fn human(report: &AuditReport) -> String {
    let report = &report.for_display();
    let mut out = String::new();
    let role = &report.role;
    let _ = writeln!(
        out,
        "{} Step 2, security role: {}",
        role.status.symbol(),
        role.summary
    );
    for row in &role.rows {
        let _ = write!(
            out,
            "  {} {} / {}: {}",
            row.status.symbol(),
            row.module,
            row.function,
            row.have.spelled_out()
        );
        match &row.detail {
            Some(detail) if row.optional && !row.optional_because.is_empty() => {
                let _ = writeln!(
                    out,
                    " (optional, {}: {detail})",
                    row.optional_because.join("; ")
                );
            }
            Some(detail) if row.optional => {
                let _ = writeln!(out, " (optional: {detail})");
            }
            Some(detail) => {
                let _ = writeln!(out, " ({detail})");
            }
            None => {
                let _ = writeln!(out);
            }
        }
        if let Some(since) = &row.since_setup {
            let _ = writeln!(out, "      {since}");
        }
    }
    if !role.extra.is_empty() {
        let _ = writeln!(
            out,
            "  More than needed ({} rows, least privilege):",
            role.extra.len()
        );
        let mut module = "";
        for extra in &role.extra {
            if extra.module != module {
                module = &extra.module;
                let _ = writeln!(out, "    {module}");
            }
            let _ = writeln!(
                out,
                "      {}: {}",
                extra.function,
                extra.have.spelled_out()
            );
        }
    }
    if let Some(fix) = &role.fix {
        let _ = writeln!(out, "  fix: {fix}");
    }

    let member = &report.member;
    let _ = writeln!(
        out,
        "\n{} Step 3, API member: {}",
        member.status.symbol(),
        member.summary
    );
    for c in &member.checks {
        let _ = writeln!(
            out,
            "  {} {:<10} {} (should be: {})",
            c.status.symbol(),
            c.id,
            c.have,
            c.want
        );
        if !c.fix.is_empty() {
            let _ = writeln!(out, "      fix: {}", c.fix);
        }
    }
    if member.checks.is_empty()
        && let Some(fix) = &member.fix
    {
        let _ = writeln!(out, "  fix: {fix}");
    }
    for note in &report.notes {
        let _ = writeln!(out, "\nnote: {note}");
    }
    let verdict = match report.verdict {
        Verdict::Pass => "PASS: the role and the API member are as the vendor's guide says.",
        Verdict::Warn => "PASS with warnings: nothing failed; read the ⚠ and ? lines above.",
        Verdict::Fail => "FAIL: fix the ✗ lines above and run the audit again.",
    };
    let _ = writeln!(out, "\n{verdict}");
    out
}

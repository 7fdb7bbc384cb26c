//! The human output of `cwsetup members` (a table readable at 100 columns, findings wrapped under
//! each member) and its redacted Markdown report. Both start from
//! [`MembersReport::for_display`]: server text never reaches a terminal or a file raw.

use std::fmt::Write as _;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::sanitize::markdown_text;

use super::model::*;

/// The width the table and the wrapped findings fit in.
pub const WIDTH: usize = 100;

/// `text` cut to `width` columns, with `…` when cut, then padded to `width`.
fn cell(text: &str, width: usize) -> String {
    let mut out = String::new();
    if text.width() <= width {
        out.push_str(text);
    } else {
        let mut used = 0;
        for c in text.chars() {
            let w = c.width().unwrap_or(0);
            if used + w + 1 > width {
                break;
            }
            out.push(c);
            used += w;
        }
        out.push('…');
    }
    let pad = width.saturating_sub(out.width());
    out.push_str(&" ".repeat(pad));
    out
}

/// `text` wrapped at word boundaries to [`WIDTH`], the first line after `first`, the others
/// indented by `indent` spaces. A word longer than a line is cut, never left to overflow.
fn wrap(first: &str, indent: usize, text: &str) -> String {
    let mut out = String::new();
    let mut line = first.to_string();
    let room = WIDTH.saturating_sub(indent).max(20);
    for word in text.split_whitespace() {
        let word = if word.width() > room {
            cell(word, room).trim_end().to_string()
        } else {
            word.to_string()
        };
        let fits = line.width() + 1 + word.width() <= WIDTH;
        if !fits && !line.trim().is_empty() {
            out.push_str(line.trim_end());
            out.push('\n');
            line = " ".repeat(indent);
        } else if !line.ends_with(' ') && !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    out.push_str(line.trim_end());
    out.push('\n');
    out
}

fn match_text(m: &MemberEntry) -> String {
    match &m.matched {
        Some(p) => format!("{} (-{} +{})", p.profile, p.missing.len(), p.extra.len()),
        None => "none".to_string(),
    }
}

fn member_symbol(m: &MemberEntry) -> &'static str {
    match m.worst() {
        Some(Severity::Fail) => "✗",
        Some(Severity::Warn) => "⚠",
        Some(Severity::Note) | None => "✓",
    }
}

/// The table, each member's findings under it, the roles, the manual parts and the verdict.
pub fn human(report: &MembersReport) -> String {
    let report = &report.for_display();
    let mut out = String::new();
    let inactive = report.members.iter().filter(|m| !m.active).count();
    let _ = writeln!(
        out,
        "API members: {} ({inactive} inactive), security roles: {}. Read with your keys; nothing was changed.\n",
        report.members.len(),
        report.roles.len()
    );
    if !report.members.is_empty() {
        let _ = writeln!(
            out,
            "  {} {} {} {} MATCHES (missing, extra)",
            cell("MEMBER", 15),
            cell("NAME", 18),
            cell("ROLE", 20),
            cell("LEVEL", 12)
        );
    }
    for m in &report.members {
        let role = if m.admin && !m.role.trim().eq_ignore_ascii_case("admin") {
            format!("{} (Admin)", m.role)
        } else {
            m.role.clone()
        };
        let name = if m.active {
            m.name.clone()
        } else {
            format!("{} (inactive)", m.name)
        };
        let line = format!(
            "{} {} {} {} {} {}",
            member_symbol(m),
            cell(&m.identifier, 15),
            cell(&name, 18),
            cell(&role, 20),
            cell(if m.level.is_empty() { "?" } else { &m.level }, 12),
            match_text(m)
        );
        let _ = writeln!(out, "{}", cell(&line, WIDTH).trim_end());
        for f in &m.findings {
            let first = format!("    {} {}:", f.severity.symbol(), f.id);
            out.push_str(&wrap(&first, 6, &f.text));
        }
    }
    roles_block(&mut out, report);
    for part in &report.manual {
        out.push('\n');
        out.push_str(&wrap("? manual:", 4, &part.summary));
        out.push_str(&wrap("    fix:", 6, &part.fix));
    }
    for error in &report.errors {
        out.push('\n');
        out.push_str(&wrap("✗ error:", 4, error));
    }
    let verdict = match report.verdict {
        Verdict::Pass => "PASS: no finding breaks an integration, and nothing needs acting on.",
        Verdict::Warn => {
            "PASS with warnings: nothing breaks an integration; read the ⚠ and ? lines."
        }
        Verdict::Fail => "FAIL: fix the ✗ lines (a tool's API member lacks rows it needs).",
    };
    let _ = writeln!(out, "\n{verdict}");
    out
}

fn roles_block(out: &mut String, report: &MembersReport) {
    let used: Vec<&RoleEntry> = report
        .roles
        .iter()
        .filter(|r| !r.members.is_empty())
        .collect();
    if used.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\nRoles used by API members ({} of {}):",
        used.len(),
        report.roles.len()
    );
    for r in used {
        let admin = if r.admin && !r.name.trim().eq_ignore_ascii_case("admin") {
            " (Admin)"
        } else {
            ""
        };
        let first = format!("  {}{admin}:", r.name);
        out.push_str(&wrap(&first, 6, &r.members.join(", ")));
    }
}

fn verdict_title(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Pass => "✓ PASS",
        Verdict::Warn => "⚠ PASS with warnings",
        Verdict::Fail => "✗ FAIL",
    }
}

/// The redacted Markdown report for `--report`: every outside text escaped
/// ([`markdown_text`]), no key (none is in the report), the site named as typed.
pub fn markdown(report: &MembersReport, site: &str) -> String {
    let report = &report.for_display();
    let e = |s: &str| markdown_text(s);
    let mut md = String::new();
    let now = time::OffsetDateTime::now_utc();
    let date = now
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| now.unix_timestamp().to_string());
    let _ = writeln!(
        md,
        "# cwsetup members: {}\n\n| | |\n|---|---|",
        verdict_title(report.verdict)
    );
    let _ = writeln!(md, "| Date (UTC) | {} |", e(&date));
    let _ = writeln!(md, "| cwsetup | {} |", env!("CARGO_PKG_VERSION"));
    let _ = writeln!(md, "| Site | {} |", e(site));
    let _ = writeln!(
        md,
        "| Keys | your own; redacted (no key is in this report) |"
    );
    let _ = writeln!(
        md,
        "\n## API members\n\n| Member | Name | Active | Role | Admin | Level | Location | Department | Excluded boards | Matches | Missing | Extra |\n|---|---|---|---|---|---|---|---|---|---|---|---|"
    );
    for m in &report.members {
        let (profile, missing, extra) = match &m.matched {
            Some(p) => (
                e(&p.profile),
                e(&p.missing.join("; ")),
                e(&p.extra.join("; ")),
            ),
            None => ("none".into(), String::new(), String::new()),
        };
        let boards: Vec<String> = m.excluded_boards.iter().map(i64::to_string).collect();
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {profile} | {missing} | {extra} |",
            e(&m.identifier),
            e(&m.name),
            if m.active { "yes" } else { "no" },
            e(&m.role),
            if m.admin { "yes" } else { "no" },
            e(&m.level),
            e(&m.location),
            e(&m.department),
            boards.join(", "),
        );
    }
    let with_findings: Vec<&MemberEntry> = report
        .members
        .iter()
        .filter(|m| !m.findings.is_empty())
        .collect();
    if !with_findings.is_empty() {
        let _ = writeln!(md, "\n## Findings");
        for m in with_findings {
            let _ = writeln!(md, "\n### {}\n", e(&m.identifier));
            for f in &m.findings {
                let _ = writeln!(md, "- {} `{}`: {}", f.severity.symbol(), f.id, e(&f.text));
            }
        }
    }
    let _ = writeln!(
        md,
        "\n## Roles\n\n| Role | Admin | API members |\n|---|---|---|"
    );
    for r in &report.roles {
        let _ = writeln!(
            md,
            "| {} | {} | {} |",
            e(&r.name),
            if r.admin { "yes" } else { "no" },
            e(&r.members.join(", "))
        );
    }
    if !report.manual.is_empty() || !report.errors.is_empty() {
        let _ = writeln!(md, "\n## Not read\n");
        for p in &report.manual {
            let _ = writeln!(md, "- ? {} Fix: {}", e(&p.summary), e(&p.fix));
        }
        for error in &report.errors {
            let _ = writeln!(md, "- ✗ {}", e(error));
        }
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_lines_fit_the_width_and_cells_cut_long_text() {
        let text = "word ".repeat(60) + &"x".repeat(150);
        for line in wrap("    ⚠ excluded-boards:", 6, &text).lines() {
            assert!(line.width() <= WIDTH, "{line}");
        }
        assert_eq!(cell("abcdef", 4), "abc…");
        assert_eq!(cell("ab", 4), "ab  ");
    }
}

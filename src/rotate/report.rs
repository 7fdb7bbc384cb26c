//! A rotation for people: the five steps, each with what cwsetup proved about it, for the
//! terminal and as a redacted Markdown report. Built from a [`RotateReport`] (no secret) and a
//! public-key hint of 4 characters; every outside text is made safe first.

use std::fmt::Write as _;

use crate::check::{Style, Verdict};
use crate::profile::Profile;
use crate::sanitize::{display_text, markdown_text};

use super::{OldKeyStatus, RotateReport};

/// Where a member's keys are, in ConnectWise's menus.
fn api_keys_place(member: &str) -> String {
    if member.is_empty() {
        "System > Members > API Members > (the member) > API Keys".into()
    } else {
        format!("System > Members > API Members > {member} > API Keys")
    }
}

/// The closing line: what the rotation proved, and what to do next.
fn verdict_line(report: &RotateReport) -> String {
    match (
        report.verdict,
        report.new_key.verdict,
        report.old_key.status,
    ) {
        (Verdict::Pass, _, _) => {
            "✓ ROTATED: the new key passed the full check and the old key is rejected.".into()
        }
        (Verdict::Warn, _, _) => {
            "⚠ ROTATED WITH WARNINGS: the old key is rejected and the new key \
             passed with warnings; read them above."
                .into()
        }
        (Verdict::Fail, Verdict::Fail, _) => "✗ NOT ROTATED: the new key failed its check. Keep \
             the old key (the integration still uses it), fix what failed, and run the rotation \
             again."
            .into(),
        (Verdict::Fail, _, OldKeyStatus::StillWorks) => "✗ NOT DONE: the old key still works. \
             Once the vendor's portal uses the new key, delete the old one (step 4) and run the \
             rotation again."
            .into(),
        (Verdict::Fail, _, OldKeyStatus::Rejected | OldKeyStatus::NotChecked) => {
            "✗ NOT PROVED: the old key could not be tried; see step 5, then run the rotation again."
                .into()
        }
    }
}

/// The width the step lines are wrapped to: readable in a 100-column terminal.
const WIDTH: usize = 98;

/// `text` wrapped at spaces to [`WIDTH`] columns, every line after the first indented by
/// `hang` spaces (a step's text under its number). A word longer than a line stays whole.
fn wrapped(text: &str, hang: usize) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let fits = line.chars().count() + 1 + word.chars().count() <= WIDTH;
        if !line.is_empty() && !fits {
            out.push_str(line.trim_end());
            out.push('\n');
            line = " ".repeat(hang);
        } else if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(line.trim_end());
    out.push('\n');
    out
}

/// Each line of `text` indented by `by` spaces (blank lines stay blank).
fn indented(text: &str, by: usize) -> String {
    let pad = " ".repeat(by);
    text.lines()
        .map(|l| {
            if l.is_empty() {
                "\n".to_string()
            } else {
                format!("{pad}{l}\n")
            }
        })
        .collect::<Vec<_>>()
        .join("")
}

/// The human output of `cwsetup rotate`: the five steps in order, the new key's full check under
/// step 2, the portal values under step 3 (once the new key passed), the old key's proof under
/// step 5, and the closing verdict.
pub fn human(report: &RotateReport, profiles: &[&Profile], style: Style) -> String {
    let member = display_text(&report.member_id);
    let check = report.new_key.for_display();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Key rotation for API member {} of company \"{}\" at {}\n",
        if member.is_empty() {
            "(unnamed)"
        } else {
            &member
        },
        check.company_id,
        check.site
    );
    if let Some(last) = &report.previous_rotation {
        let _ = writeln!(
            out,
            "{}\n",
            super::memory::age_sentence(&report.member_id, last, &report.date)
        );
    }
    let _ = writeln!(
        out,
        "1. Make the new key on the same member, described \"{}\":\n   {}: +. (Done: its keys were given.)",
        report.key_description(),
        api_keys_place(&member)
    );
    let _ = writeln!(out, "2. The new key, checked in full:");
    out.push_str(&indented(&crate::check::human(&report.new_key, style), 3));
    let passed = report.new_key.verdict != Verdict::Fail;
    if passed {
        let values = crate::check::portal_values(&report.new_key, profiles);
        if values.trim().is_empty() {
            let _ = writeln!(
                out,
                "3. Type the new keys into the vendor's portal, and save there."
            );
        } else {
            out.push_str(&wrapped(
                "3. Type these values into the vendor's portal (the new keys where it asks for \
                 keys), and save there:",
                3,
            ));
            out.push_str(&indented(values.trim_start_matches('\n'), 3));
        }
    } else {
        let _ = writeln!(
            out,
            "3. Not yet: type the new key into the vendor's portal only once it passes step 2."
        );
    }
    out.push_str(&wrapped(
        &format!(
            "4. Then delete the old key in ConnectWise: {} (the key with the older description).",
            api_keys_place(&member)
        ),
        3,
    ));
    let symbol = match report.old_key.status {
        OldKeyStatus::Rejected => "✓",
        OldKeyStatus::StillWorks => "✗",
        OldKeyStatus::NotChecked => "–",
    };
    out.push_str(&wrapped(
        &format!(
            "5. The old key, tried on system/info: {symbol} {}",
            display_text(&report.old_key.detail)
        ),
        3,
    ));
    out.push('\n');
    out.push_str(&wrapped(&verdict_line(report), 2));
    out
}

/// The redacted Markdown report of a rotation: the new key's check report (the same as `check
/// --report`), then the old key's proof and the steps. `public_key_hint` is the new public
/// key's first 4 characters and an ellipsis; the private keys are never passed in.
pub fn markdown(report: &RotateReport, profiles: &[&Profile], public_key_hint: &str) -> String {
    let mut md = crate::check::markdown(&report.new_key, profiles, public_key_hint);
    let member = report.member_id.as_str();
    let _ = writeln!(
        md,
        "\n## Key rotation\n\n| | |\n|---|---|\n| Rotation | {} |\n| API member | {} |\n| New key's description | {} |\n| New key | {} |\n| Old key | {} |\n| Old key, detail | {} |",
        markdown_text(&verdict_line(report)),
        markdown_text(member),
        markdown_text(&report.key_description()),
        match report.new_key.verdict {
            Verdict::Pass => "pass",
            Verdict::Warn => "pass with warnings",
            Verdict::Fail => "fail",
        },
        report.old_key.status.id(),
        markdown_text(&report.old_key.detail),
    );
    let _ = writeln!(
        md,
        "\nThe old key is deleted in ConnectWise on {}; a rotation is done when the old key is \
         rejected (401 on system/info).",
        markdown_text(&api_keys_place(member))
    );
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_step_lines_wrap_under_their_number() {
        let text = format!("5. {}", "word ".repeat(40));
        let out = wrapped(text.trim_end(), 3);
        assert!(out.lines().count() > 1, "{out}");
        for line in out.lines() {
            assert!(line.chars().count() <= WIDTH, "{line}");
        }
        assert!(
            out.lines().skip(1).all(|l| l.starts_with("   word")),
            "{out}"
        );
        assert_eq!(wrapped("short", 3), "short\n");
    }

    #[test]
    fn indenting_keeps_blank_lines_blank() {
        assert_eq!(indented("a\n\nb\n", 2), "  a\n\n  b\n");
    }
}

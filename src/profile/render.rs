//! The merged role as text (terminal), Markdown (a handoff checklist for a ConnectWise admin)
//! and JSON (for scripts).

use std::fmt::Write as _;

use super::merge::{MergedRole, MergedRow};
use super::model::{AdminAdvice, Profile};
use crate::permission::{Column, Levels};
use crate::sanitize::{display_lines, markdown_text};

mod handoff;

const HEADERS: [&str; 6] = ["Module", "Function", "Add", "Edit", "Delete", "Inquire"];

/// The sentence shown when a profile ships no rows, so nobody mistakes "no rows" for "no access".
fn rows_missing_sentence(label: &str, docs_url: &str) -> String {
    format!(
        "{label} ships no security role rows: its vendor publishes the requirements on its own page (start from {docs_url}). Add those rows in the wizard's Security role step (it saves them as a user profile), or write them into a profile file and pass it with --profile-file."
    )
}

fn function_cell(row: &MergedRow) -> String {
    let mut cell = row.function.clone();
    if row.optional {
        cell.push_str(" (optional)");
    }
    if let Some(setup) = &row.setup_only {
        cell.push_str(&format!(" ({})", setup.cell_note(&row.levels)));
    }
    cell
}

/// The optional rows with what each enables, one line each: "Companies / CRM/Sales Activities:
/// required for creating activities (Visionary 360 Email reConnector)". Empty when none.
pub(crate) fn optional_lines(role: &MergedRole) -> Vec<String> {
    role.rows
        .iter()
        .filter(|r| r.optional)
        .map(|r| {
            let reasons = if r.optional_because.is_empty() {
                "the vendor calls it optional".to_string()
            } else {
                r.optional_because.join("; ")
            };
            format!("{} / {}: {reasons}", r.module, r.function)
        })
        .collect()
}

/// The heading of [`optional_lines`].
pub(crate) const OPTIONAL_HEADING: &str =
    "Optional rows: the integration works without them, but loses what the vendor names:";

/// A blank line, `heading`, then each line indented; nothing when there are no lines.
fn text_section(out: &mut String, heading: &str, lines: impl IntoIterator<Item = String>) {
    let mut lines = lines.into_iter().peekable();
    if lines.peek().is_none() {
        return;
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "{heading}");
    for line in lines {
        let _ = writeln!(out, "  {line}");
    }
}

fn admin_sentence(role: &MergedRole) -> &'static str {
    match (role.admin, role.sources.len()) {
        (AdminAdvice::Discouraged, 1) => {
            "Do not use the built-in Admin role: the vendor discourages it. Create the role above."
        }
        (AdminAdvice::Discouraged, _) => {
            "Do not use the built-in Admin role: at least one of the vendors discourages it. Create the role above."
        }
        (AdminAdvice::Unstated, 1) => {
            "The vendor's page does not say whether the built-in Admin role is accepted: create the least-privilege role above."
        }
        (AdminAdvice::Unstated, _) => {
            "Not every vendor says whether the built-in Admin role is accepted: create the least-privilege role above."
        }
        (AdminAdvice::Acceptable, 1) => {
            "The vendor also accepts the built-in Admin role for simplicity; the role above is the least-privilege choice."
        }
        (AdminAdvice::Acceptable, _) => {
            "The vendors also accept the built-in Admin role for simplicity; the role above is the least-privilege choice."
        }
    }
}

fn for_whom(role: &MergedRole) -> String {
    role.sources
        .iter()
        .map(|s| format!("{} ({})", s.label, s.id))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The role for a terminal: an aligned table, then customize lists, reasons and notes. The text
/// of a profile file is outside text: the whole output goes through
/// [`crate::sanitize::display_lines`] (line breaks kept, every other control character and bidi
/// override shown as `�`).
pub fn render_text(role: &MergedRole) -> String {
    display_lines(&render_text_raw(role))
}

fn render_text_raw(role: &MergedRole) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Security role \"{}\" for {}",
        role.role_name,
        for_whom(role)
    );
    let _ = writeln!(out);

    if role.rows.is_empty() {
        let _ = writeln!(out, "No rows yet.");
    } else {
        let cells: Vec<[String; 6]> = role
            .rows
            .iter()
            .map(|r| {
                let [a, e, d, i] = Column::ALL.map(|c| r.levels.get(c).to_string());
                [r.module.clone(), function_cell(r), a, e, d, i]
            })
            .collect();
        let mut widths = HEADERS.map(str::len);
        for row in &cells {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let line = |cells: &[&str]| {
            let mut s = String::new();
            for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
                if i + 1 == cells.len() {
                    s.push_str(cell);
                } else {
                    let _ = write!(s, "{cell:<w$}  ");
                }
            }
            s
        };
        let _ = writeln!(out, "{}", line(&HEADERS));
        for row in &cells {
            let refs: Vec<&str> = row.iter().map(String::as_str).collect();
            let _ = writeln!(out, "{}", line(&refs));
        }
        let _ = writeln!(out, "Every function not listed: None.");
        text_section(&mut out, OPTIONAL_HEADING, optional_lines(role));
    }
    for source in role.sources_without_rows() {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{}",
            rows_missing_sentence(&source.label, &source.docs_url)
        );
    }

    let named =
        |row: &MergedRow, text: String| format!("{} / {}: {text}", row.module, row.function);
    text_section(
        &mut out,
        "Customize (allow access to at least these):",
        role.rows
            .iter()
            .filter(|r| !r.customize.is_empty())
            .map(|r| named(r, r.customize.join(", "))),
    );
    text_section(
        &mut out,
        &format!("{DENY_HEADING}:"),
        role.rows
            .iter()
            .filter(|r| r.customize_deny.is_some())
            .map(|r| named(r, deny_cell(r))),
    );
    text_section(
        &mut out,
        &format!("{SETUP_HEADING}:"),
        role.rows
            .iter()
            .filter(|r| r.setup_only.is_some())
            .map(setup_line),
    );

    if !role.rows.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "Why:");
        for row in &role.rows {
            let _ = writeln!(out, "  {} / {}", row.module, row.function);
            for why in &row.why {
                let _ = writeln!(out, "    {why}");
            }
        }
    }

    let _ = writeln!(out);
    let _ = writeln!(out, "{}", admin_sentence(role));
    if !role.notes.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "Notes:");
        for note in &role.notes {
            let _ = writeln!(out, "  - {note}");
        }
    }
    out
}

const DENY_HEADING: &str = "Customize deny-list (allow access to every table except these: move only these to \"Disallow access to these\")";
const SETUP_HEADING: &str =
    "Lower after setup (the vendor needs these levels only while its setup runs)";

/// A deny-list row's Customize, or nothing.
fn deny_cell(row: &MergedRow) -> String {
    match row.customize_deny {
        Some(_) => row.customize_phrase().unwrap_or_default(),
        None => String::new(),
    }
}

/// "System / Table Setup: once the vendor's setup is done, lower Add All → None (reason)".
fn setup_line(row: &MergedRow) -> String {
    format!(
        "{} / {}: {}",
        row.module,
        row.function,
        row.setup_phrase().unwrap_or_default()
    )
}

/// Outside text in the Markdown: one line, no control or bidi character, Markdown and HTML
/// escaped, so it stays in its table cell and cannot format, link or inject HTML.
fn md_cell(s: &str) -> String {
    markdown_text(s)
}

/// A web address as an autolink `<…>` when it is a plain http(s) address, else as escaped text.
fn md_link(url: &str) -> String {
    let plain = (url.starts_with("https://") || url.starts_with("http://"))
        && url
            .chars()
            .all(|c| c.is_ascii_graphic() && !matches!(c, '<' | '>' | '`' | '\\' | '"'));
    if plain {
        format!("<{url}>")
    } else {
        markdown_text(url)
    }
}

/// The same for an administrator who only has the checklist.
fn rows_missing_for_admin(label: &str, docs_url: &str) -> String {
    format!(
        "{label}: this checklist has no rows for it, because its vendor publishes the security role requirements on its own page (start from {docs_url}). Set every function listed there on this role too, leaving levels that are already higher."
    )
}

/// Text written for the technician's tool (it names cwsetup's own steps): left out of the
/// administrator's checklist, which must read without cwsetup.
fn for_admin(text: &str) -> bool {
    !text.to_lowercase().contains("cwsetup")
}

/// `text` without its sentences that speak of cwsetup (what it can check is not the admin's).
fn without_cwsetup_sentences(text: &str) -> String {
    text.split_inclusive(". ")
        .filter(|sentence| for_admin(sentence))
        .collect::<String>()
        .trim()
        .to_string()
}

/// How the API members are shared in a handoff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HandoffMember {
    /// One new member for every tool (the first profile's fields), one key per tool.
    #[default]
    OneMember,
    /// One new member for every tool, with one key they share.
    OneMemberSharedKey,
    /// The administrator adds the rows to an existing API member's role and makes keys on it.
    Existing,
}

/// Where a profile's role rows come from, and when they were read, for an admin to check.
fn source_sentence(profile: &Profile) -> String {
    let read = profile
        .as_of
        .as_deref()
        .map_or("date not recorded".to_string(), |d| {
            format!("read {}", md_cell(d))
        });
    match profile
        .source_url
        .as_deref()
        .filter(|u| !u.trim().is_empty())
    {
        Some(url) if url == profile.docs_url => {
            format!("Source of the role rows: the guide above ({read}).")
        }
        Some(url) => format!("Source of the role rows: {} ({read}).", md_link(url)),
        None => format!("Source of the role rows: not recorded ({read})."),
    }
}

/// The profiles' own texts name their links by field (`source_url`, `docs_url`): an admin reading
/// the handoff sees the links at the top instead.
fn name_the_links(text: String) -> String {
    text.replace("source\\_url", "source linked at the top")
        .replace("source_url", "source linked at the top")
        .replace("docs\\_url", "guide linked at the top")
        .replace("docs_url", "guide linked at the top")
}

/// A checklist a ConnectWise administrator can follow when the technician is not one: where to
/// click, the table of levels, the notes, then the API member's fields and the key description.
/// `profiles` are the profiles merged into `role`, in the same order.
pub fn render_markdown(role: &MergedRole, profiles: &[&Profile]) -> String {
    render_handoff(role, profiles, HandoffMember::OneMember)
}

/// [`render_markdown`] for a member plan: one new member (one key per tool or one shared key),
/// or an existing member whose role gets the rows.
pub fn render_handoff(role: &MergedRole, profiles: &[&Profile], plan: HandoffMember) -> String {
    name_the_links(handoff::render_handoff_raw(role, profiles, plan))
}

/// The shape scripts rely on: only these keys, in this order.
#[derive(serde::Serialize)]
struct JsonRole<'a> {
    profiles: &'a [String],
    role_name: &'a str,
    rows: Vec<JsonRow<'a>>,
    notes: &'a [String],
}

#[derive(serde::Serialize)]
struct JsonRow<'a> {
    module: &'a str,
    function: &'a str,
    #[serde(flatten)]
    levels: Levels,
    optional: bool,
    /// What stops working without an optional row, per tool ("Product: reason"); empty when
    /// the row is required.
    optional_because: &'a [String],
    why: &'a [String],
    customize: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    customize_deny: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    setup_only: Option<super::scope::JsonSetupOnly<'a>>,
}

/// `{"profiles","role_name","rows":[{"module","function","add","edit","delete","inquire","optional","optional_because","why","customize"}],"notes"}`;
/// a row with a Customize deny-list adds `"customize_deny":[tables]`, and one with levels needed
/// only during setup `"setup_only":{"levels":["add"],"after_setup":{"add",...},"why":[...]}`,
/// pretty-printed, with a trailing newline.
pub fn render_json(role: &MergedRole) -> String {
    let json = JsonRole {
        profiles: &role.profiles,
        role_name: &role.role_name,
        rows: role
            .rows
            .iter()
            .map(|r| JsonRow {
                module: &r.module,
                function: &r.function,
                levels: r.levels,
                optional: r.optional,
                optional_because: &r.optional_because,
                why: &r.why,
                customize: &r.customize,
                customize_deny: r.customize_deny.as_deref(),
                setup_only: r.setup_only.as_ref().map(|s| s.json(&r.levels)),
            })
            .collect(),
        notes: &role.notes,
    };
    let mut text = serde_json::to_string_pretty(&json)
        .expect("the role holds only strings, lists, booleans and enums, which always serialize");
    text.push('\n');
    crate::sanitize::json_for_terminal(&text)
}

//! The merged role as text (terminal), Markdown (a handoff checklist for a ConnectWise admin)
//! and JSON (for scripts).

use std::fmt::Write as _;

use super::merge::{MergedRole, MergedRow, product_label};
use super::model::{AdminAdvice, Profile};
use crate::permission::{Column, Levels};
use crate::sanitize::{display_lines, markdown_code, markdown_text};

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

/// A checklist a ConnectWise administrator can follow when the technician is not one: where to
/// click, the table of levels, the notes, then the API member's fields and the key description.
/// `profiles` are the profiles merged into `role`, in the same order.
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

pub fn render_markdown(role: &MergedRole, profiles: &[&Profile]) -> String {
    render_handoff(role, profiles, HandoffMember::OneMember)
}

/// [`render_markdown`] for a member plan: one new member (one key per tool or one shared key),
/// or an existing member whose role gets the rows.
pub fn render_handoff(role: &MergedRole, profiles: &[&Profile], plan: HandoffMember) -> String {
    name_the_links(render_handoff_raw(role, profiles, plan))
}

fn render_handoff_raw(role: &MergedRole, profiles: &[&Profile], plan: HandoffMember) -> String {
    let mut out = String::new();
    let products: Vec<String> = profiles.iter().map(|p| product_label(p)).collect();
    let _ = writeln!(
        out,
        "# ConnectWise setup for {}: security role, API member and key",
        md_cell(&products.join(" + "))
    );
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "A checklist for a ConnectWise Manage administrator, prepared from the vendor's setup guide. Tick each box as you go."
    );
    let _ = writeln!(out);
    for profile in profiles {
        let _ = writeln!(
            out,
            "- {} guide: {}",
            md_cell(&product_label(profile)),
            md_link(&profile.docs_url)
        );
        let _ = writeln!(out, "  - {}", source_sentence(profile));
    }
    let _ = writeln!(out);

    // 1. The role.
    let mut instructions: Vec<String> = Vec::new();
    if plan == HandoffMember::Existing {
        let _ = writeln!(out, "## 1. Security role of the existing API member");
        instructions.push("Open System > Members, click the API Members tab and open the existing API member these tools will use: note its Role ID.".into());
        instructions.push(
            "Open System > Security Roles and open that role (do not create a new one).".into(),
        );
        instructions.push("Raise each function below to at least the levels listed. Keep any level that is already higher: the role may serve other tools.".into());
        instructions.push("Save the security role.".into());
    } else {
        let _ = writeln!(out, "## 1. Security role \"{}\"", md_cell(&role.role_name));
        for (i, profile) in profiles.iter().enumerate() {
            let own = profile.role.recommended_name.trim();
            for step in &profile.role.instructions {
                // Only the first tool's lines name the role (as the merged name).
                if (i > 0 && !own.is_empty() && step.contains(own)) || !for_admin(step) {
                    continue;
                }
                let step = if own.is_empty() {
                    step.clone()
                } else {
                    step.replace(own, &role.role_name)
                };
                if !instructions.contains(&step) {
                    instructions.push(step);
                }
            }
        }
        let (save, mut rest): (Vec<String>, Vec<String>) = instructions
            .into_iter()
            .partition(|s| s.starts_with("Save the security role"));
        rest.extend(save.into_iter().take(1));
        instructions = rest;
    }
    let _ = writeln!(out);
    for step in &instructions {
        let _ = writeln!(out, "- [ ] {}", md_cell(step));
    }
    let _ = writeln!(out);
    if role.rows.is_empty() {
        let _ = writeln!(out, "No rows yet.");
    } else {
        let _ = writeln!(
            out,
            "| Module | Function | Add | Edit | Delete | Inquire | Customize |"
        );
        let _ = writeln!(out, "|---|---|---|---|---|---|---|");
        for row in &role.rows {
            let [a, e, d, i] = Column::ALL.map(|c| row.levels.get(c).to_string());
            let customize = if row.customize_deny.is_some() {
                deny_cell(row)
            } else {
                row.customize.join(", ")
            };
            let _ = writeln!(
                out,
                "| {} | {} | {a} | {e} | {d} | {i} | {} |",
                md_cell(&row.module),
                md_cell(&function_cell(row)),
                md_cell(&customize)
            );
        }
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "Every function not listed: None. Customize: if you restrict the function, allow access to at least the tables listed."
        );
        let optional = optional_lines(role);
        if !optional.is_empty() {
            let _ = writeln!(out);
            let _ = writeln!(out, "{OPTIONAL_HEADING}");
            let _ = writeln!(out);
            for line in optional {
                let _ = writeln!(out, "- {}", md_cell(&line));
            }
        }
        if role.rows.iter().any(|r| r.customize_deny.is_some()) {
            let _ = writeln!(out);
            let _ = writeln!(
                out,
                "A \"disallow only\" Customize is a deny-list: keep every other table in Allow Access and move only the tables named to \"Disallow access to these\"."
            );
        }
        let setup_rows: Vec<&MergedRow> = role
            .rows
            .iter()
            .filter(|r| r.setup_only.is_some())
            .collect();
        if !setup_rows.is_empty() {
            let _ = writeln!(out);
            let _ = writeln!(out, "### {SETUP_HEADING}");
            let _ = writeln!(out);
            for row in setup_rows {
                let _ = writeln!(out, "- [ ] {}", md_cell(&setup_line(row)));
            }
        }
    }
    for source in role.sources_without_rows() {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "> **{}**",
            md_cell(&rows_missing_for_admin(&source.label, &source.docs_url))
        );
    }
    if !role.rows.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "### Why each row");
        let _ = writeln!(out);
        for row in &role.rows {
            let _ = writeln!(
                out,
                "- **{} / {}**: {}",
                md_cell(&row.module),
                md_cell(&row.function),
                md_cell(&without_cwsetup_sentences(&row.why.join(" ")))
            );
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "### Notes");
    let _ = writeln!(out);
    let _ = writeln!(out, "- {}", admin_sentence(role));
    for note in role.notes.iter().filter(|n| for_admin(n)) {
        let _ = writeln!(out, "- {}", md_cell(note));
    }
    let _ = writeln!(out);

    // 2. The member(s).
    let _ = writeln!(out, "## 2. API member");
    let _ = writeln!(out);
    if plan == HandoffMember::Existing {
        let _ = writeln!(
            out,
            "- [ ] Open the existing API member and check that its Role ID is the role above, its Level is Corporate (a lower level sees only the records inside it) and it is not inactive."
        );
        let _ = writeln!(out);
    } else {
        if profiles.len() > 1 {
            let _ = writeln!(
                out,
                "One API member serves all of these tools, with the role above. Create it once, with these fields."
            );
            let _ = writeln!(out);
        }
        let member = &profiles[0].member;
        for step in member.instructions.iter().filter(|s| for_admin(s)) {
            let _ = writeln!(out, "- [ ] {}", md_cell(step));
        }
        let _ = writeln!(out);
        let _ = writeln!(out, "| Field | Value |");
        let _ = writeln!(out, "|---|---|");
        let _ = writeln!(out, "| Member ID | {} |", markdown_code(&member.member_id));
        if let Some(name) = &member.name {
            let _ = writeln!(out, "| Member Name | {} |", md_cell(name));
        }
        if let Some(first) = &member.first_name {
            let _ = writeln!(out, "| First Name | {} |", md_cell(first));
        }
        if let Some(last) = &member.last_name {
            let _ = writeln!(out, "| Last Name | {} |", md_cell(last));
        }
        let _ = writeln!(out, "| Security role | {} |", md_cell(&role.role_name));
        let _ = writeln!(out, "| Department | {} |", md_cell(&member.department));
        let _ = writeln!(out, "| Location | {} |", md_cell(&member.location));
        let _ = writeln!(
            out,
            "| Structure level | {} |",
            md_cell(&member.structure_level)
        );
        if !member.notes.is_empty() {
            let _ = writeln!(out);
            for note in member.notes.iter().filter(|n| for_admin(n)) {
                let _ = writeln!(out, "- {}", md_cell(note));
            }
        }
        let _ = writeln!(out);
    }

    // 3. The key(s).
    let shared = plan == HandoffMember::OneMemberSharedKey && profiles.len() > 1;
    let member_phrase = match plan {
        HandoffMember::Existing => "the existing API member".to_string(),
        _ => format!("the {} API member", profiles[0].member.member_id.trim()),
    };
    let _ = writeln!(
        out,
        "## 3. API key{}",
        if profiles.len() > 1 && !shared {
            "s (one per tool)"
        } else {
            ""
        }
    );
    let _ = writeln!(out);
    let keyed: &[&Profile] = if shared { &profiles[..1] } else { profiles };
    for profile in keyed {
        let key = &profile.key;
        if profiles.len() > 1 && !shared {
            let _ = writeln!(out, "### {}", md_cell(&product_label(profile)));
            let _ = writeln!(out);
        }
        let id = profile.member.member_id.trim();
        for step in key.instructions.iter().filter(|s| for_admin(s)) {
            let step = step
                .replace(&format!("the {id} API member"), &member_phrase)
                .replace(&format!("the {id} member"), &member_phrase);
            let _ = writeln!(out, "- [ ] {}", md_cell(&step));
        }
        let _ = writeln!(
            out,
            "- [ ] Note both keys before leaving the screen: the private key cannot be seen again."
        );
        let _ = writeln!(out);
        let description = if shared {
            profiles
                .iter()
                .map(|p| p.key.description.trim())
                .collect::<Vec<_>>()
                .join(" + ")
        } else {
            key.description.clone()
        };
        let _ = writeln!(out, "Key description: {}", markdown_code(&description));
        for warning in key.warnings.iter().filter(|w| for_admin(w)) {
            let _ = writeln!(out);
            let _ = writeln!(out, "> **Warning:** {}", md_cell(warning));
        }
        let _ = writeln!(out);
    }

    // 4. Hand-over.
    let _ = writeln!(out, "## 4. Hand over");
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "- [ ] Give the technician the public and private key{} through a password manager or another secure channel, never in chat or email.",
        if profiles.len() > 1 && !shared {
            " of each tool"
        } else {
            ""
        }
    );
    let _ = writeln!(
        out,
        "- [ ] Tell them the ConnectWise company ID (the one typed on the login screen) and the site address."
    );
    out
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

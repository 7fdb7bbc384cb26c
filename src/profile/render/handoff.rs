//! The administrator's handoff checklist, section by section: the guides, the security role, the
//! API member, the key(s) and the hand-over. Each section writes its Markdown in order into `out`.

use std::fmt::Write as _;

use super::super::merge::{MergedRole, MergedRow, product_label};
use super::super::model::Profile;
use super::{
    HandoffMember, OPTIONAL_HEADING, SETUP_HEADING, admin_sentence, deny_cell, for_admin,
    function_cell, md_cell, md_link, optional_lines, rows_missing_for_admin, setup_line,
    source_sentence, without_cwsetup_sentences,
};
use crate::permission::Column;
use crate::sanitize::markdown_code;

pub(super) fn render_handoff_raw(
    role: &MergedRole,
    profiles: &[&Profile],
    plan: HandoffMember,
) -> String {
    let mut out = String::new();
    intro(&mut out, profiles);
    role_section(&mut out, role, profiles, plan);
    member_section(&mut out, role, profiles, plan);
    keys_section(&mut out, profiles, plan);
    hand_over(&mut out, profiles, plan);
    out
}

/// One key per tool unless the plan shares one key (which only matters with several tools).
fn one_key_per_tool(profiles: &[&Profile], plan: HandoffMember) -> bool {
    profiles.len() > 1 && !shared_key(profiles, plan)
}

fn shared_key(profiles: &[&Profile], plan: HandoffMember) -> bool {
    plan == HandoffMember::OneMemberSharedKey && profiles.len() > 1
}

/// The title, who the checklist is for, and each tool's guide with where its rows come from.
fn intro(out: &mut String, profiles: &[&Profile]) {
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
}

/// Section 1: the heading and steps, the table of levels, the missing-rows warnings, why each
/// row is needed, and the notes.
fn role_section(out: &mut String, role: &MergedRole, profiles: &[&Profile], plan: HandoffMember) {
    let instructions = if plan == HandoffMember::Existing {
        let _ = writeln!(out, "## 1. Security role of the existing API member");
        existing_role_steps()
    } else {
        let _ = writeln!(out, "## 1. Security role \"{}\"", md_cell(&role.role_name));
        new_role_steps(role, profiles)
    };
    let _ = writeln!(out);
    for step in &instructions {
        let _ = writeln!(out, "- [ ] {}", md_cell(step));
    }
    let _ = writeln!(out);
    if role.rows.is_empty() {
        let _ = writeln!(out, "No rows yet.");
    } else {
        role_table(out, role);
        role_table_notes(out, role, plan);
    }
    for source in role.sources_without_rows() {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "> **{}**",
            md_cell(&rows_missing_for_admin(&source.label, &source.docs_url))
        );
    }
    why_each_row(out, role);
    role_notes(out, role, plan);
}

/// The steps for raising an existing member's role: cwsetup's own wording, no profile's.
fn existing_role_steps() -> Vec<String> {
    vec![
        "Open System > Members, click the API Members tab and open the existing API member these tools will use: note its Role ID.".into(),
        "Open System > Security Roles and open that role (do not create a new one).".into(),
        "Raise each function below to at least the levels listed. Keep any level that is already higher: the role may serve other tools.".into(),
        "Save the security role.".into(),
    ]
}

/// The profiles' steps for creating the role, for an admin: each once, with the merged role's
/// name, and a single "Save the security role" step last.
fn new_role_steps(role: &MergedRole, profiles: &[&Profile]) -> Vec<String> {
    let mut instructions: Vec<String> = Vec::new();
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
    rest
}

/// The table of levels and Customize, one line per row.
fn role_table(out: &mut String, role: &MergedRole) {
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
}

/// What the table leaves implicit: unlisted functions, optional rows, deny-lists and the levels
/// to lower after setup.
fn role_table_notes(out: &mut String, role: &MergedRole, plan: HandoffMember) {
    let _ = writeln!(out);
    let unlisted = if plan == HandoffMember::Existing {
        // The role exists and may serve other tools: nothing on it is lowered.
        "Every function not listed: keep the level the role already has (it may serve other tools)."
    } else {
        "Every function not listed: None."
    };
    let _ = writeln!(
        out,
        "{unlisted} Customize: if you restrict the function, allow access to at least the tables listed."
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

/// Each row's reasons, without the sentences meant for cwsetup's user; nothing without rows.
fn why_each_row(out: &mut String, role: &MergedRole) {
    if role.rows.is_empty() {
        return;
    }
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

/// The Admin-role advice, then the role's notes meant for an admin.
fn role_notes(out: &mut String, role: &MergedRole, plan: HandoffMember) {
    let _ = writeln!(out);
    let _ = writeln!(out, "### Notes");
    let _ = writeln!(out);
    let _ = writeln!(out, "- {}", admin_sentence(role));
    let notes: Vec<&String> = if plan == HandoffMember::Existing {
        role.notes_for_an_existing_role().collect()
    } else {
        role.notes.iter().collect()
    };
    for note in notes.into_iter().filter(|n| for_admin(n)) {
        let note = if plan == HandoffMember::Existing {
            crate::profile::for_an_existing_role(note)
        } else {
            note.clone()
        };
        let _ = writeln!(out, "- {}", md_cell(&note));
    }
    let _ = writeln!(out);
}

/// Section 2: check the existing member, or create one with the first profile's fields.
fn member_section(out: &mut String, role: &MergedRole, profiles: &[&Profile], plan: HandoffMember) {
    let _ = writeln!(out, "## 2. API member");
    let _ = writeln!(out);
    if plan == HandoffMember::Existing {
        let _ = writeln!(
            out,
            "- [ ] Open the existing API member and check that its Role ID is the role above, its Level is Corporate (a lower level sees only the records inside it) and it is not inactive."
        );
        let _ = writeln!(out);
        return;
    }
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
    member_fields(out, role, profiles[0]);
    if !member.notes.is_empty() {
        let _ = writeln!(out);
        for note in member.notes.iter().filter(|n| for_admin(n)) {
            let _ = writeln!(out, "- {}", md_cell(note));
        }
    }
    let _ = writeln!(out);
}

/// The new member's fields as a table; the optional names only when the profile gives them.
fn member_fields(out: &mut String, role: &MergedRole, profile: &Profile) {
    let member = &profile.member;
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
}

/// Section 3: one key per tool, or one shared key (the first profile's steps, every tool's
/// description joined).
fn keys_section(out: &mut String, profiles: &[&Profile], plan: HandoffMember) {
    let shared = shared_key(profiles, plan);
    let per_tool = one_key_per_tool(profiles, plan);
    let member_phrase = match plan {
        HandoffMember::Existing => "the existing API member".to_string(),
        _ => format!("the {} API member", profiles[0].member.member_id.trim()),
    };
    let _ = writeln!(
        out,
        "## 3. API key{}",
        if per_tool { "s (one per tool)" } else { "" }
    );
    let _ = writeln!(out);
    let keyed: &[&Profile] = if shared { &profiles[..1] } else { profiles };
    for (i, profile) in keyed.iter().enumerate() {
        if per_tool {
            let _ = writeln!(out, "### {}", md_cell(&product_label(profile)));
            let _ = writeln!(out);
        }
        key_steps(out, profile, &member_phrase, i == 0);
        let description = if shared {
            profiles
                .iter()
                .map(|p| p.key.description.trim())
                .collect::<Vec<_>>()
                .join(" + ")
        } else {
            profile.key.description.clone()
        };
        let _ = writeln!(out, "Key description: {}", markdown_code(&description));
        // The checklist's last step already says the private key is shown once, and what to
        // do if it is lost: a vendor's warning saying the same is not repeated.
        for warning in profile
            .key
            .warnings
            .iter()
            .filter(|w| for_admin(w) && !w.contains("cannot be seen again"))
        {
            let _ = writeln!(out);
            let _ = writeln!(out, "> **Warning:** {}", md_cell(warning));
        }
        let _ = writeln!(out);
    }
}

/// A profile's key steps, naming the member the plan uses rather than the profile's own.
fn key_steps(out: &mut String, profile: &Profile, member_phrase: &str, first: bool) {
    let id = profile.member.member_id.trim();
    for step in profile.key.instructions.iter().filter(|s| for_admin(s)) {
        let step = step
            .replace(&format!("the {id} API member"), member_phrase)
            .replace(&format!("the {id} member"), member_phrase);
        let _ = writeln!(out, "- [ ] {}", md_cell(&step));
    }
    let _ = writeln!(
        out,
        "{}",
        if first {
            "- [ ] Note both keys before leaving the screen: the private key cannot be seen again (if it is lost, delete the key and make a new one)."
        } else {
            "- [ ] Note both keys before leaving the screen, as for the first key."
        }
    );
    let _ = writeln!(out);
}

/// Section 4: how the keys and the login details reach the technician.
fn hand_over(out: &mut String, profiles: &[&Profile], plan: HandoffMember) {
    let _ = writeln!(out, "## 4. Hand over");
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "- [ ] Give the technician the public and private key{} through a password manager or another secure channel, never in chat or email.",
        if one_key_per_tool(profiles, plan) {
            " of each tool"
        } else {
            ""
        }
    );
    let _ = writeln!(
        out,
        "- [ ] Tell them the ConnectWise company ID (the one typed on the login screen) and the site address."
    );
}

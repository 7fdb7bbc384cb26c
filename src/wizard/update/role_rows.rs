//! The security role's actions on step 2: adding, editing and deleting rows (the row editor's
//! save included), saving them as a profile, and copying the admin handoff.

use crate::profile;
use crate::setup::content::{CopyValue, ValueSource};

use super::Effect;
use crate::wizard::app::{App, Overlay, Pane, StepId, Tone};
use crate::wizard::keymap::Action;
use crate::wizard::role_editor::RoleEditor;

pub(super) fn on_action(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::AddRow => app.overlay = Some(Overlay::Editor(Box::new(RoleEditor::new_row()))),
        Action::EditRow => {
            if let Some(row) = focused_role_row(app) {
                app.overlay = Some(Overlay::Editor(Box::new(RoleEditor::edit(&row))));
            }
        }
        Action::DeleteRow => delete_row(app),
        Action::SaveProfile => {
            if let Some(index) = app.primary_profile_index() {
                return vec![Effect::SaveProfile(index)];
            }
        }
        Action::CopyHandoff => return copy_handoff(app),
        _ => {}
    }
    Vec::new()
}

/// `h`: the role as a Markdown checklist for a ConnectWise admin, copied.
fn copy_handoff(app: &mut App) -> Vec<Effect> {
    let text = crate::setup::content::handoff_markdown(&app.selected_profiles(), app.plan());
    if text.is_empty() {
        app.set_status(Tone::Warn, "select a vendor profile first");
        return Vec::new();
    }
    vec![Effect::Copy(CopyValue {
        label: "Admin handoff (Markdown)".into(),
        value: ValueSource::Text(text),
    })]
}

fn focused_role_row(app: &App) -> Option<crate::profile::RoleRow> {
    let content = app.content(StepId::SecurityRole);
    let row = content.role_row_at(app.cursor(Pane::RoleTable))?;
    let index = app.primary_profile_index()?;
    let own = app.profiles[index]
        .role
        .rows
        .iter()
        .find(|r| r.module == row.module && r.function == row.function)
        .cloned();
    Some(own.unwrap_or_else(|| crate::profile::RoleRow {
        module: row.module.clone(),
        function: row.function.clone(),
        levels: row.levels,
        why: row.why.join("; "),
        optional: row.optional,
        optional_reason:
            (!row.optional_because.is_empty()).then(|| row.optional_because.join("; ")),
        probe: row.probe.clone(),
        customize: row.customize.clone(),
        customize_deny: row.customize_deny.clone().unwrap_or_default(),
        setup_only: None,
    }))
}

fn delete_row(app: &mut App) {
    let Some(row) = focused_role_row(app) else {
        return;
    };
    let Some(index) = app.primary_profile_index() else {
        return;
    };
    let rows = &mut app.profiles[index].role.rows;
    let before = rows.len();
    rows.retain(|r| !(r.module == row.module && r.function == row.function));
    if rows.len() < before {
        app.edited_profiles.insert(index);
        app.set_status(
            Tone::Info,
            format!(
                "removed {} / {}; s saves the role as a profile file",
                row.module, row.function
            ),
        );
        let len = app.list_len(Pane::RoleTable);
        let cursor = app
            .cursors
            .entry((StepId::SecurityRole, Pane::RoleTable))
            .or_insert(0);
        *cursor = (*cursor).min(len.saturating_sub(1));
    } else {
        app.set_status(
            Tone::Warn,
            format!(
                "{} / {} comes from another selected profile; deselect that profile to drop it",
                row.module, row.function
            ),
        );
    }
}

pub(super) fn save_editor(app: &mut App) {
    let Some(Overlay::Editor(editor)) = &mut app.overlay else {
        return;
    };
    let row = match editor.row() {
        Ok(row) => row,
        Err(problem) => {
            editor.error = Some(problem);
            return;
        }
    };
    let original = editor.original.clone();
    let Some(index) = app.primary_profile_index() else {
        return;
    };
    let rows = &mut app.profiles[index].role.rows;
    let duplicate = rows.iter().any(|r| {
        r.module.eq_ignore_ascii_case(&row.module)
            && r.function.eq_ignore_ascii_case(&row.function)
            && original.as_ref() != Some(&(r.module.clone(), r.function.clone()))
    });
    if duplicate {
        if let Some(Overlay::Editor(editor)) = &mut app.overlay {
            editor.error = Some(format!(
                "{} / {} is already in the role: edit that row instead",
                row.module, row.function
            ));
        }
        return;
    }
    let label = format!("{} / {}", row.module, row.function);
    match original.and_then(|(m, f)| rows.iter().position(|r| r.module == m && r.function == f)) {
        Some(i) => {
            // The editor changes names, levels and the reason; what it does not show (the
            // probe that verifies the row, Table Setup's customize list, optional and why) is kept.
            let kept = &rows[i];
            let row = profile::RoleRow {
                optional: kept.optional,
                optional_reason: kept.optional_reason.clone(),
                probe: kept.probe.clone(),
                customize: kept.customize.clone(),
                customize_deny: kept.customize_deny.clone(),
                setup_only: kept.setup_only.clone(),
                ..row
            };
            rows[i] = row;
        }
        None => rows.push(row),
    }
    app.edited_profiles.insert(index);
    app.overlay = None;
    app.set_status(
        Tone::Info,
        format!("saved {label}; s saves the role as a profile file you can reuse"),
    );
}

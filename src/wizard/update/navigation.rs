//! Moving through the wizard: between steps, panes and rows, ticking and choosing, copying,
//! the vendor filter and the switch for "check my work as I go".

use super::Effect;
use super::test_run::start_check;
use crate::setup::content::{CopyValue, ValueSource};
use crate::wizard::app::{App, FieldId, Hosting, Overlay, Pane, StepId, Tone};
use crate::wizard::keymap::Context;
use crate::wizard::view;

pub(super) fn next(app: &mut App) -> Vec<Effect> {
    if app.context() == Context::Field {
        let panes = app.panes();
        let following = panes.get(app.focus + 1).copied();
        return match following {
            Some(Pane::Field(_)) => {
                app.focus += 1;
                Vec::new()
            }
            _ if app.step == StepId::Integration => start_check(app),
            _ => {
                if let Some(step) = app.step.next() {
                    go_to(app, step);
                }
                Vec::new()
            }
        };
    }
    if let Some(step) = app.step.next() {
        go_to(app, step);
    }
    Vec::new()
}

/// Arrives on `step` with no text field focused: the cursor goes into a field only by an
/// explicit Tab or click. Messages about the step left behind are cleared.
pub fn go_to(app: &mut App, step: StepId) {
    if app.step != step {
        app.status = None;
    }
    app.setup.arrive(step);
    app.focus = 0;
    app.item_scroll = 0;
    app.just_arrived = true;
    // Arriving never puts the keyboard in a field, the vendor filter's included.
    app.vendor_filter.editing = false;
}

pub(super) fn move_cursor(app: &mut App, down: bool) {
    let pane = app.focused_pane();
    let len = app.list_len(pane);
    if len == 0 {
        return;
    }
    // An item taller than its pane is read to its end, row by row, before the cursor moves on.
    let hidden = view::cursor_rows_hidden(app, pane);
    if down && app.item_scroll < hidden {
        app.item_scroll += 1;
        return;
    }
    if !down && app.item_scroll > 0 {
        app.item_scroll = app.item_scroll.min(hidden).saturating_sub(1);
        return;
    }
    let cursor = app.cursors.entry((app.step, pane)).or_insert(0);
    let before = *cursor;
    *cursor = if down {
        (*cursor + 1).min(len - 1)
    } else {
        cursor.saturating_sub(1)
    };
    if *cursor != before {
        app.item_scroll = 0;
    }
}

pub(super) fn toggle(app: &mut App) -> Vec<Effect> {
    if let Some(Overlay::Editor(editor)) = &mut app.overlay {
        editor.cycle_level();
        return Vec::new();
    }
    let pane = app.focused_pane();
    let cursor = app.cursor(pane);
    match pane {
        Pane::Profiles => {
            if let Some(selected) = app
                .focused_profile()
                .and_then(|index| app.selected.get_mut(index))
            {
                *selected = !*selected;
                app.own.mark_stale();
                if !app.selected.contains(&true) {
                    app.set_status_while(Tone::Warn, "select at least one vendor profile", |app| {
                        !app.selected.contains(&true)
                    });
                }
            }
        }
        Pane::Checklist => {
            if let Some(text) = app.content(app.step).checklist.get(cursor).cloned() {
                let item = (app.step, text);
                if !app.ticked.remove(&item) {
                    app.ticked.insert(item);
                }
                // Ticking moves on, like a pen down a paper list.
                move_cursor(app, true);
            }
        }
        Pane::Plan => {
            if let Some(plan) = app.plan_options().get(cursor).copied() {
                app.member_plan = plan;
            }
        }
        Pane::Region => {
            if let Some(hosting) = app.hosting_options().get(cursor).copied() {
                app.choose_hosting(hosting);
                if hosting == Hosting::SelfHosted
                    && let Some(i) = app
                        .panes()
                        .iter()
                        .position(|p| *p == Pane::Field(FieldId::Site))
                {
                    app.focus = i;
                }
                field_changed(app);
            }
        }
        _ => {}
    }
    Vec::new()
}

pub(super) fn copy(app: &mut App) -> Vec<Effect> {
    let pane = app.focused_pane();
    let content = app.content(app.step);
    let value = match pane {
        Pane::Values => content.values.get(app.cursor(pane)).cloned(),
        Pane::Portal => content.portal.get(app.cursor(pane)).cloned(),
        Pane::Field(id) => Some(CopyValue {
            label: app.field_label(id),
            value: if id.is_secret() {
                ValueSource::Field(id)
            } else {
                ValueSource::Text(app.field(id).map(|f| f.sanitized()).unwrap_or_default())
            },
        }),
        _ => None,
    };
    match value {
        Some(value) => vec![Effect::Copy(value)],
        None => Vec::new(),
    }
}

/// The vendor filter's text changed: the cursor goes to the first match.
pub(super) fn filter_changed(app: &mut App) {
    app.cursors
        .insert((StepId::Prerequisites, Pane::Profiles), 0);
}

/// `/` on step 1's vendor list: the filter's field takes the keyboard.
pub(super) fn start_filter(app: &mut App) {
    app.just_arrived = false;
    app.vendor_filter.editing = true;
}

/// Esc on the vendor filter: every vendor shows again, the cursor stays on the focused one.
pub(super) fn clear_filter(app: &mut App) {
    let focused = app.focused_profile();
    app.vendor_filter.text.clear();
    app.vendor_filter.editing = false;
    if let Some(index) = focused {
        app.cursors
            .insert((StepId::Prerequisites, Pane::Profiles), index);
    }
}

/// A field the test depends on changed: earlier results no longer describe what is typed.
pub(super) fn field_changed(app: &mut App) {
    app.own.mark_stale();
    if app.check.report.is_some() || app.check.running {
        app.check.stale = true;
    }
}

/// `m` on step 1: shows the fields for the technician's own keys (focusing the first), or hides
/// them. Hiding keeps what was entered: `x` wipes keys.
pub(super) fn toggle_own_keys(app: &mut App) {
    app.own.enabled = !app.own.enabled;
    if app.own.enabled {
        if let Some(i) = app
            .panes()
            .iter()
            .position(|p| *p == Pane::Field(FieldId::MyPublicKey))
        {
            app.focus = i;
        }
        app.set_status(
            Tone::Info,
            "check my work as I go: paste your own public and private keys (My Account > API Keys); they are never stored",
        );
    } else {
        app.focus = app.focus.min(app.panes().len().saturating_sub(1));
        app.set_status(
            Tone::Info,
            if app.own.any_entered() {
                "check my work as I go is hidden; your keys stay in memory until x wipes them"
            } else {
                "check my work as I go is off"
            },
        );
    }
}

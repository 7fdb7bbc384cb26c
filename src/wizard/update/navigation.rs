//! Moving through the wizard: between steps, panes and rows, ticking and choosing, copying and
//! opening links.

use super::Effect;
use super::fields::field_changed;
use super::test_run::start_check;
use crate::setup::content::{CopyValue, ValueSource};
use crate::wizard::app::{App, FieldId, Hosting, Overlay, Pane, StepId, Tone};
use crate::wizard::keymap::{Action, Context};
use crate::wizard::view;

/// Moving between steps, panes and rows; ticking, choosing, copying and opening a link.
pub(super) fn on_action(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::Next => return next(app),
        Action::Back => {
            if let Some(prev) = app.step.prev() {
                go_to(app, prev);
            }
        }
        Action::FocusNext | Action::FocusPrev => move_focus(app, action == Action::FocusNext),
        Action::Up | Action::Down => move_cursor(app, action == Action::Down),
        Action::LeaveField => {
            if let Some(i) = app.panes().iter().position(|p| p.is_list()) {
                app.focus = i;
            }
        }
        Action::Toggle => return toggle(app),
        Action::Copy => return copy(app),
        Action::OpenLink => {
            if let Some(url) = app.focused_link() {
                return vec![Effect::OpenLink(url)];
            }
        }
        // JumpToStep is handled in `on_key`, which knows the digit.
        _ => {}
    }
    Vec::new()
}

/// Tab and Shift-Tab between the step's panes. On the key step the first Tab goes where the
/// technician came to paste.
fn move_focus(app: &mut App, forward: bool) {
    if forward && app.just_arrived && app.step == StepId::ApiKey {
        app.just_arrived = false;
        if let Some(i) = app
            .panes()
            .iter()
            .position(|p| *p == Pane::Field(FieldId::PublicKey))
        {
            app.focus = i;
        }
        return;
    }
    app.just_arrived = false;
    app.item_scroll = 0;
    let n = app.panes().len().max(1);
    app.focus = if forward {
        (app.focus + 1) % n
    } else {
        (app.focus + n - 1) % n
    };
}

fn next(app: &mut App) -> Vec<Effect> {
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

fn move_cursor(app: &mut App, down: bool) {
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
    // From where the cursor is drawn: an unmoved cursor may rest on the choice already made.
    let start = app.cursor(pane);
    let cursor = app.cursors.entry((app.step, pane)).or_insert(start);
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

fn toggle(app: &mut App) -> Vec<Effect> {
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
                // Space only chooses: the focus stays on the list (arrows still move in it), and
                // a server without an address is told where the address goes.
                if let Some(note) = app.choose_hosting(hosting) {
                    app.set_status(Tone::Info, note);
                } else if hosting == Hosting::SelfHosted
                    && app
                        .field(FieldId::Site)
                        .is_some_and(|f| f.value().trim().is_empty())
                {
                    app.set_status(
                        Tone::Info,
                        "self-hosted: type your server's address in the Site box below (Tab reaches it)",
                    );
                }
                field_changed(app);
            }
        }
        _ => {}
    }
    Vec::new()
}

fn copy(app: &mut App) -> Vec<Effect> {
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

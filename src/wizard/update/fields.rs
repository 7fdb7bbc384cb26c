//! The fields' own actions: revealing and clearing a field, wiping every key, the vendor
//! filter, and the switch for "check my work as I go".

use super::Effect;
use crate::wizard::app::{App, FieldId, Pane, StepId, Tone};
use crate::wizard::keymap::Action;

pub(super) fn on_action(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::Reveal => {
            if let Pane::Field(id) = app.focused_pane()
                && let Some(input) = app.key_input_mut(id)
            {
                input.toggle_reveal();
            }
        }
        Action::ClearField if app.filter_editing() => {
            app.vendor_filter.text.clear();
            filter_changed(app);
        }
        Action::ClearField => return clear_field(app),
        Action::ClearKeys => return clear_keys(app),
        Action::OwnKeys => toggle_own_keys(app),
        Action::Filter => start_filter(app),
        Action::FilterDone => app.vendor_filter.editing = false,
        Action::FilterClear => clear_filter(app),
        _ => {}
    }
    Vec::new()
}

/// Ctrl-U in a field: a key is wiped from memory (and from the clipboard, if copied there).
fn clear_field(app: &mut App) -> Vec<Effect> {
    let mut effects = Vec::new();
    if let Pane::Field(id) = app.focused_pane() {
        match app.key_input_mut(id) {
            Some(input) => {
                input.clear();
                app.set_status(
                    Tone::Good,
                    format!("{} wiped from memory", app.field_label(id).to_lowercase()),
                );
                // A copy of this key may still sit in the clipboard.
                effects.push(Effect::KeysCleared);
            }
            None => {
                if let Some(f) = app.field_mut(id) {
                    f.clear();
                }
            }
        }
        field_changed(app);
        keep_focus_on(app, Pane::Field(id));
    }
    effects
}

/// `x`: every key wiped, the vendor's and the technician's own; a running test or audit stops.
fn clear_keys(app: &mut App) -> Vec<Effect> {
    // Said as it is: one pair is "both keys", one pair per tool is every tool's pair.
    let vendor = if app.keys_per_tool() {
        let tools = app.selected_profiles().len();
        format!("the {tools} tools' key pairs")
    } else {
        "both keys".to_string()
    };
    app.clear_vendor_keys();
    let own = app.own.any_entered();
    let auditing = app.own.audit.running;
    app.own.clear_keys();
    field_changed(app);
    app.set_status(
        Tone::Good,
        if own {
            format!("{vendor} and your own keys wiped from memory")
        } else {
            format!("{vendor} wiped from memory")
        },
    );
    let mut effects = vec![Effect::KeysCleared];
    if auditing {
        effects.insert(0, Effect::CancelAudit);
    }
    if app.check.running {
        app.check.running = false;
        effects.insert(0, Effect::CancelCheck);
    }
    effects
}

/// The vendor filter's text changed: the cursor goes to the first match.
pub(super) fn filter_changed(app: &mut App) {
    app.cursors
        .insert((StepId::Prerequisites, Pane::Profiles), 0);
}

/// `/` on step 1's vendor list: the filter's field takes the keyboard.
fn start_filter(app: &mut App) {
    app.just_arrived = false;
    app.vendor_filter.editing = true;
}

/// Esc on the vendor filter: every vendor shows again, the cursor stays on the focused one.
fn clear_filter(app: &mut App) {
    let focused = app.focused_profile();
    app.vendor_filter.text.clear();
    app.vendor_filter.editing = false;
    if let Some(index) = focused {
        app.cursors
            .insert((StepId::Prerequisites, Pane::Profiles), index);
    }
}

/// The focus stays on `pane` (the field being typed in) when a change adds or removes a pane
/// before it: typing the first character of step 3's member ID brings its "Values to type" box,
/// and the focus, an index, would otherwise land on that box with the rest of the typing.
pub(super) fn keep_focus_on(app: &mut App, pane: Pane) {
    if let Some(i) = app.panes().iter().position(|p| *p == pane) {
        app.focus = i;
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
fn toggle_own_keys(app: &mut App) {
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

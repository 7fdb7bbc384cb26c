//! The "rotate a key" path's keys and results ([`crate::setup::rotation`] holds its state):
//! moving between its five steps and fields, typing and pasting keys, `t` for the new key's
//! check (step 2) and the old key's proof (step 5), `c` to copy, `x` to wipe, Esc to leave.

use crossterm::event::KeyEvent;
use zeroize::Zeroize;

use super::Effect;
use super::fields::field_changed;
use crate::check::CheckReport;
use crate::rotate::OldKey;
use crate::setup::content::{CopyValue, ValueSource};
use crate::setup::rotation::{self, RotateField, RotateStep};
use crate::wizard::app::{App, Tone};
use crate::wizard::keymap::Action;

/// `r` on step 1: the rotate path starts on its step 1.
pub fn start(app: &mut App) -> Vec<Effect> {
    rotation::start(app);
    app.set_status(
        Tone::Info,
        format!(
            "rotating a key of {}: nothing is stored, Esc leaves (both pairs are wiped)",
            display_member(app)
        ),
    );
    Vec::new()
}

fn display_member(app: &App) -> String {
    let member = crate::sanitize::display_text(&rotation::member_id(app));
    if member.is_empty() {
        "the API member".into()
    } else {
        member
    }
}

/// An action while the rotate path is shown (no overlay open).
pub fn on_action(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::Next => return next(app),
        Action::Back => move_step(app, false),
        Action::FocusNext | Action::FocusPrev => move_focus(app, action == Action::FocusNext),
        Action::LeaveField => set_focus(app, None),
        Action::Up | Action::Down => move_cursor(app, action == Action::Down),
        Action::Copy => return copy(app),
        Action::RunCheck => return run(app),
        Action::Reveal => {
            if let Some(input) = focused_key(app) {
                input.toggle_reveal();
            }
        }
        Action::ClearField => return clear_field(app),
        Action::ClearKeys => return clear_keys(app),
        Action::LeaveRotate => return leave(app),
        Action::Help | Action::Quit | Action::QuitNow => {
            return super::overlays::open_or_quit(app, action);
        }
        _ => {}
    }
    Vec::new()
}

fn focused_key(app: &mut App) -> Option<&mut crate::setup::masked_input::MaskedInput> {
    let rotation = app.rotation.as_mut()?;
    let field = rotation.focus?;
    rotation.key_mut(field)
}

fn set_focus(app: &mut App, focus: Option<RotateField>) {
    if let Some(r) = &mut app.rotation {
        r.focus = focus;
    }
}

/// Enter/→: the next step, unless the new key has not passed yet; Enter in a field goes to the
/// next field, and on the last one runs `t`.
fn next(app: &mut App) -> Vec<Effect> {
    let Some(r) = app.rotation.as_ref() else {
        return Vec::new();
    };
    if let Some(field) = r.focus {
        let fields = r.step.fields();
        let at = fields.iter().position(|f| *f == field).unwrap_or(0);
        if let Some(following) = fields.get(at + 1) {
            set_focus(app, Some(*following));
            return Vec::new();
        }
        set_focus(app, None);
        return run(app);
    }
    if let Some(why) = r.blocked() {
        app.set_status(Tone::Warn, format!("not yet: {why}"));
        return Vec::new();
    }
    move_step(app, true);
    Vec::new()
}

fn move_step(app: &mut App, forward: bool) {
    let Some(r) = app.rotation.as_mut() else {
        return;
    };
    let to = if forward {
        r.step.next()
    } else {
        r.step.prev()
    };
    let Some(to) = to else {
        return;
    };
    r.step = to;
    r.cursor = 0;
    r.scroll = 0;
    // Arriving where a key is asked: the first empty key field has the keyboard, ready to paste.
    r.focus = to
        .fields()
        .iter()
        .copied()
        .find(|f| r.key(*f).is_some_and(|k| k.secret().is_empty()));
    app.status = None;
}

fn move_focus(app: &mut App, forward: bool) {
    let Some(r) = app.rotation.as_mut() else {
        return;
    };
    let fields = r.step.fields();
    if fields.is_empty() {
        return;
    }
    // Browsing counts as one more stop after the last field.
    let stops = fields.len() + 1;
    let at = r
        .focus
        .and_then(|f| fields.iter().position(|g| *g == f))
        .unwrap_or(fields.len());
    let to = if forward {
        (at + 1) % stops
    } else {
        (at + stops - 1) % stops
    };
    r.focus = fields.get(to).copied();
}

fn move_cursor(app: &mut App, down: bool) {
    let portal = app.rotation.as_ref().map(|r| r.step) == Some(RotateStep::Portal);
    if !portal {
        // The results scroll; the view keeps the last row in sight.
        let most = rotation::results(app).len() * 4;
        if let Some(r) = app.rotation.as_mut() {
            r.scroll = if down {
                (r.scroll + 1).min(most)
            } else {
                r.scroll.saturating_sub(1)
            };
        }
        return;
    }
    let len = rotation::portal_values(app).len();
    if let Some(r) = app.rotation.as_mut() {
        r.cursor = if down {
            (r.cursor + 1).min(len.saturating_sub(1))
        } else {
            r.cursor.saturating_sub(1)
        };
    }
}

fn copy(app: &mut App) -> Vec<Effect> {
    let Some(r) = app.rotation.as_ref() else {
        return Vec::new();
    };
    match r.step {
        RotateStep::NewKey => vec![Effect::Copy(CopyValue {
            label: "key description".into(),
            value: ValueSource::Text(rotation::description(app)),
        })],
        RotateStep::Portal => {
            let values = rotation::portal_values(app);
            let Some(value) = values.get(r.cursor) else {
                return Vec::new();
            };
            match rotation::portal_key(value) {
                Some(field) => vec![Effect::CopyRotateKey(field)],
                None => vec![Effect::Copy(value.clone())],
            }
        }
        RotateStep::CheckNew | RotateStep::DeleteOld | RotateStep::ProveOld => Vec::new(),
    }
}

fn run(app: &mut App) -> Vec<Effect> {
    let step = app.rotation.as_ref().map(|r| r.step);
    let (started, said) = rotation::start_run(app);
    if let Some((tone, text)) = said {
        app.set_status(tone, text);
    }
    match (started, step) {
        (true, Some(RotateStep::CheckNew)) => vec![Effect::StartRotateCheck],
        (true, Some(RotateStep::ProveOld)) => vec![Effect::ProveOldKey],
        _ => Vec::new(),
    }
}

fn clear_field(app: &mut App) -> Vec<Effect> {
    let Some(field) = app.rotation.as_ref().and_then(|r| r.focus) else {
        return Vec::new();
    };
    if let Some(input) = focused_key(app) {
        input.clear();
        changed(app, field);
        app.set_status(
            Tone::Good,
            format!("{} wiped from memory", field.label().to_lowercase()),
        );
        return vec![Effect::KeysCleared];
    }
    if let Some(text) = rotation::text_field_mut(app, field) {
        text.clear();
        changed(app, field);
    }
    Vec::new()
}

/// `x`: both pairs wiped, with every other key the wizard holds; a running try stops.
fn clear_keys(app: &mut App) -> Vec<Effect> {
    let running = app.rotation.as_ref().is_some_and(|r| r.running);
    if let Some(r) = &mut app.rotation {
        r.clear_keys();
    }
    let mut effects = super::fields::on_action(app, Action::ClearKeys);
    app.set_status(
        Tone::Good,
        "the new and the old key pairs wiped from memory (with every other key)",
    );
    if running {
        effects.insert(0, Effect::CancelRotate);
    }
    effects
}

/// Esc: back to step 1, both pairs wiped.
fn leave(app: &mut App) -> Vec<Effect> {
    let running = app.rotation.as_ref().is_some_and(|r| r.running);
    let held = rotation::leave(app);
    app.set_status(
        Tone::Info,
        if held {
            "left the rotation: both key pairs wiped from memory"
        } else {
            "left the rotation"
        },
    );
    let mut effects = Vec::new();
    if running {
        effects.push(Effect::CancelRotate);
    }
    if held {
        effects.push(Effect::KeysCleared);
    }
    effects
}

/// What changing `field` undoes: the new key's result, or the old key's proof.
fn changed(app: &mut App, field: RotateField) {
    if let Some(r) = &mut app.rotation {
        match field {
            RotateField::OldPublic | RotateField::OldPrivate => r.old_key_changed(),
            RotateField::Site
            | RotateField::CompanyId
            | RotateField::ClientId
            | RotateField::NewPublic
            | RotateField::NewPrivate => r.new_key_changed(),
        }
    }
    if !field.is_secret() {
        field_changed(app);
    }
}

/// A key typed into the focused field.
pub fn on_text_key(app: &mut App, key: &KeyEvent) {
    let Some(field) = app.rotation.as_ref().and_then(|r| r.focus) else {
        return;
    };
    let edited = match focused_key(app) {
        Some(input) => crate::wizard::edit::masked(input, key),
        None => {
            rotation::text_field_mut(app, field).is_some_and(|f| crate::wizard::edit::text(f, key))
        }
    };
    if edited {
        changed(app, field);
    }
}

/// A paste into the focused field; with none focused, it is discarded (and wiped).
pub fn on_paste(app: &mut App, mut text: String) -> Vec<Effect> {
    let Some(field) = app.rotation.as_ref().and_then(|r| r.focus) else {
        text.zeroize();
        app.set_status(
            Tone::Warn,
            "nothing to paste into: Tab to a field first (the paste was discarded)",
        );
        return Vec::new();
    };
    match focused_key(app) {
        // The masked input sanitizes into its buffer and wipes the pasted text.
        Some(input) => input.paste(text),
        None => {
            if let Some(f) = rotation::text_field_mut(app, field) {
                f.paste(&text);
            }
            text.zeroize();
        }
    }
    changed(app, field);
    Vec::new()
}

/// The new key's check finished.
pub fn new_key_checked(app: &mut App, generation: u64, report: CheckReport) {
    let mut report = report;
    report.stages = std::mem::take(&mut report.stages)
        .into_iter()
        .map(|stage| app.hints.on_stage(stage))
        .collect();
    if let Some((tone, text)) = rotation::new_key_checked(app, generation, report) {
        app.set_status(tone, text);
    }
}

/// The old key's proof finished.
pub fn old_key_proved(app: &mut App, generation: u64, old: OldKey) {
    if let Some((tone, text)) = rotation::old_key_proved(app, generation, old) {
        app.set_status(tone, text);
    }
}

/// The check or the proof could not start (a key could not be copied): why.
pub fn failed_to_start(app: &mut App, why: String) {
    rotation::failed_to_start(app);
    app.set_status(Tone::Bad, why);
}

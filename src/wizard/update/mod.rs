//! `update`: the only place the wizard's state changes. Input and background results arrive as
//! messages; anything that touches the outside world (clipboard, HTTP, files) leaves as an effect.

use crossterm::event::{KeyEvent, KeyEventKind, MouseButton, MouseEvent, MouseEventKind};
use zeroize::Zeroize;

use crate::check::CheckEvent;

use super::app::{App, Overlay, Pane, StepId, Tone};
use super::keymap::{self, Action, Context};
use super::view::{self, Hit};
use crate::setup::content::CopyValue;
use crate::setup::own_keys::{self, AuditOutcome};

mod fields;
mod navigation;
mod overlays;
mod replies;
mod role_rows;
mod rotate;
mod test_run;

use fields::{field_changed, filter_changed};
pub use navigation::go_to;
use test_run::on_check_event;

/// Debug is written by hand: a paste or a typed character may be part of a key.
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Paste(String),
    Resize(u16, u16),
    /// A spinner frame or a clipboard countdown second.
    Tick,
    Check(CheckEvent),
    /// "Check my work as I go": the audit numbered `.0` finished.
    Audit(u64, Box<AuditOutcome>),
    /// A status line from carrying out an effect (a copy, a link opened or copied) or from the
    /// clipboard (its countdown ran out).
    Status(Tone, String),
    /// A text of several lines the clipboard may not have taken (the admin handoff): shown
    /// whole in a scrollable overlay, to select by hand; `.0` is its title.
    ShowText(String, String),
    /// The clipboard's countdown: what it holds and the seconds left, or nothing to count.
    ClipboardCountdown(Option<(String, u64)>),
    /// The keys were wiped and the clipboard's copy of one with them: this says so.
    ClipboardForgot(String),
    /// The test could not start (its keys could not be copied): why.
    CheckFailedToStart(String),
    /// "Check my work as I go" could not start: why.
    AuditFailedToStart(String),
    /// The report was written to `path`, or `error` says why not.
    ReportSaved {
        path: std::path::PathBuf,
        error: Option<String>,
    },
    /// The role of profile `index` was saved as a profile file at `path`, or `error` says why not.
    ProfileSaved {
        index: usize,
        path: std::path::PathBuf,
        error: Option<String>,
    },
    /// The rotate path: the new key's check numbered `.0` finished.
    RotateNewKey(u64, Box<crate::check::CheckReport>),
    /// The rotate path: the old key's proof numbered `.0` finished.
    RotateOldKey(u64, crate::rotate::OldKey),
    /// The rotate path's check or proof could not start: why.
    RotateFailedToStart(String),
    /// SIGTERM or SIGHUP: quit now, restoring the terminal.
    Terminate,
}

impl std::fmt::Debug for Msg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Msg::Key(key) => match key.code {
                crossterm::event::KeyCode::Char(_) => write!(f, "Key(char [redacted])"),
                code => write!(f, "Key({code:?}, {:?})", key.modifiers),
            },
            Msg::Mouse(mouse) => write!(f, "Mouse({mouse:?})"),
            Msg::Paste(_) => write!(f, "Paste([redacted])"),
            Msg::Resize(w, h) => write!(f, "Resize({w}, {h})"),
            Msg::Tick => write!(f, "Tick"),
            Msg::Check(event) => write!(f, "Check({event:?})"),
            Msg::Audit(generation, outcome) => write!(
                f,
                "Audit({generation}, {})",
                if outcome.is_ok() { "report" } else { "failure" }
            ),
            Msg::Status(tone, text) => write!(f, "Status({tone:?}, {text:?})"),
            Msg::ShowText(title, text) => write!(f, "ShowText({title:?}, {} bytes)", text.len()),
            Msg::ClipboardCountdown(countdown) => write!(f, "ClipboardCountdown({countdown:?})"),
            Msg::ClipboardForgot(text) => write!(f, "ClipboardForgot({text:?})"),
            Msg::CheckFailedToStart(why) => write!(f, "CheckFailedToStart({why:?})"),
            Msg::AuditFailedToStart(why) => write!(f, "AuditFailedToStart({why:?})"),
            Msg::ReportSaved { path, error } => write!(f, "ReportSaved({path:?}, {error:?})"),
            Msg::ProfileSaved { index, path, error } => {
                write!(f, "ProfileSaved({index}, {path:?}, {error:?})")
            }
            Msg::RotateNewKey(generation, report) => {
                write!(f, "RotateNewKey({generation}, {:?})", report.verdict)
            }
            Msg::RotateOldKey(generation, old) => {
                write!(f, "RotateOldKey({generation}, {:?})", old.status)
            }
            Msg::RotateFailedToStart(why) => write!(f, "RotateFailedToStart({why:?})"),
            Msg::Terminate => write!(f, "Terminate"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Copy(CopyValue),
    StartCheck,
    CancelCheck,
    SaveReport,
    SaveProfile(usize),
    /// The keys were wiped: forget any clipboard copy of them too.
    KeysCleared,
    /// Open this link in the browser, or copy it where no browser can open.
    OpenLink(String),
    /// Read steps 2 and 3 back with the technician's own keys ([`crate::setup::own_keys`]).
    StartAudit,
    CancelAudit,
    /// The rotate path: the new key's full check ([`crate::setup::rotation`]).
    StartRotateCheck,
    /// The rotate path: the old key's try on `system/info`.
    ProveOldKey,
    /// Stop the rotate path's running check or proof (its keys were wiped).
    CancelRotate,
    /// Copy one of the rotate path's new keys (a portal value names it).
    CopyRotateKey(crate::setup::rotation::RotateField),
}

pub fn update(app: &mut App, msg: Msg) -> Vec<Effect> {
    // The focus is an index into the step's panes; a message may add or remove a pane (typing
    // step 3's Member ID shows its Values box). The focus then stays on the same pane, unless
    // the message moved it itself.
    let (step, focus, was) = (app.step, app.focus, app.focused_pane());
    let effects = update_inner(app, msg);
    let mut focused = app.focused_pane();
    if app.step == step
        && app.focus == focus
        && focused != was
        && let Some(i) = app.panes().iter().position(|p| *p == was)
    {
        app.focus = i;
        focused = was;
    }
    // The filter field is part of the vendor list: focus elsewhere ends typing in it.
    if focused != Pane::Profiles {
        app.vendor_filter.editing = false;
    }
    app.expire_status();
    effects
}

fn update_inner(app: &mut App, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(key) if key.kind != KeyEventKind::Release => on_key(app, key),
        Msg::Key(_) => Vec::new(),
        Msg::Mouse(mouse) => on_mouse(app, mouse),
        Msg::Paste(text) => on_paste(app, text),
        Msg::Resize(w, h) => {
            app.size = (w, h);
            Vec::new()
        }
        Msg::Tick => {
            app.spinner = app.spinner.wrapping_add(1);
            if app.check.running
                && let Some(started) = app.check.started
            {
                app.check.elapsed = started.elapsed();
            }
            Vec::new()
        }
        Msg::Check(event) => {
            on_check_event(app, event);
            Vec::new()
        }
        Msg::Audit(generation, outcome) => {
            if let Some((tone, text)) = own_keys::finished(app, generation, *outcome) {
                app.set_status(tone, text);
            }
            Vec::new()
        }
        Msg::Status(tone, text) => {
            app.set_status(tone, text);
            Vec::new()
        }
        Msg::ShowText(title, text) => {
            app.overlay = Some(Overlay::Detail(Box::new(crate::wizard::detail::Detail {
                title,
                // Each line sanitized on its own: the sanitizer makes one line of its input.
                paragraphs: text.lines().map(crate::sanitize::display_text).collect(),
                scroll: 0,
            })));
            Vec::new()
        }
        Msg::ClipboardCountdown(_)
        | Msg::ClipboardForgot(_)
        | Msg::CheckFailedToStart(_)
        | Msg::AuditFailedToStart(_)
        | Msg::ReportSaved { .. }
        | Msg::ProfileSaved { .. } => {
            replies::on_reply(app, msg);
            Vec::new()
        }
        Msg::RotateNewKey(generation, report) => {
            rotate::new_key_checked(app, generation, *report);
            Vec::new()
        }
        Msg::RotateOldKey(generation, old) => {
            rotate::old_key_proved(app, generation, old);
            Vec::new()
        }
        Msg::RotateFailedToStart(why) => {
            rotate::failed_to_start(app, why);
            Vec::new()
        }
        Msg::Terminate => {
            app.should_quit = true;
            Vec::new()
        }
    }
}

fn on_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let context = app.context();
    if let Some(action) = keymap::dispatch_lazily(&key, context, || app.situation()) {
        if action == Action::JumpToStep {
            if let crossterm::event::KeyCode::Char(c) = key.code
                && let Some(step) = c
                    .to_digit(10)
                    .and_then(|d| (d as usize).checked_sub(1))
                    .and_then(|i| StepId::ALL.get(i))
            {
                go_to(app, *step);
            }
            return Vec::new();
        }
        return on_action(app, action);
    }
    // Not a binding: in a text field it is text.
    match context {
        Context::RotateField => rotate::on_text_key(app, &key),
        Context::Field if app.filter_editing() => {
            use crossterm::event::{KeyCode, KeyModifiers};
            let changed = match key.code {
                KeyCode::Char(c)
                    if !key
                        .modifiers
                        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
                {
                    app.vendor_filter.push_str(&c.to_string());
                    true
                }
                KeyCode::Backspace => app.vendor_filter.text.pop().is_some(),
                _ => false,
            };
            if changed {
                filter_changed(app);
            }
        }
        Context::Field => {
            if let Pane::Field(id) = app.focused_pane() {
                let changed = match app.key_input_mut(id) {
                    Some(input) => crate::wizard::edit::masked(input, &key),
                    None => app
                        .field_mut(id)
                        .is_some_and(|f| crate::wizard::edit::text(f, &key)),
                };
                if changed {
                    field_changed(app);
                }
            }
        }
        Context::Editor => {
            if let Some(Overlay::Editor(editor)) = &mut app.overlay {
                editor.handle_text_key(&key);
            }
        }
        _ => {}
    }
    Vec::new()
}

fn on_paste(app: &mut App, mut text: String) -> Vec<Effect> {
    if app.rotation.is_some() && app.overlay.is_none() {
        return rotate::on_paste(app, text);
    }
    if let Some(Overlay::Editor(editor)) = &mut app.overlay {
        if let Some(field) = editor.text_mut() {
            field.paste(&text);
        }
        text.zeroize();
        return Vec::new();
    }
    if app.filter_editing() {
        // One line of it: a vendor's name, not a page.
        let line = text.lines().next().unwrap_or("").to_string();
        app.vendor_filter.push_str(&line);
        text.zeroize();
        filter_changed(app);
        return Vec::new();
    }
    match app.focused_pane() {
        Pane::Field(id) if app.overlay.is_none() => {
            match app.key_input_mut(id) {
                // The masked input sanitizes into its buffer and wipes the pasted text.
                Some(input) => input.paste(text),
                None => {
                    if let Some(field) = app.field_mut(id) {
                        field.paste(&text);
                    }
                    // Whatever was pasted (perhaps a key, in the wrong field) is wiped.
                    text.zeroize();
                }
            }
            field_changed(app);
        }
        _ => {
            text.zeroize();
            app.set_status(
                Tone::Warn,
                "nothing to paste into: Tab to a field first (the paste was discarded)",
            );
        }
    }
    Vec::new()
}

/// An action from the key table or a click. An open overlay gets it first and consumes what
/// is its own (as a popup does); the rest goes to the handler of its kind.
pub fn on_action(app: &mut App, action: Action) -> Vec<Effect> {
    if let Some(effects) = overlays::on_action(app, action) {
        return effects;
    }
    if app.rotation.is_some() {
        return rotate::on_action(app, action);
    }
    match action {
        Action::Next
        | Action::Back
        | Action::FocusNext
        | Action::FocusPrev
        | Action::Up
        | Action::Down
        | Action::LeaveField
        | Action::Toggle
        | Action::Copy
        | Action::OpenLink
        | Action::JumpToStep => navigation::on_action(app, action),
        Action::Reveal
        | Action::ClearField
        | Action::ClearKeys
        | Action::OwnKeys
        | Action::Filter
        | Action::FilterDone
        | Action::FilterClear => fields::on_action(app, action),
        Action::RunCheck
        | Action::CancelCheck
        | Action::SaveReport
        | Action::OpenDetail
        | Action::NextFailed
        | Action::RunAudit => test_run::on_action(app, action),
        Action::AddRow
        | Action::EditRow
        | Action::DeleteRow
        | Action::SaveProfile
        | Action::CopyHandoff => role_rows::on_action(app, action),
        Action::Help
        | Action::Quit
        | Action::QuitNow
        | Action::NothingToClose
        // An overlay's own actions, arriving with nothing open (a stale click): nothing to do
        // but what they would end in.
        | Action::ConfirmQuit
        | Action::CancelQuit
        | Action::CloseHelp
        | Action::CloseDetail
        | Action::EditorSave
        | Action::EditorCancel
        | Action::Resume
        | Action::StartFresh => overlays::open_or_quit(app, action),
        Action::Rotate => rotate::start(app),
        // Only the rotate path has it.
        Action::LeaveRotate => Vec::new(),
    }
}

fn on_mouse(app: &mut App, mouse: MouseEvent) -> Vec<Effect> {
    // The rotate path is keyboard only.
    if app.overlay.is_some() || app.rotation.is_some() {
        return Vec::new();
    }
    match mouse.kind {
        MouseEventKind::Down(MouseButton::Left) => {
            match view::hit_test(app, mouse.column, mouse.row) {
                Some(Hit::Step(step)) => go_to(app, step),
                Some(Hit::Pane(pane, row)) => {
                    app.just_arrived = false;
                    app.item_scroll = 0;
                    if let Some(i) = app.panes().iter().position(|p| *p == pane) {
                        app.focus = i;
                    }
                    if let Some(row) = row
                        && row < app.list_len(pane)
                    {
                        app.cursors.insert((app.step, pane), row);
                    }
                }
                None => {}
            }
            Vec::new()
        }
        MouseEventKind::ScrollDown => on_action(app, Action::Down),
        MouseEventKind::ScrollUp => on_action(app, Action::Up),
        _ => Vec::new(),
    }
}

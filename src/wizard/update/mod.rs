//! `update`: the only place the wizard's state changes. Input and background results arrive as
//! messages; anything that touches the outside world (clipboard, HTTP, files) leaves as an effect.

use crossterm::event::{KeyEvent, KeyEventKind, MouseButton, MouseEvent, MouseEventKind};
use zeroize::Zeroize;

use crate::check::CheckEvent;

use super::app::{App, FieldId, Overlay, Pane, StageView, StepId, Tone};
use super::keymap::{self, Action, Context};
use super::role_editor::RoleEditor;
use super::view::{self, Hit};
use crate::setup::content::{CopyValue, ValueSource};
use crate::setup::own_keys::{self, AuditOutcome};

mod navigation;
mod replies;
mod role_rows;
mod test_run;

pub use navigation::go_to;
use navigation::{
    clear_filter, copy, field_changed, filter_changed, move_cursor, next, start_filter, toggle,
    toggle_own_keys,
};
use role_rows::{delete_row, focused_role_row, save_editor};
use test_run::{on_check_event, start_check};

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
            Msg::ClipboardCountdown(countdown) => write!(f, "ClipboardCountdown({countdown:?})"),
            Msg::ClipboardForgot(text) => write!(f, "ClipboardForgot({text:?})"),
            Msg::CheckFailedToStart(why) => write!(f, "CheckFailedToStart({why:?})"),
            Msg::AuditFailedToStart(why) => write!(f, "AuditFailedToStart({why:?})"),
            Msg::ReportSaved { path, error } => write!(f, "ReportSaved({path:?}, {error:?})"),
            Msg::ProfileSaved { index, path, error } => {
                write!(f, "ProfileSaved({index}, {path:?}, {error:?})")
            }
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
}

pub fn update(app: &mut App, msg: Msg) -> Vec<Effect> {
    let effects = update_inner(app, msg);
    // The filter field is part of the vendor list: focus elsewhere ends typing in it.
    if app.focused_pane() != Pane::Profiles {
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
        Msg::ClipboardCountdown(_)
        | Msg::ClipboardForgot(_)
        | Msg::CheckFailedToStart(_)
        | Msg::AuditFailedToStart(_)
        | Msg::ReportSaved { .. }
        | Msg::ProfileSaved { .. } => {
            replies::on_reply(app, msg);
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

pub fn on_action(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::Next => next(app),
        Action::Back => {
            if let Some(prev) = app.step.prev() {
                go_to(app, prev);
            }
            Vec::new()
        }
        Action::FocusNext | Action::FocusPrev => {
            let forward = action == Action::FocusNext;
            if let Some(Overlay::Editor(editor)) = &mut app.overlay {
                editor.move_focus(forward);
            } else if forward && app.just_arrived && app.step == StepId::ApiKey {
                // On the key step the first Tab goes where the technician came to paste.
                app.just_arrived = false;
                if let Some(i) = app
                    .panes()
                    .iter()
                    .position(|p| *p == Pane::Field(FieldId::PublicKey))
                {
                    app.focus = i;
                }
            } else {
                app.just_arrived = false;
                app.item_scroll = 0;
                let n = app.panes().len().max(1);
                app.focus = if forward {
                    (app.focus + 1) % n
                } else {
                    (app.focus + n - 1) % n
                };
            }
            Vec::new()
        }
        Action::Up | Action::Down => {
            let size = app.size;
            if let Some(Overlay::Detail(detail)) = &mut app.overlay {
                detail.scroll = match action {
                    Action::Down => (detail.scroll + 1).min(detail.max_scroll(size)),
                    _ => detail.scroll.saturating_sub(1),
                };
            } else if matches!(app.overlay, Some(Overlay::Help)) {
                // The view clamps the scroll to what there is to show.
                app.help_scroll = match action {
                    Action::Down => (app.help_scroll + 1).min(view::help_scroll_limit(app)),
                    _ => app.help_scroll.saturating_sub(1),
                };
            } else {
                move_cursor(app, action == Action::Down);
            }
            Vec::new()
        }
        Action::Toggle => toggle(app),
        Action::Copy => copy(app),
        Action::Help => {
            app.overlay = Some(Overlay::Help);
            app.help_scroll = 0;
            Vec::new()
        }
        Action::OpenDetail => {
            let cursor = app.cursor(Pane::Stages);
            if let Some(detail) = super::detail::for_row(&app.check, cursor) {
                app.overlay = Some(Overlay::Detail(Box::new(detail)));
            }
            Vec::new()
        }
        Action::NextFailed => {
            let from = if app.focused_pane() == Pane::Stages {
                app.cursor(Pane::Stages)
            } else {
                super::detail::row_count(&app.check).saturating_sub(1)
            };
            if let Some(row) = super::detail::next_failed(&app.check, from) {
                if let Some(i) = app.panes().iter().position(|p| *p == Pane::Stages) {
                    app.focus = i;
                }
                app.cursors.insert((app.step, Pane::Stages), row);
            }
            Vec::new()
        }
        Action::CloseHelp | Action::CancelQuit | Action::EditorCancel | Action::CloseDetail => {
            app.overlay = None;
            Vec::new()
        }
        Action::Quit => {
            let confirming = matches!(app.overlay, Some(Overlay::ConfirmQuit));
            if app.keys_entered() && !confirming {
                app.overlay = Some(Overlay::ConfirmQuit);
            } else {
                app.should_quit = true;
            }
            Vec::new()
        }
        Action::ConfirmQuit | Action::QuitNow => {
            app.should_quit = true;
            Vec::new()
        }
        Action::LeaveField => {
            let panes = app.panes();
            if let Some(i) = panes.iter().position(|p| p.is_list()) {
                app.focus = i;
            }
            Vec::new()
        }
        Action::Reveal => {
            if let Pane::Field(id) = app.focused_pane()
                && let Some(input) = app.key_input_mut(id)
            {
                input.toggle_reveal();
            }
            Vec::new()
        }
        Action::ClearField if app.filter_editing() => {
            app.vendor_filter.text.clear();
            filter_changed(app);
            Vec::new()
        }
        Action::ClearField => {
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
            }
            effects
        }
        Action::RunCheck => start_check(app),
        Action::CancelCheck => {
            app.check.running = false;
            for view in app.check.stages.values_mut() {
                if *view == StageView::Running {
                    *view = StageView::Waiting;
                }
            }
            app.set_status(Tone::Warn, "test cancelled; press t to run it again");
            vec![Effect::CancelCheck]
        }
        Action::ClearKeys => {
            app.clear_vendor_keys();
            let own = app.own.any_entered();
            let auditing = app.own.audit.running;
            app.own.clear_keys();
            field_changed(app);
            app.set_status(
                Tone::Good,
                if own {
                    "all keys wiped from memory (the vendor's and your own)"
                } else {
                    "both keys wiped from memory"
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
        Action::SaveReport => {
            if app.check.report.is_none() {
                app.set_status(
                    Tone::Warn,
                    "no test results yet: run the test on the Integration step (t) first",
                );
                Vec::new()
            } else {
                vec![Effect::SaveReport]
            }
        }
        Action::CopyHandoff => {
            let text =
                crate::setup::content::handoff_markdown(&app.selected_profiles(), app.plan());
            if text.is_empty() {
                app.set_status(Tone::Warn, "select a vendor profile first");
                return Vec::new();
            }
            vec![Effect::Copy(CopyValue {
                label: "Admin handoff (Markdown)".into(),
                value: ValueSource::Text(text),
            })]
        }
        Action::AddRow => {
            app.overlay = Some(Overlay::Editor(Box::new(RoleEditor::new_row())));
            Vec::new()
        }
        Action::EditRow => {
            if let Some(row) = focused_role_row(app) {
                app.overlay = Some(Overlay::Editor(Box::new(RoleEditor::edit(&row))));
            }
            Vec::new()
        }
        Action::DeleteRow => {
            delete_row(app);
            Vec::new()
        }
        Action::SaveProfile => match app.primary_profile_index() {
            Some(index) => vec![Effect::SaveProfile(index)],
            None => Vec::new(),
        },
        Action::EditorSave => {
            save_editor(app);
            Vec::new()
        }
        Action::NothingToClose => {
            app.set_status(
                Tone::Info,
                "nothing to close: Esc leaves a field, closes a window or cancels a test; the step stays",
            );
            Vec::new()
        }
        // Handled in `on_key`, which knows the digit.
        Action::JumpToStep => Vec::new(),
        Action::OpenLink => match app.focused_link() {
            Some(url) => vec![Effect::OpenLink(url)],
            None => Vec::new(),
        },
        Action::Resume => {
            if let Some(Overlay::Resume(saved)) = app.overlay.take() {
                let step = saved.apply(app);
                go_to(app, step);
                let verdict = saved
                    .last_verdict
                    .as_ref()
                    .map_or(String::new(), |v| format!("; last test: {v}"));
                app.set_status(
                    Tone::Good,
                    format!(
                        "resumed{verdict}; paste the keys again on step 4 (they are never saved)"
                    ),
                );
            }
            Vec::new()
        }
        Action::StartFresh => {
            // The saved setup is replaced at the first change.
            app.overlay = None;
            Vec::new()
        }
        Action::OwnKeys => {
            toggle_own_keys(app);
            Vec::new()
        }
        Action::RunAudit => {
            let (started, message) = own_keys::start(app);
            if let Some((tone, text)) = message {
                app.set_status(tone, text);
            }
            if started {
                vec![Effect::StartAudit]
            } else {
                Vec::new()
            }
        }
        Action::Filter => {
            start_filter(app);
            Vec::new()
        }
        Action::FilterDone => {
            app.vendor_filter.editing = false;
            Vec::new()
        }
        Action::FilterClear => {
            clear_filter(app);
            Vec::new()
        }
    }
}

fn on_mouse(app: &mut App, mouse: MouseEvent) -> Vec<Effect> {
    if app.overlay.is_some() {
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

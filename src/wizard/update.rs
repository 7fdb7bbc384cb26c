//! `update`: the only place the wizard's state changes. Input and background results arrive as
//! messages; anything that touches the outside world (clipboard, HTTP, files) leaves as an effect.

use crossterm::event::{KeyEvent, KeyEventKind, MouseButton, MouseEvent, MouseEventKind};
use zeroize::Zeroize;

use crate::check::{CheckEvent, StageId};
use crate::profile;

use super::app::{App, CheckState, FieldId, Hosting, Overlay, Pane, StageView, StepId, Tone};
use super::content::{CopyValue, ValueSource};
use super::keymap::{self, Action, Context};
use super::own_keys::{self, AuditOutcome};
use super::role_editor::RoleEditor;
use super::view::{self, Hit};

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
    /// A message from carrying out an effect (copy, save).
    Status(Tone, String),
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
    /// Read steps 2 and 3 back with the technician's own keys ([`super::own_keys`]).
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
            own_keys::finished(app, generation, *outcome);
            Vec::new()
        }
        Msg::Status(tone, text) => {
            app.set_status(tone, text);
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
                    Some(input) => input.handle_key(key),
                    None => app.field_mut(id).is_some_and(|f| f.handle_key(&key)),
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

/// The vendor filter's text changed: the cursor goes to the first match.
fn filter_changed(app: &mut App) {
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

/// A field the test depends on changed: earlier results no longer describe what is typed.
fn field_changed(app: &mut App) {
    app.own.mark_stale();
    if app.check.report.is_some() || app.check.running {
        app.check.stale = true;
    }
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
            if let Some(detail) = super::detail::for_row(app, cursor) {
                app.overlay = Some(Overlay::Detail(Box::new(detail)));
            }
            Vec::new()
        }
        Action::NextFailed => {
            let from = if app.focused_pane() == Pane::Stages {
                app.cursor(Pane::Stages)
            } else {
                super::detail::row_count(app).saturating_sub(1)
            };
            if let Some(row) = super::detail::next_failed(app, from) {
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
            let text = super::content::handoff_markdown(&app.selected_profiles(), app.plan());
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
                saved.apply(app);
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
            if own_keys::start(app) {
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
    app.step = step;
    app.focus = 0;
    app.item_scroll = 0;
    app.just_arrived = true;
    // Arriving never puts the keyboard in a field, the vendor filter's included.
    app.vendor_filter.editing = false;
    app.visited.insert(step);
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

fn start_check(app: &mut App) -> Vec<Effect> {
    if app.check.running {
        return Vec::new();
    }
    app.check = CheckState {
        running: true,
        stages: StageId::ALL
            .iter()
            .map(|id| (*id, StageView::Waiting))
            .collect(),
        started: Some(std::time::Instant::now()),
        ..CheckState::default()
    };
    if let Some(i) = app.panes().iter().position(|p| *p == Pane::Stages) {
        app.focus = i;
        app.cursors.insert((StepId::Integration, Pane::Stages), 0);
    }
    app.set_status(Tone::Info, "testing… (Esc cancels)");
    vec![Effect::StartCheck]
}

fn on_check_event(app: &mut App, event: CheckEvent) {
    if !app.check.running {
        // A cancelled run may still deliver a late event: it describes nothing on screen.
        return;
    }
    // Server names, versions and echoed input may hold escape sequences or bidi overrides:
    // the wizard only ever holds (and draws) the sanitized text.
    match event.for_display() {
        CheckEvent::Started(id) => {
            app.check.retry = None;
            app.check.stages.insert(id, StageView::Running);
        }
        CheckEvent::Retry(notice) => app.check.retry = Some(notice.to_string()),
        CheckEvent::Finished(result) => {
            app.check.retry = None;
            app.check
                .stages
                .insert(result.id, StageView::Finished(result));
        }
        CheckEvent::Permission(p) => app.check.permissions.push(p),
        CheckEvent::Done(report) => {
            app.check.running = false;
            for result in &report.stages {
                app.check
                    .stages
                    .insert(result.id, StageView::Finished(result.clone()));
            }
            app.check.permissions = report.permissions.clone();
            let ok = report.ok;
            let warnings = report.warnings.len();
            let warned = report.verdict == crate::check::Verdict::Warn;
            app.last_verdict = Some(verdict(&report));
            app.check.report = Some(*report);
            if ok && warned {
                app.set_status(
                    Tone::Warn,
                    format!(
                        "passed with {}: read {} before you type the values in the portal",
                        crate::check::plural(warnings.max(1), "warning", "warnings"),
                        if warnings <= 1 { "it" } else { "them" }
                    ),
                );
                // Put the cursor on the first stage that warns, where its warning is.
                if let Some(i) = StageId::ALL.iter().position(|id| {
                    matches!(app.check.stage(*id), Some(StageView::Finished(r)) if r.status == crate::check::StageStatus::Warn)
                }) {
                    app.cursors.insert((StepId::Integration, Pane::Stages), i);
                }
            } else if ok {
                app.set_status(
                    Tone::Good,
                    "test passed: copy the values under \"For the vendor's portal\" (Tab there, c copies)",
                );
            } else {
                app.set_status(
                    Tone::Bad,
                    "test failed: ↑/↓ over the ✗ rows to read each fix, then t to test again",
                );
                // Put the cursor on the first failure, where the fix is.
                if let Some(i) = StageId::ALL.iter().position(|id| {
                    matches!(app.check.stage(*id), Some(StageView::Finished(r)) if r.status == crate::check::StageStatus::Fail)
                }) {
                    app.cursors.insert((StepId::Integration, Pane::Stages), i);
                }
            }
        }
    }
}

/// The test's outcome in one line, kept for resuming: "passed", "failed: auth, permissions".
fn verdict(report: &crate::check::CheckReport) -> String {
    if report.verdict == crate::check::Verdict::Warn {
        let n = report.warnings.len();
        let s = if n == 1 { "" } else { "s" };
        return format!(
            "passed with {n} warning{s} for company {}",
            report.company_id
        );
    }
    if report.ok {
        return format!("passed for company {}", report.company_id);
    }
    let failed: Vec<&str> = report
        .stages
        .iter()
        .filter(|s| s.status == crate::check::StageStatus::Fail)
        .map(|s| s.id.id())
        .collect();
    format!("failed ({})", failed.join(", "))
}

fn focused_role_row(app: &App) -> Option<crate::profile::RoleRow> {
    let merged = &app.content(StepId::SecurityRole).role_rows;
    let row = merged.get(app.cursor(Pane::RoleTable))?;
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
        add: row.add,
        edit: row.edit,
        delete: row.delete,
        inquire: row.inquire,
        why: row.why.join("; "),
        optional: row.optional,
        probe: row.probe.clone(),
        customize: row.customize.clone(),
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

fn save_editor(app: &mut App) {
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
            // probe that verifies the row, Table Setup's customize list, optional) is kept.
            let kept = &rows[i];
            let row = profile::RoleRow {
                optional: kept.optional,
                probe: kept.probe.clone(),
                customize: kept.customize.clone(),
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

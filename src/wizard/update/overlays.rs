//! The overlays' own actions: each open overlay (help, the quit question, the resume offer, the
//! role row editor, a result's detail) consumes the actions that are its own, as a popup does,
//! before the step sees them. Also what opens the help and the quit question.

use super::super::app::{App, Overlay, Tone};
use super::super::keymap::Action;
use super::super::view;
use super::role_rows::save_editor;
use super::{Effect, go_to};

/// The open overlay's handling of `action`: `Some` when it consumed it, `None` to let the step
/// have it (no overlay, or an action the overlay does not own, such as Ctrl-C).
pub(super) fn on_action(app: &mut App, action: Action) -> Option<Vec<Effect>> {
    let consumed = match app.overlay.as_ref()? {
        Overlay::Help => help(app, action),
        Overlay::ConfirmQuit => confirm_quit(app, action),
        Overlay::Resume(_) => resume_offer(app, action),
        Overlay::Editor(_) => editor(app, action),
        Overlay::Detail(_) => detail(app, action),
    };
    consumed.then(Vec::new)
}

fn help(app: &mut App, action: Action) -> bool {
    match action {
        // The view clamps the scroll to what there is to show.
        Action::Down => app.help_scroll = (app.help_scroll + 1).min(view::help_scroll_limit(app)),
        Action::Up => app.help_scroll = app.help_scroll.saturating_sub(1),
        Action::CloseHelp => app.overlay = None,
        _ => return false,
    }
    true
}

fn confirm_quit(app: &mut App, action: Action) -> bool {
    match action {
        // q again, or y/Enter: the keys were already said to be wiped on quit.
        Action::ConfirmQuit | Action::Quit => app.should_quit = true,
        Action::CancelQuit => app.overlay = None,
        _ => return false,
    }
    true
}

fn resume_offer(app: &mut App, action: Action) -> bool {
    match action {
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
        }
        // The saved setup is replaced at the first change.
        Action::StartFresh => app.overlay = None,
        _ => return false,
    }
    true
}

fn editor(app: &mut App, action: Action) -> bool {
    match action {
        Action::FocusNext | Action::FocusPrev => {
            if let Some(Overlay::Editor(editor)) = &mut app.overlay {
                editor.move_focus(action == Action::FocusNext);
            }
        }
        Action::EditorSave => save_editor(app),
        Action::EditorCancel => app.overlay = None,
        _ => return false,
    }
    true
}

fn detail(app: &mut App, action: Action) -> bool {
    let size = app.size;
    let Some(Overlay::Detail(detail)) = &mut app.overlay else {
        return false;
    };
    match action {
        Action::Down => detail.scroll = (detail.scroll + 1).min(detail.max_scroll(size)),
        Action::Up => detail.scroll = detail.scroll.saturating_sub(1),
        Action::CloseDetail => app.overlay = None,
        _ => return false,
    }
    true
}

/// `?` opens the help; `q` quits, or asks first while keys are held; Esc with nothing to close
/// says what Esc does. An overlay's own action arriving with nothing open ends the same way.
pub(super) fn open_or_quit(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::Help => {
            app.overlay = Some(Overlay::Help);
            app.help_scroll = 0;
        }
        Action::Quit if app.keys_entered() => app.overlay = Some(Overlay::ConfirmQuit),
        Action::Quit | Action::QuitNow | Action::ConfirmQuit => app.should_quit = true,
        Action::NothingToClose => app.set_status(
            Tone::Info,
            "nothing to close: Esc leaves a field, closes a window or cancels a test; the step stays",
        ),
        _ => app.overlay = None,
    }
    Vec::new()
}

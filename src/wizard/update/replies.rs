//! What the effect runner ([`crate::wizard::effects`]) reports back, folded into the state: a
//! file saved or not, a background job that could not start, the clipboard's countdown.

use super::Msg;
use crate::wizard::app::{App, Tone};

pub(super) fn on_reply(app: &mut App, msg: Msg) {
    match msg {
        Msg::ClipboardCountdown(countdown) => app.clipboard_countdown = countdown,
        Msg::ClipboardForgot(message) => {
            // Said after what the wipe said, not instead of it.
            let done = app
                .status
                .as_ref()
                .map_or("keys wiped from memory".to_string(), |s| s.text.clone());
            app.set_status(Tone::Good, format!("{done}; {message}"));
        }
        Msg::CheckFailedToStart(problem) => {
            app.check.running = false;
            app.set_status(Tone::Bad, problem);
        }
        Msg::AuditFailedToStart(problem) => {
            app.own.audit.running = false;
            app.set_status(Tone::Bad, problem);
        }
        Msg::ReportSaved { path, error: None } => app.set_status(
            Tone::Good,
            format!("report saved to {} (no secrets in it)", path.display()),
        ),
        Msg::ReportSaved {
            path,
            error: Some(e),
        } => app.set_status(
            Tone::Bad,
            format!(
                "could not save the report to {}: {e}; start cwsetup in a folder you can write to",
                path.display()
            ),
        ),
        Msg::ProfileSaved {
            index,
            path,
            error: None,
        } => {
            app.edited_profiles.remove(&index);
            // How to load it next time is the front end's to say (a flag, for the command line).
            let reuse = if app.hints.load_profile.is_empty() {
                String::new()
            } else {
                format!(
                    "; reuse it with {} {}",
                    app.hints.load_profile,
                    path.display()
                )
            };
            app.set_status(
                Tone::Good,
                format!("role saved to {}{reuse}", path.display()),
            );
        }
        Msg::ProfileSaved { error: Some(e), .. } => {
            app.set_status(Tone::Bad, format!("could not save the profile: {e}"))
        }
        _ => {}
    }
}

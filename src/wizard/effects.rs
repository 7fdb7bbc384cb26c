//! The effect runner: carries out what [`update`](super::update) asks for (copy, open a link,
//! run the test or the audit in the background, save a file) and reports back as messages.
//!
//! It reads the state (the keys to copy, the report to save) and never changes it: what
//! happened goes back through `update` as a [`Msg`], like a key press would.

use std::path::PathBuf;
use std::time::Instant;

use tokio::sync::mpsc;
use tokio::task::AbortHandle;

use crate::check::{self, CheckEvent};
use crate::clipboard::{ClipboardManager, Sensitivity};

use super::app::{App, Tone};
use super::update::{Effect, Msg};
use crate::setup::content::ValueSource;

/// The background work the wizard may cancel: at most one test and one audit at a time.
#[derive(Default)]
pub struct Jobs {
    check: Option<AbortHandle>,
    /// "Check my work as I go": `x` (which wipes the keys it holds a copy of) and a new `t`
    /// stop it.
    audit: Option<AbortHandle>,
    /// The rotate path's check or proof: `x`, Esc and a new `t` stop it.
    rotate: Option<AbortHandle>,
}

impl Jobs {
    pub fn cancel_check(&mut self) {
        if let Some(old) = self.check.take() {
            old.abort();
        }
    }

    pub fn cancel_audit(&mut self) {
        if let Some(old) = self.audit.take() {
            old.abort();
        }
    }

    pub fn cancel_rotate(&mut self) {
        if let Some(old) = self.rotate.take() {
            old.abort();
        }
    }

    /// Stops everything still running (on the way out).
    pub fn cancel_all(&mut self) {
        self.cancel_check();
        self.cancel_audit();
        self.cancel_rotate();
    }
}

/// What carries out effects: the session's clipboard, the running jobs, where background results
/// are sent and where files are saved.
pub struct Runner {
    pub clipboard: ClipboardManager,
    pub jobs: Jobs,
    tx: mpsc::UnboundedSender<Msg>,
    save_dir: PathBuf,
}

impl Runner {
    pub fn new(
        clipboard: ClipboardManager,
        tx: mpsc::UnboundedSender<Msg>,
        save_dir: PathBuf,
    ) -> Runner {
        Runner {
            clipboard,
            jobs: Jobs::default(),
            tx,
            save_dir,
        }
    }
}

/// Carries out `effect`. The state is only read: what came of it is returned as messages for
/// `update` (background results arrive later on the channel).
pub fn carry_out(effect: Effect, app: &App, runner: &mut Runner) -> Vec<Msg> {
    match effect {
        Effect::Copy(value) => copy(&value, app, &mut runner.clipboard),
        Effect::StartCheck => {
            runner.jobs.cancel_check();
            let request = match crate::setup::request::check_request(app) {
                Ok(request) => request,
                Err(problem) => return vec![Msg::CheckFailedToStart(problem)],
            };
            let tx = runner.tx.clone();
            let task = tokio::spawn(async move {
                let (events_tx, mut events_rx) = mpsc::unbounded_channel::<CheckEvent>();
                let forward = {
                    let tx = tx.clone();
                    tokio::spawn(async move {
                        while let Some(event) = events_rx.recv().await {
                            let _ = tx.send(Msg::Check(event));
                        }
                    })
                };
                let report = check::run_each(request, Some(events_tx)).await;
                let _ = forward.await;
                let _ = tx.send(Msg::Check(CheckEvent::Done(Box::new(report))));
            });
            runner.jobs.check = Some(task.abort_handle());
            Vec::new()
        }
        Effect::OpenLink(url) => vec![open_link(&mut runner.clipboard, &url)],
        Effect::CancelCheck => {
            runner.jobs.cancel_check();
            Vec::new()
        }
        Effect::StartAudit => {
            runner.jobs.cancel_audit();
            let request = match crate::setup::request::audit_request(app) {
                Ok(request) => request,
                Err(problem) => return vec![Msg::AuditFailedToStart(problem)],
            };
            let generation = app.own.audit.generation;
            let tx = runner.tx.clone();
            let task = tokio::spawn(async move {
                let outcome = crate::audit::run(request).await;
                let _ = tx.send(Msg::Audit(generation, Box::new(outcome)));
            });
            runner.jobs.audit = Some(task.abort_handle());
            Vec::new()
        }
        Effect::CancelAudit => {
            runner.jobs.cancel_audit();
            Vec::new()
        }
        Effect::StartRotateCheck | Effect::ProveOldKey | Effect::CancelRotate => {
            rotate(&effect, app, runner)
        }
        Effect::CopyRotateKey(field) => copy_rotate_key(field, app, &mut runner.clipboard),
        Effect::KeysCleared => runner
            .clipboard
            .forget_secret()
            .map(Msg::ClipboardForgot)
            .into_iter()
            .collect(),
        Effect::SaveReport => match crate::setup::report::save_report(app, &runner.save_dir) {
            Some((path, written)) => vec![Msg::ReportSaved {
                path,
                error: written.err().map(|e| e.to_string()),
            }],
            None => Vec::new(),
        },
        Effect::SaveProfile(index) => {
            let Some(profile) = app.profiles.get(index) else {
                return Vec::new();
            };
            // The platform's config folder, or where cwsetup was started if there is none.
            let path = crate::profile::user_profile_path(&profile.id)
                .unwrap_or_else(|| runner.save_dir.join(format!("{}.json", profile.id)));
            let error = crate::profile::save_user_profile(profile, &path)
                .err()
                .map(|e| e.to_string());
            vec![Msg::ProfileSaved { index, path, error }]
        }
    }
}

/// The rotate path's background work: the new key's check, or the old key's proof. Each has its
/// own copies of the keys, wiped when it ends.
fn rotate(effect: &Effect, app: &App, runner: &mut Runner) -> Vec<Msg> {
    runner.jobs.cancel_rotate();
    let Some(generation) = app.rotation.as_ref().map(|r| r.generation) else {
        return Vec::new();
    };
    let tx = runner.tx.clone();
    let task = match effect {
        Effect::StartRotateCheck => {
            let request = match crate::setup::rotation::check_request(app) {
                Ok(request) => request,
                Err(problem) => return vec![Msg::RotateFailedToStart(problem)],
            };
            tokio::spawn(async move {
                let report = check::run(request, None).await;
                let _ = tx.send(Msg::RotateNewKey(generation, Box::new(report)));
            })
        }
        Effect::ProveOldKey => {
            let request = match crate::setup::rotation::rotate_request(app) {
                Ok(request) => request,
                Err(problem) => return vec![Msg::RotateFailedToStart(problem)],
            };
            tokio::spawn(async move {
                let old = crate::rotate::prove_old_key_only(request).await;
                let _ = tx.send(Msg::RotateOldKey(generation, old));
            })
        }
        _ => return Vec::new(),
    };
    runner.jobs.rotate = Some(task.abort_handle());
    Vec::new()
}

/// Copies one of the rotate path's new keys (a portal value on its step 3 names it).
fn copy_rotate_key(
    field: crate::setup::rotation::RotateField,
    app: &App,
    clipboard: &mut ClipboardManager,
) -> Vec<Msg> {
    let Some(input) = app.rotation.as_ref().and_then(|r| r.key(field)) else {
        return Vec::new();
    };
    if input.secret().is_empty() {
        return vec![Msg::Status(
            Tone::Warn,
            format!("{} is empty: paste it on step 2 first", field.label()),
        )];
    }
    let outcome = clipboard.copy(
        field.label(),
        input.secret().expose(),
        Sensitivity::Secret,
        Instant::now(),
    );
    let message = if outcome.ok {
        outcome.brief
    } else {
        outcome.message
    };
    vec![Msg::Status(
        if outcome.ok { Tone::Good } else { Tone::Warn },
        message,
    )]
}

fn copy(
    value: &crate::setup::content::CopyValue,
    app: &App,
    clipboard: &mut ClipboardManager,
) -> Vec<Msg> {
    let outcome = match &value.value {
        ValueSource::Text(text) => {
            clipboard.copy(&value.label, text, Sensitivity::Plain, Instant::now())
        }
        ValueSource::Field(id) => {
            let Some(input) = app.key_input(*id) else {
                return Vec::new();
            };
            if input.secret().is_empty() {
                return vec![Msg::Status(
                    Tone::Warn,
                    format!(
                        "{} is empty: paste it on step 4 first",
                        app.field_label(*id)
                    ),
                )];
            }
            clipboard.copy(
                &value.label,
                input.secret().expose(),
                Sensitivity::Secret,
                Instant::now(),
            )
        }
    };
    // The countdown on the status line says when it clears: the message does not repeat it.
    let mut message = if outcome.ok {
        outcome.brief
    } else {
        outcome.message
    };
    // OSC 52 may be refused: a value that is not secret is shown, ready to copy by hand. One
    // line fits the status line; several (the admin handoff) open whole in an overlay.
    let mut shown = None;
    if outcome.osc52
        && let ValueSource::Text(text) = &value.value
    {
        if text.lines().nth(1).is_some() {
            message =
                format!("{message}; the whole text is shown to copy by hand (Shift+drag selects)");
            shown = Some(Msg::ShowText(
                format!(
                    "{}: select it by hand (Shift+drag), Esc closes",
                    value.label
                ),
                text.clone(),
            ));
        } else {
            message = format!("{message}; by hand (Shift+drag selects): {text}");
        }
    }
    let mut msgs = vec![Msg::Status(
        if outcome.ok { Tone::Good } else { Tone::Warn },
        message,
    )];
    msgs.extend(shown);
    msgs
}

/// Opens `url` in the browser; over SSH, or when no browser opens, copies it instead.
fn open_link(clipboard: &mut ClipboardManager, url: &str) -> Msg {
    let remote = ["SSH_CONNECTION", "SSH_TTY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|v| !v.is_empty()));
    let why = if remote {
        "over SSH a browser would open on the other machine"
    } else {
        match open::that_detached(url) {
            Ok(()) => return Msg::Status(Tone::Good, format!("opened {url} in your browser")),
            // The launcher's own words ("Launcher gio … ExitStatus(…)") are for the log only.
            Err(e) => {
                tracing::debug!(error = %e, "no browser could be opened");
                "no browser opened"
            }
        }
    };
    let outcome = clipboard.copy("link", url, Sensitivity::Plain, Instant::now());
    // Short words first, so the whole link fits the status line.
    if outcome.ok {
        Msg::Status(Tone::Info, format!("{why}; the link was copied: {url}"))
    } else {
        Msg::Status(
            Tone::Warn,
            format!("{why} and the clipboard is unavailable; the link: {url}"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::setup::content::CopyValue;
    use crate::setup::saved::SavedState;
    use crate::wizard::app::{FieldId, Settings};
    use crate::wizard::update::update;
    use std::time::Duration;

    fn app() -> App {
        let settings = Settings {
            demo: false,
            no_color: true,
            timeout: Duration::from_secs(10),
            show_staging: false,
        };
        App::new(
            settings,
            crate::profile::builtin().to_vec(),
            &["sync365".to_string()],
        )
    }

    fn runner(dir: &std::path::Path) -> (Runner, mpsc::UnboundedReceiver<Msg>) {
        let (tx, rx) = mpsc::unbounded_channel();
        let clipboard = ClipboardManager::unavailable("none in tests", Duration::ZERO);
        (Runner::new(clipboard, tx, dir.to_path_buf()), rx)
    }

    /// What the state shows: its saved form and the status line.
    fn shown(app: &App) -> (SavedState, Option<String>) {
        (
            SavedState::from_app(app),
            app.status.as_ref().map(|s| s.text.clone()),
        )
    }

    #[test]
    fn the_runner_reads_the_state_and_reports_back_in_messages() {
        // The signature is the guarantee: a shared borrow of the state, messages out.
        let _: fn(Effect, &App, &mut Runner) -> Vec<Msg> = carry_out;
        let dir = tempfile::tempdir().expect("temp dir");
        let (mut runner, _rx) = runner(dir.path());
        let mut app = app();
        app.set_status(Tone::Info, "before");
        let before = shown(&app);
        let effects = [
            Effect::Copy(CopyValue {
                label: "Public key".into(),
                value: ValueSource::Field(FieldId::PublicKey),
            }),
            Effect::Copy(CopyValue {
                label: "Company ID".into(),
                value: ValueSource::Text("contoso".into()),
            }),
            Effect::KeysCleared,
            Effect::SaveReport,
            Effect::CancelCheck,
            Effect::CancelAudit,
        ];
        let mut replies = Vec::new();
        for effect in effects {
            replies.extend(carry_out(effect, &app, &mut runner));
            assert_eq!(shown(&app), before, "the runner changed nothing");
        }
        // An empty key is not copied; the clipboard is unavailable; nothing was copied before,
        // so nothing to forget; no report yet.
        let texts: Vec<(Tone, String)> = replies
            .into_iter()
            .map(|m| match m {
                Msg::Status(tone, text) => (tone, text),
                other => panic!("unexpected {other:?}"),
            })
            .collect();
        assert_eq!(texts.len(), 2, "{texts:?}");
        assert_eq!(
            texts[0],
            (
                Tone::Warn,
                "Public key is empty: paste it on step 4 first".to_string()
            )
        );
        assert_eq!(texts[1].0, Tone::Warn);
        assert!(
            texts[1]
                .1
                .starts_with("no clipboard available (none in tests)")
        );
        // Through `update`, the message becomes the status line.
        let (tone, text) = texts[0].clone();
        assert!(update(&mut app, Msg::Status(tone, text)).is_empty());
        let status = app.status.as_ref().expect("status");
        assert_eq!(status.text, "Public key is empty: paste it on step 4 first");
        assert_eq!(status.tone, Tone::Warn);
    }

    fn status_after(app: &mut App, msg: Msg) -> (Tone, String) {
        assert!(update(app, msg).is_empty(), "no further effects");
        let status = app.status.as_ref().expect("a status line");
        (status.tone.clone(), status.text.clone())
    }

    #[test]
    fn what_the_runner_reports_makes_the_same_status_lines_as_before() {
        let mut app = app();
        app.hints.load_profile = "<load>".into();
        let path = PathBuf::from("/tmp/x/cwsetup-report-acme.md");
        assert_eq!(
            status_after(
                &mut app,
                Msg::ReportSaved {
                    path: path.clone(),
                    error: None
                }
            ),
            (
                Tone::Good,
                "report saved to /tmp/x/cwsetup-report-acme.md (no secrets in it)".into()
            )
        );
        assert_eq!(
            status_after(
                &mut app,
                Msg::ReportSaved {
                    path,
                    error: Some("Permission denied".into())
                }
            ),
            (
                Tone::Bad,
                "could not save the report to /tmp/x/cwsetup-report-acme.md: Permission denied; start cwsetup in a folder you can write to".into()
            )
        );

        app.edited_profiles.insert(0);
        let profile = PathBuf::from("/tmp/x/sync365.json");
        assert_eq!(
            status_after(
                &mut app,
                Msg::ProfileSaved {
                    index: 0,
                    path: profile.clone(),
                    error: Some("disk full".into())
                }
            ),
            (Tone::Bad, "could not save the profile: disk full".into())
        );
        assert!(app.edited_profiles.contains(&0), "not saved: still edited");
        assert_eq!(
            status_after(
                &mut app,
                Msg::ProfileSaved {
                    index: 0,
                    path: profile,
                    error: None
                }
            ),
            (
                Tone::Good,
                "role saved to /tmp/x/sync365.json; reuse it with <load> /tmp/x/sync365.json"
                    .into()
            )
        );
        assert!(app.edited_profiles.is_empty(), "saved: no longer edited");

        app.check.running = true;
        assert_eq!(
            status_after(
                &mut app,
                Msg::CheckFailedToStart("Public key: too long".into())
            ),
            (Tone::Bad, "Public key: too long".into())
        );
        assert!(!app.check.running);

        app.own.audit.running = true;
        assert_eq!(
            status_after(&mut app, Msg::AuditFailedToStart("too long".into())),
            (Tone::Bad, "too long".into())
        );
        assert!(!app.own.audit.running);

        app.set_status(Tone::Good, "both keys wiped from memory");
        assert_eq!(
            status_after(&mut app, Msg::ClipboardForgot("clipboard cleared".into())),
            (
                Tone::Good,
                "both keys wiped from memory; clipboard cleared".into()
            )
        );
        app.status = None;
        assert_eq!(
            status_after(&mut app, Msg::ClipboardForgot("clipboard cleared".into())),
            (
                Tone::Good,
                "keys wiped from memory; clipboard cleared".into()
            )
        );

        assert!(update(&mut app, Msg::ClipboardCountdown(Some(("key".into(), 9)))).is_empty());
        assert_eq!(app.clipboard_countdown, Some(("key".to_string(), 9)));
    }
}

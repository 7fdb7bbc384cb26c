//! The terminal wizard. Knows nothing about HTTP: it drives [`crate::check`].
//!
//! state ([`app`]) → message ([`update::Msg`]) → [`update`] → render ([`view`]). One async loop
//! reads terminal events, background results and signals; it wakes on a timer only while
//! something animates (a running test) or a clipboard countdown is due, so an idle wizard
//! does no work.

pub mod app;
pub mod content;
pub mod keymap;
pub mod masked_input;
pub mod own_keys;
pub mod role_editor;
pub mod terminal;
pub mod text_field;
pub mod update;
pub mod view;
pub mod wrap;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crossterm::event::{Event, EventStream};
use futures::StreamExt;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::check::{self, CheckEvent, CheckRequest};
use crate::clipboard::{ClipboardManager, Sensitivity};
use crate::profile::Profile;
use crate::secret::Secret;

use app::{App, FieldId, Prefill, Settings, Tone};
use content::ValueSource;
use update::{Effect, Msg};

/// How the wizard was asked to start.
pub struct WizardOptions {
    pub settings: Settings,
    pub profiles: Vec<Profile>,
    pub selected: Vec<String>,
    pub prefill: Option<Prefill>,
    /// Seconds before a copied key is cleared from the clipboard; zero keeps it.
    pub clipboard_clear: Duration,
    /// Where reports and edited profiles are saved.
    pub save_dir: PathBuf,
}

/// Frames per second of the spinner while a test runs.
const SPINNER_INTERVAL: Duration = Duration::from_millis(120);

/// Runs the wizard until the technician quits. Returns the lines to print after the terminal is
/// restored (e.g. "clipboard cleared").
pub async fn run(options: WizardOptions) -> std::io::Result<Vec<String>> {
    let mut app = App::new(options.settings, options.profiles, &options.selected);
    if let Some(prefill) = options.prefill {
        app.prefill(prefill);
    }
    let mut clipboard = ClipboardManager::detect(options.clipboard_clear);
    let mut guard = terminal::TerminalGuard::enter()?;
    let size = guard.terminal.size()?;
    app.size = (size.width, size.height);

    let (tx, mut rx) = mpsc::unbounded_channel::<Msg>();
    let mut events = EventStream::new();
    let mut signals = Signals::new()?;
    let mut job: Option<JoinHandle<()>> = None;
    let mut next_spinner: Option<tokio::time::Instant> = None;

    loop {
        app.clipboard_countdown = clipboard
            .countdown(Instant::now())
            .map(|left| (clipboard.label().to_string(), left.as_secs() + 1));
        // One synchronized update per frame: no tearing on slow links (SSH, support calls).
        crossterm::queue!(
            guard.terminal.backend_mut(),
            crossterm::terminal::BeginSynchronizedUpdate
        )?;
        guard
            .terminal
            .draw(|frame| view::render(&app, frame.area(), frame.buffer_mut()))?;
        crossterm::execute!(
            guard.terminal.backend_mut(),
            crossterm::terminal::EndSynchronizedUpdate
        )?;
        if app.should_quit {
            break;
        }
        inject_test_panic();

        // Sleep until the next thing that must move on its own, if any.
        next_spinner = if app.animating() {
            Some(next_spinner.unwrap_or_else(|| tokio::time::Instant::now() + SPINNER_INTERVAL))
        } else {
            None
        };
        let clipboard_due = clipboard
            .next_deadline()
            .map(tokio::time::Instant::from_std);
        // The visible countdown changes once a second: wake for that too, only while it runs.
        let countdown_tick = clipboard.countdown(Instant::now()).map(|left| {
            let into_second = Duration::from_nanos((left.as_nanos() % 1_000_000_000) as u64);
            tokio::time::Instant::now() + into_second + Duration::from_millis(1)
        });
        let wake = [next_spinner, clipboard_due, countdown_tick]
            .into_iter()
            .flatten()
            .min();

        let msg = tokio::select! {
            event = events.next() => match event {
                Some(Ok(event)) => match to_msg(event) { Some(m) => m, None => continue },
                Some(Err(_)) | None => Msg::Terminate,
            },
            Some(msg) = rx.recv() => msg,
            _ = signals.recv() => Msg::Terminate,
            _ = sleep_until(wake), if wake.is_some() => {
                let now = tokio::time::Instant::now();
                if next_spinner.is_some_and(|t| t <= now) {
                    next_spinner = Some(now + SPINNER_INTERVAL);
                }
                if let Some(message) = clipboard.tick(Instant::now()) {
                    app.set_status(Tone::Info, message);
                }
                Msg::Tick
            }
        };
        let mut batch = vec![msg];
        // Drain whatever else is already waiting, so a burst renders once.
        while let Ok(more) = rx.try_recv() {
            batch.push(more);
        }
        for msg in batch {
            for effect in update::update(&mut app, msg) {
                carry_out(
                    effect,
                    &mut app,
                    &mut clipboard,
                    &tx,
                    &mut job,
                    &options.save_dir,
                );
            }
        }
    }

    if let Some(job) = job.take() {
        job.abort();
    }
    let mut farewell = Vec::new();
    if let Some(message) = clipboard.on_quit() {
        farewell.push(message);
    }
    drop(guard);
    Ok(farewell)
}

/// Debug builds only: the lifecycle tests make the wizard panic on purpose, to prove the
/// terminal is restored before the message is printed.
fn inject_test_panic() {
    #[cfg(debug_assertions)]
    if std::env::var_os("CWSETUP_TEST_PANIC").is_some() {
        panic!("injected panic (CWSETUP_TEST_PANIC) to test that the terminal is restored");
    }
}

async fn sleep_until(deadline: Option<tokio::time::Instant>) {
    match deadline {
        Some(d) => tokio::time::sleep_until(d).await,
        None => std::future::pending().await,
    }
}

fn to_msg(event: Event) -> Option<Msg> {
    match event {
        Event::Key(key) => Some(Msg::Key(key)),
        Event::Mouse(mouse) => Some(Msg::Mouse(mouse)),
        Event::Paste(text) => Some(Msg::Paste(text)),
        Event::Resize(w, h) => Some(Msg::Resize(w, h)),
        Event::FocusGained | Event::FocusLost => None,
    }
}

fn carry_out(
    effect: Effect,
    app: &mut App,
    clipboard: &mut ClipboardManager,
    tx: &mpsc::UnboundedSender<Msg>,
    job: &mut Option<JoinHandle<()>>,
    save_dir: &std::path::Path,
) {
    match effect {
        Effect::Copy(value) => {
            let outcome = match &value.value {
                ValueSource::Text(text) => {
                    clipboard.copy(&value.label, text, Sensitivity::Plain, Instant::now())
                }
                ValueSource::Field(id) => {
                    let Some(input) = app.key_input(*id) else {
                        return;
                    };
                    if input.secret().is_empty() {
                        app.set_status(
                            Tone::Warn,
                            format!("{} is empty: paste it on step 4 first", id.label()),
                        );
                        return;
                    }
                    clipboard.copy(
                        &value.label,
                        input.secret().expose(),
                        Sensitivity::Secret,
                        Instant::now(),
                    )
                }
            };
            app.set_status(
                if outcome.ok { Tone::Good } else { Tone::Warn },
                outcome.message,
            );
        }
        Effect::StartCheck => {
            if let Some(old) = job.take() {
                old.abort();
            }
            let request = match check_request(app) {
                Ok(request) => request,
                Err(problem) => {
                    app.check.running = false;
                    app.set_status(Tone::Bad, problem);
                    return;
                }
            };
            let tx = tx.clone();
            *job = Some(tokio::spawn(async move {
                let (events_tx, mut events_rx) = mpsc::unbounded_channel::<CheckEvent>();
                let forward = {
                    let tx = tx.clone();
                    tokio::spawn(async move {
                        while let Some(event) = events_rx.recv().await {
                            let _ = tx.send(Msg::Check(event));
                        }
                    })
                };
                let report = check::run(request, Some(events_tx)).await;
                let _ = forward.await;
                let _ = tx.send(Msg::Check(CheckEvent::Done(Box::new(report))));
            }));
        }
        Effect::CancelCheck => {
            if let Some(old) = job.take() {
                old.abort();
            }
        }
        Effect::StartAudit => {
            cancel_audit();
            let request = match own_keys::request(app) {
                Ok(request) => request,
                Err(problem) => {
                    app.own.audit.running = false;
                    app.set_status(Tone::Bad, problem);
                    return;
                }
            };
            let generation = app.own.audit.generation;
            let tx = tx.clone();
            let task = tokio::spawn(async move {
                let outcome = crate::audit::run(request).await;
                let _ = tx.send(Msg::Audit(generation, Box::new(outcome)));
            });
            if let Ok(mut slot) = AUDIT_JOB.lock() {
                *slot = Some(task.abort_handle());
            }
        }
        Effect::CancelAudit => cancel_audit(),
        Effect::KeysCleared => {
            if let Some(message) = clipboard.forget_secret() {
                let done = app
                    .status
                    .as_ref()
                    .map_or("keys wiped from memory".to_string(), |s| s.text.clone());
                app.set_status(Tone::Good, format!("{done}; {message}"));
            }
        }
        Effect::SaveReport => {
            let Some(report) = &app.check.report else {
                return;
            };
            let profiles = app.selected_profiles();
            let text = check::markdown(report, &profiles, &public_key_hint(app));
            let safe_id: String = report
                .company_id
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                .collect();
            let path = save_dir.join(format!("cwsetup-report-{safe_id}.md"));
            match crate::report_file::write_private(&path, text.as_bytes()) {
                Ok(()) => app.set_status(Tone::Good, format!("report saved to {} (no secrets in it)", path.display())),
                Err(e) => app.set_status(Tone::Bad, format!("could not save the report to {}: {e}; start cwsetup in a folder you can write to", path.display())),
            }
        }
        Effect::SaveProfile(index) => {
            let Some(profile) = app.profiles.get(index) else {
                return;
            };
            // The platform's config folder, or where cwsetup was started if there is none.
            let path = crate::profile::user_profile_path(&profile.id)
                .unwrap_or_else(|| save_dir.join(format!("{}.json", profile.id)));
            match crate::profile::save_user_profile(profile, &path) {
                Ok(()) => {
                    app.edited_profiles.remove(&index);
                    app.set_status(
                        Tone::Good,
                        format!(
                            "role saved to {}; reuse it with --profile-file {}",
                            path.display(),
                            path.display()
                        ),
                    );
                }
                Err(e) => app.set_status(Tone::Bad, format!("could not save the profile: {e}")),
            }
        }
    }
}

/// The running "Check my work as I go" audit, so that `x` (which wipes the keys it holds a copy
/// of) and a new `t` can stop it. One at a time.
static AUDIT_JOB: std::sync::Mutex<Option<tokio::task::AbortHandle>> = std::sync::Mutex::new(None);

fn cancel_audit() {
    if let Ok(mut slot) = AUDIT_JOB.lock()
        && let Some(old) = slot.take()
    {
        old.abort();
    }
}

/// "Demo…": the public key's first 4 characters, for reports. Never the private key.
fn public_key_hint(app: &App) -> String {
    let key = app.public_key.secret().expose();
    let prefix: String = key.chars().take(4).collect();
    if prefix.is_empty() {
        "(not entered)".into()
    } else {
        format!("{prefix}…")
    }
}

/// The test's input, with its own copies of the keys (wiped when the test ends).
fn check_request(app: &App) -> Result<CheckRequest, String> {
    let copy = |id: FieldId| -> Result<Secret, String> {
        let input = app
            .key_input(id)
            .ok_or_else(|| "internal: not a key field".to_string())?;
        Secret::from_str_checked(input.secret().expose()).map_err(|e| e.to_string())
    };
    Ok(CheckRequest {
        site: app.site.value().to_string(),
        company_id: app.company_id.value().to_string(),
        client_id: app.client_id.value().to_string(),
        public_key: copy(FieldId::PublicKey)?,
        private_key: copy(FieldId::PrivateKey)?,
        profiles: app.selected_profiles().into_iter().cloned().collect(),
        timeout: app.settings.timeout,
    })
}

/// SIGTERM and SIGHUP, which must restore the terminal like a normal quit.
struct Signals {
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
    #[cfg(unix)]
    hup: tokio::signal::unix::Signal,
}

impl Signals {
    fn new() -> std::io::Result<Signals> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Signals {
                term: signal(SignalKind::terminate())?,
                hup: signal(SignalKind::hangup())?,
            })
        }
        #[cfg(not(unix))]
        Ok(Signals {})
    }

    async fn recv(&mut self) {
        #[cfg(unix)]
        tokio::select! {
            _ = self.term.recv() => {},
            _ = self.hup.recv() => {},
        }
        #[cfg(not(unix))]
        std::future::pending::<()>().await
    }
}

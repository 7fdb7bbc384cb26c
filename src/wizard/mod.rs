//! The terminal wizard: a full-screen view of one [`crate::setup::Setup`]. Knows nothing about
//! HTTP: it drives [`crate::check`] and [`crate::audit`] through the setup's requests.
//!
//! state ([`app`]: the setup plus focus, cursors, overlays and scroll) → message
//! ([`update::Msg`]) → [`update`] → render ([`view`]). One async loop
//! reads terminal events, background results and signals; it wakes on a timer only while
//! something animates (a running test) or a clipboard countdown is due, so an idle wizard
//! does no work.

pub mod app;
pub mod detail;
pub mod edit;
pub mod effects;
pub mod keymap;
pub mod links;
pub mod pane;
pub mod plan;
pub mod role_editor;
pub mod rotate_keys;
pub mod terminal;
pub mod update;
pub mod view;
pub mod wrap;

use std::time::{Duration, Instant};

use crossterm::event::{Event, EventStream};
use futures::StreamExt;
use tokio::sync::mpsc;

use crate::clipboard::ClipboardManager;
use crate::setup::StartOptions;
use crate::setup::saved::Persistence;

use app::{App, Tone};
use effects::Runner;
use update::Msg;

/// Frames per second of the spinner while a test runs.
const SPINNER_INTERVAL: Duration = Duration::from_millis(120);

/// How the wizard ended.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Lines to print once the terminal is restored (e.g. "clipboard cleared").
    pub farewell: Vec<String>,
    /// The signal (SIGTERM, SIGHUP) that ended it, if one did: the process then exits with
    /// 128 + that number, as shells expect.
    pub signal: Option<i32>,
}

/// Runs the wizard until the technician quits or a signal ends it.
pub async fn run(mut options: StartOptions) -> std::io::Result<Outcome> {
    let (mut app, mut persist) = start(&mut options);
    let (tx, mut rx) = mpsc::unbounded_channel::<Msg>();
    let mut runner = Runner::new(
        ClipboardManager::detect(options.clipboard_clear),
        tx,
        options.save_dir,
    );
    let mut guard = terminal::TerminalGuard::enter()?;
    let size = guard.terminal.size()?;
    apply(&mut app, &mut runner, Msg::Resize(size.width, size.height));

    let mut events = EventStream::new();
    let mut signals = Signals::new()?;
    let mut next_spinner: Option<tokio::time::Instant> = None;
    let mut ended_by_signal: Option<i32> = None;

    loop {
        let countdown = runner
            .clipboard
            .countdown(Instant::now())
            .map(|left| (runner.clipboard.label().to_string(), left.as_secs() + 1));
        if countdown != app.clipboard_countdown {
            apply(&mut app, &mut runner, Msg::ClipboardCountdown(countdown));
        }
        draw(&mut guard, &app)?;
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
        let wake = next_wake(&runner, next_spinner);

        let mut from_terminal = false;
        let mut batch = Vec::new();
        let msg = tokio::select! {
            event = events.next() => match event {
                Some(Ok(event)) => {
                    from_terminal = true;
                    match to_msg(event) { Some(m) => m, None => continue }
                }
                Some(Err(_)) | None => Msg::Terminate,
            },
            Some(msg) = rx.recv() => msg,
            signal = signals.recv() => {
                ended_by_signal = Some(signal);
                Msg::Terminate
            }
            _ = sleep_until(wake), if wake.is_some() => {
                let now = tokio::time::Instant::now();
                if next_spinner.is_some_and(|t| t <= now) {
                    next_spinner = Some(now + SPINNER_INTERVAL);
                }
                if let Some(message) = runner.clipboard.tick(Instant::now()) {
                    batch.push(Msg::Status(Tone::Info, message));
                }
                Msg::Tick
            }
        };
        batch.push(msg);
        // Drain whatever else is already waiting, so a burst renders once: a paste without
        // bracketed paste arrives as thousands of key presses, and drawing after each one made
        // a 1 MB burst take minutes.
        if from_terminal {
            drain_terminal(&mut batch);
        }
        while let Ok(more) = rx.try_recv() {
            batch.push(more);
        }
        for msg in batch {
            if app.should_quit {
                // Keys typed after a quit do nothing (no copy, no test, no save).
                break;
            }
            apply(&mut app, &mut runner, msg);
        }
        // Never while the resume offer is open: the saved setup must survive until answered.
        let offering = matches!(app.overlay, Some(app::Overlay::Resume(_)));
        if !offering && let Some(warning) = persist.save_changes(&app) {
            apply(&mut app, &mut runner, Msg::Status(Tone::Warn, warning));
        }
    }

    runner.jobs.cancel_all();
    let mut farewell = persist.farewell(&app);
    if let Some(message) = runner.clipboard.on_quit() {
        farewell.push(message);
    }
    drop(guard);
    Ok(Outcome {
        farewell,
        signal: ended_by_signal,
    })
}

/// The wizard's state at start: the setup from the options, what was saved offered back, and
/// a saved file set aside said in the status line.
fn start(options: &mut StartOptions) -> (App, Persistence) {
    let mut app = App::new(
        options.settings.clone(),
        std::mem::take(&mut options.profiles),
        &options.selected,
    );
    app.hints = std::mem::take(&mut options.hints);
    if let Some(prefill) = options.prefill.take() {
        app.prefill(prefill);
    }
    let (persist, found) = Persistence::start(
        &mut app,
        options.state_file.clone(),
        options.config_file.clone(),
        options.fresh,
    );
    if let Some(offer) = found.offer {
        app.overlay = Some(app::Overlay::Resume(offer));
    }
    if let Some(warning) = found.warning {
        app.set_status(Tone::Warn, warning);
    }
    (app, persist)
}

/// One frame, as one synchronized update: no tearing on slow links (SSH, support calls).
fn draw(guard: &mut terminal::TerminalGuard, app: &App) -> std::io::Result<()> {
    crossterm::queue!(
        guard.terminal.backend_mut(),
        crossterm::terminal::BeginSynchronizedUpdate
    )?;
    guard
        .terminal
        .draw(|frame| view::render(app, frame.area(), frame.buffer_mut()))?;
    crossterm::execute!(
        guard.terminal.backend_mut(),
        crossterm::terminal::EndSynchronizedUpdate
    )?;
    Ok(())
}

/// When the loop must wake on its own: the spinner's next frame, the clipboard's deadline, or
/// the visible countdown's next second; `None` while nothing moves.
fn next_wake(
    runner: &Runner,
    next_spinner: Option<tokio::time::Instant>,
) -> Option<tokio::time::Instant> {
    let clipboard_due = runner
        .clipboard
        .next_deadline()
        .map(tokio::time::Instant::from_std);
    // The visible countdown changes once a second: wake for that too, only while it runs.
    let countdown_tick = runner.clipboard.countdown(Instant::now()).map(|left| {
        let into_second = Duration::from_nanos((left.as_nanos() % 1_000_000_000) as u64);
        tokio::time::Instant::now() + into_second + Duration::from_millis(1)
    });
    [next_spinner, clipboard_due, countdown_tick]
        .into_iter()
        .flatten()
        .min()
}

/// How deep the effects' own messages may lead to more effects: today none do, so this only
/// bounds a mistake.
const MAX_REPLY_DEPTH: usize = 4;

/// The one way the state changes: `msg` goes through [`update::update`]; each effect it asks for
/// is carried out, and what that reports back is applied before the next effect runs, as if it
/// had arrived right then.
fn apply(app: &mut App, runner: &mut Runner, msg: Msg) {
    apply_at(app, runner, msg, 0);
}

fn apply_at(app: &mut App, runner: &mut Runner, msg: Msg, depth: usize) {
    for effect in update::update(app, msg) {
        for reply in effects::carry_out(effect, app, runner) {
            if depth < MAX_REPLY_DEPTH {
                apply_at(app, runner, reply, depth + 1);
            }
        }
    }
}

/// The most terminal events applied before the screen is drawn again, and the longest a batch
/// may take to gather: a burst stays responsive (a frame at least every few dozen ms) and
/// costs one frame per batch instead of one per key.
const MAX_EVENTS_PER_FRAME: usize = 4096;
const MAX_BATCH_TIME: Duration = Duration::from_millis(50);
/// How long the drain waits for the next pending event. crossterm's `/dev/tty` reader (level-
/// triggered, so no input is ever left unread) needs a non-zero wait to look at the terminal;
/// input already there returns at once, so this is paid once per batch, not per key.
const DRAIN_POLL: Duration = Duration::from_millis(1);

/// Appends every terminal event already waiting (up to a frame's worth) to `batch`.
///
/// Called only right after the event stream yielded an event, when its helper thread is not
/// holding crossterm's reader, so the short poll never waits on it.
fn drain_terminal(batch: &mut Vec<Msg>) {
    let started = Instant::now();
    let mut taken = 0;
    while taken < MAX_EVENTS_PER_FRAME && started.elapsed() < MAX_BATCH_TIME {
        match crossterm::event::poll(DRAIN_POLL) {
            Ok(true) => {}
            Ok(false) => break,
            Err(_) => {
                batch.push(Msg::Terminate);
                break;
            }
        }
        match crossterm::event::read() {
            Ok(event) => {
                taken += 1;
                if let Some(msg) = to_msg(event) {
                    batch.push(msg);
                }
            }
            Err(_) => {
                batch.push(Msg::Terminate);
                break;
            }
        }
    }
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

/// SIGTERM and SIGHUP (on Windows: the console window closing, Ctrl-Break, log-off and
/// shut-down), which must restore the terminal like a normal quit. Ctrl-C is a key in raw mode
/// on both, handled by the key table.
struct Signals {
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
    #[cfg(unix)]
    hup: tokio::signal::unix::Signal,
    #[cfg(windows)]
    close: tokio::signal::windows::CtrlClose,
    #[cfg(windows)]
    brk: tokio::signal::windows::CtrlBreak,
    #[cfg(windows)]
    shutdown: tokio::signal::windows::CtrlShutdown,
    #[cfg(windows)]
    logoff: tokio::signal::windows::CtrlLogoff,
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
        #[cfg(windows)]
        {
            use tokio::signal::windows::{ctrl_break, ctrl_close, ctrl_logoff, ctrl_shutdown};
            // Windows ends the process shortly after a close, log-off or shut-down event; tokio
            // holds its handler until then, which leaves the loop the time to restore.
            Ok(Signals {
                close: ctrl_close()?,
                brk: ctrl_break()?,
                shutdown: ctrl_shutdown()?,
                logoff: ctrl_logoff()?,
            })
        }
        #[cfg(not(any(unix, windows)))]
        Ok(Signals {})
    }

    /// Waits for a signal and returns its number.
    async fn recv(&mut self) -> i32 {
        #[cfg(unix)]
        tokio::select! {
            _ = self.term.recv() => libc::SIGTERM,
            _ = self.hup.recv() => libc::SIGHUP,
        }
        // Windows has no signal numbers: the console's events end the wizard like SIGTERM
        // would (the exit status matters little, Windows is closing the console).
        #[cfg(windows)]
        tokio::select! {
            _ = self.close.recv() => 15,
            _ = self.brk.recv() => 15,
            _ = self.shutdown.recv() => 15,
            _ = self.logoff.recv() => 15,
        }
        #[cfg(not(any(unix, windows)))]
        std::future::pending::<i32>().await
    }
}

//! Plain mode (`cwsetup --plain`): the wizard's steps as a linear sequence of questions and
//! answers, for screen readers and for consoles that mangle full-screen UIs.
//!
//! It reads the same state ([`App`]) and the same content ([`crate::setup::content`]) as the
//! full-screen wizard, so the two cannot drift: what changes in the content (profiles, member
//! plans, resumed state) changes in both. Output is one line per event, never a cursor
//! movement, a screen switch or a spinner; colour only with `CLICOLOR_FORCE=1` (and never with
//! `NO_COLOR`). Keys are read with echo off ([`input`]), sanitized by the same key field as the
//! wizard's, held in [`crate::secret::Secret`] and wiped at the end, whichever way it comes.
//!
//! Here: the session (its start, its end, how it writes). Beside it: `steps` (the walk through
//! the steps and each step's question), `prompts` (one question at a time: choices, values,
//! keys, copying), `test_run` (the test and the report), [`render`] (a step as lines) and
//! [`input`] (reading answers and keys).

pub mod input;
mod prompts;
pub mod render;
mod steps;
mod test_run;

use std::io::Write;

use crate::check::{CheckReport, StageStatus};
use crate::clipboard::ClipboardManager;
use crate::profile::Profile;
use crate::sanitize::display_text;
use crate::setup::saved::{Persistence, SavedState};
use crate::setup::{Setup, StartOptions};

use input::Answer;

/// How plain mode ended, for the command line's exit code.
#[derive(Debug)]
pub struct PlainOutcome {
    /// The last test's report, when a test ran in this session.
    pub last_report: Option<CheckReport>,
    /// The signal (SIGTERM, SIGHUP) that ended it, if one did; Ctrl-C is a quit.
    pub signal: Option<i32>,
}

/// The question asked at the end of every step.
pub const DONE_QUESTION: &str = "Done? [Enter] / back [b] / repeat [r] / quit [q]";

/// How the walk through the steps ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    Finished,
    Quit,
    Eof,
    Stopped(i32),
}

/// What the technician asked for at a step's question.
enum Choice {
    Next,
    Back,
    Repeat,
    End(End),
    /// A step's own letter (k, t, v, s, p).
    Other(char),
}

/// Writes lines to standard output; a closed output (a pipe that went away) is ignored.
struct Out {
    color: bool,
}

impl Out {
    fn line(&self, text: &str) {
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "{text}");
        let _ = stdout.flush();
    }

    fn prompt(&self, text: &str) {
        let mut stdout = std::io::stdout().lock();
        let _ = write!(stdout, "{text} ");
        let _ = stdout.flush();
    }

    fn raw(&self, text: &str) {
        let mut stdout = std::io::stdout().lock();
        let _ = write!(stdout, "{text}");
        let _ = stdout.flush();
    }

    fn status_word(&self, status: StageStatus) -> String {
        let (word, code) = match status {
            StageStatus::Pass => ("passed", "32"),
            StageStatus::Warn => ("warning", "33"),
            StageStatus::Fail => ("failed", "31"),
            StageStatus::Skip => ("skipped", "2"),
        };
        if self.color {
            format!("\x1b[{code}m{word}\x1b[0m")
        } else {
            word.to_string()
        }
    }
}

/// Colour only when asked for (`CLICOLOR_FORCE=1`), and never with `NO_COLOR`.
pub fn color_wanted(no_color: bool) -> bool {
    !no_color && std::env::var("CLICOLOR_FORCE").is_ok_and(|v| !v.is_empty() && v != "0")
}

struct Session<'a> {
    app: Setup,
    clipboard: ClipboardManager,
    out: Out,
    runtime: &'a tokio::runtime::Runtime,
    ask_profiles: bool,
    /// The member plan is still to be asked on step 1.
    ask_plan: bool,
    /// Saves the non-secret state after each answer, as the wizard does after each change.
    persist: Persistence,
    /// A saved setup to offer back, asked before step 1.
    resume_offer: Option<Box<SavedState>>,
    /// Lines the shared code left to say (a file set aside, a save that failed), said once.
    pending: Vec<String>,
    /// The last test's report, for the exit code `cwsetup check` would give.
    last_report: Option<CheckReport>,
    save_dir: std::path::PathBuf,
}

/// Runs plain mode to its end.
/// Plain mode starts from what the wizard starts from ([`StartOptions`]); a value not given
/// (no prefill) is asked for.
pub fn run(options: StartOptions, runtime: &tokio::runtime::Runtime) -> PlainOutcome {
    input::install_signal_handlers();
    let color = color_wanted(options.settings.no_color);
    let demo = options.settings.demo;
    let mut app = Setup::new(options.settings, options.profiles, &options.selected);
    app.hints = options.hints;
    app.prefill(options.prefill.unwrap_or_default());
    let (persist, found) = Persistence::start(
        &mut app,
        options.state_file,
        options.config_file,
        options.fresh,
    );
    let mut session = Session {
        app,
        clipboard: ClipboardManager::detect(options.clipboard_clear),
        out: Out { color },
        runtime,
        ask_profiles: options.selected.is_empty(),
        ask_plan: true,
        persist,
        resume_offer: found.offer,
        pending: found.warning.into_iter().collect(),
        last_report: None,
        save_dir: options.save_dir,
    };
    session.out.line(&format!(
        "cwsetup, plain mode{}: connect ConnectWise to a vendor integration, one step at a time.",
        if demo {
            " (DEMO: a simulated ConnectWise)"
        } else {
            ""
        }
    ));
    session.out.line(
        "Answer each question and press Enter. Keys are read without echo. Ctrl-C or q quits; keys are wiped either way.",
    );
    session.say_status();
    let end = match session.offer_resume() {
        Ok(()) => session.walk(),
        Err(end) => end,
    };
    session.finish(end)
}

impl Session<'_> {
    /// Wipes the keys, clears the clipboard if it still holds our value, and says so.
    fn finish(mut self, end: End) -> PlainOutcome {
        let had_keys = self.app.keys_entered();
        // Where the progress is, for next time (the keys are not in it).
        let saved: Vec<String> = self
            .persist
            .farewell(&self.app)
            .into_iter()
            // Saved, or why not: a failed save is said, never hidden.
            .filter(|line| line.starts_with("progress"))
            .collect();
        self.app.public_key.clear();
        self.app.private_key.clear();
        let clipboard = self.clipboard.on_quit();
        let how = match end {
            End::Finished => "Setup walked through to the end.".to_string(),
            End::Quit => "Quit.".to_string(),
            End::Eof => "End of input: quit.".to_string(),
            End::Stopped(signal) => format!("Stopped ({}).", signal_name(signal)),
        };
        let keys = if had_keys {
            " The keys were wiped from memory."
        } else {
            ""
        };
        self.out.line(&format!("{how}{keys}"));
        for line in saved {
            self.out.line(&display_text(&line));
        }
        if let Some(message) = clipboard {
            self.out.line(&display_text(&message));
        }
        PlainOutcome {
            last_report: self.last_report,
            signal: match end {
                End::Stopped(signal) if signal != sigint() => Some(signal),
                _ => None,
            },
        }
    }
}

/// `q` quits at every question, as it does at a step's.
fn quits(answer: &str) -> bool {
    matches!(answer.to_lowercase().as_str(), "q" | "quit")
}

/// "Sync 365 License", or "Visionary 360 Email reConnector": the vendor once.
fn profile_name(p: &Profile) -> String {
    if p.product.starts_with(&p.vendor) {
        p.product.clone()
    } else {
        format!("{} {}", p.vendor, p.product)
    }
}

fn sigint() -> i32 {
    #[cfg(unix)]
    {
        input::SIGINT
    }
    #[cfg(not(unix))]
    2
}

fn signal_name(signal: i32) -> &'static str {
    #[cfg(unix)]
    {
        match signal {
            input::SIGINT => "Ctrl-C",
            input::SIGTERM => "SIGTERM",
            input::SIGHUP => "SIGHUP",
            _ => "a signal",
        }
    }
    #[cfg(not(unix))]
    {
        let _ = signal;
        "Ctrl-C"
    }
}

/// Asks, on a terminal that reports TERM=dumb, whether to use plain mode. Returns true for
/// plain mode (the default, and at the end of input).
pub fn offer_for_dumb_terminal() -> bool {
    let out = Out { color: false };
    out.prompt("Your terminal reports TERM=dumb: use plain mode? [Y/n]");
    match input::read_line(None) {
        Answer::Line(text) => !matches!(text.trim().to_lowercase().as_str(), "n" | "no"),
        _ => true,
    }
}

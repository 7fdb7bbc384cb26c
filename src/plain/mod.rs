//! Plain mode (`cwsetup --plain`): the wizard's steps as a linear sequence of questions and
//! answers, for screen readers and for consoles that mangle full-screen UIs.
//!
//! It reads the same state ([`App`]) and the same content ([`crate::wizard::content`]) as the
//! full-screen wizard, so the two cannot drift: what changes in the content (profiles, member
//! plans, resumed state) changes in both. Output is one line per event, never a cursor
//! movement, a screen switch or a spinner; colour only with `CLICOLOR_FORCE=1` (and never with
//! `NO_COLOR`). Keys are read with echo off ([`input`]), sanitized by the same key field as the
//! wizard's, held in [`crate::secret::Secret`] and wiped at the end, whichever way it comes.

pub mod input;
pub mod render;

use std::io::Write;
use std::time::{Duration, Instant};

use tokio::sync::mpsc;

use crate::check::{self, CheckEvent, CheckReport, StageId, StageStatus};
use crate::clipboard::{ClipboardManager, Sensitivity};
use crate::profile::Profile;
use crate::sanitize::{self, FieldKind, display_text};
use crate::wizard::app::{App, FieldId, Hosting, Overlay, Prefill, Settings, StepId};
use crate::wizard::content::{CopyValue, ValueSource};
use crate::wizard::saved::Persistence;

use input::Answer;

/// How plain mode was asked to start.
pub struct PlainOptions {
    pub settings: Settings,
    pub profiles: Vec<Profile>,
    /// Profiles chosen on the command line; empty: plain mode asks.
    pub selected: Vec<String>,
    /// Values given by flags or the environment (or the demo's, keys included).
    pub prefill: Prefill,
    pub clipboard_clear: Duration,
    /// Where the report is saved.
    pub save_dir: std::path::PathBuf,
    /// Where progress is saved for resuming, as the wizard's; `None` (the demo) saves nothing.
    pub state_file: Option<std::path::PathBuf>,
    /// Where the client ID is remembered, as the wizard's.
    pub config_file: Option<std::path::PathBuf>,
    /// Skip the offer to resume.
    pub fresh: bool,
}

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
    app: App,
    clipboard: ClipboardManager,
    out: Out,
    runtime: &'a tokio::runtime::Runtime,
    ask_profiles: bool,
    /// The member plan is still to be asked on step 1.
    ask_plan: bool,
    /// Saves the non-secret state after each answer, as the wizard does after each change.
    persist: Persistence,
    /// The last test's report, for the exit code `cwsetup check` would give.
    last_report: Option<CheckReport>,
    save_dir: std::path::PathBuf,
}

/// Runs plain mode to its end.
pub fn run(options: PlainOptions, runtime: &tokio::runtime::Runtime) -> PlainOutcome {
    input::install_signal_handlers();
    let color = color_wanted(options.settings.no_color);
    let demo = options.settings.demo;
    let mut app = App::new(options.settings, options.profiles, &options.selected);
    app.prefill(options.prefill);
    let persist = Persistence::start(
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
    /// The wizard's offer to resume a saved setup, as one question; Enter resumes.
    fn offer_resume(&mut self) -> Result<(), End> {
        let Some(Overlay::Resume(saved)) = self.app.overlay.take() else {
            return Ok(());
        };
        let question = format!(
            "Resume {}? [Enter] resumes / n starts fresh",
            saved.describe(&self.app)
        );
        loop {
            let answer = self.ask(&question)?;
            match answer.trim().to_lowercase().as_str() {
                "" | "y" | "yes" => break,
                "q" | "quit" => return Err(End::Quit),
                "n" | "no" => {
                    // The saved setup is replaced at the first answer.
                    self.out.line("Starting fresh.");
                    return Ok(());
                }
                other => self.out.line(&format!(
                    "Not understood: \"{}\". Enter resumes, n starts fresh.",
                    display_text(other)
                )),
            }
        }
        saved.apply(&mut self.app);
        self.ask_profiles = false;
        self.ask_plan = false;
        let verdict = saved.last_verdict.as_ref().map_or(String::new(), |v| {
            format!(" Last test: {}.", display_text(v))
        });
        self.out.line(&format!(
            "Resumed: ticks, where ConnectWise runs, the member plan, site, company, client ID, vendors and role edits are back; paste the keys again on step 4 (they are never saved).{verdict}"
        ));
        Ok(())
    }

    /// Saves the non-secret state if it changed (the same file and writer as the wizard's).
    fn save_progress(&mut self) {
        self.persist.after_update(&mut self.app);
        self.say_status();
    }

    /// A message the shared code left for the wizard's status line (a file set aside, a save
    /// that failed), said once.
    fn say_status(&mut self) {
        if let Some(status) = self.app.status.take() {
            self.out.line(&status.text);
        }
    }

    fn walk(&mut self) -> End {
        let mut step = self.app.step;
        let mut arrived = true;
        loop {
            if arrived {
                self.app.step = step;
                self.app.visited.insert(step);
                if let Some(end) = self.arrive(step) {
                    return end;
                }
            }
            arrived = true;
            self.save_progress();
            let choice = match self.question(step) {
                Ok(choice) => choice,
                Err(end) => return end,
            };
            match choice {
                Choice::Next => {
                    self.tick_all(step);
                    match step.next() {
                        Some(next) => step = next,
                        None => return End::Finished,
                    }
                }
                Choice::Back => match step.prev() {
                    Some(prev) => step = prev,
                    None => {
                        self.out.line("This is the first step.");
                        arrived = false;
                    }
                },
                Choice::Repeat => self.print_step(step),
                Choice::End(end) => return end,
                Choice::Other(letter) => {
                    let result = match (step, letter) {
                        (StepId::Prerequisites, 'p') => self
                            .choose_profiles()
                            .and_then(|()| self.choose_plan())
                            .map(|()| self.print_step(step)),
                        (StepId::Prerequisites, 'w') => {
                            self.choose_hosting().map(|()| self.print_step(step))
                        }
                        (StepId::Prerequisites, 'm') => {
                            self.choose_plan().map(|()| self.print_step(step))
                        }
                        (StepId::ApiKey, 'k') => self.ask_keys(true),
                        (StepId::Integration, 'v') => self.ask_values(true),
                        (StepId::Integration, 't') => self.run_test(),
                        (StepId::Summary, 's') => {
                            self.save_report();
                            Ok(())
                        }
                        _ => {
                            self.out.line(&format!(
                                "\"{letter}\" does nothing here: {}",
                                self.question_text(step)
                            ));
                            Ok(())
                        }
                    };
                    if let Err(end) = result {
                        return end;
                    }
                    arrived = false;
                }
            }
        }
    }

    /// Prints the step and asks what it needs on arrival (profiles, keys, values).
    fn arrive(&mut self, step: StepId) -> Option<End> {
        self.out.line("");
        let mut heading = true;
        if step == StepId::Prerequisites {
            // The wizard's first questions, in its order: vendors, where ConnectWise runs (unless
            // a given site answered it), the member plan.
            let profiles = std::mem::take(&mut self.ask_profiles);
            let hosting = self.app.hosting().is_none();
            let plan = std::mem::take(&mut self.ask_plan);
            if profiles || hosting || plan {
                self.out.line(&render::step_heading(step));
                heading = false;
            }
            let asked = (if profiles {
                self.choose_profiles()
            } else {
                Ok(())
            })
            .and_then(|()| {
                if hosting {
                    self.choose_hosting()
                } else {
                    Ok(())
                }
            })
            .and_then(|()| if plan { self.choose_plan() } else { Ok(()) });
            if let Err(end) = asked {
                return Some(end);
            }
        }
        self.print_step_from(step, heading);
        let asked = match step {
            StepId::ApiKey => self.ask_keys(false),
            StepId::Integration => self.ask_values(false),
            _ => Ok(()),
        };
        asked.err()
    }

    fn print_step(&mut self, step: StepId) {
        self.print_step_from(step, true);
    }

    /// The step's lines; `heading` false when the heading was already said (step 1's question).
    fn print_step_from(&mut self, step: StepId, heading: bool) {
        let content = self.app.content(step);
        let lines = render::step_lines(step, &content, &self.app);
        let mut lines = lines.into_iter();
        let first = lines.next().unwrap_or_default();
        if heading {
            self.out.line(&first);
        }
        if step == StepId::Prerequisites {
            let names: Vec<String> = self
                .app
                .selected_profiles()
                .iter()
                .map(|p| display_text(&profile_name(p)))
                .collect();
            self.out.line(&format!(
                "{}: {}. (p chooses again.)",
                if names.len() == 1 {
                    "Vendor integration"
                } else {
                    "Vendor integrations"
                },
                names.join(", ")
            ));
            let runs = self
                .app
                .hosting()
                .map_or("not chosen yet".to_string(), |h| h.short_label());
            self.out.line(&format!(
                "ConnectWise runs: {}. (w chooses again.)",
                display_text(&runs)
            ));
            let several = self.app.selected_profiles().len() > 1;
            self.out.line(&format!(
                "API member: {}. (m chooses again.)",
                self.app.plan().label(several)
            ));
        }
        for line in lines {
            self.out.line(&line);
        }
        if step == StepId::Integration && self.app.check.report.is_some() {
            self.out
                .line("A test has run: t tests again, v changes the values.");
        }
    }

    fn question_text(&self, step: StepId) -> String {
        let extra = match step {
            StepId::Prerequisites => {
                " / choose vendors [p] / where ConnectWise runs [w] / member plan [m]"
            }
            StepId::ApiKey => " / paste the keys again [k]",
            StepId::Integration if self.test_due(step) => " / change values [v]",
            StepId::Integration => " / test again [t] / change values [v]",
            StepId::Summary => " / save a report for a ticket [s]",
            _ => "",
        };
        let copy = if self.copyable(step).is_empty() {
            ""
        } else {
            " / copy [c and a number]"
        };
        let done = if step == StepId::Summary {
            "Done? [Enter] finishes / back [b] / repeat [r] / quit [q]"
        } else if self.test_due(step) {
            "Run the test? [Enter] / back [b] / repeat [r] / quit [q]"
        } else {
            DONE_QUESTION
        };
        format!("{done}{copy}{extra}")
    }

    /// On Integration, until a test has run on the current values, Enter runs it.
    fn test_due(&self, step: StepId) -> bool {
        step == StepId::Integration && (self.app.check.report.is_none() || self.app.check.stale)
    }

    fn copyable(&self, step: StepId) -> Vec<CopyValue> {
        render::copyable(step, &self.app.content(step), self.app.check.passed())
    }

    fn question(&mut self, step: StepId) -> Result<Choice, End> {
        loop {
            let text = self.question_text(step);
            let answer = self.ask(&text)?;
            let answer = answer.trim().to_lowercase();
            match answer.as_str() {
                "" if self.test_due(step) => return Ok(Choice::Other('t')),
                "" => return Ok(Choice::Next),
                "b" | "back" => return Ok(Choice::Back),
                "r" | "repeat" => return Ok(Choice::Repeat),
                "q" | "quit" => return Ok(Choice::End(End::Quit)),
                _ => {}
            }
            if let Some(rest) = answer.strip_prefix('c') {
                match rest.trim().parse::<usize>() {
                    Ok(n) => self.copy(step, n),
                    Err(_) => self
                        .out
                        .line("To copy, type c and the value's number, e.g. c 1."),
                }
                continue;
            }
            let mut chars = answer.chars();
            if let (Some(letter), None) = (chars.next(), chars.next()) {
                return Ok(Choice::Other(letter));
            }
            self.out.line(&format!(
                "Not understood: \"{}\". {text}",
                display_text(&answer)
            ));
        }
    }

    /// Asks one question (not secret), clearing the clipboard on time while waiting.
    fn ask(&mut self, question: &str) -> Result<String, End> {
        self.out.prompt(question);
        loop {
            let deadline = self.clipboard.next_deadline();
            match input::read_line(deadline) {
                Answer::Line(text) => {
                    if !input::stdin_is_terminal() {
                        // Piped answers are not echoed by a terminal: show them in the transcript.
                        self.out.line(&display_text(&text));
                    }
                    return Ok(text);
                }
                Answer::Eof => {
                    self.out.line("");
                    return Err(End::Eof);
                }
                Answer::Stopped(signal) => {
                    self.out.line("");
                    return Err(End::Stopped(signal));
                }
                Answer::Timeout => {
                    if let Some(message) = self.clipboard.tick(Instant::now()) {
                        self.out.line("");
                        self.out.line(&display_text(&message));
                        self.out.prompt(question);
                    }
                }
            }
        }
    }

    fn copy(&mut self, step: StepId, number: usize) {
        let values = self.copyable(step);
        let Some(value) = number.checked_sub(1).and_then(|i| values.get(i)) else {
            self.out.line(&format!(
                "There is no value {number} here; the values are numbered 1 to {}.",
                values.len()
            ));
            return;
        };
        let outcome = match &value.value {
            ValueSource::Text(text) => {
                self.clipboard
                    .copy(&value.label, text, Sensitivity::Plain, Instant::now())
            }
            ValueSource::Field(id) => {
                let Some(input) = self.app.key_input(*id) else {
                    return;
                };
                if input.secret().is_empty() {
                    self.out.line(&format!(
                        "{} is empty: paste it on step 4 first.",
                        id.label()
                    ));
                    return;
                }
                self.clipboard.copy(
                    &value.label,
                    input.secret().expose(),
                    Sensitivity::Secret,
                    Instant::now(),
                )
            }
        };
        // An OSC 52 copy writes its escape sequence on this line; the message ends it.
        self.out.line(&display_text(&outcome.message));
    }

    /// A numbered question for the vendor profiles.
    fn choose_profiles(&mut self) -> Result<(), End> {
        self.out
            .line("Which vendor integrations are you setting up?");
        for (i, p) in self.app.profiles.iter().enumerate() {
            self.out.line(&format!(
                "  {}. {} ({})",
                i + 1,
                display_text(&profile_name(p)),
                display_text(&p.id)
            ));
        }
        loop {
            let current: Vec<String> = self
                .app
                .selected
                .iter()
                .enumerate()
                .filter(|(_, s)| **s)
                .map(|(i, _)| (i + 1).to_string())
                .collect();
            let answer = self.ask(&format!(
                "Numbers, separated by spaces (Enter keeps {}):",
                current.join(" ")
            ))?;
            if answer.trim().is_empty() {
                return Ok(());
            }
            if quits(answer.trim()) {
                return Err(End::Quit);
            }
            let picked: Result<Vec<usize>, _> = answer
                .split([' ', ','])
                .filter(|s| !s.is_empty())
                .map(|s| s.parse::<usize>())
                .collect();
            match picked {
                Ok(list)
                    if !list.is_empty()
                        && list
                            .iter()
                            .all(|n| (1..=self.app.profiles.len()).contains(n)) =>
                {
                    for (i, s) in self.app.selected.iter_mut().enumerate() {
                        *s = list.contains(&(i + 1));
                    }
                    self.app.check.stale = true;
                    return Ok(());
                }
                _ => self.out.line(&format!(
                    "Type numbers from 1 to {}, e.g. 1 or 1 2.",
                    self.app.profiles.len()
                )),
            }
        }
    }

    /// Both keys, one per prompt, without echo. With `again`, both are asked even if held.
    fn ask_keys(&mut self, again: bool) -> Result<(), End> {
        let ids: Vec<FieldId> = self
            .app
            .key_fields()
            .into_iter()
            .flat_map(|(_, public, private)| [public, private])
            .collect();
        for id in ids {
            let label = self.app.field_label(id);
            let held = self
                .app
                .key_input(id)
                .map_or(0, |k| k.secret().char_count());
            if held > 0 && !again {
                self.out.line(&format!(
                    "{}: held ({}, not shown). k pastes the keys again.",
                    label,
                    crate::units::plural(held, "character", "characters")
                ));
                continue;
            }
            loop {
                let prompt = if held > 0 {
                    format!(
                        "{} (not shown; paste it and press Enter, or just Enter to keep the one held):",
                        label
                    )
                } else {
                    format!("{} (not shown; paste it and press Enter):", label)
                };
                let out = &self.out;
                let answer = input::read_secret(&format!("{prompt} "), &mut |t| out.raw(t));
                let text = match answer {
                    Answer::Line(text) => text,
                    Answer::Eof => {
                        self.out.line("");
                        return Err(End::Eof);
                    }
                    Answer::Stopped(signal) => {
                        self.out.line("");
                        return Err(End::Stopped(signal));
                    }
                    Answer::Timeout => continue,
                };
                if !input::stdin_is_terminal() {
                    // The answer is not echoed: say that one was read, never what.
                    self.out.line("(read from standard input, not shown)");
                }
                if text.is_empty() && held > 0 {
                    self.out.line(&format!("{}: kept.", label));
                    break;
                }
                let Some(field) = self.app.key_input_mut(id) else {
                    break;
                };
                // The same field as the wizard's: sanitized into the Secret, the text wiped.
                field.paste(text);
                let count = field.secret().char_count();
                let status = field.status_line();
                if count == 0 {
                    let why = status.unwrap_or_else(|| "nothing was pasted".to_string());
                    self.out.line(&format!(
                        "{}: empty ({}). Paste it again.",
                        label,
                        display_text(&why)
                    ));
                    continue;
                }
                let mut line = format!(
                    "{}: {}",
                    label,
                    crate::units::plural(count, "character", "characters")
                );
                if let Some(status) = status {
                    line.push_str(&format!("; {}", display_text(&status)));
                }
                self.out.line(&format!("{line}."));
                self.app.check.stale = true;
                break;
            }
        }
        if sanitize::keys_identical(
            self.app.public_key.secret().expose(),
            self.app.private_key.secret().expose(),
        ) && !self.app.public_key.secret().is_empty()
        {
            self.out.line(
                "The public and private keys are identical: one was pasted twice. Type k to paste them again.",
            );
        }
        Ok(())
    }

    /// Site, company ID and client ID: what is missing is asked; what was given is said.
    fn ask_values(&mut self, again: bool) -> Result<(), End> {
        for id in [FieldId::Site, FieldId::CompanyId, FieldId::ClientId] {
            let current = self
                .app
                .field(id)
                .map(|f| f.sanitized())
                .unwrap_or_default();
            if !current.is_empty() && !again {
                self.out.line(&format!(
                    "{}: {} (v changes it).",
                    id.label(),
                    display_text(&current)
                ));
                continue;
            }
            let hint = match id {
                FieldId::Site => {
                    "a region (na, eu, au, aus, za) or your server's host, e.g. na.myconnectwise.net"
                }
                FieldId::CompanyId => "the company ID typed on the ConnectWise login screen",
                _ => "your clientId GUID from developer.connectwise.com",
            };
            self.ask_field(id, hint)?;
        }
        Ok(())
    }

    /// One value, asked until it is usable (Enter keeps what is there), through the same
    /// sanitizer and site parser as the test's input stage.
    fn ask_field(&mut self, id: FieldId, hint: &str) -> Result<(), End> {
        let kind = match id {
            FieldId::Site => FieldKind::Site,
            FieldId::CompanyId => FieldKind::CompanyId,
            _ => FieldKind::ClientId,
        };
        let current = self
            .app
            .field(id)
            .map(|f| f.sanitized())
            .unwrap_or_default();
        loop {
            let keep = if current.is_empty() {
                String::new()
            } else {
                format!("; Enter keeps {}", display_text(&current))
            };
            let answer = self.ask(&format!("{} ({hint}{keep}):", id.label()))?;
            if answer.trim().is_empty() && !current.is_empty() {
                return Ok(());
            }
            let clean = sanitize::sanitize(kind, &answer);
            // The same words as the test's input stage.
            let problem = if clean.value.is_empty() {
                Some(format!("{} is missing", id.label().to_lowercase()))
            } else if id == FieldId::Site {
                crate::cw::Site::parse(&clean.value)
                    .err()
                    .map(|e| format!("site: {e} ({})", e.fix()))
            } else {
                None
            };
            if let Some(problem) = problem {
                self.out
                    .line(&format!("{}. Try again.", display_text(&problem)));
                continue;
            }
            if !clean.removed.is_empty() {
                self.out
                    .line(&format!("{}: {}.", id.label(), clean.removed));
            }
            if let Some(field) = self.app.field_mut(id) {
                field.set(&clean.value);
            }
            self.app.check.stale = true;
            return Ok(());
        }
    }

    /// Where ConnectWise runs: the wizard's rows, numbered, nothing chosen in advance. A
    /// self-hosted server's address is asked next.
    fn choose_hosting(&mut self) -> Result<(), End> {
        let options = self.app.hosting_options();
        self.out.line("Where does ConnectWise run?");
        for (i, option) in options.iter().enumerate() {
            self.out
                .line(&format!("  {}. {}", i + 1, display_text(&option.label())));
        }
        let current = self
            .app
            .hosting()
            .and_then(|h| options.iter().position(|o| *o == h));
        let question = match current {
            Some(i) => format!("Number (Enter keeps {}):", i + 1),
            None => "Number:".to_string(),
        };
        let chosen = loop {
            let answer = self.ask(&question)?;
            let answer = answer.trim();
            if quits(answer) {
                return Err(End::Quit);
            }
            if answer.is_empty()
                && let Some(i) = current
            {
                break options[i];
            }
            match answer.parse::<usize>() {
                Ok(n) if (1..=options.len()).contains(&n) => break options[n - 1],
                _ => self.out.line(&format!(
                    "Type a number from 1 to {}: where you sign in to ConnectWise.",
                    options.len()
                )),
            }
        };
        self.app.choose_hosting(chosen);
        self.app.check.stale = true;
        if chosen == Hosting::SelfHosted {
            self.ask_field(
                FieldId::Site,
                "your server's address, e.g. cw.example.com or https://cw.example.com:8443",
            )?;
        }
        Ok(())
    }

    /// The API member plan: the wizard's rows for the tools selected, Enter keeps the one in
    /// force. Asked only when there is a choice.
    fn choose_plan(&mut self) -> Result<(), End> {
        let options = self.app.plan_options();
        if options.len() < 2 {
            return Ok(());
        }
        let several = self.app.selected_profiles().len() > 1;
        self.out.line("API member: how will the tools sign in?");
        for (i, plan) in options.iter().enumerate() {
            self.out
                .line(&format!("  {}. {}", i + 1, plan.label(several)));
        }
        let current = options
            .iter()
            .position(|p| *p == self.app.plan())
            .unwrap_or(0);
        loop {
            let answer = self.ask(&format!("Number (Enter keeps {}):", current + 1))?;
            let answer = answer.trim();
            if quits(answer) {
                return Err(End::Quit);
            }
            let n = if answer.is_empty() {
                Some(current + 1)
            } else {
                answer.parse::<usize>().ok()
            };
            match n {
                Some(n) if (1..=options.len()).contains(&n) => {
                    self.app.member_plan = options[n - 1];
                    return Ok(());
                }
                _ => self.out.line(&format!(
                    "Type a number from 1 to {}, or Enter to keep {}.",
                    options.len(),
                    current + 1
                )),
            }
        }
    }

    /// Runs the same check as the wizard and `cwsetup check`, one line per stage as it ends.
    fn run_test(&mut self) -> Result<(), End> {
        // One request per key pair: one for every tool, or one per tool with its own keys.
        let requests = match crate::wizard::check_request(&self.app) {
            Ok(requests) => requests,
            Err(problem) => {
                self.out
                    .line(&format!("Cannot test: {}", display_text(&problem)));
                return Ok(());
            }
        };
        self.out.line(&format!(
            "Testing (at most {} s): one line per stage as it ends.",
            self.app.settings.timeout.as_secs()
        ));
        let out = &self.out;
        let report = self.runtime.block_on(async {
            let (tx, mut rx) = mpsc::unbounded_channel::<CheckEvent>();
            let mut job = tokio::spawn(check::run_each(requests, Some(tx)));
            let mut poll = tokio::time::interval(Duration::from_millis(100));
            let mut open = true;
            loop {
                tokio::select! {
                    event = rx.recv(), if open => {
                        open = event.is_some();
                        if let Some(CheckEvent::Finished(result)) = event.map(CheckEvent::for_display) {
                            out.line(&format!(
                                "{}: {}: {}",
                                result.id.id(),
                                out.status_word(result.status),
                                result.summary
                            ));
                        }
                    }
                    done = &mut job => {
                        // Lines still queued were sent before the report: print them first.
                        while let Ok(event) = rx.try_recv() {
                            if let CheckEvent::Finished(result) = event.for_display() {
                                out.line(&format!(
                                    "{}: {}: {}",
                                    result.id.id(),
                                    out.status_word(result.status),
                                    result.summary
                                ));
                            }
                        }
                        return done.map_err(|_| End::Quit);
                    }
                    _ = poll.tick() => {
                        if let Some(signal) = input::stop_requested() {
                            job.abort();
                            return Err(End::Stopped(signal));
                        }
                    }
                }
            }
        });
        let report = match report {
            Ok(report) => report,
            Err(End::Stopped(signal)) => {
                self.out.line("Test cancelled.");
                return Err(End::Stopped(signal));
            }
            Err(_) => {
                self.out
                    .line("The test stopped unexpectedly; t tests again.");
                return Ok(());
            }
        };
        self.print_outcome(&report);
        self.last_report = Some(report.clone());
        self.app.check.report = Some(report);
        self.app.check.stale = false;
        if self.app.check.passed() {
            let content = self.app.content(StepId::Integration);
            let values = render::copyable(StepId::Integration, &content, true);
            self.out
                .line("Values for the vendor's portal (c and a number copies one, e.g. c 1):");
            for (i, value) in values.iter().enumerate() {
                self.out.line(&format!(
                    "  {}. {}: {}",
                    i + 1,
                    display_text(&value.label),
                    render::value_text(value, &self.app)
                ));
            }
        }
        Ok(())
    }

    /// Every failure's fix in full, the rows to look at, the warnings, then the verdict.
    fn print_outcome(&self, report: &CheckReport) {
        let report = report.for_display();
        let fixes: Vec<_> = report
            .stages
            .iter()
            .filter(|s| matches!(s.status, StageStatus::Fail | StageStatus::Warn))
            .filter_map(|s| s.fix.as_ref().map(|fix| (s.id, fix)))
            .collect();
        if !fixes.is_empty() {
            self.out.line("What to do:");
            for (id, fix) in fixes {
                self.out.line(&format!("  {}: {fix}", id.id()));
            }
        }
        for p in &report.permissions {
            if p.status != check::PermissionStatus::Pass {
                let word = match p.status {
                    check::PermissionStatus::Fail => "failed",
                    _ => "unverified, check it by hand",
                };
                self.out.line(&format!(
                    "  permission {}, {} ({}): {word}: {}",
                    p.module, p.function, p.required, p.detail
                ));
            }
        }
        for warning in &report.warnings {
            self.out.line(&format!("Warning: {warning}"));
        }
        for note in &report.notes {
            self.out.line(&format!("Note: {note}"));
        }
        let input_failed = report
            .stages
            .iter()
            .any(|s| s.id == StageId::Input && s.status == StageStatus::Fail);
        let verdict = if report.ok && report.verdict == check::Verdict::Warn {
            format!(
                "Verdict: PASS WITH WARNINGS ({}). Read them before you type the values below in the vendor's portal.",
                check::plural(report.warnings.len().max(1), "warning", "warnings")
            )
        } else if report.ok {
            "Verdict: PASS. Type the values below into the vendor's portal.".to_string()
        } else if input_failed {
            "Verdict: FAIL (input). Correct the values named above (v), then test again (t)."
                .to_string()
        } else {
            "Verdict: FAIL. Fix what is named above, then test again (t).".to_string()
        };
        self.out.line(&verdict);
    }

    fn save_report(&mut self) {
        let Some(report) = &self.app.check.report else {
            self.out
                .line("No test has run yet: run it on step 5 (t) first.");
            return;
        };
        let hint = self.app.public_key.secret().report_hint();
        let profiles = self.app.selected_profiles();
        let text = check::markdown(report, &profiles, &hint);
        let safe_id: String = report
            .company_id
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
            .collect();
        let path = self.save_dir.join(format!("cwsetup-report-{safe_id}.md"));
        let shown = display_text(&path.display().to_string());
        match crate::report_file::write_private(&path, text.as_bytes()) {
            Ok(()) => self
                .out
                .line(&format!("Report saved to {shown} (no secrets in it).")),
            Err(e) => self.out.line(&format!(
                "Could not save the report to {shown}: {}",
                display_text(&e.to_string())
            )),
        }
    }

    /// Enter on a step means its checklist is done, as ticking every item in the wizard.
    fn tick_all(&mut self, step: StepId) {
        for item in self.app.content(step).checklist {
            self.app.ticked.insert((step, item));
        }
    }

    /// Wipes the keys, clears the clipboard if it still holds our value, and says so.
    fn finish(mut self, end: End) -> PlainOutcome {
        let had_keys = self.app.keys_entered();
        // Where the progress is, for next time (the keys are not in it).
        let saved: Vec<String> = self
            .persist
            .farewell(&self.app)
            .into_iter()
            .filter(|line| line.starts_with("progress saved"))
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
        libc::SIGINT
    }
    #[cfg(not(unix))]
    2
}

fn signal_name(signal: i32) -> &'static str {
    #[cfg(unix)]
    {
        match signal {
            libc::SIGINT => "Ctrl-C",
            libc::SIGTERM => "SIGTERM",
            libc::SIGHUP => "SIGHUP",
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

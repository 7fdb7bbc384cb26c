//! One question at a time: a plain answer, a choice from a numbered list (vendors, where
//! ConnectWise runs, the member plan), a value (site, company ID, client ID) or a key read
//! without echo; and copying a value.

use std::time::Instant;

use super::input::{self, Answer};
use super::{End, Session, profile_name, quits};
use crate::clipboard::Sensitivity;
use crate::sanitize::{self, display_text};
use crate::setup::content::ValueSource;
use crate::setup::fields::Holder;
use crate::setup::{FieldId, Hosting, StepId};

/// The longest menu answer ("repeat", "c 12") with room to spare.
const MENU_ANSWER_CHARS: usize = 8;

impl Session<'_> {
    /// Asks one question (not secret), clearing the clipboard on time while waiting.
    pub(super) fn ask(&mut self, question: &str) -> Result<String, End> {
        self.ask_echoing(question, usize::MAX)
    }

    /// [`Session::ask`] for a menu, whose answers are a word or a number: a piped answer is
    /// shown in the transcript only if it is that short. A longer one is no answer to a menu
    /// (perhaps a key typed at the wrong prompt) and is never repeated.
    pub(super) fn ask_menu(&mut self, question: &str) -> Result<String, End> {
        self.ask_echoing(question, MENU_ANSWER_CHARS)
    }

    fn ask_echoing(&mut self, question: &str, echo_up_to: usize) -> Result<String, End> {
        self.out.prompt(question);
        loop {
            let deadline = self.clipboard.next_deadline();
            match input::read_line(deadline) {
                Answer::Line(text) => {
                    if !input::stdin_is_terminal() {
                        // Piped answers are not echoed by a terminal: show them in the transcript.
                        if text.trim().chars().count() <= echo_up_to {
                            self.out.line(&display_text(&text));
                        } else {
                            self.out.line("");
                        }
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

    pub(super) fn copy(&mut self, step: StepId, number: usize) {
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
    pub(super) fn choose_profiles(&mut self) -> Result<(), End> {
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
    pub(super) fn ask_keys(&mut self, again: bool) -> Result<(), End> {
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
    pub(super) fn ask_values(&mut self, again: bool) -> Result<(), End> {
        for id in FieldId::INTEGRATION {
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
            let hint = self.app.hint(id);
            self.ask_field(id, hint)?;
        }
        Ok(())
    }

    /// One value, asked until it is usable (Enter keeps what is there), through the same
    /// sanitizer and site parser as the test's input stage.
    pub(super) fn ask_field(&mut self, id: FieldId, hint: &str) -> Result<(), End> {
        let kind = match id.spec().holder {
            Holder::Text(kind) => kind,
            // Keys are asked without echo, never through here.
            Holder::Key => return Ok(()),
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
    pub(super) fn choose_hosting(&mut self) -> Result<(), End> {
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
        if let Some(note) = self.app.choose_hosting(chosen) {
            self.out.line(&note);
        }
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
    pub(super) fn choose_plan(&mut self) -> Result<(), End> {
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
}

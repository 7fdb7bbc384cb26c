//! The walk through the steps: each step printed as numbered lines, its question, and what the
//! answer leads to (next, back, repeat, a step's own letter); the offer to resume.

use super::{Choice, DONE_QUESTION, End, Session, profile_name, render};
use crate::sanitize::display_text;
use crate::setup::FieldId;
use crate::setup::content::CopyValue;
use crate::setup::step::StepId;

impl Session<'_> {
    /// The offer to resume a saved setup, as one question; Enter resumes.
    pub(super) fn offer_resume(&mut self) -> Result<(), End> {
        let Some(saved) = self.resume_offer.take() else {
            return Ok(());
        };
        let question = format!(
            "Resume {}? [Enter] resumes / n starts fresh",
            saved.describe(&self.app)
        );
        loop {
            let answer = self.ask_menu(&question)?;
            match answer.trim().to_lowercase().as_str() {
                "" | "y" | "yes" => break,
                "q" | "quit" => return Err(End::Quit),
                "n" | "no" => {
                    // The saved setup is replaced at the first answer.
                    self.out.line("Starting fresh.");
                    return Ok(());
                }
                // What was typed is never repeated: it may be a key typed at the wrong prompt.
                _ => self
                    .out
                    .line("Not understood. Enter resumes, n starts fresh."),
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
    pub(super) fn save_progress(&mut self) {
        if let Some(warning) = self.persist.save_changes(&self.app) {
            self.pending.push(warning);
        }
        self.say_status();
    }

    /// What the shared code left to say (a file set aside, a save that failed), said once.
    pub(super) fn say_status(&mut self) {
        for line in std::mem::take(&mut self.pending) {
            self.out.line(&crate::sanitize::display_text(&line));
        }
    }

    pub(super) fn walk(&mut self) -> End {
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
    pub(super) fn arrive(&mut self, step: StepId) -> Option<End> {
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
            // The existing member's ID: the portal values and the handoff name it.
            StepId::ApiMember
                if self.app.plan() == crate::setup::MemberPlan::ExistingMember
                    && self.app.own.member_id.sanitized().is_empty() =>
            {
                let hint = self.app.hint(FieldId::MemberId);
                self.ask_field(FieldId::MemberId, hint)
            }
            StepId::Prerequisites | StepId::SecurityRole | StepId::ApiMember | StepId::Summary => {
                Ok(())
            }
        };
        asked.err()
    }

    pub(super) fn print_step(&mut self, step: StepId) {
        self.print_step_from(step, true);
    }

    /// The step's lines; `heading` false when the heading was already said (step 1's question).
    pub(super) fn print_step_from(&mut self, step: StepId, heading: bool) {
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

    pub(super) fn question_text(&self, step: StepId) -> String {
        let extra = match step {
            StepId::Prerequisites => {
                " / choose vendors [p] / where ConnectWise runs [w] / member plan [m]"
            }
            StepId::ApiKey => " / paste the keys again [k]",
            StepId::Integration if self.test_due(step) => " / change values [v]",
            StepId::Integration => " / test again [t] / change values [v]",
            StepId::Summary => " / save a report for a ticket [s]",
            StepId::SecurityRole | StepId::ApiMember => "",
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
    pub(super) fn test_due(&self, step: StepId) -> bool {
        step == StepId::Integration && (self.app.check.report.is_none() || self.app.check.stale)
    }

    pub(super) fn copyable(&self, step: StepId) -> Vec<CopyValue> {
        render::copyable(step, &self.app.content(step), self.app.check.passed())
    }

    pub(super) fn question(&mut self, step: StepId) -> Result<Choice, End> {
        loop {
            let text = self.question_text(step);
            let answer = self.ask_menu(&text)?;
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
            // What was typed is never repeated: it may be a key typed at the wrong prompt.
            self.out.line(&format!("Not understood. {text}"));
        }
    }

    /// Enter on a step means its checklist is done, as ticking every item in the wizard.
    pub(super) fn tick_all(&mut self, step: StepId) {
        for item in self.app.content(step).checklist {
            self.app.ticked.insert((step, item));
        }
    }
}

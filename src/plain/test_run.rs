//! The test from plain mode: the same check as the wizard's and `cwsetup check`'s, one line per
//! stage as it ends, then every fix in full and the verdict; and the report for a ticket.

use std::time::Duration;

use tokio::sync::mpsc;

use super::{End, Session, input, render};
use crate::check::{self, CheckEvent, CheckReport, StageId, StageStatus};
use crate::sanitize::display_text;
use crate::setup::StepId;

impl Session<'_> {
    /// Runs the same check as the wizard and `cwsetup check`, one line per stage as it ends.
    pub(super) fn run_test(&mut self) -> Result<(), End> {
        // One request per key pair: one for every tool, or one per tool with its own keys.
        let requests = match crate::setup::request::check_request(&self.app) {
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
                                result.summary_text()
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
                                    result.summary_text()
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
    pub(super) fn print_outcome(&self, report: &CheckReport) {
        let report = report.for_display();
        let fixes: Vec<_> = report
            .stages
            .iter()
            .filter(|s| matches!(s.status, StageStatus::Fail | StageStatus::Warn))
            .filter_map(|s| {
                let s = self.app.hints.on_stage(s.clone());
                s.fix_text().map(|fix| (s.id, fix))
            })
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
                    p.module_text(),
                    p.function,
                    p.required,
                    p.detail
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

    pub(super) fn save_report(&mut self) {
        if let Some(why) = crate::setup::report::report_refusal(&self.app) {
            self.out.line(&format!("No report saved: {why}."));
            return;
        }
        let Some((path, written)) = crate::setup::report::save_report(&self.app, &self.save_dir)
        else {
            return;
        };
        let shown = display_text(&path.display().to_string());
        match written {
            Ok(()) => self
                .out
                .line(&format!("Report saved to {shown} (no secrets in it).")),
            Err(e) => self.out.line(&format!(
                "Could not save the report to {shown}: {}",
                display_text(&e.to_string())
            )),
        }
    }
}

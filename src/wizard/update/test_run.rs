//! The Integration step's test as state: starting it and folding its events into the screen.

use crate::check::{CheckEvent, StageId};

use super::Effect;
use crate::setup::check_state::ResultRow;
use crate::setup::own_keys;
use crate::wizard::app::{App, CheckState, Overlay, Pane, StageView, StepId, Tone};
use crate::wizard::detail;
use crate::wizard::keymap::Action;

/// The test's and the audit's actions: run, cancel, save the report, read a result in full.
pub(super) fn on_action(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::RunCheck => return start_check(app),
        Action::CancelCheck => return cancel_check(app),
        Action::SaveReport => match crate::setup::report::report_refusal(app) {
            None => return vec![Effect::SaveReport],
            Some(why) => app.set_status(Tone::Warn, why),
        },
        Action::OpenDetail => {
            let cursor = app.cursor(Pane::Stages);
            let role = crate::profile::merge(&app.selected_profiles());
            if let Some(detail) = detail::for_row(&app.check, cursor, &role) {
                app.overlay = Some(Overlay::Detail(Box::new(detail)));
            }
        }
        Action::NextFailed => next_failed(app),
        Action::RunAudit => return start_audit(app),
        _ => {}
    }
    Vec::new()
}

fn cancel_check(app: &mut App) -> Vec<Effect> {
    app.check.running = false;
    for view in app.check.stages.values_mut() {
        if *view == StageView::Running {
            *view = StageView::Waiting;
        }
    }
    app.set_status(Tone::Warn, "test cancelled; press t to run it again");
    vec![Effect::CancelCheck]
}

/// `f`: the cursor goes to the next failed row of the results, focusing them.
fn next_failed(app: &mut App) {
    let from = if app.focused_pane() == Pane::Stages {
        app.cursor(Pane::Stages)
    } else {
        detail::row_count(&app.check).saturating_sub(1)
    };
    if let Some(row) = detail::next_failed(&app.check, from) {
        if let Some(i) = app.panes().iter().position(|p| *p == Pane::Stages) {
            app.focus = i;
        }
        app.cursors.insert((app.step, Pane::Stages), row);
    }
}

/// `t` on step 2 or 3: "check my work as I go" reads the role or the member back.
fn start_audit(app: &mut App) -> Vec<Effect> {
    let (started, message) = own_keys::start(app);
    if let Some((tone, text)) = message {
        app.set_status(tone, text);
    }
    if started {
        vec![Effect::StartAudit]
    } else {
        Vec::new()
    }
}

pub(super) fn start_check(app: &mut App) -> Vec<Effect> {
    if app.check.running {
        return Vec::new();
    }
    app.check = CheckState {
        running: true,
        stages: StageId::ALL
            .iter()
            .map(|id| (*id, StageView::Waiting))
            .collect(),
        started: Some(std::time::Instant::now()),
        ..CheckState::default()
    };
    if let Some(i) = app.panes().iter().position(|p| *p == Pane::Stages) {
        app.focus = i;
        app.cursors.insert((StepId::Integration, Pane::Stages), 0);
    }
    app.set_status(Tone::Info, "testing… (Esc cancels)");
    vec![Effect::StartCheck]
}

pub(super) fn on_check_event(app: &mut App, event: CheckEvent) {
    if !app.check.running {
        // A cancelled run may still deliver a late event: it describes nothing on screen.
        return;
    }
    // Server names, versions and echoed input may hold escape sequences or bidi overrides:
    // the wizard only ever holds (and draws) the sanitized text.
    match event.for_display() {
        CheckEvent::Started(id) => {
            app.check.retry = None;
            app.check.stages.insert(id, StageView::Running);
        }
        CheckEvent::Retry(notice) => app.check.retry = Some(notice.to_string()),
        CheckEvent::Finished(result) => {
            app.check.retry = None;
            let result = app.hints.on_stage(result);
            app.check
                .stages
                .insert(result.id, StageView::Finished(result));
        }
        CheckEvent::Permission(p) => app.check.permissions.push(p),
        CheckEvent::Done(report) => {
            app.check.running = false;
            for result in &report.stages {
                let result = app.hints.on_stage(result.clone());
                app.check
                    .stages
                    .insert(result.id, StageView::Finished(result));
            }
            app.check.permissions = report.permissions.clone();
            let ok = report.ok;
            let warnings = report.warnings.len();
            let warned = report.verdict == crate::check::Verdict::Warn;
            app.last_verdict = Some(verdict(&report));
            app.check.report = Some(*report);
            if ok && warned {
                app.set_status(
                    Tone::Warn,
                    format!(
                        "passed with {}: read {} before you type the values in the portal",
                        crate::check::plural(warnings.max(1), "warning", "warnings"),
                        if warnings <= 1 { "it" } else { "them" }
                    ),
                );
                // Put the cursor on the first stage that warns, where its warning is.
                if let Some(i) = first_stage_row(app, crate::check::StageStatus::Warn) {
                    app.cursors.insert((StepId::Integration, Pane::Stages), i);
                }
            } else if ok {
                app.set_status(
                    Tone::Good,
                    "test passed: copy the values under \"For the vendor's portal\" (Tab there, c copies)",
                );
            } else {
                app.set_status(
                    Tone::Bad,
                    "test failed: ↑/↓ over the ✗ rows to read each fix, then t to test again",
                );
                // Put the cursor on the first failure, where the fix is.
                if let Some(i) = first_stage_row(app, crate::check::StageStatus::Fail) {
                    app.cursors.insert((StepId::Integration, Pane::Stages), i);
                }
            }
        }
    }
}

/// The results row of the first stage that finished with `status`.
fn first_stage_row(app: &App, status: crate::check::StageStatus) -> Option<usize> {
    app.check.rows().position(|row| match row {
        ResultRow::Stage(id) => matches!(
            app.check.stage(id),
            Some(StageView::Finished(r)) if r.status == status
        ),
        ResultRow::Permission(_) => false,
    })
}

/// The test's outcome in one line, kept for resuming: "passed", "failed: auth, permissions".
pub(super) fn verdict(report: &crate::check::CheckReport) -> String {
    if report.verdict == crate::check::Verdict::Warn {
        let n = report.warnings.len();
        let s = if n == 1 { "" } else { "s" };
        return format!(
            "passed with {n} warning{s} for company {}",
            report.company_id
        );
    }
    if report.ok {
        return format!("passed for company {}", report.company_id);
    }
    let failed: Vec<&str> = report
        .stages
        .iter()
        .filter(|s| s.status == crate::check::StageStatus::Fail)
        .map(|s| s.id.id())
        .collect();
    format!("failed ({})", failed.join(", "))
}

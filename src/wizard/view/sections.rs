//! The parts of a step's main area that are not panes: the title, the intro, the detail under
//! the role table or the test results, and the Summary's step states.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::check::StageId;

use super::Theme;
use super::chrome::step_state_style;
use super::layout::Section;
use super::panes::{render_client_id_help, render_pane, stage_style};
use crate::wizard::app::{App, FieldId, Pane, StageView, StepId, Tone};
use crate::wizard::content::StepContent;
use crate::wizard::plan::DetailKind;

pub(super) fn render_section(
    app: &App,
    content: &StepContent,
    theme: Theme,
    section: Section,
    area: Rect,
    buf: &mut Buffer,
) {
    match section {
        Section::Title => {
            let step = app.step;
            let position = step
                .number()
                .map_or("".to_string(), |n| format!("Step {n} of 5 · "));
            let (done, total) = app.ticked_count(step);
            let progress = if total > 0 {
                format!("   {done}/{total} ticked")
            } else {
                String::new()
            };
            Paragraph::new(Line::from(vec![
                Span::styled(
                    format!(" {position}{}", step.title()),
                    Style::default().add_modifier(Modifier::BOLD),
                ),
                Span::styled(progress, theme.dim()),
            ]))
            .render(area, buf);
        }
        Section::Intro => {
            Paragraph::new(format!(" {}", content.intro))
                .style(theme.dim())
                .wrap(Wrap { trim: false })
                .render(area, buf);
        }
        Section::Detail(kind) => render_detail(app, content, kind, theme, area, buf),
        Section::StepStates => render_step_states(app, theme, area, buf),
        Section::Pane(Pane::Stages)
            if app.focused_pane() == Pane::Field(FieldId::ClientId) && !app.check.running =>
        {
            render_client_id_help(theme, area, buf)
        }
        Section::Pane(pane) => render_pane(app, content, theme, pane, area, buf),
    }
}

pub(super) fn render_detail(
    app: &App,
    content: &StepContent,
    kind: DetailKind,
    theme: Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    let mut lines: Vec<Line> = match kind {
        DetailKind::RoleRow => {
            let mut lines = Vec::new();
            if let Some(row) = content.role_rows.get(app.cursor(Pane::RoleTable)) {
                lines.push(Line::from(vec![
                    Span::styled(
                        format!(" {} / {}: ", row.module, row.function),
                        Style::default().add_modifier(Modifier::BOLD),
                    ),
                    Span::raw(row.levels.describe()),
                ]));
                for why in &row.why {
                    lines.push(Line::from(vec![
                        Span::raw("   why: "),
                        Span::raw(why.clone()),
                    ]));
                }
                if !row.customize.is_empty() {
                    lines.push(Line::from(vec![
                        Span::raw("   customize: "),
                        Span::raw(format!("allow {}", row.customize.join(", "))),
                    ]));
                }
            }
            for note in &content.notes {
                lines.push(Line::from(vec![
                    Span::styled(" ! ", theme.tone(&Tone::Warn)),
                    Span::raw(note.clone()),
                ]));
            }
            lines
        }
        DetailKind::TestResult => integration_detail(app, theme),
    };
    lines = lines
        .iter()
        .flat_map(|l| crate::wizard::wrap::wrap_line(l, area.width as usize))
        .collect();
    // Nothing cut without a word: the last line says how much more there is.
    let height = area.height as usize;
    if height > 0 && lines.len() > height {
        let hidden = lines.len() - height + 1;
        lines.truncate(height - 1);
        lines.push(Line::from(Span::styled(
            format!(
                " ▼ {} more {}: a taller terminal shows them{}",
                hidden,
                if hidden == 1 { "line" } else { "lines" },
                if app.panes().contains(&Pane::Notes) {
                    "; Tab reaches the notes"
                } else {
                    ""
                }
            ),
            theme.tone(&Tone::Warn),
        )));
    }
    Paragraph::new(lines).render(area, buf);
}

/// The warnings (what to act on; those `said` does not already hold) and, apart, the notes.
pub(super) fn verdict_lines(
    report: &crate::check::CheckReport,
    theme: Theme,
    said: &str,
) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let warnings: Vec<&String> = report
        .warnings
        .iter()
        .filter(|w| said.is_empty() || !said.contains(w.as_str()))
        .collect();
    if !report.warnings.is_empty() {
        lines.push(Line::from(Span::styled(
            format!(
                " {}: act on each, or accept it knowingly",
                crate::check::plural(report.warnings.len(), "warning", "warnings")
            ),
            theme.tone(&Tone::Warn),
        )));
    }
    for warning in warnings {
        lines.push(Line::from(vec![
            Span::styled(" ⚠ ", theme.tone(&Tone::Warn)),
            Span::raw(warning.clone()),
        ]));
    }
    for note in &report.notes {
        lines.push(Line::from(vec![
            Span::styled(" note: ", theme.dim()),
            Span::styled(note.clone(), theme.dim()),
        ]));
    }
    lines
}

pub(super) fn integration_detail(app: &App, theme: Theme) -> Vec<Line<'static>> {
    let cursor = app.cursor(Pane::Stages);
    if app.focused_pane() == Pane::Stages {
        if let Some(id) = StageId::ALL.get(cursor) {
            if let Some(StageView::Finished(r)) = app.check.stage(*id) {
                let mut lines = vec![Line::from(vec![
                    Span::styled(
                        format!(" {} {}: ", r.status.symbol(), id.title()),
                        stage_style(theme, Some(r.status)).add_modifier(Modifier::BOLD),
                    ),
                    Span::raw(r.summary.clone()),
                ])];
                if let Some(fix) = &r.fix {
                    lines.push(Line::from(vec![
                        Span::styled(" fix: ", theme.key()),
                        Span::raw(fix.clone()),
                    ]));
                }
                // After a pass, the verdict's warnings (those the fix did not say) and notes.
                if r.status != crate::check::StageStatus::Fail
                    && let Some(report) = &app.check.report
                {
                    let fix = r.fix.as_deref().unwrap_or("");
                    lines.extend(verdict_lines(report, theme, fix));
                }
                return lines;
            }
        } else if let Some(p) = app.check.permissions.get(cursor - StageId::ALL.len()) {
            return vec![
                Line::from(vec![
                    Span::styled(
                        format!(" {} {} / {}: ", p.status.symbol(), p.module, p.function),
                        Style::default().add_modifier(Modifier::BOLD),
                    ),
                    Span::raw(format!("needs {}", p.required)),
                ]),
                Line::from(format!(" {}", p.detail)),
            ];
        }
    }
    if let Some(report) = &app.check.report {
        let mut lines = Vec::new();
        if let Some(base) = &report.api_base {
            lines.push(Line::from(format!(
                " API base {base}  ·  {}  ·  {}",
                report.version.as_deref().unwrap_or("version unknown"),
                match report.is_cloud {
                    Some(true) => "cloud",
                    Some(false) => "self-hosted",
                    None => "cloud or self-hosted unknown",
                }
            )));
        }
        lines.extend(verdict_lines(report, theme, ""));
        return lines;
    }
    vec![Line::from(Span::styled(
        " Fill in the fields (the keys come from step 4), then press t or Enter on the last field to test.",
        theme.dim(),
    ))]
}

pub(super) fn render_step_states(app: &App, theme: Theme, area: Rect, buf: &mut Buffer) {
    let lines: Vec<Line> = StepId::ALL[..5]
        .iter()
        .map(|step| {
            let state = app.step_state(*step);
            let detail = match step {
                StepId::Integration if app.check.stale => "test results are stale".to_string(),
                StepId::Integration if app.check.passed() => {
                    format!("test {}", app.check.passed_text())
                }
                StepId::Integration if app.check.failed() => "test failed: see step 5".to_string(),
                StepId::Integration => "not tested yet".to_string(),
                _ => {
                    let (done, total) = app.ticked_count(*step);
                    format!("{done}/{total} ticked")
                }
            };
            Line::from(vec![
                Span::styled(
                    format!(" {} ", state.symbol()),
                    step_state_style(theme, state),
                ),
                Span::raw(format!("{:<16}", step.title())),
                Span::styled(detail, theme.dim()),
            ])
        })
        .collect();
    Paragraph::new(lines).render(area, buf);
}

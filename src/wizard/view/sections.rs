//! The parts of a step's main area that are not panes: the title, the intro, the detail under
//! the role table or the test results, and the Summary's step states.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::check::{StageId, StageStatus};

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
    let mut lines = detail_lines(app, content, kind, theme, area.width);
    // Nothing cut without a word: the last line says how much more there is.
    let height = area.height as usize;
    if height > 0 && lines.len() > height {
        let hidden = lines.len() - height + 1;
        lines.truncate(height - 1);
        let how = if kind == DetailKind::TestResult && app.focused_pane() == Pane::Stages {
            "Enter reads the row in full"
        } else {
            "a taller terminal shows them"
        };
        lines.push(Line::from(Span::styled(
            format!(
                " ▼ {} more {}: {how}{}",
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

/// The detail's rows, wrapped to `width`: what the renderer draws and the layout makes room for.
pub(super) fn detail_lines(
    app: &App,
    content: &StepContent,
    kind: DetailKind,
    theme: Theme,
    width: u16,
) -> Vec<Line<'static>> {
    let width = width as usize;
    match kind {
        DetailKind::RoleRow => role_row_detail(app, content, theme)
            .iter()
            .flat_map(|l| crate::wizard::wrap::wrap_line(l, width))
            .collect(),
        DetailKind::TestResult => integration_detail(app, theme)
            .iter()
            .flat_map(|(line, hang)| match hang {
                Some(indent) => crate::wizard::wrap::wrap_hanging(line, width, *indent),
                None => crate::wizard::wrap::wrap_line(line, width),
            })
            .collect(),
    }
}

fn role_row_detail(app: &App, content: &StepContent, theme: Theme) -> Vec<Line<'static>> {
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

/// A paragraph of the test's detail and the indent of its continuation rows (`None`: under its
/// text, after the label).
type DetailLine = (Line<'static>, Option<usize>);

/// The test's detail: the focused result in full; after a failed test, with the focus elsewhere,
/// the first failed stage. A failed stage's fix comes first, then what the test found.
pub(super) fn integration_detail(app: &App, theme: Theme) -> Vec<DetailLine> {
    let focused = app.focused_pane() == Pane::Stages;
    let row = if focused {
        Some(app.cursor(Pane::Stages))
    } else {
        StageId::ALL.iter().position(|id| {
            matches!(
                app.check.stage(*id),
                Some(StageView::Finished(r)) if r.status == StageStatus::Fail
            )
        })
    };
    if let Some(row) = row {
        if let Some(id) = StageId::ALL.get(row) {
            if let Some(StageView::Finished(r)) = app.check.stage(*id) {
                return stage_detail(app, theme, *id, r);
            }
        } else if let Some(p) = app.check.permissions.get(row - StageId::ALL.len()) {
            return vec![
                (
                    Line::from(vec![
                        Span::styled(
                            format!(" {} {} / {}: ", p.status.symbol(), p.module, p.function),
                            Style::default().add_modifier(Modifier::BOLD),
                        ),
                        Span::raw(format!("needs {}", p.required)),
                    ]),
                    None,
                ),
                (Line::from(format!(" {}", p.detail)), Some(1)),
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
        return lines.into_iter().map(|l| (l, None)).collect();
    }
    vec![(
        Line::from(Span::styled(
            " Fill in the fields (the keys come from step 4), then press t or Enter on the last field to test.",
            theme.dim(),
        )),
        Some(1),
    )]
}

/// One finished stage: failed, its fix first (word-wrapped under the whole width), then what
/// the test found; otherwise what it found, its advice, and the verdict's warnings and notes.
fn stage_detail(
    app: &App,
    theme: Theme,
    id: StageId,
    r: &crate::check::StageResult,
) -> Vec<DetailLine> {
    let style = stage_style(theme, Some(r.status)).add_modifier(Modifier::BOLD);
    // A failed stage or a warning: what to do comes first, then what the test found.
    let lead = match r.status {
        StageStatus::Fail => Some("failed. Fix: "),
        StageStatus::Warn => Some("passed with a warning. Act on it or accept it: "),
        _ => None,
    };
    if let (Some(lead), Some(fix)) = (lead, &r.fix) {
        let mut lines = vec![
            (
                Line::from(vec![
                    Span::raw(" "),
                    Span::styled(
                        format!("{} {}: {lead}", r.status.symbol(), id.title()),
                        style,
                    ),
                    Span::raw(fix.clone()),
                ]),
                Some(1),
            ),
            (
                Line::from(vec![
                    Span::raw(" "),
                    Span::styled("Found: ", theme.dim()),
                    Span::raw(r.summary.clone()),
                ]),
                Some(1),
            ),
        ];
        if r.status == StageStatus::Warn
            && let Some(report) = &app.check.report
        {
            lines.extend(
                verdict_lines(report, theme, fix)
                    .into_iter()
                    .map(|l| (l, Some(1))),
            );
        }
        return lines;
    }
    let mut lines = vec![(
        Line::from(vec![
            Span::styled(format!(" {} {}: ", r.status.symbol(), id.title()), style),
            Span::raw(r.summary.clone()),
        ]),
        None,
    )];
    if let Some(fix) = &r.fix {
        lines.push((
            Line::from(vec![
                Span::styled(" fix: ", theme.key()),
                Span::raw(fix.clone()),
            ]),
            None,
        ));
    }
    // After a pass, the verdict's warnings (those the fix did not say) and notes.
    if r.status != StageStatus::Fail
        && let Some(report) = &app.check.report
    {
        let fix = r.fix.as_deref().unwrap_or("");
        lines.extend(
            verdict_lines(report, theme, fix)
                .into_iter()
                .map(|l| (l, None)),
        );
    }
    lines
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

//! The parts of a step's main area that are not panes: the title, the intro, the detail under
//! the role table or the test results, and the Summary's step states.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::Theme;
use super::chrome::step_state_style;
use super::layout::Section;
use super::panes::{render_client_id_help, render_pane};
use super::rows::detail_lines;
use crate::setup::content::StepContent;
use crate::wizard::app::{App, FieldId, Pane, StepId, Tone};
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
        Section::Title => Paragraph::new(title_line(app, theme)).render(area, buf),
        Section::Intro => {
            Paragraph::new(cut_to_rows(
                &Line::from(format!(" {}", content.intro)),
                area,
            ))
            .style(theme.dim())
            .render(area, buf);
        }
        Section::Detail(kind) => render_detail(app, content, kind, theme, area, buf),
        Section::Hidden { above, below } => render_hidden(app, theme, above, below, area, buf),
        Section::StepStates => render_step_states(app, theme, area, buf),
        Section::Pane(Pane::Stages)
            if app.focused_pane() == Pane::Field(FieldId::ClientId) && !app.check.running =>
        {
            render_client_id_help(theme, area, buf)
        }
        Section::Pane(pane) => render_pane(app, content, theme, pane, area, buf),
    }
}

/// The step's title row: where it is in the journey, and how much is ticked.
fn title_line(app: &App, theme: Theme) -> Line<'static> {
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
    Line::from(vec![
        Span::styled(
            format!(" {position}{}", step.title()),
            Style::default().add_modifier(Modifier::BOLD),
        ),
        Span::styled(progress, theme.dim()),
    ])
}

/// The title's row when the screen cannot hold every box: the title (cut with "…" where it
/// must be), then how many boxes are out of view and how to reach them.
fn render_hidden(app: &App, theme: Theme, above: u16, below: u16, area: Rect, buf: &mut Buffer) {
    use unicode_width::UnicodeWidthStr;
    let text = match (above, below) {
        (0, b) => format!(" ▼ {b} more below (Tab) "),
        (a, 0) => format!(" ▲ {a} more above (Shift-Tab) "),
        (a, b) => format!(" ▲ {a} above · ▼ {b} below (Tab) "),
    };
    let width = area.width as usize;
    let marker = crate::wizard::wrap::fit(&Line::from(text.clone()), width);
    let room = width.saturating_sub(text.width().min(width));
    let title = crate::wizard::wrap::fit(&title_line(app, theme), room);
    let mut spans = title.spans;
    let used: usize = spans.iter().map(|s| s.content.width()).sum();
    spans.push(Span::raw(" ".repeat(room.saturating_sub(used))));
    spans.extend(
        marker
            .spans
            .into_iter()
            .map(|s| Span::styled(s.content, theme.tone(&Tone::Warn))),
    );
    Paragraph::new(Line::from(spans)).render(area, buf);
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
                StepId::Prerequisites
                | StepId::SecurityRole
                | StepId::ApiMember
                | StepId::ApiKey
                | StepId::Summary => {
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

/// `line` wrapped to `area`'s width and kept to its rows: when it needs more, the last row ends
/// with "…" (a short terminal shows one row of the intro, and says it is cut).
fn cut_to_rows(line: &Line<'static>, area: Rect) -> Vec<Line<'static>> {
    let width = area.width as usize;
    let height = area.height as usize;
    let mut rows = crate::wizard::wrap::wrap_line(line, width);
    if height > 0 && rows.len() > height {
        let rest: Vec<String> = rows[height - 1..]
            .iter()
            .map(|row| {
                let text: String = row.spans.iter().map(|s| s.content.as_ref()).collect();
                text.trim_end().to_string()
            })
            .collect();
        rows.truncate(height - 1);
        rows.push(crate::wizard::wrap::fit(&Line::from(rest.join(" ")), width));
    }
    rows
}

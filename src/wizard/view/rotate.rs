//! The "rotate a key" path's screen: its five steps down the side, the current one's text, its
//! fields (the keys masked, as on step 4) and what was proved; the status line and the footer as
//! on every step. The state and the words are the core's ([`crate::setup::rotation`]).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use super::Theme;
use super::chrome::{render_footer, render_header, render_status, status_height};
use super::masked::render_masked;
use crate::check::Verdict;
use crate::rotate::OldKeyStatus;
use crate::setup::content::ValueSource;
use crate::setup::rotation::{self, RotateField, RotateLine, RotateStep, Rotation};
use crate::wizard::app::{App, StepState, Tone};

const SIDE_WIDTH: u16 = 28;

/// Draws the rotate path over the whole screen.
pub(super) fn render(app: &App, theme: Theme, area: Rect, buf: &mut Buffer) {
    let Some(r) = app.rotation.as_ref() else {
        return;
    };
    let status = status_height(app, area.width).min(area.height.saturating_sub(3));
    let header = Rect { height: 1, ..area };
    let footer = Rect {
        y: area.bottom().saturating_sub(1),
        height: 1,
        ..area
    };
    let status_area = Rect {
        y: footer.y.saturating_sub(status),
        height: status,
        ..area
    };
    let middle = Rect {
        y: area.y + 1,
        height: status_area.y.saturating_sub(area.y + 1),
        ..area
    };
    let side_width = if area.width >= 100 { SIDE_WIDTH } else { 8 };
    let side = Rect {
        width: side_width.min(middle.width),
        ..middle
    };
    let body = Rect {
        x: middle.x + side.width,
        width: middle.width.saturating_sub(side.width),
        ..middle
    };
    render_header(app, theme, header, buf);
    render_side(r, theme, side, buf);
    render_body(app, r, theme, body, buf);
    render_status(app, theme, status_area, buf);
    render_footer(app, theme, footer, buf);
}

/// Each rotate step's state, as the sidebar shows it.
fn step_state(r: &Rotation, step: RotateStep) -> StepState {
    let proved = match step {
        RotateStep::CheckNew => r.new_verdict().map(|v| match v {
            Verdict::Pass => StepState::Done,
            Verdict::Warn => StepState::DoneWithWarnings,
            Verdict::Fail => StepState::Failed,
        }),
        RotateStep::ProveOld => r.old_key.as_ref().map(|o| match o.status {
            OldKeyStatus::Rejected => StepState::Done,
            OldKeyStatus::StillWorks => StepState::Failed,
            // Not tried because the new key failed: step 5 is still ahead.
            OldKeyStatus::NotChecked if !r.new_key_passed() => StepState::Pending,
            OldKeyStatus::NotChecked => StepState::Failed,
        }),
        RotateStep::NewKey | RotateStep::Portal | RotateStep::DeleteOld => {
            (step < r.step).then_some(StepState::Done)
        }
    };
    match proved {
        Some(state) => state,
        None if step == r.step => StepState::Current,
        None => StepState::Pending,
    }
}

fn render_side(r: &Rotation, theme: Theme, area: Rect, buf: &mut Buffer) {
    let wide = area.width >= SIDE_WIDTH;
    let mut lines = vec![Line::from(Span::styled(
        if wide { " Rotate a key" } else { " Rot." },
        Style::default().add_modifier(Modifier::BOLD),
    ))];
    for step in RotateStep::ALL {
        let state = step_state(r, step);
        let mut style = super::chrome::step_state_style(theme, state);
        if step == r.step {
            style = style.add_modifier(Modifier::REVERSED);
        }
        let text = if wide {
            format!(" {} {} {}", state.symbol(), step.number(), step.title())
        } else {
            format!(" {} {}", state.symbol(), step.number())
        };
        lines.push(Line::from(Span::styled(text, style)));
    }
    lines.push(Line::from(""));
    if wide {
        lines.push(Line::from(Span::styled(
            " Esc: back to step 1",
            theme.dim(),
        )));
        lines.push(Line::from(Span::styled(" (both pairs wiped)", theme.dim())));
    }
    Paragraph::new(lines)
        .block(Block::default().borders(Borders::RIGHT))
        .render(area, buf);
}

fn styled(theme: Theme, line: RotateLine) -> Line<'static> {
    match line.tone {
        Some(tone) => Line::from(Span::styled(line.text, theme.tone(&tone))),
        None => Line::from(line.text),
    }
}

/// `lines` wrapped in `width` columns, each continuation hanging under its line's text (after
/// its indent and its symbol), so a stage's result reads as one block.
fn wrapped(lines: Vec<Line<'static>>, width: u16) -> Vec<Line<'static>> {
    lines
        .into_iter()
        .flat_map(|line| {
            let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
            let trimmed = text.trim_start_matches(' ');
            let lead = text.len() - trimmed.len();
            let symbol = ["✓ ", "⚠ ", "✗ ", "? ", "fix: "]
                .iter()
                .find(|p| trimmed.starts_with(**p))
                .map_or(0, |p| p.chars().count());
            crate::wizard::wrap::wrap_hanging(&line, usize::from(width), lead + symbol)
        })
        .collect()
}

fn render_body(app: &App, r: &Rotation, theme: Theme, area: Rect, buf: &mut Buffer) {
    let area = Rect {
        x: area.x + 1,
        width: area.width.saturating_sub(2),
        ..area
    };
    let mut lines = vec![Line::from(Span::styled(
        format!("Step {} of 5: {}", r.step.number(), r.step.title()),
        Style::default().add_modifier(Modifier::BOLD),
    ))];
    let results: Vec<Line> = rotation::results(app)
        .into_iter()
        .map(|l| styled(theme, l))
        .collect();
    // Once there is a result, it needs the rows more than the instructions read already.
    if results.is_empty() || r.step == RotateStep::Portal {
        lines.extend(rotation::intro(app).into_iter().map(|l| styled(theme, l)));
    }
    let lines = wrapped(lines, area.width);
    let used = (lines.len() as u16).min(area.height);
    Paragraph::new(lines).render(
        Rect {
            height: used,
            ..area
        },
        buf,
    );
    let mut y = area.y + used;
    let bottom = area.bottom();
    if r.step == RotateStep::Portal {
        render_portal(
            app,
            r,
            theme,
            Rect {
                y,
                height: bottom.saturating_sub(y),
                ..area
            },
            buf,
        );
        return;
    }
    for field in r.step.fields() {
        let focused = r.focus == Some(*field);
        match r.key(*field) {
            Some(input) => {
                if y + 3 > bottom {
                    break;
                }
                render_masked(
                    input,
                    Rect {
                        y,
                        height: 3,
                        ..area
                    },
                    buf,
                    focused,
                    field.label(),
                );
                y += 3;
            }
            None => {
                if y >= bottom {
                    break;
                }
                render_text_field(
                    app,
                    *field,
                    focused,
                    Rect {
                        y,
                        height: 1,
                        ..area
                    },
                    buf,
                );
                y += 1;
            }
        }
    }
    if y < bottom {
        let rect = Rect {
            y,
            height: bottom - y,
            ..area
        };
        Paragraph::new(scrolled(
            wrapped(results, area.width),
            r.scroll,
            rect.height,
            theme,
        ))
        .render(rect, buf);
    }
}

/// The rows of `lines` that fit in `height`, from `scroll` on (clamped): a row says when more is
/// above (↑) or below (↓), so a cut result never looks whole.
fn scrolled(
    lines: Vec<Line<'static>>,
    scroll: usize,
    height: u16,
    theme: Theme,
) -> Vec<Line<'static>> {
    let height = usize::from(height);
    if lines.len() <= height || height < 3 {
        return lines;
    }
    // One row for each marker that shows.
    let first = scroll.min(lines.len() - height);
    let mut top = first;
    let mut shown = height;
    if first > 0 {
        top += 1;
        shown -= 1;
    }
    let below = lines.len().saturating_sub(top + shown);
    if below > 0 {
        shown -= 1;
    }
    let below = lines.len().saturating_sub(top + shown);
    let mut out = Vec::new();
    if first > 0 {
        out.push(Line::from(Span::styled(
            format!("▲ {top} more lines above (↑)"),
            theme.dim(),
        )));
    }
    out.extend(lines.into_iter().skip(top).take(shown));
    if below > 0 {
        out.push(Line::from(Span::styled(
            format!("▼ {below} more lines (↓ reads on)"),
            theme.dim(),
        )));
    }
    out
}

fn render_text_field(app: &App, field: RotateField, focused: bool, area: Rect, buf: &mut Buffer) {
    let value = rotation::text_field(app, field)
        .map(|f| crate::sanitize::display_text(f.value()))
        .unwrap_or_default();
    let marker = if focused { "▸" } else { " " };
    let mut spans = vec![
        Span::styled(
            format!("{marker} {:<11}", field.label()),
            Style::default().add_modifier(Modifier::BOLD),
        ),
        Span::raw(value),
    ];
    if focused {
        spans.push(Span::styled(
            "▏",
            Style::default().add_modifier(Modifier::SLOW_BLINK),
        ));
    }
    Paragraph::new(Line::from(spans)).render(area, buf);
}

fn render_portal(app: &App, r: &Rotation, theme: Theme, area: Rect, buf: &mut Buffer) {
    let values = rotation::portal_values(app);
    let mut lines = Vec::new();
    for (i, value) in values.iter().enumerate() {
        let shown = match (&value.value, rotation::portal_key(value)) {
            (_, Some(field)) => format!(
                "({}: c copies it, never shown)",
                field.label().to_lowercase()
            ),
            (ValueSource::Text(text), None) => crate::sanitize::display_text(text),
            (ValueSource::Field(_), None) => String::new(),
        };
        let text = format!(
            "{} {}: {shown}",
            if i == r.cursor { "▶" } else { " " },
            crate::sanitize::display_text(&value.label)
        );
        let style = if i == r.cursor {
            theme.selected()
        } else {
            Style::default()
        };
        lines.push(Line::from(Span::styled(text, style)));
    }
    if values.is_empty() {
        lines.push(styled(
            theme,
            RotateLine {
                tone: Some(Tone::Warn),
                text: "No portal values: select a vendor on step 1.".into(),
            },
        ));
    }
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(area, buf);
}

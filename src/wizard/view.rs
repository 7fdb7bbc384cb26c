//! Rendering: a pure function of [`App`]. The layout is computed by one function that both the
//! renderer and the mouse hit-test use, so a click lands where the eye sees it.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph, Widget, Wrap};

use crate::check::{StageId, StageStatus, describe_levels};
use crate::profile::Level;

use super::app::{App, FieldId, Overlay, Pane, StageView, StepId, StepState, Tone, stage_symbol};
use super::content::{CopyValue, StepContent, ValueSource};
use super::keymap::{self, BINDINGS, Context};
use super::role_editor::{EditorField, RoleEditor};

pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 18;
const SIDEBAR_WIDTH: u16 = 21;
/// Below this width the sidebar shows numbers only: the step's title is in the header anyway,
/// and the role table and the test results need the columns.
const NARROW: u16 = 100;
const NARROW_SIDEBAR_WIDTH: u16 = 7;
/// Below this height the intro and the test's detail give up rows to the lists.
const SHORT: u16 = 28;

fn sidebar_width(width: u16) -> u16 {
    if width < NARROW {
        NARROW_SIDEBAR_WIDTH
    } else {
        SIDEBAR_WIDTH
    }
}

/// Colours that switch off under NO_COLOR; focus and state never rely on colour alone.
#[derive(Clone, Copy)]
struct Theme {
    color: bool,
}

impl Theme {
    fn fg(self, color: Color) -> Style {
        if self.color {
            Style::default().fg(color)
        } else {
            Style::default()
        }
    }
    fn tone(self, tone: &Tone) -> Style {
        match tone {
            Tone::Info => self.fg(Color::Cyan),
            Tone::Good => self.fg(Color::Green),
            Tone::Warn => self.fg(Color::Yellow),
            Tone::Bad => self.fg(Color::Red),
        }
    }
    fn dim(self) -> Style {
        if self.color {
            Style::default().fg(Color::DarkGray)
        } else {
            Style::default()
        }
    }
    fn selected(self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }
    fn key(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
}

/// What a click hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hit {
    Step(StepId),
    /// A pane, and the list row under the pointer if it is a list.
    Pane(Pane, Option<usize>),
}

/// Parts of the main area besides panes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Title,
    Intro,
    Pane(Pane),
    /// The why of the focused role row, or the fix of the focused stage.
    Detail,
    StepStates,
    /// Panes side by side, in equal widths (the own-key fields, the role-name field).
    Row(&'static [Pane]),
}

struct Frame {
    header: Rect,
    sidebar: Rect,
    sections: Vec<(Section, Rect)>,
    status: Rect,
    footer: Rect,
}

fn too_small(area: Rect) -> bool {
    area.width < MIN_WIDTH || area.height < MIN_HEIGHT
}

fn layout(app: &App, area: Rect) -> Frame {
    let rows = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(status_height(app, area.width)),
        Constraint::Length(1),
    ])
    .split(area);
    let body = Layout::horizontal([
        Constraint::Length(sidebar_width(area.width)),
        Constraint::Min(1),
    ])
    .split(rows[1]);
    Frame {
        header: rows[0],
        sidebar: body[0],
        sections: sections(app, body[1]),
        status: rows[2],
        footer: rows[3],
    }
}

/// Rows a list pane needs with its borders: its wrapped rows, at most `cap` of them.
fn list_height(app: &App, content: &StepContent, pane: Pane, width: u16, cap: u16) -> u16 {
    let rows = list_rows(app, content, Theme { color: false }, pane);
    let wrapped = wrapped_rows(pane, &rows, width.saturating_sub(2)).len();
    (wrapped.min(cap as usize) as u16).max(1) + 2
}

/// The intro wraps to two rows at most; a narrow terminal cuts the second.
fn intro_height(intro: &str, area: Rect) -> u16 {
    let line = Line::from(format!(" {intro}"));
    let most = if area.height + 4 < SHORT { 1 } else { 2 };
    super::wrap::height(&line, area.width as usize).clamp(1, most) as u16
}

fn sections(app: &App, area: Rect) -> Vec<(Section, Rect)> {
    let content = app.content(app.step);
    let mut plan: Vec<(Section, Constraint)> = vec![
        (Section::Title, Constraint::Length(1)),
        (
            Section::Intro,
            Constraint::Length(intro_height(&content.intro, area)),
        ),
    ];
    let own = app.own.enabled;
    match app.step {
        StepId::Prerequisites => {
            plan.push((
                Section::Pane(Pane::Profiles),
                Constraint::Length(list_height(
                    app,
                    &content,
                    Pane::Profiles,
                    area.width,
                    super::app::VENDOR_ROWS,
                )),
            ));
            plan.push((
                Section::Pane(Pane::Region),
                Constraint::Length(list_height(app, &content, Pane::Region, area.width, 7)),
            ));
            plan.push((
                Section::Pane(Pane::Plan),
                Constraint::Length(list_height(app, &content, Pane::Plan, area.width, 4)),
            ));
            if app.asks_server_address() {
                plan.push((
                    Section::Pane(Pane::Field(FieldId::Site)),
                    Constraint::Length(3),
                ));
            }
            plan.push((
                Section::Pane(Pane::Checklist),
                Constraint::Length(list_height(
                    app,
                    &content,
                    Pane::Checklist,
                    area.width,
                    if own { 3 } else { 10 },
                )),
            ));
            if own {
                plan.push((Section::Row(OWN_KEY_FIELDS), Constraint::Length(3)));
                plan.push((Section::Row(OWN_SITE_FIELDS), Constraint::Length(3)));
            }
            plan.push((Section::Pane(Pane::Notes), Constraint::Min(2)));
        }
        StepId::SecurityRole => {
            plan.push((
                Section::Pane(Pane::Checklist),
                // The role table and its notes matter most here: the checklist scrolls instead.
                Constraint::Length(list_height(
                    app,
                    &content,
                    Pane::Checklist,
                    area.width,
                    if area.height >= 36 { 6 } else { 3 },
                )),
            ));
            // The role name, then each vendor's guide: a second row only where there is room.
            let cap = if area.height >= 26 { 2 } else { 1 };
            let values = list_height(app, &content, Pane::Values, area.width, cap);
            plan.push((Section::Pane(Pane::Values), Constraint::Length(values)));
            if own {
                plan.push((
                    Section::Pane(Pane::Field(FieldId::RoleName)),
                    Constraint::Length(3),
                ));
            }
            let table = match content.role_rows.len() {
                0 => 5,
                n => (n as u16 + 3).min(if own { 7 } else { 14 }),
            };
            plan.push((Section::Pane(Pane::RoleTable), Constraint::Length(table)));
            // Tabbing to the notes shows them, scrollable, where the focused row's reasons were.
            let detail = if app.focused_pane() == Pane::Notes {
                Section::Pane(Pane::Notes)
            } else {
                Section::Detail
            };
            if own {
                // The role read back with the technician's keys; the focused row's reasons below.
                plan.push((Section::Pane(Pane::Audit), Constraint::Min(4)));
                plan.push((detail, Constraint::Length(1)));
            } else {
                // The focused row's reasons, then the role's notes (restricted agreement types…).
                plan.push((detail, Constraint::Min(3)));
            }
        }
        StepId::ApiMember => {
            plan.push((
                Section::Pane(Pane::Checklist),
                Constraint::Length(list_height(app, &content, Pane::Checklist, area.width, 10)),
            ));
            plan.push((
                Section::Pane(Pane::Values),
                Constraint::Length(list_height(app, &content, Pane::Values, area.width, 4)),
            ));
            if own {
                plan.push((Section::Pane(Pane::Audit), Constraint::Min(4)));
                plan.push((Section::Pane(Pane::Notes), Constraint::Length(2)));
            } else {
                plan.push((Section::Pane(Pane::Notes), Constraint::Min(2)));
            }
        }
        StepId::ApiKey => {
            plan.push((
                Section::Pane(Pane::Checklist),
                Constraint::Length(list_height(app, &content, Pane::Checklist, area.width, 8)),
            ));
            plan.push((
                Section::Pane(Pane::Values),
                Constraint::Length(list_height(app, &content, Pane::Values, area.width, 2)),
            ));
            for (_, public, private) in app.key_fields() {
                plan.push((Section::Pane(Pane::Field(public)), Constraint::Length(3)));
                plan.push((Section::Pane(Pane::Field(private)), Constraint::Length(3)));
            }
            plan.push((Section::Pane(Pane::Notes), Constraint::Min(2)));
        }
        StepId::Integration => return integration_sections(app, area),
        StepId::Summary => {
            plan.push((Section::StepStates, Constraint::Length(5)));
            plan.push((
                Section::Pane(Pane::Checklist),
                Constraint::Length(list_height(app, &content, Pane::Checklist, area.width, 8)),
            ));
            plan.push((
                Section::Pane(Pane::Values),
                Constraint::Length(list_height(app, &content, Pane::Values, area.width, 8)),
            ));
            plan.push((Section::Pane(Pane::Notes), Constraint::Min(2)));
        }
    }
    let rects = Layout::vertical(plan.iter().map(|(_, c)| *c)).split(area);
    plan.iter()
        .map(|(s, _)| *s)
        .zip(rects.iter().copied())
        .flat_map(|(section, rect)| match section {
            Section::Row(panes) => {
                let parts = Layout::horizontal(vec![
                    Constraint::Ratio(1, panes.len().max(1) as u32);
                    panes.len()
                ])
                .split(rect);
                panes
                    .iter()
                    .zip(parts.iter())
                    .map(|(p, r)| (Section::Pane(*p), *r))
                    .collect::<Vec<_>>()
            }
            other => vec![(other, rect)],
        })
        .collect()
}

/// Step 1 with "Check my work as I go": the technician's own keys, then where to use them.
const OWN_KEY_FIELDS: &[Pane] = &[
    Pane::Field(FieldId::MyPublicKey),
    Pane::Field(FieldId::MyPrivateKey),
];
const OWN_SITE_FIELDS: &[Pane] = &[
    Pane::Field(FieldId::Site),
    Pane::Field(FieldId::CompanyId),
    Pane::Field(FieldId::ClientId),
];

fn integration_sections(app: &App, area: Rect) -> Vec<(Section, Rect)> {
    let intro = intro_height(&app.content(StepId::Integration).intro, area);
    let rows = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(intro),
        Constraint::Length(9),
        Constraint::Min(4),
        // The detail (the focused stage's fix) gives a row to the results on short terminals.
        Constraint::Length(if area.height + 4 < SHORT { 3 } else { 4 }),
    ])
    .split(area);
    let top = Layout::horizontal([Constraint::Length(30), Constraint::Min(20)]).split(rows[2]);
    let fields = Layout::vertical([Constraint::Length(3); 3]).split(top[1]);
    let mut out = vec![
        (Section::Title, rows[0]),
        (Section::Intro, rows[1]),
        (Section::Pane(Pane::Region), top[0]),
        (Section::Pane(Pane::Field(FieldId::Site)), fields[0]),
        (Section::Pane(Pane::Field(FieldId::CompanyId)), fields[1]),
        (Section::Pane(Pane::Field(FieldId::ClientId)), fields[2]),
    ];
    if app.check.passed() {
        let bottom = Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
            .split(rows[3]);
        out.push((Section::Pane(Pane::Stages), bottom[0]));
        out.push((Section::Pane(Pane::Portal), bottom[1]));
    } else {
        out.push((Section::Pane(Pane::Stages), rows[3]));
    }
    out.push((Section::Detail, rows[4]));
    out
}

/// What is under the pointer at (column, row) on a screen of `app.size`.
pub fn hit_test(app: &App, column: u16, row: u16) -> Option<Hit> {
    let area = Rect::new(0, 0, app.size.0, app.size.1);
    if too_small(area) {
        return None;
    }
    let frame = layout(app, area);
    let inside = |r: Rect| column >= r.x && column < r.right() && row >= r.y && row < r.bottom();
    if inside(frame.sidebar) {
        let index = row.checked_sub(frame.sidebar.y + 1)? as usize;
        return StepId::ALL.get(index).map(|s| Hit::Step(*s));
    }
    for (section, rect) in &frame.sections {
        if let Section::Pane(pane) = section
            && inside(*rect)
        {
            let list_row = if pane.is_list() {
                let content = app.content(app.step);
                let view = list_view(app, &content, *pane, *rect);
                row.checked_sub(view.inner.y)
                    .filter(|r| *r < view.inner.height)
                    .and_then(|r| view.wrapped.get(r as usize + view.offset))
                    .map(|(item, _)| *item)
            } else {
                None
            };
            return Some(Hit::Pane(*pane, list_row));
        }
    }
    None
}

/// Draws the whole wizard.
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = Theme {
        color: !app.settings.no_color,
    };
    if too_small(area) {
        Paragraph::new(format!(
            "terminal too small: need {MIN_WIDTH}x{MIN_HEIGHT}, have {}x{}",
            area.width, area.height
        ))
        .wrap(Wrap { trim: true })
        .render(area, buf);
        return;
    }
    let frame = layout(app, area);
    render_header(app, theme, frame.header, buf);
    render_sidebar(app, theme, frame.sidebar, buf);
    let content = app.content(app.step);
    for (section, rect) in &frame.sections {
        render_section(app, &content, theme, *section, *rect, buf);
    }
    render_status(app, theme, frame.status, buf);
    render_footer(app, theme, frame.footer, buf);
    match &app.overlay {
        Some(Overlay::Help) => render_help(app, theme, area, buf),
        Some(Overlay::ConfirmQuit) => render_confirm_quit(theme, area, buf),
        Some(Overlay::Editor(editor)) => render_editor(editor, theme, area, buf),
        Some(Overlay::Resume(saved)) => render_resume(app, saved, theme, area, buf),
        Some(Overlay::Detail(detail)) => detail.render(area, buf),
        None => {}
    }
}

fn render_header(app: &App, theme: Theme, area: Rect, buf: &mut Buffer) {
    let products: Vec<&str> = app
        .selected_profiles()
        .iter()
        .map(|p| p.product.as_str())
        .collect();
    let mut spans = vec![
        Span::styled(
            " cwsetup ",
            theme.fg(Color::Cyan).add_modifier(Modifier::BOLD),
        ),
        Span::raw("· ConnectWise → "),
        Span::styled(
            if products.is_empty() {
                "no vendor selected".to_string()
            } else {
                products.join(" + ")
            },
            Style::default().add_modifier(Modifier::BOLD),
        ),
    ];
    if app.settings.demo {
        spans.push(Span::styled(
            "  [DEMO: simulated ConnectWise]",
            theme.tone(&Tone::Warn),
        ));
    }
    Paragraph::new(Line::from(spans)).render(area, buf);
}

fn step_state_style(theme: Theme, state: StepState) -> Style {
    match state {
        StepState::Done => theme.tone(&Tone::Good),
        StepState::DoneWithWarnings => theme.tone(&Tone::Warn),
        StepState::Current => Style::default().add_modifier(Modifier::BOLD),
        StepState::Pending => theme.dim(),
        StepState::Failed => theme.tone(&Tone::Bad),
    }
}

fn render_sidebar(app: &App, theme: Theme, area: Rect, buf: &mut Buffer) {
    let lines: Vec<Line> = StepId::ALL
        .iter()
        .map(|step| {
            let state = app.step_state(*step);
            let number = step.number().map_or("  ".to_string(), |n| format!("{n} "));
            let current = *step == app.step;
            let mut style = step_state_style(theme, state);
            if current {
                style = style.add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
            }
            let label = if area.width < SIDEBAR_WIDTH {
                // Narrow: the number alone, and Σ for the Summary.
                step.number().map_or("Σ".to_string(), |n| n.to_string())
            } else {
                format!("{number}{}", step.title())
            };
            Line::from(vec![
                Span::raw(if current { "›" } else { " " }),
                Span::styled(format!("{} {label}", state.symbol()), style),
            ])
        })
        .collect();
    Paragraph::new(lines)
        .block(
            Block::default()
                .borders(Borders::RIGHT | Borders::TOP)
                .title(" Steps "),
        )
        .render(area, buf);
}

fn pane_block(app: &App, theme: Theme, pane: Pane, title: String) -> Block<'static> {
    let focused = app.overlay.is_none() && app.focused_pane() == pane;
    let block = Block::default().borders(Borders::ALL);
    if focused {
        block
            .border_type(BorderType::Thick)
            .border_style(theme.fg(Color::Cyan))
            .title(Span::styled(
                format!("▸ {title} "),
                Style::default().add_modifier(Modifier::BOLD),
            ))
    } else {
        block.border_style(theme.dim()).title(format!(" {title} "))
    }
}

/// Rows above the first list row inside a pane's border (the role table has a column header).
fn header_rows(pane: Pane) -> u16 {
    u16::from(pane == Pane::RoleTable)
}

/// A list's rows wrapped to `width` (the marker column excluded): `(item index, display row)`.
/// Stage and permission rows stay one line each, as a grid: the detail below shows the focused
/// one in full.
fn wrapped_rows(pane: Pane, rows: &[Line<'static>], width: u16) -> Vec<(usize, Line<'static>)> {
    if matches!(pane, Pane::Stages | Pane::RoleTable) {
        return rows.iter().cloned().enumerate().collect();
    }
    if matches!(pane, Pane::Values | Pane::Portal) {
        // A value to copy is never cut mid-token: when label and value do not fit side by
        // side, the value gets a row of its own under the label.
        return rows
            .iter()
            .enumerate()
            .flat_map(|(i, line)| {
                value_row_lines(line, width.saturating_sub(1) as usize)
                    .into_iter()
                    .map(move |row| (i, row))
            })
            .collect();
    }
    rows.iter()
        .enumerate()
        .flat_map(|(i, line)| {
            super::wrap::wrap_line(line, width.saturating_sub(1) as usize)
                .into_iter()
                .map(move |row| (i, row))
        })
        .collect()
}

/// A label-and-value row in `width` columns: one row when it fits, else the label, then the
/// value indented by two on rows of its own (cut only when it is wider than a whole row).
fn value_row_lines(line: &Line<'static>, width: usize) -> Vec<Line<'static>> {
    use unicode_width::UnicodeWidthStr;
    let total: usize = line.spans.iter().map(|s| s.content.width()).sum();
    if total <= width || line.spans.len() < 2 {
        return super::wrap::wrap_line(line, width);
    }
    let (value, label) = line.spans.split_last().expect("two spans or more");
    let label: Vec<Span<'static>> = label
        .iter()
        .map(|s| Span::styled(s.content.trim_end().to_string(), s.style))
        .collect();
    let mut out = super::wrap::wrap_line(&Line::from(label), width);
    let value = Line::from(vec![Span::raw("  "), value.clone()]);
    out.extend(super::wrap::wrap_line(&value, width));
    out
}

/// The first display row shown, so that every row of the cursor's item is in view; an item
/// taller than the pane shows from its row `within` (what ↓ has scrolled inside it).
fn scroll_offset(
    wrapped: &[(usize, Line<'static>)],
    cursor: usize,
    visible: u16,
    within: usize,
) -> usize {
    let visible = visible.max(1) as usize;
    let start = wrapped.iter().position(|(i, _)| *i == cursor).unwrap_or(0);
    let end = wrapped
        .iter()
        .rposition(|(i, _)| *i == cursor)
        .map_or(0, |e| e + 1);
    if end - start.min(end) > visible {
        return start + within.min(end - start - visible);
    }
    end.saturating_sub(visible).min(start)
}

/// A list pane as drawn in `rect`: where its rows go, its rows wrapped, and which are in view.
struct ListView {
    inner: Rect,
    wrapped: Vec<(usize, Line<'static>)>,
    offset: usize,
}

fn list_view(app: &App, content: &StepContent, pane: Pane, rect: Rect) -> ListView {
    let rows = list_rows(app, content, Theme { color: false }, pane);
    let within = if app.focused_pane() == pane {
        app.item_scroll
    } else {
        0
    };
    if pane == Pane::Notes {
        // No border: the last row says what is cut when the notes do not fit.
        let wrapped = wrapped_rows(pane, &rows, rect.width);
        let height = if wrapped.len() > rect.height as usize {
            rect.height.saturating_sub(1)
        } else {
            rect.height
        };
        let inner = Rect::new(rect.x, rect.y, rect.width, height);
        let offset = scroll_offset(&wrapped, app.cursor(pane), height, within);
        return ListView {
            inner,
            wrapped,
            offset,
        };
    }
    let header = header_rows(pane);
    let inner = Rect::new(
        rect.x + 1,
        rect.y + 1 + header,
        rect.width.saturating_sub(2),
        rect.height.saturating_sub(2 + header),
    );
    let wrapped = wrapped_rows(pane, &rows, inner.width);
    let offset = scroll_offset(&wrapped, app.cursor(pane), inner.height, within);
    ListView {
        inner,
        wrapped,
        offset,
    }
}

/// Rows of the focused list's cursor item that its pane cannot show at once (0 when it fits):
/// ↓ scrolls through them before moving to the next item.
pub fn cursor_rows_hidden(app: &App, pane: Pane) -> usize {
    let area = Rect::new(0, 0, app.size.0, app.size.1);
    if too_small(area) || !pane.is_list() {
        return 0;
    }
    let content = app.content(app.step);
    let Some(rect) = layout(app, area)
        .sections
        .iter()
        .find(|(section, _)| *section == Section::Pane(pane))
        .map(|(_, rect)| *rect)
    else {
        return 0;
    };
    let view = list_view(app, &content, pane, rect);
    let cursor = app.cursor(pane);
    let rows = view.wrapped.iter().filter(|(i, _)| *i == cursor).count();
    rows.saturating_sub(view.inner.height.max(1) as usize)
}

/// Renders list rows inside `block`, wrapped, highlighting the cursor's item when focused.
#[allow(clippy::too_many_arguments)]
fn render_list_with_header(
    app: &App,
    theme: Theme,
    pane: Pane,
    block: Block,
    header: Option<Line>,
    rows: Vec<Line<'static>>,
    area: Rect,
    buf: &mut Buffer,
) {
    let mut inner = block.inner(area);
    let header_height = u16::from(header.is_some()).min(inner.height);
    inner = Rect::new(
        inner.x,
        inner.y + header_height,
        inner.width,
        inner.height - header_height,
    );
    let focused = app.overlay.is_none() && app.focused_pane() == pane;
    let cursor = app.cursor(pane);
    let wrapped = wrapped_rows(pane, &rows, inner.width);
    let within = if app.focused_pane() == pane {
        app.item_scroll
    } else {
        0
    };
    let offset = scroll_offset(&wrapped, cursor, inner.height, within);
    // Rows out of view are announced on the border, so a cut list never looks complete.
    let above = offset;
    let below = wrapped.len().saturating_sub(offset + inner.height as usize);
    let block = match (above, below) {
        (0, 0) => block,
        (0, n) => block.title_bottom(Line::from(format!(" ↓ {n} more ")).right_aligned()),
        (n, 0) => block.title_bottom(Line::from(format!(" ↑ {n} more ")).right_aligned()),
        (a, b) => block.title_bottom(Line::from(format!(" ↑ {a} · ↓ {b} more ")).right_aligned()),
    };
    block.render(area, buf);
    if let Some(header) = header
        && header_height > 0
    {
        Paragraph::new(header).render(Rect::new(inner.x, inner.y - 1, inner.width, 1), buf);
    }
    let mut previous = None;
    for (y, (item, line)) in (inner.y..inner.bottom()).zip(wrapped.into_iter().skip(offset)) {
        let row_area = Rect::new(inner.x, y, inner.width, 1);
        let selected = focused && item == cursor;
        let first_row = previous != Some(item);
        previous = Some(item);
        let marker = if selected && first_row { "›" } else { " " };
        let mut spans = vec![Span::raw(marker)];
        spans.extend(line.spans);
        let mut line = Line::from(spans);
        if selected {
            line = line.style(theme.selected());
        }
        Paragraph::new(line).render(row_area, buf);
    }
}

fn render_section(
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
        Section::Detail => render_detail(app, content, theme, area, buf),
        Section::StepStates => render_step_states(app, theme, area, buf),
        Section::Pane(Pane::Stages)
            if app.focused_pane() == Pane::Field(FieldId::ClientId) && !app.check.running =>
        {
            render_client_id_help(theme, area, buf)
        }
        Section::Pane(pane) => render_pane(app, content, theme, pane, area, buf),
        // Split into panes by `sections`; nothing is left to draw here.
        Section::Row(_) => {}
    }
}

/// Where the Client ID is asked for: what it is and how to get one, one line each.
fn render_client_id_help(theme: Theme, area: Rect, buf: &mut Buffer) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.dim())
        .title(" About the client ID (Ctrl-O opens the page) ");
    let inner = block.inner(area);
    block.render(area, buf);
    let lines: Vec<Line> = super::client_id::EXPLANATION
        .iter()
        .map(|l| Line::from(format!(" {l}")))
        .flat_map(|l| super::wrap::wrap_line(&l, inner.width as usize))
        .collect();
    Paragraph::new(lines).render(inner, buf);
}

/// The step's notes, borderless; cut, the last row says how much more there is and how to
/// reach it (Tab here, then ↑/↓).
fn render_notes(app: &App, content: &StepContent, theme: Theme, area: Rect, buf: &mut Buffer) {
    let view = list_view(app, content, Pane::Notes, area);
    let focused = app.overlay.is_none() && app.focused_pane() == Pane::Notes;
    let cursor = app.cursor(Pane::Notes);
    let shown = view.inner.height as usize;
    let above = view.offset;
    let below = view.wrapped.len().saturating_sub(view.offset + shown);
    let rows = list_rows(app, content, theme, Pane::Notes);
    let wrapped = wrapped_rows(Pane::Notes, &rows, area.width);
    let mut previous = None;
    for (y, (item, line)) in
        (view.inner.y..view.inner.bottom()).zip(wrapped.into_iter().skip(view.offset))
    {
        let selected = focused && item == cursor;
        let marker = if selected && previous != Some(item) {
            "›"
        } else {
            " "
        };
        previous = Some(item);
        let mut spans = vec![Span::raw(marker)];
        spans.extend(line.spans);
        let mut line = Line::from(spans);
        if selected {
            line = line.style(theme.selected());
        }
        Paragraph::new(line).render(Rect::new(area.x, y, area.width, 1), buf);
    }
    if above + below > 0 && area.height > 0 {
        let how = if focused {
            "↑/↓ scrolls"
        } else {
            "Tab here, ↓ reads on"
        };
        let text = match (above, below) {
            (0, b) => format!(
                " ▼ {b} more {}: {how} ",
                if b == 1 { "line" } else { "lines" }
            ),
            (a, 0) => format!(" ▲ {a} more above: {how} "),
            (a, b) => format!(" ▲ {a} · ▼ {b} more: {how} "),
        };
        Paragraph::new(Line::from(Span::styled(text, theme.tone(&Tone::Warn))).right_aligned())
            .render(Rect::new(area.x, area.bottom() - 1, area.width, 1), buf);
    }
}

fn render_pane(
    app: &App,
    content: &StepContent,
    theme: Theme,
    pane: Pane,
    area: Rect,
    buf: &mut Buffer,
) {
    let title = match pane {
        Pane::Profiles => vendor_title(app),
        Pane::Checklist if app.step == StepId::Summary => {
            "In the vendor's portal (Space ticks)".to_string()
        }
        Pane::Checklist => "In ConnectWise (Space ticks)".to_string(),
        Pane::Values if app.step == StepId::Summary => {
            "For the vendor's portal (c copies)".to_string()
        }
        Pane::Values => "Values to type (c copies)".to_string(),
        Pane::Portal => "For the vendor's portal (c copies)".to_string(),
        Pane::Region if app.step == StepId::Prerequisites => {
            "Where does ConnectWise run? (Space chooses)".to_string()
        }
        Pane::Region => "Where ConnectWise runs".to_string(),
        Pane::Plan => "API member (Space chooses)".to_string(),
        Pane::Stages if app.check.stale => {
            "Test: results are stale, a field changed (t runs it again)".to_string()
        }
        Pane::Stages if app.check.warned() => {
            format!("Test ⚠ {} (t runs it again)", app.check.passed_text())
        }
        Pane::Stages if app.check.passed() => "Test ✓ passed (t runs it again)".to_string(),
        Pane::Stages if app.check.failed() && !app.check.running => {
            "Test ✗ failed (t runs it again)".to_string()
        }
        Pane::Stages => "Test (t runs it)".to_string(),
        Pane::Audit => super::own_keys::title(app, app.step),
        Pane::RoleTable => return render_role_table(app, content, theme, area, buf),
        Pane::Notes => return render_notes(app, content, theme, area, buf),
        Pane::Field(id) => return render_field(app, theme, id, area, buf),
    };
    let block = pane_block(app, theme, pane, title);
    let rows = list_rows(app, content, theme, pane);
    if pane == Pane::Profiles && rows.is_empty() && !app.profiles.is_empty() {
        let inner = block.inner(area);
        block.render(area, buf);
        Paragraph::new(Span::styled(
            " No vendor, product or id contains that: Esc clears the filter",
            theme.dim(),
        ))
        .render(inner, buf);
        return;
    }
    render_list_with_header(app, theme, pane, block, None, rows, area, buf);
}

/// The vendor list's title: with a filter, what it holds (a caret while typing) and how many of
/// the profiles it matches.
fn vendor_title(app: &App) -> String {
    let filter = &app.vendor_filter;
    if !filter.editing && filter.text.is_empty() {
        return "Vendor integrations (Space selects)".to_string();
    }
    let caret = if app.filter_editing() { "▏" } else { "" };
    format!(
        "Vendor integrations · filter: {}{caret} · {} of {} match",
        crate::sanitize::display_text(&filter.text),
        app.visible_profiles().len(),
        app.profiles.len()
    )
}

/// The rows of a list pane, before wrapping: the one source for drawing, layout and clicks.
fn list_rows(app: &App, content: &StepContent, theme: Theme, pane: Pane) -> Vec<Line<'static>> {
    match pane {
        // Only the rows the vendor filter matches: the cursor and clicks index this list.
        Pane::Profiles => app
            .visible_profiles()
            .into_iter()
            .map(|i| (&app.profiles[i], app.selected[i]))
            .map(|(p, on)| {
                Line::from(vec![
                    Span::raw(if on { "[x] " } else { "[ ] " }),
                    Span::styled(
                        format!("{}  ", p.product),
                        Style::default().add_modifier(Modifier::BOLD),
                    ),
                    Span::styled(format!("{} ({})", p.vendor, p.id), theme.dim()),
                ])
            })
            .collect(),
        Pane::Checklist => content
            .checklist
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let ticked = app.is_ticked(app.step, item);
                let style = if ticked {
                    theme.tone(&Tone::Good)
                } else {
                    Style::default()
                };
                Line::from(vec![
                    Span::styled(if ticked { "[✓] " } else { "[ ] " }, style),
                    Span::raw(format!("{}. ", i + 1)),
                    Span::raw(item.clone()),
                ])
            })
            .collect(),
        Pane::Values => value_rows(app, theme, &content.values),
        Pane::Portal => value_rows(app, theme, &content.portal),
        Pane::Region => {
            let chosen = app.hosting();
            app.hosting_options()
                .into_iter()
                .map(|option| {
                    let label = if app.step == StepId::Prerequisites {
                        option.label()
                    } else {
                        option.short_label()
                    };
                    Line::from(vec![
                        Span::raw(if chosen == Some(option) {
                            "(•) "
                        } else {
                            "( ) "
                        }),
                        Span::raw(label),
                    ])
                })
                .collect()
        }
        Pane::Plan => {
            let several = app.selected_profiles().len() > 1;
            let chosen = app.plan();
            app.plan_options()
                .into_iter()
                .map(|plan| {
                    Line::from(vec![
                        Span::raw(if plan == chosen { "(•) " } else { "( ) " }),
                        Span::raw(plan.label(several)),
                    ])
                })
                .collect()
        }
        Pane::Stages => stage_rows(app, theme),
        Pane::RoleTable => role_rows(content, theme),
        Pane::Audit => audit_rows(app, theme),
        Pane::Notes => app
            .notes_of(app.step)
            .into_iter()
            .map(|note| {
                Line::from(vec![
                    Span::styled("! ", theme.tone(&Tone::Warn)),
                    Span::raw(note),
                ])
            })
            .collect(),
        Pane::Field(_) => Vec::new(),
    }
}

/// "Check my work as I go": the audit's lines for this step, a symbol and colour per status.
fn audit_rows(app: &App, theme: Theme) -> Vec<Line<'static>> {
    use crate::audit::AuditStatus;
    super::own_keys::lines(app, app.step)
        .into_iter()
        .map(|l| {
            let lead = match l.status {
                Some(status) => {
                    let tone = match status {
                        AuditStatus::Pass => Tone::Good,
                        AuditStatus::Manual => Tone::Info,
                        AuditStatus::Warn => Tone::Warn,
                        AuditStatus::Fail => Tone::Bad,
                    };
                    Span::styled(format!("{} ", status.symbol()), theme.tone(&tone))
                }
                None if l.indent => Span::raw("    "),
                None => Span::raw(""),
            };
            Line::from(vec![lead, Span::raw(l.text)])
        })
        .collect()
}

fn value_rows(app: &App, theme: Theme, values: &[CopyValue]) -> Vec<Line<'static>> {
    let width = values
        .iter()
        .map(|v| v.label.chars().count())
        .max()
        .unwrap_or(0);
    values
        .iter()
        .map(|v| {
            let shown = match &v.value {
                ValueSource::Text(text) if text.is_empty() => "(empty)".to_string(),
                ValueSource::Text(text) => text.clone(),
                ValueSource::Field(id) => app
                    .key_input(*id)
                    .map(|input| {
                        if input.secret().is_empty() {
                            "(not entered)".to_string()
                        } else {
                            input.masked().to_string()
                        }
                    })
                    .unwrap_or_default(),
            };
            Line::from(vec![
                Span::styled(format!("{:width$}  ", v.label), theme.dim()),
                Span::styled(shown, Style::default().add_modifier(Modifier::BOLD)),
            ])
        })
        .collect()
}

/// A level in its 6-wide column, centred like the column's heading.
fn level_cell(level: Level) -> String {
    let text = match level {
        Level::None => "—",
        Level::My => "My",
        Level::All => "All",
    };
    format!("{text:^6}")
}

fn render_role_table(app: &App, content: &StepContent, theme: Theme, area: Rect, buf: &mut Buffer) {
    let pane = Pane::RoleTable;
    let block = pane_block(app, theme, pane, "Permissions (grouped by module)".into());
    if content.role_rows.is_empty() {
        let inner = block.inner(area);
        block.render(area, buf);
        Paragraph::new("No rows yet: this vendor publishes its role requirements on its own page (see the notes). Press a to add each row as listed there, then s to save the role as a profile file.")
            .wrap(Wrap { trim: true })
            .render(inner, buf);
        return;
    }
    let header = Line::from(Span::styled(
        format!(
            " {:<12} {:<22}{:^6}{:^6}{:^6}{:^6}",
            "Module", "Function", "Add", "Edit", "Del", "Inq"
        ),
        theme.dim().add_modifier(Modifier::UNDERLINED),
    ));
    let rows = role_rows(content, theme);
    render_list_with_header(app, theme, pane, block, Some(header), rows, area, buf);
}

fn role_rows(content: &StepContent, theme: Theme) -> Vec<Line<'static>> {
    let mut rows = Vec::new();
    let mut last_module: Option<&str> = None;
    for row in &content.role_rows {
        let module = if last_module == Some(row.module.as_str()) {
            ""
        } else {
            row.module.as_str()
        };
        last_module = Some(row.module.as_str());
        rows.push(Line::from(vec![
            Span::styled(
                format!("{module:<12.12} "),
                Style::default().add_modifier(Modifier::BOLD),
            ),
            Span::raw(format!("{:<22.22}", row.function)),
            Span::raw(format!(
                "{}{}{}{}",
                level_cell(row.add),
                level_cell(row.edit),
                level_cell(row.delete),
                level_cell(row.inquire)
            )),
            Span::styled(if row.optional { " optional" } else { "" }, theme.dim()),
        ]));
    }
    rows
}

fn render_field(app: &App, theme: Theme, id: FieldId, area: Rect, buf: &mut Buffer) {
    let focused = app.overlay.is_none() && app.focused_pane() == Pane::Field(id);
    if let Some(input) = app.key_input(id) {
        input.render(area, buf, focused, &app.field_label(id));
        return;
    }
    let Some(field) = app.field(id) else { return };
    let mut block = pane_block(app, theme, Pane::Field(id), app.field_label(id));
    let guid_problem = (id == FieldId::ClientId)
        .then(|| super::client_id::problem(field.value()))
        .flatten();
    if let Some(note) = field.note().map(str::to_string).or(guid_problem) {
        block = block.title_bottom(Span::styled(format!(" {note} "), theme.tone(&Tone::Warn)));
    }
    let inner = block.inner(area);
    block.render(area, buf);
    let mut spans = vec![Span::raw(field.value().to_string())];
    if focused {
        spans.push(Span::styled(
            "▏",
            Style::default().add_modifier(Modifier::SLOW_BLINK),
        ));
    } else if field.value().is_empty() {
        spans.push(Span::styled(placeholder(id), theme.dim()));
    }
    Paragraph::new(Line::from(spans)).render(inner, buf);
}

fn placeholder(id: FieldId) -> &'static str {
    match id {
        FieldId::Site => "e.g. na.myconnectwise.net",
        FieldId::CompanyId => "as typed on the login screen",
        FieldId::ClientId => "a GUID: Tab here to see how to get one",
        FieldId::RoleName => "empty: the role name above",
        FieldId::PublicKey
        | FieldId::PrivateKey
        | FieldId::MyPublicKey
        | FieldId::MyPrivateKey
        | FieldId::ToolPublicKey(_)
        | FieldId::ToolPrivateKey(_) => "",
    }
}

fn stage_style(theme: Theme, status: Option<StageStatus>) -> Style {
    match status {
        Some(StageStatus::Pass) => theme.tone(&Tone::Good),
        Some(StageStatus::Warn) => theme.tone(&Tone::Warn),
        Some(StageStatus::Fail) => theme.tone(&Tone::Bad),
        Some(StageStatus::Skip) | None => theme.dim(),
    }
}

fn stage_rows(app: &App, theme: Theme) -> Vec<Line<'static>> {
    let mut rows = Vec::new();
    for id in StageId::ALL {
        let view = app.check.stage(id);
        let status = super::app::stage_status(view);
        let summary = match view {
            Some(StageView::Finished(r)) => r.summary.clone(),
            // Seconds since `t`, of the limit the whole test has (--timeout); a retry says so.
            Some(StageView::Running) => {
                let mut text = format!(
                    "running… {} s of {} s",
                    app.check.elapsed.as_secs(),
                    app.settings.timeout.as_secs()
                );
                if let Some(retry) = &app.check.retry {
                    text.push_str(" · ");
                    text.push_str(retry);
                }
                text
            }
            _ if app.check.report.is_none() && !app.check.running => "not run yet".into(),
            _ => String::new(),
        };
        rows.push(Line::from(vec![
            Span::styled(
                format!("{} ", stage_symbol(view, app.spinner)),
                stage_style(theme, status),
            ),
            Span::styled(
                format!("{:<12}", id.id()),
                Style::default().add_modifier(Modifier::BOLD),
            ),
            Span::raw(summary),
        ]));
    }
    for p in &app.check.permissions {
        let style = match p.status {
            crate::check::PermissionStatus::Pass => theme.tone(&Tone::Good),
            crate::check::PermissionStatus::Fail => theme.tone(&Tone::Bad),
            crate::check::PermissionStatus::Unverified => theme.tone(&Tone::Warn),
        };
        rows.push(Line::from(vec![
            Span::raw("   "),
            Span::styled(format!("{} ", p.status.symbol()), style),
            Span::raw(format!("{} / {}  ", p.module, p.function)),
            Span::styled(p.required.clone(), theme.dim()),
        ]));
    }
    rows
}

fn render_detail(app: &App, content: &StepContent, theme: Theme, area: Rect, buf: &mut Buffer) {
    let mut lines: Vec<Line> = match app.step {
        StepId::SecurityRole => {
            let mut lines = Vec::new();
            if let Some(row) = content.role_rows.get(app.cursor(Pane::RoleTable)) {
                lines.push(Line::from(vec![
                    Span::styled(
                        format!(" {} / {}: ", row.module, row.function),
                        Style::default().add_modifier(Modifier::BOLD),
                    ),
                    Span::raw(describe_levels(row.add, row.edit, row.delete, row.inquire)),
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
        StepId::Integration => integration_detail(app, theme),
        _ => Vec::new(),
    };
    lines = lines
        .iter()
        .flat_map(|l| super::wrap::wrap_line(l, area.width as usize))
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
fn verdict_lines(
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

fn integration_detail(app: &App, theme: Theme) -> Vec<Line<'static>> {
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

fn render_step_states(app: &App, theme: Theme, area: Rect, buf: &mut Buffer) {
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

/// The status line grows to a second row for a long message (a saved file's path), never more.
/// The message and the clipboard countdown share a row when both fit; otherwise the countdown
/// gets a row of its own, so the two never read as one sentence.
fn status_height(app: &App, width: u16) -> u16 {
    let countdown = countdown_text(app).map_or(0, |c| c.chars().count());
    let text = app
        .status
        .as_ref()
        .map_or(0, |s| s.text.chars().count() + 1);
    let width = (width as usize).max(1);
    if text + countdown <= width {
        1
    } else if countdown == 0 || text == 0 {
        text.max(countdown).div_ceil(width).clamp(1, 2) as u16
    } else {
        (text.div_ceil(width).min(2) + 1) as u16
    }
}

/// The clipboard countdown as the status line shows it, right-aligned.
fn countdown_text(app: &App) -> Option<String> {
    app.clipboard_countdown
        .as_ref()
        .map(|(label, secs)| format!(" clipboard ({label}) clears in {secs} s "))
}

fn render_status(app: &App, theme: Theme, area: Rect, buf: &mut Buffer) {
    // The countdown is right-aligned and drawn last, so a long status never hides it.
    let countdown = countdown_text(app);
    let countdown_width = countdown.as_ref().map_or(0, |c| c.chars().count() as u16);
    let shared = app
        .status
        .as_ref()
        .is_none_or(|s| s.text.chars().count() as u16 + 1 + countdown_width <= area.width);
    if let Some(status) = &app.status {
        let left = if shared {
            Rect {
                width: area.width.saturating_sub(countdown_width),
                ..area
            }
        } else {
            // The countdown has the last row to itself.
            Rect {
                height: area.height.saturating_sub(u16::from(countdown.is_some())),
                ..area
            }
        };
        Paragraph::new(Span::styled(
            format!(" {}", status.text),
            theme.tone(&status.tone),
        ))
        .wrap(Wrap { trim: false })
        .render(left, buf);
    }
    if let Some(countdown) = countdown {
        let row = Rect {
            y: area.bottom().saturating_sub(1),
            height: 1.min(area.height),
            ..area
        };
        Paragraph::new(Span::styled(
            countdown,
            theme.tone(&Tone::Warn).add_modifier(Modifier::BOLD),
        ))
        .alignment(ratatui::layout::Alignment::Right)
        .render(row, buf);
    }
}

fn render_footer(app: &App, theme: Theme, area: Rect, buf: &mut Buffer) {
    let entries = fit_footer(
        keymap::footer(app.context(), &app.situation()),
        area.width as usize,
    );
    let mut spans = Vec::new();
    for (keys, what) in entries {
        spans.push(Span::styled(format!(" {keys}"), theme.key()));
        spans.push(Span::raw(format!(" {what} ")));
    }
    Paragraph::new(Line::from(spans))
        .style(Style::default().add_modifier(Modifier::REVERSED))
        .render(area, buf);
}

/// The footer entries that fit in `width`, in table order; when some must go, the help entry
/// stays (it lists everything), so the footer never hides the way to the rest.
fn fit_footer(
    entries: Vec<(&'static str, &'static str)>,
    width: usize,
) -> Vec<(&'static str, &'static str)> {
    let cost = |(keys, what): &(&str, &str)| keys.chars().count() + what.chars().count() + 3;
    if entries.iter().map(cost).sum::<usize>() <= width {
        return entries;
    }
    // Moving focus backwards and within lists has other keys or is obvious: it goes first.
    const FIRST_TO_GO: &[&str] = &[
        "prev field",
        "up",
        "down",
        "field up",
        "field down",
        "go to step",
    ];
    let mut entries = entries;
    while entries.iter().map(cost).sum::<usize>() > width {
        match entries
            .iter()
            .rposition(|(_, what)| FIRST_TO_GO.contains(what))
        {
            Some(i) => {
                entries.remove(i);
            }
            None => break,
        }
    }
    let help = entries.iter().copied().find(|(_, what)| *what == "help");
    let mut room = width.saturating_sub(help.as_ref().map_or(0, cost));
    let mut out = Vec::new();
    for entry in entries {
        if Some(entry) == help {
            continue;
        }
        if cost(&entry) > room {
            break;
        }
        room -= cost(&entry);
        out.push(entry);
    }
    out.extend(help);
    out
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// The help's legend: every symbol the screens use, in words.
pub const SYMBOLS: &[(&str, &str)] = &[
    (
        "✓",
        "done: a step ticked through, a test stage or permission that passed",
    ),
    (
        "✗",
        "failed: the step's test or a stage; ↑/↓ onto it shows the fix",
    ),
    ("⚠ !", "a warning or a vendor's note worth reading"),
    ("·", "not done yet, or a stage still waiting"),
    ("▶", "the step you are on (sidebar)"),
    (
        "›",
        "the focused row (and, in the sidebar, the current step)",
    ),
    ("▸", "the focused box: keys act on it"),
    ("[x] [✓] (•)", "selected, ticked, chosen"),
    ("↑ n · ↓ n more", "the list is cut off: ↑/↓ scrolls it"),
];

fn help_lines(app: &App, theme: Theme) -> Vec<Line<'static>> {
    let situation = app.situation();
    let under = match app.focused_pane() {
        Pane::Field(_) => Context::Field,
        _ => Context::Browse,
    };
    let mut lines = vec![Line::from(Span::styled(
        "Keys marked ● work on the screen you came from.",
        theme.dim(),
    ))];
    lines.push(Line::from(Span::styled(
        "Symbols",
        Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
    )));
    for (symbol, meaning) in SYMBOLS {
        lines.push(Line::from(vec![
            Span::raw("   "),
            Span::styled(format!("{symbol:<12}"), theme.key()),
            Span::raw(*meaning),
        ]));
    }
    // The keys of the screen the help was opened from come first.
    let mut groups = vec![
        (Context::Browse, "Browsing a step"),
        (Context::Field, "Typing in a field"),
        (Context::Editor, "Editing a role row"),
        (Context::Detail, "Reading a test result"),
    ];
    groups.sort_by_key(|(context, _)| *context != under);
    for (context, title) in groups {
        lines.push(Line::from(Span::styled(
            title,
            Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        )));
        let mut seen = Vec::new();
        for b in BINDINGS.iter().filter(|b| b.contexts.contains(&context)) {
            if seen.contains(&(b.label, b.action)) {
                continue;
            }
            seen.push((b.label, b.action));
            let active =
                context == under && keymap::active(context, &situation).any(|a| std::ptr::eq(a, b));
            lines.push(Line::from(vec![
                Span::raw(if active { " ● " } else { "   " }),
                Span::styled(format!("{:<12}", b.label), theme.key()),
                Span::raw(b.help),
            ]));
        }
    }
    lines
}

/// The most the help can scroll on a screen of `app.size`: its last line just in view.
pub fn help_scroll_limit(app: &App) -> usize {
    let lines = help_lines(app, Theme { color: false }).len();
    let visible = (app.size.1 as usize).saturating_sub(3);
    lines.saturating_sub(visible)
}

fn render_help(app: &App, theme: Theme, area: Rect, buf: &mut Buffer) {
    let lines = help_lines(app, theme);
    // The footer row stays visible under the help: it shows how to scroll and close.
    let above_footer = Rect {
        height: area.height.saturating_sub(1),
        ..area
    };
    let popup = centered(
        above_footer,
        76,
        (lines.len() as u16 + 2).min(above_footer.height),
    );
    let visible = popup.height.saturating_sub(2) as usize;
    let scroll = app.help_scroll.min(lines.len().saturating_sub(visible));
    let below = lines.len().saturating_sub(scroll + visible);
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Double)
        .title(" Help: ?/Esc closes ");
    if scroll > 0 || below > 0 {
        block = block.title_bottom(
            Line::from(format!(" ↑ {scroll} · ↓ {below} more (↑/↓ scroll) ")).right_aligned(),
        );
    }
    Clear.render(popup, buf);
    Paragraph::new(lines.into_iter().skip(scroll).collect::<Vec<_>>())
        .block(block)
        .render(popup, buf);
}

fn render_confirm_quit(theme: Theme, area: Rect, buf: &mut Buffer) {
    let popup = centered(area, 56, 7);
    Clear.render(popup, buf);
    Paragraph::new(vec![
        Line::from("Quit cwsetup?"),
        Line::from("The keys you entered will be gone: keys are never saved. The rest is saved for next time."),
        Line::from(""),
        Line::from(vec![
            Span::styled("y/Enter", theme.key()),
            Span::raw(" quit   "),
            Span::styled("n/Esc", theme.key()),
            Span::raw(" stay"),
        ]),
    ])
    .wrap(Wrap { trim: true })
    .block(
        Block::default()
            .borders(Borders::ALL)
            .border_type(BorderType::Double)
            .title(" Quit "),
    )
    .render(popup, buf);
}

fn render_resume(
    app: &App,
    saved: &super::saved::SavedState,
    theme: Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    let popup = centered(area, 60, 8);
    Clear.render(popup, buf);
    let mut lines = vec![
        Line::from(format!("Resume {}?", saved.describe(app))),
        Line::from(Span::styled(
            "Ticks, region, site, company, client ID, profiles and role edits come back; the keys do not (they are never saved).",
            theme.dim(),
        )),
    ];
    if let Some(verdict) = &saved.last_verdict {
        lines.push(Line::from(format!("Last test: {verdict}")));
    }
    lines.push(Line::from(vec![
        Span::styled("Enter", theme.key()),
        Span::raw(" resumes, "),
        Span::styled("n", theme.key()),
        Span::raw(" starts fresh"),
    ]));
    Paragraph::new(lines)
        .wrap(Wrap { trim: true })
        .block(
            Block::default()
                .borders(Borders::ALL)
                .border_type(BorderType::Double)
                .title(" Resume "),
        )
        .render(popup, buf);
}

fn render_editor(editor: &RoleEditor, theme: Theme, area: Rect, buf: &mut Buffer) {
    let popup = centered(area, 64, 13);
    Clear.render(popup, buf);
    let mut lines = vec![Line::from(Span::styled(
        "As named in ConnectWise: System > Security Roles > (role).",
        theme.dim(),
    ))];
    for (i, field) in EditorField::ALL.iter().enumerate() {
        let focused = editor.focus == i;
        let value = match field {
            EditorField::Module => editor.module.value().to_string(),
            EditorField::Function => editor.function.value().to_string(),
            EditorField::Why => editor.why.value().to_string(),
            EditorField::Add => format!("‹ {} ›", editor.levels[0]),
            EditorField::Edit => format!("‹ {} ›", editor.levels[1]),
            EditorField::Delete => format!("‹ {} ›", editor.levels[2]),
            EditorField::Inquire => format!("‹ {} ›", editor.levels[3]),
        };
        let mut line = Line::from(vec![
            Span::raw(if focused { "› " } else { "  " }),
            Span::styled(
                format!("{:<10}", field.label()),
                Style::default().add_modifier(Modifier::BOLD),
            ),
            Span::raw(value),
            Span::raw(
                if focused
                    && matches!(
                        field,
                        EditorField::Module | EditorField::Function | EditorField::Why
                    )
                {
                    "▏"
                } else {
                    ""
                },
            ),
        ]);
        if focused {
            line = line.style(theme.selected());
        }
        lines.push(line);
    }
    if let Some(error) = &editor.error {
        lines.push(Line::from(Span::styled(
            error.clone(),
            theme.tone(&Tone::Bad),
        )));
    }
    let title = if editor.original.is_some() {
        " Edit permission row "
    } else {
        " Add permission row "
    };
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .block(
            Block::default()
                .borders(Borders::ALL)
                .border_type(BorderType::Double)
                .title(title),
        )
        .render(popup, buf);
}

//! Where everything goes: the one layout the renderer and the mouse hit-test share, so a click
//! lands where the eye sees it, and the list geometry (wrapping, scrolling) behind both.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};

use super::chrome::status_height;
use super::rows::{detail_lines, list_rows};
use super::{MIN_HEIGHT, MIN_WIDTH, NARROW, NARROW_SIDEBAR_WIDTH, SHORT, SIDEBAR_WIDTH, Theme};
use crate::setup::content::StepContent;
use crate::wizard::app::{App, Pane, StepId};
use crate::wizard::plan::{self, DetailKind, Height, Part, plan};

pub(super) fn sidebar_width(width: u16) -> u16 {
    if width < NARROW {
        NARROW_SIDEBAR_WIDTH
    } else {
        SIDEBAR_WIDTH
    }
}

/// What a click hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hit {
    Step(StepId),
    /// A pane, and the list row under the pointer if it is a list.
    Pane(Pane, Option<usize>),
}

/// What one rectangle of the main area shows: a step plan's part, resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Section {
    Title,
    Intro,
    Pane(Pane),
    /// The why of the focused role row, or the fix of the focused stage.
    Detail(DetailKind),
    StepStates,
}

pub(super) struct Frame {
    pub(super) header: Rect,
    pub(super) sidebar: Rect,
    pub(super) sections: Vec<(Section, Rect)>,
    pub(super) status: Rect,
    pub(super) footer: Rect,
}

pub(super) fn too_small(area: Rect) -> bool {
    area.width < MIN_WIDTH || area.height < MIN_HEIGHT
}

pub(super) fn layout(app: &App, area: Rect) -> Frame {
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
pub(super) fn list_height(
    app: &App,
    content: &StepContent,
    pane: Pane,
    width: u16,
    cap: u16,
) -> u16 {
    let rows = list_rows(app, content, Theme { color: false }, pane);
    let wrapped = wrapped_rows(pane, &rows, width.saturating_sub(2)).len();
    (wrapped.min(cap as usize) as u16).max(1) + 2
}

/// The intro wraps to two rows at most; a narrow terminal cuts the second.
pub(super) fn intro_height(intro: &str, area: Rect) -> u16 {
    let line = Line::from(format!(" {intro}"));
    let most = if area.height + 4 < SHORT { 1 } else { 2 };
    crate::wizard::wrap::height(&line, area.width as usize).clamp(1, most) as u16
}

/// The current step's plan laid out in the main area `area`, leaf by leaf.
pub(super) fn sections(app: &App, area: Rect) -> Vec<(Section, Rect)> {
    let content = app.content(app.step);
    let mut out = Vec::new();
    place_column(app, &content, &plan(app, app.step), area, area, &mut out);
    out
}

/// Stacks `sections` top to bottom in `rect`; heights are resolved against the main `area`.
fn place_column(
    app: &App,
    content: &StepContent,
    sections: &[plan::Section],
    rect: Rect,
    area: Rect,
    out: &mut Vec<(Section, Rect)>,
) {
    let mut constraints: Vec<Constraint> = sections
        .iter()
        .map(|s| constraint(app, content, s, area))
        .collect();
    share_results_and_detail(app, content, sections, rect, &mut constraints);
    let rects = Layout::vertical(constraints).split(rect);
    for (section, rect) in sections.iter().zip(rects.iter()) {
        place(app, content, &section.part, *rect, area, out);
    }
}

fn place(
    app: &App,
    content: &StepContent,
    part: &Part,
    rect: Rect,
    area: Rect,
    out: &mut Vec<(Section, Rect)>,
) {
    let leaf = match part {
        Part::Title => Section::Title,
        Part::Intro => Section::Intro,
        Part::Pane(pane) => Section::Pane(*pane),
        Part::Detail(kind) => Section::Detail(*kind),
        // Tabbing to the notes shows them, scrollable, where the detail was.
        Part::NotesOrDetail(_) if app.focused_pane() == Pane::Notes => Section::Pane(Pane::Notes),
        Part::NotesOrDetail(kind) => Section::Detail(*kind),
        Part::StepStates => Section::StepStates,
        Part::Row(parts) => {
            let rects = Layout::horizontal(parts.iter().map(|(width, _)| *width)).split(rect);
            for ((_, section), rect) in parts.iter().zip(rects.iter()) {
                place(app, content, &section.part, *rect, area, out);
            }
            return;
        }
        Part::Column(sections) => return place_column(app, content, sections, rect, area, out),
    };
    out.push((leaf, rect));
}

/// The test results and the detail below them share what the other sections leave: the detail
/// (a failed stage's whole fix) gets the rows it needs first, the results keep at least their
/// minimum and scroll with a marker; rows neither needs go to the detail, below the results'
/// box, so the box holds no empty rows.
fn share_results_and_detail(
    app: &App,
    content: &StepContent,
    sections: &[plan::Section],
    rect: Rect,
    constraints: &mut [Constraint],
) {
    let results = sections
        .iter()
        .position(|s| matches!(s.height, Height::Results { .. }));
    let detail = sections
        .iter()
        .position(|s| matches!(s.height, Height::Detail { .. }));
    let fixed: u16 = constraints
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != results && Some(*i) != detail)
        .map(|(_, c)| match c {
            Constraint::Length(n) | Constraint::Min(n) => *n,
            _ => 0,
        })
        .sum();
    let free = rect.height.saturating_sub(fixed);
    let need = match detail.map(|i| &sections[i]) {
        Some(plan::Section {
            part: Part::Detail(kind),
            height: Height::Detail { min },
        }) => {
            let lines = detail_lines(app, content, *kind, Theme { color: false }, rect.width);
            (lines.len() as u16).max(*min)
        }
        _ => 0,
    };
    if let Some(i) = results {
        let Height::Results { min } = sections[i].height else {
            return;
        };
        let want = results_height(app, content, &sections[i].part, rect.width);
        let rows = if want.saturating_add(need) <= free {
            want
        } else {
            free.saturating_sub(need).max(min).min(want)
        };
        constraints[i] = Constraint::Length(rows);
    }
    if let Some(i) = detail {
        constraints[i] = Constraint::Min(need.min(free));
    }
}

/// Rows the results need with their borders: the tallest of the lists side by side.
fn results_height(app: &App, content: &StepContent, part: &Part, width: u16) -> u16 {
    match part {
        Part::Pane(pane) => list_height(app, content, *pane, width, u16::MAX - 2),
        Part::Row(parts) => {
            let rects =
                Layout::horizontal(parts.iter().map(|(w, _)| *w)).split(Rect::new(0, 0, width, 1));
            parts
                .iter()
                .zip(rects.iter())
                .map(|((_, s), r)| results_height(app, content, &s.part, r.width))
                .max()
                .unwrap_or(3)
        }
        _ => 3,
    }
}

/// A section's height as a layout constraint in the main area `area`.
fn constraint(app: &App, content: &StepContent, section: &plan::Section, area: Rect) -> Constraint {
    let short = area.height + 4 < SHORT;
    match section.height {
        Height::Length(n) => Constraint::Length(n),
        Height::Min(n) => Constraint::Min(n),
        Height::Intro => Constraint::Length(intro_height(&content.intro, area)),
        Height::Short { short: s, tall } => Constraint::Length(if short { s } else { tall }),
        Height::List { cap, tall } => {
            let cap = match tall {
                Some((from, taller)) if area.height >= from => taller,
                _ => cap,
            };
            match section.part {
                Part::Pane(pane) => {
                    Constraint::Length(list_height(app, content, pane, area.width, cap))
                }
                _ => Constraint::Length(cap),
            }
        }
        // Resolved with the sections around them (`share_results_and_detail`).
        Height::Results { min } => Constraint::Min(min),
        Height::Detail { min } => Constraint::Min(min),
    }
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

/// Rows above the first list row inside a pane's border (the role table has a column header).
pub(super) fn header_rows(pane: Pane) -> u16 {
    u16::from(pane == Pane::RoleTable)
}

/// A list's rows wrapped to `width` (the marker column excluded): `(item index, display row)`.
/// Stage and permission rows stay one line each, as a grid: the detail below shows the focused
/// one in full.
pub(super) fn wrapped_rows(
    pane: Pane,
    rows: &[Line<'static>],
    width: u16,
) -> Vec<(usize, Line<'static>)> {
    if matches!(pane, Pane::Stages | Pane::RoleTable) {
        // Cut at the edge, a row ends with "…": Enter (or the detail below) reads it whole.
        let width = width.saturating_sub(1) as usize;
        return rows
            .iter()
            .map(|row| crate::wizard::wrap::fit(row, width))
            .enumerate()
            .collect();
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
            crate::wizard::wrap::wrap_line(line, width.saturating_sub(1) as usize)
                .into_iter()
                .map(move |row| (i, row))
        })
        .collect()
}

/// A label-and-value row in `width` columns: one row when it fits, else the label, then the
/// value indented by two on a row of its own, ending with "…" when it is wider than that row
/// (c copies it whole).
pub(super) fn value_row_lines(line: &Line<'static>, width: usize) -> Vec<Line<'static>> {
    use unicode_width::UnicodeWidthStr;
    let total: usize = line.spans.iter().map(|s| s.content.width()).sum();
    if total <= width || line.spans.len() < 2 {
        return crate::wizard::wrap::wrap_line(line, width);
    }
    let (value, label) = line.spans.split_last().expect("two spans or more");
    let label: Vec<Span<'static>> = label
        .iter()
        .map(|s| Span::styled(s.content.trim_end().to_string(), s.style))
        .collect();
    let mut out = crate::wizard::wrap::wrap_line(&Line::from(label), width);
    let value = Line::from(vec![Span::raw("  "), value.clone()]);
    out.push(crate::wizard::wrap::fit(&value, width));
    out
}

/// The first display row shown, so that every row of the cursor's item is in view; an item
/// taller than the pane shows from its row `within` (what ↓ has scrolled inside it).
pub(super) fn scroll_offset(
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

/// The item a list keeps in view: its cursor; the region list shown compact (one row, not
/// focused) keeps the chosen region in view instead.
pub(super) fn anchor(app: &App, pane: Pane) -> usize {
    if pane == Pane::Region && app.focused_pane() != Pane::Region {
        let chosen = app.hosting();
        if let Some(i) = app
            .hosting_options()
            .iter()
            .position(|h| Some(*h) == chosen)
        {
            return i;
        }
    }
    app.cursor(pane)
}

/// A list pane as drawn in `rect`: where its rows go, its rows wrapped, and which are in view.
pub(super) struct ListView {
    pub(super) inner: Rect,
    pub(super) wrapped: Vec<(usize, Line<'static>)>,
    pub(super) offset: usize,
}

pub(super) fn list_view(app: &App, content: &StepContent, pane: Pane, rect: Rect) -> ListView {
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
    let offset = scroll_offset(&wrapped, anchor(app, pane), inner.height, within);
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

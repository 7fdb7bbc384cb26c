//! Where everything goes: the one layout the renderer and the mouse hit-test share, so a click
//! lands where the eye sees it, and the list geometry (wrapping, scrolling) behind both.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};

use super::chrome::status_height;
use super::panes::list_rows;
use super::{MIN_HEIGHT, MIN_WIDTH, NARROW, NARROW_SIDEBAR_WIDTH, SHORT, SIDEBAR_WIDTH, Theme};
use crate::wizard::app::{App, FieldId, Pane, StepId};
use crate::wizard::content::StepContent;

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

/// Parts of the main area besides panes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Section {
    Title,
    Intro,
    Pane(Pane),
    /// The why of the focused role row, or the fix of the focused stage.
    Detail,
    StepStates,
    /// Panes side by side, in equal widths (the own-key fields, the role-name field).
    Row(&'static [Pane]),
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

pub(super) fn sections(app: &App, area: Rect) -> Vec<(Section, Rect)> {
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
                    crate::wizard::app::VENDOR_ROWS,
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
pub(super) const OWN_KEY_FIELDS: &[Pane] = &[
    Pane::Field(FieldId::MyPublicKey),
    Pane::Field(FieldId::MyPrivateKey),
];

pub(super) const OWN_SITE_FIELDS: &[Pane] = &[
    Pane::Field(FieldId::Site),
    Pane::Field(FieldId::CompanyId),
    Pane::Field(FieldId::ClientId),
];

pub(super) fn integration_sections(app: &App, area: Rect) -> Vec<(Section, Rect)> {
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
            crate::wizard::wrap::wrap_line(line, width.saturating_sub(1) as usize)
                .into_iter()
                .map(move |row| (i, row))
        })
        .collect()
}

/// A label-and-value row in `width` columns: one row when it fits, else the label, then the
/// value indented by two on rows of its own (cut only when it is wider than a whole row).
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
    out.extend(crate::wizard::wrap::wrap_line(&value, width));
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

//! Where everything goes: the one layout the renderer and the mouse hit-test share, so a click
//! lands where the eye sees it, and the list geometry (wrapping, scrolling) behind both.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;

use super::chrome::status_height;
use super::listview::{header_rows, list_height, list_view, rows_shown, wrapped_rows};
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
    /// Over the title's row, when the screen cannot hold every box: how many are above and
    /// below the ones shown.
    Hidden {
        above: u16,
        below: u16,
    },
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
    place_column(
        app,
        &content,
        &plan(app, app.step),
        area,
        area,
        true,
        &mut out,
    );
    out
}

/// How one section of a column may be sized. It never gets fewer than `min` rows (a pane keeps
/// one row of its content, an input box its content row); while rows are free it grows to
/// `base`, then to `want` (the plan's size), then to `full` (everything it holds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Sizing {
    min: u16,
    base: u16,
    want: u16,
    full: u16,
    /// Takes the rows nothing else wants (the notes, a detail).
    fill: bool,
    /// Served before the focused pane: the test's detail (a failed stage's fix).
    first: bool,
    /// A choice already made (where ConnectWise runs, the member plan, the vendors), or the
    /// intro's rows past its second: grows after what is to read and do, unless focused.
    choice: bool,
}

impl Sizing {
    fn fixed(rows: u16) -> Sizing {
        Sizing {
            min: rows,
            base: rows,
            want: rows,
            full: rows,
            fill: false,
            first: false,
            choice: false,
        }
    }

    /// Each size at least the one before it.
    fn ordered(mut self) -> Sizing {
        self.base = self.base.max(self.min);
        self.want = self.want.max(self.base);
        self.full = self.full.max(self.want);
        self
    }
}

/// Stacks `sections` top to bottom in `rect`; heights are resolved against the main `area`.
/// When even their smallest sizes do not fit (`top`: the step's own column), the sections
/// around the focused one are shown, and the title row says how many boxes are above and below.
fn place_column(
    app: &App,
    content: &StepContent,
    sections: &[plan::Section],
    rect: Rect,
    area: Rect,
    top: bool,
    out: &mut Vec<(Section, Rect)>,
) {
    let sizings: Vec<Sizing> = sections
        .iter()
        .map(|s| sizing(app, content, s, rect.width, area))
        .collect();
    let focus = sections
        .iter()
        .position(|s| holds(&s.part, app.focused_pane()));
    let shown = if top {
        window(&sizings, focus, rect.height)
    } else {
        (0..sections.len()).collect()
    };
    let kept: Vec<Sizing> = shown.iter().map(|i| sizings[*i]).collect();
    let kept_focus = focus.and_then(|f| shown.iter().position(|i| *i == f));
    let heights = allocate(&kept, kept_focus, rect.height);
    let mut y = rect.y;
    for (i, height) in shown.iter().zip(heights) {
        let height = height.min(rect.bottom().saturating_sub(y));
        let at = Rect::new(rect.x, y, rect.width, height);
        y += height;
        place(app, content, &sections[*i].part, at, area, out);
    }
    if top && shown.len() < sections.len() {
        let count = |range: &[plan::Section]| range.iter().map(|s| boxes(&s.part)).sum::<usize>();
        let first = shown.get(1).copied().unwrap_or(1);
        let last = shown.last().copied().unwrap_or(0);
        let above = count(&sections[1.min(first)..first]);
        let below = count(&sections[(last + 1).min(sections.len())..]);
        if above + below > 0 {
            out.push((
                Section::Hidden {
                    above: above as u16,
                    below: below as u16,
                },
                Rect::new(rect.x, rect.y, rect.width, 1.min(rect.height)),
            ));
        }
    }
}

/// Whether `part` holds the pane `pane`.
fn holds(part: &Part, pane: Pane) -> bool {
    match part {
        Part::Pane(p) => *p == pane,
        Part::NotesOrDetail(_) => pane == Pane::Notes,
        Part::Row(parts) => parts.iter().any(|(_, s)| holds(&s.part, pane)),
        Part::Column(sections) => sections.iter().any(|s| holds(&s.part, pane)),
        Part::Title | Part::Intro | Part::Detail(_) | Part::StepStates => false,
    }
}

/// The boxes in `part` that Tab reaches.
fn boxes(part: &Part) -> usize {
    match part {
        Part::Pane(_) | Part::NotesOrDetail(_) => 1,
        Part::Row(parts) => parts.iter().map(|(_, s)| boxes(&s.part)).sum(),
        Part::Column(sections) => sections.iter().map(|s| boxes(&s.part)).sum(),
        Part::Title | Part::Intro | Part::Detail(_) | Part::StepStates => 0,
    }
}

/// The sections shown when not all fit at their smallest: all of them when they do; else the
/// first (the step's title, which then says what is hidden) and, around the focused section,
/// as many as fit: those below it first, then those above.
fn window(sizings: &[Sizing], focus: Option<usize>, height: u16) -> Vec<usize> {
    let total: u32 = sizings.iter().map(|s| u32::from(s.min)).sum();
    if total <= u32::from(height) || sizings.len() < 2 {
        return (0..sizings.len()).collect();
    }
    let room = height.saturating_sub(sizings[0].min);
    let focus = focus.unwrap_or(1).max(1);
    let mut used = sizings[focus].min;
    let (mut start, mut end) = (focus, focus + 1);
    while end < sizings.len() && used + sizings[end].min <= room {
        used += sizings[end].min;
        end += 1;
    }
    while start > 1 && used + sizings[start - 1].min <= room {
        used += sizings[start - 1].min;
        start -= 1;
    }
    std::iter::once(0).chain(start..end).collect()
}

/// The rows of each section in `height`: each its smallest size, then, while rows are free,
/// each in turn grows to its base, its wanted and its full size (the test's detail first, then
/// the focused section, then the rest from the top, choices already made last); rows left over go to the last section
/// that fills, else stay blank at the bottom.
fn allocate(sizings: &[Sizing], focus: Option<usize>, height: u16) -> Vec<u16> {
    let mut rows: Vec<u16> = sizings.iter().map(|s| s.min).collect();
    let used: u32 = rows.iter().map(|r| u32::from(*r)).sum();
    let mut free = u32::from(height).saturating_sub(used) as u16;
    let mut order: Vec<usize> = (0..sizings.len()).filter(|i| sizings[*i].first).collect();
    if let Some(f) = focus.filter(|f| !order.contains(f)) {
        order.push(f);
    }
    for choice in [false, true] {
        order.extend(
            (0..sizings.len()).filter(|i| {
                !sizings[*i].first && Some(*i) != focus && sizings[*i].choice == choice
            }),
        );
    }
    let levels: [fn(&Sizing) -> u16; 3] = [|s| s.base, |s| s.want, |s| s.full];
    for (pass, level) in levels.iter().enumerate() {
        for i in &order {
            // A choice made stays compact until every other section has what it wants.
            if pass == 1 && sizings[*i].choice && Some(*i) != focus {
                continue;
            }
            let add = level(&sizings[*i]).saturating_sub(rows[*i]).min(free);
            rows[*i] += add;
            free -= add;
        }
    }
    if let Some(i) = sizings.iter().rposition(|s| s.fill) {
        rows[i] += free;
    }
    rows
}

/// How `section` may be sized in a column `width` wide, in the main `area`.
fn sizing(
    app: &App,
    content: &StepContent,
    section: &plan::Section,
    width: u16,
    area: Rect,
) -> Sizing {
    let notes_focused = app.focused_pane() == Pane::Notes;
    let sizing = match (&section.part, section.height) {
        // Two rows at most while others want rows, then whole when rows are left.
        (_, Height::Intro) => Sizing {
            min: 1,
            full: crate::wizard::wrap::height(
                &Line::from(format!(" {}", content.intro)),
                width as usize,
            )
            .min(usize::from(u16::MAX)) as u16,
            choice: true,
            ..Sizing::fixed(intro_height(&content.intro, area))
        },
        (Part::Pane(Pane::Notes), Height::Min(n) | Height::Length(n)) => {
            notes_sizing(app, content, n, width)
        }
        (Part::NotesOrDetail(_), Height::Min(n) | Height::Length(n)) if notes_focused => {
            notes_sizing(app, content, n, width)
        }
        (Part::NotesOrDetail(_), Height::Length(n)) => Sizing::fixed(n),
        (
            Part::NotesOrDetail(kind) | Part::Detail(kind),
            Height::Min(n) | Height::Detail { min: n },
        ) => {
            let need = detail_lines(app, content, *kind, Theme { color: false }, width).len();
            let need = need.min(usize::from(u16::MAX)) as u16;
            Sizing {
                min: 1,
                base: n.min(need.max(1)),
                want: need,
                full: need,
                fill: true,
                first: matches!(section.part, Part::Detail(_)),
                choice: false,
            }
        }
        (part, Height::Results { min }) => {
            let want = results_height(app, content, part, width);
            Sizing {
                min: 3.min(want),
                base: min.min(want),
                want,
                full: want,
                fill: false,
                first: false,
                choice: false,
            }
        }
        (Part::Pane(pane), Height::List { cap, tall }) => {
            let cap = match tall {
                Some((from, taller)) if area.height >= from => taller,
                _ => cap,
            };
            list_sizing(app, content, *pane, width, Some(cap))
        }
        (Part::Pane(Pane::RoleTable), Height::Length(n)) if !content.role_rows.is_empty() => {
            Sizing {
                want: n,
                ..list_sizing(app, content, Pane::RoleTable, width, None)
            }
        }
        (Part::Pane(pane), Height::Min(n)) if pane.is_list() => Sizing {
            base: n,
            fill: true,
            ..list_sizing(app, content, *pane, width, None)
        },
        (_, Height::Length(n) | Height::List { cap: n, .. }) => Sizing::fixed(n),
        (_, Height::Short { short, tall }) => {
            Sizing::fixed(if area.height + 4 < SHORT { short } else { tall })
        }
        (_, Height::Min(n) | Height::Detail { min: n }) => Sizing {
            fill: true,
            ..Sizing::fixed(n)
        },
    };
    sizing.ordered()
}

/// A bordered list: one row of it at least, its rows up to `cap` when rows are free, then all
/// of them (the vendor list keeps to its cap: `/` filters it).
fn list_sizing(
    app: &App,
    content: &StepContent,
    pane: Pane,
    width: u16,
    cap: Option<u16>,
) -> Sizing {
    let header = header_rows(pane);
    let full = list_height(app, content, pane, width, u16::MAX - 4) + header;
    let want = cap.map_or(full, |cap| {
        list_height(
            app,
            content,
            pane,
            width,
            whole_items(app, content, pane, width, cap),
        ) + header
    });
    let least = (3 + header).min(full);
    Sizing {
        min: least,
        base: least,
        want,
        full: if pane == Pane::Profiles { want } else { full },
        fill: false,
        first: false,
        choice: matches!(pane, Pane::Profiles | Pane::Region | Pane::Plan),
    }
}

/// `cap` rows of a list, fewer when its last item would be cut there: a value to copy and its
/// label are shown together or not at all, so the rows up to the last whole item (at least
/// the first item's).
fn whole_items(app: &App, content: &StepContent, pane: Pane, width: u16, cap: u16) -> u16 {
    if !matches!(pane, Pane::Values | Pane::Portal) {
        return cap;
    }
    let rows = list_rows(app, content, Theme { color: false }, pane);
    let wrapped = wrapped_rows(pane, &rows, width.saturating_sub(2));
    let cap = usize::from(cap);
    match wrapped.get(cap) {
        Some((item, _)) if cap > 0 && wrapped[cap - 1].0 == *item => {
            let start = wrapped.iter().position(|(i, _)| i == item).unwrap_or(cap);
            if start == 0 { cap as u16 } else { start as u16 }
        }
        _ => cap as u16,
    }
}

/// The notes (borderless): one row at least (two when focused: a row and its marker), `n` when
/// rows are free, then all of them; they take the rows left over.
fn notes_sizing(app: &App, content: &StepContent, n: u16, width: u16) -> Sizing {
    let rows = list_rows(app, content, Theme { color: false }, Pane::Notes);
    let full = wrapped_rows(Pane::Notes, &rows, width).len();
    let full = full.min(usize::from(u16::MAX)) as u16;
    let least = if app.focused_pane() == Pane::Notes {
        2
    } else {
        1
    };
    Sizing {
        min: least.min(full),
        base: n.min(full),
        want: full,
        full,
        fill: true,
        first: false,
        choice: false,
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
        Part::Column(sections) => {
            return place_column(app, content, sections, rect, area, false, out);
        }
    };
    out.push((leaf, rect));
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
                let shown = rows_shown(*pane, &view.wrapped, view.offset, view.inner.height);
                row.checked_sub(view.inner.y)
                    .filter(|r| usize::from(*r) < shown)
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

/// Where each box of the current step is drawn on a screen of `app.size`, in screen order (none
/// on a screen too small): the boxes out of view are not listed. What tests measure the layout by.
pub fn pane_rects(app: &App) -> Vec<(Pane, Rect)> {
    let area = Rect::new(0, 0, app.size.0, app.size.1);
    if too_small(area) {
        return Vec::new();
    }
    let mut panes: Vec<(Pane, Rect)> = layout(app, area)
        .sections
        .into_iter()
        .filter_map(|(section, rect)| match section {
            Section::Pane(pane) => Some((pane, rect)),
            Section::Title
            | Section::Intro
            | Section::Detail(_)
            | Section::StepStates
            | Section::Hidden { .. } => None,
        })
        .collect();
    panes.sort_by_key(|(_, r)| (r.y, r.x));
    panes
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

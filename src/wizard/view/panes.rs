//! The focusable panes: lists (vendors, checklist, values, regions, plans, test results, notes),
//! the role table and the text fields.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Paragraph, Widget, Wrap};

use super::Theme;
use super::listview::{anchor, list_view, rows_shown, scroll_offset, wrapped_rows};
use super::rows::{list_rows, role_rows};
use crate::setup::content::StepContent;
use crate::wizard::app::{App, FieldId, Pane, StepId, Tone};
use crate::wizard::wrap::fit;

pub(super) fn pane_block(
    app: &App,
    theme: Theme,
    pane: Pane,
    title: String,
    area: Rect,
) -> Block<'static> {
    pane_block_beside(app, theme, pane, title, 0, area)
}

/// A pane's block whose title leaves `beside` columns free at the right of its top border (a
/// counter drawn there).
pub(super) fn pane_block_beside(
    app: &App,
    theme: Theme,
    pane: Pane,
    title: String,
    beside: usize,
    area: Rect,
) -> Block<'static> {
    let focused = app.overlay.is_none() && app.focused_pane() == pane;
    let block = Block::default().borders(Borders::ALL);
    // The title sits between the two top corners: cut with "…" when it is wider.
    let room = (area.width.saturating_sub(2) as usize).saturating_sub(beside);
    if focused {
        block
            .border_type(BorderType::Thick)
            .border_style(theme.fg(Color::Cyan))
            .title(fit(
                &Line::from(Span::styled(
                    format!("▸ {title} "),
                    Style::default().add_modifier(Modifier::BOLD),
                )),
                room,
            ))
    } else {
        block
            .border_style(theme.dim())
            .title(fit(&Line::from(format!(" {title} ")), room))
    }
}

/// Renders list rows inside `block`, wrapped, highlighting the cursor's item when focused.
#[allow(clippy::too_many_arguments)]
pub(super) fn render_list_with_header(
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
    let offset = scroll_offset(&wrapped, anchor(app, pane), inner.height, within);
    // Rows out of view are announced on the border, so a cut list never looks complete.
    let shown = rows_shown(pane, &wrapped, offset, inner.height);
    let above = offset;
    let below = wrapped.len().saturating_sub(offset + shown);
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
    for (y, (item, line)) in
        (inner.y..inner.bottom()).zip(wrapped.into_iter().skip(offset).take(shown))
    {
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

/// Where the Client ID is asked for: what it is and how to get one, one line each.
pub(super) fn render_client_id_help(theme: Theme, area: Rect, buf: &mut Buffer) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.dim())
        .title(" About the client ID (Ctrl-O opens the page) ");
    let inner = block.inner(area);
    block.render(area, buf);
    let lines: Vec<Line> = crate::setup::client_id::EXPLANATION
        .iter()
        .map(|l| Line::from(format!(" {l}")))
        .flat_map(|l| crate::wizard::wrap::wrap_line(&l, inner.width as usize))
        .collect();
    Paragraph::new(lines).render(inner, buf);
}

/// The step's notes, borderless; cut, the last row says how much more there is and how to
/// reach it (Tab here, then ↑/↓).
pub(super) fn render_notes(
    app: &App,
    content: &StepContent,
    theme: Theme,
    area: Rect,
    buf: &mut Buffer,
) {
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

pub(super) fn render_pane(
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
        Pane::Audit => crate::setup::own_keys::title(app, app.step),
        Pane::RoleTable => return render_role_table(app, content, theme, area, buf),
        Pane::Notes => return render_notes(app, content, theme, area, buf),
        Pane::Field(id) => return render_field(app, theme, id, area, buf),
    };
    let block = pane_block(app, theme, pane, title, area);
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
pub(super) fn vendor_title(app: &App) -> String {
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

pub(super) fn render_role_table(
    app: &App,
    content: &StepContent,
    theme: Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    let pane = Pane::RoleTable;
    let title = if content.role_headings.is_empty() {
        "Permissions (grouped by module)"
    } else {
        "Permissions: one table per role (grouped by module)"
    };
    let block = pane_block(app, theme, pane, title.into(), area);
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

pub(super) fn render_field(app: &App, theme: Theme, id: FieldId, area: Rect, buf: &mut Buffer) {
    let focused = app.overlay.is_none() && app.focused_pane() == Pane::Field(id);
    if let Some(input) = app.key_input(id) {
        super::masked::render_masked(input, area, buf, focused, &app.field_label(id));
        return;
    }
    let Some(field) = app.field(id) else { return };
    let limit = id.limit();
    let counter = limit
        .filter(|_| !field.value().is_empty())
        .map(|l| format!(" {} ", l.counter(field.value())));
    let beside = counter.as_ref().map_or(0, |c| c.chars().count() + 1);
    let mut block = pane_block_beside(
        app,
        theme,
        Pane::Field(id),
        app.field_label(id),
        beside,
        area,
    );
    let guid_problem = (id == FieldId::ClientId)
        .then(|| crate::setup::client_id::problem(field.value()))
        .flatten();
    // A name that goes into ConnectWise shows its count against ConnectWise's limit, and says
    // so before the technician types one ConnectWise would refuse.
    let over = limit.and_then(|l| {
        let count = l.count(field.value());
        (count > l.max).then(|| {
            format!(
                "{} too many: ConnectWise accepts at most {}",
                count - l.max,
                l.max
            )
        })
    });
    // Empty means "the name the step shows", which fits: no count until something is typed.
    if let Some(counter) = counter {
        let tone = if over.is_some() {
            Tone::Warn
        } else {
            Tone::Info
        };
        block =
            block.title_top(Line::from(Span::styled(counter, theme.tone(&tone))).right_aligned());
    }
    let room = area.width.saturating_sub(2) as usize;
    if let Some(note) = over.or(field.note().map(str::to_string)).or(guid_problem) {
        block = block.title_bottom(fit(
            &Line::from(Span::styled(format!(" {note} "), theme.tone(&Tone::Warn))),
            room,
        ));
    }
    let inner = block.inner(area);
    block.render(area, buf);
    let width = inner.width as usize;
    let mut spans = vec![Span::raw(crate::wizard::wrap::boxed(
        field.value(),
        width,
        focused,
    ))];
    if focused {
        spans.push(Span::styled(
            "▏",
            Style::default().add_modifier(Modifier::SLOW_BLINK),
        ));
    } else if field.value().is_empty() {
        spans.push(Span::styled(
            crate::wizard::wrap::boxed(app.placeholder(id), width, false),
            theme.dim(),
        ));
    }
    Paragraph::new(Line::from(spans)).render(inner, buf);
}

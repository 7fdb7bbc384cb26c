//! A list pane's geometry: its rows wrapped to its width, which are in view, and how many
//! rows it needs. What the layout sizes lists by, the panes draw, and clicks land on.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::Theme;
use super::rows::list_rows;
use crate::setup::content::StepContent;
use crate::wizard::app::{App, Pane};

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
    // The top row is an item's first row, never the tail of one cut above it ("host; choose it
    // if you sign in there"): the rows of that item go, and more below come into view.
    let mut offset = end.saturating_sub(visible).min(start);
    while offset > 0 && offset < start && wrapped[offset].0 == wrapped[offset - 1].0 {
        offset += 1;
    }
    offset
}

/// How many of a list's rows from `offset` are drawn in `height` rows: all that fit, except
/// that a value to copy (its label, then its value on a row of its own) is not drawn as a label
/// without its value: that row stays blank and counts as more below.
pub(super) fn rows_shown(
    pane: Pane,
    wrapped: &[(usize, Line<'static>)],
    offset: usize,
    height: u16,
) -> usize {
    let fit = (height as usize).min(wrapped.len().saturating_sub(offset));
    if !matches!(pane, Pane::Values | Pane::Portal) || fit == 0 {
        return fit;
    }
    let end = offset + fit;
    let last = wrapped[end - 1].0;
    let continues = wrapped.get(end).is_some_and(|(item, _)| *item == last);
    let starts_in_view = wrapped[offset..end]
        .iter()
        .position(|(item, _)| *item == last);
    match starts_in_view {
        Some(first) if continues && first > 0 => first,
        _ => fit,
    }
}

/// The item a list keeps in view: its cursor; the region and plan lists, not focused (shown
/// compact when rows are short), keep the choice made in view instead.
pub(super) fn anchor(app: &App, pane: Pane) -> usize {
    if pane == Pane::Plan && app.focused_pane() != Pane::Plan {
        let chosen = app.plan();
        if let Some(i) = app.plan_options().iter().position(|p| *p == chosen) {
            return i;
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(items: &[usize]) -> Vec<(usize, Line<'static>)> {
        items
            .iter()
            .map(|i| (*i, Line::from(format!("{i}"))))
            .collect()
    }

    #[test]
    fn a_scrolled_list_starts_at_an_items_first_row() {
        // Item 1 takes two rows; with item 3 the cursor in 3 rows, the top is item 2, not the
        // second row of item 1.
        let wrapped = rows(&[0, 1, 1, 2, 3]);
        assert_eq!(scroll_offset(&wrapped, 3, 3, 0), 3);
        // It fits from item 0's first row: nothing changes.
        assert_eq!(scroll_offset(&wrapped, 1, 3, 0), 0);
        // The cursor's own item taller than the pane still scrolls inside it.
        let tall = rows(&[0, 1, 1, 1, 1]);
        assert_eq!(scroll_offset(&tall, 1, 2, 1), 2);
    }
}

//! Word-wrapping of list rows. Checklist items are whole sentences of instructions: cutting them
//! at the pane's edge would hide the part the technician needs, so rows wrap instead, with the
//! continuation lines hanging under the row's text (its last span), not under its checkbox.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

/// The display rows of `line` in `width` columns. Continuation rows are indented by the width of
/// every span but the last (capped at half the width, so a long label cannot starve the text).
pub fn wrap_line(line: &Line<'static>, width: usize) -> Vec<Line<'static>> {
    let width = width.max(1);
    let total: usize = line.spans.iter().map(|s| s.content.width()).sum();
    if total <= width {
        return vec![line.clone()];
    }
    let indent = line
        .spans
        .iter()
        .take(line.spans.len().saturating_sub(1))
        .map(|s| s.content.width())
        .sum::<usize>()
        .min(width / 2);
    wrap_hanging(line, width, indent)
}

/// The display rows of `line` in `width` columns, continuation rows indented by `indent`
/// (capped at half the width): for a paragraph whose label should not narrow its text.
pub fn wrap_hanging(line: &Line<'static>, width: usize, indent: usize) -> Vec<Line<'static>> {
    let width = width.max(1);
    let total: usize = line.spans.iter().map(|s| s.content.width()).sum();
    if total <= width {
        return vec![line.clone()];
    }
    let indent = indent.min(width / 2);
    let mut rows: Vec<Vec<Span<'static>>> = vec![Vec::new()];
    let mut used = 0;
    for span in &line.spans {
        for word in split_keeping_spaces(&span.content) {
            push_word(&mut rows, &mut used, word, span.style, width, indent);
        }
    }
    rows.into_iter()
        .map(|spans| Line::from(spans).style(line.style))
        .collect()
}

/// `line` in one row of `width` columns: whole when it fits, else cut with "…" as its last
/// column, so a cut row never looks complete. Trailing spaces are not worth a marker.
pub fn fit(line: &Line<'static>, width: usize) -> Line<'static> {
    let total: usize = line.spans.iter().map(|s| s.content.width()).sum();
    if total <= width {
        return line.clone();
    }
    let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
    let marked = text.trim_end().width() > width;
    let room = if marked {
        width.saturating_sub(1)
    } else {
        width
    };
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    'spans: for span in &line.spans {
        let mut piece = String::new();
        for c in span.content.chars() {
            let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            if used + w > room {
                spans.push(Span::styled(piece, span.style));
                break 'spans;
            }
            used += w;
            piece.push(c);
        }
        spans.push(Span::styled(piece, span.style));
    }
    if marked && width > 0 {
        // The marker follows the last word kept, not a run of spaces.
        while spans.len() > 1 && spans.last().is_some_and(|s| s.content.trim().is_empty()) {
            spans.pop();
        }
        if let Some(last) = spans.last_mut() {
            last.content = last.content.trim_end().to_string().into();
        }
        let style = spans.last().map(|s| s.style).unwrap_or_default();
        spans.push(Span::styled("…", style));
    }
    Line::from(spans).style(line.style)
}

/// What a one-row box shows of `value` in `width` columns, never cut without "…": the whole
/// value when it fits; while typing (`caret`), its end, after "…", so the caret stays in view;
/// else its start, then "…".
pub fn boxed(value: &str, width: usize, caret: bool) -> std::borrow::Cow<'_, str> {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    let room = width.saturating_sub(usize::from(caret));
    if value.width() <= room {
        return value.into();
    }
    let keep = room.saturating_sub(1);
    if caret {
        let mut used = 0;
        let mut tail: Vec<char> = Vec::new();
        for c in value.chars().rev() {
            let w = c.width().unwrap_or(0);
            if used + w > keep {
                break;
            }
            used += w;
            tail.push(c);
        }
        let tail: String = tail.into_iter().rev().collect();
        return format!("…{tail}").into();
    }
    let cut = fit(&Line::from(value.to_string()), room);
    cut.spans
        .iter()
        .map(|s| s.content.as_ref())
        .collect::<String>()
        .into()
}

/// How many display rows `line` takes in `width` columns.
pub fn height(line: &Line<'static>, width: usize) -> usize {
    wrap_line(line, width).len()
}

/// Splits text into words, each with the spaces that follow it, so spacing is kept.
fn split_keeping_spaces(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_space = false;
    for (i, c) in text.char_indices() {
        if c == ' ' {
            in_space = true;
        } else if in_space {
            out.push(&text[start..i]);
            start = i;
            in_space = false;
        }
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

fn push_word(
    rows: &mut Vec<Vec<Span<'static>>>,
    used: &mut usize,
    word: &str,
    style: Style,
    width: usize,
    indent: usize,
) {
    let word_width = word.trim_end().width();
    if *used > indent && *used + word_width > width {
        rows.push(vec![Span::raw(" ".repeat(indent))]);
        *used = indent;
        let word = word.trim_start();
        return push_word(rows, used, word, style, width, indent);
    }
    // A word longer than a whole row (a URL) is cut into row-sized pieces.
    let mut rest = word;
    while *used + rest.trim_end().width() > width && width > indent {
        let room = width - *used;
        let cut = cut_at_width(rest, room.max(1));
        current(rows).push(Span::styled(rest[..cut].to_string(), style));
        rest = &rest[cut..];
        rows.push(vec![Span::raw(" ".repeat(indent))]);
        *used = indent;
        if rest.is_empty() {
            return;
        }
    }
    current(rows).push(Span::styled(rest.to_string(), style));
    *used += rest.width();
}

fn current<'a>(rows: &'a mut [Vec<Span<'static>>]) -> &'a mut Vec<Span<'static>> {
    let last = rows.len() - 1;
    &mut rows[last]
}

/// The byte index of the longest prefix of `text` that fits in `room` columns (at least one char).
fn cut_at_width(text: &str, room: usize) -> usize {
    let mut used = 0;
    for (i, c) in text.char_indices() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > room && i > 0 {
            return i;
        }
        used += w;
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(lines: &[Line]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    #[test]
    fn a_short_row_is_one_row() {
        let line = Line::from(vec![Span::raw("[ ] "), Span::raw("1. Save.")]);
        assert_eq!(text(&wrap_line(&line, 40)), vec!["[ ] 1. Save."]);
    }

    #[test]
    fn continuation_rows_hang_under_the_text_not_the_checkbox() {
        let line = Line::from(vec![
            Span::raw("[ ] "),
            Span::raw("1. Open System > Members and click the API Members tab."),
        ]);
        let rows = text(&wrap_line(&line, 30));
        assert_eq!(
            rows,
            vec![
                "[ ] 1. Open System > Members ",
                "    and click the API Members ",
                "    tab.",
            ]
        );
        assert!(rows.iter().all(|r| r.width() <= 30));
    }

    #[test]
    fn a_word_longer_than_the_row_is_cut_not_lost() {
        let url = "https://example.invalid/a/very/long/path/that/does/not/fit";
        let line = Line::from(vec![Span::raw("- "), Span::raw(url.to_string())]);
        let rows = text(&wrap_line(&line, 20));
        assert!(rows.iter().all(|r| r.width() <= 20), "{rows:?}");
        // The first row as is, the rest without their hanging indent: nothing was dropped.
        let joined: String = rows
            .iter()
            .enumerate()
            .map(|(i, r)| if i == 0 { r.as_str() } else { r.trim_start() })
            .collect();
        assert_eq!(joined, format!("- {url}"));
    }

    #[test]
    fn a_row_that_fits_is_whole_and_a_cut_one_ends_with_a_marker() {
        let line = Line::from(vec![
            Span::raw("✓ company     "),
            Span::raw("Contoso Managed IT"),
        ]);
        assert_eq!(
            text(&[fit(&line, 40)]),
            vec!["✓ company     Contoso Managed IT"]
        );
        let cut = text(&[fit(&line, 24)]);
        assert_eq!(cut, vec!["✓ company     Contoso M…"]);
        assert!(cut[0].width() <= 24);
        // Cut inside the label: still marked, still within the width.
        let cut = text(&[fit(&line, 5)]);
        assert_eq!(cut, vec!["✓ co…"]);
        // Only trailing spaces fall off: no marker.
        let padded = Line::from(vec![Span::raw("Inquire All"), Span::raw("      ")]);
        assert_eq!(text(&[fit(&padded, 12)]), vec!["Inquire All "]);
        for width in 0..8 {
            assert!(text(&[fit(&line, width)])[0].width() <= width.max(1));
        }
    }

    #[test]
    fn no_width_is_too_small() {
        let line = Line::from(vec![Span::raw("[ ] "), Span::raw("word ".repeat(20))]);
        for width in 0..12 {
            assert!(!wrap_line(&line, width).is_empty());
        }
    }
}

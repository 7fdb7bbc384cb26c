//! A key's box on screen: masked, with its length and what sanitizing said.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Paragraph, Widget};

use crate::setup::masked_input::MaskedInput;
use crate::wizard::wrap::fit;

pub fn render_masked(
    input: &MaskedInput,
    area: Rect,
    buf: &mut Buffer,
    focused: bool,
    label: &str,
) {
    let count = input.char_count();
    let counter = format!(" {} ", crate::units::plural(count, "char", "chars"));
    // The label, the count beside it and the paste's outcome below: each cut with "…" when
    // the box is narrower, never by the border.
    let room = area.width.saturating_sub(2) as usize;
    let label_room = room.saturating_sub(counter.chars().count() + 1);
    let lead = if focused { "▸ " } else { " " };
    let label = short_label(label, label_room.saturating_sub(lead.chars().count() + 1));
    let title = if focused {
        Span::styled(
            format!("{lead}{label} "),
            Style::default().add_modifier(Modifier::BOLD),
        )
    } else {
        Span::raw(format!("{lead}{label} "))
    };
    let mut block = Block::default()
        .borders(Borders::ALL)
        .title(fit(&Line::from(title), label_room))
        .title_top(Line::from(counter).right_aligned());
    if focused {
        block = block.border_type(BorderType::Thick);
    }
    if let Some(status) = input.status_line() {
        let tone = if !input.has_warnings() { "✓" } else { "!" };
        block = block.title_bottom(fit(&Line::from(format!(" {tone} {status} ")), room));
    }
    let inner = block.inner(area);
    block.render(area, buf);
    let masked = input.masked();
    let width = inner.width as usize;
    let mut spans = vec![Span::raw(crate::wizard::wrap::boxed(
        masked.as_str(),
        width,
        focused,
    ))];
    if focused {
        spans.push(Span::styled(
            "▏",
            Style::default().add_modifier(Modifier::SLOW_BLINK),
        ));
    } else if count == 0 {
        // The whole sentence where it fits; a narrow box (one of a pair) says the first half.
        let long = "paste the key here (it is trimmed and never shown)";
        let placeholder = if long.chars().count() <= width {
            long
        } else {
            "paste the key here"
        };
        spans.push(Span::styled(
            crate::wizard::wrap::boxed(placeholder, width, false),
            Style::default().add_modifier(Modifier::DIM),
        ));
    }
    Paragraph::new(Line::from(spans)).render(inner, buf);
}

/// A key box's label in `room` columns: whole when it fits; else its tool's name is cut with "…"
/// and the kind of key ("public key", "private key"), its last two words, stays whole.
fn short_label(label: &str, room: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    if label.width() <= room {
        return label.to_string();
    }
    let words: Vec<&str> = label.split(' ').collect();
    if words.len() <= 2 {
        return text_of(&fit(&Line::from(label.to_string()), room));
    }
    let kind = words[words.len() - 2..].join(" ");
    let tool = words[..words.len() - 2].join(" ");
    let tool_room = room.saturating_sub(kind.width() + 1);
    if tool_room < 2 {
        return text_of(&fit(&Line::from(kind), room));
    }
    format!("{} {kind}", text_of(&fit(&Line::from(tool), tool_room)))
}

fn text_of(line: &Line) -> String {
    line.spans.iter().map(|s| s.content.as_ref()).collect()
}

#[cfg(test)]
mod tests {
    use super::short_label;

    #[test]
    fn a_long_key_label_keeps_which_key_it_is() {
        assert_eq!(short_label("Public key", 20), "Public key");
        assert_eq!(
            short_label("Sync 365 License public key", 20),
            "Sync 365… public key"
        );
        assert_eq!(
            short_label("Sync 365 License private key", 13),
            "private key"
        );
        assert_eq!(short_label("Public key", 5), "Publ…");
    }
}

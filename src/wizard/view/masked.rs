//! A key's box on screen: masked, with its length and what sanitizing said.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Paragraph, Widget};

use crate::setup::masked_input::MaskedInput;

pub fn render_masked(
    input: &MaskedInput,
    area: Rect,
    buf: &mut Buffer,
    focused: bool,
    label: &str,
) {
    let count = input.char_count();
    let title = if focused {
        Span::styled(
            format!("▸ {label} "),
            Style::default().add_modifier(Modifier::BOLD),
        )
    } else {
        Span::raw(format!(" {label} "))
    };
    let mut block = Block::default()
        .borders(Borders::ALL)
        .title(title)
        .title_top(
            Line::from(format!(
                " {} ",
                crate::units::plural(count, "char", "chars")
            ))
            .right_aligned(),
        );
    if focused {
        block = block.border_type(BorderType::Thick);
    }
    if let Some(status) = input.status_line() {
        let tone = if !input.has_warnings() { "✓" } else { "!" };
        block = block.title_bottom(format!(" {tone} {status} "));
    }
    let inner = block.inner(area);
    block.render(area, buf);
    let masked = input.masked();
    let mut spans = vec![Span::raw(masked.as_str())];
    if focused {
        spans.push(Span::styled(
            "▏",
            Style::default().add_modifier(Modifier::SLOW_BLINK),
        ));
    } else if count == 0 {
        spans.push(Span::styled(
            "paste the key here (it is trimmed and never shown)",
            Style::default().add_modifier(Modifier::DIM),
        ));
    }
    Paragraph::new(Line::from(spans)).render(inner, buf);
}

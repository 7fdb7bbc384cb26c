//! What opens over a step: the help, the quit question, the resume offer and the row editor.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph, Widget, Wrap};

use super::Theme;
use crate::wizard::app::{App, Pane, Tone};
use crate::wizard::keymap::{self, Action, BINDINGS, Context};
use crate::wizard::role_editor::{EditorField, RoleEditor};

pub(super) fn centered(area: Rect, width: u16, height: u16) -> Rect {
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

pub(super) fn help_lines(app: &App, theme: Theme) -> Vec<Line<'static>> {
    let situation = app.situation();
    let under = match (app.rotation.as_ref().map(|r| r.focus), app.focused_pane()) {
        (Some(Some(_)), _) => Context::RotateField,
        (Some(None), _) => Context::Rotate,
        (None, Pane::Field(_)) => Context::Field,
        (None, _) => Context::Browse,
    };
    let mut lines = vec![Line::from(Span::styled(
        "Keys marked ● work on the screen you came from.",
        theme.dim(),
    ))];
    lines.push(Line::from(Span::styled(
        "Symbols",
        Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
    )));
    // The symbols' column as wide as the widest, and a space after it.
    let column = SYMBOLS
        .iter()
        .map(|(symbol, _)| symbol.chars().count() + 1)
        .max()
        .unwrap_or(0)
        .max(12);
    for (symbol, meaning) in SYMBOLS {
        lines.push(Line::from(vec![
            Span::raw("   "),
            Span::styled(format!("{symbol:<column$}"), theme.key()),
            Span::raw(*meaning),
        ]));
    }
    // The keys of the screen the help was opened from come first.
    let mut groups = vec![
        (Context::Browse, "Browsing a step"),
        (Context::Field, "Typing in a field"),
        (Context::Editor, "Editing a role row"),
        (Context::Detail, "Reading a test result"),
        (Context::Rotate, "Rotating a key (r on step 1)"),
        (Context::RotateField, "Typing a key while rotating"),
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

/// The help's width on a screen `width` wide.
const HELP_WIDTH: u16 = 76;

/// The help's lines wrapped to its box on a screen `width` wide: a long line goes on under its
/// text, never cut at the border.
fn help_rows(app: &App, theme: Theme, width: u16) -> Vec<Line<'static>> {
    let inner = HELP_WIDTH.min(width).saturating_sub(2) as usize;
    help_lines(app, theme)
        .iter()
        .flat_map(|line| crate::wizard::wrap::wrap_line(line, inner))
        .collect()
}

/// The most the help can scroll on a screen of `app.size`: its last line just in view.
pub fn help_scroll_limit(app: &App) -> usize {
    let lines = help_rows(app, Theme { color: false }, app.size.0).len();
    let visible = (app.size.1 as usize).saturating_sub(3);
    lines.saturating_sub(visible)
}

pub(super) fn render_help(app: &App, theme: Theme, area: Rect, buf: &mut Buffer) {
    let lines = help_rows(app, theme, area.width);
    // The footer row stays visible under the help: it shows how to scroll and close.
    let above_footer = Rect {
        height: area.height.saturating_sub(1),
        ..area
    };
    let popup = centered(
        above_footer,
        HELP_WIDTH,
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

pub(super) fn render_confirm_quit(theme: Theme, demo: bool, area: Rect, buf: &mut Buffer) {
    let popup = centered(area, 56, 7);
    Clear.render(popup, buf);
    // The answers' keys as the key table has them.
    let answers = keymap::bindings_for(
        Context::ConfirmQuit,
        &[Action::ConfirmQuit, Action::CancelQuit],
    );
    let mut keys = Vec::new();
    for (i, b) in answers.iter().enumerate() {
        let gap = if i + 1 < answers.len() { "   " } else { "" };
        keys.push(Span::styled(b.label, theme.key()));
        keys.push(Span::raw(format!(" {}{gap}", b.short)));
    }
    Paragraph::new(vec![
        Line::from("Quit cwsetup?"),
        Line::from(if demo {
            "The keys you entered will be gone: keys are never saved. The demo saves nothing at all."
        } else {
            "The keys you entered will be gone: keys are never saved. The rest is saved for next time."
        }),
        Line::from(""),
        Line::from(keys),
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

pub(super) fn render_resume(
    app: &App,
    saved: &crate::setup::saved_file::SavedState,
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

pub(super) fn render_editor(editor: &RoleEditor, theme: Theme, area: Rect, buf: &mut Buffer) {
    // Tall enough for the Why and Customize texts wrapped, up to the whole screen.
    let wrapped = |text: &str| u16::try_from(text.chars().count() / 50 + 1).unwrap_or(u16::MAX);
    let extra = wrapped(editor.why.value())
        + editor.customize.as_deref().map_or(0, |c| wrapped(c) + 1)
        + u16::from(editor.error.is_some()) * 2;
    let popup = centered(area, 64, 11u16.saturating_add(extra).min(area.height));
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
            EditorField::Add => format!("‹ {} ›", editor.levels.add),
            EditorField::Edit => format!("‹ {} ›", editor.levels.edit),
            EditorField::Delete => format!("‹ {} ›", editor.levels.delete),
            EditorField::Inquire => format!("‹ {} ›", editor.levels.inquire),
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
    if let Some(customize) = &editor.customize {
        lines.push(Line::from(vec![
            Span::raw("  "),
            Span::styled(
                format!("{:<10}", "Customize"),
                Style::default().add_modifier(Modifier::BOLD),
            ),
            Span::raw(customize.clone()),
        ]));
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

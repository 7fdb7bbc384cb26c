//! What frames every step: the header, the step sidebar, the status line and the key footer.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use super::{SIDEBAR_WIDTH, Theme};
use crate::wizard::app::{App, StepId, StepState, Tone};
use crate::wizard::keymap::{self, FooterEntry};

pub(super) fn render_header(app: &App, theme: Theme, area: Rect, buf: &mut Buffer) {
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
    // Cut with "…" on a narrow screen, never by its edge.
    Paragraph::new(crate::wizard::wrap::fit(
        &Line::from(spans),
        area.width as usize,
    ))
    .render(area, buf);
}

pub(super) fn step_state_style(theme: Theme, state: StepState) -> Style {
    match state {
        StepState::Done => theme.tone(&Tone::Good),
        StepState::DoneWithWarnings => theme.tone(&Tone::Warn),
        StepState::Current => Style::default().add_modifier(Modifier::BOLD),
        StepState::Pending => theme.dim(),
        StepState::Failed => theme.tone(&Tone::Bad),
    }
}

pub(super) fn render_sidebar(app: &App, theme: Theme, area: Rect, buf: &mut Buffer) {
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

/// The status line grows to a second row for a long message (a saved file's path), never more.
/// The message and the clipboard countdown share a row when both fit; otherwise the countdown
/// gets a row of its own, so the two never read as one sentence.
pub(super) fn status_height(app: &App, width: u16) -> u16 {
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
pub(super) fn countdown_text(app: &App) -> Option<String> {
    app.clipboard_countdown
        .as_ref()
        .map(|(label, secs)| format!(" clipboard ({label}) clears in {secs} s "))
}

pub(super) fn render_status(app: &App, theme: Theme, area: Rect, buf: &mut Buffer) {
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

pub(super) fn render_footer(app: &App, theme: Theme, area: Rect, buf: &mut Buffer) {
    let entries = fit_footer(
        keymap::footer_entries(app.context(), &app.situation()),
        area.width as usize,
    );
    let mut spans = Vec::new();
    for entry in entries {
        spans.push(Span::styled(format!(" {}", entry.keys), theme.key()));
        spans.push(Span::raw(format!(" {} ", entry.what)));
    }
    Paragraph::new(Line::from(spans))
        .style(Style::default().add_modifier(Modifier::REVERSED))
        .render(area, buf);
}

/// The footer entries that fit in `width`, in table order; when some must go, the ones the key
/// table marks to drop first go first, and the help entry stays (it lists everything), so the
/// footer never hides the way to the rest.
pub(super) fn fit_footer(entries: Vec<FooterEntry>, width: usize) -> Vec<FooterEntry> {
    let cost = |e: &FooterEntry| e.keys.chars().count() + e.what.chars().count() + 3;
    if entries.iter().map(cost).sum::<usize>() <= width {
        return entries;
    }
    let mut entries = entries;
    while entries.iter().map(cost).sum::<usize>() > width {
        match entries.iter().rposition(|e| e.drops_first) {
            Some(i) => {
                entries.remove(i);
            }
            None => break,
        }
    }
    let kept = entries.iter().copied().find(|e| e.always_shown);
    let mut room = width.saturating_sub(kept.as_ref().map_or(0, cost));
    let mut out = Vec::new();
    for entry in entries {
        if Some(entry) == kept {
            continue;
        }
        if cost(&entry) > room {
            break;
        }
        room -= cost(&entry);
        out.push(entry);
    }
    out.extend(kept);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wizard::keymap::{Context, Situation};

    /// The fitting as it was, by the footer's words, to show the key table's marks drop the same.
    fn fit_by_words(
        entries: Vec<(&'static str, &'static str)>,
        width: usize,
    ) -> Vec<(&'static str, &'static str)> {
        let cost = |(keys, what): &(&str, &str)| keys.chars().count() + what.chars().count() + 3;
        if entries.iter().map(cost).sum::<usize>() <= width {
            return entries;
        }
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

    fn situation(bits: u32) -> Situation {
        Situation {
            can_go_back: bits & (1 << 0) != 0,
            can_go_next: bits & (1 << 1) != 0,
            has_copyable: bits & (1 << 2) != 0,
            has_toggle: bits & (1 << 3) != 0,
            has_list: bits & (1 << 4) != 0,
            check_step: bits & (1 << 5) != 0,
            check_running: bits & (1 << 6) != 0,
            keys_entered: bits & (1 << 7) != 0,
            secret_field: bits & (1 << 8) != 0,
            role_editable: bits & (1 << 9) != 0,
            row_selected: bits & (1 << 10) != 0,
            summary_step: bits & (1 << 11) != 0,
            editor_text: bits & (1 << 12) != 0,
            has_link: bits & (1 << 13) != 0,
            audit_step: bits & (1 << 14) != 0,
            audit_running: bits & (1 << 15) != 0,
            own_keys_offer: bits & (1 << 16) != 0,
            can_filter: bits & (1 << 17) != 0,
            filter_field: bits & (1 << 18) != 0,
            filter_active: bits & (1 << 19) != 0,
            result_row: bits & (1 << 20) != 0,
            failed_rows: bits & (1 << 21) != 0,
            toggle_chooses: bits & (1 << 22) != 0,
            ..Situation::default()
        }
    }

    #[test]
    fn the_footer_fits_by_the_key_table_as_it_did_by_its_words() {
        let contexts = [
            Context::Browse,
            Context::Field,
            Context::Editor,
            Context::Help,
            Context::ConfirmQuit,
            Context::ResumeOffer,
            Context::Detail,
        ];
        // A fixed spread of situations (a small linear congruential sequence), every context,
        // every width from nothing to wide.
        let mut bits: u32 = 0x2545_f491;
        let mut compared = 0;
        for _ in 0..150 {
            bits = bits.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            for bits in [bits, 0, u32::MAX] {
                let situation = situation(bits);
                for context in contexts {
                    for width in (0..=160).step_by(3) {
                        let by_table: Vec<(&str, &str)> =
                            fit_footer(keymap::footer_entries(context, &situation), width)
                                .into_iter()
                                .map(|e| (e.keys, e.what))
                                .collect();
                        let by_words = fit_by_words(keymap::footer(context, &situation), width);
                        assert_eq!(by_table, by_words, "{context:?} at {width}");
                        compared += 1;
                    }
                }
            }
        }
        assert!(compared > 10_000);
    }
}

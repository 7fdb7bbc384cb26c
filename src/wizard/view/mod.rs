//! Rendering: a pure function of [`App`]. The layout is computed by one function that both the
//! renderer and the mouse hit-test use, so a click lands where the eye sees it.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::app::{App, Overlay, Tone};
use chrome::{render_footer, render_header, render_sidebar, render_status};
use layout::{layout, too_small};
use overlays::{render_confirm_quit, render_editor, render_help, render_resume};
use sections::render_section;

mod chrome;
mod layout;
mod listview;
pub mod masked;
mod overlays;
mod panes;
mod rotate;
mod rows;
mod sections;

pub use layout::{Hit, cursor_rows_hidden, hit_test, pane_rects};
pub use overlays::{SYMBOLS, help_scroll_limit};

/// Below this size a step cannot show its boxes whole: the screen says so instead.
pub const MIN_WIDTH: u16 = 70;

pub const MIN_HEIGHT: u16 = 20;

const SIDEBAR_WIDTH: u16 = 21;

/// Below this width the sidebar shows numbers only: the step's title is in the header anyway,
/// and the role table and the test results need the columns.
const NARROW: u16 = 100;

const NARROW_SIDEBAR_WIDTH: u16 = 7;

/// Below this height the intro and the test's detail give up rows to the lists.
const SHORT: u16 = 28;

/// Colours that switch off under NO_COLOR; focus and state never rely on colour alone.
#[derive(Clone, Copy)]
struct Theme {
    pub(super) color: bool,
}

impl Theme {
    fn fg(self, color: Color) -> Style {
        if self.color {
            Style::default().fg(color)
        } else {
            Style::default()
        }
    }
    fn tone(self, tone: &Tone) -> Style {
        match tone {
            Tone::Info => self.fg(Color::Cyan),
            Tone::Good => self.fg(Color::Green),
            Tone::Warn => self.fg(Color::Yellow),
            Tone::Bad => self.fg(Color::Red),
        }
    }
    fn dim(self) -> Style {
        if self.color {
            Style::default().fg(Color::DarkGray)
        } else {
            Style::default()
        }
    }
    fn selected(self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }
    fn key(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
}

/// Draws the whole wizard.
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = Theme {
        color: !app.settings.no_color,
    };
    if too_small(area) {
        // Nothing is lost: the wizard keeps every value, and the step comes back whole.
        Paragraph::new(format!(
            "Make the window at least {MIN_WIDTH}x{MIN_HEIGHT}: it is {}x{} now. Nothing typed is lost; the step comes back when it is larger.",
            area.width, area.height
        ))
        .wrap(Wrap { trim: true })
        .render(area, buf);
        return;
    }
    if app.rotation.is_some() {
        rotate::render(app, theme, area, buf);
    } else {
        render_steps(app, theme, area, buf);
    }
    render_overlay(app, theme, area, buf);
}

fn render_steps(app: &App, theme: Theme, area: Rect, buf: &mut Buffer) {
    let frame = layout(app, area);
    render_header(app, theme, frame.header, buf);
    render_sidebar(app, theme, frame.sidebar, buf);
    let content = app.content(app.step);
    for (section, rect) in &frame.sections {
        render_section(app, &content, theme, *section, *rect, buf);
    }
    render_status(app, theme, frame.status, buf);
    render_footer(app, theme, frame.footer, buf);
}

fn render_overlay(app: &App, theme: Theme, area: Rect, buf: &mut Buffer) {
    match &app.overlay {
        Some(Overlay::Help) => render_help(app, theme, area, buf),
        Some(Overlay::ConfirmQuit) => render_confirm_quit(theme, app.settings.demo, area, buf),
        Some(Overlay::Editor(editor)) => render_editor(editor, theme, area, buf),
        Some(Overlay::Resume(saved)) => render_resume(app, saved, theme, area, buf),
        Some(Overlay::Detail(detail)) => detail.render(area, buf),
        None => {}
    }
}

//! The wizard driven by synthetic keys, for the tests that read its screens.

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use cwsetup::check::{CheckEvent, CheckReport};
use cwsetup::profile;
use cwsetup::wizard::app::{App, Prefill, Settings, StepId};
use cwsetup::wizard::keymap::Context;
use cwsetup::wizard::update::{Effect, Msg, update};
use cwsetup::wizard::view;

/// The wizard's settings in tests: no demo, no color, no staging sites, a check `timeout`.
pub fn settings(timeout: Duration) -> Settings {
    Settings {
        demo: false,
        no_color: true,
        timeout,
        show_staging: false,
    }
}

/// The wizard for sync365 on a `size` screen, without color, before any key.
pub fn app(size: (u16, u16)) -> App {
    let mut app = App::new(
        settings(Duration::from_secs(20)),
        profile::builtin().to_vec(),
        &["sync365".to_string()],
    );
    app.size = size;
    app
}

/// One key press (no modifier), through the same `update` path as real input.
pub fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    update(app, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

/// The wizard rendered on a `width` x `height` test backend, as text.
pub fn screen(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
    terminal
        .draw(|frame| view::render(app, frame.area(), frame.buffer_mut()))
        .expect("draw");
    format!("{}", terminal.backend())
}

/// Forward to `step` (leaving a field first when the keyboard is in one).
pub fn go_to(app: &mut App, step: StepId) {
    while app.step < step {
        // Leave any field first; Enter in a field moves between fields.
        if app.context() == Context::Field {
            key(app, KeyCode::Esc);
        }
        key(app, KeyCode::Right);
    }
}

/// Step 5 with `site`, `company_id` and `client_id` typed and two obviously fake keys, right
/// after a test (`t`) that ended with `report`.
pub fn tested(
    size: (u16, u16),
    site: &str,
    company_id: &str,
    client_id: &str,
    report: &CheckReport,
) -> App {
    let mut app = app(size);
    app.prefill(Prefill {
        site: site.into(),
        company_id: company_id.into(),
        client_id: client_id.into(),
        public_key: Some("FakePublicKey001".into()),
        private_key: Some("FakePrivateKey01".into()),
    });
    go_to(&mut app, StepId::Integration);
    key(&mut app, KeyCode::Char('t'));
    update(
        &mut app,
        Msg::Check(CheckEvent::Done(Box::new(report.clone()))),
    );
    app
}

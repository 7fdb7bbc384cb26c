//! Render time per frame: `view::render` into a ratatui `Buffer` (what `Terminal::draw` hands it;
//! the terminal's diff and the write to the tty are not included), for each wizard step at
//! 80x24 and 200x60.
//!
//! States: each step as the wizard opens it (sync365 selected), and the Integration and Summary
//! steps after a real passing check against the in-process simulator (stage list, permission
//! rows, portal values: the busiest screens). The buffer is reset before each frame, as
//! `Terminal::draw` does.
//!
//!     cargo bench --bench render
//!
//! Timings are printed, never asserted.

use std::time::Duration;

use criterion::Criterion;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use tokio::sync::mpsc;

use cwsetup::check::{self, CheckEvent, CheckRequest};
use cwsetup::profile;
use cwsetup::secret::Secret;
use cwsetup::sim::{
    DEMO_CLIENT_ID, DEMO_COMPANY_ID, DEMO_PRIVATE_KEY, DEMO_PUBLIC_KEY, Scenario, SimServer,
};
use cwsetup::wizard::app::{App, Prefill, Settings, StepId};
use cwsetup::wizard::update::{self, Effect, Msg};
use cwsetup::wizard::view;

const SIZES: [(u16, u16); 2] = [(80, 24), (200, 60)];

fn new_app() -> App {
    let settings = Settings {
        demo: true,
        no_color: false,
        timeout: Duration::from_secs(30),
        show_staging: false,
    };
    App::new(
        settings,
        profile::builtin().to_vec(),
        &["sync365".to_string()],
    )
}

/// The events and report of one real check against the simulator (no latency).
fn real_check() -> (Vec<CheckEvent>, String) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    rt.block_on(async {
        let sim = SimServer::start(Scenario::new())
            .await
            .expect("start the simulator on 127.0.0.1");
        let secret = |v: &str| Secret::from_str_checked(v).expect("a demo key fits");
        let request = CheckRequest {
            site: sim.url(),
            company_id: DEMO_COMPANY_ID.into(),
            client_id: DEMO_CLIENT_ID.into(),
            public_key: secret(DEMO_PUBLIC_KEY),
            private_key: secret(DEMO_PRIVATE_KEY),
            profiles: vec![profile::find("sync365").expect("sync365").clone()],
            timeout: Duration::from_secs(30),
            removed_before: Vec::new(),
        };
        let (tx, mut rx) = mpsc::unbounded_channel();
        let report = check::run(request, Some(tx)).await;
        let mut events = Vec::new();
        while let Ok(event) = rx.try_recv() {
            events.push(event);
        }
        assert!(report.ok, "the demo check passes: {report:?}");
        let url = sim.url();
        events.push(CheckEvent::Done(Box::new(report)));
        sim.shutdown().await;
        (events, url)
    })
}

/// The wizard after a passing test on the Integration step, as the runtime feeds it.
fn app_after_check(events: &[CheckEvent], site: &str) -> App {
    let mut app = new_app();
    app.prefill(Prefill {
        site: site.to_string(),
        company_id: DEMO_COMPANY_ID.into(),
        client_id: DEMO_CLIENT_ID.into(),
        public_key: Some(DEMO_PUBLIC_KEY.into()),
        private_key: Some(DEMO_PRIVATE_KEY.into()),
    });
    update::go_to(&mut app, StepId::Integration);
    let effects = update::update(
        &mut app,
        Msg::Key(KeyEvent::new(KeyCode::Char('t'), KeyModifiers::NONE)),
    );
    assert_eq!(effects, vec![Effect::StartCheck], "t starts the test");
    for event in events {
        update::update(&mut app, Msg::Check(event.clone()));
    }
    assert!(app.check.passed(), "the wizard shows a passing test");
    app
}

fn bench(c: &mut Criterion) {
    let (events, site) = real_check();
    let mut states: Vec<(String, App)> = StepId::ALL
        .iter()
        .map(|step| {
            let mut app = new_app();
            update::go_to(&mut app, *step);
            (format!("{step:?}"), app)
        })
        .collect();
    for step in [StepId::Integration, StepId::Summary] {
        let mut app = app_after_check(&events, &site);
        update::go_to(&mut app, step);
        states.push((format!("{step:?}_after_check"), app));
    }

    for (width, height) in SIZES {
        let mut group = c.benchmark_group(format!("render/{width}x{height}"));
        group.sample_size(30);
        group.warm_up_time(Duration::from_millis(300));
        group.measurement_time(Duration::from_secs(1));
        for (name, app) in &mut states {
            app.size = (width, height);
            let area = Rect::new(0, 0, width, height);
            let mut buf = Buffer::empty(area);
            let app = &*app;
            group.bench_function(name.as_str(), |b| {
                b.iter(|| {
                    buf.reset();
                    view::render(std::hint::black_box(app), area, &mut buf);
                    std::hint::black_box(&buf);
                })
            });
        }
        group.finish();
    }
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    bench(&mut c);
    c.final_summary();
}

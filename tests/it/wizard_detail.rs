//! The test results' detail view: Enter on a stage or permission row shows it in full, word-
//! wrapped and scrollable; Esc closes it and the step stays; `f` moves between failed rows only.

use crate::common;

use crossterm::event::KeyCode;

use cwsetup::check::{
    CheckReport, Counts, PermissionResult, PermissionStatus, StageId, StageResult, StageStatus,
    Verdict,
};
use cwsetup::wizard::app::{App, Overlay, Pane, StepId};
use cwsetup::wizard::keymap::Context;

use common::wizard::key;

/// The failed stage's fix: long enough to wrap over many rows of an 80-column screen.
fn long_fix() -> String {
    let mut fix = String::from(
        "Type the company ID from the ConnectWise login screen (the Company field), not the company's name.",
    );
    for i in 1..=12 {
        fix.push_str(&format!(
            " Step {i}: check the value against the login screen once more and compare it letter by letter."
        ));
    }
    fix.push_str(" The last words are zebra quartz finale.");
    fix
}

fn failing_report() -> CheckReport {
    let stages = StageId::ALL
        .iter()
        .map(|id| match id {
            StageId::Input | StageId::Connect => StageResult {
                id: *id,
                status: StageStatus::Pass,
                summary: format!("{} ok", id.id()),
                fix: None,
                parts: Vec::new(),
            },
            StageId::Company => StageResult {
                id: *id,
                status: StageStatus::Fail,
                summary: "company ID \"contoso\" was not found on na.myconnectwise.net".into(),
                fix: Some(long_fix()),
                parts: Vec::new(),
            },
            _ => StageResult {
                id: *id,
                status: StageStatus::Skip,
                summary: "skipped".into(),
                fix: None,
                parts: Vec::new(),
            },
        })
        .collect();
    let row = |function: &str, status: PermissionStatus, detail: &str| PermissionResult {
        tool: None,
        module: "Companies".into(),
        function: function.into(),
        required: "Inquire All".into(),
        status,
        detail: detail.into(),
    };
    CheckReport {
        ok: false,
        verdict: Verdict::Fail,
        site: "na.myconnectwise.net".into(),
        company_id: "contoso".into(),
        client_id: "00000000-0000-4000-8000-000000000000".into(),
        input_removed: vec![],
        api_base: None,
        codebase: None,
        version: None,
        is_cloud: None,
        stages,
        permissions: vec![
            row("Company Maintenance", PermissionStatus::Pass, "answered"),
            row(
                "Contacts",
                PermissionStatus::Fail,
                "403: Contacts needs Inquire All; the role lacks it",
            ),
            row(
                "Configurations",
                PermissionStatus::Unverified,
                "check by hand",
            ),
        ],
        counts: Counts::default(),
        warnings: vec![],
        beyond_needed: None,
        notes: vec![],
    }
}

fn screen(app: &App) -> String {
    let (w, h) = app.size;
    common::wizard::screen(app, w, h)
}

/// The screen's text with its rows joined (a wrapped sentence reads across row ends).
fn flat(screen: &str) -> String {
    screen
        .lines()
        .map(|l| l.trim_matches('"'))
        // Inside the overlay's double border only: the screen under it shows at its sides.
        .map(|l| match (l.find('║'), l.rfind('║')) {
            (Some(a), Some(b)) if a < b => &l[a + '║'.len_utf8()..b],
            _ => l,
        })
        .map(|l| l.replace(['║', '│'], " "))
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn failed_app() -> App {
    common::wizard::tested(
        (80, 24),
        "na.myconnectwise.net",
        "contoso",
        "00000000-0000-4000-8000-000000000000",
        &failing_report(),
    )
}

#[test]
fn enter_on_a_failed_stage_shows_its_whole_fix_at_80x24_and_esc_closes_it() {
    let mut app = failed_app();
    if app.context() == Context::Field {
        key(&mut app, KeyCode::Esc);
    }
    // A failed test leaves the cursor on the failed stage: the company stage.
    assert_eq!(app.focused_pane(), Pane::Stages);
    assert_eq!(app.cursor(Pane::Stages), 2, "the company stage");
    key(&mut app, KeyCode::Enter);
    assert!(matches!(app.overlay, Some(Overlay::Detail(_))));
    assert_eq!(app.context(), Context::Detail);
    let mut text = flat(&screen(&app));
    // Scroll (a bounded number of times) until the end of the fix is on screen.
    for _ in 0..40 {
        if text.contains("zebra quartz finale.") {
            break;
        }
        assert!(
            text.contains("more below"),
            "no marker while cut:\n{}",
            screen(&app)
        );
        key(&mut app, KeyCode::Down);
        text = flat(&screen(&app));
    }
    assert!(
        text.contains("The last words are zebra quartz finale."),
        "{}",
        screen(&app)
    );
    assert!(
        text.contains("Fix: Type the company ID") || text.contains("more above"),
        "{}",
        screen(&app)
    );
    // Esc closes it; the step stays.
    key(&mut app, KeyCode::Esc);
    assert!(app.overlay.is_none());
    assert_eq!(app.step, StepId::Integration);
}

#[test]
fn f_moves_between_failed_rows_only_and_a_permission_row_opens_in_full() {
    let mut app = failed_app();
    if app.context() == Context::Field {
        key(&mut app, KeyCode::Esc);
    }
    assert_eq!(app.focused_pane(), Pane::Stages);
    assert_eq!(app.cursor(Pane::Stages), 2, "the company stage");
    // Next failed row: the Contacts permission row (6 stages, then rows 0, 1, 2).
    key(&mut app, KeyCode::Char('f'));
    assert_eq!(app.cursor(Pane::Stages), StageId::ALL.len() + 1);
    key(&mut app, KeyCode::Enter);
    let text = flat(&screen(&app));
    assert!(text.contains("Companies / Contacts"), "{text}");
    assert!(
        text.contains("403: Contacts needs Inquire All; the role lacks it"),
        "{text}"
    );
    key(&mut app, KeyCode::Esc);
    // And around again to the company stage.
    key(&mut app, KeyCode::Char('f'));
    assert_eq!(app.cursor(Pane::Stages), 2);
    // ↓ over a passed row, Enter opens it too.
    key(&mut app, KeyCode::Up);
    key(&mut app, KeyCode::Enter);
    let text = flat(&screen(&app));
    assert!(
        text.contains("connect: Connection (DNS, TCP, TLS)"),
        "{text}"
    );
    key(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none());
    assert_eq!(app.step, StepId::Integration);
}

#[test]
fn result_rows_are_the_stages_then_the_permission_rows_and_f_and_enter_land_on_them() {
    use cwsetup::setup::check_state::ResultRow;
    let mut app = failed_app();
    if app.context() == Context::Field {
        key(&mut app, KeyCode::Esc);
    }
    let rows: Vec<ResultRow> = app.check.rows().collect();
    let want: Vec<ResultRow> = StageId::ALL
        .into_iter()
        .map(ResultRow::Stage)
        .chain((0..3).map(ResultRow::Permission))
        .collect();
    assert_eq!(rows, want);
    assert_eq!(app.check.row(2), Some(ResultRow::Stage(StageId::Company)));
    assert_eq!(app.check.row(rows.len()), None);
    assert_eq!(app.list_len(Pane::Stages), rows.len());
    // A failed test's cursor: the company stage's row; `f`: the failed Contacts permission row.
    assert_eq!(
        app.check.row(app.cursor(Pane::Stages)),
        Some(ResultRow::Stage(StageId::Company))
    );
    key(&mut app, KeyCode::Char('f'));
    assert_eq!(
        app.check.row(app.cursor(Pane::Stages)),
        Some(ResultRow::Permission(1))
    );
    key(&mut app, KeyCode::Enter);
    assert!(flat(&screen(&app)).contains("Companies / Contacts"));
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('f'));
    assert_eq!(
        app.check.row(app.cursor(Pane::Stages)),
        Some(ResultRow::Stage(StageId::Company))
    );
}

#[test]
fn a_per_tool_permission_row_opens_with_its_tool_shown_from_the_field() {
    let mut report = failing_report();
    for p in &mut report.permissions {
        p.tool = Some("Email reConnector".into());
    }
    let mut app = common::wizard::tested(
        (100, 30),
        "na.myconnectwise.net",
        "contoso",
        "00000000-0000-4000-8000-000000000000",
        &report,
    );
    if app.context() == Context::Field {
        key(&mut app, KeyCode::Esc);
    }
    key(&mut app, KeyCode::Char('f'));
    key(&mut app, KeyCode::Enter);
    let text = flat(&screen(&app));
    assert!(
        text.contains("[Email reConnector] Companies / Contacts"),
        "{text}"
    );
    // The model keeps the module bare.
    assert_eq!(app.check.permissions[1].module, "Companies");
}

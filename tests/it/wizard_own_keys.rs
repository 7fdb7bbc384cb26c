//! "Check my work as I go": the technician's own keys on step 1, and steps 2 and 3 read back
//! with them. Driven through `update` like real input; the audit effect is run against the
//! simulator on 127.0.0.1, as the wizard's runtime runs it. Snapshots hold no secret.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use cwsetup::setup::own_keys;
use cwsetup::sim::{
    DEMO_ADMIN_PRIVATE_KEY, DEMO_ADMIN_PUBLIC_KEY, DEMO_CLIENT_ID, DEMO_COMPANY_ID,
    DEMO_PRIVATE_KEY, DEMO_PUBLIC_KEY, Scenario, SimServer,
};
use cwsetup::wizard::app::{App, FieldId, Pane, Prefill, StepId, StepState};
use cwsetup::wizard::keymap::{self, Action, Context};
use cwsetup::wizard::update::{Effect, Msg, update};

use crate::common::wizard::{go_to, key, screen};

/// The wizard for sync365 at 100x30 (the shared test settings).
fn app() -> App {
    crate::common::wizard::app((100, 30))
}

fn focus(app: &mut App, pane: Pane) {
    app.focus = app
        .panes()
        .iter()
        .position(|p| *p == pane)
        .expect("pane on this step");
}

/// `m` on step 1, then the technician's keys pasted into their fields (with stray spaces, as
/// pasted from a browser), then back to browsing.
fn enter_own_keys(app: &mut App, public: &str, private: &str) {
    assert_eq!(app.step, StepId::Prerequisites);
    key(app, KeyCode::Char('m'));
    assert!(app.own.enabled);
    assert_eq!(app.focused_pane(), Pane::Field(FieldId::MyPublicKey));
    update(app, Msg::Paste(format!("  {public}\n")));
    focus(app, Pane::Field(FieldId::MyPrivateKey));
    update(app, Msg::Paste(format!("{private} ")));
    key(app, KeyCode::Esc);
    assert_eq!(app.context(), Context::Browse);
}

fn prefill_sim(app: &mut App, server: &SimServer) {
    app.prefill(Prefill {
        site: server.url(),
        company_id: DEMO_COMPANY_ID.into(),
        client_id: DEMO_CLIENT_ID.into(),
        public_key: Some(DEMO_PUBLIC_KEY.into()),
        private_key: Some(DEMO_PRIVATE_KEY.into()),
    });
}

/// Presses `t` on the current step, carries out the audit effect as the runtime does (the
/// engine's async function, off the wizard), and feeds its answer back through `update`.
async fn check_step(app: &mut App) {
    let effects = key(app, KeyCode::Char('t'));
    assert_eq!(effects, vec![Effect::StartAudit], "t audits on step 2/3");
    assert!(app.own.audit.running);
    let request = cwsetup::setup::request::audit_request(app).expect("request");
    let outcome = cwsetup::audit::run(request).await;
    let generation = app.own.audit.generation;
    update(app, Msg::Audit(generation, Box::new(outcome)));
    assert!(!app.own.audit.running);
}

fn audit_text(app: &App) -> String {
    own_keys::lines(app, app.step)
        .into_iter()
        .map(|l| format!("{}{}\n", l.status.map_or("", |s| s.symbol()), l.text))
        .collect()
}

/// The sim's port changes every run: it is the only varying text on a screen.
fn assert_no_secret(screen: &str) {
    for secret in [
        DEMO_ADMIN_PUBLIC_KEY,
        DEMO_ADMIN_PRIVATE_KEY,
        DEMO_PUBLIC_KEY,
        DEMO_PRIVATE_KEY,
    ] {
        assert!(!screen.contains(secret), "a key reached the screen");
    }
}

#[test]
fn step_one_offers_check_my_work_and_holds_the_keys_like_the_vendors() {
    let mut app = app();
    let first = screen(&app, 100, 30);
    assert!(
        first.contains("press m to check my work as I go"),
        "{first}"
    );
    assert!(first.contains("m check as I go"), "footer: {first}");

    enter_own_keys(&mut app, "FakeOwnPublic001", "FakeOwnPrivate01");
    assert_eq!(app.own.public_key.secret().expose(), "FakeOwnPublic001");
    assert_eq!(app.own.private_key.secret().expose(), "FakeOwnPrivate01");
    let shown = screen(&app, 100, 30);
    assert!(!shown.contains("FakeOwn"), "keys are masked");
    insta::assert_snapshot!("own_keys_step1", shown);

    // Quitting now asks first, like with the vendor's keys.
    key(&mut app, KeyCode::Char('q'));
    assert!(!app.should_quit);
    key(&mut app, KeyCode::Char('n'));

    // x wipes them with the vendor's keys, and says so.
    app.public_key.paste("FakeVendorPub001".into());
    let effects = key(&mut app, KeyCode::Char('x'));
    assert!(effects.contains(&Effect::KeysCleared));
    assert!(app.own.public_key.secret().is_empty());
    assert!(app.own.private_key.secret().is_empty());
    assert!(app.public_key.secret().is_empty());
    assert!(!app.keys_entered());
}

#[test]
fn without_own_keys_t_on_steps_2_and_3_does_nothing_and_the_footer_says_so() {
    let mut app = app();
    go_to(&mut app, StepId::SecurityRole);
    assert!(key(&mut app, KeyCode::Char('t')).is_empty());
    assert!(!screen(&app, 100, 30).contains("t check my work"));

    let mut app = self::app();
    enter_own_keys(&mut app, "FakeOwnPublic001", "FakeOwnPrivate01");
    for step in [StepId::SecurityRole, StepId::ApiMember] {
        go_to(&mut app, step);
        let shown = screen(&app, 100, 30);
        assert!(
            shown.contains("t check my work"),
            "footer on {step:?}: {shown}"
        );
        assert_eq!(
            keymap::dispatch(
                &KeyEvent::new(KeyCode::Char('t'), KeyModifiers::NONE),
                Context::Browse,
                &app.situation()
            ),
            Some(Action::RunAudit)
        );
    }
    // Step 5's t is still the integration test.
    go_to(&mut app, StepId::Integration);
    assert_eq!(
        keymap::dispatch(
            &KeyEvent::new(KeyCode::Char('t'), KeyModifiers::NONE),
            Context::Browse,
            &app.situation()
        ),
        Some(Action::RunCheck)
    );
}

#[tokio::test]
async fn step_2_shows_the_missing_row_read_from_the_simulator() {
    let server = SimServer::start(Scenario::named("role-missing-row").expect("scenario"))
        .await
        .expect("sim");
    let mut app = app();
    prefill_sim(&mut app, &server);
    enter_own_keys(&mut app, DEMO_ADMIN_PUBLIC_KEY, DEMO_ADMIN_PRIVATE_KEY);
    go_to(&mut app, StepId::SecurityRole);
    check_step(&mut app).await;
    let text = audit_text(&app);
    assert!(
        text.contains("✗Procurement / Products: Inquire level is None, needs All"),
        "{text}"
    );
    assert!(
        text.contains("fix: In System > Security Roles > Sync 365 API, raise"),
        "{text}"
    );
    let shown = screen(&app, 100, 34);
    assert_no_secret(&shown);
    insta::assert_snapshot!("own_keys_step2_missing_row", shown);
    server.shutdown().await;
}

#[tokio::test]
async fn step_2_lists_rows_above_what_is_needed() {
    let server = SimServer::start(Scenario::named("role-over-privileged").expect("scenario"))
        .await
        .expect("sim");
    let mut app = app();
    prefill_sim(&mut app, &server);
    enter_own_keys(&mut app, DEMO_ADMIN_PUBLIC_KEY, DEMO_ADMIN_PRIVATE_KEY);
    go_to(&mut app, StepId::SecurityRole);
    check_step(&mut app).await;
    let text = audit_text(&app);
    assert!(text.contains("More than needed (2 rows"), "{text}");
    assert!(text.contains("Service Desk / Service Tickets"), "{text}");
    server.shutdown().await;
}

#[tokio::test]
async fn step_2_with_a_typed_role_name_that_does_not_exist_lists_close_names() {
    let server = SimServer::start(Scenario::new()).await.expect("sim");
    let mut app = app();
    prefill_sim(&mut app, &server);
    enter_own_keys(&mut app, DEMO_ADMIN_PUBLIC_KEY, DEMO_ADMIN_PRIVATE_KEY);
    go_to(&mut app, StepId::SecurityRole);
    focus(&mut app, Pane::Field(FieldId::RoleName));
    for c in "Sync365 API".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    key(&mut app, KeyCode::Esc);
    check_step(&mut app).await;
    let text = audit_text(&app);
    assert!(
        text.contains("no security role is named \"Sync365 API\""),
        "{text}"
    );
    assert!(text.contains("close names: \"Sync 365 API\""), "{text}");
    server.shutdown().await;
}

#[tokio::test]
async fn step_3_shows_each_member_check_with_have_should_and_fix() {
    let server = SimServer::start(Scenario::named("member-lower-level").expect("scenario"))
        .await
        .expect("sim");
    let mut app = app();
    prefill_sim(&mut app, &server);
    enter_own_keys(&mut app, DEMO_ADMIN_PUBLIC_KEY, DEMO_ADMIN_PRIVATE_KEY);
    go_to(&mut app, StepId::ApiMember);
    check_step(&mut app).await;
    let text = audit_text(&app);
    for id in [
        "exists",
        "active",
        "role",
        "level",
        "location",
        "department",
        "boards",
    ] {
        assert!(text.contains(&format!("{id}: has ")), "{id} in {text}");
    }
    assert!(text.contains("⚠level: has Location 2"), "{text}");
    assert!(text.contains("fix: "), "{text}");
    let shown = screen(&app, 100, 34);
    assert_no_secret(&shown);
    insta::assert_snapshot!("own_keys_step3_lower_level", shown);
    server.shutdown().await;
}

#[tokio::test]
async fn own_keys_without_the_permission_leave_the_step_manual_and_name_it() {
    let server =
        SimServer::start(Scenario::named("admin-no-member-maintenance").expect("scenario"))
            .await
            .expect("sim");
    let mut app = app();
    prefill_sim(&mut app, &server);
    enter_own_keys(&mut app, DEMO_ADMIN_PUBLIC_KEY, DEMO_ADMIN_PRIVATE_KEY);
    go_to(&mut app, StepId::ApiMember);
    check_step(&mut app).await;
    let text = audit_text(&app);
    assert!(text.starts_with('?'), "manual, not failed: {text}");
    assert!(text.contains("System > Member Maintenance"), "{text}");
    assert_ne!(app.step_state(StepId::ApiMember), StepState::Failed);
    server.shutdown().await;
}

#[tokio::test]
async fn a_missing_site_is_explained_not_a_crash() {
    let mut app = app();
    enter_own_keys(&mut app, "FakeOwnPublic001", "FakeOwnPrivate01");
    go_to(&mut app, StepId::SecurityRole);
    check_step(&mut app).await;
    let text = audit_text(&app);
    assert!(
        text.contains("could not check: missing the site, the company ID, the client ID"),
        "{text}"
    );
}

#[test]
fn a_late_answer_from_an_older_audit_is_dropped_and_changes_make_results_stale() {
    let mut app = app();
    enter_own_keys(&mut app, "FakeOwnPublic001", "FakeOwnPrivate01");
    go_to(&mut app, StepId::SecurityRole);
    key(&mut app, KeyCode::Char('t'));
    let stale_generation = app.own.audit.generation.wrapping_sub(1);
    update(
        &mut app,
        Msg::Audit(
            stale_generation,
            Box::new(Err(cwsetup::audit::AuditFailure {
                summary: "old".into(),
                fix: "old".into(),
                input: false,
            })),
        ),
    );
    assert!(app.own.audit.running && app.own.audit.outcome.is_none());
    let generation = app.own.audit.generation;
    update(
        &mut app,
        Msg::Audit(
            generation,
            Box::new(Err(cwsetup::audit::AuditFailure {
                summary: "new".into(),
                fix: "fix".into(),
                input: false,
            })),
        ),
    );
    assert!(app.own.audit.outcome.is_some() && !app.own.audit.stale);
    focus(&mut app, Pane::Field(FieldId::RoleName));
    key(&mut app, KeyCode::Char('X'));
    assert!(app.own.audit.stale);
}

/// Types `text` into the field `id` on the current step, then leaves the field.
fn type_into(app: &mut App, id: FieldId, text: &str) {
    focus(app, Pane::Field(id));
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
    key(app, KeyCode::Esc);
}

#[test]
fn names_typed_on_steps_2_and_3_show_connectwises_limit_and_an_over_long_one_is_not_checked() {
    for (step, id, limit) in [
        (StepId::SecurityRole, FieldId::RoleName, 30),
        (StepId::ApiMember, FieldId::MemberId, 15),
    ] {
        let mut app = app();
        enter_own_keys(&mut app, DEMO_ADMIN_PUBLIC_KEY, DEMO_ADMIN_PRIVATE_KEY);
        go_to(&mut app, step);
        // Exactly at the limit: the count, no warning, and `t` audits.
        type_into(&mut app, id, &"A".repeat(limit));
        let shown = screen(&app, 100, 30);
        assert!(shown.contains(&format!(" {limit}/{limit} ")), "{shown}");
        assert!(!shown.contains("too many"), "{shown}");
        assert_eq!(key(&mut app, KeyCode::Char('t')), vec![Effect::StartAudit]);
        app.own.audit.running = false;

        // One more: the field says so, and `t` refuses to look for a name that cannot exist.
        type_into(&mut app, id, "B");
        let shown = screen(&app, 100, 30);
        let over = limit + 1;
        assert!(shown.contains(&format!(" {over}/{limit} ")), "{shown}");
        assert!(
            shown.contains(&format!("1 too many: ConnectWise accepts at most {limit}")),
            "{shown}"
        );
        assert_eq!(key(&mut app, KeyCode::Char('t')), Vec::<Effect>::new());
        assert!(!app.own.audit.running);
        let status = app
            .status
            .as_ref()
            .map(|s| s.text.clone())
            .unwrap_or_default();
        assert!(
            status.starts_with("Not checked: the ")
                && status.contains(&format!(
                    "has {over} characters; ConnectWise accepts at most {limit}"
                ))
                && status.contains(id.label()),
            "{status}"
        );
    }
}

#[tokio::test]
async fn step_3_audits_the_member_id_typed_there() {
    let server = SimServer::start(Scenario::new()).await.expect("sim");
    let mut app = app();
    prefill_sim(&mut app, &server);
    enter_own_keys(&mut app, DEMO_ADMIN_PUBLIC_KEY, DEMO_ADMIN_PRIVATE_KEY);
    go_to(&mut app, StepId::ApiMember);
    type_into(&mut app, FieldId::MemberId, "S365X");
    assert_eq!(own_keys::member_identifier(&app), "S365X");
    check_step(&mut app).await;
    let text = audit_text(&app);
    assert!(text.contains("S365X"), "{text}");
    server.shutdown().await;
}

/// Under "I already have an API member" the first letter of the ID brings step 3's "Values to
/// type" box above the field: the focus stays in the field, so the whole ID is typed (it once
/// moved onto the new box, and the rest of the ID became keys). With and without own keys.
#[test]
fn typing_the_existing_members_id_keeps_the_focus_in_its_field() {
    for own in [false, true] {
        let mut app = app();
        app.member_plan = cwsetup::setup::step::MemberPlan::ExistingMember;
        if own {
            enter_own_keys(&mut app, DEMO_ADMIN_PUBLIC_KEY, DEMO_ADMIN_PRIVATE_KEY);
        }
        go_to(&mut app, StepId::ApiMember);
        assert!(!app.panes().contains(&Pane::Values), "no empty box");
        focus(&mut app, Pane::Field(FieldId::MemberId));
        for c in "AcmeApi7".chars() {
            key(&mut app, KeyCode::Char(c));
            assert_eq!(app.focused_pane(), Pane::Field(FieldId::MemberId));
        }
        assert!(app.panes().contains(&Pane::Values));
        assert_eq!(own_keys::member_identifier(&app), "AcmeApi7");
        // Erased, the box goes again and the focus still stays.
        key_ctrl_u(&mut app);
        assert!(!app.panes().contains(&Pane::Values));
        assert_eq!(app.focused_pane(), Pane::Field(FieldId::MemberId));
    }
}

fn key_ctrl_u(app: &mut App) {
    update(
        app,
        Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)),
    );
}

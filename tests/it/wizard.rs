//! The wizard, driven by synthetic key events through the same `update` path as real input, and
//! rendered on ratatui's TestBackend. Snapshots hold no secret: keys render as `•`.

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use cwsetup::check::{
    CheckEvent, CheckReport, Counts, PermissionResult, PermissionStatus, StageId, StageResult,
    StageStatus,
};
use cwsetup::profile;
use cwsetup::wizard::app::{App, FieldId, Overlay, Pane, Prefill, StepId};
use cwsetup::wizard::keymap::{self, BINDINGS, Context};
use cwsetup::wizard::update::{Effect, Msg, update};
use cwsetup::wizard::view;

use crate::common::wizard::{go_to, key, screen, settings};

const FAKE_PUBLIC: &str = "FakePublicKey001";
const FAKE_PRIVATE: &str = "FakePrivateKey01";

fn app_with(ids: &[&str]) -> App {
    let settings = settings(Duration::from_secs(10));
    let ids: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
    let mut app = App::new(settings, profile::builtin().to_vec(), &ids);
    app.size = (100, 30);
    app
}

/// The wizard with one selected vendor that ships no rows (Email reConnector with its rows
/// removed): how a vendor whose rows are published elsewhere looks.
fn rowless_app() -> App {
    let settings = settings(Duration::from_secs(10));
    let mut rowless = profile::find("visionary360-email-reconnector")
        .expect("shipped")
        .clone();
    rowless.id = "no-rows".into();
    rowless.role.rows.clear();
    rowless.role.notes = vec![
        "This vendor publishes its security role requirements on its own page: add them in this step."
            .to_string(),
    ];
    let mut profiles = profile::builtin().to_vec();
    profiles.push(rowless);
    let mut app = App::new(settings, profiles, &["no-rows".to_string()]);
    app.size = (100, 30);
    app
}

fn sync365_app() -> App {
    app_with(&["sync365"])
}

fn ctrl(app: &mut App, c: char) -> Vec<Effect> {
    update(
        app,
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)),
    )
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

pub(crate) fn passing_report() -> CheckReport {
    CheckReport {
        ok: true,
        verdict: cwsetup::check::Verdict::Pass,
        site: "na.myconnectwise.net".into(),
        company_id: "contoso".into(),
        client_id: "2b7e1516-28ae-4d2a-a6f7-15886309cf4f".into(),
        input_removed: vec![],
        api_base: Some("https://api-na.myconnectwise.net/v2025_1/apis/3.0/".into()),
        codebase: Some("v2025_1/".into()),
        version: Some("v2025.1".into()),
        is_cloud: Some(true),
        stages: StageId::ALL
            .iter()
            .map(|id| StageResult {
                id: *id,
                status: StageStatus::Pass,
                summary: format!("{} ok", id.id()),
                fix: None,
                parts: Vec::new(),
            })
            .collect(),
        permissions: vec![PermissionResult {
            tool: None,
            module: "Companies".into(),
            function: "Company Maintenance".into(),
            required: "Inquire All".into(),
            status: PermissionStatus::Pass,
            detail: "GET company/companies answered".into(),
        }],
        counts: Counts {
            companies: Some(42),
            agreements: Some(30),
            products: Some(50),
            catalog: Some(25),
        },
        warnings: vec![],
        beyond_needed: None,
        notes: vec![],
    }
}

fn fill_integration(app: &mut App) {
    app.prefill(Prefill {
        site: "na.myconnectwise.net".into(),
        company_id: "contoso".into(),
        client_id: "00000000-0000-4000-8000-000000000000".into(),
        public_key: Some(FAKE_PUBLIC.into()),
        private_key: Some(FAKE_PRIVATE.into()),
    });
}

/// Fills step 5, presses t, and feeds the engine's passing result through `update`.
fn pass_the_test(app: &mut App) {
    fill_integration(app);
    go_to(app, StepId::Integration);
    key(app, KeyCode::Char('t'));
    update(
        app,
        Msg::Check(CheckEvent::Done(Box::new(passing_report()))),
    );
}

#[test]
fn every_step_renders_as_a_snapshot() {
    let mut app = sync365_app();
    for step in StepId::ALL {
        go_to(&mut app, step);
        assert_eq!(app.step, step);
        insta::assert_snapshot!(
            format!("step_{:?}", step).to_lowercase(),
            screen(&app, 100, 30)
        );
    }
}

#[test]
fn enter_walks_forward_and_left_walks_back_keeping_state() {
    let mut app = sync365_app();
    key(&mut app, KeyCode::Tab); // where ConnectWise runs
    key(&mut app, KeyCode::Char(' ')); // North America
    key(&mut app, KeyCode::Tab); // the member plan
    key(&mut app, KeyCode::Tab); // the checklist
    key(&mut app, KeyCode::Char(' '));
    assert_eq!(app.ticked_count(StepId::Prerequisites).0, 1);
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.step, StepId::SecurityRole);
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.step, StepId::SecurityRole, "Esc never changes the step");
    key(&mut app, KeyCode::Left);
    assert_eq!(app.step, StepId::Prerequisites);
    assert_eq!(
        app.ticked_count(StepId::Prerequisites).0,
        1,
        "ticks are kept"
    );
}

#[test]
fn ticking_every_item_marks_the_step_done_in_the_sidebar() {
    let mut app = sync365_app();
    key(&mut app, KeyCode::Tab); // where ConnectWise runs
    key(&mut app, KeyCode::Char(' ')); // North America
    key(&mut app, KeyCode::Tab); // the member plan
    key(&mut app, KeyCode::Tab); // the checklist
    let (_, total) = app.ticked_count(StepId::Prerequisites);
    for _ in 0..total {
        key(&mut app, KeyCode::Char(' '));
    }
    assert!(app.step_done(StepId::Prerequisites));
    key(&mut app, KeyCode::Enter);
    let screen = screen(&app, 100, 30);
    assert!(screen.contains("✓ 1 Prerequisites"), "{screen}");
    assert!(screen.contains("▶ 2 Security role"), "{screen}");
}

#[test]
fn pasted_keys_are_masked_and_trimmed() {
    let mut app = sync365_app();
    go_to(&mut app, StepId::ApiKey);
    assert_eq!(
        app.context(),
        Context::Browse,
        "arriving never focuses a field"
    );
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.focused_pane(), Pane::Field(FieldId::PublicKey));
    update(&mut app, Msg::Paste(format!("  {FAKE_PUBLIC}\r\n")));
    assert_eq!(app.public_key.secret().expose(), FAKE_PUBLIC);
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.focused_pane(), Pane::Field(FieldId::PrivateKey));
    update(
        &mut app,
        Msg::Paste(format!("\u{a0}{FAKE_PRIVATE}\u{200b}")),
    );
    assert_eq!(app.private_key.secret().expose(), FAKE_PRIVATE);
    let screen = screen(&app, 100, 30);
    assert!(
        !screen.contains(FAKE_PUBLIC) && !screen.contains(FAKE_PRIVATE),
        "{screen}"
    );
    assert!(screen.contains("••••"), "{screen}");
    insta::assert_snapshot!("key_step_with_pasted_keys", screen);
}

#[test]
fn quitting_after_a_key_was_entered_asks_first() {
    let mut app = sync365_app();
    key(&mut app, KeyCode::Char('q'));
    assert!(app.should_quit, "nothing entered: q quits at once");

    let mut app = sync365_app();
    go_to(&mut app, StepId::ApiKey);
    key(&mut app, KeyCode::Tab); // the public key
    update(&mut app, Msg::Paste(FAKE_PUBLIC.into()));
    key(&mut app, KeyCode::Esc); // leave the field
    key(&mut app, KeyCode::Char('q'));
    assert!(!app.should_quit);
    insta::assert_snapshot!("confirm_quit", screen(&app, 100, 30));
    key(&mut app, KeyCode::Char('n'));
    assert!(!app.should_quit);
    key(&mut app, KeyCode::Char('q'));
    key(&mut app, KeyCode::Char('y'));
    assert!(app.should_quit);
}

#[test]
fn ctrl_c_quits_even_while_typing() {
    let mut app = sync365_app();
    go_to(&mut app, StepId::ApiKey);
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.context(), Context::Field);
    ctrl(&mut app, 'c');
    assert!(app.should_quit);
}

/// docs/keys.md: Ctrl-C "Quit at once, without asking". With keys entered, `q` asks; Ctrl-C does
/// not, from a field, from a step, or from the quit question itself.
#[test]
fn ctrl_c_never_asks_even_with_keys_entered() {
    for leave_field in [false, true] {
        let mut app = sync365_app();
        go_to(&mut app, StepId::ApiKey);
        key(&mut app, KeyCode::Tab); // the public key field
        update(&mut app, Msg::Paste(FAKE_PUBLIC.into()));
        assert!(app.keys_entered());
        if leave_field {
            key(&mut app, KeyCode::Esc);
        }
        ctrl(&mut app, 'c');
        assert!(app.should_quit, "leave_field: {leave_field}");
        assert!(app.overlay.is_none(), "no question: {leave_field}");
    }
    let mut app = sync365_app();
    go_to(&mut app, StepId::ApiKey);
    key(&mut app, KeyCode::Tab);
    update(&mut app, Msg::Paste(FAKE_PUBLIC.into()));
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('q'));
    assert!(!app.should_quit, "q asks first");
    ctrl(&mut app, 'c');
    assert!(app.should_quit, "Ctrl-C at the question quits");
}

/// Windows consoles report every key twice, pressed then released (crossterm's `kind`); the
/// release must do nothing, or each key would act twice there.
#[test]
fn a_key_release_does_nothing_so_windows_keys_act_once() {
    use crossterm::event::{KeyEventKind, KeyEventState};
    let press_and_release = |app: &mut App, code: KeyCode| {
        for kind in [KeyEventKind::Press, KeyEventKind::Release] {
            let event = KeyEvent {
                code,
                modifiers: KeyModifiers::NONE,
                kind,
                state: KeyEventState::NONE,
            };
            update(app, Msg::Key(event));
        }
    };
    let mut app = sync365_app();
    press_and_release(&mut app, KeyCode::Enter);
    assert_eq!(app.step, StepId::SecurityRole, "Enter moved one step");
    go_to(&mut app, StepId::Integration);
    key(&mut app, KeyCode::Tab); // site field
    for c in "ab".chars() {
        press_and_release(&mut app, KeyCode::Char(c));
    }
    assert_eq!(app.site.value(), "ab", "each letter typed once");
}

#[test]
fn letters_type_into_fields_instead_of_triggering_keys() {
    let mut app = sync365_app();
    go_to(&mut app, StepId::Integration);
    key(&mut app, KeyCode::Tab); // site field
    assert_eq!(app.focused_pane(), Pane::Field(FieldId::Site));
    type_text(&mut app, "qcjk?t");
    assert_eq!(app.site.value(), "qcjk?t");
    assert!(!app.should_quit && app.overlay.is_none());
}

#[test]
fn the_help_overlay_lists_every_binding() {
    let mut app = sync365_app();
    key(&mut app, KeyCode::Char('?'));
    let screen = screen(&app, 100, 50);
    for b in BINDINGS
        .iter()
        .filter(|b| b.contexts.contains(&Context::Browse))
    {
        assert!(
            screen.contains(b.help),
            "help overlay misses {:?}\n{screen}",
            b.help
        );
    }
    key(&mut app, KeyCode::Esc);
    assert!(app.overlay.is_none());
}

/// The footer shows only keys that do what it says: dispatching each footer key yields the
/// action of the binding the footer took its text from.
#[test]
fn footer_keys_dispatch_to_what_the_footer_says() {
    let mut app = sync365_app();
    let mut checked = 0;
    for step in StepId::ALL {
        go_to(&mut app, step);
        for _ in 0..app.panes().len() {
            let context = app.context();
            let situation = app.situation();
            for binding in keymap::active(context, &situation) {
                for k in binding.keys {
                    let event = KeyEvent::new(k.code, k.mods);
                    let action = keymap::dispatch(&event, context, &situation);
                    let shadowed_by_same_label = action != Some(binding.action)
                        && keymap::active(context, &situation)
                            .take_while(|b| !std::ptr::eq(*b, binding))
                            .any(|b| b.keys.iter().any(|e| e.code == k.code && e.mods == k.mods));
                    assert!(
                        action == Some(binding.action) || shadowed_by_same_label,
                        "{:?} in {context:?} on {step:?}",
                        binding.label
                    );
                    checked += 1;
                }
            }
            let footer = keymap::footer(context, &situation);
            let shown: Vec<&str> = footer.iter().map(|(k, _)| *k).collect();
            for (keys, _) in &footer {
                assert!(
                    keymap::active(context, &situation).any(|b| b.label == *keys),
                    "footer shows {keys} which is not active ({shown:?})"
                );
            }
            key(&mut app, KeyCode::Tab);
        }
    }
    assert!(checked > 50, "only {checked} bindings checked");
}

#[test]
fn readme_key_table_matches_the_bindings() {
    // The key table moved from README to docs/keys.md (README links to it).
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/keys.md"))
        .expect("docs/keys.md");
    let table = cwsetup::wizard::keymap::markdown_table();
    let begin = "<!-- keys:begin -->\n";
    let start = readme
        .find(begin)
        .expect("docs/keys.md has <!-- keys:begin -->")
        + begin.len();
    let end = readme
        .find("<!-- keys:end -->")
        .expect("docs/keys.md has <!-- keys:end -->");
    if readme[start..end] != table {
        // Regenerate with: CWSETUP_WRITE_README=1 cargo test --test it wizard::readme
        if std::env::var_os("CWSETUP_WRITE_README").is_some() {
            let fixed = format!("{}{table}{}", &readme[..start], &readme[end..]);
            std::fs::write(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/keys.md"), fixed)
                .expect("write docs/keys.md");
        } else {
            panic!("docs/keys.md's key table is out of date; it should be:\n{table}");
        }
    }
}

#[test]
fn a_passing_test_shows_the_portal_values_in_order() {
    let mut app = sync365_app();
    fill_integration(&mut app);
    go_to(&mut app, StepId::Integration);
    let effects = key(&mut app, KeyCode::Char('t'));
    assert_eq!(effects, vec![Effect::StartCheck]);
    assert!(app.check.running);
    update(&mut app, Msg::Check(CheckEvent::Started(StageId::Connect)));
    insta::assert_snapshot!("integration_running", screen(&app, 100, 30));
    update(
        &mut app,
        Msg::Check(CheckEvent::Done(Box::new(passing_report()))),
    );
    assert!(app.check.passed());
    let screen = screen(&app, 100, 30);
    assert!(!screen.contains(FAKE_PRIVATE), "{screen}");
    insta::assert_snapshot!("integration_passed", screen);
    assert!(app.panes().contains(&Pane::Portal));
}

#[test]
fn a_failing_stage_shows_its_fix_and_marks_the_step_failed() {
    let mut app = sync365_app();
    fill_integration(&mut app);
    go_to(&mut app, StepId::Integration);
    key(&mut app, KeyCode::Char('t'));
    let mut report = passing_report();
    report.ok = false;
    report.stages[3] = StageResult {
        id: StageId::Auth,
        status: StageStatus::Fail,
        summary: "ConnectWise refused the keys (401 UserNotAuthenticated)".into(),
        fix: Some("Paste both keys again; check they are not swapped.".into()),
        parts: Vec::new(),
    };
    for stage in report.stages.iter_mut().skip(4) {
        stage.status = StageStatus::Skip;
        stage.summary = "skipped: auth failed".into();
    }
    update(&mut app, Msg::Check(CheckEvent::Done(Box::new(report))));
    assert!(app.check.failed());
    let screen = screen(&app, 100, 30);
    assert!(screen.contains("✗ 5 Integration"), "{screen}");
    assert!(screen.contains("Fix: Paste both keys again"), "{screen}");
    insta::assert_snapshot!("integration_failed", screen);
}

#[test]
fn changing_a_field_marks_results_stale() {
    let mut app = sync365_app();
    pass_the_test(&mut app);
    assert!(app.check.passed());
    key(&mut app, KeyCode::Tab); // back around to the region list
    while app.focused_pane() != Pane::Field(FieldId::CompanyId) {
        key(&mut app, KeyCode::Tab);
    }
    type_text(&mut app, "x");
    assert!(app.check.stale);
    assert!(!app.check.passed());
    assert!(screen(&app, 100, 30).contains("stale"));
}

#[test]
fn esc_cancels_a_running_test() {
    let mut app = sync365_app();
    fill_integration(&mut app);
    go_to(&mut app, StepId::Integration);
    key(&mut app, KeyCode::Char('t'));
    assert_eq!(key(&mut app, KeyCode::Esc), vec![Effect::CancelCheck]);
    assert!(!app.check.running);
    assert_eq!(
        app.step,
        StepId::Integration,
        "Esc cancelled, it did not go back"
    );
    // A late event from the cancelled run changes nothing.
    update(
        &mut app,
        Msg::Check(CheckEvent::Done(Box::new(passing_report()))),
    );
    assert!(app.check.report.is_none());
}

#[test]
fn clear_keys_wipes_both_keys() {
    let mut app = sync365_app();
    fill_integration(&mut app);
    go_to(&mut app, StepId::Summary);
    assert!(app.keys_entered());
    let effects = key(&mut app, KeyCode::Char('x'));
    assert!(effects.contains(&Effect::KeysCleared));
    assert!(app.public_key.secret().is_empty() && app.private_key.secret().is_empty());
}

#[test]
fn the_region_picker_fills_the_site() {
    let mut app = sync365_app();
    go_to(&mut app, StepId::Integration);
    assert_eq!(app.focused_pane(), Pane::Region);
    key(&mut app, KeyCode::Down); // Europe
    key(&mut app, KeyCode::Char(' '));
    assert_eq!(app.site.value(), "eu.myconnectwise.net");
}

#[test]
fn a_vendor_without_rows_can_add_edit_and_delete_rows() {
    let mut app = rowless_app();
    go_to(&mut app, StepId::SecurityRole);
    insta::assert_snapshot!("role_step_without_rows", screen(&app, 100, 30));
    key(&mut app, KeyCode::Char('a'));
    type_text(&mut app, "Companies");
    key(&mut app, KeyCode::Tab);
    type_text(&mut app, "Company Maintenance");
    key(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none(), "saved");
    let rows = &app.content(StepId::SecurityRole).role_rows;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].function, "Company Maintenance");
    // Edit: raise Add to My.
    while app.focused_pane() != Pane::RoleTable {
        key(&mut app, KeyCode::Tab);
    }
    key(&mut app, KeyCode::Char('e'));
    for _ in 0..2 {
        key(&mut app, KeyCode::Tab);
    }
    key(&mut app, KeyCode::Char(' '));
    key(&mut app, KeyCode::Enter);
    let rows = &app.content(StepId::SecurityRole).role_rows;
    assert_eq!(rows[0].levels.add, profile::Level::My);
    assert_eq!(
        key(&mut app, KeyCode::Char('s')),
        vec![Effect::SaveProfile(
            app.primary_profile_index().expect("selected")
        )]
    );
    key(&mut app, KeyCode::Char('d'));
    assert!(app.content(StepId::SecurityRole).role_rows.is_empty());
}

#[test]
fn the_row_editor_takes_space_j_and_k_as_text_and_cycles_levels_with_space() {
    let mut app = app_with(&["visionary360-email-reconnector"]);
    go_to(&mut app, StepId::SecurityRole);
    key(&mut app, KeyCode::Char('a'));
    type_text(&mut app, "Project jk");
    key(&mut app, KeyCode::Down); // Function
    type_text(&mut app, "Make Tickets");
    let Some(Overlay::Editor(editor)) = &app.overlay else {
        panic!("the editor is open")
    };
    assert_eq!(editor.module.value(), "Project jk");
    assert_eq!(editor.function.value(), "Make Tickets");
    key(&mut app, KeyCode::Down); // Add
    key(&mut app, KeyCode::Char(' '));
    let Some(Overlay::Editor(editor)) = &app.overlay else {
        panic!("the editor is open")
    };
    assert_eq!(
        editor.levels.add,
        profile::Level::My,
        "Space cycles a level"
    );
}

#[test]
fn the_row_editor_refuses_an_incomplete_row() {
    let mut app = app_with(&["visionary360-email-reconnector"]);
    go_to(&mut app, StepId::SecurityRole);
    key(&mut app, KeyCode::Char('a'));
    key(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_some(), "still open");
    let screen = screen(&app, 100, 30);
    assert!(
        screen.contains("type the Module and the Function"),
        "{screen}"
    );
}

#[test]
fn merged_profiles_show_one_role_with_both_vendors() {
    let mut app = app_with(&["sync365", "visionary360-email-reconnector"]);
    go_to(&mut app, StepId::ApiKey);
    let content = app.content(StepId::ApiKey);
    assert!(content.values.iter().any(|v| v.label.contains("Sync 365")));
    assert!(content.values.iter().any(|v| v.label.contains("Visionary")));
}

#[test]
fn a_small_terminal_gets_a_message_not_a_broken_layout() {
    let app = sync365_app();
    for (w, h) in [(69, 30), (100, 19), (60, 20)] {
        let screen = screen(&app, w, h);
        assert!(
            screen.contains(&format!(
                "Make the window at least 70x20: it is {w}x{h} now"
            )),
            "{screen}"
        );
    }
    let screen = screen(&app, 70, 20);
    assert!(!screen.contains("Make the window"), "{screen}");
    // Never a panic, at any size.
    for (w, h) in [(1, 1), (2, 1), (1, 5), (60, 18), (61, 19), (250, 80)] {
        screen_at(&app, w, h);
    }
}

/// Issue 25: a window made too small and then larger again loses nothing typed.
#[test]
fn a_window_too_small_then_larger_again_keeps_what_was_typed() {
    let mut app = sync365_app();
    go_to(&mut app, StepId::Integration);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    assert!(matches!(app.focused_pane(), Pane::Field(_)));
    let field = app.focused_pane();
    type_text(&mut app, "contoso");
    update(&mut app, Msg::Resize(60, 20));
    let small = screen(&app, 60, 20);
    assert!(small.contains("Make the window at least 70x20"), "{small}");
    update(&mut app, Msg::Resize(100, 30));
    assert_eq!(app.focused_pane(), field);
    let Pane::Field(id) = field else {
        unreachable!()
    };
    assert!(
        app.field(id)
            .is_some_and(|f| f.value().ends_with("contoso"))
    );
    let back = screen(&app, 100, 30);
    assert!(back.contains("contoso"), "{back}");
}

fn screen_at(app: &App, w: u16, h: u16) -> String {
    screen(app, w, h)
}

#[test]
fn clicking_a_step_in_the_sidebar_opens_it() {
    let mut app = sync365_app();
    let _ = screen(&app, 100, 30);
    // Sidebar rows start under its top border (row 1 is the header line, row 2 the border).
    let click = |row| {
        Msg::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: 3,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    update(&mut app, click(2 + 3));
    assert_eq!(app.step, StepId::ApiKey);
    update(&mut app, click(2));
    assert_eq!(app.step, StepId::Prerequisites);
}

#[test]
fn no_color_keeps_focus_visible() {
    let app = sync365_app();
    let screen = screen(&app, 100, 30);
    assert!(
        screen.contains("▸ Vendor integrations"),
        "focused pane is marked: {screen}"
    );
    assert!(screen.contains('›'), "focused row is marked: {screen}");
}

/// The wizard in one of the states a size bug could hide in: each step, with and without test
/// results, an overlay, and both profiles merged.
fn app_in_state(step: usize, variant: usize) -> App {
    let mut app = if variant % 3 == 2 {
        app_with(&["sync365", "visionary360-email-reconnector"])
    } else {
        sync365_app()
    };
    if variant % 3 >= 1 {
        pass_the_test(&mut app);
    }
    go_to(&mut app, StepId::ALL[step % StepId::ALL.len()]);
    if variant % 2 == 1 {
        key(&mut app, KeyCode::Char('?'));
    }
    app
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(384))]
    #[test]
    fn rendering_never_panics_at_any_size_from_1x1_to_250x80(
        width in 1u16..=250,
        height in 1u16..=80,
        step in 0usize..6,
        variant in 0usize..6,
    ) {
        let mut app = app_in_state(step, variant);
        app.size = (width, height);
        screen(&app, width, height);
        // A click anywhere lands somewhere or nowhere, never in a panic.
        for (column, row) in [(0, 0), (width / 2, height / 2), (width - 1, height - 1)] {
            view::hit_test(&app, column, row);
        }
    }
}

#[test]
fn the_smallest_and_largest_sizes_render_in_every_state() {
    for step in 0..6 {
        for variant in 0..6 {
            let app = app_in_state(step, variant);
            for (width, height) in [(1, 1), (59, 17), (60, 18), (250, 80), (1, 80), (250, 1)] {
                screen(&app, width, height);
            }
        }
    }
}

#[test]
fn the_help_marks_the_keys_that_work_here_and_scrolls_on_a_short_terminal() {
    let mut app = sync365_app();
    app.size = (100, 24);
    key(&mut app, KeyCode::Char('?'));
    let top = screen(&app, 100, 24);
    assert!(top.contains("● Enter/→"), "{top}");
    assert!(top.contains("↓"), "a cut help says there is more:\n{top}");
    for _ in 0..60 {
        key(&mut app, KeyCode::Char('j'));
    }
    let bottom = screen(&app, 100, 24);
    assert!(
        bottom.contains("Close the row editor without saving"),
        "the last group is reachable:\n{bottom}"
    );
    assert!(
        bottom.contains("↑/k"),
        "the footer shows how to scroll back"
    );
    // Scrolling stops at the end, so one k moves back at once.
    key(&mut app, KeyCode::Char('k'));
    assert_ne!(
        screen(&app, 100, 24),
        bottom,
        "k scrolls back up right away"
    );
}

#[test]
fn at_80x24_the_sidebar_narrows_and_the_role_table_keeps_every_column() {
    let mut app = sync365_app();
    app.size = (80, 24);
    go_to(&mut app, StepId::SecurityRole);
    let screen = screen(&app, 80, 24);
    assert!(screen.contains("Add   Edit  Del   Inq"), "{screen}");
    assert!(
        screen.contains("Company Maintenance     —     —     —    All"),
        "{screen}"
    );
    assert!(
        screen.contains("›▶ 2  │"),
        "numbers-only sidebar:\n{screen}"
    );
    insta::assert_snapshot!("role_step_at_80x24", screen);
}

#[test]
fn hostile_server_text_is_sanitized_before_the_wizard_holds_or_draws_it() {
    const HOSTILE: &str =
        "\u{1b}]0;pwned\u{7}\u{1b}[2J\u{1b}]52;c;ZXZpbA==\u{7}\u{9b}31m\u{202e}txt.exe\u{2066}";
    let is_unsafe =
        |c: char| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    let mut app = sync365_app();
    fill_integration(&mut app);
    go_to(&mut app, StepId::Integration);
    key(&mut app, KeyCode::Char('t'));
    let mut report = passing_report();
    report.version = Some(format!("v2025.1{HOSTILE}"));
    report.stages[3].summary = format!("keys accepted; ConnectWise v2025.1{HOSTILE}");
    report.permissions[0].detail = format!("answered{HOSTILE}");
    report.warnings = vec![format!("agreement types seen: Managed{HOSTILE}").into()];
    update(&mut app, Msg::Check(CheckEvent::Started(StageId::Auth)));
    update(&mut app, Msg::Check(CheckEvent::Done(Box::new(report))));
    let held = format!("{:?}", app.check.report);
    let held_report = app.check.report.as_ref().expect("report");
    let texts = std::iter::once(held_report.version.clone().unwrap_or_default())
        .chain(held_report.stages.iter().map(|s| s.summary.clone()))
        .chain(held_report.permissions.iter().map(|p| p.detail.clone()))
        .chain(held_report.warnings.iter().map(|w| w.text.clone()));
    for text in texts {
        assert!(
            !text.chars().any(is_unsafe),
            "the wizard holds {text:?} ({held})"
        );
    }
    assert!(
        held_report
            .version
            .as_deref()
            .is_some_and(|v| v.contains("\u{fffd}]0;pwned")),
        "{held}"
    );
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("test backend");
    terminal
        .draw(|frame| view::render(&app, frame.area(), frame.buffer_mut()))
        .expect("draw");
    for cell in terminal.backend().buffer().content() {
        assert!(
            !cell.symbol().chars().any(is_unsafe),
            "a cell holds {:?}",
            cell.symbol()
        );
    }
}

#[test]
fn a_pass_with_warnings_shows_warning_signs_not_ticks_and_warnings_apart_from_notes() {
    let mut app = sync365_app();
    fill_integration(&mut app);
    go_to(&mut app, StepId::Integration);
    key(&mut app, KeyCode::Char('t'));
    let mut report = passing_report();
    report.verdict = cwsetup::check::Verdict::Warn;
    report.stages[5].status = StageStatus::Warn;
    report.warnings = vec![
        "2 agreements have a parent agreement this member cannot see".into(),
        "1 row can be checked only by hand".into(),
    ];
    report.notes = vec!["agreement types seen: Microsoft 365".into()];
    update(&mut app, Msg::Check(CheckEvent::Done(Box::new(report))));
    assert!(app.check.passed() && app.check.warned());
    let screen = screen(&app, 160, 45);
    assert!(screen.contains("⚠ 5 Integration"), "{screen}");
    assert!(!screen.contains("✓ 5 Integration"), "{screen}");
    assert!(screen.contains("Test ⚠ passed with 2 warnings"), "{screen}");
    assert!(
        screen
            .contains("passed with 2 warnings: read them before you type the values in the portal"),
        "{screen}"
    );
    assert!(screen.contains("2 warnings: act on each"), "{screen}");
    // What does not fit is announced, not silently cut.
    assert!(
        screen.contains("note: agreement types seen") || screen.contains("▼ "),
        "{screen}"
    );

    // A plain pass keeps its tick.
    let mut app = sync365_app();
    pass_the_test(&mut app);
    let shown = screen_at(&app, 160, 45);
    assert!(shown.contains("✓ 5 Integration"), "{shown}");
    assert!(!app.check.warned());
}

#[test]
fn a_message_clears_when_it_no_longer_applies() {
    let mut app = sync365_app();
    // Unselect the only profile: the warning shows.
    let i = app.selected.iter().position(|s| *s).expect("one selected");
    for _ in 0..i {
        key(&mut app, KeyCode::Down);
    }
    key(&mut app, KeyCode::Char(' '));
    assert!(screen(&app, 100, 30).contains("select at least one vendor profile"));
    // Select it again: the warning is gone at once, not steps later.
    key(&mut app, KeyCode::Char(' '));
    let shown = screen(&app, 100, 30);
    assert!(!shown.contains("select at least one"), "{shown}");
}

#[test]
fn a_long_message_and_the_clipboard_countdown_never_share_a_sentence() {
    let mut app = sync365_app();
    app.set_status(
        cwsetup::wizard::app::Tone::Good,
        "[Sync 365] Private Key sent to your terminal's clipboard; if nothing pastes, your terminal blocks this",
    );
    app.clipboard_countdown = Some(("[Sync 365] Private Key".into(), 30));
    let shown = screen(&app, 80, 24);
    let lines: Vec<&str> = shown.lines().collect();
    let countdown = lines
        .iter()
        .position(|l| l.contains("clears in 30 s"))
        .expect("countdown shown");
    assert!(
        !lines[countdown].contains("pastes") && !lines[countdown].contains("blocks"),
        "the countdown has its own row:\n{shown}"
    );
    assert!(
        shown.contains("blocks this"),
        "the message is whole:\n{shown}"
    );
}

/// The copy value labelled `label` on `step`, as text.
fn copy_value(app: &App, step: StepId, label: &str) -> Option<String> {
    let content = app.content(step);
    content
        .values
        .iter()
        .chain(content.portal.iter())
        .find(|v| v.label == label)
        .and_then(|v| match &v.value {
            cwsetup::setup::content::ValueSource::Text(t) => Some(t.clone()),
            cwsetup::setup::content::ValueSource::Field(_) => None,
        })
}

#[test]
fn sync365_on_na_gets_the_api_host_before_and_after_the_test_and_in_check_output() {
    const API_HOST: &str = "api-na.myconnectwise.net";
    let mut app = sync365_app();
    fill_integration(&mut app);
    // Before the test: Summary and the Integration step's portal values.
    assert_eq!(
        copy_value(&app, StepId::Summary, "ConnectWise URL").as_deref(),
        Some(API_HOST)
    );
    pass_the_test(&mut app);
    assert_eq!(
        copy_value(&app, StepId::Integration, "ConnectWise URL").as_deref(),
        Some(API_HOST)
    );
    assert_eq!(
        copy_value(&app, StepId::Summary, "ConnectWise URL").as_deref(),
        Some(API_HOST)
    );
    // The vendor's own instruction beside it names the same host for North America.
    let summary = app.content(StepId::Summary);
    assert!(
        summary
            .checklist
            .iter()
            .any(|s| s.contains(&format!("{API_HOST} (North America)"))),
        "{:?}",
        summary.checklist
    );
    go_to(&mut app, StepId::Summary);
    let screen = screen(&app, 100, 30);
    assert!(screen.contains(API_HOST), "{screen}");
    // `cwsetup check`'s lines and the report, from the same report.
    let report = passing_report();
    let sync365 = profile::find("sync365").expect("sync365 ships");
    let lines = cwsetup::check::portal_values(&report, &[sync365]);
    assert!(
        lines.contains(&format!("ConnectWise URL  {API_HOST}")),
        "{lines}"
    );
    let md = cwsetup::check::markdown(&report, &[sync365], "Fake…");
    assert!(
        md.contains(&format!("| ConnectWise URL | {API_HOST} |")),
        "{md}"
    );
}

#[test]
fn the_help_explains_every_symbol_and_no_internal_name_shows() {
    let mut app = sync365_app();
    key(&mut app, KeyCode::Char('?'));
    let shown = screen(&app, 100, 40);
    for symbol in ["✓", "✗", "⚠", "·", "›"] {
        assert!(
            view::SYMBOLS.iter().any(|(s, _)| s.contains(symbol)),
            "no legend for {symbol}"
        );
    }
    assert!(shown.contains("Symbols"), "{shown}");
    key(&mut app, KeyCode::Esc);
    for id in ["sync365", "guardz", "lastpass"] {
        let mut app = app_with(&[id]);
        for step in StepId::ALL {
            go_to(&mut app, step);
            let content = format!("{:?}", app.content(step));
            for internal in ["docs_url", "source_url", "member_id", "ip_allow_list"] {
                assert!(
                    !content.contains(internal),
                    "{id} {step:?} shows {internal}"
                );
            }
        }
    }
}

#[test]
fn portal_values_never_wrap_mid_token() {
    let mut app = app_with(&["sync365", "visionary360-email-reconnector"]);
    app.prefill(Prefill {
        site: "http://127.0.0.1:40853".into(),
        company_id: "contoso".into(),
        client_id: String::new(),
        public_key: Some(FAKE_PUBLIC.into()),
        private_key: Some(FAKE_PRIVATE.into()),
    });
    go_to(&mut app, StepId::Summary);
    for (width, height) in [(70, 40), (80, 40), (100, 40)] {
        let screen = screen(&app, width, height);
        assert!(screen.contains("127.0.0.1:40853"), "{width}: {screen}");
    }
}

/// The cases issue 14 names, each as one wizard set up as a new user would.
fn plan_cases() -> Vec<(&'static str, App)> {
    use cwsetup::wizard::app::{Hosting, MemberPlan};
    let two = ["sync365", "visionary360-email-reconnector"];
    let mut cases = Vec::new();
    let mut one = sync365_app();
    fill_integration(&mut one);
    cases.push(("one_tool", one));
    for (name, plan) in [
        ("two_tools_one_member", MemberPlan::OneMemberKeyPerTool),
        ("two_tools_shared_key", MemberPlan::OneMemberSharedKey),
        ("two_tools_member_per_tool", MemberPlan::MemberPerTool),
        ("two_tools_existing_member", MemberPlan::ExistingMember),
    ] {
        let mut app = app_with(&two);
        fill_integration(&mut app);
        app.member_plan = plan;
        cases.push((name, app));
    }
    let mut existing = sync365_app();
    fill_integration(&mut existing);
    existing.member_plan = MemberPlan::ExistingMember;
    cases.push(("existing_member", existing));
    let mut cloud = sync365_app();
    cloud.choose_hosting(Hosting::Cloud(cwsetup::cw::site::Region::Eu));
    cases.push(("cloud_eu", cloud));
    let mut server = sync365_app();
    server.choose_hosting(Hosting::SelfHosted);
    server.site.set("cw.example.com:8443");
    cases.push(("self_hosted", server));
    cases
}

#[test]
fn each_plan_and_hosting_renders_every_step_as_a_snapshot() {
    for (name, mut app) in plan_cases() {
        for step in StepId::ALL {
            go_to(&mut app, step);
            insta::assert_snapshot!(
                format!("plan_{name}_{:?}", step).to_lowercase(),
                screen(&app, 100, 40)
            );
        }
    }
}

/// The text after `marker` up to the first space, quote or full stop.
fn named_after<'a>(text: &'a str, marker: &str) -> Vec<&'a str> {
    text.match_indices(marker)
        .map(|(i, _)| {
            let rest = &text[i + marker.len()..];
            let end = rest.find([' ', '"', '.', ',']).unwrap_or(rest.len());
            &rest[..end]
        })
        .collect()
}

#[test]
fn no_step_names_a_member_role_or_host_other_than_the_one_shown_to_copy() {
    for (name, app) in plan_cases() {
        let member_ids: Vec<String> = app
            .content(StepId::ApiMember)
            .values
            .iter()
            .filter(|v| v.label.ends_with("Member ID"))
            .filter_map(|v| match &v.value {
                cwsetup::setup::content::ValueSource::Text(t) => Some(t.clone()),
                _ => None,
            })
            .collect();
        for step in StepId::ALL {
            let content = app.content(step);
            let shown: Vec<String> = content
                .values
                .iter()
                .chain(content.portal.iter())
                .filter_map(|v| match &v.value {
                    cwsetup::setup::content::ValueSource::Text(t) => Some(t.clone()),
                    _ => None,
                })
                .collect();
            let text = content.checklist.join("\n");
            // Role ID: "X" names the role shown to copy on this screen.
            for item in &content.checklist {
                if let Some(start) = item.find("Role ID: \"") {
                    let rest = &item[start + 10..];
                    let role = &rest[..rest.find('"').unwrap_or(rest.len())];
                    assert!(
                        shown.iter().any(|s| s == role),
                        "{name} {step:?}: role {role:?} is not among {shown:?}"
                    );
                }
            }
            // Member ID: X on the member step names the member shown to copy.
            for id in named_after(&text, "Member ID: ") {
                assert!(
                    shown.iter().any(|s| s == id),
                    "{name} {step:?}: member {id:?} is not among {shown:?}"
                );
            }
            // "On the X API member" names a member this plan creates (or the existing one).
            for id in named_after(&text, "the ") {
                let after = &text[text.find(&format!("the {id} ")).unwrap_or(0)..];
                let names_member = after.starts_with(&format!("the {id} API member"))
                    || after.starts_with(&format!("the {id} member"));
                let looks_like_id = id.len() >= 3
                    && id != "API"
                    && id
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
                if names_member && looks_like_id {
                    assert!(
                        member_ids.iter().any(|m| m == id),
                        "{name} {step:?}: member {id:?} is not among {member_ids:?}"
                    );
                }
            }
        }
        // The host to copy for Sync 365 is the one its own instruction gives for the region.
        let summary = app.content(StepId::Summary);
        if let Some(url) = summary
            .values
            .iter()
            .find(|v| v.label.ends_with("ConnectWise URL"))
            && let cwsetup::setup::content::ValueSource::Text(host) = &url.value
            && host.ends_with(".myconnectwise.net")
        {
            assert!(
                summary.checklist.iter().any(|s| s.contains(host.as_str())),
                "{name}: {host} is not in the vendor's own instruction"
            );
        }
    }
}

#[test]
fn number_keys_jump_and_the_first_tab_on_the_key_step_goes_to_the_public_key() {
    let mut app = sync365_app();
    key(&mut app, KeyCode::Char('4'));
    assert_eq!(app.step, StepId::ApiKey);
    assert_eq!(app.context(), Context::Browse);
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.focused_pane(), Pane::Field(FieldId::PublicKey));
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.step, StepId::ApiKey, "Esc never changes the step");
    key(&mut app, KeyCode::Char('6'));
    assert_eq!(app.step, StepId::Summary);
    key(&mut app, KeyCode::Left);
    assert_eq!(app.step, StepId::Integration);
    assert_eq!(app.context(), Context::Browse);
}

#[test]
fn ticks_count_what_the_plan_asks_for() {
    use cwsetup::wizard::app::MemberPlan;
    let mut app = app_with(&["sync365", "visionary360-email-reconnector"]);
    app.member_plan = MemberPlan::OneMemberSharedKey;
    let shared = app.ticked_count(StepId::ApiKey).1;
    app.member_plan = MemberPlan::MemberPerTool;
    let per_tool = app.ticked_count(StepId::ApiKey).1;
    assert!(shared < per_tool, "{shared} vs {per_tool}");
    app.member_plan = MemberPlan::ExistingMember;
    let content = app.content(StepId::ApiMember);
    assert!(
        content.values.is_empty(),
        "no member to create: {content:?}"
    );
}

#[test]
fn the_plan_is_chosen_on_step_1_and_h_copies_the_handoff() {
    use cwsetup::wizard::app::MemberPlan;
    let mut app = app_with(&["sync365", "visionary360-email-reconnector"]);
    assert!(app.panes().contains(&Pane::Plan));
    while app.focused_pane() != Pane::Plan {
        key(&mut app, KeyCode::Tab);
    }
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Char(' '));
    assert_eq!(app.plan(), MemberPlan::MemberPerTool);
    let effects = key(&mut app, KeyCode::Char('h'));
    let [Effect::Copy(copy)] = effects.as_slice() else {
        panic!("{effects:?}");
    };
    let cwsetup::setup::content::ValueSource::Text(md) = &copy.value else {
        panic!("the handoff is text");
    };
    assert!(md.contains("`S365`") && md.contains("`V360API`"), "{md}");
    assert!(!md.to_lowercase().contains("cwsetup"), "{md}");
}

#[test]
fn nothing_is_preselected_and_staging_needs_its_flag() {
    let app = sync365_app();
    assert_eq!(app.hosting(), None);
    let screen = screen(&app, 100, 30);
    assert!(
        !screen
            .lines()
            .any(|l| l.contains("(•)") && (l.contains("cloud") || l.contains("Self-hosted"))),
        "{screen}"
    );
    assert!(!screen.contains("Staging"), "{screen}");
    let mut app = sync365_app();
    app.settings.show_staging = true;
    assert!(
        app.hosting_options()
            .contains(&cwsetup::wizard::app::Hosting::Cloud(
                cwsetup::cw::site::Region::Staging
            ))
    );
}

fn profile_index(app: &App, id: &str) -> usize {
    app.profiles
        .iter()
        .position(|p| p.id == id)
        .unwrap_or_else(|| panic!("no profile {id}"))
}

fn selected_ids(app: &App) -> Vec<String> {
    app.selected_profiles()
        .iter()
        .map(|p| p.id.clone())
        .collect()
}

/// The rows of step 1's vendor list as drawn: the lines holding "[x]" or "[ ]".
fn vendor_rows(screen: &str) -> Vec<String> {
    screen
        .lines()
        .filter(|l| l.contains("[x] ") || l.contains("[ ] "))
        .filter(|l| l.contains('(') && !l.contains("( ) ") && !l.contains("(•)"))
        .map(str::to_string)
        .collect()
}

#[test]
fn slash_filters_the_vendor_list_and_space_selects_the_focused_match() {
    let mut app = sync365_app();
    assert_eq!(app.profiles.len(), 34);
    assert_eq!(app.context(), Context::Browse, "arriving focuses no field");
    key(&mut app, KeyCode::Char('/'));
    assert_eq!(
        app.context(),
        Context::Field,
        "/ starts typing in the filter"
    );
    // Letters are text in the filter: "datto" holds d (delete row), o (open link), t (test).
    for c in "datto".chars() {
        assert!(key(&mut app, KeyCode::Char(c)).is_empty(), "{c} is text");
    }
    assert_eq!(app.vendor_filter.text, "datto");
    assert_eq!(app.list_len(Pane::Profiles), 2);
    let shown = screen(&app, 100, 30);
    assert!(
        shown.contains("filter: datto▏ · 2 of 34 match"),
        "the title shows the filter and the count:\n{shown}"
    );
    let rows = vendor_rows(&shown);
    assert_eq!(rows.len(), 2, "only the matches are listed:\n{shown}");
    assert!(rows[0].contains("Datto RMM") && rows[0].contains("(datto-rmm)"));
    assert!(rows[1].contains("Datto Continuity") && rows[1].contains("(datto-continuity)"));
    let footer = keymap::footer(app.context(), &app.situation());
    assert!(
        footer.contains(&("Enter", "done")) && footer.contains(&("Esc", "clear filter")),
        "{footer:?}"
    );
    assert!(
        !footer
            .iter()
            .any(|(_, what)| *what == "next" || *what == "leave field"),
        "keys the filter takes are not offered for what they no longer do: {footer:?}"
    );

    // Space selects the focused match; ↓ moves among the matches.
    key(&mut app, KeyCode::Char(' '));
    assert_eq!(selected_ids(&app), ["sync365", "datto-rmm"]);
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Char(' '));
    assert_eq!(
        selected_ids(&app),
        ["sync365", "datto-rmm", "datto-continuity"]
    );
    assert_eq!(app.vendor_filter.text, "datto", "Space did not type");
    key(&mut app, KeyCode::Char(' '));
    assert_eq!(
        selected_ids(&app),
        ["sync365", "datto-rmm"],
        "Space unselects"
    );
    key(&mut app, KeyCode::Char(' '));

    // Esc clears the filter: every row again, the selection of hidden rows kept, the cursor
    // still on the vendor it was on, and the step unchanged.
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.context(), Context::Browse);
    assert_eq!(app.step, StepId::Prerequisites);
    assert!(app.vendor_filter.text.is_empty());
    assert_eq!(app.list_len(Pane::Profiles), 34);
    assert_eq!(
        selected_ids(&app),
        ["sync365", "datto-rmm", "datto-continuity"]
    );
    assert_eq!(
        app.focused_profile(),
        Some(profile_index(&app, "datto-continuity"))
    );
    let shown = screen(&app, 100, 30);
    assert!(
        shown.contains("Vendor integrations (Space selects)"),
        "{shown}"
    );
    assert!(
        !shown.contains("match"),
        "no count without a filter:\n{shown}"
    );
}

#[test]
fn enter_keeps_the_filter_and_esc_on_the_list_clears_it() {
    let mut app = sync365_app();
    key(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "N-ABLE");
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        app.context(),
        Context::Browse,
        "Enter leaves the filter field"
    );
    assert_eq!(
        app.step,
        StepId::Prerequisites,
        "Enter did not change the step"
    );
    assert_eq!(
        app.list_len(Pane::Profiles),
        3,
        "matched case-insensitively"
    );
    let shown = screen(&app, 100, 30);
    assert!(shown.contains("filter: N-ABLE · 3 of 34 match"), "{shown}");
    // Browsing the filtered list: j moves, Space selects.
    key(&mut app, KeyCode::Char('j'));
    key(&mut app, KeyCode::Char(' '));
    assert_eq!(selected_ids(&app), ["sync365", "n-able-n-sight"]);
    // The id matches too.
    key(&mut app, KeyCode::Char('/'));
    for _ in 0..6 {
        key(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "msp360");
    assert_eq!(app.list_len(Pane::Profiles), 1);
    // A filter that matches nothing says so.
    type_text(&mut app, "zz");
    assert_eq!(app.list_len(Pane::Profiles), 0);
    assert!(screen(&app, 100, 30).contains("0 of 34 match"));
    key(&mut app, KeyCode::Char(' '));
    assert_eq!(selected_ids(&app), ["sync365", "n-able-n-sight"]);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.list_len(Pane::Profiles), 34);
    assert_eq!(app.step, StepId::Prerequisites);
}

#[test]
fn a_click_lands_on_the_filtered_row_under_the_pointer() {
    let mut app = sync365_app();
    key(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "datto");
    let shown = screen(&app, 100, 30);
    let row = shown
        .lines()
        .position(|l| l.contains("(datto-continuity)"))
        .expect("Datto Continuity listed") as u16;
    update(
        &mut app,
        Msg::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: 40,
            row,
            modifiers: KeyModifiers::NONE,
        }),
    );
    assert_eq!(app.cursor(Pane::Profiles), 1);
    assert_eq!(
        app.focused_profile(),
        Some(profile_index(&app, "datto-continuity"))
    );
    key(&mut app, KeyCode::Char(' '));
    assert_eq!(selected_ids(&app), ["sync365", "datto-continuity"]);
}

#[test]
fn leaving_the_vendor_list_ends_typing_and_arriving_never_resumes_it() {
    let mut app = sync365_app();
    key(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "hu");
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.context(), Context::Browse);
    key(&mut app, KeyCode::BackTab);
    assert_eq!(app.focused_pane(), Pane::Profiles);
    assert_eq!(app.context(), Context::Browse, "coming back does not type");
    key(&mut app, KeyCode::Char('/'));
    key(&mut app, KeyCode::F(1));
    key(&mut app, KeyCode::Esc);
    assert_eq!(
        app.context(),
        Context::Field,
        "the help closes back into the filter"
    );
    // Paste goes into the filter, one line of it.
    update(&mut app, Msg::Paste("du\nignored".into()));
    assert_eq!(app.vendor_filter.text, "hudu");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Char('1'));
    assert_eq!(app.step, StepId::Prerequisites);
    assert_eq!(app.context(), Context::Browse, "arriving focuses no field");
    assert_eq!(app.list_len(Pane::Profiles), 1, "the filter itself is kept");
}

#[test]
fn the_vendor_filter_renders_as_a_snapshot() {
    let mut app = sync365_app();
    key(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "datto");
    key(&mut app, KeyCode::Char(' '));
    insta::assert_snapshot!("vendor_filter_datto", screen(&app, 100, 30));
}

/// The main area of a screen (right of the sidebar) as one line of words: borders, markers and
/// line breaks dropped, so that wrapped text reads as it was written.
fn main_area_words(screen: &str, sidebar: usize) -> String {
    let mut words = Vec::new();
    for row in screen.lines() {
        let row = row.trim_matches('"');
        let main: String = row
            .chars()
            .skip(sidebar)
            .map(|c| {
                if "│┃┌┐└┘┏┓┗┛━─›▸".contains(c) {
                    ' '
                } else {
                    c
                }
            })
            .collect();
        words.extend(main.split_whitespace().map(str::to_string));
    }
    words.join(" ")
}

/// The last words of an instruction, as they must appear on screen (a long token by its tail,
/// as wrapping may cut it).
fn last_words(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let tail = &words[words.len().saturating_sub(2)..];
    let joined = tail.join(" ");
    if joined.chars().count() > 24 {
        let last = tail.last().copied().unwrap_or("");
        last.chars()
            .skip(last.chars().count().saturating_sub(12))
            .collect()
    } else {
        joined
    }
}

/// Every screen seen while walking a step at 80x24: each pane in Tab order, each list moved
/// through with ↓ to its end.
fn walk_step_at_80x24(app: &mut App, step: StepId) -> Vec<String> {
    let number = StepId::ALL.iter().position(|s| *s == step).expect("a step") as u8 + 1;
    key(app, KeyCode::Char(char::from(b'0' + number)));
    assert_eq!(app.step, step);
    let mut screens = vec![screen(app, 80, 24)];
    let panes = app.panes();
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..panes.len() * 2 + 2 {
        let pane = app.focused_pane();
        if seen.insert(pane) && pane.is_list() {
            // ↓ until nothing moves: an item taller than its pane takes a ↓ per hidden row.
            for _ in 0..200 {
                key(app, KeyCode::Down);
                let now = screen(app, 80, 24);
                if screens.last() == Some(&now) {
                    break;
                }
                screens.push(now);
            }
        }
        if seen.len() == panes.len() {
            break;
        }
        // Tab moves on from a field too (Esc would return to the list before it).
        key(app, KeyCode::Tab);
        screens.push(screen(app, 80, 24));
    }
    if app.context() == Context::Field {
        key(app, KeyCode::Esc);
    }
    screens
}

#[test]
fn at_80x24_every_instruction_and_note_can_be_reached() {
    let mut missing = Vec::new();
    for ids in [&["sync365"][..], &["sync365", "hudu"], &["immybot"]] {
        let mut app = app_with(ids);
        app.size = (80, 24);
        pass_the_test(&mut app);
        for step in StepId::ALL {
            let content = app.content(step);
            let screens = walk_step_at_80x24(&mut app, step);
            let seen: Vec<String> = screens.iter().map(|s| main_area_words(s, 7)).collect();
            // Step 5's notes are the portal's: they are shown, and checked, on Summary.
            let notes = if step == StepId::Integration {
                &[][..]
            } else {
                &content.notes[..]
            };
            for text in content.checklist.iter().chain(notes) {
                let words = last_words(text);
                // Together, or (a pane one row high scrolled through a long item) each word
                // whole on some screen.
                let each = words
                    .split(' ')
                    .all(|word| seen.iter().any(|s| s.split(' ').any(|token| token == word)));
                if !seen.iter().any(|s| s.contains(&words)) && !each {
                    missing.push(format!("{ids:?} {step:?}: {words:?} of {text:?}"));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "out of reach at 80x24:\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_running_stage_shows_the_time_taken_of_the_limit_and_a_retry() {
    use cwsetup::cw::client::{RetryNotice, RetryReason};
    let mut app = sync365_app();
    fill_integration(&mut app);
    go_to(&mut app, StepId::Integration);
    key(&mut app, KeyCode::Char('t'));
    update(&mut app, Msg::Check(CheckEvent::Started(StageId::Connect)));
    assert!(screen(&app, 100, 30).contains("running… 0 s of 10 s"));
    // The spinner's tick brings the time up to date (started 3 s ago, at least).
    app.check.started = std::time::Instant::now().checked_sub(Duration::from_secs(3));
    update(&mut app, Msg::Tick);
    let elapsed = app.check.elapsed.as_secs();
    assert!(elapsed >= 3, "{elapsed}");
    let shown = screen(&app, 100, 30);
    assert!(
        shown.contains(&format!("running… {elapsed} s of 10 s")),
        "{shown}"
    );
    update(
        &mut app,
        Msg::Check(CheckEvent::Retry(RetryNotice {
            endpoint: "system/info".into(),
            reason: RetryReason::RateLimited,
            wait: Duration::from_secs(2),
            retry: 1,
        })),
    );
    let shown = screen(&app, 100, 30);
    assert!(shown.contains("rate-limited, retrying in 2 s"), "{shown}");
    // The next stage starts afresh.
    update(&mut app, Msg::Check(CheckEvent::Started(StageId::Auth)));
    assert!(!screen(&app, 100, 30).contains("retrying"));
}

/// A step's content is kept between changes, and never shown stale: a field set directly (not
/// through `update`) and an edited profile are both seen at once.
#[test]
fn content_follows_every_change_of_what_it_is_made_from() {
    let mut app = app_with(&["sync365"]);
    let shown = |app: &App| format!("{:?}", app.content(StepId::Summary).values);
    app.site.set("eu.myconnectwise.net");
    let eu = shown(&app);
    assert!(eu.contains("api-eu.myconnectwise.net"), "{eu}");
    assert_eq!(shown(&app), eu, "the same state shows the same content");
    app.site.set("na.myconnectwise.net");
    let na = shown(&app);
    assert!(
        na.contains("api-na.myconnectwise.net") && !na.contains("api-eu"),
        "{na}"
    );
    let before = app.content(StepId::SecurityRole).role_rows.len();
    app.profiles[0].role.rows.pop();
    assert_eq!(
        app.content(StepId::SecurityRole).role_rows.len(),
        before - 1
    );
}

/// The resume question on a support call: "press Escape" must never throw yesterday's setup
/// away. Esc resumes it, as Enter does; only an explicit `n` starts fresh.
#[test]
fn esc_at_the_resume_question_resumes_and_only_n_starts_fresh() {
    use cwsetup::setup::saved::SavedState;
    let mut yesterday = crate::common::wizard::app((100, 30));
    yesterday.company_id.set("contoso");
    go_to(&mut yesterday, StepId::ApiMember);
    let saved = SavedState::from_app(&yesterday);

    let mut app = crate::common::wizard::app((100, 30));
    app.overlay = Some(Overlay::Resume(Box::new(saved.clone())));
    key(&mut app, KeyCode::Esc);
    assert!(app.overlay.is_none(), "the question is answered");
    assert_eq!(app.step, StepId::ApiMember, "Esc resumed where it stopped");
    assert_eq!(app.company_id.value(), "contoso");

    let mut app = crate::common::wizard::app((100, 30));
    app.overlay = Some(Overlay::Resume(Box::new(saved)));
    key(&mut app, KeyCode::Char('n'));
    assert!(app.overlay.is_none());
    assert_eq!(app.step, StepId::Prerequisites, "n starts fresh");
    assert_eq!(app.company_id.value(), "");
}

/// A report describes the values on screen: test, change the company ID, and `s` saves no
/// "PASS" for the old company. It says why and what to do; a new test makes it savable again.
#[test]
fn a_report_is_not_saved_for_values_changed_since_the_test() {
    use crate::common::wizard::tested;
    let mut app = tested(
        (100, 30),
        "na.myconnectwise.net",
        "acme",
        "2b7e1516-28ae-4d2a-a6f7-15886309cf4f",
        &passing_report(),
    );
    go_to(&mut app, StepId::Summary);
    let effects = key(&mut app, KeyCode::Char('s'));
    assert_eq!(
        effects,
        vec![Effect::SaveReport],
        "saved while it describes the screen"
    );

    app.company_id.set("contoso");
    app.check.stale = true; // as typing into the field marks it
    let effects = key(&mut app, KeyCode::Char('s'));
    assert!(
        effects.is_empty(),
        "no report for values the test did not see"
    );
    let status = app
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default();
    assert!(
        status.contains("changed since the last test") && status.contains("test again (t)"),
        "{status}"
    );
    assert!(
        cwsetup::setup::report::save_report(&app, std::path::Path::new(".")).is_none(),
        "the core refuses too, for plain mode"
    );
}

/// `--demo` with a cloud region chosen: the words follow the region, the test keeps talking to
/// the simulator (never the real internet), and the technician is told so.
#[test]
fn in_the_demo_a_cloud_region_changes_the_words_never_the_target() {
    use cwsetup::cw::site::Region;
    use cwsetup::wizard::app::Hosting;
    let mut demo = settings(Duration::from_secs(20));
    demo.demo = true;
    let mut app = App::new(demo, profile::builtin().to_vec(), &["sync365".to_string()]);
    app.prefill(Prefill {
        site: "http://127.0.0.1:43323".into(),
        company_id: "cwsetup_demo".into(),
        client_id: "00000000-c0de-4000-8000-00000000d3e0".into(),
        public_key: Some("FakePublicKey001".into()),
        private_key: Some("FakePrivateKey01".into()),
    });
    let note = app.choose_hosting(Hosting::Cloud(Region::Na));
    assert_eq!(
        app.hosting(),
        Some(Hosting::Cloud(Region::Na)),
        "the words follow"
    );
    assert_eq!(
        app.site.value(),
        "http://127.0.0.1:43323",
        "the target does not"
    );
    let requests = cwsetup::setup::request::check_request(&app).expect("request");
    assert!(
        requests
            .iter()
            .all(|r| r.request.site == "http://127.0.0.1:43323")
    );
    let note = note.expect("the demo says why the site stays");
    assert!(note.contains("simulated ConnectWise"), "{note}");

    // Outside the demo a region fills in its host, as before.
    let mut real = App::new(
        settings(Duration::from_secs(20)),
        profile::builtin().to_vec(),
        &["sync365".to_string()],
    );
    assert_eq!(real.choose_hosting(Hosting::Cloud(Region::Na)), None);
    assert_eq!(real.site.value(), "na.myconnectwise.net");
}

/// "I already have an API member": step 3 asks that member's ID (no empty "Values to type"),
/// and that ID is what the audit reads and what the vendor's portal is told.
#[test]
fn under_an_existing_member_step_3_asks_its_id_and_everything_uses_it() {
    use cwsetup::setup::own_keys;
    use cwsetup::wizard::app::MemberPlan;
    let mut app = App::new(
        settings(Duration::from_secs(20)),
        profile::builtin().to_vec(),
        &["msp360".to_string()],
    );
    app.member_plan = MemberPlan::ExistingMember;
    go_to(&mut app, StepId::ApiMember);
    assert!(app.panes().contains(&Pane::Field(FieldId::MemberId)));
    assert!(!app.panes().contains(&Pane::Values), "no empty Values box");
    assert_eq!(
        own_keys::member_identifier(&app),
        "",
        "no profile default to look for"
    );
    let before = format!("{:?}", app.content(StepId::Integration).portal);
    assert!(before.contains("your existing API member"), "{before}");

    app.own.member_id.set("IntegrationAPI");
    assert_eq!(own_keys::member_identifier(&app), "IntegrationAPI");
    let values = app.content(StepId::ApiMember).values;
    assert_eq!(values.len(), 1);
    assert_eq!(values[0].label, "Member ID");
    assert!(app.panes().contains(&Pane::Values));
    let shown = format!("{:?}", app.content(StepId::Integration).portal);
    assert!(shown.contains("IntegrationAPI"), "{shown}");
}

/// "I already have an API member" with several tools: the notes follow the plan as the steps do.
/// The role exists, so "raise each function, keep any level that is higher" is never contradicted
/// by a vendor's "every function not listed stays None" (that is for a new role).
#[test]
fn an_existing_role_is_never_told_that_unlisted_functions_stay_none() {
    use cwsetup::wizard::app::MemberPlan;
    let ids = ["1stream", "chatstyle", "sync365"].map(String::from);
    let mut app = App::new(
        settings(Duration::from_secs(20)),
        profile::builtin().to_vec(),
        &ids,
    );
    let stays_none = |app: &App| {
        app.content(StepId::SecurityRole)
            .notes
            .iter()
            .any(|n| n.contains("every function not listed stays None"))
    };
    // The vendors' words, as their pages put them, say so.
    let merged = profile::merge(&app.selected_profiles());
    assert!(
        merged
            .notes
            .iter()
            .any(|n| n.contains("every function not listed stays None")),
        "{:#?}",
        merged.notes
    );
    app.member_plan = MemberPlan::ExistingMember;
    let content = app.content(StepId::SecurityRole);
    assert!(!stays_none(&app), "{:#?}", content.notes);
    assert!(
        content
            .notes
            .iter()
            .any(|n| n.contains("keeps the level your role already has")),
        "{:#?}",
        content.notes
    );
    assert!(
        content
            .checklist
            .iter()
            .any(|i| i.contains("Keep any level that is already higher"))
    );
}

/// Issue 25, item 4: Table Setup's Customize list can be read at 80x24, in the row editor (`e`).
#[test]
fn the_row_editor_shows_the_customize_list_at_80x24() {
    let mut app = app_with(&["sync365"]);
    app.size = (80, 24);
    go_to(&mut app, StepId::SecurityRole);
    while app.focused_pane() != Pane::RoleTable {
        key(&mut app, KeyCode::Tab);
    }
    let rows = app.content(StepId::SecurityRole).role_rows.len();
    let table_setup = app
        .content(StepId::SecurityRole)
        .role_rows
        .iter()
        .position(|r| r.function == "Table Setup")
        .expect("sync365 lists Table Setup");
    for _ in 0..table_setup.min(rows) {
        key(&mut app, KeyCode::Down);
    }
    key(&mut app, KeyCode::Char('e'));
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("Table Setup"), "{shown}");
    assert!(
        shown.contains("Customize allow Agreements / Agreement Type"),
        "{shown}"
    );
    assert!(shown.contains("Service / SLA"), "{shown}");
}

/// Issue 25, item 5: Sync 365's page lists `api-aus…` for Australia; a setup on the `au` site
/// keeps the vendor's words but says which host to type, the same as the value to copy.
#[test]
fn a_vendor_step_quoting_the_cloud_hosts_names_the_one_to_type() {
    for (site, host, two_sites) in [
        ("au", "api-au.myconnectwise.net", true),
        ("aus", "api-aus.myconnectwise.net", true),
        ("na", "api-na.myconnectwise.net", false),
    ] {
        let mut app = app_with(&["sync365"]);
        app.prefill(Prefill {
            site: site.into(),
            company_id: "contoso".into(),
            client_id: "00000000-0000-4000-8000-000000000000".into(),
            public_key: None,
            private_key: None,
        });
        for step in [StepId::Integration, StepId::Summary] {
            let content = app.content(step);
            let steps = if step == StepId::Summary {
                content.checklist.clone()
            } else {
                content.portal_steps.clone()
            };
            let url = steps
                .iter()
                .find(|s| s.starts_with("ConnectWise URL:"))
                .expect("Sync 365's URL step");
            assert!(
                url.contains("api-aus.myconnectwise.net (Australia)"),
                "{url}"
            );
            assert!(
                url.contains(&format!(
                    "For yours, type {host} (the \"ConnectWise URL\" value"
                )),
                "{site}: {url}"
            );
            assert_eq!(url.contains("two Australian sites"), two_sites, "{url}");
        }
        let shown = screen(&app, 160, 45);
        assert!(shown.contains(host), "{shown}");
    }
}

/// Issue 25, item 7: under "one member per tool" step 2 shows one table per role, each headed by
/// the role's name and its tool; the row info and `e` follow the rows, not the headings.
#[test]
fn one_member_per_tool_shows_one_role_table_per_tool() {
    let mut app = app_with(&["sync365", "immybot", "hudu"]);
    app.size = (160, 45);
    app.setup.member_plan = cwsetup::setup::MemberPlan::MemberPerTool;
    go_to(&mut app, StepId::SecurityRole);
    let content = app.content(StepId::SecurityRole);
    let headings: Vec<&str> = content
        .role_items()
        .iter()
        .filter_map(|item| match item {
            cwsetup::setup::content::RoleItem::Heading(h) => Some(*h),
            cwsetup::setup::content::RoleItem::Row(_) => None,
        })
        .collect();
    assert_eq!(headings.len(), 3, "{headings:?}");
    assert!(
        headings[0].starts_with("Sync 365 License: role \"Sync 365 API\""),
        "{headings:?}"
    );
    let shown = screen(&app, 160, 45);
    assert!(shown.contains("one table per role"), "{shown}");
    assert!(
        shown.contains("Sync 365 License: role \"Sync 365 API\""),
        "{shown}"
    );
    // The first line is a heading: no row is selected there, and the next line is a row.
    while app.focused_pane() != Pane::RoleTable {
        key(&mut app, KeyCode::Tab);
    }
    assert!(content.role_row_at(0).is_none());
    key(&mut app, KeyCode::Down);
    let row = content
        .role_row_at(app.cursor(Pane::RoleTable))
        .expect("a row");
    assert!(screen(&app, 160, 45).contains(&format!("{} / {}:", row.module, row.function)));

    // Under a merged role: no heading.
    let mut app = app_with(&["sync365", "immybot"]);
    go_to(&mut app, StepId::SecurityRole);
    assert!(app.content(StepId::SecurityRole).role_headings.is_empty());
}

/// Polish (issue 25): on "Where does ConnectWise run?" the cursor starts on the choice already
/// made and ↑ moves up from there; Space on "Self-hosted" chooses it and the focus stays on the
/// list (the status line says where the address goes).
#[test]
fn the_where_list_moves_from_the_choice_and_space_only_chooses() {
    let mut app = app_with(&["sync365"]);
    app.prefill(Prefill {
        site: "cw.example.com".into(),
        ..Prefill::default()
    });
    while app.focused_pane() != Pane::Region {
        key(&mut app, KeyCode::Tab);
    }
    let options = app.hosting_options();
    let self_hosted = options.len() - 1;
    assert_eq!(app.cursor(Pane::Region), self_hosted, "rests on the choice");
    key(&mut app, KeyCode::Up);
    assert_eq!(app.cursor(Pane::Region), self_hosted - 1, "↑ moves up one");

    let mut app = app_with(&["sync365"]);
    while app.focused_pane() != Pane::Region {
        key(&mut app, KeyCode::Tab);
    }
    key(&mut app, KeyCode::End);
    while app.cursor(Pane::Region) < self_hosted {
        key(&mut app, KeyCode::Down);
    }
    key(&mut app, KeyCode::Char(' '));
    assert_eq!(
        app.hosting(),
        Some(cwsetup::setup::Hosting::SelfHosted),
        "chosen"
    );
    assert_eq!(app.focused_pane(), Pane::Region, "the focus stays");
    let status = app.status.as_ref().expect("a status line").text.clone();
    assert!(status.contains("Site box"), "{status}");
}

/// Polish (issue 25): when the clipboard may not have taken the admin handoff (`h`), the whole
/// text is shown to copy by hand, every line of it, sanitized, not only its first line.
#[test]
fn a_text_of_several_lines_to_copy_by_hand_is_shown_whole() {
    let mut app = app_with(&["sync365"]);
    app.size = (100, 30);
    let text = "# Handoff\n\n- [ ] first step\n- [ ] second step \u{1b}[31mred\n- [ ] last step";
    update(
        &mut app,
        Msg::ShowText("Admin handoff (Markdown)".into(), text.into()),
    );
    assert!(matches!(app.overlay, Some(Overlay::Detail(_))));
    let shown = screen(&app, 100, 30);
    for line in ["# Handoff", "- [ ] first step", "- [ ] last step"] {
        assert!(shown.contains(line), "{line:?}:\n{shown}");
    }
    assert!(!shown.contains('\u{1b}'), "{shown}");
}

/// Clearing step 3's Member ID (Ctrl-U) under "I already have an API member" hides its Values
/// box: the focus stays in the field, so what is typed next is the ID, never step keys.
#[test]
fn the_focus_stays_on_its_box_when_a_box_above_it_comes_or_goes() {
    let mut app = app_with(&["sync365"]);
    app.member_plan = cwsetup::wizard::app::MemberPlan::ExistingMember;
    go_to(&mut app, StepId::ApiMember);
    while app.focused_pane() != Pane::Field(FieldId::MemberId) {
        key(&mut app, KeyCode::Tab);
    }
    type_text(&mut app, "S365");
    assert_eq!(app.focused_pane(), Pane::Field(FieldId::MemberId));
    update(
        &mut app,
        Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)),
    );
    assert_eq!(app.focused_pane(), Pane::Field(FieldId::MemberId));
    type_text(&mut app, "S365");
    assert_eq!(
        app.step,
        StepId::ApiMember,
        "digits typed as text, not steps"
    );
    assert_eq!(
        app.field(FieldId::MemberId).map(|f| f.value().to_string()),
        Some("S365".to_string())
    );
}

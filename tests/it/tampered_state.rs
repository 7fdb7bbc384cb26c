//! A tampered saved session (issue 23, item 11): its role edits and last verdict are outside
//! text. They are sanitized as the file is read, and a profile saved from the edits (`s` on the
//! role step) holds no control or bidi override.

use std::time::Duration;

use crate::common::wizard::settings;
use cwsetup::profile;
use cwsetup::setup::saved::{Loaded, SavedState, load};
use cwsetup::wizard::app::App;

const HOSTILE: &str = "Companies\u{9b}31m\u{202e}txt.exe";

fn unsafe_chars(text: &str) -> bool {
    text.contains('\u{9b}') || text.contains('\u{202e}')
}

#[test]
fn a_tampered_session_is_sanitized_when_read_and_before_a_profile_is_written() {
    let settings = settings(Duration::from_secs(10));
    let mut app = App::new(
        settings,
        profile::builtin().to_vec(),
        &["sync365".to_string()],
    );
    let index = app
        .profiles
        .iter()
        .position(|p| p.id == "sync365")
        .expect("sync365");
    // What the wizard would save, then edited by hand outside cwsetup.
    let mut state = SavedState::from_app(&app);
    let mut rows = app.profiles[index].role.rows.clone();
    rows[0].module = HOSTILE.to_string();
    rows[0].function = HOSTILE.to_string();
    rows[0].why = HOSTILE.to_string();
    state.role_edits.insert("sync365".into(), rows);
    state.last_verdict = Some(HOSTILE.to_string());
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("session.json");
    std::fs::write(&path, serde_json::to_string(&state).expect("json")).expect("write");

    let Loaded::State(loaded) = load(&path) else {
        panic!("the tampered file still loads");
    };
    loaded.apply(&mut app);
    assert!(!unsafe_chars(app.last_verdict.as_deref().unwrap_or("")));
    let row = &app.profiles[index].role.rows[0];
    assert!(
        !unsafe_chars(&row.module) && !unsafe_chars(&row.function) && !unsafe_chars(&row.why),
        "sanitized at load: {row:?}"
    );

    // Even rows that reach the writer unsanitized are cleaned before they are written.
    let mut raw = app.profiles[index].clone();
    raw.role.rows[0].why = HOSTILE.to_string();
    let out = dir.path().join("sync365.json");
    profile::save_user_profile(&raw, &out).expect("saved");
    let written = std::fs::read_to_string(&out).expect("read");
    assert!(!unsafe_chars(&written), "{written}");
    let saved = dir.path().join("session-again.json");
    cwsetup::setup::saved::save(&saved, &state).expect("saved");
    let written = std::fs::read_to_string(&saved).expect("read");
    assert!(!unsafe_chars(&written), "{written}");
}

/// Issue 23, item 6: a session holding more edited role rows than ConnectWise has functions is
/// set aside with a line that says why, not loaded (8,000 rows took seconds to start from).
#[test]
fn a_session_with_thousands_of_role_edits_is_set_aside() {
    let settings = settings(Duration::from_secs(10));
    let app = App::new(
        settings,
        profile::builtin().to_vec(),
        &["sync365".to_string()],
    );
    let mut state = SavedState::from_app(&app);
    let row = app.profiles[0].role.rows[0].clone();
    // Short rows, so the file stays under the 1 MiB cap and is judged by its rows.
    let rows: Vec<_> = (0..3000)
        .map(|i| {
            let mut r = row.clone();
            r.function = format!("F{i}");
            r.why = "w".into();
            r.customize.clear();
            r.probe = None;
            r
        })
        .collect();
    state.role_edits.insert(app.profiles[0].id.clone(), rows);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("session.json");
    std::fs::write(&path, serde_json::to_string(&state).expect("json")).expect("write");
    match load(&path) {
        Loaded::SetAside(line) => assert!(line.contains("3000 edited role rows"), "{line}"),
        Loaded::State(_) => panic!("a session of 3000 edited rows was loaded"),
        Loaded::Nothing => panic!("nothing was read"),
    }
    assert!(dir.path().join("session.json.bad").exists());
}

/// A session as cwsetup 0.1 wrote it (format 1): the step by its place (3: the API key step),
/// ticked items by their step's place, and the three fields one by one.
const VERSION_1_SESSION: &str = r#"{
  "version": 1,
  "step": 3,
  "ticked": [[0, "You are a ConnectWise admin"], [2, "Member created"]],
  "region": "eu",
  "member_plan": "existing-member",
  "site": "eu.myconnectwise.net",
  "company_id": "contoso",
  "client_id": "2b7e1516-28ae-4d2a-a6f7-15886309cf4f",
  "selected": ["sync365"],
  "role_edits": {},
  "last_verdict": "failed: auth"
}"#;

#[test]
fn a_version_1_session_resumes_on_the_same_step_with_its_fields() {
    use cwsetup::setup::saved::VERSION;
    use cwsetup::setup::{FieldId, Hosting, MemberPlan, StepId};
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("session.json");
    std::fs::write(&path, VERSION_1_SESSION).expect("write");
    let Loaded::State(state) = load(&path) else {
        panic!("a version-1 session is read, not set aside");
    };
    // Turned into the current format: steps and fields by name.
    assert_eq!(state.version, VERSION);
    const { assert!(VERSION >= 2) };
    assert_eq!(state.step, "api-key");
    assert_eq!(
        state.ticked,
        vec![
            (
                "prerequisites".to_string(),
                "You are a ConnectWise admin".to_string()
            ),
            ("api-member".to_string(), "Member created".to_string()),
        ]
    );
    assert_eq!(state.field("company_id"), "contoso");

    let mut app = App::new(
        settings(Duration::from_secs(10)),
        profile::builtin().to_vec(),
        &[],
    );
    let step = state.apply(&mut app);
    assert_eq!(step, StepId::ApiKey, "the step old files meant");
    assert_eq!(app.site.value(), "eu.myconnectwise.net");
    assert_eq!(app.company_id.value(), "contoso");
    assert_eq!(
        app.field(FieldId::ClientId).map(|f| f.value().to_string()),
        Some("2b7e1516-28ae-4d2a-a6f7-15886309cf4f".to_string())
    );
    assert_eq!(
        app.hosting_choice,
        Some(Hosting::Cloud(cwsetup::cw::site::Region::Eu))
    );
    assert_eq!(app.member_plan, MemberPlan::ExistingMember);
    assert!(app.is_ticked(StepId::ApiMember, "Member created"));
    assert_eq!(app.last_verdict.as_deref(), Some("failed: auth"));
    assert!(
        [
            StepId::Prerequisites,
            StepId::SecurityRole,
            StepId::ApiMember,
            StepId::ApiKey
        ]
        .iter()
        .all(|s| app.visited.contains(s))
    );

    // Saved again, it is written in the current format, with names, never numbers.
    let again = dir.path().join("again.json");
    cwsetup::setup::saved::save(&again, &SavedState::from_app(&app)).expect("save");
    let text = std::fs::read_to_string(&again).expect("read");
    let json: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert_eq!(json["version"], VERSION);
    assert_eq!(json["step"], "api-key");
    assert_eq!(json["fields"]["site"], "eu.myconnectwise.net");
    assert!(json.get("site").is_none(), "fields live under \"fields\"");
}

#[test]
fn a_session_from_a_newer_cwsetup_is_set_aside() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("session.json");
    std::fs::write(&path, r#"{"version": 99, "step": "somewhere-new"}"#).expect("write");
    match load(&path) {
        Loaded::SetAside(line) => assert!(line.contains("newer cwsetup"), "{line}"),
        other => panic!("a newer format is set aside, not guessed at: {other:?}"),
    }
    assert!(dir.path().join("session.json.bad").exists());
}

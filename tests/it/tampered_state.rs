//! A tampered saved session (issue 23, item 11): its role edits and last verdict are outside
//! text. They are sanitized as the file is read, and a profile saved from the edits (`s` on the
//! role step) holds no control or bidi override.

use std::time::Duration;

use crate::common::wizard::settings;
use cwsetup::profile;
use cwsetup::wizard::app::App;
use cwsetup::wizard::saved::{Loaded, SavedState, load};

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
    cwsetup::wizard::saved::save(&saved, &state).expect("saved");
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

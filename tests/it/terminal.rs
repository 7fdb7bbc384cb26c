//! The real binary in a pseudo-terminal: walk the wizard with keys, leave it every way a user
//! can (q, Ctrl-C, SIGTERM, SIGHUP, a panic), and check the terminal is exactly as before:
//! cooked mode, main screen, cursor visible, no paste or mouse modes left on.
//! Screens are polled with timeouts, never waited on with fixed sleeps.
#![cfg(unix)]

use crate::common;

use common::pty::Session;

const RIGHT: &str = "\x1b[C";
const LEFT: &str = "\x1b[D";
const ESC: &str = "\x1b";
const TAB: &str = "\t";

#[test]
fn walking_all_five_steps_then_quitting_restores_the_terminal() {
    let mut s = Session::start(&[], &[]);
    s.wait_for("Step 1 of 5 · Prerequisites");
    s.send(RIGHT);
    s.wait_for("Step 2 of 5 · Security role");
    s.send(RIGHT);
    s.wait_for("Step 3 of 5 · API member");
    s.send(RIGHT);
    s.wait_for("Step 4 of 5 · API key");
    s.send(TAB);
    let screen = s.wait_for("leave field");
    assert!(
        screen.contains("Step 4 of 5"),
        "the first Tab on the key step goes to the public key:\n{screen}"
    );
    s.send(ESC);
    s.wait_for("Enter/→ next step");
    s.send(RIGHT);
    s.wait_for("Step 5 of 5 · Integration");
    s.send("q");
    let (status, restored) = s.finish();
    assert!(status.success(), "exit status {status:?}");
    restored.assert_all();
}

#[test]
fn pasted_keys_never_reach_the_screen_and_quit_asks_first() {
    let mut s = Session::start(&[], &[]);
    s.wait_for("Step 1 of 5");
    for _ in 0..3 {
        s.send(RIGHT);
    }
    s.wait_for("Step 4 of 5 · API key");
    s.send(TAB);
    s.wait_for("leave field");
    s.send("\x1b[200~  FakePublicKey001\r\n\x1b[201~");
    s.send("\r");
    s.send("\x1b[200~FakePrivateKey01\x1b[201~");
    let screen = s.wait_for("••••");
    assert!(
        !screen.contains("FakePublicKey001") && !screen.contains("FakePrivateKey01"),
        "{screen}"
    );
    s.send(ESC);
    // A key right behind Esc would read as Alt+key: wait until the field is left.
    s.wait_for("Enter/→ next step");
    s.send("q");
    s.wait_for("Quit cwsetup?");
    s.send("y");
    let (status, restored) = s.finish();
    assert!(status.success());
    restored.assert_all();
    assert!(!restored.text.contains("FakePrivateKey01"));
}

#[test]
fn ctrl_c_restores_the_terminal() {
    let mut s = Session::start(&[], &[]);
    s.wait_for("Step 1 of 5");
    s.send("\x03");
    let (status, restored) = s.finish();
    assert!(status.success());
    restored.assert_all();
}

/// docs/keys.md: "Ctrl-C  Quit at once, without asking". `q` asks once a key is entered; Ctrl-C
/// does not, from a field as from anywhere.
#[test]
fn ctrl_c_quits_at_once_even_with_keys_entered() {
    let mut s = Session::start(&[], &[]).hiding(&["FakePublicKey001"]);
    s.wait_for("Step 1 of 5");
    for _ in 0..3 {
        s.send(RIGHT);
    }
    s.wait_for("Step 4 of 5 · API key");
    // Arriving on a step focuses no field: Tab goes to the public key.
    s.send("\t");
    s.wait_for("▸ Public key");
    s.send("\x1b[200~FakePublicKey001\x1b[201~");
    s.wait_for(" 16 chars ");
    s.send("\x03");
    let (status, restored) = s.finish();
    assert!(status.success(), "exit status {status:?}");
    restored.assert_all();
    assert!(
        !restored.text.contains("Quit cwsetup?"),
        "{}",
        restored.text
    );
}

#[test]
fn sigterm_restores_the_terminal_and_exits_with_143() {
    let s = Session::start(&[], &[]);
    s.wait_for("Step 1 of 5");
    s.signal(libc::SIGTERM);
    let (status, restored) = s.finish();
    restored.assert_all();
    assert_eq!(status.exit_code(), 128 + libc::SIGTERM as u32, "{status:?}");
}

#[test]
fn sighup_restores_the_terminal_and_exits_with_129() {
    let s = Session::start(&[], &[]);
    s.wait_for("Step 1 of 5");
    s.signal(libc::SIGHUP);
    let (status, restored) = s.finish();
    restored.assert_all();
    assert_eq!(status.exit_code(), 128 + libc::SIGHUP as u32, "{status:?}");
}

/// A paste without bracketed paste arrives as one key press per byte. 1 MB of them is read to
/// the end and the wizard still answers: the Tab sent after the burst moves the focus. (Timing
/// is in benches/paste_burst.rs; this only bounds it generously, so a stall fails.)
#[test]
fn a_one_megabyte_typed_burst_is_processed_to_the_end() {
    let mut s = Session::start(&[], &[]);
    s.wait_for("Step 1 of 5");
    s.send(&RIGHT.repeat(3));
    s.wait_for("Step 4 of 5 · API key");
    s.send("\t");
    s.wait_for("▸ Public key");
    let chunk = "k".repeat(64 * 1024);
    for _ in 0..16 {
        s.send(&chunk);
    }
    s.send("\t");
    let screen = s
        .wait_for_within("▸ Private key", std::time::Duration::from_secs(120))
        .unwrap_or_else(|| panic!("the burst was not processed:\n{}", s.screen()));
    // A key field holds 256 bytes and refuses the rest, with a word.
    assert!(screen.contains(" 256 chars "), "{screen}");
    s.send("\x03");
    let (status, restored) = s.finish();
    assert!(status.success(), "exit status {status:?}");
    restored.assert_all();
}

#[test]
fn a_panic_restores_the_terminal_then_prints_its_message() {
    // Without a backtrace the message fits on the screen that the test reads.
    let s = Session::start(&[], &[("CWSETUP_TEST_PANIC", "1"), ("RUST_BACKTRACE", "0")]);
    let (status, restored) = s.finish();
    assert!(!status.success());
    restored.assert_all();
    assert!(
        restored.text.contains("injected panic"),
        "the message is readable: {}",
        restored.text
    );
}

#[test]
fn the_demo_test_passes_end_to_end() {
    let mut s = Session::start(&["--demo"], &[]);
    s.wait_for("DEMO");
    for _ in 0..3 {
        s.send(RIGHT);
    }
    // The demo fills the keys in, so the key step opens on its checklist, not in a field.
    s.wait_for("Step 4 of 5");
    s.send(RIGHT);
    s.wait_for("Step 5 of 5 · Integration");
    s.send("t");
    let screen = s.wait_for("test passed");
    assert!(screen.contains("✓ auth"), "{screen}");
    s.send("q");
    s.wait_for("Quit cwsetup?");
    s.send("y");
    let (status, restored) = s.finish();
    assert!(status.success());
    restored.assert_all();
}

#[test]
fn without_a_terminal_the_wizard_points_to_check() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_cwsetup"))
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run cwsetup");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cwsetup check"), "{stderr}");
}

/// A support call, scripted in plain words: "press Escape" (twice, in a field) leaves the field
/// and stays on the step; "press ←" on the Summary goes to step 5 with no field focused;
/// "press 3" opens step 3.
#[test]
fn escape_never_changes_the_step_and_numbers_jump() {
    let mut s = Session::start(&[], &[]);
    s.wait_for("Step 1 of 5");
    s.send("4");
    s.wait_for("Step 4 of 5 · API key");
    s.send(TAB);
    s.wait_for("leave field");
    s.send(ESC);
    s.wait_for("Enter/→ next step");
    s.send(ESC);
    let screen = s.wait_for("nothing to close");
    assert!(screen.contains("Step 4 of 5 · API key"), "{screen}");

    s.send("6");
    s.wait_for("Summary");
    s.wait_for("In the vendor's portal");
    s.send(LEFT);
    let screen = s.wait_for("Step 5 of 5 · Integration");
    assert!(
        !screen.contains("leave field"),
        "no field is focused on arrival:\n{screen}"
    );
    // `s` typed now is a key, not text in a field.
    s.send("3");
    s.wait_for("Step 3 of 5 · API member");
    s.send("q");
    let (status, restored) = s.finish();
    assert!(status.success(), "exit status {status:?}");
    restored.assert_all();
}

fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(files_under(&path));
            } else {
                out.push(path);
            }
        }
    }
    out
}

/// "Let's continue tomorrow": quit with keys entered, start again with the same HOME, and the
/// wizard offers to resume at the same step with the same values; the keys are nowhere on disk.
#[test]
fn quitting_and_restarting_offers_to_resume_without_the_keys() {
    const PUBLIC: &str = "FakePublicKey001";
    const PRIVATE: &str = "FakePrivateKey01";
    const CLIENT: &str = "0a1b2c3d-0000-4000-8000-00000000abcd";
    let home = tempfile::tempdir().expect("a temporary HOME");
    let home_str = home.path().to_str().expect("utf-8 path").to_string();
    let env = [("HOME", home_str.as_str())];

    let mut s = Session::start(&[], &env).hiding(&[PUBLIC, PRIVATE]);
    s.wait_for("Step 1 of 5");
    // Past where ConnectWise runs and the API member plan, to the checklist.
    s.send(TAB);
    s.wait_for("▸ Where does ConnectWise run?");
    s.send(TAB);
    s.wait_for("▸ API member");
    s.send(TAB);
    s.wait_for("▸ In ConnectWise");
    s.send(" ");
    s.wait_for("1/");
    s.send("5");
    s.wait_for("Step 5 of 5 · Integration");
    s.send(TAB); // site
    s.wait_for("leave field");
    s.send("na.myconnectwise.net");
    s.send(TAB); // company
    s.send("acme");
    s.send(TAB); // client ID: explained where it is asked for
    s.wait_for("About the client ID");
    s.send(CLIENT);
    s.wait_for(CLIENT);
    s.send(ESC);
    s.wait_for("Enter/→ next step");
    s.send("4");
    s.wait_for("Step 4 of 5 · API key");
    s.send(TAB);
    s.wait_for("leave field");
    s.send(&format!("\x1b[200~{PUBLIC}\x1b[201~"));
    s.send(TAB);
    s.send(&format!("\x1b[200~{PRIVATE}\x1b[201~"));
    s.wait_for("16 chars");
    s.send(ESC);
    s.wait_for("Enter/→ next step");
    s.send("q");
    s.wait_for("Quit cwsetup?");
    s.send("y");
    let (status, restored) = s.finish();
    assert!(status.success(), "exit status {status:?}");
    restored.assert_all();
    assert!(
        restored.text.contains("API keys you entered are gone"),
        "{}",
        restored.text
    );

    // Neither key is in any file cwsetup wrote (state, config, anything under HOME).
    let files = files_under(home.path());
    assert!(
        files.iter().any(|f| f.ends_with("cwsetup/session.json")),
        "progress saved: {files:?}"
    );
    assert!(
        files.iter().any(|f| f.ends_with("cwsetup/config.json")),
        "client ID remembered: {files:?}"
    );
    for file in &files {
        let bytes = std::fs::read(file).expect("read a saved file");
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains(PUBLIC) && !text.contains(PRIVATE),
            "a key reached {}",
            file.display()
        );
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(file)
            .expect("metadata")
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "{} is private", file.display());
    }

    let mut s = Session::start(&[], &env);
    s.wait_for("setup for company acme from");
    s.wait_for("step 4?");
    s.send("\r");
    s.wait_for("Step 4 of 5 · API key");
    s.wait_for("resumed");
    s.send("5");
    s.wait_for("Step 5 of 5 · Integration");
    // A frame can reach the pseudo-terminal in pieces on a busy machine: wait for each value
    // rather than read the screen the moment the title shows.
    s.wait_for("acme");
    s.wait_for("na.myconnectwise.net");
    s.wait_for(CLIENT);
    s.send("1");
    s.wait_for("Step 1 of 5");
    // The whole screen may take another frame on a busy machine: wait for the tick itself.
    s.wait_for("[✓]");
    s.send("q");
    let (status, _) = s.finish();
    assert!(status.success());

    // --fresh skips the offer; the client ID is still remembered (asked once per machine).
    let mut s = Session::start(&["--fresh"], &env);
    s.wait_for("Step 1 of 5");
    s.send("5");
    s.wait_for("Step 5 of 5 · Integration");
    // The client ID field is drawn below the company field: once it shows, the frame is whole.
    let screen = s.wait_for(CLIENT);
    assert!(!screen.contains("Resume"), "{screen}");
    assert!(!screen.contains("acme"), "{screen}");
    s.send("q");
    let _ = s.finish();
}

/// A damaged or future-version file is set aside with one line, never a crash.
#[test]
fn a_damaged_or_newer_saved_setup_is_set_aside() {
    for content in ["{not json", r#"{"version": 99}"#] {
        let home = tempfile::tempdir().expect("a temporary HOME");
        let dir = home.path().join(".local/state/cwsetup");
        std::fs::create_dir_all(&dir).expect("state dir");
        std::fs::write(dir.join("session.json"), content).expect("write");
        let home_str = home.path().to_str().expect("utf-8").to_string();
        let mut s = Session::start(&[], &[("HOME", home_str.as_str())]);
        let screen = s.wait_for("set aside");
        assert!(screen.contains("Step 1 of 5"), "{screen}");
        assert!(dir.join("session.json.bad").exists());
        s.send("q");
        let (status, restored) = s.finish();
        assert!(status.success());
        restored.assert_all();
    }
}

/// A role saved from the wizard (`s` writes `<config>/cwsetup/profiles/<id>.json`) is listed
/// by `cwsetup profiles`, beside the built-in ones.
#[test]
fn a_saved_role_appears_in_the_profiles_list() {
    let home = tempfile::tempdir().expect("a temporary HOME");
    let dir = home.path().join(".config/cwsetup/profiles");
    std::fs::create_dir_all(&dir).expect("profiles dir");
    let builtin = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/profiles/sync365.json"
    ))
    .expect("sync365.json");
    let saved = builtin.replacen("\"id\": \"sync365\"", "\"id\": \"acme-sync365\"", 1);
    assert_ne!(saved, builtin, "the id was renamed");
    std::fs::write(dir.join("acme-sync365.json"), saved).expect("write");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_cwsetup"))
        .arg("profiles")
        .env("HOME", home.path())
        .env_remove("XDG_CONFIG_HOME")
        .output()
        .expect("run cwsetup profiles");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(stdout.contains("acme-sync365"), "{stdout}");
    assert!(stdout.contains("sync365"), "{stdout}");
}

/// Issue 23, item 3: the private key pasted into Company ID (the next field after "Your private
/// key" on step 1) and then quit. No file under HOME holds either key, and the technician was
/// told why the field was not saved.
#[test]
fn a_key_pasted_into_another_field_is_not_saved() {
    const PUBLIC: &str = "FakeOwnPublic001";
    const PRIVATE: &str = "FakeOwnPrivate01";
    let home = tempfile::tempdir().expect("a temporary HOME");
    let home_str = home.path().to_str().expect("utf-8 path").to_string();
    let env = [("HOME", home_str.as_str())];

    let mut s = Session::start(&[], &env).hiding(&[PUBLIC, PRIVATE]);
    s.wait_for("Step 1 of 5");
    s.send("m");
    s.wait_for("Your private key");
    s.send(&format!("\x1b[200~{PUBLIC}\x1b[201~"));
    s.send(TAB);
    s.send(&format!("\x1b[200~{PRIVATE}\x1b[201~"));
    s.wait_for("16 chars");
    s.send(TAB); // Company ID
    s.send(&format!("\x1b[200~{PRIVATE}\x1b[201~"));
    s.wait_for("this looks like your private key; it was not saved");
    s.send(ESC);
    s.wait_for("Enter/→ next step");
    s.send("q");
    s.wait_for("Quit cwsetup?");
    s.send("y");
    let (status, restored) = s.finish();
    assert!(status.success(), "exit status {status:?}");
    restored.assert_all();

    // Every file under HOME (the state may not be written at all: without the key, nothing
    // changed from a fresh start).
    for file in &files_under(home.path()) {
        let bytes = std::fs::read(file).expect("read a saved file");
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains(PUBLIC) && !text.contains(PRIVATE),
            "a key reached {}",
            file.display()
        );
    }
}

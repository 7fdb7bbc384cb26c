//! The real binary in a pseudo-terminal: walk the wizard with keys, leave it every way a user
//! can (q, Ctrl-C, SIGTERM, SIGHUP, a panic), and check the terminal is exactly as before:
//! cooked mode, main screen, cursor visible, no paste or mouse modes left on.
//! Screens are polled with timeouts, never waited on with fixed sleeps.
#![cfg(unix)]

mod common;

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

#[test]
fn sigterm_restores_the_terminal() {
    let s = Session::start(&[], &[]);
    s.wait_for("Step 1 of 5");
    s.signal(libc::SIGTERM);
    let (_, restored) = s.finish();
    restored.assert_all();
}

#[test]
fn sighup_restores_the_terminal() {
    let s = Session::start(&[], &[]);
    s.wait_for("Step 1 of 5");
    s.signal(libc::SIGHUP);
    let (_, restored) = s.finish();
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

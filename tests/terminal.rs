//! The real binary in a pseudo-terminal: walk the wizard with keys, leave it every way a user
//! can (q, Ctrl-C, SIGTERM, SIGHUP, a panic), and check the terminal is exactly as before:
//! cooked mode, main screen, cursor visible, no paste or mouse modes left on.
//! Screens are polled with timeouts, never waited on with fixed sleeps.
#![cfg(unix)]

mod common;

use common::pty::Session;

const RIGHT: &str = "\x1b[C";
const ESC: &str = "\x1b";

#[test]
fn walking_all_five_steps_then_quitting_restores_the_terminal() {
    let mut s = Session::start(&[], &[]);
    s.wait_for("Step 1 of 5 · Prerequisites");
    s.send(RIGHT);
    s.wait_for("Step 2 of 5 · Security role");
    s.send(RIGHT);
    s.wait_for("Step 3 of 5 · API member");
    s.send(RIGHT);
    let screen = s.wait_for("Step 4 of 5 · API key");
    assert!(
        screen.contains("leave field"),
        "the footer offers a way out of the field:\n{screen}"
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

/// README: "Ctrl-C  Quit at once, without asking". `q` asks once a key is entered; Ctrl-C
/// does not, from a field as from anywhere.
#[test]
fn ctrl_c_quits_at_once_even_with_keys_entered() {
    let mut s = Session::start(&[], &[]).hiding(&["FakePublicKey001"]);
    s.wait_for("Step 1 of 5");
    for _ in 0..3 {
        s.send(RIGHT);
    }
    s.wait_for("Step 4 of 5 · API key");
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

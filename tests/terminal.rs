//! The real binary in a pseudo-terminal: walk the wizard with keys, leave it every way a user
//! can (q, Ctrl-C, SIGTERM, SIGHUP, a panic), and check the terminal is exactly as before:
//! cooked mode, main screen, cursor visible, no paste or mouse modes left on.
//! Screens are polled with timeouts, never waited on with fixed sleeps.
#![cfg(unix)]

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

const WAIT: Duration = Duration::from_secs(20);

struct Session {
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    parser: Arc<Mutex<vt100::Parser>>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Session {
    fn start(args: &[&str], env: &[(&str, &str)]) -> Session {
        let pty = native_pty_system();
        let pair = pty
            .openpty(PtySize {
                rows: 30,
                cols: 100,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pseudo-terminal");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_cwsetup"));
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        // No display: the clipboard falls back to OSC 52 and nothing touches a real X server.
        cmd.env_remove("DISPLAY");
        cmd.env_remove("WAYLAND_DISPLAY");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn cwsetup");
        drop(pair.slave);
        let parser = Arc::new(Mutex::new(vt100::Parser::new(30, 100, 0)));
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let sink = parser.clone();
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                if let Ok(mut p) = sink.lock() {
                    p.process(&buf[..n]);
                }
            }
        });
        let writer = pair.master.take_writer().expect("pty writer");
        Session {
            master: pair.master,
            writer,
            child,
            parser,
            reader: Some(reader),
        }
    }

    fn screen(&self) -> String {
        self.parser
            .lock()
            .map(|p| p.screen().contents())
            .unwrap_or_default()
    }

    fn wait_for(&self, what: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(what) {
                return screen;
            }
            assert!(
                start.elapsed() < WAIT,
                "timed out waiting for {what:?}; the screen shows:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn send(&mut self, bytes: &str) {
        self.writer
            .write_all(bytes.as_bytes())
            .expect("write to pty");
        self.writer.flush().expect("flush pty");
    }

    fn signal(&self, signal: libc::c_int) {
        let pid = self.child.process_id().expect("child pid") as libc::pid_t;
        // SAFETY: sending a signal to our own child process.
        unsafe {
            libc::kill(pid, signal);
        }
    }

    /// Waits for the process to end and for its last output to be read.
    fn finish(mut self) -> (portable_pty::ExitStatus, Restored) {
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("wait for cwsetup") {
                break status;
            }
            assert!(
                start.elapsed() < WAIT,
                "cwsetup did not exit; screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        let lflag = local_flags(&*self.master);
        drop(self.writer);
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
        let parser = self.parser.lock().expect("parser");
        let screen = parser.screen();
        let restored = Restored {
            cooked: lflag & (libc::ICANON | libc::ECHO) == (libc::ICANON | libc::ECHO),
            main_screen: !screen.alternate_screen(),
            cursor_visible: !screen.hide_cursor(),
            no_paste_mode: !screen.bracketed_paste(),
            no_mouse: screen.mouse_protocol_mode() == vt100::MouseProtocolMode::None,
            text: screen.contents(),
        };
        (status, restored)
    }
}

fn local_flags(master: &dyn MasterPty) -> libc::tcflag_t {
    let fd = master.as_raw_fd().expect("pty fd");
    // SAFETY: tcgetattr writes into a zeroed termios for a valid, open fd.
    unsafe {
        let mut termios: libc::termios = std::mem::zeroed();
        assert_eq!(libc::tcgetattr(fd, &mut termios), 0, "tcgetattr");
        termios.c_lflag
    }
}

#[derive(Debug)]
struct Restored {
    cooked: bool,
    main_screen: bool,
    cursor_visible: bool,
    no_paste_mode: bool,
    no_mouse: bool,
    text: String,
}

impl Restored {
    fn assert_all(&self) {
        assert!(self.cooked, "terminal left in raw mode: {self:?}");
        assert!(
            self.main_screen,
            "terminal left on the alternate screen: {self:?}"
        );
        assert!(self.cursor_visible, "cursor left hidden: {self:?}");
        assert!(self.no_paste_mode, "bracketed paste left on: {self:?}");
        assert!(self.no_mouse, "mouse capture left on: {self:?}");
    }
}

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

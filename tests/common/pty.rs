//! The real `cwsetup` binary in a pseudo-terminal, read through a vt100 screen. Screens are
//! polled with a timeout, never waited on with fixed sleeps.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};

/// How long any one screen, or the exit, may take before the test fails.
pub const WAIT: Duration = Duration::from_secs(20);
pub const ROWS: u16 = 30;
pub const COLS: u16 = 100;

pub struct Session {
    master: Box<dyn MasterPty + Send>,
    writer: Option<Box<dyn Write + Send>>,
    child: Box<dyn Child + Send + Sync>,
    parser: Arc<Mutex<vt100::Parser>>,
    reader: Option<std::thread::JoinHandle<()>>,
    /// Text a failure message must never print (the test's keys): such a screen is withheld.
    secrets: Vec<String>,
    /// A fresh HOME for this session unless the test gave one: saved progress and the
    /// remembered client ID of one test never reach another (or the real home).
    _home: Option<tempfile::TempDir>,
}

impl Session {
    /// Starts `cwsetup ARGS` with no display (the clipboard falls back to OSC 52 and nothing
    /// touches a real X server), with `env` set and the variables in `unset` removed.
    pub fn start_with(args: &[&str], env: &[(&str, &str)], unset: &[&str]) -> Session {
        Session::start_program(env!("CARGO_BIN_EXE_cwsetup"), args, env, unset)
    }

    /// Like [`Session::start_with`], for another build of cwsetup (the benches compare two).
    pub fn start_program(
        program: &str,
        args: &[&str],
        env: &[(&str, &str)],
        unset: &[&str],
    ) -> Session {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pseudo-terminal");
        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        for var in [
            "DISPLAY",
            "WAYLAND_DISPLAY",
            "XDG_STATE_HOME",
            "XDG_CONFIG_HOME",
            "XDG_DATA_HOME",
            "SSH_CONNECTION",
            "SSH_TTY",
        ]
        .iter()
        .chain(unset)
        {
            cmd.env_remove(var);
        }
        let home = if env.iter().any(|(k, _)| *k == "HOME") {
            None
        } else {
            let dir = tempfile::tempdir().expect("a temporary HOME");
            cmd.env("HOME", dir.path());
            Some(dir)
        };
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn cwsetup");
        drop(pair.slave);
        let parser = Arc::new(Mutex::new(vt100::Parser::new(ROWS, COLS, 0)));
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
            writer: Some(writer),
            child,
            parser,
            reader: Some(reader),
            secrets: Vec::new(),
            _home: home,
        }
    }

    pub fn start(args: &[&str], env: &[(&str, &str)]) -> Session {
        Session::start_with(args, env, &[])
    }

    /// Screens holding any of `secrets` are never printed in a failure message.
    pub fn hiding(mut self, secrets: &[&str]) -> Session {
        self.secrets = secrets.iter().map(|s| s.to_string()).collect();
        self
    }

    pub fn screen(&self) -> String {
        self.parser
            .lock()
            .map(|p| p.screen().contents())
            .unwrap_or_default()
    }

    fn printable(&self, screen: String) -> String {
        if self.secrets.iter().any(|s| screen.contains(s.as_str())) {
            "(withheld: the screen holds a test key)".to_string()
        } else {
            screen
        }
    }

    /// Waits until `what` is on screen and returns the screen.
    pub fn wait_for(&self, what: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(what) {
                return screen;
            }
            if start.elapsed() > WAIT {
                panic!(
                    "timed out waiting for {what:?}; the screen shows:\n{}",
                    self.printable(screen)
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until `what` is on screen, for at most `limit`: the screen, or `None` on time-out.
    pub fn wait_for_within(&self, what: &str, limit: Duration) -> Option<String> {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(what) {
                return Some(screen);
            }
            if start.elapsed() > limit {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn send(&mut self, bytes: &str) {
        let writer = self.writer.as_mut().expect("the session is still open");
        writer.write_all(bytes.as_bytes()).expect("write to pty");
        writer.flush().expect("flush pty");
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("child pid")
    }

    pub fn signal(&self, signal: libc::c_int) {
        // SAFETY: sending a signal to our own child process.
        unsafe {
            libc::kill(self.pid() as libc::pid_t, signal);
        }
    }

    /// Waits for the process to end and for its last output to be read.
    pub fn finish(mut self) -> (ExitStatus, Restored) {
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("wait for cwsetup") {
                break status;
            }
            if start.elapsed() > WAIT {
                panic!(
                    "cwsetup did not exit; screen:\n{}",
                    self.printable(self.screen())
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let lflag = local_flags(&*self.master);
        drop(self.writer.take());
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

impl Drop for Session {
    /// A test that fails halfway leaves no cwsetup behind.
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
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

/// The terminal's state once cwsetup has exited.
#[derive(Debug)]
pub struct Restored {
    pub cooked: bool,
    pub main_screen: bool,
    pub cursor_visible: bool,
    pub no_paste_mode: bool,
    pub no_mouse: bool,
    pub text: String,
}

impl Restored {
    pub fn assert_all(&self) {
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

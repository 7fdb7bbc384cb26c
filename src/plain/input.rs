//! Reading answers for plain mode: one line at a time from standard input, keys with echo off.
//!
//! No raw mode and no crossterm: the terminal stays in its normal (canonical) mode, so the
//! line discipline handles Backspace and screen readers hear what they expect. A key is read
//! with only `ECHO` turned off (termios), straight into a buffer that is wiped, and the old
//! settings are restored on every path. When standard input is not a terminal (a pipe, a file)
//! a key is simply the next line.
//!
//! Ctrl-C, SIGTERM and SIGHUP only set a flag (signal-hook's), and nothing blocks outside
//! `poll`, which a signal always interrupts (it is never restarted): a waiting prompt returns
//! and the session ends through its normal path: keys wiped, echo restored, the clipboard
//! cleared. The system calls go through rustix, so none of this needs `unsafe`.

use std::io::{self, IsTerminal};
use std::sync::Arc;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

#[cfg(unix)]
use rustix::event::{PollFd, PollFlags};
use zeroize::Zeroize;

/// The signal that asked plain mode to stop, or 0 (set from the signal handler).
static STOP: LazyLock<Arc<AtomicUsize>> = LazyLock::new(|| Arc::new(AtomicUsize::new(0)));

/// Longest answer read; a longer line is cut there (a key is 16 characters).
const MAX_LINE: usize = 4096;

/// What a prompt got.
#[derive(Debug, PartialEq, Eq)]
pub enum Answer<T> {
    Line(T),
    /// End of input (Ctrl-D, or the end of a piped file).
    Eof,
    /// Ctrl-C, SIGTERM or SIGHUP: the signal's number.
    Stopped(i32),
    /// The wake-up deadline passed with no answer yet; the caller may ask again.
    Timeout,
}

/// Routes Ctrl-C, SIGTERM and SIGHUP to the stop flag for the rest of the process (the
/// handler stores the signal's number: one atomic store, async-signal-safe).
pub fn install_signal_handlers() {
    #[cfg(unix)]
    for signal in [SIGINT, SIGTERM, SIGHUP] {
        let number = usize::try_from(signal).unwrap_or_default();
        if let Err(e) = signal_hook::flag::register_usize(signal, Arc::clone(&STOP), number) {
            tracing::warn!("plain mode: cannot catch signal {signal}: {e}");
        }
    }
}

/// The signal numbers plain mode stops on.
#[cfg(unix)]
pub use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};

/// The signal that asked to stop, if any.
pub fn stop_requested() -> Option<i32> {
    match STOP.load(Ordering::SeqCst) {
        0 => None,
        signal => Some(i32::try_from(signal).unwrap_or(i32::MAX)),
    }
}

pub fn stdin_is_terminal() -> bool {
    io::stdin().is_terminal()
}

/// Waits until standard input has something to read, a signal arrives or `deadline` passes.
#[cfg(unix)]
fn wait_readable(deadline: Option<Instant>) -> Result<bool, i32> {
    loop {
        if let Some(signal) = stop_requested() {
            return Err(signal);
        }
        let timeout = match deadline {
            None => None,
            Some(d) => {
                let left = d.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return Ok(false);
                }
                // Rounded up, so the wake-up is never early.
                let millis = left.as_millis().min(i32::MAX as u128) as i64 + 1;
                Some(rustix::event::Timespec {
                    tv_sec: millis / 1000,
                    tv_nsec: (millis % 1000) * 1_000_000,
                })
            }
        };
        let stdin = rustix::stdio::stdin();
        let mut fds = [PollFd::new(&stdin, PollFlags::IN)];
        match rustix::event::poll(&mut fds, timeout.as_ref()) {
            Ok(0) => return Ok(false),
            Ok(_) => return Ok(true),
            // EINTR: loop, and the stop flag is looked at first.
            Err(rustix::io::Errno::INTR) => {}
            Err(_) => return Ok(true),
        }
    }
}

/// Reads one line, byte by byte (nothing is read past the newline, so no key is left in a
/// buffer), into `out`. Returns false at end of input with nothing read.
///
/// Each byte is waited for with `poll` before it is read, so the read never blocks: signal-hook
/// installs its handler with `SA_RESTART`, under which a blocked `read` would not return on
/// Ctrl-C, while `poll` always does (only the first wait has the deadline, as before).
#[cfg(unix)]
fn read_line_bytes(out: &mut Vec<u8>, deadline: Option<Instant>) -> Answer<()> {
    let mut first = true;
    loop {
        match wait_readable(if first { deadline } else { None }) {
            Err(signal) => return Answer::Stopped(signal),
            Ok(false) => return Answer::Timeout,
            Ok(true) => {}
        }
        first = false;
        if let Some(signal) = stop_requested() {
            return Answer::Stopped(signal);
        }
        let mut byte = [0u8; 1];
        let n = match rustix::io::read(rustix::stdio::stdin(), &mut byte) {
            Ok(n) => n,
            Err(rustix::io::Errno::INTR) => continue,
            Err(_) => {
                return if out.is_empty() {
                    Answer::Eof
                } else {
                    Answer::Line(())
                };
            }
        };
        if n == 1 {
            let b = byte[0];
            byte.zeroize();
            if b == b'\n' {
                return Answer::Line(());
            }
            if out.len() < out.capacity() {
                out.push(b);
            }
            continue;
        }
        // n == 0: the end of input.
        return if out.is_empty() {
            Answer::Eof
        } else {
            Answer::Line(())
        };
    }
}

#[cfg(not(unix))]
fn read_line_bytes(out: &mut Vec<u8>, _deadline: Option<Instant>) -> Answer<()> {
    use std::io::Read;
    let mut stdin = io::stdin().lock();
    let mut byte = [0u8; 1];
    loop {
        match stdin.read(&mut byte) {
            Ok(1) if byte[0] == b'\n' => return Answer::Line(()),
            Ok(1) => {
                if out.len() < out.capacity() {
                    out.push(byte[0]);
                }
            }
            Ok(_) | Err(_) if out.is_empty() => return Answer::Eof,
            Ok(_) | Err(_) => return Answer::Line(()),
        }
    }
}

/// One answer (not secret), trimmed of the line ending; sanitizing is the caller's.
pub fn read_line(deadline: Option<Instant>) -> Answer<String> {
    let mut bytes = Vec::with_capacity(MAX_LINE);
    match read_line_bytes(&mut bytes, deadline) {
        Answer::Line(()) => {
            if bytes.last() == Some(&b'\r') {
                bytes.pop();
            }
            Answer::Line(String::from_utf8_lossy(&bytes).into_owned())
        }
        Answer::Eof => Answer::Eof,
        Answer::Stopped(s) => Answer::Stopped(s),
        Answer::Timeout => Answer::Timeout,
    }
}

/// Turns echo off for as long as it lives (only when standard input is a terminal).
struct EchoOff {
    #[cfg(unix)]
    saved: Option<rustix::termios::Termios>,
}

impl EchoOff {
    fn new() -> EchoOff {
        #[cfg(unix)]
        {
            if !stdin_is_terminal() {
                return EchoOff { saved: None };
            }
            use rustix::termios::{LocalModes, OptionalActions, tcgetattr, tcsetattr};
            let stdin = rustix::stdio::stdin();
            let Ok(mut termios) = tcgetattr(stdin) else {
                return EchoOff { saved: None };
            };
            let saved = termios.clone();
            termios.local_modes -= LocalModes::ECHO | LocalModes::ECHOE | LocalModes::ECHOK;
            // The line is still edited by the terminal (Backspace works); only the echo
            // goes. TCSANOW: what was already typed is kept.
            if tcsetattr(stdin, OptionalActions::Now, &termios).is_err() {
                return EchoOff { saved: None };
            }
            EchoOff { saved: Some(saved) }
        }
        #[cfg(not(unix))]
        EchoOff {}
    }

    fn active(&self) -> bool {
        #[cfg(unix)]
        {
            self.saved.is_some()
        }
        #[cfg(not(unix))]
        false
    }
}

impl Drop for EchoOff {
    fn drop(&mut self) {
        #[cfg(unix)]
        if let Some(saved) = &self.saved {
            // Restoring the settings read in `new`.
            let _ = rustix::termios::tcsetattr(
                rustix::stdio::stdin(),
                rustix::termios::OptionalActions::Now,
                saved,
            );
        }
    }
}

/// Reads a key with echo off. `prompt` is printed after echo is off (so nothing typed after it
/// can be echoed). The returned text is wiped by the caller (it is handed to the key field,
/// which wipes it once sanitized).
pub fn read_secret(prompt: &str, print: &mut dyn FnMut(&str)) -> Answer<String> {
    let echo = EchoOff::new();
    print(prompt);
    let mut bytes = Vec::with_capacity(MAX_LINE);
    let answer = read_line_bytes(&mut bytes, None);
    let was_hidden = echo.active();
    drop(echo);
    if was_hidden {
        // The Enter was not echoed either: end the prompt's line ourselves.
        print("\n");
    }
    match answer {
        Answer::Line(()) => {
            // The bytes move into the String (no copy); it is wiped by whoever consumes it.
            match String::from_utf8(bytes) {
                Ok(text) => Answer::Line(text),
                Err(e) => {
                    let mut bytes = e.into_bytes();
                    bytes.zeroize();
                    Answer::Line(String::new())
                }
            }
        }
        other => {
            bytes.zeroize();
            match other {
                Answer::Eof => Answer::Eof,
                Answer::Stopped(s) => Answer::Stopped(s),
                _ => Answer::Timeout,
            }
        }
    }
}

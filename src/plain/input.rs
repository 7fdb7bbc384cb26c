//! Reading answers for plain mode: one line at a time from standard input, keys with echo off.
//!
//! No raw mode and no crossterm: the terminal stays in its normal (canonical) mode, so the
//! line discipline handles Backspace and screen readers hear what they expect. A key is read
//! with only `ECHO` turned off (termios), straight into a buffer that is wiped, and the old
//! settings are restored on every path. When standard input is not a terminal (a pipe, a file)
//! a key is simply the next line.
//!
//! Ctrl-C, SIGTERM and SIGHUP only set a flag (the handler is installed without `SA_RESTART`),
//! so a blocked read returns and the session ends through its normal path: keys wiped, echo
//! restored, the clipboard cleared.

use std::io::{self, IsTerminal};
use std::sync::atomic::{AtomicI32, Ordering};
use std::time::Instant;

use zeroize::Zeroize;

/// The signal that asked plain mode to stop, or 0.
static STOP: AtomicI32 = AtomicI32::new(0);

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

#[cfg(unix)]
extern "C" fn on_signal(signal: libc::c_int) {
    STOP.store(signal, Ordering::SeqCst);
}

/// Routes Ctrl-C, SIGTERM and SIGHUP to the stop flag for the rest of the process.
pub fn install_signal_handlers() {
    #[cfg(unix)]
    for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
        // SAFETY: a plain sigaction with an async-signal-safe handler (one atomic store) and
        // no SA_RESTART, so blocking reads return EINTR and the flag is looked at.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as usize;
            libc::sigemptyset(&mut action.sa_mask);
            action.sa_flags = 0;
            libc::sigaction(signal, &action, std::ptr::null_mut());
        }
    }
}

/// The signal that asked to stop, if any.
pub fn stop_requested() -> Option<i32> {
    match STOP.load(Ordering::SeqCst) {
        0 => None,
        signal => Some(signal),
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
            None => -1,
            Some(d) => {
                let left = d.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return Ok(false);
                }
                // Rounded up, so the wake-up is never early.
                left.as_millis().min(i32::MAX as u128) as i32 + 1
            }
        };
        let mut fds = libc::pollfd {
            fd: 0,
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd for standard input.
        let ready = unsafe { libc::poll(&mut fds, 1, timeout) };
        if ready > 0 {
            return Ok(true);
        }
        if ready == 0 {
            return Ok(false);
        }
        // EINTR: loop, and the stop flag is looked at first.
        if io::Error::last_os_error().kind() != io::ErrorKind::Interrupted {
            return Ok(true);
        }
    }
}

/// Reads one line, byte by byte (nothing is read past the newline, so no key is left in a
/// buffer), into `out`. Returns false at end of input with nothing read.
#[cfg(unix)]
fn read_line_bytes(out: &mut Vec<u8>, deadline: Option<Instant>) -> Answer<()> {
    match wait_readable(deadline) {
        Err(signal) => return Answer::Stopped(signal),
        Ok(false) => return Answer::Timeout,
        Ok(true) => {}
    }
    loop {
        if let Some(signal) = stop_requested() {
            return Answer::Stopped(signal);
        }
        let mut byte = [0u8; 1];
        // SAFETY: reading one byte into a valid one-byte buffer.
        let n = unsafe { libc::read(0, byte.as_mut_ptr().cast(), 1) };
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
        if n == 0 {
            return if out.is_empty() {
                Answer::Eof
            } else {
                Answer::Line(())
            };
        }
        if io::Error::last_os_error().kind() != io::ErrorKind::Interrupted {
            return if out.is_empty() {
                Answer::Eof
            } else {
                Answer::Line(())
            };
        }
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
    saved: Option<libc::termios>,
}

impl EchoOff {
    fn new() -> EchoOff {
        #[cfg(unix)]
        {
            if !stdin_is_terminal() {
                return EchoOff { saved: None };
            }
            // SAFETY: tcgetattr/tcsetattr on standard input with a zeroed termios.
            unsafe {
                let mut termios: libc::termios = std::mem::zeroed();
                if libc::tcgetattr(0, &mut termios) != 0 {
                    return EchoOff { saved: None };
                }
                let saved = termios;
                termios.c_lflag &= !(libc::ECHO | libc::ECHOE | libc::ECHOK);
                // The line is still edited by the terminal (Backspace works); only the echo
                // goes. TCSANOW: what was already typed is kept.
                if libc::tcsetattr(0, libc::TCSANOW, &termios) != 0 {
                    return EchoOff { saved: None };
                }
                EchoOff { saved: Some(saved) }
            }
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
            // SAFETY: restoring the settings read in `new`.
            unsafe {
                libc::tcsetattr(0, libc::TCSANOW, saved);
            }
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

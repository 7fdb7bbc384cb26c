//! The private key, from the one place it may come from (never a flag): standard input's first
//! line, a prompt that does not echo, `CW_PRIVATE_KEY`, or the demo's. A leaf both `check` and
//! `audit` (through [`super::connection`]) use.

use std::io::{self, IsTerminal, Read, Write};

use zeroize::Zeroize;

use crate::secret::Secret;

pub(super) const PRIVATE_KEY_MISSING: &str =
    "the private key (CW_PRIVATE_KEY, --private-key-stdin, or the prompt on a terminal)";

/// Where the private key will come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum KeySource {
    /// `--private-key-stdin` with a pipe or file on standard input: its first line.
    StdinLine,
    /// A no-echo prompt on the terminal (`--private-key-stdin` on a terminal, or no other source).
    Prompt,
    Env,
    Demo,
    None,
}

pub(super) fn private_key_source(private_key_stdin: bool, demo: bool) -> KeySource {
    if demo {
        // Never a real key to the demo.
        return KeySource::Demo;
    }
    if private_key_stdin {
        return if io::stdin().is_terminal() {
            KeySource::Prompt
        } else {
            KeySource::StdinLine
        };
    }
    if std::env::var_os("CW_PRIVATE_KEY").is_some() {
        return KeySource::Env;
    }
    if io::stdin().is_terminal() && io::stderr().is_terminal() {
        return KeySource::Prompt;
    }
    KeySource::None
}

/// The private key, from the one place it may come from. Never a flag.
pub(super) fn private_key(source: KeySource) -> Result<Secret, String> {
    key_from(source, "CW_PRIVATE_KEY", "Private key")
}

/// A private key from `source`: `variable` is the environment variable of [`KeySource::Env`],
/// `label` the prompt's (e.g. "Old private key").
pub(super) fn key_from(source: KeySource, variable: &str, label: &str) -> Result<Secret, String> {
    let from_text = |mut text: String| {
        let secret = Secret::from_str_checked(text.trim_end_matches(['\r', '\n']));
        text.zeroize();
        secret.map_err(|e| format!("private key: {e}"))
    };
    match source {
        KeySource::StdinLine => {
            let mut stdin = stdin_reader();
            let line = read_key_line(&mut stdin, MAX_STDIN_KEY_BYTES)?;
            let text = std::str::from_utf8(&line)
                .map_err(|_| "the private key on standard input is not valid UTF-8".to_string())?;
            Secret::from_str_checked(text.trim_end_matches(['\r', '\n']))
                .map_err(|e| format!("private key: {e}"))
        }
        KeySource::Env => match std::env::var(variable) {
            Ok(text) => from_text(text),
            Err(_) => Err(format!("{variable} is not valid UTF-8")),
        },
        KeySource::Demo => {
            Secret::from_str_checked(crate::sim::DEMO_PRIVATE_KEY).map_err(|e| e.to_string())
        }
        KeySource::Prompt => prompt_private_key(label),
        KeySource::None => Ok(Secret::new()),
    }
}

/// The most `--private-key-stdin` reads: a key is 16 characters, so a few KiB without a newline
/// is not a key (perhaps a file piped by mistake). Nothing beyond this is ever held in memory.
pub const MAX_STDIN_KEY_BYTES: usize = 4096;

/// Standard input without std's shared buffer, so the key is in no buffer but the one below:
/// each read is one read(2) on file descriptor 0 (rustix's, so no `unsafe` and nothing to close).
#[cfg(unix)]
struct RawStdin;

#[cfg(unix)]
impl Read for RawStdin {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        rustix::io::read(rustix::stdio::stdin(), buf).map_err(io::Error::from)
    }
}

#[cfg(unix)]
fn stdin_reader() -> RawStdin {
    RawStdin
}

#[cfg(not(unix))]
fn stdin_reader() -> Box<dyn Read> {
    Box::new(io::stdin())
}

/// The first line of `input` (without anything after its newline), read into one fixed buffer
/// of `limit + 1` bytes that is wiped on drop. More than `limit` bytes before a newline is
/// refused: reading stops there, whatever is still to come.
fn read_key_line(
    input: &mut (impl Read + ?Sized),
    limit: usize,
) -> Result<zeroize::Zeroizing<Vec<u8>>, String> {
    let mut buf = zeroize::Zeroizing::new(vec![0u8; limit + 1]);
    let (mut filled, mut scanned) = (0, 0);
    loop {
        let newline = buf[scanned..filled].iter().position(|&b| b == b'\n');
        if let Some(end) = newline.map(|at| scanned + at) {
            buf[end..].zeroize();
            buf.truncate(end);
            return Ok(buf);
        }
        if filled > limit {
            return Err(format!(
                "the private key on standard input is longer than {} without a \
                 newline: pipe just the key, on one line (printf '%s\\n' \"$KEY\" | cwsetup check \
                 --private-key-stdin ...)",
                crate::units::human_bytes(limit as u64)
            ));
        }
        scanned = filled;
        match input.read(&mut buf[filled..]) {
            Ok(0) => {
                buf[filled..].zeroize();
                buf.truncate(filled);
                return Ok(buf);
            }
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                return Err(format!(
                    "could not read the private key from standard input: {e}"
                ));
            }
        }
    }
}

/// Where `variable`'s key comes from when `--private-key-stdin` is not given: the variable, else
/// a prompt on a terminal, else nowhere.
pub(super) fn env_or_prompt(variable: &str) -> KeySource {
    if std::env::var_os(variable).is_some() {
        return KeySource::Env;
    }
    if io::stdin().is_terminal() && io::stderr().is_terminal() {
        return KeySource::Prompt;
    }
    KeySource::None
}

/// Whether standard input is a terminal (`--private-key-stdin` then prompts instead).
pub(super) fn stdin_is_terminal() -> bool {
    io::stdin().is_terminal()
}

/// The first `count` lines of standard input, each a private key (`cwsetup rotate
/// --private-key-stdin`: the new key, then the old). A missing line is an empty key.
pub(super) fn stdin_keys(count: usize) -> Result<Vec<Secret>, String> {
    let mut stdin = stdin_reader();
    let mut keys = Vec::with_capacity(count);
    for n in 1..=count {
        let line = read_line_bytewise(&mut stdin, MAX_STDIN_KEY_BYTES, n)?;
        let text = std::str::from_utf8(&line)
            .map_err(|_| format!("line {n} of standard input is not valid UTF-8"))?;
        keys.push(
            Secret::from_str_checked(text.trim_end_matches(['\r', '\n']))
                .map_err(|e| format!("private key on line {n}: {e}"))?,
        );
    }
    Ok(keys)
}

/// One line of `input`, read a byte at a time so that nothing after its newline is consumed
/// (the next line is the next key), into one fixed buffer wiped on drop. More than `limit` bytes
/// before a newline is refused: reading stops there.
fn read_line_bytewise(
    input: &mut (impl Read + ?Sized),
    limit: usize,
    line: usize,
) -> Result<zeroize::Zeroizing<Vec<u8>>, String> {
    let mut buf = zeroize::Zeroizing::new(vec![0u8; limit + 1]);
    let mut filled = 0;
    // Bounded: each turn reads one byte or ends; `limit + 1` bytes end it.
    loop {
        if filled > limit {
            return Err(format!(
                "line {line} of standard input is longer than {} without a newline: pipe the \
                 two keys, one per line (printf '%s\\n%s\\n' \"$NEW_KEY\" \"$OLD_KEY\" | cwsetup \
                 rotate --private-key-stdin ...)",
                crate::units::human_bytes(limit as u64)
            ));
        }
        match input.read(&mut buf[filled..=filled]) {
            Ok(0) => break,
            Ok(_) if buf[filled] == b'\n' => {
                buf[filled] = 0;
                break;
            }
            Ok(_) => filled += 1,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                return Err(format!(
                    "could not read the private keys from standard input: {e}"
                ));
            }
        }
    }
    buf.truncate(filled);
    Ok(buf)
}

/// Reads the key with echo off, straight into a `Secret`, after `label` ("Private key").
fn prompt_private_key(label: &str) -> Result<Secret, String> {
    use crossterm::event::{Event, KeyCode, KeyEventKind, KeyModifiers, read};
    eprint!("{label} (not shown; paste and press Enter): ");
    let _ = io::stderr().flush();
    crossterm::terminal::enable_raw_mode()
        .map_err(|e| format!("cannot read from the terminal: {e}"))?;
    let mut secret = Secret::new();
    let outcome = loop {
        match read() {
            Ok(Event::Key(key)) if key.kind != KeyEventKind::Release => match key.code {
                KeyCode::Enter => break Ok(()),
                KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                    break Err("cancelled".to_string());
                }
                KeyCode::Char(c) => {
                    if let Err(e) = secret.push(c) {
                        break Err(e.to_string());
                    }
                }
                KeyCode::Backspace => {
                    secret.pop();
                }
                _ => {}
            },
            Ok(Event::Paste(mut text)) => {
                let pushed = secret.push_str(&text);
                text.zeroize();
                if let Err(e) = pushed {
                    break Err(e.to_string());
                }
            }
            Ok(_) => {}
            Err(e) => break Err(format!("cannot read from the terminal: {e}")),
        }
    };
    let _ = crossterm::terminal::disable_raw_mode();
    eprintln!();
    outcome.map(|()| secret)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_line_is_read_up_to_its_newline_and_no_further() {
        let mut input: &[u8] = b"FakePrivateKey01\r\nsecond line";
        let line = read_key_line(&mut input, 64).expect("a short line");
        assert_eq!(&line[..], b"FakePrivateKey01\r");
        let mut input: &[u8] = b"FakePrivateKey01";
        let line = read_key_line(&mut input, 64).expect("no newline at the end");
        assert_eq!(&line[..], b"FakePrivateKey01");
        let mut exact = vec![b'k'; 64];
        exact.push(b'\n');
        assert_eq!(
            read_key_line(&mut exact.as_slice(), 64).map(|l| l.len()),
            Ok(64)
        );
    }

    #[test]
    fn two_key_lines_are_read_one_after_the_other_and_nothing_past_them() {
        let mut input: &[u8] = b"FakeNewPrivKey01\r\nFakeOldPrivKey01\nthird";
        let first = read_line_bytewise(&mut input, 64, 1).expect("line 1");
        assert_eq!(&first[..], b"FakeNewPrivKey01\r");
        let second = read_line_bytewise(&mut input, 64, 2).expect("line 2");
        assert_eq!(&second[..], b"FakeOldPrivKey01");
        assert_eq!(input, b"third");
        let mut empty: &[u8] = b"";
        assert!(
            read_line_bytewise(&mut empty, 64, 2)
                .expect("eof")
                .is_empty()
        );
        let mut endless = io::repeat(b'k');
        let problem = read_line_bytewise(&mut endless, 4096, 2).expect_err("refused");
        assert!(
            problem.contains("line 2 of standard input is longer than 4 KiB"),
            "{problem}"
        );
    }

    #[test]
    fn a_line_longer_than_the_limit_is_refused_without_reading_the_rest() {
        // An endless reader: reading must stop at the limit, not run out of memory.
        let mut endless = io::repeat(b'k');
        let problem = read_key_line(&mut endless, 4096).expect_err("refused");
        assert!(problem.contains("longer than 4 KiB without"), "{problem}");
        assert!(!problem.contains("bytes"), "{problem}");
    }
}

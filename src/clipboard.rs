//! Copying values to the clipboard: exactly the sanitized bytes, with auto-clear for secrets.
//!
//! The system clipboard (arboard) is kept open for the whole session, because on X11 the content
//! disappears when its owner exits. Without a display (SSH, headless) copies go to the terminal's
//! own clipboard with an OSC 52 escape sequence. Tests use [`FakeClipboard`].

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::io::{IsTerminal, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine as _;
use zeroize::Zeroize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sensitivity {
    /// A key: marked sensitive where the platform allows, cleared after the auto-clear delay.
    Secret,
    /// Member ID, company ID, site…: copied the same way, never auto-cleared.
    Plain,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendKind {
    System,
    Osc52,
    Fake,
}

#[derive(Debug, thiserror::Error)]
pub enum ClipboardError {
    #[error("the clipboard cannot be read here")]
    Unreadable,
    #[error("the clipboard refused the copy: {0}")]
    Failed(String),
}

/// One place text can be copied to.
pub trait ClipboardBackend: Send {
    fn set_text(&mut self, text: &str, sensitive: bool) -> Result<(), ClipboardError>;
    /// The current content, when it can be read (OSC 52 cannot).
    fn get_text(&mut self) -> Result<Option<String>, ClipboardError>;
    fn clear(&mut self) -> Result<(), ClipboardError>;
    fn kind(&self) -> BackendKind;
}

/// The system clipboard. Holding the `arboard::Clipboard` keeps X11 content alive.
pub struct ArboardBackend {
    clipboard: arboard::Clipboard,
}

impl ArboardBackend {
    pub fn open() -> Result<ArboardBackend, String> {
        arboard::Clipboard::new()
            .map(|clipboard| ArboardBackend { clipboard })
            .map_err(|e| e.to_string())
    }
}

impl ClipboardBackend for ArboardBackend {
    fn set_text(&mut self, text: &str, sensitive: bool) -> Result<(), ClipboardError> {
        let set = self.clipboard.set();
        // Keys are kept out of clipboard history (and, on Windows, cloud sync) wherever arboard
        // can ask for it. The cfgs are arboard's own for each extension trait.
        #[cfg(all(
            unix,
            not(any(target_os = "macos", target_os = "android", target_os = "emscripten"))
        ))]
        let set = {
            use arboard::SetExtLinux;
            if sensitive {
                set.exclude_from_history()
            } else {
                set
            }
        };
        #[cfg(windows)]
        let set = {
            use arboard::SetExtWindows;
            if sensitive {
                set.exclude_from_history().exclude_from_cloud()
            } else {
                set
            }
        };
        #[cfg(target_os = "macos")]
        let set = {
            use arboard::SetExtApple;
            if sensitive {
                set.exclude_from_history()
            } else {
                set
            }
        };
        #[cfg(not(any(
            windows,
            target_os = "macos",
            all(unix, not(any(target_os = "android", target_os = "emscripten")))
        )))]
        let _ = sensitive;
        set.text(text)
            .map_err(|e| ClipboardError::Failed(e.to_string()))
    }

    fn get_text(&mut self) -> Result<Option<String>, ClipboardError> {
        match self.clipboard.get_text() {
            Ok(text) => Ok(Some(text)),
            Err(arboard::Error::ContentNotAvailable) => Ok(None),
            Err(_) => Err(ClipboardError::Unreadable),
        }
    }

    fn clear(&mut self) -> Result<(), ClipboardError> {
        self.clipboard
            .clear()
            .map_err(|e| ClipboardError::Failed(e.to_string()))
    }

    fn kind(&self) -> BackendKind {
        BackendKind::System
    }
}

/// `ESC ] 52 ; c ; <base64> BEL`: sets the clipboard of the terminal the user sits at.
///
/// Built in one buffer of the exact size and encoded in place, so the caller's wipe of the
/// result is the only copy to wipe: no intermediate base64 `String`, no smaller buffer left behind
/// by growing, no stack staging buffer (`encode_string` has one).
pub fn osc52_sequence(text: &str) -> String {
    const OPEN: &[u8] = b"\x1b]52;c;";
    const CLOSE: &[u8] = b"\x07";
    let encoded_len = base64::encoded_len(text.len(), true).unwrap_or(0);
    let mut sequence = vec![0u8; OPEN.len() + encoded_len + CLOSE.len()];
    sequence[..OPEN.len()].copy_from_slice(OPEN);
    let _ = base64::engine::general_purpose::STANDARD.encode_slice(
        text.as_bytes(),
        &mut sequence[OPEN.len()..OPEN.len() + encoded_len],
    );
    sequence[OPEN.len() + encoded_len..].copy_from_slice(CLOSE);
    // Escape bytes and base64 are ASCII: this never fails, and moves the buffer (no copy).
    String::from_utf8(sequence).unwrap_or_default()
}

/// Clears the terminal's clipboard: a payload that is not base64 clears the selection (xterm).
pub const OSC52_CLEAR: &str = "\x1b]52;c;!\x07";

/// The terminal's clipboard over OSC 52, for SSH and headless sessions.
pub struct Osc52Backend {
    out: Box<dyn Write + Send>,
}

impl Osc52Backend {
    pub fn new(out: Box<dyn Write + Send>) -> Osc52Backend {
        Osc52Backend { out }
    }
}

impl ClipboardBackend for Osc52Backend {
    fn set_text(&mut self, text: &str, _sensitive: bool) -> Result<(), ClipboardError> {
        let mut sequence = osc52_sequence(text);
        let written = self
            .out
            .write_all(sequence.as_bytes())
            .and_then(|()| self.out.flush());
        sequence.zeroize();
        written.map_err(|e| ClipboardError::Failed(e.to_string()))
    }

    fn get_text(&mut self) -> Result<Option<String>, ClipboardError> {
        Err(ClipboardError::Unreadable)
    }

    fn clear(&mut self) -> Result<(), ClipboardError> {
        self.out
            .write_all(OSC52_CLEAR.as_bytes())
            .and_then(|()| self.out.flush())
            .map_err(|e| ClipboardError::Failed(e.to_string()))
    }

    fn kind(&self) -> BackendKind {
        BackendKind::Osc52
    }
}

/// An in-memory clipboard for tests; clones share the content so a test can inspect it.
#[derive(Clone, Default)]
pub struct FakeClipboard {
    content: Arc<Mutex<Option<String>>>,
    sensitive: Arc<Mutex<bool>>,
}

impl FakeClipboard {
    pub fn content(&self) -> Option<String> {
        self.content.lock().ok().and_then(|c| c.clone())
    }

    pub fn was_marked_sensitive(&self) -> bool {
        self.sensitive.lock().map(|s| *s).unwrap_or(false)
    }

    /// What the user does in another window: copy something else.
    pub fn user_copies(&self, text: &str) {
        if let Ok(mut c) = self.content.lock() {
            *c = Some(text.to_string());
        }
    }
}

impl ClipboardBackend for FakeClipboard {
    fn set_text(&mut self, text: &str, sensitive: bool) -> Result<(), ClipboardError> {
        self.user_copies(text);
        if let Ok(mut s) = self.sensitive.lock() {
            *s = sensitive;
        }
        Ok(())
    }

    fn get_text(&mut self) -> Result<Option<String>, ClipboardError> {
        Ok(self.content())
    }

    fn clear(&mut self) -> Result<(), ClipboardError> {
        if let Ok(mut c) = self.content.lock() {
            *c = None;
        }
        Ok(())
    }

    fn kind(&self) -> BackendKind {
        BackendKind::Fake
    }
}

/// What a copy did, for the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyOutcome {
    pub ok: bool,
    pub message: String,
    pub clear_at: Option<Instant>,
    /// The message without its auto-clear clause, for a screen that shows a countdown instead.
    pub brief: String,
    /// The copy went out as OSC 52, which the terminal may silently refuse.
    pub osc52: bool,
}

/// What cwsetup last put on the clipboard. Only a keyed hash is kept, never the value.
struct Owned {
    fingerprint: u64,
    label: String,
    sensitive: bool,
    clear_at: Option<Instant>,
}

/// The session's clipboard: one backend, and what it last copied there.
pub struct ClipboardManager {
    backend: Option<Box<dyn ClipboardBackend>>,
    /// Why there is no backend, for the message when a copy is asked for.
    unavailable: String,
    auto_clear: Duration,
    owned: Option<Owned>,
    hasher: RandomState,
}

impl ClipboardManager {
    /// The system clipboard if a display works, else OSC 52 when stdout is a terminal.
    /// Never panics: without either, copies explain why they cannot happen.
    pub fn detect(auto_clear: Duration) -> ClipboardManager {
        let has_display = std::env::var_os("DISPLAY").is_some_and(|d| !d.is_empty())
            || std::env::var_os("WAYLAND_DISPLAY").is_some_and(|d| !d.is_empty())
            || cfg!(any(target_os = "macos", windows));
        let system = if has_display {
            ArboardBackend::open()
        } else {
            Err("no display".into())
        };
        match system {
            Ok(backend) => Self::with_backend(Box::new(backend), auto_clear),
            Err(_) if std::io::stdout().is_terminal() => Self::with_backend(
                Box::new(Osc52Backend::new(Box::new(std::io::stdout()))),
                auto_clear,
            ),
            Err(reason) => Self::unavailable(reason, auto_clear),
        }
    }

    /// No clipboard at all (no display, no terminal): copies say why and what to do instead.
    pub fn unavailable(reason: impl Into<String>, auto_clear: Duration) -> ClipboardManager {
        ClipboardManager {
            backend: None,
            unavailable: reason.into(),
            auto_clear,
            owned: None,
            hasher: RandomState::new(),
        }
    }

    pub fn with_backend(
        backend: Box<dyn ClipboardBackend>,
        auto_clear: Duration,
    ) -> ClipboardManager {
        ClipboardManager {
            backend: Some(backend),
            unavailable: String::new(),
            auto_clear,
            owned: None,
            hasher: RandomState::new(),
        }
    }

    pub fn backend_kind(&self) -> Option<BackendKind> {
        self.backend.as_ref().map(|b| b.kind())
    }

    /// Copies `value` (already sanitized: exactly the bytes that passed the check).
    pub fn copy(
        &mut self,
        label: &str,
        value: &str,
        sensitivity: Sensitivity,
        now: Instant,
    ) -> CopyOutcome {
        let Some(backend) = self.backend.as_mut() else {
            return CopyOutcome {
                ok: false,
                message: format!(
                    "no clipboard available ({}): select the value on screen, or run cwsetup in a terminal with a display or OSC 52 support",
                    self.unavailable
                ),
                clear_at: None,
                brief: String::new(),
                osc52: false,
            };
        };
        let sensitive = sensitivity == Sensitivity::Secret;
        if let Err(e) = backend.set_text(value, sensitive) {
            return CopyOutcome {
                ok: false,
                message: format!("could not copy {label}: {e}"),
                clear_at: None,
                brief: String::new(),
                osc52: false,
            };
        }
        // Saturating: an auto-clear too far ahead to represent is clamped to a day, never a panic.
        let clear_at = (sensitive && !self.auto_clear.is_zero()).then(|| {
            now.checked_add(self.auto_clear)
                .or_else(|| now.checked_add(Duration::from_secs(86_400)))
                .unwrap_or(now)
        });
        self.owned = Some(Owned {
            fingerprint: self.hasher.hash_one(value),
            label: label.to_string(),
            sensitive,
            clear_at,
        });
        let place = match backend.kind() {
            BackendKind::Osc52 => {
                "sent to your terminal's clipboard; if nothing pastes, your terminal blocks this"
                    .to_string()
            }
            _ => "copied".to_string(),
        };
        let clearing = match clear_at {
            Some(t) => format!(
                " (auto-clears in {} s)",
                t.saturating_duration_since(now).as_secs()
            ),
            None if sensitive => " (auto-clear is off)".to_string(),
            None => String::new(),
        };
        let osc52 = backend.kind() == BackendKind::Osc52;
        CopyOutcome {
            ok: true,
            message: format!("{label} {place}{clearing}"),
            clear_at,
            brief: if clear_at.is_some() {
                format!("{label} {place}")
            } else {
                format!("{label} {place}{clearing}")
            },
            osc52,
        }
    }

    /// Whether the clipboard still holds what cwsetup put there. OSC 52 cannot be read back, so
    /// it is assumed to (clearing a secret matters more than keeping a later copy).
    fn still_ours(&mut self) -> bool {
        let Some(owned) = &self.owned else {
            return false;
        };
        let fingerprint = owned.fingerprint;
        let Some(backend) = self.backend.as_mut() else {
            return false;
        };
        match backend.get_text() {
            Ok(Some(mut current)) => {
                let ours = self.hasher.hash_one(current.as_str()) == fingerprint;
                current.zeroize();
                ours
            }
            Ok(None) => false,
            Err(_) => backend.kind() == BackendKind::Osc52,
        }
    }

    fn clear_if_ours(&mut self) -> Option<String> {
        let owned = self.owned.as_ref()?;
        let label = owned.label.clone();
        let ours = self.still_ours();
        self.owned = None;
        if !ours {
            return None;
        }
        let backend = self.backend.as_mut()?;
        let osc52 = backend.kind() == BackendKind::Osc52;
        match backend.clear() {
            // OSC 52 is one-way: the terminal may ignore the clear, so it is not claimed done.
            Ok(()) if osc52 => Some(format!(
                "{label}: sent a clear to your terminal's clipboard"
            )),
            Ok(()) => Some(format!("clipboard cleared ({label} removed)")),
            Err(e) => Some(format!(
                "could not clear the clipboard ({e}): clear it by copying something else"
            )),
        }
    }

    /// Clears an expired secret, if the clipboard still holds it.
    pub fn tick(&mut self, now: Instant) -> Option<String> {
        let due = self.owned.as_ref()?.clear_at.is_some_and(|t| t <= now);
        if !due {
            return None;
        }
        self.clear_if_ours()
    }

    /// When `tick` next has work to do: the wizard sleeps until then and no longer.
    pub fn next_deadline(&self) -> Option<Instant> {
        self.owned.as_ref()?.clear_at
    }

    pub fn countdown(&self, now: Instant) -> Option<Duration> {
        self.next_deadline()
            .map(|t| t.saturating_duration_since(now))
    }

    /// What the clipboard holds, by its label ("Private key").
    pub fn label(&self) -> &str {
        self.owned.as_ref().map_or("", |o| o.label.as_str())
    }

    /// The keys were wiped: a copy of one must not outlive them.
    pub fn forget_secret(&mut self) -> Option<String> {
        if self.owned.as_ref().is_some_and(|o| o.sensitive) {
            self.clear_if_ours()
        } else {
            None
        }
    }

    /// On quit: clear the clipboard if it still holds a value cwsetup put there, and say so.
    pub fn on_quit(&mut self) -> Option<String> {
        self.clear_if_ours()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_is_byte_exact() {
        assert_eq!(osc52_sequence("S365"), "\x1b]52;c;UzM2NQ==\x07");
        assert_eq!(osc52_sequence(""), "\x1b]52;c;\x07");
        // One, two and no padding characters.
        assert_eq!(osc52_sequence("ab"), "\x1b]52;c;YWI=\x07");
        assert_eq!(osc52_sequence("abc"), "\x1b]52;c;YWJj\x07");
        assert_eq!(osc52_sequence("é"), "\x1b]52;c;w6k=\x07");
    }
}

//! The masked key field, written in-house so that no untracked copy of a key exists: typed and
//! pasted characters go straight into a pre-allocated [`Secret`], the pasted `String` is wiped
//! once sanitized, and the screen shows `•` per character (optionally the last 4).

use zeroize::{Zeroize, Zeroizing};

use crate::sanitize::{self, FieldKind};
use crate::secret::Secret;

const BULLET: char = '•';

pub struct MaskedInput {
    secret: Secret,
    reveal_last4: bool,
    /// What the last paste removed, or why a key was refused.
    note: Option<String>,
    warnings: Vec<String>,
    /// What sanitizing removed from the paste that gave the key (counts only), for the report.
    removed: sanitize::Removal,
}

impl Default for MaskedInput {
    fn default() -> Self {
        Self::new()
    }
}

impl MaskedInput {
    pub fn new() -> MaskedInput {
        MaskedInput {
            secret: Secret::new(),
            reveal_last4: false,
            note: None,
            warnings: Vec::new(),
            removed: sanitize::Removal::default(),
        }
    }

    pub fn secret(&self) -> &Secret {
        &self.secret
    }

    /// Wipes the key (the technician's "clear keys", or Ctrl-U in the field).
    pub fn clear(&mut self) {
        self.secret.clear();
        self.note = None;
        self.warnings.clear();
        self.removed = sanitize::Removal::default();
    }

    /// What sanitizing removed from the paste that gave the key (empty when it was typed).
    pub fn removed(&self) -> &sanitize::Removal {
        &self.removed
    }

    pub fn toggle_reveal(&mut self) {
        self.reveal_last4 = !self.reveal_last4;
    }

    pub fn revealing(&self) -> bool {
        self.reveal_last4
    }

    /// `•` per character, or `•…•` and the last 4 characters when revealing.
    ///
    /// Built in one buffer sized up front (no reallocation leaves a stray copy of the tail) and
    /// wiped on drop.
    pub fn masked(&self) -> Zeroizing<String> {
        let count = self.secret.char_count();
        let hidden = if self.reveal_last4 && count > 4 {
            count - 4
        } else {
            count
        };
        let tail = self.secret.expose().chars().skip(hidden);
        let tail_len: usize = tail.clone().map(char::len_utf8).sum();
        let mut shown =
            Zeroizing::new(String::with_capacity(hidden * BULLET.len_utf8() + tail_len));
        shown.extend(std::iter::repeat_n(BULLET, hidden));
        shown.extend(tail);
        shown
    }

    /// A paste replaces the field: a key is pasted whole. The pasted text is wiped afterwards.
    pub fn paste(&mut self, mut pasted: String) {
        let had_value = !self.secret.is_empty();
        self.secret.clear();
        let result =
            sanitize::sanitize_secret_into(FieldKind::PrivateKey, &pasted, &mut self.secret);
        pasted.zeroize();
        match result {
            Ok(removed) => {
                self.removed = removed.clone();
                let mut note = Vec::new();
                if !removed.is_empty() {
                    note.push(removed.to_string());
                }
                if had_value {
                    note.push("replaced the previous key".to_string());
                }
                self.note = (!note.is_empty()).then(|| note.join("; "));
            }
            Err(e) => {
                self.secret.clear();
                self.removed = sanitize::Removal::default();
                self.note = Some(format!("paste refused: {e}"));
            }
        }
        self.refresh_warnings();
    }

    /// Typing: letters and digits go in; blanks are refused with a word, since keys have none.
    pub fn type_char(&mut self, c: char) -> bool {
        if sanitize::is_invisible(c) {
            self.note = Some("keys contain no spaces: that one was not added".into());
            return false;
        }
        match self.secret.push(c) {
            Ok(()) => {
                self.note = None;
                self.refresh_warnings();
                true
            }
            Err(e) => {
                self.note = Some(e.to_string());
                false
            }
        }
    }

    /// Deletes the last character; returns whether the key changed.
    pub fn backspace(&mut self) -> bool {
        let changed = self.secret.pop().is_some();
        self.refresh_warnings();
        changed
    }

    /// The key's length, as the box's title says it.
    pub fn char_count(&self) -> usize {
        self.secret.char_count()
    }

    /// True when something looks wrong with the key (the box then marks its line with "!").
    pub fn has_warnings(&self) -> bool {
        !self.warnings.is_empty()
    }

    fn refresh_warnings(&mut self) {
        self.warnings = if self.secret.is_empty() {
            Vec::new()
        } else {
            // Counts and kinds only: the screen may be shared on a support call.
            sanitize::key_warnings(self.secret.expose())
        };
    }

    /// The line under the field: what was removed, or what looks wrong.
    pub fn status_line(&self) -> Option<String> {
        let mut parts: Vec<String> = self.note.iter().cloned().collect();
        parts.extend(self.warnings.iter().cloned());
        (!parts.is_empty()).then(|| parts.join("; "))
    }
}

//! `Secret`: the one type that holds an API key in memory.
//!
//! A fixed-capacity buffer that never reallocates (a reallocation would leave an unwiped copy
//! behind), is wiped on drop and on `clear`, cannot be cloned, and never prints its content.

use zeroize::Zeroizing;

/// Returned when a push would grow a [`Secret`] past its capacity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the value is longer than {}; ConnectWise keys are 16 characters", crate::units::human_bytes(*.capacity as u64))]
pub struct CapacityFull {
    pub capacity: usize,
}

pub struct Secret {
    buf: Zeroizing<String>,
    capacity: usize,
}

impl Secret {
    /// Enough for any key a technician could paste, with room for junk around it.
    pub const DEFAULT_CAPACITY: usize = 256;

    pub fn new() -> Self {
        Self::with_capacity(Self::DEFAULT_CAPACITY)
    }

    pub fn with_capacity(capacity: usize) -> Self {
        Secret {
            buf: Zeroizing::new(String::with_capacity(capacity)),
            capacity,
        }
    }

    /// Builds a secret from a value the caller will wipe itself (tests, environment variables).
    pub fn from_str_checked(value: &str) -> Result<Self, CapacityFull> {
        let mut s = Self::with_capacity(Self::DEFAULT_CAPACITY.max(value.len()));
        s.push_str(value)?;
        Ok(s)
    }

    pub fn push(&mut self, c: char) -> Result<(), CapacityFull> {
        if self.buf.len() + c.len_utf8() > self.capacity {
            return Err(CapacityFull {
                capacity: self.capacity,
            });
        }
        self.buf.push(c);
        Ok(())
    }

    /// Appends all of `s` or nothing.
    pub fn push_str(&mut self, s: &str) -> Result<(), CapacityFull> {
        if self.buf.len() + s.len() > self.capacity {
            return Err(CapacityFull {
                capacity: self.capacity,
            });
        }
        self.buf.push_str(s);
        Ok(())
    }

    /// Removes the last character; its bytes are overwritten before the length shrinks.
    pub fn pop(&mut self) -> Option<()> {
        let c = self.buf.chars().next_back()?;
        let new_len = self.buf.len() - c.len_utf8();
        // SAFETY-free wipe: replace the tail with zero bytes through the public API.
        let tail_len = self.buf.len() - new_len;
        self.buf.truncate(new_len);
        // `truncate` keeps the old bytes in spare capacity; overwrite them.
        self.buf.extend(std::iter::repeat_n('\0', tail_len));
        self.buf.truncate(new_len);
        Some(())
    }

    /// Wipes the content; the capacity is kept for the next value.
    pub fn clear(&mut self) {
        let len = self.buf.len();
        self.buf.clear();
        self.buf.extend(std::iter::repeat_n('\0', len));
        self.buf.clear();
    }

    /// The narrow borrow through which the value is read.
    pub fn expose(&self) -> &str {
        &self.buf
    }

    pub fn len(&self) -> usize {
        self.buf.len()
    }

    pub fn char_count(&self) -> usize {
        self.buf.chars().count()
    }

    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// How a report names a public key: its first 4 characters and an ellipsis ("Demo…"), or
    /// "(not entered)". The one key hint for every report; never use it on a private key.
    pub fn report_hint(&self) -> String {
        let prefix: String = self.buf.trim().chars().take(4).collect();
        if prefix.is_empty() {
            "(not entered)".to_string()
        } else {
            format!("{prefix}…")
        }
    }
}

impl Default for Secret {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

#[cfg(test)]
mod tests {
    use super::Secret;

    #[test]
    fn the_report_hint_is_four_characters_of_the_trimmed_key() {
        let key = Secret::from_str_checked("  FakePublicKey001 ").expect("short");
        assert_eq!(key.report_hint(), "Fake…");
        assert_eq!(Secret::new().report_hint(), "(not entered)");
        let blank = Secret::from_str_checked("   ").expect("short");
        assert_eq!(blank.report_hint(), "(not entered)");
    }
}

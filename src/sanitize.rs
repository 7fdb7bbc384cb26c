//! Sanitizing what technicians paste: keys, IDs and sites.
//!
//! Keys pasted with stray whitespace are the number-one support issue in this setup. Everything
//! here is a pure function: it removes invisible characters (every Unicode white space, plus
//! NBSP, narrow NBSP, zero-width space/non-joiner/joiner, word joiner and BOM) and says exactly
//! what it removed, so the technician learns why the value changed.

use std::fmt;

use crate::secret::{CapacityFull, Secret};

/// What a value is, which decides how much may be removed from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    PublicKey,
    PrivateKey,
    CompanyId,
    MemberId,
    ClientId,
    Site,
}

impl FieldKind {
    /// Keys never contain spaces or quotes, so those go wherever they are; other values keep
    /// their inner characters (a company ID may legitimately contain a space).
    fn is_key(self) -> bool {
        matches!(self, FieldKind::PublicKey | FieldKind::PrivateKey)
    }
}

/// Shown after a 401: the second most common cause after padded keys.
pub const SWAPPED_KEYS_HINT: &str = "If the keys are right, check they are not swapped: the public key goes in the public-key field, the private key (shown only once, when the key was made) in the private-key field.";

/// Characters that are invisible or blank when pasted, named as the report names them.
fn invisible_name(c: char) -> Option<&'static str> {
    Some(match c {
        '\n' => "newline",
        '\r' => "carriage return",
        '\t' => "tab",
        ' ' => "space",
        '\u{a0}' => "non-breaking space",
        '\u{202f}' => "narrow non-breaking space",
        '\u{200b}' => "zero-width space",
        '\u{200c}' => "zero-width non-joiner",
        '\u{200d}' => "zero-width joiner",
        '\u{2060}' => "word joiner",
        '\u{feff}' => "byte-order mark",
        c if c.is_whitespace() => "other blank character",
        _ => return None,
    })
}

pub fn is_invisible(c: char) -> bool {
    invisible_name(c).is_some()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Position {
    Leading,
    Trailing,
    Inner,
}

impl Position {
    fn word(self) -> &'static str {
        match self {
            Position::Leading => "leading",
            Position::Trailing => "trailing",
            Position::Inner => "inner",
        }
    }
}

/// What sanitizing removed, counted by position and kind, in the order first seen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Removal {
    counts: Vec<(Position, &'static str, usize)>,
    quotes: bool,
}

impl Removal {
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty() && !self.quotes
    }

    /// How many characters were removed in all (a pair of quotes counts as 2).
    pub fn total(&self) -> usize {
        self.counts.iter().map(|(_, _, n)| n).sum::<usize>() + if self.quotes { 2 } else { 0 }
    }

    fn add(&mut self, position: Position, name: &'static str) {
        match self
            .counts
            .iter_mut()
            .find(|(p, n, _)| *p == position && *n == name)
        {
            Some((_, _, count)) => *count += 1,
            None => self.counts.push((position, name, 1)),
        }
    }
}

fn plural(name: &str, count: usize) -> String {
    if count == 1 {
        return name.to_string();
    }
    match name {
        "carriage return" => "carriage returns".into(),
        "byte-order mark" => "byte-order marks".into(),
        n if n.ends_with("space") => format!("{n}s"),
        n => format!("{n}s"),
    }
}

impl fmt::Display for Removal {
    /// "removed 1 trailing newline and 2 leading non-breaking spaces"
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("nothing removed");
        }
        let mut parts: Vec<String> = Vec::new();
        let mut sorted = self.counts.clone();
        sorted.sort_by_key(|(p, _, _)| *p);
        for (position, name, count) in sorted {
            parts.push(format!(
                "{count} {} {}",
                position.word(),
                plural(name, count)
            ));
        }
        if self.quotes {
            parts.push("a pair of quotes".to_string());
        }
        let text = match parts.len() {
            1 => parts.remove(0),
            _ => {
                let last = parts.pop().unwrap_or_default();
                format!("{} and {last}", parts.join(", "))
            }
        };
        write!(f, "removed {text}")
    }
}

/// A sanitized value and what was removed from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sanitized {
    pub value: String,
    pub removed: Removal,
}

const QUOTE_PAIRS: [(char, char); 5] =
    [('"', '"'), ('\'', '\''), ('`', '`'), ('“', '”'), ('‘', '’')];

/// Visits the characters to keep, recording what is dropped. Shared by both entry points so a
/// key sanitized into a `Secret` is exactly what `sanitize` would have produced.
fn sanitize_with(kind: FieldKind, input: &str, mut keep: impl FnMut(char) -> bool) -> Removal {
    let mut removed = Removal::default();
    let start = input
        .find(|c: char| !is_invisible(c))
        .unwrap_or(input.len());
    let end = input.rfind(|c: char| !is_invisible(c)).map_or(start, |i| {
        i + input[i..].chars().next().map_or(0, char::len_utf8)
    });
    for c in input[..start].chars() {
        removed.add(Position::Leading, invisible_name(c).unwrap_or("character"));
    }
    let mut core = &input[start..end.max(start)];
    if kind.is_key() {
        for (open, close) in QUOTE_PAIRS {
            if core.chars().count() >= 2 && core.starts_with(open) && core.ends_with(close) {
                core = &core[open.len_utf8()..core.len() - close.len_utf8()];
                removed.quotes = true;
                break;
            }
        }
    }
    for c in core.chars() {
        if kind.is_key() && is_invisible(c) {
            removed.add(Position::Inner, invisible_name(c).unwrap_or("character"));
        } else if !keep(c) {
            break;
        }
    }
    for c in input[end.max(start)..].chars() {
        removed.add(Position::Trailing, invisible_name(c).unwrap_or("character"));
    }
    removed
}

/// Sanitizes a value that is not secret.
pub fn sanitize(kind: FieldKind, input: &str) -> Sanitized {
    let mut value = String::with_capacity(input.len());
    let removed = sanitize_with(kind, input, |c| {
        value.push(c);
        true
    });
    Sanitized { value, removed }
}

/// Sanitizes a key straight into a `Secret`, with no intermediate `String` holding it.
/// On a capacity error `out` holds what fitted; the caller shows the error.
pub fn sanitize_secret_into(
    kind: FieldKind,
    input: &str,
    out: &mut Secret,
) -> Result<Removal, CapacityFull> {
    let mut error = None;
    let removed = sanitize_with(kind, input, |c| match out.push(c) {
        Ok(()) => true,
        Err(e) => {
            error = Some(e);
            false
        }
    });
    match error {
        Some(e) => Err(e),
        None => Ok(removed),
    }
}

/// Warnings for a key that does not look like a ConnectWise key (16 ASCII letters or digits).
/// They never block: the length is believed, not documented. Quotes up to 3 of the odd
/// characters, so use it only where the key may be shown (never for a private key in output
/// that is saved or shared: see [`private_key_warnings`]).
pub fn key_warnings(key: &str) -> Vec<String> {
    key_shape_warnings(key, true)
}

/// [`key_warnings`] for a private key: counts and kinds only, never any of its characters,
/// because these warnings reach `--json` and the support report.
pub fn private_key_warnings(key: &str) -> Vec<String> {
    key_shape_warnings(key, false)
}

fn key_shape_warnings(key: &str, quote: bool) -> Vec<String> {
    let mut warnings = Vec::new();
    let count = key.chars().count();
    if count != 16 {
        warnings.push(format!(
            "{count} characters, expected 16: part of the key may be missing or doubled"
        ));
    }
    let odd: Vec<char> = key.chars().filter(|c| !c.is_ascii_alphanumeric()).collect();
    if odd.is_empty() {
        return warnings;
    }
    if quote {
        let shown: Vec<String> = odd
            .iter()
            .take(3)
            .map(|&c| {
                if c.is_control() || !c.is_ascii() {
                    format!("U+{:04X}", c as u32)
                } else {
                    format!("'{c}'")
                }
            })
            .collect();
        warnings.push(format!(
            "contains {} — keys are letters and digits only",
            shown.join(", ")
        ));
    } else {
        let mut kinds: Vec<&str> = Vec::new();
        for c in &odd {
            let kind = if c.is_control() {
                "control"
            } else if !c.is_ascii() {
                "non-ASCII"
            } else {
                "punctuation or symbol"
            };
            if !kinds.contains(&kind) {
                kinds.push(kind);
            }
        }
        let n = odd.len();
        warnings.push(format!(
            "contains {n} character{} that {} not a letter or digit ({}) — keys are letters and digits only",
            if n == 1 { "" } else { "s" },
            if n == 1 { "is" } else { "are" },
            kinds.join(", ")
        ));
    }
    warnings
}

/// The same key pasted twice is an error: one of the two keys is missing.
pub fn keys_identical(public: &str, private: &str) -> bool {
    !public.is_empty() && public == private
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_newline_and_leading_nbsp_are_reported() {
        let s = sanitize(FieldKind::PublicKey, "\u{a0}\u{a0}AbCdEfGh12345678\n");
        assert_eq!(s.value, "AbCdEfGh12345678");
        assert_eq!(
            s.removed.to_string(),
            "removed 2 leading non-breaking spaces and 1 trailing newline"
        );
    }

    #[test]
    fn keys_lose_inner_invisibles_and_quotes() {
        let s = sanitize(FieldKind::PrivateKey, " \"AbCd\u{200b}EfGh 12345678\"\r\n");
        assert_eq!(s.value, "AbCdEfGh12345678");
        assert_eq!(
            s.removed.to_string(),
            "removed 1 leading space, 1 trailing carriage return, 1 trailing newline, 1 inner zero-width space, 1 inner space and a pair of quotes"
        );
    }

    #[test]
    fn company_id_keeps_inner_characters() {
        let s = sanitize(FieldKind::CompanyId, "  my company\t");
        assert_eq!(s.value, "my company");
        assert_eq!(s.removed.total(), 3);
    }

    #[test]
    fn a_secret_gets_exactly_what_sanitize_gives() {
        let mut secret = Secret::new();
        let removed = sanitize_secret_into(
            FieldKind::PrivateKey,
            "\u{feff}FakePrivateKey01 ",
            &mut secret,
        )
        .expect("fits");
        assert_eq!(secret.expose(), "FakePrivateKey01");
        assert_eq!(
            removed,
            sanitize(FieldKind::PrivateKey, "\u{feff}FakePrivateKey01 ").removed
        );
    }

    #[test]
    fn only_invisibles_give_an_empty_value() {
        let s = sanitize(FieldKind::PublicKey, " \u{2060}\n");
        assert_eq!(s.value, "");
        assert_eq!(s.removed.total(), 3);
    }

    #[test]
    fn key_shape_warnings_name_the_problem() {
        assert!(key_warnings("FakePublicKey001").is_empty());
        let w = key_warnings("short-key");
        assert!(w[0].contains("9 characters, expected 16"), "{w:?}");
        assert!(w[1].contains("'-'"), "{w:?}");
    }
}

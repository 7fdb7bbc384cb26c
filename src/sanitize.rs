//! Sanitizing what technicians paste (keys, IDs and sites), and outside text before it is shown.
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
/// They never block: the length is believed, not documented. They give counts and classes only,
/// never any of the key's characters (not even as a code point): these warnings reach the
/// screen, `--json` and the support report.
pub fn key_warnings(key: &str) -> Vec<String> {
    let mut warnings = Vec::new();
    let count = key.chars().count();
    if count != 16 {
        warnings.push(format!(
            "{}, expected 16: part of the key may be missing or doubled",
            crate::units::plural(count, "character", "characters")
        ));
    }
    // (class, count) in a fixed order, so the text says nothing about where each one is.
    let mut classes = [
        ("control character", 0usize),
        ("non-ASCII character", 0),
        ("punctuation or symbol", 0),
    ];
    for c in key.chars().filter(|c| !c.is_ascii_alphanumeric()) {
        let slot = if c.is_control() {
            0
        } else if !c.is_ascii() {
            1
        } else {
            2
        };
        classes[slot].1 += 1;
    }
    let odd: usize = classes.iter().map(|(_, n)| n).sum();
    if odd == 0 {
        return warnings;
    }
    let parts: Vec<String> = classes
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(class, n)| match (*n, *class) {
            (1, class) => format!("1 {class}"),
            (n, "punctuation or symbol") => format!("{n} punctuation or symbols"),
            (n, class) => format!("{n} {class}s"),
        })
        .collect();
    warnings.push(format!(
        "{odd} character{} that {} not a letter or digit ({}): keys are letters and digits only",
        if odd == 1 { "" } else { "s" },
        if odd == 1 { "is" } else { "are" },
        parts.join(", ")
    ));
    warnings
}

/// What replaces a character that must not reach a terminal or a file as it is: U+FFFD, the
/// replacement character, which every terminal draws as a visible "�" one column wide.
pub const DISPLAY_MARKER: char = '\u{fffd}';

/// Characters that could steer a terminal or reorder what it shows: every C0 and C1 control
/// (ESC, BEL, CSI and OSC introducers, backspace, carriage return…), DEL, the bidi embeddings,
/// overrides and isolates (U+202A–U+202E, U+2066–U+2069) and the bidi marks (U+061C, U+200E,
/// U+200F), plus the Unicode line and paragraph separators.
pub fn is_display_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// The one sanitizer for text that did not come from cwsetup itself (a ConnectWise server, a
/// profile file, a command-line value echoed back) before it reaches a terminal or a file, as
/// one line. A tab, newline or carriage return becomes a space (layout, not a threat, and a
/// carriage return could overwrite what is already on the line); every other character of
/// [`is_display_unsafe`] becomes [`DISPLAY_MARKER`], so nothing is hidden: `\x1b]0;x\x07`
/// shows as `�]0;x�`. Everything else is kept as it is.
pub fn display_text(text: &str) -> String {
    display_with(text, false)
}

/// [`display_text`] for text whose line breaks are legitimate (a multi-line message): `\n` is
/// kept, everything else is as in [`display_text`].
pub fn display_lines(text: &str) -> String {
    display_with(text, true)
}

fn display_with(text: &str, keep_newlines: bool) -> String {
    if !text.chars().any(is_display_unsafe) {
        return text.to_string();
    }
    text.chars()
        .map(|c| match c {
            '\n' if keep_newlines => '\n',
            '\t' | '\n' | '\r' | '\u{2028}' | '\u{2029}' => ' ',
            c if is_display_unsafe(c) => DISPLAY_MARKER,
            c => c,
        })
        .collect()
}

/// Outside text inside a Markdown document (a table cell, a list item, a heading): first
/// [`display_text`], then HTML's `&` and `<` as entities (so `<img onerror=…>` stays text in
/// every renderer; a `>` without its `<` is plain text, and stays readable as in "System >
/// Security Roles"), and the Markdown punctuation that works mid-line (`\` `` ` `` `*` `_` `[`
/// `]` `|` `~`) backslash-escaped, so the text can neither format, link, break a table nor open
/// a code span. (cwsetup never puts outside text at the start of a line, where `#`, `-` or `>`
/// would matter.)
pub fn markdown_text(text: &str) -> String {
    let clean = display_text(text);
    let mut out = String::with_capacity(clean.len() + 8);
    for c in clean.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Outside text as a Markdown code span, e.g. `` `V360API` ``: [`display_text`], with a fence of
/// more backticks than the text holds in a row (a code span shows `<`, `*` and `_` as they are;
/// only its own fence could end it early), and `|` escaped for the table it may sit in.
pub fn markdown_code(text: &str) -> String {
    let clean = display_text(text).replace('|', "\\|");
    let mut longest = 0;
    let mut run = 0;
    for c in clean.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    if longest == 0 {
        format!("{fence}{clean}{fence}")
    } else {
        format!("{fence} {clean} {fence}")
    }
}

/// Serialized JSON made safe to print, with the same value: every character of
/// [`is_display_unsafe`] (serde_json writes DEL, C1 controls and bidi overrides as they are;
/// only C0 controls are escaped) becomes a `\uXXXX` escape. Outside strings JSON holds only
/// ASCII punctuation, spaces and newlines, so the layout's newlines are kept. A parser reads
/// back exactly the text the server sent.
pub fn json_for_terminal(json: &str) -> String {
    if !json.chars().any(|c| c != '\n' && is_display_unsafe(c)) {
        return json.to_string();
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if c != '\n' && is_display_unsafe(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
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
        assert!(
            w[1].contains("1 character that is not a letter or digit (1 punctuation or symbol)"),
            "{w:?}"
        );
    }

    const HOSTILE: &str = "v\u{1b}]0;pwned\u{7}\u{1b}[2J\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}]8;;https://evil.example\u{1b}\\x\u{1b}]8;;\u{1b}\\\u{9b}31m\u{202e}gnp.exe\u{2066}\u{200f}\r\n";

    #[test]
    fn display_text_leaves_no_control_or_bidi_character() {
        let shown = display_text(HOSTILE);
        assert!(!shown.chars().any(is_display_unsafe), "{shown:?}");
        assert!(!shown.contains('\u{1b}') && !shown.contains('\u{9b}'));
        // Nothing is hidden: each escape is a visible marker, the rest is kept.
        assert!(
            shown.starts_with("v\u{fffd}]0;pwned\u{fffd}\u{fffd}[2J"),
            "{shown:?}"
        );
        assert!(shown.contains("\u{fffd}gnp.exe"), "{shown:?}");
        assert_eq!(display_text("plain text, kept"), "plain text, kept");
        assert_eq!(display_text("a\tb\r\nc"), "a b  c");
        assert_eq!(display_lines("a\r\nb\u{1b}"), "a \nb\u{fffd}");
    }

    #[test]
    fn markdown_text_escapes_html_and_markdown() {
        let md = markdown_text("<img src=x onerror=alert(1)> | **b** [l](u) `c` _i_ ~s~ & \\");
        assert_eq!(
            md,
            "&lt;img src=x onerror=alert(1)> \\| \\*\\*b\\*\\* \\[l\\](u) \\`c\\` \\_i\\_ \\~s\\~ &amp; \\\\"
        );
        assert!(!markdown_text(HOSTILE).chars().any(is_display_unsafe));
        assert_eq!(markdown_code("V360API"), "`V360API`");
        assert_eq!(markdown_code("a`b|c"), "`` a`b\\|c ``");
    }

    #[test]
    fn key_warnings_give_counts_and_classes_never_characters() {
        let key = "Ab\u{1b}[\u{202e}é!Cd12345678";
        let warnings = key_warnings(key).join("; ");
        assert!(
            warnings.contains("5 characters that are not a letter or digit (1 control character, 2 non-ASCII characters, 2 punctuation or symbols)"),
            "{warnings}"
        );
        for c in key.chars().filter(|c| !c.is_ascii_alphanumeric()) {
            assert!(!warnings.contains(c), "{warnings:?} quotes {c:?}");
            assert!(
                !warnings.contains(&format!("U+{:04X}", c as u32)),
                "{warnings}"
            );
        }
        // Not even the key's letters: only counts and the fixed words around them.
        assert!(
            !warnings.contains("Ab") && !warnings.contains("Cd"),
            "{warnings}"
        );
    }

    #[test]
    fn json_for_terminal_keeps_the_value_and_escapes_what_serde_leaves_raw() {
        let value = serde_json::json!({"name": HOSTILE, "del": "a\u{7f}b\u{85}c"});
        let json = serde_json::to_string_pretty(&value).expect("json");
        let safe = json_for_terminal(&json);
        assert!(
            !safe.chars().any(|c| c != '\n' && is_display_unsafe(c)),
            "{safe}"
        );
        let back: serde_json::Value = serde_json::from_str(&safe).expect("still JSON");
        assert_eq!(back, value);
    }
}

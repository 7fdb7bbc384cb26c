//! What the console can show: the ASCII fallback for `check`'s symbols, and whether colour
//! escapes will be understood.
//!
//! Windows' legacy console (conhost with a raster font and an OEM code page such as 437) has no
//! glyphs for ✓ ✗ ⚠ → …, and shows raw escape sequences unless virtual-terminal processing can
//! be turned on. `CWSETUP_ASCII=1` forces the fallback on any platform (and `0` turns it off).

use std::borrow::Cow;

/// Whether human output should use ASCII stand-ins for its symbols.
pub fn ascii_only() -> bool {
    match std::env::var("CWSETUP_ASCII").as_deref() {
        Ok("1") | Ok("true") | Ok("yes") => true,
        Ok("0") | Ok("false") | Ok("no") => false,
        _ => legacy_console(),
    }
}

/// On Windows: standard output is a console whose output code page is not UTF-8 (65001).
#[cfg(windows)]
fn legacy_console() -> bool {
    use std::io::IsTerminal as _;
    const CP_UTF8: u32 = 65001;
    // SAFETY: GetConsoleOutputCP takes no arguments and only reads the console's state.
    std::io::stdout().is_terminal()
        && unsafe { windows_sys::Win32::System::Console::GetConsoleOutputCP() } != CP_UTF8
}

#[cfg(not(windows))]
fn legacy_console() -> bool {
    false
}

/// Whether colour escapes will be understood: always on Unix terminals; on Windows only once
/// virtual-terminal processing could be turned on (Windows 10 and later).
pub fn ansi_ok() -> bool {
    #[cfg(windows)]
    {
        crossterm::ansi_support::supports_ansi()
    }
    #[cfg(not(windows))]
    {
        true
    }
}

/// The symbols cwsetup prints, with their ASCII stand-ins (one column each where the symbol is
/// one, so the columns of `check`'s output stay aligned).
const STAND_INS: &[(char, &str)] = &[
    ('✓', "+"),
    ('✗', "x"),
    ('⚠', "!"),
    ('–', "-"),
    ('—', "-"),
    ('→', "->"),
    ('…', "..."),
    ('•', "*"),
    ('·', "-"),
    ('─', "-"),
    ('↓', "v"),
    ('↑', "^"),
    ('“', "\""),
    ('”', "\""),
    ('‘', "'"),
    ('’', "'"),
    ('\u{a0}', " "),
];

/// `text` with every symbol in [`STAND_INS`] replaced; other characters are left as they are
/// (Rust writes to the Windows console in UTF-16, so letters such as é still show).
pub fn to_ascii(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| STAND_INS.iter().any(|(s, _)| *s == c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match STAND_INS.iter().find(|(s, _)| *s == c) {
            Some((_, ascii)) => out.push_str(ascii),
            None => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// `text` as the console can show it.
pub fn fit(text: &str) -> Cow<'_, str> {
    if ascii_only() {
        to_ascii(text)
    } else {
        Cow::Borrowed(text)
    }
}

/// A headless command's failure before it could read anything (input, site, company,
/// connection): `{"verdict": "fail", "error": …}` on standard output with `--json`, and the
/// summary and its fix on standard error, all sanitized.
pub fn print_failure(command: &str, json: bool, summary: &str, fix: &str) {
    if json {
        let body = serde_json::json!({
            "verdict": "fail",
            "error": {"summary": summary, "fix": fix},
        });
        let text = serde_json::to_string_pretty(&body).unwrap_or_default();
        println!("{}", crate::sanitize::json_for_terminal(&text));
    }
    eprintln!(
        "cwsetup {command}: {}\n  fix: {}",
        crate::sanitize::display_text(summary),
        crate::sanitize::display_text(fix)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_symbol_of_the_check_output_has_a_one_column_stand_in() {
        use crate::check::{PermissionStatus, StageStatus};
        let symbols = [
            StageStatus::Pass.symbol(),
            StageStatus::Warn.symbol(),
            StageStatus::Fail.symbol(),
            StageStatus::Skip.symbol(),
            PermissionStatus::Pass.symbol(),
            PermissionStatus::Fail.symbol(),
            PermissionStatus::Unverified.symbol(),
        ];
        for symbol in symbols {
            let ascii = to_ascii(symbol);
            assert!(ascii.is_ascii(), "{symbol} -> {ascii}");
            assert_eq!(ascii.chars().count(), 1, "{symbol} -> {ascii}");
        }
    }

    #[test]
    fn plain_text_is_not_copied_and_letters_are_kept() {
        assert!(matches!(to_ascii("PASS: all good"), Cow::Borrowed(_)));
        assert_eq!(
            to_ascii("✓ company  Société Générale → v2025.1 …"),
            "+ company  Société Générale -> v2025.1 ..."
        );
    }
}

//! The profile parser, `profile::parse`, on arbitrary text.
#![no_main]

use cwsetup::profile::{self, ProfileError};
use libfuzzer_sys::fuzz_target;

const NAME: &str = "fuzz.json";

/// A 1-based line and a column that lies inside `text` (the column may be one past the line's
/// end). Column 0 is serde_json's "before the first character of the line": an early end of
/// file right after a newline, or an empty file, gives `1:0` / `N:0`.
fn inside(text: &str, line: usize, column: usize) -> bool {
    let lines: Vec<&str> = text.split('\n').collect();
    line >= 1 && line <= lines.len() && column <= lines[line - 1].len() + 1
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    let result = profile::parse(NAME, text);
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    match result {
        Ok(p) => {
            // Valid: it round-trips through the saved format and validates on its own.
            profile::validate(NAME, &p).expect("a parsed profile validates");
            let again = profile::parse(NAME, &p.to_json_pretty()).expect("round trip parses");
            assert_eq!(again, p);
        }
        Err(ProfileError::Parse {
            name,
            line,
            column,
            field,
            problem,
            fix,
        }) => {
            assert_eq!(name, NAME);
            assert!(
                inside(body, line, column),
                "{line}:{column} outside the text"
            );
            assert!(!field.is_empty() && !problem.is_empty() && !fix.is_empty());
            assert!(
                !problem.ends_with(&format!(" at line {line} column {column}")),
                "{problem}"
            );
        }
        Err(ProfileError::Invalid {
            name,
            position,
            field,
            problem,
            fix,
        }) => {
            // Validation runs on text that parsed, so the field can always be located.
            assert_eq!(name, NAME);
            let (line, column) = position.expect("a validation error has a position");
            assert!(line >= 1 && column >= 1, "locate gives 1-based positions");
            assert!(
                inside(body, line, column),
                "{line}:{column} for {field} outside the text"
            );
            assert!(!field.is_empty() && !problem.is_empty() && !fix.is_empty());
        }
        Err(other) => panic!("parse gave a file error: {other:?}"),
    }
});

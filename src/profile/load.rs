//! Reading, checking and saving profile files.
//!
//! Parsing is strict: unknown fields, wrong level names and missing fields are errors that name
//! the file, the line and column, and the field path. After parsing, [`validate`] rejects
//! profiles that fit the schema but cannot be right (duplicate rows, a probe that is a URL, ...).

use std::io::Read;
use std::path::{Path, PathBuf};

use super::error::ProfileError;
use super::model::Profile;
use super::validate::validate;
use crate::permission::Column;

/// Profiles are a few kilobytes; anything far larger is the wrong file.
const MAX_PROFILE_BYTES: u64 = 1024 * 1024;

const EXAMPLE_HINT: &str = "see assets/profiles/sync365.json for a complete example";

/// Parses and validates a profile. `name` is the file (or asset) name used in error messages.
pub fn parse(name: &str, text: &str) -> Result<Profile, ProfileError> {
    // Editors on Windows often save UTF-8 with a byte-order mark, which JSON does not allow.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut de = serde_json::Deserializer::from_str(text);
    let profile: Profile = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let field = display_path(&e.path().to_string());
        parse_error(name, field, e.into_inner())
    })?;
    de.end()
        .map_err(|e| parse_error(name, "(top level)".to_string(), e))?;
    validate(name, &profile).map_err(|e| e.located_in(text))?;
    Ok(profile)
}

/// Reads, parses and validates a profile file (a user's own, passed with `--profile-file`).
pub fn load_file(path: &Path) -> Result<Profile, ProfileError> {
    let read_err = |source| ProfileError::Read {
        path: path.to_path_buf(),
        source,
    };
    // Never a FIFO or a device: refused before anything is read (so nothing can hang here).
    let file = crate::report_file::open_regular(path).map_err(read_err)?;
    let mut bytes = Vec::new();
    // One byte past the limit tells "too large" apart from "exactly at the limit".
    let read = file
        .take(MAX_PROFILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(read_err)?;
    if read as u64 > MAX_PROFILE_BYTES {
        let size = std::fs::metadata(path)
            .map(|m| m.len())
            .unwrap_or(read as u64);
        return Err(ProfileError::TooLarge {
            path: path.to_path_buf(),
            size,
            max: MAX_PROFILE_BYTES,
        });
    }
    let text = String::from_utf8(bytes).map_err(|_| ProfileError::NotText {
        path: path.to_path_buf(),
    })?;
    // A profile file is outside text: its errors and its strings are sanitized once, here, so
    // no escape sequence or bidi override from it reaches the wizard, a check, a report or
    // `cwsetup role` (a built-in profile is cwsetup's own text).
    parse(&path.display().to_string(), &text)
        .map(|profile| profile.for_display())
        .map_err(ProfileError::for_display)
}

/// Validates `profile`, then writes it as pretty JSON to `path` (see [`crate::report_file`]),
/// so that the technician can reuse it with `--profile-file`.
pub fn save_user_profile(profile: &Profile, path: &Path) -> Result<(), ProfileError> {
    validate(&path.display().to_string(), profile)?;
    let write_err = |source| ProfileError::Write {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(write_err)?;
    }
    // A new file beside the target, renamed into place (a crash never leaves half a profile),
    // mode 0600, never through a link or into a FIFO.
    // Sanitized again before writing: rows edited from a tampered saved session (or any other
    // outside text) reach the file with no control or bidi override in them.
    let safe = profile.clone().for_display();
    crate::report_file::write_private(path, safe.to_json_pretty().as_bytes()).map_err(write_err)
}

/// Where the wizard saves user profiles by default: `<config dir>/cwsetup/profiles`.
/// `None` when the platform has no home directory.
pub fn user_profile_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "cwsetup").map(|d| d.config_dir().join("profiles"))
}

/// The default file for a user profile with this id: `<user_profile_dir>/<id>.json`.
pub fn user_profile_path(id: &str) -> Option<PathBuf> {
    user_profile_dir().map(|d| d.join(format!("{id}.json")))
}

impl Profile {
    /// The profile with every string through [`crate::sanitize::display_text`].
    pub fn for_display(self) -> Profile {
        fn clean(value: &mut serde_json::Value) {
            match value {
                serde_json::Value::String(s)
                    if s.chars().any(crate::sanitize::is_display_unsafe) =>
                {
                    *s = crate::sanitize::display_text(s);
                }
                serde_json::Value::Array(items) => items.iter_mut().for_each(clean),
                serde_json::Value::Object(map) => map.values_mut().for_each(clean),
                _ => {}
            }
        }
        let Ok(mut value) = serde_json::to_value(&self) else {
            return self;
        };
        clean(&mut value);
        // Only string contents changed, so the shape still fits; keep the original otherwise.
        serde_json::from_value(value).unwrap_or(self)
    }

    /// The profile as pretty-printed JSON with a trailing newline: the format of the asset files.
    pub fn to_json_pretty(&self) -> String {
        let mut text = serde_json::to_string_pretty(self)
            .expect("a Profile holds only strings, lists and enums, which always serialize");
        text.push('\n');
        text
    }
}

fn display_path(path: &str) -> String {
    if path.is_empty() || path == "." {
        "(top level)".to_string()
    } else {
        path.to_string()
    }
}

fn parse_error(name: &str, field: String, err: serde_json::Error) -> ProfileError {
    use serde_json::error::Category;
    let full = err.to_string();
    // serde_json appends " at line L column C"; the line and column are reported separately.
    let problem = match full.rfind(" at line ") {
        Some(i) if err.line() > 0 => full[..i].to_string(),
        _ => full.clone(),
    };
    let is_level = Column::ALL
        .iter()
        .any(|c| field.ends_with(&format!(".{}", c.field())));
    let fix = match err.classify() {
        Category::Eof => {
            "the file ends too early: close every { and [ (was the file cut short?)".to_string()
        }
        Category::Syntax if problem.starts_with("trailing characters") => {
            "remove everything after the profile's closing }".to_string()
        }
        Category::Syntax => {
            "correct the JSON syntax at this position (a missing comma, quote or bracket is the usual cause)".to_string()
        }
        Category::Io => "check that the file is readable text".to_string(),
        Category::Data if problem.starts_with("unknown field") => {
            "remove this field or correct its spelling to one of the expected names".to_string()
        }
        Category::Data if problem.starts_with("missing field") => {
            format!("add the missing field to this object ({EXAMPLE_HINT})")
        }
        Category::Data if problem.starts_with("duplicate field") => {
            "keep only one copy of this field".to_string()
        }
        Category::Data if is_level => {
            "levels are \"None\", \"My\" or \"All\", quoted and with that capitalisation".to_string()
        }
        Category::Data if problem.starts_with("unknown variant") => {
            "use one of the expected values, spelled exactly as listed".to_string()
        }
        Category::Data => format!(
            "give this field the expected type: a quoted string, a list in [ ], true/false or an object ({EXAMPLE_HINT})"
        ),
    };
    ProfileError::Parse {
        name: name.to_string(),
        line: err.line(),
        column: err.column(),
        field,
        problem,
        fix,
    }
}

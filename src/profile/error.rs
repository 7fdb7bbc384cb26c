//! What can go wrong with a profile, each with the place and the fix.

use std::path::PathBuf;

/// A profile that could not be read, parsed, validated, found or saved.
///
/// Every message names where the problem is (file, line/column or field path) and what to change.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error("cannot read profile file {path}: {source}. Check the path and that the file is readable.", path = crate::sanitize::display_text(&path.display().to_string()))]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("profile file {path} is not UTF-8 text. Save it as UTF-8 JSON (the format of assets/profiles/sync365.json).", path = crate::sanitize::display_text(&path.display().to_string()))]
    NotText { path: PathBuf },

    #[error("profile file {path} is {}; profiles are small text files (at most {}). Check that --profile-file points at a profile JSON file.", crate::units::human_bytes(*.size), crate::units::human_bytes(*.max), path = crate::sanitize::display_text(&path.display().to_string()))]
    TooLarge { path: PathBuf, size: u64, max: u64 },

    /// The text is not valid JSON, or does not fit the profile schema.
    #[error("{name}:{line}:{column}: {field}: {problem}. Fix: {fix}")]
    Parse {
        /// The file name (or the built-in asset name) the text came from.
        name: String,
        line: usize,
        column: usize,
        /// Field path inside the profile, e.g. `role.rows[2].add` (`(top level)` when none).
        field: String,
        problem: String,
        fix: String,
    },

    /// The JSON fits the schema but says something that cannot be right.
    #[error("{name}{}: {field}: {problem}. Fix: {fix}", position.map(|(l, c)| format!(":{l}:{c}")).unwrap_or_default())]
    Invalid {
        name: String,
        /// 1-based (line, column) of the field, when the profile came from text.
        position: Option<(usize, usize)>,
        field: String,
        problem: String,
        fix: String,
    },

    #[error("unknown profile id `{id}`: no vendor profile has this id. Known profiles: {known}. Run `cwsetup profiles` to list them, or pass your own file with --profile-file PATH.", known = known.join(", "))]
    UnknownId { id: String, known: Vec<String> },

    #[error("cannot save profile to {path}: {source}. Check that the folder exists and is writable, or choose another path.", path = crate::sanitize::display_text(&path.display().to_string()))]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl ProfileError {
    /// The error with every text that came from the file (or the command line) through
    /// [`crate::sanitize::display_text`]; paths are sanitized when displayed.
    pub fn for_display(self) -> Self {
        use crate::sanitize::display_text as d;
        match self {
            ProfileError::Parse {
                name,
                line,
                column,
                field,
                problem,
                fix,
            } => ProfileError::Parse {
                name: d(&name),
                line,
                column,
                field: d(&field),
                problem: d(&problem),
                fix: d(&fix),
            },
            ProfileError::Invalid {
                name,
                position,
                field,
                problem,
                fix,
            } => ProfileError::Invalid {
                name: d(&name),
                position,
                field: d(&field),
                problem: d(&problem),
                fix: d(&fix),
            },
            ProfileError::UnknownId { id, known } => ProfileError::UnknownId {
                id: d(&id),
                known: known.iter().map(|k| d(k)).collect(),
            },
            other => other,
        }
    }

    /// Adds the line and column of the offending field to a validation error about `text`.
    pub(crate) fn located_in(self, text: &str) -> Self {
        match self {
            ProfileError::Invalid {
                name,
                position: None,
                field,
                problem,
                fix,
            } => ProfileError::Invalid {
                position: super::locate::locate(text, &field),
                name,
                field,
                problem,
                fix,
            },
            other => other,
        }
    }
}

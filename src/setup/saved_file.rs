//! The saved setup as a file: its format ([`SavedState`], no field that could hold a key),
//! where it lives, and reading and writing it. What it holds of the setup, and when it is
//! written, is [`super::saved`]'s.
//!
//! Format 2 names steps and fields; format 1 (steps by their number, fields one by one) is
//! read and turned into format 2, so a new step never moves what an old file resumes to.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::profile::RoleRow;

/// The file format's version; a newer one is set aside, not guessed at.
pub const VERSION: u32 = 2;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedState {
    pub version: u32,
    /// The step, by its name ([`super::step::StepId::name`]): `prerequisites` … `summary`.
    pub step: String,
    /// Ticked checklist items: (step name, item text).
    pub ticked: Vec<(String, String)>,
    /// Where ConnectWise runs: a cloud region's shorthand (`na`, `aus`, …) or `self-hosted`.
    pub region: Option<String>,
    /// The API member plan, by its name.
    pub member_plan: Option<String>,
    /// The saved text fields, by their names in the field table
    /// ([`super::fields::FieldSpec::saved_as`]): `site`, `company_id`, `client_id`.
    pub fields: BTreeMap<String, String>,
    /// Selected profile ids.
    pub selected: Vec<String>,
    /// Role rows edited and not saved as a profile file, by profile id.
    pub role_edits: BTreeMap<String, Vec<RoleRow>>,
    /// The last test's outcome in one line.
    pub last_verdict: Option<String>,
}

impl SavedState {
    /// The state with every text that is shown back (role edits, the last verdict, ticked items)
    /// through [`crate::sanitize::display_text`]: a tampered file's controls and bidi overrides
    /// become a visible `�`, on screen and in any profile saved from the edits.
    pub fn sanitized(mut self) -> SavedState {
        use crate::sanitize::display_text as safe;
        for rows in self.role_edits.values_mut() {
            for row in rows.iter_mut() {
                row.module = safe(&row.module);
                row.function = safe(&row.function);
                row.why = safe(&row.why);
                row.probe = row.probe.as_deref().map(safe);
                for item in row.customize.iter_mut() {
                    *item = safe(item);
                }
            }
        }
        self.last_verdict = self.last_verdict.as_deref().map(safe);
        for (_, item) in self.ticked.iter_mut() {
            *item = safe(item);
        }
        self
    }

    /// A saved text field's value ("" when the file has none).
    pub fn field(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", String::as_str)
    }
}

/// Format 1, as cwsetup 0.1 wrote it: steps by their place (0..=5), and the three fields one by
/// one. Read only, to be turned into format 2.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SavedStateV1 {
    #[allow(dead_code)]
    version: u32,
    step: usize,
    ticked: Vec<(usize, String)>,
    region: Option<String>,
    #[serde(default)]
    member_plan: Option<String>,
    site: String,
    company_id: String,
    client_id: String,
    selected: Vec<String>,
    role_edits: BTreeMap<String, Vec<RoleRow>>,
    last_verdict: Option<String>,
}

/// Format 1's steps, in the order its numbers meant: frozen here, whatever steps come later.
const V1_STEPS: [&str; 6] = [
    "prerequisites",
    "security-role",
    "api-member",
    "api-key",
    "integration",
    "summary",
];

impl From<SavedStateV1> for SavedState {
    fn from(old: SavedStateV1) -> SavedState {
        let step_name = |i: usize| V1_STEPS.get(i).map(|s| s.to_string());
        SavedState {
            version: VERSION,
            step: step_name(old.step).unwrap_or_else(|| V1_STEPS[0].to_string()),
            ticked: old
                .ticked
                .into_iter()
                .filter_map(|(i, item)| Some((step_name(i)?, item)))
                .collect(),
            region: old.region,
            member_plan: old.member_plan,
            fields: [
                ("site", old.site),
                ("company_id", old.company_id),
                ("client_id", old.client_id),
            ]
            .into_iter()
            .map(|(name, value)| (name.to_string(), value))
            .collect(),
            selected: old.selected,
            role_edits: old.role_edits,
            last_verdict: old.last_verdict,
        }
    }
}

/// `<state dir>/cwsetup/session.json` (the data directory where a platform has no state
/// directory). On Linux `XDG_STATE_HOME` moves it.
pub fn state_path() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "cwsetup")?;
    let dir = dirs
        .state_dir()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| dirs.data_local_dir().to_path_buf());
    Some(dir.join("session.json"))
}

/// What reading the saved state found.
#[derive(Debug)]
pub enum Loaded {
    Nothing,
    State(Box<SavedState>),
    /// The file was unreadable or from a newer cwsetup: renamed aside; the line says so.
    SetAside(String),
}

pub fn load(path: &Path) -> Loaded {
    // At most 1 MiB, and only a regular file: a FIFO or device planted there was refused
    // before the wizard started (see the command line); one put there since is ignored. A
    // session found readable by others is made 0600 first.
    let bytes = match crate::report_file::read_own(path) {
        Ok(bytes) => bytes,
        // Absent, or a parent folder that is not one: nothing saved there.
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
            ) =>
        {
            return Loaded::Nothing;
        }
        Err(e) if e.kind() == std::io::ErrorKind::InvalidInput => {
            return Loaded::SetAside(crate::sanitize::display_text(&format!(
                "the saved setup {} was ignored: {e}",
                path.display()
            )));
        }
        Err(e) => return set_aside(path, &format!("it could not be read ({e})")),
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return set_aside(path, "it is not text");
    };
    // Only the version is read here: the rest is skipped, never built into a tree.
    #[derive(Deserialize)]
    struct VersionOnly {
        version: Option<u64>,
    }
    let version = serde_json::from_str::<VersionOnly>(&text)
        .ok()
        .and_then(|v| v.version);
    match version {
        Some(v) if v > u64::from(VERSION) => {
            return set_aside(path, &format!("it is from a newer cwsetup (format {v})"));
        }
        _ => {}
    }
    let parsed = if version == Some(1) {
        serde_json::from_str::<SavedStateV1>(&text).map(SavedState::from)
    } else {
        serde_json::from_str::<SavedState>(&text)
    };
    match parsed {
        Ok(state) if edited_rows(&state) > MAX_EDITED_ROWS => set_aside(
            path,
            &format!(
                "it holds {} edited role rows, more than ConnectWise has functions (at most \
                 {MAX_EDITED_ROWS})",
                edited_rows(&state)
            ),
        ),
        // Sanitized as it is read: the file is outside text (it could have been edited).
        Ok(state) if state.version == VERSION => Loaded::State(Box::new(state.sanitized())),
        Ok(state) => set_aside(path, &format!("unknown format {}", state.version)),
        Err(e) => set_aside(path, &format!("it is damaged ({e})")),
    }
}

/// The most edited role rows a saved session may hold, over all profiles: ConnectWise's role
/// screen has a few hundred functions, so more is not a session cwsetup wrote.
pub const MAX_EDITED_ROWS: usize = 2000;

fn edited_rows(state: &SavedState) -> usize {
    state.role_edits.values().map(Vec::len).sum()
}

fn set_aside(path: &Path, why: &str) -> Loaded {
    let mut bad = path.as_os_str().to_owned();
    bad.push(".bad");
    let bad = PathBuf::from(bad);
    let line = match std::fs::rename(path, &bad) {
        Ok(()) => format!(
            "the saved setup was set aside as {} because {why}; starting fresh",
            bad.display()
        ),
        Err(e) => format!(
            "the saved setup {} was ignored because {why} (could not rename it: {e}); starting fresh",
            path.display()
        ),
    };
    Loaded::SetAside(crate::sanitize::display_text(&line))
}

/// Writes the state atomically, mode 0600, creating the folder if needed.
pub fn save(path: &Path, state: &SavedState) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        crate::report_file::create_private_dir(dir)?;
    }
    // And again before writing: nothing unsafe goes back to disk.
    let text =
        serde_json::to_string_pretty(&state.clone().sanitized()).map_err(std::io::Error::other)?;
    crate::report_file::write_private(path, text.as_bytes())
}

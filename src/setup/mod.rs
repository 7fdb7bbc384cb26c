//! The setup, front-end neutral: the steps and the member plans ([`step`]), what each step shows
//! ([`content`]), the fields and their one table ([`fields`]), the state both front ends drive
//! ([`state::Setup`]), the test's and the audit's requests ([`request`]), the results
//! ([`check_state`]), saving and resuming ([`saved`]), and the report ([`report`]).
//!
//! Knows no terminal and no HTTP: the wizard ([`crate::wizard`]) and plain mode
//! ([`crate::plain`]) each show it their own way, and [`crate::check`] / [`crate::audit`] do the
//! talking to ConnectWise.

// Every match in the core names its variants: a new step, field, plan or region does not
// compile until each place that decides something about it says what.
#![deny(clippy::wildcard_enum_match_arm)]

pub mod check_state;
pub mod client_id;
pub mod content;
pub mod content_model;
pub mod field_values;
pub mod fields;
pub mod link_names;
pub mod masked_input;
pub mod own_keys;
pub mod portal_content;
pub mod report;
pub mod request;
pub mod rotation;
pub mod rotation_state;
pub mod saved;
pub mod saved_file;
pub mod setup_only;
pub mod state;
pub mod step;
pub mod text_field;

use std::path::PathBuf;
use std::time::Duration;

use crate::profile::Profile;

pub use fields::FieldId;
pub use state::{Hints, Prefill, Settings, Setup, Tone};
pub use step::{Hosting, MemberPlan, StepId, StepState};

/// How a front end was asked to start: the same for the wizard and plain mode.
pub struct StartOptions {
    pub settings: Settings,
    pub profiles: Vec<Profile>,
    pub selected: Vec<String>,
    pub prefill: Option<Prefill>,
    /// Seconds before a copied key is cleared from the clipboard; zero keeps it.
    pub clipboard_clear: Duration,
    /// Where reports and edited profiles are saved.
    pub save_dir: PathBuf,
    /// Where progress is saved for resuming ([`saved::state_path`]); `None` saves
    /// nothing.
    pub state_file: Option<PathBuf>,
    /// Where the client ID is remembered ([`client_id::config_path`]).
    pub config_file: Option<PathBuf>,
    /// Skip the offer to resume.
    pub fresh: bool,
    /// How the front end says to start over or reuse a saved profile, in its own words.
    pub hints: Hints,
}

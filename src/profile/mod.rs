//! Vendor profiles: setup guides as data, embedded from `assets/profiles`.
//!
//! - [`builtin`] / [`find`]: the shipped profiles; [`parse`] / [`load_file`]: strict reading with
//!   errors that name the file, line and field; [`save_user_profile`]: the wizard's saved rows.
//! - [`merge`]: one least-privilege role for an API member that serves several tools.
//! - [`render_text`], [`render_markdown`], [`render_json`]: the role for a terminal, an admin, a script.
//! - [`matching`], [`profiles_table`], [`profiles_json`]: the list `cwsetup profiles` prints;
//!   [`check_contribution`]: what `cwsetup profiles validate` checks. The commands themselves
//!   (flags, printing, exit codes) are in `cli`.

mod builtin;
mod contribution;
mod error;
mod listing;
mod load;
mod locate;
mod merge;
mod model;
mod portal;
mod probes;
mod render;
mod scope;
mod validate;

/// The permission vocabulary lives in [`crate::permission`]; re-exported for the profile's users.
pub use crate::permission::{Level, Levels};
pub use builtin::{DEFAULT_PROFILE_ID, builtin, builtin_and_saved, builtin_ids, find};
pub use contribution::{check_contribution, known_functions};
pub use error::ProfileError;
pub use listing::{matching, profiles_json, profiles_table};
pub use load::{load_file, parse, save_user_profile, user_profile_dir, user_profile_path};
pub use merge::{MergedRole, MergedRow, ProfileSource, for_an_existing_role, merge, product_label};
pub use model::*;
pub use portal::{
    PortalEntry, PortalInputs, PortalText, api_host, api_url, field_value, login_host, login_url,
    portal_entries, shown_without_keys,
};
pub use probes::{PROBES, ProbeEntry, probe_entry, probe_for, setup_table_of};
pub use render::{HandoffMember, render_handoff, render_json, render_markdown, render_text};
pub use scope::MergedSetupOnly;
pub use validate::validate;

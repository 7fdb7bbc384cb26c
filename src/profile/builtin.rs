//! The profiles that ship inside the binary, from `assets/profiles`.

use std::sync::OnceLock;

use super::load::parse;
use super::model::Profile;

/// (asset name, text) of every shipped profile, in the order `cwsetup profiles` lists them.
const SOURCES: &[(&str, &str)] = &[
    (
        "assets/profiles/sync365.json",
        include_str!("../../assets/profiles/sync365.json"),
    ),
    (
        "assets/profiles/visionary360-email-reconnector.json",
        include_str!("../../assets/profiles/visionary360-email-reconnector.json"),
    ),
];

/// The profile `cwsetup role` uses when no `--profile` or `--profile-file` is given.
pub const DEFAULT_PROFILE_ID: &str = "sync365";

/// Every shipped profile, parsed once.
pub fn builtin() -> &'static [Profile] {
    static PROFILES: OnceLock<Vec<Profile>> = OnceLock::new();
    PROFILES.get_or_init(|| {
        SOURCES
            .iter()
            .map(|(name, text)| match parse(name, text) {
                Ok(profile) => profile,
                // The assets are compiled in and covered by tests: a failure here is a build defect.
                Err(e) => panic!("shipped profile {name} is invalid: {e}"),
            })
            .collect()
    })
}

/// The shipped profile with this id (ASCII case-insensitive), if any.
pub fn find(id: &str) -> Option<&'static Profile> {
    let id = id.trim();
    builtin().iter().find(|p| p.id.eq_ignore_ascii_case(id))
}

/// The ids of the shipped profiles, for "unknown id" messages.
pub fn builtin_ids() -> Vec<String> {
    builtin().iter().map(|p| p.id.clone()).collect()
}

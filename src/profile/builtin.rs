//! The profiles that ship inside the binary, from `assets/profiles`.

use std::path::PathBuf;
use std::sync::OnceLock;

use super::load::{load_file, parse, user_profile_dir};
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
    (
        "assets/profiles/hudu.json",
        include_str!("../../assets/profiles/hudu.json"),
    ),
    (
        "assets/profiles/n-able-n-central.json",
        include_str!("../../assets/profiles/n-able-n-central.json"),
    ),
    (
        "assets/profiles/n-able-n-sight.json",
        include_str!("../../assets/profiles/n-able-n-sight.json"),
    ),
    (
        "assets/profiles/n-able-passportal.json",
        include_str!("../../assets/profiles/n-able-passportal.json"),
    ),
    (
        "assets/profiles/datto-rmm.json",
        include_str!("../../assets/profiles/datto-rmm.json"),
    ),
    (
        "assets/profiles/datto-continuity.json",
        include_str!("../../assets/profiles/datto-continuity.json"),
    ),
    (
        "assets/profiles/smileback.json",
        include_str!("../../assets/profiles/smileback.json"),
    ),
    (
        "assets/profiles/cloudradial-chat.json",
        include_str!("../../assets/profiles/cloudradial-chat.json"),
    ),
    (
        "assets/profiles/cyberdrain-cow.json",
        include_str!("../../assets/profiles/cyberdrain-cow.json"),
    ),
    (
        "assets/profiles/immybot.json",
        include_str!("../../assets/profiles/immybot.json"),
    ),
    (
        "assets/profiles/visionary360-accounting-sync.json",
        include_str!("../../assets/profiles/visionary360-accounting-sync.json"),
    ),
    (
        "assets/profiles/commvault.json",
        include_str!("../../assets/profiles/commvault.json"),
    ),
    (
        "assets/profiles/watchguard-cloud.json",
        include_str!("../../assets/profiles/watchguard-cloud.json"),
    ),
    (
        "assets/profiles/lastpass.json",
        include_str!("../../assets/profiles/lastpass.json"),
    ),
    (
        "assets/profiles/guardz.json",
        include_str!("../../assets/profiles/guardz.json"),
    ),
    (
        "assets/profiles/bitdefender-gravityzone.json",
        include_str!("../../assets/profiles/bitdefender-gravityzone.json"),
    ),
    (
        "assets/profiles/msp360.json",
        include_str!("../../assets/profiles/msp360.json"),
    ),
    (
        "assets/profiles/timesanity.json",
        include_str!("../../assets/profiles/timesanity.json"),
    ),
    (
        "assets/profiles/rewst.json",
        include_str!("../../assets/profiles/rewst.json"),
    ),
    (
        "assets/profiles/cisco-umbrella.json",
        include_str!("../../assets/profiles/cisco-umbrella.json"),
    ),
    (
        "assets/profiles/ninjaone.json",
        include_str!("../../assets/profiles/ninjaone.json"),
    ),
    (
        "assets/profiles/chatstyle.json",
        include_str!("../../assets/profiles/chatstyle.json"),
    ),
    (
        "assets/profiles/heyhappy.json",
        include_str!("../../assets/profiles/heyhappy.json"),
    ),
    (
        "assets/profiles/team-gps.json",
        include_str!("../../assets/profiles/team-gps.json"),
    ),
    (
        "assets/profiles/cyrisma.json",
        include_str!("../../assets/profiles/cyrisma.json"),
    ),
    (
        "assets/profiles/manageengine-endpoint-central-msp.json",
        include_str!("../../assets/profiles/manageengine-endpoint-central-msp.json"),
    ),
    (
        "assets/profiles/idrive-360.json",
        include_str!("../../assets/profiles/idrive-360.json"),
    ),
    (
        "assets/profiles/gozynta-mobius.json",
        include_str!("../../assets/profiles/gozynta-mobius.json"),
    ),
    (
        "assets/profiles/1stream.json",
        include_str!("../../assets/profiles/1stream.json"),
    ),
    (
        "assets/profiles/cloud-im.json",
        include_str!("../../assets/profiles/cloud-im.json"),
    ),
    (
        "assets/profiles/check-point-harmony-sase.json",
        include_str!("../../assets/profiles/check-point-harmony-sase.json"),
    ),
    (
        "assets/profiles/mspcfo.json",
        include_str!("../../assets/profiles/mspcfo.json"),
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

/// The built-in profiles, with the ones saved from the wizard's role step (`s`) in
/// [`user_profile_dir`]: a saved profile replaces the built-in one of the same id (it is an
/// edited copy). Unreadable files are skipped and named in the second list.
pub fn builtin_and_saved() -> (Vec<Profile>, Vec<String>) {
    let mut profiles: Vec<Profile> = builtin().to_vec();
    let mut problems = Vec::new();
    let Some(dir) = user_profile_dir() else {
        return (profiles, problems);
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return (profiles, problems);
    };
    let mut paths: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    for path in paths {
        match load_file(&path) {
            Ok(profile) => match profiles.iter().position(|p| p.id == profile.id) {
                Some(i) => profiles[i] = profile,
                None => profiles.push(profile),
            },
            Err(e) => problems.push(format!("{}: {e}", path.display())),
        }
    }
    (profiles, problems)
}

//! The ConnectWise clientId: what it is, how to get one, and remembering it once per machine.
//!
//! Every ConnectWise API call carries a `clientId` header naming the software making the call
//! (here cwsetup), not the vendor being set up. It is not a secret. Sources for the text below:
//! ConnectWise's developer site, <https://developer.connectwise.com/ClientID> ("ClientID's are
//! unique GUIDs that are designed to be per integration"; generated after signing in to the
//! developer network), as read on the ClientID page and in vendors' setup guides that link it.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// ConnectWise's page for generating a clientId.
pub const DEVELOPER_URL: &str = "https://developer.connectwise.com/ClientID";

/// A clientId built in by a packager (`CWSETUP_CLIENT_ID=… cargo build`): with one, nobody is
/// asked for it.
pub const BUILT_IN: Option<&str> = option_env!("CWSETUP_CLIENT_ID");

/// What the client ID is, in one sentence: the wizard, plain mode and every command's `--help`
/// say it in these words.
pub const WHAT_IT_IS: &str = "The clientId GUID names the software making the API calls (here cwsetup, not the vendor), from developer.connectwise.com; it is sent as the clientId header and is not a secret.";

/// What the Client ID is, said where it is asked for: one line each.
pub const EXPLANATION: &[&str] = &[
    WHAT_IT_IS,
    "Get one once, free, on ConnectWise's developer site:",
    "  1. Sign in (or create a free account) at developer.connectwise.com",
    "  2. Open https://developer.connectwise.com/ClientID (Ctrl-O opens it)",
    "  3. Generate a clientId, naming it e.g. cwsetup",
    "  4. Copy the GUID and paste it here; cwsetup remembers it on this machine",
];

/// The built-in clientId if it is a GUID.
pub fn built_in() -> Option<&'static str> {
    BUILT_IN.filter(|id| is_guid(id.trim())).map(str::trim)
}

/// `8-4-4-4-12` hexadecimal digits, the form ConnectWise issues.
pub fn is_guid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()))
}

/// What is wrong with a clientId as typed so far, if anything (shown under the field).
pub fn problem(text: &str) -> Option<String> {
    let text = text.trim();
    if text.is_empty() || is_guid(text) {
        return None;
    }
    if let Some(bad) = text.chars().find(|c| !c.is_ascii_hexdigit() && *c != '-') {
        return Some(format!(
            "{bad:?} is not part of a GUID: hex digits and dashes only"
        ));
    }
    Some(format!(
        "not a GUID yet ({} of 36 characters, form 8-4-4-4-12)",
        text.chars().count()
    ))
}

/// `<config dir>/cwsetup/config.json`: settings remembered per machine (never a key).
pub fn config_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "cwsetup").map(|d| d.config_dir().join("config.json"))
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Config {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
}

/// The remembered clientId, if the file holds a valid one. A bad file is ignored here (it is
/// rewritten at the next save).
pub fn remembered(path: &Path) -> Option<String> {
    // At most 1 MiB, and only a regular file (never a FIFO or device).
    let bytes =
        crate::report_file::read_capped(path, crate::report_file::MAX_OWN_FILE_BYTES).ok()?;
    let config: Config = serde_json::from_slice(&bytes).ok()?;
    config.client_id.filter(|id| is_guid(id))
}

/// Remembers `client_id` in the config file (mode 0600, written whole).
pub fn remember(path: &Path, client_id: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        crate::report_file::create_private_dir(dir)?;
    }
    let config = Config {
        client_id: Some(client_id.to_string()),
    };
    let text = serde_json::to_string_pretty(&config).map_err(std::io::Error::other)?;
    crate::report_file::write_private(path, text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_are_recognised_as_typed() {
        assert!(is_guid("00000000-0000-4000-8000-000000000000"));
        assert!(!is_guid("00000000-0000-4000-8000-00000000000"));
        assert!(problem("0000").unwrap().contains("4 of 36"));
        assert!(problem("zz").unwrap().contains("'z'"));
        assert_eq!(problem(""), None);
        assert_eq!(problem("0A000000-0000-4000-8000-000000000000"), None);
    }
}

//! What `cwsetup sim` prints: the scenario table and the banner with everything needed to
//! connect. The command itself (flags, signals, exit codes) is in `cli`.

use super::{
    DEMO_CLIENT_ID, DEMO_COMPANY_ID, DEMO_OLD_PRIVATE_KEY, DEMO_OLD_PUBLIC_KEY, DEMO_PRIVATE_KEY,
    DEMO_PUBLIC_KEY, Scenario,
};

/// The scenario table printed by `--list-scenarios`.
pub fn scenario_listing() -> String {
    let width = Scenario::catalog()
        .iter()
        .map(|(n, _)| n.len())
        .max()
        .unwrap_or(0);
    Scenario::catalog()
        .iter()
        .map(|(name, description)| format!("  {name:<width$}  {description}\n"))
        .collect()
}

/// What `cwsetup sim` prints once it listens: everything needed to connect to it (and, for the
/// `old-key-kept` scenario, the old key pair and a `cwsetup rotate` to try).
pub fn banner(url: &str, scenario: &str) -> String {
    let text = common_banner(url, scenario);
    if !scenario.eq_ignore_ascii_case("old-key-kept") {
        return text;
    }
    let rotate = format!(
        "Old key pair (not deleted after a rotation): {DEMO_OLD_PUBLIC_KEY} / \
         {DEMO_OLD_PRIVATE_KEY}   (fake)\n\n\
         Try a rotation:\n  \
         CW_PRIVATE_KEY={DEMO_PRIVATE_KEY} CW_OLD_PRIVATE_KEY={DEMO_OLD_PRIVATE_KEY} cwsetup rotate \
         --site {url} --company {DEMO_COMPANY_ID} --client-id {DEMO_CLIENT_ID} --public-key \
         {DEMO_PUBLIC_KEY} --old-public-key {DEMO_OLD_PUBLIC_KEY}\n\n"
    );
    text.replace(
        "Press Ctrl-C to stop.",
        &format!("{rotate}Press Ctrl-C to stop."),
    )
}

fn common_banner(url: &str, scenario: &str) -> String {
    format!(
        "Simulated ConnectWise Manage is running (scenario: {scenario}).\n\n\
         Site:         {url}\n\
         Company ID:   {DEMO_COMPANY_ID}\n\
         Public key:   {DEMO_PUBLIC_KEY}\n\
         Private key:  {DEMO_PRIVATE_KEY}   (a fake demo key, safe to show)\n\
         Client ID:    {DEMO_CLIENT_ID}\n\n\
         Try it:\n  \
         CW_PRIVATE_KEY={DEMO_PRIVATE_KEY} cwsetup check --site {url} --company {DEMO_COMPANY_ID} \
         --public-key {DEMO_PUBLIC_KEY} --client-id {DEMO_CLIENT_ID}\n\n\
         Press Ctrl-C to stop.\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listing_names_every_scenario() {
        let listing = scenario_listing();
        for (name, description) in Scenario::catalog() {
            assert!(listing.contains(name) && listing.contains(description));
        }
    }

    #[test]
    fn banner_names_site_company_keys_and_client_id() {
        let text = banner("http://127.0.0.1:4321", "healthy");
        for needle in [
            "http://127.0.0.1:4321",
            DEMO_COMPANY_ID,
            DEMO_PUBLIC_KEY,
            DEMO_PRIVATE_KEY,
            DEMO_CLIENT_ID,
            "cwsetup check --site http://127.0.0.1:4321",
        ] {
            assert!(text.contains(needle), "banner lacks {needle}");
        }
        assert!(!text.contains("cwsetup rotate"), "{text}");
        let text = banner("http://127.0.0.1:4321", "old-key-kept");
        for needle in [
            DEMO_OLD_PUBLIC_KEY,
            DEMO_OLD_PRIVATE_KEY,
            "cwsetup rotate --site http://127.0.0.1:4321",
        ] {
            assert!(text.contains(needle), "banner lacks {needle}");
        }
        assert!(text.ends_with("Press Ctrl-C to stop.\n"), "{text}");
    }
}

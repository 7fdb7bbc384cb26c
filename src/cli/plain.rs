//! `cwsetup --plain`: the glue between the command line and [`crate::plain`].

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use super::{Cli, EXIT_USAGE, load_profiles_with_saved, runtime};
use crate::profile::{self, Profile};
use crate::wizard::app::{Prefill, Settings};

/// `--plain`, or `CWSETUP_PLAIN` set to anything but empty, 0 or false.
pub fn requested(cli: &Cli) -> bool {
    cli.plain
        || std::env::var("CWSETUP_PLAIN")
            .is_ok_and(|v| !matches!(v.trim().to_lowercase().as_str(), "" | "0" | "false" | "no"))
}

/// A terminal that reports TERM=dumb cannot draw the wizard: plain mode is offered instead.
pub fn dumb_terminal() -> bool {
    std::env::var("TERM").is_ok_and(|t| t == "dumb") && std::io::stdin().is_terminal()
}

/// The site, company ID and client ID given by flag or environment, and the public key from
/// CW_PUBLIC_KEY (an environment variable only: a flag would show it in process lists). The
/// private key is never prefilled: it is pasted.
pub fn given_values(cli: &Cli) -> Option<Prefill> {
    given_values_with(cli, std::env::var("CW_PUBLIC_KEY").ok())
}

fn given_values_with(cli: &Cli, public_key: Option<String>) -> Option<Prefill> {
    let public_key = public_key.filter(|k| !k.trim().is_empty());
    if cli.site.is_none()
        && cli.company.is_none()
        && cli.client_id.is_none()
        && public_key.is_none()
    {
        return None;
    }
    Some(Prefill {
        site: cli.site.clone().unwrap_or_default(),
        company_id: cli.company.clone().unwrap_or_default(),
        client_id: cli.client_id.clone().unwrap_or_default(),
        public_key,
        private_key: None,
    })
}

/// The profiles (built-in, saved from the wizard, and `--profile-file`s), and the ids chosen
/// with `--profile` and `--profile-file` (possibly none), for the wizard and plain mode.
pub fn selection(cli: &Cli) -> Result<(Vec<Profile>, Vec<String>), String> {
    let profiles = load_profiles_with_saved(&cli.profile_files)?;
    let mut selected = cli.profiles.clone();
    for path in &cli.profile_files {
        if let Ok(p) = profile::load_file(path) {
            selected.push(p.id);
        }
    }
    for id in &selected {
        if !profiles.iter().any(|p| &p.id == id) {
            let known: Vec<&str> = profiles.iter().map(|p| p.id.as_str()).collect();
            return Err(format!(
                "no vendor profile \"{id}\"; known profiles: {}",
                known.join(", ")
            ));
        }
    }
    Ok((profiles, selected))
}

pub fn run(cli: &Cli) -> ExitCode {
    let (profiles, selected) = match selection(cli) {
        Ok(s) => s,
        Err(problem) => {
            eprintln!("cwsetup: {}", crate::sanitize::display_text(&problem));
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let runtime = match runtime() {
        Ok(r) => r,
        Err(code) => return ExitCode::from(code),
    };
    let demo = if cli.demo {
        match runtime.block_on(crate::sim::SimServer::start(crate::sim::Scenario::new())) {
            Ok(server) => Some(server),
            Err(e) => {
                eprintln!("cwsetup: cannot start the simulated ConnectWise on 127.0.0.1: {e}");
                return ExitCode::from(EXIT_USAGE);
            }
        }
    } else {
        None
    };
    // The demo uses the simulator's own values, keys included: real keys never go to it.
    let prefill = match &demo {
        Some(server) => Prefill {
            site: server.url(),
            company_id: crate::sim::DEMO_COMPANY_ID.into(),
            client_id: crate::sim::DEMO_CLIENT_ID.into(),
            public_key: Some(crate::sim::DEMO_PUBLIC_KEY.into()),
            private_key: Some(crate::sim::DEMO_PRIVATE_KEY.into()),
        },
        None => given_values(cli).unwrap_or(Prefill {
            site: String::new(),
            company_id: String::new(),
            client_id: String::new(),
            public_key: None,
            private_key: None,
        }),
    };
    let options = crate::plain::PlainOptions {
        settings: Settings {
            demo: cli.demo,
            no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
            timeout: Duration::from_secs(cli.timeout.clamp(1, super::MAX_TIMEOUT_SECS)),
            show_staging: cli.show_staging,
        },
        profiles,
        selected,
        prefill,
        clipboard_clear: Duration::from_secs(cli.clipboard_clear),
        save_dir: std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
        // As the wizard: the demo's values are the simulator's, so nothing of it is saved.
        state_file: (!cli.demo).then(crate::wizard::saved::state_path).flatten(),
        config_file: (!cli.demo)
            .then(crate::wizard::client_id::config_path)
            .flatten(),
        fresh: cli.fresh,
    };
    let code = crate::plain::run(options, &runtime);
    if let Some(server) = demo {
        runtime.block_on(server.shutdown());
    }
    ExitCode::from(code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[test]
    fn flags_and_cw_public_key_prefill_the_full_screen_wizard_too() {
        let cli = Cli::parse_from([
            "cwsetup",
            "--site",
            "na",
            "--company",
            "contoso",
            "--client-id",
            "2b7e1516-28ae-4d2a-a6f7-15886309cf4f",
        ]);
        let prefill = given_values_with(&cli, Some("FAKEPUBLIC000001".into())).expect("given");
        // The same Prefill goes to the wizard (cli::run) and to plain mode.
        let mut app = crate::wizard::app::App::new(
            Settings {
                demo: false,
                no_color: true,
                timeout: Duration::from_secs(5),
                show_staging: false,
            },
            crate::profile::builtin().to_vec(),
            &[],
        );
        app.prefill(prefill);
        assert_eq!(app.site.value(), "na");
        assert_eq!(app.company_id.value(), "contoso");
        assert_eq!(
            app.client_id.value(),
            "2b7e1516-28ae-4d2a-a6f7-15886309cf4f"
        );
        assert_eq!(app.public_key.secret().char_count(), 16);
        assert!(app.private_key.secret().is_empty(), "never prefilled");
        // CW_PUBLIC_KEY alone is enough; blank is nothing.
        let bare = Cli::parse_from(["cwsetup"]);
        assert!(given_values_with(&bare, Some("KEY".into())).is_some());
        assert!(given_values_with(&bare, Some("  ".into())).is_none());
        assert!(given_values_with(&bare, None).is_none());
    }
}

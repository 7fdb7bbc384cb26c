//! `cwsetup` and `cwsetup --plain`: the glue between the command line and the two interactive
//! front ends, [`crate::wizard`] and [`crate::plain`]. Both get the same profiles, values,
//! settings and files from here.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use super::exit::{self, EXIT_OK, EXIT_USAGE};
use super::select::{Catalogue, select};
use super::{Cli, MAX_CLIPBOARD_CLEAR_SECS, runtime};
use crate::setup::StartOptions;
use crate::sim::SimServer;
use crate::wizard::app::{Hints, Prefill, Settings};

/// `--plain`, or `CWSETUP_PLAIN` set to anything but empty, 0 or false.
pub fn plain_requested(cli: &Cli) -> bool {
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
    let target = &cli.target;
    if target.site.is_none()
        && target.company.is_none()
        && target.client_id.is_none()
        && public_key.is_none()
    {
        return None;
    }
    Some(Prefill {
        site: target.site.clone().unwrap_or_default(),
        company_id: target.company.clone().unwrap_or_default(),
        client_id: target.client_id.clone().unwrap_or_default(),
        public_key,
        private_key: None,
    })
}

/// The command line's words for doing things again, which the wizard and plain mode show
/// (they name no flag themselves).
fn hints() -> Hints {
    Hints {
        start_over: "cwsetup --fresh".into(),
        more_time: "start cwsetup with --timeout SECS, up to 3600".into(),
        load_profile: "--profile-file".into(),
    }
}

/// Everything the wizard and plain mode start from, read from the command line once: the
/// same options for both, the runtime, and the simulator when `--demo` asked for it.
struct Session {
    options: StartOptions,
    runtime: tokio::runtime::Runtime,
    demo: Option<SimServer>,
}

/// Reads the profiles and settings, builds the runtime and starts the demo's simulator; an
/// input error is printed and becomes the exit code.
fn start(cli: &Cli) -> Result<Session, ExitCode> {
    let selection = select(
        Catalogue::WithSaved,
        &cli.profile.profiles,
        &cli.profile.profile_files,
    )
    .map_err(|e| {
        eprintln!("cwsetup: {}", crate::sanitize::display_text(&e.to_string()));
        ExitCode::from(EXIT_USAGE)
    })?;
    // cwsetup's own files: a FIFO or device planted there stops the start with a message
    // naming it (reading one would hang, or never end).
    if !cli.run.demo {
        let mut own: Vec<PathBuf> = [
            crate::setup::saved::state_path(),
            crate::setup::client_id::config_path(),
        ]
        .into_iter()
        .flatten()
        .collect();
        // The roles saved from the role step, which step 1 offers.
        if let Some(entries) =
            crate::profile::user_profile_dir().and_then(|dir| std::fs::read_dir(dir).ok())
        {
            own.extend(
                entries
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|e| e == "json")),
            );
        }
        for path in &own {
            if let Err(e) = crate::report_file::check_regular_or_absent(path) {
                eprintln!(
                    "cwsetup: {}: {e}",
                    crate::sanitize::display_text(&path.display().to_string())
                );
                return Err(ExitCode::from(EXIT_USAGE));
            }
        }
    }
    let runtime = runtime().map_err(ExitCode::from)?;
    let demo = if cli.run.demo {
        Some(
            runtime
                .block_on(super::demo::start(super::demo::wizard_scenario()))
                .map_err(ExitCode::from)?,
        )
    } else {
        None
    };
    let prefill = demo
        .as_ref()
        .map(super::demo::prefill)
        .or(given_values(cli));
    let options = StartOptions {
        settings: Settings {
            demo: cli.run.demo,
            no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
            timeout: cli.run.timeout(),
            show_staging: cli.show_staging,
        },
        profiles: selection.profiles,
        selected: selection.selected,
        prefill,
        clipboard_clear: Duration::from_secs(cli.clipboard_clear.min(MAX_CLIPBOARD_CLEAR_SECS)),
        save_dir: std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
        // The demo's values are the simulator's: nothing of it is saved or remembered.
        state_file: (!cli.run.demo)
            .then(crate::setup::saved::state_path)
            .flatten(),
        config_file: (!cli.run.demo)
            .then(crate::setup::client_id::config_path)
            .flatten(),
        fresh: cli.fresh,
        hints: hints(),
    };
    Ok(Session {
        options,
        runtime,
        demo,
    })
}

/// The full-screen wizard.
pub fn run_wizard(cli: &Cli) -> ExitCode {
    if let Some(why) = crate::wizard::terminal::not_a_terminal() {
        eprintln!(
            "cwsetup: the wizard needs an interactive terminal ({why}).\n\
             For scripts and CI, use `cwsetup check` (see `cwsetup check --help`)."
        );
        return ExitCode::from(EXIT_USAGE);
    }
    let session = match start(cli) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let result = session.runtime.block_on(async {
        let outcome = crate::wizard::run(session.options).await;
        drop(session.demo);
        outcome
    });
    match result {
        Ok(outcome) => {
            for line in outcome.farewell {
                println!("cwsetup: {line}");
            }
            match outcome.signal {
                // Ended by SIGTERM or SIGHUP: 128 + the signal (143, 129), as shells expect.
                Some(signal) => ExitCode::from(exit::for_signal(signal)),
                None => ExitCode::from(EXIT_OK),
            }
        }
        Err(e) => {
            eprintln!("cwsetup: terminal error: {e}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// Plain mode: the exit code of its last test (0 when none ran), or 128 + a signal.
pub fn run_plain(cli: &Cli) -> ExitCode {
    let session = match start(cli) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let outcome = crate::plain::run(session.options, &session.runtime);
    if let Some(server) = session.demo {
        session.runtime.block_on(server.shutdown());
    }
    let code = match (outcome.signal, &outcome.last_report) {
        (Some(signal), _) => exit::for_signal(signal),
        (None, Some(report)) => exit::for_report(report, false),
        (None, None) => EXIT_OK,
    };
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

    #[test]
    fn the_hints_name_flags_that_exist() {
        let hints = hints();
        let fresh = hints
            .start_over
            .strip_prefix("cwsetup ")
            .expect("a command");
        let parsed = Cli::try_parse_from(["cwsetup", fresh]).expect("--fresh exists");
        assert!(parsed.fresh);
        let parsed = Cli::try_parse_from(["cwsetup", hints.load_profile.as_str(), "x.json"])
            .expect("--profile-file exists");
        assert_eq!(parsed.profile.profile_files.len(), 1);
    }
}

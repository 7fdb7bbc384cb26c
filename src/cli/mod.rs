//! The command line: arguments, modes and exit codes.
//!
//! Exit codes everywhere: 0 success, 1 a check failed, 2 a usage or input error (message on
//! stderr). clap's own usage errors already exit with 2.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};

mod audit;
mod check;
mod completions;
pub mod console;
mod plain;

pub use audit::AuditArgs;
pub use check::CheckArgs;

use crate::profile::{self, Profile};
use crate::wizard::app::{Prefill, Settings};

pub const EXIT_OK: u8 = 0;
pub const EXIT_CHECK_FAILED: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

/// The longest `--timeout` accepted (an hour): a check that has not answered by then never will.
pub const MAX_TIMEOUT_SECS: u64 = 3600;
/// The longest `--clipboard-clear` accepted (an hour): a key should not sit on the clipboard longer.
pub const MAX_CLIPBOARD_CLEAR_SECS: u64 = 3600;

const EXAMPLES: &str = "\
Examples:
  cwsetup                          open the wizard (Sync 365 preselected)
  cwsetup --demo                   try the wizard against a simulated ConnectWise
  cwsetup --profile visionary360-email-reconnector
  cwsetup profiles                 list the vendor profiles
  cwsetup role --format markdown   a role checklist to hand to a ConnectWise admin
  cwsetup check --demo             a headless check, for scripts
  cwsetup audit --demo             steps 2 and 3 read back with your own keys
  cwsetup --site na --company contoso --client-id 2b7e1516-28ae-4d2a-a6f7-15886309cf4f
                                   the wizard with those fields filled in (still editable)

--site, --company and --client-id (or CW_SITE, CW_COMPANY_ID, CW_CLIENT_ID) fill in the wizard's
fields, in the full-screen wizard and in plain mode; CW_PUBLIC_KEY fills in the public key (an
environment variable only, never a flag). The private key is never taken from the command line
or the environment by the wizard: it is pasted.";

/// Connect ConnectWise Manage (PSA) to a vendor integration, and prove each step live.
///
/// Opens a terminal wizard that walks through the vendor's setup guide (prerequisites, security
/// role, API member, API key, integration) and tests the result against the ConnectWise API.
#[derive(Debug, Parser)]
#[command(name = "cwsetup", version, about, long_about, after_help = EXAMPLES)]
pub struct Cli {
    /// Open the wizard against a built-in simulated ConnectWise, with its values filled in.
    #[arg(long)]
    pub demo: bool,

    /// Vendor profile to select (see `cwsetup profiles`); repeat for one API member serving
    /// several tools. Default: sync365.
    #[arg(long = "profile", value_name = "ID")]
    pub profiles: Vec<String>,

    /// Load your own vendor profile (JSON, same format as assets/profiles); repeatable.
    #[arg(long = "profile-file", value_name = "PATH")]
    pub profile_files: Vec<PathBuf>,

    /// Seconds before a copied key is cleared from the clipboard, 0 to 3600; 0 never clears.
    #[arg(
        long,
        value_name = "SECS",
        default_value_t = 30,
        value_parser = clap::value_parser!(u64).range(0..=MAX_CLIPBOARD_CLEAR_SECS)
    )]
    pub clipboard_clear: u64,

    /// Seconds the wizard's test may take, end to end: 1 to 3600.
    #[arg(
        long,
        value_name = "SECS",
        default_value_t = 30,
        value_parser = clap::value_parser!(u64).range(1..=MAX_TIMEOUT_SECS)
    )]
    pub timeout: u64,

    /// Plain mode: the same steps as numbered lines and one question at a time, for screen
    /// readers and consoles that mangle full-screen screens (also CWSETUP_PLAIN=1).
    #[arg(long)]
    pub plain: bool,

    /// Also list ConnectWise's developer staging site among the regions (no customer uses it).
    #[arg(long)]
    pub show_staging: bool,

    /// The ConnectWise site (a region such as na, or your server's host), filled in for you.
    #[arg(long, env = "CW_SITE", value_name = "SITE")]
    pub site: Option<String>,

    /// The company ID typed on the ConnectWise login screen, filled in for you.
    #[arg(long = "company", env = "CW_COMPANY_ID", value_name = "ID")]
    pub company: Option<String>,

    /// Your integration's clientId GUID, filled in for you.
    #[arg(long = "client-id", env = "CW_CLIENT_ID", value_name = "ID")]
    pub client_id: Option<String>,

    /// Start a new setup instead of offering to resume the saved one.
    #[arg(long)]
    pub fresh: bool,

    /// Write a log file (error, warn, info, debug, trace); keys are never logged.
    #[arg(long, value_name = "LEVEL", env = "CWSETUP_LOG", global = true)]
    pub log_level: Option<String>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Verify site, company ID, keys, role permissions and data, without the wizard.
    Check(CheckArgs),
    /// Read the security role and API member back with your own keys and compare them with the
    /// vendor's guide (steps 2 and 3), without the wizard. Read-only.
    Audit(AuditArgs),
    /// Print the security role a vendor needs (merged when several), as text, Markdown or JSON.
    Role(profile::RoleArgs),
    /// List the vendor profiles: id, vendor, product.
    Profiles(profile::ProfilesArgs),
    /// Run the simulated ConnectWise on 127.0.0.1 until Ctrl-C, for demos and trying `check`.
    Sim(crate::sim::SimArgs),
    /// Print shell completions for bash, zsh, fish, PowerShell or elvish.
    Completions(completions::CompletionsArgs),
    /// Print the man page (roff).
    Man(completions::ManArgs),
}

/// Parses the arguments and runs the chosen mode.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(level) = &cli.log_level
        && let Err(problem) = crate::logging::init(level)
    {
        eprintln!("cwsetup: {}", crate::sanitize::display_text(&problem));
        return ExitCode::from(EXIT_USAGE);
    }
    match cli.command {
        Some(Command::Check(args)) => ExitCode::from(check::run(args)),
        Some(Command::Audit(args)) => ExitCode::from(audit::run(args)),
        Some(Command::Role(args)) => ExitCode::from(profile::run_role(
            &args,
            &mut std::io::stdout(),
            &mut std::io::stderr(),
        )),
        Some(Command::Profiles(args)) => ExitCode::from(profile::run_profiles_command(
            &args,
            &mut std::io::stdout(),
            &mut std::io::stderr(),
        )),
        Some(Command::Sim(args)) => match runtime() {
            Ok(runtime) => runtime.block_on(crate::sim::run(args)),
            Err(code) => ExitCode::from(code),
        },
        None if plain::requested(&cli) => plain::run(&cli),
        None if plain::dumb_terminal() && crate::plain::offer_for_dumb_terminal() => {
            plain::run(&cli)
        }
        Some(Command::Completions(args)) => {
            ExitCode::from(completions::run_completions(&args, &mut std::io::stdout()))
        }
        Some(Command::Man(_)) => ExitCode::from(completions::run_man(&mut std::io::stdout())),
        None => run_wizard(&cli),
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, u8> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| {
            eprintln!("cwsetup: cannot start the async runtime: {e}");
            EXIT_USAGE
        })
}

/// The built-in profiles followed by the user's own files; an unreadable file is an input error.
pub fn load_profiles(files: &[PathBuf]) -> Result<Vec<Profile>, String> {
    with_files(profile::builtin().to_vec(), files)
}

/// For the wizard and plain mode: roles saved from the wizard (`s`) come back on step 1, then
/// the `--profile-file`s (an unreadable saved file is skipped).
pub fn load_profiles_with_saved(files: &[PathBuf]) -> Result<Vec<Profile>, String> {
    with_files(profile::builtin_and_saved().0, files)
}

fn with_files(mut profiles: Vec<Profile>, files: &[PathBuf]) -> Result<Vec<Profile>, String> {
    for path in files {
        let loaded = profile::load_file(path).map_err(|e| e.to_string())?;
        // A user's file with a built-in id replaces the built-in one (it is an edited copy).
        profiles.retain(|p| p.id != loaded.id);
        profiles.push(loaded);
    }
    Ok(profiles)
}

fn run_wizard(cli: &Cli) -> ExitCode {
    if let Some(why) = crate::wizard::terminal::not_a_terminal() {
        eprintln!(
            "cwsetup: the wizard needs an interactive terminal ({why}).\n\
             For scripts and CI, use `cwsetup check` (see `cwsetup check --help`)."
        );
        return ExitCode::from(EXIT_USAGE);
    }
    let (profiles, selected) = match plain::selection(cli) {
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
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let save_dir = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let result = runtime.block_on(async {
        let demo = if cli.demo {
            match crate::sim::SimServer::start(crate::sim::Scenario::new()).await {
                Ok(server) => Some(server),
                Err(e) => {
                    eprintln!("cwsetup: cannot start the simulated ConnectWise on 127.0.0.1: {e}");
                    return Err(ExitCode::from(EXIT_USAGE));
                }
            }
        } else {
            None
        };
        let given = plain::given_values(cli);
        let prefill = demo
            .as_ref()
            .map(|server| Prefill {
                site: server.url(),
                company_id: crate::sim::DEMO_COMPANY_ID.into(),
                client_id: crate::sim::DEMO_CLIENT_ID.into(),
                public_key: Some(crate::sim::DEMO_PUBLIC_KEY.into()),
                private_key: Some(crate::sim::DEMO_PRIVATE_KEY.into()),
            })
            .or(given);
        let options = crate::wizard::WizardOptions {
            settings: Settings {
                demo: cli.demo,
                no_color,
                timeout: Duration::from_secs(cli.timeout.clamp(1, MAX_TIMEOUT_SECS)),
                show_staging: cli.show_staging,
            },
            profiles,
            selected,
            prefill,
            clipboard_clear: Duration::from_secs(cli.clipboard_clear.min(MAX_CLIPBOARD_CLEAR_SECS)),
            save_dir,
            // The demo's values are the simulator's: nothing of it is saved or remembered.
            state_file: (!cli.demo).then(crate::wizard::saved::state_path).flatten(),
            config_file: (!cli.demo)
                .then(crate::wizard::client_id::config_path)
                .flatten(),
            fresh: cli.fresh,
        };
        let outcome = crate::wizard::run(options).await;
        drop(demo);
        Ok(outcome)
    });
    match result {
        Err(code) => code,
        Ok(Ok(outcome)) => {
            for line in outcome.farewell {
                println!("cwsetup: {line}");
            }
            match outcome.signal {
                // Ended by SIGTERM or SIGHUP: 128 + the signal (143, 129), as shells expect.
                Some(signal) => {
                    ExitCode::from(128u8.saturating_add(u8::try_from(signal).unwrap_or(0)))
                }
                None => ExitCode::from(EXIT_OK),
            }
        }
        Ok(Err(e)) => {
            eprintln!("cwsetup: terminal error: {e}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

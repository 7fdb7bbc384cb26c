//! The command line, and the only place that knows it: clap definitions, modes, exit codes.
//!
//! - [`exit`]: the one exit-code table (0 success, 1 failed, 2 usage or input, 128 + signal);
//! - [`select`]: the one `--profile` / `--profile-file` rule, for every mode;
//! - `demo`: the one `--demo` start of the in-process simulator;
//! - `interactive` (the wizard and `--plain`), `check`, `audit`, `members`, [`profiles`] (`role`,
//!   `profiles`), [`sim`], `completions` (`completions`, `man`): one file per command.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod audit;
mod check;
mod completions;
mod connection;
pub mod console;
mod demo;
pub mod exit;
mod interactive;
mod members;
mod private_key;
pub mod profiles;
mod rotate;
pub mod select;
pub mod sim;

pub use audit::AuditArgs;
pub use check::CheckArgs;
pub use connection::{
    ConnectionArgs, KeyArgs, OutputArgs, ProfileArgs, ReportArgs, RunArgs, TargetArgs,
};
pub use exit::{EXIT_FAILED, EXIT_OK, EXIT_USAGE};
pub use members::MembersArgs;
pub use profiles::{
    ProfilesAction, ProfilesArgs, ProfilesFormat, RoleArgs, RoleFormat, run_profiles,
    run_profiles_command, run_role,
};
pub use rotate::RotateArgs;
pub use sim::SimArgs;

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
  cwsetup rotate --demo            a new key proved, the old key proved dead
  cwsetup members --demo           every API member: its role, Level, purpose and findings
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
#[command(
    name = "cwsetup",
    version,
    about,
    long_about,
    after_help = EXAMPLES,
    // The shared flags (connection.rs) worded for the wizard: one definition, this command's help.
    mut_arg("demo", |a| a.help(
        "Open the wizard against a built-in simulated ConnectWise, with its values filled in"
    )),
    mut_arg("timeout", |a| a.help("Seconds the wizard's test may take, end to end: 1 to 3600")),
    mut_arg("profiles", |a| a.help(
        "Vendor profile to select (see `cwsetup profiles`); repeat for one API member serving \
         several tools. Default: sync365"
    )),
    mut_arg("profile_files", |a| a.help(
        "Load your own vendor profile (JSON, same format as assets/profiles); repeatable"
    )),
    mut_arg("site", |a| a.help(
        "The ConnectWise site (a region such as na, or your server's host), filled in for you"
    )),
    mut_arg("company", |a| a.help(
        "The company ID typed on the ConnectWise login screen, filled in for you"
    )),
    mut_arg("client_id", |a| a.help(format!(
        "{} Filled in for you.", crate::setup::client_id::WHAT_IT_IS
    ))),
)]
pub struct Cli {
    /// `--demo` and `--timeout`.
    #[command(flatten)]
    pub run: RunArgs,

    /// `--profile` and `--profile-file`.
    #[command(flatten)]
    pub profile: ProfileArgs,

    /// Seconds before a copied key is cleared from the clipboard, 0 to 3600; 0 never clears.
    #[arg(
        long,
        value_name = "SECS",
        default_value_t = 30,
        value_parser = clap::value_parser!(u64).range(0..=MAX_CLIPBOARD_CLEAR_SECS)
    )]
    pub clipboard_clear: u64,

    /// Plain mode: the same steps as numbered lines and one question at a time, for screen
    /// readers and consoles that mangle full-screen screens (also CWSETUP_PLAIN=1).
    #[arg(long)]
    pub plain: bool,

    /// Also list ConnectWise's developer staging site among the regions (no customer uses it).
    #[arg(long)]
    pub show_staging: bool,

    /// `--site`, `--company` and `--client-id`, filled in for you.
    #[command(flatten)]
    pub target: TargetArgs,

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
    /// Rotate an API member's key: prove the new key with the full check, then prove the old
    /// key is rejected (401). Read-only; no key is stored.
    Rotate(RotateArgs),
    /// List every API member with what its role lets it do and which vendor it matches, with
    /// your own keys, and what to fix. Read-only.
    Members(MembersArgs),
    /// Print the security role a vendor needs (merged when several), as text, Markdown or JSON.
    Role(RoleArgs),
    /// List the vendor profiles: id, vendor, product.
    Profiles(ProfilesArgs),
    /// Run the simulated ConnectWise on 127.0.0.1 until Ctrl-C, for demos and trying `check`.
    Sim(SimArgs),
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
        Some(Command::Rotate(args)) => ExitCode::from(rotate::run(args)),
        Some(Command::Members(args)) => ExitCode::from(members::run(args)),
        Some(Command::Role(args)) => ExitCode::from(run_role(
            &args,
            &mut std::io::stdout(),
            &mut std::io::stderr(),
        )),
        Some(Command::Profiles(args)) => ExitCode::from(run_profiles_command(
            &args,
            &mut std::io::stdout(),
            &mut std::io::stderr(),
        )),
        Some(Command::Sim(args)) => match runtime() {
            Ok(runtime) => runtime.block_on(sim::run(args)),
            Err(code) => ExitCode::from(code),
        },
        None if interactive::plain_requested(&cli) => interactive::run_plain(&cli),
        None if interactive::dumb_terminal() && crate::plain::offer_for_dumb_terminal() => {
            interactive::run_plain(&cli)
        }
        Some(Command::Completions(args)) => {
            ExitCode::from(completions::run_completions(&args, &mut std::io::stdout()))
        }
        Some(Command::Man(_)) => ExitCode::from(completions::run_man(&mut std::io::stdout())),
        None => interactive::run_wizard(&cli),
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

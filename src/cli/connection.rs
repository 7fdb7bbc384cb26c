//! What `check` and `audit` are both given: one argument definition and one way in (the demo's
//! values, the missing values named at once, the private key from its one source), so the two
//! commands cannot drift apart. The values are then judged by [`crate::check::judge_input`],
//! again the same for both.

use std::path::PathBuf;

use zeroize::Zeroize;

use crate::secret::Secret;

use super::MAX_TIMEOUT_SECS;
use super::exit::EXIT_USAGE;
use super::private_key::{KeySource, PRIVATE_KEY_MISSING, private_key, private_key_source};

/// The ConnectWise a run talks to: `--site`, `--company` and `--client-id`. The wizard, `check`
/// and `audit` all flatten this one definition; a command that words a flag's help differently
/// does so with clap's `mut_arg` (see [`super::Cli`]), never with a second definition.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct TargetArgs {
    /// The ConnectWise site: na.myconnectwise.net, a region (na, eu, au, aus, za, staging), or
    /// your self-hosted server's host (with :port if needed).
    #[arg(long, env = "CW_SITE", value_name = "SITE")]
    pub site: Option<String>,

    /// The company ID typed on the ConnectWise login screen (not the company's name).
    #[arg(long = "company", env = "CW_COMPANY_ID", value_name = "ID")]
    pub company: Option<String>,

    // One sentence for the client ID everywhere (the wizard says the same).
    #[arg(
        long = "client-id",
        env = "CW_CLIENT_ID",
        value_name = "ID",
        help = crate::setup::client_id::WHAT_IT_IS
    )]
    pub client_id: Option<String>,
}

/// The vendor profiles chosen: `--profile` and `--profile-file`, in every command that takes
/// them (the wizard, `check`, `audit`, `role`), read by the one rule of [`super::select`].
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ProfileArgs {
    /// Vendor profile whose role is compared (see `cwsetup profiles`); repeatable. Default: sync365.
    #[arg(long = "profile", value_name = "ID")]
    pub profiles: Vec<String>,

    /// Your own vendor profile file (JSON); repeatable.
    #[arg(long = "profile-file", value_name = "PATH")]
    pub profile_files: Vec<PathBuf>,
}

/// The API keys of a run without the wizard (`check`, `audit`): the public key by flag or
/// environment, the private key never by flag.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct KeyArgs {
    /// The API key's public key (CW_PUBLIC_KEY keeps it out of the process list).
    #[arg(
        long = "public-key",
        env = "CW_PUBLIC_KEY",
        hide_env_values = true,
        value_name = "KEY"
    )]
    pub public_key: Option<String>,

    /// Read the private key from the first line of standard input (when standard input is a
    /// terminal, from a prompt that does not echo).
    #[arg(long)]
    pub private_key_stdin: bool,
}

/// `--json`: one JSON object on standard output, for a run without the wizard.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct OutputArgs {
    /// Print one JSON object on standard output (no secret in it).
    #[arg(long)]
    pub json: bool,
}

/// `--report FILE`: a redacted Markdown report, for `check`, `rotate` and `members`, written by
/// [`crate::report_file::write_private`].
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ReportArgs {
    /// Also write a redacted Markdown report, for a support ticket (a new file, mode 0600; never
    /// through a symbolic link).
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
}

/// `--demo` and `--timeout`, for the wizard, `check` and `audit`.
#[derive(Debug, Clone, clap::Args)]
pub struct RunArgs {
    /// Run against a built-in simulated ConnectWise; needs no other flag. Its own site, company
    /// ID, keys and client ID replace any given ones (CW_* included): real keys never go to the demo.
    #[arg(long)]
    pub demo: bool,

    /// Seconds the whole run may take: 1 to 3600.
    #[arg(
        long,
        value_name = "SECS",
        default_value_t = 30,
        value_parser = clap::value_parser!(u64).range(1..=MAX_TIMEOUT_SECS)
    )]
    pub timeout: u64,
}

impl RunArgs {
    /// The timeout as a duration, within the range clap allowed.
    pub fn timeout(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.timeout.clamp(1, MAX_TIMEOUT_SECS))
    }
}

/// The flags `check` and `audit` share (and the day-two commands will): each group is defined
/// once, above.
#[derive(Debug, Clone, clap::Args)]
pub struct ConnectionArgs {
    #[command(flatten)]
    pub target: TargetArgs,

    #[command(flatten)]
    pub keys: KeyArgs,

    #[command(flatten)]
    pub profile: ProfileArgs,

    #[command(flatten)]
    pub output: OutputArgs,

    #[command(flatten)]
    pub run: RunArgs,
}

/// The values as given (not yet sanitized: [`crate::check::judge_input`] does that), with the
/// two keys read.
pub struct Given {
    pub site: String,
    pub company_id: String,
    pub client_id: String,
    pub public_key: Secret,
    pub private_key: Secret,
}

/// The demo's keys for `command`.
pub struct DemoKeys {
    pub public_key: &'static str,
    pub private_key: &'static str,
}

/// The way in for both commands: the demo's values when `demo` (the simulator's URL) is set,
/// every missing value named at once (exit 2), then the private key from its one source.
pub fn gather(
    command: &str,
    args: &mut ConnectionArgs,
    demo: Option<&str>,
    demo_keys: DemoKeys,
) -> Result<Given, u8> {
    if let Some(url) = demo {
        super::demo::use_demo_values(
            command,
            url,
            demo_keys.public_key,
            super::demo::GivenValues {
                site: &mut args.target.site,
                company: &mut args.target.company,
                public_key: &mut args.keys.public_key,
                client_id: &mut args.target.client_id,
                private_key_stdin: args.keys.private_key_stdin,
            },
        );
    }
    let source = private_key_source(args.keys.private_key_stdin, demo.is_some());
    let missing = missing_values(args, source == KeySource::None);
    if !missing.is_empty() {
        return Err(report_missing(command, &missing));
    }
    let private_key = match source {
        KeySource::Demo => {
            Secret::from_str_checked(demo_keys.private_key).map_err(|e| e.to_string())
        }
        other => private_key(other),
    };
    let private_key = match private_key {
        Ok(key) => key,
        Err(problem) => {
            eprintln!("cwsetup: {}", crate::sanitize::display_text(&problem));
            return Err(EXIT_USAGE);
        }
    };
    if private_key.is_empty() {
        return Err(report_missing(command, &[PRIVATE_KEY_MISSING]));
    }
    let mut public_key_text = args.keys.public_key.take().unwrap_or_default();
    let public_key = Secret::from_str_checked(&public_key_text);
    public_key_text.zeroize();
    let public_key = match public_key {
        Ok(key) => key,
        Err(e) => {
            eprintln!("cwsetup: public key: {e}");
            return Err(EXIT_USAGE);
        }
    };
    Ok(Given {
        site: args.target.site.clone().unwrap_or_default(),
        company_id: args.target.company.clone().unwrap_or_default(),
        client_id: args.target.client_id.clone().unwrap_or_default(),
        public_key,
        private_key,
    })
}

/// The values that are absent or blank, each with where it can come from.
/// `no_private_key` is true when the private key has no source at all (nothing to prompt on).
pub(super) fn missing_values(args: &ConnectionArgs, no_private_key: bool) -> Vec<&'static str> {
    let mut missing = Vec::new();
    let blank = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
    if blank(&args.target.site) {
        missing.push("the site (--site or CW_SITE)");
    }
    if blank(&args.target.company) {
        missing.push("the company ID (--company or CW_COMPANY_ID)");
    }
    if blank(&args.keys.public_key) {
        missing.push("the public key (--public-key or CW_PUBLIC_KEY)");
    }
    if no_private_key {
        missing.push(PRIVATE_KEY_MISSING);
    }
    if blank(&args.target.client_id) {
        missing.push("the client ID (--client-id or CW_CLIENT_ID)");
    }
    missing
}

fn report_missing(command: &str, missing: &[&str]) -> u8 {
    eprintln!("cwsetup {command}: missing {}.", missing.join("; "));
    eprintln!("Try `cwsetup {command} --demo` to see it run against the simulated ConnectWise.");
    EXIT_USAGE
}

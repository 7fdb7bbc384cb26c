//! `cwsetup check`: the headless verification, for scripts, CI and support calls.

use std::io::{self, BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::time::Duration;

use zeroize::Zeroize;

use crate::check::{self, CheckRequest, Style};
use crate::secret::Secret;

use super::{EXIT_CHECK_FAILED, EXIT_OK, EXIT_USAGE, load_profiles, runtime};

const EXAMPLES: &str = "\
The private key is never a flag (flags show in process lists): it comes from CW_PRIVATE_KEY,
from standard input with --private-key-stdin, or from a prompt that does not echo.

Examples:
  cwsetup check --demo
  cwsetup check --site na.myconnectwise.net --company contoso --public-key AbCdEfGh12345678 \\
      --client-id 2b7e1516-28ae-4d2a-a6f7-15886309cf4f
  printf '%s\\n' \"$KEY\" | cwsetup check --private-key-stdin --json --report ticket.md

Exit codes: 0 every stage passed or warned, 1 a stage failed, 2 a usage or input error.";

/// Verify a ConnectWise API member without the wizard: site, company, keys, role, data.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct CheckArgs {
    /// The ConnectWise site: na.myconnectwise.net, a region (na, eu, au, aus, za, staging), or
    /// your self-hosted server's host (with :port if needed).
    #[arg(long, env = "CW_SITE", value_name = "SITE")]
    pub site: Option<String>,

    /// The company ID typed on the ConnectWise login screen (not the company's name).
    #[arg(long = "company", env = "CW_COMPANY_ID", value_name = "ID")]
    pub company: Option<String>,

    /// The API key's public key (CW_PUBLIC_KEY keeps it out of the process list).
    #[arg(
        long = "public-key",
        env = "CW_PUBLIC_KEY",
        hide_env_values = true,
        value_name = "KEY"
    )]
    pub public_key: Option<String>,

    /// Your integration's clientId GUID, sent as the clientId header.
    #[arg(long = "client-id", env = "CW_CLIENT_ID", value_name = "ID")]
    pub client_id: Option<String>,

    /// Vendor profile whose role is verified (see `cwsetup profiles`); repeatable. Default: sync365.
    #[arg(long = "profile", value_name = "ID")]
    pub profiles: Vec<String>,

    /// Your own vendor profile file (JSON); repeatable.
    #[arg(long = "profile-file", value_name = "PATH")]
    pub profile_files: Vec<PathBuf>,

    /// Print one JSON object on standard output (no secret in it).
    #[arg(long)]
    pub json: bool,

    /// Seconds the whole check may take.
    #[arg(long, value_name = "SECS", default_value_t = 30)]
    pub timeout: u64,

    /// Also write a redacted Markdown report, for a support ticket.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,

    /// Read the private key from the first line of standard input.
    #[arg(long)]
    pub private_key_stdin: bool,

    /// Check against a built-in simulated ConnectWise; needs no other flag.
    #[arg(long)]
    pub demo: bool,
}

/// Runs the check and returns the exit code.
pub fn run(mut args: CheckArgs) -> u8 {
    let runtime = match runtime() {
        Ok(r) => r,
        Err(code) => return code,
    };
    runtime.block_on(async move {
        let demo = if args.demo {
            match crate::sim::SimServer::start(crate::sim::Scenario::new()).await {
                Ok(server) => Some(server),
                Err(e) => {
                    eprintln!("cwsetup: cannot start the simulated ConnectWise on 127.0.0.1: {e}");
                    return EXIT_USAGE;
                }
            }
        } else {
            None
        };
        let code = check_with(&mut args, demo.as_ref()).await;
        if let Some(server) = demo {
            server.shutdown().await;
        }
        code
    })
}

async fn check_with(args: &mut CheckArgs, demo: Option<&crate::sim::SimServer>) -> u8 {
    if let Some(server) = demo {
        args.site.get_or_insert_with(|| server.url());
        args.company
            .get_or_insert_with(|| crate::sim::DEMO_COMPANY_ID.into());
        args.public_key
            .get_or_insert_with(|| crate::sim::DEMO_PUBLIC_KEY.into());
        args.client_id
            .get_or_insert_with(|| crate::sim::DEMO_CLIENT_ID.into());
    }
    let profiles = match load_profiles(&args.profile_files) {
        Ok(p) => p,
        Err(problem) => {
            eprintln!("cwsetup: {problem}");
            return EXIT_USAGE;
        }
    };
    let mut wanted = args.profiles.clone();
    for path in &args.profile_files {
        if let Ok(p) = crate::profile::load_file(path) {
            wanted.push(p.id);
        }
    }
    if wanted.is_empty() {
        wanted.push("sync365".into());
    }
    let mut selected = Vec::new();
    for id in &wanted {
        match profiles.iter().find(|p| &p.id == id) {
            Some(p) => selected.push(p.clone()),
            None => {
                let known: Vec<&str> = profiles.iter().map(|p| p.id.as_str()).collect();
                eprintln!(
                    "cwsetup: no vendor profile {id:?}; known profiles: {}",
                    known.join(", ")
                );
                return EXIT_USAGE;
            }
        }
    }

    let private_key = match private_key(args, demo.is_some()) {
        Ok(key) => key,
        Err(problem) => {
            eprintln!("cwsetup: {problem}");
            return EXIT_USAGE;
        }
    };
    let mut missing = Vec::new();
    let blank = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
    if blank(&args.site) {
        missing.push("the site (--site or CW_SITE)");
    }
    if blank(&args.company) {
        missing.push("the company ID (--company or CW_COMPANY_ID)");
    }
    if blank(&args.public_key) {
        missing.push("the public key (--public-key or CW_PUBLIC_KEY)");
    }
    if private_key.is_empty() {
        missing.push(
            "the private key (CW_PRIVATE_KEY, --private-key-stdin, or the prompt on a terminal)",
        );
    }
    if blank(&args.client_id) {
        missing.push("the client ID (--client-id or CW_CLIENT_ID)");
    }
    if !missing.is_empty() {
        eprintln!("cwsetup check: missing {}.", missing.join("; "));
        eprintln!("Try `cwsetup check --demo` to see a check against the simulated ConnectWise.");
        return EXIT_USAGE;
    }

    let mut public_key_text = args.public_key.take().unwrap_or_default();
    let public_key = Secret::from_str_checked(&public_key_text);
    let hint: String = public_key_text.trim().chars().take(4).collect();
    public_key_text.zeroize();
    let public_key = match public_key {
        Ok(key) => key,
        Err(e) => {
            eprintln!("cwsetup: public key: {e}");
            return EXIT_USAGE;
        }
    };
    let request = CheckRequest {
        site: args.site.clone().unwrap_or_default(),
        company_id: args.company.clone().unwrap_or_default(),
        client_id: args.client_id.clone().unwrap_or_default(),
        public_key,
        private_key,
        profiles: selected.clone(),
        timeout: Duration::from_secs(args.timeout.max(1)),
    };
    let report = check::run(request, None).await;

    if let Some(path) = &args.report {
        let refs: Vec<&crate::profile::Profile> = selected.iter().collect();
        let text = check::markdown(&report, &refs, &format!("{hint}…"));
        if let Err(e) = std::fs::write(path, text) {
            eprintln!(
                "cwsetup: could not write the report to {}: {e}",
                path.display()
            );
            return EXIT_USAGE;
        }
    }
    let mut stdout = io::stdout();
    let printed = if args.json {
        match serde_json::to_string_pretty(&report) {
            Ok(json) => writeln!(stdout, "{json}"),
            Err(e) => writeln!(stdout, "{{\"ok\": false, \"error\": \"{e}\"}}"),
        }
    } else {
        let color =
            stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        write!(stdout, "{}", check::human(&report, Style { color }))
    };
    let _ = printed;
    if let Some(path) = &args.report {
        eprintln!(
            "cwsetup: report written to {} (redacted: no keys)",
            path.display()
        );
    }
    if report.ok {
        EXIT_OK
    } else {
        EXIT_CHECK_FAILED
    }
}

/// The private key, from the one place it may come from. Never a flag.
fn private_key(args: &CheckArgs, demo: bool) -> Result<Secret, String> {
    let from_text = |mut text: String| {
        let secret = Secret::from_str_checked(text.trim_end_matches(['\r', '\n']));
        text.zeroize();
        secret.map_err(|e| format!("private key: {e}"))
    };
    if args.private_key_stdin {
        let mut line = String::new();
        io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| format!("could not read the private key from standard input: {e}"))?;
        return from_text(line);
    }
    if let Ok(text) = std::env::var("CW_PRIVATE_KEY") {
        return from_text(text);
    }
    if demo {
        return Secret::from_str_checked(crate::sim::DEMO_PRIVATE_KEY).map_err(|e| e.to_string());
    }
    if io::stdin().is_terminal() && io::stderr().is_terminal() {
        return prompt_private_key();
    }
    Ok(Secret::new())
}

/// Reads the key with echo off, straight into a `Secret`.
fn prompt_private_key() -> Result<Secret, String> {
    use crossterm::event::{Event, KeyCode, KeyEventKind, KeyModifiers, read};
    eprint!("Private key (not shown; paste and press Enter): ");
    let _ = io::stderr().flush();
    crossterm::terminal::enable_raw_mode()
        .map_err(|e| format!("cannot read from the terminal: {e}"))?;
    let mut secret = Secret::new();
    let outcome = loop {
        match read() {
            Ok(Event::Key(key)) if key.kind != KeyEventKind::Release => match key.code {
                KeyCode::Enter => break Ok(()),
                KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                    break Err("cancelled".to_string());
                }
                KeyCode::Char(c) => {
                    if let Err(e) = secret.push(c) {
                        break Err(e.to_string());
                    }
                }
                KeyCode::Backspace => {
                    secret.pop();
                }
                _ => {}
            },
            Ok(Event::Paste(mut text)) => {
                let pushed = secret.push_str(&text);
                text.zeroize();
                if let Err(e) = pushed {
                    break Err(e.to_string());
                }
            }
            Ok(_) => {}
            Err(e) => break Err(format!("cannot read from the terminal: {e}")),
        }
    };
    let _ = crossterm::terminal::disable_raw_mode();
    eprintln!();
    outcome.map(|()| secret)
}

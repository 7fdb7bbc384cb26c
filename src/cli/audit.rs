//! `cwsetup audit`: steps 2 and 3 read back with the technician's own API keys, for scripts and
//! RMM. Read-only: nothing is written to ConnectWise.

use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use zeroize::Zeroize;

use crate::cw::{ClientOptions, Credentials, CwClient, CwError, Site};
use crate::sanitize::{self, FieldKind};
use crate::secret::Secret;

use super::check::{KeySource, PRIVATE_KEY_MISSING, private_key, private_key_source};
use super::exit::{EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use super::select::{Catalogue, select};

const EXAMPLES: &str = "\
Use your own API keys (My Account > API Keys, or an admin API member), not the vendor's: they
need System > Security Roles and System > Member Maintenance (Inquire) to read the role and the
member. Without them, that step is reported as manual, never as failed.
The private key is never a flag: CW_PRIVATE_KEY, --private-key-stdin, or a prompt that does not echo.

Examples:
  cwsetup audit --demo
  cwsetup audit --site na.myconnectwise.net --company contoso --public-key AbCdEfGh12345678 \\
      --client-id 2b7e1516-28ae-4d2a-a6f7-15886309cf4f --role \"Sync 365 API\" --member S365
  printf '%s\\n' \"$MY_KEY\" | cwsetup audit --private-key-stdin --json

Exit codes: 0 nothing failed (warnings included), 1 something failed, 2 a usage or input error.";

/// Read the security role (step 2) and the API member (step 3) with your own keys, and compare
/// them with what the vendor profiles need.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct AuditArgs {
    /// The ConnectWise site: na.myconnectwise.net, a region, or your self-hosted server.
    #[arg(long, env = "CW_SITE", value_name = "SITE")]
    pub site: Option<String>,

    /// The company ID typed on the ConnectWise login screen (not the company's name).
    #[arg(long = "company", env = "CW_COMPANY_ID", value_name = "ID")]
    pub company: Option<String>,

    /// Your own API key's public key (CW_PUBLIC_KEY keeps it out of the process list).
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

    /// Vendor profile whose role is audited; repeatable. Default: sync365.
    #[arg(long = "profile", value_name = "ID")]
    pub profiles: Vec<String>,

    /// Your own vendor profile file (JSON); repeatable.
    #[arg(long = "profile-file", value_name = "PATH")]
    pub profile_files: Vec<PathBuf>,

    /// The security role's name. Default: the name the profile recommends.
    #[arg(long, value_name = "NAME")]
    pub role: Option<String>,

    /// The API member's Member ID. Default: the profile's.
    #[arg(long, value_name = "IDENTIFIER")]
    pub member: Option<String>,

    /// Print one JSON object on standard output (no secret in it).
    #[arg(long)]
    pub json: bool,

    /// Seconds the whole audit may take.
    #[arg(long, value_name = "SECS", default_value_t = 30)]
    pub timeout: u64,

    /// Read the private key from the first line of standard input.
    #[arg(long)]
    pub private_key_stdin: bool,

    /// Audit a built-in simulated ConnectWise with its own admin keys; needs no other flag.
    #[arg(long)]
    pub demo: bool,
}

/// Runs the audit and returns the exit code.
pub fn run(mut args: AuditArgs) -> u8 {
    super::demo::run_headless(args.demo, |demo| async move {
        audit_with(&mut args, demo).await
    })
}

/// A failure before the audit could read anything (site, company, connection).
fn print_error(json: bool, summary: &str, fix: &str) {
    if json {
        let body = serde_json::json!({
            "verdict": "fail",
            "error": {"summary": summary, "fix": fix},
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&body).unwrap_or_default()
        );
    }
    eprintln!("cwsetup audit: {summary}\n  fix: {fix}");
}

/// The audit, against `demo` (the simulator's URL) when given.
async fn audit_with(args: &mut AuditArgs, demo: Option<String>) -> u8 {
    if let Some(url) = &demo {
        super::demo::use_demo_values(
            "audit",
            url,
            crate::sim::DEMO_ADMIN_PUBLIC_KEY,
            super::demo::GivenValues {
                site: &mut args.site,
                company: &mut args.company,
                public_key: &mut args.public_key,
                client_id: &mut args.client_id,
                private_key_stdin: args.private_key_stdin,
            },
        );
    }
    let selected = match select(Catalogue::BuiltIn, &args.profiles, &args.profile_files) {
        Ok(selection) => selection.chosen(),
        Err(problem) => {
            eprintln!("cwsetup: {}", sanitize::display_text(&problem.to_string()));
            return EXIT_USAGE;
        }
    };
    let merged = crate::profile::merge(&selected.iter().collect::<Vec<_>>());

    let source = if demo.is_some() {
        KeySource::Demo
    } else {
        private_key_source(args.private_key_stdin, false)
    };
    let mut missing = Vec::new();
    let blank = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
    for (value, what) in [
        (&args.site, "the site (--site or CW_SITE)"),
        (&args.company, "the company ID (--company or CW_COMPANY_ID)"),
        (
            &args.public_key,
            "your public key (--public-key or CW_PUBLIC_KEY)",
        ),
        (
            &args.client_id,
            "the client ID (--client-id or CW_CLIENT_ID)",
        ),
    ] {
        if blank(value) {
            missing.push(what);
        }
    }
    if source == KeySource::None {
        missing.push(PRIVATE_KEY_MISSING);
    }
    if !missing.is_empty() {
        eprintln!("cwsetup audit: missing {}.", missing.join("; "));
        eprintln!("Try `cwsetup audit --demo` to see an audit of the simulated ConnectWise.");
        return EXIT_USAGE;
    }
    let raw_private = match source {
        KeySource::Demo => {
            Secret::from_str_checked(crate::sim::DEMO_ADMIN_PRIVATE_KEY).map_err(|e| e.to_string())
        }
        other => private_key(other),
    };
    let raw_private = match raw_private {
        Ok(key) => key,
        Err(problem) => {
            eprintln!("cwsetup: {problem}");
            return EXIT_USAGE;
        }
    };

    // The same sanitizing as every other input: stray whitespace and invisible characters go.
    let mut public_text = args.public_key.take().unwrap_or_default();
    let mut public_key = Secret::new();
    let public_ok =
        sanitize::sanitize_secret_into(FieldKind::PublicKey, &public_text, &mut public_key);
    public_text.zeroize();
    let mut private_key = Secret::new();
    let private_ok = sanitize::sanitize_secret_into(
        FieldKind::PrivateKey,
        raw_private.expose(),
        &mut private_key,
    );
    drop(raw_private);
    if public_ok.is_err() || private_ok.is_err() {
        eprintln!("cwsetup audit: a key is longer than any ConnectWise key: paste it again.");
        return EXIT_USAGE;
    }
    if public_key.is_empty() || private_key.is_empty() {
        eprintln!(
            "cwsetup audit: missing {PRIVATE_KEY_MISSING} or the public key (empty once trimmed)."
        );
        return EXIT_USAGE;
    }
    if sanitize::keys_identical(public_key.expose(), private_key.expose()) {
        eprintln!(
            "cwsetup audit: the public and private keys are identical: one was pasted twice."
        );
        return EXIT_USAGE;
    }
    let text = |kind, value: &Option<String>| {
        sanitize::sanitize(kind, value.as_deref().unwrap_or("")).value
    };
    let company_id = text(FieldKind::CompanyId, &args.company);
    let client_id = text(FieldKind::ClientId, &args.client_id);
    let site = match Site::parse(&text(FieldKind::Site, &args.site)) {
        Ok(site) => site,
        Err(e) => {
            eprintln!("cwsetup audit: site: {e} ({})", e.fix());
            return EXIT_USAGE;
        }
    };
    let role_name = args
        .role
        .clone()
        .filter(|r| !r.trim().is_empty())
        .unwrap_or_else(|| merged.role_name.clone());
    let member = args
        .member
        .as_deref()
        .map(|m| sanitize::sanitize(FieldKind::MemberId, m).value)
        .filter(|m| !m.is_empty())
        .or_else(|| selected.first().map(|p| p.member.member_id.clone()))
        .unwrap_or_default();

    let options = ClientOptions {
        client_id,
        deadline: Some(tokio::time::Instant::now() + Duration::from_secs(args.timeout.max(1))),
        ..ClientOptions::default()
    };
    let client = match CwClient::new(site, options) {
        Ok(client) => client,
        Err(e) => return failed_before_reading(args.json, &e),
    };
    let info = match client.company_info(&company_id).await {
        Ok(info) => info,
        Err(e) => return failed_before_reading(args.json, &e),
    };
    let credentials = Arc::new(Credentials {
        company_id,
        public_key,
        private_key,
    });
    let session = client.session(&info, credentials);
    let report = crate::audit::audit(&session, &merged, &role_name, &member).await;
    drop(session);

    let mut stdout = io::stdout();
    let _ = if args.json {
        match serde_json::to_string_pretty(&report) {
            Ok(json) => writeln!(stdout, "{json}"),
            Err(e) => writeln!(stdout, "{{\"verdict\": \"fail\", \"error\": \"{e}\"}}"),
        }
    } else {
        write!(stdout, "{}", crate::audit::human(&report))
    };
    match report.verdict {
        crate::audit::Verdict::Fail => EXIT_FAILED,
        _ => EXIT_OK,
    }
}

fn failed_before_reading(json: bool, e: &CwError) -> u8 {
    print_error(json, &e.to_string(), &e.fix());
    EXIT_FAILED
}

//! `cwsetup audit`: steps 2 and 3 read back with the technician's own API keys, for scripts and
//! RMM. Read-only: nothing is written to ConnectWise.

use std::io::{self, Write};

use crate::audit::AuditRequest;
use crate::sanitize;

use super::connection::{ConnectionArgs, DemoKeys, gather};
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
    /// The flags `audit` shares with `check` (here the keys are your own).
    #[command(flatten)]
    pub conn: ConnectionArgs,

    /// The security role's name. Default: the name the profile recommends.
    #[arg(long, value_name = "NAME")]
    pub role: Option<String>,

    /// The API member's Member ID. Default: the profile's.
    #[arg(long, value_name = "IDENTIFIER")]
    pub member: Option<String>,
}

/// Runs the audit and returns the exit code.
pub fn run(mut args: AuditArgs) -> u8 {
    let demo = super::demo::headless_demo(&args.conn);
    super::demo::run_headless(
        demo,
        |demo| async move { audit_with(&mut args, demo).await },
    )
}

/// The audit, against `demo` (the simulator's URL) when given.
async fn audit_with(args: &mut AuditArgs, demo: Option<String>) -> u8 {
    let selected = match select(
        Catalogue::BuiltIn,
        &args.conn.profile.profiles,
        &args.conn.profile.profile_files,
    ) {
        Ok(selection) => selection.chosen(),
        Err(problem) => {
            eprintln!("cwsetup: {}", sanitize::display_text(&problem.to_string()));
            return EXIT_USAGE;
        }
    };
    let demo_keys = DemoKeys {
        public_key: crate::sim::DEMO_ADMIN_PUBLIC_KEY,
        private_key: crate::sim::DEMO_ADMIN_PRIVATE_KEY,
    };
    let given = match gather("audit", &mut args.conn, demo.as_deref(), demo_keys) {
        Ok(given) => given,
        Err(code) => return code,
    };
    // The same input path as the wizard's audit, and the same judgement as the check's.
    let request = AuditRequest {
        site: given.site,
        company_id: given.company_id,
        client_id: given.client_id,
        public_key: given.public_key,
        private_key: given.private_key,
        profiles: selected,
        role_name: args.role.clone().unwrap_or_default(),
        member: args.member.clone().unwrap_or_default(),
        timeout: args.conn.run.timeout(),
    };
    let report = match crate::audit::run_exact(request).await {
        Ok(report) => report,
        Err(failure) => {
            super::console::print_failure(
                "audit",
                args.conn.output.json,
                &failure.summary,
                &failure.fix,
            );
            return if failure.input {
                EXIT_USAGE
            } else {
                EXIT_FAILED
            };
        }
    };

    let mut stdout = io::stdout();
    let _ = if args.conn.output.json {
        match serde_json::to_string_pretty(&report) {
            // Exact JSON; bidi overrides and C1 controls (which JSON may hold raw) as \u escapes,
            // as `check --json` does.
            Ok(json) => writeln!(stdout, "{}", sanitize::json_for_terminal(&json)),
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

//! `cwsetup members`: every API member of the tenant, what it can do and what it is for, read
//! with the technician's own keys. Read-only: nothing is written to ConnectWise.

use std::io::{self, Write};

use crate::members::{MembersRequest, Verdict};
use crate::sanitize;

use super::check::shown_path;
use super::connection::{ConnectionArgs, DemoKeys, ReportArgs, gather};
use super::exit::{EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use super::select::{Catalogue, select};

const EXAMPLES: &str = "\
Use your own API keys (My Account > API Keys, or an admin API member), not a vendor's: they
need System > Member Maintenance and System > Security Roles (Inquire) to read the members, the
roles and the roles' settings. A part they may not read is reported as manual, never as failed.
The private key is never a flag: CW_PRIVATE_KEY, --private-key-stdin, or a prompt that does not echo.

Each member's role is compared with every shipped vendor profile (only those given with
--profile / --profile-file, when given): the best match, the rows it lacks, the rows beyond
need. Finding ids, for scripts: admin-role, inactive, below-top-level, no-location,
excluded-boards, more-than-needed, missing-rows (fail: a matched vendor's required row is
missing), unknown-purpose.

--report writes a new file (mode 0600) and renames it into place, as `check --report` does.

Examples:
  cwsetup members --demo
  cwsetup members --site na.myconnectwise.net --company contoso --public-key AbCdEfGh12345678 \\
      --client-id 2b7e1516-28ae-4d2a-a6f7-15886309cf4f
  printf '%s\\n' \"$MY_KEY\" | cwsetup members --private-key-stdin --json --report members.md

Exit codes: 0 no finding fails (warnings included), 1 a finding fails (or a read failed), 2 a
usage or input error.";

/// List every API member with its role, Level, location and excluded boards, the vendor
/// profile its role matches, and what to fix. Read-only.
#[derive(Debug, clap::Args)]
#[command(
    after_help = EXAMPLES,
    // The shared flags (connection.rs) worded for this command: one definition, this help.
    mut_arg("profiles", |a| a.help(
        "Match roles only with this vendor profile (see `cwsetup profiles`); repeatable. \
         Default: every shipped profile"
    )),
    mut_arg("public_key", |a| a.help(
        "Your own API key's public key (CW_PUBLIC_KEY keeps it out of the process list)"
    )),
)]
pub struct MembersArgs {
    /// The flags `members` shares with `check` and `audit` (here the keys are your own).
    #[command(flatten)]
    pub conn: ConnectionArgs,

    /// `--report FILE` (shared with `check`).
    #[command(flatten)]
    pub report: ReportArgs,
}

/// Runs `cwsetup members` and returns the exit code.
pub fn run(mut args: MembersArgs) -> u8 {
    let demo = args
        .conn
        .run
        .demo
        .then(crate::sim::Scenario::members_tenant);
    super::demo::run_headless(
        demo,
        |url| async move { members_with(&mut args, url).await },
    )
}

/// The profiles a role may match: every shipped one, unless some were chosen.
fn candidates(args: &MembersArgs) -> Result<Vec<crate::profile::Profile>, u8> {
    let profile = &args.conn.profile;
    if profile.profiles.is_empty() && profile.profile_files.is_empty() {
        return Ok(crate::profile::builtin().to_vec());
    }
    match select(
        Catalogue::BuiltIn,
        &profile.profiles,
        &profile.profile_files,
    ) {
        Ok(selection) => Ok(selection.chosen()),
        Err(problem) => {
            eprintln!("cwsetup: {}", sanitize::display_text(&problem.to_string()));
            Err(EXIT_USAGE)
        }
    }
}

async fn members_with(args: &mut MembersArgs, demo: Option<String>) -> u8 {
    let profiles = match candidates(args) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let demo_keys = DemoKeys {
        public_key: crate::sim::DEMO_ADMIN_PUBLIC_KEY,
        private_key: crate::sim::DEMO_ADMIN_PRIVATE_KEY,
    };
    let given = match gather("members", &mut args.conn, demo.as_deref(), demo_keys) {
        Ok(given) => given,
        Err(code) => return code,
    };
    let site = given.site.clone();
    let request = MembersRequest {
        site: given.site,
        company_id: given.company_id,
        client_id: given.client_id,
        public_key: given.public_key,
        private_key: given.private_key,
        profiles,
        timeout: args.conn.run.timeout(),
    };
    let report = match crate::members::run(request).await {
        Ok(report) => report,
        Err(failure) => {
            super::console::print_failure(
                "members",
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
    // As `check --report`: a report that cannot be written is exit 2, the output still printed.
    let mut report_failed = false;
    if let Some(path) = &args.report.report {
        let text = crate::members::markdown(&report, &site);
        match crate::report_file::write_private(path, text.as_bytes()) {
            Ok(()) => eprintln!(
                "cwsetup: report written to {} (redacted: no keys)",
                shown_path(path)
            ),
            Err(e) => {
                eprintln!(
                    "cwsetup: could not write the report to {}: {e}",
                    shown_path(path)
                );
                report_failed = true;
            }
        }
    }
    let mut stdout = io::stdout();
    let _ = if args.conn.output.json {
        match serde_json::to_string_pretty(&report) {
            Ok(json) => writeln!(stdout, "{}", sanitize::json_for_terminal(&json)),
            Err(e) => writeln!(stdout, "{{\"verdict\": \"fail\", \"error\": \"{e}\"}}"),
        }
    } else {
        let text = crate::members::human(&report);
        write!(stdout, "{}", super::console::fit(&text))
    };
    if report_failed {
        return EXIT_USAGE;
    }
    match report.verdict {
        Verdict::Fail => EXIT_FAILED,
        Verdict::Pass | Verdict::Warn => EXIT_OK,
    }
}

//! `cwsetup check`: the headless verification, for scripts, CI and support calls.

use std::io::{self, IsTerminal, Write};

use crate::check::{self, CheckRequest, Style};

use super::connection::{ConnectionArgs, DemoKeys, ReportArgs, gather};
use super::exit::{self, EXIT_USAGE};
use super::select::{Catalogue, select};

const EXAMPLES: &str = "\
The private key is never a flag (flags show in process lists): it comes from CW_PRIVATE_KEY,
from standard input with --private-key-stdin, or from a prompt that does not echo. A key in
CW_PRIVATE_KEY or CW_PUBLIC_KEY stays readable in /proc/PID/environ (to your user and root) for
the whole run: prefer --private-key-stdin or the prompt.

--report writes a new file (mode 0600) and renames it into place; it refuses a symbolic link,
a FIFO or any other non-regular file. If it cannot be written, the check's output (--json
included) is still printed, and the exit code is 2.

Examples:
  cwsetup check --demo
  cwsetup check --demo --quiet     one line on a pass; failures in full (for a scheduled task)
  cwsetup check --site na.myconnectwise.net --company contoso --public-key AbCdEfGh12345678 \\
      --client-id 2b7e1516-28ae-4d2a-a6f7-15886309cf4f
  printf '%s\\n' \"$KEY\" | cwsetup check --private-key-stdin --json --report ticket.md

Verdicts: pass (every stage passed, nothing to act on), warn (nothing failed, but a warning
needs acting on or accepting knowingly: hidden parent agreement types, rows only checkable by
hand, data the vendor needs that the member does not see), fail (a stage failed). --json gives
it as `verdict`; `ok` is true for pass and warn; `warnings` lists what to act on, `notes` what is
only worth knowing.

Exit codes: 0 pass or warn (with --strict, only pass), 1 a stage failed (or, with --strict, a
warning), 2 a usage or input error.";

/// Verify a ConnectWise API member without the wizard: site, company, keys, role, data.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct CheckArgs {
    /// The flags `check` shares with `audit`.
    #[command(flatten)]
    pub conn: ConnectionArgs,

    /// `--report FILE` (shared with `rotate` and `members`).
    #[command(flatten)]
    pub report: ReportArgs,

    /// Exit 1 on a pass with warnings too (by default it exits 0, like a pass).
    #[arg(long)]
    pub strict: bool,

    /// Print only the verdict line, and each failure in full (for a scheduled re-check: see
    /// docs/scheduled-checks.md). The exit code is the same.
    #[arg(long, conflicts_with = "json")]
    pub quiet: bool,
}

/// Runs the check and returns the exit code.
pub fn run(mut args: CheckArgs) -> u8 {
    let demo = super::demo::headless_demo(&args.conn);
    super::demo::run_headless(
        demo,
        |demo| async move { check_with(&mut args, demo).await },
    )
}

/// The check, against `demo` (the simulator's URL) when given.
async fn check_with(args: &mut CheckArgs, demo: Option<String>) -> u8 {
    let selected = match select(
        Catalogue::BuiltIn,
        &args.conn.profile.profiles,
        &args.conn.profile.profile_files,
    ) {
        Ok(selection) => selection.chosen(),
        Err(problem) => {
            eprintln!(
                "cwsetup: {}",
                crate::sanitize::display_text(&problem.to_string())
            );
            return EXIT_USAGE;
        }
    };
    // All five values are the demo's with --demo, whatever CW_SITE etc. say.
    let demo_keys = DemoKeys {
        public_key: crate::sim::DEMO_PUBLIC_KEY,
        private_key: crate::sim::DEMO_PRIVATE_KEY,
    };
    let given = match gather("check", &mut args.conn, demo.as_deref(), demo_keys) {
        Ok(given) => given,
        Err(code) => return code,
    };
    let hint = given.public_key.report_hint();
    let request = CheckRequest {
        site: given.site,
        company_id: given.company_id,
        client_id: given.client_id,
        public_key: given.public_key,
        private_key: given.private_key,
        profiles: selected.clone(),
        timeout: args.conn.run.timeout(),
        // Flags and environment values reach the check as they are; it sanitizes them itself.
        removed_before: Vec::new(),
    };
    let report = check::run(request, None).await;

    // A report that cannot be written is an input error (exit 2, message on stderr), but the
    // check's own output is still printed: a script reading --json gets its document.
    let mut report_failed = false;
    if let Some(path) = &args.report.report {
        let refs: Vec<&crate::profile::Profile> = selected.iter().collect();
        let text = check::markdown(&report, &refs, &hint);
        match crate::report_file::write_private(path, text.as_bytes()) {
            Ok(()) if args.quiet => {}
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
    let printed = if args.conn.output.json {
        match serde_json::to_string_pretty(&report) {
            // Exact JSON; bidi overrides and C1 controls (which JSON may hold raw) as \u escapes.
            Ok(json) => writeln!(stdout, "{}", crate::sanitize::json_for_terminal(&json)),
            Err(e) => writeln!(stdout, "{{\"ok\": false, \"error\": \"{e}\"}}"),
        }
    } else if args.quiet {
        let text = with_flag_hints(&check::quiet(&report, Style { color: color() }));
        write!(stdout, "{}", super::console::fit(&text))
    } else {
        let color = color();
        let refs: Vec<&crate::profile::Profile> = selected.iter().collect();
        // On a pass (with or without warnings), the values to type in each vendor's portal.
        let values = check::portal_values(&report, &refs);
        let text = check::human_with_values(&report, Style { color }, &values);
        let text = with_flag_hints(&text);
        write!(stdout, "{}", super::console::fit(&text))
    };
    let _ = printed;
    if report_failed {
        return EXIT_USAGE;
    }
    // A bad site, identical keys, a value empty after trimming: an input error (2).
    exit::for_report(&report, args.strict)
}

/// Whether the human output may use colour: standard output is a terminal that understands it,
/// and NO_COLOR is not set.
pub(super) fn color() -> bool {
    io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && super::console::ansi_ok()
}

/// A path as given on the command line, safe to print.
pub(super) fn shown_path(path: &std::path::Path) -> String {
    crate::sanitize::display_text(&path.display().to_string())
}

/// The shared fix texts name no flag ("turn on logging", "allow the check more time"); the
/// command line adds its own flag for each after the output.
fn with_flag_hints(text: &str) -> String {
    let mut out = text.to_string();
    let lower = text.to_lowercase();
    let mut hints = Vec::new();
    if lower.contains(crate::cw::FIX_TURN_ON_LOGGING) {
        hints.push("to turn on logging, add --log-level debug (or set CWSETUP_LOG=debug)");
    }
    if lower.contains(crate::cw::FIX_ALLOW_MORE_TIME) {
        hints.push("to allow the check more time, add --timeout SECS");
    }
    for hint in hints {
        out.push_str(&format!("Hint: {hint}.\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::connection::TargetArgs;
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Wrapper {
        #[command(flatten)]
        check: CheckArgs,
    }

    fn args(list: &[&str]) -> CheckArgs {
        let mut argv = vec!["check"];
        argv.extend_from_slice(list);
        Wrapper::parse_from(argv).check
    }

    #[test]
    fn every_missing_value_is_named_at_once() {
        let mut none = args(&[]).conn;
        none.target = TargetArgs::default();
        none.keys.public_key = None;
        let missing = super::super::connection::missing_values(&none, true);
        assert_eq!(missing.len(), 5, "{missing:?}");
        for source in [
            "CW_SITE",
            "CW_COMPANY_ID",
            "CW_PUBLIC_KEY",
            "CW_PRIVATE_KEY",
            "CW_CLIENT_ID",
        ] {
            assert!(missing.iter().any(|m| m.contains(source)), "{source}");
        }
        // With a prompt to come, the private key is not missing yet; the others still are.
        let missing = super::super::connection::missing_values(&none, false);
        assert_eq!(missing.len(), 4, "{missing:?}");
        assert!(!missing.iter().any(|m| m.contains("CW_PRIVATE_KEY")));
    }

    #[test]
    fn the_command_line_names_its_flags_for_the_neutral_fix_texts() {
        let text = "✗ auth  odd body\n  fix: This looks like a ConnectWise version cwsetup does not know. Turn on logging to capture the details, and report it.\n";
        let shown = with_flag_hints(text);
        assert!(shown.contains("--log-level debug"), "{shown}");
        assert!(!shown.contains("--timeout"), "{shown}");
        let shown = with_flag_hints("Try again later, or allow the check more time.");
        assert!(shown.contains("--timeout SECS"), "{shown}");
        assert_eq!(with_flag_hints("all good\n"), "all good\n");
    }

    #[test]
    fn strict_parses() {
        assert!(args(&["--strict"]).strict);
        assert!(!args(&[]).strict);
    }

    #[test]
    fn the_demo_key_source_wins_over_everything() {
        use super::super::private_key::{KeySource, private_key_source};
        let a = args(&["--private-key-stdin"]);
        assert_eq!(
            private_key_source(a.conn.keys.private_key_stdin, true),
            KeySource::Demo
        );
    }
}

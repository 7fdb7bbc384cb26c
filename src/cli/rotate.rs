//! `cwsetup rotate`: a new key proved with the full check, and the old key proved dead (401).

use std::io::{self, Write};

use crate::check::{Style, Verdict};
use crate::rotate::{OldKeyStatus, RotateReport, RotateRequest};
use crate::sanitize;
use crate::secret::Secret;

use super::connection::{ConnectionArgs, ReportArgs, missing_values};
use super::exit::{EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use super::private_key::{KeySource, env_or_prompt, key_from, stdin_is_terminal, stdin_keys};
use super::select::{Catalogue, select};

const EXAMPLES: &str = "\
The steps (printed again with what was proved):
  1. make a new key on the same API member (its API Keys tab: +), described with the member ID
     and today's date, e.g. \"S365 2026-12-07\";
  2. cwsetup runs the full check with the new key: it must pass (or warn) first;
  3. type the new values into the vendor's portal, and save there;
  4. delete the old key in ConnectWise (the member's API Keys tab);
  5. cwsetup proves the old key is rejected: 401 on system/info.
Run it after step 4; run before, it checks the new key and says the old one still works.

The private keys are never flags: CW_PRIVATE_KEY (new) and CW_OLD_PRIVATE_KEY (old), two
prompts that do not echo, or --private-key-stdin with two lines: the new key, then the old.
No key is stored (only the date of a proved rotation, per site and member, to tell the key's
age next time); both pairs are wiped when the run ends.

Examples:
  cwsetup rotate --demo
  cwsetup rotate --site na.myconnectwise.net --company contoso --client-id \\
      2b7e1516-28ae-4d2a-a6f7-15886309cf4f --public-key NewPub4567890123 \\
      --old-public-key OldPub4567890123
  printf '%s\\n%s\\n' \"$NEW_KEY\" \"$OLD_KEY\" | cwsetup rotate --private-key-stdin --json ...

--json prints {\"verdict\", \"new_key\": {\"verdict\", \"stages\"}, \"old_key\": {\"status\", \"detail\"}};
old_key.status is rejected, still-works or not-checked (the new key failed, or no answer).

Exit codes: 0 the new key passed (or warned) and the old key is rejected, 1 the new key failed
or the old key still works (or could not be tried), 2 a usage or input error.";

/// Rotate an API member's key: prove the new key with the full check, then prove the old key is
/// rejected (401). Read-only: ConnectWise's keys are made and deleted by hand.
#[derive(Debug, clap::Args)]
#[command(
    after_help = EXAMPLES,
    // The shared flags (connection.rs) worded for a rotation: one definition, this command's help.
    mut_arg("public_key", |a| a.help(
        "The new key's public key (CW_PUBLIC_KEY keeps it out of the process list)"
    )),
    mut_arg("private_key_stdin", |a| a.help(
        "Read the two private keys from standard input, one per line: the new key, then the old \
         (on a terminal, two prompts that do not echo)"
    )),
    mut_arg("profiles", |a| a.help(
        "Vendor profile the new key is checked against (see `cwsetup profiles`); repeatable. \
         Default: sync365"
    )),
    mut_arg("demo", |a| a.help(
        "Run against a built-in simulated ConnectWise with its own values and both demo key \
         pairs (the old one already deleted); needs no other flag"
    )),
)]
pub struct RotateArgs {
    /// The flags `rotate` shares with `check` (here --public-key is the new key's).
    #[command(flatten)]
    pub conn: ConnectionArgs,

    /// The old key's public key (CW_OLD_PUBLIC_KEY keeps it out of the process list).
    #[arg(
        long = "old-public-key",
        env = "CW_OLD_PUBLIC_KEY",
        hide_env_values = true,
        value_name = "KEY"
    )]
    pub old_public_key: Option<String>,

    /// `--report FILE`: the new key's check and the old key's proof.
    #[command(flatten)]
    pub report: ReportArgs,
}

/// Runs the rotation and returns the exit code.
pub fn run(mut args: RotateArgs) -> u8 {
    let demo = super::demo::headless_demo(&args.conn);
    super::demo::run_headless(
        demo,
        |demo| async move { rotate_with(&mut args, demo).await },
    )
}

const OLD_PUBLIC_KEY_MISSING: &str = "the old public key (--old-public-key or CW_OLD_PUBLIC_KEY)";
const OLD_PRIVATE_KEY_MISSING: &str = "the old private key (CW_OLD_PRIVATE_KEY, the second line \
     with --private-key-stdin, or the prompt on a terminal)";

/// Where the two private keys come from.
enum Sources {
    Demo,
    /// `--private-key-stdin` with a pipe: two lines.
    StdinLines,
    Each {
        new: KeySource,
        old: KeySource,
    },
}

fn sources(private_key_stdin: bool, demo: bool) -> Sources {
    match (demo, private_key_stdin) {
        (true, _) => Sources::Demo,
        (false, true) if stdin_is_terminal() => Sources::Each {
            new: KeySource::Prompt,
            old: KeySource::Prompt,
        },
        (false, true) => Sources::StdinLines,
        (false, false) => Sources::Each {
            new: env_or_prompt("CW_PRIVATE_KEY"),
            old: env_or_prompt("CW_OLD_PRIVATE_KEY"),
        },
    }
}

/// The two private keys (new, old), from their sources.
fn private_keys(sources: Sources) -> Result<(Secret, Secret), String> {
    match sources {
        Sources::Demo => Ok((
            Secret::from_str_checked(crate::sim::DEMO_PRIVATE_KEY).map_err(|e| e.to_string())?,
            Secret::from_str_checked(crate::sim::DEMO_OLD_PRIVATE_KEY)
                .map_err(|e| e.to_string())?,
        )),
        Sources::StdinLines => {
            let mut keys = stdin_keys(2)?.into_iter();
            match (keys.next(), keys.next()) {
                (Some(new), Some(old)) => Ok((new, old)),
                _ => Err("standard input did not hold two keys".into()),
            }
        }
        Sources::Each { new, old } => Ok((
            key_from(new, "CW_PRIVATE_KEY", "New private key")?,
            key_from(old, "CW_OLD_PRIVATE_KEY", "Old private key")?,
        )),
    }
}

fn report_missing(missing: &[&str]) -> u8 {
    eprintln!("cwsetup rotate: missing {}.", missing.join("; "));
    eprintln!("Try `cwsetup rotate --demo` to see it run against the simulated ConnectWise.");
    EXIT_USAGE
}

/// The values and both pairs, or the exit code of an input error (said on stderr).
fn gather(args: &mut RotateArgs, demo: Option<&str>) -> Result<RotateRequest, u8> {
    if let Some(url) = demo {
        super::demo::use_demo_values(
            "rotate",
            url,
            crate::sim::DEMO_PUBLIC_KEY,
            super::demo::GivenValues {
                site: &mut args.conn.target.site,
                company: &mut args.conn.target.company,
                public_key: &mut args.conn.keys.public_key,
                client_id: &mut args.conn.target.client_id,
                private_key_stdin: args.conn.keys.private_key_stdin,
            },
        );
        if args.old_public_key.is_some() || std::env::var_os("CW_OLD_PRIVATE_KEY").is_some() {
            eprintln!(
                "cwsetup rotate --demo: ignoring the given old key; the demo uses the simulator's own."
            );
        }
        if let Some(key) = args.old_public_key.as_mut() {
            zeroize::Zeroize::zeroize(key);
        }
        args.old_public_key = Some(crate::sim::DEMO_OLD_PUBLIC_KEY.into());
    }
    let sources = sources(args.conn.keys.private_key_stdin, demo.is_some());
    let (new_none, old_none) = match &sources {
        Sources::Each { new, old } => (*new == KeySource::None, *old == KeySource::None),
        Sources::Demo | Sources::StdinLines => (false, false),
    };
    let mut missing = missing_values(&args.conn, new_none);
    if args
        .old_public_key
        .as_deref()
        .is_none_or(|v| v.trim().is_empty())
    {
        missing.push(OLD_PUBLIC_KEY_MISSING);
    }
    if old_none {
        missing.push(OLD_PRIVATE_KEY_MISSING);
    }
    if !missing.is_empty() {
        return Err(report_missing(&missing));
    }
    let (new_private, old_private) = private_keys(sources).map_err(|problem| {
        eprintln!("cwsetup rotate: {}", sanitize::display_text(&problem));
        EXIT_USAGE
    })?;
    let mut missing = Vec::new();
    if new_private.is_empty() {
        missing.push(super::private_key::PRIVATE_KEY_MISSING);
    }
    if old_private.is_empty() {
        missing.push(OLD_PRIVATE_KEY_MISSING);
    }
    if !missing.is_empty() {
        return Err(report_missing(&missing));
    }
    let public = |value: &mut Option<String>, what: &str| {
        let mut text = value.take().unwrap_or_default();
        let key = Secret::from_str_checked(&text);
        zeroize::Zeroize::zeroize(&mut text);
        key.map_err(|e| {
            eprintln!("cwsetup rotate: {what}: {e}");
            EXIT_USAGE
        })
    };
    let new_public_key = public(&mut args.conn.keys.public_key, "public key")?;
    let old_public_key = public(&mut args.old_public_key, "old public key")?;
    Ok(RotateRequest {
        site: args.conn.target.site.clone().unwrap_or_default(),
        company_id: args.conn.target.company.clone().unwrap_or_default(),
        client_id: args.conn.target.client_id.clone().unwrap_or_default(),
        new_public_key,
        new_private_key: new_private,
        old_public_key,
        old_private_key: old_private,
        profiles: Vec::new(),
        timeout: args.conn.run.timeout(),
    })
}

/// The rotation, against `demo` (the simulator's URL) when given.
async fn rotate_with(args: &mut RotateArgs, demo: Option<String>) -> u8 {
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
    let mut request = match gather(args, demo.as_deref()) {
        Ok(request) => request,
        Err(code) => return code,
    };
    request.profiles = selected.clone();
    let problems = crate::rotate::pair_problems(&request);
    if !problems.is_empty() {
        for problem in problems {
            eprintln!("cwsetup rotate: {}", sanitize::display_text(&problem));
        }
        return EXIT_USAGE;
    }
    let hint = request.new_public_key.report_hint();
    let mut report = crate::rotate::run(request).await;
    // The demo's site changes with every run: nothing to remember.
    if demo.is_none() {
        remember(&mut report);
    }
    let refs: Vec<&crate::profile::Profile> = selected.iter().collect();
    let report_failed = match &args.report.report {
        Some(path) => !write_report(path, &crate::rotate::markdown(&report, &refs, &hint)),
        None => false,
    };
    print(&report, &refs, args.conn.output.json);
    if report_failed {
        return EXIT_USAGE;
    }
    exit_code(&report)
}

/// Reads the date of the last proved rotation of this member's key here (for the human output)
/// and, when this rotation is proved, remembers today's. A file that cannot be written is said on
/// stderr and changes nothing else.
fn remember(report: &mut RotateReport) {
    let Some(path) = crate::rotate::memory::memory_path() else {
        return;
    };
    let (site, company) = (&report.new_key.site, &report.new_key.company_id);
    report.previous_rotation =
        crate::rotate::memory::last_rotation(&path, site, company, &report.member_id);
    if report.verdict == Verdict::Fail || report.member_id.is_empty() {
        return;
    }
    if let Err(e) =
        crate::rotate::memory::remember(&path, site, company, &report.member_id, &report.date)
    {
        eprintln!(
            "cwsetup rotate: could not remember the rotation's date in {}: {e}",
            sanitize::display_text(&path.display().to_string())
        );
    }
}

/// Writes the report; says where (or why not) on stderr. True when written.
fn write_report(path: &std::path::Path, text: &str) -> bool {
    let shown = sanitize::display_text(&path.display().to_string());
    match crate::report_file::write_private(path, text.as_bytes()) {
        Ok(()) => {
            eprintln!("cwsetup: report written to {shown} (redacted: no keys)");
            true
        }
        Err(e) => {
            eprintln!("cwsetup: could not write the report to {shown}: {e}");
            false
        }
    }
}

fn print(report: &RotateReport, profiles: &[&crate::profile::Profile], json: bool) {
    let mut stdout = io::stdout();
    let _ = if json {
        match serde_json::to_string_pretty(report) {
            Ok(json) => writeln!(stdout, "{}", sanitize::json_for_terminal(&json)),
            Err(e) => writeln!(stdout, "{{\"verdict\": \"fail\", \"error\": \"{e}\"}}"),
        }
    } else {
        let style = Style {
            color: super::check::color(),
        };
        let text = crate::rotate::human(report, profiles, style);
        write!(stdout, "{}", super::console::fit(&text))
    };
}

/// 2 when the new key's values were refused as input, 0 when the rotation is proved, else 1.
fn exit_code(report: &RotateReport) -> u8 {
    let input_failed = report.new_key.stages.iter().any(|s| {
        s.id == crate::check::StageId::Input && s.status == crate::check::StageStatus::Fail
    });
    match (report.verdict, report.old_key.status) {
        _ if input_failed => EXIT_USAGE,
        (Verdict::Pass | Verdict::Warn, OldKeyStatus::Rejected) => EXIT_OK,
        (
            Verdict::Pass | Verdict::Warn | Verdict::Fail,
            OldKeyStatus::Rejected | OldKeyStatus::StillWorks | OldKeyStatus::NotChecked,
        ) => EXIT_FAILED,
    }
}

//! `cwsetup role` and `cwsetup profiles`: the command-line faces of [`crate::profile`].

use std::io::Write;
use std::path::PathBuf;

use super::connection::ProfileArgs;
use super::exit::{EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use super::select::{Catalogue, select};
use crate::profile::{
    self, Profile, matching, merge, profiles_json, profiles_table, render_json, render_markdown,
    render_text,
};

/// How `cwsetup role` prints the role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum RoleFormat {
    /// An aligned table with reasons and notes, for the terminal.
    #[default]
    Text,
    /// A checklist a ConnectWise admin can follow: where to click, levels, notes, member, key.
    Markdown,
    /// `{"profiles","role_name","rows":[...],"notes"}` for scripts.
    Json,
}

/// Print the least-privilege security role an integration needs, merged when one API member
/// serves several tools. Without --profile or --profile-file, the sync365 profile is used.
#[derive(Debug, Clone, Default, clap::Args)]
#[command(
    after_help = "Examples:
  cwsetup role
  cwsetup role --profile sync365 --format markdown > handoff.md
  cwsetup role --profile sync365 --profile-file ./my-v360-tool.json --format json

Run `cwsetup profiles` to list the profile ids.",
    // The shared definitions (connection.rs), worded for `role`.
    mut_arg("profiles", |a| a.help(
        "A shipped profile id (repeatable; see `cwsetup profiles`). Default: sync365"
    )),
    mut_arg("profile_files", |a| a.help(
        "A profile JSON file of your own (repeatable), e.g. one saved by the wizard's role step"
    )),
)]
pub struct RoleArgs {
    /// `--profile` and `--profile-file`, as every command takes them.
    #[command(flatten)]
    pub profile: ProfileArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = RoleFormat::Text)]
    pub format: RoleFormat,
}

/// List the vendor profiles that ship with cwsetup (id, vendor, product, when and where their
/// rows were read), or validate profile files.
#[derive(Debug, Clone, Default, clap::Args)]
#[command(after_help = "Examples:
  cwsetup profiles
  cwsetup profiles --search datto
  cwsetup profiles --format json
  cwsetup profiles validate ./my-vendor.json
  cwsetup role --profile datto-rmm --profile hudu --format markdown")]
pub struct ProfilesArgs {
    #[command(subcommand)]
    pub action: Option<ProfilesAction>,
    /// Output format of the list.
    #[arg(long, value_enum, default_value_t = ProfilesFormat::Text)]
    pub format: ProfilesFormat,
    /// Only the profiles whose id, vendor or product contains TEXT (case-insensitive; spaces,
    /// dots and dashes may be left out: "checkpoint" finds Check Point).
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
}

/// `cwsetup profiles` sub-actions.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum ProfilesAction {
    /// Check profile files: exit 0 when every file is valid, 2 with file:line:column and the
    /// reason for the first problem of each invalid file. Warns for rows no API call can prove.
    Validate {
        /// Profile JSON files.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
}

/// How `cwsetup profiles` prints the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ProfilesFormat {
    /// An aligned table.
    #[default]
    Text,
    /// `[{"id","vendor","product","source_url","as_of"}]` for scripts.
    Json,
}

/// `cwsetup role`: prints the (merged) role to `out`; problems go to `err`. Returns the exit code.
pub fn run_role(args: &RoleArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let profiles = match select(
        Catalogue::BuiltIn,
        &args.profile.profiles,
        &args.profile.profile_files,
    ) {
        Ok(selection) => selection.chosen(),
        Err(e) => {
            let _ = writeln!(
                err,
                "error: {}",
                crate::sanitize::display_text(&e.to_string())
            );
            return EXIT_USAGE;
        }
    };
    let refs: Vec<&Profile> = profiles.iter().collect();
    let role = merge(&refs);
    let text = match args.format {
        RoleFormat::Text => render_text(&role),
        RoleFormat::Markdown => render_markdown(&role, &refs),
        RoleFormat::Json => render_json(&role),
    };
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => EXIT_OK,
        Err(e) => {
            let _ = writeln!(err, "error: cannot write the role: {e}");
            EXIT_FAILED
        }
    }
}

/// `cwsetup profiles` with its arguments: the list (text or JSON, filtered by `--search`) or
/// `validate`. Returns the exit code.
pub fn run_profiles_command(args: &ProfilesArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    if let Some(ProfilesAction::Validate { files }) = &args.action {
        return validate_files(files, out, err);
    }
    // Roles saved from the wizard (`s` on the role step) are listed with the built-in ones.
    let (all, problems) = profile::builtin_and_saved();
    for problem in &problems {
        let _ = writeln!(
            err,
            "cwsetup: skipped a saved profile: {}",
            crate::sanitize::display_text(problem)
        );
    }
    let search = args.search.as_deref().unwrap_or_default();
    let shown = matching(&all, search);
    let text = match args.format {
        ProfilesFormat::Json => profiles_json(&shown),
        ProfilesFormat::Text => profiles_table(&shown),
    };
    if shown.is_empty() && args.format == ProfilesFormat::Text {
        let _ = writeln!(
            err,
            "no profile matches {search:?}; run `cwsetup profiles` to list them all"
        );
    }
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => EXIT_OK,
        Err(_) => EXIT_FAILED,
    }
}

/// `cwsetup profiles`: a table of the profiles (id, vendor, product, as of, source).
pub fn run_profiles(out: &mut dyn Write) -> u8 {
    run_profiles_command(&ProfilesArgs::default(), out, &mut std::io::sink())
}

/// `cwsetup profiles validate`: prints `ok: FILE` to `out`, warnings and errors to `err`.
/// Returns 0 when every file is valid (warnings allowed), else 2.
fn validate_files(files: &[PathBuf], out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let mut code = EXIT_OK;
    for path in files {
        match profile::check_contribution(path) {
            Ok(warnings) => {
                for w in warnings {
                    let _ = writeln!(err, "warning: {w}");
                }
                let _ = writeln!(out, "ok: {}", path.display());
            }
            Err(e) => {
                let _ = writeln!(err, "error: {e}");
                code = EXIT_USAGE;
            }
        }
    }
    let _ = out.flush();
    code
}

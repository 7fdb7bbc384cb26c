//! `cwsetup role` and `cwsetup profiles`: the command-line faces of the profiles.

use std::io::Write;
use std::path::PathBuf;

use super::builtin::{DEFAULT_PROFILE_ID, builtin, builtin_ids, find};
use super::error::ProfileError;
use super::load::load_file;
use super::merge::merge;
use super::model::Profile;
use super::render::{render_json, render_markdown, render_text};

/// Exit code: done.
pub const EXIT_OK: u8 = 0;
/// Exit code: the output could not be written (e.g. a closed pipe).
pub const EXIT_OUTPUT: u8 = 1;
/// Exit code: bad arguments or a bad profile file; the message says what to change.
pub const EXIT_USAGE: u8 = 2;

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
#[command(after_help = "Examples:
  cwsetup role
  cwsetup role --profile sync365 --format markdown > handoff.md
  cwsetup role --profile sync365 --profile-file ./my-v360-tool.json --format json

Run `cwsetup profiles` to list the profile ids.")]
pub struct RoleArgs {
    /// A shipped profile id (repeatable; see `cwsetup profiles`). Default: sync365.
    #[arg(long = "profile", value_name = "ID")]
    pub profiles: Vec<String>,
    /// A profile JSON file of your own (repeatable), e.g. one saved by the wizard's role step.
    #[arg(long = "profile-file", value_name = "PATH")]
    pub profile_files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = RoleFormat::Text)]
    pub format: RoleFormat,
}

/// List the vendor profiles that ship with cwsetup: id, vendor, product.
#[derive(Debug, Clone, Default, clap::Args)]
#[command(after_help = "Example:
  cwsetup profiles
  cwsetup role --profile visionary360-email-reconnector --format markdown")]
pub struct ProfilesArgs {}

/// Finds the shipped profiles named by `ids` and loads `files`, in that order.
/// A profile named twice (by id or by a file with the same id) is an error, not a silent merge.
pub fn resolve_profiles(ids: &[String], files: &[PathBuf]) -> Result<Vec<Profile>, ProfileError> {
    let mut profiles: Vec<Profile> = Vec::with_capacity(ids.len() + files.len());
    let mut push = |profile: Profile, origin: String| {
        if profiles.iter().any(|p| p.id == profile.id) {
            return Err(ProfileError::Invalid {
                name: origin,
                position: None,
                field: "id".to_string(),
                problem: format!("profile `{}` is selected twice", profile.id),
                fix: "pass each profile once (a --profile-file whose id matches a --profile replaces nothing: drop one of them)".to_string(),
            });
        }
        profiles.push(profile);
        Ok(())
    };
    for id in ids {
        let profile = find(id).ok_or_else(|| {
            ProfileError::UnknownId {
                id: id.clone(),
                known: builtin_ids(),
            }
            .for_display()
        })?;
        push(profile.clone(), format!("--profile {id}"))?;
    }
    for path in files {
        push(
            load_file(path)?,
            crate::sanitize::display_text(&path.display().to_string()),
        )?;
    }
    Ok(profiles)
}

/// `cwsetup role`: prints the (merged) role to `out`; problems go to `err`. Returns the exit code.
pub fn run_role(args: &RoleArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let default_id = [DEFAULT_PROFILE_ID.to_string()];
    let ids: &[String] = if args.profiles.is_empty() && args.profile_files.is_empty() {
        &default_id
    } else {
        &args.profiles
    };
    let profiles = match resolve_profiles(ids, &args.profile_files) {
        Ok(p) => p,
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
            EXIT_OUTPUT
        }
    }
}

/// `cwsetup profiles`: a table of the shipped profiles (id, vendor, product).
pub fn run_profiles(out: &mut dyn Write) -> u8 {
    let headers = ["ID", "VENDOR", "PRODUCT"];
    let rows: Vec<[&str; 3]> = builtin()
        .iter()
        .map(|p| [p.id.as_str(), p.vendor.as_str(), p.product.as_str()])
        .collect();
    let mut widths = headers.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut text = String::new();
    for row in std::iter::once(&headers).chain(rows.iter()) {
        text.push_str(&format!(
            "{:<w0$}  {:<w1$}  {}\n",
            row[0],
            row[1],
            row[2],
            w0 = widths[0],
            w1 = widths[1]
        ));
    }
    // Built-in text today, but the one sanitizer guards every table cwsetup prints.
    let text = crate::sanitize::display_lines(&text);
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => EXIT_OK,
        Err(_) => EXIT_OUTPUT,
    }
}

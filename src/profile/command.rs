//! `cwsetup role` and `cwsetup profiles`: the command-line faces of the profiles.

use std::io::Write;
use std::path::PathBuf;

use super::builtin::{DEFAULT_PROFILE_ID, builtin_ids, find};
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
    /// Only the profiles whose id, vendor or product contains TEXT (case-insensitive).
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

/// `cwsetup profiles` with its arguments: the list (text or JSON, filtered by `--search`) or
/// `validate`. Returns the exit code.
pub fn run_profiles_command(args: &ProfilesArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    if let Some(ProfilesAction::Validate { files }) = &args.action {
        return super::validate_cmd::validate_files(files, out, err);
    }
    let needle = args.search.as_deref().unwrap_or("").trim().to_lowercase();
    // Roles saved from the wizard (`s` on the role step) are listed with the built-in ones.
    let (all, problems) = super::builtin_and_saved();
    for problem in &problems {
        let _ = writeln!(
            err,
            "cwsetup: skipped a saved profile: {}",
            crate::sanitize::display_text(problem)
        );
    }
    let matching: Vec<&Profile> = all
        .iter()
        .filter(|p| {
            needle.is_empty()
                || [&p.id, &p.vendor, &p.product]
                    .iter()
                    .any(|f| f.to_lowercase().contains(&needle))
        })
        .collect();
    let text = match args.format {
        ProfilesFormat::Json => {
            let list: Vec<serde_json::Value> = matching
                .iter()
                .map(|p| {
                    serde_json::json!({
                        "id": p.id,
                        "vendor": p.vendor,
                        "product": p.product,
                        "source_url": p.source_url,
                        "as_of": p.as_of,
                    })
                })
                .collect();
            let mut text =
                serde_json::to_string_pretty(&list).expect("strings and nulls always serialize");
            text.push('\n');
            text
        }
        ProfilesFormat::Text => profiles_table(&matching),
    };
    if matching.is_empty() && args.format == ProfilesFormat::Text {
        let _ = writeln!(
            err,
            "no profile matches {:?}; run `cwsetup profiles` to list them all",
            args.search.as_deref().unwrap_or_default()
        );
    }
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => EXIT_OK,
        Err(_) => EXIT_OUTPUT,
    }
}

/// `cwsetup profiles`: a table of the shipped profiles (id, vendor, product, as of, source).
pub fn run_profiles(out: &mut dyn Write) -> u8 {
    run_profiles_command(&ProfilesArgs::default(), out, &mut std::io::sink())
}

fn profiles_table(profiles: &[&Profile]) -> String {
    let headers = ["ID", "VENDOR", "PRODUCT", "AS OF", "SOURCE"];
    let rows: Vec<[&str; 5]> = profiles
        .iter()
        .map(|p| {
            [
                p.id.as_str(),
                p.vendor.as_str(),
                p.product.as_str(),
                p.as_of.as_deref().unwrap_or("-"),
                p.source_url.as_deref().unwrap_or("-"),
            ]
        })
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
            "{:<w0$}  {:<w1$}  {:<w2$}  {:<w3$}  {}\n",
            row[0],
            row[1],
            row[2],
            row[3],
            row[4],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2],
            w3 = widths[3]
        ));
    }
    // Built-in text today, but the one sanitizer guards every table cwsetup prints.
    crate::sanitize::display_lines(&text)
}

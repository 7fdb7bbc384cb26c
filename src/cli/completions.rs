//! `cwsetup completions SHELL` and `cwsetup man`: shell completions (clap_complete) and a man
//! page (clap_mangen), both generated from the same clap definitions as the parser.

use std::io::Write;

use clap::CommandFactory as _;

use super::{Cli, EXIT_OK, EXIT_USAGE};

const COMPLETIONS_EXAMPLES: &str = "\
Examples:
  cwsetup completions bash > ~/.local/share/bash-completion/completions/cwsetup
  cwsetup completions zsh > \"${fpath[1]}/_cwsetup\"
  cwsetup completions fish > ~/.config/fish/completions/cwsetup.fish
  cwsetup completions powershell >> $PROFILE";

#[derive(Debug, clap::Args)]
#[command(after_help = COMPLETIONS_EXAMPLES)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  cwsetup man > ~/.local/share/man/man1/cwsetup.1")]
pub struct ManArgs {}

/// Writes the completion script for `args.shell` to `out`.
pub fn run_completions(args: &CompletionsArgs, out: &mut dyn Write) -> u8 {
    let mut command = Cli::command();
    let mut buffer = Vec::new();
    clap_complete::generate(args.shell, &mut command, "cwsetup", &mut buffer);
    finish(out, &buffer, "the completions")
}

/// Writes the man page (roff, section 1) to `out`: options, the subcommands with what each
/// does, the examples and the version.
pub fn run_man(out: &mut dyn Write) -> u8 {
    let mut buffer = Vec::new();
    if let Err(e) = clap_mangen::Man::new(Cli::command()).render(&mut buffer) {
        eprintln!("cwsetup: cannot render the man page: {e}");
        return EXIT_USAGE;
    }
    finish(out, &buffer, "the man page")
}

fn finish(out: &mut dyn Write, bytes: &[u8], what: &str) -> u8 {
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => EXIT_OK,
        Err(e) => {
            eprintln!("cwsetup: cannot write {what}: {e}");
            EXIT_USAGE
        }
    }
}

//! Running the real `cwsetup` binary in a test: a clean environment (no `CW_*`, log or proxy
//! variable of the machine running the tests reaches it), optional bytes on standard input, and
//! the whole output.

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// The variables cwsetup reads that a test must set itself, never inherit.
pub const CLEARED: [&str; 16] = [
    "CW_SITE",
    "CW_COMPANY_ID",
    "CW_PUBLIC_KEY",
    "CW_PRIVATE_KEY",
    "CW_OLD_PUBLIC_KEY",
    "CW_OLD_PRIVATE_KEY",
    "CW_CLIENT_ID",
    "CWSETUP_LOG",
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
];

/// A command for `program` with [`CLEARED`] removed, `NO_COLOR=1`, then `env`.
pub fn clean_command(program: &str, env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(program);
    for var in CLEARED {
        cmd.env_remove(var);
    }
    cmd.env("NO_COLOR", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

/// Runs `command` with `stdin` written to its standard input (closed when `None`).
pub fn run_with_stdin(mut command: Command, stdin: Option<&[u8]>) -> Output {
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    command.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    let mut child = super::spawn::spawn_retrying(|| command.spawn()).expect("the child starts");
    if let (Some(bytes), Some(mut pipe)) = (stdin, child.stdin.take()) {
        // A child that exits before reading it all closes the pipe: not an error here.
        let _ = pipe.write_all(bytes);
    }
    child.wait_with_output().expect("the child ends")
}

/// `cwsetup ARGS` with `env` and `stdin`.
pub fn cwsetup(args: &[&str], env: &[(&str, &str)], stdin: Option<&[u8]>) -> Output {
    let mut command = clean_command(env!("CARGO_BIN_EXE_cwsetup"), env);
    command.args(args);
    run_with_stdin(command, stdin)
}

/// [`cwsetup`] on a blocking thread, for a test that runs a simulator on its runtime.
pub async fn cwsetup_async(
    args: Vec<String>,
    env: Vec<(String, String)>,
    stdin: Option<Vec<u8>>,
) -> Output {
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        cwsetup(&args, &env, stdin.as_deref())
    })
    .await
    .expect("joined")
}

//! The real binary's commands that need no server or one the test starts itself: `profiles`,
//! `role`, `check --demo` (its ASCII fallback, paths with spaces and backslashes), and the
//! shell completions and man page. Runs on every platform; on Linux CI it also runs as a
//! Windows `.exe` under Wine (see `.ci/run`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use cwsetup::sim::DEMO_PRIVATE_KEY;

/// Runs `cwsetup` with stdin closed and nothing from the developer's environment steering it.
fn cwsetup(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cwsetup"));
    cmd.args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for var in [
        "CW_SITE",
        "CW_COMPANY_ID",
        "CW_PUBLIC_KEY",
        "CW_CLIENT_ID",
        "CW_PRIVATE_KEY",
        "CWSETUP_LOG",
        "CWSETUP_ASCII",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("NO_COLOR", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("cwsetup runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn shown(output: &Output) -> String {
    format!(
        "status {:?}\n--- stdout\n{}\n--- stderr\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn profiles_lists_the_builtin_profiles() {
    let output = cwsetup(&["profiles"], &[]);
    assert_eq!(output.status.code(), Some(0), "{}", shown(&output));
    let text = stdout(&output);
    for id in ["sync365", "visionary360-email-reconnector"] {
        assert!(text.contains(id), "{id}:\n{text}");
    }
}

#[test]
fn role_prints_the_merged_role_as_json() {
    let output = cwsetup(
        &[
            "role",
            "--profile",
            "sync365",
            "--profile",
            "visionary360-email-reconnector",
            "--format",
            "json",
        ],
        &[],
    );
    assert_eq!(output.status.code(), Some(0), "{}", shown(&output));
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert!(
        value["rows"]
            .as_array()
            .is_some_and(|rows| !rows.is_empty()),
        "{value:#}"
    );
}

/// A folder with a space in its name, and a file path written with the platform's separators:
/// on Windows joined with backslashes (as a technician types it), elsewhere with a backslash
/// inside the file name (legal on Unix, and must not be taken for a separator).
fn awkward_path(dir: &Path, name: &str) -> PathBuf {
    let folder = dir.join("my files (cwsetup)");
    std::fs::create_dir_all(&folder).expect("folder");
    if cfg!(windows) {
        PathBuf::from(format!("{}\\{name}", folder.display()))
    } else {
        folder.join(format!("back\\slash {name}"))
    }
}

#[test]
fn profile_file_and_report_paths_with_spaces_and_backslashes_work() {
    let dir = tempfile::tempdir().expect("temp dir");
    let profile = awkward_path(dir.path(), "my profile.json");
    let builtin = include_str!("../../assets/profiles/sync365.json");
    let edited = builtin.replacen("\"id\": \"sync365\"", "\"id\": \"my-edited-copy\"", 1);
    assert_ne!(builtin, edited, "the id was replaced");
    std::fs::write(&profile, edited).expect("profile written");
    let profile_arg = profile.to_str().expect("UTF-8 path");

    let role = cwsetup(
        &["role", "--profile-file", profile_arg, "--format", "json"],
        &[],
    );
    assert_eq!(role.status.code(), Some(0), "{}", shown(&role));
    assert!(stdout(&role).contains("my-edited-copy"), "{}", shown(&role));

    let report = awkward_path(dir.path(), "ticket report.md");
    let report_arg = report.to_str().expect("UTF-8 path");
    let check = cwsetup(
        &[
            "check",
            "--demo",
            "--profile-file",
            profile_arg,
            "--report",
            report_arg,
        ],
        &[],
    );
    assert_eq!(check.status.code(), Some(0), "{}", shown(&check));
    let written = std::fs::read_to_string(&report).expect("the report is where it was asked");
    assert!(written.contains("PASS"), "{written}");
    assert!(written.contains("my-edited-copy"), "{written}");
    assert!(!written.contains(DEMO_PRIVATE_KEY));
}

#[test]
fn check_output_falls_back_to_ascii_when_asked() {
    let unicode = cwsetup(&["check", "--demo"], &[("CWSETUP_ASCII", "0")]);
    assert_eq!(unicode.status.code(), Some(0), "{}", shown(&unicode));
    assert!(stdout(&unicode).contains("✓ input"), "{}", shown(&unicode));

    let ascii = cwsetup(&["check", "--demo"], &[("CWSETUP_ASCII", "1")]);
    assert_eq!(ascii.status.code(), Some(0), "{}", shown(&ascii));
    let text = stdout(&ascii);
    assert!(text.is_ascii(), "not ASCII:\n{text}");
    assert!(text.contains("+ input"), "{text}");
    assert!(text.contains("PASS"), "{text}");
    // Same lines, same columns: only the symbols changed.
    assert_eq!(
        text.lines().count(),
        stdout(&unicode).lines().count(),
        "{text}"
    );
}

// ---------------------------------------------------------------- completions and the man page

/// Every subcommand, from the same clap definitions the binary parses with.
fn subcommands() -> Vec<String> {
    use clap::CommandFactory as _;
    let names: Vec<String> = cwsetup::cli::Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    for expected in [
        "check",
        "audit",
        "rotate",
        "members",
        "role",
        "profiles",
        "sim",
        "completions",
        "man",
    ] {
        assert!(names.iter().any(|n| n == expected), "{expected}: {names:?}");
    }
    names
}

/// Runs `shell -n` (parse without running) on `script`, when that shell is installed here.
#[cfg(unix)]
fn parses_in(shell: &str, script: &str, extension: &str) -> Option<Output> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(format!("cwsetup.{extension}"));
    std::fs::write(&path, script).expect("script written");
    Command::new(shell)
        .arg("-n")
        .arg(&path)
        .stdin(Stdio::null())
        .output()
        .ok()
}

#[test]
fn completions_name_every_subcommand_and_parse() {
    let names = subcommands();
    for (shell, extension) in [
        ("bash", "bash"),
        ("zsh", "zsh"),
        ("fish", "fish"),
        ("powershell", "ps1"),
        ("elvish", "elv"),
    ] {
        let output = cwsetup(&["completions", shell], &[]);
        assert_eq!(output.status.code(), Some(0), "{shell}: {}", shown(&output));
        let script = stdout(&output);
        for name in &names {
            assert!(script.contains(name.as_str()), "{shell} lacks {name}");
        }
        #[cfg(unix)]
        match parses_in(shell, &script, extension) {
            Some(parsed) => assert!(
                parsed.status.success(),
                "{shell} -n rejects the completions: {}",
                shown(&parsed)
            ),
            // Not installed here: the names above are all that can be checked.
            None => eprintln!("{shell} is not installed: parsing not checked"),
        }
        #[cfg(not(unix))]
        let _ = extension;
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let output = cwsetup(&["completions", "tcsh"], &[]);
    assert_eq!(output.status.code(), Some(2), "{}", shown(&output));
    assert!(String::from_utf8_lossy(&output.stderr).contains("bash"));
}

#[test]
fn the_man_page_names_every_subcommand() {
    let output = cwsetup(&["man"], &[]);
    assert_eq!(output.status.code(), Some(0), "{}", shown(&output));
    let page = stdout(&output);
    assert!(
        page.starts_with(".ie") || page.contains(".TH cwsetup 1"),
        "{page}"
    );
    assert!(page.contains(".SH SUBCOMMANDS"), "{page}");
    for name in subcommands() {
        assert!(
            page.contains(&format!("cwsetup\\-{name}")),
            "the man page lacks {name}"
        );
    }
}

/// One `--profile` rule for every mode: a profile named twice is a usage error (the wizard,
/// plain mode and `check` used to accept it; only `role` refused it), and an id is matched
/// ignoring case (only `role` did).
#[test]
fn every_mode_refuses_a_profile_named_twice_and_ignores_the_case_of_an_id() {
    let home = tempfile::tempdir().expect("temp dir");
    let home_env = [
        ("HOME", home.path().to_str().expect("utf-8 path")),
        ("XDG_CONFIG_HOME", home.path().to_str().expect("utf-8 path")),
        ("XDG_STATE_HOME", home.path().to_str().expect("utf-8 path")),
        ("APPDATA", home.path().to_str().expect("utf-8 path")),
    ];
    for args in [
        &[
            "check",
            "--demo",
            "--profile",
            "sync365",
            "--profile",
            "SYNC365",
        ][..],
        &[
            "audit",
            "--demo",
            "--profile",
            "sync365",
            "--profile",
            "sync365",
        ],
        &[
            "rotate",
            "--demo",
            "--profile",
            "sync365",
            "--profile",
            "SYNC365",
        ],
        &["role", "--profile", "sync365", "--profile", "Sync365"],
        &[
            "--plain",
            "--demo",
            "--profile",
            "sync365",
            "--profile",
            "sync365",
        ],
    ] {
        let output = cwsetup(args, &home_env);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            shown(&output)
        );
        let err = String::from_utf8_lossy(&output.stderr);
        assert!(
            err.contains("profile `sync365` is selected twice"),
            "{args:?}: {err}"
        );
    }
    for args in [
        &["check", "--demo", "--profile", "SYNC365"][..],
        &["rotate", "--demo", "--profile", "SYNC365"],
        &["role", "--profile", "Sync365", "--format", "json"],
        &["--plain", "--demo", "--profile", "SYNC365"],
    ] {
        let output = cwsetup(args, &home_env);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{args:?}: {}",
            shown(&output)
        );
        let err = String::from_utf8_lossy(&output.stderr);
        assert!(!err.contains("no vendor profile"), "{args:?}: {err}");
    }
}

/// The unknown-id message is the same everywhere: the id, the known ids, and where to look.
#[test]
fn an_unknown_profile_gets_one_message_in_every_mode() {
    for args in [
        &["check", "--demo", "--profile", "nope"][..],
        &["audit", "--demo", "--profile", "nope"],
        &["rotate", "--demo", "--profile", "nope"],
        &["members", "--demo", "--profile", "nope"],
        &["role", "--profile", "nope"],
        &["--plain", "--demo", "--profile", "nope"],
    ] {
        let output = cwsetup(args, &[]);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            shown(&output)
        );
        let err = String::from_utf8_lossy(&output.stderr);
        for needle in [
            "unknown profile id `nope`: no vendor profile has this id",
            "Known profiles: sync365",
            "cwsetup profiles",
        ] {
            assert!(err.contains(needle), "{args:?} lacks {needle:?}: {err}");
        }
    }
}

/// `check --demo` and `audit --demo` use only the simulator's values: given ones are named as
/// ignored, and the run still passes against the simulator (nothing went to the given site).
#[test]
fn demo_runs_ignore_given_values_and_say_so() {
    for command in ["check", "audit", "rotate"] {
        let output = cwsetup(
            &[command, "--demo", "--site", "cw.example.invalid"],
            &[("CW_PRIVATE_KEY", "FakePrivateKey01")],
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains(&format!(
                "cwsetup {command} --demo: ignoring the given site"
            )),
            "{}",
            shown(&output)
        );
        assert!(!stderr.contains("FakePrivateKey01"), "{}", shown(&output));
        assert_eq!(output.status.code(), Some(0), "{}", shown(&output));
        let quiet = cwsetup(&[command, "--demo"], &[]);
        assert!(
            !String::from_utf8_lossy(&quiet.stderr).contains("ignoring"),
            "{}",
            shown(&quiet)
        );
    }
}

/// Polish (issue 25): the client ID is one true sentence, in the wizard and in every `--help`.
#[test]
fn the_client_id_is_described_in_one_sentence_everywhere() {
    let sentence = cwsetup::setup::client_id::WHAT_IT_IS;
    let words = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(cwsetup::setup::client_id::EXPLANATION[0], sentence);
    for args in [&["--help"][..], &["check", "--help"], &["audit", "--help"]] {
        let help = words(&stdout(&cwsetup(args, &[])));
        assert!(help.contains(sentence), "{args:?}:\n{help}");
    }
}

/// Polish (issue 25): `check --demo` and `audit --demo` describe one tenant. The simulator runs
/// on this computer, so both say self-hosted; its role is exactly what the profiles need, so the
/// check finds nothing beyond them and the audit no extra row, for every profile given.
#[test]
fn check_and_audit_demos_describe_the_same_tenant() {
    for profile in ["sync365", "hudu"] {
        let check = cwsetup(&["check", "--demo", "--json", "--profile", profile], &[]);
        assert_eq!(check.status.code(), Some(0), "{check:?}");
        let check: serde_json::Value = serde_json::from_str(&stdout(&check)).expect("json");
        assert_eq!(check["is_cloud"], false, "{profile}");
        assert_eq!(check["beyond_needed"]["count"], 0, "{profile}: {check}");
        let audit = cwsetup(&["audit", "--demo", "--json", "--profile", profile], &[]);
        assert_eq!(audit.status.code(), Some(0), "{audit:?}");
        let audit: serde_json::Value = serde_json::from_str(&stdout(&audit)).expect("json");
        assert_eq!(audit["verdict"], "pass", "{profile}: {audit}");
        assert!(
            audit["role"]["extra"]
                .as_array()
                .is_none_or(|extra| extra.is_empty()),
            "{profile}: {audit}"
        );
        let needed = check["permissions"].as_array().map_or(0, Vec::len);
        let read = audit["role"]["rows"].as_array().map_or(0, Vec::len);
        assert_eq!(needed, read, "{profile}: the check's rows are the audit's");
    }
}

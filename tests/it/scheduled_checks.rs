//! `check --quiet`, and the examples of docs/scheduled-checks.md: every `cwsetup check` command
//! line of the page, and the RMM script itself, run against the simulator with their exit codes
//! and output checked. The schedulers (Task Scheduler, systemd) are not run.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Output;

use cwsetup::sim::{
    DEMO_CLIENT_ID, DEMO_COMPANY_ID, DEMO_PRIVATE_KEY, DEMO_PUBLIC_KEY, Scenario, SimServer,
};

#[cfg(unix)]
use crate::common::cli_run::{clean_command, run_with_stdin};
use crate::common::cli_run::{cwsetup, cwsetup_async};

fn page() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/scheduled-checks.md");
    std::fs::read_to_string(&path).expect("docs/scheduled-checks.md")
}

/// The fenced code blocks of `markdown`: (info string, body).
fn code_blocks(markdown: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in markdown.lines() {
        match (&mut current, line.strip_prefix("```")) {
            (None, Some(info)) => current = Some((info.trim().to_string(), String::new())),
            (Some(_), Some(_)) => blocks.extend(current.take()),
            (Some((_, body)), None) => {
                body.push_str(line);
                body.push('\n');
            }
            (None, None) => {}
        }
    }
    assert!(current.is_none(), "a code block is not closed");
    blocks
}

/// The arguments after `check` of every `cwsetup check` / `cwsetup.exe check` line in the
/// page's code blocks, up to the first redirection, pipe or closing parenthesis.
fn check_command_lines(markdown: &str) -> Vec<Vec<String>> {
    let mut commands = Vec::new();
    for (_, body) in code_blocks(markdown) {
        for line in body.lines() {
            let Some(at) = ["cwsetup check ", "cwsetup.exe check "]
                .iter()
                .find_map(|needle| line.find(needle).map(|i| i + needle.len()))
            else {
                continue;
            };
            let args: Vec<String> = line[at..]
                .split_whitespace()
                .take_while(|t| !t.starts_with(['<', '|', ')', '>']) && !t.starts_with("2>"))
                .map(str::to_string)
                .collect();
            commands.push(args);
        }
    }
    commands
}

/// The `NAME=value` lines of a settings block, as (name, value).
fn settings(body: &str) -> Vec<(String, String)> {
    body.lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

fn sim_values(sim: &SimServer) -> Vec<(String, String)> {
    vec![
        ("CW_SITE".into(), sim.url()),
        ("CW_COMPANY_ID".into(), DEMO_COMPANY_ID.into()),
        ("CW_CLIENT_ID".into(), DEMO_CLIENT_ID.into()),
        ("CW_PUBLIC_KEY".into(), DEMO_PUBLIC_KEY.into()),
    ]
}

fn text(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

// ---------------------------------------------------------------- --quiet

#[test]
fn quiet_prints_one_verdict_line_on_a_pass() {
    let output = cwsetup(&["check", "--demo", "--quiet"], &[], None);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(
        stdout.starts_with("✓ PASS: company \"cwsetup_demo\" at http://127.0.0.1:"),
        "{stdout}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn quiet_prints_each_failure_in_full_and_exits_1() {
    let sim = SimServer::start(Scenario::named("missing-products").expect("named"))
        .await
        .expect("sim starts");
    let mut args: Vec<String> = vec![
        "check".into(),
        "--quiet".into(),
        "--private-key-stdin".into(),
    ];
    args.extend(["--profile".into(), "sync365".into()]);
    let output = cwsetup_async(
        args,
        sim_values(&sim),
        Some(format!("{DEMO_PRIVATE_KEY}\n").into_bytes()),
    )
    .await;
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stdout}{stderr}");
    let first = stdout.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("✗ FAIL: company \"cwsetup_demo\""),
        "{stdout}"
    );
    assert!(first.ends_with("(1 stage failed)"), "{stdout}");
    assert!(stdout.contains("✗ permissions"), "{stdout}");
    assert!(stdout.contains("  fix: "), "{stdout}");
    assert!(stdout.contains("Procurement / Products"), "{stdout}");
    // Only failures: no passed stage, no grid of passed rows, no portal values.
    assert!(
        !stdout.contains("✓ company") && !stdout.contains("✓ auth"),
        "{stdout}"
    );
    assert!(!stdout.contains("portal"), "{stdout}");
    assert!(!stdout.contains(DEMO_PRIVATE_KEY) && !stderr.contains(DEMO_PRIVATE_KEY));
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn quiet_says_how_many_warnings_a_pass_has_and_exits_0() {
    let sim = SimServer::start(Scenario::named("hidden-agreement-types").expect("named"))
        .await
        .expect("sim starts");
    let output = cwsetup_async(
        vec![
            "check".into(),
            "--quiet".into(),
            "--private-key-stdin".into(),
        ],
        sim_values(&sim),
        Some(format!("{DEMO_PRIVATE_KEY}\n").into_bytes()),
    )
    .await;
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(
        stdout.starts_with("⚠ PASS WITH WARNINGS: company \"cwsetup_demo\""),
        "{stdout}"
    );
    assert!(stdout.contains("run without --quiet to read"), "{stdout}");
    sim.shutdown().await;
}

#[test]
fn quiet_and_json_together_are_a_usage_error() {
    let output = cwsetup(&["check", "--demo", "--quiet", "--json"], &[], None);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(output.stdout.is_empty());
}

// ---------------------------------------------------------------- the page's examples

#[test]
fn the_page_names_only_variables_cwsetup_reads_and_quiet_key_commands() {
    let page = page();
    let known: BTreeSet<&str> = [
        "CW_SITE",
        "CW_COMPANY_ID",
        "CW_CLIENT_ID",
        "CW_PUBLIC_KEY",
        "CW_PRIVATE_KEY",
    ]
    .into();
    for word in page.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
        if word.starts_with("CW_") && word != "CW_" {
            assert!(
                known.contains(word),
                "docs/scheduled-checks.md names {word}"
            );
        }
    }
    let commands = check_command_lines(&page);
    // The PowerShell script, the systemd service and the RMM script.
    assert_eq!(commands.len(), 3, "{commands:?}");
    for args in &commands {
        for flag in ["--quiet", "--private-key-stdin"] {
            assert!(args.iter().any(|a| a == flag), "{args:?} lacks {flag}");
        }
        // The values come from the CW_* variables; the private key is never a flag.
        for flag in ["--site", "--company", "--client-id", "--public-key"] {
            assert!(!args.iter().any(|a| a == flag), "{args:?} has {flag}");
        }
    }
    // The settings blocks set exactly what the commands read.
    let blocks = code_blocks(&page);
    let env_file = blocks
        .iter()
        .find(|(info, body)| info == "ini" && body.starts_with("CW_SITE="))
        .expect("the systemd environment file");
    let names: BTreeSet<String> = settings(&env_file.1).into_iter().map(|(k, _)| k).collect();
    let four: BTreeSet<String> = ["CW_SITE", "CW_COMPANY_ID", "CW_CLIENT_ID", "CW_PUBLIC_KEY"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(names, four);
    let service = blocks
        .iter()
        .find(|(_, body)| body.contains("ExecStart="))
        .expect("the service unit");
    for line in [
        "EnvironmentFile=/etc/cwsetup/sync365.env",
        "StandardInput=file:/etc/cwsetup/sync365.key",
    ] {
        assert!(service.1.contains(line), "the service lacks {line}");
    }
    let powershell = blocks
        .iter()
        .find(|(info, body)| info == "powershell" && body.contains("check --profile"))
        .expect("the PowerShell script");
    for name in &four {
        assert!(
            powershell.1.contains(&format!("$env:{name} = ")),
            "the PowerShell script does not set {name}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_check_command_of_the_page_passes_a_healthy_tenant_and_fails_a_broken_one() {
    let commands = check_command_lines(&page());
    assert!(!commands.is_empty());
    for (scenario, code) in [("healthy", 0), ("missing-products", 1)] {
        let sim = SimServer::start(Scenario::named(scenario).expect("named"))
            .await
            .expect("sim starts");
        for command in &commands {
            let mut args = vec!["check".to_string()];
            args.extend(command.iter().cloned());
            let output = cwsetup_async(
                args,
                sim_values(&sim),
                Some(format!("{DEMO_PRIVATE_KEY}\n").into_bytes()),
            )
            .await;
            let (stdout, stderr) = text(&output);
            assert_eq!(
                output.status.code(),
                Some(code),
                "{scenario}: {command:?}\n{stdout}{stderr}"
            );
            if code == 0 {
                assert_eq!(stdout.lines().count(), 1, "{stdout}");
                assert!(stdout.starts_with("✓ PASS"), "{stdout}");
            } else {
                assert!(stdout.starts_with("✗ FAIL"), "{stdout}");
                assert!(stdout.contains("fix:"), "{stdout}");
            }
            assert!(!stdout.contains(DEMO_PRIVATE_KEY) && !stderr.contains(DEMO_PRIVATE_KEY));
        }
        sim.shutdown().await;
    }
}

/// Runs the page's RMM script with `sh`, its settings file written from the page's with the
/// simulator's values, and `cwsetup` first on PATH.
#[cfg(unix)]
fn run_rmm_script(sim_url: &str, dir: &Path) -> Output {
    let blocks = code_blocks(&page());
    let script = blocks
        .iter()
        .find(|(info, body)| info == "sh" && body.starts_with("#!/bin/sh"))
        .expect("the RMM script")
        .1
        .clone();
    let conf = blocks
        .iter()
        .find(|(info, body)| info == "sh" && body.starts_with("CW_SITE="))
        .expect("the RMM script's settings file")
        .1
        .clone();
    let key_file = dir.join("sync365.key");
    std::fs::write(&key_file, format!("{DEMO_PRIVATE_KEY}\n")).expect("key file");
    let mut written = String::new();
    for (name, _) in settings(&conf) {
        let value = match name.as_str() {
            "CW_SITE" => sim_url.to_string(),
            "CW_COMPANY_ID" => DEMO_COMPANY_ID.to_string(),
            "CW_CLIENT_ID" => DEMO_CLIENT_ID.to_string(),
            "CW_PUBLIC_KEY" => DEMO_PUBLIC_KEY.to_string(),
            "KEY_FILE" => key_file.display().to_string(),
            other => panic!("the settings file sets {other}, which the script does not use"),
        };
        written.push_str(&format!("{name}='{value}'\n"));
    }
    let conf_path = dir.join("sync365.conf");
    std::fs::write(&conf_path, written).expect("settings file");
    let script_path = dir.join("cwsetup-check.sh");
    std::fs::write(&script_path, script).expect("script");
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).expect("bin dir");
    let link = bin.join("cwsetup");
    if !link.exists() {
        std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_cwsetup"), &link).expect("symlink");
    }
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let conf_text = conf_path.display().to_string();
    let mut command = clean_command(
        "sh",
        &[
            ("PATH", path.as_str()),
            ("CWSETUP_CONF", conf_text.as_str()),
        ],
    );
    command.arg(&script_path);
    run_with_stdin(command, None)
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn the_rmm_script_exits_0_on_a_pass_and_1_with_an_alert_on_a_failure() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (scenario, code) in [("healthy", 0), ("missing-products", 1)] {
        let sim = SimServer::start(Scenario::named(scenario).expect("named"))
            .await
            .expect("sim starts");
        let url = sim.url();
        let path = dir.path().to_path_buf();
        let output = tokio::task::spawn_blocking(move || run_rmm_script(&url, &path))
            .await
            .expect("joined");
        let (stdout, stderr) = text(&output);
        assert_eq!(
            output.status.code(),
            Some(code),
            "{scenario}\n{stdout}{stderr}"
        );
        if code == 0 {
            assert!(stdout.starts_with("✓ PASS"), "{stdout}");
            assert!(!stdout.contains("ALERT"), "{stdout}");
        } else {
            assert!(
                stdout.starts_with("ALERT: the ConnectWise integration check failed\n✗ FAIL"),
                "{stdout}"
            );
        }
        assert!(!stdout.contains(DEMO_PRIVATE_KEY) && !stderr.contains(DEMO_PRIVATE_KEY));
        sim.shutdown().await;
    }
    // A settings file that cannot be read: exit 2, the job needs fixing (not an alert).
    let mut command = clean_command("sh", &[("CWSETUP_CONF", "/nonexistent/cwsetup.conf")]);
    command.arg(dir.path().join("cwsetup-check.sh"));
    let output = run_with_stdin(command, None);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
}

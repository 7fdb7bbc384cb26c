//! Input the command line must bound: numbers out of range and an endless standard input are
//! refused with exit code 2 and a message naming the limit, never a panic or a pile of memory.

use std::io::Write;
use std::process::{Command, Output, Stdio};

const HUGE: &str = "18446744073709551615";

fn cwsetup(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cwsetup"))
        .args(args)
        .stdin(Stdio::null())
        .env_remove("CW_PRIVATE_KEY")
        .output()
        .expect("run cwsetup")
}

fn assert_refused(args: &[&str], range: &str) {
    let output = cwsetup(args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(
        stderr.contains(range),
        "{args:?}: the message names the range {range}: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
}

#[test]
fn a_huge_or_zero_check_timeout_is_a_usage_error() {
    let base = [
        "check",
        "--site",
        "https://127.0.0.1:1",
        "--company",
        "x",
        "--public-key",
        "FakePublicKey001",
        "--client-id",
        "x",
        "--timeout",
    ];
    for value in [HUGE, "3601", "0"] {
        let mut args = base.to_vec();
        args.push(value);
        assert_refused(&args, "1..=3600");
    }
    assert_refused(&["check", "--demo", "--timeout", HUGE], "1..=3600");
}

#[test]
fn the_wizards_numbers_are_bounded_before_any_terminal_is_needed() {
    assert_refused(&["--timeout", HUGE], "1..=3600");
    assert_refused(&["--timeout", "0"], "1..=3600");
    assert_refused(&["--demo", "--clipboard-clear", HUGE], "0..=3600");
    assert_refused(&["--clipboard-clear", "3601"], "0..=3600");
}

#[test]
fn the_simulators_numbers_are_bounded() {
    assert_refused(&["sim", "--latency-ms", HUGE], "0..=60000");
    assert_refused(&["sim", "--port", "65536"], "0..=65535");
}

#[test]
fn the_largest_accepted_timeout_runs_a_check_without_panicking() {
    let output = cwsetup(&["check", "--demo", "--json", "--timeout", "3600"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
}

#[test]
fn an_endless_private_key_on_stdin_is_refused_after_a_few_kib() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cwsetup"))
        .args([
            "check",
            "--site",
            "https://127.0.0.1:1",
            "--company",
            "x",
            "--public-key",
            "FakePublicKey001",
            "--client-id",
            "x",
            "--private-key-stdin",
        ])
        .env_remove("CW_PRIVATE_KEY")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run cwsetup");
    let mut stdin = child.stdin.take().expect("stdin");
    // 64 MiB without a newline, in a thread: cwsetup stops reading long before the end, and the
    // writer then sees a broken pipe, which is fine.
    let writer = std::thread::spawn(move || {
        let chunk = vec![b'k'; 64 * 1024];
        let mut written = 0usize;
        for _ in 0..1024 {
            if stdin.write_all(&chunk).is_err() {
                break;
            }
            written += chunk.len();
        }
        written
    });
    let output = child.wait_with_output().expect("cwsetup ends");
    let written = writer.join().expect("writer");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("longer than 4 KiB"), "{stderr}");
    assert!(
        written < 64 * 1024 * 1024,
        "cwsetup kept reading: all {written} bytes were taken"
    );
    assert!(output.stdout.is_empty(), "no check ran");
}

/// `check` and `audit` share one argument definition and one input path (issue 23, item 2):
/// the same bounds, the same input errors (exit 2, naming the problem and its fix).
#[test]
fn audit_bounds_its_timeout_like_check() {
    for command in ["check", "audit", "members"] {
        for value in [HUGE, "3601", "0"] {
            assert_refused(&[command, "--demo", "--timeout", value], "1..=3600");
        }
    }
}

/// Runs `command` with every value given and one replaced, the private key in the environment.
fn with_values(command: &str, replace: (&str, &str), env: &[(&str, &str)]) -> Output {
    let mut values = vec![
        ("--site", "127.0.0.1:1"),
        ("--company", "contoso"),
        ("--public-key", "FakePublicKey001"),
        ("--client-id", "00000000-0000-4000-8000-000000000000"),
    ];
    for (flag, value) in values.iter_mut() {
        if *flag == replace.0 {
            *value = replace.1;
        }
    }
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cwsetup"));
    cmd.arg(command);
    for (flag, value) in values {
        cmd.args([flag, value]);
    }
    cmd.args(["--timeout", "5"])
        .stdin(Stdio::null())
        .env("CW_PRIVATE_KEY", "FakePrivateKey01")
        .env_remove("HTTPS_PROXY")
        .env_remove("https_proxy")
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run cwsetup")
}

/// The flag, its bad value, extra environment, and what the message must name.
type InputCase = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
    &'static str,
);

#[test]
fn input_errors_exit_2_for_audit_as_for_check() {
    let cases: [InputCase; 3] = [
        ("--company", "conto so", &[], "company ID contains a space"),
        ("--client-id", "bad\u{1}id", &[], "client ID"),
        (
            "--site",
            "na.myconnectwise.net",
            &[("HTTPS_PROXY", "http://[not a proxy")],
            "HTTPS_PROXY",
        ),
    ];
    for command in ["check", "audit", "members"] {
        for (flag, value, env, named) in cases {
            let output = with_values(command, (flag, value), env);
            let all = format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
            assert_eq!(output.status.code(), Some(2), "{command} {flag}: {all}");
            assert!(
                all.contains(named),
                "{command} {flag}: names {named}: {all}"
            );
            assert!(
                !all.contains("CA certificates"),
                "{command} {flag}: no unrelated fix: {all}"
            );
        }
    }
}

#[test]
fn audit_json_keeps_a_server_name_exact_as_check_json_does() {
    use cwsetup::sim::{
        DEMO_ADMIN_PRIVATE_KEY, DEMO_ADMIN_PUBLIC_KEY, DEMO_CLIENT_ID, DEMO_COMPANY_ID, Scenario,
        SimServer,
    };
    let hostile = format!("Sync 365 API \u{9b}31m\u{202e}{}", "x".repeat(400));
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let sim = runtime
        .block_on(SimServer::start(Scenario::new().role_named(&hostile)))
        .expect("sim starts");
    let output = Command::new(env!("CARGO_BIN_EXE_cwsetup"))
        .args([
            "audit",
            "--json",
            "--site",
            &sim.url(),
            "--company",
            DEMO_COMPANY_ID,
            "--client-id",
            DEMO_CLIENT_ID,
            "--public-key",
            DEMO_ADMIN_PUBLIC_KEY,
            "--timeout",
            "20",
        ])
        .env("CW_PRIVATE_KEY", DEMO_ADMIN_PRIVATE_KEY)
        .stdin(Stdio::null())
        .output()
        .expect("run cwsetup");
    runtime.block_on(sim.shutdown());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        !stdout.contains('\u{9b}') && !stdout.contains('\u{202e}'),
        "no raw control reaches the terminal: {stdout}"
    );
    assert!(
        stdout.contains("\\u009b") && stdout.contains("\\u202e"),
        "{stdout}"
    );
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(
        json["role"]["similar"][0].as_str(),
        Some(hostile.as_str()),
        "the exact name, not cut or replaced: {stdout}"
    );
}

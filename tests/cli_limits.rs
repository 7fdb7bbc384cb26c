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

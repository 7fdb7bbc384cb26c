//! What reaches a terminal or a file: outside text (a hostile ConnectWise server, a hostile
//! profile file, an echoed `--site`) is sanitized; Markdown escapes HTML and Markdown; `--json`
//! stays exact; report files are never written through a link or into a FIFO; every flag a
//! message names exists.
//!
//! Every server is the simulator on 127.0.0.1, started and stopped here; keys are the
//! simulator's demo keys or obviously fake ones.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use cwsetup::sim::{
    DEMO_ADMIN_PRIVATE_KEY, DEMO_ADMIN_PUBLIC_KEY, DEMO_CLIENT_ID, DEMO_COMPANY_ID,
    DEMO_PRIVATE_KEY, DEMO_PUBLIC_KEY, Scenario, SimServer,
};
use serde_json::Value;

const ENV_VARS: [&str; 6] = [
    "CW_SITE",
    "CW_COMPANY_ID",
    "CW_PUBLIC_KEY",
    "CW_PRIVATE_KEY",
    "CW_CLIENT_ID",
    "CWSETUP_LOG",
];

/// Generous: this catches a hang (a FIFO opened for writing), it does not measure speed.
const WITHIN: Duration = Duration::from_secs(90);

/// Escapes, OSC 52, an OSC 8 hyperlink, a C1 CSI, bidi overrides and isolates, and HTML.
const HOSTILE: &str = "Evil\u{1b}]0;pwned\u{7}\u{1b}[2J\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}]8;;https://evil.example/\u{1b}\\link\u{1b}]8;;\u{1b}\\\u{9b}31m\u{202e}txt.exe\u{2066}<img src=x onerror=alert(1)>|**x**";

/// Hostile text within a role name's 30 characters: a screen clear, a C1 CSI, a bidi override,
/// HTML and Markdown.
const HOSTILE_SHORT: &str = "R\u{1b}[2J\u{9b}31m\u{202e}<b>|**x**";

/// Characters that must never reach a terminal or a report: C0 controls but the newline, DEL,
/// C1 controls, the bidi embeddings, overrides, isolates and marks.
fn unsafe_chars(text: &str) -> Vec<char> {
    text.chars()
        .filter(|&c| {
            (c.is_control() && c != '\n')
                || matches!(
                    c,
                    '\u{061c}'
                        | '\u{200e}'
                        | '\u{200f}'
                        | '\u{202a}'..='\u{202e}'
                        | '\u{2066}'..='\u{2069}'
                )
        })
        .collect()
}

fn assert_clean(what: &str, text: &str) {
    let found = unsafe_chars(text);
    assert!(found.is_empty(), "{what} holds {found:?}:\n{text}");
}

/// Runs the binary and waits at most [`WITHIN`]: a hang is a failure, not a stuck test run.
fn cwsetup(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cwsetup"));
    cmd.args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for var in ENV_VARS {
        cmd.env_remove(var);
    }
    cmd.env("NO_COLOR", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("cwsetup runs");
    let started = Instant::now();
    loop {
        if child.try_wait().expect("waits").is_some() {
            return child.wait_with_output().expect("output");
        }
        if started.elapsed() > WITHIN {
            let _ = child.kill();
            let output = child.wait_with_output().expect("output");
            panic!("cwsetup {args:?} hung: {output:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

async fn cwsetup_async(args: Vec<String>, env: Vec<(String, String)>) -> Output {
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        cwsetup(&args, &env)
    })
    .await
    .expect("joined")
}

fn check_args(sim: &SimServer, extra: &[&str]) -> Vec<String> {
    let url = sim.url();
    let mut args: Vec<String> = [
        "check",
        "--site",
        &url,
        "--company",
        DEMO_COMPANY_ID,
        "--public-key",
        DEMO_PUBLIC_KEY,
        "--client-id",
        DEMO_CLIENT_ID,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

fn private_key_env() -> Vec<(String, String)> {
    vec![("CW_PRIVATE_KEY".into(), DEMO_PRIVATE_KEY.into())]
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

// ---------------------------------------------------------------- a hostile server

#[tokio::test(flavor = "multi_thread")]
async fn hostile_server_text_reaches_neither_the_terminal_nor_the_report() {
    let sim = SimServer::start(Scenario::named("hostile-text").expect("scenario"))
        .await
        .expect("sim starts");
    let dir = tempfile::tempdir().expect("temp dir");
    let report_path = dir.path().join("ticket.md");
    let report_arg = report_path.display().to_string();
    let output = cwsetup_async(
        check_args(&sim, &["--report", &report_arg]),
        private_key_env(),
    )
    .await;
    let stdout = text(&output.stdout);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stdout}\n{stderr}");
    assert_clean("stdout", &stdout);
    assert_clean("stderr", &stderr);
    // The server's text is there, each escape as a visible marker.
    assert!(
        stdout.contains("v2025.1.10675\u{fffd}]0;pwned\u{fffd}\u{fffd}[2J"),
        "{stdout}"
    );
    assert!(stdout.contains("Backup and Recovery\u{fffd}"), "{stdout}");

    let report = std::fs::read_to_string(&report_path).expect("report written");
    assert_clean("report", &report);
    assert!(
        !report.contains("<img"),
        "raw HTML in the report:\n{report}"
    );
    assert!(
        report.contains("&lt;img src=x onerror=alert(1)>"),
        "{report}"
    );

    // --json stays exact: the server's text as it was, escaped by JSON itself.
    let output = cwsetup_async(check_args(&sim, &["--json"]), private_key_env()).await;
    let raw = text(&output.stdout);
    assert!(!raw.contains('\u{1b}'), "JSON escapes ESC itself");
    // C1 controls and bidi overrides, which JSON may hold raw, are \u escapes too.
    assert_clean("JSON", &raw);
    let v: Value = serde_json::from_str(&raw).expect("one JSON object");
    assert_eq!(
        v["version"].as_str(),
        Some(format!("v2025.1.10675{}", cwsetup::sim::data::HOSTILE_SUFFIX).as_str())
    );
    sim.shutdown().await;
}

#[test]
fn an_invalid_site_with_escapes_is_not_echoed_raw() {
    let site = "na.myconnectwise.net\u{1b}]0;pwned\u{7}\u{1b}[2J\u{202e}";
    for json in [false, true] {
        let mut args = vec![
            "check",
            "--site",
            site,
            "--company",
            "fakeco",
            "--public-key",
            "FAKEPUBLIC000001",
            "--client-id",
            "00000000-0000-4000-8000-00000000fa11",
        ];
        if json {
            args.push("--json");
        }
        let output = cwsetup(&args, &[("CW_PRIVATE_KEY", "FAKEPRIVATE00001")]);
        assert_eq!(output.status.code(), Some(2), "{output:?}");
        let stdout = text(&output.stdout);
        assert_clean("stdout", &stdout);
        assert_clean("stderr", &text(&output.stderr));
        if !json {
            assert!(stdout.contains('\u{fffd}'), "{stdout}");
        }
    }
}

// ---------------------------------------------------------------- a hostile profile file

/// sync365's profile with hostile text in every kind of field that is shown.
fn hostile_profile(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/profiles/sync365.json"),
    )
    .expect("asset");
    let mut v: Value = serde_json::from_str(&text).expect("json");
    v["id"] = "hostile".into();
    v["product"] = format!("Product {HOSTILE}").into();
    v["description"] = HOSTILE.into();
    // The role name is held to ConnectWise's 30 characters, so its hostile text is short.
    v["role"]["recommended_name"] = HOSTILE_SHORT.into();
    v["role"]["instructions"][0] = HOSTILE.into();
    v["role"]["notes"] = vec![Value::from(HOSTILE)].into();
    v["role"]["rows"][0]["function"] = format!("Fn {HOSTILE}").into();
    v["role"]["rows"][0]["why"] = HOSTILE.into();
    v["role"]["rows"][0]["customize"] = vec![Value::from(HOSTILE)].into();
    v["member"]["instructions"][0] = HOSTILE.into();
    v["member"]["notes"] = vec![Value::from(HOSTILE)].into();
    v["key"]["warnings"] = vec![Value::from(HOSTILE)].into();
    let path = dir.join("hostile.json");
    std::fs::write(&path, serde_json::to_string_pretty(&v).expect("json")).expect("written");
    path
}

#[test]
fn a_hostile_profile_file_reaches_role_text_and_markdown_sanitized() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = hostile_profile(dir.path());
    let file = path.display().to_string();
    for format in ["text", "markdown"] {
        let output = cwsetup(&["role", "--profile-file", &file, "--format", format], &[]);
        let stdout = text(&output.stdout);
        assert_eq!(output.status.code(), Some(0), "{format}: {output:?}");
        assert_clean(format, &stdout);
        let shown = if format == "markdown" {
            "Evil\u{fffd}\\]0;pwned"
        } else {
            "Evil\u{fffd}]0;pwned"
        };
        assert!(stdout.contains(shown), "{format}:\n{stdout}");
        if format == "markdown" {
            assert!(!stdout.contains("<img"), "raw HTML:\n{stdout}");
            assert!(
                stdout.contains("&lt;img src=x onerror=alert(1)>"),
                "{stdout}"
            );
            assert!(
                !stdout.contains("|**x**"),
                "Markdown not escaped:\n{stdout}"
            );
        }
    }
    let output = cwsetup(&["role", "--profile-file", &file, "--format", "json"], &[]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    serde_json::from_slice::<Value>(&output.stdout).expect("one JSON document");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hostile_profile_file_reaches_check_and_its_report_sanitized() {
    let sim = SimServer::start(Scenario::new()).await.expect("sim starts");
    let dir = tempfile::tempdir().expect("temp dir");
    let file = hostile_profile(dir.path()).display().to_string();
    let report_path = dir.path().join("ticket.md");
    let report_arg = report_path.display().to_string();
    let output = cwsetup_async(
        check_args(&sim, &["--profile-file", &file, "--report", &report_arg]),
        private_key_env(),
    )
    .await;
    let stdout = text(&output.stdout);
    assert_clean("stdout", &stdout);
    assert_clean("stderr", &text(&output.stderr));
    assert!(stdout.contains("Fn Evil\u{fffd}"), "{stdout}");
    let report = std::fs::read_to_string(&report_path).expect("report written");
    assert_clean("report", &report);
    assert!(!report.contains("<img"), "raw HTML:\n{report}");
    sim.shutdown().await;
}

#[test]
fn loader_errors_quote_a_hostile_profile_sanitized() {
    let dir = tempfile::tempdir().expect("temp dir");
    let asset = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/profiles/sync365.json"),
    )
    .expect("asset");
    let mut bad_level: Value = serde_json::from_str(&asset).expect("json");
    bad_level["role"]["rows"][0]["add"] = format!("All{HOSTILE}").into();
    let mut bad_field: Value = serde_json::from_str(&asset).expect("json");
    bad_field[format!("x{HOSTILE}")] = 1.into();
    for (name, v) in [("level", bad_level), ("field", bad_field)] {
        // Windows refuses control characters in file names; elsewhere the name is hostile too.
        let escape = if cfg!(windows) { "" } else { "\u{1b}[2J" };
        let path = dir.path().join(format!("bad-{name}{escape}.json"));
        std::fs::write(&path, serde_json::to_string(&v).expect("json")).expect("written");
        let file = path.display().to_string();
        for args in [
            vec!["role", "--profile-file", file.as_str()],
            vec!["check", "--demo", "--profile-file", file.as_str()],
        ] {
            let output = cwsetup(&args, &[]);
            assert_eq!(output.status.code(), Some(2), "{name}: {output:?}");
            let stderr = text(&output.stderr);
            assert_clean(name, &stderr);
            assert_clean(name, &text(&output.stdout));
            assert!(stderr.contains("\u{fffd}"), "{name}: {stderr}");
        }
    }
}

// ---------------------------------------------------------------- report files

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn a_report_is_never_written_through_a_symlink_and_the_json_still_prints() {
    let sim = SimServer::start(Scenario::new()).await.expect("sim starts");
    let dir = tempfile::tempdir().expect("temp dir");
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "precious").expect("written");
    let link = dir.path().join("ticket.md");
    std::os::unix::fs::symlink(&victim, &link).expect("symlink");
    let link_arg = link.display().to_string();
    let output = cwsetup_async(
        check_args(&sim, &["--json", "--report", &link_arg]),
        private_key_env(),
    )
    .await;
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let v: Value = serde_json::from_slice(&output.stdout).expect("the JSON is still printed");
    assert_eq!(v["ok"], true);
    let stderr = text(&output.stderr);
    assert!(stderr.contains("symbolic link"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&victim).expect("read"),
        "precious",
        "the link's target was written"
    );
    assert!(
        std::fs::symlink_metadata(&link)
            .expect("still there")
            .file_type()
            .is_symlink()
    );
    sim.shutdown().await;
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn a_report_into_a_fifo_is_refused_without_hanging() {
    let sim = SimServer::start(Scenario::new()).await.expect("sim starts");
    let dir = tempfile::tempdir().expect("temp dir");
    let fifo = dir.path().join("ticket.md");
    let c_path = std::ffi::CString::new(fifo.display().to_string()).expect("path");
    // SAFETY: a valid NUL-terminated path; mkfifo only creates the node.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0, "mkfifo");
    let fifo_arg = fifo.display().to_string();
    // cwsetup() fails the test if the process does not end on its own.
    let output = cwsetup_async(
        check_args(&sim, &["--report", &fifo_arg]),
        private_key_env(),
    )
    .await;
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = text(&output.stderr);
    assert!(stderr.contains("not a regular file"), "{stderr}");
    assert!(
        text(&output.stdout).contains("PASS"),
        "the check's output is still printed"
    );
    sim.shutdown().await;
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn an_existing_report_is_replaced_by_a_new_private_file() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let sim = SimServer::start(Scenario::new()).await.expect("sim starts");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("ticket.md");
    std::fs::write(&path, "old").expect("written");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let old_inode = std::fs::metadata(&path).expect("meta").ino();
    let arg = path.display().to_string();
    let output = cwsetup_async(check_args(&sim, &["--report", &arg]), private_key_env()).await;
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let meta = std::fs::metadata(&path).expect("meta");
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    assert_ne!(meta.ino(), old_inode, "a new file, renamed into place");
    let report = std::fs::read_to_string(&path).expect("read");
    assert!(report.starts_with("# cwsetup report: ✓ PASS\n"), "{report}");
    // For support: the verdict and the client ID are recorded; one final newline.
    assert!(report.contains("| Verdict | pass |"), "{report}");
    assert!(report.contains("| Client ID | "), "{report}");
    assert!(
        report.ends_with(".\n") && !report.ends_with("\n\n"),
        "{report}"
    );
    assert!(!report.contains("no source cwsetup relies on"), "{report}");
    // Nothing but the report is left in the folder (no temporary file).
    assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 1);
    sim.shutdown().await;
}

// ---------------------------------------------------------------- flags named in messages

/// The long flags `--help` lists for `args` (e.g. `["check", "--help"]`).
fn help_flags(args: &[&str]) -> Vec<String> {
    let output = cwsetup(args, &[]);
    assert_eq!(output.status.code(), Some(0), "{args:?}: {output:?}");
    flags_in(&text(&output.stdout))
        .into_iter()
        .filter(|f| f != "--help" && f != "--version")
        .chain(["--help".to_string(), "--version".to_string()])
        .collect()
}

/// The subcommands a `--help` page lists under "Commands:" (clap's own `help` left out).
fn subcommands_in(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|line| line.trim() != "Commands:")
        .skip(1)
        .take_while(|line| line.starts_with("  "))
        // A command's name is indented by two; its wrapped description by more.
        .filter(|line| !line.starts_with("   "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect()
}

/// `--help` for cwsetup and for every subcommand, two levels deep (e.g. `profiles validate`).
fn help_pages() -> Vec<Vec<&'static str>> {
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    let mut pages = vec![vec!["--help"]];
    for command in subcommands_in(&text(&cwsetup(&["--help"], &[]).stdout)) {
        let command = leak(command);
        pages.push(vec![command, "--help"]);
        for nested in subcommands_in(&text(&cwsetup(&[command, "--help"], &[]).stdout)) {
            pages.push(vec![command, leak(nested), "--help"]);
        }
    }
    assert!(
        pages.len() >= 5,
        "cwsetup --help lists its commands: {pages:?}"
    );
    pages
}

/// Every `--word` in `text` (a flag, as a message would name it).
fn flags_in(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i + 2 < bytes.len() {
        let starts = bytes[i] == b'-'
            && bytes[i + 1] == b'-'
            && bytes[i + 2].is_ascii_lowercase()
            && (i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'-'));
        if starts {
            let end = bytes[i + 2..]
                .iter()
                .position(|b| !(b.is_ascii_lowercase() || *b == b'-'))
                .map_or(bytes.len(), |p| i + 2 + p);
            found.push(text[i..end].trim_end_matches('-').to_string());
            i = end;
        } else {
            i += 1;
        }
    }
    found
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The lines of a Rust source file that are code, not comments. A flag appears in code only
/// inside a string literal (a message, a help text, an example, a test's arguments), and lines
/// catch multi-line literals too.
fn code_lines(source: &str) -> impl Iterator<Item = &str> {
    source
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
}

#[test]
fn every_flag_named_in_a_message_or_help_exists() {
    let pages = help_pages();
    let mut known: Vec<String> = Vec::new();
    for args in &pages {
        known.extend(help_flags(args));
    }
    known.sort();
    known.dedup();
    assert!(known.contains(&"--log-level".to_string()), "{known:?}");

    let mut unknown = Vec::new();
    // The help texts themselves (examples in after_help name flags too).
    for args in &pages {
        for flag in flags_in(&text(&cwsetup(args, &[]).stdout)) {
            if !known.contains(&flag) {
                unknown.push(format!("`cwsetup {}`: {flag}", args.join(" ")));
            }
        }
    }
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    for file in files {
        let source = std::fs::read_to_string(&file).expect("readable");
        for line in code_lines(&source) {
            for flag in flags_in(line) {
                if !known.contains(&flag) {
                    unknown.push(format!("{}: {flag} in {}", file.display(), line.trim()));
                }
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "flags named but not defined (known: {known:?}):\n{}",
        unknown.join("\n")
    );
}

#[test]
fn the_flag_scanner_finds_flags_and_nothing_else() {
    assert_eq!(
        flags_in("Run with --log to capture; use --log-level debug, not x--y or ---z."),
        vec!["--log".to_string(), "--log-level".to_string()]
    );
}

// ---------------------------------------------------------------- key shape warnings

#[tokio::test(flavor = "multi_thread")]
async fn key_shape_warnings_give_counts_and_classes_never_the_keys_characters() {
    let sim = SimServer::start(Scenario::new()).await.expect("sim starts");
    let odd_public = "FakePub\u{1b}[~Key001";
    let url = sim.url();
    for json in [false, true] {
        let mut args: Vec<String> = [
            "check",
            "--site",
            &url,
            "--company",
            DEMO_COMPANY_ID,
            "--public-key",
            odd_public,
            "--client-id",
            DEMO_CLIENT_ID,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        if json {
            args.push("--json".into());
        }
        let output = cwsetup_async(args, private_key_env()).await;
        let stdout = text(&output.stdout);
        assert!(
            stdout.contains(
                "3 characters that are not a letter or digit (1 control character, 2 punctuation or symbols)"
            ),
            "{stdout}"
        );
        for quoted in ["U+001B", "'['", "'~'", "[~", "Pub", "Key001"] {
            assert!(!stdout.contains(quoted), "{quoted} in:\n{stdout}");
        }
        assert_clean("stdout", &stdout);
    }
    sim.shutdown().await;
}

/// An optional row's reason comes from a profile file: the audit shows it sanitized like the
/// server's own text (the healthy tenant's role is Sync 365's and lacks the row, so the reason is
/// printed; `--demo` would give the role every row the profile names).
#[tokio::test(flavor = "multi_thread")]
async fn an_optional_rows_reason_from_a_hostile_profile_reaches_the_audit_sanitized() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text_of = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/profiles/sync365.json"),
    )
    .expect("asset");
    let mut v: Value = serde_json::from_str(&text_of).expect("json");
    v["id"] = "hostile-optional".into();
    v["role"]["rows"]
        .as_array_mut()
        .expect("rows")
        .push(serde_json::json!({
            "module": "Service Desk", "function": "Service Tickets",
            "add": "None", "edit": "None", "delete": "None", "inquire": "All",
            "why": "w", "optional": format!("needed for {HOSTILE}")
        }));
    let path = dir.path().join("hostile-optional.json");
    std::fs::write(&path, serde_json::to_string_pretty(&v).expect("json")).expect("written");
    let file = path.display().to_string();
    let sim = SimServer::start(Scenario::new()).await.expect("sim starts");
    let args = [
        "audit",
        "--site",
        &sim.url(),
        "--company",
        DEMO_COMPANY_ID,
        "--client-id",
        DEMO_CLIENT_ID,
        "--profile-file",
        &file,
    ]
    .map(String::from)
    .to_vec();
    let env = [
        ("CW_PUBLIC_KEY", DEMO_ADMIN_PUBLIC_KEY),
        ("CW_PRIVATE_KEY", DEMO_ADMIN_PRIVATE_KEY),
    ]
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .to_vec();
    let output = cwsetup_async(args, env).await;
    sim.shutdown().await;
    let stdout = text(&output.stdout);
    assert_clean("audit stdout", &stdout);
    assert_clean("audit stderr", &text(&output.stderr));
    assert!(stdout.contains("Service Tickets"), "{output:?}");
    assert!(stdout.contains("needed for Evil\u{fffd}"), "{stdout}");
}

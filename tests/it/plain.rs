//! Plain mode (`cwsetup --plain`) in a pseudo-terminal, read as raw bytes: a scripted
//! conversation against the simulator, the escape sequences it may (never) print, keys never
//! echoed, Ctrl-C and end of input, and the same instructions as the full-screen wizard.
//!
//! Copies: the pseudo-terminal has no display, so a copy goes to the terminal's clipboard as an
//! OSC 52 escape sequence. The walkthrough copies nothing (so with NO_COLOR its output holds no
//! escape byte at all); one test copies a value on purpose and finds exactly that OSC 52
//! sequence and nothing else.
#![cfg(unix)]

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::wizard::settings;
use cwsetup::setup::content::step_content;
use cwsetup::sim::{DEMO_CLIENT_ID, DEMO_COMPANY_ID, DEMO_PRIVATE_KEY, DEMO_PUBLIC_KEY};
use cwsetup::wizard::app::{App, StepId};
use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

const WAIT: Duration = Duration::from_secs(30);

/// cwsetup in a pseudo-terminal; everything it writes is kept as bytes.
struct Plain {
    master: Box<dyn MasterPty + Send>,
    writer: Option<Box<dyn Write + Send>>,
    child: Box<dyn Child + Send + Sync>,
    output: Arc<Mutex<Vec<u8>>>,
    reader: Option<std::thread::JoinHandle<()>>,
    /// Where the next `expect` starts looking.
    pos: usize,
    /// HOME, when the test did not give its own: progress is saved there, never in the real one.
    _home: Option<tempfile::TempDir>,
}

impl Plain {
    fn start(args: &[&str], env: &[(&str, &str)]) -> Plain {
        let home = tempfile::tempdir().expect("temp home");
        let mut plain = Plain::start_at(args, env, home.path());
        plain._home = Some(home);
        plain
    }

    /// With `home` as HOME (and no XDG directories): where the state for resuming is saved.
    fn start_at(args: &[&str], env: &[(&str, &str)], home: &std::path::Path) -> Plain {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 30,
                cols: 100,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pseudo-terminal");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_cwsetup"));
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        for var in [
            "DISPLAY",
            "WAYLAND_DISPLAY",
            "CLICOLOR_FORCE",
            "NO_COLOR",
            "CWSETUP_PLAIN",
            "CW_SITE",
            "CW_COMPANY_ID",
            "CW_CLIENT_ID",
            "CW_PUBLIC_KEY",
            "CW_PRIVATE_KEY",
            "XDG_STATE_HOME",
            "XDG_CONFIG_HOME",
            "XDG_DATA_HOME",
        ] {
            cmd.env_remove(var);
        }
        cmd.env("HOME", home);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let dir = tempfile::tempdir().expect("temp dir");
        cmd.cwd(dir.path());
        let child = pair.slave.spawn_command(cmd).expect("spawn cwsetup");
        drop(pair.slave);
        let output = Arc::new(Mutex::new(Vec::new()));
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let sink = output.clone();
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                if let Ok(mut out) = sink.lock() {
                    out.extend_from_slice(&buf[..n]);
                }
            }
        });
        let writer = pair.master.take_writer().expect("pty writer");
        Plain {
            master: pair.master,
            writer: Some(writer),
            child,
            output,
            reader: Some(reader),
            pos: 0,
            _home: None,
        }
    }

    fn text(&self) -> String {
        let bytes = self.output.lock().map(|o| o.clone()).unwrap_or_default();
        String::from_utf8_lossy(&bytes).replace('\r', "")
    }

    /// Waits until `what` appears after the previous match, and moves past it.
    fn expect(&mut self, what: &str) {
        let start = Instant::now();
        loop {
            let text = self.text();
            if let Some(at) = text.get(self.pos..).and_then(|t| t.find(what)) {
                self.pos += at + what.len();
                return;
            }
            assert!(
                start.elapsed() < WAIT,
                "timed out waiting for {what:?}; output so far:\n{}",
                without_keys(&text)
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Step 1's member plan question, answered with Enter (the wizard's default).
    fn keep_plan(&mut self) {
        self.expect("API member: how will the tools sign in?");
        self.expect("Number (Enter keeps 1):");
        self.send("\r");
    }

    fn send(&mut self, text: &str) {
        let writer = self.writer.as_mut().expect("the session is open");
        writer.write_all(text.as_bytes()).expect("write");
        writer.flush().expect("flush");
    }

    /// Waits for the exit; returns the exit code, everything printed (raw) and whether the
    /// terminal is back in its normal mode (echo and line editing on).
    fn finish(mut self) -> (u32, Vec<u8>, bool) {
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                break status;
            }
            assert!(
                start.elapsed() < WAIT,
                "cwsetup did not exit:\n{}",
                without_keys(&self.text())
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        let fd = self.master.as_raw_fd().expect("pty fd");
        // SAFETY: tcgetattr into a zeroed termios for a valid, open fd.
        let lflag = unsafe {
            let mut termios: libc::termios = std::mem::zeroed();
            assert_eq!(libc::tcgetattr(fd, &mut termios), 0);
            termios.c_lflag
        };
        let cooked = lflag & (libc::ECHO | libc::ICANON) == (libc::ECHO | libc::ICANON);
        drop(self.writer.take());
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
        let raw = self.output.lock().map(|o| o.clone()).unwrap_or_default();
        (status.exit_code(), raw, cooked)
    }
}

impl Drop for Plain {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A failure message never prints a test key.
fn without_keys(text: &str) -> String {
    text.replace(DEMO_PUBLIC_KEY, "[public key]")
        .replace(DEMO_PRIVATE_KEY, "[private key]")
}

/// Every escape sequence that moves the cursor, clears or switches the screen: CSI with a
/// final byte among A-H, J, K, S, T, f, or the private modes (?1049h, ?25l, ?2004h…).
fn screen_control(raw: &[u8]) -> Option<String> {
    let mut i = 0;
    while i + 1 < raw.len() {
        if raw[i] == 0x1b && raw[i + 1] == b'[' {
            let mut j = i + 2;
            while j < raw.len() && !(0x40..=0x7e).contains(&raw[j]) {
                j += 1;
            }
            let seq = String::from_utf8_lossy(&raw[i..(j + 1).min(raw.len())]).into_owned();
            let last = raw.get(j).copied().unwrap_or(0);
            if b"ABCDEFGHJKSTfhl".contains(&last) || seq.contains('?') {
                return Some(seq.escape_debug().to_string());
            }
        }
        i += 1;
    }
    None
}

fn sim() -> (tokio::runtime::Runtime, cwsetup::sim::SimServer) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let server = runtime
        .block_on(cwsetup::sim::SimServer::start(cwsetup::sim::Scenario::new()))
        .expect("sim starts");
    (runtime, server)
}

fn sync365_app() -> App {
    let settings = settings(Duration::from_secs(30));
    App::new(
        settings,
        cwsetup::profile::builtin().to_vec(),
        &["sync365".to_string()],
    )
}

/// Plain mode said every instruction of the full-screen wizard, from the same content (the
/// demo's simulator is a server on this computer: self-hosted).
fn said_what_the_wizard_shows(text: &str, site: &str) {
    let mut app = sync365_app();
    app.hosting_choice = Some(cwsetup::wizard::app::Hosting::SelfHosted);
    // The site given on the command line: the vendor's host step names the one to type.
    app.prefill(cwsetup::wizard::app::Prefill {
        site: site.into(),
        ..cwsetup::wizard::app::Prefill::default()
    });
    let profiles = app.selected_profiles();
    let shown = |line: &str| {
        assert!(
            text.contains(line),
            "plain mode never said {line:?}:\n{}",
            without_keys(text)
        );
    };
    for step in StepId::ALL {
        let content = step_content(step, &profiles, &app.setup);
        for item in &content.checklist {
            shown(item);
        }
        for note in &content.notes {
            shown(note);
        }
        for value in &content.values {
            shown(&format!("{}: ", value.label));
        }
        for value in &content.portal {
            shown(&format!("{}: ", value.label));
        }
        for step_text in &content.portal_steps {
            shown(step_text);
        }
        for row in &content.role_rows {
            let levels = row.levels.describe();
            shown(&format!("{}, {}: {levels}", row.module, row.function));
        }
    }
    shown("Companies, Company Maintenance: Inquire All");
    shown("Companies, Contacts: Add All, Edit All, Inquire All");
}

/// Steps 1 to 3 of the walkthrough: the plan kept, `r` repeating a step, `b` going back.
fn walk_steps_1_to_3(s: &mut Plain) {
    s.expect("Step 1 of 5: Prerequisites");
    // A site given on the command line answers where ConnectWise runs: only the plan is asked.
    s.keep_plan();
    s.expect("ConnectWise runs: Self-hosted server.");
    s.expect("Done? [Enter]");
    s.send("\r");
    s.expect("Step 2 of 5: Security role");
    s.expect("Done? [Enter]");
    // `r` prints the step again, once more, as it was.
    s.send("r\r");
    s.expect("Step 2 of 5: Security role");
    s.expect("Done? [Enter]");
    s.send("\r");
    s.expect("Step 3 of 5: API member");
    s.expect("Done? [Enter]");
    // Back, and forward again.
    s.send("b\r");
    s.expect("Step 2 of 5: Security role");
    s.expect("Done? [Enter]");
    s.send("\r");
    s.expect("Step 3 of 5: API member");
    s.expect("Done? [Enter]");
    s.send("\r");
}

#[test]
fn a_full_plain_walkthrough_against_the_simulator() {
    let (_runtime, server) = sim();
    let site = server.url();
    let mut s = Plain::start(
        &[
            "--plain",
            "--profile",
            "sync365",
            "--site",
            &site,
            "--company",
            DEMO_COMPANY_ID,
            "--client-id",
            DEMO_CLIENT_ID,
        ],
        &[("NO_COLOR", "1")],
    );
    walk_steps_1_to_3(&mut s);
    s.expect("Step 4 of 5: API key");
    // Keys pasted with stray whitespace: the sanitizer says what it removed, in words.
    s.expect("Public key (not shown; paste it and press Enter):");
    s.send(&format!(" {DEMO_PUBLIC_KEY}\u{a0}\r"));
    s.expect(
        "Public key: 16 characters; removed 1 leading space and 1 trailing non-breaking space.",
    );
    s.expect("Private key (not shown; paste it and press Enter):");
    s.send(&format!("{DEMO_PRIVATE_KEY}\r"));
    s.expect("Private key: 16 characters.");
    s.expect("Done? [Enter]");
    s.send("\r");
    s.expect("Step 5 of 5: Integration");
    s.expect("Site: http://127.0.0.1");
    s.expect("Run the test? [Enter]");
    s.send("\r");
    s.expect("input: passed: all values present");
    s.expect("connect: passed: reached http://127.0.0.1");
    s.expect("company: passed:");
    s.expect("auth: passed: keys accepted");
    s.expect("permissions: passed: 8 of 8 rows verified");
    s.expect("data: passed:");
    s.expect("Verdict: PASS.");
    s.expect("Public Key: [hidden: 16 characters]");
    s.expect("Done? [Enter]");
    s.send("\r");
    s.expect("Summary: the last step");
    s.expect("Done? [Enter] finishes");
    s.send("\r");
    s.expect("Setup walked through to the end. The keys were wiped from memory.");
    let (code, raw, cooked) = s.finish();
    assert_eq!(code, 0, "a passed test exits 0, as `check` does");
    assert!(cooked, "echo and line editing are back on");
    let text = String::from_utf8_lossy(&raw).replace('\r', "");

    // Never echoed, never printed.
    assert!(!text.contains(DEMO_PUBLIC_KEY), "{}", without_keys(&text));
    assert!(!text.contains(DEMO_PRIVATE_KEY), "{}", without_keys(&text));
    // With NO_COLOR and no copy: not one escape sequence.
    assert!(
        !raw.contains(&0x1b),
        "an escape byte in plain output: {:?}",
        screen_control(&raw)
    );
    // Each stage on its own line, in order.
    let stages: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split(": ").next())
        .filter(|id| ["input", "connect", "company", "auth", "permissions", "data"].contains(id))
        .collect();
    assert_eq!(
        stages,
        ["input", "connect", "company", "auth", "permissions", "data"]
    );

    said_what_the_wizard_shows(&text, &site);
}

#[test]
fn a_copy_writes_only_its_osc52_sequence_and_nothing_moves_the_cursor() {
    let mut s = Plain::start(&["--plain", "--demo", "--profile", "sync365"], &[]);
    s.keep_plan();
    s.expect("Done? [Enter]");
    s.send("\r");
    s.expect("Step 2 of 5: Security role");
    s.expect("1. Role name: Sync 365 API");
    s.expect("2. Vendor guide, read ");
    s.expect("copy [c and a number]");
    s.send("c 1\r");
    s.expect(
        "Role name sent to your terminal's clipboard; if nothing pastes, your terminal blocks this",
    );
    s.send("c 9\r");
    s.expect("There is no value 9 here; the values are numbered 1 to 2.");
    s.send("q\r");
    s.expect("Quit.");
    let (code, raw, cooked) = s.finish();
    assert_eq!(
        code, 0,
        "quitting before a test exits 0, as the wizard does"
    );
    assert!(cooked);
    assert_eq!(screen_control(&raw), None, "cursor or screen control found");
    let text = String::from_utf8_lossy(&raw);
    let osc52 = cwsetup::clipboard::osc52_sequence("Sync 365 API");
    assert_eq!(text.matches(osc52.as_str()).count(), 1);
    // OSC 52 cannot be read back, so on quit a clear is sent, as the wizard does.
    assert_eq!(text.matches(cwsetup::clipboard::OSC52_CLEAR).count(), 1);
    assert!(text.contains("Role name: sent a clear to your terminal's clipboard"));
    // The only escapes in the output are that copy and that clear.
    let escapes = raw.iter().filter(|b| **b == 0x1b).count();
    assert_eq!(escapes, 2, "{:?}", text.escape_debug().to_string());
}

#[test]
fn ctrl_c_at_the_private_key_prompt_ends_cleanly_with_echo_back_on() {
    let mut s = Plain::start(
        &[
            "--plain",
            "--profile",
            "sync365",
            "--site",
            "na",
            "--company",
            "contoso",
            "--client-id",
            DEMO_CLIENT_ID,
        ],
        &[("NO_COLOR", "1")],
    );
    s.keep_plan();
    for _ in 0..3 {
        s.expect("Done? [Enter]");
        s.send("\r");
    }
    s.expect("Public key (not shown; paste it and press Enter):");
    s.send(&format!("{DEMO_PUBLIC_KEY}\r"));
    s.expect("Private key (not shown; paste it and press Enter):");
    s.send("DemoPriv");
    s.send("\x03");
    s.expect("Stopped (Ctrl-C). The keys were wiped from memory.");
    let (code, raw, cooked) = s.finish();
    assert_eq!(code, 0, "Ctrl-C quits, as in the wizard");
    assert!(
        cooked,
        "echo is back on after Ctrl-C inside the no-echo prompt"
    );
    let text = String::from_utf8_lossy(&raw);
    assert!(!text.contains(DEMO_PUBLIC_KEY));
    assert!(!text.contains("DemoPriv"));
}

#[test]
fn end_of_input_quits_and_piped_keys_are_never_printed() {
    let home = tempfile::tempdir().expect("temp home");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_cwsetup"))
        .args([
            "--plain",
            "--profile",
            "sync365",
            "--site",
            "na",
            "--company",
            "contoso",
        ])
        .env_remove("CW_CLIENT_ID")
        .env("HOME", home.path())
        .env_remove("XDG_STATE_HOME")
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("XDG_DATA_HOME")
        .env_remove("CLICOLOR_FORCE")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run cwsetup");
    // The plan (Enter keeps it), steps 1 to 3, then the keys.
    let answers = format!("\n\n\n\n{DEMO_PUBLIC_KEY}\n{DEMO_PRIVATE_KEY}\n\n");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(answers.as_bytes())
        .expect("write answers");
    let output = child.wait_with_output().expect("cwsetup ends");
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{}", without_keys(&text));
    assert!(text.contains("(read from standard input, not shown)"));
    assert!(text.contains("Client ID (your clientId GUID"));
    assert!(text.contains("End of input: quit. The keys were wiped from memory."));
    assert!(!text.contains(DEMO_PUBLIC_KEY), "{}", without_keys(&text));
    assert!(!text.contains(DEMO_PRIVATE_KEY), "{}", without_keys(&text));
    assert!(!output.stdout.contains(&0x1b), "no escape when piped");
}

#[test]
fn a_dumb_terminal_is_offered_plain_mode() {
    let mut s = Plain::start(&["--profile", "sync365"], &[("TERM", "dumb")]);
    s.expect("Your terminal reports TERM=dumb: use plain mode? [Y/n]");
    s.send("\r");
    s.expect("Step 1 of 5: Prerequisites");
    // No site given: where ConnectWise runs is asked, nothing chosen in advance; q quits here too.
    s.expect("Where does ConnectWise run?");
    s.expect("Number:");
    s.send("q\r");
    s.expect("Quit.");
    let (code, raw, cooked) = s.finish();
    assert_eq!(code, 0);
    assert!(cooked);
    assert_eq!(screen_control(&raw), None);
}

#[test]
fn a_failed_test_prints_the_fix_in_full_and_exits_1() {
    let (_runtime, server) = sim();
    let site = server.url();
    let mut s = Plain::start(
        &[
            "--plain",
            "--profile",
            "sync365",
            "--site",
            &site,
            "--company",
            DEMO_COMPANY_ID,
            "--client-id",
            DEMO_CLIENT_ID,
        ],
        &[("NO_COLOR", "1")],
    );
    s.keep_plan();
    for _ in 0..3 {
        s.expect("Done? [Enter]");
        s.send("\r");
    }
    s.expect("Public key (not shown");
    s.send("WrongPublicKey01\r");
    s.expect("Private key (not shown");
    s.send("WrongPrivateKy01\r");
    s.expect("Done? [Enter]");
    s.send("\r");
    s.expect("Run the test? [Enter]");
    s.send("\r");
    s.expect("auth: failed:");
    s.expect("What to do:");
    s.expect("  auth: ");
    s.expect("Verdict: FAIL.");
    s.expect("Done? [Enter]");
    s.send("q\r");
    s.expect("Quit.");
    let (code, _raw, cooked) = s.finish();
    assert_eq!(code, 1, "a failed test exits 1, as `check` does");
    assert!(cooked);
}

#[test]
fn sigterm_ends_cleanly_with_143() {
    let mut s = Plain::start(&["--plain", "--profile", "sync365"], &[("NO_COLOR", "1")]);
    s.expect("Where does ConnectWise run?");
    s.expect("Number:");
    let pid = s.child.process_id().expect("pid");
    // SAFETY: signalling our own child.
    unsafe {
        libc::kill(pid as libc::pid_t, libc::SIGTERM);
    }
    s.expect("Stopped (SIGTERM).");
    let (code, _raw, cooked) = s.finish();
    assert_eq!(code, 143);
    assert!(cooked);
}

#[test]
fn a_copied_key_is_cleared_while_waiting_for_an_answer() {
    let mut s = Plain::start(
        &[
            "--plain",
            "--demo",
            "--profile",
            "sync365",
            "--clipboard-clear",
            "1",
        ],
        &[],
    );
    s.keep_plan();
    for _ in 0..4 {
        s.expect("Done? [Enter]");
        s.send("\r");
    }
    s.expect("Run the test? [Enter]");
    s.send("\r");
    s.expect("Verdict: PASS.");
    s.expect("Done? [Enter]");
    s.send("\r");
    s.expect("Summary: the last step");
    s.expect("Done? [Enter] finishes");
    s.send("c 4\r");
    s.expect("Public Key sent to your terminal's clipboard; if nothing pastes, your terminal blocks this (auto-clears in 1 s)");
    // No key pressed: the clear comes on its own, on a line of its own.
    s.expect("Public Key: sent a clear to your terminal's clipboard");
    s.expect("Done? [Enter] finishes");
    s.send("q\r");
    s.expect("Quit.");
    let (code, raw, cooked) = s.finish();
    assert_eq!(code, 0);
    assert!(cooked);
    assert_eq!(screen_control(&raw), None);
    let text = String::from_utf8_lossy(&raw);
    assert!(!text.contains(DEMO_PUBLIC_KEY));
}

#[test]
fn step_1_asks_where_connectwise_runs_and_the_member_plan_which_words_the_later_steps() {
    let mut s = Plain::start(&["--plain", "--company", "acme"], &[("NO_COLOR", "1")]);
    s.expect("Which vendor integrations are you setting up?");
    s.expect("Numbers, separated by spaces");
    s.send("1 2\r");
    // The wizard's rows, numbered, nothing chosen in advance.
    s.expect("Where does ConnectWise run?");
    s.expect("1. North America cloud (na.myconnectwise.net)");
    s.expect("6. Self-hosted server (type its address below)");
    s.expect("Number:");
    s.send("9\r");
    s.expect("Type a number from 1 to 6");
    s.send("6\r");
    // A server's address is asked with the site's own prompt and checks.
    s.expect("Site (your server's address");
    s.send("cw.example.com\r");
    // Two tools: the four plans of the wizard, the first in force.
    s.expect("API member: how will the tools sign in?");
    s.expect("1. One new API member for all tools: one merged role, one key per tool");
    s.expect("3. One API member per tool: each tool its own role, member and key");
    s.expect("4. I already have an API member: add what is needed to its role");
    s.expect("Number (Enter keeps 1):");
    s.send("3\r");
    s.expect("ConnectWise runs: Self-hosted server.");
    s.expect("API member: One API member per tool: each tool its own role, member and key.");
    s.expect("Done? [Enter]");
    s.send("\r");
    s.expect("Step 2 of 5: Security role");
    s.expect("Done? [Enter]");
    s.send("\r");
    s.expect("Step 3 of 5: API member");
    s.expect("Done? [Enter]");
    s.send("q\r");
    s.expect("Quit.");
    let (code, raw, cooked) = s.finish();
    assert_eq!(code, 0);
    assert!(cooked);
    let text = String::from_utf8_lossy(&raw).replace('\r', "");

    // The later steps follow the plan chosen, in the wizard's own words.
    let mut app = App::new(
        settings(Duration::from_secs(30)),
        cwsetup::profile::builtin().to_vec(),
        &[
            "sync365".to_string(),
            "visionary360-email-reconnector".to_string(),
        ],
    );
    app.member_plan = cwsetup::wizard::app::MemberPlan::MemberPerTool;
    app.choose_hosting(cwsetup::wizard::app::Hosting::SelfHosted);
    let profiles = app.selected_profiles();
    for step in [StepId::SecurityRole, StepId::ApiMember] {
        let content = step_content(step, &profiles, &app.setup);
        assert!(
            text.contains(&content.intro),
            "{step:?}: {:?} not said:\n{text}",
            content.intro
        );
        for item in &content.checklist {
            assert!(text.contains(item.as_str()), "{item:?} not said:\n{text}");
        }
    }
    assert!(text.contains("Create one API member per tool, each with that tool's own role."));
}

/// Every file under `dir`, read as bytes.
fn files_under(dir: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut found = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(dir) = todo.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                todo.push(path);
            } else {
                let bytes = std::fs::read(&path).expect("read file");
                found.push((path, bytes));
            }
        }
    }
    found
}

#[test]
fn quitting_on_step_3_and_starting_again_resumes_there_without_the_keys() {
    let home = tempfile::tempdir().expect("temp home");
    let args = [
        "--plain",
        "--profile",
        "sync365",
        "--site",
        "na",
        "--company",
        "acme",
        "--client-id",
        DEMO_CLIENT_ID,
    ];
    let mut s = Plain::start_at(
        &args,
        &[("NO_COLOR", "1"), ("CW_PUBLIC_KEY", DEMO_PUBLIC_KEY)],
        home.path(),
    );
    s.expect("API member: how will the tools sign in?");
    s.expect("2. I already have an API member: add what is needed to its role");
    s.expect("Number (Enter keeps 1):");
    s.send("2\r");
    for _ in 0..2 {
        s.expect("Done? [Enter]");
        s.send("\r");
    }
    // Step 3 asks the existing member's ID: the portal values and the handoff name it.
    s.expect("Member ID in ConnectWise (your existing API member's ID");
    s.send("IntegrationAPI\r");
    s.expect("Done? [Enter]");
    s.send("\r");
    // Both keys held (one from CW_PUBLIC_KEY, one pasted), then back to step 3 and quit.
    s.expect("Public key: held (16 characters, not shown)");
    s.expect("Private key (not shown; paste it and press Enter):");
    s.send(&format!("{DEMO_PRIVATE_KEY}\r"));
    s.expect("Private key: 16 characters.");
    s.expect("Done? [Enter]");
    s.send("b\r");
    s.expect("Step 3 of 5: API member");
    s.expect("Done? [Enter]");
    s.send("q\r");
    s.expect("Quit. The keys were wiped from memory.");
    s.expect("progress saved to ");
    let (code, _raw, cooked) = s.finish();
    assert_eq!(code, 0);
    assert!(cooked);

    // Again, with nothing given: the wizard's question, in one line; Enter resumes on step 3.
    let mut s = Plain::start_at(&["--plain"], &[("NO_COLOR", "1")], home.path());
    s.expect(
        "Resume the Sync 365 License setup for company acme from step 3? [Enter] resumes / n starts fresh",
    );
    s.send("\r");
    s.expect("paste the keys again on step 4 (they are never saved)");
    s.expect("Step 3 of 5: API member");
    // The plan came back: the existing member's instructions, and its ID (saved, not asked).
    s.expect("Check the existing API member that the tools will sign in as.");
    s.expect("Member ID: IntegrationAPI");
    s.expect("Done? [Enter]");
    s.send("\r");
    s.expect("Step 4 of 5: API key");
    s.expect("Public key (not shown; paste it and press Enter):");
    s.send("\x03");
    s.expect("Stopped (Ctrl-C).");
    let (code, raw, _cooked) = s.finish();
    assert_eq!(code, 0);
    let text = String::from_utf8_lossy(&raw).replace('\r', "");
    assert!(
        !text.contains("Step 1 of 5") && !text.contains("Step 2 of 5"),
        "resumed on step 3:\n{text}"
    );

    // --fresh: no question, step 1 again.
    let mut s = Plain::start_at(&["--plain", "--fresh"], &[("NO_COLOR", "1")], home.path());
    s.expect("Step 1 of 5: Prerequisites");
    s.send("q\r");
    s.expect("Quit.");
    let (_code, raw, _cooked) = s.finish();
    assert!(!String::from_utf8_lossy(&raw).contains("Resume "));

    // The state is saved as the wizard saves it, and no key is in any file under HOME.
    let files = files_under(home.path());
    let state = files
        .iter()
        .find(|(p, _)| p.ends_with("cwsetup/session.json"))
        .expect("session.json saved under HOME");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&state.0)
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "the state file is private");
    }
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains(DEMO_PUBLIC_KEY) && !text.contains(DEMO_PRIVATE_KEY),
            "a key in {}",
            path.display()
        );
    }
}

/// Issue 23, item 7: a key typed at the wrong prompt is never repeated, in any case.
#[test]
fn a_key_typed_at_the_wrong_prompt_is_not_echoed() {
    const KEY: &str = "FakeWrongPrompt1";
    let home = tempfile::tempdir().expect("temp home");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_cwsetup"))
        .args(["--plain", "--profile", "sync365", "--site", "na"])
        .env("HOME", home.path())
        .env_remove("XDG_STATE_HOME")
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("XDG_DATA_HOME")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run cwsetup");
    // The plan (Enter keeps it), then the key where step 1 asks what to do next.
    let answers = format!("\n{KEY}\n");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(answers.as_bytes())
        .expect("write answers");
    let output = child.wait_with_output().expect("cwsetup ends");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
    .to_lowercase();
    assert!(text.contains("not understood"), "{}", without_keys(&text));
    assert!(
        !text.contains(&KEY.to_lowercase()),
        "the key was repeated: {}",
        text.replace(&KEY.to_lowercase(), "[KEY]")
    );
}

/// Issue 23, item 8: a save that fails is said at the end too, never "progress saved".
#[test]
fn a_failed_save_is_said_never_progress_saved() {
    let home = tempfile::tempdir().expect("temp home");
    let args = ["--plain", "--profile", "sync365", "--site", "na"];
    let mut s = Plain::start_at(&args, &[("NO_COLOR", "1")], home.path());
    s.expect("Number (Enter keeps 1):");
    // Started; now a folder takes the session file's place, so the first save fails.
    let session = home.path().join(".local/state/cwsetup/session.json");
    std::fs::create_dir_all(&session).expect("a folder at the session's path");
    s.send("2\r");
    s.expect("Done? [Enter]");
    s.send("q\r");
    let (_, raw, _) = s.finish();
    let text = String::from_utf8_lossy(&raw);
    assert!(text.contains("could not save progress"), "{text}");
    assert!(
        text.contains("progress could not be saved to"),
        "the end says so too: {text}"
    );
    assert!(!text.contains("progress saved to"), "{text}");
}
